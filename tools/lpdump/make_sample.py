#!/usr/bin/env python3
"""Writes tools/lpdump/sample.pcap, the capture the README's first command dissects.

Six Ethernet frames built byte by byte (checksums computed), microsecond pcap:
  1 ARP request          who has 192.0.2.1? tell 192.0.2.10
  2 DNS query            192.0.2.10:40000 -> 192.0.2.1:53, A example.com
  3 DNS response         the answer 93.184.216.34 (name compressed to the question)
  4 TCP SYN              port 51000 -> 443, MSS/SACK-permitted/timestamps/NOP/window scale
  5 ICMP echo request    id 0x1234 seq 1, 8 bytes of data
  6 truncated TCP SYN    frame 4 cut to 46 bytes by the snap length (orig_len 74)

Standard library only; run it again to regenerate the same bytes.
"""
import struct
import sys

MAC_A = bytes.fromhex("020000000001")  # 192.0.2.1, the server
MAC_B = bytes.fromhex("02000000000a")  # 192.0.2.10, the client
IP_A = bytes([192, 0, 2, 1])
IP_B = bytes([192, 0, 2, 10])


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ethernet(dst: bytes, src: bytes, ethertype: int, payload: bytes) -> bytes:
    frame = dst + src + struct.pack("!H", ethertype) + payload
    return frame + b"\0" * max(0, 60 - len(frame))  # pad to the minimum frame


def ipv4(src: bytes, dst: bytes, proto: int, payload: bytes, ident: int) -> bytes:
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto,
                         0, src, dst)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def transport_checksum(src: bytes, dst: bytes, proto: int, segment: bytes) -> int:
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(segment))
    return checksum(pseudo + segment)


def udp(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes) -> bytes:
    segment = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = transport_checksum(src, dst, 17, segment)
    return segment[:6] + struct.pack("!H", c) + segment[8:]


def dns_name(name: str) -> bytes:
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def frames():
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_B, IP_B, bytes(6), IP_A)
    yield ethernet(b"\xff" * 6, MAC_B, 0x0806, arp)

    question = dns_name("example.com") + struct.pack("!HH", 1, 1)
    query = struct.pack("!HHHHHH", 0x1d2c, 0x0100, 1, 0, 0, 0) + question
    yield ethernet(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 17, udp(IP_B, IP_A, 40000, 53, query), 1))

    answer = struct.pack("!HHHIH4s", 0xC00C, 1, 1, 3600, 4, bytes([93, 184, 216, 34]))
    response = struct.pack("!HHHHHH", 0x1d2c, 0x8180, 1, 1, 0, 0) + question + answer
    yield ethernet(MAC_B, MAC_A, 0x0800,
                   ipv4(IP_A, IP_B, 17, udp(IP_A, IP_B, 53, 40000, response), 2))

    options = (struct.pack("!BBH", 2, 4, 1460) + bytes([4, 2]) +
               struct.pack("!BBII", 8, 10, 123456, 0) + bytes([1]) + bytes([3, 3, 7]))
    syn = struct.pack("!HHIIBBHHH", 51000, 443, 1000, 0, (20 + len(options)) // 4 << 4, 0x02,
                      64240, 0, 0) + options
    c = transport_checksum(IP_B, IP_A, 6, syn)
    syn = syn[:16] + struct.pack("!H", c) + syn[18:]
    syn_frame = ethernet(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 6, syn, 3))
    yield syn_frame

    echo = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + b"lpdump!\n"
    echo = echo[:2] + struct.pack("!H", checksum(echo)) + echo[4:]
    yield ethernet(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 1, echo, 4))

    yield syn_frame[:46], len(syn_frame)


def main(path: str) -> None:
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, frame in enumerate(frames()):
        data, orig = (frame, len(frame)) if isinstance(frame, bytes) else frame
        out += struct.pack("<IIII", 1700000000 + i, 250000 * i % 1000000, len(data), orig) + data
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample.pcap")
