// Expressions: what each name is (a field, let or parameter before it, a
// constant, an enum or flags member, count()/size(), a byte order, `it` in
// arrays.cpp), whether this expression may read it, string comparisons,
// integer vs byte order, and constant values that are negative, overflow or
// always false.
#include <fmt/format.h>

#include "ast/overloaded.hpp"
#include "sema/checker.hpp"

namespace lpc::sema {
namespace {

// Constraints, requires and lets: what parse() evaluates and serialize() never
// does (it parses what it wrote), so they may read what is known only once a
// field is read: its bytes, its element count, its size.
bool is_check_context(const ExprContext& ctx) {
  return ctx.what == "constraint" || ctx.what == "require" || ctx.what == "let";
}

}  // namespace

bool Checker::resolve_expr(const ExprContext& ctx, ast::Expr& e) {
  return std::visit(Overloaded{
                        [](ast::IntLiteral&) { return true; },
                        [&](ast::StringLiteral&) {
                          report_stray_string(e);
                          return false;
                        },
                        [&](ast::NameRef& ref) { return resolve_name(ctx, ref, e.range); },
                        [&](ast::Unary& u) { return resolve_expr(ctx, *u.operand); },
                        [&](ast::Binary& b) {
                          if (is_string_literal(*b.lhs) || is_string_literal(*b.rhs)) {
                            return resolve_text_comparison(ctx, e, b);
                          }
                          const bool l = resolve_expr(ctx, *b.lhs);
                          const bool r = resolve_expr(ctx, *b.rhs);
                          return l && r;
                        },
                        [&](ast::Conditional& c) {
                          const bool a = resolve_expr(ctx, *c.condition);
                          const bool b = resolve_expr(ctx, *c.if_true);
                          const bool d = resolve_expr(ctx, *c.if_false);
                          return a && b && d;
                        },
                    },
                    e.node);
}

// Index of the named field `name` among the struct's members, or npos.
std::size_t Checker::member_index(const ast::StructDecl& s, std::string_view name) {
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    const auto* f = std::get_if<ast::Field>(&s.members[i]);
    if (f != nullptr && f->name == name && name != "_") return i;
  }
  return std::string::npos;
}

