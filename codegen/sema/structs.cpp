// A struct's members in source order: names (and the names generated from
// them), where a rest-of-buffer field may stand, bit groups, lets, align,
// references, checksums, optional and peeked fields. Field types are in
// fields.cpp, constraints in constraints.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "ast/overloaded.hpp"
#include "ast/queries.hpp"
#include "sema/checker.hpp"

namespace lpc::sema {
namespace {

// Members every generated view has; a field with one of these names would hide them.
// `view_base` names the view's base (libparse/view_base.hpp): `using
// view_base::view_base;` in the view would find such an accessor instead.
constexpr std::array generated_members = {
    "parse",       "parse_nested", "parse_into", "verify_checksums", "bytes",      "size",
    "visit",       "type_name",    "min_size",   "update_checksums", "mut_bytes",  "Field",
    "field_count", "field_named",  "field_rank", "parse_partial",    "fixed_size", "view_base"};

bool is_rest_type(const ast::TypeExpr& t) {
  if (const auto* b = std::get_if<ast::BytesType>(&t.node)) {
    return !b->count && b->kind != ast::BytesKind::cstring;
  }
  if (const auto* a = std::get_if<ast::ArrayType>(&t.node)) {
    return !a->count && !a->byte_size && !a->until;
  }
  return false;
}

}  // namespace

void Checker::check_struct(const ast::Module& module, ast::StructDecl& s) {
  // The struct's own name was checked with every declaration's (index_declarations).
  check_member_names(s);
  std::map<std::string, const ast::Field*> names;
  // Names generated for each field, to find collisions (`payload_arm` vs switch `payload`).
  std::map<std::string, std::string> generated;  // member name -> what generates it
  for (auto& m : s.members) {
    auto* f = std::get_if<ast::Field>(&m);
    if (f == nullptr || f->name == "_") continue;
    if (auto [it, inserted] = names.emplace(f->name, f); !inserted) {
      diags_.error(f->name_range, fmt::format("duplicate field '{}'", f->name));
      diags_.note(it->second->name_range, fmt::format("'{}' first declared here", f->name));
    }
    generated.emplace("set_" + f->name, fmt::format("the setter of '{}'", f->name));
    if (f->condition) {
      generated.emplace("has_" + f->name, fmt::format("optional field '{}'", f->name));
    }
    if (f->checksum) {
      generated.emplace(f->name + "_expected", fmt::format("checksum '{}'", f->name));
    }
    if (const auto* a = std::get_if<ast::ArrayType>(&f->type->node); a && a->until) {
      generated.emplace(f->name + "_bytes", fmt::format("'until' array '{}'", f->name));
    }
    if (auto* sw = std::get_if<ast::SwitchType>(&f->type->node)) {
      generated.emplace(f->name + "_arm", fmt::format("switch '{}'", f->name));
      generated.emplace(f->name + "_bytes", fmt::format("switch '{}'", f->name));
      for (const auto& arm : sw->arms) {
        generated.emplace(f->name + "_" + arm.name,
                          fmt::format("arm '{}' of switch '{}'", arm.name, f->name));
      }
    }
  }
  // Lets and parameters have accessors too: they must not take a generated name.
  const auto check_generated = [&](const std::string& name, SourceRange range) {
    if (auto it = generated.find(name); it != generated.end()) {
      diags_.error(
          range, fmt::format("'{}' collides with '{}()', generated for {}", name, name, it->second),
          "rename it");
    }
  };
  for (const auto& p : s.params) check_generated(p.name, p.name_range);
  for (const auto& m : s.members) {
    if (const auto* l = std::get_if<ast::Let>(&m)) check_generated(l->name, l->name_range);
  }
  for (auto& m : s.members) {
    auto* f = std::get_if<ast::Field>(&m);
    if (f == nullptr || f->name == "_") continue;
    check_identifier(f->name_range, f->name);
    if (std::find(generated_members.begin(), generated_members.end(), f->name) !=
        generated_members.end()) {
      diags_.error(f->name_range,
                   fmt::format("field name '{}' collides with the generated member '{}()'", f->name,
                               f->name),
                   "rename the field");
    } else if (f->name.ends_with("_mut")) {
      diags_.error(f->name_range, fmt::format("field name '{}' is reserved", f->name),
                   "names ending in '_mut' are generated for mutable views");
    } else if (auto it = generated.find(f->name); it != generated.end()) {
      diags_.error(f->name_range,
                   fmt::format("field name '{}' collides with '{}()', generated for {}", f->name,
                               f->name, it->second),
                   "rename the field");
    }
  }

  unsigned bit_cursor = 0;  // bits past the last byte boundary, inside a bit group
  const ast::Field* last_bit_field = nullptr;
  const ast::Member* rest_member = nullptr;
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    ast::Member& member = s.members[i];
    const auto* as_field = std::get_if<ast::Field>(&member);
    if (rest_member != nullptr && !std::holds_alternative<ast::Require>(member) &&
        !std::holds_alternative<ast::Let>(member) && !(as_field && as_field->at)) {
      const auto& rest = std::get<ast::Field>(*rest_member);
      diags_.error(
          rest.type->range,
          fmt::format("'{}' takes the rest of the buffer and must be the last field", rest.name),
          "give it a length (bytes[n], T[n], T[] size(n)) or move it to the end");
      rest_member = nullptr;
    }
    ExprContext ctx;
    ctx.module = &module;
    ctx.structure = &s;
    ctx.visible_members = i;
    if (auto* pad = std::get_if<ast::Pad>(&member)) {
      check_bit_boundary(bit_cursor, last_bit_field, pad->range, "'pad'");
      ctx.what = "pad size";
      if (resolve_expr(ctx, *pad->size)) check_constant_size(*pad->size, ctx.what);
      continue;
    }
    if (auto* let = std::get_if<ast::Let>(&member)) {
      check_let(ctx, *let);
      continue;
    }
    if (auto* align = std::get_if<ast::Align>(&member)) {
      check_bit_boundary(bit_cursor, last_bit_field, align->range, "'align'");
      check_align(ctx, *align);
      continue;
    }
    if (auto* req = std::get_if<ast::Require>(&member)) {
      ctx.visible_members = s.members.size();
      ctx.what = "require";
      if (resolve_expr(ctx, *req->condition)) check_constant_condition(*req->condition);
      continue;
    }
    auto& field = std::get<ast::Field>(member);
    ctx.current = &field;
    if (field.at) {
      check_reference(module, ctx, field);
      continue;
    }
    const unsigned cursor_before = bit_cursor;
    check_field_type(module, s, ctx, field, bit_cursor, last_bit_field);
    if (field.condition) check_optional(ctx, field, cursor_before);
    if (field.peek) check_peek(field, cursor_before);
    if (is_rest_type(*field.type)) rest_member = &member;
    check_constraints(ctx, field);
    if (field.checksum) check_checksum(ctx, field, cursor_before);
  }
  if (bit_cursor % 8 != 0 && last_bit_field != nullptr) {
    diags_.error(last_bit_field->range,
                 fmt::format("bit fields at the end of '{}' stop {} bits into a byte", s.name,
                             bit_cursor % 8),
                 fmt::format("a bit group must end on a byte boundary; add '_: u{};' after '{}'",
                             8 - bit_cursor % 8, last_bit_field->name));
  }
}

