// The module's files (docs/internals/contract.md, "What lpc emits"): the
// header's banner, includes and runtime check, its constants, enums and flags
// classes, forward declarations, each struct's classes in dependency order
// (StructEmitter, struct_emitter.hpp), the out-of-line definitions that need every
// class, the serializers (emit_builder.hpp), and the source file with the cold code.
// Everything is emitted in source order, so the output is byte-for-byte
// deterministic.
#include "emit/emit_cpp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "emit/code_writer.hpp"
#include "emit/cpp_common.hpp"
#include "emit/emit_builder.hpp"
#include "emit/struct_emitter.hpp"
#include "plan/plan.hpp"

namespace lpc::emit {
namespace {

// ------------------------------------------------------------ the module

void emit_constant(const ast::Module& module, const ast::ConstDecl& c, CodeWriter& code) {
  (void)module;
  code.append(doc_comment(c.doc, ""));
  code.set("COMMENT", schema_comment(c.range));
  code.set("NAME", c.name);
  code.set("CONST_TYPE", c.resolved_is_negative ? "std::int64_t" : "std::uint64_t");
  code.set("VALUE",
           c.resolved_is_negative ? std::to_string(c.resolved_signed) : literal(c.resolved_value));
  code += "{{COMMENT}}\ninline constexpr {{CONST_TYPE}} {{NAME}} = {{VALUE}};\n";
}

void emit_enum(const ast::EnumDecl& e, CodeWriter& code) {
  const auto& base = std::get<ast::NamedType>(e.base->node);
  code.append(doc_comment(e.doc, ""));
  code.set("COMMENT", schema_comment(e.range));
  code.set("NAME", e.name);
  code.set("BASE", int_type(base.bits, false));
  code +=
      "{{COMMENT}}\n// Open: a field of this type keeps values that have no member.\nenum class "
      "{{NAME}} : {{BASE}} {";
  for (const auto& m : e.members) {
    code.append(doc_comment(m.doc, "  "));
    code.set("MEMBER", m.name);
    code.set("VALUE", literal(m.resolved_value));
    code += "  {{MEMBER}} = {{VALUE}},";
  }
  code +=
      "};\n"
      "\n"
      "// The member's name; \"\" for values with no member.\n"
      "constexpr std::string_view to_string({{NAME}} value) noexcept {\n"
      "  switch (value) {";
  for (const auto& m : e.members) {
    code.set("MEMBER", m.name);
    code += "    case {{NAME}}::{{MEMBER}}: return \"{{MEMBER}}\";";
  }
  code +=
      "  }\n"
      "  return {};\n"
      "}\n";
}

// `flags Name : base { ... }`: a small value class over the raw integer.
void emit_flags(const ast::FlagsDecl& f, CodeWriter& code) {
  const auto& base = std::get<ast::NamedType>(f.base->node);
  code.append(doc_comment(f.doc, ""));
  code.set("COMMENT", schema_comment(f.range));
  code.set("NAME", f.name);
  code.set("RAW", int_type(base.bits, false));
  std::uint64_t known = 0;
  for (const auto& m : f.members) known |= std::uint64_t{1} << m.resolved_value;
  code.set("KNOWN", fmt::format("{:#x}", known));
  code.set("COUNT", std::to_string(f.members.size()));
  code +=
      "{{COMMENT}}\n"
      "// Named bits of a {{RAW}}; bits without a name survive (unknown()).\n"
      "class {{NAME}} {\n"
      " public:\n"
      "  using raw_type = {{RAW}};";
  for (const auto& m : f.members) {
    code.append(doc_comment(m.doc, "  "));
    code.set("MEMBER", m.name);
    code.set("MASK", fmt::format("{:#x}", std::uint64_t{1} << m.resolved_value));
    code.set("BIT", std::to_string(m.resolved_value));
    code += "  static constexpr raw_type {{MEMBER}} = {{MASK}};  // bit {{BIT}}";
  }
  code +=
      "  static constexpr raw_type known_mask = {{KNOWN}};\n"
      "\n"
      "  constexpr {{NAME}}() noexcept = default;\n"
      "  constexpr explicit {{NAME}}(raw_type raw) noexcept : raw_(raw) {}\n"
      "  constexpr raw_type raw() const noexcept { return raw_; }\n"
      "  constexpr explicit operator raw_type() const noexcept { return raw_; }\n"
      "  // Every bit of `mask` is set: has({{NAME}}::A | {{NAME}}::B).\n"
      "  constexpr bool has(raw_type mask) const noexcept { return (raw_ & mask) == mask; }\n"
      "  constexpr {{NAME}} with(raw_type mask) const noexcept {\n"
      "    return {{NAME}}(static_cast<raw_type>(raw_ | mask));\n"
      "  }\n"
      "  constexpr {{NAME}} without(raw_type mask) const noexcept {\n"
      "    return {{NAME}}(static_cast<raw_type>(raw_ & ~mask));\n"
      "  }\n"
      "  // The bits set that have no name.\n"
      "  constexpr raw_type unknown() const noexcept {\n"
      "    return static_cast<raw_type>(raw_ & ~known_mask);\n"
      "  }\n"
      "  friend constexpr bool operator==(const {{NAME}}&, const {{NAME}}&) noexcept = default;\n"
      "  // The named bits in declaration order, for formatting.\n"
      "  static constexpr std::span<const lp::flag_name> names() noexcept { return names_; }\n"
      "\n"
      " private:\n"
      "  static constexpr std::array<lp::flag_name, {{COUNT}}> names_ = {";
  for (const auto& m : f.members) {
    code.set("FLAG", m.name);
    code += "      lp::flag_name{\"{{FLAG}}\", {{FLAG}}},";
  }
  code +=
      "  };\n"
      "  raw_type raw_ = 0;\n"
      "};\n"
      "\n"
      "// \"SYN|ACK\"; bits without a name as a hex remainder (\"SYN|0x400\"); \"0\" for none.\n"
      "inline std::string to_string({{NAME}} value) {\n"
      "  return lp::flags_to_string(value.raw(), {{NAME}}::names());\n"
      "}\n";
}

// Structs of this module, each after the structs of this module it contains.
bool has_cycle_import(const ast::Module& module) {
  return std::any_of(module.imports.begin(), module.imports.end(),
                     [](const ast::Import& imp) { return imp.module != nullptr && imp.in_cycle; });
}

// The classes of files that import this one back, which this header's classes name
// (recursive arms, references) before that file's header is included: declared
// here, by namespace. Nothing for a file outside an import cycle.
void emit_cycle_declarations(const ast::Module& module, CodeWriter& code) {
  std::map<std::string, std::set<std::string>> by_namespace;
  const auto note = [&](const ast::StructDecl* s) {
    if (s == nullptr || s->module == &module) return;
    for (const auto& imp : module.imports) {
      if (imp.in_cycle && imp.module == s->module)
        by_namespace[namespace_of(*s->module)].insert(s->name);
    }
  };
  for (const auto& d : module.decls) {
    const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d);
    if (s == nullptr) continue;
    for (const auto& m : (*s)->members) {
      const auto* f = std::get_if<ast::Field>(&m);
      if (f == nullptr) continue;
      if (const auto* n = std::get_if<ast::NamedType>(&f->type->node); n && f->at) {
        note(n->struct_decl);
      } else if (const auto* sw = std::get_if<ast::SwitchType>(&f->type->node)) {
        for (const auto& arm : sw->arms) {
          if (!arm.indirect) continue;
          note(std::get<ast::NamedType>(arm.type->node).struct_decl);
        }
      }
    }
  }
  if (by_namespace.empty()) return;
  code +=
      "// Classes of files that import this one back, named below before their header\n"
      "// is included (after this header's classes).";
  for (const auto& [ns, names] : by_namespace) {
    code.set("PEER_NAMESPACE", ns);
    code += "namespace {{PEER_NAMESPACE}} {";
    for (const auto& name : names) {
      code.set("PEER", name);
      code += "class {{PEER}}View;\nclass {{PEER}}Mut;";
    }
    code += "}  // namespace {{PEER_NAMESPACE}}\n";
  }
}

// Closes the namespace and includes the headers of files that import this one
// back: after this header's classes, so that either header may be included first
// (the other's classes need none of these). False, namespace left open, when the
// file is in no import cycle; the caller reopens it otherwise.
bool emit_cycle_includes(const ast::Module& module, CodeWriter& code) {
  if (!has_cycle_import(module)) return false;
  code +=
      "}  // namespace {{NAMESPACE}}\n"
      "\n"
      "// Files that import this one back (an import cycle): their classes need none of\n"
      "// the above, and the definitions below need theirs.";
  for (const auto& imp : module.imports) {
    if (imp.module == nullptr || !imp.in_cycle) continue;
    code.set("IMPORT", header_path(*imp.module));
    code += "#include \"{{IMPORT}}\"";
  }
  code += "";
  return true;
}

}  // namespace

