// Semantic checks (codegen/sema): name resolution, resolved values, and every
// rejection of docs/schema-language.md §27 with its exact message, caret position
// (line:col) and hint.
#include "sema/sema.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "backend_test_util.hpp"
#include "driver/loader.hpp"
#include "sema/eval.hpp"
#include "test_util.hpp"

namespace lpc::sema {
namespace {

using test::check_sources;
using test::check_text;
using test::lines;
using test::reports;
using test::sema_errors;
using Errors = std::vector<std::string>;

const ast::Field& field(const ast::StructDecl& s, std::size_t i) {
  return std::get<ast::Field>(s.members.at(i));
}

const ast::NameRef& name_ref(const ast::Expr& e) { return std::get<ast::NameRef>(e.node); }

// The expression of the first constraint of a field (the rhs for `==`).
const ast::Expr& constraint(const ast::Field& f, std::size_t i = 0) {
  return *f.constraints.at(i).expr;
}

const ast::Expr& bytes_count(const ast::Field& f) {
  return *std::get<ast::BytesType>(f.type->node).count;
}

// ============================================================ accepted schemas

TEST(SemaResolve, ValidSchemaHasNoDiagnostics) {
  auto c = check_text(lines({
      "package t;",
      "endian big;",
      "const MAX = 40;",
      "enum Kind : u8 { A = 1, B, C = MAX }",
      "enum Ecn : u2 { NOT_ECT, ECT1, ECT0, CE }",
      "struct Point { x: i16; y: i16le; }",
      "struct Msg {",
      "  version: u4 == 4;",
      "  ihl: u4 where ihl >= 5 where ihl <= 15;",
      "  ecn: Ecn;",
      "  _: u6;",
      "  kind: Kind where kind != Kind.C;",
      "  len: u16 where len >= ihl * 4;",
      "  pts: Point[2];",
      "  more: Point[] size(len % 8 * 4);",
      "  opts: bytes[ihl * 4 - 20];",
      "  pad len % 4;",
      "  body: switch (kind) {",
      "    case Kind.A, 7 => a: u32;",
      "    case Kind.B => b: Point;",
      "    default => rest: bytes[];",
      "  } size(len - ihl * 4);",
      "  trailer: u8[];",
      "  require len <= 1500;",
      "}",
  }));
  EXPECT_TRUE(c->parsed);
  EXPECT_TRUE(c->sema_ok);
  EXPECT_TRUE(c->diags.all().empty()) << c->diags.render();
  EXPECT_NE(c->layout, nullptr);
}

TEST(SemaResolve, FieldReferencesPointAtEarlierFields) {
  auto c = check_text(lines({
      "package t;",
      "struct S {",
      "  n: u8 where n > 0;",
      "  m: u8;",
      "  data: bytes[n + m];",
      "}",
  }));
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  const auto& s = c->structure("S");
  EXPECT_EQ(name_ref(*std::get<ast::Binary>(constraint(field(s, 0)).node).lhs).field, &field(s, 0));
  const auto& sum = std::get<ast::Binary>(bytes_count(field(s, 2)).node);
  EXPECT_EQ(name_ref(*sum.lhs).field, &field(s, 0));
  EXPECT_EQ(name_ref(*sum.rhs).field, &field(s, 1));
  EXPECT_EQ(name_ref(*sum.rhs).constant, nullptr);
}

TEST(SemaResolve, ConstantsResolveInAnyOrderAndKeepTheirSign) {
  auto c = check_text(lines({
      "package t;",
      "const B = A * 2 + 1;",
      "const A = 5;",
      "const NEG = -3;",
      "const NEG2 = NEG * 2;",
      "const ALL = 0xFFFF_FFFF_FFFF_FFFF;",
      "const TOP = 1 << 63;",
      "const PICK = A > 4 ? 0b1010 : 1 / 0;",
  }));
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  const auto* b = c->find<ast::ConstDecl>("B");
  EXPECT_EQ(b->resolved_value, 11u);
  EXPECT_FALSE(b->resolved_is_negative);
  const auto& sum = std::get<ast::Binary>(b->value->node);
  const auto& product = std::get<ast::Binary>(sum.lhs->node);
  EXPECT_EQ(name_ref(*product.lhs).constant, c->find<ast::ConstDecl>("A"));
  const auto* neg = c->find<ast::ConstDecl>("NEG");
  EXPECT_TRUE(neg->resolved_is_negative);
  EXPECT_EQ(neg->resolved_signed, -3);
  EXPECT_TRUE(c->find<ast::ConstDecl>("NEG2")->resolved_is_negative);
  EXPECT_EQ(c->find<ast::ConstDecl>("NEG2")->resolved_signed, -6);
  EXPECT_EQ(c->find<ast::ConstDecl>("ALL")->resolved_value, ~std::uint64_t{0});
  EXPECT_FALSE(c->find<ast::ConstDecl>("ALL")->resolved_is_negative);
  EXPECT_EQ(c->find<ast::ConstDecl>("TOP")->resolved_value, std::uint64_t{1} << 63);
  // The branch not taken may divide by zero (§22: short-circuit).
  EXPECT_EQ(c->find<ast::ConstDecl>("PICK")->resolved_value, 10u);
}

TEST(SemaResolve, EnumImplicitValuesArePreviousPlusOne) {
  auto c = check_text(lines({
      "package t;",
      "const BASE = 0x10;",
      "enum E : u8 { A, B, C = BASE, D, F = 200, G }",
      "enum Single : u1 { ZERO, ONE }",
  }));
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  const auto* e = c->find<ast::EnumDecl>("E");
  std::vector<std::uint64_t> values;
  for (const auto& m : e->members) values.push_back(m.resolved_value);
  EXPECT_EQ(values, (std::vector<std::uint64_t>{0, 1, 16, 17, 200, 201}));
  EXPECT_EQ(c->find<ast::EnumDecl>("Single")->members[1].resolved_value, 1u);
}

TEST(SemaResolve, EnumMembersAndEnumTypedFields) {
  auto c = check_text(lines({
      "package t;",
      "endian big;",
      "enum Proto : u8 { ICMP = 1, TCP = 6, UDP = 17 }",
      "enum Wide : u16le { X = 0x1234 }",
      "enum Small : u3 { P, Q }",
      "const DEFAULT_PROTO = Proto.TCP;",
      "struct S {",
      "  p: Proto where p != Proto.UDP;",
      "  w: Wide;",
      "  s: Small;",
      "  _: u5;",
      "}",
  }));
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  const auto* proto = c->find<ast::EnumDecl>("Proto");
  EXPECT_EQ(c->find<ast::ConstDecl>("DEFAULT_PROTO")->resolved_value, 6u);
  const auto& s = c->structure("S");
  const auto& ref = name_ref(*std::get<ast::Binary>(constraint(field(s, 0)).node).rhs);
  EXPECT_EQ(ref.enum_decl, proto);
  EXPECT_EQ(ref.enum_member_index, 2u);
  EXPECT_EQ(ref.constant, nullptr);
  EXPECT_EQ(ref.field, nullptr);
  const auto& p = std::get<ast::NamedType>(field(s, 0).type->node);
  EXPECT_EQ(p.enum_decl, proto);
  EXPECT_EQ(p.bits, 8u);
  EXPECT_FALSE(p.is_signed);
  const auto& w = std::get<ast::NamedType>(field(s, 1).type->node);
  EXPECT_EQ(w.bits, 16u);
  EXPECT_EQ(w.explicit_order, ast::ByteOrder::little);  // from the enum's base
  EXPECT_EQ(std::get<ast::NamedType>(field(s, 2).type->node).bits, 3u);
}

TEST(SemaResolve, BuiltinTypesCarryWidthSignAndOrder) {
  auto c = check_text(lines({
      "package t;",
      "struct S { a: u24be; b: i64le; c: f32be; d: i3; e: u13; f: u8; }",
  }));
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  const auto& s = c->structure("S");
  const auto type = [&](std::size_t i) -> const ast::NamedType& {
    return std::get<ast::NamedType>(field(s, i).type->node);
  };
  EXPECT_EQ(type(0).bits, 24u);
  EXPECT_EQ(type(0).explicit_order, ast::ByteOrder::big);
  EXPECT_TRUE(type(1).is_signed);
  EXPECT_EQ(type(1).explicit_order, ast::ByteOrder::little);
  EXPECT_TRUE(type(2).is_float);
  EXPECT_EQ(type(2).bits, 32u);
  EXPECT_TRUE(type(3).is_signed);
  EXPECT_EQ(type(3).bits, 3u);
  EXPECT_FALSE(type(4).explicit_order.has_value());
  EXPECT_TRUE(type(5).is_builtin);
  EXPECT_EQ(type(5).struct_decl, nullptr);
}

TEST(SemaResolve, QualifiedNamesAcrossModules) {
  auto c = check_sources({
      {"lib.lps", lines({
                      "package lib;",
                      "const MAX = 40;",
                      "enum K : u8 { X = 7, Y }",
                      "struct P { v: u8; }",
                  })},
      {"app.lps", lines({
                      "package app;",
                      "import \"lib.lps\";",
                      "const MAX = 3;",
                      "struct S {",
                      "  n: u8 where n <= lib.MAX;",
                      "  m: u8 where m <= MAX;",
                      "  k: lib.K where k == lib.K.Y;",
                      "  k2: K where k2 != K.X;",
                      "  p: lib.P;",
                      "  q: P;",
                      "}",
                  })},
  });
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  const auto& lib = *c->program.modules[0];
  const auto* lib_max = std::get<std::unique_ptr<ast::ConstDecl>>(lib.decls[0]).get();
  const auto* lib_k = std::get<std::unique_ptr<ast::EnumDecl>>(lib.decls[1]).get();
  const auto* lib_p = std::get<std::unique_ptr<ast::StructDecl>>(lib.decls[2]).get();
  const auto& s = c->structure("S");
  const auto rhs = [&](std::size_t i) -> const ast::NameRef& {
    return name_ref(*std::get<ast::Binary>(constraint(field(s, i)).node).rhs);
  };
  EXPECT_EQ(rhs(0).constant, lib_max);
  // Unqualified: the module's own declaration wins over the import's.
  EXPECT_EQ(rhs(1).constant, c->find<ast::ConstDecl>("MAX"));
  EXPECT_NE(rhs(1).constant, lib_max);
  EXPECT_EQ(rhs(1).constant->resolved_value, 3u);
  EXPECT_EQ(rhs(2).enum_decl, lib_k);
  EXPECT_EQ(rhs(2).enum_member_index, 1u);
  EXPECT_EQ(rhs(3).enum_decl, lib_k);
  EXPECT_EQ(std::get<ast::NamedType>(field(s, 2).type->node).enum_decl, lib_k);
  EXPECT_EQ(std::get<ast::NamedType>(field(s, 4).type->node).struct_decl, lib_p);
  EXPECT_EQ(std::get<ast::NamedType>(field(s, 5).type->node).struct_decl, lib_p);
}

TEST(SemaResolve, QualifiedNamesThroughTheLoader) {
  test::TempDir dir;
  dir.write("proto/consts.lps", "package proto.consts;\nconst HEADER_LEN = 12;\n");
  const auto root = dir.write("app.lps",
                              "package app;\n"
                              "import \"proto/consts.lps\";\n"
                              "struct Frame { len: u8 where len >= proto.consts.HEADER_LEN; }\n");
  Diagnostics diags;
  auto program = driver::load({root.string()}, {}, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.render();
  ASSERT_TRUE(check(*program, diags)) << diags.render();
  const auto& app = *program->roots.at(0);
  const auto& frame = *std::get<std::unique_ptr<ast::StructDecl>>(app.decls.at(0));
  const auto& ref = name_ref(*std::get<ast::Binary>(constraint(field(frame, 0)).node).rhs);
  ASSERT_NE(ref.constant, nullptr);
  EXPECT_EQ(ref.constant->name, "HEADER_LEN");
  EXPECT_EQ(ref.constant->resolved_value, 12u);
  EXPECT_EQ(ref.constant->module->package, (std::vector<std::string>{"proto", "consts"}));
}

TEST(SemaResolve, ImportsAreNotTransitive) {
  auto c = check_sources({
      {"a.lps", "package a;\nconst DEEP = 1;\n"},
      {"b.lps", "package b;\nimport \"a.lps\";\n"},
      {"c.lps", "package c;\nimport \"b.lps\";\nconst X = DEEP;\n"},
  });
  EXPECT_FALSE(c->sema_ok);
  EXPECT_EQ(reports(c->diags), (Errors{"3:11: error: unknown name 'DEEP'"}));
}

// ============================================================ unknown names

TEST(SemaReject, UnknownFieldWithHint) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct Message {",
                "  length: u8;",
                "  payload: bytes[lenght - 2];",
                "}",
            })),
            (Errors{"4:18: error: unknown field 'lenght' [hint: did you mean 'length'?]"}));
}

