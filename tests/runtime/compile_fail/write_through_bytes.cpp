// lp::bytes is read-only: operator[] returns a value, so this must not compile.
#include <cstddef>
#include <vector>

#include <libparse/bytes.hpp>

void write_through_bytes() {
  std::vector<std::byte> buffer(4);
  const lp::bytes b(buffer);
  b[0] = std::byte{1};
}
