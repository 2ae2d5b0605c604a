// The limits of lp::ParseOptions (libparse/options.hpp) and the largest inputs:
// nesting at and one beyond max_depth (IP-in-IP, QinQ, IPv6 extension headers),
// element counts at and one beyond max_elements, DNS pointer chains through
// lp::PointerChain (self, forward, loops, more than max_pointer_hops), and a
// 65535-byte IPv4 datagram, the largest IPv6 payload, a 16 MiB pcap record,
// the largest TLS record; each with its exact outcome.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hardening.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "proto/wire.lp.hpp"
#include "tls/tls.lp.hpp"

namespace hardening {
namespace {

using lp::errc;

// `tunnels` IPv4 headers, each carrying the next (protocol 4); the innermost
// carries `payload` as protocol 59 (no next header: raw bytes).
Bytes ip_in_ip(std::size_t tunnels, std::size_t payload) {
  Bytes inner = Builder().fill(payload, 0x5a).take();
  for (std::size_t i = 0; i < tunnels; ++i) {
    const auto total = static_cast<std::uint16_t>(20 + inner.size());
    inner = Builder()
                .u8(0x45)
                .u8(0)
                .be16(total)
                .be32(0)
                .u8(64)
                .u8(i == 0 ? 59 : 4)
                .be16(0)
                .be32(0x0a000001)
                .be32(0x0a000002)
                .append(inner)
                .take();
  }
  return inner;
}

// An Ethernet frame with `tags` 802.1Q tags, then 4 bytes of EtherType 0x88B5.
Bytes qinq(std::size_t tags) {
  Builder b;
  b.fill(6, 0xff).fill(6, 0x52).be16(tags == 0 ? 0x88B5 : 0x8100);
  for (std::size_t i = 0; i < tags; ++i) b.be16(100 + i).be16(i + 1 == tags ? 0x88B5 : 0x8100);
  return b.fill(4, 0x77).take();
}

// IPv6 with `headers` destination options headers (8 bytes each, PadN), the
// last one with no next header.
Bytes ipv6_chain(std::size_t headers) {
  Builder chain;
  for (std::size_t i = 0; i < headers; ++i)
    chain.u8(i + 1 == headers ? 59 : 60).u8(0).u8(1).u8(4).fill(4);
  const Bytes payload = chain.take();
  return Builder()
      .be32(0x60000000)
      .be16(payload.size())
      .u8(headers == 0 ? 59 : 60)
      .u8(64)
      .fill(32, 0x20)
      .append(payload)
      .take();
}

Bytes tcp_nops(std::size_t nops) {
  const std::size_t words = (nops + 3) / 4;
  return Builder()
      .be16(1)
      .be16(2)
      .be32(0)
      .be32(0)
      .u8((5 + words) << 4)
      .u8(0x02)
      .be16(1024)
      .be32(0)
      .fill(nops, 1)
      .fill(words * 4 - nops, 1)
      .take();
}

// `fields` varint fields (key 0x08, value 0): two bytes each.
Bytes proto_fields(std::size_t fields) {
  Builder b;
  for (std::size_t i = 0; i < fields; ++i) b.u8(0x08).u8(0);
  return b.take();
}

// A DNS message of questions whose names are given whole (`names`), each
// followed by qtype A, qclass IN. The first question starts at offset 12.
Bytes dns_questions(const std::vector<Bytes>& names) {
  Builder b;
  b.be16(7).be16(0x0100).be16(names.size()).be16(0).be16(0).be16(0);
  for (const Bytes& name : names) b.append(name).be16(1).be16(1);
  return b.take();
}

Bytes pointer_to(std::size_t offset) { return Builder().be16(0xc000 | offset).take(); }

// A chain (the error of a hop names the referring DnsPointer, which starts at
// the pointer's second byte): the root name at 12, then `hops` questions whose name is a pointer
// to the previous question's name (6 bytes apart; the second at 17).
Bytes pointer_chain(std::size_t hops) {
  std::vector<Bytes> names = {{0}};
  std::size_t previous = 12;
  for (std::size_t i = 0; i < hops; ++i) {
    names.push_back(pointer_to(previous));
    previous = i == 0 ? 17 : previous + 6;
  }
  return dns_questions(names);
}

// Parses a DNS message and follows the first or the last question's name to
// its end through one lp::PointerChain with `options`: the number of hops, or
// the chain's error.
lp::Result<std::size_t> follow_name(lp::bytes message, const lp::ParseOptions& options, bool last) {
  const auto dns = net::Dns::parse(message, options);
  if (!dns) return dns.error();
  net::DnsNameView name;
  for (const net::DnsQuestionView q : dns->questions()) {
    name = q.name();
    if (!last) break;
  }
  lp::PointerChain chain(message, options);
  for (;;) {
    std::optional<net::DnsPointerView> pointer;
    for (const net::DnsLabelView label : name.labels()) {
      if (const auto p = label.body_pointer()) pointer = *p;
    }
    if (!pointer) return chain.hops();
    const auto next = pointer->target(chain);
    if (!next) return next.error();
    name = *next;
  }
}
lp::Result<std::size_t> follow_first_name(lp::bytes message, const lp::ParseOptions& options) {
  return follow_name(message, options, false);
}
lp::Result<std::size_t> follow_last_name(lp::bytes message, const lp::ParseOptions& options) {
  return follow_name(message, options, true);
}

// The path of an error `levels` levels of `segments` deep: the outermost ones
// dropped (lp::Error::max_path), so it starts with an ellipsis.
std::string deep_path(const std::string& segments, std::size_t repeat) {
  std::string out = "\xE2\x80\xA6";
  for (std::size_t i = 0; i < repeat; ++i) out += "." + segments;
  return out;
}

Bytes without_last_byte(Bytes b) {
  b.pop_back();
  return b;
}

lp::ParseOptions depth(std::size_t max_depth) {
  lp::ParseOptions o;
  o.max_depth = max_depth;
  return o;
}
lp::ParseOptions elements(std::size_t max_elements) {
  lp::ParseOptions o;
  o.max_elements = max_elements;
  return o;
}
lp::ParseOptions hops(std::size_t max_hops) {
  lp::ParseOptions o;
  o.max_pointer_hops = max_hops;
  return o;
}

const ParseFn ipv4_fn = parse_as<net::Ipv4>;
const ParseFn ipv6_fn = parse_as<net::Ipv6>;
const ParseFn eth_fn = parse_as<net::Ethernet>;

}  // namespace

std::vector<Case> limit_cases() {
  std::vector<Case> c;
  // --- max_depth: each tunnel, tag or extension header is one level -------------
  c.push_back(ok("ip-in-ip at max_depth 3", ipv4_fn, ip_in_ip(4, 4), 84).with_options(depth(3)));
  c.push_back(fails("ip-in-ip one beyond max_depth 3", ipv4_fn, ip_in_ip(5, 4), errc::too_deep, 80,
                    "Ipv4.payload.Ipv4.payload.Ipv4.payload.Ipv4.payload")
                  .with_options(depth(3)));
  c.push_back(ok("ip-in-ip at the default max_depth", ipv4_fn, ip_in_ip(65, 4), 65 * 20 + 4));
  c.push_back(fails("ip-in-ip one beyond the default max_depth", ipv4_fn, ip_in_ip(66, 4),
                    errc::too_deep, 65 * 20, deep_path("Ipv4.payload", 8)));
  c.push_back(ok("qinq at max_depth 3", eth_fn, qinq(3), 30).with_options(depth(3)));
  c.push_back(fails("qinq one beyond max_depth 3", eth_fn, qinq(4), errc::too_deep, 26,
                    "Ethernet.payload.Vlan.payload.Vlan.payload.Vlan.payload")
                  .with_options(depth(3)));
  c.push_back(ok("qinq at the default max_depth", eth_fn, qinq(64), 14 + 64 * 4 + 4));
  c.push_back(fails("qinq one beyond the default max_depth", eth_fn, qinq(65), errc::too_deep,
                    14 + 64 * 4, deep_path("Vlan.payload", 8)));
  // An extension header's options are one level below it (there is always one).
  c.push_back(ok("ipv6 extension headers at max_depth 3", ipv6_fn, ipv6_chain(2), 56)
                  .with_options(depth(3)));
  c.push_back(fails("ipv6 extension headers one beyond max_depth 3", ipv6_fn, ipv6_chain(3),
                    errc::too_deep, 58,
                    "Ipv6.payload.Ipv6Options.payload.Ipv6Options.payload.Ipv6Options.options")
                  .with_options(depth(3)));
  c.push_back(
      ok("ipv6 extension headers at the default max_depth", ipv6_fn, ipv6_chain(63), 40 + 63 * 8));
  c.push_back(fails("ipv6 extension headers one beyond the default max_depth", ipv6_fn,
                    ipv6_chain(64), errc::too_deep, 40 + 63 * 8 + 2,
                    deep_path("Ipv6Options.payload", 7) + ".Ipv6Options.options"));
  // An array with no elements nests nothing: an Ipv4 without options is not too
  // deep at the limit (its empty `options` array used to be too_deep there).
  c.push_back(ok("ipv4 without options at max_depth 0", ipv4_fn, ip_in_ip(1, 4), 24)
                  .with_options(depth(0)));
  c.push_back(fails("ipv4 with an option at max_depth 0", ipv4_fn,
                    Builder()
                        .u8(0x46)
                        .u8(0)
                        .be16(24)
                        .be32(0)
                        .u8(64)
                        .u8(59)
                        .be16(0)
                        .be32(1)
                        .be32(2)
                        .u8(0)
                        .fill(3)
                        .take(),
                    errc::too_deep, 20, "Ipv4.options")
                  .with_options(depth(0)));
  c.push_back(fails("max_depth 0", ipv4_fn, ip_in_ip(2, 4), errc::too_deep, 20, "Ipv4.payload")
                  .with_options(depth(0)));

  // --- max_elements: per array ---------------------------------------------------
  c.push_back(ok("tcp options at max_elements 8", parse_as<net::Tcp>, tcp_nops(8), 28)
                  .with_options(elements(8)));
  c.push_back(fails("tcp options one beyond max_elements 8", parse_as<net::Tcp>, tcp_nops(9),
                    errc::limit_exceeded, 28, "Tcp.options")
                  .with_options(elements(8)));
  c.push_back(
      ok("dns qdcount at max_elements 3", parse_as<net::Dns>, dns_questions({{0}, {0}, {0}}), 27)
          .with_options(elements(3)));
  c.push_back(fails("dns qdcount one beyond max_elements 3", parse_as<net::Dns>,
                    dns_questions({{0}, {0}, {0}, {0}}), errc::limit_exceeded, 12, "Dns.questions")
                  .with_options(elements(3))
                  .with_actual(4));
  c.push_back(fails("dns qdcount 0xffff beyond max_elements 3", parse_as<net::Dns>,
                    Builder().be16(7).be16(0).be16(0xffff).fill(6).take(), errc::limit_exceeded, 12,
                    "Dns.questions")
                  .with_options(elements(3))
                  .with_actual(0xffff));
  c.push_back(ok("protobuf fields at the default max_elements", parse_as<proto::Message>,
                 proto_fields(1'000'000), 2'000'000));
  c.push_back(fails("protobuf fields one beyond the default max_elements", parse_as<proto::Message>,
                    proto_fields(1'000'001), errc::limit_exceeded, 2'000'000, "Message.fields"));

  // --- DNS pointers through lp::PointerChain ----------------------------------
  c.push_back(
      ok("dns pointer chain of 3 hops at max_pointer_hops 3", follow_last_name, pointer_chain(3), 3)
          .with_options(hops(3)));
  c.push_back(fails("dns pointer chain of 4 hops beyond max_pointer_hops 3", follow_last_name,
                    pointer_chain(4), errc::limit_exceeded, 18, "DnsPointer.target")
                  .with_options(hops(3))
                  .with_actual(4));
  c.push_back(ok("dns pointer chain at the default max_pointer_hops", follow_last_name,
                 pointer_chain(64), 64));
  c.push_back(fails("dns pointer chain beyond the default max_pointer_hops", follow_last_name,
                    pointer_chain(65), errc::limit_exceeded, 18, "DnsPointer.target")
                  .with_actual(65));
  c.push_back(fails("dns self-pointer", follow_last_name, dns_questions({pointer_to(12)}),
                    errc::bad_pointer, 13, "DnsPointer.target")
                  .with_actual(12));
  c.push_back(fails("dns forward pointer", follow_first_name, dns_questions({pointer_to(18), {0}}),
                    errc::bad_pointer, 13, "DnsPointer.target")
                  .with_actual(18));
  // @12 -> @18, @18 -> @12: the second hop does not go back.
  c.push_back(fails("dns pointer loop", follow_last_name,
                    dns_questions({pointer_to(18), pointer_to(12)}), errc::bad_pointer, 13,
                    "DnsPointer.target")
                  .with_actual(18));
  c.push_back(fails("dns pointer past the message", follow_last_name,
                    dns_questions({{0}, pointer_to(0x3fff)}), errc::bad_pointer, 18,
                    "DnsPointer.target")
                  .with_actual(0x3fff));

  // --- the largest inputs ---------------------------------------------------------
  c.push_back(ok("ipv4 datagram of 65535 bytes", ipv4_fn, ip_in_ip(1, 65535 - 20), 65535));
  c.push_back(fails("ipv4 datagram of 65535 bytes, one byte short", ipv4_fn,
                    without_last_byte(ip_in_ip(1, 65535 - 20)), errc::truncated, 20, "Ipv4.payload")
                  .with_needed(1));
  c.push_back(ok("ipv6 payload of 65535 bytes", ipv6_fn,
                 Builder().be32(0x60000000).be16(0xffff).u8(59).u8(1).fill(32).fill(0xffff).take(),
                 40 + 0xffff));
  // A jumbogram (RFC 2675: payload_length 0, the length in a hop-by-hop
  // option) is not supported: its payload is outside the zero-length region.
  c.push_back(fails("ipv6 jumbogram", ipv6_fn,
                    Builder()
                        .be32(0x60000000)
                        .be16(0)
                        .u8(0)
                        .u8(1)
                        .fill(32)
                        .u8(59)
                        .u8(0)
                        .u8(0xc2)
                        .u8(4)
                        .be32(0x20000)
                        .fill(0x20000 - 8)
                        .take(),
                    errc::bad_length, 40, "Ipv6.payload.Ipv6Options.next_header")
                  .with_actual(0));
  c.push_back(ok("pcap record of 16 MiB", parse_pcap_record_le,
                 Builder().le32(0).le32(0).le32(1 << 24).le32(1 << 24).fill(1 << 24).take(),
                 16 + (1 << 24)));
  c.push_back(ok("tls record of 2^14 + 2048 bytes", parse_as<tls::Record>,
                 Builder().u8(23).be16(0x0303).be16(18432).fill(18432).take(), 5 + 18432));
  c.push_back(ok("dns over tcp of 65535 bytes", parse_as<net::DnsTcp>,
                 Builder()
                     .be16(0xffff)
                     .be16(1)
                     .be16(0)
                     .be16(0)
                     .be16(1)
                     .be16(0)
                     .be16(0)
                     .u8(0)
                     .be16(99)
                     .be16(1)
                     .be32(0)
                     .be16(0xffff - 12 - 11)
                     .fill(0xffff - 12 - 11, 4)
                     .take(),
                 2 + 0xffff)
                  .with_options(elements(1)));
  return c;
}

namespace {

TEST(Limits, DepthElementsPointersAndLargestInputs) {
  const auto cases = limit_cases();
  EXPECT_GE(cases.size(), 30u);
  for (const Case& c : cases) expect_case(c);
}

// The defaults the rows above rely on (libparse/options.hpp).
TEST(Limits, Defaults) {
  const lp::ParseOptions o;
  EXPECT_EQ(o.max_depth, 64u);
  EXPECT_EQ(o.max_elements, 1'000'000u);
  EXPECT_EQ(o.max_pointer_hops, 64u);
}

}  // namespace
}  // namespace hardening
