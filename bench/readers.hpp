// One function per implementation: each decodes one packet of the mix from its
// own encoding and returns the sum of the same fields, so that the benchmark
// cannot skip the reads and every implementation can be checked against the
// others (main() compares them packet by packet before timing anything).
//
// The fields, each added as an unsigned integer:
//   ether_type;
//   IPv4: every byte of src and dst, total_length, protocol, ttl;
//   IPv6: every byte of src and dst, payload_length, next_header, hop_limit;
//   TCP:  src_port, dst_port, the nine flag bits as one number, data_offset,
//         the payload's size in bytes;
//   UDP:  src_port, dst_port, length;
//   DNS (UDP from or to port 53): id, qdcount, ancount, the first question's
//         qtype and every byte of its name in dotted form ("www.example.com":
//         the label bytes and one '.' between labels).
// A packet that fails to parse returns 0 (every valid packet sums to more).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace lp_bench {

using Buffer = std::span<const std::uint8_t>;

// The Ethernet frame through the views generated from schemas/net (lp_schemas).
std::uint64_t read_generated(Buffer frame) noexcept;
// The Ethernet frame through hand-written pointer code (handwritten.hpp).
std::uint64_t read_handwritten(Buffer frame) noexcept;
// parse_headers (read_headers.cpp): the L2-L4 header fields only, no DNS.
std::uint64_t read_headers_generated(Buffer frame) noexcept;       // ParseOptions::defer_lists
std::uint64_t read_headers_generated_full(Buffer frame) noexcept;  // every list validated
std::uint64_t read_headers_handwritten(Buffer frame) noexcept;
// The bench/packet.proto message: libprotobuf on the heap, libprotobuf in an
// Arena whose first block is `arena_block` (reused: the arena allocates only when
// a packet needs more), and protozero.
std::uint64_t read_protobuf(Buffer message);
std::uint64_t read_protobuf_arena(Buffer message, std::span<std::byte> arena_block);
std::uint64_t read_protozero(Buffer message);
// The bench/packet.fbs buffer: Verifier, then the fields.
std::uint64_t read_flatbuffers(Buffer buffer) noexcept;

// Adds the name's bytes in dotted form: one label's text at a time.
class DottedNameSum {
 public:
  void label(const std::uint8_t* text, std::size_t size) noexcept {
    if (labels_++ != 0) sum_ += '.';
    for (std::size_t i = 0; i < size; ++i) sum_ += text[i];
  }
  std::uint64_t sum() const noexcept { return sum_; }

 private:
  std::uint64_t sum_ = 0;
  std::size_t labels_ = 0;
};

inline std::uint64_t byte_sum(const std::uint8_t* data, std::size_t size) noexcept {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < size; ++i) sum += data[i];
  return sum;
}

}  // namespace lp_bench
