// lp::StreamReader: whole messages out of a byte stream that arrives in pieces
// (a TCP connection, a pipe, a file still being written).
//
// feed() hands the reader the next piece as it arrived; next() then gives each
// complete message in turn as contiguous lp::bytes. A framer tells the reader
// how long the message at the start of the unread bytes is: a generated view
// (view_framer<T>: parse, and a truncation error's needed() says how many more
// bytes to wait for) or a dedicated one that reads only a header
// (length_prefix_framer, tls_record_framer, mqtt_framer, pcap_framer,
// pcapng_framer).
//
// Cost: a message that lies inside one piece is a view into that piece (no
// copy). A message that straddles pieces is copied once, byte by byte as it
// arrives, into one internal buffer; that buffer never holds more than one
// message and never grows past max_message_size, so memory is bounded whatever
// the stream's length. Once a message's size is known the framer is not run
// again for it: a large message arriving byte by byte costs O(its size), not a
// re-parse per piece. No allocation except that buffer's growth, up to the
// largest message that straddled pieces.
//
// Lifetime: a message from next() is valid until the next call of next() or
// feed(). The piece given to feed() must stay alive and unchanged until next()
// has returned false (the reader then keeps, as a copy, only the start of the
// message the piece ends inside).
//
// Errors: a message declared longer than max_message_size is errc::limit_exceeded
// before any of it is buffered; a frame the framer rejects keeps the framer's
// error (its field path, e.g. `PcapngBlock.block_total_length`) with the byte
// offset rebased to the stream: error().byte_offset() counts from the stream's
// first byte. After an error next() returns false for good. At the end of the
// stream, finish() says whether a message was left incomplete.
//
//   lp::StreamReader reader(lp::length_prefix_framer{2}, 2 + 65535);   // DNS over TCP
//   while (std::size_t got = recv_some(socket, buffer)) {
//     reader.feed(lp::bytes(buffer.data(), got));
//     lp::bytes message;
//     while (reader.next(message)) {
//       auto query = net::DnsTcp::parse(message);   // a view into `buffer` or the reader
//       ...
//     }
//     if (reader.error()) return close_with(*reader.error());   // "limit exceeded at byte 4711
//     ..."
//   }
//   if (auto end = reader.finish(); !end) log("{}", end.error());  // cut inside a message
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "libparse/bytes.hpp"
#include "libparse/endian.hpp"
#include "libparse/error.hpp"
#include "libparse/options.hpp"

namespace lp {

// What a framer knows about the message at the start of the bytes it was shown.
struct FrameSize {
  // known: the whole message's size in bytes (at least 1, may exceed the bytes
  // shown). Otherwise: the fewest bytes the framer must see before it can say
  // more (more than it was shown).
  std::size_t size = 0;
  bool known = false;

  static constexpr FrameSize exactly(std::size_t n) noexcept { return {n, true}; }
  static constexpr FrameSize at_least(std::size_t n) noexcept { return {n, false}; }
};

// A framer is called with the unread bytes from the start of a message (at least
// one byte) and returns its FrameSize or an Error (offsets from that start).
// A call that returns a known size is the last one for that message: the next
// call is about the message after it, so a framer may keep state from one
// message to the next (pcap's byte order, a pcapng section's).
template <class F>
concept framer = requires(F& f, lp::bytes available) {
  { f(available) } -> std::same_as<Result<FrameSize>>;
};

template <framer Framer>
class StreamReader {
 public:
  // max_message_size: the longest message accepted, and so the most bytes the
  // reader ever copies and holds.
  StreamReader(Framer framer,
               std::size_t max_message_size) noexcept(std::is_nothrow_move_constructible_v<Framer>)
      : framer_(std::move(framer)), max_(max_message_size) {}

  // The next piece of the stream. Precondition: next() has returned false since
  // the previous feed() (every message of the previous piece was taken).
  void feed(lp::bytes piece) noexcept {
    if (pos_ != piece_.size() && !error_) misuse();
    release_message();
    piece_ = piece;
    pos_ = 0;
  }

