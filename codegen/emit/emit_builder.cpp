// The serializer emitter (emit_builder.hpp). One Foo::serialize_to() per struct
// writes the members front to back through an lp::Writer, the way parse() reads
// them. A length that comes before what it measures (`length: u16; payload:
// bytes[length - 8];`) is "derived": the value may leave it empty, the writer puts
// a placeholder, and once the measured member is written the schema's expression
// is solved for the field (docs/schema-language.md §25 lists the forms) and the
// placeholder rewritten. Checksums work the same way at the end of their struct.
// serialize() then parses what it wrote, so it never returns bytes parse() rejects.
//
// The writer keeps the first error (libparse/writer.hpp), so each put is one
// statement; the emitter checks the writer only where what follows needs every
// put so far to have succeeded (check_writer()), tracking as it goes whether a
// put on some path to the current statement may have failed since the last check.
//
// The code is built as the view emitters build theirs (codegen/emit/code_writer.hpp):
// each statement a CodeWriter template written relative to its block, each nested
// block (an `if`, an element loop, a switch arm) one CodeWriter::Indented level in.
#include "emit/emit_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "ast/queries.hpp"
#include "emit/code_writer.hpp"
#include "emit/cpp_common.hpp"
#include "sema/eval.hpp"

namespace lpc::emit {
namespace {

using ast::each_member_expr;
using ast::fields_in;
using ast::occurrences;
using layout::MemberKind;
using layout::MemberLayout;
using layout::StructLayout;

// ------------------------------------------------------------ expression queries

// Can `e` = target be solved for `x` front to back: x once, reached only through
// +, -, * and the branches (not the condition) of ?:, in unsigned arithmetic?
bool invertible(const ast::Expr& e, const ast::Field& x) {
  if (sema::is_signed_expression(e) || occurrences(e, x) != 1) return false;
  const ast::Expr* at = &e;
  for (;;) {
    if (const auto* ref = std::get_if<ast::NameRef>(&at->node)) return ref->field == &x;
    if (const auto* b = std::get_if<ast::Binary>(&at->node)) {
      if (b->op != ast::BinaryOp::add && b->op != ast::BinaryOp::sub && b->op != ast::BinaryOp::mul)
        return false;
      at = occurrences(*b->lhs, x) != 0 ? b->lhs.get() : b->rhs.get();
      continue;
    }
    if (const auto* c = std::get_if<ast::Conditional>(&at->node)) {
      if (occurrences(*c->condition, x) != 0) return false;
      at = occurrences(*c->if_true, x) != 0 ? c->if_true.get() : c->if_false.get();
      continue;
    }
    return false;
  }
}

// `x: T[] until (c) size(n);`: parse() allows bytes after the terminator, up to n;
// the value keeps them as `x_padding` so that they come back.
const ast::ArrayType* padded_array(const ast::Field& f) {
  const auto* a = std::get_if<ast::ArrayType>(&f.type->node);
  if (a == nullptr || !a->until || !a->byte_size || f.condition) return nullptr;
  return a;
}

// ------------------------------------------------------------ one struct

class StructSerializer {
 public:
  StructSerializer(const ast::Module& module, const plan::ProgramPlan& program_plan,
                   const ast::StructDecl& decl)
      : module_(module),
        decl_(decl),
        layout_(program_plan.layout().of(decl)),
        plan_(program_plan.of(decl)),
        expr_(module, &local_name) {
    find_derived();
    // What serialize() evaluates: every expression but those of lets nothing it
    // evaluates reads (lets only accessors read; parse() computes them).
    const auto lets_read = [&](const ast::Expr& e) {
      each_name(e, [&](const ast::NameRef& ref) {
        if (ref.let != nullptr) used_lets_.insert(ref.let);
      });
    };
    each_member_expr(decl_, [&](const ast::Expr& e, const ast::Let* let) {
      if (let == nullptr) lets_read(e);
    });
    // Lets read by lets that are read: lets refer only to earlier ones, so one pass back.
    for (auto it = decl_.members.rbegin(); it != decl_.members.rend(); ++it) {
      const auto* l = std::get_if<ast::Let>(&*it);
      if (l != nullptr && used_lets_.count(l) != 0) lets_read(*l->value);
    }
    each_member_expr(decl_, [&](const ast::Expr& e, const ast::Let* let) {
      if (let != nullptr && used_lets_.count(let) == 0) return;
      for (const ast::Field* f : fields_in(e)) used_.insert(f);
      each_name(e, [&](const ast::NameRef& ref) {
        if (ref.param != nullptr) used_params_.insert(ref.param);
      });
    });
    for (const ast::Param& p : decl_.params) {
      params_def_ += fmt::format(", {} param_{}", param_type(p), p.name);
      params_decl_ += fmt::format(", {} {}", param_type(p), p.name);
    }
  }

  std::string value_struct() {
    const std::size_t mark = code_.size();
    code_.set("TYPE", decl_.name);
    code_ += "struct {{TYPE}}Value {";
    {
      const CodeWriter::Indented members(code_, 2);
      for (const MemberLayout& m : layout_.members) {
        if (m.field != nullptr && m.field->name != "_") value_member(*m.field);
      }
    }
    code_ += "};";
    return code_.take_from(mark);
  }

  // A struct of pads, `_` fields and constants only (or nothing) has no member
  // in its FooValue: serialize_to() and to_value() do not touch their argument.
  bool has_named_field() const {
    return std::any_of(layout_.members.begin(), layout_.members.end(), [](const MemberLayout& m) {
      return m.field != nullptr && m.field->name != "_";
    });
  }

  // `split`: for the module's source file (no `inline`), else for its header.
  std::string definitions(bool split) {
    const std::size_t mark = code_.size();
    const std::string storage = split ? "" : "inline ";
    // serialize_to: the writer of every member. Parameters it does not read are
    // left unnamed. The signature goes on one line when it fits.
    code_.set("STORAGE", storage);
    code_.set("TYPE", decl_.name);
    code_.set("VALUE_PARAM", has_named_field() ? " value" : "");
    code_.set("PARAM_DEFS", params_def_);
    code_.set("PSEUDO_PARAM", has_pseudo() ? " pseudo_header" : "");
    code_.set("SIGNATURE",
              one_line_if_it_fits(code_.format(
                  "{{STORAGE}}lp::Status {{TYPE}}::serialize_to(\n"
                  "    lp::Writer& out, const {{TYPE}}Value&{{VALUE_PARAM}}{{PARAM_DEFS}}, "
                  "const lp::InternetChecksum*{{PSEUDO_PARAM}}) noexcept {")));
    code_ +=
        "{{SIGNATURE}}\n"
        "  if (!out) return out.status();  // an earlier message's error stands\n"
        "  constexpr std::string_view type_name = {{TYPE}}View::type_name;";
    if (body_uses_start()) code_ += "  const std::size_t start = out.bit_position();";
    for (const ast::Param& p : decl_.params) {
      code_.set("PARAM", p.name);
      if (used_params_.count(&p) == 0) code_ += "  (void)param_{{PARAM}};  // read by parse() only";
    }
    {
      const CodeWriter::Indented body(code_, 2);
      unchecked_ = false;
      for (const MemberLayout& m : layout_.members) emit_member(m);
      emit_undetermined();
      emit_checksums();
    }
    code_ +=
        "  return out.outer(type_name);\n"
        "}\n";
    emit_to_value(storage);
    return code_.take_from(mark);
  }

  // What the wrapper declares beside its bases' serialize() family
  // (lp::serializer_base, libparse/view_base.hpp).
  std::string declarations() {
    const std::size_t mark = code_.size();
    code_.set("TYPE", decl_.name);
    code_.set("PARAMS", params_decl_);
    code_ +=
        "  static {{TYPE}}Value to_value(const {{TYPE}}View& view);\n"
        "  static lp::Status serialize_to(lp::Writer& out, const {{TYPE}}Value& value{{PARAMS}},\n"
        "                                 const lp::InternetChecksum* pseudo_header = nullptr) "
        "noexcept;";
    return code_.take_from(mark);
  }

 private:
  // ---------------------------------------------------------- derived fields

