#include "dns_name.hpp"

#include <iterator>
#include <string_view>

namespace lpdump {

namespace {

template <class Text>
void append_label(Text& out, lp::bytes text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint8_t c = text.u8(i);
    // tshark's escapes: C's letters for BEL to CR, octal for other controls.
    constexpr std::string_view c_escapes = "abtnvfr";
    constexpr std::uint8_t bel = 0x07;
    constexpr std::uint8_t cr = 0x0D;
    if (c >= bel && c <= cr) {
      out.push_back('\\');
      out.push_back(c_escapes[c - bel]);
    } else if (c < 0x20 || c == 0x7F) {
      fmt::format_to(std::back_inserter(out), "\\{:03o}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

}  // namespace

template <class Text>
bool decode_dns_name(lp::bytes message, const net::DnsNameView& name, Text& out,
                     const DnsNameLimits& limits) {
  const std::size_t start = out.size();
  std::size_t wire_length = 1;  // the root label
  // The schema's reference (DnsPointer.target) follows each pointer; the chain
  // rejects forward pointers and loops, and counts hops.
  lp::ParseOptions options;
  options.max_pointer_hops = limits.max_hops;
  lp::PointerChain chain(message, options);
  net::DnsNameView current = name;
  for (;;) {
    std::optional<net::DnsPointerView> pointer;
    for (const net::DnsLabelView label : current.labels()) {
      if (const auto text = label.body_text()) {
        if (text->empty()) break;  // the root label ends the name
        wire_length += text->size() + 1;
        if (wire_length > limits.max_length) return false;
        if (out.size() != start) out.push_back('.');
        append_label(out, *text);
      } else if (const auto p = label.body_pointer()) {
        pointer = *p;
      }
    }
    if (!pointer) break;
    const auto next = pointer->target(chain);
    if (!next) return false;
    current = *next;
  }
  if (out.size() == start) out.push_back('.');
  return true;
}

template bool decode_dns_name(lp::bytes, const net::DnsNameView&, NameText&, const DnsNameLimits&);
template bool decode_dns_name(lp::bytes, const net::DnsNameView&, DnsText&, const DnsNameLimits&);
template bool decode_dns_name(lp::bytes, const net::DnsNameView&, fmt::memory_buffer&,
                              const DnsNameLimits&);

}  // namespace lpdump
