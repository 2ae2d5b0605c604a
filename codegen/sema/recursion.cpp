// The struct graph (recursion.hpp): containment cycles, nesting depth, import cycles.
#include "sema/recursion.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ast/overloaded.hpp"
#include "sema/checker.hpp"
#include "sema/sema.hpp"

namespace lpc::sema {
namespace {

void contained_structs(const ast::TypeExpr& t, std::vector<const ast::StructDecl*>& out) {
  std::visit(Overloaded{
                 [&](const ast::NamedType& n) {
                   if (n.struct_decl != nullptr) out.push_back(n.struct_decl);
                 },
                 [](const ast::BytesType&) {},
                 [&](const ast::ArrayType& a) { contained_structs(*a.element, out); },
                 [&](const ast::SwitchType& s) {
                   for (const auto& arm : s.arms) contained_structs(*arm.type, out);
                 },
             },
             t.node);
}

// The structs `s` contains, each with the switch arm that holds it (null for a
// nested field or array element).
std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>> edges(ast::StructDecl& s) {
  std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>> out;
  for (auto& m : s.members) {
    auto* f = std::get_if<ast::Field>(&m);
    if (f == nullptr || f->at) continue;  // a reference stores no view: no containment
    if (auto* sw = std::get_if<ast::SwitchType>(&f->type->node)) {
      for (auto& arm : sw->arms) {
        const auto* n = std::get_if<ast::NamedType>(&arm.type->node);
        if (n != nullptr && n->struct_decl != nullptr) {
          out.emplace_back(n->struct_decl, &arm);
        } else {
          std::vector<const ast::StructDecl*> inner;
          contained_structs(*arm.type, inner);
          for (const auto* c : inner) out.emplace_back(c, nullptr);
        }
      }
      continue;
    }
    std::vector<const ast::StructDecl*> inner;
    contained_structs(*f->type, inner);
    for (const auto* c : inner) out.emplace_back(c, nullptr);
  }
  return out;
}

}  // namespace

// A struct may contain itself (a tunnel, a chain of extension headers) only
// through a switch arm naming a struct: such arms become indirect (their view
// is re-read from the arm's bytes, not stored). Any other cycle has no finite
// view and is reported. False when one was.
bool StructGraphChecker::check_recursion() {
  std::vector<ast::StructDecl*> all;
  for (auto& m : program_.modules) {
    for (auto& d : m->decls) {
      if (auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) all.push_back(s->get());
    }
  }
  std::map<const ast::StructDecl*, std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>>>
      graph;
  for (ast::StructDecl* s : all) graph[s] = edges(*s);
  const auto reaches = [&](const ast::StructDecl* from, const ast::StructDecl* to) {
    std::set<const ast::StructDecl*> seen;
    std::vector<const ast::StructDecl*> todo = {from};
    while (!todo.empty()) {
      const ast::StructDecl* s = todo.back();
      todo.pop_back();
      if (s == to) return true;
      if (!seen.insert(s).second) continue;
      for (const auto& e : graph[s]) todo.push_back(e.first);
    }
    return false;
  };
  bool ok = true;
  for (ast::StructDecl* s : all) {
    for (const auto& [child, arm] : graph[s]) {
      if (arm == nullptr || !reaches(child, s)) continue;
      arm->indirect = true;
      if (!child->params.empty() || !child->endian_param_name.empty()) {
        diags_.error(arm->name_range,
                     fmt::format("recursive switch arm '{}' names '{}', which takes parameters",
                                 arm->name, child->name),
                     "an arm that leads back to its own struct cannot pass arguments yet");
        ok = false;
      }
    }
  }
  // What is left once indirect arms are cut must be acyclic.
  std::map<const ast::StructDecl*, State> state;
  std::vector<const ast::StructDecl*> stack;
  const auto visit = [&](const auto& self, const ast::StructDecl* s) -> void {
    state[s] = State::visiting;
    stack.push_back(s);
    for (const auto& [child, arm] : graph[s]) {
      if (arm != nullptr && arm->indirect) continue;
      if (state[child] == State::visiting) {
        std::string path;
        auto it = std::find(stack.begin(), stack.end(), child);
        for (; it != stack.end(); ++it) {
          path += (*it)->name + " -> ";
          self_containing_.insert(*it);
        }
        diags_.error(
            child->name_range,
            fmt::format("struct '{}' contains itself: {}{}", child->name, path, child->name),
            "a struct can contain itself only through a switch arm, never through a plain "
            "field or an array");
        ok = false;
      } else if (state[child] == State::unvisited) {
        self(self, child);
      }
    }
    stack.pop_back();
    state[s] = State::done;
  };
  for (ast::StructDecl* s : all) {
    if (state[s] == State::unvisited) visit(visit, s);
  }
  return ok && check_nesting(all, graph);
}

// Every later stage follows structs held by value recursively (one level of
// the compiler's stack per level of nesting): past kMaxStructNesting levels a
// schema is reported, at the struct where the nesting goes over, not left to
// exhaust the stack. Iterative, over the acyclic graph check_recursion leaves.
bool StructGraphChecker::check_nesting(
    const std::vector<ast::StructDecl*>& all,
    std::map<const ast::StructDecl*,
             std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>>>& graph) {
  std::map<const ast::StructDecl*, std::size_t> levels;  // the struct itself is level 1
  bool ok = true;
  for (const ast::StructDecl* root : all) {
    // Depth-first, children before parents, with an explicit stack.
    std::vector<std::pair<const ast::StructDecl*, bool>> todo = {{root, false}};
    while (!todo.empty()) {
      const auto [s, children_done] = todo.back();
      todo.pop_back();
      if (levels.count(s) != 0) continue;
      if (!children_done) {
        todo.emplace_back(s, true);
        for (const auto& [child, arm] : graph[s]) {
          if ((arm == nullptr || !arm->indirect) && levels.count(child) == 0)
            todo.emplace_back(child, false);
        }
        continue;
      }
      std::size_t deepest = 0;
      for (const auto& [child, arm] : graph[s]) {
        if (arm == nullptr || !arm->indirect) deepest = std::max(deepest, levels.at(child));
      }
      levels[s] = deepest + 1;
      if (deepest + 1 == kMaxStructNesting + 1) {
        diags_.error(s->name_range,
                     fmt::format("struct '{}' holds structs nested more than {} levels deep",
                                 s->name, kMaxStructNesting),
                     "each struct held by value (a field, an array element, a switch arm that "
                     "is not recursive) is a level; split the chain with a recursive switch "
                     "arm or bytes");
        ok = false;
      }
    }
  }
  return ok;
}

// Files that import each other include each other's headers, each after its own
// classes (docs/schema-language.md §2), so no class of one may need a declaration
// of the other. Across the cycle a struct may be named only by a switch arm, which
// becomes a recursive arm (kept as bytes, parsed by its accessor, out of line),
// or by a reference (`at`, read out of line). A struct as a plain field, optional
// field or array element, and any enum, flags type or constant, is an error.
void StructGraphChecker::check_import_cycles() {
  for (auto& m : program_.modules) {
    std::set<const ast::Module*> peers;
    for (const auto& imp : m->imports) {
      if (imp.in_cycle) peers.insert(imp.module);
    }
    if (peers.empty()) continue;
    for (auto& d : m->decls) {
      auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d);
      if (s == nullptr) continue;
      const CycleScope scope{*m, **s, peers};
      for (auto& p : (*s)->params) {
        if (p.type) cross_type(scope, *p.type, nullptr, false);
      }
      for (auto& member : (*s)->members) {
        std::visit(Overloaded{
                       [&](ast::Field& f) {
                         cross_type(scope, *f.type, nullptr, f.at != nullptr);
                         if (f.condition) cross_expr(scope, *f.condition);
                         for (const auto& c : f.constraints) cross_expr(scope, *c.expr);
                         if (f.checksum && f.checksum->length) {
                           cross_expr(scope, *f.checksum->length);
                         }
                         if (f.at) cross_expr(scope, *f.at);
                       },
                       [&](ast::Pad& p) { cross_expr(scope, *p.size); },
                       [&](ast::Require& r) { cross_expr(scope, *r.condition); },
                       [&](ast::Let& l) { cross_expr(scope, *l.value); },
                       [&](ast::Align& a) { cross_expr(scope, *a.alignment); },
                   },
                   member);
      }
    }
  }
}

