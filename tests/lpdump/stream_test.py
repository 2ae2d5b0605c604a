#!/usr/bin/env python3
"""lpdump reading a capture from a pipe (`lpdump -`), against the file path.

  stream_test.py LPDUMP CAPTURE...     output and promptness, for each capture
  stream_test.py LPDUMP --memory MiB   resident memory on a long synthetic stream

For each capture (and, for the first, a pcap file, also the same frames written
as pcapng in two sections of opposite byte order, and the file cut inside its
last record): a slow writer feeds it to `lpdump -` in pieces of 1 to 3000
bytes; the output (--json, and the tree for the first capture), stderr and
exit code must equal those of `lpdump CAPTURE`. Promptness: in --json mode the
writer stops at the end of each of the first packets' record (pcap) or block
(pcapng) and waits for lpdump to print that packet's line before writing on: a
reader that waited for more bytes (or for the end of the stream) fails here.

--memory: writes a pcap stream of MiB mebibytes (1000-byte frames) through a
pipe into `lpdump --json -` and takes lpdump's peak resident set (wait4) against
the peak for a stream of ten frames: the growth must stay under a quarter of
the stream's size, where a reader that holds the capture would grow by all of it.
"""
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time

PROMPT_TIMEOUT = 20.0  # seconds to wait for a packet's line (sanitizer builds are slow)


