// The bodies of the entry points every generated struct has: the members that
// libparse/view_base.hpp's bases declare (parse(), parse_nested(),
// parse_partial(), fail_(), the Mut's and the wrapper's parse(), the serialize()
// family), and the function templates they call, with the truncation errors'
// table. They differ from one struct to the next only in names, so they are
// written once here (docs/internals/contract.md).
//
// Only generated code includes this header: the source file net/x.lp.cpp, which
// instantiates the bases of its structs once (`template class
// lp::view_base<net::UdpView>;`), or, with `lpc --header-only`, the header. A
// translation unit that includes a generated header sees the declarations only,
// so it compiles a call to parse(), not the parse_into() chain beneath it.
//
// Cost: what the generated code spelled out before; each body inlines the
// struct's parse_into() or serialize_to() where it is instantiated. No
// allocation except serialize_to_vector()'s vector.
//
// `Params...` are a parameterized struct's parameters, in declaration order:
// parse_into(), parse(), serialize_to() take them after the buffer or value.
#pragma once

#include <array>
#include <cstddef>
#include <memory>  // a `carry` array's serializer re-reads elements from scratch memory
#include <new>
#include <string_view>
#include <utility>
#include <vector>

#include "libparse/bytes.hpp"
#include "libparse/checksum.hpp"
#include "libparse/error.hpp"
#include "libparse/options.hpp"
#include "libparse/partial.hpp"
#include "libparse/view_base.hpp"
#include "libparse/writer.hpp"

