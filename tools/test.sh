#!/usr/bin/env bash
# tools/test.sh          checks the formatting, then builds formcheck twice,
#                        plainly and under AddressSanitizer +
#                        UndefinedBehaviorSanitizer, and runs the whole test
#                        suite on both (with a benchmark smoke test between).
# tools/test.sh --unit   builds and runs the unit tier alone (seconds).
# tools/test.sh --format checks the formatting alone.
# The real-data tier runs when ../shared/data (or $FORMCHECK_DATA) exists.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

# Every C and C++ source must be as clang-format (with the committed
# .clang-format) would write it; the files that differ are listed.
check_format() {
    command -v clang-format >/dev/null ||
        { echo "clang-format not found (bash tools/setup.sh installs it)" >&2; return 1; }
    local files bad=()
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        files=$(git ls-files -- '*.c' '*.h' '*.cpp')
    else
        files=$(find . \( -name 'build*' -o -name node_modules -o -name '.*' \) -prune -o \
            -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) -print | sed 's|^\./||')
    fi
    for f in $files; do
        [ -f "$f" ] || continue
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
    done
    if [ ${#bad[@]} -gt 0 ]; then
        echo "not formatted as .clang-format says (clang-format -i FILE fixes it):" >&2
        printf '  %s\n' "${bad[@]}" >&2
        return 1
    fi
}

case ${1:-} in
--format)
    check_format
    exit
    ;;
--unit)
    # The unit suites only (ctest -L unit): no model, no video; the build
    # compiles what they link and nothing else.
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build -j "$jobs" --target unit_tests
    ctest --test-dir build -L unit -j "$jobs" --output-on-failure
    exit
    ;;
"") ;;
*)
    echo "usage: tools/test.sh [--unit | --format]" >&2
    exit 2
    ;;
esac

run_suite() {
    local dir=$1
    shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null &&
        cmake --build "$dir" -j "$jobs" &&
        (cd "$dir" && ctest --output-on-failure -j "$jobs" ${CTEST_ARGS:-})
}

# A formatting difference fails the run, but only at the end: the tests
# still say what they have to say.
echo "== formatting =="
format_status=0
check_format || format_status=1
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
echo "== fuzzing, a short run of every reader (tools/fuzz.sh ${FC_FUZZ_SECONDS:-20}) =="
# A crash, leak or hang fails the run and leaves its reproducer in
# build-fuzz/crashes/ (the output names it).
fuzz_status=0
bash tools/fuzz.sh "${FC_FUZZ_SECONDS:-20}" || fuzz_status=1
if [ "$fuzz_status" -ne 0 ]; then
    echo "the fuzzers found a fault (reproducers in build-fuzz/crashes/)" >&2
    exit 1
fi
if [ "$format_status" -ne 0 ]; then
    echo "the formatting check failed (files listed above)" >&2
    exit 1
fi
exit $status
