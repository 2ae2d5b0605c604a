// The code lpc generates for tests/codegen/backend/schemas/demo/sequences.lps
// (arrays of variable-size elements, `until` arrays, strings, varints), compiled
// and run: values, zero copy, every error with its code, offset and path, every
// truncated prefix, hostile counts and lengths, limits.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "demo/sequences.lp.hpp"
#include "libparse/format.hpp"

namespace {

using namespace demo::sequences;
using Bytes = std::vector<std::uint8_t>;

lp::bytes view(const Bytes& b) { return lp::bytes::from_raw(b.data(), b.size()); }

const std::byte* at(const Bytes& b, std::size_t offset) {
  return reinterpret_cast<const std::byte*>(b.data()) + offset;
}

template <class T>
std::string error_of(const Bytes& b, const lp::ParseOptions& options = {}) {
  const auto r = T::parse(view(b), options);
  if (r) return "parsed";
  return r.error().message();
}

// Every prefix shorter than `ok_from` is truncated (needing at least one byte and
// no more than the whole message has); every longer one parses.
template <class T>
void expect_prefixes(const Bytes& full, std::size_t ok_from) {
  for (std::size_t len = 0; len < full.size(); ++len) {
    const Bytes prefix(full.begin(), full.begin() + static_cast<long>(len));
    const auto r = T::parse(view(prefix));
    if (len >= ok_from) {
      EXPECT_TRUE(r) << "prefix " << len << ": " << r.error().message();
      continue;
    }
    ASSERT_FALSE(r) << "prefix " << len;
    EXPECT_EQ(r.error().code(), lp::errc::truncated)
        << "prefix " << len << ": " << r.error().message();
    EXPECT_GE(r.error().needed(), 1U) << "prefix " << len;
    EXPECT_LE(len + r.error().needed(), full.size())
        << "prefix " << len << ": " << r.error().message();
  }
}

// ------------------------------------------------------------ TLV options

// src_port, data_offset 8 (12 bytes of options), MSS, NOP, NOP, WS, SACK-permitted, EOL, "hi".
Bytes tcp_packet() {
  return {0x12, 0x34, 0x80,        //
          0x02, 0x04, 0x05, 0xB4,  // MSS 1460      @3
          0x01,                    // NOP           @7
          0x01,                    // NOP           @8
          0x03, 0x03, 0x07,        // window scale  @9
          0x04, 0x02,              // SACK ok       @12
          0x00,                    // EOL           @14
          'h',  'i'};
}

TEST(LazyArray, IteratesTlvOptions) {
  const Bytes b = tcp_packet();
  const auto tcp = Tcp::parse(view(b));
  ASSERT_TRUE(tcp) << tcp.error().message();
  const auto options = tcp->options();
  EXPECT_EQ(options.size(), 6U);
  EXPECT_EQ(options.bytes().data(), at(b, 3));  // zero copy
  EXPECT_EQ(options.bytes().size(), 12U);
  const std::uint8_t kinds[] = {2, 1, 1, 3, 4, 0};
  const std::size_t offsets[] = {3, 7, 8, 9, 12, 14};
  std::size_t i = 0;
  for (auto it = options.begin(); it != options.end(); ++it, ++i) {
    const TcpOptionView option = *it;
    EXPECT_EQ(it.index(), i);
    EXPECT_EQ(option.kind(), kinds[i]);
    EXPECT_EQ(option.bytes().data(), at(b, offsets[i]));
  }
  EXPECT_EQ(i, 6U);
  const auto mss = options.front().body_tlv();
  ASSERT_TRUE(mss);
  EXPECT_EQ(mss->length(), 4);
  EXPECT_EQ(mss->data().data(), at(b, 5));
  EXPECT_EQ(mss->data().u8(0), 0x05);
  EXPECT_FALSE(options.front().body_single());
  EXPECT_EQ(tcp->payload().as_string_view(), "hi");
  static_assert(std::forward_iterator<lp::lazy_array<TcpOptionView>::iterator>);
}

TEST(LazyArray, NoOptions) {
  const Bytes b = {0, 1, 0x50, 'x'};
  const auto tcp = Tcp::parse(view(b));
  ASSERT_TRUE(tcp);
  EXPECT_TRUE(tcp->options().empty());
  EXPECT_EQ(tcp->options().begin(), tcp->options().end());
  EXPECT_EQ(tcp->payload().size(), 1U);
}

TEST(LazyArray, TlvErrors) {
  Bytes zero = tcp_packet();
  zero[10] = 0;  // window scale with length 0
  EXPECT_EQ(
      error_of<Tcp>(zero),
      "constraint failed at byte 10: Tcp.options[3].body.TlvBody.length (length >= 2), got 0");
  const auto r = Tcp::parse(view(zero));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field_path(), "Tcp.options[3].body.TlvBody.length");
  ASSERT_EQ(r.error().path_size(), 5U);
  EXPECT_EQ(r.error().path_segment(1), "options");
  EXPECT_TRUE(r.error().path_has_index(1));
  EXPECT_EQ(r.error().path_index(1), 3U);
  EXPECT_FALSE(r.error().path_has_index(2));