bool Checker::resolve_name(const ExprContext& ctx, ast::NameRef& ref, SourceRange range) {
  const std::string spelled = join(ref.parts);
  if (ctx.element != nullptr && ref.parts[0] == "it") return resolve_element_ref(ctx, ref, range);
  if (ctx.carry != nullptr && ref.parts.size() == 1 && ref.parts[0] == ctx.carry->name) {
    ref.carried = ctx.carry;
    return true;
  }
  if (ref.order_literal) return check_endian_use(ctx, ref.parts[0], range);
  if (ref.measure != ast::Measure::none) return resolve_measure(ctx, ref, range);
  if (ref.parts.size() == 1 && ctx.structure != nullptr) {
    const std::size_t index = member_index(*ctx.structure, ref.parts[0]);
    if (index != std::string::npos) return resolve_field_ref(ctx, ref, range, index);
    if (const std::optional<bool> r = resolve_let_or_param(ctx, ref, range)) return *r;
    if (ref.parts[0] == "remaining") {  // a builtin, unless a member has the name
      ref.remaining = true;
      return true;
    }
  }
  // A constant, plain or qualified by package.
  if (const DeclRef* d = lookup(*ctx.module, ref.parts, ref.parts.size(), range)) {
    if (d->constant != nullptr) {
      ref.constant = d->constant;
      return resolve_constant(*d->constant);
    }
    diags_.error(range, fmt::format("'{}' is a type, not a value", spelled),
                 d->enumeration != nullptr ? fmt::format("name a member: '{}.{}'", spelled,
                                                         d->enumeration->members.empty()
                                                             ? std::string("MEMBER")
                                                             : d->enumeration->members.front().name)
                                           : std::string());
    return false;
  }
  // A flags member: Flags.MEMBER or pkg.Flags.MEMBER (its mask).
  if (const std::optional<bool> r = resolve_flags_member(ctx, ref, range)) return *r;
  // An enum member: Enum.MEMBER or pkg.Enum.MEMBER.
  if (ref.parts.size() >= 2) {
    if (const DeclRef* d = lookup(*ctx.module, ref.parts, ref.parts.size() - 1, range);
        d != nullptr && d->enumeration != nullptr) {
      ast::EnumDecl& e = *d->enumeration;
      if (!resolve_enum(e)) return false;
      std::vector<std::string> members;
      for (std::size_t i = 0; i < e.members.size(); ++i) {
        if (e.members[i].name == ref.parts.back()) {
          ref.enum_decl = &e;
          ref.enum_member_index = i;
          return true;
        }
        members.push_back(e.members[i].name);
      }
      diags_.error(range, fmt::format("enum '{}' has no member '{}'", e.name, ref.parts.back()),
                   did_you_mean(ref.parts.back(), members));
      return false;
    }
  }
  // Unknown: suggest earlier fields and visible constants.
  std::vector<std::string> candidates = visible_names(*ctx.module, false, true);
  if (ctx.structure != nullptr) {
    for (std::size_t i = 0; i < ctx.visible_members; ++i) {
      if (const auto* f = std::get_if<ast::Field>(&ctx.structure->members[i]);
          f && f->name != "_") {
        candidates.push_back(f->name);
      }
      if (const auto* l = std::get_if<ast::Let>(&ctx.structure->members[i])) {
        candidates.push_back(l->name);
      }
    }
    for (const auto& param : ctx.structure->params) candidates.push_back(param.name);
    if (ctx.self_allowed && ctx.current != nullptr && ctx.current->name != "_") {
      candidates.push_back(ctx.current->name);
    }
  }
  const bool in_struct = ctx.structure != nullptr && ref.parts.size() == 1;
  diags_.error(range, fmt::format("unknown {} '{}'", in_struct ? "field" : "name", spelled),
               did_you_mean(ref.parts.back(), candidates));
  return false;
}

// Whether the expression may read member `index` (a field) here: an earlier
// member, or the field itself in its own constraints.
bool Checker::field_visible(const ExprContext& ctx, std::size_t index, SourceRange range) {
  const auto& field = std::get<ast::Field>(ctx.structure->members[index]);
  const bool is_self = &field == ctx.current;
  if (is_self && !ctx.self_allowed) {
    diags_.error(
        range, fmt::format("field '{}' is used in its own {}", field.name, ctx.what),
        fmt::format("a {} can use only the fields declared before '{}'", ctx.what, field.name));
    return false;
  }
  if (!is_self && index >= ctx.visible_members) {
    diags_.error(
        range,
        fmt::format("field '{}' is declared after '{}'", field.name,
                    ctx.current != nullptr ? ctx.current->name : std::string("this")),
        fmt::format("a field can use only the fields declared before it; move '{}' "
                    "above '{}'",
                    field.name, ctx.current != nullptr ? ctx.current->name : std::string("it")));
    return false;
  }
  return true;
}

bool Checker::resolve_field_ref(const ExprContext& ctx, ast::NameRef& ref, SourceRange range,
                                std::size_t index) {
  const auto& field = std::get<ast::Field>(ctx.structure->members[index]);
  if (!field_visible(ctx, index, range)) return false;
  if (field.at) {
    diags_.error(range, fmt::format("'{}' is a reference, not a value", field.name),
                 "a reference is read through its accessor, with the message");
    return false;
  }
  if (!is_numeric_field(field)) {
    // An unresolved type was reported already.
    const auto* n = std::get_if<ast::NamedType>(&field.type->node);
    if (n == nullptr || n->struct_decl != nullptr || n->is_float) {
      diags_.error(range, fmt::format("'{}' is {}, not an integer", field.name, field_kind(field)),
                   is_text_field(field)
                       ? fmt::format("compare it with a string literal: {} == \"...\"", field.name)
                       : std::string("only integer and enum fields can be used in expressions"));
    }
    return false;
  }
  ref.field = &field;
  return true;
}

