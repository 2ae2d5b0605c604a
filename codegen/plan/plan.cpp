// The plan (plan.hpp): one function per decision, each reading only the AST, the
// layout and decisions already made for other structs.
#include "plan/plan.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <variant>

#include "ast/queries.hpp"
#include "plan/bounds.hpp"

namespace lpc::plan {
namespace {

using layout::MemberKind;
using layout::MemberLayout;
using layout::StructLayout;

// ------------------------------------------------------------ kept values

void add_fields(const ast::Expr& e, std::set<const ast::Field*>& out) {
  ast::each_name(e, [&](const ast::NameRef& ref) {
    if (ref.field != nullptr) out.insert(ref.field);
  });
}

std::set<const ast::Field*> kept_values(const ast::StructDecl& decl) {
  std::set<const ast::Field*> out;
  const auto add = [&](const ast::Expr& e) { add_fields(e, out); };
  for (const auto& m : decl.members) {
    if (const auto* f = std::get_if<ast::Field>(&m)) {
      // A constrained scalar; bytes and arrays are checked through other locals.
      if (!f->constraints.empty() && std::holds_alternative<ast::NamedType>(f->type->node))
        out.insert(f);
      if (f->condition) add(*f->condition);
      if (!f->at) ast::each_type_expr(*f->type, add);
      for (const auto& c : f->constraints) add(*c.expr);
    } else if (const auto* p = std::get_if<ast::Pad>(&m)) {
      add(*p->size);
    } else if (const auto* l = std::get_if<ast::Let>(&m)) {
      add(*l->value);
    } else if (const auto* r = std::get_if<ast::Require>(&m)) {
      add(*r->condition);
    }
  }
  return out;
}

// Calls visit(expr) for each expression that only parse() evaluates: constraints,
// requires and lets (where string comparisons, count() and size() may stand).
template <class Visit>
void each_check_expr(const ast::StructDecl& decl, const Visit& visit) {
  for (const auto& m : decl.members) {
    if (const auto* f = std::get_if<ast::Field>(&m)) {
      for (const auto& c : f->constraints) visit(*c.expr);
    } else if (const auto* r = std::get_if<ast::Require>(&m)) {
      visit(*r->condition);
    } else if (const auto* l = std::get_if<ast::Let>(&m)) {
      visit(*l->value);
    }
  }
}

// Bytes, string and cstring fields compared with a string literal: by `==` in
// their own constraints, or in any constraint or require of the struct.
std::set<const ast::Field*> kept_texts(const ast::StructDecl& decl) {
  std::set<const ast::Field*> out;
  for (const auto& m : decl.members) {
    const auto* f = std::get_if<ast::Field>(&m);
    if (f == nullptr) continue;
    for (const auto& c : f->constraints) {
      if (std::holds_alternative<ast::StringLiteral>(c.expr->node)) out.insert(f);
    }
  }
  each_check_expr(decl, [&](const ast::Expr& e) {
    ast::each_name(e, [&](const ast::NameRef& ref) {
      if (ref.text_field != nullptr) out.insert(ref.text_field);
    });
  });
  return out;
}

// Fields whose count(x) (or size(x)) parse() reads.
std::set<const ast::Field*> measured(const ast::StructDecl& decl, ast::Measure which) {
  std::set<const ast::Field*> out;
  each_check_expr(decl, [&](const ast::Expr& e) {
    ast::each_name(e, [&](const ast::NameRef& ref) {
      if (ref.measured_field != nullptr && ref.measure == which) out.insert(ref.measured_field);
    });
  });
  return out;
}

// ------------------------------------------------------------ structure

bool has_recursive_arm(const StructLayout& layout) {
  for (const MemberLayout& m : layout.members) {
    if (m.kind != MemberKind::switch_) continue;
    for (const auto& arm : std::get<ast::SwitchType>(m.field->type->node).arms) {
      if (arm.indirect) return true;
    }
  }
  return false;
}

bool valid_anywhere(const ast::StructDecl& decl, const layout::ProgramLayout& layouts) {
  const StructLayout& layout = layouts.of(decl);
  return layout.fixed_size && !layout.has_checks && decl.params.empty();
}

// Whether parse() of a switch arm of this type parses a struct.
bool arm_parses_struct(const ast::SwitchArm& arm, const layout::ProgramLayout& layouts) {
  if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
    const auto& element = std::get<ast::NamedType>(a->element->node);
    return element.struct_decl != nullptr && layouts.of(*element.struct_decl).has_checks;
  }
  const auto* named = std::get_if<ast::NamedType>(&arm.type->node);
  if (named == nullptr || named->struct_decl == nullptr) return false;
  return arm.indirect || !valid_anywhere(*named->struct_decl, layouts);
}

bool parses_children(const StructLayout& layout, const layout::ProgramLayout& layouts) {
  for (const MemberLayout& m : layout.members) {
    switch (m.kind) {
      case MemberKind::nested:
        if (m.is_dynamic || !valid_anywhere(*m.scalar->struct_decl, layouts)) return true;
        break;
      case MemberKind::array:
        if (m.lazy || m.elements_need_parse) return true;
        break;
      case MemberKind::switch_:
        for (const auto& arm : std::get<ast::SwitchType>(m.field->type->node).arms) {
          if (arm_parses_struct(arm, layouts)) return true;
        }
        break;
      default:
        break;
    }
  }
  return false;
}

bool reads_scalars(const StructLayout& layout, const std::set<const ast::Field*>& kept) {
  for (const MemberLayout& m : layout.members) {
    const bool scalar = m.kind == MemberKind::byte_integer || m.kind == MemberKind::bit_field ||
                        m.kind == MemberKind::floating;
    if (scalar && kept.count(m.field) != 0) return true;
  }
  return false;
}

bool uses_buffer_size(const ast::StructDecl& decl, const StructLayout& layout) {
  if (layout.members.empty()) return false;  // no byte to check: any buffer holds it
  if (layout.members.size() != 1 || layout.segments.front().fixed_bytes != 0) return true;
  const MemberLayout& m = layout.members.front();
  if (m.kind != MemberKind::array || !m.stores_count || m.optional) return true;
  const auto& a = std::get<ast::ArrayType>(m.field->type->node);
  if (a.byte_size) return true;
  bool remaining = false;
  ast::each_member_expr(decl, [&](const ast::Expr& e, const ast::Let*) {
    remaining = remaining || ast::mentions_remaining(e);
  });
  return remaining;
}

std::vector<std::vector<const MemberLayout*>> truncation_fields(const StructLayout& layout) {
  std::vector<std::vector<const MemberLayout*>> out;
  for (const auto& segment : layout.segments) {
    auto& fields = out.emplace_back();
    for (std::size_t i = segment.first_member; i < segment.end_member; ++i) {
      const MemberLayout& m = layout.members[i];
      if (m.bit_width && *m.bit_width > 0) fields.push_back(&m);
    }
  }
  return out;
}

// ------------------------------------------------------------ the inlining estimate
// Statements on parse()'s success path, member by member. The weights follow what
// parse() does for each kind of member (docs/internals/contract.md, "What parse()
// does"): a read, a check and a store are one statement; a checked length is two
// (the arithmetic and its overflow test); a child's parse is two (the call and
// its status test).

constexpr std::size_t kCheckedValue = 2;
constexpr std::size_t kChildParse = 2;

std::size_t arguments_cost(const ast::NamedType& named) {
  return named.struct_decl != nullptr ? kCheckedValue * named.arguments.size() : 0;
}

std::size_t array_length_cost(const ast::ArrayType& a) {
  if (a.count) return kCheckedValue + 1;      // count * element size, region check
  if (a.byte_size) return kCheckedValue + 2;  // byte size, whole elements, region check
  return 2;                                   // the rest, whole elements
}

std::size_t arm_cost(const ast::SwitchArm& arm, const layout::ProgramLayout& layouts) {
  std::size_t cost = 4;  // its case, the arm's store, the bytes it used, the break
  if (const auto* b = std::get_if<ast::BytesType>(&arm.type->node)) {
    return cost + (b->count ? kCheckedValue + 1 : 0);
  }
  if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
    cost += array_length_cost(*a);
    if (arm_parses_struct(arm, layouts)) cost += 3 + kChildParse;  // depth, view, loop
    return cost;
  }
  const auto& named = std::get<ast::NamedType>(arm.type->node);
  if (named.struct_decl == nullptr || !arm_parses_struct(arm, layouts)) return cost + 1;
  return cost + 2 + arguments_cost(named) + kChildParse;  // depth check, the view
}

