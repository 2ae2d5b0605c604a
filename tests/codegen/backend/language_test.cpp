// The code lpc generates for tests/codegen/backend/schemas/demo/language.lps,
// compiled and run on byte-built packets: when each `require` is checked, the
// field an error inside a sized region names, and anonymous fields in paths.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
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

// ------------------------------------------------------------ string constants

// `head`, then the characters of `text` as bytes.
Bytes with_text(Bytes head, std::string_view text) {
  head.insert(head.end(), text.begin(), text.end());
  return head;
}

// An MQTT CONNECT header: protocol name, level, keep-alive, client id (NUL-terminated).
Bytes connect(std::string_view name, std::uint8_t level, std::uint8_t keep_alive,
              std::string_view id) {
  Bytes b = with_text({0, static_cast<std::uint8_t>(name.size())}, name);
  b.insert(b.end(), {level, 0, keep_alive});
  b = with_text(b, id);
  b.push_back(0);
  return b;
}

TEST(GeneratedStrings, WhereComparesAStringFieldWithLiterals) {
  const Bytes buf = connect("MQTT", 4, 60, "c1");
  auto r = MqttConnect::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->protocol_name(), "MQTT");
  EXPECT_EQ(r->client_id(), "c1");
  EXPECT_EQ(failure<MqttConnect>(connect("MQIsdp", 3, 60, "c1")), "parsed");
  // Same length, other bytes; a prefix; the right name with one byte more.
  for (const std::string_view name : {"MQTX", "MQT", "MQTTT"}) {
    EXPECT_EQ(failure<MqttConnect>(connect(name, 4, 60, "c1")),
              "constraint failed at 2: MqttConnect.protocol_name (protocol_name == \"MQTT\" || "
              "protocol_name == \"MQIsdp\")")
        << name;
  }
}

TEST(GeneratedStrings, ALaterFieldsConstraintReadsTheString) {
  // "MQTT" needs level >= 4, "MQIsdp" level 3.
  EXPECT_EQ(failure<MqttConnect>(connect("MQTT", 3, 60, "c1")),
            "constraint failed at 6: MqttConnect.level (protocol_name == \"MQTT\" ? level >= 4 : "
            "level == 3) got 3");
  EXPECT_EQ(failure<MqttConnect>(connect("MQIsdp", 4, 60, "c1")),
            "constraint failed at 8: MqttConnect.level (protocol_name == \"MQTT\" ? level >= 4 : "
            "level == 3) got 4");
}

TEST(GeneratedStrings, RequireComparesACstringWithoutItsNul) {
  EXPECT_EQ(failure<MqttConnect>(connect("MQTT", 4, 0, "")), "parsed");
  EXPECT_EQ(failure<MqttConnect>(connect("MQTT", 4, 60, "")),
            "constraint failed at 9: MqttConnect.client_id (client_id != \"\" || keep_alive == "
            "0)");
}

TEST(GeneratedStrings, EveryPrefixOfAConnectIsTruncated) {
  const Bytes buf = connect("MQTT", 4, 60, "c1");
  for (std::size_t n = 0; n < buf.size(); ++n) {
    const Bytes prefix(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    const auto r = MqttConnect::parse(lp::bytes(prefix));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code(), lp::errc::truncated) << n << ": " << r.error().message();
  }
}

// "\x89PNG", "\r\n", kind, [note if kind == 1], label, NUL.
Bytes magic(std::uint8_t kind, std::string_view note, std::string_view label) {
  Bytes b = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, kind};
  b = with_text(with_text(b, note), label);
  b.push_back(0);
  return b;
}

TEST(GeneratedStrings, FixedMagicWithEscapes) {
  const Bytes buf = magic(1, "abc", "x");
  auto r = Magic::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_TRUE(r->has_note());
  EXPECT_EQ(r->note()->as_string_view(), "abc");
  EXPECT_EQ(r->label(), "x");
  Bytes bad = magic(0, "", "x");
  bad[0] = 0x88;
  EXPECT_EQ(failure<Magic>(bad), "constraint failed at 0: Magic.magic (magic == \"\\x89PNG\")");
  bad = magic(0, "", "x");
  bad[5] = 0x0B;
  EXPECT_EQ(failure<Magic>(bad), "constraint failed at 4: Magic._#2 (_ == \"\\x0D\\x0A\")");
}

