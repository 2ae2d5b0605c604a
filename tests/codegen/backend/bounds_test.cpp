// The plan's upper bound on the bytes parse() consumes (codegen/plan/bounds.hpp),
// which the fuzz kit passes to libFuzzer as -max_len: small schemas compiled in
// memory, each bound worked out by hand in the comment beside it.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "backend_test_util.hpp"
#include "plan/plan.hpp"

namespace lpc::plan {
namespace {

using test::planned;

std::optional<std::uint64_t> bound(const test::Checked& c, std::string_view name) {
  return c.plan_of(name).max_parse_bytes;
}

TEST(InputBound, FixedSizeStructsAreTheirSize) {
  auto c = planned(R"(
struct Bits { a: u4; b: u12; c: u8; }
struct Nested { x: Bits; y: Bits[3]; z: u16; })");
  EXPECT_EQ(bound(*c, "Bits"), 3u);
  EXPECT_EQ(bound(*c, "Nested"), 3u + 9u + 2u);
}

TEST(InputBound, LengthsAreBoundedByTheirFieldsWidth) {
  auto c = planned(R"(
struct Byte { n: u8; data: bytes[n]; }
struct Word { n: u16; data: string[n]; }
struct Header { ihl: u4; rest: u4; body: bytes[ihl * 4 - 4]; }
struct Shifted { n: u3; _: u5; data: bytes[1 << n]; }
struct Pads { n: u8; pad n; tail: u8; })");
  EXPECT_EQ(bound(*c, "Byte"), 1u + 255u);
  EXPECT_EQ(bound(*c, "Word"), 2u + 65535u);
  EXPECT_EQ(bound(*c, "Header"), 1u + 56u);  // 15 * 4 - 4
  EXPECT_EQ(bound(*c, "Shifted"), 1u + 128u);
  EXPECT_EQ(bound(*c, "Pads"), 1u + 255u + 1u);
}

TEST(InputBound, WhereClausesWithConstantsNarrowAField) {
  auto c = planned(R"(
const MAX = 1000;
struct Le { n: u16 where n <= 100; data: bytes[n]; }
struct Lt { n: u16 where n >= 4 && n < MAX; data: bytes[n - 4]; }
struct Flipped { n: u16 where 50 > n; data: bytes[n]; }
struct Equal { n: u16 == 7; data: bytes[n]; }
struct Other { n: u16 where n % 2 == 0; data: bytes[n]; })");
  EXPECT_EQ(bound(*c, "Le"), 2u + 100u);
  EXPECT_EQ(bound(*c, "Lt"), 2u + 995u);  // 999 - 4
  EXPECT_EQ(bound(*c, "Flipped"), 2u + 49u);
  EXPECT_EQ(bound(*c, "Equal"), 2u + 7u);
  EXPECT_EQ(bound(*c, "Other"), 2u + 65535u);  // not a comparison with a constant
}

TEST(InputBound, ArraysByCountAndBySize) {
  auto c = planned(R"(
struct Pair { a: u16; b: u16; }
struct Label { n: u8; text: bytes[n]; }
struct Counted { n: u8; items: Pair[n]; }
struct CountedVariable { n: u8 where n <= 2; items: Label[n]; }
struct Sized { n: u16; items: Label[] size(n); }
struct SizedUntil { n: u8; items: Label[] size(n) until (it.n == 0); })");
  EXPECT_EQ(bound(*c, "Counted"), 1u + 255u * 4u);
  EXPECT_EQ(bound(*c, "CountedVariable"), 1u + 2u * 256u);
  EXPECT_EQ(bound(*c, "Sized"), 2u + 65535u);
  EXPECT_EQ(bound(*c, "SizedUntil"), 1u + 255u);
}

TEST(InputBound, SwitchesTakeTheirWidestArmOrTheirSize) {
  auto c = planned(R"(
struct Label { n: u8; text: bytes[n]; }
struct Arms { t: u8; a: switch (t) { case 1 => one: u32; case 2 => label: Label; default => raw: bytes[4]; }; }
struct Sized { t: u8; n: u8; a: switch (t) { case 1 => one: u32; default => rest: bytes[]; } size(n); }
struct Open { t: u8; a: switch (t) { case 1 => one: u32; default => rest: bytes[]; }; })");
  EXPECT_EQ(bound(*c, "Arms"), 1u + 256u);
  EXPECT_EQ(bound(*c, "Sized"), 2u + 255u);
  EXPECT_EQ(bound(*c, "Open"), std::nullopt);
}

TEST(InputBound, OptionalFieldsAndVarintsAndLets) {
  auto c = planned(R"(
struct Optional { f: u8; x: u32 if f == 1; y: bytes[f] if f > 1; }
struct Varint { v: varint; q: quicvarint; }
struct VarintLength { n: varint; data: bytes[n]; }
struct Let { a: u4; b: u4; let total = a * 16 + b; data: bytes[total]; })");
  EXPECT_EQ(bound(*c, "Optional"), 1u + 4u + 255u);
  EXPECT_EQ(bound(*c, "Varint"), 10u + 8u);
  EXPECT_EQ(bound(*c, "VarintLength"), std::nullopt);  // a 64-bit length
  EXPECT_EQ(bound(*c, "Let"), 1u + 255u);
}

TEST(InputBound, WhatRunsToTheEndOfTheBufferIsUnbounded) {
  auto c = planned(R"(
struct Label { n: u8; text: bytes[n]; }
struct Rest { a: u8; tail: bytes[]; }
struct List { items: Label[]; }
struct Until { items: Label[] until (it.n == 0); }
struct Text { name: cstring; }
struct Remaining { a: u8; b: bytes[remaining - 1]; }
struct Holds { r: Rest; }
struct Recursive { t: u8; a: switch (t) { case 1 => again: Recursive; default => r: bytes[2]; }; })");
  for (const char* name : {"Rest", "List", "Until", "Text", "Remaining", "Holds", "Recursive"})
    EXPECT_EQ(bound(*c, name), std::nullopt) << name;
  EXPECT_EQ(bound(*c, "Label"), 256u);
}

TEST(InputBound, ParametersAreBoundedByTheirType) {
  auto c = planned(R"(
struct Body(n: u8) { data: bytes[n]; }
struct Outer { n: u8; body: Body(n); })");
  EXPECT_EQ(bound(*c, "Body"), 255u);
  EXPECT_EQ(bound(*c, "Outer"), 1u + 255u);
}

}  // namespace
}  // namespace lpc::plan
