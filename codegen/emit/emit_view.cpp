// The read-only view class FooView and the wrapper struct Foo
// (docs/generated-api.md, "`FooView`: reading", "Checksums", "References", "`Foo`:
// the type as a whole"; docs/internals/contract.md, "What lpc emits"): the
// class's constants and parse entry points, Field/field_named()/parse_partial(),
// its data members (end offsets, stored child and arm views, counts, lets,
// parameters, list rules and carry steps), one accessor per field (scalars,
// children, bytes, strings, arrays, lazy ranges, optionals, switch arms,
// parameters, lets), references, and the checksum accessors (`<field>_expected()`,
// verify_checksums()).
#include "emit/struct_emitter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ast/overloaded.hpp"
#include "ast/queries.hpp"
#include "emit/cpp_common.hpp"
#include "emit/emit_builder.hpp"
#include "sema/eval.hpp"

namespace lpc::emit {

// ------------------------------------------------------------------------------------------------
// The class.

void StructEmitter::emit_view() {
  code_.append(doc_comment(decl_.doc, ""));
  code_.set("STRUCT_COMMENT", schema_comment(decl_.range));
  code_ += "{{STRUCT_COMMENT}}";
  class_head("class {{VIEW}}", {"public lp::view_base<{{VIEW}}{{PARAM_TYPES}}>"},
             "// parse(), parse_partial(), bytes(), size()");
  code_ +=
      " public:\n"
      "  static constexpr std::string_view type_name = \"{{TYPE}}\";\n"
      "  static constexpr std::size_t min_size = {{MIN_SIZE}};  // bytes before the first "
      "variable-size field";
  if (layout_.fixed_size) {
    code_ +=
        "  static constexpr std::size_t fixed_size = {{MIN_SIZE}};\n"
        "  using view_base::view_base;  // (lp::unchecked, bytes known to hold a valid one)";
  }
  code_ +=
      "  static lp::Status parse_into({{VIEW}}& view, lp::bytes buffer{{PARAMS}},\n"
      "                               const lp::ParseOptions& options, std::size_t depth) "
      "noexcept;";
  if (plan_.holds_arm_views) emit_for_parse_constructor();
  emit_field_table();
  emit_param_accessors();
  for (const MemberLayout& m : layout_.members) {
    if (m.kind == MemberKind::let) emit_let_accessor(m);
    if (m.field == nullptr || m.field->name == "_") continue;
    emit_accessor(m);
    if (m.field->checksum) emit_checksum_expected(m);
  }
  emit_verify_checksums();
  for (const ast::Field* ref : layout_.references) emit_reference(*ref);
  code_ += "\n  void visit(lp::FieldVisitor& visitor) const;  // every named field, in order";
  if (stores_child_views_) {
    code_ +=
        "  // Accessors above return references into this view: no `->` on a temporary\n"
        "  // lp::Result of it (lp::stores_child_views).\n"
        "  using stores_child_views = void;";
  }
  bool any_truncation_helper = false;
  for (std::size_t k = 0; k < layout_.segments.size(); ++k) {
    if (plan_.truncation_fields[k].empty()) continue;
    if (!any_truncation_helper) code_ += "\n private:";
    any_truncation_helper = true;
    code_.set("K", std::to_string(k));
    code_ +=
        "  static lp::Status truncated_in_segment{{K}}_(\n"
        "      std::size_t start, std::size_t have, const lp::ParseOptions& options) noexcept;";
  }
  // What parse() stores beyond the base's data_ and size_, protected (the Mut reads
  // it); a fixed-size struct without parameters stores nothing more.
  const std::size_t mark = code_.size();
  for (const ast::Param& p : decl_.params) {
    code_.set("PARAM_TYPE", param_type(p));
    code_.set("PARAM", p.name);
    code_ += "  {{PARAM_TYPE}} param_{{PARAM}}_{};  // parameter, as passed to parse()";
  }
  for (const MemberLayout& m : layout_.members) emit_data_members(m);
  const std::string data_members = code_.take_from(mark);
  if (!data_members.empty()) {
    code_ += "\n protected:";
    code_.append(data_members);
  }
  code_ += "};\n";
}

// The default constructor builds the first stored arm's empty view (an arm
// accessor of an empty view reads an empty view); the lp::for_parse one, which
// parse() uses, builds none: parse_into() builds the arm it takes.
void StructEmitter::emit_for_parse_constructor() {
  std::vector<std::string> inits;
  for (const MemberLayout& m : layout_.members) {
    if (m.kind == MemberKind::switch_ && !stored_arms(m).empty()) {
      inits.push_back(fmt::format("arms_{}_(lp::for_parse)", m.field->name));
    } else if (m.kind == MemberKind::nested && m.is_dynamic &&
               program_plan_.of(*m.scalar->struct_decl).holds_arm_views) {
      inits.push_back(fmt::format("view_{}_(lp::for_parse)", m.field->name));
    }
  }
  code_.set("INITS", fmt::format("{}", fmt::join(inits, ", ")));
  code_ += "  {{VIEW}}() noexcept = default;  // lp::for_parse: no switch arm's view built";
  const std::string one_line =
      code_.format("  explicit {{VIEW}}(lp::for_parse_t) noexcept : {{INITS}} {}");
  if (one_line.size() <= kColumnLimit) {
    code_ += one_line;
  } else {
    code_ +=
        "  explicit {{VIEW}}(lp::for_parse_t) noexcept\n"
        "      : {{INITS}} {}";
  }
}

// Field and the members_ table that field_named() and field_rank() read
// (lp::view_base): what lp::Partial needs to say which fields a failed parse() had
// read.
void StructEmitter::emit_field_table() {
  std::vector<std::string> fields;  // named members, declaration order
  for (const MemberLayout& m : layout_.members) {
    if (m.kind == MemberKind::let || (m.field != nullptr && m.field->name != "_"))
      fields.push_back(display_name(m));
  }
  code_.set("FIELDS", fmt::format("{}", fmt::join(fields, ", ")));
  code_.set("FIELD_COUNT", std::to_string(fields.size()));
  code_.set("MEMBER_COUNT", std::to_string(layout_.members.size()));
  code_.set("MEMBERS", member_table());
  code_ +=
      "\n"
      "  enum class Field : std::uint8_t { {{FIELDS}} };\n"
      "  static constexpr std::size_t field_count = {{FIELD_COUNT}};\n"
      "  static constexpr std::array<lp::member_name, {{MEMBER_COUNT}}> members_{{MEMBERS}};";
}

// The initializer of members_: {"name", is a Field} per member, in declaration
// order, wrapped at 100 columns (its lines indented 6, after the declaration).
std::string StructEmitter::member_table() const {
  std::vector<std::string> entries;
  for (const MemberLayout& m : layout_.members) {
    const bool named = m.kind == MemberKind::let || (m.field != nullptr && m.field->name != "_");
    entries.push_back(fmt::format("{{\"{}\", {}}}", display_name(m), named ? "true" : "false"));
  }
  return wrapped_initializer(entries);
}

// ------------------------------------------------------------------------------------------------
// Data members: what parse() stores for the accessors.

void StructEmitter::emit_data_members(const MemberLayout& m) {
  const std::size_t index = index_of(m);
  emit_sequence_data_members(m);
  emit_structure_data_members(m);
  if (m.is_dynamic) {
    code_.set("END", end_member(index));
    code_.set("NAME", display_name(m));
    code_ += "  std::size_t {{END}} = 0;  // where {{NAME}} ends: the next segment starts";
  }
  if (m.kind == MemberKind::nested && m.is_dynamic) {
    code_.set("CHILD", struct_ref(*m.scalar->struct_decl, "View"));
    code_.set("NAME", m.field->name);
    code_ += "  {{CHILD}} view_{{NAME}}_;  // its own offsets, found by parse()";
  }
  if (m.kind == MemberKind::switch_) {
    const auto& sw = std::get<ast::SwitchType>(m.field->type->node);
    code_.set("ARM_ENUM", camel(m.field->name) + "Arm");
    code_.set("NAME", m.field->name);
    code_.set("ARMS_MEMBER", "arms_" + m.field->name + "_");
    code_ += "  {{ARM_ENUM}} arm_{{NAME}}_{};";
    // The views of arms parse() stores (variable-size structs). One arm is live
    // at a time, so they share storage.
    const std::vector<const ast::SwitchArm*> stored = stored_arms(m);
    code_.set("UNION", camel(m.field->name) + "Views");
    for (const ast::SwitchArm* arm : stored) {
      code_.set("ARM", arm->name);
      code_.set("CHILD", struct_ref(*ast::struct_of(*arm->type), "View"));
      if (arm == stored.front()) {
        // Default-initialized (its member initializers, no zero fill of the
        // whole union): an empty view's arm accessor still reads an empty view.
        code_ +=
            "  union {{UNION}} {  // the view of the arm parse() took\n"
            "    {{UNION}}() noexcept { ::new (&{{ARM}}) {{CHILD}}; }\n"
            "    explicit {{UNION}}(lp::for_parse_t) noexcept {}";
      }
      code_ += "    {{CHILD}} {{ARM}};";
    }
    if (!stored.empty()) code_ += "  } {{ARMS_MEMBER}};";
    const bool any_indirect =
        std::any_of(sw.arms.begin(), sw.arms.end(), [](const ast::SwitchArm& arm) {
          return arm.indirect && ast::struct_of(*arm.type) != nullptr;
        });
    if (any_indirect) {
      code_ +=
          "  lp::bytes region_{{NAME}}_;  // the bytes a recursive arm was parsed from: its "
          "accessor re-reads them";
    }
  }
}

void StructEmitter::emit_sequence_data_members(const MemberLayout& m) {
  if (m.kind == MemberKind::varint) {
    code_.set("TYPE_CPP", varint_type(*m.scalar));
    code_.set("VALUE", value_member(m));
    code_.set("NAME", display_name(m));
    code_ += "  {{TYPE_CPP}} {{VALUE}} = 0;  // {{NAME}}, decoded by parse()";
  }
  if (m.kind == MemberKind::array && m.stores_count) {
    code_.set("COUNT", count_member(m));
    code_.set("NAME", display_name(m));
    if (is_deferrable(m)) {
      emit_list_rule(m);
      code_ +=
          "  std::size_t {{COUNT}} = 0;  // elements of {{NAME}}, counted by parse(), or "
          "lp::deferred_count";
    } else {
      code_ += "  std::size_t {{COUNT}} = 0;  // elements of {{NAME}}, counted by parse()";
    }
    const ast::CarryClause* carry = carry_of(m);
    if (carry != nullptr) emit_carry_step(m);
    for (const ElementArgument& arg : element_arguments(m)) {
      code_.set("PARAM_TYPE", arg.type);
      code_.set("MEMBER", arg.member);
      code_.set("PARAM", arg.param);
      if (carry != nullptr && carry->name == arg.param) {
        code_ +=
            "  {{PARAM_TYPE}} {{MEMBER}}{};  // argument '{{PARAM}}' of the first element of "
            "{{NAME}}, carried";
        continue;
      }
      code_ +=
          "  {{PARAM_TYPE}} {{MEMBER}}{};  // argument '{{PARAM}}' of each element of {{NAME}}";
    }
  }
}

void StructEmitter::emit_structure_data_members(const MemberLayout& m) {
  if (m.kind == MemberKind::let) {
    const auto& let = std::get<ast::Let>(*m.member);
    code_.set("LET_TYPE", let_type(let));
    code_.set("LET", let.name);
    code_ += "  {{LET_TYPE}} let_{{LET}}_{};  // let {{LET}}, computed by parse()";
  }
  if (m.optional) {
    code_.set("NAME", m.field->name);
    code_ += "  bool present_{{NAME}}_ = false;  // optional: its condition held";
  }
}

// How lp::walk_list() checks a list parse() may defer (plan: deferrable_lists),
// kept by the view so that lazy_array::validate() runs the same checks later.
void StructEmitter::emit_list_rule(const MemberLayout& m) {
  const auto& a = std::get<ast::ArrayType>(m.field->type->node);
  const std::string id = ident(index_of(m));
  code_.set("ELEMENT", struct_ref(*m.scalar->struct_decl, "View"));
  code_.set("RULE", rule_member(m));
  code_.set("REGION_TEXT", a.byte_size ? expr_text(*a.byte_size) : std::string("\"\""));
  if (a.until) {
    code_.set("STOP", "stop_" + id + "_");
    code_.set("UNTIL", expr_.write(*a.until));
    code_.set("UNTIL_TEXT", expr_text(*a.until));
    code_ +=
        "  // The `until` of {{NAME}}: 1 after the terminating element, -1 on overflow.\n"
        "  static int {{STOP}}(const {{ELEMENT}}& it) noexcept {\n"
        "    const auto stop = {{UNTIL}};\n"
        "    return !stop.ok() ? -1 : stop.value() != 0 ? 1 : 0;\n"
        "  }\n"
        "  static constexpr lp::list_rule<{{ELEMENT}}> {{RULE}}{type_name, \"{{NAME}}\", "
        "{{REGION_TEXT}}, &{{STOP}}, {{UNTIL_TEXT}}};";
  } else {
    code_ +=
        "  static constexpr lp::list_rule<{{ELEMENT}}> {{RULE}}{type_name, \"{{NAME}}\", "
        "{{REGION_TEXT}}, nullptr, \"\"};";
  }
}

// The step of a `carry` array (lp::carry_step), used by parse() and kept by the
// view for the range's iterators: from the element just read (`it`) and the
// value it was given, the next element's.
void StructEmitter::emit_carry_step(const MemberLayout& m) {
  const ast::CarryClause& carry = *carry_of(m);
  const auto& type = std::get<ast::NamedType>(carry.param->type->node);
  std::string next = expr_.write(*carry.next);
  const bool signed_expr = sema::is_signed_expression(*carry.next);
  if (type.is_signed && !signed_expr) next = fmt::format("lp::to_signed({})", next);
  if (!type.is_signed && signed_expr) next = fmt::format("lp::to_unsigned({})", next);
  code_.set("ELEMENT", struct_ref(*m.scalar->struct_decl, "View"));
  code_.set("STEP", carry_member(m));
  code_.set("TUPLE", carry_tuple(m));
  code_.set("INDEX", std::to_string(carry.param_index));
  code_.set("CARRIED", "carried_" + carry.field);
  code_.set("NEXT", next);
  code_.set("OUT_OF_RANGE", out_of_range(type, "next"));
  code_.set("PARAM_TYPE", int_type(type.bits, type.is_signed));
  code_.set("CARRY_TEXT", one_line(carry.range.text()));
  code_ +=
      "  // {{NAME}}: {{CARRY_TEXT}}\n"
      "  static bool {{STEP}}([[maybe_unused]] const {{ELEMENT}}& it, {{TUPLE}}& args) "
      "noexcept {\n"
      "    [[maybe_unused]] const auto {{CARRIED}} = std::get<{{INDEX}}>(args);\n"
      "    const auto next = {{NEXT}};\n"
      "    if (!next.ok(){{OUT_OF_RANGE}}) return false;\n"
      "    std::get<{{INDEX}}>(args) = static_cast<{{PARAM_TYPE}}>(next.value());\n"
      "    return true;\n"
      "  }";
}

// ------------------------------------------------------------------------------------------------
// Accessors of fields, parameters and lets.

void StructEmitter::emit_accessor(const MemberLayout& m) {
  const ast::Field& f = *m.field;
  code_.set("NAME", f.name);
  code_.set("COMMENT", schema_comment(f.range));
  code_ += "";
  code_.append(doc_comment(f.doc, "  "));
  code_ += "  {{COMMENT}}";
  if (emit_sequence_accessor(m)) return;
  if (m.optional) {
    emit_optional_accessor(m);
    return;
  }
  switch (m.kind) {
    case MemberKind::byte_integer:
    case MemberKind::bit_field:
    case MemberKind::floating: {
      const ast::NamedType& t = *m.scalar;
      std::string read = read_raw(t, m.kind, m.byte_order, m.bit_order, "data_",
                                  view_segment(m.segment), m.bit_offset, m.runtime_order);
      if (!scalar_class(t).empty())
        read = fmt::format("static_cast<{}>({})", scalar_class(t), read);
      code_.set("TYPE_CPP", accessor_type(t));
      code_.set("READ", read);
      short_function("  {{TYPE_CPP}} {{NAME}}() const noexcept", "return {{READ}};");
      return;
    }
    case MemberKind::nested: {
      const ast::StructDecl& child = *m.scalar->struct_decl;
      code_.set("CHILD", struct_ref(child, "View"));
      if (m.is_dynamic) {
        code_ += "  {{CHILD}} {{NAME}}() const noexcept { return view_{{NAME}}_; }";
      } else {
        code_.set("AT", pointer("data_", view_offset(m)));
        short_function(
            "  {{CHILD}} {{NAME}}() const noexcept",
            "return {{CHILD}}(lp::unchecked, lp::bytes({{AT}}, {{CHILD}}::fixed_size));");
      }
      return;
    }
    case MemberKind::bytes:
      code_.set("BYTES", view_bytes(m));
      code_ += "  lp::bytes {{NAME}}() const noexcept { return {{BYTES}}; }";
      return;
    case MemberKind::array:
      code_.set("ARRAY", array_type(*m.scalar, m.byte_order, false));
      code_.set("BYTES", view_bytes(m));
      short_function("  {{ARRAY}} {{NAME}}() const noexcept", "return {{ARRAY}}({{BYTES}});");
      return;
    case MemberKind::switch_:
      emit_switch_accessors(m);
      return;
    case MemberKind::pad:
    case MemberKind::varint:  // emit_sequence_accessor
    case MemberKind::let:     // emit_let_accessor
    case MemberKind::align:
      return;
  }
}

bool StructEmitter::emit_sequence_accessor(const MemberLayout& m) {
  if (m.kind == MemberKind::varint) {
    code_.set("TYPE_CPP", varint_type(*m.scalar));
    code_.set("VALUE", value_member(m));
    code_ += "  {{TYPE_CPP}} {{NAME}}() const noexcept { return {{VALUE}}; }";
    return true;
  }
  if (const auto* s = string_type(m)) {
    std::string bytes = view_bytes(m);
    if (s->kind == ast::BytesKind::cstring && s->count) {
      code_.set("BYTES", bytes);
      code_ +=
          "  // The text up to the first NUL; all of the field's bytes when it holds none.\n"
          "  std::string_view {{NAME}}() const noexcept {\n"
          "    const std::string_view field = {{BYTES}}.as_string_view();\n"
          "    return field.substr(0, field.find('\\0'));\n"
          "  }";
      return true;
    }
    if (s->kind == ast::BytesKind::cstring) {
      const std::string start = view_offset(m);
      const std::string end = end_member(index_of(m));
      bytes = fmt::format("lp::bytes({}, {} - 1)", pointer("data_", start),
                          start == "0" ? end : fmt::format("{} - ({})", end, start));
      code_ += "  // Without the terminating NUL.";
    }
    code_.set("BYTES", bytes);
    code_ +=
        "  std::string_view {{NAME}}() const noexcept {\n"
        "    return {{BYTES}}.as_string_view();\n"
        "  }";
    return true;
  }
  if (m.kind != MemberKind::array || !m.stores_count) return false;
  const auto& a = std::get<ast::ArrayType>(m.field->type->node);
  code_.set("COUNT", count_member(m));
  code_.set("BYTES", view_bytes(m));
  if (m.lazy) {
    const auto [type, args] = lazy_array_type(m, false);
    code_.set("ARRAY", type);
    code_.set("ARGS", args);
    if (is_deferrable(m)) {
      code_.set("RULE", rule_member(m));
      code_.set("START", view_offset(m));
      code_ +=
          "  // A forward range; each step re-reads one element's own layout. Not\n"
          "  // validated() when parse() deferred it (lp::ParseOptions::defer_lists).\n"
          "  {{ARRAY}} {{NAME}}() const noexcept {\n"
          "    return {{ARRAY}}(lp::unchecked, {{BYTES}}, {{COUNT}}, {{RULE}}, "
          "{{START}}{{ARGS}});\n"
          "  }";
    } else if (carry_of(m) != nullptr) {
      code_.set("STEP", carry_member(m));
      code_ +=
          "  // A forward range; each step re-reads one element's own layout, with\n"
          "  // the argument carried from the element before.\n"
          "  {{ARRAY}} {{NAME}}() const noexcept {\n"
          "    return {{ARRAY}}(lp::unchecked, {{BYTES}}, {{COUNT}}, &{{STEP}}{{ARGS}});\n"
          "  }";
    } else {
      code_ +=
          "  // A forward range; each step re-reads one element's own layout.\n"
          "  {{ARRAY}} {{NAME}}() const noexcept {\n"
          "    return {{ARRAY}}(lp::unchecked, {{BYTES}}, {{COUNT}}{{ARGS}});\n"
          "  }";
    }
  } else {
    code_.set("ARRAY", array_type(*m.scalar, m.byte_order, false));
    code_.set("AT", pointer("data_", view_offset(m)));
    code_.set("EB", std::to_string(m.element_bytes));
    code_ +=
        "  {{ARRAY}} {{NAME}}() const noexcept {\n"
        "    return {{ARRAY}}(lp::bytes({{AT}}, {{COUNT}} * {{EB}}));\n"
        "  }";
  }
  if (a.until) {
    code_ +=
        "  // All of {{NAME}}'s bytes: the elements up to the terminator, then any padding.\n"
        "  lp::bytes {{NAME}}_bytes() const noexcept { return {{BYTES}}; }";
  }
  return true;
}

void StructEmitter::emit_param_accessors() {
  for (const ast::Param& p : decl_.params) {
    code_.set("PARAM_TYPE", param_type(p));
    code_.set("PARAM", p.name);
    code_.set("COMMENT", schema_comment(p.range));
    code_ +=
        "\n"
        "  {{COMMENT}}\n"
        "  {{PARAM_TYPE}} {{PARAM}}() const noexcept { return param_{{PARAM}}_; }  // as "
        "passed to parse()";
  }
}

void StructEmitter::emit_let_accessor(const MemberLayout& m) {
  const auto& let = std::get<ast::Let>(*m.member);
  code_.set("LET_TYPE", let_type(let));
  code_.set("LET", let.name);
  code_.set("COMMENT", schema_comment(let.range));
  code_ += "";
  code_.append(doc_comment(let.doc, "  "));
  code_ +=
      "  {{COMMENT}}\n"
      "  {{LET_TYPE}} {{LET}}() const noexcept { return let_{{LET}}_; }  // computed by parse()";
}

// The type and value of an optional field's accessor when the field is present.
StructEmitter::ArmAccess StructEmitter::optional_access(const MemberLayout& m) const {
  switch (m.kind) {
    case MemberKind::nested:
      return {struct_ref(*m.scalar->struct_decl, "View"), fmt::format("view_{}_", m.field->name),
              true};
    case MemberKind::bytes:
      return {"lp::bytes", view_bytes(m)};
    case MemberKind::array: {
      const std::string type = array_type(*m.scalar, m.byte_order, false);
      return {type, fmt::format("{}({})", type, view_bytes(m))};
    }
    default: {
      const ast::NamedType& t = *m.scalar;
      std::string read = read_raw(t, m.kind, m.byte_order, m.bit_order, "data_",
                                  view_segment(m.segment), m.bit_offset, m.runtime_order);
      if (!scalar_class(t).empty())
        read = fmt::format("static_cast<{}>({})", scalar_class(t), read);
      return {accessor_type(t), read};
    }
  }
}

void StructEmitter::emit_optional_accessor(const MemberLayout& m) {
  const ArmAccess access = optional_access(m);
  code_.set("OPT_TYPE", access.optional_type());
  code_.set("OPT_VALUE", access.optional_value());
  code_.set("QUALIFIER", access.stored ? "&" : "");
  code_ +=
      "  {{OPT_TYPE}} {{NAME}}() const{{QUALIFIER}} noexcept {  // empty when absent\n"
      "    if (!present_{{NAME}}_) return std::nullopt;\n"
      "    return {{OPT_VALUE}};\n"
      "  }";
  if (access.stored) emit_copy_on_temporary("{{NAME}}", access.type);
  code_ += "  bool has_{{NAME}}() const noexcept { return present_{{NAME}}_; }";
}

// ------------------------------------------------------------------------------------------------
// Accessors of switch arms.

StructEmitter::ArmAccess StructEmitter::arm_access(const MemberLayout& m,
                                                   const ast::SwitchArm& arm) const {
  const std::string start = view_offset(m);
  const std::string at = pointer("data_", start);
  const std::string end = end_member(index_of(m));
  const std::string region = fmt::format("lp::bytes({}, {})", at,
                                         start == "0" ? end : fmt::format("{} - ({})", end, start));
  if (std::holds_alternative<ast::BytesType>(arm.type->node)) return {"lp::bytes", region};
  if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
    const auto& elem = std::get<ast::NamedType>(a->element->node);
    const std::string type = array_type(elem, arm_byte_order(elem), false);
    return {type, fmt::format("{}({})", type, region)};
  }
  const auto& t = std::get<ast::NamedType>(arm.type->node);
  if (t.struct_decl != nullptr) {
    const std::string child = struct_ref(*t.struct_decl, "View");
    if (!program_layout_.of(*t.struct_decl).fixed_size) {
      return {child, arm_view(m.field->name, arm.name), !arm.indirect};
    }
    return {child,
            fmt::format("{}(lp::unchecked, lp::bytes({}, {}::fixed_size))", child, at, child)};
  }
  std::string read = read_raw(t, MemberKind::byte_integer, arm_byte_order(t), ast::BitOrder::msb,
                              "data_", view_segment(m.segment), m.bit_offset);
  if (!scalar_class(t).empty()) read = fmt::format("static_cast<{}>({})", scalar_class(t), read);
  return {accessor_type(t), read};
}

