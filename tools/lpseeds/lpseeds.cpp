// lpseeds: fuzz seeds from captures. Reads pcap or pcapng files (split into
// packets by lpdump's reader, on the generated views of capture/pcap.lps and
// pcapng.lps) or hex text files (messages separated by blank lines), and writes one seed file
// per message into a folder, cut at the layer a fuzz target parses: the whole
// frame, the IP packet, the transport segment or the application payload, each
// found with the generated views of the net/ schemas. docs/fuzzing.md, "Seeds".
//
// Cost: one pass over each input; every message is parsed once. Seeds are
// written as they are found; identical seeds are written once.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "capture.hpp"
#include "libparse/endian.hpp"
#include "libparse/format.hpp"
#include "net/ethernet.lp.hpp"
#include "net/ipv4.lp.hpp"
#include "net/ipv6.lp.hpp"

namespace {

namespace fs = std::filesystem;

enum class Layer : std::uint8_t { frame, ip, transport, payload };

// Link types whose frame starts with the IP header (LINKTYPE_RAW, IPV4, IPV6).
constexpr std::uint32_t kLinkEthernet = 1;
constexpr std::uint32_t kLinkNull = 0;  // BSD loopback: a 4-byte address family first
bool is_raw_ip(std::uint32_t link_type) {
  return link_type == 101 || link_type == 228 || link_type == 229;
}

// The IP packet inside an Ethernet frame, below any VLAN tags.
template <class View>
std::optional<lp::bytes> ip_after_ethertype(const View& v) {
  if (const auto ip = v.payload_ipv4()) return ip->bytes();
  if (const auto ip = v.payload_ipv6()) return ip->bytes();
  if (const auto tag = v.payload_vlan()) return ip_after_ethertype(*tag);
  return std::nullopt;
}

std::optional<lp::bytes> ip_of(lp::bytes frame, std::uint32_t link_type) {
  if (is_raw_ip(link_type)) return frame;
  if (link_type == kLinkNull)
    return frame.size() > 4 ? std::optional(frame.drop_first(4)) : std::nullopt;
  if (link_type != kLinkEthernet) return std::nullopt;
  const auto eth = net::Ethernet::parse(frame);
  if (!eth) return std::nullopt;
  return ip_after_ethertype(*eth);
}

// The UDP or TCP segment of an IP packet, or its payload.
template <class View>
std::optional<lp::bytes> transport_of(const View& ip, bool payload) {
  if (const auto udp = ip.payload_udp()) return payload ? udp->payload() : udp->bytes();
  if (const auto tcp = ip.payload_tcp()) return payload ? tcp->payload() : tcp->bytes();
  return std::nullopt;
}

std::optional<lp::bytes> cut(lp::bytes frame, std::uint32_t link_type, Layer layer) {
  if (layer == Layer::frame) return frame;
  const std::optional<lp::bytes> ip = ip_of(frame, link_type);
  if (!ip || layer == Layer::ip) return ip;
  const bool payload = layer == Layer::payload;
  if (!ip->empty() && (ip->u8(0) >> 4) == 4) {
    const auto v4 = net::Ipv4::parse(*ip);
    return v4 ? transport_of(*v4, payload) : std::nullopt;
  }
  const auto v6 = net::Ipv6::parse(*ip);
  return v6 ? transport_of(*v6, payload) : std::nullopt;
}

// Hex text: messages separated by blank lines; whitespace and ':' between digits
// are ignored and '#' starts a comment (a comment line does not end a message).
// An odd number of digits or another character is an error naming file:line.
bool read_hex(const fs::path& file, const std::string& text,
              std::vector<std::vector<std::byte>>& out) {
  std::string digits;
  std::size_t first_line = 0;  // where the message being read started
  const auto flush = [&]() {
    if (digits.empty()) return true;
    if (digits.size() % 2 != 0) {
      fmt::print(stderr, "lpseeds: {}:{}: a message with an odd number of hex digits\n",
                 file.string(), first_line);
      return false;
    }
    std::vector<std::byte> message(digits.size() / 2);
    for (std::size_t i = 0; i < message.size(); ++i) {
      message[i] = static_cast<std::byte>(std::stoul(digits.substr(2 * i, 2), nullptr, 16));
    }
    out.push_back(std::move(message));
    digits.clear();
    return true;
  };
  std::size_t line_number = 0;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    ++line_number;
    bool blank = true;
    for (std::size_t i = begin; i < end; ++i) {
      const char c = text[i];
      if (c == '#') {
        blank = false;
        break;
      }
      if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
        if (digits.empty()) first_line = line_number;
        digits += c;
        blank = false;
      } else if (c == ':') {
        blank = false;
      } else if (std::isspace(static_cast<unsigned char>(c)) == 0) {
        fmt::print(stderr, "lpseeds: {}:{}: '{}' is not a hex digit\n", file.string(), line_number,
                   c);
        return false;
      }
    }
    if (blank && !flush()) return false;
    begin = end + 1;
  }
  return flush();
}