// `count(x)`: the elements of array x; `size(x)`: the bytes x occupies (an
// array, bytes, string, or cstring with its NUL), 0 for an absent optional x.
bool Checker::resolve_measure(const ExprContext& ctx, ast::NameRef& ref, SourceRange range) {
  const std::string_view word = ref.measure == ast::Measure::count ? "count" : "size";
  if (!is_check_context(ctx) || ctx.structure == nullptr) {
    diags_.error(
        range, fmt::format("{}() cannot be used in a {}", word, ctx.what),
        fmt::format("{}() is for checks: use it in a constraint, a 'require' or a 'let'", word));
    return false;
  }
  const std::size_t index = member_index(*ctx.structure, ref.parts[0]);
  if (index == std::string::npos) {
    std::vector<std::string> fields;
    for (const auto& m : ctx.structure->members) {
      if (const auto* f = std::get_if<ast::Field>(&m); f != nullptr && f->name != "_")
        fields.push_back(f->name);
    }
    diags_.error(range, fmt::format("unknown field '{}' in {}()", ref.parts[0], word),
                 did_you_mean(ref.parts[0], fields));
    return false;
  }
  if (!field_visible(ctx, index, range)) return false;
  const auto& field = std::get<ast::Field>(ctx.structure->members[index]);
  const bool array = std::holds_alternative<ast::ArrayType>(field.type->node);
  if (ref.measure == ast::Measure::count && !array) {
    diags_.error(range,
                 fmt::format("count() takes an array; '{}' is {}", field.name, field_kind(field)),
                 is_text_field(field) ? fmt::format("its length in bytes is size({})", field.name)
                                      : std::string());
    return false;
  }
  if (ref.measure == ast::Measure::size && !array && !is_text_field(field)) {
    diags_.error(range, fmt::format("size() takes an array, bytes, string or cstring field; '{}' "
                                    "is {}",
                                    field.name, field_kind(field)));
    return false;
  }
  ref.measured_field = &field;
  return true;
}

bool Checker::is_text_field(const ast::Field& f) {
  return std::holds_alternative<ast::BytesType>(f.type->node);
}

bool Checker::is_string_literal(const ast::Expr& e) {
  return std::holds_alternative<ast::StringLiteral>(e.node);
}

void Checker::report_stray_string(const ast::Expr& e) {
  diags_.error(e.range, "a string literal can only be compared with a field",
               "write 'name == \"...\"' or 'name != \"...\"', where 'name' is a bytes, "
               "string or cstring field");
}

// `name == "MQTT"`, `name != "..."`: the bytes of a bytes, string or cstring
// field (a cstring without its NUL) against a string literal, byte for byte; 0
// or 1 like every comparison. Only in constraints and requires: parse() checks
// those, and serialize() never evaluates them (it parses what it wrote).
bool Checker::resolve_text_comparison(const ExprContext& ctx, const ast::Expr& e, ast::Binary& b) {
  const bool string_first = is_string_literal(*b.lhs);
  ast::Expr& other = string_first ? *b.rhs : *b.lhs;
  const ast::Expr& literal = string_first ? *b.lhs : *b.rhs;
  if (b.op != ast::BinaryOp::eq && b.op != ast::BinaryOp::ne) {
    diags_.error(e.range, "a string literal can only be compared with '==' or '!='",
                 "strings are equal or not; there is no order between them");
    return false;
  }
  if (is_string_literal(other)) {
    diags_.error(e.range, "two string literals are compared",
                 "compare a bytes, string or cstring field with the string");
    return false;
  }
  if (ctx.what != "constraint" && ctx.what != "require") {
    diags_.error(e.range, fmt::format("a string comparison cannot be used in a {}", ctx.what),
                 "compare strings in a constraint ('==', 'where') or a 'require'");
    return false;
  }
  auto* ref = std::get_if<ast::NameRef>(&other.node);
  std::size_t index = std::string::npos;
  if (ref != nullptr && ref->parts.size() == 1 && ctx.structure != nullptr) {
    index = member_index(*ctx.structure, ref->parts[0]);
  }
  const ast::Field* field =
      index == std::string::npos ? nullptr : &std::get<ast::Field>(ctx.structure->members[index]);
  if (field == nullptr || !is_text_field(*field)) {
    if (!resolve_expr(ctx, other)) return false;
    const auto* named = std::get_if<ast::NameRef>(&other.node);
    report_integer_vs_string(e.range, named != nullptr ? named->field : nullptr,
                             std::get<ast::StringLiteral>(literal.node));
    return false;
  }
  if (!field_visible(ctx, index, other.range)) return false;
  ref->text_field = field;
  check_text_length(e.range, *field, literal, b.op == ast::BinaryOp::eq);
  return true;
}

