// FooView::parse_into() and its cold paths (docs/generated-api.md, "Errors";
// docs/internals/contract.md, "What lpc emits"): the validation of every member
// in segment order (scalars and their constraints, requires, children and their
// arguments, arrays and their elements, switches and their arms, varints,
// cstrings, counted and `until` arrays with their carry steps, lets, align,
// optional and peeked fields), each failure built out of line through fail_(),
// and the truncation helpers that name the field a short input ends in.
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
// Statement builders: parse_into()'s body, its error returns and checks.

void StructEmitter::line(const std::string& text) { body_ += text + "\n"; }

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

// `const auto name = <checked expr>;` and the overflow check.
void StructEmitter::checked_value(const std::string& name, const ast::Expr& e,
                                  const std::string& field, const std::string& offset,
                                  bool to_unsigned) {
  std::string value = expr_.write(e);
  if (to_unsigned && sema::is_signed_expression(e))
    value = fmt::format("lp::to_unsigned({})", value);
  line(fmt::format("  const auto {} = {};", name, value));
  line(fmt::format("  if (!{}.ok()) [[unlikely]] {{", name));
  line(fmt::format(
      "    {}",
      fail(error("overflow", field, offset) + ".with_text(" + expr_text(e) + ")", field)));
  line("  }");
}

// Truncation of a region of `length` bytes (an expression) starting at `offset`.
// In a `bounded` (sized) region it is bad_length with the region's size as
// actual(), as for a child that runs out of the region (generated-api.md).
void StructEmitter::region_check(const std::string& length, const std::string& field,
                                 const std::string& offset, const std::string& available,
                                 bool bounded, const std::string& bounded_text) {
  line(fmt::format("  if ({} > {}) [[unlikely]] {{", length, available));
  if (bounded) {
    line(fmt::format("    {}", fail(error("bad_length", field, offset) + ".with_text(" +
                                        bounded_text + ").with_actual(" + available + ")",
                                    field)));
  } else {
    line(fmt::format("    {}", fail(error("truncated", field, offset) + ".with_needed(" + length +
                                        " - (" + available + "))",
                                    field)));
  }
  line("  }");
}

// A boolean condition; false is constraint_failed, failed arithmetic is overflow.
void StructEmitter::emit_condition(const ast::Expr& e, const std::string& field,
                                   const std::string& offset, unsigned bit,
                                   std::optional<std::string> actual,
                                   const std::string& text_override) {
  const std::string text = text_override.empty() ? expr_text(e) : text_override;
  line(
      fmt::format("  if (const auto check = {}; !check.ok() || check.value() == 0) [[unlikely]] {{",
                  expr_.write(e)));
  std::string err = fmt::format(
      "lp::Error(check.ok() ? lp::errc::constraint_failed : lp::errc::overflow, "
      "\"{}\", {}{})",
      field, offset, bit != 0 ? fmt::format(", {}", bit) : "");
  err += ".with_text(" + text + ")";
  if (actual) err += *actual;
  line("    " + fail(err, field));
  line("  }");
}

// `nonempty`, when given, is a condition that the array about to be parsed has
// an element: an empty array nests nothing, so it is not too deep.
void StructEmitter::depth_check(const std::string& name, const std::string& offset,
                                const std::string& nonempty) {
  if (nonempty.empty()) {
    line("  if (depth + 1 > options.max_depth) [[unlikely]] {");
  } else {
    line(fmt::format("  if (depth + 1 > options.max_depth && {}) [[unlikely]] {{", nonempty));
  }
  line(fmt::format("    {}", fail(error("too_deep", name, offset), name)));
  line("  }");
}

