// net/icmpv6.lps neighbor discovery (RFC 4861): the five messages with their
// options (link-layer addresses, prefix information, MTU, redirected header,
// unknown types), option errors (zero length, wrong size for the type, past
// the message), truncation, and ND inside IPv6.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "expect.hpp"
#include "net/icmpv6.lp.hpp"
#include "net/ipv6.lp.hpp"
#include "packets.hpp"

namespace {

using net::NdOptionType;

const std::byte* base_of(const std::vector<std::uint8_t>& p) {
  return reinterpret_cast<const std::byte*>(p.data());
}

// A router advertisement: hop limit 64, M and O set, lifetime 1800 s, then a
// source link-layer address, an MTU of 1500, the prefix 2001:db8:1::/64 and an
// RDNSS option (type 25, kept as bytes). 88 bytes.
std::vector<std::uint8_t> router_advertisement() {
  return {
      0x86, 0x00, 0xab, 0xcd,                          // @0 type 134, code 0, checksum
      0x40,                                            // @4 cur_hop_limit 64
      0xc0,                                            // @5 M 1, O 1, reserved 0
      0x07, 0x08,                                      // @6 router_lifetime 1800
      0x00, 0x00, 0x75, 0x30,                          // @8 reachable_time 30000
      0x00, 0x00, 0x03, 0xe8,                          // @12 retrans_timer 1000
      0x01, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,  // @16 [0] source link-layer address
      0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0xdc,  // @24 [1] MTU 1500
      0x03, 0x04, 0x40, 0xc0,                          // @32 [2] prefix information, /64, L A
      0x00, 0x27, 0x8d, 0x00,                          // @36 valid_lifetime 2592000
      0x00, 0x09, 0x3a, 0x80,                          // @40 preferred_lifetime 604800
      0x00, 0x00, 0x00, 0x00,                          // @44 reserved2
      0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,  // @48 prefix 2001:db8:1::
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  //
      0x19, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x10,  // @64 [3] RDNSS (unknown), 3 units
      0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,  // @72 2001:db8::53
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53,  //
  };
}

// A neighbor solicitation for fe80::1 with the sender's link-layer address.
std::vector<std::uint8_t> neighbor_solicitation() {
  return {
      0x87, 0x00, 0x12, 0x34,                          // @0 type 135
      0x00, 0x00, 0x00, 0x00,                          // @4 reserved
      0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // @8 target fe80::1
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  //
      0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // @24 source link-layer address
  };
}

// The neighbor advertisement answering it: router, solicited, override.
std::vector<std::uint8_t> neighbor_advertisement() {
  return {
      0x88, 0x00, 0x56, 0x78,                          // @0 type 136
      0xe0, 0x00, 0x00, 0x00,                          // @4 R S O, reserved
      0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // @8 target fe80::1
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  //
      0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // @24 target link-layer address
  };
}

// A redirect to fe80::2 for 2001:db8::99, with the target's link-layer address
// and eight bytes of the redirected packet.
std::vector<std::uint8_t> redirect() {
  return {
      0x89, 0x00, 0x9a, 0xbc,                          // @0 type 137
      0x00, 0x00, 0x00, 0x00,                          // @4 reserved
      0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // @8 target fe80::2
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,  //
      0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,  // @24 destination 2001:db8::99
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99,  //
      0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // @40 [0] target link-layer address
      0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // @48 [1] redirected header, 2 units
      0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40,  // @56 the packet's first 8 bytes
  };
}

std::string error_of(const std::vector<std::uint8_t>& packet) {
  const auto icmp = net::Icmpv6::parse(packet);
  return icmp ? std::string("parsed") : icmp.error().message();
}

TEST(Icmpv6Nd, RouterAdvertisement) {
  const auto packet = router_advertisement();
  const auto icmp = net::Icmpv6::parse(packet);
  ASSERT_TRUE(icmp) << icmp.error();
  EXPECT_EQ(icmp->type(), net::Icmpv6Type::ROUTER_ADVERTISEMENT);
  EXPECT_EQ(icmp->body_arm(), net::Icmpv6View::BodyArm::router_advertisement);
  const auto ra = icmp->body_router_advertisement();
  ASSERT_TRUE(ra);
  EXPECT_EQ(ra->cur_hop_limit(), 64);
  EXPECT_EQ(ra->managed(), 1);
  EXPECT_EQ(ra->other(), 1);
  EXPECT_EQ(ra->reserved(), 0);
  EXPECT_EQ(ra->router_lifetime(), 1800);
  EXPECT_EQ(ra->reachable_time(), 30000u);
  EXPECT_EQ(ra->retrans_timer(), 1000u);

  const auto options = ra->options();
  ASSERT_EQ(options.size(), 4u);
  const std::array<NdOptionType, 4> types = {NdOptionType::SOURCE_LINK_LAYER_ADDRESS,
                                             NdOptionType::MTU, NdOptionType::PREFIX_INFORMATION,
                                             static_cast<NdOptionType>(25)};
  const std::array<std::size_t, 4> offsets = {16, 24, 32, 64};
  const std::array<std::uint8_t, 4> lengths = {1, 1, 4, 3};
  const auto* base = base_of(packet);
  std::size_t i = 0;
  for (const net::NdOptionView option : options) {
    SCOPED_TRACE(i);
    EXPECT_EQ(option.type(), types[i]);
    EXPECT_EQ(option.length(), lengths[i]);
    EXPECT_EQ(option.bytes().data(), base + offsets[i]);
    EXPECT_EQ(option.size(), lengths[i] * 8u);
    ++i;
  }
  ASSERT_EQ(i, 4u);

  auto it = options.begin();
  const auto address = (*it).body_source_link_layer_address();
  ASSERT_TRUE(address);
  ASSERT_EQ(address->size(), 6u);
  EXPECT_EQ(address->data(), base + 18);
  EXPECT_EQ(address->u8(5), 0x55);
  ++it;
  ASSERT_TRUE((*it).body_mtu());
  EXPECT_EQ((*it).body_mtu()->reserved(), 0);
  EXPECT_EQ((*it).body_mtu()->mtu(), 1500u);
  ++it;
  const auto prefix = (*it).body_prefix_information();
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->prefix_length(), 64);
  EXPECT_EQ(prefix->on_link(), 1);
  EXPECT_EQ(prefix->autonomous(), 1);
  EXPECT_EQ(prefix->reserved1(), 0);
  EXPECT_EQ(prefix->valid_lifetime(), 2592000u);
  EXPECT_EQ(prefix->preferred_lifetime(), 604800u);
  EXPECT_EQ(prefix->reserved2(), 0u);
  ASSERT_EQ(prefix->prefix().size(), 16u);
  EXPECT_EQ(prefix->prefix()[0], 0x20);
  EXPECT_EQ(prefix->prefix()[5], 0x01);
  EXPECT_EQ(prefix->prefix()[15], 0x00);
  ++it;
  EXPECT_EQ((*it).body_arm(), net::NdOptionView::BodyArm::unknown);
  ASSERT_TRUE((*it).body_unknown());
  EXPECT_EQ((*it).body_unknown()->size(), 22u);
  EXPECT_EQ((*it).body_unknown()->data(), base + 66);
  EXPECT_EQ((*it).body_unknown()->u8(21), 0x53);
}

