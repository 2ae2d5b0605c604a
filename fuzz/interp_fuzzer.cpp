// Differential fuzz target: the interpreter (codegen/interp, `lpc dump`) against
// the generated view of one shipped type, on the same bytes (issue 23). Built
// once per type: LP_DIFF_HEADER, LP_DIFF_VIEW (the generated view class),
// LP_DIFF_SCHEMA (below LP_SCHEMA_DIR) and LP_DIFF_TYPE name it.
//
// Invariants: interp::difference() (codegen/interp/differential.hpp) finds
// nothing: same outcome, same error, same JSON, hexdump and tree.
//
// The schema is compiled once, at the first input, from the source tree.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include LP_DIFF_HEADER
#include "driver/compile.hpp"
#include "emit/emit_fuzzer.hpp"
#include "interp/differential.hpp"
#include "interp/interp.hpp"

namespace {

struct Loaded {
  lpc::driver::CompileResult compiled;
  const lpc::ast::StructDecl* decl = nullptr;
  std::unique_ptr<lpc::interp::Interpreter> interpreter;
};

const Loaded& loaded() {
  static const Loaded* instance = [] {
    auto* l = new Loaded;
    lpc::Diagnostics diags;
    lpc::driver::CompileOptions options;
    options.schemas = {std::string(LP_SCHEMA_DIR) + "/" + LP_DIFF_SCHEMA};
    options.import_dirs = {LP_SCHEMA_DIR};
    options.emit = false;
    options.keep_plan = true;
    l->compiled = lpc::driver::compile(options, diags);
    std::string error;
    if (l->compiled.ok) l->decl = lpc::emit::find_struct(*l->compiled.program, LP_DIFF_TYPE, error);
    if (l->decl == nullptr) {
      std::fprintf(stderr, "interp fuzz target: cannot load %s: %s%s\n", LP_DIFF_SCHEMA,
                   diags.render(false).c_str(), error.c_str());
      std::abort();
    }
    l->interpreter = std::make_unique<lpc::interp::Interpreter>(*l->compiled.plan);
    return l;
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Loaded& l = loaded();
  const lp::bytes bytes(reinterpret_cast<const std::byte*>(data), size);
  const std::string diff =
      lpc::interp::difference(LP_DIFF_VIEW::parse(bytes), l.interpreter->parse(*l.decl, bytes));
  if (!diff.empty()) {
    std::fprintf(stderr, "interp fuzz target (%s): %s\n", LP_DIFF_TYPE, diff.c_str());
    std::abort();
  }
  return 0;
}
