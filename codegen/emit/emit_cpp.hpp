// The C++ emitter: one header per schema module, from named-placeholder templates.
#pragma once

#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "plan/plan.hpp"

namespace lpc::emit {

struct Options {
  std::string compiler_version;  // printed in the banner
};

// "net/ipv4.lps" -> "net/ipv4.lp.hpp": where the header goes below the output
// folder, and how other generated headers #include it.
std::string header_path(const ast::Module& module);

// The whole header text; deterministic (same program, same bytes).
std::string header_for(const ast::Module& module, const plan::ProgramPlan& plan,
                       const Options& options);

}  // namespace lpc::emit
