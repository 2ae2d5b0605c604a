// A libFuzzer target for lp::StreamReader (libparse/stream.hpp): a fuzzed
// stream cut into fuzz-chosen pieces must give exactly what parsing the whole
// buffer gives.
//
// Input: byte 0 picks the framing (low two bits) and, for the length prefix,
// the maximum message size (the other bits); byte 1 is the number n (0-31) of
// piece sizes that follow, each 1-256 bytes, used in turn until the stream is
// cut up (n = 0: one piece); the rest is the stream. Each piece lives in memory
// of its own, freed once the reader is done with it, so a message pointing into
// an earlier piece is a use after free.
//
// Framings and what must hold:
//  0  DNS over TCP through view_framer<net::DnsTcp>: the messages of DnsTcp::parse
//     one after another over the whole buffer; then the same error (rebased to
//     the stream), or, for a message cut by the end, finish() truncated at its
//     start, or a clean finish();
//  1  DNS over TCP through length_prefix_framer{2} with a maximum from byte 0:
//     the frames the two-byte lengths give, the first one above the maximum an
//     errc::limit_exceeded at its offset before any of it is buffered;
//  2, 3  pcap or pcapng (whichever the stream's first bytes say) through
//     lpdump::CaptureStream, which frames with lp::pcap_framer / lp::pcapng_framer
//     and parses each record or block: the frames and the error of the file walk
//     (lpdump::CaptureReader) over the whole buffer; a record longer than the
//     stream's 1 MiB maximum is refused at its start, where the walk stops
//     inside it.
// Every message inside one piece must be a view into that piece; the reader's
// buffer never exceeds the maximum.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture.hpp"
#include "libparse/format.hpp"
#include "libparse/stream.hpp"
#include "net/dns.lp.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "stream fuzz target: invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

void check(bool ok, const char* what, const std::string& detail = {}) {
  if (!ok) fail(what, detail);
}

// The stream and where its pieces end.
struct Input {
  unsigned mode = 0;
  unsigned knob = 0;
  lp::bytes stream;
  std::vector<std::size_t> ends;
};

Input decode(const std::uint8_t* data, std::size_t size) {
  Input in;
  in.mode = data[0] & 3u;
  in.knob = data[0] >> 2;
  const std::size_t n = std::min<std::size_t>(data[1] & 31u, size - 2);
  const std::uint8_t* sizes = data + 2;
  in.stream = lp::bytes(data + 2 + n, size - 2 - n);
  for (std::size_t at = 0, i = 0; at < in.stream.size(); ++i) {
    at += n == 0 ? in.stream.size() : std::size_t{sizes[i % n]} + 1;
    in.ends.push_back(std::min(at, in.stream.size()));
  }
  return in;
}

// A copy of stream bytes [start, end) in memory of its own.
std::unique_ptr<std::byte[]> piece_of(const Input& in, std::size_t start, std::size_t end) {
  auto piece = std::make_unique<std::byte[]>(end - start);
  if (end != start) std::memcpy(piece.get(), in.stream.data() + start, end - start);
  return piece;
}

struct Expected {
  std::vector<lp::bytes> messages;
  std::size_t end = 0;             // where the messages stop
  std::optional<lp::Error> error;  // a malformed or oversize message at `end`
  bool cut = false;                // the stream ends inside the message at `end`
};

// Feeds the pieces and checks each message against `expected` as it comes.
template <class Framer>
void run_reader(Framer framer, const Input& in, std::size_t max, const Expected& expected) {
  lp::StreamReader reader(std::move(framer), max);
  std::size_t count = 0;
  std::size_t start = 0;
  for (const std::size_t end : in.ends) {
    const auto piece = piece_of(in, start, end);
    reader.feed(lp::bytes(piece.get(), end - start));
    lp::bytes message;
    while (reader.next(message)) {
      check(count < expected.messages.size(), "a message whole-buffer parsing does not give");
      const lp::bytes want = expected.messages[count];
      check(message == want, "message bytes differ", fmt::format("message {}", count));
      const auto offset = static_cast<std::size_t>(reader.message_offset());
      check(offset == static_cast<std::size_t>(want.data() - in.stream.data()),
            "message offset differs");
      const bool inside = offset >= start && offset + message.size() <= end;
      check(!inside || message.data() == piece.get() + (offset - start),
            "a message inside one piece is not a view into it");
      ++count;
    }
    check(reader.buffer_capacity() <= max, "the reader's buffer grew past the maximum");
    if (reader.error()) break;
    start = end;
  }
  check(count == expected.messages.size(), "fewer messages than whole-buffer parsing");
  const lp::Status finish = reader.finish();
  if (expected.error) {
    check(reader.error().has_value(), "no error where whole-buffer parsing has one",
          fmt::format("{}", *expected.error));
    check(fmt::format("{}", *reader.error()) == fmt::format("{}", *expected.error),
          "a different error", fmt::format("{} vs {}", *reader.error(), *expected.error));
  } else if (expected.cut) {
    check(!reader.error() && !finish && finish.error().code() == lp::errc::truncated &&
              finish.error().byte_offset() == expected.end,
          "a stream cut inside a message must finish truncated at its start");
  } else {
    check(!reader.error() && finish, "an error where whole-buffer parsing has none");
  }
}