  // The next complete message into `message`; false when the fed bytes hold no
  // further complete message (feed more) or the stream is broken (error()).
  bool next(lp::bytes& message) {
    if (error_) return false;
    release_message();
    if (!buffer_.empty()) return next_buffered(message);
    if (pos_ == piece_.size()) return false;
    const lp::bytes rest = piece_.subspan(lp::unchecked, pos_);
    const auto frame = framer_(rest);
    if (!check(frame, rest.size())) return false;
    if (frame->known && frame->size <= rest.size()) {
      message = rest.first(frame->size);  // zero-copy: a view into the piece
      deliver(frame->size);
      pos_ += frame->size;
      return true;
    }
    // The piece ends inside this message: keep its start (check() made sure the
    // message may be that long) and wait for the next piece. The buffer keeps
    // its allocation for the next message that straddles pieces.
    want_ = *frame;
    buffer_.reserve(frame->size);
    buffer_.assign(rest.begin(), rest.end());
    pos_ = piece_.size();
    return false;
  }

  // The reason the stream broke, once next() has returned false for it.
  const std::optional<Error>& error() const noexcept { return error_; }

  // At the end of the stream: success when it ended between messages, else
  // errc::truncated at the incomplete message's offset (needed(): how many more
  // bytes it lacks, at least), or the error the stream broke with.
  Status finish() const noexcept {
    if (error_) return *error_;
    // Unread bytes left in the piece: next() was not called until it said false.
    const std::size_t partial = buffered() + (piece_.size() - pos_);
    if (partial == 0) return Status();
    return Error(errc::truncated, {}, static_cast<std::size_t>(offset_))
        .with_text("the stream ended inside a message")
        .with_needed(want_.size > partial ? want_.size - partial : 1);
  }

  // Stream offset of the first byte of the message next() returned last.
  std::uint64_t message_offset() const noexcept { return message_offset_; }
  // Stream offset of the first byte not yet returned in a message.
  std::uint64_t offset() const noexcept { return offset_; }
  // Bytes of an incomplete message copied and held, waiting for the rest.
  std::size_t buffered() const noexcept { return from_buffer_ ? 0 : buffer_.size(); }
  // Those bytes: the start of the message the stream was cut inside, for a
  // diagnosis at its end (parse them to learn which field is missing). Valid
  // until the next feed() or next().
  lp::bytes pending() const noexcept {
    return from_buffer_ ? lp::bytes() : lp::bytes(buffer_.data(), buffer_.size());
  }
  // The internal buffer's allocation: never above max_message_size().
  std::size_t buffer_capacity() const noexcept { return buffer_.capacity(); }
  std::size_t max_message_size() const noexcept { return max_; }
  // The framer, for what it learned (a pcap file's byte order, the last view).
  Framer& framer() noexcept { return framer_; }
  const Framer& framer() const noexcept { return framer_; }

 private:
  [[noreturn]] static void misuse() noexcept {
    std::fputs("lp::StreamReader::feed() called before next() returned false\n", stderr);
    std::abort();
  }

  // The message returned last lived in buffer_: its time is up.
  void release_message() noexcept {
    if (from_buffer_) {
      buffer_.clear();
      from_buffer_ = false;
    }
  }

  void deliver(std::size_t size) noexcept {
    message_offset_ = offset_;
    offset_ += size;
    want_ = FrameSize{};
  }

  // A framer's answer about `shown` bytes: an error, or a size the reader can use.
  bool check(const Result<FrameSize>& frame, std::size_t shown) {
    if (!frame) return fail(Error(frame.error()).rebase(static_cast<std::size_t>(offset_)));
    const FrameSize f = *frame;
    if (f.known ? f.size == 0 : f.size <= shown) {
      // A framer bug, not the stream's: reading on would loop forever.
      return fail(Error(errc::bad_length, {}, static_cast<std::size_t>(offset_))
                      .with_text(f.known ? "the framer gave an empty message"
                                         : "the framer asked for bytes it already had")
                      .with_actual(f.size));
    }
    if (f.size > max_) {
      return fail(Error(errc::limit_exceeded, {}, static_cast<std::size_t>(offset_))
                      .with_text("message longer than the stream's maximum size")
                      .with_actual(f.size));
    }
    return true;
  }

