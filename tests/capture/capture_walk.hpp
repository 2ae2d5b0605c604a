// Helpers of the capture tests: a writer that builds files byte by byte in
// either byte order, and the streaming walk a reader such as lpdump does
// (record by record, block by block), which the real-capture tests compare
// with tshark.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"

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

// pcap: the header once, then one PcapRecord per step, each parsed over the
// rest of the file.
inline Walk walk_pcap(lp::bytes file) {
  Walk walk;
  const auto header = capture::PcapHeader::parse(file);
  if (!header) {
    walk.error = header.error();
    return walk;
  }
  std::size_t offset = header->size();
  while (offset < file.size()) {
    const auto record = capture::PcapRecord::parse(file.drop_first(offset), header->order(),
                                                   static_cast<std::uint8_t>(header->nanosecond()));
    if (!record) {
      walk.error = record.error();
      walk.error_offset = offset + record.error().byte_offset();
      return walk;
    }
    walk.frames.push_back(Frame{record->incl_len(),
                                record->orig_len(),
                                epoch(record->ts_sec(), record->ts_nanoseconds()),
                                std::nullopt,
                                {}});
    offset += record->size();
  }
  return walk;
}

// What a pcapng reader keeps per interface of the current section.
struct Interface {
  std::uint8_t tsresol = 6;
  std::int64_t tsoffset = 0;
  std::uint32_t snaplen = 0;
};

// A timestamp in units of 10^-n (bit 7 of tsresol clear) or 2^-n seconds.
inline std::string pcapng_epoch(std::uint64_t timestamp, const Interface& interface) {
  __extension__ using u128 = unsigned __int128;
  const unsigned n = interface.tsresol & 0x7F;
  std::uint64_t seconds = 0;
  std::uint64_t nanoseconds = 0;
  if ((interface.tsresol & 0x80) != 0) {
    seconds = n >= 64 ? 0 : timestamp >> n;
    const u128 fraction = n >= 64 ? timestamp : timestamp & ((std::uint64_t{1} << n) - 1);
    nanoseconds = static_cast<std::uint64_t>((fraction * 1'000'000'000u) >> n);
  } else {
    std::uint64_t units = 1;
    for (unsigned i = 0; i < n && i < 19; ++i) units *= 10;
    seconds = timestamp / units;
    const u128 fraction = timestamp % units;
    nanoseconds = static_cast<std::uint64_t>(fraction * 1'000'000'000u / units);
  }
  return epoch(seconds + static_cast<std::uint64_t>(interface.tsoffset), nanoseconds);
}

template <class PacketView>
Frame packet_frame(const PacketView& packet, const std::vector<Interface>& interfaces) {
  Frame frame{packet.captured_length(),
              packet.original_length(),
              std::nullopt,
              static_cast<std::uint32_t>(packet.interface_id()),
              {}};
  const Interface interface =
      packet.interface_id() < interfaces.size() ? interfaces[packet.interface_id()] : Interface{};
  frame.time_epoch = pcapng_epoch(packet.timestamp(), interface);
  for (const capture::PcapngPacketOptionView option : packet.options()) {
    if (const auto comment = option.value_comment()) frame.comments.emplace_back(comment->text());
  }
  return frame;
}

// pcapng: PcapngSectionHeader at offset 0 and at every block of type
// 0x0A0D0D0A (which gives the byte order of the blocks after it), PcapngBlock
// everywhere else.
inline Walk walk_pcapng(lp::bytes file) {
  Walk walk;
  std::vector<Interface> interfaces;
  lp::byte_order order = lp::byte_order::big;
  std::size_t offset = 0;
  auto fail = [&](const lp::Error& e) {
    walk.error = e;
    walk.error_offset = offset + e.byte_offset();
    return walk;
  };
  // An empty file is an SHB cut short, not an empty capture.
  while (offset == 0 || offset < file.size()) {
    const lp::bytes rest = file.drop_first(offset);
    const bool section_header =
        offset == 0 || (rest.size() >= 4 && rest.u8(0) == 0x0A && rest.u8(1) == 0x0D &&
                        rest.u8(2) == 0x0D && rest.u8(3) == 0x0A);
    if (section_header) {
      const auto shb = capture::PcapngSectionHeader::parse(rest);
      if (!shb) return fail(shb.error());
      order = shb->order();
      interfaces.clear();  // interface numbers restart with every section
      offset += shb->size();
      continue;
    }
    const auto block = capture::PcapngBlock::parse(rest, order);
    if (!block) return fail(block.error());
    if (const auto idb = block->body_interface_description()) {
      Interface interface;
      interface.snaplen = idb->snaplen();
      for (const capture::PcapngInterfaceOptionView option : idb->options()) {
        if (const auto tsresol = option.value_tsresol()) interface.tsresol = *tsresol;
        if (const auto tsoffset = option.value_tsoffset()) interface.tsoffset = tsoffset->value();
      }
      interfaces.push_back(interface);
    } else if (const auto epb = block->body_enhanced_packet()) {
      walk.frames.push_back(packet_frame(*epb, interfaces));
    } else if (const auto pb = block->body_packet()) {
      walk.frames.push_back(packet_frame(*pb, interfaces));
    } else if (const auto spb = block->body_simple_packet()) {
      // The captured length is also capped by interface 0's snap length.
      std::uint64_t cap_len = spb->data().size();
      if (!interfaces.empty() && interfaces[0].snaplen != 0 && cap_len > interfaces[0].snaplen) {
        cap_len = interfaces[0].snaplen;
      }
      walk.frames.push_back(Frame{cap_len, spb->original_length(), std::nullopt, 0u, {}});
    }
    offset += block->size();
  }
  return walk;
}

}  // namespace capture_test
