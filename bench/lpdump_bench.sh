#!/usr/bin/env bash
# lpdump throughput against tcpdump and tshark (a script, not a test).
#
# Builds lpdump (preset default, Release), concatenates the local captures of
# ../shared/corpus/local with mergecap until a file holds about LP_BENCH_PACKETS
# packets (100,000), and a second file four times that. Every timed command
# reads the 4x file (about 400,000 packets, 220 MB) and writes to /dev/null:
#   lpdump --json, lpdump --stats, lpdump -j 2 --json, lpdump (tree),
#   tcpdump -nr FILE -v, and tshark -T json on a slice of
#   LP_BENCH_TSHARK_PACKETS packets (its rate is per packet, so it scales).
# Timing: wall clock in nanoseconds (date +%s%N) around a run of the command
# repeated until the run lasts at least LP_BENCH_MIN_SECONDS (1 s), best of
# three runs; packets/s and MB/s from that. Peak RSS comes from a separate
# /usr/bin/time -v run, for lpdump --json on both files (it must not grow).
# The "lpdump against tcpdump and tshark" section of docs/performance.md is
# replaced with the table, the ratios of this run and the targets of issue 5;
# the rest of the page is left alone.
#
# LP_BENCH_LPDUMP=PATH times that lpdump binary instead of building one (to
# compare two builds), LP_BENCH_NO_DOC=1 prints the section instead of
# writing it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
target_packets="${LP_BENCH_PACKETS:-100000}"
tshark_packets="${LP_BENCH_TSHARK_PACKETS:-5000}"
min_seconds="${LP_BENCH_MIN_SECONDS:-1}"
corpus="${LP_CORPUS:-../shared/corpus}/local"
work="build/lpdump-bench"
mkdir -p "$work"

for tool in mergecap editcap capinfos tcpdump tshark /usr/bin/time awk date; do
  command -v "$tool" >/dev/null || { echo "lpdump_bench: $tool is missing (scripts/setup.sh)" >&2; exit 1; }
done

if [ -n "${LP_BENCH_LPDUMP:-}" ]; then
  lpdump="$LP_BENCH_LPDUMP"
else
  cmake --preset default >/dev/null
  cmake --build --preset default --parallel "${LP_JOBS:-2}" --target lpdump
  lpdump=build/default/tools/lpdump/lpdump
fi

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
bytes4=$(stat -c %s "$work/merged4.pcap")
bytes_slice=$(stat -c %s "$work/slice.pcap")
size_mb=$(($(stat -c %s "$work/merged.pcap") / 1000000))
size4_mb=$((bytes4 / 1000000))

now_ns() { date +%s%N; }

# Seconds of CPU (user + system) of this shell's finished children, as the
# builtin `times` wrote them into FILE (its second line). `times` must run in
# the shell whose children are counted, not in a pipe or $(...) of its own.
cpu_in() {
  awk 'NR == 2 {
    s = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
    printf "%.3f", s }' "$1"
}

# seconds_of REPEAT COMMAND...: "WALL CPU" seconds of REPEAT back-to-back runs.
seconds_of() {
  local repeat="$1" start end
  shift
  times >"$work/times0.txt"
  start=$(now_ns)
  for ((r = 0; r < repeat; r++)); do "$@" >/dev/null 2>>"$work/stderr.txt" || true; done
  end=$(now_ns)
  times >"$work/times1.txt"
  awk -v a="$start" -v b="$end" -v c0="$(cpu_in "$work/times0.txt")" -v c1="$(cpu_in "$work/times1.txt")" \
    'BEGIN {printf "%.6f %.3f\n", (b - a) / 1e9, c1 - c0}'
}

# peak_rss_mib COMMAND...: peak resident set of one run.
peak_rss_mib() {
  /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>>"$work/stderr.txt" || true
  awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$work/time.txt"
}

# measure KEY NAME PACKETS BYTES COMMAND...: one table row; the rate of KEY is
# kept in rate[KEY] for the ratios.
declare -A rate cpu_rate
rows=()
measure() {
  local key="$1" name="$2" n="$3" size="$4"
  shift 4
  # How many repeats make a run last min_seconds (from one timed run).
  local once_s repeat best="" best_cpu="" wall cpu
  once_s=$(seconds_of 1 "$@" | cut -d' ' -f1)
  repeat=$(awk -v s="$once_s" -v m="$min_seconds" 'BEGIN {r = (s > 0) ? int(m / s + 0.999) : 1; print (r < 1) ? 1 : r}')
  for _ in 1 2 3; do
    read -r wall cpu < <(seconds_of "$repeat" "$@")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then best="$wall"; fi
    if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN {exit !(a < b)}'; then best_cpu="$cpu"; fi
  done
  local per_run pps mbs cpu_pps rss
  per_run=$(awk -v s="$best" -v r="$repeat" 'BEGIN {printf "%.3f", s / r}')
  pps=$(awk -v n="$n" -v s="$best" -v r="$repeat" 'BEGIN {printf "%.0f", n * r / s}')
  mbs=$(awk -v b="$size" -v s="$best" -v r="$repeat" 'BEGIN {printf "%.1f", b * r / s / 1e6}')
  cpu_pps=$(awk -v n="$n" -v s="$best_cpu" -v r="$repeat" 'BEGIN {printf "%.0f", (s > 0) ? n * r / s : 0}')
  rss=$(peak_rss_mib "$@")
  rate[$key]="$pps"
  cpu_rate[$key]="$cpu_pps"
  rows+=("| $name | $n | $repeat | $per_run | $pps | $mbs | $cpu_pps | $rss |")
  echo "lpdump_bench: $name: $n packets x $repeat in $best s (CPU $best_cpu s), $pps packets/s, $mbs MB/s, $cpu_pps packets per CPU second, peak RSS $rss MiB" >&2
}

