// The layout stage (codegen/layout): member kinds, bit offsets and widths,
// segments after each kind of dynamic member, fixed and minimum sizes, array
// element sizes, byte order resolution, and the shipped schemas/net layouts.
#include "layout/layout.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend_test_util.hpp"
#include "driver/loader.hpp"
#include "sema/sema.hpp"

namespace lpc::layout {
namespace {

using test::check_text;
using test::Checked;
using test::lines;

std::unique_ptr<Checked> laid_out(std::string text) {
  auto c = check_text(std::move(text));
  EXPECT_TRUE(c->sema_ok) << c->diags.render();
  EXPECT_NE(c->layout, nullptr) << c->diags.render();
  return c;
}

// The layout of the member named `name` (a field; pads have no name).
const MemberLayout& member(const StructLayout& s, std::string_view name) {
  for (const auto& m : s.members) {
    if (m.field != nullptr && m.field->name == name) return m;
  }
  throw std::runtime_error("no member " + std::string(name));
}

// segment, bit offset, width (nullopt when dynamic) of a member, in one value to compare.
struct Place {
  std::size_t segment;
  std::uint64_t bit_offset;
  std::optional<std::uint64_t> bit_width;
  bool operator==(const Place&) const = default;
};
void PrintTo(const Place& p, std::ostream* os) {
  *os << "{segment " << p.segment << ", bit " << p.bit_offset << ", width "
      << (p.bit_width ? std::to_string(*p.bit_width) : "dynamic") << "}";
}
Place place(const MemberLayout& m) { return {m.segment, m.bit_offset, m.bit_width}; }
Place place(const StructLayout& s, std::string_view name) { return place(member(s, name)); }
constexpr std::optional<std::uint64_t> dynamic = std::nullopt;

// first_member, end_member, fixed_bytes of every segment.
std::vector<std::vector<std::uint64_t>> segments(const StructLayout& s) {
  std::vector<std::vector<std::uint64_t>> out;
  for (const auto& seg : s.segments)
    out.push_back({seg.first_member, seg.end_member, seg.fixed_bytes});
  return out;
}
using Segments = std::vector<std::vector<std::uint64_t>>;

// ============================================================ scalars

TEST(Layout, ByteFieldsOffsetsWidthsAndKinds) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "enum Kind : u16 { A }",
      "struct S { a: u8; b: u16; c: u24le; d: i32; e: u64; f: f32; g: f64le; k: Kind; }",
  }));
  const auto& s = c->layout_of("S");
  ASSERT_EQ(s.members.size(), 8u);
  EXPECT_EQ(place(s, "a"), (Place{0, 0, 8}));
  EXPECT_EQ(place(s, "b"), (Place{0, 8, 16}));
  EXPECT_EQ(place(s, "c"), (Place{0, 24, 24}));
  EXPECT_EQ(place(s, "d"), (Place{0, 48, 32}));
  EXPECT_EQ(place(s, "e"), (Place{0, 80, 64}));
  EXPECT_EQ(place(s, "f"), (Place{0, 144, 32}));
  EXPECT_EQ(place(s, "g"), (Place{0, 176, 64}));
  EXPECT_EQ(place(s, "k"), (Place{0, 240, 16}));
  for (const char* n : {"a", "b", "c", "d", "e", "k"}) {
    EXPECT_EQ(member(s, n).kind, MemberKind::byte_integer) << n;
  }
  EXPECT_EQ(member(s, "f").kind, MemberKind::floating);
  EXPECT_EQ(member(s, "g").kind, MemberKind::floating);
  EXPECT_EQ(member(s, "b").byte_order, ast::ByteOrder::big);
  EXPECT_EQ(member(s, "c").byte_order, ast::ByteOrder::little);
  EXPECT_EQ(member(s, "f").byte_order, ast::ByteOrder::big);
  EXPECT_EQ(member(s, "g").byte_order, ast::ByteOrder::little);
  EXPECT_EQ(member(s, "k").scalar->enum_decl, c->find<ast::EnumDecl>("Kind"));
  EXPECT_TRUE(member(s, "d").scalar->is_signed);
  for (const auto& m : s.members) EXPECT_FALSE(m.is_dynamic);
  EXPECT_EQ(s.fixed_size, 32u);
  EXPECT_EQ(s.min_size, 32u);
  EXPECT_EQ(segments(s), (Segments{{0, 8, 32}}));
  EXPECT_FALSE(s.has_checks);
}

