// The master-file reader (examples/lpdns/zone.cpp): every record type and
// syntax feature, the zone it builds (canonical order, empty non-terminals,
// delegations, glue), and errors with file:line. Rdata is read back through
// the generated views (net::DnsMx, net::DnsSoa, ...).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "dns_text.hpp"
#include "test_zone.hpp"
#include "zone.hpp"

namespace lpdns_test {
namespace {

using Strings = std::vector<std::string>;

// "www.example.com" -> the lowercase wire form the zone keys nodes by.
std::string key(std::string_view text) {
  const Bytes wire = wire_name(text);
  std::string out;
  for (const std::byte b : wire) {
    out += static_cast<char>(lpdns::ascii_lower(static_cast<unsigned char>(b)));
  }
  return out;
}

lpdns::ZoneResult load(const std::string& body, std::string_view origin = "example.com") {
  return lpdns::load_zone_text(body, "t.zone", origin);
}

// A minimal valid head (SOA and NS at the apex) for the tests' records.
const std::string head =
    "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ NS ns1\nns1 A 192.0.2.1\n";

// Each record of one RRset as text, its rdata read through the generated views.
Strings records(const lpdns::Zone& zone, std::string_view name, net::DnsType type) {
  const lpdns::Node* node = zone.find(key(name));
  if (node == nullptr) return {"no node"};
  const lpdns::RRset* rrset = node->find(type);
  if (rrset == nullptr) return {"no rrset"};
  Strings out;
  for (const std::vector<std::byte>& rdata : rrset->rdata) {
    // A record over the rdata, so that record_text() reads it as a reply's would.
    Bytes record = wire_name(name);
    put16(record, static_cast<unsigned>(type));
    put16(record, 1);
    put32(record, rrset->ttl);
    put16(record, static_cast<unsigned>(rdata.size()));
    record.insert(record.end(), rdata.begin(), rdata.end());
    const auto view = net::DnsRecord::parse(lp::bytes(record));
    if (!view) {
      out.push_back("bad rdata: " + view.error().message());
      continue;
    }
    EXPECT_EQ(view->size(), record.size());
    out.push_back(record_text(*view, lp::bytes(record)));
  }
  return out;
}

void expect_error(const std::string& body, std::size_t line, std::string_view fragment) {
  const lpdns::ZoneResult zone = load(body);
  ASSERT_FALSE(zone) << body;
  EXPECT_EQ(zone.error().file, "t.zone");
  EXPECT_EQ(zone.error().line, line) << zone.error().to_string();
  EXPECT_NE(zone.error().message.find(fragment), std::string::npos)
      << zone.error().to_string() << "\n  expected: " << fragment;
}

TEST(LpdnsZone, EveryRecordType) {
  const lpdns::ZoneResult zone = load(head + R"(
@       AAAA  2001:db8::1
        MX    10 mail
www     CNAME web
web     A     192.0.2.80
        TXT   "hello" "world"
_sip._tcp SRV 10 60 5060 sip.example.com.
1.2     PTR   host.example.net.
)");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(records(*zone, "example.com", net::DnsType::SOA),
            Strings{"example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 "
                    "1209600 60"});
  EXPECT_EQ(records(*zone, "example.com", net::DnsType::NS),
            Strings{"example.com. 300 NS ns1.example.com."});
  EXPECT_EQ(records(*zone, "ns1.example.com", net::DnsType::A),
            Strings{"ns1.example.com. 300 A 192.0.2.1"});
  EXPECT_EQ(records(*zone, "example.com", net::DnsType::AAAA),
            Strings{"example.com. 300 AAAA 2001:db8::1"});
  EXPECT_EQ(records(*zone, "example.com", net::DnsType::MX),
            Strings{"example.com. 300 MX 10 mail.example.com."});
  EXPECT_EQ(records(*zone, "www.example.com", net::DnsType::CNAME),
            Strings{"www.example.com. 300 CNAME web.example.com."});
  EXPECT_EQ(records(*zone, "web.example.com", net::DnsType::TXT),
            Strings{"web.example.com. 300 TXT \"hello\" \"world\""});
  EXPECT_EQ(records(*zone, "_sip._tcp.example.com", net::DnsType::SRV),
            Strings{"_sip._tcp.example.com. 300 SRV 10 60 5060 sip.example.com."});
  EXPECT_EQ(records(*zone, "1.2.example.com", net::DnsType::PTR),
            Strings{"1.2.example.com. 300 PTR host.example.net."});
  EXPECT_EQ(zone->record_count(), 10u);
}

TEST(LpdnsZone, RelativeNamesAtAndOrigin) {
  const lpdns::ZoneResult zone = load(head + R"(
a       CNAME b               ; relative: b.example.com.
c       CNAME d.example.org.  ; absolute
e       CNAME @               ; the origin
$ORIGIN sub.example.com.
f       CNAME g               ; relative to the new origin
@       CNAME h.example.com.
$ORIGIN deeper                ; relative to the current origin: deeper.sub.example.com.
i       CNAME @
)");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(records(*zone, "a.example.com", net::DnsType::CNAME),
            Strings{"a.example.com. 300 CNAME b.example.com."});
  EXPECT_EQ(records(*zone, "c.example.com", net::DnsType::CNAME),
            Strings{"c.example.com. 300 CNAME d.example.org."});
  EXPECT_EQ(records(*zone, "e.example.com", net::DnsType::CNAME),
            Strings{"e.example.com. 300 CNAME example.com."});
  EXPECT_EQ(records(*zone, "f.sub.example.com", net::DnsType::CNAME),
            Strings{"f.sub.example.com. 300 CNAME g.sub.example.com."});
  EXPECT_EQ(records(*zone, "sub.example.com", net::DnsType::CNAME),
            Strings{"sub.example.com. 300 CNAME h.example.com."});
  EXPECT_EQ(records(*zone, "i.deeper.sub.example.com", net::DnsType::CNAME),
            Strings{"i.deeper.sub.example.com. 300 CNAME deeper.sub.example.com."});
}

