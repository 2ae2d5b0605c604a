#include "output.hpp"

#include <iterator>

namespace lpdump {

namespace {

void append(fmt::memory_buffer& out, std::string_view text) { out.append(text); }

// Two decimal digits per entry, "00" to "99".
constexpr std::array<char, 200> make_digit_pairs() noexcept {
  std::array<char, 200> pairs{};
  for (std::size_t i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}
constexpr std::array<char, 200> digit_pairs = make_digit_pairs();

// Each octet as decimal text, its length in the last of four bytes.
constexpr std::array<std::array<char, 4>, 256> make_octets() noexcept {
  std::array<std::array<char, 4>, 256> octets{};
  for (std::size_t i = 0; i < 256; ++i) {
    auto& o = octets[i];
    if (i >= 100) {
      o = {static_cast<char>('0' + i / 100), static_cast<char>('0' + i / 10 % 10),
           static_cast<char>('0' + i % 10), 3};
    } else if (i >= 10) {
      o = {static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10), 0, 2};
    } else {
      o = {static_cast<char>('0' + i), 0, 0, 1};
    }
  }
  return octets;
}
constexpr std::array<std::array<char, 4>, 256> decimal_octets = make_octets();

constexpr char hex_digits[] = "0123456789abcdef";

// Two lowercase hex digits per octet.
constexpr std::array<char, 512> make_hex_pairs() noexcept {
  std::array<char, 512> pairs{};
  for (std::size_t i = 0; i < 256; ++i) {
    pairs[2 * i] = hex_digits[i >> 4];
    pairs[2 * i + 1] = hex_digits[i & 0xF];
  }
  return pairs;
}
constexpr std::array<char, 512> hex_pairs = make_hex_pairs();

// lp::Error as text in a stack buffer (the error formatter writes a few dozen bytes).
using ErrorText = fmt::basic_memory_buffer<char, 256>;
void format_error(ErrorText& text, const lp::Error& error) {
  fmt::format_to(std::back_inserter(text), "{}", error);
}

}  // namespace

namespace raw {

char* write_uint_long(char* p, std::uint64_t value) noexcept {
  // Backwards into the first half of `digits`, two at a time, then one
  // fixed-size copy of max_uint bytes from the first digit (the room
  // write_uint asks for): the bytes after the number are scratch.
  std::array<char, 2 * max_uint> digits{};
  char* const end = digits.data() + max_uint;
  char* at = end;
  if ((value >> 32) == 0) {
    // 32-bit arithmetic for the common case (sequence numbers, timestamps).
    auto v = static_cast<std::uint32_t>(value);
    while (v >= 100) {
      at -= 2;
      std::memcpy(at, &digit_pairs[v % 100 * 2], 2);
      v /= 100;
    }
    value = v;
  } else {
    while (value >= 100) {
      at -= 2;
      std::memcpy(at, &digit_pairs[value % 100 * 2], 2);
      value /= 100;
    }
  }
  if (value >= 10) {
    at -= 2;
    std::memcpy(at, &digit_pairs[value * 2], 2);
  } else {
    *--at = static_cast<char>('0' + value);
  }
  std::memcpy(p, at, max_uint);
  return p + (end - at);
}

char* write_mac(char* p, lp::bytes octets) noexcept {
  // Each octet with a ':' after it; the last ':' is not part of the text.
  for (std::size_t i = 0; i < octets.size(); ++i) {
    std::memcpy(p, &hex_pairs[octets.u8(i) * 2], 2);
    p[2] = ':';
    p += 3;
  }
  return octets.empty() ? p : p - 1;
}

char* write_ipv4(char* p, lp::bytes octets) noexcept {
  // Three bytes of each octet's text copied, as many kept as it has; a '.'
  // after each, the last one not part of the text.
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& o = decimal_octets[octets.u8(i)];
    std::memcpy(p, o.data(), 3);
    p += static_cast<unsigned char>(o[3]);
    *p++ = '.';
  }
  return p - 1;
}

char* write_ipv6(char* p, lp::bytes octets) noexcept {
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) {
    groups[i] = static_cast<unsigned>(octets.u8(2 * i) << 8 | octets.u8(2 * i + 1));
  }
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
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      *p++ = ':';
      *p++ = ':';
      i += best_length - 1;
      continue;
    }
    if (i != 0 && i != best + best_length) *p++ = ':';
    // Hex without leading zeros.
    const unsigned g = groups[i];
    if (g >= 0x1000) *p++ = hex_digits[g >> 12];
    if (g >= 0x100) *p++ = hex_digits[(g >> 8) & 0xF];
    if (g >= 0x10) *p++ = hex_digits[(g >> 4) & 0xF];
    *p++ = hex_digits[g & 0xF];
  }
  return p;
}

