#!/usr/bin/env python3
"""lpdns against Knot: the same zone, the same queries, the same answers.

Starts lpdns and knotd on loopback with the zone file (dns_servers.py), reads
the zone back from Knot by AXFR, and asks both servers the same queries:

- with dig (`dig -f`, one batch per server, both batches at once): every RRset
  of the zone, an absent type at every name, absent names, CNAME chains,
  delegations and glue, empty non-terminals, names outside the zone, other
  classes and meta types, EDNS sizes 512/1232/4096 and none, TCP, upper and
  mixed case, DO/CD/AD/RD, EDNS versions and options, other opcodes;
- raw from this script (malformed and odd queries, over UDP and TCP, and TCP
  pipelining and split writes), read with dns_wire.py.

Each reply pair must agree on rcode, every header flag (AA and TC included),
the OPT record, the question as sent, and each section's records as a set.
The few differences RFCs leave to the server are accepted explicitly, each
where it arises, and counted in the summary (docs/services.md lists them):

- NOTIFY and UPDATE: Knot implements them (NOTAUTH without an ACL), lpdns does
  not (NOTIMP);
- the EDNS EXPIRE option (RFC 7314): Knot answers it, lpdns ignores it, as
  RFC 6891 §6.1.2 has a responder do with an option it does not implement.

Exit status: 0 when the servers agree, 1 on a difference, 77 (ctest's skip)
when knotd or dig is missing.
"""

import argparse
import collections
import os
import re
import selectors
import socket
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dns_servers  # noqa: E402
import dns_wire  # noqa: E402

SKIP = 77

# Transport and EDNS of a query. dig's batch mode (-f) takes the transport
# only from its command line, and a line's options only as far as its first 13
# words: so one batch per transport, common options on the command line, and
# lines kept short (run_dig() checks dig's echo of each line).
PROFILES = {
    "udp": ("udp", "+bufsize=1232"),
    "udp-noedns": ("udp", "+noedns"),
    "udp-512": ("udp", "+bufsize=512"),
    "udp-4096": ("udp", "+bufsize=4096"),
    "tcp": ("tcp", "+bufsize=1232"),
    "tcp-noedns": ("tcp", "+noedns"),
}
# No recursion, no retry over TCP on TC (the TC reply itself is compared), a
# second try only for a reply lost or late on a busy machine, no cookie unless a
# query asks for one, no EDNS version fallback.
COMMON = ["+norec", "+ignore", "+tries=2", "+timeout=3", "+nocookie", "+noednsneg",
          "+nottlunits", "+nostats"]


class Query:
    def __init__(self, name, qtype, profile="udp", extra="", qclass="IN"):
        self.name = name
        self.qtype = qtype
        self.qclass = qclass
        self.profile = profile
        self.transport = PROFILES[profile][0]
        self.extra = extra

    def dig_line(self):
        return " ".join(f"{self.name} {self.qclass} {self.qtype} {PROFILES[self.profile][1]} "
                        f"{self.extra}".split())

    def __str__(self):
        return f"{self.name} {self.qclass} {self.qtype} [{self.profile}] {self.extra}".rstrip()


# --- The zone, read back from Knot --------------------------------------------------------

def read_zone(port, origin, tsig):
    """{owner: {type: set of rdata text}} from an AXFR of Knot."""
    out = subprocess.run(["dig", "@127.0.0.1", "-p", str(port), "-y", tsig, origin, "AXFR",
                          "+nocmd", "+nostats", "+nottlunits"], capture_output=True, text=True,
                         check=True)
    zone = {}
    for line in out.stdout.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        owner, _ttl, _class, rtype, rdata = line.split(None, 4)
        zone.setdefault(owner.lower(), {}).setdefault(rtype, set()).add(rdata)
    if not zone:
        raise RuntimeError(f"AXFR of {origin} from Knot gave no records:\n{out.stdout}{out.stderr}")
    return zone


def alternate_case(name):
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))


