#include "stats.hpp"

namespace lpdump {

std::optional<Layer> protocol_index(std::string_view name) noexcept {
  for (std::size_t i = 0; i < protocol_names.size(); ++i) {
    if (protocol_names[i] == name) return static_cast<Layer>(i);
  }
  return std::nullopt;
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
