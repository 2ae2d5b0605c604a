// The C++ emitter: one header per schema module, from named-placeholder templates.
#pragma once

#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "plan/plan.hpp"

namespace lpc::emit {

struct Options {
  std::string compiler_version;  // printed in the banner
  // true: one self-contained header per module, every definition inline (lpc
  // --header-only); false: the header plus a source file holding the cold code.
  bool header_only = false;
};

// "net/ipv4.lps" -> "net/ipv4.lp.hpp": where the header goes below the output
// folder, and how other generated headers #include it.
std::string header_path(const ast::Module& module);

// "net/ipv4.lps" -> "net/ipv4.lp.cpp": the module's source file, next to its header.
std::string source_path(const ast::Module& module);

// What lpc writes for one module; deterministic (same program, same bytes).
struct ModuleFiles {
  std::string header;
  // The out-of-line definitions (error paths, visit(), serialize()) after an
  // #include of the header; empty with Options::header_only, else always written
  // (a module of enums only gets one with no definitions) so build systems can
  // list it without knowing the schema.
  std::string source;
};
ModuleFiles files_for(const ast::Module& module, const plan::ProgramPlan& plan,
                      const Options& options);

}  // namespace lpc::emit
