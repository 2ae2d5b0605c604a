// Must compile: the allowed counterpart of every line the other files in this
// folder get rejected for. If this fails, the harness (or a header) is broken
// and the compile-fail tests would pass for the wrong reason.
#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <libparse/libparse.hpp>

int control() {
  std::vector<std::byte> buffer(4);
  const std::vector<std::byte> const_buffer(4);
  const std::string text = "abcd";

  lp::mut_bytes m(buffer);
  m[0] = std::byte{1};  // write_through_bytes: writing needs mut_bytes
  const lp::bytes b(buffer);
  const lp::bytes from_const(const_buffer);  // mut_bytes_from_const_vector: bytes is fine
  const lp::bytes from_string(text);         // bytes_from_temporary_*: an lvalue is fine
  const lp::bytes from_mut = m;              // mut_bytes_from_bytes: the other direction is fine
  const lp::mut_array_view<lp::be_u16> words(m);  // mut_array_view_from_bytes: from mut_bytes
  words.set(0, 7);
  const int value = 3;
  const lp::optional_ref<int> ref(value);  // optional_ref_from_temporary: an lvalue is fine
  const lp::Result<int> result(value);     // arrow_on_temporary_result: a named Result is fine
  const int* in_result = result.operator->();
  const int moved_out = *lp::Result<int>(value);        // and * on a temporary moves the value out
  const bool flat = lp::Result<lp::bytes>(b)->empty();  // -> on a temporary of a flat view
  lp::mapped_file f;                                    // copy_mapped_file: moving is fine
  lp::mapped_file g(std::move(f));
  return static_cast<int>(b[0]) +
         static_cast<int>(from_const.size() + from_string.size() + from_mut.size() + g.size()) +
         *ref + *in_result + moved_out + (flat ? 1 : 0);
}
