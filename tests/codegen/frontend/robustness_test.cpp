// lpc never crashes: the whole pipeline (load, sema, layout, emit) in process on
// every prefix of each shipped schema, on byte-level mutations of them, on random
// bytes, and on every broken schema of the diagnostics goldens. Invariants: a run
// either succeeds with headers or reports at least one error, and the diagnostics
// render. Run under LP_SANITIZE for memory errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "driver/compile.hpp"
#include "test_util.hpp"

namespace lpc::driver {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiles `text` as the root schema `name` next to nothing, with the shipped
// schemas as the import folder (so imports of net/... resolve to the real files).
// With `emit` false, the pipeline up to the plan (lpc --check).
void compile_text(const TempDir& dir, const std::string& text, const std::string& what,
                  bool emit = true) {
  const fs::path file = dir.write("fuzz.lps", text);
  Diagnostics diags;
  CompileOptions options;
  options.schemas = {file.string()};
  options.import_dirs = {LP_SCHEMAS_DIR};
  options.emit = emit;
  const CompileResult result = compile(options, diags);
  ASSERT_EQ(result.ok, !diags.has_errors()) << what;
  if (result.ok && emit) {
    ASSERT_EQ(result.headers.size(), 1u) << what;
    EXPECT_FALSE(result.headers[0].text.empty()) << what;
  }
  const std::string rendered = diags.render();
  if (diags.has_errors()) {
    ASSERT_NE(rendered.find("generated."), std::string::npos) << what;
  }
}

const char* const kShipped[] = {"net/ethernet.lps", "net/ipv4.lps", "net/udp.lps"};

TEST(Robustness, ShippedSchemasCompile) {
  for (const char* name : kShipped) {
    Diagnostics diags;
    CompileOptions options;
    options.schemas = {std::string(LP_SCHEMAS_DIR) + "/" + name};
    options.import_dirs = {LP_SCHEMAS_DIR};
    const CompileResult result = compile(options, diags);
    EXPECT_TRUE(result.ok) << name << "\n" << diags.render();
    ASSERT_EQ(result.headers.size(), 1u);
    EXPECT_EQ(result.headers[0].path,
              std::string(name).replace(std::string(name).size() - 4, 4, ".lp.hpp"));
  }
}

TEST(Robustness, EveryPrefixOfTheShippedSchemas) {
  TempDir dir;
  for (const char* name : kShipped) {
    const std::string text = read_file(fs::path(LP_SCHEMAS_DIR) / name);
    ASSERT_FALSE(text.empty()) << name;
    for (std::size_t n = 0; n <= text.size(); ++n) {
      // The emitters see a new declaration only when a prefix ends one ('}' or
      // ';'); the other prefixes that check give them what the last one did, so
      // they stop after the plan (a quarter of the test's time, ten times that
      // under ASan).
      const bool ends_declaration =
          n == text.size() || (n > 0 && (text[n - 1] == '}' || text[n - 1] == ';'));
      compile_text(dir, text.substr(0, n), std::string(name) + " prefix " + std::to_string(n),
                   ends_declaration);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(Robustness, MutatedShippedSchemas) {
  TempDir dir;
  std::mt19937 rng(20240601);  // fixed: failures reproduce
  const std::string alphabet = "{}()[];:,.?=<>!&|^~+-*/%\"_ \n\t0x9aZ\\@\xFF";
  for (const char* name : kShipped) {
    const std::string text = read_file(fs::path(LP_SCHEMAS_DIR) / name);
    for (int round = 0; round < 300; ++round) {
      std::string mutated = text;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !mutated.empty(); ++e) {
        const std::size_t at = rng() % mutated.size();
        switch (rng() % 3) {
          case 0:
            mutated[at] = alphabet[rng() % alphabet.size()];
            break;
          case 1:
            mutated.erase(at, 1 + rng() % 8);
            break;
          default:
            mutated.insert(at, 1, alphabet[rng() % alphabet.size()]);
            break;
        }
      }
      compile_text(dir, mutated, std::string(name) + " mutation " + std::to_string(round));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(Robustness, RandomBytes) {
  TempDir dir;
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(rng() % 512, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    if (round % 2 == 0) bytes = "package fuzz;\n" + bytes;
    compile_text(dir, bytes, "random " + std::to_string(round));
    if (HasFatalFailure()) return;
  }
}

TEST(Robustness, BrokenSchemasOfTheGoldens) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(LP_DIAGNOSTICS_DIR)) {
    if (entry.path().extension() != ".lps") continue;
    ++count;
    Diagnostics diags;
    CompileOptions options;
    options.schemas = {entry.path().string()};
    const CompileResult result = compile(options, diags);
    EXPECT_FALSE(result.ok) << entry.path() << ": every golden schema is broken";
    EXPECT_TRUE(diags.has_errors()) << entry.path();
  }
  EXPECT_GE(count, 10u);
}

}  // namespace
}  // namespace lpc::driver
