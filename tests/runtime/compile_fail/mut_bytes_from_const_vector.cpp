// A writable view of const memory must not compile.
#include <cstddef>
#include <vector>

#include <libparse/bytes.hpp>

void mut_bytes_from_const_vector() {
  const std::vector<std::byte> buffer(4);
  lp::mut_bytes m(buffer);
  static_cast<void>(m);
}
