// The walk's DNS layer (tools/lpdump/walk/dns.cpp) and dns_name.hpp.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dns_name.hpp"
#include "frames.hpp"

namespace {

using namespace lpdump_test;

// A response whose answer names the question through a pointer to offset 12,
// and a CNAME whose pointer points at itself (a loop): null.
TEST(LpdumpDns, DnsCompressedNamesAndLoops) {
  const Bytes header = cat({be16(0xabcd), be16(0x8180), be16(1), be16(2), be16(0), be16(0)});
  const Bytes question = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
  const Bytes a =
      cat({{0xc0, 0x0c}, be16(1), be16(1), {0, 0, 0x0e, 0x10}, be16(4), {93, 184, 216, 34}});
  // Second answer at offset 12 + 17 + 16 = 45: its owner name is a pointer to 45.
  const Bytes loop = cat({{0xc0, 45}, be16(5), be16(1), {0, 0, 0, 60}, be16(2), {0xc0, 0x0c}});
  const Bytes dns = cat({header, question, a, loop});
  const std::string json = dissect_json(ethernet(0x0800, ipv4(17, udp(40000, 53, dns))));
  EXPECT_HAS(json,
             R"("dns.id":43981,"dns.flags":33152,"dns.count.queries":1,"dns.count.answers":2)");
  EXPECT_HAS(json, R"("dns.qd.name":["example.com"],"dns.qd.type":[1],"dns.qd.class":[1])");
  EXPECT_HAS(json, R"("dns.an.name":["example.com",null])");
  EXPECT_HAS(json, R"("dns.an.ttl":[3600,60])");
  EXPECT_HAS(json, R"("dns.an.data":["93.184.216.34","example.com"])");
  EXPECT_HAS(json, R"("layers":["eth","ip","udp","dns"])");
}

// The lists of a section are written from what one walk kept, or, for a
// section declaring more than the walk keeps (32), by walking it per list:
// both give the same lists.
TEST(LpdumpDns, DnsLargeSectionsListTheSameWay) {
  const auto message = [](unsigned answers) {
    Bytes dns = cat({be16(1), be16(0x8180), be16(1), be16(answers), be16(0), be16(0)});
    dns = cat({dns, {1, 'x', 0, 0, 16, 0, 1}});  // x, TXT, IN
    for (unsigned i = 0; i < answers; ++i) {
      dns = cat({dns, {0xc0, 0x0c}, be16(i % 2 == 0 ? 1 : 16), be16(1), {0, 0, 0, 9}});
      dns = cat({dns, i % 2 == 0 ? cat({be16(4), {192, 0, 2, static_cast<std::uint8_t>(i)}})
                                 : cat({be16(3), {2, 'h', 'i'}})});
    }
    return dissect_json(ethernet(0x0800, ipv4(17, udp(53, 40000, dns))));
  };
  for (const unsigned answers : {32u, 33u}) {
    const std::string json = message(answers);
    std::string names = R"("dns.an.name":[)";
    std::string data = R"("dns.an.data":[)";
    for (unsigned i = 0; i < answers; ++i) {
      names += i == 0 ? "\"x\"" : ",\"x\"";
      if (i != 0) data += ',';
      data += i % 2 == 0 ? fmt::format("\"192.0.2.{}\"", i) : std::string(R"(["hi"])");
    }
    EXPECT_HAS(json, names + "]");
    EXPECT_HAS(json, data + "]");
    EXPECT_HAS(json, R"("dns.qd.name":["x"],"dns.qd.type":[16],"dns.qd.class":[1])");
  }
}

TEST(LpdumpDns, DnsNameEscapesAndRoot) {
  const Bytes message = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 'a', 0x01, 0};
  const auto name = net::DnsName::parse(lp::bytes(message.data() + 12, 4));
  ASSERT_TRUE(name);
  lpdump::NameText text;
  ASSERT_TRUE(lpdump::decode_dns_name(lp::bytes(message.data(), message.size()), *name, text));
  EXPECT_EQ(std::string(text.data(), text.size()), "a\\001");
  // BEL to CR take C's letters in tshark's escapes, other controls octal.
  const Bytes controls = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0x07, 0x09, 0x0d, 0x1f, 0};
  const auto escaped = net::DnsName::parse(lp::bytes(controls.data() + 12, 6));
  ASSERT_TRUE(escaped);
  text.clear();
  ASSERT_TRUE(lpdump::decode_dns_name(lp::bytes(controls.data(), controls.size()), *escaped, text));
  EXPECT_EQ(std::string(text.data(), text.size()), "\\a\\t\\r\\037");
  const Bytes root = {0};
  const auto empty = net::DnsName::parse(lp::bytes(root.data(), root.size()));
  ASSERT_TRUE(empty);
  text.clear();
  ASSERT_TRUE(lpdump::decode_dns_name(lp::bytes(root.data(), root.size()), *empty, text));
  EXPECT_EQ(std::string(text.data(), text.size()), ".");
}

}  // namespace
