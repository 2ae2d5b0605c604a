// checked.hpp: every operator's failure cases, propagation, the short-circuit
// helpers and the signed/unsigned conversions.
#include <libparse/checked.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <limits>

namespace {

using lp::ci64;
using lp::cu64;
constexpr std::uint64_t umax = std::numeric_limits<std::uint64_t>::max();
constexpr std::int64_t imax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t imin = std::numeric_limits<std::int64_t>::min();

// ok() and value() in one assertion-friendly string.
template <class T>
bool is(lp::checked<T> c, T v) {
  return c.ok() && c.value() == v;
}

TEST(Checked, Construction) {
  EXPECT_TRUE(is(cu64(5), std::uint64_t{5}));
  EXPECT_TRUE(is(cu64(std::uint8_t{200}), std::uint64_t{200}));
  EXPECT_FALSE(cu64(-1).ok());    // a negative int does not fit unsigned
  EXPECT_FALSE(ci64(umax).ok());  // above INT64_MAX does not fit signed
  EXPECT_TRUE(is(ci64(std::uint64_t{imax}), imax));
  EXPECT_TRUE(is(ci64(-7), std::int64_t{-7}));
  EXPECT_FALSE(cu64::failed().ok());
  EXPECT_TRUE(is(cu64(), std::uint64_t{0}));
}

TEST(Checked, UnsignedArithmetic) {
  EXPECT_TRUE(is(cu64(2) + 3, std::uint64_t{5}));
  EXPECT_FALSE((cu64(umax) + 1).ok());
  EXPECT_TRUE(is(cu64(umax - 1) + 1, umax));
  EXPECT_TRUE(is(cu64(10) - 10, std::uint64_t{0}));
  EXPECT_FALSE((cu64(3) - 8).ok());  // below zero: `bytes[length - 8]` with length 3
  EXPECT_TRUE(is(cu64(1ULL << 32) * (1ULL << 31), std::uint64_t{1} << 63));
  EXPECT_FALSE((cu64(1ULL << 32) * (1ULL << 32)).ok());
  EXPECT_TRUE(is(cu64(0) * umax, std::uint64_t{0}));
  EXPECT_TRUE(is(cu64(17) / 5, std::uint64_t{3}));
  EXPECT_TRUE(is(cu64(17) % 5, std::uint64_t{2}));
  EXPECT_FALSE((cu64(1) / 0).ok());
  EXPECT_FALSE((cu64(1) % 0).ok());
  EXPECT_TRUE(is(-cu64(0), std::uint64_t{0}));
  EXPECT_FALSE((-cu64(1)).ok());
  EXPECT_TRUE(is(~cu64(0), umax));
  EXPECT_TRUE(is(cu64(0b1100) & 0b1010, std::uint64_t{0b1000}));
  EXPECT_TRUE(is(cu64(0b1100) | 0b1010, std::uint64_t{0b1110}));
  EXPECT_TRUE(is(cu64(0b1100) ^ 0b1010, std::uint64_t{0b0110}));
}

TEST(Checked, SignedArithmetic) {
  EXPECT_TRUE(is(ci64(-2) + 3, std::int64_t{1}));
  EXPECT_FALSE((ci64(imax) + 1).ok());
  EXPECT_FALSE((ci64(imin) - 1).ok());
  EXPECT_TRUE(is(ci64(3) - 8, std::int64_t{-5}));  // signed may go below zero
  EXPECT_FALSE((ci64(imax) * 2).ok());
  EXPECT_FALSE((ci64(imin) * -1).ok());
  EXPECT_FALSE((ci64(imin) / -1).ok());
  EXPECT_FALSE((ci64(imin) % -1).ok());
  EXPECT_TRUE(is(ci64(-7) / 2, std::int64_t{-3}));  // C++ truncation toward zero
  EXPECT_TRUE(is(ci64(-7) % 2, std::int64_t{-1}));
  EXPECT_FALSE((ci64(5) / 0).ok());
  EXPECT_FALSE((-ci64(imin)).ok());
  EXPECT_TRUE(is(-ci64(imax), -imax));
  EXPECT_TRUE(is(~ci64(0), std::int64_t{-1}));
}

TEST(Checked, Shifts) {
  EXPECT_TRUE(is(cu64(1) << 63, std::uint64_t{1} << 63));
  EXPECT_FALSE((cu64(1) << 64).ok());
  EXPECT_FALSE((cu64(3) << 63).ok());  // a set bit shifted out is an overflow
  EXPECT_TRUE(is(cu64(umax) >> 63, std::uint64_t{1}));
  EXPECT_FALSE((cu64(1) >> 64).ok());
  EXPECT_TRUE(is(cu64(0) << 63, std::uint64_t{0}));
  EXPECT_TRUE(is(ci64(1) << 62, std::int64_t{1} << 62));
  EXPECT_FALSE((ci64(1) << 63).ok());  // would become negative
  EXPECT_FALSE((ci64(-1) << 1).ok());  // negative operands are not shifted
  EXPECT_FALSE((ci64(1) << -1).ok());  // negative shift
  EXPECT_FALSE((ci64(8) >> -1).ok());
  EXPECT_TRUE(is(ci64(-8) >> 1, std::int64_t{-4}));
}

TEST(Checked, ComparisonsAndNot) {
  EXPECT_TRUE(is(cu64(3) == 3, std::uint64_t{1}));
  EXPECT_TRUE(is(cu64(3) != 3, std::uint64_t{0}));
  EXPECT_TRUE(is(cu64(3) < 4, std::uint64_t{1}));
  EXPECT_TRUE(is(cu64(4) <= 4, std::uint64_t{1}));
  EXPECT_TRUE(is(cu64(3) > 4, std::uint64_t{0}));
  EXPECT_TRUE(is(cu64(4) >= 5, std::uint64_t{0}));
  EXPECT_TRUE(is(ci64(-1) < 0, std::int64_t{1}));
  EXPECT_TRUE(is(!cu64(0), std::uint64_t{1}));
  EXPECT_TRUE(is(!cu64(7), std::uint64_t{0}));
  EXPECT_FALSE((cu64::failed() == 0).ok());  // comparing a failure is a failure
  EXPECT_FALSE((!cu64::failed()).ok());
}

TEST(Checked, FailurePropagates) {
  const cu64 bad = cu64(0) - 1;
  ASSERT_FALSE(bad.ok());
  EXPECT_FALSE((bad + 1).ok());
  EXPECT_FALSE((bad * 0).ok());  // even where the value would not matter
  EXPECT_FALSE((cu64(1) - bad).ok());
  EXPECT_FALSE((bad & 0).ok());
  EXPECT_FALSE((bad | 1).ok());
  EXPECT_FALSE((bad ^ 1).ok());
  EXPECT_FALSE((bad >> 1).ok());
  EXPECT_FALSE((bad << 0).ok());
  EXPECT_FALSE((bad / 1).ok());
  EXPECT_FALSE((bad % 1).ok());
  EXPECT_FALSE((~bad).ok());
  EXPECT_FALSE((-bad).ok());
  // A typical length expression: total_length - ihl * 4 with ihl = 15, total 20.
  EXPECT_FALSE((cu64(20) - cu64(15) * 4).ok());
  EXPECT_TRUE(is(cu64(60) - cu64(15) * 4, std::uint64_t{0}));
}

TEST(Checked, ShortCircuitHelpers) {
  const cu64 bad = cu64::failed();
  // `n == 0 || 100 / n > 2` with n == 0: the failing right side is not taken.
  const cu64 n = 0;
  EXPECT_TRUE(is(lp::lor(n == 0, cu64(100) / n > 2), std::uint64_t{1}));
  EXPECT_TRUE(is(lp::land(n != 0, cu64(100) / n > 2), std::uint64_t{0}));
  EXPECT_FALSE(lp::lor(cu64(0), bad).ok());  // right side taken: its failure counts
  EXPECT_FALSE(lp::land(cu64(1), bad).ok());
  EXPECT_FALSE(lp::land(bad, cu64(0)).ok());  // left side is always taken
  EXPECT_FALSE(lp::lor(bad, cu64(1)).ok());
  EXPECT_TRUE(is(lp::land(cu64(5), cu64(7)), std::uint64_t{1}));  // results are 0/1
  EXPECT_TRUE(is(lp::lor(cu64(0), cu64(7)), std::uint64_t{1}));
  EXPECT_TRUE(is(lp::lor(cu64(0), cu64(0)), std::uint64_t{0}));
  EXPECT_TRUE(is(lp::select(cu64(1), cu64(10), bad), std::uint64_t{10}));
  EXPECT_TRUE(is(lp::select(cu64(0), bad, cu64(20)), std::uint64_t{20}));
  EXPECT_FALSE(lp::select(cu64(0), cu64(10), bad).ok());
  EXPECT_FALSE(lp::select(bad, cu64(10), cu64(20)).ok());
  EXPECT_TRUE(is(lp::select(ci64(-1), ci64(1), ci64(2)), std::int64_t{1}));  // any nonzero is true
}

TEST(Checked, SignedUnsignedConversions) {
  EXPECT_TRUE(is(lp::to_signed(cu64(5)), std::int64_t{5}));
  EXPECT_TRUE(is(lp::to_signed(cu64(static_cast<std::uint64_t>(imax))), imax));
  EXPECT_FALSE(lp::to_signed(cu64(static_cast<std::uint64_t>(imax) + 1)).ok());
  EXPECT_FALSE(lp::to_signed(cu64::failed()).ok());
  EXPECT_TRUE(is(lp::to_unsigned(ci64(0)), std::uint64_t{0}));
  EXPECT_TRUE(is(lp::to_unsigned(ci64(imax)), static_cast<std::uint64_t>(imax)));
  EXPECT_FALSE(lp::to_unsigned(ci64(-1)).ok());
  EXPECT_FALSE(lp::to_unsigned(ci64::failed()).ok());
}

TEST(Checked, AddOverflows) {
  std::size_t out = 0;
  EXPECT_FALSE(lp::add_overflows(2, 3, &out));
  EXPECT_EQ(out, 5u);
  EXPECT_TRUE(lp::add_overflows(std::numeric_limits<std::size_t>::max(), 1, &out));
}

TEST(Checked, Constexpr) {
  static_assert((cu64(2) + 3).value() == 5);
  static_assert(!(cu64(2) - 3).ok());
  static_assert(lp::lor(cu64(1), cu64::failed()).ok());
  SUCCEED();
}

}  // namespace
