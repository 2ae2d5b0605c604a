// Domain names in wire form for lpdns: length-prefixed labels ending with the
// root label ("\3www\7example\3com\0"), uncompressed. The zone keeps every name
// lowercase (ASCII only, RFC 4343), so comparing two of its names is comparing
// bytes; a name from a query is lowercased into a caller's buffer before lookup.
//
// Cost: every function is O(name length) and allocates nothing, except
// name_to_text() (a std::string for messages). Lifetime: the functions read the
// caller's bytes during the call and keep nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lpdns {

// RFC 1035 §2.3.4: 255 bytes of wire name, 63 of label.
inline constexpr std::size_t max_name_size = 255;
inline constexpr std::size_t max_label_size = 63;

// A name as zone data holds it: wire form, lowercase. Also the lookup key.
using WireName = std::string;

constexpr unsigned char ascii_lower(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + ('a' - 'A')) : c;
}

// The size of the uncompressed wire name at `p` (root label included). The
// caller guarantees that `p` holds a well-formed uncompressed name.
inline std::size_t wire_name_size(const unsigned char* p) noexcept {
  std::size_t n = 0;
  while (p[n] != 0) n += p[n] + 1u;
  return n + 1;
}

// Labels of an uncompressed wire name, the root label not counted ("." has 0).
inline std::size_t label_count(std::string_view wire) noexcept {
  std::size_t labels = 0;
  for (std::size_t i = 0; i < wire.size() && wire[i] != 0;
       i += static_cast<unsigned char>(wire[i]) + 1u) {
    ++labels;
  }
  return labels;
}

// The name without its first label ("\3www\7example\0" -> "\7example\0");
// the root stays the root.
inline std::string_view parent_name(std::string_view wire) noexcept {
  if (wire.empty() || wire[0] == 0) return wire;
  return wire.substr(static_cast<unsigned char>(wire[0]) + 1u);
}

// True when `name` is `ancestor` or below it, label-aligned. Both lowercase.
inline bool is_at_or_below(std::string_view name, std::string_view ancestor) noexcept {
  if (name.size() < ancestor.size()) return false;
  // Walk labels so that "\3xexample" never matches "\7example" by its bytes alone.
  std::string_view rest = name;
  while (rest.size() > ancestor.size()) rest = parent_name(rest);
  return rest == ancestor;
}

// "www.example.com." for messages; bytes outside printable ASCII and the
// characters . \ " ; ( ) as RFC 1035 escapes.
inline std::string name_to_text(std::string_view wire) {
  if (wire.empty() || wire[0] == 0) return ".";
  std::string text;
  std::size_t i = 0;
  while (i < wire.size() && wire[i] != 0) {
    const std::size_t length = static_cast<unsigned char>(wire[i]);
    for (std::size_t k = 1; k <= length && i + k < wire.size(); ++k) {
      const auto c = static_cast<unsigned char>(wire[i + k]);
      if (c <= ' ' || c >= 0x7f) {
        text += '\\';
        text += static_cast<char>('0' + c / 100);
        text += static_cast<char>('0' + c / 10 % 10);
        text += static_cast<char>('0' + c % 10);
      } else {
        if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')') text += '\\';
        text += static_cast<char>(c);
      }
    }
    text += '.';
    i += length + 1;
  }
  return text;
}

}  // namespace lpdns
