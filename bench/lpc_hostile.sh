#!/usr/bin/env bash
# lpc's own speed on hostile schemas (a script, not a test): prints the wall and
# CPU time and peak memory of `lpc -o DIR` on chains of N nested structs, in both
# declaration orders, for N = 500, 1000, 2000, 5000 (or the N given), plus a
# 50,000-term `a + a + ...` under --check. Compile time must stay near-linear in
# the schema's size; tests/codegen/hostile runs the same schemas under a TIMEOUT.
# Builds lpc with the preset `default` unless LPC names an lpc to time.
#   bench/lpc_hostile.sh            N = 500 1000 2000 5000
#   bench/lpc_hostile.sh 100 10000  other sizes (at most 10,000: the nesting limit)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${LPC:-}" ]; then
  cmake --preset default >/dev/null
  cmake --build --preset default --target lpc --parallel "${LP_JOBS:-2}" >/dev/null
  LPC=build/default/codegen/lpc
fi
LPC=$(realpath "$LPC")
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(500 1000 2000 5000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line: kind, N, wall seconds, CPU seconds, peak RSS, header size.
measure() {
  local kind=$1 n=$2 mode=$3
  cmake -DKIND="$kind" -DN="$n" -DOUT="$work/hostile.lps" \
    -P tests/codegen/hostile/make_hostile_schema.cmake
  rm -rf "$work/out"
  local args=(-o "$work/out")
  [ "$mode" = check ] && args=(--check)
  local status=0
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$LPC" "${args[@]}" "$work/hostile.lps" \
    2>"$work/stderr" >/dev/null || status=$?
  read -r wall user sys rss < <(tail -n 1 "$work/time")  # after any "exited with" line
  local header=-
  [ -f "$work/out/hostile.lp.hpp" ] && header="$(( $(stat -c %s "$work/out/hostile.lp.hpp") / 1024 )) KiB"
  printf '| %s | %s | %s | %.2f | %.2f | %d | %s | %s |\n' "$kind" "$n" "$mode" "$wall" \
    "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$header" "$status"
}

echo "lpc: $LPC ($("$LPC" --version)), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| schema | N | mode | wall s | CPU s | peak MiB | header | exit |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  measure nested_chain "$n" generate
  measure nested_forward "$n" generate
done
measure sum_chain 50000 check
