// lp::InternetChecksum and the pseudo-header helpers (libparse/checksum.hpp).
#include "libparse/checksum.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace {

std::vector<std::byte> bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

TEST(InternetChecksum, Rfc1071Example) {
  // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2.
  const auto data = bytes_of({0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7});
  lp::InternetChecksum sum;
  sum.add(lp::bytes(data));
  EXPECT_EQ(sum.sum(), 0xddf2);
  EXPECT_EQ(sum.checksum(), 0x220d);
}

TEST(InternetChecksum, EmptyAndOddLength) {
  EXPECT_EQ(lp::InternetChecksum().sum(), 0);
  EXPECT_EQ(lp::InternetChecksum().checksum(), 0xffff);
  // An odd last byte is the high half of a word padded with zero: 0x0102 + 0x0300.
  const auto data = bytes_of({0x01, 0x02, 0x03});
  lp::InternetChecksum sum;
  sum.add(lp::bytes(data));
  EXPECT_EQ(sum.sum(), 0x0402);
  EXPECT_EQ(sum.checksum(), 0xfbfd);
}

TEST(InternetChecksum, PiecesSumAsOneStream) {
  std::vector<std::byte> data;
  for (int i = 0; i < 61; ++i) data.push_back(static_cast<std::byte>(i * 37 + 11));
  lp::InternetChecksum whole;
  whole.add(lp::bytes(data));
  // Every split point, including odd ones: the second piece continues the word.
  for (std::size_t cut = 0; cut <= data.size(); ++cut) {
    lp::InternetChecksum pieces;
    const lp::bytes all(data);
    pieces.add(all.first(cut)).add(all.drop_first(cut));
    EXPECT_EQ(pieces.sum(), whole.sum()) << "cut at " << cut;
  }
  // Three pieces, two of odd length.
  lp::InternetChecksum three;
  const lp::bytes all(data);
  three.add(all.first(7)).add(all.slice(7, 9)).add(all.drop_first(16));
  EXPECT_EQ(three.sum(), whole.sum());
}

TEST(InternetChecksum, CarriesFoldBack) {
  // 0xffff + 0xffff + 0x0003 = 0x20001, which folds to 0x0001 + 0x0002.
  const auto data = bytes_of({0xff, 0xff, 0xff, 0xff, 0x00, 0x03});
  lp::InternetChecksum sum;
  sum.add(lp::bytes(data));
  EXPECT_EQ(sum.sum(), 0x0003);
  // Many words of 0xffff: the 64-bit accumulator never loses a carry.
  std::vector<std::byte> ones(100000, std::byte{0xff});
  lp::InternetChecksum big;
  big.add(lp::bytes(ones));
  EXPECT_EQ(big.sum(), 0xffff);
}

TEST(InternetChecksum, AddNumbersInNetworkOrder) {
  lp::InternetChecksum numbers;
  numbers.add_u16(0x0001).add_u32(0xf203f4f5).add_u16(0xf6f7);
  EXPECT_EQ(numbers.sum(), 0xddf2);
}

TEST(InternetChecksum, ChecksumOverSkipsTheField) {
  // A header whose checksum field (bytes 2..3) holds garbage: computed as zero.
  auto data = bytes_of({0x45, 0x00, 0xde, 0xad, 0x12, 0x34});
  const std::uint16_t expected = lp::internet_checksum_over({}, lp::bytes(data), 2);
  // 0x4500 + 0x1234 = 0x5734 -> checksum 0xa8cb.
  EXPECT_EQ(expected, 0xa8cb);
  data[2] = std::byte{0xa8};
  data[3] = std::byte{0xcb};
  lp::InternetChecksum with_field;
  with_field.add(lp::bytes(data));
  EXPECT_EQ(with_field.sum(), 0xffff);  // what a receiver checks
  // The field at an odd offset: its bytes still count as zero.
  const auto odd = bytes_of({0x01, 0xff, 0xff, 0x02});
  EXPECT_EQ(lp::internet_checksum_over({}, lp::bytes(odd), 1), static_cast<std::uint16_t>(~0x0102));
}

TEST(InternetChecksum, ZeroHasTwoForms) {
  EXPECT_TRUE(lp::internet_checksum_matches(0x1234, 0x1234));
  EXPECT_FALSE(lp::internet_checksum_matches(0x1235, 0x1234));
  EXPECT_TRUE(lp::internet_checksum_matches(0x0000, 0x0000));
  EXPECT_TRUE(lp::internet_checksum_matches(0xffff, 0x0000));
  EXPECT_FALSE(lp::internet_checksum_matches(0x0000, 0xffff));
}

TEST(InternetChecksum, PseudoHeaders) {
  const std::array<std::uint8_t, 4> src = {192, 168, 0, 1};
  const std::array<std::uint8_t, 4> dst = {192, 168, 0, 199};
  // 0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 0x0011 + 0x0014 = 0x1823d -> 0x823e.
  EXPECT_EQ(lp::ipv4_pseudo_header(lp::bytes(src), lp::bytes(dst), 17, 20).sum(), 0x823e);

  std::array<std::uint8_t, 16> src6{};
  std::array<std::uint8_t, 16> dst6{};
  src6[0] = 0xfe;
  src6[1] = 0x80;
  src6[15] = 0x01;
  dst6[0] = 0xff;
  dst6[1] = 0x02;
  dst6[15] = 0x02;
  // 0xfe80 + 0x0001 + 0xff02 + 0x0002 + length 0x0000 0x0010 + 0x0000 0x003a.
  const std::uint32_t words = 0xfe80 + 0x0001 + 0xff02 + 0x0002 + 0x0010 + 0x003a;
  const std::uint16_t folded = static_cast<std::uint16_t>((words & 0xffff) + (words >> 16));
  EXPECT_EQ(lp::ipv6_pseudo_header(lp::bytes(src6), lp::bytes(dst6), 16, 58).sum(), folded);
}

}  // namespace