char* write_epoch(char* p, std::uint64_t seconds, std::uint32_t nanoseconds) noexcept {
  // tshark keeps a record's fraction as a signed 32-bit count of nanoseconds
  // and does not normalise it: one past 2^31 (a pcap microsecond or
  // nanosecond field out of range) prints as "-<seconds>.<its magnitude>",
  // one of a second or more with all its digits.
  constexpr std::uint32_t negative = 0x8000'0000u;
  constexpr std::uint32_t one_second = 1'000'000'000u;
  if (nanoseconds >= negative) {
    *p++ = '-';
    nanoseconds = 0u - nanoseconds;
  }
  p = write_uint(p, seconds);
  *p = '.';
  if (nanoseconds >= one_second) return write_uint(p + 1, nanoseconds);
  // Nine digits: four pairs from the end, then the first.
  std::uint32_t v = nanoseconds % 1'000'000'000u;
  for (std::size_t at = 8; at >= 2; at -= 2) {
    std::memcpy(p + at, &digit_pairs[v % 100 * 2], 2);
    v /= 100;
  }
  p[1] = static_cast<char>('0' + v);
  return p + 10;
}

}  // namespace raw

// ---- JsonWriter

namespace {

// '"', the layer's name and '.' for each Layer: the key prefix of its first instance.
struct Prefix {
  std::array<char, 32> text;
  std::size_t size;
};
constexpr std::array<Prefix, layer_names.size()> make_layer_prefixes() noexcept {
  std::array<Prefix, layer_names.size()> prefixes{};
  for (std::size_t i = 0; i < layer_names.size(); ++i) {
    Prefix& p = prefixes[i];
    std::size_t n = 0;
    p.text[n++] = '"';
    for (const char c : layer_names[i]) p.text[n++] = c;
    p.text[n++] = '.';
    p.size = n;
  }
  return prefixes;
}
constexpr std::array<Prefix, layer_names.size()> layer_prefixes = make_layer_prefixes();

}  // namespace

void JsonWriter::layer(Layer layer) {
  const unsigned instance = chain_.push(layer);
  if (instance != 1) return set_prefix(name_of(layer), instance);
  const Prefix& p = layer_prefixes[static_cast<std::size_t>(layer)];
  static_assert(sizeof(p.text) == prefix_capacity);
  std::memcpy(prefix_.data(), p.text.data(), prefix_capacity);
  prefix_size_ = p.size;
}

void JsonWriter::set_prefix(std::string_view name, unsigned instance) noexcept {
  if (name.size() > max_prefix_name) name = name.substr(0, max_prefix_name);
  char* p = prefix_.data();
  *p++ = '"';
  if (!name.empty()) std::memcpy(p, name.data(), name.size());
  p += name.size();
  if (instance > 1) {
    *p++ = '#';
    // LayerChain counts instances up to the chain's length; more than 99 of
    // one layer cannot arise (and would be cut to two digits).
    p = raw::write_uint(p, instance % 100);
  }
  *p++ = '.';
  prefix_size_ = static_cast<std::size_t>(p - prefix_.data());
}

void JsonWriter::end_frame() {
  char* p = room(1 + 10 + chain_.size() * 9 + 3);
  if (!first_) *p++ = ',';
  std::memcpy(p, "\"layers\":[", 10);
  p += 10;
  for (std::size_t i = 0; i < chain_.size(); ++i) {
    if (i != 0) *p++ = ',';
    const std::string_view name = chain_[i];  // at most 6 characters
    *p++ = '"';
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = '"';
  }
  std::memcpy(p, "]}\n", 3);
  commit(p + 3);
}

void JsonWriter::error(const lp::Error& error) {
  if (std::exchange(has_error_, true)) return;
  ErrorText text;
  format_error(text, error);
  char* p = room(1 + 9);
  if (!first_) *p++ = ',';
  first_ = false;
  std::memcpy(p, "\"_error\":", 9);
  commit(p + 9);
  lp::append_json_string(out_, std::string_view(text.data(), text.size()));
}

// ---- TreeWriter

void TreeWriter::begin_frame() noexcept {
  chain_.clear();
  has_error_ = false;
}

void TreeWriter::end_frame() { out_.push_back('\n'); }

void TreeWriter::section(std::string_view name) {
  append(out_, name);
  out_.push_back('\n');
}

void TreeWriter::layer(Layer layer) {
  const unsigned instance = chain_.push(layer);
  append(out_, name_of(layer));
  if (instance > 1) {
    out_.push_back('#');
    append_uint(out_, instance);
  }
  out_.push_back('\n');
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

void TreeWriter::flags(std::string_view field, std::uint64_t value, FlagWord word) {
  key(field);
  append_flag_summary(out_, word, value);
  out_.push_back('\n');
  append_flag_lines(out_, word, value, "        ");
}

void TreeWriter::str(std::string_view field, std::string_view text) {
  key(field);
  append(out_, text);
  out_.push_back('\n');
}

void TreeWriter::epoch(std::string_view field, std::uint64_t seconds, std::uint32_t nanoseconds) {
  key(field);
  append_epoch(out_, seconds, nanoseconds);
  out_.push_back('\n');
}

void TreeWriter::address(std::string_view field, lp::bytes octets, Append append) {
  key(field);
  append(out_, octets);
  out_.push_back('\n');
}

void TreeWriter::mac(std::string_view field, lp::bytes octets) {
  address(field, octets, append_mac<fmt::memory_buffer>);
}
void TreeWriter::ipv4(std::string_view field, lp::bytes octets) {
  address(field, octets, append_ipv4<fmt::memory_buffer>);
}
void TreeWriter::ipv6(std::string_view field, lp::bytes octets) {
  address(field, octets, append_ipv6<fmt::memory_buffer>);
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
