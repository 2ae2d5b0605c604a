#!/usr/bin/env python3
"""lpdns and Knot under the same dnsperf load, in one run (bench/dns_load.sh).

For each worker count, starts lpdns and knotd on loopback with the same zone
and the same number of workers (dns_servers.py: Knot's udp-workers and
tcp-workers, lpdns's --threads), then loads each in turn with dnsperf (the same
query file, clients, outstanding queries and duration) and prints queries per
second, average latency and lost queries. The query file asks for every RRset
of the zone (read back from Knot by AXFR) and, one line in ten, a name that does
not exist.

Exit status 1 when lpdns lost a query or answered none (what the --smoke run in
ctest checks), 77 when knotd, dig or dnsperf is missing.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tests", "lpdns", "compare"))
import dns_servers  # noqa: E402

SKIP = 77


def query_file(port, origin, tsig, path):
    out = subprocess.run(["dig", "@127.0.0.1", "-p", str(port), "-y", tsig, origin, "AXFR",
                          "+nocmd", "+nostats"], capture_output=True, text=True, check=True)
    rrsets = []
    for line in out.stdout.splitlines():
        if line.strip() and not line.startswith(";"):
            owner, _ttl, _class, rtype, _rdata = line.split(None, 4)
            if (owner, rtype) not in rrsets:
                rrsets.append((owner, rtype))
    lines = []
    for i, (owner, rtype) in enumerate(rrsets):
        lines.append(f"{owner} {rtype}")
        if i % 9 == 8:
            lines.append(f"absent-{i}.{origin} A")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def cpu_seconds(pid):
    """User + system CPU time of a process and all its threads so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dnsperf(port, queries, duration, clients, outstanding):
    command = ["dnsperf", "-s", "127.0.0.1", "-p", str(port), "-d", queries, "-c", str(clients),
               "-q", str(outstanding), "-l", str(duration)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)

    def field(pattern):
        m = re.search(pattern, out.stdout)
        if not m:
            raise RuntimeError(f"dnsperf output lacks /{pattern}/:\n{out.stdout}{out.stderr}")
        return float(m.group(1))

    return {
        "qps": field(r"Queries per second:\s+([\d.]+)"),
        "latency_ms": field(r"Average Latency \(s\):\s+([\d.]+)") * 1000,
        "sent": int(field(r"Queries sent:\s+(\d+)")),
        "lost": int(field(r"Queries lost:\s+(\d+)")),
    }


def measure(server, queries, args):
    """One dnsperf run against `server`, with the server's CPU time per query."""
    cpu_before = cpu_seconds(server.process.pid)
    r = dnsperf(server.port, queries, args.duration, args.clients, args.outstanding)
    # The server's own CPU per query: unlike queries/s, it does not depend on
    # what else the machine runs meanwhile.
    answered = r["sent"] - r["lost"]
    cpu = cpu_seconds(server.process.pid) - cpu_before
    r["cpu_us"] = cpu / answered * 1e6 if answered else float("nan")
    return r


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lpdns", default=os.path.join(ROOT, "build/default/examples/lpdns/lpdns"),
                        help="the lpdns executable (default: the Release build's)")
    parser.add_argument("--zone", default=os.path.join(ROOT, "tests/lpdns/compare/example.com.zone"))
    parser.add_argument("--origin", default="example.com.")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--clients", type=int, default=2, help="dnsperf -c")
    parser.add_argument("--outstanding", type=int, default=100, help="dnsperf -q")
    parser.add_argument("--rounds", type=int, default=1,
                        help="runs per server, alternating; the ratios are of the medians")
    parser.add_argument("--smoke", action="store_true",
                        help="one worker, 1 s each: checks lpdns loses nothing (ctest)")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.workers = 1, "1"
    origin = args.origin if args.origin.endswith(".") else args.origin + "."

    missing = dns_servers.missing_tools("knotd", "dig", "dnsperf")
    if missing:
        print(f"SKIP: {' and '.join(missing)} not found "
              "(scripts/setup.sh installs the Debian packages knot, dnsutils and dnsperf)")
        return SKIP
    if not os.access(args.lpdns, os.X_OK):
        print(f"dns_load: no lpdns at {args.lpdns} (cmake --build --preset default --target lpdns)")
        return 2

    print(f"dns_load: dnsperf -c {args.clients} -q {args.outstanding} -l {args.duration}, "
          f"zone {os.path.relpath(args.zone)}")
    print(f"{'workers':>7}  {'server':<6} {'queries/s':>11} {'avg latency':>12} {'lost':>6} "
          f"{'CPU/query':>12}")
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        queries = os.path.join(scratch, "queries.txt")
        for workers in (int(w) for w in args.workers.split(",")):
            with dns_servers.ServerPair(args.lpdns, args.zone, origin, workers=workers) as servers:
                if not os.path.exists(queries):
                    query_file(servers.knot.port, origin, servers.transfer_tsig, queries)
                results = {"knotd": [], "lpdns": []}
                # Rounds alternate the servers, so that both see the same
                # changes in what else the machine runs.
                for _ in range(args.rounds):
                    for server in (servers.knot, servers.lpdns):
                        r = measure(server, queries, args)
                        results[server.name].append(r)
                        print(f"{workers:>7}  {server.name:<6} {r['qps']:>11,.0f} "
                              f"{r['latency_ms']:>9.3f} ms {r['lost']:>6} {r['cpu_us']:>9.2f} us",
                              flush=True)
                kn = {k: statistics.median(r[k] for r in results["knotd"]) for k in ("qps", "cpu_us")}
                lp = {k: statistics.median(r[k] for r in results["lpdns"]) for k in ("qps", "cpu_us")}
                median = " (medians)" if args.rounds > 1 else ""
                print(f"{'':>7}  lpdns/knotd: {lp['qps'] / kn['qps']:.2f}x queries/s, "
                      f"{lp['cpu_us'] / kn['cpu_us']:.2f}x CPU per query{median}")
                for r in results["lpdns"]:
                    if r["lost"] or r["qps"] <= 0:
                        failures.append(f"{workers} workers: lpdns lost {r['lost']} of "
                                        f"{r['sent']} queries, {r['qps']:.0f} queries/s")
                if servers.lpdns.process.poll() is not None:
                    failures.append(f"{workers} workers: lpdns exited during the load")
            stats = [l for l in servers.lpdns.log().splitlines() if l.startswith("lpdns: udp:")]
            if stats:
                print(f"{'':>7}  {stats[-1]}")
    for f in failures:
        print(f"dns_load: FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
