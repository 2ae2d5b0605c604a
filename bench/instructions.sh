#!/usr/bin/env bash
# Instructions per packet of the parse_mix readers, by callgrind (a script, not
# a test): builds lp_bench with the preset `callgrind` (Release plus -g, in
# build/callgrind), then runs bench/instructions.py, which prints a table of
# instructions per call, the first reader's being the baseline.
#   bench/instructions.sh                        handwritten, generated
#   bench/instructions.sh handwritten protozero  any of the six readers
# Installs valgrind when it is missing (scripts/setup.sh valgrind). The
# callgrind output of each reader stays in build/callgrind/instructions/ for
# `callgrind_annotate --auto=yes FILE` (source lines) or --inclusive=yes.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh valgrind
cmake --preset callgrind >/dev/null
cmake --build --preset callgrind --target lp_bench --parallel "${LP_JOBS:-2}"
python3 bench/instructions.py build/callgrind/bench/lp_bench build/callgrind/instructions "$@"
