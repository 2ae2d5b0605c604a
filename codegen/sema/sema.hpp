// Semantic checks: name resolution, types, field order, constraints, recursion.
// Reads the AST the parser built, fills in its "filled by sema" members, and
// reports every problem into Diagnostics. Later stages run only when this
// returns true.
#pragma once

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"

namespace lpc::sema {

bool check(ast::Program& program, Diagnostics& diags);

}  // namespace lpc::sema
