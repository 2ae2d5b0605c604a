// parse_partial(): a failed parse keeps the fields before the failing one, at
// every nesting level, and says where it stopped.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "net/ethernet.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::ethernet_with;
using lp_test::ipv4_with;
using lp_test::tcp_segment;
using EthField = net::EthernetView::Field;
using IpField = net::Ipv4View::Field;
using TcpField = net::TcpView::Field;

std::vector<std::uint8_t> frame() { return ethernet_with(0x0800, ipv4_with(6, tcp_segment())); }

lp::bytes prefix(const std::vector<std::uint8_t>& v, std::size_t n) {
  return lp::bytes(reinterpret_cast<const std::byte*>(v.data()), n);
}

TEST(Partial, ACompleteParseHasEveryField) {
  const auto f = frame();
  const auto eth = net::EthernetView::parse_partial(prefix(f, f.size()));
  ASSERT_TRUE(eth.complete());
  EXPECT_TRUE(eth.has(EthField::trailer));
  EXPECT_FALSE(eth.stopped_at().has_value());
  const auto ip = eth.inner(EthField::payload, *eth->payload_ipv4());
  ASSERT_TRUE(ip.complete());
  EXPECT_EQ(ip->ttl(), 0x40);
}

TEST(Partial, TruncatedHeaderKeepsTheFieldsWhoseBytesArePresent) {
  const auto tcp_bytes = tcp_segment();
  // 6 bytes: both ports, not the sequence number (tshark's 46-byte frame case).
  const auto tcp = net::TcpView::parse_partial(prefix(tcp_bytes, 6));
  ASSERT_FALSE(tcp.complete());
  EXPECT_EQ(tcp.error().code(), lp::errc::truncated);
  EXPECT_TRUE(tcp.has(TcpField::src_port));
  EXPECT_TRUE(tcp.has(TcpField::dst_port));
  EXPECT_FALSE(tcp.has(TcpField::seq));
  EXPECT_FALSE(tcp.has_value(TcpField::seq));
  EXPECT_EQ(tcp.stopped_at(), TcpField::seq);
  EXPECT_EQ(tcp->src_port(), 443);
  EXPECT_EQ(tcp->dst_port(), 51000);
}

TEST(Partial, AnErrorInsideAnArmKeepsEveryOuterLevel) {
  auto f = frame();
  f[14 + 20 + 12] = 0x30;  // TCP data_offset 3: fails its `where`
  const auto eth = net::EthernetView::parse_partial(prefix(f, f.size()));
  ASSERT_FALSE(eth.complete());
  EXPECT_TRUE(eth.has(EthField::ether_type));
  EXPECT_FALSE(eth.has(EthField::payload));
  EXPECT_FALSE(eth.has(EthField::trailer));
  EXPECT_TRUE(eth.stopped_inside(EthField::payload));
  ASSERT_TRUE(eth->payload_ipv4().has_value());  // the arm parse() was in
  const auto ip = eth.inner(EthField::payload, *eth->payload_ipv4());
  ASSERT_TRUE(ip.reached());
  EXPECT_FALSE(ip.complete());
  EXPECT_TRUE(ip.has(IpField::options));
  EXPECT_TRUE(ip.stopped_inside(IpField::payload));
  EXPECT_EQ(ip->src().octets()[3], 0x01);
  EXPECT_EQ(ip->options().size(), 0u);
  const auto tcp = ip.inner(IpField::payload, *ip->payload_tcp());
  EXPECT_TRUE(tcp.has(TcpField::ack));
  EXPECT_FALSE(tcp.has(TcpField::data_offset));
  EXPECT_TRUE(tcp.has_value(TcpField::data_offset));  // the bytes are there
  EXPECT_EQ(tcp.stopped_at(), TcpField::data_offset);
  EXPECT_FALSE(tcp.stopped_inside(TcpField::data_offset));
  EXPECT_EQ(tcp->data_offset(), 3);
  EXPECT_EQ(tcp->ack(), 0x0a0b0c0du);
}

