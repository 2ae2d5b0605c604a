// Generated checksum code (schemas/demo/checksums.lps): <field>_expected(),
// verify_checksums() and update_checksums() with a checksum at an odd run-time
// offset, covered lengths from a field and from a `let` with a parameter, a
// pseudo-header, and a zero that means "none". Expected values were computed
// outside libparse, as plain sums of 16-bit words.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>
#include <vector>

#include "demo/checksums.lp.hpp"
#include "libparse/format.hpp"

namespace {

std::vector<std::uint8_t> tagged() {
  return {0x02, 'a', 'b', 0x00, 0x00, 'x', 'y', 'z'};  // name "ab", sum at byte 3
}

TEST(GeneratedChecksum, OddRunTimeOffset) {
  auto packet = tagged();
  auto view = demo::Tagged::parse_mut(packet);
  ASSERT_TRUE(view) << view.error();
  EXPECT_EQ(*view->sum_expected(), 0x21ac);
  const lp::Status bad = view->verify_checksums();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), lp::errc::bad_checksum);
  EXPECT_EQ(bad.error().field_path(), "Tagged.sum");
  EXPECT_EQ(bad.error().byte_offset(), 3u);
  EXPECT_EQ(bad.error().actual(), 0u);
  EXPECT_EQ(bad.error().expected(), 0x21acu);
  ASSERT_TRUE(view->update_checksums());
  EXPECT_EQ(packet[3], 0x21);
  EXPECT_EQ(packet[4], 0xac);
  EXPECT_TRUE(view->verify_checksums());
  // Every other byte is covered (byte 0, the name's length, would move the field).
  for (std::size_t i = 1; i < packet.size(); ++i) {
    if (i == 3 || i == 4) continue;
    auto copy = packet;
    copy[i] ^= 0x04;
    const auto changed = demo::Tagged::parse(copy);
    ASSERT_TRUE(changed) << changed.error();
    EXPECT_FALSE(changed->verify_checksums()) << "byte " << i;
  }
}

template <class V>
concept can_update = requires(V v) {
  v.update_checksums();
};

TEST(GeneratedChecksum, SignaturesFollowTheSchema) {
  // No pseudo-header: no argument. `pseudo`: one, with no default to forget.
  static_assert(
      std::is_invocable_v<decltype(&demo::TaggedView::verify_checksums), const demo::TaggedView&>);
  static_assert(std::is_invocable_v<decltype(&demo::FramedView::verify_checksums),
                                    const demo::FramedView&, const lp::InternetChecksum&>);
  static_assert(
      !std::is_invocable_v<decltype(&demo::FramedView::verify_checksums), const demo::FramedView&>);
  // Only the Mut view writes.
  static_assert(can_update<demo::TaggedMut>);
  static_assert(!can_update<demo::TaggedView>);
  SUCCEED();
}

std::vector<std::uint8_t> framed() {
  // header_words 1, header_sum, kind 7, body_sum, rest "pq".
  return {0x01, 0x00, 0x00, 0x07, 0x00, 0x00, 'p', 'q'};
}

lp::InternetChecksum pseudo() { return lp::InternetChecksum().add_u32(0x0a000001); }

TEST(GeneratedChecksum, TwoChecksumsInDeclarationOrder) {
  auto packet = framed();
  auto view = demo::Framed::parse_mut(packet, 4);  // covered = 1 * 4 + 4 = 8 bytes
  ASSERT_TRUE(view) << view.error();
  EXPECT_EQ(view->covered(), 8u);
  ASSERT_TRUE(view->update_checksums(pseudo()));
  EXPECT_EQ(view->header_sum(), 0xfef8);
  EXPECT_EQ(view->body_sum(), 0x8b87);  // computed after header_sum was written
  EXPECT_TRUE(view->verify_checksums(pseudo()));
  // A wrong pseudo-header fails the second checksum, and names it.
  const lp::Status bad = view->verify_checksums(lp::InternetChecksum());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field_path(), "Framed.body_sum");
  EXPECT_EQ(bad.error().byte_offset(), 4u);
  // The first checksum is checked first.
  packet[3] = 8;
  const lp::Status first = view->verify_checksums(pseudo());
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().field_path(), "Framed.header_sum");
}

TEST(GeneratedChecksum, ZeroMeansNone) {
  auto packet = framed();
  auto view = demo::Framed::parse_mut(packet, 4);
  ASSERT_TRUE(view);
  view->set_header_sum(0xfef8);
  view->set_body_sum(0);
  EXPECT_TRUE(view->verify_checksums(pseudo()));  // body_sum 0: none computed
  view->set_header_sum(0);                        // header_sum has no such rule
  EXPECT_FALSE(view->verify_checksums(pseudo()));
}

TEST(GeneratedChecksum, CoveredLengthOutsideTheStruct) {
  auto packet = framed();
  // covered = 4 + 5 = 9 bytes of an 8-byte struct.
  auto view = demo::Framed::parse_mut(packet, 5);
  ASSERT_TRUE(view);
  const auto expected = view->body_sum_expected(pseudo());
  ASSERT_FALSE(expected);
  EXPECT_EQ(expected.error().code(), lp::errc::bad_length);
  EXPECT_EQ(expected.error().field_path(), "Framed.body_sum");
  EXPECT_EQ(expected.error().text(), "covered");
  EXPECT_EQ(expected.error().actual(), 9u);
  EXPECT_EQ(view->update_checksums(pseudo()).error().code(), lp::errc::bad_length);
  // Too short to hold the checksum field itself: header_words 0 covers 0 bytes.
  auto empty = framed();
  empty[0] = 0;
  auto short_view = demo::Framed::parse(empty, 4);
  ASSERT_TRUE(short_view);
  const auto none = short_view->header_sum_expected();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), lp::errc::bad_length);
  EXPECT_EQ(none.error().actual(), 0u);
  EXPECT_EQ(fmt::format("{}", none.error()),
            "bad length at byte 1: Framed.header_sum (header_words * 4), got 0");
}

}  // namespace
