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
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ast/overloaded.hpp"
#include "ast/queries.hpp"
#include "emit/code_writer.hpp"
#include "emit/cpp_common.hpp"
#include "emit/emit_builder.hpp"
#include "emit/struct_emitter.hpp"
#include "plan/plan.hpp"
#include "sema/eval.hpp"

namespace lpc::emit {

// ============================================================ emit_parse.cpp (to be moved)

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
  if (always_inline) {
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

// fail_() and the truncation helpers: what parse_into() calls on its cold paths.
void StructEmitter::emit_error_paths() {
  code_ +=
      "[[gnu::cold]] {{OUT_OF_LINE}}lp::Error {{VIEW}}::fail_(\n"
      "    lp::Error error, std::string_view field, const lp::ParseOptions& options) noexcept {\n"
      "  return lp::report_error(std::move(error), type_name, field, options);\n"
      "}\n";
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
    line(fmt::format("  {} {};", struct_ref(child, "View"), target));
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
      depth_check(name, offset);
      const std::string args = emit_arguments(t, name, offset);
      const std::string child_view = struct_ref(*t.struct_decl, "View");
      std::string target = "child_view";
      if (arm.indirect) {
        // Recursive: validated into a local, re-read by the accessor.
        line(fmt::format("  view.region_{}_ = {};", name, region));
        line(fmt::format("  {} {};", child_view, target));
      } else if (!program_layout_.of(*t.struct_decl).fixed_size) {
        // Arms share storage (one is live): begin this member's lifetime,
        // default-initialized (parse_into writes what the accessors read).
        target = "view." + arm_view(name, arm.name);
        line(fmt::format("  ::new (&{}) {};", target, child_view));
      } else {
        line(fmt::format("  {} {};", child_view, target));
      }
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
    line(fmt::format("  {} {};  // the element being read", child_view, element));
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

// ============================================================ emit_mut.cpp (to be moved)

// ------------------------------------------------------------------------------------------------
// The class.

void StructEmitter::emit_mut() {
  code_ +=
      "class {{MUT}} : public {{VIEW}} {\n"
      " public:\n"
      "  {{MUT}}() = default;\n"
      "  {{MUT}}(lp::unchecked_t, const {{VIEW}}& view) noexcept : {{VIEW}}(view) {}";
  if (layout_.fixed_size) {
    code_ +=
        "  {{MUT}}(lp::unchecked_t, lp::mut_bytes buffer) noexcept\n"
        "      : {{VIEW}}(lp::unchecked, lp::bytes(buffer)) {}";
  }
  code_ += "";
  entry_point(
      "  static lp::Result<{{MUT}}> parse(\n"
      "      lp::mut_bytes buffer{{PARAMS}}, const lp::ParseOptions& options = {}) noexcept",
      "lp::Result<{{MUT}}> {{MUT}}::parse(\n"
      "    lp::mut_bytes buffer{{PARAMS}}, const lp::ParseOptions& options) noexcept",
      {"return lp::mut_of<{{MUT}}>({{VIEW}}::parse(buffer{{PARAM_NAMES}}, options));"});
  for (const MemberLayout& m : layout_.members) {
    if (m.field == nullptr || m.field->name == "_") continue;
    emit_mut_members(m);
  }
  emit_update_checksums();
  code_ +=
      "\n"
      "  lp::mut_bytes mut_bytes() const noexcept { return writable_(bytes()); }\n"
      "\n"
      " private:\n"
      "  // The buffer came in as lp::mut_bytes, so writing through it is allowed.\n"
      "  std::byte* mut_data_() const noexcept { return const_cast<std::byte*>(data_); }\n"
      "  static lp::mut_bytes writable_(lp::bytes b) noexcept {\n"
      "    return lp::mut_bytes(const_cast<std::byte*>(b.data()), b.size());\n"
      "  }\n"
      "};\n";
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

// ============================================================ emit_visit.cpp (to be moved)

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
    code.append(fmt::format("      lp::flag_name{{\"{}\", {}}},\n", m.name, m.name));
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
      "// names the schema line behind each member.\n"
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
  for (const auto& imp : module.imports) {
    if (imp.module == nullptr || imp.in_cycle) continue;  // those come after the classes
    code.set("IMPORT", header_path(*imp.module));
    code += "#include \"{{IMPORT}}\"";
  }
  code +=
      "\n"
      "static_assert(lp::runtime_abi == 5, \"{{HEADER}} was generated for another libparse "
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
  for (const ast::StructDecl* s : plan.of(module).struct_order) {
    StructEmitter emitter(module, plan, *s, code, split);
    emitter.emit();
    deferred += emitter.deferred();
    source += emitter.source();
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
      "namespace {{NAMESPACE}} {\n";
  out.append(source);
  out.append(serializers);
  out += "}  // namespace {{NAMESPACE}}";
  files.source = out.str();
  return files;
}

}  // namespace lpc::emit
