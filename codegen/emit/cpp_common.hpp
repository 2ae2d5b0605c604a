// What both C++ emitters (views in StructEmitter, struct_emitter.hpp; serializers
// in emit_builder.cpp) need: C++ spellings of schema names and literals,
// schema-line comments, and ExprWriter, which lowers a schema expression to
// lp::checked arithmetic over the locals the generated function holds.
#pragma once

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ast/ast.hpp"
#include "ast/queries.hpp"
#include "sema/eval.hpp"

namespace lpc::emit {

// ------------------------------------------------------------ small helpers

inline std::string int_type(unsigned bits, bool is_signed) {
  const unsigned width = bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 32 ? 32 : 64;
  return fmt::format("std::{}int{}_t", is_signed ? "" : "u", width);
}

inline std::string camel(std::string_view name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// A C++ string literal; whitespace runs (multi-line expressions) become one space.
inline std::string cpp_string(std::string_view text) {
  std::string out = "\"";
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Arbitrary bytes as a C++ string literal: printable ASCII as is, anything else as
// a three-digit octal escape (which, unlike \x, cannot swallow a following digit).
inline std::string cpp_bytes_literal(std::string_view bytes) {
  std::string out = "\"";
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u >= 0x20 && u < 0x7f && c != '?') {
      out += c;
    } else {
      out += fmt::format("\\{:03o}", u);
    }
  }
  return out + "\"";
}

inline std::string expr_text(const ast::Expr& e) { return cpp_string(e.range.text()); }

inline std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// The project's .clang-format ColumnLimit: short definitions, statements and
// table initializers are laid out to it, as clang-format would.
inline constexpr std::size_t kColumnLimit = 100;

// A signature written over two lines ("f(\n    args) {") joined into one when
// that fits in 100 columns, as clang-format would.
inline std::string one_line_if_it_fits(const std::string& signature) {
  const std::size_t open = signature.find("(\n");
  if (open == std::string::npos) return signature;
  const std::size_t args = signature.find_first_not_of(' ', open + 2);
  std::string joined = signature.substr(0, open + 1) + signature.substr(args);
  return joined.find('\n') == std::string::npos && joined.size() <= kColumnLimit ? joined
                                                                                 : signature;
}

// Schema text for a one-line `//` comment: every run of whitespace, line breaks
// included, becomes one space (a `let` written over several lines).
inline std::string one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// `// net/ipv4.lps:12: ihl: u4 where ihl >= 5;`
inline std::string schema_comment(SourceRange range) {
  if (range.file == nullptr) return "//";
  const auto lc = range.file->line_col(range.begin);
  return fmt::format("// {}:{}: {}", range.file->display_path, lc.line,
                     trim(range.file->line_text(lc.line)));
}

// `///` doc comments, one per line, at `indent`.
inline std::string doc_comment(const std::string& doc, std::string_view indent) {
  std::string out;
  std::size_t start = 0;
  while (!doc.empty() && start <= doc.size()) {
    const std::size_t nl = doc.find('\n', start);
    const std::string_view line = std::string_view(doc).substr(
        start, nl == std::string::npos ? std::string::npos : nl - start);
    out += fmt::format("{}///{}{}\n", indent, line.empty() ? "" : " ", trim(line));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

inline std::string namespace_of(const ast::Module& m) {
  std::string out;
  for (const auto& p : m.package) out += (out.empty() ? "" : "::") + p;
  return out;
}

// `Name` inside the same package, `::pkg::Name` from another one.
inline std::string qualify(const ast::Module* owner, const ast::Module& current,
                           const std::string& name) {
  if (owner == nullptr || owner->package == current.package) return name;
  return "::" + namespace_of(*owner) + "::" + name;
}

inline std::string offset_expr(const std::string& segment, std::uint64_t bytes) {
  if (segment.empty()) return std::to_string(bytes);
  if (bytes == 0) return segment;
  return fmt::format("{} + {}", segment, bytes);
}

inline std::string pointer(const std::string& base, const std::string& offset) {
  return offset == "0" ? base : fmt::format("{} + {}", base, offset);
}

inline std::string literal(std::uint64_t v) {
  return v > 0x7fffffffffffffffULL ? fmt::format("{}u", v) : std::to_string(v);
}

inline std::string element_tag(const ast::NamedType& t, std::optional<ast::ByteOrder> order) {
  const unsigned bits = t.bits;
  const char kind = t.is_float ? 'f' : (t.is_signed ? 'i' : 'u');
  if (bits == 8) return fmt::format("lp::{}8", kind);
  return fmt::format("lp::{}_{}{}", order == ast::ByteOrder::little ? "le" : "be", kind, bits);
}

// ------------------------------------------------------------ expressions

// `text_<name>`: the lp::bytes local parse() keeps of a field compared with a
// string literal (a cstring without its NUL).
inline std::string text_local_name(const ast::Field& f) { return "text_" + f.name; }
// `elements_<name>`, `byte_size_<name>`: count(name) and size(name) in parse().
inline std::string element_count_local_name(const ast::Field& f) { return "elements_" + f.name; }
inline std::string byte_size_local_name(const ast::Field& f) { return "byte_size_" + f.name; }

// Lowers an expression to lp::checked arithmetic; `local` names field values.
class ExprWriter {
 public:
  ExprWriter(const ast::Module& module, std::string (*local)(const ast::Field&))
      : module_(module), local_(local) {}

  // The checked value of `e` (lp::cu64, or lp::ci64 when the expression is signed).
  std::string write(const ast::Expr& e) const { return write(e, sema::is_signed_expression(e)); }

  // Where parse() is when the next expressions are evaluated (a byte offset
  // expression): `remaining` is the buffer's size minus that.
  void set_position(std::string position) { position_ = std::move(position); }

  std::string write(const ast::Expr& e, bool is_signed) const {
    if (const auto* lit = std::get_if<ast::IntLiteral>(&e.node)) {
      if (is_signed && lit->value > 0x7fffffffffffffffULL) {
        return fmt::format("lp::to_signed(lp::cu64{{{}}})", literal(lit->value));
      }
      return fmt::format("lp::{}{{{}}}", is_signed ? "ci64" : "cu64", literal(lit->value));
    }
    if (const auto* ref = std::get_if<ast::NameRef>(&e.node)) return name(*ref, is_signed);
    if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
      const char* op = u->op == ast::UnaryOp::negate    ? "-"
                       : u->op == ast::UnaryOp::bit_not ? "~"
                                                        : "!";
      return fmt::format("{}{}", op, write(*u->operand, is_signed));
    }
    if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
      if (auto text = text_comparison(*b, is_signed)) return *text;
      const std::string l = write(*b->lhs, is_signed);
      const std::string r = write(*b->rhs, is_signed);
      if (b->op == ast::BinaryOp::logical_and) return fmt::format("lp::land({}, {})", l, r);
      if (b->op == ast::BinaryOp::logical_or) return fmt::format("lp::lor({}, {})", l, r);
      return fmt::format("({} {} {})", l, binary_op(b->op), r);
    }
    const auto& c = std::get<ast::Conditional>(e.node);
    return fmt::format("lp::select({}, {}, {})", write(*c.condition, is_signed),
                       write(*c.if_true, is_signed), write(*c.if_false, is_signed));
  }

 private:
  static const char* binary_op(ast::BinaryOp op) {
    switch (op) {
      case ast::BinaryOp::mul:
        return "*";
      case ast::BinaryOp::div:
        return "/";
      case ast::BinaryOp::mod:
        return "%";
      case ast::BinaryOp::add:
        return "+";
      case ast::BinaryOp::sub:
        return "-";
      case ast::BinaryOp::shl:
        return "<<";
      case ast::BinaryOp::shr:
        return ">>";
      case ast::BinaryOp::lt:
        return "<";
      case ast::BinaryOp::le:
        return "<=";
      case ast::BinaryOp::gt:
        return ">";
      case ast::BinaryOp::ge:
        return ">=";
      case ast::BinaryOp::eq:
        return "==";
      case ast::BinaryOp::ne:
        return "!=";
      case ast::BinaryOp::bit_and:
        return "&";
      case ast::BinaryOp::bit_xor:
        return "^";
      case ast::BinaryOp::bit_or:
        return "|";
      case ast::BinaryOp::logical_and:
        return "&&";
      case ast::BinaryOp::logical_or:
        return "||";
    }
    return "?";
  }

  // `name == "MQTT"`: the field's bytes (parse()'s local `text_name`) against the
  // literal's; nullopt for any other binary expression.
  static std::optional<std::string> text_comparison(const ast::Binary& b, bool is_signed) {
    const auto text = ast::text_comparison(b);
    if (!text) return std::nullopt;
    const std::string& literal = text->literal->value;
    const std::string v = fmt::format(
        "lp::cu64{{{} {} lp::bytes({}, {}) ? 1u : 0u}}", text_local_name(*text->field),
        b.op == ast::BinaryOp::eq ? "==" : "!=", cpp_bytes_literal(literal), literal.size());
    return is_signed ? fmt::format("lp::to_signed({})", v) : v;
  }

  // A raw local as a checked value of the expression's mode.
  static std::string wrap(const std::string& v, bool raw_signed, bool is_signed) {
    if (raw_signed) return fmt::format("lp::ci64{{{}}}", v);
    return is_signed ? fmt::format("lp::to_signed(lp::cu64{{{}}})", v)
                     : fmt::format("lp::cu64{{{}}}", v);
  }

  // `let` values, parameters and byte-order literals: parse()'s locals `let_x`
  // and `param_x`. Byte orders are numbers here: lp::byte_order (big 0, little 1).
  std::optional<std::string> structure_name(const ast::NameRef& ref, bool is_signed) const {
    if (ref.order_literal) {
      return wrap(fmt::format("static_cast<std::uint64_t>(lp::byte_order::{})",
                              *ref.order_literal == ast::ByteOrder::big ? "big" : "little"),
                  false, is_signed);
    }
    if (ref.let != nullptr) {
      const std::string v = "let_" + ref.let->name;
      if (ref.let->is_endian) {
        return wrap(fmt::format("static_cast<std::uint64_t>({})", v), false, is_signed);
      }
      return wrap(v, ref.let->is_signed, is_signed);
    }
    if (ref.param != nullptr) {
      const std::string v = "param_" + ref.param->name;
      if (ref.param->is_endian) {
        return wrap(fmt::format("static_cast<std::uint64_t>({})", v), false, is_signed);
      }
      return wrap(v, std::get<ast::NamedType>(ref.param->type->node).is_signed, is_signed);
    }
    return std::nullopt;
  }

  std::string name(const ast::NameRef& ref, bool is_signed) const {
    if (auto v = structure_name(ref, is_signed)) return *v;
    if (ref.measured_field != nullptr) {  // count(x), size(x)
      return wrap(ref.measure == ast::Measure::count ? element_count_local_name(*ref.measured_field)
                                                     : byte_size_local_name(*ref.measured_field),
                  false, is_signed);
    }
    if (ref.remaining) {
      // parse() checked that the position is inside the buffer: no underflow.
      return wrap(position_ == "0" ? std::string("size") : fmt::format("size - ({})", position_),
                  false, is_signed);
    }
    if (ref.element_type != nullptr) return element_name(ref, is_signed);
    if (ref.carried != nullptr) {  // a `carry`'s value: the local `carried_<field>`
      return wrap("carried_" + ref.carried->field,
                  std::get<ast::NamedType>(ref.carried->param->type->node).is_signed, is_signed);
    }
    if (ref.field != nullptr) {
      const auto& t = std::get<ast::NamedType>(ref.field->type->node);
      const std::string v = local_(*ref.field);
      if (t.is_signed) return fmt::format("lp::ci64{{{}}}", v);
      return is_signed ? fmt::format("lp::to_signed(lp::cu64{{{}}})", v)
                       : fmt::format("lp::cu64{{{}}}", v);
    }
    if (ref.constant != nullptr) {
      const std::string n = qualify(ref.constant->module, module_, ref.constant->name);
      if (ref.constant->resolved_is_negative) return fmt::format("lp::ci64{{{}}}", n);
      return is_signed ? fmt::format("lp::to_signed(lp::cu64{{{}}})", n)
                       : fmt::format("lp::cu64{{{}}}", n);
    }
    if (ref.flags_decl != nullptr) {  // a flag's mask
      const std::string n =
          fmt::format("static_cast<std::uint64_t>({}::{})",
                      qualify(ref.flags_decl->module, module_, ref.flags_decl->name),
                      ref.flags_decl->members[ref.flags_member_index].name);
      return is_signed ? fmt::format("lp::to_signed(lp::cu64{{{}}})", n)
                       : fmt::format("lp::cu64{{{}}}", n);
    }
    const auto& member = ref.enum_decl->members[ref.enum_member_index];
    const std::string n =
        fmt::format("static_cast<std::uint64_t>({}::{})",
                    qualify(ref.enum_decl->module, module_, ref.enum_decl->name), member.name);
    return is_signed ? fmt::format("lp::to_signed(lp::cu64{{{}}})", n)
                     : fmt::format("lp::cu64{{{}}}", n);
  }

  // `it` / `it.kind` in an `until` condition: the element read by the loop that
  // parse() runs over the array (a local `it`: a scalar value or a view).
  static std::string element_name(const ast::NameRef& ref, bool is_signed) {
    if (ref.element_let != nullptr) {  // `it.number` in a `carry`: the let's accessor
      return wrap(fmt::format("it.{}()", ref.element_let->name), ref.element_let->is_signed,
                  is_signed);
    }
    const ast::NamedType& t = ref.element_field != nullptr
                                  ? std::get<ast::NamedType>(ref.element_field->type->node)
                                  : *ref.element_type;
    const std::string v = ref.element_field != nullptr
                              ? fmt::format("it.{}()", ref.element_field->name)
                              : std::string("it");
    if (t.is_signed) return fmt::format("lp::ci64{{{}}}", v);
    const std::string u = fmt::format("lp::cu64{{static_cast<std::uint64_t>({})}}", v);
    return is_signed ? fmt::format("lp::to_signed({})", u) : u;
  }

  const ast::Module& module_;
  std::string (*local_)(const ast::Field&);
  std::string position_ = "0";
};

// `f_<name>`: the local a generated function keeps a field's value in.
inline std::string local_name(const ast::Field& f) { return "f_" + f.name; }

using ast::each_name;

}  // namespace lpc::emit
