// Generated headers build where many network services build: with
// -fno-exceptions -fno-rtti and without fmt (tests/net/CMakeLists.txt compiles
// this file so, with both compilers in CI). No GoogleTest here: its headers
// expect exceptions. Parses one valid frame and one broken one through the
// generated views and checks what they report; exit status 0 when all holds.
#include <cstdio>
#include <string>

#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"

#if defined(__cpp_exceptions) || defined(__GXX_RTTI) || defined(FMT_VERSION)
#error "this test must be built with -fno-exceptions -fno-rtti and without fmt"
#endif

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "no_exceptions_test: FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  // Ethernet II, IPv4 (no options), UDP to port 53, a DNS query for "a." type A.
  const unsigned char frame[] = {
      0x02, 0,    0,    0,    0,  1,  0x02, 0, 0,  0,  0, 2, 0x08, 0x00,  // Ethernet
      0x45, 0,    0,    47,   0,  0,  0,    0, 64, 17, 0, 0,              // IPv4 ...
      10,   0,    0,    1,    10, 0,  0,    2,                            // ... addresses
      0x30, 0x39, 0,    53,   0,  27, 0,    0,                            // UDP
      0x12, 0x34, 0x01, 0x00, 0,  1,  0,    0, 0,  0,  0, 0,              // DNS header
      1,    'a',  0,    0,    1,  0,  1};                                 // question
  const lp::bytes wire(reinterpret_cast<const std::byte*>(frame), sizeof frame);

  const auto ethernet = net::Ethernet::parse(wire);
  expect(static_cast<bool>(ethernet), "the frame parses");
  if (ethernet) {
    const auto ip = ethernet->payload_ipv4();
    expect(static_cast<bool>(ip), "IPv4 inside");
    if (ip) {
      expect(ip->ttl() == 64, "IPv4 ttl");
      const auto udp = ip->payload_udp();
      expect(udp && udp->dst_port() == 53, "UDP to port 53");
      if (udp) {
        const auto dns = net::Dns::parse(udp->payload());
        expect(dns && dns->id() == 0x1234 && dns->qdcount() == 1, "the DNS query");
      }
    }
  }

  // The same frame cut inside the IPv4 header: an lp::Error, its text without fmt.
  const auto cut = net::Ethernet::parse(wire.first(20));
  expect(!cut, "a cut frame fails");
  if (!cut) {
    expect(cut.error().code() == lp::errc::truncated, "truncated");
    const std::string message = cut.error().message();
    expect(message == "truncated at byte 20: Ethernet.payload.Ipv4.reserved, 14 more bytes needed",
           "the message names the field and the bytes needed");
  }
  return failures == 0 ? 0 : 1;
}