// `field` is the integer field compared, or null for any other integer expression.
void Checker::report_integer_vs_string(SourceRange range, const ast::Field* field,
                                       const ast::StringLiteral& text) {
  const std::string what = field != nullptr ? fmt::format("'{}' (an integer field)", field->name)
                                            : std::string("an integer");
  std::string hint = "a string literal compares with a bytes, string or cstring field";
  if (!text.value.empty() && text.value.size() <= 8) {
    std::string hex;
    for (const char c : text.value) hex += fmt::format("{:02X}", static_cast<unsigned char>(c));
    hint += fmt::format("; for an integer holding these bytes, write them as a number: 0x{}", hex);
  }
  diags_.error(range, fmt::format("cannot compare {} with a string literal", what), hint);
}

// A comparison whose outcome the field's type decides: a bytes[n] or string[n]
// of constant n against a string of another length, a cstring (whose text has
// no NUL) against a string holding one.
void Checker::check_text_length(SourceRange range, const ast::Field& field,
                                const ast::Expr& literal, bool equal) {
  const auto& text = std::get<ast::StringLiteral>(literal.node).value;
  const auto& type = std::get<ast::BytesType>(field.type->node);
  const std::string_view outcome = equal ? "never holds" : "always holds";
  if (type.kind == ast::BytesKind::cstring && text.find('\0') != std::string::npos) {
    diags_.error(range, fmt::format("the comparison {}: {} holds a NUL byte, which the text of "
                                    "cstring '{}' never does",
                                    outcome, literal.range.text(), field.name));
    return;
  }
  if (!type.count) return;
  const EvalResult n = evaluate_constant(*type.count);
  if (n.status != EvalStatus::ok || n.value.bits == text.size()) return;
  if (type.kind == ast::BytesKind::cstring) {  // cstring[n]: text of n bytes or fewer
    if (text.size() <= n.value.bits) return;
    diags_.error(range,
                 fmt::format("the comparison {}: the text of '{}' is at most {} bytes, "
                             "{} is {}",
                             outcome, field.name, n.value.bits, literal.range.text(), text.size()));
    return;
  }
  diags_.error(range, fmt::format("the comparison {}: '{}' is always {} bytes, {} is {}", outcome,
                                  field.name, n.value.bits, literal.range.text(), text.size()));
}

// Integer or byte order; mixing them is reported here.
ExprKind Checker::expr_kind(const ast::Expr& e) {
  return std::visit(
      Overloaded{
          [](const ast::IntLiteral&) { return ExprKind::integer; },
          [](const ast::StringLiteral&) { return ExprKind::integer; },  // inside a comparison
          [](const ast::NameRef& ref) {
            const bool endian = ref.order_literal.has_value() ||
                                (ref.param != nullptr && ref.param->is_endian) ||
                                (ref.let != nullptr && ref.let->is_endian);
            return endian ? ExprKind::endian : ExprKind::integer;
          },
          [&](const ast::Unary& u) {
            const ExprKind k = expr_kind(*u.operand);
            if (k == ExprKind::endian) {
              diags_.error(e.range, "a byte order is not a number",
                           "byte orders can only be compared (==, !=) and chosen (c ? a : b)");
              return ExprKind::error;
            }
            return k;
          },
          [&](const ast::Binary& b) {
            const ExprKind l = expr_kind(*b.lhs);
            const ExprKind r = expr_kind(*b.rhs);
            if (l == ExprKind::error || r == ExprKind::error) return ExprKind::error;
            const bool comparison = b.op == ast::BinaryOp::eq || b.op == ast::BinaryOp::ne;
            if ((comparison && l != r) ||
                (!comparison && (l == ExprKind::endian || r == ExprKind::endian))) {
              diags_.error(e.range,
                           comparison ? "cannot compare a byte order with an integer"
                                      : "a byte order is not a number",
                           "byte orders can only be compared (==, !=) and chosen (c ? a : b)");
              return ExprKind::error;
            }
            return ExprKind::integer;
          },
          [&](const ast::Conditional& c) {
            const ExprKind cond = expr_kind(*c.condition);
            const ExprKind t = expr_kind(*c.if_true);
            const ExprKind f = expr_kind(*c.if_false);
            if (cond == ExprKind::error || t == ExprKind::error || f == ExprKind::error) {
              return ExprKind::error;
            }
            if (cond == ExprKind::endian) {
              diags_.error(c.condition->range, "a byte order is not a condition",
                           "compare it: 'order == little'");
              return ExprKind::error;
            }
            if (t != f) {
              diags_.error(e.range,
                           "the branches of '?:' must both be byte orders or both integers");
              return ExprKind::error;
            }
            return t;
          },
      },
      e.node);
}

