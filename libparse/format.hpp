// fmt glue: how views, byte runs and errors look to people: one line ("{}"), a
// tree ("{:t}"), JSON (lp::json), hex dumps (lp::hexdump, lp::annotated_hexdump)
// and the one JSON string rule (write_json_string, below). What each prints:
// docs/runtime.md, "visit.hpp and format.hpp".
//
// All of it is built on FieldVisitor (visit.hpp), so every generated view gets
// every format without code generated per format. Formatting is for people and
// logs, not the hot path: it costs one virtual call per field plus fmt's own
// work. The view formatters, json() and hexdump() allocate nothing themselves
// (format_to into a fixed buffer stays off the heap); annotated_hexdump()
// allocates its labels once, when it is created. lp::Error and lp::errc format
// here too ("{}", and "{:x}" for values in hex; the text is Error::message()),
// and print with operator<<. No output ends with a newline.
//
// The runtime headers that generated code includes (libparse/runtime.hpp) do not
// include this one, so that they build without fmt and without exceptions:
// include it, or libparse/libparse.hpp, to format views and errors.
//
// json(), hexdump() and annotated_hexdump() return small objects that refer to
// the viewed buffer (and hexdump() to the annotations): format them before the
// buffer goes away, typically in the same statement.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "libparse/bytes.hpp"
#include "libparse/error.hpp"
#include "libparse/visit.hpp"

namespace lp {

// One labelled byte range for hexdump(): the label is printed beside the line
// where the range starts, as `label@first-last` (decimal byte offsets, as in
// error messages).
struct annotation {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string_view label;
};

namespace detail {

inline constexpr std::string_view ellipsis = "\xE2\x80\xA6";  // "…"
// Byte runs inside a one-line or tree view stop after this many bytes.
inline constexpr std::size_t max_inline_bytes = 16;

template <class Out>
Out write_hex(Out out, lp::bytes b, char separator, std::size_t limit) {
  const std::size_t n = b.size() < limit ? b.size() : limit;
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) *out++ = separator;
    out = fmt::format_to(out, "{:02x}", b.u8(i));
  }
  return out;
}

// "4 bytes [de ad be ef]", "40 bytes [00 01 … 0f …]"
template <class Out>
Out write_byte_run(Out out, lp::bytes b) {
  out = fmt::format_to(out, "{} byte{} [", b.size(), b.size() == 1 ? "" : "s");
  out = write_hex(out, b, ' ', max_inline_bytes);
  if (b.size() > max_inline_bytes) out = fmt::format_to(out, " {}", ellipsis);
  *out++ = ']';
  return out;
}

template <class Out>
Out write_enum(Out out, std::uint64_t raw, std::string_view member) {
  if (member.empty()) return fmt::format_to(out, "{}", raw);
  return fmt::format_to(out, "{} ({})", member, raw);
}

// "{}": Udp{a: 1, b: Inner{c: 2}, xs: [1, 2]}. A comma goes before everything
// except the first item after an opening bracket, so no stack is needed.
template <class Out>
class line_writer final : public FieldVisitor {
 public:
  explicit line_writer(Out out) : out_(out) {}
  Out out() const { return out_; }

  void on_unsigned(std::string_view name, std::uint64_t v, lp::bytes) override {
    out_ = fmt::format_to(item(name), "{}", v);
  }
  void on_signed(std::string_view name, std::int64_t v, lp::bytes) override {
    out_ = fmt::format_to(item(name), "{}", v);
  }
  void on_float(std::string_view name, double v, lp::bytes) override {
    out_ = fmt::format_to(item(name), "{}", v);
  }
  void on_enum(std::string_view name, std::uint64_t raw, std::string_view member,
               lp::bytes) override {
    out_ = write_enum(item(name), raw, member);
  }
  void on_bytes(std::string_view name, lp::bytes v) override {
    out_ = write_byte_run(item(name), v);
  }
  void on_string(std::string_view name, std::string_view v) override {
    out_ = fmt::format_to(item(name), "{:?}", v);
  }
  void on_flags(std::string_view name, std::uint64_t raw, std::span<const flag_name> names,
                lp::bytes) override {
    out_ = write_flags(item(name), raw, names);
  }
  void begin_struct(std::string_view name, std::string_view type_name, lp::bytes) override {
    out_ = fmt::format_to(item(name), "{}{{", type_name);
    first_ = true;
  }
  void end_struct() override { close('}'); }
  void begin_array(std::string_view name, std::size_t, lp::bytes) override {
    out_ = item(name);
    *out_++ = '[';
    first_ = true;
  }
  void end_array() override { close(']'); }

