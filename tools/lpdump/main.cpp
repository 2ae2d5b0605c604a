// lpdump: dissects pcap and pcapng captures with the views generated from the
// shipped schemas and prints each frame as a tree or as JSON lines
// (docs/lpdump.md).
//
// Exit codes: 0 every record read; 1 the input could not be opened, read or
// written; 2 the capture is broken (the frames before the break are printed,
// the error and its byte offset go to stderr); 64 a bad command line.
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "capture.hpp"
#include "libparse/mapped_file.hpp"
#include "libparse/version.hpp"
#include "output.hpp"
#include "stats.hpp"
#include "walk.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_io = 1;
constexpr int exit_broken_capture = 2;
constexpr int exit_usage = 64;

enum class Mode : std::uint8_t { tree, json, stats };

struct Options {
  std::string path;
  Mode mode = Mode::tree;
  std::uint64_t count = 0;  // 0: every frame
  std::optional<std::string> filter;
  std::optional<lpdump::Layer> filter_layer;  // filter's layer, once it is checked
  unsigned jobs = 1;
  bool stats = false;
  bool progress = true;
};

// One worker's state: its output buffer (reused for every frame) and counters.
class Dissector {
 public:
  Dissector(const Options& options) : options_(options) {}

  // Dissects one frame into buffer(); false when the filter drops it.
  bool run(const lpdump::Packet& packet) {
    switch (options_.mode) {
      case Mode::json: {
        lpdump::JsonWriter writer(buffer_);
        return finish(packet, writer);
      }
      case Mode::tree: {
        lpdump::TreeWriter writer(buffer_);
        return finish(packet, writer);
      }
      case Mode::stats:
      default: {
        lpdump::ChainWriter writer;
        return finish(packet, writer);
      }
    }
  }

  fmt::memory_buffer& buffer() noexcept { return buffer_; }
  lpdump::Stats& stats() noexcept { return stats_; }
  std::uint32_t unsupported_link_type() const noexcept { return unsupported_; }

 private:
  template <class Writer>
  bool finish(const lpdump::Packet& packet, Writer& writer) {
    const std::size_t mark = buffer_.size();
    if (lpdump::dissect(packet, writer) == lpdump::WalkResult::unsupported_link_type) {
      ++stats_.unsupported;
      unsupported_ = packet.link_type;
    }
    if (options_.filter_layer && !writer.chain().contains(*options_.filter_layer)) {
      buffer_.resize(mark);
      return false;
    }
    stats_.add(writer.chain(), writer.has_error(), packet.data.size());
    return true;
  }

  const Options& options_;
  fmt::memory_buffer buffer_;
  lpdump::Stats stats_;
  std::uint32_t unsupported_ = 0;
};

bool flush(fmt::memory_buffer& buffer) {
  const bool ok = std::fwrite(buffer.data(), 1, buffer.size(), stdout) == buffer.size();
  buffer.clear();
  return ok;
}

// Output to a terminal or a pipe is flushed after every frame of a stream, so
// that `tcpdump -w - | lpdump - | grep ...` shows each packet as it arrives.
bool output_is_interactive() {
  struct stat st {};
  return ::isatty(STDOUT_FILENO) == 1 || (::fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode));
}

// Hands the pages of the mapping that the walk has left behind back to the
// kernel, so that resident memory stays flat however large the file: touched
// pages of a file mapping count as resident until unmapped. The walk never
// goes back (a -j batch is released only once it is written).
class PageReleaser {
 public:
  PageReleaser(lp::bytes file, bool mapped) : file_(file), mapped_(mapped) {}
  void release_before(std::size_t offset) {
    if (!mapped_ || offset < released_ + step) return;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t end = offset / page * page;
    // The mapping starts on a page boundary (mmap returns one).
    ::madvise(const_cast<std::byte*>(file_.data()) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }

 private:
  static constexpr std::size_t step = std::size_t{32} << 20;
  lp::bytes file_;
  bool mapped_;
  std::size_t released_ = 0;
};

class Progress {
 public:
  Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled) {}
  void update(std::size_t done) {
    if (!enabled_) return;
    const auto percent = static_cast<unsigned>(done * 100 / total_);
    if (percent == last_) return;
    last_ = percent;
    const unsigned bar = percent / 4;
    fmt::print(stderr, "\r[{:<25}] {:3}%", std::string(bar, '#'), percent);
  }
  void done() {
    if (enabled_ && last_ != none) fmt::print(stderr, "\r{:35}\r", "");
  }

 private:
  static constexpr unsigned none = 1000;
  std::size_t total_;
  bool enabled_;
  unsigned last_ = none;
};