void dns_view(const Input& in) {
  Expected expected;
  while (expected.end < in.stream.size()) {
    const auto dns = net::DnsTcp::parse(in.stream.drop_first(expected.end));
    if (!dns) {
      if (dns.error().code() == lp::errc::truncated) {
        expected.cut = true;
      } else {
        expected.error = lp::Error(dns.error()).rebase(expected.end);
      }
      break;
    }
    expected.messages.push_back(dns->bytes());
    expected.end += dns->size();
  }
  run_reader(lp::view_framer<net::DnsTcp>(), in, 2 + 65535, expected);
}

void dns_length_prefix(const Input& in) {
  const std::size_t max = 2 + std::size_t{in.knob} * 8;  // 2 to 506: some messages too long
  Expected expected;
  const lp::bytes s = in.stream;
  while (expected.end < s.size()) {
    if (s.size() - expected.end < 2) {
      expected.cut = true;
      break;
    }
    const std::size_t size = 2 + (std::size_t{s.u8(expected.end)} << 8 | s.u8(expected.end + 1));
    if (size > max) {
      expected.error = lp::Error(lp::errc::limit_exceeded, {}, expected.end)
                           .with_text("message longer than the stream's maximum size")
                           .with_actual(size);
      break;
    }
    if (s.size() - expected.end < size) {
      expected.cut = true;
      break;
    }
    expected.messages.push_back(s.subspan(expected.end, size));
    expected.end += size;
  }
  run_reader(lp::length_prefix_framer{2}, in, max, expected);
}

void capture_stream(const Input& in) {
  std::vector<lpdump::Packet> expected;
  lpdump::CaptureReader file(in.stream);
  for (lpdump::Packet p; file.next(p);) expected.push_back(p);

  lpdump::CaptureStream stream(std::size_t{1} << 20);
  std::size_t count = 0;
  const auto read = [&] {
    for (lpdump::Packet p; stream.next(p); ++count) {
      check(count < expected.size(), "a frame the file walk does not give");
      check(lpdump::same_frame(p, expected[count]), "a frame differs",
            fmt::format("frame {}", count + 1));
    }
  };
  std::size_t start = 0;
  for (const std::size_t end : in.ends) {
    const auto piece = piece_of(in, start, end);
    stream.feed(lp::bytes(piece.get(), end - start));
    read();
    start = end;
  }
  stream.end();
  read();
  check(count == expected.size(), "fewer frames than the file walk");
  check(stream.error().has_value() == file.error().has_value(), "the error differs in presence");
  if (!file.error()) return;
  // A record over the stream's 1 MiB maximum is refused before it is read (its
  // offset is the record's start); the file walk parses it and stops inside it
  // (cut by the end of this smaller input, or at a field before that).
  if (stream.error()->code() == lp::errc::limit_exceeded) {
    check(stream.error()->byte_offset() == 0 && stream.error_offset() <= file.error_offset(),
          "an oversize record after the file walk's error",
          fmt::format("{} vs {} at {}", stream.error_offset(), *file.error(), file.error_offset()));
    return;
  }
  check(fmt::format("{}", *stream.error()) == fmt::format("{}", *file.error()) &&
            stream.error_offset() == file.error_offset(),
        "a different error",
        fmt::format("{} at {} vs {} at {}", *stream.error(), stream.error_offset(), *file.error(),
                    file.error_offset()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > (std::size_t{512} << 10)) return 0;
  const Input in = decode(data, size);
  switch (in.mode) {
    case 0:
      dns_view(in);
      break;
    case 1:
      dns_length_prefix(in);
      break;
    default:
      capture_stream(in);
      break;
  }
  return 0;
}
