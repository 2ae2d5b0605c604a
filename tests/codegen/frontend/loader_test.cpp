// The loader: import lookup, include paths, dedupe, order, cycles, missing files.
#include "driver/loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "test_util.hpp"

namespace lpc::driver {
namespace {

using test::ScopedCwd;
using test::TempDir;

const ast::Module* find_module(const ast::Program& p, const std::string& include_path) {
  for (const auto& m : p.modules) {
    if (m->include_path == include_path) return m.get();
  }
  return nullptr;
}

std::vector<std::string> include_paths(const ast::Program& p) {
  std::vector<std::string> out;
  for (const auto& m : p.modules) out.push_back(m->include_path);
  return out;
}

TEST(Loader, RelativeImportAndOrder) {
  TempDir dir;
  dir.write("a.lps", "package t;\nimport \"b.lps\";\n");
  dir.write("b.lps", "package t;\nimport \"sub/c.lps\";\n");
  dir.write("sub/c.lps", "package t;\nimport \"d.lps\";\n");  // next to c: sub/d.lps
  dir.write("sub/d.lps", "package t;\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  std::vector<std::string> opened;
  auto p = load({"a.lps"}, {}, diags, &opened);
  ASSERT_FALSE(diags.has_errors()) << diags.render();
  // Imports before importers; include paths relative to the root's folder.
  EXPECT_EQ(include_paths(*p),
            (std::vector<std::string>{"sub/d.lps", "sub/c.lps", "b.lps", "a.lps"}));
  EXPECT_EQ(opened, (std::vector<std::string>{"a.lps", "b.lps", "sub/c.lps", "sub/d.lps"}));
  ASSERT_EQ(p->roots.size(), 1u);
  EXPECT_EQ(p->roots[0]->include_path, "a.lps");
  EXPECT_EQ(p->roots[0]->imports[0].module, find_module(*p, "b.lps"));
  EXPECT_EQ(find_module(*p, "sub/c.lps")->file->display_path, "sub/c.lps");
  EXPECT_EQ(p->files.size(), 4u);
}

TEST(Loader, ImportFoldersInOrder) {
  TempDir dir;
  dir.write("app/main.lps", "package app;\nimport \"net/udp.lps\";\n");
  dir.write("first/net/udp.lps", "package first;\n");
  dir.write("second/net/udp.lps", "package second;\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"app/main.lps"}, {"first", "second"}, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.render();
  const ast::Module* udp = p->roots[0]->imports[0].module;
  ASSERT_NE(udp, nullptr);
  EXPECT_EQ(udp->package, std::vector<std::string>{"first"});
  EXPECT_EQ(udp->include_path, "net/udp.lps");
  EXPECT_EQ(udp->file->display_path, "first/net/udp.lps");
  EXPECT_EQ(p->roots[0]->include_path, "main.lps");  // below no -I folder
}

TEST(Loader, IncludePathBelowImportFolder) {
  TempDir dir;
  dir.write("schemas/net/ipv4.lps", "package net;\nimport \"udp.lps\";\n");
  dir.write("schemas/net/udp.lps", "package net;\n");
  Diagnostics diags;
  // Absolute paths, cwd elsewhere: display paths stay as given.
  const std::string ipv4 = (dir.path() / "schemas/net/ipv4.lps").string();
  auto p = load({ipv4}, {(dir.path() / "schemas").string()}, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.render();
  EXPECT_EQ(include_paths(*p), (std::vector<std::string>{"net/udp.lps", "net/ipv4.lps"}));
  EXPECT_EQ(p->roots[0]->file->display_path, ipv4);
}

TEST(Loader, IncludePathFollowsTheImportersRoot) {
  TempDir dir;
  // net/ipv4.lps is found below -I root; its import "udp.lps" is found next to it
  // in a folder that is not an -I folder: still "net/udp.lps".
  dir.write("root/net/ipv4.lps", "package net;\nimport \"udp.lps\";\n");
  dir.write("root/net/udp.lps", "package net;\n");
  dir.write("main.lps", "package app;\nimport \"net/ipv4.lps\";\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"main.lps"}, {"root"}, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.render();
  EXPECT_EQ(include_paths(*p),
            (std::vector<std::string>{"net/udp.lps", "net/ipv4.lps", "main.lps"}));
}

TEST(Loader, AbsolutePathBelowCwdIsShownRelative) {
  TempDir dir;
  dir.write("net/a.lps", "package t;\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  std::vector<std::string> opened;
  auto p = load({(dir.path() / "net/a.lps").string()}, {dir.path().string()}, diags, &opened);
  ASSERT_FALSE(diags.has_errors()) << diags.render();
  EXPECT_EQ(p->roots[0]->file->display_path, "net/a.lps");
  EXPECT_EQ(p->roots[0]->include_path, "net/a.lps");
  EXPECT_EQ(opened, std::vector<std::string>{(dir.path() / "net/a.lps").generic_string()});
}

TEST(Loader, SharedImportsAreLoadedOnce) {
  TempDir dir;
  dir.write("a.lps", "package t;\nimport \"common.lps\";\n");
  dir.write("b.lps", "package t;\nimport \"./common.lps\";\nimport \"a.lps\";\n");
  dir.write("common.lps", "package t;\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"a.lps", "b.lps", "./a.lps"}, {}, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.render();
  EXPECT_EQ(include_paths(*p), (std::vector<std::string>{"common.lps", "a.lps", "b.lps"}));
  ASSERT_EQ(p->roots.size(), 2u);
  EXPECT_EQ(p->roots[0]->include_path, "a.lps");
  EXPECT_EQ(p->roots[1]->include_path, "b.lps");
  EXPECT_EQ(p->roots[1]->imports[0].module, p->roots[0]->imports[0].module);
}

TEST(Loader, ImportCycle) {
  TempDir dir;
  dir.write("a.lps", "package t;\nimport \"b.lps\";\n");
  dir.write("b.lps", "package t;\nimport \"c.lps\";\n");
  dir.write("c.lps", "package t;\nimport \"b.lps\";\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"a.lps"}, {}, diags);
  // Files that import each other load; sema decides what may cross the cycle.
  EXPECT_EQ(diags.error_count(), 0u) << diags.render();
  EXPECT_EQ(include_paths(*p), (std::vector<std::string>{"c.lps", "b.lps", "a.lps"}));
  const ast::Module* a = find_module(*p, "a.lps");
  const ast::Module* b = find_module(*p, "b.lps");
  const ast::Module* c = find_module(*p, "c.lps");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->imports[0].module, b);
  EXPECT_FALSE(a->imports[0].in_cycle);  // b does not lead back to a
  EXPECT_EQ(b->imports[0].module, c);
  EXPECT_TRUE(b->imports[0].in_cycle);
  EXPECT_EQ(c->imports[0].module, b);
  EXPECT_TRUE(c->imports[0].in_cycle);
}

TEST(Loader, SelfImport) {
  TempDir dir;
  dir.write("a.lps", "package t;\nimport \"a.lps\";\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"a.lps"}, {}, diags);  // owns the files the diagnostics point into
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].message, "'a.lps' imports itself");
}

TEST(Loader, MissingRoot) {
  TempDir dir;
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"nope.lps"}, {}, diags);
  EXPECT_EQ(diags.render(),
            "lpc: error: cannot open 'nope.lps': No such file or directory\n1 error generated.\n");
  EXPECT_TRUE(p->roots.empty());
}

TEST(Loader, DirectoryAsRoot) {
  TempDir dir;
  dir.write("sub/x.lps", "package t;\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"sub"}, {}, diags);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].message, "cannot open 'sub': Is a directory");
}

TEST(Loader, MissingImport) {
  TempDir dir;
  dir.write("a.lps", "package t;\nimport \"gone.lps\";\nimport \"b.lps\";\n");
  dir.write("b.lps", "package t;\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"a.lps"}, {"inc"}, diags);
  ASSERT_EQ(diags.error_count(), 1u);
  const Diagnostic& d = diags.all()[0];
  EXPECT_EQ(d.message, "cannot open 'gone.lps': No such file or directory");
  EXPECT_EQ(d.hint, "looked next to the importing file and in 'inc'");
  EXPECT_EQ(d.range.text(), "\"gone.lps\"");
  // The other import still loads.
  EXPECT_EQ(p->roots[0]->imports[0].module, nullptr);
  EXPECT_NE(p->roots[0]->imports[1].module, nullptr);
}

TEST(Loader, SyntaxErrorsInSeveralFilesAreAllReported) {
  TempDir dir;
  dir.write("a.lps", "package t;\nimport \"b.lps\";\nstruct A { x u8; }\n");
  dir.write("b.lps", "package t;\nstruct B { y: ; }\n");
  const ScopedCwd cwd(dir.path());
  Diagnostics diags;
  auto p = load({"a.lps"}, {}, diags);  // owns the files the diagnostics point into
  ASSERT_EQ(diags.error_count(), 2u);
  EXPECT_EQ(diags.all()[0].range.file->display_path, "a.lps");
  EXPECT_EQ(diags.all()[1].range.file->display_path, "b.lps");
}

}  // namespace
}  // namespace lpc::driver
