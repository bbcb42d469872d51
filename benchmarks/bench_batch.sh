#!/usr/bin/env bash
# formcheck batch's throughput and memory: N synthetic single-leg squat
# sessions (5 reps, 9.8 s at 30 Hz each) through `formcheck batch --jobs J`
# into a fresh SQLite database, then the same batch again (everything
# skipped). Prints the machine load, the wall time and peak memory of each
# pass, and the batch's own one-line JSON summary (its analysis_seconds and
# database_seconds split the workers' time).
#
#     bash benchmarks/bench_batch.sh [N=1000] [JOBS=2]    # FORMCHECK=path/to/formcheck
set -euo pipefail
fc=$(realpath "${FORMCHECK:-build/formcheck}")
n=${1:-1000}
jobs=${2:-2}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
"$fc" synth --exercise single-leg-squat-left --reps 5 --out base.csv >/dev/null
mkdir rec
for i in $(seq 1 "$n"); do ln -f base.csv "rec/r$i.csv"; done
{
    echo path,patient,exercise
    for i in $(seq 1 "$n"); do echo "rec/r$i.csv,P$((i % 50)),single-leg-squat-left"; done
} >m.csv
echo "recordings: $n, jobs: $jobs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for pass in first rerun; do
    /usr/bin/time -f "$pass pass: %e s wall, peak RSS %M KB" "$fc" batch -q --jobs "$jobs" --out o m.csv
done
echo "database: $(du -k o/formcheck.db | cut -f1) KB"
