// lpdump's output writers. The protocol walk (walk.hpp) reports each frame as
// a sequence of calls: layer(name), then fields (scalars, addresses, strings,
// lists), an error if one stopped it; each writer turns that into one format:
//
//   JsonWriter  one JSON object per frame, keys `<layer>.<field>` as the
//               corpus README's "Output schema" has them (layer instances after
//               the first are `<layer>#2.` ...), then "layers";
//   TreeWriter  an indented, readable tree, one block per frame, flag words
//               decoded bit by bit as tshark -V shows them (flag_words.hpp);
//   ChainWriter nothing but the layer chain (--stats, the filter).
//
// Cost: every writer appends to a fmt::memory_buffer the caller owns and reuses
// from frame to frame, so a frame costs no heap allocation once the buffer has
// grown to the largest frame's output. JsonWriter is the hot path of --json:
// its per-field calls are defined here, inline, so that the walk's literal
// field names become fixed-size copies, and each call reserves room once and
// writes through a pointer (numbers and addresses are formatted by hand, not
// through fmt's format-string machinery). They are always_inline: the
// compiler's size heuristics otherwise keep them out of line, and the field
// name's length stops being a constant.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "flag_words.hpp"
#include "libparse/bytes.hpp"
#include "libparse/error.hpp"
#include "libparse/format.hpp"

namespace lpdump {

// The protocols a frame's chain can hold (the corpus README's layer names).
enum class Layer : std::uint8_t { eth, vlan, arp, ip, ipv6, tcp, udp, icmp, icmpv6, dns, tls };
inline constexpr std::array<std::string_view, 11> layer_names{
    "eth", "vlan", "arp", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "dns", "tls"};
constexpr std::string_view name_of(Layer layer) noexcept {
  return layer_names[static_cast<std::size_t>(layer)];
}
// A set of layers, one bit per Layer.
using LayerMask = std::uint16_t;
constexpr LayerMask bit_of(Layer layer) noexcept {
  return static_cast<LayerMask>(1u << static_cast<unsigned>(layer));
}

// The protocols of a frame, outermost first, with their instance numbers.
class LayerChain {
 public:
  static constexpr std::size_t max_layers = 16;

  void clear() noexcept {
    size_ = 0;
    mask_ = 0;
  }
  // Appends `layer` and returns its instance number in the frame (1, 2, ...); a
  // chain longer than max_layers keeps its first layers (the count goes on).
  unsigned push(Layer layer) noexcept {
    unsigned instance = 1;
    if ((mask_ & bit_of(layer)) != 0) {
      for (std::size_t i = 0; i < size_; ++i) instance += layers_[i] == layer ? 1 : 0;
    }
    mask_ |= bit_of(layer);
    if (size_ < max_layers) layers_[size_++] = layer;
    return instance;
  }
  bool contains(Layer layer) const noexcept { return (mask_ & bit_of(layer)) != 0; }
  // Every layer of the frame, each once.
  LayerMask mask() const noexcept { return mask_; }
  std::size_t size() const noexcept { return size_; }
  Layer layer(std::size_t i) const noexcept { return layers_[i]; }
  std::string_view operator[](std::size_t i) const noexcept { return name_of(layers_[i]); }

 private:
  std::array<Layer, max_layers> layers_{};
  std::size_t size_ = 0;
  LayerMask mask_ = 0;
};

// The value formats written through a raw pointer into room the caller has
// reserved; each returns the end of what it wrote.
namespace raw {
// The room each needs (a few may write scratch bytes past their text).
inline constexpr std::size_t max_uint = 20;  // digits of a u64
inline constexpr std::size_t max_ipv4 = 16;  // 255.255.255.255 and a scratch '.'
inline constexpr std::size_t max_ipv6 = 39;  // eight groups of four
// '-', u64 seconds, '.', the nanoseconds (write_uint's room: max_uint each).
inline constexpr std::size_t max_epoch = 2 + 2 * max_uint;
char* write_uint_long(char* p, std::uint64_t value) noexcept;
// Most numbers of a frame are below 100 (versions, lengths, flags, TTLs...):
// those are written inline.
[[gnu::always_inline]] inline char* write_uint(char* p, std::uint64_t value) noexcept {
  if (value < 10) {
    *p = static_cast<char>('0' + value);
    return p + 1;
  }
  if (value < 100) {
    p[0] = static_cast<char>('0' + value / 10);
    p[1] = static_cast<char>('0' + value % 10);
    return p + 2;
  }
  return write_uint_long(p, value);
}
char* write_mac(char* p, lp::bytes octets) noexcept;  // room: 3 * size bytes
char* write_ipv4(char* p, lp::bytes octets) noexcept;
char* write_ipv6(char* p, lp::bytes octets) noexcept;
char* write_epoch(char* p, std::uint64_t seconds, std::uint32_t nanoseconds) noexcept;

// Appends to any fmt::basic_memory_buffer through `write`, given room for `most` bytes.
template <class Buffer, class Write>
void append(Buffer& out, std::size_t most, Write&& write) {
  const std::size_t size = out.size();
  out.resize(size + most);
  const char* end = write(out.data() + size);
  out.resize(static_cast<std::size_t>(end - out.data()));
}
}  // namespace raw

// Value formats shared by the writers, appended to any fmt::basic_memory_buffer.
template <class Buffer>
void append_mac(Buffer& out, lp::bytes octets) {  // 00:1b:21:3a:4f:10 (any length)
  raw::append(out, 3 * octets.size(), [&](char* p) { return raw::write_mac(p, octets); });
}
template <class Buffer>
void append_ipv4(Buffer& out, lp::bytes octets) {  // dotted quad
  raw::append(out, raw::max_ipv4, [&](char* p) { return raw::write_ipv4(p, octets); });
}
template <class Buffer>
void append_ipv6(Buffer& out, lp::bytes octets) {  // RFC 5952
  raw::append(out, raw::max_ipv6, [&](char* p) { return raw::write_ipv6(p, octets); });
}
template <class Buffer>
void append_uint(Buffer& out, std::uint64_t value) {
  raw::append(out, raw::max_uint, [&](char* p) { return raw::write_uint(p, value); });
}
// "<seconds>.<nine digits>", tshark's frame.time_epoch.
template <class Buffer>
void append_epoch(Buffer& out, std::uint64_t seconds, std::uint32_t nanoseconds) {
  raw::append(out, raw::max_epoch,
              [&](char* p) { return raw::write_epoch(p, seconds, nanoseconds); });
}
using Append = void (*)(fmt::memory_buffer&, lp::bytes);

// The calls every writer takes (the walk is a template over the writer).
class JsonWriter {
 public:
  static constexpr bool wants_values = true;
  explicit JsonWriter(fmt::memory_buffer& out) noexcept : out_(out) {}

