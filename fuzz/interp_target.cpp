// The type-independent half of interp_target.hpp, compiled once for every
// differential fuzz target (library lp_fuzz_interp).
#include "interp_target.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "driver/compile.hpp"
#include "emit/emit_fuzzer.hpp"

namespace lp_fuzz {

namespace {

// "demo::structure::Options" -> "demo.structure.Options", as lpc names it.
std::string schema_name(std::string_view cpp) {
  std::string out;
  for (std::size_t i = 0; i < cpp.size(); ++i) {
    if (cpp.compare(i, 2, "::") == 0) {
      out += '.';
      ++i;
    } else {
      out += cpp[i];
    }
  }
  return out;
}

}  // namespace

Interpreted::Interpreted() = default;
Interpreted::~Interpreted() = default;

const lpc::ast::StructDecl& Interpreted::decl(const std::string& name) const {
  std::string error;
  const auto* d = lpc::emit::find_struct(*compiled->program, name, error);
  if (d == nullptr) {
    std::fprintf(stderr, "interp fuzz target: %s\n", error.c_str());
    std::abort();
  }
  return *d;
}

const Interpreted& interpret(const std::string& dir, const std::vector<std::string>& schemas) {
  auto* out = new Interpreted;
  lpc::Diagnostics diags;
  lpc::driver::CompileOptions options;
  for (const std::string& s : schemas) options.schemas.push_back(dir + "/" + s);
  options.import_dirs = {dir};
  options.emit = false;
  options.keep_plan = true;
  out->compiled =
      std::make_unique<lpc::driver::CompileResult>(lpc::driver::compile(options, diags));
  if (!out->compiled->ok) {
    std::fprintf(stderr, "interp fuzz target: cannot compile the schemas of %s:\n%s\n", dir.c_str(),
                 diags.render(false).c_str());
    std::abort();
  }
  out->interpreter = std::make_unique<lpc::interp::Interpreter>(*out->compiled->plan);
  return *out;
}

TypeTable::TypeTable(const std::string& dir, const std::vector<std::string>& schemas,
                     std::span<const Entry> entries)
    : schemas_(interpret(dir, schemas)), entries_(entries) {
  std::set<std::string> listed;
  for (const Entry& e : entries_) {
    listed.insert(schema_name(e.cpp_name));
    decls_.push_back(&schemas_.decl(schema_name(e.cpp_name)));
  }
  for (const lpc::ast::Module* module : schemas_.compiled->program->roots) {
    for (const auto& d : module->decls) {
      const auto* s = std::get_if<std::unique_ptr<lpc::ast::StructDecl>>(&d);
      if (s == nullptr) continue;
      const std::string name = fmt::format("{}.{}", fmt::join(module->package, "."), (*s)->name);
      if (listed.count(name) == 0) {
        std::fprintf(stderr, "interp fuzz target: %s (%s) is not in its table of types\n",
                     name.c_str(), module->include_path.c_str());
        std::abort();
      }
    }
  }
}

}  // namespace lp_fuzz
