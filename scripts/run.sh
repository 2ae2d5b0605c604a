#!/usr/bin/env bash
# README command 1: on a fresh machine, install what is missing (scripts/setup.sh),
# configure and build the `default` preset (only what the sample needs), then run
# lpsample on the bundled packet. Arguments are passed to lpsample
# (`scripts/run.sh path/to/frame.hex`). LP_JOBS sets the build's parallelism (2).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs="${LP_JOBS:-2}"

# phase <name> <command>...: runs the command, prints how long it took, and stops
# the script with a message naming the phase if it fails.
phase() {
  local name="$1"
  shift
  local start=$SECONDS status=0
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "run.sh: FAILED: $name (exit $status, after $((SECONDS - start)) s): $*" >&2
    exit "$status"
  fi
  echo "run.sh: $name: ok ($((SECONDS - start)) s)" >&2
}

phase "setup" scripts/setup.sh
phase "configure (preset default)" cmake --preset default
phase "build lpsample" cmake --build --preset default --parallel "$jobs" --target lpsample
echo >&2
exec build/default/tools/lpsample/lpsample "$@"
