// FooView::parse_into() and its cold paths (docs/generated-api.md, "Errors";
// docs/internals/contract.md, "What lpc emits"): the validation of every member
// in segment order (scalars and their constraints, requires, children and their
// arguments, arrays and their elements, switches and their arms, varints,
// cstrings, counted and `until` arrays with their carry steps, lets, align,
// optional and peeked fields), each failure built out of line through fail_(),
// and the truncation helpers that name the field a short input ends in.
//
// Every statement is a CodeWriter template written as it appears at the top of
// parse_into()'s body (two spaces in); a nested block (an `if` body, a switch
// arm, an element loop) is written by the same templates, one CodeWriter::Indented
// level further in.
#include "emit/struct_emitter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ast/ast.hpp"
#include "emit/cpp_common.hpp"
#include "sema/eval.hpp"

namespace lpc::emit {

// ------------------------------------------------------------------------------------------------
// Statement builders: parse_into()'s error returns and checks.

// The statement returning `error` for `field`, built out of line (lp::cold_error).
std::string StructEmitter::fail(const std::string& error, const std::string& field) const {
  return fmt::format(
      "return lp::cold_error([=]() noexcept {{ return fail_({}, \"{}\", options); }});", error,
      field);
}

std::string StructEmitter::error(std::string_view code, const std::string& field,
                                 const std::string& offset, unsigned bit) const {
  if (bit != 0)
    return fmt::format("lp::Error(lp::errc::{}, \"{}\", {}, {})", code, field, offset, bit);
  return fmt::format("lp::Error(lp::errc::{}, \"{}\", {})", code, field, offset);
}

// The shape of every check: `failure` (a fail() statement) when `condition` holds.
void StructEmitter::fail_if(const std::string& condition, const std::string& failure) {
  code_.set("CONDITION", condition);
  code_.set("FAIL", failure);
  code_ +=
      "  if ({{CONDITION}}) [[unlikely]] {\n"
      "    {{FAIL}}\n"
      "  }";
}

// `const auto name = <checked expr>;` and the overflow check.
void StructEmitter::checked_value(const std::string& name, const ast::Expr& e,
                                  const std::string& field, const std::string& offset,
                                  bool to_unsigned) {
  std::string value = expr_.write(e);
  if (to_unsigned && sema::is_signed_expression(e))
    value = fmt::format("lp::to_unsigned({})", value);
  code_.set("CHECKED", name);
  code_.set("CHECKED_VALUE", value);
  code_.set("FAIL",
            fail(error("overflow", field, offset) + ".with_text(" + expr_text(e) + ")", field));
  code_ +=
      "  const auto {{CHECKED}} = {{CHECKED_VALUE}};\n"
      "  if (!{{CHECKED}}.ok()) [[unlikely]] {\n"
      "    {{FAIL}}\n"
      "  }";
}

// Truncation of a region of `length` bytes (an expression) starting at `offset`.
// In a `bounded` (sized) region it is bad_length with the region's size as
// actual(), as for a child that runs out of the region (generated-api.md).
void StructEmitter::region_check(const std::string& length, const std::string& field,
                                 const std::string& offset, const std::string& available,
                                 bool bounded, const std::string& bounded_text) {
  const std::string failure = bounded ? fail(error("bad_length", field, offset) + ".with_text(" +
                                                 bounded_text + ").with_actual(" + available + ")",
                                             field)
                                      : fail(error("truncated", field, offset) + ".with_needed(" +
                                                 length + " - (" + available + "))",
                                             field);
  fail_if(length + " > " + available, failure);
}

// A boolean condition; false is constraint_failed, failed arithmetic is overflow.
void StructEmitter::emit_condition(const ast::Expr& e, const std::string& field,
                                   const std::string& offset, unsigned bit,
                                   std::optional<std::string> actual,
                                   const std::string& text_override) {
  const std::string text = text_override.empty() ? expr_text(e) : text_override;
  std::string err = fmt::format(
      "lp::Error(check.ok() ? lp::errc::constraint_failed : lp::errc::overflow, "
      "\"{}\", {}{})",
      field, offset, bit != 0 ? fmt::format(", {}", bit) : "");
  err += ".with_text(" + text + ")";
  if (actual) err += *actual;
  code_.set("CONDITION", expr_.write(e));
  code_.set("FAIL", fail(err, field));
  code_ +=
      "  if (const auto check = {{CONDITION}}; !check.ok() || check.value() == 0) [[unlikely]] {\n"
      "    {{FAIL}}\n"
      "  }";
}

// `nonempty`, when given, is a condition that the array about to be parsed has
// an element: an empty array nests nothing, so it is not too deep.
void StructEmitter::depth_check(const std::string& name, const std::string& offset,
                                const std::string& nonempty) {
  fail_if("depth + 1 > options.max_depth" + (nonempty.empty() ? "" : " && " + nonempty),
          fail(error("too_deep", name, offset), name));
}

// `pos = end;` (where member `m` ends) and the view's copy of it.
void StructEmitter::store_end(const MemberLayout& m, const std::string& end) {
  code_.set("END", end);
  code_.set("END_MEMBER", end_member(index_of(m)));
  code_ +=
      "  pos = {{END}};\n"
      "  view.{{END_MEMBER}} = pos;";
}

std::string StructEmitter::paren(const std::string& s) {
  return s.find(' ') == std::string::npos ? s : "(" + s + ")";
}

// `offset + x` and the bytes left after `offset`, without `0 + x` / `size - 0`.
std::string StructEmitter::plus(const std::string& offset, const std::string& x) {
  return offset == "0" ? x : fmt::format("{} + {}", offset, x);
}

std::string StructEmitter::left_after(const std::string& offset) {
  return offset == "0" ? std::string("size") : "size - " + paren(offset);
}

// The buffer from `offset` on, which parse() has reached: offset <= size.
std::string StructEmitter::rest_from(const std::string& offset) {
  return offset == "0" ? std::string("buffer") : "buffer.subspan(lp::unchecked, " + offset + ")";
}

// ------------------------------------------------------------------------------------------------
// parse_into() and its cold paths (fail_(), truncated_in_segmentK_()).

void StructEmitter::emit_parse() {
  code_.set("DEPTH", plan_.parses_children ? " depth" : "");
  code_.set("PARAM_DEFS", params_def_);
  const bool always_inline = plan_.inline_parse;
  code_.set("INLINE", always_inline ? "[[gnu::always_inline]] inline" : "inline");
  if (always_inline && plan_.parsed_per_element && plan_.parse_cost > plan::kInlineParseCost) {
    code_ += "// Always inlined: parsed once per array element, and short enough.";
  } else if (always_inline) {
    code_ +=
        "// Always inlined: short (the compiler would also count the out-of-line error paths).";
  }
  code_ +=
      "{{INLINE}} lp::Status {{VIEW}}::parse_into(\n"
      "    {{VIEW}}& view, lp::bytes buffer{{PARAM_DEFS}},\n"
      "    [[maybe_unused]] const lp::ParseOptions& options, std::size_t{{DEPTH}}) noexcept {";
  if (plan_.parse_reads_scalars) code_ += "  const std::byte* const p = buffer.data();";
  // The body opens with the stores of data_ and of the parameters; the buffer's
  // size follows them.
  code_ += "  view.data_ = buffer.data();";
  for (const ast::Param& p : decl_.params) {
    code_.set("PARAM", p.name);
    code_ += "  view.param_{{PARAM}}_ = param_{{PARAM}};";
  }
  if (plan_.parse_uses_buffer_size) code_ += "  const std::size_t size = buffer.size();";
  emit_parse_body();
  code_ += "}\n";
}

// The members segment by segment, the requires where the plan checks them, and
// the view's size.
void StructEmitter::emit_parse_body() {
  const bool multi_segment = layout_.segments.size() > 1;
  if (multi_segment) code_ += "  std::size_t pos = 0;  // where the current segment starts";
  emit_requires(RequireCheck::When::first, 0);
  for (std::size_t k = 0; k < layout_.segments.size(); ++k) {
    const auto& seg = layout_.segments[k];
    if (seg.fixed_bytes > 0) emit_segment_check(k);
    for (std::size_t i = seg.first_member; i < seg.end_member; ++i) {
      const MemberLayout& m = layout_.members[i];
      if (require_needs_start(i)) {
        code_.set("START", "start_" + ident(i));
        code_.set("START_AT", parse_offset(m));
        code_ += "  const std::size_t {{START}} = {{START_AT}};";
      }
      emit_parse_member(m);
      emit_requires(RequireCheck::When::after_member, i);
    }
  }
  const auto& last = layout_.segments.back();
  // `remaining` in a require: the bytes after the struct.
  const std::string end = std::to_string(last.fixed_bytes);
  expr_.set_position(!multi_segment ? end : last.fixed_bytes > 0 ? "pos + " + end : "pos");
  emit_requires(RequireCheck::When::last, 0);
  code_.set("VIEW_SIZE", !multi_segment         ? end
                         : last.fixed_bytes > 0 ? "pos + " + end
                                                : std::string("pos"));
  code_ +=
      "  view.size_ = {{VIEW_SIZE}};\n"
      "  return {};";
}

// Segment k's run of bytes at constant offsets: all there, or the truncation
// helper names the field the input ends in.
void StructEmitter::emit_segment_check(std::size_t k) {
  code_.set("K", std::to_string(k));
  code_.set("RUN", std::to_string(layout_.segments[k].fixed_bytes));
  code_ += "  // segment {{K}}: {{RUN}} bytes at constant offsets";
  if (k == 0) {
    code_ += "  if (size < {{RUN}}) [[unlikely]] return truncated_in_segment0_(0, size, options);";
  } else {
    code_ +=
        "  if (size - pos < {{RUN}}) [[unlikely]] {\n"
        "    return truncated_in_segment{{K}}_(pos, size - pos, options);\n"
        "  }";
  }
}

// The truncation helpers: what parse_into() calls on its cold paths, with fail_()
// (lp::view_base's, libparse/entry_points.hpp).
void StructEmitter::emit_error_paths() {
  for (std::size_t k = 0; k < layout_.segments.size(); ++k) emit_truncation_helper(k);
}

void StructEmitter::emit_truncation_helper(std::size_t k) {
  const auto& members = plan_.truncation_fields[k];
  if (members.empty()) return;
  code_.set("K", std::to_string(k));
  code_.set("RUN", std::to_string(layout_.segments[k].fixed_bytes));
  code_ +=
      "// The field holding the first missing byte of segment {{K}} ({{RUN}} bytes).\n"
      "[[gnu::cold, gnu::noinline]] {{OUT_OF_LINE}}lp::Status "
      "{{VIEW}}::truncated_in_segment{{K}}_(\n"
      "    std::size_t start, std::size_t have, const lp::ParseOptions& options) noexcept {";
  std::vector<std::string> entries;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const MemberLayout& m = *members[i];
    const std::size_t end = i + 1 < members.size() ? (m.bit_offset + *m.bit_width + 7) / 8
                                                   : layout_.segments[k].fixed_bytes;
    entries.push_back(fmt::format("{{\"{}\", {}, {}, {}}}", display_name(m), m.bit_offset / 8,
                                  m.bit_offset % 8, end));
  }
  code_.set("FIELD_COUNT", std::to_string(entries.size()));
  code_.set("FIELDS", wrapped_initializer(entries));
  code_ +=
      "  static constexpr std::array<lp::fixed_field, {{FIELD_COUNT}}> fields{{FIELDS}};\n"
      "  const lp::fixed_field& field = lp::first_missing(fields, have);\n"
      "  return fail_(lp::Error(lp::errc::truncated, field.name, start + field.offset, "
      "field.bit)\n"
      "                   .with_needed({{RUN}} - have),\n"
      "               field.name, options);\n"
      "}\n";
}

