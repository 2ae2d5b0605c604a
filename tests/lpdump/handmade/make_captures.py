#!/usr/bin/env python3
"""Writes the hand-built captures of issue 21, each kind of frame on which lpdump
once disagreed with tshark 4.0, built byte by byte:

  agree.pcapng        frames on which lpdump --json and tshark agree field by field
                      (tests/lpdump/handmade/check.sh, ctest lpdump_handmade);
  differences.pcapng  frames on which they still differ, each for a reason
                      docs/conformance.md gives.

Every TCP case has a connection of its own (its own port), as tshark keeps
state per connection (TLS handshake reassembly, MySQL's switch to TLS).
Standard library only; run it again to regenerate the same bytes:

  python3 make_captures.py [OUT_DIR]
"""
import os
import struct
import sys

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("02000000000a")
IP_A = bytes([192, 0, 2, 1])
IP_B = bytes([192, 0, 2, 10])
IP6_A = bytes.fromhex("20010db8000000000000000000000001")
IP6_B = bytes.fromhex("20010db8000000000000000000000002")


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ethernet(ethertype, payload, dst=MAC_A, src=MAC_B):
    return dst + src + struct.pack("!H", ethertype) + payload


def ipv4(proto, payload, src=IP_B, dst=IP_A):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0,
                         src, dst)
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


def ipv6(next_header, payload):
    return struct.pack("!IHBB", 0x60000000, len(payload), next_header, 64) + IP6_A + IP6_B + payload


def tcp(sport, dport, payload, seq=1, src=IP_B, dst=IP_A):
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, 1, 0x50, 0x18, 1000, 0, 0) + payload
    c = checksum(src + dst + struct.pack("!BBH", 0, 6, len(segment)) + segment)
    return segment[:16] + struct.pack("!H", c) + segment[18:]


def icmp(type_, body):
    message = struct.pack("!BBH", type_, 0, 0) + body
    return message[:2] + struct.pack("!H", checksum(message)) + message[4:]


# ---- pcap and pcapng

def pcapng(path, frames):
    def block(type_, body):
        return struct.pack("<II", type_, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))

    def option(code, value):
        return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)

    # One interface per link type, Ethernet's first.
    link_types = [1] + sorted({f[3] for f in frames} - {1})
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for link_type in link_types:
        out += block(1, struct.pack("<HHI", link_type, 0, 65535))
    for i, frame in enumerate(frames):
        data, wire, comments, link_type = frame
        ts = (1700000000 + i) * 1000000
        body = struct.pack("<IIIII", link_types.index(link_type), ts >> 32, ts & 0xFFFFFFFF,
                           len(data), wire)
        body += data + b"\0" * (-len(data) % 4)
        if comments:
            body += b"".join(option(1, c) for c in comments) + option(0, b"")
        out += block(6, body)
    with open(path, "wb") as f:
        f.write(out)


def frame(data, wire=None, comments=(), link_type=1):
    return (data, len(data) if wire is None else wire, list(comments), link_type)


def cut(data, keep):
    """`data` cut to `keep` bytes by the capture."""
    return frame(data[:keep], len(data))


# ---- pcapng comments: the text up to the first NUL

def comments():
    f = ethernet(0x0800, ipv4(1, icmp(8, struct.pack("!HH", 1, 2) + b"abcd")))
    for text in (b"hello\0world", b"\0after", b"trailing nul\0", b"", b"plain",
                 b"caf\xc3\xa9 \xff bad \x01 ctl \x7f del", b"tab\there \"q\" back\\slash"):
        yield frame(f, comments=[text])


# ---- ARP

def arp(hw_type=1, proto_type=0x0800, hw_size=6, proto_size=4, opcode=1):
    return (struct.pack("!HHBBH", hw_type, proto_type, hw_size, proto_size, opcode) +
            bytes(range(1, 1 + 2 * hw_size + 2 * proto_size)))


def atm_arp(proto_type=0x0800, shtl=20, sstl=0, opcode=1, spln=4, thtl=20, tstl=0, tpln=4):
    header = struct.pack("!HHBBHBBBB", 19, proto_type, shtl, sstl, opcode, spln, thtl, tstl, tpln)
    n = (shtl & 0x3F) + (sstl & 0x3F) + spln + (thtl & 0x3F) + (tstl & 0x3F) + tpln
    return header + bytes(range(1, n + 1))