  void begin_frame() {
    chain_.clear();
    set_prefix({}, 1);
    first_ = true;
    has_error_ = false;
    out_.push_back('{');
  }
  void end_frame();
  // frame.* fields: a key prefix that is not part of the chain. `name` is at
  // most max_prefix_name characters (longer names are cut).
  void section(std::string_view name) { set_prefix(name, 1); }
  void layer(Layer layer);
  const LayerChain& chain() const noexcept { return chain_; }
  bool has_error() const noexcept { return has_error_; }

  [[gnu::always_inline]] void u(std::string_view field, std::uint64_t value) {
    char* p = key(field, raw::max_uint);
    commit(raw::write_uint(p, value));
  }
  // A flag word is its number here (the tree decodes it).
  [[gnu::always_inline]] void flags(std::string_view field, std::uint64_t value, FlagWord) {
    u(field, value);
  }
  [[gnu::always_inline]] void str(std::string_view field, std::string_view text) {
    commit(key(field, 0));
    lp::append_json_string(out_, text);  // the project's one JSON string rule
  }
  [[gnu::always_inline]] void epoch(std::string_view field, std::uint64_t seconds,
                                    std::uint32_t nanoseconds) {
    char* p = key(field, raw::max_epoch + 2);
    *p++ = '"';
    p = raw::write_epoch(p, seconds, nanoseconds);
    *p++ = '"';
    commit(p);
  }
  [[gnu::always_inline]] void mac(std::string_view field, lp::bytes octets) {
    char* p = key(field, 3 * octets.size() + 2);
    *p++ = '"';
    p = raw::write_mac(p, octets);
    *p++ = '"';
    commit(p);
  }
  [[gnu::always_inline]] void ipv4(std::string_view field, lp::bytes octets) {
    char* p = key(field, raw::max_ipv4 + 2);
    *p++ = '"';
    p = raw::write_ipv4(p, octets);
    *p++ = '"';
    commit(p);
  }
  [[gnu::always_inline]] void ipv6(std::string_view field, lp::bytes octets) {
    char* p = key(field, raw::max_ipv6 + 2);
    *p++ = '"';
    p = raw::write_ipv6(p, octets);
    *p++ = '"';
    commit(p);
  }

  [[gnu::always_inline]] void begin_list(std::string_view field) {
    char* p = key(field, 1);
    *p++ = '[';
    commit(p);
    first_item_ = true;
  }
  [[gnu::always_inline]] void
  begin_item_list() {  // a list as an item of the current list (DNS TXT data)
    char* p = item_room(1);
    *p++ = '[';
    commit(p);
    first_item_ = true;
  }
  [[gnu::always_inline]] void item(std::uint64_t value) {
    commit(raw::write_uint(item_room(raw::max_uint), value));
  }
  [[gnu::always_inline]] void item_str(std::string_view text) {
    commit(item_room(0));
    lp::append_json_string(out_, text);
  }
  [[gnu::always_inline]] void item_null() {
    char* p = item_room(4);
    std::memcpy(p, "null", 4);
    commit(p + 4);
  }
  [[gnu::always_inline]] void end_list() {
    out_.push_back(']');
    first_item_ = false;  // an inner list is an item of the outer one
  }

  void error(const lp::Error& error);

  static constexpr std::size_t max_prefix_name = 20;

