// Named bits: what generated `flags` types (docs/schema-language.md §19) stand on.
//
// A generated flags class (`TcpFlags`) wraps the raw integer of its base width
// and lists its members as lp::flag_name {name, mask} pairs. This header turns
// such a value into text: "SYN|ACK", with bits that have no name shown as a hex
// remainder ("SYN|0x400") and "0" when no bit is set. format.hpp makes every
// generated flags type (the lp::flags_type concept) formattable with fmt.
//
// Cost: O(number of members); write_flags allocates nothing (to_string does).
#pragma once

#include <concepts>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace lp {

struct flag_name {
  std::string_view name;
  std::uint64_t mask = 0;
};

// "SYN|ACK", "FIN|0x400", "0".
template <class Out>
Out write_flags(Out out, std::uint64_t raw, std::span<const flag_name> names) {
  if (raw == 0) return fmt::format_to(out, "0");
  std::uint64_t rest = raw;
  bool first = true;
  for (const flag_name& f : names) {
    if ((raw & f.mask) == 0) continue;
    out = fmt::format_to(out, "{}{}", first ? "" : "|", f.name);
    rest &= ~f.mask;
    first = false;
  }
  if (rest != 0) out = fmt::format_to(out, "{}{:#x}", first ? "" : "|", rest);
  return out;
}

inline std::string flags_to_string(std::uint64_t raw, std::span<const flag_name> names) {
  std::string out;
  write_flags(std::back_inserter(out), raw, names);
  return out;
}

// A generated flags class: raw() and its member names.
template <class F>
concept flags_type = requires(const F& f) {
  { f.raw() } -> std::unsigned_integral;
  { F::names() } -> std::convertible_to<std::span<const flag_name>>;
};

}  // namespace lp