  Bytes one = tcp_packet();
  one[10] = 1;  // shorter than its own header
  EXPECT_EQ(
      error_of<Tcp>(one),
      "constraint failed at byte 10: Tcp.options[3].body.TlvBody.length (length >= 2), got 1");

  Bytes over = tcp_packet();
  over[10] = 9;  // runs past the options region: the error names the field that does
  EXPECT_EQ(
      error_of<Tcp>(over),
      "bad length at byte 11: Tcp.options[3].body.TlvBody.data (data_offset * 4 - 20), got 12");
  over[10] = 0xFF;
  EXPECT_EQ(
      error_of<Tcp>(over),
      "bad length at byte 11: Tcp.options[3].body.TlvBody.data (data_offset * 4 - 20), got 12");

  Bytes last = tcp_packet();
  last[14] = 0x05;  // the last byte of the region starts a TLV whose length is outside it
  EXPECT_EQ(
      error_of<Tcp>(last),
      "bad length at byte 15: Tcp.options[5].body.TlvBody.length (data_offset * 4 - 20), got 12");

  Bytes small = tcp_packet();
  small[2] = 0x40;  // data_offset 4
  EXPECT_EQ(error_of<Tcp>(small),
            "constraint failed at byte 2: Tcp.data_offset (data_offset >= 5), got 4");
  small[2] = 0xF0;  // 40 bytes of options, 14 present
  EXPECT_EQ(error_of<Tcp>(small), "truncated at byte 3: Tcp.options, 26 more bytes needed");
}

TEST(LazyArray, EveryPrefix) { expect_prefixes<Tcp>(tcp_packet(), 15); }

TEST(LazyArray, MutableElements) {
  Bytes b = tcp_packet();
  const auto tcp = Tcp::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(b.data()), b.size()));
  ASSERT_TRUE(tcp);
  const auto options = tcp->options_mut();
  EXPECT_EQ(options.size(), 6U);
  for (TcpOptionMut option : options) {
    if (option.kind() != 2) continue;
    option.set_kind(2);
    const auto tlv = option.body_tlv_mut();
    ASSERT_TRUE(tlv);
    tlv->data_mut()[1] = std::byte{0x00};
  }
  EXPECT_EQ(b[6], 0x00);
  EXPECT_EQ(options.mut_bytes().data(), reinterpret_cast<std::byte*>(b.data()) + 3);
}

