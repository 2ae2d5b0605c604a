// error.hpp and options.hpp: the exact message formats of the contract, path
// building as errors travel outwards, Result and Status.
#include <libparse/error.hpp>
#include <libparse/options.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "libparse/format.hpp"

namespace {

static_assert(std::is_trivially_copyable_v<lp::Error>);
static_assert(std::is_trivially_destructible_v<lp::Error>);

TEST(Error, MessagesFromTheContract) {
  EXPECT_EQ(fmt::format("{}", lp::Error(lp::errc::constraint_failed, "ihl", 0, 4)
                                  .with_text("ihl >= 5")
                                  .with_actual(3)
                                  .push_outer("Ipv4")),
            "constraint failed at byte 0 bit 4: Ipv4.ihl (ihl >= 5), got 3");
  EXPECT_EQ(
      fmt::format(
          "{}",
          lp::Error(lp::errc::truncated, "total_length", 2).with_needed(17).push_outer("Ipv4")),
      "truncated at byte 2: Ipv4.total_length, 17 more bytes needed");
  EXPECT_EQ(fmt::format("{}", lp::Error(lp::errc::overflow, "payload", 20)
                                  .with_text("total_length - ihl * 4")
                                  .push_outer("Ipv4")),
            "overflow at byte 20: Ipv4.payload (total_length - ihl * 4)");
  // The contract's fourth example reads "no switch arm at byte 12: ..." but the
  // word comes from to_string(errc), and no errc is named "no switch arm".
  EXPECT_EQ(fmt::format("{}", lp::Error(lp::errc::bad_value, "payload", 12)
                                  .with_text("ether_type")
                                  .with_actual(34525)
                                  .push_outer("Ethernet")),
            "bad value at byte 12: Ethernet.payload (ether_type), got 34525");
}

TEST(Error, MessageDetails) {
  const lp::Error e = lp::Error(lp::errc::bad_value, "ether_type", 12).with_actual(0x86DD);
  EXPECT_EQ(fmt::format("{:x}", e), "bad value at byte 12: ether_type, got 0x86dd");
  EXPECT_EQ(e.message(), "bad value at byte 12: ether_type, got 34525");
  EXPECT_EQ(
      fmt::format("{}", lp::Error(lp::errc::constraint_failed, "delta", 3).with_actual_signed(-5)),
      "constraint failed at byte 3: delta, got -5");
  EXPECT_EQ(fmt::format("{}", lp::Error(lp::errc::truncated, "x", 0).with_needed(1)),
            "truncated at byte 0: x, 1 more byte needed");
  EXPECT_EQ(fmt::format("{}", lp::Error(lp::errc::truncated, {}, 7)), "truncated at byte 7");
  EXPECT_EQ(fmt::format("{}", lp::Error(lp::errc::too_deep, "inner", 4, 0)),
            "too deep at byte 4: inner");
  EXPECT_EQ(fmt::format("{}", lp::errc::bad_checksum), "bad checksum");
}

TEST(Error, IoErrorsNameErrno) {
  const lp::Error e =
      lp::Error(lp::errc::io_error, {}, 0).with_text("cannot open").with_actual(ENOENT);
  EXPECT_EQ(fmt::format("{}", e), "I/O error: cannot open (No such file or directory)");
  EXPECT_EQ(fmt::format("{}", lp::Error(lp::errc::io_error, {}, 0).with_text("empty file")),
            "I/O error: empty file");
}

TEST(Error, CodesHaveStableNumbersAndNames) {
  const std::pair<lp::errc, std::string_view> codes[] = {
      {lp::errc::truncated, "truncated"},
      {lp::errc::constraint_failed, "constraint failed"},
      {lp::errc::bad_length, "bad length"},
      {lp::errc::overflow, "overflow"},
      {lp::errc::too_deep, "too deep"},
      {lp::errc::bad_value, "bad value"},
      {lp::errc::limit_exceeded, "limit exceeded"},
      {lp::errc::bad_pointer, "bad pointer"},
      {lp::errc::bad_checksum, "bad checksum"},
      {lp::errc::io_error, "I/O error"},
  };
  int number = 1;
  for (const auto& [code, name] : codes) {
    EXPECT_EQ(static_cast<int>(code), number++) << name;  // never renumbered
    EXPECT_EQ(lp::to_string(code), name);
  }
  EXPECT_EQ(lp::to_string(static_cast<lp::errc>(200)), "unknown error");
}

TEST(Error, Accessors) {
  const lp::Error e =
      lp::Error(lp::errc::constraint_failed, "ihl", 14, 4).with_text("ihl >= 5").with_actual(3);
  EXPECT_EQ(e.code(), lp::errc::constraint_failed);
  EXPECT_EQ(e.byte_offset(), 14u);
  EXPECT_EQ(e.bit_offset(), 4u);
  EXPECT_EQ(e.text(), "ihl >= 5");
  EXPECT_TRUE(e.has_actual());
  EXPECT_EQ(e.actual(), 3u);
  EXPECT_FALSE(e.actual_is_signed());
  EXPECT_EQ(e.needed(), 0u);
  EXPECT_EQ(e.path_size(), 1u);
  EXPECT_EQ(e.field(), "ihl");
  const lp::Error bare(lp::errc::truncated, {}, 0);
  EXPECT_FALSE(bare.has_actual());
  EXPECT_EQ(bare.path_size(), 0u);
  EXPECT_EQ(bare.field(), "");
  EXPECT_EQ(bare.field_path(), "");
}

// As generated code propagates it: Ipv4 fails at its byte 0; Ethernet's payload
// starts at byte 14 of Ethernet's buffer.
TEST(Error, PathAndRebaseAsTheErrorTravelsOutwards) {
  lp::Error e =
      lp::Error(lp::errc::constraint_failed, "ihl", 0, 4).with_text("ihl >= 5").with_actual(3);
  e.push_outer("Ipv4");
  e.rebase(14).push_outer("payload").push_outer("Ethernet");
  EXPECT_EQ(e.field_path(), "Ethernet.payload.Ipv4.ihl");
  EXPECT_EQ(e.path_size(), 4u);
  EXPECT_EQ(e.path_segment(0), "Ethernet");
  EXPECT_EQ(e.path_segment(3), "ihl");
  EXPECT_EQ(e.field(), "ihl");
  EXPECT_EQ(e.byte_offset(), 14u);
  EXPECT_EQ(e.bit_offset(), 4u);
  EXPECT_FALSE(e.path_truncated());
  EXPECT_EQ(e.message(),
            "constraint failed at byte 14 bit 4: Ethernet.payload.Ipv4.ihl (ihl >= 5), got 3");
  e.rebase(100);  // one more level of nesting
  EXPECT_EQ(e.byte_offset(), 114u);
}

TEST(Error, DeepPathsKeepTheInnermostSegments) {
  static const std::string names[] = {"s0",  "s1",  "s2",  "s3",  "s4",  "s5",  "s6",
                                      "s7",  "s8",  "s9",  "s10", "s11", "s12", "s13",
                                      "s14", "s15", "s16", "s17", "s18", "s19"};
  lp::Error e(lp::errc::truncated, "leaf", 0);
  for (const std::string& n : names) e.push_outer(n);  // 21 segments in all
  EXPECT_EQ(e.path_size(), lp::Error::max_path);
  EXPECT_TRUE(e.path_truncated());
  EXPECT_EQ(e.field(), "leaf");  // what failed is never dropped
  EXPECT_EQ(e.path_segment(0), "s14");
  EXPECT_EQ(e.field_path(), "\xE2\x80\xA6.s14.s13.s12.s11.s10.s9.s8.s7.s6.s5.s4.s3.s2.s1.s0.leaf");
  EXPECT_EQ(e.message(), "truncated at byte 0: " + e.field_path());
  // Exactly max_path segments: nothing dropped.
  lp::Error full(lp::errc::truncated, "leaf", 0);
  for (std::size_t i = 0; i + 1 < lp::Error::max_path; ++i) full.push_outer(names[i]);
  EXPECT_EQ(full.path_size(), lp::Error::max_path);
  EXPECT_FALSE(full.path_truncated());
}

TEST(Error, CopiesAreIndependentValues) {
  lp::Error a(lp::errc::truncated, "x", 1);
  lp::Error b = a;
  b.push_outer("Outer").rebase(5);
  EXPECT_EQ(a.field_path(), "x");
  EXPECT_EQ(a.byte_offset(), 1u);
  EXPECT_EQ(b.field_path(), "Outer.x");
}

TEST(Error, Constexpr) {
  constexpr lp::Error e = lp::Error(lp::errc::overflow, "len", 3).with_text("a + b").rebase(2);
  static_assert(e.byte_offset() == 5);
  static_assert(e.field() == "len");
  SUCCEED();
}

TEST(Result, HoldsAValueOrAnError) {
  lp::Result<int> ok = 42;
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(ok.value(), 42);
  EXPECT_EQ(*ok, 42);
  *ok = 7;
  EXPECT_EQ(ok.value(), 7);

  lp::Result<int> bad = lp::Error(lp::errc::truncated, "x", 0);
  EXPECT_FALSE(bad.has_value());
  EXPECT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(bad.error().code(), lp::errc::truncated);
}

TEST(Result, NonTrivialAndMoveOnlyValues) {
  lp::Result<std::string> s = std::string(100, 'a');  // heap-allocated: a leak shows under ASan
  lp::Result<std::string> copy = s;
  EXPECT_EQ(copy->size(), 100u);
  lp::Result<std::string> err = lp::Error(lp::errc::overflow, "n", 0);
  copy = err;  // value -> error: the string is destroyed
  EXPECT_FALSE(copy.has_value());
  copy = s;  // error -> value
  EXPECT_EQ(*copy, s.value());
  lp::Result<std::string> moved = std::move(copy);
  EXPECT_EQ(moved->size(), 100u);

  lp::Result<std::unique_ptr<int>> p = std::make_unique<int>(5);
  lp::Result<std::unique_ptr<int>> q = std::move(p);
  EXPECT_EQ(**q, 5);
  std::unique_ptr<int> taken = std::move(q).value();
  EXPECT_EQ(*taken, 5);
  static_assert(!std::is_copy_constructible_v<std::unique_ptr<int>>);
}

TEST(Result, ConstAccess) {
  const lp::Result<std::vector<int>> r = std::vector<int>{1, 2, 3};
  EXPECT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[2], 3);
  EXPECT_EQ(r.value().front(), 1);
}

