// Values carried from one array element to the next (`T(prev)[] carry (prev =
// initial, next)`): the clause's shape and first value while the struct is
// checked, the next value once the element's lets are known.
#include <fmt/format.h>

#include <algorithm>

#include "ast/queries.hpp"
#include "sema/checker.hpp"

namespace lpc::sema {

// `T(prev)[] carry (prev = initial, next)`: the shape, the argument that passes
// the carried value, and the first value. The next value is resolved once
// every struct (and so every let of the element) is known.
bool Checker::check_carry_clause(const ExprContext& field_ctx, ast::ArrayType& a,
                                 ast::NamedType& elem) {
  ast::CarryClause& carry = *a.carry;
  if (elem.struct_decl == nullptr || elem.struct_decl->params.empty()) {
    diags_.error(carry.range,
                 fmt::format("'carry' needs an array of a parameterised struct; '{}' takes no "
                             "parameters",
                             join(elem.parts)),
                 "declare the element as 'struct T(prev: u32) { ... }' and pass the carried "
                 "name: 'T(prev)[] carry (prev = 0, it.next)'");
    return false;
  }
  const ast::StructDecl& target = *elem.struct_decl;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < target.params.size(); ++i) {
    params.push_back(target.params[i].name);
    if (target.params[i].name == carry.name) {
      carry.param = &target.params[i];
      carry.param_index = i;
    }
  }
  if (carry.param == nullptr) {
    diags_.error(carry.name_range,
                 fmt::format("'{}' is not a parameter of '{}'", carry.name, target.name),
                 did_you_mean(carry.name, params));
    return false;
  }
  if (carry.param->is_endian) {
    diags_.error(carry.name_range,
                 fmt::format("parameter '{}' of '{}' is a byte order; a carried value is an "
                             "integer",
                             carry.name, target.name));
    return false;
  }
  if (field_ctx.structure != nullptr) {
    const ast::StructDecl& s = *field_ctx.structure;
    const bool taken = member_index(s, carry.name) != std::string::npos ||
                       element_let(s, carry.name) != nullptr ||
                       std::any_of(s.params.begin(), s.params.end(),
                                   [&](const ast::Param& p) { return p.name == carry.name; });
    if (taken) {
      diags_.error(carry.name_range,
                   fmt::format("the carried name '{}' is also a member or parameter of '{}'",
                               carry.name, s.name),
                   "inside the array's arguments and 'carry' it would hide that one; rename "
                   "the element's parameter");
      return false;
    }
  }
  if (elem.has_arguments && elem.arguments.size() == target.params.size()) {
    ast::Expr& arg = *elem.arguments[carry.param_index];
    auto* ref = std::get_if<ast::NameRef>(&arg.node);
    if (ref == nullptr || ref->parts.size() != 1 || ref->parts[0] != carry.name) {
      diags_.error(arg.range,
                   fmt::format("parameter '{}' of '{}' is carried: its argument must be '{}'",
                               carry.name, target.name, carry.name),
                   fmt::format("the carried value goes to the element by name: '{}({})[]'",
                               target.name, carry.name));
      return false;
    }
    ref->carried = &carry;
  }
  ExprContext ctx = field_ctx;
  ctx.what = "carried value";
  if (resolve_expr(ctx, *carry.initial)) {
    if (expr_kind(*carry.initial) == ExprKind::endian) {
      diags_.error(carry.initial->range, "the first carried value is a byte order",
                   fmt::format("parameter '{}' is an integer", carry.param->range.text()));
    } else {
      check_fits_param(*carry.initial, *carry.param, "first carried value");
    }
  }
  carry_arrays_.emplace_back(field_ctx, &a);
  return true;
}

// The next carried value: `it` (fields and lets of the element just read), the
// carried name and constants. What comes before the array reaches it through
// another argument of the element, read back as `it.name`.
void Checker::check_carried_values() {
  for (auto& [field_ctx, a] : carry_arrays_) {
    auto& elem = std::get<ast::NamedType>(a->element->node);
    ast::CarryClause& carry = *a->carry;
    ExprContext ctx = field_ctx;
    ctx.element = &elem;
    ctx.carry = &carry;
    ctx.what = "carried value";
    if (!resolve_expr(ctx, *carry.next)) continue;
    bool only_element = true;
    ast::each_name(*carry.next, [&](const ast::NameRef& ref) {
      if (!only_element) return;
      const bool outside = ref.field != nullptr || ref.let != nullptr || ref.param != nullptr ||
                           ref.measured_field != nullptr || ref.remaining ||
                           ref.order_literal.has_value();
      if (!outside) return;
      only_element = false;
      diags_.error(carry.next->range,
                   fmt::format("the next carried value reads '{}', which is not the element "
                               "('it'), '{}' or a constant",
                               join(ref.parts), carry.name),
                   fmt::format("pass '{}' to '{}' as another argument and read it back "
                               "through a let of the element ('it.name')",
                               join(ref.parts), elem.struct_decl->name));
    });
    if (!only_element) continue;
    if (expr_kind(*carry.next) == ExprKind::endian) continue;  // reported by expr_kind
    check_fits_param(*carry.next, *carry.param, "the next carried value");
  }
}

}  // namespace lpc::sema