TEST(Layout, BitGroupsMsbAndLsb) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "bitorder lsb;",
      "enum Ecn : u2 { A }",
      "struct FileOrder { a: u3; b: i5; c: u8; }",
      "struct Msb bitorder msb {",
      "  version: u4;",
      "  wide: u16;",  // starts inside a byte: a bit field over three bytes
      "  ecn: Ecn;",
      "  _: u2;",
      "  len: u16;",  // the group ended on a byte boundary: byte-aligned again
      "  f: u1;",
      "  g: u63;",
      "}",
  }));
  const auto& file_order = c->layout_of("FileOrder");
  EXPECT_EQ(file_order.bit_order, ast::BitOrder::lsb);
  EXPECT_EQ(place(file_order, "a"), (Place{0, 0, 3}));
  EXPECT_EQ(place(file_order, "b"), (Place{0, 3, 5}));
  EXPECT_EQ(place(file_order, "c"), (Place{0, 8, 8}));
  EXPECT_EQ(member(file_order, "a").kind, MemberKind::bit_field);
  EXPECT_EQ(member(file_order, "a").bit_order, ast::BitOrder::lsb);
  EXPECT_EQ(member(file_order, "b").bit_order, ast::BitOrder::lsb);
  EXPECT_TRUE(member(file_order, "b").scalar->is_signed);
  EXPECT_EQ(member(file_order, "c").kind, MemberKind::byte_integer);
  EXPECT_EQ(file_order.fixed_size, 2u);

  const auto& s = c->layout_of("Msb");
  EXPECT_EQ(s.bit_order, ast::BitOrder::msb);
  EXPECT_EQ(place(s, "version"), (Place{0, 0, 4}));
  EXPECT_EQ(place(s, "wide"), (Place{0, 4, 16}));
  EXPECT_EQ(place(s, "ecn"), (Place{0, 20, 2}));
  EXPECT_EQ(place(s.members[3]), (Place{0, 22, 2}));  // `_`
  EXPECT_EQ(place(s, "len"), (Place{0, 24, 16}));
  EXPECT_EQ(place(s, "f"), (Place{0, 40, 1}));
  EXPECT_EQ(place(s, "g"), (Place{0, 41, 63}));
  for (const char* n : {"version", "wide", "ecn", "f", "g"}) {
    EXPECT_EQ(member(s, n).kind, MemberKind::bit_field) << n;
    EXPECT_EQ(member(s, n).bit_order, ast::BitOrder::msb) << n;
    EXPECT_FALSE(member(s, n).byte_order.has_value()) << n;  // bit fields have no byte order
  }
  EXPECT_EQ(member(s, "ecn").scalar->enum_decl, c->find<ast::EnumDecl>("Ecn"));
  EXPECT_EQ(member(s, "len").kind, MemberKind::byte_integer);
  EXPECT_EQ(member(s, "len").byte_order, ast::ByteOrder::big);
  EXPECT_EQ(s.fixed_size, 13u);
}

// ============================================================ dynamic members and segments

