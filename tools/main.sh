#!/usr/bin/env bash
# Builds formcheck and runs its main job on INPUT (default: the walking
# trial with Plug-in Gait angles from ../shared/data when it is there).
# Reports go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target formcheck >/dev/null
input=${1:-../shared/data/c3d/c3dorg_s00_vicon_pyCGM2_CGM24_Walking01_INTELfloat.c3d}
if [ ! -e "$input" ]; then
    echo "main: $input not found; give a C3D, keypoint CSV, MediaPipe CSV or OpenPose folder" >&2
    exit 1
fi
echo "main: analysing $input"
exec ./build/formcheck analyze --out out "$input"