  bool fail(const Error& error) noexcept {
    error_ = error;
    return false;
  }

  // A message straddling pieces: copy from the piece up to what the framer
  // asked for, and run the framer again only when it had no size yet.
  bool next_buffered(lp::bytes& message) {
    for (;;) {
      const std::size_t take = std::min(want_.size - buffer_.size(), piece_.size() - pos_);
      const lp::bytes more = piece_.subspan(lp::unchecked, pos_, take);
      buffer_.insert(buffer_.end(), more.begin(), more.end());
      pos_ += take;
      if (buffer_.size() < want_.size) return false;  // the piece is used up
      if (want_.known) {
        message = lp::bytes(buffer_.data(), buffer_.size());
        deliver(buffer_.size());
        from_buffer_ = true;
        return true;
      }
      const lp::bytes held(buffer_.data(), buffer_.size());
      const auto frame = framer_(held);
      if (!check(frame, held.size())) return false;
      if (frame->known && frame->size < held.size()) {
        // Copied bytes of the next message: the framer asked for more than
        // this message's size, which a framer must never do.
        return fail(Error(errc::bad_length, {}, static_cast<std::size_t>(offset_))
                        .with_text("the framer asked for more bytes than the message has")
                        .with_actual(frame->size));
      }
      want_ = *frame;
      buffer_.reserve(want_.size);
    }
  }

  Framer framer_;
  std::size_t max_;
  lp::bytes piece_;
  std::size_t pos_ = 0;            // next unread byte of piece_
  std::vector<std::byte> buffer_;  // the start of a message that straddles pieces
  bool from_buffer_ = false;       // the message returned last is buffer_
  FrameSize want_;                 // what the buffered message needs
  std::uint64_t offset_ = 0;       // stream offset of the next message
  std::uint64_t message_offset_ = 0;
  std::optional<Error> error_;
};

// ---------------------------------------------------------------------------
// Framers

// Any parse function (bytes -> Result<View>) as a framer: the message is what
// parse() validates, view.size() bytes; a truncation error waits for needed()
// more bytes. The type must delimit itself (every length in the message, no
// rest-of-buffer field at its end), or a parse of a prefix would succeed.
// last_view() is the view of the message next() returned last (parsed over the
// same memory), so the caller need not parse it again.
template <class Parse>
class parse_framer {
 public:
  using View = std::remove_cvref_t<decltype(*std::declval<Parse&>()(lp::bytes()))>;

  explicit parse_framer(Parse parse) noexcept(std::is_nothrow_move_constructible_v<Parse>)
      : parse_(std::move(parse)) {}

  Result<FrameSize> operator()(lp::bytes available) {
    auto parsed = parse_(available);
    if (parsed) {
      last_ = *parsed;
      return FrameSize::exactly(parsed->size());
    }
    const Error& e = parsed.error();
    if (e.code() != errc::truncated) return e;
    return FrameSize::at_least(available.size() + std::max<std::size_t>(e.needed(), 1));
  }

  // The view of the message whose size this framer gave last.
  const View& last_view() const noexcept { return last_; }

 private:
  Parse parse_;
  View last_{};
};

// The generated type T (T::parse(bytes, options)) as a framer:
// lp::StreamReader reader(lp::view_framer<net::DnsTcp>(), 65537);
template <class T>
auto view_framer(const ParseOptions& options = {}) {
  return parse_framer([options](lp::bytes b) { return T::parse(b, options); });
}

// A big-endian length of `width` bytes (1 to 8), then that many bytes: DNS
// over TCP (RFC 1035 §4.2.2, width 2), many RPC protocols.
struct length_prefix_framer {
  std::size_t width = 2;

