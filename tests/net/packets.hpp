// Sample packets for the net/ schema tests, written out byte by byte so that every
// expected field value can be read off the array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lp_test {

// UDP: 54321 -> 53, length 20, checksum 0x1234, then a 12-byte DNS header.
inline std::vector<std::uint8_t> udp_datagram() {
  return {
      0xd4, 0x31,              // src_port 54321
      0x00, 0x35,              // dst_port 53
      0x00, 0x14,              // length 20
      0x12, 0x34,              // checksum
      0xab, 0xcd, 0x01, 0x00,  // payload: DNS id 0xabcd, flags RD
      0x00, 0x01, 0x00, 0x00,  //          qdcount 1, ancount 0
      0x00, 0x00, 0x00, 0x00,  //          nscount 0, arcount 0
  };
}

// IPv4 header (20 bytes, no options) carrying udp_datagram(): 192.168.0.1 -> 192.168.0.199.
inline std::vector<std::uint8_t> ipv4_udp() {
  std::vector<std::uint8_t> p = {
      0x45,                    // version 4, ihl 5
      0xb9,                    // dscp 46 (EF), ecn 1
      0x00, 0x28,              // total_length 40
      0x1c, 0x46,              // identification
      0x40, 0x00,              // reserved 0, DF 1, MF 0, fragment_offset 0
      0x40,                    // ttl 64
      0x11,                    // protocol UDP
      0xb1, 0xe6,              // checksum
      0xc0, 0xa8, 0x00, 0x01,  // src 192.168.0.1
      0xc0, 0xa8, 0x00, 0xc7,  // dst 192.168.0.199
  };
  const auto udp = udp_datagram();
  p.insert(p.end(), udp.begin(), udp.end());
  return p;
}

// Ethernet II frame carrying ipv4_udp(), padded with six zero bytes to 60 bytes.
inline std::vector<std::uint8_t> ethernet_ipv4_udp() {
  std::vector<std::uint8_t> p = {
      0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10,  // dst
      0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  // src
      0x08, 0x00,                          // ether_type IPv4
  };
  const auto ip = ipv4_udp();
  p.insert(p.end(), ip.begin(), ip.end());
  p.insert(p.end(), 6, 0x00);  // trailer
  return p;
}

inline void put_be16(std::vector<std::uint8_t>& p, std::size_t offset, std::uint16_t v) {
  p[offset] = static_cast<std::uint8_t>(v >> 8);
  p[offset + 1] = static_cast<std::uint8_t>(v);
}

}  // namespace lp_test