def arps():
    for args in (dict(), dict(proto_type=0x86DD, proto_size=16), dict(proto_size=16),
                 dict(proto_type=0x1234), dict(proto_type=0xCC), dict(hw_type=6),
                 dict(hw_type=3, hw_size=7), dict(hw_type=3, hw_size=6), dict(hw_type=3, proto_type=0xCC, hw_size=7),
                 dict(hw_type=32, hw_size=20), dict(hw_size=8), dict(hw_size=0), dict(proto_size=0),
                 dict(hw_type=6, proto_type=0x1234, proto_size=6), dict(opcode=99),
                 dict(hw_type=0x100), dict(proto_size=2), dict(opcode=7)):
        yield frame(ethernet(0x0806, arp(**args)))
    # Cut by the capture at every byte, for an opcode of each class tshark has.
    for opcode in (1, 3, 4, 7, 9, 10, 99):
        whole = ethernet(0x0806, arp(opcode=opcode))
        for keep in range(14, len(whole)):
            yield cut(whole, keep)
    # Longer than the frame on the wire (not cut by the capture).
    for opcode in (1, 99):
        whole = ethernet(0x0806, arp(opcode=opcode))
        for keep in (15, 20, 22, 30, 40):
            yield frame(whole[:keep])
    ax25 = ethernet(0x0806, arp(hw_type=3, hw_size=7))
    for keep in (16, 30, len(ax25) - 1):
        yield cut(ax25, keep)
    for args in (dict(), dict(shtl=0x48, thtl=0x48), dict(proto_type=0x1234),
                 dict(spln=0, tpln=16), dict(opcode=99), dict(shtl=0, thtl=0)):
        whole = ethernet(0x0806, atm_arp(**args))
        yield frame(whole)
        yield frame(whole + bytes(10))  # padding
        yield cut(whole, 30)
        yield cut(whole, len(whole) - 1)


# ---- ICMP and ICMPv6 identifiers

def icmps():
    body = struct.pack("!HH", 0x1234, 0x5678) + bytes(8)
    for type_ in range(0, 45):
        yield frame(ethernet(0x0800, ipv4(1, icmp(type_, body))))
    for type_ in (15, 16, 17, 18):
        yield frame(ethernet(0x0800, ipv4(1, icmp(type_, b"\x12\x34\x00"))))
    for type_ in (1, 2, 128, 129, 130, 159, 160, 161, 162):
        yield frame(ethernet(0x86DD, ipv6(58, icmp(type_, body))))
    yield frame(ethernet(0x86DD, ipv6(58, icmp(160, b"\x12"))))


# ---- TLS

def ext(type_, data):
    return struct.pack("!HH", type_, len(data)) + data


def sni(name):
    entry = struct.pack("!BH", 0, len(name)) + name
    return ext(0, struct.pack("!H", len(entry)) + entry)


def client_hello(suites=(0x1301, 0xC02F), exts=None, raw_exts=None, sid=b"", suites_len=None,
                 comp=b"\x00"):
    body = struct.pack("!H", 0x0303) + bytes(32) + bytes([len(sid)]) + sid
    packed = b"".join(struct.pack("!H", s) for s in suites)
    body += struct.pack("!H", len(packed) if suites_len is None else suites_len) + packed
    body += bytes([len(comp)]) + comp
    if raw_exts is not None:
        body += raw_exts
    elif exts is not None:
        joined = b"".join(exts)
        body += struct.pack("!H", len(joined)) + joined
    return body


def server_hello(exts=None):
    body = struct.pack("!H", 0x0303) + bytes(32) + b"\x00" + struct.pack("!HB", 0x1301, 0)
    if exts is not None:
        joined = b"".join(exts)
        body += struct.pack("!H", len(joined)) + joined
    return body


def handshake(type_, body, length=None):
    return bytes([type_]) + (len(body) if length is None else length).to_bytes(3, "big") + body


def record(content_type, fragment, version=0x0301):
    return struct.pack("!BHH", content_type, version, len(fragment)) + fragment


class Ports:
    """A fresh client port per TCP connection."""

    def __init__(self, first):
        self.next = first

    def take(self):
        self.next += 1
        return self.next


def segment(payload, sport, dport=443, seq=1, toward_server=True):
    if toward_server:
        return ethernet(0x0800, ipv4(6, tcp(sport, dport, payload, seq)))
    return ethernet(0x0800, ipv4(6, tcp(dport, sport, payload, seq, IP_A, IP_B), IP_A, IP_B),
                    MAC_B, MAC_A)


