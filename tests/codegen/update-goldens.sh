#!/usr/bin/env bash
# Regenerates the compiler's golden files on purpose, after a change that is meant
# to alter them. Review the result with `git diff tests/codegen` before committing:
# the goldens are the compiler's specification, a diff is a behaviour change.
#
#   tests/codegen/update-goldens.sh [--lpc PATH] [KIND...]
#
# KIND is one of the update_<kind> functions below (default: all of them):
#   diagnostics  tests/codegen/diagnostics/<name>.expected, lpc's stderr for <name>.lps
#   headers      tests/codegen/backend/golden/<header>, the header lpc writes for each schema
#   fuzzers      tests/codegen/backend/fuzz_golden/, lpc --emit-fuzzer Ipv4 on net/ipv4.lps
#
# lpc is --lpc PATH, else $LPC, else the newest build*/codegen/lpc of the source tree.
# Build it first (ninja -C build lpc). The ctests that compare against the goldens
# run lpc exactly as this script does.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

lpc="${LPC:-}"
kinds=()
while [ $# -gt 0 ]; do
  case "$1" in
    --lpc) lpc="$2"; shift 2 ;;
    --lpc=*) lpc="${1#--lpc=}"; shift ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) kinds+=("$1"); shift ;;
  esac
done

if [ -z "$lpc" ]; then
  lpc="$(ls -t "$root"/build*/codegen/lpc 2>/dev/null | head -n 1 || true)"
fi
if [ -z "$lpc" ] || [ ! -x "$lpc" ]; then
  echo "update-goldens.sh: no lpc executable found; build one or pass --lpc PATH" >&2
  exit 2
fi
lpc="$(cd "$(dirname "$lpc")" && pwd)/$(basename "$lpc")"

# Each broken schema's diagnostics, from `lpc --check` run in the schema's folder
# (short, machine-independent paths), as tests/codegen/diagnostics/run_diag_test.cmake
# runs it. Every schema there must fail: lpc has to exit with status 1.
update_diagnostics() {
  local dir="$here/diagnostics" count=0 status schema name
  for schema in "$dir"/*.lps; do
    name="$(basename "$schema" .lps)"
    status=0
    (cd "$dir" && "$lpc" --check --color never "$name.lps") >/dev/null 2>"$dir/$name.expected" ||
      status=$?
    if [ "$status" -ne 1 ]; then
      echo "update-goldens.sh: $name.lps: lpc exited with $status, expected 1" >&2
      return 1
    fi
    count=$((count + 1))
  done
  # An .expected file whose schema is gone would never be checked again.
  for schema in "$dir"/*.expected; do
    [ -e "${schema%.expected}.lps" ] || echo "update-goldens.sh: stale golden ${schema#"$root"/}" >&2
  done
  echo "diagnostics: $count goldens in ${dir#"$root"/}"
}

# Generated headers and source files of a small set of schemas, and the
# header-only header of two, compared byte for byte by the golden_header.* ctests
# (tests/codegen/backend/golden_header_test.cmake), which run lpc the same way:
# in the import folder, with the schema's relative path.
# Keep this list in step with lp_golden_schemas in tests/codegen/backend/CMakeLists.txt.
update_headers() {
  local golden="$here/backend/golden" count=0 entry import_dir schema header source scratch
  scratch="$(mktemp -d)"
  for entry in "$here/backend/schemas|demo/features.lps" \
               "$here/backend/schemas|demo/checksums.lps" \
               "$here/backend/schemas|demo/serialize.lps" \
               "$here/backend/schemas|demo/cycle_a.lps" \
               "$here/backend/schemas|demo/cycle_b.lps" \
               "$root/schemas|net/udp.lps" \
               "$root/schemas|net/ipv4.lps" \
               "$root/schemas|net/ethernet.lps" \
               "$root/schemas|net/tcp.lps" \
               "$root/schemas|net/dns.lps" \
               "$root/schemas|net/udp.lps|header-only" \
               "$here/backend/schemas|demo/cycle_a.lps|header-only"; do
    import_dir="${entry%%|*}"
    schema="${entry#*|}"
    rm -rf "$scratch" && mkdir -p "$scratch"
    if [[ "$schema" == *"|header-only" ]]; then
      schema="${schema%|header-only}"
      header="${schema%.lps}.lp.hpp"
      (cd "$import_dir" && "$lpc" -I . -o "$scratch" --color never --header-only "$schema")
      mkdir -p "$(dirname "$golden/header_only/$header")"
      cp "$scratch/$header" "$golden/header_only/$header"
    else
      header="${schema%.lps}.lp.hpp"
      source="${schema%.lps}.lp.cpp"
      (cd "$import_dir" && "$lpc" -I . -o "$scratch" --color never "$schema")
      mkdir -p "$(dirname "$golden/$header")"
      cp "$scratch/$header" "$golden/$header"
      cp "$scratch/$source" "$golden/$source"
    fi
    count=$((count + 1))
  done
  rm -rf "$scratch"
  echo "headers: $count goldens in ${golden#"$root"/}"
}

# The fuzz target and dictionary lpc --emit-fuzzer writes for net/ipv4.lps's Ipv4,
# through the same script the golden_fuzzer.* ctest runs (fuzz/golden_fuzzer_test.cmake).
update_fuzzers() {
  local scratch
  scratch="$(mktemp -d)"
  cmake -DLPC="$lpc" -DIMPORT_DIR="$root/schemas" -DSCHEMA=net/ipv4.lps -DTYPE=Ipv4 \
        -DGOLDEN_DIR="$here/backend/fuzz_golden" -DWORK_DIR="$scratch" -DUPDATE=ON \
        -P "$root/fuzz/golden_fuzzer_test.cmake"
  rm -rf "$scratch"
  echo "fuzzers: goldens in tests/codegen/backend/fuzz_golden"
}

if [ ${#kinds[@]} -eq 0 ]; then
  kinds=(diagnostics headers fuzzers)
fi
for kind in "${kinds[@]}"; do
  if ! declare -F "update_$kind" >/dev/null; then
    echo "update-goldens.sh: unknown kind '$kind' (diagnostics, headers, fuzzers)" >&2
    exit 2
  fi
  "update_$kind"
done
