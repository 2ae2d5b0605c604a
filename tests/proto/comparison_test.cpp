// proto/wire.lps against libprotobuf: messages of comparison.proto serialized by
// libprotobuf, parsed with the generated views and compared field by field with
// the libprotobuf message, by one routine that walks the message's descriptor
// and reflection alongside the view. Hand-built messages with edge values,
// a few hundred random ones, libprotobuf's unknown-field parser on the same
// bytes, and the malformed inputs both reject.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/empty.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "comparison.pb.h"
#include "libparse/format.hpp"
#include "proto/wire.lp.hpp"

namespace {

namespace pb = google::protobuf;
using FieldType = pb::FieldDescriptor::Type;
using lp_test::comparison::Everything;
using lp_test::comparison::Inner;

// One value of a field as the view reads it: the number of a varint, fixed32 or
// fixed64 (raw bits), the bytes of a length-delimited value. Values that came
// out of a PackedZigzags view carry their decoded value too.
struct WireValue {
  proto::WireType type = proto::WireType::VARINT;
  std::uint64_t number = 0;
  std::optional<std::int64_t> zigzag;
  lp::bytes payload;
};

WireValue wire_value_of(const proto::FieldView& field) {
  switch (field.value_arm()) {
    case proto::FieldView::ValueArm::varint:
      return {proto::WireType::VARINT, field.value_varint()->value(), {}, {}};
    case proto::FieldView::ValueArm::fixed64:
      return {proto::WireType::I64, *field.value_fixed64(), {}, {}};
    case proto::FieldView::ValueArm::fixed32:
      return {proto::WireType::I32, *field.value_fixed32(), {}, {}};
    case proto::FieldView::ValueArm::length_delimited:
      break;
  }
  return {proto::WireType::LEN, 0, {}, field.value_length_delimited()->data()};
}

bool is_packable(FieldType type) {
  return type != pb::FieldDescriptor::TYPE_STRING && type != pb::FieldDescriptor::TYPE_BYTES &&
         type != pb::FieldDescriptor::TYPE_MESSAGE && type != pb::FieldDescriptor::TYPE_GROUP;
}

// The values of one packed payload, read with the Packed* view of the field's type.
std::string unpack(lp::bytes payload, FieldType type, std::vector<WireValue>& out) {
  const auto append = [&](auto parsed, proto::WireType wire, auto to_number) -> std::string {
    if (!parsed) return fmt::format("packed payload: {}", parsed.error().message());
    for (const auto value : parsed->values()) out.push_back({wire, to_number(value), {}, {}});
    return {};
  };
  using T = pb::FieldDescriptor;
  switch (type) {
    case T::TYPE_SINT32:
    case T::TYPE_SINT64: {
      const auto parsed = proto::PackedZigzags::parse(payload);
      if (!parsed) return fmt::format("packed payload: {}", parsed.error().message());
      for (const proto::ZigzagView value : parsed->values()) {
        out.push_back(
            {proto::WireType::VARINT, lp::zigzag_encode(value.value()), value.value(), {}});
      }
      return {};
    }
    case T::TYPE_FIXED32:
      return append(proto::PackedFixed32::parse(payload), proto::WireType::I32,
                    [](std::uint32_t v) { return std::uint64_t{v}; });
    case T::TYPE_SFIXED32:
      return append(proto::PackedSfixed32::parse(payload), proto::WireType::I32,
                    [](std::int32_t v) { return std::uint64_t{static_cast<std::uint32_t>(v)}; });
    case T::TYPE_FLOAT:
      return append(proto::PackedFloats::parse(payload), proto::WireType::I32,
                    [](float v) { return std::uint64_t{std::bit_cast<std::uint32_t>(v)}; });
    case T::TYPE_FIXED64:
      return append(proto::PackedFixed64::parse(payload), proto::WireType::I64,
                    [](std::uint64_t v) { return v; });
    case T::TYPE_SFIXED64:
      return append(proto::PackedSfixed64::parse(payload), proto::WireType::I64,
                    [](std::int64_t v) { return static_cast<std::uint64_t>(v); });
    case T::TYPE_DOUBLE:
      return append(proto::PackedDoubles::parse(payload), proto::WireType::I64,
                    [](double v) { return std::bit_cast<std::uint64_t>(v); });
    default: {
      const auto parsed = proto::PackedVarints::parse(payload);
      if (!parsed) return fmt::format("packed payload: {}", parsed.error().message());
      for (const proto::VarintView value : parsed->values()) {
        out.push_back({proto::WireType::VARINT, value.value(), {}, {}});
      }
      return {};
    }
  }
}

// Reads a singular field (index < 0) or one element of a repeated field.
struct ReflectedValue {
  const pb::Message& message;
  const pb::FieldDescriptor* field;
  int index;

