// bits.hpp: every width 1..64 at many offsets in both bit orders, against a
// bit-at-a-time reference, plus write/read round trips that must keep every
// neighbouring bit (fixed-seed PRNG, so failures reproduce).
#include <libparse/bits.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace {

// The obvious definitions, one bit at a time.
std::uint64_t reference_msb(const std::byte* p, std::size_t off, unsigned width) {
  std::uint64_t v = 0;
  for (unsigned k = 0; k < width; ++k) {
    const std::size_t bit = off + k;
    v = (v << 1) | ((static_cast<unsigned>(p[bit / 8]) >> (7 - bit % 8)) & 1U);
  }
  return v;
}
std::uint64_t reference_lsb(const std::byte* p, std::size_t off, unsigned width) {
  std::uint64_t v = 0;
  for (unsigned k = 0; k < width; ++k) {
    const std::size_t bit = off + k;
    v |= static_cast<std::uint64_t>((static_cast<unsigned>(p[bit / 8]) >> (bit % 8)) & 1U) << k;
  }
  return v;
}
std::uint64_t mask(unsigned width) {
  return width == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}

constexpr std::size_t buffer_bytes = 24;

std::vector<std::byte> random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::vector<std::byte> v(n);
  for (auto& b : v) b = static_cast<std::byte>(rng() & 0xFF);
  return v;
}

TEST(Bits, ReadsMatchTheReferenceForEveryWidthAndOffset) {
  std::mt19937_64 rng(20240601);
  for (int round = 0; round < 4; ++round) {
    const std::vector<std::byte> buf = random_bytes(rng, buffer_bytes);
    for (unsigned width = 1; width <= 64; ++width) {
      for (std::size_t off = 0; off + width <= 8 * buffer_bytes && off < 80; ++off) {
        // Copy exactly the bytes the field may touch into a heap block of that
        // size: a read outside them is a sanitizer error.
        const std::size_t first = off / 8;
        const std::size_t last = (off + width - 1) / 8;
        const std::vector<std::byte> exact(buf.begin() + static_cast<std::ptrdiff_t>(first),
                                           buf.begin() + static_cast<std::ptrdiff_t>(last + 1));
        const std::size_t local = off % 8;
        ASSERT_EQ(lp::read_bits_msb(exact.data(), local, width),
                  reference_msb(buf.data(), off, width))
            << "msb width " << width << " offset " << off;
        ASSERT_EQ(lp::read_bits_lsb(exact.data(), local, width),
                  reference_lsb(buf.data(), off, width))
            << "lsb width " << width << " offset " << off;
        // The same field read through the original pointer and full offset.
        ASSERT_EQ(lp::read_bits_msb(buf.data(), off, width), reference_msb(buf.data(), off, width));
        ASSERT_EQ(lp::read_bits_lsb(buf.data(), off, width), reference_lsb(buf.data(), off, width));
      }
    }
  }
}

TEST(Bits, KnownValues) {
  const std::array<std::byte, 2> b = {std::byte{0x45}, std::byte{0xC3}};  // 0100 0101 1100 0011
  EXPECT_EQ(lp::read_bits_msb(b.data(), 0, 4), 4u);                       // an IPv4 version nibble
  EXPECT_EQ(lp::read_bits_msb(b.data(), 4, 4), 5u);                       // ... and its IHL
  EXPECT_EQ(lp::read_bits_msb(b.data(), 6, 4), 0b0111u);
  EXPECT_EQ(lp::read_bits_lsb(b.data(), 0, 4), 5u);
  EXPECT_EQ(lp::read_bits_lsb(b.data(), 4, 4), 4u);
  EXPECT_EQ(lp::read_bits_lsb(b.data(), 6, 4),
            0b1101u);  // bits 6,7 of 0x45 (01), bits 0,1 of 0xC3 (11)
  EXPECT_EQ(lp::read_bits_msb(b.data(), 0, 16), 0x45C3u);
  EXPECT_EQ(lp::read_bits_lsb(b.data(), 0, 16), 0xC345u);
  // A 64-bit field straddling nine bytes.
  std::array<std::byte, 9> nine{};
  nine.fill(std::byte{0xFF});
  nine[0] = std::byte{0x7F};  // MSB-first bit 0 is clear, bits 1..7 set
  nine[8] = std::byte{0x80};  // only its first bit belongs to the field
  EXPECT_EQ(lp::read_bits_msb(nine.data(), 1, 64), ~std::uint64_t{0});
  nine[0] = std::byte{0x80};  // LSB-first bit 7 is set, bits 0..6 clear
  nine[8] = std::byte{0x7F};  // its bits 0..6 belong to the field
  EXPECT_EQ(lp::read_bits_lsb(nine.data(), 7, 64), ~std::uint64_t{0});
  EXPECT_EQ(lp::read_bits_lsb(nine.data(), 7, 63), ~std::uint64_t{0} >> 1);
}