TEST(LazyArray, Formats) {
  const Bytes b = tcp_packet();
  const auto tcp = Tcp::parse(view(b));
  ASSERT_TRUE(tcp);
  const std::string line = fmt::format("{}", *tcp);
  EXPECT_NE(
      line.find("options: [TcpOption{kind: 2, tlv: TlvBody{length: 4, data: 2 bytes [05 b4]}}, "
                "TcpOption{kind: 1, single: 0 bytes []}"),
      std::string::npos)
      << line;
  const std::string json = fmt::format("{}", lp::json(*tcp));
  EXPECT_NE(json.find("\"options\":[{\"kind\":2,"), std::string::npos) << json;
}

// ------------------------------------------------------------ until with a size

TEST(UntilArray, StopsAtTerminatorInsideRegion) {
  const Bytes b = {8, 0x01, 0x02, 0x04, 0xAA, 0xBB, 0x00, 0xEE, 0xEE, 0x7F};
  const auto v = Ipv4Options::parse(view(b));
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->options().size(), 3U);
  std::vector<int> kinds;
  for (const auto option : v->options()) kinds.push_back(option.kind());
  EXPECT_EQ(kinds, (std::vector<int>{1, 2, 0}));
  EXPECT_EQ(v->options_bytes().data(), at(b, 1));
  EXPECT_EQ(v->options_bytes().size(), 8U);  // the padding after EOL included
  EXPECT_EQ(v->options_bytes().u8(7), 0xEE);
  EXPECT_EQ(v->tail(), 0x7F);
}

TEST(UntilArray, EndOfRegionWithoutTerminator) {
  const Bytes b = {5, 1, 1, 1, 1, 1, 0x7F};
  const auto v = Ipv4Options::parse(view(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->options().size(), 5U);
  EXPECT_EQ(v->tail(), 0x7F);
  const Bytes empty = {0, 0x7F};
  const auto e = Ipv4Options::parse(view(empty));
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->options().empty());
  const Bytes eol = {3, 0, 9, 9, 0x7F};  // EOL first: the rest is padding, never parsed
  const auto p = Ipv4Options::parse(view(eol));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->options().size(), 1U);
}

TEST(UntilArray, ElementCrossingTheRegion) {
  EXPECT_EQ(error_of<Ipv4Options>({3, 2, 4, 0xAA, 0xBB, 0x7F}),
            "bad length at byte 3: Ipv4Options.options[0].body.TlvBody.data (length), got 3");
  EXPECT_EQ(error_of<Ipv4Options>({3, 1, 5, 1, 0x7F}),
            "constraint failed at byte 3: Ipv4Options.options[1].body.TlvBody.length (length >= "
            "2), got 1");
  expect_prefixes<Ipv4Options>({8, 0x01, 0x02, 0x04, 0xAA, 0xBB, 0x00, 0xEE, 0xEE, 0x7F}, 10);
}

TEST(UntilArray, LimitCountsElements) {
  lp::ParseOptions o;
  o.max_elements = 4;
  EXPECT_EQ(error_of<Ipv4Options>({5, 1, 1, 1, 1, 1, 0x7F}, o),
            "limit exceeded at byte 5: Ipv4Options.options (more elements than "
            "ParseOptions::max_elements)");
  o.max_elements = 5;
  EXPECT_EQ(error_of<Ipv4Options>({5, 1, 1, 1, 1, 1, 0x7F}, o), "parsed");
}

// ------------------------------------------------------------ counts and rest

Bytes counted() { return {0x00, 0x03, 2, 'a', 'b', 0, 1, 'c', 0x7F}; }

TEST(LazyArray, ByCount) {
  const Bytes b = counted();
  const auto v = Counted::parse(view(b));
  ASSERT_TRUE(v);
  std::vector<std::string> data;
  for (const RecordView r : v->records()) data.emplace_back(r.data().as_string_view());
  EXPECT_EQ(data, (std::vector<std::string>{"ab", "", "c"}));
  EXPECT_EQ(v->records().bytes().size(), 6U);
  EXPECT_EQ(v->trailer(), 0x7F);
  expect_prefixes<Counted>(b, 9);
}

