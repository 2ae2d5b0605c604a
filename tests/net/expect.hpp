// Checks shared by the protocol tests.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <libparse/libparse.hpp>

namespace lp_test {

// Every prefix shorter than `whole` bytes fails with errc::truncated, at or
// before the cut, asking for at least one and at most `whole - n` more bytes
// (the rest of the field, or of its run of fixed-size fields).
template <class Type>
void expect_every_prefix_truncated(const std::vector<std::uint8_t>& packet, std::size_t whole) {
  ASSERT_LE(whole, packet.size());
  for (std::size_t n = 0; n < whole; ++n) {
    SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
    const auto parsed = Type::parse(lp::bytes(packet.data(), n));
    ASSERT_FALSE(parsed);
    const lp::Error& e = parsed.error();
    EXPECT_EQ(e.code(), lp::errc::truncated) << e;
    EXPECT_LE(e.byte_offset(), n) << e;
    EXPECT_GE(e.needed(), 1u) << e;
    EXPECT_LE(e.needed(), whole - n) << e;
    EXPECT_EQ(e.path_segment(0), Type::View::type_name) << e;
  }
}

}  // namespace lp_test
