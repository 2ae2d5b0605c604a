// Types: builtin integers and floats, varints, declared enums, flags and structs
// (names.cpp looks them up), and the arguments passed to a struct type.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "ast/overloaded.hpp"
#include "sema/checker.hpp"

namespace lpc::sema {
namespace {

// `varint`, `zigzag`, `quicvarint`: builtin variable-size integers.
bool resolve_varint(ast::NamedType& t) {
  const std::string& n = t.parts[0];
  if (n == "varint") {
    t.varint = ast::VarintKind::leb128;
  } else if (n == "zigzag") {
    t.varint = ast::VarintKind::zigzag;
    t.is_signed = true;
  } else if (n == "quicvarint") {
    t.varint = ast::VarintKind::quic;
  } else {
    return false;
  }
  t.is_builtin = true;
  t.bits = 64;
  return true;
}

}  // namespace

std::string format_value(const Value& v) {
  return v.is_negative() ? fmt::format("{}", v.as_signed()) : fmt::format("{}", v.bits);
}

// Recognises u1..u64, i2..i64, f32, f64 with an optional le/be suffix. `error`
// explains names that look like a builtin but are not one (u65, i1, u4be).
std::optional<Builtin> parse_builtin(std::string_view s, std::string& error) {
  if (s.size() < 2 || (s[0] != 'u' && s[0] != 'i' && s[0] != 'f')) return std::nullopt;
  Builtin b;
  std::string_view digits = s.substr(1);
  if (digits.ends_with("le") || digits.ends_with("be")) {
    b.order = digits.ends_with("le") ? ast::ByteOrder::little : ast::ByteOrder::big;
    digits.remove_suffix(2);
  }
  if (digits.empty() || digits[0] == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (digits.size() > 3) digits = "999";
  unsigned bits = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), bits);
  b.bits = bits;
  b.is_signed = s[0] == 'i';
  b.is_float = s[0] == 'f';
  if (b.is_float && bits != 32 && bits != 64) {
    error = fmt::format("'{}' is not a type: floats are f32 or f64", s);
    return std::nullopt;
  }
  if (!b.is_float && (bits > 64 || (b.is_signed && bits < 2))) {
    error = fmt::format("'{}' is not a type: {} integers are {} to 64 bits wide", s,
                        b.is_signed ? "signed" : "unsigned", b.is_signed ? 2 : 1);
    return std::nullopt;
  }
  if (b.order && (bits % 8 != 0 || bits == 8)) {
    error = fmt::format("'{}': only multi-byte types (16, 24, ... 64 bits) have a byte order", s);
    return std::nullopt;
  }
  return b;
}

std::string_view field_kind(const ast::Field& f) {
  return std::visit(Overloaded{
                        [](const ast::NamedType& n) -> std::string_view {
                          if (n.struct_decl != nullptr) return "a struct field";
                          if (n.is_float) return "a float field";
                          return "a number";
                        },
                        [](const ast::BytesType&) -> std::string_view { return "a bytes field"; },
                        [](const ast::ArrayType&) -> std::string_view { return "an array"; },
                        [](const ast::SwitchType&) -> std::string_view { return "a switch"; },
                    },
                    f.type->node);
}

bool is_numeric_field(const ast::Field& f) {
  const auto* n = std::get_if<ast::NamedType>(&f.type->node);
  return n != nullptr && n->struct_decl == nullptr && !n->is_float && n->bits != 0;
}

