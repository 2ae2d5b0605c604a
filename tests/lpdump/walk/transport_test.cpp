// The walk's transport layer (tools/lpdump/walk/transport.cpp).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "frames.hpp"

namespace {

using namespace lpdump_test;

// MSS then EOL, and two zero bytes of padding: tshark lists three EOLs.
TEST(LpdumpTransport, TcpOptionsAndFlags) {
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

Bytes tcp_with_options(const Bytes& options, const Bytes& payload, unsigned dport = 443) {
  Bytes padded = options;
  padded.resize((options.size() + 3) / 4 * 4, 0);
  const auto offset = static_cast<std::uint8_t>((20 + padded.size()) / 4 << 4);
  return cat({be16(40000),
              be16(dport),
              {0, 0, 0, 1, 0, 0, 0, 1, offset, 0x18},
              be16(1000),
              be16(0),
              be16(0),
              padded,
              payload});
}
const Bytes tls_alert = {21, 3, 1, 0, 2, 2, 40};

// Options cut by the capture: each kind whose kind and length bytes were
// captured is listed, the timestamp value once its 4 bytes were; nothing
// after (tshark throws). A bogus length ends the options, not the segment.
TEST(LpdumpTransport, TcpOptionsCutOrBogus) {
  const Bytes frame =
      ethernet(0x0800, ipv4(6, tcp_with_options({1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9}, tls_alert)));
  EXPECT_HAS(dissect_cut(Bytes(frame.begin(), frame.begin() + 58), frame.size()),
             R"("tcp.option_kind":[1,1,8],"layers")");
  EXPECT_HAS(dissect_cut(Bytes(frame.begin(), frame.begin() + 62), frame.size()),
             R"("tcp.option_kind":[1,1,8],"tcp.options.tsval":7,"layers")");
  // MSS of length 1, then 5 (a kind tshark lists, without its value), SACK-permitted of 3.
  const std::vector<std::pair<Bytes, std::string>> cases{
      {{2, 1, 0, 0}, R"("tcp.urgent_pointer":0,"_error")"},
      {{2, 5, 0, 0, 0, 0, 0, 0}, R"("tcp.option_kind":[2,0,0,0],"_error")"},
      {{4, 3, 0, 0}, R"("tcp.option_kind":[4,0],"_error")"},
      {{1, 2, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0}, R"("tcp.option_kind":[1],"_error")"},
  };
  for (const auto& [options, expected] : cases) {
    const std::string json =
        dissect_json(ethernet(0x0800, ipv4(6, tcp_with_options(options, tls_alert))));
    EXPECT_HAS(json, expected);
    EXPECT_HAS(json, R"("tls.record.content_type":[21])");
  }
  // A SACK shorter than one block ends the segment (its dissector throws).
  const std::string sack =
      dissect_json(ethernet(0x0800, ipv4(6, tcp_with_options({5, 4, 0, 0}, tls_alert))));
  EXPECT_HAS(sack, R"("tcp.option_kind":[5],)");
  EXPECT_HAS(sack, R"("layers":["eth","ip","tcp"])");
}

// Headers cut short: tshark reads both ports before it adds a TCP or UDP
// layer, 16 bytes of TCP before the sequence numbers, 6 bytes of ICMP before
// its layer.
TEST(LpdumpTransport, TransportHeadersCutShort) {
  const Bytes tcp = ethernet(0x0800, ipv4(6, tcp_with_options({}, {})));
  EXPECT_HAS(dissect_cut(Bytes(tcp.begin(), tcp.begin() + 37), tcp.size()),
             R"("layers":["eth","ip"])");
  const std::string ports = dissect_cut(Bytes(tcp.begin(), tcp.begin() + 49), tcp.size());
  EXPECT_HAS(ports, R"("tcp.dstport":443,"layers")");
  const std::string window = dissect_cut(Bytes(tcp.begin(), tcp.begin() + 50), tcp.size());
  EXPECT_HAS(window, R"("tcp.window":1000,"layers")");
  const Bytes udp_frame = ethernet(0x0800, ipv4(17, udp(1000, 53, {1, 2, 3, 4})));
  EXPECT_HAS(dissect_cut(Bytes(udp_frame.begin(), udp_frame.begin() + 37), udp_frame.size()),
             R"("layers":["eth","ip"])");
  EXPECT_HAS(dissect_cut(Bytes(udp_frame.begin(), udp_frame.begin() + 42), udp_frame.size()),
             R"("layers":["eth","ip","udp"])");
  const Bytes icmp_frame = ethernet(0x0800, ipv4(1, {8, 0, 0, 0, 0, 1, 0, 2}));
  EXPECT_HAS(dissect_cut(Bytes(icmp_frame.begin(), icmp_frame.begin() + 39), icmp_frame.size()),
             R"("layers":["eth","ip"])");
  EXPECT_HAS(dissect_cut(Bytes(icmp_frame.begin(), icmp_frame.begin() + 40), icmp_frame.size()),
             R"("layers":["eth","ip","icmp"])");
}

Bytes icmp(std::uint8_t type, const Bytes& body) { return cat({{type, 0, 0, 0}, body}); }

// Information (15, 16) and address mask (17, 18) messages carry an identifier
// and a sequence number as echo does; ICMPv6 extended echo (160, 161) an
// identifier. Those captured are listed whatever follows them.
TEST(LpdumpTransport, IcmpQueriesWithAnIdentifier) {
  for (const std::uint8_t type : {15, 16, 17, 18}) {
    const std::string json =
        dissect_json(ethernet(0x0800, ipv4(1, icmp(type, {0x12, 0x34, 0, 7, 255, 255, 255, 0}))));
    EXPECT_HAS(json, R"("icmp.ident":4660,"icmp.seq":7)");
  }
  const std::string ident_only = dissect_json(ethernet(0x0800, ipv4(1, icmp(17, {0x12, 0x34, 0}))));
  EXPECT_HAS(ident_only, R"("icmp.ident":4660,"layers")");
  // A timestamp of 8 bytes where 12 are due (a fixed-size arm in the schema):
  // the error, which names the ICMP body, follows the ICMP fields.
  const std::string timestamp =
      dissect_json(ethernet(0x0800, ipv4(1, icmp(13, {0x12, 0x34, 0, 7, 0, 0, 0, 1}))));
  EXPECT_HAS(timestamp, R"("icmp.ident":4660,"icmp.seq":7,"_error":)");
  EXPECT_HAS(timestamp, R"(Ipv4.payload.Icmp.body (total_length - ihl * 4), got 12)");
  const std::string error = dissect_json(ethernet(0x0800, ipv4(1, icmp(3, {0x12, 0x34, 0, 7}))));
  EXPECT_LACKS(error, "icmp.ident");
  for (const std::uint8_t type : {160, 161}) {
    const std::string json =
        dissect_json(ethernet(0x86dd, ipv6(58, icmp(type, {0x12, 0x34, 1, 0}))));
    EXPECT_HAS(json, R"("icmpv6.echo.identifier":4660,"layers")");
  }
}

// tshark's DNS heuristic on UDP ports outside its port table: a standard
// query with one question and no answer, or a response with few records;
// nothing past the header is checked. A port of the table (123, NTP) keeps
// its own dissector.
TEST(LpdumpTransport, DnsHeuristicOnOtherUdpPorts) {
  const Bytes question = {3, 'w', 'w', 'w', 0, 0, 1, 0, 1};
  const Bytes query = cat({{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}, question});
  const std::string json = dissect_json(ethernet(0x0800, ipv4(17, udp(40000, 8053, query))));
  EXPECT_HAS(json, R"("dns.id":4660)");
  EXPECT_HAS(json, R"("layers":["eth","ip","udp","dns"])");
  EXPECT_HAS(dissect_json(ethernet(0x0800, ipv4(17, udp(40000, 123, query)))),
             R"("layers":["eth","ip","udp"])");
  const std::vector<Bytes> not_dns = {
      cat({{0x12, 0x34, 0x09, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}, question}),    // opcode 1
      cat({{0x12, 0x34, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0}, question}),    // two questions
      cat({{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 101, 0, 0, 0, 0}, question}),  // 101 answers
      cat({{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 11, 0, 0}, question}),   // 11 authority
      {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0},                     // the header alone
  };
  for (const Bytes& payload : not_dns) {
    EXPECT_HAS(dissect_json(ethernet(0x0800, ipv4(17, udp(40000, 8053, payload)))),
               R"("layers":["eth","ip","udp"])");
  }
}

// DNS over TCP needs the length prefix and 4 bytes of the message (its id
// and flags) captured for a layer, as over UDP.
TEST(LpdumpTransport, DnsOverTcpCutShort) {
  const Bytes message = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
  const Bytes frame =
      ethernet(0x0800, ipv4(6, tcp_with_options({}, cat({be16(message.size()), message}), 53)));
  EXPECT_HAS(dissect_cut(Bytes(frame.begin(), frame.begin() + 59), frame.size()),
             R"("layers":["eth","ip","tcp"])");
  EXPECT_HAS(dissect_cut(Bytes(frame.begin(), frame.begin() + 60), frame.size()),
             R"("layers":["eth","ip","tcp","dns"])");
}

}  // namespace
