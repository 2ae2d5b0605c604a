// The code lpc generates for tests/codegen/backend/schemas/demo/features.lps —
// every construct of the language — compiled and run: accessors read what was
// written byte by byte, setters write only their own bits, and every kind of
// malformed input gives the documented lp::Error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "demo/features.lp.hpp"
#include "libparse/format.hpp"

namespace {

using namespace demo::features;
using Bytes = std::vector<std::uint8_t>;

void append(Bytes& out, std::initializer_list<std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// The Message of features.lps, laid out field by field (43 bytes by default).
struct MessageBuilder {
  std::uint16_t magic = 0xCAFE;
  std::uint8_t version_level = 0x2C;  // version 2, level HIGH (6), reserved bit 0
  std::uint8_t flag_spare = 0x85;     // flag 1, spare 5
  std::uint8_t mode = 3;              // SINGLE
  std::uint8_t header_words = 3;      // 3 * 4 - 8 = 4 bytes of padding
  std::uint8_t count = 2;
  Bytes body = {0x00, 0x07, 0x00, 0x08};  // Point{7, 8}
  std::uint16_t body_length = 4;
  Bytes trailer = {0xDE, 0xAD};

  Bytes build() const {
    Bytes out;
    append(out, {static_cast<std::uint8_t>(magic >> 8), static_cast<std::uint8_t>(magic)});
    append(out, {version_level, flag_spare, mode, header_words});
    for (int i = 0; i < header_words * 4 - 8; ++i) out.push_back(0xEE);  // pad
    out.push_back(count);
    append(out, {0xFF, 0xFE, 0x01, 0x2C});  // origin: x = -2, y = 300
    for (std::uint8_t i = 0; i < count; ++i) {
      // samples: u32le; the first is 0x11223344, then 7, 8, ...
      if (i == 0) {
        append(out, {0x44, 0x33, 0x22, 0x11});
      } else {
        append(out, {static_cast<std::uint8_t>(6 + i), 0, 0, 0});
      }
    }
    for (std::uint8_t i = 0; i < count; ++i) {
      // points: (1, 2), then (-1, 5), (-1, 6), ...
      if (i == 0) {
        append(out, {0x00, 0x01, 0x00, 0x02});
      } else {
        append(out, {0xFF, 0xFF, 0x00, static_cast<std::uint8_t>(4 + i)});
      }
    }
    append(out, {3, 'a', 'b', 'c'});  // name_length, name
    append(out,
           {static_cast<std::uint8_t>(body_length >> 8), static_cast<std::uint8_t>(body_length)});
    out.insert(out.end(), body.begin(), body.end());
    out.insert(out.end(), trailer.begin(), trailer.end());
    return out;
  }
};

// Where each field of the default message starts and ends, to check truncation.
struct Span {
  const char* field;
  std::size_t begin;
  std::size_t end;  // one past the field's last byte, or its fixed run's
};
constexpr Span kMessageFields[] = {
    {"magic", 0, 6},         {"version", 2, 6},  {"flag", 3, 6},          {"mode", 4, 6},
    {"header_words", 5, 6},  {"pad", 6, 10},     {"count", 10, 15},       {"origin", 11, 15},
    {"samples", 15, 23},     {"points", 23, 31}, {"name_length", 31, 32}, {"name", 32, 35},
    {"body_length", 35, 37}, {"body", 37, 41},
};

TEST(GeneratedMessage, ReadsEveryField) {
  const Bytes packet = MessageBuilder{}.build();
  ASSERT_EQ(packet.size(), 43u);
  const auto message = Message::parse(packet);
  ASSERT_TRUE(message) << message.error();

  EXPECT_EQ(message->magic(), 0xCAFE);
  EXPECT_EQ(message->version(), 2);
  EXPECT_EQ(message->level(), Level::HIGH);
  EXPECT_EQ(message->flag(), 1);
  EXPECT_EQ(message->spare(), 5);
  EXPECT_EQ(message->mode(), Mode::SINGLE);
  EXPECT_EQ(message->header_words(), 3);
  EXPECT_EQ(message->count(), 2);
  EXPECT_EQ(message->origin().x(), -2);
  EXPECT_EQ(message->origin().y(), 300);
  ASSERT_EQ(message->samples().size(), 2u);
  EXPECT_EQ(message->samples()[0], 0x11223344u);
  EXPECT_EQ(message->samples()[1], 7u);
  ASSERT_EQ(message->points().size(), 2u);
  EXPECT_EQ(message->points()[0].x(), 1);
  EXPECT_EQ(message->points()[1].x(), -1);
  EXPECT_EQ(message->points()[1].y(), 5);
  EXPECT_EQ(message->name().as_string_view(), "abc");
  EXPECT_EQ(message->body_length(), 4);
  EXPECT_EQ(message->body_arm(), MessageView::BodyArm::single);
  ASSERT_TRUE(message->body_single());
  EXPECT_EQ(message->body_single()->x(), 7);
  EXPECT_EQ(message->body_single()->y(), 8);
  EXPECT_FALSE(message->body_burst());
  EXPECT_FALSE(message->body_numbers());
  EXPECT_FALSE(message->body_raw());
  EXPECT_EQ(message->body_bytes().size(), 4u);
  EXPECT_EQ(message->trailer().size(), 2u);
  EXPECT_EQ(message->size(), 43u);
  EXPECT_EQ(MessageView::min_size, 6u);
  EXPECT_EQ(PointView::fixed_size, 4u);
}

TEST(GeneratedMessage, AccessorsPointIntoTheInputBuffer) {
  const Bytes packet = MessageBuilder{}.build();
  const auto message = Message::parse(packet);
  ASSERT_TRUE(message);
  const auto* base = reinterpret_cast<const std::byte*>(packet.data());
  EXPECT_EQ(message->bytes().data(), base);
  EXPECT_EQ(message->origin().bytes().data(), base + 11);
  EXPECT_EQ(message->samples().bytes().data(), base + 15);
  EXPECT_EQ(message->points().bytes().data(), base + 23);
  EXPECT_EQ(message->points()[1].bytes().data(), base + 27);
  EXPECT_EQ(message->name().data(), base + 32);
  EXPECT_EQ(message->body_bytes().data(), base + 37);
  EXPECT_EQ(message->body_single()->bytes().data(), base + 37);
  EXPECT_EQ(message->trailer().data(), base + 41);
}

TEST(GeneratedMessage, EveryTruncatedPrefixNamesTheMissingField) {
  const Bytes packet = MessageBuilder{}.build();
  // Up to the end of the switch every byte is needed; the trailer is bytes[].
  for (std::size_t n = 0; n < 41; ++n) {
    SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
    const auto message = Message::parse(lp::bytes(packet.data(), n));
    ASSERT_FALSE(message);
    const lp::Error& e = message.error();
    EXPECT_EQ(e.code(), lp::errc::truncated) << e;
    const Span* span = nullptr;
    for (const Span& s : kMessageFields) {
      if (s.begin <= n) span = &s;
    }
    ASSERT_NE(span, nullptr);
    EXPECT_EQ(e.path_segment(0), "Message");
    EXPECT_EQ(e.path_segment(1), span->field) << e;
    EXPECT_EQ(e.byte_offset(), span->begin) << e;
    EXPECT_EQ(e.needed(), span->end - n) << e;
  }
  for (std::size_t n = 41; n <= packet.size(); ++n) {
    const auto message = Message::parse(lp::bytes(packet.data(), n));
    ASSERT_TRUE(message) << message.error();
    EXPECT_EQ(message->trailer().size(), n - 41);
  }
}

TEST(GeneratedMessage, TruncatedBitFieldReportsItsBit) {
  const Bytes packet = MessageBuilder{}.build();
  const auto message = Message::parse(lp::bytes(packet.data(), 2));
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().message(), "truncated at byte 2: Message.version, 4 more bytes needed");
}

struct ConstraintCase {
  const char* name;
  void (*damage)(MessageBuilder&);
  const char* message;
};

TEST(GeneratedMessage, EachConstraintFailsWithItsText) {
  const ConstraintCase cases[] = {
      {"magic", [](MessageBuilder& b) { b.magic = 0xCAFF; },
       "constraint failed at byte 0: Message.magic (magic == MAGIC), got 51967"},
      {"version too small", [](MessageBuilder& b) { b.version_level = 0x0C; },
       "constraint failed at byte 2: Message.version (version >= 1), got 0"},
      {"version too large", [](MessageBuilder& b) { b.version_level = 0xAC; },
       "constraint failed at byte 2: Message.version (version <= 9), got 10"},
      {"header words", [](MessageBuilder& b) { b.header_words = 1; },
       "constraint failed at byte 5: Message.header_words (header_words >= HEADER_WORDS), got 1"},
      {"require", [](MessageBuilder& b) { b.count = 9; },
       "constraint failed at byte 10: Message.count (count <= 8)"},
  };
  for (const ConstraintCase& c : cases) {
    SCOPED_TRACE(c.name);
    MessageBuilder builder;
    c.damage(builder);
    const Bytes packet = builder.build();
    const auto message = Message::parse(packet);
    ASSERT_FALSE(message);
    EXPECT_EQ(message.error().code(), lp::errc::constraint_failed);
    EXPECT_EQ(message.error().message(), c.message);
  }
}

TEST(GeneratedMessage, SwitchArms) {
  MessageBuilder burst;
  burst.mode = 4;  // BURST
  burst.body = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
  burst.body_length = 6;
  Bytes packet = burst.build();
  auto message = Message::parse(packet);
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->body_arm(), MessageView::BodyArm::burst);
  ASSERT_TRUE(message->body_burst());
  ASSERT_EQ(message->body_burst()->size(), 3u);
  EXPECT_EQ((*message->body_burst())[2], 0x0506);
  EXPECT_EQ(message->trailer().size(), 2u);