 private:
  Out item(std::string_view name) {
    if (!first_) out_ = fmt::format_to(out_, ", ");
    first_ = false;
    if (!name.empty()) out_ = fmt::format_to(out_, "{}: ", name);
    return out_;
  }
  void close(char c) {
    *out_++ = c;
    first_ = false;
  }

  Out out_;
  bool first_ = true;
};

// "{:t}": one field per line, children indented by two spaces, array elements
// numbered. Each line starts with its newline, so the output has none at the end.
template <class Out>
class tree_writer final : public FieldVisitor {
 public:
  explicit tree_writer(Out out) : out_(out) {}
  Out out() const { return out_; }

  void on_unsigned(std::string_view name, std::uint64_t v, lp::bytes) override {
    out_ = fmt::format_to(scalar(name), "{}", v);
  }
  void on_signed(std::string_view name, std::int64_t v, lp::bytes) override {
    out_ = fmt::format_to(scalar(name), "{}", v);
  }
  void on_float(std::string_view name, double v, lp::bytes) override {
    out_ = fmt::format_to(scalar(name), "{}", v);
  }
  void on_enum(std::string_view name, std::uint64_t raw, std::string_view member,
               lp::bytes) override {
    out_ = write_enum(scalar(name), raw, member);
  }
  void on_bytes(std::string_view name, lp::bytes v) override {
    out_ = write_byte_run(scalar(name), v);
  }
  void on_string(std::string_view name, std::string_view v) override {
    out_ = fmt::format_to(scalar(name), "{:?}", v);
  }
  void on_flags(std::string_view name, std::uint64_t raw, std::span<const flag_name> names,
                lp::bytes) override {
    out_ = fmt::format_to(write_flags(scalar(name), raw, names), " ({:#x})", raw);
  }
  void begin_struct(std::string_view name, std::string_view type_name, lp::bytes where) override {
    open_array_as_block();
    out_ = fmt::format_to(line(name), "{} ({} byte{})", type_name, where.size(),
                          where.size() == 1 ? "" : "s");
    push(no_index);
  }
  void end_struct() override { pop(); }
  // Arrays of numbers print on one line ("octets: [10, 0, 0, 1]"); arrays of
  // structs one element per line. Which one is known at the first element.
  void begin_array(std::string_view name, std::size_t count, lp::bytes) override {
    open_array_as_block();
    out_ = line(name);
    pending_count_ = count;
    array_state_ = array_state::pending;
    push(0);
  }
  void end_array() override {
    if (array_state_ == array_state::pending) out_ = fmt::format_to(out_, "[]");
    if (array_state_ == array_state::inline_) *out_++ = ']';
    array_state_ = array_state::none;
    pop();
  }

 private:
  enum class array_state : std::uint8_t { none, pending, inline_ };

  // Where a scalar goes: its own line, or the open one-line array.
  Out scalar(std::string_view name) {
    if (name.empty() && array_state_ == array_state::pending) {
      array_state_ = array_state::inline_;
      *out_++ = '[';
      return out_;
    }
    if (name.empty() && array_state_ == array_state::inline_) return fmt::format_to(out_, ", ");
    return line(name);
  }
  void open_array_as_block() {
    if (array_state_ != array_state::pending) return;
    out_ = fmt::format_to(out_, "{} element{}", pending_count_, pending_count_ == 1 ? "" : "s");
    array_state_ = array_state::none;
  }

