#include "walk.hpp"

#include <boost/endian/conversion.hpp>

#include <algorithm>
#include <array>
#include <type_traits>

#include "dns_name.hpp"
#include "libparse/endian.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "net/loopback.lp.hpp"
#include "net/sll.lp.hpp"
#include "output.hpp"
#include "tls/tls.lp.hpp"

namespace lpdump {

namespace {

// LINKTYPE_ values (capture::LinkType has them too; these are the ones walked).
constexpr std::uint32_t link_null = 0;
constexpr std::uint32_t link_loop = 108;
constexpr std::uint32_t link_ethernet = 1;
constexpr std::uint32_t link_raw = 101;
constexpr std::uint32_t link_ipv4 = 228;
constexpr std::uint32_t link_ipv6 = 229;
constexpr std::uint32_t link_sll = 113;
constexpr std::uint32_t link_sll2 = 276;

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_arp = 0x0806;
constexpr std::uint16_t ethertype_vlan = 0x8100;
constexpr std::uint16_t ethertype_qinq = 0x88A8;
constexpr std::uint16_t ethertype_ipv6 = 0x86DD;
// EtherType values up to this are an 802.3 length (tshark: eth.len).
constexpr std::uint16_t max_8023_length = 1500;

// ARP hardware types and values tshark handles apart (packet-arp.c).
constexpr std::uint16_t arp_hw_ax25 = 3;
constexpr std::uint16_t arp_hw_atm = 19;
constexpr std::size_t ax25_callsign_size = 7;
constexpr std::uint16_t ax25_pid_ip = 0xCC;  // AX.25's protocol id for IP
constexpr std::uint16_t arp_op_drarp_error = 7;
constexpr std::size_t arp_header_size = 8;

// ICMP and ICMPv6 types the schemas keep raw that tshark reads an identifier
// from: information request (15) and reply (16), address mask request (17)
// and reply (18); ICMPv6 extended echo request (160) and reply (161).
constexpr std::uint8_t icmp_info_request = 15;
constexpr std::uint8_t icmp_address_mask_reply = 18;
constexpr std::uint8_t icmpv6_extended_echo_request = 160;
constexpr std::uint8_t icmpv6_extended_echo_reply = 161;

// tshark's port tables (corpus README, "tshark behaviours").
constexpr bool is_tls_port(std::uint16_t port) noexcept {
  constexpr std::array<std::uint16_t, 22> ports{324,  443,   465,   636,   802,  853,  993,  995,
                                                1300, 2221,  2443,  3496,  5061, 5671, 5684, 5868,
                                                8883, 11207, 19999, 27017, 3249, 3250};
  if (port >= 3249 && port <= 3252) return true;
  return std::find(ports.begin(), ports.end(), port) != ports.end();
}
// MySQL, which switches to TLS after the client's SSL request.
constexpr std::uint16_t mysql_port = 3306;
constexpr bool is_dns_tcp_port(std::uint16_t port) noexcept { return port == 53 || port == 5353; }

// The IPv6 extension headers the walk steps over (corpus README: AH, ESP and
// mobility end the chain at ipv6).
constexpr bool is_ipv6_extension(std::uint8_t next) noexcept {
  return next == 0 || next == 43 || next == 44 || next == 60;
}

template <class W>
class Walk {
 public:
  explicit Walk(W& out) noexcept : out_(out) {}

  WalkResult frame(const Packet& packet) {
    uncaptured_ = packet.len > packet.data.size() ? packet.len - packet.data.size() : 0;
    out_.section("frame");
    out_.u("number", packet.number);
    out_.u("cap_len", packet.data.size());
    out_.u("len", packet.len);
    if (packet.has_time) out_.epoch("time_epoch", packet.seconds, packet.nanoseconds);
    if (packet.interface_id) out_.u("interface_id", *packet.interface_id);
    if (packet.options) comments(*packet.options);
    return link(packet.link_type, packet.data);
  }

 private:
  void comments(const PacketOptions& options) {
    bool any = false;
    for (const capture::PcapngPacketOptionView option : options) {
      if (const auto comment = option.value_comment()) {
        if (!any) out_.begin_list("comment");
        any = true;
        // tshark keeps a comment's text up to its first NUL byte.
        const std::string_view text = comment->text();
        out_.item_str(text.substr(0, text.find('\0')));
      }
    }
    if (any) out_.end_list();
  }

  WalkResult link(std::uint32_t link_type, lp::bytes data) {
    switch (link_type) {
      case link_ethernet:
        ethernet(data);
        return WalkResult::ok;
      case link_raw:
      case link_ipv4:
      case link_ipv6:
        raw_ip(data);
        return WalkResult::ok;
      case link_null:
      case link_loop:
        cooked<net::BsdLoopback>(data, [&](const auto& loop) {
          loopback(static_cast<std::uint32_t>(loop.family()), loop.payload());
        });
        return WalkResult::ok;
      case link_sll:
        cooked<net::LinuxSll>(data,
                              [&](const auto& sll) { ethertype(sll.protocol(), sll.payload()); });
        return WalkResult::ok;
      case link_sll2:
        cooked<net::LinuxSll2>(data,
                               [&](const auto& sll) { ethertype(sll.protocol(), sll.payload()); });
        return WalkResult::ok;
      default:
        return WalkResult::unsupported_link_type;
    }
  }

  // A link header that is not a layer of the chain (tshark skips sll, null,
  // loop): its payload goes to `next`, its error to the frame.
  template <class Header, class Next>
  void cooked(lp::bytes data, Next&& next) {
    if (const auto header = Header::parse(data)) {
      next(*header);
    } else {
      out_.error(header.error());
    }
  }

  // LINKTYPE_NULL's family is in the capturing machine's byte order: both
  // orders are accepted (tshark does the same).
  void loopback(std::uint32_t family, lp::bytes payload) {
    const std::uint32_t swapped = boost::endian::endian_reverse(family);
    const auto is = [&](net::LoopbackFamily f) {
      return family == static_cast<std::uint32_t>(f) || swapped == static_cast<std::uint32_t>(f);
    };
    if (is(net::LoopbackFamily::INET)) {
      ipv4(payload);
    } else if (is(net::LoopbackFamily::INET6_BSD) || is(net::LoopbackFamily::INET6_FREEBSD) ||
               is(net::LoopbackFamily::INET6_DARWIN)) {
      ipv6(payload);
    }
  }

  // Raw IP: the version nibble says which header follows (LINKTYPE_RAW has no
  // other field). Reading the nibble is the dispatch itself, not a field.
  void raw_ip(lp::bytes data) {
    if (data.empty()) return;
    if ((data.u8(0) >> 4) == 6) {
      ipv6(data);
    } else {
      ipv4(data);
    }
  }

  // A payload named by an EtherType (after SLL, or a VLAN tag kept raw).
  void ethertype(std::uint16_t type, lp::bytes payload) {
    switch (type) {
      case ethertype_ipv4:
        ipv4(payload);
        break;
      case ethertype_ipv6:
        ipv6(payload);
        break;
      case ethertype_arp:
        arp(payload);
        break;
      case ethertype_vlan:
      case ethertype_qinq:
        vlan(payload);
        break;
      default:
        break;
    }
  }

  // A layer that stopped on an error reports it (the writer keeps the first).
  template <class View>
  void stopped(const lp::Partial<View>& p) {
    if (!p.complete()) out_.error(p.error());
  }

  void ethernet(lp::bytes data) {
    using F = net::EthernetView::Field;
    const auto p = net::EthernetView::parse_partial(data);
    const net::EthernetView& eth = p.view();
    out_.layer(Layer::eth);
    if (p.has(F::dst)) out_.mac("dst", eth.dst().octets().bytes());
    if (p.has(F::src)) out_.mac("src", eth.src().octets().bytes());
    after_ethertype(p, data.drop_first(14), "type");
  }

