// answer() on queries built byte by byte against the test zone, each reply read
// back through the generated net::Dns views. The expected replies are what
// Knot 3.2 answers for the same zone and query (checked by hand with knotd and
// dig; tests/lpdns/compare compares the two servers on a whole zone).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "alloc_counter.hpp"  // bench/
#include "answer.hpp"
#include "dns_text.hpp"
#include "test_zone.hpp"

namespace lpdns_test {
namespace {

using Strings = std::vector<std::string>;
using lpdns::Transport;

constexpr std::uint16_t A = 1, NS = 2, CNAME = 5, SOA = 6, MX = 15, TXT = 16, AAAA = 28, SRV = 33,
                        DS = 43, ANY = 255;

const std::string soa_300 =
    "example.com. 300 SOA ns1.example.com. hostmaster.example.com. 2024061501 7200 3600 1209600 "
    "300";

std::size_t answer_into(const Bytes& q, std::vector<std::byte>& out,
                        Transport transport = Transport::udp,
                        const lpdns::AnswerOptions& options = {}) {
  return lpdns::answer(test_zone(), lp::bytes(q), transport, out, options);
}

Reply ask(const Bytes& q, Transport transport = Transport::udp,
          const lpdns::AnswerOptions& options = {}) {
  std::vector<std::byte> out(65535);
  const std::size_t n = answer_into(q, out, transport, options);
  EXPECT_NE(n, 0u) << "no reply";
  return read_reply(lp::bytes(out.data(), n));
}

Reply ask(const QuerySpec& spec, Transport transport = Transport::udp) {
  return ask(query(spec), transport);
}

bool no_reply(const Bytes& q, Transport transport = Transport::udp) {
  std::vector<std::byte> out(65535);
  return answer_into(q, out, transport) == 0;
}

QuerySpec with_edns(QuerySpec spec, Edns edns = {}) {
  spec.edns = edns;
  return spec;
}

// --- Answers from the zone ------------------------------------------------

TEST(LpdnsAnswer, AddressFound) {
  const Reply r = ask(QuerySpec{.name = "ns1.example.com"});
  EXPECT_EQ(r.id, 0x1234);
  EXPECT_TRUE(r.qr);
  EXPECT_EQ(r.opcode, 0u);
  EXPECT_TRUE(r.aa);
  EXPECT_FALSE(r.tc);
  EXPECT_TRUE(r.rd);
  EXPECT_FALSE(r.ra);
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_EQ(r.question, Strings{"ns1.example.com. A 1"});
  EXPECT_EQ(r.answer, Strings{"ns1.example.com. 3600 A 192.0.2.53"});
  EXPECT_TRUE(r.authority.empty());
  EXPECT_TRUE(r.additional.empty());
  EXPECT_EQ(ask(QuerySpec{.name = "ns1.example.com", .qtype = AAAA}).answer,
            Strings{"ns1.example.com. 3600 AAAA 2001:db8::53"});
}

TEST(LpdnsAnswer, HeaderFlagsOfTheQueryAreNotCopiedExceptRd) {
  // AA, TC, RD, RA, Z, AD, CD and an RCODE set in the query.
  const Reply r = ask(QuerySpec{.name = "ns1.example.com", .id = 0xbeef, .flags = 0x07ff});
  EXPECT_EQ(r.id, 0xbeef);
  EXPECT_TRUE(r.aa);
  EXPECT_FALSE(r.tc);
  EXPECT_TRUE(r.rd);
  EXPECT_FALSE(r.ra);
  EXPECT_FALSE(r.ad);
  EXPECT_FALSE(r.cd);
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_FALSE(ask(QuerySpec{.name = "ns1.example.com", .flags = 0}).rd);
}

TEST(LpdnsAnswer, NamesAreCaseInsensitiveAndTheQuestionIsEchoedAsSent) {
  const Reply r = ask(QuerySpec{.name = "NS1.Example.COM"});
  EXPECT_EQ(r.question, Strings{"NS1.Example.COM. A 1"});
  // The answer's owner points at the question, so it reads in the query's case.
  EXPECT_EQ(r.answer, Strings{"NS1.Example.COM. 3600 A 192.0.2.53"});
  EXPECT_EQ(ask(QuerySpec{.name = "MIXED-case.example.com"}).answer,
            Strings{"MIXED-case.example.com. 3600 A 192.0.2.27"});
}

TEST(LpdnsAnswer, NxdomainCarriesTheSoaWithTheMinimumTtl) {
  const Reply r = ask(QuerySpec{.name = "nothere.example.com"});
  EXPECT_EQ(r.rcode, 3u);
  EXPECT_TRUE(r.aa);
  EXPECT_TRUE(r.answer.empty());
  EXPECT_EQ(r.authority, Strings{soa_300});
  EXPECT_EQ(ask(QuerySpec{.name = "a.b.nothere.example.com"}).rcode, 3u);
}

TEST(LpdnsAnswer, NodataCarriesTheSoa) {
  const Reply r = ask(QuerySpec{.name = "ns1.example.com", .qtype = MX});
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_TRUE(r.aa);
  EXPECT_TRUE(r.answer.empty());
  EXPECT_EQ(r.authority, Strings{soa_300});
  // An empty non-terminal exists: NODATA, not NXDOMAIN.
  const Reply ent = ask(QuerySpec{.name = "_tcp.example.com"});
  EXPECT_EQ(ent.rcode, 0u);
  EXPECT_EQ(ent.authority, Strings{soa_300});
}

TEST(LpdnsAnswer, NegativeTtlIsTheSoaTtlWhenSmallerThanTheMinimum) {
  const lpdns::ZoneResult zone = lpdns::load_zone_text(
      "@ 60 SOA ns1 hostmaster 1 2 3 4 300\n@ NS ns1\nns1 A 192.0.2.1\n", "z", "example.com");
  ASSERT_TRUE(zone);
  std::vector<std::byte> out(512);
  const Bytes q = query(QuerySpec{.name = "nx.example.com"});
  const std::size_t n = lpdns::answer(*zone, lp::bytes(q), Transport::udp, out);
  EXPECT_EQ(read_reply(lp::bytes(out.data(), n)).authority,
            Strings{"example.com. 60 SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 300"});
}

TEST(LpdnsAnswer, CnameChainInsideTheZone) {
  const Reply r = ask(QuerySpec{.name = "chain1.example.com"});
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_TRUE(r.aa);
  EXPECT_EQ(r.answer,
            (Strings{"chain1.example.com. 3600 CNAME chain2.example.com.",
                     "chain2.example.com. 3600 CNAME web.example.com.",
                     "web.example.com. 3600 A 192.0.2.80", "web.example.com. 3600 A 192.0.2.81"}));
  EXPECT_TRUE(r.authority.empty());
}

TEST(LpdnsAnswer, CnameEndings) {
  // Out of the zone: the CNAME alone.
  EXPECT_EQ(ask(QuerySpec{.name = "outside.example.com"}).answer,
            Strings{"outside.example.com. 3600 CNAME www.example.org."});
  // To a name that does not exist: NXDOMAIN for the target (RFC 6604).
  const Reply dangling = ask(QuerySpec{.name = "dangling.example.com"});
  EXPECT_EQ(dangling.rcode, 3u);
  EXPECT_TRUE(dangling.aa);
  EXPECT_EQ(dangling.answer, Strings{"dangling.example.com. 3600 CNAME nowhere.example.com."});
  EXPECT_EQ(dangling.authority, Strings{soa_300});
  // To an empty non-terminal: NODATA.
  const Reply ent = ask(QuerySpec{.name = "to-ent.example.com"});
  EXPECT_EQ(ent.rcode, 0u);
  EXPECT_EQ(ent.answer, Strings{"to-ent.example.com. 3600 CNAME _tcp.example.com."});
  EXPECT_EQ(ent.authority, Strings{soa_300});
  // A loop: each CNAME once, then stop.
  const Reply loop = ask(QuerySpec{.name = "loop1.example.com"});
  EXPECT_EQ(loop.rcode, 0u);
  EXPECT_EQ(loop.answer, (Strings{"loop1.example.com. 3600 CNAME loop2.example.com.",
                                  "loop2.example.com. 3600 CNAME loop1.example.com."}));
  // Longer than 5 links: the first 5, then stop (Knot's CNAME_CHAIN_MAX).
  const Reply chain = ask(QuerySpec{.name = "link1.example.com"});
  EXPECT_EQ(chain.rcode, 0u);
  EXPECT_EQ(chain.answer.size(), 5u);
  EXPECT_EQ(chain.answer.back(), "link5.example.com. 3600 CNAME link6.example.com.");
  // QTYPE CNAME and ANY: the CNAME itself, not followed.
  EXPECT_EQ(ask(QuerySpec{.name = "www.example.com", .qtype = CNAME}).answer,
            Strings{"www.example.com. 3600 CNAME web.example.com."});
  EXPECT_EQ(ask(QuerySpec{.name = "www.example.com", .qtype = ANY}).answer,
            Strings{"www.example.com. 3600 CNAME web.example.com."});
  // Below a CNAME nothing exists.
  EXPECT_EQ(ask(QuerySpec{.name = "x.www.example.com"}).rcode, 3u);
}

TEST(LpdnsAnswer, CnameIntoADelegationIsAuthoritativeWithTheReferral) {
  const Reply r = ask(QuerySpec{.name = "into-sub.example.com"});
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_TRUE(r.aa);
  EXPECT_EQ(r.answer, Strings{"into-sub.example.com. 3600 CNAME host.sub.example.com."});
  EXPECT_EQ(r.authority, (Strings{"sub.example.com. 3600 NS ns.outside.example.org.",
                                  "sub.example.com. 3600 NS ns1.sub.example.com."}));
  EXPECT_EQ(r.additional, (Strings{"ns1.sub.example.com. 3600 A 192.0.2.201",
                                   "ns1.sub.example.com. 3600 AAAA 2001:db8::201"}));
}

TEST(LpdnsAnswer, Referral) {
  const Strings ns{"sub.example.com. 3600 NS ns.outside.example.org.",
                   "sub.example.com. 3600 NS ns1.sub.example.com."};
  const Strings glue{"ns1.sub.example.com. 3600 A 192.0.2.201",
                     "ns1.sub.example.com. 3600 AAAA 2001:db8::201"};
  // Below the cut, at it, for its NS, and for data occluded by it.
  for (const QuerySpec& spec :
       {QuerySpec{.name = "x.sub.example.com"}, QuerySpec{.name = "sub.example.com"},
        QuerySpec{.name = "sub.example.com", .qtype = NS},
        QuerySpec{.name = "host.sub.example.com"}, QuerySpec{.name = "a.b.sub.example.com"},
        // An NS below the cut is occluded: the referral names the cut above it.
        QuerySpec{.name = "inner.sub.example.com"}, QuerySpec{.name = "x.inner.sub.example.com"}}) {
    SCOPED_TRACE(spec.name);
    const Reply r = ask(spec);
    EXPECT_EQ(r.rcode, 0u);
    EXPECT_FALSE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.authority, ns);
    EXPECT_EQ(r.additional, glue);
  }
  // Without glue in the zone.
  const Reply ext = ask(QuerySpec{.name = "www.ext.example.com"});
  EXPECT_FALSE(ext.aa);
  EXPECT_EQ(ext.authority, Strings{"ext.example.com. 3600 NS ns1.outside.example.org."});
  EXPECT_TRUE(ext.additional.empty());
}

TEST(LpdnsAnswer, DsAtTheCutIsTheParentsNodata) {
  const Reply r = ask(QuerySpec{.name = "sub.example.com", .qtype = DS});
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_TRUE(r.aa);
  EXPECT_EQ(r.authority, Strings{soa_300});
  // Below the cut a DS query is referred like any other.
  EXPECT_FALSE(ask(QuerySpec{.name = "x.sub.example.com", .qtype = DS}).aa);
}

TEST(LpdnsAnswer, AdditionalAddressesForNsMxAndSrvTargets) {
  const Reply ns = ask(QuerySpec{.name = "example.com", .qtype = NS});
  EXPECT_EQ(ns.answer, (Strings{"example.com. 3600 NS ns.outside.example.org.",
                                "example.com. 3600 NS ns1.example.com.",
                                "example.com. 3600 NS ns2.example.com."}));
  EXPECT_EQ(ns.additional, (Strings{"ns1.example.com. 3600 A 192.0.2.53",
                                    "ns1.example.com. 3600 AAAA 2001:db8::53",
                                    "ns2.example.com. 600 A 192.0.2.54"}));
  const Reply mx = ask(QuerySpec{.name = "example.com", .qtype = MX});
  EXPECT_EQ(mx.answer, (Strings{"example.com. 3600 MX 10 mail.example.com.",
                                "example.com. 3600 MX 20 mx.outside.example.org."}));
  EXPECT_EQ(mx.additional, (Strings{"mail.example.com. 3600 A 192.0.2.25",
                                    "mail.example.com. 3600 AAAA 2001:db8::25"}));
  const Reply srv = ask(QuerySpec{.name = "_sip._tcp.example.com", .qtype = SRV});
  EXPECT_EQ(srv.answer, (Strings{"_sip._tcp.example.com. 3600 SRV 10 60 5060 sip.example.com.",
                                 "_sip._tcp.example.com. 3600 SRV 20 40 5060 "
                                 "sip-backup.example.com."}));
  EXPECT_EQ(srv.additional, (Strings{"sip.example.com. 3600 A 192.0.2.60",
                                     "sip-backup.example.com. 3600 AAAA 2001:db8::61"}));
}

TEST(LpdnsAnswer, Wildcards) {
  const Reply a = ask(QuerySpec{.name = "anything.wild.example.com"});
  EXPECT_EQ(a.rcode, 0u);
  EXPECT_TRUE(a.aa);
  EXPECT_EQ(a.answer, Strings{"anything.wild.example.com. 3600 A 192.0.2.99"});
  EXPECT_EQ(ask(QuerySpec{.name = "a.b.wild.example.com", .qtype = TXT}).answer,
            Strings{"a.b.wild.example.com. 3600 TXT \"wild\""});
  const Reply nodata = ask(QuerySpec{.name = "x.wild.example.com", .qtype = MX});
  EXPECT_EQ(nodata.rcode, 0u);
  EXPECT_EQ(nodata.authority, Strings{soa_300});
  // The parent of the wildcard is an empty non-terminal.
  EXPECT_EQ(ask(QuerySpec{.name = "wild.example.com"}).authority, Strings{soa_300});
}

TEST(LpdnsAnswer, AnyGivesOneRRsetAsRfc8482Allows) {
  // The node's first RRset in type order, as Knot does: A (1) at the apex.
  const Reply r = ask(QuerySpec{.name = "example.com", .qtype = ANY});
  EXPECT_TRUE(r.aa);
  EXPECT_EQ(r.answer, Strings{"example.com. 3600 A 192.0.2.1"});
  EXPECT_EQ(ask(QuerySpec{.name = "_tcp.example.com", .qtype = ANY}).authority, Strings{soa_300});
}

TEST(LpdnsAnswer, TxtStrings) {
  EXPECT_EQ(ask(QuerySpec{.name = "txt.example.com", .qtype = TXT}).answer,
            Strings{"txt.example.com. 3600 TXT \"first string\" \"second\" \"plain\""});
  EXPECT_EQ(ask(QuerySpec{.name = "escapes.example.com", .qtype = TXT}).answer,
            Strings{"escapes.example.com. 3600 TXT \"quote \" backslash \\ semicolon ; decimal "
                    "ABC\""});
  EXPECT_EQ(ask(QuerySpec{.name = "ptr.rev.example.com", .qtype = 12}).answer,
            Strings{"ptr.rev.example.com. 3600 PTR host.example.com."});
}

TEST(LpdnsAnswer, ClassAnyIsAnsweredAsIn) {
  EXPECT_EQ(ask(QuerySpec{.name = "ns1.example.com", .qclass = 255}).answer,
            Strings{"ns1.example.com. 3600 A 192.0.2.53"});
}

// --- Compression ----------------------------------------------------------

TEST(LpdnsAnswer, NamesAreCompressed) {
  std::vector<std::byte> out(512);
  const Bytes q = query(QuerySpec{.name = "example.com", .qtype = MX});
  const std::size_t n = answer_into(q, out);
  const std::size_t question_end = q.size();
  // The first answer's owner is a pointer to the question's name at offset 12.
  EXPECT_EQ(out[question_end], std::byte{0xc0});
  EXPECT_EQ(out[question_end + 1], std::byte{12});
  // mail.example.com in the MX rdata is "mail" and a pointer to the question.
  const Bytes mail_then_pointer{std::byte{4},   std::byte{'m'},  std::byte{'a'}, std::byte{'i'},
                                std::byte{'l'}, std::byte{0xc0}, std::byte{12}};
  EXPECT_NE(std::search(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n),
                        mail_then_pointer.begin(), mail_then_pointer.end()),
            out.begin() + static_cast<std::ptrdiff_t>(n));
  // Header 12, question 17, MX 10 mail: 2 + 10 + 2 + 7, MX 20 mx.outside.example.org:
  // 2 + 10 + 2 + 24, mail's A and AAAA: 2 + 10 + 4 and 2 + 10 + 16 (owners: pointers).
  EXPECT_EQ(n, 12u + 17 + 21 + 38 + 16 + 28);
}

