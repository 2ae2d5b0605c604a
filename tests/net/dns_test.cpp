// net/dns.lps: a query, a response with every rdata type the schema knows
// (compression pointers included), EDNS OPT, DNS over TCP, DNS inside UDP,
// malformed lengths and counts, every truncated prefix.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "expect.hpp"
#include "net/dns.lp.hpp"
#include "net/udp.lp.hpp"
#include "packets.hpp"

namespace {

using net::DnsType;

const std::byte* base_of(const std::vector<std::uint8_t>& p) {
  return reinterpret_cast<const std::byte*>(p.data());
}

// A name's labels as text: "www.example.com." (ends at the root label) or
// "web.@16" (ends at a pointer to offset 16).
std::string name_text(const net::DnsNameView& name) {
  std::string out;
  for (const net::DnsLabelView label : name.labels()) {
    if (const auto pointer = label.body_pointer()) {
      out += "@" + std::to_string(pointer->offset());
    } else if (label.length() == 0) {
      out += out.empty() ? "." : "";
    } else {
      out += std::string(label.body_text()->as_string_view()) + ".";
    }
  }
  return out;
}

// Query: id 0x1234, RD, one question www.example.com A IN.
std::vector<std::uint8_t> dns_query() {
  return {
      0x12, 0x34,              // id
      0x01, 0x00,              // qr 0, opcode 0, aa 0, tc 0, rd 1 | ra 0, z, ad, cd 0, rcode 0
      0x00, 0x01, 0x00, 0x00,  // qdcount 1, ancount 0
      0x00, 0x00, 0x00, 0x00,  // nscount 0, arcount 0
      0x03, 'w',  'w',  'w',   // @12 www
      0x07, 'e',  'x',  'a',  'm', 'p', 'l', 'e',  // @16 example
      0x03, 'c',  'o',  'm',                       // @24 com
      0x00,                                        // @28 root
      0x00, 0x01, 0x00, 0x01,                      // @29 qtype A, qclass IN
  };
}

// Response to dns_query(): six answers (CNAME, A, AAAA, MX, TXT, SRV), two
// authority records (SOA, NS), two additional ones (EDNS OPT, an unknown type),
// names compressed with pointers.
std::vector<std::uint8_t> dns_response() {
  return {
      0x12, 0x34,                               // id
      0x81, 0xa0,                               // qr 1, rd 1 | ra 1, ad 1
      0x00, 0x01, 0x00, 0x06,                   // qdcount 1, ancount 6
      0x00, 0x02, 0x00, 0x02,                   // nscount 2, arcount 2
      0x03, 'w', 'w', 'w',                      // @12 www
      0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e',  // @16 example
      0x03, 'c', 'o', 'm', 0x00,                // @24 com, root
      0x00, 0x01, 0x00, 0x01,                   // @29 qtype A, qclass IN
      // answers[0] @33: www.example.com CNAME web.example.com
      0xc0, 0x0c,                       // name -> @12
      0x00, 0x05, 0x00, 0x01,           // CNAME IN
      0x00, 0x00, 0x01, 0x2c,           // ttl 300
      0x00, 0x06,                       // rdlength 6
      0x03, 'w', 'e', 'b', 0xc0, 0x10,  // @45 web -> @16
      // answers[1] @51: web.example.com A 93.184.216.34
      0xc0, 0x2d,                                      // name -> @45
      0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c,  // A IN ttl 60
      0x00, 0x04, 93, 184, 216, 34,                    // rdlength 4, address
      // answers[2] @67: web.example.com AAAA 2606:2800:220:1:248:1893:25c8:1946
      0xc0, 0x2d,                                      // name -> @45
      0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c,  // AAAA IN ttl 60
      0x00, 0x10,                                      // rdlength 16
      0x26, 0x06, 0x28, 0x00, 0x02, 0x20, 0x00, 0x01,  //
      0x02, 0x48, 0x18, 0x93, 0x25, 0xc8, 0x19, 0x46,  //
      // answers[3] @95: example.com MX 10 mail.example.com
      0xc0, 0x10,                                      // name -> @16
      0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10,  // MX IN ttl 3600
      0x00, 0x09,                                      // rdlength 9
      0x00, 0x0a,                                      // preference 10
      0x04, 'm', 'a', 'i', 'l', 0xc0, 0x10,            // mail -> @16
      // answers[4] @116: example.com TXT "hello" "" "world"
      0xc0, 0x10,                                      // name -> @16
      0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10,  // TXT IN ttl 3600
      0x00, 0x0d,                                      // rdlength 13
      0x05, 'h', 'e', 'l', 'l', 'o',                   // "hello"
      0x00,                                            // ""
      0x05, 'w', 'o', 'r', 'l', 'd',                   // "world"
      // answers[5] @141: _http._tcp.example.com SRV 1 5 80 web.example.com
      0x05, '_', 'h', 't', 't', 'p',                   // _http
      0x04, '_', 't', 'c', 'p', 0xc0, 0x10,            // _tcp -> @16
      0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c,  // SRV IN ttl 60
      0x00, 0x08,                                      // rdlength 8
      0x00, 0x01, 0x00, 0x05, 0x00, 0x50,              // priority 1, weight 5, port 80
      0xc0, 0x2d,                                      // target -> @45
      // authority[0] @172: example.com SOA ns.example.com . 2024010101 7200 3600 1209600 300
      0xc0, 0x10,                                      // name -> @16
      0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10,  // SOA IN ttl 3600
      0x00, 0x1a,                                      // rdlength 26
      0x02, 'n', 's', 0xc0, 0x10,                      // @184 mname ns -> @16
      0x00,                                            // rname: the root
      0x78, 0xa3, 0xf1, 0x75,                          // serial 2024010101
      0x00, 0x00, 0x1c, 0x20,                          // refresh 7200
      0x00, 0x00, 0x0e, 0x10,                          // retry 3600
      0x00, 0x12, 0x75, 0x00,                          // expire 1209600
      0x00, 0x00, 0x01, 0x2c,                          // minimum 300
      // authority[1] @210: example.com NS ns.example.com
      0xc0, 0x10,                                      // name -> @16
      0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10,  // NS IN ttl 3600
      0x00, 0x02, 0xc0, 0xb8,                          // rdlength 2, -> @184
      // additional[0] @224: OPT, UDP size 4096, DO, a cookie and empty padding
      0x00,                                            // name: the root
      0x00, 0x29, 0x10, 0x00,                          // OPT, UDP payload size 4096
      0x00, 0x00, 0x80, 0x00,                          // extended rcode 0, version 0, DO
      0x00, 0x10,                                      // rdlength 16
      0x00, 0x0a, 0x00, 0x08,                          // COOKIE, length 8
      0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  //
      0x00, 0x0c, 0x00, 0x00,                          // PADDING, length 0
      // additional[1] @251: example.com type 99 (SPF), kept as bytes
      0xc0, 0x10,                                      // name -> @16
      0x00, 0x63, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  // type 99 IN ttl 0
      0x00, 0x03, 'a', 'b', 'c',                       // rdlength 3
  };
}

TEST(Dns, ParsesAQuery) {
  const auto packet = dns_query();
  const auto dns = net::Dns::parse(packet);
  ASSERT_TRUE(dns) << dns.error();
  EXPECT_EQ(dns->id(), 0x1234);
  EXPECT_EQ(dns->qr(), 0);
  EXPECT_EQ(dns->opcode(), net::DnsOpcode::QUERY);
  EXPECT_EQ(dns->rd(), 1);
  EXPECT_EQ(dns->ra(), 0);
  EXPECT_EQ(dns->rcode(), net::DnsRcode::NOERROR);
  EXPECT_EQ(dns->qdcount(), 1);
  ASSERT_EQ(dns->questions().size(), 1u);
  const auto question = dns->questions().front();
  EXPECT_EQ(name_text(question.name()), "www.example.com.");
  EXPECT_EQ(question.name().labels().size(), 4u);
  EXPECT_EQ(question.qtype(), DnsType::A);
  EXPECT_EQ(question.qclass(), 1);
  EXPECT_EQ(question.name().bytes().data(), base_of(packet) + 12);
  EXPECT_TRUE(dns->answers().empty());
  EXPECT_TRUE(dns->additional().empty());
  EXPECT_EQ(dns->size(), packet.size());
}

TEST(Dns, HeaderBits) {
  auto packet = dns_query();
  packet[2] = 0xaf;  // qr 1, opcode 5 (UPDATE), aa 1, tc 1, rd 1
  packet[3] = 0x5b;  // ra 0, z 1, ad 0, cd 1, rcode 11
  const auto dns = net::Dns::parse(packet);
  ASSERT_TRUE(dns) << dns.error();
  EXPECT_EQ(dns->qr(), 1);
  EXPECT_EQ(dns->opcode(), net::DnsOpcode::UPDATE);
  EXPECT_EQ(dns->aa(), 1);
  EXPECT_EQ(dns->tc(), 1);
  EXPECT_EQ(dns->rd(), 1);
  EXPECT_EQ(dns->ra(), 0);
  EXPECT_EQ(dns->z(), 1);
  EXPECT_EQ(dns->ad(), 0);
  EXPECT_EQ(dns->cd(), 1);
  EXPECT_EQ(static_cast<int>(dns->rcode()), 11);  // open enum: no member, kept
}

TEST(Dns, ParsesAResponseWithEveryRdataType) {
  const auto packet = dns_response();
  const auto dns = net::Dns::parse(packet);
  ASSERT_TRUE(dns) << dns.error();
  EXPECT_EQ(dns->size(), packet.size());
  EXPECT_EQ(dns->qr(), 1);
  EXPECT_EQ(dns->ra(), 1);
  EXPECT_EQ(dns->ad(), 1);
  ASSERT_EQ(dns->answers().size(), 6u);
  ASSERT_EQ(dns->authority().size(), 2u);
  ASSERT_EQ(dns->additional().size(), 2u);
  const auto* base = base_of(packet);

  auto answer = dns->answers().begin();
  // CNAME: the owner is a bare pointer, the target a label then a pointer.
  {
    const net::DnsRecordView r = *answer;
    EXPECT_EQ(r.bytes().data(), base + 33);
    EXPECT_EQ(name_text(r.name()), "@12");
    EXPECT_EQ(r.name().labels().front().kind(), net::DnsLabelKind::POINTER);
    EXPECT_EQ(r.type(), DnsType::CNAME);
    EXPECT_EQ(r.rclass(), 1);
    EXPECT_EQ(r.ttl(), 300u);
    EXPECT_EQ(r.rdlength(), 6);
    EXPECT_EQ(r.rdata_arm(), net::DnsRecordView::RdataArm::name);
    ASSERT_TRUE(r.rdata_name());
    EXPECT_EQ(name_text(*r.rdata_name()), "web.@16");
    EXPECT_EQ(r.rdata_bytes().data(), base + 45);
  }
  ++answer;
  {
    const net::DnsRecordView r = *answer;
    EXPECT_EQ(name_text(r.name()), "@45");
    ASSERT_TRUE(r.rdata_a());
    EXPECT_EQ(r.rdata_a()->octets()[0], 93);
    EXPECT_EQ(r.rdata_a()->octets()[3], 34);
  }
  ++answer;
  {
    const net::DnsRecordView r = *answer;
    EXPECT_EQ(r.type(), DnsType::AAAA);
    ASSERT_TRUE(r.rdata_aaaa());
    EXPECT_EQ(r.rdata_aaaa()->octets()[0], 0x26);
    EXPECT_EQ(r.rdata_aaaa()->octets()[15], 0x46);
  }
  ++answer;
  {
    const net::DnsRecordView r = *answer;
    ASSERT_TRUE(r.rdata_mx());
    EXPECT_EQ(r.rdata_mx()->preference(), 10);
    EXPECT_EQ(name_text(r.rdata_mx()->exchange()), "mail.@16");
  }
  ++answer;
  {
    const net::DnsRecordView r = *answer;
    ASSERT_TRUE(r.rdata_txt());
    std::vector<std::string> strings;
    for (const auto s : r.rdata_txt()->strings()) strings.emplace_back(s.text());
    EXPECT_EQ(strings, (std::vector<std::string>{"hello", "", "world"}));
  }
  ++answer;
  {
    const net::DnsRecordView r = *answer;
    EXPECT_EQ(name_text(r.name()), "_http._tcp.@16");
    ASSERT_TRUE(r.rdata_srv());
    EXPECT_EQ(r.rdata_srv()->priority(), 1);
    EXPECT_EQ(r.rdata_srv()->weight(), 5);
    EXPECT_EQ(r.rdata_srv()->port(), 80);
    EXPECT_EQ(name_text(r.rdata_srv()->target()), "@45");
  }
  ++answer;
  EXPECT_EQ(answer, dns->answers().end());

  auto authority = dns->authority().begin();
  {
    const net::DnsRecordView r = *authority;
    EXPECT_EQ(r.bytes().data(), base + 172);
    ASSERT_TRUE(r.rdata_soa());
    const auto soa = *r.rdata_soa();
    EXPECT_EQ(name_text(soa.mname()), "ns.@16");
    EXPECT_EQ(name_text(soa.rname()), ".");
    EXPECT_EQ(soa.serial(), 2024010101u);
    EXPECT_EQ(soa.refresh(), 7200u);
    EXPECT_EQ(soa.retry(), 3600u);
    EXPECT_EQ(soa.expire(), 1209600u);
    EXPECT_EQ(soa.minimum(), 300u);
  }
  ++authority;
  {
    const net::DnsRecordView r = *authority;
    EXPECT_EQ(r.type(), DnsType::NS);
    ASSERT_TRUE(r.rdata_name());
    EXPECT_EQ(name_text(*r.rdata_name()), "@184");
  }

  auto additional = dns->additional().begin();
  {
    const net::DnsRecordView r = *additional;
    EXPECT_EQ(r.bytes().data(), base + 224);
    EXPECT_EQ(name_text(r.name()), ".");
    EXPECT_EQ(r.type(), DnsType::OPT);
    EXPECT_EQ(r.rclass(), 4096);            // UDP payload size
    EXPECT_EQ(r.ttl() >> 24, 0u);           // extended rcode
    EXPECT_EQ((r.ttl() >> 16) & 0xff, 0u);  // version
    EXPECT_EQ(r.ttl() & 0x8000, 0x8000u);   // DO
    ASSERT_TRUE(r.rdata_opt());
    const auto options = r.rdata_opt()->options();
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options.front().code(), 10);
    EXPECT_EQ(options.front().length(), 8);
    EXPECT_EQ(options.front().data().data(), base + 239);
    EXPECT_EQ(options.front().data().u8(7), 0x08);
    const auto padding = *std::next(options.begin());
    EXPECT_EQ(padding.code(), 12);
    EXPECT_TRUE(padding.data().empty());
  }
  ++additional;
  {
    const net::DnsRecordView r = *additional;
    EXPECT_EQ(static_cast<int>(r.type()), 99);
    EXPECT_EQ(r.rdata_arm(), net::DnsRecordView::RdataArm::raw);
    ASSERT_TRUE(r.rdata_raw());
    EXPECT_EQ(r.rdata_raw()->as_string_view(), "abc");
  }
}

