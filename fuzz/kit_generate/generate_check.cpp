// Checks that the generated mutator, given input that does not parse, builds
// values from the schema (generate.lps: a magic number, a byte-order mark that is
// one of two, a version with a minimum and a maximum, a length-prefixed body in
// one of three arms) that parse. Before it did, such input went to libFuzzer's
// byte mutation only, which does nothing without libFuzzer: nothing parsed, and
// from an empty corpus a campaign waited for byte mutation to find the magic.
//   kit_generate_check
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <vector>

#include "generate.lp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed);

int main() {
  // Inputs that do not parse: empty, one byte, a wrong magic, a right magic
  // with a version below the minimum.
  const std::vector<std::vector<std::uint8_t>> inputs = {
      {},
      {0x00},
      {0xde, 0xad, 0xbe, 0xef, 0x12, 0x34, 0x02, 0x01, 0x00, 0x04, 0, 0, 0, 0},
      {0x4c, 0x50, 0x4b, 0x54, 0x12, 0x34, 0x01, 0x01, 0x00, 0x04, 0, 0, 0, 0},
  };
  for (const auto& input : inputs) {
    if (kit::Drawing::parse(lp::bytes(input.data(), input.size()))) {
      std::fprintf(stderr, "kit_generate_check: an input meant not to parse parses\n");
      return 1;
    }
  }
  constexpr std::size_t kMaxSize = 512;
  std::size_t calls = 0;
  std::size_t parsed = 0;
  std::set<int> shapes;  // the arms reached: 1 point, 2 path, 0 raw
  unsigned seed = 1;
  for (const auto& input : inputs) {
    for (int round = 0; round < 250; ++round, ++seed) {
      std::vector<std::uint8_t> buffer(kMaxSize);
      if (!input.empty()) std::memcpy(buffer.data(), input.data(), input.size());
      const std::size_t size = LLVMFuzzerCustomMutator(buffer.data(), input.size(), kMaxSize, seed);
      ++calls;
      LLVMFuzzerTestOneInput(buffer.data(), size);  // aborts on a violation
      const auto drawing = kit::Drawing::parse(lp::bytes(buffer.data(), size));
      if (!drawing) continue;
      ++parsed;
      shapes.insert(drawing->body_point() ? 1 : drawing->body_path() ? 2 : 0);
    }
  }
  std::printf(
      "kit_generate_check: %zu calls on input that does not parse, %zu gave a drawing that "
      "parses, %zu of its 3 arms\n",
      calls, parsed, shapes.size());
  // 0 before the mutator built values; see the commit that added this.
  // Half the calls go to byte mutation (nothing without libFuzzer), and the
  // changes made to a built value often break a constraint on purpose.
  if (parsed * 10 < calls) {
    std::fprintf(stderr,
                 "kit_generate_check: fewer than 1 in 10 calls gave a drawing that parses\n");
    return 1;
  }
  if (shapes.size() != 3) {
    std::fprintf(stderr, "kit_generate_check: not every arm of the body was reached\n");
    return 1;
  }
  return 0;
}
