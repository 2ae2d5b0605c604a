// "The hot path never allocates": parsing, errors and their propagation,
// slicing, typed arrays, failed file opens, and formatting into a fixed buffer
// run with a counting global operator new and must not call it.
#include <libparse/libparse.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "test_views.hpp"

namespace {
std::size_t allocations = 0;
}  // namespace

// Replacing the global allocation functions counts every heap allocation in
// the program; tests read the counter around the code under test.
// GCC -O2 inlines a new/delete pair, sees malloc'd memory reach `free` through
// `operator delete` and warns (-Wmismatched-new-delete): a false positive for
// replacement functions that pair malloc with free, as these do.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

// Runs f and returns how many allocations it made.
template <class F>
std::size_t count_allocations(F&& f) {
  const std::size_t before = allocations;
  f();
  return allocations - before;
}

TEST(NoAllocation, CounterWorks) {
  // A direct call: unlike a new-expression, the optimiser may not elide it.
  EXPECT_EQ(count_allocations([] { ::operator delete(::operator new(16)); }), 1u);
}

TEST(NoAllocation, ParseSuccessAndFailure) {
  const std::vector<std::byte> good = {std::byte{0}, std::byte{53}, std::byte{4}, std::byte{210},
                                       std::byte{0}, std::byte{12}, std::byte{0}, std::byte{0},
                                       std::byte{1}, std::byte{2},  std::byte{3}, std::byte{4}};
  std::vector<std::byte> bad = good;
  bad[5] = std::byte{3};
  std::size_t sum = 0;
  EXPECT_EQ(count_allocations([&] {
              const auto ok = lpt::UdpView::parse(good);
              sum += ok->src_port() + ok->payload().size();
              const auto err = lpt::UdpView::parse(bad);
              sum += err.error().byte_offset();
              const auto truncated = lpt::UdpView::parse(lp::bytes(good).first(3));
              sum += truncated.error().needed();
              // Propagation as an enclosing struct would do it.
              lp::Error e = err.error();
              e.rebase(14).push_outer("payload").push_outer("Ethernet");
              sum += e.path_size();
            }),
            0u);
  EXPECT_EQ(sum, 53u + 4u + 4u + 5u + 4u);
}

TEST(NoAllocation, ViewsAndArrays) {
  std::vector<std::byte> buf(64, std::byte{1});
  std::size_t sum = 0;
  EXPECT_EQ(count_allocations([&] {
              const lp::bytes b(buf);
              sum += b.slice(3, 10).size() + b.last(4).size() + b.at(100).error().needed();
              for (const lp::bytes c : lp::chunks(b, 7)) sum += c.size();
              const lp::array_view<lp::be_u32> words(b.drop_first(1));
              for (const auto w : words) sum += w & 1;
              sum += words.at(1000).has_value() ? 1 : 0;
              const lp::struct_array<lpt::PointView> points(b);
              sum += points[3].x() & 1;
              const lp::cu64 n = lp::cu64(b.size()) - 100;
              sum += n.ok() ? 1 : 0;
              sum += lp::read_bits_msb(b.data(), 3, 17) & 1;
            }),
            0u);
  EXPECT_GT(sum, 0u);
}

TEST(NoAllocation, FailedFileOpens) {
  const std::string missing = "/nonexistent/libparse/file";  // the string itself is the caller's
  const std::string dev_null = "/dev/null";
  EXPECT_EQ(count_allocations([&] {
              const auto a = lp::mapped_file::open(missing);
              const auto b = lp::mapped_file::open(dev_null);
              EXPECT_FALSE(a.has_value());
              EXPECT_FALSE(b.has_value());
            }),
            0u);
}

TEST(NoAllocation, FormattingIntoAFixedBuffer) {
  const std::vector<std::byte> buf = {std::byte{0}, std::byte{53}, std::byte{4}, std::byte{210},
                                      std::byte{0}, std::byte{12}, std::byte{0}, std::byte{0},
                                      std::byte{1}, std::byte{2},  std::byte{3}, std::byte{4}};
  const auto udp = lpt::UdpView::parse(buf);
  const lp::Error e =
      lp::Error(lp::errc::truncated, "total_length", 2).with_needed(17).push_outer("Ipv4");
  std::array<char, 512> out{};
  std::size_t written = 0;
  EXPECT_EQ(count_allocations([&] {
              written += fmt::format_to_n(out.data(), out.size(), "{}", *udp).size;
              written += fmt::format_to_n(out.data(), out.size(), "{:t}", *udp).size;
              written += fmt::format_to_n(out.data(), out.size(), "{}", lp::json(*udp)).size;
              written +=
                  fmt::format_to_n(out.data(), out.size(), "{}", lp::hexdump(udp->bytes())).size;
              written += fmt::format_to_n(out.data(), out.size(), "{}", e).size;
            }),
            0u);
  EXPECT_GT(written, 0u);
}

}  // namespace