  array_state array_state_ = array_state::none;
  std::size_t pending_count_ = 0;

 private:
  static constexpr std::size_t no_index = static_cast<std::size_t>(-1);
  // Element counters of the enclosing levels; fixed so formatting does not
  // allocate. Deeper levels still indent, their elements print as "-".
  static constexpr std::size_t max_levels = 64;

  Out line(std::string_view name) {
    *out_++ = '\n';
    for (std::size_t i = 0; i <= depth_; ++i) out_ = fmt::format_to(out_, "  ");
    if (!name.empty()) return fmt::format_to(out_, "{}: ", name);
    if (depth_ != 0 && depth_ <= max_levels && index_[depth_ - 1] != no_index) {
      return fmt::format_to(out_, "[{}]: ", index_[depth_ - 1]++);
    }
    return fmt::format_to(out_, "- ");
  }
  void push(std::size_t first_index) {
    if (depth_ < max_levels) index_[depth_] = first_index;
    ++depth_;
  }
  void pop() {
    if (depth_ != 0) --depth_;
  }

  Out out_;
  std::size_t depth_ = 0;
  std::array<std::size_t, max_levels> index_{};
};

}  // namespace detail

// ---- JSON strings
//
// The one rule for every JSON string the project writes (lp::json, lpdump
// --json), RFC 8259's: '"' and '\\' take a backslash; the control characters
// (below 0x20) and DEL are \u00XX; valid UTF-8 stays as it is; a byte that does
// not begin a valid UTF-8 sequence (RFC 3629: no overlong form, no surrogate,
// nothing above U+10FFFF) is \ufffd, the replacement character, since JSON text
// is UTF-8 (and tshark writes the same). Cost: one pass over the text; runs of
// printable ASCII are found eight bytes at a time and, into a buffer, copied
// as one block. Nothing is allocated but the output's own growth.

namespace detail {

constexpr bool is_json_plain(unsigned char c) noexcept {
  return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

// The length of the valid UTF-8 sequence at text[i], or 0 when there is none.
constexpr std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
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
  std::uint32_t code = lead & (0x7Fu >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

// Writes the byte at text[i], which is not plain (is_json_plain), as the rule
// says, and returns the index of the next byte.
template <class Out>
std::size_t write_json_special(Out& out, std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == '"' || c == '\\') {
    *out++ = '\\';
    *out++ = static_cast<char>(c);
    return i + 1;
  }
  if (c < 0x80) {  // a control character or DEL
    constexpr char hex[] = "0123456789abcdef";
    for (const char e : {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]}) *out++ = e;
    return i + 1;
  }
  const std::size_t n = utf8_sequence_length(text, i);
  if (n == 0) {
    for (const char e : {'\\', 'u', 'f', 'f', 'f', 'd'}) *out++ = e;
    return i + 1;
  }
  for (std::size_t k = 0; k < n; ++k) *out++ = text[i + k];
  return i + n;
}

}  // namespace detail