std::size_t member_cost(const StructPlan& plan, const MemberLayout& m,
                        const layout::ProgramLayout& layouts) {
  const ast::Field* f = m.field;
  const std::size_t end_store = m.is_dynamic ? 2 : 0;  // pos, the view's end offset
  std::size_t cost = 0;
  if (m.optional) cost += kCheckedValue + 3;  // condition, presence store and test, absent
  if (m.peek) cost += 3;                      // bounds check, position, end store
  switch (m.kind) {
    case MemberKind::byte_integer:
    case MemberKind::bit_field:
    case MemberKind::floating:
      if (plan.kept_values.count(f) != 0) cost += 1 + f->constraints.size();
      if (m.optional) cost += 2;  // region check, position
      return cost;
    case MemberKind::varint:
      cost += 3;  // decode, its test, the stored value
      if (plan.kept_values.count(f) != 0) cost += 1 + f->constraints.size();
      return cost + end_store;
    case MemberKind::nested: {
      const ast::StructDecl& child = *m.scalar->struct_decl;
      if (!m.is_dynamic && valid_anywhere(child, layouts)) return cost;
      cost += 1 + arguments_cost(*m.scalar) + kChildParse;  // depth check
      if (!m.is_dynamic) cost += 1;                         // a local view
      return cost + end_store;
    }
    case MemberKind::bytes: {
      if (plan.kept_texts.count(f) != 0) cost += 1;  // the text's view
      cost += f->constraints.size() + plan.sized.count(f);
      if (!m.is_dynamic) return cost;
      const auto& b = std::get<ast::BytesType>(f->type->node);
      if (b.kind == ast::BytesKind::cstring && !b.count) return cost + 4 + end_store;  // scan
      return cost + (b.count ? kCheckedValue + 1 : 0) + end_store;
    }
    case MemberKind::pad: {
      if (!m.is_dynamic) return cost;
      return cost + kCheckedValue + 1 + end_store;
    }
    case MemberKind::align:
      return m.is_dynamic ? cost + 2 + end_store : cost;
    case MemberKind::let:
      return cost + kCheckedValue + 2;  // value, local, the view's copy
    case MemberKind::array: {
      const auto& a = std::get<ast::ArrayType>(f->type->node);
      cost += f->constraints.size() + plan.counted.count(f) + plan.sized.count(f);
      if (m.stores_count) {
        cost += a.byte_size ? kCheckedValue + 2 : 1;  // the region
        if (a.count) cost += kCheckedValue + 1;       // count, max_elements
        if (m.lazy || m.elements_need_parse) cost += 2 + arguments_cost(*m.scalar);
        cost += 3;                             // counters, loop
        cost += a.count ? 1 : 2;               // the loop's exit, max_elements
        cost += m.lazy ? kChildParse + 1 : 1;  // the element, its size
        if (!m.lazy && m.elements_need_parse) cost += kChildParse;
        if (a.until) cost += kCheckedValue + 1;
        if (a.carry) cost += kCheckedValue + 1;
        return cost + 2 + 1 + end_store;  // advance, the stored count
      }
      if (m.is_dynamic) cost += array_length_cost(a);
      if (m.elements_need_parse) cost += 3 + kChildParse;  // depth, view, loop
      return cost + end_store;
    }
    case MemberKind::switch_: {
      const auto& sw = std::get<ast::SwitchType>(f->type->node);
      cost += kCheckedValue + 3;  // tag, region, used, switch
      if (sw.byte_size) cost += kCheckedValue + 2;
      for (const auto& arm : sw.arms) cost += arm_cost(arm, layouts);
      return cost + end_store;
    }
  }
  return cost;
}

