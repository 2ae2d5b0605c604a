#!/usr/bin/env bash
# Conformance of lpdump --json against tshark (../shared/corpus/README.md):
# runs lpdump over every capture of corpus/dev and corpus/local, writes the
# candidate JSON lines under OUT/<set>/<relative path>.jsonl and scores each set
# with compare.py in folder mode (reference folders laid out the same way).
#
# usage: conformance.sh LPDUMP CORPUS OUT MIN_PCT [compare.py options...]
# Exit: 0 at or above MIN_PCT in every set, 1 below, 77 (ctest SKIP) when the
# corpus or python3 is missing.
set -uo pipefail
lpdump="$1" corpus="$2" out="$3" min_pct="$4"
shift 4
. "$(dirname "$0")/require_corpus.sh" "$corpus"
status=0
for set in dev local; do
  ref="$out/ref/$set" cand="$out/cand/$set"
  rm -rf "$ref" "$cand"
  while IFS= read -r -d '' capture; do
    rel="${capture#"$corpus/$set/"}"
    mkdir -p "$ref/$(dirname "$rel")" "$cand/$(dirname "$rel")"
    cp "$capture.tshark.jsonl" "$ref/$rel.jsonl"
    # Broken files exit 2 after printing what they could: that is expected here.
    timeout 60 "$lpdump" --json --no-progress "$capture" >"$cand/$rel.jsonl" 2>/dev/null
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
      echo "FAIL: lpdump exited $rc on $capture"
      status=1
    fi
  done < <(find "$corpus/$set" \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) -print0 | sort -z)
  echo "== $set"
  python3 "$corpus/compare.py" "$ref" "$cand" --min-pct "$min_pct" "$@" || status=1
done
exit "$status"
