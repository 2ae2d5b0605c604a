#include "capture.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

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

bool same_frame(const Packet& a, const Packet& b) {
  if (a.number != b.number || a.data != b.data || a.len != b.len || a.link_type != b.link_type ||
      a.has_time != b.has_time || a.seconds != b.seconds || a.nanoseconds != b.nanoseconds ||
      a.interface_id != b.interface_id || a.options.has_value() != b.options.has_value()) {
    return false;
  }
  if (!a.options) return true;
  auto x = a.options->begin();
  auto y = b.options->begin();
  for (; x != a.options->end() && y != b.options->end(); ++x, ++y) {
    if ((*x).bytes() != (*y).bytes()) return false;
  }
  return x == a.options->end() && y == b.options->end();
}

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

CaptureFormat capture_format(lp::bytes first_bytes) noexcept {
  return is_section_header(first_bytes) ? CaptureFormat::pcapng : CaptureFormat::pcap;
}

lp::Result<CaptureDecoder::Step> CaptureDecoder::read(lp::bytes rest, Packet& packet) {
  return format_ == CaptureFormat::pcapng ? read_pcapng(rest, packet) : read_pcap(rest, packet);
}

lp::Result<CaptureDecoder::Step> CaptureDecoder::read_pcap(lp::bytes rest, Packet& packet) {
  if (!started_) {
    const auto header = capture::PcapHeader::parse(rest);
    if (!header) return header.error();
    order_ = header->order();
    nanosecond_ = header->nanosecond() != 0;
    pcap_link_type_ = static_cast<std::uint32_t>(header->header().link_type_code());
    started_ = true;
    return Step{header->size(), false};
  }
  const auto record =
      capture::PcapRecord::parse(rest, order_, static_cast<std::uint8_t>(nanosecond_));
  if (!record) return record.error();
  packet = Packet{};
  packet.number = ++number_;
  packet.data = record->data();
  packet.len = record->orig_len();
  packet.link_type = pcap_link_type_;
  packet.has_time = true;
  packet.seconds = record->ts_sec();
  packet.nanoseconds = static_cast<std::uint32_t>(record->ts_nanoseconds());
  return Step{record->size(), true};
}

// PcapngSectionHeader first and at every block of type 0x0A0D0D0A (which gives
// the byte order of the blocks after it), PcapngBlock everywhere else.
lp::Result<CaptureDecoder::Step> CaptureDecoder::read_pcapng(lp::bytes rest, Packet& packet) {
  if (!started_ || is_section_header(rest)) {
    const auto shb = capture::PcapngSectionHeader::parse(rest);
    if (!shb) return shb.error();
    order_ = shb->order();
    interfaces_.clear();  // interface numbers restart with every section
    started_ = true;
    return Step{shb->size(), false};
  }
  const auto block = capture::PcapngBlock::parse(rest, order_);
  if (!block) return block.error();
  const Step packet_step{block->size(), true};
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
    return packet_step;
  } else if (const auto pb = block->body_packet()) {
    packet = Packet{};
    packet.number = ++number_;
    fill_from_pcapng(packet, *pb, pb->interface_id(), interfaces_);
    return packet_step;
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
    return packet_step;
  }
  return Step{block->size(), false};
}

CaptureReader::CaptureReader(lp::bytes file) noexcept
    : file_(file), decoder_(capture_format(file)) {}

bool CaptureReader::fail(const lp::Error& error, std::size_t at) noexcept {
  error_ = error;
  error_offset_ = at + error.byte_offset();
  offset_ = file_.size();
  return false;
}

bool CaptureReader::next(Packet& packet) {
  if (error_) return false;
  // An empty file is a file header cut short, not an empty capture.
  while (offset_ == 0 || offset_ < file_.size()) {
    const auto step = decoder_.read(file_.drop_first(offset_), packet);
    if (!step) return fail(step.error(), offset_);
    offset_ += step->size;
    if (step->packet) return true;
  }
  return false;
}

lp::Result<lp::FrameSize> CaptureFramer::operator()(lp::bytes available) noexcept {
  if (format_ == CaptureFormat::unknown) {
    if (available.size() < 4) return lp::FrameSize::at_least(4);
    format_ = capture_format(available);
  }
  return format_ == CaptureFormat::pcapng ? pcapng_(available) : pcap_(available);
}

CaptureStream::CaptureStream(std::size_t max_record_size)
    : reader_(CaptureFramer{}, max_record_size) {}

void CaptureStream::feed(lp::bytes piece) noexcept {
  fed_ += piece.size();
  // After a record that did not parse the reader may hold unread bytes: the
  // walk is over, and feeding it would break its precondition.
  if (!error_) reader_.feed(piece);
}

bool CaptureStream::fail(const lp::Error& error, std::size_t at) noexcept {
  error_ = error;
  error_offset_ = at + error.byte_offset();
  return false;
}

bool CaptureStream::next(Packet& packet) {
  if (error_) return false;
  lp::bytes message;
  while (reader_.next(message)) {
    max_buffered_ = std::max(max_buffered_, reader_.buffer_capacity());
    if (!decoder_) decoder_.emplace(capture_format(message));
    const auto step = decoder_->read(message, packet);
    if (!step) return fail(step.error(), static_cast<std::size_t>(reader_.message_offset()));
    if (step->packet) return true;
  }
  max_buffered_ = std::max(max_buffered_, reader_.buffer_capacity());
  if (reader_.error()) {
    // The reader counts the error's offset from the stream's start; lpdump
    // prints it from the record's start, as the file walk does. Unsigned
    // wrap-around makes rebase() subtract.
    const auto at = static_cast<std::size_t>(reader_.offset());
    return fail(lp::Error(*reader_.error()).rebase(std::size_t{0} - at), at);
  }
  if (ended_ && !finished_) {
    finished_ = true;
    return finish(packet);
  }
  return false;
}

// The end of the stream: clean between records; otherwise the error that
// parsing the cut record gives, as a file cut at the same byte gives it.
bool CaptureStream::finish(Packet& packet) {
  const lp::Status end = reader_.finish();
  if (end && fed_ != 0) return false;
  const lp::bytes pending = reader_.pending();
  CaptureDecoder& decoder = decoder_ ? *decoder_ : decoder_.emplace(capture_format(pending));
  const auto at = static_cast<std::size_t>(reader_.offset());
  const auto step = decoder.read(pending, packet);
  if (!step) return fail(step.error(), at);
  if (end) return false;
  // The framer said bytes were missing but the record parsed: report the framer.
  return fail(lp::Error(end.error()).rebase(std::size_t{0} - at), at);
}

CapturePipeReader::CapturePipeReader(int fd, std::size_t read_size) : fd_(fd), chunk_(read_size) {}

bool CapturePipeReader::next(Packet& packet) {
  for (;;) {
    if (stream_.next(packet)) return true;
    if (stream_.error() || stream_.ended() || read_failed()) return false;
    ssize_t got = 0;
    do {
      got = ::read(fd_, chunk_.data(), chunk_.size());
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      read_errno_ = errno;
      return false;
    }
    if (got == 0) {
      stream_.end();  // the next stream_.next() reports a cut record
    } else {
      stream_.feed(lp::bytes(chunk_.data(), static_cast<std::size_t>(got)));
    }
  }
}

}  // namespace lpdump
