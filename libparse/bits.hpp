// Bit fields of any width 1..64 at any bit offset, MSB-first or LSB-first.
//
// MSB-first (network diagrams): bit 0 is the most significant bit of p[0], and a
// field's bits run towards less significant bits, then into p[1]. LSB-first (C
// bit fields on little-endian ABIs, radiotap): bit 0 is the least significant
// bit of p[0], and a field's lowest bit comes first. Both touch only the bytes
// p[bit_offset / 8] .. p[(bit_offset + width - 1) / 8]; writes keep every other
// bit of those bytes and mask off high bits of the value beyond `width`.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lp {

namespace detail {
constexpr std::uint64_t low_mask(unsigned width) noexcept {
  return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}
}  // namespace detail

// Precondition: 1 <= width <= 64, and the bytes above are readable.
constexpr std::uint64_t read_bits_msb(const std::byte* p, std::size_t bit_offset,
                                      unsigned width) noexcept {
  const std::byte* byte = p + bit_offset / 8;
  const unsigned skip = static_cast<unsigned>(bit_offset % 8);  // leading bits of byte 0
  const unsigned total = skip + width;                          // bits spanned, <= 71
  const unsigned count = (total + 7) / 8;                       // bytes spanned, <= 9
  // Up to 8 bytes fit one accumulator; a 9th byte contributes only its top bits.
  std::uint64_t acc = 0;
  const unsigned head = count > 8 ? 8 : count;
  for (unsigned i = 0; i < head; ++i) acc = (acc << 8) | static_cast<std::uint8_t>(byte[i]);
  if (count > 8) {
    const unsigned tail_bits = total - 64;  // bits taken from byte 8
    acc = (acc << tail_bits) | (static_cast<std::uint8_t>(byte[8]) >> (8 - tail_bits));
    return acc & detail::low_mask(width);
  }
  return (acc >> (8 * head - total)) & detail::low_mask(width);
}

constexpr std::uint64_t read_bits_lsb(const std::byte* p, std::size_t bit_offset,
                                      unsigned width) noexcept {
  const std::byte* byte = p + bit_offset / 8;
  const unsigned skip = static_cast<unsigned>(bit_offset % 8);
  const unsigned count = (skip + width + 7) / 8;
  std::uint64_t acc = 0;
  const unsigned head = count > 8 ? 8 : count;
  for (unsigned i = 0; i < head; ++i) {
    acc |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(byte[i])) << (8 * i);
  }
  acc >>= skip;
  if (count > 8) {
    // The 9th byte supplies the top `skip` bits that fell off the accumulator.
    acc |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(byte[8])) << (64 - skip);
  }
  return acc & detail::low_mask(width);
}

constexpr void write_bits_msb(std::byte* p, std::size_t bit_offset, unsigned width,
                              std::uint64_t value) noexcept {
  value &= detail::low_mask(width);
  // Bit by byte: the field's bits [done, done + n) land in byte b at its bits
  // counted from the MSB. Simple and branch-light; setters are not hot paths.
  std::size_t bit = bit_offset;
  unsigned remaining = width;
  while (remaining != 0) {
    const unsigned in_byte = static_cast<unsigned>(bit % 8);
    const unsigned n = (8 - in_byte) < remaining ? (8 - in_byte) : remaining;
    const unsigned shift = 8 - in_byte - n;  // position of the chunk's LSB in the byte
    const auto chunk = static_cast<std::uint8_t>((value >> (remaining - n)) & detail::low_mask(n));
    const auto mask = static_cast<std::uint8_t>(detail::low_mask(n) << shift);
    std::byte& target = p[bit / 8];
    target = static_cast<std::byte>((static_cast<std::uint8_t>(target) & ~mask) | (chunk << shift));
    bit += n;
    remaining -= n;
  }
}

constexpr void write_bits_lsb(std::byte* p, std::size_t bit_offset, unsigned width,
                              std::uint64_t value) noexcept {
  value &= detail::low_mask(width);
  std::size_t bit = bit_offset;
  unsigned done = 0;
  while (done != width) {
    const unsigned in_byte = static_cast<unsigned>(bit % 8);
    const unsigned n = (8 - in_byte) < (width - done) ? (8 - in_byte) : (width - done);
    const auto chunk = static_cast<std::uint8_t>((value >> done) & detail::low_mask(n));
    const auto mask = static_cast<std::uint8_t>(detail::low_mask(n) << in_byte);
    std::byte& target = p[bit / 8];
    target =
        static_cast<std::byte>((static_cast<std::uint8_t>(target) & ~mask) | (chunk << in_byte));
    bit += n;
    done += n;
  }
}

// Two's-complement value of the low `width` bits (1..64).
constexpr std::int64_t sign_extend(std::uint64_t value, unsigned width) noexcept {
  if (width >= 64) return static_cast<std::int64_t>(value);
  const std::uint64_t sign = std::uint64_t{1} << (width - 1);
  value &= detail::low_mask(width);
  return static_cast<std::int64_t>((value ^ sign) - sign);
}

}  // namespace lp