// Each line of `block` two more spaces in.
std::string StructEmitter::indented(const std::string& block) {
  std::string out;
  std::size_t start = 0;
  while (start < block.size()) {
    const std::size_t nl = block.find('\n', start);
    out += "  " + block.substr(start, nl - start) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
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
  body_.clear();
  const bool multi_segment = layout_.segments.size() > 1;
  if (multi_segment) line("  std::size_t pos = 0;  // where the current segment starts");
  emit_requires(RequireCheck::When::first, 0);
  for (std::size_t k = 0; k < layout_.segments.size(); ++k) {
    const auto& seg = layout_.segments[k];
    const std::string start = k == 0 ? "0" : "pos";
    if (seg.fixed_bytes > 0) {
      line(fmt::format("  // segment {}: {} bytes at constant offsets", k, seg.fixed_bytes));
      if (k == 0) {
        line(fmt::format(
            "  if (size < {}) [[unlikely]] return truncated_in_segment0_(0, size, options);",
            seg.fixed_bytes));
      } else {
        line(fmt::format("  if (size - pos < {}) [[unlikely]] {{", seg.fixed_bytes));
        line(fmt::format("    return truncated_in_segment{}_(pos, size - pos, options);", k));
        line("  }");
      }
    }
    (void)start;
    for (std::size_t i = seg.first_member; i < seg.end_member; ++i) {
      const MemberLayout& m = layout_.members[i];
      if (require_needs_start(i))
        line(fmt::format("  const std::size_t start_{} = {};", ident(i), parse_offset(m)));
      emit_parse_member(m);
      emit_requires(RequireCheck::When::after_member, i);
    }
  }
  const auto& last = layout_.segments.back();
  // `remaining` in a require: the bytes after the struct.
  const std::string end = std::to_string(last.fixed_bytes);
  expr_.set_position(!multi_segment ? end : last.fixed_bytes > 0 ? "pos + " + end : "pos");
  emit_requires(RequireCheck::When::last, 0);
  if (multi_segment) {
    line(last.fixed_bytes > 0 ? fmt::format("  view.size_ = pos + {};", last.fixed_bytes)
                              : std::string("  view.size_ = pos;"));
  } else {
    line(fmt::format("  view.size_ = {};", last.fixed_bytes));
  }
  line("  return {};");

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
  code_.append(body_);
  code_ += "}\n";
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
    line("  // " + one_line(c.require->range.text()));
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
  if (keep_begin) line(fmt::format("  const std::size_t {} = {};", begin, parse_offset(m)));
  emit_parse_member_body(m);
  if (!text && !counted && !sized && !checked) return;
  const std::string start = keep_begin ? begin : parse_offset(m);
  const std::string length =
      !m.is_dynamic ? std::to_string(*m.bit_width / 8) : fmt::format("pos - {}", start);
  if (sized) line(fmt::format("  const std::uint64_t {} = {};", byte_size_local_name(*f), length));
  if (counted) {
    const std::string count = m.stores_count ? "view." + count_member(m)
                                             : fmt::format("({}) / {}", length, m.element_bytes);
    line(fmt::format("  const std::uint64_t {} = {};", element_count_local_name(*f), count));
  }
  // Every `_` has the same local: each constrained one checks it in a scope of its own.
  const bool scoped = text && f->name == "_";
  if (scoped) line("  {");
  if (text) emit_text_local(m, start, length);
  if (checked) emit_sequence_constraints(m, start);
  if (scoped) line("  }");
}

// `text_name`: the bytes a string comparison reads; a cstring's without its NUL,
// a `cstring[n]`'s up to its first NUL.
void StructEmitter::emit_text_local(const MemberLayout& m, const std::string& start,
                                    const std::string& length) {
  const ast::Field& f = *m.field;
  const auto& type = std::get<ast::BytesType>(f.type->node);
  const std::string at = pointer("buffer.data()", start);
  if (type.kind != ast::BytesKind::cstring) {
    line(fmt::format("  const lp::bytes {}({}, {});", text_local_name(f), at, length));
  } else if (!type.count) {
    line(fmt::format("  const lp::bytes {}({}, {} - 1);", text_local_name(f), at, length));
  } else {
    const std::string padded = "padded_" + ident(index_of(m));
    line(fmt::format("  const std::string_view {}(reinterpret_cast<const char*>({}), {});", padded,
                     at, length));
    line(fmt::format("  const lp::bytes {}({}, {}.substr(0, {}.find('\\0')).size());",
                     text_local_name(f), at, padded, padded));
  }
}

// The constraints of a bytes, string, cstring or array field, once it is read:
// `== "MQTT"` and `where` clauses (comparisons with string literals, count(),
// size()), at the field's first byte. An optional field's hold when it is present.
void StructEmitter::emit_sequence_constraints(const MemberLayout& m, const std::string& start) {
  const ast::Field& f = *m.field;
  const std::string name = display_name(m);
  std::string saved = std::move(body_);
  body_.clear();
  for (const auto& c : f.constraints) {
    if (c.kind == ast::ConstraintKind::where) {
      emit_condition(*c.expr, name, start, 0, std::nullopt);
      continue;
    }
    const auto& literal = std::get<ast::StringLiteral>(c.expr->node).value;
    line(fmt::format("  if ({} != lp::bytes({}, {})) [[unlikely]] {{", text_local_name(f),
                     cpp_bytes_literal(literal), literal.size()));
    line("    " + fail(error("constraint_failed", name, start) + ".with_text(" +
                           cpp_string(f.name + " == " + std::string(c.expr->range.text())) + ")",
                       name));
    line("  }");
  }
  std::string checks = std::move(body_);
  body_ = std::move(saved);
  if (m.optional) line(fmt::format("  if (view.present_{}_) {{", f.name));
  body_ += m.optional ? indented(checks) : checks;
  if (m.optional) line("  }");
}

void StructEmitter::emit_parse_member_body(const MemberLayout& m) {
  const std::string name = display_name(m);
  const std::string offset = parse_offset(m);
  expr_.set_position(offset);
  const std::size_t index = index_of(m);
  if (m.field != nullptr) line("  " + schema_comment(m.field->range));
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
      if (m.kind == MemberKind::pad)
        line("  // " + one_line(std::get<ast::Pad>(*m.member).range.text()));
      if (count == nullptr) {
        line("  pos = size;");
      } else {
        const std::string len = "length_" + ident(index);
        checked_value(len, *count, name, offset);
        region_check(len + ".value()", name, offset, "size - " + paren(offset), false, "");
        line(fmt::format("  pos = {} + {}.value();", offset, len));
      }
      line(fmt::format("  view.{} = pos;", end_member(index)));
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
  const std::string type = t.is_float ? accessor_type(t) : int_type(t.bits, t.is_signed);
  // Every `_` has the same local: each constrained one reads it in a scope of its own.
  const bool scoped = f.name == "_" && !m.optional;
  if (scoped) line("  {");
  line(fmt::format(fmt::runtime(m.optional ? "  {1} = {2};" : "  const {0} {1} = {2};"), type,
                   local,
                   read_raw(t, m.kind, m.byte_order, m.bit_order, "p",
                            m.segment == 0 ? std::string() : std::string("pos"), m.bit_offset,
                            m.runtime_order)));
  emit_field_constraints(m, local);
  if (scoped) line("  }");
}

// The `==` / `where` checks of a scalar field whose value is in `local`.
void StructEmitter::emit_field_constraints(const MemberLayout& m, const std::string& local) {
  const ast::Field& f = *m.field;
  const ast::NamedType& t = *m.scalar;
  const std::string offset = parse_offset(m);
  const std::string actual = t.is_signed ? fmt::format(".with_actual_signed({})", local)
                                         : fmt::format(".with_actual({})", local);
  for (const auto& c : f.constraints) {
    if (c.kind == ast::ConstraintKind::equals) {
      // `x: u4 == 4` checks `x == 4`, and says so in the error.
      const bool is_signed = t.is_signed || sema::is_signed_expression(*c.expr);
      const std::string lhs = t.is_signed ? fmt::format("lp::ci64{{{}}}", local)
                              : is_signed ? fmt::format("lp::to_signed(lp::cu64{{{}}})", local)
                                          : fmt::format("lp::cu64{{{}}}", local);
      const std::string text = cpp_string(f.name + " == " + std::string(c.expr->range.text()));
      line(
          fmt::format("  if (const auto check = ({} == {}); !check.ok() || check.value() == 0) "
                      "[[unlikely]] {{",
                      lhs, expr_.write(*c.expr, is_signed)));
      line("    " +
           fail(fmt::format("lp::Error(check.ok() ? lp::errc::constraint_failed : "
                            "lp::errc::overflow, \"{}\", {}{}).with_text({}){}",
                            display_name(m), offset,
                            m.bit_offset % 8 != 0 ? fmt::format(", {}", m.bit_offset % 8) : "",
                            text, actual),
                display_name(m)));
      line("  }");
    } else {
      emit_condition(*c.expr, display_name(m), offset, static_cast<unsigned>(m.bit_offset % 8),
                     actual);
    }
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
                                const std::string& bounded_text, const std::string& indent,
                                const std::string& args) {
  line(fmt::format("{}const lp::Status {} =", indent, var));
  line(fmt::format("{}    {}::parse_into({}, {}{}, options, depth + 1);", indent,
                   struct_ref(child, "View"), target, region, args));
  line(fmt::format("{}if (!{}) [[unlikely]] {{", indent, var));
  if (bounded) {
    // Not truncation (more input would not help): bad_length at the innermost
    // field that ran out of the region.
    line(fmt::format("{}  if ({}.error().code() == lp::errc::truncated) {{", indent, var));
    line(fmt::format(
        "{}    {}", indent,
        fail(fmt::format("lp::Error({}.error()).rebase({}).push_outer(\"{}\").overran_region({}, "
                         "{}.size())",
                         var, offset, name, bounded_text, region),
             name)));
    line(fmt::format("{}  }}", indent));
  }
  line(fmt::format(
      "{}  {}", indent,
      fail(fmt::format("lp::Error({}.error()).rebase({}).push_outer(\"{}\")", var, offset, name),
           name)));
  line(fmt::format("{}}}", indent));
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
    line(fmt::format("  {} {}{};", struct_ref(child, "View"), target, for_parse_init(child)));
  }
  parse_child(child, var, target, region, name, offset, false, "", "  ", args);
  if (m.is_dynamic) {
    line(fmt::format("  pos = {} + {}.size();", offset, target));
    line(fmt::format("  view.{} = pos;", end_member(index_of(m))));
  }
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
    const std::string fits = out_of_range(type, var);
    line(fmt::format("  const auto {} = {};  // argument '{}'", var, value,
                     trim(param.range.text())));
    line(fmt::format("  if (!{}.ok(){}) [[unlikely]] {{", var, fits));
    line(fmt::format(
        "    {}",
        fail(error("overflow", name, offset) + ".with_text(" + expr_text(arg) + ")", name)));
    line("  }");
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
    line(fmt::format("  const auto {} = {} * lp::cu64{{{}}};", len_var, value, element_bytes));
    line(fmt::format("  if (!{}.ok()) [[unlikely]] {{", len_var));
    line(fmt::format(
        "    {}",
        fail(error("overflow", name, offset) + ".with_text(" + expr_text(*a.count) + ")", name)));
    line("  }");
    region_check(len_var + ".value()", name, offset, available, bounded, bounded_text);
    return;
  }
  if (a.byte_size) {
    checked_value(len_var, *a.byte_size, name, offset);
    line(fmt::format("  if ({}.value() % {} != 0) [[unlikely]] {{", len_var, element_bytes));
    line(fmt::format(
        "    {}", fail(error("bad_length", name, offset) + ".with_text(" + expr_text(*a.byte_size) +
                           ").with_actual(" + len_var + ".value())",
                       name)));
    line("  }");
    region_check(len_var + ".value()", name, offset, available, bounded, bounded_text);
    return;
  }
  line(fmt::format("  const lp::cu64 {}{{{}}};", len_var, available));
  line(fmt::format("  if ({}.value() % {} != 0) [[unlikely]] {{", len_var, element_bytes));
  line(fmt::format("    {}",
                   fail(error("bad_length", name, offset) + ".with_text(\"not a whole number of " +
                            std::to_string(element_bytes) + "-byte elements\").with_actual(" +
                            len_var + ".value())",
                        name)));
  line("  }");
}

