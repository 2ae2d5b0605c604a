// The walk's link layer (tools/lpdump/walk/link.cpp) and a frame's own fields (walk.cpp).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "frames.hpp"

namespace {

using namespace lpdump_test;

TEST(LpdumpLink, ArpRequest) {
  const Bytes arp = cat({be16(1),
                         be16(0x0800),
                         {6, 4},
                         be16(1),
                         mac_b,
                         {192, 0, 2, 10},
                         Bytes(6, 0),
                         {192, 0, 2, 1}});
  const std::string json = dissect_json(ethernet(0x0806, arp));
  EXPECT_HAS(json,
             R"("eth.dst":"02:00:00:00:00:01","eth.src":"02:00:00:00:00:0a","eth.type":2054)");
  EXPECT_HAS(json, R"("arp.hw.type":1,"arp.proto.type":2048,"arp.hw.size":6,"arp.proto.size":4)");
  EXPECT_HAS(json,
             R"("arp.opcode":1,"arp.src.hw":"02:00:00:00:00:0a","arp.src.proto":"192.0.2.10")");
  EXPECT_HAS(json, R"("arp.dst.proto":"192.0.2.1")");
  EXPECT_HAS(json, R"("layers":["eth","arp"])");
}

TEST(LpdumpLink, QinQGivesTwoVlanInstances) {
  const Bytes inner = cat({{0x20, 0x64}, be16(0x0800), ipv4(17, udp(1000, 2000, {1, 2}))});
  const Bytes outer = cat({{0xa0, 0x0a}, be16(0x8100), inner});
  const std::string json = dissect_json(ethernet(0x88a8, outer));
  EXPECT_HAS(json, R"("vlan.priority":5,"vlan.dei":0,"vlan.id":10,"vlan.etype":33024)");
  EXPECT_HAS(json, R"("vlan#2.priority":1,"vlan#2.dei":0,"vlan#2.id":100,"vlan#2.etype":2048)");
  EXPECT_HAS(json, R"("layers":["eth","vlan","vlan","ip","udp"])");
}

TEST(LpdumpLink, RawIpAndUnsupportedLinkTypes) {
  lpdump::WalkResult result{};
  const std::string raw = dissect_json(ipv4(17, udp(1, 2, {})), 101, &result);
  EXPECT_EQ(result, lpdump::WalkResult::ok);
  EXPECT_HAS(raw, R"("layers":["ip","udp"])");
  const std::string other = dissect_json(Bytes{1, 2, 3}, 147, &result);
  EXPECT_EQ(result, lpdump::WalkResult::unsupported_link_type);
  EXPECT_HAS(other, R"("frame.cap_len":3,"frame.len":3,"layers":[])");
}

// tshark keeps a packet comment's text up to its first NUL byte.
TEST(LpdumpLink, PacketCommentsEndAtTheirFirstNul) {
  // opt_comment "hello\0world", then opt_comment "\0after", little-endian, padded to 4.
  const Bytes options = {1,   0, 11, 0, 'h', 'e', 'l', 'l', 'o', 0,   'w', 'o', 'r', 'l',
                         'd', 0, 1,  0, 6,   0,   0,   'a', 'f', 't', 'e', 'r', 0,   0};
  const Bytes frame = ethernet(0x0800, ipv4(17, udp(1, 2, {})));
  lpdump::Packet packet = packet_of(frame);
  packet.options = lpdump::PacketOptions(lp::unchecked, lp::bytes(options.data(), options.size()),
                                         2, lp::byte_order::little);
  EXPECT_HAS(dissect_json(packet), R"("frame.comment":["hello",""])");
}

Bytes arp(unsigned hw_type, unsigned proto_type, std::uint8_t hw_size, std::uint8_t proto_size,
          unsigned opcode) {
  Bytes packet = cat({be16(hw_type), be16(proto_type), {hw_size, proto_size}, be16(opcode)});
  for (unsigned i = 0; i < 2u * (hw_size + proto_size); ++i) {
    packet.push_back(static_cast<std::uint8_t>(0xc0 + i));
  }
  return packet;
}

// A protocol address is dotted only for IPv4 (EtherType 0x0800 or AX.25's
// 0xcc) of 4 bytes; any other is colon-separated hex. Empty addresses are not
// listed.
TEST(LpdumpLink, ArpProtocolAddressesAreDottedOnlyForIpv4) {
  const std::string other = dissect_json(ethernet(0x0806, arp(1, 0x1234, 6, 4, 1)));
  EXPECT_HAS(other, R"("arp.src.proto":"c6:c7:c8:c9")");
  EXPECT_HAS(other, R"("arp.dst.proto":"d0:d1:d2:d3")");
  const std::string wide = dissect_json(ethernet(0x0806, arp(6, 0x0800, 6, 2, 1)));
  EXPECT_HAS(wide, R"("arp.src.proto":"c6:c7","arp.dst.hw":"c8:c9:ca:cb:cc:cd")");
  const std::string ax25_ip = dissect_json(ethernet(0x0806, arp(1, 0xcc, 6, 4, 1)));
  EXPECT_HAS(ax25_ip, R"("arp.src.proto":"198.199.200.201")");
  const std::string no_hw = dissect_json(ethernet(0x0806, arp(1, 0x0800, 0, 4, 1)));
  EXPECT_HAS(no_hw, R"("arp.opcode":1,"arp.src.proto":"192.193.194.195")");
  EXPECT_LACKS(no_hw, "arp.src.hw");
}

// A request cut by the capture lists its header only (tshark reads all four
// addresses for its Info column first); an unknown opcode lists what was
// captured, address by address; a RARP request needs the target's hardware
// address. A packet longer than the frame on the wire lists no address.
TEST(LpdumpLink, ArpCutByTheCaptureOrTooLongForTheFrame) {
  const Bytes request = ethernet(0x0806, arp(1, 0x0800, 6, 4, 1));
  const Bytes cut(request.begin(), request.end() - 2);
  const std::string header_only = dissect_cut(cut, request.size());
  EXPECT_HAS(header_only, R"("arp.opcode":1,"_error":)");
  EXPECT_LACKS(header_only, "arp.src.hw");

  const Bytes unknown = ethernet(0x0806, arp(1, 0x0800, 6, 4, 99));
  const std::string some = dissect_cut(Bytes(unknown.begin(), unknown.end() - 2), unknown.size());
  EXPECT_HAS(some, R"("arp.opcode":99,"arp.src.hw":"c0:c1:c2:c3:c4:c5")");
  EXPECT_HAS(some, R"("arp.dst.hw":"ca:cb:cc:cd:ce:cf","_error":)");

  const Bytes rarp = ethernet(0x0806, arp(1, 0x0800, 6, 4, 3));
  const std::string rarp_cut = dissect_cut(Bytes(rarp.begin(), rarp.end() - 2), rarp.size());
  EXPECT_HAS(rarp_cut, R"("arp.dst.hw":"ca:cb:cc:cd:ce:cf","_error":)");
  const std::string rarp_short = dissect_cut(Bytes(rarp.begin(), rarp.end() - 5), rarp.size());
  EXPECT_HAS(rarp_short, R"("arp.opcode":3,"_error":)");

  const std::string too_long = dissect_json(Bytes(unknown.begin(), unknown.end() - 2));
  EXPECT_HAS(too_long, R"("arp.opcode":99,"_error":)");

  const std::string no_type = dissect_json(Bytes(request.begin(), request.begin() + 15));
  EXPECT_HAS(no_type, R"("layers":["eth"])");
}

// AX.25 and ATMARP have tshark dissectors of their own: nothing unless the
// whole packet was captured; an AX.25 callsign (7 bytes) and ATM numbers are
// not listed.
TEST(LpdumpLink, ArpOfAx25AndAtm) {
  const Bytes ax25 = ethernet(0x0806, arp(3, 0xcc, 7, 4, 1));
  const std::string json = dissect_json(ax25);
  EXPECT_HAS(json, R"("arp.hw.type":3,"arp.proto.type":204,"arp.hw.size":7,"arp.proto.size":4)");
  EXPECT_HAS(json, R"("arp.opcode":1,"arp.src.proto":"199.200.201.202")");
  EXPECT_LACKS(json, "arp.src.hw");
  const std::string ax25_cut = dissect_cut(Bytes(ax25.begin(), ax25.end() - 1), ax25.size());
  EXPECT_HAS(ax25_cut, R"("layers":["eth"])");
  EXPECT_HAS(ax25_cut, R"("_error":)");

  // hrd 19, IPv4, ATM numbers of 20 bytes (NSAP), no subaddresses, 4-byte addresses.
  const Bytes atm = cat({be16(19),
                         be16(0x0800),
                         {20, 0},
                         be16(2),
                         {4, 20, 0, 4},
                         Bytes(20, 0x47),
                         {192, 0, 2, 1},
                         Bytes(20, 0x39),
                         {192, 0, 2, 2}});
  const std::string atm_json = dissect_json(ethernet(0x0806, atm));
  EXPECT_HAS(atm_json, R"("arp.hw.type":19,"arp.proto.type":2048,"arp.opcode":2)");
  EXPECT_HAS(atm_json, R"("arp.src.proto":"192.0.2.1","arp.dst.proto":"192.0.2.2")");
  EXPECT_LACKS(atm_json, "arp.hw.size");
  const std::string atm_cut = dissect_json(ethernet(0x0806, Bytes(atm.begin(), atm.end() - 1)));
  EXPECT_HAS(atm_cut, R"("layers":["eth"])");
}

// LINKTYPE_RAW as tshark reads it: PPP (0xff03 first, or at bytes 6-7) and
// a version other than 4 or 6 give no layer, nor do fewer than 8 bytes; ten
// zero bytes stand before IPv4. LINKTYPE_IPV6 is IPv6 whatever its version
// (which ends it); LINKTYPE_IPV4 is IPv6 from version 6 on.
TEST(LpdumpLink, RawIpv4AndIpv6LinkTypes) {
  const Bytes v4 = ipv4(17, udp(1, 2, {}));
  EXPECT_HAS(dissect_json(cat({Bytes(10, 0), v4}), 101), R"("layers":["ip","udp"])");
  EXPECT_HAS(dissect_json(cat({{0xff, 0x03, 0, 0x21}, v4}), 101), R"("layers":[])");
  EXPECT_HAS(dissect_json(cat({Bytes(6, 1), {0xff, 0x03, 0, 0x21}, v4}), 101), R"("layers":[])");
  EXPECT_HAS(dissect_json(Bytes(v4.begin(), v4.begin() + 7), 101), R"("layers":[])");
  Bytes v3 = v4;
  v3[0] = 0x35;
  EXPECT_HAS(dissect_json(v3, 101), R"("layers":[])");
  const std::string v6_link = dissect_json(v4, 229);
  EXPECT_HAS(v6_link, R"("ipv6.version":4,)");
  EXPECT_HAS(v6_link, R"("layers":["ipv6"])");
  const Bytes v6 = ipv6(17, udp(1, 2, {}));
  EXPECT_HAS(dissect_json(v6, 228), R"("layers":["ipv6","udp"])");
}

// Ethernet: a header cut short has no layer; an 802.3 frame to Cisco's ISL
// addresses is ISL's (no eth layer); RARP goes to ARP and 0x9100 to VLAN;
// an empty IPv4 payload has no ip layer.
TEST(LpdumpLink, EthernetAsTsharkDispatchesIt) {
  const Bytes frame = ethernet(0x0800, ipv4(17, udp(1, 2, {})));
  EXPECT_HAS(dissect_json(Bytes(frame.begin(), frame.begin() + 13)), R"("layers":[])");
  EXPECT_HAS(dissect_json(Bytes(frame.begin(), frame.begin() + 14)), R"("layers":["eth"])");
  const Bytes isl = cat({{0x01, 0x00, 0x0c, 0x00, 0x00, 0x05}, mac_b, be16(60), Bytes(60, 0)});
  EXPECT_HAS(dissect_json(isl), R"("layers":[])");
  const std::string rarp = dissect_json(ethernet(0x8035, arp(1, 0x0800, 6, 4, 3)));
  EXPECT_HAS(rarp, R"("arp.opcode":3)");
  EXPECT_HAS(rarp, R"("layers":["eth","arp"])");
  const std::string tag =
      dissect_json(ethernet(0x9100, cat({{0x00, 0x05}, be16(0x0800), ipv4(17, udp(1, 2, {}))})));
  EXPECT_HAS(tag, R"("vlan.id":5)");
  EXPECT_HAS(tag, R"("layers":["eth","vlan","ip","udp"])");
}

// A total length of 0 is TCP segmentation offload's to tshark: ip.len is the
// frame's length from the header on, and the payload is dissected.
TEST(LpdumpLink, Ipv4TotalLengthZero) {
  Bytes frame = ethernet(0x0800, ipv4(17, udp(1, 2, {9, 9})));
  frame[16] = 0;
  frame[17] = 0;
  const std::string json = dissect_cut(frame, frame.size() + 100);
  EXPECT_HAS(json, R"("ip.len":130,)");
  EXPECT_HAS(json, R"("layers":["eth","ip","udp"])");
  // Linux's BIG TCP: past 65535.
  EXPECT_HAS(dissect_cut(frame, frame.size() + 70000), R"("ip.len":70030,)");
}

// BSD loopback: LINKTYPE_NULL's family in either byte order, or an EtherType
// in its last two bytes; LINKTYPE_LOOP's family big-endian only. After SLL
// or a loopback header the chain starts at ip or ipv6: ARP has no layer.
TEST(LpdumpLink, LoopbackAndSllHeaders) {
  const Bytes v4 = ipv4(17, udp(1, 2, {}));
  EXPECT_HAS(dissect_json(cat({{0x0f, 0x00, 0x08, 0x00}, v4}), 0), R"("layers":["ip","udp"])");
  EXPECT_HAS(dissect_json(cat({{2, 0, 0, 0}, v4}), 0), R"("layers":["ip","udp"])");
  EXPECT_HAS(dissect_json(cat({{0, 0, 0, 2}, v4}), 108), R"("layers":["ip","udp"])");
  EXPECT_HAS(dissect_json(cat({{2, 0, 0, 0}, v4}), 108), R"("layers":[])");
  const Bytes sll_arp =
      cat({{0, 0, 0, 1, 0, 6}, mac_a, {0, 0}, be16(0x0806), arp(1, 0x0800, 6, 4, 1)});
  EXPECT_HAS(dissect_json(sll_arp, 113), R"("layers":[])");
}

}  // namespace
