// endian.hpp: every width, signedness and float in both orders, odd widths with
// sign extension, at every alignment.
#include <libparse/endian.hpp>

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <tuple>
#include <type_traits>

namespace {

// The big-endian bytes of v, computed the slow, obvious way.
template <class T>
std::array<std::byte, sizeof(T)> big_endian_bytes(T v) {
  using U = std::conditional_t<
      sizeof(T) == 8, std::uint64_t,
      std::conditional_t<sizeof(T) == 4, std::uint32_t,
                         std::conditional_t<sizeof(T) == 2, std::uint16_t, std::uint8_t>>>;
  const U u = std::bit_cast<U>(v);
  std::array<std::byte, sizeof(T)> out{};
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out[i] =
        static_cast<std::byte>((static_cast<std::uint64_t>(u) >> (8 * (sizeof(T) - 1 - i))) & 0xFF);
  }
  return out;
}

template <class T>
void check_round_trips(T v) {
  SCOPED_TRACE(testing::Message() << "sizeof(T) = " << sizeof(T) << ", value " << +v);
  const auto be = big_endian_bytes(v);
  // An 8-aligned buffer, used at every offset 0..7 so most loads are misaligned.
  alignas(8) std::array<std::byte, 32> buf{};
  for (std::size_t off = 0; off < 8; ++off) {
    buf.fill(std::byte{0x5A});
    std::byte* p = buf.data() + off;
    lp::store_be<T>(p, v);
    EXPECT_EQ(std::memcmp(p, be.data(), sizeof(T)), 0) << "store_be at offset " << off;
    if (off != 0) {
      EXPECT_EQ(p[-1], std::byte{0x5A}) << "store_be wrote before the value";
    }
    EXPECT_EQ(p[sizeof(T)], std::byte{0x5A}) << "store_be wrote past the value";
    // Compared as bytes, so -0.0 and 0.0 differ.
    EXPECT_EQ(big_endian_bytes(lp::load_be<T>(p)), be);
    EXPECT_EQ(big_endian_bytes(lp::load<T>(p, lp::byte_order::big)), be);

    lp::store_le<T>(p, v);
    for (std::size_t i = 0; i < sizeof(T); ++i)
      EXPECT_EQ(p[i], be[sizeof(T) - 1 - i]) << "store_le byte " << i;
    EXPECT_EQ(p[sizeof(T)], std::byte{0x5A});
    EXPECT_EQ(big_endian_bytes(lp::load_le<T>(p)), be);
    EXPECT_EQ(big_endian_bytes(lp::load<T>(p, lp::byte_order::little)), be);

    lp::store<T>(p, v, lp::byte_order::big);
    EXPECT_EQ(std::memcmp(p, be.data(), sizeof(T)), 0);
    lp::store<T>(p, v, lp::byte_order::little);
    EXPECT_EQ(big_endian_bytes(lp::load_le<T>(p)), be);
  }
}

template <class T>
void check_type() {
  check_round_trips<T>(T{0});
  check_round_trips<T>(T{1});
  check_round_trips<T>(std::numeric_limits<T>::max());
  check_round_trips<T>(std::numeric_limits<T>::min());
  check_round_trips<T>(static_cast<T>(0x0102030405060708ULL));  // distinct bytes: catches swaps
  if constexpr (std::is_signed_v<T>) check_round_trips<T>(T{-2});
}

TEST(Endian, IntegersEveryWidthAndSign) {
  check_type<std::uint8_t>();
  check_type<std::int8_t>();
  check_type<std::uint16_t>();
  check_type<std::int16_t>();
  check_type<std::uint32_t>();
  check_type<std::int32_t>();
  check_type<std::uint64_t>();
  check_type<std::int64_t>();
}

