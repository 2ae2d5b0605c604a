// One valid sample of every shipped top-level type, written out field by field:
// the inputs of edges_test.cpp (empty, 1-byte, every prefix, every misalignment)
// and of allocation_test.cpp.
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"
#include "hardening.hpp"
#include "libparse/format.hpp"
#include "net/coap.lp.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "net/loopback.lp.hpp"
#include "net/sll.lp.hpp"
#include "packets.hpp"
#include "proto/wire.lp.hpp"
#include "tls/tls.lp.hpp"

namespace hardening {
namespace {

// Every field with its offset from the start of the buffer (not its address),
// nested structs and arrays included.
class Signature final : public lp::FieldVisitor {
 public:
  explicit Signature(lp::bytes buffer) : base_(buffer.data()) {}
  std::string text;

  void on_unsigned(std::string_view name, std::uint64_t v, lp::bytes where) override {
    text += fmt::format("{}={}@{} ", name, v, at(where));
  }
  void on_signed(std::string_view name, std::int64_t v, lp::bytes where) override {
    text += fmt::format("{}={}@{} ", name, v, at(where));
  }
  void on_float(std::string_view name, double v, lp::bytes where) override {
    text += fmt::format("{}={}@{} ", name, v, at(where));
  }
  void on_enum(std::string_view name, std::uint64_t raw, std::string_view member,
               lp::bytes where) override {
    text += fmt::format("{}={}({})@{} ", name, raw, member, at(where));
  }
  void on_bytes(std::string_view name, lp::bytes v) override {
    text += fmt::format("{}=[{}]@{} ", name, v.size(), at(v));
    for (const std::byte b : v) text += fmt::format("{:02x}", static_cast<unsigned>(b));
    text += ' ';
  }
  void on_string(std::string_view name, std::string_view v) override {
    text += fmt::format("{}=\"{}\"@{} ", name, v, at(lp::bytes(v)));
  }
  void begin_struct(std::string_view name, std::string_view type_name, lp::bytes where) override {
    text += fmt::format("{}:{}@{}+{} {{ ", name, type_name, at(where), where.size());
  }
  void end_struct() override { text += "} "; }
  void begin_array(std::string_view name, std::size_t count, lp::bytes where) override {
    text += fmt::format("{}[{}]@{}+{} [ ", name, count, at(where), where.size());
  }
  void end_array() override { text += "] "; }

