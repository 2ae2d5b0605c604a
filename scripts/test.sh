#!/usr/bin/env bash
# README command 2 and what CI runs: on a fresh machine, install what is missing
# (scripts/setup.sh), then for each CI preset -- ci-gcc (g++, warnings are errors)
# and ci-clang-asan (clang++ with AddressSanitizer and UBSan) -- configure, build
# and run every test. Stops at the first failure and names it.
#   LP_JOBS      build and test parallelism (default 2)
#   LP_PRESETS   the presets to run, space-separated (default "ci-gcc ci-clang-asan")
#   LP_FUZZ_SMOKE  1 (default): then run every libFuzzer target for about 3 s
#                (scripts/fuzz.sh --smoke) with the binaries ci-clang-asan built
#                (LP_BUILD_FUZZ), or the `fuzz` preset's when ci-clang-asan is not
#                among LP_PRESETS; 0: skip
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs="${LP_JOBS:-2}"
read -r -a presets <<<"${LP_PRESETS:-ci-gcc ci-clang-asan}"
total_start=$SECONDS

# phase <name> <command>...: runs the command, prints how long it took, and stops
# the script with a message naming the phase if it fails.
phase() {
  local name="$1"
  shift
  local start=$SECONDS status=0
  echo "test.sh: == $name" >&2
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "test.sh: FAILED: $name (exit $status, after $((SECONDS - start)) s): $*" >&2
    exit "$status"
  fi
  echo "test.sh: $name: ok ($((SECONDS - start)) s)" >&2
}

phase "setup" scripts/setup.sh
for preset in "${presets[@]}"; do
  phase "$preset: configure" cmake --preset "$preset"
  phase "$preset: build" cmake --build --preset "$preset" --parallel "$jobs"
  phase "$preset: test" ctest --preset "$preset" --parallel "$jobs"
done
if [ "${LP_FUZZ_SMOKE:-1}" = 1 ]; then
  fuzz_preset=fuzz
  [[ " ${presets[*]} " == *" ci-clang-asan "* ]] && fuzz_preset=ci-clang-asan
  phase "fuzz: smoke ($fuzz_preset)" env LP_FUZZ_PRESET="$fuzz_preset" scripts/fuzz.sh --smoke
fi
echo "test.sh: all passed (${presets[*]}) in $((SECONDS - total_start)) s" >&2
