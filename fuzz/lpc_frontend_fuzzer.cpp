// A libFuzzer target for the schema compiler: the input is the text of a schema
// file, run in memory through every stage lpc has (lexer, parser, sema, layout, the
// header emitter and the fuzz-kit emitter for each struct). The shipped schemas
// (every .lps below LP_SCHEMA_DIR, read once) can be imported by their usual names
// ("net/ipv4.lps"), so inputs can build on real schemas; the seeds are those files.
//
// Invariants, beyond "no crash, no exception, no sanitizer report":
//  - every diagnostic points inside its file, and the diagnostics render;
//  - a schema that passes the checks emits a non-empty header and the same header
//    again when emitted twice (deterministic output);
//  - stages run only on a program without errors, as the driver does.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"
#include "diag/source.hpp"
#include "driver/loader.hpp"
#include "emit/emit_cpp.hpp"
#include "emit/emit_fuzzer.hpp"
#include "layout/layout.hpp"
#include "parse/parser.hpp"
#include "plan/plan.hpp"
#include "sema/sema.hpp"

namespace {

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "lpc_frontend fuzz target: invariant violated: %s\n", message.c_str());
  std::abort();
}

// Every shipped schema by include path ("net/ipv4.lps"), read once.
const std::map<std::string, std::string>& shipped() {
  static const std::map<std::string, std::string> files = [] {
    namespace fs = std::filesystem;
    std::map<std::string, std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(LP_SCHEMA_DIR)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".lps") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      out.emplace(entry.path().lexically_relative(LP_SCHEMA_DIR).generic_string(), text.str());
    }
    if (out.empty()) fail("no shipped schemas below " LP_SCHEMA_DIR);
    return out;
  }();
  return files;
}

// An in-memory loader: parses `text` as `include_path` into `program`, with the
// shipped schemas it imports (each once; imports before importers, except
// within an import cycle, as the file loader does). Null when an import names
// no shipped schema (the file loader would report "cannot open") or the file
// imports itself.
class MemoryLoader {
 public:
  MemoryLoader(lpc::ast::Program& program, lpc::Diagnostics& diags)
      : program_(program), diags_(diags) {}

  const lpc::ast::Module* add(const std::string& include_path, std::string text) {
    const lpc::ast::Module* root = load(include_path, std::move(text));
    if (root != nullptr) lpc::driver::mark_import_cycles(program_);
    return root;
  }

 private:
  const lpc::ast::Module* load(const std::string& include_path, std::string text) {
    if (const auto it = loaded_.find(include_path); it != loaded_.end()) return it->second;
    program_.files.push_back(std::make_unique<lpc::SourceFile>(
        lpc::SourceFile::make(include_path, include_path, std::move(text))));
    std::unique_ptr<lpc::ast::Module> module = lpc::parse::parse(*program_.files.back(), diags_);
    module->include_path = include_path;
    loaded_[include_path] = module.get();  // in progress: an import of it now closes a cycle
    for (lpc::ast::Import& imp : module->imports) {
      if (imp.path == include_path) return nullptr;
      const auto source = shipped().find(imp.path);
      if (source == shipped().end()) return nullptr;
      imp.module = load(imp.path, source->second);
      if (imp.module == nullptr) return nullptr;
    }
    program_.modules.push_back(std::move(module));
    return program_.modules.back().get();
  }

 private:
  lpc::ast::Program& program_;
  lpc::Diagnostics& diags_;
  std::map<std::string, const lpc::ast::Module*> loaded_;
};

void check_diagnostics(const lpc::Diagnostics& diags) {
  for (const lpc::Diagnostic& d : diags.all()) {
    const lpc::SourceRange& r = d.range;
    if (r.file != nullptr && (r.begin > r.end || r.end > r.file->text.size())) {
      fail("a diagnostic points outside its file: " + d.message);
    }
    if (d.message.empty()) fail("a diagnostic without a message");
  }
  const std::string text = diags.render(false);
  if (diags.has_errors() && text.empty()) fail("errors that render as nothing");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  lpc::Diagnostics diags;
  lpc::ast::Program program;
  const lpc::ast::Module* input_module = MemoryLoader(program, diags).add("fuzz/input.lps", text);
  check_diagnostics(diags);
  if (input_module == nullptr || diags.has_errors()) return 0;
  const lpc::ast::Module& input = *input_module;
  program.roots.push_back(&input);

  if (!lpc::sema::check(program, diags) || diags.has_errors()) {
    check_diagnostics(diags);
    return 0;
  }
  const std::unique_ptr<lpc::layout::ProgramLayout> layout = lpc::layout::compute(program, diags);
  check_diagnostics(diags);
  if (layout == nullptr || diags.has_errors()) return 0;
  const std::unique_ptr<lpc::plan::ProgramPlan> plan = lpc::plan::compute(program, *layout);

  const lpc::emit::Options options{"fuzz"};
  const lpc::emit::ModuleFiles files = lpc::emit::files_for(input, *plan, options);
  if (files.header.empty() || files.source.empty()) fail("an empty header or source file");
  const lpc::emit::ModuleFiles again = lpc::emit::files_for(input, *plan, options);
  if (again.header != files.header || again.source != files.source) fail("output that changes");
  const lpc::emit::ModuleFiles single = lpc::emit::files_for(input, *plan, {"fuzz", true});
  if (single.header.empty() || !single.source.empty()) fail("a header-only run with a source");
  for (const auto& d : input.decls) {
    if (const auto* s = std::get_if<std::unique_ptr<lpc::ast::StructDecl>>(&d)) {
      const lpc::emit::FuzzerFiles fuzzer = lpc::emit::fuzzer_for(**s, *plan, options);
      if (fuzzer.source.empty() || fuzzer.dict.empty()) fail("an empty fuzz target or dictionary");
    }
  }
  return 0;
}