void StructEmitter::emit_switch_accessors(const MemberLayout& m) {
  const auto& sw = std::get<ast::SwitchType>(m.field->type->node);
  std::string arms;
  for (const auto& arm : sw.arms) arms += (arms.empty() ? "" : ", ") + arm.name;
  code_.set("ARM_ENUM", camel(m.field->name) + "Arm");
  code_.set("ARMS", arms);
  code_.set("BYTES", arm_region(m));
  code_ +=
      "  enum class {{ARM_ENUM}} : std::uint8_t { {{ARMS}} };\n"
      "  {{ARM_ENUM}} {{NAME}}_arm() const noexcept { return arm_{{NAME}}_; }  // the arm "
      "parse() took\n"
      "  lp::bytes {{NAME}}_bytes() const noexcept { return {{BYTES}}; }  // whichever arm";
  for (const auto& arm : sw.arms) {
    const ArmAccess access = arm_access(m, arm);
    code_.set("ARM", arm.name);
    code_.set("ARM_TYPE", access.type);
    code_.set("ARM_OPTIONAL", access.optional_type());
    code_.set("ARM_VALUE", access.optional_value());
    code_.set("ARM_COMMENT", schema_comment(arm.range));
    if (arm.indirect) {
      emit_indirect_accessor(arm);
      continue;
    }
    code_.set("QUALIFIER", access.stored ? "&" : "");
    code_ +=
        "  {{ARM_COMMENT}}\n"
        "  {{ARM_OPTIONAL}} {{NAME}}_{{ARM}}() const{{QUALIFIER}} noexcept {\n"
        "    if (arm_{{NAME}}_ != {{ARM_ENUM}}::{{ARM}}) return std::nullopt;\n"
        "    return {{ARM_VALUE}};\n"
        "  }";
    if (access.stored) emit_copy_on_temporary("{{NAME}}_{{ARM}}", access.type);
  }
}