std::size_t parse_cost(const StructPlan& plan, const layout::ProgramLayout& layouts) {
  const StructLayout& layout = *plan.layout;
  std::size_t cost = 3 + plan.decl->params.size();  // data, size, return; parameters
  for (const auto& segment : layout.segments) cost += segment.fixed_bytes > 0 ? 1 : 0;
  for (const MemberLayout& m : layout.members) cost += member_cost(plan, m, layouts);
  for (const auto& m : plan.decl->members) cost += std::holds_alternative<ast::Require>(m) ? 1 : 0;
  return cost;
}

// ------------------------------------------------------------ errors and requires

std::vector<std::string> path_names(const StructLayout& layout) {
  std::map<const ast::Field*, std::size_t> ordinal;  // of every field, from 1
  for (const auto& m : layout.decl->members) {
    if (const auto* f = std::get_if<ast::Field>(&m)) ordinal.emplace(f, ordinal.size() + 1);
  }
  std::vector<std::string> out;
  out.reserve(layout.members.size());
  for (const MemberLayout& m : layout.members) {
    if (m.kind == MemberKind::let) {
      out.push_back(std::get<ast::Let>(*m.member).name);
    } else if (m.kind == MemberKind::align) {
      out.emplace_back("align");
    } else if (m.field == nullptr) {
      out.emplace_back("pad");
    } else if (m.field->name == "_") {
      out.push_back("_#" + std::to_string(ordinal.at(m.field)));
    } else {
      out.push_back(m.field->name);
    }
  }
  return out;
}

