// The flag words lpdump's tree output decodes bit by bit, as tshark -V shows
// them (and tcpdump -v users expect): IPv4's flags, TCP's flags, the DNS
// header's flags. A word's line gets a summary (the value in hex and the names
// of what is set), then one line per bit field with its bits in place and its
// meaning:
//
//   flags: 0x018 (PSH, ACK)
//       000. .... .... = Reserved: Not set
//       ...
//       .... .... 1... = Push: Set
//
// The words, their bit fields and their texts are tshark 4.0's (checked on
// every value of each field). Cost: a few dozen bytes appended per word, no
// allocation beyond the buffer's own growth. The JSON output keeps the number.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace lpdump {

enum class FlagWord : std::uint8_t {
  ip,   // the 3 flag bits: reserved, don't fragment, more fragments (ip.flags)
  tcp,  // the 12 bits after the data offset (tcp.flags)
  dns,  // the 16-bit flags word of the header (dns.flags)
};

// The summary after the field's name: "0x2, Don't fragment", "0x018 (PSH,
// ACK)", "0x8180 Standard query response, No error".
void append_flag_summary(fmt::memory_buffer& out, FlagWord word, std::uint64_t value);

// One line per bit field, each starting with `indent` and ending with '\n'.
void append_flag_lines(fmt::memory_buffer& out, FlagWord word, std::uint64_t value,
                       std::string_view indent);

}  // namespace lpdump