TEST(LpdnsAnswer, SrvTargetsAreNotCompressed) {
  // RFC 2782: the target is written whole, even where the question holds it.
  std::vector<std::byte> out(512);
  const Bytes q = query(QuerySpec{.name = "_sip._tcp.example.com", .qtype = SRV});
  const std::size_t n = answer_into(q, out);
  const Bytes target = wire_name("sip.example.com");
  EXPECT_NE(std::search(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), target.begin(),
                        target.end()),
            out.begin() + static_cast<std::ptrdiff_t>(n));
}

// --- EDNS -----------------------------------------------------------------

TEST(LpdnsAnswer, EdnsOptIsEchoedWithOurPayloadSizeAndDo) {
  const Reply r = ask(with_edns(QuerySpec{.name = "ns1.example.com"}, Edns{.payload = 4096}));
  EXPECT_EQ(r.additional, Strings{"OPT 1232 00000000 "});
  const Reply dnssec_ok =
      ask(with_edns(QuerySpec{.name = "ns1.example.com"}, Edns{.dnssec_ok = true}));
  EXPECT_EQ(dnssec_ok.additional, Strings{"OPT 1232 00008000 "});
  // Without EDNS in the query, none in the reply.
  EXPECT_TRUE(ask(QuerySpec{.name = "ns1.example.com"}).additional.empty());
}

