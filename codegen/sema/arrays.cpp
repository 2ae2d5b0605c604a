// Arrays: the shape of an `until` array while its struct is checked; then, once
// every struct is, arrays of structs (whose element size is known only then, and
// only when the struct graph is acyclic) and `until` conditions, which read the
// fields of the element type (`it`, `it.field`).
#include <fmt/format.h>

#include "sema/checker.hpp"

namespace lpc::sema {

void Checker::check_array_elements() {
  StructSizes sizes;  // shared: a struct many arrays hold is measured once
  for (const ast::ArrayType* a : arrays_of_structs_) {
    const auto& elem = std::get<ast::NamedType>(a->element->node);
    const auto bits = fixed_size_bits(*elem.struct_decl, sizes);
    if (!bits) {
      // Variable-size elements are a lazy forward range; a switch arm cannot be one.
      if (arm_arrays_.count(a) != 0) {
        diags_.error(a->element->range,
                     fmt::format("a switch arm cannot be an array of variable-size elements "
                                 "('{}' has no fixed size)",
                                 elem.struct_decl->name),
                     "put the array in a struct and use the struct as the arm's type");
      }
      if (auto it = optional_arrays_.find(a); it != optional_arrays_.end()) {
        report_optional_sequence(*it->second, "an array of variable-size elements");
      }
    } else if (a->byte_size) {
      check_array_byte_size(*a, *bits / 8);
    }
  }
}

void Checker::check_array_byte_size(const ast::ArrayType& a, std::uint64_t element_size) {
  const EvalResult r = evaluate_constant(*a.byte_size);
  if (r.status == EvalStatus::ok && !r.value.is_negative() && element_size != 0 &&
      r.value.bits % element_size != 0) {
    diags_.error(a.byte_size->range,
                 fmt::format("size {} is not a multiple of the element size ({} bytes)",
                             r.value.bits, element_size));
  }
}

void Checker::report_optional_sequence(const ast::Field& field, std::string_view what) {
  diags_.error(field.condition->range,
               fmt::format("an optional field cannot be {} ('{}')", what, field.name),
               "put it in a struct and make a field of that struct optional");
}

// Shape of an `until` array; its condition is resolved once every struct is known.
void Checker::check_until_clause(const ExprContext& ctx, ast::ArrayType& a) {
  if (!a.until) return;
  if (a.count) {
    diags_.error(a.until->range, "'until' cannot be combined with an element count",
                 "use 'T[] until (...)', optionally with 'size(n)'");
    return;
  }
  if (arm_arrays_.count(&a) != 0) {
    diags_.error(a.until->range, "a switch arm cannot be an 'until' array",
                 "put the array in a struct and use the struct as the arm's type");
    return;
  }
  until_arrays_.emplace_back(ctx, &a);
}

void Checker::check_until_conditions() {
  for (auto& [field_ctx, a] : until_arrays_) {
    auto* elem = std::get_if<ast::NamedType>(&a->element->node);
    if (elem == nullptr || (elem->struct_decl == nullptr && elem->bits == 0)) continue;
    ExprContext ctx = field_ctx;
    ctx.element = elem;
    ctx.what = "until condition";
    if (resolve_expr(ctx, *a->until)) check_constant_overflow(*a->until);
  }
}

// `it` (a scalar element) or `it.field` (a field of a struct element).
bool Checker::resolve_element_ref(const ExprContext& ctx, ast::NameRef& ref, SourceRange range) {
  const ast::NamedType& elem = *ctx.element;
  if (elem.struct_decl == nullptr) {
    if (ref.parts.size() != 1) {
      diags_.error(range, fmt::format("'it' is a number here and has no fields"),
                   "write 'it' alone: the element just read");
      return false;
    }
    if (elem.is_float) {
      diags_.error(range, "'it' is a float: 'until' conditions compare integers");
      return false;
    }
    ref.element_type = &elem;
    return true;
  }
  const ast::StructDecl& st = *elem.struct_decl;
  std::vector<std::string> names;
  for (const auto& m : st.members) {
    if (const auto* f = std::get_if<ast::Field>(&m); f && f->name != "_") names.push_back(f->name);
  }
  if (ref.parts.size() != 2) {
    diags_.error(range, fmt::format("'it' is a '{}': name one of its fields", st.name),
                 names.empty() ? std::string() : fmt::format("e.g. 'it.{}'", names.front()));
    return false;
  }
  const std::size_t index = member_index(st, ref.parts[1]);
  if (index == std::string::npos && ctx.carry != nullptr) {
    if (const ast::Let* let = element_let(st, ref.parts[1])) {
      if (let->is_endian) {
        diags_.error(range, fmt::format("'it.{}' is a byte order, not an integer", let->name),
                     "a carried value is an integer");
        return false;
      }
      ref.element_type = &elem;
      ref.element_let = let;
      return true;
    }
  }
  if (index == std::string::npos) {
    if (ctx.carry != nullptr) {
      for (const auto& m : st.members) {
        if (const auto* l = std::get_if<ast::Let>(&m)) names.push_back(l->name);
      }
    }
    diags_.error(range,
                 fmt::format("struct '{}' has no {} '{}'", st.name,
                             ctx.carry != nullptr ? "field or let" : "field", ref.parts[1]),
                 did_you_mean(ref.parts[1], names));
    return false;
  }
  const auto& field = std::get<ast::Field>(st.members[index]);
  if (!is_numeric_field(field) || field.condition) {
    diags_.error(range,
                 fmt::format("'it.{}' is {}, not an integer", field.name,
                             field.condition ? "an optional field" : field_kind(field)),
                 ctx.carry != nullptr
                     ? "a carried value reads integer and enum fields and lets of the element"
                     : "'until' conditions read integer and enum fields of the element");
    return false;
  }
  ref.element_type = &elem;
  ref.element_field = &field;
  return true;
}

const ast::Let* Checker::element_let(const ast::StructDecl& st, std::string_view name) {
  for (const auto& m : st.members) {
    if (const auto* l = std::get_if<ast::Let>(&m); l != nullptr && l->name == name) return l;
  }
  return nullptr;
}

}  // namespace lpc::sema
