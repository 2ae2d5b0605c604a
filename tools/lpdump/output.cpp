#include "output.hpp"

#include <iterator>

namespace lpdump {

namespace {

void append(fmt::memory_buffer& out, std::string_view text) { out.append(text); }

// Integers are most of the output: fmt::format_int skips the format-string
// machinery that format_to() goes through.
void append_uint(fmt::memory_buffer& out, std::uint64_t value) {
  const fmt::format_int digits(value);
  out.append(digits.data(), digits.data() + digits.size());
}

// The length of the UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t utf8_sequence(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t n = 0;
  std::uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  std::uint32_t code = lead & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

// lp::Error as text in a stack buffer (the error formatter writes a few dozen bytes).
using ErrorText = fmt::basic_memory_buffer<char, 256>;
void format_error(ErrorText& text, const lp::Error& error) {
  fmt::format_to(std::back_inserter(text), "{}", error);
}

}  // namespace

unsigned LayerChain::push(std::string_view name) noexcept {
  unsigned instance = 1;
  for (std::size_t i = 0; i < size_; ++i) instance += names_[i] == name ? 1 : 0;
  if (size_ < max_layers) names_[size_++] = name;
  return instance;
}

bool LayerChain::contains(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (names_[i] == name) return true;
  }
  return false;
}

void append_mac(fmt::memory_buffer& out, lp::bytes octets) {
  static constexpr char digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < octets.size(); ++i) {
    if (i != 0) out.push_back(':');
    out.push_back(digits[octets.u8(i) >> 4]);
    out.push_back(digits[octets.u8(i) & 0xF]);
  }
}

void append_ipv4(fmt::memory_buffer& out, lp::bytes octets) {
  for (std::size_t i = 0; i < 4; ++i) {
    if (i != 0) out.push_back('.');
    append_uint(out, octets.u8(i));
  }
}

void append_ipv6(fmt::memory_buffer& out, lp::bytes octets) {
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = octets.u8(2 * i) << 8 | octets.u8(2 * i + 1);
  // RFC 5952: the longest run of two or more zero groups (the first of equal
  // runs) becomes "::".
  std::size_t best = 8;
  std::size_t best_length = 1;
  for (std::size_t i = 0; i < 8;) {
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best = i;
      best_length = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  auto it = std::back_inserter(out);
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      out.append(std::string_view("::"));
      i += best_length - 1;
      continue;
    }
    if (i != 0 && i != best + best_length) out.push_back(':');
    fmt::format_to(it, "{:x}", groups[i]);
  }
}

void append_json_string(fmt::memory_buffer& out, std::string_view text) {
  out.push_back('"');
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7F) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (const std::size_t n = utf8_sequence(text, i); n != 0) {
      out.append(text.substr(i, n));
      i += n - 1;
    } else {
      append(out, "\\ufffd");  // what tshark prints for a byte that is not UTF-8
    }
  }
  out.push_back('"');
}

// ---- JsonWriter

void JsonWriter::begin_frame() noexcept {
  chain_.clear();
  prefix_ = {};
  instance_ = 1;
  first_ = true;
  has_error_ = false;
  out_.push_back('{');
}

void JsonWriter::end_frame() {
  comma();
  append(out_, "\"layers\":[");
  for (std::size_t i = 0; i < chain_.size(); ++i) {
    if (i != 0) out_.push_back(',');
    append_json_string(out_, chain_[i]);
  }
  append(out_, "]}\n");
}

void JsonWriter::section(std::string_view name) {
  prefix_ = name;
  instance_ = 1;
}

void JsonWriter::layer(std::string_view name) {
  prefix_ = name;
  instance_ = chain_.push(name);
}

void JsonWriter::comma() {
  if (!first_) out_.push_back(',');
  first_ = false;
}

void JsonWriter::key(std::string_view field) {
  comma();
  out_.push_back('"');
  append(out_, prefix_);
  if (instance_ > 1) {
    out_.push_back('#');
    append_uint(out_, instance_);
  }
  out_.push_back('.');
  append(out_, field);
  append(out_, "\":");
}

void JsonWriter::u(std::string_view field, std::uint64_t value) {
  key(field);
  append_uint(out_, value);
}

void JsonWriter::str(std::string_view field, std::string_view text) {
  key(field);
  append_json_string(out_, text);
}

void JsonWriter::address(std::string_view field, lp::bytes octets, Append append) {
  key(field);
  out_.push_back('"');
  append(out_, octets);
  out_.push_back('"');
}