// Validates each element of an array of structs that carry constraints.
void StructEmitter::element_loop(const ast::StructDecl& child, std::uint64_t element_bytes,
                                 const std::string& length, const std::string& name,
                                 const std::string& offset, const std::string& region_base) {
  depth_check(name, offset, paren(length) + " != 0");
  // One view for every element: parse_into() rewrites each member it reads.
  line(fmt::format("  {} element;", struct_ref(child, "View")));
  line(fmt::format("  for (std::size_t at = 0; at < {}; at += {}) {{", length, element_bytes));
  line("    const lp::Status status =");
  line(fmt::format(
      "        {}::parse_into(element, {}.subspan(lp::unchecked, at, {}), options, depth + 1);",
      struct_ref(child, "View"), region_base, element_bytes));
  line("    if (!status) [[unlikely]] {");
  line(fmt::format(
      "      {}",
      fail(fmt::format("lp::Error(status.error()).rebase({} + at).element_of(\"{}\", at / {})",
                       paren(offset), name, element_bytes),
           name)));
  line("    }");
  line("  }");
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
  if (m.is_dynamic) {
    line(fmt::format("  pos = {} + {};", offset, length));
    line(fmt::format("  view.{} = pos;", end_member(index)));
  }
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
  std::string region = "region_" + id;
  if (bounded) {
    checked_value("length_" + id, *sw.byte_size, name, offset);
    region_check("length_" + id + ".value()", name, offset, "size - " + paren(offset), false, "");
    line(fmt::format("  const lp::bytes {} = buffer.subspan(lp::unchecked, {}, length_{}.value());",
                     region, offset, id));
  } else {
    line(fmt::format("  const lp::bytes {} = {};", region, rest_from(offset)));
  }
  line(fmt::format("  std::size_t used_{} = 0;  // bytes the arm takes", id));
  line(fmt::format("  switch (tag_{}.value()) {{", id));
  const ast::SwitchArm* default_arm = nullptr;
  for (const auto& arm : sw.arms) {
    if (arm.is_default) {
      default_arm = &arm;
      continue;
    }
    for (const auto& c : arm.cases) {
      const auto v = sema::evaluate_constant(*c).value;
      line(fmt::format("    case {}:  // {}",
                       v.is_negative() ? std::to_string(v.as_signed()) : literal(v.bits),
                       trim(c->range.text())));
    }
    emit_arm(m, arm, name, offset, region, bounded, bounded_text);
  }
  if (default_arm != nullptr) {
    line("    default:");
    emit_arm(m, *default_arm, name, offset, region, bounded, bounded_text);
  } else {
    line("    default:");
    line(fmt::format("      {}", fail(error("bad_value", name, offset) + ".with_text(" +
                                          expr_text(*sw.tag) + ").with_actual" +
                                          (sema::is_signed_expression(*sw.tag) ? "_signed" : "") +
                                          "(tag_" + id + ".value())",
                                      name)));
  }
  line("  }");
  if (bounded) {
    line(fmt::format("  if (used_{} != {}.size()) [[unlikely]] {{", id, region));
    line(fmt::format("    {}", fail(error("bad_length", name, offset) + ".with_text(" +
                                        bounded_text + ").with_actual(" + region + ".size())",
                                    name)));
    line("  }");
  }
  line(fmt::format("  pos = {} + used_{};", offset, id));
  line(fmt::format("  view.{} = pos;", end_member(index_of(m))));
}