// ------------------------------------------------------------------------------------------------
// Requires: checked before the first member, after a member, or at the end.

// A require's error names member `index` at its start, which `pos` no longer
// holds when the check runs: the member is dynamic (read, it moved `pos`), or
// the check waits for the end of the struct. The start is kept in a local.
bool StructEmitter::start_kept(const RequireCheck& c) const {
  const MemberLayout& m = layout_.members[c.member];
  return c.names_member && m.segment > 0 && (m.is_dynamic || c.when == RequireCheck::When::last);
}

bool StructEmitter::require_needs_start(std::size_t index) const {
  return std::any_of(plan_.require_checks.begin(), plan_.require_checks.end(),
                     [&](const RequireCheck& c) { return c.member == index && start_kept(c); });
}

// The requires the plan checks at this point: before the first member, right
// after member `index`, or after the last. The error names the last field or
// let the require names, at that member's offset.
void StructEmitter::emit_requires(RequireCheck::When when, std::size_t index) {
  for (const RequireCheck& c : plan_.require_checks) {
    if (c.when != when || (when == RequireCheck::When::after_member && c.member != index)) continue;
    code_.set("REQUIRE", one_line(c.require->range.text()));
    code_ += "  // {{REQUIRE}}";
    if (!c.names_member) {
      emit_condition(*c.require->condition, "", "0", 0, std::nullopt);
      continue;
    }
    const MemberLayout& m = layout_.members[c.member];
    const std::string offset = start_kept(c) ? "start_" + ident(c.member) : parse_offset(m);
    emit_condition(*c.require->condition, display_name(m), offset,
                   static_cast<unsigned>(m.bit_offset % 8), std::nullopt);
  }
}

// ------------------------------------------------------------------------------------------------
// ------------------------------------------------------------------------------------------------
// One member: what it keeps for later expressions, then its own checks.

void StructEmitter::emit_parse_member(const MemberLayout& m) {
  const ast::Field* f = m.field;
  const bool text = f != nullptr && plan_.kept_texts.count(f) != 0;
  const bool counted = f != nullptr && plan_.counted.count(f) != 0;
  const bool sized = f != nullptr && plan_.sized.count(f) != 0;
  const bool checked = f != nullptr && !f->constraints.empty() &&
                       (m.kind == MemberKind::bytes || m.kind == MemberKind::array);
  // A dynamic member moves `pos`: its first byte is kept for what is read after it.
  const std::string begin = "begin_" + ident(index_of(m));
  const bool keep_begin = (text || counted || sized || checked) && m.is_dynamic;
  if (keep_begin) {
    code_.set("BEGIN", begin);
    code_.set("BEGIN_AT", parse_offset(m));
    code_ += "  const std::size_t {{BEGIN}} = {{BEGIN_AT}};";
  }
  emit_parse_member_body(m);
  if (!text && !counted && !sized && !checked) return;
  const std::string start = keep_begin ? begin : parse_offset(m);
  const std::string length =
      !m.is_dynamic ? std::to_string(*m.bit_width / 8) : fmt::format("pos - {}", start);
  if (sized) {
    code_.set("SIZE_LOCAL", byte_size_local_name(*f));
    code_.set("SIZE", length);
    code_ += "  const std::uint64_t {{SIZE_LOCAL}} = {{SIZE}};";
  }
  if (counted) {
    code_.set("COUNT_LOCAL", element_count_local_name(*f));
    code_.set("ELEMENT_COUNT", m.stores_count ? "view." + count_member(m)
                                              : fmt::format("({}) / {}", length, m.element_bytes));
    code_ += "  const std::uint64_t {{COUNT_LOCAL}} = {{ELEMENT_COUNT}};";
  }
  // Every `_` has the same local: each constrained one checks it in a scope of its own.
  const bool scoped = text && f->name == "_";
  if (scoped) code_ += "  {";
  if (text) emit_text_local(m, start, length);
  if (checked) emit_sequence_constraints(m, start);
  if (scoped) code_ += "  }";
}