TEST(LpdnsZone, OwnerOfTheLineAboveForALineStartingWithABlank) {
  const lpdns::ZoneResult zone = load(head +
                                      "host A 192.0.2.10\n"
                                      "  AAAA 2001:db8::10\n"
                                      "; a comment between\n"
                                      "\n"
                                      "\tTXT \"still host\"\n"
                                      "other A 192.0.2.11\n");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(records(*zone, "host.example.com", net::DnsType::AAAA),
            Strings{"host.example.com. 300 AAAA 2001:db8::10"});
  EXPECT_EQ(records(*zone, "host.example.com", net::DnsType::TXT),
            Strings{"host.example.com. 300 TXT \"still host\""});
  EXPECT_EQ(records(*zone, "other.example.com", net::DnsType::A),
            Strings{"other.example.com. 300 A 192.0.2.11"});
}

TEST(LpdnsZone, TtlAndClassAreOptionalAndInEitherOrder) {
  const lpdns::ZoneResult zone = load(head + R"(
a 100 IN A 192.0.2.1
b IN 200 A 192.0.2.2
c IN A 192.0.2.3
d 1h30m A 192.0.2.4
e in a 192.0.2.5
f 2W A 192.0.2.6
g 4294967295 A 192.0.2.7
$TTL 1d
h A 192.0.2.8
)");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(records(*zone, "a.example.com", net::DnsType::A),
            Strings{"a.example.com. 100 A 192.0.2.1"});
  EXPECT_EQ(records(*zone, "b.example.com", net::DnsType::A),
            Strings{"b.example.com. 200 A 192.0.2.2"});
  EXPECT_EQ(records(*zone, "c.example.com", net::DnsType::A),
            Strings{"c.example.com. 300 A 192.0.2.3"});
  EXPECT_EQ(records(*zone, "d.example.com", net::DnsType::A),
            Strings{"d.example.com. 5400 A 192.0.2.4"});
  EXPECT_EQ(records(*zone, "e.example.com", net::DnsType::A),
            Strings{"e.example.com. 300 A 192.0.2.5"});
  EXPECT_EQ(records(*zone, "f.example.com", net::DnsType::A),
            Strings{"f.example.com. 1209600 A 192.0.2.6"});
  EXPECT_EQ(records(*zone, "g.example.com", net::DnsType::A),
            Strings{"g.example.com. 4294967295 A 192.0.2.7"});
  EXPECT_EQ(records(*zone, "h.example.com", net::DnsType::A),
            Strings{"h.example.com. 86400 A 192.0.2.8"});
}