std::vector<RequireCheck> require_checks(const StructLayout& layout) {
  std::map<const void*, std::size_t> index;  // a Field or Let -> its layout member
  for (std::size_t i = 0; i < layout.members.size(); ++i) {
    const MemberLayout& m = layout.members[i];
    if (m.field != nullptr) index.emplace(m.field, i);
    if (m.kind == MemberKind::let) index.emplace(&std::get<ast::Let>(*m.member), i);
  }
  std::vector<RequireCheck> out;
  for (const auto& member : layout.decl->members) {
    const auto* r = std::get_if<ast::Require>(&member);
    if (r == nullptr) continue;
    RequireCheck check;
    check.require = r;
    ast::each_name(*r->condition, [&](const ast::NameRef& ref) {
      const void* named = ref.field != nullptr        ? static_cast<const void*>(ref.field)
                          : ref.text_field != nullptr ? static_cast<const void*>(ref.text_field)
                          : ref.measured_field != nullptr
                              ? static_cast<const void*>(ref.measured_field)
                              : static_cast<const void*>(ref.let);
      const auto it = named != nullptr ? index.find(named) : index.end();
      if (it == index.end()) return;
      check.member = check.names_member ? std::max(check.member, it->second) : it->second;
      check.names_member = true;
    });
    if (ast::mentions_remaining(*r->condition)) {
      check.when = RequireCheck::When::last;
    } else if (check.names_member) {
      check.when = RequireCheck::When::after_member;
    }
    out.push_back(check);
  }
  return out;
}

// ------------------------------------------------------------ serializers

// Struct-to-struct answers, each computed once: a chain of n nested structs
// costs n, not n * n. A struct still being computed answers true: recursion
// goes through indirect arms, which neither question follows.
using StructAnswers = std::map<const ast::StructDecl*, bool>;

bool serializable(const ast::StructDecl& decl, StructAnswers& memo) {
  if (const auto [it, inserted] = memo.try_emplace(&decl, true); !inserted) return it->second;
  bool ok = true;
  ast::each_member_expr(
      decl, [&](const ast::Expr& e, const ast::Let*) { ok = ok && !ast::mentions_remaining(e); });
  for (const auto& m : decl.members) {
    const auto* f = std::get_if<ast::Field>(&m);
    if (f == nullptr || f->at || !ok) continue;
    // A peeked value belongs to the bytes written after it.
    if (f->peek) ok = false;
    const auto child = [&](const ast::TypeExpr& t) {
      const ast::StructDecl* s = ast::struct_of(t);
      if (s != nullptr) ok = ok && serializable(*s, memo);
    };
    if (const auto* sw = std::get_if<ast::SwitchType>(&f->type->node)) {
      for (const auto& arm : sw->arms) {
        if (!arm.indirect) child(*arm.type);
      }
    } else {
      child(*f->type);
    }
  }
  memo[&decl] = ok;
  return ok;
}

