#include "sema/eval.hpp"

#include <limits>
#include <type_traits>

#include "ast/overloaded.hpp"

namespace lpc::sema {
namespace {

constexpr std::uint64_t int64_max =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

EvalResult ok(Value v) { return {EvalStatus::ok, v}; }
EvalResult overflow() { return {EvalStatus::overflow, {}}; }
EvalResult not_constant() { return {EvalStatus::not_constant, {}}; }

// A value brought into the evaluation mode of its expression; an unsigned value
// above INT64_MAX cannot take part in a signed expression.
EvalResult convert(Value v, bool to_signed) {
  if (v.is_signed == to_signed) return ok(v);
  if (to_signed) {
    if (v.bits > int64_max) return overflow();
    return ok(Value::of_signed(static_cast<std::int64_t>(v.bits)));
  }
  if (v.as_signed() < 0) return overflow();
  return ok(Value::of_unsigned(v.bits));
}

Value boolean(bool b, bool is_signed) { return {is_signed, b ? 1u : 0u}; }

bool truthy(const Value& v) { return v.bits != 0; }

class Evaluator {
 public:
  explicit Evaluator(bool is_signed, const ast::Field* bound = nullptr,
                     std::uint64_t bound_value = 0)
      : signed_(is_signed), bound_(bound), bound_value_(bound_value) {}

  EvalResult eval(const ast::Expr& e) const {
    return std::visit(Overloaded{
                          [&](const ast::IntLiteral& lit) {
                            return convert(Value::of_unsigned(lit.value), signed_);
                          },
                          [&](const ast::StringLiteral&) { return not_constant(); },
                          [&](const ast::NameRef& ref) { return name(ref); },
                          [&](const ast::Unary& u) { return unary(u); },
                          [&](const ast::Binary& b) { return binary(b); },
                          [&](const ast::Conditional& c) {
                            const EvalResult cond = eval(*c.condition);
                            if (cond.status != EvalStatus::ok) return cond;
                            return eval(truthy(cond.value) ? *c.if_true : *c.if_false);
                          },
                      },
                      e.node);
  }

 private:
  EvalResult name(const ast::NameRef& ref) const {
    if (bound_ != nullptr && ref.field == bound_ && ref.measure == ast::Measure::none)
      return convert(Value::of_unsigned(bound_value_), signed_);
    if (ref.constant != nullptr) {
      const Value v = ref.constant->resolved_is_negative
                          ? Value::of_signed(ref.constant->resolved_signed)
                          : Value::of_unsigned(ref.constant->resolved_value);
      return convert(v, signed_);
    }
    if (ref.enum_decl != nullptr) {
      return convert(
          Value::of_unsigned(ref.enum_decl->members[ref.enum_member_index].resolved_value),
          signed_);
    }
    if (ref.flags_decl != nullptr) {  // a flag's mask
      return convert(
          Value::of_unsigned(std::uint64_t{1}
                             << ref.flags_decl->members[ref.flags_member_index].resolved_value),
          signed_);
    }
    return not_constant();
  }

  EvalResult unary(const ast::Unary& u) const {
    const EvalResult r = eval(*u.operand);
    if (r.status != EvalStatus::ok) return r;
    const Value v = r.value;
    switch (u.op) {
      case ast::UnaryOp::negate:
        if (!signed_) return v.bits == 0 ? ok(v) : overflow();
        if (v.as_signed() == std::numeric_limits<std::int64_t>::min()) return overflow();
        return ok(Value::of_signed(-v.as_signed()));
      case ast::UnaryOp::bit_not:
        return ok(Value{signed_, ~v.bits});
      case ast::UnaryOp::logical_not:
        return ok(boolean(!truthy(v), signed_));
    }
    return overflow();
  }