void StructEmitter::emit_arm(const MemberLayout& m, const ast::SwitchArm& arm,
                             const std::string& name, const std::string& offset,
                             const std::string& region, bool bounded,
                             const std::string& bounded_text) {
  const std::string id = ident(index_of(m));
  const std::string used = "used_" + id;
  line("    {");
  line(fmt::format("      view.arm_{}_ = {}Arm::{};", name, camel(name), arm.name));
  // Arm bodies reuse the statement writers at one more indentation level.
  const std::string saved = std::move(body_);
  body_.clear();
  if (std::holds_alternative<ast::BytesType>(arm.type->node)) {
    const auto& b = std::get<ast::BytesType>(arm.type->node);
    if (!b.count) {
      line(fmt::format("  {} = {}.size();", used, region));
    } else {
      checked_value("length", *b.count, name, offset);
      region_check("length.value()", name, offset, region + ".size()", bounded, bounded_text);
      line(fmt::format("  {} = length.value();", used));
    }
  } else if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
    const auto& elem = std::get<ast::NamedType>(a->element->node);
    const std::uint64_t element_bytes = elem.struct_decl != nullptr
                                            ? *program_layout_.of(*elem.struct_decl).fixed_size
                                            : elem.bits / 8;
    array_length(*a, element_bytes, "length", name, offset, region + ".size()", bounded,
                 bounded_text);
    line(fmt::format("  {} = length.value();", used));
    if (elem.struct_decl != nullptr && program_layout_.of(*elem.struct_decl).has_checks) {
      element_loop(*elem.struct_decl, element_bytes, used, name, offset, region);
    }
  } else {
    const auto& t = std::get<ast::NamedType>(arm.type->node);
    if (t.struct_decl != nullptr && !arm.indirect &&
        program_plan_.of(*t.struct_decl).valid_anywhere) {
      const std::string child_view = struct_ref(*t.struct_decl, "View");
      const std::string width = child_view + "::fixed_size";
      if (bounded) {
        // Too short for the arm: its own parse (on the cold path only) names the
        // field holding the first byte past the region.
        line(fmt::format("  if ({} > {}.size()) [[unlikely]] {{", width, region));
        line(fmt::format("    {}",
                         fail(fmt::format("lp::Error([&]() noexcept {{ {0} scratch; return {0}::"
                                          "parse_into(scratch, {1}, options, 0).error(); }}())"
                                          ".rebase({2}).push_outer(\"{3}\").overran_region({4}, "
                                          "{1}.size())",
                                          child_view, region, offset, name, bounded_text),
                              name)));
        line("  }");
      } else {
        region_check(width, name, offset, region + ".size()", bounded, bounded_text);
      }
      line(fmt::format("  {} = {};", used, width));
    } else if (t.struct_decl != nullptr) {
      const std::string child_view = struct_ref(*t.struct_decl, "View");
      std::string target = "child_view";
      if (arm.indirect) {
        // Recursive: validated into a local, re-read by the accessor.
        line(fmt::format("  view.region_{}_ = {};", name, region));
        line(fmt::format("  {} {}{};", child_view, target, for_parse_init(*t.struct_decl)));
      } else if (!program_layout_.of(*t.struct_decl).fixed_size) {
        // Arms share storage (one is live): begin this member's lifetime,
        // default-initialized (parse_into writes what the accessors read), right
        // after the tag names it, so that the two agree whatever fails next.
        target = "view." + arm_view(name, arm.name);
        line(
            fmt::format("  ::new (&{}) {}{};", target, child_view, for_parse_init(*t.struct_decl)));
      } else {
        line(fmt::format("  {} {}{};", child_view, target, for_parse_init(*t.struct_decl)));
      }
      depth_check(name, offset);
      const std::string args = emit_arguments(t, name, offset);
      parse_child(*t.struct_decl, "child", target, region, name, offset, bounded, bounded_text,
                  "  ", args);
      line(fmt::format("  {} = {}.size();", used, target));
    } else {
      const std::string width = std::to_string(t.bits / 8);
      region_check(width, name, offset, region + ".size()", bounded, bounded_text);
      line(fmt::format("  {} = {};", used, width));
    }
  }
  std::string arm_body = std::move(body_);
  body_ = saved;
  // Indent the arm's statements by four more spaces.
  std::size_t start = 0;
  while (start < arm_body.size()) {
    const std::size_t nl = arm_body.find('\n', start);
    body_ += "    " + arm_body.substr(start, nl - start) + "\n";
    start = nl + 1;
  }
  line("      break;");
  line("    }");
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
  line(fmt::format("  const auto {} = {}(buffer.subspan({}, {}));", var, varint_decoder(*m.scalar),
                   offset, left_after(offset)));
  line(fmt::format("  if (!{}) [[unlikely]] {{", var));
  line(fmt::format("    {}", fail(fmt::format("lp::Error({}.error()).rebase({}).push_outer(\"{}\")",
                                              var, offset, name),
                                  name)));
  line("  }");
  line(fmt::format("  view.{} = {}->value;", value_member(m), var));
  if (plan_.kept_values.count(m.field) != 0) {
    const std::string local = local_name(*m.field);
    line(fmt::format("  const {} {} = {}->value;", varint_type(*m.scalar), local, var));
    emit_field_constraints(m, local);
  }
  line(fmt::format("  pos = {};", plus(offset, var + "->size")));
  line(fmt::format("  view.{} = pos;", end_member(index_of(m))));
}

