// Sockets for lpdns: an owning file descriptor, numeric IPv4/IPv6 endpoints,
// and the listening sockets each worker binds (SO_REUSEPORT, non-blocking).
//
// Everything here runs at start-up or once per TCP connection; errors are
// thrown as std::system_error naming the call and the endpoint, which main()
// prints before exiting. Nothing here is on the per-query path.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace lpdns {

// A file descriptor closed when the owner goes: move-only.
class Fd {
 public:
  Fd() noexcept = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

// A numeric IPv4 or IPv6 address and a port.
struct Endpoint {
  sockaddr_storage address{};
  socklen_t length = 0;

  // "192.0.2.1" or "2001:db8::1" (no names: a server must not wait on DNS to
  // start); throws std::invalid_argument naming the text otherwise.
  static Endpoint parse(std::string_view address, std::uint16_t port);
  int family() const noexcept { return address.ss_family; }
  std::uint16_t port() const noexcept;
  // 0.0.0.0 or ::, which receive on every local address.
  bool is_wildcard() const noexcept;
  void set_port(std::uint16_t port) noexcept;
  // "192.0.2.1:53", "[2001:db8::1]:53".
  std::string to_string() const;
};

// A non-blocking socket of `type` (SOCK_DGRAM or SOCK_STREAM) bound to `at`
// with SO_REUSEPORT, so that every worker binds its own socket to the same
// address and the kernel spreads datagrams and connections across them. IPv6
// sockets are IPV6_V6ONLY: "::" and "0.0.0.0" are bound separately. TCP sockets
// are listening (with `backlog`). Throws std::system_error naming `at`.
Fd bind_socket(const Endpoint& at, int type, int backlog = 1024);

// The port a bound socket got (what the kernel chose for port 0).
std::uint16_t bound_port(int fd);

}  // namespace lpdns