// How many leading bytes of `text` a JSON string holds as they are (printable
// ASCII but '"' and '\\'): eight bytes at a time while none needs a look.
inline std::size_t json_plain_prefix(std::string_view text) noexcept {
  // A word has a byte below 0x20, one of 0x80 and above, DEL, '"' or '\\':
  // the usual tests for a zero byte in a word (exact on whether there is one).
  constexpr std::uint64_t ones = 0x0101010101010101u;
  constexpr std::uint64_t highs = 0x8080808080808080u;
  const auto has_zero = [](std::uint64_t v) { return ((v - ones) & ~v & highs) != 0; };
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, text.data() + i, 8);
    const bool special = ((w - 0x20 * ones) & ~w & highs) != 0 || (w & highs) != 0 ||
                         has_zero(w ^ (0x7F * ones)) || has_zero(w ^ ('"' * ones)) ||
                         has_zero(w ^ ('\\' * ones));
    if (special) break;
  }
  while (i < text.size() && detail::is_json_plain(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

// `text` as a JSON string literal, quotes included, through an output iterator.
template <class Out>
Out write_json_string(Out out, std::string_view text) {
  *out++ = '"';
  for (std::size_t i = 0; i < text.size();) {
    if (detail::is_json_plain(static_cast<unsigned char>(text[i]))) {
      *out++ = text[i++];
    } else {
      i = detail::write_json_special(out, text, i);
    }
  }
  *out++ = '"';
  return out;
}

// The same appended to a fmt::basic_memory_buffer (lpdump's hot path): each
// run of plain bytes is one block copy.
template <class Buffer>
void append_json_string(Buffer& out, std::string_view text) {
  out.push_back('"');
  auto it = std::back_inserter(out);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t plain = json_plain_prefix(text.substr(i));
    out.append(text.data() + i, text.data() + i + plain);
    i += plain;
    if (i < text.size()) i = detail::write_json_special(it, text, i);
  }
  out.push_back('"');
}

namespace detail {

// lp::json(): a compact JSON object. Enums are their member name (a number when
// unknown), bytes a "de:ad:be:ef" string, non-finite floats null.
template <class Out>
class json_writer final : public FieldVisitor {
 public:
  explicit json_writer(Out out) : out_(out) {}
  Out out() const { return out_; }

  void on_unsigned(std::string_view name, std::uint64_t v, lp::bytes) override {
    out_ = fmt::format_to(key(name), "{}", v);
  }
  void on_signed(std::string_view name, std::int64_t v, lp::bytes) override {
    out_ = fmt::format_to(key(name), "{}", v);
  }
  void on_float(std::string_view name, double v, lp::bytes) override {
    // JSON has no NaN or infinity.
    out_ =
        std::isfinite(v) ? fmt::format_to(key(name), "{}", v) : fmt::format_to(key(name), "null");
  }
  void on_enum(std::string_view name, std::uint64_t raw, std::string_view member,
               lp::bytes) override {
    out_ = member.empty() ? fmt::format_to(key(name), "{}", raw)
                          : lp::write_json_string(key(name), member);
  }
  void on_bytes(std::string_view name, lp::bytes v) override {
    out_ = key(name);
    *out_++ = '"';
    out_ = write_hex(out_, v, ':', v.size());
    *out_++ = '"';
  }
  // "SYN|ACK": the names of the bits set, as in the one-line form.
  void on_flags(std::string_view name, std::uint64_t raw, std::span<const flag_name> names,
                lp::bytes) override {
    out_ = key(name);
    *out_++ = '"';
    out_ = write_flags(out_, raw, names);
    *out_++ = '"';
  }
  // The JSON string rule above: UTF-8 text stays as it is, so the output is
  // valid JSON whatever the wire held.
  void on_string(std::string_view name, std::string_view v) override {
    out_ = lp::write_json_string(key(name), v);
  }
  void begin_struct(std::string_view name, std::string_view, lp::bytes) override {
    open(name, '{');
  }
  void end_struct() override { close('}'); }
  void begin_array(std::string_view name, std::size_t, lp::bytes) override { open(name, '['); }
  void end_array() override { close(']'); }

 private:
  Out key(std::string_view name) {
    if (!first_) *out_++ = ',';
    first_ = false;
    if (!name.empty()) {
      out_ = lp::write_json_string(out_, name);
      *out_++ = ':';
    }
    return out_;
  }
  void open(std::string_view name, char c) {
    out_ = key(name);
    *out_++ = c;
    first_ = true;
  }
  void close(char c) {
    *out_++ = c;
    first_ = false;
  }

  Out out_;
  bool first_ = true;
};

inline constexpr std::size_t hexdump_width = 16;

template <class Out>
Out put(Out out, std::string_view s) {
  for (const char c : s) *out++ = c;
  return out;
}

template <class Out>
Out write_label(Out out, const annotation& a) {
  out = fmt::format_to(out, "{}@{}", a.label, a.offset);
  if (a.length == 0) return fmt::format_to(out, " (empty)");
  if (a.length > 1) return fmt::format_to(out, "-{}", a.offset + a.length - 1);
  return out;
}

// hexdump -C's layout: "00000010  45 00 00 1c 00 00 00 00  40 11 00 00 0a 00 00 01
// |E.......@.......|" then the labels of the ranges that start on that line. Ranges starting past
// the end are labelled on the last line, so none is lost.
template <class Out>
Out write_hexdump(Out out, lp::bytes data, std::span<const annotation> notes) {
  const std::size_t lines =
      data.empty() ? (notes.empty() ? 0 : 1) : (data.size() + hexdump_width - 1) / hexdump_width;
  for (std::size_t line = 0; line < lines; ++line) {
    const std::size_t start = line * hexdump_width;
    const lp::bytes row = data.slice(start, hexdump_width);
    if (line != 0) *out++ = '\n';
    out = fmt::format_to(out, "{:08x} ", start);
    for (std::size_t i = 0; i < hexdump_width; ++i) {
      if (i % 8 == 0) *out++ = ' ';
      out = i < row.size() ? fmt::format_to(out, "{:02x} ", row.u8(i)) : fmt::format_to(out, "   ");
    }
    *out++ = ' ';
    *out++ = '|';
    for (const std::byte b : row) {
      const auto c = static_cast<unsigned char>(b);
      *out++ = c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.';
    }
    *out++ = '|';
    const bool last = line + 1 == lines;
    bool first_label = true;
    for (const annotation& a : notes) {
      const bool here = (a.offset >= start && a.offset < start + hexdump_width) ||
                        (last && a.offset >= start + hexdump_width);
      if (!here) continue;
      out = put(out, first_label ? "  " : ", ");
      first_label = false;
      out = write_label(out, a);
    }
  }
  return out;
}

// Collects "path@range" labels of every leaf field for annotated_hexdump().
class label_collector final : public FieldVisitor {
 public:
  struct entry {
    std::size_t offset, length, label_begin, label_size;
  };

  explicit label_collector(lp::bytes whole) : whole_(whole) {}

  void on_unsigned(std::string_view name, std::uint64_t, lp::bytes where) override {
    leaf(name, where);
  }
  void on_signed(std::string_view name, std::int64_t, lp::bytes where) override {
    leaf(name, where);
  }
  void on_float(std::string_view name, double, lp::bytes where) override { leaf(name, where); }
  void on_enum(std::string_view name, std::uint64_t, std::string_view, lp::bytes where) override {
    leaf(name, where);
  }
  void on_bytes(std::string_view name, lp::bytes v) override { leaf(name, v); }
  void begin_struct(std::string_view name, std::string_view, lp::bytes) override {
    enter(name, false);
  }
  void end_struct() override { leave(); }
  // An array of numbers gets one label for all its bytes ("dst.octets@0-5");
  // an array of structs one per element field ("points[1].x@6-7").
  void begin_array(std::string_view name, std::size_t, lp::bytes where) override {
    enter(name, true);
    levels_.back().where = where;
  }
  void end_array() override {
    if (levels_.empty()) return;
    const level array = levels_.back();
    if (array.has_scalars) {
      const std::string name = prefix_;  // the array's own path, e.g. "dst.octets"
      add(array.where, name);
    }
    leave();
  }

  std::string labels;  // every label, back to back
  std::vector<entry> entries;

 private:
  struct level {
    std::size_t prefix_size;  // where this level's segment starts in prefix_
    bool is_array;
    std::size_t next_index;
    bool has_scalars = false;  // arrays: number elements seen (labelled as one range)
    lp::bytes where{};
  };

  // Appends this item's own segment ("name", ".name" or "[3]") to prefix_.
  void append_segment(std::string_view name) {
    if (!levels_.empty() && levels_.back().is_array && name.empty()) {
      prefix_ += fmt::format("[{}]", levels_.back().next_index++);
    } else {
      if (!prefix_.empty()) prefix_ += '.';
      prefix_ += name;
    }
  }
  void leaf(std::string_view name, lp::bytes where) {
    if (name.empty() && !levels_.empty() && levels_.back().is_array) {
      levels_.back().has_scalars = true;  // labelled once, by end_array()
      return;
    }
    const std::size_t keep = prefix_.size();
    append_segment(name);
    add(where, prefix_);
    prefix_.resize(keep);
  }
  void add(lp::bytes where, std::string_view label) {
    // `where` lies inside the view's bytes for any generated view; anything else is skipped.
    const auto* lo = whole_.data();
    if (where.data() != nullptr && lo != nullptr && where.data() >= lo &&
        where.data() + where.size() <= lo + whole_.size()) {
      entries.push_back(
          {static_cast<std::size_t>(where.data() - lo), where.size(), labels.size(), label.size()});
      labels += label;
    }
  }
  void enter(std::string_view name, bool is_array) {
    const std::size_t keep = prefix_.size();
    append_segment(name);
    levels_.push_back({keep, is_array, 0});
  }
  void leave() {
    if (levels_.empty()) return;
    prefix_.resize(levels_.back().prefix_size);
    levels_.pop_back();
  }

  lp::bytes whole_;
  std::string prefix_;
  std::vector<level> levels_;
};

}  // namespace detail

// The result of lp::json(view): format it with "{}".
template <view V>
struct json_object {
  V view;
};
template <view V>
json_object<V> json(const V& v) noexcept {
  return json_object<V>{v};
}

// The result of lp::hexdump(): refers to the bytes and the annotations.
struct hexdump_text {
  lp::bytes data;
  std::span<const annotation> annotations;
};
inline hexdump_text hexdump(lp::bytes data, std::span<const annotation> annotations = {}) noexcept {
  return hexdump_text{data, annotations};
}

// The result of lp::annotated_hexdump(): owns its labels (copyable), refers to the bytes.
class annotated_hexdump_text {
 public:
  annotated_hexdump_text(lp::bytes data, detail::label_collector&& c)
      : data_(data), labels_(std::move(c.labels)), entries_(std::move(c.entries)) {}

  lp::bytes data() const noexcept { return data_; }
  std::size_t size() const noexcept { return entries_.size(); }
  // Annotations whose labels point into this object: valid while it lives unchanged.
  std::vector<annotation> annotations() const {
    std::vector<annotation> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_) {
      out.push_back(
          {e.offset, e.length, std::string_view(labels_).substr(e.label_begin, e.label_size)});
    }
    return out;
  }

 private:
  lp::bytes data_;
  std::string labels_;
  std::vector<detail::label_collector::entry> entries_;
};