namespace lp {

// fail_(): every error leaving a struct passes here. The error handler sees it at
// this level, then the path gets the struct's type name.
[[gnu::cold]] inline Error report_error(Error error, std::string_view type_name,
                                        std::string_view field,
                                        const ParseOptions& options) noexcept {
  if (options.on_error != nullptr) {
    options.on_error(options.on_error_context, type_name, field, error);
  }
  error.push_outer(type_name);
  return error;
}

// A field of a struct's run of fixed-size members (a segment): its name, where
// it starts, and where it ends (the run's end for the last one).
struct fixed_field {
  std::string_view name;
  std::size_t offset;
  unsigned bit;
  std::size_t end;
};

// truncated_in_segmentK_(): the field holding the first missing byte when only
// `have` bytes of the run are there (have < the last field's end).
template <std::size_t N>
constexpr const fixed_field& first_missing(const std::array<fixed_field, N>& fields,
                                           std::size_t have) noexcept {
  for (const fixed_field& field : fields) {
    if (have < field.end) return field;
  }
  return fields.back();
}

namespace detail {
// The lp::Result parse_in_place() fills: its view built as view_for_parse()
// builds one (bytes.hpp), in place. Returned as a prvalue: no copy.
template <class View>
Result<View> for_parse_result() noexcept {
  if constexpr (has_for_parse<View>) {
    return Result<View>(std::in_place, for_parse);
  } else {
    return Result<View>(std::in_place);
  }
}
}  // namespace detail

// parse_nested(): View::parse_into() straight into the lp::Result, which is
// then returned on both paths without a copy.
template <class View, class... Params>
Result<View> parse_in_place(bytes buffer, const ParseOptions& options, std::size_t depth,
                            Params... params) noexcept {
  Result<View> result = detail::for_parse_result<View>();
  const Status status = View::parse_into(*result, buffer, params..., options, depth);
  if (!status) [[unlikely]]
    result = status.error();
  return result;
}

// parse_partial(): parse_into() a view that keeps what it read before an error.
template <class View, class... Params>
Partial<View> parse_partial_in_place(bytes buffer, const ParseOptions& options,
                                     Params... params) noexcept {
  View view;
  const Status status = View::parse_into(view, buffer, params..., options, 0);
  return Partial<View>(view, status);
}

// The Mut's parse(): the view's, over a buffer known to be mutable.
template <class Mut, class View>
Result<Mut> mut_of(const Result<View>& view) noexcept {
  if (!view) return view.error();
  return Mut(unchecked, *view);
}

// serialize(value, buffer): Type::serialize_to() into `buffer`, then what
// Type::View::parse() makes of the bytes written (check_serialized()).
// `pseudo_header` is null for a struct without a pseudo-header checksum.
template <class Type, class... Params>
Result<std::size_t> serialize_checked(const typename Type::Value& value, mut_bytes buffer,
                                      const InternetChecksum* pseudo_header,
                                      Params... params) noexcept {
  Writer out(buffer);
  if (const Status written = Type::serialize_to(out, value, params..., pseudo_header); !written) {
    return written.error();
  }
  return check_serialized(
      Type::View::parse(bytes(out.written()), params..., ParseOptions::unlimited()), out.size());
}

// serialized_size(value): serialize_to() into a counting writer.
template <class Type, class... Params>
Result<std::size_t> serialized_size_of(const typename Type::Value& value,
                                       const InternetChecksum* pseudo_header,
                                       Params... params) noexcept {
  Writer out;  // counting
  if (const Status written = Type::serialize_to(out, value, params..., pseudo_header); !written) {
    return written.error();
  }
  return out.size();
}

// serialize(value): into a vector of exactly serialized_size() bytes.
template <class Type, class... Params>
Result<std::vector<std::byte>> serialize_to_vector(const typename Type::Value& value,
                                                   const InternetChecksum* pseudo_header,
                                                   Params... params) {
  const Result<std::size_t> size = serialized_size_of<Type>(value, pseudo_header, params...);
  if (!size) return size.error();
  std::vector<std::byte> buffer(*size);
  const Result<std::size_t> written =
      serialize_checked<Type>(value, mut_bytes(buffer), pseudo_header, params...);
  if (!written) return written.error();
  return buffer;
}

// ------------------------------------------------------------------------------
// The bases' entry points (libparse/view_base.hpp).

template <class View, class... Params>
Result<View> view_base<View, Params...>::parse(lp::bytes buffer, Params... params,
                                               const ParseOptions& options) noexcept {
  return parse_nested(buffer, params..., options, 0);
}

template <class View, class... Params>
Result<View> view_base<View, Params...>::parse_nested(lp::bytes buffer, Params... params,
                                                      const ParseOptions& options,
                                                      std::size_t depth) noexcept {
  return parse_in_place<View>(buffer, options, depth, params...);
}

template <class View, class... Params>
Partial<View> view_base<View, Params...>::parse_partial(lp::bytes buffer, Params... params,
                                                        const ParseOptions& options) noexcept {
  return parse_partial_in_place<View>(buffer, options, params...);
}

template <class View, class... Params>
Error view_base<View, Params...>::fail_(Error error, std::string_view field,
                                        const ParseOptions& options) noexcept {
  return report_error(std::move(error), View::type_name, field, options);
}

template <class Mut, class View, class... Params>
Result<Mut> mut_base<Mut, View, Params...>::parse(lp::mut_bytes buffer, Params... params,
                                                  const ParseOptions& options) noexcept {
  return mut_of<Mut>(View::parse(buffer, params..., options));
}

template <class ViewType, class MutType, class... Params>
Result<ViewType> type_base<ViewType, MutType, Params...>::parse(
    lp::bytes buffer, Params... params, const ParseOptions& options) noexcept {
  return View::parse(buffer, params..., options);
}

template <class ViewType, class MutType, class... Params>
Result<MutType> type_base<ViewType, MutType, Params...>::parse_mut(
    lp::mut_bytes buffer, Params... params, const ParseOptions& options) noexcept {
  return Mut::parse(buffer, params..., options);
}

template <class Type, class ValueType, class... Params>
Result<std::size_t> serializer_base<Type, ValueType, Params...>::serialize(
    const Value& value, lp::mut_bytes buffer, Params... params) noexcept {
  return serialize_checked<Type>(value, buffer, nullptr, params...);
}

template <class Type, class ValueType, class... Params>
Result<std::vector<std::byte>> serializer_base<Type, ValueType, Params...>::serialize(
    const Value& value, Params... params) {
  return serialize_to_vector<Type>(value, nullptr, params...);
}

template <class Type, class ValueType, class... Params>
Result<std::size_t> serializer_base<Type, ValueType, Params...>::serialized_size(
    const Value& value, Params... params) noexcept {
  return serialized_size_of<Type>(value, nullptr, params...);
}

template <class Type, class ValueType, class... Params>
Result<std::size_t> pseudo_serializer_base<Type, ValueType, Params...>::serialize(
    const Value& value, lp::mut_bytes buffer, Params... params,
    const InternetChecksum& pseudo_header) noexcept {
  return serialize_checked<Type>(value, buffer, &pseudo_header, params...);
}

template <class Type, class ValueType, class... Params>
Result<std::vector<std::byte>> pseudo_serializer_base<Type, ValueType, Params...>::serialize(
    const Value& value, Params... params, const InternetChecksum& pseudo_header) {
  return serialize_to_vector<Type>(value, &pseudo_header, params...);
}

template <class Type, class ValueType, class... Params>
Result<std::size_t> pseudo_serializer_base<Type, ValueType, Params...>::serialized_size(
    const Value& value, Params... params, const InternetChecksum& pseudo_header) noexcept {
  return serialized_size_of<Type>(value, &pseudo_header, params...);
}

}  // namespace lp