  const pb::Reflection& r() const { return *message.GetReflection(); }
  bool single() const { return index < 0; }
  std::int32_t int32() const {
    return single() ? r().GetInt32(message, field) : r().GetRepeatedInt32(message, field, index);
  }
  std::int64_t int64() const {
    return single() ? r().GetInt64(message, field) : r().GetRepeatedInt64(message, field, index);
  }
  std::uint32_t uint32() const {
    return single() ? r().GetUInt32(message, field) : r().GetRepeatedUInt32(message, field, index);
  }
  std::uint64_t uint64() const {
    return single() ? r().GetUInt64(message, field) : r().GetRepeatedUInt64(message, field, index);
  }
  bool boolean() const {
    return single() ? r().GetBool(message, field) : r().GetRepeatedBool(message, field, index);
  }
  std::int32_t enum_value() const {
    return single() ? r().GetEnumValue(message, field)
                    : r().GetRepeatedEnumValue(message, field, index);
  }
  float float_value() const {
    return single() ? r().GetFloat(message, field) : r().GetRepeatedFloat(message, field, index);
  }
  double double_value() const {
    return single() ? r().GetDouble(message, field) : r().GetRepeatedDouble(message, field, index);
  }
  std::string string() const {
    return single() ? r().GetString(message, field) : r().GetRepeatedString(message, field, index);
  }
  const pb::Message& sub_message() const {
    return single() ? r().GetMessage(message, field)
                    : r().GetRepeatedMessage(message, field, index);
  }
};

std::string compare_message(lp::bytes wire, const pb::Message& message, const std::string& path);

template <class Got, class Want>
std::string expect_same(const std::string& where, const Got& got, const Want& want) {
  if (got == want) return {};
  return fmt::format("{}: the view reads {}, libprotobuf has {}", where, got, want);
}

// One value of the view against the libprotobuf value of the field's declared
// type, decoded the way a user of the view decodes it.
std::string compare_value(const WireValue& got, const ReflectedValue& want,
                          const std::string& where) {
  using T = pb::FieldDescriptor;
  const FieldType type = want.field->type();
  const proto::WireType expected_wire =
      type == T::TYPE_FIXED32 || type == T::TYPE_SFIXED32 || type == T::TYPE_FLOAT
          ? proto::WireType::I32
      : type == T::TYPE_FIXED64 || type == T::TYPE_SFIXED64 || type == T::TYPE_DOUBLE
          ? proto::WireType::I64
      : is_packable(type) ? proto::WireType::VARINT
                          : proto::WireType::LEN;
  if (got.type != expected_wire) {
    return fmt::format("{}: wire type {}, expected {}", where, static_cast<int>(got.type),
                       static_cast<int>(expected_wire));
  }
  const std::uint64_t n = got.number;
  switch (type) {
    case T::TYPE_INT32:
      // Negative values are sign-extended to 64 bits, not cut to 32.
      return expect_same(where, static_cast<std::int64_t>(n), std::int64_t{want.int32()});
    case T::TYPE_INT64:
      return expect_same(where, static_cast<std::int64_t>(n), want.int64());
    case T::TYPE_UINT32:
      return expect_same(where, n, std::uint64_t{want.uint32()});
    case T::TYPE_UINT64:
      return expect_same(where, n, want.uint64());
    case T::TYPE_SINT32:
      return expect_same(where, got.zigzag.value_or(lp::zigzag_decode(n)),
                         std::int64_t{want.int32()});
    case T::TYPE_SINT64:
      return expect_same(where, got.zigzag.value_or(lp::zigzag_decode(n)), want.int64());
    case T::TYPE_BOOL:
      return expect_same(where, n, std::uint64_t{want.boolean() ? 1u : 0u});
    case T::TYPE_ENUM:
      return expect_same(where, static_cast<std::int64_t>(n), std::int64_t{want.enum_value()});
    case T::TYPE_FIXED32:
      return expect_same(where, n, std::uint64_t{want.uint32()});
    case T::TYPE_SFIXED32:
      return expect_same(where, static_cast<std::int32_t>(static_cast<std::uint32_t>(n)),
                         want.int32());
    case T::TYPE_FLOAT:  // bit for bit: NaN payloads and -0.0 included
      return expect_same(where, n, std::uint64_t{std::bit_cast<std::uint32_t>(want.float_value())});
    case T::TYPE_FIXED64:
      return expect_same(where, n, want.uint64());
    case T::TYPE_SFIXED64:
      return expect_same(where, static_cast<std::int64_t>(n), want.int64());
    case T::TYPE_DOUBLE:
      return expect_same(where, n, std::bit_cast<std::uint64_t>(want.double_value()));
    case T::TYPE_STRING:
    case T::TYPE_BYTES:
      return got.payload.as_string_view() == want.string()
                 ? std::string()
                 : fmt::format("{}: {} bytes differ from libprotobuf's {}", where,
                               got.payload.size(), want.string().size());
    case T::TYPE_MESSAGE:
      return compare_message(got.payload, want.sub_message(), where);
    case T::TYPE_GROUP:
      break;
  }
  return fmt::format("{}: groups are not part of the wire schema", where);
}

std::string compare_singular(const std::vector<proto::FieldView>& wire, const pb::Message& message,
                             const pb::FieldDescriptor* field, const std::string& where) {
  const bool has = message.GetReflection()->HasField(message, field);
  if (wire.empty()) {
    // Absent on the wire: unset (explicit presence) or the default (implicit).
    return has ? fmt::format("{}: set in libprotobuf, absent on the wire", where) : std::string();
  }
  if (wire.size() != 1) {
    return fmt::format("{}: {} occurrences, libprotobuf writes one", where, wire.size());
  }
  return compare_value(wire_value_of(wire.front()), {message, field, -1}, where);
}

// Map entries: libprotobuf writes them in hash order, so each entry of the
// message is matched with one entry of the wire, whatever the order.
std::string compare_map(const std::vector<proto::FieldView>& wire, const pb::Message& message,
                        const pb::FieldDescriptor* field, const std::string& where) {
  const int size = message.GetReflection()->FieldSize(message, field);
  if (wire.size() != static_cast<std::size_t>(size)) {
    return fmt::format("{}: {} entries on the wire, {} in libprotobuf", where, wire.size(), size);
  }
  std::vector<bool> matched(wire.size(), false);
  for (int i = 0; i < size; ++i) {
    const pb::Message& entry = message.GetReflection()->GetRepeatedMessage(message, field, i);
    bool found = false;
    for (std::size_t w = 0; w < wire.size() && !found; ++w) {
      const WireValue value = wire_value_of(wire[w]);
      found = !matched[w] && value.type == proto::WireType::LEN &&
              compare_message(value.payload, entry, where).empty();
      if (found) matched[w] = true;
    }
    if (!found) {
      return fmt::format("{}: no entry on the wire equals {{{}}}", where, entry.ShortDebugString());
    }
  }
  return {};
}

std::string compare_repeated(const std::vector<proto::FieldView>& wire, const pb::Message& message,
                             const pb::FieldDescriptor* field, const std::string& where) {
  if (field->is_map()) return compare_map(wire, message, field, where);
  // Parsers accept packed and unpacked encodings alike, so the values are the
  // concatenation of every occurrence; libprotobuf writes the declared one.
  std::vector<WireValue> values;
  for (const proto::FieldView& occurrence : wire) {
    const WireValue value = wire_value_of(occurrence);
    const bool packed = value.type == proto::WireType::LEN && is_packable(field->type());
    if (packed != field->is_packed()) {
      return fmt::format("{}: packed {} on the wire, declared packed {}", where, packed,
                         field->is_packed());
    }
    if (!packed) {
      values.push_back(value);
    } else if (auto error = unpack(value.payload, field->type(), values); !error.empty()) {
      return fmt::format("{}: {}", where, error);
    }
  }
  if (field->is_packed() && wire.size() > 1) {
    return fmt::format("{}: packed in {} pieces, libprotobuf writes one", where, wire.size());
  }
  const int size = message.GetReflection()->FieldSize(message, field);
  if (values.size() != static_cast<std::size_t>(size)) {
    return fmt::format("{}: {} values on the wire, {} in libprotobuf", where, values.size(), size);
  }
  for (int i = 0; i < size; ++i) {
    auto mismatch = compare_value(values[static_cast<std::size_t>(i)], {message, field, i},
                                  fmt::format("{}[{}]", where, i));
    if (!mismatch.empty()) return mismatch;
  }
  return {};
}

// Fields libprotobuf does not know, in wire order, against its UnknownFieldSet.
std::string compare_unknown(const std::vector<proto::FieldView>& wire,
                            const pb::UnknownFieldSet& unknown, const std::string& where) {
  if (wire.size() != static_cast<std::size_t>(unknown.field_count())) {
    return fmt::format("{}: {} unknown fields on the wire, {} in libprotobuf", where, wire.size(),
                       unknown.field_count());
  }
  for (int i = 0; i < unknown.field_count(); ++i) {
    const pb::UnknownField& theirs = unknown.field(i);
    const proto::FieldView& ours = wire[static_cast<std::size_t>(i)];
    const WireValue value = wire_value_of(ours);
    const std::string at = fmt::format("{}.<unknown {}>", where, i);
    if (ours.field_number() != static_cast<std::uint64_t>(theirs.number())) {
      return expect_same(at + ".number", ours.field_number(),
                         static_cast<std::uint64_t>(theirs.number()));
    }
    std::string mismatch;
    switch (theirs.type()) {
      case pb::UnknownField::TYPE_VARINT:
        mismatch = value.type != proto::WireType::VARINT
                       ? at + ": not a varint"
                       : expect_same(at, value.number, theirs.varint());
        break;
      case pb::UnknownField::TYPE_FIXED32:
        mismatch = value.type != proto::WireType::I32
                       ? at + ": not a fixed32"
                       : expect_same(at, value.number, std::uint64_t{theirs.fixed32()});
        break;
      case pb::UnknownField::TYPE_FIXED64:
        mismatch = value.type != proto::WireType::I64
                       ? at + ": not a fixed64"
                       : expect_same(at, value.number, theirs.fixed64());
        break;
      case pb::UnknownField::TYPE_LENGTH_DELIMITED:
        mismatch = value.type != proto::WireType::LEN ? at + ": not length-delimited"
                   : value.payload.as_string_view() != theirs.length_delimited()
                       ? at + ": bytes differ"
                       : std::string();
        break;
      case pb::UnknownField::TYPE_GROUP:
        mismatch = at + ": a group";
        break;
    }
    if (!mismatch.empty()) return mismatch;
  }
  return {};
}

// The view of `wire` against `message`, every field of its descriptor and its
// unknown fields: empty when equal, else the first difference.
std::string compare_message(lp::bytes wire, const pb::Message& message, const std::string& path) {
  const auto view = proto::Message::parse(wire);
  if (!view) return fmt::format("{}: {}", path, view.error().message());
  const pb::Descriptor* descriptor = message.GetDescriptor();
  std::map<int, std::vector<proto::FieldView>> known;
  std::vector<proto::FieldView> unknown;
  for (const proto::FieldView field : view->fields()) {
    const pb::FieldDescriptor* declared =
        descriptor->FindFieldByNumber(static_cast<int>(field.field_number()));
    (declared != nullptr ? known[declared->number()] : unknown).push_back(field);
  }
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const pb::FieldDescriptor* field = descriptor->field(i);
    const auto it = known.find(field->number());
    const std::vector<proto::FieldView> occurrences =
        it == known.end() ? std::vector<proto::FieldView>() : it->second;
    const std::string where = path + "." + field->name();
    auto mismatch = field->is_repeated() ? compare_repeated(occurrences, message, field, where)
                                         : compare_singular(occurrences, message, field, where);
    if (!mismatch.empty()) return mismatch;
  }
  return compare_unknown(unknown, message.GetReflection()->GetUnknownFields(message), path);
}

