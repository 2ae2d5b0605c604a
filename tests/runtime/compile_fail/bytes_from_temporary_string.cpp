// Same as a temporary vector: std::string is not a borrowed range.
#include <string>

#include <libparse/bytes.hpp>

std::string make_text();

void bytes_from_temporary_string() {
  lp::bytes b{make_text()};
  static_cast<void>(b);
}
