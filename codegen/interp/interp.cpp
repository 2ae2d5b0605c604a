// The interpreter (interp.hpp). Each function mirrors the emitter function that
// writes the same step of a generated parse_into() (codegen/emit/emit_parse.cpp),
// named in its comment, so that a change there shows where to follow here.
#include "interp/interp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "ast/queries.hpp"
#include "emit/cpp_common.hpp"
#include "libparse/bits.hpp"
#include "libparse/checksum.hpp"
#include "libparse/endian.hpp"
#include "libparse/format.hpp"
#include "libparse/varint.hpp"
#include "sema/eval.hpp"

namespace lpc::interp {

namespace {

using layout::MemberKind;
using layout::MemberLayout;
using layout::StructLayout;

// A value of lp::checked<T> arithmetic: nullopt is a failed (overflowed) value.
using Checked = std::optional<std::uint64_t>;

// One binary operator of lp::checked<T> (libparse/checked.hpp), T being
// std::uint64_t or std::int64_t; the result's bits as std::uint64_t.
template <class T>
Checked binary_op(ast::BinaryOp op, T a, T b) {
  constexpr bool is_signed = std::is_signed_v<T>;
  constexpr T min = std::numeric_limits<T>::min();
  const auto out = [](T v) -> Checked { return static_cast<std::uint64_t>(v); };
  const auto negative = [](T v) {
    if constexpr (is_signed) {
      return v < 0;
    } else {
      static_cast<void>(v);
      return false;
    }
  };
  // Division by zero and, signed, INT64_MIN / -1.
  const bool bad_division = b == 0 || (is_signed && a == min && b == static_cast<T>(-1));
  T r{};
  switch (op) {
    case ast::BinaryOp::mul:
      if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
      return out(r);
    case ast::BinaryOp::div:
      if (bad_division) return std::nullopt;
      return out(a / b);
    case ast::BinaryOp::mod:
      if (bad_division) return std::nullopt;
      return out(a % b);
    case ast::BinaryOp::add:
      if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
      return out(r);
    case ast::BinaryOp::sub:
      if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
      return out(r);
    case ast::BinaryOp::shl: {
      // Bits shifted out, a negative operand or a result above T's maximum fail.
      if (negative(b) || b >= 64 || negative(a)) return std::nullopt;
      const auto ua = static_cast<std::uint64_t>(a);
      const auto shift = static_cast<unsigned>(b);
      const std::uint64_t u = ua << shift;
      if ((u >> shift) != ua || u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        return std::nullopt;
      }
      return u;
    }
    case ast::BinaryOp::shr:
      if (negative(b) || b >= 64) return std::nullopt;
      return out(static_cast<T>(a >> static_cast<unsigned>(b)));
    case ast::BinaryOp::lt:
      return a < b ? 1 : 0;
    case ast::BinaryOp::le:
      return a <= b ? 1 : 0;
    case ast::BinaryOp::gt:
      return a > b ? 1 : 0;
    case ast::BinaryOp::ge:
      return a >= b ? 1 : 0;
    case ast::BinaryOp::eq:
      return a == b ? 1 : 0;
    case ast::BinaryOp::ne:
      return a != b ? 1 : 0;
    case ast::BinaryOp::bit_and:
      return out(static_cast<T>(a & b));
    case ast::BinaryOp::bit_xor:
      return out(static_cast<T>(a ^ b));
    case ast::BinaryOp::bit_or:
      return out(static_cast<T>(a | b));
    case ast::BinaryOp::logical_and:
    case ast::BinaryOp::logical_or:
      break;  // short-circuit: evaluated by the caller
  }
  return std::nullopt;
}

// A value of the schema (field, let, parameter) as its raw 64 bits and sign.
struct Raw {
  std::uint64_t bits = 0;
  bool is_signed = false;
};

// lp::checked's conversions when a raw value enters an expression of a mode
// (ExprWriter::wrap): unsigned into signed fails above INT64_MAX; a signed value
// in an unsigned expression cannot occur (it makes the expression signed).
Checked enter(Raw v, bool signed_mode) {
  if (v.is_signed || !signed_mode) return v.bits;
  if (v.bits > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  return v.bits;
}

std::string location_of(const SourceRange& range) {
  if (range.file == nullptr) return "?";
  return fmt::format("{}:{}", range.file->display_path, range.file->line_col(range.begin).line);
}

lp::bytes sub(lp::bytes b, std::size_t offset, std::size_t length) {
  return lp::bytes(b.data() + offset, length);
}

}  // namespace

// What parse_struct() hands back: the node, the size, and the field values an
// `until` condition reads through `it.name` (and the lets a `carry` reads).
struct Interpreter::Parsed {
  Node node;
  std::size_t size = 0;
  std::map<const ast::Field*, Raw> values;
  std::map<const ast::Let*, Raw> lets;
};

// One parse_into() call in progress.
struct Interpreter::Frame {
  Frame(const Interpreter& interpreter, const ast::StructDecl& d, lp::bytes b,
        std::vector<std::uint64_t> p, const lp::ParseOptions& o, std::size_t level, Parsed& result)
      : in(interpreter),
        decl(d),
        layout(interpreter.plan_.layout().of(d)),
        plan(interpreter.plan_.of(d)),
        buffer(b),
        params(std::move(p)),
        options(o),
        depth(level),
        out(result) {}

  const Interpreter& in;
  const ast::StructDecl& decl;
  const StructLayout& layout;
  const plan::StructPlan& plan;
  lp::bytes buffer;
  std::vector<std::uint64_t> params;  // by declaration order
  const lp::ParseOptions& options;
  std::size_t depth;
  Parsed& out;

  std::size_t pos = 0;       // where the current segment starts
  std::size_t position = 0;  // what `remaining` counts from (ExprWriter::set_position)
  std::map<const ast::Let*, Raw> lets;
  std::vector<std::size_t> starts;  // each member's start offset, once parsed
  // `it` inside an until condition: the element just read.
  const Parsed* element = nullptr;
  Raw element_scalar;
  Raw carried;  // a `carry`'s next value: what the element just read was given
  // What expressions read of bytes, string, cstring and array fields once they
  // are read (emit_parse_member's locals text_x, elements_x, byte_size_x): the
  // bytes a string comparison reads, count(x) and size(x).
  std::map<const ast::Field*, lp::bytes> texts;
  std::map<const ast::Field*, std::uint64_t> counts;
  std::map<const ast::Field*, std::uint64_t> sizes;
  std::size_t stored_count = 0;  // the elements counted_array() read last
  bool absent = false;           // the member just parsed is an optional field left out

  std::size_t size() const { return buffer.size(); }
  std::size_t index_of(const MemberLayout& m) const {
    return static_cast<std::size_t>(&m - layout.members.data());
  }
  std::string_view name_of(const MemberLayout& m) const { return plan.path_names[index_of(m)]; }
  std::size_t offset_of(const MemberLayout& m) const {
    return (m.segment == 0 ? 0 : pos) + static_cast<std::size_t>(m.bit_offset / 8);
  }

  // fail_() (lp::report_error): every error leaving the struct passes here with
  // the member of this struct it concerns. The error handler sees it at this
  // level, then the path gets the struct's type name.
  lp::Error fail(lp::Error error, std::string_view field) const {
    if (options.on_error != nullptr) {
      options.on_error(options.on_error_context, decl.name, field, error);
    }
    error.push_outer(decl.name);
    return error;
  }

  // ---------------------------------------------------------- expressions

  Raw param_value(const ast::Param& p) const {
    for (std::size_t i = 0; i < decl.params.size(); ++i) {
      if (&decl.params[i] != &p) continue;
      if (p.is_endian) return {params[i], false};
      return {params[i], std::get<ast::NamedType>(p.type->node).is_signed};
    }
    throw std::logic_error("interp: a parameter of another struct");
  }

