// Checksums the net/ schemas declare (`checksum internet`): verify_checksums(),
// <field>_expected() and update_checksums() on IPv4, UDP, TCP, ICMP and ICMPv6.
// The expected values were computed outside libparse (a plain sum of 16-bit
// words over the same bytes) and are written out here.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "libparse/format.hpp"
#include "net/icmp.lp.hpp"
#include "net/icmpv6.lp.hpp"
#include "net/ipv4.lp.hpp"
#include "net/ipv6.lp.hpp"
#include "net/tcp.lp.hpp"
#include "net/udp.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::ipv4_udp;
using lp_test::ipv4_with;
using lp_test::ipv6_with;

void put16(std::vector<std::uint8_t>& p, std::size_t at, std::uint16_t v) {
  p[at] = static_cast<std::uint8_t>(v >> 8);
  p[at + 1] = static_cast<std::uint8_t>(v);
}

// The pseudo-header of the sample IPv4 packets: 192.168.0.1 -> 192.168.0.199.
lp::InternetChecksum pseudo_v4(const net::Ipv4View& ip) {
  return lp::ipv4_pseudo_header(ip.src().bytes(), ip.dst().bytes(),
                                static_cast<std::uint8_t>(ip.protocol()),
                                static_cast<std::uint16_t>(ip.payload_bytes().size()));
}

TEST(Ipv4Checksum, ExpectedValueAndVerification) {
  auto packet = ipv4_udp();  // its header carries a made-up checksum, 0xb1e6
  auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  const auto expected = ip->checksum_expected();
  ASSERT_TRUE(expected) << expected.error();
  EXPECT_EQ(*expected, 0x9bad);

  const lp::Status bad = ip->verify_checksums();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), lp::errc::bad_checksum);
  EXPECT_EQ(bad.error().field_path(), "Ipv4.checksum");
  EXPECT_EQ(bad.error().byte_offset(), 10u);
  EXPECT_EQ(bad.error().actual(), 0xb1e6u);
  EXPECT_EQ(bad.error().expected(), 0x9badu);
  EXPECT_EQ(fmt::format("{}", bad.error()),
            "bad checksum at byte 10: Ipv4.checksum (internet), got 0xb1e6, expected 0x9bad");

  put16(packet, 10, 0x9bad);
  ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip);
  EXPECT_TRUE(ip->verify_checksums());
  // Only the header is covered: the payload may change freely.
  packet[30] ^= 0xff;
  EXPECT_TRUE(net::Ipv4::parse(packet).value().verify_checksums());
  // Any header byte breaks it.
  packet[8] ^= 0x01;  // ttl
  EXPECT_FALSE(net::Ipv4::parse(packet).value().verify_checksums());
}

TEST(Ipv4Checksum, CoversTheOptions) {
  // ihl 6: one NOP and three EOL bytes; the checksum covers all 24 bytes.
  auto packet =
      lp_test::concat({0x46, 0x00, 0x00, 0x18, 0x00, 0x01, 0x00, 0x00, 0x40, 0xfd, 0x00, 0x00,
                       0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7, 0x01, 0x00, 0x00, 0x00},
                      {});
  auto mut = net::Ipv4::parse_mut(packet);
  ASSERT_TRUE(mut) << mut.error();
  ASSERT_TRUE(mut->update_checksums());
  EXPECT_EQ(mut->checksum(), 0xf5cf);  // protocol 253 (experimental): a raw payload
  packet[20] = 0x00;                   // the NOP becomes an EOL
  EXPECT_FALSE(net::Ipv4::parse(packet).value().verify_checksums());
}

TEST(Ipv4Checksum, DecrementTtlAndUpdate) {
  // The design brief's example: a router's TTL decrement through the Mut view.
  auto packet = ipv4_udp();
  put16(packet, 10, 0x9bad);
  auto ip = net::Ipv4::parse_mut(packet);
  ASSERT_TRUE(ip);
  ip->set_ttl(static_cast<std::uint8_t>(ip->ttl() - 1));
  EXPECT_FALSE(ip->verify_checksums());
  ASSERT_TRUE(ip->update_checksums());
  EXPECT_TRUE(ip->verify_checksums());
  EXPECT_EQ(ip->checksum(), 0x9cad);  // RFC 1624: the TTL byte fell by one, the sum by 0x0100
}

TEST(Ipv4Checksum, BadCoveredLengthIsAnError) {
  // A view parsed from a header whose ihl grew afterwards (through the Mut view)
  // asks for more bytes than the struct has.
  auto packet = ipv4_udp();
  auto ip = net::Ipv4::parse_mut(packet);
  ASSERT_TRUE(ip);
  ip->set_ihl(15);  // 60 bytes: the datagram has 40
  const auto expected = ip->checksum_expected();
  ASSERT_FALSE(expected);
  EXPECT_EQ(expected.error().code(), lp::errc::bad_length);
  EXPECT_EQ(expected.error().field_path(), "Ipv4.checksum");
  EXPECT_EQ(expected.error().text(), "ihl * 4");
  EXPECT_EQ(expected.error().actual(), 60u);
  EXPECT_EQ(ip->verify_checksums().error().code(), lp::errc::bad_length);
  EXPECT_EQ(ip->update_checksums().error().code(), lp::errc::bad_length);
}

