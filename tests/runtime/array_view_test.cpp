// array_view.hpp: typed arrays of every element tag at odd addresses, writes
// through the mut_ flavours, and arrays of fixed-size structs.
#include <libparse/array_view.hpp>
#include <libparse/bits.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <ranges>
#include <type_traits>
#include <vector>

#include "test_views.hpp"

namespace {

static_assert(std::ranges::random_access_range<lp::array_view<lp::be_u32>>);
static_assert(std::ranges::random_access_range<lp::struct_array<lpt::PointView>>);
static_assert(std::ranges::random_access_range<lp::mut_struct_array<lpt::PointMut>>);
static_assert(std::ranges::sized_range<lp::array_view<lp::le_f64>>);

// Elements value(i) stored through the tag at an odd address, read back through an array_view.
template <class Tag>
void check_array(typename Tag::value_type (*value)(std::size_t)) {
  constexpr std::size_t count = 5;
  // One byte of misalignment, the elements, a partial element (Tag::size - 1
  // bytes) that is not part of the array, one guard byte.
  std::vector<std::byte> storage(1 + count * Tag::size + (Tag::size - 1) + 1, std::byte{0x5A});
  const lp::mut_bytes region = lp::mut_bytes(storage).slice(1, count * Tag::size + Tag::size - 1);
  for (std::size_t i = 0; i < count; ++i) Tag::store(region.data() + i * Tag::size, value(i));

  const lp::array_view<Tag> a(region);
  ASSERT_EQ(a.size(), count) << "a trailing partial element is not part of the array";
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a.bytes().data(), region.data());
  EXPECT_EQ(a.bytes().size(), count * Tag::size);
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(a[i], value(i)) << i;
    ASSERT_TRUE(a.at(i).has_value());
    EXPECT_EQ(*a.at(i), value(i));
  }
  EXPECT_EQ(a.front(), value(0));
  EXPECT_EQ(a.back(), value(count - 1));
  const lp::Result<typename Tag::value_type> past = a.at(count);
  ASSERT_FALSE(past.has_value());
  EXPECT_EQ(past.error().code(), lp::errc::truncated);
  EXPECT_EQ(past.error().byte_offset(), count * Tag::size);
  EXPECT_EQ(past.error().needed(), Tag::size);

  std::size_t i = 0;
  for (const auto v : a) EXPECT_EQ(v, value(i++));
  EXPECT_EQ(i, count);
  EXPECT_EQ(a.end() - a.begin(), static_cast<std::ptrdiff_t>(count));
  EXPECT_EQ(*(a.begin() + 3), value(3));
  EXPECT_EQ(a.begin()[2], value(2));
  EXPECT_EQ(*std::prev(a.end()), value(count - 1));

  // Writes through mut_array_view land in the buffer and nowhere else.
  const lp::mut_array_view<Tag> m(region);
  m.set(2, value(4));
  EXPECT_EQ(a[2], value(4));
  EXPECT_EQ(a[1], value(1));
  EXPECT_EQ(a[3], value(3));
  EXPECT_EQ(storage.front(), std::byte{0x5A});
  EXPECT_EQ(storage.back(), std::byte{0x5A});
  EXPECT_EQ(m.mut_bytes().data(), region.data());
  EXPECT_EQ(m.size(), count);
}

template <class T>
T small(std::size_t i) {
  return static_cast<T>(i * 37 + 1);
}
template <class T>
T negative(std::size_t i) {
  return static_cast<T>(-static_cast<std::int64_t>(i * 1000003) - 1);
}
template <class T>
T wide(std::size_t i) {
  return static_cast<T>(0x0102030405060708ULL * (i + 1));
}
template <class T>
T fractional(std::size_t i) {
  return static_cast<T>(i) * static_cast<T>(-1.25) + static_cast<T>(0.5);
}
// The odd widths hold only as many bits as they have.
template <class T, unsigned Bits>
T fits(std::size_t i) {
  const std::uint64_t v = 0x8877665544332211ULL * (i + 1);
  if constexpr (std::is_signed_v<T>) {
    return static_cast<T>(lp::sign_extend(v, Bits));
  } else {
    return static_cast<T>(v & ((std::uint64_t{1} << Bits) - 1));
  }
}

TEST(ArrayView, EveryElementTag) {
  check_array<lp::u8>(&small<std::uint8_t>);
  check_array<lp::i8>(&negative<std::int8_t>);
  check_array<lp::be_u16>(&wide<std::uint16_t>);
  check_array<lp::le_u16>(&wide<std::uint16_t>);
  check_array<lp::be_i16>(&negative<std::int16_t>);
  check_array<lp::le_i16>(&negative<std::int16_t>);
  check_array<lp::be_u24>(&fits<std::uint32_t, 24>);
  check_array<lp::le_u24>(&fits<std::uint32_t, 24>);
  check_array<lp::be_i24>(&fits<std::int32_t, 24>);
  check_array<lp::le_i24>(&fits<std::int32_t, 24>);
  check_array<lp::be_u32>(&wide<std::uint32_t>);
  check_array<lp::le_u32>(&wide<std::uint32_t>);
  check_array<lp::be_i32>(&negative<std::int32_t>);
  check_array<lp::le_i32>(&negative<std::int32_t>);
  check_array<lp::be_u40>(&fits<std::uint64_t, 40>);
  check_array<lp::le_u40>(&fits<std::uint64_t, 40>);
  check_array<lp::be_i40>(&fits<std::int64_t, 40>);
  check_array<lp::le_i40>(&fits<std::int64_t, 40>);
  check_array<lp::be_u48>(&fits<std::uint64_t, 48>);
  check_array<lp::le_u48>(&fits<std::uint64_t, 48>);
  check_array<lp::be_i48>(&fits<std::int64_t, 48>);
  check_array<lp::le_i48>(&fits<std::int64_t, 48>);
  check_array<lp::be_u56>(&fits<std::uint64_t, 56>);
  check_array<lp::le_u56>(&fits<std::uint64_t, 56>);
  check_array<lp::be_i56>(&fits<std::int64_t, 56>);
  check_array<lp::le_i56>(&fits<std::int64_t, 56>);
  check_array<lp::be_u64>(&wide<std::uint64_t>);
  check_array<lp::le_u64>(&wide<std::uint64_t>);
  check_array<lp::be_i64>(&negative<std::int64_t>);
  check_array<lp::le_i64>(&negative<std::int64_t>);
  check_array<lp::be_f32>(&fractional<float>);
  check_array<lp::le_f32>(&fractional<float>);
  check_array<lp::be_f64>(&fractional<double>);
  check_array<lp::le_f64>(&fractional<double>);
}

