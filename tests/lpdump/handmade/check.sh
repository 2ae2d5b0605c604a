#!/usr/bin/env bash
# lpdump --json on the hand-built captures of issue 21 against tshark 4.0's
# dissection of them (tests/lpdump/handmade/*.tshark.jsonl, made by
# ../shared/corpus/tshark_fields.py), scored by the corpus's compare.py.
#
# usage: check.sh LPDUMP CORPUS OUT
# Exit: 0 when agree.pcapng agrees on every field, 1 otherwise, 77 (ctest
# SKIP) when the corpus (compare.py) or python3 is missing.
set -uo pipefail
lpdump="$1" corpus="$2" out="$3"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../require_corpus.sh" "$corpus"
mkdir -p "$out"
"$lpdump" --json --no-progress "$here/agree.pcapng" >"$out/agree.jsonl" || exit 1
python3 "$corpus/compare.py" "$here/agree.tshark.jsonl" "$out/agree.jsonl" -n 20 --min-pct 100