// Lets and parameters share the field namespace (they are read the same way).
void Checker::check_member_names(const ast::StructDecl& s) {
  std::map<std::string, SourceRange> names;
  std::set<std::string> field_names;
  for (const ast::Param& param : s.params) names.emplace(param.name, param.name_range);
  const auto claim = [&](const std::string& name, SourceRange range, std::string_view what) {
    if (auto [it, inserted] = names.emplace(name, range); !inserted) {
      diags_.error(
          range, fmt::format("{} '{}' has the name of an earlier member or parameter", what, name));
      diags_.note(it->second, fmt::format("'{}' first declared here", name));
    }
  };
  for (const ast::Member& m : s.members) {
    if (const auto* let = std::get_if<ast::Let>(&m)) {
      check_identifier(let->name_range, let->name);
      claim(let->name, let->name_range, "let");
      if (std::find(generated_members.begin(), generated_members.end(), let->name) !=
          generated_members.end()) {
        diags_.error(let->name_range, fmt::format("'{}' collides with the generated member '{}()'",
                                                  let->name, let->name));
      }
    } else if (const auto* f = std::get_if<ast::Field>(&m); f != nullptr && f->name != "_") {
      // Duplicate fields are reported by check_struct; here only clashes with the others.
      if (auto it = names.find(f->name); it != names.end()) {
        if (!field_names.count(f->name)) {
          diags_.error(f->name_range,
                       fmt::format("field '{}' has the name of a parameter or let", f->name));
          diags_.note(it->second, fmt::format("'{}' first declared here", f->name));
        }
      } else {
        names.emplace(f->name, f->name_range);
        field_names.insert(f->name);
      }
    }
  }
  for (const ast::Param& param : s.params) {
    if (std::find(generated_members.begin(), generated_members.end(), param.name) !=
        generated_members.end()) {
      diags_.error(param.name_range,
                   fmt::format("parameter '{}' collides with the generated member '{}()'",
                               param.name, param.name));
    }
  }
}