  Checked name(const ast::NameRef& ref, bool signed_mode) const {
    if (ref.order_literal) return *ref.order_literal == ast::ByteOrder::big ? 0 : 1;
    if (ref.let != nullptr) return enter(lets.at(ref.let), signed_mode);
    if (ref.param != nullptr) return enter(param_value(*ref.param), signed_mode);
    if (ref.measured_field != nullptr) return enter({measure(ref), false}, signed_mode);
    if (ref.remaining) return enter({size() - position, false}, signed_mode);
    if (ref.carried != nullptr) return enter(carried, signed_mode);
    if (ref.element_let != nullptr) return enter(element->lets.at(ref.element_let), signed_mode);
    if (ref.element_type != nullptr) {
      if (ref.element_field == nullptr) return enter(element_scalar, signed_mode);
      const auto it = element->values.find(ref.element_field);
      return enter(it == element->values.end() ? Raw{} : it->second, signed_mode);
    }
    if (ref.field != nullptr) {
      const auto it = out.values.find(ref.field);  // absent optional fields read 0
      return enter(it == out.values.end() ? Raw{} : it->second, signed_mode);
    }
    if (ref.constant != nullptr) {
      if (ref.constant->resolved_is_negative) {
        return static_cast<std::uint64_t>(ref.constant->resolved_signed);
      }
      return enter({ref.constant->resolved_value, false}, signed_mode);
    }
    if (ref.flags_decl != nullptr) {
      const auto bit = ref.flags_decl->members[ref.flags_member_index].resolved_value;
      return enter({std::uint64_t{1} << bit, false}, signed_mode);
    }
    if (ref.enum_decl != nullptr) {
      return enter({ref.enum_decl->members[ref.enum_member_index].resolved_value, false},
                   signed_mode);
    }
    throw std::logic_error("interp: an unresolved name");
  }

  // count(x) / size(x): recorded when x was read (sema: x precedes the expression).
  std::uint64_t measure(const ast::NameRef& ref) const {
    const auto& recorded = ref.measure == ast::Measure::count ? counts : sizes;
    return recorded.at(ref.measured_field);
  }

  // `name == "MQTT"` / `name != "MQTT"` (ExprWriter::text_comparison): the
  // field's text against the literal's bytes, 1 or 0; nullopt for any other
  // binary expression.
  std::optional<std::uint64_t> text_comparison(const ast::Binary& b) const {
    const auto text = ast::text_comparison(b);
    if (!text) return std::nullopt;
    const bool equal = same_bytes(texts.at(text->field), text->literal->value);
    return (b.op == ast::BinaryOp::eq) == equal ? 1 : 0;
  }

  static bool same_bytes(lp::bytes text, std::string_view literal) {
    return text.size() == literal.size() &&
           (literal.empty() || std::memcmp(text.data(), literal.data(), literal.size()) == 0);
  }

  Checked eval(const ast::Expr& e, bool signed_mode) const {
    if (const auto* lit = std::get_if<ast::IntLiteral>(&e.node)) {
      return enter({lit->value, false}, signed_mode);
    }
    if (const auto* ref = std::get_if<ast::NameRef>(&e.node)) return name(*ref, signed_mode);
    if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
      const Checked v = eval(*u->operand, signed_mode);
      if (!v) return std::nullopt;
      switch (u->op) {
        case ast::UnaryOp::negate:
          if (!signed_mode) return *v == 0 ? Checked(0) : std::nullopt;
          if (static_cast<std::int64_t>(*v) == std::numeric_limits<std::int64_t>::min()) {
            return std::nullopt;
          }
          return static_cast<std::uint64_t>(-static_cast<std::int64_t>(*v));
        case ast::UnaryOp::bit_not:
          return ~*v;
        case ast::UnaryOp::logical_not:
          return *v == 0 ? 1 : 0;
      }
    }
    if (std::holds_alternative<ast::StringLiteral>(e.node)) {
      throw std::logic_error("interp: a string literal outside a comparison");
    }
    if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
      if (const auto text = text_comparison(*b)) return enter({*text, false}, signed_mode);
      if (b->op == ast::BinaryOp::logical_and || b->op == ast::BinaryOp::logical_or) {
        // lp::land / lp::lor: both sides are evaluated (they are arguments),
        // but a failed right side only matters when it decides.
        const Checked l = eval(*b->lhs, signed_mode);
        const Checked r = eval(*b->rhs, signed_mode);
        if (!l) return std::nullopt;
        const bool is_and = b->op == ast::BinaryOp::logical_and;
        if (is_and && *l == 0) return 0;
        if (!is_and && *l != 0) return 1;
        if (!r) return std::nullopt;
        return *r != 0 ? 1 : 0;
      }
      const Checked l = eval(*b->lhs, signed_mode);
      const Checked r = eval(*b->rhs, signed_mode);
      if (!l || !r) return std::nullopt;
      return signed_mode ? binary_op<std::int64_t>(b->op, static_cast<std::int64_t>(*l),
                                                   static_cast<std::int64_t>(*r))
                         : binary_op<std::uint64_t>(b->op, *l, *r);
    }
    const auto& c = std::get<ast::Conditional>(e.node);
    const Checked condition = eval(*c.condition, signed_mode);
    const Checked if_true = eval(*c.if_true, signed_mode);
    const Checked if_false = eval(*c.if_false, signed_mode);
    if (!condition) return std::nullopt;
    return *condition != 0 ? if_true : if_false;
  }

  // The expression in its own mode.
  Checked eval(const ast::Expr& e) const { return eval(e, sema::is_signed_expression(e)); }

  // checked_value(): the value, unsigned unless `keep_sign`; overflow names `field`.
  lp::Result<Raw> checked_value(const ast::Expr& e, std::string_view field, std::size_t offset,
                                bool keep_sign) const {
    const bool is_signed = sema::is_signed_expression(e);
    Checked v = eval(e, is_signed);
    if (v && is_signed && !keep_sign && static_cast<std::int64_t>(*v) < 0) v = std::nullopt;
    if (!v) {
      return fail(lp::Error(lp::errc::overflow, field, offset).with_text(in.text_of(e)), field);
    }
    return Raw{*v, is_signed && keep_sign};
  }

  // region_check() when not bounded: `length` bytes at `offset` in `available`.
  lp::Status region(std::uint64_t length, std::string_view field, std::size_t offset,
                    std::size_t available) const {
    if (length > available) {
      return fail(lp::Error(lp::errc::truncated, field, offset).with_needed(length - available),
                  field);
    }
    return {};
  }

  // region_check() in general (a bounded region's overrun is bad_length).
  lp::Status region(std::uint64_t length, std::string_view field, std::size_t offset,
                    std::size_t available, const ast::Expr* bound) const {
    if (bound == nullptr) return region(length, field, offset, available);
    if (length > available) {
      return fail(lp::Error(lp::errc::bad_length, field, offset)
                      .with_text(in.text_of(*bound))
                      .with_actual(available),
                  field);
    }
    return {};
  }

  // emit_condition(): false is constraint_failed, failed arithmetic overflow.
  lp::Status condition(const ast::Expr& e, std::string_view field, std::size_t offset, unsigned bit,
                       const std::optional<Raw>& actual, std::string_view text) const {
    const Checked v = eval(e);
    if (v && *v != 0) return {};
    lp::Error error(v ? lp::errc::constraint_failed : lp::errc::overflow, field, offset, bit);
    error.with_text(text);
    if (actual) {
      if (actual->is_signed) {
        error.with_actual_signed(static_cast<std::int64_t>(actual->bits));
      } else {
        error.with_actual(actual->bits);
      }
    }
    return fail(error, field);
  }

  // ---------------------------------------------------------- parse_into()

  lp::Status run() {
    starts.assign(layout.members.size(), 0);
    out.node.kind = Node::Kind::structure;
    out.node.type_name = decl.name;
    if (auto s = requires_at(plan::RequireCheck::When::first, 0); !s) return s;
    for (std::size_t k = 0; k < layout.segments.size(); ++k) {
      const auto& seg = layout.segments[k];
      if (seg.fixed_bytes > 0 && size() - pos < seg.fixed_bytes) {
        return truncated_in_segment(k, pos, size() - pos);
      }
      for (std::size_t i = seg.first_member; i < seg.end_member; ++i) {
        const MemberLayout& m = layout.members[i];
        starts[i] = offset_of(m);
        if (auto s = member(m); !s) return s;
        if (auto s = requires_at(plan::RequireCheck::When::after_member, i); !s) return s;
      }
    }
    const auto& last = layout.segments.back();
    const std::size_t end = (layout.segments.size() > 1 ? pos : 0) + last.fixed_bytes;
    position = end;
    if (auto s = requires_at(plan::RequireCheck::When::last, 0); !s) return s;
    out.size = end;
    out.node.where = sub(buffer, 0, end);
    for (const ast::Field* f : layout.references) out.node.references.push_back(reference(*f));
    return {};
  }