TEST(LpdnsZone, WithoutTtlOrDollarTtlTheTtlIs3600AsInKnot) {
  const lpdns::ZoneResult zone = load(
      "@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\nns1 100 A 192.0.2.1\n"
      "ns2 A 192.0.2.2\n");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(records(*zone, "ns2.example.com", net::DnsType::A),
            Strings{"ns2.example.com. 3600 A 192.0.2.2"});
}

TEST(LpdnsZone, ParenthesesAcrossLinesWithComments) {
  const lpdns::ZoneResult zone = load(R"($TTL 60
@ IN SOA ( ns1.example.com.   ; primary
           hostmaster         ; mailbox
           2024 ; serial
           1h 15m
           2w
           (5) )              ; nested parentheses are only grouping
  NS ( ns1 )
ns1 A 192.0.2.1
txt TXT ( "one"
          "two" )
)");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(records(*zone, "example.com", net::DnsType::SOA),
            Strings{"example.com. 60 SOA ns1.example.com. hostmaster.example.com. 2024 3600 900 "
                    "1209600 5"});
  EXPECT_EQ(records(*zone, "txt.example.com", net::DnsType::TXT),
            Strings{"txt.example.com. 60 TXT \"one\" \"two\""});
}

TEST(LpdnsZone, TxtStringsQuotedEscapedUnquotedEmptyAndLong) {
  const std::string long_text(300, 'x');
  const lpdns::ZoneResult zone = load(head + R"(
a TXT "semicolon ; inside" unquoted "quote \" backslash \\ decimal \065\066C"
b TXT ""
c TXT ")" + long_text + "\"\n");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(records(*zone, "a.example.com", net::DnsType::TXT),
            Strings{"a.example.com. 300 TXT \"semicolon ; inside\" \"unquoted\" \"quote \" "
                    "backslash \\ decimal ABC\""});
  EXPECT_EQ(records(*zone, "b.example.com", net::DnsType::TXT),
            Strings{"b.example.com. 300 TXT \"\""});
  // Longer than 255: split into a full string and the rest, as Knot does.
  EXPECT_EQ(records(*zone, "c.example.com", net::DnsType::TXT),
            Strings{"c.example.com. 300 TXT \"" + std::string(255, 'x') + "\" \"" +
                    std::string(45, 'x') + "\""});
}

TEST(LpdnsZone, NamesAreCaseInsensitiveAndEscaped) {
  const lpdns::ZoneResult zone = load(head + R"(
Mixed-Case A 192.0.2.1
www CNAME WEB.Example.COM.
dot\.ted A 192.0.2.2
\065bc A 192.0.2.3
)");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_NE(zone->find(key("mixed-case.example.com")), nullptr);
  const Bytes mixed = wire_name("Mixed-Case.example.com");  // keys are lowercase
  EXPECT_EQ(zone->find(std::string(reinterpret_cast<const char*>(mixed.data()), mixed.size())),
            nullptr);
  EXPECT_EQ(records(*zone, "www.example.com", net::DnsType::CNAME),
            Strings{"www.example.com. 300 CNAME web.example.com."});
  Bytes dotted{std::byte{7}};  // one label: "dot.ted"
  for (const char c : std::string_view("dot.ted")) dotted.push_back(static_cast<std::byte>(c));
  const Bytes rest = wire_name("example.com");
  dotted.insert(dotted.end(), rest.begin(), rest.end());
  EXPECT_NE(zone->find(std::string(reinterpret_cast<const char*>(dotted.data()), dotted.size())),
            nullptr);
  EXPECT_NE(zone->find(key("abc.example.com")), nullptr);
}

