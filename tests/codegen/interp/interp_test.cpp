// The interpreter (codegen/interp): on in-memory schemas with values written
// out by hand, then against the generated views of the demo schemas features,
// structure, sequences, language and checksums (tests/codegen/backend/schemas)
// and of the shipped DNS and Ethernet types,
// on seeded random inputs (interp::difference: same outcome, error, JSON,
// hexdump and tree).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend_test_util.hpp"
#include "demo/checksums.lp.hpp"
#include "demo/features.lp.hpp"
#include "demo/language.lp.hpp"
#include "demo/sequences.lp.hpp"
#include "demo/structure.lp.hpp"
#include "driver/compile.hpp"
#include "emit/emit_fuzzer.hpp"
#include "interp/differential.hpp"
#include "interp/interp.hpp"
#include "libparse/format.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"

namespace {

using lpc::interp::Argument;
using lpc::interp::Interpreter;
using lpc::interp::Node;

std::vector<std::byte> bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (const int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

// A schema checked in memory and an interpreter over it.
struct Schema {
  explicit Schema(const std::string& text) : checked(lpc::test::check_text(text)) {
    if (checked->plan == nullptr) {
      std::string all;
      for (const auto& d : checked->diags.all()) all += lpc::test::describe(d) + "\n";
      throw std::runtime_error("schema does not check:\n" + all);
    }
    interpreter = std::make_unique<Interpreter>(*checked->plan);
  }
  lp::Result<Node> parse(const char* type, const std::vector<std::byte>& data,
                         const std::vector<Argument>& args = {},
                         const lp::ParseOptions& options = {}) const {
    return interpreter->parse(checked->structure(type), lp::bytes(data.data(), data.size()), args,
                              options);
  }
  std::string json(const char* type, const std::vector<std::byte>& data,
                   const std::vector<Argument>& args = {}) const {
    const auto r = parse(type, data, args);
    return r ? lpc::interp::to_json(*r) : "error: " + r.error().message();
  }

  std::unique_ptr<lpc::test::Checked> checked;
  std::unique_ptr<Interpreter> interpreter;
};

TEST(Interp, BitFieldsEnumsAndBytes) {
  const Schema s(R"(package t;
endian big;
enum Kind : u4 { A = 1, B = 2 }
struct Head {
  version: u4 == 4;
  kind: Kind;
  length: u16;
  body: bytes[length];
  let twice = length * 2;
  rest: bytes[];
}
)");
  EXPECT_EQ(s.json("Head", bytes_of({0x42, 0, 2, 0xde, 0xad, 9})),
            R"({"version":4,"kind":"B","length":2,"body":"de:ad","twice":4,"rest":"09"})");
  EXPECT_EQ(s.json("Head", bytes_of({0x47, 0, 0})),
            R"({"version":4,"kind":7,"length":0,"body":"","twice":0,"rest":""})");
  EXPECT_EQ(s.json("Head", bytes_of({0x52, 0, 0})),
            "error: constraint failed at byte 0: Head.version (version == 4), got 5");
  EXPECT_EQ(s.json("Head", bytes_of({0x42, 0})),
            "error: truncated at byte 1: Head.length, 1 more byte needed");
  EXPECT_EQ(s.json("Head", bytes_of({0x42, 0, 3, 1})),
            "error: truncated at byte 3: Head.body, 2 more bytes needed");
}

TEST(Interp, TreeAndHexdumpUseTheRuntimeWriters) {
  const Schema s(R"(package t;
endian little;
struct P { x: u16; ys: u8[2]; }
)");
  const auto data = bytes_of({1, 2, 3, 4});
  const auto r = s.parse("P", data);
  ASSERT_TRUE(r);
  EXPECT_EQ(lpc::interp::to_tree(*r), "P (4 bytes)\n  x: 513\n  ys: [3, 4]");
  EXPECT_EQ(lpc::interp::to_hexdump(*r),
            "00000000  01 02 03 04                                       |....|  x@0-1, ys@2-3");
}

TEST(Interp, SwitchArraysAndLimits) {
  const Schema s(R"(package t;
endian big;
struct Item { n: u8 where n != 0xff; }
struct Items { items: Item[] until (it.n == 0); }
struct Msg {
  tag: u8;
  body: switch (tag) {
    case 1 => one: u8;
    case 2 => list: Items;
  };
}
)");
  EXPECT_EQ(s.json("Msg", bytes_of({1, 7})), R"({"tag":1,"one":7})");
  EXPECT_EQ(s.json("Msg", bytes_of({2, 5, 0})), R"({"tag":2,"list":{"items":[{"n":5},{"n":0}]}})");
  EXPECT_EQ(s.json("Msg", bytes_of({3})), "error: bad value at byte 1: Msg.body (tag), got 3");
  EXPECT_EQ(s.json("Msg", bytes_of({2, 5})),
            "error: truncated at byte 2: Msg.body.Items.items[1] (no terminating element), 1 more "
            "byte needed");
  EXPECT_EQ(s.json("Msg", bytes_of({2, 5, 0xff})),
            "error: constraint failed at byte 2: Msg.body.Items.items[1].n (n != 0xff), got 255");
  lp::ParseOptions few;
  few.max_elements = 1;
  const auto data = bytes_of({2, 5, 0});
  const auto limited = s.parse("Msg", data, {}, few);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code(), lp::errc::limit_exceeded);
  lp::ParseOptions shallow;
  shallow.max_depth = 0;
  const auto deep = s.parse("Msg", data, {}, shallow);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().code(), lp::errc::too_deep);
}