// `text_name`: the bytes a string comparison reads; a cstring's without its NUL,
// a `cstring[n]`'s up to its first NUL.
void StructEmitter::emit_text_local(const MemberLayout& m, const std::string& start,
                                    const std::string& length) {
  const ast::Field& f = *m.field;
  const auto& type = std::get<ast::BytesType>(f.type->node);
  code_.set("TEXT_LOCAL", text_local_name(f));
  code_.set("TEXT_AT", pointer("buffer.data()", start));
  code_.set("TEXT_LENGTH", length);
  if (type.kind != ast::BytesKind::cstring) {
    code_ += "  const lp::bytes {{TEXT_LOCAL}}({{TEXT_AT}}, {{TEXT_LENGTH}});";
  } else if (!type.count) {
    code_ += "  const lp::bytes {{TEXT_LOCAL}}({{TEXT_AT}}, {{TEXT_LENGTH}} - 1);";
  } else {
    code_.set("PADDED", "padded_" + ident(index_of(m)));
    code_ +=
        "  const std::string_view {{PADDED}}(reinterpret_cast<const char*>({{TEXT_AT}}), "
        "{{TEXT_LENGTH}});\n"
        "  const lp::bytes {{TEXT_LOCAL}}({{TEXT_AT}}, "
        "{{PADDED}}.substr(0, {{PADDED}}.find('\\0')).size());";
  }
}

// The constraints of a bytes, string, cstring or array field, once it is read:
// `== "MQTT"` and `where` clauses (comparisons with string literals, count(),
// size()), at the field's first byte. An optional field's hold when it is present.
void StructEmitter::emit_sequence_constraints(const MemberLayout& m, const std::string& start) {
  const ast::Field& f = *m.field;
  const std::string name = display_name(m);
  if (m.optional) {
    code_.set("NAME", f.name);
    code_ += "  if (view.present_{{NAME}}_) {";
  }
  {
    const CodeWriter::Indented when_present(code_, m.optional ? 2 : 0);
    for (const auto& c : f.constraints) {
      if (c.kind == ast::ConstraintKind::where) {
        emit_condition(*c.expr, name, start, 0, std::nullopt);
        continue;
      }
      const auto& literal = std::get<ast::StringLiteral>(c.expr->node).value;
      fail_if(fmt::format("{} != lp::bytes({}, {})", text_local_name(f), cpp_bytes_literal(literal),
                          literal.size()),
              fail(error("constraint_failed", name, start) + ".with_text(" +
                       cpp_string(f.name + " == " + std::string(c.expr->range.text())) + ")",
                   name));
    }
  }
  if (m.optional) code_ += "  }";
}

void StructEmitter::emit_parse_member_body(const MemberLayout& m) {
  const std::string name = display_name(m);
  const std::string offset = parse_offset(m);
  expr_.set_position(offset);
  const std::size_t index = index_of(m);
  if (m.field != nullptr) {
    code_.set("COMMENT", schema_comment(m.field->range));
    code_ += "  {{COMMENT}}";
  }
  if (emit_parse_sequence(m, name, offset)) return;
  if (emit_parse_structure(m, name, offset)) return;
  switch (m.kind) {
    case MemberKind::byte_integer:
    case MemberKind::bit_field:
    case MemberKind::floating:
      emit_parse_scalar(m);
      return;
    case MemberKind::nested:
      emit_parse_nested(m, name, offset);
      return;
    case MemberKind::pad:
    case MemberKind::bytes: {
      if (!m.is_dynamic) return;
      const ast::Expr* count = m.kind == MemberKind::pad
                                   ? std::get<ast::Pad>(*m.member).size.get()
                                   : std::get<ast::BytesType>(m.field->type->node).count.get();
      if (m.kind == MemberKind::pad) {
        code_.set("PAD", one_line(std::get<ast::Pad>(*m.member).range.text()));
        code_ += "  // {{PAD}}";
      }
      if (count == nullptr) {
        store_end(m, "size");
        return;
      }
      const std::string len = "length_" + ident(index);
      checked_value(len, *count, name, offset);
      region_check(len + ".value()", name, offset, "size - " + paren(offset), false, "");
      store_end(m, fmt::format("{} + {}.value()", offset, len));
      return;
    }
    case MemberKind::array:
      emit_parse_array(m, name, offset);
      return;
    case MemberKind::switch_:
      emit_parse_switch(m, name, offset);
      return;
    case MemberKind::varint:  // emit_parse_sequence
    case MemberKind::let:     // emit_parse_structure
    case MemberKind::align:
      return;
  }
}

void StructEmitter::emit_parse_scalar(const MemberLayout& m) {
  const ast::Field& f = *m.field;
  if (plan_.kept_values.count(&f) == 0) return;
  const ast::NamedType& t = *m.scalar;
  const std::string local = local_name(f);
  // Every `_` has the same local: each constrained one reads it in a scope of its own.
  const bool scoped = f.name == "_" && !m.optional;
  if (scoped) code_ += "  {";
  code_.set("LOCAL_TYPE", t.is_float ? accessor_type(t) : int_type(t.bits, t.is_signed));
  code_.set("LOCAL", local);
  code_.set("READ", read_raw(t, m.kind, m.byte_order, m.bit_order, "p",
                             m.segment == 0 ? std::string() : std::string("pos"), m.bit_offset,
                             m.runtime_order));
  // An optional field's local is declared before its `if` (0 while absent).
  code_ += m.optional ? "  {{LOCAL}} = {{READ}};" : "  const {{LOCAL_TYPE}} {{LOCAL}} = {{READ}};";
  emit_field_constraints(m, local);
  if (scoped) code_ += "  }";
}

// The `==` / `where` checks of a scalar field whose value is in `local`.
void StructEmitter::emit_field_constraints(const MemberLayout& m, const std::string& local) {
  const ast::Field& f = *m.field;
  const ast::NamedType& t = *m.scalar;
  const std::string offset = parse_offset(m);
  const std::string actual = t.is_signed ? fmt::format(".with_actual_signed({})", local)
                                         : fmt::format(".with_actual({})", local);
  for (const auto& c : f.constraints) {
    if (c.kind != ast::ConstraintKind::equals) {
      emit_condition(*c.expr, display_name(m), offset, static_cast<unsigned>(m.bit_offset % 8),
                     actual);
      continue;
    }
    // `x: u4 == 4` checks `x == 4`, and says so in the error.
    const bool is_signed = t.is_signed || sema::is_signed_expression(*c.expr);
    const std::string text = cpp_string(f.name + " == " + std::string(c.expr->range.text()));
    code_.set("LHS", t.is_signed ? fmt::format("lp::ci64{{{}}}", local)
                     : is_signed ? fmt::format("lp::to_signed(lp::cu64{{{}}})", local)
                                 : fmt::format("lp::cu64{{{}}}", local));
    code_.set("RHS", expr_.write(*c.expr, is_signed));
    code_.set("FAIL",
              fail(fmt::format("lp::Error(check.ok() ? lp::errc::constraint_failed : "
                               "lp::errc::overflow, \"{}\", {}{}).with_text({}){}",
                               display_name(m), offset,
                               m.bit_offset % 8 != 0 ? fmt::format(", {}", m.bit_offset % 8) : "",
                               text, actual),
                   display_name(m)));
    code_ +=
        "  if (const auto check = ({{LHS}} == {{RHS}}); !check.ok() || check.value() == 0) "
        "[[unlikely]] {\n"
        "    {{FAIL}}\n"
        "  }";
  }
}

