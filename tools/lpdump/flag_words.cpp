#include "flag_words.hpp"

#include <array>
#include <iterator>
#include <span>

namespace lpdump {

namespace {

// One bit field of a word: its bits, its name, and its meaning set and not
// set (or, for a field of several bits, the name table it takes its text from).
struct BitField {
  std::uint32_t mask;
  std::string_view name;
  std::string_view set;
  std::string_view clear;
  bool response_only = false;  // DNS: shown for responses only
};

// How tshark draws a word: its width in bits, and how the value the walk
// reports sits in it (IPv4's three flags are the top bits of their byte).
struct Layout {
  unsigned width;
  unsigned shift;
};

constexpr std::array<BitField, 3> ip_fields{{
    {0x80, "Reserved bit", "Set", "Not set"},
    {0x40, "Don't fragment", "Set", "Not set"},
    {0x20, "More fragments", "Set", "Not set"},
}};

constexpr std::array<BitField, 10> tcp_fields{{
    {0xE00, "Reserved", "Set", "Not set"},
    {0x100, "Accurate ECN", "Set", "Not set"},
    {0x080, "Congestion Window Reduced", "Set", "Not set"},
    {0x040, "ECN-Echo", "Set", "Not set"},
    {0x020, "Urgent", "Set", "Not set"},
    {0x010, "Acknowledgment", "Set", "Not set"},
    {0x008, "Push", "Set", "Not set"},
    {0x004, "Reset", "Set", "Not set"},
    {0x002, "Syn", "Set", "Not set"},
    {0x001, "Fin", "Set", "Not set"},
}};
// The summary's names, from bit 0 up; "Reserved" stands for bits 9-11.
constexpr std::array<std::string_view, 9> tcp_names{"FIN", "SYN", "RST", "PSH", "ACK",
                                                    "URG", "ECE", "CWR", "AE"};
// The "[TCP Flags: ...]" line's letter per bit, from bit 11 down.
constexpr std::string_view tcp_letters = "RRRACEUAPRSF";

constexpr std::uint32_t dns_response = 0x8000;
constexpr std::uint32_t dns_opcode = 0x7800;
constexpr std::uint32_t dns_rcode = 0x000F;
constexpr std::array<BitField, 10> dns_fields{{
    {dns_response, "Response", "Message is a response", "Message is a query"},
    {dns_opcode, "Opcode", {}, {}},
    {0x0400, "Authoritative", "Server is an authority for domain",
     "Server is not an authority for domain", true},
    {0x0200, "Truncated", "Message is truncated", "Message is not truncated"},
    {0x0100, "Recursion desired", "Do query recursively", "Don't do query recursively"},
    {0x0080, "Recursion available", "Server can do recursive queries",
     "Server can't do recursive queries", true},
    {0x0040, "Z", "reserved - incorrect!", "reserved (0)"},
    {0x0020, "Answer authenticated", "Answer/authority portion was authenticated by the server",
     "Answer/authority portion was not authenticated by the server", true},
    {0x0010, "Non-authenticated data", "Acceptable", "Unacceptable"},
    {dns_rcode, "Reply code", {}, {}, true},
}};
// tshark's names of DNS opcodes and reply codes ("" where it has none).
constexpr std::array<std::string_view, 7> dns_opcodes{
    "Standard query",           "Inverse query",  "Server status request",        "",
    "Zone change notification", "Dynamic update", "DNS Stateful operations (DSO)"};
constexpr std::array<std::string_view, 12> dns_rcodes{
    "No error",          "Format error",     "Server failure",
    "No such name",      "Not implemented",  "Refused",
    "Name exists",       "RRset exists",     "RRset does not exist",
    "Not authoritative", "Name out of zone", "DSO-Type not implemented"};

template <std::size_t N>
std::string_view name_in(const std::array<std::string_view, N>& names, std::uint32_t value) {
  return value < names.size() ? names[value] : std::string_view();
}

constexpr unsigned low_bit(std::uint32_t mask) noexcept {
  unsigned shift = 0;
  while ((mask >> shift & 1u) == 0) ++shift;
  return shift;
}

Layout layout_of(FlagWord word) noexcept {
  switch (word) {
    case FlagWord::ip:
      return {8, 5};
    case FlagWord::tcp:
      return {12, 0};
    case FlagWord::dns:
      return {16, 0};
  }
  return {16, 0};
}

std::span<const BitField> fields_of(FlagWord word) noexcept {
  switch (word) {
    case FlagWord::ip:
      return ip_fields;
    case FlagWord::tcp:
      return tcp_fields;
    case FlagWord::dns:
      return dns_fields;
  }
  return {};
}

void append(fmt::memory_buffer& out, std::string_view text) { out.append(text); }

// The bits of `mask` in a word of `width` bits as tshark draws them: the
// field's bits as 0 or 1, the others as '.', a space between nibbles.
void append_bits(fmt::memory_buffer& out, std::uint32_t word, std::uint32_t mask, unsigned width) {
  for (unsigned bit = width; bit-- > 0;) {
    const std::uint32_t one = 1u << bit;
    out.push_back((mask & one) == 0 ? '.' : ((word & one) != 0 ? '1' : '0'));
    if (bit % 4 == 0 && bit != 0) out.push_back(' ');
  }
}

}  // namespace

void append_flag_summary(fmt::memory_buffer& out, FlagWord word, std::uint64_t value) {
  const auto v = static_cast<std::uint32_t>(value);
  auto it = std::back_inserter(out);
  switch (word) {
    case FlagWord::ip: {
      fmt::format_to(it, "0x{:x}", v);
      for (const BitField& field : ip_fields) {
        if ((v << 5 & field.mask) != 0) fmt::format_to(it, ", {}", field.name);
      }
      return;
    }
    case FlagWord::tcp: {
      fmt::format_to(it, "0x{:03x} (", v);
      bool first = true;
      const auto name = [&](std::string_view text) {
        if (!first) append(out, ", ");
        first = false;
        append(out, text);
      };
      for (std::size_t bit = 0; bit < tcp_names.size(); ++bit) {
        if ((v >> bit & 1u) != 0) name(tcp_names[bit]);
      }
      if ((v & tcp_fields[0].mask) != 0) name("Reserved");
      if (first) append(out, "<None>");
      out.push_back(')');
      return;
    }
    case FlagWord::dns: {
      const std::string_view opcode = name_in(dns_opcodes, (v & dns_opcode) >> low_bit(dns_opcode));
      fmt::format_to(it, "0x{:04x} {}", v, opcode.empty() ? "Unknown operation" : opcode);
      if ((v & dns_response) != 0) {
        const std::string_view rcode = name_in(dns_rcodes, v & dns_rcode);
        fmt::format_to(it, " response, {}", rcode.empty() ? "Unknown error" : rcode);
      }
      return;
    }
  }
}

void append_flag_lines(fmt::memory_buffer& out, FlagWord word, std::uint64_t value,
                       std::string_view indent) {
  const Layout layout = layout_of(word);
  const auto v = static_cast<std::uint32_t>(value) << layout.shift;
  const bool response = (v & dns_response) != 0;
  auto it = std::back_inserter(out);
  for (const BitField& field : fields_of(word)) {
    if (field.response_only && !response) continue;
    append(out, indent);
    append_bits(out, v, field.mask, layout.width);
    fmt::format_to(it, " = {}: ", field.name);
    const std::uint32_t bits = (v & field.mask) >> low_bit(field.mask);
    if (word == FlagWord::dns && (field.mask == dns_opcode || field.mask == dns_rcode)) {
      const std::string_view name =
          field.mask == dns_opcode ? name_in(dns_opcodes, bits) : name_in(dns_rcodes, bits);
      fmt::format_to(it, "{} ({})", name.empty() ? "Unknown" : name, bits);
    } else {
      append(out, bits != 0 ? field.set : field.clear);
    }
    out.push_back('\n');
  }
  if (word == FlagWord::tcp) {
    append(out, indent);
    append(out, "[TCP Flags: ");
    for (unsigned bit = layout.width; bit-- > 0;) {
      if ((v >> bit & 1u) != 0) {
        out.push_back(tcp_letters[layout.width - 1 - bit]);
      } else {
        append(out, "\xC2\xB7");  // U+00B7 MIDDLE DOT, as tshark
      }
    }
    append(out, "]\n");
  }
}

}  // namespace lpdump
