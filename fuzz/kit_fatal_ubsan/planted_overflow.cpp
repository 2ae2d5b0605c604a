// A fuzz target with a planted signed overflow, for the test that undefined
// behaviour is fatal under libparse_add_fuzzer()'s sanitizer flags (CMakeLists.txt
// here): the first four input bytes, as a big-endian int32, plus one.
#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const auto bits = static_cast<std::uint32_t>(data[0]) << 24 |
                    static_cast<std::uint32_t>(data[1]) << 16 |
                    static_cast<std::uint32_t>(data[2]) << 8 | static_cast<std::uint32_t>(data[3]);
  const auto value = static_cast<std::int32_t>(bits);
  const std::int32_t next = value + 1;  // overflows for 0x7fffffff: the planted bug
  std::printf("planted_overflow: %d + 1 = %d\n", value, next);
  return 0;
}
