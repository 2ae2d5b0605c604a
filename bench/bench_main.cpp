// lp_bench: the benchmarks of docs/performance.md.
//
//   parse_mix/<impl>                  decode every packet of the mix and sum the
//                                     fields of readers.hpp; one iteration = the
//                                     whole mix
//   parse_headers/<impl>              the same mix, the L2-L4 header fields only
//                                     (read_headers.cpp): generated, handwritten
//   serialize_mix/generated           write every packet of the mix back from its
//                                     value (writers.hpp); one iteration = the mix
//   access_small_vs_large/<impl>/<n>  accessor reads and a payload slice on an
//                                     n-byte frame parsed once, outside the loop
//   lpc_compile                       lpc_core compiling every schema under schemas/
//
// Before anything is timed, every implementation decodes the whole mix and the
// program stops (exit 1) unless all of them return the same sum for every packet.
// --lp_smoke runs each benchmark for exactly one iteration (the ctest smoke test).
#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "driver/compile.hpp"
#include "handwritten.hpp"
#include "mix.hpp"
#include "net/ethernet.lp.hpp"
#include "readers.hpp"
#include "smoke.hpp"
#include "writers.hpp"

namespace lp_bench {
namespace {

constexpr std::size_t kMixPackets = 10'000;
constexpr std::uint32_t kMixSeed = 20240607;

struct Workload {
  PacketStore wire;
  PacketStore protobuf;
  PacketStore flatbuffers;
  std::size_t tcp = 0, udp = 0, dns = 0, ipv6 = 0;
};

Workload make_workload() {
  Workload w;
  for (const PacketSpec& packet : make_mix(kMixPackets, kMixSeed)) {
    w.wire.add(to_wire(packet));
    const std::string message = to_protobuf(packet);
    w.protobuf.add({reinterpret_cast<const std::uint8_t*>(message.data()), message.size()});
    w.flatbuffers.add(to_flatbuffers(packet));
    (packet.protocol == 6 ? w.tcp : w.udp) += 1;
    w.dns += packet.dns ? 1 : 0;
    w.ipv6 += packet.ipv6 ? 1 : 0;
  }
  return w;
}

struct Impl {
  const char* name;
  const PacketStore* store;
  std::function<std::uint64_t(Buffer)> read;
};

std::vector<Impl> implementations(const Workload& w, std::vector<std::byte>& arena_block) {
  return {
      {"generated", &w.wire, read_generated},
      {"handwritten", &w.wire, read_handwritten},
      {"protobuf_arena", &w.protobuf,
       [&arena_block](Buffer b) { return read_protobuf_arena(b, arena_block); }},
      {"protobuf", &w.protobuf, read_protobuf},
      {"protozero", &w.protobuf, read_protozero},
      {"flatbuffers", &w.flatbuffers, read_flatbuffers},
  };
}

// Every implementation must read the same content: the same nonzero sum for
// every packet.
bool implementations_agree(const std::vector<Impl>& impls, std::uint64_t& total) {
  total = 0;
  const std::size_t packets = impls.front().store->size();
  for (std::size_t i = 0; i < packets; ++i) {
    const std::uint64_t expected = impls.front().read((*impls.front().store)[i]);
    for (const Impl& impl : impls) {
      const std::uint64_t got = impl.read((*impl.store)[i]);
      if (got == 0 || got != expected) {
        fmt::print(stderr,
                   "lp_bench: packet {}: {} reads sum {}, {} reads {} (0: failed to parse)\n", i,
                   impl.name, got, impls.front().name, expected);
        return false;
      }
    }
    total += expected;
  }
  return true;
}

void set_per_packet_counters(benchmark::State& state, const PacketStore& store,
                             std::uint64_t allocations) {
  const auto packets = static_cast<std::int64_t>(store.size()) * state.iterations();
  state.SetItemsProcessed(packets);
  state.SetBytesProcessed(static_cast<std::int64_t>(store.total_bytes()) * state.iterations());
  state.counters["allocs_per_packet"] =
      static_cast<double>(allocations) / static_cast<double>(packets);
  state.counters["bytes_per_packet"] =
      static_cast<double>(store.total_bytes()) / static_cast<double>(store.size());
}

void parse_mix(benchmark::State& state, const Impl& impl) {
  const PacketStore& store = *impl.store;
  const std::uint64_t allocations_before = heap_allocations();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < store.size(); ++i) sum += impl.read(store[i]);
    benchmark::DoNotOptimize(sum);
  }
  set_per_packet_counters(state, store, heap_allocations() - allocations_before);
}