  EvalResult binary(const ast::Binary& b) const {
    const EvalResult l = eval(*b.lhs);
    const EvalResult r = eval(*b.rhs);
    // Short-circuit results: an error on the side not taken does not count.
    if (b.op == ast::BinaryOp::logical_and || b.op == ast::BinaryOp::logical_or) {
      const bool is_and = b.op == ast::BinaryOp::logical_and;
      if (l.status == EvalStatus::ok && truthy(l.value) != is_and)
        return ok(boolean(!is_and, signed_));
      if (l.status != EvalStatus::ok) return l;
      if (r.status != EvalStatus::ok) return r;
      return ok(boolean(truthy(r.value), signed_));
    }
    if (l.status != EvalStatus::ok) return l;
    if (r.status != EvalStatus::ok) return r;
    return signed_ ? signed_op(b.op, l.value.as_signed(), r.value.as_signed())
                   : unsigned_op(b.op, l.value.bits, r.value.bits);
  }

  static EvalResult unsigned_op(ast::BinaryOp op, std::uint64_t a, std::uint64_t b) {
    using ast::BinaryOp;
    std::uint64_t out = 0;
    const auto u = [](std::uint64_t v) { return ok(Value::of_unsigned(v)); };
    switch (op) {
      case BinaryOp::mul:
        return __builtin_mul_overflow(a, b, &out) ? overflow() : u(out);
      case BinaryOp::add:
        return __builtin_add_overflow(a, b, &out) ? overflow() : u(out);
      case BinaryOp::sub:
        return __builtin_sub_overflow(a, b, &out) ? overflow() : u(out);
      case BinaryOp::div:
        return b == 0 ? overflow() : u(a / b);
      case BinaryOp::mod:
        return b == 0 ? overflow() : u(a % b);
      case BinaryOp::shl:
        if (b >= 64 || ((a << b) >> b) != a) return overflow();
        return u(a << b);
      case BinaryOp::shr:
        return b >= 64 ? overflow() : u(a >> b);
      case BinaryOp::lt:
        return ok(boolean(a < b, false));
      case BinaryOp::le:
        return ok(boolean(a <= b, false));
      case BinaryOp::gt:
        return ok(boolean(a > b, false));
      case BinaryOp::ge:
        return ok(boolean(a >= b, false));
      case BinaryOp::eq:
        return ok(boolean(a == b, false));
      case BinaryOp::ne:
        return ok(boolean(a != b, false));
      case BinaryOp::bit_and:
        return u(a & b);
      case BinaryOp::bit_xor:
        return u(a ^ b);
      case BinaryOp::bit_or:
        return u(a | b);
      case BinaryOp::logical_and:
      case BinaryOp::logical_or:
        break;  // handled by the caller
    }
    return overflow();
  }

  static EvalResult signed_op(ast::BinaryOp op, std::int64_t a, std::int64_t b) {
    using ast::BinaryOp;
    std::int64_t out = 0;
    const auto s = [](std::int64_t v) { return ok(Value::of_signed(v)); };
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    switch (op) {
      case BinaryOp::mul:
        return __builtin_mul_overflow(a, b, &out) ? overflow() : s(out);
      case BinaryOp::add:
        return __builtin_add_overflow(a, b, &out) ? overflow() : s(out);
      case BinaryOp::sub:
        return __builtin_sub_overflow(a, b, &out) ? overflow() : s(out);
      case BinaryOp::div:
        return (b == 0 || (a == min && b == -1)) ? overflow() : s(a / b);
      case BinaryOp::mod:
        return (b == 0 || (a == min && b == -1)) ? overflow() : s(a % b);
      case BinaryOp::shl: {
        if (b < 0 || b >= 64 || a < 0) return overflow();
        const auto ua = static_cast<std::uint64_t>(a);
        const std::uint64_t shifted = ua << b;
        if ((shifted >> b) != ua || shifted > int64_max) return overflow();
        return s(static_cast<std::int64_t>(shifted));
      }
      case BinaryOp::shr:
        return (b < 0 || b >= 64) ? overflow() : s(a >> b);
      case BinaryOp::lt:
        return ok(boolean(a < b, true));
      case BinaryOp::le:
        return ok(boolean(a <= b, true));
      case BinaryOp::gt:
        return ok(boolean(a > b, true));
      case BinaryOp::ge:
        return ok(boolean(a >= b, true));
      case BinaryOp::eq:
        return ok(boolean(a == b, true));
      case BinaryOp::ne:
        return ok(boolean(a != b, true));
      case BinaryOp::bit_and:
        return s(a & b);
      case BinaryOp::bit_xor:
        return s(a ^ b);
      case BinaryOp::bit_or:
        return s(a | b);
      case BinaryOp::logical_and:
      case BinaryOp::logical_or:
        break;
    }
    return overflow();
  }