TEST(LazyArray, HostileCounts) {
  lp::ParseOptions o;
  o.max_elements = 2;
  EXPECT_EQ(error_of<Counted>(counted(), o),
            "limit exceeded at byte 2: Counted.records (more elements than "
            "ParseOptions::max_elements), got 3");
  Bytes huge = counted();
  huge[0] = 0xFF;
  huge[1] = 0xFF;  // 65535 records in 7 bytes: the 4th one (the trailer) wants 127 bytes
  EXPECT_EQ(error_of<Counted>(huge),
            "truncated at byte 9: Counted.records[3].data, 127 more bytes needed");
  Bytes zero_len_tail = counted();
  zero_len_tail[1] = 4;
  zero_len_tail.back() = 0;  // a 4th, empty record, then the trailer is missing
  EXPECT_EQ(error_of<Counted>(zero_len_tail),
            "truncated at byte 9: Counted.trailer, 1 more byte needed");
  // Many zero-size-data records: one pass, bounded by the limit.
  Bytes many = {0x27, 0x10};
  many.resize(2 + 10000, 0);
  many.push_back(0x55);
  const auto v = Counted::parse(view(many));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->records().size(), 10000U);
  std::size_t n = 0;
  for (const auto r : v->records()) n += r.size();
  EXPECT_EQ(n, 10000U);
  EXPECT_EQ(v->trailer(), 0x55);
}

TEST(LazyArray, RestOfBuffer) {
  const Bytes b = {1, 'x', 0, 2, 'y', 'z'};
  const auto v = RestRecords::parse(view(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->records().size(), 3U);
  const auto empty = RestRecords::parse(lp::bytes());
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->records().empty());
  EXPECT_EQ(error_of<RestRecords>({1, 'x', 5, 'a'}),
            "truncated at byte 3: RestRecords.records[1].data, 4 more bytes needed");
  lp::ParseOptions o;
  o.max_elements = 2;
  EXPECT_EQ(error_of<RestRecords>(b, o),
            "limit exceeded at byte 3: RestRecords.records (more elements than "
            "ParseOptions::max_elements)");
  // A depth limit counts the elements' level too.
  lp::ParseOptions shallow;
  shallow.max_depth = 0;
  EXPECT_EQ(error_of<RestRecords>(b, shallow), "too deep at byte 0: RestRecords.records");
}

// ------------------------------------------------------------ until, fixed-size elements

Bytes terminated() { return {0, 1, 0, 2, 0xFF, 0xFF, 1, 2, 0, 9, 0xAA, 0xBB, 0x55}; }

TEST(UntilArray, FixedSizeElements) {
  const Bytes b = terminated();
  const auto v = Terminated::parse(view(b));
  ASSERT_TRUE(v) << v.error().message();
  ASSERT_EQ(v->values().size(), 3U);
  EXPECT_EQ(v->values()[0], 1);
  EXPECT_EQ(v->values()[2], 0xFFFF);
  EXPECT_EQ(v->values_bytes().size(), 6U);
  ASSERT_EQ(v->points().size(), 2U);
  EXPECT_EQ(v->points()[1].y(), 9);
  EXPECT_EQ(v->points_bytes().size(), 6U);
  EXPECT_EQ(v->points_bytes().data(), at(b, 6));
  EXPECT_EQ(v->after(), 0x55);
  expect_prefixes<Terminated>(b, 13);
}

