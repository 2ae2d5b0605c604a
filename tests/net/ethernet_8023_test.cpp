// net/ethernet.lps: IEEE 802.3 length frames with their 802.2 LLC header (one or
// two control bytes), SNAP, padding as the trailer, and the length errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "libparse/format.hpp"
#include "net/ethernet.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::ethernet_with;

// A spanning-tree BPDU's start: LLC UI frame, DSAP 0x42, SSAP 0x42, 4 data
// bytes; length 7. Padded with zeros to the 60-byte minimum frame.
std::vector<std::uint8_t> stp_frame() {
  auto frame = ethernet_with(7, {0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x00});
  frame.resize(60, 0x00);
  return frame;
}

TEST(Ethernet8023, LengthFrameWithLlc) {
  const auto frame = stp_frame();
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  EXPECT_EQ(static_cast<std::uint16_t>(eth->ether_type()), 7);
  ASSERT_EQ(eth->payload_arm(), net::EthernetView::PayloadArm::llc);
  const auto llc = eth->payload_llc();
  ASSERT_TRUE(llc);
  EXPECT_EQ(llc->length(), 7);
  EXPECT_EQ(llc->dsap(), 0x42);
  EXPECT_EQ(llc->ssap(), 0x42);
  EXPECT_EQ(llc->control(), 0x03);
  EXPECT_FALSE(llc->control_high());
  EXPECT_FALSE(llc->snap());
  EXPECT_EQ(llc->data().size(), 4u);
  // The padding after the 7 bytes is the trailer.
  EXPECT_EQ(eth->trailer().size(), 60u - 14 - 7);
}

TEST(Ethernet8023, InformationFramesHaveTwoControlBytes) {
  // An I frame (control low bit 0): N(S) and N(R) in two bytes, then 2 data bytes.
  const auto frame = ethernet_with(6, {0xf0, 0xf0, 0x02, 0x04, 'h', 'i'});
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  const auto llc = eth->payload_llc();
  ASSERT_TRUE(llc);
  ASSERT_TRUE(llc->control_high());
  EXPECT_EQ(*llc->control_high(), 0x04);
  EXPECT_EQ(llc->header_length(), 4u);
  EXPECT_EQ(llc->data().as_string_view(), "hi");
}

TEST(Ethernet8023, Snap) {
  // SNAP: OUI 0, protocol 0x0800 (an IPv4 datagram's first byte follows).
  const auto frame = ethernet_with(9, {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x45});
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  const auto llc = eth->payload_llc();
  ASSERT_TRUE(llc);
  ASSERT_TRUE(llc->snap());
  EXPECT_EQ(llc->snap()->oui(), 0u);
  EXPECT_EQ(llc->snap()->protocol_id(), 0x0800);
  EXPECT_EQ(llc->header_length(), 8u);
  ASSERT_EQ(llc->data().size(), 1u);
  EXPECT_EQ(llc->data().u8(0), 0x45);
}

TEST(Ethernet8023, LengthShorterThanTheLlcHeader) {
  const auto frame = ethernet_with(2, {0x42, 0x42, 0x03, 0x00});
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_FALSE(eth);
  EXPECT_EQ(eth.error().code(), lp::errc::overflow);
  EXPECT_EQ(eth.error().text(), "length - header_length");
  EXPECT_EQ(eth.error().field_path(), "Ethernet.payload.Llc.data");
  EXPECT_EQ(eth.error().byte_offset(), 17u);
}

TEST(Ethernet8023, LengthPastTheCapture) {
  // Length 100, 7 bytes captured: the data is cut.
  const auto frame = ethernet_with(100, {0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x00});
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_FALSE(eth);
  EXPECT_EQ(eth.error().code(), lp::errc::truncated);
  EXPECT_EQ(eth.error().field_path(), "Ethernet.payload.Llc.data");
  EXPECT_EQ(eth.error().byte_offset(), 17u);
  EXPECT_EQ(eth.error().needed(), 93u);
}

TEST(Ethernet8023, LargestLengthAndSmallestType) {
  // 1500 is still a length; 1536 (0x0600) and up are EtherTypes (raw here).
  std::vector<std::uint8_t> body(1500, 0x00);
  body[0] = 0x42;
  body[1] = 0x42;
  body[2] = 0x03;
  const auto longest = ethernet_with(1500, body);
  const auto eth = net::Ethernet::parse(longest);
  ASSERT_TRUE(eth) << eth.error();
  EXPECT_EQ(eth->payload_llc()->data().size(), 1497u);
  const auto typed = ethernet_with(0x0600, body);
  EXPECT_EQ(net::Ethernet::parse(typed).value().payload_arm(), net::EthernetView::PayloadArm::raw);
}

TEST(Ethernet8023, InsideAVlanTag) {
  const auto frame = ethernet_with(0x8100, lp_test::vlan_with(5, {0x42, 0x42, 0x03, 0x01, 0x02}));
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  const auto tag = eth->payload_vlan();
  ASSERT_TRUE(tag);
  ASSERT_TRUE(tag->payload_llc());
  EXPECT_EQ(tag->payload_llc()->data().size(), 2u);
}

}  // namespace