TEST(SemaReject, UnknownNameInOwnConstraintSuggestsTheField) {
  // The example of codegen/diag/diagnostics.hpp: a field may use itself in its
  // own constraints, so it is a candidate for the hint.
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  ihl: u4 where ih >= 5;",
                "  _: u4;",
                "}",
            })),
            (Errors{"3:17: error: unknown field 'ih' [hint: did you mean 'ihl'?]"}));
}

TEST(SemaReject, UnknownFieldDoesNotSuggestLaterFields) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  data: bytes[lenght];",
                "  length: u8;",
                "}",
            })),
            (Errors{"3:15: error: unknown field 'lenght'"}));
}

TEST(SemaReject, UnknownTypesWithHints) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct Ipv4Addr { octets: u8[4]; }",
                "enum Proto : u8 { UDP = 17 }",
                "struct Route {",
                "  destination: Ipv4Adr;",
                "  proto: Prot;",
                "  metric: u17x;",
                "  gw: lib.Ipv4Addr;",
                "  small: u;",
                "}",
            })),
            (Errors{
                "5:16: error: unknown type 'Ipv4Adr' [hint: did you mean 'Ipv4Addr'?]",
                "6:10: error: unknown type 'Prot' [hint: did you mean 'Proto'?]",
                "7:11: error: unknown type 'u17x'",
                "8:7: error: unknown type 'lib.Ipv4Addr' [hint: did you mean 'Ipv4Addr'?]",
                "9:10: error: unknown type 'u' [hint: did you mean 'u8'?]",
            }));
}