// Every leaf field's path ("ip.protocol", "samples[2]") beside its bytes;
// offsets count from view.bytes().
template <view V>
annotated_hexdump_text annotated_hexdump(const V& v) {
  detail::label_collector collector(v.bytes());
  v.visit(collector);
  return annotated_hexdump_text(v.bytes(), std::move(collector));
}

}  // namespace lp

// "de ad be ef": every byte, lower-case hex, space-separated.
template <>
struct fmt::formatter<lp::bytes> {
  constexpr auto parse(format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it != '}') throw fmt::format_error("lp::bytes: only {}");
    return it;
  }
  template <class FormatContext>
  auto format(lp::bytes b, FormatContext& ctx) const {
    return lp::detail::write_hex(ctx.out(), b, ' ', b.size());
  }
};

template <>
struct fmt::formatter<lp::mut_bytes> : fmt::formatter<lp::bytes> {
  template <class FormatContext>
  auto format(lp::mut_bytes b, FormatContext& ctx) const {
    return fmt::formatter<lp::bytes>::format(b, ctx);
  }
};

// Every generated flags type: "SYN|ACK" (libparse/flags.hpp).
template <class F>
struct fmt::formatter<F, char, std::enable_if_t<lp::flags_type<F>>>
    : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const F& f, FormatContext& ctx) const {
    return lp::write_flags(ctx.out(), f.raw(), F::names());
  }
};

