// The IP layer of the walk (frame.hpp): IPv4 with its options, IPv6 with its
// extension headers (hop-by-hop, routing, fragment, destination options) and
// jumbograms, and the tunnels between them.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "frame.hpp"
#include "libparse/endian.hpp"

namespace lpdump::walk {

namespace {

using net::IpProto;

// IHL's largest value, in bytes.
constexpr std::size_t max_header_size = 60;

// The header's length in bytes (IHL counts 32-bit words).
std::size_t header_size(const net::Ipv4View& ip) noexcept { return ip.ihl() * 4u; }

// The length below which tshark 4.0's dissector of an option type throws
// reading its fixed fields (each checked on hand-built frames); 0 for a type
// tshark has no dissector for, whose type it does not list.
constexpr std::size_t ipv4_option_min_length(std::uint8_t type) noexcept {
  switch (type) {
    case 149:  // selective directed broadcast
      return 2;
    case 7:    // record route
    case 130:  // security
    case 131:  // loose source route
    case 133:  // extended security
    case 137:  // strict source route
      return 3;
    case 11:   // MTU probe
    case 12:   // MTU reply
    case 68:   // timestamp
    case 136:  // stream id
    case 148:  // router alert
      return 4;
    case 134:  // CIPSO
      return 6;
    case 25:  // quick-start
      return 8;
    case 82:  // traceroute
      return 12;
    default:
      return 0;
  }
}

constexpr std::uint8_t ipv4_option_eol = 0;
constexpr std::uint8_t ipv4_option_nop = 1;

// The option at `offset` of `options` (`left` bytes of the header after its
// type byte) as tshark's option loops read it: its length, or 0 when it is
// bogus (no length byte in the header, below 2, past the header's end).
// nullopt when the length byte was not captured.
std::optional<std::size_t> ipv4_option_length(lp::bytes options, std::size_t offset,
                                              std::size_t left) {
  if (left == 0) return 0;
  if (offset + 1 >= options.size()) return std::nullopt;
  const std::size_t length = options.u8(offset + 1);
  return length < 2 || length - 2 > left - 1 ? 0 : length;
}

// tshark reads the options once before the destination address: a loose or
// strict source route whose pointer is still in its route makes its last
// address the packet's destination, and the header's field is then not
// listed as ip.dst. `options` are the captured bytes of the `size` the header
// gives them; a byte of a type or a length not captured is an exception.
OptionsEnd ipv4_source_route(lp::bytes options, std::size_t size, bool& routed) {
  routed = false;
  std::size_t offset = 0;
  std::size_t left = size;
  while (left > 0) {
    if (offset >= options.size()) return OptionsEnd::exception;
    const std::uint8_t type = options.u8(offset);
    --left;
    if (type == ipv4_option_eol) return OptionsEnd::done;
    if (type == ipv4_option_nop) {
      ++offset;
      continue;
    }
    const auto length = ipv4_option_length(options, offset, left);
    if (!length) return OptionsEnd::exception;
    if (*length == 0) return OptionsEnd::done;
    if (type == static_cast<std::uint8_t>(net::Ipv4OptionType::LOOSE_SOURCE_ROUTE) ||
        type == static_cast<std::uint8_t>(net::Ipv4OptionType::STRICT_SOURCE_ROUTE)) {
      if (offset + 2 >= options.size()) return OptionsEnd::exception;
      const std::size_t pointer = options.u8(offset + 2);
      routed = pointer >= 4 && pointer % 4 == 0 && pointer <= *length;
      return OptionsEnd::done;
    }
    offset += *length;
    left -= *length - 1;
  }
  return OptionsEnd::done;
}

// ip.opt.type as tshark lists it: when the capture cut the options, none (and
// an exception); otherwise each option of a type tshark has a dissector for,
// up to EOL or a bogus length. An option shorter than its dissector's fixed
// fields is listed, then ends the packet's dissection.
template <class W>
OptionsEnd ipv4_options(Frame<W>& f, lp::bytes options, std::size_t size) {
  if (options.size() < size) return OptionsEnd::exception;
  ListOnFirstItem<W> listed(f, "opt.type");
  OptionsEnd end = OptionsEnd::done;
  std::size_t offset = 0;
  std::size_t left = size;
  while (left > 0) {
    const std::uint8_t type = options.u8(offset);
    --left;
    if (type == ipv4_option_eol || type == ipv4_option_nop) {
      listed.item(type);
      if (type == ipv4_option_eol) break;
      ++offset;
      continue;
    }
    const std::size_t length = ipv4_option_length(options, offset, left).value_or(0);
    if (length == 0) break;
    if (const std::size_t min_length = ipv4_option_min_length(type); min_length != 0) {
      listed.item(type);
      if (length < min_length) {
        end = OptionsEnd::exception;
        break;
      }
    }
    offset += length;
    left -= length - 1;
  }
  listed.close();
  return end;
}

// The IPv6 extension headers the walk steps over (corpus README: AH, ESP and
// mobility end the chain at ipv6).
constexpr bool is_ipv6_extension(IpProto next) noexcept {
  return next == IpProto::HOPOPT || next == IpProto::IPV6_ROUTE || next == IpProto::IPV6_FRAG ||
         next == IpProto::IPV6_OPTS;
}

// Whether tshark's walk over the options of the `size`-byte options header at
// the start of `payload` stays within `payload`: it adds each option (its
// type, length and data) before it reads the next, without checking it
// against the header's end, and stops when it gets past that end.
bool options_within(lp::bytes payload, std::size_t size) {
  if (size > payload.size()) return false;
  std::size_t offset = net::Ipv6OptionsView::min_size;
  while (offset < size) {
    const auto option = net::Ipv6OptionView::parse(payload.drop_first(offset));
    if (!option) return false;
    offset += option->size();
  }
  return true;
}

// The length in the Jumbo Payload option (type 0xC2, 4 bytes of data) of
// the hop-by-hop header at the start of `payload`, 0 when there is none. As
// in tshark, the options are walked one by one until the first such option,
// whose value counts only above 65535 (RFC 2675: a smaller one is an error).
std::size_t jumbo_length(lp::bytes payload) {
  using F = net::Ipv6OptionsView::Field;
  constexpr std::uint8_t jumbo_payload = 0xC2;
  constexpr std::uint32_t max_payload_length = 0xFFFF;
  const auto header = net::Ipv6OptionsView::parse_partial(payload);
  if (!header.has(F::length)) return 0;
  lp::bytes options = payload.drop_first(net::Ipv6OptionsView::min_size)
                          .first(header->length() * 8u + 8 - net::Ipv6OptionsView::min_size);
  while (!options.empty()) {
    const auto option = net::Ipv6OptionView::parse(options);
    if (!option) return 0;
    if (option->type() == jumbo_payload && option->data().size() == 4) {
      const auto length = lp::load_be<std::uint32_t>(option->data().data());
      return length > max_payload_length ? length : 0;
    }
    options = options.drop_first(option->size());
  }
  return 0;
}

// The extension headers behind a fixed IPv6 header, then the payload.
template <class W>
void extensions(Frame<W>& f, IpProto next, lp::bytes payload, std::size_t declared) {
  if (!is_ipv6_extension(next)) return transport(f, next, payload, declared);
  std::array<IpProto, 16> types{};
  std::array<IpProto, 16> nexts{};
  std::size_t count = 0;
  bool later_fragment = false;
  std::size_t used = 0;
  // Each header is parsed as far as it goes (its own payload switch may fail
  // deeper down, or be cut by the capture). It is listed once the bytes tshark
  // reads before it adds the header are there: the next header (and, for the
  // options headers, the length); all 8 bytes of a fragment header. The chain
  // goes on past a header that is all there (for an options header whose
  // options fail, as long as tshark's walk over them stays in the payload); a
  // header cut by the capture is the last one listed.
  while (is_ipv6_extension(next) && count < types.size()) {
    types[count] = next;
    std::size_t size = 0;
    if (next == IpProto::IPV6_FRAG) {
      using F = net::Ipv6FragmentView::Field;
      const auto frag = net::Ipv6FragmentView::parse_partial(payload);
      if (!frag.has(F::identification)) break;
      nexts[count++] = frag->next_header();
      f.out.u("fraghdr.offset", frag->offset());
      f.out.u("fraghdr.more", frag->more());
      f.out.u("fraghdr.ident", frag->identification());
      later_fragment = frag->offset() != 0;
      size = net::Ipv6FragmentView::min_size;
    } else if (next == IpProto::IPV6_ROUTE) {
      using F = net::Ipv6RoutingView::Field;
      const auto routing = net::Ipv6RoutingView::parse_partial(payload);
      if (!routing.has(F::next_header)) break;
      nexts[count++] = routing->next_header();
      if (!routing.has(F::data)) break;
      const lp::bytes data = routing->data();
      size = static_cast<std::size_t>(data.data() + data.size() - payload.data());
    } else {
      using F = net::Ipv6OptionsView::Field;
      const auto options = net::Ipv6OptionsView::parse_partial(payload);
      if (!options.has(F::length)) break;
      nexts[count++] = options->next_header();
      if (options.has(F::options)) {
        const lp::bytes data = options->options().bytes();
        size = static_cast<std::size_t>(data.data() + data.size() - payload.data());
      } else {
        // Options that do not fill the header: the length field still says
        // where the next header starts, and tshark goes on there unless an
        // option ran past the bytes it has.
        size = options->length() * 8u + 8;
        if (!options_within(payload, size)) break;
      }
    }
    next = nexts[count - 1];
    used += size;
    payload = payload.drop_first(size);
  }
  if (count != 0) {
    f.out.begin_list("ext");
    for (std::size_t i = 0; i < count; ++i) f.out.item(static_cast<std::uint8_t>(types[i]));
    f.out.end_list();
    f.out.begin_list("ext.nxt");
    for (std::size_t i = 0; i < count; ++i) f.out.item(static_cast<std::uint8_t>(nexts[i]));
    f.out.end_list();
  }
  if (!later_fragment && !is_ipv6_extension(next)) {
    transport(f, next, payload, declared > used ? declared - used : 0);
  }
}

}  // namespace

template <class W>
void ipv4(Frame<W>& f, lp::bytes data) {
  ipv4(f, net::Ipv4View::parse_partial(data), data);
}

template <class W>
void ipv4(Frame<W>& f, const lp::Partial<net::Ipv4View>& p, lp::bytes data) {
  using F = net::Ipv4View::Field;
  const net::Ipv4View& ip = p.view();
  // Of an empty payload tshark lists no layer.
  if (data.empty()) return f.stopped(p);
  if (p.stopped_at() == F::total_length && p.has_value(F::total_length) && ip.total_length() == 0) {
    // tshark takes a total length of 0 for TCP segmentation offload's: the
    // packet is as long as what the frame holds from the header on (its
    // length on the wire). The header is read again from a copy that says
    // so; its options and payload are still read from `data`.
    std::array<std::byte, max_header_size> header{};
    const std::size_t copied = std::min(data.size(), header.size());
    std::copy_n(data.begin(), copied, header.begin());
    // A length past 65535 (Linux's BIG TCP) is kept aside for ip.len and the
    // payload's length; the copy says 65535.
    const std::size_t reported = data.size() + f.uncaptured;
    const std::size_t field = std::min<std::size_t>(reported, 0xFFFF);
    header[2] = static_cast<std::byte>(field >> 8);
    header[3] = static_cast<std::byte>(field & 0xFF);
    f.offload_length = reported;
    return ipv4(f, net::Ipv4View::parse_partial(lp::bytes(header.data(), copied)), data);
  }
  // The length tshark takes for an offloaded packet (above), used once.
  const std::size_t offload_length = std::exchange(f.offload_length, 0);
  // Read only where the partial view has it (a frame cut before byte 4 has not).
  const std::size_t total_length = offload_length != 0            ? offload_length
                                   : p.has_value(F::total_length) ? ip.total_length()
                                                                  : 0;
  f.out.layer(Layer::ip);
  if (!p.has_value(F::version)) return f.stopped(p);
  f.out.u("version", ip.version());
  // tshark hands an IPv4 header of version 6 to IPv6 (a capture that labels
  // IPv6 as IPv4); any other version ends the packet there.
  constexpr unsigned ipv6_version = 6;
  if (ip.version() == ipv6_version) return ipv6(f, data);
  if (!p.has_value(F::ihl)) return f.stopped(p);
  f.out.u("hdr_len", header_size(ip));
  // tshark: an IHL below 5 gives version and hdr_len only.
  if (!p.has(F::ihl)) return f.stopped(p);
  if (p.has(F::ecn)) f.out.u("dsfield", pack_bits({{ip.dscp(), 6}, {ip.ecn(), 2}}));
  if (p.has_value(F::total_length)) f.out.u("len", total_length);
  if (p.has(F::identification)) f.out.u("id", ip.identification());
  // tshark reads the flags and the fragment offset as one 16-bit word.
  if (p.has(F::fragment_offset)) {
    f.out.flags("flags",
                pack_bits({{ip.reserved(), 1}, {ip.dont_fragment(), 1}, {ip.more_fragments(), 1}}),
                FlagWord::ip);
  }
  if (p.has(F::fragment_offset)) f.out.u("frag_offset", ip.fragment_offset());
  if (p.has(F::ttl)) f.out.u("ttl", ip.ttl());
  if (p.has_value(F::protocol)) f.out.u("proto", static_cast<std::uint8_t>(ip.protocol()));
  if (p.has(F::checksum)) f.out.u("checksum", ip.checksum());
  if (p.has(F::src)) f.out.ipv4("src", ip.src().octets().bytes());
  if (!p.has(F::dst)) return f.stopped(p);
  const std::size_t options_size = header_size(ip) - net::Ipv4View::min_size;
  const lp::bytes options =
      data.first(std::min(header_size(ip), data.size())).drop_first(net::Ipv4View::min_size);
  bool routed = false;
  if (ipv4_source_route(options, options_size, routed) == OptionsEnd::exception) {
    return f.stopped(p);
  }
  if (!routed) f.out.ipv4("dst", ip.dst().octets().bytes());
  if (ipv4_options(f, options, options_size) == OptionsEnd::exception) return f.stopped(p);
  // Fragments: the first is dissected through its transport header, later
  // ones stop here (defragmentation is off).
  if (ip.fragment_offset() != 0) return f.stopped(p);
  const lp::bytes rest = data.drop_first(header_size(ip));
  const std::size_t declared = total_length - header_size(ip);
  if (!p.has(F::options) || (p.stopped_at() == F::payload && !p.stopped_inside(F::payload))) {
    // Options tshark reads past (the schema's view does not), or a
    // total_length that runs past the capture: the next layer over what was
    // captured, as tshark does.
    f.stopped(p);
    return transport(f, ip.protocol(), rest.first(std::min(declared, rest.size())), declared);
  }
  // The next layer reads no further than the datagram's length.
  const lp::bytes payload = rest.first(std::min(declared, rest.size()));
  if (const auto udp_view = ip.payload_udp()) {
    return udp(f, p.inner(F::payload, *udp_view), payload);
  }
  if (const auto tcp_view = ip.payload_tcp()) {
    return tcp(f, p.inner(F::payload, *tcp_view), payload, declared);
  }
  if (const auto icmp_view = ip.payload_icmp()) {
    return icmp(f, p.inner(F::payload, *icmp_view), payload);
  }
  if (const auto inner = ip.payload_ipv4()) return ipv4(f, p.inner(F::payload, *inner), rest);
  if (const auto inner = ip.payload_ipv6()) return ipv6(f, p.inner(F::payload, *inner), rest);
  if (const auto raw = ip.payload_raw()) transport(f, ip.protocol(), *raw, declared);
  f.stopped(p);
}

template <class W>
void ipv6(Frame<W>& f, lp::bytes data) {
  ipv6(f, net::Ipv6View::parse_partial(data), data);
}

template <class W>
void ipv6(Frame<W>& f, const lp::Partial<net::Ipv6View>& p, lp::bytes data) {
  using F = net::Ipv6View::Field;
  const net::Ipv6View& ip = p.view();
  f.out.layer(Layer::ipv6);
  if (!p.has_value(F::version)) return f.stopped(p);
  f.out.u("version", ip.version());
  // tshark's IPv6 dissector stops at a version other than 6.
  constexpr unsigned ipv6_version = 6;
  if (!p.has(F::version) || ip.version() != ipv6_version) return f.stopped(p);
  // tshark reads the traffic class and flow label as one 32-bit word.
  if (p.has(F::flow_label)) f.out.u("tclass", ip.traffic_class());
  if (p.has(F::flow_label)) f.out.u("flow", ip.flow_label());
  // tshark reads the payload length with the next header.
  if (p.has_value(F::next_header)) f.out.u("plen", ip.payload_length());
  if (!p.has_value(F::next_header)) return f.stopped(p);
  const IpProto next = ip.next_header();
  f.out.u("nxt", static_cast<std::uint8_t>(next));
  if (p.has(F::hop_limit)) f.out.u("hlim", ip.hop_limit());
  if (p.has(F::src)) f.out.ipv6("src", ip.src().octets().bytes());
  if (!p.has(F::dst)) return f.stopped(p);
  f.out.ipv6("dst", ip.dst().octets().bytes());
  const lp::bytes rest = data.drop_first(net::Ipv6View::min_size);
  // A payload length of 0 is an empty payload, except before a hop-by-hop
  // header, where it marks a jumbogram (RFC 2675) whose length is in the
  // header's Jumbo Payload option (tshark reads it the same way).
  std::size_t declared = ip.payload_length();
  if (declared == 0 && next == IpProto::HOPOPT) declared = jumbo_length(rest);
  if ((p.stopped_at() == F::payload && !p.stopped_inside(F::payload)) || is_ipv6_extension(next)) {
    // Cut by the capture, or an extension-header chain: walked header by
    // header over what was captured, since tshark lists each header it can.
    f.stopped(p);
    return extensions(f, next, rest.first(std::min(declared, rest.size())), declared);
  }
  if (const auto inner = ip.payload_ipv6()) return ipv6(f, p.inner(F::payload, *inner), rest);
  if (const auto inner = ip.payload_ipv4()) return ipv4(f, p.inner(F::payload, *inner), rest);
  const lp::bytes payload = rest.first(std::min(declared, rest.size()));
  if (const auto udp_view = ip.payload_udp()) {
    return udp(f, p.inner(F::payload, *udp_view), payload);
  }
  if (const auto tcp_view = ip.payload_tcp()) {
    return tcp(f, p.inner(F::payload, *tcp_view), payload, ip.payload_length());
  }
  if (const auto icmp_view = ip.payload_icmpv6()) {
    return icmpv6(f, p.inner(F::payload, *icmp_view), payload);
  }
  if (const auto raw = ip.payload_raw()) extensions(f, next, *raw, raw->size());
  f.stopped(p);
}

#define LPDUMP_INSTANTIATE(W)                                                  \
  template void ipv4(Frame<W>&, lp::bytes);                                    \
  template void ipv4(Frame<W>&, const lp::Partial<net::Ipv4View>&, lp::bytes); \
  template void ipv6(Frame<W>&, lp::bytes);                                    \
  template void ipv6(Frame<W>&, const lp::Partial<net::Ipv6View>&, lp::bytes);
LPDUMP_FOR_EACH_WRITER(LPDUMP_INSTANTIATE)
#undef LPDUMP_INSTANTIATE

}  // namespace lpdump::walk