TEST(Interp, ParametersAndRunTimeByteOrder) {
  const Schema s(R"(package t;
struct Rec(order: endian, limit: u8) endian order {
  v: u16 where v <= limit;
}
)");
  const auto data = bytes_of({1, 0});
  EXPECT_EQ(s.json("Rec", data, {{"order", 1}, {"limit", 9}}), R"({"v":1})");
  EXPECT_EQ(s.json("Rec", data, {{"order", 0}, {"limit", 9}}),
            "error: constraint failed at byte 0: Rec.v (v <= limit), got 256");
  EXPECT_THROW((void)s.parse("Rec", data, {{"order", 0}}), std::invalid_argument);
  EXPECT_THROW((void)s.parse("Rec", data, {{"order", 2}, {"limit", 1}}), std::invalid_argument);
  EXPECT_THROW((void)s.parse("Rec", data, {{"order", 0}, {"limit", 256}}), std::invalid_argument);
  EXPECT_THROW((void)s.parse("Rec", data, {{"order", 0}, {"limit", 1}, {"x", 1}}),
               std::invalid_argument);
}

TEST(Interp, ChecksumsAreVerifiedOnRequestPseudoHeadersWithTheirSum) {
  const Schema s(R"(package t;
endian big;
struct C { a: u16; sum: u16 checksum internet; }
struct P { a: u16; sum: u16 checksum internet pseudo; }
)");
  const auto& c = s.checked->structure("C");
  EXPECT_TRUE(s.interpreter->unsupported(c, true).empty());
  const auto good = bytes_of({0x12, 0x34, 0xed, 0xcb});  // ~0x1234
  const auto bad = bytes_of({0x12, 0x34, 0, 1});
  EXPECT_TRUE(s.interpreter->parse(c, lp::bytes(good.data(), good.size()), {}, {}, true));
  EXPECT_TRUE(s.interpreter->parse(c, lp::bytes(bad.data(), bad.size())));  // parse() alone
  const auto r = s.interpreter->parse(c, lp::bytes(bad.data(), bad.size()), {}, {}, true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "bad checksum at byte 2: C.sum (internet), got 0x1, expected 0xedcb");

  const auto& p = s.checked->structure("P");
  EXPECT_TRUE(s.interpreter->unsupported(p, false).empty());
  const auto u = s.interpreter->unsupported(p, true);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].location, "t.lps:4");
  EXPECT_NE(u[0].construct.find("P.sum"), std::string::npos);

  // Given the pseudo-header's sum, the checksum starts from it (~(0x0001 + 0x1234)).
  EXPECT_TRUE(s.interpreter->unsupported(p, true, /*pseudo_header_given=*/true).empty());
  lp::InternetChecksum pseudo;
  pseudo.add_u16(0x0001);
  const auto with_pseudo = bytes_of({0x12, 0x34, 0xed, 0xca});
  EXPECT_TRUE(s.interpreter->parse(p, lp::bytes(with_pseudo.data(), with_pseudo.size()), {}, {},
                                   true, &pseudo));
  const auto without = s.interpreter->parse(p, lp::bytes(good.data(), good.size()), {}, {}, true,
                                            &pseudo);  // right only without the pseudo-header
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().message(),
            "bad checksum at byte 2: P.sum (internet), got 0xedcb, expected 0xedca");
}

// ---------------------------------------------------------------- lang2 constructs

