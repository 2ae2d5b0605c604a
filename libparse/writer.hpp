// lp::Writer: the output cursor of generated serialize() functions.
//
// A writer either fills a caller's buffer (bounds-checked: running out is
// errc::truncated with the bytes still needed, never a write past the end) or
// only counts (default-constructed: every put advances the position and stores
// nothing), which is how serialized_size() measures a value with the same code
// that writes it. Positions are bits from the start of the output, so bit fields
// of any width at any offset go through the same calls; byte-sized puts on a byte
// boundary store with Boost.Endian like the views' setters.
//
// Lengths that precede what they measure are written first as given (or 0) and
// rewritten with patch_uint() once the measured member is written; checksums the
// same way, over bytes() once the struct is complete.
//
// Cost: O(1) per put (O(n) for n bytes), no allocation. Not thread-safe; one
// writer per output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "libparse/bits.hpp"
#include "libparse/bytes.hpp"
#include "libparse/endian.hpp"
#include "libparse/error.hpp"
#include "libparse/varint.hpp"

namespace lp {

class Writer {
 public:
  // Counting: measures what would be written.
  Writer() noexcept = default;
  explicit Writer(mut_bytes out) noexcept
      : data_(out.data()), capacity_bits_(out.size() * 8), counting_(false) {}

  bool counting() const noexcept { return counting_; }
  std::size_t bit_position() const noexcept { return bits_; }
  // Whole bytes from the start of the output (a partly written byte counts).
  std::size_t size() const noexcept { return (bits_ + 7) / 8; }
  // The bytes written so far; empty when counting.
  mut_bytes written() noexcept { return counting_ ? mut_bytes() : mut_bytes(data_, size()); }

  // Room for `bits` more bits, or errc::truncated at `field` with the bytes missing.
  Status reserve(std::uint64_t bits, std::string_view field) const noexcept {
    if (counting_ || bits <= capacity_bits_ - bits_) return {};
    const std::uint64_t end = bits_ + bits;
    return Error(errc::truncated, field, bits_ / 8, static_cast<unsigned>(bits_ % 8))
        .with_needed((end + 7) / 8 - capacity_bits_ / 8);
  }

  // The low `width` bits (1..64) of `value`: a byte-aligned multiple of 8 bits
  // in `order`, anything else as a bit field (MSB-first unless `lsb_bits`).
  Status put_uint(std::uint64_t value, unsigned width, byte_order order, bool lsb_bits,
                  std::string_view field) noexcept {
    if (Status room = reserve(width, field); !room) return room;
    if (!counting_) store_uint(bits_, value, width, order, lsb_bits);
    bits_ += width;
    return {};
  }

  // Rewrites `width` bits put earlier at `bit_position` (a length or checksum
  // known only later). Does nothing when counting.
  void patch_uint(std::size_t bit_position, std::uint64_t value, unsigned width, byte_order order,
                  bool lsb_bits) noexcept {
    if (!counting_) store_uint(bit_position, value, width, order, lsb_bits);
  }

  template <class Float>
  Status put_float(Float value, byte_order order, std::string_view field) noexcept {
    if (Status room = reserve(sizeof(Float) * 8, field); !room) return room;
    if (!counting_) lp::store<Float>(data_ + bits_ / 8, value, order);
    bits_ += sizeof(Float) * 8;
    return {};
  }

  // Byte strings start on a byte boundary (the schema's layout guarantees it).
  Status put_bytes(bytes value, std::string_view field) noexcept {
    if (Status room = reserve(std::uint64_t{value.size()} * 8, field); !room) return room;
    if (!counting_ && !value.empty()) std::memcpy(data_ + bits_ / 8, value.data(), value.size());
    bits_ += value.size() * 8;
    return {};
  }

  // Pads, alignment and `bytes[n]` left empty: zero bytes.
  Status put_zeros(std::uint64_t count, std::string_view field) noexcept {
    if (Status room = reserve(count * 8, field); !room) return room;
    if (!counting_ && count != 0) std::memset(data_ + bits_ / 8, 0, count);
    bits_ += count * 8;
    return {};
  }

