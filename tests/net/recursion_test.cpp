// Recursive arms: tunnels (IP-in-IP, IPv6-in-IPv6), the IPv6 extension-header
// chain and QinQ, each a struct reached again through a switch arm. The arm's
// view is re-read by its accessor; the depth limit bounds any chain.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "libparse/format.hpp"
#include "net/ethernet.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::concat;
using lp_test::ethernet_with;
using lp_test::ipv4_with;
using lp_test::ipv6_with;
using lp_test::tcp_segment;
using lp_test::udp_datagram;
using lp_test::vlan_with;

TEST(Recursion, IpInIp) {
  const auto packet = ipv4_with(4, ipv4_with(6, tcp_segment()));
  const auto outer = net::Ipv4::parse(packet);
  ASSERT_TRUE(outer) << outer.error();
  ASSERT_EQ(outer->payload_arm(), net::Ipv4View::PayloadArm::ipv4);
  const auto inner = outer->payload_ipv4();
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->total_length(), 20 + tcp_segment().size());
  ASSERT_TRUE(inner->payload_tcp());
  EXPECT_EQ(inner->payload_tcp()->src_port(), 443);
  EXPECT_EQ(inner->bytes().data(), outer->payload_bytes().data());

  auto bad = packet;
  bad[20] = 0x43;  // inner ihl 3
  const auto broken = net::Ipv4::parse(bad);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().field_path(), "Ipv4.payload.Ipv4.ihl");
  EXPECT_EQ(broken.error().byte_offset(), 20u);
}

TEST(Recursion, Ipv6ExtensionHeaderChain) {
  // hop-by-hop (PadN of 4 bytes) -> routing (type 4, 8 bytes) -> destination
  // options (Pad1 x6) -> UDP
  const std::vector<std::uint8_t> dest = {17, 0, 0, 0, 0, 0, 0, 0};
  const auto routing = concat({60, 0, 4, 1, 0, 0, 0, 0}, dest);
  const auto hop = concat({43, 0, 1, 4, 0, 0, 0, 0}, routing);
  auto chain = hop;
  const auto udp = udp_datagram();
  for (const std::uint8_t b : udp) chain.push_back(b);
  const auto packet = ipv6_with(0, chain);
  const auto ip = net::Ipv6::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  ASSERT_EQ(ip->payload_arm(), net::Ipv6View::PayloadArm::hop_by_hop);
  const auto h = ip->payload_hop_by_hop();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->next_header(), net::IpProto::IPV6_ROUTE);
  ASSERT_EQ(h->options().size(), 1u);
  EXPECT_EQ((*h->options().begin()).type(), 1);  // PadN
  const auto r = h->payload_routing();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->routing_type(), 4);
  EXPECT_EQ(r->segments_left(), 1);
  const auto d = r->payload_destination_options();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->options().size(), 6u);  // six Pad1
  ASSERT_TRUE(d->payload_udp());
  EXPECT_EQ(d->payload_udp()->src_port(), 54321);
}

TEST(Recursion, Ipv6FragmentsAreRaw) {
  // next header UDP, offset 0, M=1, identification 0xdeadbeef
  const auto packet =
      ipv6_with(44, concat({17, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef}, udp_datagram()));
  const auto ip = net::Ipv6::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  const auto f = ip->payload_fragment();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->offset(), 0);
  EXPECT_EQ(f->more(), 1);
  EXPECT_EQ(f->identification(), 0xdeadbeefu);
  EXPECT_EQ(f->payload_arm(), net::Ipv6FragmentView::PayloadArm::raw);
}

TEST(Recursion, Ipv6InIpv6AndSixInFour) {
  const auto packet = ipv4_with(41, ipv6_with(41, ipv6_with(17, udp_datagram())));
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  const auto outer6 = ip->payload_ipv6();
  ASSERT_TRUE(outer6);
  const auto inner6 = outer6->payload_ipv6();
  ASSERT_TRUE(inner6);
  EXPECT_EQ(inner6->payload_udp()->dst_port(), 53);
}

TEST(Recursion, DeepTagStacksHitTheDepthLimit) {
  std::vector<std::uint8_t> payload = ipv4_with(17, udp_datagram());
  std::uint16_t type = 0x0800;
  for (int i = 0; i < 100; ++i) {
    payload = vlan_with(type, payload);
    type = 0x8100;
  }
  const auto frame = ethernet_with(0x8100, payload);
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_FALSE(eth);
  EXPECT_EQ(eth.error().code(), lp::errc::too_deep);
  EXPECT_TRUE(eth.error().path_truncated());  // the innermost segments are kept

  lp::ParseOptions deep;
  deep.max_depth = 200;
  const auto ok = net::Ethernet::parse(frame, deep);
  ASSERT_TRUE(ok) << ok.error();
  // A copy: the recursive arm below returns std::optional, the stored one optional_ref.
  std::optional<net::VlanView> vlan = ok->payload_vlan();
  int tags = 1;
  while (vlan && vlan->payload_vlan()) {
    vlan = vlan->payload_vlan();  // re-read without limits: the parse validated it
    ++tags;
  }
  EXPECT_EQ(tags, 100);
  EXPECT_EQ(vlan->payload_ipv4()->payload_udp()->dst_port(), 53);
}

TEST(Recursion, PartialViewsFollowRecursiveArms) {
  auto frame =
      ethernet_with(0x8100, vlan_with(0x8100, vlan_with(0x0800, ipv4_with(6, tcp_segment()))));
  frame[14 + 8 + 20 + 12] = 0x30;  // TCP data_offset 3
  const auto eth = net::EthernetView::parse_partial(frame);
  ASSERT_FALSE(eth.complete());
  using EthField = net::EthernetView::Field;
  using VlanField = net::VlanView::Field;
  const auto outer = eth.inner(EthField::payload, *eth->payload_vlan());
  ASSERT_TRUE(outer.stopped_inside(VlanField::payload));
  const auto inner = outer.inner(VlanField::payload, *outer->payload_vlan());
  EXPECT_TRUE(inner.has(VlanField::ether_type));
  EXPECT_EQ(inner->ether_type(), net::EtherType::IPV4);
  const auto ip = inner.inner(VlanField::payload, *inner->payload_ipv4());
  const auto tcp = ip.inner(net::Ipv4View::Field::payload, *ip->payload_tcp());
  EXPECT_EQ(tcp.stopped_at(), net::TcpView::Field::data_offset);
  EXPECT_EQ(tcp->dst_port(), 51000);
}

}  // namespace