  Result<FrameSize> operator()(lp::bytes available) const noexcept {
    if (width == 0 || width > 8) {
      return Error(errc::bad_value, "width", 0).with_text("1 to 8 bytes").with_actual(width);
    }
    if (available.size() < width) return FrameSize::at_least(width);
    std::uint64_t length = 0;
    for (std::size_t i = 0; i < width; ++i) length = length << 8 | available.u8(i);
    if (length > SIZE_MAX - width) {
      return Error(errc::overflow, "length", 0).with_text("width + length").with_actual(length);
    }
    return FrameSize::exactly(width + static_cast<std::size_t>(length));
  }
};

// TLS records (RFC 8446 §5.1): content type, version, a big-endian u16 length,
// then the fragment. A length above 2^14 + 2048 is refused as tls.Record is.
struct tls_record_framer {
  static constexpr std::size_t header_size = 5;
  static constexpr std::size_t max_fragment = 16384 + 2048;

  Result<FrameSize> operator()(lp::bytes available) const noexcept {
    if (available.size() < header_size) return FrameSize::at_least(header_size);
    const std::size_t length = lp::load_be<std::uint16_t>(available.data() + 3);
    if (length > max_fragment) {
      return Error(errc::constraint_failed, "length", 3)
          .push_outer("Record")
          .with_text("length <= MAX_RECORD_FRAGMENT")
          .with_actual(length);
    }
    return FrameSize::exactly(header_size + length);
  }
};

// MQTT control packets (MQTT 3.1.1 §2.2, 5.0 §2.1): one byte of type and flags,
// then the remaining length as a variable byte integer of 1 to 4 bytes (7 bits
// each, least significant first, bit 7 set on every byte but the last).
struct mqtt_framer {
  static constexpr std::size_t max_length_bytes = 4;

  Result<FrameSize> operator()(lp::bytes available) const noexcept {
    std::size_t length = 0;
    for (std::size_t i = 0; i < max_length_bytes; ++i) {
      if (available.size() < 2 + i) return FrameSize::at_least(2 + i);
      const unsigned byte = available.u8(1 + i);
      length |= std::size_t{byte & 0x7Fu} << (7 * i);
      if ((byte & 0x80u) == 0) return FrameSize::exactly(2 + i + length);
    }
    return Error(errc::bad_value, "remaining_length", 1)
        .push_outer("MqttFixedHeader")
        .with_text("more than 4 bytes");
  }
};

// The capture framers below check only what framing needs (a magic number that
// gives the byte order, a length that can be a record or block), with the error
// the generated capture/ views give for it (same errc, offset, path and text):
// parsing each framed message with those views finds every other problem.

// A classic pcap file: the 24-byte file header is the first message, then each
// record (16-byte header, incl_len captured bytes) one message. The header's
// magic sets the byte order of the records (order(), nanosecond()). A record
// longer than 256 MiB is refused as capture.PcapRecord does.
class pcap_framer {
 public:
  static constexpr std::size_t file_header_size = 24;
  static constexpr std::size_t record_header_size = 16;
  static constexpr std::uint32_t max_captured_length = 0x1000'0000;