std::string error_of(const std::vector<std::uint8_t>& packet) {
  const auto dns = net::Dns::parse(packet);
  return dns ? std::string("parsed") : dns.error().message();
}

TEST(Dns, RdlengthMustFitTheRdata) {
  auto longer = dns_response();
  longer[62] = 5;  // the A record claims five bytes
  const auto too_long = net::Dns::parse(longer);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code(), lp::errc::bad_length) << too_long.error();
  EXPECT_EQ(too_long.error().field_path(), "Dns.answers[1].rdata") << too_long.error();

  auto shorter = dns_response();
  shorter[62] = 3;  // three bytes cannot hold an IPv4 address
  const auto too_short = net::Dns::parse(shorter);
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().code(), lp::errc::bad_length) << too_short.error();
  EXPECT_EQ(too_short.error().field_path().substr(0, 20), "Dns.answers[1].rdata")
      << too_short.error();

  auto cname = dns_response();
  cname[44] = 5;  // the CNAME's name needs six bytes
  const auto short_name = net::Dns::parse(cname);
  ASSERT_FALSE(short_name);
  EXPECT_EQ(short_name.error().code(), lp::errc::bad_length) << short_name.error();
  EXPECT_EQ(short_name.error().field_path().substr(0, 20), "Dns.answers[0].rdata")
      << short_name.error();

  auto txt = dns_response();
  txt[134] = 7;  // "world" claims seven bytes, past the rdata
  const auto long_string = net::Dns::parse(txt);
  ASSERT_FALSE(long_string);
  EXPECT_EQ(long_string.error().code(), lp::errc::bad_length) << long_string.error();
  EXPECT_EQ(long_string.error().field_path().substr(0, 20), "Dns.answers[4].rdata")
      << long_string.error();

  auto opt = dns_response();
  opt[238] = 9;  // the cookie claims nine bytes, past the rdata
  const auto long_option = net::Dns::parse(opt);
  ASSERT_FALSE(long_option);
  EXPECT_EQ(long_option.error().code(), lp::errc::bad_length) << long_option.error();
  EXPECT_EQ(long_option.error().field_path().substr(0, 23), "Dns.additional[0].rdata")
      << long_option.error();

  auto past = dns_response();
  past[262] = 4;  // the last record's rdata runs past the message
  const auto past_end = net::Dns::parse(past);
  ASSERT_FALSE(past_end);
  EXPECT_EQ(past_end.error().code(), lp::errc::truncated) << past_end.error();
  EXPECT_EQ(past_end.error().needed(), 1u) << past_end.error();
}