  // What Ethernet and a VLAN tag share: the EtherType (or 802.3 length) and the
  // payload it names. `rest` is the captured bytes after the header.
  template <class View>
  void after_ethertype(const lp::Partial<View>& p, lp::bytes rest, std::string_view type_field) {
    using F = typename View::Field;
    const View& v = p.view();
    if (!p.has_value(F::ether_type)) return stopped(p);
    const auto type = static_cast<std::uint16_t>(v.ether_type());
    if (type <= max_8023_length) {
      out_.u("len", type);
      return;
    }
    out_.u(type_field, type);
    if (!p.has(F::payload) && !p.stopped_inside(F::payload)) return stopped(p);
    if (const auto ip = v.payload_ipv4()) return ipv4(p.inner(F::payload, *ip), rest);
    if (const auto ip = v.payload_ipv6()) return ipv6(p.inner(F::payload, *ip), rest);
    if (const auto a = v.payload_arp()) return arp(p.inner(F::payload, *a), rest);
    // QinQ: a tag inside a tag is the schema's recursive arm.
    if (const auto tag = v.payload_vlan()) return vlan(p.inner(F::payload, *tag), rest);
    stopped(p);
  }

  void vlan(lp::bytes data) { vlan(net::VlanView::parse_partial(data), data); }

  void vlan(const lp::Partial<net::VlanView>& p, lp::bytes data) {
    using F = net::VlanView::Field;
    const net::VlanView& tag = p.view();
    out_.layer(Layer::vlan);
    if (p.has(F::priority)) out_.u("priority", tag.priority());
    if (p.has(F::dei)) out_.u("dei", tag.dei());
    if (p.has(F::id)) out_.u("id", tag.id());
    after_ethertype(p, data.drop_first(4), "etype");
  }

  void arp(lp::bytes data) { arp(net::ArpView::parse_partial(data), data); }

  // ARP as tshark 4.0 lists it (checked on hand-built frames of every opcode
  // cut at every byte). The header's fields are listed as far as they were
  // captured. The addresses follow only when the whole packet fits in the
  // frame's length on the wire (tshark first sets its buffer to that length),
  // and once the addresses tshark reads for the Info column were captured
  // (arp_info_end), then one by one while captured; an empty address is not
  // listed. AX.25 (hardware type 3) and ATMARP (19) have their own dissectors,
  // which read the whole packet before listing anything; a packet cut before
  // its hardware type has no layer.
  void arp(const lp::Partial<net::ArpView>& p, lp::bytes data) {
    using F = net::ArpView::Field;
    const net::ArpView& a = p.view();
    // The hardware type chooses the dissector: without it there is no layer.
    if (!p.has(F::hw_type)) return stopped(p);
    if (a.hw_type() == arp_hw_atm) return atm_arp(data);
    if (a.hw_type() == arp_hw_ax25) return ax25_arp(p, data);
    out_.layer(Layer::arp);
    out_.u("hw.type", a.hw_type());
    if (p.has(F::proto_type)) out_.u("proto.type", a.proto_type());
    if (p.has(F::hw_size)) out_.u("hw.size", a.hw_size());
    if (p.has(F::proto_size)) out_.u("proto.size", a.proto_size());
    if (!p.has_value(F::opcode)) return stopped(p);
    const auto opcode = static_cast<std::uint16_t>(a.opcode());
    out_.u("opcode", opcode);
    const std::size_t hw = a.hw_size();
    const std::size_t proto = a.proto_size();
    const std::size_t total = arp_header_size + 2 * hw + 2 * proto;
    if (total > data.size() + uncaptured_ || data.size() < arp_info_end(opcode, hw, proto)) {
      return stopped(p);
    }
    const bool ipv4 = is_arp_ipv4(a.proto_type(), proto);
    if (hw != 0 && p.has(F::sender_hw)) out_.mac("src.hw", a.sender_hw());
    if (proto != 0 && p.has(F::sender_proto)) arp_proto("src.proto", a.sender_proto(), ipv4);
    if (hw != 0 && p.has(F::target_hw)) out_.mac("dst.hw", a.target_hw());
    // A DRARP error holds its status where the target's protocol address goes.
    const bool drarp_error = opcode == arp_op_drarp_error;
    if (proto != 0 && !drarp_error && p.has(F::target_proto)) {
      arp_proto("dst.proto", a.target_proto(), ipv4);
    }
    stopped(p);
  }

  // The bytes of an ARP packet that tshark reads for its Info column before
  // it lists the addresses: all four for a request or reply, the target's
  // hardware address (and the sender's before it) for the RARP, DRARP and
  // InARP requests, the sender's addresses for an InARP reply and the MARS
  // and MAPOS messages.
  static std::size_t arp_info_end(std::uint16_t opcode, std::size_t hw, std::size_t proto) {
    const std::size_t header = arp_header_size;
    switch (opcode) {
      case 1:  // request
      case 2:  // reply
      case 4:  // RARP reply
      case 6:  // DRARP reply
        return header + 2 * hw + 2 * proto;
      case 3:  // RARP request
      case 5:  // DRARP request
      case 8:  // InARP request
        return header + 2 * hw + proto;
      default:
        // InARP reply (9), MARS (11-22), MAPOS UNARP (23).
        if (opcode == 9 || (opcode >= 11 && opcode <= 23)) return header + hw + proto;
        return header;
    }
  }

  // AX.25 ARP: listed only when all of it was captured and fits the frame;
  // a 7-byte hardware address is an AX.25 callsign, a field the output schema
  // does not have.
  void ax25_arp(const lp::Partial<net::ArpView>& p, lp::bytes data) {
    if (!p.complete() || p->size() > data.size() + uncaptured_) return stopped(p);
    const net::ArpView& a = p.view();
    out_.layer(Layer::arp);
    out_.u("hw.type", a.hw_type());
    out_.u("proto.type", a.proto_type());
    out_.u("hw.size", a.hw_size());
    out_.u("proto.size", a.proto_size());
    out_.u("opcode", static_cast<std::uint16_t>(a.opcode()));
    const bool callsign = a.hw_size() == ax25_callsign_size;
    const bool ipv4 = is_arp_ipv4(a.proto_type(), a.proto_size());
    if (a.hw_size() != 0 && !callsign) out_.mac("src.hw", a.sender_hw());
    if (a.proto_size() != 0) arp_proto("src.proto", a.sender_proto(), ipv4);
    if (a.hw_size() != 0 && !callsign) out_.mac("dst.hw", a.target_hw());
    if (a.proto_size() != 0) arp_proto("dst.proto", a.target_proto(), ipv4);
  }

  // ATMARP: listed only when all of it was captured; its ATM numbers and
  // subaddresses are fields the output schema does not have.
  void atm_arp(lp::bytes data) {
    const auto p = net::AtmArpView::parse_partial(data);
    if (!p.complete()) return stopped(p);
    const net::AtmArpView& a = p.view();
    out_.layer(Layer::arp);
    out_.u("hw.type", a.hw_type());
    out_.u("proto.type", a.proto_type());
    out_.u("opcode", static_cast<std::uint16_t>(a.opcode()));
    if (a.sender_proto_size() != 0) {
      arp_proto("src.proto", a.sender_proto(), is_arp_ipv4(a.proto_type(), a.sender_proto_size()));
    }
    if (a.target_proto_size() != 0) {
      arp_proto("dst.proto", a.target_proto(), is_arp_ipv4(a.proto_type(), a.target_proto_size()));
    }
  }

  // tshark shows a protocol address as IPv4 when the protocol is IPv4 (its
  // EtherType, or AX.25's protocol id for IP) and the address has 4 bytes;
  // any other as colon-separated hex.
  static bool is_arp_ipv4(std::uint16_t proto_type, std::size_t size) noexcept {
    return size == 4 && (proto_type == static_cast<std::uint16_t>(net::EtherType::IPV4) ||
                         proto_type == ax25_pid_ip);
  }

  void arp_proto(std::string_view field, lp::bytes address, bool ipv4) {
    if (ipv4) {
      out_.ipv4(field, address);
    } else {
      out_.mac(field, address);
    }
  }

  void ipv4(lp::bytes data) { ipv4(net::Ipv4View::parse_partial(data), data); }

