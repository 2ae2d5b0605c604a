// lpdump's protocol walk (tools/lpdump/walk.hpp) on packets built byte by byte,
// through the JSON writer: each test checks the keys and values tshark gives.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "dns_name.hpp"
#include "output.hpp"
#include "walk.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes be16(unsigned v) { return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }

const Bytes mac_a{0x02, 0, 0, 0, 0, 0x01};
const Bytes mac_b{0x02, 0, 0, 0, 0, 0x0a};

Bytes ethernet(unsigned type, const Bytes& payload) {
  return cat({mac_a, mac_b, be16(type), payload});
}

// IPv4 without options; the checksum is not checked by the walk.
Bytes ipv4(unsigned proto, const Bytes& payload, unsigned total_length = 0) {
  const unsigned length = total_length != 0 ? total_length : 20 + payload.size();
  return cat({{0x45, 0x00},
              be16(length),
              {0x00, 0x07, 0x40, 0x00, 64, static_cast<std::uint8_t>(proto), 0x12, 0x34, 192, 0, 2,
               10, 192, 0, 2, 1},
              payload});
}

// IPv4 with `options` (a multiple of 4 bytes) after the fixed header.
Bytes ipv4_with_options(unsigned proto, const Bytes& options, const Bytes& payload) {
  Bytes ip = ipv4(proto, cat({options, payload}));
  ip[0] = static_cast<std::uint8_t>(0x40 | (20 + options.size()) / 4);
  return ip;
}

// IPv6 from 2001:db8::1 to 2001:db8::2 with the given payload length field.
Bytes ipv6(unsigned next, const Bytes& payload, unsigned payload_length) {
  Bytes src(16, 0);
  src[0] = 0x20;
  src[1] = 0x01;
  src[2] = 0x0d;
  src[3] = 0xb8;
  Bytes dst = src;
  src[15] = 1;
  dst[15] = 2;
  return cat({{0x60, 0, 0, 0},
              be16(payload_length),
              {static_cast<std::uint8_t>(next), 64},
              src,
              dst,
              payload});
}
Bytes ipv6(unsigned next, const Bytes& payload) { return ipv6(next, payload, payload.size()); }

Bytes udp(unsigned sport, unsigned dport, const Bytes& payload) {
  return cat({be16(sport), be16(dport), be16(8 + payload.size()), be16(0), payload});
}

lpdump::Packet packet_of(const Bytes& frame, std::uint32_t link_type = 1) {
  lpdump::Packet packet;
  packet.number = 1;
  packet.data = lp::bytes(frame.data(), frame.size());
  packet.len = frame.size();
  packet.link_type = link_type;
  return packet;
}

std::string dissect_json(const lpdump::Packet& packet) {
  fmt::memory_buffer out;
  lpdump::JsonWriter writer(out);
  lpdump::dissect(packet, writer);
  return std::string(out.data(), out.size());
}

// `frame` cut by the capture: `wire_length` bytes long on the wire.
std::string dissect_cut(const Bytes& frame, std::size_t wire_length) {
  lpdump::Packet packet = packet_of(frame);
  packet.len = wire_length;
  return dissect_json(packet);
}

std::string dissect_json(const Bytes& frame, std::uint32_t link_type = 1,
                         lpdump::WalkResult* result = nullptr) {
  const lpdump::Packet packet = packet_of(frame, link_type);
  fmt::memory_buffer out;
  lpdump::JsonWriter writer(out);
  const lpdump::WalkResult r = lpdump::dissect(packet, writer);
  if (result != nullptr) *result = r;
  return std::string(out.data(), out.size());
}

#define EXPECT_HAS(json, fragment) \
  EXPECT_NE((json).find(fragment), std::string::npos) << "no " << (fragment) << " in " << (json)
#define EXPECT_LACKS(json, fragment) \
  EXPECT_EQ((json).find(fragment), std::string::npos) << (fragment) << " in " << (json)

