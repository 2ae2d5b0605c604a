// `lpc dump`: runs a schema on files without generating C++ (docs/lpc-dump.md).
//
//   lpc dump [-I DIR]... SCHEMA --type NAME [--json | --hex] [--offset N] [--length N]
//            [--arg NAME=VALUE]... [--verify-checksums [--pseudo-header SPEC]]
//            [--follow-references] [--trace-errors] [--max-depth N] [--max-elements N]
//            FILE...
//
// Each file is parsed by the interpreter (codegen/interp) as the struct NAME and
// printed as the "{:t}" tree of its generated view, as lp::json of it (--json,
// one line per file), or as its annotated hexdump (--hex). A parse error prints
// lp::Error's message on stderr. Exit status: 0 every file accepted, 1 a parse
// error in some file, 2 a usage, file or schema error.
#include "driver/dump.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
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

// --pseudo-header: the sum a `checksum internet pseudo` field starts from, as
// the view's verify_checksums(pseudo_header) takes it. "ipv4:SRC,DST,PROTOCOL"
// and "ipv6:SRC,DST,NEXT_HEADER" build the IP pseudo-header of a segment as long
// as the bytes parsed (lp::ipv4_pseudo_header, lp::ipv6_pseudo_header);
// "hex:BYTES" sums the bytes given, as they are.
struct PseudoHeader {
  enum class Kind : std::uint8_t { ipv4, ipv6, hex } kind = Kind::hex;
  std::array<std::byte, 16> source{};
  std::array<std::byte, 16> destination{};
  std::uint8_t protocol = 0;
  std::vector<std::byte> bytes;

  // The sum for a segment of `length` bytes; nullopt when the IPv4 pseudo-header
  // cannot hold the length.
  std::optional<lp::InternetChecksum> sum(std::size_t length) const {
    switch (kind) {
      case Kind::ipv4:
        if (length > 0xffff) return std::nullopt;
        return lp::ipv4_pseudo_header(lp::bytes(source.data(), 4), lp::bytes(destination.data(), 4),
                                      protocol, static_cast<std::uint16_t>(length));
      case Kind::ipv6:
        if (length > 0xffffffff) return std::nullopt;
        return lp::ipv6_pseudo_header(lp::bytes(source.data(), 16),
                                      lp::bytes(destination.data(), 16),
                                      static_cast<std::uint32_t>(length), protocol);
      case Kind::hex:
        break;
    }
    lp::InternetChecksum sum;
    sum.add(lp::bytes(bytes.data(), bytes.size()));
    return sum;
  }
};

std::optional<PseudoHeader> parse_pseudo_header(std::string_view text) {
  PseudoHeader out;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view kind = text.substr(0, colon);
  std::string_view rest = text.substr(colon + 1);
  if (kind == "hex") {
    if (rest.size() % 2 != 0) return std::nullopt;
    for (std::size_t i = 0; i < rest.size(); i += 2) {
      std::uint8_t byte = 0;
      const auto [end, ec] = std::from_chars(rest.data() + i, rest.data() + i + 2, byte, 16);
      if (ec != std::errc() || end != rest.data() + i + 2) return std::nullopt;
      out.bytes.push_back(std::byte{byte});
    }
    return out;
  }
  int family = 0;
  if (kind == "ipv4") {
    out.kind = PseudoHeader::Kind::ipv4;
    family = AF_INET;
  } else if (kind == "ipv6") {
    out.kind = PseudoHeader::Kind::ipv6;
    family = AF_INET6;
  } else {
    return std::nullopt;
  }
  std::vector<std::string> parts;
  for (std::size_t comma; (comma = rest.find(',')) != std::string_view::npos;) {
    parts.emplace_back(rest.substr(0, comma));
    rest.remove_prefix(comma + 1);
  }
  parts.emplace_back(rest);
  if (parts.size() != 3) return std::nullopt;
  if (::inet_pton(family, parts[0].c_str(), out.source.data()) != 1 ||
      ::inet_pton(family, parts[1].c_str(), out.destination.data()) != 1) {
    return std::nullopt;
  }
  const std::string& p = parts[2];
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), out.protocol);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size()) return std::nullopt;
  return out;
}

// --follow-references: after the tree, every reference of the parsed struct and
// of its children (`target: T at offset;`), in visit order, followed as its
// accessor follows it: "PATH -> byte N:" and the target's tree, indented, then
// the references inside that target on the same chain (one chain per reference
// of the input: a DNS name and all its pointers). A reference that cannot be
// followed prints the lp::Error its accessor returns; the result is false then.
class ReferencePrinter {
 public:
  ReferencePrinter(const interp::Interpreter& interpreter, lp::bytes message,
                   const lp::ParseOptions& options)
      : interpreter_(interpreter), message_(message), options_(options) {}

  bool print(const interp::Node& root) {
    walk(root, std::string(root.type_name), nullptr, 1);
    return ok_;
  }