TEST(Layout, SegmentAfterBytesOfRunTimeLength) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "const LEN = 3;",
      "struct S { n: u8; fixed: bytes[LEN * 2]; data: bytes[n]; after: u16; rest: bytes[]; }",
  }));
  const auto& s = c->layout_of("S");
  EXPECT_EQ(place(s, "n"), (Place{0, 0, 8}));
  EXPECT_EQ(place(s, "fixed"), (Place{0, 8, 48}));
  EXPECT_EQ(place(s, "data"), (Place{0, 56, dynamic}));
  EXPECT_EQ(place(s, "after"), (Place{1, 0, 16}));
  EXPECT_EQ(place(s, "rest"), (Place{1, 16, dynamic}));
  EXPECT_EQ(member(s, "fixed").kind, MemberKind::bytes);
  EXPECT_FALSE(member(s, "fixed").is_dynamic);
  EXPECT_TRUE(member(s, "data").is_dynamic);
  EXPECT_TRUE(member(s, "rest").is_dynamic);
  // A dynamic last member leaves an empty last segment.
  EXPECT_EQ(segments(s), (Segments{{0, 3, 7}, {3, 5, 2}, {5, 5, 0}}));
  EXPECT_EQ(s.fixed_size, std::nullopt);
  EXPECT_EQ(s.min_size, 7u);
}

TEST(Layout, SegmentAfterSwitch) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "struct Arm { x: u32; }",
      "struct S {",
      "  tag: u8;",
      "  body: switch (tag) { case 1 => a: Arm; default => b: bytes[4]; } size(4);",
      "  crc: u32;",
      "}",
  }));
  const auto& s = c->layout_of("S");
  EXPECT_EQ(member(s, "body").kind, MemberKind::switch_);
  // Even a switch of constant size is dynamic: which arm is known only at run time.
  EXPECT_EQ(place(s, "body"), (Place{0, 8, dynamic}));
  EXPECT_EQ(place(s, "crc"), (Place{1, 0, 32}));
  EXPECT_EQ(segments(s), (Segments{{0, 2, 1}, {2, 3, 4}}));
  EXPECT_EQ(s.min_size, 1u);
  EXPECT_EQ(s.fixed_size, std::nullopt);
  // The arms' structs are laid out too.
  EXPECT_EQ(c->layout_of("Arm").fixed_size, 4u);
}

TEST(Layout, SegmentAfterNestedStructs) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "struct Fixed { a: u16; b: u8; }",
      "struct Var { n: u8; d: bytes[n]; }",
      "struct S { f: Fixed; v: Var; g: Fixed; }",
  }));
  const auto& s = c->layout_of("S");
  EXPECT_EQ(member(s, "f").kind, MemberKind::nested);
  EXPECT_EQ(member(s, "f").scalar->struct_decl, &c->structure("Fixed"));
  EXPECT_EQ(place(s, "f"), (Place{0, 0, 24}));
  EXPECT_EQ(place(s, "v"), (Place{0, 24, dynamic}));
  EXPECT_EQ(place(s, "g"), (Place{1, 0, 24}));
  EXPECT_EQ(segments(s), (Segments{{0, 2, 3}, {2, 3, 3}}));
  EXPECT_EQ(c->layout_of("Var").min_size, 1u);
  EXPECT_EQ(c->layout_of("Var").fixed_size, std::nullopt);
}

TEST(Layout, SegmentAfterPad) {
  auto c = laid_out(lines({
      "package t;",
      "const GAP = 2;",
      "struct S { n: u8; pad 3; a: u8; pad GAP + 1; b: u8; pad n * 2; c: u8; }",
  }));
  const auto& s = c->layout_of("S");
  ASSERT_EQ(s.members.size(), 7u);
  EXPECT_EQ(s.members[1].kind, MemberKind::pad);
  EXPECT_EQ(s.members[1].field, nullptr);
  EXPECT_TRUE(std::holds_alternative<ast::Pad>(*s.members[1].member));
  EXPECT_EQ(place(s.members[1]), (Place{0, 8, 24}));
  EXPECT_EQ(place(s, "a"), (Place{0, 32, 8}));
  EXPECT_EQ(place(s.members[3]), (Place{0, 40, 24}));
  EXPECT_EQ(place(s, "b"), (Place{0, 64, 8}));
  EXPECT_EQ(place(s.members[5]), (Place{0, 72, dynamic}));
  EXPECT_TRUE(s.members[5].is_dynamic);
  EXPECT_EQ(place(s, "c"), (Place{1, 0, 8}));
  EXPECT_EQ(segments(s), (Segments{{0, 6, 9}, {6, 7, 1}}));
}

