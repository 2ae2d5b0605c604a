// The mutable view class FooMut (docs/generated-api.md, "`FooMut`: writing in
// place"; docs/internals/contract.md, "What lpc emits"): over its base
// lp::mut_base (constructors, parse(), mut_bytes()), one setter or writable
// accessor per field (scalars, children, bytes, strings, arrays, lazy ranges,
// optionals, switch arms), and update_checksums(), which writes what
// FooView::verify_checksums() accepts.
#include "emit/struct_emitter.hpp"

#include <fmt/format.h>

#include <string>

#include "ast/ast.hpp"
#include "emit/cpp_common.hpp"

namespace lpc::emit {

// ------------------------------------------------------------------------------------------------
// The class.

void StructEmitter::emit_mut() {
  class_head("class {{MUT}}", {"public lp::mut_base<{{MUT}}, {{VIEW}}{{PARAM_TYPES}}>"},
             "// parse(), mut_bytes(), constructors");
  code_ +=
      " public:\n"
      "  using mut_base::mut_base;";
  for (const MemberLayout& m : layout_.members) {
    if (m.field == nullptr || m.field->name == "_") continue;
    emit_mut_members(m);
  }
  emit_update_checksums();
  code_ += "};\n";
}

void StructEmitter::emit_mut_members(const MemberLayout& m) {
  const ast::Field& f = *m.field;
  code_.set("NAME", f.name);
  code_.set("COMMENT", schema_comment(f.range));
  code_ += "\n  {{COMMENT}}";
  if (emit_sequence_mut(m)) return;
  if (m.peek) {
    code_ += "  // No setter: a peeked value is the first bytes of what follows.";
    return;
  }
  if (m.optional) {
    emit_optional_mut(m);
    return;
  }
  switch (m.kind) {
    case MemberKind::byte_integer:
    case MemberKind::bit_field:
    case MemberKind::floating: {
      set_scalar_write(m);
      code_ += "  void set_{{NAME}}({{TYPE_CPP}} v) noexcept { {{WRITE}} }";
      return;
    }
    case MemberKind::nested:
      code_.set("CHILD_MUT", struct_ref(*m.scalar->struct_decl, "Mut"));
      code_ +=
          "  {{CHILD_MUT}} {{NAME}}_mut() const noexcept {\n"
          "    return {{CHILD_MUT}}(lp::unchecked, {{NAME}}());\n"
          "  }";
      return;
    case MemberKind::bytes:
      code_ += "  lp::mut_bytes {{NAME}}_mut() const noexcept { return writable_({{NAME}}()); }";
      return;
    case MemberKind::array:
      code_.set("ARRAY", array_type(*m.scalar, m.byte_order, true));
      code_ +=
          "  {{ARRAY}} {{NAME}}_mut() const noexcept {\n"
          "    return {{ARRAY}}(writable_({{NAME}}().bytes()));\n"
          "  }";
      return;
    case MemberKind::switch_: {
      const auto& sw = std::get<ast::SwitchType>(f.type->node);
      for (const auto& arm : sw.arms) emit_mut_arm(arm);
      return;
    }
    case MemberKind::pad:
    case MemberKind::varint:  // emit_sequence_mut
    case MemberKind::let:
    case MemberKind::align:
      return;
  }
}

bool StructEmitter::emit_sequence_mut(const MemberLayout& m) {
  if (m.kind == MemberKind::varint) {
    code_ += "  // No setter: another value may need another number of bytes.";
    return true;
  }
  if (const auto* s = string_type(m);
      s != nullptr && s->kind == ast::BytesKind::cstring && s->count) {
    code_.set("BYTES", view_bytes(m));
    code_ +=
        "  // All of the field's bytes: write the text, then NULs up to its end.\n"
        "  lp::mut_bytes {{NAME}}_mut() const noexcept { return writable_({{BYTES}}); }";
    return true;
  }
  if (string_type(m) != nullptr) {
    code_ +=
        "  lp::mut_bytes {{NAME}}_mut() const noexcept { return "
        "writable_(lp::bytes({{NAME}}())); "
        "}";
    return true;
  }
  if (m.kind != MemberKind::array || !m.stores_count) return false;
  if (m.lazy) {
    // The same range over writable bytes: counted, or deferred, like {{NAME}}().
    code_.set("ARRAY", lazy_array_type(m, true).first);
    code_ +=
        "  {{ARRAY}} {{NAME}}_mut() const noexcept {\n"
        "    return {{ARRAY}}(lp::unchecked, writable_({{NAME}}().bytes()), {{NAME}}());\n"
        "  }";
  } else {
    code_.set("ARRAY", array_type(*m.scalar, m.byte_order, true));
    code_ +=
        "  {{ARRAY}} {{NAME}}_mut() const noexcept {\n"
        "    return {{ARRAY}}(writable_({{NAME}}().bytes()));\n"
        "  }";
  }
  return true;
}

// ------------------------------------------------------------------------------------------------
// Setters and writable accessors of optional fields and switch arms.

// TYPE_CPP and WRITE for a setter of scalar member `m`: the statement storing `v`.
void StructEmitter::set_scalar_write(const MemberLayout& m) {
  const ast::NamedType& t = *m.scalar;
  const std::string value =
      !scalar_class(t).empty() ? fmt::format("static_cast<{}>(v)", int_type(t.bits, false)) : "v";
  code_.set("TYPE_CPP", accessor_type(t));
  code_.set("WRITE", write_raw(t, m.kind, m.byte_order, m.bit_order, "mut_data_()",
                               view_segment(m.segment), m.bit_offset, value, m.runtime_order));
}

void StructEmitter::emit_optional_mut(const MemberLayout& m) {
  switch (m.kind) {
    case MemberKind::byte_integer:
    case MemberKind::floating: {
      set_scalar_write(m);
      code_ +=
          "  // Writes only when the field is present; false (nothing written) when absent.\n"
          "  bool set_{{NAME}}({{TYPE_CPP}} v) noexcept {\n"
          "    if (!present_{{NAME}}_) return false;\n"
          "    {{WRITE}}\n"
          "    return true;\n"
          "  }";
      return;
    }
    case MemberKind::nested:
      code_.set("CHILD_MUT", struct_ref(*m.scalar->struct_decl, "Mut"));
      code_ +=
          "  lp::optional_value<{{CHILD_MUT}}> {{NAME}}_mut() const noexcept {\n"
          "    if (!present_{{NAME}}_) return std::nullopt;\n"
          "    return {{CHILD_MUT}}(lp::unchecked, view_{{NAME}}_);\n"
          "  }";
      return;
    case MemberKind::bytes:
      code_ +=
          "  lp::optional_value<lp::mut_bytes> {{NAME}}_mut() const noexcept {\n"
          "    const auto v = {{NAME}}();\n"
          "    if (!v) return std::nullopt;\n"
          "    return writable_(*v);\n"
          "  }";
      return;
    case MemberKind::array:
      code_.set("ARRAY", array_type(*m.scalar, m.byte_order, true));
      code_ +=
          "  lp::optional_value<{{ARRAY}}> {{NAME}}_mut() const noexcept {\n"
          "    const auto v = {{NAME}}();\n"
          "    if (!v) return std::nullopt;\n"
          "    return {{ARRAY}}(writable_(v->bytes()));\n"
          "  }";
      return;
    default:
      return;
  }
}

void StructEmitter::emit_mut_arm(const ast::SwitchArm& arm) {
  code_.set("ARM", arm.name);
  if (std::holds_alternative<ast::BytesType>(arm.type->node)) {
    code_ +=
        "  lp::optional_value<lp::mut_bytes> {{NAME}}_{{ARM}}_mut() const noexcept {\n"
        "    const auto arm = {{NAME}}_{{ARM}}();\n"
        "    if (!arm) return std::nullopt;\n"
        "    return writable_(*arm);\n"
        "  }";
    return;
  }
  if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
    const auto& elem = std::get<ast::NamedType>(a->element->node);
    code_.set("ARRAY", array_type(elem, arm_byte_order(elem), true));
    code_ +=
        "  lp::optional_value<{{ARRAY}}> {{NAME}}_{{ARM}}_mut() const noexcept {\n"
        "    const auto arm = {{NAME}}_{{ARM}}();\n"
        "    if (!arm) return std::nullopt;\n"
        "    return {{ARRAY}}(writable_(arm->bytes()));\n"
        "  }";
    return;
  }
  const auto& t = std::get<ast::NamedType>(arm.type->node);
  if (t.struct_decl == nullptr) return;  // scalar arms are read-only for now
  code_.set("CHILD_MUT", struct_ref(*t.struct_decl, "Mut"));
  if (arm.indirect) {
    code_ += "  lp::optional_value<{{CHILD_MUT}}> {{NAME}}_{{ARM}}_mut() const noexcept;";
    deferred_accessors_ += code_.format(
        "inline lp::optional_value<{{CHILD_MUT}}> {{MUT}}::{{NAME}}_{{ARM}}_mut() const noexcept "
        "{\n"
        "  const auto arm = {{NAME}}_{{ARM}}();\n"
        "  if (!arm) return std::nullopt;\n"
        "  return {{CHILD_MUT}}(lp::unchecked, *arm);\n"
        "}\n\n");
    return;
  }
  code_ +=
      "  lp::optional_value<{{CHILD_MUT}}> {{NAME}}_{{ARM}}_mut() const noexcept {\n"
      "    const auto arm = {{NAME}}_{{ARM}}();\n"
      "    if (!arm) return std::nullopt;\n"
      "    return {{CHILD_MUT}}(lp::unchecked, *arm);\n"
      "  }";
}

