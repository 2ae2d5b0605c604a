// net/ipv4.lps through its generated views.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "net/ipv4.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::ipv4_udp;
using lp_test::put_be16;

const std::byte* base_of(const std::vector<std::uint8_t>& v) {
  return reinterpret_cast<const std::byte*>(v.data());
}

TEST(Ipv4, ParsesEveryHeaderField) {
  const auto packet = ipv4_udp();
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  EXPECT_EQ(ip->version(), 4);
  EXPECT_EQ(ip->ihl(), 5);
  EXPECT_EQ(ip->dscp(), 46);
  EXPECT_EQ(ip->ecn(), 1);
  EXPECT_EQ(ip->total_length(), 40);
  EXPECT_EQ(ip->identification(), 0x1c46);
  EXPECT_EQ(ip->reserved(), 0);
  EXPECT_EQ(ip->dont_fragment(), 1);
  EXPECT_EQ(ip->more_fragments(), 0);
  EXPECT_EQ(ip->fragment_offset(), 0);
  EXPECT_EQ(ip->ttl(), 64);
  EXPECT_EQ(ip->protocol(), net::IpProto::UDP);
  EXPECT_EQ(ip->checksum(), 0xb1e6);
  const auto src = ip->src().octets();
  ASSERT_EQ(src.size(), 4u);
  EXPECT_EQ(src[0], 192);
  EXPECT_EQ(src[1], 168);
  EXPECT_EQ(src[2], 0);
  EXPECT_EQ(src[3], 1);
  EXPECT_EQ(ip->dst().octets()[3], 199);
  EXPECT_TRUE(ip->options().empty());
  EXPECT_EQ(ip->size(), 40u);
}

TEST(Ipv4, SwitchesToUdpByProtocol) {
  const auto packet = ipv4_udp();
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->payload_arm(), net::Ipv4View::PayloadArm::udp);
  EXPECT_FALSE(ip->payload_raw().has_value());
  const auto udp = ip->payload_udp();
  ASSERT_TRUE(udp.has_value());
  EXPECT_EQ(udp->src_port(), 54321);
  EXPECT_EQ(udp->dst_port(), 53);
  EXPECT_EQ(udp->payload().size(), 12u);
  // Zero copy all the way down.
  EXPECT_EQ(ip->payload_bytes().data(), base_of(packet) + 20);
  EXPECT_EQ(ip->payload_bytes().size(), 20u);
  EXPECT_EQ(udp->payload().data(), base_of(packet) + 28);
}

TEST(Ipv4, BitFieldsOfTheFragmentWord) {
  auto packet = ipv4_udp();
  packet[6] = 0xa0;  // reserved 1, DF 0, MF 1, offset high bits 0
  packet[7] = 0x01;  // offset 1
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  EXPECT_EQ(ip->reserved(), 1);
  EXPECT_EQ(ip->dont_fragment(), 0);
  EXPECT_EQ(ip->more_fragments(), 1);
  EXPECT_EQ(ip->fragment_offset(), 1);
  packet[6] = 0x1f;  // all 13 offset bits set, flags clear
  packet[7] = 0xff;
  const auto ip2 = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip2);
  EXPECT_EQ(ip2->reserved(), 0);
  EXPECT_EQ(ip2->more_fragments(), 0);
  EXPECT_EQ(ip2->fragment_offset(), 0x1fff);
}

TEST(Ipv4, FragmentsKeepTheirPayloadRaw) {
  auto packet = ipv4_udp();
  packet[6] = 0x20;  // MF: the first fragment of a larger datagram
  const auto first = net::Ipv4::parse(packet);
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->payload_arm(), net::Ipv4View::PayloadArm::raw);
  EXPECT_FALSE(first->payload_udp().has_value());
  ASSERT_TRUE(first->payload_raw().has_value());
  EXPECT_EQ(first->payload_raw()->size(), 20u);
  packet[6] = 0x00;
  packet[7] = 0x10;  // a later fragment: offset 16 * 8 bytes, payload is mid-datagram
  const auto later = net::Ipv4::parse(packet);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->payload_arm(), net::Ipv4View::PayloadArm::raw);
}

TEST(Ipv4, UnknownProtocolsSurvive) {
  auto packet = ipv4_udp();
  packet[9] = 200;
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip);
  EXPECT_EQ(static_cast<int>(ip->protocol()), 200);
  EXPECT_EQ(net::to_string(ip->protocol()), "");
  EXPECT_EQ(net::to_string(net::IpProto::UDP), "UDP");
  EXPECT_EQ(ip->payload_arm(), net::Ipv4View::PayloadArm::raw);
}

