#!/usr/bin/env bash
# Fuzz campaigns with the libFuzzer targets of fuzz/ (docs/fuzzing.md).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   build the `fuzz` preset, then run each target
#                                           for SECONDS (default 600 = 10 min)
#   scripts/fuzz.sh --smoke [TARGET...]     about 3 s per target, corpus left as it is,
#                                           from a sample of it (below)
#
# TARGET: a target of fuzz/CMakeLists.txt without its fuzz_ prefix, e.g. dns, tls,
# lpc_frontend (default: every target the build produced). Each run starts from
# fuzz/corpus/<target>/ (plus its dictionary for generated targets); new inputs go
# to a scratch folder below build/fuzz and, after a campaign (not a smoke run), those
# that add coverage are merged into fuzz/corpus/<target>/ (libFuzzer -merge=1).
# Differential targets (interp_*) keep their corpus's size (at least 40 inputs),
# picked for coverage (fuzz/pick_seeds.py) instead. Crashes, leaks, timeouts and out-of-memory inputs
# are written into fuzz/regressions/<target>/ (interp_<type>: <type>'s), which
# ctest replays in every test run: add them to the commit that fixes the bug.
# One summary line per target with libFuzzer's final coverage (cov: edges,
# ft: features, corp: corpus size).
#
# Exit status: 0 when no target found anything, 1 when one did, 2 on a usage or
# build error. LP_JOBS sets the build parallelism (default 2). LP_FUZZ_PRESET names
# another configure preset with LP_BUILD_FUZZ to build and run (default fuzz; CI's
# smoke uses ci-clang-asan, whose build it has already made).
set -euo pipefail

cd "$(dirname "$0")/.."
preset="${LP_FUZZ_PRESET:-fuzz}"
bin_dir="build/$preset/fuzz"

usage() {
  sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

seconds=600
smoke=0
if [[ $# -gt 0 ]]; then
  case "$1" in
    --smoke) smoke=1; seconds=3; shift ;;
    -h|--help) usage ;;
    ''|*[!0-9]*) ;;  # not a number: a target name
    *) seconds="$1"; shift ;;
  esac
fi
targets=("$@")

jobs="${LP_JOBS:-2}"
echo "fuzz.sh: building the $preset preset" >&2
if ! { cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" --target lp_fuzzers -j "$jobs" >/dev/null; }; then
  echo "fuzz.sh: FAILED: build (rerun: cmake --build --preset $preset --target lp_fuzzers)" >&2
  exit 2
fi

# Every libFuzzer binary the build produced is a target (not the replay
# executables a test build adds).
all_targets=()
for bin in "$bin_dir"/fuzz_*; do
  [[ -f "$bin" && -x "$bin" && $bin != *_replay ]] && all_targets+=("${bin##*/fuzz_}")
done
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (have: ${all_targets[*]})" >&2; usage; }
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
summary=()
for t in "${targets[@]}"; do
  bin="$bin_dir/fuzz_$t"
  corpus="fuzz/corpus/$t"
  regressions="fuzz/regressions/$t"
  # A differential target of a shipped type (interp_<type>) replays that type's
  # regressions: its findings go there.
  [[ $t == interp_* && -d "fuzz/regressions/${t#interp_}" ]] && regressions="fuzz/regressions/${t#interp_}"
  work="build/$preset/fuzz-work/$t"
  log="$work/fuzz.log"
  rm -rf "$work/new"
  mkdir -p "$work/new" "$corpus" "$regressions"
  flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
         -artifact_prefix="$regressions/")
  [[ -f "$bin_dir/fuzz_$t.dict" ]] && flags+=(-dict="$bin_dir/fuzz_$t.dict")
  echo "fuzz.sh: $t: fuzzing for $seconds s (log: $log)" >&2
  start=$SECONDS
  result=ok
  # The first folder receives new inputs; the corpus is only read. A smoke run
  # starts from at most 64 of its inputs, evenly spaced in name order: loading
  # the whole corpus took most of its time, and ctest has just replayed every
  # input through the same binaries (label fuzz); the smoke is there to run the
  # fuzzing loop, the structure-aware mutator included, on real inputs.
  read_from="$corpus"
  if [[ $smoke -eq 1 ]]; then
    read_from="$work/sample"
    rm -rf "$read_from"
    mkdir -p "$read_from"
    mapfile -t inputs < <(find "$corpus" -type f | LC_ALL=C sort)
    step=$(((${#inputs[@]} + 63) / 64))
    for ((i = 0; i < ${#inputs[@]}; i += step)); do cp "${inputs[i]}" "$read_from/"; done
  fi
  if ! "$bin" "${flags[@]}" "$work/new" "$read_from" >"$log" 2>&1; then
    result="FOUND A BUG: see $log and the new file(s) in $regressions/"
    status=1
  fi
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)
  merged=""
  if [[ $smoke -eq 0 && $result == ok ]]; then
    before=$(find "$corpus" -type f | wc -l)
    if [[ $t == interp_* ]]; then
      # Differential targets keep a small corpus (every test run replays it under
      # ASan): as many inputs as it has (at least 40), picked for coverage from
      # it and the new ones (fuzz/pick_seeds.py).
      rm -rf "$work/picked"
      if fuzz/pick_seeds.py -n $((before > 40 ? before : 40)) -o "$work/picked" "$bin" "$corpus" \
           "$work/new" 2>"$work/merge.log"; then
        find "$corpus" -type f -delete
        cp "$work/picked"/* "$corpus"/
      fi
      merged=", $(find "$corpus" -type f | wc -l) input(s) picked into $corpus (was $before)"
    else
      "$bin" -merge=1 "$corpus" "$work/new" >"$work/merge.log" 2>&1 || true
      after=$(find "$corpus" -type f | wc -l)
      merged=", $((after - before)) input(s) merged into $corpus"
    fi
  fi
  summary+=("fuzz.sh: $t: $((SECONDS - start)) s, ${cov:-no coverage line}${merged}: $result")
done
printf '%s\n' "${summary[@]}"
exit $status
