// lpdump's protocol walk: one captured frame through the generated views,
// eth -> vlan(s) -> arp / ip / ipv6 -> tcp / udp / icmp / icmpv6 -> dns / tls,
// reported field by field to a writer (output.hpp) with the keys of the corpus
// README's "Output schema". The layers live in walk/ (walk/frame.hpp lists
// them and what they share).
//
// Which layers follow which, and when a payload is DNS or TLS (the ports), is
// tshark's behaviour as ../shared/corpus/README.md describes it. A layer that
// does not parse is reported with every field that was read and its lp::Error;
// the walk stops there. Nothing is allocated on the heap.
#pragma once

#include <cstdint>

#include "capture.hpp"

namespace lpdump {

enum class WalkResult : std::uint8_t {
  ok,
  unsupported_link_type,  // frame.* fields only
};

// Reports `packet` to `out` between out.begin_frame() and out.end_frame().
// Instantiated for JsonWriter, TreeWriter and ChainWriter (walk.cpp).
template <class Writer>
WalkResult dissect(const Packet& packet, Writer& out);

// The link types the walk understands (Ethernet, raw IP, Linux SLL and SLL2).
bool supported_link_type(std::uint32_t link_type) noexcept;

}  // namespace lpdump