  // LEB128 (protobuf varint) and QUIC varint, in their shortest encoding.
  Status put_varint(std::uint64_t value, std::string_view field) noexcept {
    return put_encoded(varint_size(value), field,
                       [&](mut_bytes out) { return encode_varint(value, out); });
  }
  Status put_quic_varint(std::uint64_t value, std::string_view field) noexcept {
    const std::size_t size = quic_varint_size(value);
    if (size == 0) {
      return Error(errc::bad_value, field, bits_ / 8)
          .with_text("above 2^62 - 1")
          .with_actual(value);
    }
    return put_encoded(size, field, [&](mut_bytes out) { return encode_quic_varint(value, out); });
  }

 private:
  void store_uint(std::size_t at, std::uint64_t value, unsigned width, byte_order order,
                  bool lsb_bits) noexcept {
    std::byte* p = data_ + at / 8;
    if (at % 8 != 0 || width % 8 != 0) {
      if (lsb_bits) {
        write_bits_lsb(data_, at, width, value);
      } else {
        write_bits_msb(data_, at, width, value);
      }
      return;
    }
    // A whole number of bytes (1..8) in the byte order: Boost.Endian's stores.
    const bool big = order == byte_order::big;
    switch (width / 8) {
      case 1:
        p[0] = static_cast<std::byte>(value);
        break;
      case 2:
        big ? store_be_n<2>(p, value) : store_le_n<2>(p, value);
        break;
      case 3:
        big ? store_be_n<3>(p, value) : store_le_n<3>(p, value);
        break;
      case 4:
        big ? store_be_n<4>(p, value) : store_le_n<4>(p, value);
        break;
      case 5:
        big ? store_be_n<5>(p, value) : store_le_n<5>(p, value);
        break;
      case 6:
        big ? store_be_n<6>(p, value) : store_le_n<6>(p, value);
        break;
      case 7:
        big ? store_be_n<7>(p, value) : store_le_n<7>(p, value);
        break;
      default:
        big ? store_be_n<8>(p, value) : store_le_n<8>(p, value);
        break;
    }
  }

  template <class Encode>
  Status put_encoded(std::size_t size, std::string_view field, const Encode& encode) noexcept {
    if (Status room = reserve(std::uint64_t{size} * 8, field); !room) return room;
    if (!counting_) {
      // Cannot fail: the room is reserved and the value's range checked.
      (void)encode(mut_bytes(data_ + bits_ / 8, size));
    }
    bits_ += size * 8;
    return {};
  }

  std::byte* data_ = nullptr;
  std::size_t capacity_bits_ = 0;
  std::size_t bits_ = 0;
  bool counting_ = true;
};

// serialize()'s errors: an Error at bit `bit_position` of the output.
constexpr Error serialize_error(errc code, std::string_view field,
                                std::size_t bit_position) noexcept {
  return Error(code, field, bit_position / 8, static_cast<unsigned>(bit_position % 8));
}

// The Error of a failed step with the enclosing path segments added, so that it
// reads as parse()'s would: "Ipv4.payload.Udp.length", "Tcp.options[2].length".
inline Error outer(const Error& failed, std::string_view type) noexcept {
  Error e = failed;
  e.push_outer(type);
  return e;
}
inline Error outer(const Status& failed, std::string_view type) noexcept {
  return outer(failed.error(), type);
}
inline Error outer(const Status& failed, std::string_view field, std::string_view type) noexcept {
  Error e = failed.error();
  e.push_outer(field).push_outer(type);
  return e;
}
inline Error outer_element(const Error& failed, std::string_view field, std::size_t index,
                           std::string_view type) noexcept {
  Error e = failed;
  e.element_of(field, index).push_outer(type);
  return e;
}
inline Error outer_element(const Status& failed, std::string_view field, std::size_t index,
                           std::string_view type) noexcept {
  return outer_element(failed.error(), field, index, type);
}

// serialize()'s last step: what parse() made of the bytes written. A value whose
// bytes parse() rejects, or reads as a shorter message, is an error here rather
// than a surprise for whoever parses them.
template <class View>
Result<std::size_t> check_serialized(const Result<View>& parsed, std::size_t written) noexcept {
  if (!parsed) return parsed.error();
  if (parsed->size() != written) {
    return Error(errc::bad_length, {}, parsed->size())
        .with_text("parse() reads fewer bytes than serialize() wrote")
        .with_actual(written);
  }
  return written;
}

}  // namespace lp
