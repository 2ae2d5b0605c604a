// Differential fuzz target over the test schemas that import each other,
// tests/codegen/backend/schemas/demo/cycle_a.lps and cycle_b.lps (recursive
// arms across files, a reference across the cycle): interp_demo_fuzzer.cpp for
// them, apart because their `demo.Kind` (cycle_kinds.lps) is another than
// serialize.lps's. The first input byte picks the struct in kTypes.
#include <cstddef>
#include <cstdint>

#include "demo/cycle_a.lp.hpp"
#include "demo/cycle_b.lp.hpp"
#include "interp_target.hpp"

namespace {

// Every struct of the two files; the order is the meaning of the first input byte.
constexpr lp_fuzz::TypeTable::Entry kTypes[] = {
    LP_FUZZ_TYPE(demo::Outer),       LP_FUZZ_TYPE(demo::Leaf),
    LP_FUZZ_TYPE(demo::cycle::Tag),  LP_FUZZ_TYPE(demo::cycle::Inner),
    LP_FUZZ_TYPE(demo::cycle::Jump),
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const lp_fuzz::TypeTable types(LP_DEMO_SCHEMA_DIR,
                                        {"demo/cycle_a.lps", "demo/cycle_b.lps"}, kTypes);
  types.run(data, size);
  return 0;
}
