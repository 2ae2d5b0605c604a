#!/usr/bin/env python3
"""Turns lp_bench's JSON output (--benchmark_out) into the markdown tables of
docs/performance.md: per implementation the time per packet, packets/s,
allocations per packet and the ratios to `handwritten` and to `generated`, all
from the same run. With repetitions it uses the medians and shows the spread
(coefficient of variation) of the timings."""

import json
import sys
from collections import defaultdict

PARSE_MIX_ORDER = ["generated", "handwritten", "protobuf_arena", "protobuf", "protozero", "flatbuffers"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def runs_by_name(benchmarks):
    """name -> {"median": run, "cv": run} with repetitions, {"single": run} without."""
    runs = defaultdict(dict)
    for b in benchmarks:
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            runs[name][b["aggregate_name"]] = b
        else:
            runs[name].setdefault("iterations", []).append(b)
    for name, r in runs.items():
        if "median" not in r:
            r["median"] = r["iterations"][-1]
    return runs


def ns_per_item(run):
    return 1e9 / run["items_per_second"]


def cv_text(r):
    cv = r.get("cv")
    return f"{cv['cpu_time'] * 100:.1f}%" if cv else "-"


def parse_mix_table(runs, workload="parse_mix"):
    rows = {}
    for impl in PARSE_MIX_ORDER:
        r = runs.get(f"{workload}/{impl}")
        if r:
            rows[impl] = r
    if not rows:
        return []
    base_hand = ns_per_item(rows["handwritten"]["median"]) if "handwritten" in rows else None
    base_gen = ns_per_item(rows["generated"]["median"]) if "generated" in rows else None
    out = [
        f"`{workload}`:",
        "",
        "| impl | ns/packet | packets/s | allocs/packet | bytes/packet | × handwritten | × generated | cv |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for impl, r in rows.items():
        m = r["median"]
        ns = ns_per_item(m)
        hand = f"{ns / base_hand:.2f}" if base_hand else "-"
        gen = f"{ns / base_gen:.2f}" if base_gen else "-"
        out.append(
            f"| {impl} | {ns:.1f} | {m['items_per_second'] / 1e6:.2f} M | {m['allocs_per_packet']:.2f} "
            f"| {m['bytes_per_packet']:.0f} | {hand} | {gen} | {cv_text(r)} |"
        )
    return out


def access_table(runs):
    sizes = defaultdict(dict)
    for name, r in runs.items():
        parts = name.split("/")
        if parts[0] == "access_small_vs_large" and len(parts) == 3:
            sizes[parts[1]][int(parts[2])] = r
    if not sizes:
        return []
    all_sizes = sorted({s for by_size in sizes.values() for s in by_size})
    head = " | ".join(f"{s} B: ns/access" for s in all_sizes)
    out = [f"| impl | {head} | largest ÷ smallest | allocs/access |",
           "|---|" + "---:|" * (len(all_sizes) + 2)]
    for impl in sorted(sizes):
        by_size = sizes[impl]
        times = [ns_per_item(by_size[s]["median"]) if s in by_size else None for s in all_sizes]
        cells = " | ".join(f"{t:.2f}" if t is not None else "-" for t in times)
        ratio = f"{times[-1] / times[0]:.2f}" if None not in (times[0], times[-1]) else "-"
        allocs = max(by_size[s]["median"].get("allocs_per_access", 0.0) for s in by_size)
        out.append(f"| {impl} | {cells} | {ratio} | {allocs:.0f} |")
    return out


def compile_line(runs):
    r = runs.get("lpc_compile")
    if not r:
        return []
    m = r["median"]
    return [f"`lpc_compile`: {m['cpu_time']:.1f} {m['time_unit']} CPU per compile of {m['schemas']:.0f} schemas "
            f"({m['output_bytes'] / 1000:.0f} kB of headers and sources), cv {cv_text(r)}."]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report.py lp_bench.json")
    data = load(sys.argv[1])
    ctx = data["context"]
    runs = runs_by_name(data["benchmarks"])
    reps = max((b.get("repetitions", 1) for b in data["benchmarks"]), default=1)
    print(f"Run {ctx.get('date', '?')} on {ctx.get('num_cpus', '?')} × {ctx.get('mhz_per_cpu', '?')} MHz, "
          f"{reps} repetition(s) (medians), mix of {ctx.get('mix_packets', '?')} packets, "
          f"checksum {ctx.get('mix_checksum', '?')} agreed by every implementation.")
    for section in (parse_mix_table(runs), parse_mix_table(runs, "parse_headers"), access_table(runs),
                    compile_line(runs)):
        if section:
            print()
            print("\n".join(section))


if __name__ == "__main__":
    main()
