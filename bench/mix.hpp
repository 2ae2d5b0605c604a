// The benchmark workload: a deterministic mix of Ethernet frames described field
// by field (PacketSpec), and the encodings every implementation reads: the wire
// bytes (generated views, hand-written code), a protobuf message and a
// FlatBuffers buffer per packet, each holding the same content.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace lp_bench {

struct DnsQuestionSpec {
  std::string name;  // dotted, no trailing dot ("www.example.com")
  std::uint16_t type = 0;
  std::uint16_t qclass = 1;
};

// One resource record; exactly one of address (A, AAAA), target (CNAME) and
// raw (OPT: the EDNS options) is used, chosen by type.
struct DnsRecordSpec {
  std::string name;  // "" is the root
  std::uint16_t type = 0;
  std::uint16_t rclass = 1;
  std::uint32_t ttl = 0;
  std::vector<std::uint8_t> address;
  std::string target;
  std::vector<std::uint8_t> raw;
};

struct DnsSpec {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::vector<DnsQuestionSpec> questions;
  std::vector<DnsRecordSpec> answers;
  std::vector<DnsRecordSpec> additional;
};

// The TCP options of a segment; the wire encoding lays them out as Linux does
// (a SYN: MSS, SACK-permitted, timestamps, NOP, window scale; later segments:
// NOP NOP timestamps, then NOP NOP SACK when there are SACK blocks).
struct TcpOptionsSpec {
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> window_scale;
  bool sack_permitted = false;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> timestamps;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sack;
};

struct PacketSpec {
  std::array<std::uint8_t, 6> dst_mac{};
  std::array<std::uint8_t, 6> src_mac{};
  bool ipv6 = false;
  // IPv4 only.
  std::uint8_t dscp_ecn = 0;
  std::uint16_t identification = 0;
  bool dont_fragment = true;
  std::vector<std::uint8_t> ipv4_options;  // encoded, a multiple of 4 bytes
  // IPv6 only.
  std::uint8_t traffic_class = 0;
  std::uint32_t flow_label = 0;
  // Both; IPv4 addresses use the first 4 bytes.
  std::uint8_t ttl = 64;
  std::array<std::uint8_t, 16> src{};
  std::array<std::uint8_t, 16> dst{};
  std::uint8_t protocol = 0;  // 6 TCP or 17 UDP
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  // TCP only.
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint16_t tcp_flags = 0;  // the nine control bits, FIN = bit 0
  std::uint16_t window = 0;
  TcpOptionsSpec tcp_options;
  // UDP to or from port 53 carries `dns`; every other packet carries `payload`.
  std::optional<DnsSpec> dns;
  std::vector<std::uint8_t> payload;
};

// The mix: `count` packets from std::mt19937(seed), using its raw outputs only
// so that every standard library gives the same packets.
std::vector<PacketSpec> make_mix(std::size_t count, std::uint32_t seed);

// One IPv4/UDP frame of exactly `frame_size` bytes (>= 64), for the O(1) checks.
PacketSpec make_udp_of_size(std::size_t frame_size);

// Encodings. The wire frame has valid IPv4 header checksums and DNS names
// compressed as a DNS server would (a suffix already written becomes a pointer).
std::vector<std::uint8_t> to_wire(const PacketSpec& packet);
std::string to_protobuf(const PacketSpec& packet);
// Pieces of the wire encoding the other encodings take their lengths from.
std::vector<std::uint8_t> encode_tcp_options(const TcpOptionsSpec& options);
std::vector<std::uint8_t> encode_dns(const DnsSpec& dns);
// The UDP or TCP header and what follows it, in bytes (IPv4 total_length minus
// the IPv4 header; IPv6 payload_length).
std::size_t transport_size(const PacketSpec& packet);
std::vector<std::uint8_t> to_flatbuffers(const PacketSpec& packet);

// Many variable-size buffers in one allocation, each starting 8-byte aligned
// (FlatBuffers' verifier checks the alignment of scalars; operator new gives
// the block at least that). Spans from operator[] are valid until the next add().
class PacketStore {
 public:
  void add(std::span<const std::uint8_t> packet);
  std::size_t size() const { return offsets_.size(); }
  std::span<const std::uint8_t> operator[](std::size_t i) const {
    return {data_.data() + offsets_[i].first, offsets_[i].second};
  }
  std::size_t total_bytes() const { return payload_bytes_; }

 private:
  std::vector<std::uint8_t> data_;
  std::vector<std::pair<std::size_t, std::size_t>> offsets_;
  std::size_t payload_bytes_ = 0;
};

}  // namespace lp_bench