// `arm`: the type is that switch arm's; `reference`: the target of an `at` field.
void StructGraphChecker::cross_type(const CycleScope& scope, ast::TypeExpr& t, ast::SwitchArm* arm,
                                    bool reference) {
  std::visit(
      Overloaded{
          [&](ast::NamedType& n) {
            for (const auto& a : n.arguments) cross_expr(scope, *a);
            if (n.struct_decl != nullptr) {
              if (scope.peers.count(n.struct_decl->module) == 0 || reference) return;
              if (arm != nullptr) {
                cross_arm(*arm, *n.struct_decl);
              } else if (self_containing_.count(&scope.structure) == 0 ||
                         self_containing_.count(n.struct_decl) == 0) {
                // (a struct that contains itself is reported as such)
                report_cross(scope, n.struct_decl, t.range, n.struct_decl->name,
                             *n.struct_decl->module,
                             "only a switch arm or a reference can name a struct there");
              }
            } else if (n.enum_decl != nullptr && scope.peers.count(n.enum_decl->module) != 0) {
              report_cross(scope, n.enum_decl, t.range, n.enum_decl->name, *n.enum_decl->module,
                           "its enums cannot be used here");
            } else if (n.flags_decl != nullptr && scope.peers.count(n.flags_decl->module) != 0) {
              report_cross(scope, n.flags_decl, t.range, n.flags_decl->name, *n.flags_decl->module,
                           "its flags types cannot be used here");
            }
          },
          [&](ast::BytesType& b) {
            if (b.count) cross_expr(scope, *b.count);
          },
          [&](ast::ArrayType& a) {
            cross_type(scope, *a.element, nullptr, false);
            for (const auto* e : {&a.count, &a.byte_size, &a.until}) {
              if (*e) cross_expr(scope, **e);
            }
            if (a.carry) {
              cross_expr(scope, *a.carry->initial);
              cross_expr(scope, *a.carry->next);
            }
          },
          [&](ast::SwitchType& sw) {
            cross_expr(scope, *sw.tag);
            for (auto& each : sw.arms) {
              for (const auto& c : each.cases) cross_expr(scope, *c);
              cross_type(scope, *each.type, &each, false);
            }
            if (sw.byte_size) cross_expr(scope, *sw.byte_size);
          },
      },
      t.node);
}

