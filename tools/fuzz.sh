#!/usr/bin/env bash
# Builds every fuzz target in fuzz/ with clang's libFuzzer under
# AddressSanitizer + UndefinedBehaviorSanitizer and runs each for SECONDS
# (default 30). Corpora live in build-fuzz/corpus/TARGET and grow from run
# to run; seeds come from the real data beside the project (../shared/data
# or $FORMCHECK_DATA, when present), from data/ and from small inputs made
# here. A crash, leak, hang (over 10 s on one input) or allocation over
# 2 GiB fails the run; its reproducer is left in build-fuzz/crashes/ and
# named in the output. The hang limit is wall-clock time: a long campaign
# at the lowest priority beside busy builds can starve an input of the CPU
# for that long, so FUZZ_TIMEOUT_S raises it there (the input's own time
# then shows whether it was a hang).
#
#   [FUZZ_TIMEOUT_S=10] bash tools/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
root=$PWD
bdir=$root/build-fuzz
data=${FORMCHECK_DATA:-$root/../shared/data}

CC=clang CXX=clang++ cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFC_FUZZ=ON \
    -DFC_BUILD_TESTS=OFF -DFC_WERROR=OFF >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(fuzz_c3d fuzz_keypoint_csv fuzz_mediapipe_csv fuzz_openpose fuzz_import_any
        fuzz_thresholds fuzz_video fuzz_graph fuzz_manifest)
fi
cmake --build "$bdir" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" formcheck >/dev/null