  burst.mode = 5;  // the second case value of the same arm
  packet = burst.build();
  message = Message::parse(packet);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->body_arm(), MessageView::BodyArm::burst);

  MessageBuilder unknown;
  unknown.mode = 200;  // no member, no case: the default arm, and the value survives
  packet = unknown.build();
  message = Message::parse(packet);
  ASSERT_TRUE(message);
  EXPECT_EQ(static_cast<int>(message->mode()), 200);
  EXPECT_EQ(to_string(message->mode()), "");
  EXPECT_EQ(message->body_arm(), MessageView::BodyArm::raw);
  ASSERT_TRUE(message->body_raw());
  EXPECT_EQ(message->body_raw()->size(), 4u);
}

TEST(GeneratedMessage, ArmThatDoesNotFillItsRegionIsBadLength) {
  MessageBuilder longer;  // a Point arm in a 5-byte region
  longer.body = {0x00, 0x07, 0x00, 0x08, 0x09};
  longer.body_length = 5;
  Bytes packet = longer.build();
  auto message = Message::parse(packet);
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().code(), lp::errc::bad_length) << message.error();
  EXPECT_EQ(message.error().path_segment(1), "body");

  MessageBuilder shorter;  // a Point arm in a 3-byte region: the region, not the buffer, is short
  shorter.body = {0x00, 0x07, 0x00};
  shorter.body_length = 3;
  packet = shorter.build();
  message = Message::parse(packet);
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().code(), lp::errc::bad_length) << message.error();

  MessageBuilder odd;  // u16[] in 5 bytes
  odd.mode = 4;
  odd.body = {1, 2, 3, 4, 5};
  odd.body_length = 5;
  packet = odd.build();
  message = Message::parse(packet);
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().code(), lp::errc::bad_length) << message.error();
}