// ------------------------------------------------------------------------------------------------
// Children and the arguments of parameterised struct types.

// Parses a child struct in `region` into `target` (a default-constructed view);
// `bounded` regions turn the child's truncation into bad_length. Leaves the
// lp::Status `var` in scope.
void StructEmitter::parse_child(const ast::StructDecl& child, const std::string& var,
                                const std::string& target, const std::string& region,
                                const std::string& name, const std::string& offset, bool bounded,
                                const std::string& bounded_text, const std::string& args) {
  code_.set("STATUS", var);
  code_.set("CHILD_VIEW", struct_ref(child, "View"));
  code_.set("TARGET", target);
  code_.set("REGION", region);
  code_.set("ARGS", args);
  code_ +=
      "  const lp::Status {{STATUS}} =\n"
      "      {{CHILD_VIEW}}::parse_into({{TARGET}}, {{REGION}}{{ARGS}}, options, depth + 1);\n"
      "  if (!{{STATUS}}) [[unlikely]] {";
  if (bounded) {
    // Not truncation (more input would not help): bad_length at the innermost
    // field that ran out of the region.
    code_.set("FAIL", fail(fmt::format("lp::Error({}.error()).rebase({}).push_outer(\"{}\")"
                                       ".overran_region({}, {}.size())",
                                       var, offset, name, bounded_text, region),
                           name));
    code_ +=
        "    if ({{STATUS}}.error().code() == lp::errc::truncated) {\n"
        "      {{FAIL}}\n"
        "    }";
  }
  code_.set("FAIL", fail(fmt::format("lp::Error({}.error()).rebase({}).push_outer(\"{}\")", var,
                                     offset, name),
                         name));
  code_ +=
      "    {{FAIL}}\n"
      "  }";
}

void StructEmitter::emit_parse_nested(const MemberLayout& m, const std::string& name,
                                      const std::string& offset) {
  const ast::StructDecl& child = *m.scalar->struct_decl;
  // In segment bounds already checked: nothing to parse.
  if (!m.is_dynamic && program_plan_.of(child).valid_anywhere) return;
  depth_check(name, offset);
  const std::string var = "child_" + ident(index_of(m));
  const std::string region =
      m.is_dynamic ? rest_from(offset)
                   : fmt::format("buffer.subspan(lp::unchecked, {}, {})", offset, *m.bit_width / 8);
  const std::string args = emit_arguments(*m.scalar, name, offset);
  std::string target = fmt::format("view.view_{}_", name);
  if (!m.is_dynamic) {
    // Checked, but rebuilt from fixed offsets by its accessor: parse into a local.
    target = var + "_view";
    code_.set("CHILD_VIEW", struct_ref(child, "View"));
    code_.set("TARGET", target);
    code_.set("FOR_PARSE", for_parse_init(child));
    code_ += "  {{CHILD_VIEW}} {{TARGET}}{{FOR_PARSE}};";
  }
  parse_child(child, var, target, region, name, offset, false, "", args);
  if (m.is_dynamic) store_end(m, fmt::format("{} + {}.size()", offset, target));
}

// Evaluates the arguments of a parameterised struct type (checked; a value that
// does not fit its parameter is an overflow) and returns them as ", a, b".
std::string StructEmitter::emit_arguments(const ast::NamedType& named, const std::string& name,
                                          const std::string& offset) {
  std::string out;
  for (const std::string& value : emit_argument_values(named, name, offset)) out += ", " + value;
  return out;
}

