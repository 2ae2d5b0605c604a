#!/usr/bin/env bash
# Compares net::CoapMessage with tshark, field by field, on hand-built CoAP
# messages in UDP/5683 frames (docs/protocols.md, "CoAP"). Not part of CI: it
# needs tshark and text2pcap.
#
#   tests/net/coap_tshark/run.sh [PATH/TO/lpc]   (default: the newest build*/codegen/lpc)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
lpc="${1:-$(ls -t "$root"/build*/codegen/lpc 2>/dev/null | head -n 1)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$lpc" --header-only -I "$root/schemas" -o "$work/gen" "$root/schemas/net/coap.lps"
g++ -std=c++20 -O1 -I "$work/gen" -I "$root" "$here/dump.cpp" -lfmt -o "$work/dump"
cd "$work"
names="$(python3 "$here/gen.py")"
for f in raw/*.hex; do
  text2pcap -q -u 40000,5683 -4 10.0.0.1,10.0.0.2 "$f" "pcap_$(basename "$f" .hex).pcap" >/dev/null
done
# shellcheck disable=SC2086  # one argument per name
python3 "$here/compare.py" $names
