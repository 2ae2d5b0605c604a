// The fuzz-kit emitter (codegen/emit/emit_fuzzer): what the generated target and
// dictionary hold for schemas compiled in memory. That the targets compile and
// run is shown by the replay targets of fuzz/CMakeLists.txt (fuzz_kit_*_replay).
#include "emit/emit_fuzzer.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backend_test_util.hpp"

namespace lpc::emit {
namespace {

using test::Checked;
using test::planned;

FuzzerFiles files_for(const Checked& c, const std::string& type) {
  std::string error;
  const ast::StructDecl* root = find_struct(c.program, type, error);
  EXPECT_NE(root, nullptr) << error;
  if (root == nullptr) return {};
  return fuzzer_for(*root, *c.plan, Options{"test"});
}

bool holds(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ============================================================ parameters

TEST(EmitFuzzerParameters, ArgumentsComeFromTheFirstBytesWithinEachType) {
  auto c = planned(R"(
struct P(length: u32, strict: u1, bias: i12, order: endian) endian order {
  data: bytes[length];
  v: i8;
})");
  const FuzzerFiles f = files_for(*c, "P");
  EXPECT_TRUE(holds(f.source, "  std::uint32_t length{};")) << f.source;
  EXPECT_TRUE(holds(f.source, "  std::uint8_t strict{};"));
  EXPECT_TRUE(holds(f.source, "  std::int16_t bias{};"));
  EXPECT_TRUE(holds(f.source, "  lp::byte_order order{};"));
  // Declaration order; the fewest whole bytes, cut to the width, signed extended.
  const auto at_length = f.source.find("take_argument(input, 4, 32, false)");
  const auto at_strict = f.source.find("take_argument(input, 1, 1, false)");
  const auto at_bias = f.source.find("take_argument(input, 2, 12, true)");
  const auto at_order = f.source.find("args.order = (take_argument(input, 1, 1, false) & 1)");
  ASSERT_NE(at_length, std::string::npos) << f.source;
  ASSERT_NE(at_strict, std::string::npos);
  ASSERT_NE(at_bias, std::string::npos);
  ASSERT_NE(at_order, std::string::npos);
  EXPECT_LT(at_length, at_strict);
  EXPECT_LT(at_strict, at_bias);
  EXPECT_LT(at_bias, at_order);
  // Every parse and serialize passes them, in order.
  EXPECT_TRUE(holds(f.source,
                    "return Type::parse(buffer, args.length, args.strict, args.bias, "
                    "args.order, options);"));
  EXPECT_TRUE(holds(f.source,
                    "return Type::parse_mut(buffer, args.length, args.strict, "
                    "args.bias, args.order);"));
  EXPECT_TRUE(holds(f.source, "const Arguments args = take_arguments(input);"));
}

TEST(EmitFuzzerParameters, WithoutParametersTheWholeInputIsTheBuffer) {
  auto c = planned("struct S { a: u8; }");
  const FuzzerFiles f = files_for(*c, "S");
  EXPECT_TRUE(holds(f.source, "struct Arguments {};")) << f.source;
  EXPECT_FALSE(holds(f.source, "take_argument("));
  EXPECT_TRUE(holds(f.source, "return Type::parse(buffer, options);"));
  EXPECT_TRUE(holds(f.source, "return Type::parse_mut(buffer);"));
}

TEST(EmitFuzzerParameters, AParameterisedStructIsFound) {
  auto c = planned("struct P(n: u8) { data: bytes[n]; }");
  std::string error;
  EXPECT_NE(find_struct(c->program, "P", error), nullptr) << error;
  EXPECT_NE(find_struct(c->program, "t.P", error), nullptr) << error;
  EXPECT_EQ(find_struct(c->program, "Q", error), nullptr);
  EXPECT_TRUE(holds(error, "no struct 'Q'")) << error;
}

// ============================================================ dictionary

// The entry `label` of a dictionary: its bytes as written ("\x0f\xff"), or "" when absent.
std::string entry(const std::string& dict, const std::string& label) {
  const auto at = dict.find("\n" + label + "=\"");
  if (at == std::string::npos) return {};
  const auto begin = at + label.size() + 3;
  return dict.substr(begin, dict.find('"', begin) - begin);
}

TEST(EmitFuzzerDictionary, ConstantsAreEncodedAsTheFieldTheyAreComparedWith) {
  auto c = planned(R"(
const MAX_REMAINING = 268435455;
struct S {
  remaining: varint where remaining <= MAX_REMAINING;
  delta: zigzag where delta >= -3;
  q: quicvarint == 300;
})");
  const std::string dict = files_for(*c, "S").dict;
  EXPECT_EQ(entry(dict, "S_remaining_268435455"), "\\xff\\xff\\xff\\x7f") << dict;
  EXPECT_EQ(entry(dict, "S_delta_minus3"), "\\x05");
  EXPECT_EQ(entry(dict, "S_q_300"), "\\x41\\x2c");
  // Compared with a field, the constant has no fixed-width entry of its own.
  EXPECT_EQ(entry(dict, "const_MAX_REMAINING"), "");
  EXPECT_FALSE(holds(dict, "\\x0f\\xff\\xff\\xff"));
}

TEST(EmitFuzzerDictionary, StringLiteralsComparedWithFieldsAreMined) {
  auto c = planned(R"(
struct S {
  magic: bytes[2] == "\x89P";
  n: u8;
  name: string[n] where name == "MQTT" || name == "MQIsdp";
  id: cstring;
  require id != "-";
})");
  const std::string dict = files_for(*c, "S").dict;
  EXPECT_EQ(entry(dict, "S_magic_P"), "\\x89\\x50") << dict;
  EXPECT_EQ(entry(dict, "S_name_MQTT"), "\\x4d\\x51\\x54\\x54");
  EXPECT_EQ(entry(dict, "S_name_MQIsdp"), "\\x4d\\x51\\x49\\x73\\x64\\x70");
  EXPECT_EQ(entry(dict, "S_id_text"), "\\x2d");
}

TEST(EmitFuzzerDictionary, LetsConditionsAndComputedWhereAreMined) {
  auto c = planned(R"(
struct S {
  afi: u16;
  safi: u8 if afi == 25;
  let max_bits = afi == 1 ? 32 : 128;
  bits: u8 where bits <= max_bits;
  let is_vpn = safi == 128;
})");
  const std::string dict = files_for(*c, "S").dict;
  EXPECT_EQ(entry(dict, "S_afi_25"), "\\x00\\x19") << dict;
  EXPECT_EQ(entry(dict, "S_afi_1"), "\\x00\\x01");
  EXPECT_EQ(entry(dict, "S_bits_32"), "\\x20");
  EXPECT_EQ(entry(dict, "S_bits_128"), "\\x80");
  EXPECT_EQ(entry(dict, "S_safi_128"), "");  // 0x80: already there as S_bits_128
}

TEST(EmitFuzzerDictionary, EnumMembersCarryTheNeighbourTheirByteNeeds) {
  auto c = planned(R"(
enum Type : u4 { CONNECT = 1, PUBREL = 6, SUBSCRIBE = 8, RESERVED = 15 }
struct S {
  type: Type where type != Type.RESERVED;
  flags: u4 where (type == Type.PUBREL || type == Type.SUBSCRIBE) ? flags == 2 : flags == 0;
})");
  const std::string dict = files_for(*c, "S").dict;
  EXPECT_EQ(entry(dict, "S_type_CONNECT"), "\\x10") << dict;
  EXPECT_EQ(entry(dict, "S_type_PUBREL"), "\\x62");
  EXPECT_EQ(entry(dict, "S_type_SUBSCRIBE"), "\\x82");
  EXPECT_EQ(entry(dict, "S_type_RESERVED"), "");  // rejected by its own constraint
  EXPECT_FALSE(holds(dict, "\"\\x60\""));
}

TEST(EmitFuzzerDictionary, AFixedHeaderWithItsMagicIsOneToken) {
  auto c = planned(R"(
struct Block {
  block_type: u32 == 0x0A0D0D0A;
  length: u32;
  magic: u32 where magic == 0x1A2B3C4D || magic == 0x4D3C2B1A;
  body: bytes[length - 12];
})");
  const std::string dict = files_for(*c, "Block").dict;
  EXPECT_EQ(entry(dict, "Block_header"),
            "\\x0a\\x0d\\x0d\\x0a\\x00\\x00\\x00\\x00\\x1a\\x2b\\x3c\\x4d")
      << dict;
}

TEST(EmitFuzzerDictionary, LengthsGetBoundaryValues) {
  auto c = planned(R"(
struct S {
  kind: u8;
  length: u16;
  let body_length = length - 4;
  body: bytes[body_length];
})");
  const std::string dict = files_for(*c, "S").dict;
  EXPECT_EQ(entry(dict, "S_length_length_65535"), "\\xff\\xff") << dict;
  EXPECT_EQ(entry(dict, "S_length_length_65534"), "\\xff\\xfe");
  EXPECT_EQ(entry(dict, "S_length_length_32768"), "\\x80\\x00");
  EXPECT_EQ(entry(dict, "S_length_length_1"), "\\x00\\x01");
  EXPECT_FALSE(holds(dict, "S_kind_length_"));  // not a length
}

// ============================================================ the header comment

TEST(EmitFuzzerHeader, ItPromisesTheRoundTripItChecks) {
  auto c = planned(R"(
struct Exact { n: u8; data: bytes[n]; }
struct Canonical { v: varint; }
struct Remaining { data: bytes[remaining - 2]; trailer: u16; })");
  const FuzzerFiles exact = files_for(*c, "Exact");
  EXPECT_TRUE(holds(exact.source, "//  - serialize(to_value(view)) gives the view's bytes back."))
      << exact.source;
  EXPECT_TRUE(holds(exact.source, "check_round_trip(*parsed, /*exact=*/true, args);"));
  const FuzzerFiles canonical = files_for(*c, "Canonical");
  EXPECT_TRUE(holds(canonical.source, "gives a canonical form")) << canonical.source;
  EXPECT_TRUE(holds(canonical.source, "check_round_trip(*parsed, /*exact=*/false, args);"));
  const FuzzerFiles none = files_for(*c, "Remaining");
  EXPECT_TRUE(holds(none.source, "//  - no round trip: the type has no serializer")) << none.source;
  EXPECT_FALSE(holds(none.source, "check_round_trip("));
  // The mutator needs the serializer too; without one the file says so.
  EXPECT_TRUE(holds(exact.source, "extern \"C\" std::size_t LLVMFuzzerCustomMutator("));
  EXPECT_TRUE(holds(exact.source, "extern \"C\" std::size_t LLVMFuzzerCustomCrossOver("));
  EXPECT_TRUE(holds(exact.source, "  mutator.field(value.data, {}, computed(value.n));"));
  EXPECT_TRUE(holds(exact.source, "  clear_computed(value.n);"));  // a derived length
  EXPECT_FALSE(holds(none.source, "LLVMFuzzerCustomMutator("));
  EXPECT_TRUE(holds(none.source, "// No structure-aware mutator (LLVMFuzzerCustomMutator)"));
  EXPECT_FALSE(holds(none.source, "serialize("));
}

// -max_len from the plan's bound (plan/bounds.hpp): passed by the target itself
// when the bound is finite and at most the cap, plus the argument bytes.
TEST(EmitFuzzerHeader, ItPassesMaxLenWhenTheSchemaBoundsTheInput) {
  auto c = planned(R"(
struct Small { n: u8; data: bytes[n]; }
struct Params(order: endian, n: u16) endian order { m: u8 where m <= n; data: bytes[m]; }
struct Large { n: u32; data: bytes[n]; }
struct Rest { data: bytes[]; })");
  const FuzzerFiles small = files_for(*c, "Small");
  EXPECT_TRUE(holds(small.source, "// Input size: parse() reads at most 256 bytes"))
      << small.source;
  EXPECT_TRUE(holds(small.source, "static char max_len[] = \"-max_len=256\";"));
  EXPECT_TRUE(holds(small.source, "extern \"C\" int LLVMFuzzerInitialize(int* argc"));
  const FuzzerFiles params = files_for(*c, "Params");
  EXPECT_TRUE(holds(params.source, "-max_len=259 (3 argument bytes first)")) << params.source;
  EXPECT_TRUE(holds(params.source, "static char max_len[] = \"-max_len=259\";"));
  const FuzzerFiles large = files_for(*c, "Large");
  EXPECT_TRUE(holds(large.source, "at most 4294967299 bytes, above the kit's cap")) << large.source;
  EXPECT_FALSE(holds(large.source, "LLVMFuzzerInitialize"));
  const FuzzerFiles rest = files_for(*c, "Rest");
  EXPECT_TRUE(holds(rest.source, "parse() may read any number of bytes")) << rest.source;
  EXPECT_FALSE(holds(rest.source, "LLVMFuzzerInitialize"));
}

// The mutator's schema knowledge: integer fields get their width mask first and
// the constants they are compared with (and neighbours); a switch on a field
// gets an arm choice that sets the tag with the arm, and the tag is changed only
// that way; a size that names a length serialize() does not compute keeps it;
// a length passed to an arm's struct is kept while that arm is present; an
// `until` list keeps its last element last.
TEST(EmitFuzzerMutator, ItUsesWhatTheSchemaSaysAboutEachField) {
  auto c = planned(R"(
struct Body(n: u6) { low: u8; }
struct S {
  kind: u2 where kind != 1;
  n: u6;
  v: u8 where v >= 3 && v < 10;
  s: i4;
  t: u4;
  w: u8 where w > n;
  body: switch (kind) {
    case 0 => text: bytes[n];
    case 3 => pointer: Body(n);
    default => other: bytes[2];
  };
}
struct Item { k: u8; }
struct List { items: Item[] until (it.k == 0); })");
  const FuzzerFiles s = files_for(*c, "S");
  EXPECT_TRUE(holds(s.source,
                    "  mutator.field(value.v, {0xff, 0x0, 0x1, 0x2, 0x3, 0x4, 0x9, 0xa, 0xb, 0x7f, "
                    "0x80, 0xff});"))
      << s.source;
  // Signed: the width mask first, then values sign-extended as an int8_t holds them.
  EXPECT_TRUE(holds(
      s.source,
      "mutator.field(value.s, {0xf, 0x0, 0x1, 0x7, 0xfffffffffffffff8, 0xffffffffffffffff});"));
  EXPECT_FALSE(holds(s.source, "mutator.field(value.kind"));  // changed with the arm
  EXPECT_TRUE(holds(s.source, "if (mutator.arm_choice(value.kind)) {  // another arm of body"));
  // The arm chosen anew is a fresh value: completed, and changed once inside half
  // the time (ValueMutator::fresh).
  EXPECT_TRUE(holds(
      s.source, "case 1: set_bits(value.kind, 0x3); mutator.fresh(value.body_pointer.emplace());"));
  EXPECT_TRUE(holds(s.source,
                    "default: set_bits(value.kind, mutator.other_than({0x0, 0x3}, 0x3)); "
                    "mutator.fresh(value.body_other.emplace()); break;"));
  EXPECT_TRUE(holds(s.source, "  mutator.arm(value.body_text, computed(value.n));"));
  EXPECT_TRUE(holds(s.source, "  mutator.arm(value.body_other, false);"));
  EXPECT_TRUE(holds(s.source, "  if (!value.body_pointer) clear_computed(value.n);"));
  EXPECT_TRUE(holds(s.source, "        case 0x3: value.body_pointer.emplace(); break;"));
  // A default value starts at the smallest schema-named value its field's own
  // constraints accept (v >= 3 && v < 10); one that names another field (w > n)
  // cannot be met alone and is left at 0, as is a field 0 already meets (t).
  EXPECT_TRUE(holds(s.source, "  set_bits(value.v, 0x3);\n")) << s.source;
  EXPECT_FALSE(holds(s.source, "set_bits(value.w,"));
  EXPECT_FALSE(holds(s.source, "set_bits(value.t,"));
  const FuzzerFiles list = files_for(*c, "List");
  EXPECT_TRUE(holds(list.source, "  mutator.until_list(value.items);")) << list.source;
}

// serialize() computes a pseudo-header checksum only when given the
// pseudo-header, which neither the target's serialize() nor a parent's passes:
// the mutator keeps the input's (parse() does not verify it) and gives a default
// value 0, instead of emptying it and having every such value rejected. A
// checksum without a pseudo-header is emptied and recomputed as before.
TEST(EmitFuzzerMutator, PseudoHeaderChecksumsAreKept) {
  auto c = planned(R"(
struct Seg { port: u16; sum: u16 checksum internet pseudo; data: bytes[]; }
struct Plain { kind: u8; sum: u16 checksum internet; })");
  const FuzzerFiles seg = files_for(*c, "Seg");
  EXPECT_TRUE(holds(seg.source, "  fill_unset(value.sum);\n")) << seg.source;
  EXPECT_FALSE(holds(seg.source, "clear_computed(value.sum)"));
  const FuzzerFiles plain = files_for(*c, "Plain");
  EXPECT_TRUE(holds(plain.source, "  clear_computed(value.sum);\n")) << plain.source;
  EXPECT_FALSE(holds(plain.source, "fill_unset(value.sum)"));
}

// A recursive arm's value is kept as bytes; the mutator treats them as a place
// of its own: parsed as the arm's struct, changed by that struct's walk_value(),
// serialized again (ValueMutator::nested), and built from nothing when the arm
// is chosen anew (fresh_nested). So a struct reached only through a recursive
// arm has a value walk too; the setter checks still follow the arm's view.
TEST(EmitFuzzerMutator, StructsBehindRecursiveArmsAreChangedAsTheirStruct) {
  auto c = planned(R"(
struct Outer { t: u8; body: switch (t) { case 1 => inner: Inner; default => rest: bytes[]; }; }
struct Inner { k: u8; back: switch (k) { case 1 => outer: Outer; default => rest: bytes[]; }; })");
  const FuzzerFiles outer = files_for(*c, "Outer");
  EXPECT_TRUE(
      holds(outer.source, "void walk_value(::t::OuterValue& value, ValueMutator& mutator) {"))
      << outer.source;
  EXPECT_TRUE(
      holds(outer.source, "void walk_value(::t::InnerValue& value, ValueMutator& mutator) {"))
      << outer.source;
  EXPECT_TRUE(holds(outer.source, "  mutator.nested<::t::Inner>(value.body_inner);"))
      << outer.source;
  EXPECT_TRUE(holds(outer.source,
                    "case 0: set_bits(value.t, 0x1); "
                    "mutator.fresh_nested<::t::Inner>(value.body_inner.emplace()); break;"))
      << outer.source;
  EXPECT_TRUE(holds(outer.source, "void check_setters(::t::InnerMut mut")) << outer.source;
}

}  // namespace
}  // namespace lpc::emit