  // A reference's offset and arguments, as its accessor (emit_reference)
  // evaluates them from the view: the offset made unsigned, each argument as its
  // parameter receives it (fit_param).
  Node::Reference reference(const ast::Field& f) {
    Node::Reference r;
    r.field = &f;
    const bool offset_signed = sema::is_signed_expression(*f.at);
    r.offset = eval(*f.at, offset_signed);
    if (r.offset && offset_signed && static_cast<std::int64_t>(*r.offset) < 0) r.offset.reset();
    const auto& named = std::get<ast::NamedType>(f.type->node);
    for (std::size_t i = 0; i < named.arguments.size(); ++i) {
      const ast::Param& param = named.struct_decl->params.at(i);
      const ast::Expr& arg = *named.arguments[i];
      r.arguments.push_back(param.is_endian ? eval(arg) : fit_param(param, arg));
    }
    return r;
  }

  // verify_checksums() of the generated view (emit_verify_checksums): this
  // struct's own checksums, in declaration order, after a successful run(); a
  // pseudo-header checksum starts from `pseudo_header` (without one it is
  // refused earlier: Interpreter::unsupported).
  lp::Status verify_checksums(const lp::InternetChecksum* pseudo_header) {
    for (const MemberLayout* m : plan.checksum_fields) {
      const ast::Field& f = *m->field;
      const ast::ChecksumSpec& spec = *f.checksum;
      const std::size_t at = starts[index_of(*m)];
      std::size_t covered = out.size;
      if (spec.length) {
        const bool is_signed = sema::is_signed_expression(*spec.length);
        Checked v = eval(*spec.length, is_signed);
        if (v && is_signed && static_cast<std::int64_t>(*v) < 0) v = std::nullopt;
        if (!v || *v < at + 2 || *v > out.size) {
          return lp::Error(lp::errc::bad_length, f.name, at)
              .push_outer(decl.name)
              .with_text(in.text_of(*spec.length))
              .with_actual(v ? *v : 0);
        }
        covered = static_cast<std::size_t>(*v);
      }
      const lp::InternetChecksum start =
          spec.pseudo_header && pseudo_header != nullptr ? *pseudo_header : lp::InternetChecksum();
      const std::uint16_t expected = lp::internet_checksum_over(start, sub(buffer, 0, covered), at);
      const auto stored = static_cast<std::uint16_t>(out.values.at(&f).bits);
      if ((!spec.zero_means_none || stored != 0) &&
          !lp::internet_checksum_matches(stored, expected)) {
        return lp::Error(lp::errc::bad_checksum, f.name, at)
            .push_outer(decl.name)
            .with_text("internet")
            .with_actual(stored)
            .with_expected(expected);
      }
    }
    return {};
  }

  lp::Status requires_at(plan::RequireCheck::When when, std::size_t index) {
    for (const plan::RequireCheck& c : plan.require_checks) {
      if (c.when != when || (when == plan::RequireCheck::When::after_member && c.member != index)) {
        continue;
      }
      const ast::Expr& e = *c.require->condition;
      if (!c.names_member) {
        if (auto s = condition(e, "", 0, 0, std::nullopt, in.text_of(e)); !s) return s;
        continue;
      }
      const MemberLayout& m = layout.members[c.member];
      if (auto s = condition(e, name_of(m), starts[c.member],
                             static_cast<unsigned>(m.bit_offset % 8), std::nullopt, in.text_of(e));
          !s) {
        return s;
      }
    }
    return {};
  }

  // emit_truncation_helper(): the field holding the first missing byte.
  lp::Status truncated_in_segment(std::size_t k, std::size_t start, std::size_t have) const {
    const auto& members = plan.truncation_fields[k];
    const MemberLayout* hit = members.back();
    for (std::size_t i = 0; i + 1 < members.size(); ++i) {
      const MemberLayout& m = *members[i];
      if (have < (m.bit_offset + *m.bit_width + 7) / 8) {
        hit = &m;
        break;
      }
    }
    return fail(lp::Error(lp::errc::truncated, name_of(*hit),
                          start + static_cast<std::size_t>(hit->bit_offset / 8),
                          static_cast<unsigned>(hit->bit_offset % 8))
                    .with_needed(layout.segments[k].fixed_bytes - have),
                name_of(*hit));
  }

  // emit_parse_member(): the member, then what expressions read of a sequence
  // field (its text, count and size) and the field's own constraints.
  lp::Status member(const MemberLayout& m) {
    const std::size_t offset = offset_of(m);
    absent = false;
    if (auto s = member_body(m, name_of(m), offset); !s) return s;
    if (!is_sequence(m)) return {};
    record_sequence(m, offset);
    // An absent optional field's constraints hold.
    if (absent || m.field->constraints.empty()) return {};
    return sequence_constraints(m, offset);
  }

  static bool is_sequence(const MemberLayout& m) {
    return m.field != nullptr && (m.kind == MemberKind::bytes || m.kind == MemberKind::array);
  }

  // What the plan says expressions read of sequence field `m` (which starts at
  // `offset`), as emit_parse_member() keeps it: its size, its element count, its
  // text (a cstring's without its NUL, a cstring[n]'s up to its first NUL).
  void record_sequence(const MemberLayout& m, std::size_t offset) {
    const ast::Field& f = *m.field;
    const bool text = plan.kept_texts.count(&f) != 0;
    const bool counted = plan.counted.count(&f) != 0;
    const bool sized = plan.sized.count(&f) != 0;
    if (!text && !counted && !sized) return;
    const std::size_t length =
        m.is_dynamic ? pos - offset : static_cast<std::size_t>(*m.bit_width / 8);
    if (sized) sizes[&f] = length;
    if (counted) {
      counts[&f] = !m.stores_count ? length / m.element_bytes : absent ? 0 : stored_count;
    }
    if (text) texts[&f] = text_bytes(m, offset, length);
  }

  lp::bytes text_bytes(const MemberLayout& m, std::size_t offset, std::size_t length) const {
    const auto& b = std::get<ast::BytesType>(m.field->type->node);
    if (b.kind != ast::BytesKind::cstring) return sub(buffer, offset, length);
    if (b.count) return sub(buffer, offset, padded_text_length(sub(buffer, offset, length)));
    return sub(buffer, offset, length == 0 ? 0 : length - 1);  // absent: no bytes
  }

  // cstring[n]: the bytes before the first NUL, all of them without one.
  static std::size_t padded_text_length(lp::bytes field) {
    const std::string_view text = field.as_string_view();
    return text.substr(0, text.find('\0')).size();
  }

  // emit_sequence_constraints(): `== "text"` and `where` clauses of a bytes,
  // string, cstring or array field, at its first byte.
  lp::Status sequence_constraints(const MemberLayout& m, std::size_t offset) const {
    const ast::Field& f = *m.field;
    const std::string_view name = name_of(m);
    for (const auto& c : f.constraints) {
      if (c.kind == ast::ConstraintKind::where) {
        if (auto s = condition(*c.expr, name, offset, 0, std::nullopt, in.text_of(*c.expr)); !s) {
          return s;
        }
        continue;
      }
      const auto& literal = std::get<ast::StringLiteral>(c.expr->node).value;
      if (same_bytes(texts.at(&f), literal)) continue;
      return fail(lp::Error(lp::errc::constraint_failed, name, offset)
                      .with_text(in.intern(f.name + " == " + std::string(c.expr->range.text()))),
                  name);
    }
    return {};
  }

  lp::Status member_body(const MemberLayout& m, std::string_view name, std::size_t offset) {
    position = offset;
    switch (m.kind) {
      case MemberKind::let:
        return let(m, name, offset);
      case MemberKind::align:
        return align(m, name, offset);
      default:
        break;
    }
    if (m.optional) return optional(m, name, offset);
    if (m.peek) return peek(m, name, offset);
    switch (m.kind) {
      case MemberKind::byte_integer:
      case MemberKind::bit_field:
      case MemberKind::floating:
        return scalar(m, offset);
      case MemberKind::varint:
        return varint(m, name, offset);
      case MemberKind::nested:
        return nested(m, name, offset);
      case MemberKind::pad:
      case MemberKind::bytes:
        return bytes(m, name, offset);
      case MemberKind::array:
        return m.stores_count ? counted_array(m, name, offset) : array(m, name, offset);
      case MemberKind::switch_:
        return switch_(m, name, offset);
      case MemberKind::let:
      case MemberKind::align:
        break;
    }
    return {};
  }

