// version.hpp: the numbers agree with each other.
#include <libparse/version.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "libparse/format.hpp"

namespace {

TEST(Version, StringMatchesTheMacros) {
  EXPECT_EQ(lp::version_string,
            fmt::format("{}.{}.{}", LP_VERSION_MAJOR, LP_VERSION_MINOR, LP_VERSION_PATCH));
  static_assert(lp::runtime_abi == 6);
}

}  // namespace