 private:
  // '"', the name, "#NN", '.': the bytes before a key's field name.
  static constexpr std::size_t prefix_capacity = 32;
  static_assert(max_prefix_name + 5 <= prefix_capacity);

  void set_prefix(std::string_view name, unsigned instance) noexcept;
  // Room for n more bytes; the buffer grows only when it has less.
  [[gnu::always_inline]] char* room(std::size_t n) {
    if (out_.capacity() - out_.size() < n) [[unlikely]]
      out_.reserve(out_.size() + n);
    return out_.data() + out_.size();
  }
  // Ends a write through room(): the bytes up to `end` are the buffer's.
  [[gnu::always_inline]] void commit(const char* end) noexcept {
    out_.resize(static_cast<std::size_t>(end - out_.data()));
  }
  // Writes ',' (but before the first member), the key and ':', and returns
  // where the value goes, with room for `value` bytes there.
  [[gnu::always_inline]] char* key(std::string_view field, std::size_t value) {
    char* p = room(1 + prefix_capacity + field.size() + 2 + value);
    *p = ',';
    p += first_ ? 0 : 1;
    first_ = false;
    // All of prefix_ (a fixed-size copy), of which prefix_size_ bytes count.
    std::memcpy(p, prefix_.data(), prefix_capacity);
    p += prefix_size_;
    std::memcpy(p, field.data(), field.size());
    p += field.size();
    std::memcpy(p, "\":", 2);
    return p + 2;
  }
  // ',' before every item but the first; room for `value` bytes after it.
  [[gnu::always_inline]] char* item_room(std::size_t value) {
    char* p = room(1 + value);
    *p = ',';
    p += first_item_ ? 0 : 1;
    first_item_ = false;
    return p;
  }

  fmt::memory_buffer& out_;
  LayerChain chain_;
  std::array<char, prefix_capacity> prefix_{};
  std::size_t prefix_size_ = 0;
  bool first_ = true;       // no member written yet in the object
  bool first_item_ = true;  // no item written yet in the list
  bool has_error_ = false;  // only the first error of a frame is kept
};

class TreeWriter {
 public:
  static constexpr bool wants_values = true;
  explicit TreeWriter(fmt::memory_buffer& out) noexcept : out_(out) {}

  void begin_frame() noexcept;
  void end_frame();
  void section(std::string_view name);
  void layer(Layer layer);
  const LayerChain& chain() const noexcept { return chain_; }
  bool has_error() const noexcept { return has_error_; }

  void u(std::string_view field, std::uint64_t value);
  // The value, then its bit fields one per line, as tshark -V shows them.
  void flags(std::string_view field, std::uint64_t value, FlagWord word);
  void str(std::string_view field, std::string_view text);
  void epoch(std::string_view field, std::uint64_t seconds, std::uint32_t nanoseconds);
  void mac(std::string_view field, lp::bytes octets);
  void ipv4(std::string_view field, lp::bytes octets);
  void ipv6(std::string_view field, lp::bytes octets);

  void begin_list(std::string_view field);
  void begin_item_list();  // a list as an item of the current list (DNS TXT data)
  void item(std::uint64_t value);
  void item_str(std::string_view text);
  void item_null();
  void end_list();

  void error(const lp::Error& error);

 private:
  void key(std::string_view field);
  void next_item();
  void address(std::string_view field, lp::bytes octets, Append append);

  fmt::memory_buffer& out_;
  LayerChain chain_;
  bool first_item_ = true;
  bool nested_ = false;  // inside a begin_item_list()
  bool has_error_ = false;
};

// Keeps the chain and whether an error was reported; writes nothing.
class ChainWriter {
 public:
  // The walk skips work whose only product is text or lists (DNS records, TLS
  // handshakes, TCP and IPv4 options): it reports the chain and the errors.
  static constexpr bool wants_values = false;
  void begin_frame() noexcept {
    chain_.clear();
    has_error_ = false;
  }
  void end_frame() noexcept {}
  void section(std::string_view) noexcept {}
  void layer(Layer layer) noexcept { chain_.push(layer); }
  const LayerChain& chain() const noexcept { return chain_; }
  bool has_error() const noexcept { return has_error_; }

  void u(std::string_view, std::uint64_t) noexcept {}
  void flags(std::string_view, std::uint64_t, FlagWord) noexcept {}
  void str(std::string_view, std::string_view) noexcept {}
  void epoch(std::string_view, std::uint64_t, std::uint32_t) noexcept {}
  void mac(std::string_view, lp::bytes) noexcept {}
  void ipv4(std::string_view, lp::bytes) noexcept {}
  void ipv6(std::string_view, lp::bytes) noexcept {}
  void begin_list(std::string_view) noexcept {}
  void begin_item_list() noexcept {}
  void item(std::uint64_t) noexcept {}
  void item_str(std::string_view) noexcept {}
  void item_null() noexcept {}
  void end_list() noexcept {}
  void error(const lp::Error&) noexcept { has_error_ = true; }

 private:
  LayerChain chain_;
  bool has_error_ = false;
};

}  // namespace lpdump