TEST(SemaReject, UnknownConstantsAndEnumMembers) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "const MAX_LEN = 40;",
                "const A = MAX_LNE + 1;",
                "enum Proto : u8 { TCP = 6, UDP = 17 }",
                "struct S {",
                "  p: Proto where p == Proto.UDPP;",
                "  n: u8 where n < MAX_LEM;",
                "  q: u8 where q == Other.XYZ;",
                "}",
            })),
            (Errors{
                "3:11: error: unknown name 'MAX_LNE' [hint: did you mean 'MAX_LEN'?]",
                "6:23: error: enum 'Proto' has no member 'UDPP' [hint: did you mean 'UDP'?]",
                "7:19: error: unknown field 'MAX_LEM' [hint: did you mean 'MAX_LEN'?]",
                "8:20: error: unknown name 'Other.XYZ'",
            }));
}

TEST(SemaReject, ConstantsAreNotTypesAndTypesAreNotValues) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "const MAX = 4;",
                "enum Kind : u8 { A = 1 }",
                "struct P { x: u8; }",
                "struct S {",
                "  a: MAX;",
                "  b: u8 where b == Kind;",
                "  c: u8 where c == P;",
                "}",
            })),
            (Errors{
                "6:6: error: 'MAX' is a constant, not a type",
                "7:20: error: 'Kind' is a type, not a value [hint: name a member: 'Kind.A']",
                "8:20: error: 'P' is a type, not a value",
            }));
}

TEST(SemaReject, AmbiguousImportedName) {
  auto c = check_sources({
      {"p1.lps", "package p1;\nconst MAX = 1;\n"},
      {"p2.lps", "package p2;\nconst MAX = 2;\n"},
      {"app.lps", lines({
                      "package app;",
                      "import \"p1.lps\";",
                      "import \"p2.lps\";",
                      "const A = MAX;",
                      "const B = p2.MAX;",
                  })},
  });
  EXPECT_FALSE(c->sema_ok);
  EXPECT_EQ(reports(c->diags),
            (Errors{"4:11: error: 'MAX' is ambiguous: declared in p1.lps and p2.lps [hint: "
                    "qualify it with its package, e.g. 'p2.MAX']"}));
  EXPECT_EQ(c->find<ast::ConstDecl>("B")->resolved_value, 2u);
}

// ============================================================ duplicates

TEST(SemaReject, DuplicateFieldsWithNote) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct Point {",
                "  x: u8;",
                "  _: u8;",
                "  _: u8;",
                "  x: u8;",
                "}",
            })),
            (Errors{"6:3: error: duplicate field 'x'", "3:3: note: 'x' first declared here"}));
}

TEST(SemaReject, DuplicateDeclarations) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "const X = 1;",
                "struct X { a: u8; }",
                "enum Y : u8 { A }",
                "const Y = 2;",
            })),
            (Errors{
                "3:8: error: duplicate declaration 'X'",
                "2:7: note: 'X' first declared here",
                "5:7: error: duplicate declaration 'Y'",
                "4:6: note: 'Y' first declared here",
            }));
}

TEST(SemaReject, DuplicateDeclarationAcrossFilesOfOnePackage) {
  auto c = check_sources({
      {"a.lps", "package net;\nstruct Addr { a: u8; }\n"},
      {"b.lps", "package net;\nimport \"a.lps\";\nstruct Addr { b: u8; }\n"},
  });
  EXPECT_FALSE(c->sema_ok);
  const auto r = reports(c->diags);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], "3:8: error: duplicate declaration 'Addr'");
  EXPECT_EQ(c->diags.all()[0].range.file->path, "b.lps");
  EXPECT_EQ(c->diags.all()[1].range.file->path, "a.lps");
}