  bool visible(const MemberLayout& m) const { return m.field != nullptr && m.field->name != "_"; }

  // ---- scalars (emit_parse_scalar, emit_field_constraints)

  std::uint64_t order_of(const MemberLayout& m) const {
    if (!m.runtime_order) return m.byte_order == ast::ByteOrder::little ? 1 : 0;
    const ast::Param* p = decl.endian_param;
    return param_value(*p).bits;
  }

  // The raw bits of an integer or float of `t` at `at` (byte_integer or float).
  static std::uint64_t load(const ast::NamedType& t, const std::byte* at, bool little) {
    const unsigned n = t.bits / 8;
    std::uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) {
      const auto byte = static_cast<std::uint64_t>(std::to_integer<std::uint8_t>(at[i]));
      v |= little ? byte << (8 * i) : byte << (8 * (n - 1 - i));
    }
    return v;
  }

  // Reads scalar member `m` at `offset`: its Raw value, and fills `node`.
  Raw read_scalar(const MemberLayout& m, std::size_t offset, Node& node) const {
    const ast::NamedType& t = *m.scalar;
    std::uint64_t bits = 0;
    lp::bytes where;
    if (m.kind == MemberKind::bit_field) {
      const std::byte* base = buffer.data() + (offset - m.bit_offset / 8);
      bits = m.bit_order == ast::BitOrder::lsb ? lp::read_bits_lsb(base, m.bit_offset, t.bits)
                                               : lp::read_bits_msb(base, m.bit_offset, t.bits);
      const std::uint64_t first = m.bit_offset / 8;
      const std::uint64_t last_byte = (m.bit_offset + t.bits - 1) / 8;
      where = sub(buffer, offset, static_cast<std::size_t>(last_byte - first + 1));
    } else {
      bits = load(t, buffer.data() + offset, order_of(m) == 1);
      where = sub(buffer, offset, t.bits / 8);
    }
    return describe(t, bits, where, node);
  }

  // Fills a node from the raw bits of a scalar of type `t`.
  static Raw describe(const ast::NamedType& t, std::uint64_t bits, lp::bytes where, Node& node) {
    node.where = where;
    Raw raw{bits, false};
    if (t.is_float) {
      node.kind = Node::Kind::floating;
      if (t.bits == 32) {
        float f = 0;
        const auto b32 = static_cast<std::uint32_t>(bits);
        std::memcpy(&f, &b32, sizeof f);
        node.real = f;
      } else {
        std::memcpy(&node.real, &bits, sizeof node.real);
      }
      node.raw = bits;
      return raw;
    }
    if (t.is_signed) {
      raw = {static_cast<std::uint64_t>(lp::sign_extend(bits, t.bits)), true};
      node.kind = Node::Kind::signed_int;
    } else if (t.enum_decl != nullptr) {
      node.kind = Node::Kind::enumeration;
      for (const auto& member : t.enum_decl->members) {
        if (member.resolved_value == bits) {
          node.member = member.name;
          break;
        }
      }
    } else if (t.flags_decl != nullptr) {
      node.kind = Node::Kind::flags;
      node.flags_decl = t.flags_decl;
    } else {
      node.kind = Node::Kind::unsigned_int;
    }
    node.raw = raw.bits;
    return raw;
  }

  lp::Status scalar(const MemberLayout& m, std::size_t offset) {
    Node node;
    node.name = m.field->name;
    const Raw raw = read_scalar(m, offset, node);
    out.values[m.field] = raw;
    if (auto s = constraints(m, offset, raw); !s) return s;
    if (visible(m)) out.node.children.push_back(std::move(node));
    return {};
  }

  // emit_parse_peek(): the value's bytes must be there (a truncation names the
  // peeked field); it is read and checked, and the next member starts here.
  lp::Status peek(const MemberLayout& m, std::string_view name, std::size_t offset) {
    if (auto s = region(*m.present_bits / 8, name, offset, size() - offset); !s) return s;
    if (auto s = scalar(m, offset); !s) return s;
    pos = offset;
    return {};
  }

  lp::Status constraints(const MemberLayout& m, std::size_t offset, Raw raw) const {
    const ast::Field& f = *m.field;
    const ast::NamedType& t = *m.scalar;
    const std::string_view name = name_of(m);
    const auto bit = static_cast<unsigned>(m.bit_offset % 8);
    for (const auto& c : f.constraints) {
      if (c.kind == ast::ConstraintKind::equals) {
        const bool is_signed = t.is_signed || sema::is_signed_expression(*c.expr);
        const Checked lhs = enter(raw, is_signed);
        const Checked rhs = eval(*c.expr, is_signed);
        const bool ok = lhs && rhs;
        if (ok && *lhs == *rhs) continue;
        lp::Error error(ok ? lp::errc::constraint_failed : lp::errc::overflow, name, offset, bit);
        error.with_text(
            in.intern(emit::one_line(f.name + " == " + std::string(c.expr->range.text()))));
        if (raw.is_signed) {
          error.with_actual_signed(static_cast<std::int64_t>(raw.bits));
        } else {
          error.with_actual(raw.bits);
        }
        return fail(error, name);
      }
      if (auto s = condition(*c.expr, name, offset, bit, raw, in.text_of(*c.expr)); !s) return s;
    }
    return {};
  }

  // ---- varints (emit_parse_varint)

  lp::Status varint(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const ast::NamedType& t = *m.scalar;
    const lp::bytes rest = buffer.subspan(offset, size() - offset);
    std::uint64_t bits = 0;
    std::size_t used = 0;
    bool is_signed = false;
    if (t.varint == ast::VarintKind::zigzag) {
      const auto d = lp::decode_zigzag(rest);
      if (!d) return fail(lp::Error(d.error()).rebase(offset).push_outer(name), name);
      bits = static_cast<std::uint64_t>(d->value);
      used = d->size;
      is_signed = true;
    } else {
      const auto d = t.varint == ast::VarintKind::quic ? lp::decode_quic_varint(rest)
                                                       : lp::decode_varint(rest);
      if (!d) return fail(lp::Error(d.error()).rebase(offset).push_outer(name), name);
      bits = d->value;
      used = d->size;
    }
    const Raw raw{bits, is_signed};
    out.values[m.field] = raw;
    if (auto s = constraints(m, offset, raw); !s) return s;
    if (visible(m)) {
      Node node;
      node.name = m.field->name;
      node.kind = is_signed ? Node::Kind::signed_int : Node::Kind::unsigned_int;
      node.raw = bits;
      node.where = sub(buffer, offset, used);
      out.node.children.push_back(std::move(node));
    }
    pos = offset + used;
    return {};
  }

  // ---- structs (emit_parse_nested, parse_child, emit_arguments)

  lp::Status depth_check(std::string_view name, std::size_t offset, bool nonempty = true) const {
    if (depth + 1 > options.max_depth && nonempty) {
      return fail(lp::Error(lp::errc::too_deep, name, offset), name);
    }
    return {};
  }

  // A `carry` array's carried argument is the carry's first value.
  lp::Result<std::vector<std::uint64_t>> arguments(const ast::NamedType& named,
                                                   std::string_view name, std::size_t offset,
                                                   const ast::CarryClause* carry = nullptr) const {
    std::vector<std::uint64_t> values;
    if (named.struct_decl == nullptr) return values;
    for (std::size_t i = 0; i < named.arguments.size(); ++i) {
      const ast::Param& param = named.struct_decl->params[i];
      const ast::Expr& arg =
          carry != nullptr && i == carry->param_index ? *carry->initial : *named.arguments[i];
      if (param.is_endian) {
        auto v = checked_value(arg, name, offset, true);
        if (!v) return v.error();
        values.push_back(v->bits);
        continue;
      }
      const Checked v = fit_param(param, arg);
      if (!v)
        return fail(lp::Error(lp::errc::overflow, name, offset).with_text(in.text_of(arg)), name);
      values.push_back(*v);
    }
    return values;
  }

  // `arg`'s value as integer parameter `param` receives it (lp::to_signed,
  // lp::to_unsigned, the range of its type); nullopt when it does not fit.
  Checked fit_param(const ast::Param& param, const ast::Expr& arg) const {
    const auto& type = std::get<ast::NamedType>(param.type->node);
    const bool signed_expr = sema::is_signed_expression(arg);
    Checked v = eval(arg, signed_expr);
    if (v && type.is_signed && !signed_expr &&
        *v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      v = std::nullopt;  // lp::to_signed
    }
    if (v && !type.is_signed && signed_expr && static_cast<std::int64_t>(*v) < 0) {
      v = std::nullopt;  // lp::to_unsigned
    }
    if (v && type.bits < 64) {
      const sema::ValueRange r = sema::value_range(type);
      if (type.is_signed) {
        const auto s = static_cast<std::int64_t>(*v);
        if (s < r.min.as_signed() || s > r.max.as_signed()) v = std::nullopt;
      } else if (*v > r.max.bits) {
        v = std::nullopt;
      }
    }
    return v;
  }

  // Parses `child` in `region` (starting at `offset` of this buffer): its error
  // rebased and under `name`; a bounded region's truncation is bad_length.
  lp::Status child(const ast::StructDecl& child_decl, lp::bytes region,
                   std::vector<std::uint64_t> args, std::string_view name, std::size_t offset,
                   const ast::Expr* bound, Parsed& parsed) const {
    const lp::Status s =
        in.parse_struct(child_decl, region, std::move(args), options, depth + 1, parsed);
    if (s) return s;
    if (bound != nullptr && s.error().code() == lp::errc::truncated) {
      return fail(lp::Error(s.error()).rebase(offset).push_outer(name).overran_region(
                      in.text_of(*bound), region.size()),
                  name);
    }
    return fail(lp::Error(s.error()).rebase(offset).push_outer(name), name);
  }

  // A struct that parse() need not check (valid anywhere): read for its values only.
  Parsed unchecked(const ast::StructDecl& child_decl, lp::bytes region,
                   std::vector<std::uint64_t> args = {}) const {
    Parsed parsed;
    const lp::Status s = in.parse_struct(child_decl, region, std::move(args),
                                         lp::ParseOptions::unlimited(), 0, parsed);
    if (!s) {
      throw std::logic_error(fmt::format("interp: {} is valid anywhere but failed: {}",
                                         child_decl.name, s.error().message()));
    }
    return parsed;
  }

  static Node struct_node(std::string_view name, Parsed&& parsed) {
    Node node = std::move(parsed.node);
    node.name = name;
    return node;
  }

  lp::Status nested(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const ast::StructDecl& child_decl = *m.scalar->struct_decl;
    Parsed parsed;
    if (!m.is_dynamic && in.plan_.of(child_decl).valid_anywhere) {
      parsed = unchecked(child_decl, sub(buffer, offset, *m.bit_width / 8));
    } else {
      if (auto s = depth_check(name, offset); !s) return s;
      const lp::bytes region = m.is_dynamic ? buffer.subspan(offset, size() - offset)
                                            : sub(buffer, offset, *m.bit_width / 8);
      auto args = arguments(*m.scalar, name, offset);
      if (!args) return args.error();
      if (auto s = child(child_decl, region, std::move(*args), name, offset, nullptr, parsed); !s) {
        return s;
      }
      if (m.is_dynamic) pos = offset + parsed.size;
    }
    if (!m.is_dynamic) parsed.node.where = sub(buffer, offset, *m.bit_width / 8);
    if (visible(m)) out.node.children.push_back(struct_node(m.field->name, std::move(parsed)));
    return {};
  }

  // ---- bytes, strings, pads (emit_parse_member, emit_parse_cstring)

  void bytes_node(const MemberLayout& m, std::size_t offset, std::size_t length) {
    if (!visible(m)) return;
    const auto& b = std::get<ast::BytesType>(m.field->type->node);
    Node node;
    node.name = m.field->name;
    node.kind = b.kind == ast::BytesKind::bytes ? Node::Kind::bytes : Node::Kind::string;
    node.where = sub(buffer, offset, length);
    // cstring[n] reports its text, up to the first NUL (a cstring's `length` is its text's).
    if (b.kind == ast::BytesKind::cstring && b.count) {
      node.where = sub(buffer, offset, padded_text_length(node.where));
    }
    out.node.children.push_back(std::move(node));
  }

  lp::Status bytes(const MemberLayout& m, std::string_view name, std::size_t offset) {
    if (m.kind == MemberKind::bytes) {
      const auto& b = std::get<ast::BytesType>(m.field->type->node);
      if (b.kind == ast::BytesKind::cstring && !b.count) return cstring(m, name, offset);
    }
    if (!m.is_dynamic) {
      if (m.kind == MemberKind::bytes) bytes_node(m, offset, *m.bit_width / 8);
      return {};
    }
    const ast::Expr* count = m.kind == MemberKind::pad
                                 ? std::get<ast::Pad>(*m.member).size.get()
                                 : std::get<ast::BytesType>(m.field->type->node).count.get();
    if (count == nullptr) {
      pos = size();
    } else {
      auto len = checked_value(*count, name, offset, false);
      if (!len) return len.error();
      if (auto s = region(len->bits, name, offset, size() - offset); !s) return s;
      pos = offset + static_cast<std::size_t>(len->bits);
    }
    if (m.kind == MemberKind::bytes) bytes_node(m, offset, pos - offset);
    return {};
  }

  lp::Status cstring(const MemberLayout& m, std::string_view name, std::size_t offset) {
    std::size_t nul = offset;
    while (nul < size() && buffer[nul] != std::byte{0}) ++nul;
    if (nul == size()) {
      return fail(lp::Error(lp::errc::truncated, name, offset)
                      .with_text("no NUL terminator")
                      .with_needed(1),
                  name);
    }
    pos = nul + 1;
    bytes_node(m, offset, nul - offset);  // without the terminating NUL
    return {};
  }

  // ---- let, align, optional (emit_parse_structure)

  lp::Status let(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const auto& l = std::get<ast::Let>(*m.member);
    auto v = checked_value(*l.value, name, offset, true);
    if (!v) return v.error();
    const Raw raw{v->bits, l.is_signed};
    lets[&l] = raw;
    out.lets[&l] = raw;
    Node node;
    node.name = l.name;
    node.where = sub(buffer, offset, 0);
    node.raw = raw.bits;
    if (l.is_endian) {
      node.kind = Node::Kind::enumeration;
      node.member = raw.bits == 0 ? "big" : "little";
    } else {
      node.kind = l.is_signed ? Node::Kind::signed_int : Node::Kind::unsigned_int;
    }
    out.node.children.push_back(std::move(node));
    return {};
  }

  lp::Status align(const MemberLayout& m, std::string_view name, std::size_t offset) {
    if (!m.is_dynamic) return {};
    const std::uint64_t n = std::get<ast::Align>(*m.member).resolved;
    const std::uint64_t padding = (n - offset % n) % n;
    if (auto s = region(padding, name, offset, size() - offset); !s) return s;
    pos = offset + static_cast<std::size_t>(padding);
    return {};
  }

  lp::Status optional(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const ast::Field& f = *m.field;
    auto present = checked_value(*f.condition, name, offset, true);
    if (!present) return present.error();
    if (present->bits == 0) {
      pos = offset;  // absent: takes no bytes
      absent = true;
      return {};
    }
    switch (m.kind) {
      case MemberKind::byte_integer:
      case MemberKind::floating: {
        const std::uint64_t width = *m.present_bits / 8;
        if (auto s = region(width, name, offset, size() - offset); !s) return s;
        if (auto s = scalar(m, offset); !s) return s;
        pos = m.peek ? offset : offset + static_cast<std::size_t>(width);  // a peek is not consumed
        return {};
      }
      case MemberKind::nested:
        return nested_optional(m, name, offset);
      case MemberKind::array:
        return array(m, name, offset);
      default:
        return bytes(m, name, offset);
    }
  }

  // An optional struct is dynamic (emit_parse_nested with is_dynamic).
  lp::Status nested_optional(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const ast::StructDecl& child_decl = *m.scalar->struct_decl;
    if (auto s = depth_check(name, offset); !s) return s;
    auto args = arguments(*m.scalar, name, offset);
    if (!args) return args.error();
    Parsed parsed;
    if (auto s = child(child_decl, buffer.subspan(offset, size() - offset), std::move(*args), name,
                       offset, nullptr, parsed);
        !s) {
      return s;
    }
    pos = offset + parsed.size;
    if (visible(m)) out.node.children.push_back(struct_node(m.field->name, std::move(parsed)));
    return {};
  }

  // ---- arrays (emit_parse_array, array_length, element_loop)

  lp::Result<std::uint64_t> array_length(const ast::ArrayType& a, std::uint64_t element_bytes,
                                         std::string_view name, std::size_t offset,
                                         std::size_t available, const ast::Expr* bound) const {
    if (a.count) {
      const bool is_signed = sema::is_signed_expression(*a.count);
      Checked n = eval(*a.count, is_signed);
      if (n && is_signed && static_cast<std::int64_t>(*n) < 0) n = std::nullopt;
      std::uint64_t length = 0;
      if (!n || __builtin_mul_overflow(*n, element_bytes, &length)) {
        return fail(lp::Error(lp::errc::overflow, name, offset).with_text(in.text_of(*a.count)),
                    name);
      }
      if (auto s = region(length, name, offset, available, bound); !s) return s.error();
      return length;
    }
    if (a.byte_size) {
      auto len = checked_value(*a.byte_size, name, offset, false);
      if (!len) return len.error();
      if (len->bits % element_bytes != 0) {
        return fail(lp::Error(lp::errc::bad_length, name, offset)
                        .with_text(in.text_of(*a.byte_size))
                        .with_actual(len->bits),
                    name);
      }
      if (auto s = region(len->bits, name, offset, available, bound); !s) return s.error();
      return len->bits;
    }
    if (available % element_bytes != 0) {
      return fail(lp::Error(lp::errc::bad_length, name, offset)
                      .with_text(in.intern(
                          fmt::format("not a whole number of {}-byte elements", element_bytes)))
                      .with_actual(available),
                  name);
    }
    return std::uint64_t{available};
  }

  // Elements of a fixed-size type over `region` (scalars read, structs parsed
  // when `check` says parse() checks them): the array node.
  lp::Result<Node> fixed_elements(const ast::NamedType& elem, std::uint64_t element_bytes,
                                  std::size_t length, std::optional<ast::ByteOrder> order,
                                  bool runtime_order, std::string_view name, std::size_t offset,
                                  bool check, std::string_view node_name) const {
    Node array;
    array.kind = Node::Kind::array;
    array.name = node_name;
    array.where = sub(buffer, offset, length);
    const auto eb = static_cast<std::size_t>(element_bytes);
    if (elem.struct_decl != nullptr && check) {
      if (auto s = depth_check(name, offset, length != 0); !s) return s.error();
    }
    for (std::size_t at = 0; at < length; at += eb) {
      const lp::bytes bytes = sub(buffer, offset + at, eb);
      if (elem.struct_decl != nullptr) {
        Parsed parsed;
        if (check) {
          const lp::Status s =
              in.parse_struct(*elem.struct_decl, bytes, {}, options, depth + 1, parsed);
          if (!s) {
            return fail(lp::Error(s.error()).rebase(offset + at).element_of(name, at / eb), name);
          }
        } else {
          parsed = unchecked(*elem.struct_decl, bytes);
        }
        parsed.node.where = bytes;
        array.children.push_back(struct_node("", std::move(parsed)));
      } else {
        const bool little = runtime_order ? param_value(*decl.endian_param).bits == 1
                                          : order == ast::ByteOrder::little;
        Node node;
        describe(elem, load(elem, bytes.data(), little), bytes, node);
        array.children.push_back(std::move(node));
      }
    }
    return array;
  }

  lp::Status array(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const auto& a = std::get<ast::ArrayType>(m.field->type->node);
    std::size_t length = static_cast<std::size_t>(m.bit_width.value_or(0) / 8);
    if (m.is_dynamic) {
      auto len = array_length(a, m.element_bytes, name, offset, size() - offset, nullptr);
      if (!len) return len.error();
      length = static_cast<std::size_t>(*len);
    }
    auto node = fixed_elements(*m.scalar, m.element_bytes, length, m.byte_order, m.runtime_order,
                               name, offset, m.elements_need_parse, m.field->name);
    if (!node) return node.error();
    if (m.is_dynamic) pos = offset + length;
    if (visible(m)) out.node.children.push_back(std::move(*node));
    return {};
  }

  // emit_parse_counted_array(): lazy arrays and `until` arrays.
  lp::Status counted_array(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const auto& a = std::get<ast::ArrayType>(m.field->type->node);
    const ast::Expr* bound = a.byte_size.get();
    lp::bytes region_bytes;
    std::uint64_t bounded_length = 0;
    if (bound != nullptr) {
      auto len = checked_value(*bound, name, offset, false);
      if (!len) return len.error();
      if (auto s = region(len->bits, name, offset, size() - offset); !s) return s;
      bounded_length = len->bits;
      region_bytes = sub(buffer, offset, static_cast<std::size_t>(len->bits));
    } else {
      region_bytes = buffer.subspan(offset, size() - offset);
    }
    std::uint64_t n = 0;
    if (a.count) {
      auto v = checked_value(*a.count, name, offset, false);
      if (!v) return v.error();
      n = v->bits;
      if (n > options.max_elements) {
        return fail(lp::Error(lp::errc::limit_exceeded, name, offset)
                        .with_text("more elements than ParseOptions::max_elements")
                        .with_actual(n),
                    name);
      }
    }
    const ast::StructDecl* elem_struct = m.scalar->struct_decl;
    if (m.lazy || m.elements_need_parse) {
      if (auto s = depth_check(name, offset, a.count ? n != 0 : region_bytes.size() != 0); !s) {
        return s;
      }
    }
    std::vector<std::uint64_t> element_args;
    const ast::CarryClause* carry = a.carry.get();
    if (m.lazy) {
      auto args = arguments(*m.scalar, name, offset, carry);
      if (!args) return args.error();
      element_args = std::move(*args);
    }
    Checked next_carried;  // the carry step over the element just read
    Node array_node;
    array_node.kind = Node::Kind::array;
    array_node.name = m.field->name;
    std::size_t count = 0;
    std::size_t at = 0;
    const bool parses_elements = m.lazy || (elem_struct != nullptr && m.elements_need_parse);
    for (;;) {
      const std::size_t elem_offset = offset + at;
      if (a.count) {
        if (count == n) break;
      } else if (!a.until || bound != nullptr) {
        if (at == region_bytes.size()) break;
      } else if (at == region_bytes.size()) {
        const std::uint64_t needed =
            m.lazy ? std::max<std::uint64_t>(1, in.plan_.layout().of(*elem_struct).min_size)
                   : m.element_bytes;
        return fail(lp::Error(lp::errc::truncated, name, elem_offset)
                        .element_of(name, count)
                        .with_text("no terminating element")
                        .with_needed(static_cast<std::size_t>(needed)),
                    name);
      }
      if (carry != nullptr && count != 0) {
        if (!next_carried) {
          return fail(lp::Error(lp::errc::overflow, name, elem_offset)
                          .element_of(name, count)
                          .with_text(in.text_of(*carry->next)),
                      name);
        }
        element_args[carry->param_index] = *next_carried;
      }
      if (!a.count && count == options.max_elements) {
        return fail(lp::Error(lp::errc::limit_exceeded, name, elem_offset)
                        .with_text("more elements than ParseOptions::max_elements"),
                    name);
      }
      Parsed read;
      Raw scalar_value;
      std::size_t element_size = 0;
      const lp::bytes rest = region_bytes.subspan(at, region_bytes.size() - at);
      if (m.lazy) {
        const lp::Status s =
            in.parse_struct(*elem_struct, rest, element_args, options, depth + 1, read);
        if (!s) {
          if (bound != nullptr && s.error().code() == lp::errc::truncated) {
            return fail(lp::Error(s.error())
                            .rebase(elem_offset)
                            .element_of(name, count)
                            .overran_region(in.text_of(*bound), region_bytes.size()),
                        name);
          }
          return fail(lp::Error(s.error()).rebase(elem_offset).element_of(name, count), name);
        }
        if (!a.count && read.size == 0) {
          return fail(lp::Error(lp::errc::bad_length, name, elem_offset)
                          .element_of(name, count)
                          .with_text("an element of zero bytes"),
                      name);
        }
        element_size = read.size;
        if (carry != nullptr) {  // the view's carry step (emit_carry_step)
          element = &read;
          carried = {element_args[carry->param_index],
                     std::get<ast::NamedType>(carry->param->type->node).is_signed};
          next_carried = fit_param(*carry->param, *carry->next);
          element = nullptr;
        }
        read.node.where = sub(rest, 0, element_size);
        array_node.children.push_back(struct_node("", std::move(read)));
      } else {
        const auto eb = static_cast<std::size_t>(m.element_bytes);
        if (rest.size() < eb) {
          if (bound != nullptr) {
            return fail(lp::Error(lp::errc::bad_length, name, elem_offset)
                            .element_of(name, count)
                            .with_text(in.text_of(*bound))
                            .with_actual(region_bytes.size()),
                        name);
          }
          return fail(lp::Error(lp::errc::truncated, name, elem_offset)
                          .element_of(name, count)
                          .with_needed(eb - rest.size()),
                      name);
        }
        const lp::bytes bytes = sub(rest, 0, eb);
        if (elem_struct != nullptr) {
          if (parses_elements) {
            const lp::Status s = in.parse_struct(*elem_struct, bytes, {}, options, depth + 1, read);
            if (!s) {
              return fail(lp::Error(s.error()).rebase(elem_offset).element_of(name, count), name);
            }
          } else {
            read = unchecked(*elem_struct, bytes);
          }
          read.node.where = bytes;
          array_node.children.push_back(struct_node("", Parsed(read)));
        } else {
          const bool little = m.runtime_order ? param_value(*decl.endian_param).bits == 1
                                              : m.byte_order == ast::ByteOrder::little;
          Node node;
          scalar_value = describe(*m.scalar, load(*m.scalar, bytes.data(), little), bytes, node);
          array_node.children.push_back(std::move(node));
        }
        element_size = eb;
      }
      bool stop = false;
      if (a.until) {
        element = &read;
        element_scalar = scalar_value;
        const Checked v = eval(*a.until);
        element = nullptr;
        if (!v) {
          return fail(lp::Error(lp::errc::overflow, name, elem_offset)
                          .element_of(name, count)
                          .with_text(in.text_of(*a.until)),
                      name);
        }
        stop = *v != 0;
      }
      at += element_size;
      ++count;
      if (stop) break;
    }
    stored_count = count;
    pos = offset + (bound != nullptr ? static_cast<std::size_t>(bounded_length) : at);
    // A lazy array spans its whole region (padding after an `until` element
    // included); an array of fixed-size elements its elements only.
    array_node.where = sub(buffer, offset, m.lazy ? pos - offset : at);
    if (visible(m)) out.node.children.push_back(std::move(array_node));
    return {};
  }

  // ---- switches (emit_parse_switch, emit_arm)

  lp::Status switch_(const MemberLayout& m, std::string_view name, std::size_t offset) {
    const auto& sw = std::get<ast::SwitchType>(m.field->type->node);
    const ast::Expr* bound = sw.byte_size.get();
    auto tag = checked_value(*sw.tag, name, offset, true);
    if (!tag) return tag.error();
    lp::bytes region_bytes;
    if (bound != nullptr) {
      auto len = checked_value(*bound, name, offset, false);
      if (!len) return len.error();
      if (auto s = region(len->bits, name, offset, size() - offset); !s) return s;
      region_bytes = sub(buffer, offset, static_cast<std::size_t>(len->bits));
    } else {
      region_bytes = buffer.subspan(offset, size() - offset);
    }
    const ast::SwitchArm* chosen = nullptr;
    const ast::SwitchArm* default_arm = nullptr;
    for (const auto& arm : sw.arms) {
      if (arm.is_default) {
        default_arm = &arm;
        continue;
      }
      for (const auto& c : arm.cases) {
        if (sema::evaluate_constant(*c).value.bits == tag->bits) chosen = &arm;
        if (chosen != nullptr) break;
      }
      if (chosen != nullptr) break;
    }
    if (chosen == nullptr) chosen = default_arm;
    if (chosen == nullptr) {
      lp::Error error(lp::errc::bad_value, name, offset);
      error.with_text(in.text_of(*sw.tag));
      if (sema::is_signed_expression(*sw.tag)) {
        error.with_actual_signed(static_cast<std::int64_t>(tag->bits));
      } else {
        error.with_actual(tag->bits);
      }
      return fail(error, name);
    }
    std::size_t used = 0;
    Node node;
    if (auto s = arm(*chosen, name, offset, region_bytes, bound, used, node); !s) return s;
    if (bound != nullptr && used != region_bytes.size()) {
      return fail(lp::Error(lp::errc::bad_length, name, offset)
                      .with_text(in.text_of(*bound))
                      .with_actual(region_bytes.size()),
                  name);
    }
    pos = offset + used;
    node.name = chosen->name;
    if (visible(m)) out.node.children.push_back(std::move(node));
    return {};
  }

  lp::Status arm(const ast::SwitchArm& arm, std::string_view name, std::size_t offset,
                 lp::bytes region_bytes, const ast::Expr* bound, std::size_t& used, Node& node) {
    if (const auto* b = std::get_if<ast::BytesType>(&arm.type->node)) {
      if (!b->count) {
        used = region_bytes.size();
      } else {
        auto len = checked_value(*b->count, name, offset, false);
        if (!len) return len.error();
        if (auto s = region(len->bits, name, offset, region_bytes.size(), bound); !s) return s;
        used = static_cast<std::size_t>(len->bits);
      }
      node.kind = b->kind == ast::BytesKind::bytes ? Node::Kind::bytes : Node::Kind::string;
      node.where = sub(region_bytes, 0, used);
      return {};
    }
    if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
      const auto& elem = std::get<ast::NamedType>(a->element->node);
      const std::uint64_t element_bytes = elem.struct_decl != nullptr
                                              ? *in.plan_.layout().of(*elem.struct_decl).fixed_size
                                              : elem.bits / 8;
      auto len = array_length(*a, element_bytes, name, offset, region_bytes.size(), bound);
      if (!len) return len.error();
      used = static_cast<std::size_t>(*len);
      const bool check =
          elem.struct_decl != nullptr && in.plan_.layout().of(*elem.struct_decl).has_checks;
      // Arrays in arms take the struct's byte order (sema gives them no other).
      const std::optional<ast::ByteOrder> order = byte_order_of(elem);
      auto array_node = fixed_elements(elem, element_bytes, used, order, runtime_order(elem), name,
                                       offset, check, "");
      if (!array_node) return array_node.error();
      node = std::move(*array_node);
      return {};
    }
    const auto& t = std::get<ast::NamedType>(arm.type->node);
    if (t.struct_decl != nullptr && !arm.indirect && in.plan_.of(*t.struct_decl).valid_anywhere) {
      const std::size_t width =
          static_cast<std::size_t>(*in.plan_.layout().of(*t.struct_decl).fixed_size);
      if (width > region_bytes.size()) {
        if (bound != nullptr) {
          Parsed scratch;
          const lp::Status s =
              in.parse_struct(*t.struct_decl, region_bytes, {}, options, 0, scratch);
          return fail(lp::Error(s.error()).rebase(offset).push_outer(name).overran_region(
                          in.text_of(*bound), region_bytes.size()),
                      name);
        }
        if (auto s = region(width, name, offset, region_bytes.size()); !s) return s;
      }
      used = width;
      Parsed parsed = unchecked(*t.struct_decl, sub(region_bytes, 0, width));
      node = struct_node("", std::move(parsed));
      return {};
    }
    if (t.struct_decl != nullptr) {
      if (auto s = depth_check(name, offset); !s) return s;
      auto args = arguments(t, name, offset);
      if (!args) return args.error();
      Parsed parsed;
      if (auto s =
              child(*t.struct_decl, region_bytes, std::move(*args), name, offset, bound, parsed);
          !s) {
        return s;
      }
      used = parsed.size;
      node = struct_node("", std::move(parsed));
      return {};
    }
    const std::size_t width = t.bits / 8;
    if (auto s = region(width, name, offset, region_bytes.size(), bound); !s) return s;
    used = width;
    const bool little = t.explicit_order   ? *t.explicit_order == ast::ByteOrder::little
                        : runtime_order(t) ? param_value(*decl.endian_param).bits == 1
                                           : byte_order_of(t) == ast::ByteOrder::little;
    describe(t, load(t, region_bytes.data(), little), sub(region_bytes, 0, used), node);
    // A scalar arm is reported with the switch's bytes (visit_switch).
    node.where = sub(region_bytes, 0, used);
    return {};
  }

  // The byte order of a scalar of this struct without a `le`/`be` suffix.
  std::optional<ast::ByteOrder> byte_order_of(const ast::NamedType& t) const {
    if (t.explicit_order) return t.explicit_order;
    if (decl.endian) return decl.endian;
    return decl.module->endian;
  }
  bool runtime_order(const ast::NamedType& t) const {
    return !t.explicit_order && decl.endian_param != nullptr;
  }
};