void Checker::check_let(ExprContext ctx, ast::Let& let) {
  ctx.what = "let";
  ctx.endian_allowed = true;
  if (!resolve_expr(ctx, *let.value)) return;
  const ExprKind kind = expr_kind(*let.value);
  if (kind == ExprKind::error) return;
  let.is_endian = kind == ExprKind::endian;
  ast::each_name(*let.value, [&](const ast::NameRef& ref) {
    if (ref.measured_field != nullptr || (ref.let != nullptr && ref.let->reads_measure)) {
      let.reads_measure = true;
    }
  });
  let.is_signed = !let.is_endian && is_signed_expression(*let.value);
  if (!let.is_endian) check_constant_overflow(*let.value);
}

void Checker::check_align(ExprContext ctx, ast::Align& align) {
  ctx.what = "alignment";
  if (!resolve_expr(ctx, *align.alignment)) return;
  const EvalResult r = evaluate_constant(*align.alignment);
  if (r.status == EvalStatus::not_constant) {
    diags_.error(align.alignment->range, "alignment must be a constant expression",
                 "use 'pad expr;' to skip a number of bytes computed from fields");
    return;
  }
  if (r.status == EvalStatus::overflow) {
    diags_.error(align.alignment->range, "arithmetic overflow in constant expression");
    return;
  }
  if (r.value.is_negative() || r.value.bits == 0) {
    diags_.error(align.alignment->range,
                 fmt::format("alignment must be positive (got {})", format_value(r.value)));
    return;
  }
  align.resolved = r.value.bits;
}

// `target: T at offset;`: T a struct (with its arguments), the offset an integer
// over what comes before. The accessor evaluates both from the view.
void Checker::check_reference(const ast::Module& module, ExprContext ctx, ast::Field& field) {
  auto* named = std::get_if<ast::NamedType>(&field.type->node);
  if (named == nullptr) {
    diags_.error(field.type->range,
                 fmt::format("reference '{}' must name a struct type", field.name),
                 "write 'name: Struct at offset;'");
    return;
  }
  if (!resolve_named(module, *named, field.type->range)) return;
  if (named->struct_decl == nullptr) {
    diags_.error(field.type->range,
                 fmt::format("reference '{}' must name a struct type, not '{}'", field.name,
                             field.type->range.text()),
                 "a reference is parsed as a view at the offset; wrap a scalar in a struct");
    return;
  }
  check_arguments(ctx, *named, field.type->range);
  for (const auto& arg : named->arguments) report_optional_reads(*arg, "a reference's argument");
  ctx.what = "reference offset";
  if (!resolve_expr(ctx, *field.at)) return;
  check_constant_size(*field.at, ctx.what);
  report_optional_reads(*field.at, "a reference's offset");
}