// Numbers: mixed byte orders, odd widths, floats, a signed constraint.
Bytes numbers_bytes(std::uint8_t temp) {
  return {0x02, 0x01,                                      // le16 = 0x0102
          0x01, 0x02, 0x03, 0x04,                          // be32 = 0x01020304
          0x01, 0x02, 0x03,                                // odd24 (little) = 0x030201
          0xFE, 0xFF, 0xFF, 0xFF, 0xFF,                    // signed40 (little) = -2
          0x00, 0x00, 0xC0, 0x3F,                          // f (little) = 1.5
          0x40, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // d (big) = 2.25
          temp};
}

TEST(GeneratedNumbers, ByteOrdersWidthsAndFloats) {
  const Bytes packet = numbers_bytes(0xFB);
  const auto numbers = Numbers::parse(packet);
  ASSERT_TRUE(numbers) << numbers.error();
  EXPECT_EQ(numbers->le16(), 0x0102);
  EXPECT_EQ(numbers->be32(), 0x01020304u);
  EXPECT_EQ(numbers->odd24(), 0x030201u);
  EXPECT_EQ(numbers->signed40(), -2);
  EXPECT_EQ(numbers->f(), 1.5f);
  EXPECT_EQ(numbers->d(), 2.25);
  EXPECT_EQ(numbers->temp(), -5);
  EXPECT_EQ(NumbersView::fixed_size, 27u);
}