void StructEmitter::emit_parse_cstring(const MemberLayout& m, const std::string& name,
                                       const std::string& offset) {
  const std::string nul = "nul_" + ident(index_of(m));
  line(fmt::format("  std::size_t {} = {};  // the terminating NUL", nul, offset));
  line(fmt::format("  while ({} < size && buffer[{}] != std::byte{{0}}) ++{};", nul, nul, nul));
  line(fmt::format("  if ({} == size) [[unlikely]] {{", nul));
  line(fmt::format("    {}", fail(error("truncated", name, offset) +
                                      ".with_text(\"no NUL terminator\").with_needed(1)",
                                  name)));
  line("  }");
  line(fmt::format("  pos = {} + 1;", nul));
  line(fmt::format("  view.{} = pos;", end_member(index_of(m))));
}

// One pass over the elements: validates each, counts them, stops at the count,
// the end of the region or the terminator; every step is bounded by
// options.max_elements.
void StructEmitter::emit_parse_counted_array(const MemberLayout& m, const std::string& name,
                                             const std::string& offset) {
  const auto& a = std::get<ast::ArrayType>(m.field->type->node);
  const std::string id = ident(index_of(m));
  const std::string region = "region_" + id;
  const std::string at = "at_" + id;
  const std::string count = "count_" + id;
  const bool bounded = static_cast<bool>(a.byte_size);
  const std::string bounded_text = bounded ? expr_text(*a.byte_size) : std::string("\"\"");
  const std::string element_of = fmt::format(".element_of(\"{}\", {})", name, count);
  const std::string elem_offset = plus(paren(offset), at);
  const bool uses_it = a.until && reads_element(*a.until);
  if (bounded) {
    checked_value("length_" + id, *a.byte_size, name, offset);
    region_check("length_" + id + ".value()", name, offset, "size - " + paren(offset), false, "");
    line(fmt::format("  const lp::bytes {} = buffer.subspan(lp::unchecked, {}, length_{}.value());",
                     region, offset, id));
  } else {
    line(fmt::format("  const lp::bytes {} = {};", region, rest_from(offset)));
  }
  if (a.count) {
    checked_value("n_" + id, *a.count, name, offset);
    line(fmt::format("  if (n_{}.value() > options.max_elements) [[unlikely]] {{", id));
    line(fmt::format("    {}", fail(error("limit_exceeded", name, offset) +
                                        ".with_text(\"more elements than "
                                        "ParseOptions::max_elements\").with_actual(n_" +
                                        id + ".value())",
                                    name)));
    line("  }");
  }
  if (m.lazy || m.elements_need_parse) {
    depth_check(name, offset,
                a.count ? fmt::format("n_{}.value() != 0", id) : region + ".size() != 0");
  }
  // Arguments of a parameterised element type: evaluated once, kept by the view.
  std::string element_args;  // ", a, b"
  const ast::CarryClause* carry = carry_of(m);
  if (m.lazy) {
    const std::vector<std::string> values = emit_argument_values(*m.scalar, name, offset, carry);
    const std::vector<ElementArgument> stored = element_arguments(m);
    for (std::size_t i = 0; i < values.size(); ++i) {
      line(fmt::format("  view.{} = {};", stored[i].member, values[i]));
      element_args += carry != nullptr
                          ? fmt::format(", std::get<{}>(args_{})", i, ident(index_of(m)))
                          : ", view." + stored[i].member;
    }
    if (carry != nullptr) {
      // The running arguments: the first element's, then each carry step's.
      std::string first;
      for (const ElementArgument& arg : stored)
        first += (first.empty() ? "view." : ", view.") + arg.member;
      line(fmt::format("  {} args_{}{{{}}};  // the next element's arguments", carry_tuple(m),
                       ident(index_of(m)), first));
    }
  }
  if (is_deferrable(m)) {
    line(fmt::format("  std::size_t {} = lp::deferred_count;  // elements read, unless deferred",
                     count));
    line("  if (!options.defer_lists) {");
    line(fmt::format(
        "    const lp::Status walked = lp::walk_list({}, {}, {}, options, depth, {}{});",
        rule_member(m), region, offset, count, element_args));
    line("    if (!walked) [[unlikely]] {");
    line(fmt::format("      {}", fail("lp::Error(walked.error())", name)));
    line("    }");
    line("  }");
    line(fmt::format("  view.{} = {};", count_member(m), count));
    line(fmt::format("  pos = {};",
                     plus(offset, bounded ? "length_" + id + ".value()" : region + ".size()")));
    line(fmt::format("  view.{} = pos;", end_member(index_of(m))));
    return;
  }
  line(fmt::format("  std::size_t {} = 0;  // elements read", count));
  line(fmt::format("  std::size_t {} = 0;  // bytes they take", at));
  const std::string child_view =
      m.scalar->struct_decl != nullptr ? struct_ref(*m.scalar->struct_decl, "View") : "";
  const bool parses_elements =
      m.lazy || (m.scalar->struct_decl != nullptr && m.elements_need_parse);
  const std::string element = "element_" + id;
  if (parses_elements) {
    // One view for every element: parse_into() rewrites each member it reads.
    line(fmt::format("  {} {}{};  // the element being read", child_view, element,
                     for_parse_init(*m.scalar->struct_decl)));
  }
  line("  for (;;) {");
  if (a.count) {
    line(fmt::format("    if ({} == n_{}.value()) break;", count, id));
  } else if (!a.until || bounded) {
    line(fmt::format("    if ({} == {}.size()) break;", at, region));
  } else {
    // `until` without a size: the terminator must come before the buffer ends.
    const std::uint64_t needed =
        m.lazy ? std::max<std::uint64_t>(1, program_layout_.of(*m.scalar->struct_decl).min_size)
               : m.element_bytes;
    line(fmt::format("    if ({} == {}.size()) [[unlikely]] {{", at, region));
    line(fmt::format("      {}", fail(error("truncated", name, elem_offset) + element_of +
                                          ".with_text(\"no terminating element\").with_needed(" +
                                          std::to_string(needed) + ")",
                                      name)));
    line("    }");
  }
  if (carry != nullptr) {
    line(fmt::format("    if ({} != 0 && !{}({}, args_{})) [[unlikely]] {{", count, carry_member(m),
                     element, ident(index_of(m))));
    line(fmt::format("      {}", fail(error("overflow", name, elem_offset) + element_of +
                                          ".with_text(" + expr_text(*carry->next) + ")",
                                      name)));
    line("    }");
  }
  if (!a.count) {
    line(fmt::format("    if ({} == options.max_elements) [[unlikely]] {{", count));
    line(fmt::format("      {}", fail(error("limit_exceeded", name, elem_offset) +
                                          ".with_text(\"more elements than "
                                          "ParseOptions::max_elements\")",
                                      name)));
    line("    }");
  }
  std::string size;  // bytes of the element just read
  if (m.lazy) {
    line("    const lp::Status status =");
    line(fmt::format(
        "        {}::parse_into({}, {}.subspan(lp::unchecked, {}){}, options, depth + 1);",
        child_view, element, region, at, element_args));
    line("    if (!status) [[unlikely]] {");
    if (bounded) {
      line("      if (status.error().code() == lp::errc::truncated) {");
      line(
          fmt::format("        {}", fail(fmt::format("lp::Error(status.error()).rebase({}){}."
                                                     "overran_region({}, {}.size())",
                                                     elem_offset, element_of, bounded_text, region),
                                         name)));
      line("      }");
    }
    line(fmt::format("      {}", fail(fmt::format("lp::Error(status.error()).rebase({}){}",
                                                  elem_offset, element_of),
                                      name)));
    line("    }");
    if (!a.count) {
      line(fmt::format("    if ({}.size() == 0) [[unlikely]] {{", element));
      line(fmt::format("      {}", fail(error("bad_length", name, elem_offset) + element_of +
                                            ".with_text(\"an element of zero bytes\")",
                                        name)));
      line("    }");
    }
    if (uses_it) line(fmt::format("    const auto& it = {};", element));
    size = element + ".size()";
  } else {
    const std::string eb = std::to_string(m.element_bytes);
    line(fmt::format("    if ({}.size() - {} < {}) [[unlikely]] {{", region, at, eb));
    if (bounded) {
      line(fmt::format("      {}",
                       fail(error("bad_length", name, elem_offset) + element_of + ".with_text(" +
                                bounded_text + ").with_actual(" + region + ".size())",
                            name)));
    } else {
      line(fmt::format("      {}",
                       fail(error("truncated", name, elem_offset) + element_of +
                                fmt::format(".with_needed({} - ({}.size() - {}))", eb, region, at),
                            name)));
    }
    line("    }");
    if (m.scalar->struct_decl != nullptr) {
      if (m.elements_need_parse) {
        line("    const lp::Status status =");
        line(fmt::format(
            "        {}::parse_into({}, {}.subspan(lp::unchecked, {}, {}), options, depth + 1);",
            child_view, element, region, at, eb));
        line("    if (!status) [[unlikely]] {");
        line(fmt::format("      {}", fail(fmt::format("lp::Error(status.error()).rebase({}){}",
                                                      elem_offset, element_of),
                                          name)));
        line("    }");
      }
      if (uses_it) {
        line(fmt::format("    const {} it(lp::unchecked, {}.subspan(lp::unchecked, {}, {}));",
                         child_view, region, at, eb));
      }
    } else if (uses_it) {
      const ast::NamedType& t = *m.scalar;
      line(fmt::format("    const {} it = {};", int_type(t.bits, t.is_signed),
                       read_raw(t, MemberKind::byte_integer, m.byte_order, ast::BitOrder::msb,
                                region + ".data()", at, 0)));
    }
    size = eb;
  }
  if (a.until) {
    line(fmt::format("    const auto stop = {};", expr_.write(*a.until)));
    line("    if (!stop.ok()) [[unlikely]] {");
    line(fmt::format("      {}", fail(error("overflow", name, elem_offset) + element_of +
                                          ".with_text(" + expr_text(*a.until) + ")",
                                      name)));
    line("    }");
  }
  line(fmt::format("    {} += {};", at, size));
  line(fmt::format("    ++{};", count));
  if (a.until) line("    if (stop.value() != 0) break;");
  line("  }");
  line(fmt::format("  view.{} = {};", count_member(m), count));
  line(fmt::format("  pos = {};", plus(offset, bounded ? "length_" + id + ".value()" : at)));
  line(fmt::format("  view.{} = pos;", end_member(index_of(m))));
}

