#!/usr/bin/env bash
# Builds formcheck twice, plainly and under AddressSanitizer +
# UndefinedBehaviorSanitizer, and runs the whole test suite on both.
# The real-data tier runs when ../shared/data (or $FORMCHECK_DATA) exists.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

run_suite() {
    local dir=$1
    shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null &&
        cmake --build "$dir" -j "$jobs" &&
        (cd "$dir" && ctest --output-on-failure -j "$jobs" ${CTEST_ARGS:-})
}

echo "== tests =="
run_suite build
echo "== benchmarks, short runs (a smoke test: no timing is asserted) =="
# formcheck bench runs every program in benchmarks/ briefly and checks that
# each wrote its JSON; the per-layer profile path of bench_pose runs once.
build/bench_pose --frames 2 --only lightning --encoding opencv --threads 1 --profile --no-ort >/dev/null
build/formcheck bench --keep build/bench-smoke
for b in decode pose analysis pipeline; do
    [ -s "build/bench-smoke/$b.json" ] || { echo "benchmark $b wrote no JSON" >&2; exit 1; }
done
echo "== tests under ASan+UBSan =="
# Criterion runs each test in a child process and counts a leak reported at
# the child's exit as a pass, so the log is searched for sanitizer reports too.
log=build-asan/sanitizer-run.log
mkdir -p build-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
set +e
CTEST_ARGS=-V run_suite build-asan -DFC_SANITIZE=ON 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if grep -qE "ERROR: (Leak|Address)Sanitizer|runtime error:" "$log"; then
    grep -E -A20 "ERROR: (Leak|Address)Sanitizer|runtime error:" "$log" | head -60
    echo "sanitizer reports found (see $log)" >&2
    exit 1
fi
exit $status
