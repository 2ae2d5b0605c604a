// bench/compile_time.sh, the measured translation unit: two generated headers
// (and what they import) with one parse() each, as a service would use them.
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"

int main(int argc, char** argv) {
  const lp::bytes buffer(reinterpret_cast<const std::byte*>(argv[0]),
                         static_cast<std::size_t>(argc));
  const auto dns = net::Dns::parse(buffer);
  const auto ethernet = net::Ethernet::parse(buffer);
  return (dns ? 1 : 0) + (ethernet ? 2 : 0);
}