std::string serialize(const pb::Message& message) {
  std::string out;
  EXPECT_TRUE(message.SerializeToString(&out));
  return out;
}

// The bytes against the message, and against libprotobuf's reading of the same
// bytes as Empty, where every field is unknown.
void expect_view_matches(const pb::Message& message) {
  const std::string wire = serialize(message);
  EXPECT_EQ(compare_message(lp::bytes(wire), message, message.GetDescriptor()->name()), "");
  pb::Empty empty;
  ASSERT_TRUE(empty.ParseFromString(wire));
  EXPECT_EQ(compare_message(lp::bytes(wire), empty, "Empty"), "");
}

Inner make_inner(std::int32_t id, const std::string& name, int children) {
  Inner inner;
  inner.set_id(id);
  inner.set_name(name);
  for (int i = 0; i < children; ++i) *inner.add_children() = make_inner(id * 10 + i, name + "+", 0);
  return inner;
}

// Every scalar at an edge of its range, every repeated kind, a oneof, maps.
Everything edge_values() {
  Everything m;
  m.set_f_int32(std::numeric_limits<std::int32_t>::min());
  m.set_f_int64(std::numeric_limits<std::int64_t>::min());
  m.set_f_uint32(std::numeric_limits<std::uint32_t>::max());
  m.set_f_uint64(std::numeric_limits<std::uint64_t>::max());
  m.set_f_sint32(std::numeric_limits<std::int32_t>::min());
  m.set_f_sint64(std::numeric_limits<std::int64_t>::max());
  m.set_f_bool(true);
  m.set_f_enum(lp_test::comparison::NEGATIVE);
  m.set_f_fixed32(0xDEAD'BEEF);
  m.set_f_fixed64(0x0123'4567'89AB'CDEF);
  m.set_f_sfixed32(-2);
  m.set_f_sfixed64(std::numeric_limits<std::int64_t>::min());
  m.set_f_float(std::numeric_limits<float>::quiet_NaN());
  m.set_f_double(-std::numeric_limits<double>::infinity());
  m.set_f_string("h\xC3\xA9llo, wire");
  m.set_f_bytes(std::string("\x00\xFF\x80\x01", 4));
  m.set_f_optional(0);
  *m.mutable_f_inner() = make_inner(7, "inner", 3);
  for (std::int32_t v : {0, 1, -1, 150, std::numeric_limits<std::int32_t>::max()}) {
    m.add_packed_int32(v);
    m.add_unpacked_int32(v);
    m.add_packed_sint32(v);
    m.add_unpacked_sint32(v);
    m.add_packed_sfixed32(v);
    m.add_unpacked_sfixed32(v);
    m.add_packed_enum(static_cast<lp_test::comparison::Color>(v));  // open enum: any value
    m.add_unpacked_enum(static_cast<lp_test::comparison::Color>(v));
  }
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1},
                         std::numeric_limits<std::int64_t>::min(), std::int64_t{1} << 40}) {
    m.add_packed_int64(v);
    m.add_unpacked_int64(v);
    m.add_packed_sint64(v);
    m.add_unpacked_sint64(v);
    m.add_packed_sfixed64(v);
    m.add_unpacked_sfixed64(v);
  }
  for (std::uint32_t v : {0u, 127u, 128u, 16383u, 16384u, 0xFFFF'FFFFu}) {
    m.add_packed_uint32(v);
    m.add_unpacked_uint32(v);
    m.add_packed_fixed32(v);
    m.add_unpacked_fixed32(v);
  }
  for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
    m.add_packed_uint64(v);
    m.add_unpacked_uint64(v);
    m.add_packed_fixed64(v);
    m.add_unpacked_fixed64(v);
  }
  for (bool v : {true, false, true}) {
    m.add_packed_bool(v);
    m.add_unpacked_bool(v);
  }
  for (float v : {0.0f, -0.0f, 1.5f, std::numeric_limits<float>::denorm_min()}) {
    m.add_packed_float(v);
    m.add_unpacked_float(v);
  }
  for (double v : {0.0, -1e300, std::numeric_limits<double>::quiet_NaN()}) {
    m.add_packed_double(v);
    m.add_unpacked_double(v);
  }
  m.add_r_string("");
  m.add_r_string("second");
  m.add_r_bytes(std::string(300, '\x7f'));  // a two-byte length
  *m.add_r_inner() = make_inner(1, "a", 0);
  *m.add_r_inner() = Inner();  // an empty message: a zero-length value
  *m.mutable_choice_inner() = make_inner(-5, "chosen", 1);
  (*m.mutable_map_string_int32())["one"] = 1;
  (*m.mutable_map_string_int32())[""] = -1;
  (*m.mutable_map_string_int32())["zero"] = 0;
  (*m.mutable_map_int32_inner())[3] = make_inner(3, "three", 2);
  (*m.mutable_map_int32_inner())[0] = Inner();
  (*m.mutable_map_sint64_bytes())[-9] = std::string("\x00\x01", 2);
  (*m.mutable_map_fixed32_double())[0xFFFF'FFFF] = 0.25;
  m.set_last(42);
  return m;
}