// Reads every frame, dissects it on options.jobs threads and writes the output
// in frame order. -j: the main thread indexes a batch of records (one pass over
// the mapping), the workers dissect one contiguous slice each into their own
// buffers, then the buffers are written in order and the batch is reused, so
// memory stays bounded by the batch, not the file.
// `reader` is a CaptureReader over `file` (mapped or not), or a CapturePipeReader
// (`file` empty): a stream's frames live only until its next next(), so they
// are dissected one at a time, on one thread, each written as it comes.
template <class Source>
int run(const Options& options, Source& reader, lp::bytes file, bool mapped) {
  constexpr bool streaming = std::is_same_v<Source, lpdump::CapturePipeReader>;
  PageReleaser releaser(file, mapped);
  // -c stops at an exact frame, which the batches of -j would overshoot.
  const unsigned jobs = options.count != 0 || streaming ? 1u : std::max(1u, options.jobs);
  const bool flush_each_frame = streaming && output_is_interactive();
  std::vector<Dissector> workers;
  workers.reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i) workers.emplace_back(options);

  constexpr std::size_t large_file = std::size_t{64} << 20;
  Progress progress(file.size(),
                    options.progress && ::isatty(STDERR_FILENO) == 1 && file.size() >= large_file);
  // One thread takes 64 records a batch, so that the per-batch work (flush,
  // progress, page release) is not paid per frame; with -c one at a time, since
  // reading ahead could reach a broken record after the last frame asked for
  // and change the exit code.
  const std::size_t batch_size =
      jobs > 1 ? std::size_t{4096} * jobs : (options.count != 0 || streaming ? 1 : 64);
  std::vector<lpdump::Packet> batch(batch_size);
  std::vector<std::uint32_t> reported_link_types;
  std::uint64_t printed = 0;
  bool write_ok = true;
  const auto start = std::chrono::steady_clock::now();

  for (bool more = true; more && write_ok;) {
    std::size_t n = 0;
    while (n < batch_size && (more = reader.next(batch[n]))) ++n;
    // Contiguous slices keep each worker's output in frame order.
    const std::size_t per_worker = (n + jobs - 1) / jobs;
    const auto work = [&](unsigned w) {
      Dissector& d = workers[w];
      const std::size_t end = std::min(n, (w + 1) * per_worker);
      for (std::size_t i = w * per_worker; i < end; ++i) d.run(batch[i]);
    };
    if (jobs == 1) {
      for (std::size_t i = 0; i < n; ++i) {
        if (options.count != 0 && printed >= options.count) break;
        if (workers[0].run(batch[i])) ++printed;
      }
    } else {
      std::vector<std::thread> threads;
      for (unsigned w = 1; w < jobs; ++w) threads.emplace_back(work, w);
      work(0);
      for (std::thread& t : threads) t.join();
    }
    for (Dissector& d : workers) {
      if (d.unsupported_link_type() != 0 &&
          std::find(reported_link_types.begin(), reported_link_types.end(),
                    d.unsupported_link_type()) == reported_link_types.end()) {
        reported_link_types.push_back(d.unsupported_link_type());
        fmt::print(stderr, "lpdump: link type {} is not dissected: its frames show frame.* only\n",
                   d.unsupported_link_type());
      }
      if (d.buffer().size() >= (1u << 16) || jobs > 1 || flush_each_frame) {
        write_ok = write_ok && flush(d.buffer());
        if (flush_each_frame) write_ok = write_ok && std::fflush(stdout) == 0;
      }
    }
    progress.update(reader.offset());
    // Every frame of the batch is written: its bytes are no longer needed.
    if (n != 0 && mapped)
      releaser.release_before(static_cast<std::size_t>(batch[0].data.data() - file.data()));
    if (options.count != 0 && jobs == 1 && printed >= options.count) break;
  }
  for (Dissector& d : workers) write_ok = write_ok && flush(d.buffer());
  progress.done();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (options.stats) {
    lpdump::Stats total;
    for (Dissector& d : workers) total.merge(d.stats());
    total.print(stdout, seconds);
  }
  if (std::fflush(stdout) != 0 || !write_ok) {
    fmt::print(stderr, "lpdump: cannot write the output\n");
    return exit_io;
  }
  if constexpr (streaming) {
    if (reader.read_failed()) {
      fmt::print(stderr, "lpdump: cannot read standard input: {}\n",
                 std::strerror(reader.read_errno()));
      return exit_io;
    }
  }
  if (reader.error()) {
    fmt::print(stderr, "lpdump: {}: broken capture at byte {}: {}\n", options.path,
               reader.error_offset(), *reader.error());
    return exit_broken_capture;
  }
  return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lpdump: dissect pcap/pcapng captures with libparse's generated views"};
  Options options;
  bool json = false;
  app.add_option("file", options.path, "capture file (pcap or pcapng), - for standard input")
      ->required();
  app.add_flag("--json", json, "one JSON object per frame (corpus README keys)");
  app.add_option("-c,--count", options.count, "stop after N frames (after the filter)");
  app.add_option("-p,--filter", options.filter,
                 "only frames whose layer chain contains PROTO (eth vlan arp ip ipv6 tcp udp "
                 "icmp icmpv6 dns tls)")
      ->check([](const std::string& name) {
        return lpdump::protocol_index(name) ? std::string() : "unknown protocol " + name;
      });
  app.add_flag("--stats", options.stats,
               "print packets per protocol, malformed frames and throughput instead of frames");
  app.add_option("-j,--jobs", options.jobs, "dissect on N threads (output stays in frame order)")
      ->check(CLI::Range(1u, 256u));
  app.add_flag("!--no-progress", options.progress, "no progress bar on stderr");
  app.set_version_flag("--version", fmt::format("lpdump (libparse) {}", lp::version_string));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  if (options.filter) options.filter_layer = lpdump::protocol_index(*options.filter);
  if (options.stats) {
    options.mode = Mode::stats;
  } else if (json) {
    options.mode = Mode::json;
  }

  // Standard input is a stream (a pipe from tcpdump -w -): read as it arrives,
  // each frame printed once complete, memory bounded by the largest record.
  if (options.path == "-") {
    lpdump::CapturePipeReader stream(STDIN_FILENO);
    return run(options, stream, lp::bytes(), false);
  }
  auto file = lp::mapped_file::open(options.path);
  if (!file) {
    fmt::print(stderr, "lpdump: {}: {}\n", options.path, file.error());
    return exit_io;
  }
  lpdump::CaptureReader reader(file->bytes());
  return run(options, reader, file->bytes(), true);
}
