// Semantic checks (docs/schema-language.md §27): check() runs the passes below in
// order over the whole program. Each pass is in its own file; the state they share
// is a Checker (checker.hpp), the struct graph pass takes only the program
// (recursion.hpp).
#include "sema/sema.hpp"

#include <memory>
#include <variant>

#include "sema/checker.hpp"
#include "sema/recursion.hpp"

namespace lpc::sema {

bool Checker::run() {
  const std::size_t errors_before = diags_.error_count();
  // names.cpp: every module's declarations by name, unique per package; lookup
  // works from here on.
  index_declarations();
  // names.cpp: package names that can be C++ namespaces (reported only).
  for (auto& m : program_.modules) check_package(*m);
  // names.cpp: each enum's base and member values, each constant's value, each
  // flags type's base and bit positions. One that names another declared later
  // resolves it on first use; after this pass every one is resolved or reported,
  // and expressions in the passes below only read them.
  for (auto& m : program_.modules) {
    for (auto& d : m->decls) {
      if (auto* e = std::get_if<std::unique_ptr<ast::EnumDecl>>(&d)) resolve_enum(**e);
      if (auto* c = std::get_if<std::unique_ptr<ast::ConstDecl>>(&d)) resolve_constant(**c);
      if (auto* f = std::get_if<std::unique_ptr<ast::FlagsDecl>>(&d)) resolve_flags(**f);
    }
  }
  // params.cpp: parameter types and each struct's `endian NAME` parameter.
  // Parameter types first: a field may pass arguments to a struct declared later.
  for (auto& m : program_.modules) {
    for (auto& d : m->decls) {
      if (auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) check_params(*m, **s);
    }
  }
  // structs.cpp (with fields.cpp, constraints.cpp): every member's type resolved
  // and every name in its expressions bound, in source order; records the arrays
  // the last three passes finish (struct elements, `until`, `carry`).
  for (auto& m : program_.modules) {
    for (auto& d : m->decls) {
      if (auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) check_struct(*m, **s);
    }
  }
  // recursion.cpp: which structs hold which, over the resolved types. Recursive
  // switch arms become indirect; false when a struct contains itself (or nests
  // too deep) any other way.
  StructGraphChecker graph(program_, diags_);
  const bool acyclic = graph.check_recursion();
  // recursion.cpp: what files on an import cycle may name of each other; switch
  // arms across the cycle become indirect too.
  graph.check_import_cycles();
  // arrays.cpp: arrays of structs, by whether the element has a fixed size: a
  // variable-size one cannot be a switch arm or optional, a fixed one must divide
  // the array's size(n). Struct sizes (array elements) recurse into nested
  // structs: only without cycles.
  if (acyclic) check_array_elements();
  // arrays.cpp: `until` conditions, which read the fields of an element type
  // that may be declared after the array.
  check_until_conditions();
  // carry.cpp: the next carried values, which read the element's lets (checked
  // with its struct, above).
  check_carried_values();
  return diags_.error_count() == errors_before;
}

bool check(ast::Program& program, Diagnostics& diags) { return Checker(program, diags).run(); }

}  // namespace lpc::sema