// A stored child's accessor returns lp::optional_ref on a view that outlives the
// call; called on a temporary view (`(*it).arm()`, `array.front().arm()`) it
// returns a copy instead, which cannot dangle.
void StructEmitter::emit_copy_on_temporary(const std::string& accessor, const std::string& child) {
  stores_child_views_ = true;
  code_.set("ACCESSOR", code_.format(accessor));
  code_.set("CHILD", child);
  code_ +=
      "  lp::optional_value<{{CHILD}}> {{ACCESSOR}}() const&& noexcept {  // on a temporary: a "
      "copy\n"
      "    return static_cast<const {{VIEW}}&>(*this).{{ACCESSOR}}();\n"
      "  }";
}

// A recursive arm's view is not stored (it would contain itself): parse()
// validated its bytes, the accessor parses them again, which cannot fail.
void StructEmitter::emit_indirect_accessor(const ast::SwitchArm& arm) {
  code_.set("ARM_TYPE", struct_ref(*ast::indirect_struct(arm), "View"));
  code_ +=
      "  {{ARM_COMMENT}}\n"
      "  // Recursive: re-parsed on each call (O(the arm's headers), never its payload).\n"
      "  lp::optional_value<{{ARM_TYPE}}> {{NAME}}_{{ARM}}() const noexcept;";
  deferred_accessors_ += code_.format(
      "inline lp::optional_value<{{ARM_TYPE}}> {{VIEW}}::{{NAME}}_{{ARM}}() const noexcept {\n"
      "  if (arm_{{NAME}}_ != {{ARM_ENUM}}::{{ARM}}) return std::nullopt;\n"
      "  {{ARM_TYPE}} arm;\n"
      "  // parse() validated these bytes with the caller's limits: re-read them without.\n"
      "  (void){{ARM_TYPE}}::parse_into(arm, region_{{NAME}}_, lp::ParseOptions::reread(), 0);\n"
      "  return arm;\n"
      "}\n\n");
}

