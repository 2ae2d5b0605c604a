// The command line the benchmark programs of bench/ share: `--lp_smoke` runs
// every registered benchmark for exactly one iteration (their ctest smoke
// tests, never a timing); the other arguments are Google Benchmark's.
#pragma once

#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

namespace lp_bench {

// Removes --lp_smoke from the arguments; true when it was there.
inline bool take_smoke_flag(int& argc, char** argv) {
  bool smoke = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--lp_smoke") == 0) {
      smoke = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return smoke;
}

// Google Benchmark's main over `registered`, each for one iteration if `smoke`.
inline int run_benchmarks(int argc, char** argv,
                          const std::vector<benchmark::internal::Benchmark*>& registered,
                          bool smoke) {
  if (smoke) {
    for (auto* b : registered) b->Iterations(1);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace lp_bench
