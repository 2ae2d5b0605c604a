#!/usr/bin/env python3
"""Writes the seed corpora and the edge-case regression inputs of fuzz/.

Seeds: a few small real frames from ../shared/corpus/local captures (Ethernet on
loopback: UDP, DNS, ICMP), cut down to each layer, plus packets built byte by
byte; the shipped schemas for lpc_frontend. Regressions: one input per edge case
(empty, 1 byte, truncated header, ihl < 5, ...). Rerun only to regenerate them:
  fuzz/make_seeds.py [path/to/shared/corpus]
Files found by fuzzing are added to fuzz/regressions/<target>/ by scripts/fuzz.sh.
The tls/ and protobuf/ seeds and regressions are not written here: they were built
with the tests' byte-by-byte packets (tests/tls) and `protoc --encode` on
tests/proto/comparison.proto, and are kept as they are.
"""
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus")


def frames(path):
    data = open(path, "rb").read()
    order = "<" if struct.unpack("<I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack(order + "I", data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def write(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data)


def ipv4(payload, proto=17, ihl=5, flags_frag=0, total=None, options=b""):
    total = 4 * ihl + len(payload) if total is None else total
    return (bytes([0x40 | ihl, 0]) + struct.pack(">HHH", total, 0x1234, flags_frag) +
            bytes([64, proto]) + b"\x00\x00" + bytes([10, 0, 0, 1, 10, 0, 0, 2]) + options +
            payload)


def udp(payload, length=None):
    return struct.pack(">HHHH", 53, 1234, 8 + len(payload) if length is None else length, 0) + payload


def ethernet(ether_type, payload):
    return bytes(range(1, 7)) + bytes(range(7, 13)) + struct.pack(">H", ether_type) + payload


local = os.path.join(CORPUS, "local")
real = []
if os.path.isdir(local):
    udp_frames = frames(os.path.join(local, "lo_udp.pcap"))
    real = [("lo_udp_0", udp_frames[0]), ("lo_udp_3", udp_frames[3]),
            ("lo_dns_0", frames(os.path.join(local, "lo_dns.pcap"))[0]),
            ("lo_icmp_0", frames(os.path.join(local, "lo_icmp.pcap"))[0])]
for name, frame in real:
    write("corpus/ethernet", name, frame)
    write("corpus/ipv4", name, frame[14:])
    if frame[14 + 9] == 17:
        write("corpus/udp", name, frame[34:])

# Built byte by byte.
write("corpus/udp", "empty_payload", udp(b""))
write("corpus/ipv4", "options", ipv4(udp(b"ab"), ihl=6, options=b"\x01\x01\x01\x00"))
write("corpus/ipv4", "fragment", ipv4(b"\x00" * 16, flags_frag=0x2000))
write("corpus/ipv4", "tcp", ipv4(b"\x00" * 20, proto=6))
write("corpus/ethernet", "arp", ethernet(0x0806, bytes(28)))
write("corpus/ethernet", "ipv4_udp_padded", ethernet(0x0800, ipv4(udp(b"x"))) + bytes(17))

for schema in ("net/ethernet.lps", "net/ipv4.lps", "net/udp.lps"):
    shutil.copy(os.path.join(ROOT, "schemas", schema),
                os.path.join(HERE, "corpus/lpc_frontend", os.path.basename(schema)))
shutil.copy(os.path.join(ROOT, "tests/codegen/backend/schemas/demo/features.lps"),
            os.path.join(HERE, "corpus/lpc_frontend", "features.lps"))
write("corpus/lpc_frontend", "imports.lps",
      b'package demo;\nimport "net/ipv4.lps";\nendian little;\n'
      b'struct Tunnel {\n  kind: u8 == 4;\n  inner: net.Ipv4;\n  tail: bytes[];\n}\n')

# Edge cases: each must give an lp::Error (or a diagnostic), never a crash.
for target in ("ethernet", "ipv4", "udp", "lpc_frontend"):
    write("regressions/" + target, "empty", b"")
    write("regressions/" + target, "one_byte", b"\x45")
write("regressions/udp", "truncated_header_7", udp(b"")[:7])
write("regressions/udp", "length_below_8", udp(b"", length=7))
write("regressions/udp", "length_beyond_buffer", udp(b"abc", length=0xFFFF))
write("regressions/ipv4", "truncated_header_19", ipv4(b"")[:19])
write("regressions/ipv4", "ihl_below_5", ipv4(b"", ihl=4, total=20))
write("regressions/ipv4", "version_6", b"\x65" + ipv4(b"")[1:])
write("regressions/ipv4", "total_length_below_header", ipv4(b"", total=19))
write("regressions/ipv4", "options_beyond_buffer", ipv4(b"", ihl=15, total=60))
write("regressions/ipv4", "udp_longer_than_region", ipv4(udp(b"abcd", length=20)))
write("regressions/ipv4", "udp_shorter_than_region", ipv4(udp(b"abcd", length=9)))
write("regressions/ethernet", "truncated_header_13", ethernet(0x0800, b"")[:13])
write("regressions/ethernet", "ipv4_ihl_below_5", ethernet(0x0800, ipv4(b"", ihl=4, total=20)))
write("regressions/ethernet", "ipv4_truncated", ethernet(0x0800, ipv4(b"")[:10]))
write("regressions/lpc_frontend", "deep_parentheses",
      b"package p;\nendian big;\nconst X = " + b"(" * 5000 + b"1" + b")" * 5000 + b";\n")
write("regressions/lpc_frontend", "unterminated_comment", b"package p;\n/* no end")
write("regressions/lpc_frontend", "unknown_import", b'package p;\nimport "nope.lps";\n')
write("regressions/lpc_frontend", "not_utf8", b"package \xff\xfe;\nstruct \x80 {}\n")

# lpdump's per-packet path (lpdump_fuzzer.cpp): the first byte picks the link type
# (0: Ethernet, 1: raw IP, ...), the rest is the frame: the Ethernet and IPv4 seeds
# behind their link byte, plus the recursive chains (QinQ, IP-in-IP, IPv6
# extension headers) and a tag stack deeper than ParseOptions::max_depth.
for name in sorted(os.listdir(os.path.join(HERE, "corpus/ethernet"))):
    write("corpus/lpdump", "eth_" + name, b"\x00" + open(os.path.join(HERE, "corpus/ethernet", name), "rb").read())
for name in sorted(os.listdir(os.path.join(HERE, "corpus/ipv4"))):
    write("corpus/lpdump", "raw_" + name, b"\x01" + open(os.path.join(HERE, "corpus/ipv4", name), "rb").read())
dns_query = udp(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07example\x03com\x00\x00\x01\x00\x01")
write("corpus/lpdump", "qinq", b"\x00" + ethernet(0x88A8, b"\x00\x0a\x81\x00" + b"\x00\x64\x08\x00" + ipv4(dns_query)))
write("corpus/lpdump", "ip_in_ip", b"\x01" + ipv4(ipv4(dns_query), proto=4))
ipv6_hop_frag = (b"\x60\x00\x00\x00" + struct.pack(">H", 16 + len(dns_query)) + b"\x00\x40" + b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x01"
                 + b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x02" + b"\x2c\x00\x01\x04\x00\x00\x00\x00" + b"\x11\x00\x00\x00\xde\xad\xbe\xef" + dns_query)
write("corpus/lpdump", "ipv6_hop_by_hop_fragment", b"\x01" + ipv6_hop_frag)
write("regressions/lpdump", "empty_frame", b"\x00")
write("regressions/lpdump", "deep_vlan_stack", b"\x00" + ethernet(0x8100, b"\x00\x01\x81\x00" * 200 + b"\x00\x01\x08\x00" + ipv4(dns_query)))

# lp::StreamReader (stream_fuzzer.cpp): byte 0 the framing (0 DNS over TCP through
# the generated view, 1 through the length prefix with the maximum in the upper
# bits, 2 a capture), byte 1 the number of piece sizes, the sizes (each + 1), the
# stream. DNS over TCP: a query and its answer (a compression pointer); captures:
# the bundled sample.pcap and the same frames as pcapng in two sections.
dns_tcp_query = struct.pack(">H", len(dns_query) - 8) + dns_query[8:]
dns_tcp_answer = (struct.pack(">H", 45) + b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + b"\x07example\x03com\x00\x00\x01\x00\x01"
                  + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\xc0\x00\x02\x01")
dns_tcp = dns_tcp_query + dns_tcp_answer + dns_tcp_query
write("corpus/stream", "dns_view_whole", b"\x00\x00" + dns_tcp)
write("corpus/stream", "dns_view_bytewise", b"\x00\x01\x00" + dns_tcp)
write("corpus/stream", "dns_view_pieces", b"\x00\x03\x02\x1f\x06" + dns_tcp)
write("corpus/stream", "dns_prefix_pieces", b"\xfd\x02\x00\x10" + dns_tcp)
write("corpus/stream", "dns_prefix_small_maximum", b"\x15\x01\x04" + dns_tcp)
sample = open(os.path.join(ROOT, "tools/lpdump/sample.pcap"), "rb").read()


def pcapng_block(o, btype, body):
    body += bytes(-len(body) % 4)
    return struct.pack(o + "II", btype, 12 + len(body)) + body + struct.pack(o + "I", 12 + len(body))


pcapng = b""
for o in (">", "<"):
    pcapng += pcapng_block(o, 0x0A0D0D0A, struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    pcapng += pcapng_block(o, 1, struct.pack(o + "HHI", 1, 0, 0) + struct.pack(o + "HH", 9, 1) + b"\x09\x00\x00\x00" + bytes(4))
    for frame in frames(os.path.join(ROOT, "tools/lpdump/sample.pcap"))[:3]:
        pcapng += pcapng_block(o, 6, struct.pack(o + "IIIII", 0, 0, 1000, len(frame), len(frame)) + frame)
    pcapng += pcapng_block(o, 3, struct.pack(o + "I", 4) + b"abcd")
write("corpus/stream", "pcap_pieces", b"\x02\x04\x00\x0f\x17\x63" + sample)
write("corpus/stream", "pcapng_bytewise", b"\x03\x01\x00" + pcapng)
write("corpus/stream", "pcapng_pieces", b"\x03\x03\x07\x1b\x40" + pcapng)
write("regressions/stream", "empty_dns_stream", b"\x00\x00")
write("regressions/stream", "empty_capture_stream", b"\x02\x00")
write("regressions/stream", "capture_cut_in_magic", b"\x02\x01\x00\xd4\xc3")
write("regressions/stream", "dns_length_above_maximum", b"\x01\x00\x01\x00")
