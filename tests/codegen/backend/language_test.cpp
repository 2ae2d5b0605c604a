// The code lpc generates for tests/codegen/backend/schemas/demo/language.lps,
// compiled and run on byte-built packets: when each `require` is checked, the
// field an error inside a sized region names, and anonymous fields in paths.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "demo/language.lp.hpp"
#include "libparse/format.hpp"

namespace {

using namespace demo::language;
using Bytes = std::vector<std::uint8_t>;

// Code, offset, path and text of a failed parse, in one comparable string.
template <class R>
std::string describe(const R& result) {
  if (result) return "parsed";
  const lp::Error& e = result.error();
  std::string out = fmt::format("{} at {}: {} ({})", lp::to_string(e.code()), e.byte_offset(),
                                e.field_path(), e.text());
  if (e.has_actual()) out += fmt::format(" got {}", e.actual());
  if (e.needed() != 0) out += fmt::format(" needs {}", e.needed());
  return out;
}

// Parses `bytes` as T (with T's arguments) and describes the outcome.
template <class T, class... Args>
std::string failure(const Bytes& bytes, Args... args) {
  return describe(T::parse(lp::bytes(bytes), args...));
}

// ------------------------------------------------------------ require

TEST(GeneratedRequire, ValidMessage) {
  const Bytes buf = {1, 2, 'h', 'i', 0x00, 0x07};
  auto r = Early::parse(buf, 16);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->length(), 2);
  EXPECT_EQ(r->body().size(), 2u);
  EXPECT_EQ(r->tail(), 7);
}

TEST(GeneratedRequire, NamingNoFieldIsCheckedBeforeAnyByte) {
  // Not "truncated": the parameter is wrong whatever the bytes.
  EXPECT_EQ(failure<Early>(Bytes{}, std::uint8_t{0}), "constraint failed at 0: Early (limit != 0)");
}

TEST(GeneratedRequire, CheckedRightAfterTheFieldItNames) {
  // length 200 > limit: reported at `length`, not as `body` running out.
  const Bytes buf = {1, 200, 'x'};
  EXPECT_EQ(failure<Early>(buf, std::uint8_t{16}),
            "constraint failed at 1: Early.length (length <= limit)");
  // Within the limit, the short body is what fails.
  EXPECT_EQ(failure<Early>(Bytes{1, 16, 'x'}, std::uint8_t{16}),
            "truncated at 2: Early.body () needs 15");
}

TEST(GeneratedRequire, NamesTheLastFieldItReadsAtThatFieldsOffset) {
  // kind 0 needs tail 0; tail sits after a 3-byte body, at byte 5.
  const Bytes buf = {0, 3, 'a', 'b', 'c', 0x00, 0x05};
  EXPECT_EQ(failure<Early>(buf, std::uint8_t{16}),
            "constraint failed at 5: Early.tail (kind != 0 || tail == 0)");
  EXPECT_EQ(failure<Early>(Bytes{0, 0, 0x00, 0x00}, std::uint8_t{16}), "parsed");
}

TEST(GeneratedRequire, RemainingIsCheckedAfterTheStruct) {
  EXPECT_EQ(failure<Early>(Bytes{1, 0, 0x00, 0x00, 0xEE}, std::uint8_t{16}),
            "constraint failed at 0: Early (remaining == 0)");
}

TEST(GeneratedRequire, PartialKeepsTheFieldsBeforeTheRequire) {
  const Bytes buf = {1, 200, 'x'};
  const auto partial = EarlyView::parse_partial(buf, 16);
  ASSERT_FALSE(partial.complete());
  EXPECT_TRUE(partial.has(EarlyView::Field::kind));
  EXPECT_FALSE(partial.has(EarlyView::Field::length));
  EXPECT_TRUE(
      partial.has_value(EarlyView::Field::length));  // the value is there; the check said no
  EXPECT_EQ(partial.stopped_at(), EarlyView::Field::length);
  EXPECT_EQ(partial->length(), 200);
}

// ------------------------------------------------------------ sized regions

TEST(GeneratedRegion, ArmsThatFit) {
  const Bytes ident_bytes = {1, 6, 0, 1, 0, 0, 0, 9};
  auto ident = Packet::parse(ident_bytes);
  ASSERT_TRUE(ident) << ident.error().message();
  EXPECT_EQ(ident->body_ident()->value(), 9u);
  const Bytes publish_bytes = {2, 4, 1, 'x', 0, 3};
  auto publish = Packet::parse(publish_bytes);
  ASSERT_TRUE(publish) << publish.error().message();
  EXPECT_EQ(publish->body_publish()->packet_id(), 3);
}

TEST(GeneratedRegion, FixedArmNamesTheFieldPastTheRegion) {
  // Ident takes 6 bytes; the region has 4: `value` (bytes 2..5 of the arm) does not fit.
  EXPECT_EQ(failure<Packet>(Bytes{1, 4, 0, 1, 0, 0}),
            "bad length at 4: Packet.body.Ident.value (length) got 4");
}

TEST(GeneratedRegion, VariableArmNamesTheInnermostField) {
  // The topic fits; the packet identifier runs out of the 3-byte region.
  EXPECT_EQ(failure<Packet>(Bytes{2, 3, 1, 'x', 0, 3}),
            "bad length at 4: Packet.body.Publish.packet_id (length) got 3");
  // The topic's own length runs past the region: the topic is named.
  EXPECT_EQ(failure<Packet>(Bytes{2, 3, 9, 'x', 0, 3}),
            "bad length at 3: Packet.body.Publish.topic (length) got 3");
}

TEST(GeneratedRegion, RegionNotFilledAndBufferShortAreUnchanged) {
  EXPECT_EQ(failure<Packet>(Bytes{2, 5, 1, 'x', 0, 3, 0}),
            "bad length at 2: Packet.body (length) got 5");
  EXPECT_EQ(failure<Packet>(Bytes{1, 6, 0}), "truncated at 2: Packet.body () needs 5");
}

TEST(GeneratedRegion, ArrayElementNamesItsFieldAndIndex) {
  EXPECT_EQ(failure<EntryList>(Bytes{4, 1, 'a', 1, 'b'}), "parsed");
  // Element 1 says 3 bytes of data; one is left in the 4-byte region.
  EXPECT_EQ(failure<EntryList>(Bytes{4, 1, 'a', 3, 'b', 'c', 'd'}),
            "bad length at 4: EntryList.entries[1].data (length) got 4");
}

TEST(GeneratedRegion, PartialGoesInsideTheArm) {
  const Bytes buf = {2, 3, 1, 'x', 0, 3};
  const auto partial = PacketView::parse_partial(buf);
  ASSERT_FALSE(partial.complete());
  EXPECT_TRUE(partial.stopped_inside(PacketView::Field::body));
}

// ------------------------------------------------------------ anonymous fields

TEST(GeneratedAnonymous, NamedByPosition) {
  EXPECT_EQ(failure<Vxlan>(Bytes{0x08, 0, 0, 0, 0, 0, 42, 0}), "parsed");
  EXPECT_EQ(failure<Vxlan>(Bytes{0x08, 0, 0, 1, 0, 0, 42, 0}),
            "constraint failed at 1: Vxlan._#2 (_ == 0) got 1");
  EXPECT_EQ(failure<Vxlan>(Bytes{0x08, 0, 0, 0, 0, 0, 42, 7}),
            "constraint failed at 7: Vxlan._#4 (_ == 0) got 7");
  EXPECT_EQ(failure<Vxlan>(Bytes{0x08, 0, 0, 0, 0, 0, 42}), "truncated at 7: Vxlan._#4 () needs 1");
}

}  // namespace
