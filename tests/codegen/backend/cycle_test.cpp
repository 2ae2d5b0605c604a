// Schemas that import each other (schemas/demo/cycle_a.lps <-> cycle_b.lps): the
// arms across the import cycle are recursive arms, parsed through, re-read by their
// accessors, bounded by max_depth. This file includes cycle_b's header first;
// cycle_a_first.cpp includes cycle_a's alone, so both orders are compiled.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "demo/cycle_b.lp.hpp"
#include "libparse/format.hpp"
// cycle_b's header included cycle_a's, after its own classes.
#include "demo/cycle_a.lp.hpp"

namespace cycle_test {
std::vector<std::uint8_t> outer_inner_outer_tag();  // in cycle_a_first.cpp
bool parses_with_cycle_a_alone(const std::vector<std::uint8_t>& bytes);
}  // namespace cycle_test

namespace {

using cycle_test::outer_inner_outer_tag;

TEST(GeneratedImportCycle, ParsesThroughBothFiles) {
  const auto bytes = outer_inner_outer_tag();
  const auto outer = demo::Outer::parse(bytes);
  ASSERT_TRUE(outer) << outer.error();
  EXPECT_EQ(outer->size(), bytes.size());
  ASSERT_EQ(outer->body_arm(), demo::OuterView::BodyArm::inner);
  EXPECT_FALSE(outer->body_tag());
  const std::optional<demo::cycle::InnerView> inner = outer->body_inner();
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->count(), 2u);
  EXPECT_EQ(inner->items()[0], 0xAAu);
  EXPECT_EQ(inner->items()[1], 0xBBu);
  EXPECT_EQ(inner->kind(), demo::Kind::OUTER);
  const std::optional<demo::OuterView> again = inner->next_outer();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->length(), 2u);
  const std::optional<demo::cycle::TagView> tag = again->body_tag();
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->id(), 0x1234u);
  EXPECT_EQ(tag->bytes().data(), reinterpret_cast<const std::byte*>(bytes.data() + 8));
  EXPECT_TRUE(cycle_test::parses_with_cycle_a_alone(bytes));
}

TEST(GeneratedImportCycle, InnerParsedAlone) {
  const auto bytes = outer_inner_outer_tag();
  const auto inner = demo::cycle::Inner::parse(lp::bytes(bytes).drop_first(2));
  ASSERT_TRUE(inner) << inner.error();
  ASSERT_TRUE(inner->next_outer());
  EXPECT_EQ(inner->next_outer()->body_tag()->id(), 0x1234u);
}

TEST(GeneratedImportCycle, EveryTruncatedPrefixFails) {
  const auto bytes = outer_inner_outer_tag();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const auto outer = demo::Outer::parse(lp::bytes(bytes.data(), n));
    EXPECT_FALSE(outer) << n;
  }
}

TEST(GeneratedImportCycle, ErrorPathCrossesBothFiles) {
  auto bytes = outer_inner_outer_tag();
  bytes[6] = 1;  // the innermost Outer's length: its Tag no longer fits
  const auto outer = demo::Outer::parse(bytes);
  ASSERT_FALSE(outer);
  EXPECT_EQ(outer.error().code(), lp::errc::bad_length) << outer.error();
  // The field that does not fit the one-byte region, at the region's start.
  EXPECT_EQ(outer.error().field_path(), "Outer.body.Inner.next.Outer.body.Tag.id");
  EXPECT_EQ(outer.error().byte_offset(), 8u) << outer.error();
}

// Outer(INNER) -> Inner -> Outer(INNER) -> ... ten times, then a Tag.
std::vector<std::uint8_t> deep(int levels) {
  std::vector<std::uint8_t> body = {0x02, 0x03, 0x12, 0x34};  // Outer(TAG)
  for (int i = 0; i < levels; ++i) {
    std::vector<std::uint8_t> inner = {0x00, 0x01};  // Inner: no items, kind OUTER
    inner.insert(inner.end(), body.begin(), body.end());
    body = {static_cast<std::uint8_t>(inner.size()), 0x02};  // Outer(INNER)
    body.insert(body.end(), inner.begin(), inner.end());
  }
  return body;
}

TEST(GeneratedImportCycle, DepthLimitBoundsTheCycle) {
  const auto bytes = deep(10);
  ASSERT_TRUE(demo::Outer::parse(bytes));
  lp::ParseOptions options;
  options.max_depth = 5;
  const auto outer = demo::Outer::parse(bytes, options);
  ASSERT_FALSE(outer);
  EXPECT_EQ(outer.error().code(), lp::errc::too_deep) << outer.error();
  // Each level is two views (Outer, Inner) and the Tag one more.
  options.max_depth = 21;
  EXPECT_TRUE(demo::Outer::parse(bytes, options));
  options.max_depth = 20;
  EXPECT_FALSE(demo::Outer::parse(bytes, options));
}

TEST(GeneratedImportCycle, MutThroughTheCycle) {
  auto bytes = outer_inner_outer_tag();
  auto outer = demo::Outer::parse_mut(std::as_writable_bytes(std::span(bytes)));
  ASSERT_TRUE(outer) << outer.error();
  const auto inner = outer->body_inner_mut();
  ASSERT_TRUE(inner);
  const auto again = inner->next_outer_mut();
  ASSERT_TRUE(again);
  auto tag = again->body_tag_mut();
  ASSERT_TRUE(tag);
  tag->set_id(0xBEEF);
  EXPECT_EQ(bytes[8], 0xBE);
  EXPECT_EQ(bytes[9], 0xEF);
}

TEST(GeneratedImportCycle, VisitsAcrossTheCycle) {
  const auto bytes = outer_inner_outer_tag();
  const auto outer = demo::Outer::parse(bytes);
  ASSERT_TRUE(outer);
  const std::string text = fmt::format("{}", *outer);
  EXPECT_NE(text.find("id"), std::string::npos) << text;
  EXPECT_NE(text.find("4660"), std::string::npos) << text;  // 0x1234
}

}  // namespace

namespace {

TEST(GeneratedImportCycle, ReferenceAcrossTheCycle) {
  const std::vector<std::uint8_t> message = {0x42, 0x00};  // Leaf @0, Jump @1 -> 0
  const auto jump = demo::cycle::Jump::parse(lp::bytes(message).drop_first(1));
  ASSERT_TRUE(jump) << jump.error();
  lp::PointerChain chain(message);
  const lp::Result<demo::LeafView> leaf = jump->target(chain);
  ASSERT_TRUE(leaf) << leaf.error();
  EXPECT_EQ(leaf->value(), 0x42u);
}

}  // namespace
