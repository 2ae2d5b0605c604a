// lpdump's capture readers: pcap and pcapng captures walked record by record
// (block by block) with the views generated from schemas/capture/pcap.lps and
// pcapng.lps, never by parsing the whole capture at once. CaptureReader walks a
// buffer holding the whole file (a mapping); CaptureStream takes the capture in
// pieces as they arrive, through lp::StreamReader, and CapturePipeReader feeds
// it from a file descriptor (a pipe). Both hand
// each record or block to CaptureDecoder, which keeps what a capture's later
// records depend on (byte order, pcapng interfaces) and fills the Packets.
//
// Cost: next() is O(size of one record or block); no heap allocation except
// when a pcapng Interface Description Block arrives (the interface table) and,
// for CaptureStream, the stream reader's buffer for a record cut between two
// pieces (at most one record), and CapturePipeReader's read buffer.
// A Packet is a view into the reader's bytes: for CaptureReader valid while the
// caller's buffer lives, for CaptureStream until its next next().
//
// A broken capture (a record or block that does not parse) ends the walk:
// next() returns false, error() says why and error_offset() where in the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"
#include "libparse/bytes.hpp"
#include "libparse/error.hpp"
#include "libparse/stream.hpp"

namespace lpdump {

// pcapng packet options, the same type for Enhanced and obsolete Packet Blocks.
using PacketOptions = lp::lazy_array<capture::PcapngPacketOptionView, lp::byte_order>;

// One captured frame as the reader found it.
struct Packet {
  std::uint64_t number = 0;  // 1-based, in file order
  lp::bytes data;            // the captured bytes (frame.cap_len is data.size())
  std::uint64_t len = 0;     // original length on the wire
  std::uint32_t link_type = 0;
  bool has_time = false;  // false for pcapng Simple Packet Blocks
  std::uint64_t seconds = 0;
  std::uint32_t nanoseconds = 0;
  std::optional<std::uint32_t> interface_id;  // pcapng only
  std::optional<PacketOptions> options;       // pcapng EPB/PB options (comments)
};

// The same frame: every field equal, the captured bytes and the options
// compared by content (how tests and fuzzers check that two readers agree).
bool same_frame(const Packet& a, const Packet& b);

// "<seconds>.<nanoseconds>" as tshark's frame.time_epoch has it.
struct Timestamp {
  std::uint64_t seconds = 0;
  std::uint32_t nanoseconds = 0;
};

// What a pcapng reader keeps per interface of the current section.
struct Interface {
  std::uint16_t link_type = 0;
  std::uint8_t tsresol = 6;  // if_tsresol: 10^-6 s unless an option says otherwise
  std::int64_t tsoffset = 0;
  std::uint32_t snaplen = 0;
};

// A pcapng timestamp in units of 10^-n (bit 7 of tsresol clear) or 2^-n seconds.
Timestamp pcapng_time(std::uint64_t timestamp, const Interface& interface) noexcept;

enum class CaptureFormat : std::uint8_t { pcap, pcapng, unknown };

// A capture's format from its first bytes: pcapng starts with a Section Header
// Block; anything else goes to pcap, whose header check gives the error.
CaptureFormat capture_format(lp::bytes first_bytes) noexcept;

// The record or block logic shared by both readers: read() takes the bytes
// from the start of one record or block (to the end of the file, or exactly
// the block), updates the state and fills `packet` when the block holds one.
class CaptureDecoder {
 public:
  explicit CaptureDecoder(CaptureFormat format) noexcept : format_(format) {}

  struct Step {
    std::size_t size = 0;  // bytes of the record or block read
    bool packet = false;   // `packet` was filled
  };
  // Errors have offsets from the start of `rest`.
  lp::Result<Step> read(lp::bytes rest, Packet& packet);

  CaptureFormat format() const noexcept { return format_; }
  std::uint32_t pcap_link_type() const noexcept { return pcap_link_type_; }

 private:
  lp::Result<Step> read_pcap(lp::bytes rest, Packet& packet);
  lp::Result<Step> read_pcapng(lp::bytes rest, Packet& packet);

  CaptureFormat format_;
  bool started_ = false;  // the file header (pcap) or first SHB (pcapng) was read
  std::uint64_t number_ = 0;
  // pcap
  lp::byte_order order_ = lp::byte_order::big;
  bool nanosecond_ = false;
  std::uint32_t pcap_link_type_ = 0;
  // pcapng
  std::vector<Interface> interfaces_;
};

class CaptureReader {
 public:
  using Format = CaptureFormat;

