// The interpreter against a generated view on the same bytes: what the
// differential fuzz targets (fuzz/interp_fuzzer.cpp) and tests
// (tests/codegen/interp) require of it (issue 23).
//
// Same outcome: both accept or both reject. On rejection the same lp::Error
// message (code, byte and bit offset, path with indices, text, actual, needed)
// and path. On acceptance the same size, the same lp::json text and the same
// annotated hexdump (every leaf's path, value bytes and offsets, in visit order).
//
// Cost: formats both results (allocates); for tests and fuzzing only. Needs
// fmt (libparse/format.hpp). Lifetime: nothing is kept.
#pragma once

#include <string>

#include <fmt/format.h>

#include "interp/interp.hpp"
#include "libparse/format.hpp"

namespace lpc::interp {

// "" when the two agree; otherwise what differs, with both sides.
template <class View>
std::string difference(const lp::Result<View>& generated, const lp::Result<Node>& interpreted) {
  const auto both = [](const char* what, const std::string& g, const std::string& i) {
    return fmt::format("{}\n  generated:   {}\n  interpreter: {}", what, g, i);
  };
  if (generated.has_value() != interpreted.has_value()) {
    return both("one accepts, the other rejects",
                generated ? std::string("accepted") : generated.error().message(),
                interpreted ? std::string("accepted") : interpreted.error().message());
  }
  if (!generated) {
    const std::string g = generated.error().message();
    const std::string i = interpreted.error().message();
    if (g != i) return both("different errors", g, i);
    if (generated.error().field_path() != interpreted.error().field_path()) {
      return both("different error paths", generated.error().field_path(),
                  interpreted.error().field_path());
    }
    return {};
  }
  if (generated->bytes().size() != interpreted->where.size()) {
    return both("different sizes", std::to_string(generated->bytes().size()),
                std::to_string(interpreted->where.size()));
  }
  const std::string g = fmt::format("{}", lp::json(*generated));
  const std::string i = to_json(*interpreted);
  if (g != i) return both("different JSON", g, i);
  const std::string gh = fmt::format("{}", lp::annotated_hexdump(*generated));
  const std::string ih = to_hexdump(*interpreted);
  if (gh != ih) return both("different annotated hexdumps", gh, ih);
  const std::string gt = fmt::format("{:t}", *generated);
  const std::string it = to_tree(*interpreted);
  if (gt != it) return both("different trees", gt, it);
  return {};
}

}  // namespace lpc::interp