TEST(GeneratedNumbers, SignedConstraintReportsASignedValue) {
  const Bytes packet = numbers_bytes(static_cast<std::uint8_t>(-41));
  const auto numbers = Numbers::parse(packet);
  ASSERT_FALSE(numbers);
  EXPECT_EQ(numbers.error().message(),
            "constraint failed at byte 26: Numbers.temp (temp >= MIN_TEMP), got -41");
  EXPECT_TRUE(numbers.error().actual_is_signed());
}

TEST(GeneratedNumbers, SettersRoundTrip) {
  Bytes packet = numbers_bytes(0);
  auto numbers = Numbers::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(numbers);
  numbers->set_odd24(0xABCDEF);
  numbers->set_signed40(-123456789);
  numbers->set_f(-0.25f);
  numbers->set_d(std::nan(""));
  EXPECT_EQ(numbers->odd24(), 0xABCDEFu);
  EXPECT_EQ(numbers->signed40(), -123456789);
  EXPECT_EQ(numbers->f(), -0.25f);
  EXPECT_TRUE(std::isnan(numbers->d()));
  EXPECT_EQ(numbers->be32(), 0x01020304u);  // neighbours untouched
  EXPECT_EQ(packet[6], 0xEF);               // little-endian on the wire
}

TEST(GeneratedBits, LsbFirstBitFields) {
  // a = 1, b = 5, c = -3 in byte 0 from its least significant bit; d = 0xABC, e = 5.
  Bytes packet = {0xDB, 0xBC, 0x5A};
  auto bits = Bits::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(bits) << bits.error();
  EXPECT_EQ(bits->a(), 1);
  EXPECT_EQ(bits->b(), 5);
  EXPECT_EQ(bits->c(), -3);
  EXPECT_EQ(bits->d(), 0xABC);
  EXPECT_EQ(bits->e(), 5);

  bits->set_c(7);
  bits->set_d(0x123);
  EXPECT_EQ(bits->a(), 1);
  EXPECT_EQ(bits->b(), 5);
  EXPECT_EQ(bits->c(), 7);
  EXPECT_EQ(bits->d(), 0x123);
  EXPECT_EQ(bits->e(), 5);
  EXPECT_EQ(packet, (Bytes{0x7B, 0x23, 0x51}));
}

TEST(GeneratedMessage, MutWritesReadBack) {
  Bytes packet = MessageBuilder{}.build();
  auto message = Message::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(message) << message.error();
  message->set_version(9);
  message->set_level(Level::LOW);
  message->set_flag(0);
  message->set_spare(127);
  message->origin_mut().set_x(5);
  message->samples_mut().set(1, 99);
  message->points_mut()[1].set_y(-7);
  message->name_mut()[0] = std::byte{'x'};
  message->body_single_mut()->set_x(1000);

  const auto again = Message::parse(packet);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->version(), 9);
  EXPECT_EQ(again->level(), Level::LOW);
  EXPECT_EQ(again->flag(), 0);
  EXPECT_EQ(again->spare(), 127);
  EXPECT_EQ(again->origin().x(), 5);
  EXPECT_EQ(again->origin().y(), 300);
  EXPECT_EQ(again->samples()[0], 0x11223344u);
  EXPECT_EQ(again->samples()[1], 99u);
  EXPECT_EQ(again->points()[1].x(), -1);
  EXPECT_EQ(again->points()[1].y(), -7);
  EXPECT_EQ(again->name().as_string_view(), "xbc");
  EXPECT_EQ(again->body_single()->x(), 1000);
  EXPECT_EQ(packet[2], 0x92);  // version 9, level 1, reserved bit kept at 0
}

TEST(GeneratedMessage, MisalignedBuffersReadTheSame) {
  const Bytes packet = MessageBuilder{}.build();
  for (std::size_t shift = 1; shift < 8; ++shift) {
    Bytes storage(shift, 0);
    storage.insert(storage.end(), packet.begin(), packet.end());
    const auto message = Message::parse(lp::bytes(storage).subspan(shift));
    ASSERT_TRUE(message) << "shift " << shift;
    EXPECT_EQ(message->samples()[0], 0x11223344u);
    EXPECT_EQ(message->origin().y(), 300);
    EXPECT_EQ(message->points()[1].y(), 5);
  }
}

