// lpdump's protocol walk (tools/lpdump/walk.hpp) on packets built byte by byte,
// through the JSON writer: each test checks the keys and values tshark gives.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "dns_name.hpp"
#include "libparse/format.hpp"
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

std::string dissect_json(const Bytes& frame, std::uint32_t link_type = 1,
                         lpdump::WalkResult* result = nullptr) {
  lpdump::Packet packet;
  packet.number = 1;
  packet.data = lp::bytes(frame.data(), frame.size());
  packet.len = frame.size();
  packet.link_type = link_type;
  fmt::memory_buffer out;
  lpdump::JsonWriter writer(out);
  const lpdump::WalkResult r = lpdump::dissect(packet, writer);
  if (result != nullptr) *result = r;
  return std::string(out.data(), out.size());
}

#define EXPECT_HAS(json, fragment) \
  EXPECT_NE((json).find(fragment), std::string::npos) << "no " << (fragment) << " in " << (json)

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

#define EXPECT_LACKS(json, fragment) \
  EXPECT_EQ((json).find(fragment), std::string::npos) << (fragment) << " in " << (json)

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

}  // namespace