TEST(Interp, StringComparisons) {
  const Schema s(R"(package t;
endian big;
struct M {
  n: u8;
  name: string[n] where name == "MQTT" || name == "MQIsdp";
  level: u8 where name == "MQTT" ? level >= 4 : level == 3;
  _: bytes[2] == "\x0D\x0A";
  note: bytes[1] if n == 6 where note != "x";
  id: cstring;
  require id != "" || level == 4;
}
)");
  EXPECT_EQ(s.json("M", bytes_of({4, 'M', 'Q', 'T', 'T', 5, 13, 10, 'a', 0})),
            R"({"n":4,"name":"MQTT","level":5,"id":"a"})");
  EXPECT_EQ(s.json("M", bytes_of({6, 'M', 'Q', 'I', 's', 'd', 'p', 3, 13, 10, 'y', 'b', 0})),
            R"({"n":6,"name":"MQIsdp","level":3,"note":"79","id":"b"})");
  EXPECT_EQ(s.json("M", bytes_of({4, 'M', 'Q', 'T', 'T', 4, 13, 10, 0})),
            R"({"n":4,"name":"MQTT","level":4,"id":""})");
  EXPECT_EQ(s.json("M", bytes_of({4, 'M', 'Q', 'T', 'X', 5})),
            R"(error: constraint failed at byte 1: M.name (name == "MQTT" || name == "MQIsdp"))");
  EXPECT_EQ(
      s.json("M", bytes_of({6, 'M', 'Q', 'I', 's', 'd', 'p', 4, 13, 10})),
      R"(error: constraint failed at byte 7: M.level (name == "MQTT" ? level >= 4 : level == 3), got 4)");
  EXPECT_EQ(s.json("M", bytes_of({4, 'M', 'Q', 'T', 'T', 5, 13, 11, 0})),
            R"(error: constraint failed at byte 6: M._#4 (_ == "\x0D\x0A"))");
  EXPECT_EQ(s.json("M", bytes_of({6, 'M', 'Q', 'I', 's', 'd', 'p', 3, 13, 10, 'x', 0})),
            R"(error: constraint failed at byte 10: M.note (note != "x"))");
  EXPECT_EQ(s.json("M", bytes_of({4, 'M', 'Q', 'T', 'T', 5, 13, 10, 0})),
            R"(error: constraint failed at byte 8: M.id (id != "" || level == 4))");
}

TEST(Interp, CountsAndSizes) {
  const Schema s(R"(package t;
endian big;
struct C {
  k: u8;
  extra: u16[2] if k == 1;
  items: u8[] until (it == 0) where count(items) <= 3;
  text: cstring where size(text) <= 3;
  let total = count(extra) * 1000 + size(extra) * 100 + count(items) * 10 + size(text);
  rest: bytes[];
  require size(rest) == count(items) - 1;
}
)");
  EXPECT_EQ(s.json("C", bytes_of({1, 0, 1, 0, 2, 7, 0, 'a', 'b', 0, 9})),
            R"({"k":1,"extra":[1,2],"items":[7,0],"text":"ab","total":2423,"rest":"09"})");
  EXPECT_EQ(s.json("C", bytes_of({0, 0, 0})),
            R"({"k":0,"items":[0],"text":"","total":11,"rest":""})");
  EXPECT_EQ(s.json("C", bytes_of({0, 1, 2, 3, 0})),
            "error: constraint failed at byte 1: C.items (count(items) <= 3)");
  EXPECT_EQ(s.json("C", bytes_of({0, 0, 'a', 'b', 'c', 0})),
            "error: constraint failed at byte 2: C.text (size(text) <= 3)");
  EXPECT_EQ(s.json("C", bytes_of({0, 0, 0, 5})),
            "error: constraint failed at byte 3: C.rest (size(rest) == count(items) - 1)");
}

TEST(Interp, PaddedCStrings) {
  const Schema s(R"(package t;
endian big;
struct B {
  a: cstring[4];
  n: u8;
  b: cstring[n] where b != "no";
  tail: u8;
}
)");
  EXPECT_EQ(s.json("B", bytes_of({'h', 'i', 0, 'z', 2, 'a', 'b', 9})),
            R"({"a":"hi","n":2,"b":"ab","tail":9})");
  EXPECT_EQ(s.json("B", bytes_of({'a', 'b', 'c', 'd', 3, 0, 'x', 0, 9})),
            R"({"a":"abcd","n":3,"b":"","tail":9})");
  EXPECT_EQ(s.json("B", bytes_of({'a', 'b', 'c', 'd', 3, 'n', 'o', 0, 9})),
            "error: constraint failed at byte 5: B.b (b != \"no\")");
  EXPECT_EQ(s.json("B", bytes_of({'a', 'b', 'c', 'd', 3, 'n'})),
            "error: truncated at byte 5: B.b, 2 more bytes needed");
  EXPECT_EQ(s.json("B", bytes_of({'a', 'b'})),
            "error: truncated at byte 0: B.a, 3 more bytes needed");  // a and n
  const auto data = bytes_of({'h', 'i', 0, 'z', 1, 'q', 9});
  const auto r = s.parse("B", data);
  ASSERT_TRUE(r);
  EXPECT_EQ(
      lpc::interp::to_hexdump(*r),
      "00000000  68 69 00 7a 01 71 09                              |hi.z.q.|  a@0-1, n@4, b@5, "
      "tail@6");
}