std::string StructEmitter::arm_region(const MemberLayout& m) const {
  const std::string start = view_offset(m);
  const std::string end = end_member(index_of(m));
  return fmt::format("lp::bytes({}, {})", pointer("data_", start),
                     start == "0" ? end : fmt::format("{} - ({})", end, start));
}

// ------------------------------------------------------------------------------------------------
// Values read back from the view, for references' and checksums' expressions.

// `const auto f_ihl = <read>;` for each field, let and parameter `e` reads: the
// names ExprWriter gives them, read back from the view.
void StructEmitter::view_locals(const ast::Expr& e, std::set<std::string>& declared) {
  std::visit(Overloaded{
                 [](const ast::IntLiteral&) {},
                 [](const ast::StringLiteral&) {},
                 [&](const ast::NameRef& r) {
                   std::string name, value;
                   if (r.field != nullptr) {
                     const MemberLayout& fm = *layout_.find(*r.field);
                     name = local_name(*r.field);
                     value = read_raw(*fm.scalar, fm.kind, fm.byte_order, fm.bit_order, "data_",
                                      view_segment(fm.segment), fm.bit_offset, fm.runtime_order);
                   } else if (r.let != nullptr) {
                     name = "let_" + r.let->name;
                     value = name + "_";
                   } else if (r.param != nullptr) {
                     name = "param_" + r.param->name;
                     value = name + "_";
                   }
                   if (name.empty() || !declared.insert(name).second) return;
                   code_.set("LOCAL", name);
                   code_.set("LOCAL_VALUE", value);
                   code_ += "  const auto {{LOCAL}} = {{LOCAL_VALUE}};";
                 },
                 [&](const ast::Unary& u) { view_locals(*u.operand, declared); },
                 [&](const ast::Binary& b) {
                   view_locals(*b.lhs, declared);
                   view_locals(*b.rhs, declared);
                 },
                 [&](const ast::Conditional& c) {
                   view_locals(*c.condition, declared);
                   view_locals(*c.if_true, declared);
                   view_locals(*c.if_false, declared);
                 },
             },
             e.node);
}