TEST(GeneratedStrings, OptionalFieldIsComparedOnlyWhenPresent) {
  // The note is the three bytes `"\x`, which its constraint rejects.
  EXPECT_EQ(failure<Magic>(magic(1, "\"\\x", "x")),
            "constraint failed at 7: Magic.note (note != \"\\\"\\\\x\")");
  EXPECT_EQ(failure<Magic>(magic(1, "\"\\y", "x")), "parsed");
  // Absent (kind 0): no bytes, no check.
  EXPECT_EQ(failure<Magic>(magic(0, "", "x")), "parsed");
}

TEST(GeneratedStrings, RequireAfterTheLastTextItNames) {
  EXPECT_EQ(failure<Magic>(magic(2, "", "two")), "parsed");
  EXPECT_EQ(failure<Magic>(magic(2, "", "tw")),
            "constraint failed at 7: Magic.label (kind != 2 || label == \"two\")");
}

// ------------------------------------------------------------ count() and size()

// packet id 7, the topics region, two ids, then `tail`.
Bytes subscribe(const Bytes& topics, const Bytes& tail) {
  Bytes b = {0, 7, static_cast<std::uint8_t>(topics.size())};
  for (const std::uint8_t x : topics) b.push_back(x);
  for (const std::uint8_t x : {0, 1, 0, 2}) b.push_back(x);
  for (const std::uint8_t x : tail) b.push_back(x);
  return b;
}

TEST(GeneratedMeasures, CountAndSizeOfAnArrayInWhereLetAndRequire) {
  // Two topics: "a" qos 1, "bc" qos 0 (7 bytes); one tail byte.
  const Bytes buf = subscribe({1, 'a', 1, 2, 'b', 'c', 0}, {9});
  auto r = Subscribe::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->topic_count(), 2u);
  EXPECT_EQ(r->total(), 7u + 4u);
  EXPECT_EQ(r->tail().size(), 1u);
}

TEST(GeneratedMeasures, AtLeastOneTopic) {
  // An empty topics region: the array's own `where` fails at its first byte.
  EXPECT_EQ(failure<Subscribe>(subscribe({}, {})),
            "constraint failed at 3: Subscribe.topics (count(topics) >= 1)");
  // A bad element is reported by the element, before the count is looked at.
  EXPECT_EQ(failure<Subscribe>(subscribe({1, 'a', 3}, {})),
            "constraint failed at 5: Subscribe.topics[0].qos (qos <= 2) got 3");
}

TEST(GeneratedMeasures, ACountedListIsWalkedEvenWithDeferLists) {
  // count(topics) is parse()'s to check: the list is never deferred.
  lp::ParseOptions defer;
  defer.defer_lists = true;
  const Bytes empty = subscribe({}, {});
  EXPECT_EQ(describe(Subscribe::parse(lp::bytes(empty), defer)),
            "constraint failed at 3: Subscribe.topics (count(topics) >= 1)");
  const Bytes bad_element = subscribe({1, 'a', 3}, {});
  EXPECT_EQ(describe(Subscribe::parse(lp::bytes(bad_element), defer)),
            "constraint failed at 5: Subscribe.topics[0].qos (qos <= 2) got 3");
  const Bytes fine = subscribe({1, 'a', 1, 2, 'b', 'c', 0}, {9});
  auto r = Subscribe::parse(lp::bytes(fine), defer);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->topic_count(), 2u);
  EXPECT_TRUE(r->topics().validated());
}

TEST(GeneratedMeasures, RequireComparesTwoCounts) {
  EXPECT_EQ(failure<Subscribe>(subscribe({1, 'a', 1}, {9})), "parsed");
  // Two tail bytes for one topic; the require names `tail`, where it starts.
  EXPECT_EQ(failure<Subscribe>(subscribe({1, 'a', 1}, {9, 9})),
            "constraint failed at 10: Subscribe.tail (count(tail) <= count(topics))");
}

// kind, [two u16 if kind == 1], text + NUL, values up to a 0.
Bytes measures(std::uint8_t kind, std::string_view text, const Bytes& values) {
  Bytes b = {kind};
  if (kind == 1) {
    for (const std::uint8_t x : {0, 1, 0, 2}) b.push_back(x);
  }
  b = with_text(b, text);
  b.push_back(0);
  for (const std::uint8_t x : values) b.push_back(x);
  return b;
}