TEST(SemaReject, DuplicateEnumMembersAndValues) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "enum Color : u2 {",
                "  RED,",
                "  GREEN,",
                "  BLUE = 1,",
                "  RED = 3,",
                "}",
            })),
            (Errors{
                "5:10: error: enum member 'BLUE' has the same value as 'GREEN' (1) [hint: enum "
                "values must be distinct]",
                "6:3: error: duplicate enum member 'RED'",
                "3:3: note: 'RED' first declared here",
            }));
}

TEST(SemaReject, DuplicateArmNames) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  tag: u8;",
                "  body: switch (tag) {",
                "    case 1 => a: u8;",
                "    case 2 => a: u8;",
                "  };",
                "}",
            })),
            (Errors{"6:15: error: duplicate arm name 'a'"}));
}

// ============================================================ field order

TEST(SemaReject, LaterFieldInEveryKindOfExpression) {
  const std::string hint = " [hint: a field can use only the fields declared before it; move ";
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  a: bytes[n];",
                "  b: u8[n];",
                "  c: u8 where c < n;",
                "  pad n;",
                "  d: switch (n) { default => x: u8; };",
                "  e: u8[] size(n);",
                "  n: u8;",
                "}",
            })),
            (Errors{
                "3:12: error: field 'n' is declared after 'a'" + hint + "'n' above 'a']",
                "4:9: error: field 'n' is declared after 'b'" + hint + "'n' above 'b']",
                "5:19: error: field 'n' is declared after 'c'" + hint + "'n' above 'c']",
                "6:7: error: field 'n' is declared after 'this'" + hint + "'n' above 'it']",
                "7:14: error: field 'n' is declared after 'd'" + hint + "'n' above 'd']",
                "8:16: error: field 'n' is declared after 'e'" + hint + "'n' above 'e']",
            }));
}

TEST(SemaReject, SelfUseOutsideOwnConstraint) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  n: u8 where n > 0 == n < 100;",  // allowed: its own constraint
                "  len: bytes[len];",
                "  items: u8[items];",
                "  sw: switch (sw) { default => x: u8; };",
                "}",
            })),
            (Errors{
                "4:14: error: field 'len' is used in its own length [hint: a length can use only "
                "the fields declared before 'len']",
                "5:13: error: field 'items' is used in its own count [hint: a count can use only "
                "the fields declared before 'items']",
                "6:15: error: field 'sw' is used in its own switch tag [hint: a switch tag can use "
                "only the fields declared before 'sw']",
            }));
}

TEST(SemaResolve, RequireSeesEveryField) {
  auto c = check_text(lines({
      "package t;",
      "struct S {",
      "  require a < b;",
      "  a: u8;",
      "  b: u8;",
      "}",
  }));
  EXPECT_TRUE(c->sema_ok) << c->diags.render();
}

// ============================================================ type errors

TEST(SemaReject, NonIntegerFieldsUsedAsNumbers) {
  const std::string hint = " [hint: only integer and enum fields can be used in expressions]";
  const std::string text_hint = " [hint: compare it with a string literal: raw == \"...\"]";
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "endian big;",
                "struct In { x: u8; }",
                "struct S {",
                "  in: In;",
                "  raw: bytes[2];",
                "  sw: switch (in) { default => y: u8; };",
                "  arr: u8[2];",
                "  f: f64;",
                "  a: bytes[raw];",
                "  b: bytes[sw];",
                "  c: bytes[arr];",
                "  d: bytes[f];",
                "  require raw == 0;",
                "}",
            })),
            (Errors{
                "7:15: error: 'in' is a struct field, not an integer" + hint,
                "10:12: error: 'raw' is a bytes field, not an integer" + text_hint,
                "11:12: error: 'sw' is a switch, not an integer" + hint,
                "12:12: error: 'arr' is an array, not an integer" + hint,
                "13:12: error: 'f' is a float field, not an integer" + hint,
                "14:11: error: 'raw' is a bytes field, not an integer" + text_hint,
            }));
}

TEST(SemaReject, ConstraintsOnNonIntegerFields) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "endian big;",
                "struct In { x: u8; }",
                "struct S {",
                "  in: In == 0;",
                "  f: f32 where f > 0;",
                "  raw: bytes[2] == 0;",
                "}",
            })),
            (Errors{
                "5:10: error: constraints apply to integer and enum fields; 'in' is a struct field",
                "6:10: error: constraints apply to integer and enum fields; 'f' is a float field",
                "7:20: error: 'raw' is a bytes field: '==' after it takes a string literal [hint: "
                "raw: bytes[2] == \"...\";]",
            }));
}

TEST(SemaReject, NonConstantCaseValues) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  tag: u8;",
                "  len: u8;",
                "  body: switch (tag) {",
                "    case len => a: u8;",
                "    case 1, tag + 1 => b: u8;",
                "  };",
                "}",
            })),
            (Errors{
                "6:10: error: case values must be constant expressions [hint: 'len' is a field]",
                "7:13: error: unknown name 'tag'",
            }));
}

TEST(SemaReject, CaseValueDoesNotFitTheTag) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "enum Small : u2 { A, B }",
                "struct S {",
                "  nibble: u4;",
                "  kind: Small;",
                "  _: u2;",
                "  sgn: i8;",
                "  a: switch (nibble) { case 15 => x: u8; case 16 => y: u8; };",
                "  b: switch (kind) { case -1 => z: u8; };",
                "  c: switch (sgn) { case -128, 127 => p: u8; case 128 => q: u8; };",
                "  d: switch (nibble + 1) { case 300 => r: u8; };",  // range unknown: accepted
                "}",
            })),
            (Errors{
                "8:47: error: case value 16 does not fit the tag (u4: 0..15)",
                "9:27: error: case value -1 does not fit the tag (Small: 0..3)",
                "10:51: error: case value 128 does not fit the tag (i8: -128..127)",
            }));
}

// ============================================================ byte order, bits, rest