GOOD_EXTS = [sni(b"example.com"), ext(10, b"\x00\x04\x00\x1d\x00\x17"), ext(43, b"\x04\x03\x04\x03\x03")]


def tls_agree(ports):
    cases = [
        record(22, handshake(1, client_hello(exts=GOOD_EXTS))),
        # the extensions' list runs past the message: no extension listed
        record(22, handshake(1, client_hello(raw_exts=struct.pack("!H", 40) + sni(b"example.com") +
                                             struct.pack("!HH", 10, 100) + b"\x00\x02"))),
        record(22, handshake(1, client_hello(raw_exts=struct.pack("!H", 100) + sni(b"example.com")))),
        # a server name past its list, then another extension
        record(22, handshake(1, client_hello(exts=[ext(0, b"\x00\x05\x00\x00\x09abc"),
                                                   ext(10, b"\x00\x02\x00\x1d")]))),
        # two names, the second past the list
        record(22, handshake(1, client_hello(exts=[ext(0, b"\x00\x0b\x00\x00\x03abc\x00\x00\x09d")]))),
        # an extension whose length runs past the list
        record(22, handshake(1, client_hello(raw_exts=struct.pack("!H", 14) + ext(10, b"\x00\x02\x00\x1d") +
                                             struct.pack("!HH", 43, 50) + b"\x03\x04"))),
        record(22, handshake(1, client_hello(suites_len=200))),
        # a message longer than its record
        record(22, handshake(1, client_hello(exts=GOOD_EXTS), length=1000)),
        # ServerHello, Certificate, then a message cut by the record's end
        record(22, handshake(2, server_hello(exts=[ext(43, b"\x03\x04")])) + handshake(11, b"\x00\x00\x00") +
               b"\x0e\x00"),
        record(22, handshake(1, client_hello(exts=GOOD_EXTS)) + b"\x01\x00"),
        record(22, handshake(2, server_hello(exts=[ext(43, b"\x03\x04"), ext(51, b"\x00\x1d\x00\x05ab")]))),
        record(22, handshake(99, b"abcd")),
        record(22, handshake(99, b"abcd") + handshake(14, b"")),
        record(22, handshake(99, bytes(12)) + handshake(14, b"")),
        record(22, bytes(5) + bytes(11)),
        record(22, handshake(1, client_hello(exts=[ext(43, b"\x04\x03\x04\x03"), ext(10, b"\x00\x02\x00\x1d")]))),
        record(22, b""),
        record(22, handshake(1, client_hello(raw_exts=struct.pack("!H", 5) + ext(23, b"") + b"\x00"))),
        record(22, handshake(1, client_hello(exts=GOOD_EXTS))) + record(22, handshake(2, server_hello())),
        record(22, handshake(1, b"\x03\x03")),
    ]
    # An extension whose length runs past the list but not past the segment
    # (listed, then a record after it), or past the segment (not listed, and
    # tshark's walk ends: nothing after it).
    done = record(22, handshake(14, b""))
    for length in (3, 50, 1000):
        hello = client_hello(raw_exts=struct.pack("!H", 14) + ext(10, b"\x00\x02\x00\x1d") +
                             struct.pack("!HH", 43, length) + b"\x03\x04")
        cases.append(record(22, handshake(1, hello)))
        cases.append(record(22, handshake(1, hello)) + done)
        cases.append(record(22, handshake(1, hello) + handshake(14, b"")) + record(21, b"\x02\x28"))
        cases.append(record(21, b"\x02\x28") + record(22, handshake(1, hello)) + done)
    for payload in cases:
        yield frame(segment(payload, ports.take()))
    # Every handshake type empty, and some of 12 bytes: those tshark knows
    # (type 6 of 12 bytes, the HelloRetryRequest of TLS 1.3 drafts, is a
    # difference) and some it does not.
    for type_ in range(256):
        yield frame(segment(record(22, handshake(type_, b"")), ports.take()))
    for type_ in (0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 14, 16, 20, 24, 25, 26, 66, 67, 99, 254, 255):
        yield frame(segment(record(22, handshake(type_, bytes(12))), ports.take()))