TEST(Dns, LabelErrors) {
  auto overflowing = dns_query();
  overflowing[24] = 0x3f;  // "com" claims 63 bytes: past the end of the message
  const auto label = net::Dns::parse(overflowing);
  ASSERT_FALSE(label);
  EXPECT_EQ(label.error().code(), lp::errc::truncated) << label.error();
  EXPECT_EQ(label.error().field_path().substr(0, 32), "Dns.questions[0].name.DnsName.la")
      << label.error();

  auto extended = dns_query();
  extended[16] = 0x47;  // kind 01: an extended label
  EXPECT_EQ(error_of(extended),
            "constraint failed at byte 16: Dns.questions[0].name.DnsName.labels[1].kind (kind == "
            "DnsLabelKind.LABEL || kind == DnsLabelKind.POINTER), got 1");

  auto unterminated = dns_query();
  unterminated.resize(28);  // no root label
  const auto cut = net::Dns::parse(unterminated);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code(), lp::errc::truncated) << cut.error();
}

TEST(Dns, CountsLargerThanTheRecordsAreTruncated) {
  auto packet = dns_query();
  packet[7] = 1;  // ancount 1, no answer present
  const auto dns = net::Dns::parse(packet);
  ASSERT_FALSE(dns);
  EXPECT_EQ(dns.error().code(), lp::errc::truncated) << dns.error();
  EXPECT_EQ(dns.error().byte_offset(), 33u) << dns.error();
  EXPECT_EQ(dns.error().field_path().substr(0, 14), "Dns.answers[0]") << dns.error();

  auto response = dns_response();
  response[11] = 3;  // arcount 3, two present
  const auto more = net::Dns::parse(response);
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().code(), lp::errc::truncated) << more.error();
  EXPECT_EQ(more.error().field_path().substr(0, 17), "Dns.additional[2]") << more.error();
}