TEST(SemaReject, MultiByteFieldWithoutByteOrder) {
  EXPECT_EQ(
      sema_errors(lines({
          "package t;",
          "struct Fine endian little { a: u16; }",
          "struct S {",
          "  a: u8;",
          "  b: u16be;",
          "  c: u12;",
          "  _: u4;",
          "  d: i24;",
          "  e: f64;",
          "  f: u32[2];",
          "  g: switch (a) { case 1 => h: u64; default => k: u64le; };",
          "}",
      })),
      (Errors{
          "8:6: error: multi-byte field 'd' has no byte order [hint: add 'endian big;' or 'endian "
          "little;' to the file or the struct, or write the type as u24be / u24le]",
          "9:6: error: multi-byte field 'e' has no byte order [hint: add 'endian big;' or 'endian "
          "little;' to the file or the struct, or write the type as f64be / f64le]",
          "10:6: error: multi-byte field 'f' has no byte order [hint: add 'endian big;' or "
          "'endian little;' to the file or the struct, or write the type as u32be / u32le]",
          "11:32: error: multi-byte field 'g' has no byte order [hint: add 'endian big;' or "
          "'endian little;' to the file or the struct, or write the type as u64be / u64le]",
      }));
}

TEST(SemaReject, BitGroupNotEndingOnAByteBoundary) {
  const auto hint = [](int bits, const char* after) {
    return std::string(" [hint: a bit group must end on a byte boundary; add '_: u") +
           std::to_string(bits) + ";' after '" + after + "']";
  };
  EXPECT_EQ(sema_errors(lines({
                "package t;",  "endian big;", "struct In { x: u8; }",
                "struct S {",  "  a: u3;",    "  b: bytes[2];",
                "  c: u1;",    "  d: In;",    "  e: u2;",
                "  f: u8[2];", "  g: u4;",    "  h: switch (g) { default => x: u8; };",
                "  i: u5;",    "  pad 1;",    "  j: u6;",
                "  k: f32;",   "  l: u4;",
                "  m: u8;",  // starts inside a byte: a bit field, the group is 12 bits
                "}",
            })),
            (Errors{
                "6:3: error: bit fields before 'b' stop 3 bits into a byte" + hint(5, "a"),
                "8:3: error: bit fields before 'd' stop 1 bits into a byte" + hint(7, "c"),
                "10:3: error: bit fields before 'f' stop 2 bits into a byte" + hint(6, "e"),
                "12:3: error: bit fields before 'h' stop 4 bits into a byte" + hint(4, "g"),
                "14:3: error: bit fields before 'pad' stop 5 bits into a byte" + hint(3, "i"),
                "16:3: error: bit fields before 'k' stop 6 bits into a byte" + hint(2, "j"),
                "18:3: error: bit fields at the end of 'S' stop 4 bits into a byte" + hint(4, "m"),
            }));
}

TEST(SemaResolve, BitGroupsSpanningBytesAreAccepted) {
  auto c = check_text(lines({
      "package t;",
      "endian big;",
      "enum Ecn : u2 { A }",
      "struct S { a: u4; b: u16; c: i2; d: Ecn; e: u8; f: u1; g: u63; h: u16; }",
  }));
  EXPECT_TRUE(c->sema_ok) << c->diags.render();
}

TEST(SemaReject, BitFieldsAsArrayElements) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "endian big;",
                "enum Nib : u4 { A }",
                "struct S {",
                "  a: u4[2];",
                "  b: Nib[2];",
                "  c: i12[] size(3);",
                "  d: u40[2];",
                "}",
            })),
            (Errors{
                "5:6: error: bit fields cannot be array elements ('u4' is 4 bits wide) [hint: use "
                "an integer of 8, 16, 24, 32 or 64 bits]",
                "6:6: error: bit fields cannot be array elements ('Nib' is 4 bits wide) [hint: "
                "use an integer of 8, 16, 24, 32 or 64 bits]",
                "7:6: error: bit fields cannot be array elements ('i12' is 12 bits wide) [hint: "
                "use an integer of 8, 16, 24, 32 or 64 bits]",
                "8:6: error: arrays of 40-bit integers are not supported [hint: use an integer of "
                "8, 16, 24, 32 or 64 bits, or bytes[n]]",
            }));
}

TEST(SemaReject, BitFieldAsSwitchArm) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S { t: u8; b: switch (t) { case 1 => x: u4; }; }",
            })),
            (Errors{"2:48: error: a switch arm cannot be a bit field ('u4' is 4 bits wide)"}));
}

TEST(SemaReject, RestOfBufferNotLast) {
  const std::string hint =
      " [hint: give it a length (bytes[n], T[n], T[] size(n)) or move it to the end]";
  EXPECT_EQ(
      sema_errors(lines({
          "package t;",
          "struct A { kind: u8; payload: bytes[]; trailer: u8; }",
          "struct B { items: u8[]; pad 1; }",
          "struct C { rest: bytes[]; require 1 == 1; }",
          "struct D { t: u8; s: switch (t) { default => r: bytes[]; }; more: bytes[]; }",
      })),
      (Errors{
          "2:31: error: 'payload' takes the rest of the buffer and must be the last field" + hint,
          "3:19: error: 'items' takes the rest of the buffer and must be the last field" + hint,
      }));
}

// ============================================================ constraints

TEST(SemaReject, ImpossibleConstraints) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "enum E : u8 { A }",
                "struct S {",
                "  v: u4 == 16;",
                "  _: u4;",
                "  t: u8 where t > 255;",
                "  u: u8 where t >= 0 where u < 0;",
                "  w: u8 where 256 <= w;",
                "  x: i8 == -129;",
                "  y: i8 where y > 127;",
                "  z: E == 0x100;",
                "  n: u8 == -1;",
                "  ok: u8 where ok >= 255 where ok != 0 where 0 < ok;",
                "}",
            })),
            (Errors{
                "4:9: error: constraint can never hold: 'v' is a u4 (0..15)",
                "6:9: error: constraint can never hold: 't' is a u8 (0..255)",
                "7:22: error: constraint can never hold: 'u' is a u8 (0..255)",
                "8:9: error: constraint can never hold: 'w' is a u8 (0..255)",
                "9:9: error: constraint can never hold: 'x' is a i8 (-128..127)",
                "10:9: error: constraint can never hold: 'y' is a i8 (-128..127)",
                "11:8: error: constraint can never hold: 'z' is an enum of base u8 (0..255)",
                "12:9: error: constraint can never hold: 'n' is a u8 (0..255)",
            }));
}