TEST(GeneratedMeasures, OptionalUntilAndCstringFields) {
  Bytes buf = measures(1, "hi", {5, 6, 0});
  auto present = Measures::parse(lp::bytes(buf));
  ASSERT_TRUE(present) << present.error().message();
  EXPECT_EQ(present->extra_count(), 2u);
  EXPECT_EQ(present->extra_bytes(), 4u);
  EXPECT_EQ(present->value_count(), 3u);  // the terminator counts
  buf = measures(0, "hi", {0});
  auto absent = Measures::parse(lp::bytes(buf));
  ASSERT_TRUE(absent) << absent.error().message();
  EXPECT_EQ(absent->extra_count(), 0u);
  EXPECT_EQ(absent->extra_bytes(), 0u);
  EXPECT_EQ(absent->value_count(), 1u);
}

TEST(GeneratedMeasures, SizeOfACstringHoldsItsNul) {
  EXPECT_EQ(failure<Measures>(measures(0, "1234567", {0})), "parsed");  // 8 bytes
  EXPECT_EQ(failure<Measures>(measures(0, "12345678", {0})),
            "constraint failed at 1: Measures.text (size(text) <= 8)");
}

// ------------------------------------------------------------ NUL-padded text fields

// op 1, sname (8 bytes), file (4 bytes), n, note (n bytes), tail 0x7E.
Bytes bootp(std::string_view sname, std::string_view file, std::string_view note) {
  Bytes b = {1};
  for (const char c : sname) b.push_back(static_cast<std::uint8_t>(c));
  for (const char c : file) b.push_back(static_cast<std::uint8_t>(c));
  b.push_back(static_cast<std::uint8_t>(note.size()));
  for (const char c : note) b.push_back(static_cast<std::uint8_t>(c));
  b.push_back(0x7E);
  return b;
}

TEST(GeneratedPaddedText, TextUpToTheFirstNulTheFieldTakesItsSize) {
  // Bytes after the first NUL are padding, whatever they hold.
  const Bytes buf =
      bootp(std::string("srv\0junk", 8), std::string("a\0\0\0", 4), std::string("hi\0", 3));
  auto r = Bootp::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->sname(), "srv");
  EXPECT_EQ(r->file(), "a");
  EXPECT_EQ(r->note(), "hi");
  EXPECT_EQ(r->tail(), 0x7E);  // after every padded field
  EXPECT_EQ(r->size(), buf.size());
}

TEST(GeneratedPaddedText, NoNulMeansTheWholeField) {
  const Bytes buf = bootp("12345678", "boot", "xyz");
  auto r = Bootp::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->sname(), "12345678");
  EXPECT_EQ(r->file(), "boot");
  EXPECT_EQ(r->note(), "xyz");
  // Empty: a NUL first, or a field of no bytes.
  const Bytes empty = bootp(std::string(8, '\0'), std::string(4, '\0'), "");
  auto e = Bootp::parse(lp::bytes(empty));
  ASSERT_TRUE(e) << e.error().message();
  EXPECT_EQ(e->sname(), "");
  EXPECT_EQ(e->note(), "");
}

TEST(GeneratedPaddedText, ComparedUpToTheNul) {
  EXPECT_EQ(failure<Bootp>(bootp(std::string(8, '\0'), "none", "")),
            "constraint failed at 9: Bootp.file (file != \"none\")");
  // "none" then padding is the same text.
  EXPECT_EQ(failure<Bootp>(bootp(std::string(8, '\0'), std::string("no\0e", 4), "")), "parsed");
}

TEST(GeneratedPaddedText, TruncationNamesTheField) {
  const Bytes buf = bootp("srv", "", "");  // the sname field cut after 3 bytes
  EXPECT_EQ(failure<Bootp>(Bytes(buf.begin(), buf.begin() + 4)),
            "truncated at 1: Bootp.sname () needs 10");
  const Bytes full = bootp(std::string(8, 's'), "boot", "abc");
  // The note's 3 bytes cut to 1.
  EXPECT_EQ(failure<Bootp>(Bytes(full.begin(), full.begin() + 15)),
            "truncated at 14: Bootp.note () needs 2");
}