// ------------------------------------------------------------------------------------------------
// Structure: let, align, optional and peeked fields.

// parse() for let, align and optional fields; false for every other member.
bool StructEmitter::emit_parse_structure(const MemberLayout& m, const std::string& name,
                                         const std::string& offset) {
  const std::size_t index = index_of(m);
  if (m.kind == MemberKind::let) {
    const auto& let = std::get<ast::Let>(*m.member);
    line("  // " + one_line(let.range.text()));
    checked_value("value_" + let.name, *let.value, name, offset, false);
    line(fmt::format(
        fmt::runtime(let.is_endian ? "  const {0} let_{1} = static_cast<{0}>(value_{1}.value());"
                                   : "  const {0} let_{1} = value_{1}.value();"),
        let_type(let), let.name));
    line(fmt::format("  view.let_{}_ = let_{};", let.name, let.name));
    return true;
  }
  if (m.kind == MemberKind::align) {
    if (!m.is_dynamic) return true;  // constant padding, part of the segment's fixed run
    const auto& align = std::get<ast::Align>(*m.member);
    const std::string var = "padding_" + ident(index);
    const std::string n = literal(align.resolved);
    line("  // " + one_line(align.range.text()));
    line(fmt::format("  const std::size_t {} = ({} - {} % {}) % {};  // to a multiple of {}", var,
                     n, paren(offset), n, n, n));
    region_check(var, name, offset, "size - " + paren(offset), false, "");
    line(fmt::format("  pos = {} + {};", offset, var));
    line(fmt::format("  view.{} = pos;", end_member(index)));
    return true;
  }
  if (m.peek && !m.optional) {
    emit_parse_peek(m, name, offset);
    return true;
  }
  if (!m.optional) return false;
  const ast::Field& f = *m.field;
  const std::string id = ident(index);
  checked_value("condition_" + id, *f.condition, name, offset, false);
  const bool scalar = m.kind == MemberKind::byte_integer || m.kind == MemberKind::floating;
  if (scalar && plan_.kept_values.count(&f) != 0) {
    const ast::NamedType& t = *m.scalar;
    const std::string type = t.is_float ? accessor_type(t) : int_type(t.bits, t.is_signed);
    line(fmt::format("  {} {} = 0;  // 0 while absent", type, local_name(f)));
  }
  line(fmt::format("  view.present_{}_ = condition_{}.value() != 0;", f.name, id));
  line(fmt::format("  if (view.present_{}_) {{", f.name));
  std::string saved = std::move(body_);
  body_.clear();
  if (scalar) {
    const std::string width = std::to_string(*m.present_bits / 8);
    region_check(width, name, offset, "size - " + paren(offset), false, "");
    emit_parse_scalar(m);
    // A peeked field is read, not consumed.
    if (!m.peek) {
      line(fmt::format("  pos = {} + {};", offset, width));
    } else if (offset != "pos") {
      line(fmt::format("  pos = {};", offset));
    }
  } else if (m.kind == MemberKind::nested) {
    emit_parse_nested(m, name, offset);
  } else if (m.kind == MemberKind::array) {
    emit_parse_array(m, name, offset);
  } else {
    const auto& b = std::get<ast::BytesType>(f.type->node);
    if (!b.count) {
      line("  pos = size;");
    } else {
      const std::string len = "length_" + id;
      checked_value(len, *b.count, name, offset);
      region_check(len + ".value()", name, offset, "size - " + paren(offset), false, "");
      line(fmt::format("  pos = {} + {}.value();", offset, len));
    }
  }
  std::string inner = std::move(body_);
  body_ = std::move(saved);
  body_ += indented(inner);
  if (offset == "pos") {
    line("  }  // absent: takes no bytes");
  } else {
    line("  } else {");
    line(fmt::format("    pos = {};  // absent: takes no bytes", offset));
    line("  }");
  }
  line(fmt::format("  view.{} = pos;", end_member(index)));
  return true;
}

// `next: u8 peek;`: its bytes must be there (a truncation names it), its value is
// read when an expression needs it, and the next member starts where it does.
void StructEmitter::emit_parse_peek(const MemberLayout& m, const std::string& name,
                                    const std::string& offset) {
  line("  // Peeked: read, not consumed.");
  region_check(std::to_string(*m.present_bits / 8), name, offset, "size - " + paren(offset), false,
               "");
  emit_parse_scalar(m);
  if (offset != "pos") line(fmt::format("  pos = {};", offset));
  line(fmt::format("  view.{} = pos;", end_member(index_of(m))));
}

}  // namespace lpc::emit
