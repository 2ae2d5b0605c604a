// Every length expression of the net, tls, capture and proto schemas with its
// length at 0, just below its minimum, one past the bytes present and at its
// maximum, each with the exact lp::Error (code, byte offset, field path).
//
// Expressions covered (schema: field: expression):
//   net/udp.lps       Udp.length (>= 8), Udp.payload bytes[length - 8]
//   net/ipv4.lps      Ipv4.ihl (>= 5), Ipv4.total_length (>= ihl * 4),
//                     Ipv4.options size(ihl * 4 - 20), Ipv4.payload size(total_length - ihl * 4)
//                     (Ipv4Option.length: tlv_test.cpp)
//   net/ipv6.lps      Ipv6.payload size(payload_length), Ipv6Options.options size(length * 8 + 6),
//                     Ipv6Option.data bytes[type == 0 ? 0 : length],
//                     Ipv6Routing.data bytes[length * 8 + 4]
//   net/tcp.lps       Tcp.data_offset (>= 5), Tcp.options size(data_offset * 4 - 20)
//                     (TcpOption.length: tlv_test.cpp)
//   net/ethernet.lps  Llc.data bytes[length - header_length], in Ethernet and in Vlan
//   net/arp.lps       Arp.sender_hw/target_hw bytes[hw_size], sender_proto/target_proto
//   bytes[proto_size] net/dns.lps       Dns.questions/answers/authority/additional T[count],
//   DnsLabel.text bytes[length],
//                     DnsRecord.rdata size(rdlength), DnsCharacterString.text string[length],
//                     DnsTcp.message size(length) (EdnsOption.data: tlv_test.cpp)
//   net/icmpv6.lps    NdOption.body size(length * 8 - 2): tlv_test.cpp
//   tls/tls.lps       Record.length (<= 2^14 + 2048, != 0 for handshake), Record.fragment
//   size(length),
//                     OpaqueRecord.fragment bytes[length], Handshake.body size(length) (u24),
//                     ClientHello.session_id_length (<= 32), session_id bytes[session_id_length],
//                     cipher_suites_length (>= 2, even), cipher_suites size(cipher_suites_length),
//                     compression_methods_length (>= 1), compression_methods u8[...],
//                     ClientHelloExtensions.list size(length), ServerNameList.length (>= 1),
//                     ServerName.length (>= 1), ProtocolNameList.length (>= 2),
//                     ProtocolName.length (>= 1), SupportedVersionList.length (>= 2, even),
//                     NamedGroupList.length, SignatureSchemeList.length (>= 2, even),
//                     KeyShareEntry.key_exchange_length (>= 1), KeyShareClientHello.shares
//                     size(length), KeyShareServerHello.key_exchange_length (>= 1)
//                     (ClientHelloExtension.data size(length): tlv_test.cpp)
//   capture/pcap.lps  PcapRecord.incl_len (<= 256 MiB), PcapRecord.data bytes[incl_len]
//   capture/pcapng.lps PcapngSectionHeader.section (block_total_length - 28), its trailer and
//                     `require block_total_length % 4 == 0`, PcapngBlock.block_total_length
//                     (>= 12, % 4), PcapngBlock.body size(block_total_length - 12),
//                     trailing_length, PcapngEnhancedPacket.data bytes[captured_length],
//                     PcapngSimplePacket data_length (body_length - 4), PcapngInterfaceDescription
//                     options size(body_length - 8) (option lengths: tlv_test.cpp)
//   proto/wire.lps    LengthDelimited.length (<= 2^31 - 1), LengthDelimited.data bytes[length],
//                     varints near 2^64, Field.key (field number), PackedFixed32.values u32[]
//   net/coap.lps      CoapMessage.token_length (<= 8), token bytes[token_length],
//                     CoapOption.value size(value_length) (4 bits, 13 + 8 bits, 269 + 16
//                     bits), CoapUint (length <= 4), the carried option number (u32)
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "hardening.hpp"
#include "net/coap.lp.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "packets.hpp"
#include "proto/wire.lp.hpp"
#include "tls/tls.lp.hpp"