std::vector<proto::FieldView> fields_of(lp::bytes wire) {
  const auto message = proto::Message::parse(wire);
  EXPECT_TRUE(message) << message.error();
  if (!message) return {};
  return {message->fields().begin(), message->fields().end()};
}

TEST(ProtoComparison, EdgeValues) { expect_view_matches(edge_values()); }

TEST(ProtoComparison, EdgeValuesOnTheWire) {
  // A few encodings checked directly, beside the generic comparison.
  const Everything message = edge_values();
  const std::string wire = serialize(message);
  const auto fields = fields_of(lp::bytes(wire));
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.front().field_number(), 1u);         // libprotobuf writes by field number
  EXPECT_EQ(fields.front().value_bytes().size(), 10u);  // int32 min: sign-extended
  EXPECT_EQ(static_cast<std::int32_t>(fields.front().value_varint()->value()),
            std::numeric_limits<std::int32_t>::min());
  const proto::FieldView& last = fields.back();
  EXPECT_EQ(last.field_number(), 536870911u);
  EXPECT_EQ(last.key(), (std::uint64_t{536870911} << 3));
  EXPECT_EQ(last.bytes().size(), 5u + 1u);  // a five-byte key, then 42
  EXPECT_EQ(last.value_varint()->value(), 42u);
  std::size_t packed_int32 = 0;
  std::size_t unpacked_int32 = 0;
  for (const proto::FieldView& field : fields) {
    if (field.field_number() == 21) {
      ++packed_int32;
      EXPECT_EQ(field.value_arm(), proto::FieldView::ValueArm::length_delimited);
    }
    unpacked_int32 += field.field_number() == 41 ? 1 : 0;
  }
  EXPECT_EQ(packed_int32, 1u);
  EXPECT_EQ(unpacked_int32, 5u);
}

