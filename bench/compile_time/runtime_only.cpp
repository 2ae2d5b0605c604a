// bench/compile_time.sh, the baseline: the runtime headers that generated headers
// include, and nothing generated.
#include <libparse/runtime.hpp>

int main(int argc, char** argv) {
  const lp::bytes buffer(reinterpret_cast<const std::byte*>(argv[0]),
                         static_cast<std::size_t>(argc));
  return buffer.empty() ? 1 : 0;
}