  void ipv4(const lp::Partial<net::Ipv4View>& p, lp::bytes data) {
    using F = net::Ipv4View::Field;
    const net::Ipv4View& ip = p.view();
    out_.layer(Layer::ip);
    if (!p.has_value(F::version)) return stopped(p);
    out_.u("version", ip.version());
    if (!p.has_value(F::ihl)) return stopped(p);
    out_.u("hdr_len", ip.ihl() * 4u);
    // tshark: an IHL below 5 gives version and hdr_len only.
    if (!p.has(F::ihl)) return stopped(p);
    if (p.has(F::ecn)) out_.u("dsfield", ip.dscp() << 2 | ip.ecn());
    if (p.has_value(F::total_length)) out_.u("len", ip.total_length());
    if (p.has(F::identification)) out_.u("id", ip.identification());
    if (p.has(F::more_fragments)) {
      out_.u("flags", ip.reserved() << 2 | ip.dont_fragment() << 1 | ip.more_fragments());
    }
    if (p.has(F::fragment_offset)) out_.u("frag_offset", ip.fragment_offset());
    if (p.has(F::ttl)) out_.u("ttl", ip.ttl());
    if (p.has_value(F::protocol)) out_.u("proto", static_cast<std::uint8_t>(ip.protocol()));
    if (p.has(F::checksum)) out_.u("checksum", ip.checksum());
    if (p.has(F::src)) out_.ipv4("src", ip.src().octets().bytes());
    if (p.has(F::dst)) out_.ipv4("dst", ip.dst().octets().bytes());
    if (!p.has(F::options)) {
      // The options failed: those up to the broken one are listed all the
      // same, as tshark does; when the capture cut them, tshark lists none.
      if constexpr (W::wants_values) {
        const std::size_t header = ip.ihl() * 4u;
        if (p.has(F::dst) && data.size() >= header) {
          ipv4_options_one_by_one(data.first(header).drop_first(20));
        }
      }
      return stopped(p);
    }
    if (W::wants_values && !ip.options().empty()) {
      out_.begin_list("opt.type");
      for (const net::Ipv4OptionView option : ip.options()) {
        out_.item(static_cast<std::uint8_t>(option.type()));
      }
      out_.end_list();
    }
    // Fragments: the first is dissected through its transport header, later
    // ones stop here (defragmentation is off).
    if (ip.fragment_offset() != 0) return stopped(p);
    const std::size_t header = ip.ihl() * 4u;
    const lp::bytes rest = data.drop_first(header);
    const std::size_t declared = ip.total_length() - header;
    const auto protocol = static_cast<std::uint8_t>(ip.protocol());
    if (p.stopped_at() == F::payload && !p.stopped_inside(F::payload)) {
      // total_length runs past the capture: the next layer over what was
      // captured, as tshark does.
      stopped(p);
      return transport(protocol, rest.first(declared), declared);
    }
    if (const auto udp = ip.payload_udp()) return this->udp(p.inner(F::payload, *udp), rest);
    if (const auto tcp = ip.payload_tcp())
      return this->tcp(p.inner(F::payload, *tcp), rest, declared);
    if (const auto icmp = ip.payload_icmp()) {
      return this->icmp(p.inner(F::payload, *icmp), rest.first(std::min(declared, rest.size())));
    }
    if (const auto inner = ip.payload_ipv4()) return ipv4(p.inner(F::payload, *inner), rest);
    if (const auto inner = ip.payload_ipv6()) return ipv6(p.inner(F::payload, *inner), rest);
    if (const auto raw = ip.payload_raw()) transport(protocol, *raw, declared);
    stopped(p);
  }

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
  void ipv4_options_one_by_one(lp::bytes options) {
    using F = net::Ipv4OptionView::Field;
    bool any = false;
    const auto list = [&](net::Ipv4OptionType type) {
      if (!any) out_.begin_list("opt.type");
      any = true;
      out_.item(static_cast<std::uint8_t>(type));
    };
    while (!options.empty()) {
      const auto option = net::Ipv4OptionView::parse_partial(options);
      if (option.complete()) {
        list(option->type());
        if (option->type() == net::Ipv4OptionType::EOL) break;
        options = options.drop_first(option->size());
        continue;
      }
      if (option.stopped_inside(F::body)) {
        list(option->type());
        options = options.drop_first(*option->length());
        continue;
      }
      // Its arm's fixed part did not fit the body (a body past the options is
      // errc::truncated, and is not listed).
      const bool short_body =
          option.stopped_at() == F::body && option.error().code() == lp::errc::bad_length;
      if (short_body) list(option->type());
      break;
    }
    if (any) out_.end_list();
  }

  // A payload the schema kept raw (a first fragment, IP-in-IP) or cut by the
  // capture: parsed with the next layer's own type. `declared` is its length
  // by the IP header.
  void transport(std::uint8_t protocol, lp::bytes payload, std::size_t declared) {
    switch (protocol) {
      case 4:
        return ipv4(payload);
      case 6:
        return tcp(net::TcpView::parse_partial(payload), payload, declared);
      case 17:
        return udp(net::UdpView::parse_partial(payload), payload);
      case 1:
        return icmp(net::IcmpView::parse_partial(payload), payload);
      case 41:
        return ipv6(payload);
      case 58:
        return icmpv6(net::Icmpv6View::parse_partial(payload), payload);
      default:
        return;
    }
  }

  void ipv6(lp::bytes data) { ipv6(net::Ipv6View::parse_partial(data), data); }

  void ipv6(const lp::Partial<net::Ipv6View>& p, lp::bytes data) {
    using F = net::Ipv6View::Field;
    const net::Ipv6View& ip = p.view();
    out_.layer(Layer::ipv6);
    if (!p.has_value(F::version)) return stopped(p);
    out_.u("version", ip.version());
    if (!p.has(F::version)) return stopped(p);
    if (p.has(F::traffic_class)) out_.u("tclass", ip.traffic_class());
    if (p.has(F::flow_label)) out_.u("flow", ip.flow_label());
    if (p.has(F::payload_length)) out_.u("plen", ip.payload_length());
    if (!p.has_value(F::next_header)) return stopped(p);
    const auto next = static_cast<std::uint8_t>(ip.next_header());
    out_.u("nxt", next);
    if (p.has(F::hop_limit)) out_.u("hlim", ip.hop_limit());
    if (p.has(F::src)) out_.ipv6("src", ip.src().octets().bytes());
    if (!p.has(F::dst)) return stopped(p);
    out_.ipv6("dst", ip.dst().octets().bytes());
    const lp::bytes rest = data.drop_first(40);
    // A payload length of 0 is an empty payload, except before a hop-by-hop
    // header, where it marks a jumbogram (RFC 2675) whose length is in the
    // header's Jumbo Payload option (tshark reads it the same way).
    std::size_t declared = ip.payload_length();
    if (declared == 0 && ip.next_header() == net::IpProto::HOPOPT) declared = jumbo_length(rest);
    if ((p.stopped_at() == F::payload && !p.stopped_inside(F::payload)) ||
        is_ipv6_extension(next)) {
      // Cut by the capture, or an extension-header chain: walked header by
      // header over what was captured, since tshark lists each header it can.
      stopped(p);
      return extensions(next, rest.first(std::min(declared, rest.size())), declared);
    }
    if (const auto inner = ip.payload_ipv6()) return ipv6(p.inner(F::payload, *inner), rest);
    if (const auto inner = ip.payload_ipv4()) return ipv4(p.inner(F::payload, *inner), rest);
    if (const auto udp = ip.payload_udp()) return this->udp(p.inner(F::payload, *udp), rest);
    if (const auto tcp = ip.payload_tcp()) {
      return this->tcp(p.inner(F::payload, *tcp), rest, ip.payload_length());
    }
    if (const auto icmp = ip.payload_icmpv6()) {
      return icmpv6(p.inner(F::payload, *icmp), rest.first(std::min(declared, rest.size())));
    }
    if (const auto raw = ip.payload_raw()) extensions(next, *raw, raw->size());
    stopped(p);
  }