void JsonWriter::mac(std::string_view field, lp::bytes octets) {
  address(field, octets, append_mac);
}
void JsonWriter::ipv4(std::string_view field, lp::bytes octets) {
  address(field, octets, append_ipv4);
}
void JsonWriter::ipv6(std::string_view field, lp::bytes octets) {
  address(field, octets, append_ipv6);
}

void JsonWriter::begin_list(std::string_view field) {
  key(field);
  out_.push_back('[');
  first_item_ = true;
}

void JsonWriter::begin_item_list() {
  if (!std::exchange(first_item_, false)) out_.push_back(',');
  out_.push_back('[');
  first_item_ = true;
}

void JsonWriter::item(std::uint64_t value) {
  if (!std::exchange(first_item_, false)) out_.push_back(',');
  append_uint(out_, value);
}

void JsonWriter::item_str(std::string_view text) {
  if (!std::exchange(first_item_, false)) out_.push_back(',');
  append_json_string(out_, text);
}

void JsonWriter::item_null() {
  if (!std::exchange(first_item_, false)) out_.push_back(',');
  append(out_, "null");
}

void JsonWriter::end_list() {
  out_.push_back(']');
  first_item_ = false;  // an inner list is an item of the outer one
}

void JsonWriter::error(const lp::Error& error) {
  if (std::exchange(has_error_, true)) return;
  ErrorText text;
  format_error(text, error);
  comma();
  append(out_, "\"_error\":");
  append_json_string(out_, std::string_view(text.data(), text.size()));
}

// ---- TreeWriter

void TreeWriter::begin_frame() noexcept {
  chain_.clear();
  has_error_ = false;
}

void TreeWriter::end_frame() { out_.push_back('\n'); }

void TreeWriter::section(std::string_view name) {
  fmt::format_to(std::back_inserter(out_), "{}\n", name);
}

void TreeWriter::layer(std::string_view name) {
  const unsigned instance = chain_.push(name);
  if (instance > 1) {
    fmt::format_to(std::back_inserter(out_), "{}#{}\n", name, instance);
  } else {
    fmt::format_to(std::back_inserter(out_), "{}\n", name);
  }
}

void TreeWriter::key(std::string_view field) {
  append(out_, "    ");
  append(out_, field);
  append(out_, ": ");
}

void TreeWriter::u(std::string_view field, std::uint64_t value) {
  key(field);
  append_uint(out_, value);
  out_.push_back('\n');
}

void TreeWriter::str(std::string_view field, std::string_view text) {
  key(field);
  append(out_, text);
  out_.push_back('\n');
}

void TreeWriter::address(std::string_view field, lp::bytes octets, Append append) {
  key(field);
  append(out_, octets);
  out_.push_back('\n');
}

void TreeWriter::mac(std::string_view field, lp::bytes octets) {
  address(field, octets, append_mac);
}
void TreeWriter::ipv4(std::string_view field, lp::bytes octets) {
  address(field, octets, append_ipv4);
}
void TreeWriter::ipv6(std::string_view field, lp::bytes octets) {
  address(field, octets, append_ipv6);
}

void TreeWriter::begin_list(std::string_view field) {
  key(field);
  out_.push_back('[');
  first_item_ = true;
}

void TreeWriter::next_item() {
  if (!std::exchange(first_item_, false)) append(out_, ", ");
}

void TreeWriter::begin_item_list() {
  next_item();
  nested_ = true;
  out_.push_back('[');
  first_item_ = true;
}

void TreeWriter::item(std::uint64_t value) {
  next_item();
  append_uint(out_, value);
}

void TreeWriter::item_str(std::string_view text) {
  next_item();
  append(out_, text);
}

void TreeWriter::item_null() {
  next_item();
  append(out_, "-");
}

void TreeWriter::end_list() {
  // An inner list (begin_item_list) ends without the line break of the outer one.
  if (nested_) {
    out_.push_back(']');
    nested_ = false;
    first_item_ = false;
    return;
  }
  append(out_, "]\n");
}

void TreeWriter::error(const lp::Error& error) {
  if (std::exchange(has_error_, true)) return;
  ErrorText text;
  format_error(text, error);
  append(out_, "  ! malformed: ");
  append(out_, std::string_view(text.data(), text.size()));
  out_.push_back('\n');
}

}  // namespace lpdump