TEST(Interp, PeekedFieldsAreNotConsumed) {
  const Schema s(R"(package t;
endian big;
struct One { kind: u8 == 1; value: u8; }
struct P {
  tag: u8;
  kind: u8 peek where kind != 0;
  body: switch (kind) {
    case 1 => one: One;
    default => raw: bytes[];
  };
}
struct Q {
  n: u8;
  data: bytes[n];
  next: u8 peek if n == 0;
  rest: bytes[];
}
)");
  EXPECT_EQ(s.json("P", bytes_of({7, 1, 5})), R"({"tag":7,"kind":1,"one":{"kind":1,"value":5}})");
  EXPECT_EQ(s.json("P", bytes_of({7, 2, 5})), R"({"tag":7,"kind":2,"raw":"02:05"})");
  EXPECT_EQ(s.json("P", bytes_of({7, 0})),
            "error: constraint failed at byte 1: P.kind (kind != 0), got 0");
  EXPECT_EQ(s.json("P", bytes_of({7})), "error: truncated at byte 1: P.kind, 1 more byte needed");
  EXPECT_EQ(s.json("P", bytes_of({7, 1})),
            "error: truncated at byte 2: P.body.One.value, 1 more byte needed");
  EXPECT_EQ(s.json("Q", bytes_of({0, 4, 5})), R"({"n":0,"data":"","next":4,"rest":"04:05"})");
  EXPECT_EQ(s.json("Q", bytes_of({1, 4, 5})), R"({"n":1,"data":"04","rest":"05"})");
  EXPECT_EQ(s.json("Q", bytes_of({0})), "error: truncated at byte 1: Q.next, 1 more byte needed");
}

// ---------------------------------------------------------------- differential

// A schema file compiled from the source tree, as `lpc dump` compiles it.
struct Compiled {
  Compiled(const std::string& dir, const std::string& schema) {
    lpc::Diagnostics diags;
    lpc::driver::CompileOptions options;
    options.schemas = {dir + "/" + schema};
    options.import_dirs = {dir};
    options.emit = false;
    options.keep_plan = true;
    result = lpc::driver::compile(options, diags);
    if (!result.ok) throw std::runtime_error(diags.render(false));
    interpreter = std::make_unique<Interpreter>(*result.plan);
  }
  const lpc::ast::StructDecl& decl(const char* name) const {
    std::string error;
    const auto* d = lpc::emit::find_struct(*result.program, name, error);
    if (d == nullptr) throw std::runtime_error(error);
    return *d;
  }
  lpc::driver::CompileResult result;
  std::unique_ptr<Interpreter> interpreter;
};

// Seeded inputs: mostly small byte values (plausible lengths and tags), some
// sizes past every fixed header. Enough to reach each error of these schemas.
std::vector<std::vector<std::byte>> inputs(std::uint32_t seed, std::size_t count) {
  std::mt19937 rng(seed);
  std::vector<std::vector<std::byte>> out;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t size = rng() % 40;
    std::vector<std::byte> b(size);
    for (auto& x : b) {
      const std::uint32_t r = rng();
      x = static_cast<std::byte>(r % 4 == 0 ? r >> 24 : (r >> 8) % 8);
    }
    out.push_back(std::move(b));
  }
  return out;
}

// Every input through both; returns the accepted count (a test that accepts or
// rejects everything would show it).
// Half the inputs start with `prefix` (a magic number, a plausible header), so
// that types with one get past it.
template <class Parse>
std::size_t agree(const Compiled& c, const char* type, const Parse& generated,
                  const std::vector<Argument>& args = {}, std::initializer_list<int> prefix = {}) {
  std::size_t accepted = 0;
  std::size_t index = 0;
  for (auto data : inputs(static_cast<std::uint32_t>(std::hash<std::string>{}(type)), 400)) {
    if (index++ % 2 == 0 && prefix.size() != 0) {
      const auto head = bytes_of(prefix);
      data.insert(data.begin(), head.begin(), head.end());
    }
    const lp::bytes b(data.data(), data.size());
    const auto g = generated(b);
    const std::string diff =
        lpc::interp::difference(g, c.interpreter->parse(c.decl(type), b, args));
    EXPECT_EQ(diff, "") << type << " on " << fmt::format("{}", b);
    if (!diff.empty()) break;
    accepted += g ? 1 : 0;
  }
  ::testing::Test::RecordProperty(std::string(type) + ".accepted", static_cast<int>(accepted));
  return accepted;
}

