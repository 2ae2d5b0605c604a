// parse_mix/generated: the views lpc generates from schemas/net.
#include <cstdint>
#include <optional>

#include "generated_sums.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "readers.hpp"

namespace lp_bench {
namespace {

std::uint64_t bytes_sum(lp::bytes b) noexcept {
  return byte_sum(reinterpret_cast<const std::uint8_t*>(b.data()), b.size());
}

std::uint64_t read_dns(lp::bytes message) noexcept {
  const auto dns = net::Dns::parse(message);
  if (!dns) return 0;
  std::uint64_t sum = std::uint64_t{dns->id()} + dns->qdcount() + dns->ancount();
  const auto questions = dns->questions();
  if (!questions.empty()) {
    const net::DnsQuestionView question = questions.front();
    sum += static_cast<std::uint16_t>(question.qtype());
    DottedNameSum name;
    for (const net::DnsLabelView label : question.name().labels()) {
      if (const auto text = label.body_text(); text && !text->empty()) {
        name.label(reinterpret_cast<const std::uint8_t*>(text->data()), text->size());
      }
    }
    sum += name.sum();
  }
  return sum;
}

// The transport of an IPv4 or IPv6 payload; empty when the DNS inside fails.
std::optional<std::uint64_t> read_transport(lp::optional_ref<net::TcpView> tcp,
                                            lp::optional_ref<net::UdpView> udp) noexcept {
  if (tcp) return tcp_header_sum(*tcp);
  if (udp) {
    std::uint64_t sum = std::uint64_t{udp->src_port()} + udp->dst_port() + udp->length();
    if (udp->src_port() == 53 || udp->dst_port() == 53) {
      const std::uint64_t dns = read_dns(udp->payload());
      if (dns == 0) return std::nullopt;
      sum += dns;
    }
    return sum;
  }
  return 0;  // another protocol: nothing more to read
}

}  // namespace

std::uint64_t read_generated(Buffer frame) noexcept {
  const auto ethernet = net::Ethernet::parse(lp::bytes(frame.data(), frame.size()));
  if (!ethernet) return 0;
  std::uint64_t sum = static_cast<std::uint16_t>(ethernet->ether_type());
  std::optional<std::uint64_t> transport = 0;
  if (const auto ip = ethernet->payload_ipv4()) {
    sum += bytes_sum(ip->src().octets().bytes()) + bytes_sum(ip->dst().octets().bytes()) +
           ip->total_length() + static_cast<std::uint8_t>(ip->protocol()) + ip->ttl();
    transport = read_transport(ip->payload_tcp(), ip->payload_udp());
  } else if (const auto ip6 = ethernet->payload_ipv6()) {
    sum += bytes_sum(ip6->src().octets().bytes()) + bytes_sum(ip6->dst().octets().bytes()) +
           ip6->payload_length() + static_cast<std::uint8_t>(ip6->next_header()) + ip6->hop_limit();
    transport = read_transport(ip6->payload_tcp(), ip6->payload_udp());
  }
  return transport ? sum + *transport : 0;
}

}  // namespace lp_bench