  // The members whose written size an expression describes, with that
  // expression: bytes[n], T[n] (a count), T[] size(n), switch size(n), and the
  // same inside switch arms.
  static void size_exprs(const ast::TypeExpr& t, std::vector<const ast::Expr*>& out) {
    if (const auto* b = std::get_if<ast::BytesType>(&t.node)) {
      // `cstring[n]` pads its text to n bytes: n does not measure the text.
      if (b->count && b->kind != ast::BytesKind::cstring) out.push_back(b->count.get());
    } else if (const auto* a = std::get_if<ast::ArrayType>(&t.node)) {
      if (a->count) out.push_back(a->count.get());
      if (a->byte_size) out.push_back(a->byte_size.get());
    } else if (const auto* s = std::get_if<ast::SwitchType>(&t.node)) {
      if (s->byte_size) out.push_back(s->byte_size.get());
      for (const auto& arm : s->arms) size_exprs(*arm.type, out);
    }
  }

  static bool derivable_type(const ast::Field& f) {
    const auto* t = std::get_if<ast::NamedType>(&f.type->node);
    return t != nullptr && t->is_builtin && !t->is_signed && !t->is_float &&
           t->varint == ast::VarintKind::none && t->enum_decl == nullptr &&
           t->flags_decl == nullptr && t->struct_decl == nullptr && !f.checksum && f.name != "_";
  }

  void find_derived() {
    std::vector<const ast::Expr*> sizes;
    for (const auto& m : decl_.members) {
      const auto* f = std::get_if<ast::Field>(&m);
      if (f != nullptr && !f->at) size_exprs(*f->type, sizes);
    }
    for (const auto& m : decl_.members) {
      const auto* f = std::get_if<ast::Field>(&m);
      if (f == nullptr || !derivable_type(*f)) continue;
      for (const ast::Expr* e : sizes) {
        if (invertible(*e, *f)) derived_.insert(f);
      }
    }
  }

  // ---------------------------------------------------------- names and types

  std::string struct_ref(const ast::StructDecl& s, std::string_view suffix) const {
    return qualify(s.module, module_, s.name + std::string(suffix));
  }

  static std::string param_type(const ast::Param& p) {
    if (p.is_endian) return "lp::byte_order";
    const auto& t = std::get<ast::NamedType>(p.type->node);
    return int_type(t.bits, t.is_signed);
  }

  std::string scalar_type(const ast::NamedType& t) const {
    if (t.enum_decl != nullptr) return qualify(t.enum_decl->module, module_, t.enum_decl->name);
    if (t.flags_decl != nullptr) return qualify(t.flags_decl->module, module_, t.flags_decl->name);
    if (t.is_float) return t.bits == 32 ? "float" : "double";
    if (t.varint != ast::VarintKind::none)
      return t.varint == ast::VarintKind::zigzag ? "std::int64_t" : "std::uint64_t";
    return int_type(t.bits, t.is_signed);
  }

  // Array elements are what the view's arrays yield: numbers (enums and flags raw).
  std::string element_type(const ast::NamedType& t) const {
    if (t.struct_decl != nullptr) return struct_ref(*t.struct_decl, "Value");
    if (t.is_float) return t.bits == 32 ? "float" : "double";
    return int_type(t.bits, t.is_signed);
  }

  static std::optional<std::uint64_t> constant_count(const ast::ArrayType& a) {
    if (!a.count) return std::nullopt;
    const sema::EvalResult r = sema::evaluate_constant(*a.count);
    if (r.status != sema::EvalStatus::ok || r.value.is_negative()) return std::nullopt;
    return r.value.bits;
  }

  std::string value_type(const ast::TypeExpr& t, bool indirect) const {
    if (indirect) return "lp::bytes";
    if (const auto* n = std::get_if<ast::NamedType>(&t.node)) {
      if (n->struct_decl != nullptr) return struct_ref(*n->struct_decl, "Value");
      return scalar_type(*n);
    }
    if (const auto* b = std::get_if<ast::BytesType>(&t.node)) {
      return b->kind == ast::BytesKind::bytes ? "lp::bytes" : "std::string_view";
    }
    const auto& a = std::get<ast::ArrayType>(t.node);
    const std::string elem = element_type(std::get<ast::NamedType>(a.element->node));
    if (const auto n = constant_count(a)) return fmt::format("std::array<{}, {}>", elem, *n);
    return fmt::format("std::vector<{}>", elem);
  }

  // `version: u4 == 4;` starts at 4; everything else at zero / empty.
  std::string default_value(const ast::Field& f, const std::string& type) const {
    const auto* t = std::get_if<ast::NamedType>(&f.type->node);
    if (t == nullptr || t->struct_decl != nullptr) return "{}";
    for (const auto& c : f.constraints) {
      if (c.kind != ast::ConstraintKind::equals) continue;
      const sema::EvalResult r = sema::evaluate_constant(*c.expr);
      if (r.status != sema::EvalStatus::ok) continue;
      const std::string v =
          r.value.is_negative() ? std::to_string(r.value.as_signed()) : literal(r.value.bits);
      if (t->enum_decl != nullptr || t->flags_decl != nullptr)
        return fmt::format(" = {}({})", type, v);
      return " = " + v;
    }
    return "{}";
  }

  std::string order_of(std::optional<ast::ByteOrder> order) const {
    if (decl_.endian_param != nullptr && !order) return "param_" + decl_.endian_param->name;
    return order == ast::ByteOrder::little ? "lp::byte_order::little" : "lp::byte_order::big";
  }

  // The byte order of a scalar not laid out by itself (arm types, array elements).
  std::optional<ast::ByteOrder> default_order(const ast::NamedType& t) const {
    if (t.explicit_order) return t.explicit_order;
    if (decl_.endian_param != nullptr) return std::nullopt;
    return decl_.endian ? decl_.endian : module_.endian;
  }

  const char* lsb() const { return layout_.bit_order == ast::BitOrder::lsb ? "true" : "false"; }

  bool has_pseudo() const {
    for (const auto& m : decl_.members) {
      const auto* f = std::get_if<ast::Field>(&m);
      if (f != nullptr && f->checksum && f->checksum->pseudo_header) return true;
    }
    return false;
  }

