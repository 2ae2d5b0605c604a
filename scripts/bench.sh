#!/usr/bin/env bash
# Builds lp_bench in Release (preset `default`, build/default) and runs it with
# repetitions, then prints the ratio table of docs/performance.md.
#   LP_BENCH_REPETITIONS  repetitions per benchmark (default 5)
#   LP_BENCH_FILTER       --benchmark_filter regex (default: every benchmark)
#   LP_BENCH_OUT          the JSON file written (default build/default/bench.json)
# Extra arguments go to lp_bench (e.g. --benchmark_min_time=0.5).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
repetitions="${LP_BENCH_REPETITIONS:-5}"
filter="${LP_BENCH_FILTER:-.}"
out="${LP_BENCH_OUT:-build/default/bench.json}"

cmake --preset default -DLP_BUILD_BENCH=ON >/dev/null
# One job: the benchmark machine has two shared cores, and building is not timed.
cmake --build --preset default --target lp_bench --parallel 1

build/default/bench/lp_bench \
  --benchmark_repetitions="$repetitions" \
  --benchmark_filter="$filter" \
  --benchmark_format=json --benchmark_out="$out" --benchmark_out_format=json \
  "$@" >/dev/null
python3 bench/report.py "$out"