// Evaluates and range-checks the arguments `named` passes; returns each one's
// C++ value, in parameter order.
// For a `carry` array the carried parameter's value is the first element's
// (the carry's first value).
std::vector<std::string> StructEmitter::emit_argument_values(const ast::NamedType& named,
                                                             const std::string& name,
                                                             const std::string& offset,
                                                             const ast::CarryClause* carry) {
  if (named.struct_decl == nullptr || named.arguments.empty()) return {};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < named.arguments.size(); ++i) {
    const ast::Param& param = named.struct_decl->params[i];
    const ast::Expr& arg =
        carry != nullptr && i == carry->param_index ? *carry->initial : *named.arguments[i];
    const std::string var = fmt::format("arg_{}_{}", name, param.name);
    if (param.is_endian) {
      checked_value(var, arg, name, offset, false);
      out.push_back(fmt::format("static_cast<lp::byte_order>({}.value())", var));
      continue;
    }
    const auto& type = std::get<ast::NamedType>(param.type->node);
    std::string value = expr_.write(arg);
    const bool signed_expr = sema::is_signed_expression(arg);
    if (type.is_signed && !signed_expr) value = fmt::format("lp::to_signed({})", value);
    if (!type.is_signed && signed_expr) value = fmt::format("lp::to_unsigned({})", value);
    code_.set("ARG_VAR", var);
    code_.set("ARG_VALUE", value);
    code_.set("ARG_PARAM", trim(param.range.text()));
    code_.set("FITS", out_of_range(type, var));
    code_.set("FAIL",
              fail(error("overflow", name, offset) + ".with_text(" + expr_text(arg) + ")", name));
    code_ +=
        "  const auto {{ARG_VAR}} = {{ARG_VALUE}};  // argument '{{ARG_PARAM}}'\n"
        "  if (!{{ARG_VAR}}.ok(){{FITS}}) [[unlikely]] {\n"
        "    {{FAIL}}\n"
        "  }";
    out.push_back(
        fmt::format("static_cast<{}>({}.value())", int_type(type.bits, type.is_signed), var));
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Arrays of fixed-size elements.

// Byte length of an array (checked), into `len_var`; `available` bounds it.
void StructEmitter::array_length(const ast::ArrayType& a, std::uint64_t element_bytes,
                                 const std::string& len_var, const std::string& name,
                                 const std::string& offset, const std::string& available,
                                 bool bounded, const std::string& bounded_text) {
  if (a.count) {
    std::string value = expr_.write(*a.count);
    if (sema::is_signed_expression(*a.count)) value = fmt::format("lp::to_unsigned({})", value);
    code_.set("LENGTH", len_var);
    code_.set("COUNT_VALUE", value);
    code_.set("ELEMENT_BYTES", std::to_string(element_bytes));
    code_.set(
        "FAIL",
        fail(error("overflow", name, offset) + ".with_text(" + expr_text(*a.count) + ")", name));
    code_ +=
        "  const auto {{LENGTH}} = {{COUNT_VALUE}} * lp::cu64{{{ELEMENT_BYTES}}};\n"
        "  if (!{{LENGTH}}.ok()) [[unlikely]] {\n"
        "    {{FAIL}}\n"
        "  }";
    region_check(len_var + ".value()", name, offset, available, bounded, bounded_text);
    return;
  }
  if (a.byte_size) {
    checked_value(len_var, *a.byte_size, name, offset);
    fail_if(fmt::format("{}.value() % {} != 0", len_var, element_bytes),
            fail(error("bad_length", name, offset) + ".with_text(" + expr_text(*a.byte_size) +
                     ").with_actual(" + len_var + ".value())",
                 name));
    region_check(len_var + ".value()", name, offset, available, bounded, bounded_text);
    return;
  }
  code_.set("LENGTH", len_var);
  code_.set("AVAILABLE", available);
  code_ += "  const lp::cu64 {{LENGTH}}{{{AVAILABLE}}};";
  fail_if(fmt::format("{}.value() % {} != 0", len_var, element_bytes),
          fail(error("bad_length", name, offset) + ".with_text(\"not a whole number of " +
                   std::to_string(element_bytes) + "-byte elements\").with_actual(" + len_var +
                   ".value())",
               name));
}

// Validates each element of an array of structs that carry constraints.
void StructEmitter::element_loop(const ast::StructDecl& child, std::uint64_t element_bytes,
                                 const std::string& length, const std::string& name,
                                 const std::string& offset, const std::string& region_base) {
  depth_check(name, offset, paren(length) + " != 0");
  code_.set("CHILD_VIEW", struct_ref(child, "View"));
  code_.set("LENGTH", length);
  code_.set("ELEMENT_BYTES", std::to_string(element_bytes));
  code_.set("REGION", region_base);
  code_.set("FAIL", fail(fmt::format("lp::Error(status.error()).rebase({} + at)"
                                     ".element_of(\"{}\", at / {})",
                                     paren(offset), name, element_bytes),
                         name));
  // One view for every element: parse_into() rewrites each member it reads.
  code_ +=
      "  {{CHILD_VIEW}} element;\n"
      "  for (std::size_t at = 0; at < {{LENGTH}}; at += {{ELEMENT_BYTES}}) {\n"
      "    const lp::Status status =\n"
      "        {{CHILD_VIEW}}::parse_into(element, {{REGION}}.subspan(lp::unchecked, at, "
      "{{ELEMENT_BYTES}}), options, depth + 1);\n"
      "    if (!status) [[unlikely]] {\n"
      "      {{FAIL}}\n"
      "    }\n"
      "  }";
}

void StructEmitter::emit_parse_array(const MemberLayout& m, const std::string& name,
                                     const std::string& offset) {
  const auto& a = std::get<ast::ArrayType>(m.field->type->node);
  const std::size_t index = index_of(m);
  std::string length = std::to_string(m.bit_width.value_or(0) / 8);
  if (m.is_dynamic) {
    const std::string len = "length_" + ident(index);
    array_length(a, m.element_bytes, len, name, offset, "size - " + paren(offset), false, "");
    length = len + ".value()";
  }
  if (m.elements_need_parse) {
    element_loop(*m.scalar->struct_decl, m.element_bytes, length, name, offset, rest_from(offset));
  }
  if (m.is_dynamic) store_end(m, fmt::format("{} + {}", offset, length));
}

// ------------------------------------------------------------------------------------------------
// Switches and their arms.

void StructEmitter::emit_parse_switch(const MemberLayout& m, const std::string& name,
                                      const std::string& offset) {
  const auto& sw = std::get<ast::SwitchType>(m.field->type->node);
  const std::string id = ident(index_of(m));
  const bool bounded = static_cast<bool>(sw.byte_size);
  const std::string bounded_text = bounded ? expr_text(*sw.byte_size) : std::string("\"\"");
  checked_value("tag_" + id, *sw.tag, name, offset, false);
  const std::string region = "region_" + id;
  if (bounded) {
    checked_value("length_" + id, *sw.byte_size, name, offset);
    region_check("length_" + id + ".value()", name, offset, "size - " + paren(offset), false, "");
  }
  code_.set("REGION", region);
  code_.set("REGION_BYTES",
            bounded
                ? fmt::format("buffer.subspan(lp::unchecked, {}, length_{}.value())", offset, id)
                : rest_from(offset));
  code_.set("ID", id);
  code_ +=
      "  const lp::bytes {{REGION}} = {{REGION_BYTES}};\n"
      "  std::size_t used_{{ID}} = 0;  // bytes the arm takes\n"
      "  switch (tag_{{ID}}.value()) {";
  const ast::SwitchArm* default_arm = nullptr;
  for (const auto& arm : sw.arms) {
    if (arm.is_default) {
      default_arm = &arm;
      continue;
    }
    for (const auto& c : arm.cases) {
      const auto v = sema::evaluate_constant(*c).value;
      code_.set("CASE", v.is_negative() ? std::to_string(v.as_signed()) : literal(v.bits));
      code_.set("CASE_TEXT", trim(c->range.text()));
      code_ += "    case {{CASE}}:  // {{CASE_TEXT}}";
    }
    emit_arm(m, arm, name, offset, region, bounded, bounded_text);
  }
  code_ += "    default:";
  if (default_arm != nullptr) {
    emit_arm(m, *default_arm, name, offset, region, bounded, bounded_text);
  } else {
    code_.set("FAIL",
              fail(error("bad_value", name, offset) + ".with_text(" + expr_text(*sw.tag) +
                       ").with_actual" + (sema::is_signed_expression(*sw.tag) ? "_signed" : "") +
                       "(tag_" + id + ".value())",
                   name));
    code_ += "      {{FAIL}}";
  }
  code_ += "  }";
  if (bounded) {
    fail_if(fmt::format("used_{} != {}.size()", id, region),
            fail(error("bad_length", name, offset) + ".with_text(" + bounded_text +
                     ").with_actual(" + region + ".size())",
                 name));
  }
  store_end(m, fmt::format("{} + used_{}", offset, id));
}

// One arm: a block of its own that names the arm, then the arm's statements,
// written as at the top of the body, four spaces further in.
void StructEmitter::emit_arm(const MemberLayout& m, const ast::SwitchArm& arm,
                             const std::string& name, const std::string& offset,
                             const std::string& region, bool bounded,
                             const std::string& bounded_text) {
  code_.set("FIELD", name);
  code_.set("ARM_KIND", camel(name) + "Arm");
  code_.set("ARM", arm.name);
  code_ +=
      "    {\n"
      "      view.arm_{{FIELD}}_ = {{ARM_KIND}}::{{ARM}};";
  {
    const CodeWriter::Indented arm_body(code_, 4);
    emit_arm_body(m, arm, name, offset, region, bounded, bounded_text);
  }
  code_ +=
      "      break;\n"
      "    }";
}

void StructEmitter::emit_arm_body(const MemberLayout& m, const ast::SwitchArm& arm,
                                  const std::string& name, const std::string& offset,
                                  const std::string& region, bool bounded,
                                  const std::string& bounded_text) {
  // `used_<switch> = <the arm's bytes>;`
  const std::string used = "used_" + ident(index_of(m));
  const auto set_used = [&](const std::string& value) {
    code_.set("USED", used);
    code_.set("USED_BYTES", value);
    code_ += "  {{USED}} = {{USED_BYTES}};";
  };
  if (std::holds_alternative<ast::BytesType>(arm.type->node)) {
    const auto& b = std::get<ast::BytesType>(arm.type->node);
    if (!b.count) {
      set_used(region + ".size()");
      return;
    }
    checked_value("length", *b.count, name, offset);
    region_check("length.value()", name, offset, region + ".size()", bounded, bounded_text);
    set_used("length.value()");
    return;
  }
  if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
    const auto& elem = std::get<ast::NamedType>(a->element->node);
    const std::uint64_t element_bytes = elem.struct_decl != nullptr
                                            ? *program_layout_.of(*elem.struct_decl).fixed_size
                                            : elem.bits / 8;
    array_length(*a, element_bytes, "length", name, offset, region + ".size()", bounded,
                 bounded_text);
    set_used("length.value()");
    if (elem.struct_decl != nullptr && program_layout_.of(*elem.struct_decl).has_checks) {
      element_loop(*elem.struct_decl, element_bytes, used, name, offset, region);
    }
    return;
  }
  const auto& t = std::get<ast::NamedType>(arm.type->node);
  if (t.struct_decl == nullptr) {
    const std::string width = std::to_string(t.bits / 8);
    region_check(width, name, offset, region + ".size()", bounded, bounded_text);
    set_used(width);
    return;
  }
  const std::string child_view = struct_ref(*t.struct_decl, "View");
  if (!arm.indirect && program_plan_.of(*t.struct_decl).valid_anywhere) {
    const std::string width = child_view + "::fixed_size";
    if (bounded) {
      // Too short for the arm: its own parse (on the cold path only) names the
      // field holding the first byte past the region.
      fail_if(fmt::format("{} > {}.size()", width, region),
              fail(fmt::format("lp::Error([&]() noexcept {{ {0} scratch; return {0}::"
                               "parse_into(scratch, {1}, options, 0).error(); }}())"
                               ".rebase({2}).push_outer(\"{3}\").overran_region({4}, "
                               "{1}.size())",
                               child_view, region, offset, name, bounded_text),
                   name));
    } else {
      region_check(width, name, offset, region + ".size()", bounded, bounded_text);
    }
    set_used(width);
    return;
  }
  std::string target = "child_view";
  code_.set("CHILD_VIEW", child_view);
  code_.set("FOR_PARSE", for_parse_init(*t.struct_decl));
  if (arm.indirect) {
    // Recursive: validated into a local, re-read by the accessor.
    code_.set("FIELD", name);
    code_.set("REGION", region);
    code_ +=
        "  view.region_{{FIELD}}_ = {{REGION}};\n"
        "  {{CHILD_VIEW}} child_view{{FOR_PARSE}};";
  } else if (!program_layout_.of(*t.struct_decl).fixed_size) {
    // Arms share storage (one is live): begin this member's lifetime,
    // default-initialized (parse_into writes what the accessors read), right
    // after the tag names it, so that the two agree whatever fails next.
    target = "view." + arm_view(name, arm.name);
    code_.set("TARGET", target);
    code_ += "  ::new (&{{TARGET}}) {{CHILD_VIEW}}{{FOR_PARSE}};";
  } else {
    code_ += "  {{CHILD_VIEW}} child_view{{FOR_PARSE}};";
  }
  depth_check(name, offset);
  const std::string args = emit_arguments(t, name, offset);
  parse_child(*t.struct_decl, "child", target, region, name, offset, bounded, bounded_text, args);
  set_used(target + ".size()");
}