def build_queries(zone, origin):
    queries = []
    profiles = list(PROFILES)
    rrsets = sorted((owner, rtype) for owner, types in zone.items() for rtype in types)
    # Every RRset over UDP with EDNS, then again through the other transports.
    for i, (owner, rtype) in enumerate(rrsets):
        queries.append(Query(owner, rtype))
        queries.append(Query(owner, rtype, profiles[1 + i % (len(profiles) - 1)]))
    # An absent type at every name (NODATA, or a referral, or a CNAME).
    for i, owner in enumerate(sorted(zone)):
        absent = next(t for t in ("TXT", "MX", "AAAA", "SRV", "PTR", "A") if t not in zone[owner])
        queries.append(Query(owner, absent, profiles[i % len(profiles)]))

    def at(label):
        return f"{label}.{origin}" if label != "@" else origin

    # Names whose answers exercise one rule each, through every transport.
    special = [
        ("@", "SOA"), ("@", "NS"), ("@", "MX"), ("@", "TXT"), ("@", "ANY"), ("@", "DS"),
        ("@", "DNSKEY"), ("many-a", "A"), ("big-txt", "TXT"), ("long-txt", "TXT"),
        ("web", "ANY"), ("www", "A"), ("www", "AAAA"), ("www", "CNAME"), ("www", "ANY"),
        ("chain1", "A"), ("chain1", "MX"), ("chain1", "CNAME"), ("dangling", "A"),
        ("outside", "A"), ("into-sub", "A"), ("loop1", "A"), ("loop2", "TXT"),
        ("to-ent", "SRV"), ("to-mail", "MX"), ("to-mail", "A"), ("sub", "NS"), ("sub", "A"),
        ("sub", "DS"), ("sub", "ANY"), ("host.sub", "A"), ("x.y.sub", "A"), ("ns1.sub", "AAAA"),
        ("ext", "NS"), ("ext", "A"), ("a.ext", "MX"), ("mixed", "A"), ("ns.mixed", "A"),
        ("deep.ent.sub2", "NS"), ("ent.sub2", "A"), ("sub2", "NS"), ("x.deep.ent.sub2", "A"),
        ("_tcp", "SRV"), ("_tcp", "A"), ("_sip._tcp", "SRV"), ("_ldap._tcp", "SRV"),
        ("rev", "PTR"), ("2.0.192.rev", "PTR"), ("7.2.0.192.rev", "PTR"), ("nope", "A"),
        ("a.b.nope", "AAAA"), ("x.host001", "A"), ("x.www", "A"), ("x.mixed-case", "A"),
        ("mixed-case", "A"), ("host025", "MX"), ("host150", "ANY"), ("empty-txt", "TXT"),
        ("escapes", "TXT"), ("multi", "TXT"), ("sip", "ANY"),
    ]
    for label, rtype in special:
        for profile in profiles:
            queries.append(Query(at(label), rtype, profile))
    # Case: the question is echoed as sent; lookups ignore case.
    for i, (label, rtype) in enumerate(special + [("host042", "A"), ("ns2", "A")]):
        name = at(label)
        queries.append(Query(name.upper(), rtype, profiles[i % len(profiles)]))
        queries.append(Query(alternate_case(name), rtype, profiles[(i + 3) % len(profiles)]))
    # Outside the zone: REFUSED.
    for name in (".", "com.", "example.org.", "xexample.com.", f"{origin}evil.", "ample.com."):
        queries.append(Query(name, "A"))
        queries.append(Query(name, "SOA", "tcp-noedns"))
    # Other classes, meta and unusual types.
    for qclass in ("CH", "HS", "CLASS254", "CLASS255", "CLASS3"):
        queries.append(Query(origin, "SOA", qclass=qclass))
    # CHAOS: the server's identity and version (both servers are given the same).
    for name in ("version.bind.", "version.server.", "id.server.", "hostname.bind.",
                 "authors.bind.", "VERSION.BIND."):
        queries.append(Query(name, "TXT", qclass="CH"))
        queries.append(Query(name, "TXT", "tcp-noedns", qclass="CH"))
    queries.append(Query("version.bind.", "A", qclass="CH"))
    queries.append(Query("id.server.", "ANY", qclass="CH"))
    for qtype in ("TYPE0", "MAILA", "MAILB", "TYPE65535", "TYPE41", "TYPE99", "RRSIG", "NSEC",
                  "HTTPS", "CAA", "TYPE128", "TYPE249"):
        queries.append(Query(at("www"), qtype))
        queries.append(Query(at("host001"), qtype, "udp-noedns"))
    # Header bits and EDNS: DO, CD, AD and RD; EDNS versions, flags and options.
    for extra in ("+dnssec", "+cd", "+adflag", "+rec", "+zflag", "+ednsflags=0x4000",
                  "+ednsopt=65001:abcd", "+nsid", "+cookie", "+edns=1", "+edns=255",
                  "+dnssec +edns=1", "+subnet=192.0.2.0/24", "+expire"):
        for label, rtype in (("@", "SOA"), ("nope", "A"), ("many-a", "A"), ("sub", "A")):
            queries.append(Query(at(label), rtype, "udp", extra))
        queries.append(Query(at("www"), "A", "tcp", extra))
    # Opcodes other than QUERY (dig puts the question in each).
    for opcode in (1, 2, 3, 4, 5, 6, 15):
        queries.append(Query(origin, "SOA", "udp", f"+opcode={opcode}"))
        queries.append(Query(origin, "SOA", "tcp-noedns", f"+opcode={opcode}"))
    # No question at all: FORMERR.
    queries.append(Query(origin, "SOA", "udp", "+header-only"))
    queries.append(Query(origin, "SOA", "tcp-noedns", "+header-only"))
    return queries