TEST(ProtoComparison, DefaultsAreNotWritten) {
  Everything message;
  EXPECT_TRUE(serialize(message).empty());
  expect_view_matches(message);
  message.set_f_optional(0);  // explicit presence: written although 0
  const std::string wire = serialize(message);
  const auto fields = fields_of(lp::bytes(wire));
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].field_number(), 17u);
  EXPECT_EQ(fields[0].value_varint()->value(), 0u);
  expect_view_matches(message);
}

TEST(ProtoComparison, EachOneofMember) {
  Everything message;
  message.set_choice_int32(-3);
  expect_view_matches(message);
  message.set_choice_string("s");
  expect_view_matches(message);
  *message.mutable_choice_inner() = Inner();  // set, and empty: a zero-length value
  const std::string wire = serialize(message);
  ASSERT_EQ(wire, std::string("\xf2\x03\x00", 3));
  expect_view_matches(message);
}

TEST(ProtoComparison, MismatchesAreFound) {
  // The comparison itself must fail when the values differ.
  Everything message = edge_values();
  const std::string wire = serialize(message);
  message.set_f_sint64(message.f_sint64() - 1);
  EXPECT_NE(compare_message(lp::bytes(wire), message, "Everything"), "");
  message = edge_values();
  (*message.mutable_map_int32_inner())[3].set_name("changed");
  EXPECT_NE(compare_message(lp::bytes(wire), message, "Everything"), "");
  message = edge_values();
  message.add_packed_double(1.0);
  EXPECT_NE(compare_message(lp::bytes(wire), message, "Everything"), "");
  message = edge_values();
  message.mutable_f_inner()->mutable_children(1)->set_id(0);
  EXPECT_NE(compare_message(lp::bytes(wire), message, "Everything"), "");
}

