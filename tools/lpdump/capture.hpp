// lpdump's capture reader: pcap and pcapng files walked record by record (block
// by block) with the views generated from schemas/capture/pcap.lps and
// pcapng.lps, never by parsing the whole file at once.
//
// Cost: next() is O(size of one record or block); no heap allocation except
// when a pcapng Interface Description Block arrives (the interface table).
// A Packet is a view into the caller's buffer, valid while that buffer lives.
//
// A broken file (a record or block that does not parse) ends the walk:
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

class CaptureReader {
 public:
  enum class Format : std::uint8_t { pcap, pcapng, unknown };

  // Looks at the first bytes only; the file is read by next().
  explicit CaptureReader(lp::bytes file) noexcept;

  Format format() const noexcept { return format_; }
  // The next packet into `packet`; false at the end of the file or at an error.
  bool next(Packet& packet);
  // After next() returned false: the reason the walk stopped early, if it did.
  const std::optional<lp::Error>& error() const noexcept { return error_; }
  std::size_t error_offset() const noexcept { return error_offset_; }
  // Bytes consumed so far (for progress).
  std::size_t offset() const noexcept { return offset_; }
  // The link type of pcap files (pcapng has one per interface).
  std::uint32_t pcap_link_type() const noexcept { return pcap_link_type_; }

 private:
  bool next_pcap(Packet& packet);
  bool next_pcapng(Packet& packet);
  bool fail(const lp::Error& error, std::size_t at) noexcept;

  lp::bytes file_;
  Format format_ = Format::unknown;
  std::size_t offset_ = 0;
  std::uint64_t number_ = 0;
  std::optional<lp::Error> error_;
  std::size_t error_offset_ = 0;
  // pcap
  lp::byte_order order_ = lp::byte_order::big;
  bool nanosecond_ = false;
  std::uint32_t pcap_link_type_ = 0;
  bool header_done_ = false;
  // pcapng
  std::vector<Interface> interfaces_;
};

}  // namespace lpdump
