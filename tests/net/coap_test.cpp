// net/coap.lps through its generated views, on messages built byte by byte:
// option numbers carried from option to option (deltas, extended deltas and
// lengths), typed values, the payload, every prefix, the format errors, writes
// and round trips. The expected values are what tshark 4.0 decodes from the same
// messages in UDP/5683 frames (tests/net/coap_tshark/compare.py, docs/protocols.md).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "libparse/format.hpp"
#include "net/coap.lp.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

// CON GET 0x1234, token de:ad:be:ef, Uri-Host "example.org", Uri-Path "sensors",
// Uri-Path "temp", Content-Format 0 (no bytes), Accept 50, payload "hello".
const Bytes kGet = {0x44, 0x01, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef,  // header, token
                    0x3b, 'e',  'x',  'a',  'm',  'p',  'l',  'e',  '.', 'o', 'r', 'g',  // 3
                    0x87, 's',  'e',  'n',  's',  'o',  'r',  's',                       // 11
                    0x04, 't',  'e',  'm',  'p',                                         // 11
                    0x10,                                                                // 12
                    0x51, 0x32,                                                          // 17
                    0xff, 'h',  'e',  'l',  'l',  'o'};
// NON POST, Proxy-Uri (35: delta 13 + 22, length 13 + 9), Size1 (60: 13 + 12) 1024.
const Bytes kExtended = {0x50, 0x02, 0x00, 0x07, 0xdd, 0x16, 0x09, 'c',  'o',  'a',  'p',
                         ':',  '/',  '/',  'p',  'r',  'o',  'x',  'y',  '.',  'e',  'x',
                         'a',  'm',  'p',  'l',  'e',  '/',  'a',  0xd2, 0x0c, 0x04, 0x00,
                         0xff, '{',  '"',  'v',  '"',  ':',  '1',  '}'};
// NON GET: option 269 (delta 14, extended 0), option 65804 (delta 14 + 65266).
const Bytes kWideDeltas = {0x50, 0x01, 0x00, 0x01, 0xe1, 0x00, 0x00, 0x07, 0xe0, 0xfe, 0xf2};

std::vector<std::uint64_t> numbers(const net::CoapMessageView& m) {
  std::vector<std::uint64_t> out;
  for (const net::CoapOptionView o : m.options()) {
    if (o.delta() != 15) out.push_back(o.number());
  }
  return out;
}

TEST(Coap, ParsesTheHeaderTokenOptionsAndPayload) {
  const auto m = net::CoapMessage::parse(kGet);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->version(), 1);
  EXPECT_EQ(m->message_type(), net::CoapType::CONFIRMABLE);
  EXPECT_EQ(m->token_length(), 4);
  EXPECT_EQ(m->code(), net::CoapCode::GET);
  EXPECT_EQ(m->message_id(), 0x1234);
  EXPECT_EQ(fmt::format("{}", m->token()), "de ad be ef");
  EXPECT_EQ(numbers(*m), (std::vector<std::uint64_t>{3, 11, 11, 12, 17}));
  std::vector<std::string> texts;
  std::vector<std::uint64_t> uints;
  std::string payload;
  for (const net::CoapOptionView o : m->options()) {
    if (auto t = o.value_text()) texts.emplace_back(t->text());
    if (auto u = o.value_uint()) uints.push_back(u->value());
    if (auto p = o.payload()) payload = std::string(p->as_string_view());
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"example.org", "sensors", "temp"}));
  EXPECT_EQ(uints, (std::vector<std::uint64_t>{0, 50}));
  EXPECT_EQ(payload, "hello");
  EXPECT_EQ(m->options().size(), 6u);  // five options and the marker with the payload
}

TEST(Coap, ExtendedDeltasAndLengths) {
  const auto m = net::CoapMessage::parse(kExtended);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(numbers(*m), (std::vector<std::uint64_t>{35, 60}));
  const net::CoapOptionView proxy = m->options().front();
  EXPECT_EQ(proxy.delta(), 13);
  EXPECT_EQ(*proxy.delta_ext8(), 22);
  EXPECT_EQ(proxy.length(), 13);
  EXPECT_EQ(proxy.value_length(), 22u);
  EXPECT_EQ(proxy.value_text()->text(), "coap://proxy.example/a");
  auto it = m->options().begin();
  ++it;
  EXPECT_EQ((*it).value_uint()->value(), 1024u);

  const auto wide = net::CoapMessage::parse(kWideDeltas);
  ASSERT_TRUE(wide) << wide.error();
  EXPECT_EQ(numbers(*wide), (std::vector<std::uint64_t>{269, 65804}));
  EXPECT_EQ(fmt::format("{}", *wide->options().front().value_opaque()), "07");
}

TEST(Coap, RepeatedOptionsKeepTheirNumber) {
  const Bytes b = {0x42, 0x01, 0x00, 0x09, 0xaa, 0xbb, 0x11, 0x01, 0x00, 0x32, 0x11,
                   0x22, 0x01, 0x33, 0x23, 0x01, 0x02, 0x03, 0x51, 0x61, 0x01, 0x62,
                   0x01, 0x63, 0x43, 0x71, 0x3d, 0x31, 0x03, 0x72, 0x3d, 0x32};
  const auto m = net::CoapMessage::parse(b);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(numbers(*m), (std::vector<std::uint64_t>{1, 1, 4, 4, 6, 11, 11, 11, 15, 15}));
  std::vector<std::uint64_t> observe;
  for (const net::CoapOptionView o : m->options()) {
    if (o.number() == 6) observe.push_back(o.value_uint()->value());
  }
  EXPECT_EQ(observe, (std::vector<std::uint64_t>{0x010203}));
}

