// net/icmp.lps, net/icmpv6.lps, net/ipv6.lps and the VLAN tag of
// net/ethernet.lps: each layer alone and in the chains Ethernet builds.
#include <gtest/gtest.h>

#include "expect.hpp"
#include "net/ethernet.lp.hpp"
#include "net/icmp.lp.hpp"
#include "net/icmpv6.lp.hpp"
#include "net/ipv4.lp.hpp"
#include "net/ipv6.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::ethernet_with;
using lp_test::icmp_echo;
using lp_test::ipv4_with;
using lp_test::ipv6_with;
using lp_test::udp_datagram;
using lp_test::vlan_with;

TEST(Icmp, Echo) {
  const auto packet = icmp_echo();
  const auto icmp = net::Icmp::parse(packet);
  ASSERT_TRUE(icmp) << icmp.error();
  EXPECT_EQ(icmp->type(), net::IcmpType::ECHO_REQUEST);
  EXPECT_EQ(icmp->code(), 0);
  EXPECT_EQ(icmp->checksum(), 0xf73c);
  ASSERT_EQ(icmp->body_arm(), net::IcmpView::BodyArm::echo);
  EXPECT_EQ(icmp->body_echo()->identifier(), 0x1234);
  EXPECT_EQ(icmp->body_echo()->sequence(), 7);
  EXPECT_EQ(icmp->body_echo()->data().as_string_view(), "ping");
  lp_test::expect_every_prefix_truncated<net::Icmp>(packet, 8);
}

TEST(Icmp, ExtendedEchoRequestAndReply) {
  // RFC 8335: identifier 0xf6ea, sequence 1, the L bit, then an extension
  // object header (length 8, class 3 = interface identification) and a name.
  const std::vector<std::uint8_t> request = {0x2a, 0x00, 0x63, 0x14, 0xf6, 0xea, 0x01,
                                             0x01, 0x20, 0x00, 0x00, 0x00, 0x00, 0x08,
                                             0x03, 0x01, 'e',  't',  'h',  '0'};
  const auto icmp = net::Icmp::parse(request);
  ASSERT_TRUE(icmp) << icmp.error();
  EXPECT_EQ(icmp->type(), net::IcmpType::EXTENDED_ECHO_REQUEST);
  ASSERT_EQ(icmp->body_arm(), net::IcmpView::BodyArm::extended_echo);
  const auto ext = icmp->body_extended_echo();
  ASSERT_TRUE(ext);
  EXPECT_EQ(ext->identifier(), 0xf6ea);
  EXPECT_EQ(ext->sequence(), 1);
  EXPECT_EQ(ext->flags(), 1);  // L: the interface is named by the extension object
  EXPECT_EQ(ext->data().size(), 12u);
  lp_test::expect_every_prefix_truncated<net::Icmp>(request, 8);

  // A reply: state 2 (reachable) in the top three bits, A and 4 set.
  const std::vector<std::uint8_t> reply = {0x2b, 0x00, 0x00, 0x00, 0xf6, 0xea, 0x01, 0x46};
  const auto answer = net::Icmp::parse(reply);
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_EQ(answer->type(), net::IcmpType::EXTENDED_ECHO_REPLY);
  ASSERT_TRUE(answer->body_extended_echo());
  EXPECT_EQ(answer->body_extended_echo()->flags() >> 5, 2);
  EXPECT_TRUE(answer->body_extended_echo()->data().empty());
}

TEST(Icmp, ErrorKeepsTheQuotedDatagram) {
  const auto quoted = ipv4_with(17, udp_datagram());
  std::vector<std::uint8_t> packet = {0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  packet.insert(packet.end(), quoted.begin(), quoted.begin() + 28);  // header + 8 bytes
  const auto icmp = net::Icmp::parse(packet);
  ASSERT_TRUE(icmp) << icmp.error();
  EXPECT_EQ(icmp->type(), net::IcmpType::DEST_UNREACHABLE);
  ASSERT_TRUE(icmp->body_error());
  EXPECT_EQ(icmp->body_error()->rest_of_header(), 0u);
  EXPECT_EQ(icmp->body_error()->original().size(), 28u);
  // The quoted header parses on its own, though its datagram is cut short.
  const auto inner = net::Ipv4::parse(icmp->body_error()->original());
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().code(), lp::errc::truncated);
}

TEST(Icmp, TimestampAndUnknownTypes) {
  std::vector<std::uint8_t> packet = {13, 0, 0, 0, 0, 1, 0, 2};
  for (int i = 0; i < 12; ++i) packet.push_back(static_cast<std::uint8_t>(i));
  auto icmp = net::Icmp::parse(packet);
  ASSERT_TRUE(icmp) << icmp.error();
  ASSERT_TRUE(icmp->body_timestamp());
  EXPECT_EQ(icmp->body_timestamp()->transmit(), 0x08090a0bu);

  packet[0] = 40;  // Photuris: no arm
  icmp = net::Icmp::parse(packet);
  ASSERT_TRUE(icmp);
  EXPECT_EQ(icmp->body_arm(), net::IcmpView::BodyArm::raw);
  EXPECT_EQ(icmp->body_raw()->size(), 16u);
}

