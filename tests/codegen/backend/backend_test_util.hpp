// Helpers shared by the sema and layout tests: schemas given as strings are
// parsed, linked and checked in memory (no files, no loader), and diagnostics
// are flattened to "line:col: severity: message" strings that a test compares
// exactly.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"
#include "diag/source.hpp"
#include "layout/layout.hpp"
#include "parse/parser.hpp"
#include "plan/plan.hpp"
#include "sema/sema.hpp"

namespace lpc::test {

// Joins schema lines with '\n': line N of the schema is element N-1, so a test
// reads the caret positions it expects straight off the list.
inline std::string lines(std::initializer_list<std::string_view> ls) {
  std::string out;
  for (auto l : ls) (out += l) += '\n';
  return out;
}

// One schema file: the path its imports are matched against, and its text.
struct Source {
  std::string path;
  std::string text;
};

struct Checked {
  ast::Program program;
  Diagnostics diags;
  bool parsed = false;                            // no syntax error
  bool sema_ok = false;                           // sema::check returned true
  std::unique_ptr<layout::ProgramLayout> layout;  // set when sema passed and layout did too
  std::unique_ptr<plan::ProgramPlan> plan;        // set with layout

  // The declaration `name` of any module (the last module first: the root).
  template <typename T>
  T* find(std::string_view name) const {
    for (auto m = program.modules.rbegin(); m != program.modules.rend(); ++m) {
      for (const auto& d : (*m)->decls) {
        if (const auto* p = std::get_if<std::unique_ptr<T>>(&d); p && (*p)->name == name) {
          return p->get();
        }
      }
    }
    return nullptr;
  }
  const ast::StructDecl& structure(std::string_view name) const {
    const auto* s = find<ast::StructDecl>(name);
    if (s == nullptr) throw std::runtime_error("no struct " + std::string(name));
    return *s;
  }
  const layout::StructLayout& layout_of(std::string_view name) const {
    if (!layout) throw std::runtime_error("no layout");
    return layout->of(structure(name));
  }
  const plan::StructPlan& plan_of(std::string_view name) const {
    if (!plan) throw std::runtime_error("no plan");
    return plan->of(structure(name));
  }
};

// Parses every source as one module, in the order given (imports first), links
// each `import "p"` to the source whose path is p, runs sema, then layout and the plan.
inline std::unique_ptr<Checked> check_sources(const std::vector<Source>& sources) {
  auto out = std::make_unique<Checked>();
  for (const auto& s : sources) {
    auto file = std::make_unique<SourceFile>(SourceFile::make(s.path, s.path, s.text));
    auto module = parse::parse(*file, out->diags);
    module->include_path = s.path;
    out->program.files.push_back(std::move(file));
    out->program.modules.push_back(std::move(module));
  }
  for (auto& m : out->program.modules) {
    for (auto& imp : m->imports) {
      for (const auto& other : out->program.modules) {
        if (other->include_path == imp.path) imp.module = other.get();
      }
      if (imp.module == nullptr) ADD_FAILURE() << "test import not found: " << imp.path;
    }
  }
  out->program.roots.push_back(out->program.modules.back().get());
  out->parsed = !out->diags.has_errors();
  if (!out->parsed) return out;
  out->sema_ok = sema::check(out->program, out->diags);
  if (out->sema_ok && !out->diags.has_errors()) {
    out->layout = layout::compute(out->program, out->diags);
    if (out->layout != nullptr) out->plan = plan::compute(out->program, *out->layout);
  }
  return out;
}

inline std::unique_ptr<Checked> check_text(std::string text) {
  return check_sources({{"t.lps", std::move(text)}});
}

// "line:col: error: message" (caret position of the diagnostic), then
// " [hint: ...]" when there is a hint.
inline std::string describe(const Diagnostic& d) {
  std::string out;
  if (d.range.file != nullptr) {
    const auto at = d.range.file->line_col(d.range.begin);
    out += std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
  }
  out += d.severity == Severity::error     ? "error: "
         : d.severity == Severity::warning ? "warning: "
                                           : "note: ";
  out += d.message;
  if (!d.hint.empty()) out += " [hint: " + d.hint + "]";
  return out;
}

inline std::vector<std::string> reports(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all()) out.push_back(describe(d));
  return out;
}

// A one-file schema (package t, big-endian) that must pass every stage up to the
// plan; the test fails, naming the diagnostics, when it does not.
inline std::unique_ptr<Checked> planned(const std::string& text) {
  auto c = check_text("package t;\nendian big;\n" + text);
  EXPECT_TRUE(c->sema_ok) << c->diags.render();
  EXPECT_NE(c->plan, nullptr) << c->diags.render();
  return c;
}

// The diagnostics of a one-file schema that must parse but fail sema.
inline std::vector<std::string> sema_errors(std::string text) {
  auto c = check_text(std::move(text));
  EXPECT_TRUE(c->parsed) << c->diags.render();
  EXPECT_FALSE(c->sema_ok) << "sema accepted the schema";
  return reports(c->diags);
}

}  // namespace lpc::test
