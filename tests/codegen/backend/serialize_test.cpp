// Generated serializers (schemas/demo/serialize.lps): FooValue, Foo::serialize(),
// serialized_size(), to_value(). Expected bytes are written out by hand from the
// schema, checksums by a plain sum of 16-bit words; each error names its field
// path and the byte it is about.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "demo/serialize.lp.hpp"
#include "libparse/format.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes to_bytes(const std::vector<std::byte>& v) {
  Bytes out;
  out.reserve(v.size());
  for (std::byte b : v) out.push_back(std::to_integer<std::uint8_t>(b));
  return out;
}

lp::bytes text(std::string_view s) { return lp::bytes(s); }

// RFC 1071 by hand: the one's-complement sum of big-endian 16-bit words.
std::uint16_t internet_checksum(const Bytes& data) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < data.size(); i += 2) {
    const std::uint32_t hi = data[i];
    const std::uint32_t lo = i + 1 < data.size() ? data[i + 1] : 0;
    sum += (hi << 8) | lo;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::vector<demo::ItemValue> three_options() {
  std::vector<demo::ItemValue> options(3);
  options[0].kind = demo::Kind::NUMBER;
  options[0].body_number = 5;
  options[1].kind = demo::Kind::POINT;
  options[1].body_point = demo::PointValue{1, -2};
  options[2].kind = demo::Kind::EMPTY;
  options[2].body_none = lp::bytes();
  return options;
}

demo::HeaderValue header_value() {
  demo::HeaderValue v;
  v.words = 6;  // 13 bytes of options need 16: parse() allows padding after the EMPTY
  v.marks = demo::Marks(demo::Marks::LOW | demo::Marks::HIGH);
  v.extra = -2;
  v.options = three_options();
  v.payload = text("abc");
  return v;
}

const Bytes header_bytes_without_sum = {
    0x26, 0x3e, 0x00, 0x1b, 0x00, 0x00,
    0x00, 0x00,                          // version 2, words 6, marks 3, extra -2, total 27
    0x01, 0x04, 0x00, 0x00, 0x00, 0x05,  // NUMBER, length 4, 5
    0x03, 0x04, 0x00, 0x01, 0xff, 0xfe,  // POINT, length 4, (1, -2)
    0x00, 0x00, 0x00, 0x00,              // EMPTY, then padding to the region's 16
    'a',  'b',  'c'};

TEST(GeneratedSerialize, ComputesLengthsAndChecksum) {
  const auto written = demo::Header::serialize(header_value());
  ASSERT_TRUE(written) << written.error();
  Bytes expected = header_bytes_without_sum;
  const std::uint16_t sum = internet_checksum(Bytes(expected.begin(), expected.begin() + 24));
  expected[4] = static_cast<std::uint8_t>(sum >> 8);
  expected[5] = static_cast<std::uint8_t>(sum);
  EXPECT_EQ(to_bytes(*written), expected);

  auto parsed = demo::Header::parse(*written);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->words(), 6);
  EXPECT_EQ(parsed->total(), 27);
  EXPECT_TRUE(parsed->verify_checksums());
  EXPECT_EQ(demo::Header::serialized_size(header_value()).value(), expected.size());
}

TEST(GeneratedSerialize, ToValueGivesTheSameBytesBack) {
  const auto written = demo::Header::serialize(header_value());
  ASSERT_TRUE(written) << written.error();
  auto parsed = demo::Header::parse(*written);
  ASSERT_TRUE(parsed) << parsed.error();
  const demo::HeaderValue value = demo::Header::to_value(*parsed);
  EXPECT_EQ(value.words, 6);
  EXPECT_EQ(value.sum, parsed->sum());
  ASSERT_EQ(value.options.size(), 3u);
  EXPECT_EQ(value.options[1].body_point->y, -2);
  EXPECT_FALSE(value.options[2].length.has_value());
  const auto again = demo::Header::serialize(value);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(*again, *written);
}