  // The extension headers behind a fixed IPv6 header, then the payload.
  void extensions(std::uint8_t next, lp::bytes payload, std::size_t declared) {
    if (!is_ipv6_extension(next)) return transport(next, payload, declared);
    std::array<std::uint8_t, 16> types{};
    std::array<std::uint8_t, 16> nexts{};
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
      std::size_t header_size = 0;
      if (next == 44) {
        using F = net::Ipv6FragmentView::Field;
        const auto frag = net::Ipv6FragmentView::parse_partial(payload);
        if (!frag.has(F::identification)) break;
        nexts[count++] = static_cast<std::uint8_t>(frag->next_header());
        out_.u("fraghdr.offset", frag->offset());
        out_.u("fraghdr.more", frag->more());
        out_.u("fraghdr.ident", frag->identification());
        later_fragment = frag->offset() != 0;
        header_size = net::Ipv6FragmentView::min_size;
      } else if (next == 43) {
        using F = net::Ipv6RoutingView::Field;
        const auto routing = net::Ipv6RoutingView::parse_partial(payload);
        if (!routing.has(F::next_header)) break;
        nexts[count++] = static_cast<std::uint8_t>(routing->next_header());
        if (!routing.has(F::data)) break;
        const lp::bytes data = routing->data();
        header_size = static_cast<std::size_t>(data.data() + data.size() - payload.data());
      } else {
        using F = net::Ipv6OptionsView::Field;
        const auto options = net::Ipv6OptionsView::parse_partial(payload);
        if (!options.has(F::length)) break;
        nexts[count++] = static_cast<std::uint8_t>(options->next_header());
        if (options.has(F::options)) {
          const lp::bytes data = options->options().bytes();
          header_size = static_cast<std::size_t>(data.data() + data.size() - payload.data());
        } else {
          // Options that do not fill the header: the length field still says
          // where the next header starts, and tshark goes on there unless an
          // option ran past the bytes it has.
          header_size = options->length() * 8u + 8;
          if (!options_within(payload, header_size)) break;
        }
      }
      next = nexts[count - 1];
      used += header_size;
      payload = payload.drop_first(header_size);
    }
    if (count != 0) {
      out_.begin_list("ext");
      for (std::size_t i = 0; i < count; ++i) out_.item(types[i]);
      out_.end_list();
      out_.begin_list("ext.nxt");
      for (std::size_t i = 0; i < count; ++i) out_.item(nexts[i]);
      out_.end_list();
    }
    if (!later_fragment && !is_ipv6_extension(next)) {
      transport(next, payload, declared > used ? declared - used : 0);
    }
  }

