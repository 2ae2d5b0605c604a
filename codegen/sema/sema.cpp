// Semantic checks (docs/schema-language.md §27). One Checker walks the whole
// program: it indexes declarations per module, resolves enum bases, constants and
// enum values (lazily, so order in the file does not matter and cycles are found),
// then every struct member in source order, and finally the struct graph
// (recursion, fixed-size array elements).
#include "sema/sema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>
#include <string_view>

#include "ast/overloaded.hpp"
#include "ast/queries.hpp"
#include "sema/eval.hpp"

namespace lpc::sema {
namespace {

std::string join(const std::vector<std::string>& parts, std::string_view sep = ".") {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string format_value(const Value& v) {
  return v.is_negative() ? fmt::format("{}", v.as_signed()) : fmt::format("{}", v.bits);
}

// ------------------------------------------------------------ did you mean

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "did you mean 'x'?" for the nearest candidate within a third of the name's
// length (at least one edit); empty when nothing is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? std::string() : fmt::format("did you mean '{}'?", best);
}

// ------------------------------------------------------------ builtin types

struct Builtin {
  bool is_signed = false;
  bool is_float = false;
  unsigned bits = 0;
  std::optional<ast::ByteOrder> order;
};

// Recognises u1..u64, i2..i64, f32, f64 with an optional le/be suffix. `error`
// explains names that look like a builtin but are not one (u65, i1, u4be).
std::optional<Builtin> parse_builtin(std::string_view s, std::string& error) {
  if (s.size() < 2 || (s[0] != 'u' && s[0] != 'i' && s[0] != 'f')) return std::nullopt;
  Builtin b;
  std::string_view digits = s.substr(1);
  if (digits.ends_with("le") || digits.ends_with("be")) {
    b.order = digits.ends_with("le") ? ast::ByteOrder::little : ast::ByteOrder::big;
    digits.remove_suffix(2);
  }
  if (digits.empty() || digits[0] == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (digits.size() > 3) digits = "999";
  unsigned bits = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), bits);
  b.bits = bits;
  b.is_signed = s[0] == 'i';
  b.is_float = s[0] == 'f';
  if (b.is_float && bits != 32 && bits != 64) {
    error = fmt::format("'{}' is not a type: floats are f32 or f64", s);
    return std::nullopt;
  }
  if (!b.is_float && (bits > 64 || (b.is_signed && bits < 2))) {
    error = fmt::format("'{}' is not a type: {} integers are {} to 64 bits wide", s,
                        b.is_signed ? "signed" : "unsigned", b.is_signed ? 2 : 1);
    return std::nullopt;
  }
  if (b.order && (bits % 8 != 0 || bits == 8)) {
    error = fmt::format("'{}': only multi-byte types (16, 24, ... 64 bits) have a byte order", s);
    return std::nullopt;
  }
  return b;
}

constexpr std::array cpp_keywords = {
    "alignas",       "alignof",     "and",
    "and_eq",        "asm",         "auto",
    "bitand",        "bitor",       "bool",
    "break",         "case",        "catch",
    "char",          "char8_t",     "char16_t",
    "char32_t",      "class",       "compl",
    "concept",       "const",       "consteval",
    "constexpr",     "constinit",   "const_cast",
    "continue",      "co_await",    "co_return",
    "co_yield",      "decltype",    "default",
    "delete",        "do",          "double",
    "dynamic_cast",  "else",        "enum",
    "explicit",      "export",      "extern",
    "false",         "float",       "for",
    "friend",        "goto",        "if",
    "inline",        "int",         "long",
    "mutable",       "namespace",   "new",
    "noexcept",      "not",         "not_eq",
    "nullptr",       "operator",    "or",
    "or_eq",         "private",     "protected",
    "public",        "register",    "reinterpret_cast",
    "requires",      "return",      "short",
    "signed",        "sizeof",      "static",
    "static_assert", "static_cast", "struct",
    "switch",        "template",    "this",
    "thread_local",  "throw",       "true",
    "try",           "typedef",     "typeid",
    "typename",      "union",       "unsigned",
    "using",         "virtual",     "void",
    "volatile",      "wchar_t",     "while",
    "xor",           "xor_eq",
};

bool is_cpp_keyword(std::string_view name) {
  return std::find(cpp_keywords.begin(), cpp_keywords.end(), name) != cpp_keywords.end();
}

// Macros of the C library headers a generated header (or its user) includes: as a
// name in the header they would be replaced by the preprocessor.
constexpr std::array c_macros = {"NULL",       "EOF",        "errno",     "assert",    "offsetof",
                                 "stdin",      "stdout",     "stderr",    "BUFSIZ",    "SIZE_MAX",
                                 "INT8_MAX",   "INT16_MAX",  "INT32_MAX", "INT64_MAX", "UINT8_MAX",
                                 "UINT16_MAX", "UINT32_MAX", "UINT64_MAX"};

bool is_c_macro(std::string_view name) {
  return std::find(c_macros.begin(), c_macros.end(), name) != c_macros.end();
}

// Members every generated view has; a field with one of these names would hide them.
constexpr std::array generated_members = {
    "parse",       "parse_nested", "parse_into", "parse_partial",    "bytes",           "size",
    "visit",       "type_name",    "min_size",   "fixed_size",       "mut_bytes",       "Field",
    "field_count", "field_named",  "field_rank", "verify_checksums", "update_checksums"};

// ------------------------------------------------------------ the checker

struct DeclRef {
  ast::ConstDecl* constant = nullptr;
  ast::EnumDecl* enumeration = nullptr;
  ast::StructDecl* structure = nullptr;
  const ast::Module* module = nullptr;
  SourceRange name_range;
  ast::FlagsDecl* flags = nullptr;
  bool empty() const {
    return constant == nullptr && enumeration == nullptr && structure == nullptr &&
           flags == nullptr;
  }
};

enum class State : std::uint8_t { unvisited, visiting, done, failed };

// What an expression may refer to, and how to word errors about it.
struct ExprContext {
  const ast::Module* module = nullptr;
  const ast::StructDecl* structure = nullptr;  // null: constants and enum members only
  std::size_t visible_members = 0;             // members [0, visible) are readable
  const ast::Field* current = nullptr;         // the member being checked
  bool self_allowed = false;                   // its own constraints may read it
  bool endian_allowed = false;                 // byte-order values may appear (let, arguments)
  const ast::NamedType* element = nullptr;     // `until (...)`: the type of `it`
  const ast::CarryClause* carry = nullptr;     // a `carry`'s next value: its carried name
  std::string_view what;                       // "length", "constraint", ...
};

std::string_view field_kind(const ast::Field& f) {
  return std::visit(Overloaded{
                        [](const ast::NamedType& n) -> std::string_view {
                          if (n.struct_decl != nullptr) return "a struct field";
                          if (n.is_float) return "a float field";
                          return "a number";
                        },
                        [](const ast::BytesType&) -> std::string_view { return "a bytes field"; },
                        [](const ast::ArrayType&) -> std::string_view { return "an array"; },
                        [](const ast::SwitchType&) -> std::string_view { return "a switch"; },
                    },
                    f.type->node);
}

bool is_numeric_field(const ast::Field& f) {
  const auto* n = std::get_if<ast::NamedType>(&f.type->node);
  return n != nullptr && n->struct_decl == nullptr && !n->is_float && n->bits != 0;
}

bool is_rest_type(const ast::TypeExpr& t) {
  if (const auto* b = std::get_if<ast::BytesType>(&t.node)) {
    return !b->count && b->kind != ast::BytesKind::cstring;
  }
  if (const auto* a = std::get_if<ast::ArrayType>(&t.node)) {
    return !a->count && !a->byte_size && !a->until;
  }
  return false;
}

class Checker {
 public:
  Checker(ast::Program& program, Diagnostics& diags) : program_(program), diags_(diags) {}

  bool run() {
    const std::size_t errors_before = diags_.error_count();
    index_declarations();
    for (auto& m : program_.modules) check_package(*m);
    for (auto& m : program_.modules) {
      for (auto& d : m->decls) {
        if (auto* e = std::get_if<std::unique_ptr<ast::EnumDecl>>(&d)) resolve_enum(**e);
        if (auto* c = std::get_if<std::unique_ptr<ast::ConstDecl>>(&d)) resolve_constant(**c);
        if (auto* f = std::get_if<std::unique_ptr<ast::FlagsDecl>>(&d)) resolve_flags(**f);
      }
    }
    // Parameter types first: a field may pass arguments to a struct declared later.
    for (auto& m : program_.modules) {
      for (auto& d : m->decls) {
        if (auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) check_params(*m, **s);
      }
    }
    for (auto& m : program_.modules) {
      for (auto& d : m->decls) {
        if (auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) check_struct(*m, **s);
      }
    }
    // Struct sizes (array elements) recurse into nested structs: only without cycles.
    const bool acyclic = check_recursion();
    check_import_cycles();
    if (acyclic) check_array_elements();
    check_until_conditions();
    check_carried_values();
    return diags_.error_count() == errors_before;
  }

 private:
  // ---------------------------------------------------------- declarations

  void index_declarations() {
    // One C++ namespace per package: names must be unique across its files.
    std::map<std::string, std::map<std::string, DeclRef>> by_package;
    for (auto& m : program_.modules) {
      auto& own = decls_[m.get()];
      auto& package = by_package[join(m->package)];
      for (auto& d : m->decls) {
        DeclRef ref = std::visit(
            Overloaded{
                [&](std::unique_ptr<ast::ConstDecl>& c) {
                  return DeclRef{c.get(), nullptr, nullptr, m.get(), c->name_range};
                },
                [&](std::unique_ptr<ast::EnumDecl>& e) {
                  return DeclRef{nullptr, e.get(), nullptr, m.get(), e->name_range};
                },
                [&](std::unique_ptr<ast::StructDecl>& s) {
                  return DeclRef{nullptr, nullptr, s.get(), m.get(), s->name_range};
                },
                [&](std::unique_ptr<ast::FlagsDecl>& f) {
                  return DeclRef{nullptr, nullptr, nullptr, m.get(), f->name_range, f.get()};
                },
            },
            d);
        const std::string name(ref.name_range.text());
        check_identifier(ref.name_range, name);
        if (auto it = package.find(name); it != package.end()) {
          diags_.error(ref.name_range, fmt::format("duplicate declaration '{}'", name));
          diags_.note(it->second.name_range, fmt::format("'{}' first declared here", name));
          continue;
        }
        package.emplace(name, ref);
        own.emplace(name, ref);
      }
    }
    // FooView / FooMut are generated for every struct Foo; once every file is
    // indexed, so that a FooView in another file of the package is seen too.
    for (auto& m : program_.modules) {
      auto& package = by_package[join(m->package)];
      for (auto& d : m->decls) {
        auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d);
        if (s == nullptr) continue;
        for (const char* suffix : {"View", "Mut"}) {
          const std::string generated = (*s)->name + suffix;
          if (auto it = package.find(generated); it != package.end()) {
            diags_.error(it->second.name_range,
                         fmt::format("'{}' collides with the class generated for struct '{}'",
                                     generated, (*s)->name),
                         "rename one of them");
          }
        }
      }
    }
  }

