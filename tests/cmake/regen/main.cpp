// Prints the fields of Outer over fixed bytes, so the test sees the program
// change when a schema edit moves them.
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstdlib>

#include "demo/outer.lp.hpp"
#include "libparse/format.hpp"

int main() {
  const std::array<std::uint8_t, 5> wire{0x01, 0x02, 0x03, 0x04, 0x05};
  const auto outer = demo::Outer::parse(wire);
  if (!outer) {
    fmt::print(stderr, "{}\n", outer.error());
    return EXIT_FAILURE;
  }
  fmt::print("a={} b={} tail={} size={}\n", outer->inner().a(), outer->inner().b(), outer->tail(),
             outer->size());
  return EXIT_SUCCESS;
}