// ------------------------------------------------------------------------------------------------
// Sequences: varints, cstrings, and arrays whose element count parse() finds.

std::string StructEmitter::varint_decoder(const ast::NamedType& t) {
  switch (t.varint) {
    case ast::VarintKind::zigzag:
      return "lp::decode_zigzag";
    case ast::VarintKind::quic:
      return "lp::decode_quic_varint";
    default:
      return "lp::decode_varint";
  }
}

// Does an `until` condition read `it`? (Only then does the loop keep it.)
bool StructEmitter::reads_element(const ast::Expr& e) {
  if (const auto* ref = std::get_if<ast::NameRef>(&e.node)) return ref->element_type != nullptr;
  if (const auto* u = std::get_if<ast::Unary>(&e.node)) return reads_element(*u->operand);
  if (const auto* b = std::get_if<ast::Binary>(&e.node))
    return reads_element(*b->lhs) || reads_element(*b->rhs);
  if (const auto* c = std::get_if<ast::Conditional>(&e.node))
    return reads_element(*c->condition) || reads_element(*c->if_true) ||
           reads_element(*c->if_false);
  return false;
}

bool StructEmitter::emit_parse_sequence(const MemberLayout& m, const std::string& name,
                                        const std::string& offset) {
  if (m.kind == MemberKind::varint) {
    emit_parse_varint(m, name, offset);
    return true;
  }
  if (is_cstring(m)) {
    emit_parse_cstring(m, name, offset);
    return true;
  }
  if (m.kind == MemberKind::array && m.stores_count) {
    emit_parse_counted_array(m, name, offset);
    return true;
  }
  return false;
}

void StructEmitter::emit_parse_varint(const MemberLayout& m, const std::string& name,
                                      const std::string& offset) {
  const std::string var = "decoded_" + ident(index_of(m));
  code_.set("DECODED", var);
  code_.set("DECODER", varint_decoder(*m.scalar));
  code_.set("OFFSET", offset);
  code_.set("LEFT", left_after(offset));
  code_ += "  const auto {{DECODED}} = {{DECODER}}(buffer.subspan({{OFFSET}}, {{LEFT}}));";
  fail_if("!" + var, fail(fmt::format("lp::Error({}.error()).rebase({}).push_outer(\"{}\")", var,
                                      offset, name),
                          name));
  code_.set("DECODED", var);
  code_.set("VALUE_MEMBER", value_member(m));
  code_ += "  view.{{VALUE_MEMBER}} = {{DECODED}}->value;";
  if (plan_.kept_values.count(m.field) != 0) {
    const std::string local = local_name(*m.field);
    code_.set("LOCAL_TYPE", varint_type(*m.scalar));
    code_.set("LOCAL", local);
    code_ += "  const {{LOCAL_TYPE}} {{LOCAL}} = {{DECODED}}->value;";
    emit_field_constraints(m, local);
  }
  store_end(m, plus(offset, var + "->size"));
}

void StructEmitter::emit_parse_cstring(const MemberLayout& m, const std::string& name,
                                       const std::string& offset) {
  const std::string nul = "nul_" + ident(index_of(m));
  code_.set("NUL", nul);
  code_.set("OFFSET", offset);
  code_ +=
      "  std::size_t {{NUL}} = {{OFFSET}};  // the terminating NUL\n"
      "  while ({{NUL}} < size && buffer[{{NUL}}] != std::byte{0}) ++{{NUL}};";
  fail_if(nul + " == size", fail(error("truncated", name, offset) +
                                     ".with_text(\"no NUL terminator\").with_needed(1)",
                                 name));
  store_end(m, nul + " + 1");
}

// One pass over the elements: validates each, counts them, stops at the count,
// the end of the region or the terminator; every step is bounded by
// options.max_elements.
void StructEmitter::emit_parse_counted_array(const MemberLayout& m, const std::string& name,
                                             const std::string& offset) {
  const auto& a = std::get<ast::ArrayType>(m.field->type->node);
  const std::string id = ident(index_of(m));
  const std::string region = "region_" + id;
  const bool bounded = static_cast<bool>(a.byte_size);
  if (bounded) {
    checked_value("length_" + id, *a.byte_size, name, offset);
    region_check("length_" + id + ".value()", name, offset, "size - " + paren(offset), false, "");
  }
  code_.set("REGION", region);
  code_.set("REGION_BYTES",
            bounded
                ? fmt::format("buffer.subspan(lp::unchecked, {}, length_{}.value())", offset, id)
                : rest_from(offset));
  code_ += "  const lp::bytes {{REGION}} = {{REGION_BYTES}};";
  if (a.count) {
    checked_value("n_" + id, *a.count, name, offset);
    fail_if(fmt::format("n_{}.value() > options.max_elements", id),
            fail(error("limit_exceeded", name, offset) +
                     ".with_text(\"more elements than ParseOptions::max_elements\")"
                     ".with_actual(n_" +
                     id + ".value())",
                 name));
  }
  if (m.lazy || m.elements_need_parse) {
    depth_check(name, offset,
                a.count ? fmt::format("n_{}.value() != 0", id) : region + ".size() != 0");
  }
  const std::string element_args = emit_element_arguments(m, name, offset);
  const std::string end = plus(offset, bounded ? "length_" + id + ".value()" : region + ".size()");
  if (is_deferrable(m)) {
    code_.set("COUNTER", "count_" + id);
    code_.set("RULE", rule_member(m));
    code_.set("REGION", region);
    code_.set("OFFSET", offset);
    code_.set("ELEMENT_ARGS", element_args);
    code_.set("FAIL", fail("lp::Error(walked.error())", name));
    code_.set("COUNT_MEMBER", count_member(m));
    code_ +=
        "  std::size_t {{COUNTER}} = lp::deferred_count;  // elements read, unless deferred\n"
        "  if (!options.defer_lists) {\n"
        "    const lp::Status walked = lp::walk_list({{RULE}}, {{REGION}}, {{OFFSET}}, options, "
        "depth, {{COUNTER}}{{ELEMENT_ARGS}});\n"
        "    if (!walked) [[unlikely]] {\n"
        "      {{FAIL}}\n"
        "    }\n"
        "  }\n"
        "  view.{{COUNT_MEMBER}} = {{COUNTER}};";
    store_end(m, end);
    return;
  }
  code_.set("COUNTER", "count_" + id);
  code_.set("AT", "at_" + id);
  code_ +=
      "  std::size_t {{COUNTER}} = 0;  // elements read\n"
      "  std::size_t {{AT}} = 0;  // bytes they take";
  const bool parses_elements =
      m.lazy || (m.scalar->struct_decl != nullptr && m.elements_need_parse);
  if (parses_elements) {
    // One view for every element: parse_into() rewrites each member it reads.
    code_.set("CHILD_VIEW", struct_ref(*m.scalar->struct_decl, "View"));
    code_.set("ELEMENT", "element_" + id);
    code_.set("FOR_PARSE", for_parse_init(*m.scalar->struct_decl));
    code_ += "  {{CHILD_VIEW}} {{ELEMENT}}{{FOR_PARSE}};  // the element being read";
  }
  code_ += "  for (;;) {";
  {
    const CodeWriter::Indented loop(code_, 2);
    emit_counted_array_step(m, name, offset, element_args);
  }
  code_.set("COUNTER", "count_" + id);
  code_.set("COUNT_MEMBER", count_member(m));
  code_ +=
      "  }\n"
      "  view.{{COUNT_MEMBER}} = {{COUNTER}};";
  store_end(m, plus(offset, bounded ? "length_" + id + ".value()" : "at_" + id));
}