TEST(ResultDeathTest, ValueOnAnErrorAbortsWithTheMessage) {
  const lp::Result<int> bad =
      lp::Error(lp::errc::truncated, "total_length", 2).with_needed(17).push_outer("Ipv4");
  EXPECT_DEATH(static_cast<void>(bad.value()),
               "lp::Result::value\\(\\) on an error: truncated at byte 2: Ipv4.total_length, 17 "
               "more bytes needed");
  const lp::Status st = lp::Error(lp::errc::io_error, {}, 0).with_text("msync failed");
  EXPECT_DEATH(st.value(), "I/O error: msync failed");
}

TEST(Status, OkOrError) {
  const lp::Status ok;
  EXPECT_TRUE(ok.has_value());
  EXPECT_TRUE(static_cast<bool>(ok));
  ok.value();  // does nothing
  const lp::Status bad = lp::Error(lp::errc::bad_checksum, "checksum", 6).with_actual(0xBEEF);
  EXPECT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), lp::errc::bad_checksum);
  EXPECT_EQ(fmt::format("{:x}", bad.error()), "bad checksum at byte 6: checksum, got 0xbeef");
  static_assert(std::is_same_v<lp::Status, lp::Result<void>>);
}

TEST(Error, ChecksumsPrintInHexWithTheExpectedValue) {
  lp::Error e(lp::errc::bad_checksum, "checksum", 10);
  e.push_outer("Ipv4").with_text("internet").with_actual(0xb1e6).with_expected(0x9bad);
  EXPECT_TRUE(e.has_expected());
  EXPECT_EQ(e.expected(), 0x9bad);
  EXPECT_EQ(fmt::format("{}", e),
            "bad checksum at byte 10: Ipv4.checksum (internet), got 0xb1e6, expected 0x9bad");
  // Other codes keep decimal unless asked for hex.
  const lp::Error length =
      lp::Error(lp::errc::bad_length, "length", 4).with_actual(7).with_expected(8);
  EXPECT_EQ(fmt::format("{}", length), "bad length at byte 4: length, got 7, expected 8");
  EXPECT_FALSE(lp::Error(lp::errc::truncated, "x", 0).has_expected());
}

