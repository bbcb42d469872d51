#!/usr/bin/env bash
# Regenerates tests/data/blazepose_reference_*.json: runs the ORIGINAL TF.js
# BlazePose landmark models (@tensorflow/tfjs, pure-JS CPU backend;
# tools/reference/blazepose_ref.mjs) on Debian opencv-doc's messi5.jpg (lite,
# full, heavy) and on one frame of a side-view squat clip of the real-data
# folder (full). The frame is not part of the repository: it is cut out of
# the clip here with the ffmpeg program, as a binary PPM, into
# $FORMCHECK_MODELS/reference/ (default ~/.cache/formcheck/models/reference),
# where tests/test_blazepose.c reads it (and skips when it is absent).
#
#   bash tools/reference/regenerate_blazepose.sh [DATA_DIR]   # default ../shared/data
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ref=$root/tools/reference
image=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
data=${1:-$root/../shared/data}
clip=$data/videos/pexels-gabby-k-6980032_side_bodyweight_squat.mp4
# frame 45 (1.5 s): half-way down the first squat; the square below holds the
# whole person (the clip is 1080x2048 portrait)
frame=45
crop=1080:1080:0:740
models=${FORMCHECK_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/formcheck/models}
squat=$models/reference/squat_side_f45.ppm

die() {
    echo "regenerate_blazepose: $*" >&2
    exit 1
}

[ -f "$image" ] || die "$image not found: install opencv-doc (bash tools/setup.sh)"
command -v node >/dev/null 2>&1 || die "node not found: install nodejs and npm (bash tools/setup.sh)"
command -v djpeg >/dev/null 2>&1 || die "djpeg not found: apt-get install libjpeg-turbo-progs"
command -v ffmpeg >/dev/null 2>&1 || die "ffmpeg not found: apt-get install ffmpeg"
[ -f "$clip" ] || die "$clip not found (give the real-data folder as the argument)"

bash "$root/tools/fetch_models.sh"
if [ ! -f "$ref/node_modules/.package-lock.json" ] ||
    [ "$ref/package-lock.json" -nt "$ref/node_modules/.package-lock.json" ]; then
    (cd "$ref" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
        die "npm ci failed in $ref (is the npm registry reachable?)"
fi

mkdir -p "$models/reference"
ffmpeg -loglevel error -y -i "$clip" -vf "select=eq(n\,$frame),crop=$crop" -frames:v 1 \
    -pix_fmt rgb24 -f image2 -c:v ppm "$squat.tmp" || die "ffmpeg could not cut frame $frame"
mv -f "$squat.tmp" "$squat"

for m in lite full heavy; do
    node "$ref/blazepose_ref.mjs" --model "$m" --image "$image" \
        --out "$root/tests/data/blazepose_reference_messi5_$m.json"
done
node "$ref/blazepose_ref.mjs" --model full --image "$squat" \
    --source "$(basename "$clip") frame $frame, crop $crop (ffmpeg -vf crop, rgb24)" \
    --out "$root/tests/data/blazepose_reference_squat_full.json"
echo "regenerate_blazepose: done; review the change with git diff tests/data"
