// lp::InternetChecksum: the 16-bit one's-complement sum of RFC 1071, the checksum
// of IPv4, ICMP, UDP, TCP and ICMPv6, and the pseudo-headers UDP, TCP and ICMPv6
// add to it (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1).
//
// A sum accumulates any number of byte ranges as if they were one stream, so a
// pseudo-header, a header and a payload in three places add up to the same value
// as one copy of all three. Generated verify_checksums() and update_checksums()
// (a field declared `checksum internet`) take a pseudo-header as such a sum.
//
// Cost: one pass over the bytes, four at a time; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "libparse/bytes.hpp"
#include "libparse/endian.hpp"

namespace lp {

class InternetChecksum {
 public:
  constexpr InternetChecksum() noexcept = default;

  // Adds `data` as the continuation of everything added so far: after an odd
  // number of bytes, the next byte is the low half of a 16-bit word.
  InternetChecksum& add(bytes data) noexcept {
    const std::byte* p = data.data();
    std::size_t n = data.size();
    if (n == 0) return *this;
    if (odd_) {  // complete the pending word with its low byte
      acc_ += std::to_integer<std::uint8_t>(*p);
      ++p;
      --n;
      odd_ = false;
    }
    // 32-bit big-endian words into a 64-bit accumulator: it cannot overflow
    // before 2^32 words (16 GiB), and folding later gives the 16-bit sum.
    for (; n >= 4; p += 4, n -= 4) acc_ += load_be<std::uint32_t>(p);
    if (n >= 2) {
      acc_ += load_be<std::uint16_t>(p);
      p += 2;
      n -= 2;
    }
    if (n == 1) {  // the high byte of a word whose low byte comes next (or is zero)
      acc_ += static_cast<std::uint64_t>(std::to_integer<std::uint8_t>(*p)) << 8;
      odd_ = true;
    }
    return *this;
  }

  // A 16- or 32-bit number in network byte order, as the next bytes of the stream.
  InternetChecksum& add_u16(std::uint16_t value) noexcept {
    std::byte b[2];
    store_be<std::uint16_t>(b, value);
    return add(bytes(b, 2));
  }
  InternetChecksum& add_u32(std::uint32_t value) noexcept {
    std::byte b[4];
    store_be<std::uint32_t>(b, value);
    return add(bytes(b, 4));
  }

  // The folded sum (not complemented). Data that carries a correct checksum
  // sums to 0xffff.
  constexpr std::uint16_t sum() const noexcept {
    std::uint64_t s = acc_;
    while ((s >> 16) != 0) s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(s);
  }
  // The checksum to transmit for what was added (with the checksum field as zero).
  constexpr std::uint16_t checksum() const noexcept {
    return static_cast<std::uint16_t>(~sum() & 0xffff);
  }

 private:
  std::uint64_t acc_ = 0;
  bool odd_ = false;
};

// What a checksum field at bytes [at, at + 2) of `covered` should hold: the
// checksum of `covered` with the field as zero, continuing `sum` (a pseudo-header
// sum, or an empty one). Precondition: at + 2 <= covered.size().
inline std::uint16_t internet_checksum_over(InternetChecksum sum, bytes covered,
                                            std::size_t at) noexcept {
  static constexpr std::byte zero[2] = {};
  sum.add(covered.first(at)).add(bytes(zero, 2)).add(covered.drop_first(at + 2));
  return sum.checksum();
}

// Whether a checksum read as `stored` is right when `expected` is what it should
// hold. 0x0000 and 0xffff are the two one's-complement zeros: for a zero sum a
// sender may write either (RFC 1624 §3), and both verify.
constexpr bool internet_checksum_matches(std::uint16_t stored, std::uint16_t expected) noexcept {
  return stored == expected || (expected == 0 && stored == 0xffff);
}

// The IPv4 pseudo-header of UDP and TCP (RFC 768, RFC 9293): source and
// destination address (4 bytes each), a zero byte, the protocol number and the
// transport length (header plus payload).
inline InternetChecksum ipv4_pseudo_header(bytes src, bytes dst, std::uint8_t protocol,
                                           std::uint16_t length) noexcept {
  InternetChecksum sum;
  sum.add(src.first(4)).add(dst.first(4)).add_u16(protocol).add_u16(length);
  return sum;
}

// The IPv6 pseudo-header of UDP, TCP and ICMPv6 (RFC 8200 §8.1): source and
// destination address (16 bytes each), the upper-layer length as 32 bits, three
// zero bytes and the next-header value.
inline InternetChecksum ipv6_pseudo_header(bytes src, bytes dst, std::uint32_t length,
                                           std::uint8_t next_header) noexcept {
  InternetChecksum sum;
  sum.add(src.first(16)).add(dst.first(16)).add_u32(length).add_u32(next_header);
  return sum;
}

}  // namespace lp