TEST(Endian, KnownByteSequences) {
  const std::array<std::byte, 8> raw = {std::byte{0x01}, std::byte{0x02}, std::byte{0x03},
                                        std::byte{0x04}, std::byte{0x05}, std::byte{0x06},
                                        std::byte{0x07}, std::byte{0x08}};
  EXPECT_EQ(lp::load_be<std::uint16_t>(raw.data()), 0x0102u);
  EXPECT_EQ(lp::load_le<std::uint16_t>(raw.data()), 0x0201u);
  EXPECT_EQ(lp::load_be<std::uint32_t>(raw.data() + 1), 0x02030405u);
  EXPECT_EQ(lp::load_le<std::uint32_t>(raw.data() + 1), 0x05040302u);
  EXPECT_EQ(lp::load_be<std::uint64_t>(raw.data()), 0x0102030405060708ULL);
  EXPECT_EQ(lp::load_le<std::uint64_t>(raw.data()), 0x0807060504030201ULL);
  const std::array<std::byte, 2> minus_two = {std::byte{0xFF}, std::byte{0xFE}};
  EXPECT_EQ(lp::load_be<std::int16_t>(minus_two.data()), -2);
  EXPECT_EQ(lp::load_le<std::int16_t>(minus_two.data()), -257);
  EXPECT_EQ(lp::load_be<std::int8_t>(minus_two.data() + 1), -2);
}

TEST(Endian, Floats) {
  for (const float f :
       {0.0F, -0.0F, 1.5F, -3.25e10F, std::numeric_limits<float>::infinity(),
        std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max()}) {
    check_round_trips<float>(f);
  }
  for (const double d :
       {0.0, -0.0, 1.5, -3.25e100, std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::lowest()}) {
    check_round_trips<double>(d);
  }
  // 1.0f is 3f 80 00 00 on the wire, big-endian.
  const std::array<std::byte, 5> one = {std::byte{0}, std::byte{0x3F}, std::byte{0x80},
                                        std::byte{0}, std::byte{0}};
  EXPECT_EQ(lp::load_be<float>(one.data() + 1), 1.0F);
  // NaN payloads survive (bits, not values, are compared).
  alignas(8) std::array<std::byte, 9> buf{};
  const double nan = std::bit_cast<double>(0x7FF8000000000123ULL);
  lp::store_be<double>(buf.data() + 1, nan);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(lp::load_be<double>(buf.data() + 1)),
            0x7FF8000000000123ULL);
}

template <std::size_t N>
void check_odd_width() {
  SCOPED_TRACE(testing::Message() << "N = " << N);
  alignas(8) std::array<std::byte, 16> buf{};
  for (std::size_t off = 0; off < 8; ++off) {
    buf.fill(std::byte{0x5A});
    std::byte* p = buf.data() + off;
    const std::uint64_t v = 0x8877665544332211ULL;  // more bytes than N: the extra are dropped
    const std::uint64_t low = N == 8 ? v : v & ((std::uint64_t{1} << (8 * N)) - 1);
    lp::store_be_n<N>(p, v);
    for (std::size_t i = 0; i < N; ++i) {
      EXPECT_EQ(static_cast<std::uint64_t>(p[i]), (low >> (8 * (N - 1 - i))) & 0xFF)
          << "byte " << i;
    }
    EXPECT_EQ(p[N], std::byte{0x5A}) << "store_be_n wrote past N bytes";
    if (off != 0) {
      EXPECT_EQ(p[-1], std::byte{0x5A});
    }
    EXPECT_EQ(lp::load_be_n<N>(p), low);
    lp::store_le_n<N>(p, v);
    for (std::size_t i = 0; i < N; ++i) {
      EXPECT_EQ(static_cast<std::uint64_t>(p[i]), (low >> (8 * i)) & 0xFF) << "byte " << i;
    }
    EXPECT_EQ(p[N], std::byte{0x5A});
    EXPECT_EQ(lp::load_le_n<N>(p), low);
  }
}

TEST(Endian, OddWidths) {
  check_odd_width<1>();
  check_odd_width<2>();
  check_odd_width<3>();
  check_odd_width<4>();
  check_odd_width<5>();
  check_odd_width<6>();
  check_odd_width<7>();
  check_odd_width<8>();
}