TEST(GeneratedSerialize, IntoACallersBuffer) {
  std::vector<std::byte> buffer(64);
  const auto size = demo::Header::serialize(header_value(), lp::mut_bytes(buffer));
  ASSERT_TRUE(size) << size.error();
  EXPECT_EQ(*size, header_bytes_without_sum.size());

  std::vector<std::byte> small(20);
  const auto short_of = demo::Header::serialize(header_value(), lp::mut_bytes(small));
  ASSERT_FALSE(short_of);
  EXPECT_EQ(short_of.error().code(), lp::errc::truncated);
  EXPECT_EQ(short_of.error().field_path(), "Header.options[2].kind");
  EXPECT_EQ(short_of.error().byte_offset(), 20u);
  EXPECT_EQ(short_of.error().needed(), 1u);
}

TEST(GeneratedSerialize, AWordCountThatCannotHoldTheOptions) {
  demo::HeaderValue v = header_value();
  v.words.reset();  // 13 bytes of options: words * 4 - 8 == 13 has no solution
  const auto written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_length);
  EXPECT_EQ(written.error().field_path(), "Header.words");
  EXPECT_EQ(written.error().byte_offset(), 0u);
  EXPECT_EQ(written.error().bit_offset(), 4u);
  EXPECT_EQ(written.error().actual(), 13u);

  // Without the EMPTY the options fill 12 bytes, the whole region: words is 5.
  v.options.pop_back();
  const auto fitted = demo::Header::serialize(v);
  ASSERT_TRUE(fitted) << fitted.error();
  EXPECT_EQ(fitted->size(), 23u);
  EXPECT_EQ(std::to_integer<int>((*fitted)[0]), 0x25);
}

TEST(GeneratedSerialize, GivenLengthsMustAgree) {
  demo::HeaderValue v = header_value();
  v.total = 30;  // the payload has 3 bytes, not 6
  const auto written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_length);
  EXPECT_EQ(written.error().field_path(), "Header.payload");
  EXPECT_EQ(written.error().byte_offset(), 24u);
  EXPECT_EQ(written.error().text(), "total - words * 4");
  EXPECT_EQ(written.error().actual(), 3u);

  v = header_value();
  v.options[0].length = 9;  // a number takes 4
  const auto item = demo::Header::serialize(v);
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().field_path(), "Header.options[0].body");
  EXPECT_EQ(item.error().code(), lp::errc::bad_length);
}

TEST(GeneratedSerialize, ValuesThatDoNotFit) {
  demo::HeaderValue v = header_value();
  v.extra = 9;  // i4: -8..7
  auto written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_value);
  EXPECT_EQ(written.error().field_path(), "Header.extra");
  EXPECT_EQ(written.error().bit_offset(), 4u);
  EXPECT_EQ(fmt::format("{}", written.error()),
            "bad value at byte 1 bit 4: Header.extra (does not fit in 4 bits), got 9");

  v = header_value();
  v.marks = demo::Marks(0x10);
  written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().field_path(), "Header.marks");

  v = header_value();
  v.version = 3;  // the == constraint: parse() of the result rejects it
  written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(written.error().field_path(), "Header.version");
}

TEST(GeneratedSerialize, SwitchArms) {
  demo::HeaderValue v = header_value();
  v.options[0].body_number.reset();  // NUMBER selects `number`
  auto written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::missing_value);
  EXPECT_EQ(written.error().field_path(), "Header.options[0].body");
  EXPECT_EQ(written.error().text(), "the tag selects arm 'number'");
  EXPECT_EQ(written.error().byte_offset(), 10u);

  v = header_value();
  v.options[0].body_raw = text("x");  // two arms
  written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_value);
  EXPECT_EQ(written.error().text(), "more than one arm given");
}

TEST(GeneratedSerialize, OptionalFields) {
  demo::HeaderValue v = header_value();
  v.options[2].length = 0;  // EMPTY has no length
  auto written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_value);
  EXPECT_EQ(written.error().field_path(), "Header.options[2].length");
}

TEST(GeneratedSerialize, UntilEndsAtTheLastElement) {
  demo::HeaderValue v = header_value();
  std::swap(v.options[0], v.options[2]);  // EMPTY first: parse() would stop there
  const auto written = demo::Header::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_value);
  EXPECT_EQ(written.error().field_path(), "Header.options[0]");
  EXPECT_EQ(written.error().byte_offset(), 8u);
}

demo::BagValue bag_value() {
  demo::BagValue v;
  v.values = {1, 2, 0x0304};
  v.name = "hi";
  v.label = "ok";
  v.big_number = 300;
  v.small_number = -3;
  v.quic_number = 15293;
  v.points = {demo::PointValue{7, 8}};
  v.note = 0x55;
  v.tail = text("z");
  return v;
}