// Every view: "{}" on one line, "{:t}" as a tree.
template <lp::view V>
struct fmt::formatter<V, char> {
  bool tree = false;

  constexpr auto parse(format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it == 't') {
      tree = true;
      ++it;
    }
    if (it != ctx.end() && *it != '}') throw fmt::format_error("libparse views: only {} and {:t}");
    return it;
  }

  template <class FormatContext>
  auto format(const V& v, FormatContext& ctx) const {
    auto out = ctx.out();
    if (tree) {
      const std::size_t n = v.bytes().size();
      out = fmt::format_to(out, "{} ({} byte{})", std::string_view(V::type_name), n,
                           n == 1 ? "" : "s");
      lp::detail::tree_writer<decltype(out)> w(out);
      v.visit(w);
      return w.out();
    }
    out = fmt::format_to(out, "{}{{", std::string_view(V::type_name));
    lp::detail::line_writer<decltype(out)> w(out);
    v.visit(w);
    out = w.out();
    *out++ = '}';
    return out;
  }
};

template <class V>
struct fmt::formatter<lp::json_object<V>, char> {
  constexpr auto parse(format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it != '}') throw fmt::format_error("lp::json: only {}");
    return it;
  }
  template <class FormatContext>
  auto format(const lp::json_object<V>& j, FormatContext& ctx) const {
    auto out = ctx.out();
    *out++ = '{';
    lp::detail::json_writer<decltype(out)> w(out);
    j.view.visit(w);
    out = w.out();
    *out++ = '}';
    return out;
  }
};