#define LP_AGREE(compiled, type, view, ...) \
  agree(                                    \
      compiled, type, [](lp::bytes b) { return view::parse(b); }, {} __VA_OPT__(, ) __VA_ARGS__)

TEST(InterpDifferential, Features) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/features.lps");
  using namespace demo::features;
  LP_AGREE(c, "Point", PointView);
  LP_AGREE(c, "Bits", BitsView);
  LP_AGREE(c, "Numbers", NumbersView);
  EXPECT_GT(LP_AGREE(c, "Message", MessageView, {0xca, 0xfe, 0x12, 0x01, 0, 2, 0, 1, 2, 0, 0, 0}),
            0u);
  LP_AGREE(c, "Difference", DifferenceView);
  LP_AGREE(c, "Link", LinkView);
}

// verify_checksums() after parse(), against the interpreter asked to verify.
TEST(InterpDifferential, Checksums) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/checksums.lps");
  std::size_t verified = 0;
  for (auto data : inputs(7, 400)) {
    if (data.size() > 3) data[0] = std::byte{1};  // a short name: the sum fits more often
    const lp::bytes b(data.data(), data.size());
    lp::Result<demo::TaggedView> g = demo::TaggedView::parse(b);
    if (g) {
      const lp::Status v = g->verify_checksums();
      if (!v) g = v.error();
      verified += v ? 1 : 0;
    }
    const std::string diff =
        lpc::interp::difference(g, c.interpreter->parse(c.decl("Tagged"), b, {}, {}, true));
    ASSERT_EQ(diff, "") << fmt::format("{}", b);
  }
  // Random bytes rarely hold a right sum: one that does, then it through both.
  auto data = bytes_of({1, 'x', 0, 0, 7, 9});
  auto view = demo::TaggedMut::parse(lp::mut_bytes(data.data(), data.size()));
  ASSERT_TRUE(view);
  ASSERT_TRUE(view->update_checksums());
  const lp::bytes b(data.data(), data.size());
  const auto g = demo::TaggedView::parse(b);
  ASSERT_TRUE(g && g->verify_checksums());
  EXPECT_EQ(lpc::interp::difference(g, c.interpreter->parse(c.decl("Tagged"), b, {}, {}, true)),
            "");
  static_cast<void>(verified);
}