// An arm naming a struct of the other file: read like a recursive arm.
void StructGraphChecker::cross_arm(ast::SwitchArm& arm, const ast::StructDecl& child) {
  if (arm.indirect) return;  // recursive already (and checked as such)
  arm.indirect = true;
  if (!child.params.empty() || !child.endian_param_name.empty()) {
    diags_.error(arm.name_range,
                 fmt::format("switch arm '{}' names '{}' across an import cycle, and '{}' "
                             "takes parameters",
                             arm.name, child.name, child.name),
                 "an arm across an import cycle is read like a recursive arm, which cannot "
                 "pass arguments yet");
  }
}

void StructGraphChecker::cross_expr(const CycleScope& scope, const ast::Expr& e) {
  std::visit(
      Overloaded{
          [](const ast::IntLiteral&) {},
          [](const ast::StringLiteral&) {},
          [&](const ast::NameRef& ref) {
            if (ref.constant != nullptr && scope.peers.count(ref.constant->module)) {
              report_cross(scope, ref.constant, e.range, ref.constant->name, *ref.constant->module,
                           "its constants cannot be used here");
            } else if (ref.enum_decl != nullptr && scope.peers.count(ref.enum_decl->module)) {
              report_cross(scope, ref.enum_decl, e.range, ref.enum_decl->name,
                           *ref.enum_decl->module, "its enums cannot be used here");
            } else if (ref.flags_decl != nullptr && scope.peers.count(ref.flags_decl->module)) {
              report_cross(scope, ref.flags_decl, e.range, ref.flags_decl->name,
                           *ref.flags_decl->module, "its flags types cannot be used here");
            }
          },
          [&](const ast::Unary& u) { cross_expr(scope, *u.operand); },
          [&](const ast::Binary& b) {
            cross_expr(scope, *b.lhs);
            cross_expr(scope, *b.rhs);
          },
          [&](const ast::Conditional& c) {
            cross_expr(scope, *c.condition);
            cross_expr(scope, *c.if_true);
            cross_expr(scope, *c.if_false);
          },
      },
      e.node);
}

// Once per struct and declaration: its first use names it.
void StructGraphChecker::report_cross(const CycleScope& scope, const void* decl, SourceRange range,
                                      const std::string& name, const ast::Module& from,
                                      std::string_view what) {
  if (!cross_reported_.emplace(&scope.structure, decl).second) return;
  diags_.error(range,
               fmt::format("'{}' is declared in {}, which imports {} back: {}", name,
                           from.include_path, scope.module.include_path, what),
               fmt::format("files that import each other include each other's headers after "
                           "their own classes; move '{}' into a file that both import",
                           name));
}

}  // namespace lpc::sema
