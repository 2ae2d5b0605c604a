// lp::bytes, lp::mut_bytes, lp::chunks: creation, O(1) slicing, clamping, copies.
#include <libparse/bytes.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace {

std::vector<std::byte> iota_bytes(std::size_t n) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>(i);
  return v;
}

// What may and may not become a view, checked at compile time (the
// compile_fail/ tests check the same through the compiler's messages).
static_assert(std::is_constructible_v<lp::bytes, std::vector<std::byte>&>);
static_assert(std::is_constructible_v<lp::bytes, const std::vector<std::byte>&>);
static_assert(std::is_constructible_v<lp::bytes, std::string_view>);
static_assert(std::is_constructible_v<lp::bytes, std::span<const std::uint8_t>>);
static_assert(!std::is_constructible_v<lp::bytes, std::vector<std::byte>>);
static_assert(!std::is_constructible_v<lp::bytes, std::string>);
static_assert(!std::is_constructible_v<lp::bytes, std::vector<int>&>);
static_assert(std::is_constructible_v<lp::mut_bytes, std::vector<std::byte>&>);
static_assert(!std::is_constructible_v<lp::mut_bytes, const std::vector<std::byte>&>);
static_assert(!std::is_constructible_v<lp::mut_bytes, lp::bytes>);
static_assert(!std::is_constructible_v<lp::mut_bytes, std::string_view>);
static_assert(std::is_convertible_v<lp::mut_bytes, lp::bytes>);
static_assert(std::is_trivially_copyable_v<lp::bytes>);
static_assert(sizeof(lp::bytes) == 2 * sizeof(void*));
static_assert(std::ranges::contiguous_range<lp::bytes>);
static_assert(std::ranges::borrowed_range<lp::bytes>);
static_assert(std::ranges::borrowed_range<lp::mut_bytes>);

TEST(Bytes, FromEveryContiguousByteRange) {
  std::vector<std::byte> vec = iota_bytes(4);
  std::vector<std::uint8_t> u8s = {0, 1, 2, 3};
  std::string str("\x00\x01\x02\x03", 4);
  std::string_view sv = str;
  std::array<unsigned char, 4> arr = {0, 1, 2, 3};
  const signed char carr[4] = {0, 1, 2, 3};
  std::span<const std::byte> span(vec);

  const lp::bytes expected(vec);
  EXPECT_EQ(lp::bytes(u8s), expected);
  EXPECT_EQ(lp::bytes(str), expected);
  EXPECT_EQ(lp::bytes(sv), expected);
  EXPECT_EQ(lp::bytes(arr), expected);
  EXPECT_EQ(lp::bytes(carr), expected);
  EXPECT_EQ(lp::bytes(span), expected);
  EXPECT_EQ(lp::bytes::from_raw(u8s.data(), 4), expected);

  // Creation never copies: the view points at the container's storage.
  EXPECT_EQ(lp::bytes(vec).data(), vec.data());
  EXPECT_EQ(static_cast<const void*>(lp::bytes(str).data()), static_cast<const void*>(str.data()));
  EXPECT_EQ(static_cast<const void*>(lp::bytes(carr).data()), static_cast<const void*>(carr));
  EXPECT_EQ(lp::bytes(vec).size(), 4u);
}

TEST(Bytes, EmptyViews) {
  const lp::bytes none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.begin(), none.end());
  EXPECT_EQ(none.slice(0, 10).size(), 0u);
  EXPECT_EQ(none.first(3).size(), 0u);
  EXPECT_EQ(none.last(3).size(), 0u);
  EXPECT_EQ(none.drop_first(3).size(), 0u);
  EXPECT_EQ(none.as_string_view(), "");
  EXPECT_TRUE(none.to_vector().empty());
  EXPECT_EQ(none.to_string(), "");
  EXPECT_FALSE(none.at(0).has_value());

  std::vector<std::byte> empty_vec;
  EXPECT_EQ(lp::bytes(empty_vec), none);  // equal content, whatever the pointers
  std::vector<std::byte> vec = iota_bytes(3);
  const lp::bytes zero_length = lp::bytes(vec).slice(1, 0);
  EXPECT_TRUE(zero_length.empty());
  EXPECT_EQ(zero_length.data(), vec.data() + 1);  // keeps its position
  EXPECT_EQ(zero_length, none);
}

