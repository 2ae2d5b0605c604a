// DNS names as tshark prints them: labels joined by '.', compression pointers
// followed over the message's bytes, "." for the root name.
//
// net/dns.lps parses a name as its labels up to the root label or a pointer;
// each pointer's `target` (a schema reference, followed through one
// lp::PointerChain per name) parses the DnsName it points to. The rules keep
// hostile messages bounded: each hop must land before the previous one (so no
// loop can form), at most max_hops pointers, and the text at most max_length bytes.
// A name that breaks a rule, or whose labels do not parse, has no text (tshark
// prints nothing for it either; lpdump writes null).
//
// Cost: O(bytes of the labels visited); no heap (the text has inline storage).
#pragma once

#include <fmt/format.h>

#include <cstddef>

#include "libparse/bytes.hpp"
#include "libparse/format.hpp"
#include "net/dns.lp.hpp"

namespace lpdump {

using NameText = fmt::basic_memory_buffer<char, 320>;
// The texts of one DNS message's names and rdata, decoded once for all its
// lists (walk.cpp); a text that does not fit is decoded again when written.
using DnsText = fmt::basic_memory_buffer<char, 8192>;
// The most text one name can decode to: 254 label bytes each escaped to four
// characters, and the dots between labels.
inline constexpr std::size_t max_name_text = 254 * 4 + 127 + 1;

struct DnsNameLimits {
  std::size_t max_hops = 64;
  std::size_t max_length = 255;  // wire octets of the expanded name, as RFC 1035 §2.3.4
};

// Appends the text of `name`, a view into `message` (the DNS message from its
// header on); false when the name cannot be decoded (then `out` is unspecified).
// Bytes outside printable ASCII are escaped as tshark does: `\ddd`, three octal digits.
// For NameText, DnsText and fmt::memory_buffer.
template <class Text>
bool decode_dns_name(lp::bytes message, const net::DnsNameView& name, Text& out,
                     const DnsNameLimits& limits = {});

}  // namespace lpdump
