// Packets built byte by byte for the walk's tests (tests/lpdump/walk/*_test.cpp,
// one file per layer of tools/lpdump/walk/), and the walk run over them
// through the JSON writer: each test checks the keys and values tshark gives.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "output.hpp"
#include "walk.hpp"

namespace lpdump_test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes be16(unsigned v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

inline const Bytes mac_a{0x02, 0, 0, 0, 0, 0x01};
inline const Bytes mac_b{0x02, 0, 0, 0, 0, 0x0a};

inline Bytes ethernet(unsigned type, const Bytes& payload) {
  return cat({mac_a, mac_b, be16(type), payload});
}

// IPv4 without options; the checksum is not checked by the walk.
inline Bytes ipv4(unsigned proto, const Bytes& payload, unsigned total_length = 0) {
  const unsigned length = total_length != 0 ? total_length : 20 + payload.size();
  return cat({{0x45, 0x00},
              be16(length),
              {0x00, 0x07, 0x40, 0x00, 64, static_cast<std::uint8_t>(proto), 0x12, 0x34, 192, 0, 2,
               10, 192, 0, 2, 1},
              payload});
}

// IPv4 with `options` (a multiple of 4 bytes) after the fixed header.
inline Bytes ipv4_with_options(unsigned proto, const Bytes& options, const Bytes& payload) {
  Bytes ip = ipv4(proto, cat({options, payload}));
  ip[0] = static_cast<std::uint8_t>(0x40 | (20 + options.size()) / 4);
  return ip;
}

// IPv6 from 2001:db8::1 to 2001:db8::2 with the given payload length field.
inline Bytes ipv6(unsigned next, const Bytes& payload, unsigned payload_length) {
  Bytes src(16, 0);
  src[0] = 0x20;
  src[1] = 0x01;
  src[2] = 0x0d;
  src[3] = 0xb8;
  Bytes dst = src;
  src[15] = 1;
  dst[15] = 2;
  return cat({{0x60, 0, 0, 0},
              be16(payload_length),
              {static_cast<std::uint8_t>(next), 64},
              src,
              dst,
              payload});
}
inline Bytes ipv6(unsigned next, const Bytes& payload) {
  return ipv6(next, payload, payload.size());
}

inline Bytes udp(unsigned sport, unsigned dport, const Bytes& payload) {
  return cat({be16(sport), be16(dport), be16(8 + payload.size()), be16(0), payload});
}

inline lpdump::Packet packet_of(const Bytes& frame, std::uint32_t link_type = 1) {
  lpdump::Packet packet;
  packet.number = 1;
  packet.data = lp::bytes(frame.data(), frame.size());
  packet.len = frame.size();
  packet.link_type = link_type;
  return packet;
}

inline std::string dissect_json(const lpdump::Packet& packet) {
  fmt::memory_buffer out;
  lpdump::JsonWriter writer(out);
  lpdump::dissect(packet, writer);
  return std::string(out.data(), out.size());
}

// `frame` cut by the capture: `wire_length` bytes long on the wire.
inline std::string dissect_cut(const Bytes& frame, std::size_t wire_length) {
  lpdump::Packet packet = packet_of(frame);
  packet.len = wire_length;
  return dissect_json(packet);
}

inline std::string dissect_json(const Bytes& frame, std::uint32_t link_type = 1,
                                lpdump::WalkResult* result = nullptr) {
  const lpdump::Packet packet = packet_of(frame, link_type);
  fmt::memory_buffer out;
  lpdump::JsonWriter writer(out);
  const lpdump::WalkResult r = lpdump::dissect(packet, writer);
  if (result != nullptr) *result = r;
  return std::string(out.data(), out.size());
}

}  // namespace lpdump_test

#define EXPECT_HAS(json, fragment) \
  EXPECT_NE((json).find(fragment), std::string::npos) << "no " << (fragment) << " in " << (json)
#define EXPECT_LACKS(json, fragment) \
  EXPECT_EQ((json).find(fragment), std::string::npos) << (fragment) << " in " << (json)