// ------------------------------------------------------------------------------------------------
// References (`at`): followed through an lp::PointerChain.

// `target: T at offset;`: declared in the class, defined after every class (T
// may come later in the header, or contain this struct).
void StructEmitter::emit_reference(const ast::Field& f) {
  const auto& named = std::get<ast::NamedType>(f.type->node);
  const ast::StructDecl& target = *named.struct_decl;
  const std::string target_view = struct_ref(target, "View");
  code_.set("NAME", f.name);
  code_.set("TARGET", target_view);
  code_.set("COMMENT", schema_comment(f.range));
  code_.set("OFFSET_TEXT", one_line(f.at->range.text()));
  code_ += "";
  code_.append(doc_comment(f.doc, "  "));
  code_ +=
      "  {{COMMENT}}\n"
      "  // The {{TARGET}} at byte `{{OFFSET_TEXT}}` of the message `chain` holds, parsed on\n"
      "  // each call with the chain's options. The chain rejects a target that is not\n"
      "  // before the previous one (forward pointers, loops) and too many hops.\n"
      "  lp::Result<{{TARGET}}> {{NAME}}(lp::PointerChain& chain) const noexcept;";

  // The definition, after every class (deferred_references_).
  const std::size_t mark = code_.size();
  code_ +=
      "{{COMMENT}}\n"
      "inline lp::Result<{{TARGET}}> {{VIEW}}::{{NAME}}(lp::PointerChain& chain) const noexcept {";
  std::set<std::string> declared;
  view_locals(*f.at, declared);
  for (const auto& arg : named.arguments) view_locals(*arg, declared);
  std::string at = expr_.write(*f.at);
  if (sema::is_signed_expression(*f.at)) at = fmt::format("lp::to_unsigned({})", at);
  code_.set("NAME", f.name);
  code_.set("AT_VALUE", at);
  code_.set(
      "OVERFLOW",
      fmt::format("lp::Error(lp::errc::overflow, \"{}\", 0).push_outer(type_name).with_text({})",
                  f.name, expr_text(*f.at)));
  code_ +=
      "  const auto at = {{AT_VALUE}};\n"
      "  if (!at.ok()) [[unlikely]] return {{OVERFLOW}};\n"
      "  const lp::Result<lp::bytes> where = chain.follow(bytes(), at.value(), type_name, "
      "\"{{NAME}}\");\n"
      "  if (!where) [[unlikely]] return where.error();";
  std::string args;
  for (std::size_t i = 0; i < named.arguments.size(); ++i) {
    const ast::Param& param = target.params[i];
    const ast::Expr& arg = *named.arguments[i];
    const std::string var = "arg_" + param.name;
    std::string value = expr_.write(arg);
    const bool signed_expr = sema::is_signed_expression(arg);
    code_.set("ARG_VAR", var);
    code_.set(
        "BAD",
        fmt::format("lp::Error(lp::errc::overflow, \"{}\", 0).push_outer(type_name).with_text({})",
                    f.name, expr_text(arg)));
    if (param.is_endian) {
      code_.set("ARG_VALUE", value);
      code_ +=
          "  const auto {{ARG_VAR}} = {{ARG_VALUE}};\n"
          "  if (!{{ARG_VAR}}.ok()) [[unlikely]] return {{BAD}};";
      args += fmt::format(", static_cast<lp::byte_order>({}.value())", var);
      continue;
    }
    const auto& type = std::get<ast::NamedType>(param.type->node);
    if (type.is_signed && !signed_expr) value = fmt::format("lp::to_signed({})", value);
    if (!type.is_signed && signed_expr) value = fmt::format("lp::to_unsigned({})", value);
    code_.set("ARG_VALUE", value);
    code_.set("ARG_PARAM", trim(param.range.text()));
    code_.set("FITS", out_of_range(type, var));
    code_ +=
        "  const auto {{ARG_VAR}} = {{ARG_VALUE}};  // argument '{{ARG_PARAM}}'\n"
        "  if (!{{ARG_VAR}}.ok(){{FITS}}) [[unlikely]] return {{BAD}};";
    args += fmt::format(", static_cast<{}>({}.value())", int_type(type.bits, type.is_signed), var);
  }
  code_.set("ARGS", args);
  code_ +=
      "  auto result = {{TARGET}}::parse(*where{{ARGS}}, chain.options());\n"
      "  if (!result) [[unlikely]] {\n"
      "    return lp::PointerChain::rebase(result.error(), at.value(), type_name, \"{{NAME}}\");\n"
      "  }\n"
      "  return result;\n"
      "}\n";
  deferred_references_ += code_.take_from(mark);
}

