// parse -> to_value() -> serialize() on real frames: every Ethernet frame of the
// captures under ../shared/corpus (local/ and dev/) that net::Ethernet parses
// must come back byte for byte, and so must every pcap file header and record
// header. This is the strongest check of the serializers that there is: the
// frames were written by real stacks, not by us. Skips when the corpus is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <libparse/mapped_file.hpp>

#include "capture.hpp"  // tools/lpdump
#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"
#include "libparse/format.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path corpus_dir = LP_SHARED_CORPUS_DIR;

std::vector<fs::path> captures() {
  std::vector<fs::path> out;
  for (const char* sub : {"local", "dev"}) {
    if (!fs::is_directory(corpus_dir / sub)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(corpus_dir / sub)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
        out.push_back(entry.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool same_bytes(lp::bytes a, const std::vector<std::byte>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Counts of one round trip over many inputs.
struct Tally {
  std::size_t parsed = 0;
  std::size_t rejected = 0;
  std::size_t mismatched = 0;

  // The view's own bytes against what serialize() wrote for its value.
  template <class Type, class View>
  void check(const View& view, const std::string& what) {
    ++parsed;
    const lp::Result<std::vector<std::byte>> written = Type::serialize(Type::to_value(view));
    if (!written) {
      if (++rejected <= 5) ADD_FAILURE() << what << ": serialize() failed: " << written.error();
      return;
    }
    if (!same_bytes(view.bytes(), *written) && ++mismatched <= 5) {
      ADD_FAILURE() << what << ": " << view.bytes().size() << " bytes parsed, " << written->size()
                    << " written, and they differ";
    }
  }
};

// The UDP payload of an Ethernet/IP/UDP frame from or to port 53, if any.
std::optional<lp::bytes> dns_payload(const net::EthernetView& frame) {
  std::optional<net::UdpView> udp;
  if (const auto ip = frame.payload_ipv4()) udp = ip->payload_udp();
  if (const auto ip = frame.payload_ipv6()) udp = ip->payload_udp();
  if (!udp || (udp->src_port() != 53 && udp->dst_port() != 53)) return std::nullopt;
  return udp->payload();
}

TEST(RoundTrip, EveryParsedFrameFileAndDnsMessageSerializesToItsOwnBytes) {
  const auto all = captures();
  if (all.empty()) {
    GTEST_SKIP() << "no captures under " << corpus_dir << " (the shared corpus is not checked out)";
  }
  Tally frames;
  Tally dns;
  Tally files;
  for (const fs::path& path : all) {
    SCOPED_TRACE(path.string());
    auto mapped = lp::mapped_file::open(path.string());
    ASSERT_TRUE(mapped) << mapped.error();
    const lp::bytes data = mapped->bytes();
    // The whole file, run-time byte order and all, when its schema takes it.
    if (const auto pcap = capture::PcapFile::parse(data)) {
      files.check<capture::PcapFile>(*pcap, "pcap file");
    } else if (const auto pcapng = capture::PcapngFile::parse(data)) {
      files.check<capture::PcapngFile>(*pcapng, "pcapng file");
    }
    lpdump::CaptureReader reader(data);
    lpdump::Packet packet;
    while (reader.next(packet)) {
      if (packet.link_type != 1) continue;  // LINKTYPE_ETHERNET
      const auto frame = net::Ethernet::parse(packet.data);
      if (!frame) continue;  // malformed frames are the parser tests' business
      const std::string what = fmt::format("packet {}", packet.number);
      frames.check<net::Ethernet>(*frame, what);
      if (const auto payload = dns_payload(*frame)) {
        if (const auto message = net::Dns::parse(*payload)) dns.check<net::Dns>(*message, what);
      }
    }
  }
  EXPECT_GT(frames.parsed, 1000U);
  EXPECT_GT(dns.parsed, 50U);
  EXPECT_GT(files.parsed, 10U);
  for (const Tally* t : {&frames, &dns, &files}) {
    EXPECT_EQ(t->rejected, 0U);
    EXPECT_EQ(t->mismatched, 0U);
  }
  RecordProperty("frames", static_cast<int>(frames.parsed));
  RecordProperty("dns_messages", static_cast<int>(dns.parsed));
  RecordProperty("files", static_cast<int>(files.parsed));
}

}  // namespace
