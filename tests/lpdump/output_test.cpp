// lpdump's writers and value formats (tools/lpdump/output.hpp).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

#include "libparse/format.hpp"
#include "output.hpp"

namespace {

std::string text(const fmt::memory_buffer& b) { return std::string(b.data(), b.size()); }

template <std::size_t N>
lp::bytes view(const std::array<std::uint8_t, N>& a) {
  return lp::bytes(a.data(), a.size());
}

std::string ipv6(std::array<std::uint8_t, 16> octets) {
  fmt::memory_buffer b;
  lpdump::append_ipv6(b, view(octets));
  return text(b);
}

TEST(LpdumpFormat, Ipv6FollowsRfc5952) {
  EXPECT_EQ(ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), "2001:db8::1");
  EXPECT_EQ(ipv6({}), "::");
  EXPECT_EQ(ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), "::1");
  EXPECT_EQ(ipv6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), "fe80::");
  // A single zero group stays "0"; of two equal runs the first is compressed.
  EXPECT_EQ(ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}),
            "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(ipv6({0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}), "2001:0:0:1::1");
  EXPECT_EQ(ipv6({0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1}), "2001::1:0:0:1:1");
}

TEST(LpdumpFormat, MacAndIpv4) {
  fmt::memory_buffer b;
  lpdump::append_mac(b, view(std::array<std::uint8_t, 6>{0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10}));
  EXPECT_EQ(text(b), "00:1b:21:3a:4f:10");
  b.clear();
  lpdump::append_ipv4(b, view(std::array<std::uint8_t, 4>{192, 0, 2, 255}));
  EXPECT_EQ(text(b), "192.0.2.255");
}

TEST(LpdumpFormat, JsonStringEscapes) {
  fmt::memory_buffer b;
  lpdump::append_json_string(b, std::string_view("a\"b\\c\x01\n", 7));
  EXPECT_EQ(text(b), R"("a\"b\\c\u0001\u000a")");
  b.clear();
  lpdump::append_json_string(b, "caf\xc3\xa9");  // valid UTF-8 passes through
  EXPECT_EQ(text(b), "\"caf\xc3\xa9\"");
  b.clear();
  lpdump::append_json_string(b, "x\xff\xc3");  // not UTF-8: replacement characters
  EXPECT_EQ(text(b), R"("x\ufffd\ufffd")");
}

// The word-at-a-time scan of append_json_string finds every byte that needs
// an escape, wherever it falls in a word.
TEST(LpdumpFormat, JsonStringEscapesAtEveryPosition) {
  for (const char special : {'"', '\\', '\x01', '\x1f', '\x7f'}) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string plain(20, 'a');
      plain[at] = special;
      fmt::memory_buffer b;
      lpdump::append_json_string(b, plain);
      std::string expected(1, '"');
      expected.append(at, 'a');
      if (special == '"' || special == '\\') {
        expected += std::string("\\") + special;
      } else {
        expected += fmt::format("\\u{:04x}", static_cast<unsigned char>(special));
      }
      expected.append(19 - at, 'a');
      expected += '"';
      EXPECT_EQ(text(b), expected) << int(special) << " at " << at;
    }
  }
  fmt::memory_buffer b;
  lpdump::append_json_string(b, "0123456789abcdef\xc3\xa9");  // UTF-8 after two plain words
  EXPECT_EQ(text(b), "\"0123456789abcdef\xc3\xa9\"");
  b.clear();
  lpdump::append_json_string(b, "0123456789abcdef\xff");
  EXPECT_EQ(text(b), R"("0123456789abcdef\ufffd")");
}

TEST(LpdumpFormat, Integers) {
  fmt::memory_buffer b;
  for (const std::uint64_t v :
       {std::uint64_t{0}, std::uint64_t{9}, std::uint64_t{10}, std::uint64_t{99},
        std::uint64_t{100}, std::uint64_t{65535}, std::uint64_t{4294967295u},
        std::uint64_t{4294967296u}, std::uint64_t{18446744073709551615u}}) {
    b.clear();
    lpdump::append_uint(b, v);
    EXPECT_EQ(text(b), std::to_string(v));
  }
  // Every power of ten and the number before it: the digit count's edges.
  for (std::uint64_t p = 10; p != 0 && p <= 10'000'000'000'000'000'000u; p *= 10) {
    for (const std::uint64_t v : {p - 1, p, p + 1}) {
      b.clear();
      lpdump::append_uint(b, v);
      EXPECT_EQ(text(b), std::to_string(v));
    }
    if (p == 10'000'000'000'000'000'000u) break;
  }
  b.clear();
  lpdump::append_epoch(b, 1700000000, 5);
  EXPECT_EQ(text(b), "1700000000.000000005");
}

TEST(LpdumpJsonWriter, KeysListsInstancesAndLayers) {
  fmt::memory_buffer b;
  lpdump::JsonWriter w(b);
  w.begin_frame();
  w.section("frame");
  w.u("number", 7);
  w.layer(lpdump::Layer::vlan);
  w.u("id", 10);
  w.layer(lpdump::Layer::vlan);
  w.u("id", 20);
  w.layer(lpdump::Layer::dns);
  w.begin_list("an.data");
  w.item_str("192.0.2.1");
  w.item_null();
  w.begin_item_list();
  w.item_str("v=spf1");
  w.end_list();
  w.end_list();
  w.end_frame();
  EXPECT_EQ(
      text(b),
      R"({"frame.number":7,"vlan.id":10,"vlan#2.id":20,"dns.an.data":["192.0.2.1",null,["v=spf1"]],)"
      R"("layers":["vlan","vlan","dns"]})"
      "\n");
  EXPECT_TRUE(w.chain().contains(lpdump::Layer::dns));
  EXPECT_FALSE(w.chain().contains(lpdump::Layer::tcp));
}

TEST(LpdumpJsonWriter, KeepsTheFirstErrorOnly) {
  fmt::memory_buffer b;
  lpdump::JsonWriter w(b);
  w.begin_frame();
  w.layer(lpdump::Layer::ip);
  w.error(lp::Error(lp::errc::truncated, "Ipv4.ttl", 8).with_needed(1));
  w.error(lp::Error(lp::errc::constraint_failed, "x", 0));
  w.end_frame();
  const std::string out = text(b);
  EXPECT_TRUE(w.has_error());
  EXPECT_NE(out.find("\"_error\":\"truncated"), std::string::npos) << out;
  EXPECT_EQ(out.find("constraint"), std::string::npos) << out;
}

TEST(LpdumpTreeWriter, IndentsFieldsUnderLayers) {
  fmt::memory_buffer b;
  lpdump::TreeWriter w(b);
  w.begin_frame();
  w.layer(lpdump::Layer::udp);
  w.u("srcport", 53);
  w.begin_list("qd.type");
  w.item(1);
  w.item(28);
  w.end_list();
  w.end_frame();
  EXPECT_EQ(text(b), "udp\n    srcport: 53\n    qd.type: [1, 28]\n\n");
}

}  // namespace
