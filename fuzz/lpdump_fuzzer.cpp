// A libFuzzer target for lpdump's per-packet path: the walk from the link layer
// through every layer the generated views cover, into the JSON and the tree
// writer. The first input byte picks the link type, the rest is the captured frame.
//
// Invariants, beyond "no crash, no sanitizer report, no heap allocation needed":
//  - the JSON output is one object on one line: it starts with `{"frame.number":`,
//    ends with `]}` and a newline, and holds no other newline;
//  - the walk is deterministic: the same frame gives the same JSON twice;
//  - an unsupported link type gives the frame.* fields only (no layer).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "capture.hpp"
#include "libparse/format.hpp"
#include "output.hpp"
#include "walk.hpp"

namespace {

// The link types lpdump reads (pcap LINKTYPE_ numbers), then one it does not.
constexpr std::uint32_t link_types[] = {1, 101, 228, 229, 113, 276, 0, 108, 147};

[[noreturn]] void fail(const char* what, std::string_view json) {
  std::fprintf(stderr, "lpdump fuzz target: invariant violated: %s\n%.*s\n", what,
               static_cast<int>(json.size()), json.data());
  std::abort();
}

std::string_view text(const fmt::memory_buffer& b) { return {b.data(), b.size()}; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  lpdump::Packet packet;
  packet.number = 1;
  packet.link_type = link_types[data[0] % std::size(link_types)];
  packet.data = lp::bytes(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  packet.len = packet.data.size();

  fmt::memory_buffer first;
  lpdump::JsonWriter json(first);
  const lpdump::WalkResult result = lpdump::dissect(packet, json);
  const std::string_view out = text(first);
  constexpr std::string_view head = "{\"frame.number\":1";
  if (out.substr(0, head.size()) != head) fail("the object does not start with frame.number", out);
  if (out.size() < 3 || out.substr(out.size() - 3) != "]}\n") fail("the object is not closed", out);
  if (out.find('\n') != out.size() - 1) fail("a newline inside the object", out);
  if (result == lpdump::WalkResult::unsupported_link_type &&
      out.find("\"layers\":[]") == std::string_view::npos) {
    fail("layers reported for an unsupported link type", out);
  }

  fmt::memory_buffer second;
  lpdump::JsonWriter again(second);
  (void)lpdump::dissect(packet, again);
  if (text(second) != out) fail("a second walk wrote something else", out);

  fmt::memory_buffer tree_out;
  lpdump::TreeWriter tree(tree_out);
  (void)lpdump::dissect(packet, tree);
  if (tree_out.size() == 0) fail("the tree writer wrote nothing", out);
  return 0;
}