# --- dig batches --------------------------------------------------------------------------

BANNER = re.compile(r"^; <<>> DiG \S+ <<>> (.*)$")
HEADER = re.compile(r"^;; ->>HEADER<<- opcode: (\S+), status: (\S+), id: \d+")
FLAGS = re.compile(r"^;; flags:([a-z ]*); QUERY: (\d+), ANSWER: (\d+), AUTHORITY: (\d+), "
                   r"ADDITIONAL: (\d+)")
SECTION = re.compile(r"^;; (QUESTION|ANSWER|AUTHORITY|ADDITIONAL) SECTION:")


def run_dig(port, queries, transport, workdir, tag):
    """dig's replies to `queries` (all over `transport`), one per query."""
    path = os.path.join(workdir, f"{tag}-{transport}.queries")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(q.dig_line() + "\n" for q in queries))
    command = ["dig", "@127.0.0.1", "-p", str(port), *COMMON,
               "+tcp" if transport == "tcp" else "+notcp", "-f", path]
    out = subprocess.run(command, capture_output=True, text=True, timeout=600)
    banners, replies = parse_dig(out.stdout)
    lines = [q.dig_line() for q in queries]
    if banners != lines:
        wrong = next((b, l) for b, l in zip(banners + [None] * len(lines), lines) if b != l)
        raise RuntimeError(f"dig -f ({tag}, {transport}) did not run the queries as written: "
                           f"{len(banners)} of {len(lines)} echoed, first mismatch {wrong}")
    return replies


def parse_dig(text):
    """dig's echo of each batch line, and per line None for no reply, else its parts."""
    banners = []
    blocks = []
    reply = section = None
    for line in text.splitlines():
        if m := BANNER.match(line):
            reply, section = None, None
            banners.append(m.group(1).strip())
            blocks.append(None)
            continue
        if not blocks or not line.strip():
            continue
        if m := HEADER.match(line):
            reply = blocks[-1] = {"opcode": m.group(1), "status": m.group(2), "edns": None,
                                  "options": [], "question": [], "ANSWER": [], "AUTHORITY": [],
                                  "ADDITIONAL": [], "notes": []}
        elif reply is None:
            continue
        elif m := FLAGS.match(line):
            reply["flags"] = sorted(m.group(1).split())
            reply["counts"] = tuple(int(m.group(i)) for i in range(2, 6))
        elif line.startswith(";; OPT PSEUDOSECTION:"):
            section = "OPT"
        elif m := SECTION.match(line):
            section = m.group(1)
        elif line.lower().startswith(";; warning"):
            # What dig says about the reply, e.g. a malformed packet.
            reply["notes"].append(line)
        elif line.startswith(";;"):
            section = None
        elif section == "OPT" and line.startswith("; EDNS:"):
            reply["edns"] = line
        elif section == "OPT" and line.startswith("; "):
            reply["options"].append(line)
        elif section == "QUESTION":
            reply["question"].append(line)
        elif section in ("ANSWER", "AUTHORITY", "ADDITIONAL"):
            owner, ttl, rclass, rtype, *rdata = line.split(None, 4)
            reply[section].append((owner, ttl, rclass, rtype, rdata[0] if rdata else ""))
    return banners, blocks