TEST(LpdnsAnswer, EdnsVersionAboveZeroIsBadvers) {
  const Reply r = ask(with_edns(QuerySpec{.name = "ns1.example.com"}, Edns{.version = 1}));
  EXPECT_EQ(r.rcode, 0u);  // BADVERS is 16: 0 here, 1 in the OPT's extended RCODE
  EXPECT_FALSE(r.aa);
  EXPECT_TRUE(r.answer.empty());
  EXPECT_EQ(r.question, Strings{"ns1.example.com. A 1"});
  EXPECT_EQ(r.additional, Strings{"OPT 1232 01000000 "});
}

TEST(LpdnsAnswer, NsidWhenAskedAndConfigured) {
  Edns edns;
  put16(edns.options, 3);  // NSID, empty
  put16(edns.options, 0);
  const Bytes q = query(with_edns(QuerySpec{.name = "ns1.example.com"}, edns));
  lpdns::AnswerOptions options;
  const std::string id = "lpdns-1";
  options.nsid = lp::bytes(id);
  EXPECT_EQ(ask(q, Transport::udp, options).additional,
            Strings{"OPT 1232 00000000 000300076c70646e732d31"});
  EXPECT_EQ(ask(q).additional, Strings{"OPT 1232 00000000 "});  // none configured
  const Bytes plain = query(with_edns(QuerySpec{.name = "ns1.example.com"}));
  EXPECT_EQ(ask(plain, Transport::udp, options).additional, Strings{"OPT 1232 00000000 "});
}

