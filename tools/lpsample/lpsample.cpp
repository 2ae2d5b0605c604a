// lpsample: parses a packet given as hex text with the views generated from
// schemas/net/ethernet.lps and prints what libparse sees: the field tree, an
// annotated hex dump and a JSON line. Then it damages a copy of the packet in
// two ways and prints the errors parse() reports. It is the README's first
// command until lpdump reads whole captures.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "libparse/libparse.hpp"
#include "net/ethernet.lp.hpp"

namespace {

// Reads whitespace-separated hex byte pairs; '#' comments run to the end of the line.
bool read_hex_file(const std::string& path, std::vector<std::uint8_t>& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = fmt::format("cannot open {}", path);
    return false;
  }
  std::string line;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      if (word.size() != 2 || !std::isxdigit(static_cast<unsigned char>(word[0])) ||
          !std::isxdigit(static_cast<unsigned char>(word[1]))) {
        error = fmt::format("{}:{}: '{}' is not a hex byte", path, line_number, word);
        return false;
      }
      out.push_back(static_cast<std::uint8_t>(std::stoul(word, nullptr, 16)));
    }
  }
  return true;
}

void show(const std::vector<std::uint8_t>& packet) {
  const auto frame = net::Ethernet::parse(packet);
  if (!frame) {
    fmt::print("error: {}\n", frame.error());
    return;
  }
  fmt::print("{:t}\n\n{}\n\n{}\n", *frame, lp::annotated_hexdump(*frame), lp::json(*frame));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Parse a hex-encoded Ethernet frame with the generated libparse views"};
  std::string path = LPSAMPLE_DEFAULT_PACKET;
  app.add_option("packet", path, "hex file: bytes as pairs of hex digits, '#' comments")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::uint8_t> packet;
  std::string error;
  if (!read_hex_file(path, packet, error)) {
    fmt::print(stderr, "lpsample: {}\n", error);
    return 1;
  }
  fmt::print("{} ({} bytes)\n\n", path, packet.size());
  show(packet);

  if (packet.size() > 14) {
    fmt::print("\nThe same frame with an IPv4 header length of 3 words:\n");
    auto bad_ihl = packet;
    bad_ihl[14] = static_cast<std::uint8_t>((bad_ihl[14] & 0xf0) | 3);
    show(bad_ihl);
    fmt::print("\nThe same frame cut after 30 bytes:\n");
    show(std::vector<std::uint8_t>(packet.begin(), packet.begin() + 30));
  }
  return 0;
}
