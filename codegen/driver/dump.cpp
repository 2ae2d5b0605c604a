// `lpc dump`: runs a schema on files without generating C++ (docs/lpc-dump.md).
//
//   lpc dump [-I DIR]... SCHEMA --type NAME [--json | --hex] [--offset N] [--length N]
//            [--arg NAME=VALUE]... [--verify-checksums] [--max-depth N]
//            [--max-elements N] FILE...
//
// Each file is parsed by the interpreter (codegen/interp) as the struct NAME and
// printed as the "{:t}" tree of its generated view, as lp::json of it (--json,
// one line per file), or as its annotated hexdump (--hex). A parse error prints
// lp::Error's message on stderr. Exit status: 0 every file accepted, 1 a parse
// error in some file, 2 a usage, file or schema error.
#include "driver/dump.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "driver/compile.hpp"
#include "emit/emit_fuzzer.hpp"
#include "interp/interp.hpp"

namespace lpc::driver {

namespace {

// "length=20", "length=0x14", "delta=-3", "order=little".
std::optional<interp::Argument> parse_argument(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return std::nullopt;
  interp::Argument a;
  a.name = text.substr(0, eq);
  std::string_view v = std::string_view(text).substr(eq + 1);
  if (v == "big") return a;
  if (v == "little") {
    a.value = 1;
    return a;
  }
  if (!v.empty() && v.front() == '-') {
    a.is_negative = true;
    v.remove_prefix(1);
  }
  int base = 10;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    base = 16;
    v.remove_prefix(2);
  }
  std::uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), magnitude, base);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  if (a.is_negative) {
    if (magnitude > std::uint64_t{1} << 63) return std::nullopt;
    a.value = 0 - magnitude;
  } else {
    a.value = magnitude;
  }
  return a;
}

bool read_file(const std::string& path, std::vector<std::byte>& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot open '{}'", path);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  out.resize(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = static_cast<std::byte>(s[i]);
  return true;
}

}  // namespace

int run_dump(int argc, char** argv) {
  CLI::App app{"lpc dump: parses files with a schema, without generating C++", "lpc dump"};
  std::vector<std::string> import_dirs;
  std::string schema;
  std::string type;
  std::vector<std::string> files;
  std::vector<std::string> argument_texts;
  bool json = false;
  bool hex = false;
  bool verify_checksums = false;
  std::size_t offset = 0;
  std::optional<std::size_t> length;
  lp::ParseOptions options;
  app.add_option("-I,--import-dir", import_dirs,
                 "Folder searched for imports, after the importing file's own folder; repeatable")
      ->allow_extra_args(false)
      ->type_name("DIR");
  app.add_option("--type", type, "The struct each file holds (Ipv4 or net.Ipv4)")
      ->required()
      ->type_name("NAME");
  auto* json_flag = app.add_flag("--json", json, "Print lp::json of the view, one line per file");
  app.add_flag("--hex", hex, "Print the annotated hexdump")->excludes(json_flag);
  app.add_option("--offset", offset, "Start this many bytes into each file")->type_name("N");
  app.add_option("--length", length, "Parse at most this many bytes")->type_name("N");
  app.add_option("--arg", argument_texts,
                 "A parameter of the struct: NAME=VALUE (an integer, or big/little); repeatable")
      ->allow_extra_args(false)
      ->type_name("NAME=VALUE");
  app.add_flag("--verify-checksums", verify_checksums,
               "Also verify the struct's own checksum fields, as its view's verify_checksums() "
               "does");
  app.add_option("--max-depth", options.max_depth, "ParseOptions::max_depth")->type_name("N");
  app.add_option("--max-elements", options.max_elements, "ParseOptions::max_elements")
      ->type_name("N");
  app.add_option("schema", schema, "The schema file (.lps)")->required()->type_name("SCHEMA");
  app.add_option("files", files, "Files to parse")->required()->type_name("FILE");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  std::vector<interp::Argument> arguments;
  for (const std::string& text : argument_texts) {
    const auto a = parse_argument(text);
    if (!a) {
      fmt::print(stderr,
                 "lpc dump: error: --arg '{}': expected NAME=VALUE (an integer, big or little)\n",
                 text);
      return 2;
    }
    arguments.push_back(*a);
  }

  Diagnostics diags;
  CompileOptions compile_options;
  compile_options.schemas = {schema};
  compile_options.import_dirs = import_dirs;
  compile_options.emit = false;
  compile_options.keep_plan = true;
  const CompileResult compiled = compile(compile_options, diags);
  std::cerr << diags.render(::isatty(STDERR_FILENO) != 0) << std::flush;
  if (!compiled.ok || compiled.plan == nullptr) return 2;
  std::string error;
  const ast::StructDecl* decl = emit::find_struct(*compiled.program, type, error);
  if (decl == nullptr) {
    fmt::print(stderr, "lpc dump: error: {}\n", error);
    return 2;
  }
  const interp::Interpreter interpreter(*compiled.plan);
  const auto unsupported = interpreter.unsupported(*decl, verify_checksums);
  if (!unsupported.empty()) {
    for (const auto& u : unsupported) {
      fmt::print(stderr, "{}: error: lpc dump cannot verify {}\n", u.location, u.construct);
    }
    return 2;
  }

  const bool has_checksums =
      std::any_of(decl->members.begin(), decl->members.end(), [](const auto& m) {
        const auto* f = std::get_if<ast::Field>(&m);
        return f != nullptr && f->checksum;
      });
  if (verify_checksums && !has_checksums) {
    fmt::print(stderr,
               "lpc dump: note: {} declares no checksum of its own (a child's checksums are "
               "verified when it is the --type)\n",
               decl->name);
  }

  int status = 0;
  for (const std::string& path : files) {
    std::vector<std::byte> data;
    if (!read_file(path, data, error)) {
      fmt::print(stderr, "lpc dump: error: {}\n", error);
      return 2;
    }
    if (offset > data.size()) {
      fmt::print(stderr, "lpc dump: error: --offset {} is past the end of '{}' ({} bytes)\n",
                 offset, path, data.size());
      return 2;
    }
    std::size_t size = data.size() - offset;
    if (length && *length < size) size = *length;
    const lp::bytes bytes(data.data() + offset, size);
    const std::string prefix = files.size() > 1 ? path + ": " : std::string();
    try {
      const auto result = interpreter.parse(*decl, bytes, arguments, options, verify_checksums);
      if (!result) {
        fmt::print(stderr, "{}{}\n", prefix, result.error().message());
        status = 1;
        continue;
      }
      if (json) {
        fmt::print("{}\n", interp::to_json(*result));
      } else {
        if (files.size() > 1) fmt::print("{}:\n", path);
        fmt::print("{}\n", hex ? interp::to_hexdump(*result) : interp::to_tree(*result));
      }
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "lpc dump: error: {}\n", e.what());
      return 2;
    }
  }
  return status;
}

}  // namespace lpc::driver