// Random messages: a fixed seed and std::mt19937's raw outputs (specified by the
// standard), so every run and every platform sees the same messages.
class RandomMessages {
 public:
  explicit RandomMessages(std::uint32_t seed) : random_(seed) {}

  void fill(pb::Message& message, int depth) {
    const pb::Descriptor* descriptor = message.GetDescriptor();
    const pb::Reflection* reflection = message.GetReflection();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const pb::FieldDescriptor* field = descriptor->field(i);
      if (below(2) == 0) continue;
      if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && depth >= max_depth &&
          !field->is_map()) {
        continue;
      }
      if (field->is_map()) {
        add_map_entries(message, field, depth);
      } else if (field->is_repeated()) {
        for (std::size_t n = below(6); n > 0; --n) set(message, *reflection, field, true, depth);
      } else {
        set(message, *reflection, field, false, depth);
      }
    }
  }

 private:
  static constexpr int max_depth = 3;

  std::uint32_t u32() { return static_cast<std::uint32_t>(random_()); }
  std::uint64_t u64() { return (std::uint64_t{u32()} << 32) | u32(); }
  std::size_t below(std::size_t n) { return u32() % n; }
  // Any bit width, so that varints of every size appear.
  std::uint64_t bits() {
    const std::size_t width = below(65);
    return width == 0 ? 0 : u64() >> (64 - width);
  }
  std::string text(bool any_byte) {
    std::string out(below(24), ' ');
    for (char& c : out) c = static_cast<char>(any_byte ? u32() & 0xFF : 0x20 + below(95));
    return out;
  }

  void set(pb::Message& m, const pb::Reflection& r, const pb::FieldDescriptor* f, bool add,
           int depth) {
    using C = pb::FieldDescriptor;
    switch (f->cpp_type()) {
      case C::CPPTYPE_INT32: {
        const auto v = static_cast<std::int32_t>(static_cast<std::uint32_t>(bits()));
        add ? r.AddInt32(&m, f, v) : r.SetInt32(&m, f, v);
        break;
      }
      case C::CPPTYPE_INT64: {
        const auto v = static_cast<std::int64_t>(bits());
        add ? r.AddInt64(&m, f, v) : r.SetInt64(&m, f, v);
        break;
      }
      case C::CPPTYPE_UINT32: {
        const auto v = static_cast<std::uint32_t>(bits());
        add ? r.AddUInt32(&m, f, v) : r.SetUInt32(&m, f, v);
        break;
      }
      case C::CPPTYPE_UINT64: {
        const auto v = bits();
        add ? r.AddUInt64(&m, f, v) : r.SetUInt64(&m, f, v);
        break;
      }
      case C::CPPTYPE_FLOAT: {
        const auto v = std::bit_cast<float>(u32());
        add ? r.AddFloat(&m, f, v) : r.SetFloat(&m, f, v);
        break;
      }
      case C::CPPTYPE_DOUBLE: {
        const auto v = std::bit_cast<double>(u64());
        add ? r.AddDouble(&m, f, v) : r.SetDouble(&m, f, v);
        break;
      }
      case C::CPPTYPE_BOOL: {
        const bool v = below(2) == 1;
        add ? r.AddBool(&m, f, v) : r.SetBool(&m, f, v);
        break;
      }
      case C::CPPTYPE_ENUM: {
        // Mostly declared values; sometimes any int32 (proto3 enums are open).
        const pb::EnumDescriptor* type = f->enum_type();
        const std::int32_t v =
            below(4) == 0 ? static_cast<std::int32_t>(u32())
                          : type->value(static_cast<int>(
                                            below(static_cast<std::size_t>(type->value_count()))))
                                ->number();
        add ? r.AddEnumValue(&m, f, v) : r.SetEnumValue(&m, f, v);
        break;
      }
      case C::CPPTYPE_STRING: {
        // string fields must hold UTF-8: printable ASCII; bytes take any byte.
        std::string v = text(f->type() == C::TYPE_BYTES);
        add ? r.AddString(&m, f, std::move(v)) : r.SetString(&m, f, std::move(v));
        break;
      }
      case C::CPPTYPE_MESSAGE:
        fill(add ? *r.AddMessage(&m, f) : *r.MutableMessage(&m, f), depth + 1);
        break;
    }
  }

  // Entries with distinct keys (a map keeps one value per key), both key and
  // value set.
  void add_map_entries(pb::Message& m, const pb::FieldDescriptor* f, int depth) {
    const pb::Reflection& r = *m.GetReflection();
    std::set<std::string> keys;
    for (std::size_t n = below(5); n > 0; --n) {
      pb::Message& entry = *r.AddMessage(&m, f);
      const pb::Reflection& er = *entry.GetReflection();
      const pb::FieldDescriptor* key = entry.GetDescriptor()->map_key();
      const pb::FieldDescriptor* value = entry.GetDescriptor()->map_value();
      set(entry, er, key, false, depth);
      if (value->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || depth < max_depth) {
        set(entry, er, value, false, depth);
      }
      std::string key_text;
      pb::TextFormat::PrintFieldValueToString(entry, key, -1, &key_text);
      if (!keys.insert(key_text).second) r.RemoveLast(&m, f);
    }
  }

  std::mt19937 random_;
};

