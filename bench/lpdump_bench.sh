#!/usr/bin/env bash
# lpdump throughput against tcpdump and tshark (a script, not a test).
#
# Builds lpdump (preset default, Release), concatenates the local captures of
# ../shared/corpus/local with mergecap until the file holds about LP_BENCH_PACKETS
# packets (100,000), then times, each writing to /dev/null:
#   lpdump --json, lpdump --stats, lpdump -j 2 --json, tcpdump -nr FILE -v,
#   tshark -T json (on a slice of LP_BENCH_TSHARK_PACKETS packets; its rate scales),
# and lpdump --json on a file four times larger (peak memory must not grow).
# Packets/s and peak RSS (/usr/bin/time -v) go into the "lpdump" section of
# docs/performance.md, which is replaced; the rest of the page is left alone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
target_packets="${LP_BENCH_PACKETS:-100000}"
tshark_packets="${LP_BENCH_TSHARK_PACKETS:-5000}"
corpus="${LP_CORPUS:-../shared/corpus}/local"
work="build/lpdump-bench"
mkdir -p "$work"

for tool in mergecap editcap capinfos tcpdump tshark /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "lpdump_bench: $tool is missing (scripts/setup.sh)" >&2; exit 1; }
done

cmake --preset default >/dev/null
cmake --build --preset default --parallel "${LP_JOBS:-2}" --target lpdump
lpdump=build/default/tools/lpdump/lpdump

packets_of() { capinfos -M -c -T "$1" | tail -1 | cut -f2; }

# The local captures concatenated once (pcap: every tool reads it).
mergecap -F pcap -a -w "$work/once.pcap" "$corpus"/*.pcap "$corpus"/*.pcapng
once=$(packets_of "$work/once.pcap")
copies=$(((target_packets + once - 1) / once))
files=()
for ((i = 0; i < copies; i++)); do files+=("$work/once.pcap"); done
mergecap -F pcap -a -w "$work/merged.pcap" "${files[@]}"
mergecap -F pcap -a -w "$work/merged4.pcap" "$work/merged.pcap" "$work/merged.pcap" \
  "$work/merged.pcap" "$work/merged.pcap"
editcap -r "$work/merged.pcap" "$work/slice.pcap" "1-$tshark_packets"
packets=$(packets_of "$work/merged.pcap")
packets4=$(packets_of "$work/merged4.pcap")
size_mb=$(($(stat -c %s "$work/merged.pcap") / 1000000))

# measure NAME PACKETS COMMAND...: best wall time of three runs, peak RSS.
rows=()
measure() {
  local name="$1" n="$2"
  shift 2
  local best="" rss=0
  for _ in 1 2 3; do
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>>"$work/stderr.txt" || true
    local wall kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then best="$wall"; fi
    if [ "$kb" -gt "$rss" ]; then rss="$kb"; fi
  done
  local rate
  rate=$(awk -v n="$n" -v s="$best" 'BEGIN {printf "%.0f", n / (s > 0 ? s : 0.001)}')
  rows+=("| $name | $n | $best | $rate | $((rss / 1024)) |")
  echo "lpdump_bench: $name: $n packets in $best s, $rate packets/s, peak RSS $((rss / 1024)) MiB" >&2
}

measure "lpdump --json" "$packets" "$lpdump" --json "$work/merged.pcap"
measure "lpdump --stats" "$packets" "$lpdump" --stats "$work/merged.pcap"
measure "lpdump -j 2 --json" "$packets" "$lpdump" -j 2 --json "$work/merged.pcap"
measure "lpdump (tree)" "$packets" "$lpdump" "$work/merged.pcap"
measure "lpdump --json, 4x file" "$packets4" "$lpdump" --json "$work/merged4.pcap"
measure "tcpdump -nr FILE -v" "$packets" tcpdump -nr "$work/merged.pcap" -v
measure "tshark -T json (slice)" "$tshark_packets" tshark -n -r "$work/slice.pcap" -T json

table=$(
  echo "## lpdump against tcpdump and tshark"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`bench/lpdump_bench.sh\` on $(nproc) cores shared with other work"
  echo "($(uname -m), $(g++ --version | head -1)): the local captures of ../shared/corpus"
  echo "concatenated $copies times ($packets packets, $size_mb MB, pcap), output to /dev/null,"
  echo "best wall time of three runs; peak RSS from \`/usr/bin/time -v\`. tshark runs on the"
  echo "first $tshark_packets packets (its rate is per packet, so it scales)."
  echo
  echo "| command | packets | seconds | packets/s | peak RSS (MiB) |"
  echo "|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
)
doc=docs/performance.md
# Replace the section from its heading to the next "## " heading (or the end).
awk -v table="$table" '
  /^## lpdump against tcpdump and tshark/ {skip = 1; next}
  skip && /^## / {skip = 0}
  !skip {print}
  END {print ""; print table}
' "$doc" >"$work/performance.md"
mv "$work/performance.md" "$doc"
echo "lpdump_bench: table written to $doc" >&2