TEST(Layout, SegmentsAfterArraysOfRunTimeCount) {
  auto c = laid_out(lines({
      "package t;",
      "endian little;",
      "struct Pt { x: u16; y: u8; }",
      "struct S {",
      "  n: u8;",
      "  a: u16[4];",
      "  b: Pt[] size(6);",
      "  c: u32[n];",
      "  d: u8;",
      "  e: Pt[] size(n * 3);",
      "  f: u8;",
      "  g: Pt[n];",
      "  h: u64[];",
      "}",
  }));
  const auto& s = c->layout_of("S");
  for (const auto& m : s.members) {
    if (m.field->name != "n" && m.field->name != "d" && m.field->name != "f") {
      EXPECT_EQ(m.kind, MemberKind::array) << m.field->name;
    }
  }
  EXPECT_EQ(place(s, "a"), (Place{0, 8, 64}));
  EXPECT_EQ(place(s, "b"), (Place{0, 72, 48}));
  EXPECT_EQ(place(s, "c"), (Place{0, 120, dynamic}));
  EXPECT_EQ(place(s, "d"), (Place{1, 0, 8}));
  EXPECT_EQ(place(s, "e"), (Place{1, 8, dynamic}));
  EXPECT_EQ(place(s, "f"), (Place{2, 0, 8}));
  EXPECT_EQ(place(s, "g"), (Place{2, 8, dynamic}));
  EXPECT_EQ(place(s, "h"), (Place{3, 0, dynamic}));
  EXPECT_EQ(segments(s), (Segments{{0, 4, 15}, {4, 6, 1}, {6, 8, 1}, {8, 9, 0}, {9, 9, 0}}));
  EXPECT_EQ(s.min_size, 15u);
  EXPECT_EQ(s.fixed_size, std::nullopt);
}

TEST(Layout, FixedSizeVersusMinSize) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "struct Empty { }",
      "struct Fixed { a: u32; b: bytes[4]; pad 2; c: u8[2]; }",
      "struct Tail { a: u32; b: bytes[]; }",
      "struct Head { n: u8; b: bytes[n]; c: u32; }",
  }));
  EXPECT_EQ(c->layout_of("Empty").fixed_size, 0u);
  EXPECT_EQ(c->layout_of("Empty").min_size, 0u);
  EXPECT_EQ(c->layout_of("Empty").segments.size(), 1u);
  EXPECT_EQ(c->layout_of("Fixed").fixed_size, 12u);
  EXPECT_EQ(c->layout_of("Fixed").min_size, 12u);
  EXPECT_EQ(c->layout_of("Tail").fixed_size, std::nullopt);
  EXPECT_EQ(c->layout_of("Tail").min_size, 4u);
  // min_size counts only the bytes before the first dynamic member.
  EXPECT_EQ(c->layout_of("Head").fixed_size, std::nullopt);
  EXPECT_EQ(c->layout_of("Head").min_size, 1u);
}

// ============================================================ arrays and byte order

TEST(Layout, ElementBytesOfArrays) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "enum K : u16 { A }",
      "struct Pt { x: u16; y: u8; }",
      "struct Checked { v: u8 where v < 10; }",
      "struct S {",
      "  a: u8[1];",
      "  b: u16[1];",
      "  c: u24[1];",
      "  d: i64[1];",
      "  e: f64[1];",
      "  f: K[1];",
      "  g: Pt[2];",
      "  h: Checked[3];",
      "}",
  }));
  const auto& s = c->layout_of("S");
  const std::vector<std::pair<const char*, std::uint64_t>> expected = {
      {"a", 1}, {"b", 2}, {"c", 3}, {"d", 8}, {"e", 8}, {"f", 2}, {"g", 3}, {"h", 1}};
  for (const auto& [name, bytes] : expected) {
    EXPECT_EQ(member(s, name).element_bytes, bytes) << name;
  }
  EXPECT_EQ(place(s, "g"), (Place{0, 192, 48}));
  EXPECT_EQ(place(s, "h"), (Place{0, 240, 24}));
  EXPECT_EQ(member(s, "f").scalar->enum_decl, c->find<ast::EnumDecl>("K"));
  EXPECT_EQ(member(s, "g").scalar->struct_decl, &c->structure("Pt"));
  EXPECT_FALSE(member(s, "g").elements_need_parse);
  EXPECT_TRUE(member(s, "h").elements_need_parse);
  EXPECT_TRUE(s.has_checks);  // through Checked's elements
  EXPECT_EQ(s.fixed_size, 33u);
}

