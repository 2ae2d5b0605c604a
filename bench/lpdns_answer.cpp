// lpdns_answer_bench: the cost of lpdns's answer() (examples/lpdns) per query,
// with no sockets: the engine's share of a DNS server's time, and what
// bench/dns_load.sh's figures are made of.
//
//   answer/<kind>   one query of that kind answered from a 200-name zone, over
//                   UDP with EDNS (dnsperf's default), into a reused buffer
//   answer/mix      the kinds in turn
//   load_zone       loading the same zone from text
//
// --lp_smoke runs each benchmark for one iteration (the ctest smoke test).
// Before timing, each query is answered once and the program stops (exit 1)
// unless it got a reply: a broken engine cannot produce a fast figure.
#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "answer.hpp"
#include "smoke.hpp"

namespace {

// A zone shaped like tests/lpdns/compare's: hosts with A and AAAA, CNAMEs,
// MX and NS with in-zone targets, a delegation with glue.
std::string zone_text() {
  std::string text =
      "$TTL 3600\n"
      "@ SOA ns1 hostmaster 2024061501 7200 3600 1209600 300\n"
      "  NS ns1\n  NS ns2\n  MX 10 mail\n  A 192.0.2.1\n"
      "ns1 A 192.0.2.53\n    AAAA 2001:db8::53\nns2 A 192.0.2.54\n"
      "mail A 192.0.2.25\n     AAAA 2001:db8::25\n"
      "www CNAME web\nweb A 192.0.2.80\n    A 192.0.2.81\n"
      "sub NS ns1.sub\nns1.sub A 192.0.2.201\n";
  for (int i = 1; i <= 190; ++i) {
    text += fmt::format("host{:03} A 203.0.113.{}\n", i, i % 250);
    if (i % 3 == 0) text += fmt::format("        AAAA 2001:db8:1::{:x}\n", i);
  }
  return text;
}

const lpdns::Zone& zone() {
  static const lpdns::ZoneResult loaded =
      lpdns::load_zone_text(zone_text(), "bench", "example.com");
  if (!loaded) {
    fmt::print(stderr, "{}\n", loaded.error().to_string());
    std::exit(1);
  }
  return *loaded;
}

std::vector<std::byte> query(std::string_view name, std::uint16_t qtype) {
  std::vector<std::byte> q;
  const auto put = [&q](unsigned v) { q.push_back(static_cast<std::byte>(v)); };
  for (const unsigned b : {0x12u, 0x34u, 0x01u, 0x00u, 0u, 1u, 0u, 0u, 0u, 0u, 0u, 1u}) put(b);
  while (!name.empty()) {
    const std::size_t dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    put(static_cast<unsigned>(label.size()));
    for (const char c : label) put(static_cast<unsigned char>(c));
    name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  }
  const unsigned type = qtype;
  for (const unsigned b : {0u, type >> 8, type & 0xffu, 0u, 1u}) put(b);
  // OPT: payload 1232, as dnsperf sends by default.
  for (const unsigned b : {0u, 0u, 41u, 0x04u, 0xd0u, 0u, 0u, 0u, 0u, 0u, 0u}) put(b);
  return q;
}

struct Kind {
  const char* name;
  std::vector<std::byte> query;
};

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all{
      {"a_hit", query("host042.example.com", 1)},   {"aaaa_hit", query("host042.example.com", 28)},
      {"nodata", query("host041.example.com", 28)}, {"nxdomain", query("nothere.example.com", 1)},
      {"cname", query("www.example.com", 1)},       {"mx_additional", query("example.com", 15)},
      {"referral", query("x.sub.example.com", 1)},  {"refused", query("www.example.org", 1)},
  };
  return all;
}

void BM_answer(benchmark::State& state, const std::vector<std::byte>* q) {
  std::vector<std::byte> out(65535);
  const std::uint64_t allocations = lp_bench::heap_allocations();
  for (auto _ : state) {
    benchmark::DoNotOptimize(lpdns::answer(zone(), lp::bytes(*q), lpdns::Transport::udp, out));
    benchmark::ClobberMemory();
  }
  state.counters["allocs_per_query"] =
      benchmark::Counter(static_cast<double>(lp_bench::heap_allocations() - allocations),
                         benchmark::Counter::kAvgIterations);
}

void BM_answer_mix(benchmark::State& state) {
  std::vector<std::byte> out(65535);
  std::size_t i = 0;
  for (auto _ : state) {
    const Kind& k = kinds()[i++ % kinds().size()];
    benchmark::DoNotOptimize(lpdns::answer(zone(), lp::bytes(k.query), lpdns::Transport::udp, out));
    benchmark::ClobberMemory();
  }
}

void BM_load_zone(benchmark::State& state) {
  const std::string text = zone_text();
  for (auto _ : state) {
    benchmark::DoNotOptimize(lpdns::load_zone_text(text, "bench", "example.com"));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool smoke = lp_bench::take_smoke_flag(argc, argv);

  std::vector<benchmark::internal::Benchmark*> registered;
  std::vector<std::byte> out(65535);
  for (const Kind& k : kinds()) {
    if (lpdns::answer(zone(), lp::bytes(k.query), lpdns::Transport::udp, out) == 0) {
      fmt::print(stderr, "lpdns_answer_bench: no reply to the {} query\n", k.name);
      return 1;
    }
    registered.push_back(benchmark::RegisterBenchmark(fmt::format("answer/{}", k.name).c_str(),
                                                      BM_answer, &k.query));
  }
  registered.push_back(benchmark::RegisterBenchmark("answer/mix", BM_answer_mix));
  registered.push_back(
      benchmark::RegisterBenchmark("load_zone", BM_load_zone)->Unit(benchmark::kMicrosecond));
  return lp_bench::run_benchmarks(argc, argv, registered, smoke);
}
