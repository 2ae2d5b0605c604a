// net/arp.lps: the fixed header, addresses of any size, truncation.
#include <gtest/gtest.h>

#include "expect.hpp"
#include "libparse/format.hpp"
#include "net/arp.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "packets.hpp"

namespace {

TEST(Arp, ParsesARequest) {
  const auto packet = lp_test::arp_request();
  const auto arp = net::Arp::parse(packet);
  ASSERT_TRUE(arp) << arp.error();
  EXPECT_EQ(arp->hw_type(), 1);
  EXPECT_EQ(arp->proto_type(), 0x0800);
  EXPECT_EQ(arp->hw_size(), 6);
  EXPECT_EQ(arp->proto_size(), 4);
  EXPECT_EQ(arp->opcode(), net::ArpOpcode::REQUEST);
  EXPECT_EQ(fmt::format("{}", arp->sender_hw()), "52 54 00 12 34 56");
  EXPECT_EQ(fmt::format("{}", arp->sender_proto()), "c0 a8 00 01");
  EXPECT_EQ(fmt::format("{}", arp->target_hw()), "00 00 00 00 00 00");
  EXPECT_EQ(fmt::format("{}", arp->target_proto()), "c0 a8 00 c7");
  EXPECT_EQ(arp->size(), 28u);
  const auto* base = reinterpret_cast<const std::byte*>(packet.data());
  EXPECT_EQ(arp->target_proto().data(), base + 24);
}

TEST(Arp, AddressSizesComeFromTheHeader) {
  // A made-up hardware type with 2-byte addresses and 16-byte (IPv6) protocol addresses.
  std::vector<std::uint8_t> packet = {0x00, 0x20, 0x86, 0xdd, 0x02, 0x10, 0x00, 0x02};
  for (int i = 0; i < 2 * (2 + 16); ++i) packet.push_back(static_cast<std::uint8_t>(i));
  const auto arp = net::Arp::parse(packet);
  ASSERT_TRUE(arp) << arp.error();
  EXPECT_EQ(arp->opcode(), net::ArpOpcode::REPLY);
  EXPECT_EQ(arp->sender_hw().size(), 2u);
  EXPECT_EQ(arp->sender_proto().size(), 16u);
  EXPECT_EQ(arp->target_hw().u8(0), 18);
  EXPECT_EQ(arp->target_proto().u8(15), 35);
  EXPECT_EQ(arp->size(), packet.size());
}

TEST(Arp, EveryTruncatedPrefix) {
  const auto packet = lp_test::arp_request();
  lp_test::expect_every_prefix_truncated<net::Arp>(packet, packet.size());
  const auto cut = net::Arp::parse(lp::bytes(packet.data(), 20));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().message(), "truncated at byte 18: Arp.target_hw, 4 more bytes needed");
}

TEST(Arp, InsideEthernetWithPadding) {
  auto frame = lp_test::ethernet_with(0x0806, lp_test::arp_request());
  frame.insert(frame.end(), 18, 0x00);  // padded to the 60-byte minimum
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  EXPECT_EQ(eth->payload_arm(), net::EthernetView::PayloadArm::arp);
  ASSERT_TRUE(eth->payload_arp());
  EXPECT_EQ(eth->payload_arp()->opcode(), net::ArpOpcode::REQUEST);
  EXPECT_EQ(eth->trailer().size(), 18u);
}

// ATMARP (RFC 2225): the lengths of the ATM numbers and subaddresses are the
// low six bits of their type-and-length bytes (bit 6: E.164).
TEST(AtmArp, AddressLengthsComeFromTheTypeAndLengthBytes) {
  std::vector<std::uint8_t> packet = {0x00, 0x13, 0x08, 0x00, 0x48, 0x02,
                                      0x00, 0x02, 0x04, 0x14, 0x00, 0x04};
  for (int i = 0; i < 8 + 2 + 4 + 20 + 4; ++i) packet.push_back(static_cast<std::uint8_t>(i));
  const auto arp = net::AtmArp::parse(packet);
  ASSERT_TRUE(arp) << arp.error();
  EXPECT_EQ(arp->hw_type(), 19);
  EXPECT_EQ(arp->sender_number_e164(), 1);
  EXPECT_EQ(arp->sender_number().size(), 8u);
  EXPECT_EQ(arp->sender_subaddress().size(), 2u);
  EXPECT_EQ(arp->opcode(), net::ArpOpcode::REPLY);
  EXPECT_EQ(arp->sender_proto().u8(0), 10);
  EXPECT_EQ(arp->target_number_e164(), 0);
  EXPECT_EQ(arp->target_number().size(), 20u);
  EXPECT_EQ(arp->target_proto().u8(3), 37);
  EXPECT_EQ(arp->size(), packet.size());
  lp_test::expect_every_prefix_truncated<net::AtmArp>(packet, packet.size());
}

}  // namespace