const Bytes bag_bytes = {0x03, 0x01, 0x00, 0x02, 0x00, 0x04,
                         0x03,                                // count 3, values (little-endian)
                         0x02, 'h',  'i',                     // name_length 2, "hi"
                         'o',  'k',  0x00,                    // cstring
                         0x00,                                // pad 1
                         0xac, 0x02,                          // varint 300
                         0x05,                                // zigzag -3
                         0x7b, 0xbd,                          // QUIC varint 15293, two bytes
                         0x00,                                // align 4 (19 bytes so far)
                         0x00, 0x04, 0x00, 0x07, 0x00, 0x08,  // points_size 4, (7, 8)
                         0x55,                                // note: count > 2
                         'z'};

TEST(GeneratedSerialize, CountsStringsVarintsPadsAlignment) {
  const auto written = demo::Bag::serialize(bag_value());
  ASSERT_TRUE(written) << written.error();
  EXPECT_EQ(to_bytes(*written), bag_bytes);
  auto parsed = demo::Bag::parse(*written);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(*demo::Bag::serialize(demo::Bag::to_value(*parsed)), *written);
}

TEST(GeneratedSerialize, OptionalFieldPresence) {
  demo::BagValue v = bag_value();
  v.note.reset();
  auto written = demo::Bag::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::missing_value);
  EXPECT_EQ(written.error().field_path(), "Bag.note");
  EXPECT_EQ(written.error().text(), "present because count > 2");

  v = bag_value();
  v.values.pop_back();  // count 2: no note
  written = demo::Bag::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_value);
  EXPECT_EQ(written.error().field_path(), "Bag.note");
  v.note.reset();
  EXPECT_TRUE(demo::Bag::serialize(v));
}

TEST(GeneratedSerialize, StringAndVarintErrors) {
  demo::BagValue v = bag_value();
  v.label = std::string_view("o\0k", 3);
  auto written = demo::Bag::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().field_path(), "Bag.label");
  EXPECT_EQ(written.error().code(), lp::errc::bad_value);

  v = bag_value();
  v.quic_number = std::uint64_t{1} << 62;
  written = demo::Bag::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().field_path(), "Bag.quic_number");
  EXPECT_EQ(written.error().byte_offset(), 17u);

  v = bag_value();
  v.values.assign(256, 0);  // count is a u8
  written = demo::Bag::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::overflow);
  EXPECT_EQ(written.error().field_path(), "Bag.count");
}

TEST(GeneratedSerialize, ParametersAndRunTimeByteOrder) {
  demo::SizedValue v;
  v.data = text("abcd");
  v.wide = 0x01020304;
  const auto little = demo::Sized::serialize(v, lp::byte_order::little, 2);
  ASSERT_TRUE(little) << little.error();
  EXPECT_EQ(to_bytes(*little), (Bytes{0x02, 0x00, 'a', 'b', 'c', 'd', 0x04, 0x03, 0x02, 0x01}));
  const auto big = demo::Sized::serialize(v, lp::byte_order::big, 4);
  ASSERT_TRUE(big) << big.error();
  EXPECT_EQ(to_bytes(*big), (Bytes{0x00, 0x01, 'a', 'b', 'c', 'd', 0x01, 0x02, 0x03, 0x04}));

  v.data = text("abc");  // units * 2 == 3 has no solution
  const auto odd = demo::Sized::serialize(v, lp::byte_order::little, 2);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().code(), lp::errc::bad_length);
  EXPECT_EQ(odd.error().field_path(), "Sized.units");
}

TEST(GeneratedSerialize, ASizeWithAnotherKnownField) {
  demo::PairValue v;
  v.first = text("xy");
  v.second = text("z");
  const auto written = demo::Pair::serialize(v);
  ASSERT_TRUE(written) << written.error();
  EXPECT_EQ(to_bytes(*written), (Bytes{0x02, 0x01, 'x', 'y', 'z'}));
}