# ---- seeds -----------------------------------------------------------------
seeds=$bdir/seeds
mkdir -p "$seeds"
if [ ! -e "$seeds/.done" ]; then
    mkdir -p "$seeds"/{c3d,kpcsv,mpcsv,openpose,thresholds,video}
    "$bdir/formcheck" synth --exercise squat --reps 1 --rate 10 --out "$seeds/kpcsv/squat.csv" >/dev/null
    "$bdir/formcheck" synth --exercise gait --view side --reps 2 --rate 10 --noise 1 --drop 0.1 \
        --out "$seeds/kpcsv/gait.csv" >/dev/null
    cp data/thresholds.json "$seeds/thresholds/"
    printf '{"version":1.3,"people":[{"person_id":[-1],"pose_keypoints_2d":[%s]}]}' \
        "$(seq -s, 1 75)" >"$seeds/openpose/body25.json"
    printf '{"people":[]}\f{"people":[{"pose_keypoints_2d":[%s]}]}' "$(seq -s, 1 54)" \
        >"$seeds/openpose/two_frames.json"
    for c in libx264 mpeg4; do
        ffmpeg -loglevel error -y -f lavfi -i testsrc=size=64x48:rate=10:duration=0.5 \
            -c:v $c -pix_fmt yuv420p "$seeds/video/testsrc_$c.mp4" </dev/null || true
    done
    if [ -d "$data" ]; then
        find "$data/c3d" -name '*.c3d' -size -300k -exec cp {} "$seeds/c3d/" \; 2>/dev/null || true
        for f in "$data"/keypoints/exercise_correction/*.csv; do
            [ -f "$f" ] && head -c 8192 "$f" >"$seeds/mpcsv/$(basename "$f")"
        done
    fi
    touch "$seeds/.done"
fi
if [ ! -e "$seeds/.video-containers" ]; then # each container and codec the decoder meets
    v="ffmpeg -loglevel error -y -f lavfi -i testsrc=size=64x48:rate=10:duration=0.5 -pix_fmt yuv420p"
    $v -c:v libvpx-vp9 -b:v 50k "$seeds/video/vp9.webm" </dev/null || true
    $v -c:v libx264 "$seeds/video/h264.mkv" </dev/null || true
    $v -c:v libx265 -tag:v hvc1 -x265-params log-level=none "$seeds/video/hevc.mov" </dev/null || true
    $v -c:v mjpeg "$seeds/video/mjpeg.avi" </dev/null || true
    $v -c:v mpeg4 -f mpegts "$seeds/video/mpeg4.ts" </dev/null || true
    $v -c:v mpeg4 -movflags +faststart "$seeds/video/faststart.mp4" </dev/null || true
    # a portrait phone's rotation tag, and a recording cut short
    ffmpeg -loglevel error -y -i "$seeds/video/testsrc_libx264.mp4" -c copy \
        -metadata:s:v:0 rotate=90 "$seeds/video/rotated.mp4" </dev/null || true
    [ -f "$seeds/video/faststart.mp4" ] &&
        head -c 2000 "$seeds/video/faststart.mp4" >"$seeds/video/cut.mp4"
    touch "$seeds/.video-containers"
fi
if [ ! -f "$seeds/graph/sample.xnn" ]; then # a small valid XNNPACK graph file
    mkdir -p "$seeds/graph"
    /usr/bin/python3 tools/tfjs_to_xnn.py --quiet --sample "$seeds/graph/sample.xnn"
fi
if [ ! -e "$seeds/manifest/clinic.csv" ]; then
    mkdir -p "$seeds/manifest"
    printf 'path,patient,recorded_at,exercise,view,session,notes,site\n%s\r\n%s\n' \
        'squat.csv,P01,2024-03-05T10:30,squat,front,,"first, visit",A' \
        '"b""c.mp4",P02,2024-03-06,,,s2,"two lines",B' >"$seeds/manifest/clinic.csv"
fi
seed_dirs() {
    case $1 in
    fuzz_c3d) echo "$seeds/c3d" ;;
    fuzz_keypoint_csv) echo "$seeds/kpcsv" ;;
    fuzz_mediapipe_csv) echo "$seeds/mpcsv" ;;
    fuzz_openpose) echo "$seeds/openpose" ;;
    fuzz_thresholds) echo "$seeds/thresholds" ;;
    fuzz_video) echo "$seeds/video" ;;
    fuzz_graph) echo "$seeds/graph" ;;
    fuzz_import_any) echo "$seeds/kpcsv $seeds/mpcsv $seeds/c3d $seeds/openpose" ;;
    fuzz_manifest) echo "$seeds/manifest" ;;
    esac
}
max_len() {
    case $1 in
    fuzz_c3d | fuzz_video | fuzz_thresholds | fuzz_graph) echo 65536 ;;
    *) echo 16384 ;;
    esac
}

# ---- run -----------------------------------------------------------------
mkdir -p "$bdir/crashes" "$bdir/logs"
export TMPDIR=${FUZZ_TMPDIR:-/dev/shm}
[ -w "$TMPDIR" ] || export TMPDIR=/tmp
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:malloc_limit_mb=2048
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
printf '%-20s %12s %8s %8s %s\n' target executions cov ft result
for t in "${targets[@]}"; do
    corpus=$bdir/corpus/$t
    mkdir -p "$corpus"
    dict=()
    [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
    log=$bdir/logs/$t.log
    set +e
    # shellcheck disable=SC2046
    "$bdir/fuzz/$t" "$corpus" $(seed_dirs "$t") "${dict[@]}" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT_S:-10}" \
        -rss_limit_mb=2560 -max_len="$(max_len "$t")" -print_final_stats=1 \
        -artifact_prefix="$bdir/crashes/$t-" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    if [ $rc -eq 0 ]; then
        printf '%-20s %12s %8s %8s ok\n' "$t" "$execs" "$cov" "$ft"
    else
        failed=1
        printf '%-20s %12s %8s %8s FAILED (exit %d)\n' "$t" "$execs" "$cov" "$ft" "$rc"
        grep -E 'ERROR: |runtime error:|Test unit written to' "$log" | head -5 | sed 's/^/    /'
    fi
done
rm -rf "${TMPDIR:?}"/fc-fuzz-* 2>/dev/null || true
exit $failed