  void check_package(const ast::Module& m) {
    for (const auto& part : m.package) {
      if (is_cpp_keyword(part) || part == "lp" || part == "std") {
        diags_.error(m.package_range,
                     fmt::format("package name '{}' cannot be a C++ namespace", join(m.package)),
                     part == "lp" || part == "std" ? fmt::format("'{}' is taken by a library", part)
                                                   : fmt::format("'{}' is a C++ keyword", part));
        return;
      }
    }
  }

  void check_identifier(SourceRange range, std::string_view name) {
    if (is_cpp_keyword(name)) {
      diags_.error(range, fmt::format("'{}' is a C++ keyword and cannot be used as a name", name));
    } else if (is_c_macro(name)) {
      diags_.error(range,
                   fmt::format("'{}' is a C library macro and cannot be used as a name", name),
                   "the preprocessor would replace it in the generated header");
    } else if (name.size() > 1 && name.ends_with('_')) {
      diags_.error(range, fmt::format("name '{}' ends in '_'", name),
                   "names ending in '_' are reserved for the generated classes' data members");
    }
  }

  // Modules whose declarations `from` can see: itself, then its imports in order.
  std::vector<const ast::Module*> visible_modules(const ast::Module& from) const {
    std::vector<const ast::Module*> out{&from};
    for (const auto& imp : from.imports) {
      if (imp.module != nullptr && std::find(out.begin(), out.end(), imp.module) == out.end()) {
        out.push_back(imp.module);
      }
    }
    return out;
  }

  const DeclRef* find_in(const ast::Module* m, const std::string& name) const {
    auto it = decls_.find(m);
    if (it == decls_.end()) return nullptr;
    auto d = it->second.find(name);
    return d == it->second.end() ? nullptr : &d->second;
  }

  // Resolves `Name` or `pkg.sub.Name`. Unqualified: the module's own declarations
  // first, then its imports (an error when two imports declare the name).
  // Returns null without reporting when nothing matches.
  const DeclRef* lookup(const ast::Module& from, const std::vector<std::string>& parts,
                        std::size_t count, SourceRange range) {
    if (count == 0) return nullptr;
    const std::string& name = parts[count - 1];
    const std::vector<std::string> package(parts.begin(),
                                           parts.begin() + static_cast<long>(count - 1));
    const DeclRef* found = nullptr;
    for (const ast::Module* m : visible_modules(from)) {
      if (count > 1 && m->package != package) continue;
      const DeclRef* d = find_in(m, name);
      if (d == nullptr) continue;
      if (count == 1 && m == &from) return d;
      if (found != nullptr && found != d) {
        diags_.error(range,
                     fmt::format("'{}' is ambiguous: declared in {} and {}", name,
                                 found->module->include_path, d->module->include_path),
                     fmt::format("qualify it with its package, e.g. '{}.{}'",
                                 join(d->module->package), name));
        return found;
      }
      found = d;
    }
    return found;
  }