def compare_dig(query, knot, lpdns, allowed):
    """Differences between the two replies to `query`, as text; [] when they agree."""
    if knot is None or lpdns is None:
        if knot is None and lpdns is None:
            return []
        return [f"only {'lpdns' if knot is None else 'knotd'} replied"]
    if knot["opcode"] in ("NOTIFY", "UPDATE") and knot["status"] == "NOTAUTH":
        if lpdns["status"] == "NOTIMP" and lpdns["opcode"] == knot["opcode"]:
            allowed["NOTIFY/UPDATE: NOTAUTH from Knot, NOTIMP from lpdns"] += 1
            return []
    differences = []
    if "+expire" in query.extra:
        expire = [o for o in knot["options"] if o.startswith("; EXPIRE:")]
        if expire and [o for o in knot["options"] if o not in expire] == lpdns["options"]:
            allowed["EDNS EXPIRE (RFC 7314): answered by Knot only"] += 1
            knot = dict(knot, options=lpdns["options"])
    for key in ("opcode", "status", "flags", "edns", "options", "question", "notes"):
        if knot.get(key) != lpdns.get(key):
            differences.append(f"{key}: knotd {knot.get(key)} / lpdns {lpdns.get(key)}")
    for section in ("ANSWER", "AUTHORITY", "ADDITIONAL"):
        k, l = set(knot[section]), set(lpdns[section])
        if k != l:
            differences.append(f"{section}: only knotd {sorted(k - l)} / only lpdns {sorted(l - k)}")
    return differences


# --- raw queries --------------------------------------------------------------------------

