// Parses bytes with views generated in this consumer project and checks every
// field; the exit status is the test's verdict.
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libparse/format.hpp"
#include "located.lp.hpp"
#include "net/udp.lp.hpp"
#include "point.lp.hpp"

namespace {

int failures = 0;

void expect(bool ok, std::string_view what) {
  if (!ok) {
    fmt::print(stderr, "FAILED: {}\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  // Point{x = 0x0102, y = 0x0304}, big-endian.
  const std::array<std::uint8_t, 4> point_bytes{0x01, 0x02, 0x03, 0x04};
  const auto point = demo::Point::parse(point_bytes);
  expect(point.has_value(), "Point parses");
  if (point) {
    expect(point->x() == 0x0102, "Point.x");
    expect(point->y() == 0x0304, "Point.y");
    fmt::print("{}\n", *point);
  }

  // One byte short: truncated, and the error says how many bytes are missing.
  const auto short_point = demo::Point::parse(lp::bytes(point_bytes).first(3));
  expect(!short_point.has_value(), "a 3-byte Point is rejected");
  if (!short_point) {
    expect(short_point.error().code() == lp::errc::truncated, "the error is 'truncated'");
    expect(short_point.error().needed() == 1, "one more byte is needed");
    fmt::print("{}\n", short_point.error());
  }

  // Located: a Point, then a UDP datagram 53 -> 1234 with a 4-byte payload.
  const std::array<std::uint8_t, 16> located_bytes{0x00, 0x07, 0x00, 0x09,  // origin
                                                   0x00, 0x35, 0x04, 0xd2,
                                                   0x00, 0x0c, 0x00, 0x00,   // UDP header
                                                   0xde, 0xad, 0xbe, 0xef};  // UDP payload
  const auto located = demo::Located::parse(located_bytes);
  expect(located.has_value(), "Located parses");
  if (located) {
    expect(located->origin().x() == 7 && located->origin().y() == 9, "Located.origin");
    const net::UdpView udp = located->datagram();
    expect(udp.src_port() == 53, "Located.datagram.src_port");
    expect(udp.dst_port() == 1234, "Located.datagram.dst_port");
    expect(udp.length() == 12, "Located.datagram.length");
    expect(udp.payload().size() == 4 && udp.payload().u8(0) == 0xde, "Located.datagram.payload");
    // Zero-copy: the payload view points into the caller's buffer.
    expect(udp.payload().data() == lp::bytes(located_bytes).data() + 12, "payload is a view");
    fmt::print("{}\n", *located);
  }

  // The shipped schema's own constraint, reported with the field path.
  std::array<std::uint8_t, 16> bad_length = located_bytes;
  bad_length[9] = 0x07;  // Udp.length = 7 < 8
  const auto bad = demo::Located::parse(bad_length);
  expect(!bad.has_value(), "Udp.length < 8 is rejected");
  if (!bad) {
    expect(bad.error().code() == lp::errc::constraint_failed, "the error is 'constraint failed'");
    fmt::print("{}\n", bad.error());
  }

  if (failures != 0) {
    fmt::print(stderr, "{} check(s) failed\n", failures);
    return EXIT_FAILURE;
  }
  fmt::print("consumer: all checks passed\n");
  return EXIT_SUCCESS;
}