  std::vector<std::string> visible_names(const ast::Module& from, bool types, bool constants) {
    std::vector<std::string> out;
    for (const ast::Module* m : visible_modules(from)) {
      auto it = decls_.find(m);
      if (it == decls_.end()) continue;
      for (const auto& [name, d] : it->second) {
        if ((types && (d.enumeration != nullptr || d.structure != nullptr || d.flags != nullptr)) ||
            (constants && d.constant != nullptr)) {
          out.push_back(name);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------- types

  bool resolve_named(const ast::Module& from, ast::NamedType& t, SourceRange range) {
    const std::string spelled = join(t.parts);
    if (t.parts.size() == 1) {
      if (resolve_varint(t)) return true;
      std::string error;
      if (auto b = parse_builtin(t.parts[0], error)) {
        t.is_builtin = true;
        t.is_signed = b->is_signed;
        t.is_float = b->is_float;
        t.bits = b->bits;
        t.explicit_order = b->order;
        return true;
      }
      if (!error.empty()) {
        diags_.error(range, error);
        return false;
      }
    }
    const DeclRef* d = lookup(from, t.parts, t.parts.size(), range);
    if (d == nullptr || d->constant != nullptr) {
      std::vector<std::string> candidates = visible_names(from, true, false);
      for (const char* b : {"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64"}) {
        candidates.emplace_back(b);
      }
      diags_.error(range,
                   d == nullptr ? fmt::format("unknown type '{}'", spelled)
                                : fmt::format("'{}' is a constant, not a type", spelled),
                   did_you_mean(t.parts.back(), candidates));
      return false;
    }
    if (d->structure != nullptr) {
      t.struct_decl = d->structure;
      return true;
    }
    if (d->flags != nullptr) return resolve_flags_type(*d->flags, t);
    ast::EnumDecl& e = *d->enumeration;
    t.enum_decl = &e;
    if (!resolve_enum_base(e)) return false;
    const auto& base = std::get<ast::NamedType>(e.base->node);
    t.bits = base.bits;
    t.is_signed = false;
    t.explicit_order = base.explicit_order;
    return true;
  }

  bool resolve_enum_base(ast::EnumDecl& e) {
    auto [it, inserted] = enum_base_ok_.emplace(&e, false);
    if (!inserted) return it->second;
    auto* base = e.base ? std::get_if<ast::NamedType>(&e.base->node) : nullptr;
    if (base == nullptr) {
      diags_.error(e.name_range, fmt::format("enum '{}' needs a base type", e.name));
      return false;
    }
    std::string error;
    const auto b = base->parts.size() == 1 ? parse_builtin(base->parts[0], error) : std::nullopt;
    if (!b || b->is_signed || b->is_float) {
      diags_.error(e.base->range,
                   error.empty()
                       ? fmt::format("enum base must be an unsigned integer type (u1 to u64), "
                                     "not '{}'",
                                     join(base->parts))
                       : error);
      return false;
    }
    base->is_builtin = true;
    base->bits = b->bits;
    base->explicit_order = b->order;
    it->second = true;
    return true;
  }

  // ---------------------------------------------------------- constants and enums

  bool resolve_constant(ast::ConstDecl& c) {
    State& state = const_state_[&c];
    if (state == State::done) return true;
    if (state == State::failed) return false;
    if (state == State::visiting) {
      report_cycle(c.name, c.name_range);
      return false;
    }
    state = State::visiting;
    cycle_stack_.push_back(c.name);
    const bool ok = resolve_constant_expr(*c.module, *c.value);
    cycle_stack_.pop_back();
    bool done = false;
    if (ok) {
      const EvalResult r = evaluate_constant(*c.value);
      if (r.status == EvalStatus::overflow) {
        diags_.error(
            c.value->range, "arithmetic overflow in constant expression",
            "results must stay within 64 bits; no division by zero or shifts by 64 or more");
      } else if (r.status == EvalStatus::ok) {
        c.resolved_is_negative = r.value.is_negative();
        c.resolved_signed = r.value.as_signed();
        c.resolved_value = r.value.bits;
        done = true;
      }
    }
    const_state_[&c] = done ? State::done : State::failed;
    return done;
  }

  void report_cycle(const std::string& name, SourceRange range) {
    auto start = std::find(cycle_stack_.begin(), cycle_stack_.end(), name);
    std::string path;
    for (auto it = start; it != cycle_stack_.end(); ++it) path += *it + " -> ";
    diags_.error(range, fmt::format("'{}' depends on itself: {}{}", name, path, name));
  }

  bool resolve_enum(ast::EnumDecl& e) {
    State& state = enum_state_[&e];
    if (state == State::done) return true;
    if (state == State::failed) return false;
    if (state == State::visiting) {
      report_cycle(e.name, e.name_range);
      return false;
    }
    state = State::visiting;
    cycle_stack_.push_back(e.name);
    // The enum's own name was checked with every declaration's (index_declarations).
    bool ok = resolve_enum_base(e);
    const ValueRange range =
        ok ? value_range(std::get<ast::NamedType>(e.base->node)) : ValueRange{};
    std::map<std::string, const ast::EnumMember*> names;
    std::map<std::uint64_t, const ast::EnumMember*> values;
    std::uint64_t next = 0;
    bool next_overflows = false;
    for (ast::EnumMember& m : e.members) {
      check_identifier(m.range, m.name);
      if (auto [it, inserted] = names.emplace(m.name, &m); !inserted) {
        diags_.error(m.range, fmt::format("duplicate enum member '{}'", m.name));
        diags_.note(it->second->range, fmt::format("'{}' first declared here", m.name));
        ok = false;
      }
      std::optional<Value> value;
      if (m.value) {
        if (resolve_constant_expr(*e.module, *m.value)) {
          const EvalResult r = evaluate_constant(*m.value);
          if (r.status == EvalStatus::overflow) {
            diags_.error(m.value->range, "arithmetic overflow in constant expression");
          } else if (r.status == EvalStatus::ok) {
            value = r.value;
          }
        }
      } else if (next_overflows) {
        diags_.error(m.range, fmt::format("implicit value of '{}' overflows 64 bits", m.name));
      } else {
        value = Value::of_unsigned(next);
      }
      if (!value) {
        ok = false;
        continue;
      }
      if (value->is_negative()) {
        diags_.error(m.value->range,
                     fmt::format("enum value must not be negative (got {})", value->as_signed()));
        ok = false;
        continue;
      }
      if (compare(*value, range.max) > 0 && enum_base_ok_[&e]) {
        diags_.error(m.value ? m.value->range : m.range,
                     fmt::format("value {} of '{}' does not fit the enum's base {} (0..{})",
                                 value->bits, m.name, e.base->range.text(), range.max.bits));
        ok = false;
      }
      m.resolved_value = value->bits;
      next = value->bits + 1;
      next_overflows = value->bits == ~std::uint64_t{0};
      if (auto [it, inserted] = values.emplace(value->bits, &m); !inserted) {
        diags_.error(m.value ? m.value->range : m.range,
                     fmt::format("enum member '{}' has the same value as '{}' ({})", m.name,
                                 it->second->name, value->bits),
                     "enum values must be distinct");
        ok = false;
      }
    }
    cycle_stack_.pop_back();
    enum_state_[&e] = ok ? State::done : State::failed;
    return ok;
  }

  // Resolves the names of a constant expression (constants and enum members only)
  // and makes sure every constant and enum it uses has its value.
  bool resolve_constant_expr(const ast::Module& module, ast::Expr& expr) {
    ExprContext ctx;
    ctx.module = &module;
    ctx.what = "constant expression";
    return resolve_expr(ctx, expr);
  }

  // ---------------------------------------------------------- expressions

  bool resolve_expr(const ExprContext& ctx, ast::Expr& e) {
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
  static std::size_t member_index(const ast::StructDecl& s, std::string_view name) {
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const auto* f = std::get_if<ast::Field>(&s.members[i]);
      if (f != nullptr && f->name == name && name != "_") return i;
    }
    return std::string::npos;
  }

  bool resolve_name(const ExprContext& ctx, ast::NameRef& ref, SourceRange range) {
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
      diags_.error(
          range, fmt::format("'{}' is a type, not a value", spelled),
          d->enumeration != nullptr
              ? fmt::format("name a member: '{}.{}'", spelled,
                            d->enumeration->members.empty() ? std::string("MEMBER")
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
  bool field_visible(const ExprContext& ctx, std::size_t index, SourceRange range) {
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

  bool resolve_field_ref(const ExprContext& ctx, ast::NameRef& ref, SourceRange range,
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
        diags_.error(
            range, fmt::format("'{}' is {}, not an integer", field.name, field_kind(field)),
            is_text_field(field)
                ? fmt::format("compare it with a string literal: {} == \"...\"", field.name)
                : std::string("only integer and enum fields can be used in expressions"));
      }
      return false;
    }
    ref.field = &field;
    return true;
  }

  // ---------------------------------------------------------- count(), size()

  // Constraints, requires and lets: what parse() evaluates and serialize() never
  // does (it parses what it wrote), so they may read what is known only once a
  // field is read: its bytes, its element count, its size.
  static bool is_check_context(const ExprContext& ctx) {
    return ctx.what == "constraint" || ctx.what == "require" || ctx.what == "let";
  }

  // `count(x)`: the elements of array x; `size(x)`: the bytes x occupies (an
  // array, bytes, string, or cstring with its NUL), 0 for an absent optional x.
  bool resolve_measure(const ExprContext& ctx, ast::NameRef& ref, SourceRange range) {
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

  // ---------------------------------------------------------- text comparisons

  static bool is_text_field(const ast::Field& f) {
    return std::holds_alternative<ast::BytesType>(f.type->node);
  }
  static bool is_string_literal(const ast::Expr& e) {
    return std::holds_alternative<ast::StringLiteral>(e.node);
  }

  void report_stray_string(const ast::Expr& e) {
    diags_.error(e.range, "a string literal can only be compared with a field",
                 "write 'name == \"...\"' or 'name != \"...\"', where 'name' is a bytes, "
                 "string or cstring field");
  }

  // `name == "MQTT"`, `name != "..."`: the bytes of a bytes, string or cstring
  // field (a cstring without its NUL) against a string literal, byte for byte; 0
  // or 1 like every comparison. Only in constraints and requires: parse() checks
  // those, and serialize() never evaluates them (it parses what it wrote).
  bool resolve_text_comparison(const ExprContext& ctx, const ast::Expr& e, ast::Binary& b) {
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
  void report_integer_vs_string(SourceRange range, const ast::Field* field,
                                const ast::StringLiteral& text) {
    const std::string what = field != nullptr ? fmt::format("'{}' (an integer field)", field->name)
                                              : std::string("an integer");
    std::string hint = "a string literal compares with a bytes, string or cstring field";
    if (!text.value.empty() && text.value.size() <= 8) {
      std::string hex;
      for (const char c : text.value) hex += fmt::format("{:02X}", static_cast<unsigned char>(c));
      hint +=
          fmt::format("; for an integer holding these bytes, write them as a number: 0x{}", hex);
    }
    diags_.error(range, fmt::format("cannot compare {} with a string literal", what), hint);
  }

  // A comparison whose outcome the field's type decides: a bytes[n] or string[n]
  // of constant n against a string of another length, a cstring (whose text has
  // no NUL) against a string holding one.
  void check_text_length(SourceRange range, const ast::Field& field, const ast::Expr& literal,
                         bool equal) {
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
      diags_.error(
          range, fmt::format("the comparison {}: the text of '{}' is at most {} bytes, "
                             "{} is {}",
                             outcome, field.name, n.value.bits, literal.range.text(), text.size()));
      return;
    }
    diags_.error(range, fmt::format("the comparison {}: '{}' is always {} bytes, {} is {}", outcome,
                                    field.name, n.value.bits, literal.range.text(), text.size()));
  }

  // ---------------------------------------------------------- structs

  void check_struct(const ast::Module& module, ast::StructDecl& s) {
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
            range,
            fmt::format("'{}' collides with '{}()', generated for {}", name, name, it->second),
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
                     fmt::format("field name '{}' collides with the generated member '{}()'",
                                 f->name, f->name),
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

  void check_bit_boundary(unsigned& bit_cursor, const ast::Field* last_bit_field, SourceRange range,
                          std::string_view next) {
    if (bit_cursor % 8 != 0 && last_bit_field != nullptr) {
      diags_.error(
          range, fmt::format("bit fields before {} stop {} bits into a byte", next, bit_cursor % 8),
          fmt::format("a bit group must end on a byte boundary; add '_: u{};' after '{}'",
                      8 - bit_cursor % 8, last_bit_field->name));
    }
    bit_cursor = 0;
  }

  // Byte order of a multi-byte, byte-aligned scalar: suffix, struct, file.
  void check_byte_order(const ast::Module& module, const ast::StructDecl& s,
                        const ast::NamedType& t, SourceRange range, std::string_view name) {
    if (t.explicit_order || s.endian || !s.endian_param_name.empty() || module.endian) return;
    diags_.error(range, fmt::format("multi-byte field '{}' has no byte order", name),
                 fmt::format("add 'endian big;' or 'endian little;' to the file or the struct, or "
                             "write the type as {}{}be / {}{}le",
                             t.is_float ? 'f' : 'u', t.bits, t.is_float ? 'f' : 'u', t.bits));
  }

  void check_field_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                        ast::Field& field, unsigned& bit_cursor,
                        const ast::Field*& last_bit_field) {
    ast::TypeExpr& type = *field.type;
    if (auto* named = std::get_if<ast::NamedType>(&type.node)) {
      if (!resolve_named(module, *named, type.range)) {
        bit_cursor = 0;
        return;
      }
      check_arguments(ctx, *named, type.range);
      if (named->varint != ast::VarintKind::none) {
        check_bit_boundary(bit_cursor, last_bit_field, field.range,
                           fmt::format("'{}'", field.name));
        if (field.condition) report_optional_sequence(field, "a varint");
        return;
      }
      if (named->struct_decl == nullptr && !named->is_float) {
        // An integer or enum: byte-aligned when it starts and ends on a byte boundary.
        if (bit_cursor % 8 == 0 && named->bits % 8 == 0) {
          if (named->bits > 8) check_byte_order(module, s, *named, type.range, field.name);
        } else {
          bit_cursor += named->bits;
          last_bit_field = &field;
        }
        return;
      }
      check_bit_boundary(bit_cursor, last_bit_field, field.range, fmt::format("'{}'", field.name));
      if (named->is_float) check_byte_order(module, s, *named, type.range, field.name);
      return;
    }
    check_bit_boundary(bit_cursor, last_bit_field, field.range, fmt::format("'{}'", field.name));
    check_region_type(module, s, ctx, field, type);
  }

  // bytes, arrays and switches: also the types of switch arms.
  void check_region_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                         ast::Field& field, ast::TypeExpr& type) {
    const bool in_arm = &type != field.type.get();
    if (auto* b = std::get_if<ast::BytesType>(&type.node)) {
      ctx.what = "length";
      if (b->count && resolve_expr(ctx, *b->count)) check_constant_size(*b->count, ctx.what);
      if (in_arm && b->kind != ast::BytesKind::bytes) report_not_an_arm(type, "a string");
      if (!in_arm && field.condition && b->kind != ast::BytesKind::bytes) {
        report_optional_sequence(field, "a string");
      }
      return;
    }
    if (auto* a = std::get_if<ast::ArrayType>(&type.node)) {
      if (in_arm) arm_arrays_.insert(a);
      if (!in_arm && field.condition) {
        if (a->until) report_optional_sequence(field, "an 'until' array");
        optional_arrays_.emplace(a, &field);
      }
      check_array_type(module, s, ctx, field, *a);
      return;
    }
    if (auto* sw = std::get_if<ast::SwitchType>(&type.node)) {
      check_switch(module, s, ctx, field, *sw);
      return;
    }
    auto& named = std::get<ast::NamedType>(type.node);
    if (!resolve_named(module, named, type.range)) return;
    check_arguments(ctx, named, type.range);
    if (named.struct_decl != nullptr) return;
    if (named.varint != ast::VarintKind::none) {
      report_not_an_arm(type, "a varint");
      return;
    }
    if (named.bits % 8 != 0) {
      diags_.error(type.range,
                   fmt::format("a switch arm cannot be a bit field ('{}' is {} bits wide)",
                               type.range.text(), named.bits));
      return;
    }
    if (named.bits > 8) check_byte_order(module, s, named, type.range, field.name);
    if (named.bits > 8) check_static_order(s, named, type.range, "switch arms");
  }

  // Typed arrays and scalar switch arms need a byte order known at compile time.
  void check_static_order(const ast::StructDecl& s, const ast::NamedType& t, SourceRange range,
                          std::string_view what) {
    if (t.explicit_order || s.endian || s.endian_param_name.empty()) return;
    diags_.error(range,
                 fmt::format("{} need a byte order known at compile time; '{}' has the byte "
                             "order of parameter '{}'",
                             what, range.text(), s.endian_param_name),
                 fmt::format("write the type with a suffix ({}{}be / {}{}le), or wrap it in a "
                             "struct that takes the order as a parameter",
                             t.is_float ? 'f' : 'u', t.bits, t.is_float ? 'f' : 'u', t.bits));
  }

  void check_array_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                        ast::Field& field, ast::ArrayType& a) {
    check_until_clause(ctx, a);
    if (a.count) {
      ctx.what = "count";
      if (resolve_expr(ctx, *a.count)) check_constant_size(*a.count, ctx.what);
    }
    if (a.byte_size) {
      ctx.what = "size";
      if (resolve_expr(ctx, *a.byte_size)) check_constant_size(*a.byte_size, ctx.what);
    }
    auto* elem = std::get_if<ast::NamedType>(&a.element->node);
    if (elem == nullptr) {
      diags_.error(a.element->range, "array elements must be named types");
      return;
    }
    if (!resolve_named(module, *elem, a.element->range)) return;
    if (a.carry) a.carry->field = field.name;
    if (a.carry && !check_carry_clause(ctx, a, *elem)) return;
    check_arguments(ctx, *elem, a.element->range);
    if (elem->struct_decl != nullptr) {
      // A parameterised element (`Record(order)[]`) is variable-size: a lazy array
      // whose arguments parse() evaluates once, before the first element.
      arrays_of_structs_.push_back(&a);
      return;
    }
    if (elem->varint != ast::VarintKind::none) {
      diags_.error(a.element->range, "varints cannot be array elements",
                   "wrap the varint in a struct and make an array of that struct");
      return;
    }
    if (elem->bits % 8 != 0) {
      diags_.error(a.element->range,
                   fmt::format("bit fields cannot be array elements ('{}' is {} bits wide)",
                               a.element->range.text(), elem->bits),
                   "use an integer of 8, 16, 24, 32 or 64 bits");
      return;
    }
    if (!elem->is_float && elem->bits != 8 && elem->bits != 16 && elem->bits != 24 &&
        elem->bits != 32 && elem->bits != 64) {
      diags_.error(a.element->range,
                   fmt::format("arrays of {}-bit integers are not supported", elem->bits),
                   "use an integer of 8, 16, 24, 32 or 64 bits, or bytes[n]");
      return;
    }
    if (elem->bits > 8) check_byte_order(module, s, *elem, a.element->range, field.name);
    if (elem->bits > 8) check_static_order(s, *elem, a.element->range, "array elements");
    if (a.byte_size) check_array_byte_size(a, elem->bits / 8);
  }

  // ---------------------------------------------------------- flags

  // Base and member positions of a flags declaration; false when broken (reported once).
  bool resolve_flags(ast::FlagsDecl& f) {
    auto [it, inserted] = flags_ok_.emplace(&f, false);
    if (!inserted) return it->second;
    // The flags' own name was checked with every declaration's (index_declarations).
    auto* base = std::get_if<ast::NamedType>(&f.base->node);
    std::string error;
    const auto b = base != nullptr && base->parts.size() == 1 ? parse_builtin(base->parts[0], error)
                                                              : std::nullopt;
    if (!b || b->is_signed || b->is_float) {
      diags_.error(f.base->range,
                   error.empty() ? fmt::format("flags base must be an unsigned integer type (u1 "
                                               "to u64), not '{}'",
                                               f.base->range.text())
                                 : error);
      return false;
    }
    base->is_builtin = true;
    base->bits = b->bits;
    base->explicit_order = b->order;
    bool ok = true;
    std::map<std::string, const ast::EnumMember*> names;
    std::map<std::uint64_t, const ast::EnumMember*> positions;
    std::uint64_t next = 0;
    for (ast::EnumMember& m : f.members) {
      check_identifier(m.range, m.name);
      if (auto [n, fresh] = names.emplace(m.name, &m); !fresh) {
        diags_.error(m.range, fmt::format("duplicate flag '{}'", m.name));
        diags_.note(n->second->range, fmt::format("'{}' first declared here", m.name));
        ok = false;
      }
      std::uint64_t position = next;
      if (m.value) {
        if (!resolve_constant_expr(*f.module, *m.value)) {
          ok = false;
          continue;
        }
        const EvalResult r = evaluate_constant(*m.value);
        if (r.status != EvalStatus::ok || r.value.is_negative()) {
          diags_.error(m.value->range, "a flag's bit position must be a constant from 0 up");
          ok = false;
          continue;
        }
        position = r.value.bits;
      }
      if (position >= b->bits) {
        diags_.error(m.value ? m.value->range : m.range,
                     fmt::format("bit position {} of '{}' does not fit the base {} (0..{})",
                                 position, m.name, f.base->range.text(), b->bits - 1));
        ok = false;
        next = position + 1;
        continue;
      }
      if (auto [p, fresh] = positions.emplace(position, &m); !fresh) {
        diags_.error(m.value ? m.value->range : m.range,
                     fmt::format("flag '{}' has the same bit position as '{}' ({})", m.name,
                                 p->second->name, position),
                     "each flag names its own bit");
        ok = false;
      }
      m.resolved_value = position;
      next = position + 1;
    }
    flags_ok_[&f] = ok;
    return ok;
  }

  bool resolve_flags_type(ast::FlagsDecl& f, ast::NamedType& t) {
    if (!resolve_flags(f)) return false;
    const auto& base = std::get<ast::NamedType>(f.base->node);
    t.flags_decl = &f;
    t.bits = base.bits;
    t.is_signed = false;
    t.explicit_order = base.explicit_order;
    return true;
  }

  // `Flags.MEMBER`: nullopt when the name is not a flags member at all.
  std::optional<bool> resolve_flags_member(const ExprContext& ctx, ast::NameRef& ref,
                                           SourceRange range) {
    if (ref.parts.size() < 2) return std::nullopt;
    const DeclRef* d = lookup(*ctx.module, ref.parts, ref.parts.size() - 1, range);
    if (d == nullptr || d->flags == nullptr) return std::nullopt;
    ast::FlagsDecl& f = *d->flags;
    if (!resolve_flags(f)) return false;
    std::vector<std::string> members;
    for (std::size_t i = 0; i < f.members.size(); ++i) {
      if (f.members[i].name == ref.parts.back()) {
        ref.flags_decl = &f;
        ref.flags_member_index = i;
        return true;
      }
      members.push_back(f.members[i].name);
    }
    diags_.error(range, fmt::format("flags '{}' has no member '{}'", f.name, ref.parts.back()),
                 did_you_mean(ref.parts.back(), members));
    return false;
  }

  // ---------------------------------------------------------- sequences: until, it, varints

  void report_optional_sequence(const ast::Field& field, std::string_view what) {
    diags_.error(field.condition->range,
                 fmt::format("an optional field cannot be {} ('{}')", what, field.name),
                 "put it in a struct and make a field of that struct optional");
  }

  void report_not_an_arm(const ast::TypeExpr& type, std::string_view what) {
    diags_.error(type.range,
                 fmt::format("a switch arm cannot be {} ('{}')", what, type.range.text()),
                 "put it in a struct and use the struct as the arm's type");
  }

  // `varint`, `zigzag`, `quicvarint`: builtin variable-size integers.
  static bool resolve_varint(ast::NamedType& t) {
    const std::string& n = t.parts[0];
    if (n == "varint") {
      t.varint = ast::VarintKind::leb128;
    } else if (n == "zigzag") {
      t.varint = ast::VarintKind::zigzag;
      t.is_signed = true;
    } else if (n == "quicvarint") {
      t.varint = ast::VarintKind::quic;
    } else {
      return false;
    }
    t.is_builtin = true;
    t.bits = 64;
    return true;
  }

  // Shape of an `until` array; its condition is resolved once every struct is known.
  void check_until_clause(const ExprContext& ctx, ast::ArrayType& a) {
    if (!a.until) return;
    if (a.count) {
      diags_.error(a.until->range, "'until' cannot be combined with an element count",
                   "use 'T[] until (...)', optionally with 'size(n)'");
      return;
    }
    if (arm_arrays_.count(&a) != 0) {
      diags_.error(a.until->range, "a switch arm cannot be an 'until' array",
                   "put the array in a struct and use the struct as the arm's type");
      return;
    }
    until_arrays_.emplace_back(ctx, &a);
  }

  void check_until_conditions() {
    for (auto& [field_ctx, a] : until_arrays_) {
      auto* elem = std::get_if<ast::NamedType>(&a->element->node);
      if (elem == nullptr || (elem->struct_decl == nullptr && elem->bits == 0)) continue;
      ExprContext ctx = field_ctx;
      ctx.element = elem;
      ctx.what = "until condition";
      if (resolve_expr(ctx, *a->until)) check_constant_overflow(*a->until);
    }
  }

  // `it` (a scalar element) or `it.field` (a field of a struct element).
  bool resolve_element_ref(const ExprContext& ctx, ast::NameRef& ref, SourceRange range) {
    const ast::NamedType& elem = *ctx.element;
    if (elem.struct_decl == nullptr) {
      if (ref.parts.size() != 1) {
        diags_.error(range, fmt::format("'it' is a number here and has no fields"),
                     "write 'it' alone: the element just read");
        return false;
      }
      if (elem.is_float) {
        diags_.error(range, "'it' is a float: 'until' conditions compare integers");
        return false;
      }
      ref.element_type = &elem;
      return true;
    }
    const ast::StructDecl& st = *elem.struct_decl;
    std::vector<std::string> names;
    for (const auto& m : st.members) {
      if (const auto* f = std::get_if<ast::Field>(&m); f && f->name != "_")
        names.push_back(f->name);
    }
    if (ref.parts.size() != 2) {
      diags_.error(range, fmt::format("'it' is a '{}': name one of its fields", st.name),
                   names.empty() ? std::string() : fmt::format("e.g. 'it.{}'", names.front()));
      return false;
    }
    const std::size_t index = member_index(st, ref.parts[1]);
    if (index == std::string::npos && ctx.carry != nullptr) {
      if (const ast::Let* let = element_let(st, ref.parts[1])) {
        if (let->is_endian) {
          diags_.error(range, fmt::format("'it.{}' is a byte order, not an integer", let->name),
                       "a carried value is an integer");
          return false;
        }
        ref.element_type = &elem;
        ref.element_let = let;
        return true;
      }
    }
    if (index == std::string::npos) {
      if (ctx.carry != nullptr) {
        for (const auto& m : st.members) {
          if (const auto* l = std::get_if<ast::Let>(&m)) names.push_back(l->name);
        }
      }
      diags_.error(range,
                   fmt::format("struct '{}' has no {} '{}'", st.name,
                               ctx.carry != nullptr ? "field or let" : "field", ref.parts[1]),
                   did_you_mean(ref.parts[1], names));
      return false;
    }
    const auto& field = std::get<ast::Field>(st.members[index]);
    if (!is_numeric_field(field) || field.condition) {
      diags_.error(range,
                   fmt::format("'it.{}' is {}, not an integer", field.name,
                               field.condition ? "an optional field" : field_kind(field)),
                   ctx.carry != nullptr
                       ? "a carried value reads integer and enum fields and lets of the element"
                       : "'until' conditions read integer and enum fields of the element");
      return false;
    }
    ref.element_type = &elem;
    ref.element_field = &field;
    return true;
  }

  static const ast::Let* element_let(const ast::StructDecl& st, std::string_view name) {
    for (const auto& m : st.members) {
      if (const auto* l = std::get_if<ast::Let>(&m); l != nullptr && l->name == name) return l;
    }
    return nullptr;
  }

  // ---------------------------------------------------------- carry

  // `T(prev)[] carry (prev = initial, next)`: the shape, the argument that passes
  // the carried value, and the first value. The next value is resolved once
  // every struct (and so every let of the element) is known.
  bool check_carry_clause(const ExprContext& field_ctx, ast::ArrayType& a, ast::NamedType& elem) {
    ast::CarryClause& carry = *a.carry;
    if (elem.struct_decl == nullptr || elem.struct_decl->params.empty()) {
      diags_.error(carry.range,
                   fmt::format("'carry' needs an array of a parameterised struct; '{}' takes no "
                               "parameters",
                               join(elem.parts)),
                   "declare the element as 'struct T(prev: u32) { ... }' and pass the carried "
                   "name: 'T(prev)[] carry (prev = 0, it.next)'");
      return false;
    }
    const ast::StructDecl& target = *elem.struct_decl;
    std::vector<std::string> params;
    for (std::size_t i = 0; i < target.params.size(); ++i) {
      params.push_back(target.params[i].name);
      if (target.params[i].name == carry.name) {
        carry.param = &target.params[i];
        carry.param_index = i;
      }
    }
    if (carry.param == nullptr) {
      diags_.error(carry.name_range,
                   fmt::format("'{}' is not a parameter of '{}'", carry.name, target.name),
                   did_you_mean(carry.name, params));
      return false;
    }
    if (carry.param->is_endian) {
      diags_.error(carry.name_range,
                   fmt::format("parameter '{}' of '{}' is a byte order; a carried value is an "
                               "integer",
                               carry.name, target.name));
      return false;
    }
    if (field_ctx.structure != nullptr) {
      const ast::StructDecl& s = *field_ctx.structure;
      const bool taken = member_index(s, carry.name) != std::string::npos ||
                         element_let(s, carry.name) != nullptr ||
                         std::any_of(s.params.begin(), s.params.end(),
                                     [&](const ast::Param& p) { return p.name == carry.name; });
      if (taken) {
        diags_.error(carry.name_range,
                     fmt::format("the carried name '{}' is also a member or parameter of '{}'",
                                 carry.name, s.name),
                     "inside the array's arguments and 'carry' it would hide that one; rename "
                     "the element's parameter");
        return false;
      }
    }
    if (elem.has_arguments && elem.arguments.size() == target.params.size()) {
      ast::Expr& arg = *elem.arguments[carry.param_index];
      auto* ref = std::get_if<ast::NameRef>(&arg.node);
      if (ref == nullptr || ref->parts.size() != 1 || ref->parts[0] != carry.name) {
        diags_.error(arg.range,
                     fmt::format("parameter '{}' of '{}' is carried: its argument must be '{}'",
                                 carry.name, target.name, carry.name),
                     fmt::format("the carried value goes to the element by name: '{}({})[]'",
                                 target.name, carry.name));
        return false;
      }
      ref->carried = &carry;
    }
    ExprContext ctx = field_ctx;
    ctx.what = "carried value";
    if (resolve_expr(ctx, *carry.initial)) {
      if (expr_kind(*carry.initial) == ExprKind::endian) {
        diags_.error(carry.initial->range, "the first carried value is a byte order",
                     fmt::format("parameter '{}' is an integer", carry.param->range.text()));
      } else {
        check_fits_param(*carry.initial, *carry.param, "first carried value");
      }
    }
    carry_arrays_.emplace_back(field_ctx, &a);
    return true;
  }

  // A constant `e` that cannot fit parameter `param`.
  void check_fits_param(const ast::Expr& e, const ast::Param& param, std::string_view what) {
    const EvalResult r = evaluate_constant(e);
    if (r.status == EvalStatus::overflow) {
      diags_.error(e.range, "arithmetic overflow in constant expression");
      return;
    }
    const auto& type = std::get<ast::NamedType>(param.type->node);
    if (r.status != EvalStatus::ok || type.bits == 0) return;
    const ValueRange fits = value_range(type);
    if (compare(r.value, fits.min) < 0 || compare(r.value, fits.max) > 0) {
      diags_.error(e.range, fmt::format("{} {} does not fit parameter '{}' ({}..{})", what,
                                        format_value(r.value), param.range.text(),
                                        format_value(fits.min), format_value(fits.max)));
    }
  }

  // The next carried value: `it` (fields and lets of the element just read), the
  // carried name and constants. What comes before the array reaches it through
  // another argument of the element, read back as `it.name`.
  void check_carried_values() {
    for (auto& [field_ctx, a] : carry_arrays_) {
      auto& elem = std::get<ast::NamedType>(a->element->node);
      ast::CarryClause& carry = *a->carry;
      ExprContext ctx = field_ctx;
      ctx.element = &elem;
      ctx.carry = &carry;
      ctx.what = "carried value";
      if (!resolve_expr(ctx, *carry.next)) continue;
      bool only_element = true;
      ast::each_name(*carry.next, [&](const ast::NameRef& ref) {
        if (!only_element) return;
        const bool outside = ref.field != nullptr || ref.let != nullptr || ref.param != nullptr ||
                             ref.measured_field != nullptr || ref.remaining ||
                             ref.order_literal.has_value();
        if (!outside) return;
        only_element = false;
        diags_.error(carry.next->range,
                     fmt::format("the next carried value reads '{}', which is not the element "
                                 "('it'), '{}' or a constant",
                                 join(ref.parts), carry.name),
                     fmt::format("pass '{}' to '{}' as another argument and read it back "
                                 "through a let of the element ('it.name')",
                                 join(ref.parts), elem.struct_decl->name));
      });
      if (!only_element) continue;
      if (expr_kind(*carry.next) == ExprKind::endian) continue;  // reported by expr_kind
      check_fits_param(*carry.next, *carry.param, "the next carried value");
    }
  }

  void check_array_byte_size(const ast::ArrayType& a, std::uint64_t element_size) {
    const EvalResult r = evaluate_constant(*a.byte_size);
    if (r.status == EvalStatus::ok && !r.value.is_negative() && element_size != 0 &&
        r.value.bits % element_size != 0) {
      diags_.error(a.byte_size->range,
                   fmt::format("size {} is not a multiple of the element size ({} bytes)",
                               r.value.bits, element_size));
    }
  }

  void check_switch(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                    ast::Field& field, ast::SwitchType& sw) {
    ctx.what = "switch tag";
    const bool tag_ok = resolve_expr(ctx, *sw.tag);
    if (tag_ok) check_constant_overflow(*sw.tag);
    if (sw.byte_size) {
      ctx.what = "switch size";
      if (resolve_expr(ctx, *sw.byte_size)) check_constant_size(*sw.byte_size, ctx.what);
    }
    // The tag's range is known when it is a plain field.
    std::optional<ValueRange> tag_range;
    std::string tag_type;
    if (const auto* ref = std::get_if<ast::NameRef>(&sw.tag->node); tag_ok && ref && ref->field) {
      const auto& t = std::get<ast::NamedType>(ref->field->type->node);
      tag_range = value_range(t);
      tag_type = std::string(ref->field->type->range.text());
    }
    const ast::SwitchArm* default_arm = nullptr;
    std::map<std::string, const ast::SwitchArm*> arm_names;
    std::vector<std::pair<Value, const ast::SwitchArm*>> seen;
    for (ast::SwitchArm& arm : sw.arms) {
      check_identifier(arm.name_range, arm.name);
      if (auto [it, inserted] = arm_names.emplace(arm.name, &arm); !inserted) {
        diags_.error(arm.name_range, fmt::format("duplicate arm name '{}'", arm.name));
      }
      if (arm.is_default) {
        if (default_arm != nullptr) {
          diags_.error(arm.range, "a switch has at most one default arm");
          diags_.note(default_arm->range, "the first default arm is here");
        } else {
          default_arm = &arm;
        }
      }
      for (auto& c : arm.cases) check_case(ctx, *c, arm, tag_range, tag_type, seen);
      check_region_type(module, s, ctx, field, *arm.type);
    }
  }

  void check_case(const ExprContext& field_ctx, ast::Expr& c, const ast::SwitchArm& arm,
                  const std::optional<ValueRange>& tag_range, const std::string& tag_type,
                  std::vector<std::pair<Value, const ast::SwitchArm*>>& seen) {
    // Case values are constants; a field name is reported as such.
    if (const auto* ref = std::get_if<ast::NameRef>(&c.node);
        ref != nullptr && ref->parts.size() == 1 &&
        member_index(*field_ctx.structure, ref->parts[0]) != std::string::npos) {
      diags_.error(c.range, "case values must be constant expressions",
                   fmt::format("'{}' is a field", ref->parts[0]));
      return;
    }
    if (!resolve_constant_expr(*field_ctx.module, c)) return;
    const EvalResult r = evaluate_constant(c);
    if (r.status == EvalStatus::overflow) {
      diags_.error(c.range, "arithmetic overflow in constant expression");
      return;
    }
    if (r.status != EvalStatus::ok) {
      diags_.error(c.range, "case values must be constant expressions");
      return;
    }
    if (tag_range &&
        (compare(r.value, tag_range->min) < 0 || compare(r.value, tag_range->max) > 0)) {
      diags_.error(
          c.range,
          fmt::format("case value {} does not fit the tag ({}: {}..{})", format_value(r.value),
                      tag_type, format_value(tag_range->min), format_value(tag_range->max)));
      return;
    }
    for (const auto& [v, other] : seen) {
      if (compare(v, r.value) == 0) {
        diags_.error(c.range,
                     fmt::format("duplicate case value {} (also in arm '{}')",
                                 format_value(r.value), other->name),
                     "case values must be distinct across arms");
        return;
      }
    }
    seen.emplace_back(r.value, &arm);
  }

  // A length, count, size or pad that is constant must also not be negative.
  void check_constant_size(const ast::Expr& e, std::string_view what) {
    if (const EvalResult r = evaluate_constant(e);
        r.status == EvalStatus::ok && r.value.is_negative()) {
      diags_.error(e.range,
                   fmt::format("{} cannot be negative (got {})", what, r.value.as_signed()));
      return;
    }
    check_constant_overflow(e);
  }

  // A length, count, tag or pad that is constant must also be computable.
  void check_constant_overflow(const ast::Expr& e) {
    if (evaluate_constant(e).status == EvalStatus::overflow) {
      diags_.error(e.range, "arithmetic overflow in constant expression",
                   "results must stay within 64 bits and not go below zero");
    }
  }

  void check_constant_condition(const ast::Expr& e) {
    const EvalResult r = evaluate_constant(e);
    if (r.status == EvalStatus::overflow) {
      diags_.error(e.range, "arithmetic overflow in constant expression");
    } else if (r.status == EvalStatus::ok && r.value.bits == 0) {
      diags_.error(e.range, "constraint is always false");
    }
  }

  void check_constraints(ExprContext ctx, ast::Field& field) {
    ctx.self_allowed = true;
    ctx.what = "constraint";
    if (is_text_field(field)) {
      check_text_constraints(ctx, field);
      return;
    }
    if (std::holds_alternative<ast::ArrayType>(field.type->node)) {
      check_array_constraints(ctx, field);
      return;
    }
    for (ast::Constraint& c : field.constraints) {
      if (!is_numeric_field(field)) {
        const auto* n = std::get_if<ast::NamedType>(&field.type->node);
        if (n == nullptr || n->struct_decl != nullptr || n->is_float) {
          diags_.error(c.range,
                       fmt::format("constraints apply to integer and enum fields; '{}' is {}",
                                   field.name, field_kind(field)));
        }
        return;
      }
      if (const auto* text = std::get_if<ast::StringLiteral>(&c.expr->node);
          text != nullptr && c.kind == ast::ConstraintKind::equals) {
        report_integer_vs_string(c.range, &field, *text);  // `magic: u32 == "MQTT"`
        continue;
      }
      if (!resolve_expr(ctx, *c.expr)) continue;
      const auto& type = std::get<ast::NamedType>(field.type->node);
      const ValueRange range = value_range(type);
      if (c.kind == ast::ConstraintKind::equals) {
        const EvalResult r = evaluate_constant(*c.expr);
        if (r.status == EvalStatus::overflow) {
          diags_.error(c.expr->range, "arithmetic overflow in constant expression");
        } else if (r.status == EvalStatus::ok &&
                   (compare(r.value, range.min) < 0 || compare(r.value, range.max) > 0)) {
          report_impossible(c, field, type, range);
        }
        continue;
      }
      check_constant_condition(*c.expr);
      check_comparison_range(c, field, type, range);
    }
  }

  // `name: bytes[4] == "MQTT"` (a string literal after `==`) and `where` clauses,
  // which compare the field with string literals.
  void check_text_constraints(const ExprContext& ctx, ast::Field& field) {
    for (ast::Constraint& c : field.constraints) {
      if (c.kind == ast::ConstraintKind::where) {
        if (resolve_expr(ctx, *c.expr)) check_constant_condition(*c.expr);
        continue;
      }
      if (!is_string_literal(*c.expr)) {
        diags_.error(c.expr->range,
                     fmt::format("'{}' is {}: '==' after it takes a string literal", field.name,
                                 field_kind(field)),
                     fmt::format("{}: {} == \"...\";", field.name, field.type->range.text()));
        continue;
      }
      check_text_length(c.range, field, *c.expr, true);
    }
  }

  // `topics: Topic[] size(n) where count(topics) >= 1;`: `where` only (an array
  // equals nothing).
  void check_array_constraints(const ExprContext& ctx, ast::Field& field) {
    for (ast::Constraint& c : field.constraints) {
      if (c.kind == ast::ConstraintKind::equals) {
        diags_.error(c.range,
                     fmt::format("'{}' is an array: it takes 'where', not '=='", field.name),
                     fmt::format("compare what it holds: where count({}) == ...", field.name));
        continue;
      }
      if (resolve_expr(ctx, *c.expr)) check_constant_condition(*c.expr);
    }
  }

  void report_impossible(const ast::Constraint& c, const ast::Field& field,
                         const ast::NamedType& type, const ValueRange& range) {
    diags_.error(c.range, fmt::format("constraint can never hold: '{}' is {} ({}..{})", field.name,
                                      type.enum_decl != nullptr
                                          ? fmt::format("an enum of base {}",
                                                        type.enum_decl->base->range.text())
                                          : fmt::format("a {}", field.type->range.text()),
                                      format_value(range.min), format_value(range.max)));
  }

  // `x OP constant` or `constant OP x` where x is the constrained field: can the
  // comparison be true for any value in x's range?
  void check_comparison_range(const ast::Constraint& c, const ast::Field& field,
                              const ast::NamedType& type, const ValueRange& range) {
    const auto* bin = std::get_if<ast::Binary>(&c.expr->node);
    if (bin == nullptr) return;
    const auto is_self = [&](const ast::Expr& e) {
      const auto* ref = std::get_if<ast::NameRef>(&e.node);
      return ref != nullptr && ref->field == &field;
    };
    ast::BinaryOp op = bin->op;
    const ast::Expr* constant = nullptr;
    if (is_self(*bin->lhs)) {
      constant = bin->rhs.get();
    } else if (is_self(*bin->rhs)) {
      constant = bin->lhs.get();
      // Mirror `c < x` into `x > c`.
      switch (op) {
        case ast::BinaryOp::lt:
          op = ast::BinaryOp::gt;
          break;
        case ast::BinaryOp::le:
          op = ast::BinaryOp::ge;
          break;
        case ast::BinaryOp::gt:
          op = ast::BinaryOp::lt;
          break;
        case ast::BinaryOp::ge:
          op = ast::BinaryOp::le;
          break;
        default:
          break;
      }
    } else {
      return;
    }
    const EvalResult r = evaluate_constant(*constant);
    if (r.status != EvalStatus::ok) return;
    const Value& v = r.value;
    bool possible = true;
    switch (op) {
      case ast::BinaryOp::eq:
        possible = compare(range.min, v) <= 0 && compare(v, range.max) <= 0;
        break;
      case ast::BinaryOp::ne:
        possible = !(compare(range.min, v) == 0 && compare(range.max, v) == 0);
        break;
      case ast::BinaryOp::lt:
        possible = compare(range.min, v) < 0;
        break;
      case ast::BinaryOp::le:
        possible = compare(range.min, v) <= 0;
        break;
      case ast::BinaryOp::gt:
        possible = compare(range.max, v) > 0;
        break;
      case ast::BinaryOp::ge:
        possible = compare(range.max, v) >= 0;
        break;
      default:
        break;
    }
    if (!possible) report_impossible(c, field, type, range);
  }

  // ---------------------------------------------------------- part 2: structure
  // Optional fields, `let`, `align`, struct parameters and run-time byte order.

  enum class ExprKind : std::uint8_t { integer, endian, error };

  // Integer or byte order; mixing them is reported here.
  ExprKind expr_kind(const ast::Expr& e) {
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

  bool check_endian_use(const ExprContext& ctx, const std::string& name, SourceRange range) {
    if (ctx.endian_allowed) return true;
    diags_.error(range, fmt::format("'{}' is a byte order, not an integer ({})", name, ctx.what),
                 "a byte order can be stored in a 'let', passed as an 'endian' argument, or name "
                 "a struct's 'endian'");
    return false;
  }

  // A `let` declared before the expression, or a parameter of the struct.
  std::optional<bool> resolve_let_or_param(const ExprContext& ctx, ast::NameRef& ref,
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
            range,
            fmt::format("'{}' reads count() or size(), which a {} cannot use", name, ctx.what),
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

  // Parameter names and types, and the `endian NAME` clause.
  void check_params(const ast::Module& module, ast::StructDecl& s) {
    std::map<std::string, const ast::Param*> names;
    for (ast::Param& param : s.params) {
      check_identifier(param.name_range, param.name);
      if (auto [it, inserted] = names.emplace(param.name, &param); !inserted) {
        diags_.error(param.name_range, fmt::format("duplicate parameter '{}'", param.name));
      }
      for (const char* taken : {"buffer", "options", "depth"}) {
        if (param.name == taken) {
          diags_.error(
              param.name_range,
              fmt::format("parameter name '{}' is taken by parse()'s own arguments", param.name),
              "rename the parameter");
        }
      }
      if (param.is_endian) continue;
      auto& named = std::get<ast::NamedType>(param.type->node);
      if (!resolve_named(module, named, param.type->range)) continue;
      if (named.struct_decl != nullptr || named.enum_decl != nullptr || named.is_float) {
        diags_.error(param.type->range,
                     fmt::format("parameter '{}' must be an integer type or 'endian', not '{}'",
                                 param.name, param.type->range.text()));
        named.bits = 0;
      }
    }
    if (s.endian_param_name.empty()) return;
    for (const ast::Param& param : s.params) {
      if (param.name != s.endian_param_name) continue;
      if (!param.is_endian) {
        diags_.error(s.endian_param_range,
                     fmt::format("parameter '{}' is not a byte order", param.name),
                     fmt::format("declare it as '{}: endian'", param.name));
        return;
      }
      s.endian_param = &param;
      return;
    }
    std::vector<std::string> candidates;
    for (const ast::Param& param : s.params) candidates.push_back(param.name);
    diags_.error(s.endian_param_range,
                 fmt::format("unknown parameter '{}' in 'endian {}'", s.endian_param_name,
                             s.endian_param_name),
                 candidates.empty() ? fmt::format("declare it: 'struct {}({}: endian) endian {}'",
                                                  s.name, s.endian_param_name, s.endian_param_name)
                                    : did_you_mean(s.endian_param_name, candidates));
  }

  // Lets and parameters share the field namespace (they are read the same way).
  void check_member_names(const ast::StructDecl& s) {
    std::map<std::string, SourceRange> names;
    std::set<std::string> field_names;
    for (const ast::Param& param : s.params) names.emplace(param.name, param.name_range);
    const auto claim = [&](const std::string& name, SourceRange range, std::string_view what) {
      if (auto [it, inserted] = names.emplace(name, range); !inserted) {
        diags_.error(range, fmt::format("{} '{}' has the name of an earlier member or parameter",
                                        what, name));
        diags_.note(it->second, fmt::format("'{}' first declared here", name));
      }
    };
    for (const ast::Member& m : s.members) {
      if (const auto* let = std::get_if<ast::Let>(&m)) {
        check_identifier(let->name_range, let->name);
        claim(let->name, let->name_range, "let");
        if (std::find(generated_members.begin(), generated_members.end(), let->name) !=
            generated_members.end()) {
          diags_.error(
              let->name_range,
              fmt::format("'{}' collides with the generated member '{}()'", let->name, let->name));
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

  void check_let(ExprContext ctx, ast::Let& let) {
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

  void check_align(ExprContext ctx, ast::Align& align) {
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
  void check_reference(const ast::Module& module, ExprContext ctx, ast::Field& field) {
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
  void check_checksum(ExprContext ctx, ast::Field& field, unsigned cursor_before) {
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
      diags_.error(spec.range,
                   fmt::format("optional field '{}' cannot hold a checksum", field.name),
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
  void report_optional_reads(const ast::Expr& e, std::string_view what) {
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

  void check_optional(ExprContext ctx, ast::Field& field, unsigned cursor_before) {
    ctx.what = "condition";
    if (resolve_expr(ctx, *field.condition)) check_constant_overflow(*field.condition);
    if (std::holds_alternative<ast::SwitchType>(field.type->node)) {
      diags_.error(field.type->range, "a switch cannot be optional",
                   "put the switch in a struct and make a field of that struct optional");
      return;
    }
    const auto* named = std::get_if<ast::NamedType>(&field.type->node);
    const bool bits = named != nullptr && named->struct_decl == nullptr && !named->is_float &&
                      named->bits % 8 != 0;
    if (cursor_before % 8 != 0 || bits) {
      diags_.error(
          field.range,
          fmt::format("optional field '{}' must start and end on a byte boundary", field.name),
          "bit fields cannot be optional; make a byte-sized field optional instead");
    }
  }

  // `next: u8 peek;`: a byte-aligned integer, enum or flags value read where the
  // next member starts, which it does not consume.
  void check_peek(const ast::Field& field, unsigned cursor_before) {
    const auto* named = std::get_if<ast::NamedType>(&field.type->node);
    const bool integer = named != nullptr && named->struct_decl == nullptr && !named->is_float &&
                         named->varint == ast::VarintKind::none && named->bits != 0;
    if (!integer) {
      diags_.error(
          field.peek_range,
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

  // Arguments passed to a struct type: arity, and integer vs byte order.
  void check_arguments(ExprContext ctx, ast::NamedType& named, SourceRange range) {
    if (named.struct_decl == nullptr) {
      if (named.has_arguments) {
        diags_.error(named.arguments_range,
                     fmt::format("'{}' takes no arguments", join(named.parts)));
      }
      return;
    }
    const ast::StructDecl& target = *named.struct_decl;
    std::string signature;
    for (const ast::Param& p : target.params) {
      signature += fmt::format("{}{}", signature.empty() ? "" : ", ", p.range.text());
    }
    if (!named.has_arguments) {
      if (!target.params.empty()) {
        diags_.error(
            range,
            fmt::format("struct '{}' takes {} argument{} ({})", target.name, target.params.size(),
                        target.params.size() == 1 ? "" : "s", signature),
            fmt::format("pass them: '{}(...)'", join(named.parts)));
      }
      return;
    }
    if (named.arguments.size() != target.params.size()) {
      diags_.error(named.arguments_range,
                   target.params.empty()
                       ? fmt::format("struct '{}' takes no arguments", target.name)
                       : fmt::format("struct '{}' takes {} argument{} ({}), got {}", target.name,
                                     target.params.size(), target.params.size() == 1 ? "" : "s",
                                     signature, named.arguments.size()));
      return;
    }
    ctx.what = "argument";
    ctx.endian_allowed = true;
    for (std::size_t i = 0; i < named.arguments.size(); ++i) {
      ast::Expr& arg = *named.arguments[i];
      const ast::Param& param = target.params[i];
      if (const auto* ref = std::get_if<ast::NameRef>(&arg.node); ref && ref->carried) continue;
      if (!resolve_expr(ctx, arg)) continue;
      const ExprKind kind = expr_kind(arg);
      if (kind == ExprKind::error) continue;
      if ((kind == ExprKind::endian) != param.is_endian) {
        diags_.error(arg.range,
                     fmt::format("argument '{}' of '{}' is {}; this is {}", param.name, target.name,
                                 param.is_endian ? "a byte order" : "an integer",
                                 kind == ExprKind::endian ? "a byte order" : "an integer"));
        continue;
      }
      if (param.is_endian) continue;
      check_fits_param(arg, param, "argument");
    }
  }

  // ---------------------------------------------------------- the struct graph

  static void contained_structs(const ast::TypeExpr& t, std::vector<const ast::StructDecl*>& out) {
    std::visit(Overloaded{
                   [&](const ast::NamedType& n) {
                     if (n.struct_decl != nullptr) out.push_back(n.struct_decl);
                   },
                   [](const ast::BytesType&) {},
                   [&](const ast::ArrayType& a) { contained_structs(*a.element, out); },
                   [&](const ast::SwitchType& s) {
                     for (const auto& arm : s.arms) contained_structs(*arm.type, out);
                   },
               },
               t.node);
  }

  // The structs `s` contains, each with the switch arm that holds it (null for a
  // nested field or array element).
  static std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>> edges(ast::StructDecl& s) {
    std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>> out;
    for (auto& m : s.members) {
      auto* f = std::get_if<ast::Field>(&m);
      if (f == nullptr || f->at) continue;  // a reference stores no view: no containment
      if (auto* sw = std::get_if<ast::SwitchType>(&f->type->node)) {
        for (auto& arm : sw->arms) {
          const auto* n = std::get_if<ast::NamedType>(&arm.type->node);
          if (n != nullptr && n->struct_decl != nullptr) {
            out.emplace_back(n->struct_decl, &arm);
          } else {
            std::vector<const ast::StructDecl*> inner;
            contained_structs(*arm.type, inner);
            for (const auto* c : inner) out.emplace_back(c, nullptr);
          }
        }
        continue;
      }
      std::vector<const ast::StructDecl*> inner;
      contained_structs(*f->type, inner);
      for (const auto* c : inner) out.emplace_back(c, nullptr);
    }
    return out;
  }

  // A struct may contain itself (a tunnel, a chain of extension headers) only
  // through a switch arm naming a struct: such arms become indirect (their view
  // is re-read from the arm's bytes, not stored). Any other cycle has no finite
  // view and is reported. False when one was.
  bool check_recursion() {
    std::vector<ast::StructDecl*> all;
    for (auto& m : program_.modules) {
      for (auto& d : m->decls) {
        if (auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) all.push_back(s->get());
      }
    }
    std::map<const ast::StructDecl*,
             std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>>>
        graph;
    for (ast::StructDecl* s : all) graph[s] = edges(*s);
    const auto reaches = [&](const ast::StructDecl* from, const ast::StructDecl* to) {
      std::set<const ast::StructDecl*> seen;
      std::vector<const ast::StructDecl*> todo = {from};
      while (!todo.empty()) {
        const ast::StructDecl* s = todo.back();
        todo.pop_back();
        if (s == to) return true;
        if (!seen.insert(s).second) continue;
        for (const auto& e : graph[s]) todo.push_back(e.first);
      }
      return false;
    };
    bool ok = true;
    for (ast::StructDecl* s : all) {
      for (const auto& [child, arm] : graph[s]) {
        if (arm == nullptr || !reaches(child, s)) continue;
        arm->indirect = true;
        if (!child->params.empty() || !child->endian_param_name.empty()) {
          diags_.error(arm->name_range,
                       fmt::format("recursive switch arm '{}' names '{}', which takes parameters",
                                   arm->name, child->name),
                       "an arm that leads back to its own struct cannot pass arguments yet");
          ok = false;
        }
      }
    }
    // What is left once indirect arms are cut must be acyclic.
    std::map<const ast::StructDecl*, State> state;
    std::vector<const ast::StructDecl*> stack;
    const auto visit = [&](const auto& self, const ast::StructDecl* s) -> void {
      state[s] = State::visiting;
      stack.push_back(s);
      for (const auto& [child, arm] : graph[s]) {
        if (arm != nullptr && arm->indirect) continue;
        if (state[child] == State::visiting) {
          std::string path;
          auto it = std::find(stack.begin(), stack.end(), child);
          for (; it != stack.end(); ++it) {
            path += (*it)->name + " -> ";
            self_containing_.insert(*it);
          }
          diags_.error(
              child->name_range,
              fmt::format("struct '{}' contains itself: {}{}", child->name, path, child->name),
              "a struct can contain itself only through a switch arm, never through a plain "
              "field or an array");
          ok = false;
        } else if (state[child] == State::unvisited) {
          self(self, child);
        }
      }
      stack.pop_back();
      state[s] = State::done;
    };
    for (ast::StructDecl* s : all) {
      if (state[s] == State::unvisited) visit(visit, s);
    }
    return ok && check_nesting(all, graph);
  }

  // Every later stage follows structs held by value recursively (one level of
  // the compiler's stack per level of nesting): past kMaxStructNesting levels a
  // schema is reported, at the struct where the nesting goes over, not left to
  // exhaust the stack. Iterative, over the acyclic graph check_recursion leaves.
  bool check_nesting(
      const std::vector<ast::StructDecl*>& all,
      std::map<const ast::StructDecl*,
               std::vector<std::pair<const ast::StructDecl*, ast::SwitchArm*>>>& graph) {
    std::map<const ast::StructDecl*, std::size_t> levels;  // the struct itself is level 1
    bool ok = true;
    for (const ast::StructDecl* root : all) {
      // Depth-first, children before parents, with an explicit stack.
      std::vector<std::pair<const ast::StructDecl*, bool>> todo = {{root, false}};
      while (!todo.empty()) {
        const auto [s, children_done] = todo.back();
        todo.pop_back();
        if (levels.count(s) != 0) continue;
        if (!children_done) {
          todo.emplace_back(s, true);
          for (const auto& [child, arm] : graph[s]) {
            if ((arm == nullptr || !arm->indirect) && levels.count(child) == 0)
              todo.emplace_back(child, false);
          }
          continue;
        }
        std::size_t deepest = 0;
        for (const auto& [child, arm] : graph[s]) {
          if (arm == nullptr || !arm->indirect) deepest = std::max(deepest, levels.at(child));
        }
        levels[s] = deepest + 1;
        if (deepest + 1 == kMaxStructNesting + 1) {
          diags_.error(s->name_range,
                       fmt::format("struct '{}' holds structs nested more than {} levels deep",
                                   s->name, kMaxStructNesting),
                       "each struct held by value (a field, an array element, a switch arm that "
                       "is not recursive) is a level; split the chain with a recursive switch "
                       "arm or bytes");
          ok = false;
        }
      }
    }
    return ok;
  }

  // ---------------------------------------------------------- import cycles

  // Files that import each other include each other's headers, each after its own
  // classes (docs/schema-language.md §2), so no class of one may need a declaration
  // of the other. Across the cycle a struct may be named only by a switch arm, which
  // becomes a recursive arm (kept as bytes, parsed by its accessor, out of line),
  // or by a reference (`at`, read out of line). A struct as a plain field, optional
  // field or array element, and any enum, flags type or constant, is an error.
  void check_import_cycles() {
    for (auto& m : program_.modules) {
      std::set<const ast::Module*> peers;
      for (const auto& imp : m->imports) {
        if (imp.in_cycle) peers.insert(imp.module);
      }
      if (peers.empty()) continue;
      for (auto& d : m->decls) {
        auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d);
        if (s == nullptr) continue;
        const CycleScope scope{*m, **s, peers};
        for (auto& p : (*s)->params) {
          if (p.type) cross_type(scope, *p.type, nullptr, false);
        }
        for (auto& member : (*s)->members) {
          std::visit(Overloaded{
                         [&](ast::Field& f) {
                           cross_type(scope, *f.type, nullptr, f.at != nullptr);
                           if (f.condition) cross_expr(scope, *f.condition);
                           for (const auto& c : f.constraints) cross_expr(scope, *c.expr);
                           if (f.checksum && f.checksum->length) {
                             cross_expr(scope, *f.checksum->length);
                           }
                           if (f.at) cross_expr(scope, *f.at);
                         },
                         [&](ast::Pad& p) { cross_expr(scope, *p.size); },
                         [&](ast::Require& r) { cross_expr(scope, *r.condition); },
                         [&](ast::Let& l) { cross_expr(scope, *l.value); },
                         [&](ast::Align& a) { cross_expr(scope, *a.alignment); },
                     },
                     member);
        }
      }
    }
  }

  struct CycleScope {
    const ast::Module& module;
    const ast::StructDecl& structure;
    const std::set<const ast::Module*>& peers;
  };

  // `arm`: the type is that switch arm's; `reference`: the target of an `at` field.
  void cross_type(const CycleScope& scope, ast::TypeExpr& t, ast::SwitchArm* arm, bool reference) {
    std::visit(
        Overloaded{
            [&](ast::NamedType& n) {
              for (const auto& a : n.arguments) cross_expr(scope, *a);
              if (n.struct_decl != nullptr) {
                if (scope.peers.count(n.struct_decl->module) == 0 || reference) return;
                if (arm != nullptr) {
                  cross_arm(*arm, *n.struct_decl);
                } else if (self_containing_.count(&scope.structure) == 0 ||
                           self_containing_.count(n.struct_decl) == 0) {
                  // (a struct that contains itself is reported as such)
                  report_cross(scope, n.struct_decl, t.range, n.struct_decl->name,
                               *n.struct_decl->module,
                               "only a switch arm or a reference can name a struct there");
                }
              } else if (n.enum_decl != nullptr && scope.peers.count(n.enum_decl->module) != 0) {
                report_cross(scope, n.enum_decl, t.range, n.enum_decl->name, *n.enum_decl->module,
                             "its enums cannot be used here");
              } else if (n.flags_decl != nullptr && scope.peers.count(n.flags_decl->module) != 0) {
                report_cross(scope, n.flags_decl, t.range, n.flags_decl->name,
                             *n.flags_decl->module, "its flags types cannot be used here");
              }
            },
            [&](ast::BytesType& b) {
              if (b.count) cross_expr(scope, *b.count);
            },
            [&](ast::ArrayType& a) {
              cross_type(scope, *a.element, nullptr, false);
              for (const auto* e : {&a.count, &a.byte_size, &a.until}) {
                if (*e) cross_expr(scope, **e);
              }
              if (a.carry) {
                cross_expr(scope, *a.carry->initial);
                cross_expr(scope, *a.carry->next);
              }
            },
            [&](ast::SwitchType& sw) {
              cross_expr(scope, *sw.tag);
              for (auto& each : sw.arms) {
                for (const auto& c : each.cases) cross_expr(scope, *c);
                cross_type(scope, *each.type, &each, false);
              }
              if (sw.byte_size) cross_expr(scope, *sw.byte_size);
            },
        },
        t.node);
  }

  // An arm naming a struct of the other file: read like a recursive arm.
  void cross_arm(ast::SwitchArm& arm, const ast::StructDecl& child) {
    if (arm.indirect) return;  // recursive already (and checked as such)
    arm.indirect = true;
    if (!child.params.empty() || !child.endian_param_name.empty()) {
      diags_.error(arm.name_range,
                   fmt::format("switch arm '{}' names '{}' across an import cycle, and '{}' "
                               "takes parameters",
                               arm.name, child.name, child.name),
                   "an arm across an import cycle is read like a recursive arm, which cannot "
                   "pass arguments yet");
    }
  }

  void cross_expr(const CycleScope& scope, const ast::Expr& e) {
    std::visit(
        Overloaded{
            [](const ast::IntLiteral&) {},
            [](const ast::StringLiteral&) {},
            [&](const ast::NameRef& ref) {
              if (ref.constant != nullptr && scope.peers.count(ref.constant->module)) {
                report_cross(scope, ref.constant, e.range, ref.constant->name,
                             *ref.constant->module, "its constants cannot be used here");
              } else if (ref.enum_decl != nullptr && scope.peers.count(ref.enum_decl->module)) {
                report_cross(scope, ref.enum_decl, e.range, ref.enum_decl->name,
                             *ref.enum_decl->module, "its enums cannot be used here");
              } else if (ref.flags_decl != nullptr && scope.peers.count(ref.flags_decl->module)) {
                report_cross(scope, ref.flags_decl, e.range, ref.flags_decl->name,
                             *ref.flags_decl->module, "its flags types cannot be used here");
              }
            },
            [&](const ast::Unary& u) { cross_expr(scope, *u.operand); },
            [&](const ast::Binary& b) {
              cross_expr(scope, *b.lhs);
              cross_expr(scope, *b.rhs);
            },
            [&](const ast::Conditional& c) {
              cross_expr(scope, *c.condition);
              cross_expr(scope, *c.if_true);
              cross_expr(scope, *c.if_false);
            },
        },
        e.node);
  }

  // Once per struct and declaration: its first use names it.
  void report_cross(const CycleScope& scope, const void* decl, SourceRange range,
                    const std::string& name, const ast::Module& from, std::string_view what) {
    if (!cross_reported_.emplace(&scope.structure, decl).second) return;
    diags_.error(range,
                 fmt::format("'{}' is declared in {}, which imports {} back: {}", name,
                             from.include_path, scope.module.include_path, what),
                 fmt::format("files that import each other include each other's headers after "
                             "their own classes; move '{}' into a file that both import",
                             name));
  }

  void check_array_elements() {
    StructSizes sizes;  // shared: a struct many arrays hold is measured once
    for (const ast::ArrayType* a : arrays_of_structs_) {
      const auto& elem = std::get<ast::NamedType>(a->element->node);
      const auto bits = fixed_size_bits(*elem.struct_decl, sizes);
      if (!bits) {
        // Variable-size elements are a lazy forward range; a switch arm cannot be one.
        if (arm_arrays_.count(a) != 0) {
          diags_.error(a->element->range,
                       fmt::format("a switch arm cannot be an array of variable-size elements "
                                   "('{}' has no fixed size)",
                                   elem.struct_decl->name),
                       "put the array in a struct and use the struct as the arm's type");
        }
        if (auto it = optional_arrays_.find(a); it != optional_arrays_.end()) {
          report_optional_sequence(*it->second, "an array of variable-size elements");
        }
      } else if (a->byte_size) {
        check_array_byte_size(*a, *bits / 8);
      }
    }
  }

  ast::Program& program_;
  Diagnostics& diags_;
  std::map<const ast::Module*, std::map<std::string, DeclRef>> decls_;
  std::map<const ast::ConstDecl*, State> const_state_;
  std::map<const ast::EnumDecl*, State> enum_state_;
  std::map<const ast::EnumDecl*, bool> enum_base_ok_;
  std::vector<std::string> cycle_stack_;
  std::set<const ast::StructDecl*> self_containing_;  // on a reported containment cycle
  std::set<std::pair<const ast::StructDecl*, const void*>> cross_reported_;
  std::vector<const ast::ArrayType*> arrays_of_structs_;
  std::map<const ast::FlagsDecl*, bool> flags_ok_;
  std::set<const ast::ArrayType*> arm_arrays_;
  std::map<const ast::ArrayType*, const ast::Field*>
      optional_arrays_;  // `x: T[] if c`  // arrays that are a switch arm's type
  std::vector<std::pair<ExprContext, ast::ArrayType*>> until_arrays_;  // checked last
  std::vector<std::pair<ExprContext, ast::ArrayType*>> carry_arrays_;  // next values, last
};

}  // namespace

bool check(ast::Program& program, Diagnostics& diags) { return Checker(program, diags).run(); }

}  // namespace lpc::sema
