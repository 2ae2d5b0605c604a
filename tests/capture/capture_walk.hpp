// Helpers of the capture tests: a writer that builds files byte by byte in
// either byte order, and lpdump's streaming walk (record by record, block by
// block) collected into frames, which the real-capture tests compare with tshark.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture.hpp"  // tools/lpdump
#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"
#include "libparse/format.hpp"

namespace capture_test {

using Bytes = std::vector<std::uint8_t>;

// Appends integers in one byte order.
class Writer {
 public:
  explicit Writer(bool little) : little_(little) {}

  Writer& u8(std::uint64_t v) { return put(v, 1); }
  Writer& u16(std::uint64_t v) { return put(v, 2); }
  Writer& u32(std::uint64_t v) { return put(v, 4); }
  Writer& u64(std::uint64_t v) { return put(v, 8); }
  Writer& u32be(std::uint64_t v) {
    for (int i = 3; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  Writer& raw(const Bytes& b) {
    out_.insert(out_.end(), b.begin(), b.end());
    return *this;
  }
  Writer& text(std::string_view s) {
    out_.insert(out_.end(), s.begin(), s.end());
    return *this;
  }
  Writer& pad4() {
    while (out_.size() % 4 != 0) out_.push_back(0);
    return *this;
  }
  bool little() const { return little_; }
  const Bytes& bytes() const { return out_; }

 private:
  Writer& put(std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) {
      const int shift = 8 * (little_ ? i : width - 1 - i);
      out_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    return *this;
  }

  bool little_;
  Bytes out_;
};

// One packet as tshark reports it.
struct Frame {
  std::uint64_t cap_len = 0;
  std::uint64_t len = 0;
  std::optional<std::string> time_epoch;  // absent for Simple Packet Blocks
  std::optional<std::uint32_t> interface_id;
  std::vector<std::string> comments;
};

// What a streaming walk read: every frame before the first error, and the
// error with its offset in the file.
struct Walk {
  std::vector<Frame> frames;
  std::optional<lp::Error> error;
  std::size_t error_offset = 0;
};

inline std::string epoch(std::uint64_t seconds, std::uint64_t nanoseconds) {
  return fmt::format("{}.{:09}", seconds, nanoseconds);
}

// The streaming walk is lpdump's own reader (tools/lpdump/capture.hpp): pcap
// record by record, pcapng block by block with the section's interface table.
inline Walk walk(lp::bytes file) {
  Walk walk;
  lpdump::CaptureReader reader(file);
  lpdump::Packet packet;
  while (reader.next(packet)) {
    Frame frame{packet.data.size(), packet.len, std::nullopt, packet.interface_id, {}};
    if (packet.has_time) frame.time_epoch = epoch(packet.seconds, packet.nanoseconds);
    if (packet.options) {
      for (const capture::PcapngPacketOptionView option : *packet.options) {
        if (const auto comment = option.value_comment())
          frame.comments.emplace_back(comment->text());
      }
    }
    walk.frames.push_back(std::move(frame));
  }
  if (reader.error()) {
    walk.error = *reader.error();
    walk.error_offset = reader.error_offset();
  }
  return walk;
}

inline Walk walk_pcap(lp::bytes file) { return walk(file); }
inline Walk walk_pcapng(lp::bytes file) { return walk(file); }

// lpdump's stream reader (CaptureStream) fed `file` in pieces ending at `cuts`
// (each piece in memory of its own, freed once read) reads what the file walk
// reads: the same frames, then the same error at the same offset, or none.
inline void expect_stream_reads_like_file(const Bytes& file, const std::vector<std::size_t>& cuts) {
  std::vector<lpdump::Packet> expected;
  lpdump::CaptureReader reader{lp::bytes(file)};
  for (lpdump::Packet p; reader.next(p);) expected.push_back(p);

  lpdump::CaptureStream stream;
  std::size_t frames = 0;
  std::size_t start = 0;
  const auto read = [&](lpdump::CaptureStream& s) {
    for (lpdump::Packet p; s.next(p); ++frames) {
      ASSERT_LT(frames, expected.size());
      EXPECT_TRUE(lpdump::same_frame(p, expected[frames])) << "frame " << frames + 1;
    }
  };
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t end = i < cuts.size() ? cuts[i] : file.size();
    const Bytes piece(file.begin() + static_cast<std::ptrdiff_t>(start),
                      file.begin() + static_cast<std::ptrdiff_t>(end));
    stream.feed(lp::bytes(piece));
    read(stream);
    start = end;
  }
  stream.end();
  read(stream);
  EXPECT_EQ(frames, expected.size());
  ASSERT_EQ(stream.error().has_value(), reader.error().has_value())
      << (reader.error() ? fmt::format("{}", *reader.error()) : "stream: no error");
  if (reader.error()) {
    EXPECT_EQ(fmt::format("{}", *stream.error()), fmt::format("{}", *reader.error()));
    EXPECT_EQ(stream.error_offset(), reader.error_offset());
  }
}

// At every single cut and byte by byte.
inline void expect_stream_reads_like_file(const Bytes& file) {
  std::vector<std::size_t> bytewise;
  for (std::size_t cut = 0; cut <= file.size(); ++cut) {
    SCOPED_TRACE(::testing::Message() << "cut at " << cut);
    expect_stream_reads_like_file(file, {cut});
    if (cut != 0 && cut != file.size()) bytewise.push_back(cut);
    if (::testing::Test::HasFailure()) return;
  }
  SCOPED_TRACE("byte by byte");
  expect_stream_reads_like_file(file, bytewise);
}

}  // namespace capture_test