 private:
  std::ptrdiff_t at(lp::bytes where) const {
    return where.empty() && where.data() == nullptr ? -1 : where.data() - base_;
  }
  const std::byte* base_;
};

template <class View>
std::string describe_view(lp::bytes buffer, const lp::Result<View>& parsed) {
  if (!parsed) return "error: " + parsed.error().message();
  Signature s(buffer);
  s.text = fmt::format("{} size {}: ", View::type_name, parsed->size());
  parsed->visit(s);
  return s.text;
}

template <class Type>
std::string describe_as(lp::bytes b) {
  return describe_view(b, Type::parse(b));
}

constexpr lp::byte_order little = lp::byte_order::little;

std::string describe_pcap_record(lp::bytes b) {
  return describe_view(b, capture::PcapRecord::parse(b, little, 0));
}
std::string describe_pcapng_block(lp::bytes b) {
  return describe_view(b, capture::PcapngBlock::parse(b, little));
}

// A query for example.com and its A record, the answer's name a compression
// pointer to the question's (offset 12).
Bytes dns_response() {
  return Builder()
      .be16(0xbeef)  // id
      .be16(0x8180)  // qr, rd, ra
      .be16(1)       // qdcount
      .be16(1)       // ancount
      .be16(0)       // nscount
      .be16(0)       // arcount
      .u8(7)
      .append({'e', 'x', 'a', 'm', 'p', 'l', 'e'})
      .u8(3)
      .append({'c', 'o', 'm'})
      .u8(0)         // @12 example.com
      .be16(1)       // qtype A
      .be16(1)       // qclass IN
      .be16(0xc00c)  // @29 answer name: pointer to 12
      .be16(1)       // type A
      .be16(1)       // class IN
      .be32(300)     // ttl
      .be16(4)       // rdlength
      .be32(0x5db8d822)
      .take();
}

// A ClientHello for a.io: TLS 1.3's first suite, no compression, server_name.
Bytes client_hello_body() {
  return Builder()
      .be16(0x0303)    // legacy_version
      .fill(32, 0x11)  // random
      .u8(0)           // session_id_length
      .be16(2)         // cipher_suites_length
      .be16(0x1301)    // TLS_AES_128_GCM_SHA256
      .u8(1)           // compression_methods_length
      .u8(0)           // null
      .be16(13)        // extensions length
      .be16(0)         // server_name
      .be16(9)         // extension length
      .be16(7)         // ServerNameList length
      .u8(0)           // host_name
      .be16(4)         // name length
      .append({'a', '.', 'i', 'o'})
      .take();
}

Bytes handshake() {
  const Bytes body = client_hello_body();
  return Builder().u8(1).be24(body.size()).append(body).take();
}

Bytes tls_record() {
  const Bytes message = handshake();
  return Builder().u8(22).be16(0x0301).be16(message.size()).append(message).take();
}

// pcap, little-endian microseconds: the header and one 4-byte record.
Bytes pcap_header() {
  return Builder()
      .be32(0xd4c3b2a1)  // magic as written little-endian
      .le16(2)
      .le16(4)      // version
      .le32(0)      // thiszone
      .le32(0)      // sigfigs
      .le32(65535)  // snaplen
      .le32(1)      // Ethernet
      .take();
}
Bytes pcap_record() {
  return Builder().le32(1700000000).le32(123456).le32(4).le32(60).append({1, 2, 3, 4}).take();
}

// pcapng, little-endian: an SHB without options, an IDB, an EPB of 4 bytes.
Bytes pcapng_section_header() {
  return Builder()
      .le32(0x0A0D0D0A)
      .le32(28)
      .le32(0x1A2B3C4D)
      .le16(1)
      .le16(0)
      .le64(~std::uint64_t{0})
      .le32(28)
      .take();
}
Bytes pcapng_interface() {
  return Builder().le32(1).le32(20).le16(1).le16(0).le32(0).le32(20).take();
}
Bytes pcapng_packet() {
  return Builder()
      .le32(6)
      .le32(36)
      .le32(0)  // interface_id
      .le32(1)
      .le32(2)  // timestamp
      .le32(4)
      .le32(4)  // captured, original
      .append({0xde, 0xad, 0xbe, 0xef})
      .le32(36)
      .take();
}

}  // namespace

std::vector<Sample> samples() {
  using lp_test::udp_datagram;
  std::vector<Sample> out;
  out.push_back({"Ethernet", parse_as<net::Ethernet>, describe_as<net::Ethernet>,
                 lp_test::ethernet_ipv4_udp(), 54});
  out.push_back({"Ipv4", parse_as<net::Ipv4>, describe_as<net::Ipv4>, lp_test::ipv4_udp(), 40});
  out.push_back({"Ipv6", parse_as<net::Ipv6>, describe_as<net::Ipv6>,
                 lp_test::ipv6_with(17, udp_datagram()), 60});
  out.push_back({"Tcp", parse_as<net::Tcp>, describe_as<net::Tcp>, lp_test::tcp_segment(), 24});
  out.push_back({"Udp", parse_as<net::Udp>, describe_as<net::Udp>, udp_datagram(), 20});
  out.push_back({"Icmp", parse_as<net::Icmp>, describe_as<net::Icmp>, lp_test::icmp_echo(), 8});
  // Router solicitation with a source link-layer address option.
  out.push_back({"Icmpv6",
                 parse_as<net::Icmpv6>,
                 describe_as<net::Icmpv6>,
                 Builder()
                     .u8(133)
                     .u8(0)
                     .be16(0x1234)
                     .be32(0)
                     .u8(1)
                     .u8(1)
                     .append({0x52, 0x54, 0x00, 0x12, 0x34, 0x56})
                     .take(),
                 16,
                 {8}});
  out.push_back({"Arp", parse_as<net::Arp>, describe_as<net::Arp>, lp_test::arp_request(), 28});
  out.push_back({"Dns", parse_as<net::Dns>, describe_as<net::Dns>, dns_response(), 45});
  // CON GET, token aa bb, Uri-Host "example.org" (3), Uri-Path "sensors" (11),
  // Size1 (60: extended delta 13 + 36) 5; no payload: every option's end is a
  // valid end of the message.
  out.push_back({"CoapMessage",
                 parse_as<net::CoapMessage>,
                 describe_as<net::CoapMessage>,
                 Builder()
                     .append({0x42, 0x01, 0x00, 0x09, 0xaa, 0xbb})
                     .append({0x3b, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'o', 'r', 'g'})
                     .append({0x87, 's', 'e', 'n', 's', 'o', 'r', 's'})
                     .append({0xd1, 0x24, 0x05})
                     .take(),
                 29,
                 {6, 18, 26}});
  out.push_back({"DnsTcp", parse_as<net::DnsTcp>, describe_as<net::DnsTcp>,
                 Builder().be16(45).append(dns_response()).take(), 47});
  out.push_back({"BsdLoopback", parse_as<net::BsdLoopback>, describe_as<net::BsdLoopback>,
                 Builder().be32(2).append(lp_test::ipv4_udp()).take(), 4});
  out.push_back({"LinuxSll", parse_as<net::LinuxSll>, describe_as<net::LinuxSll>,
                 Builder()
                     .be16(4)
                     .be16(1)
                     .be16(6)
                     .append({0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0, 0})
                     .be16(0x0800)
                     .append(lp_test::ipv4_udp())
                     .take(),
                 16});
  out.push_back({"LinuxSll2", parse_as<net::LinuxSll2>, describe_as<net::LinuxSll2>,
                 Builder()
                     .be16(0x0800)
                     .be16(0)
                     .be32(3)
                     .be16(1)
                     .u8(4)
                     .u8(6)
                     .append({0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0, 0})
                     .append(lp_test::ipv4_udp())
                     .take(),
                 20});
  out.push_back({"Record", parse_as<tls::Record>, describe_as<tls::Record>, tls_record(), 65});
  out.push_back({"OpaqueRecord", parse_as<tls::OpaqueRecord>, describe_as<tls::OpaqueRecord>,
                 Builder().u8(23).be16(0x0303).be16(3).append({7, 8, 9}).take(), 8});
  out.push_back(
      {"Handshake", parse_as<tls::Handshake>, describe_as<tls::Handshake>, handshake(), 60});
  out.push_back({"PcapFile",
                 parse_as<capture::PcapFile>,
                 describe_as<capture::PcapFile>,
                 Builder().append(pcap_header()).append(pcap_record()).take(),
                 44,
                 {24}});
  out.push_back({"PcapHeader", parse_as<capture::PcapHeader>, describe_as<capture::PcapHeader>,
                 pcap_header(), 24});
  out.push_back({"PcapRecord", parse_pcap_record_le, describe_pcap_record, pcap_record(), 20});
  out.push_back({"PcapngFile",
                 parse_as<capture::PcapngFile>,
                 describe_as<capture::PcapngFile>,
                 Builder()
                     .append(pcapng_section_header())
                     .append(pcapng_interface())
                     .append(pcapng_packet())
                     .take(),
                 84,
                 {28, 48}});
  out.push_back({"PcapngSectionHeader", parse_as<capture::PcapngSectionHeader>,
                 describe_as<capture::PcapngSectionHeader>, pcapng_section_header(), 28});
  out.push_back({"PcapngBlock", parse_pcapng_block_le, describe_pcapng_block, pcapng_packet(), 36});
  // Field 1 "abc" (length-delimited), field 2 = 150 (varint).
  out.push_back({"Message",
                 parse_as<proto::Message>,
                 describe_as<proto::Message>,
                 Builder().u8(0x0a).u8(3).append({'a', 'b', 'c'}).u8(0x10).varint(150).take(),
                 8,
                 {0, 5}});
  return out;
}

}  // namespace hardening
