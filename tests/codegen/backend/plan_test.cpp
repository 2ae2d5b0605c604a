// The plan stage (codegen/plan): each decision the emitters read, from schemas
// compiled in memory, and the decisions it takes for the shipped schemas.
#include "plan/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "backend_test_util.hpp"
#include "driver/loader.hpp"
#include "layout/layout.hpp"
#include "sema/sema.hpp"

namespace lpc::plan {
namespace {

using test::Checked;
using test::planned;

// `text` is a schema's declarations; the package and byte order come first.
std::vector<std::string> kept(const StructPlan& p) {
  std::vector<std::string> out;
  for (const ast::Field* f : p.kept_values) out.push_back(f->name);
  std::sort(out.begin(), out.end());
  return out;
}

using Names = std::vector<std::string>;

// ============================================================ kept values

TEST(PlanKeptValues, ConstrainedAndNamedFields) {
  auto c = planned(R"(
struct S {
  version: u4 == 4;
  ihl: u4;
  flags: u8;
  total: u16 where total >= ihl * 4;
  unused: u16;
  body: bytes[total - ihl * 4];
})");
  EXPECT_EQ(kept(c->plan_of("S")), (Names{"ihl", "total", "version"}));
}

TEST(PlanKeptValues, TextsComparedWithStringLiterals) {
  auto c = planned(R"(
struct S {
  n: u8;
  magic: bytes[2] == "ab";
  name: string[n];
  unused: string[n];
  version: u8 where name == "MQTT" ? version == 4 : version == 3;
  id: cstring;
  tail: bytes[];
  require id != "";
})");
  const StructPlan& p = c->plan_of("S");
  Names texts;
  for (const ast::Field* f : p.kept_texts) texts.push_back(f->name);
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (Names{"id", "magic", "name"}));
  // Texts are not numbers: a constrained bytes field keeps no integer value.
  EXPECT_EQ(kept(p), (Names{"n", "version"}));
  // The require runs once `id` is read.
  EXPECT_EQ(p.require_checks.front().member, 5u);
  EXPECT_EQ(p.require_checks.front().when, RequireCheck::When::after_member);
}

TEST(PlanKeptValues, CountedAndSizedFields) {
  auto c = planned(R"(
struct Item { x: u8; }
struct S {
  n: u8;
  items: Item[n] where count(items) >= 1;
  name: bytes[n] where size(name) < 9;
  other: u8[n];
  let k = size(items) + size(other);
  require count(other) == 2;
  tail: u8;
})");
  const StructPlan& p = c->plan_of("S");
  const auto names = [](const std::set<const ast::Field*>& fields) {
    Names out;
    for (const ast::Field* f : fields) out.push_back(f->name);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(names(p.counted), (Names{"items", "other"}));
  EXPECT_EQ(names(p.sized), (Names{"items", "name", "other"}));
  EXPECT_TRUE(p.kept_texts.empty());  // no string comparison
  EXPECT_EQ(kept(p), (Names{"n"}));
  // The require runs once `other` is read, before `tail`.
  EXPECT_EQ(p.require_checks.front().member, 3u);
}

TEST(PlanKeptValues, ConditionsTagsLetsRequiresPads) {
  auto c = planned(R"(
struct S {
  a: u8;
  b: u8;
  c: u8;
  d: u8;
  e: u8;
  x: u8 if a == 1;
  let twice = b * 2;
  pad c;
  y: switch (d) { case 1 => one: u8; default => other: bytes[]; };
  require e < 9;
})");
  EXPECT_EQ(kept(c->plan_of("S")), (Names{"a", "b", "c", "d", "e"}));
}

TEST(PlanKeptValues, AReferenceArgumentIsTheAccessorsNotParses) {
  auto c = planned(R"(
struct Target(n: u8) { v: u8; }
struct S {
  offset: u16;
  n: u8;
  t: Target(n) at offset;
})");
  // `offset` is the reference's offset and `n` its argument: the accessor reads them.
  EXPECT_EQ(kept(c->plan_of("S")), Names{});
}

// A field named like the generated code's locals changes nothing: decisions
// come from the schema, not from the text the emitter wrote.
TEST(PlanKeptValues, FieldsNamedLikeLocalsDecideNothing) {
  auto c = planned(R"(
struct Leaf { depth: u8; p: u8; }
struct S { depth: u8; p: u8; leaf: Leaf; })");
  const StructPlan& s = c->plan_of("S");
  EXPECT_FALSE(s.parses_children);
  EXPECT_FALSE(s.parse_reads_scalars);
  EXPECT_TRUE(s.parse_uses_buffer_size);
}

// ============================================================ structure

TEST(PlanStructure, ValidAnywhere) {
  auto c = planned(R"(
struct Plain { a: u16; b: u8; }
struct Checked { a: u8 where a > 1; }
struct Holds { c: Checked; }
struct Params(n: u8) { a: u8; }
struct Variable { n: u8; data: bytes[n]; })");
  EXPECT_TRUE(c->plan_of("Plain").valid_anywhere);
  EXPECT_FALSE(c->plan_of("Checked").valid_anywhere);
  EXPECT_FALSE(c->plan_of("Holds").valid_anywhere);  // a checked child counts
  EXPECT_FALSE(c->plan_of("Params").valid_anywhere);
  EXPECT_FALSE(c->plan_of("Variable").valid_anywhere);
}

TEST(PlanStructure, ParsesChildren) {
  auto c = planned(R"(
struct Plain { a: u16; }
struct Checked { a: u8 where a > 1; }
struct Variable { n: u8; data: bytes[n]; }
struct HoldsPlain { p: Plain; q: Plain[3]; }
struct HoldsChecked { c: Checked; }
struct HoldsVariable { v: Variable; }
struct ArrayOfChecked { n: u8; c: Checked[n]; }
struct LazyArray { v: Variable[]; }
struct ArmPlain { t: u8; a: switch (t) { case 1 => p: Plain; default => r: bytes[]; }; }
struct ArmChecked { t: u8; a: switch (t) { case 1 => c: Checked; default => r: bytes[]; }; }
struct Recursive { t: u8; a: switch (t) { case 1 => again: Recursive; default => r: bytes[]; }; })");
  EXPECT_FALSE(c->plan_of("HoldsPlain").parses_children);
  EXPECT_TRUE(c->plan_of("HoldsChecked").parses_children);
  EXPECT_TRUE(c->plan_of("HoldsVariable").parses_children);
  EXPECT_TRUE(c->plan_of("ArrayOfChecked").parses_children);
  EXPECT_TRUE(c->plan_of("LazyArray").parses_children);
  EXPECT_FALSE(c->plan_of("ArmPlain").parses_children);
  EXPECT_TRUE(c->plan_of("ArmChecked").parses_children);
  EXPECT_TRUE(c->plan_of("Recursive").parses_children);
  EXPECT_TRUE(c->plan_of("Recursive").has_recursive_arm);
  EXPECT_FALSE(c->plan_of("ArmChecked").has_recursive_arm);
}

TEST(PlanStructure, HoldsArmViews) {
  auto c = planned(R"(
struct Fixed { a: u8 where a > 1; }
struct Variable { n: u8; data: bytes[n]; }
struct ArmVariable { t: u8; a: switch (t) { case 1 => v: Variable; default => r: bytes[]; }; }
struct ArmFixed { t: u8; a: switch (t) { case 1 => f: Fixed; default => r: bytes[]; }; }
struct Recursive { t: u8; a: switch (t) { case 1 => again: Recursive; default => r: bytes[]; }; }
struct ArmArray { t: u8; a: switch (t) { case 1 => fs: Fixed[2]; default => r: bytes[]; }; }
struct HoldsArmVariable { x: u8; h: ArmVariable; }
struct HoldsArmFixed { h: ArmFixed; }
struct ListOfArmVariable { hs: ArmVariable[]; })");
  // A variable-size arm is stored in a union; fixed-size arms are rebuilt from
  // their offsets, recursive ones re-parsed, arrays kept as bytes.
  EXPECT_TRUE(c->plan_of("ArmVariable").holds_arm_views);
  EXPECT_FALSE(c->plan_of("ArmFixed").holds_arm_views);
  EXPECT_FALSE(c->plan_of("Recursive").holds_arm_views);
  EXPECT_FALSE(c->plan_of("ArmArray").holds_arm_views);
  EXPECT_FALSE(c->plan_of("Variable").holds_arm_views);
  // Through the view of a variable-size nested field, not through arrays (their
  // elements are re-read, not stored).
  EXPECT_TRUE(c->plan_of("HoldsArmVariable").holds_arm_views);
  EXPECT_FALSE(c->plan_of("HoldsArmFixed").holds_arm_views);
  EXPECT_FALSE(c->plan_of("ListOfArmVariable").holds_arm_views);
}

TEST(PlanStructure, ReadsScalarsAndBufferSize) {
  auto c = planned(R"(
struct Label { n: u8; text: bytes[n]; }
struct Sequence { labels: Label[]; }
struct Sized { n: u8; labels: Label[] size(n); }
struct Unread { a: u8; b: u16; })");
  EXPECT_TRUE(c->plan_of("Label").parse_reads_scalars);
  EXPECT_FALSE(c->plan_of("Sequence").parse_reads_scalars);
  // One sequence over the whole buffer: its loop runs to the region's end.
  EXPECT_FALSE(c->plan_of("Sequence").parse_uses_buffer_size);
  EXPECT_TRUE(c->plan_of("Sized").parse_uses_buffer_size);
  EXPECT_FALSE(c->plan_of("Unread").parse_reads_scalars);
  EXPECT_TRUE(c->plan_of("Unread").parse_uses_buffer_size);  // the segment's bounds check
}

TEST(PlanStructure, AStructWithoutMembersNeverComparesSizes) {
  auto c = planned("struct Nothing { }\nstruct OnePad { pad 1; }");
  EXPECT_FALSE(c->plan_of("Nothing").parse_uses_buffer_size);
  EXPECT_TRUE(c->plan_of("OnePad").parse_uses_buffer_size);
}

TEST(PlanStructure, TruncationFieldsPerSegment) {
  auto c = planned(R"(
struct S {
  a: u8;
  b: u4;
  c: u4;
  n: u8;
  data: bytes[n];
  let m = n + 1;
  tail: u16;
})");
  const StructPlan& s = c->plan_of("S");
  ASSERT_EQ(s.truncation_fields.size(), 2u);
  std::vector<std::string> first;
  for (const auto* m : s.truncation_fields[0]) first.push_back(m->field->name);
  EXPECT_EQ(first, (Names{"a", "b", "c", "n"}));
  ASSERT_EQ(s.truncation_fields[1].size(), 1u);  // the let takes no byte
  EXPECT_EQ(s.truncation_fields[1][0]->field->name, "tail");
}

TEST(PlanStructure, ChecksumFields) {
  auto c = planned(R"(
struct S {
  a: u16;
  sum: u16 checksum internet pseudo;
  rest: bytes[];
}
struct T { sum: u16 checksum internet; })");
  ASSERT_EQ(c->plan_of("S").checksum_fields.size(), 1u);
  EXPECT_TRUE(c->plan_of("S").any_pseudo_header);
  EXPECT_FALSE(c->plan_of("T").any_pseudo_header);
}

// ============================================================ inlining

TEST(PlanInlining, ShortStructsInlineLongOnesDoNot) {
  auto c = planned(R"(
struct Short { a: u8 where a > 0; b: u16; }
struct Long {
  a: u8 where a > 0; b: u8 where b > 0; c: u8 where c > 0; d: u8 where d > 0;
  e: u8 where e > 0; f: u8 where f > 0; g: u8 where g > 0; h: u8 where h > 0;
  i: u8 where i > 0; j: u8 where j > 0; k: u8 where k > 0; l: u8 where l > 0;
})");
  EXPECT_TRUE(c->plan_of("Short").inline_parse);
  EXPECT_LE(c->plan_of("Short").parse_cost, kInlineParseCost);
  EXPECT_FALSE(c->plan_of("Long").inline_parse);
  EXPECT_GT(c->plan_of("Long").parse_cost, kInlineParseCost);
}

TEST(PlanInlining, NeverARecursiveArm) {
  auto c = planned(R"(
struct Link { t: u8; next: switch (t) { case 1 => more: Link; default => end: bytes[]; }; })");
  EXPECT_LE(c->plan_of("Link").parse_cost, kInlineParseCost);
  EXPECT_FALSE(c->plan_of("Link").inline_parse);
}

// The cost grows with what parse() does: a constraint, a child, an arm.
TEST(PlanInlining, CostFollowsTheWork) {
  auto c = planned(R"(
struct Child { n: u8; data: bytes[n]; }
struct A { x: u8; }
struct B { x: u8 where x > 1; }
struct C { x: u8 where x > 1; child: Child; }
struct D { x: u8 where x > 1; child: Child; s: switch (x) { case 2 => two: u8; default => r: bytes[]; }; })");
  EXPECT_LT(c->plan_of("A").parse_cost, c->plan_of("B").parse_cost);
  EXPECT_LT(c->plan_of("B").parse_cost, c->plan_of("C").parse_cost);
  EXPECT_LT(c->plan_of("C").parse_cost, c->plan_of("D").parse_cost);
}

// ============================================================ deferred lists

// ParseOptions::defer_lists may leave a list unwalked only when its bytes are
// known without reading an element and its `until` reads nothing but `it`.
TEST(PlanDeferredLists, ListsWhoseBytesAreKnownWithoutTheirElements) {
  auto c = planned(R"(
struct Opt { kind: u8; len: u8; body: bytes[len]; }
struct Pair { a: u8; b: u8; }
struct Sized { n: u8; opts: Opt[] size(n); tail: u8; }
struct Rest { opts: Opt[]; }
struct UntilSized { n: u8; opts: Opt[] until (it.kind == 0) size(n); }
struct UntilNamesAField { n: u8; last: u8; opts: Opt[] until (it.kind == last) size(n); }
struct UntilWithoutSize { opts: Opt[] until (it.kind == 0); tail: u8; }
struct Counted { n: u8; opts: Opt[n]; tail: u8; }
struct FixedElements { n: u8; pairs: Pair[] size(n); }
struct CountRead { n: u8; opts: Opt[] size(n); require count(opts) > 0; }
struct Constrained { n: u8; opts: Opt[] size(n) where size(opts) > 1; }
struct SizeRead { n: u8; opts: Opt[] size(n); let bytes_of_opts = size(opts); }
struct Numbered(prev: u16) { delta: u8; let number = prev + delta; }
struct Carried { n: u8; opts: Numbered(prev)[] size(n) carry (prev = 0, it.number); })");
  const auto deferrable = [&](std::string_view s) {
    const StructPlan& p = c->plan_of(s);
    Names out;
    for (const ast::Field* f : p.deferrable_lists) out.push_back(f->name);
    return out;
  };
  EXPECT_EQ(deferrable("Sized"), (Names{"opts"}));
  EXPECT_EQ(deferrable("Rest"), (Names{"opts"}));
  EXPECT_EQ(deferrable("UntilSized"), (Names{"opts"}));
  EXPECT_EQ(deferrable("UntilNamesAField"), Names{});  // the rule could not evaluate `last`
  EXPECT_EQ(deferrable("UntilWithoutSize"), Names{});  // its end is its terminator
  EXPECT_EQ(deferrable("Counted"), Names{});           // its end is its n-th element's
  EXPECT_EQ(deferrable("FixedElements"), Names{});     // nothing to walk: n / 2 elements
  EXPECT_EQ(deferrable("CountRead"), Names{});         // count(opts) needs the walk
  EXPECT_EQ(deferrable("Constrained"), Names{});       // its `where` is parse()'s
  EXPECT_EQ(deferrable("SizeRead"), (Names{"opts"}));  // its size is its region's
  EXPECT_EQ(deferrable("Carried"), Names{});  // each element's argument comes from the one before
}

// ============================================================ serializers

TEST(PlanSerializer, RemainingHasNoSerializer) {
  auto c = planned(R"(
struct Fine { n: u8; data: bytes[n]; }
struct Remaining { data: bytes[remaining - 2]; trailer: u16; }
struct HoldsRemaining { r: Remaining; })");
  EXPECT_TRUE(c->plan_of("Fine").has_serializer);
  EXPECT_TRUE(c->plan_of("Fine").serializes_exactly);
  EXPECT_FALSE(c->plan_of("Remaining").has_serializer);
  EXPECT_FALSE(c->plan_of("HoldsRemaining").has_serializer);
  EXPECT_FALSE(c->plan_of("HoldsRemaining").serializes_exactly);
}

TEST(PlanSerializer, PeekHasNoSerializer) {
  // The peeked byte is the first byte of what follows: known only once that is written.
  auto c = planned(R"(
struct Peek { kind: u8 peek; body: bytes[]; }
struct HoldsPeek { n: u8; p: Peek; }
struct Padded { name: cstring[8]; })");
  EXPECT_FALSE(c->plan_of("Peek").has_serializer);
  EXPECT_FALSE(c->plan_of("HoldsPeek").has_serializer);
  // The layout: the peek takes no bytes; what follows starts where it does.
  const layout::StructLayout& l = *c->plan_of("Peek").layout;
  EXPECT_TRUE(l.members[0].peek);
  EXPECT_TRUE(l.members[0].is_dynamic);
  EXPECT_EQ(l.members[0].present_bits, 8u);
  EXPECT_EQ(l.members[1].segment, 1u);
  EXPECT_EQ(l.members[1].bit_offset, 0u);
  // Peeks need no truncation helper of the constant run: they check their own bytes.
  EXPECT_TRUE(c->plan_of("Peek").truncation_fields[0].empty());
  // cstring[n] writes its padding as zeros.
  EXPECT_TRUE(c->plan_of("Padded").has_serializer);
  EXPECT_FALSE(c->plan_of("Padded").serializes_exactly);
}

TEST(PlanSerializer, WhatDoesNotComeBackExactly) {
  auto c = planned(R"(
struct Varint { v: varint; }
struct Padded { a: u8; pad 2; }
struct Unnamed { _: u8; a: u8; }
struct Aligned { a: u8; align 4; }
struct HoldsVarint { v: Varint; })");
  for (const char* name : {"Varint", "Padded", "Unnamed", "Aligned", "HoldsVarint"}) {
    EXPECT_TRUE(c->plan_of(name).has_serializer) << name;
    EXPECT_FALSE(c->plan_of(name).serializes_exactly) << name;
  }
}

// ============================================================ modules

TEST(PlanModule, StructOrderPutsChildrenFirst) {
  auto c = planned(R"(
struct Outer { m: Middle; }
struct Middle { i: Inner[2]; }
struct Inner { a: u8; }
struct Loop { t: u8; s: switch (t) { case 1 => again: Loop; default => r: bytes[]; }; })");
  std::vector<std::string> order;
  for (const ast::StructDecl* s : c->plan->of(*c->program.modules.back()).struct_order)
    order.push_back(s->name);
  EXPECT_EQ(order, (Names{"Inner", "Middle", "Outer", "Loop"}));
}

// The first struct (in declaration order) that holds nothing still to place comes
// next: an unrelated struct declared early stays early, a held one moves up.
TEST(PlanModule, StructOrderKeepsDeclarationOrderAmongReadyStructs) {
  auto c = planned(R"(
struct A { b: B; d: D; }
struct Free1 { a: u8; }
struct B { c: C; c2: C[2]; }
struct Free2 { a: u8; }
struct C { a: u8; }
struct D { c: C; })");
  std::vector<std::string> order;
  for (const ast::StructDecl* s : c->plan->of(*c->program.modules.back()).struct_order)
    order.push_back(s->name);
  EXPECT_EQ(order, (Names{"Free1", "Free2", "C", "B", "D", "A"}));
}

// A chain of structs each holding the next twice: every answer that recurses into
// held structs is memoised (without that, 2^40 visits).
TEST(PlanSerializer, SharedChildrenAreAnsweredOnce) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "struct S" + std::to_string(i) + " { x: u8; a: S" + std::to_string(i + 1) + "; b: S" +
            std::to_string(i + 1) + "; }\n";
  }
  text += "struct S40 { v: varint; }\n";
  auto c = planned(text);
  EXPECT_TRUE(c->plan_of("S0").has_serializer);
  EXPECT_FALSE(c->plan_of("S0").serializes_exactly);  // the varint, 40 levels down
  EXPECT_TRUE(c->plan_of("S40").has_serializer);
}