TEST(LpdumpWalk, ArpRequest) {
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

// A response whose answer names the question through a pointer to offset 12,
// and a CNAME whose pointer points at itself (a loop): null.
TEST(LpdumpWalk, DnsCompressedNamesAndLoops) {
  const Bytes header = cat({be16(0xabcd), be16(0x8180), be16(1), be16(2), be16(0), be16(0)});
  const Bytes question = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
  const Bytes a =
      cat({{0xc0, 0x0c}, be16(1), be16(1), {0, 0, 0x0e, 0x10}, be16(4), {93, 184, 216, 34}});
  // Second answer at offset 12 + 17 + 16 = 45: its owner name is a pointer to 45.
  const Bytes loop = cat({{0xc0, 45}, be16(5), be16(1), {0, 0, 0, 60}, be16(2), {0xc0, 0x0c}});
  const Bytes dns = cat({header, question, a, loop});
  const std::string json = dissect_json(ethernet(0x0800, ipv4(17, udp(40000, 53, dns))));
  EXPECT_HAS(json,
             R"("dns.id":43981,"dns.flags":33152,"dns.count.queries":1,"dns.count.answers":2)");
  EXPECT_HAS(json, R"("dns.qd.name":["example.com"],"dns.qd.type":[1],"dns.qd.class":[1])");
  EXPECT_HAS(json, R"("dns.an.name":["example.com",null])");
  EXPECT_HAS(json, R"("dns.an.ttl":[3600,60])");
  EXPECT_HAS(json, R"("dns.an.data":["93.184.216.34","example.com"])");
  EXPECT_HAS(json, R"("layers":["eth","ip","udp","dns"])");
}

// The lists of a section are written from what one walk kept, or, for a
// section declaring more than the walk keeps (32), by walking it per list:
// both give the same lists.
TEST(LpdumpWalk, DnsLargeSectionsListTheSameWay) {
  const auto message = [](unsigned answers) {
    Bytes dns = cat({be16(1), be16(0x8180), be16(1), be16(answers), be16(0), be16(0)});
    dns = cat({dns, {1, 'x', 0, 0, 16, 0, 1}});  // x, TXT, IN
    for (unsigned i = 0; i < answers; ++i) {
      dns = cat({dns, {0xc0, 0x0c}, be16(i % 2 == 0 ? 1 : 16), be16(1), {0, 0, 0, 9}});
      dns = cat({dns, i % 2 == 0 ? cat({be16(4), {192, 0, 2, static_cast<std::uint8_t>(i)}})
                                 : cat({be16(3), {2, 'h', 'i'}})});
    }
    return dissect_json(ethernet(0x0800, ipv4(17, udp(53, 40000, dns))));
  };
  for (const unsigned answers : {32u, 33u}) {
    const std::string json = message(answers);
    std::string names = R"("dns.an.name":[)";
    std::string data = R"("dns.an.data":[)";
    for (unsigned i = 0; i < answers; ++i) {
      names += i == 0 ? "\"x\"" : ",\"x\"";
      if (i != 0) data += ',';
      data += i % 2 == 0 ? fmt::format("\"192.0.2.{}\"", i) : std::string(R"(["hi"])");
    }
    EXPECT_HAS(json, names + "]");
    EXPECT_HAS(json, data + "]");
    EXPECT_HAS(json, R"("dns.qd.name":["x"],"dns.qd.type":[16],"dns.qd.class":[1])");
  }
}

TEST(LpdumpWalk, DnsNameEscapesAndRoot) {
  const Bytes message = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 'a', 0x01, 0};
  const auto name = net::DnsName::parse(lp::bytes(message.data() + 12, 4));
  ASSERT_TRUE(name);
  lpdump::NameText text;
  ASSERT_TRUE(lpdump::decode_dns_name(lp::bytes(message.data(), message.size()), *name, text));
  EXPECT_EQ(std::string(text.data(), text.size()), "a\\001");
  const Bytes root = {0};
  const auto empty = net::DnsName::parse(lp::bytes(root.data(), root.size()));
  ASSERT_TRUE(empty);
  text.clear();
  ASSERT_TRUE(lpdump::decode_dns_name(lp::bytes(root.data(), root.size()), *empty, text));
  EXPECT_EQ(std::string(text.data(), text.size()), ".");
}

