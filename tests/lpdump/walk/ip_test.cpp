// The walk's IP layer (tools/lpdump/walk/ip.cpp).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "frames.hpp"

namespace {

using namespace lpdump_test;

// A timestamp option whose data is not a whole number of address/timestamp
// pairs fails Ipv4.options; its type is still listed, and so are the options
// around it, up to EOL (tshark's option loop goes on after it).
TEST(LpdumpIp, Ipv4OptionsAroundAMalformedOneAreListed) {
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
TEST(LpdumpIp, Ipv4OptionsStopAtALengthPastTheHeader) {
  const Bytes options = cat({{0x44, 14, 5, 0x01}, Bytes(10, 0), {0xf5, 0x13}});
  const std::string json = dissect_json(ethernet(0x0800, ipv4_with_options(1, options, {})));
  EXPECT_HAS(json, R"("ip.opt.type":[68],)");
}

// Checked against tshark 4.0: an option whose body is too short for its arm's
// fixed part (a record route of length 2 has no pointer, a timestamp of length
// 3 no flags) is listed, and ends the list (tshark's option dissector throws).
TEST(LpdumpIp, Ipv4OptionsEndAtABodyTooShortForItsType) {
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
TEST(LpdumpIp, Ipv4OptionsWithABogusLengthAreNotListed) {
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
TEST(LpdumpIp, Ipv4OptionsCutByTheCaptureAreNotListed) {
  const Bytes options = cat({{1, 1, 7, 7, 4}, Bytes(3, 0)});  // NOP NOP RR(7 bytes, pointer 4)
  Bytes frame = ethernet(0x0800, ipv4_with_options(17, options, {}));
  frame.resize(frame.size() - 2);  // the route's last two bytes
  const std::string json = dissect_json(frame);
  EXPECT_HAS(json, R"("ip.src":"192.0.2.10","ip.dst":"192.0.2.1")");
  EXPECT_LACKS(json, "ip.opt.type");
  EXPECT_HAS(json, R"("_error":)");
}

Bytes icmp_echo() { return {8, 0, 0, 0, 0x12, 0x34, 0, 1}; }

// tshark goes on with the payload after options whose length is bogus (they
// end its option loop, not the packet), and lists no type of an option it has
// no dissector for (0x99, 3), though it steps over it by its length.
TEST(LpdumpIp, Ipv4PayloadAfterBrokenOptions) {
  const std::vector<std::pair<Bytes, std::string>> cases{
      {{0x99, 4, 0, 0}, ""},
      {{3, 3, 3, 3, 3, 3, 3, 3}, ""},
      {{1, 1, 1, 0x99}, R"("ip.opt.type":[1,1,1],)"},
      {{7, 9, 0, 0}, ""},
      {{7, 8, 4, 0, 0, 0, 0, 0}, R"("ip.opt.type":[7],)"},
  };
  for (const auto& [options, list] : cases) {
    const std::string json =
        dissect_json(ethernet(0x0800, ipv4_with_options(1, options, icmp_echo())));
    EXPECT_HAS(json, R"("icmp.type":8)");
    EXPECT_HAS(json, R"("layers":["eth","ip","icmp"])");
    if (list.empty()) {
      EXPECT_LACKS(json, "ip.opt.type");
    } else {
      EXPECT_HAS(json, list);
    }
  }
}

// An option shorter than its tshark dissector's fixed fields (a router alert
// of 3 bytes, a traceroute of 4) is listed and ends the packet there.
TEST(LpdumpIp, Ipv4OptionTooShortForItsDissectorEndsThePacket) {
  for (const Bytes& options : {Bytes{148, 3, 0, 0}, Bytes{82, 4, 0, 0}}) {
    const std::string json =
        dissect_json(ethernet(0x0800, ipv4_with_options(1, options, icmp_echo())));
    EXPECT_HAS(json, R"("ip.opt.type":[)" + std::to_string(options[0]) + "]");
    EXPECT_HAS(json, R"("layers":["eth","ip"])");
  }
}

// A loose or strict source route whose pointer is still within the route
// makes its last address the destination: tshark lists no ip.dst then.
// An exhausted route (pointer past its length) leaves ip.dst as it is.
TEST(LpdumpIp, Ipv4SourceRouteHidesTheHeaderDestination) {
  const Bytes route = {137, 11, 4, 10, 0, 0, 1, 10, 0, 0, 2, 0};
  const std::string routed =
      dissect_json(ethernet(0x0800, ipv4_with_options(1, route, icmp_echo())));
  EXPECT_LACKS(routed, "ip.dst");
  EXPECT_HAS(routed, R"("ip.opt.type":[137,0])");
  const Bytes exhausted = {131, 11, 12, 10, 0, 0, 1, 10, 0, 0, 2, 0};
  const std::string json =
      dissect_json(ethernet(0x0800, ipv4_with_options(1, exhausted, icmp_echo())));
  EXPECT_HAS(json, R"("ip.dst":"192.0.2.1")");
}

// tshark reads each option's type and length before ip.dst: a frame cut before
// those bytes has no ip.dst and nothing after the source address.
TEST(LpdumpIp, Ipv4OptionTypesCutBeforeTheDestination) {
  Bytes frame = ethernet(0x0800, ipv4_with_options(1, {1, 0x99, 6, 0, 0, 0, 0, 0}, icmp_echo()));
  frame.resize(14 + 20 + 2);  // NOP and the unknown option's type
  const std::string json = dissect_json(frame);
  EXPECT_HAS(json, R"("ip.src":"192.0.2.10","_error")");
  EXPECT_LACKS(json, "ip.dst");
}

// A header of version 6 under EtherType IPv4 goes to IPv6 after ip.version.
TEST(LpdumpIp, Ipv4HeaderOfVersionSixIsIpv6) {
  const std::string json = dissect_json(ethernet(0x0800, ipv6(17, udp(1000, 2000, {}))));
  EXPECT_HAS(json, R"("ip.version":6,"ipv6.version":6)");
  EXPECT_HAS(json, R"("layers":["eth","ip","ipv6","udp"])");
}

// ipv6-srh-tlv-pad1-padn-5-trunc.pcap: a routing header of 32 bytes of which
// 31 were captured is listed with its next header, and ends the chain.
TEST(LpdumpIp, Ipv6RoutingHeaderCutByTheCapture) {
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
TEST(LpdumpIp, Ipv6OptionsHeaderWhoseOptionsFail) {
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
TEST(LpdumpIp, Ipv6JumbogramAndPayloadLengthZero) {
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
TEST(LpdumpIp, Ipv6PayloadLengthZeroIsAnEmptyPayload) {
  const Bytes echo = {128, 0, 0x12, 0x34, 0, 1, 0, 1};
  const std::string json = dissect_json(ethernet(0x86dd, ipv6(58, echo, 0)));
  EXPECT_HAS(json, R"("ipv6.plen":0,"ipv6.nxt":58)");
  EXPECT_LACKS(json, "icmpv6.");
  EXPECT_HAS(json, R"("layers":["eth","ipv6","icmpv6"])");
}

// Tunnels through the arms of the import cycle ipv4.lps <-> ipv6.lps: 4in6,
// and 6in4 carrying 4in6, each layer listed as tshark lists it; an inner IPv4
// header that fails is dissected as far as it goes.
TEST(LpdumpIp, FourInSixAndBack) {
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

TEST(LpdumpIp, ErrorsNameTheField) {
  // IHL 4: tshark gives version and hdr_len only; lpdump adds the error.
  Bytes ip = ipv4(17, udp(1, 2, {}));
  ip[0] = 0x44;
  const std::string json = dissect_json(ethernet(0x0800, ip));
  EXPECT_HAS(json, R"("_error":)");
  EXPECT_HAS(json, "ihl");
}

// tshark reads IPv6's traffic class with the flow label and its payload
// length with the next header.
TEST(LpdumpIp, Ipv6FixedHeaderCutShort) {
  const Bytes frame = ethernet(0x86dd, ipv6(17, udp(1, 2, {})));
  const std::string three = dissect_cut(Bytes(frame.begin(), frame.begin() + 17), frame.size());
  EXPECT_HAS(three, R"("ipv6.version":6,"_error")");
  const std::string six = dissect_cut(Bytes(frame.begin(), frame.begin() + 20), frame.size());
  EXPECT_HAS(six, R"("ipv6.flow":0,"_error")");
  const std::string seven = dissect_cut(Bytes(frame.begin(), frame.begin() + 21), frame.size());
  EXPECT_HAS(seven, R"("ipv6.plen":8,"ipv6.nxt":17,)");
}

}  // namespace