TEST(GeneratedSerialize, AnElementThatDoesNotFitNamesItsIndex) {
  demo::WideValue v;
  v.values = {1, 0x1000000, 2};  // u24: the second is one too many
  const auto written = demo::Wide::serialize(v);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), lp::errc::bad_value);
  EXPECT_EQ(written.error().field_path(), "Wide.values[1]");
  EXPECT_EQ(written.error().byte_offset(), 4u);
  EXPECT_EQ(written.error().text(), "does not fit in 24 bits");
  EXPECT_EQ(written.error().actual(), 0x1000000u);
  v.values[1] = 0xffffff;
  const auto fitted = demo::Wide::serialize(v);
  ASSERT_TRUE(fitted) << fitted.error();
  EXPECT_EQ(to_bytes(*fitted), (Bytes{0x03, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0x00, 0x00, 0x02}));
}

// Each put of a value, in the order serialize() writes them: where it starts
// (in bits) and ends, and the path parse() would name it by. Written from the
// schema, not from the generated code.
struct Put {
  std::size_t begin_bit;
  std::size_t end_bit;
  std::string_view path;
};

// Into a buffer of every size short of the message: the first put that does
// not fit is the error (truncated at its first bit, with the bytes it misses),
// whatever the serializer does after it (derived lengths, checksums, children,
// elements).
template <class Type>
void expect_truncated_at_every_size(const typename Type::Value& value,
                                    const std::vector<Put>& puts) {
  const auto whole = Type::serialize(value);
  ASSERT_TRUE(whole) << whole.error();
  ASSERT_EQ(whole->size() * 8, puts.back().end_bit);
  for (std::size_t size = 0; size < whole->size(); ++size) {
    std::vector<std::byte> buffer(size);
    const auto written = Type::serialize(value, lp::mut_bytes(buffer));
    ASSERT_FALSE(written) << size;
    const Put* first = nullptr;
    for (const Put& put : puts) {
      if (put.end_bit > size * 8) {
        first = &put;
        break;
      }
    }
    ASSERT_NE(first, nullptr);
    const lp::Error& e = written.error();
    EXPECT_EQ(e.code(), lp::errc::truncated) << size;
    EXPECT_EQ(e.field_path(), first->path) << size;
    EXPECT_EQ(e.byte_offset(), first->begin_bit / 8) << size;
    EXPECT_EQ(e.bit_offset(), first->begin_bit % 8) << size;
    EXPECT_EQ(e.needed(), (first->end_bit + 7) / 8 - size) << size;
  }
}

TEST(GeneratedSerialize, TruncatedAtEveryBufferSize) {
  expect_truncated_at_every_size<demo::Header>(
      header_value(), {{0, 4, "Header.version"},
                       {4, 8, "Header.words"},
                       {8, 12, "Header.marks"},
                       {12, 16, "Header.extra"},
                       {16, 32, "Header.total"},
                       {32, 48, "Header.sum"},
                       {48, 64, "Header.reserved"},
                       {64, 72, "Header.options[0].kind"},
                       {72, 80, "Header.options[0].length"},
                       {80, 112, "Header.options[0].body"},
                       {112, 120, "Header.options[1].kind"},
                       {120, 128, "Header.options[1].length"},
                       {128, 144, "Header.options[1].body.Point.x"},
                       {144, 160, "Header.options[1].body.Point.y"},
                       {160, 168, "Header.options[2].kind"},
                       {168, 192, "Header.options"},  // zeros up to words * 4 - 8
                       {192, 216, "Header.payload"}});
  expect_truncated_at_every_size<demo::Bag>(bag_value(), {{0, 8, "Bag.count"},
                                                          {8, 24, "Bag.values[0]"},
                                                          {24, 40, "Bag.values[1]"},
                                                          {40, 56, "Bag.values[2]"},
                                                          {56, 64, "Bag.name_length"},
                                                          {64, 80, "Bag.name"},
                                                          {80, 96, "Bag.label"},
                                                          {96, 104, "Bag.label"},  // the NUL
                                                          {104, 112, "Bag.pad"},
                                                          {112, 128, "Bag.big_number"},
                                                          {128, 136, "Bag.small_number"},
                                                          {136, 152, "Bag.quic_number"},
                                                          {152, 160, "Bag.align"},
                                                          {160, 176, "Bag.points_size"},
                                                          {176, 192, "Bag.points[0].x"},
                                                          {192, 208, "Bag.points[0].y"},
                                                          {208, 216, "Bag.note"},
                                                          {216, 224, "Bag.tail"}});
}

}  // namespace
