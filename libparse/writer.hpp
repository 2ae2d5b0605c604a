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
// The writer keeps the first error, as a std::ostream keeps its failed state:
// once a put fails, the writer holds its lp::Error and every later put, patch
// and zero fill does nothing, so a serializer writes one statement per field and
// looks at the writer only where what follows depends on success (a child's
// error path, bytes read back) and at its end. A put checks that the value fits
// its width before it checks the room.
//
// Lengths that precede what they measure are written first as given (or 0) and
// rewritten with patch_uint() once the measured member is written; checksums the
// same way, over written() once the struct is complete.
//
// Cost: O(1) per put (O(n) for n bytes), no allocation; the error paths are out
// of line. The writer holds an lp::Error (a few hundred bytes) for its failure;
// success writes one flag. Not thread-safe; one writer per output, whose buffer
// must outlive it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "libparse/bits.hpp"
#include "libparse/bytes.hpp"
#include "libparse/endian.hpp"
#include "libparse/error.hpp"
#include "libparse/varint.hpp"

namespace lp {

namespace detail {
// "does not fit in N bits" for N = 1..64, in static storage: an Error keeps its
// text as a string_view.
struct FitTexts {
  static constexpr std::string_view head = "does not fit in ";
  std::array<std::array<char, 24>, 65> text{};
  std::array<std::size_t, 65> size{};
  constexpr FitTexts() {
    for (unsigned n = 1; n <= 64; ++n) {
      std::size_t at = 0;
      for (const char c : head) text[n][at++] = c;
      if (n >= 10) text[n][at++] = static_cast<char>('0' + n / 10);
      text[n][at++] = static_cast<char>('0' + n % 10);
      for (const char c : std::string_view(n == 1 ? " bit" : " bits")) text[n][at++] = c;
      size[n] = at;
    }
  }
  constexpr std::string_view operator[](unsigned width) const noexcept {
    return {text[width].data(), size[width]};
  }
};
inline constexpr FitTexts fit_texts{};
}  // namespace detail

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