TEST(UntilArray, FixedSizeErrors) {
  EXPECT_EQ(
      error_of<Terminated>({0, 1, 0, 2}),
      "truncated at byte 4: Terminated.values[2] (no terminating element), 2 more bytes needed");
  EXPECT_EQ(error_of<Terminated>({0, 1, 0}),
            "truncated at byte 2: Terminated.values[1], 1 more byte needed");
  // No terminator in the points' region: all three are elements.
  const Bytes b = {0xFF, 0xFF, 1, 1, 2, 2, 3, 3, 0x55};
  const auto v = Terminated::parse(view(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->values().size(), 1U);
  EXPECT_EQ(v->points().size(), 3U);
}

TEST(UntilArray, VariableSizeWithoutSize) {
  const Bytes b = {1, 'x', 0, 9};
  const auto v = UntilEmpty::parse(view(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->records().size(), 2U);
  EXPECT_EQ(v->after(), 9);
  EXPECT_EQ(
      error_of<UntilEmpty>({1, 'x'}),
      "truncated at byte 2: UntilEmpty.records[1] (no terminating element), 1 more byte needed");
  expect_prefixes<UntilEmpty>(b, 4);
}

// ------------------------------------------------------------ strings

Bytes strings() { return {3, 'a', 'b', 'c', 'h', 'i', 0, 0, 'r', 'e', 's', 't'}; }

TEST(Strings, ReadInPlace) {
  const Bytes b = strings();
  const auto v = Strings::parse(view(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->fixed(), "abc");
  EXPECT_EQ(v->name(), "hi");
  EXPECT_EQ(v->label(), "");
  EXPECT_EQ(v->rest(), "rest");
  EXPECT_EQ(static_cast<const void*>(v->name().data()), static_cast<const void*>(at(b, 4)));
  EXPECT_EQ(static_cast<const void*>(v->rest().data()), static_cast<const void*>(at(b, 8)));
  expect_prefixes<Strings>(b, 8);
}

TEST(Strings, MissingNul) {
  EXPECT_EQ(error_of<Strings>({0, 'h', 'i'}),
            "truncated at byte 1: Strings.name (no NUL terminator), 1 more byte needed");
  EXPECT_EQ(error_of<Strings>({0, 0, 'x'}),
            "truncated at byte 2: Strings.label (no NUL terminator), 1 more byte needed");
  EXPECT_EQ(error_of<Strings>({5, 'a'}), "truncated at byte 1: Strings.fixed, 4 more bytes needed");
}

TEST(Strings, FormatAsQuotedText) {
  const Bytes b = {2, '"', 0x01, 'a', 0xE9, 0, 0, 'x'};
  const auto v = Strings::parse(view(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(fmt::format("{}", *v),
            "Strings{n: 2, fixed: \"\\\"\\x01\", name: \"a\\xe9\", label: \"\", rest: \"x\"}");
  // JSON strings follow the project's one rule (format.hpp): 0xE9 alone is not
  // UTF-8, so it is U+FFFD (it was Latin-1's \u00e9 before the rule was one).
  EXPECT_EQ(
      fmt::format("{}", lp::json(*v)),
      "{\"n\":2,\"fixed\":\"\\\"\\u0001\",\"name\":\"a\\ufffd\",\"label\":\"\",\"rest\":\"x\"}");
}

TEST(Strings, MutableBytes) {
  Bytes b = strings();
  const auto v =
      Strings::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(b.data()), b.size()));
  ASSERT_TRUE(v);
  v->name_mut()[0] = std::byte{'H'};
  EXPECT_EQ(v->name(), "Hi");
  EXPECT_EQ(v->name_mut().size(), 2U);
}

// A visitor written before strings existed sees them through on_bytes().
class OldVisitor final : public lp::FieldVisitor {
 public:
  void on_unsigned(std::string_view, std::uint64_t, lp::bytes) override {}
  void on_signed(std::string_view, std::int64_t, lp::bytes) override {}
  void on_float(std::string_view, double, lp::bytes) override {}
  void on_enum(std::string_view, std::uint64_t, std::string_view, lp::bytes) override {}
  void on_bytes(std::string_view name, lp::bytes v) override {
    seen += std::string(name) + "=" + std::string(v.as_string_view()) + ";";
  }
  void begin_struct(std::string_view, std::string_view, lp::bytes) override {}
  void end_struct() override {}
  void begin_array(std::string_view, std::size_t, lp::bytes) override {}
  void end_array() override {}
  std::string seen;
};

TEST(Strings, DefaultOnStringCallsOnBytes) {
  const Bytes b = strings();
  const auto v = Strings::parse(view(b));
  ASSERT_TRUE(v);
  OldVisitor visitor;
  v->visit(visitor);
  EXPECT_EQ(visitor.seen, "fixed=abc;name=hi;label=;rest=rest;");
}

// ------------------------------------------------------------ varints

Bytes varints() { return {0xAC, 0x02, 0x05, 0x40, 0x25, 0x02, 'x', 'y', 0x7E}; }

TEST(Varints, Decode) {
  const Bytes b = varints();
  const auto v = Varints::parse(view(b));
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->a(), 300U);
  EXPECT_EQ(v->b(), -3);
  static_assert(std::is_same_v<decltype(v->b()), std::int64_t>);
  EXPECT_EQ(v->c(), 37U);
  EXPECT_EQ(v->len(), 2U);
  EXPECT_EQ(v->data().as_string_view(), "xy");
  EXPECT_EQ(v->data().data(), at(b, 6));
  EXPECT_EQ(v->tail(), 0x7E);
  EXPECT_EQ(fmt::format("{}", *v),
            "Varints{a: 300, b: -3, c: 37, len: 2, data: 2 bytes [78 79], tail: 126}");
  expect_prefixes<Varints>(b, 9);
}

TEST(Varints, Errors) {
  EXPECT_EQ(error_of<Varints>({0x80, 0x00, 0x05, 0x25, 0x00, 0x7E}),
            "bad value at byte 0: Varints.a (overlong varint)");
  EXPECT_EQ(error_of<Varints>({0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}),
            "bad value at byte 1: Varints.b (varint too long)");
  EXPECT_EQ(error_of<Varints>({0xAC}), "truncated at byte 1: Varints.a, 1 more byte needed");
  EXPECT_EQ(error_of<Varints>({0x01, 0x00, 0x80}),
            "truncated at byte 2: Varints.c, 3 more bytes needed");
  EXPECT_EQ(error_of<Varints>({0x01, 0x00, 0x00, 0x65}),
            "constraint failed at byte 3: Varints.len (len <= 100), got 101");
  EXPECT_EQ(error_of<Varints>({0x01, 0x00, 0x00, 0x64}),
            "truncated at byte 4: Varints.data, 100 more bytes needed");
}

// ------------------------------------------------------------ flags

Bytes flag_bits() { return {0x50, 0x12, 0x82, 0x02, 0x80, 0xAB, 0xCD}; }

TEST(Flags, ValueClass) {
  constexpr TcpFlags synack(TcpFlags::SYN | TcpFlags::ACK);
  static_assert(synack.has(TcpFlags::SYN) && !synack.has(TcpFlags::FIN));
  static_assert(synack.has(TcpFlags::SYN | TcpFlags::ACK));
  static_assert(synack.without(TcpFlags::SYN) == TcpFlags(TcpFlags::ACK));
  static_assert(TcpFlags().with(TcpFlags::NS).raw() == 0x100);
  static_assert(TcpFlags::known_mask == 0x1FF);
  static_assert(std::is_same_v<TcpFlags::raw_type, std::uint16_t>);
  static_assert(Small::A == 0x2 && Small::B == 0x80);
  EXPECT_EQ(to_string(synack), "SYN|ACK");
  EXPECT_EQ(fmt::format("{}", synack), "SYN|ACK");
  EXPECT_EQ(to_string(TcpFlags()), "0");
  EXPECT_EQ(to_string(Small(0x83)), "A|B|0x1");
  EXPECT_EQ(Small(0x83).unknown(), 0x1);
  EXPECT_EQ(to_string(Small(0x40)), "0x40");
}

TEST(Flags, Fields) {
  const Bytes b = flag_bits();
  const auto v = FlagBits::parse(view(b));
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->data_offset(), 5);
  EXPECT_EQ(v->flags(), TcpFlags(TcpFlags::SYN | TcpFlags::ACK));
  EXPECT_TRUE(v->flags().has(TcpFlags::ACK));
  EXPECT_EQ(v->small(), Small(Small::A | Small::B));
  EXPECT_EQ(v->list()[0], Small::A);  // arrays of flags hold raw values
  ASSERT_EQ(v->kind_arm(), FlagBitsView::KindArm::syn);
  EXPECT_EQ(*v->kind_syn(), 0xABCD);
  EXPECT_EQ(fmt::format("{}", *v),
            "FlagBits{data_offset: 5, flags: SYN|ACK, small: A|B, list: [A, B], syn: 43981}");
  EXPECT_EQ(fmt::format("{}", lp::json(*v)),
            "{\"data_offset\":5,\"flags\":\"SYN|ACK\",\"small\":\"A|B\",\"list\":[\"A\",\"B\"],"
            "\"syn\":43981}");
  EXPECT_NE(fmt::format("{:t}", *v).find("flags: SYN|ACK (0x12)"), std::string::npos);

  Bytes ns = flag_bits();
  ns[0] = 0x51;
  ns[1] = 0x10;  // NS|ACK, no SYN: the plain arm
  const auto w = FlagBits::parse(view(ns));
  ASSERT_TRUE(w);
  EXPECT_EQ(to_string(w->flags()), "ACK|NS");
  EXPECT_EQ(w->kind_arm(), FlagBitsView::KindArm::plain);
  EXPECT_EQ(*w->kind_plain(), 0xAB);
}

TEST(Flags, ConstraintAndSetters) {
  Bytes b = flag_bits();
  b[1] = 0x16;  // RST set
  EXPECT_EQ(
      error_of<FlagBits>(b),
      "constraint failed at byte 0 bit 7: FlagBits.flags ((flags & TcpFlags.RST) == 0), got 22");
  b = flag_bits();
  const auto m =
      FlagBits::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(b.data()), b.size()));
  ASSERT_TRUE(m);
  auto mut = *m;
  mut.set_flags(TcpFlags(TcpFlags::NS | TcpFlags::FIN));
  EXPECT_EQ(b[0], 0x51);  // data_offset and the reserved bits kept
  EXPECT_EQ(b[1], 0x01);
  mut.set_small(Small(Small::B));
  EXPECT_EQ(b[2], 0x80);
  mut.list_mut().set(1, Small::A);
  EXPECT_EQ(b[4], 0x02);
  expect_prefixes<FlagBits>(flag_bits(), 7);
}

