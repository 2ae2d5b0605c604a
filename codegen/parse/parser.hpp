// The parser: one schema file to an ast::Module (docs/schema-language.md §2-§25),
// by recursive descent over the lexer's tokens.
//
// Every node gets its SourceRange; an expression's range is exactly its text
// (parentheses included), which is what later errors and generated code quote.
// Declarations get `module` set to the returned Module. Imports are recorded as
// written; the loader (codegen/driver) resolves them.
//
// Errors: a syntax error is reported as "expected X, found Y" at the offending
// token, then the parser skips to the end of the member, switch arm, enum member
// or declaration and carries on, so one run shows several errors. Nodes that
// failed to parse are left out of the AST. A Module is always returned; it is
// complete only when no error was reported.
//
// Cost: linear in the size of the file; expression nesting, and the number of
// operators on one path of an expression tree, are limited (kMaxDepth) so hostile
// input cannot exhaust the stack here or in the stages that walk the tree.
#pragma once

#include <memory>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"
#include "diag/source.hpp"

namespace lpc::parse {

// Deeper nesting of expressions or parentheses, or more operators on one path of
// an expression (`a + a + ...` counts one per operator), is a syntax error.
inline constexpr int kMaxDepth = 200;

// `file` must outlive the Module (its ranges point into it).
std::unique_ptr<ast::Module> parse(const SourceFile& file, Diagnostics& diags);

}  // namespace lpc::parse
