// Field types: bit groups that end on a byte boundary, byte order, and the
// shape of bytes, arrays and switches (tags, sizes, cases, arm types).
#include <fmt/format.h>

#include <map>

#include "sema/checker.hpp"

namespace lpc::sema {

void Checker::check_bit_boundary(unsigned& bit_cursor, const ast::Field* last_bit_field,
                                 SourceRange range, std::string_view next) {
  if (bit_cursor % 8 != 0 && last_bit_field != nullptr) {
    diags_.error(range,
                 fmt::format("bit fields before {} stop {} bits into a byte", next, bit_cursor % 8),
                 fmt::format("a bit group must end on a byte boundary; add '_: u{};' after '{}'",
                             8 - bit_cursor % 8, last_bit_field->name));
  }
  bit_cursor = 0;
}

// Byte order of a multi-byte, byte-aligned scalar: suffix, struct, file.
void Checker::check_byte_order(const ast::Module& module, const ast::StructDecl& s,
                               const ast::NamedType& t, SourceRange range, std::string_view name) {
  if (t.explicit_order || s.endian || !s.endian_param_name.empty() || module.endian) return;
  diags_.error(range, fmt::format("multi-byte field '{}' has no byte order", name),
               fmt::format("add 'endian big;' or 'endian little;' to the file or the struct, or "
                           "write the type as {}{}be / {}{}le",
                           t.is_float ? 'f' : 'u', t.bits, t.is_float ? 'f' : 'u', t.bits));
}

void Checker::check_field_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                               ast::Field& field, unsigned& bit_cursor,
                               const ast::Field*& last_bit_field) {
  ast::TypeExpr& type = *field.type;
  if (auto* named = std::get_if<ast::NamedType>(&type.node)) {
    if (!resolve_named(module, *named, type.range)) {
      bit_cursor = 0;
      return;
    }
    check_arguments(ctx, *named, type.range);
    if (named->varint != ast::VarintKind::none) {
      check_bit_boundary(bit_cursor, last_bit_field, field.range, fmt::format("'{}'", field.name));
      if (field.condition) report_optional_sequence(field, "a varint");
      return;
    }
    if (named->struct_decl == nullptr && !named->is_float) {
      // An integer or enum: byte-aligned when it starts and ends on a byte boundary.
      if (bit_cursor % 8 == 0 && named->bits % 8 == 0) {
        if (named->bits > 8) check_byte_order(module, s, *named, type.range, field.name);
      } else {
        bit_cursor += named->bits;
        last_bit_field = &field;
      }
      return;
    }
    check_bit_boundary(bit_cursor, last_bit_field, field.range, fmt::format("'{}'", field.name));
    if (named->is_float) check_byte_order(module, s, *named, type.range, field.name);
    return;
  }
  check_bit_boundary(bit_cursor, last_bit_field, field.range, fmt::format("'{}'", field.name));
  check_region_type(module, s, ctx, field, type);
}

// bytes, arrays and switches: also the types of switch arms.
void Checker::check_region_type(const ast::Module& module, const ast::StructDecl& s,
                                ExprContext ctx, ast::Field& field, ast::TypeExpr& type) {
  const bool in_arm = &type != field.type.get();
  if (auto* b = std::get_if<ast::BytesType>(&type.node)) {
    ctx.what = "length";
    if (b->count && resolve_expr(ctx, *b->count)) check_constant_size(*b->count, ctx.what);
    if (in_arm && b->kind != ast::BytesKind::bytes) report_not_an_arm(type, "a string");
    if (!in_arm && field.condition && b->kind != ast::BytesKind::bytes) {
      report_optional_sequence(field, "a string");
    }
    return;
  }
  if (auto* a = std::get_if<ast::ArrayType>(&type.node)) {
    if (in_arm) arm_arrays_.insert(a);
    if (!in_arm && field.condition) {
      if (a->until) report_optional_sequence(field, "an 'until' array");
      optional_arrays_.emplace(a, &field);
    }
    check_array_type(module, s, ctx, field, *a);
    return;
  }
  if (auto* sw = std::get_if<ast::SwitchType>(&type.node)) {
    check_switch(module, s, ctx, field, *sw);
    return;
  }
  auto& named = std::get<ast::NamedType>(type.node);
  if (!resolve_named(module, named, type.range)) return;
  check_arguments(ctx, named, type.range);
  if (named.struct_decl != nullptr) return;
  if (named.varint != ast::VarintKind::none) {
    report_not_an_arm(type, "a varint");
    return;
  }
  if (named.bits % 8 != 0) {
    diags_.error(type.range,
                 fmt::format("a switch arm cannot be a bit field ('{}' is {} bits wide)",
                             type.range.text(), named.bits));
    return;
  }
  if (named.bits > 8) check_byte_order(module, s, named, type.range, field.name);
  if (named.bits > 8) check_static_order(s, named, type.range, "switch arms");
}

