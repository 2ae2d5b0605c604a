// net/tcp.lps: header fields, flags, options and data, the data-offset
// constraint, truncation, writes.
#include <gtest/gtest.h>

#include "expect.hpp"
#include "net/ipv4.lp.hpp"
#include "net/tcp.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::tcp_segment;

TEST(Tcp, ParsesEveryField) {
  const auto packet = tcp_segment();
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_TRUE(tcp) << tcp.error();
  EXPECT_EQ(tcp->src_port(), 443);
  EXPECT_EQ(tcp->dst_port(), 51000);
  EXPECT_EQ(tcp->seq(), 0x01020304u);
  EXPECT_EQ(tcp->ack(), 0x0a0b0c0du);
  EXPECT_EQ(tcp->data_offset(), 6);
  EXPECT_EQ(tcp->reserved(), 0);
  EXPECT_EQ(tcp->ns(), 0);
  EXPECT_EQ(tcp->cwr(), 0);
  EXPECT_EQ(tcp->ece(), 0);
  EXPECT_EQ(tcp->urg(), 0);
  EXPECT_EQ(tcp->ack_flag(), 1);
  EXPECT_EQ(tcp->psh(), 0);
  EXPECT_EQ(tcp->rst(), 0);
  EXPECT_EQ(tcp->syn(), 1);
  EXPECT_EQ(tcp->fin(), 0);
  EXPECT_EQ(tcp->window(), 0xffff);
  EXPECT_EQ(tcp->checksum(), 0xbeef);
  EXPECT_EQ(tcp->urgent_pointer(), 0);
  ASSERT_EQ(tcp->options().size(), 4u);
  EXPECT_EQ(tcp->options().u8(0), 2);  // MSS
  EXPECT_EQ(tcp->payload().as_string_view(), "GET ");
  const auto* base = reinterpret_cast<const std::byte*>(packet.data());
  EXPECT_EQ(tcp->options().data(), base + 20);
  EXPECT_EQ(tcp->payload().data(), base + 24);
}

TEST(Tcp, DataOffsetBelowFiveWordsFails) {
  auto packet = tcp_segment();
  packet[12] = 0x40;
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_FALSE(tcp);
  EXPECT_EQ(tcp.error().message(),
            "constraint failed at byte 12: Tcp.data_offset (data_offset >= 5), got 4");
}

TEST(Tcp, OptionsLongerThanTheSegmentAreTruncated) {
  auto packet = tcp_segment();
  packet[12] = 0xf0;  // 60-byte header, 40 bytes of options
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_FALSE(tcp);
  EXPECT_EQ(tcp.error().code(), lp::errc::truncated);
  EXPECT_EQ(tcp.error().field_path(), "Tcp.options");
  EXPECT_EQ(tcp.error().byte_offset(), 20u);
  EXPECT_EQ(tcp.error().needed(), 60u - packet.size());
}

TEST(Tcp, EveryTruncatedPrefix) {
  lp_test::expect_every_prefix_truncated<net::Tcp>(tcp_segment(), 24);
  const auto packet = tcp_segment();
  const auto cut = net::Tcp::parse(lp::bytes(packet.data(), 12));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().message(), "truncated at byte 12: Tcp.data_offset, 8 more bytes needed");
}

TEST(Tcp, FlagSettersKeepTheOtherBits) {
  auto packet = tcp_segment();
  auto tcp = net::Tcp::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(tcp);
  tcp->set_fin(1);
  tcp->set_syn(0);
  tcp->set_ns(1);
  EXPECT_EQ(packet[12], 0x61);
  EXPECT_EQ(packet[13], 0x11);
  EXPECT_EQ(tcp->ack_flag(), 1);
  EXPECT_EQ(tcp->data_offset(), 6);
}

TEST(Tcp, InsideIpv4) {
  const auto packet = lp_test::ipv4_with(6, tcp_segment());
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  EXPECT_EQ(ip->payload_arm(), net::Ipv4View::PayloadArm::tcp);
  ASSERT_TRUE(ip->payload_tcp());
  EXPECT_EQ(ip->payload_tcp()->dst_port(), 51000);
  EXPECT_EQ(ip->payload_tcp()->payload().as_string_view(), "GET ");

  auto bad = packet;
  bad[20 + 12] = 0x30;
  const auto broken = net::Ipv4::parse(bad);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message(),
            "constraint failed at byte 32: Ipv4.payload.Tcp.data_offset (data_offset >= 5), got 3");
}

}  // namespace