  // Looks at the first bytes only; the file is read by next().
  explicit CaptureReader(lp::bytes file) noexcept;

  Format format() const noexcept { return decoder_.format(); }
  // The next packet into `packet`; false at the end of the file or at an error.
  bool next(Packet& packet);
  // After next() returned false: the reason the walk stopped early, if it did.
  const std::optional<lp::Error>& error() const noexcept { return error_; }
  std::size_t error_offset() const noexcept { return error_offset_; }
  // Bytes consumed so far (for progress).
  std::size_t offset() const noexcept { return offset_; }
  // The link type of pcap files (pcapng has one per interface).
  std::uint32_t pcap_link_type() const noexcept { return decoder_.pcap_link_type(); }

 private:
  bool fail(const lp::Error& error, std::size_t at) noexcept;

  lp::bytes file_;
  CaptureDecoder decoder_;
  std::size_t offset_ = 0;
  std::optional<lp::Error> error_;
  std::size_t error_offset_ = 0;
};

// Frames a capture stream for lp::StreamReader: the first bytes choose
// lp::pcap_framer or lp::pcapng_framer.
class CaptureFramer {
 public:
  lp::Result<lp::FrameSize> operator()(lp::bytes available) noexcept;

 private:
  CaptureFormat format_ = CaptureFormat::unknown;
  lp::pcap_framer pcap_;
  lp::pcapng_framer pcapng_;
};

// A capture fed in pieces as it arrives (the pieces of a pipe, a socket, a
// fuzzer's splits): an lp::StreamReader cuts it into records or blocks, each
// read by a CaptureDecoder as the file walk reads it, so the packets and the
// error are the file walk's. Memory: at most one record or block
// (max_record_size) besides the caller's pieces, whatever the stream's length.
class CaptureStream {
 public:
  // Above pcap's own limit (256 MiB of data) by room for any header and options.
  static constexpr std::size_t default_max_record_size = (std::size_t{256} << 20) + (64 << 10);

  explicit CaptureStream(std::size_t max_record_size = default_max_record_size);

  // The next piece; it must stay alive until next() returns false.
  // Precondition: next() returned false since the previous feed().
  void feed(lp::bytes piece) noexcept;
  // No more pieces: next() then reports a record the stream ended inside.
  void end() noexcept { ended_ = true; }
  // The next packet into `packet`, valid until the next call; false when the
  // pieces fed hold no further packet (feed more), at the end or at an error.
  bool next(Packet& packet);
  bool ended() const noexcept { return ended_; }
  const std::optional<lp::Error>& error() const noexcept { return error_; }
  std::size_t error_offset() const noexcept { return error_offset_; }
  // Bytes fed so far.
  std::size_t offset() const noexcept { return fed_; }
  // The largest record or block copied because it straddled two pieces.
  std::size_t max_buffered() const noexcept { return max_buffered_; }

 private:
  bool fail(const lp::Error& error, std::size_t at) noexcept;
  bool finish(Packet& packet);

  lp::StreamReader<CaptureFramer> reader_;
  std::optional<CaptureDecoder> decoder_;  // once the first bytes chose the format
  std::size_t fed_ = 0;
  std::size_t max_buffered_ = 0;
  bool ended_ = false;
  bool finished_ = false;
  std::optional<lp::Error> error_;
  std::size_t error_offset_ = 0;
};

// A capture read from a file descriptor (standard input, a pipe) as it
// arrives: each read(2) of at most read_size bytes is fed to a CaptureStream,
// so a packet is returned as soon as its record is complete.
class CapturePipeReader {
 public:
  explicit CapturePipeReader(int fd, std::size_t read_size = std::size_t{64} << 10);

  // The next packet, blocking in read(2) until one is complete; false at the
  // end, at an error or when read(2) failed. Valid until the next call.
  bool next(Packet& packet);
  const std::optional<lp::Error>& error() const noexcept { return stream_.error(); }
  std::size_t error_offset() const noexcept { return stream_.error_offset(); }
  // read(2) failed (errno in read_errno()).
  bool read_failed() const noexcept { return read_errno_ != 0; }
  int read_errno() const noexcept { return read_errno_; }
  // Bytes read so far.
  std::size_t offset() const noexcept { return stream_.offset(); }
  // The most bytes held for the input at any time: the read buffer and the
  // largest record that straddled two reads.
  std::size_t max_held() const noexcept { return chunk_.size() + stream_.max_buffered(); }

 private:
  int fd_;
  std::vector<std::byte> chunk_;
  CaptureStream stream_;
  int read_errno_ = 0;
};

}  // namespace lpdump