TEST(Ipv6, FixedHeaderAndUdp) {
  const auto packet = ipv6_with(17, udp_datagram());
  const auto ip = net::Ipv6::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  EXPECT_EQ(ip->version(), 6);
  EXPECT_EQ(ip->traffic_class(), 0xb8);
  EXPECT_EQ(ip->flow_label(), 0x12345u);
  EXPECT_EQ(ip->payload_length(), 20);
  EXPECT_EQ(ip->next_header(), net::IpProto::UDP);
  EXPECT_EQ(ip->hop_limit(), 64);
  EXPECT_EQ(ip->src().octets()[0], 0x20);
  EXPECT_EQ(ip->dst().octets()[15], 0x02);
  ASSERT_TRUE(ip->payload_udp());
  EXPECT_EQ(ip->payload_udp()->dst_port(), 53);
  EXPECT_EQ(ip->size(), 60u);
  lp_test::expect_every_prefix_truncated<net::Ipv6>(packet, packet.size());
}

TEST(Ipv6, VersionAndPayloadLengthAreChecked) {
  auto packet = ipv6_with(17, udp_datagram());
  packet[0] = 0x4b;
  auto ip = net::Ipv6::parse(packet);
  ASSERT_FALSE(ip);
  EXPECT_EQ(ip.error().message(),
            "constraint failed at byte 0: Ipv6.version (version == 6), got 4");

  packet = ipv6_with(17, udp_datagram());
  packet[5] = 24;  // four bytes more than the UDP datagram says
  packet.insert(packet.end(), 4, 0);
  ip = net::Ipv6::parse(packet);
  ASSERT_FALSE(ip);
  EXPECT_EQ(ip.error().code(), lp::errc::bad_length) << ip.error();
  EXPECT_EQ(ip.error().field_path(), "Ipv6.payload");
}

TEST(Ipv6, SettersOfFieldsThatShareBytes) {
  auto packet = ipv6_with(17, udp_datagram());
  auto ip = net::Ipv6::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(ip);
  ip->set_traffic_class(0x01);
  ip->set_flow_label(0xfffff);
  EXPECT_EQ(ip->version(), 6);
  EXPECT_EQ(ip->traffic_class(), 0x01);
  EXPECT_EQ(ip->flow_label(), 0xfffffu);
  EXPECT_EQ(packet[0], 0x60);
  EXPECT_EQ(packet[1], 0x1f);
}

TEST(Icmpv6, EchoInsideIpv6) {
  const std::vector<std::uint8_t> echo = {128, 0, 0x12, 0x34, 0, 9, 0, 1, 'h', 'i'};
  const auto packet = ipv6_with(58, echo);
  const auto ip = net::Ipv6::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  ASSERT_TRUE(ip->payload_icmpv6());
  EXPECT_EQ(ip->payload_icmpv6()->type(), net::Icmpv6Type::ECHO_REQUEST);
  EXPECT_EQ(ip->payload_icmpv6()->body_echo()->identifier(), 9);
  EXPECT_EQ(ip->payload_icmpv6()->body_echo()->data().as_string_view(), "hi");
}

TEST(Ipv6, SixInFour) {
  const auto packet = ipv4_with(41, ipv6_with(17, udp_datagram()));
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  ASSERT_TRUE(ip->payload_ipv6());
  EXPECT_EQ(ip->payload_ipv6()->payload_udp()->src_port(), 54321);

  auto bad = packet;
  bad[20] = 0x5b;  // inner version 5
  const auto broken = net::Ipv4::parse(bad);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().field_path(), "Ipv4.payload.Ipv6.version");
  EXPECT_EQ(broken.error().byte_offset(), 20u);
}

TEST(Vlan, TaggedFrame) {
  const auto frame = ethernet_with(0x8100, vlan_with(0x0800, ipv4_with(1, icmp_echo())));
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  ASSERT_TRUE(eth->payload_vlan());
  const auto vlan = *eth->payload_vlan();
  EXPECT_EQ(vlan.priority(), 5);
  EXPECT_EQ(vlan.dei(), 0);
  EXPECT_EQ(vlan.id(), 100);
  EXPECT_EQ(vlan.ether_type(), net::EtherType::IPV4);
  ASSERT_TRUE(vlan.payload_ipv4());
  ASSERT_TRUE(vlan.payload_ipv4()->payload_icmp());
  EXPECT_EQ(vlan.payload_ipv4()->payload_icmp()->body_echo()->sequence(), 7);

  auto bad = frame;
  bad[18] = 0x43;  // ihl 3 inside the tag
  const auto broken = net::Ethernet::parse(bad);
  ASSERT_FALSE(broken);
  EXPECT_EQ(
      broken.error().message(),
      "constraint failed at byte 18 bit 4: Ethernet.payload.Vlan.payload.Ipv4.ihl (ihl >= 5), "
      "got 3");
}

TEST(Vlan, QinQIsATagInsideATag) {
  const auto frame =
      ethernet_with(0x88a8, vlan_with(0x8100, vlan_with(0x86dd, ipv6_with(17, udp_datagram()))));
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  ASSERT_TRUE(eth->payload_vlan());
  const auto outer = *eth->payload_vlan();
  EXPECT_EQ(outer.ether_type(), net::EtherType::VLAN);
  ASSERT_EQ(outer.payload_arm(), net::VlanView::PayloadArm::vlan);
  const auto inner = outer.payload_vlan();
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->id(), 100);
  EXPECT_EQ(inner->ether_type(), net::EtherType::IPV6);
  ASSERT_TRUE(inner->payload_ipv6());
  EXPECT_EQ(inner->payload_ipv6()->payload_udp()->src_port(), 54321);
  EXPECT_EQ(outer.payload_bytes().size(), 4u + 60u);
}

}  // namespace