TEST(Dns, EveryTruncatedPrefix) {
  lp_test::expect_every_prefix_truncated<net::Dns>(dns_query(), dns_query().size());
  lp_test::expect_every_prefix_truncated<net::Dns>(dns_response(), dns_response().size());
}

TEST(Dns, OverTcp) {
  const auto query = dns_query();
  auto packet = lp_test::concat({0x00, static_cast<std::uint8_t>(query.size())}, query);
  const auto tcp = net::DnsTcp::parse(packet);
  ASSERT_TRUE(tcp) << tcp.error();
  EXPECT_EQ(tcp->length(), query.size());
  ASSERT_TRUE(tcp->message_dns());
  EXPECT_EQ(tcp->message_dns()->id(), 0x1234);
  EXPECT_EQ(tcp->message_dns()->bytes().data(), base_of(packet) + 2);
  lp_test::expect_every_prefix_truncated<net::DnsTcp>(packet, packet.size());

  auto longer = packet;
  longer[1] = static_cast<std::uint8_t>(query.size() + 1);  // one byte after the message
  longer.push_back(0);
  const auto extra = net::DnsTcp::parse(longer);
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().code(), lp::errc::bad_length) << extra.error();
  EXPECT_EQ(extra.error().field_path(), "DnsTcp.message") << extra.error();

  auto shorter = packet;
  shorter[1] = static_cast<std::uint8_t>(query.size() - 1);  // the qclass is cut
  const auto cut = net::DnsTcp::parse(shorter);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code(), lp::errc::bad_length) << cut.error();

  longer[1] = static_cast<std::uint8_t>(query.size() + 10);  // more than the buffer holds
  const auto missing = net::DnsTcp::parse(longer);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), lp::errc::truncated) << missing.error();
  EXPECT_EQ(missing.error().needed(), 9u) << missing.error();
}

TEST(Dns, FromAUdpPayload) {
  // UDP has no port dispatch: the application parses the payload itself.
  const auto query = dns_query();
  const auto length = static_cast<std::uint8_t>(8 + query.size());
  const auto packet = lp_test::concat({0xd4, 0x31, 0x00, 0x35, 0x00, length, 0x00, 0x00}, query);
  const auto udp = net::Udp::parse(packet);
  ASSERT_TRUE(udp) << udp.error();
  ASSERT_EQ(udp->dst_port(), 53);
  const auto dns = net::Dns::parse(udp->payload());
  ASSERT_TRUE(dns) << dns.error();
  EXPECT_EQ(name_text(dns->questions().front().name()), "www.example.com.");
  EXPECT_EQ(dns->bytes().data(), base_of(packet) + 8);
}

}  // namespace
