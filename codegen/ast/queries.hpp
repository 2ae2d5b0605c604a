// Read-only questions about a checked AST that more than one later stage asks:
// which names an expression mentions, every expression a type or struct holds,
// the struct a type names. No stage-specific policy lives here.
//
// Cost: each walk is linear in the expression or type it is given. Lifetime:
// results point into the AST.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <variant>

#include "ast/ast.hpp"

namespace lpc::ast {

// Calls visit(ref) for every name an expression mentions, left to right.
template <class Visit>
void each_name(const Expr& e, const Visit& visit) {
  if (const auto* ref = std::get_if<NameRef>(&e.node)) {
    visit(*ref);
  } else if (const auto* u = std::get_if<Unary>(&e.node)) {
    each_name(*u->operand, visit);
  } else if (const auto* b = std::get_if<Binary>(&e.node)) {
    each_name(*b->lhs, visit);
    each_name(*b->rhs, visit);
  } else if (const auto* c = std::get_if<Conditional>(&e.node)) {
    each_name(*c->condition, visit);
    each_name(*c->if_true, visit);
    each_name(*c->if_false, visit);
  }
}

// Every expression of a type: sizes, counts, arguments, tags, arms.
template <class Visit>
void each_type_expr(const TypeExpr& t, const Visit& visit) {
  if (const auto* n = std::get_if<NamedType>(&t.node)) {
    for (const auto& arg : n->arguments) visit(*arg);
  } else if (const auto* b = std::get_if<BytesType>(&t.node)) {
    if (b->count) visit(*b->count);
  } else if (const auto* a = std::get_if<ArrayType>(&t.node)) {
    if (a->count) visit(*a->count);
    if (a->byte_size) visit(*a->byte_size);
    if (a->until) visit(*a->until);
    if (a->carry) {
      visit(*a->carry->initial);
      visit(*a->carry->next);
    }
    each_type_expr(*a->element, visit);
  } else if (const auto* s = std::get_if<SwitchType>(&t.node)) {
    visit(*s->tag);
    if (s->byte_size) visit(*s->byte_size);
    for (const auto& arm : s->arms) each_type_expr(*arm.type, visit);
  }
}

// Every expression of a struct's members that writing it evaluates;
// `visit(expr, let)` gets the let whose value it is, or null. A reference
// (`at`) writes nothing and is left out.
template <class Visit>
void each_member_expr(const StructDecl& decl, const Visit& visit) {
  for (const auto& m : decl.members) {
    if (const auto* f = std::get_if<Field>(&m)) {
      if (f->at) continue;
      const auto field_expr = [&](const Expr& e) { visit(e, nullptr); };
      if (f->condition) visit(*f->condition, nullptr);
      each_type_expr(*f->type, field_expr);
      if (f->checksum && f->checksum->length) visit(*f->checksum->length, nullptr);
    } else if (const auto* p = std::get_if<Pad>(&m)) {
      visit(*p->size, nullptr);
    } else if (const auto* l = std::get_if<Let>(&m)) {
      visit(*l->value, l);
    }
  }
}

// The fields an expression names.
inline std::set<const Field*> fields_in(const Expr& e) {
  std::set<const Field*> out;
  each_name(e, [&](const NameRef& ref) {
    if (ref.field != nullptr) out.insert(ref.field);
  });
  return out;
}

// How many times an expression names `x`.
inline std::size_t occurrences(const Expr& e, const Field& x) {
  std::size_t n = 0;
  each_name(e, [&](const NameRef& ref) { n += ref.field == &x ? 1 : 0; });
  return n;
}

// Whether an expression reads `remaining` (the bytes after the current position).
inline bool mentions_remaining(const Expr& e) {
  bool found = false;
  each_name(e, [&](const NameRef& ref) { found = found || ref.remaining; });
  return found;
}

// The struct a type names, directly or as an array's element (null for others).
inline const StructDecl* struct_of(const TypeExpr& t) {
  if (const auto* n = std::get_if<NamedType>(&t.node)) return n->struct_decl;
  if (const auto* a = std::get_if<ArrayType>(&t.node)) return struct_of(*a->element);
  return nullptr;
}

// The struct a recursive switch arm names (null for any other arm).
inline const StructDecl* indirect_struct(const SwitchArm& arm) {
  if (!arm.indirect) return nullptr;
  return std::get<NamedType>(arm.type->node).struct_decl;
}

// `name == "MQTT"` / `name != "MQTT"` (either side first): the text field named
// and the literal; nullopt for any other binary expression.
struct TextComparison {
  const Field* field = nullptr;
  const StringLiteral* literal = nullptr;
};
inline std::optional<TextComparison> text_comparison(const Binary& b) {
  const auto* literal = std::get_if<StringLiteral>(&b.rhs->node);
  const auto* ref = std::get_if<NameRef>(&b.lhs->node);
  if (literal == nullptr) {
    literal = std::get_if<StringLiteral>(&b.lhs->node);
    ref = std::get_if<NameRef>(&b.rhs->node);
  }
  if (literal == nullptr || ref == nullptr || ref->text_field == nullptr) return std::nullopt;
  return TextComparison{ref->text_field, literal};
}

}  // namespace lpc::ast
