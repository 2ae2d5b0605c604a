// A writable typed array needs writable memory: lp::bytes is not enough.
#include <cstddef>
#include <vector>

#include <libparse/array_view.hpp>

void mut_array_view_from_bytes() {
  std::vector<std::byte> buffer(4);
  const lp::bytes b(buffer);
  lp::mut_array_view<lp::be_u16> words(b);
  static_cast<void>(words);
}