  bool signed_;
  const ast::Field* bound_;  // a field given a value (evaluate_with_field), or null
  std::uint64_t bound_value_;
};

}  // namespace

int compare(const Value& a, const Value& b) {
  if (a.is_negative() != b.is_negative()) return a.is_negative() ? -1 : 1;
  if (a.is_negative()) {
    return a.as_signed() < b.as_signed() ? -1 : (a.as_signed() > b.as_signed() ? 1 : 0);
  }
  return a.bits < b.bits ? -1 : (a.bits > b.bits ? 1 : 0);
}

bool is_signed_expression(const ast::Expr& expr) {
  return std::visit(
      Overloaded{
          [](const ast::IntLiteral&) { return false; },
          [](const ast::StringLiteral&) { return false; },
          [](const ast::NameRef& ref) {
            if (ref.constant != nullptr) return ref.constant->resolved_is_negative;
            if (ref.element_field != nullptr) {  // `it.kind`
              const auto* named = std::get_if<ast::NamedType>(&ref.element_field->type->node);
              return named != nullptr && named->is_signed;
            }
            if (ref.element_let != nullptr) return ref.element_let->is_signed;  // `it.let`
            if (ref.carried != nullptr) {  // the carried parameter
              return std::get<ast::NamedType>(ref.carried->param->type->node).is_signed;
            }
            if (ref.element_type != nullptr) return ref.element_type->is_signed;  // `it`
            if (ref.let != nullptr) return ref.let->is_signed;
            if (ref.param != nullptr) {
              const auto* named =
                  ref.param->type ? std::get_if<ast::NamedType>(&ref.param->type->node) : nullptr;
              return named != nullptr && named->is_signed;
            }
            if (ref.field != nullptr) {
              if (const auto* named = std::get_if<ast::NamedType>(&ref.field->type->node)) {
                return named->is_signed;
              }
            }
            return false;
          },
          [](const ast::Unary& u) {
            if (u.op == ast::UnaryOp::negate &&
                std::holds_alternative<ast::IntLiteral>(u.operand->node)) {
              return true;
            }
            return is_signed_expression(*u.operand);
          },
          [](const ast::Binary& b) {
            return is_signed_expression(*b.lhs) || is_signed_expression(*b.rhs);
          },
          [](const ast::Conditional& c) {
            return is_signed_expression(*c.condition) || is_signed_expression(*c.if_true) ||
                   is_signed_expression(*c.if_false);
          },
      },
      expr.node);
}

EvalResult evaluate_constant(const ast::Expr& expr) {
  return Evaluator(is_signed_expression(expr)).eval(expr);
}

EvalResult evaluate_with_field(const ast::Expr& expr, const ast::Field& field,
                               std::uint64_t value) {
  return Evaluator(is_signed_expression(expr), &field, value).eval(expr);
}

unsigned scalar_bits(const ast::NamedType& type) {
  return type.struct_decl != nullptr ? 0 : type.bits;
}

ValueRange value_range(const ast::NamedType& type) {
  const unsigned bits = scalar_bits(type);
  if (type.is_signed) {
    const std::int64_t max =
        bits >= 64 ? std::numeric_limits<std::int64_t>::max() : (std::int64_t{1} << (bits - 1)) - 1;
    return {Value::of_signed(-max - 1), Value::of_signed(max)};
  }
  const std::uint64_t max = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  return {Value::of_unsigned(0), Value::of_unsigned(max)};
}

namespace {

std::optional<std::uint64_t> constant_count(const ast::ExprPtr& e) {
  if (!e) return std::nullopt;
  const EvalResult r = evaluate_constant(*e);
  if (r.status != EvalStatus::ok || r.value.is_negative()) return std::nullopt;
  return r.value.bits;
}

std::optional<std::uint64_t> mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// The sum of a struct's member sizes (fixed_size_bits memoises it).
std::optional<std::uint64_t> struct_size_bits(const ast::StructDecl& decl, StructSizes& sizes) {
  // A parameterised struct is built from its arguments by parse(), never from
  // bytes alone: it is treated as variable-size wherever it is used.
  if (!decl.params.empty() || !decl.endian_param_name.empty()) return std::nullopt;
  std::uint64_t total = 0;
  for (const ast::Member& m : decl.members) {
    std::optional<std::uint64_t> bits;
    if (const auto* f = std::get_if<ast::Field>(&m)) {
      if (f->at) continue;                    // a reference occupies no bytes
      if (f->condition) return std::nullopt;  // optional: present or not, decided by the data
      bits = fixed_size_bits(*f->type, sizes);
    } else if (const auto* a = std::get_if<ast::Align>(&m)) {
      // From the start of the struct: the padding is known when everything before is.
      if (a->resolved == 0 || total % 8 != 0) return std::nullopt;
      const std::uint64_t bytes = total / 8;
      const std::uint64_t rem = bytes % a->resolved;
      if (rem == 0) continue;
      const auto pad = mul(a->resolved - rem, 8);
      bits = pad;
    } else if (const auto* p = std::get_if<ast::Pad>(&m)) {
      const auto n = constant_count(p->size);
      bits = n ? mul(*n, 8) : std::nullopt;
    } else {
      continue;
    }
    if (!bits || __builtin_add_overflow(total, *bits, &total)) return std::nullopt;
  }
  return total;
}

}  // namespace

std::optional<std::uint64_t> fixed_size_bits(const ast::TypeExpr& type) {
  StructSizes sizes;
  return fixed_size_bits(type, sizes);
}

std::optional<std::uint64_t> fixed_size_bits(const ast::StructDecl& decl) {
  StructSizes sizes;
  return fixed_size_bits(decl, sizes);
}

std::optional<std::uint64_t> fixed_size_bits(const ast::TypeExpr& type, StructSizes& sizes) {
  return std::visit(
      Overloaded{
          [&](const ast::NamedType& named) -> std::optional<std::uint64_t> {
            if (named.struct_decl != nullptr) return fixed_size_bits(*named.struct_decl, sizes);
            return named.bits;
          },
          [](const ast::BytesType& b) -> std::optional<std::uint64_t> {
            const auto n = constant_count(b.count);
            return n ? mul(*n, 8) : std::nullopt;
          },
          [&](const ast::ArrayType& a) -> std::optional<std::uint64_t> {
            const auto elem = fixed_size_bits(*a.element, sizes);
            if (!elem) return std::nullopt;
            if (a.count) {
              const auto n = constant_count(a.count);
              return n ? mul(*n, *elem) : std::nullopt;
            }
            const auto n = constant_count(a.byte_size);
            return n ? mul(*n, 8) : std::nullopt;
          },
          [](const ast::SwitchType&) -> std::optional<std::uint64_t> { return std::nullopt; },
      },
      type.node);
}

std::optional<std::uint64_t> fixed_size_bits(const ast::StructDecl& decl, StructSizes& sizes) {
  if (const auto it = sizes.find(&decl); it != sizes.end()) return it->second;
  const std::optional<std::uint64_t> bits = struct_size_bits(decl, sizes);
  sizes.emplace(&decl, bits);
  return bits;
}

}  // namespace lpc::sema
