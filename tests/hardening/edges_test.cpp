// Buffer edges for every shipped top-level type (samples.cpp): the empty input,
// a 1-byte input, every prefix of a valid sample, and the sample at every
// misalignment 1..15, each against the documented outcome.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "hardening.hpp"
#include "libparse/format.hpp"

namespace hardening {
namespace {

bool is_valid_prefix(const Sample& s, std::size_t n) {
  return n >= s.valid_from ||
         std::find(s.also_valid.begin(), s.also_valid.end(), n) != s.also_valid.end();
}

TEST(Edges, EverySampleParses) {
  const auto all = samples();
  EXPECT_EQ(all.size(), 24u);
  for (const Sample& s : all) {
    SCOPED_TRACE(s.type);
    const auto parsed = s.parse(lp::bytes(s.bytes.data(), s.bytes.size()), {});
    ASSERT_TRUE(parsed) << parsed.error();
    // A sample ends where its type does, but for link-layer trailers and
    // payloads after the header, which the view spans as well.
    EXPECT_EQ(*parsed, s.bytes.size());
  }
}

// Empty and 1-byte inputs: truncated at offset 0 or 1, more bytes needed, the
// path naming the type first. A protobuf Message of no fields is the one
// type for which the empty input is valid (and 1 byte is a cut-off key).
TEST(Edges, EmptyAndOneByteInputs) {
  for (const Sample& s : samples()) {
    SCOPED_TRACE(s.type);
    for (std::size_t n = 0; n <= 1; ++n) {
      SCOPED_TRACE(fmt::format("{} byte(s)", n));
      const auto parsed = s.parse(lp::bytes(s.bytes.data(), n), {});
      if (n == 0 && s.type == "Message") {
        ASSERT_TRUE(parsed) << parsed.error();
        EXPECT_EQ(*parsed, 0u);
        continue;
      }
      ASSERT_FALSE(parsed);
      const lp::Error& e = parsed.error();
      EXPECT_EQ(e.code(), lp::errc::truncated) << e;
      EXPECT_LE(e.byte_offset(), n) << e;
      EXPECT_GT(e.needed(), 0u) << e;
      ASSERT_GE(e.path_size(), 1u) << e;
      EXPECT_EQ(e.path_segment(0), s.type) << e;
    }
  }
}

// Every prefix of every sample: a valid prefix parses within its bytes, any
// other is truncated at an offset inside the prefix, asking for more bytes than
// the prefix has left to give.
TEST(Edges, EveryPrefixOfEverySample) {
  for (const Sample& s : samples()) {
    SCOPED_TRACE(s.type);
    for (std::size_t n = 0; n < s.bytes.size(); ++n) {
      SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
      // A copy of exactly n bytes: reading past it is a heap overflow ASan sees.
      const Bytes prefix(s.bytes.begin(), s.bytes.begin() + static_cast<std::ptrdiff_t>(n));
      const auto parsed = s.parse(lp::bytes(prefix.data(), prefix.size()), {});
      if (is_valid_prefix(s, n)) {
        ASSERT_TRUE(parsed) << parsed.error();
        EXPECT_LE(*parsed, n);
        continue;
      }
      ASSERT_FALSE(parsed) << "parsed " << *parsed << " bytes";
      const lp::Error& e = parsed.error();
      EXPECT_EQ(e.code(), lp::errc::truncated) << e;
      EXPECT_LE(e.byte_offset(), n) << e;
      EXPECT_GT(e.needed(), 0u) << e;
      EXPECT_LE(e.needed(), s.bytes.size() - e.byte_offset()) << e;
      ASSERT_GE(e.path_size(), 1u) << e;
      EXPECT_EQ(e.path_segment(0), s.type) << e;
    }
  }
}

// The same bytes at every address modulo 16: the same size and the same fields
// at the same offsets (protozero's odd-address tests). The storage is 16-aligned.
TEST(Edges, EveryMisalignment) {
  for (const Sample& s : samples()) {
    SCOPED_TRACE(s.type);
    alignas(16) static std::array<std::byte, 2048 + 16> storage;
    ASSERT_LE(s.bytes.size(), 2048u);
    std::memcpy(storage.data(), s.bytes.data(), s.bytes.size());
    const lp::bytes aligned(storage.data(), s.bytes.size());
    const std::string expected = s.describe(aligned);
    ASSERT_EQ(expected.rfind("error", 0), std::string::npos) << expected;
    for (std::size_t shift = 1; shift < 16; ++shift) {
      SCOPED_TRACE(fmt::format("shifted by {}", shift));
      std::memset(storage.data(), 0xa5, storage.size());
      std::memcpy(storage.data() + shift, s.bytes.data(), s.bytes.size());
      const lp::bytes moved(storage.data() + shift, s.bytes.size());
      EXPECT_EQ(s.describe(moved), expected);
      const auto parsed = s.parse(moved, {});
      ASSERT_TRUE(parsed) << parsed.error();
      EXPECT_EQ(*parsed, s.bytes.size());
    }
  }
}

}  // namespace
}  // namespace hardening
