#!/usr/bin/env bash
# Regenerates tests/data/movenet_reference_messi5_{lightning,thunder}.json:
# fetches and converts the models (tools/fetch_models.sh), installs the pinned
# reference runtime here (npm ci: @tensorflow/tfjs on its pure-JS CPU backend),
# and runs the ORIGINAL TF.js MoveNet models on Debian opencv-doc's messi5.jpg.
#
#   bash tools/reference/regenerate.sh [--dump DIR]
#
# --dump DIR also keeps, per model, DIR/MODEL.json, DIR/MODEL.u8 (the exact
# input tensor) and DIR/MODEL-heads/*.f32 (the four heads), which
# tools/reference/check_opencv.py and check_ort.mjs compare the ONNX files with.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ref=$root/tools/reference
image=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
dump=

die() {
    echo "regenerate: $*" >&2
    exit 1
}

while [ $# -gt 0 ]; do
    case $1 in
    --dump)
        [ $# -ge 2 ] || die "--dump needs a folder"
        dump=$2
        shift 2
        ;;
    *) die "usage: bash tools/reference/regenerate.sh [--dump DIR]" ;;
    esac
done

[ -f "$image" ] || die "$image not found: install opencv-doc (bash tools/setup.sh)"
command -v node >/dev/null 2>&1 || die "node not found: install nodejs and npm (bash tools/setup.sh)"
if ! command -v djpeg >/dev/null 2>&1; then
    # djpeg decodes JPEG with the libjpeg-turbo that OpenCV's imread uses
    [ "$(id -u)" -eq 0 ] || die "djpeg not found: apt-get install libjpeg-turbo-progs"
    echo "regenerate: installing libjpeg-turbo-progs (djpeg)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjpeg-turbo-progs >/dev/null ||
        die "apt-get install libjpeg-turbo-progs failed"
fi

bash "$root/tools/fetch_models.sh"

# npm ci when node_modules is missing or older than the lock file
if [ ! -f "$ref/node_modules/.package-lock.json" ] ||
    [ "$ref/package-lock.json" -nt "$ref/node_modules/.package-lock.json" ]; then
    echo "regenerate: installing the reference runtime (npm ci in tools/reference)"
    (cd "$ref" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
        die "npm ci failed in $ref (is the npm registry reachable?)"
fi

for m in lightning thunder; do
    out=$root/tests/data/movenet_reference_messi5_$m.json
    args=(--model "$m" --image "$image" --out "$out")
    if [ -n "$dump" ]; then
        mkdir -p "$dump"
        args+=(--input-out "$dump/$m.u8" --heads-out "$dump/$m-heads")
    fi
    node "$ref/movenet_ref.mjs" "${args[@]}"
    [ -z "$dump" ] || cp "$out" "$dump/$m.json"
done
echo "regenerate: done; review the change with git diff tests/data"