big="$work/merged4.pcap"
measure json "lpdump --json" "$packets4" "$bytes4" "$lpdump" --json "$big"
measure stats "lpdump --stats" "$packets4" "$bytes4" "$lpdump" --stats "$big"
measure json2 "lpdump -j 2 --json" "$packets4" "$bytes4" "$lpdump" -j 2 --json "$big"
measure tree "lpdump (tree)" "$packets4" "$bytes4" "$lpdump" "$big"
measure tcpdump "tcpdump -nr FILE -v" "$packets4" "$bytes4" tcpdump -nr "$big" -v
measure tshark "tshark -T json (slice)" "$tshark_packets" "$bytes_slice" tshark -n -r "$work/slice.pcap" -T json
rss1=$(peak_rss_mib "$lpdump" --json "$work/merged.pcap")
rss4=$(peak_rss_mib "$lpdump" --json "$big")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
json_tcpdump=$(ratio "${rate[json]}" "${rate[tcpdump]}")
json_tshark=$(ratio "${rate[json]}" "${rate[tshark]}")
cpu_json_tcpdump=$(ratio "${cpu_rate[json]}" "${cpu_rate[tcpdump]}")
cpu_json_tshark=$(ratio "${cpu_rate[json]}" "${cpu_rate[tshark]}")
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v >= t) ? "met" : "**not met**"}'; }

table=$(
  echo "## lpdump against tcpdump and tshark"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`bench/lpdump_bench.sh\` on $(nproc) cores shared with other work"
  echo "($(uname -m), $(g++ --version | head -1)). Input: the local captures of ../shared/corpus"
  echo "concatenated $((copies * 4)) times ($packets4 packets, $size4_mb MB, pcap); tshark reads its first"
  echo "$tshark_packets packets (its rate is per packet, so it scales). Output to /dev/null. Each row"
  echo "times a run of the command repeated until the run lasts at least $min_seconds s (\"repeats\"),"
  echo "wall clock in nanoseconds, best of three runs; \"seconds\" is one pass over the file."
  echo "\"per CPU s\" divides by the CPU time (user + system) of the best run instead: on a"
  echo "shared machine it is the rate of one core, where wall time also counts the time"
  echo "other work held the core (the load average was $(cut -d' ' -f1 /proc/loadavg) when the run ended)."
  echo "Peak RSS is from \`/usr/bin/time -v\` on one pass."
  echo
  echo "| command | packets | repeats | seconds | packets/s | MB/s | packets per CPU s | peak RSS (MiB) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Ratios of this run (wall; per CPU second in brackets): \`lpdump --json\` is ${json_tcpdump}×"
  echo "(${cpu_json_tcpdump}×) the packets/s of \`tcpdump -nr FILE -v\` and ${json_tshark}× (${cpu_json_tshark}×) those of"
  echo "\`tshark -T json\`. Peak RSS of \`lpdump --json\`: $rss1 MiB on the $size_mb MB file, $rss4 MiB on the"
  echo "$size4_mb MB one."
  echo
  echo "Issue 5's targets against this run:"
  echo
  echo "| target | wall | per CPU second | |"
  echo "|---|---|---|---|"
  echo "| \`--json\` ≥ 3× \`tcpdump -v\` | ${json_tcpdump}× | ${cpu_json_tcpdump}× | $(verdict "$json_tcpdump" 3) / $(verdict "$cpu_json_tcpdump" 3) |"
  echo "| \`--json\` ≥ 100× \`tshark -T json\` | ${json_tshark}× | ${cpu_json_tshark}× | $(verdict "$json_tshark" 100) / $(verdict "$cpu_json_tshark" 100) |"
  echo "| \`--stats\` ≥ 2,000,000 packets/s | ${rate[stats]} | ${cpu_rate[stats]} | $(verdict "${rate[stats]}" 2000000) / $(verdict "${cpu_rate[stats]}" 2000000) |"
  echo "| peak memory independent of file size | $rss1 MiB / $rss4 MiB | | $(awk -v a="$rss1" -v b="$rss4" 'BEGIN {print (b <= a + 2) ? "met" : "**not met**"}') |"
  echo
  echo "Where the time goes, and what is left for a target not met: [lpdump.md](lpdump.md#performance)."
)
if [ -n "${LP_BENCH_NO_DOC:-}" ]; then
  printf '%s\n' "$table"
  exit 0
fi
doc=docs/performance.md
# Replace the section from its heading to the next "## " heading (or the end).
awk -v table="$table" '
  /^## lpdump against tcpdump and tshark/ {skip = 1; next}
  skip && /^## / {skip = 0}
  !skip {print}
  END {print table}
' "$doc" >"$work/performance.md"
mv "$work/performance.md" "$doc"
echo "lpdump_bench: table written to $doc" >&2
