// The link layer of the walk (frame.hpp): Ethernet II and 802.3, 802.1Q and
// 802.1ad tags, ARP (and tshark's AX.25 and ATMARP variants), and the link
// headers tshark does not list as a layer: Linux SLL and SLL2, BSD loopback,
// raw IP.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "capture/pcap.lp.hpp"
#include "frame.hpp"
#include "libparse/endian.hpp"
#include "net/loopback.lp.hpp"
#include "net/sll.lp.hpp"

namespace lpdump::walk {

namespace {

using capture::LinkType;
using net::EtherType;

constexpr bool is_8023_length(EtherType type) noexcept {
  return static_cast<std::uint16_t>(type) <= net::MAX_8023_LENGTH;
}

// ---- ARP

// ARP hardware types and values tshark handles apart (packet-arp.c).
constexpr std::uint16_t arp_hw_ax25 = 3;
constexpr std::uint16_t arp_hw_atm = 19;
constexpr std::size_t ax25_callsign_size = 7;
constexpr std::uint16_t ax25_pid_ip = 0xCC;  // AX.25's protocol id for IP
constexpr std::uint16_t arp_op_drarp_error = 7;
constexpr std::size_t arp_header_size = 8;

// tshark shows a protocol address as IPv4 when the protocol is IPv4 (its
// EtherType, or AX.25's protocol id for IP) and the address has 4 bytes;
// any other as colon-separated hex.
bool is_arp_ipv4(std::uint16_t proto_type, std::size_t size) noexcept {
  return size == 4 &&
         (proto_type == static_cast<std::uint16_t>(EtherType::IPV4) || proto_type == ax25_pid_ip);
}

template <class W>
void arp_proto(Frame<W>& f, std::string_view field, lp::bytes address, bool ipv4) {
  if (ipv4) {
    f.out.ipv4(field, address);
  } else {
    f.out.mac(field, address);
  }
}

// The bytes of an ARP packet that tshark reads for its Info column before
// it lists the addresses: all four for a request or reply, the target's
// hardware address (and the sender's before it) for the RARP, DRARP and
// InARP requests, the sender's addresses for an InARP reply and the MARS
// and MAPOS messages.
std::size_t arp_info_end(std::uint16_t opcode, std::size_t hw, std::size_t proto) noexcept {
  switch (opcode) {
    case 1:  // request
    case 2:  // reply
    case 4:  // RARP reply
    case 6:  // DRARP reply
      return arp_header_size + 2 * hw + 2 * proto;
    case 3:  // RARP request
    case 5:  // DRARP request
    case 8:  // InARP request
      return arp_header_size + 2 * hw + proto;
    default:
      // InARP reply (9), MARS (11-22), MAPOS UNARP (23).
      if (opcode == 9 || (opcode >= 11 && opcode <= 23)) return arp_header_size + hw + proto;
      return arp_header_size;
  }
}

// AX.25 ARP: listed only when all of it was captured and fits the frame; a
// 7-byte hardware address is an AX.25 callsign, a field the output schema
// does not have.
template <class W>
void ax25_arp(Frame<W>& f, const lp::Partial<net::ArpView>& p, lp::bytes data) {
  if (!p.complete() || p->size() > data.size() + f.uncaptured) return f.stopped(p);
  const net::ArpView& a = p.view();
  f.out.layer(Layer::arp);
  f.out.u("hw.type", a.hw_type());
  f.out.u("proto.type", a.proto_type());
  f.out.u("hw.size", a.hw_size());
  f.out.u("proto.size", a.proto_size());
  f.out.u("opcode", static_cast<std::uint16_t>(a.opcode()));
  const bool callsign = a.hw_size() == ax25_callsign_size;
  const bool ipv4 = is_arp_ipv4(a.proto_type(), a.proto_size());
  if (a.hw_size() != 0 && !callsign) f.out.mac("src.hw", a.sender_hw());
  if (a.proto_size() != 0) arp_proto(f, "src.proto", a.sender_proto(), ipv4);
  if (a.hw_size() != 0 && !callsign) f.out.mac("dst.hw", a.target_hw());
  if (a.proto_size() != 0) arp_proto(f, "dst.proto", a.target_proto(), ipv4);
}

// ATMARP: listed only when all of it was captured; its ATM numbers and
// subaddresses are fields the output schema does not have.
template <class W>
void atm_arp(Frame<W>& f, lp::bytes data) {
  const auto p = net::AtmArpView::parse_partial(data);
  if (!p.complete()) return f.stopped(p);
  const net::AtmArpView& a = p.view();
  f.out.layer(Layer::arp);
  f.out.u("hw.type", a.hw_type());
  f.out.u("proto.type", a.proto_type());
  f.out.u("opcode", static_cast<std::uint16_t>(a.opcode()));
  if (a.sender_proto_size() != 0) {
    arp_proto(f, "src.proto", a.sender_proto(), is_arp_ipv4(a.proto_type(), a.sender_proto_size()));
  }
  if (a.target_proto_size() != 0) {
    arp_proto(f, "dst.proto", a.target_proto(), is_arp_ipv4(a.proto_type(), a.target_proto_size()));
  }
}

// ARP as tshark 4.0 lists it (checked on hand-built frames of every opcode
// cut at every byte). The header's fields are listed as far as they were
// captured. The addresses follow only when the whole packet fits in the
// frame's length on the wire (tshark first sets its buffer to that length),
// and once the addresses tshark reads for the Info column were captured
// (arp_info_end), then one by one while captured; an empty address is not
// listed. AX.25 (hardware type 3) and ATMARP (19) have their own dissectors,
// which read the whole packet before listing anything; a packet cut before
// its hardware type has no layer.
template <class W>
void arp(Frame<W>& f, const lp::Partial<net::ArpView>& p, lp::bytes data) {
  using F = net::ArpView::Field;
  const net::ArpView& a = p.view();
  // The hardware type chooses the dissector: without it there is no layer.
  if (!p.has(F::hw_type)) return f.stopped(p);
  if (a.hw_type() == arp_hw_atm) return atm_arp(f, data);
  if (a.hw_type() == arp_hw_ax25) return ax25_arp(f, p, data);
  f.out.layer(Layer::arp);
  f.out.u("hw.type", a.hw_type());
  if (p.has(F::proto_type)) f.out.u("proto.type", a.proto_type());
  if (p.has(F::hw_size)) f.out.u("hw.size", a.hw_size());
  if (p.has(F::proto_size)) f.out.u("proto.size", a.proto_size());
  if (!p.has_value(F::opcode)) return f.stopped(p);
  const auto opcode = static_cast<std::uint16_t>(a.opcode());
  f.out.u("opcode", opcode);
  const std::size_t hw = a.hw_size();
  const std::size_t proto = a.proto_size();
  const std::size_t total = arp_header_size + 2 * hw + 2 * proto;
  if (total > data.size() + f.uncaptured || data.size() < arp_info_end(opcode, hw, proto)) {
    return f.stopped(p);
  }
  const bool ipv4 = is_arp_ipv4(a.proto_type(), proto);
  if (hw != 0 && p.has(F::sender_hw)) f.out.mac("src.hw", a.sender_hw());
  if (proto != 0 && p.has(F::sender_proto)) arp_proto(f, "src.proto", a.sender_proto(), ipv4);
  if (hw != 0 && p.has(F::target_hw)) f.out.mac("dst.hw", a.target_hw());
  // A DRARP error holds its status where the target's protocol address goes.
  const bool drarp_error = opcode == arp_op_drarp_error;
  if (proto != 0 && !drarp_error && p.has(F::target_proto)) {
    arp_proto(f, "dst.proto", a.target_proto(), ipv4);
  }
  f.stopped(p);
}

// ---- Ethernet and VLAN tags

template <class W>
void vlan(Frame<W>& f, const lp::Partial<net::VlanView>& p, lp::bytes data);

// What Ethernet and a VLAN tag share: the EtherType (or 802.3 length) and the
// payload it names. `rest` is the captured bytes after the header.
template <class W, class View>
void after_ethertype(Frame<W>& f, const lp::Partial<View>& p, lp::bytes rest,
                     std::string_view type_field) {
  using F = typename View::Field;
  const View& v = p.view();
  if (!p.has_value(F::ether_type)) return f.stopped(p);
  const EtherType type = v.ether_type();
  if (is_8023_length(type)) {
    f.out.u("len", static_cast<std::uint16_t>(type));
    return;
  }
  f.out.u(type_field, static_cast<std::uint16_t>(type));
  // tshark's EtherType table has RARP for its ARP dissector and 0x9100 (an
  // old QinQ tag) for its VLAN one; the schema keeps both raw.
  constexpr std::uint16_t rarp = 0x8035;
  constexpr std::uint16_t vlan_9100 = 0x9100;
  if (static_cast<std::uint16_t>(type) == rarp) {
    return arp(f, net::ArpView::parse_partial(rest), rest);
  }
  if (static_cast<std::uint16_t>(type) == vlan_9100) {
    return vlan(f, net::VlanView::parse_partial(rest), rest);
  }
  if (!p.has(F::payload) && !p.stopped_inside(F::payload)) return f.stopped(p);
  if (const auto ip = v.payload_ipv4()) return ipv4(f, p.inner(F::payload, *ip), rest);
  if (const auto ip = v.payload_ipv6()) return ipv6(f, p.inner(F::payload, *ip), rest);
  if (const auto a = v.payload_arp()) return arp(f, p.inner(F::payload, *a), rest);
  // QinQ: a tag inside a tag is the schema's recursive arm.
  if (const auto tag = v.payload_vlan()) return vlan(f, p.inner(F::payload, *tag), rest);
  f.stopped(p);
}

template <class W>
void vlan(Frame<W>& f, const lp::Partial<net::VlanView>& p, lp::bytes data) {
  using F = net::VlanView::Field;
  const net::VlanView& tag = p.view();
  // tshark reads the tag's two bytes before it adds the layer.
  if (!p.has(F::id)) return f.stopped(p);
  f.out.layer(Layer::vlan);
  if (p.has(F::priority)) f.out.u("priority", tag.priority());
  if (p.has(F::dei)) f.out.u("dei", tag.dei());
  if (p.has(F::id)) f.out.u("id", tag.id());
  after_ethertype(f, p, data.drop_first(net::VlanView::min_size), "etype");
}

template <class W>
void ethernet(Frame<W>& f, lp::bytes data) {
  using F = net::EthernetView::Field;
  const auto p = net::EthernetView::parse_partial(data);
  const net::EthernetView& eth = p.view();
  // tshark reads the whole header before it adds the layer; an 802.3 frame
  // to Cisco's ISL addresses (01 or 0c, then 00:0c:00:00) is ISL's, which
  // lists no eth layer.
  if (!p.has(F::ether_type)) return f.stopped(p);
  const lp::bytes dst = eth.dst().octets().bytes();
  const bool isl_dst = (dst.u8(0) == 0x01 || dst.u8(0) == 0x0c) && dst.u8(1) == 0x00 &&
                       dst.u8(2) == 0x0c && dst.u8(3) == 0x00 && dst.u8(4) == 0x00;
  if (isl_dst && is_8023_length(eth.ether_type())) {
    return;
  }
  f.out.layer(Layer::eth);
  if (p.has(F::dst)) f.out.mac("dst", eth.dst().octets().bytes());
  if (p.has(F::src)) f.out.mac("src", eth.src().octets().bytes());
  after_ethertype(f, p, data.drop_first(net::EthernetView::min_size), "type");
}

// ---- Link headers that are not a layer of the chain

// A payload named by an EtherType after a link header that is not a layer
// (SLL, BSD loopback): the chain starts at ip or ipv6 (corpus README), so an
// ARP packet or a VLAN tag there has no layer.
template <class W>
void ethertype(Frame<W>& f, std::uint16_t type, lp::bytes payload) {
  switch (static_cast<EtherType>(type)) {
    case EtherType::IPV4:
      return ipv4(f, payload);
    case EtherType::IPV6:
      return ipv6(f, payload);
    default:
      return;
  }
}

// A link header that is not a layer of the chain (tshark skips sll, null,
// loop): its payload goes to `next`, its error to the frame.
template <class Header, class W, class Next>
void cooked(Frame<W>& f, lp::bytes data, Next&& next) {
  if (const auto header = Header::parse(data)) {
    next(*header);
  } else {
    f.out.error(header.error());
  }
}

// LINKTYPE_NULL's family is in the capturing machine's byte order: both
// orders are accepted (tshark does the same). The schema reads it big-endian;
// the other order is the same four bytes read little-endian. LINKTYPE_LOOP's
// is big-endian only, as tshark reads it.
template <class W>
void loopback(Frame<W>& f, const net::BsdLoopbackView& loop, bool null_link) {
  // tshark reads LINKTYPE_NULL's last two header bytes as an EtherType when
  // they are one (above 1500, network order), whatever the first two hold.
  const std::uint16_t type = lp::load_be<std::uint16_t>(loop.bytes().data() + 2);
  if (null_link && !is_8023_length(static_cast<EtherType>(type))) {
    return ethertype(f, type, loop.payload());
  }
  const auto family = static_cast<std::uint32_t>(loop.family());
  const auto other_order = lp::load_le<std::uint32_t>(loop.bytes().data());
  const auto is = [&](net::LoopbackFamily family_value) {
    const auto v = static_cast<std::uint32_t>(family_value);
    return family == v || (null_link && other_order == v);
  };
  if (is(net::LoopbackFamily::INET)) {
    ipv4(f, loop.payload());
  } else if (is(net::LoopbackFamily::INET6_BSD) || is(net::LoopbackFamily::INET6_FREEBSD) ||
             is(net::LoopbackFamily::INET6_DARWIN)) {
    ipv6(f, loop.payload());
  }
}

// LINKTYPE_RAW as tshark 4.0's raw dissector reads it: its first two bytes
// 0xff03 (or its bytes 6-7, after the fake MAC address of Linux's ISDN
// driver) are a PPP header (no layer of the chain); ten zero bytes stand
// before an IPv4 header when the link is down; otherwise the version nibble
// says IPv4 or IPv6, and any other version has no layer. It reads the bytes
// at 0 and 6 first: a frame of fewer than 8 bytes has no layer.
template <class W>
void raw_ip(Frame<W>& f, lp::bytes data) {
  constexpr std::uint16_t ppp_hdlc = 0xff03;
  constexpr std::size_t isdn_mac_size = 6;
  constexpr std::size_t link_down_zeros = 10;
  if (data.size() < isdn_mac_size + 2) return;
  if (lp::load_be<std::uint16_t>(data.data()) == ppp_hdlc ||
      lp::load_be<std::uint16_t>(data.data() + isdn_mac_size) == ppp_hdlc) {
    return;
  }
  const lp::bytes head = data.first(link_down_zeros);
  if (head.size() == link_down_zeros &&
      std::all_of(head.begin(), head.end(), [](std::byte b) { return b == std::byte{0}; })) {
    return ipv4(f, data.drop_first(link_down_zeros));
  }
  switch (data.u8(0) >> 4) {
    case 4:
      return ipv4(f, data);
    case 6:
      return ipv6(f, data);
    default:
      return;
  }
}

}  // namespace

bool is_walked_link_type(std::uint32_t link_type) noexcept {
  switch (static_cast<LinkType>(link_type)) {
    case LinkType::ETHERNET:
    case LinkType::RAW:
    case LinkType::IPV4:
    case LinkType::IPV6:
    case LinkType::BSD_LOOPBACK:
    case LinkType::LOOP:
    case LinkType::LINUX_SLL:
    case LinkType::LINUX_SLL2:
      return true;
    default:
      return false;
  }
}

template <class W>
bool link(Frame<W>& f, std::uint32_t link_type, lp::bytes data) {
  switch (static_cast<LinkType>(link_type)) {
    case LinkType::ETHERNET:
      ethernet(f, data);
      return true;
    case LinkType::RAW:
      raw_ip(f, data);
      return true;
    // LINKTYPE_IPV4 goes to tshark's generic IP dissector (version 6 is
    // IPv6, any other version IPv4's), LINKTYPE_IPV6 to IPv6's whatever the
    // version says.
    case LinkType::IPV4:
      if (!data.empty() && (data.u8(0) >> 4) == 6) {
        ipv6(f, data);
      } else {
        ipv4(f, data);
      }
      return true;
    case LinkType::IPV6:
      ipv6(f, data);
      return true;
    case LinkType::BSD_LOOPBACK:
    case LinkType::LOOP:
      cooked<net::BsdLoopback>(f, data, [&](const auto& loop) {
        loopback(f, loop, static_cast<LinkType>(link_type) == LinkType::BSD_LOOPBACK);
      });
      return true;
    case LinkType::LINUX_SLL:
      cooked<net::LinuxSll>(f, data,
                            [&](const auto& sll) { ethertype(f, sll.protocol(), sll.payload()); });
      return true;
    case LinkType::LINUX_SLL2:
      cooked<net::LinuxSll2>(f, data,
                             [&](const auto& sll) { ethertype(f, sll.protocol(), sll.payload()); });
      return true;
    default:
      return false;
  }
}

#define LPDUMP_INSTANTIATE(W) template bool link(Frame<W>&, std::uint32_t, lp::bytes);
LPDUMP_FOR_EACH_WRITER(LPDUMP_INSTANTIATE)
#undef LPDUMP_INSTANTIATE

}  // namespace lpdump::walk
