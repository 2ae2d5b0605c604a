// What a caller can set for one parse() call.
#pragma once

#include <cstddef>
#include <string_view>

#include "libparse/error.hpp"

namespace lp {

// Called once per nesting level as an error travels outwards, innermost first
// (EverParse's error-handler idea): the struct's type name, the field in it that
// failed, and the error as it stands at that level. It may not throw.
using error_handler = void (*)(void* context, std::string_view type_name,
                               std::string_view field_name, const Error& error);

struct ParseOptions {
  // Nested structs deeper than this are errc::too_deep: bounds the stack used by
  // parse() whatever the input, recursive schemas (a tag in a tag in a tag...)
  // included.
  std::size_t max_depth = 64;
  // Elements of one variable-size or `until` array (each array counted on its
  // own); more is errc::limit_exceeded naming the array. Bounds the work parse()
  // does on hostile counts (`T[n]` with n = 2^32) and on zero-size elements.
  std::size_t max_elements = 1'000'000;
  // References to an absolute offset (`name: T at offset;`) one lp::PointerChain
  // follows; more is errc::limit_exceeded. Each hop already has to go strictly
  // backwards, so this bounds work, not termination (DNS: 64 pointers per name).
  std::size_t max_pointer_hops = 64;
  error_handler on_error = nullptr;
  void* on_error_context = nullptr;
  // Last, so that positional initialisers written before it still compile.
  // Leave unwalked the lists whose bytes parse() knows without reading their
  // elements: a `T[] size(n)` or `T[] until (...) size(n)` of variable-size
  // structs, or a `T[]` running to the end of its struct, when no later field
  // depends on it (TCP and IPv4 options, IPv6 option lists, TLS extensions, the
  // records of a capture file). Their accessors return a range that is not
  // validated(): lazy_array::validate() checks it later with the same errors, and
  // iterating it checks each element as it is reached. For readers that need
  // only the headers around such lists (docs/generated-api.md, "Deferred lists").
  bool defer_lists = false;

  // No limits, no handler: for re-reading bytes that a parse() with real limits
  // has already validated (a recursive arm's accessor does).
  static constexpr ParseOptions unlimited() noexcept {
    ParseOptions options;
    options.max_depth = static_cast<std::size_t>(-1);
    options.max_elements = static_cast<std::size_t>(-1);
    options.max_pointer_hops = static_cast<std::size_t>(-1);
    return options;
  }

  // For re-reading bytes that a parse() has already checked (a lazy_array's
  // elements, a recursive arm's accessor): unlimited(), and no list walked again,
  // since that parse() walked each one or, with defer_lists, left it deferred.
  // Walking a deferred list here could fail where the re-read must not.
  static constexpr ParseOptions reread() noexcept {
    ParseOptions options = unlimited();
    options.defer_lists = true;
    return options;
  }
};

}  // namespace lp