TEST(ProtoComparison, RandomMessages) {
  RandomMessages random(20240611);
  constexpr int count = 300;
  std::size_t fields_seen = 0;
  std::set<std::uint64_t> numbers_seen;
  for (int i = 0; i < count; ++i) {
    SCOPED_TRACE(fmt::format("random message {}", i));
    Everything message;
    random.fill(message, 0);
    expect_view_matches(message);
    const std::string wire = serialize(message);
    for (const proto::FieldView& field : fields_of(lp::bytes(wire))) {
      numbers_seen.insert(field.field_number());
      ++fields_seen;
    }
    if (HasFailure()) break;  // one message's report is enough
  }
  EXPECT_GT(fields_seen, std::size_t{count} * 20);  // the messages are not trivially small
  // Every field of Everything was on the wire in some message.
  EXPECT_EQ(numbers_seen.size(), static_cast<std::size_t>(Everything::descriptor()->field_count()));
}

TEST(ProtoComparison, RandomInnerMessages) {
  RandomMessages random(7);
  for (int i = 0; i < 100; ++i) {
    SCOPED_TRACE(fmt::format("random message {}", i));
    Inner message;
    random.fill(message, 0);
    expect_view_matches(message);
    if (HasFailure()) break;
  }
}

// Malformed inputs: the view's error, and libprotobuf's verdict on the same bytes.
struct Malformed {
  std::string name;
  std::string wire;
  lp::errc code;
  bool libprotobuf_accepts;  // where the view is stricter on purpose
};