// MSS then EOL, and two zero bytes of padding: tshark lists three EOLs.
TEST(LpdumpWalk, TcpOptionsAndFlags) {
  const Bytes tcp = cat({be16(51000),
                         be16(443),
                         {0, 0, 0x03, 0xe8},
                         {0, 0, 0, 0},
                         {0x70, 0x12},
                         be16(64240),
                         be16(0xbeef),
                         be16(0),
                         {2, 4, 0x05, 0xb4},
                         {0, 0, 0, 0}});
  const std::string json = dissect_json(ethernet(0x0800, ipv4(6, tcp)));
  EXPECT_HAS(
      json, R"("tcp.srcport":51000,"tcp.dstport":443,"tcp.seq":1000,"tcp.ack":0,"tcp.hdr_len":28)");
  EXPECT_HAS(json, R"("tcp.flags":18,"tcp.window":64240,"tcp.checksum":48879)");
  EXPECT_HAS(json, R"("tcp.option_kind":[2,0,0,0,0],"tcp.options.mss":1460)");
  EXPECT_HAS(json, R"("layers":["eth","ip","tcp"])");
}

TEST(LpdumpWalk, QinQGivesTwoVlanInstances) {
  const Bytes inner = cat({{0x20, 0x64}, be16(0x0800), ipv4(17, udp(1000, 2000, {1, 2}))});
  const Bytes outer = cat({{0xa0, 0x0a}, be16(0x8100), inner});
  const std::string json = dissect_json(ethernet(0x88a8, outer));
  EXPECT_HAS(json, R"("vlan.priority":5,"vlan.dei":0,"vlan.id":10,"vlan.etype":33024)");
  EXPECT_HAS(json, R"("vlan#2.priority":1,"vlan#2.dei":0,"vlan#2.id":100,"vlan#2.etype":2048)");
  EXPECT_HAS(json, R"("layers":["eth","vlan","vlan","ip","udp"])");
}

TEST(LpdumpWalk, RawIpAndUnsupportedLinkTypes) {
  lpdump::WalkResult result{};
  const std::string raw = dissect_json(ipv4(17, udp(1, 2, {})), 101, &result);
  EXPECT_EQ(result, lpdump::WalkResult::ok);
  EXPECT_HAS(raw, R"("layers":["ip","udp"])");
  const std::string other = dissect_json(Bytes{1, 2, 3}, 147, &result);
  EXPECT_EQ(result, lpdump::WalkResult::unsupported_link_type);
  EXPECT_HAS(other, R"("frame.cap_len":3,"frame.len":3,"layers":[])");
}

// A timestamp option whose data is not a whole number of address/timestamp
// pairs fails Ipv4.options; its type is still listed, and so are the options
// around it, up to EOL (tshark's option loop goes on after it).
TEST(LpdumpWalk, Ipv4OptionsAroundAMalformedOneAreListed) {
  const Bytes bad_timestamp = cat({{0x44, 14, 5, 0x01}, Bytes(10, 0xaa)});  // flag 1, 10 bytes
  const Bytes options = cat({{1}, bad_timestamp, {1, 0}, {0, 0, 0}});
  const std::string json = dissect_json(ethernet(0x0800, ipv4_with_options(17, options, {})));
  EXPECT_HAS(json, R"("ip.hdr_len":40)");
  EXPECT_HAS(json, R"("ip.opt.type":[1,68,1,0])");
  EXPECT_HAS(json, "Ipv4Timestamp.data");  // the error
  EXPECT_HAS(json, R"("layers":["eth","ip"])");
}

// The options of ip_ts_opts_asan.pcap: the same timestamp, then an option whose
// length runs past the header (not listed, nothing after it).
TEST(LpdumpWalk, Ipv4OptionsStopAtALengthPastTheHeader) {
  const Bytes options = cat({{0x44, 14, 5, 0x01}, Bytes(10, 0), {0xf5, 0x13}});
  const std::string json = dissect_json(ethernet(0x0800, ipv4_with_options(1, options, {})));
  EXPECT_HAS(json, R"("ip.opt.type":[68],)");
}

// Checked against tshark 4.0: an option whose body is too short for its arm's
// fixed part (a record route of length 2 has no pointer, a timestamp of length
// 3 no flags) is listed, and ends the list (tshark's option dissector throws).
TEST(LpdumpWalk, Ipv4OptionsEndAtABodyTooShortForItsType) {
  const std::vector<std::pair<Bytes, std::string>> cases{
      {{1, 7, 2, 1, 0, 0, 0, 0}, R"("ip.opt.type":[1,7],)"},
      {{1, 0x44, 3, 5, 1, 0, 0, 0}, R"("ip.opt.type":[1,68],)"},
  };
  for (const auto& [options, list] : cases) {
    const std::string json = dissect_json(ethernet(0x0800, ipv4_with_options(17, options, {})));
    EXPECT_HAS(json, list);
    EXPECT_HAS(json, R"("_error":)");
  }
}

// A length below 2, a type without its length byte, a length past the end of
// the options: that option is not listed, those before it are.
TEST(LpdumpWalk, Ipv4OptionsWithABogusLengthAreNotListed) {
  const std::vector<std::pair<Bytes, std::string>> cases{
      {{1, 1, 0x44, 1}, R"("ip.opt.type":[1,1],)"},
      {{1, 1, 1, 0x44}, R"("ip.opt.type":[1,1,1],)"},
      {{1, 0x44, 0x20, 5}, R"("ip.opt.type":[1],)"},
  };
  for (const auto& [options, list] : cases) {
    const std::string json = dissect_json(ethernet(0x0800, ipv4_with_options(17, options, {})));
    EXPECT_HAS(json, list);
    EXPECT_HAS(json, R"("_error":)");
  }
}

// Options cut by the capture: tshark lists none of them.
TEST(LpdumpWalk, Ipv4OptionsCutByTheCaptureAreNotListed) {
  const Bytes options = cat({{1, 1, 7, 7, 4}, Bytes(3, 0)});  // NOP NOP RR(7 bytes, pointer 4)
  Bytes frame = ethernet(0x0800, ipv4_with_options(17, options, {}));
  frame.resize(frame.size() - 2);  // the route's last two bytes
  const std::string json = dissect_json(frame);
  EXPECT_HAS(json, R"("ip.src":"192.0.2.10","ip.dst":"192.0.2.1")");
  EXPECT_LACKS(json, "ip.opt.type");
  EXPECT_HAS(json, R"("_error":)");
}

// ipv6-srh-tlv-pad1-padn-5-trunc.pcap: a routing header of 32 bytes of which
// 31 were captured is listed with its next header, and ends the chain.
TEST(LpdumpWalk, Ipv6RoutingHeaderCutByTheCapture) {
  const Bytes routing = cat({{59, 3, 4, 0}, Bytes(28, 0)});
  Bytes frame = ethernet(0x86dd, ipv6(43, routing));
  frame.pop_back();
  const std::string json = dissect_json(frame);
  EXPECT_HAS(json, R"("ipv6.plen":32,"ipv6.nxt":43)");
  EXPECT_HAS(json, R"("ipv6.ext":[43],"ipv6.ext.nxt":[59])");
  EXPECT_HAS(json, R"("layers":["eth","ipv6"])");
}

// Options headers whose options do not fill them (checked against tshark 4.0):
// the header is listed, and the chain goes on where its length says, unless an
// option runs past the captured bytes. A header cut after its first byte is not
// listed (tshark reads the length first).
TEST(LpdumpWalk, Ipv6OptionsHeaderWhoseOptionsFail) {
  const Bytes past_header = {60, 0, 1, 10, 0, 0, 0, 0};  // PadN of 12 bytes in an 8-byte header
  const Bytes destination = {17, 0, 1, 4, 0, 0, 0, 0};
  const Bytes after = udp(1000, 2000, {});
  const std::string json =
      dissect_json(ethernet(0x86dd, ipv6(0, cat({past_header, destination, after}))));
  EXPECT_HAS(json, R"("ipv6.ext":[0,60],"ipv6.ext.nxt":[60,17])");
  EXPECT_HAS(json, R"("udp.srcport":1000,"udp.dstport":2000)");
  EXPECT_HAS(json, R"("layers":["eth","ipv6","udp"])");

  const Bytes past_capture = {17, 0, 1, 20, 0, 0, 0, 0};  // 22 bytes, 16 in the payload
  const std::string last = dissect_json(ethernet(0x86dd, ipv6(0, cat({past_capture, after}))));
  EXPECT_HAS(last, R"("ipv6.ext":[0],"ipv6.ext.nxt":[17])");
  EXPECT_HAS(last, R"("layers":["eth","ipv6"])");

  const std::string cut = dissect_json(ethernet(0x86dd, ipv6(60, {17}, 16)));
  EXPECT_LACKS(cut, "ipv6.ext");
  EXPECT_HAS(cut, R"("_error":)");
}

// A payload length of 0 before a hop-by-hop header with a Jumbo Payload option
// (RFC 2675): the header and the UDP after it are dissected over the captured
// bytes. Without the option the length 0 stands and nothing follows the IPv6
// header (tshark: "IPv6 payload length zero is invalid").
TEST(LpdumpWalk, Ipv6JumbogramAndPayloadLengthZero) {
  const Bytes jumbo = {17, 0, 0xc2, 4, 0x00, 0x01, 0x11, 0x70};  // 70000 bytes
  const Bytes after = udp(1000, 2000, Bytes(16, 0x55));
  const std::string json = dissect_json(ethernet(0x86dd, ipv6(0, cat({jumbo, after}), 0)));
  EXPECT_HAS(json, R"("ipv6.plen":0,"ipv6.nxt":0)");
  EXPECT_HAS(json, R"("ipv6.ext":[0],"ipv6.ext.nxt":[17])");
  EXPECT_HAS(json, R"("udp.srcport":1000,"udp.dstport":2000)");
  EXPECT_HAS(json, R"("layers":["eth","ipv6","udp"])");

  const Bytes padding = {17, 0, 1, 4, 0, 0, 0, 0};  // PadN instead of the option
  const std::string none = dissect_json(ethernet(0x86dd, ipv6(0, cat({padding, after}), 0)));
  EXPECT_LACKS(none, "ipv6.ext");
  EXPECT_HAS(none, R"("layers":["eth","ipv6"])");
}

// icmpv6-length-zero.pcapng: payload length 0, ICMPv6 next, bytes after the
// header. The payload is empty: an icmpv6 layer without fields, as tshark.
TEST(LpdumpWalk, Ipv6PayloadLengthZeroIsAnEmptyPayload) {
  const Bytes echo = {128, 0, 0x12, 0x34, 0, 1, 0, 1};
  const std::string json = dissect_json(ethernet(0x86dd, ipv6(58, echo, 0)));
  EXPECT_HAS(json, R"("ipv6.plen":0,"ipv6.nxt":58)");
  EXPECT_LACKS(json, "icmpv6.");
  EXPECT_HAS(json, R"("layers":["eth","ipv6","icmpv6"])");
}

// Tunnels through the arms of the import cycle ipv4.lps <-> ipv6.lps: 4in6,
// and 6in4 carrying 4in6, each layer listed as tshark lists it; an inner IPv4
// header that fails is dissected as far as it goes.
TEST(LpdumpWalk, FourInSixAndBack) {
  const Bytes inner = ipv4(17, udp(1000, 2000, {1, 2}));
  const std::string json = dissect_json(ethernet(0x86dd, ipv6(4, inner)));
  EXPECT_HAS(json, R"("ipv6.plen":30,"ipv6.nxt":4)");
  EXPECT_HAS(json, R"("ip.version":4,"ip.hdr_len":20)");
  EXPECT_HAS(json, R"("udp.srcport":1000,"udp.dstport":2000)");
  EXPECT_HAS(json, R"("layers":["eth","ipv6","ip","udp"])");

  const std::string nested = dissect_json(ethernet(0x0800, ipv4(41, ipv6(4, inner))));
  EXPECT_HAS(nested, R"("layers":["eth","ip","ipv6","ip","udp"])");

  Bytes broken = inner;
  broken[0] = 0x43;  // IHL 3
  const std::string bad = dissect_json(ethernet(0x86dd, ipv6(4, broken)));
  EXPECT_HAS(bad, R"("ip.version":4,"ip.hdr_len":12)");
  EXPECT_HAS(bad, R"("layers":["eth","ipv6","ip"])");
}

TEST(LpdumpWalk, ErrorsNameTheField) {
  // IHL 4: tshark gives version and hdr_len only; lpdump adds the error.
  Bytes ip = ipv4(17, udp(1, 2, {}));
  ip[0] = 0x44;
  const std::string json = dissect_json(ethernet(0x0800, ip));
  EXPECT_HAS(json, R"("_error":)");
  EXPECT_HAS(json, "ihl");
}

// ---- issue 21: each rule checked against tshark 4.0 on hand-built frames

// tshark keeps a packet comment's text up to its first NUL byte.
TEST(LpdumpWalk, PacketCommentsEndAtTheirFirstNul) {
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
TEST(LpdumpWalk, ArpProtocolAddressesAreDottedOnlyForIpv4) {
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
TEST(LpdumpWalk, ArpCutByTheCaptureOrTooLongForTheFrame) {
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
TEST(LpdumpWalk, ArpOfAx25AndAtm) {
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

Bytes icmp(std::uint8_t type, const Bytes& body) { return cat({{type, 0, 0, 0}, body}); }

// Information (15, 16) and address mask (17, 18) messages carry an identifier
// and a sequence number as echo does; ICMPv6 extended echo (160, 161) an
// identifier. Those captured are listed whatever follows them.
TEST(LpdumpWalk, IcmpQueriesWithAnIdentifier) {
  for (const std::uint8_t type : {15, 16, 17, 18}) {
    const std::string json =
        dissect_json(ethernet(0x0800, ipv4(1, icmp(type, {0x12, 0x34, 0, 7, 255, 255, 255, 0}))));
    EXPECT_HAS(json, R"("icmp.ident":4660,"icmp.seq":7)");
  }
  const std::string ident_only = dissect_json(ethernet(0x0800, ipv4(1, icmp(17, {0x12, 0x34, 0}))));
  EXPECT_HAS(ident_only, R"("icmp.ident":4660,"layers")");
  // A timestamp of 8 bytes where 12 are due (a fixed-size arm in the schema).
  const std::string timestamp =
      dissect_json(ethernet(0x0800, ipv4(1, icmp(13, {0x12, 0x34, 0, 7, 0, 0, 0, 1}))));
  EXPECT_HAS(timestamp, R"("icmp.ident":4660,"icmp.seq":7,"layers")");
  const std::string error = dissect_json(ethernet(0x0800, ipv4(1, icmp(3, {0x12, 0x34, 0, 7}))));
  EXPECT_LACKS(error, "icmp.ident");
  for (const std::uint8_t type : {160, 161}) {
    const std::string json =
        dissect_json(ethernet(0x86dd, ipv6(58, icmp(type, {0x12, 0x34, 1, 0}))));
    EXPECT_HAS(json, R"("icmpv6.echo.identifier":4660,"layers")");
  }
}

Bytes be24(unsigned v) { return cat({{static_cast<std::uint8_t>(v >> 16)}, be16(v & 0xffff)}); }

// A TCP segment from port 40000 to `port` carrying `payload`.
Bytes tcp_segment(unsigned port, const Bytes& payload) {
  const Bytes header = cat({be16(40000),
                            be16(port),
                            {0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18},
                            be16(1000),
                            be16(0),
                            be16(0)});
  return ethernet(0x0800, ipv4(6, cat({header, payload})));
}

Bytes tls_record(std::uint8_t type, const Bytes& fragment) {
  return cat({{type, 3, 1}, be16(fragment.size()), fragment});
}

Bytes handshake(std::uint8_t type, const Bytes& body) {
  return cat({{type}, be24(body.size()), body});
}

Bytes extension(unsigned type, const Bytes& data) {
  return cat({be16(type), be16(data.size()), data});
}

// TLS 1.2, no session id, suites 0x1301 and 0xc02f, no compression, then
// `extensions` as they are (their list's length included).
Bytes client_hello(const Bytes& extensions) {
  return handshake(
      1,
      cat({{3, 3}, Bytes(32, 0xaa), {0}, be16(4), be16(0x1301), be16(0xc02f), {1, 0}, extensions}));
}

Bytes extension_list(const Bytes& extensions) { return cat({be16(extensions.size()), extensions}); }

const Bytes sni_example = extension(
    0, cat({be16(14), {0}, be16(11), {'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm'}}));
const Bytes groups = extension(10, cat({be16(4), be16(0x1d), be16(0x17)}));

// A hello broken part-way: tshark lists what it read before the break. An
// extensions' list whose length runs past the message: no extension; an
// extension wrong inside (a server name past its list): its type and the
// types after it, not the name.
TEST(LpdumpWalk, TlsHelloBrokenPartWayListsWhatWasRead) {
  const Bytes overrun = cat({be16(40), sni_example, groups});
  const std::string json = dissect_json(tcp_segment(443, tls_record(22, client_hello(overrun))));
  EXPECT_HAS(json, R"("tls.handshake.type":[1],"tls.handshake.length":[75])");
  EXPECT_HAS(json, R"("tls.handshake.version":[771],"tls.handshake.ciphersuite":[4865,49199])");
  EXPECT_LACKS(json, "tls.handshake.extension.type");

  const Bytes bad_name = extension(0, cat({be16(5), {0}, be16(9), {'a', 'b'}}));
  const std::string inner = dissect_json(
      tcp_segment(443, tls_record(22, client_hello(extension_list(cat({bad_name, groups}))))));
  EXPECT_HAS(inner, R"("tls.handshake.extension.type":[0,10],"layers")");
  EXPECT_LACKS(inner, "tls.handshake.sni");

  const Bytes good = client_hello(extension_list(cat({sni_example, groups})));
  const std::string whole = dissect_json(tcp_segment(443, tls_record(22, good)));
  EXPECT_HAS(whole, R"("tls.handshake.extension.type":[0,10],"tls.handshake.sni":["example.com"])");

  // An extension whose length runs past the list: its type is the last
  // listed. Past the captured segment, it is not listed, and tshark's walk
  // ends there (an exception): not even the next record is.
  const Bytes done = tls_record(22, handshake(14, {}));
  const Bytes past_list = cat({groups, be16(43), be16(3), {3, 4}});
  const std::string last = dissect_json(
      tcp_segment(443, cat({tls_record(22, client_hello(extension_list(past_list))), done})));
  EXPECT_HAS(last, R"("tls.record.length":[65,4])");
  EXPECT_HAS(last, R"("tls.handshake.extension.type":[10,43],"layers")");
  const Bytes past_segment = cat({groups, be16(43), be16(50), {3, 4}});
  const std::string ended = dissect_json(
      tcp_segment(443, cat({tls_record(22, client_hello(extension_list(past_segment))), done})));
  EXPECT_HAS(ended, R"("tls.record.length":[65],)");
  EXPECT_HAS(ended, R"("tls.handshake.type":[1],)");
  EXPECT_HAS(ended, R"("tls.handshake.extension.type":[10],"layers")");
}

// The messages of a record as tshark walks them: a message past the end of
// the record (continued in the next one) ends the walk, those before it are
// listed; a message of a type tshark does not know is skipped; a record of 16
// bytes or more whose first message type is unknown is taken as encrypted.
TEST(LpdumpWalk, TlsHandshakeMessagesOfARecord) {
  const Bytes server_hello = handshake(2, cat({{3, 3}, Bytes(32, 0xbb), {0}, be16(0x1301), {0}}));
  const Bytes cut_message = {14, 0, 0, 9, 0};
  const std::string json =
      dissect_json(tcp_segment(443, tls_record(22, cat({server_hello, cut_message}))));
  EXPECT_HAS(json, R"("tls.handshake.type":[2],"tls.handshake.length":[38])");
  EXPECT_HAS(json, R"("tls.handshake.ciphersuite":[4865])");

  const Bytes unknown = handshake(99, {1, 2});
  const std::string skipped =
      dissect_json(tcp_segment(443, tls_record(22, cat({unknown, handshake(14, {})}))));
  EXPECT_HAS(skipped, R"("tls.handshake.type":[14],"tls.handshake.length":[0])");

  const std::string encrypted = dissect_json(
      tcp_segment(443, tls_record(22, cat({handshake(99, Bytes(12, 0)), handshake(14, {})}))));
  EXPECT_HAS(encrypted, R"("tls.record.length":[20],"layers")");
  EXPECT_LACKS(encrypted, "tls.handshake");
}

// MySQL (3306): a segment that starts with a record header is TLS (tshark:
// after the client's SSL request on the connection).
TEST(LpdumpWalk, TlsOnMysql) {
  const std::string json = dissect_json(tcp_segment(3306, tls_record(22, handshake(14, {}))));
  EXPECT_HAS(json, R"("tls.record.content_type":[22])");
  EXPECT_HAS(json, R"("layers":["eth","ip","tcp","tls"])");
  const Bytes greeting = {0x4a, 0, 0, 0, 0x0a, '8', '.', '0', 0};
  EXPECT_HAS(dissect_json(tcp_segment(3306, greeting)), R"("layers":["eth","ip","tcp"])");
}

}  // namespace