TEST(SemaReject, FalseConstantConstraints) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "const LIMIT = 3;",
                "struct S {",
                "  a: u8 where LIMIT > 5;",
                "  b: u8 where 1;",
                "  require LIMIT * 2 == 7;",
                "  require LIMIT == 3;",
                "  c: u8 where 1 / 0;",
                "}",
            })),
            (Errors{
                "4:15: error: constraint is always false",
                "6:11: error: constraint is always false",
                "8:15: error: arithmetic overflow in constant expression",
            }));
}

// ============================================================ structs and switches

TEST(SemaReject, RecursiveStructs) {
  const std::string hint =
      " [hint: a struct can contain itself only through a switch arm, never through a plain "
      "field or an array]";
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct Direct { a: u8; self: Direct; }",
                "struct Node { value: u8; child: Leaf; }",
                "struct Leaf { parent: Node; }",
                "struct Arr { kids: Arr[2]; }",
                "struct Inside { t: u8; s: switch (t) { case 1 => kids: Inside[2]; }; }",
                "struct P(n: u8) { t: u8; s: switch (t) { case 1 => again: P(t); }; }",
            })),
            (Errors{
                "7:52: error: recursive switch arm 'again' names 'P', which takes parameters "
                "[hint: an arm that leads back to its own struct cannot pass arguments yet]",
                "2:8: error: struct 'Direct' contains itself: Direct -> Direct" + hint,
                "3:8: error: struct 'Node' contains itself: Node -> Leaf -> Node" + hint,
                "5:8: error: struct 'Arr' contains itself: Arr -> Arr" + hint,
                "6:8: error: struct 'Inside' contains itself: Inside -> Inside" + hint,
            }));
}

TEST(SemaAccept, RecursionThroughSwitchArmsIsIndirect) {
  auto c = check_text(lines({
      "package t;",
      "struct Tag { t: u8; inner: switch (t) { case 1 => tag: Tag; case 2 => leaf: Leaf; "
      "default => rest: bytes[]; }; }",
      "struct A { t: u8; next: switch (t) { case 1 => b: B; default => end: bytes[]; }; }",
      "struct B { a: A; }",
      "struct Leaf { x: u8; }",
  }));
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  using Arms = std::vector<std::pair<std::string, bool>>;
  const auto arms = [&](const char* name, std::size_t index) {
    Arms out;
    const auto& sw = std::get<ast::SwitchType>(field(c->structure(name), index).type->node);
    for (const auto& arm : sw.arms) out.emplace_back(arm.name, arm.indirect);
    return out;
  };
  EXPECT_EQ(arms("Tag", 1), (Arms{{"tag", true}, {"leaf", false}, {"rest", false}}));
  // A -> B -> A: the arm is cut, B holds its A by value.
  EXPECT_EQ(arms("A", 1), (Arms{{"b", true}, {"end", false}}));
}

TEST(SemaReject, DuplicateCaseValues) {
  const std::string hint = " [hint: case values must be distinct across arms]";
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "enum K : u8 { A = 1, B }",
                "const TWO = 2;",
                "struct S {",
                "  k: K;",
                "  body: switch (k) {",
                "    case K.A => a: u8;",
                "    case 1 => b: u8;",
                "    case K.B, 3, TWO => c: u8;",
                "    case 4, 4 => d: u8;",
                "  };",
                "}",
            })),
            (Errors{
                "8:10: error: duplicate case value 1 (also in arm 'a')" + hint,
                "9:18: error: duplicate case value 2 (also in arm 'c')" + hint,
                "10:13: error: duplicate case value 4 (also in arm 'd')" + hint,
            }));
}

TEST(SemaReject, MoreThanOneDefault) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  tag: u8;",
                "  body: switch (tag) {",
                "    default => d: bytes[];",
                "    case 1 => a: u8;",
                "    default => e: bytes[];",
                "    default => f: bytes[];",
                "  };",
                "}",
            })),
            (Errors{
                "7:5: error: a switch has at most one default arm",
                "5:5: note: the first default arm is here",
                "8:5: error: a switch has at most one default arm",
                "5:5: note: the first default arm is here",
            }));
}

TEST(SemaReject, ArrayElementsAndSizes) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "endian big;",
                "struct Var { n: u8; d: bytes[n]; }",
                "struct Pt { x: u16; y: u8; }",
                "struct S {",
                "  a: Var[2];",
                "  b: u32[] size(6);",
                "  c: Pt[] size(7);",
                "}",
            })),
            (Errors{
                // `a: Var[2]` is fine: variable-size elements are a lazy range (§18).
                "7:17: error: size 6 is not a multiple of the element size (4 bytes)",
                "8:16: error: size 7 is not a multiple of the element size (3 bytes)",
            }));
}

// ============================================================ values and spellings

TEST(SemaReject, ConstantCyclesAndOverflow) {
  const std::string hint =
      " [hint: results must stay within 64 bits; no division by zero or shifts by 64 or more]";
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "const A = B + 1;",
                "const B = A;",
                "const U = 0 - 1;",
                "const S = 1 << 64;",
                "const D = 5 % 0;",
                "const M = 0xFFFF_FFFF_FFFF_FFFF + 1;",
                "const N = -0x7FFF_FFFF_FFFF_FFFF - 2;",
                "struct X { a: bytes[2 - 3]; }",
            })),
            (Errors{
                "2:7: error: 'A' depends on itself: A -> B -> A",
                "4:11: error: arithmetic overflow in constant expression" + hint,
                "5:11: error: arithmetic overflow in constant expression" + hint,
                "6:11: error: arithmetic overflow in constant expression" + hint,
                "7:11: error: arithmetic overflow in constant expression" + hint,
                "8:11: error: arithmetic overflow in constant expression" + hint,
                "9:21: error: arithmetic overflow in constant expression [hint: results must stay "
                "within 64 bits and not go below zero]",
            }));
}

