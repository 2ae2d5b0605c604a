// The interpreter against a generated view on the same bytes: what the
// differential fuzz targets (fuzz/interp_fuzzer.cpp) and tests
// (tests/codegen/interp) require of it (issue 23).
//
// Same outcome: both accept or both reject. On rejection the same lp::Error
// message (code, byte and bit offset, path with indices, text, actual, needed)
// and path. On acceptance the same size, the same lp::json text, the same
// annotated hexdump (every leaf's path, value bytes and offsets, in visit
// order) and the same "{:t}" tree.
//
// A fuzz input holds the arguments of a parameterised type in its first bytes,
// taken as the generated fuzz kit takes them (take_arguments), and
// difference_on_input() runs both parsers on the rest, then verify_checksums()
// where the interpreter can check it.
//
// Cost: formats both results (allocates); for tests and fuzzing only. The
// text writers are lpc_interp's (AnyView), not instantiated here. Lifetime:
// nothing is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ast/ast.hpp"
#include "interp/interp.hpp"
#include "libparse/endian.hpp"
#include "libparse/visit.hpp"

namespace lpc::interp {

// "" when the two agree; otherwise what differs, with both sides.
template <class View>
std::string difference(const lp::Result<View>& generated, const lp::Result<Node>& interpreted) {
  const auto both = [](const char* what, const std::string& g, const std::string& i) {
    return fmt::format("{}\n  generated:   {}\n  interpreter: {}", what, g, i);
  };
  if (generated.has_value() != interpreted.has_value()) {
    return both("one accepts, the other rejects",
                generated ? std::string("accepted") : generated.error().message(),
                interpreted ? std::string("accepted") : interpreted.error().message());
  }
  if (!generated) {
    const std::string g = generated.error().message();
    const std::string i = interpreted.error().message();
    if (g != i) return both("different errors", g, i);
    if (generated.error().field_path() != interpreted.error().field_path()) {
      return both("different error paths", generated.error().field_path(),
                  interpreted.error().field_path());
    }
    return {};
  }
  if (generated->bytes().size() != interpreted->where.size()) {
    return both("different sizes", std::to_string(generated->bytes().size()),
                std::to_string(interpreted->where.size()));
  }
  // Both through the same writers (AnyView), compiled once in lpc_interp.
  const AnyView view = AnyView::of(*generated);
  const std::string g = to_json(view);
  const std::string i = to_json(*interpreted);
  if (g != i) return both("different JSON", g, i);
  const std::string gh = to_hexdump(view);
  const std::string ih = to_hexdump(*interpreted);
  if (gh != ih) return both("different annotated hexdumps", gh, ih);
  const std::string gt = to_tree(view);
  const std::string it = to_tree(*interpreted);
  if (gt != it) return both("different trees", gt, it);
  return {};
}

// The arguments of `decl`'s parameters from the first bytes of `input`, which
// moves past them, as the generated fuzz kit takes them (emit_fuzzer.cpp,
// emit_arguments; as FuzzedDataProvider does): each parameter from the fewest
// bytes that hold its type, most significant first, missing bytes zero, cut to
// its width and sign-extended when signed; an `endian` parameter from one byte
// (bit 0: 0 big, 1 little). Nothing for a struct without parameters.
inline std::vector<Argument> take_arguments(const ast::StructDecl& decl, lp::bytes& input) {
  std::vector<Argument> out;
  for (const ast::Param& p : decl.params) {
    const auto* type = p.is_endian ? nullptr : &std::get<ast::NamedType>(p.type->node);
    const unsigned bits = type == nullptr ? 1 : type->bits;
    const bool is_signed = type != nullptr && type->is_signed;
    const unsigned bytes = (bits + 7) / 8;
    std::uint64_t value = 0;
    for (unsigned i = 0; i < bytes; ++i) {
      value = (value << 8) | (i < input.size() ? input.u8(i) : 0U);
    }
    input = input.subspan(bytes);  // clamped: an input too short for them is empty after
    if (bits < 64) {
      const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
      value &= mask;
      if (is_signed && ((value >> (bits - 1)) & 1) != 0) value |= ~mask;
    }
    out.push_back({p.name, value, is_signed && static_cast<std::int64_t>(value) < 0});
  }
  return out;
}

namespace detail {

// An Argument as the C++ type of a generated parse() parameter.
template <class T>
T argument_as(const Argument& a) {
  if constexpr (std::is_same_v<T, lp::byte_order>) {
    return a.value != 0 ? lp::byte_order::little : lp::byte_order::big;
  } else {
    return static_cast<T>(a.value);
  }
}

// Type::parse(buffer, parameters..., options): the parameters are what the
// function pointer's type lists between the buffer and the options.
template <class Result, class... Params, std::size_t... I>
Result call_parse(Result (*parse)(lp::bytes, Params...), lp::bytes buffer,
                  std::span<const Argument> args, const lp::ParseOptions& options,
                  std::index_sequence<I...> /*parameters*/) {
  using Types = std::tuple<std::remove_cvref_t<Params>...>;
  if (args.size() != sizeof...(I)) {
    throw std::invalid_argument(
        fmt::format("{} arguments for {} parameters", args.size(), sizeof...(I)));
  }
  return parse(buffer, argument_as<std::tuple_element_t<I, Types>>(args[I])..., options);
}

}  // namespace detail

// The generated Type::parse() (Type: `net::Ipv4` or `net::Ipv4View`) with
// `args` in its parameters' order, each converted to its parameter's C++ type.
template <class Type>
auto parse_generated(lp::bytes buffer, std::span<const Argument> args,
                     const lp::ParseOptions& options = {}) {
  return []<class Result, class... Params>(Result (*parse)(lp::bytes, Params...), lp::bytes b,
                                           std::span<const Argument> a, const lp::ParseOptions& o) {
    // The last parameter is the ParseOptions.
    return detail::call_parse(parse, b, a, o, std::make_index_sequence<sizeof...(Params) - 1>());
  }(&Type::parse, buffer, args, options);
}

// What an lp::ParseOptions::on_error handler is called with, one line per call:
// the level's type name, its field and the error as it stands there.
struct ErrorTrace {
  std::vector<std::string> calls;
  static void record(void* context, std::string_view type_name, std::string_view field,
                     const lp::Error& error) {
    static_cast<ErrorTrace*>(context)->calls.push_back(
        fmt::format("{} {}: {}", type_name, field, error.message()));
  }
};

// One differential fuzz input through both parsers: the arguments of `decl`
// (the struct Type was generated from) from its first bytes (take_arguments),
// the rest parsed by Type::parse() and by `interpreter` with `options`. When
// both reject it, the error handler (ParseOptions::on_error) must be called by
// both with the same levels, fields and errors, innermost first. When both
// accept and the view has verify_checksums() without a pseudo-header,
// verify_checksums() against the interpreter's own verification. "" when they
// agree; otherwise what differs (difference()).
template <class Type>
std::string difference_on_input(const Interpreter& interpreter, const ast::StructDecl& decl,
                                lp::bytes input, const lp::ParseOptions& options = {}) {
  const std::vector<Argument> args = take_arguments(decl, input);
  const auto generated = parse_generated<Type>(input, args, options);
  std::string diff = difference(generated, interpreter.parse(decl, input, args, options));
  if (!diff.empty()) return diff;
  if (!generated) {
    ErrorTrace generated_calls;
    ErrorTrace interpreter_calls;
    lp::ParseOptions traced = options;
    traced.on_error = &ErrorTrace::record;
    traced.on_error_context = &generated_calls;
    (void)parse_generated<Type>(input, args, traced);
    traced.on_error_context = &interpreter_calls;
    (void)interpreter.parse(decl, input, args, traced);
    if (generated_calls.calls != interpreter_calls.calls) {
      return fmt::format("on_error calls: generated [{}], interpreter [{}]",
                         fmt::join(generated_calls.calls, " | "),
                         fmt::join(interpreter_calls.calls, " | "));
    }
    return diff;
  }
  using View = std::remove_cvref_t<decltype(*generated)>;
  if constexpr (requires(const View& v) { v.verify_checksums(); }) {
    if (interpreter.unsupported(decl, true).empty()) {
      lp::Result<View> verified = generated;
      if (const lp::Status s = generated->verify_checksums(); !s) verified = s.error();
      diff = difference(verified, interpreter.parse(decl, input, args, options, true));
      if (!diff.empty()) return "with verify_checksums(): " + diff;
    }
  }
  return diff;
}

}  // namespace lpc::interp