class ProtoMalformed : public testing::TestWithParam<Malformed> {};

TEST_P(ProtoMalformed, BothJudge) {
  const Malformed& c = GetParam();
  const auto view = proto::Message::parse(lp::bytes(c.wire));
  ASSERT_FALSE(view);
  EXPECT_EQ(view.error().code(), c.code) << view.error();
  pb::Empty empty;
  EXPECT_EQ(empty.ParseFromString(c.wire), c.libprotobuf_accepts);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, ProtoMalformed,
    testing::Values(
        Malformed{"field_number_0", std::string("\x00\x01", 2), lp::errc::constraint_failed, false},
        Malformed{"wire_type_6", "\x0e\x01", lp::errc::constraint_failed, false},
        Malformed{"wire_type_7", "\x0f\x01", lp::errc::constraint_failed, false},
        Malformed{"stray_group_end", "\x0c", lp::errc::constraint_failed, false},
        Malformed{"length_beyond_buffer", "\x0a\x05zz", lp::errc::truncated, false},
        Malformed{"length_2gib", std::string("\x0a\x80\x80\x80\x80\x08", 6),
                  lp::errc::constraint_failed, false},
        Malformed{"varint_cut", "\x08\x80", lp::errc::truncated, false},
        Malformed{"fixed64_cut", "\x09\x01\x02", lp::errc::truncated, false},
        Malformed{"fixed32_cut", "\x0d\x01", lp::errc::truncated, false},
        Malformed{"eleven_byte_varint",
                  std::string("\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 12),
                  lp::errc::bad_value, false},
        // Groups: libprotobuf still reads them (into unknown fields); the schema
        // rejects them.
        Malformed{"empty_group", "\x0b\x0c", lp::errc::constraint_failed, true},
        // Non-minimal varints: libprotobuf reads them; the schema wants one
        // encoding per value.
        Malformed{"overlong_varint", std::string("\x08\x81\x00", 3), lp::errc::bad_value, true}),
    [](const testing::TestParamInfo<Malformed>& info) { return info.param.name; });

}  // namespace
