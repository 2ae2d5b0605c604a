// A mapping has one owner: copying would unmap twice.
#include <libparse/mapped_file.hpp>

void copy_mapped_file() {
  lp::mapped_file f;
  lp::mapped_file g(f);
  static_cast<void>(g);
}