// ------------------------------------------------------------------------------------------------
// Checksums: the expected value and verify_checksums().

// `sum_expected()`: the value a checksum field should hold, from the view's bytes.
void StructEmitter::emit_checksum_expected(const MemberLayout& m) {
  const ast::Field& f = *m.field;
  const ast::ChecksumSpec& spec = *f.checksum;
  const std::string at = view_offset(m);
  code_.set("NAME", f.name);
  code_.set("AT", at);
  code_.set("PSEUDO", spec.pseudo_header ? "const lp::InternetChecksum& pseudo_header" : "");
  code_.set("START", spec.pseudo_header ? "pseudo_header" : "lp::InternetChecksum()");
  code_.set("AFTER", spec.pseudo_header ? ", after the pseudo-header sum" : "");
  code_.set("COVERS", spec.length
                          ? fmt::format("the first {} bytes", one_line(spec.length->range.text()))
                          : std::string("every byte of the struct"));
  code_ +=
      "  // What {{NAME}} should hold: the internet checksum (RFC 1071) of {{COVERS}}{{AFTER}},\n"
      "  // computed with {{NAME}} as zero.\n"
      "  lp::Result<std::uint16_t> {{NAME}}_expected({{PSEUDO}}) const noexcept {";
  if (spec.length) {
    const CodeWriter::Indented body(code_, 2);
    std::set<std::string> declared;
    view_locals(*spec.length, declared);
    std::string value = expr_.write(*spec.length);
    if (sema::is_signed_expression(*spec.length)) value = fmt::format("lp::to_unsigned({})", value);
    // The covered bytes hold the field's own two.
    code_.set("FIELD_END",
              m.segment == 0 ? std::to_string(m.bit_offset / 8 + 2) : fmt::format("{} + 2", at));
    code_.set("COVERED_VALUE", value);
    code_.set("COVERED_TEXT", expr_text(*spec.length));
    code_ +=
        "  const auto covered = {{COVERED_VALUE}};\n"
        "  if (!covered.ok() || covered.value() < {{FIELD_END}} || covered.value() > size_) "
        "[[unlikely]] {\n"
        "    return lp::Error(lp::errc::bad_length, \"{{NAME}}\", {{AT}})\n"
        "        .push_outer(type_name)\n"
        "        .with_text({{COVERED_TEXT}})\n"
        "        .with_actual(covered.ok() ? covered.value() : 0);\n"
        "  }";
  }
  code_.set("COVERED", spec.length ? "covered.value()" : "size_");
  code_ +=
      "    return lp::internet_checksum_over({{START}}, lp::bytes(data_, {{COVERED}}), {{AT}});\n"
      "  }";
}