bool exact_members(const ast::StructDecl& decl, StructAnswers& memo);

bool exact(const ast::StructDecl& decl, StructAnswers& memo) {
  if (const auto [it, inserted] = memo.try_emplace(&decl, true); !inserted) return it->second;
  const bool answer = exact_members(decl, memo);
  memo[&decl] = answer;
  return answer;
}

bool exact_members(const ast::StructDecl& decl, StructAnswers& memo) {
  const auto type_exact = [&](const ast::TypeExpr& t, const auto& self) -> bool {
    if (const auto* n = std::get_if<ast::NamedType>(&t.node)) {
      if (n->varint != ast::VarintKind::none) return false;  // written in the shortest form
      return n->struct_decl == nullptr || exact(*n->struct_decl, memo);
    }
    if (const auto* a = std::get_if<ast::ArrayType>(&t.node)) return self(*a->element, self);
    // `cstring[n]`: the bytes after the text's NUL are written as zeros.
    if (const auto* b = std::get_if<ast::BytesType>(&t.node))
      return b->kind != ast::BytesKind::cstring || !b->count;
    if (const auto* sw = std::get_if<ast::SwitchType>(&t.node)) {
      for (const auto& arm : sw->arms) {
        if (arm.indirect) continue;  // kept as bytes
        // An arm that is an `until ... size(n)` array has no padding member.
        if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node);
            a && a->until && a->byte_size)
          return false;
        if (!self(*arm.type, self)) return false;
      }
    }
    return true;
  };
  for (const auto& m : decl.members) {
    if (std::holds_alternative<ast::Pad>(m) || std::holds_alternative<ast::Align>(m)) return false;
    const auto* f = std::get_if<ast::Field>(&m);
    if (f == nullptr || f->at) continue;
    if (f->name == "_") return false;
    if (const auto* a = std::get_if<ast::ArrayType>(&f->type->node);
        a && a->until && a->byte_size && f->condition)
      return false;
    if (!type_exact(*f->type, type_exact)) return false;
  }
  return true;
}

// ------------------------------------------------------------ modules

// The structs `s` holds by value (a field, an array element, an arm that is not
// recursive: a recursive arm stores no view), each once.
std::set<const ast::StructDecl*> held_structs(const ast::StructDecl& s) {
  std::set<const ast::StructDecl*> out;
  const auto add = [&](const ast::TypeExpr& t, const auto& self) -> void {
    if (const auto* n = std::get_if<ast::NamedType>(&t.node)) {
      if (n->struct_decl != nullptr) out.insert(n->struct_decl);
    } else if (const auto* a = std::get_if<ast::ArrayType>(&t.node)) {
      self(*a->element, self);
    } else if (const auto* sw = std::get_if<ast::SwitchType>(&t.node)) {
      for (const auto& arm : sw->arms) {
        if (!arm.indirect) self(*arm.type, self);
      }
    }
  };
  for (const auto& m : s.members) {
    if (const auto* f = std::get_if<ast::Field>(&m); f && !f->at) add(*f->type, add);
  }
  return out;
}