// The values write back to the very bytes they were parsed from.
bool writers_agree(const PacketStore& wire, const std::vector<net::EthernetValue>& values) {
  if (values.size() != wire.size()) {
    fmt::print(stderr, "lp_bench: serialize_mix: a frame of the mix does not parse\n");
    return false;
  }
  std::vector<std::byte> out(65536);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t size = write_generated(values[i], out);
    const Buffer frame = wire[i];
    if (size != frame.size() ||
        !std::equal(frame.begin(), frame.end(), out.begin(), [](std::uint8_t a, std::byte b) {
          return a == std::to_integer<std::uint8_t>(b);
        })) {
      fmt::print(stderr, "lp_bench: packet {}: serialize_mix writes {} bytes, not the frame's {}\n",
                 i, size, frame.size());
      return false;
    }
  }
  return true;
}

void serialize_mix(benchmark::State& state, const PacketStore& wire,
                   const std::vector<net::EthernetValue>& values) {
  std::vector<std::byte> out(65536);
  const std::uint64_t allocations_before = heap_allocations();
  for (auto _ : state) {
    std::size_t written = 0;
    for (const net::EthernetValue& value : values) written += write_generated(value, out);
    benchmark::DoNotOptimize(written);
  }
  set_per_packet_counters(state, wire, heap_allocations() - allocations_before);
}

// `allocations`: counted right after the loop (the counters map allocates).
void set_per_access_counters(benchmark::State& state, std::uint64_t allocations) {
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_access"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
}

lp::bytes as_bytes(const std::vector<std::uint8_t>& v) { return lp::bytes(v.data(), v.size()); }

// Reads of a UDP frame through views parsed once: the addresses, ports, lengths,
// and the last 16 payload bytes as a slice.
void access_generated(benchmark::State& state) {
  const auto frame = to_wire(make_udp_of_size(static_cast<std::size_t>(state.range(0))));
  const auto ethernet = net::Ethernet::parse(as_bytes(frame));
  if (!ethernet || !ethernet->payload_ipv4() || !ethernet->payload_ipv4()->payload_udp()) {
    state.SkipWithError("the test frame does not parse as Ethernet/IPv4/UDP");
    return;
  }
  const std::uint64_t allocations_before = heap_allocations();
  for (auto _ : state) {
    const auto ip = ethernet->payload_ipv4();
    const auto udp = ip->payload_udp();
    const lp::bytes payload = udp->payload();
    const lp::bytes tail = payload.subspan(payload.size() - 16, 16);
    std::uint64_t sum = ip->src().octets()[0] + ip->dst().octets()[3] + ip->total_length() +
                        udp->src_port() + udp->dst_port() + udp->length() +
                        std::to_integer<std::uint8_t>(tail[0]);
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(tail);
  }
  set_per_access_counters(state, heap_allocations() - allocations_before);
}

void access_handwritten(benchmark::State& state) {
  const auto frame = to_wire(make_udp_of_size(static_cast<std::size_t>(state.range(0))));
  const auto parsed = handwritten::parse_frame(frame.data(), frame.size());
  if (!parsed || parsed->protocol != 17) {
    state.SkipWithError("the test frame does not parse as Ethernet/IPv4/UDP");
    return;
  }
  const handwritten::Frame& f = *parsed;
  const std::uint64_t allocations_before = heap_allocations();
  for (auto _ : state) {
    const std::uint8_t* ip = f.data + f.ip;
    const std::uint8_t* udp = f.data + f.transport;
    const std::span<const std::uint8_t> tail(f.data + f.payload + f.payload_size - 16, 16);
    std::uint64_t sum = std::uint64_t{ip[12]} + ip[19] + handwritten::load16(ip + 2) +
                        handwritten::load16(udp) + handwritten::load16(udp + 2) +
                        handwritten::load16(udp + 4) + tail[0];
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(tail);
  }
  set_per_access_counters(state, heap_allocations() - allocations_before);
}

