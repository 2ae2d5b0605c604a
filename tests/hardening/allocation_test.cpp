// "Never a large allocation": every hardening input of this suite (the rows of
// lengths_test, tlv_test and limits_test, the samples of edges_test with all
// their prefixes), parsed again with a counting global operator new, must not
// allocate at all, whether it parses or fails. The benchmark's counter
// (bench/alloc_counter.cpp, linked into this binary) replaces every form of
// operator new; the tests read it around the parse call only (GoogleTest and the
// test's own vectors allocate).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "alloc_counter.hpp"  // bench/
#include "hardening.hpp"

namespace hardening {
namespace {

// Allocations made by one parse; `ok` says whether it succeeded (so the
// compiler cannot drop the call).
std::uint64_t allocations_of(ParseFn parse, lp::bytes input, const lp::ParseOptions& options,
                             bool& ok) {
  const std::uint64_t before = lp_bench::heap_allocations();
  const auto result = parse(input, options);
  const std::uint64_t after = lp_bench::heap_allocations();
  ok = result.has_value();
  return after - before;
}

TEST(Allocation, CounterCountsEveryForm) {
  const std::uint64_t before = lp_bench::heap_allocations();
  ::operator delete(::operator new(16));
  ::operator delete[](::operator new[](16));
  ::operator delete (::operator new (64, std::align_val_t{64}), std::align_val_t{64});
  ::operator delete(::operator new(16, std::nothrow));
  EXPECT_EQ(lp_bench::heap_allocations() - before, 4u);
}

void expect_no_allocation(const std::vector<Case>& cases) {
  ASSERT_FALSE(cases.empty());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    bool ok = false;
    EXPECT_EQ(allocations_of(c.parse, lp::bytes(c.input.data(), c.input.size()), c.options, ok),
              0u);
    EXPECT_EQ(ok, c.ok);
  }
}

TEST(Allocation, LengthRows) { expect_no_allocation(length_cases()); }
TEST(Allocation, TlvRows) { expect_no_allocation(tlv_cases()); }
// Pointer chains included: following them allocates nothing either.
TEST(Allocation, LimitRows) { expect_no_allocation(limit_cases()); }

TEST(Allocation, EverySampleAndEveryPrefix) {
  for (const Sample& s : samples()) {
    SCOPED_TRACE(s.type);
    for (std::size_t n = 0; n <= s.bytes.size(); ++n) {
      bool ok = false;
      EXPECT_EQ(allocations_of(s.parse, lp::bytes(s.bytes.data(), n), {}, ok), 0u) << n;
      if (n == s.bytes.size()) {
        EXPECT_TRUE(ok);
      }
    }
  }
}

}  // namespace
}  // namespace hardening