 private:
  // chain: null for the input's own references (each starts a chain).
  void walk(const interp::Node& node, const std::string& path, lp::PointerChain* chain, int depth) {
    for (const auto& reference : node.references) {
      lp::PointerChain own(message_, options_);
      follow(node, reference, path + "." + reference.field->name, chain ? *chain : own, depth);
    }
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      const interp::Node& child = node.children[i];
      const std::string child_path = child.name.empty() ? fmt::format("{}[{}]", path, i)
                                                        : fmt::format("{}.{}", path, child.name);
      walk(child, child_path, chain, depth);
    }
  }

  void follow(const interp::Node& referrer, const interp::Node::Reference& reference,
              const std::string& path, lp::PointerChain& chain, int depth) {
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    if (!header_printed_) {
      fmt::print("references:\n");
      header_printed_ = true;
    }
    const lp::Result<interp::Node> target = interpreter_.follow(referrer, reference, chain);
    if (!target) {
      fmt::print("{}{}: {}\n", indent, path, target.error().message());
      ok_ = false;
      return;
    }
    fmt::print("{}{} -> byte {}:\n", indent, path,
               static_cast<std::size_t>(target->where.data() - message_.data()));
    std::istringstream lines(interp::to_tree(*target));
    for (std::string line; std::getline(lines, line);) fmt::print("{}  {}\n", indent, line);
    walk(*target, std::string(target->type_name), &chain, depth + 1);
  }

  const interp::Interpreter& interpreter_;
  lp::bytes message_;
  const lp::ParseOptions& options_;
  bool header_printed_ = false;
  bool ok_ = true;
};

// --trace-errors: ParseOptions::on_error, printing each level a parse error
// passes through (innermost first) before the error itself.
void print_error_level(void* /*context*/, std::string_view type_name, std::string_view field,
                       const lp::Error& error) {
  fmt::print(stderr, "  in {}, at {}: {}\n", type_name, field.empty() ? "-" : field,
             error.message());
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
  std::string pseudo_header_text;
  bool follow_references = false;
  bool trace_errors = false;
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
  auto* hex_flag = app.add_flag("--hex", hex, "Print the annotated hexdump")->excludes(json_flag);
  app.add_flag("--follow-references", follow_references,
               "After the tree, follow every reference (`target: T at offset;`) as its accessor "
               "does, and print each target's tree")
      ->excludes(json_flag)
      ->excludes(hex_flag);
  app.add_option("--offset", offset, "Start this many bytes into each file")->type_name("N");
  app.add_option("--length", length, "Parse at most this many bytes")->type_name("N");
  app.add_option("--arg", argument_texts,
                 "A parameter of the struct: NAME=VALUE (an integer, or big/little); repeatable")
      ->allow_extra_args(false)
      ->type_name("NAME=VALUE");
  auto* verify_flag = app.add_flag("--verify-checksums", verify_checksums,
                                   "Also verify the struct's own checksum fields, as its view's "
                                   "verify_checksums() does");
  app.add_option("--pseudo-header", pseudo_header_text,
                 "With --verify-checksums, the sum a pseudo-header checksum (TCP's, UDP's) starts "
                 "from: ipv4:SRC,DST,PROTOCOL or ipv6:SRC,DST,NEXT_HEADER (the length is the "
                 "bytes parsed), or hex:BYTES")
      ->needs(verify_flag)
      ->type_name("SPEC");
  app.add_flag("--trace-errors", trace_errors,
               "On a parse error, first print each level it passes through, innermost first, "
               "as a ParseOptions::on_error handler sees it");
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

  if (trace_errors) options.on_error = &print_error_level;

  std::optional<PseudoHeader> pseudo_header;
  if (!pseudo_header_text.empty()) {
    pseudo_header = parse_pseudo_header(pseudo_header_text);
    if (!pseudo_header) {
      fmt::print(stderr,
                 "lpc dump: error: --pseudo-header '{}': expected ipv4:SRC,DST,PROTOCOL, "
                 "ipv6:SRC,DST,NEXT_HEADER or hex:BYTES\n",
                 pseudo_header_text);
      return 2;
    }
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
  const auto unsupported =
      interpreter.unsupported(*decl, verify_checksums, pseudo_header.has_value());
  if (!unsupported.empty()) {
    for (const auto& u : unsupported) {
      fmt::print(stderr, "{}: error: lpc dump cannot verify {} (give it with --pseudo-header)\n",
                 u.location, u.construct);
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
    std::optional<lp::InternetChecksum> pseudo_sum;
    if (pseudo_header) {
      pseudo_sum = pseudo_header->sum(size);
      if (!pseudo_sum) {
        fmt::print(stderr, "lpc dump: error: '{}': {} bytes do not fit an IPv4 pseudo-header\n",
                   path, size);
        return 2;
      }
    }
    try {
      const auto result = interpreter.parse(*decl, bytes, arguments, options, verify_checksums,
                                            pseudo_sum ? &*pseudo_sum : nullptr);
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
        if (follow_references && !ReferencePrinter(interpreter, bytes, options).print(*result)) {
          status = 1;
        }
      }
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "lpc dump: error: {}\n", e.what());
      return 2;
    }
  }
  return status;
}

}  // namespace lpc::driver