def mysql_packet(seq, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


GREETING = mysql_packet(0, b"\x0a8.0.36\0" + struct.pack("<I", 42) + b"abcdefgh\0" +
                        struct.pack("<HBHH", 0xFFFF, 0xFF, 2, 0xDFFF) + b"\x15" + bytes(10) +
                        b"ijklmnopqrst\0caching_sha2_password\0")
SSL_REQUEST = mysql_packet(1, struct.pack("<IIB", 0x00FFAA8D | 0x800, 16777216, 255) + bytes(23))


def mysql(port, with_ssl_request):
    """A MySQL connection switching to TLS: greeting, SSL request, ClientHello, ServerHello."""
    ch = record(22, handshake(1, client_hello(exts=[sni(b"db.example")])))
    sh = record(22, handshake(2, server_hello()), version=0x0303)
    if with_ssl_request:
        yield frame(segment(GREETING, port, 3306, 1000, toward_server=False))
        yield frame(segment(SSL_REQUEST, port, 3306, 5000))
    yield frame(segment(ch, port, 3306, 5000 + len(SSL_REQUEST)))
    yield frame(segment(sh, port, 3306, 1000 + len(GREETING), toward_server=False))


# ---- The rules of issue 21's second wave: options, headers cut short, link
# types, offload lengths, DNS's UDP heuristic

def ipv4_options(proto, options, payload):
    options += b"\0" * (-len(options) % 4)
    size = 20 + len(options)
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | size // 4, 0, size + len(payload), 1, 0, 64, proto,
                         0, IP_B, IP_A)
    return header + options + payload


def tcp_options(sport, dport, options, payload):
    options += b"\0" * (-len(options) % 4)
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 1, (20 + len(options)) // 4 << 4, 0x18, 1000,
                       0, 0) + options + payload


def udp(sport, dport, payload, length=None):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload) if length is None else length,
                       0) + payload


