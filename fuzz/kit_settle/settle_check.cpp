// Checks that the generated mutator settles a length that is both the size of a
// switch and the argument of the struct in its arm (settle.lps: Message.length,
// passed to Hello, as TLS's Handshake.length is to ClientHello). serialize()
// cannot work such a length out, so before the mutator settled it every mutation
// that changed the hello's size was rejected and fell back to byte mutation
// (which does nothing without libFuzzer): no changed size parsed.
//   kit_settle_check
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "settle.lp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed);

namespace {

using Input = std::vector<std::uint8_t>;

lp::Result<kit::MessageView> parse(const Input& input) {
  return kit::Message::parse(lp::bytes(input.data(), input.size()));
}

}  // namespace

int main() {
  // Hellos with and without the trailer, names of 0 to 3 bytes.
  const std::vector<Input> seeds = {
      {0x01, 0x00, 0x01, 0x00},
      {0x01, 0x00, 0x03, 0x00, 0xbe, 0xef},
      {0x01, 0x00, 0x04, 0x03, 'a', 'b', 'c'},
      {0x01, 0x00, 0x06, 0x03, 'a', 'b', 'c', 0x12, 0x34},
      {0x01, 0x00, 0x04, 0x01, 'x', 0x00, 0x01},
  };
  for (const Input& seed : seeds) {
    if (!parse(seed) || !parse(seed).value().body_hello()) {
      std::fprintf(stderr, "kit_settle_check: a seed does not parse as a hello\n");
      return 1;
    }
  }
  constexpr std::size_t kMaxSize = 512;
  std::size_t calls = 0;
  std::size_t resized_and_parsed = 0;
  unsigned seed_number = 1;
  for (const Input& original : seeds) {
    for (int round = 0; round < 200; ++round, ++seed_number) {
      Input buffer(kMaxSize);
      std::memcpy(buffer.data(), original.data(), original.size());
      const std::size_t size =
          LLVMFuzzerCustomMutator(buffer.data(), original.size(), kMaxSize, seed_number);
      ++calls;
      const Input output(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
      LLVMFuzzerTestOneInput(output.data(), output.size());  // aborts on a violation
      const auto after = parse(output);
      if (after && after->body_hello() && after->length() != parse(original).value().length()) {
        ++resized_and_parsed;
      }
    }
  }
  std::printf("kit_settle_check: %zu mutations, %zu gave a hello of another size that parses\n",
              calls, resized_and_parsed);
  // 0 before the mutator settled the length; see the commit that added this.
  if (resized_and_parsed * 20 < calls) {
    std::fprintf(stderr, "kit_settle_check: fewer than 1 in 20 mutations resize a hello\n");
    return 1;
  }
  return 0;
}