def header(qid=0x1234, flags=0, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def wire_name(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.rstrip(".").split(".") if l) + b"\0"


def question(name, qtype=1, qclass=1):
    return wire_name(name) + struct.pack("!HH", qtype, qclass)


def opt(payload=1232, version=0, do=False, rdata=b"", ext_rcode=0, name=b"\0"):
    ttl = (ext_rcode << 24) | (version << 16) | (0x8000 if do else 0)
    return name + struct.pack("!HHIH", 41, payload, ttl, len(rdata)) + rdata


def raw_cases(origin):
    """(label, query bytes) pairs sent raw over UDP and TCP."""
    www = f"www.{origin}"
    q = question(www)
    cases = [
        ("empty message", b""),
        ("5 bytes", header()[:5]),
        ("11 bytes", header()[:11]),
        ("header only, QDCOUNT 0", header(qd=0)),
        ("header only, QDCOUNT 1", header()),
        ("QDCOUNT 0 with a question", header(qd=0) + q),
        ("QDCOUNT 2", header(qd=2) + q + question(f"web.{origin}")),
        ("QDCOUNT 2, one question", header(qd=2) + q),
        ("question cut in the name", header() + q[:7]),
        ("question cut before qclass", header() + q[:-2]),
        ("label type 01", header() + b"\x43www" + wire_name(origin) + b"\0\1\0\1"),
        ("label type 10", header() + b"\x83www" + wire_name(origin) + b"\0\1\0\1"),
        ("pointer to itself", header() + b"\xc0\x0c\0\1\0\1"),
        ("pointer forward", header() + b"\xc0\x20\0\1\0\1" + b"\0" * 20),
        ("pointer into the header", header() + b"\x03www\xc0\x04\0\1\0\1"),
        ("name of 256 bytes", header() + b"\x3f" + b"a" * 63 + b"\x3f" + b"b" * 63 + b"\x3f"
         + b"c" * 63 + b"\x3e" + b"d" * 62 + b"\0\0\1\0\1"),
        ("QR set (a response)", header(flags=0x8000) + q),
        ("QR set, NXDOMAIN", header(flags=0x8403) + q),
        ("QR set, QDCOUNT 0", header(flags=0x8000, qd=0)),
        ("QR set, QDCOUNT 2", header(flags=0x8000, qd=2) + q + q),
        ("QR set, trailing bytes", header(flags=0x8000) + q + b"\xde\xad"),
        ("TC set in the query", header(flags=0x0200) + q),
        ("AA set in the query", header(flags=0x0400) + q),
        ("Z bit set", header(flags=0x0040) + q),
        ("RCODE set in the query", header(flags=0x0005) + q),
        ("RA set", header(flags=0x0080) + q),
        ("opcode IQUERY", header(flags=1 << 11) + q),
        ("opcode STATUS", header(flags=2 << 11) + q),
        ("opcode 3", header(flags=3 << 11) + q),
        ("opcode 15, no question", header(flags=15 << 11, qd=0)),
        ("opcode NOTIFY", header(flags=4 << 11 | 0x0400) + question(origin, 6)),
        ("opcode UPDATE", header(flags=5 << 11) + question(origin, 6)),
        ("trailing garbage", header() + q + b"\xde\xad\xbe\xef"),
        ("ANCOUNT 1, no record", header(an=1) + q),
        ("ANCOUNT 1 with a record", header(an=1) + q + b"\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4\1\2\3\4"),
        ("NSCOUNT 1 with a record", header(ns=1) + q + b"\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4\1\2\3\4"),
        ("ARCOUNT 1, no record", header(ar=1) + q),
        ("OPT cut", header(ar=1) + q + opt()[:6]),
        ("OPT rdlength too long", header(ar=1) + q + opt()[:-2] + b"\0\x10"),
        ("two OPT records", header(ar=2) + q + opt() + opt()),
        ("OPT with a non-root owner", header(ar=1) + q + opt(name=b"\1a\0")),
        ("OPT in the answer section", header(an=1) + q + opt()),
        ("OPT payload 0", header(ar=1) + q + opt(payload=0)),
        ("OPT payload 100", header(ar=1) + q + opt(payload=100)),
        ("OPT payload 65535", header(ar=1) + q + opt(payload=65535)),
        ("OPT version 1", header(ar=1) + q + opt(version=1)),
        ("OPT extended rcode set", header(ar=1) + q + opt(ext_rcode=1)),
        ("OPT with DO", header(ar=1) + q + opt(do=True)),
        ("OPT option cut", header(ar=1) + q + opt(rdata=b"\0\x0a\0\x08\1\2")),
        ("OPT unknown option", header(ar=1) + q + opt(rdata=b"\xfd\xe9\0\2\xab\xcd")),
        ("OPT cookie", header(ar=1) + q + opt(rdata=b"\0\x0a\0\x08" + b"\x11" * 8)),
        ("OPT bad cookie length", header(ar=1) + q + opt(rdata=b"\0\x0a\0\x03abc")),
        ("OPT then a TSIG-like record", header(ar=2) + q + opt()
         + b"\0\0\xfa\0\xff\0\0\0\0\0\0"),
        ("AXFR over the transport", header() + question(origin, 252)),
        ("IXFR without SOA", header() + question(origin, 251)),
        ("qtype OPT", header() + question(origin, 41)),
        ("qtype 0", header() + question(www, 0)),
        ("qclass 0", header() + question(www, 1, 0)),
        ("qclass ANY", header() + question(www, 1, 255)),
        ("qclass NONE", header() + question(www, 1, 254)),
        ("qclass CH outside", header() + question("version.bind.", 16, 3)),
        ("upper-case name", header() + question(www.upper())),
        ("root name", header() + question(".", 2)),
        ("id 0", header(qid=0) + q),
        ("id 65535, RD and CD", header(qid=0xFFFF, flags=0x0110) + q),
    ]
    # Bytes that are not DNS at all, of several lengths (fixed, so runs repeat).
    for n in (12, 13, 30, 64, 300):
        cases.append((f"{n} bytes of 0xff", b"\xff" * n))
        cases.append((f"{n} bytes counting", (bytes(range(256)) * 2)[:n]))
    return cases


def udp_replies(port, payloads, wait=2.0):
    """The reply (or None) to each payload, each from its own socket, all in flight at once."""
    sel = selectors.DefaultSelector()
    replies = [None] * len(payloads)
    sockets = []
    for i, payload in enumerate(payloads):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.connect(("127.0.0.1", port))
        s.send(payload)
        sel.register(s, selectors.EVENT_READ, i)
        sockets.append(s)
    deadline = time.monotonic() + wait
    while sel.get_map() and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=max(0.0, deadline - time.monotonic())):
            try:
                replies[key.data] = key.fileobj.recv(65535)
            except ConnectionRefusedError:
                pass
            sel.unregister(key.fileobj)
    for s in sockets:
        s.close()
    return replies