// Typed arrays and scalar switch arms need a byte order known at compile time.
void Checker::check_static_order(const ast::StructDecl& s, const ast::NamedType& t,
                                 SourceRange range, std::string_view what) {
  if (t.explicit_order || s.endian || s.endian_param_name.empty()) return;
  diags_.error(range,
               fmt::format("{} need a byte order known at compile time; '{}' has the byte "
                           "order of parameter '{}'",
                           what, range.text(), s.endian_param_name),
               fmt::format("write the type with a suffix ({}{}be / {}{}le), or wrap it in a "
                           "struct that takes the order as a parameter",
                           t.is_float ? 'f' : 'u', t.bits, t.is_float ? 'f' : 'u', t.bits));
}

void Checker::check_array_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                               ast::Field& field, ast::ArrayType& a) {
  check_until_clause(ctx, a);
  if (a.count) {
    ctx.what = "count";
    if (resolve_expr(ctx, *a.count)) check_constant_size(*a.count, ctx.what);
  }
  if (a.byte_size) {
    ctx.what = "size";
    if (resolve_expr(ctx, *a.byte_size)) check_constant_size(*a.byte_size, ctx.what);
  }
  auto* elem = std::get_if<ast::NamedType>(&a.element->node);
  if (elem == nullptr) {
    diags_.error(a.element->range, "array elements must be named types");
    return;
  }
  if (!resolve_named(module, *elem, a.element->range)) return;
  if (a.carry) a.carry->field = field.name;
  if (a.carry && !check_carry_clause(ctx, a, *elem)) return;
  check_arguments(ctx, *elem, a.element->range);
  if (elem->struct_decl != nullptr) {
    // A parameterised element (`Record(order)[]`) is variable-size: a lazy array
    // whose arguments parse() evaluates once, before the first element.
    arrays_of_structs_.push_back(&a);
    return;
  }
  if (elem->varint != ast::VarintKind::none) {
    diags_.error(a.element->range, "varints cannot be array elements",
                 "wrap the varint in a struct and make an array of that struct");
    return;
  }
  if (elem->bits % 8 != 0) {
    diags_.error(a.element->range,
                 fmt::format("bit fields cannot be array elements ('{}' is {} bits wide)",
                             a.element->range.text(), elem->bits),
                 "use an integer of 8, 16, 24, 32 or 64 bits");
    return;
  }
  if (!elem->is_float && elem->bits != 8 && elem->bits != 16 && elem->bits != 24 &&
      elem->bits != 32 && elem->bits != 64) {
    diags_.error(a.element->range,
                 fmt::format("arrays of {}-bit integers are not supported", elem->bits),
                 "use an integer of 8, 16, 24, 32 or 64 bits, or bytes[n]");
    return;
  }
  if (elem->bits > 8) check_byte_order(module, s, *elem, a.element->range, field.name);
  if (elem->bits > 8) check_static_order(s, *elem, a.element->range, "array elements");
  if (a.byte_size) check_array_byte_size(a, elem->bits / 8);
}