// The arguments of a lazy array's parameterised element type, evaluated once and
// kept by the view (with `carry`, the running arguments the elements are read
// with); returns them as the element parse's ", a, b".
std::string StructEmitter::emit_element_arguments(const MemberLayout& m, const std::string& name,
                                                  const std::string& offset) {
  if (!m.lazy) return {};
  const ast::CarryClause* carry = carry_of(m);
  const std::string id = ident(index_of(m));
  const std::vector<std::string> values = emit_argument_values(*m.scalar, name, offset, carry);
  const std::vector<ElementArgument> stored = element_arguments(m);
  std::string element_args;  // ", a, b"
  for (std::size_t i = 0; i < values.size(); ++i) {
    code_.set("ARG_MEMBER", stored[i].member);
    code_.set("ARG_VALUE", values[i]);
    code_ += "  view.{{ARG_MEMBER}} = {{ARG_VALUE}};";
    element_args += carry != nullptr ? fmt::format(", std::get<{}>(args_{})", i, id)
                                     : ", view." + stored[i].member;
  }
  if (carry != nullptr) {
    // The running arguments: the first element's, then each carry step's.
    std::string first;
    for (const ElementArgument& arg : stored)
      first += (first.empty() ? "view." : ", view.") + arg.member;
    code_.set("CARRY_TUPLE", carry_tuple(m));
    code_.set("ID", id);
    code_.set("FIRST_ARGS", first);
    code_ += "  {{CARRY_TUPLE}} args_{{ID}}{{{FIRST_ARGS}}};  // the next element's arguments";
  }
  return element_args;
}

// One element of a counted array: the loop's body, its exits first.
void StructEmitter::emit_counted_array_step(const MemberLayout& m, const std::string& name,
                                            const std::string& offset,
                                            const std::string& element_args) {
  const auto& a = std::get<ast::ArrayType>(m.field->type->node);
  const std::string id = ident(index_of(m));
  const std::string region = "region_" + id;
  const std::string at = "at_" + id;
  const std::string count = "count_" + id;
  const std::string element = "element_" + id;
  const bool bounded = static_cast<bool>(a.byte_size);
  const std::string bounded_text = bounded ? expr_text(*a.byte_size) : std::string("\"\"");
  const std::string element_of = fmt::format(".element_of(\"{}\", {})", name, count);
  const std::string elem_offset = plus(paren(offset), at);
  const bool uses_it = a.until && reads_element(*a.until);
  const ast::CarryClause* carry = carry_of(m);
  code_.set("COUNTER", count);
  code_.set("AT", at);
  code_.set("REGION", region);
  code_.set("ID", id);
  if (a.count) {
    code_ += "  if ({{COUNTER}} == n_{{ID}}.value()) break;";
  } else if (!a.until || bounded) {
    code_ += "  if ({{AT}} == {{REGION}}.size()) break;";
  } else {
    // `until` without a size: the terminator must come before the buffer ends.
    const std::uint64_t needed =
        m.lazy ? std::max<std::uint64_t>(1, program_layout_.of(*m.scalar->struct_decl).min_size)
               : m.element_bytes;
    fail_if(fmt::format("{} == {}.size()", at, region),
            fail(error("truncated", name, elem_offset) + element_of +
                     ".with_text(\"no terminating element\").with_needed(" +
                     std::to_string(needed) + ")",
                 name));
  }
  if (carry != nullptr) {
    fail_if(fmt::format("{} != 0 && !{}({}, args_{})", count, carry_member(m), element, id),
            fail(error("overflow", name, elem_offset) + element_of + ".with_text(" +
                     expr_text(*carry->next) + ")",
                 name));
  }
  if (!a.count) {
    fail_if(fmt::format("{} == options.max_elements", count),
            fail(error("limit_exceeded", name, elem_offset) +
                     ".with_text(\"more elements than ParseOptions::max_elements\")",
                 name));
  }
  const std::string child_view =
      m.scalar->struct_decl != nullptr ? struct_ref(*m.scalar->struct_decl, "View") : "";
  std::string size;  // bytes of the element just read
  if (m.lazy) {
    code_.set("CHILD_VIEW", child_view);
    code_.set("ELEMENT", element);
    code_.set("REGION", region);
    code_.set("AT", at);
    code_.set("ELEMENT_ARGS", element_args);
    code_ +=
        "  const lp::Status status =\n"
        "      {{CHILD_VIEW}}::parse_into({{ELEMENT}}, {{REGION}}.subspan(lp::unchecked, {{AT}})"
        "{{ELEMENT_ARGS}}, options, depth + 1);\n"
        "  if (!status) [[unlikely]] {";
    if (bounded) {
      code_.set("FAIL", fail(fmt::format("lp::Error(status.error()).rebase({}){}."
                                         "overran_region({}, {}.size())",
                                         elem_offset, element_of, bounded_text, region),
                             name));
      code_ +=
          "    if (status.error().code() == lp::errc::truncated) {\n"
          "      {{FAIL}}\n"
          "    }";
    }
    code_.set(
        "FAIL",
        fail(fmt::format("lp::Error(status.error()).rebase({}){}", elem_offset, element_of), name));
    code_ +=
        "    {{FAIL}}\n"
        "  }";
    if (!a.count) {
      fail_if(element + ".size() == 0", fail(error("bad_length", name, elem_offset) + element_of +
                                                 ".with_text(\"an element of zero bytes\")",
                                             name));
    }
    if (uses_it) {
      code_.set("ELEMENT", element);
      code_ += "  const auto& it = {{ELEMENT}};";
    }
    size = element + ".size()";
  } else {
    const std::string eb = std::to_string(m.element_bytes);
    fail_if(fmt::format("{}.size() - {} < {}", region, at, eb),
            bounded ? fail(error("bad_length", name, elem_offset) + element_of + ".with_text(" +
                               bounded_text + ").with_actual(" + region + ".size())",
                           name)
                    : fail(error("truncated", name, elem_offset) + element_of +
                               fmt::format(".with_needed({} - ({}.size() - {}))", eb, region, at),
                           name));
    code_.set("CHILD_VIEW", child_view);
    code_.set("ELEMENT", element);
    code_.set("REGION", region);
    code_.set("AT", at);
    code_.set("ELEMENT_BYTES", eb);
    if (m.scalar->struct_decl != nullptr) {
      if (m.elements_need_parse) {
        code_.set("FAIL", fail(fmt::format("lp::Error(status.error()).rebase({}){}", elem_offset,
                                           element_of),
                               name));
        code_ +=
            "  const lp::Status status =\n"
            "      {{CHILD_VIEW}}::parse_into({{ELEMENT}}, {{REGION}}.subspan(lp::unchecked, "
            "{{AT}}, {{ELEMENT_BYTES}}), options, depth + 1);\n"
            "  if (!status) [[unlikely]] {\n"
            "    {{FAIL}}\n"
            "  }";
      }
      if (uses_it) {
        code_ +=
            "  const {{CHILD_VIEW}} it(lp::unchecked, {{REGION}}.subspan(lp::unchecked, {{AT}}, "
            "{{ELEMENT_BYTES}}));";
      }
    } else if (uses_it) {
      const ast::NamedType& t = *m.scalar;
      code_.set("IT_TYPE", int_type(t.bits, t.is_signed));
      code_.set("READ", read_raw(t, MemberKind::byte_integer, m.byte_order, ast::BitOrder::msb,
                                 region + ".data()", at, 0));
      code_ += "  const {{IT_TYPE}} it = {{READ}};";
    }
    size = eb;
  }
  if (a.until) {
    code_.set("STOP", expr_.write(*a.until));
    code_ += "  const auto stop = {{STOP}};";
    fail_if("!stop.ok()", fail(error("overflow", name, elem_offset) + element_of + ".with_text(" +
                                   expr_text(*a.until) + ")",
                               name));
  }
  code_.set("AT", at);
  code_.set("ELEMENT_SIZE", size);
  code_.set("COUNTER", count);
  code_ +=
      "  {{AT}} += {{ELEMENT_SIZE}};\n"
      "  ++{{COUNTER}};";
  if (a.until) code_ += "  if (stop.value() != 0) break;";
}

