// The bases of the classes lpc generates for a struct Foo: lp::view_base
// (FooView), lp::mut_base (FooMut), lp::type_base and lp::serializer_base (the
// wrapper Foo). They hold what differs from one struct to the next only in
// names: the parse entry points, field_named()/field_rank(), bytes()/size(),
// the view's pointer and size, the Mut's constructors and write access, the
// wrapper's View/Mut/Value and its serialize() family. The generated class holds
// what is specific to its schema (docs/internals/contract.md).
//
// Cost: nothing at run time. The bases are empty, but for view_base's two words
// (the data_ and size_ every view had); the inline members are one load each.
// The entry points (parse(), parse_nested(), parse_partial(), the Mut's and the
// wrapper's parse(), serialize(), fail_()) are only declared here: their bodies
// are in libparse/entry_points.hpp, which the generated source file (net/x.lp.cpp)
// includes and instantiates once per struct (`template class
// lp::view_base<net::UdpView>;`). A translation unit that includes a generated
// header therefore compiles a call, not the parse_into() chain under parse()
// (docs/performance.md, "Compile time: a source file per schema"). With
// `lpc --header-only` the header includes entry_points.hpp and the compiler
// instantiates them where they are called.
//
// Lifetime: a view, and so a Mut, points into the caller's buffer and never
// owns it: the buffer must outlive every view of it.
//
// A parameterised struct (`struct Llc(length: u16)`) passes its parameters'
// types after its own: lp::view_base<LlcView, std::uint16_t>; parse() then
// takes them after the buffer, as the schema lists them.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "libparse/bytes.hpp"
#include "libparse/checksum.hpp"
#include "libparse/error.hpp"
#include "libparse/options.hpp"
#include "libparse/partial.hpp"

namespace lp {

// A view of a fixed-size struct: FooView::fixed_size, and a constructor over
// bytes known to hold one (the elements of a validated array).
template <class View>
concept fixed_size_view = requires {
  View::fixed_size;
};

// FooView's base. `View` is FooView (complete when a member is used), with
// `type_name`, `Field`, `members_` and `parse_into()`.
template <class View, class... Params>
class view_base {
 public:
  view_base() = default;  // an empty view: size() == 0
  // Over bytes known to hold a valid struct of a fixed size (`using
  // view_base::view_base;` in FooView makes it FooView's). A template, so that
  // the constraint is checked where it is called, FooView complete.
  template <fixed_size_view V = View>
  view_base(unchecked_t, lp::bytes buffer) noexcept : data_(buffer.data()), size_(V::fixed_size) {}

  // parse(): validates the whole struct once, or says which field failed.
  static Result<View> parse(lp::bytes buffer, Params... params,
                            const ParseOptions& options = {}) noexcept;
  // parse() as a parent calls it: `depth` levels below the outermost struct.
  static Result<View> parse_nested(lp::bytes buffer, Params... params, const ParseOptions& options,
                                   std::size_t depth) noexcept;
  // parse() that keeps what it read before an error (lp::Partial).
  static Partial<View> parse_partial(lp::bytes buffer, Params... params,
                                     const ParseOptions& options = {}) noexcept;

  // The Field named `name`: lp::optional_value<Field>, empty for names that are
  // no Field (`_`, pads, alignment, unknown names).
  static constexpr auto field_named(std::string_view name) noexcept {
    return lp::field_named<typename View::Field>(View::members_, name);
  }
  // How many Fields come before the member named `name` (lp::Partial).
  static constexpr std::size_t field_rank(std::string_view name) noexcept {
    return lp::field_rank(View::members_, name);
  }

  lp::bytes bytes() const noexcept { return lp::bytes(data_, size_); }  // exactly this struct
  std::size_t size() const noexcept { return size_; }

 protected:
  // Every error leaving the struct passes here: options.on_error sees it, then
  // its path gets the struct's type name.
  [[gnu::cold]] static Error fail_(Error error, std::string_view field,
                                   const ParseOptions& options) noexcept;

  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

// FooMut's base, and through it FooView: the Mut is the view over memory known to
// be mutable. `using mut_base::mut_base;` in FooMut makes the constructors its own.
template <class Mut, class View, class... Params>
class mut_base : public View {
 public:
  mut_base() = default;
  // Over a view whose buffer came in as lp::mut_bytes.
  mut_base(unchecked_t, const View& view) noexcept : View(view) {}
  // Over mutable bytes known to hold a valid struct of a fixed size.
  template <fixed_size_view V = View>
  mut_base(unchecked_t, lp::mut_bytes buffer) noexcept : View(unchecked, lp::bytes(buffer)) {}

  // View::parse() over mutable memory (hides the view's).
  static Result<Mut> parse(lp::mut_bytes buffer, Params... params,
                           const ParseOptions& options = {}) noexcept;

  lp::mut_bytes mut_bytes() const noexcept { return writable_(this->bytes()); }

 protected:
  // The buffer came in as lp::mut_bytes, so writing through it is allowed.
  std::byte* mut_data_() const noexcept { return const_cast<std::byte*>(this->data_); }
  static lp::mut_bytes writable_(lp::bytes b) noexcept {
    return lp::mut_bytes(const_cast<std::byte*>(b.data()), b.size());
  }
};

// The wrapper Foo's base: the type as a whole, for generic code.
template <class ViewType, class MutType, class... Params>
struct type_base {
  using View = ViewType;
  using Mut = MutType;
  static Result<View> parse(lp::bytes buffer, Params... params,
                            const ParseOptions& options = {}) noexcept;
  static Result<Mut> parse_mut(lp::mut_bytes buffer, Params... params,
                               const ParseOptions& options = {}) noexcept;
};

// The wrapper's second base when the struct has a serializer: `Type` is Foo,
// whose serialize_to() writes a FooValue; these check and size what it writes.
template <class Type, class ValueType, class... Params>
struct serializer_base {
  using Value = ValueType;
  // Writes `value` into `buffer`, then parses what it wrote: the bytes written.
  static Result<std::size_t> serialize(const Value& value, lp::mut_bytes buffer,
                                       Params... params) noexcept;
  // Into a vector of exactly serialized_size() bytes.
  static Result<std::vector<std::byte>> serialize(const Value& value, Params... params);
  static Result<std::size_t> serialized_size(const Value& value, Params... params) noexcept;
};

// serializer_base, plus the same three with the pseudo-header sum of a checksum
// (lp::ipv4_pseudo_header(), ...): what a struct with a `pseudo` checksum has.
template <class Type, class ValueType, class... Params>
struct pseudo_serializer_base : serializer_base<Type, ValueType, Params...> {
  using Value = ValueType;
  using serializer_base<Type, ValueType, Params...>::serialize;
  using serializer_base<Type, ValueType, Params...>::serialized_size;
  static Result<std::size_t> serialize(const Value& value, lp::mut_bytes buffer, Params... params,
                                       const InternetChecksum& pseudo_header) noexcept;
  static Result<std::vector<std::byte>> serialize(const Value& value, Params... params,
                                                  const InternetChecksum& pseudo_header);
  static Result<std::size_t> serialized_size(const Value& value, Params... params,
                                             const InternetChecksum& pseudo_header) noexcept;
};

}  // namespace lp