void Checker::check_switch(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                           ast::Field& field, ast::SwitchType& sw) {
  ctx.what = "switch tag";
  const bool tag_ok = resolve_expr(ctx, *sw.tag);
  if (tag_ok) check_constant_overflow(*sw.tag);
  if (sw.byte_size) {
    ctx.what = "switch size";
    if (resolve_expr(ctx, *sw.byte_size)) check_constant_size(*sw.byte_size, ctx.what);
  }
  // The tag's range is known when it is a plain field.
  std::optional<ValueRange> tag_range;
  std::string tag_type;
  if (const auto* ref = std::get_if<ast::NameRef>(&sw.tag->node); tag_ok && ref && ref->field) {
    const auto& t = std::get<ast::NamedType>(ref->field->type->node);
    tag_range = value_range(t);
    tag_type = std::string(ref->field->type->range.text());
  }
  const ast::SwitchArm* default_arm = nullptr;
  std::map<std::string, const ast::SwitchArm*> arm_names;
  std::vector<std::pair<Value, const ast::SwitchArm*>> seen;
  for (ast::SwitchArm& arm : sw.arms) {
    check_identifier(arm.name_range, arm.name);
    if (auto [it, inserted] = arm_names.emplace(arm.name, &arm); !inserted) {
      diags_.error(arm.name_range, fmt::format("duplicate arm name '{}'", arm.name));
    }
    if (arm.is_default) {
      if (default_arm != nullptr) {
        diags_.error(arm.range, "a switch has at most one default arm");
        diags_.note(default_arm->range, "the first default arm is here");
      } else {
        default_arm = &arm;
      }
    }
    for (auto& c : arm.cases) check_case(ctx, *c, arm, tag_range, tag_type, seen);
    check_region_type(module, s, ctx, field, *arm.type);
  }
}

void Checker::check_case(const ExprContext& field_ctx, ast::Expr& c, const ast::SwitchArm& arm,
                         const std::optional<ValueRange>& tag_range, const std::string& tag_type,
                         std::vector<std::pair<Value, const ast::SwitchArm*>>& seen) {
  // Case values are constants; a field name is reported as such.
  if (const auto* ref = std::get_if<ast::NameRef>(&c.node);
      ref != nullptr && ref->parts.size() == 1 &&
      member_index(*field_ctx.structure, ref->parts[0]) != std::string::npos) {
    diags_.error(c.range, "case values must be constant expressions",
                 fmt::format("'{}' is a field", ref->parts[0]));
    return;
  }
  if (!resolve_constant_expr(*field_ctx.module, c)) return;
  const EvalResult r = evaluate_constant(c);
  if (r.status == EvalStatus::overflow) {
    diags_.error(c.range, "arithmetic overflow in constant expression");
    return;
  }
  if (r.status != EvalStatus::ok) {
    diags_.error(c.range, "case values must be constant expressions");
    return;
  }
  if (tag_range && (compare(r.value, tag_range->min) < 0 || compare(r.value, tag_range->max) > 0)) {
    diags_.error(c.range, fmt::format("case value {} does not fit the tag ({}: {}..{})",
                                      format_value(r.value), tag_type, format_value(tag_range->min),
                                      format_value(tag_range->max)));
    return;
  }
  for (const auto& [v, other] : seen) {
    if (compare(v, r.value) == 0) {
      diags_.error(c.range,
                   fmt::format("duplicate case value {} (also in arm '{}')", format_value(r.value),
                               other->name),
                   "case values must be distinct across arms");
      return;
    }
  }
  seen.emplace_back(r.value, &arm);
}

void Checker::report_not_an_arm(const ast::TypeExpr& type, std::string_view what) {
  diags_.error(type.range, fmt::format("a switch arm cannot be {} ('{}')", what, type.range.text()),
               "put it in a struct and use the struct as the arm's type");
}

}  // namespace lpc::sema