TEST(InterpDifferential, Structure) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/structure.lps");
  using namespace demo::structure;
  LP_AGREE(c, "Record", RecordView);
  LP_AGREE(c, "Aligned", AlignedView);
  LP_AGREE(c, "Header", HeaderView);
  LP_AGREE(c, "UsesSigned", UsesSignedView);
  EXPECT_GT(LP_AGREE(c, "FileHeader", FileHeaderView,
                     {0xd4, 0xc3, 0xb2, 0xa1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
            0u);
  EXPECT_GT(LP_AGREE(c, "Capture", CaptureView, {0xa1, 0xb2, 0xc3, 0xd4}), 0u);
  LP_AGREE(c, "Hello", HelloView);
  LP_AGREE(c, "Divided", DividedView);
  agree(c, "Options", [](lp::bytes b) { return OptionsView::parse(b, 8, 1); },
        {{"length", 8}, {"strict", 1}});
  agree(c, "Signed", [](lp::bytes b) { return SignedView::parse(b, -300); },
        {{"bias", static_cast<std::uint64_t>(-300), true}});
  EXPECT_GT(agree(c, "RecordHeader",
                  [](lp::bytes b) { return RecordHeaderView::parse(b, lp::byte_order::little); },
                  {{"order", 1}}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
            0u);
  agree(c, "Packet", [](lp::bytes b) { return PacketView::parse(b, lp::byte_order::big, 5); },
        {{"order", 0}, {"max_length", 5}});
}

TEST(InterpDifferential, Sequences) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/sequences.lps");
  using namespace demo::sequences;
  LP_AGREE(c, "TcpOption", TcpOptionView);
  LP_AGREE(c, "Tcp", TcpView);
  LP_AGREE(c, "Ipv4Options", Ipv4OptionsView);
  LP_AGREE(c, "Counted", CountedView);
  LP_AGREE(c, "RestRecords", RestRecordsView);
  EXPECT_GT(LP_AGREE(c, "Terminated", TerminatedView, {0xff, 0xff, 1, 1, 0, 0}), 0u);
  LP_AGREE(c, "UntilEmpty", UntilEmptyView);
  LP_AGREE(c, "Strings", StringsView);
  LP_AGREE(c, "Varints", VarintsView);
  LP_AGREE(c, "FlagBits", FlagBitsView);
  LP_AGREE(c, "CheckedArray", CheckedArrayView);
  LP_AGREE(c, "UntilOverflow", UntilOverflowView);
}

TEST(InterpDifferential, Language) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/language.lps");
  using namespace demo::language;
  agree(c, "Early", [](lp::bytes b) { return EarlyView::parse(b, 4); }, {{"limit", 4}});
  LP_AGREE(c, "Packet", PacketView);
  LP_AGREE(c, "EntryList", EntryListView);
  EXPECT_GT(LP_AGREE(c, "Vxlan", VxlanView, {8, 0, 0, 0}), 0u);
  LP_AGREE(c, "Ident", IdentView);
  LP_AGREE(c, "Publish", PublishView);
  LP_AGREE(c, "Entry", EntryView);
  // String comparisons.
  EXPECT_GT(LP_AGREE(c, "MqttConnect", MqttConnectView, {0, 4, 'M', 'Q', 'T', 'T'}), 0u);
  EXPECT_GT(LP_AGREE(c, "Magic", MagicView, {0x89, 'P', 'N', 'G', 13, 10}), 0u);
  // count() and size().
  LP_AGREE(c, "Topic", TopicView);
  EXPECT_GT(LP_AGREE(c, "Subscribe", SubscribeView, {0, 1, 3, 1, 'a', 0}), 0u);
  EXPECT_GT(LP_AGREE(c, "Measures", MeasuresView), 0u);
  // cstring[n].
  EXPECT_GT(LP_AGREE(c, "Bootp", BootpView), 0u);
  LP_AGREE(c, "BootpText64", BootpText64View);
  LP_AGREE(c, "BootpText128", BootpText128View);
  // peek: the extended, plain and empty forms of BGP OPEN's parameters.
  LP_AGREE(c, "OptParam", OptParamView);
  LP_AGREE(c, "ExtParam", ExtParamView);
  LP_AGREE(c, "ExtParams", ExtParamsView, {255});
  agree(c, "PlainParams", [](lp::bytes b) { return PlainParamsView::parse(b, 3); },
        {{"length", 3}});
  LP_AGREE(c, "BgpOpen", BgpOpenView, {4, 0, 1, 0, 2, 1, 2, 3, 4, 255, 255});
  EXPECT_GT(
      LP_AGREE(c, "BgpOpen", BgpOpenView, {4, 0, 1, 0, 2, 1, 2, 3, 4, 255, 255, 0, 4, 1, 0, 1}),
      0u);
  EXPECT_GT(LP_AGREE(c, "BgpOpen", BgpOpenView, {4, 0, 1, 0, 2, 1, 2, 3, 4, 3}), 0u);
  EXPECT_GT(LP_AGREE(c, "BgpOpen", BgpOpenView, {4, 0, 1, 0, 2, 1, 2, 3, 4, 0}), 0u);
  LP_AGREE(c, "OneRecord", OneRecordView);
  EXPECT_GT(LP_AGREE(c, "Peeked", PeekedView), 0u);
  EXPECT_GT(LP_AGREE(c, "PeekAfterData", PeekAfterDataView), 0u);
  LP_AGREE(c, "DhcpOptionBody", DhcpOptionBodyView);
  LP_AGREE(c, "DhcpOption", DhcpOptionView);
  LP_AGREE(c, "DhcpOptions", DhcpOptionsView);
  LP_AGREE(c, "Dhcp", DhcpView);
  // carry: an unsigned value from a field, a signed one its own step reads.
  EXPECT_GT(
      agree(c, "NumberedOption", [](lp::bytes b) { return NumberedOptionView::parse(b, 65530, 3); },
            {{"previous", 65530}, {"scale", 3}}),
      0u);
  EXPECT_GT(LP_AGREE(c, "NumberedOptions", NumberedOptionsView, {200, 255}), 0u);
  EXPECT_GT(LP_AGREE(c, "NumberedOptions", NumberedOptionsView, {0, 1, 0x31, 7, 0x10, 0xf0}), 0u);
  agree(c, "Step", [](lp::bytes b) { return StepView::parse(b, -3); },
        {{"position", static_cast<std::uint64_t>(-3), true}});
  EXPECT_GT(LP_AGREE(c, "Walk", WalkView, {100, 100, 0, 2, 0x7f, 1}), 0u);
}

