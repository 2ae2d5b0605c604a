// The transport layer of the walk (frame.hpp): TCP with its options, UDP,
// ICMP and ICMPv6, and the port tables by which tshark hands a payload to DNS
// or TLS.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "frame.hpp"
#include "libparse/endian.hpp"

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

// How tshark's walk over the TCP options ended: at their end (or at a bogus
// length, after which it goes on with the payload), or in an exception (a
// byte it reads was not captured, or an option its dissector cannot read),
// after which nothing more of the segment is listed.
enum class OptionsEnd { done, exception };

// The option kinds whose dissectors throw on a body too short for them
// (checked against tshark 4.0 on hand-built segments): SACK below one block,
// MPTCP without its subtype byte.
constexpr std::uint8_t tcp_option_mptcp = 30;
constexpr std::size_t sack_block_size = 8;

// The options as tshark 4.0 walks them, over the `size` bytes the data offset
// gives them of which `options` were captured. Each option needs its kind
// byte and (but EOL and NOP) its length byte captured, else an exception.
// A length below 2 or past the options' end ends the walk (bogus, no kind
// listed); otherwise the kind is listed, and the values of the first MSS,
// window scale and timestamps options of the right length, each once its bytes
// were captured. An option cut by the capture ends the walk in an exception
// after that. tshark lists each zero byte of the padding after an EOL as
// another EOL.
template <class W>
OptionsEnd tcp_options(Frame<W>& f, lp::bytes options, std::size_t size) {
  using K = net::TcpOptionKind;
  // The values tshark lists after the kinds, in the options' order: of the
  // first MSS, window scale and timestamps option each.
  struct Value {
    std::string_view key;
    std::uint32_t value;
  };
  std::array<Value, 4> values{};
  std::size_t kept = 0;
  bool mss = false;
  bool window_scale = false;
  bool timestamps = false;
  bool any = false;
  const auto list = [&](std::uint8_t kind) {
    if constexpr (W::wants_values) {
      if (!any) f.out.begin_list("option_kind");
      f.out.item(kind);
    }
    any = true;
  };
  OptionsEnd end = OptionsEnd::done;
  std::size_t offset = 0;
  std::size_t left = size;
  while (left > 0) {
    if (offset >= options.size()) {
      end = OptionsEnd::exception;
      break;
    }
    const std::uint8_t kind = options.u8(offset);
    --left;
    if (kind == static_cast<std::uint8_t>(K::EOL)) {
      list(kind);
      for (++offset; offset < options.size() && left > 0 && options.u8(offset) == 0;
           ++offset, --left) {
        list(0);
      }
      break;
    }
    if (kind == static_cast<std::uint8_t>(K::NOP)) {
      list(kind);
      ++offset;
      continue;
    }
    if (left == 0) break;
    if (offset + 1 >= options.size()) {
      end = OptionsEnd::exception;
      break;
    }
    const std::size_t length = options.u8(offset + 1);
    --left;
    if (length < 2 || length - 2 > left) break;
    list(kind);
    // The body's captured bytes.
    const lp::bytes body = options.drop_first(offset + 2).first(length - 2);
    const auto has = [&](std::size_t bytes) { return body.size() >= bytes; };
    if (kind == static_cast<std::uint8_t>(K::MSS) && length == 4 && !mss && has(2)) {
      mss = true;
      values[kept++] = {"options.mss", lp::load_be<std::uint16_t>(body.data())};
    } else if (kind == static_cast<std::uint8_t>(K::WINDOW_SCALE) && length == 3 && !window_scale &&
               has(1)) {
      window_scale = true;
      values[kept++] = {"options.wscale", body.u8(0)};
    } else if (kind == static_cast<std::uint8_t>(K::TIMESTAMPS) && length == 10 && !timestamps) {
      timestamps = true;
      if (has(4)) values[kept++] = {"options.tsval", lp::load_be<std::uint32_t>(body.data())};
      if (has(8)) values[kept++] = {"options.tsecr", lp::load_be<std::uint32_t>(body.data() + 4)};
    } else if ((kind == static_cast<std::uint8_t>(K::SACK) && length - 2 < sack_block_size) ||
               (kind == tcp_option_mptcp && length < 3)) {
      end = OptionsEnd::exception;
      break;
    }
    if (offset + length > options.size()) {
      end = OptionsEnd::exception;
      break;
    }
    offset += length;
    left -= length - 2;
  }
  if constexpr (W::wants_values) {
    if (any) f.out.end_list();
    for (std::size_t i = 0; i < kept; ++i) f.out.u(values[i].key, values[i].value);
  }
  return end;
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
  // tshark reads both ports before it adds the layer (`data` ends at the
  // datagram's length).
  if (!p.has(F::dst_port) || data.size() < 4) return f.stopped(p);
  f.out.layer(Layer::udp);
  f.out.u("srcport", u.src_port());
  f.out.u("dstport", u.dst_port());
  if (p.has_value(F::length)) f.out.u("length", u.length());
  if (!p.has(F::checksum)) return f.stopped(p);
  f.out.u("checksum", u.checksum());
  f.stopped(p);
  const bool is_dns = u.src_port() == dns_port || u.dst_port() == dns_port;
  if (!is_dns || u.length() <= net::UdpView::min_size) return;
  // A payload cut by the capture is dissected as far as it was captured.
  const lp::bytes payload = p.has(F::payload)
                                ? u.payload()
                                : data.drop_first(std::min(data.size(), net::UdpView::min_size));
  // tshark reads the id and flags before it adds the layer.
  constexpr std::size_t dns_layer_min = 4;
  if (payload.size() >= dns_layer_min) dns(f, payload);
}

template <class W>
void tcp(Frame<W>& f, const lp::Partial<net::TcpView>& p, lp::bytes data, std::size_t declared) {
  using F = net::TcpView::Field;
  const net::TcpView& t = p.view();
  // tshark reads both ports before it adds the layer, then the header up to
  // the window before it lists the sequence numbers, then the checksum and
  // the urgent pointer one by one (`data` ends at the datagram's length).
  constexpr std::size_t window_end = 16;
  if (!p.has(F::dst_port)) return f.stopped(p);
  f.out.layer(Layer::tcp);
  f.out.u("srcport", t.src_port());
  f.out.u("dstport", t.dst_port());
  if (data.size() < window_end || !p.has_value(F::data_offset)) return f.stopped(p);
  f.out.u("seq", t.seq());
  f.out.u("ack", t.ack());
  f.out.u("hdr_len", t.data_offset() * 4u);
  // A data offset below 5 ends the segment after hdr_len, as in tshark.
  if (!p.has(F::window)) return f.stopped(p);
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
  if (!p.has(F::checksum)) return f.stopped(p);
  f.out.u("checksum", t.checksum());
  if (!p.has(F::urgent_pointer)) return f.stopped(p);
  f.out.u("urgent_pointer", t.urgent_pointer());
  const std::size_t header = t.data_offset() * 4u;
  const lp::bytes options =
      data.first(std::min(header, data.size())).drop_first(net::TcpView::min_size);
  const OptionsEnd options_end = tcp_options(f, options, header - net::TcpView::min_size);
  f.stopped(p);
  if (options_end == OptionsEnd::exception || data.size() <= header) return;
  const lp::bytes payload = data.drop_first(header);
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
  // tshark reads the first 6 bytes (type to the identifier's place) before
  // it adds the layer.
  constexpr std::size_t icmp_layer_min = 6;
  if (message.size() < icmp_layer_min) return f.stopped(p);
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
