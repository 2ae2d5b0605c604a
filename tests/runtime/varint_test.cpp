// libparse/varint.hpp: LEB128/protobuf varints, zigzag and QUIC varints, at
// every size boundary, with every malformed input.
#include "libparse/varint.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

lp::bytes view(const Bytes& b) { return lp::bytes::from_raw(b.data(), b.size()); }

// 0, 1, and every 2^k - 1, 2^k for k = 1..63, and the maximum.
std::vector<std::uint64_t> boundaries() {
  std::vector<std::uint64_t> out = {0, 1, std::numeric_limits<std::uint64_t>::max()};
  for (unsigned k = 1; k < 64; ++k) {
    out.push_back((std::uint64_t{1} << k) - 1);
    out.push_back(std::uint64_t{1} << k);
  }
  return out;
}

TEST(Varint, RoundTripsEveryBoundary) {
  for (const std::uint64_t v : boundaries()) {
    std::array<std::byte, 10> buf{};
    const auto n = lp::encode_varint(v, lp::mut_bytes(buf.data(), buf.size()));
    ASSERT_TRUE(n) << v;
    EXPECT_EQ(*n, lp::varint_size(v)) << v;
    // The size is ceil(bits / 7), at least 1.
    unsigned bits = 0;
    for (std::uint64_t x = v; x != 0; x >>= 1) ++bits;
    EXPECT_EQ(*n, bits == 0 ? 1U : (bits + 6) / 7) << v;
    const auto d = lp::decode_varint(lp::bytes(buf.data(), *n));
    ASSERT_TRUE(d) << v;
    EXPECT_EQ(d->value, v);
    EXPECT_EQ(d->size, *n);
    // Every shorter prefix is truncated, one more byte needed.
    for (std::size_t len = 0; len < *n; ++len) {
      const auto t = lp::decode_varint(lp::bytes(buf.data(), len));
      ASSERT_FALSE(t);
      EXPECT_EQ(t.error().code(), lp::errc::truncated);
      EXPECT_EQ(t.error().byte_offset(), len);
      EXPECT_EQ(t.error().needed(), 1U);
    }
    // Too small an output buffer is an error, not an overflow.
    if (*n > 1) {
      const auto small = lp::encode_varint(v, lp::mut_bytes(buf.data(), *n - 1));
      ASSERT_FALSE(small);
      EXPECT_EQ(small.error().code(), lp::errc::truncated);
      EXPECT_EQ(small.error().needed(), 1U);
    }
  }
}

TEST(Varint, KnownEncodings) {
  const auto d = lp::decode_varint(view({0xAC, 0x02, 0xFF}));  // 300, then another byte
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value, 300U);
  EXPECT_EQ(d->size, 2U);
  const auto max =
      lp::decode_varint(view({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
  ASSERT_TRUE(max);
  EXPECT_EQ(max->value, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(max->size, 10U);
}

TEST(Varint, RejectsOverlongAndTooLong) {
  for (const Bytes& b :
       {Bytes{0x80, 0x00}, Bytes{0x81, 0x80, 0x00}, Bytes{0xFF, 0x80, 0x80, 0x00}}) {
    const auto d = lp::decode_varint(view(b));
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code(), lp::errc::bad_value);
    EXPECT_EQ(d.error().text(), "overlong varint");
  }
  // A 10th byte above 1 is a value above 2^64 - 1; an 11th byte is too long.
  const auto big =
      lp::decode_varint(view({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code(), lp::errc::bad_value);
  EXPECT_EQ(big.error().text(), "varint too long");
  const auto eleven =
      lp::decode_varint(view({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00}));
  ASSERT_FALSE(eleven);
  EXPECT_EQ(eleven.error().code(), lp::errc::bad_value);
  // A long run of continuation bytes stops after 10 of them (never reads on).
  const Bytes run(1000, 0x80);
  const auto r = lp::decode_varint(view(run));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::bad_value);
  // The single byte 0x00 is zero, not overlong.
  const auto zero = lp::decode_varint(view({0x00}));
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->value, 0U);
}

TEST(Zigzag, MapsSignedValues) {
  EXPECT_EQ(lp::zigzag_encode(0), 0U);
  EXPECT_EQ(lp::zigzag_encode(-1), 1U);
  EXPECT_EQ(lp::zigzag_encode(1), 2U);
  EXPECT_EQ(lp::zigzag_encode(-2), 3U);
  EXPECT_EQ(lp::zigzag_encode(std::numeric_limits<std::int64_t>::max()), 0xFFFFFFFFFFFFFFFEU);
  EXPECT_EQ(lp::zigzag_encode(std::numeric_limits<std::int64_t>::min()), 0xFFFFFFFFFFFFFFFFU);
  for (const std::uint64_t v : boundaries()) {
    EXPECT_EQ(lp::zigzag_encode(lp::zigzag_decode(v)), v);
    std::array<std::byte, 10> buf{};
    const auto n = lp::encode_zigzag(lp::zigzag_decode(v), lp::mut_bytes(buf.data(), buf.size()));
    ASSERT_TRUE(n);
    const auto d = lp::decode_zigzag(lp::bytes(buf.data(), *n));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->value, lp::zigzag_decode(v));
  }
  const auto neg = lp::decode_zigzag(view({0x05}));
  ASSERT_TRUE(neg);
  EXPECT_EQ(neg->value, -3);
}

TEST(QuicVarint, Rfc9000Examples) {
  struct Case {
    Bytes wire;
    std::uint64_t value;
  };
  const Case cases[] = {
      {{0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c}, 151288809941952652U},
      {{0x9d, 0x7f, 0x3e, 0x7d}, 494878333U},
      {{0x7b, 0xbd}, 15293U},
      {{0x25}, 37U},
      {{0x40, 0x25}, 37U},  // non-minimal encodings are allowed (RFC 9000 §16)
  };
  for (const auto& c : cases) {
    const auto d = lp::decode_quic_varint(view(c.wire));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->value, c.value);
    EXPECT_EQ(d->size, c.wire.size());
    for (std::size_t len = 0; len < c.wire.size(); ++len) {
      const auto t = lp::decode_quic_varint(view(c.wire).first(len));
      ASSERT_FALSE(t);
      EXPECT_EQ(t.error().code(), lp::errc::truncated);
      EXPECT_EQ(t.error().needed(), len == 0 ? 1 : c.wire.size() - len);
    }
  }
}

TEST(QuicVarint, RoundTripsEveryBoundary) {
  for (const std::uint64_t v : boundaries()) {
    std::array<std::byte, 8> buf{};
    const auto n = lp::encode_quic_varint(v, lp::mut_bytes(buf.data(), buf.size()));
    if (v > lp::max_quic_varint) {
      ASSERT_FALSE(n);
      EXPECT_EQ(n.error().code(), lp::errc::bad_value);
      EXPECT_EQ(lp::quic_varint_size(v), 0U);
      continue;
    }
    ASSERT_TRUE(n) << v;
    EXPECT_EQ(*n, v < 64 ? 1U : v < 16384 ? 2U : v < (1U << 30) ? 4U : 8U) << v;
    const auto d = lp::decode_quic_varint(lp::bytes(buf.data(), *n));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->value, v);
    EXPECT_EQ(d->size, *n);
    if (*n > 1) {
      const auto small = lp::encode_quic_varint(v, lp::mut_bytes(buf.data(), *n - 1));
      ASSERT_FALSE(small);
      EXPECT_EQ(small.error().code(), lp::errc::truncated);
    }
  }
}

}  // namespace
