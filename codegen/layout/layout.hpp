// Layout: where every field of every struct sits (constant offsets vs offsets
// known only after parse()), how wide it is, and which fields start a new
// dynamic segment. Input: a checked Program. Output: plain data for the emitter.
#pragma once

#include <memory>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"

namespace lpc::layout {

struct ProgramLayout;  // defined by the layout stage

// Null when a layout problem was reported into diags.
std::unique_ptr<ProgramLayout> compute(const ast::Program& program, Diagnostics& diags);

}  // namespace lpc::layout