TEST(Layout, ByteOrderSuffixOverStructOverFile) {
  auto c = laid_out(lines({
      "package t;",
      "endian little;",
      "enum BigTag : u16be { A }",
      "enum Tag : u16 { A }",
      "struct FromFile { a: u16; b: u32be; c: f32; arr: u16[2]; t: Tag; bt: BigTag; }",
      "struct FromStruct endian big {",
      "  a: u16;",
      "  b: u32le;",
      "  c: f64;",
      "  arr: u32[2];",
      "  arr_le: u32le[2];",
      "  t: Tag;",
      "  bt: BigTag;",
      "}",
  }));
  using enum ast::ByteOrder;
  const auto order = [&](const char* s, const char* f) {
    return member(c->layout_of(s), f).byte_order;
  };
  EXPECT_EQ(order("FromFile", "a"), little);
  EXPECT_EQ(order("FromFile", "b"), big);
  EXPECT_EQ(order("FromFile", "c"), little);
  EXPECT_EQ(order("FromFile", "arr"), little);
  EXPECT_EQ(order("FromFile", "t"), little);
  EXPECT_EQ(order("FromFile", "bt"), big);
  EXPECT_EQ(order("FromStruct", "a"), big);
  EXPECT_EQ(order("FromStruct", "b"), little);
  EXPECT_EQ(order("FromStruct", "c"), big);
  EXPECT_EQ(order("FromStruct", "arr"), big);
  EXPECT_EQ(order("FromStruct", "arr_le"), little);
  EXPECT_EQ(order("FromStruct", "t"), big);
  EXPECT_EQ(order("FromStruct", "bt"), big);
}

TEST(Layout, ByteOrderWithoutAFileDefault) {
  auto c = laid_out(lines({
      "package t;",
      "struct S endian little { a: u16; }",
      "struct T { a: u16be; b: u8; c: u4; _: u4; }",
  }));
  EXPECT_EQ(member(c->layout_of("S"), "a").byte_order, ast::ByteOrder::little);
  EXPECT_EQ(member(c->layout_of("T"), "a").byte_order, ast::ByteOrder::big);
  EXPECT_FALSE(member(c->layout_of("T"), "c").byte_order.has_value());
}

// ============================================================ checks, lookup, limits

TEST(Layout, HasChecks) {
  auto c = laid_out(lines({
      "package t;",
      "struct Plain { a: u8; }",
      "struct Constrained { a: u8 == 1; }",
      "struct Required { a: u8; require a > 0; }",
      "struct Outer { p: Plain; c: Constrained; }",
      "struct OuterPlain { p: Plain; q: Plain; }",
  }));
  EXPECT_FALSE(c->layout_of("Plain").has_checks);
  EXPECT_TRUE(c->layout_of("Constrained").has_checks);
  EXPECT_TRUE(c->layout_of("Required").has_checks);
  EXPECT_EQ(c->layout_of("Required").members.size(), 1u);  // require has no layout
  EXPECT_TRUE(c->layout_of("Outer").has_checks);
  EXPECT_FALSE(c->layout_of("OuterPlain").has_checks);
}