// A pcap or pcapng file, by its first four bytes (either byte order); anything
// else is read as hex text.
bool is_capture(lp::bytes file) {
  if (file.size() < 4) return false;
  const auto big = lp::load_be<std::uint32_t>(file.data());
  const auto little = lp::load_le<std::uint32_t>(file.data());
  for (const std::uint32_t known : {0xA1B2C3D4U, 0xA1B23C4DU, 0x0A0D0D0AU}) {
    if (big == known || little == known) return true;
  }
  return false;
}

class SeedWriter {
 public:
  explicit SeedWriter(fs::path folder) : folder_(std::move(folder)) {}

  bool write(const std::string& name, lp::bytes seed) {
    std::string content(reinterpret_cast<const char*>(seed.data()), seed.size());
    if (content.empty() || !seen_.insert(content).second) return true;
    const fs::path path = folder_ / name;
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
      fmt::print(stderr, "lpseeds: cannot write '{}'\n", path.string());
      return false;
    }
    ++written_;
    return true;
  }
  std::size_t written() const { return written_; }

 private:
  fs::path folder_;
  std::set<std::string> seen_;
  std::size_t written_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lpseeds: one fuzz seed per message of pcap, pcapng or hex files (docs/fuzzing.md)"};
  std::vector<std::string> inputs;
  std::string output;
  Layer layer = Layer::frame;
  const std::map<std::string, Layer> layers{{"frame", Layer::frame},
                                            {"ip", Layer::ip},
                                            {"transport", Layer::transport},
                                            {"payload", Layer::payload}};
  app.add_option("inputs", inputs,
                 "pcap, pcapng or hex text files (messages separated by blank lines)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("-o,--output", output, "The folder seeds are written into (created)")->required();
  app.add_option("--layer", layer,
                 "What a seed holds: the captured frame, the IP packet, the UDP/TCP segment "
                 "or its payload (hex input is taken as it is)")
      ->transform(CLI::CheckedTransformer(layers, CLI::ignore_case));
  CLI11_PARSE(app, argc, argv);

  std::error_code ec;
  fs::create_directories(output, ec);
  if (ec) {
    fmt::print(stderr, "lpseeds: cannot create '{}': {}\n", output, ec.message());
    return 1;
  }
  SeedWriter seeds{fs::path(output)};
  bool ok = true;
  for (const std::string& input : inputs) {
    std::ifstream in(input, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    const lp::bytes file(reinterpret_cast<const std::byte*>(content.data()), content.size());
    const std::string stem = fs::path(input).stem().string();
    if (!is_capture(file)) {
      std::vector<std::vector<std::byte>> messages;
      if (!read_hex(input, content, messages)) {
        ok = false;
        continue;
      }
      for (std::size_t i = 0; i < messages.size(); ++i) {
        ok = seeds.write(fmt::format("{}-{}", stem, i + 1), lp::bytes(messages[i])) && ok;
      }
      continue;
    }
    lpdump::CaptureReader reader(file);
    lpdump::Packet packet;
    std::size_t skipped = 0;
    while (reader.next(packet)) {
      const std::optional<lp::bytes> seed = cut(packet.data, packet.link_type, layer);
      if (!seed) {
        ++skipped;
        continue;
      }
      ok = seeds.write(fmt::format("{}-{}", stem, packet.number), *seed) && ok;
    }
    if (reader.error()) {
      fmt::print(stderr, "lpseeds: {}: stopped at byte {}: {}\n", input, reader.error_offset(),
                 *reader.error());
      ok = false;
    }
    if (skipped != 0) {
      fmt::print(stderr, "lpseeds: {}: {} packet(s) without that layer skipped\n", input, skipped);
    }
  }
  fmt::print("lpseeds: {} seed(s) written into {}\n", seeds.written(), output);
  return ok ? 0 : 1;
}