TEST(Ipv4, OptionsAreSlicedByIhl) {
  // ihl 6: four option bytes (NOP NOP NOP EOL) between the header and UDP.
  auto packet = ipv4_udp();
  packet[0] = 0x46;
  put_be16(packet, 2, 44);
  packet.insert(packet.begin() + 20, {0x01, 0x01, 0x01, 0x00});
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  ASSERT_EQ(ip->options().size(), 4u);
  EXPECT_EQ(ip->options().data(), base_of(packet) + 20);
  EXPECT_EQ(ip->options().u8(3), 0x00);
  ASSERT_TRUE(ip->payload_udp().has_value());
  EXPECT_EQ(ip->payload_udp()->bytes().data(), base_of(packet) + 24);
}

struct ExpectedTruncation {
  const char* field;
  std::size_t byte_offset;
  unsigned bit_offset;
};

// The field that the first missing byte belongs to, for every prefix of the header.
ExpectedTruncation header_truncation(std::size_t have) {
  switch (have) {
    case 0:
      return {"version", 0, 0};
    case 1:
      return {"dscp", 1, 0};
    case 2:
    case 3:
      return {"total_length", 2, 0};
    case 4:
    case 5:
      return {"identification", 4, 0};
    case 6:
      return {"reserved", 6, 0};
    case 7:
      return {"fragment_offset", 6, 3};
    case 8:
      return {"ttl", 8, 0};
    case 9:
      return {"protocol", 9, 0};
    case 10:
    case 11:
      return {"checksum", 10, 0};
    case 12:
    case 13:
    case 14:
    case 15:
      return {"src", 12, 0};
    default:
      return {"dst", 16, 0};
  }
}

TEST(Ipv4, EveryTruncatedPrefixSaysWhatIsMissing) {
  const auto packet = ipv4_udp();
  for (std::size_t n = 0; n < packet.size(); ++n) {
    SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
    const auto ip = net::Ipv4::parse(lp::bytes(packet.data(), n));
    ASSERT_FALSE(ip);
    const lp::Error& e = ip.error();
    EXPECT_EQ(e.code(), lp::errc::truncated) << e;
    if (n < 20) {
      const auto want = header_truncation(n);
      EXPECT_EQ(e.field_path().rfind(fmt::format("Ipv4.{}", want.field), 0), 0u) << e;
      EXPECT_EQ(e.byte_offset(), want.byte_offset) << e;
      EXPECT_EQ(e.bit_offset(), want.bit_offset) << e;
      EXPECT_EQ(e.needed(), 20 - n) << e;
    } else {
      EXPECT_EQ(e.field_path(), "Ipv4.payload") << e;
      EXPECT_EQ(e.byte_offset(), 20u) << e;
      EXPECT_EQ(e.needed(), 40 - n) << e;
    }
  }
}

struct ConstraintCase {
  const char* name;
  std::size_t offset;
  std::uint8_t value;
  std::size_t byte_offset;
  unsigned bit_offset;
  const char* path;
  const char* text;
  std::uint64_t actual;
};

TEST(Ipv4, EachConstraintFailsOnce) {
  const ConstraintCase cases[] = {
      {"version 6", 0, 0x65, 0, 0, "Ipv4.version", "version == 4", 6},
      {"ihl 4", 0, 0x44, 0, 4, "Ipv4.ihl", "ihl >= 5", 4},
      {"total_length 19", 3, 19, 2, 0, "Ipv4.total_length", "total_length >= ihl * 4", 19},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto packet = ipv4_udp();
    packet[c.offset] = c.value;
    if (c.offset == 3) packet[2] = 0;
    const auto ip = net::Ipv4::parse(packet);
    ASSERT_FALSE(ip);
    const lp::Error& e = ip.error();
    EXPECT_EQ(e.code(), lp::errc::constraint_failed) << e;
    EXPECT_EQ(e.byte_offset(), c.byte_offset) << e;
    EXPECT_EQ(e.bit_offset(), c.bit_offset) << e;
    EXPECT_EQ(e.field_path(), c.path) << e;
    EXPECT_EQ(e.text(), c.text) << e;
    ASSERT_TRUE(e.has_actual());
    EXPECT_EQ(e.actual(), c.actual);
  }
}

