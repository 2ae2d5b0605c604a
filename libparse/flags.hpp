// Named bits: what generated `flags` types (docs/schema-language.md §8) stand on.
//
// A generated flags class (`TcpFlags`) wraps the raw integer of its base width
// and lists its members as lp::flag_name {name, mask} pairs. This header turns
// such a value into text: "SYN|ACK", with bits that have no name shown as a hex
// remainder ("SYN|0x400") and "0" when no bit is set, without fmt (generated
// headers include it). format.hpp makes every generated flags type (the
// lp::flags_type concept) formattable with fmt.
//
// Cost: O(number of members); write_flags allocates nothing (to_string does).
#pragma once

#include <array>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

namespace lp {

struct flag_name {
  std::string_view name;
  std::uint64_t mask = 0;
};

// "SYN|ACK", "FIN|0x400", "0".
template <class Out>
Out write_flags(Out out, std::uint64_t raw, std::span<const flag_name> names) {
  const auto put = [&out](std::string_view text) {
    for (const char c : text) *out++ = c;
  };
  if (raw == 0) {
    put("0");
    return out;
  }
  std::uint64_t rest = raw;
  bool first = true;
  for (const flag_name& f : names) {
    if ((raw & f.mask) == 0) continue;
    if (!first) put("|");
    put(f.name);
    rest &= ~f.mask;
    first = false;
  }
  if (rest != 0) {
    std::array<char, 16> hex{};
    const auto end = std::to_chars(hex.data(), hex.data() + hex.size(), rest, 16).ptr;
    put(first ? "0x" : "|0x");
    put(std::string_view(hex.data(), static_cast<std::size_t>(end - hex.data())));
  }
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