TEST(GeneratedPaddedText, SerializePadsWithNuls) {
  BootpValue v;
  v.op = 1;
  v.sname = "srv";
  v.file = "boot";  // fills its 4 bytes: no NUL
  v.n = 4;
  v.note = "hi";
  v.tail = 0x7E;
  const auto written = Bootp::serialize(v);
  ASSERT_TRUE(written) << written.error().message();
  const Bytes expected = bootp(std::string("srv\0\0\0\0\0", 8), "boot", std::string("hi\0\0", 4));
  ASSERT_EQ(written->size(), expected.size());
  EXPECT_EQ(std::memcmp(written->data(), expected.data(), expected.size()), 0);
  v.sname = "too long!";
  EXPECT_EQ(Bootp::serialize(v).error().code(), lp::errc::bad_length);
  v.sname = std::string_view("a\0b", 3);
  EXPECT_EQ(Bootp::serialize(v).error().code(), lp::errc::bad_value);
}

TEST(GeneratedPaddedText, MutableViewCoversTheWholeField) {
  Bytes buf = bootp(std::string("srv\0\0\0\0\0", 8), "boot", "");
  auto m = Bootp::parse_mut(lp::mut_bytes(buf));
  ASSERT_TRUE(m) << m.error().message();
  const lp::mut_bytes field = m->sname_mut();
  ASSERT_EQ(field.size(), 8u);
  field[3] = std::byte{'!'};
  EXPECT_EQ(Bootp::parse(lp::bytes(buf)).value().sname(), "srv!");
}

// ------------------------------------------------------------ peek

// Version 4, AS 1, hold time 90, id 10.0.0.1, then `rest` (opt_len first).
Bytes bgp_open(const Bytes& rest) {
  Bytes b = {4, 0, 1, 0, 90, 10, 0, 0, 1};
  for (const std::uint8_t x : rest) b.push_back(x);
  return b;
}

TEST(GeneratedPeek, NoParametersNothingIsPeeked) {
  // opt_len 0 and the message ends: the peek's condition does not hold.
  const Bytes buf = bgp_open({0});
  auto r = BgpOpen::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->next_type());
  ASSERT_TRUE(r->params_plain());
  EXPECT_EQ(r->params_plain()->params().size(), 0u);
}

TEST(GeneratedPeek, ExtendedFormIsAnnouncedByThePeekedType) {
  // opt_len 255, then marker 255, 2-byte length 5, one parameter: type 2, length 2, "ab".
  const Bytes buf = bgp_open({255, 255, 0, 5, 2, 0, 2, 'a', 'b'});
  auto r = BgpOpen::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->next_type(), 255);
  ASSERT_TRUE(r->params_extended());
  EXPECT_EQ(r->params_extended()->marker(), 255);  // the peeked byte, consumed by the arm
  EXPECT_EQ(r->params_extended()->params().size(), 1u);
  EXPECT_EQ(r->size(), buf.size());
}

TEST(GeneratedPeek, ALengthOf255WithAnotherTypeIsThePlainForm) {
  // 255 bytes of plain parameters: type 2, length 253, then 253 bytes.
  Bytes rest = {255, 2, 253};
  rest.resize(rest.size() + 253, 'x');
  auto buf = bgp_open(rest);
  auto r = BgpOpen::parse(lp::bytes(buf));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->next_type(), 2);
  ASSERT_TRUE(r->params_plain());
  EXPECT_EQ(r->params_plain()->params().size(), 1u);
}

TEST(GeneratedPeek, APeekPastTheBufferIsATruncationNamingIt) {
  EXPECT_EQ(failure<BgpOpen>(bgp_open({255})), "truncated at 10: BgpOpen.next_type () needs 1");
  EXPECT_EQ(failure<Peeked>(Bytes{7}), "truncated at 1: Peeked.kind () needs 1");
  // Every prefix of an extended OPEN is truncated, never misread.
  const Bytes buf = bgp_open({255, 255, 0, 5, 2, 0, 2, 'a', 'b'});
  for (std::size_t n = 0; n < buf.size(); ++n) {
    const auto r = BgpOpen::parse(lp::bytes(buf.data(), n));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code(), lp::errc::truncated) << n << ": " << r.error().message();
  }
}

