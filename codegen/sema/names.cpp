// Declarations (docs/schema-language.md §27): every module's declarations indexed
// by name, unique per package; package names and identifiers that C++ would
// reject; lookup of plain and qualified names through imports; and constants,
// enums and flags, each resolved on first use so that order in the file does not
// matter and a cycle between them is reported.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

#include "ast/overloaded.hpp"
#include "sema/checker.hpp"

namespace lpc::sema {
namespace {

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

}  // namespace

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
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

void Checker::index_declarations() {
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

void Checker::check_package(const ast::Module& m) {
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

void Checker::check_identifier(SourceRange range, std::string_view name) {
  if (is_cpp_keyword(name)) {
    diags_.error(range, fmt::format("'{}' is a C++ keyword and cannot be used as a name", name));
  } else if (is_c_macro(name)) {
    diags_.error(range, fmt::format("'{}' is a C library macro and cannot be used as a name", name),
                 "the preprocessor would replace it in the generated header");
  } else if (name.size() > 1 && name.ends_with('_')) {
    diags_.error(range, fmt::format("name '{}' ends in '_'", name),
                 "names ending in '_' are reserved for the generated classes' data members");
  }
}

// Modules whose declarations `from` can see: itself, then its imports in order.
std::vector<const ast::Module*> Checker::visible_modules(const ast::Module& from) const {
  std::vector<const ast::Module*> out{&from};
  for (const auto& imp : from.imports) {
    if (imp.module != nullptr && std::find(out.begin(), out.end(), imp.module) == out.end()) {
      out.push_back(imp.module);
    }
  }
  return out;
}

const DeclRef* Checker::find_in(const ast::Module* m, const std::string& name) const {
  auto it = decls_.find(m);
  if (it == decls_.end()) return nullptr;
  auto d = it->second.find(name);
  return d == it->second.end() ? nullptr : &d->second;
}

// Resolves `Name` or `pkg.sub.Name`. Unqualified: the module's own declarations
// first, then its imports (an error when two imports declare the name).
// Returns null without reporting when nothing matches.
const DeclRef* Checker::lookup(const ast::Module& from, const std::vector<std::string>& parts,
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
      diags_.error(
          range,
          fmt::format("'{}' is ambiguous: declared in {} and {}", name, found->module->include_path,
                      d->module->include_path),
          fmt::format("qualify it with its package, e.g. '{}.{}'", join(d->module->package), name));
      return found;
    }
    found = d;
  }
  return found;
}

std::vector<std::string> Checker::visible_names(const ast::Module& from, bool types,
                                                bool constants) {
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

bool Checker::resolve_enum_base(ast::EnumDecl& e) {
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

bool Checker::resolve_constant(ast::ConstDecl& c) {
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
      diags_.error(c.value->range, "arithmetic overflow in constant expression",
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

void Checker::report_cycle(const std::string& name, SourceRange range) {
  auto start = std::find(cycle_stack_.begin(), cycle_stack_.end(), name);
  std::string path;
  for (auto it = start; it != cycle_stack_.end(); ++it) path += *it + " -> ";
  diags_.error(range, fmt::format("'{}' depends on itself: {}{}", name, path, name));
}

bool Checker::resolve_enum(ast::EnumDecl& e) {
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
  const ValueRange range = ok ? value_range(std::get<ast::NamedType>(e.base->node)) : ValueRange{};
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
bool Checker::resolve_constant_expr(const ast::Module& module, ast::Expr& expr) {
  ExprContext ctx;
  ctx.module = &module;
  ctx.what = "constant expression";
  return resolve_expr(ctx, expr);
}

// Base and member positions of a flags declaration; false when broken (reported once).
bool Checker::resolve_flags(ast::FlagsDecl& f) {
  auto [it, inserted] = flags_ok_.emplace(&f, false);
  if (!inserted) return it->second;
  // The flags' own name was checked with every declaration's (index_declarations).
  auto* base = std::get_if<ast::NamedType>(&f.base->node);
  std::string error;
  const auto b = base != nullptr && base->parts.size() == 1 ? parse_builtin(base->parts[0], error)
                                                            : std::nullopt;
  if (!b || b->is_signed || b->is_float) {
    diags_.error(f.base->range, error.empty()
                                    ? fmt::format("flags base must be an unsigned integer type (u1 "
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
                   fmt::format("bit position {} of '{}' does not fit the base {} (0..{})", position,
                               m.name, f.base->range.text(), b->bits - 1));
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

bool Checker::resolve_flags_type(ast::FlagsDecl& f, ast::NamedType& t) {
  if (!resolve_flags(f)) return false;
  const auto& base = std::get<ast::NamedType>(f.base->node);
  t.flags_decl = &f;
  t.bits = base.bits;
  t.is_signed = false;
  t.explicit_order = base.explicit_order;
  return true;
}

// `Flags.MEMBER`: nullopt when the name is not a flags member at all.
std::optional<bool> Checker::resolve_flags_member(const ExprContext& ctx, ast::NameRef& ref,
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

}  // namespace lpc::sema
