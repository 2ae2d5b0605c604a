// Sample packets for the net/ schema tests, written out byte by byte so that every
// expected field value can be read off the array.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
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

// TCP segment 443 -> 51000, SYN+ACK, one MSS option (1460), 4 bytes of data.
inline std::vector<std::uint8_t> tcp_segment() {
  return {
      0x01, 0xbb,              // src_port 443
      0xc7, 0x38,              // dst_port 51000
      0x01, 0x02, 0x03, 0x04,  // seq
      0x0a, 0x0b, 0x0c, 0x0d,  // ack
      0x60,                    // data_offset 6, reserved 0, ns 0
      0x12,                    // cwr ece urg ack psh rst syn fin = 0 0 0 1 0 0 1 0
      0xff, 0xff,              // window
      0xbe, 0xef,              // checksum
      0x00, 0x00,              // urgent_pointer
      0x02, 0x04, 0x05, 0xb4,  // options: MSS 1460
      'G',  'E',  'T',  ' ',   // payload
  };
}

// A SYN with 40 bytes of options, every kind the schema knows, an unknown one,
// and EOL followed by padding that is not zero (it must not be parsed).
inline std::vector<std::uint8_t> tcp_syn_with_options() {
  return {
      0xc7, 0x38,              // src_port 51000
      0x01, 0xbb,              // dst_port 443
      0x00, 0x00, 0x10, 0x00,  // seq
      0x00, 0x00, 0x00, 0x00,  // ack
      0xf0,                    // data_offset 15, reserved 0, ns 0
      0xc2,                    // cwr ece urg ack psh rst syn fin = 1 1 0 0 0 0 1 0
      0xfa, 0xf0,              // window
      0x12, 0x34,              // checksum
      0x00, 0x00,              // urgent_pointer
      0x02, 0x04, 0x05, 0xb4,  // [0] @20 MSS 1460
      0x01,                    // [1] @24 NOP
      0x03, 0x03, 0x07,        // [2] @25 window scale 7
      0x04, 0x02,              // [3] @28 SACK permitted
      0x08, 0x0a,              // [4] @30 timestamps
      0x11, 0x22, 0x33, 0x44,  //          value
      0x00, 0x00, 0x00, 0x09,  //          echo
      0x01, 0x01,              // [5] [6] @40 NOP NOP
      0x05, 0x0a,              // [7] @42 SACK, one block
      0x00, 0x00, 0x10, 0x00,  //          left
      0x00, 0x00, 0x20, 0x00,  //          right
      0x1e, 0x04, 0xab, 0xcd,  // [8] @52 kind 30 (unknown), length 4, 2 bytes
      0x00,                    // [9] @56 EOL
      0xaa, 0xbb, 0xcc,        // @57 padding after EOL
      'h',  'i',               // payload
  };
}

// ARP request: who has 192.168.0.199? tell 192.168.0.1 (52:54:00:12:34:56).
inline std::vector<std::uint8_t> arp_request() {
  return {
      0x00, 0x01,                          // hw_type Ethernet
      0x08, 0x00,                          // proto_type IPv4
      0x06, 0x04,                          // hw_size 6, proto_size 4
      0x00, 0x01,                          // opcode REQUEST
      0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  // sender_hw
      0xc0, 0xa8, 0x00, 0x01,              // sender_proto 192.168.0.1
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // target_hw (unknown)
      0xc0, 0xa8, 0x00, 0xc7,              // target_proto 192.168.0.199
  };
}

// ICMP echo request, identifier 0x1234, sequence 7, 4 bytes of data.
inline std::vector<std::uint8_t> icmp_echo() {
  return {0x08, 0x00, 0xf7, 0x3c, 0x12, 0x34, 0x00, 0x07, 'p', 'i', 'n', 'g'};
}

// `head` then `tail`, in a vector sized once (g++ 12 warns, wrongly, about
// insert() after an initializer list at -O2).
inline std::vector<std::uint8_t> concat(std::initializer_list<std::uint8_t> head,
                                        const std::vector<std::uint8_t>& tail) {
  std::vector<std::uint8_t> out(head.size() + tail.size());
  std::size_t at = 0;
  for (const std::uint8_t b : head) out[at++] = b;
  for (const std::uint8_t b : tail) out[at++] = b;
  return out;
}

// An IPv4 header (no options) in front of `payload`, protocol `protocol`.
inline std::vector<std::uint8_t> ipv4_with(std::uint8_t protocol,
                                           const std::vector<std::uint8_t>& payload) {
  const auto total = static_cast<std::uint16_t>(20 + payload.size());
  return concat(
      {
          0x45,
          0x00,
          static_cast<std::uint8_t>(total >> 8),
          static_cast<std::uint8_t>(total),
          0x00,
          0x01,
          0x00,
          0x00,
          0x40,
          protocol,
          0x00,
          0x00,  //
          0xc0,
          0xa8,
          0x00,
          0x01,
          0xc0,
          0xa8,
          0x00,
          0xc7,
      },
      payload);
}

// IPv6 header 2001:db8::1 -> 2001:db8::2, traffic class 0xb8, flow label 0x12345,
// hop limit 64, then `payload` with next header `next_header`.
inline std::vector<std::uint8_t> ipv6_with(std::uint8_t next_header,
                                           const std::vector<std::uint8_t>& payload) {
  const auto length = static_cast<std::uint16_t>(payload.size());
  return concat(
      {
          0x6b,
          0x81,
          0x23,
          0x45,  // version 6, traffic_class 0xb8, flow_label 0x12345
          static_cast<std::uint8_t>(length >> 8),
          static_cast<std::uint8_t>(length),
          next_header,
          0x40,  // next_header, hop_limit 64
          0x20,
          0x01,
          0x0d,
          0xb8,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0x01,  // src
          0x20,
          0x01,
          0x0d,
          0xb8,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0x02,  // dst
      },
      payload);
}

// An Ethernet II header in front of `payload`.
inline std::vector<std::uint8_t> ethernet_with(std::uint16_t ether_type,
                                               const std::vector<std::uint8_t>& payload) {
  return concat(
      {
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,  // dst
          0x52,
          0x54,
          0x00,
          0x12,
          0x34,
          0x56,  // src
          static_cast<std::uint8_t>(ether_type >> 8),
          static_cast<std::uint8_t>(ether_type),
      },
      payload);
}

// An 802.1Q tag (priority 5, DEI 0, VLAN 100) in front of `payload`.
inline std::vector<std::uint8_t> vlan_with(std::uint16_t ether_type,
                                           const std::vector<std::uint8_t>& payload) {
  return concat({0xa0, 0x64, static_cast<std::uint8_t>(ether_type >> 8),
                 static_cast<std::uint8_t>(ether_type)},
                payload);
}

inline void put_be16(std::vector<std::uint8_t>& p, std::size_t offset, std::uint16_t v) {
  p[offset] = static_cast<std::uint8_t>(v >> 8);
  p[offset + 1] = static_cast<std::uint8_t>(v);
}

}  // namespace lp_test
