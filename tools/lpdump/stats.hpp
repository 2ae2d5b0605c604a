// lpdump --stats: packets per protocol, malformed frames, throughput.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "output.hpp"

namespace lpdump {

// The protocols of the chain (the corpus README's layer names), in Layer order.
inline constexpr const auto& protocol_names = layer_names;

// The layer called `name`, if it is one (--filter's argument).
std::optional<Layer> protocol_index(std::string_view name) noexcept;

struct Stats {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;        // captured bytes
  std::uint64_t malformed = 0;    // frames whose walk reported an lp::Error
  std::uint64_t unsupported = 0;  // frames of a link type the walk does not know
  std::array<std::uint64_t, protocol_names.size()> per_protocol{};

  // Counts one frame: its chain (each protocol once per frame) and its error.
  void add(const LayerChain& chain, bool malformed_frame, std::uint64_t captured) noexcept {
    ++packets;
    bytes += captured;
    malformed += malformed_frame ? 1 : 0;
    // The chain's mask has a bit per protocol, so QinQ's two vlan layers count
    // the frame once.
    const unsigned seen = chain.mask();
    for (std::size_t i = 0; i < per_protocol.size(); ++i) per_protocol[i] += (seen >> i) & 1u;
  }
  void merge(const Stats& other) noexcept;
  // The summary, with packets/s and MB/s over `seconds` of dissection.
  void print(std::FILE* out, double seconds) const;
};

}  // namespace lpdump
