// The parser: each construct's AST and ranges, precedence, error recovery.
#include "parse/parser.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "test_util.hpp"

namespace lpc::parse {
namespace {

using test::parse_text;

std::vector<std::string> messages(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all()) out.push_back(d.message);
  return out;
}

template <typename T>
const T& decl(const ast::Module& m, std::size_t i) {
  return *std::get<std::unique_ptr<T>>(m.decls.at(i));
}

const ast::Field& field(const ast::StructDecl& s, std::size_t i) {
  return std::get<ast::Field>(s.members.at(i));
}

// A fully parenthesised rendering of an expression, to check its shape.
std::string show(const ast::Expr& e) {
  static const char* const binary[] = {"*", "/",  "%",  "+",  "-", "<<", ">>", "<",  "<=",
                                       ">", ">=", "==", "!=", "&", "^",  "|",  "&&", "||"};
  static const char* const unary[] = {"-", "~", "!"};
  struct Visitor {
    std::string operator()(const ast::IntLiteral& l) const { return std::to_string(l.value); }
    std::string operator()(const ast::StringLiteral& l) const {
      return std::string("\"").append(l.value).append("\"");
    }
    std::string operator()(const ast::NameRef& n) const {
      std::string out;
      for (const auto& p : n.parts) out += (out.empty() ? "" : ".") + p;
      if (n.measure == ast::Measure::count) return "count(" + out + ")";
      if (n.measure == ast::Measure::size) return "size(" + out + ")";
      return out;
    }
    std::string operator()(const ast::Unary& u) const {
      return std::string(unary[static_cast<int>(u.op)]) + show(*u.operand);
    }
    std::string operator()(const ast::Binary& b) const {
      return "(" + show(*b.lhs) + " " + binary[static_cast<int>(b.op)] + " " + show(*b.rhs) + ")";
    }
    std::string operator()(const ast::Conditional& c) const {
      return "(" + show(*c.condition) + " ? " + show(*c.if_true) + " : " + show(*c.if_false) + ")";
    }
  };
  return std::visit(Visitor{}, e.node);
}

// The shape of `const X = <text>;`.
std::string expr_shape(const std::string& text) {
  auto p = parse_text("package t;\nconst X = " + text + ";\n");
  EXPECT_FALSE(p->diags.has_errors()) << p->diags.render();
  if (p->module->decls.empty()) return "<none>";
  return show(*decl<ast::ConstDecl>(*p->module, 0).value);
}

TEST(Parser, FileHeader) {
  auto p = parse_text(
      "package capture.pcap;\nimport \"net/ipv4.lps\";\nimport \"b.lps\";\nendian little;\n"
      "bitorder lsb;\n");
  ASSERT_FALSE(p->diags.has_errors()) << p->diags.render();
  const ast::Module& m = *p->module;
  EXPECT_EQ(m.package, (std::vector<std::string>{"capture", "pcap"}));
  EXPECT_EQ(m.package_range.text(), "capture.pcap");
  ASSERT_EQ(m.imports.size(), 2u);
  EXPECT_EQ(m.imports[0].path, "net/ipv4.lps");
  EXPECT_EQ(m.imports[0].range.text(), "\"net/ipv4.lps\"");
  EXPECT_EQ(m.imports[0].module, nullptr);
  EXPECT_EQ(m.endian, ast::ByteOrder::little);
  EXPECT_EQ(m.bitorder, ast::BitOrder::lsb);
  EXPECT_EQ(m.file, p->file.get());
}

TEST(Parser, Defaults) {
  auto p = parse_text("package net;");
  ASSERT_FALSE(p->diags.has_errors());
  EXPECT_FALSE(p->module->endian.has_value());
  EXPECT_EQ(p->module->bitorder, ast::BitOrder::msb);
  EXPECT_TRUE(p->module->decls.empty());
}

TEST(Parser, Precedence) {
  EXPECT_EQ(expr_shape("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(expr_shape("1 - 2 - 3"), "((1 - 2) - 3)");
  EXPECT_EQ(expr_shape("a * b / c % d"), "(((a * b) / c) % d)");
  EXPECT_EQ(expr_shape("1 << 2 + 3"), "(1 << (2 + 3))");
  EXPECT_EQ(expr_shape("a < b << 1"), "(a < (b << 1))");
  EXPECT_EQ(expr_shape("a == b < c"), "(a == (b < c))");
  EXPECT_EQ(expr_shape("a & b == c"), "(a & (b == c))");
  EXPECT_EQ(expr_shape("a | b ^ c & d"), "(a | (b ^ (c & d)))");
  EXPECT_EQ(expr_shape("a || b && c | d"), "(a || (b && (c | d)))");
  EXPECT_EQ(expr_shape("a != b >= c >> d"), "(a != (b >= (c >> d)))");
  EXPECT_EQ(expr_shape("a <= b > c"), "((a <= b) > c)");
  EXPECT_EQ(expr_shape("c ? a : b"), "(c ? a : b)");
  EXPECT_EQ(expr_shape("n == \"MQTT\" || n != \"a\\\"\""), "((n == \"MQTT\") || (n != \"a\"\"))");
  EXPECT_EQ(expr_shape("c ? a : d ? e : f"), "(c ? a : (d ? e : f))");
  EXPECT_EQ(expr_shape("a || b ? x + 1 : y"), "((a || b) ? (x + 1) : y)");
  EXPECT_EQ(expr_shape("-1"), "-1");
  EXPECT_EQ(expr_shape("-a * ~b"), "(-a * ~b)");
  EXPECT_EQ(expr_shape("!!x"), "!!x");
  EXPECT_EQ(expr_shape("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(expr_shape("IpProto.UDP"), "IpProto.UDP");
  EXPECT_EQ(expr_shape("net.IpProto.UDP + net.MAX"), "(net.IpProto.UDP + net.MAX)");
}

TEST(Parser, ExpressionRangesAreExactText) {
  auto p = parse_text("package t;\nconst X = ( a+b )*c - -1;\n");
  ASSERT_FALSE(p->diags.has_errors());
  const ast::Expr& e = *decl<ast::ConstDecl>(*p->module, 0).value;
  EXPECT_EQ(e.range.text(), "( a+b )*c - -1");
  const auto& sub = std::get<ast::Binary>(e.node);
  EXPECT_EQ(sub.lhs->range.text(), "( a+b )*c");
  EXPECT_EQ(sub.rhs->range.text(), "-1");
  const auto& mul = std::get<ast::Binary>(sub.lhs->node);
  EXPECT_EQ(mul.lhs->range.text(), "( a+b )");
  EXPECT_EQ(std::get<ast::Binary>(mul.lhs->node).lhs->range.text(), "a");
}

TEST(Parser, Const) {
  auto p = parse_text("package t;\n/// The MTU.\nconst MTU = 1500;\n");
  ASSERT_FALSE(p->diags.has_errors());
  const auto& c = decl<ast::ConstDecl>(*p->module, 0);
  EXPECT_EQ(c.name, "MTU");
  EXPECT_EQ(c.name_range.text(), "MTU");
  EXPECT_EQ(c.doc, "The MTU.");
  EXPECT_EQ(c.range.text(), "const MTU = 1500;");
  EXPECT_EQ(std::get<ast::IntLiteral>(c.value->node).value, 1500u);
  EXPECT_EQ(c.module, p->module.get());
}

TEST(Parser, Enum) {
  auto p = parse_text(
      "package t;\n/// Protocols.\nenum IpProto : u8 {\n  /// ICMP.\n  ICMP = 1,\n  IGMP,\n"
      "  TCP = 0x6,\n}\nenum Ecn : u2 { A, B }\n");
  ASSERT_FALSE(p->diags.has_errors()) << p->diags.render();
  const auto& e = decl<ast::EnumDecl>(*p->module, 0);
  EXPECT_EQ(e.name, "IpProto");
  EXPECT_EQ(e.doc, "Protocols.");
  EXPECT_EQ(e.base->range.text(), "u8");
  EXPECT_EQ(std::get<ast::NamedType>(e.base->node).parts, std::vector<std::string>{"u8"});
  ASSERT_EQ(e.members.size(), 3u);
  EXPECT_EQ(e.members[0].name, "ICMP");
  EXPECT_EQ(e.members[0].doc, "ICMP.");
  EXPECT_EQ(e.members[0].range.text(), "ICMP = 1");
  EXPECT_EQ(e.members[1].value, nullptr);
  EXPECT_EQ(std::get<ast::IntLiteral>(e.members[2].value->node).value, 6u);
  EXPECT_EQ(e.module, p->module.get());
  EXPECT_EQ(decl<ast::EnumDecl>(*p->module, 1).members.size(), 2u);
}

TEST(Parser, EnumWithoutBaseIsLeftToSema) {
  auto p = parse_text("package t;\nenum E { A }\n");
  EXPECT_FALSE(p->diags.has_errors());
  EXPECT_EQ(decl<ast::EnumDecl>(*p->module, 0).base, nullptr);
}

TEST(Parser, StructAndFields) {
  auto p = parse_text(
      "package t;\n/// A header.\nstruct H endian little bitorder lsb {\n"
      "  /// The version.\n  version: u4 == 4;\n"
      "  ihl: u4 where ihl >= 5 where ihl < 15;\n"
      "  _: u8;\n  src: net.Ipv4Addr;\n  pad ihl * 4 - 20;\n  require version == 4;\n}\n");
  ASSERT_FALSE(p->diags.has_errors()) << p->diags.render();
  const auto& s = decl<ast::StructDecl>(*p->module, 0);
  EXPECT_EQ(s.name, "H");
  EXPECT_EQ(s.doc, "A header.");
  EXPECT_EQ(s.endian, ast::ByteOrder::little);
  EXPECT_EQ(s.bitorder, ast::BitOrder::lsb);
  EXPECT_EQ(s.module, p->module.get());
  EXPECT_EQ(s.name_range.text(), "H");
  EXPECT_TRUE(s.range.text().starts_with("struct H endian"));
  EXPECT_TRUE(s.range.text().ends_with("== 4;\n}"));
  ASSERT_EQ(s.members.size(), 6u);

  const auto& version = field(s, 0);
  EXPECT_EQ(version.name, "version");
  EXPECT_EQ(version.doc, "The version.");
  EXPECT_EQ(version.range.text(), "version: u4 == 4;");
  EXPECT_EQ(version.name_range.text(), "version");
  EXPECT_EQ(version.type->range.text(), "u4");
  ASSERT_EQ(version.constraints.size(), 1u);
  EXPECT_EQ(version.constraints[0].kind, ast::ConstraintKind::equals);
  EXPECT_EQ(version.constraints[0].range.text(), "== 4");
  EXPECT_EQ(version.constraints[0].expr->range.text(), "4");

  const auto& ihl = field(s, 1);
  ASSERT_EQ(ihl.constraints.size(), 2u);
  EXPECT_EQ(ihl.constraints[0].kind, ast::ConstraintKind::where);
  EXPECT_EQ(ihl.constraints[0].range.text(), "where ihl >= 5");
  EXPECT_EQ(ihl.constraints[1].expr->range.text(), "ihl < 15");

  EXPECT_EQ(field(s, 2).name, "_");
  EXPECT_EQ(std::get<ast::NamedType>(field(s, 3).type->node).parts,
            (std::vector<std::string>{"net", "Ipv4Addr"}));
  const auto& pad = std::get<ast::Pad>(s.members[4]);
  EXPECT_EQ(pad.range.text(), "pad ihl * 4 - 20;");
  EXPECT_EQ(pad.size->range.text(), "ihl * 4 - 20");
  const auto& req = std::get<ast::Require>(s.members[5]);
  EXPECT_EQ(req.condition->range.text(), "version == 4");
}

TEST(Parser, BytesAndArrays) {
  auto p = parse_text(
      "package t;\nstruct S {\n  a: bytes[n - 8];\n  b: bytes[];\n  c: u16[4];\n"
      "  d: Point[] size(len * 2);\n  e: u32le[];\n}\n");
  ASSERT_FALSE(p->diags.has_errors()) << p->diags.render();
  const auto& s = decl<ast::StructDecl>(*p->module, 0);
  const auto& a = std::get<ast::BytesType>(field(s, 0).type->node);
  EXPECT_EQ(a.count->range.text(), "n - 8");
  EXPECT_EQ(field(s, 0).type->range.text(), "bytes[n - 8]");
  EXPECT_EQ(std::get<ast::BytesType>(field(s, 1).type->node).count, nullptr);
  const auto& c = std::get<ast::ArrayType>(field(s, 2).type->node);
  EXPECT_EQ(c.element->range.text(), "u16");
  EXPECT_EQ(c.count->range.text(), "4");
  EXPECT_EQ(c.byte_size, nullptr);
  const auto& d = std::get<ast::ArrayType>(field(s, 3).type->node);
  EXPECT_EQ(d.count, nullptr);
  EXPECT_EQ(d.byte_size->range.text(), "len * 2");
  EXPECT_EQ(field(s, 3).type->range.text(), "Point[] size(len * 2)");
  const auto& e = std::get<ast::ArrayType>(field(s, 4).type->node);
  EXPECT_EQ(e.count, nullptr);
  EXPECT_EQ(e.byte_size, nullptr);
  EXPECT_EQ(std::get<ast::NamedType>(e.element->node).parts, std::vector<std::string>{"u32le"});
}

TEST(Parser, Switch) {
  auto p = parse_text(
      "package t;\nstruct S {\n  tag: u16;\n  payload: switch (tag & 0xFF) {\n"
      "    case EtherType.IPV4 => ipv4: Ipv4;\n    case 0x0806, 0x8035 => arp: bytes[28];\n"
      "    default => raw: bytes[];\n  } size(len - 4);\n  tail: u8;\n}\n");
  ASSERT_FALSE(p->diags.has_errors()) << p->diags.render();
  const auto& s = decl<ast::StructDecl>(*p->module, 0);
  ASSERT_EQ(s.members.size(), 3u);
  const auto& f = field(s, 1);
  const auto& sw = std::get<ast::SwitchType>(f.type->node);
  EXPECT_EQ(sw.tag->range.text(), "tag & 0xFF");
  EXPECT_EQ(sw.byte_size->range.text(), "len - 4");
  ASSERT_EQ(sw.arms.size(), 3u);
  EXPECT_EQ(sw.arms[0].name, "ipv4");
  EXPECT_EQ(sw.arms[0].range.text(), "case EtherType.IPV4 => ipv4: Ipv4;");
  EXPECT_EQ(sw.arms[0].cases.size(), 1u);
  EXPECT_FALSE(sw.arms[0].is_default);
  EXPECT_EQ(sw.arms[1].cases.size(), 2u);
  EXPECT_EQ(sw.arms[1].cases[1]->range.text(), "0x8035");
  EXPECT_EQ(sw.arms[1].name_range.text(), "arp");
  EXPECT_TRUE(sw.arms[2].is_default);
  EXPECT_TRUE(sw.arms[2].cases.empty());
  EXPECT_TRUE(std::holds_alternative<ast::BytesType>(sw.arms[2].type->node));
  EXPECT_TRUE(f.type->range.text().starts_with("switch (tag"));
  EXPECT_TRUE(f.type->range.text().ends_with("} size(len - 4)"));
}

TEST(Parser, ShippedSchemasParse) {
  for (const char* name : {"ethernet", "ipv4", "udp"}) {
    std::ifstream in(std::string(LP_SCHEMAS_DIR) + "/net/" + name + ".lps");
    std::stringstream text;
    text << in.rdbuf();
    auto p = parse_text(text.str());
    EXPECT_FALSE(p->diags.has_errors()) << name << "\n" << p->diags.render();
    EXPECT_FALSE(p->module->decls.empty()) << name;
  }
}

TEST(Parser, ReservedWordsAsFieldNames) {
  auto p = parse_text(
      "package t;\nstruct S {\n  checksum: u16;\n  flags: u8 where flags != 0;\n"
      "  s: switch (flags) { default => string: bytes[]; };\n}\n");
  EXPECT_FALSE(p->diags.has_errors()) << p->diags.render();
}

TEST(Parser, ReservedWordsElsewhere) {
  auto p = parse_text(
      "package t;\nstruct let {}\nconst string = 1;\nstruct S {\n  pointer x = 1;\n  a: u8;\n}\n");
  EXPECT_EQ(messages(p->diags), (std::vector<std::string>{
                                    "'let' is a keyword and cannot be used as a name here",
                                    "'string' is a keyword and cannot be used as a name here",
                                    "'pointer' is reserved for a future version of the language",
                                }));
  // Recovery kept the good struct and its good field.
  const auto& s = decl<ast::StructDecl>(*p->module, 0);
  EXPECT_EQ(s.name, "S");
  EXPECT_EQ(s.members.size(), 1u);
}

TEST(Parser, MissingPackage) {
  auto p = parse_text("struct S { a: u8; }\n");
  ASSERT_EQ(p->diags.error_count(), 1u);
  EXPECT_EQ(p->diags.all()[0].message, "expected 'package' declaration, found keyword 'struct'");
  EXPECT_EQ(p->module->decls.size(), 1u);
}

TEST(Parser, CountAndSize) {
  EXPECT_EQ(expr_shape("count(a) + size(b) * 2"), "(count(a) + (size(b) * 2))");
  // `count` without '(' is a name (a field may be called so).
  EXPECT_EQ(expr_shape("count + 1"), "(count + 1)");
  auto p = parse_text("package t;\nstruct S {\n  a: u8 where size a;\n}\n");
  ASSERT_EQ(p->diags.error_count(), 1u);
  EXPECT_EQ(p->diags.all()[0].message, "expected '(' after 'size' in an expression, found 'a'");
  auto q = parse_text("package t;\nstruct S {\n  a: u8 where count(a.b) > 0;\n}\n");
  ASSERT_EQ(q->diags.error_count(), 1u);
  EXPECT_EQ(q->diags.all()[0].message,
            "expected ')' after the field name of count(...), found '.'");
}

TEST(Parser, PaddedCstring) {
  auto p = parse_text("package t;\nstruct S {\n  n: u8;\n  a: cstring[n + 1];\n  b: cstring;\n}\n");
  ASSERT_FALSE(p->diags.has_errors());
  const auto& s = decl<ast::StructDecl>(*p->module, 0);
  const auto& a = std::get<ast::BytesType>(std::get<ast::Field>(s.members[1]).type->node);
  EXPECT_EQ(a.kind, ast::BytesKind::cstring);
  ASSERT_TRUE(a.count);
  EXPECT_EQ(a.count->range.text(), "n + 1");
  EXPECT_FALSE(std::get<ast::BytesType>(std::get<ast::Field>(s.members[2]).type->node).count);
  auto q = parse_text("package t;\nstruct S {\n  a: cstring[];\n}\n");
  ASSERT_EQ(q->diags.error_count(), 1u);
  EXPECT_EQ(q->diags.all()[0].message, "a cstring's end is its NUL: 'cstring[]' has no meaning");
}

TEST(Parser, ErrorMessagesPointAtTheToken) {
  auto p = parse_text("package t;\nstruct S {\n  a: u8\n  b: u16;\n}\n");
  ASSERT_EQ(p->diags.error_count(), 1u);
  const Diagnostic& d = p->diags.all()[0];
  EXPECT_EQ(d.message, "expected ';' after field, found 'b'");
  EXPECT_EQ(d.range.text(), "b");
}

TEST(Parser, RecoveryReportsSeveralErrors) {
  auto p = parse_text(
      "package t;\n"
      "struct A {\n"
      "  a: u8\n"  // missing ';' (eats `b: u16;`)
      "  b: u16;\n"
      "  c: bytes[a;\n"    // missing ']'
      "  d: u8 where ;\n"  // missing expression
      "  e: u8;\n"
      "}\n"
      "struct B {\n"
      "  x: switch (e) {\n"
      "    case 1 ok: u8;\n"  // missing '=>'
      "    case 2 => y: u8;\n"
      "  };\n"
      "  z u8;\n"  // missing ':'
      "}\n"
      "const C = ;\n"
      "enum E : u8 { A = , B }\n"
      "struct D { q: u8; }\n");
  EXPECT_EQ(messages(p->diags), (std::vector<std::string>{
                                    "expected ';' after field, found 'b'",
                                    "expected ']' after the byte count, found ';'",
                                    "expected an expression, found ';'",
                                    "expected '=>' after the case values, found 'ok'",
                                    "expected ':' after field name 'z', found 'u8'",
                                    "expected an expression, found ';'",
                                    "expected an expression, found ','",
                                }));
  const ast::Module& m = *p->module;
  ASSERT_EQ(m.decls.size(), 4u);                              // A, B, E, D (C failed)
  EXPECT_EQ(decl<ast::StructDecl>(m, 0).members.size(), 1u);  // e
  const auto& b = decl<ast::StructDecl>(m, 1);
  ASSERT_EQ(b.members.size(), 1u);  // x, with one good arm
  EXPECT_EQ(std::get<ast::SwitchType>(field(b, 0).type->node).arms.size(), 1u);
  EXPECT_EQ(decl<ast::EnumDecl>(m, 2).members.size(), 1u);
  EXPECT_EQ(decl<ast::StructDecl>(m, 3).name, "D");
}

TEST(Parser, MissingClosingBrace) {
  auto p = parse_text("package t;\nstruct A {\n  a: u8;\nstruct B { b: u8; }\n");
  EXPECT_EQ(
      messages(p->diags),
      std::vector<std::string>{"expected '}' at the end of struct 'A', found keyword 'struct'"});
  EXPECT_EQ(p->module->decls.size(), 2u);
}

TEST(Parser, UnexpectedEndOfFile) {
  auto p = parse_text("package t;\nstruct A {\n  a: u8");
  ASSERT_EQ(p->diags.error_count(), 2u);
  EXPECT_EQ(p->diags.all()[0].message, "expected ';' after field, found end of file");
  // At the end of the last token, not on a line of its own.
  EXPECT_EQ(p->diags.all()[0].range.begin, p->file->text.size());
  EXPECT_EQ(p->diags.all()[1].message, "expected '}' at the end of struct 'A', found end of file");
}

TEST(Parser, NestedSwitchIsRejected) {
  auto p = parse_text(
      "package t;\nstruct A {\n  t: u8;\n  x: switch (t) {\n"
      "    default => y: switch (t) { default => z: u8; };\n  };\n}\n");
  ASSERT_GE(p->diags.error_count(), 1u);
  EXPECT_EQ(p->diags.all()[0].message, "a switch arm cannot be another switch");
}

TEST(Parser, FileItemOrder) {
  auto p = parse_text(
      "package t;\nconst A = 1;\nimport \"x.lps\";\nendian big;\nendian little;\npackage u;\n");
  EXPECT_EQ(messages(p->diags), (std::vector<std::string>{
                                    "imports must come before file options and declarations",
                                    "file options must come before declarations",
                                    "file options must come before declarations",
                                    "duplicate 'endian' option", "duplicate package declaration"}));
  EXPECT_EQ(p->module->imports.size(), 1u);
  EXPECT_EQ(p->module->package, std::vector<std::string>{"t"});
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  auto p = parse_text("package t;\nconst A = " + deep + ";\nconst B = " + std::string(5000, '-') +
                      "1;\nconst C = 2;\n");
  EXPECT_EQ(messages(p->diags), (std::vector<std::string>{"expression is nested too deeply",
                                                          "expression is nested too deeply"}));
  ASSERT_EQ(p->module->decls.size(), 1u);
  EXPECT_EQ(decl<ast::ConstDecl>(*p->module, 0).name, "C");
}

// `a + a + ... + a` is parsed by a loop; the tree it would build is as tall as
// the chain is long, and later stages walk it recursively: past kMaxDepth
// operators it is an error at the operator that goes over, never a crash.
TEST(Parser, LongOperatorChainIsAnErrorNotACrash) {
  std::string chain = "a";
  for (int i = 1; i < 50000; ++i) chain += " + a";
  auto p = parse_text("package t;\nconst A = " + chain + ";\nconst C = 2;\n");
  ASSERT_EQ(messages(p->diags), std::vector<std::string>{"expression has too many operators"});
  const auto& error = p->diags.all()[0];
  const std::size_t operator_offset =
      std::string("package t;\nconst A = a").size() + static_cast<std::size_t>(kMaxDepth) * 4 + 1;
  EXPECT_EQ(error.range.begin, operator_offset);
  EXPECT_EQ(error.range.text(), "+");
  ASSERT_EQ(p->module->decls.size(), 1u);
  EXPECT_EQ(decl<ast::ConstDecl>(*p->module, 0).name, "C");
}

// " + a" n times.
std::string more_terms(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += " + a";
  return out;
}

TEST(Parser, OperatorHeightCountsEveryKindOfOperator) {
  // kMaxDepth operators on one path are fine, whatever mixes them.
  const int half = kMaxDepth / 2;
  auto ok = parse_text("package t;\nconst A = " + std::string(half, '-') + "a" +
                       more_terms(kMaxDepth - half) + ";\nconst B = 1 ? 2 : a" +
                       more_terms(kMaxDepth - 1) + ";\n");
  EXPECT_FALSE(ok->diags.has_errors()) << ok->diags.render();
  // One more is not, and parentheses do not reset the count: the tree is as tall.
  auto p = parse_text("package t;\nconst A = (" + std::string(half, '-') + "a" + more_terms(half) +
                      ") * a;\nconst B = 1 ? 2 : a" + more_terms(kMaxDepth) + ";\n");
  EXPECT_EQ(messages(p->diags), (std::vector<std::string>{"expression has too many operators",
                                                          "expression has too many operators"}));
}

TEST(Parser, ModestNestingIsFine) {
  const std::string nested = std::string(100, '(') + "1" + std::string(100, ')');
  EXPECT_EQ(expr_shape(nested), "1");
}

// Language part 2, "structure": optional fields, let, align, parameters, arguments
// and a byte order named by a parameter.
TEST(Parser, StructureMembers) {
  auto p = parse_text(
      "package t;\nstruct S(n: u8, order: endian) endian order {\n"
      "  a: u8 if n > 1 where a != 0;\n  let x = order == big ? 1 : 2;\n  align 4;\n"
      "  o: O(n, little);\n}\n");
  ASSERT_FALSE(p->diags.has_errors()) << p->diags.render();
  const auto& s = decl<ast::StructDecl>(*p->module, 0);
  ASSERT_EQ(s.params.size(), 2u);
  EXPECT_EQ(s.params[0].name, "n");
  EXPECT_FALSE(s.params[0].is_endian);
  EXPECT_TRUE(s.params[1].is_endian);
  EXPECT_EQ(s.endian_param_name, "order");
  EXPECT_FALSE(s.endian);
  ASSERT_EQ(s.members.size(), 4u);
  const auto& a = std::get<ast::Field>(s.members[0]);
  ASSERT_TRUE(a.condition);
  EXPECT_EQ(a.condition->range.text(), "n > 1");
  EXPECT_EQ(a.constraints.size(), 1u);
  EXPECT_EQ(std::get<ast::Let>(s.members[1]).name, "x");
  EXPECT_EQ(std::get<ast::Align>(s.members[2]).alignment->range.text(), "4");
  const auto& o = std::get<ast::NamedType>(std::get<ast::Field>(s.members[3]).type->node);
  EXPECT_TRUE(o.has_arguments);
  ASSERT_EQ(o.arguments.size(), 2u);
  const auto& little = std::get<ast::NameRef>(o.arguments[1]->node);
  EXPECT_EQ(little.order_literal, ast::ByteOrder::little);
}

}  // namespace
}  // namespace lpc::parse