TEST(LpdnsAnswer, UdpPayloadSizeOption) {
  lpdns::AnswerOptions options;
  options.udp_max_payload = 4096;
  const Reply r = ask(query(with_edns(QuerySpec{.name = "big-txt.example.com", .qtype = TXT},
                                      Edns{.payload = 4096})),
                      Transport::udp, options);
  EXPECT_FALSE(r.tc);
  EXPECT_EQ(r.answer.size(), 6u);
  EXPECT_EQ(r.additional, Strings{"OPT 4096 00000000 "});
}

// --- Truncation -----------------------------------------------------------

TEST(LpdnsAnswer, TruncatedWithoutEdnsBeyond512Bytes) {
  // 40 A records: 656 bytes of answer.
  const Reply r = ask(QuerySpec{.name = "many.example.com"});
  EXPECT_TRUE(r.tc);
  EXPECT_TRUE(r.aa);
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_TRUE(r.answer.empty());  // the RRset does not fit: none of it is sent
  EXPECT_LE(r.size, 512u);
  // EDNS with 1232 bytes: it fits.
  const Reply edns = ask(with_edns(QuerySpec{.name = "many.example.com"}));
  EXPECT_FALSE(edns.tc);
  EXPECT_EQ(edns.answer.size(), 40u);
  // A payload size below 512 counts as 512.
  EXPECT_TRUE(ask(with_edns(QuerySpec{.name = "many.example.com"}, Edns{.payload = 100})).tc);
  // TCP: up to 65535 bytes.
  const Reply tcp = ask(QuerySpec{.name = "many.example.com"}, Transport::tcp);
  EXPECT_FALSE(tcp.tc);
  EXPECT_EQ(tcp.answer.size(), 40u);
}

