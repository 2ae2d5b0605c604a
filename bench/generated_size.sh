#!/usr/bin/env bash
# Size of what lpc writes, and how long lpc takes (a script, not a test;
# docs/performance.md, "Compile time and generated size"). With the lpc of
# build/<preset> (built first):
#   - schemas/net: lines of every header and source file lpc writes (--all) per
#     line of schema (target <= 12), and the largest headers;
#   - all of schemas/: lpc's wall time, median of LP_LPC_RUNS (default 5; target < 1 s).
#   LP_PRESET  the preset whose lpc is used (default default)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
preset="${LP_PRESET:-default}"
runs="${LP_LPC_RUNS:-5}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target lpc --parallel "${LP_JOBS:-2}" >/dev/null
lpc="build/$preset/codegen/lpc"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mapfile -t net < <(find schemas/net -name '*.lps' | sort)
"$lpc" -I schemas -o "$work/net" --all "${net[@]}"
schema_lines=$(cat "${net[@]}" | wc -l)
header_lines=$(find "$work/net" -name '*.lp.hpp' -print0 | xargs -0 cat | wc -l)
source_lines=$(find "$work/net" -name '*.lp.cpp' -print0 | xargs -0 cat | wc -l)
output_bytes=$(find "$work/net" -name '*.lp.[hc]pp' -print0 | xargs -0 cat | wc -c)
echo "schemas/net: $schema_lines schema lines -> $header_lines header lines + $source_lines source lines, $output_bytes bytes"
awk -v h="$header_lines" -v c="$source_lines" -v s="$schema_lines" \
  'BEGIN { printf "lines per schema line, headers and sources (target <= 12): %.1f (headers alone %.1f)\n", (h + c) / s, h / s }'
echo "largest headers:"
find "$work/net" -name '*.lp.hpp' -print0 | xargs -0 wc -l | sort -rn | sed -n '2,4p'

mapfile -t all < <(find schemas -name '*.lps' | sort)
for ((i = 0; i < runs; i++)); do
  start=$(date +%s.%N)
  "$lpc" -I schemas -o "$work/all" --all "${all[@]}"
  end=$(date +%s.%N)
  echo "$start $end" >>"$work/lpc.times"
done
awk '{ print $2 - $1 }' "$work/lpc.times" | sort -n |
  awk -v n="$runs" '{ t[NR] = $1 } END { printf "lpc on all of schemas/ (%d files), median of %d: %.3f s (target < 1 s)\n", '"${#all[@]}"', n, t[int((n + 1) / 2)] }'
