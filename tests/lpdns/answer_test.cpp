// answer() on queries built byte by byte against the test zone, each reply read
// back through the generated net::Dns views. The expected replies are what Knot
// 3.2 answers for the same zone and query (checked by hand with knotd and dig;
// tests/lpdns/compare runs the full comparison).
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "answer.hpp"
#include "dns_text.hpp"
#include "test_zone.hpp"

namespace lpdns_test {
namespace {

using Strings = std::vector<std::string>;

Reply ask(const Bytes& q, lpdns::Transport transport = lpdns::Transport::udp,
          const lpdns::AnswerOptions& options = {}) {
  std::vector<std::byte> out(65535);
  const std::size_t n = lpdns::answer(test_zone(), lp::bytes(q), transport, out, options);
  EXPECT_NE(n, 0u) << "no reply";
  return read_reply(lp::bytes(out.data(), n));
}

Reply ask(const QuerySpec& spec, lpdns::Transport transport = lpdns::Transport::udp) {
  return ask(query(spec), transport);
}

TEST(Answer, AddressFound) {
  const Reply r = ask(QuerySpec{.name = "ns1.example.com"});
  EXPECT_EQ(r.id, 0x1234);
  EXPECT_TRUE(r.qr);
  EXPECT_TRUE(r.aa);
  EXPECT_FALSE(r.tc);
  EXPECT_TRUE(r.rd);
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_EQ(r.question, Strings{"ns1.example.com. A 1"});
  EXPECT_EQ(r.answer, Strings{"ns1.example.com. 3600 A 192.0.2.53"});
  EXPECT_TRUE(r.authority.empty());
  EXPECT_TRUE(r.additional.empty());
}

TEST(Answer, NxdomainCarriesTheSoaWithTheMinimumTtl) {
  const Reply r = ask(QuerySpec{.name = "nothere.example.com"});
  EXPECT_EQ(r.rcode, 3u);
  EXPECT_TRUE(r.aa);
  EXPECT_TRUE(r.answer.empty());
  EXPECT_EQ(r.authority, Strings{"example.com. 300 SOA ns1.example.com. hostmaster.example.com. "
                                 "2024061501 7200 3600 1209600 300"});
}

TEST(Answer, CnameChainInsideTheZone) {
  const Reply r = ask(QuerySpec{.name = "chain1.example.com"});
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_TRUE(r.aa);
  EXPECT_EQ(r.answer,
            (Strings{"chain1.example.com. 3600 CNAME chain2.example.com.",
                     "chain2.example.com. 3600 CNAME web.example.com.",
                     "web.example.com. 3600 A 192.0.2.80", "web.example.com. 3600 A 192.0.2.81"}));
}

TEST(Answer, Referral) {
  const Reply r = ask(QuerySpec{.name = "x.sub.example.com"});
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_FALSE(r.aa);
  EXPECT_TRUE(r.answer.empty());
  EXPECT_EQ(r.authority, (Strings{"sub.example.com. 3600 NS ns.outside.example.org.",
                                  "sub.example.com. 3600 NS ns1.sub.example.com."}));
  EXPECT_EQ(r.additional, (Strings{"ns1.sub.example.com. 3600 A 192.0.2.201",
                                   "ns1.sub.example.com. 3600 AAAA 2001:db8::201"}));
}

TEST(Answer, NoReplyToAResponseOrAShortMessage) {
  std::array<std::byte, 512> out{};
  QuerySpec spec;
  spec.flags = 0x8100;
  const Bytes response = query(spec);
  EXPECT_EQ(lpdns::answer(test_zone(), lp::bytes(response), lpdns::Transport::udp, out), 0u);
  const Bytes q = query(QuerySpec{});
  EXPECT_EQ(lpdns::answer(test_zone(), lp::bytes(q.data(), 11), lpdns::Transport::udp, out), 0u);
}

}  // namespace
}  // namespace lpdns_test