def records(capture):
    """(end offset, is_packet) of each pcap record / pcapng block, header included."""
    out = []
    if capture[:4] == b"\x0a\x0d\x0d\x0a":
        off, order = 0, ">"
        while off + 12 <= len(capture):
            btype = struct.unpack(">I", capture[off:off + 4])[0]
            if btype == 0x0A0D0D0A:
                order = ">" if capture[off + 8:off + 12] == b"\x1a\x2b\x3c\x4d" else "<"
            length = struct.unpack(order + "I", capture[off + 4:off + 8])[0]
            if length < 12:
                break
            btype = struct.unpack(order + "I", capture[off:off + 4])[0]
            off += length
            out.append((off, btype in (2, 3, 6)))
        return out
    order = "<" if struct.unpack("<I", capture[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off = 24
    out.append((off, False))
    while off + 16 <= len(capture):
        incl = struct.unpack(order + "I", capture[off + 8:off + 12])[0]
        off += 16 + incl
        out.append((off, True))
    return out


def run_file(lpdump, args, path):
    p = subprocess.run([lpdump, *args, path], capture_output=True)
    return p.returncode, p.stdout, p.stderr.replace(path.encode(), b"-")


class Drain:
    """Reads a pipe on a thread (so that lpdump never blocks on a full pipe) and
    lets the writer wait until the output holds a number of lines."""

    def __init__(self, pipe):
        self.data = bytearray()
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._run, args=(pipe,), daemon=True)
        self.thread.start()

    def _run(self, pipe):
        while chunk := os.read(pipe.fileno(), 65536):
            with self.cond:
                self.data += chunk
                self.cond.notify_all()

    def wait_lines(self, count, timeout):
        with self.cond:
            return self.cond.wait_for(lambda: self.data.count(b"\n") >= count, timeout)

    def result(self):
        self.thread.join()
        return bytes(self.data)


def run_pipe(lpdump, args, capture, check_prompt):
    """Feeds `capture` to `lpdump ARGS -` in pieces; returns (code, stdout, stderr)."""
    proc = subprocess.Popen([lpdump, *args, "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out, err = Drain(proc.stdout), Drain(proc.stderr)
    pos = 0
    sizes = [1, 2, 3, 5, 7, 16, 100, 1, 3000, 13]
    piece = 0
    packets = 0
    for end, is_packet in records(capture):
        while pos < end:
            n = min(sizes[piece % len(sizes)], end - pos)
            piece += 1
            proc.stdin.write(capture[pos:pos + n])
            proc.stdin.flush()
            pos += n
            if piece % 50 == 0:
                time.sleep(0.001)
        packets += is_packet
        if is_packet and check_prompt and packets <= 5 and not out.wait_lines(packets, PROMPT_TIMEOUT):
            proc.kill()
            sys.exit(f"FAIL: no output for packet {packets} (ending at byte {end}) within "
                     f"{PROMPT_TIMEOUT} s of its last byte: lpdump waits for more input")
    proc.stdin.write(capture[pos:])
    proc.stdin.close()
    code = proc.wait()
    return code, out.result(), err.result()


def pcap_to_pcapng(capture):
    """The frames of a pcap file as pcapng: two sections (big-endian, then
    little-endian), each an SHB, an IDB and EPBs, plus one SPB per section."""
    order = "<" if struct.unpack("<I", capture[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    link_type = struct.unpack(order + "I", capture[20:24])[0] & 0xFFFF
    frames = []
    off = 24
    while off + 16 <= len(capture):
        sec, frac, incl, orig = struct.unpack(order + "IIII", capture[off:off + 16])
        frames.append((sec * 1000000 + frac, orig, capture[off + 16:off + 16 + incl]))
        off += 16 + incl

    def block(o, btype, body):
        body += bytes(-len(body) % 4)
        return struct.pack(o + "II", btype, 12 + len(body)) + body + struct.pack(o + "I", 12 + len(body))

    out = b""
    half = len(frames) // 2
    for o, part in ((">", frames[:half]), ("<", frames[half:])):
        out += block(o, 0x0A0D0D0A, struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1))
        out += block(o, 1, struct.pack(o + "HHI", link_type, 0, 0))
        for ts, orig, data in part:
            out += block(o, 6, struct.pack(o + "IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), orig) + data)
        if part:
            out += block(o, 3, struct.pack(o + "I", len(part[0][2])) + part[0][2])
    return out


def check_capture(lpdump, path, variants):
    capture = open(path, "rb").read()
    check_bytes(lpdump, path, capture, modes=([], ["--json"]) if variants else (["--json"],))
    if variants and capture[:4] != b"\x0a\x0d\x0d\x0a":
        with tempfile.TemporaryDirectory() as tmp:
            # The same frames as pcapng, and the capture cut inside its last record.
            variants = {"pcapng": pcap_to_pcapng(capture), "cut.pcap": capture[:-5]}
            for suffix, data in variants.items():
                variant = os.path.join(tmp, os.path.basename(path) + "." + suffix)
                with open(variant, "wb") as f:
                    f.write(data)
                check_bytes(lpdump, variant, data, modes=(["--json"],))


def check_bytes(lpdump, path, capture, modes):
    for args in modes:
        expected = run_file(lpdump, args, path)
        got = run_pipe(lpdump, args, capture, check_prompt=args == ["--json"])
        if got != expected:
            sys.exit(f"FAIL: {path} {' '.join(args)}: `lpdump -` differs from the file path\n"
                     f"file: exit {expected[0]}, {len(expected[1])} bytes, stderr {expected[2]!r}\n"
                     f"pipe: exit {got[0]}, {len(got[1])} bytes, stderr {got[2]!r}")
    print(f"ok: {path}: pipe output equals file output ({len(capture)} bytes)")


def frame(i):
    """A 1000-byte Ethernet/IPv4/UDP frame."""
    payload = bytes((i + k) & 0xFF for k in range(1000 - 42))
    udp = struct.pack(">HHHH", 5000, 53, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
    return bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00" + ip


def peak_rss_kib(lpdump, frames):
    """lpdump --json - over a pcap stream of `frames` 1000-byte frames: its peak RSS in KiB."""
    header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    batch = b"".join(struct.pack("<IIII", 1700000000 + i, i, 1000, 1000) + frame(i)
                     for i in range(64))
    devnull = open(os.devnull, "wb")
    # ASan's fake stacks for use-after-return checks fill in as the run goes,
    # which would count as lpdump's growth: off for this measurement.
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_stack_use_after_return=0"
    proc = subprocess.Popen([lpdump, "--json", "-"], stdin=subprocess.PIPE, stdout=devnull,
                            env=env)
    proc.stdin.write(header)
    written = 0
    while written < frames:
        n = min(64, frames - written)
        proc.stdin.write(batch if n == 64 else batch[:n * 1016])
        written += n
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"FAIL: lpdump exited with {proc.returncode} on a stream of {frames} frames")
    return usage.ru_maxrss


def check_memory(lpdump, mib):
    frames = mib * 1024 * 1024 // 1016
    small = peak_rss_kib(lpdump, 10)
    large = peak_rss_kib(lpdump, frames)
    growth = large - small
    print(f"peak RSS: {small} KiB for 10 frames, {large} KiB for {frames} frames "
          f"({mib} MiB): growth {growth} KiB")
    if growth * 4 > mib * 1024:
        sys.exit(f"FAIL: lpdump's memory grew by {growth} KiB over a {mib} MiB stream")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lpdump = sys.argv[1]
    if sys.argv[2] == "--memory":
        check_memory(lpdump, int(sys.argv[3]))
        return
    # The first capture in both modes and with its variants; the others (each
    # lpdump run is slow in sanitizer builds) in --json mode alone.
    for i, path in enumerate(sys.argv[2:]):
        check_capture(lpdump, path, variants=i == 0)


if __name__ == "__main__":
    main()
