// Checks the structure-aware mutator of the generated Dns fuzz target (compiled in
// with it, CMakeLists.txt of fuzz/): over the DNS corpus, LLVMFuzzerCustomMutator
// must often give messages that differ from the input and still parse, must
// change element counts (an array grew or shrank with its count recomputed), must
// switch records to other rdata arms (the type and the rdata changed together),
// and every output must pass the target's own checks; LLVMFuzzerCustomCrossOver
// must give messages that parse. Without libFuzzer the byte-mutation fallback
// leaves the input as it is.
//   kit_mutator_check <corpus folder>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "net/dns.lp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed);
extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                 const std::uint8_t* data2, std::size_t size2,
                                                 std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned seed);

namespace {

using Input = std::vector<std::uint8_t>;

std::size_t elements(const net::DnsView& dns) {
  return dns.qdcount() + std::size_t{dns.ancount()} + dns.nscount() + dns.arcount();
}

// The records' types, in order; a change with the same counts is another arm.
std::vector<net::DnsType> record_types(const net::DnsView& dns) {
  std::vector<net::DnsType> out;
  for (const auto& section : {dns.answers(), dns.authority(), dns.additional()}) {
    for (const auto record : section) out.push_back(record.type());
  }
  return out;
}

lp::Result<net::DnsView> parse(const Input& input) {
  return net::Dns::parse(lp::bytes(input.data(), input.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kit_mutator_check <corpus folder>\n");
    return 2;
  }
  // The first 60 files by name: enough variety, cheap under sanitizers.
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.size() > 60) files.resize(60);
  std::vector<Input> seeds;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    Input input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (parse(input)) seeds.push_back(std::move(input));
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "kit_mutator_check: no seed in %s parses as Dns\n", argv[1]);
    return 1;
  }
  constexpr std::size_t kMaxSize = 4096;
  std::size_t calls = 0;
  std::size_t changed_and_parsed = 0;
  std::size_t counts_changed = 0;
  std::size_t arms_changed = 0;
  std::size_t unchanged = 0;
  unsigned seed = 1;
  for (const Input& original : seeds) {
    for (int round = 0; round < 40; ++round, ++seed) {
      Input buffer(kMaxSize);
      std::memcpy(buffer.data(), original.data(), original.size());
      const std::size_t size =
          LLVMFuzzerCustomMutator(buffer.data(), original.size(), kMaxSize, seed);
      ++calls;
      if (size > kMaxSize) {
        std::fprintf(stderr, "kit_mutator_check: %zu bytes, above max_size\n", size);
        return 1;
      }
      const Input output(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
      LLVMFuzzerTestOneInput(output.data(), output.size());  // aborts on a violation
      const auto before = parse(original);
      const auto after = parse(output);
      if (output == original) ++unchanged;
      if (after && output != original) {
        ++changed_and_parsed;
        if (elements(*after) != elements(*before)) {
          ++counts_changed;
        } else if (record_types(*after) != record_types(*before)) {
          ++arms_changed;
        }
      }
    }
  }
  std::size_t crossed = 0;
  for (std::size_t i = 0; i + 1 < seeds.size(); ++i, ++seed) {
    Input out(kMaxSize);
    const std::size_t size =
        LLVMFuzzerCustomCrossOver(seeds[i].data(), seeds[i].size(), seeds[i + 1].data(),
                                  seeds[i + 1].size(), out.data(), kMaxSize, seed);
    out.resize(size);
    if (size != 0 && parse(out)) ++crossed;
  }
  std::printf(
      "kit_mutator_check: %zu seeds, %zu mutations: %zu changed and parse, %zu with other "
      "element counts, %zu with other record types, %zu unchanged; %zu crossovers parse\n",
      seeds.size(), calls, changed_and_parsed, counts_changed, arms_changed, unchanged, crossed);
  // The fallback (1 in 8 calls) and values serialize() rejects (a label emptied
  // in the middle of a name ends it early, a default rdata with an empty name)
  // leave the input as it is here. On the first 60 corpus files 42 % of the
  // calls give a changed message that parses, 3.4 % change element counts and
  // 9 of 1960 switch a record to another type with the same counts (most seeds
  // are queries, and a default name-holding arm has an empty name); 48 of 48
  // crossovers parse (2026-12-07; before arm choices, width-cut integers and
  // kept shared lengths: 19 %, 2 %, 24 of 48).
  if (changed_and_parsed * 4 < calls) {
    std::fprintf(stderr, "kit_mutator_check: fewer than 1 in 4 mutations parse\n");
    return 1;
  }
  if (counts_changed * 50 < calls) {
    std::fprintf(stderr, "kit_mutator_check: fewer than 1 in 50 mutations change a count\n");
    return 1;
  }
  if (arms_changed * 400 < calls) {
    std::fprintf(stderr, "kit_mutator_check: fewer than 1 in 400 mutations change an arm\n");
    return 1;
  }
  if (seeds.size() > 1 && crossed * 2 < seeds.size() - 1) {
    std::fprintf(stderr, "kit_mutator_check: fewer than half the crossovers parse\n");
    return 1;
  }
  return 0;
}