TEST(Ipv4, ErrorsInsideTheUdpArmCarryTheFullPathAndAbsoluteOffset) {
  auto packet = ipv4_udp();
  put_be16(packet, 24, 7);  // UDP length 7
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_FALSE(ip);
  const lp::Error& e = ip.error();
  EXPECT_EQ(e.code(), lp::errc::constraint_failed);
  EXPECT_EQ(e.field_path(), "Ipv4.payload.Udp.length");
  EXPECT_EQ(e.byte_offset(), 24u);
  EXPECT_EQ(fmt::format("{}", e),
            "constraint failed at byte 24: Ipv4.payload.Udp.length (length >= 8), got 7");
}

TEST(Ipv4, UdpLongerThanTheIpPayloadIsABadLength) {
  auto packet = ipv4_udp();
  put_be16(packet, 24, 28);  // UDP claims 28 bytes; IP carries 20
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_FALSE(ip);
  EXPECT_EQ(ip.error().code(), lp::errc::bad_length) << ip.error();
  EXPECT_EQ(ip.error().field_path().rfind("Ipv4.payload", 0), 0u) << ip.error();
}

TEST(Ipv4, UdpShorterThanTheIpPayloadIsABadLength) {
  auto packet = ipv4_udp();
  put_be16(packet, 24, 16);  // UDP claims 16 bytes; IP carries 20
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_FALSE(ip);
  EXPECT_EQ(ip.error().code(), lp::errc::bad_length) << ip.error();
  EXPECT_EQ(ip.error().field_path(), "Ipv4.payload") << ip.error();
}

TEST(Ipv4, ReadsFromMisalignedBuffers) {
  const auto packet = ipv4_udp();
  for (std::size_t shift = 1; shift < 8; ++shift) {
    std::vector<std::uint8_t> storage(shift + packet.size());
    std::memcpy(storage.data() + shift, packet.data(), packet.size());
    const auto ip = net::Ipv4::parse(lp::bytes(storage.data() + shift, packet.size()));
    ASSERT_TRUE(ip) << "shift " << shift;
    EXPECT_EQ(ip->total_length(), 40);
    EXPECT_EQ(ip->identification(), 0x1c46);
    EXPECT_EQ(ip->fragment_offset(), 0);
    EXPECT_EQ(ip->payload_udp()->length(), 20);
  }
}

TEST(Ipv4, DecrementTtlThroughAMutView) {
  auto packet = ipv4_udp();
  auto ip = net::Ipv4::parse_mut(lp::mut_bytes(packet.data(), packet.size()));
  ASSERT_TRUE(ip);
  ip->set_ttl(static_cast<std::uint8_t>(ip->ttl() - 1));
  EXPECT_EQ(ip->ttl(), 63);
  EXPECT_EQ(packet[8], 63);
  EXPECT_EQ(packet[9], 0x11);  // protocol untouched
}

TEST(Ipv4, BitFieldSettersKeepTheirNeighbours) {
  auto packet = ipv4_udp();
  auto ip = net::Ipv4::parse_mut(lp::mut_bytes(packet.data(), packet.size()));
  ASSERT_TRUE(ip);
  ip->set_fragment_offset(0x1abc);
  EXPECT_EQ(ip->fragment_offset(), 0x1abc);
  EXPECT_EQ(ip->dont_fragment(), 1);
  EXPECT_EQ(ip->reserved(), 0);
  EXPECT_EQ(ip->more_fragments(), 0);
  ip->set_dont_fragment(0);
  ip->set_ecn(2);
  EXPECT_EQ(ip->fragment_offset(), 0x1abc);
  EXPECT_EQ(ip->dont_fragment(), 0);
  EXPECT_EQ(ip->dscp(), 46);
  EXPECT_EQ(ip->ecn(), 2);
  EXPECT_EQ(packet[6], 0x1a);
  EXPECT_EQ(packet[7], 0xbc);
  EXPECT_EQ(packet[1], 0xba);
  ip->set_protocol(net::IpProto::TCP);
  EXPECT_EQ(packet[9], 6);
}

TEST(Ipv4, NestedMutViewsWriteAddressesAndTheUdpHeader) {
  auto packet = ipv4_udp();
  auto ip = net::Ipv4::parse_mut(lp::mut_bytes(packet.data(), packet.size()));
  ASSERT_TRUE(ip);
  ip->src_mut().octets_mut().set(3, 9);
  EXPECT_EQ(packet[15], 9);
  EXPECT_EQ(ip->src().octets()[3], 9);
  auto udp = ip->payload_udp_mut();
  ASSERT_TRUE(udp.has_value());
  udp->set_src_port(1);
  EXPECT_EQ(packet[20], 0);
  EXPECT_EQ(packet[21], 1);
}

}  // namespace