TEST(Bytes, SlicesShareMemory) {
  std::vector<std::byte> vec = iota_bytes(10);
  const lp::bytes b(vec);
  const lp::bytes s = b.slice(2, 5);
  EXPECT_EQ(s.data(), vec.data() + 2);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0], std::byte{2});
  EXPECT_EQ(s.u8(4), 6u);
  EXPECT_EQ(b.subspan(3).data(), vec.data() + 3);
  EXPECT_EQ(b.subspan(3).size(), 7u);
  EXPECT_EQ(b.subspan(3, 2).size(), 2u);
  EXPECT_EQ(b.first(4).data(), vec.data());
  EXPECT_EQ(b.first(4).size(), 4u);
  EXPECT_EQ(b.last(4).data(), vec.data() + 6);
  EXPECT_EQ(b.drop_first(9).data(), vec.data() + 9);
  EXPECT_EQ(b.drop_first(9).size(), 1u);
  // Slices of slices still point into the original buffer.
  EXPECT_EQ(s.slice(1, 2).data(), vec.data() + 3);
  // A write through the owner is visible through every view: nothing was copied.
  vec[3] = std::byte{0xAA};
  EXPECT_EQ(s[1], std::byte{0xAA});
}

TEST(Bytes, OutOfRangeBoundsAreClamped) {
  std::vector<std::byte> vec = iota_bytes(10);
  const lp::bytes b(vec);
  EXPECT_EQ(b.slice(8, 100).size(), 2u);
  EXPECT_EQ(b.slice(8, 100).data(), vec.data() + 8);
  EXPECT_EQ(b.slice(10, 1).size(), 0u);
  EXPECT_EQ(b.slice(10, 1).data(), vec.data() + 10);  // the end, never past it
  EXPECT_EQ(b.slice(1000, 1).data(), vec.data() + 10);
  EXPECT_EQ(b.slice(static_cast<std::size_t>(-1), static_cast<std::size_t>(-1)).size(), 0u);
  EXPECT_EQ(b.slice(3, static_cast<std::size_t>(-1)).size(), 7u);  // no off + len overflow
  EXPECT_EQ(b.first(100), b);
  EXPECT_EQ(b.last(100), b);
  EXPECT_EQ(b.drop_first(100).size(), 0u);
  EXPECT_EQ(b.subspan(11).size(), 0u);
}

TEST(Bytes, AtReportsTruncation) {
  std::vector<std::byte> vec = iota_bytes(3);
  const lp::bytes b(vec);
  ASSERT_TRUE(b.at(2).has_value());
  EXPECT_EQ(*b.at(2), std::byte{2});
  const lp::Result<std::byte> r = b.at(5);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), lp::errc::truncated);
  EXPECT_EQ(r.error().byte_offset(), 5u);
  EXPECT_EQ(r.error().needed(), 3u);  // bytes 3, 4 and 5 are missing
  EXPECT_EQ(b.at(3).error().needed(), 1u);
}

TEST(Bytes, CopiesAreCopies) {
  std::vector<std::byte> vec = iota_bytes(4);
  const lp::bytes b(vec);
  std::vector<std::byte> copy = b.to_vector();
  std::string text = b.to_string();
  EXPECT_EQ(copy, vec);
  EXPECT_NE(copy.data(), vec.data());
  EXPECT_EQ(text.size(), 4u);
  EXPECT_EQ(text[3], '\x03');
  vec[0] = std::byte{9};
  EXPECT_EQ(copy[0], std::byte{0});  // the copy does not follow the buffer
  EXPECT_EQ(text[0], '\x00');
  // as_string_view() is a view, not a copy.
  EXPECT_EQ(static_cast<const void*>(b.as_string_view().data()),
            static_cast<const void*>(vec.data()));
  // An empty slice keeps its place (found by fuzzing: an empty DNS TXT string
  // was reported at a null address, outside its message).
  const std::string_view empty = b.slice(2, 0).as_string_view();
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(static_cast<const void*>(empty.data()), static_cast<const void*>(vec.data() + 2));
}

TEST(Bytes, EqualityComparesContent) {
  std::vector<std::byte> a = iota_bytes(4);
  std::vector<std::byte> b = iota_bytes(4);
  EXPECT_EQ(lp::bytes(a), lp::bytes(b));
  b[3] = std::byte{7};
  EXPECT_NE(lp::bytes(a), lp::bytes(b));
  EXPECT_NE(lp::bytes(a), lp::bytes(a).first(3));
  EXPECT_EQ(lp::bytes(a).slice(1, 2), lp::bytes(b).slice(1, 2));
}

TEST(Bytes, IteratesAsARange) {
  std::vector<std::byte> vec = iota_bytes(5);
  unsigned sum = 0;
  for (const std::byte x : lp::bytes(vec)) sum += static_cast<unsigned>(x);
  EXPECT_EQ(sum, 10u);
  const lp::bytes b(vec);
  EXPECT_EQ(std::ranges::distance(b), 5);
}

TEST(Bytes, ConstexprUse) {
  static constexpr std::byte raw[] = {std::byte{1}, std::byte{2}, std::byte{3}};
  constexpr lp::bytes b(raw, 3);
  static_assert(b.size() == 3);
  static_assert(b.slice(1, 5).size() == 2);
  static_assert(b.u8(2) == 3);
  SUCCEED();
}

