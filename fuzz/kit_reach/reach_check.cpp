// Checks that the generated mutator, given input that does not parse, builds
// values that get past three shapes of reach.lps that it used to miss
// (docs/fuzzing.md, "Run 6"):
//  - a list whose computed length has a minimum (NameList: `length >= 2` over
//    `Name[] size(length)`): a default value's list is empty, its length 0, and
//    serialize() rejected it; now the list gets the elements the minimum asks for;
//  - a recursive arm (Packet.tunnel: a Packet in a Packet), which the value keeps
//    as bytes: an arm chosen anew was empty bytes, which never parse; now it is
//    the bytes of a Packet built from nothing, and later changes parse and
//    serialize it again;
//  - options sized in whole words (`size(words * 4 - 4)`): an inserted option of
//    1 or 3 bytes left no solution for `words`; now the padding after the
//    terminator is fitted.
// Each count was 0 before (measured with the emitter of the commit before the
// one that added this test).
//   kit_reach_check
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "reach.lp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed);

int main() {
  // Inputs that do not parse: empty, one byte, a wrong version, a header whose
  // words leave no room for it.
  const std::vector<std::vector<std::uint8_t>> inputs = {
      {},
      {0x31},
      {0x41, 0x01, 0x00, 0x00},
      {0x30, 0x01, 0x00, 0x00},
  };
  for (const auto& input : inputs) {
    if (kit::Packet::parse(lp::bytes(input.data(), input.size()))) {
      std::fprintf(stderr, "kit_reach_check: an input meant not to parse parses\n");
      return 1;
    }
  }
  constexpr std::size_t kMaxSize = 512;
  constexpr int kRounds = 500;
  std::size_t calls = 0;
  std::size_t parsed = 0;
  std::size_t names = 0;    // a name list (at least one name)
  std::size_t tunnels = 0;  // a packet in a packet that parses
  std::size_t options = 0;  // at least one option that is not END
  unsigned seed = 1;
  for (const auto& input : inputs) {
    for (int round = 0; round < kRounds; ++round, ++seed) {
      std::vector<std::uint8_t> buffer(kMaxSize);
      if (!input.empty()) std::memcpy(buffer.data(), input.data(), input.size());
      const std::size_t size = LLVMFuzzerCustomMutator(buffer.data(), input.size(), kMaxSize, seed);
      ++calls;
      LLVMFuzzerTestOneInput(buffer.data(), size);  // aborts on a violation
      const auto packet = kit::Packet::parse(lp::bytes(buffer.data(), size));
      if (!packet) continue;
      ++parsed;
      if (packet->body_names()) ++names;
      if (packet->body_tunnel()) ++tunnels;
      std::size_t kept = 0;
      for (const auto& option : packet->options()) {
        if (option.kind() != kit::OptionKind::END) ++kept;
      }
      if (kept != 0) ++options;
    }
  }
  std::printf(
      "kit_reach_check: %zu calls on input that does not parse, %zu gave a packet that parses: "
      "%zu with a name list, %zu with a tunnelled packet, %zu with options\n",
      calls, parsed, names, tunnels, options);
  // Half the calls go to byte mutation (nothing without libFuzzer); a value built
  // from nothing gets one to three changes, and one in three arm choices is each
  // arm. 1 in 100 calls for each shape is far below what they reach and far
  // above the 0 of before.
  bool ok = true;
  const auto require = [&](std::size_t count, const char* what) {
    if (count * 100 < calls) {
      std::fprintf(stderr, "kit_reach_check: fewer than 1 in 100 calls gave %s\n", what);
      ok = false;
    }
  };
  require(names, "a packet with a name list");
  require(tunnels, "a packet with a tunnelled packet");
  require(options, "a packet with options");
  return ok ? 0 : 1;
}
