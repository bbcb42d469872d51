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
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

echo "== tests =="
run_suite build
echo "== tests under ASan+UBSan =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan -DFC_SANITIZE=ON