TEST(Bits, ConstexprUse) {
  static constexpr std::byte b[] = {std::byte{0xA0}};
  static_assert(lp::read_bits_msb(b, 0, 3) == 0b101);
  static_assert(lp::sign_extend(0b101, 3) == -3);
  SUCCEED();
}

// Write a random value into a random buffer and check that (1) it reads back,
// masked to the width, (2) no other bit of the buffer changed.
TEST(Bits, WriteReadRoundTripKeepsNeighbours) {
  std::mt19937_64 rng(42);
  for (int iteration = 0; iteration < 20000; ++iteration) {
    const auto width = static_cast<unsigned>(1 + rng() % 64);
    const std::size_t off = rng() % (8 * buffer_bytes - width + 1);
    const std::uint64_t value = rng();  // high bits beyond width must be masked off
    const bool msb = (rng() & 1) != 0;
    const std::vector<std::byte> before = random_bytes(rng, buffer_bytes);
    std::vector<std::byte> after = before;
    if (msb) {
      lp::write_bits_msb(after.data(), off, width, value);
      ASSERT_EQ(lp::read_bits_msb(after.data(), off, width), value & mask(width));
    } else {
      lp::write_bits_lsb(after.data(), off, width, value);
      ASSERT_EQ(lp::read_bits_lsb(after.data(), off, width), value & mask(width));
    }
    for (std::size_t bit = 0; bit < 8 * buffer_bytes; ++bit) {
      if (bit >= off && bit < off + width) continue;
      // Bit numbers in the order of the write: the field is bits [off, off + width).
      const auto get = [&](const std::vector<std::byte>& v) {
        return (static_cast<unsigned>(v[bit / 8]) >> (msb ? 7 - bit % 8 : bit % 8)) & 1U;
      };
      ASSERT_EQ(get(before), get(after))
          << (msb ? "msb" : "lsb") << " width " << width << " offset " << off
          << " changed neighbouring bit " << bit;
    }
  }
}

TEST(Bits, WritesTouchOnlyTheFieldsBytes) {
  // A heap block exactly as large as the field's bytes: a write outside them
  // is a sanitizer error.
  for (unsigned width = 1; width <= 64; ++width) {
    for (unsigned skip = 0; skip < 8; ++skip) {
      std::vector<std::byte> exact((skip + width + 7) / 8, std::byte{0xFF});
      lp::write_bits_msb(exact.data(), skip, width, 0);
      EXPECT_EQ(lp::read_bits_msb(exact.data(), skip, width), 0u);
      lp::write_bits_lsb(exact.data(), skip, width, ~std::uint64_t{0});
      EXPECT_EQ(lp::read_bits_lsb(exact.data(), skip, width), mask(width));
    }
  }
}

TEST(Bits, SignExtend) {
  EXPECT_EQ(lp::sign_extend(1, 1), -1);
  EXPECT_EQ(lp::sign_extend(0, 1), 0);
  EXPECT_EQ(lp::sign_extend(0x7, 4), 7);
  EXPECT_EQ(lp::sign_extend(0x8, 4), -8);
  EXPECT_EQ(lp::sign_extend(0xF, 4), -1);
  EXPECT_EQ(lp::sign_extend(0x1F, 4), -1);  // bits above width are ignored
  EXPECT_EQ(lp::sign_extend(0x7FFFFF, 24), 0x7FFFFF);
  EXPECT_EQ(lp::sign_extend(0x800000, 24), -0x800000);
  EXPECT_EQ(lp::sign_extend(0x8000000000000000ULL, 64), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(lp::sign_extend(0x7FFFFFFFFFFFFFFFULL, 64), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(lp::sign_extend(0x4000000000000000ULL, 63),
            std::numeric_limits<std::int64_t>::min() / 2);
  for (unsigned width = 1; width <= 64; ++width) {
    EXPECT_EQ(lp::sign_extend(mask(width), width), -1) << width;
    if (width > 1) {
      EXPECT_EQ(lp::sign_extend(mask(width - 1), width),
                static_cast<std::int64_t>(mask(width - 1)));
    }
  }
}

}  // namespace
