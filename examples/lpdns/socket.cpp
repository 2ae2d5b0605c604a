#include "socket.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace lpdns {

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Endpoint Endpoint::parse(std::string_view address, std::uint16_t port) {
  const std::string text(address);
  Endpoint e;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&e.address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&e.address);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    e.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    e.length = sizeof(sockaddr_in6);
  } else {
    throw std::invalid_argument(fmt::format("'{}' is not a numeric IPv4 or IPv6 address", address));
  }
  e.set_port(port);
  return e;
}

std::uint16_t Endpoint::port() const noexcept {
  const auto& sa = address;
  return family() == AF_INET ? ntohs(reinterpret_cast<const sockaddr_in&>(sa).sin_port)
                             : ntohs(reinterpret_cast<const sockaddr_in6&>(sa).sin6_port);
}

bool Endpoint::is_wildcard() const noexcept {
  if (family() == AF_INET)
    return reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr == htonl(INADDR_ANY);
  return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6&>(address).sin6_addr);
}

void Endpoint::set_port(std::uint16_t port) noexcept {
  if (family() == AF_INET)
    reinterpret_cast<sockaddr_in&>(address).sin_port = htons(port);
  else
    reinterpret_cast<sockaddr_in6&>(address).sin6_port = htons(port);
}

std::string Endpoint::to_string() const {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text.data(),
              text.size());
    return fmt::format("{}:{}", text.data(), port());
  }
  inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text.data(),
            text.size());
  return fmt::format("[{}]:{}", text.data(), port());
}

namespace {

[[noreturn]] void fail(const char* what, const Endpoint& at, int type) {
  const int error = errno;
  throw std::system_error(
      error, std::generic_category(),
      fmt::format("{} {} ({})", what, at.to_string(), type == SOCK_DGRAM ? "udp" : "tcp"));
}

void enable(int fd, int level, int option, const char* what, const Endpoint& at, int type) {
  const int on = 1;
  if (setsockopt(fd, level, option, &on, sizeof on) != 0) fail(what, at, type);
}

}  // namespace

Fd bind_socket(const Endpoint& at, int type, int backlog) {
  Fd fd(::socket(at.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) fail("socket", at, type);
  enable(fd.get(), SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT", at, type);
  if (type == SOCK_STREAM) enable(fd.get(), SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", at, type);
  if (at.family() == AF_INET6) enable(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY", at, type);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&at.address), at.length) != 0)
    fail("bind", at, type);
  if (type == SOCK_STREAM && ::listen(fd.get(), backlog) != 0) fail("listen", at, type);
  return fd;
}

std::uint16_t bound_port(int fd) {
  Endpoint e;
  e.length = sizeof e.address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&e.address), &e.length) != 0)
    throw std::system_error(errno, std::generic_category(), "getsockname");
  return e.port();
}

}  // namespace lpdns