// Kahn's algorithm, taking the ready struct declared first each time: the same
// order as "repeatedly the first struct that holds no struct still to place",
// in O((structs + edges) log structs).
std::vector<const ast::StructDecl*> struct_order(const ast::Module& module) {
  std::vector<const ast::StructDecl*> decls;
  std::map<const ast::StructDecl*, std::size_t> index;
  for (const auto& d : module.decls) {
    if (const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) {
      index.emplace(s->get(), decls.size());
      decls.push_back(s->get());
    }
  }
  std::vector<std::size_t> waiting_on(decls.size(), 0);  // distinct structs held, not placed
  std::vector<std::vector<std::size_t>> held_by(decls.size());
  for (std::size_t i = 0; i < decls.size(); ++i) {
    for (const ast::StructDecl* other : held_structs(*decls[i])) {
      const auto it = index.find(other);
      if (it == index.end() || it->second == i) continue;  // another module, or itself
      ++waiting_on[i];
      held_by[it->second].push_back(i);
    }
  }
  std::set<std::size_t> ready;
  std::set<std::size_t> pending;
  for (std::size_t i = 0; i < decls.size(); ++i) {
    pending.insert(i);
    if (waiting_on[i] == 0) ready.insert(i);
  }
  std::vector<const ast::StructDecl*> out;
  while (!pending.empty()) {
    // Sema rejects cycles left after cutting recursive arms; the fallback is never taken.
    const std::size_t next = ready.empty() ? *pending.begin() : *ready.begin();
    ready.erase(next);
    pending.erase(next);
    out.push_back(decls[next]);
    for (const std::size_t holder : held_by[next]) {
      if (--waiting_on[holder] == 0 && pending.count(holder) != 0) ready.insert(holder);
    }
  }
  return out;
}

// ------------------------------------------------------------ the view's storage

// Views hold one another by value only along arms that are not recursive and
// nested fields, so this never meets a struct still being computed.
bool holds_arm_views(const ast::StructDecl& decl, const layout::ProgramLayout& layouts,
                     StructAnswers& memo) {
  if (const auto it = memo.find(&decl); it != memo.end()) return it->second;
  bool holds = false;
  for (const MemberLayout& m : layouts.of(decl).members) {
    if (m.kind == MemberKind::switch_) {
      for (const auto& arm : std::get<ast::SwitchType>(m.field->type->node).arms)
        holds = holds || stores_arm_view(arm, layouts);
    } else if (m.kind == MemberKind::nested && m.is_dynamic) {
      holds = holds || holds_arm_views(*m.scalar->struct_decl, layouts, memo);
    }
  }
  memo[&decl] = holds;
  return holds;
}

struct ProgramAnswers {
  explicit ProgramAnswers(const layout::ProgramLayout& layouts) : bounds(layouts) {}
  StructAnswers serializable;
  StructAnswers exact;
  StructAnswers holds_arm_views;
  InputBounds bounds;
};

// ------------------------------------------------------------ deferred lists

// Whether an `until` condition reads nothing but the element (`it`, `it.kind`)
// and constants: only then can a list_rule evaluate it away from parse().
bool reads_only_element(const ast::Expr& e) {
  bool only = true;
  ast::each_name(e, [&](const ast::NameRef& ref) {
    only = only && ref.field == nullptr && ref.let == nullptr && ref.param == nullptr &&
           !ref.remaining;
  });
  return only;
}

std::set<const ast::Field*> deferrable_lists(const StructLayout& layout,
                                             const std::set<const ast::Field*>& kept,
                                             const std::set<const ast::Field*>& counted) {
  std::set<const ast::Field*> out;
  for (const MemberLayout& m : layout.members) {
    if (m.kind != MemberKind::array || !m.lazy || m.field == nullptr) continue;
    const auto& a = std::get<ast::ArrayType>(m.field->type->node);
    if (a.count || m.field->condition || m.field->at || kept.count(m.field) != 0) continue;
    // count(x) and the list's own `where` clauses are checked by parse(): it walks it.
    if (counted.count(m.field) != 0 || !m.field->constraints.empty()) continue;
    if (a.until && (!a.byte_size || !reads_only_element(*a.until))) continue;
    // A `carry` array's elements depend on the ones before: parse() walks it.
    if (a.carry) continue;
    out.insert(m.field);
  }
  return out;
}