TEST(LpdnsAnswer, TruncatedAtTheServersMaximumWhateverTheQueryAdvertises) {
  // Six TXT strings of 250 bytes: over 1232 bytes.
  const Reply r =
      ask(with_edns(QuerySpec{.name = "big-txt.example.com", .qtype = TXT}, Edns{.payload = 4096}));
  EXPECT_TRUE(r.tc);
  EXPECT_TRUE(r.answer.empty());
  EXPECT_EQ(r.additional, Strings{"OPT 1232 00000000 "});
  EXPECT_LE(r.size, 1232u);
}

TEST(LpdnsAnswer, TruncationKeepsTheRRsetsBeforeTheOneThatDoesNotFit) {
  const Reply r = ask(QuerySpec{.name = "to-many.example.com"});
  EXPECT_TRUE(r.tc);
  EXPECT_EQ(r.answer, Strings{"to-many.example.com. 3600 CNAME many.example.com."});
}

TEST(LpdnsAnswer, NoReplyEverExceedsItsLimit) {
  // Every name of the test zone and some that are not, with every type, each
  // way of asking: the reply parses (read_reply checks) and fits.
  const std::vector<std::string> names{
      "example.com",         "ns1.example.com",     "www.example.com",       "many.example.com",
      "big-txt.example.com", "to-many.example.com", "sub.example.com",       "x.sub.example.com",
      "nx.example.com",      "a.wild.example.com",  "_sip._tcp.example.com", "link1.example.com"};
  const std::vector<std::uint16_t> types{A, NS, CNAME, SOA, MX, TXT, AAAA, SRV, DS, ANY, 99};
  std::vector<std::byte> out(65535);
  for (const std::string& name : names) {
    for (const std::uint16_t type : types) {
      for (const unsigned payload : {0u, 100u, 512u, 1000u, 1232u, 4096u}) {
        QuerySpec spec{.name = name, .qtype = type};
        if (payload != 0) spec.edns = Edns{.payload = static_cast<std::uint16_t>(payload)};
        const Bytes q = query(spec);
        const std::size_t limit =
            payload == 0 ? 512 : std::max<std::size_t>(512, std::min<std::size_t>(payload, 1232));
        const std::size_t n = answer_into(q, out);
        ASSERT_NE(n, 0u);
        EXPECT_LE(n, limit) << name << " " << type << " " << payload;
        const Reply r = read_reply(lp::bytes(out.data(), n));
        EXPECT_EQ(r.question.size(), 1u);
        EXPECT_EQ(r.id, 0x1234);
      }
    }
  }
}