lp::Status Interpreter::parse_struct(const ast::StructDecl& decl, lp::bytes buffer,
                                     std::vector<std::uint64_t> params,
                                     const lp::ParseOptions& options, std::size_t depth,
                                     Parsed& out, bool verify_checksums,
                                     const lp::InternetChecksum* pseudo_header) const {
  Frame frame(*this, decl, buffer, std::move(params), options, depth, out);
  const lp::Status s = frame.run();
  if (!s || !verify_checksums) return s;
  return frame.verify_checksums(pseudo_header);
}

std::string_view Interpreter::intern(std::string text) const {
  for (const std::string& s : strings_) {
    if (s == text) return s;
  }
  return strings_.emplace_back(std::move(text));
}

std::string_view Interpreter::text_of(const ast::Expr& e) const {
  const auto it = texts_.find(&e);
  if (it != texts_.end()) return it->second;
  return texts_.emplace(&e, emit::one_line(e.range.text())).first->second;
}

lp::Result<Node> Interpreter::parse(const ast::StructDecl& decl, lp::bytes buffer,
                                    std::span<const Argument> arguments,
                                    const lp::ParseOptions& options, bool verify_checksums,
                                    const lp::InternetChecksum* pseudo_header) const {
  std::vector<std::uint64_t> params;
  for (const ast::Param& p : decl.params) {
    const auto it = std::find_if(arguments.begin(), arguments.end(),
                                 [&](const Argument& a) { return a.name == p.name; });
    if (it == arguments.end()) {
      throw std::invalid_argument(fmt::format(
          "{} needs a value for its parameter '{}' (--arg {}=VALUE)", decl.name, p.name, p.name));
    }
    if (p.is_endian) {
      if (it->value > 1 || it->is_negative) {
        throw std::invalid_argument(
            fmt::format("parameter '{}' is a byte order: big or little", p.name));
      }
      params.push_back(it->value);
      continue;
    }
    const auto& type = std::get<ast::NamedType>(p.type->node);
    const sema::ValueRange r = sema::value_range(type);
    const sema::Value v = it->is_negative
                              ? sema::Value::of_signed(static_cast<std::int64_t>(it->value))
                              : sema::Value::of_unsigned(it->value);
    if (sema::compare(v, r.min) < 0 || sema::compare(v, r.max) > 0) {
      throw std::invalid_argument(
          fmt::format("the value of parameter '{}' does not fit its type", p.name));
    }
    params.push_back(it->value);
  }
  for (const Argument& a : arguments) {
    const bool known = std::any_of(decl.params.begin(), decl.params.end(),
                                   [&](const ast::Param& p) { return p.name == a.name; });
    if (!known) {
      throw std::invalid_argument(fmt::format("{} has no parameter '{}'", decl.name, a.name));
    }
  }
  Parsed parsed;
  const lp::Status s = parse_struct(decl, buffer, std::move(params), options, 0, parsed,
                                    verify_checksums, pseudo_header);
  if (!s) return s.error();
  return std::move(parsed.node);
}

