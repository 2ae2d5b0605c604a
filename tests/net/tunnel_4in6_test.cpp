// 4in6 (RFC 2473): IPv4 carried by IPv6, the arm of ipv6.lps that needs the
// import cycle ipv4.lps <-> ipv6.lps. This file includes ipv6's header first
// (recursion_test.cpp includes ethernet's, which reaches ipv4's first), so both
// orders of the generated headers are compiled.
#include "libparse/format.hpp"
#include "net/ipv6.lp.hpp"
// After ipv6's, which included ipv4's after its own classes.
#include "net/ethernet.lp.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packets.hpp"

namespace {

using lp_test::ipv4_with;
using lp_test::ipv6_with;
using lp_test::udp_datagram;

// Ethernet -> IPv6 (next header 4) -> IPv4 (protocol UDP) -> UDP, byte by byte.
std::vector<std::uint8_t> ethernet_ipv6_ipv4_udp() {
  return {
      // Ethernet @0
      0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10,  // dst
      0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  // src
      0x86, 0xdd,                          // ether_type IPv6
      // IPv6 @14
      0x60, 0x00, 0x00, 0x00,                          // version 6, traffic_class 0, flow_label 0
      0x00, 0x28,                                      // payload_length 40
      0x04,                                            // next_header IPv4 (4in6)
      0x3f,                                            // hop_limit 63
      0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,  // src 2001:db8::1
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  //
      0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,  // dst 2001:db8::2
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,  //
      // IPv4 @54
      0x45,                    // version 4, ihl 5
      0x00,                    // dscp 0, ecn 0
      0x00, 0x28,              // total_length 40
      0xbe, 0xef,              // identification
      0x00, 0x00,              // flags 0, fragment_offset 0
      0x40,                    // ttl 64
      0x11,                    // protocol UDP
      0x00, 0x00,              // checksum (not checked by parse())
      0x0a, 0x00, 0x00, 0x01,  // src 10.0.0.1
      0x0a, 0x00, 0x00, 0x02,  // dst 10.0.0.2
      // UDP @74
      0xd4, 0x31,              // src_port 54321
      0x00, 0x35,              // dst_port 53
      0x00, 0x14,              // length 20
      0x12, 0x34,              // checksum
      0xab, 0xcd, 0x01, 0x00,  // DNS id 0xabcd, flags RD
      0x00, 0x01, 0x00, 0x00,  // qdcount 1, ancount 0
      0x00, 0x00, 0x00, 0x00,  // nscount 0, arcount 0
  };
}

TEST(Tunnel4in6, EthernetIpv6Ipv4Udp) {
  const auto frame = ethernet_ipv6_ipv4_udp();
  ASSERT_EQ(frame.size(), 94u);
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  const auto ip6 = eth->payload_ipv6();
  ASSERT_TRUE(ip6);
  EXPECT_EQ(ip6->version(), 6u);
  EXPECT_EQ(ip6->payload_length(), 40u);
  EXPECT_EQ(ip6->next_header(), net::IpProto::IPV4);
  EXPECT_EQ(ip6->hop_limit(), 63u);
  EXPECT_EQ(ip6->src().octets()[15], 0x01u);
  EXPECT_EQ(ip6->dst().octets()[15], 0x02u);
  ASSERT_EQ(ip6->payload_arm(), net::Ipv6View::PayloadArm::ipv4);
  EXPECT_FALSE(ip6->payload_raw());
  EXPECT_FALSE(ip6->payload_ipv6());

  const std::optional<net::Ipv4View> ip4 = ip6->payload_ipv4();
  ASSERT_TRUE(ip4);
  EXPECT_EQ(ip4->bytes().data(), reinterpret_cast<const std::byte*>(frame.data() + 54));
  EXPECT_EQ(ip4->version(), 4u);
  EXPECT_EQ(ip4->ihl(), 5u);
  EXPECT_EQ(ip4->total_length(), 40u);
  EXPECT_EQ(ip4->identification(), 0xbeefu);
  EXPECT_EQ(ip4->ttl(), 64u);
  EXPECT_EQ(ip4->protocol(), net::IpProto::UDP);
  EXPECT_EQ(ip4->src().octets()[0], 10u);
  EXPECT_EQ(ip4->dst().octets()[3], 2u);

  const auto udp = ip4->payload_udp();
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->src_port(), 54321u);
  EXPECT_EQ(udp->dst_port(), 53u);
  EXPECT_EQ(udp->length(), 20u);
  EXPECT_EQ(udp->checksum(), 0x1234u);
  EXPECT_EQ(udp->bytes().data(), reinterpret_cast<const std::byte*>(frame.data() + 74));
}

TEST(Tunnel4in6, EveryTruncatedPrefixFails) {
  const auto frame = ethernet_ipv6_ipv4_udp();
  for (std::size_t n = 0; n < frame.size(); ++n) {
    const auto eth = net::Ethernet::parse(lp::bytes(frame.data(), n));
    ASSERT_FALSE(eth) << n;
    EXPECT_EQ(eth.error().code(), lp::errc::truncated) << n << ": " << eth.error();
  }
}

TEST(Tunnel4in6, InnerHeaderCutByTheCapture) {
  auto frame = ethernet_ipv6_ipv4_udp();
  frame.resize(14 + 40 + 12);  // 12 bytes of the IPv4 header, payload_length still 40
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_FALSE(eth);
  EXPECT_EQ(eth.error().code(), lp::errc::truncated) << eth.error();
  EXPECT_EQ(eth.error().field_path(), "Ethernet.payload.Ipv6.payload");
  EXPECT_EQ(eth.error().byte_offset(), 54u);
  EXPECT_EQ(eth.error().needed(), 28u);  // what a stream reader waits for
}