// --- Malformed and unusual queries -----------------------------------------

TEST(LpdnsAnswer, NoReplyToAResponseAShortMessageOrAnUnreadableQuestion) {
  QuerySpec response;
  response.flags = 0x8100;
  EXPECT_TRUE(no_reply(query(response)));
  const Bytes q = query(QuerySpec{});
  EXPECT_TRUE(no_reply(Bytes(q.begin(), q.begin() + 11)));
  EXPECT_TRUE(no_reply(Bytes{}));
  // A question cut short, QDCOUNT 2, a compression pointer or a label type 01
  // in the question: Knot drops these too.
  EXPECT_TRUE(no_reply(Bytes(q.begin(), q.begin() + 20)));
  EXPECT_TRUE(no_reply(Bytes(q.begin(), q.end() - 1)));
  Bytes two = q;
  two[5] = std::byte{2};
  two.insert(two.end(), q.begin() + 12, q.end());
  EXPECT_TRUE(no_reply(two));
  Bytes pointer(q.begin(), q.begin() + 12);
  for (const unsigned b : {0xc0u, 12u, 0u, 1u, 0u, 1u}) put8(pointer, b);
  EXPECT_TRUE(no_reply(pointer));
  Bytes label01(q.begin(), q.begin() + 12);
  for (const unsigned b : {0x41u, 0x61u, 0u, 0u, 1u, 0u, 1u}) put8(label01, b);
  EXPECT_TRUE(no_reply(label01));
  // QDCOUNT 0 and bytes after the header that are no record.
  Bytes qd0_garbage(q.begin(), q.begin() + 12);
  qd0_garbage[5] = std::byte{0};
  put8(qd0_garbage, 0xff);
  EXPECT_TRUE(no_reply(qd0_garbage));
  // ...even when those bytes would read as a record that no count announces.
  Bytes qd0_record(q.begin(), q.begin() + 12);
  qd0_record[5] = std::byte{0};
  for (const unsigned b : {0u, 0u, 1u, 0u, 1u, 0u, 0u, 0u, 1u, 0u, 4u, 1u, 2u, 3u, 4u}) {
    put8(qd0_record, b);
  }
  EXPECT_TRUE(no_reply(qd0_record));
  qd0_record[7] = std::byte{1};  // announced in the answer section: FORMERR
  EXPECT_EQ(ask(qd0_record).rcode, 1u);
  // Knot reads past a record's header before its rdata: a bad rdata still
  // gets FORMERR (A with 3 bytes), a bad header does not (rdlength past the end).
  Bytes bad_rdata = qd0_record;
  bad_rdata[22] = std::byte{3};
  bad_rdata.pop_back();
  EXPECT_EQ(ask(bad_rdata).rcode, 1u);
  Bytes bad_header = qd0_record;
  bad_header[22] = std::byte{5};
  EXPECT_TRUE(no_reply(bad_header));
  // ...and it refuses at once a message announcing more records than fit.
  Bytes too_many = qd0_record;
  too_many[7] = std::byte{9};
  EXPECT_TRUE(no_reply(too_many));
}

TEST(LpdnsAnswer, FormerrForMalformedMessagesWithAReadableQuestion) {
  Bytes trailing = query(QuerySpec{.name = "ns1.example.com"});
  put16(trailing, 0xdead);
  const Reply r = ask(trailing);
  EXPECT_EQ(r.rcode, 1u);
  EXPECT_FALSE(r.aa);
  EXPECT_EQ(r.question, Strings{"ns1.example.com. A 1"});
  EXPECT_TRUE(r.answer.empty());
  EXPECT_TRUE(r.additional.empty());  // a malformed query's OPT is not answered

  // Two OPT records; an OPT in the answer section; an option longer than its rdata.
  Bytes two_opt = query(with_edns(QuerySpec{}));
  two_opt[11] = std::byte{2};
  const Bytes opt = opt_record(Edns{});
  two_opt.insert(two_opt.end(), opt.begin(), opt.end());
  EXPECT_EQ(ask(two_opt).rcode, 1u);
  Bytes opt_in_answer = query(with_edns(QuerySpec{}));
  opt_in_answer[7] = std::byte{1};
  opt_in_answer[11] = std::byte{0};
  EXPECT_EQ(ask(opt_in_answer).rcode, 1u);
  Edns bad_option;
  put16(bad_option.options, 10);
  put16(bad_option.options, 9);  // 9 bytes announced, 2 follow
  put16(bad_option.options, 0);
  EXPECT_EQ(ask(query(with_edns(QuerySpec{}, bad_option))).rcode, 1u);
  // ARCOUNT 1 and no record.
  Bytes missing = query(QuerySpec{});
  missing[11] = std::byte{1};
  EXPECT_EQ(ask(missing).rcode, 1u);
}