std::vector<Unsupported> Interpreter::unsupported(const ast::StructDecl& decl,
                                                  bool verify_checksums,
                                                  bool pseudo_header_given) const {
  // verify_checksums() checks the struct's own checksums (a child's are its
  // own to check); a pseudo-header sum comes from the enclosing packet, which
  // the caller gives or not.
  std::vector<Unsupported> out;
  if (!verify_checksums || pseudo_header_given) return out;
  for (const auto& m : decl.members) {
    const auto* f = std::get_if<ast::Field>(&m);
    if (f == nullptr || !f->checksum || !f->checksum->pseudo_header) continue;
    out.push_back({fmt::format("checksum {}.{}: its pseudo-header sum (the enclosing packet's "
                               "addresses) is not known here",
                               decl.name, f->name),
                   location_of(f->range)});
  }
  return out;
}

lp::Result<Node> Interpreter::follow(const Node& referrer, const Node::Reference& reference,
                                     lp::PointerChain& chain) const {
  const ast::Field& f = *reference.field;
  const std::string_view type = referrer.type_name;
  const auto overflow = [&](const ast::Expr& e) {
    return lp::Error(lp::errc::overflow, f.name, 0).push_outer(type).with_text(text_of(e));
  };
  if (!reference.offset) return overflow(*f.at);
  const lp::Result<lp::bytes> where = chain.follow(referrer.where, *reference.offset, type, f.name);
  if (!where) return where.error();
  const auto& named = std::get<ast::NamedType>(f.type->node);
  std::vector<std::uint64_t> params;
  for (std::size_t i = 0; i < reference.arguments.size(); ++i) {
    if (!reference.arguments[i]) return overflow(*named.arguments[i]);
    params.push_back(*reference.arguments[i]);
  }
  Parsed parsed;
  const lp::Status s =
      parse_struct(*named.struct_decl, *where, std::move(params), chain.options(), 0, parsed);
  if (!s) return lp::PointerChain::rebase(s.error(), *reference.offset, type, f.name);
  return std::move(parsed.node);
}

