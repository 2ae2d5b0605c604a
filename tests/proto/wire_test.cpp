// proto/wire.lps: fields of every wire type built byte by byte, packed repeated
// values, every truncated prefix, each constraint failing once, malformed
// lengths and varints, zero-length values, the element and depth limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "expect.hpp"
#include "libparse/format.hpp"
#include "proto/wire.lp.hpp"

namespace {

using Packet = std::vector<std::uint8_t>;
using Arm = proto::FieldView::ValueArm;

const std::byte* base_of(const Packet& p) { return reinterpret_cast<const std::byte*>(p.data()); }

std::vector<proto::FieldView> fields_of(const proto::MessageView& message) {
  return {message.fields().begin(), message.fields().end()};
}

// The error parsing `packet` as a Message gives (a test failure if it parses).
lp::Error message_error(const Packet& packet, const lp::ParseOptions& options = {}) {
  const auto message = proto::Message::parse(packet, options);
  if (message) {
    ADD_FAILURE() << "parsed " << message->fields().size() << " fields";
    return lp::Error(lp::errc::io_error, "unexpectedly parsed", 0);
  }
  return message.error();
}

void append_varint(Packet& out, std::uint64_t value) {
  std::uint8_t encoded[lp::max_varint_size];
  const auto size = lp::encode_varint(
      value, lp::mut_bytes(reinterpret_cast<std::byte*>(encoded), sizeof encoded));
  ASSERT_TRUE(size) << size.error();
  out.insert(out.end(), encoded, encoded + *size);
}

// One field of each wire type: the message of the encoding guide's examples.
Packet four_fields() {
  return {
      0x08, 0x96, 0x01,                                // @0 field 1 VARINT 150
      0x11, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,  // @3 field 2 I64
      0x08,                                            //    0x0807060504030201
      0x1a, 0x07, 't',  'e',  's',  't',  'i',  'n',   // @12 field 3 LEN "testing"
      'g',                                             //
      0x25, 0x00, 0x00, 0x80, 0x3f,                    // @21 field 4 I32 1.0f
  };
}

// Where each field of four_fields() starts, and its end.
const std::vector<std::size_t> four_field_bounds = {0, 3, 12, 21, 26};

TEST(ProtoWire, VarintField) {
  const Packet packet = {0x08, 0x96, 0x01};  // field 1, wire type 0, 150
  const auto field = proto::Field::parse(packet);
  ASSERT_TRUE(field) << field.error();
  EXPECT_EQ(field->key(), 8u);
  EXPECT_EQ(field->field_number(), 1u);
  EXPECT_EQ(field->wire_type(), 0u);
  EXPECT_EQ(field->value_arm(), Arm::varint);
  ASSERT_TRUE(field->value_varint());
  EXPECT_EQ(field->value_varint()->value(), 150u);
  EXPECT_FALSE(field->value_fixed64());
  EXPECT_FALSE(field->value_length_delimited());
  EXPECT_FALSE(field->value_fixed32());
  EXPECT_EQ(field->value_bytes().data(), base_of(packet) + 1);
  EXPECT_EQ(field->value_bytes().size(), 2u);
  EXPECT_EQ(field->size(), 3u);
  lp_test::expect_every_prefix_truncated<proto::Field>(packet, packet.size());
}

TEST(ProtoWire, NegativeInt32IsATenByteVarint) {
  // int32 -2 is sign-extended to 64 bits: 0xFFFF'FFFF'FFFF'FFFE.
  const Packet packet = {0x08, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  const auto field = proto::Field::parse(packet);
  ASSERT_TRUE(field) << field.error();
  EXPECT_EQ(field->value_varint()->value(), 0xFFFF'FFFF'FFFF'FFFEu);
  EXPECT_EQ(static_cast<std::int32_t>(field->value_varint()->value()), -2);
  EXPECT_EQ(field->size(), 11u);
  lp_test::expect_every_prefix_truncated<proto::Field>(packet, packet.size());
}

TEST(ProtoWire, Fixed64Field) {
  const Packet packet = {0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f};  // 1.0
  const auto field = proto::Field::parse(packet);
  ASSERT_TRUE(field) << field.error();
  EXPECT_EQ(field->field_number(), 2u);
  EXPECT_EQ(field->wire_type(), 1u);
  EXPECT_EQ(field->value_arm(), Arm::fixed64);
  ASSERT_TRUE(field->value_fixed64());
  EXPECT_EQ(*field->value_fixed64(), 0x3ff0'0000'0000'0000u);
  EXPECT_EQ(std::bit_cast<double>(*field->value_fixed64()), 1.0);
  EXPECT_FALSE(field->value_varint());
  EXPECT_EQ(field->size(), 9u);
  lp_test::expect_every_prefix_truncated<proto::Field>(packet, packet.size());
  const auto cut = proto::Field::parse(lp::bytes(packet.data(), 4));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code(), lp::errc::truncated) << cut.error();
  EXPECT_EQ(cut.error().byte_offset(), 1u) << cut.error();
  EXPECT_EQ(cut.error().needed(), 5u) << cut.error();
  EXPECT_EQ(cut.error().field_path(), "Field.value") << cut.error();
}

TEST(ProtoWire, LengthDelimitedField) {
  const Packet packet = {0x1a, 0x03, 'a', 'b', 'c'};  // field 3, "abc"
  const auto field = proto::Field::parse(packet);
  ASSERT_TRUE(field) << field.error();
  EXPECT_EQ(field->field_number(), 3u);
  EXPECT_EQ(field->wire_type(), 2u);
  EXPECT_EQ(field->value_arm(), Arm::length_delimited);
  const auto value = field->value_length_delimited();
  ASSERT_TRUE(value);
  EXPECT_EQ(value->length(), 3u);
  EXPECT_EQ(value->data().as_string_view(), "abc");
  EXPECT_EQ(value->data().data(), base_of(packet) + 2);  // a view into the buffer
  EXPECT_EQ(field->size(), 5u);
  lp_test::expect_every_prefix_truncated<proto::Field>(packet, packet.size());
}

TEST(ProtoWire, Fixed32Field) {
  const Packet packet = {0x2d, 0x00, 0x00, 0xc0, 0xbf};  // field 5, -1.5f
  const auto field = proto::Field::parse(packet);
  ASSERT_TRUE(field) << field.error();
  EXPECT_EQ(field->field_number(), 5u);
  EXPECT_EQ(field->wire_type(), 5u);
  EXPECT_EQ(field->value_arm(), Arm::fixed32);
  ASSERT_TRUE(field->value_fixed32());
  EXPECT_EQ(*field->value_fixed32(), 0xbfc0'0000u);
  EXPECT_EQ(std::bit_cast<float>(*field->value_fixed32()), -1.5f);
  EXPECT_EQ(field->size(), 5u);
  lp_test::expect_every_prefix_truncated<proto::Field>(packet, packet.size());
}

TEST(ProtoWire, MessageOfEveryWireType) {
  const Packet packet = four_fields();
  const auto message = proto::Message::parse(packet);
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->size(), packet.size());
  ASSERT_EQ(message->fields().size(), 4u);
  const auto fields = fields_of(*message);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(fields[i].field_number(), i + 1);
    EXPECT_EQ(fields[i].bytes().data(), base_of(packet) + four_field_bounds[i]);
    EXPECT_EQ(fields[i].size(), four_field_bounds[i + 1] - four_field_bounds[i]);
  }
  EXPECT_EQ(fields[0].value_varint()->value(), 150u);
  EXPECT_EQ(*fields[1].value_fixed64(), 0x0807'0605'0403'0201u);
  EXPECT_EQ(fields[2].value_length_delimited()->data().as_string_view(), "testing");
  EXPECT_EQ(std::bit_cast<float>(*fields[3].value_fixed32()), 1.0f);
}

TEST(ProtoWire, EveryPrefixOfAMessage) {
  // A prefix that ends between two fields is a shorter message; one that ends
  // inside a field is truncated, naming that field.
  const Packet packet = four_fields();
  std::size_t field = 0;
  for (std::size_t n = 0; n <= packet.size(); ++n) {
    SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
    while (four_field_bounds[field + 1] <= n && field + 1 < four_field_bounds.size() - 1) ++field;
    const auto message = proto::Message::parse(lp::bytes(packet.data(), n));
    const auto boundary = std::find(four_field_bounds.begin(), four_field_bounds.end(), n);
    if (boundary != four_field_bounds.end()) {
      ASSERT_TRUE(message) << message.error();
      EXPECT_EQ(message->fields().size(),
                static_cast<std::size_t>(boundary - four_field_bounds.begin()));
      continue;
    }
    ASSERT_FALSE(message);
    const lp::Error& e = message.error();
    EXPECT_EQ(e.code(), lp::errc::truncated) << e;
    EXPECT_GE(e.byte_offset(), four_field_bounds[field]) << e;
    EXPECT_LE(e.byte_offset(), n) << e;
    EXPECT_GE(e.needed(), 1u) << e;
    EXPECT_LE(e.needed(), four_field_bounds[field + 1] - n) << e;
    EXPECT_TRUE(e.field_path().starts_with(fmt::format("Message.fields[{}].", field))) << e;
  }
}

TEST(ProtoWire, MisalignedBuffer) {
  const Packet packet = four_fields();
  std::vector<std::uint8_t> shifted(packet.size() + 1);
  std::copy(packet.begin(), packet.end(), shifted.begin() + 1);  // at an odd address
  const auto message = proto::Message::parse(lp::bytes(shifted.data() + 1, packet.size()));
  ASSERT_TRUE(message) << message.error();
  const auto fields = fields_of(*message);
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(*fields[1].value_fixed64(), 0x0807'0605'0403'0201u);
  EXPECT_EQ(std::bit_cast<float>(*fields[3].value_fixed32()), 1.0f);
}

TEST(ProtoWire, EmptyMessage) {
  const Packet packet;
  const auto message = proto::Message::parse(packet);
  ASSERT_TRUE(message) << message.error();
  EXPECT_TRUE(message->fields().empty());
  EXPECT_EQ(message->size(), 0u);
}

TEST(ProtoWire, ZeroLengthValues) {
  // An empty string, an empty nested message and an empty packed field look
  // alike on the wire: a key and a length of 0.
  const Packet packet = {0x0a, 0x00, 0x12, 0x00, 0x1a, 0x00};
  const auto message = proto::Message::parse(packet);
  ASSERT_TRUE(message) << message.error();
  ASSERT_EQ(message->fields().size(), 3u);
  for (const proto::FieldView field : message->fields()) {
    const auto value = field.value_length_delimited();
    ASSERT_TRUE(value);
    EXPECT_EQ(value->length(), 0u);
    EXPECT_TRUE(value->data().empty());
    EXPECT_EQ(value->data().data(), field.bytes().data() + 2);  // keeps its position
    EXPECT_EQ(value->data().as_string_view(), "");
    const auto nested = proto::Message::parse(value->data());
    ASSERT_TRUE(nested) << nested.error();
    EXPECT_TRUE(nested->fields().empty());
    const auto packed = proto::PackedVarints::parse(value->data());
    ASSERT_TRUE(packed) << packed.error();
    EXPECT_TRUE(packed->values().empty());
  }
}

TEST(ProtoWire, NestedMessage) {
  // field 4: { field 1: 150, field 2: "hi" }, then field 5: 1
  const Packet packet = {0x22, 0x07, 0x08, 0x96, 0x01, 0x12, 0x02, 'h', 'i', 0x28, 0x01};
  const auto message = proto::Message::parse(packet);
  ASSERT_TRUE(message) << message.error();
  const auto fields = fields_of(*message);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].field_number(), 4u);
  const auto payload = fields[0].value_length_delimited()->data();
  EXPECT_EQ(payload.data(), base_of(packet) + 2);
  const auto nested = proto::Message::parse(payload);
  ASSERT_TRUE(nested) << nested.error();
  const auto inner = fields_of(*nested);
  ASSERT_EQ(inner.size(), 2u);
  EXPECT_EQ(inner[0].field_number(), 1u);
  EXPECT_EQ(inner[0].value_varint()->value(), 150u);
  EXPECT_EQ(inner[1].field_number(), 2u);
  EXPECT_EQ(inner[1].value_length_delimited()->data().as_string_view(), "hi");
  EXPECT_EQ(fields[1].field_number(), 5u);
  EXPECT_EQ(fields[1].value_varint()->value(), 1u);
}

TEST(ProtoWire, LengthTooShortForTheNestedMessage) {
  // The outer message is well formed: field 4's length covers 3 bytes, then
  // field 5 follows. The nested message in those 3 bytes is cut inside its
  // string, which says 2 bytes and has 1.
  const Packet packet = {0x22, 0x03, 0x12, 0x02, 'h', 0x28, 0x01};
  const auto message = proto::Message::parse(packet);
  ASSERT_TRUE(message) << message.error();
  const auto fields = fields_of(*message);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1].field_number(), 5u);
  const auto nested = proto::Message::parse(fields[0].value_length_delimited()->data());
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().code(), lp::errc::truncated) << nested.error();
  EXPECT_EQ(nested.error().byte_offset(), 2u) << nested.error();  // from the payload's start
  EXPECT_EQ(nested.error().needed(), 1u) << nested.error();
  EXPECT_EQ(nested.error().field_path(), "Message.fields[0].value.LengthDelimited.data")
      << nested.error();
}