TEST(LpdnsZone, RRsetsInCanonicalOrderWithoutDuplicatesAndTheLastTtl) {
  const lpdns::ZoneResult zone = load(head + R"(
a 10 A 192.0.2.9
a 20 A 192.0.2.10
a 30 A 192.0.2.9
a 40 A 10.0.0.1
)");
  ASSERT_TRUE(zone) << zone.error().to_string();
  // Knot keeps the TTL of the RRset's last record in the file.
  EXPECT_EQ(records(*zone, "a.example.com", net::DnsType::A),
            (Strings{"a.example.com. 40 A 10.0.0.1", "a.example.com. 40 A 192.0.2.9",
                     "a.example.com. 40 A 192.0.2.10"}));
}

TEST(LpdnsZone, NodesDelegationsWildcardsAndGlue) {
  const lpdns::Zone& zone = test_zone();
  // _tcp is an empty non-terminal: a node without RRsets.
  const lpdns::Node* ent = zone.find(key("_tcp.example.com"));
  ASSERT_NE(ent, nullptr);
  EXPECT_TRUE(ent->rrsets.empty());
  EXPECT_EQ(ent->parent, &zone.apex());
  const lpdns::Node* sub = zone.find(key("sub.example.com"));
  ASSERT_NE(sub, nullptr);
  EXPECT_TRUE(sub->delegation);
  EXPECT_FALSE(sub->below_delegation);
  const lpdns::Node* glue = zone.find(key("ns1.sub.example.com"));
  ASSERT_NE(glue, nullptr);
  EXPECT_TRUE(glue->below_delegation);
  const lpdns::Node* inner = zone.find(key("inner.sub.example.com"));
  ASSERT_NE(inner, nullptr);
  EXPECT_FALSE(inner->delegation);  // an NS below a cut makes no cut
  EXPECT_TRUE(inner->below_delegation);
  EXPECT_FALSE(zone.apex().delegation);
  const lpdns::Node* wild = zone.find(key("wild.example.com"));
  ASSERT_NE(wild, nullptr);
  ASSERT_NE(wild->wildcard, nullptr);
  EXPECT_EQ(wild->wildcard->name, key("*.wild.example.com"));
  // The NS RRset of sub names ns.outside.example.org (not in the zone) and
  // ns1.sub (mandatory glue).
  const lpdns::RRset* ns = sub->find(net::DnsType::NS);
  ASSERT_NE(ns, nullptr);
  ASSERT_EQ(ns->additional.size(), 1u);
  EXPECT_EQ(ns->additional[0].node, glue);
  EXPECT_TRUE(ns->additional[0].mandatory);
  EXPECT_EQ(ns->additional[0].rdata_index, 1u);  // canonical order: ns.outside... first
  // The apex's NS glue is optional (the apex is no zone cut).
  const lpdns::RRset* apex_ns = zone.apex().find(net::DnsType::NS);
  ASSERT_NE(apex_ns, nullptr);
  ASSERT_EQ(apex_ns->additional.size(), 2u);
  EXPECT_FALSE(apex_ns->additional[0].mandatory);
  EXPECT_EQ(zone.soa().type, net::DnsType::SOA);
  EXPECT_EQ(zone.origin(), key("example.com"));
}