// ---------------------------------------------------------------- output

namespace {

void visit_node(const Node& n, lp::FieldVisitor& v) {
  switch (n.kind) {
    case Node::Kind::unsigned_int:
      v.on_unsigned(n.name, n.raw, n.where);
      return;
    case Node::Kind::signed_int:
      v.on_signed(n.name, static_cast<std::int64_t>(n.raw), n.where);
      return;
    case Node::Kind::floating:
      v.on_float(n.name, n.real, n.where);
      return;
    case Node::Kind::enumeration:
      v.on_enum(n.name, n.raw, n.member, n.where);
      return;
    case Node::Kind::flags: {
      std::vector<lp::flag_name> names;
      for (const auto& m : n.flags_decl->members) {
        names.push_back({m.name, std::uint64_t{1} << m.resolved_value});
      }
      v.on_flags(n.name, n.raw, names, n.where);
      return;
    }
    case Node::Kind::bytes:
      v.on_bytes(n.name, n.where);
      return;
    case Node::Kind::string:
      v.on_string(n.name, n.where.as_string_view());
      return;
    case Node::Kind::structure:
      v.begin_struct(n.name, n.type_name, n.where);
      visit(n, v);
      v.end_struct();
      return;
    case Node::Kind::array:
      v.begin_array(n.name, n.children.size(), n.where);
      for (const Node& c : n.children) visit_node(c, v);
      v.end_array();
      return;
  }
}

}  // namespace