TEST(GeneratedPeek, ThePeekedByteIsReadAgainByWhatFollows) {
  const Bytes buf = {9, 1, 0x01, 0x02};
  auto p = Peeked::parse(lp::bytes(buf));
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->kind(), 1);
  ASSERT_TRUE(p->body_one());
  EXPECT_EQ(p->body_one()->kind(), 1);
  EXPECT_EQ(p->body_one()->value(), 0x0102);
  EXPECT_EQ(p->size(), 4u);
  // Its constraint is checked like any field's.
  EXPECT_EQ(failure<Peeked>(Bytes{9, 0, 5}),
            "constraint failed at 1: Peeked.kind (kind != 0) got 0");
  const Bytes raw = {9, 7, 5};
  auto q = Peeked::parse(lp::bytes(raw));
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_EQ(q->body_raw()->size(), 2u);  // the peeked 7 and the 5
}

TEST(GeneratedPeek, OptionalPeekAfterAVariableSizeField) {
  const Bytes empty_data = {0, 7, 8};
  auto r = PeekAfterData::parse(lp::bytes(empty_data));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->next(), 7);
  EXPECT_EQ(r->rest().size(), 2u);  // the peeked 7 and the 8
  EXPECT_EQ(failure<PeekAfterData>(Bytes{0}), "truncated at 1: PeekAfterData.next () needs 1");
  const Bytes with_data = {1, 5};
  auto d = PeekAfterData::parse(lp::bytes(with_data));
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_FALSE(d->next());
  EXPECT_EQ(d->rest().size(), 0u);
}

// ------------------------------------------------------------ a field read after a later one

// op, xid, sname (64 bytes), file (128 bytes), the magic cookie, then `options`.
Bytes dhcp(std::string_view sname, const Bytes& file, const Bytes& options) {
  Bytes b = {1, 0xDE, 0xAD, 0xBE, 0xEF};
  for (std::size_t i = 0; i < 64; ++i)
    b.push_back(i < sname.size() ? static_cast<std::uint8_t>(sname[i]) : 0);
  for (std::size_t i = 0; i < 128; ++i) b.push_back(i < file.size() ? file[i] : 0);
  for (const std::uint8_t x : {0x63, 0x82, 0x53, 0x63}) b.push_back(x);
  for (const std::uint8_t x : options) b.push_back(x);
  return b;
}

// The documented pattern (schema-language.md, "A field that depends on a later
// one"): option 52 comes after sname and file and says whether file (1), sname
// (2) or both (3) hold options; 0 without it.
std::uint8_t overload(const DhcpView& packet) {
  for (const auto option : packet.options()) {
    if (option.code() != 52) continue;
    const auto body = option.body_tlv();
    if (body && body->data().size() == 1) return std::to_integer<std::uint8_t>(body->data()[0]);
  }
  return 0;
}

TEST(GeneratedLaterField, WithoutOverloadSnameAndFileAreText) {
  const Bytes buf = dhcp("server", {'b', 'o', 'o', 't', '.', 'i', 'm', 'g'}, {53, 1, 5, 255});
  auto packet = Dhcp::parse(lp::bytes(buf));
  ASSERT_TRUE(packet) << packet.error().message();
  ASSERT_EQ(overload(*packet), 0);
  auto sname = BootpText64::parse(packet->sname());
  auto file = BootpText128::parse(packet->file());
  ASSERT_TRUE(sname && file);
  EXPECT_EQ(sname->text(), "server");
  EXPECT_EQ(file->text(), "boot.img");
}

TEST(GeneratedLaterField, OverloadedFileIsParsedAsOptions) {
  // file holds option 15 (domain "ex") then End, padded with Pad (0).
  const Bytes buf = dhcp("server", {15, 2, 'e', 'x', 255}, {52, 1, 1, 53, 1, 5, 255});
  auto packet = Dhcp::parse(lp::bytes(buf));
  ASSERT_TRUE(packet) << packet.error().message();
  ASSERT_EQ(overload(*packet), 1);
  auto file = DhcpOptions::parse(packet->file());  // the same 128 bytes, no copy
  ASSERT_TRUE(file) << file.error().message();
  auto it = file->options().begin();
  EXPECT_EQ((*it).code(), 15);
  EXPECT_EQ((*it).body_tlv()->data().as_string_view(), "ex");
  EXPECT_EQ(file->options().size(), 2u + 123u);  // 15, End, then 123 Pad bytes
  // sname stays text.
  EXPECT_EQ(BootpText64::parse(packet->sname()).value().text(), "server");
}