TEST(FixedArray, ElementErrorsNameTheIndex) {
  EXPECT_EQ(error_of<CheckedArray>({1, 0, 2, 0, 0, 0}),
            "constraint failed at byte 4: CheckedArray.items[2].v (v != 0), got 0");
  EXPECT_EQ(error_of<CheckedArray>({0, 0, 2, 0, 3, 0}),
            "constraint failed at byte 0: CheckedArray.items[0].v (v != 0), got 0");
}

TEST(UntilArray, ConditionArithmeticIsChecked) {
  EXPECT_EQ(error_of<UntilOverflow>({2, 0, 1}),
            "overflow at byte 1: UntilOverflow.vals[1] (it - 1 == 0)");
  const Bytes ok = {2, 1, 9};
  const auto v = UntilOverflow::parse(view(ok));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->vals().size(), 2U);
  EXPECT_EQ(v->vals_bytes().size(), 3U);
}

TEST(Varints, HugeLengths) {
  // len = 2^64 - 1: no wrap-around, the data is simply missing.
  EXPECT_EQ(error_of<Varints>(
                {0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}),
            "constraint failed at byte 3: Varints.len (len <= 100), got 18446744073709551615");
  const Bytes max_quic = {0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00};
  const auto v = Varints::parse(view(max_quic));
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->c(), (std::uint64_t{1} << 62) - 1);
}

}  // namespace