TEST(UdpChecksum, PseudoHeaderAndZero) {
  auto packet = ipv4_udp();
  put16(packet, 26, 0x0000);  // udp.checksum: 0 = the sender computed none
  auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip);
  const auto udp = ip->payload_udp();
  ASSERT_TRUE(udp);
  const lp::InternetChecksum pseudo = pseudo_v4(*ip);
  EXPECT_TRUE(udp->verify_checksums(pseudo));  // zero_means_none
  EXPECT_EQ(*udp->checksum_expected(pseudo), 0xfc77);

  put16(packet, 26, 0x1234);
  ip = net::Ipv4::parse(packet);
  const lp::Status bad = ip->payload_udp()->verify_checksums(pseudo);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field_path(), "Udp.checksum");
  EXPECT_EQ(bad.error().byte_offset(), 6u);  // inside the UDP view
  EXPECT_EQ(bad.error().expected(), 0xfc77u);

  put16(packet, 26, 0xfc77);
  ip = net::Ipv4::parse(packet);
  EXPECT_TRUE(ip->payload_udp()->verify_checksums(pseudo));
  // The pseudo-header counts: another destination address fails.
  const std::uint8_t other[4] = {10, 0, 0, 1};
  const auto wrong = lp::ipv4_pseudo_header(ip->src().bytes(), lp::bytes(other, 4), 17, 20);
  EXPECT_FALSE(ip->payload_udp()->verify_checksums(wrong));
  EXPECT_FALSE(ip->payload_udp()->verify_checksums(lp::InternetChecksum()));
}

TEST(UdpChecksum, UpdateNeverWritesZero) {
  // A datagram whose checksum comes out as 0: update_checksums() sends 0xffff,
  // its one's-complement equal, since 0 would mean "none".
  auto udp = lp_test::udp_datagram();
  put16(udp, 6, 0);
  lp::InternetChecksum sum;
  sum.add(lp::bytes(udp));
  // Choose the last payload word so that the whole sum is 0xffff (checksum 0).
  const std::uint16_t last = static_cast<std::uint16_t>(udp[18] << 8 | udp[19]);
  std::uint32_t rest = static_cast<std::uint32_t>(sum.sum()) + (0xffffu - last);
  rest = (rest & 0xffff) + (rest >> 16);
  put16(udp, 18, static_cast<std::uint16_t>(0xffff - rest));
  auto mut = net::Udp::parse_mut(udp);
  ASSERT_TRUE(mut);
  ASSERT_EQ(*mut->checksum_expected(lp::InternetChecksum()), 0);
  ASSERT_TRUE(mut->update_checksums(lp::InternetChecksum()));
  EXPECT_EQ(mut->checksum(), 0xffff);
  EXPECT_TRUE(mut->verify_checksums(lp::InternetChecksum()));
}

TEST(TcpChecksum, OverPseudoHeaderHeaderAndPayload) {
  auto packet = ipv4_with(6, lp_test::tcp_segment());
  auto ip = net::Ipv4::parse_mut(packet);
  ASSERT_TRUE(ip) << ip.error();
  ASSERT_TRUE(ip->update_checksums());
  auto tcp = ip->payload_tcp_mut();
  ASSERT_TRUE(tcp);
  const lp::InternetChecksum pseudo = pseudo_v4(*ip);
  EXPECT_EQ(tcp->checksum(), 0xbeef);
  EXPECT_EQ(*tcp->checksum_expected(pseudo), 0x9782);
  const lp::Status bad = tcp->verify_checksums(pseudo);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field_path(), "Tcp.checksum");
  EXPECT_EQ(bad.error().byte_offset(), 16u);
  ASSERT_TRUE(tcp->update_checksums(pseudo));
  EXPECT_EQ(tcp->checksum(), 0x9782);
  EXPECT_TRUE(tcp->verify_checksums(pseudo));
  // The payload is covered, and so is the odd length of a 3-byte payload.
  packet.back() ^= 0x20;
  EXPECT_FALSE(net::Ipv4::parse(packet).value().payload_tcp()->verify_checksums(pseudo));
}

TEST(IcmpChecksum, WholeMessageNoPseudoHeader) {
  auto packet = lp_test::icmp_echo();  // made-up checksum 0xf73c
  auto icmp = net::Icmp::parse_mut(packet);
  ASSERT_TRUE(icmp);
  EXPECT_EQ(*icmp->checksum_expected(), 0x06f4);
  EXPECT_FALSE(icmp->verify_checksums());
  ASSERT_TRUE(icmp->update_checksums());
  EXPECT_EQ(icmp->checksum(), 0x06f4);
  EXPECT_TRUE(icmp->verify_checksums());
}

TEST(Icmpv6Checksum, Ipv6PseudoHeader) {
  // Echo request 2001:db8::1 -> 2001:db8::2, identifier 0x1234, sequence 1, "hi!".
  auto packet = ipv6_with(58, {0x80, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01, 'h', 'i', '!'});
  auto ip = net::Ipv6::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  const auto icmp = net::Icmpv6::parse(ip->payload_bytes());
  ASSERT_TRUE(icmp) << icmp.error();
  const auto pseudo = lp::ipv6_pseudo_header(ip->src().bytes(), ip->dst().bytes(),
                                             static_cast<std::uint32_t>(icmp->size()), 58);
  EXPECT_EQ(*icmp->checksum_expected(pseudo), 0x88a6);
  EXPECT_FALSE(icmp->verify_checksums(pseudo));
  put16(packet, 42, 0x88a6);
  EXPECT_TRUE(net::Icmpv6::parse(net::Ipv6::parse(packet).value().payload_bytes())
                  .value()
                  .verify_checksums(pseudo));
}

}  // namespace