TEST(Icmpv6Nd, RouterSolicitation) {
  const std::vector<std::uint8_t> packet = {
      0x85, 0x00, 0x11, 0x22, 0x00, 0x00, 0x00, 0x00,  // type 133, reserved
      0x01, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,  // source link-layer address
  };
  const auto icmp = net::Icmpv6::parse(packet);
  ASSERT_TRUE(icmp) << icmp.error();
  const auto rs = icmp->body_router_solicitation();
  ASSERT_TRUE(rs);
  EXPECT_EQ(rs->reserved(), 0u);
  ASSERT_EQ(rs->options().size(), 1u);
  EXPECT_EQ(rs->options().front().body_source_link_layer_address()->u8(0), 0x00);
  EXPECT_EQ(rs->options().front().body_source_link_layer_address()->u8(1), 0x11);

  // Without options: the list is empty, not an error.
  const std::vector<std::uint8_t> bare(packet.begin(), packet.begin() + 8);
  const auto none = net::Icmpv6::parse(bare);
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(none->body_router_solicitation()->options().size(), 0u);
}

TEST(Icmpv6Nd, NeighborSolicitationAndAdvertisement) {
  const auto ns_packet = neighbor_solicitation();
  const auto ns = net::Icmpv6::parse(ns_packet);
  ASSERT_TRUE(ns) << ns.error();
  const auto solicitation = ns->body_neighbor_solicitation();
  ASSERT_TRUE(solicitation);
  EXPECT_EQ(solicitation->reserved(), 0u);
  ASSERT_EQ(solicitation->target_address().size(), 16u);
  EXPECT_EQ(solicitation->target_address()[0], 0xfe);
  EXPECT_EQ(solicitation->target_address()[1], 0x80);
  EXPECT_EQ(solicitation->target_address()[15], 0x01);
  ASSERT_EQ(solicitation->options().size(), 1u);
  EXPECT_EQ(solicitation->options().front().type(), NdOptionType::SOURCE_LINK_LAYER_ADDRESS);
  EXPECT_EQ(solicitation->options().front().body_source_link_layer_address()->u8(5), 0x02);

  const auto na_packet = neighbor_advertisement();
  const auto na = net::Icmpv6::parse(na_packet);
  ASSERT_TRUE(na) << na.error();
  const auto advertisement = na->body_neighbor_advertisement();
  ASSERT_TRUE(advertisement);
  EXPECT_EQ(advertisement->router(), 1);
  EXPECT_EQ(advertisement->solicited(), 1);
  EXPECT_EQ(advertisement->override(), 1);
  EXPECT_EQ(advertisement->reserved(), 0u);
  EXPECT_EQ(advertisement->target_address()[15], 0x01);
  const auto option = advertisement->options().front();
  EXPECT_EQ(option.type(), NdOptionType::TARGET_LINK_LAYER_ADDRESS);
  ASSERT_TRUE(option.body_target_link_layer_address());
  EXPECT_EQ(option.body_target_link_layer_address()->u8(5), 0x01);
  EXPECT_FALSE(option.body_source_link_layer_address());

  auto flags = na_packet;
  flags[4] = 0x40;  // solicited only
  const auto solicited = net::Icmpv6::parse(flags);
  ASSERT_TRUE(solicited);
  EXPECT_EQ(solicited->body_neighbor_advertisement()->router(), 0);
  EXPECT_EQ(solicited->body_neighbor_advertisement()->solicited(), 1);
  EXPECT_EQ(solicited->body_neighbor_advertisement()->override(), 0);
}