// An element tag: size, value_type, and a store/load round trip at every alignment.
template <class Tag>
void check_tag(typename Tag::value_type v, std::size_t size) {
  EXPECT_EQ(Tag::size, size);
  alignas(8) std::array<std::byte, 24> buf{};
  for (std::size_t off = 0; off < 8; ++off) {
    buf.fill(std::byte{0x5A});
    Tag::store(buf.data() + off, v);
    EXPECT_EQ(Tag::load(buf.data() + off), v) << "offset " << off;
    EXPECT_EQ(buf[off + size], std::byte{0x5A}) << "wrote past the element";
  }
}

TEST(Endian, ElementTags) {
  check_tag<lp::u8>(0xFE, 1);
  check_tag<lp::i8>(-2, 1);
  check_tag<lp::be_u16>(0xBEEF, 2);
  check_tag<lp::le_u16>(0xBEEF, 2);
  check_tag<lp::be_i16>(-12345, 2);
  check_tag<lp::le_i16>(-12345, 2);
  check_tag<lp::be_u24>(0xABCDEF, 3);
  check_tag<lp::le_u24>(0xABCDEF, 3);
  check_tag<lp::be_i24>(-8388608, 3);  // the smallest 24-bit value
  check_tag<lp::le_i24>(8388607, 3);
  check_tag<lp::be_u32>(0xDEADBEEF, 4);
  check_tag<lp::le_i32>(std::numeric_limits<std::int32_t>::min(), 4);
  check_tag<lp::be_u40>(0xFFFFFFFFFFULL, 5);
  check_tag<lp::le_i40>(-(std::int64_t{1} << 39), 5);
  check_tag<lp::be_u48>(0x123456789ABCULL, 6);
  check_tag<lp::le_i48>(-1, 6);
  check_tag<lp::be_u56>(0xFFFFFFFFFFFFFFULL, 7);
  check_tag<lp::be_i56>(-(std::int64_t{1} << 55), 7);
  check_tag<lp::le_u56>(0x01020304050607ULL, 7);
  check_tag<lp::be_u64>(0xFFFFFFFFFFFFFFFFULL, 8);
  check_tag<lp::le_i64>(std::numeric_limits<std::int64_t>::min(), 8);
  check_tag<lp::be_f32>(-1.5F, 4);
  check_tag<lp::le_f32>(3.0e38F, 4);
  check_tag<lp::be_f64>(-2.5e-300, 8);
  check_tag<lp::le_f64>(1.0, 8);
  check_tag<lp::native_u32>(7, 4);
  static_assert(std::is_same_v<lp::be_u24::value_type, std::uint32_t>);
  static_assert(std::is_same_v<lp::be_i40::value_type, std::int64_t>);
}

TEST(Endian, OddWidthSignExtension) {
  const std::array<std::byte, 8> ones = {std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF},
                                         std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF},
                                         std::byte{0xFF}, std::byte{0xFE}};
  EXPECT_EQ(lp::be_i24::load(ones.data() + 5), -2);
  EXPECT_EQ(lp::be_i40::load(ones.data() + 3), -2);
  EXPECT_EQ(lp::be_i48::load(ones.data() + 2), -2);
  EXPECT_EQ(lp::be_i56::load(ones.data() + 1), -2);
  EXPECT_EQ(lp::le_i24::load(ones.data()), -1);
  EXPECT_EQ(lp::be_u24::load(ones.data() + 5), 0xFFFFFEu);  // unsigned: no extension
  EXPECT_EQ(lp::be_u56::load(ones.data() + 1), 0xFFFFFFFFFFFFFEULL);
  // The top bit clear: positive, no extension.
  const std::array<std::byte, 7> positive = {std::byte{0x7F}, std::byte{0xFF}, std::byte{0xFF},
                                             std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF},
                                             std::byte{0xFF}};
  EXPECT_EQ(lp::be_i24::load(positive.data()), 0x7FFFFF);
  EXPECT_EQ(lp::be_i40::load(positive.data()), 0x7FFFFFFFFFLL);
  EXPECT_EQ(lp::be_i48::load(positive.data()), 0x7FFFFFFFFFFFLL);
  EXPECT_EQ(lp::be_i56::load(positive.data()), 0x7FFFFFFFFFFFFFLL);
  EXPECT_EQ(lp::le_i24::load(positive.data() + 4), -1);  // ff ff ff little-endian
}

}  // namespace