  // Whether tshark's walk over the options of the `size`-byte options header at
  // the start of `payload` stays within `payload`: it adds each option (its
  // type, length and data) before it reads the next, without checking it
  // against the header's end, and stops when it gets past that end.
  static bool options_within(lp::bytes payload, std::size_t size) {
    if (size > payload.size()) return false;
    std::size_t offset = 2;
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
  static std::size_t jumbo_length(lp::bytes payload) {
    using F = net::Ipv6OptionsView::Field;
    constexpr std::uint8_t jumbo_payload = 0xC2;
    constexpr std::uint32_t max_payload_length = 0xFFFF;
    const auto header = net::Ipv6OptionsView::parse_partial(payload);
    if (!header.has(F::length)) return 0;
    lp::bytes options = payload.drop_first(2).first(header->length() * 8u + 6);
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

  void udp(const lp::Partial<net::UdpView>& p, lp::bytes data) {
    using F = net::UdpView::Field;
    const net::UdpView& u = p.view();
    out_.layer(Layer::udp);
    if (p.has(F::src_port)) out_.u("srcport", u.src_port());
    if (p.has(F::dst_port)) out_.u("dstport", u.dst_port());
    if (p.has_value(F::length)) out_.u("length", u.length());
    if (!p.has(F::checksum)) return stopped(p);
    out_.u("checksum", u.checksum());
    stopped(p);
    const bool dns_port = u.src_port() == 53 || u.dst_port() == 53;
    if (!dns_port || u.length() <= 8) return;
    // A payload cut by the capture is dissected as far as it was captured.
    dns(p.has(F::payload) ? u.payload() : data.drop_first(8));
  }

  // `declared` is the segment's length as the IP header gives it; TLS records
  // are reported only when they end within it.
  void tcp(const lp::Partial<net::TcpView>& p, lp::bytes data, std::size_t declared) {
    using F = net::TcpView::Field;
    const net::TcpView& t = p.view();
    out_.layer(Layer::tcp);
    if (p.has(F::src_port)) out_.u("srcport", t.src_port());
    if (p.has(F::dst_port)) out_.u("dstport", t.dst_port());
    // tshark reads the rest of the fixed header only when all 20 bytes are there.
    if (!p.has(F::urgent_pointer) && !p.has_value(F::data_offset)) return stopped(p);
    out_.u("seq", t.seq());
    out_.u("ack", t.ack());
    out_.u("hdr_len", t.data_offset() * 4u);
    if (!p.has(F::urgent_pointer)) return stopped(p);
    out_.u("flags", t.reserved() << 9 | t.ns() << 8 | t.cwr() << 7 | t.ece() << 6 | t.urg() << 5 |
                        t.ack_flag() << 4 | t.psh() << 3 | t.rst() << 2 | t.syn() << 1 | t.fin());
    out_.u("window", t.window());
    out_.u("checksum", t.checksum());
    out_.u("urgent_pointer", t.urgent_pointer());
    if (!p.has(F::options)) return stopped(p);
    if constexpr (W::wants_values) tcp_options(t);
    stopped(p);
    const std::size_t header = t.data_offset() * 4u;
    const lp::bytes payload = p.has(F::payload) ? t.payload() : data.drop_first(header);
    if (payload.empty()) return;
    const std::size_t payload_declared = declared > header ? declared - header : 0;
    if (is_dns_tcp_port(t.src_port()) || is_dns_tcp_port(t.dst_port())) {
      dns_tcp(payload);
    } else if (is_tls_port(t.src_port()) || is_tls_port(t.dst_port()) ||
               t.src_port() == mysql_port || t.dst_port() == mysql_port) {
      // MySQL: tshark finds TLS after the client's SSL request on the
      // connection, state across frames that lpdump does not keep (each frame
      // is dissected alone, also with -j): a segment on the port that starts
      // with a record header is taken as TLS (docs/conformance.md).
      tls(payload, payload_declared);
    }
  }

  // One walk over the options: the kinds are listed as they come, the values
  // tshark reports after the list are kept until it is closed.
  void tcp_options(const net::TcpView& t) {
    if (t.options_bytes().empty()) return;
    struct Value {
      net::TcpOptionKind kind;
      std::uint32_t first;
      std::uint32_t second;
    };
    // 40 bytes of options hold at most 13 of these (MSS 4, window scale 3, timestamps 10).
    std::array<Value, 16> values{};
    std::size_t kept = 0;
    out_.begin_list("option_kind");
    std::size_t used = 0;
    bool eol = false;
    bool mss = false;
    for (const net::TcpOptionView option : t.options()) {
      const net::TcpOptionKind kind = option.kind();
      out_.item(static_cast<std::uint8_t>(kind));
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
      for (std::size_t i = 0; i < padding.size() && padding.u8(i) == 0; ++i) out_.item(0);
    }
    out_.end_list();
    for (std::size_t i = 0; i < kept; ++i) {
      const Value& v = values[i];
      if (v.kind == net::TcpOptionKind::MSS) {
        out_.u("options.mss", v.first);
      } else if (v.kind == net::TcpOptionKind::WINDOW_SCALE) {
        out_.u("options.wscale", v.first);
      } else {
        out_.u("options.tsval", v.first);
        out_.u("options.tsecr", v.second);
      }
    }
  }

  // `message`: the ICMP message's captured bytes (within the IP payload's length).
  void icmp(const lp::Partial<net::IcmpView>& p, lp::bytes message) {
    using F = net::IcmpView::Field;
    using T = net::IcmpType;
    const net::IcmpView& i = p.view();
    out_.layer(Layer::icmp);
    if (p.has_value(F::type)) out_.u("type", static_cast<std::uint8_t>(i.type()));
    if (p.has(F::code)) out_.u("code", i.code());
    if (!p.has(F::checksum)) return stopped(p);
    out_.u("checksum", i.checksum());
    // The queries' identifier and sequence number, read from the body's own
    // bytes: those captured are listed whatever follows them (a timestamp is
    // a fixed-size arm, which the schema cuts as a whole).
    const lp::bytes body = message.drop_first(net::IcmpView::min_size);
    const T type = i.type();
    const auto t = static_cast<std::uint8_t>(type);
    if (type == T::ECHO_REQUEST || type == T::ECHO_REPLY ||
        (t >= icmp_info_request && t <= icmp_address_mask_reply)) {
      // Information and address mask messages (RFC 792, RFC 950) begin as an echo does.
      identifier_and_sequence<net::IcmpEchoView>(body, "ident", "seq");
    } else if (type == T::TIMESTAMP || type == T::TIMESTAMP_REPLY) {
      identifier_and_sequence<net::IcmpTimestampView>(body, "ident", "seq");
    } else if (type == T::EXTENDED_ECHO_REQUEST || type == T::EXTENDED_ECHO_REPLY) {
      // Only the identifier: tshark gives the 8-bit sequence its own key
      // (icmp.ext.seq), which the corpus schema does not have.
      identifier_and_sequence<net::IcmpExtendedEchoView>(body, "ident", {});
    }
    stopped(p);
  }

  // `message` as for icmp().
  void icmpv6(const lp::Partial<net::Icmpv6View>& p, lp::bytes message) {
    using F = net::Icmpv6View::Field;
    using T = net::Icmpv6Type;
    const net::Icmpv6View& i = p.view();
    out_.layer(Layer::icmpv6);
    if (p.has_value(F::type)) out_.u("type", static_cast<std::uint8_t>(i.type()));
    if (p.has(F::code)) out_.u("code", i.code());
    if (!p.has(F::checksum)) return stopped(p);
    out_.u("checksum", i.checksum());
    const lp::bytes body = message.drop_first(net::Icmpv6View::min_size);
    const T type = i.type();
    const auto t = static_cast<std::uint8_t>(type);
    if (type == T::ECHO_REQUEST || type == T::ECHO_REPLY) {
      identifier_and_sequence<net::Icmpv6EchoView>(body, "echo.identifier", "echo.sequence_number");
    } else if (t == icmpv6_extended_echo_request || t == icmpv6_extended_echo_reply) {
      // RFC 8335 extended echo (PROBE) has ICMPv4's layout: tshark reports
      // its identifier (its 8-bit sequence has another key, icmpv6.ext.seq).
      identifier_and_sequence<net::IcmpExtendedEchoView>(body, "echo.identifier", {});
    }
    stopped(p);
  }

  // The identifier and sequence fields of `body` parsed as `View`, each when
  // its bytes were captured; a `sequence_key` that is empty is not listed.
  template <class View>
  void identifier_and_sequence(lp::bytes body, std::string_view identifier_key,
                               std::string_view sequence_key) {
    using F = typename View::Field;
    const auto e = View::parse_partial(body);
    if (e.has(F::identifier)) out_.u(identifier_key, e->identifier());
    if (!sequence_key.empty() && e.has(F::sequence)) out_.u(sequence_key, e->sequence());
  }

  // ---- DNS

  // DNS over TCP: the length prefix, then a message of at most that many bytes.
  void dns_tcp(lp::bytes payload) {
    const auto p = net::DnsTcpView::parse_partial(payload);
    if (!p.has(net::DnsTcpView::Field::length)) return;
    const lp::bytes message = payload.drop_first(2).first(p.view().length());
    dns(message);
  }

  // Where a section's elements start and how many parsed whole: tshark lists a
  // question or record only when all of it was captured, so each is parsed
  // with its own type, one after the other.
  struct Section {
    std::size_t begin = 0;
    std::size_t count = 0;
    bool kept = false;  // its entries were gathered (it declares at most max_entries)
  };

  // A name or rdata text of one element, in the message's DnsText.
  enum class Text : std::uint8_t {
    ready,  // in the DnsText at [begin, begin + size)
    null,   // cannot be decoded
    again,  // decodes, but did not fit: decoded again when written (or TXT data)
  };
  struct TextRef {
    std::uint32_t begin;
    std::uint32_t size;
    Text state;
  };
  // One question or record as its lists need it, gathered by walk_section: the
  // lists are written from these, not by parsing the section once per list.
  struct Entry {
    std::uint32_t offset;  // in the message
    std::uint32_t ttl;
    std::uint16_t type;
    std::uint16_t rclass;
    TextRef name;
    TextRef data;
  };
  // Elements kept per section; a section that declares more is written by
  // walking it again per list.
  static constexpr std::size_t max_entries = 32;
  using Entries = std::array<Entry, max_entries>;

  // The text of `n` into `text` when it has room for any name, else only
  // whether it decodes.
  static TextRef keep_name(lp::bytes message, const net::DnsNameView& n, DnsText& text) {
    TextRef ref{static_cast<std::uint32_t>(text.size()), 0, Text::ready};
    if (text.capacity() - text.size() >= max_name_text) {
      if (decode_dns_name(message, n, text)) {
        ref.size = static_cast<std::uint32_t>(text.size() - ref.begin);
      } else {
        text.resize(ref.begin);
        ref.state = Text::null;
      }
      return ref;
    }
    NameText scratch;
    ref.state = decode_dns_name(message, n, scratch) ? Text::again : Text::null;
    return ref;
  }

  // Walks `count` elements from `offset`; with `entries`, keeps what the lists
  // need of the first max_entries (names and rdata decoded into `text`).
  template <class Type>
  static std::size_t walk_section(lp::bytes message, std::size_t& offset, std::size_t count,
                                  Entries* entries, DnsText& text) {
    std::size_t parsed = 0;
    for (; parsed < count && offset < message.size(); ++parsed) {
      const auto element = Type::parse(message.drop_first(offset));
      if (!element) {
        offset = message.size();  // the sections after a broken one are not read
        break;
      }
      Entry* entry = entries != nullptr && parsed < max_entries ? &(*entries)[parsed] : nullptr;
      TextRef name{0, 0, Text::again};
      if (entry != nullptr) {
        name = keep_name(message, element->name(), text);
        entry->offset = static_cast<std::uint32_t>(offset);
        entry->name = name;
        keep_fields(message, *element, *entry, text);
      } else {
        NameText scratch;
        if (!decode_dns_name(message, element->name(), scratch)) name.state = Text::null;
      }
      offset += element->size();
      // tshark stops the message at a name it cannot decode (that element is
      // still listed, its name null).
      if (name.state == Text::null) {
        offset = message.size();
        return parsed + 1;
      }
    }
    return parsed;
  }

  static void keep_fields(lp::bytes, const net::DnsQuestionView& q, Entry& e, DnsText&) {
    e.type = static_cast<std::uint16_t>(q.qtype());
    e.rclass = q.qclass();
  }

  static void keep_fields(lp::bytes message, const net::DnsRecordView& r, Entry& e, DnsText& text) {
    e.type = static_cast<std::uint16_t>(r.type());
    e.rclass = r.rclass();
    e.ttl = r.ttl();
    e.data = TextRef{static_cast<std::uint32_t>(text.size()), 0, Text::again};
    // Two names and five numbers at most.
    if (text.capacity() - text.size() < 2 * max_name_text + 64) return;
    switch (format_rdata(message, r, text)) {
      case Rdata::text:
        e.data.state = Text::ready;
        e.data.size = static_cast<std::uint32_t>(text.size() - e.data.begin);
        break;
      case Rdata::null:
        e.data.state = Text::null;
        text.resize(e.data.begin);
        break;
      case Rdata::txt:
        text.resize(e.data.begin);
        break;
    }
  }

  template <class Type, class Fn>
  static void each(lp::bytes message, const Section& section, Fn&& fn) {
    std::size_t offset = section.begin;
    for (std::size_t i = 0; i < section.count; ++i) {
      const auto element = Type::parse(message.drop_first(offset));
      fn(*element);
      offset += element->size();
    }
  }

  // The keys of a section's lists: name, type, class, then ttl and data.
  using Keys = std::array<std::string_view, 5>;
  static constexpr Keys qd_keys{"qd.name", "qd.type", "qd.class", "", ""};
  static constexpr Keys an_keys{"an.name", "an.type", "an.class", "an.ttl", "an.data"};
  static constexpr Keys ns_keys{"ns.name", "ns.type", "ns.class", "ns.ttl", "ns.data"};
  static constexpr Keys ar_keys{"ar.name", "ar.type", "ar.class", "ar.ttl", "ar.data"};

  void dns(lp::bytes message) {
    using F = net::DnsView::Field;
    const auto p = net::DnsView::parse_partial(message);
    const net::DnsView& d = p.view();
    out_.layer(Layer::dns);
    if (p.has(F::id)) out_.u("id", d.id());
    if (!p.has(F::rcode)) return stopped(p);
    out_.u("flags", d.qr() << 15 | static_cast<unsigned>(d.opcode()) << 11 | d.aa() << 10 |
                        d.tc() << 9 | d.rd() << 8 | d.ra() << 7 | d.z() << 6 | d.ad() << 5 |
                        d.cd() << 4 | static_cast<unsigned>(d.rcode()));
    if (p.has(F::qdcount)) out_.u("count.queries", d.qdcount());
    if (p.has(F::ancount)) out_.u("count.answers", d.ancount());
    if (p.has(F::nscount)) out_.u("count.auth_rr", d.nscount());
    if (!p.has(F::arcount)) return stopped(p);
    out_.u("count.add_rr", d.arcount());
    stopped(p);
    // The sections only give lists: a writer without values has all it needs.
    if constexpr (W::wants_values) sections(message, d);
  }

  void sections(lp::bytes message, const net::DnsView& d) {
    constexpr std::size_t header_size = 12;
    std::size_t offset = header_size;
    std::array<Section, 4> sections{};
    std::array<Entries, 4> entries;  // only the first sections[i].count are set
    DnsText text;
    const std::array<std::size_t, 4> counts{d.qdcount(), d.ancount(), d.nscount(), d.arcount()};
    for (std::size_t i = 0; i < sections.size(); ++i) {
      sections[i].begin = offset;
      sections[i].kept = counts[i] <= max_entries;
      Entries* kept = sections[i].kept ? &entries[i] : nullptr;
      sections[i].count =
          i == 0 ? walk_section<net::DnsQuestion>(message, offset, counts[i], kept, text)
                 : walk_section<net::DnsRecord>(message, offset, counts[i], kept, text);
    }
    lists<net::DnsQuestion>(qd_keys, message, sections[0], entries[0], text);
    lists<net::DnsRecord>(an_keys, message, sections[1], entries[1], text);
    lists<net::DnsRecord>(ns_keys, message, sections[2], entries[2], text);
    lists<net::DnsRecord>(ar_keys, message, sections[3], entries[3], text);
  }

  template <class Type>
  void lists(const Keys& keys, lp::bytes message, const Section& section, const Entries& entries,
             const DnsText& text) {
    if (section.count == 0) return;
    constexpr bool is_record = std::is_same_v<Type, net::DnsRecord>;
    if (!section.kept) {
      if constexpr (is_record) {
        records_again(keys, message, section);
      } else {
        questions_again(message, section);
      }
      return;
    }
    const auto kept = [&](const TextRef& ref) {
      return std::string_view(text.data() + ref.begin, ref.size);
    };
    const auto element = [&](const Entry& e) { return *Type::parse(message.drop_first(e.offset)); };
    // A kept text, null, or (state again) what `decode` writes now.
    const auto item_text = [&](const TextRef& ref, const auto& decode) {
      if (ref.state == Text::ready) {
        out_.item_str(kept(ref));
      } else if (ref.state == Text::null) {
        out_.item_null();
      } else {
        decode();
      }
    };
    const std::size_t n = section.count;
    out_.begin_list(keys[0]);
    for (std::size_t i = 0; i < n; ++i) {
      item_text(entries[i].name, [&] { name(message, element(entries[i]).name()); });
    }
    out_.end_list();
    out_.begin_list(keys[1]);
    for (std::size_t i = 0; i < n; ++i) out_.item(entries[i].type);
    out_.end_list();
    out_.begin_list(keys[2]);
    for (std::size_t i = 0; i < n; ++i) out_.item(entries[i].rclass);
    out_.end_list();
    if constexpr (is_record) {
      out_.begin_list(keys[3]);
      for (std::size_t i = 0; i < n; ++i) out_.item(entries[i].ttl);
      out_.end_list();
      out_.begin_list(keys[4]);
      for (std::size_t i = 0; i < n; ++i) {
        item_text(entries[i].data, [&] { rdata(message, element(entries[i])); });
      }
      out_.end_list();
    }
  }

  // A section of more than max_entries elements, one walk per list.
  void questions_again(lp::bytes message, const Section& section) {
    using Q = net::DnsQuestionView;
    out_.begin_list(qd_keys[0]);
    each<net::DnsQuestion>(message, section, [&](const Q& q) { name(message, q.name()); });
    out_.end_list();
    out_.begin_list(qd_keys[1]);
    each<net::DnsQuestion>(message, section,
                           [&](const Q& q) { out_.item(static_cast<std::uint16_t>(q.qtype())); });
    out_.end_list();
    out_.begin_list(qd_keys[2]);
    each<net::DnsQuestion>(message, section, [&](const Q& q) { out_.item(q.qclass()); });
    out_.end_list();
  }

  void records_again(const Keys& keys, lp::bytes message, const Section& section) {
    using R = net::DnsRecordView;
    const auto list = [&](std::string_view key, auto&& fn) {
      out_.begin_list(key);
      each<net::DnsRecord>(message, section, fn);
      out_.end_list();
    };
    list(keys[0], [&](const R& r) { name(message, r.name()); });
    list(keys[1], [&](const R& r) { out_.item(static_cast<std::uint16_t>(r.type())); });
    list(keys[2], [&](const R& r) { out_.item(r.rclass()); });
    list(keys[3], [&](const R& r) { out_.item(r.ttl()); });
    list(keys[4], [&](const R& r) { rdata(message, r); });
  }

  void name(lp::bytes message, const net::DnsNameView& n) {
    NameText text;
    if (decode_dns_name(message, n, text)) {
      out_.item_str(std::string_view(text.data(), text.size()));
    } else {
      out_.item_null();
    }
  }

  enum class Rdata : std::uint8_t { text, null, txt };

  // The rdata of `r` as tshark prints it, appended to `text`; TXT data is a
  // list of strings (written by rdata()), not one text.
  template <class Buffer>
  static Rdata format_rdata(lp::bytes message, const net::DnsRecordView& r, Buffer& text) {
    const auto append_name = [&](const net::DnsNameView& n) {
      return decode_dns_name(message, n, text);
    };
    const auto number = [&](std::uint64_t value) { append_uint(text, value); };
    bool ok = true;
    if (const auto a = r.rdata_a()) {
      append_ipv4(text, a->octets().bytes());
    } else if (const auto aaaa = r.rdata_aaaa()) {
      append_ipv6(text, aaaa->octets().bytes());
    } else if (const auto n = r.rdata_name()) {
      ok = append_name(*n);
    } else if (const auto mx = r.rdata_mx()) {
      number(mx->preference());
      text.push_back(' ');
      ok = append_name(mx->exchange());
    } else if (const auto srv = r.rdata_srv()) {
      number(srv->priority());
      text.push_back(' ');
      number(srv->weight());
      text.push_back(' ');
      number(srv->port());
      text.push_back(' ');
      ok = append_name(srv->target());
    } else if (const auto soa = r.rdata_soa()) {
      ok = append_name(soa->mname());
      text.push_back(' ');
      ok = ok && append_name(soa->rname());
      for (const std::uint32_t v :
           {soa->serial(), soa->refresh(), soa->retry(), soa->expire(), soa->minimum()}) {
        text.push_back(' ');
        number(v);
      }
    } else if (r.rdata_txt()) {
      return Rdata::txt;
    } else {
      ok = false;
    }
    return ok ? Rdata::text : Rdata::null;
  }

  void rdata(lp::bytes message, const net::DnsRecordView& r) {
    fmt::memory_buffer text;  // 500 bytes inline: no heap for any usual rdata
    switch (format_rdata(message, r, text)) {
      case Rdata::text:
        out_.item_str(std::string_view(text.data(), text.size()));
        break;
      case Rdata::null:
        out_.item_null();
        break;
      case Rdata::txt:
        out_.begin_item_list();
        for (const net::DnsCharacterStringView s : r.rdata_txt()->strings()) {
          out_.item_str(s.text());
        }
        out_.end_list();
        break;
    }
  }

  // ---- TLS

  // One record header as tshark lists it, and the fragment of a handshake
  // record captured whole (the messages tshark lists are read from it).
  struct TlsRecord {
    std::uint8_t content_type = 0;
    std::uint16_t version = 0;
    std::uint16_t length = 0;
    lp::bytes handshake;
  };

  // Records from the start of the TCP payload. A record is listed when its
  // header was captured and it ends within the segment's declared length; one
  // cut by the snap length gives its header fields only and ends the walk.
  // A payload that does not start with a record header is not TLS
  // (a continuation of an earlier record).
  void tls(lp::bytes payload, std::size_t declared) {
    using F = tls::OpaqueRecordView::Field;
    std::array<TlsRecord, 16> records{};
    std::size_t count = 0;
    std::size_t offset = 0;
    const std::byte* const captured_end = payload.data() + payload.size();
    while (offset < payload.size() && count < records.size()) {
      const lp::bytes rest = payload.drop_first(offset);
      const auto header = tls::OpaqueRecordView::parse_partial(rest);
      if (!header.has_value(F::length)) break;
      const tls::OpaqueRecordView& h = header.view();
      const auto type = static_cast<std::uint8_t>(h.content_type());
      const auto version = static_cast<std::uint16_t>(h.legacy_version());
      if (type < 20 || type > 24 || (version >> 8) != 3) break;
      const std::size_t end = offset + 5 + h.length();
      if (end > declared) break;
      // Whether there is a record is all a writer without values needs.
      if constexpr (!W::wants_values) return out_.layer(Layer::tls);
      TlsRecord& r = records[count++];
      r.content_type = type;
      r.version = version;
      r.length = h.length();
      if (!header.complete()) break;  // cut by the capture
      if (h.content_type() == tls::ContentType::HANDSHAKE) {
        r.handshake = h.fragment();
        // An extension running past the captured segment ends tshark's walk
        // (an exception): no message or record after it is listed.
        if (!each_message_of(r.handshake, captured_end, [](const HandshakeMessage&) {})) break;
      }
      offset = end;
    }
    if (count == 0) return;
    out_.layer(Layer::tls);
    out_.begin_list("record.content_type");
    for (std::size_t i = 0; i < count; ++i) out_.item(records[i].content_type);
    out_.end_list();
    out_.begin_list("record.version");
    for (std::size_t i = 0; i < count; ++i) out_.item(records[i].version);
    out_.end_list();
    out_.begin_list("record.length");
    for (std::size_t i = 0; i < count; ++i) out_.item(records[i].length);
    out_.end_list();
    handshakes(records, count, captured_end);
  }

  // What tshark reads of a ClientHello or ServerHello, in order, up to where
  // it stops: the version, the cipher suites (a ClientHello's list when its
  // length fits the message, a ServerHello's choice), and the extensions'
  // list when its length fits.
  struct Hello {
    bool client = false;
    bool has_version = false;
    std::uint16_t version = 0;
    bool has_suites = false;
    lp::array_view<lp::be_u16> suites;  // a ClientHello's
    std::uint16_t suite = 0;            // a ServerHello's
    bool has_extensions = false;
    lp::bytes extensions;  // the list's bytes, after its length
    // The end of the captured TCP payload: tshark's buffer, which an
    // extension's length is checked against before its type is listed.
    const std::byte* captured_end = nullptr;
  };

  // One handshake message tshark lists: a known type, all of it in the
  // record, and what tshark reads of it if it is a hello.
  struct HandshakeMessage {
    tls::HandshakeType type{};
    std::uint32_t length = 0;
    lp::bytes body;
    Hello hello;
  };

  // The handshake types tshark 4.0 knows (its ssl_31_handshake_type): a
  // message of another type is not listed, and one at the start of a
  // fragment of 16 bytes or more makes tshark take the record as encrypted.
  static bool is_known_handshake_type(tls::HandshakeType type) noexcept {
    switch (static_cast<std::uint8_t>(type)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5:
      case 6:
      case 8:
      case 11:
      case 12:
      case 13:
      case 14:
      case 15:
      case 16:
      case 20:
      case 21:
      case 22:
      case 23:
      case 24:
      case 25:
      case 67:
        return true;
      default:
        return false;
    }
  }

  // tshark's test for an encrypted handshake record (packet-tls.c,
  // is_encrypted_handshake_message): a fragment of at least 16 bytes that
  // starts with five zero bytes (an AEAD nonce), a type it does not know or a
  // length of 64 KiB or more. (It also takes every handshake record after a
  // ChangeCipherSpec of an earlier frame as encrypted: state across frames,
  // which lpdump does not keep.)
  static bool looks_encrypted(lp::bytes fragment) {
    constexpr std::size_t min_encrypted = 16;
    constexpr std::uint32_t max_plain_length = 0xFFFF;
    if (fragment.size() < min_encrypted) return false;
    const auto first = tls::HandshakeView::parse_partial(fragment);
    const bool zeros =
        fragment.first(5).as_string_view().find_first_not_of('\0') == std::string_view::npos;
    return zeros || !is_known_handshake_type(first->msg_type()) ||
           first->length() > max_plain_length;
  }

  // The messages of a handshake fragment as tshark walks them: each whole
  // message in turn, those of an unknown type skipped; a message that runs
  // past the fragment (continued in the next record) ends the walk. False
  // when a hello's extension ended tshark's whole TLS walk (each_extension).
  template <class Fn>
  static bool each_message_of(lp::bytes fragment, const std::byte* captured_end, Fn&& fn) {
    using F = tls::HandshakeView::Field;
    if (looks_encrypted(fragment)) return true;
    while (!fragment.empty()) {
      const auto h = tls::HandshakeView::parse_partial(fragment);
      if (!h.has(F::length)) return true;
      const std::size_t size = tls::HandshakeView::min_size + h->length();
      if (size > fragment.size()) return true;
      if (is_known_handshake_type(h->msg_type())) {
        HandshakeMessage m{h->msg_type(),
                           h->length(),
                           fragment.first(size).drop_first(tls::HandshakeView::min_size),
                           {}};
        m.hello = read_hello(m, captured_end);
        fn(m);
        if (!each_extension(m.hello, [](tls::ExtensionType) {})) return false;
      }
      fragment = fragment.drop_first(size);
    }
    return true;
  }

  // The extensions' list that starts `at` bytes into a hello's body, when its
  // two-byte length was read and fits the body.
  static void extension_list(Hello& hello, lp::bytes body, std::size_t at) {
    using F = tls::ClientHelloExtensionsView::Field;
    if (at >= body.size()) return;
    const lp::bytes rest = body.drop_first(at);
    constexpr std::size_t header = tls::ClientHelloExtensionsView::min_size;
    const auto list = tls::ClientHelloExtensionsView::parse_partial(rest);
    if (!list.has(F::length) || list->length() > rest.size() - header) return;
    hello.has_extensions = true;
    hello.extensions = rest.drop_first(header).first(list->length());
  }

  // What tshark lists of a hello: its fields as far as the schema's own view
  // parses them (a hello that breaks one of the RFC's limits on its fixed part
  // ends there), and its extensions' list, whose elements are read one by one
  // (each_extension), as tshark reads on past an extension that is wrong inside.
  static Hello read_hello(const HandshakeMessage& m, const std::byte* captured_end) {
    Hello hello;
    hello.captured_end = captured_end;
    const lp::bytes body = m.body;
    if (m.type == tls::HandshakeType::CLIENT_HELLO) {
      using F = tls::ClientHelloView::Field;
      const auto p = tls::ClientHelloView::parse_partial(body, m.length);
      hello.client = true;
      hello.has_version = p.has(F::legacy_version);
      if (hello.has_version) hello.version = static_cast<std::uint16_t>(p->legacy_version());
      hello.has_suites = p.has(F::cipher_suites);
      if (hello.has_suites) hello.suites = p->cipher_suites();
      if (p.has(F::hello_length)) extension_list(hello, body, p->hello_length());
    } else if (m.type == tls::HandshakeType::SERVER_HELLO) {
      using F = tls::ServerHelloView::Field;
      const auto p = tls::ServerHelloView::parse_partial(body, m.length);
      hello.has_version = p.has(F::legacy_version);
      if (hello.has_version) hello.version = static_cast<std::uint16_t>(p->legacy_version());
      hello.has_suites = p.has(F::cipher_suite);
      if (hello.has_suites) hello.suite = static_cast<std::uint16_t>(p->cipher_suite());
      if (p.has(F::hello_length)) extension_list(hello, body, p->hello_length());
    }
    return hello;
  }

  // Each extension of a hello's list as tshark reads it: once its four-byte
  // header is in the list, its type, unless its data runs past the captured
  // segment (tshark's tree item for it throws: false, the whole TLS walk
  // ends); then the walk ends at data running past the list. `fn(type)`.
  template <class Fn>
  static bool each_extension(const Hello& hello, Fn&& fn) {
    using F = tls::ClientHelloExtensionView::Field;
    constexpr std::size_t header = tls::ClientHelloExtensionView::min_size;
    lp::bytes list = hello.extensions;
    while (list.size() >= header) {
      const auto e = tls::ClientHelloExtensionView::parse_partial(list);
      if (!e.has(F::length)) return true;
      const auto captured = static_cast<std::size_t>(hello.captured_end - list.data());
      if (header + e->length() > captured) return false;
      fn(e->type());
      if (e->length() > list.size() - header) return true;
      list = list.drop_first(header + e->length());
    }
    return true;
  }

  // The host names of a ClientHello's server_name extensions: of a list that
  // parses, every name; else, as tshark reads them, names one by one while
  // the list's length fits the extension and each name fits the list.
  template <class Fn>
  static void each_server_name(const Hello& hello, Fn&& fn) {
    using E = tls::ClientHelloExtensionView::Field;
    using L = tls::ServerNameListView::Field;
    using N = tls::ServerNameView::Field;
    if (!hello.client) return;
    constexpr std::size_t header = tls::ClientHelloExtensionView::min_size;
    lp::bytes list = hello.extensions;
    while (list.size() >= header) {
      const auto e = tls::ClientHelloExtensionView::parse_partial(list);
      if (!e.has(E::length) || e->length() > list.size() - header) return;
      const lp::bytes data = list.drop_first(header).first(e->length());
      list = list.drop_first(header + e->length());
      if (e->type() != tls::ExtensionType::SERVER_NAME) continue;
      const auto names = tls::ServerNameListView::parse_partial(data);
      if (names.complete()) {
        for (const tls::ServerNameView n : names->names()) fn(n.name());
        continue;
      }
      constexpr std::size_t list_header = tls::ServerNameListView::min_size;
      if (!names.has_value(L::length) || names->length() > data.size() - list_header) continue;
      lp::bytes rest = data.drop_first(list_header).first(names->length());
      while (!rest.empty()) {
        const auto n = tls::ServerNameView::parse_partial(rest);
        if (!n.has_value(N::length)) break;
        const std::size_t size = tls::ServerNameView::min_size + n->length();
        if (size > rest.size()) break;
        fn(rest.first(size).drop_first(tls::ServerNameView::min_size).as_string_view());
        rest = rest.drop_first(size);
      }
    }
  }

  // The handshake lists. The messages and what tshark reads of the hellos are
  // gathered in one walk over the records and the lists written from what was
  // kept; a segment with more messages than are kept is walked again per list.
  template <class Records>
  void handshakes(const Records& records, std::size_t count, const std::byte* captured_end) {
    const auto each = [&](auto&& fn) {
      for (std::size_t i = 0; i < count; ++i)
        each_message_of(records[i].handshake, captured_end, fn);
    };
    constexpr std::size_t max_kept = 8;
    std::array<HandshakeMessage, max_kept> kept{};
    std::size_t messages = 0;
    std::size_t versions = 0;
    std::size_t suites = 0;
    std::size_t extensions = 0;
    std::size_t names = 0;
    each([&](const HandshakeMessage& m) {
      const Hello& hello = m.hello;
      if (messages < max_kept) kept[messages] = m;
      ++messages;
      versions += hello.has_version ? 1 : 0;
      suites += hello.has_suites && (!hello.client || !hello.suites.empty()) ? 1 : 0;
      each_extension(hello, [&](tls::ExtensionType) { ++extensions; });
      each_server_name(hello, [&](std::string_view) { ++names; });
    });
    if (messages == 0) return;
    // `fn(message, hello)` for each message, from what was kept when all of them were.
    const auto each_kept = [&](auto&& fn) {
      if (messages > max_kept) return each([&](const HandshakeMessage& m) { fn(m, m.hello); });
      for (std::size_t i = 0; i < messages; ++i) fn(kept[i], kept[i].hello);
    };
    out_.begin_list("handshake.type");
    each_kept([&](const HandshakeMessage& m, const Hello&) {
      out_.item(static_cast<std::uint8_t>(m.type));
    });
    out_.end_list();
    out_.begin_list("handshake.length");
    each_kept([&](const HandshakeMessage& m, const Hello&) { out_.item(m.length); });
    out_.end_list();
    if (versions != 0) {
      out_.begin_list("handshake.version");
      each_kept([&](const HandshakeMessage&, const Hello& h) {
        if (h.has_version) out_.item(h.version);
      });
      out_.end_list();
    }
    if (suites != 0) {
      out_.begin_list("handshake.ciphersuite");
      each_kept([&](const HandshakeMessage&, const Hello& h) {
        if (!h.has_suites) return;
        if (!h.client) return out_.item(h.suite);
        for (const std::uint16_t suite : h.suites) out_.item(suite);
      });
      out_.end_list();
    }
    if (extensions != 0) {
      out_.begin_list("handshake.extension.type");
      each_kept([&](const HandshakeMessage&, const Hello& h) {
        each_extension(
            h, [&](tls::ExtensionType type) { out_.item(static_cast<std::uint16_t>(type)); });
      });
      out_.end_list();
    }
    if (names != 0) {
      out_.begin_list("handshake.sni");
      each_kept([&](const HandshakeMessage&, const Hello& h) {
        each_server_name(h, [&](std::string_view name) { out_.item_str(name); });
      });
      out_.end_list();
    }
  }

  W& out_;
  // The bytes of the frame the capture did not keep (its length on the wire
  // minus the captured length): a layer that runs to the end of the frame is
  // this much longer on the wire than what `data` holds.
  std::size_t uncaptured_ = 0;
};

}  // namespace

bool supported_link_type(std::uint32_t link_type) noexcept {
  return link_type == link_null || link_type == link_loop || link_type == link_ethernet ||
         link_type == link_raw || link_type == link_ipv4 || link_type == link_ipv6 ||
         link_type == link_sll || link_type == link_sll2;
}

template <class Writer>
WalkResult dissect(const Packet& packet, Writer& out) {
  out.begin_frame();
  const WalkResult result = Walk<Writer>(out).frame(packet);
  out.end_frame();
  return result;
}

template WalkResult dissect(const Packet&, JsonWriter&);
template WalkResult dissect(const Packet&, TreeWriter&);
template WalkResult dissect(const Packet&, ChainWriter&);

}  // namespace lpdump