def tcp_replies(port, streams, wait=2.0):
    """What the server sent back on each connection until it closed or `wait` passed.

    Each stream is a list of byte strings written with a short pause between
    them (a query split across segments); the write side is then shut down.
    """
    results = [None] * len(streams)

    def one(i):
        data = b""
        with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
            try:
                for k, piece in enumerate(streams[i]):
                    if k:
                        time.sleep(0.05)
                    s.sendall(piece)
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server closed first: what it sent is still read below
            try:
                while chunk := s.recv(65535):
                    data += chunk
            except OSError:  # a timeout, or a reset after a bad message
                pass
        results[i] = data

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one, range(len(streams))))
    return results


def split_tcp(data):
    """Length-prefixed messages of a TCP reply stream, plus any incomplete tail."""
    messages = []
    while len(data) >= 2:
        n = struct.unpack_from("!H", data)[0]
        if len(data) < 2 + n:
            break
        messages.append(data[2:2 + n])
        data = data[2 + n:]
    return messages, data


def same_raw_reply(knot, lpdns, allowed):
    """Whether two parsed raw replies agree, or differ only as the docs allow."""
    if knot == lpdns:
        return True
    # NOTIFY and UPDATE: NOTAUTH from Knot, NOTIMP from lpdns (module docstring).
    if (knot and lpdns and knot.get("opcode") in (4, 5) and knot.get("rcode") == 9
            and lpdns.get("rcode") == 4 and dict(knot, rcode=4) == lpdns):
        allowed["NOTIFY/UPDATE: NOTAUTH from Knot, NOTIMP from lpdns"] += 1
        return True
    return False


