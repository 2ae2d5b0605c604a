// Constraints on a field: `== value` and comparisons on integers (and whether
// they can ever hold for the field's type), string literals on bytes and
// strings, `where` on arrays.
#include <fmt/format.h>

#include "sema/checker.hpp"

namespace lpc::sema {

void Checker::check_constraints(ExprContext ctx, ast::Field& field) {
  ctx.self_allowed = true;
  ctx.what = "constraint";
  if (is_text_field(field)) {
    check_text_constraints(ctx, field);
    return;
  }
  if (std::holds_alternative<ast::ArrayType>(field.type->node)) {
    check_array_constraints(ctx, field);
    return;
  }
  for (ast::Constraint& c : field.constraints) {
    if (!is_numeric_field(field)) {
      const auto* n = std::get_if<ast::NamedType>(&field.type->node);
      if (n == nullptr || n->struct_decl != nullptr || n->is_float) {
        diags_.error(c.range,
                     fmt::format("constraints apply to integer and enum fields; '{}' is {}",
                                 field.name, field_kind(field)));
      }
      return;
    }
    if (const auto* text = std::get_if<ast::StringLiteral>(&c.expr->node);
        text != nullptr && c.kind == ast::ConstraintKind::equals) {
      report_integer_vs_string(c.range, &field, *text);  // `magic: u32 == "MQTT"`
      continue;
    }
    if (!resolve_expr(ctx, *c.expr)) continue;
    const auto& type = std::get<ast::NamedType>(field.type->node);
    const ValueRange range = value_range(type);
    if (c.kind == ast::ConstraintKind::equals) {
      const EvalResult r = evaluate_constant(*c.expr);
      if (r.status == EvalStatus::overflow) {
        diags_.error(c.expr->range, "arithmetic overflow in constant expression");
      } else if (r.status == EvalStatus::ok &&
                 (compare(r.value, range.min) < 0 || compare(r.value, range.max) > 0)) {
        report_impossible(c, field, type, range);
      }
      continue;
    }
    check_constant_condition(*c.expr);
    check_comparison_range(c, field, type, range);
  }
}

// `name: bytes[4] == "MQTT"` (a string literal after `==`) and `where` clauses,
// which compare the field with string literals.
void Checker::check_text_constraints(const ExprContext& ctx, ast::Field& field) {
  for (ast::Constraint& c : field.constraints) {
    if (c.kind == ast::ConstraintKind::where) {
      if (resolve_expr(ctx, *c.expr)) check_constant_condition(*c.expr);
      continue;
    }
    if (!is_string_literal(*c.expr)) {
      diags_.error(c.expr->range,
                   fmt::format("'{}' is {}: '==' after it takes a string literal", field.name,
                               field_kind(field)),
                   fmt::format("{}: {} == \"...\";", field.name, field.type->range.text()));
      continue;
    }
    check_text_length(c.range, field, *c.expr, true);
  }
}

// `topics: Topic[] size(n) where count(topics) >= 1;`: `where` only (an array
// equals nothing).
void Checker::check_array_constraints(const ExprContext& ctx, ast::Field& field) {
  for (ast::Constraint& c : field.constraints) {
    if (c.kind == ast::ConstraintKind::equals) {
      diags_.error(c.range, fmt::format("'{}' is an array: it takes 'where', not '=='", field.name),
                   fmt::format("compare what it holds: where count({}) == ...", field.name));
      continue;
    }
    if (resolve_expr(ctx, *c.expr)) check_constant_condition(*c.expr);
  }
}

void Checker::report_impossible(const ast::Constraint& c, const ast::Field& field,
                                const ast::NamedType& type, const ValueRange& range) {
  diags_.error(c.range, fmt::format("constraint can never hold: '{}' is {} ({}..{})", field.name,
                                    type.enum_decl != nullptr
                                        ? fmt::format("an enum of base {}",
                                                      type.enum_decl->base->range.text())
                                        : fmt::format("a {}", field.type->range.text()),
                                    format_value(range.min), format_value(range.max)));
}

// `x OP constant` or `constant OP x` where x is the constrained field: can the
// comparison be true for any value in x's range?
void Checker::check_comparison_range(const ast::Constraint& c, const ast::Field& field,
                                     const ast::NamedType& type, const ValueRange& range) {
  const auto* bin = std::get_if<ast::Binary>(&c.expr->node);
  if (bin == nullptr) return;
  const auto is_self = [&](const ast::Expr& e) {
    const auto* ref = std::get_if<ast::NameRef>(&e.node);
    return ref != nullptr && ref->field == &field;
  };
  ast::BinaryOp op = bin->op;
  const ast::Expr* constant = nullptr;
  if (is_self(*bin->lhs)) {
    constant = bin->rhs.get();
  } else if (is_self(*bin->rhs)) {
    constant = bin->lhs.get();
    // Mirror `c < x` into `x > c`.
    switch (op) {
      case ast::BinaryOp::lt:
        op = ast::BinaryOp::gt;
        break;
      case ast::BinaryOp::le:
        op = ast::BinaryOp::ge;
        break;
      case ast::BinaryOp::gt:
        op = ast::BinaryOp::lt;
        break;
      case ast::BinaryOp::ge:
        op = ast::BinaryOp::le;
        break;
      default:
        break;
    }
  } else {
    return;
  }
  const EvalResult r = evaluate_constant(*constant);
  if (r.status != EvalStatus::ok) return;
  const Value& v = r.value;
  bool possible = true;
  switch (op) {
    case ast::BinaryOp::eq:
      possible = compare(range.min, v) <= 0 && compare(v, range.max) <= 0;
      break;
    case ast::BinaryOp::ne:
      possible = !(compare(range.min, v) == 0 && compare(range.max, v) == 0);
      break;
    case ast::BinaryOp::lt:
      possible = compare(range.min, v) < 0;
      break;
    case ast::BinaryOp::le:
      possible = compare(range.min, v) <= 0;
      break;
    case ast::BinaryOp::gt:
      possible = compare(range.max, v) > 0;
      break;
    case ast::BinaryOp::ge:
      possible = compare(range.max, v) >= 0;
      break;
    default:
      break;
  }
  if (!possible) report_impossible(c, field, type, range);
}

}  // namespace lpc::sema
