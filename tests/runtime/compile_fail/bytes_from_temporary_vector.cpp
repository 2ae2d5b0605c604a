// The vector dies at the end of the statement, so the view would dangle.
#include <cstddef>
#include <vector>

#include <libparse/bytes.hpp>

std::vector<std::byte> make_buffer();

void bytes_from_temporary_vector() {
  lp::bytes b{make_buffer()};
  static_cast<void>(b);
}
