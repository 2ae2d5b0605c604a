// lp_interp_bench: the schema interpreter (codegen/interp, `lpc dump`) against
// the generated views on parse_mix's packets (docs/performance.md, "The
// interpreter"). Each benchmark reads every Ethernet frame of the mix once.
//
//   generated/parse         net::EthernetView::parse: validation only
//   generated/parse_visit   the same, then visit() of every field (the walk
//                           lp::json and the tree make; the visitor counts)
//   interp/parse            Interpreter::parse: validation and the value tree
//   interp/parse_json       the same, then the JSON text (what `lpc dump --json` prints)
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "driver/compile.hpp"
#include "emit/emit_fuzzer.hpp"
#include "interp/interp.hpp"
#include "mix.hpp"
#include "net/ethernet.lp.hpp"

namespace {

constexpr std::size_t kMixPackets = 10'000;
constexpr std::uint32_t kMixSeed = 20240607;  // parse_mix's (bench_main.cpp)

const std::vector<std::vector<std::uint8_t>>& frames() {
  static const auto all = [] {
    std::vector<std::vector<std::uint8_t>> out;
    for (const auto& p : lp_bench::make_mix(kMixPackets, kMixSeed))
      out.push_back(lp_bench::to_wire(p));
    return out;
  }();
  return all;
}

lp::bytes as_bytes(const std::vector<std::uint8_t>& f) {
  return lp::bytes(reinterpret_cast<const std::byte*>(f.data()), f.size());
}

struct Loaded {
  lpc::driver::CompileResult compiled;
  const lpc::ast::StructDecl* decl = nullptr;
};

const Loaded& loaded() {
  static const Loaded* l = [] {
    auto* out = new Loaded;
    lpc::Diagnostics diags;
    lpc::driver::CompileOptions options;
    options.schemas = {std::string(LP_BENCH_SCHEMAS_DIR) + "/net/ethernet.lps"};
    options.import_dirs = {LP_BENCH_SCHEMAS_DIR};
    options.emit = false;
    options.keep_plan = true;
    out->compiled = lpc::driver::compile(options, diags);
    std::string error;
    if (out->compiled.ok)
      out->decl = lpc::emit::find_struct(*out->compiled.program, "Ethernet", error);
    if (out->decl == nullptr) {
      std::fprintf(stderr, "lp_interp_bench: cannot load net/ethernet.lps: %s%s\n",
                   diags.render(false).c_str(), error.c_str());
      std::exit(1);
    }
    return out;
  }();
  return *l;
}

class Counter final : public lp::FieldVisitor {
 public:
  std::uint64_t n = 0;
  void on_unsigned(std::string_view, std::uint64_t v, lp::bytes) override { n += v; }
  void on_signed(std::string_view, std::int64_t, lp::bytes) override { ++n; }
  void on_float(std::string_view, double, lp::bytes) override { ++n; }
  void on_enum(std::string_view, std::uint64_t v, std::string_view, lp::bytes) override { n += v; }
  void on_bytes(std::string_view, lp::bytes v) override { n += v.size(); }
  void begin_struct(std::string_view, std::string_view, lp::bytes) override { ++n; }
  void end_struct() override {}
  void begin_array(std::string_view, std::size_t count, lp::bytes) override { n += count; }
  void end_array() override {}
};

void report(benchmark::State& state) {
  state.counters["packets/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * frames().size()), benchmark::Counter::kIsRate);
}

void generated_parse(benchmark::State& state) {
  for (auto _ : state) {
    std::size_t ok = 0;
    for (const auto& f : frames()) ok += net::EthernetView::parse(as_bytes(f)) ? 1 : 0;
    benchmark::DoNotOptimize(ok);
  }
  report(state);
}

void generated_parse_visit(benchmark::State& state) {
  for (auto _ : state) {
    Counter c;
    for (const auto& f : frames()) {
      const auto v = net::EthernetView::parse(as_bytes(f));
      if (v) v->visit(c);
    }
    benchmark::DoNotOptimize(c.n);
  }
  report(state);
}

void interp_parse(benchmark::State& state) {
  const lpc::interp::Interpreter interpreter(*loaded().compiled.plan);
  for (auto _ : state) {
    std::size_t ok = 0;
    for (const auto& f : frames()) ok += interpreter.parse(*loaded().decl, as_bytes(f)) ? 1 : 0;
    benchmark::DoNotOptimize(ok);
  }
  report(state);
}

void interp_parse_json(benchmark::State& state) {
  const lpc::interp::Interpreter interpreter(*loaded().compiled.plan);
  for (auto _ : state) {
    std::size_t chars = 0;
    for (const auto& f : frames()) {
      const auto r = interpreter.parse(*loaded().decl, as_bytes(f));
      if (r) chars += lpc::interp::to_json(*r).size();
    }
    benchmark::DoNotOptimize(chars);
  }
  report(state);
}

}  // namespace

BENCHMARK(generated_parse)->Name("generated/parse")->Unit(benchmark::kMillisecond);
BENCHMARK(generated_parse_visit)->Name("generated/parse_visit")->Unit(benchmark::kMillisecond);
BENCHMARK(interp_parse)->Name("interp/parse")->Unit(benchmark::kMillisecond);
BENCHMARK(interp_parse_json)->Name("interp/parse_json")->Unit(benchmark::kMillisecond);
int main(int argc, char** argv) {
  // The mix and the checked schema are built before the first timing.
  static_cast<void>(frames());
  static_cast<void>(loaded());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
