// What the differential fuzz targets (interp_fuzzer.cpp, interp_demo_fuzzer.cpp,
// interp_demo_cycle_fuzzer.cpp) share: schemas compiled from the source tree
// for the interpreter, the check every input goes through, and a table of
// types for a target over several (issue 23, docs/fuzzing.md). The parts that
// do not depend on the generated type are compiled once (interp_target.cpp,
// the library lp_fuzz_interp).
//
// Cost: compiling the schemas once, at the first input; then per input the
// interpreter and the generated parse() twice (default limits, then small
// ones), and formatting both results of each accepted parse.
// Lifetime: the compiled schemas live as long as the process (never freed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "interp/differential.hpp"
#include "interp/interp.hpp"

namespace lpc::driver {
struct CompileResult;
}

namespace lp_fuzz {

// Schemas checked and planned, and an interpreter over them.
struct Interpreted {
  Interpreted();
  ~Interpreted();
  Interpreted(const Interpreted&) = delete;
  Interpreted& operator=(const Interpreted&) = delete;

  // The struct `name` ("Ipv4", or package-qualified "demo.structure.Options") of
  // a root schema; aborts when there is none.
  const lpc::ast::StructDecl& decl(const std::string& name) const;

  std::unique_ptr<lpc::driver::CompileResult> compiled;
  std::unique_ptr<lpc::interp::Interpreter> interpreter;
};

// `schemas` (paths below `dir`, which is the import folder too) compiled as
// `lpc dump` compiles them; aborts with lpc's diagnostics when they do not
// check. Never freed.
const Interpreted& interpret(const std::string& dir, const std::vector<std::string>& schemas);

// Limits a fuzz input can reach, from `seed` (the input's size, so that
// libFuzzer varies them by growing and shrinking inputs): max_depth 0-5,
// max_elements 0-7. The defaults are out of reach of most inputs, and where
// each parser stops at a limit must agree too.
inline lp::ParseOptions small_limits(std::size_t seed) {
  lp::ParseOptions options;
  options.max_depth = seed % 6;
  options.max_elements = (seed / 6) % 8;
  return options;
}

// The generated Type::parse() and the interpreter on `input` (the arguments of
// `decl`'s parameters first), with default and with small limits; prints what
// differs and aborts, which libFuzzer reports as a crash.
template <class Type>
void require_agreement(const Interpreted& schemas, const lpc::ast::StructDecl& decl,
                       lp::bytes input) {
  for (const lp::ParseOptions& options : {lp::ParseOptions{}, small_limits(input.size())}) {
    const std::string diff =
        lpc::interp::difference_on_input<Type>(*schemas.interpreter, decl, input, options);
    if (!diff.empty()) {
      std::fprintf(stderr, "interp fuzz target (%s, max_depth %zu, max_elements %zu): %s\n",
                   decl.name.c_str(), options.max_depth, options.max_elements, diff.c_str());
      std::abort();
    }
  }
}

// Several types in one target: the first input byte picks one (its index in
// the table, modulo the table's size), the rest is its input as
// require_agreement() takes it. The table must name every struct of the root
// schemas, so that a struct added to them is fuzzed once it is listed (the
// target aborts at the first input, naming it, until then).
class TypeTable {
 public:
  using Check = void (*)(const Interpreted&, const lpc::ast::StructDecl&, lp::bytes);
  struct Entry {
    std::string_view cpp_name;  // "demo::structure::Options"
    Check check;                // require_agreement<demo::structure::Options>
  };

  TypeTable(const std::string& dir, const std::vector<std::string>& schemas,
            std::span<const Entry> entries);

  void run(const std::uint8_t* data, std::size_t size) const {
    if (size == 0) return;
    const std::size_t index = data[0] % entries_.size();
    entries_[index].check(schemas_, *decls_[index],
                          lp::bytes(reinterpret_cast<const std::byte*>(data + 1), size - 1));
  }

 private:
  const Interpreted& schemas_;
  std::span<const Entry> entries_;
  std::vector<const lpc::ast::StructDecl*> decls_;  // the entries' structs, in order
};

// A TypeTable entry for generated type T.
#define LP_FUZZ_TYPE(T) \
  lp_fuzz::TypeTable::Entry { #T, &lp_fuzz::require_agreement < T> }

}  // namespace lp_fuzz