TEST(Layout, FindAndDeclPointers) {
  auto c = laid_out(lines({
      "package t;",
      "struct A { x: u8; y: u8; }",
      "struct B { x: u8; }",
  }));
  const auto& a = c->layout_of("A");
  const auto& a_decl = c->structure("A");
  EXPECT_EQ(a.decl, &a_decl);
  const auto& y = std::get<ast::Field>(a_decl.members[1]);
  ASSERT_NE(a.find(y), nullptr);
  EXPECT_EQ(a.find(y)->field, &y);
  EXPECT_EQ(a.find(y)->member, &a_decl.members[1]);
  EXPECT_EQ(a.find(y)->bit_offset, 8u);
  EXPECT_EQ(a.find(std::get<ast::Field>(c->structure("B").members[0])), nullptr);
  EXPECT_EQ(c->layout->structs.size(), 2u);
}

TEST(Layout, SizesBeyond64BitsAreReported) {
  const auto errors = [](const std::string& body) {
    auto c = check_text("package t;\nendian big;\n" + body + "\n");
    EXPECT_TRUE(c->sema_ok) << c->diags.render();
    EXPECT_EQ(c->layout, nullptr) << body;
    return test::reports(c->diags);
  };
  EXPECT_EQ(errors("struct S { a: bytes[0x2000_0000_0000_0000]; }"),
            (std::vector<std::string>{
                "3:15: error: 2305843009213693952 bytes is larger than 2^64 bits"}));
  EXPECT_EQ(errors("struct S { a: u64[0x2000_0000_0000_0001]; }"),
            (std::vector<std::string>{"3:15: error: this array is larger than 2^64 bytes"}));
  EXPECT_EQ(
      errors("struct S { a: bytes[0x1000_0000_0000_0000]; b: bytes[0x1000_0000_0000_0000]; }"),
      (std::vector<std::string>{"3:45: error: this struct is larger than 2^64 bits"}));
  EXPECT_EQ(errors("struct S { pad 0x2000_0000_0000_0000; }"),
            (std::vector<std::string>{
                "3:12: error: 2305843009213693952 bytes is larger than 2^64 bits"}));
}

// ============================================================ the shipped schemas

class NetSchemas : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ =
        driver::load({std::string(LP_SCHEMAS_DIR) + "/net/ethernet.lps"}, {LP_SCHEMAS_DIR}, diags_);
    ASSERT_FALSE(diags_.has_errors()) << diags_.render();
    ASSERT_TRUE(sema::check(*program_, diags_)) << diags_.render();
    layout_ = compute(*program_, diags_);
    ASSERT_NE(layout_, nullptr) << diags_.render();
  }

  const StructLayout& of(std::string_view name) const {
    for (const auto& m : program_->modules) {
      for (const auto& d : m->decls) {
        if (const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d);
            s && (*s)->name == name) {
          return layout_->of(**s);
        }
      }
    }
    throw std::runtime_error("no struct " + std::string(name));
  }

  Diagnostics diags_;
  std::unique_ptr<ast::Program> program_;
  std::unique_ptr<ProgramLayout> layout_;
};

