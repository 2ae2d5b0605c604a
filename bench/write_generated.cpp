// serialize_mix/generated: the mix's packets written back by the serializers lpc
// generates from schemas/net (writers.hpp).
#include <cstdint>
#include <optional>
#include <utility>

#include "net/ethernet.lp.hpp"
#include "writers.hpp"

namespace lp_bench {
namespace {

// What a program building packets leaves to serialize(): the transport's length
// and data offset, the IP lengths and header checksum. The TCP and UDP checksums
// stay given: a nested transport has no pseudo header to sum over.
void clear_computed(std::optional<net::UdpValue>& udp, std::optional<net::TcpValue>& tcp) {
  if (udp) udp->length.reset();
  if (tcp) tcp->data_offset.reset();
}

}  // namespace

std::vector<net::EthernetValue> values_of(const PacketStore& wire) {
  std::vector<net::EthernetValue> values;
  values.reserve(wire.size());
  for (std::size_t i = 0; i < wire.size(); ++i) {
    const Buffer frame = wire[i];
    const auto view = net::Ethernet::parse(lp::bytes(frame.data(), frame.size()));
    if (!view) {
      values.clear();
      return values;
    }
    net::EthernetValue value = net::Ethernet::to_value(*view);
    if (auto& ip = value.payload_ipv4) {
      ip->ihl.reset();
      ip->total_length.reset();
      ip->checksum.reset();
      clear_computed(ip->payload_udp, ip->payload_tcp);
    }
    if (auto& ip6 = value.payload_ipv6) {
      ip6->payload_length.reset();
      clear_computed(ip6->payload_udp, ip6->payload_tcp);
    }
    values.push_back(std::move(value));
  }
  return values;
}

std::size_t write_generated(const net::EthernetValue& value, std::span<std::byte> out) noexcept {
  lp::Writer writer(lp::mut_bytes(out.data(), out.size()));
  if (!net::Ethernet::serialize_to(writer, value, nullptr)) return 0;
  return writer.size();
}

}  // namespace lp_bench
