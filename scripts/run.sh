#!/usr/bin/env bash
# README command 1: on a fresh machine, install what is missing (scripts/setup.sh),
# configure and build the `default` preset (only what the sample needs), then run
# lpdump on the bundled capture (tools/lpdump/sample.pcap). Arguments replace the
# default ones (`scripts/run.sh --json my.pcap`). lpsample, the one-packet example,
# is built too (build/default/tools/lpsample/lpsample). LP_JOBS sets the build's
# parallelism (2).
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
phase "build lpdump" cmake --build --preset default --parallel "$jobs" --target lpdump lpsample
echo >&2
if [ "$#" -eq 0 ]; then
  set -- tools/lpdump/sample.pcap
fi
exec build/default/tools/lpdump/lpdump "$@"
