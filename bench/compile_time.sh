#!/usr/bin/env bash
# Compile time of generated headers (a script, not a test; docs/performance.md,
# "Compile time and generated size"). Generates schemas/net with the lpc of
# build/<preset> (built first), then compiles two translation units with
# `$CXX -std=c++20 -O2 -c`, alternating, and prints each one's median wall time
# and peak memory and the ratio of the two medians, measured in the same run:
#   bench/compile_time/runtime_only.cpp   the runtime headers generated code includes
#   bench/compile_time/dns_ethernet.cpp   net/dns.lp.hpp + net/ethernet.lp.hpp, parse() on each
#   LP_COMPILE_RUNS  runs of each (default 5)    CXX  the compiler (default g++)
#   LP_PRESET        the preset whose lpc is used (default default)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${LP_COMPILE_RUNS:-5}"
cxx="${CXX:-g++}"
preset="${LP_PRESET:-default}"
scripts/setup.sh time
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target lpc --parallel "${LP_JOBS:-2}" >/dev/null
lpc="build/$preset/codegen/lpc"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$lpc" -I schemas -o "$work/generated" --all schemas/net/dns.lps schemas/net/ethernet.lps

# compile <source> <file of times>: one compilation, its seconds and peak KB appended.
compile() {
  /usr/bin/time -f "%e %M" -a -o "$2" "$cxx" -std=c++20 -O2 -I. -I"$work/generated" \
    -c "$1" -o "$work/out.o"
}
for ((i = 0; i < runs; i++)); do
  compile bench/compile_time/runtime_only.cpp "$work/runtime.times"
  compile bench/compile_time/dns_ethernet.cpp "$work/generated.times"
done

python3 - "$work/runtime.times" "$work/generated.times" "$cxx" "$runs" <<'PY'
import statistics, sys
def load(path):
    rows = [line.split() for line in open(path) if line.strip()]
    return statistics.median(float(r[0]) for r in rows), max(int(r[1]) for r in rows)
rt_s, rt_kb = load(sys.argv[1])
gen_s, gen_kb = load(sys.argv[2])
print(f"{sys.argv[3]} -O2, median of {sys.argv[4]} runs each, alternating")
print(f"{'translation unit':<40}{'seconds':>10}{'peak MB':>10}")
print(f"{'runtime headers only':<40}{rt_s:>10.2f}{rt_kb / 1024:>10.0f}")
print(f"{'net/dns + net/ethernet, parse() each':<40}{gen_s:>10.2f}{gen_kb / 1024:>10.0f}")
print(f"ratio (target <= 2.0): {gen_s / rt_s:.2f}x")
PY