TEST(Partial, AChildNeverReachedIsUnparsed) {
  const auto f = frame();
  // The IPv4 header is whole but its payload is cut: parsing stops at
  // Ipv4.payload (the region is longer than the input) before the TCP arm.
  const auto eth = net::EthernetView::parse_partial(prefix(f, 14 + 20 + 10));
  ASSERT_FALSE(eth.complete());
  ASSERT_TRUE(eth.stopped_inside(EthField::payload));
  const auto ip = eth.inner(EthField::payload, *eth->payload_ipv4());
  EXPECT_TRUE(ip.has(IpField::dst));
  EXPECT_EQ(ip.stopped_at(), IpField::payload);
  EXPECT_FALSE(ip.stopped_inside(IpField::payload));
  const auto tcp = ip.inner(IpField::payload, net::TcpView());
  EXPECT_FALSE(tcp.reached());
  EXPECT_FALSE(tcp.has(TcpField::src_port));
}

TEST(Partial, EveryPrefixReadsOnlyCorrectValues) {
  // Whatever the cut, a field partial parse says it has reads the same value as
  // the whole parse (and, under ASan, stays inside the prefix).
  const auto f = frame();
  const auto whole = net::EthernetView::parse(prefix(f, f.size()));
  ASSERT_TRUE(whole);
  const auto whole_ip = *whole->payload_ipv4();
  const auto whole_tcp = *whole_ip.payload_tcp();
  for (std::size_t n = 0; n < f.size(); ++n) {
    const auto eth = net::EthernetView::parse_partial(prefix(f, n));
    ASSERT_FALSE(eth.complete()) << n;
    if (eth.has(EthField::ether_type)) {
      EXPECT_EQ(eth->ether_type(), net::EtherType::IPV4);
    }
    EXPECT_EQ(eth.has(EthField::ether_type), n >= 14) << n;
    if (!eth.stopped_inside(EthField::payload)) continue;
    const auto ip = eth.inner(EthField::payload, *eth->payload_ipv4());
    EXPECT_EQ(ip.has(IpField::dst), n >= 34) << n;
    if (ip.has(IpField::total_length)) {
      EXPECT_EQ(ip->total_length(), whole_ip.total_length());
    }
    if (ip.has(IpField::dst)) {
      EXPECT_EQ(ip->dst().octets()[3], 0xc7);
    }
    if (ip.has(IpField::options)) {
      EXPECT_EQ(ip->options_bytes().size(), 0u);
    }
    if (!ip.stopped_inside(IpField::payload)) continue;
    const auto tcp = ip.inner(IpField::payload, *ip->payload_tcp());
    if (tcp.has(TcpField::urgent_pointer)) {
      EXPECT_EQ(tcp->window(), whole_tcp.window());
    }
  }
}

TEST(Partial, ArrayElementErrorsStopInsideTheArray) {
  auto seg = tcp_segment();
  seg[21] = 0x01;  // MSS option length 1: below its minimum
  const auto tcp = net::TcpView::parse_partial(prefix(seg, seg.size()));
  ASSERT_FALSE(tcp.complete());
  EXPECT_TRUE(tcp.has(TcpField::urgent_pointer));
  EXPECT_FALSE(tcp.has(TcpField::options));
  EXPECT_TRUE(tcp.stopped_inside(TcpField::options));
  EXPECT_TRUE(tcp.error().path_has_index(1));
  EXPECT_EQ(tcp.error().path_index(1), 0u);
}

TEST(Partial, FieldsAreNamedInDeclarationOrder) {
  EXPECT_EQ(net::Ipv4View::field_named("ttl"), IpField::ttl);
  EXPECT_FALSE(net::Ipv4View::field_named("nope").has_value());
  EXPECT_EQ(net::Ipv4View::field_rank("version"), 0u);
  EXPECT_EQ(net::Ipv4View::field_rank("payload"), net::Ipv4View::field_count - 1);
  EXPECT_EQ(net::Ipv4View::field_rank(""), net::Ipv4View::field_count);
}

}  // namespace