TEST(Icmpv6Nd, Redirect) {
  const auto packet = redirect();
  const auto icmp = net::Icmpv6::parse(packet);
  ASSERT_TRUE(icmp) << icmp.error();
  const auto r = icmp->body_redirect();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->target_address()[15], 0x02);
  EXPECT_EQ(r->destination_address()[0], 0x20);
  EXPECT_EQ(r->destination_address()[15], 0x99);
  ASSERT_EQ(r->options().size(), 2u);
  const auto header = (*std::next(r->options().begin())).body_redirected_header();
  ASSERT_TRUE(header);
  EXPECT_EQ(header->reserved(), 0u);
  ASSERT_EQ(header->packet().size(), 8u);
  EXPECT_EQ(header->packet().data(), base_of(packet) + 56);
  EXPECT_EQ(header->packet().u8(0), 0x60);
}

TEST(Icmpv6Nd, ZeroLengthOptionIsAnError) {
  auto packet = router_advertisement();
  packet[25] = 0;  // the MTU option of length 0 (RFC 4861 §4.6: discard the packet)
  EXPECT_EQ(error_of(packet),
            "constraint failed at byte 25: Icmpv6.body.Icmpv6RouterAdvertisement.options[1].length "
            "(length >= 1), got 0");
  auto ns = neighbor_solicitation();
  ns[25] = 0;
  EXPECT_EQ(
      error_of(ns),
      "constraint failed at byte 25: Icmpv6.body.Icmpv6NeighborSolicitation.options[0].length "
      "(length >= 1), got 0");
}