  bool body_uses_start() const {
    for (const auto& m : decl_.members) {
      if (const auto* f = std::get_if<ast::Field>(&m); f && f->checksum) return true;
      if (std::holds_alternative<ast::Align>(m)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------- statements
  //
  // serialize_to()'s statements are templates written relative to the block they
  // are in; the function's body is one CodeWriter::Indented level in, each
  // nested block one more.

  // `lp::serialize_error(code, "field", at)`: at is a bit position.
  static std::string error(std::string_view code, const std::string& field, const std::string& at) {
    return fmt::format("lp::serialize_error(lp::errc::{}, \"{}\", {})", code, field, at);
  }

  // `if (condition) statement`: on one line when that fits in 100 columns, as
  // clang-format writes it, else braced over three.
  void guard(const std::string& condition, const std::string& statement) {
    code_.set("CONDITION", condition);
    code_.set("STATEMENT", statement);
    if (code_.indentation() + code_.format("if ({{CONDITION}}) {{STATEMENT}}").size() <=
        kColumnLimit) {
      code_ += "if ({{CONDITION}}) {{STATEMENT}}";
      return;
    }
    code_ +=
        "if ({{CONDITION}}) {\n"
        "  {{STATEMENT}}\n"
        "}";
  }

  // Leaving with an error found by a check. The writer keeps it unless a put
  // failed before (the first error wins, as it would have returned first).
  static std::string failure(const std::string& error_expr) {
    return fmt::format("return out.fail({}).outer(type_name);", error_expr);
  }
  void fail_if(const std::string& condition, const std::string& error_expr) {
    guard(condition, failure(error_expr));
  }

  // A put: one statement (a template); a failure stays in the writer until it is
  // checked.
  void put(std::string_view statement_template) {
    code_ += statement_template;
    unchecked_ = true;
  }
  // A put whose call is computed (put_scalar_call()).
  void put_call(const std::string& call) {
    code_.set("PUT", call);
    put("{{PUT}};");
  }

  // Before code that needs every put so far to have succeeded: a child's
  // serialize_to() (whose error gets this field's path segments), an element
  // loop (whose errors get the index), bytes read back from the writer.
  void check_writer() {
    if (!unchecked_) return;
    code_ += "if (!out) return out.outer(type_name);";
    unchecked_ = false;
  }

  // A child's serialize_to() and the path segments its error gets here.
  void put_child(const std::string& call, const std::string& path) {
    check_writer();
    guard("!" + call, "return out." + path + ";");
  }

  // A derived field an expression needs must be known by then.
  void require_known(const ast::Expr& e) {
    for (const ast::Field* f : fields_in(e)) {
      if (derived_.count(f) == 0) continue;
      fail_if("!known_" + f->name,
              error("missing_value", f->name, "at_" + f->name) + ".with_text(" +
                  cpp_string(fmt::format("needed by {} before serialize() computes it; give it",
                                         one_line(e.range.text()))) +
                  ")");
    }
  }

  // `const auto name = <checked e>;` and its overflow error at `at`.
  void checked(const std::string& name, const ast::Expr& e, const std::string& field,
               const std::string& at) {
    require_known(e);
    code_.set("CHECKED", name);
    code_.set("CHECKED_VALUE", expr_.write(e));
    code_ += "const auto {{CHECKED}} = {{CHECKED_VALUE}};";
    fail_if(fmt::format("!{}.ok()", name),
            error("overflow", field, at) + ".with_text(" + expr_text(e) + ")");
  }

  // The raw integer an unsigned scalar value is written as.
  static std::string raw(const ast::NamedType& t, const std::string& v) {
    if (t.flags_decl != nullptr) return fmt::format("static_cast<std::uint64_t>({}.raw())", v);
    if (t.enum_decl != nullptr) return fmt::format("static_cast<std::uint64_t>({})", v);
    return v;  // an unsigned integer: converts as it is
  }

  // The put of scalar `v` of type `t` in `order`, errors naming `field` (the
  // writer rejects a value that does not fit the field's bits: a u4 holding 20).
  // `number`: v is already the raw integer (array elements of enum and flags types).
  std::string put_scalar_call(const ast::NamedType& t, const std::string& v,
                              std::optional<ast::ByteOrder> order, const std::string& field,
                              bool number = false) const {
    if (t.is_float) {
      return fmt::format("out.put_float<{}>({}, {}, \"{}\")", t.bits == 32 ? "float" : "double", v,
                         order_of(order), field);
    }
    switch (t.varint) {
      case ast::VarintKind::leb128:
        return fmt::format("out.put_varint({}, \"{}\")", v, field);
      case ast::VarintKind::zigzag:
        return fmt::format("out.put_varint(lp::zigzag_encode({}), \"{}\")", v, field);
      case ast::VarintKind::quic:
        return fmt::format("out.put_quic_varint({}, \"{}\")", v, field);
      case ast::VarintKind::none:
        break;
    }
    return fmt::format("out.put_{}({}, {}, {}, {}, \"{}\")", t.is_signed ? "int" : "uint",
                       number || t.is_signed ? v : raw(t, v), t.bits, order_of(order), lsb(),
                       field);
  }
  void put_scalar(const ast::NamedType& t, const std::string& v,
                  std::optional<ast::ByteOrder> order, const std::string& field) {
    put_call(put_scalar_call(t, v, order, field));
  }

  static std::string as_bytes(const ast::BytesType& b, const std::string& v) {
    return b.kind == ast::BytesKind::bytes ? v : fmt::format("lp::bytes({})", v);
  }

  // Arguments of a parameterised child, evaluated and range-checked as parse() does.
  std::string arguments(const ast::NamedType& t, const std::string& field) {
    if (t.struct_decl == nullptr || t.arguments.empty()) return {};
    std::string out;
    for (std::size_t i = 0; i < t.arguments.size(); ++i) {
      const ast::Param& p = t.struct_decl->params[i];
      const ast::Expr& arg = *t.arguments[i];
      // A `carry` array's carried argument: the running local (emit_carry_first()).
      if (const auto* ref = std::get_if<ast::NameRef>(&arg.node); ref && ref->carried) {
        out += ", carried_" + ref->carried->field;
        continue;
      }
      const std::string var = fmt::format("arg_{}_{}", field, p.name);
      checked(var, arg, field, "out.bit_position()");
      if (p.is_endian) {
        out += fmt::format(", static_cast<lp::byte_order>({}.value())", var);
        continue;
      }
      out += ", " + fitted(p, var, arg, field, "out.bit_position()");
    }
    return out;
  }

  // The checked value `var` of `arg` as parameter `p`'s integer type, or the
  // overflow error when it does not fit (naming element `element` when given).
  std::string fitted(const ast::Param& p, const std::string& var, const ast::Expr& arg,
                     const std::string& field, const std::string& at,
                     const std::string& element = {}) {
    const auto& type = std::get<ast::NamedType>(p.type->node);
    const sema::ValueRange r = sema::value_range(type);
    if (type.bits < 64) {
      const std::string cond = sema::is_signed_expression(arg)
                                   ? fmt::format("{0}.value() < {1} || {0}.value() > {2}", var,
                                                 r.min.as_signed(), r.max.as_signed())
                                   : fmt::format("{}.value() > {}", var, literal(r.max.bits));
      const std::string failed =
          error("overflow", field, at) + ".with_text(" + expr_text(arg) + ")";
      if (element.empty()) {
        fail_if(cond, failed);
      } else {
        guard(cond, fmt::format("return out.fail({}).outer_element(\"{}\", {}, type_name);", failed,
                                field, element));
      }
    }
    return fmt::format("static_cast<{}>({}.value())", int_type(type.bits, type.is_signed), var);
  }

  // `carry (prev = initial, next)`: the running local `carried_<field>`, the
  // first element's argument.
  void emit_carry_first(const ast::CarryClause& carry, const std::string& field) {
    const std::string var = "carry_first_" + field;
    checked(var, *carry.initial, field, "out.bit_position()");
    const std::string value =
        fitted(*carry.param, var, *carry.initial, field, "out.bit_position()");
    code_.set("PARAM_TYPE", param_type(*carry.param));
    code_.set("FIELD", field);
    code_.set("CARRIED", value);
    code_ += "{{PARAM_TYPE}} carried_{{FIELD}} = {{CARRIED}};";
  }
  // After element i: the next element's carried value, computed as parse() does,
  // over the element's bytes as parse() reads them (written again into scratch
  // memory when only counting, as serialized_size() does).
  void emit_carry_next(const ast::CarryClause& carry, const ast::NamedType& elem,
                       const std::string& field, const std::string& args,
                       const std::string& elements) {
    code_.set("ELEMENTS", elements);
    code_.set("CARRY", carry.name);
    code_ += "if (i + 1 != {{ELEMENTS}}.size()) {  // the next element's '{{CARRY}}'";
    {
      const CodeWriter::Indented next(code_, 2);
      code_ +=
          "std::unique_ptr<std::byte[]> scratch;  // when counting: the element, written again\n"
          "lp::bytes element_bytes = lp::bytes(out.written()).drop_first(element_start / 8);\n"
          "if (out.counting()) {";
      {
        const CodeWriter::Indented counting(code_, 2);
        code_ +=
            "const std::size_t element_size = (out.bit_position() - element_start) / 8;\n"
            "scratch.reset(new (std::nothrow) std::byte[element_size]);";
        fail_if("scratch == nullptr", error("limit_exceeded", field, "element_start") +
                                          ".with_text(\"no memory to re-read the element\")");
        code_ += "lp::Writer again(lp::mut_bytes(scratch.get(), element_size));";
        guard(fmt::format("!{}::serialize_to(again, {}[i]{}, nullptr)",
                          struct_ref(*elem.struct_decl, ""), elements, args),
              fmt::format("return out.fail(again.error()).outer_element(\"{}\", i, type_name);",
                          field));
        code_ += "element_bytes = lp::bytes(again.written());";
      }
      code_.set("ELEMENT_VIEW", struct_ref(*elem.struct_decl, "View"));
      code_.set("ARGS", args);
      code_ +=
          "}\n"
          "const lp::Result<{{ELEMENT_VIEW}}> element = {{ELEMENT_VIEW}}::parse(element_bytes"
          "{{ARGS}}, lp::ParseOptions::unlimited());";
      guard("!element",
            fmt::format("return out.fail(element.error()).outer_element(\"{}\", i, type_name);",
                        field));
      const std::string var = "next_" + field;
      code_.set("NEXT", var);
      code_.set("NEXT_VALUE", expr_.write(*carry.next));
      code_ +=
          "const auto& it = *element;\n"
          "const auto {{NEXT}} = {{NEXT_VALUE}};";
      guard(fmt::format("!{}.ok()", var),
            fmt::format(
                "return out.fail({}.with_text({})).outer_element(\"{}\", i + 1, type_name);",
                error("overflow", field, "out.bit_position()"), expr_text(*carry.next), field));
      const std::string value =
          fitted(*carry.param, var, *carry.next, field, "out.bit_position()", "i + 1");
      code_.set("FIELD", field);
      code_.set("CARRIED", value);
      code_ += "carried_{{FIELD}} = {{CARRIED}};";
    }
    code_ += "}";
  }

  // After a member whose size `size` (a C++ expression, std::uint64_t) one of
  // `exprs` describes: solves for the derived fields still unknown, then checks
  // that the expression, now known, says what was written.
  void settle(const ast::Expr& e, const std::string& size, const std::string& field,
              const std::string& at) {
    const std::set<const ast::Field*> names = fields_in(e);
    for (const ast::Field* x : names) {
      if (derived_.count(x) == 0 || !invertible(e, *x)) continue;
      std::string others;
      for (const ast::Field* y : names) {
        if (y != x && derived_.count(y) != 0) others += " && known_" + y->name;
      }
      code_.set("X", x->name);
      code_.set("OTHERS", others);
      code_.set("SIZE_TEXT", one_line(e.range.text()));
      code_.set("SIZE", size);
      code_ +=
          "if (!known_{{X}}{{OTHERS}}) {  // {{X}} from {{SIZE_TEXT}}\n"
          "  const lp::cu64 target_{{X}}{{{SIZE}}};";
      {
        const CodeWriter::Indented solving(code_, 2);
        solving_text_ = expr_text(e);
        solving_size_ = "target_" + x->name;
        solve(e, *x, "target_" + x->name, 0);
      }
      code_ += "}";
    }
    // Known now (or given): must agree with what was written.
    std::string known;
    for (const ast::Field* y : names) {
      if (derived_.count(y) != 0) known += "known_" + y->name + " && ";
    }
    const std::string test = fmt::format(
        "const auto described = {}; {}", expr_.write(e),
        known.empty() ? fmt::format("!described.ok() || described.value() != {}", size)
                      : fmt::format("{}(!described.ok() || described.value() != {})", known, size));
    fail_if(test, error("bad_length", field, at) + ".with_text(" + expr_text(e) + ").with_actual(" +
                      size + ")");
  }

  // Emits statements that set x from `e` == `target` (a checked expression).
  void solve(const ast::Expr& e, const ast::Field& x, const std::string& target, int step) {
    if (std::holds_alternative<ast::NameRef>(e.node)) {
      const auto& t = std::get<ast::NamedType>(x.type->node);
      const sema::ValueRange r = sema::value_range(t);
      fail_if(fmt::format("!{0}.ok() || {0}.value() > {1}", target, literal(r.max.bits)),
              error("overflow", x.name, "at_" + x.name) + ".with_text(" + solving_text_ +
                  ").with_actual(" + solving_size_ + ".value())");
      code_.set("X", x.name);
      code_.set("TARGET", target);
      code_.set("BITS", std::to_string(t.bits));
      code_.set("ORDER", order_of(layout_.find(x)->byte_order));
      code_.set("LSB", lsb());
      code_ +=
          "f_{{X}} = {{TARGET}}.value();\n"
          "known_{{X}} = true;\n"
          "out.patch_uint(at_{{X}}, f_{{X}}, {{BITS}}, {{ORDER}}, {{LSB}});";
      return;
    }
    const std::string next = fmt::format("{}_{}", target, step);
    if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
      const bool left = occurrences(*b->lhs, x) != 0;
      const ast::Expr& other = left ? *b->rhs : *b->lhs;
      const ast::Expr& inner = left ? *b->lhs : *b->rhs;
      require_known(other);
      code_.set("NEXT", next);
      code_.set("TARGET", target);
      code_.set("OTHER", expr_.write(other));
      switch (b->op) {
        case ast::BinaryOp::add:
          code_ += "const lp::cu64 {{NEXT}} = {{TARGET}} - {{OTHER}};";
          break;
        case ast::BinaryOp::sub:
          code_ += left ? "const lp::cu64 {{NEXT}} = {{TARGET}} + {{OTHER}};"
                        : "const lp::cu64 {{NEXT}} = {{OTHER}} - {{TARGET}};";
          break;
        default: {  // mul: exact division only
          code_ += "const lp::cu64 factor_{{NEXT}} = {{OTHER}};";
          fail_if(fmt::format("!{0}.ok() || !factor_{1}.ok() || factor_{1}.value() == 0 || "
                              "{0}.value() % factor_{1}.value() != 0",
                              target, next),
                  error("bad_length", x.name, "at_" + x.name) + ".with_text(" + solving_text_ +
                      ").with_actual(" + solving_size_ + ".value())");
          code_.set("NEXT", next);
          code_.set("TARGET", target);
          code_ += "const lp::cu64 {{NEXT}} = {{TARGET}} / factor_{{NEXT}};";
          break;
        }
      }
      solve(inner, x, next, step + 1);
      return;
    }
    const auto& c = std::get<ast::Conditional>(e.node);
    const bool in_true = occurrences(*c.if_true, x) != 0;
    checked("condition_" + next, *c.condition, x.name, "at_" + x.name);
    code_.set("NEXT", next);
    code_.set("TAKEN", in_true ? "!=" : "==");
    code_ += "if (condition_{{NEXT}}.value() {{TAKEN}} 0) {";
    {
      const CodeWriter::Indented branch(code_, 2);
      solve(in_true ? *c.if_true : *c.if_false, x, target, step + 1);
    }
    code_ += "}";
  }

  // ---------------------------------------------------------- members

  void emit_member(const MemberLayout& m) {
    if (m.kind == MemberKind::let) {
      const auto& let = std::get<ast::Let>(*m.member);
      if (used_lets_.count(&let) == 0) return;  // read only by accessors (parse() computes it)
      code_.set("LET_TEXT", one_line(let.range.text()));
      code_ += "// {{LET_TEXT}}";
      checked("value_" + let.name, *let.value, let.name, "out.bit_position()");
      code_.set("LET", let.name);
      code_.set("LET_TYPE", let.is_signed ? "std::int64_t" : "std::uint64_t");
      code_ += let.is_endian ? "const lp::byte_order let_{{LET}} = "
                               "static_cast<lp::byte_order>(value_{{LET}}.value());"
                             : "const {{LET_TYPE}} let_{{LET}} = value_{{LET}}.value();";
      return;
    }
    if (m.kind == MemberKind::align) {
      const auto& align = std::get<ast::Align>(*m.member);
      code_.set("ALIGN_TEXT", one_line(align.range.text()));
      code_.set("MULTIPLE", literal(align.resolved));
      code_ += "// {{ALIGN_TEXT}}";
      put("out.put_zeros(({{MULTIPLE}} - (out.bit_position() - start) / 8 % {{MULTIPLE}}) % "
          "{{MULTIPLE}}, \"align\");");
      return;
    }
    if (m.kind == MemberKind::pad) {
      const auto& pad = std::get<ast::Pad>(*m.member);
      code_.set("PAD_TEXT", one_line(pad.range.text()));
      code_ += "// {{PAD_TEXT}}";
      checked("pad_size", *pad.size, "pad", "out.bit_position()");
      put("out.put_zeros(pad_size.value(), \"pad\");");
      return;
    }
    const ast::Field& f = *m.field;
    code_.set("COMMENT", schema_comment(f.range));
    code_ += "{{COMMENT}}";
    if (f.name == "_") {
      emit_anonymous(m);
      return;
    }
    const bool derived = derived_.count(&f) != 0;
    const bool keeps_local = used_.count(&f) != 0 || derived;
    const auto* named = std::get_if<ast::NamedType>(&f.type->node);
    const bool scalar = named != nullptr && named->struct_decl == nullptr;
    // The locals later expressions read: declared where the field is written, or
    // before the `if` of an optional field (0, and known, when it is absent).
    const std::string local_type = scalar && named->is_signed ? "std::int64_t " : "std::uint64_t ";
    code_.set("NAME", f.name);
    if (derived || f.checksum) code_ += "const std::size_t at_{{NAME}} = out.bit_position();";
    if (!f.condition) {
      emit_field(m, "value." + f.name, scalar && keeps_local, derived, local_type);
      return;
    }
    emit_optional_field(m, scalar && keeps_local, derived, local_type);
  }

  // A field with a condition: given exactly when the condition holds.
  void emit_optional_field(const MemberLayout& m, bool keeps_local, bool derived,
                           const std::string& local_type) {
    const ast::Field& f = *m.field;
    code_.set("NAME", f.name);
    code_.set("LOCAL_TYPE", local_type);
    if (keeps_local) code_ += "{{LOCAL_TYPE}}f_{{NAME}} = 0;";
    if (derived) code_ += "bool known_{{NAME}} = true;  // false until computed";
    checked("present_" + f.name, *f.condition, f.name, "out.bit_position()");
    const bool unchecked_before = unchecked_;
    code_.set("NAME", f.name);
    code_ += "if (present_{{NAME}}.value() != 0) {";
    {
      const CodeWriter::Indented present(code_, 2);
      if (!derived && !f.checksum) {
        fail_if("!value." + f.name,
                error("missing_value", f.name, "out.bit_position()") + ".with_text(" +
                    cpp_string("present because " + one_line(f.condition->range.text())) + ")");
      }
      emit_field(m, "*value." + f.name, keeps_local, derived, "");
    }
    code_.set("NAME", f.name);
    code_.set("FAILURE", failure(error("bad_value", f.name, "out.bit_position()") + ".with_text(" +
                                 cpp_string("given, but absent because of " +
                                            one_line(f.condition->range.text())) +
                                 ")"));
    code_ +=
        "} else if (value.{{NAME}}) {\n"
        "  {{FAILURE}}\n"
        "}";
    unchecked_ = unchecked_ || unchecked_before;
  }

  // A present field: `v` is its value expression (a std::optional for derived
  // fields and checksums). `declare`: the type its locals are declared with
  // here ("" when they were declared before).
  void emit_field(const MemberLayout& m, const std::string& v, bool keeps_local, bool derived,
                  const std::string& declare) {
    const ast::Field& f = *m.field;
    code_.set("NAME", f.name);
    code_.set("DECLARE", declare);
    if (derived || f.checksum) {
      const auto& t = std::get<ast::NamedType>(f.type->node);
      const std::string given = v.starts_with("*") ? v.substr(1) : v;
      const std::string plain = fmt::format("{}.value_or(0)", given);
      code_.set("GIVEN", given);
      code_.set("PLAIN", plain);
      if (derived) {
        code_ += declare.empty() ? "known_{{NAME}} = {{GIVEN}}.has_value();"
                                 : "bool known_{{NAME}} = {{GIVEN}}.has_value();  // false until "
                                   "computed";
      }
      if (keeps_local) code_ += "{{DECLARE}}f_{{NAME}} = {{PLAIN}};";
      put_scalar(t, keeps_local ? "f_" + f.name : plain, m.byte_order, f.name);
      return;
    }
    if (const auto* sw = std::get_if<ast::SwitchType>(&f.type->node)) {
      emit_switch(m, *sw);
      return;
    }
    if (const auto* t = std::get_if<ast::NamedType>(&f.type->node)) {
      if (t->struct_decl != nullptr) {
        const std::string args = arguments(*t, f.name);
        put_child(
            fmt::format("{}::serialize_to(out, {}{})", struct_ref(*t->struct_decl, ""), v, args),
            fmt::format("outer(\"{}\", type_name)", f.name));
        return;
      }
      if (keeps_local) {
        code_.set("LOCAL_VALUE",
                  t->is_signed ? fmt::format("static_cast<std::int64_t>({})", v) : raw(*t, v));
        code_ += "{{DECLARE}}f_{{NAME}} = {{LOCAL_VALUE}};";
      }
      put_scalar(*t, v, m.byte_order, f.name);
      return;
    }
    emit_sequence(*f.type, v, f.name, m.byte_order,
                  padded_array(f) != nullptr ? "value." + f.name + "_padding" : "");
  }

  // A cstring's text holds no NUL (parse() would end it there).
  void reject_nul(const std::string& v, const std::string& field) {
    fail_if(fmt::format("{}.find('\\0') != std::string_view::npos", v),
            error("bad_value", field, "out.bit_position()") +
                ".with_text(\"a cstring holds no NUL byte\")");
  }

  // `cstring[n]`: the text, then zeros up to n bytes (none when the text fills
  // them: parse() reads such a field as all of its bytes).
  void emit_padded_cstring(const ast::BytesType& b, const std::string& v,
                           const std::string& field) {
    const std::string n = "padded_size_" + field;
    checked(n, *b.count, field, "out.bit_position()");
    reject_nul(v, field);
    fail_if(fmt::format("{}.size() > {}.value()", v, n),
            error("bad_length", field, "out.bit_position()") +
                fmt::format(".with_text({}).with_actual({}.size())", expr_text(*b.count), v));
    code_.set("BYTES", as_bytes(b, v));
    code_.set("TEXT", v);
    code_.set("PADDED_SIZE", n);
    code_.set("FIELD", field);
    put("out.put_bytes({{BYTES}}, \"{{FIELD}}\");");
    put("out.put_zeros({{PADDED_SIZE}}.value() - {{TEXT}}.size(), \"{{FIELD}}\");");
  }

  // bytes, strings and arrays (fields or switch arms) of value `v`; `padding`:
  // the bytes an `until ... size(n)` array keeps after its terminator. `start`
  // names the local holding the sequence's first bit: a switch arm's sequence
  // sits in a block inside the switch, whose own start_<field> it must not shadow.
  void emit_sequence(const ast::TypeExpr& type, const std::string& given, const std::string& field,
                     std::optional<ast::ByteOrder> order, const std::string& padding = "",
                     const std::string& start_name = "") {
    const std::string v = given.starts_with("*") ? "(" + given + ")" : given;
    const std::string start = start_name.empty() ? "start_" + field : start_name;
    code_.set("START", start);
    code_.set("FIELD", field);
    if (const auto* b = std::get_if<ast::BytesType>(&type.node)) {
      if (b->kind == ast::BytesKind::cstring && b->count) {
        emit_padded_cstring(*b, v, field);
        return;
      }
      if (b->kind == ast::BytesKind::cstring) {
        reject_nul(v, field);
        code_.set("BYTES", as_bytes(*b, v));
        code_.set("FIELD", field);
        put("out.put_bytes({{BYTES}}, \"{{FIELD}}\");");
        put("out.put_zeros(1, \"{{FIELD}}\");");
        return;
      }
      code_.set("BYTES", as_bytes(*b, v));
      if (b->count) code_ += "const std::size_t {{START}} = out.bit_position();";
      put("out.put_bytes({{BYTES}}, \"{{FIELD}}\");");
      if (b->count) {
        settle(*b->count, fmt::format("std::uint64_t{{{}.size()}}", v), field, start);
      }
      return;
    }
    const auto& a = std::get<ast::ArrayType>(type.node);
    const auto& elem = std::get<ast::NamedType>(a.element->node);
    const std::string& elements = v;  // a member of the value, read in place
    if (a.byte_size || (a.count && !constant_count(a)))
      code_ += "const std::size_t {{START}} = out.bit_position();";
    if (a.carry) emit_carry_first(*a.carry, field);
    const std::string args = arguments(elem, field);
    // Each element is checked, for its index in the error's path.
    check_writer();
    code_.set("ELEMENTS", elements);
    code_ += "for (std::size_t i = 0; i < {{ELEMENTS}}.size(); ++i) {";
    {
      const CodeWriter::Indented element(code_, 2);
      emit_element(a, elem, field, order, args, elements);
    }
    code_ += "}";
    const std::string written =
        fmt::format("std::uint64_t{{(out.bit_position() - {}) / 8}}", start);
    if (a.count) {
      if (!constant_count(a))
        settle(*a.count, fmt::format("std::uint64_t{{{}.size()}}", elements), field, start);
    } else if (a.byte_size) {
      if (a.until) pad_until_region(a, field, padding, start);
      settle(*a.byte_size, written, field, start);
    }
  }

  // The body of an array's loop: element i, then what an `until` or `carry` checks.
  void emit_element(const ast::ArrayType& a, const ast::NamedType& elem, const std::string& field,
                    std::optional<ast::ByteOrder> order, const std::string& args,
                    const std::string& elements) {
    if (a.until || a.carry) code_ += "const std::size_t element_start = out.bit_position();";
    const std::string element_error =
        fmt::format("return out.outer_element(\"{}\", i, type_name);", field);
    if (elem.struct_decl != nullptr) {
      guard(fmt::format("!{}::serialize_to(out, {}[i]{})", struct_ref(*elem.struct_decl, ""),
                        elements, args),
            element_error);
    } else {
      guard("!" + put_scalar_call(elem, elements + "[i]",
                                  elem.explicit_order ? elem.explicit_order : order, field,
                                  /*number=*/true),
            element_error);
    }
    if (a.until) emit_until(a, elem, field, args, elements);
    if (a.carry) emit_carry_next(*a.carry, elem, field, args, elements);
  }

  // `T[] until (c) size(n)`: parse() allows padding after the terminator, so a
  // region n says is longer than the elements is filled with zeros.
  void pad_until_region(const ast::ArrayType& a, const std::string& field,
                        const std::string& padding, const std::string& start) {
    code_.set("FIELD", field);
    if (!padding.empty()) {
      code_.set("PADDING", padding);
      put("out.put_bytes({{PADDING}}, \"{{FIELD}}\");");
    }
    const std::set<const ast::Field*> names = fields_in(*a.byte_size);
    std::string known;
    for (const ast::Field* y : names) {
      if (derived_.count(y) != 0) known += " && known_" + y->name;
    }
    code_.set("REGION", expr_.write(*a.byte_size));
    code_.set("KNOWN", known);
    code_.set("START", start);
    code_ +=
        "if (const auto region = {{REGION}}; region.ok(){{KNOWN}}) {\n"
        "  const std::uint64_t used = (out.bit_position() - {{START}}) / 8;";
    {
      const CodeWriter::Indented region(code_, 2);
      guard("region.value() > used",
            fmt::format("out.put_zeros(region.value() - used, \"{}\");", field));
    }
    unchecked_ = true;
    code_ += "}";
  }

  // parse() ends an `until` array at the first element the condition holds for:
  // an earlier one would end it before the value's last element.
  void emit_until(const ast::ArrayType& a, const ast::NamedType& elem, const std::string& field,
                  const std::string& args, const std::string& elements) {
    if (elem.struct_decl != nullptr) {
      code_.set("ELEMENT_VIEW", struct_ref(*elem.struct_decl, "View"));
      code_.set("ARGS", args);
      code_ +=
          "if (!out.counting()) {  // the element as parse() reads it\n"
          "  const lp::Result<{{ELEMENT_VIEW}}> element = {{ELEMENT_VIEW}}::parse(lp::bytes("
          "out.written()).drop_first(element_start / 8){{ARGS}}, lp::ParseOptions::unlimited());";
    } else {
      code_ += "{";
    }
    {
      const CodeWriter::Indented element(code_, 2);
      if (elem.struct_decl != nullptr) {
        guard("!element",
              fmt::format("return out.fail(element.error()).outer_element(\"{}\", i, type_name);",
                          field));
        code_ += "const auto& it = *element;";
      } else {
        code_.set("ELEMENTS", elements);
        code_ += "const auto it = {{ELEMENTS}}[i];";
      }
      code_.set("ENDS", expr_.write(*a.until));
      code_ += "const auto ends = {{ENDS}};";
      guard(fmt::format("ends.ok() && ends.value() != 0 && i + 1 != {}.size()", elements),
            fmt::format("return out.fail({}.with_text({})).outer_element(\"{}\", i, type_name);",
                        error("bad_value", field, "element_start"),
                        cpp_string("ends the array before the last element: until (" +
                                   one_line(a.until->range.text()) + ")"),
                        field));
    }
    code_ += "}";
  }

  void emit_switch(const MemberLayout& m, const ast::SwitchType& sw) {
    const ast::Field& f = *m.field;
    const std::string tag = "tag_" + f.name;
    // Arms that write a child need the writer checked: once here rather than in each.
    if (std::any_of(sw.arms.begin(), sw.arms.end(), [](const ast::SwitchArm& arm) {
          const auto* t = std::get_if<ast::NamedType>(&arm.type->node);
          return !arm.indirect && t != nullptr && t->struct_decl != nullptr;
        })) {
      check_writer();
    }
    checked(tag, *sw.tag, f.name, "out.bit_position()");
    code_.set("NAME", f.name);
    code_ += "const std::size_t start_{{NAME}} = out.bit_position();";
    std::string given;
    for (const auto& arm : sw.arms) {
      given += fmt::format("{}int{{value.{}_{}.has_value()}}", given.empty() ? "" : " + ", f.name,
                           arm.name);
    }
    fail_if(given + " > 1", error("bad_value", f.name, "start_" + f.name) +
                                ".with_text(\"more than one arm given\")");
    const bool is_signed = sema::is_signed_expression(*sw.tag);
    // After the switch, a put may be unchecked if one was before it or at the end of any arm.
    const bool unchecked_before = unchecked_;
    bool unchecked_after = unchecked_before;
    bool first = true;
    const ast::SwitchArm* default_arm = nullptr;
    for (const auto& arm : sw.arms) {
      if (arm.is_default) {
        default_arm = &arm;
        continue;
      }
      std::string cond;
      for (const auto& c : arm.cases) {
        cond += fmt::format("{}{}.value() == {}.value()", cond.empty() ? "" : " || ", tag,
                            expr_.write(*c, is_signed));
      }
      code_.set("CASES", cond);
      code_ += first ? "if ({{CASES}}) {" : "} else if ({{CASES}}) {";
      first = false;
      const CodeWriter::Indented branch(code_, 2);
      unchecked_ = unchecked_before;
      emit_arm(f, arm, /*in_branch=*/true);
      unchecked_after = unchecked_after || unchecked_;
    }
    if (!first) code_ += "} else {";
    {
      const CodeWriter::Indented otherwise(code_, first ? 0 : 2);
      if (default_arm != nullptr) {
        unchecked_ = unchecked_before;
        emit_arm(f, *default_arm, /*in_branch=*/!first);
        unchecked_after = unchecked_after || unchecked_;
      } else {
        code_.set("FAILURE", failure(error("bad_value", f.name, "start_" + f.name) + ".with_text(" +
                                     expr_text(*sw.tag) + ").with_actual" +
                                     (is_signed ? "_signed" : "") + "(" + tag + ".value())"));
        code_ += "{{FAILURE}}";
      }
    }
    unchecked_ = unchecked_after;
    if (!first) code_ += "}";
    if (sw.byte_size) {
      settle(*sw.byte_size,
             fmt::format("std::uint64_t{{(out.bit_position() - start_{}) / 8}}", f.name), f.name,
             "start_" + f.name);
    }
  }

  // `in_branch`: inside the `if` of its tag, a scope of its own; the only arm
  // of a switch is not, and gets a block for the locals of its sequence.
  void emit_arm(const ast::Field& f, const ast::SwitchArm& arm, bool in_branch) {
    const std::string member = fmt::format("value.{}_{}", f.name, arm.name);
    fail_if("!" + member, error("missing_value", f.name, "start_" + f.name) + ".with_text(" +
                              cpp_string(fmt::format("the tag selects arm '{}'", arm.name)) + ")");
    const std::string v = "*" + member;
    if (arm.indirect) {
      code_.set("ARM_BYTES", v);
      code_.set("FIELD", f.name);
      put("out.put_bytes({{ARM_BYTES}}, \"{{FIELD}}\");");
      return;
    }
    if (const auto* t = std::get_if<ast::NamedType>(&arm.type->node)) {
      if (t->struct_decl != nullptr) {
        const std::string args = arguments(*t, f.name);
        put_child(
            fmt::format("{}::serialize_to(out, {}{})", struct_ref(*t->struct_decl, ""), v, args),
            fmt::format("outer(\"{}\", type_name)", f.name));
      } else {
        put_scalar(*t, v, default_order(*t), f.name);
      }
      return;
    }
    const auto* a = std::get_if<ast::ArrayType>(&arm.type->node);
    const std::optional<ast::ByteOrder> order =
        a != nullptr ? default_order(std::get<ast::NamedType>(a->element->node)) : std::nullopt;
    if (!in_branch) code_ += "{";
    {
      const CodeWriter::Indented block(code_, in_branch ? 0 : 2);
      emit_sequence(*arm.type, v, f.name, order, "", "arm_start");
    }
    if (!in_branch) code_ += "}";
  }

  // `_` fields: zeros of their size (the value has no member for them).
  void emit_anonymous(const MemberLayout& m) {
    const ast::Field& f = *m.field;
    // Errors name it as parse() does (`_#3`, the plan's path name).
    const std::string& name =
        plan_.path_names[static_cast<std::size_t>(&m - layout_.members.data())];
    code_.set("FIELD", name);
    if (const auto* b = std::get_if<ast::BytesType>(&f.type->node)) {
      if (!b->count) return;  // `_: bytes[]`: nothing
      checked("unnamed_size", *b->count, name, "out.bit_position()");
      code_.set("FIELD", name);
      put("out.put_zeros(unnamed_size.value(), \"{{FIELD}}\");");
      return;
    }
    if (const auto* t = std::get_if<ast::NamedType>(&f.type->node);
        t && t->struct_decl == nullptr) {
      code_.set("BITS", std::to_string(t->bits));
      code_.set("ORDER", order_of(m.byte_order));
      code_.set("LSB", lsb());
      put("out.put_uint(0, {{BITS}}, {{ORDER}}, {{LSB}}, \"{{FIELD}}\");");
      return;
    }
    const std::optional<std::uint64_t> bits = sema::fixed_size_bits(*f.type);
    code_.set("BYTES", std::to_string(bits.value_or(0) / 8));
    put("out.put_zeros({{BYTES}}, \"{{FIELD}}\");");
  }

  // A derived field nothing after it determined (the arm that measures it was
  // not taken) must have been given.
  void emit_undetermined() {
    for (const MemberLayout& m : layout_.members) {
      if (m.field == nullptr || derived_.count(m.field) == 0) continue;
      fail_if("!known_" + m.field->name,
              error("missing_value", m.field->name, "at_" + m.field->name) +
                  ".with_text(\"empty, and nothing written after it determines it\")");
    }
  }

  void emit_checksums() {
    const bool any =
        std::any_of(layout_.members.begin(), layout_.members.end(),
                    [](const MemberLayout& m) { return m.field && m.field->checksum; });
    if (any) check_writer();  // the sums read the bytes written
    for (const MemberLayout& m : layout_.members) {
      if (m.field != nullptr && m.field->checksum) emit_checksum(m);
    }
  }

  // A checksum the value leaves empty: computed over the bytes written, unless
  // only counting them.
  void emit_checksum(const MemberLayout& m) {
    const ast::Field& f = *m.field;
    const ast::ChecksumSpec& spec = *f.checksum;
    code_.set("NAME", f.name);
    code_.set("CHECKSUM_TEXT", one_line(spec.range.text()));
    code_ +=
        "// {{NAME}}: {{CHECKSUM_TEXT}}\n"
        "if (!value.{{NAME}}) {";
    {
      const CodeWriter::Indented empty(code_, 2);
      if (spec.pseudo_header) {
        // Measuring needs no pseudo header: the sum's length field wants the size.
        fail_if("pseudo_header == nullptr && !out.counting()",
                error("missing_value", f.name, "at_" + f.name) +
                    ".with_text(\"a pseudo-header checksum: pass the pseudo header to "
                    "serialize() or give the value\")");
      }
      std::string covered = "self.size()";
      if (spec.length) {
        checked("covered", *spec.length, f.name, "at_" + f.name);
        covered = "covered.value()";
      }
      code_.set("NAME", f.name);
      code_ +=
          "if (!out.counting()) {\n"
          "  const lp::bytes self = lp::bytes(out.written()).drop_first(start / 8);\n"
          "  const std::size_t field_at = (at_{{NAME}} - start) / 8;";
      {
        const CodeWriter::Indented writing(code_, 2);
        if (spec.length) {  // the covered bytes hold the field's own two
          fail_if(fmt::format("{0} < field_at + 2 || {0} > self.size()", covered),
                  error("bad_length", f.name, "at_" + f.name) + ".with_text(" +
                      expr_text(*spec.length) + ").with_actual(" + covered + ")");
        }
        code_.set("NAME", f.name);
        code_.set("PSEUDO_SUM", spec.pseudo_header ? "*pseudo_header" : "lp::InternetChecksum()");
        code_.set("COVERED", covered);
        code_.set("ORDER", order_of(m.byte_order));
        code_.set("LSB", lsb());
        code_ +=
            "std::uint16_t sum = lp::internet_checksum_over({{PSEUDO_SUM}}, "
            "self.first({{COVERED}}), field_at);";
        if (spec.zero_means_none) code_ += "if (sum == 0) sum = 0xffff;  // 0 would mean \"none\"";
        code_ += "out.patch_uint(at_{{NAME}}, sum, 16, {{ORDER}}, {{LSB}});";
      }
      code_ += "}";
    }
    code_ += "}";
  }

  // ---------------------------------------------------------- FooValue and to_value()

  // One named field's members in FooValue: its schema line, then its value (one
  // per arm for a switch).
  void value_member(const ast::Field& f) {
    code_.set("COMMENT", schema_comment(f.range));
    code_ += "{{COMMENT}}";
    code_.set("NAME", f.name);
    if (const auto* sw = std::get_if<ast::SwitchType>(&f.type->node)) {
      for (const auto& arm : sw->arms) {
        code_.set("VALUE_TYPE", value_type(*arm.type, arm.indirect));
        code_.set("ARM", arm.name);
        code_.set("NOTE", arm.indirect ? "  // the inner message's bytes (a recursive arm)" : "");
        code_ += "std::optional<{{VALUE_TYPE}}> {{NAME}}_{{ARM}};{{NOTE}}";
      }
      return;
    }
    const std::string type = value_type(*f.type, false);
    code_.set("VALUE_TYPE", type);
    if (f.condition || derived_.count(&f) != 0 || f.checksum) {
      const bool computed = f.checksum || derived_.count(&f) != 0;
      code_.set("NOTE", computed ? "  // computed when empty" : "");
      code_ += "std::optional<{{VALUE_TYPE}}> {{NAME}};{{NOTE}}";
    } else {
      code_.set("DEFAULT", default_value(f, type));
      code_ += "{{VALUE_TYPE}} {{NAME}}{{DEFAULT}};";
    }
    if (padded_array(f) != nullptr) {
      code_ +=
          "lp::bytes {{NAME}}_padding{};  // after the terminator, up to the size (zeros if "
          "empty)";
    }
  }

  void emit_to_value(const std::string& storage) {
    code_.set("STORAGE", storage);
    code_.set("TYPE", decl_.name);
    code_ +=
        "{{STORAGE}}{{TYPE}}Value {{TYPE}}::to_value(const {{TYPE}}View& view) {\n"
        "  {{TYPE}}Value value;";
    if (!has_named_field()) code_ += "  (void)view;  // no named field: nothing to copy";
    {
      const CodeWriter::Indented body(code_, 2);
      for (const MemberLayout& m : layout_.members) {
        if (m.field != nullptr && m.field->name != "_") copy_to_value(*m.field);
      }
    }
    code_ +=
        "  return value;\n"
        "}\n";
  }

  // `value.<field> = ...` from the view's accessor.
  void copy_to_value(const ast::Field& f) {
    code_.set("NAME", f.name);
    if (const auto* sw = std::get_if<ast::SwitchType>(&f.type->node)) {
      for (const auto& arm : sw->arms) {
        const std::string target = fmt::format("value.{}_{}", f.name, arm.name);
        code_.set("NAME", f.name);
        code_.set("ARM", arm.name);
        if (arm.indirect) {
          code_.set("TYPE", decl_.name);
          code_.set("ARM_KIND", camel(f.name) + "Arm");
          code_ +=
              "if (view.{{NAME}}_arm() == {{TYPE}}View::{{ARM_KIND}}::{{ARM}}) "
              "value.{{NAME}}_{{ARM}} = view.{{NAME}}_bytes();";
          continue;
        }
        code_ += "if (const auto arm = view.{{NAME}}_{{ARM}}()) {";
        {
          const CodeWriter::Indented present(code_, 2);
          convert(*arm.type, "(*arm)", target, true);
        }
        code_ += "}";
      }
      return;
    }
    const auto* named = std::get_if<ast::NamedType>(&f.type->node);
    const bool scalar_like = std::holds_alternative<ast::BytesType>(f.type->node) ||
                             (named != nullptr && named->struct_decl == nullptr);
    if (scalar_like) {
      code_ += "value.{{NAME}} = view.{{NAME}}();";
    } else if (f.condition) {
      code_ += "if (const auto present = view.{{NAME}}()) {";
      {
        const CodeWriter::Indented present(code_, 2);
        convert(*f.type, "(*present)", "value." + f.name, true);
      }
      code_ += "}";
    } else if (const ast::ArrayType* a = padded_array(f)) {
      const auto& elem = std::get<ast::NamedType>(a->element->node);
      code_.set("EACH", elem.struct_decl != nullptr ? fmt::format("{}::to_value(element)",
                                                                  struct_ref(*elem.struct_decl, ""))
                                                    : std::string("element"));
      code_.set("ELEMENT_SIZE", elem.struct_decl != nullptr ? std::string("element.size()")
                                                            : std::to_string(elem.bits / 8));
      code_ +=
          "{\n"
          "  std::size_t used = 0;  // the elements; the rest of {{NAME}}_bytes() is padding\n"
          "  for (const auto& element : view.{{NAME}}()) {\n"
          "    value.{{NAME}}.push_back({{EACH}});\n"
          "    used += {{ELEMENT_SIZE}};\n"
          "  }\n"
          "  value.{{NAME}}_padding = view.{{NAME}}_bytes().drop_first(used);\n"
          "}";
    } else {
      convert(*f.type, fmt::format("view.{}()", f.name), "value." + f.name, false);
    }
  }

  // `target = <value of view expression v>`; `optional_target`: target is a
  // std::optional (a switch arm, an optional field).
  void convert(const ast::TypeExpr& t, const std::string& v, const std::string& target,
               bool optional_target) {
    code_.set("TARGET", target);
    code_.set("FROM", v);
    if (const auto* n = std::get_if<ast::NamedType>(&t.node)) {
      if (n->struct_decl != nullptr) {
        code_.set("CHILD", struct_ref(*n->struct_decl, ""));
        code_ += "{{TARGET}} = {{CHILD}}::to_value({{FROM}});";
        return;
      }
      code_ += "{{TARGET}} = {{FROM}};";
      return;
    }
    if (std::holds_alternative<ast::BytesType>(t.node)) {
      code_ += "{{TARGET}} = {{FROM}};";
      return;
    }
    const auto& a = std::get<ast::ArrayType>(t.node);
    const auto& elem = std::get<ast::NamedType>(a.element->node);
    code_.set("EACH", elem.struct_decl != nullptr
                          ? fmt::format("{}::to_value(element)", struct_ref(*elem.struct_decl, ""))
                          : std::string("element"));
    code_.set("ELEMENTS", optional_target ? target + ".emplace()" : target);
    if (constant_count(a)) {
      code_ +=
          "{\n"
          "  auto& elements = {{ELEMENTS}};\n"
          "  std::size_t i = 0;\n"
          "  for (const auto& element : {{FROM}}) elements.at(i++) = {{EACH}};\n"
          "}";
      return;
    }
    code_ +=
        "{\n"
        "  auto& elements = {{ELEMENTS}};\n"
        "  for (const auto& element : {{FROM}}) elements.push_back({{EACH}});\n"
        "}";
  }

  const ast::Module& module_;
  const ast::StructDecl& decl_;
  const StructLayout& layout_;
  const plan::StructPlan& plan_;
  ExprWriter expr_;
  std::set<const ast::Field*> derived_;
  std::set<const ast::Field*> used_;
  std::set<const ast::Let*> used_lets_;  // lets an expression serialize() evaluates reads
  std::set<const ast::Param*> used_params_;
  std::string params_def_;
  std::string params_decl_;
  CodeWriter code_;
  // The expression being solved and the size it must give (for solve()'s errors).
  std::string solving_text_;
  std::string solving_size_;
  // A put since the writer was last checked, on some path to the code being
  // emitted: check_writer() checks it before code that needs it clean.
  bool unchecked_ = false;
};

std::vector<const ast::StructDecl*> structs_of(const ast::Module& module) {
  std::vector<const ast::StructDecl*> out;
  for (const auto& d : module.decls) {
    if (const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) out.push_back(s->get());
  }
  return out;
}

}  // namespace

std::string serializer_declarations(const ast::Module& module, const plan::ProgramPlan& plan,
                                    const ast::StructDecl& decl) {
  if (!plan.of(decl).has_serializer) {
    CodeWriter code;
    code +=
        "  // No serialize(): a `remaining` in its expressions (or a child's) is known\n"
        "  // only once the whole buffer is, and serialize() writes front to back.";
    return code.str();
  }
  return StructSerializer(module, plan, decl).declarations();
}

std::string value_forward_declarations(const ast::Module& module, const plan::ProgramPlan& plan) {
  CodeWriter code;
  for (const ast::StructDecl* s : structs_of(module)) {
    code.set("TYPE", s->name);
    if (plan.of(*s).has_serializer) code += "struct {{TYPE}}Value;";
  }
  return code.str();
}

// The module's structs that have a serializer. Values hold their by-value
// children's values: the classes' order, children first.
std::vector<const ast::StructDecl*> serializable_structs(const ast::Module& module,
                                                         const plan::ProgramPlan& plan) {
  std::vector<const ast::StructDecl*> ordered;
  for (const ast::StructDecl* s : plan.of(module).struct_order) {
    if (plan.of(*s).has_serializer) ordered.push_back(s);
  }
  return ordered;
}

std::string value_structs_for(const ast::Module& module, const plan::ProgramPlan& plan) {
  const std::vector<const ast::StructDecl*> ordered = serializable_structs(module, plan);
  if (ordered.empty()) return {};
  CodeWriter code;
  code +=
      "// ------------------------------------------------------------------------------\n"
      "// Values and serialize(): writing whole messages (docs/generated-api.md).\n";
  for (const ast::StructDecl* s : ordered) {
    code.append(StructSerializer(module, plan, *s).value_struct());
    code += "";
  }
  return code.str();
}

std::string serializer_definitions_for(const ast::Module& module, const plan::ProgramPlan& plan,
                                       bool split) {
  CodeWriter code;
  for (const ast::StructDecl* s : serializable_structs(module, plan)) {
    code.append(StructSerializer(module, plan, *s).definitions(split));
  }
  return code.str();
}

}  // namespace lpc::emit