// Random inputs are shorter than BOOTP's fixed fields: whole ones, padded and not.
TEST(InterpDifferential, LanguageLongTexts) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/language.lps");
  using namespace demo::language;
  for (const std::size_t text : {std::size_t{0}, std::size_t{5}, std::size_t{64}}) {
    std::vector<std::byte> data(64, std::byte{0});
    for (std::size_t i = 0; i < text; ++i) data[i] = static_cast<std::byte>('a' + i % 26);
    const lp::bytes b(data.data(), data.size());
    EXPECT_EQ(lpc::interp::difference(BootpText64View::parse(b),
                                      c.interpreter->parse(c.decl("BootpText64"), b)),
              "");
    EXPECT_TRUE(BootpText64View::parse(b));
  }
  std::vector<std::byte> dhcp(1 + 4 + 64 + 128, std::byte{0});
  for (const int v : {0x63, 0x82, 0x53, 0x63, 1, 2, 7, 7, 0, 255}) {
    dhcp.push_back(static_cast<std::byte>(v));
  }
  const lp::bytes b(dhcp.data(), dhcp.size());
  ASSERT_TRUE(DhcpView::parse(b));
  EXPECT_EQ(lpc::interp::difference(DhcpView::parse(b), c.interpreter->parse(c.decl("Dhcp"), b)),
            "");
}

// Every struct of language.lps is one the tests above hold to its generated view.
TEST(InterpDifferential, LanguageCoversEveryStruct) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/language.lps");
  const std::set<std::string> covered = {
      "Early",           "Ident",      "Publish",       "Packet",
      "Entry",           "EntryList",  "Vxlan",         "MqttConnect",
      "Magic",           "Topic",      "Subscribe",     "Measures",
      "Bootp",           "OptParam",   "ExtParam",      "ExtParams",
      "PlainParams",     "BgpOpen",    "OneRecord",     "Peeked",
      "DhcpOptionBody",  "DhcpOption", "DhcpOptions",   "BootpText64",
      "BootpText128",    "Dhcp",       "PeekAfterData", "NumberedOption",
      "NumberedOptions", "Step",       "Walk"};
  std::size_t structs = 0;
  for (const auto& module : c.result.program->modules) {
    if (module->include_path != "demo/language.lps") continue;
    for (const auto& d : module->decls) {
      const auto* s = std::get_if<std::unique_ptr<lpc::ast::StructDecl>>(&d);
      if (s == nullptr) continue;
      ++structs;
      EXPECT_EQ(covered.count((*s)->name), 1u) << (*s)->name << " is not in the differential test";
    }
  }
  EXPECT_EQ(structs, covered.size());
}

// The arguments of a fuzz input: as the generated fuzz kit takes them.
TEST(InterpDifferential, ArgumentsComeFromTheFirstBytes) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/structure.lps");
  // Options(length: u32, strict: u1): four bytes, then one byte cut to one bit.
  auto data = bytes_of({0, 0, 1, 2, 0xff, 9, 8});
  lp::bytes input(data.data(), data.size());
  auto args = lpc::interp::take_arguments(c.decl("Options"), input);
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0].name, "length");
  EXPECT_EQ(args[0].value, 0x102u);
  EXPECT_EQ(args[1].value, 1u);
  EXPECT_FALSE(args[0].is_negative || args[1].is_negative);
  EXPECT_EQ(input.size(), 2u);  // the buffer: 9, 8
  // Signed(bias: i16): sign-extended.
  data = bytes_of({0xfe, 0xd4, 7});
  input = lp::bytes(data.data(), data.size());
  args = lpc::interp::take_arguments(c.decl("Signed"), input);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(static_cast<std::int64_t>(args[0].value), -300);
  EXPECT_TRUE(args[0].is_negative);
  EXPECT_EQ(input.size(), 1u);
  // Small(v: u4): one byte cut to four bits; RecordHeader(order: endian): bit 0.
  data = bytes_of({0xf3});
  input = lp::bytes(data.data(), data.size());
  EXPECT_EQ(lpc::interp::take_arguments(c.decl("Small"), input)[0].value, 3u);
  data = bytes_of({0x03});
  input = lp::bytes(data.data(), data.size());
  EXPECT_EQ(lpc::interp::take_arguments(c.decl("RecordHeader"), input)[0].value, 1u);
  // Too short: missing bytes read as zero (0x0100 from one byte), nothing left.
  data = bytes_of({1});
  input = lp::bytes(data.data(), data.size());
  EXPECT_EQ(lpc::interp::take_arguments(c.decl("Signed"), input)[0].value, 0x100u);
  EXPECT_TRUE(input.empty());
  // No parameters: nothing taken.
  data = bytes_of({1, 2});
  input = lp::bytes(data.data(), data.size());
  EXPECT_TRUE(lpc::interp::take_arguments(c.decl("Point"), input).empty());
  EXPECT_EQ(input.size(), 2u);
}

