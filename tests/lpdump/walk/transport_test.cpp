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

}  // namespace