TEST(SemaReject, NegativeConstantSizes) {
  // Signed constants do not overflow, but no length, count, size or pad can be
  // negative (layout used to see 2^64 - 1 bytes).
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "const NEG = -4;",
                "struct S {",
                "  t: u8;",
                "  a: bytes[-1];",
                "  b: u8[NEG];",
                "  c: u32[] size(-6);",
                "  pad NEG + 1;",
                "  s: switch (t) { default => x: u8; } size(-1);",
                "  ok: u8[NEG * NEG];",
                "}",
            })),
            (Errors{
                "5:12: error: length cannot be negative (got -1)",
                "6:9: error: count cannot be negative (got -4)",
                "7:17: error: size cannot be negative (got -6)",
                "7:6: error: multi-byte field 'c' has no byte order [hint: add 'endian big;' or "
                "'endian little;' to the file or the struct, or write the type as u32be / u32le]",
                "8:7: error: pad size cannot be negative (got -3)",
                "9:44: error: switch size cannot be negative (got -1)",
            }));
}

TEST(SemaReject, EnumBasesAndValues) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "enum Signed : i8 { A }",
                "enum Float : f32 { A }",
                "enum Huge : u65 { A }",
                "enum Neg : u8 { A = -1 }",
                "enum Full : u2 { A = 3, B }",
                "enum Top : u64 { A = 0xFFFF_FFFF_FFFF_FFFF, B }",
            })),
            (Errors{
                "2:15: error: enum base must be an unsigned integer type (u1 to u64), not 'i8'",
                "3:14: error: enum base must be an unsigned integer type (u1 to u64), not 'f32'",
                "4:13: error: 'u65' is not a type: unsigned integers are 1 to 64 bits wide",
                "5:21: error: enum value must not be negative (got -1)",
                "6:25: error: value 4 of 'B' does not fit the enum's base u2 (0..3)",
                "7:45: error: implicit value of 'B' overflows 64 bits",
            }));
}

TEST(SemaReject, BuiltinLookalikes) {
  const std::string order = "': only multi-byte types (16, 24, ... 64 bits) have a byte order";
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  a: u4be;",
                "  b: u8le;",
                "  c: i1;",
                "  d: f16;",
                "  e: u1000;",
                "}",
            })),
            (Errors{
                "3:6: error: 'u4be" + order,
                "4:6: error: 'u8le" + order,
                "5:6: error: 'i1' is not a type: signed integers are 2 to 64 bits wide",
                "6:6: error: 'f16' is not a type: floats are f32 or f64",
                "7:6: error: 'u1000' is not a type: unsigned integers are 1 to 64 bits wide",
            }));
}

TEST(SemaReject, NamesThatCollideWithGeneratedCode) {
  EXPECT_EQ(
      sema_errors(lines({
          "package t;",
          "struct S {",
          "  visit: u8;",
          "  x_mut: u8;",
          "  x: u8;",
          "  set_x: u8;",
          "  body: switch (x) { case 1 => a: u8; };",
          "  body_a: u8;",
          "  class: u8;",
          "  y_: u8;",
          "}",
          "struct Q { a: u8; }",
          "struct QView { a: u8; }",
      })),
      (Errors{
          "13:8: error: 'QView' collides with the class generated for struct 'Q' [hint: rename "
          "one of them]",
          "3:3: error: field name 'visit' collides with the generated member 'visit()' [hint: "
          "rename the field]",
          "4:3: error: field name 'x_mut' is reserved [hint: names ending in '_mut' are "
          "generated for mutable views]",
          "6:3: error: field name 'set_x' collides with 'set_x()', generated for the setter of "
          "'x' [hint: rename the field]",
          "8:3: error: field name 'body_a' collides with 'body_a()', generated for arm 'a' of "
          "switch 'body' [hint: rename the field]",
          "9:3: error: 'class' is a C++ keyword and cannot be used as a name",
          "10:3: error: name 'y_' ends in '_' [hint: names ending in '_' are reserved for the "
          "generated classes' data members]",
      }));
}

// A keyword as the name of a declaration is one error, not one per pass that
// looks at the declaration (index, then the struct, enum or flags check).
TEST(SemaReject, AKeywordDeclarationNameIsReportedOnce) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct int { a: u8; }",
                "enum long : u8 { A = 1 }",
                "flags char : u8 { a = 1 }",
                "const short = 1;",
            })),
            (Errors{
                "2:8: error: 'int' is a C++ keyword and cannot be used as a name",
                "3:6: error: 'long' is a C++ keyword and cannot be used as a name",
                "4:7: error: 'char' is a C++ keyword and cannot be used as a name",
                "5:7: error: 'short' is a C++ keyword and cannot be used as a name",
            }));
}

TEST(SemaReject, CLibraryMacrosAndParseIntoAreNotNames) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "enum LinkType : u8 { NULL = 0, ETHERNET = 1 }",
                "struct S {",
                "  parse_into: u8;",
                "  EOF: u8;",
                "}",
            })),
            (Errors{
                "2:22: error: 'NULL' is a C library macro and cannot be used as a name [hint: the "
                "preprocessor would replace it in the generated header]",
                "4:3: error: field name 'parse_into' collides with the generated member "
                "'parse_into()' [hint: rename the field]",
                "5:3: error: 'EOF' is a C library macro and cannot be used as a name [hint: the "
                "preprocessor would replace it in the generated header]",
            }));
}

TEST(SemaReject, PartialParsingMembersAreNotFieldNames) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  parse_partial: u8;",
                "  field_rank: u8;",
                "}",
            })),
            (Errors{
                "3:3: error: field name 'parse_partial' collides with the generated member "
                "'parse_partial()' [hint: rename the field]",
                "4:3: error: field name 'field_rank' collides with the generated member "
                "'field_rank()' [hint: rename the field]",
            }));
}

TEST(SemaReject, BaseClassNameIsNotAFieldName) {
  // `using view_base::view_base;` in a view would find the accessor instead.
  // (`mut_base` is fine: the Mut's base hides the view's accessor of that name.)
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "struct S {",
                "  view_base: u8;",
                "}",
            })),
            (Errors{
                "3:3: error: field name 'view_base' collides with the generated member "
                "'view_base()' [hint: rename the field]",
            }));
}

