// capture/pcap.lps and capture/pcapng.lps on real captures: every *.pcap and
// *.pcapng of ../shared/corpus/local and ../shared/corpus/dev, mapped with
// lp::mapped_file and read record by record (and as a whole file), compared
// with tshark's frame.cap_len, frame.len, frame.time_epoch and, for pcapng,
// frame.interface_id and frame.comment from the `<capture>.tshark.jsonl` next
// to each one. The captures are read at test time, never copied into the
// repository; the tests skip when the corpus is absent.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libparse/mapped_file.hpp>

#include "capture_walk.hpp"
#include "libparse/format.hpp"

namespace {

namespace fs = std::filesystem;
using capture_test::Frame;

const fs::path corpus_dir = LP_SHARED_CORPUS_DIR;

// The value after `"key":` in one JSON line, or an empty view.
std::string_view value_of(std::string_view line, std::string_view key) {
  const std::string needle = fmt::format("\"{}\":", key);
  const std::size_t at = line.find(needle);
  if (at == std::string_view::npos) return {};
  return line.substr(at + needle.size());
}

std::optional<std::uint64_t> json_number(std::string_view line, std::string_view key) {
  const std::string_view v = value_of(line, key);
  if (v.empty() || v[0] < '0' || v[0] > '9') return std::nullopt;
  std::uint64_t n = 0;
  for (const char c : v) {
    if (c < '0' || c > '9') break;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// A JSON string starting at v[0] == '"', unescaped (ASCII escapes only: tshark
// writes the rest as UTF-8); `consumed` is set to the characters read.
std::string json_string(std::string_view v, std::size_t& consumed) {
  std::string out;
  std::size_t i = 1;
  for (; i < v.size() && v[i] != '"'; ++i) {
    if (v[i] != '\\' || i + 1 >= v.size()) {
      out += v[i];
      continue;
    }
    const char e = v[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u':
        out += static_cast<char>(std::stoi(std::string(v.substr(i + 1, 4)), nullptr, 16));
        i += 4;
        break;
      default:
        out += e;
    }
  }
  consumed = i + 1;
  return out;
}

std::optional<std::string> json_text(std::string_view line, std::string_view key) {
  const std::string_view v = value_of(line, key);
  if (v.empty() || v[0] != '"') return std::nullopt;
  std::size_t consumed = 0;
  return json_string(v, consumed);
}

std::vector<std::string> json_texts(std::string_view line, std::string_view key) {
  std::vector<std::string> out;
  std::string_view v = value_of(line, key);
  if (v.empty() || v[0] != '[') return out;
  v.remove_prefix(1);
  while (!v.empty() && v[0] == '"') {
    std::size_t consumed = 0;
    out.push_back(json_string(v, consumed));
    v.remove_prefix(consumed);
    if (!v.empty() && v[0] == ',') v.remove_prefix(1);
  }
  return out;
}

std::vector<Frame> reference_frames(const fs::path& jsonl) {
  std::vector<Frame> frames;
  std::ifstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    Frame f;
    f.cap_len = json_number(line, "frame.cap_len").value_or(~std::uint64_t{0});
    f.len = json_number(line, "frame.len").value_or(~std::uint64_t{0});
    f.time_epoch = json_text(line, "frame.time_epoch");
    if (const auto id = json_number(line, "frame.interface_id")) {
      f.interface_id = static_cast<std::uint32_t>(*id);
    }
    f.comments = json_texts(line, "frame.comment");
    frames.push_back(std::move(f));
  }
  return frames;
}

struct Capture {
  fs::path path;
};

std::vector<Capture> captures() {
  std::vector<Capture> out;
  for (const char* sub : {"local", "dev"}) {
    if (!fs::is_directory(corpus_dir / sub)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(corpus_dir / sub)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
        out.push_back({entry.path()});
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Capture& a, const Capture& b) { return a.path < b.path; });
  return out;
}

TEST(RealCaptures, AgreeWithTshark) {
  const auto all = captures();
  if (all.empty()) {
    GTEST_SKIP() << "no captures under " << corpus_dir << " (the shared corpus is not checked out)";
  }
  std::size_t files = 0;
  std::size_t frames = 0;
  for (const Capture& capture : all) {
    SCOPED_TRACE(capture.path.string());
    const fs::path reference = capture.path.string() + ".tshark.jsonl";
    ASSERT_TRUE(fs::exists(reference));
    const std::vector<Frame> expected = reference_frames(reference);
    auto mapped = lp::mapped_file::open(capture.path.string());
    ASSERT_TRUE(mapped) << mapped.error();
    const lp::bytes data = mapped->bytes();
    // By content, not by name: some .pcap files of the corpus are pcapng.
    const bool pcapng = data.size() >= 4 && data.u8(0) == 0x0A && data.u8(1) == 0x0D &&
                        data.u8(2) == 0x0D && data.u8(3) == 0x0A;

    const capture_test::Walk walk =
        pcapng ? capture_test::walk_pcapng(data) : capture_test::walk_pcap(data);
    EXPECT_FALSE(walk.error) << *walk.error << " at file offset " << walk.error_offset;
    ASSERT_EQ(walk.frames.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      SCOPED_TRACE(fmt::format("frame {}", i + 1));
      const Frame& got = walk.frames[i];
      const Frame& want = expected[i];
      EXPECT_EQ(got.cap_len, want.cap_len);
      EXPECT_EQ(got.len, want.len);
      EXPECT_EQ(got.time_epoch, want.time_epoch);
      if (pcapng) {
        EXPECT_EQ(got.interface_id, want.interface_id);
        EXPECT_EQ(got.comments, want.comments);
      }
    }

    // The whole-file types agree on the count of packets.
    std::size_t packets = 0;
    if (pcapng) {
      const auto file = capture::PcapngFile::parse(data);
      ASSERT_TRUE(file) << file.error();
      for (const capture::PcapngBlockView b : file->blocks()) {
        packets += b.body_enhanced_packet() || b.body_simple_packet() || b.body_packet() ? 1 : 0;
      }
    } else {
      const auto file = capture::PcapFile::parse(data);
      ASSERT_TRUE(file) << file.error();
      packets = file->records().size();
    }
    EXPECT_EQ(packets, expected.size());
    ++files;
    frames += expected.size();
  }
  RecordProperty("files", static_cast<int>(files));
  RecordProperty("frames", static_cast<int>(frames));
  fmt::print("{} captures, {} frames agree with tshark\n", files, frames);
}

}  // namespace
