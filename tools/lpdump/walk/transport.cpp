// The transport layer of the walk (frame.hpp): TCP with its options, UDP,
// ICMP and ICMPv6, and the port tables by which tshark hands a payload to DNS
// or TLS.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "frame.hpp"

namespace lpdump::walk {

namespace {

// tshark's port tables (corpus README, "tshark behaviours").
constexpr std::uint16_t dns_port = 53;
constexpr bool is_dns_tcp_port(std::uint16_t port) noexcept {
  return port == dns_port || port == 5353;
}
constexpr bool is_tls_port(std::uint16_t port) noexcept {
  constexpr std::array<std::uint16_t, 20> ports{324,  443,  465,  636,   802,   853,  993,
                                                995,  1300, 2221, 2443,  3496,  5061, 5671,
                                                5684, 5868, 8883, 11207, 19999, 27017};
  if (port >= 3249 && port <= 3252) return true;
  return std::find(ports.begin(), ports.end(), port) != ports.end();
}
// MySQL switches to TLS after the client's SSL request. tshark follows that
// on the connection, state across frames that lpdump does not keep (each
// frame is dissected alone, also with -j): a segment on the port that starts
// with a record header is taken as TLS (docs/conformance.md).
constexpr std::uint16_t mysql_port = 3306;

// ICMP and ICMPv6 types the schemas keep raw that tshark reads an identifier
// from: information request (15) and reply (16), address mask request (17)
// and reply (18); ICMPv6 extended echo request (160) and reply (161).
constexpr std::uint8_t icmp_info_request = 15;
constexpr std::uint8_t icmp_address_mask_reply = 18;
constexpr std::uint8_t icmpv6_extended_echo_request = 160;
constexpr std::uint8_t icmpv6_extended_echo_reply = 161;

// One walk over the options: the kinds are listed as they come, the values
// tshark reports after the list are kept until it is closed.
template <class W>
void tcp_options(Frame<W>& f, const net::TcpView& t) {
  if (t.options_bytes().empty()) return;
  struct Value {
    net::TcpOptionKind kind;
    std::uint32_t first;
    std::uint32_t second;
  };
  // 40 bytes of options hold at most 13 of these (MSS 4, window scale 3, timestamps 10).
  std::array<Value, 16> values{};
  std::size_t kept = 0;
  f.out.begin_list("option_kind");
  std::size_t used = 0;
  bool eol = false;
  bool mss = false;
  for (const net::TcpOptionView option : t.options()) {
    const net::TcpOptionKind kind = option.kind();
    f.out.item(static_cast<std::uint8_t>(kind));
    used += option.size();
    eol = kind == net::TcpOptionKind::EOL;
    if (kept == values.size()) continue;
    if (const auto value = option.body_mss(); value && !mss) {
      values[kept++] = {kind, *value, 0};
      mss = true;
    } else if (const auto shift = option.body_window_scale()) {
      values[kept++] = {kind, *shift, 0};
    } else if (const auto ts = option.body_timestamps()) {
      values[kept++] = {kind, ts->value(), ts->echo()};
    }
  }
  // tshark lists each zero byte of the padding after an EOL as another EOL.
  if (eol) {
    const lp::bytes padding = t.options_bytes().drop_first(used);
    for (std::size_t i = 0; i < padding.size() && padding.u8(i) == 0; ++i) f.out.item(0);
  }
  f.out.end_list();
  for (std::size_t i = 0; i < kept; ++i) {
    const Value& v = values[i];
    if (v.kind == net::TcpOptionKind::MSS) {
      f.out.u("options.mss", v.first);
    } else if (v.kind == net::TcpOptionKind::WINDOW_SCALE) {
      f.out.u("options.wscale", v.first);
    } else {
      f.out.u("options.tsval", v.first);
      f.out.u("options.tsecr", v.second);
    }
  }
}

// The identifier and sequence fields of `body` parsed as `View`, each when
// its bytes were captured; a `sequence_key` that is empty is not listed.
template <class View, class W>
void identifier_and_sequence(Frame<W>& f, lp::bytes body, std::string_view identifier_key,
                             std::string_view sequence_key) {
  using F = typename View::Field;
  const auto e = View::parse_partial(body);
  if (e.has(F::identifier)) f.out.u(identifier_key, e->identifier());
  if (!sequence_key.empty() && e.has(F::sequence)) f.out.u(sequence_key, e->sequence());
}

// The header ICMP and ICMPv6 share (type, code, checksum), each field as far
// as it was captured; false when the checksum was not.
template <class W, class View>
bool icmp_header(Frame<W>& f, const lp::Partial<View>& p, Layer layer) {
  using F = typename View::Field;
  f.out.layer(layer);
  if (p.has_value(F::type)) f.out.u("type", static_cast<std::uint8_t>(p->type()));
  if (p.has(F::code)) f.out.u("code", p->code());
  if (!p.has(F::checksum)) return false;
  f.out.u("checksum", p->checksum());
  return true;
}

}  // namespace

template <class W>
void transport(Frame<W>& f, net::IpProto protocol, lp::bytes payload, std::size_t declared) {
  switch (protocol) {
    case net::IpProto::IPV4:
      return ipv4(f, payload);
    case net::IpProto::TCP:
      return tcp(f, net::TcpView::parse_partial(payload), payload, declared);
    case net::IpProto::UDP:
      return udp(f, net::UdpView::parse_partial(payload), payload);
    case net::IpProto::ICMP:
      return icmp(f, net::IcmpView::parse_partial(payload), payload);
    case net::IpProto::IPV6:
      return ipv6(f, payload);
    case net::IpProto::ICMPV6:
      return icmpv6(f, net::Icmpv6View::parse_partial(payload), payload);
    default:
      return;
  }
}

template <class W>
void udp(Frame<W>& f, const lp::Partial<net::UdpView>& p, lp::bytes data) {
  using F = net::UdpView::Field;
  const net::UdpView& u = p.view();
  f.out.layer(Layer::udp);
  if (p.has(F::src_port)) f.out.u("srcport", u.src_port());
  if (p.has(F::dst_port)) f.out.u("dstport", u.dst_port());
  if (p.has_value(F::length)) f.out.u("length", u.length());
  if (!p.has(F::checksum)) return f.stopped(p);
  f.out.u("checksum", u.checksum());
  f.stopped(p);
  const bool is_dns = u.src_port() == dns_port || u.dst_port() == dns_port;
  if (!is_dns || u.length() <= net::UdpView::min_size) return;
  // A payload cut by the capture is dissected as far as it was captured.
  dns(f, p.has(F::payload) ? u.payload() : data.drop_first(net::UdpView::min_size));
}

template <class W>
void tcp(Frame<W>& f, const lp::Partial<net::TcpView>& p, lp::bytes data, std::size_t declared) {
  using F = net::TcpView::Field;
  const net::TcpView& t = p.view();
  f.out.layer(Layer::tcp);
  if (p.has(F::src_port)) f.out.u("srcport", t.src_port());
  if (p.has(F::dst_port)) f.out.u("dstport", t.dst_port());
  // tshark reads the rest of the fixed header only when all 20 bytes are there.
  if (!p.has(F::urgent_pointer) && !p.has_value(F::data_offset)) return f.stopped(p);
  f.out.u("seq", t.seq());
  f.out.u("ack", t.ack());
  f.out.u("hdr_len", t.data_offset() * 4u);
  if (!p.has(F::urgent_pointer)) return f.stopped(p);
  f.out.flags("flags",
              pack_bits({{t.reserved(), 3},
                         {t.ns(), 1},
                         {t.cwr(), 1},
                         {t.ece(), 1},
                         {t.urg(), 1},
                         {t.ack_flag(), 1},
                         {t.psh(), 1},
                         {t.rst(), 1},
                         {t.syn(), 1},
                         {t.fin(), 1}}),
              FlagWord::tcp);
  f.out.u("window", t.window());
  f.out.u("checksum", t.checksum());
  f.out.u("urgent_pointer", t.urgent_pointer());
  if (!p.has(F::options)) return f.stopped(p);
  if constexpr (W::wants_values) tcp_options(f, t);
  f.stopped(p);
  const std::size_t header = t.data_offset() * 4u;
  const lp::bytes payload = p.has(F::payload) ? t.payload() : data.drop_first(header);
  if (payload.empty()) return;
  const std::size_t payload_declared = declared > header ? declared - header : 0;
  const auto either = [&](auto&& is) { return is(t.src_port()) || is(t.dst_port()); };
  if (either(is_dns_tcp_port)) {
    dns_tcp(f, payload);
  } else if (either(is_tls_port) || either([](std::uint16_t port) { return port == mysql_port; })) {
    tls(f, payload, payload_declared);
  }
}

template <class W>
void icmp(Frame<W>& f, const lp::Partial<net::IcmpView>& p, lp::bytes message) {
  using T = net::IcmpType;
  if (!icmp_header(f, p, Layer::icmp)) return f.stopped(p);
  // The queries' identifier and sequence number, read from the body's own
  // bytes: those captured are listed whatever follows them (a timestamp is
  // a fixed-size arm, which the schema cuts as a whole).
  const lp::bytes body = message.drop_first(net::IcmpView::min_size);
  const T type = p->type();
  const auto t = static_cast<std::uint8_t>(type);
  if (type == T::ECHO_REQUEST || type == T::ECHO_REPLY ||
      (t >= icmp_info_request && t <= icmp_address_mask_reply)) {
    // Information and address mask messages (RFC 792, RFC 950) begin as an echo does.
    identifier_and_sequence<net::IcmpEchoView>(f, body, "ident", "seq");
  } else if (type == T::TIMESTAMP || type == T::TIMESTAMP_REPLY) {
    identifier_and_sequence<net::IcmpTimestampView>(f, body, "ident", "seq");
  } else if (type == T::EXTENDED_ECHO_REQUEST || type == T::EXTENDED_ECHO_REPLY) {
    // Only the identifier: tshark gives the 8-bit sequence its own key
    // (icmp.ext.seq), which the corpus schema does not have.
    identifier_and_sequence<net::IcmpExtendedEchoView>(f, body, "ident", {});
  }
  f.stopped(p);
}

template <class W>
void icmpv6(Frame<W>& f, const lp::Partial<net::Icmpv6View>& p, lp::bytes message) {
  using T = net::Icmpv6Type;
  if (!icmp_header(f, p, Layer::icmpv6)) return f.stopped(p);
  const lp::bytes body = message.drop_first(net::Icmpv6View::min_size);
  const T type = p->type();
  const auto t = static_cast<std::uint8_t>(type);
  if (type == T::ECHO_REQUEST || type == T::ECHO_REPLY) {
    identifier_and_sequence<net::Icmpv6EchoView>(f, body, "echo.identifier",
                                                 "echo.sequence_number");
  } else if (t == icmpv6_extended_echo_request || t == icmpv6_extended_echo_reply) {
    // RFC 8335 extended echo (PROBE) has ICMPv4's layout: tshark reports
    // its identifier (its 8-bit sequence has another key, icmpv6.ext.seq).
    identifier_and_sequence<net::IcmpExtendedEchoView>(f, body, "echo.identifier", {});
  }
  f.stopped(p);
}

#define LPDUMP_INSTANTIATE(W)                                                             \
  template void transport(Frame<W>&, net::IpProto, lp::bytes, std::size_t);               \
  template void udp(Frame<W>&, const lp::Partial<net::UdpView>&, lp::bytes);              \
  template void tcp(Frame<W>&, const lp::Partial<net::TcpView>&, lp::bytes, std::size_t); \
  template void icmp(Frame<W>&, const lp::Partial<net::IcmpView>&, lp::bytes);            \
  template void icmpv6(Frame<W>&, const lp::Partial<net::Icmpv6View>&, lp::bytes);
LPDUMP_FOR_EACH_WRITER(LPDUMP_INSTANTIATE)
#undef LPDUMP_INSTANTIATE

}  // namespace lpdump::walk
