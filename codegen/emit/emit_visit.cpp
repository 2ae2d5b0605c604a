// FooView::visit() (docs/generated-api.md, "Formatting"; docs/runtime.md,
// visit.hpp): every named field and let, in schema order, through the
// lp::FieldVisitor callbacks, each with the bytes it came from (what the
// formatters, lp::json() and lpdump print).
#include "emit/struct_emitter.hpp"

#include <fmt/format.h>

#include <string>

#include "ast/ast.hpp"
#include "emit/cpp_common.hpp"

namespace lpc::emit {

// ------------------------------------------------------------------------------------------------
// visit().

void StructEmitter::emit_visit() {
  code_ += "{{OUT_OF_LINE}}void {{VIEW}}::visit(lp::FieldVisitor& visitor) const {";
  bool any = false;
  for (const MemberLayout& m : layout_.members) {
    if (m.kind == MemberKind::let) {
      any = true;
      visit_let(m);
      continue;
    }
    if (m.field == nullptr || m.field->name == "_") continue;
    any = true;
    const std::string& name = m.field->name;
    if (m.optional) {
      visit_optional(m);
      continue;
    }
    if (emit_sequence_visit(m)) continue;
    code_.set("NAME", name);
    switch (m.kind) {
      case MemberKind::byte_integer:
      case MemberKind::bit_field:
      case MemberKind::floating:
        visit_scalar(*m.scalar, name, name + "()", where(m));
        break;
      case MemberKind::nested:
        code_.set("CHILD_VIEW", struct_ref(*m.scalar->struct_decl, "View"));
        code_ +=
            "  visitor.begin_struct(\"{{NAME}}\", {{CHILD_VIEW}}::type_name, {{NAME}}().bytes());\n"
            "  {{NAME}}().visit(visitor);\n"
            "  visitor.end_struct();";
        break;
      case MemberKind::bytes:
        code_ += "  visitor.on_bytes(\"{{NAME}}\", {{NAME}}());";
        break;
      case MemberKind::array:
        visit_array(*m.scalar, name, name + "()", m.element_bytes);
        break;
      case MemberKind::switch_:
        visit_switch(m);
        break;
      case MemberKind::pad:
      case MemberKind::varint:  // emit_sequence_visit
      case MemberKind::let:     // visited above
      case MemberKind::align:
        break;
    }
  }
  if (!any) code_ += "  static_cast<void>(visitor);";
  code_ += "}\n";
}

// ------------------------------------------------------------------------------------------------
// One member: scalars, arrays, sequences, lets, optionals and switches.

std::string StructEmitter::where(const MemberLayout& m) const {
  if (m.kind == MemberKind::bit_field) {
    const std::uint64_t first = m.bit_offset / 8;
    const std::uint64_t last = (m.bit_offset + *m.bit_width - 1) / 8;
    return fmt::format("lp::bytes({}, {})",
                       pointer("data_", offset_expr(view_segment(m.segment), first)),
                       last - first + 1);
  }
  return view_bytes(m);
}

// The visitor's call for a scalar `value` named `name` (its bytes `where_bytes`).
void StructEmitter::visit_scalar(const ast::NamedType& t, const std::string& name,
                                 const std::string& value, const std::string& where_bytes) {
  code_.set("FIELD", name);
  code_.set("VALUE", value);
  code_.set("WHERE", where_bytes);
  if (t.enum_decl != nullptr) {
    code_ +=
        "  visitor.on_enum(\"{{FIELD}}\", static_cast<std::uint64_t>({{VALUE}}), "
        "to_string({{VALUE}}), {{WHERE}});";
  } else if (t.flags_decl != nullptr) {
    code_.set("FLAGS", scalar_class(t));
    code_ +=
        "  visitor.on_flags(\"{{FIELD}}\", {{FLAGS}}({{VALUE}}).raw(), {{FLAGS}}::names(), "
        "{{WHERE}});";
  } else {
    code_.set("KIND", t.is_float ? "float" : t.is_signed ? "signed" : "unsigned");
    code_ += "  visitor.on_{{KIND}}(\"{{FIELD}}\", {{VALUE}}, {{WHERE}});";
  }
}

// An array of `value`'s elements, each a struct or a scalar.
void StructEmitter::visit_array(const ast::NamedType& elem, const std::string& name,
                                const std::string& value, std::uint64_t element_bytes) {
  code_.set("ARRAY", value);
  code_.set("FIELD", name);
  code_ +=
      "  {\n"
      "    const auto array = {{ARRAY}};\n"
      "    visitor.begin_array(\"{{FIELD}}\", array.size(), array.bytes());\n"
      "    for (std::size_t i = 0; i < array.size(); ++i) {";
  if (elem.struct_decl != nullptr) {
    code_.set("CHILD_VIEW", struct_ref(*elem.struct_decl, "View"));
    code_ +=
        "      visitor.begin_struct(\"\", {{CHILD_VIEW}}::type_name, array[i].bytes());\n"
        "      array[i].visit(visitor);\n"
        "      visitor.end_struct();";
  } else {
    const std::string where_bytes =
        fmt::format("array.bytes().subspan(i * {}, {})", element_bytes, element_bytes);
    std::string v = "array[i]";
    if (!scalar_class(elem).empty())
      v = fmt::format("static_cast<{}>(array[i])", scalar_class(elem));
    const CodeWriter::Indented element(code_, 4);
    visit_scalar(elem, "", v, where_bytes);
  }
  code_ +=
      "    }\n"
      "    visitor.end_array();\n"
      "  }";
}

bool StructEmitter::emit_sequence_visit(const MemberLayout& m) {
  const std::string& name = m.field->name;
  if (m.kind == MemberKind::varint) {
    visit_scalar(*m.scalar, name, name + "()", view_bytes(m));
    return true;
  }
  code_.set("NAME", name);
  if (string_type(m) != nullptr) {
    code_ += "  visitor.on_string(\"{{NAME}}\", {{NAME}}());";
    return true;
  }
  if (m.kind != MemberKind::array || !m.lazy) return false;
  code_.set("CHILD_VIEW", struct_ref(*m.scalar->struct_decl, "View"));
  code_ +=
      "  {\n"
      "    const auto array = {{NAME}}();\n"
      "    visitor.begin_array(\"{{NAME}}\", array.size(), array.bytes());\n"
      "    for (const auto element : array) {\n"
      "      visitor.begin_struct(\"\", {{CHILD_VIEW}}::type_name, element.bytes());\n"
      "      element.visit(visitor);\n"
      "      visitor.end_struct();\n"
      "    }\n"
      "    visitor.end_array();\n"
      "  }";
  return true;
}

// A let has no bytes: it is reported with an empty span where it stands.
void StructEmitter::visit_let(const MemberLayout& m) {
  const auto& let = std::get<ast::Let>(*m.member);
  code_.set("LET", let.name);
  code_.set("WHERE", fmt::format("lp::bytes({}, 0)", pointer("data_", view_offset(m))));
  if (let.is_endian) {
    code_ +=
        "  visitor.on_enum(\"{{LET}}\", static_cast<std::uint64_t>({{LET}}()),\n"
        "                  {{LET}}() == lp::byte_order::big ? \"big\" : \"little\", {{WHERE}});";
  } else {
    code_.set("KIND", let.is_signed ? "signed" : "unsigned");
    code_ += "  visitor.on_{{KIND}}(\"{{LET}}\", {{LET}}(), {{WHERE}});  // computed";
  }
}

void StructEmitter::visit_optional(const MemberLayout& m) {
  const std::string& name = m.field->name;
  code_.set("NAME", name);
  code_ += "  if (present_{{NAME}}_) {";
  {
    const CodeWriter::Indented present(code_, 2);
    switch (m.kind) {
      case MemberKind::nested:
        code_.set("CHILD_VIEW", struct_ref(*m.scalar->struct_decl, "View"));
        code_ +=
            "  visitor.begin_struct(\"{{NAME}}\", {{CHILD_VIEW}}::type_name, "
            "view_{{NAME}}_.bytes());\n"
            "  view_{{NAME}}_.visit(visitor);\n"
            "  visitor.end_struct();";
        break;
      case MemberKind::bytes:
        code_ += "  visitor.on_bytes(\"{{NAME}}\", *{{NAME}}());";
        break;
      case MemberKind::array:
        visit_array(*m.scalar, name, "*" + name + "()", m.element_bytes);
        break;
      default:
        visit_scalar(*m.scalar, name, "*" + name + "()", where(m));
        break;
    }
  }
  code_ += "  }";
}

void StructEmitter::visit_switch(const MemberLayout& m) {
  const auto& sw = std::get<ast::SwitchType>(m.field->type->node);
  const std::string& name = m.field->name;
  code_.set("NAME", name);
  code_ += "  switch (arm_{{NAME}}_) {";
  for (const auto& arm : sw.arms) {
    code_.set("ARM_KIND", camel(name) + "Arm");
    code_.set("ARM", arm.name);
    code_ += "    case {{ARM_KIND}}::{{ARM}}: {";
    {
      const CodeWriter::Indented arm_body(code_, 4);
      visit_arm(m, arm);
    }
    code_ +=
        "      break;\n"
        "    }";
  }
  code_ += "  }";
}

// The active arm of switch `m`, at the top level of visit()'s body.
void StructEmitter::visit_arm(const MemberLayout& m, const ast::SwitchArm& arm) {
  const std::string& name = m.field->name;
  const std::string value = fmt::format("*{}_{}()", name, arm.name);
  if (std::holds_alternative<ast::BytesType>(arm.type->node)) {
    code_.set("ARM", arm.name);
    code_.set("VALUE", value);
    code_ += "  visitor.on_bytes(\"{{ARM}}\", {{VALUE}});";
    return;
  }
  if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
    const auto& elem = std::get<ast::NamedType>(a->element->node);
    const std::uint64_t element_bytes = elem.struct_decl != nullptr
                                            ? *program_layout_.of(*elem.struct_decl).fixed_size
                                            : elem.bits / 8;
    visit_array(elem, arm.name, value, element_bytes);
    return;
  }
  const auto& t = std::get<ast::NamedType>(arm.type->node);
  if (t.struct_decl == nullptr) {
    visit_scalar(t, arm.name, value, name + "_bytes()");
    return;
  }
  // A stored arm by reference; a computed one (fixed size, recursive) by value.
  code_.set("BY_REFERENCE", arm_access(m, arm).stored ? "&" : "");
  code_.set("VALUE", value);
  code_.set("ARM", arm.name);
  code_.set("CHILD_VIEW", struct_ref(*t.struct_decl, "View"));
  code_ +=
      "  const auto{{BY_REFERENCE}} arm = {{VALUE}};\n"
      "  visitor.begin_struct(\"{{ARM}}\", {{CHILD_VIEW}}::type_name, arm.bytes());\n"
      "  arm.visit(visitor);\n"
      "  visitor.end_struct();";
}

}  // namespace lpc::emit