// ============================================================ the shipped schemas

class ShippedPlan : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = driver::load({std::string(LP_SCHEMAS_DIR) + "/net/ethernet.lps",
                             std::string(LP_SCHEMAS_DIR) + "/net/dns.lps"},
                            {LP_SCHEMAS_DIR}, diags_);
    ASSERT_FALSE(diags_.has_errors()) << diags_.render();
    ASSERT_TRUE(sema::check(*program_, diags_)) << diags_.render();
    layout_ = layout::compute(*program_, diags_);
    ASSERT_NE(layout_, nullptr) << diags_.render();
    plan_ = compute(*program_, *layout_);
  }

  const StructPlan& of(std::string_view name) const {
    for (const auto& m : program_->modules) {
      for (const auto& d : m->decls) {
        if (const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d);
            s && (*s)->name == name) {
          return plan_->of(**s);
        }
      }
    }
    throw std::runtime_error("no struct " + std::string(name));
  }

  Diagnostics diags_;
  std::unique_ptr<ast::Program> program_;
  std::unique_ptr<layout::ProgramLayout> layout_;
  std::unique_ptr<ProgramPlan> plan_;
};

// The inlining decisions docs/performance.md measured: the short children of the
// parse_mix workload inline, and so does DnsLabel, a little longer but parsed
// once per label; the headers with option lists do not, nor does DnsRecord
// (an element too, but far longer).
TEST_F(ShippedPlan, InliningOfTheBenchmarkedStructs) {
  for (const char* name : {"DnsName", "DnsQuestion", "Udp", "Ipv4Addr", "MacAddr", "DnsLabel"})
    EXPECT_TRUE(of(name).inline_parse) << name << " cost " << of(name).parse_cost;
  for (const char* name : {"Tcp", "Ipv4", "Ethernet", "Dns", "DnsRecord"})
    EXPECT_FALSE(of(name).inline_parse) << name << " cost " << of(name).parse_cost;
  // DnsLabel is inlined for being an element: over the threshold of other structs.
  EXPECT_GT(of("DnsLabel").parse_cost, kInlineParseCost);
  EXPECT_LE(of("DnsLabel").parse_cost, kInlineElementParseCost);
}

