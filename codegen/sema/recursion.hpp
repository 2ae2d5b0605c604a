// The struct graph, checked once every struct's members are resolved: which
// structs hold which, recursion only through switch arms (those arms become
// indirect), nesting depth (kMaxStructNesting), and what may be named across an
// import cycle. Reads only the program, so it takes only the program and the
// diagnostics.
//
// Cost: one walk of every struct's members to build the graph, a search per
// switch arm that names a struct, and one walk of every expression of each struct
// in a file on an import cycle.
// Lifetime: keeps references to the program and diagnostics, and pointers into the
// program's AST; one per check() call.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"

namespace lpc::sema {

class StructGraphChecker {
 public:
  StructGraphChecker(ast::Program& program, Diagnostics& diags)
      : program_(program), diags_(diags) {}

  // False when a containment cycle or too deep a nesting was reported: struct
  // sizes cannot be computed then.
  bool check_recursion();
  // After check_recursion: a struct it reported as containing itself is not
  // reported again here.
  void check_import_cycles();

 private:
  struct CycleScope {
    const ast::Module& module;
    const ast::StructDecl& structure;
    const std::set<const ast::Module*>& peers;
  };

  bool check_nesting(
      const std::vector<ast::StructDecl*>& all,
      std::map<const ast::StructDecl*,
               std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>>>& graph);
  void cross_type(const CycleScope& scope, ast::TypeExpr& t, ast::SwitchArm* arm, bool reference);
  void cross_arm(ast::SwitchArm& arm, const ast::StructDecl& child);
  void cross_expr(const CycleScope& scope, const ast::Expr& e);
  void report_cross(const CycleScope& scope, const void* decl, SourceRange range,
                    const std::string& name, const ast::Module& from, std::string_view what);

  ast::Program& program_;
  Diagnostics& diags_;
  std::set<const ast::StructDecl*> self_containing_;  // on a reported containment cycle
  std::set<std::pair<const ast::StructDecl*, const void*>> cross_reported_;
};

}  // namespace lpc::sema