TEST(MutBytes, WritesReachTheBuffer) {
  std::vector<std::byte> vec = iota_bytes(6);
  const lp::mut_bytes m(vec);
  m[0] = std::byte{0xFF};
  EXPECT_EQ(vec[0], std::byte{0xFF});
  m.slice(2, 2).fill(std::byte{0xEE});
  EXPECT_EQ(vec[1], std::byte{1});
  EXPECT_EQ(vec[2], std::byte{0xEE});
  EXPECT_EQ(vec[3], std::byte{0xEE});
  EXPECT_EQ(vec[4], std::byte{4});
  // Slicing a mut_bytes gives a mut_bytes.
  static_assert(std::is_same_v<decltype(m.slice(0, 1)), lp::mut_bytes>);
  static_assert(std::is_same_v<decltype(m.first(1)), lp::mut_bytes>);
  const lp::bytes ro = m;
  EXPECT_EQ(ro.data(), vec.data());
  EXPECT_EQ(m.as_const().data(), vec.data());
  std::array<std::uint8_t, 2> arr{};
  lp::mut_bytes::from_raw(arr.data(), arr.size())[1] = std::byte{5};
  EXPECT_EQ(arr[1], 5u);
  lp::mut_bytes{}.fill(std::byte{1});  // empty: nothing to do, no crash
}

TEST(MutBytes, CopyFrom) {
  std::vector<std::byte> vec(4);
  const lp::mut_bytes m(vec);
  std::vector<std::byte> src = iota_bytes(3);
  EXPECT_TRUE(m.copy_from(lp::bytes(src)));
  EXPECT_EQ(vec[2], std::byte{2});
  EXPECT_EQ(vec[3], std::byte{0});
  std::vector<std::byte> big = iota_bytes(5);
  EXPECT_FALSE(m.copy_from(lp::bytes(big)));  // does not fit: nothing written
  EXPECT_EQ(vec[3], std::byte{0});
  EXPECT_TRUE(m.copy_from(lp::bytes()));
  // Overlapping source and destination behave like memmove.
  std::vector<std::byte> ov = iota_bytes(6);
  const lp::mut_bytes all(ov);
  EXPECT_TRUE(all.drop_first(1).copy_from(all.first(4)));
  EXPECT_EQ(lp::bytes(ov).to_vector(),
            (std::vector<std::byte>{std::byte{0}, std::byte{0}, std::byte{1}, std::byte{2},
                                    std::byte{3}, std::byte{5}}));
}

TEST(Chunks, SplitsIntoViewsOfTheSameMemory) {
  std::vector<std::byte> vec = iota_bytes(10);
  const auto c = lp::chunks(lp::bytes(vec), 4);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].data(), vec.data());
  EXPECT_EQ(c[0].size(), 4u);
  EXPECT_EQ(c[1].data(), vec.data() + 4);
  EXPECT_EQ(c[2].size(), 2u);  // the last one is shorter
  EXPECT_EQ(c[2].u8(1), 9u);
  std::size_t total = 0;
  std::size_t count = 0;
  for (const lp::bytes chunk : c) {
    total += chunk.size();
    ++count;
  }
  EXPECT_EQ(total, 10u);
  EXPECT_EQ(count, 3u);
  EXPECT_EQ(c.end() - c.begin(), 3);
  EXPECT_EQ((*(c.begin() + 2)).size(), 2u);
  EXPECT_EQ(c.begin()[1].data(), vec.data() + 4);
  static_assert(std::random_access_iterator<decltype(c.begin())>);
}

TEST(Chunks, EdgeCases) {
  std::vector<std::byte> vec = iota_bytes(8);
  EXPECT_EQ(lp::chunks(lp::bytes(vec), 4).size(), 2u);  // exact multiple: no empty tail
  EXPECT_EQ(lp::chunks(lp::bytes(vec), 8).size(), 1u);
  EXPECT_EQ(lp::chunks(lp::bytes(vec), 100).size(), 1u);
  EXPECT_EQ(lp::chunks(lp::bytes(vec), 100)[0].size(), 8u);
  EXPECT_EQ(lp::chunks(lp::bytes(vec), 1).size(), 8u);
  EXPECT_TRUE(lp::chunks(lp::bytes(vec), 0).empty());  // n == 0: no chunks, no division by zero
  EXPECT_EQ(lp::chunks(lp::bytes(vec), 0).begin(), lp::chunks(lp::bytes(vec), 0).end());
  EXPECT_TRUE(lp::chunks(lp::bytes(), 4).empty());
}

TEST(Chunks, MutableChunksWrite) {
  std::vector<std::byte> vec(6);
  for (const lp::mut_bytes chunk : lp::chunks(lp::mut_bytes(vec), 4)) chunk[0] = std::byte{1};
  EXPECT_EQ(vec[0], std::byte{1});
  EXPECT_EQ(vec[4], std::byte{1});
  EXPECT_EQ(vec[5], std::byte{0});
}

}  // namespace