// Structs that parse() reads once per element of some array (a field or a
// switch arm's array): their parse_into() runs in a loop, so a call there is
// paid per element, not per message.
std::set<const ast::StructDecl*> parsed_per_element(const ast::Program& program,
                                                    const layout::ProgramLayout& layouts) {
  std::set<const ast::StructDecl*> out;
  const auto add_element_of = [&out](const ast::ArrayType& a) {
    const auto* element = std::get_if<ast::NamedType>(&a.element->node);
    if (element != nullptr && element->struct_decl != nullptr) out.insert(element->struct_decl);
  };
  for (const auto& module : program.modules) {
    for (const auto& d : module->decls) {
      const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d);
      if (s == nullptr) continue;
      for (const MemberLayout& m : layouts.of(**s).members) {
        if (m.kind == MemberKind::array && (m.lazy || m.elements_need_parse)) {
          add_element_of(std::get<ast::ArrayType>(m.field->type->node));
        } else if (m.kind == MemberKind::switch_) {
          for (const auto& arm : std::get<ast::SwitchType>(m.field->type->node).arms) {
            if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) add_element_of(*a);
          }
        }
      }
    }
  }
  return out;
}

StructPlan plan_struct(const ast::StructDecl& decl, const layout::ProgramLayout& layouts,
                       ProgramAnswers& answers, bool per_element) {
  StructPlan plan;
  plan.decl = &decl;
  plan.layout = &layouts.of(decl);
  plan.kept_values = kept_values(decl);
  plan.kept_texts = kept_texts(decl);
  plan.counted = measured(decl, ast::Measure::count);
  plan.sized = measured(decl, ast::Measure::size);
  plan.has_recursive_arm = has_recursive_arm(*plan.layout);
  plan.valid_anywhere = valid_anywhere(decl, layouts);
  plan.parses_children = parses_children(*plan.layout, layouts);
  plan.parse_reads_scalars = reads_scalars(*plan.layout, plan.kept_values);
  plan.parse_uses_buffer_size = uses_buffer_size(decl, *plan.layout);
  plan.truncation_fields = truncation_fields(*plan.layout);
  plan.path_names = path_names(*plan.layout);
  plan.require_checks = require_checks(*plan.layout);
  plan.parse_cost = parse_cost(plan, layouts);
  // Every recursion of parse_into() passes through a struct with a recursive arm,
  // so the out-of-line call there ends any chain of inlining.
  plan.parsed_per_element = per_element;
  plan.inline_parse = !plan.has_recursive_arm &&
                      plan.parse_cost <= (per_element ? kInlineElementParseCost : kInlineParseCost);
  plan.deferrable_lists = deferrable_lists(*plan.layout, plan.kept_values, plan.counted);
  for (const MemberLayout& m : plan.layout->members) {
    if (m.field == nullptr || !m.field->checksum) continue;
    plan.checksum_fields.push_back(&m);
    plan.any_pseudo_header = plan.any_pseudo_header || m.field->checksum->pseudo_header;
  }
  plan.holds_arm_views = holds_arm_views(decl, layouts, answers.holds_arm_views);
  plan.has_serializer = serializable(decl, answers.serializable);
  plan.serializes_exactly = plan.has_serializer && exact(decl, answers.exact);
  plan.max_parse_bytes = answers.bounds.max_bytes(decl);
  return plan;
}

}  // namespace

bool stores_arm_view(const ast::SwitchArm& arm, const layout::ProgramLayout& layouts) {
  const auto* named = std::get_if<ast::NamedType>(&arm.type->node);
  return !arm.indirect && named != nullptr && named->struct_decl != nullptr &&
         !layouts.of(*named->struct_decl).fixed_size;
}

std::unique_ptr<ProgramPlan> compute(const ast::Program& program,
                                     const layout::ProgramLayout& layout) {
  auto plan = std::make_unique<ProgramPlan>();
  plan->layout_ = &layout;
  ProgramAnswers answers(layout);
  const std::set<const ast::StructDecl*> per_element = parsed_per_element(program, layout);
  for (const auto& module : program.modules) {
    ModulePlan& mp = plan->modules_[module.get()];
    mp.module = module.get();
    mp.struct_order = struct_order(*module);
    for (const ast::StructDecl* s : mp.struct_order)
      plan->structs_.emplace(s, plan_struct(*s, layout, answers, per_element.count(s) != 0));
  }
  return plan;
}

}  // namespace lpc::plan
