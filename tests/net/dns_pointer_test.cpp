// DNS name compression through the schema's reference (`DnsPointer.target:
// DnsName at offset;`) and lp::PointerChain: chains followed to the end, forward
// pointers, self-pointers, loops, the hop limit, a struct outside the message,
// and errors inside a target, each a clear lp::Error.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "libparse/format.hpp"
#include "net/dns.lp.hpp"

namespace {

// A 12-byte header of zeros, then `body` from offset 12.
// (Sized once: g++ 12 -O2 warns, wrongly, about insert() of an initializer list.)
std::vector<std::uint8_t> message(std::initializer_list<std::uint8_t> body) {
  std::vector<std::uint8_t> m(12 + body.size(), 0);
  std::size_t at = 12;
  for (const std::uint8_t b : body) m[at++] = b;
  return m;
}

net::DnsNameView name_at(const std::vector<std::uint8_t>& m, std::size_t offset) {
  const auto name = net::DnsName::parse(lp::bytes(m).drop_first(offset));
  EXPECT_TRUE(name) << name.error();
  return name ? *name : net::DnsNameView();
}

// The name's text with every pointer followed through `chain`, or the error.
lp::Result<std::string> expand(const net::DnsNameView& start, lp::PointerChain& chain) {
  std::string out;
  net::DnsNameView name = start;
  for (;;) {
    std::optional<net::DnsPointerView> pointer;
    for (const net::DnsLabelView label : name.labels()) {
      if (const auto p = label.body_pointer()) {
        pointer = *p;
      } else if (label.length() != 0) {
        out += std::string(label.body_text()->as_string_view()) + ".";
      }
    }
    if (!pointer) return out.empty() ? std::string(".") : out;
    const auto next = pointer->target(chain);
    if (!next) return next.error();
    name = *next;
  }
}

TEST(DnsPointer, FollowsAChainToTheRoot) {
  const auto m = message({
      0x07, 'e', 'x',  'a',  'm',  'p',  'l', 'e', 0x03, 'c', 'o', 'm', 0x00,  // @12 example.com
      0x03, 'w', 'w',  'w',  0xc0, 0x0c,                                       // @25 www -> @12
      0x01, 'a', 0xc0, 0x19,                                                   // @31 a -> @25
  });
  lp::PointerChain chain(m);
  const auto text = expand(name_at(m, 31), chain);
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text, "a.www.example.com.");
  EXPECT_EQ(chain.hops(), 2u);
  // The target is a view into the message, at the offset.
  lp::PointerChain again(m);
  const net::DnsNameView www = name_at(m, 25);
  std::optional<net::DnsPointerView> p;
  for (const net::DnsLabelView label : www.labels()) {
    if (const auto q = label.body_pointer()) p = *q;
  }
  ASSERT_TRUE(p);
  const auto target = p->target(again);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->bytes().data(), reinterpret_cast<const std::byte*>(m.data()) + 12);
}

TEST(DnsPointer, ForwardPointerIsAnError) {
  const auto m = message({
      0xc0, 0x10,  // @12 -> @16: after itself
      0x00, 0x00,  //
      0x00,        // @16 root
  });
  lp::PointerChain chain(m);
  const auto text = expand(name_at(m, 12), chain);
  ASSERT_FALSE(text);
  const lp::Error& e = text.error();
  EXPECT_EQ(e.code(), lp::errc::bad_pointer);
  EXPECT_EQ(e.field_path(), "DnsPointer.target");
  // DnsPointer starts at the pointer's second byte (the first is the label's kind
  // and the offset's high bits, passed in): counted from the message's start.
  EXPECT_EQ(e.byte_offset(), 13u);
  EXPECT_EQ(e.actual(), 16u);
  EXPECT_EQ(e.message(),
            "bad pointer at byte 13: DnsPointer.target (points forward or at itself), got 16");
  EXPECT_EQ(chain.hops(), 0u);
}

TEST(DnsPointer, PointerToItselfIsAnError) {
  // @12 -> @12. The first hop lands before DnsPointer's own first byte (@13), on
  // the label holding it; the second lands there again.
  const auto m = message({0xc0, 0x0c});
  lp::PointerChain chain(m);
  const auto text = expand(name_at(m, 12), chain);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), lp::errc::bad_pointer);
  EXPECT_EQ(text.error().actual(), 12u);
}