// The whole schemas/ tree through lpc_core in process, headers kept in memory.
void lpc_compile(benchmark::State& state) {
  lpc::driver::CompileOptions options;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(LP_BENCH_SCHEMAS_DIR)) {
    if (entry.is_regular_file() && entry.path().extension() == ".lps") {
      options.schemas.push_back(entry.path().string());
    }
  }
  std::sort(options.schemas.begin(), options.schemas.end());
  options.import_dirs = {LP_BENCH_SCHEMAS_DIR};
  std::size_t output_bytes = 0;  // headers and source files
  for (auto _ : state) {
    lpc::Diagnostics diags;
    const auto result = lpc::driver::compile(options, diags);
    if (!result.ok) {
      state.SkipWithError(diags.render().c_str());
      break;
    }
    output_bytes = 0;
    for (const auto& header : result.headers) output_bytes += header.text.size();
    for (const auto& source : result.sources) output_bytes += source.text.size();
    benchmark::DoNotOptimize(output_bytes);
  }
  state.counters["schemas"] = static_cast<double>(options.schemas.size());
  state.counters["output_bytes"] = static_cast<double>(output_bytes);
}

}  // namespace
}  // namespace lp_bench

int main(int argc, char** argv) {
  using namespace lp_bench;
  const bool smoke = take_smoke_flag(argc, argv);

  static const Workload workload = make_workload();
  static std::vector<std::byte> arena_block(16 * 1024);
  static const std::vector<Impl> impls = implementations(workload, arena_block);
  std::uint64_t checksum = 0;
  if (!implementations_agree(impls, checksum)) return 1;
  static const std::vector<Impl> header_impls = {
      {"generated", &workload.wire, read_headers_generated},
      {"generated_full", &workload.wire, read_headers_generated_full},
      {"handwritten", &workload.wire, read_headers_handwritten},
  };
  std::uint64_t header_checksum = 0;
  if (!implementations_agree(header_impls, header_checksum)) return 1;
  static const std::vector<net::EthernetValue> values = values_of(workload.wire);
  if (!writers_agree(workload.wire, values)) return 1;
  fmt::print(
      stderr,
      "lp_bench: {} packets ({} TCP, {} UDP of which {} DNS, {} IPv6); wire {} B, protobuf {} B, "
      "flatbuffers {} B; all {} implementations read checksum {}\n",
      workload.wire.size(), workload.tcp, workload.udp, workload.dns, workload.ipv6,
      workload.wire.total_bytes(), workload.protobuf.total_bytes(),
      workload.flatbuffers.total_bytes(), impls.size(), checksum);
  benchmark::AddCustomContext("mix_packets", std::to_string(workload.wire.size()));
  benchmark::AddCustomContext("mix_checksum", std::to_string(checksum));

  std::vector<benchmark::internal::Benchmark*> registered;
  for (const Impl& impl : impls) {
    registered.push_back(
        benchmark::RegisterBenchmark(fmt::format("parse_mix/{}", impl.name).c_str(),
                                     [&impl](benchmark::State& s) { parse_mix(s, impl); }));
  }
  for (const Impl& impl : header_impls) {
    registered.push_back(
        benchmark::RegisterBenchmark(fmt::format("parse_headers/{}", impl.name).c_str(),
                                     [&impl](benchmark::State& s) { parse_mix(s, impl); }));
  }
  registered.push_back(benchmark::RegisterBenchmark(
      "serialize_mix/generated",
      [](benchmark::State& s) { serialize_mix(s, workload.wire, values); }));
  registered.push_back(
      benchmark::RegisterBenchmark("access_small_vs_large/generated", access_generated)
          ->Arg(64)
          ->Arg(9000));
  registered.push_back(
      benchmark::RegisterBenchmark("access_small_vs_large/handwritten", access_handwritten)
          ->Arg(64)
          ->Arg(9000));
  registered.push_back(
      benchmark::RegisterBenchmark("lpc_compile", lpc_compile)->Unit(benchmark::kMillisecond));
  return run_benchmarks(argc, argv, registered, smoke);
}