  Result<FrameSize> operator()(lp::bytes available) noexcept {
    if (!header_seen_) {
      if (available.size() < 4) return FrameSize::at_least(4);
      const std::uint32_t magic = lp::load_be<std::uint32_t>(available.data());
      if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D) {
        order_ = byte_order::big;
      } else if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1) {
        order_ = byte_order::little;
      } else {
        return Error(errc::constraint_failed, "magic", 0)
            .push_outer("PcapHeader")
            .with_text(
                "magic == PCAP_MAGIC_MICROSECONDS || magic == PCAP_MAGIC_NANOSECONDS || magic == "
                "PCAP_MAGIC_MICROSECONDS_SWAPPED || magic == PCAP_MAGIC_NANOSECONDS_SWAPPED")
            .with_actual(magic);
      }
      nanosecond_ = magic == 0xA1B23C4D || magic == 0x4D3CB2A1;
      header_seen_ = true;
      return FrameSize::exactly(file_header_size);
    }
    if (available.size() < record_header_size) return FrameSize::at_least(record_header_size);
    const std::uint32_t incl_len = lp::load<std::uint32_t>(available.data() + 8, order_);
    if (incl_len > max_captured_length) {
      return Error(errc::constraint_failed, "incl_len", 8)
          .push_outer("PcapRecord")
          .with_text("incl_len <= PCAP_MAX_CAPTURED_LENGTH")
          .with_actual(incl_len);
    }
    return FrameSize::exactly(record_header_size + incl_len);
  }

  // Known once the file header was framed (the first message).
  byte_order order() const noexcept { return order_; }
  bool nanosecond() const noexcept { return nanosecond_; }

 private:
  bool header_seen_ = false;
  bool nanosecond_ = false;
  byte_order order_ = byte_order::big;
};

// A pcapng file: each block one message (block type, block total length, body,
// total length again). A Section Header Block, first in the stream and wherever
// its type 0x0A0D0D0A appears, sets the byte order of the blocks after it
// (order()). Refused: a first block that is not an SHB, an SHB's unknown
// byte-order magic, a total length below 28 (SHB) or 12 (other blocks). A
// length of at least that which is not a multiple of 4, or a trailing copy
// that disagrees, still frames a block: parsing it says what is wrong.
class pcapng_framer {
 public:
  static constexpr std::uint32_t section_header_type = 0x0A0D0D0A;

  Result<FrameSize> operator()(lp::bytes available) noexcept {
    if (available.size() < 4) return FrameSize::at_least(4);
    const std::uint32_t type = lp::load_be<std::uint32_t>(available.data());
    const bool section = type == section_header_type;
    if (!section && !section_seen_) {
      return Error(errc::constraint_failed, "block_type", 0)
          .push_outer("PcapngSectionHeader")
          .with_text("block_type == PCAPNG_SECTION_HEADER")
          .with_actual(type);
    }
    byte_order order = order_;
    if (section) {
      if (available.size() < 12) return FrameSize::at_least(12);
      const std::uint32_t magic = lp::load_be<std::uint32_t>(available.data() + 8);
      if (magic == 0x1A2B3C4D) {
        order = byte_order::big;
      } else if (magic == 0x4D3C2B1A) {
        order = byte_order::little;
      } else {
        return Error(errc::constraint_failed, "byte_order_magic", 8)
            .push_outer("PcapngSectionHeader")
            .with_text(
                "byte_order_magic == PCAPNG_BYTE_ORDER_MAGIC || byte_order_magic == "
                "PCAPNG_BYTE_ORDER_MAGIC_SWAPPED")
            .with_actual(magic);
      }
    } else if (available.size() < 8) {
      return FrameSize::at_least(8);
    }
    const std::uint32_t length = lp::load<std::uint32_t>(available.data() + 4, order);
    // In the schema's order: the SHB's `require block_total_length % 4 == 0`
    // only needs the length, so it is checked before the section's fields.
    if (section && length < 28 && length % 4 != 0) {
      return Error(errc::constraint_failed, "block_total_length", 12)
          .push_outer("PcapngSectionHeader")
          .with_text("block_total_length % 4 == 0");
    }
    if (section && length < 28) {
      return Error(errc::overflow, "section", 12)
          .push_outer("PcapngSectionHeader")
          .with_text("block_total_length - 28");
    }
    if (length < 12) {
      return Error(errc::constraint_failed, "block_total_length", 4)
          .push_outer("PcapngBlock")
          .with_text("block_total_length >= 12")
          .with_actual(length);
    }
    // The order changes only once the SHB is framed for good.
    order_ = order;
    section_seen_ = true;
    return FrameSize::exactly(length);
  }

  // The byte order of the current section (known once its SHB was framed).
  byte_order order() const noexcept { return order_; }

 private:
  bool section_seen_ = false;
  byte_order order_ = byte_order::big;
};

}  // namespace lp
