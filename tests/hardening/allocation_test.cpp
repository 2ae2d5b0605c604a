// "Never a large allocation": every hardening input of this suite (the rows of
// lengths_test, tlv_test and limits_test, the samples of edges_test with all
// their prefixes), parsed again with a counting global operator new, must not
// allocate at all, whether it parses or fails. The replacement functions below
// count every allocation of this binary (all forms, as bench/alloc_counter.cpp
// does); the tests read the counter around the parse call only (GoogleTest and
// the test's own vectors allocate).
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include "hardening.hpp"

namespace {

std::atomic<std::uint64_t> allocations{0};

void* allocate(std::size_t size) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  const auto align = static_cast<std::size_t>(alignment);
  // aligned_alloc wants a size that is a multiple of the alignment.
  return std::aligned_alloc(align, (size + align - 1) / align * align);
}

void* allocate_or_throw(std::size_t size) {
  if (void* p = allocate(size)) return p;
  throw std::bad_alloc();
}

void* allocate_aligned_or_throw(std::size_t size, std::align_val_t alignment) {
  if (void* p = allocate_aligned(size, alignment)) return p;
  throw std::bad_alloc();
}

}  // namespace

// GCC -O2 inlines a new/delete pair, sees malloc'd memory reach `free` through
// `operator delete` and warns (-Wmismatched-new-delete): a false positive for
// replacement functions that pair malloc with free, as these do.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) { return allocate_or_throw(size); }
void* operator new[](std::size_t size) { return allocate_or_throw(size); }
void* operator new(std::size_t size, std::align_val_t alignment) {
  return allocate_aligned_or_throw(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate_aligned_or_throw(size, alignment);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_aligned(size, alignment);
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace hardening {
namespace {

// Allocations made by one parse; `ok` says whether it succeeded (so the
// compiler cannot drop the call).
std::uint64_t allocations_of(ParseFn parse, lp::bytes input, const lp::ParseOptions& options,
                             bool& ok) {
  const std::uint64_t before = allocations.load(std::memory_order_relaxed);
  const auto result = parse(input, options);
  const std::uint64_t after = allocations.load(std::memory_order_relaxed);
  ok = result.has_value();
  return after - before;
}

TEST(Allocation, CounterCountsEveryForm) {
  const std::uint64_t before = allocations.load();
  ::operator delete(::operator new(16));
  ::operator delete[](::operator new[](16));
  ::operator delete (::operator new (64, std::align_val_t{64}), std::align_val_t{64});
  ::operator delete(::operator new(16, std::nothrow));
  EXPECT_EQ(allocations.load() - before, 4u);
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
