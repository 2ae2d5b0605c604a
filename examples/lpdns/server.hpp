// lpdns's network side: worker threads that take queries off UDP and TCP
// sockets and send back what lpdns::answer() writes.
//
// Each worker is one thread with its own epoll instance and, for every listening
// address, its own UDP socket and TCP listening socket bound with SO_REUSEPORT:
// the kernel spreads datagrams and connections across workers, and no two
// threads share a socket, a buffer or a lock (the zone is read-only; the only
// shared write is the TCP connection count, one atomic add per connection).
//
// - UDP: with several workers, a BPF program attached to each address's
//   socket group spreads datagrams over the workers at random (not by the
//   client's address and port, which a few busy clients would pile onto one
//   worker). recvmmsg() takes up to `udp_batch` datagrams at once, answer() writes
//   each reply into the worker's reply slots, sendmmsg() sends the batch. No
//   heap allocation per query: every buffer is allocated when the worker is
//   built. A reply the socket cannot take (send buffer full) is dropped and
//   counted, as for any UDP server; the client retries.
// - TCP (RFC 7766): non-blocking connections on the same epoll. DNS over TCP's
//   two-byte length prefix is framed by lp::StreamReader; every complete query in
//   what one recv() gave is answered, and the replies go out in one send()
//   (pipelining). A connection whose replies the peer does not read stops being
//   read until they drain, so its memory stays bounded. Idle connections close
//   after `tcp_idle_timeout`; past `tcp_max_connections` (all workers together)
//   a new connection is closed at once. A connection's buffers are allocated
//   when it is accepted and kept for the worker's next connection.
//
// Lifetime: the Zone must outlive the Server. start() runs the workers; stop()
// (safe from a signal handler) asks them to finish; wait() joins them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "answer.hpp"
#include "socket.hpp"
#include "zone.hpp"

namespace lpdns {

struct ServerOptions {
  // Numeric IPv4 and IPv6 addresses; each is served over UDP and TCP.
  std::vector<std::string> addresses{"0.0.0.0"};
  // 0: the kernel picks one (the same for every socket); port() tells which.
  std::uint16_t port = 53;
  unsigned threads = 1;
  // Datagrams per recvmmsg()/sendmmsg().
  unsigned udp_batch = 64;
  std::chrono::milliseconds tcp_idle_timeout{10'000};
  std::size_t tcp_max_connections = 1000;
  // What answer() is given: the UDP payload limit, NSID, CHAOS identity and
  // version. Its borrowed bytes must outlive the Server.
  AnswerOptions answer;
};

// What the workers counted (Server::stats()).
struct ServerStats {
  std::uint64_t udp_queries = 0;
  std::uint64_t udp_replies = 0;
  // Replies the socket did not take (send buffer full).
  std::uint64_t udp_dropped = 0;
  std::uint64_t tcp_connections = 0;
  // Connections closed at once because tcp_max_connections were open.
  std::uint64_t tcp_refused = 0;
  std::uint64_t tcp_queries = 0;
  std::uint64_t tcp_idle_closed = 0;
  // Times a connection stopped being read until the peer took its replies.
  std::uint64_t tcp_reading_paused = 0;
};

class Worker;

class Server {
 public:
  // Binds every worker's sockets; throws std::system_error naming the address
  // when one cannot be bound, std::invalid_argument for a bad option.
  Server(const Zone& zone, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port every socket is bound to.
  std::uint16_t port() const noexcept { return port_; }
  const ServerOptions& options() const noexcept { return options_; }

  void start();
  // Async-signal-safe: one write() to an eventfd each worker watches.
  void stop() noexcept;
  // Joins the workers (after stop()) and returns what they counted.
  ServerStats wait();
  // What the workers counted so far, together and each; any thread may ask,
  // at any time.
  ServerStats stats() const noexcept;
  std::vector<ServerStats> worker_stats() const;

 private:
  const Zone& zone_;
  ServerOptions options_;
  std::uint16_t port_ = 0;
  Fd stop_event_;
  std::atomic<std::size_t> tcp_open_{0};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
};

}  // namespace lpdns
