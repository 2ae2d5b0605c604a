// The other include order of cycle_test.cpp: cycle_a's header alone, which
// includes cycle_b's after its own classes.
#include <cstdint>
#include <vector>

#include "demo/cycle_a.lp.hpp"

namespace cycle_test {

// Outer(INNER, 8 bytes) -> Inner(items AA BB, kind OUTER) -> Outer(TAG, 2 bytes) -> Tag 0x1234.
std::vector<std::uint8_t> outer_inner_outer_tag() {
  return {
      0x08, 0x02,        // Outer: length 8, kind INNER
      0x02, 0xAA, 0xBB,  // Inner: count 2, items
      0x01,              // Inner.kind OUTER
      0x02, 0x03,        // Outer: length 2, kind TAG
      0x12, 0x34,        // Tag.id
  };
}

bool parses_with_cycle_a_alone(const std::vector<std::uint8_t>& bytes) {
  const auto outer = demo::Outer::parse(bytes);
  if (!outer) return false;
  const auto inner = outer->body_inner();
  return inner && inner->next_outer() && inner->next_outer()->body_tag();
}

}  // namespace cycle_test
