// Zero-length and over-long TLVs in every TLV list of the shipped schemas:
// IPv4 options, TCP options, EDNS options, TLS extensions, pcapng options,
// ICMPv6 neighbor discovery options (whose length 0 is invalid) and protobuf
// length-delimited values past the end; each with its exact lp::Error.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "hardening.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "proto/wire.lp.hpp"
#include "tls/tls.lp.hpp"

namespace hardening {
namespace {

using lp::errc;

// An IPv4 header whose options are `options` (a multiple of 4 bytes), no payload.
Bytes ipv4_options(const Bytes& options) {
  const auto ihl = static_cast<std::uint8_t>(5 + options.size() / 4);
  return Builder()
      .u8(0x40 | ihl)
      .u8(0)
      .be16(ihl * 4)
      .be32(0)
      .u8(64)
      .u8(59)
      .be16(0)
      .be32(0x0a000001)
      .be32(0x0a000002)
      .append(options)
      .take();
}

// A TCP header whose options are `options` (a multiple of 4 bytes), no data.
Bytes tcp_options(const Bytes& options) {
  return Builder()
      .be16(1)
      .be16(2)
      .be32(0)
      .be32(0)
      .u8((5 + options.size() / 4) << 4)
      .u8(0x02)
      .be16(1024)
      .be16(0)
      .be16(0)
      .append(options)
      .take();
}

// A DNS response with one OPT record in the additional section.
Bytes dns_opt(std::uint16_t rdlength, const Bytes& rdata) {
  return Builder()
      .be16(1)
      .be16(0x8000)
      .be16(0)
      .be16(0)
      .be16(0)
      .be16(1)
      .u8(0)  // root name
      .be16(41)
      .be16(1232)
      .be32(0)
      .be16(rdlength)
      .append(rdata)
      .take();
}

Bytes edns(std::uint16_t code, std::uint16_t length, std::size_t data) {
  return Builder().be16(code).be16(length).fill(data, 0x55).take();
}

// A ClientHelloExtension whose length field reads `length`, then `data`.
Bytes ext(std::uint16_t type, std::uint16_t length, const Bytes& data) {
  return Builder().be16(type).be16(length).append(data).take();
}

// A little-endian IDB block of `options` (link type Ethernet, no snaplen).
Bytes idb(const Bytes& options) {
  const auto total = static_cast<std::uint32_t>(20 + options.size());
  return Builder().le32(1).le32(total).le16(1).le16(0).le32(0).append(options).le32(total).take();
}

// A little-endian EPB of 4 data bytes and `options`.
Bytes epb(const Bytes& options) {
  const auto total = static_cast<std::uint32_t>(36 + options.size());
  return Builder()
      .le32(6)
      .le32(total)
      .le32(0)
      .le32(0)
      .le32(0)
      .le32(4)
      .le32(4)
      .fill(4, 0xee)
      .append(options)
      .le32(total)
      .take();
}

Bytes option(std::uint16_t code, std::uint16_t length, std::size_t value) {
  return Builder().le16(code).le16(length).fill(value, 0x41).take();
}

// A router solicitation with `options`.
Bytes router_solicitation(const Bytes& options) {
  return Builder().u8(133).u8(0).be16(0).be32(0).append(options).take();
}

Bytes nd(std::uint8_t type, std::uint8_t length, std::size_t body) {
  return Builder().u8(type).u8(length).fill(body, 0).take();
}

const ParseFn ipv4_fn = parse_as<net::Ipv4>;
const ParseFn tcp_fn = parse_as<net::Tcp>;
const ParseFn dns_fn = parse_as<net::Dns>;
const ParseFn ext_fn = parse_as<tls::ClientHelloExtension>;
const ParseFn exts_fn = parse_as<tls::ClientHelloExtensions>;
const ParseFn icmpv6_fn = parse_as<net::Icmpv6>;
const ParseFn message_fn = parse_as<proto::Message>;
const ParseFn block_fn = parse_pcapng_block_le;

}  // namespace

std::vector<Case> tlv_cases() {
  std::vector<Case> c;
  // --- IPv4 options: length counts type and length bytes, at least 2 ----------
  c.push_back(fails("ipv4 option length 0", ipv4_fn, ipv4_options({0x99, 0, 0, 0}),
                    errc::constraint_failed, 21, "Ipv4.options[0].length")
                  .with_actual(0));
  c.push_back(fails("ipv4 option length 1", ipv4_fn, ipv4_options({0x99, 1, 0, 0}),
                    errc::constraint_failed, 21, "Ipv4.options[0].length")
                  .with_actual(1));
  c.push_back(ok("ipv4 option length 2, then EOL", ipv4_fn, ipv4_options({0x99, 2, 0, 0}), 24));
  c.push_back(fails("ipv4 option length past the options", ipv4_fn, ipv4_options({0x99, 5, 0, 0}),
                    errc::bad_length, 22, "Ipv4.options[0].body")
                  .with_actual(4));
  c.push_back(fails("ipv4 option length 255", ipv4_fn, ipv4_options({0x99, 255, 0, 0}),
                    errc::bad_length, 22, "Ipv4.options[0].body")
                  .with_actual(4));
  c.push_back(fails("ipv4 option at the last byte", ipv4_fn, ipv4_options({1, 1, 1, 0x99}),
                    errc::bad_length, 24, "Ipv4.options[3].length")
                  .with_actual(4));
  c.push_back(ok("ipv4 options all NOP, no EOL", ipv4_fn, ipv4_options({1, 1, 1, 1}), 24));
  c.push_back(ok("ipv4 record route, pointer only", ipv4_fn, ipv4_options({7, 3, 4, 0}), 24));
  c.push_back(fails("ipv4 record route, a partial address", ipv4_fn, ipv4_options({7, 4, 4, 1}),
                    errc::bad_length, 23, "Ipv4.options[0].body.Ipv4Route.addresses")
                  .with_actual(1));
  c.push_back(fails("ipv4 timestamp of length 2", ipv4_fn, ipv4_options({68, 2, 0, 0}),
                    errc::bad_length, 22, "Ipv4.options[0].body.Ipv4Timestamp.pointer"));

  // --- TCP options ---------------------------------------------------------------
  c.push_back(fails("tcp option length 0", tcp_fn, tcp_options({2, 0, 0, 0}),
                    errc::constraint_failed, 21, "Tcp.options[0].length")
                  .with_actual(0));
  c.push_back(fails("tcp option length 1", tcp_fn, tcp_options({2, 1, 0, 0}),
                    errc::constraint_failed, 21, "Tcp.options[0].length")
                  .with_actual(1));
  c.push_back(fails("tcp mss of length 3", tcp_fn, tcp_options({2, 3, 5, 0}), errc::bad_length, 22,
                    "Tcp.options[0].body"));
  c.push_back(fails("tcp mss of length 5", tcp_fn, tcp_options({2, 5, 5, 0xb4}), errc::bad_length,
                    22, "Tcp.options[0].body")
                  .with_actual(4));
  c.push_back(fails("tcp option length 255", tcp_fn, tcp_options({0x99, 255, 0, 0}),
                    errc::bad_length, 22, "Tcp.options[0].body")
                  .with_actual(4));
  c.push_back(ok("tcp unknown option of length 2", tcp_fn, tcp_options({0x99, 2, 1, 0}), 24));
  c.push_back(fails("tcp sack of length 7", tcp_fn,
                    tcp_options({1, 5, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0}), errc::bad_length, 23,
                    "Tcp.options[1].body"));
  c.push_back(
      ok("tcp sack of one block", tcp_fn, tcp_options({1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2}), 32));

  // --- EDNS options: code, length, data inside OPT's rdata -------------------
  c.push_back(ok("edns option length 0", dns_fn, dns_opt(4, edns(10, 0, 0)), 27));
  c.push_back(fails("edns option length one past rdata", dns_fn, dns_opt(6, edns(10, 3, 2)),
                    errc::bad_length, 27, "Dns.additional[0].rdata.DnsOpt.options[0].data")
                  .with_actual(6));
  c.push_back(fails("edns option length 0xffff", dns_fn, dns_opt(6, edns(10, 0xffff, 2)),
                    errc::bad_length, 27, "Dns.additional[0].rdata.DnsOpt.options[0].data")
                  .with_actual(6));
  c.push_back(fails("edns option header cut by rdata", dns_fn, dns_opt(3, {0, 10, 0}),
                    errc::bad_length, 25, "Dns.additional[0].rdata.DnsOpt.options[0].length")
                  .with_actual(3));

  // --- TLS extensions: type, length, data of exactly that length --------------
  c.push_back(ok("extension length 0, unknown type", ext_fn, ext(0x7777, 0, {}), 4));
  c.push_back(ok("extension length 0, extended_master_secret", ext_fn, ext(23, 0, {}), 4));
  c.push_back(fails("server_name extension of length 0", ext_fn, ext(0, 0, {}), errc::bad_length, 4,
                    "ClientHelloExtension.data.ServerNameList.length")
                  .with_actual(0));
  c.push_back(fails("supported_versions extension of length 1", ext_fn, ext(43, 1, {2}),
                    errc::bad_length, 5, "ClientHelloExtension.data.SupportedVersionList.versions")
                  .with_actual(1));
  c.push_back(fails("extension length one past", ext_fn, ext(0x7777, 3, {1, 2}), errc::truncated, 4,
                    "ClientHelloExtension.data")
                  .with_needed(1));
  c.push_back(fails("extension length 0xffff", ext_fn, ext(0x7777, 0xffff, {1, 2}), errc::truncated,
                    4, "ClientHelloExtension.data")
                  .with_needed(0xffff - 2));
  c.push_back(fails("extension data shorter than its length", ext_fn,
                    ext(16, 6, Builder().be16(3).u8(2).append({'h', '2', 0}).take()),
                    errc::bad_length, 4, "ClientHelloExtension.data")
                  .with_actual(6));
  c.push_back(fails("extension past the extensions block", exts_fn,
                    Builder().be16(6).append(ext(0x7777, 4, {1, 2, 3, 4})).take(), errc::bad_length,
                    6, "ClientHelloExtensions.list[0].data")
                  .with_actual(6));

  // --- pcapng options: code, length, value padded to 4 -------------------------
  c.push_back(ok("idb comment of length 0", block_fn, idb(option(1, 0, 0)), 24));
  c.push_back(fails("idb tsresol of length 0", block_fn, idb(option(9, 0, 0)), errc::bad_length, 20,
                    "PcapngBlock.body.PcapngInterfaceDescription.options[0].value"));
  c.push_back(fails("idb tsresol of length 2", block_fn, idb(option(9, 2, 4)), errc::bad_length, 20,
                    "PcapngBlock.body.PcapngInterfaceDescription.options[0].value")
                  .with_actual(2));
  c.push_back(fails("idb tsoffset of length 4", block_fn, idb(option(14, 4, 4)), errc::bad_length,
                    20,
                    "PcapngBlock.body.PcapngInterfaceDescription.options[0].value.PcapngI64.value")
                  .with_actual(4));
  c.push_back(fails("idb option length past the block", block_fn, idb(option(2, 5, 4)),
                    errc::bad_length, 20,
                    "PcapngBlock.body.PcapngInterfaceDescription.options[0].value")
                  .with_actual(8));
  c.push_back(fails("idb option length 0xffff", block_fn, idb(option(2, 0xffff, 4)),
                    errc::bad_length, 20,
                    "PcapngBlock.body.PcapngInterfaceDescription.options[0].value")
                  .with_actual(8));
  c.push_back(ok("epb comment of length 0, then end of options", block_fn,
                 epb(Builder().append(option(1, 0, 0)).append(option(0, 0, 0)).take()), 44));
  c.push_back(fails("epb flags of length 8", block_fn, epb(option(2, 8, 8)), errc::bad_length, 36,
                    "PcapngBlock.body.PcapngEnhancedPacket.options[0].value")
                  .with_actual(8));
  c.push_back(fails("epb option length past the block", block_fn, epb(option(1, 9, 8)),
                    errc::bad_length, 36,
                    "PcapngBlock.body.PcapngEnhancedPacket.options[0].value"));

  // --- ICMPv6 ND options: length in 8-byte units, 0 invalid --------------------
  c.push_back(fails("nd option length 0", icmpv6_fn, router_solicitation(nd(1, 0, 6)),
                    errc::constraint_failed, 9,
                    "Icmpv6.body.Icmpv6RouterSolicitation.options[0].length")
                  .with_actual(0));
  c.push_back(fails("nd option length 0 after a good one", icmpv6_fn,
                    router_solicitation(Builder().append(nd(1, 1, 6)).append(nd(2, 0, 6)).take()),
                    errc::constraint_failed, 17,
                    "Icmpv6.body.Icmpv6RouterSolicitation.options[1].length")
                  .with_actual(0));
  c.push_back(fails("nd option length one unit past", icmpv6_fn, router_solicitation(nd(1, 2, 6)),
                    errc::truncated, 10, "Icmpv6.body.Icmpv6RouterSolicitation.options[0].body")
                  .with_needed(8));
  c.push_back(fails("nd option length 255", icmpv6_fn, router_solicitation(nd(1, 255, 6)),
                    errc::truncated, 10, "Icmpv6.body.Icmpv6RouterSolicitation.options[0].body")
                  .with_needed(255 * 8 - 8));
  c.push_back(fails("nd option header cut", icmpv6_fn, router_solicitation({1}), errc::truncated, 9,
                    "Icmpv6.body.Icmpv6RouterSolicitation.options[0].length"));
  c.push_back(fails("nd mtu of 2 units", icmpv6_fn, router_solicitation(nd(5, 2, 14)),
                    errc::bad_length, 10, "Icmpv6.body.Icmpv6RouterSolicitation.options[0].body")
                  .with_actual(14));
  c.push_back(fails("nd prefix information of 1 unit", icmpv6_fn, router_solicitation(nd(3, 1, 6)),
                    errc::bad_length, 16,
                    "Icmpv6.body.Icmpv6RouterSolicitation.options[0].body.NdPrefixInformation."
                    "preferred_lifetime"));
  c.push_back(ok("nd mtu of 1 unit", icmpv6_fn, router_solicitation(nd(5, 1, 6)), 16));

  // --- protobuf length-delimited values past the end ---------------------------
  c.push_back(fails("length-delimited past the end, second field", message_fn,
                    Builder().u8(0x08).u8(1).u8(0x12).u8(5).append({'a', 'b', 'c'}).take(),
                    errc::truncated, 4, "Message.fields[1].value.LengthDelimited.data")
                  .with_needed(2));
  // A varint cut off is truncated at the byte that is missing.
  c.push_back(fails("length-delimited, length cut off", message_fn, {0x12, 0x80}, errc::truncated,
                    2, "Message.fields[0].value.LengthDelimited.length"));
  c.push_back(fails("packed varints, last one cut off", parse_as<proto::PackedVarints>,
                    {0x01, 0x96}, errc::truncated, 2, "PackedVarints.values[1].value")
                  .with_needed(1));
  return c;
}

namespace {

TEST(Tlv, ZeroLengthAndOverlong) {
  const auto cases = tlv_cases();
  EXPECT_GE(cases.size(), 50u);
  for (const Case& c : cases) expect_case(c);
}

}  // namespace
}  // namespace hardening
