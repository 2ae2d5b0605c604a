// serialize_mix: the mix's packets written back. The values are made once from
// the wire frames (parse(), then to_value(), with the lengths and the IPv4
// header checksum left for the serializer to compute, as a program building
// packets leaves them); each call writes one frame into a caller's buffer.
// main() checks that every frame comes back byte for byte before timing.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "mix.hpp"
#include "net/ethernet.lp.hpp"
#include "readers.hpp"

namespace lp_bench {

// One value per frame of `wire`, in order; empty if a frame does not parse.
std::vector<net::EthernetValue> values_of(const PacketStore& wire);

// net::Ethernet::serialize_to() into `out`: the bytes written, 0 on an error.
std::size_t write_generated(const net::EthernetValue& value, std::span<std::byte> out) noexcept;

}  // namespace lp_bench