TEST(SemaReject, GeneratedClassCollisionAcrossFilesOfOnePackage) {
  // FooView in a later file of the package collides with Foo's view class as
  // much as in the same file.
  for (const bool view_first : {false, true}) {
    const std::string foo = "package net;\nstruct Foo { a: u8; }\n";
    const std::string view = "package net;\nstruct FooView { a: u8; }\n";
    auto c =
        check_sources({{"a.lps", view_first ? view : foo}, {"b.lps", view_first ? foo : view}});
    EXPECT_FALSE(c->sema_ok) << "view first: " << view_first;
    EXPECT_EQ(reports(c->diags), (Errors{"2:8: error: 'FooView' collides with the class generated "
                                         "for struct 'Foo' [hint: rename one of them]"}))
        << "view first: " << view_first;
  }
}

TEST(SemaReject, PackageNamesThatAreNotNamespaces) {
  EXPECT_EQ(sema_errors("package lp.net;\n"),
            (Errors{"1:9: error: package name 'lp.net' cannot be a C++ namespace [hint: 'lp' is "
                    "taken by a library]"}));
  EXPECT_EQ(sema_errors("package net.std;\n"),
            (Errors{"1:9: error: package name 'net.std' cannot be a C++ namespace [hint: 'std' is "
                    "taken by a library]"}));
}

// ============================================================ several errors

TEST(SemaReject, SeveralErrorsInOneRun) {
  auto c = check_text(lines({
      "package t;",
      "const A = 0 - 1;",
      "enum E : u2 { X = 4 }",
      "struct S {",
      "  a: u16;",
      "  b: bytes[c];",
      "  c: u3;",
      "}",
      "struct T { d: Missing; e: u8 == 256; }",
      "struct R { r: R; }",
  }));
  EXPECT_FALSE(c->sema_ok);
  EXPECT_EQ(c->diags.error_count(), 8u) << c->diags.render();
  EXPECT_EQ(
      reports(c->diags),
      (Errors{
          "2:11: error: arithmetic overflow in constant expression [hint: results must stay "
          "within 64 bits; no division by zero or shifts by 64 or more]",
          "3:19: error: value 4 of 'X' does not fit the enum's base u2 (0..3)",
          "5:6: error: multi-byte field 'a' has no byte order [hint: add 'endian big;' or "
          "'endian little;' to the file or the struct, or write the type as u16be / u16le]",
          "6:12: error: field 'c' is declared after 'b' [hint: a field can use only the "
          "fields declared before it; move 'c' above 'b']",
          "7:3: error: bit fields at the end of 'S' stop 3 bits into a byte [hint: a bit "
          "group must end on a byte boundary; add '_: u5;' after 'c']",
          "9:15: error: unknown type 'Missing'",
          "9:30: error: constraint can never hold: 'e' is a u8 (0..255)",
          "10:8: error: struct 'R' contains itself: R -> R [hint: a struct can contain itself "
          "only through a switch arm, never through a plain field or an array]",
      }));
  EXPECT_EQ(c->layout, nullptr);
}

// ============================================================ sequences (§15, §16, §18, §19)

TEST(SemaResolve, UntilConditionsReadTheElement) {
  auto c = check_text(lines({
      "package t;", "endian big;", "struct S {", "  n: u8;", "  a: u16[] until (it == n);",
      "  b: Opt[] until (it.kind == 0) size(n);", "  v: varint;", "  z: zigzag where z >= -5;",
      "  q: quicvarint;", "  d: bytes[v + q];", "  s: string[n];", "  c: cstring;", "}",
      "struct Opt { kind: u8; len: u8; data: bytes[len]; }",  // declared after its use
  }));
  ASSERT_TRUE(c->sema_ok) << c->diags.render();
  const auto& s = c->structure("S");
  const auto& a = std::get<ast::ArrayType>(field(s, 1).type->node);
  const auto& cmp = std::get<ast::Binary>(a.until->node);
  EXPECT_NE(name_ref(*cmp.lhs).element_type, nullptr);
  EXPECT_EQ(name_ref(*cmp.lhs).element_field, nullptr);
  EXPECT_EQ(name_ref(*cmp.rhs).field, &field(s, 0));
  const auto& b = std::get<ast::ArrayType>(field(s, 2).type->node);
  const auto& kind = name_ref(*std::get<ast::Binary>(b.until->node).lhs);
  EXPECT_EQ(kind.element_field, &field(c->structure("Opt"), 0));
  const auto& z = std::get<ast::NamedType>(field(s, 4).type->node);
  EXPECT_EQ(z.varint, ast::VarintKind::zigzag);
  EXPECT_TRUE(z.is_signed);
  EXPECT_EQ(std::get<ast::BytesType>(field(s, 8).type->node).kind, ast::BytesKind::cstring);
}

TEST(SemaReject, SequenceMisuse) {
  EXPECT_EQ(sema_errors(lines({
                "package t;",
                "endian big;",
                "struct R { n: u8; d: bytes[n]; }",
                "struct S {",
                "  n: u8;",
                "  a: R[n] until (it.n == 0);",
                "  b: u8[] until (it.n == 0) size(n);",
                "  c: R[] until (it.d == 0) size(n);",
                "  d: u8 where it == 1;",
                "  e: varint[2];",
                "}",
            })),
            (Errors{
                "6:18: error: 'until' cannot be combined with an element count [hint: use 'T[] "
                "until (...)', optionally with 'size(n)']",
                "9:15: error: unknown field 'it'",
                "10:6: error: varints cannot be array elements [hint: wrap the varint in a struct "
                "and make an array of that struct]",
                "7:18: error: 'it' is a number here and has no fields [hint: write 'it' alone: the "
                "element just read]",
                "8:17: error: 'it.d' is a bytes field, not an integer [hint: 'until' conditions "
                "read integer and enum fields of the element]",
            }));
}

}  // namespace
}  // namespace lpc::sema
