// A read-only view never becomes a writable one.
#include <cstddef>
#include <vector>

#include <libparse/bytes.hpp>

void mut_bytes_from_bytes() {
  std::vector<std::byte> buffer(4);
  lp::bytes b(buffer);
  lp::mut_bytes m(b);
  static_cast<void>(m);
}