  // ---------------------------------------------------------------- state
  // No error so far.
  bool ok() const noexcept { return status_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  // The first error. Precondition: !ok().
  const Error& error() const noexcept { return status_.error(); }
  // {} or the first error.
  Status status() const noexcept { return status_; }

  // ---------------------------------------------------------------- puts
  // Each returns ok() after it: false once any put has failed, this one or an
  // earlier one. Errors name `field` and the bit position where the put began.

  // The low `width` bits (1..64) of `value`: a byte-aligned multiple of 8 bits
  // in `order`, anything else as a bit field (MSB-first unless `lsb_bits`).
  // A value with bits above `width` is errc::bad_value ("does not fit in N bits").
  bool put_uint(std::uint64_t value, unsigned width, byte_order order, bool lsb_bits,
                std::string_view field) noexcept {
    if (width < 64 && (value >> width) != 0) [[unlikely]]
      return fail_not_fitting(value, false, width, field);
    if (width > capacity_bits_ - bits_) [[unlikely]]
      return fail_room(width, field);
    if (!counting_) store_uint(bits_, value, width, order, lsb_bits);
    bits_ += width;
    return true;  // a failed writer has no room left: reaching here means none failed
  }
  // A signed value in two's complement: outside [-2^(width-1), 2^(width-1)) is
  // errc::bad_value with the value as a signed actual().
  bool put_int(std::int64_t value, unsigned width, byte_order order, bool lsb_bits,
               std::string_view field) noexcept {
    if (width < 64) {
      const std::int64_t half = std::int64_t{1} << (width - 1);
      if (value < -half || value >= half) [[unlikely]]
        return fail_not_fitting(static_cast<std::uint64_t>(value), true, width, field);
    }
    if (width > capacity_bits_ - bits_) [[unlikely]]
      return fail_room(width, field);
    if (!counting_) store_uint(bits_, static_cast<std::uint64_t>(value), width, order, lsb_bits);
    bits_ += width;
    return true;
  }

  template <class Float>
  bool put_float(Float value, byte_order order, std::string_view field) noexcept {
    if (sizeof(Float) * 8 > capacity_bits_ - bits_) [[unlikely]]
      return fail_room(sizeof(Float) * 8, field);
    if (!counting_) lp::store<Float>(data_ + bits_ / 8, value, order);
    bits_ += sizeof(Float) * 8;
    return true;
  }

  // Byte strings start on a byte boundary (the schema's layout guarantees it).
  bool put_bytes(bytes value, std::string_view field) noexcept {
    if (value.size() > room_bytes()) [[unlikely]]
      return fail_room_bytes(value.size(), field);
    if (!counting_ && !value.empty()) std::memcpy(data_ + bits_ / 8, value.data(), value.size());
    bits_ += value.size() * 8;
    return ok();  // an empty put also reports an earlier failure
  }

  // Pads, alignment and `bytes[n]` left empty: zero bytes.
  bool put_zeros(std::uint64_t count, std::string_view field) noexcept {
    if (count > room_bytes()) [[unlikely]]
      return fail_room_bytes(count, field);
    if (!counting_ && count != 0) std::memset(data_ + bits_ / 8, 0, count);
    bits_ += static_cast<std::size_t>(count) * 8;
    return ok();
  }

  // LEB128 (protobuf varint) and QUIC varint, in their shortest encoding.
  bool put_varint(std::uint64_t value, std::string_view field) noexcept {
    return put_encoded(varint_size(value), field,
                       [&](mut_bytes out) { return encode_varint(value, out); });
  }
  bool put_quic_varint(std::uint64_t value, std::string_view field) noexcept {
    const std::size_t size = quic_varint_size(value);
    if (size == 0) [[unlikely]]
      return fail_quic_range(value, field);
    return put_encoded(size, field, [&](mut_bytes out) { return encode_quic_varint(value, out); });
  }

  // Rewrites `width` bits put earlier at `bit_position` (a length or checksum
  // known only later). Does nothing when counting or once an error is held (the
  // put it would rewrite may be the one that failed).
  void patch_uint(std::size_t bit_position, std::uint64_t value, unsigned width, byte_order order,
                  bool lsb_bits) noexcept {
    if (!counting_ && ok()) store_uint(bit_position, value, width, order, lsb_bits);
  }

  // ---------------------------------------------------------------- errors
  // An error found outside a put (a missing value, a length that disagrees):
  // kept unless the writer already holds one, since the first error wins.
  Writer& fail(const Error& error) noexcept {
    if (ok()) {
      status_ = error;
      capacity_bits_ = bits_;  // no room left: every later put fails, and keeps this error
    }
    return *this;
  }

  // The error on its way out of a struct, as parse() builds its path
  // ("Ipv4.payload.Udp.length", "Tcp.options[2].length"): each adds segments to
  // the error held (which keeps them) and returns it; {} when there is none.
  // Generated serialize_to() ends with outer(type_name).
  Status outer(std::string_view type) noexcept {
    if (ok()) [[likely]]
      return {};
    return with_outer({}, type);
  }
  // A child's error: the field that holds it, then this struct's type.
  Status outer(std::string_view field, std::string_view type) noexcept {
    if (ok()) [[likely]]
      return {};
    return with_outer(field, type);
  }
  // An error in element `index` of array `field` (element_of(), then `type`).
  Status outer_element(std::string_view field, std::size_t index, std::string_view type) noexcept {
    if (ok()) [[likely]]
      return {};
    return with_outer_element(field, index, type);
  }

 private:
  std::size_t room_bytes() const noexcept { return (capacity_bits_ - bits_) / 8; }

  [[gnu::cold, gnu::noinline]] bool fail_not_fitting(std::uint64_t value, bool is_signed,
                                                     unsigned width,
                                                     std::string_view field) noexcept {
    Error e(errc::bad_value, field, bits_ / 8, static_cast<unsigned>(bits_ % 8));
    e.with_text(detail::fit_texts[width]);
    if (is_signed) {
      e.with_actual_signed(static_cast<std::int64_t>(value));
    } else {
      e.with_actual(value);
    }
    fail(e);
    return false;
  }

  // Truncated, with the bytes missing; a counting writer only runs out past
  // SIZE_MAX bits, which is an overflow.
  [[gnu::cold, gnu::noinline]] bool fail_room(std::uint64_t bits, std::string_view field) noexcept {
    if (!ok()) return false;  // failed before: no room is left
    Error e(counting_ ? errc::overflow : errc::truncated, field, bits_ / 8,
            static_cast<unsigned>(bits_ % 8));
    if (counting_) {
      e.with_text("the output's size in bits overflows");
    } else {
      // End of the put in bits, saturated: (end + 7) / 8 without overflowing.
      const std::uint64_t end = bits > std::numeric_limits<std::uint64_t>::max() - bits_
                                    ? std::numeric_limits<std::uint64_t>::max()
                                    : bits_ + bits;
      e.with_needed(
          static_cast<std::size_t>(end / 8 + (end % 8 != 0 ? 1 : 0) - capacity_bits_ / 8));
    }
    fail(e);
    return false;
  }
  bool fail_room_bytes(std::uint64_t count, std::string_view field) noexcept {
    constexpr std::uint64_t max_count = std::numeric_limits<std::uint64_t>::max() / 8;
    return fail_room(count > max_count ? std::numeric_limits<std::uint64_t>::max() : count * 8,
                     field);
  }

  [[gnu::cold, gnu::noinline]] bool fail_quic_range(std::uint64_t value,
                                                    std::string_view field) noexcept {
    fail(Error(errc::bad_value, field, bits_ / 8).with_text("above 2^62 - 1").with_actual(value));
    return false;
  }

  [[gnu::cold, gnu::noinline]] Status with_outer(std::string_view field,
                                                 std::string_view type) noexcept {
    Error e = status_.error();
    if (!field.empty()) e.push_outer(field);
    e.push_outer(type);
    status_ = e;
    return status_;
  }
  [[gnu::cold, gnu::noinline]] Status with_outer_element(std::string_view field, std::size_t index,
                                                         std::string_view type) noexcept {
    Error e = status_.error();
    e.element_of(field, index).push_outer(type);
    status_ = e;
    return status_;
  }

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
  bool put_encoded(std::size_t size, std::string_view field, const Encode& encode) noexcept {
    if (size > room_bytes()) [[unlikely]]
      return fail_room_bytes(size, field);
    if (!counting_) {
      // Cannot fail: the room is reserved and the value's range checked.
      (void)encode(mut_bytes(data_ + bits_ / 8, size));
    }
    bits_ += size * 8;
    return true;  // size >= 1, so a failed writer stopped at the room check
  }

  std::byte* data_ = nullptr;
  // Counting, the most a size_t counts; after the first error, bits_ (no room).
  std::size_t capacity_bits_ = std::numeric_limits<std::size_t>::max();
  std::size_t bits_ = 0;
  bool counting_ = true;
  Status status_;  // ok until the first error, then that error (with its path so far)
};

// serialize()'s errors: an Error at bit `bit_position` of the output.
constexpr Error serialize_error(errc code, std::string_view field,
                                std::size_t bit_position) noexcept {
  return Error(code, field, bit_position / 8, static_cast<unsigned>(bit_position % 8));
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
