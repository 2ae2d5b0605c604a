// Upper bounds on what parse() consumes (bounds.hpp): interval arithmetic over
// the expressions that give lengths, counts and sizes, then a sum over members.
#include "plan/bounds.hpp"

#include <algorithm>
#include <variant>

#include "ast/queries.hpp"

namespace lpc::plan {
namespace {

using layout::MemberKind;
using layout::MemberLayout;

constexpr auto kLimit = static_cast<std::int64_t>(kBoundLimit);

// The values an expression can take; null when unknown or beyond kBoundLimit.
struct Range {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
};
using MaybeRange = std::optional<Range>;

MaybeRange checked(std::int64_t lo, std::int64_t hi) {
  if (lo < -kLimit || hi > kLimit || lo > hi) return std::nullopt;
  return Range{lo, hi};
}

MaybeRange exactly(std::uint64_t v) {
  return v > kBoundLimit
             ? std::nullopt
             : MaybeRange(Range{static_cast<std::int64_t>(v), static_cast<std::int64_t>(v)});
}

// Every value of an integer type of `bits` bits.
MaybeRange of_width(unsigned bits, bool is_signed) {
  if (bits == 0 || bits >= 48) return std::nullopt;
  const std::int64_t span = std::int64_t{1} << bits;
  return is_signed ? Range{-span / 2, span / 2 - 1} : Range{0, span - 1};
}

MaybeRange of_type(const ast::TypeExpr* type) {
  const auto* named = type != nullptr ? std::get_if<ast::NamedType>(&type->node) : nullptr;
  if (named == nullptr || named->struct_decl != nullptr || named->is_float) return std::nullopt;
  if (named->varint != ast::VarintKind::none) return std::nullopt;  // 64 bits
  return of_width(named->bits, named->is_signed);
}

// x * y for intervals whose bounds are at most kLimit in size: the products fit
// in 96 bits, so they are compared against the limit through division first.
MaybeRange multiply(Range a, Range b) {
  if (a.lo < 0 || b.lo < 0) return std::nullopt;  // lengths: keep to the plain case
  if (a.hi != 0 && b.hi > kLimit / a.hi) return std::nullopt;
  return Range{a.lo * b.lo, a.hi * b.hi};
}

class ExprRanges {
 public:
  MaybeRange of(const ast::Expr& e) const {
    return std::visit([&](const auto& node) { return node_range(node); }, e.node);
  }

 private:
  MaybeRange node_range(const ast::IntLiteral& lit) const { return exactly(lit.value); }
  MaybeRange node_range(const ast::StringLiteral&) const { return std::nullopt; }
  MaybeRange node_range(const ast::NameRef& ref) const {
    if (ref.remaining || ref.measure != ast::Measure::none) return std::nullopt;
    if (ref.field != nullptr) return field_range(*ref.field);
    if (ref.constant != nullptr) return exactly(ref.constant->resolved_value);
    if (ref.enum_decl != nullptr)
      return exactly(ref.enum_decl->members[ref.enum_member_index].resolved_value);
    if (ref.let != nullptr) return of(*ref.let->value);
    if (ref.param != nullptr && !ref.param->is_endian) return of_type(ref.param->type.get());
    return std::nullopt;
  }
  MaybeRange node_range(const ast::Unary& u) const {
    if (u.op == ast::UnaryOp::logical_not) return Range{0, 1};
    const MaybeRange r = of(*u.operand);
    if (!r || u.op != ast::UnaryOp::negate) return std::nullopt;
    return checked(-r->hi, -r->lo);
  }
  MaybeRange node_range(const ast::Conditional& c) const {
    const MaybeRange a = of(*c.if_true);
    const MaybeRange b = of(*c.if_false);
    if (!a || !b) return std::nullopt;
    return Range{std::min(a->lo, b->lo), std::max(a->hi, b->hi)};
  }
  MaybeRange node_range(const ast::Binary& b) const {
    using Op = ast::BinaryOp;
    switch (b.op) {
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge:
      case Op::eq:
      case Op::ne:
      case Op::logical_and:
      case Op::logical_or:
        return Range{0, 1};
      default:
        break;
    }
    const MaybeRange l = of(*b.lhs);
    const MaybeRange r = of(*b.rhs);
    if (!l || !r) return std::nullopt;
    switch (b.op) {
      case Op::add:
        return checked(l->lo + r->lo, l->hi + r->hi);
      case Op::sub:
        return checked(l->lo - r->hi, l->hi - r->lo);
      case Op::mul:
        return multiply(*l, *r);
      case Op::div:
        if (l->lo < 0 || r->lo <= 0) return std::nullopt;
        return Range{l->lo / r->hi, l->hi / r->lo};
      case Op::mod:
        if (l->lo < 0 || r->lo <= 0) return std::nullopt;
        return Range{0, std::min(l->hi, r->hi - 1)};
      case Op::shl:
        if (l->lo < 0 || r->lo < 0 || r->hi >= 48) return std::nullopt;
        return multiply(*l, Range{std::int64_t{1} << r->lo, std::int64_t{1} << r->hi});
      case Op::shr:
        if (l->lo < 0 || r->lo < 0) return std::nullopt;
        return Range{r->hi >= 63 ? 0 : l->lo >> r->hi, r->lo >= 63 ? 0 : l->hi >> r->lo};
      case Op::bit_and:
        if (l->lo < 0 || r->lo < 0) return std::nullopt;
        return Range{0, std::min(l->hi, r->hi)};
      case Op::bit_or:
      case Op::bit_xor: {
        if (l->lo < 0 || r->lo < 0) return std::nullopt;
        std::int64_t all = 1;  // all ones up to the highest bit either can have
        while (all < std::max(l->hi, r->hi)) all = all * 2 + 1;
        return Range{0, all};
      }
      default:
        return std::nullopt;
    }
  }

