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
    switch (m.kind) {
      case MemberKind::byte_integer:
      case MemberKind::bit_field:
      case MemberKind::floating:
        code_.append("  " + visit_scalar(*m.scalar, name, name + "()", where(m)) + "\n");
        break;
      case MemberKind::nested:
        code_.append(fmt::format("  visitor.begin_struct(\"{}\", {}::type_name, {}().bytes());\n",
                                 name, struct_ref(*m.scalar->struct_decl, "View"), name));
        code_.append(fmt::format("  {}().visit(visitor);\n  visitor.end_struct();\n", name));
        break;
      case MemberKind::bytes:
        code_.append(fmt::format("  visitor.on_bytes(\"{}\", {}());\n", name, name));
        break;
      case MemberKind::array:
        visit_array(*m.scalar, name, name + "()", m.element_bytes, "  ");
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

std::string StructEmitter::visit_scalar(const ast::NamedType& t, const std::string& name,
                                        const std::string& value,
                                        const std::string& where_bytes) const {
  if (t.enum_decl != nullptr) {
    return fmt::format(
        "visitor.on_enum(\"{}\", static_cast<std::uint64_t>({}), to_string({}), {});", name, value,
        value, where_bytes);
  }
  if (t.flags_decl != nullptr) {
    const std::string flags = scalar_class(t);
    return fmt::format("visitor.on_flags(\"{}\", {}({}).raw(), {}::names(), {});", name, flags,
                       value, flags, where_bytes);
  }
  if (t.is_float) return fmt::format("visitor.on_float(\"{}\", {}, {});", name, value, where_bytes);
  if (t.is_signed)
    return fmt::format("visitor.on_signed(\"{}\", {}, {});", name, value, where_bytes);
  return fmt::format("visitor.on_unsigned(\"{}\", {}, {});", name, value, where_bytes);
}

void StructEmitter::visit_array(const ast::NamedType& elem, const std::string& name,
                                const std::string& value, std::uint64_t element_bytes,
                                const std::string& indent) {
  code_.append(fmt::format("{}{{\n{}  const auto array = {};\n", indent, indent, value));
  code_.append(
      fmt::format("{}  visitor.begin_array(\"{}\", array.size(), array.bytes());\n", indent, name));
  code_.append(fmt::format("{}  for (std::size_t i = 0; i < array.size(); ++i) {{\n", indent));
  if (elem.struct_decl != nullptr) {
    code_.append(fmt::format("{}    visitor.begin_struct(\"\", {}::type_name, array[i].bytes());\n",
                             indent, struct_ref(*elem.struct_decl, "View")));
    code_.append(fmt::format("{}    array[i].visit(visitor);\n{}    visitor.end_struct();\n",
                             indent, indent));
  } else {
    const std::string where_bytes =
        fmt::format("array.bytes().subspan(i * {}, {})", element_bytes, element_bytes);
    std::string v = "array[i]";
    if (!scalar_class(elem).empty())
      v = fmt::format("static_cast<{}>(array[i])", scalar_class(elem));
    code_.append(fmt::format("{}    {}\n", indent, visit_scalar(elem, "", v, where_bytes)));
  }
  code_.append(fmt::format("{}  }}\n{}  visitor.end_array();\n{}}}\n", indent, indent, indent));
}

bool StructEmitter::emit_sequence_visit(const MemberLayout& m) {
  const std::string& name = m.field->name;
  if (m.kind == MemberKind::varint) {
    code_.append("  " + visit_scalar(*m.scalar, name, name + "()", view_bytes(m)) + "\n");
    return true;
  }
  if (string_type(m) != nullptr) {
    code_.append(fmt::format("  visitor.on_string(\"{}\", {}());\n", name, name));
    return true;
  }
  if (m.kind != MemberKind::array || !m.lazy) return false;
  code_.append(
      fmt::format("  {{\n"
                  "    const auto array = {}();\n"
                  "    visitor.begin_array(\"{}\", array.size(), array.bytes());\n"
                  "    for (const auto element : array) {{\n"
                  "      visitor.begin_struct(\"\", {}::type_name, element.bytes());\n"
                  "      element.visit(visitor);\n"
                  "      visitor.end_struct();\n"
                  "    }}\n"
                  "    visitor.end_array();\n"
                  "  }}\n",
                  name, name, struct_ref(*m.scalar->struct_decl, "View")));
  return true;
}

// A let has no bytes: it is reported with an empty span where it stands.
void StructEmitter::visit_let(const MemberLayout& m) {
  const auto& let = std::get<ast::Let>(*m.member);
  const std::string where = fmt::format("lp::bytes({}, 0)", pointer("data_", view_offset(m)));
  if (let.is_endian) {
    code_.append(fmt::format(
        "  visitor.on_enum(\"{0}\", static_cast<std::uint64_t>({0}()),\n"
        "                  {0}() == lp::byte_order::big ? \"big\" : \"little\", {1});\n",
        let.name, where));
  } else {
    code_.append(fmt::format("  visitor.on_{}(\"{}\", {}(), {});  // computed\n",
                             let.is_signed ? "signed" : "unsigned", let.name, let.name, where));
  }
}

void StructEmitter::visit_optional(const MemberLayout& m) {
  const std::string& name = m.field->name;
  code_.append(fmt::format("  if (present_{}_) {{\n", name));
  switch (m.kind) {
    case MemberKind::nested:
      code_.append(
          fmt::format("    visitor.begin_struct(\"{0}\", {1}::type_name, view_{0}_.bytes());\n"
                      "    view_{0}_.visit(visitor);\n    visitor.end_struct();\n",
                      name, struct_ref(*m.scalar->struct_decl, "View")));
      break;
    case MemberKind::bytes:
      code_.append(fmt::format("    visitor.on_bytes(\"{0}\", *{0}());\n", name));
      break;
    case MemberKind::array:
      visit_array(*m.scalar, name, "*" + name + "()", m.element_bytes, "    ");
      break;
    default:
      code_.append("    " + visit_scalar(*m.scalar, name, "*" + name + "()", where(m)) + "\n");
      break;
  }
  code_.append("  }\n");
}

void StructEmitter::visit_switch(const MemberLayout& m) {
  const auto& sw = std::get<ast::SwitchType>(m.field->type->node);
  const std::string& name = m.field->name;
  code_.append(fmt::format("  switch (arm_{}_) {{\n", name));
  for (const auto& arm : sw.arms) {
    code_.append(fmt::format("    case {}Arm::{}: {{\n", camel(name), arm.name));
    const std::string value = fmt::format("*{}_{}()", name, arm.name);
    if (std::holds_alternative<ast::BytesType>(arm.type->node)) {
      code_.append(fmt::format("      visitor.on_bytes(\"{}\", {});\n", arm.name, value));
    } else if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
      const auto& elem = std::get<ast::NamedType>(a->element->node);
      const std::uint64_t element_bytes = elem.struct_decl != nullptr
                                              ? *program_layout_.of(*elem.struct_decl).fixed_size
                                              : elem.bits / 8;
      visit_array(elem, arm.name, value, element_bytes, "      ");
    } else {
      const auto& t = std::get<ast::NamedType>(arm.type->node);
      if (t.struct_decl != nullptr) {
        // A stored arm by reference; a computed one (fixed size, recursive) by value.
        code_.append(fmt::format("      const auto{} arm = {};\n",
                                 arm_access(m, arm).stored ? "&" : "", value));
        code_.append(
            fmt::format("      visitor.begin_struct(\"{}\", {}::type_name, arm.bytes());\n",
                        arm.name, struct_ref(*t.struct_decl, "View")));
        code_.append("      arm.visit(visitor);\n      visitor.end_struct();\n");
      } else {
        code_.append(
            fmt::format("      {}\n", visit_scalar(t, arm.name, value, name + "_bytes()")));
      }
    }
    code_.append("      break;\n    }\n");
  }
  code_.append("  }\n");
}

}  // namespace lpc::emit
