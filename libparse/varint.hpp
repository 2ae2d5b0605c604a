// Variable-length integers: LEB128 / Protocol Buffers varints (with zigzag for
// sint32/sint64) and QUIC variable-length integers (RFC 9000 §16).
//
// decode_* read one integer at the start of a byte view and return its value and
// how many bytes it took; encode_* write one into a mutable view. Everything is
// O(encoded size) (at most 10 bytes), allocation-free and never reads outside
// the view. Errors are lp::Error values with an empty path and offsets relative
// to the view: generated code rebases them and names the field.
//
// Varint rules (strict, so that one value has one encoding):
// - at most 10 bytes; a 10th byte above 1 (a value above 2^64 - 1) or an 11th
//   byte is errc::bad_value ("varint too long");
// - a multi-byte encoding whose last byte is 0x00 is errc::bad_value
//   ("overlong varint": the same value fits in fewer bytes);
// - the view ending before a byte without the continuation bit is
//   errc::truncated with needed() == 1 (at least one more byte).
// QUIC varints: the two top bits of the first byte give the length (1, 2, 4 or 8
// bytes), the remaining bits the value, big-endian; values up to 2^62 - 1.
// RFC 9000 allows non-minimal encodings, so they are accepted.
#pragma once

#include <cstddef>
#include <cstdint>

#include "libparse/bytes.hpp"
#include "libparse/error.hpp"

namespace lp {

// A decoded value and the number of bytes it occupied.
template <class T>
struct decoded {
  T value{};
  std::size_t size = 0;
};

inline constexpr std::size_t max_varint_size = 10;
inline constexpr std::uint64_t max_quic_varint = (std::uint64_t{1} << 62) - 1;

constexpr std::int64_t zigzag_decode(std::uint64_t v) noexcept {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

constexpr std::uint64_t zigzag_encode(std::int64_t v) noexcept {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline Result<decoded<std::uint64_t>> decode_varint(lp::bytes in) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < max_varint_size; ++i) {
    if (i == in.size()) return Error(errc::truncated, {}, i).with_needed(1);
    const auto byte = std::to_integer<std::uint64_t>(in[i]);
    if (i == max_varint_size - 1 && byte > 1) {
      return Error(errc::bad_value, {}, 0).with_text("varint too long");
    }
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i != 0) return Error(errc::bad_value, {}, 0).with_text("overlong varint");
      return decoded<std::uint64_t>{value, i + 1};
    }
  }
  return Error(errc::bad_value, {}, 0).with_text("varint too long");
}

inline Result<decoded<std::int64_t>> decode_zigzag(lp::bytes in) noexcept {
  const auto r = decode_varint(in);
  if (!r) return r.error();
  return decoded<std::int64_t>{zigzag_decode(r->value), r->size};
}

inline Result<decoded<std::uint64_t>> decode_quic_varint(lp::bytes in) noexcept {
  if (in.empty()) return Error(errc::truncated, {}, 0).with_needed(1);
  const auto first = std::to_integer<std::uint64_t>(in[0]);
  const std::size_t size = std::size_t{1} << (first >> 6);
  if (in.size() < size) return Error(errc::truncated, {}, 0).with_needed(size - in.size());
  std::uint64_t value = first & 0x3f;
  for (std::size_t i = 1; i < size; ++i)
    value = (value << 8) | std::to_integer<std::uint64_t>(in[i]);
  return decoded<std::uint64_t>{value, size};
}

// Bytes the shortest encoding of v takes (1..10).
constexpr std::size_t varint_size(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Bytes the shortest QUIC encoding of v takes (1, 2, 4 or 8); 0 above 2^62 - 1.
constexpr std::size_t quic_varint_size(std::uint64_t v) noexcept {
  if (v < (1U << 6)) return 1;
  if (v < (1U << 14)) return 2;
  if (v < (std::uint64_t{1} << 30)) return 4;
  if (v <= max_quic_varint) return 8;
  return 0;
}

// Writes the shortest encoding of v at the start of out; returns its size.
// errc::truncated (needed() = the missing bytes) when out is too small.
inline Result<std::size_t> encode_varint(std::uint64_t v, lp::mut_bytes out) noexcept {
  const std::size_t size = varint_size(v);
  if (out.size() < size) return Error(errc::truncated, {}, 0).with_needed(size - out.size());
  for (std::size_t i = 0; i + 1 < size; ++i) {
    out[i] = static_cast<std::byte>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out[size - 1] = static_cast<std::byte>(v);
  return size;
}

inline Result<std::size_t> encode_zigzag(std::int64_t v, lp::mut_bytes out) noexcept {
  return encode_varint(zigzag_encode(v), out);
}

// Writes the shortest QUIC encoding of v; errc::bad_value above 2^62 - 1,
// errc::truncated when out is too small.
inline Result<std::size_t> encode_quic_varint(std::uint64_t v, lp::mut_bytes out) noexcept {
  const std::size_t size = quic_varint_size(v);
  if (size == 0) {
    return Error(errc::bad_value, {}, 0).with_text("above 2^62 - 1").with_actual(v);
  }
  if (out.size() < size) return Error(errc::truncated, {}, 0).with_needed(size - out.size());
  const std::uint64_t prefix = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
  for (std::size_t i = 0; i < size; ++i) {
    out[size - 1 - i] = static_cast<std::byte>(v & 0xff);
    v >>= 8;
  }
  out[0] = static_cast<std::byte>(std::to_integer<std::uint64_t>(out[0]) | (prefix << 6));
  return size;
}

}  // namespace lp
