#!/usr/bin/env bash
# Builds formcheck and runs its main job: analyse INPUT (a video, a C3D file,
# a keypoint CSV, ...) into a graded report in out/. Without INPUT it
# analyses a built-in synthetic session (a left single-leg squat seen from
# the front, with a right hip drop and left knee valgus of known size) and
# says so.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target formcheck >/dev/null
mkdir -p out
if [ $# -ge 1 ]; then
    input=$1
    shift
    echo "main: analysing $input"
else
    input=out/synthetic-single-leg-squat-left.csv
    echo "main: no input given: analysing the built-in synthetic session ($input)"
    ./build/formcheck synth --exercise single-leg-squat-left --view front --reps 7 \
        --hip-drop 7 --fppa-left 15 --noise 1 --seed 7 --out "$input"
fi
exec ./build/formcheck analyze --out out "$@" "$input"