def compare_raw(knot_port, lpdns_port, origin, allowed):
    """Each raw case over UDP, and over TCP followed by a good query on the same
    connection (which shows whether the server kept the connection)."""
    differences = []
    cases = raw_cases(origin)
    payloads = [c[1] for c in cases]
    ports = (knot_port, lpdns_port)
    # Both servers at once: the cases that get no reply cost the wait only once.
    with ThreadPoolExecutor(2) as pool:
        udp = list(pool.map(lambda port: udp_replies(port, payloads), ports))

    def frame(m):
        return struct.pack("!H", len(m)) + m

    follow_up = frame(header(qid=0x7777) + question(f"www.{origin}"))
    www = header(qid=1) + question(f"www.{origin}")
    soa = header(qid=2) + question(origin, 6)
    big = header(qid=3, ar=1) + question(f"big-txt.{origin}", 16) + opt()
    streams = [(f"{label}, then a query", [frame(p) + follow_up]) for label, p in cases] + [
        ("three queries in one segment", [frame(www) + frame(soa) + frame(big)]),
        ("a query split across segments", [frame(www)[:7], frame(www)[7:]]),
        ("length prefix split from the message", [frame(soa)[:1], frame(soa)[1:]]),
        ("length longer than what follows", [b"\x01\x00" + www]),
        ("a complete query then half of one", [frame(soa) + frame(www)[:9]]),
        ("a bad message between two queries", [frame(www) + frame(b"\xff" * 30) + frame(soa)]),
    ]
    with ThreadPoolExecutor(2) as pool:
        tcp = list(pool.map(lambda port: tcp_replies(port, [p for _, p in streams]), ports))
    for (label, _), k, l in zip(cases, *udp):
        pk = None if k is None else dns_wire.parse(k)
        pl = None if l is None else dns_wire.parse(l)
        if not same_raw_reply(pk, pl, allowed):
            differences.append(f"raw UDP '{label}': knotd {pk} / lpdns {pl}")
    for (label, _), k, l in zip(streams, *tcp):
        mk, tail_k = split_tcp(k or b"")
        ml, tail_l = split_tcp(l or b"")
        # RFC 7766 §7 lets replies to pipelined queries come in any order.
        pk = sorted((dns_wire.parse(m) for m in mk), key=repr)
        pl = sorted((dns_wire.parse(m) for m in ml), key=repr)
        agree = len(pk) == len(pl) and all(same_raw_reply(a, b, allowed) for a, b in zip(pk, pl))
        if not agree or bool(tail_k) != bool(tail_l):
            differences.append(f"raw TCP '{label}': knotd {pk} {tail_k!r} / lpdns {pl} {tail_l!r}")
    return differences, len(cases) + len(streams)


# --- main ---------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lpdns", required=True, help="the lpdns executable")
    parser.add_argument("--zone", required=True, help="the zone file both servers serve")
    parser.add_argument("--origin", required=True, help="the zone's origin")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    origin = args.origin if args.origin.endswith(".") else args.origin + "."

    missing = dns_servers.missing_tools("knotd", "dig")
    if missing:
        print(f"SKIP: {' and '.join(missing)} not found "
              "(scripts/setup.sh installs the Debian packages knot and dnsutils)")
        return SKIP

    started = time.monotonic()
    with dns_servers.ServerPair(args.lpdns, args.zone, origin, keep_dir=args.keep) as servers:
        zone = read_zone(servers.knot.port, origin, servers.transfer_tsig)
        queries = build_queries(zone, origin)
        # Four dig batches at once: each server, over UDP and over TCP.
        by_transport = {t: [q for q in queries if q.transport == t] for t in ("udp", "tcp")}
        with tempfile.TemporaryDirectory() as workdir, ThreadPoolExecutor(4) as pool:
            jobs = {(server.name, t): pool.submit(run_dig, server.port, qs, t, workdir, server.name)
                    for server in (servers.knot, servers.lpdns) for t, qs in by_transport.items()}
            replies = {key: job.result() for key, job in jobs.items()}
        allowed = collections.Counter()
        raw_differences, raw_count = compare_raw(servers.knot.port, servers.lpdns.port, origin,
                                                 allowed)
        lpdns_alive = servers.lpdns.process.poll() is None

    failures = []
    answered = 0
    for t, qs in by_transport.items():
        for query, k, l in zip(qs, replies[("knotd", t)], replies[("lpdns", t)]):
            answered += k is not None
            for d in compare_dig(query, k, l, allowed):
                failures.append(f"{query}: {d}")
    failures += raw_differences
    if not lpdns_alive:
        failures.append("lpdns exited during the run")

    print(f"compare: {len(queries)} dig queries ({answered} answered by knotd), "
          f"{raw_count} raw cases, {time.monotonic() - started:.1f} s")
    for reason, count in sorted(allowed.items()):
        print(f"compare: accepted ({count}x): {reason}")
    shown = 50
    for f in failures[:shown]:
        print(f"DIFFERENCE: {f[:2000]}")
    if len(failures) > shown:
        print(f"... and {len(failures) - shown} more")
    if failures:
        print(f"compare: {len(failures)} differences")
        return 1
    print("compare: lpdns and knotd agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
