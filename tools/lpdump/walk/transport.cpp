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
#include "net/dns.lp.hpp"

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
// The UDP ports of tshark 4.0's port table (`tshark -G decodes`, udp.port):
// a datagram to or from one goes to that port's dissector, not to the
// heuristics (of which DNS's, below, is one).
constexpr std::array<std::uint16_t, 328> tshark_udp_ports{
    0,     7,     13,    19,    37,    49,    53,    67,    68,    69,    88,    111,   123,
    137,   138,   161,   162,   173,   177,   213,   269,   319,   320,   389,   427,   434,
    464,   473,   496,   500,   502,   513,   514,   520,   521,   524,   525,   539,   546,
    547,   573,   623,   631,   646,   654,   664,   698,   699,   701,   750,   853,   854,
    910,   921,   925,   1001,  1044,  1052,  1069,  1089,  1090,  1091,  1101,  1113,  1153,
    1194,  1293,  1547,  1628,  1629,  1645,  1646,  1700,  1701,  1718,  1719,  1745,  1755,
    1812,  1813,  1900,  1985,  2029,  2048,  2055,  2067,  2099,  2123,  2152,  2157,  2190,
    2221,  2222,  2231,  2246,  2268,  2269,  2313,  2345,  2424,  2427,  2428,  2727,  2887,
    2944,  2945,  2948,  2949,  2960,  3000,  3121,  3130,  3205,  3222,  3250,  3333,  3343,
    3357,  3386,  3389,  3452,  3455,  3478,  3483,  3503,  3540,  3544,  3567,  3622,  3671,
    3784,  3785,  3792,  3799,  3804,  3819,  3863,  3956,  4000,  4011,  4058,  4305,  4306,
    4307,  4341,  4342,  4500,  4533,  4534,  4551,  4555,  4556,  4569,  4665,  4672,  4713,
    4729,  4739,  4754,  4784,  4789,  4790,  4791,  4991,  5000,  5001,  5031,  5050,  5060,
    5072,  5094,  5246,  5247,  5264,  5265,  5350,  5351,  5353,  5355,  5404,  5405,  5436,
    5555,  5567,  5678,  5683,  5684,  5868,  6060,  6073,  6081,  6084,  6087,  6118,  6160,
    6343,  6543,  6635,  6666,  6696,  6784,  6970,  7000,  7001,  7002,  7003,  7004,  7005,
    7006,  7007,  7008,  7009,  7010,  7021,  7074,  7075,  7255,  7275,  7784,  8000,  8116,
    8161,  8200,  8211,  8600,  8611,  8612,  8613,  8614,  8755,  8767,  8805,  8848,  9003,
    9200,  9201,  9202,  9203,  9214,  9600,  9875,  9877,  9899,  9901,  9955,  9956,  9996,
    9999,  10253, 10500, 11211, 11273, 11898, 12000, 12001, 12002, 12003, 12004, 12220, 12222,
    12223, 13400, 13819, 13907, 13910, 17220, 17500, 17754, 17755, 17756, 18246, 19132, 19788,
    19948, 19999, 20000, 20561, 22222, 23272, 24576, 24577, 25826, 26000, 27036, 27500, 27910,
    27950, 27951, 27952, 27953, 27960, 27961, 27962, 27963, 30030, 32000, 32512, 34962, 34980,
    37008, 41170, 44818, 45564, 47000, 47808, 49999, 54328, 56000, 56001, 56500, 56501, 57000,
    57001, 57032, 57033, 57500, 57501, 57532, 57533, 59000, 59001, 59032, 59033, 59500, 59501,
    59532, 59533, 60001};
bool is_tshark_udp_port(std::uint16_t port) noexcept {
  return std::binary_search(tshark_udp_ports.begin(), tshark_udp_ports.end(), port);
}

// tshark 4.0's DNS heuristic on UDP (checked on hand-built datagrams): a
// message longer than its header, opcode 0 (standard query); a query with
// one question, no answer or authority record and at most 10 additional; a
// response with at most one question, 100 answers, 10 authority and 10
// additional records. Nothing past the header is checked.
bool looks_like_dns(lp::bytes message) noexcept {
  using F = net::DnsView::Field;
  constexpr std::size_t header_size = 12;
  constexpr unsigned max_answers = 100;
  constexpr unsigned max_others = 10;
  if (message.size() <= header_size) return false;
  const auto p = net::DnsView::parse_partial(message);
  if (!p.has(F::arcount) || static_cast<unsigned>(p->opcode()) != 0) return false;
  if (p->qr() == 0) {
    return p->qdcount() == 1 && p->ancount() == 0 && p->nscount() == 0 &&
           p->arcount() <= max_others;
  }
  return p->qdcount() <= 1 && p->ancount() <= max_answers && p->nscount() <= max_others &&
         p->arcount() <= max_others;
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
  ListOnFirstItem<W> listed(f, "option_kind");
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
      listed.item(kind);
      for (++offset; offset < options.size() && left > 0 && options.u8(offset) == 0;
           ++offset, --left) {
        listed.item(0);
      }
      break;
    }
    if (kind == static_cast<std::uint8_t>(K::NOP)) {
      listed.item(kind);
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
    listed.item(kind);
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
  listed.close();
  if constexpr (W::wants_values) {
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
  if (u.length() <= net::UdpView::min_size) return;
  // A payload cut by the capture is dissected as far as it was captured.
  const lp::bytes payload = p.has(F::payload)
                                ? u.payload()
                                : data.drop_first(std::min(data.size(), net::UdpView::min_size));
  const bool is_dns = u.src_port() == dns_port || u.dst_port() == dns_port ||
                      (!is_tshark_udp_port(u.src_port()) && !is_tshark_udp_port(u.dst_port()) &&
                       looks_like_dns(payload));
  if (!is_dns) return;
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