void visit(const Node& root, lp::FieldVisitor& visitor) {
  for (const Node& c : root.children) visit_node(c, visitor);
}

AnyView AnyView::of(const Node& root) {
  return {root.type_name, root.where, &root, [](const void* p, lp::FieldVisitor& f) {
            interp::visit(*static_cast<const Node*>(p), f);
          }};
}

// An AnyView as an lp::view, so that format.hpp's own writers print it.
namespace {
struct Erased {
  static constexpr std::string_view type_name = "";  // the writers below do not print it
  const AnyView* any;
  lp::bytes bytes() const { return any->bytes; }
  void visit(lp::FieldVisitor& v) const { any->visit(any->view, v); }
};
}  // namespace

std::string to_json(const AnyView& view) { return fmt::format("{}", lp::json(Erased{&view})); }

std::string to_tree(const AnyView& view) {
  // fmt's "{:t}" for a view (fmt::formatter<lp::view>), with the view's own type name.
  std::string out = fmt::format("{} ({} byte{})", view.type_name, view.bytes.size(),
                                view.bytes.size() == 1 ? "" : "s");
  lp::detail::tree_writer<std::back_insert_iterator<std::string>> w(std::back_inserter(out));
  Erased{&view}.visit(w);
  return out;
}

std::string to_hexdump(const AnyView& view) {
  return fmt::format("{}", lp::annotated_hexdump(Erased{&view}));
}

}  // namespace lpc::interp
