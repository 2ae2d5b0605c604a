#include "capture.hpp"

namespace lpdump {

namespace {

constexpr bool is_section_header(lp::bytes rest) noexcept {
  return rest.size() >= 4 && rest.u8(0) == 0x0A && rest.u8(1) == 0x0D && rest.u8(2) == 0x0D &&
         rest.u8(3) == 0x0A;
}

template <class PacketView>
void fill_from_pcapng(Packet& packet, const PacketView& view, std::uint32_t interface_id,
                      const std::vector<Interface>& interfaces) {
  packet.data = view.data();
  packet.len = view.original_length();
  packet.interface_id = interface_id;
  // A packet naming an interface the section never described gets the defaults
  // (tshark does the same rather than dropping it).
  const Interface interface =
      interface_id < interfaces.size() ? interfaces[interface_id] : Interface{};
  packet.link_type = interface.link_type;
  const Timestamp time = pcapng_time(view.timestamp(), interface);
  packet.has_time = true;
  packet.seconds = time.seconds;
  packet.nanoseconds = time.nanoseconds;
  packet.options = view.options();
}

}  // namespace

Timestamp pcapng_time(std::uint64_t timestamp, const Interface& interface) noexcept {
  __extension__ using u128 = unsigned __int128;
  const unsigned n = interface.tsresol & 0x7F;
  Timestamp t;
  if ((interface.tsresol & 0x80) != 0) {
    t.seconds = n >= 64 ? 0 : timestamp >> n;
    const u128 fraction = n >= 64 ? timestamp : timestamp & ((std::uint64_t{1} << n) - 1);
    t.nanoseconds = static_cast<std::uint32_t>((fraction * 1'000'000'000u) >> n);
  } else {
    std::uint64_t units = 1;
    for (unsigned i = 0; i < n && i < 19; ++i) units *= 10;
    t.seconds = timestamp / units;
    const u128 fraction = timestamp % units;
    t.nanoseconds = static_cast<std::uint32_t>(fraction * 1'000'000'000u / units);
  }
  t.seconds += static_cast<std::uint64_t>(interface.tsoffset);
  return t;
}

CaptureReader::CaptureReader(lp::bytes file) noexcept : file_(file) {
  // An empty or unrecognised file goes to the pcap path, whose header check
  // gives the error (a bad magic at offset 0).
  format_ = is_section_header(file) ? Format::pcapng : Format::pcap;
}

bool CaptureReader::fail(const lp::Error& error, std::size_t at) noexcept {
  error_ = error;
  error_offset_ = at + error.byte_offset();
  offset_ = file_.size();
  return false;
}

bool CaptureReader::next(Packet& packet) {
  if (error_) return false;
  return format_ == Format::pcapng ? next_pcapng(packet) : next_pcap(packet);
}

bool CaptureReader::next_pcap(Packet& packet) {
  if (!header_done_) {
    const auto header = capture::PcapHeader::parse(file_);
    if (!header) return fail(header.error(), 0);
    order_ = header->order();
    nanosecond_ = header->nanosecond() != 0;
    pcap_link_type_ = static_cast<std::uint32_t>(header->header().link_type_code());
    offset_ = header->size();
    header_done_ = true;
  }
  if (offset_ >= file_.size()) return false;
  const auto record = capture::PcapRecord::parse(file_.drop_first(offset_), order_,
                                                 static_cast<std::uint8_t>(nanosecond_));
  if (!record) return fail(record.error(), offset_);
  packet = Packet{};
  packet.number = ++number_;
  packet.data = record->data();
  packet.len = record->orig_len();
  packet.link_type = pcap_link_type_;
  packet.has_time = true;
  packet.seconds = record->ts_sec();
  packet.nanoseconds = static_cast<std::uint32_t>(record->ts_nanoseconds());
  offset_ += record->size();
  return true;
}

// PcapngSectionHeader at offset 0 and at every block of type 0x0A0D0D0A (which
// gives the byte order of the blocks after it), PcapngBlock everywhere else.
bool CaptureReader::next_pcapng(Packet& packet) {
  // An empty file is a section header cut short, not an empty capture.
  while (offset_ == 0 || offset_ < file_.size()) {
    const lp::bytes rest = file_.drop_first(offset_);
    if (offset_ == 0 || is_section_header(rest)) {
      const auto shb = capture::PcapngSectionHeader::parse(rest);
      if (!shb) return fail(shb.error(), offset_);
      order_ = shb->order();
      interfaces_.clear();  // interface numbers restart with every section
      offset_ += shb->size();
      continue;
    }
    const auto block = capture::PcapngBlock::parse(rest, order_);
    if (!block) return fail(block.error(), offset_);
    offset_ += block->size();
    if (const auto idb = block->body_interface_description()) {
      Interface interface;
      interface.link_type = idb->link_type();
      interface.snaplen = idb->snaplen();
      for (const capture::PcapngInterfaceOptionView option : idb->options()) {
        if (const auto tsresol = option.value_tsresol()) interface.tsresol = *tsresol;
        if (const auto tsoffset = option.value_tsoffset()) interface.tsoffset = tsoffset->value();
      }
      interfaces_.push_back(interface);
    } else if (const auto epb = block->body_enhanced_packet()) {
      packet = Packet{};
      packet.number = ++number_;
      fill_from_pcapng(packet, *epb, epb->interface_id(), interfaces_);
      return true;
    } else if (const auto pb = block->body_packet()) {
      packet = Packet{};
      packet.number = ++number_;
      fill_from_pcapng(packet, *pb, pb->interface_id(), interfaces_);
      return true;
    } else if (const auto spb = block->body_simple_packet()) {
      packet = Packet{};
      packet.number = ++number_;
      packet.data = spb->data();
      // The captured length is also capped by interface 0's snap length.
      if (!interfaces_.empty() && interfaces_[0].snaplen != 0 &&
          packet.data.size() > interfaces_[0].snaplen) {
        packet.data = packet.data.first(interfaces_[0].snaplen);
      }
      packet.len = spb->original_length();
      packet.interface_id = 0;
      packet.link_type = interfaces_.empty() ? 0 : interfaces_[0].link_type;
      return true;
    }
  }
  return false;
}

}  // namespace lpdump