TEST(ArrayView, ByteOrderOnTheWire) {
  const std::vector<std::byte> raw = {std::byte{0x00}, std::byte{0x01}, std::byte{0x00},
                                      std::byte{0x02}};
  const lp::array_view<lp::be_u16> be{lp::bytes(raw)};
  const lp::array_view<lp::le_u16> le{lp::bytes(raw)};
  EXPECT_EQ(be[0], 1u);
  EXPECT_EQ(be[1], 2u);
  EXPECT_EQ(le[0], 0x100u);
  EXPECT_EQ(std::accumulate(be.begin(), be.end(), 0u), 3u);
  EXPECT_TRUE(std::ranges::is_sorted(be));
}

TEST(ArrayView, Empty) {
  const lp::array_view<lp::be_u32> none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.begin(), none.end());
  EXPECT_FALSE(none.at(0).has_value());
  const std::vector<std::byte> three(3);
  EXPECT_TRUE(lp::array_view<lp::be_u32>(lp::bytes(three)).empty());  // 3 bytes: no whole u32
  EXPECT_EQ(lp::array_view<lp::be_u32>(lp::bytes(three)).bytes().size(), 0u);
}

TEST(StructArray, FixedSizeViewsInARow) {
  // Three points and a partial fourth, at an odd address.
  std::vector<std::byte> storage = {
      std::byte{0xEE},                                                     // misalignment
      std::byte{0x00}, std::byte{0x01}, std::byte{0xFF}, std::byte{0xFF},  // (1, -1)
      std::byte{0x00}, std::byte{0x02}, std::byte{0x00}, std::byte{0x05},  // (2, 5)
      std::byte{0x01}, std::byte{0x00}, std::byte{0x80}, std::byte{0x00},  // (256, min)
      std::byte{0x09}};
  const lp::bytes region = lp::bytes(storage).drop_first(1);
  const lp::struct_array<lpt::PointView> points(region);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points.bytes().size(), 12u);
  EXPECT_EQ(points[0].x(), 1u);
  EXPECT_EQ(points[0].y(), -1);
  EXPECT_EQ(points[2].x(), 256u);
  EXPECT_EQ(points[2].y(), -32768);
  EXPECT_EQ(points[1].bytes().data(), region.data() + 4);  // a view into the buffer, not a copy
  ASSERT_TRUE(points.at(1).has_value());
  EXPECT_EQ(points.at(1)->y(), 5);
  ASSERT_FALSE(points.at(3).has_value());
  EXPECT_EQ(points.at(3).error().code(), lp::errc::truncated);
  EXPECT_EQ(points.at(3).error().byte_offset(), 12u);
  int sum = 0;
  for (const lpt::PointView p : points) sum += p.x();
  EXPECT_EQ(sum, 259);
  EXPECT_EQ((*(points.begin() + 1)).x(), 2u);
  EXPECT_TRUE(lp::struct_array<lpt::PointView>().empty());
}

TEST(StructArray, MutableStructsWrite) {
  std::vector<std::byte> storage(1 + 8 + 1, std::byte{0x5A});
  const lp::mut_bytes region = lp::mut_bytes(storage).slice(1, 9);
  const lp::mut_struct_array<lpt::PointMut> points(region);
  ASSERT_EQ(points.size(), 2u);
  points[0].set_x(0x1234);
  points[1].set_y(-2);
  ASSERT_TRUE(points.at(1).has_value());
  points.at(1)->set_x(7);
  EXPECT_FALSE(points.at(2).has_value());
  const lp::struct_array<lpt::PointView> view(points.bytes());
  EXPECT_EQ(view[0].x(), 0x1234u);
  EXPECT_EQ(view[1].y(), -2);
  EXPECT_EQ(view[1].x(), 7u);
  EXPECT_EQ(storage[1], std::byte{0x12});
  EXPECT_EQ(storage.front(), std::byte{0x5A});
  EXPECT_EQ(storage.back(), std::byte{0x5A});
  EXPECT_EQ(points.mut_bytes().data(), region.data());
  std::size_t n = 0;
  for (const lpt::PointMut p : points) {
    p.set_x(static_cast<std::uint16_t>(n++));
  }
  EXPECT_EQ(view[1].x(), 1u);
}

}  // namespace