TEST(Coap, AMessageWithoutOptionsOrPayload) {
  const Bytes b = {0x60, 0x00, 0x00, 0x2a};  // ACK, empty, MID 42
  const auto m = net::CoapMessage::parse(b);
  ASSERT_TRUE(m) << m.error();
  EXPECT_TRUE(m->options().empty());
  EXPECT_EQ(m->message_type(), net::CoapType::ACKNOWLEDGEMENT);
}

// Cut at an option's end, a prefix is a message with fewer options; cut inside
// one, it is truncated naming that option; cut right after the marker, the
// payload is missing.
TEST(Coap, EveryPrefix) {
  std::size_t whole = 0;
  for (std::size_t n = 0; n < kGet.size(); ++n) {
    const Bytes prefix(kGet.begin(), kGet.begin() + static_cast<std::ptrdiff_t>(n));
    const auto m = net::CoapMessage::parse(prefix);
    if (m) {
      ++whole;
      EXPECT_GE(n, 8u);
      continue;
    }
    const lp::Error& e = m.error();
    if (n == 37) {  // 0xff alone
      EXPECT_EQ(e.code(), lp::errc::constraint_failed) << e;
      EXPECT_EQ(e.field_path(), "CoapMessage.options[5].payload");
    } else {
      EXPECT_EQ(e.code(), lp::errc::truncated) << n << ": " << e;
      EXPECT_GT(e.needed(), 0u);
    }
  }
  // After the token, after each of the five options, and a payload cut short.
  EXPECT_EQ(whole, 10u);
  const Bytes first25(kGet.begin(), kGet.begin() + 25);
  const auto cut = net::CoapMessage::parse(first25);
  EXPECT_EQ(fmt::format("{}", cut.error()),
            "truncated at byte 21: CoapMessage.options[1].value, 3 more bytes needed");
}

TEST(Coap, MessageFormatErrors) {
  const auto error = [](const Bytes& b) {
    const auto m = net::CoapMessage::parse(b);
    return m ? std::string("parsed") : fmt::format("{}", m.error());
  };
  EXPECT_EQ(error({0x49, 0x01, 0x00, 0x01}),
            "constraint failed at byte 0 bit 4: CoapMessage.token_length (token_length <= 8), "
            "got 9");
  EXPECT_EQ(error({0x80, 0x01, 0x00, 0x01}),
            "constraint failed at byte 0: CoapMessage.version (version == 1), got 2");
  EXPECT_EQ(error({0x40, 0x01, 0x00, 0x01, 0xb1, 0x61, 0xff}),
            "constraint failed at byte 7: CoapMessage.options[1].payload (size(payload) != 0)");
  EXPECT_EQ(error({0x40, 0x01, 0x00, 0x01, 0xf0}),
            "constraint failed at byte 4 bit 4: CoapMessage.options[0].length (delta != 15 || "
            "length == 15)");
  EXPECT_EQ(error({0x40, 0x01, 0x00, 0x01, 0x1f}),
            "constraint failed at byte 4 bit 4: CoapMessage.options[0].length (length != 15 || "
            "delta == 15)");
  // A uint option of five bytes (Max-Age, 14).
  EXPECT_EQ(error({0x40, 0x01, 0x00, 0x01, 0xd5, 0x01, 1, 2, 3, 4, 5}),
            "constraint failed at byte 6: CoapMessage.options[0].value.CoapUint (length <= 4)");
}

TEST(Coap, ALongOptionListCarriesItsNumbers) {
  Bytes b = {0x40, 0x01, 0x00, 0x01};
  std::uint64_t expected = 0;
  for (int i = 0; i < 3000; ++i) {
    const int delta = i % 3 == 0 ? 1 : 0;
    expected += static_cast<std::uint64_t>(delta);
    b.push_back(static_cast<std::uint8_t>(delta << 4 | 1));
    b.push_back(static_cast<std::uint8_t>(i));
  }
  const auto m = net::CoapMessage::parse(b);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->options().size(), 3000u);
  EXPECT_EQ(numbers(*m).back(), expected);
}

TEST(Coap, SerializeWritesTheSameBytes) {
  for (const Bytes& b : {kGet, kExtended, kWideDeltas}) {
    const auto m = net::CoapMessage::parse(b);
    ASSERT_TRUE(m) << m.error();
    const net::CoapMessageValue value = net::CoapMessage::to_value(*m);
    const auto size = net::CoapMessage::serialized_size(value);
    ASSERT_TRUE(size) << size.error();
    EXPECT_EQ(*size, b.size());
    const auto written = net::CoapMessage::serialize(value);
    ASSERT_TRUE(written) << written.error();
    EXPECT_EQ(written->size(), b.size());
    EXPECT_EQ(std::memcmp(written->data(), b.data(), b.size()), 0);
  }
}

TEST(Coap, TheMutViewWritesFieldsInPlace) {
  Bytes b = kGet;
  auto m =
      net::CoapMessage::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(b.data()), b.size()));
  ASSERT_TRUE(m) << m.error();
  m->set_message_id(0xbeef);
  for (net::CoapOptionMut o : m->options_mut()) {
    // Accept (17) becomes 18; the marker after it has its number too.
    if (o.number() == 17 && o.delta() != 15) o.set_delta(6);
  }
  const auto again = net::CoapMessage::parse(b);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->message_id(), 0xbeef);
  EXPECT_EQ(numbers(*again), (std::vector<std::uint64_t>{3, 11, 11, 12, 18}));
}

}  // namespace