TEST(Icmpv6Nd, OptionErrors) {
  auto prefix = router_advertisement();
  prefix[34] = 129;  // a prefix longer than an address
  EXPECT_EQ(error_of(prefix),
            "constraint failed at byte 34: Icmpv6.body.Icmpv6RouterAdvertisement.options[2].body."
            "NdPrefixInformation.prefix_length (prefix_length <= 128), got 129");

  auto mtu = router_advertisement();
  mtu[25] = 2;  // an MTU option of two units: the body does not fill them
  const auto long_mtu = net::Icmpv6::parse(mtu);
  ASSERT_FALSE(long_mtu);
  EXPECT_EQ(long_mtu.error().code(), lp::errc::bad_length) << long_mtu.error();
  EXPECT_EQ(long_mtu.error().field_path(), "Icmpv6.body.Icmpv6RouterAdvertisement.options[1].body")
      << long_mtu.error();
  EXPECT_EQ(long_mtu.error().byte_offset(), 26u) << long_mtu.error();

  auto short_prefix = router_advertisement();
  short_prefix[33] = 3;  // prefix information in 24 bytes: the 30-byte body does not fit
  const auto cut_prefix = net::Icmpv6::parse(short_prefix);
  ASSERT_FALSE(cut_prefix);
  EXPECT_EQ(cut_prefix.error().code(), lp::errc::bad_length) << cut_prefix.error();
  EXPECT_EQ(cut_prefix.error().field_path(),
            "Icmpv6.body.Icmpv6RouterAdvertisement.options[2].body.NdPrefixInformation.prefix")
      << cut_prefix.error();

  auto past = router_advertisement();
  past[65] = 4;  // the last option claims 32 bytes, 24 remain
  const auto past_end = net::Icmpv6::parse(past);
  ASSERT_FALSE(past_end);
  EXPECT_EQ(past_end.error().code(), lp::errc::truncated) << past_end.error();
  EXPECT_EQ(past_end.error().field_path(), "Icmpv6.body.Icmpv6RouterAdvertisement.options[3].body")
      << past_end.error();
  EXPECT_EQ(past_end.error().needed(), 8u) << past_end.error();

  auto largest = router_advertisement();
  largest[65] = 0xff;  // 255 units: 2040 bytes, no overflow, still truncated
  const auto huge = net::Icmpv6::parse(largest);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code(), lp::errc::truncated) << huge.error();
  EXPECT_EQ(huge.error().needed(), 255u * 8 - 24) << huge.error();
}

// ICMPv6 has no length of its own: a message cut at an option boundary is a
// shorter valid message (the IPv6 payload length bounds it, below). Every other
// prefix is truncated.
TEST(Icmpv6Nd, EveryTruncatedPrefix) {
  const auto packet = router_advertisement();
  const std::array<std::size_t, 4> boundaries = {16, 24, 32, 64};
  for (std::size_t n = 0; n < packet.size(); ++n) {
    SCOPED_TRACE(n);
    const auto icmp = net::Icmpv6::parse(lp::bytes(packet.data(), n));
    const auto boundary = std::find(boundaries.begin(), boundaries.end(), n);
    if (boundary != boundaries.end()) {
      ASSERT_TRUE(icmp) << icmp.error();
      EXPECT_EQ(icmp->body_router_advertisement()->options().size(),
                static_cast<std::size_t>(boundary - boundaries.begin()));
      continue;
    }
    ASSERT_FALSE(icmp);
    EXPECT_EQ(icmp.error().code(), lp::errc::truncated) << icmp.error();
    EXPECT_LE(icmp.error().byte_offset(), n) << icmp.error();
    EXPECT_GE(icmp.error().needed(), 1u) << icmp.error();
    EXPECT_LE(icmp.error().needed(), packet.size() - n) << icmp.error();
  }
  lp_test::expect_every_prefix_truncated<net::Icmpv6>(neighbor_solicitation(), 24);
  lp_test::expect_every_prefix_truncated<net::Icmpv6>(redirect(), 40);
}

TEST(Icmpv6Nd, InsideIpv6) {
  const auto packet = lp_test::ipv6_with(58, neighbor_advertisement());
  const auto ip = net::Ipv6::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  ASSERT_TRUE(ip->payload_icmpv6());
  const auto na = ip->payload_icmpv6()->body_neighbor_advertisement();
  ASSERT_TRUE(na);
  EXPECT_EQ(na->options().size(), 1u);

  auto bad = packet;
  bad[40 + 25] = 0;  // zero-length option
  const auto zero = net::Ipv6::parse(bad);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().message(),
            "constraint failed at byte 65: Ipv6.payload.Icmpv6.body.Icmpv6NeighborAdvertisement."
            "options[0].length (length >= 1), got 0");

  auto past = packet;
  past[40 + 25] = 2;  // the option runs past the IPv6 payload
  const auto beyond = net::Ipv6::parse(past);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().field_path().rfind("Ipv6.payload", 0), 0u) << beyond.error();
}

TEST(Icmpv6Nd, SettersWriteInPlace) {
  auto packet = router_advertisement();
  auto icmp = net::Icmpv6::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(icmp);
  auto ra = icmp->body_router_advertisement_mut();
  ASSERT_TRUE(ra);
  ra->set_other(0);
  EXPECT_EQ(packet[5], 0x80);
  for (net::NdOptionMut option : ra->options_mut()) {
    if (auto mtu = option.body_mtu_mut()) mtu->set_mtu(1280);
  }
  EXPECT_EQ(packet[30], 0x05);
  EXPECT_EQ(packet[31], 0x00);
}

}  // namespace