// `checksum internet(length) ...`: a byte-aligned u16 that is always present, and
// a length over the fields before it (verify_checksums() reads them from the view).
void Checker::check_checksum(ExprContext ctx, ast::Field& field, unsigned cursor_before) {
  ast::ChecksumSpec& spec = *field.checksum;
  if (spec.algorithm_name == "internet") {
    spec.algorithm = ast::ChecksumAlgorithm::internet;
  } else {
    diags_.error(spec.algorithm_range,
                 fmt::format("unknown checksum algorithm '{}'", spec.algorithm_name),
                 "the algorithm is 'internet' (RFC 1071)");
  }
  const auto* named = std::get_if<ast::NamedType>(&field.type->node);
  const bool is_u16 = named != nullptr && named->is_builtin && !named->is_signed &&
                      !named->is_float && named->bits == 16 &&
                      named->varint == ast::VarintKind::none && named->enum_decl == nullptr &&
                      named->flags_decl == nullptr;
  if (!is_u16) {
    diags_.error(field.type->range,
                 fmt::format("an internet checksum is a u16; '{}' is {}", field.name,
                             named != nullptr ? fmt::format("a {}", field.type->range.text())
                                              : std::string(field_kind(field))),
                 "declare it as 'u16'");
  } else if (cursor_before % 8 != 0) {
    diags_.error(field.range,
                 fmt::format("checksum field '{}' must start on a byte boundary", field.name));
  }
  if (field.condition) {
    diags_.error(spec.range, fmt::format("optional field '{}' cannot hold a checksum", field.name),
                 "a checksum field is always present");
  }
  if (!spec.length) return;
  ctx.what = "checksum length";
  if (!resolve_expr(ctx, *spec.length)) return;
  check_constant_size(*spec.length, ctx.what);
  report_optional_reads(*spec.length, "a checksum length");
}

// verify_checksums() evaluates the length after parse(): an optional field it
// reads may be absent.
void Checker::report_optional_reads(const ast::Expr& e, std::string_view what) {
  std::visit(Overloaded{
                 [](const ast::IntLiteral&) {},
                 [](const ast::StringLiteral&) {},
                 [&](const ast::NameRef& r) {
                   if (r.field != nullptr && r.field->condition) {
                     diags_.error(
                         e.range,
                         fmt::format("{} cannot read optional field '{}'", what, r.field->name),
                         "compute it in a 'let' that decides the absent case");
                   }
                 },
                 [&](const ast::Unary& u) { report_optional_reads(*u.operand, what); },
                 [&](const ast::Binary& b) {
                   report_optional_reads(*b.lhs, what);
                   report_optional_reads(*b.rhs, what);
                 },
                 [&](const ast::Conditional& c) {
                   report_optional_reads(*c.condition, what);
                   report_optional_reads(*c.if_true, what);
                   report_optional_reads(*c.if_false, what);
                 },
             },
             e.node);
}

void Checker::check_optional(ExprContext ctx, ast::Field& field, unsigned cursor_before) {
  ctx.what = "condition";
  if (resolve_expr(ctx, *field.condition)) check_constant_overflow(*field.condition);
  if (std::holds_alternative<ast::SwitchType>(field.type->node)) {
    diags_.error(field.type->range, "a switch cannot be optional",
                 "put the switch in a struct and make a field of that struct optional");
    return;
  }
  const auto* named = std::get_if<ast::NamedType>(&field.type->node);
  const bool bits =
      named != nullptr && named->struct_decl == nullptr && !named->is_float && named->bits % 8 != 0;
  if (cursor_before % 8 != 0 || bits) {
    diags_.error(
        field.range,
        fmt::format("optional field '{}' must start and end on a byte boundary", field.name),
        "bit fields cannot be optional; make a byte-sized field optional instead");
  }
}

// `next: u8 peek;`: a byte-aligned integer, enum or flags value read where the
// next member starts, which it does not consume.
void Checker::check_peek(const ast::Field& field, unsigned cursor_before) {
  const auto* named = std::get_if<ast::NamedType>(&field.type->node);
  const bool integer = named != nullptr && named->struct_decl == nullptr && !named->is_float &&
                       named->varint == ast::VarintKind::none && named->bits != 0;
  if (!integer) {
    diags_.error(field.peek_range,
                 fmt::format("'peek' reads an integer, enum or flags value; '{}' is {}", field.name,
                             named != nullptr && named->varint != ast::VarintKind::none
                                 ? std::string_view("a varint")
                                 : field_kind(field)),
                 named != nullptr && named->varint != ast::VarintKind::none
                     ? "a varint's length is known only by reading it"
                     : "peek at its first bytes with an integer field: 'kind: u8 peek;'");
    return;
  }
  if (cursor_before % 8 != 0 || named->bits % 8 != 0) {
    diags_.error(field.peek_range,
                 fmt::format("a peeked field must start and end on a byte boundary; '{}' is a "
                             "bit field",
                             field.name),
                 "peek at the whole byte (u8) and take its bits with '&' and '>>'");
  }
  if (field.checksum) {
    diags_.error(field.checksum->range, "a peeked field cannot hold a checksum",
                 "the checksum is the field that consumes those bytes");
  }
}

}  // namespace lpc::sema