namespace hardening {
namespace {

using lp::errc;

// An IPv4 header: version 4, `ihl`, `total_length`, `protocol`, zero checksum,
// then `rest` (options and payload).
Bytes ipv4(std::uint8_t ihl, std::uint16_t total_length, std::uint8_t protocol, const Bytes& rest) {
  return Builder()
      .u8(0x40 | ihl)
      .u8(0)
      .be16(total_length)
      .be16(1)
      .be16(0)
      .u8(64)
      .u8(protocol)
      .be16(0)
      .be32(0xc0a80001)
      .be32(0xc0a800c7)
      .append(rest)
      .take();
}

// A CoAP GET header with token length `tkl` (no token bytes), then `rest`.
Bytes coap(std::uint8_t tkl, const Bytes& rest) {
  return Builder().u8(0x40 | tkl).u8(1).be16(1).append(rest).take();
}

Bytes udp(std::uint16_t length, std::size_t payload) {
  return Builder().be16(1000).be16(53).be16(length).be16(0).fill(payload, 0x61).take();
}

// An IPv6 header with `payload_length` and `next_header`, then `rest`.
Bytes ipv6(std::uint16_t payload_length, std::uint8_t next_header, const Bytes& rest) {
  return Builder()
      .be32(0x60000000)
      .be16(payload_length)
      .u8(next_header)
      .u8(64)
      .fill(16, 0x11)
      .fill(16, 0x22)
      .append(rest)
      .take();
}

Bytes tcp(std::uint8_t data_offset, const Bytes& rest) {
  return Builder()
      .be16(443)
      .be16(51000)
      .be32(1)
      .be32(2)
      .u8(data_offset << 4)
      .u8(0x12)
      .be16(0xffff)
      .be16(0)
      .be16(0)
      .append(rest)
      .take();
}

Bytes ethernet(std::uint16_t ether_type, const Bytes& rest) {
  return Builder().fill(6, 0xff).fill(6, 0x52).be16(ether_type).append(rest).take();
}

Bytes arp(std::uint8_t hw_size, std::uint8_t proto_size, std::size_t rest) {
  return Builder().be16(1).be16(0x0800).u8(hw_size).u8(proto_size).be16(1).fill(rest, 7).take();
}

// A DNS header with the four counts, then `rest`.
Bytes dns(std::uint16_t qd, std::uint16_t an, std::uint16_t ns, std::uint16_t ar,
          const Bytes& rest) {
  return Builder()
      .be16(0x1234)
      .be16(0x0100)
      .be16(qd)
      .be16(an)
      .be16(ns)
      .be16(ar)
      .append(rest)
      .take();
}

// A resource record named by a pointer to offset 12 (none is followed here).
Bytes record(std::uint16_t type, std::uint16_t rdlength, const Bytes& rdata) {
  return Builder().be16(0xc00c).be16(type).be16(1).be32(60).be16(rdlength).append(rdata).take();
}

Bytes tls_record(std::uint8_t type, std::uint16_t length, const Bytes& fragment) {
  return Builder().u8(type).be16(0x0303).be16(length).append(fragment).take();
}

// A ClientHello body: `session_id_length` with that many bytes,
// `cipher_suites_length` with `suites` bytes, `compression_length` with one
// method, then `extensions`.
Bytes hello(std::uint8_t session_id_length, std::uint16_t cipher_suites_length, std::size_t suites,
            std::uint8_t compression_length, const Bytes& extensions) {
  return Builder()
      .be16(0x0303)
      .fill(32, 0x11)
      .u8(session_id_length)
      .fill(session_id_length <= 32 ? session_id_length : 0, 0x22)
      .be16(cipher_suites_length)
      .fill(suites, 0x13)
      .u8(compression_length)
      .u8(0)
      .append(extensions)
      .take();
}

Bytes handshake(std::uint32_t length, const Bytes& body) {
  return Builder().u8(1).be24(length).append(body).take();
}
Bytes handshake(const Bytes& body) {
  return handshake(static_cast<std::uint32_t>(body.size()), body);
}

// An extension of a ClientHello: `type`, its length, then `data`.
Bytes extension(std::uint16_t type, const Bytes& data) {
  return Builder().be16(type).be16(data.size()).append(data).take();
}

Bytes pcap_record(std::uint32_t incl_len, std::size_t data) {
  return Builder().le32(1).le32(2).le32(incl_len).le32(60).fill(data, 0xab).take();
}

// A little-endian SHB whose both lengths read `total` (the body has 16 bytes).
Bytes section_header(std::uint32_t total, std::uint32_t trailer) {
  return Builder()
      .le32(0x0A0D0D0A)
      .le32(total)
      .le32(0x1A2B3C4D)
      .le16(1)
      .le16(0)
      .le64(~std::uint64_t{0})
      .le32(trailer)
      .take();
}

// A little-endian block of `type` whose leading length reads `total`, then
// `body`, then `trailer`.
Bytes block(std::uint32_t type, std::uint32_t total, const Bytes& body, std::uint32_t trailer) {
  return Builder().le32(type).le32(total).append(body).le32(trailer).take();
}
Bytes block(std::uint32_t type, const Bytes& body) {
  const auto total = static_cast<std::uint32_t>(12 + body.size());
  return block(type, total, body, total);
}

Bytes epb_body(std::uint32_t captured, std::size_t data) {
  return Builder().le32(0).le32(0).le32(0).le32(captured).le32(captured).fill(data, 0xcd).take();
}

const ParseFn udp_fn = parse_as<net::Udp>;
const ParseFn ipv4_fn = parse_as<net::Ipv4>;
const ParseFn ipv6_fn = parse_as<net::Ipv6>;
const ParseFn tcp_fn = parse_as<net::Tcp>;
const ParseFn eth_fn = parse_as<net::Ethernet>;
const ParseFn arp_fn = parse_as<net::Arp>;
const ParseFn dns_fn = parse_as<net::Dns>;
const ParseFn dns_tcp_fn = parse_as<net::DnsTcp>;
const ParseFn record_fn = parse_as<tls::Record>;
const ParseFn opaque_fn = parse_as<tls::OpaqueRecord>;
const ParseFn handshake_fn = parse_as<tls::Handshake>;
const ParseFn ext_fn = parse_as<tls::ClientHelloExtension>;
const ParseFn shb_fn = parse_as<capture::PcapngSectionHeader>;
const ParseFn message_fn = parse_as<proto::Message>;

constexpr std::uint64_t max64 = ~std::uint64_t{0};

}  // namespace

std::vector<Case> length_cases() {
  std::vector<Case> c;
  const std::string hs_ch = "Handshake.body.ClientHello.";

  // --- Udp.length (>= 8), payload bytes[length - 8] ---------------------------
  c.push_back(fails("udp length 0", udp_fn, udp(0, 12), errc::constraint_failed, 4, "Udp.length")
                  .with_actual(0));
  c.push_back(fails("udp length 7", udp_fn, udp(7, 12), errc::constraint_failed, 4, "Udp.length")
                  .with_actual(7));
  c.push_back(ok("udp length 8", udp_fn, udp(8, 0), 8));
  c.push_back(fails("udp length one past", udp_fn, udp(21, 12), errc::truncated, 8, "Udp.payload")
                  .with_needed(1));
  c.push_back(fails("udp length 0xffff", udp_fn, udp(0xffff, 12), errc::truncated, 8, "Udp.payload")
                  .with_needed(0xffff - 8 - 12));

  // --- Ipv4: ihl, total_length, options size(ihl * 4 - 20), payload size(...) ---
  c.push_back(fails("ipv4 ihl 0", ipv4_fn, ipv4(0, 40, 17, udp(20, 12)), errc::constraint_failed, 0,
                    "Ipv4.ihl")
                  .with_actual(0));
  c.push_back(fails("ipv4 ihl 4", ipv4_fn, ipv4(4, 40, 17, udp(20, 12)), errc::constraint_failed, 0,
                    "Ipv4.ihl")
                  .with_actual(4));
  c.push_back(fails("ipv4 total_length 0", ipv4_fn, ipv4(5, 0, 17, udp(20, 12)),
                    errc::constraint_failed, 2, "Ipv4.total_length")
                  .with_actual(0));
  c.push_back(fails("ipv4 total_length 19", ipv4_fn, ipv4(5, 19, 17, udp(20, 12)),
                    errc::constraint_failed, 2, "Ipv4.total_length")
                  .with_actual(19));
  c.push_back(ok("ipv4 total_length 20, no payload", ipv4_fn, ipv4(5, 20, 59, {}), 20));
  c.push_back(fails("ipv4 total_length 20, udp in no bytes", ipv4_fn, ipv4(5, 20, 17, {}),
                    errc::bad_length, 20, "Ipv4.payload.Udp.src_port")
                  .with_actual(0));
  c.push_back(fails("ipv4 total_length one past", ipv4_fn, ipv4(5, 41, 17, udp(20, 12)),
                    errc::truncated, 20, "Ipv4.payload")
                  .with_needed(1));
  c.push_back(fails("ipv4 total_length 0xffff", ipv4_fn, ipv4(5, 0xffff, 17, udp(20, 12)),
                    errc::truncated, 20, "Ipv4.payload")
                  .with_needed(0xffff - 40));
  c.push_back(fails("ipv4 ihl 15, no options present", ipv4_fn, ipv4(15, 60, 59, {}),
                    errc::truncated, 20, "Ipv4.options")
                  .with_needed(40));
  c.push_back(fails("ipv4 total_length below ihl 15", ipv4_fn, ipv4(15, 59, 59, Bytes(40, 1)),
                    errc::constraint_failed, 2, "Ipv4.total_length")
                  .with_actual(59));
  c.push_back(fails("ipv4 udp length past the ip payload", ipv4_fn, ipv4(5, 40, 17, udp(21, 12)),
                    errc::bad_length, 28, "Ipv4.payload.Udp.payload")
                  .with_actual(20));

  // --- Ipv6.payload size(payload_length), extension header lengths -------------
  c.push_back(ok("ipv6 payload_length 0, no next header", ipv6_fn, ipv6(0, 59, {}), 40));
  c.push_back(fails("ipv6 payload_length 0, udp", ipv6_fn, ipv6(0, 17, udp(20, 12)),
                    errc::bad_length, 40, "Ipv6.payload.Udp.src_port")
                  .with_actual(0));
  c.push_back(fails("ipv6 payload_length 7, udp", ipv6_fn, ipv6(7, 17, udp(20, 12)),
                    errc::bad_length, 46, "Ipv6.payload.Udp.checksum")
                  .with_actual(7));
  c.push_back(fails("ipv6 payload_length one past", ipv6_fn, ipv6(21, 17, udp(20, 12)),
                    errc::truncated, 40, "Ipv6.payload")
                  .with_needed(1));
  c.push_back(fails("ipv6 payload_length 0xffff", ipv6_fn, ipv6(0xffff, 17, udp(20, 12)),
                    errc::truncated, 40, "Ipv6.payload")
                  .with_needed(0xffff - 20));
  // Hop-by-hop length 255: 2046 bytes of options in an 8-byte header.
  c.push_back(fails("ipv6 hop-by-hop length 255", ipv6_fn,
                    ipv6(8, 0, Builder().u8(59).u8(255).u8(1).u8(4).fill(4).take()),
                    errc::bad_length, 42, "Ipv6.payload.Ipv6Options.options")
                  .with_actual(8));
  // PadN whose length runs past the header's 6 option bytes.
  c.push_back(fails("ipv6 option length past its header", ipv6_fn,
                    ipv6(8, 0, Builder().u8(59).u8(0).u8(1).u8(5).fill(4).take()), errc::bad_length,
                    44, "Ipv6.payload.Ipv6Options.options[0].data")
                  .with_actual(6));
  c.push_back(fails("ipv6 option length 255", ipv6_fn,
                    ipv6(8, 0, Builder().u8(59).u8(0).u8(1).u8(255).fill(4).take()),
                    errc::bad_length, 44, "Ipv6.payload.Ipv6Options.options[0].data")
                  .with_actual(6));
  c.push_back(ok("ipv6 option length 0", ipv6_fn,
                 ipv6(8, 0, Builder().u8(59).u8(0).u8(1).u8(0).u8(1).u8(2).fill(2).take()), 48));
  c.push_back(fails("ipv6 routing length 255", ipv6_fn,
                    ipv6(8, 43, Builder().u8(59).u8(255).u8(0).u8(0).fill(4).take()),
                    errc::bad_length, 44, "Ipv6.payload.Ipv6Routing.data")
                  .with_actual(8));
  c.push_back(ok("ipv6 routing length 0", ipv6_fn,
                 ipv6(8, 43, Builder().u8(59).u8(0).u8(0).u8(0).fill(4).take()), 48));

  // --- Tcp.data_offset (>= 5), options size(data_offset * 4 - 20) -------------
  c.push_back(
      fails("tcp data_offset 0", tcp_fn, tcp(0, {}), errc::constraint_failed, 12, "Tcp.data_offset")
          .with_actual(0));
  c.push_back(
      fails("tcp data_offset 4", tcp_fn, tcp(4, {}), errc::constraint_failed, 12, "Tcp.data_offset")
          .with_actual(4));
  c.push_back(ok("tcp data_offset 5", tcp_fn, tcp(5, {}), 20));
  c.push_back(
      fails("tcp data_offset one word past", tcp_fn, tcp(6, {}), errc::truncated, 20, "Tcp.options")
          .with_needed(4));
  c.push_back(
      fails("tcp data_offset 15", tcp_fn, tcp(15, Bytes(8, 1)), errc::truncated, 20, "Tcp.options")
          .with_needed(32));

  // --- Llc.data bytes[length - header_length] ----------------------------------
  const Bytes ui = {0x42, 0x42, 0x03};  // DSAP, SSAP, UI: a 3-byte header
  c.push_back(fails("llc length 0", eth_fn, ethernet(0, ui), errc::overflow, 17,
                    "Ethernet.payload.Llc.data"));
  c.push_back(fails("llc length 2, below its header", eth_fn, ethernet(2, ui), errc::overflow, 17,
                    "Ethernet.payload.Llc.data"));
  c.push_back(ok("llc length 3, no data", eth_fn, ethernet(3, ui), 17));
  c.push_back(fails("llc length one past", eth_fn,
                    ethernet(14, Builder().append(ui).fill(10).take()), errc::truncated, 17,
                    "Ethernet.payload.Llc.data")
                  .with_needed(1));
  c.push_back(fails("llc length 1500", eth_fn, ethernet(1500, ui), errc::truncated, 17,
                    "Ethernet.payload.Llc.data")
                  .with_needed(1497));
  c.push_back(fails("llc length 0 in a vlan tag", eth_fn,
                    ethernet(0x8100, lp_test::vlan_with(0, ui)), errc::overflow, 21,
                    "Ethernet.payload.Vlan.payload.Llc.data"));

  // --- Arp addresses bytes[hw_size], bytes[proto_size] ------------------------
  c.push_back(ok("arp sizes 0", arp_fn, arp(0, 0, 0), 8));
  c.push_back(fails("arp hw_size 255", arp_fn, arp(255, 4, 20), errc::truncated, 8, "Arp.sender_hw")
                  .with_needed(235));
  c.push_back(fails("arp proto_size one past", arp_fn, arp(6, 5, 20), errc::truncated, 25,
                    "Arp.target_proto")
                  .with_needed(2));
  c.push_back(
      fails("arp sizes 255", arp_fn, arp(255, 255, 1019), errc::truncated, 773, "Arp.target_proto")
          .with_needed(1));

  // --- Dns counts, labels, rdlength, character-strings; DnsTcp.length ----------
  c.push_back(ok("dns counts 0", dns_fn, dns(0, 0, 0, 0, {}), 12));
  c.push_back(fails("dns qdcount 0xffff", dns_fn, dns(0xffff, 0, 0, 0, {}), errc::truncated, 12,
                    "Dns.questions[0].name.DnsName.labels[0]")
                  .with_needed(1));
  c.push_back(fails("dns arcount 0xffff", dns_fn, dns(0, 0, 0, 0xffff, record(1, 4, Bytes(4, 1))),
                    errc::truncated, 28, "Dns.additional[1].name.DnsName.labels[0]")
                  .with_needed(1));
  c.push_back(fails("dns label length 63, 3 bytes", dns_fn,
                    dns(1, 0, 0, 0, Builder().u8(63).fill(3, 'a').take()), errc::truncated, 13,
                    "Dns.questions[0].name.DnsName.labels[0].body")
                  .with_needed(60));
  c.push_back(fails("dns label kind 01", dns_fn, dns(1, 0, 0, 0, Builder().u8(0x40).take()),
                    errc::constraint_failed, 12, "Dns.questions[0].name.DnsName.labels[0].kind")
                  .with_actual(1));
  c.push_back(fails("dns rdlength 0 for A", dns_fn, dns(0, 1, 0, 0, record(1, 0, {})),
                    errc::bad_length, 24, "Dns.answers[0].rdata.Ipv4Addr.octets"));
  c.push_back(fails("dns rdlength 5 for A", dns_fn, dns(0, 1, 0, 0, record(1, 5, Bytes(5, 1))),
                    errc::bad_length, 24, "Dns.answers[0].rdata")
                  .with_actual(5));
  c.push_back(fails("dns rdlength one past", dns_fn, dns(0, 1, 0, 0, record(1, 5, Bytes(4, 1))),
                    errc::truncated, 24, "Dns.answers[0].rdata")
                  .with_needed(1));
  c.push_back(fails("dns rdlength 0xffff", dns_fn, dns(0, 1, 0, 0, record(99, 0xffff, Bytes(4, 1))),
                    errc::truncated, 24, "Dns.answers[0].rdata")
                  .with_needed(0xffff - 4));
  c.push_back(
      ok("dns rdlength 0 for an unknown type", dns_fn, dns(0, 1, 0, 0, record(99, 0, {})), 24));
  c.push_back(fails("dns txt string past rdata", dns_fn,
                    dns(0, 1, 0, 0, record(16, 4, Builder().u8(5).append({'a', 'b', 'c'}).take())),
                    errc::bad_length, 25, "Dns.answers[0].rdata.DnsTxt.strings[0].text")
                  .with_actual(4));
  c.push_back(ok("dns txt string length 0", dns_fn, dns(0, 1, 0, 0, record(16, 1, {0})), 25));
  c.push_back(ok("dnstcp length 12, empty message", dns_tcp_fn,
                 Builder().be16(12).append(dns(0, 0, 0, 0, {})).take(), 14));
  c.push_back(fails("dnstcp length 0", dns_tcp_fn,
                    Builder().be16(0).append(dns(0, 0, 0, 0, {})).take(), errc::bad_length, 2,
                    "DnsTcp.message.Dns.id")
                  .with_actual(0));
  c.push_back(fails("dnstcp length 11", dns_tcp_fn,
                    Builder().be16(11).append(dns(0, 0, 0, 0, {})).take(), errc::bad_length, 12,
                    "DnsTcp.message.Dns.arcount")
                  .with_actual(11));
  c.push_back(fails("dnstcp length 13", dns_tcp_fn,
                    Builder().be16(13).append(dns(0, 0, 0, 0, {})).take(), errc::truncated, 2,
                    "DnsTcp.message")
                  .with_needed(1));
  c.push_back(fails("dnstcp length 13, one byte too many", dns_tcp_fn,
                    Builder().be16(13).append(dns(0, 0, 0, 0, {0})).take(), errc::bad_length, 2,
                    "DnsTcp.message"));
  c.push_back(fails("dnstcp length 0xffff", dns_tcp_fn,
                    Builder().be16(0xffff).append(dns(0, 0, 0, 0, {})).take(), errc::truncated, 2,
                    "DnsTcp.message")
                  .with_needed(0xffff - 12));

  // --- tls Record.length, OpaqueRecord, Handshake.length (u24) -------------------
  const Bytes ch = handshake(hello(0, 2, 2, 1, {}));
  c.push_back(fails("record handshake length 0", record_fn, tls_record(22, 0, {}),
                    errc::constraint_failed, 3, "Record.length")
                  .with_actual(0));
  c.push_back(ok("record application_data length 0", record_fn, tls_record(23, 0, {}), 5));
  c.push_back(fails("record length 2^14 + 2049", record_fn, tls_record(23, 18433, {}),
                    errc::constraint_failed, 3, "Record.length")
                  .with_actual(18433));
  c.push_back(fails("record length 0xffff", record_fn, tls_record(23, 0xffff, {}),
                    errc::constraint_failed, 3, "Record.length")
                  .with_actual(0xffff));
  c.push_back(fails("record length 2^14 + 2048", record_fn, tls_record(23, 18432, Bytes(8, 1)),
                    errc::truncated, 5, "Record.fragment")
                  .with_needed(18432 - 8));
  c.push_back(fails("record length one past", record_fn, tls_record(22, ch.size() + 1, ch),
                    errc::truncated, 5, "Record.fragment")
                  .with_needed(1));
  c.push_back(fails("record length one short", record_fn, tls_record(22, ch.size() - 1, ch),
                    errc::bad_length, 9, "Record.fragment.HandshakeMessages.messages[0].body")
                  .with_actual(44));
  c.push_back(fails("alert record length 1", record_fn, tls_record(21, 1, {2, 40}),
                    errc::bad_length, 6, "Record.fragment.Alert.description"));
  c.push_back(fails("opaque record length 2^14 + 2049", opaque_fn, tls_record(23, 18433, {}),
                    errc::constraint_failed, 3, "OpaqueRecord.length")
                  .with_actual(18433));
  c.push_back(fails("opaque record length one past", opaque_fn, tls_record(23, 4, {1, 2, 3}),
                    errc::truncated, 5, "OpaqueRecord.fragment")
                  .with_needed(1));
  c.push_back(fails("handshake length 0xffffff", handshake_fn,
                    handshake(0xffffff, hello(0, 2, 2, 1, {})), errc::truncated, 4,
                    "Handshake.body")
                  .with_needed(0xffffff - 41));
  c.push_back(fails("handshake length 0", handshake_fn, handshake(0, hello(0, 2, 2, 1, {})),
                    errc::bad_length, 4, "Handshake.body.ClientHello.legacy_version")
                  .with_actual(0));
  c.push_back(
      ok("handshake length 0, other type", handshake_fn, Builder().u8(14).be24(0).take(), 4));

  // --- ClientHello's lengths ---------------------------------------------------
  c.push_back(ok("hello without extensions", handshake_fn, ch, 45));
  c.push_back(fails("session_id_length 33", handshake_fn, handshake(hello(33, 2, 2, 1, {})),
                    errc::constraint_failed, 38, hs_ch + "session_id_length")
                  .with_actual(33));
  c.push_back(fails("session_id_length 255", handshake_fn, handshake(hello(255, 2, 2, 1, {})),
                    errc::constraint_failed, 38, hs_ch + "session_id_length")
                  .with_actual(255));
  c.push_back(ok("session_id_length 32", handshake_fn, handshake(hello(32, 2, 2, 1, {})), 77));
  c.push_back(fails("cipher_suites_length 0", handshake_fn, handshake(hello(0, 0, 0, 1, {})),
                    errc::constraint_failed, 39, hs_ch + "cipher_suites_length")
                  .with_actual(0));
  c.push_back(fails("cipher_suites_length 3", handshake_fn, handshake(hello(0, 3, 3, 1, {})),
                    errc::constraint_failed, 39, hs_ch + "cipher_suites_length")
                  .with_actual(3));
  c.push_back(fails("cipher_suites_length 0xfffe", handshake_fn,
                    handshake(hello(0, 0xfffe, 2, 1, {})), errc::bad_length, 41,
                    "Handshake.body.ClientHello.cipher_suites")
                  .with_actual(41));
  c.push_back(fails("compression_methods_length 0", handshake_fn, handshake(hello(0, 2, 2, 0, {})),
                    errc::constraint_failed, 43, hs_ch + "compression_methods_length")
                  .with_actual(0));
  c.push_back(fails("compression_methods_length 255", handshake_fn,
                    handshake(hello(0, 2, 2, 255, {})), errc::bad_length, 44,
                    "Handshake.body.ClientHello.compression_methods")
                  .with_actual(41));
  c.push_back(fails("extensions length 0xffff", handshake_fn,
                    handshake(hello(0, 2, 2, 1, Builder().be16(0xffff).take())), errc::bad_length,
                    47, "Handshake.body.ClientHello.extensions.ClientHelloExtensions.list")
                  .with_actual(43));
  c.push_back(ok("extensions length 0", handshake_fn,
                 handshake(hello(0, 2, 2, 1, Builder().be16(0).take())), 47));

  // --- extension bodies (parsed as ClientHelloExtension: type, length, data) ---
  c.push_back(fails("server_name list length 0", ext_fn, extension(0, Builder().be16(0).take()),
                    errc::constraint_failed, 4, "ClientHelloExtension.data.ServerNameList.length")
                  .with_actual(0));
  c.push_back(fails("server_name name length 0", ext_fn,
                    extension(0, Builder().be16(3).u8(0).be16(0).take()), errc::constraint_failed,
                    7, "ClientHelloExtension.data.ServerNameList.names[0].length")
                  .with_actual(0));
  c.push_back(fails("server_name name length 0xffff", ext_fn,
                    extension(0, Builder().be16(5).u8(0).be16(0xffff).u8('a').u8('b').take()),
                    errc::bad_length, 9, "ClientHelloExtension.data.ServerNameList.names[0].name")
                  .with_actual(5));
  c.push_back(fails("alpn list length 1", ext_fn, extension(16, Builder().be16(1).u8(0).take()),
                    errc::constraint_failed, 4, "ClientHelloExtension.data.ProtocolNameList.length")
                  .with_actual(1));
  c.push_back(fails("alpn name length 0", ext_fn,
                    extension(16, Builder().be16(2).u8(0).u8(0).take()), errc::constraint_failed, 6,
                    "ClientHelloExtension.data.ProtocolNameList.names[0].length")
                  .with_actual(0));
  c.push_back(fails("supported_versions length 0", ext_fn, extension(43, {0}),
                    errc::constraint_failed, 4,
                    "ClientHelloExtension.data.SupportedVersionList.length")
                  .with_actual(0));
  c.push_back(fails("supported_versions length 3", ext_fn, extension(43, {3, 3, 4, 3}),
                    errc::constraint_failed, 4,
                    "ClientHelloExtension.data.SupportedVersionList.length")
                  .with_actual(3));
  c.push_back(fails("supported_versions length 254", ext_fn, extension(43, {254, 3, 4}),
                    errc::bad_length, 5, "ClientHelloExtension.data.SupportedVersionList.versions")
                  .with_actual(3));
  c.push_back(fails("supported_groups length 0", ext_fn, extension(10, {0, 0}),
                    errc::constraint_failed, 4, "ClientHelloExtension.data.NamedGroupList.length")
                  .with_actual(0));
  c.push_back(fails("supported_groups length 0xffff", ext_fn, extension(10, {0xff, 0xff, 0, 0x1d}),
                    errc::constraint_failed, 4, "ClientHelloExtension.data.NamedGroupList.length")
                  .with_actual(0xffff));
  c.push_back(fails("signature_algorithms length 1", ext_fn, extension(13, {0, 1, 4}),
                    errc::constraint_failed, 4,
                    "ClientHelloExtension.data.SignatureSchemeList.length")
                  .with_actual(1));
  c.push_back(fails("key_share key length 0", ext_fn,
                    extension(51, Builder().be16(4).be16(0x1d).be16(0).take()),
                    errc::constraint_failed, 8,
                    "ClientHelloExtension.data.KeyShareClientHello.shares[0].key_exchange_length")
                  .with_actual(0));
  c.push_back(ok("key_share no shares", ext_fn, extension(51, Builder().be16(0).take()), 6));
  c.push_back(fails("key_share shares length 0xffff", ext_fn,
                    extension(51, Builder().be16(0xffff).be16(0x1d).take()), errc::bad_length, 6,
                    "ClientHelloExtension.data.KeyShareClientHello.shares")
                  .with_actual(4));

  // --- PcapRecord.incl_len (<= 256 MiB), data bytes[incl_len] ------------------
  c.push_back(ok("pcap incl_len 0", parse_pcap_record_le, pcap_record(0, 0), 16));
  c.push_back(fails("pcap incl_len one past", parse_pcap_record_le, pcap_record(5, 4),
                    errc::truncated, 16, "PcapRecord.data")
                  .with_needed(1));
  c.push_back(fails("pcap incl_len 256 MiB", parse_pcap_record_le, pcap_record(0x10000000, 4),
                    errc::truncated, 16, "PcapRecord.data")
                  .with_needed(0x10000000 - 4));
  c.push_back(fails("pcap incl_len 256 MiB + 1", parse_pcap_record_le, pcap_record(0x10000001, 4),
                    errc::constraint_failed, 8, "PcapRecord.incl_len")
                  .with_actual(0x10000001));
  c.push_back(fails("pcap incl_len 0xffffffff", parse_pcap_record_le, pcap_record(0xffffffff, 4),
                    errc::constraint_failed, 8, "PcapRecord.incl_len")
                  .with_actual(0xffffffff));

  // --- PcapngSectionHeader: block_total_length - 28, trailer, % 4 ---------------
  c.push_back(fails("shb length 0", shb_fn, section_header(0, 0), errc::overflow, 12,
                    "PcapngSectionHeader.section"));
  c.push_back(fails("shb length 27", shb_fn, section_header(27, 27), errc::constraint_failed, 12,
                    "PcapngSectionHeader.block_total_length"));
  c.push_back(fails("shb length 29", shb_fn, section_header(29, 29), errc::constraint_failed, 12,
                    "PcapngSectionHeader.block_total_length"));
  c.push_back(fails("shb length 32, 4 past", shb_fn, section_header(32, 32), errc::truncated, 28,
                    "PcapngSectionHeader.trailer.PcapngBlockTrailer.block_total_length")
                  .with_needed(4));
  c.push_back(fails("shb length 0xffffffff", shb_fn, section_header(0xffffffff, 0xffffffff),
                    errc::constraint_failed, 12, "PcapngSectionHeader.block_total_length"));
  c.push_back(fails("shb trailer differs", shb_fn, section_header(28, 32), errc::constraint_failed,
                    24, "PcapngSectionHeader.trailer.PcapngBlockTrailer.block_total_length")
                  .with_actual(32));

  // --- PcapngBlock: block_total_length (>= 12, % 4), body, trailing_length -----
  c.push_back(ok("block length 12, empty body", parse_pcapng_block_le, block(0x99, {}), 12));
  c.push_back(fails("block length 0", parse_pcapng_block_le, block(0x99, 0, {}, 0),
                    errc::constraint_failed, 4, "PcapngBlock.block_total_length")
                  .with_actual(0));
  c.push_back(fails("block length 11", parse_pcapng_block_le, block(0x99, 11, {}, 11),
                    errc::constraint_failed, 4, "PcapngBlock.block_total_length")
                  .with_actual(11));
  c.push_back(fails("block length 13", parse_pcapng_block_le, block(0x99, 13, {1}, 13),
                    errc::constraint_failed, 4, "PcapngBlock.block_total_length")
                  .with_actual(13));
  c.push_back(fails("block length 4 past", parse_pcapng_block_le, block(0x99, 20, {1, 2, 3, 4}, 20),
                    errc::truncated, 16, "PcapngBlock.trailing_length")
                  .with_needed(4));
  c.push_back(fails("block length 0xfffffffc", parse_pcapng_block_le,
                    block(0x99, 0xfffffffc, {1, 2, 3, 4}, 0xfffffffc), errc::truncated, 8,
                    "PcapngBlock.body")
                  .with_needed(0xfffffffc - 12 - 8));
  c.push_back(fails("block trailing length differs", parse_pcapng_block_le,
                    block(0x99, 16, {1, 2, 3, 4}, 20), errc::constraint_failed, 12,
                    "PcapngBlock.trailing_length")
                  .with_actual(20));
  c.push_back(fails("epb captured_length one past", parse_pcapng_block_le, block(6, epb_body(5, 4)),
                    errc::bad_length, 28, "PcapngBlock.body.PcapngEnhancedPacket.data"));
  c.push_back(fails("epb captured_length 0xffffffff", parse_pcapng_block_le,
                    block(6, epb_body(0xffffffff, 4)), errc::bad_length, 28,
                    "PcapngBlock.body.PcapngEnhancedPacket.data"));
  c.push_back(ok("epb captured_length 0", parse_pcapng_block_le, block(6, epb_body(0, 0)), 32));
  c.push_back(fails("epb body below its fixed fields", parse_pcapng_block_le,
                    block(6, Bytes(16, 0)), errc::bad_length, 24,
                    "PcapngBlock.body.PcapngEnhancedPacket.original_length"));
  c.push_back(fails("spb empty body", parse_pcapng_block_le, block(3, {}), errc::bad_length, 8,
                    "PcapngBlock.body.PcapngSimplePacket.original_length"));
  c.push_back(ok("spb original_length 0xffffffff", parse_pcapng_block_le,
                 block(3, Builder().le32(0xffffffff).fill(4, 9).take()), 20));
  c.push_back(fails("idb body below its fixed fields", parse_pcapng_block_le, block(1, Bytes(4, 0)),
                    errc::bad_length, 12, "PcapngBlock.body.PcapngInterfaceDescription.snaplen"));

  // --- proto LengthDelimited.length (<= 2^31 - 1), data, varints near 2^64 -----
  c.push_back(ok("length-delimited length 0", message_fn, {0x0a, 0x00}, 2));
  c.push_back(fails("length-delimited length one past", message_fn, {0x0a, 0x02, 'a'},
                    errc::truncated, 2, "Message.fields[0].value.LengthDelimited.data")
                  .with_needed(1));
  c.push_back(fails("length-delimited length 2^31 - 1", message_fn,
                    Builder().u8(0x0a).varint(0x7fffffff).u8('a').take(), errc::truncated, 6,
                    "Message.fields[0].value.LengthDelimited.data")
                  .with_needed(0x7fffffff - 1));
  c.push_back(fails("length-delimited length 2^31", message_fn,
                    Builder().u8(0x0a).varint(0x80000000).u8('a').take(), errc::constraint_failed,
                    1, "Message.fields[0].value.LengthDelimited.length")
                  .with_actual(0x80000000));
  c.push_back(fails("length-delimited length 2^64 - 1", message_fn,
                    Builder().u8(0x0a).varint(max64).u8('a').take(), errc::constraint_failed, 1,
                    "Message.fields[0].value.LengthDelimited.length")
                  .with_actual(max64));
  c.push_back(fails("length-delimited length of 11 bytes", message_fn,
                    Builder().u8(0x0a).fill(10, 0xff).u8(0x01).take(), errc::bad_value, 1,
                    "Message.fields[0].value.LengthDelimited.length"));
  c.push_back(fails("length-delimited length above 2^64", message_fn,
                    Builder().u8(0x0a).fill(9, 0xff).u8(0x02).take(), errc::bad_value, 1,
                    "Message.fields[0].value.LengthDelimited.length"));
  c.push_back(ok("varint 2^64 - 1", message_fn, Builder().u8(0x08).varint(max64).take(), 11));
  c.push_back(fails("key 2^64 - 1", message_fn, Builder().varint(max64).take(),
                    errc::constraint_failed, 0, "Message.fields[0].key")
                  .with_actual(max64));
  c.push_back(fails("packed fixed32 of 5 bytes", parse_as<proto::PackedFixed32>, {1, 2, 3, 4, 5},
                    errc::bad_length, 0, "PackedFixed32.values"));

  // --- CoAP: token_length (<= 8), option values, uint values, option numbers ---
  const ParseFn coap_fn = parse_as<net::CoapMessage>;
  c.push_back(ok("coap token length 0", coap_fn, coap(0, {}), 4));
  c.push_back(ok("coap token length 8", coap_fn, coap(8, Bytes(8, 7)), 12));
  c.push_back(fails("coap token length 9", coap_fn, coap(9, Bytes(9, 7)), errc::constraint_failed,
                    0, "CoapMessage.token_length")
                  .with_actual(9));
  c.push_back(fails("coap token one past", coap_fn, coap(8, Bytes(7, 7)), errc::truncated, 4,
                    "CoapMessage.token")
                  .with_needed(1));
  c.push_back(ok("coap value length 0", coap_fn, coap(0, {0x10}), 5));
  c.push_back(
      ok("coap value length 12", coap_fn, coap(0, Builder().u8(0x1c).fill(12, 0x61).take()), 17));
  c.push_back(ok("coap value length 13 + 0", coap_fn,
                 coap(0, Builder().u8(0x1d).u8(0).fill(13, 0x61).take()), 19));
  c.push_back(fails("coap value length 13 one past", coap_fn,
                    coap(0, Builder().u8(0x1d).u8(0).fill(12, 0x61).take()), errc::truncated, 6,
                    "CoapMessage.options[0].value")
                  .with_needed(1));
  c.push_back(ok("coap value length 269 + 0", coap_fn,
                 coap(0, Builder().u8(0x1e).be16(0).fill(269, 0x61).take()), 276));
  c.push_back(fails("coap value length 269 + 65535", coap_fn,
                    coap(0, Builder().u8(0x1e).be16(0xffff).fill(10, 0x61).take()), errc::truncated,
                    7, "CoapMessage.options[0].value")
                  .with_needed(269 + 0xffff - 10));
  c.push_back(fails("coap extended length cut", coap_fn, coap(0, {0x1e, 0}), errc::truncated, 5,
                    "CoapMessage.options[0].length_ext16")
                  .with_needed(1));
  c.push_back(fails("coap extended delta cut", coap_fn, coap(0, {0xd0}), errc::truncated, 5,
                    "CoapMessage.options[0].delta_ext8")
                  .with_needed(1));
  c.push_back(ok("coap uint of 4 bytes", coap_fn, coap(0, {0xd4, 0x01, 1, 2, 3, 4}), 10));
  c.push_back(fails("coap uint of 5 bytes", coap_fn, coap(0, {0xd5, 0x01, 1, 2, 3, 4, 5}),
                    errc::constraint_failed, 6, "CoapMessage.options[0].value.CoapUint"));
  // Deltas of 269 + 65535: the 65,271st option's number would pass 2^32 - 1.
  Builder wide;
  for (int i = 0; i < 65271; ++i) wide.u8(0xe0).be16(0xffff);
  c.push_back(fails("coap option number above 2^32 - 1", coap_fn, coap(0, wide.take()),
                    errc::overflow, 4 + 3 * 65270, "CoapMessage.options[65270]"));
  return c;
}

namespace {

TEST(Lengths, EveryLengthExpression) {
  const auto cases = length_cases();
  EXPECT_GE(cases.size(), 100u);
  for (const Case& c : cases) expect_case(c);
}

}  // namespace
}  // namespace hardening