// Which structs are read once per array element: a field's array (DnsName's
// labels, Dns's records, Tcp's options) or a switch arm's; not a struct that is
// only a field or an arm (Ipv4, Udp, Dns itself).
TEST_F(ShippedPlan, ParsedPerElement) {
  for (const char* name : {"DnsLabel", "DnsQuestion", "DnsRecord", "TcpOption", "Ipv4Option"})
    EXPECT_TRUE(of(name).parsed_per_element) << name;
  for (const char* name : {"Ipv4", "Udp", "Dns", "Ethernet", "DnsName"})
    EXPECT_FALSE(of(name).parsed_per_element) << name;
}

TEST_F(ShippedPlan, Ipv4) {
  const StructPlan& ip = of("Ipv4");
  EXPECT_TRUE(ip.parses_children);
  EXPECT_TRUE(ip.has_recursive_arm);  // 6in4 through ipv6.lps
  EXPECT_TRUE(ip.has_serializer);
  EXPECT_EQ(ip.checksum_fields.size(), 1u);
  EXPECT_FALSE(ip.any_pseudo_header);
  EXPECT_TRUE(of("Ipv4Addr").valid_anywhere);
}

// ============================================================ requires and path names

// Each require as "when:member" ("first", "after:<path name>", "last").
Names require_checks(const StructPlan& p) {
  Names out;
  for (const RequireCheck& c : p.require_checks) {
    std::string s = c.when == RequireCheck::When::first          ? "first"
                    : c.when == RequireCheck::When::after_member ? "after"
                                                                 : "last";
    if (c.names_member) s += ":" + p.path_names[c.member];
    out.push_back(s);
  }
  return out;
}