struct Seen {
  std::vector<std::string> calls;
};

void record(void* context, std::string_view type_name, std::string_view field_name,
            const lp::Error& error) {
  static_cast<Seen*>(context)->calls.push_back(
      fmt::format("{}.{}: {}", type_name, field_name, error));
}

TEST(ParseOptions, Defaults) {
  const lp::ParseOptions o;
  EXPECT_EQ(o.max_depth, 64u);
  EXPECT_EQ(o.on_error, nullptr);
  EXPECT_EQ(o.on_error_context, nullptr);
}

TEST(ParseOptions, ErrorHandlerIsAPlainFunctionWithContext) {
  Seen seen;
  lp::ParseOptions o;
  o.on_error = &record;
  o.on_error_context = &seen;
  // What generated code does at each level on the way out.
  lp::Error e = lp::Error(lp::errc::truncated, "ihl", 0).with_needed(1).push_outer("Ipv4");
  o.on_error(o.on_error_context, "Ipv4", "ihl", e);
  e.rebase(14).push_outer("payload").push_outer("Ethernet");
  o.on_error(o.on_error_context, "Ethernet", "payload", e);
  ASSERT_EQ(seen.calls.size(), 2u);
  EXPECT_EQ(seen.calls[0], "Ipv4.ihl: truncated at byte 0: Ipv4.ihl, 1 more byte needed");
  EXPECT_EQ(
      seen.calls[1],
      "Ethernet.payload: truncated at byte 14: Ethernet.payload.Ipv4.ihl, 1 more byte needed");
}

}  // namespace

