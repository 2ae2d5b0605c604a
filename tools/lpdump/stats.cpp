#include "stats.hpp"

namespace lpdump {

std::optional<std::size_t> protocol_index(std::string_view name) noexcept {
  for (std::size_t i = 0; i < protocol_names.size(); ++i) {
    if (protocol_names[i] == name) return i;
  }
  return std::nullopt;
}

void Stats::add(const LayerChain& chain, bool malformed_frame, std::uint64_t captured) noexcept {
  ++packets;
  bytes += captured;
  malformed += malformed_frame ? 1 : 0;
  // A bit per protocol, so that QinQ's two vlan layers count the frame once.
  unsigned seen = 0;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (const auto index = protocol_index(chain[i])) seen |= 1u << *index;
  }
  for (std::size_t i = 0; i < per_protocol.size(); ++i) per_protocol[i] += (seen >> i) & 1u;
}

void Stats::merge(const Stats& other) noexcept {
  packets += other.packets;
  bytes += other.bytes;
  malformed += other.malformed;
  unsupported += other.unsupported;
  for (std::size_t i = 0; i < per_protocol.size(); ++i) per_protocol[i] += other.per_protocol[i];
}

void Stats::print(std::FILE* out, double seconds) const {
  fmt::print(out, "packets      {}\n", packets);
  fmt::print(out, "bytes        {}\n", bytes);
  for (std::size_t i = 0; i < per_protocol.size(); ++i) {
    if (per_protocol[i] != 0) fmt::print(out, "  {:<10} {}\n", protocol_names[i], per_protocol[i]);
  }
  fmt::print(out, "malformed    {}\n", malformed);
  if (unsupported != 0) fmt::print(out, "unsupported  {} (link type not dissected)\n", unsupported);
  const double s = seconds > 0 ? seconds : 1e-9;
  fmt::print(out, "time         {:.3f} s\n", seconds);
  fmt::print(out, "packets/s    {:.0f}\n", static_cast<double>(packets) / s);
  fmt::print(out, "MB/s         {:.1f}\n", static_cast<double>(bytes) / s / 1e6);
}

}  // namespace lpdump
