// The C++ emitter: one header per schema module, from named-placeholder templates.
#pragma once

#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "layout/layout.hpp"

namespace lpc::emit {

struct Options {
  std::string compiler_version;  // printed in the banner
};

// "net/ipv4.lps" -> "net/ipv4.lp.hpp": where the header goes below the output
// folder, and how other generated headers #include it.
std::string header_path(const ast::Module& module);

// The module's structs, each after the structs it holds by value (fields, array
// elements, switch arms that are not recursive): the order of their classes, and
// of their FooValue structs.
std::vector<const ast::StructDecl*> dependency_order(const ast::Module& module);

// The whole header text; deterministic (same program, same bytes).
std::string header_for(const ast::Module& module, const layout::ProgramLayout& layout,
                       const Options& options);

}  // namespace lpc::emit
