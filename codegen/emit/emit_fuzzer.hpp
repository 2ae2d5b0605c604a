// The fuzz-kit emitter (`lpc --emit-fuzzer TYPE`): for one struct of a schema, a
// libFuzzer target (LLVMFuzzerTestOneInput) that checks invariants of the generated
// views, and a libFuzzer dictionary of the schema's magic values. docs/fuzzing.md
// describes what the target checks.
//
// Both files sit next to the schema's header: "net/ipv4.lps" and Ipv4 give
// "net/ipv4.Ipv4.fuzz.cpp" and "net/ipv4.Ipv4.dict". Output is deterministic.
#pragma once

#include <string>
#include <string_view>

#include "ast/ast.hpp"
#include "emit/emit_cpp.hpp"
#include "plan/plan.hpp"

namespace lpc::emit {

struct FuzzerFiles {
  std::string source_path;  // below the output folder: "net/ipv4.Ipv4.fuzz.cpp"
  std::string source;
  std::string dict_path;  // "net/ipv4.Ipv4.dict"
  std::string dict;
};

// The struct `name` ("Ipv4", or package-qualified "net.Ipv4") declared in one of the
// program's root modules; null with `error` set when there is none or more than one.
const ast::StructDecl* find_struct(const ast::Program& program, std::string_view name,
                                   std::string& error);

// The target and dictionary for `root`, from a checked and laid-out program.
FuzzerFiles fuzzer_for(const ast::StructDecl& root, const plan::ProgramPlan& plan,
                       const Options& options);

}  // namespace lpc::emit
