// What both generated readers (read_generated.cpp, read_headers.cpp) sum from a
// TCP header, written once so that the two workloads read it the same way.
#pragma once

#include <cstdint>

#include "net/tcp.lp.hpp"

namespace lp_bench {

// The ports, the nine flag bits, the data offset and the payload size.
inline std::uint64_t tcp_header_sum(const net::TcpView& tcp) noexcept {
  const std::uint64_t flags = std::uint64_t{tcp.ns()} << 8 | tcp.cwr() << 7 | tcp.ece() << 6 |
                              tcp.urg() << 5 | tcp.ack_flag() << 4 | tcp.psh() << 3 |
                              tcp.rst() << 2 | tcp.syn() << 1 | tcp.fin();
  return std::uint64_t{tcp.src_port()} + tcp.dst_port() + flags + tcp.data_offset() +
         tcp.payload().size();
}

}  // namespace lp_bench
