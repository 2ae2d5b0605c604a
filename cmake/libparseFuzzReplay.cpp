// The main() of a libparse fuzz target built without a fuzzing engine (any
// compiler): runs LLVMFuzzerTestOneInput once over every file named on the command
// line and every regular file inside every folder named (not recursively, in name
// order), so that ctest replays crash regressions and seed corpora with g++ builds.
// Arguments starting with '-' (libFuzzer flags such as -runs=0) are ignored, so one
// command line serves both kinds of build. Part of libparse_add_fuzzer()
// (libparseFuzz.cmake); installed with the CMake package.
//
// Exit status: 0 when every input ran (a violated invariant aborts the process),
// 1 when a file or folder could not be read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read '%s'\n", file.string().c_str());
    return false;
  }
  const std::vector<char> content((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  // A copy of exactly the input's size, so that AddressSanitizer sees any read past it.
  std::vector<std::uint8_t> input(content.begin(), content.end());
  std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.string().c_str(), input.size());
  LLVMFuzzerTestOneInput(input.data(), input.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  bool ok = true;
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) continue;
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(arg, ec)) {
        if (entry.is_regular_file(ec)) files.push_back(entry.path());
      }
      if (ec) {
        std::fprintf(stderr, "replay: cannot list '%s': %s\n", arg.c_str(), ec.message().c_str());
        ok = false;
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        ok = replay(file) && ok;
        ++count;
      }
    } else {
      ok = replay(arg) && ok;
      ++count;
    }
  }
  std::fprintf(stderr, "replay: %zu input(s) ran\n", count);
  return ok ? 0 : 1;
}