// ------------------------------------------------------------------------------------------------
// Checksums: update_checksums().

// update_checksums() on the mutable view: writes what verify_checksums() accepts.
void StructEmitter::emit_update_checksums() {
  const auto& members = plan_.checksum_fields;
  if (members.empty()) return;
  const bool pseudo = plan_.any_pseudo_header;
  code_.set("PSEUDO", pseudo ? "const lp::InternetChecksum& pseudo_header" : "");
  code_ +=
      "\n"
      "  // This struct's checksums in declaration order, after the fields they cover.\n"
      "  lp::Status update_checksums({{PSEUDO}}) noexcept {";
  for (const MemberLayout* m : members) {
    const ast::Field& f = *m->field;
    const ast::ChecksumSpec& spec = *f.checksum;
    code_.set("NAME", f.name);
    code_.set("ARG", spec.pseudo_header ? "pseudo_header" : "");
    code_.set("COMMENT", schema_comment(f.range));
    code_.set("VALUE", spec.zero_means_none ? "*expected == 0 ? std::uint16_t{0xffff} : *expected"
                                            : "*expected");
    code_.set("ZERO_NOTE",
              spec.zero_means_none ? "  // 0 would mean \"none\": send its equal, 0xffff" : "");
    code_ +=
        "    {  {{COMMENT}}\n"
        "      const lp::Result<std::uint16_t> expected = {{NAME}}_expected({{ARG}});\n"
        "      if (!expected) [[unlikely]] return expected.error();\n"
        "      set_{{NAME}}({{VALUE}});{{ZERO_NOTE}}\n"
        "    }";
  }
  code_ += "    return {};\n  }";
}

}  // namespace lpc::emit