TEST(GeneratedMessage, NestedArmErrorsAreRebasedAndNamed) {
  MessageBuilder builder;
  builder.mode = 7;  // Numbers arm
  builder.body = numbers_bytes(static_cast<std::uint8_t>(-100));
  builder.body_length = 27;
  const Bytes packet = builder.build();
  const auto message = Message::parse(packet);
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().message(),
            "constraint failed at byte 63: Message.body.Numbers.temp (temp >= MIN_TEMP), got -100");

  struct Level {
    std::string type;
    std::string field;
  };
  std::vector<Level> levels;
  lp::ParseOptions options;
  options.on_error_context = &levels;
  options.on_error = [](void* context, std::string_view type, std::string_view field,
                        const lp::Error&) {
    static_cast<std::vector<Level>*>(context)->push_back({std::string(type), std::string(field)});
  };
  const auto again = Message::parse(packet, options);
  ASSERT_FALSE(again);
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].type, "Numbers");
  EXPECT_EQ(levels[0].field, "temp");
  EXPECT_EQ(levels[1].type, "Message");
  EXPECT_EQ(levels[1].field, "body");
}

TEST(GeneratedMessage, DepthLimit) {
  MessageBuilder builder;
  builder.mode = 7;
  builder.body = numbers_bytes(0);
  builder.body_length = 27;
  const Bytes packet = builder.build();
  lp::ParseOptions options;
  options.max_depth = 0;
  const auto message = Message::parse(packet, options);
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().code(), lp::errc::too_deep) << message.error();
  options.max_depth = 1;
  EXPECT_TRUE(Message::parse(packet, options));
}

TEST(GeneratedDifference, CheckedArithmeticIsAnOverflowError) {
  const Bytes ok = {6, 2, 1, 2, 3, 4};
  const auto fine = Difference::parse(ok);
  ASSERT_TRUE(fine) << fine.error();
  EXPECT_EQ(fine->rest().size(), 4u);

  const Bytes below_zero = {2, 6};
  const auto bad = Difference::parse(below_zero);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), lp::errc::overflow);
  EXPECT_EQ(bad.error().message(), "overflow at byte 2: Difference.rest (total - used)");

  // || gives what a short-circuit would: `used == 0` saves an odd total.
  const Bytes odd_total_unused = {3, 0, 1, 2, 3};
  EXPECT_TRUE(Difference::parse(odd_total_unused));
  const Bytes odd_total_used = {3, 1, 1, 2};
  const auto odd = Difference::parse(odd_total_used);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(odd.error().text(), "total % 2 == 0 || used == 0");
}

TEST(GeneratedMessage, FormatsAndVisits) {
  const Bytes packet = MessageBuilder{}.build();
  const auto message = Message::parse(packet);
  ASSERT_TRUE(message);
  const std::string line = fmt::format("{}", *message);
  EXPECT_NE(line.find("Message{magic: 51966, version: 2, level: HIGH"), std::string::npos) << line;
  const std::string tree = fmt::format("{:t}", *message);
  EXPECT_NE(tree.find("\n  origin: Point"), std::string::npos) << tree;
  const std::string json = fmt::format("{}", lp::json(*message));
  EXPECT_NE(json.find("\"mode\":\"SINGLE\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"name\":\"61:62:63\""), std::string::npos) << json;
}

// Link (a short struct with a recursive arm) is the one short parse_into() the
// emitter does not mark always_inline: that it compiles is half the test.
TEST(GeneratedLink, RecursiveArmParsesAChain) {
  const Bytes chain = {1, 1, 0, 0xAA, 0xBB};
  const auto first = Link::parse(chain);
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->size(), 5u);
  const auto second = first->next_link();
  ASSERT_TRUE(second);
  const auto third = second->next_link();
  ASSERT_TRUE(third);
  EXPECT_FALSE(third->next_link());
  ASSERT_TRUE(third->next_rest());
  EXPECT_EQ(third->next_rest()->size(), 2u);

  const Bytes cut = {1, 1};  // the third link is missing
  const auto broken = Link::parse(cut);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code(), lp::errc::truncated) << broken.error();
  EXPECT_EQ(broken.error().field_path(), "Link.next.Link.next.Link.more") << broken.error();
}

}  // namespace
