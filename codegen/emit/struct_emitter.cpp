// StructEmitter's parts that the others share: the order in which one struct's
// output is written (emit()), scalar loads and stores, byte regions and array
// types, and the layout of emitted functions (one line when it fits, entry points
// that move to the source file). Nothing here writes a part of the generated
// contract on its own; the files by output call it (struct_emitter.hpp).
#include "emit/struct_emitter.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ast/ast.hpp"
#include "emit/cpp_common.hpp"
#include "sema/eval.hpp"

namespace lpc::emit {

// ------------------------------------------------------------------------------------------------
// The order of one struct's output.

void StructEmitter::emit() {
  code_.set("TYPE", decl_.name);
  code_.set("VIEW", decl_.name + "View");
  code_.set("MUT", decl_.name + "Mut");
  code_.set("MIN_SIZE", std::to_string(layout_.min_size));
  code_.set("PARAMS", params_decl_);
  // The bases (libparse/view_base.hpp): a parameterised struct's parameter types
  // follow its own names.
  code_.set("PARAM_TYPES", param_types_);
  code_.set("SERIALIZER", plan_.any_pseudo_header ? "pseudo_serializer_base" : "serializer_base");
  // Definitions outside the classes: `inline` in a header, not in a source file.
  code_.set("OUT_OF_LINE", split_ ? "" : "inline ");
  emit_view();
  emit_mut();
  emit_wrapper();
  const std::size_t mark = code_.size();
  emit_parse();
  if (!split_) {
    emit_error_paths();
    emit_visit();
  }
  // A struct with a recursive arm parses and visits views whose classes come
  // later in the header: its definitions go after every class.
  if (plan_.has_recursive_arm) deferred_ += code_.take_from(mark) + deferred_accessors_;
  // A reference's target may be declared later, even be this struct's container.
  deferred_ += deferred_references_;
  if (split_) {  // written here with the header's names set, then moved out
    const std::size_t source_mark = code_.size();
    emit_error_paths();
    emit_visit();
    source_ = code_.take_from(source_mark);
    // Where the bases' entry points are compiled: the source file, after its
    // namespace (an explicit instantiation is declared in lp's or the global one).
    instantiations_ =
        instantiation(code_.format("template class lp::view_base<{{NAMESPACE}}::{{VIEW}}"
                                   "{{PARAM_TYPES}}>;")) +
        instantiation(code_.format("template class lp::mut_base<{{NAMESPACE}}::{{MUT}}, "
                                   "{{NAMESPACE}}::{{VIEW}}{{PARAM_TYPES}}>;")) +
        instantiation(code_.format("template struct lp::type_base<{{NAMESPACE}}::{{VIEW}}, "
                                   "{{NAMESPACE}}::{{MUT}}{{PARAM_TYPES}}>;"));
    if (plan_.has_serializer) {
      const std::string value_args =
          code_.format("<{{NAMESPACE}}::{{TYPE}}, {{NAMESPACE}}::{{TYPE}}Value{{PARAM_TYPES}}>;");
      instantiations_ += instantiation("template struct lp::serializer_base" + value_args);
      if (plan_.any_pseudo_header) {
        instantiations_ += instantiation("template struct lp::pseudo_serializer_base" + value_args);
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Scalar reads and writes: one load or store, byte order fixed or chosen at run time.

// The raw value (integer type or float) of a scalar at `base + offset`.
std::string StructEmitter::read_raw(const ast::NamedType& t, MemberKind kind,
                                    std::optional<ast::ByteOrder> order, ast::BitOrder bit_order,
                                    const std::string& base, const std::string& segment,
                                    std::uint64_t bit_offset, bool runtime_order) const {
  const std::string type =
      t.is_float ? (t.bits == 32 ? "float" : "double") : int_type(t.bits, t.is_signed);
  const std::string at = pointer(base, offset_expr(segment, bit_offset / 8));
  if (runtime_order && kind != MemberKind::bit_field && t.bits > 8) {
    return read_runtime_order(t, type, at, runtime_order_of(base));
  }
  const char* be = order == ast::ByteOrder::little ? "le" : "be";
  if (kind == MemberKind::bit_field) {
    const std::string bits =
        fmt::format("lp::read_bits_{}({}, {}, {})", bit_order == ast::BitOrder::lsb ? "lsb" : "msb",
                    at, bit_offset % 8, t.bits);
    if (t.is_signed)
      return fmt::format("static_cast<{}>(lp::sign_extend({}, {}))", type, bits, t.bits);
    return t.bits > 32 ? bits : fmt::format("static_cast<{}>({})", type, bits);
  }
  if (t.is_float) return fmt::format("lp::load_{}<{}>({})", be, type, at);
  if (t.bits == 8) {
    const std::string byte = fmt::format("std::to_integer<std::uint8_t>({}[{}])", base,
                                         offset_expr(segment, bit_offset / 8));
    return t.is_signed ? fmt::format("static_cast<std::int8_t>({})", byte) : byte;
  }
  if (t.bits == 16 || t.bits == 32 || t.bits == 64)
    return fmt::format("lp::load_{}<{}>({})", be, type, at);
  const std::string n = fmt::format("lp::load_{}_n<{}>({})", be, t.bits / 8, at);
  if (t.is_signed) return fmt::format("static_cast<{}>(lp::sign_extend({}, {}))", type, n, t.bits);
  return t.bits > 32 ? n : fmt::format("static_cast<{}>({})", type, n);
}

// Statement writing `value` (already the raw integer or float) at `base + offset`.
std::string StructEmitter::write_raw(const ast::NamedType& t, MemberKind kind,
                                     std::optional<ast::ByteOrder> order, ast::BitOrder bit_order,
                                     const std::string& base, const std::string& segment,
                                     std::uint64_t bit_offset, const std::string& value,
                                     bool runtime_order) const {
  const std::string type =
      t.is_float ? (t.bits == 32 ? "float" : "double") : int_type(t.bits, t.is_signed);
  const std::string at = pointer(base, offset_expr(segment, bit_offset / 8));
  if (runtime_order && kind != MemberKind::bit_field && t.bits > 8) {
    return write_runtime_order(t, type, at, runtime_order_of(base), value);
  }
  const char* be = order == ast::ByteOrder::little ? "le" : "be";
  if (kind == MemberKind::bit_field) {
    return fmt::format("lp::write_bits_{}({}, {}, {}, static_cast<std::uint64_t>({}));",
                       bit_order == ast::BitOrder::lsb ? "lsb" : "msb", at, bit_offset % 8, t.bits,
                       value);
  }
  if (t.is_float) return fmt::format("lp::store_{}<{}>({}, {});", be, type, at, value);
  if (t.bits == 8) {
    return fmt::format("{}[{}] = static_cast<std::byte>({});", base,
                       offset_expr(segment, bit_offset / 8), value);
  }
  if (t.bits == 16 || t.bits == 32 || t.bits == 64) {
    return fmt::format("lp::store_{}<{}>({}, {});", be, type, at, value);
  }
  return fmt::format("lp::store_{}_n<{}>({}, static_cast<std::uint64_t>({}));", be, t.bits / 8, at,
                     value);
}

std::string StructEmitter::accessor_type(const ast::NamedType& t) const {
  if (!scalar_class(t).empty()) return scalar_class(t);
  if (t.is_float) return t.bits == 32 ? "float" : "double";
  return int_type(t.bits, t.is_signed);
}

// The struct's run-time byte order: parse()'s argument, or the stored parameter.
std::string StructEmitter::runtime_order_of(const std::string& base) const {
  const std::string& name = decl_.endian_param->name;
  return base == "p" ? "param_" + name : "param_" + name + "_";
}

std::string StructEmitter::read_runtime_order(const ast::NamedType& t, const std::string& type,
                                              const std::string& at, const std::string& order) {
  if (t.is_float || t.bits == 16 || t.bits == 32 || t.bits == 64) {
    return fmt::format("lp::load<{}>({}, {})", type, at, order);
  }
  const std::string n =
      fmt::format("({} == lp::byte_order::big ? lp::load_be_n<{}>({}) : lp::load_le_n<{}>({}))",
                  order, t.bits / 8, at, t.bits / 8, at);
  if (t.is_signed) {
    return fmt::format("static_cast<{}>(lp::sign_extend({}, {}))", type, n, t.bits);
  }
  return t.bits > 32 ? n : fmt::format("static_cast<{}>({})", type, n);
}

std::string StructEmitter::write_runtime_order(const ast::NamedType& t, const std::string& type,
                                               const std::string& at, const std::string& order,
                                               const std::string& value) {
  if (t.is_float || t.bits == 16 || t.bits == 32 || t.bits == 64) {
    return fmt::format("lp::store<{}>({}, {}, {});", type, at, value, order);
  }
  return fmt::format(
      "if ({} == lp::byte_order::big) {{\n"
      "      lp::store_be_n<{}>({}, static_cast<std::uint64_t>({}));\n"
      "    }} else {{\n"
      "      lp::store_le_n<{}>({}, static_cast<std::uint64_t>({}));\n"
      "    }}",
      order, t.bits / 8, at, value, t.bits / 8, at, value);
}

// ------------------------------------------------------------------------------------------------
// Byte regions, array types and the arguments of lazy arrays' elements.

// `lp::bytes(...)` of a member in an accessor: constant size, or up to its end marker.
std::string StructEmitter::view_bytes(const MemberLayout& m) const {
  const std::string start = view_offset(m);
  const std::string at = pointer("data_", start);
  if (m.bit_width) return fmt::format("lp::bytes({}, {})", at, *m.bit_width / 8);
  if (m.peek) return fmt::format("lp::bytes({}, {})", at, *m.present_bits / 8);  // not consumed
  const std::string end = end_member(index_of(m));
  return fmt::format("lp::bytes({}, {})", at,
                     start == "0" ? end : fmt::format("{} - ({})", end, start));
}

std::string StructEmitter::array_type(const ast::NamedType& elem,
                                      std::optional<ast::ByteOrder> order, bool mut) const {
  if (elem.struct_decl != nullptr) {
    return mut ? fmt::format("lp::mut_struct_array<{}>", struct_ref(*elem.struct_decl, "Mut"))
               : fmt::format("lp::struct_array<{}>", struct_ref(*elem.struct_decl, "View"));
  }
  return fmt::format("lp::{}array_view<{}>", mut ? "mut_" : "", element_tag(elem, order));
}

std::optional<ast::ByteOrder> StructEmitter::arm_byte_order(const ast::NamedType& t) const {
  if (t.explicit_order) return t.explicit_order;
  return decl_.endian ? decl_.endian : module_.endian;
}

std::vector<StructEmitter::ElementArgument> StructEmitter::element_arguments(
    const MemberLayout& m) const {
  std::vector<ElementArgument> out;
  if (m.kind != MemberKind::array || !m.lazy || m.scalar->struct_decl == nullptr) return out;
  for (const ast::Param& p : m.scalar->struct_decl->params) {
    out.push_back({param_type(p), fmt::format("arg_{}_{}_", m.field->name, p.name), p.name});
  }
  return out;
}

// The lazy_array type of `m` (lazy_mut_array when `mut`) and the arguments after
// its count: ", arg_x_order_".
std::pair<std::string, std::string> StructEmitter::lazy_array_type(const MemberLayout& m,
                                                                   bool mut) const {
  std::string type = fmt::format("{}<{}", mut ? "lp::lazy_mut_array" : "lp::lazy_array",
                                 struct_ref(*m.scalar->struct_decl, mut ? "Mut" : "View"));
  std::string args;
  for (const ElementArgument& arg : element_arguments(m)) {
    type += ", " + arg.type;
    args += ", " + arg.member;
  }
  return {type + ">", args};
}

// The element arguments' tuple type of a `carry` array: what its step rewrites.
std::string StructEmitter::carry_tuple(const MemberLayout& m) const {
  std::string types;
  for (const ElementArgument& arg : element_arguments(m)) {
    types += (types.empty() ? "" : ", ") + arg.type;
  }
  return "std::tuple<" + types + ">";
}

// ` || v.value() > max` (and `< min` when signed): a checked value `v` that
// does not fit integer type `type`; empty for 64-bit types.
std::string StructEmitter::out_of_range(const ast::NamedType& type, const std::string& v) {
  if (type.bits >= 64) return {};
  const sema::ValueRange r = sema::value_range(type);
  return type.is_signed ? fmt::format(" || {}.value() < {} || {}.value() > {}", v,
                                      r.min.as_signed(), v, r.max.as_signed())
                        : fmt::format(" || {}.value() > {}", v, literal(r.max.bits));
}

// `template class lp::base<A, B>;` and a newline, as clang-format writes it:
// on one line when it fits in kColumnLimit columns, else one argument per line, aligned
// after the `<` (the arguments hold no nested commas at the top level).
std::string StructEmitter::instantiation(const std::string& statement) {
  if (statement.size() <= kColumnLimit) return statement + "\n";
  const std::size_t open = statement.find('<');
  std::string out;
  std::size_t depth = 0;
  for (std::size_t i = 0; i < statement.size(); ++i) {
    const char c = statement[i];
    if (c == '<') ++depth;
    if (c == '>') --depth;
    if (c == ' ' && depth == 1 && i > 0 && statement[i - 1] == ',') {
      out += "\n" + std::string(open + 1, ' ');
      continue;
    }
    out += c;
  }
  return out + "\n";
}

std::vector<const ast::SwitchArm*> StructEmitter::stored_arms(const MemberLayout& m) const {
  std::vector<const ast::SwitchArm*> arms;
  for (const auto& arm : std::get<ast::SwitchType>(m.field->type->node).arms) {
    if (plan::stores_arm_view(arm, program_layout_)) arms.push_back(&arm);
  }
  return arms;
}

std::string StructEmitter::for_parse_init(const ast::StructDecl& child) const {
  return program_plan_.of(child).holds_arm_views ? "(lp::for_parse)" : "";
}

// ------------------------------------------------------------------------------------------------
// Layout of emitted functions and tables, as clang-format would write them.

// `class FooView : public Base {` (`head` is what comes before the colon), as
// clang-format writes it: on one line when it fits in 100 columns, else each base
// on a line of its own. `comment` says what the bases provide: after the brace when
// the line still fits, else on the line above.
void StructEmitter::class_head(const std::string& head, const std::vector<std::string>& bases,
                               const std::string& comment) {
  std::string list;
  for (const std::string& base : bases) list += (list.empty() ? "" : ", ") + code_.format(base);
  code_.set("CLASS_HEAD", code_.format(head));
  code_.set("BASE_LIST", list);
  code_.set("BASES_COMMENT", comment);
  const std::size_t width =
      code_.indentation() + code_.format("{{CLASS_HEAD}} : {{BASE_LIST}} {").size();
  if (width + 2 + comment.size() <= kColumnLimit) {
    code_ += "{{CLASS_HEAD}} : {{BASE_LIST}} {  {{BASES_COMMENT}}";
    return;
  }
  code_ += "{{BASES_COMMENT}}";
  if (width <= kColumnLimit) {
    code_ += "{{CLASS_HEAD}} : {{BASE_LIST}} {";
    return;
  }
  code_ += "{{CLASS_HEAD}}";
  for (std::size_t i = 0; i < bases.size(); ++i) {
    code_.set("BASE", code_.format(bases[i]));
    const bool last = i + 1 == bases.size();
    if (i == 0) {
      code_ += last ? "    : {{BASE}} {" : "    : {{BASE}},";
    } else {
      code_ += last ? "      {{BASE}} {" : "      {{BASE}},";
    }
  }
}

// A member function whose body is one statement: on one line when that fits in
// 100 columns, as clang-format writes it, else over three.
void StructEmitter::short_function(const std::string& signature, const std::string& statement) {
  code_.set("SIGNATURE", code_.format(signature));
  code_.set("STATEMENT", code_.format(statement));
  const std::string one_line = code_.format("{{SIGNATURE}} { {{STATEMENT}} }");
  if (code_.indentation() + one_line.size() <= kColumnLimit) {
    code_ += "{{SIGNATURE}} { {{STATEMENT}} }";
  } else {
    code_ +=
        "{{SIGNATURE}} {\n"
        "    {{STATEMENT}}\n"
        "  }";
  }
}

// The braced initializer of a std::array of aggregates, `entries` wrapped at 100
// columns on lines indented 6 ("{}" for none).
std::string StructEmitter::wrapped_initializer(const std::vector<std::string>& entries) {
  if (entries.empty()) return "{}";
  std::string out = "{{\n      ";
  std::size_t column = 6;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string item = entries[i] + (i + 1 < entries.size() ? "," : "}}");
    if (column > 6 && column + 1 + item.size() > kColumnLimit) {
      out += "\n      ";
      column = 6;
    } else if (column > 6) {
      out += " ";
      ++column;
    }
    out += item;
    column += item.size();
  }
  return out;
}

}  // namespace lpc::emit
