// net/ipv4.lps through its generated views.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "expect.hpp"
#include "libparse/format.hpp"
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
  std::vector<net::Ipv4OptionType> types;
  for (const net::Ipv4OptionView option : ip->options()) types.push_back(option.type());
  EXPECT_EQ(types, (std::vector{net::Ipv4OptionType::NOP, net::Ipv4OptionType::NOP,
                                net::Ipv4OptionType::NOP, net::Ipv4OptionType::EOL}));
  EXPECT_EQ(ip->options_bytes().data(), base_of(packet) + 20);
  EXPECT_EQ(ip->options_bytes().size(), 4u);
  ASSERT_TRUE(ip->payload_udp().has_value());
  EXPECT_EQ(ip->payload_udp()->bytes().data(), base_of(packet) + 24);
}

// ihl 15: record route, NOP, two timestamp options (flag 1 and flag 0), router
// alert (an unknown type, kept), EOL and three bytes of padding, then UDP.
std::vector<std::uint8_t> ipv4_with_options() {
  auto packet = ipv4_udp();
  packet[0] = 0x4f;
  put_be16(packet, 2, 80);
  packet.insert(packet.begin() + 20,
                {
                    0x07, 0x0b, 0x08,        // [0] @20 record route, pointer 8
                    0x0a, 0x00, 0x00, 0x01,  //         10.0.0.1
                    0x00, 0x00, 0x00, 0x00,  //         (free slot)
                    0x01,                    // [1] @31 NOP
                    0x44, 0x0c, 0x0d, 0x01,  // [2] @32 timestamp, pointer 13, flag 1
                    0x0a, 0x00, 0x00, 0x02,  //         10.0.0.2
                    0x00, 0x01, 0x00, 0x00,  //         at 65536
                    0x44, 0x08, 0x09, 0x20,  // [3] @44 timestamp, overflow 2, flag 0
                    0x00, 0x00, 0x00, 0x07,  //         at 7
                    0x94, 0x04, 0x00, 0x00,  // [4] @52 router alert (148)
                    0x00,                    // [5] @56 EOL
                    0x11, 0x22, 0x33,        // @57 padding
                });
  return packet;
}

TEST(Ipv4, ParsesEveryOptionType) {
  const auto packet = ipv4_with_options();
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  const auto options = ip->options();
  ASSERT_EQ(options.size(), 6u);
  auto it = options.begin();
  {
    const net::Ipv4OptionView rr = *it;
    EXPECT_EQ(rr.type(), net::Ipv4OptionType::RECORD_ROUTE);
    EXPECT_EQ(rr.length(), 11);
    ASSERT_TRUE(rr.body_route());
    EXPECT_EQ(rr.body_route()->pointer(), 8);
    const auto addresses = rr.body_route()->addresses();
    ASSERT_EQ(addresses.size(), 2u);
    EXPECT_EQ(addresses[0].octets()[3], 1);
    EXPECT_EQ(addresses[1].octets()[0], 0);
    EXPECT_EQ(rr.bytes().data(), base_of(packet) + 20);
  }
  ++it;
  EXPECT_EQ((*it).type(), net::Ipv4OptionType::NOP);
  EXPECT_FALSE((*it).has_length());
  ++it;
  {
    const net::Ipv4OptionView ts = *it;
    EXPECT_EQ(ts.type(), net::Ipv4OptionType::TIMESTAMP);
    ASSERT_TRUE(ts.body_timestamp());
    EXPECT_EQ(ts.body_timestamp()->pointer(), 13);
    EXPECT_EQ(ts.body_timestamp()->overflow(), 0);
    EXPECT_EQ(ts.body_timestamp()->flag(), 1);
    const auto entries = ts.body_timestamp()->data_entries();
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ((*entries)[0].address().octets()[3], 2);
    EXPECT_EQ((*entries)[0].timestamp(), 65536u);
  }
  ++it;
  {
    const auto ts = (*it).body_timestamp();
    ASSERT_TRUE(ts);
    EXPECT_EQ(ts->overflow(), 2);
    ASSERT_TRUE(ts->data_timestamps());
    ASSERT_EQ(ts->data_timestamps()->size(), 1u);
    EXPECT_EQ((*ts->data_timestamps())[0], 7u);
  }
  ++it;
  {
    const net::Ipv4OptionView alert = *it;
    EXPECT_EQ(static_cast<int>(alert.type()), 148);
    EXPECT_EQ(alert.length(), 4);
    ASSERT_TRUE(alert.body_unknown());
    EXPECT_EQ(alert.body_unknown()->size(), 2u);
    EXPECT_EQ(alert.body_unknown()->data(), base_of(packet) + 54);
  }
  ++it;
  EXPECT_EQ((*it).type(), net::Ipv4OptionType::EOL);
  EXPECT_EQ((*it).bytes().data(), base_of(packet) + 56);
  ++it;
  EXPECT_EQ(it, options.end());
  ASSERT_EQ(ip->options_bytes().size(), 40u);
  EXPECT_EQ(ip->options_bytes().u8(39), 0x33);
  ASSERT_TRUE(ip->payload_udp());
  EXPECT_EQ(ip->payload_udp()->bytes().data(), base_of(packet) + 60);
  lp_test::expect_every_prefix_truncated<net::Ipv4>(packet, packet.size());
}

std::string error_of(const std::vector<std::uint8_t>& packet) {
  const auto ip = net::Ipv4::parse(packet);
  return ip ? std::string("parsed") : ip.error().message();
}

TEST(Ipv4, OptionErrorsNameTheOption) {
  auto zero = ipv4_with_options();
  zero[53] = 0;  // router alert of length 0
  EXPECT_EQ(error_of(zero),
            "constraint failed at byte 53: Ipv4.options[4].length (length >= 2), got 0");

  auto past = ipv4_with_options();
  past[53] = 0x20;  // router alert running past the 40-byte region: its body does not fit
  EXPECT_EQ(error_of(past), "bad length at byte 54: Ipv4.options[4].body (ihl * 4 - 20), got 40");

  auto route = ipv4_with_options();
  route[21] = 0x0a;  // record route of length 10: seven bytes of addresses
  const auto odd = net::Ipv4::parse(route);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().code(), lp::errc::bad_length) << odd.error();
  EXPECT_EQ(odd.error().field_path().substr(0, 21), "Ipv4.options[0].body.") << odd.error();

  auto stamps = ipv4_with_options();
  stamps[45] = 0x09;  // flag-0 timestamps of five bytes
  const auto partial = net::Ipv4::parse(stamps);
  ASSERT_FALSE(partial);
  EXPECT_EQ(partial.error().code(), lp::errc::bad_length) << partial.error();
  EXPECT_EQ(partial.error().field_path().substr(0, 21), "Ipv4.options[3].body.") << partial.error();
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
