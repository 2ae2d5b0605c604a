// The loader: reads the schema files of one lpc run and everything they import,
// parses each file once, and links the imports (docs/schema-language.md §2).
//
// An `import "p"` is looked up relative to the importing file's folder, then in
// each import folder (-I) in order. A file reached twice (by any spelling) is one
// module; an import cycle is an error at the import that closes it. Program::
// modules lists imports before their importers; Program::roots the given files.
//
// Paths: SourceFile::path is the path as opened; display_path the path as given
// (relative to the working folder when an absolute path lies below it), which is
// what diagnostics and generated banners show. Module::include_path is the path
// below the first import folder that holds the file, else below the importing
// module's include root, else the file name.
//
// Cost: each file is read and parsed once. Errors go to Diagnostics; the Program
// holds whatever could be read and is usable by later stages only when no error
// was reported. Lifetime: diagnostics point into the Program's SourceFiles, so
// keep the Program alive until they have been rendered.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"

namespace lpc::driver {

// `opened_files`, when given, receives the path of every schema file read, in
// the order opened (for depfiles).
std::unique_ptr<ast::Program> load(const std::vector<std::string>& roots,
                                   const std::vector<std::string>& import_dirs, Diagnostics& diags,
                                   std::vector<std::string>* opened_files = nullptr);

// Sets Import::in_cycle on every import of `program` whose module leads back to
// its importer. load() does this; a loader of its own (the front-end fuzzer's,
// in memory) calls it once every module is linked.
void mark_import_cycles(ast::Program& program);

}  // namespace lpc::driver
