// One lpc run without the command line: load the schemas, check them, lay them
// out and emit the headers, in memory. main.cpp adds the CLI and the file
// writing; tests call this directly.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"
#include "layout/layout.hpp"
#include "plan/plan.hpp"

namespace lpc::driver {

struct CompileOptions {
  std::vector<std::string> schemas;      // the root schema files
  std::vector<std::string> import_dirs;  // -I folders, searched in order
  bool all_modules = false;              // also emit the headers of imported modules
  bool emit = true;                      // false: check only (--check)
  // --header-only: self-contained headers, no source files (emit::Options).
  bool header_only = false;
  // --emit-fuzzer: a struct of a root schema ("Ipv4" or "net.Ipv4") to emit a
  // libFuzzer target and dictionary for (emit/emit_fuzzer.hpp); empty: none.
  std::string fuzzer_type;
  // Keep the layout and the plan in the result (the interpreter runs on them).
  bool keep_plan = false;
};

struct GeneratedFile {
  std::string path;  // below the output folder: "net/ipv4.lp.hpp"
  std::string text;
};

struct CompileResult {
  bool ok = false;                     // no error was reported
  std::vector<GeneratedFile> headers;  // the roots' first, in command-line order
  // The headers' source files ("net/ipv4.lp.cpp"), in the same order; none with
  // header_only.
  std::vector<GeneratedFile> sources;
  // With fuzzer_type: the fuzz target, then its dictionary.
  std::vector<GeneratedFile> fuzz_files;
  std::vector<std::string> opened_files;  // every schema read, as opened
  // Owns the source files the diagnostics point into: keep the result alive until
  // they are rendered.
  std::unique_ptr<ast::Program> program;
  // With keep_plan and no error: the program's layout and plan.
  std::unique_ptr<layout::ProgramLayout> layout;
  std::unique_ptr<plan::ProgramPlan> plan;
};

CompileResult compile(const CompileOptions& options, Diagnostics& diags);

}  // namespace lpc::driver
