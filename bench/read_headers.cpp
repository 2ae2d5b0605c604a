// parse_headers/<impl>: a reader that needs only the L2-L4 header fields (issue
// 19's second workload): the EtherType; IPv4 addresses, total length, protocol and
// TTL, or IPv6 addresses, payload length, next header and hop limit; TCP ports,
// flags, data offset and payload size, or UDP ports and length. No DNS, and no
// option list is read.
//   generated    the views generated from schemas/net, used the documented way
//                for a reader of headers: Ethernet::parse() with
//                ParseOptions::defer_lists, so the option lists it does not read
//                are not walked (docs/generated-api.md, "Deferred lists")
//   generated_full  the same reader with the default options: parse() validates
//                the whole frame, every option list included
//   handwritten  pointer code that checks only the headers it reads: sizes, IHL
//                and data-offset bounds, the length fields against the bytes there
// Both return the same sum for every frame of the mix (checked before timing).
#include <cstdint>

#include "generated_sums.hpp"
#include "handwritten.hpp"
#include "net/ethernet.lp.hpp"
#include "readers.hpp"

namespace lp_bench {
namespace {

std::uint64_t octet_sum(lp::bytes b) noexcept {
  return byte_sum(reinterpret_cast<const std::uint8_t*>(b.data()), b.size());
}

std::uint64_t transport_sum(lp::optional_ref<net::TcpView> tcp,
                            lp::optional_ref<net::UdpView> udp) noexcept {
  if (tcp) return tcp_header_sum(*tcp);
  if (udp) return std::uint64_t{udp->src_port()} + udp->dst_port() + udp->length();
  return 0;
}

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

// TCP or UDP at `t`, `size` bytes to the end of the IP payload; 0 when invalid.
std::uint64_t handwritten_transport(std::uint8_t protocol, const std::uint8_t* t,
                                    std::size_t size) noexcept {
  using handwritten::load16;
  if (protocol == kTcp) {
    if (size < 20) return 0;
    const std::size_t header = static_cast<std::size_t>(t[12] >> 4) * 4;
    if (header < 20 || header > size) return 0;
    return std::uint64_t{load16(t)} + load16(t + 2) + (load16(t + 12) & 0x1ff) + (t[12] >> 4) +
           (size - header);
  }
  if (protocol == kUdp) {
    if (size < 8) return 0;
    const std::uint16_t length = load16(t + 4);
    if (length < 8 || length > size) return 0;
    return std::uint64_t{load16(t)} + load16(t + 2) + length;
  }
  return 0;
}

// The header fields of an Ethernet frame parsed with `options`.
std::uint64_t generated_headers(Buffer frame, const lp::ParseOptions& options) noexcept {
  const auto ethernet = net::Ethernet::parse(lp::bytes(frame.data(), frame.size()), options);
  if (!ethernet) return 0;
  std::uint64_t sum = static_cast<std::uint16_t>(ethernet->ether_type());
  if (const auto ip = ethernet->payload_ipv4()) {
    sum += octet_sum(ip->src().octets().bytes()) + octet_sum(ip->dst().octets().bytes()) +
           ip->total_length() + static_cast<std::uint8_t>(ip->protocol()) + ip->ttl();
    sum += transport_sum(ip->payload_tcp(), ip->payload_udp());
  } else if (const auto ip6 = ethernet->payload_ipv6()) {
    sum += octet_sum(ip6->src().octets().bytes()) + octet_sum(ip6->dst().octets().bytes()) +
           ip6->payload_length() + static_cast<std::uint8_t>(ip6->next_header()) + ip6->hop_limit();
    sum += transport_sum(ip6->payload_tcp(), ip6->payload_udp());
  }
  return sum;
}

}  // namespace

std::uint64_t read_headers_generated(Buffer frame) noexcept {
  static constexpr lp::ParseOptions deferring = [] {
    lp::ParseOptions options;
    options.defer_lists = true;
    return options;
  }();
  return generated_headers(frame, deferring);
}

std::uint64_t read_headers_generated_full(Buffer frame) noexcept {
  return generated_headers(frame, lp::ParseOptions());
}

std::uint64_t read_headers_handwritten(Buffer frame) noexcept {
  using handwritten::load16;
  const std::uint8_t* const d = frame.data();
  const std::size_t size = frame.size();
  if (size < 14) return 0;
  const std::uint16_t ether_type = load16(d + 12);
  std::uint64_t sum = ether_type;
  const std::uint8_t* ip = d + 14;
  const std::size_t available = size - 14;
  std::uint64_t transport = 0;
  if (ether_type == 0x0800) {
    if (available < 20 || ip[0] >> 4 != 4) return 0;
    const std::size_t header = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
    const std::uint16_t total = load16(ip + 2);
    if (header < 20 || total < header || total > available) return 0;
    sum += byte_sum(ip + 12, 8) + total + ip[9] + ip[8];
    transport = handwritten_transport(ip[9], ip + header, total - header);
    if (transport == 0 && (ip[9] == kTcp || ip[9] == kUdp)) return 0;
  } else if (ether_type == 0x86dd) {
    if (available < 40 || ip[0] >> 4 != 6) return 0;
    const std::uint16_t payload = load16(ip + 4);
    if (payload > available - 40) return 0;
    sum += byte_sum(ip + 8, 32) + payload + ip[6] + ip[7];
    transport = handwritten_transport(ip[6], ip + 40, payload);
    if (transport == 0 && (ip[6] == kTcp || ip[6] == kUdp)) return 0;
  }
  return sum + transport;
}

}  // namespace lp_bench