TEST(DnsPointer, LoopIsAnErrorNotAHang) {
  // @12 "x" then a pointer back to @12: the first hop (from @14 to @12) is
  // backwards, the second lands on @12 again.
  const auto m = message({0x01, 'x', 0xc0, 0x0c});
  lp::PointerChain chain(m);
  const auto text = expand(name_at(m, 14), chain);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), lp::errc::bad_pointer);
  EXPECT_EQ(text.error().text(), "does not point before the previous target (a loop)");
  EXPECT_EQ(text.error().byte_offset(), 15u);
  EXPECT_EQ(chain.hops(), 1u);

  // Two names pointing at each other: whichever comes first, one hop goes forward.
  const auto pair = message({0xc0, 0x0e, 0xc0, 0x0c});  // @12 -> @14, @14 -> @12
  lp::PointerChain from_second(pair);
  EXPECT_EQ(expand(name_at(pair, 14), from_second).error().code(), lp::errc::bad_pointer);
  lp::PointerChain from_first(pair);
  EXPECT_EQ(expand(name_at(pair, 12), from_first).error().code(), lp::errc::bad_pointer);
}

// A root label at @12, then `n` bare pointers, each to the one before.
std::vector<std::uint8_t> pointer_ladder(std::size_t n) {
  std::vector<std::uint8_t> m(12, 0);
  m.push_back(0x00);  // @12 root
  std::size_t previous = 12;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t here = m.size();
    m.push_back(static_cast<std::uint8_t>(0xc0 | (previous >> 8)));
    m.push_back(static_cast<std::uint8_t>(previous & 0xff));
    previous = here;
  }
  return m;
}

TEST(DnsPointer, HopLimit) {
  const auto m = pointer_ladder(10);
  const std::size_t last = m.size() - 2;
  lp::PointerChain unlimited(m);  // the default, 64 hops
  const auto text = expand(name_at(m, last), unlimited);
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text, ".");
  EXPECT_EQ(unlimited.hops(), 10u);

  lp::ParseOptions options;
  options.max_pointer_hops = 3;
  lp::PointerChain limited(m, options);
  const auto cut = expand(name_at(m, last), limited);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code(), lp::errc::limit_exceeded);
  EXPECT_EQ(cut.error().field_path(), "DnsPointer.target");
  EXPECT_EQ(cut.error().actual(), 4u);  // the hop that was refused
  EXPECT_EQ(limited.hops(), 3u);
  EXPECT_EQ(lp::ParseOptions().max_pointer_hops, 64u);
}

TEST(DnsPointer, TheLongestChainAMessageCanHold) {
  // 16383 bytes: 8185 pointers in a row, each hop backwards; bounded by the
  // message, whatever max_pointer_hops says.
  const auto m = pointer_ladder(8185);
  lp::PointerChain chain(m, lp::ParseOptions::unlimited());
  const auto text = expand(name_at(m, m.size() - 2), chain);
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(chain.hops(), 8185u);
}

TEST(DnsPointer, ReferringStructOutsideTheMessage) {
  const auto m = message({0x00});
  const auto other = message({0x01, 'x', 0xc0, 0x0c});
  lp::PointerChain chain(m);  // a chain over another message
  const auto text = expand(name_at(other, 14), chain);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), lp::errc::bad_pointer);
  EXPECT_EQ(text.error().text(), "the referring struct is not inside the chain's message");
}

TEST(DnsPointer, ErrorInTheTargetNamesThePathAndTheMessageOffset) {
  const auto m = message({
      0x41, 'x',   // @12: label kind 01 (an extended label): not allowed
      0xc0, 0x0c,  // @14 -> @12
  });
  lp::PointerChain chain(m);
  const auto text = expand(name_at(m, 14), chain);
  ASSERT_FALSE(text);
  const lp::Error& e = text.error();
  EXPECT_EQ(e.code(), lp::errc::constraint_failed);
  EXPECT_EQ(e.field_path(), "DnsPointer.target.DnsName.labels[0].kind");
  EXPECT_EQ(e.byte_offset(), 12u);

  // A target cut by the end of the message asks for more bytes.
  const auto cut = message({0x05, 'a', 'b', 0xc0, 0x0c});  // @12 label of 5, only 2 present
  const auto name = net::DnsName::parse(lp::bytes(cut).drop_first(15));
  ASSERT_TRUE(name);
  lp::PointerChain cut_chain(cut);
  const auto truncated = expand(*name, cut_chain);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code(), lp::errc::truncated);
  EXPECT_EQ(truncated.error().field_path(), "DnsPointer.target.DnsName.labels[0].body");
}

}  // namespace