// verify_checksums(): every checksum this struct declares, in declaration order.
void StructEmitter::emit_verify_checksums() {
  const auto& members = plan_.checksum_fields;
  if (members.empty()) return;
  const bool pseudo = plan_.any_pseudo_header;
  code_.set("PSEUDO", pseudo ? "const lp::InternetChecksum& pseudo_header" : "");
  code_ +=
      "\n"
      "  // This struct's checksums (not its children's); parse() does not check them.\n"
      "  lp::Status verify_checksums({{PSEUDO}}) const noexcept {";
  for (const MemberLayout* m : members) {
    const ast::Field& f = *m->field;
    const ast::ChecksumSpec& spec = *f.checksum;
    code_.set("NAME", f.name);
    code_.set("AT", view_offset(*m));
    code_.set("ARG", spec.pseudo_header ? "pseudo_header" : "");
    code_.set("COMMENT", schema_comment(f.range));
    code_.set("ZERO", spec.zero_means_none ? "stored != 0 && " : "");
    code_.set("ZERO_NOTE", spec.zero_means_none ? "  // 0: the sender computed none" : "");
    code_ +=
        "    {  {{COMMENT}}\n"
        "      const lp::Result<std::uint16_t> expected = {{NAME}}_expected({{ARG}});\n"
        "      if (!expected) [[unlikely]] return expected.error();\n"
        "      const std::uint16_t stored = {{NAME}}();{{ZERO_NOTE}}\n"
        "      if ({{ZERO}}!lp::internet_checksum_matches(stored, *expected)) [[unlikely]] {\n"
        "        return lp::Error(lp::errc::bad_checksum, \"{{NAME}}\", {{AT}})\n"
        "            .push_outer(type_name)\n"
        "            .with_text(\"internet\")\n"
        "            .with_actual(stored)\n"
        "            .with_expected(*expected);\n"
        "      }\n"
        "    }";
  }
  code_ += "    return {};\n  }";
}

// ------------------------------------------------------------------------------------------------
// The wrapper struct Foo.

void StructEmitter::emit_wrapper() {
  if (plan_.has_serializer) {
    class_head("struct {{TYPE}}",
               {"lp::type_base<{{VIEW}}, {{MUT}}{{PARAM_TYPES}}>",
                "lp::{{SERIALIZER}}<{{TYPE}}, {{TYPE}}Value{{PARAM_TYPES}}>"},
               "// View, Mut, Value, parse(), serialize(), ...");
  } else {
    class_head("struct {{TYPE}}", {"lp::type_base<{{VIEW}}, {{MUT}}{{PARAM_TYPES}}>"},
               "// View, Mut, parse(), parse_mut()");
  }
  code_.append(serializer_declarations(module_, program_plan_, decl_));
  code_ += "};\n";
}

}  // namespace lpc::emit