def second_wave(ports):
    echo = icmp(8, struct.pack("!HH", 1, 2) + b"abcd")
    alert = record(21, b"\x02\x28")
    # IPv4 options: unknown types, bogus lengths, options too short for their
    # dissector, source routes live and exhausted, options cut by the capture
    for options in (b"\x99\x04\0\0", b"\x03" * 8, b"\x01\x01\x01\x99", b"\x07\x09\0\0",
                    b"\x07\x08\x04" + bytes(5), b"\x94\x03\0", b"\x52\x04\0\0", b"\x86\x05" + bytes(3),
                    b"\x89\x0b\x04\x0a\0\0\x01\x0a\0\0\x02", b"\x83\x0b\x0c\x0a\0\0\x01\x0a\0\0\x02",
                    b"\x82\x04\0\0\x89\x07\x04\x0a\0\0\x01", b"\x00\x89\x07\x04\x0a\0\0\x01"):
        yield frame(ethernet(0x0800, ipv4_options(1, options, echo)))
    for options in (b"\x01\x44\x0c\x05" + bytes(8), b"\x01\x99\x06" + bytes(5)):
        f = ethernet(0x0800, ipv4_options(1, options, echo))
        for keep in range(34, 47):
            yield cut(f, keep)
    # TCP options cut by the capture at every byte, and bogus or short ones
    timestamps = b"\x08\x0a" + struct.pack("!II", 7, 9)
    for options in (b"\x01\x01" + timestamps, b"\x02\x04\x05\xb4\x01\x03\x03\x07\x04\x02\0\0",
                    b"\x30\x28" + bytes(38)):
        f = ethernet(0x0800, ipv4(6, tcp_options(ports.take(), 443, options, alert)))
        for keep in range(54, min(len(f), 80) + 1):
            yield cut(f, keep)
    for options in (b"\x02\x01\0\0", b"\x02\x05" + bytes(6), b"\x04\x03\0\0", b"\x01\x02\x0c" + bytes(9),
                    b"\x05\x04\0\0", b"\x05\x0b" + bytes(9), b"\x1e\x02\0\0", b"\x63\x09\0\0",
                    timestamps + b"\x08\x0a" + struct.pack("!II", 3, 4)):
        yield frame(ethernet(0x0800, ipv4(6, tcp_options(ports.take(), 443, options, alert))))
    # transport headers cut short, by the capture and by the IP length
    for proto, body, n in ((1, echo, 12), (6, tcp_options(ports.take(), 443, b"", b""), 20),
                           (17, udp(1000, 53, bytes(12)), 12)):
        f = ethernet(0x0800, ipv4(proto, body))
        for k in range(n):
            yield cut(f, 34 + k)
            short = bytearray(f[:34 + k])
            short[16:18] = struct.pack("!H", 20 + k)
            yield frame(bytes(short) + f[34 + k:])
    # Ethernet and its EtherTypes: short headers, ISL, RARP, 0x9100, a VLAN tag cut
    e = ethernet(0x0800, ipv4(1, echo))
    for keep in range(0, 16):
        yield cut(e, keep)
    yield frame(bytes.fromhex("01000c000000") + MAC_B + struct.pack("!H", 60) + bytes(60))
    yield frame(ethernet(0x8035, arp(opcode=3)))
    yield frame(ethernet(0x9100, struct.pack("!HH", 5, 0x0800) + ipv4(1, echo)))
    vlan = ethernet(0x8100, struct.pack("!HH", 5, 0x0800) + ipv4(1, echo))
    for keep in range(14, 19):
        yield cut(vlan, keep)
    # IPv4 total length 0 (TSO), a version-6 header under IPv4, IPv6's class cut
    tso = bytearray(ipv4(1, echo))
    tso[2:4] = b"\0\0"
    yield frame(ethernet(0x0800, bytes(tso)))
    yield frame(ethernet(0x0800, bytes(tso)), wire=14 + len(tso) + 70000)
    v6 = ipv6(58, icmp(128, bytes(4)))
    yield frame(ethernet(0x0800, v6))
    for keep in range(15, 19):
        yield cut(ethernet(0x86DD, v6), keep)
    # link types RAW (101), IPV4 (228), IPV6 (229)
    v4 = ipv4(1, echo)
    for link_type in (101, 228, 229):
        for data in (v4, v6, b"\x35" + v4[1:], v4[:1], v4[:7], v4[:9], b"\xff\x03" + v4,
                     bytes(10) + v4, bytes(6) + b"\xff\x03\0\x21" + v4):
            yield frame(data, link_type=link_type)
    # DNS: its heuristic on ports outside tshark's table, and messages cut short
    question = b"\x03www\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
    for flags, counts, body in ((0x0100, (1, 0, 0, 0), question), (0x0100, (1, 0, 0, 10), question),
                                (0x0100, (1, 0, 0, 11), question), (0x0900, (1, 0, 0, 0), question),
                                (0x0100, (2, 0, 0, 0), question), (0x8180, (1, 100, 0, 0), question),
                                (0x8180, (1, 101, 0, 0), question), (0x8180, (0, 0, 0, 0), b"\0"),
                                (0x0100, (1, 0, 0, 0), b"")):
        message = struct.pack("!HHHHHH", 0x1234, flags, *counts) + body
        for dport in (8053, 123):
            yield frame(ethernet(0x0800, ipv4(17, udp(40000, dport, message))))
    message = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + question
    for k in range(0, 6):
        yield frame(ethernet(0x0800, ipv4(17, udp(40000, 53, message[:k]))))


def agree():
    ports = Ports(20000)
    yield from comments()
    yield from arps()
    yield from icmps()
    yield from tls_agree(ports)
    yield from mysql(ports.take(), with_ssl_request=True)
    yield from second_wave(ports)


def differences():
    """Each frame here differs from tshark for a reason docs/conformance.md gives."""
    f = ethernet(0x0800, ipv4(1, icmp(8, struct.pack("!HH", 1, 2))))
    # tshark_fields.py keeps the first comment of a frame only
    yield frame(f, comments=[b"one", b"two"])
    ports = Ports(30000)
    # hellos that break the RFC's limits on their fixed part: tshark reads on
    for hello in (client_hello(suites_len=3, exts=GOOD_EXTS), client_hello(sid=bytes(40), exts=GOOD_EXTS),
                  client_hello(comp=b"", exts=GOOD_EXTS)):
        yield frame(segment(record(22, handshake(1, hello)), ports.take()))
    # TLS 1.3 draft HelloRetryRequest (type 6)
    yield frame(segment(record(22, handshake(6, bytes(12))), ports.take()))
    # MySQL without the SSL request in the capture, and a MySQL packet of 790
    # bytes whose first bytes read as a record header
    yield from mysql(ports.take(), with_ssl_request=False)
    yield frame(segment(mysql_packet(0, b"\x00\x10" + bytes(0x0316 - 2)), ports.take(), 3306,
                        toward_server=False))


def main(out_dir):
    pcapng(os.path.join(out_dir, "agree.pcapng"), list(agree()))
    pcapng(os.path.join(out_dir, "differences.pcapng"), list(differences()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