TEST_F(NetSchemas, Ipv4) {
  const auto& s = of("Ipv4");
  // RFC 791's header diagram, bit by bit.
  EXPECT_EQ(place(s, "version"), (Place{0, 0, 4}));
  EXPECT_EQ(place(s, "ihl"), (Place{0, 4, 4}));
  EXPECT_EQ(place(s, "dscp"), (Place{0, 8, 6}));
  EXPECT_EQ(place(s, "ecn"), (Place{0, 14, 2}));
  EXPECT_EQ(place(s, "total_length"), (Place{0, 16, 16}));
  EXPECT_EQ(place(s, "identification"), (Place{0, 32, 16}));
  EXPECT_EQ(place(s, "reserved"), (Place{0, 48, 1}));
  EXPECT_EQ(place(s, "dont_fragment"), (Place{0, 49, 1}));
  EXPECT_EQ(place(s, "more_fragments"), (Place{0, 50, 1}));
  EXPECT_EQ(place(s, "fragment_offset"), (Place{0, 51, 13}));
  EXPECT_EQ(place(s, "ttl"), (Place{0, 64, 8}));
  EXPECT_EQ(place(s, "protocol"), (Place{0, 72, 8}));
  EXPECT_EQ(place(s, "checksum"), (Place{0, 80, 16}));
  EXPECT_EQ(place(s, "src"), (Place{0, 96, 32}));
  EXPECT_EQ(place(s, "dst"), (Place{0, 128, 32}));
  EXPECT_EQ(place(s, "options"), (Place{0, 160, dynamic}));
  EXPECT_EQ(place(s, "payload"), (Place{1, 0, dynamic}));
  EXPECT_EQ(member(s, "version").kind, MemberKind::bit_field);
  EXPECT_EQ(member(s, "fragment_offset").kind, MemberKind::bit_field);
  EXPECT_EQ(member(s, "total_length").kind, MemberKind::byte_integer);
  EXPECT_EQ(member(s, "total_length").byte_order, ast::ByteOrder::big);
  EXPECT_EQ(member(s, "protocol").kind, MemberKind::byte_integer);
  EXPECT_EQ(member(s, "protocol").scalar->enum_decl->name, "IpProto");
  EXPECT_EQ(member(s, "src").kind, MemberKind::nested);
  EXPECT_EQ(member(s, "options").kind, MemberKind::array);  // a TLV list of Ipv4Option
  EXPECT_EQ(member(s, "payload").kind, MemberKind::switch_);
  EXPECT_EQ(s.bit_order, ast::BitOrder::msb);
  EXPECT_EQ(s.min_size, 20u);  // the fixed part of the header
  EXPECT_EQ(s.fixed_size, std::nullopt);
  EXPECT_TRUE(s.has_checks);
  EXPECT_EQ(segments(s), (Segments{{0, 16, 20}, {16, 17, 0}, {17, 17, 0}}));
}

TEST_F(NetSchemas, UdpEthernetAndAddresses) {
  const auto& udp = of("Udp");
  EXPECT_EQ(place(udp, "src_port"), (Place{0, 0, 16}));
  EXPECT_EQ(place(udp, "dst_port"), (Place{0, 16, 16}));
  EXPECT_EQ(place(udp, "length"), (Place{0, 32, 16}));
  EXPECT_EQ(place(udp, "checksum"), (Place{0, 48, 16}));
  EXPECT_EQ(place(udp, "payload"), (Place{0, 64, dynamic}));
  EXPECT_EQ(udp.min_size, 8u);
  EXPECT_EQ(udp.fixed_size, std::nullopt);
  EXPECT_EQ(segments(udp), (Segments{{0, 5, 8}, {5, 5, 0}}));

  const auto& mac = of("MacAddr");
  EXPECT_EQ(mac.fixed_size, 6u);
  EXPECT_EQ(member(mac, "octets").element_bytes, 1u);
  EXPECT_EQ(place(mac, "octets"), (Place{0, 0, 48}));
  EXPECT_EQ(of("Ipv4Addr").fixed_size, 4u);

  const auto& eth = of("Ethernet");
  EXPECT_EQ(place(eth, "dst"), (Place{0, 0, 48}));
  EXPECT_EQ(place(eth, "src"), (Place{0, 48, 48}));
  EXPECT_EQ(place(eth, "ether_type"), (Place{0, 96, 16}));
  EXPECT_EQ(member(eth, "ether_type").scalar->enum_decl->name, "EtherType");
  EXPECT_EQ(place(eth, "payload"), (Place{0, 112, dynamic}));
  EXPECT_EQ(place(eth, "trailer"), (Place{1, 0, dynamic}));
  EXPECT_EQ(eth.min_size, 14u);
  EXPECT_EQ(eth.fixed_size, std::nullopt);
  EXPECT_FALSE(eth.has_checks);
}

// ============================================================ sequences (§15, §16, §18, §19)

