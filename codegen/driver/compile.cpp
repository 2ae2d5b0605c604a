#include "driver/compile.hpp"

#include <algorithm>

#include "driver/loader.hpp"
#include "emit/emit_cpp.hpp"
#include "emit/emit_fuzzer.hpp"
#include "layout/layout.hpp"
#include "plan/plan.hpp"
#include "sema/sema.hpp"

namespace lpc::driver {

CompileResult compile(const CompileOptions& options, Diagnostics& diags) {
  CompileResult result;
  result.program = load(options.schemas, options.import_dirs, diags, &result.opened_files);
  ast::Program* program = result.program.get();
  // Later stages assume a complete AST: stop after syntax and file errors.
  if (diags.has_errors()) return result;
  if (!sema::check(*program, diags) || diags.has_errors()) return result;
  std::unique_ptr<layout::ProgramLayout> layout = layout::compute(*program, diags);
  if (layout == nullptr || diags.has_errors()) return result;
  std::unique_ptr<plan::ProgramPlan> plan = plan::compute(*program, *layout);

  if (options.emit) {
    std::vector<const ast::Module*> modules(program->roots.begin(), program->roots.end());
    if (options.all_modules) {
      for (const auto& m : program->modules) {
        if (std::find(modules.begin(), modules.end(), m.get()) == modules.end()) {
          modules.push_back(m.get());
        }
      }
    }
    const emit::Options emit_options{LPC_VERSION, options.header_only};
    for (const ast::Module* m : modules) {
      emit::ModuleFiles files = emit::files_for(*m, *plan, emit_options);
      result.headers.push_back({emit::header_path(*m), std::move(files.header)});
      if (!options.header_only) {
        result.sources.push_back({emit::source_path(*m), std::move(files.source)});
      }
    }
    if (!options.fuzzer_type.empty()) {
      std::string error;
      if (const ast::StructDecl* root = emit::find_struct(*program, options.fuzzer_type, error)) {
        emit::FuzzerFiles files = emit::fuzzer_for(*root, *plan, emit_options);
        result.fuzz_files.push_back({std::move(files.source_path), std::move(files.source)});
        result.fuzz_files.push_back({std::move(files.dict_path), std::move(files.dict)});
      } else {
        diags.error(SourceRange{}, error);
      }
    }
  }
  result.ok = !diags.has_errors();
  if (options.keep_plan) {
    result.layout = std::move(layout);
    result.plan = std::move(plan);
  }
  return result;
}

}  // namespace lpc::driver
