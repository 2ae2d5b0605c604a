// lpdump's output writers. The protocol walk (walk.hpp) reports each frame as
// a sequence of calls: layer(name), then fields (scalars, addresses, strings,
// lists), an error if one stopped it; each writer turns that into one format:
//
//   JsonWriter  one JSON object per frame, keys `<layer>.<field>` as the
//               corpus README's "Output schema" has them (layer instances after
//               the first are `<layer>#2.` ...), then "layers";
//   TreeWriter  an indented, readable tree, one block per frame;
//   ChainWriter nothing but the layer chain (--stats, the filter).
//
// Cost: every writer appends to a fmt::memory_buffer the caller owns and reuses
// from frame to frame, so a frame costs no heap allocation once the buffer has
// grown to the largest frame's output.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "libparse/bytes.hpp"
#include "libparse/error.hpp"

namespace lpdump {

// The protocols of a frame, outermost first, with their instance numbers.
class LayerChain {
 public:
  static constexpr std::size_t max_layers = 16;

  void clear() noexcept { size_ = 0; }
  // Appends `name` and returns its instance number in the frame (1, 2, ...); a
  // chain longer than max_layers keeps its first layers.
  unsigned push(std::string_view name) noexcept;
  bool contains(std::string_view name) const noexcept;
  std::size_t size() const noexcept { return size_; }
  std::string_view operator[](std::size_t i) const noexcept { return names_[i]; }

 private:
  std::array<std::string_view, max_layers> names_{};
  std::size_t size_ = 0;
};

// Value formats shared by the writers.
void append_mac(fmt::memory_buffer& out, lp::bytes octets);   // 00:1b:21:3a:4f:10 (any length)
void append_ipv4(fmt::memory_buffer& out, lp::bytes octets);  // dotted quad
void append_ipv6(fmt::memory_buffer& out, lp::bytes octets);  // RFC 5952
// A JSON string literal with its quotes; control characters and bytes that are
// not UTF-8 are \u escapes.
void append_json_string(fmt::memory_buffer& out, std::string_view text);
using Append = void (*)(fmt::memory_buffer&, lp::bytes);

// The calls every writer takes (the walk is a template over the writer).
class JsonWriter {
 public:
  static constexpr bool wants_values = true;
  explicit JsonWriter(fmt::memory_buffer& out) noexcept : out_(out) {}

  void begin_frame() noexcept;
  void end_frame();
  // frame.* fields: a key prefix that is not part of the chain.
  void section(std::string_view name);
  void layer(std::string_view name);
  const LayerChain& chain() const noexcept { return chain_; }
  bool has_error() const noexcept { return has_error_; }

  void u(std::string_view field, std::uint64_t value);
  void str(std::string_view field, std::string_view text);
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
  void comma();
  void address(std::string_view field, lp::bytes octets, Append append);

  fmt::memory_buffer& out_;
  LayerChain chain_;
  std::string_view prefix_;
  unsigned instance_ = 1;
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
  void layer(std::string_view name);
  const LayerChain& chain() const noexcept { return chain_; }
  bool has_error() const noexcept { return has_error_; }

  void u(std::string_view field, std::uint64_t value);
  void str(std::string_view field, std::string_view text);
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
  // The walk skips work whose only product is text (DNS names, formatted rdata).
  static constexpr bool wants_values = false;
  void begin_frame() noexcept {
    chain_.clear();
    has_error_ = false;
  }
  void end_frame() noexcept {}
  void section(std::string_view) noexcept {}
  void layer(std::string_view name) noexcept { chain_.push(name); }
  const LayerChain& chain() const noexcept { return chain_; }
  bool has_error() const noexcept { return has_error_; }

  void u(std::string_view, std::uint64_t) noexcept {}
  void str(std::string_view, std::string_view) noexcept {}
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