TEST(Tunnel4in6, InnerHeaderCutByThePayloadLength) {
  auto frame = ethernet_ipv6_ipv4_udp();
  frame.resize(14 + 40 + 12);
  frame[19] = 12;  // payload_length 12: the IPv4 header does not fit it
  struct Level {
    std::string type;
    std::string field;
    lp::Error error;
  };
  std::vector<Level> levels;
  lp::ParseOptions options;
  options.on_error_context = &levels;
  options.on_error = [](void* context, std::string_view type, std::string_view field,
                        const lp::Error& error) {
    static_cast<std::vector<Level>*>(context)->push_back(
        {std::string(type), std::string(field), error});
  };
  const auto eth = net::Ethernet::parse(frame, options);
  ASSERT_FALSE(eth);
  // More bytes would not help: the length that bounds the inner header is wrong.
  // The error names the inner field that does not fit: src, 12 bytes in.
  EXPECT_EQ(eth.error().code(), lp::errc::bad_length) << eth.error();
  EXPECT_EQ(eth.error().field_path(), "Ethernet.payload.Ipv6.payload.Ipv4.src");
  EXPECT_EQ(eth.error().byte_offset(), 66u);
  EXPECT_EQ(eth.error().text(), "payload_length");
  // The error sink saw where the inner header ran out: its src, at byte 12 of it.
  ASSERT_EQ(levels.size(), 3u);
  EXPECT_EQ(levels[0].type, "Ipv4");
  EXPECT_EQ(levels[0].field, "src");
  EXPECT_EQ(levels[0].error.code(), lp::errc::truncated);
  EXPECT_EQ(levels[0].error.byte_offset(), 12u);
  EXPECT_EQ(levels[1].type, "Ipv6");
  EXPECT_EQ(levels[2].type, "Ethernet");
}

TEST(Tunnel4in6, InnerHeaderFieldFails) {
  auto frame = ethernet_ipv6_ipv4_udp();
  frame[54] = 0x43;  // inner ihl 3
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_FALSE(eth);
  EXPECT_EQ(eth.error().code(), lp::errc::constraint_failed) << eth.error();
  EXPECT_EQ(eth.error().field_path(), "Ethernet.payload.Ipv6.payload.Ipv4.ihl");
  EXPECT_EQ(eth.error().byte_offset(), 54u);
  EXPECT_EQ(eth.error().bit_offset(), 4u);
}

TEST(Tunnel4in6, ThroughAnExtensionHeader) {
  // hop-by-hop (PadN of 4 bytes, next header IPv4) -> IPv4 -> UDP
  const auto inner = ipv4_with(17, udp_datagram());
  std::vector<std::uint8_t> hop = {4, 0, 1, 4, 0, 0, 0, 0};
  hop.insert(hop.end(), inner.begin(), inner.end());
  const auto packet = ipv6_with(0, hop);
  const auto ip = net::Ipv6::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  const auto h = ip->payload_hop_by_hop();
  ASSERT_TRUE(h);
  ASSERT_EQ(h->payload_arm(), net::Ipv6OptionsView::PayloadArm::ipv4);
  const auto ip4 = h->payload_ipv4();
  ASSERT_TRUE(ip4);
  EXPECT_EQ(ip4->payload_udp()->dst_port(), 53u);
}

// IPv4 in IPv6 in IPv4 ...: `pairs` IPv4+IPv6 levels around IPv4 -> UDP.
std::vector<std::uint8_t> ipv4_ipv6_stack(int pairs) {
  std::vector<std::uint8_t> packet = ipv4_with(17, udp_datagram());
  for (int i = 0; i < pairs; ++i) packet = ipv4_with(41, ipv6_with(4, packet));
  return packet;
}

TEST(Tunnel4in6, NestingHitsTheDepthLimit) {
  const auto packet = ipv4_ipv6_stack(40);     // 81 IP headers, then UDP
  const auto deep = net::Ipv4::parse(packet);  // max_depth 64
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().code(), lp::errc::too_deep) << deep.error();

  lp::ParseOptions options;
  options.max_depth = 200;
  const auto ok = net::Ipv4::parse(packet, options);
  ASSERT_TRUE(ok) << ok.error();
  std::optional<net::Ipv4View> ip4 = *ok;
  int levels = 0;
  while (const auto ip6 = ip4->payload_ipv6()) {
    ip4 = ip6->payload_ipv4();
    ASSERT_TRUE(ip4);
    ++levels;
  }
  EXPECT_EQ(levels, 40);
  EXPECT_EQ(ip4->payload_udp()->dst_port(), 53u);

  // A few levels fit the default limit; the limit counts every IP header.
  const auto shallow = ipv4_ipv6_stack(3);  // 7 IP headers, then UDP
  EXPECT_TRUE(net::Ipv4::parse(shallow));
  options.max_depth = 6;
  const auto limited = net::Ipv4::parse(shallow, options);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code(), lp::errc::too_deep) << limited.error();
  options.max_depth = 7;
  EXPECT_TRUE(net::Ipv4::parse(shallow, options));
}

TEST(Tunnel4in6, MutThroughTheTunnel) {
  auto frame = ethernet_ipv6_ipv4_udp();
  auto eth = net::Ethernet::parse_mut(std::as_writable_bytes(std::span(frame)));
  ASSERT_TRUE(eth) << eth.error();
  auto ip6 = eth->payload_ipv6_mut();
  ASSERT_TRUE(ip6);
  auto ip4 = ip6->payload_ipv4_mut();
  ASSERT_TRUE(ip4);
  ip4->set_ttl(7);
  EXPECT_EQ(frame[54 + 8], 7u);
}

}  // namespace