TEST(GeneratedLaterField, ABrokenOverloadedFieldIsAnErrorOfItsOwnParse) {
  // Overloaded, but file's option 15 claims 200 bytes: its own parse fails, with
  // the offset inside file (add 69, file's offset in the packet, for the packet's).
  const Bytes buf = dhcp("", {15, 200, 'e'}, {52, 1, 1, 255});
  auto packet = Dhcp::parse(lp::bytes(buf));
  ASSERT_TRUE(packet) << packet.error().message();
  EXPECT_EQ(describe(DhcpOptions::parse(packet->file())),
            "truncated at 2: DhcpOptions.options[0].body.DhcpOptionBody.data () needs 74");
}

}  // namespace

// ------------------------------------------------------------ carry

namespace carry {

// NumberedOptions: base, scale, then options of one byte delta:4 length:4 and
// `length` value bytes; each number is the previous one plus delta * scale.
std::vector<std::uint64_t> numbers(const NumberedOptionsView& view) {
  std::vector<std::uint64_t> out;
  for (const NumberedOptionView option : view.options()) out.push_back(option.number());
  return out;
}

TEST(GeneratedCarry, EachElementGetsTheNumberBeforeItPlusItsDelta) {
  const Bytes b = {10, 2, 0x31, 0xaa, 0x00, 0x52, 1, 2};
  const auto view = NumberedOptionsView::parse(lp::bytes(b));
  ASSERT_TRUE(view) << describe(view);
  EXPECT_EQ(view->options().size(), 3u);
  EXPECT_EQ(numbers(*view), (std::vector<std::uint64_t>{16, 16, 26}));
  // A second walk, and a walk from a copied range, hand out the same arguments.
  const auto options = view->options();
  EXPECT_EQ(numbers(*view), (std::vector<std::uint64_t>{16, 16, 26}));
  auto it = options.begin();
  ++it;
  const auto copy = it;
  EXPECT_EQ((*copy).number(), 16u);
  ++it;
  EXPECT_EQ((*it).number(), 26u);
  EXPECT_EQ((*copy).number(), 16u);
  EXPECT_EQ(fmt::format("{}", view->options().front().value()), "aa");
}

TEST(GeneratedCarry, TheMutTwinCarriesTheSameValues) {
  Bytes b = {10, 2, 0x31, 0xaa, 0x00, 0x52, 1, 2};
  const auto mut = NumberedOptionsMut::parse(lp::mut_bytes(b.data(), b.size()));
  ASSERT_TRUE(mut);
  std::vector<std::uint64_t> seen;
  for (const NumberedOptionMut option : mut->options_mut()) seen.push_back(option.number());
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{16, 16, 26}));
  for (NumberedOptionMut option : mut->options_mut()) option.set_delta(1);
  const auto view = NumberedOptionsView::parse(lp::bytes(b));
  ASSERT_TRUE(view);
  EXPECT_EQ(numbers(*view), (std::vector<std::uint64_t>{12, 14, 16}));
}

