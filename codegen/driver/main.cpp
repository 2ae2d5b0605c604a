// lpc: the libparse schema compiler.
//
//   lpc [-I dir]... -o outdir [--depfile file] [--all] [--header-only] schema.lps...
//   lpc --check [-I dir]... schema.lps...
//   lpc [-I dir]... -o outdir --emit-fuzzer TYPE schema.lps...
//   lpc dump [-I dir]... schema.lps --type TYPE [--json | --hex] file...  (driver/dump.cpp)
//
// Writes outdir/<include path of each schema, .lps -> .lp.hpp> and, unless
// --header-only, the .lp.cpp beside it (the out-of-line code, to compile once),
// each only when its contents change (so builds stay incremental).
// --emit-fuzzer TYPE also writes a libFuzzer target and dictionary for the struct
// TYPE next to its header (outdir/net/ipv4.Ipv4.fuzz.cpp, .dict; docs/fuzzing.md).
// Exit status: 0 success, 1 errors in the schemas (diagnostics on stderr), 2 a
// usage error.
#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostics.hpp"
#include "driver/compile.hpp"
#include "driver/dump.hpp"

namespace {

namespace fs = std::filesystem;

// Writes `text` to `path` unless it already holds exactly that; creates folders.
// Writes a temporary file and renames it, so a reader never sees half a header.
bool write_if_changed(const fs::path& path, const std::string& text) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream current;
      current << in.rdbuf();
      if (current.str() == text) return true;
    }
  }
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) {
    fmt::print(stderr, "lpc: error: cannot create '{}': {}\n", path.parent_path().string(),
               ec.message());
    return false;
  }
  const fs::path temp = path.string() + ".tmp";
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  bool ok = f != nullptr && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int error = errno;
  if (f != nullptr && std::fclose(f) != 0) ok = false;
  if (ok) {
    fs::rename(temp, path, ec);
    ok = !ec;
    if (!ok) fmt::print(stderr, "lpc: error: cannot write '{}': {}\n", path.string(), ec.message());
  } else {
    fmt::print(stderr, "lpc: error: cannot write '{}': {}\n", path.string(), std::strerror(error));
  }
  if (!ok) fs::remove(temp, ec);
  return ok;
}

// Make syntax: blanks escaped with '\', '$' doubled, '#' escaped.
std::string make_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '\t' || c == '#' || c == '\\') out += '\\';
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

int run(int argc, char** argv) {
  // `lpc dump ...`: the interpreter's own command line (driver/dump.hpp).
  if (argc > 1 && std::string_view(argv[1]) == "dump")
    return lpc::driver::run_dump(argc - 1, argv + 1);
  CLI::App app{"lpc: compiles libparse schemas (.lps) into C++ parser view headers", "lpc"};
  app.set_version_flag("--version", "lpc " LPC_VERSION);
  app.footer(
      "lpc dump SCHEMA --type NAME FILE...: parse files with a schema without generating "
      "C++ (lpc dump --help)");
  std::vector<std::string> import_dirs;
  std::vector<std::string> schemas;
  std::string out_dir;
  std::string depfile;
  std::string color = "auto";
  std::string fuzzer_type;
  bool check = false;
  bool all = false;
  bool header_only = false;
  app.add_option("-I,--import-dir", import_dirs,
                 "Folder searched for imports, after the importing file's own folder; repeatable, "
                 "searched in order")
      ->allow_extra_args(false)
      ->type_name("DIR");
  auto* out_opt =
      app.add_option("-o,--output-dir", out_dir, "Folder the generated headers are written below")
          ->type_name("DIR");
  app.add_flag("--check", check, "Only check the schemas: report diagnostics, write nothing");
  app.add_flag("--all", all, "Also write the headers of imported schemas");
  app.add_flag("--header-only", header_only,
               "Write one self-contained header per schema (every definition inline), no "
               ".lp.cpp source file");
  app.add_option("--depfile", depfile,
                 "Write a Make-syntax depfile: the first header depends on every schema read")
      ->type_name("FILE")
      ->needs(out_opt);
  app.add_option("--emit-fuzzer", fuzzer_type,
                 "Also write a libFuzzer target and dictionary for the struct TYPE (Ipv4 or "
                 "net.Ipv4) next to its header")
      ->type_name("TYPE")
      ->needs(out_opt);
  app.add_option("--color", color,
                 "Colour diagnostics: auto (when stderr is a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("schemas", schemas, "Schema files (.lps)")->required()->type_name("SCHEMA");

  try {
    app.parse(argc, argv);
    if (!check && out_dir.empty()) {
      throw CLI::RequiredError("-o,--output-dir (or --check)");
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  const bool use_color = color == "always" || (color == "auto" && ::isatty(STDERR_FILENO) != 0);
  lpc::Diagnostics diags;
  lpc::driver::CompileOptions options;
  options.schemas = schemas;
  options.import_dirs = import_dirs;
  options.all_modules = all;
  options.header_only = header_only;
  options.emit = !check;
  options.fuzzer_type = fuzzer_type;
  const lpc::driver::CompileResult result = lpc::driver::compile(options, diags);
  std::cerr << diags.render(use_color) << std::flush;
  if (!result.ok) return 1;
  if (check) return 0;

  bool ok = true;
  for (const auto& header : result.headers) {
    ok = write_if_changed(fs::path(out_dir) / header.path, header.text) && ok;
  }
  for (const auto& source : result.sources) {
    ok = write_if_changed(fs::path(out_dir) / source.path, source.text) && ok;
  }
  for (const auto& file : result.fuzz_files) {
    ok = write_if_changed(fs::path(out_dir) / file.path, file.text) && ok;
  }
  if (ok && !depfile.empty() && !result.headers.empty()) {
    std::string text =
        make_escape((fs::path(out_dir) / result.headers.front().path).generic_string()) + ":";
    for (const auto& file : result.opened_files) text += " \\\n  " + make_escape(file);
    ok = write_if_changed(depfile, text + "\n");
  }
  return ok ? 0 : 1;
}

int run_guarded(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "lpc: error: internal compiler error: {}\n", e.what());
  } catch (...) {
    fmt::print(stderr, "lpc: error: internal compiler error\n");
  }
  return 1;
}

// The stages recurse once per level of struct nesting (up to
// sema::kMaxStructNesting) and of expression nesting (parse::kMaxDepth); a
// sanitizer build's frames are several times larger. The compiler runs on a
// thread with this much stack (reserved, touched only as deep as it goes), so
// that every schema within the limits compiles instead of overflowing 8 MiB.
constexpr std::size_t kCompilerStackBytes = std::size_t{512} << 20;

struct MainArguments {
  int argc;
  char** argv;
  int status;
};

}  // namespace

int main(int argc, char** argv) {
  MainArguments args{argc, argv, 1};
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return run_guarded(argc, argv);
  pthread_t thread;
  const bool started = pthread_attr_setstacksize(&attr, kCompilerStackBytes) == 0 &&
                       pthread_create(
                           &thread, &attr,
                           [](void* p) -> void* {
                             auto* a = static_cast<MainArguments*>(p);
                             a->status = run_guarded(a->argc, a->argv);
                             return nullptr;
                           },
                           &args) == 0;
  pthread_attr_destroy(&attr);
  if (!started) return run_guarded(argc, argv);  // no thread: the usual stack
  pthread_join(thread, nullptr);
  return args.status;
}