TEST(Layout, SequencesAreDynamicAndCounted) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "struct Rec { n: u8; d: bytes[n]; }",
      "struct Pt { x: u8; y: u8; }",
      "struct S {",
      "  a: varint;",
      "  recs: Rec[2];",
      "  pts: Pt[] until (it.x == 0) size(4);",
      "  fixed: Pt[2];",
      "  name: cstring;",
      "  text: string[3];",
      "  z: zigzag;",
      "}",
  }));
  const StructLayout& s = c->layout->of(c->structure("S"));
  EXPECT_EQ(member(s, "a").kind, MemberKind::varint);
  EXPECT_EQ(place(s, "a"), (Place{0, 0, dynamic}));
  const MemberLayout& recs = member(s, "recs");
  EXPECT_TRUE(recs.lazy);
  EXPECT_TRUE(recs.stores_count);
  EXPECT_TRUE(recs.elements_need_parse);
  EXPECT_EQ(place(recs), (Place{1, 0, dynamic}));
  // A constant size(4) does not make an `until` array fixed: its count is stored.
  const MemberLayout& pts = member(s, "pts");
  EXPECT_FALSE(pts.lazy);
  EXPECT_TRUE(pts.stores_count);
  EXPECT_EQ(pts.element_bytes, 2U);
  EXPECT_EQ(place(pts), (Place{2, 0, dynamic}));
  EXPECT_FALSE(member(s, "fixed").stores_count);
  EXPECT_EQ(place(s, "fixed"), (Place{3, 0, 32}));
  EXPECT_EQ(place(s, "name"), (Place{3, 32, dynamic}));
  EXPECT_EQ(place(s, "text"), (Place{4, 0, 24}));
  EXPECT_EQ(member(s, "z").kind, MemberKind::varint);
  EXPECT_FALSE(s.fixed_size);
  EXPECT_TRUE(s.has_checks);
}

// ============================================================ part 2: structure

TEST(Layout, OptionalFieldsAreDynamicLetsTakeNoBytesAlignPads) {
  auto c = laid_out(lines({
      "package t;",
      "endian big;",
      "struct Pt { x: u8; y: u8; }",
      "struct S {",
      "  a: u8;",
      "  align 4;",
      "  b: u16 if a == 1;",
      "  let t = b + 1;",
      "  c: u8;",
      "  align 4;",
      "  d: u8;",
      "}",
      "struct Fixed { a: u8; align 8; b: u8; }",
      "struct P(n: u8) { a: u8; }",
      "struct Outer { p: P(1); q: Pt; }",
      "struct R(o: endian) endian o { a: u16; b: u8; c: u32be; }",
  }));
  const StructLayout& s = c->layout_of("S");
  EXPECT_EQ(place(s, "a"), (Place{0, 0, 8}));
  EXPECT_EQ(s.members[1].kind, MemberKind::align);
  EXPECT_EQ(place(s.members[1]), (Place{0, 8, 24}));  // constant padding in segment 0
  const MemberLayout& b = member(s, "b");
  EXPECT_TRUE(b.optional);
  EXPECT_EQ(b.present_bits, 16u);
  EXPECT_EQ(place(b), (Place{0, 32, dynamic}));
  EXPECT_EQ(s.members[3].kind, MemberKind::let);
  EXPECT_EQ(place(s.members[3]), (Place{1, 0, 0}));
  EXPECT_EQ(place(s, "c"), (Place{1, 0, 8}));
  EXPECT_EQ(place(s.members[5]), (Place{1, 8, dynamic}));  // after b: known at run time
  EXPECT_EQ(place(s, "d"), (Place{2, 0, 8}));
  EXPECT_EQ(s.min_size, 4u);
  EXPECT_EQ(c->layout_of("Fixed").fixed_size, 9u);
  // Parameterised structs are never fixed-size; their users keep a view.
  EXPECT_EQ(c->layout_of("P").fixed_size, std::nullopt);
  EXPECT_EQ(place(c->layout_of("Outer"), "p"), (Place{0, 0, dynamic}));
  const StructLayout& r = c->layout_of("R");
  EXPECT_TRUE(member(r, "a").runtime_order);
  EXPECT_FALSE(member(r, "a").byte_order);
  EXPECT_FALSE(member(r, "c").runtime_order);
  EXPECT_EQ(member(r, "c").byte_order, ast::ByteOrder::big);
}

}  // namespace
}  // namespace lpc::layout
