// The IP layer of the walk (frame.hpp): IPv4 with its options, IPv6 with its
// extension headers (hop-by-hop, routing, fragment, destination options) and
// jumbograms, and the tunnels between them.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "frame.hpp"
#include "libparse/endian.hpp"

namespace lpdump::walk {

namespace {

using net::IpProto;

// The header's length in bytes (IHL counts 32-bit words).
std::size_t header_size(const net::Ipv4View& ip) noexcept { return ip.ihl() * 4u; }

// ip.opt.type after Ipv4.options failed: each option parsed with its own
// type, one after the other (as the DNS records are). An option that parses
// is listed; EOL ends the list. Of one that fails, the type is listed when
// tshark's option dissector runs on it (checked against tshark 4.0): its
// length was read, is at least 2 and fits in the options. When only its
// body's content is wrong (a timestamp's data not a whole number of entries,
// a route's not of addresses) the walk goes on after its `length` bytes, as
// tshark's option loop does; a body too short for its arm's fixed part (a
// route's pointer, a timestamp's pointer and flags) ends it, as tshark's
// dissector throws there. A missing, short or overlong length is not listed,
// and nothing after it.
template <class W>
void ipv4_options_one_by_one(Frame<W>& f, lp::bytes options) {
  using F = net::Ipv4OptionView::Field;
  bool any = false;
  const auto list = [&](net::Ipv4OptionType type) {
    if (!any) f.out.begin_list("opt.type");
    any = true;
    f.out.item(static_cast<std::uint8_t>(type));
  };
  while (!options.empty()) {
    const auto option = net::Ipv4OptionView::parse_partial(options);
    if (option.complete()) {
      list(option->type());
      if (option->type() == net::Ipv4OptionType::EOL) break;
      options = options.drop_first(option->size());
      continue;
    }
    // Its arm's fixed part did not fit the body: the error names the arm's field
    // that ran out of the body's region (a body past the options is
    // errc::truncated, and is not listed).
    const bool short_body = option.stopped_at() == F::body &&
                            option.error().code() == lp::errc::bad_length &&
                            (option.error().region_overrun() || !option.stopped_inside(F::body));
    if (short_body) {
      list(option->type());
      break;
    }
    if (option.stopped_inside(F::body)) {
      list(option->type());
      options = options.drop_first(*option->length());
      continue;
    }
    break;
  }
  if (any) f.out.end_list();
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
  f.out.layer(Layer::ip);
  if (!p.has_value(F::version)) return f.stopped(p);
  f.out.u("version", ip.version());
  if (!p.has_value(F::ihl)) return f.stopped(p);
  f.out.u("hdr_len", header_size(ip));
  // tshark: an IHL below 5 gives version and hdr_len only.
  if (!p.has(F::ihl)) return f.stopped(p);
  if (p.has(F::ecn)) f.out.u("dsfield", pack_bits({{ip.dscp(), 6}, {ip.ecn(), 2}}));
  if (p.has_value(F::total_length)) f.out.u("len", ip.total_length());
  if (p.has(F::identification)) f.out.u("id", ip.identification());
  if (p.has(F::more_fragments)) {
    f.out.flags("flags",
                pack_bits({{ip.reserved(), 1}, {ip.dont_fragment(), 1}, {ip.more_fragments(), 1}}),
                FlagWord::ip);
  }
  if (p.has(F::fragment_offset)) f.out.u("frag_offset", ip.fragment_offset());
  if (p.has(F::ttl)) f.out.u("ttl", ip.ttl());
  if (p.has_value(F::protocol)) f.out.u("proto", static_cast<std::uint8_t>(ip.protocol()));
  if (p.has(F::checksum)) f.out.u("checksum", ip.checksum());
  if (p.has(F::src)) f.out.ipv4("src", ip.src().octets().bytes());
  if (p.has(F::dst)) f.out.ipv4("dst", ip.dst().octets().bytes());
  if (!p.has(F::options)) {
    // The options failed: those up to the broken one are listed all the
    // same, as tshark does; when the capture cut them, tshark lists none.
    if constexpr (W::wants_values) {
      if (p.has(F::dst) && data.size() >= header_size(ip)) {
        ipv4_options_one_by_one(f, data.first(header_size(ip)).drop_first(net::Ipv4View::min_size));
      }
    }
    return f.stopped(p);
  }
  if (W::wants_values && !ip.options().empty()) {
    f.out.begin_list("opt.type");
    for (const net::Ipv4OptionView option : ip.options()) {
      f.out.item(static_cast<std::uint8_t>(option.type()));
    }
    f.out.end_list();
  }
  // Fragments: the first is dissected through its transport header, later
  // ones stop here (defragmentation is off).
  if (ip.fragment_offset() != 0) return f.stopped(p);
  const lp::bytes rest = data.drop_first(header_size(ip));
  const std::size_t declared = ip.total_length() - header_size(ip);
  if (p.stopped_at() == F::payload && !p.stopped_inside(F::payload)) {
    // total_length runs past the capture: the next layer over what was
    // captured, as tshark does.
    f.stopped(p);
    return transport(f, ip.protocol(), rest.first(declared), declared);
  }
  if (const auto udp_view = ip.payload_udp()) return udp(f, p.inner(F::payload, *udp_view), rest);
  if (const auto tcp_view = ip.payload_tcp()) {
    return tcp(f, p.inner(F::payload, *tcp_view), rest, declared);
  }
  if (const auto icmp_view = ip.payload_icmp()) {
    return icmp(f, p.inner(F::payload, *icmp_view), rest.first(std::min(declared, rest.size())));
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
  if (!p.has(F::version)) return f.stopped(p);
  if (p.has(F::traffic_class)) f.out.u("tclass", ip.traffic_class());
  if (p.has(F::flow_label)) f.out.u("flow", ip.flow_label());
  if (p.has(F::payload_length)) f.out.u("plen", ip.payload_length());
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
  if (const auto udp_view = ip.payload_udp()) return udp(f, p.inner(F::payload, *udp_view), rest);
  if (const auto tcp_view = ip.payload_tcp()) {
    return tcp(f, p.inner(F::payload, *tcp_view), rest, ip.payload_length());
  }
  if (const auto icmp_view = ip.payload_icmpv6()) {
    return icmpv6(f, p.inner(F::payload, *icmp_view), rest.first(std::min(declared, rest.size())));
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