std::string header_path(const ast::Module& module) {
  std::string path = module.include_path;
  if (path.ends_with(".lps")) path.resize(path.size() - 4);
  return path + ".lp.hpp";
}

std::string source_path(const ast::Module& module) {
  std::string path = header_path(module);
  path.resize(path.size() - 4);  // ".hpp"
  return path + ".cpp";
}

// A writer for one of `module`'s files, with the names their openings use.
static CodeWriter file_writer(const ast::Module& module, const Options& options) {
  CodeWriter code;
  code.set("VERSION", options.compiler_version);
  code.set("SCHEMA", module.include_path);
  code.set("HEADER", header_path(module));
  code.set("NAMESPACE", namespace_of(module));
  return code;
}

ModuleFiles files_for(const ast::Module& module, const plan::ProgramPlan& plan,
                      const Options& options) {
  const bool split = !options.header_only;
  CodeWriter code = file_writer(module, options);
  code +=
      "// Generated by lpc {{VERSION}} from {{SCHEMA}}. Do not edit: edit the schema.\n"
      "// Each struct Foo gives FooView, a read-only view over a caller's buffer (parse()\n"
      "// validates every field once; accessors then read at the offsets it checked, in\n"
      "// O(1), without bounds checks; the buffer must outlive the view); FooMut, the same\n"
      "// over mutable memory with setters that write only their field's bits; Foo, the\n"
      "// two for generic code, with serialize(); FooValue, what serialize() writes. What\n"
      "// they have in common is described once, in docs/generated-api.md; a comment here\n"
      "// names the schema line behind each member. What differs only in names comes\n"
      "// from their bases (libparse/view_base.hpp): FooView's parse(), parse_nested(),\n"
      "// parse_partial(), field_named(), field_rank(), bytes(), size(); FooMut's parse(),\n"
      "// mut_bytes() and constructors; Foo's View, Mut, parse(), parse_mut() and, with a\n"
      "// FooValue, Value, serialize() and serialized_size().\n"
      "#pragma once\n"
      "\n"
      "#include <cstddef>\n"
      "#include <cstdint>\n"
      "#include <array>\n"
      "#include <optional>\n"
      "#include <string_view>\n"
      "#include <vector>\n"
      "\n"
      "#include <libparse/runtime.hpp>";
  // Header-only, the bases' entry points are compiled where they are called.
  if (!split) code += "#include <libparse/entry_points.hpp>";
  for (const auto& imp : module.imports) {
    if (imp.module == nullptr || imp.in_cycle) continue;  // those come after the classes
    code.set("IMPORT", header_path(*imp.module));
    code += "#include \"{{IMPORT}}\"";
  }
  code +=
      "\n"
      "static_assert(lp::runtime_abi == 6, \"{{HEADER}} was generated for another libparse "
      "runtime\");\n";
  emit_cycle_declarations(module, code);
  code += "namespace {{NAMESPACE}} {\n";
  for (const auto& d : module.decls) {
    if (const auto* c = std::get_if<std::unique_ptr<ast::ConstDecl>>(&d))
      emit_constant(module, **c, code);
  }
  for (const auto& d : module.decls) {
    if (const auto* e = std::get_if<std::unique_ptr<ast::EnumDecl>>(&d)) emit_enum(**e, code);
  }
  for (const auto& d : module.decls) {
    if (const auto* f = std::get_if<std::unique_ptr<ast::FlagsDecl>>(&d)) emit_flags(**f, code);
  }
  bool any_struct = false;
  for (const auto& d : module.decls) {
    if (const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) {
      code.set("NAME", (*s)->name);
      code += "class {{NAME}}View;\nclass {{NAME}}Mut;\nstruct {{NAME}};";
      any_struct = true;
    }
  }
  if (any_struct) code.append(value_forward_declarations(module, plan) + "\n");
  std::string deferred;
  std::string source;
  std::string instantiations;
  for (const ast::StructDecl* s : plan.of(module).struct_order) {
    StructEmitter emitter(module, plan, *s, code, split);
    emitter.emit();
    deferred += emitter.deferred();
    source += emitter.source();
    instantiations += emitter.instantiations();
  }
  // In an import cycle: the namespace closed, the other files' headers, reopened.
  if (emit_cycle_includes(module, code)) code += "namespace {{NAMESPACE}} {\n";
  if (!deferred.empty()) {
    code +=
        "// ------------------------------------------------------------------------------\n"
        "// Out of line: what needs the classes of views declared later (recursive arms,\n// "
        "references).\n";
    code.append(deferred);
  }
  code.append(value_structs_for(module, plan));
  const std::string serializers = serializer_definitions_for(module, plan, split);
  if (!split) {
    code.append(serializers);
    code += "}  // namespace {{NAMESPACE}}";
    return {code.str(), {}};
  }
  code += "}  // namespace {{NAMESPACE}}";
  // Written even when empty, so that build systems can list it unconditionally.
  ModuleFiles files{code.str(), {}};
  CodeWriter out = file_writer(module, options);
  out +=
      "// Generated by lpc {{VERSION}} from {{SCHEMA}}. Do not edit: edit the schema.\n"
      "// The out-of-line half of {{HEADER}}: error paths, visit() and serialize(),\n"
      "// compiled once (libparse_generate() adds it to the target; docs/cmake.md).\n"
      "#include \"{{HEADER}}\"\n"
      "\n"
      "#include <libparse/entry_points.hpp>\n"
      "\n"
      "namespace {{NAMESPACE}} {\n";
  out.append(source);
  out.append(serializers);
  out += "}  // namespace {{NAMESPACE}}";
  if (!instantiations.empty()) {
    out +=
        "\n"
        "// The entry points the classes inherit (libparse/view_base.hpp), compiled here.";
    out.append(instantiations);
  }
  files.source = out.str();
  return files;
}

}  // namespace lpc::emit