bool Checker::check_endian_use(const ExprContext& ctx, const std::string& name, SourceRange range) {
  if (ctx.endian_allowed) return true;
  diags_.error(range, fmt::format("'{}' is a byte order, not an integer ({})", name, ctx.what),
               "a byte order can be stored in a 'let', passed as an 'endian' argument, or name "
               "a struct's 'endian'");
  return false;
}

// A `let` declared before the expression, or a parameter of the struct.
std::optional<bool> Checker::resolve_let_or_param(const ExprContext& ctx, ast::NameRef& ref,
                                                  SourceRange range) {
  const std::string& name = ref.parts[0];
  for (std::size_t i = 0; i < ctx.structure->members.size(); ++i) {
    const auto* let = std::get_if<ast::Let>(&ctx.structure->members[i]);
    if (let == nullptr || let->name != name) continue;
    if (i >= ctx.visible_members) {
      diags_.error(range,
                   fmt::format("'{}' is declared after {}", name,
                               ctx.current != nullptr ? fmt::format("'{}'", ctx.current->name)
                                                      : std::string("its use")),
                   fmt::format("a {} can use only what is declared before it", ctx.what));
      return false;
    }
    ref.let = let;
    if (let->is_endian) return check_endian_use(ctx, name, range);
    if (let->reads_measure && !is_check_context(ctx)) {
      diags_.error(
          range, fmt::format("'{}' reads count() or size(), which a {} cannot use", name, ctx.what),
          "count() and size() are for checks: constraints, 'require' and lets that "
          "only those read");
      return false;
    }
    return true;
  }
  for (const ast::Param& param : ctx.structure->params) {
    if (param.name != name) continue;
    ref.param = &param;
    if (param.is_endian) return check_endian_use(ctx, name, range);
    return true;
  }
  return std::nullopt;
}

// A length, count, size or pad that is constant must also not be negative.
void Checker::check_constant_size(const ast::Expr& e, std::string_view what) {
  if (const EvalResult r = evaluate_constant(e);
      r.status == EvalStatus::ok && r.value.is_negative()) {
    diags_.error(e.range, fmt::format("{} cannot be negative (got {})", what, r.value.as_signed()));
    return;
  }
  check_constant_overflow(e);
}

// A length, count, tag or pad that is constant must also be computable.
void Checker::check_constant_overflow(const ast::Expr& e) {
  if (evaluate_constant(e).status == EvalStatus::overflow) {
    diags_.error(e.range, "arithmetic overflow in constant expression",
                 "results must stay within 64 bits and not go below zero");
  }
}

void Checker::check_constant_condition(const ast::Expr& e) {
  const EvalResult r = evaluate_constant(e);
  if (r.status == EvalStatus::overflow) {
    diags_.error(e.range, "arithmetic overflow in constant expression");
  } else if (r.status == EvalStatus::ok && r.value.bits == 0) {
    diags_.error(e.range, "constraint is always false");
  }
}

}  // namespace lpc::sema
