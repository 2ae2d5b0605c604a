// Semantic checks: name resolution, types, field order, constraints, recursion.
// Reads the AST the parser built, fills in its "filled by sema" members, and
// reports every problem into Diagnostics. Later stages run only when this
// returns true.
#pragma once

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"

#include <cstddef>

namespace lpc::sema {

// Structs held by value inside one another (fields, array elements, switch arms
// that are not recursive) may nest this many levels deep, the outermost
// included. Deeper is an error: each later stage recurses once per level.
inline constexpr std::size_t kMaxStructNesting = 10000;

bool check(ast::Program& program, Diagnostics& diags);

}  // namespace lpc::sema
