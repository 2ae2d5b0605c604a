// Whole messages written from values through the net/ schemas' serializers:
// the bytes are compared with the hand-written packets of packets.hpp, lengths
// and the IPv4 header checksum come out computed, pseudo-header checksums are
// computed when the caller passes the pseudo header and are an error otherwise.
#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "libparse/format.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "net/ipv4.lp.hpp"
#include "net/udp.lp.hpp"
#include "packets.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes to_bytes(const std::vector<std::byte>& v) {
  Bytes out;
  out.reserve(v.size());
  for (std::byte b : v) out.push_back(std::to_integer<std::uint8_t>(b));
  return out;
}

const Bytes dns_header = {0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

net::UdpValue udp_value(const Bytes& payload) {
  net::UdpValue v;
  v.src_port = 54321;
  v.dst_port = 53;
  v.checksum = 0x1234;
  v.payload = lp::bytes(payload);
  return v;
}

net::Ipv4Value ipv4_value(net::UdpValue udp) {
  net::Ipv4Value v;
  v.dscp = 46;
  v.ecn = 1;
  v.identification = 0x1c46;
  v.dont_fragment = 1;
  v.ttl = 64;
  v.protocol = net::IpProto::UDP;
  v.src.octets = {192, 168, 0, 1};
  v.dst.octets = {192, 168, 0, 199};
  v.payload_udp = std::move(udp);
  return v;
}

TEST(Serialize, UdpLengthComputed) {
  const auto written = net::Udp::serialize(udp_value(dns_header));
  ASSERT_TRUE(written) << written.error();
  EXPECT_EQ(to_bytes(*written), lp_test::udp_datagram());
}

// ipv4_udp() with a real header checksum: 0x9bad, the one's complement of the
// header's 16-bit words summed by hand (the sample's 0xb1e6 is made up).
Bytes ipv4_udp_checksummed() {
  Bytes p = lp_test::ipv4_udp();
  p[10] = 0x9b;
  p[11] = 0xad;
  return p;
}

TEST(Serialize, Ipv4HeaderLengthsAndChecksumComputed) {
  const auto written = net::Ipv4::serialize(ipv4_value(udp_value(dns_header)));
  ASSERT_TRUE(written) << written.error();
  EXPECT_EQ(to_bytes(*written), ipv4_udp_checksummed());  // ihl 5, total_length 40
  auto ip = net::Ipv4::parse(*written);
  ASSERT_TRUE(ip) << ip.error();
  EXPECT_TRUE(ip->verify_checksums());
}

TEST(Serialize, EthernetFrame) {
  net::EthernetValue v;
  v.dst.octets = {0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10};
  v.src.octets = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  v.ether_type = net::EtherType::IPV4;
  v.payload_ipv4 = ipv4_value(udp_value(dns_header));
  const auto written = net::Ethernet::serialize(v);
  ASSERT_TRUE(written) << written.error();
  Bytes expected = lp_test::ethernet_ipv4_udp();
  expected.resize(expected.size() - 6);  // the trailer is not part of the frame's value
  expected[14 + 10] = 0x9b;              // the IPv4 header checksum, computed
  expected[14 + 11] = 0xad;
  EXPECT_EQ(to_bytes(*written), expected);
}

TEST(Serialize, Ipv4OptionsSetTheHeaderLength) {
  net::Ipv4Value v = ipv4_value(udp_value(dns_header));
  net::Ipv4OptionValue route;
  route.type = net::Ipv4OptionType::RECORD_ROUTE;
  route.body_route = net::Ipv4RouteValue{4, {net::Ipv4AddrValue{{10, 0, 0, 1}}}};
  net::Ipv4OptionValue end;
  end.type = net::Ipv4OptionType::EOL;
  end.body_none = lp::bytes();
  v.options = {route, end};  // 7 + 1 bytes: ihl 7
  const auto written = net::Ipv4::serialize(v);
  ASSERT_TRUE(written) << written.error();
  auto ip = net::Ipv4::parse(*written);
  ASSERT_TRUE(ip) << ip.error();
  EXPECT_EQ(ip->ihl(), 7);
  EXPECT_EQ(ip->total_length(), 48);
  EXPECT_EQ(ip->options().size(), 2u);
  EXPECT_EQ(ip->options().front().length(), 7);
  EXPECT_TRUE(ip->verify_checksums());
}

TEST(Serialize, PseudoHeaderChecksumComputedWhenGiven) {
  net::UdpValue v = udp_value(dns_header);
  v.checksum.reset();
  const Bytes src = {192, 168, 0, 1};
  const Bytes dst = {192, 168, 0, 199};
  const lp::InternetChecksum pseudo =
      lp::ipv4_pseudo_header(lp::bytes(src), lp::bytes(dst), 17, 20);
  const auto written = net::Udp::serialize(v, pseudo);
  ASSERT_TRUE(written) << written.error();
  auto udp = net::Udp::parse(*written);
  ASSERT_TRUE(udp) << udp.error();
  EXPECT_TRUE(udp->verify_checksums(pseudo));
  EXPECT_NE(udp->checksum(), 0);

  // Without it the checksum is the caller's to give: never a silent zero.
  const auto missing = net::Udp::serialize(v);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), lp::errc::missing_value);
  EXPECT_EQ(missing.error().field_path(), "Udp.checksum");
  EXPECT_EQ(missing.error().byte_offset(), 6u);
  const auto nested = net::Ipv4::serialize(ipv4_value(v));
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().field_path(), "Ipv4.payload.Udp.checksum");
  EXPECT_EQ(nested.error().byte_offset(), 26u);
}

net::DnsLabelValue label(std::string_view text) {
  net::DnsLabelValue v;
  v.kind = net::DnsLabelKind::LABEL;
  v.body_text = lp::bytes(text);
  return v;
}

TEST(Serialize, DnsQueryWithCompressionPointer) {
  net::DnsValue v;
  v.id = 0xabcd;
  v.rd = 1;
  net::DnsQuestionValue question;
  question.name.labels = {label("www"), label("example"), label("com"), label("")};
  question.qtype = net::DnsType::A;
  question.qclass = 1;
  net::DnsQuestionValue again = question;
  net::DnsLabelValue pointer;
  pointer.kind = net::DnsLabelKind::POINTER;
  pointer.length = 0;  // the pointer's high bits
  pointer.body_pointer = net::DnsPointerValue{12};
  again.name.labels = {pointer};
  v.questions = {question, again};
  const auto written = net::Dns::serialize(v);
  ASSERT_TRUE(written) << written.error();
  auto dns = net::Dns::parse(*written);
  ASSERT_TRUE(dns) << dns.error();
  EXPECT_EQ(dns->qdcount(), 2);
  EXPECT_EQ(written->size(), 12u + (17u + 4u) + (2u + 4u));  // header, two questions
  lp::PointerChain chain(dns->bytes());
  const auto second = *std::next(dns->questions().begin());
  const auto target = second.name().labels().front().body_pointer()->target(chain);
  ASSERT_TRUE(target) << target.error();
  EXPECT_EQ(target->labels().size(), 4u);

  // A pointer's length is its high bits: serialize() cannot compute it.
  v.questions[1].name.labels[0].length.reset();
  const auto missing = net::Dns::serialize(v);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), lp::errc::missing_value);
  EXPECT_EQ(missing.error().field_path(), "Dns.questions[1].name.DnsName.labels[0].length");
}

}  // namespace
