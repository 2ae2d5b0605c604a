// lpdump --stats: packets per protocol, malformed frames, throughput.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "output.hpp"

namespace lpdump {

// The protocols of the chain (the corpus README's layer names).
inline constexpr std::array<std::string_view, 11> protocol_names{
    "eth", "vlan", "arp", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "dns", "tls"};

// The index of `name` in protocol_names, if it is one.
std::optional<std::size_t> protocol_index(std::string_view name) noexcept;

struct Stats {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;        // captured bytes
  std::uint64_t malformed = 0;    // frames whose walk reported an lp::Error
  std::uint64_t unsupported = 0;  // frames of a link type the walk does not know
  std::array<std::uint64_t, protocol_names.size()> per_protocol{};

  // Counts one frame: its chain (each protocol once per frame) and its error.
  void add(const LayerChain& chain, bool malformed_frame, std::uint64_t captured) noexcept;
  void merge(const Stats& other) noexcept;
  // The summary, with packets/s and MB/s over `seconds` of dissection.
  void print(std::FILE* out, double seconds) const;
};

}  // namespace lpdump