template <>
struct fmt::formatter<lp::hexdump_text> {
  constexpr auto parse(format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it != '}') throw fmt::format_error("lp::hexdump: only {}");
    return it;
  }
  template <class FormatContext>
  auto format(const lp::hexdump_text& h, FormatContext& ctx) const {
    return lp::detail::write_hexdump(ctx.out(), h.data, h.annotations);
  }
};

template <>
struct fmt::formatter<lp::annotated_hexdump_text> : fmt::formatter<lp::hexdump_text> {
  template <class FormatContext>
  auto format(const lp::annotated_hexdump_text& h, FormatContext& ctx) const {
    const std::vector<lp::annotation> notes = h.annotations();
    return lp::detail::write_hexdump(ctx.out(), h.data(), notes);
  }
};

template <>
struct fmt::formatter<lp::errc> : fmt::formatter<std::string_view> {
  auto format(lp::errc code, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(lp::to_string(code), ctx);
  }
};

// lp::Error::message(): "{}", or "{:x}" to print the values read in hex.
template <>
struct fmt::formatter<lp::Error> {
  bool hex = false;

  constexpr auto parse(format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it == 'x') {
      hex = true;
      ++it;
    }
    if (it != ctx.end() && *it != '}') throw fmt::format_error("lp::Error: only {} and {:x}");
    return it;
  }

  auto format(const lp::Error& e, format_context& ctx) const {
    return e.write_message(ctx.out(), hex);
  }
};

namespace lp {
// For iostream users and test frameworks (GoogleTest prints values with <<).
inline std::ostream& operator<<(std::ostream& out, const Error& error) {
  return out << error.message();
}
inline std::ostream& operator<<(std::ostream& out, errc code) { return out << to_string(code); }
}  // namespace lp
