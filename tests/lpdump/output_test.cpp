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
  // A pcap fraction out of range, as tshark prints it: not normalised, and
  // negative past 2^31 (a signed 32-bit count of nanoseconds).
  b.clear();
  lpdump::append_epoch(b, 5, 1'000'000'000);
  EXPECT_EQ(text(b), "5.1000000000");
  b.clear();
  lpdump::append_epoch(b, 5, 0xFFFF'FFFF);
  EXPECT_EQ(text(b), "-5.000000001");
  b.clear();
  lpdump::append_epoch(b, 18'446'744'073'709'551'615u, 0x8000'0000);
  EXPECT_EQ(text(b), "-18446744073709551615.2147483648");
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

// Strings go through the runtime's one JSON string rule (lp::append_json_string,
// tested in tests/runtime/format_test.cpp).
TEST(LpdumpJsonWriter, StringsFollowTheRuntimesRule) {
  fmt::memory_buffer b;
  lpdump::JsonWriter w(b);
  w.begin_frame();
  w.section("frame");
  w.begin_list("comment");
  w.item_str(
      std::string_view("a\"b\x01"
                       "caf\xc3\xa9\xff",
                       10));
  w.end_list();
  w.end_frame();
  EXPECT_EQ(text(b), R"({"frame.comment":["a\"b\u0001caf)"
                     "\xc3\xa9"
                     R"(\ufffd"],"layers":[]})"
                     "\n");
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

// Flag words decoded as tshark 4.0's -V shows them (its text copied from its
// output on the same values).
std::string tree_flags(lpdump::FlagWord word, std::uint64_t value) {
  fmt::memory_buffer b;
  lpdump::TreeWriter w(b);
  w.flags("flags", value, word);
  return text(b);
}

TEST(LpdumpTreeWriter, DecodesIpFlags) {
  EXPECT_EQ(tree_flags(lpdump::FlagWord::ip, 2),
            "    flags: 0x2, Don't fragment\n"
            "        0... .... = Reserved bit: Not set\n"
            "        .1.. .... = Don't fragment: Set\n"
            "        ..0. .... = More fragments: Not set\n");
  EXPECT_TRUE(tree_flags(lpdump::FlagWord::ip, 0).starts_with("    flags: 0x0\n        0..."));
  EXPECT_NE(tree_flags(lpdump::FlagWord::ip, 7)
                .find("0x7, Reserved bit, Don't fragment, More fragments\n"),
            std::string::npos);
}

TEST(LpdumpTreeWriter, DecodesTcpFlags) {
  EXPECT_EQ(tree_flags(lpdump::FlagWord::tcp, 0x018),
            "    flags: 0x018 (PSH, ACK)\n"
            "        000. .... .... = Reserved: Not set\n"
            "        ...0 .... .... = Accurate ECN: Not set\n"
            "        .... 0... .... = Congestion Window Reduced: Not set\n"
            "        .... .0.. .... = ECN-Echo: Not set\n"
            "        .... ..0. .... = Urgent: Not set\n"
            "        .... ...1 .... = Acknowledgment: Set\n"
            "        .... .... 1... = Push: Set\n"
            "        .... .... .0.. = Reset: Not set\n"
            "        .... .... ..0. = Syn: Not set\n"
            "        .... .... ...0 = Fin: Not set\n"
            "        [TCP Flags: \xC2\xB7\xC2\xB7\xC2\xB7\xC2\xB7\xC2\xB7\xC2\xB7\xC2\xB7"
            "AP\xC2\xB7\xC2\xB7\xC2\xB7]\n");
  EXPECT_TRUE(tree_flags(lpdump::FlagWord::tcp, 0).starts_with("    flags: 0x000 (<None>)\n"));
  const std::string all = tree_flags(lpdump::FlagWord::tcp, 0xfff);
  EXPECT_NE(all.find("0xfff (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved)\n"),
            std::string::npos);
  EXPECT_NE(all.find("111. .... .... = Reserved: Set\n"), std::string::npos);
  EXPECT_NE(all.find("[TCP Flags: RRRACEUAPRSF]\n"), std::string::npos);
}

TEST(LpdumpTreeWriter, DecodesDnsFlags) {
  // A query shows neither the answer's bits nor the reply code.
  EXPECT_EQ(tree_flags(lpdump::FlagWord::dns, 0x0100),
            "    flags: 0x0100 Standard query\n"
            "        0... .... .... .... = Response: Message is a query\n"
            "        .000 0... .... .... = Opcode: Standard query (0)\n"
            "        .... ..0. .... .... = Truncated: Message is not truncated\n"
            "        .... ...1 .... .... = Recursion desired: Do query recursively\n"
            "        .... .... .0.. .... = Z: reserved (0)\n"
            "        .... .... ...0 .... = Non-authenticated data: Unacceptable\n");
  EXPECT_EQ(tree_flags(lpdump::FlagWord::dns, 0x8180),
            "    flags: 0x8180 Standard query response, No error\n"
            "        1... .... .... .... = Response: Message is a response\n"
            "        .000 0... .... .... = Opcode: Standard query (0)\n"
            "        .... .0.. .... .... = Authoritative: Server is not an authority for domain\n"
            "        .... ..0. .... .... = Truncated: Message is not truncated\n"
            "        .... ...1 .... .... = Recursion desired: Do query recursively\n"
            "        .... .... 1... .... = Recursion available: Server can do recursive queries\n"
            "        .... .... .0.. .... = Z: reserved (0)\n"
            "        .... .... ..0. .... = Answer authenticated: Answer/authority portion was "
            "not authenticated by the server\n"
            "        .... .... ...0 .... = Non-authenticated data: Unacceptable\n"
            "        .... .... .... 0000 = Reply code: No error (0)\n");
  const std::string odd = tree_flags(lpdump::FlagWord::dns, 0xffff);
  EXPECT_NE(odd.find("0xffff Unknown operation response, Unknown error\n"), std::string::npos);
  EXPECT_NE(odd.find(".111 1... .... .... = Opcode: Unknown (15)\n"), std::string::npos);
  EXPECT_NE(odd.find(".... .... .1.. .... = Z: reserved - incorrect!\n"), std::string::npos);
  EXPECT_NE(odd.find(".... .... .... 1111 = Reply code: Unknown (15)\n"), std::string::npos);
  EXPECT_NE(tree_flags(lpdump::FlagWord::dns, 0xb003)
                .find("0xb003 DNS Stateful operations (DSO) response, No such name\n"),
            std::string::npos);
}

// The JSON output keeps the number.
TEST(LpdumpJsonWriter, FlagWordsAreNumbers) {
  fmt::memory_buffer b;
  lpdump::JsonWriter w(b);
  w.begin_frame();
  w.layer(lpdump::Layer::tcp);
  w.flags("flags", 0x018, lpdump::FlagWord::tcp);
  w.end_frame();
  EXPECT_EQ(text(b), "{\"tcp.flags\":24,\"layers\":[\"tcp\"]}\n");
}

}  // namespace