bool Checker::resolve_named(const ast::Module& from, ast::NamedType& t, SourceRange range) {
  const std::string spelled = join(t.parts);
  if (t.parts.size() == 1) {
    if (resolve_varint(t)) return true;
    std::string error;
    if (auto b = parse_builtin(t.parts[0], error)) {
      t.is_builtin = true;
      t.is_signed = b->is_signed;
      t.is_float = b->is_float;
      t.bits = b->bits;
      t.explicit_order = b->order;
      return true;
    }
    if (!error.empty()) {
      diags_.error(range, error);
      return false;
    }
  }
  const DeclRef* d = lookup(from, t.parts, t.parts.size(), range);
  if (d == nullptr || d->constant != nullptr) {
    std::vector<std::string> candidates = visible_names(from, true, false);
    for (const char* b : {"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64"}) {
      candidates.emplace_back(b);
    }
    diags_.error(range,
                 d == nullptr ? fmt::format("unknown type '{}'", spelled)
                              : fmt::format("'{}' is a constant, not a type", spelled),
                 did_you_mean(t.parts.back(), candidates));
    return false;
  }
  if (d->structure != nullptr) {
    t.struct_decl = d->structure;
    return true;
  }
  if (d->flags != nullptr) return resolve_flags_type(*d->flags, t);
  ast::EnumDecl& e = *d->enumeration;
  t.enum_decl = &e;
  if (!resolve_enum_base(e)) return false;
  const auto& base = std::get<ast::NamedType>(e.base->node);
  t.bits = base.bits;
  t.is_signed = false;
  t.explicit_order = base.explicit_order;
  return true;
}

// Arguments passed to a struct type: arity, and integer vs byte order.
void Checker::check_arguments(ExprContext ctx, ast::NamedType& named, SourceRange range) {
  if (named.struct_decl == nullptr) {
    if (named.has_arguments) {
      diags_.error(named.arguments_range,
                   fmt::format("'{}' takes no arguments", join(named.parts)));
    }
    return;
  }
  const ast::StructDecl& target = *named.struct_decl;
  std::string signature;
  for (const ast::Param& p : target.params) {
    signature += fmt::format("{}{}", signature.empty() ? "" : ", ", p.range.text());
  }
  if (!named.has_arguments) {
    if (!target.params.empty()) {
      diags_.error(
          range,
          fmt::format("struct '{}' takes {} argument{} ({})", target.name, target.params.size(),
                      target.params.size() == 1 ? "" : "s", signature),
          fmt::format("pass them: '{}(...)'", join(named.parts)));
    }
    return;
  }
  if (named.arguments.size() != target.params.size()) {
    diags_.error(named.arguments_range,
                 target.params.empty()
                     ? fmt::format("struct '{}' takes no arguments", target.name)
                     : fmt::format("struct '{}' takes {} argument{} ({}), got {}", target.name,
                                   target.params.size(), target.params.size() == 1 ? "" : "s",
                                   signature, named.arguments.size()));
    return;
  }
  ctx.what = "argument";
  ctx.endian_allowed = true;
  for (std::size_t i = 0; i < named.arguments.size(); ++i) {
    ast::Expr& arg = *named.arguments[i];
    const ast::Param& param = target.params[i];
    if (const auto* ref = std::get_if<ast::NameRef>(&arg.node); ref && ref->carried) continue;
    if (!resolve_expr(ctx, arg)) continue;
    const ExprKind kind = expr_kind(arg);
    if (kind == ExprKind::error) continue;
    if ((kind == ExprKind::endian) != param.is_endian) {
      diags_.error(arg.range,
                   fmt::format("argument '{}' of '{}' is {}; this is {}", param.name, target.name,
                               param.is_endian ? "a byte order" : "an integer",
                               kind == ExprKind::endian ? "a byte order" : "an integer"));
      continue;
    }
    if (param.is_endian) continue;
    check_fits_param(arg, param, "argument");
  }
}

// A constant `e` that cannot fit parameter `param`.
void Checker::check_fits_param(const ast::Expr& e, const ast::Param& param, std::string_view what) {
  const EvalResult r = evaluate_constant(e);
  if (r.status == EvalStatus::overflow) {
    diags_.error(e.range, "arithmetic overflow in constant expression");
    return;
  }
  const auto& type = std::get<ast::NamedType>(param.type->node);
  if (r.status != EvalStatus::ok || type.bits == 0) return;
  const ValueRange fits = value_range(type);
  if (compare(r.value, fits.min) < 0 || compare(r.value, fits.max) > 0) {
    diags_.error(e.range, fmt::format("{} {} does not fit parameter '{}' ({}..{})", what,
                                      format_value(r.value), param.range.text(),
                                      format_value(fits.min), format_value(fits.max)));
  }
}

}  // namespace lpc::sema