// A view with a child handed out by reference, and a copy on a temporary, as
// generated views do.
struct ChildOfTemporary {
  int value = 0;
};
struct ParentOfTemporary {
  using stores_child_views = void;
  ChildOfTemporary child_;
  const ChildOfTemporary& child() const& { return child_; }
  ChildOfTemporary child() const&& { return child_; }
};

// Whether `->` applies to an expression of type R (R&: a named Result, R: a temporary).
template <class R>
concept has_arrow = requires(R&& result) {
  std::forward<R>(result).operator->();
};

TEST(Result, TemporaryHandsOutNoReference) {
  using R = lp::Result<ParentOfTemporary>;
  // `->` only on a named Result; `*` and value() move the view out of a temporary.
  static_assert(has_arrow<R&> && has_arrow<const R&>);
  static_assert(!has_arrow<R> && !has_arrow<const R>);
  // A view that stores no children hands out no reference into itself: `->` on
  // a temporary Result of it is fine (`array.at(1)->x()`).
  static_assert(has_arrow<lp::Result<ChildOfTemporary>>);
  static_assert(has_arrow<const lp::Result<ChildOfTemporary>>);
  static_assert(std::is_same_v<decltype(*std::declval<R>()), ParentOfTemporary&&>);
  static_assert(
      std::is_same_v<decltype(std::declval<const R>().value()), const ParentOfTemporary&&>);
  static_assert(std::is_same_v<decltype(std::declval<R>().value().child()), ChildOfTemporary>);
  static_assert(std::is_same_v<decltype((*std::declval<R>()).child()), ChildOfTemporary>);

  const auto make = [] { return R(ParentOfTemporary{ChildOfTemporary{7}}); };
  const ChildOfTemporary copied = make().value().child();  // a copy: the Result is gone
  EXPECT_EQ(copied.value, 7);
  EXPECT_EQ((*make()).child().value, 7);
  const R named = make();
  EXPECT_EQ(&named->child(), &named->child_);  // named: the reference into it
}