TEST(LpdnsAnswer, FormerrWithoutAQuestion) {
  Bytes header_only = query(QuerySpec{});
  header_only.resize(12);
  header_only[5] = std::byte{0};
  const Reply r = ask(header_only);
  EXPECT_EQ(r.rcode, 1u);
  EXPECT_TRUE(r.question.empty());
  // With an OPT: the reply has one too.
  Bytes with_opt = header_only;
  with_opt[11] = std::byte{1};
  const Bytes opt = opt_record(Edns{});
  with_opt.insert(with_opt.end(), opt.begin(), opt.end());
  const Reply e = ask(with_opt);
  EXPECT_EQ(e.rcode, 1u);
  EXPECT_EQ(e.additional, Strings{"OPT 1232 00000000 "});
}

TEST(LpdnsAnswer, NotimpForOpcodesOtherThanQuery) {
  for (unsigned opcode = 1; opcode < 16; ++opcode) {
    SCOPED_TRACE(opcode);
    const Reply r = ask(QuerySpec{
        .name = "example.com", .qtype = SOA, .flags = static_cast<std::uint16_t>(opcode << 11)});
    EXPECT_EQ(r.rcode, 4u);
    EXPECT_EQ(r.opcode, opcode);
    EXPECT_FALSE(r.aa);
    EXPECT_TRUE(r.answer.empty());
    EXPECT_EQ(r.question.size(), 1u);
  }
}

TEST(LpdnsAnswer, RefusedOutsideTheZoneWithExtendedErrorNotAuthoritative) {
  const Reply r = ask(QuerySpec{.name = "www.example.org"});
  EXPECT_EQ(r.rcode, 5u);
  EXPECT_FALSE(r.aa);
  EXPECT_TRUE(r.additional.empty());
  const Reply e = ask(with_edns(QuerySpec{.name = "www.example.org"}));
  EXPECT_EQ(e.rcode, 5u);
  EXPECT_EQ(e.additional, Strings{"OPT 1232 00000000 000f00020014"});  // EDE 20
  EXPECT_EQ(ask(QuerySpec{.name = "."}).rcode, 5u);
  EXPECT_EQ(ask(QuerySpec{.name = "com"}).rcode, 5u);
  EXPECT_EQ(ask(QuerySpec{.name = "xexample.com"}).rcode, 5u);
}

TEST(LpdnsAnswer, OtherClassesAreRefusedExceptConfiguredChaosNames) {
  EXPECT_EQ(ask(QuerySpec{.name = "ns1.example.com", .qclass = 3}).rcode, 5u);
  EXPECT_EQ(ask(QuerySpec{.name = "ns1.example.com", .qclass = 4}).rcode, 5u);
  EXPECT_EQ(ask(QuerySpec{.name = "ns1.example.com", .qclass = 254}).rcode, 5u);
  const Bytes version = query(QuerySpec{.name = "VERSION.bind", .qtype = TXT, .qclass = 3});
  EXPECT_EQ(ask(version).rcode, 5u);  // not configured
  lpdns::AnswerOptions options;
  options.version = "lpdns 0.1";
  options.identity = "host-1";
  const Reply r = ask(version, Transport::udp, options);
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_FALSE(r.aa);
  EXPECT_EQ(r.answer, Strings{"VERSION.bind. 0 CLASS3 TXT \"lpdns 0.1\""});
  EXPECT_EQ(
      ask(query(QuerySpec{.name = "id.server", .qtype = TXT, .qclass = 3}), Transport::udp, options)
          .answer,
      Strings{"id.server. 0 CLASS3 TXT \"host-1\""});
  EXPECT_EQ(ask(query(QuerySpec{.name = "version.bind", .qtype = A, .qclass = 3}), Transport::udp,
                options)
                .rcode,
            5u);
}