TEST(LpdnsZone, Errors) {
  expect_error(head + "a A 192.0.2\n", 5, "bad IPv4 address '192.0.2'");
  expect_error(head + "a AAAA 2001:db8::g\n", 5, "bad IPv6 address");
  expect_error(head + "a HINFO \"pc\" \"unix\"\n", 5, "unsupported record type 'HINFO'");
  expect_error(head + "a MX 10\n", 5, "MX record without its exchange name");
  expect_error(head + "a MX 65536 mail\n", 5, "bad MX preference '65536': above 65535");
  expect_error(head + "a A 192.0.2.1 192.0.2.2\n", 5, "unexpected '192.0.2.2'");
  expect_error(head + "a 10 20 A 192.0.2.1\n", 5, "a second TTL '20'");
  expect_error(head + "a 1x A 192.0.2.1\n", 5, "unsupported record type '1x'");
  expect_error(head + "a SOA ( ns1 hostmaster\n 1 2 3 4 5\n", 5, "'(' is never closed");
  expect_error(head + "a A 192.0.2.1 )\n", 5, "')' without an opening '('");
  expect_error(head + "a TXT \"open\n", 5, "missing closing '\"'");
  expect_error(head + std::string(64, 'x') + " A 192.0.2.1\n", 5, "label longer than 63 bytes");
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'y') + ".";
  expect_error(head + long_name + " A 192.0.2.1\n", 5, "longer than 255 bytes");
  expect_error(head + "a..b A 192.0.2.1\n", 5, "empty label in the name 'a..b'");
  expect_error(head + "a TXT \"\\256\"\n", 5, "\\256 is above 255");
  expect_error(head + "a TXT \"\\25\"\n", 5, "\\DDD needs three digits");
  expect_error(head + "a CNAME \"quoted\"\n", 5, "a name cannot be quoted");
  expect_error(head + "@ SOA ns1 hostmaster 2 2 3 4 5\n", 5, "a second SOA record");
  expect_error(head + "a SOA ns1 hostmaster 2 2 3 4 5\n", 5, "the SOA belongs at the origin");
  expect_error(head + "a.example.org. A 192.0.2.1\n", 5, "outside the zone example.com.");
  expect_error(head + "a A 192.0.2.1\na CNAME b\n", 6,
               "a.example.com. has a CNAME and other records");
  expect_error(head + "a CNAME b\na CNAME c\n", 6, "a second CNAME at a.example.com.");
  expect_error(head + "a CH A 192.0.2.1\n", 5, "class CH: lpdns serves class IN only");
  expect_error(head + "$INCLUDE other.zone\n", 5, "$INCLUDE is not supported");
  expect_error(head + "$GENERATE 1-2 a$ A 192.0.2.$\n", 5, "unknown directive '$GENERATE'");
  expect_error(head + "$TTL\n", 5, "$TTL takes one argument");
  expect_error(head + "$TTL forever\n", 5, "bad $TTL 'forever'");
  expect_error(head + "a SOA ns1 hostmaster 1 2 3 4\n", 5, "SOA record without its minimum");
  expect_error(head + "a\n", 5, "record without a type");
  expect_error(" A 192.0.2.1\n", 1, "the first record has no owner");
  // Errors about the zone as a whole have no line.
  expect_error("$TTL 60\nns1 A 192.0.2.1\n", 0, "no SOA record at the origin example.com.");
  expect_error("$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\n", 0, "no NS record at the origin");
}

TEST(LpdnsZone, ErrorText) {
  const lpdns::ZoneResult zone = load(head + "\n\nbad A 300.1.2.3\n");
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().to_string(), "t.zone:7: bad IPv4 address '300.1.2.3'");
  EXPECT_EQ((lpdns::ZoneError{"z", 0, "whole"}).to_string(), "z: whole");
}

TEST(LpdnsZone, BadOrigin) {
  const lpdns::ZoneResult zone = lpdns::load_zone_text(head, "t.zone", "a..b");
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().line, 0u);
  EXPECT_NE(zone.error().message.find("empty label"), std::string::npos);
  EXPECT_FALSE(lpdns::load_zone_text(head, "t.zone", ""));
}

TEST(LpdnsZone, RootOrigin) {
  const lpdns::ZoneResult zone = lpdns::load_zone_text(
      "$TTL 60\n@ SOA a.root-servers.net. nstld.verisign-grs.com. 1 2 3 4 5\n@ NS "
      "a.root-servers.net.\ncom. NS a.gtld-servers.net.\n",
      "root.zone", ".");
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(zone->origin(), std::string(1, '\0'));
  EXPECT_TRUE(zone->find(key("com"))->delegation);
}

TEST(LpdnsZone, FromAFile) {
  char path[] = "/tmp/lpdns_zone_test_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream out(path);
    out << head;
  }
  const lpdns::ZoneResult zone = lpdns::load_zone(path, "example.com.");
  std::remove(path);
  ASSERT_TRUE(zone) << zone.error().to_string();
  EXPECT_EQ(zone->record_count(), 3u);
  const lpdns::ZoneResult missing = lpdns::load_zone("/nonexistent/zone", "example.com");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().to_string(),
            "/nonexistent/zone: cannot open: No such file or directory");
}

}  // namespace
}  // namespace lpdns_test