  // A field's width, narrowed by its own constraints that compare it with a
  // constant (`== 4`, `where len <= 16384`, joined by &&).
  MaybeRange field_range(const ast::Field& f) const {
    MaybeRange r = of_type(f.type.get());
    if (!r) return r;
    for (const auto& c : f.constraints) {
      if (c.kind == ast::ConstraintKind::equals) {
        if (const MaybeRange v = constant(*c.expr)) r = narrowed(*r, *v);
      } else {
        narrow(f, *c.expr, *r);
      }
      if (r->lo > r->hi) return std::nullopt;  // no value passes: nothing to bound by
    }
    return r;
  }

  // A constant operand (a literal, a const, an enum member): its one value.
  MaybeRange constant(const ast::Expr& e) const {
    if (const auto* lit = std::get_if<ast::IntLiteral>(&e.node)) return exactly(lit->value);
    const auto* ref = std::get_if<ast::NameRef>(&e.node);
    if (ref == nullptr || (ref->constant == nullptr && ref->enum_decl == nullptr))
      return std::nullopt;
    return node_range(*ref);
  }

  static Range narrowed(Range r, Range v) {
    return Range{std::max(r.lo, v.lo), std::min(r.hi, v.hi)};
  }

  void narrow(const ast::Field& f, const ast::Expr& e, Range& r) const {
    const auto* b = std::get_if<ast::Binary>(&e.node);
    if (b == nullptr) return;
    if (b->op == ast::BinaryOp::logical_and) {
      narrow(f, *b->lhs, r);
      narrow(f, *b->rhs, r);
      return;
    }
    const auto names_f = [&](const ast::Expr& side) {
      const auto* ref = std::get_if<ast::NameRef>(&side.node);
      return ref != nullptr && ref->field == &f && ref->measure == ast::Measure::none;
    };
    // `f OP c`, or `c OP f` read as `f OP' c`.
    ast::BinaryOp op = b->op;
    MaybeRange c;
    if (names_f(*b->lhs)) {
      c = constant(*b->rhs);
    } else if (names_f(*b->rhs)) {
      c = constant(*b->lhs);
      using Op = ast::BinaryOp;
      op = op == Op::lt   ? Op::gt
           : op == Op::le ? Op::ge
           : op == Op::gt ? Op::lt
           : op == Op::ge ? Op::le
                          : op;
    }
    if (!c) return;
    switch (op) {
      case ast::BinaryOp::eq:
        r = narrowed(r, *c);
        break;
      case ast::BinaryOp::le:
        r.hi = std::min(r.hi, c->hi);
        break;
      case ast::BinaryOp::lt:
        r.hi = std::min(r.hi, c->hi - 1);
        break;
      case ast::BinaryOp::ge:
        r.lo = std::max(r.lo, c->lo);
        break;
      case ast::BinaryOp::gt:
        r.lo = std::max(r.lo, c->lo + 1);
        break;
      default:
        break;
    }
  }
};

// The most bytes a length expression allows; null when unbounded.
std::optional<std::uint64_t> most(const ast::Expr& e) {
  const MaybeRange r = ExprRanges{}.of(e);
  if (!r) return std::nullopt;
  return static_cast<std::uint64_t>(std::max<std::int64_t>(r->hi, 0));
}

std::optional<std::uint64_t> add(std::optional<std::uint64_t> a, std::optional<std::uint64_t> b) {
  if (!a || !b || *a + *b > kBoundLimit) return std::nullopt;
  return *a + *b;
}

std::optional<std::uint64_t> times(std::optional<std::uint64_t> a, std::optional<std::uint64_t> b) {
  if (!a || !b) return std::nullopt;
  if (*a != 0 && *b > kBoundLimit / *a) return std::nullopt;
  return *a * *b;
}

}  // namespace

std::optional<std::uint64_t> InputBounds::max_bytes(const ast::StructDecl& decl) {
  if (const auto [it, inserted] = memo_.try_emplace(&decl, std::nullopt); !inserted)
    return it->second;
  const layout::StructLayout& layout = layouts_->of(decl);
  std::optional<std::uint64_t> answer;
  if (layout.fixed_size) {
    answer = *layout.fixed_size;
  } else {
    bool reads_remaining = false;
    ast::each_member_expr(decl, [&](const ast::Expr& e, const ast::Let*) {
      reads_remaining = reads_remaining || ast::mentions_remaining(e);
    });
    if (!reads_remaining) {
      // Fixed members in bits (bit groups share bytes), the others in bytes.
      std::uint64_t bits = 0;
      std::optional<std::uint64_t> bytes = 0;
      for (const MemberLayout& m : layout.members) {
        if (m.peek) continue;  // read, not consumed
        if (m.bit_width) {
          bits += *m.bit_width;
        } else if (m.present_bits) {
          bits += *m.present_bits;
        } else {
          bytes = add(bytes, member_bytes(m));
        }
        if (!bytes || bits / 8 > kBoundLimit) break;
      }
      answer = add(bytes, (bits + 7) / 8);
    }
  }
  memo_[&decl] = answer;
  return answer;
}

std::optional<std::uint64_t> InputBounds::member_bytes(const MemberLayout& m) {
  if (m.peek || m.kind == MemberKind::let) return 0;
  if (m.kind == MemberKind::pad) return most(*std::get<ast::Pad>(*m.member).size);
  if (m.kind == MemberKind::align) {
    const auto n = most(*std::get<ast::Align>(*m.member).alignment);
    return n && *n > 0 ? *n - 1 : n;
  }
  return type_bytes(*m.field->type);
}

std::optional<std::uint64_t> InputBounds::type_bytes(const ast::TypeExpr& type) {
  if (const auto* named = std::get_if<ast::NamedType>(&type.node)) {
    if (named->struct_decl != nullptr) return max_bytes(*named->struct_decl);
    if (named->varint == ast::VarintKind::quic) return 8;
    if (named->varint != ast::VarintKind::none) return 10;  // LEB128 of 64 bits
    return (std::uint64_t{named->bits} + 7) / 8;
  }
  if (const auto* b = std::get_if<ast::BytesType>(&type.node)) {
    if (!b->count) return std::nullopt;  // the rest of the buffer, or up to a NUL
    return most(*b->count);
  }
  if (const auto* a = std::get_if<ast::ArrayType>(&type.node)) {
    if (a->byte_size) return most(*a->byte_size);
    if (a->count) return times(most(*a->count), type_bytes(*a->element));
    return std::nullopt;  // to the end of the buffer, or until a condition
  }
  const auto& sw = std::get<ast::SwitchType>(type.node);
  if (sw.byte_size) return most(*sw.byte_size);
  std::optional<std::uint64_t> widest = 0;
  for (const auto& arm : sw.arms) {
    const auto arm_bytes = arm.indirect ? std::nullopt : type_bytes(*arm.type);
    if (!arm_bytes) return std::nullopt;
    widest = std::max(*widest, *arm_bytes);
  }
  return widest;
}

}  // namespace lpc::plan
