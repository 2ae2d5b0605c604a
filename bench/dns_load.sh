#!/usr/bin/env bash
# Load lpdns and Knot with dnsperf in the same run, with the same zone and the
# same worker counts (docs/services.md, "Load"). Prints queries/s, average
# latency and lost queries for 1 and 2 workers.
#
#   bench/dns_load.sh                      # 10 s per server, 1 and 2 workers
#   bench/dns_load.sh --duration 30 --workers 1,2,4 --rounds 3   # medians of 3 alternating runs
#   bench/dns_load.sh --lpdns build/clang/examples/lpdns/lpdns
#   bench/dns_load.sh --smoke              # 1 s, 1 worker: lpdns must lose nothing (ctest)
#
# Builds nothing: it runs the Release build's lpdns (cmake --preset default;
# cmake --build --preset default --target lpdns) unless --lpdns names another.
# Needs knot, dnsutils and dnsperf (scripts/setup.sh installs them).
set -euo pipefail
exec python3 "$(dirname "$0")/dns_load.py" "$@"