TEST(PlanRequires, CheckedAfterTheLastMemberTheyName) {
  auto c = planned(R"(
struct S(limit: u8) {
  require limit > 0;
  a: u8;
  b: u8;
  body: bytes[b];
  require b <= limit;
  let total = a + b;
  c: u16;
  require a == 0 || c == 0;
  require total < 100;
  require remaining == 0;
  require a < remaining;
})");
  EXPECT_EQ(require_checks(c->plan_of("S")),
            (Names{"first", "after:b", "after:c", "after:total", "last", "last:a"}));
}

TEST(PlanRequires, OptionalFieldIsAMemberLikeAnyOther) {
  auto c = planned(R"(
struct S {
  flags: u8;
  x: u16 if flags & 1;
  y: u8;
  require x != 7;
})");
  EXPECT_EQ(require_checks(c->plan_of("S")), (Names{"after:x"}));
}

TEST(PlanPathNames, AnonymousFieldsByPositionAmongFields) {
  auto c = planned(R"(
struct S {
  a: u8;
  _: u8;
  pad 2;
  let k = a;
  b: u4;
  _: u4;
  align 4;
})");
  EXPECT_EQ(c->plan_of("S").path_names, (Names{"a", "_#2", "pad", "k", "b", "_#4", "align"}));
}

}  // namespace
}  // namespace lpc::plan