TEST(LpdnsAnswer, TheChecksComeInKnotsOrder) {
  // Without a question: FORMERR for the opcodes Knot implements, else NOTIMP.
  for (const auto& [opcode, rcode] : {std::pair{0u, 1u}, {4u, 1u}, {5u, 1u}, {2u, 4u}, {15u, 4u}}) {
    SCOPED_TRACE(opcode);
    Bytes no_question = query(QuerySpec{.flags = static_cast<std::uint16_t>(opcode << 11)});
    no_question.resize(12);
    no_question[5] = std::byte{0};
    EXPECT_EQ(ask(no_question).rcode, rcode);
  }
  // The class before the kind of query: REFUSED, not NOTIMP or NOTAUTH.
  EXPECT_EQ(ask(QuerySpec{.name = "example.com", .qclass = 4, .flags = 15 << 11}).rcode, 5u);
  EXPECT_EQ(ask(QuerySpec{.name = "example.com", .qtype = 251, .qclass = 0xff01}).rcode, 5u);
  // In CHAOS, anything but a plain query is NOTIMP, over TCP too.
  EXPECT_EQ(ask(QuerySpec{.name = "version.bind", .qtype = 252, .qclass = 3}, Transport::tcp).rcode,
            4u);
  // BADVERS before everything but FORMERR.
  EXPECT_EQ(ask(with_edns(QuerySpec{.name = "www.example.org", .qclass = 4, .flags = 15 << 11},
                          Edns{.version = 1}))
                .additional,
            Strings{"OPT 1232 01000000 "});
}

TEST(LpdnsAnswer, ZoneTransfersAndQtypeZero) {
  EXPECT_EQ(ask(QuerySpec{.name = "example.com", .qtype = 252}).rcode, 4u);  // AXFR over UDP
  EXPECT_EQ(ask(QuerySpec{.name = "example.com", .qtype = 252}, Transport::tcp).rcode, 9u);
  EXPECT_EQ(ask(QuerySpec{.name = "example.com", .qtype = 251}).rcode, 9u);  // IXFR
  EXPECT_EQ(ask(QuerySpec{.name = "example.com", .qtype = 0}).rcode, 4u);
  // Other meta and unknown types are just absent data.
  const Reply r = ask(QuerySpec{.name = "example.com", .qtype = 41});
  EXPECT_EQ(r.rcode, 0u);
  EXPECT_EQ(r.authority, Strings{soa_300});
}

TEST(LpdnsAnswer, QueriesWithRecordsInOtherSections) {
  // A record in the answer section of a query is read and ignored, as Knot does.
  Bytes q = query(QuerySpec{.name = "ns1.example.com"});
  q[7] = std::byte{1};
  for (const unsigned b : {0xc0u, 12u, 0u, 1u, 0u, 1u, 0u, 0u, 0u, 60u, 0u, 4u, 1u, 2u, 3u, 4u}) {
    put8(q, b);
  }
  EXPECT_EQ(ask(q).answer, Strings{"ns1.example.com. 3600 A 192.0.2.53"});
  // A compression pointer forward or into a loop in one of them: FORMERR.
  Bytes forward = query(QuerySpec{.name = "ns1.example.com"});
  forward[11] = std::byte{1};
  for (const unsigned b : {0xc0u, 0x30u, 0u, 1u, 0u, 1u, 0u, 0u, 0u, 60u, 0u, 4u, 1u, 2u, 3u, 4u}) {
    put8(forward, b);
  }
  EXPECT_EQ(ask(forward).rcode, 1u);
}

TEST(LpdnsAnswer, OutputBufferTooSmall) {
  const Bytes q = query(QuerySpec{.name = "ns1.example.com"});
  std::array<std::byte, 20> tiny{};
  EXPECT_EQ(lpdns::answer(test_zone(), lp::bytes(q), Transport::udp, tiny), 0u);
  // Room for the header and question: the answer is truncated instead.
  std::vector<std::byte> small(q.size());
  const std::size_t n = lpdns::answer(test_zone(), lp::bytes(q), Transport::udp, small);
  ASSERT_EQ(n, q.size());
  EXPECT_TRUE(read_reply(lp::bytes(small.data(), n)).tc);
}

// --- Cost -----------------------------------------------------------------

TEST(LpdnsAnswer, NoHeapAllocationPerQuery) {
  std::vector<Bytes> queries;
  for (const std::string name :
       {"ns1.example.com", "chain1.example.com", "x.sub.example.com", "nx.example.com",
        "many.example.com", "a.wild.example.com", "www.example.org", "EXAMPLE.com"}) {
    for (const std::uint16_t type : {A, NS, MX, SRV, ANY}) {
      queries.push_back(query(QuerySpec{.name = name, .qtype = type}));
      queries.push_back(query(with_edns(QuerySpec{.name = name, .qtype = type})));
    }
  }
  Bytes malformed = queries.front();
  put8(malformed, 0);
  queries.push_back(malformed);
  std::vector<std::byte> out(65535);
  (void)test_zone();  // loaded (and allocated) before counting
  const std::uint64_t before = lp_bench::heap_allocations();
  std::size_t total = 0;
  for (const Bytes& q : queries) {
    for (const Transport t : {Transport::udp, Transport::tcp}) total += answer_into(q, out, t);
  }
  EXPECT_EQ(lp_bench::heap_allocations() - before, 0u);
  EXPECT_GT(total, 0u);
}

}  // namespace
}  // namespace lpdns_test