// The generated parse() given those arguments, and both parsers on fuzz inputs.
TEST(InterpDifferential, OnFuzzInputs) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/structure.lps");
  using namespace demo::structure;
  const auto data = bytes_of({5});
  const lp::bytes b(data.data(), data.size());
  const std::vector<Argument> bias = {{"bias", static_cast<std::uint64_t>(-300), true}};
  const auto signed_view = lpc::interp::parse_generated<Signed>(b, bias);
  ASSERT_TRUE(signed_view);
  EXPECT_EQ(signed_view->value(), -295);
  const std::vector<Argument> order = {{"order", 1}};
  EXPECT_EQ(lpc::interp::parse_generated<RecordHeaderView>(b, order).error().code(),
            lp::errc::truncated);
  EXPECT_THROW((void)lpc::interp::parse_generated<Signed>(b, {}), std::invalid_argument);

  // Options(length 2, strict 1): the require fails; strict 0: accepted.
  for (const auto& input : {bytes_of({0, 0, 0, 2, 1, 7, 7}), bytes_of({0, 0, 0, 2, 0, 7, 7}),
                            bytes_of({0, 0, 0, 9, 0, 7})}) {
    const lp::bytes in(input.data(), input.size());
    EXPECT_EQ(lpc::interp::difference_on_input<Options>(*c.interpreter, c.decl("Options"), in), "");
  }
  lp::ParseOptions shallow;
  shallow.max_depth = 0;
  const auto header = bytes_of({6, 0, 1, 2, 3, 4, 9});
  const lp::bytes h(header.data(), header.size());
  EXPECT_FALSE(HeaderView::parse(h, shallow));
  EXPECT_EQ(lpc::interp::difference_on_input<Header>(*c.interpreter, c.decl("Header"), h, shallow),
            "");
}

// verify_checksums() is compared too, where the interpreter can check it.
TEST(InterpDifferential, OnFuzzInputsWithChecksums) {
  const Compiled c(LP_DEMO_SCHEMAS_DIR, "demo/checksums.lps");
  auto good = bytes_of({1, 'x', 0, 0, 7, 9});
  auto view = demo::TaggedMut::parse(lp::mut_bytes(good.data(), good.size()));
  ASSERT_TRUE(view && view->update_checksums());
  auto bad = good;
  bad[4] = std::byte{8};
  for (const auto* data : {&good, &bad}) {
    const lp::bytes b(data->data(), data->size());
    EXPECT_EQ(lpc::interp::difference_on_input<demo::Tagged>(*c.interpreter, c.decl("Tagged"), b),
              "");
  }
  // What it compares: the generated view's verification against the interpreter's.
  const lp::bytes b(bad.data(), bad.size());
  const auto interpreted = c.interpreter->parse(c.decl("Tagged"), b, {}, {}, true);
  ASSERT_FALSE(interpreted);
  EXPECT_EQ(interpreted.error().code(), lp::errc::bad_checksum);
  // Framed's body sum has a pseudo-header: only parse() is compared.
  const auto framed = bytes_of({3, 0, 0, 0, 1, 0, 0});
  const lp::bytes f(framed.data(), framed.size());
  EXPECT_EQ(lpc::interp::difference_on_input<demo::Framed>(*c.interpreter, c.decl("Framed"), f),
            "");
}

TEST(InterpDifferential, ShippedDnsAndEthernet) {
  const Compiled c(LP_SCHEMAS_DIR, "net/dns.lps");
  // A header with one question; the corpus replays (fuzz_interp_dns_replay) do the rest.
  EXPECT_GT(LP_AGREE(c, "Dns", net::DnsView, {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}), 0u);
  LP_AGREE(c, "DnsTcp", net::DnsTcpView, {0, 17, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
  const Compiled e(LP_SCHEMAS_DIR, "net/ethernet.lps");
  LP_AGREE(e, "Ethernet", net::EthernetView);
}

}  // namespace