// ------------------------------------------------------------------------------------------------
// Structure: let, align, optional and peeked fields.

// parse() for let, align and optional fields; false for every other member.
bool StructEmitter::emit_parse_structure(const MemberLayout& m, const std::string& name,
                                         const std::string& offset) {
  const std::size_t index = index_of(m);
  if (m.kind == MemberKind::let) {
    const auto& let = std::get<ast::Let>(*m.member);
    code_.set("LET_TEXT", one_line(let.range.text()));
    code_ += "  // {{LET_TEXT}}";
    checked_value("value_" + let.name, *let.value, name, offset, false);
    code_.set("LET_TYPE", let_type(let));
    code_.set("LET", let.name);
    code_ +=
        let.is_endian
            ? "  const {{LET_TYPE}} let_{{LET}} = static_cast<{{LET_TYPE}}>(value_{{LET}}.value());"
            : "  const {{LET_TYPE}} let_{{LET}} = value_{{LET}}.value();";
    code_ += "  view.let_{{LET}}_ = let_{{LET}};";
    return true;
  }
  if (m.kind == MemberKind::align) {
    if (!m.is_dynamic) return true;  // constant padding, part of the segment's fixed run
    const auto& align = std::get<ast::Align>(*m.member);
    const std::string var = "padding_" + ident(index);
    code_.set("ALIGN_TEXT", one_line(align.range.text()));
    code_.set("PADDING", var);
    code_.set("MULTIPLE", literal(align.resolved));
    code_.set("OFFSET", paren(offset));
    code_ +=
        "  // {{ALIGN_TEXT}}\n"
        "  const std::size_t {{PADDING}} = ({{MULTIPLE}} - {{OFFSET}} % {{MULTIPLE}}) % "
        "{{MULTIPLE}};  // to a multiple of {{MULTIPLE}}";
    region_check(var, name, offset, "size - " + paren(offset), false, "");
    store_end(m, fmt::format("{} + {}", offset, var));
    return true;
  }
  if (m.peek && !m.optional) {
    emit_parse_peek(m, name, offset);
    return true;
  }
  if (!m.optional) return false;
  emit_parse_optional(m, name, offset);
  return true;
}

// An optional field: its condition, then the field's own parse in an `if`; an
// absent field takes no bytes.
void StructEmitter::emit_parse_optional(const MemberLayout& m, const std::string& name,
                                        const std::string& offset) {
  const ast::Field& f = *m.field;
  const std::string id = ident(index_of(m));
  checked_value("condition_" + id, *f.condition, name, offset, false);
  const bool scalar = m.kind == MemberKind::byte_integer || m.kind == MemberKind::floating;
  if (scalar && plan_.kept_values.count(&f) != 0) {
    const ast::NamedType& t = *m.scalar;
    code_.set("LOCAL_TYPE", t.is_float ? accessor_type(t) : int_type(t.bits, t.is_signed));
    code_.set("LOCAL", local_name(f));
    code_ += "  {{LOCAL_TYPE}} {{LOCAL}} = 0;  // 0 while absent";
  }
  code_.set("NAME", f.name);
  code_.set("ID", id);
  code_ +=
      "  view.present_{{NAME}}_ = condition_{{ID}}.value() != 0;\n"
      "  if (view.present_{{NAME}}_) {";
  {
    const CodeWriter::Indented when_present(code_, 2);
    emit_parse_present(m, name, offset);
  }
  code_.set("OFFSET", offset);
  if (offset == "pos") {
    code_ += "  }  // absent: takes no bytes";
  } else {
    code_ +=
        "  } else {\n"
        "    pos = {{OFFSET}};  // absent: takes no bytes\n"
        "  }";
  }
  code_.set("END_MEMBER", end_member(index_of(m)));
  code_ += "  view.{{END_MEMBER}} = pos;";
}

// An optional field that is present: parsed as the field would be, setting `pos`.
void StructEmitter::emit_parse_present(const MemberLayout& m, const std::string& name,
                                       const std::string& offset) {
  const ast::Field& f = *m.field;
  if (m.kind == MemberKind::byte_integer || m.kind == MemberKind::floating) {
    const std::string width = std::to_string(*m.present_bits / 8);
    region_check(width, name, offset, "size - " + paren(offset), false, "");
    emit_parse_scalar(m);
    // A peeked field is read, not consumed.
    code_.set("OFFSET", offset);
    code_.set("WIDTH", width);
    if (!m.peek) {
      code_ += "  pos = {{OFFSET}} + {{WIDTH}};";
    } else if (offset != "pos") {
      code_ += "  pos = {{OFFSET}};";
    }
  } else if (m.kind == MemberKind::nested) {
    emit_parse_nested(m, name, offset);
  } else if (m.kind == MemberKind::array) {
    emit_parse_array(m, name, offset);
  } else {
    const auto& b = std::get<ast::BytesType>(f.type->node);
    if (!b.count) {
      code_ += "  pos = size;";
      return;
    }
    const std::string len = "length_" + ident(index_of(m));
    checked_value(len, *b.count, name, offset);
    region_check(len + ".value()", name, offset, "size - " + paren(offset), false, "");
    code_.set("OFFSET", offset);
    code_.set("LENGTH", len);
    code_ += "  pos = {{OFFSET}} + {{LENGTH}}.value();";
  }
}

// `next: u8 peek;`: its bytes must be there (a truncation names it), its value is
// read when an expression needs it, and the next member starts where it does.
void StructEmitter::emit_parse_peek(const MemberLayout& m, const std::string& name,
                                    const std::string& offset) {
  code_ += "  // Peeked: read, not consumed.";
  region_check(std::to_string(*m.present_bits / 8), name, offset, "size - " + paren(offset), false,
               "");
  emit_parse_scalar(m);
  code_.set("OFFSET", offset);
  if (offset != "pos") code_ += "  pos = {{OFFSET}};";
  code_.set("END_MEMBER", end_member(index_of(m)));
  code_ += "  view.{{END_MEMBER}} = pos;";
}

}  // namespace lpc::emit
