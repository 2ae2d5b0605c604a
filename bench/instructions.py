#!/usr/bin/env python3
"""Instructions per packet of each parse_mix reader, counted by callgrind.

usage: instructions.py LP_BENCH OUT_DIR [IMPL ...]

Runs `LP_BENCH --lp_smoke` under callgrind once per reader, collecting only
inside `lp_bench::read_<IMPL>(...)` (--toggle-collect), and prints the
instructions per call of each and their ratio to the first one (default:
handwritten, then generated). --lp_smoke reads the mix once per reader in the
agreement pass (twice for the first reader there) and once more in the
benchmark's single iteration; the call counts come from callgrind's output, not
from that arithmetic. Unlike a timing, the count does not move with the load
of the machine, so two builds compare in one run each; it says nothing of
cache misses or branch prediction. OUT_DIR keeps callgrind.<IMPL>.out for
`callgrind_annotate --auto=yes`. An IMPL with `::` in it names any lp_bench
function instead (`lp_bench::write_generated`, serialize_mix's writer: called
once per packet by the check before timing and once by the iteration).
"""

import os
import subprocess
import sys

IMPLS = ["handwritten", "generated", "protobuf_arena", "protobuf", "protozero", "flatbuffers"]


def function_of(impl: str) -> str:
    """The function callgrind collects in: a reader's, or one named in full."""
    return impl + "(" if "::" in impl else f"lp_bench::read_{impl}("


def count(binary: str, out_dir: str, impl: str) -> tuple[int, int]:
    """(instructions inside the function, calls of it) for one callgrind run."""
    function = function_of(impl)
    out = os.path.join(out_dir, f"callgrind.{impl.replace('::', '_')}.out")
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--compress-strings=no", f"--callgrind-out-file={out}",
         f"--toggle-collect={function}*", binary, "--lp_smoke"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    instructions = None
    calls = 0
    callee = None  # the cfn= line before a calls= line names the function called
    with open(out, encoding="utf-8") as f:
        for line in f:
            if line.startswith("cfn="):
                callee = line[4:]
            elif line.startswith("calls=") and callee is not None:
                if callee.startswith(function):
                    calls += int(line.split()[0][len("calls="):])
                callee = None
            elif line.startswith(("summary:", "totals:")):
                instructions = int(line.split()[1])
    if instructions is None or calls == 0:
        sys.exit(f"instructions.py: {out}: no instruction total or no call of {function}...)")
    return instructions, calls


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, out_dir, impls = sys.argv[1], sys.argv[2], sys.argv[3:] or IMPLS[:2]
    unknown = [i for i in impls if i not in IMPLS and "::" not in i]
    if unknown:
        sys.exit(f"instructions.py: unknown reader {', '.join(unknown)} (one of {', '.join(IMPLS)})")
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for impl in impls:
        print(f"instructions.py: callgrind over {function_of(impl)}...)", file=sys.stderr, flush=True)
        instructions, calls = count(binary, out_dir, impl)
        rows.append((impl, instructions, calls, instructions / calls))
    base = rows[0]
    print(f"| reader | instructions | calls | per call | ÷ {base[0]} |")
    print("|---|---:|---:|---:|---:|")
    for impl, instructions, calls, per_call in rows:
        print(f"| {impl} | {instructions:,} | {calls:,} | {per_call:.0f} | {per_call / base[3]:.2f}× |")


if __name__ == "__main__":
    main()
