// parse_mix/handwritten: what a careful C++ engineer writes by hand to read the
// fields of readers.hpp from an Ethernet frame, validating what the generated
// parse() validates for the protocols in the mix (the list is in handwritten.cpp).
// parse_frame() checks the whole frame once and records offsets; the accessors
// then read at those offsets without further checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

#include "readers.hpp"

namespace lp_bench::handwritten {

inline std::uint16_t load16(const std::uint8_t* p) noexcept {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_bswap16(v);
}

inline std::uint32_t load32(const std::uint8_t* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_bswap32(v);
}

// Where the parts of a validated frame are; offsets count from `data`.
struct Frame {
  const std::uint8_t* data = nullptr;
  std::uint16_t ether_type = 0;
  bool ipv4 = false;
  bool ipv6 = false;
  std::uint8_t protocol = 0;  // 6 or 17 when `transport` holds TCP or UDP, else 0
  std::size_t ip = 0;
  std::size_t transport = 0;
  std::size_t payload = 0;       // TCP payload, UDP payload
  std::size_t payload_size = 0;  //
  // A DNS message in the UDP payload (ports 53), validated to its last record.
  bool dns = false;
  std::size_t question_name = 0;  // the first question's name; 0 if there is none
  std::size_t question_type = 0;  // its qtype
};

// Validates the frame; empty when the generated parse() would reject it, and for
// ARP, VLAN, ICMP, ICMPv6 and 6in4, which the mix does not hold.
std::optional<Frame> parse_frame(const std::uint8_t* data, std::size_t size) noexcept;

// The fields of readers.hpp from a frame parse_frame() accepted.
std::uint64_t sum_fields(const Frame& frame) noexcept;

}  // namespace lp_bench::handwritten