TEST(GeneratedCarry, EveryPrefixIsTruncatedOrFewerElements) {
  const Bytes b = {10, 2, 0x31, 0xaa, 0x00, 0x52, 1, 2};
  for (std::size_t n = 0; n < b.size(); ++n) {
    const Bytes prefix(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
    const auto view = NumberedOptionsView::parse(lp::bytes(prefix));
    // Cut inside an option: truncated, naming that option.
    if (n < 2) {
      EXPECT_EQ(describe(view), fmt::format("truncated at {}: NumberedOptions.{} () needs {}", n,
                                            n == 0 ? "base" : "scale", 2 - n))
          << n;
    } else if (n == 3) {
      EXPECT_EQ(describe(view), "truncated at 3: NumberedOptions.options[0].value () needs 1");
    } else if (n == 6 || n == 7) {
      EXPECT_EQ(describe(view), fmt::format("truncated at 6: NumberedOptions.options[2].value () "
                                            "needs {}",
                                            8 - n));
    } else {
      ASSERT_TRUE(view) << n << ": " << describe(view);
    }
  }
}

TEST(GeneratedCarry, ACarriedValueThatDoesNotFitIsAnOverflowNamingTheElement) {
  // From 200, 15 * 255 = 3825 per option: the 19th option would be 69050.
  Bytes b = {200, 255};
  for (int i = 0; i < 20; ++i) b.push_back(0xf0);
  EXPECT_EQ(failure<NumberedOptionsView>(b),
            "overflow at 20: NumberedOptions.options[18] (it.number)");
  b.resize(2 + 18);
  const auto view = NumberedOptionsView::parse(lp::bytes(b));
  ASSERT_TRUE(view) << describe(view);
  EXPECT_EQ(numbers(*view).back(), 200u + 18u * 3825u - 3825u + 3825u);
}

TEST(GeneratedCarry, ALongListIsWalkedForwardOnce) {
  Bytes b = {0, 1};
  for (int i = 0; i < 5000; ++i) b.push_back(i % 7 == 0 ? 0x11 : 0x00);
  b.back() = 0x10;
  const auto view = NumberedOptionsView::parse(lp::bytes(b));
  ASSERT_TRUE(view) << describe(view);
  const auto seen = numbers(*view);
  ASSERT_EQ(seen.size(), view->options().size());
  std::uint64_t expected = 0;
  std::size_t i = 0;
  for (const NumberedOptionView option : view->options()) {
    expected += option.delta();
    EXPECT_EQ(option.number(), expected) << i;
    ++i;
  }
  EXPECT_EQ(seen.back(), expected);
}

TEST(GeneratedCarry, SerializeRecomputesTheCarriedValueElementByElement) {
  const Bytes b = {10, 2, 0x31, 0xaa, 0x00, 0x52, 1, 2};
  const auto view = NumberedOptionsView::parse(lp::bytes(b));
  ASSERT_TRUE(view);
  NumberedOptionsValue value = NumberedOptions::to_value(*view);
  ASSERT_EQ(value.options.size(), 3u);
  const auto size = NumberedOptions::serialized_size(value);
  ASSERT_TRUE(size) << describe(size);
  EXPECT_EQ(*size, b.size());
  const auto written = NumberedOptions::serialize(value);
  ASSERT_TRUE(written) << describe(written);
  EXPECT_EQ(Bytes(reinterpret_cast<const std::uint8_t*>(written->data()),
                  reinterpret_cast<const std::uint8_t*>(written->data()) + written->size()),
            b);
  // Deltas too large for the carried u16: the option that would get the number fails.
  value.base = 200;
  value.scale = 255;
  value.options.assign(20, NumberedOptionValue{15, 0, {}});
  EXPECT_EQ(describe(NumberedOptions::serialized_size(value)),
            "overflow at 20: NumberedOptions.options[18] (it.number)");
  EXPECT_EQ(describe(NumberedOptions::serialize(value)),
            "overflow at 20: NumberedOptions.options[18] (it.number)");
}

TEST(GeneratedCarry, ASignedValueItsOwnStepReads) {
  // steps until a zero move: -1 +3 = 2, 2 - 5 = -3, then 0; counted: 0 + 4, + 4.
  const Bytes b = {3, 0xfb, 0, 2, 4, 4, 9};
  const auto view = WalkView::parse(lp::bytes(b));
  ASSERT_TRUE(view) << describe(view);
  std::vector<std::int64_t> moves;
  for (const StepView step : view->steps()) moves.push_back(step.move());
  EXPECT_EQ(moves, (std::vector<std::int64_t>{3, -5, 0}));
  EXPECT_EQ(view->after(), 9);
  // -1 + 100 + 100 = 199 does not fit the i8 the third step would get.
  EXPECT_EQ(failure<WalkView>(Bytes{100, 100, 0, 0, 1}),
            "overflow at 2: Walk.steps[2] (position + it.move)");
  const WalkValue value = Walk::to_value(*view);
  const auto written = Walk::serialize(value);
  ASSERT_TRUE(written) << describe(written);
  EXPECT_EQ(written->size(), b.size());
}

}  // namespace carry