TEST(ProtoWire, LengthBeyondTheBuffer) {
  const Packet packet = {0x08, 0x01, 0x0a, 0x05, 'a', 'b'};  // field 1 says 5 bytes, 2 follow
  const lp::Error e = message_error(packet);
  EXPECT_EQ(e.code(), lp::errc::truncated) << e;
  EXPECT_EQ(e.byte_offset(), 4u) << e;
  EXPECT_EQ(e.needed(), 3u) << e;
  EXPECT_EQ(e.field_path(), "Message.fields[1].value.LengthDelimited.data") << e;
  EXPECT_EQ(e.message(),
            "truncated at byte 4: Message.fields[1].value.LengthDelimited.data, 3 more bytes "
            "needed");
}

TEST(ProtoWire, LengthAboveTheProtobufLimit) {
  Packet packet = {0x0a};
  append_varint(packet, 0x8000'0000);  // 2 GiB: one more than MAX_LENGTH
  const lp::Error e = message_error(packet);
  EXPECT_EQ(e.code(), lp::errc::constraint_failed) << e;
  EXPECT_EQ(e.byte_offset(), 1u) << e;
  EXPECT_EQ(e.field_path(), "Message.fields[0].value.LengthDelimited.length") << e;
  EXPECT_EQ(e.text(), "length <= MAX_LENGTH") << e;
  EXPECT_EQ(e.actual(), 0x8000'0000u) << e;

  Packet largest = {0x0a};
  append_varint(largest, UINT64_MAX);  // ten bytes, the largest varint
  ASSERT_EQ(largest.size(), 11u);
  const lp::Error huge = message_error(largest);
  EXPECT_EQ(huge.code(), lp::errc::constraint_failed) << huge;
  EXPECT_EQ(huge.actual(), UINT64_MAX) << huge;

  Packet at_limit = {0x0a};
  append_varint(at_limit, 0x7FFF'FFFF);  // allowed, then truncated: the bytes are missing
  const lp::Error missing = message_error(at_limit);
  EXPECT_EQ(missing.code(), lp::errc::truncated) << missing;
  EXPECT_EQ(missing.needed(), 0x7FFF'FFFFu) << missing;
}

TEST(ProtoWire, VarintOverflowingSixtyFourBits) {
  // Ten bytes whose last one is 2: bit 64 would be set.
  const Packet value = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  const lp::Error e = message_error(value);
  EXPECT_EQ(e.code(), lp::errc::bad_value) << e;
  EXPECT_EQ(e.byte_offset(), 1u) << e;
  EXPECT_EQ(e.field_path(), "Message.fields[0].value.Varint.value") << e;
  EXPECT_EQ(e.text(), "varint too long") << e;

  const Packet length = {0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
  const lp::Error in_length = message_error(length);
  EXPECT_EQ(in_length.code(), lp::errc::bad_value) << in_length;
  EXPECT_EQ(in_length.byte_offset(), 1u) << in_length;
  EXPECT_EQ(in_length.field_path(), "Message.fields[0].value.LengthDelimited.length") << in_length;

  const Packet key = {0x08, 0x00, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03};
  const lp::Error in_key = message_error(key);
  EXPECT_EQ(in_key.code(), lp::errc::bad_value) << in_key;
  EXPECT_EQ(in_key.byte_offset(), 2u) << in_key;
  EXPECT_EQ(in_key.field_path(), "Message.fields[1].key") << in_key;
}

TEST(ProtoWire, ElevenByteVarint) {
  // Continuation bits on ten bytes: an eleventh would follow.
  const Packet packet = {0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  const lp::Error e = message_error(packet);
  EXPECT_EQ(e.code(), lp::errc::bad_value) << e;
  EXPECT_EQ(e.byte_offset(), 1u) << e;
  EXPECT_EQ(e.field_path(), "Message.fields[0].value.Varint.value") << e;
  EXPECT_EQ(e.text(), "varint too long") << e;
}

TEST(ProtoWire, OverlongVarintIsRejected) {
  // 1 written in two bytes: libprotobuf reads it, the schema asks for one
  // encoding per value (documented in schemas/proto/wire.lps).
  const Packet packet = {0x08, 0x81, 0x00};
  const lp::Error e = message_error(packet);
  EXPECT_EQ(e.code(), lp::errc::bad_value) << e;
  EXPECT_EQ(e.byte_offset(), 1u) << e;
  EXPECT_EQ(e.text(), "overlong varint") << e;
}

// Each constraint of Field.key fails once, in the second field of a message.
struct KeyCase {
  std::string name;
  Packet key;
  std::string_view text;
  std::uint64_t actual;
};

class ProtoWireKey : public testing::TestWithParam<KeyCase> {};

TEST_P(ProtoWireKey, FailsItsConstraint) {
  const KeyCase& c = GetParam();
  Packet packet = {0x08, 0x01};  // field 1: 1
  packet.insert(packet.end(), c.key.begin(), c.key.end());
  packet.insert(packet.end(), {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});  // a value
  const lp::Error e = message_error(packet);
  EXPECT_EQ(e.code(), lp::errc::constraint_failed) << e;
  EXPECT_EQ(e.byte_offset(), 2u) << e;
  EXPECT_EQ(e.field_path(), "Message.fields[1].key") << e;
  EXPECT_EQ(e.text(), c.text) << e;
  ASSERT_TRUE(e.has_actual()) << e;
  EXPECT_EQ(e.actual(), c.actual) << e;
}

INSTANTIATE_TEST_SUITE_P(
    Constraints, ProtoWireKey,
    testing::Values(KeyCase{"field_number_0", {0x00}, "key >> 3 != 0", 0},
                    KeyCase{"field_number_0_wire_type_2", {0x02}, "key >> 3 != 0", 2},
                    // 2^29 << 3 = 2^32
                    KeyCase{"field_number_2_pow_29",
                            {0x80, 0x80, 0x80, 0x80, 0x10},
                            "key >> 3 <= MAX_FIELD_NUMBER",
                            std::uint64_t{1} << 32},
                    KeyCase{"group_start", {0x0b}, "(key & 7) != WireType.SGROUP", 0x0b},
                    KeyCase{"group_end", {0x0c}, "(key & 7) != WireType.EGROUP", 0x0c},
                    KeyCase{"wire_type_6", {0x0e}, "(key & 7) <= WireType.I32", 0x0e},
                    KeyCase{"wire_type_7", {0x0f}, "(key & 7) <= WireType.I32", 0x0f}),
    [](const testing::TestParamInfo<KeyCase>& info) { return info.param.name; });

TEST(ProtoWire, ConstraintMessageNamesTheReason) {
  const Packet packet = {0x08, 0x01, 0x0b};
  EXPECT_EQ(message_error(packet).message(),
            "constraint failed at byte 2: Message.fields[1].key ((key & 7) != WireType.SGROUP), "
            "got 11");
}

TEST(ProtoWire, LargestFieldNumber) {
  Packet packet;
  append_varint(packet, (std::uint64_t{0x1FFF'FFFF} << 3) | 5);  // 2^29 - 1, I32
  ASSERT_EQ(packet.size(), 5u);
  packet.insert(packet.end(), {0x01, 0x00, 0x00, 0x00});
  const auto field = proto::Field::parse(packet);
  ASSERT_TRUE(field) << field.error();
  EXPECT_EQ(field->field_number(), 0x1FFF'FFFFu);
  EXPECT_EQ(field->wire_type(), 5u);
  EXPECT_EQ(*field->value_fixed32(), 1u);
}

TEST(ProtoWire, PackedVarints) {
  const Packet payload = {0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05};  // 3, 270, 86942
  const auto packed = proto::PackedVarints::parse(payload);
  ASSERT_TRUE(packed) << packed.error();
  ASSERT_EQ(packed->values().size(), 3u);
  std::vector<std::uint64_t> values;
  for (const proto::VarintView v : packed->values()) values.push_back(v.value());
  EXPECT_EQ(values, (std::vector<std::uint64_t>{3, 270, 86942}));

  const auto cut = proto::PackedVarints::parse(lp::bytes(payload.data(), 5));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code(), lp::errc::truncated) << cut.error();
  EXPECT_EQ(cut.error().byte_offset(), 5u) << cut.error();
  EXPECT_EQ(cut.error().field_path(), "PackedVarints.values[2].value") << cut.error();
}

TEST(ProtoWire, PackedZigzags) {
  const Packet payload = {0x00, 0x01, 0x02, 0x03, 0xff, 0xff, 0xff, 0xff, 0x0f};
  const auto packed = proto::PackedZigzags::parse(payload);
  ASSERT_TRUE(packed) << packed.error();
  std::vector<std::int64_t> values;
  for (const proto::ZigzagView v : packed->values()) values.push_back(v.value());
  EXPECT_EQ(values, (std::vector<std::int64_t>{0, -1, 1, -2, INT32_MIN}));
}

TEST(ProtoWire, PackedFixedWidthValues) {
  const Packet payload = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xbf};
  const auto fixed32 = proto::PackedFixed32::parse(payload);
  ASSERT_TRUE(fixed32) << fixed32.error();
  ASSERT_EQ(fixed32->values().size(), 2u);
  EXPECT_EQ(fixed32->values()[0], 1u);
  EXPECT_EQ(fixed32->values()[1], 0xbf80'0000u);
  const auto sfixed32 = proto::PackedSfixed32::parse(payload);
  ASSERT_TRUE(sfixed32) << sfixed32.error();
  EXPECT_EQ(sfixed32->values()[1], std::int32_t{-1082130432});
  const auto floats = proto::PackedFloats::parse(payload);
  ASSERT_TRUE(floats) << floats.error();
  EXPECT_EQ(floats->values()[1], -1.0f);
  const auto fixed64 = proto::PackedFixed64::parse(payload);
  ASSERT_TRUE(fixed64) << fixed64.error();
  ASSERT_EQ(fixed64->values().size(), 1u);
  EXPECT_EQ(fixed64->values()[0], 0xbf80'0000'0000'0001u);
  const auto sfixed64 = proto::PackedSfixed64::parse(payload);
  ASSERT_TRUE(sfixed64) << sfixed64.error();
  EXPECT_EQ(sfixed64->values()[0], static_cast<std::int64_t>(0xbf80'0000'0000'0001u));
  const Packet one = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f};
  const auto doubles = proto::PackedDoubles::parse(one);
  ASSERT_TRUE(doubles) << doubles.error();
  EXPECT_EQ(doubles->values()[0], 1.0);
}

TEST(ProtoWire, PackedFixedWidthNotAMultiple) {
  const Packet payload = {0x01, 0x00, 0x00, 0x00, 0x02};  // one fixed32 and a byte
  const auto fixed32 = proto::PackedFixed32::parse(payload);
  ASSERT_FALSE(fixed32);
  EXPECT_EQ(fixed32.error().code(), lp::errc::bad_length) << fixed32.error();
  EXPECT_EQ(fixed32.error().field_path(), "PackedFixed32.values") << fixed32.error();
  const auto fixed64 = proto::PackedDoubles::parse(payload);
  ASSERT_FALSE(fixed64);
  EXPECT_EQ(fixed64.error().code(), lp::errc::bad_length) << fixed64.error();
}

TEST(ProtoWire, MaxElementsBoundsTheFields) {
  const Packet packet = four_fields();
  lp::ParseOptions options;
  options.max_elements = 4;
  const auto exactly = proto::Message::parse(packet, options);
  ASSERT_TRUE(exactly) << exactly.error();
  EXPECT_EQ(exactly->fields().size(), 4u);
  // The lazy array re-reads without limits: iterating is not bounded again.
  EXPECT_EQ(fields_of(*exactly).size(), 4u);

  options.max_elements = 3;
  const lp::Error e = message_error(packet, options);
  EXPECT_EQ(e.code(), lp::errc::limit_exceeded) << e;
  EXPECT_EQ(e.byte_offset(), 21u) << e;  // where the fourth field starts
  EXPECT_EQ(e.field_path(), "Message.fields") << e;
}

TEST(ProtoWire, MaxElementsBoundsPackedValues) {
  const Packet payload(1000, 0x01);  // a thousand varints of 1
  lp::ParseOptions options;
  options.max_elements = 999;
  const auto packed = proto::PackedVarints::parse(payload, options);
  ASSERT_FALSE(packed);
  EXPECT_EQ(packed.error().code(), lp::errc::limit_exceeded) << packed.error();
  EXPECT_EQ(packed.error().byte_offset(), 999u) << packed.error();
  EXPECT_EQ(packed.error().field_path(), "PackedVarints.values") << packed.error();
  options.max_elements = 1000;
  const auto all = proto::PackedVarints::parse(payload, options);
  ASSERT_TRUE(all) << all.error();
  EXPECT_EQ(all->values().size(), 1000u);
}

TEST(ProtoWire, MaxDepth) {
  // Message (depth 0) -> Field (1) -> Varint or LengthDelimited (2).
  const Packet packet = {0x08, 0x01};
  lp::ParseOptions options;
  options.max_depth = 2;
  const auto deep_enough = proto::Message::parse(packet, options);
  ASSERT_TRUE(deep_enough) << deep_enough.error();
  options.max_depth = 1;
  const lp::Error e = message_error(packet, options);
  EXPECT_EQ(e.code(), lp::errc::too_deep) << e;
  EXPECT_EQ(e.byte_offset(), 1u) << e;
  EXPECT_EQ(e.field_path(), "Message.fields[0].value") << e;
  options.max_depth = 0;
  const lp::Error top = message_error(packet, options);
  EXPECT_EQ(top.code(), lp::errc::too_deep) << top;
  EXPECT_EQ(top.field_path(), "Message.fields") << top;
}

TEST(ProtoWire, DeeplyNestedMessagesAreWalkedByTheCaller) {
  // Nesting of messages is the caller's (the schema has no recursive types):
  // each level is one more parse of a length-delimited payload, here in a loop,
  // so the depth costs no stack. 500 levels of field 1 around a varint.
  constexpr std::size_t levels = 500;
  Packet packet = {0x10, 0x2a};  // innermost: field 2 = 42
  for (std::size_t i = 0; i < levels; ++i) {
    Packet outer = {0x0a};
    append_varint(outer, packet.size());
    outer.insert(outer.end(), packet.begin(), packet.end());
    packet = std::move(outer);
  }
  lp::bytes current(packet);
  std::size_t depth = 0;
  for (;;) {
    const auto message = proto::Message::parse(current);
    ASSERT_TRUE(message) << message.error();
    ASSERT_EQ(message->fields().size(), 1u);
    const auto field = message->fields().front();
    if (const auto nested = field.value_length_delimited()) {
      current = nested->data();
      ++depth;
      continue;
    }
    EXPECT_EQ(field.field_number(), 2u);
    EXPECT_EQ(field.value_varint()->value(), 42u);
    break;
  }
  EXPECT_EQ(depth, levels);
}

TEST(ProtoWire, FormatsFieldsWithTheirNumbers) {
  const Packet packet = {0x08, 0x96, 0x01};
  const auto message = proto::Message::parse(packet);
  ASSERT_TRUE(message) << message.error();
  const std::string text = fmt::format("{}", *message);
  EXPECT_NE(text.find("field_number: 1"), std::string::npos) << text;
  EXPECT_NE(text.find("150"), std::string::npos) << text;
}

}  // namespace
