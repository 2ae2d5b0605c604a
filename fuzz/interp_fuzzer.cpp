// Differential fuzz target: the interpreter (codegen/interp, `lpc dump`) against
// the generated view of one shipped type, on the same bytes (issue 23). Built
// once per type: LP_DIFF_HEADER, LP_DIFF_VIEW (the generated view class),
// LP_DIFF_SCHEMA (below LP_SCHEMA_DIR) and LP_DIFF_TYPE name it.
//
// Invariants: both accept or both reject; on rejection the errors print the same
// lp::Error message (code, byte and bit offset, path with indices, text, actual
// and needed bytes); on acceptance lp::json and the annotated hexdump (every
// leaf's value and bytes, in visit order) are the same text.
//
// The schema is compiled once, at the first input, from the source tree.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <fmt/format.h>

#include LP_DIFF_HEADER
#include "driver/compile.hpp"
#include "emit/emit_fuzzer.hpp"
#include "interp/interp.hpp"
#include "libparse/format.hpp"

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

[[noreturn]] void fail(const char* what, const std::string& generated, const std::string& interp) {
  std::fprintf(stderr, "interp fuzz target (%s): %s\n  generated:   %s\n  interpreter: %s\n",
               LP_DIFF_TYPE, what, generated.c_str(), interp.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Loaded& l = loaded();
  const lp::bytes bytes(reinterpret_cast<const std::byte*>(data), size);
  const auto generated = LP_DIFF_VIEW::parse(bytes);
  const auto interpreted = l.interpreter->parse(*l.decl, bytes);
  if (generated.has_value() != interpreted.has_value()) {
    fail("one accepts, the other rejects",
         generated ? std::string("accepted") : generated.error().message(),
         interpreted ? std::string("accepted") : interpreted.error().message());
  }
  if (!generated) {
    const std::string g = generated.error().message();
    const std::string i = interpreted.error().message();
    if (g != i || generated.error().field_path() != interpreted.error().field_path()) {
      fail("different errors", g, i);
    }
    return 0;
  }
  const std::string g = fmt::format("{}", lp::json(*generated));
  const std::string i = lpc::interp::to_json(*interpreted);
  if (g != i) fail("different JSON", g, i);
  const std::string gh = fmt::format("{}", lp::annotated_hexdump(*generated));
  const std::string ih = lpc::interp::to_hexdump(*interpreted);
  if (gh != ih) fail("different annotated hexdumps", gh, ih);
  if (generated->bytes().size() != interpreted->where.size()) {
    fail("different sizes", std::to_string(generated->bytes().size()),
         std::to_string(interpreted->where.size()));
  }
  return 0;
}
