#include "walk.hpp"

#include <boost/endian/conversion.hpp>

#include <algorithm>
#include <array>

#include "dns_name.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "net/ipv6_ext.lp.hpp"
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

// tshark's port tables (corpus README, "tshark behaviours").
constexpr bool is_tls_port(std::uint16_t port) noexcept {
  constexpr std::array<std::uint16_t, 22> ports{324,  443,   465,   636,   802,  853,  993,  995,
                                                1300, 2221,  2443,  3496,  5061, 5671, 5684, 5868,
                                                8883, 11207, 19999, 27017, 3249, 3250};
  if (port >= 3249 && port <= 3252) return true;
  return std::find(ports.begin(), ports.end(), port) != ports.end();
}
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
    out_.section("frame");
    out_.u("number", packet.number);
    out_.u("cap_len", packet.data.size());
    out_.u("len", packet.len);
    if (packet.has_time) {
      if constexpr (W::wants_values) {
        fmt::basic_memory_buffer<char, 32> text;
        fmt::format_to(std::back_inserter(text), "{}.{:09}", packet.seconds, packet.nanoseconds);
        out_.str("time_epoch", std::string_view(text.data(), text.size()));
      }
    }
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
        out_.item_str(comment->text());
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
        if (const auto loop = net::BsdLoopback::parse(data)) {
          loopback(static_cast<std::uint32_t>(loop->family()), loop->payload());
        } else {
          out_.error(loop.error());
        }
        return WalkResult::ok;
      case link_sll:
        if (const auto sll = net::LinuxSll::parse(data)) {
          ethertype(sll->protocol(), sll->payload());
        } else {
          out_.error(sll.error());
        }
        return WalkResult::ok;
      case link_sll2:
        if (const auto sll = net::LinuxSll2::parse(data)) {
          ethertype(sll->protocol(), sll->payload());
        } else {
          out_.error(sll.error());
        }
        return WalkResult::ok;
      default:
        return WalkResult::unsupported_link_type;
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

  void ethernet(lp::bytes data) {
    const auto eth = net::Ethernet::parse(data);
    out_.layer("eth");
    if (!eth) {
      out_.error(eth.error());
      return;
    }
    out_.mac("dst", eth->dst().octets().bytes());
    out_.mac("src", eth->src().octets().bytes());
    const auto type = static_cast<std::uint16_t>(eth->ether_type());
    if (type <= max_8023_length) {
      out_.u("len", type);
      return;
    }
    out_.u("type", type);
    if (const auto ip = eth->payload_ipv4()) return ipv4(*ip);
    if (const auto ip = eth->payload_ipv6()) return ipv6(*ip);
    if (const auto a = eth->payload_arp()) return arp(*a);
    if (const auto v = eth->payload_vlan()) return vlan(*v);
  }

  void vlan(lp::bytes data) {
    const auto tag = net::Vlan::parse(data);
    if (!tag) {
      out_.layer("vlan");
      out_.error(tag.error());
      return;
    }
    vlan(*tag);
  }

  void vlan(const net::VlanView& tag) {
    out_.layer("vlan");
    out_.u("priority", tag.priority());
    out_.u("dei", tag.dei());
    out_.u("id", tag.id());
    const auto type = static_cast<std::uint16_t>(tag.ether_type());
    if (type <= max_8023_length) {
      out_.u("len", type);
      return;
    }
    out_.u("etype", type);
    if (const auto ip = tag.payload_ipv4()) return ipv4(*ip);
    if (const auto ip = tag.payload_ipv6()) return ipv6(*ip);
    if (const auto a = tag.payload_arp()) return arp(*a);
    // A tag inside a tag is kept raw by the schema: parse it with its own type.
    if (const auto raw = tag.payload_raw()) ethertype(type, *raw);
  }

  void arp(lp::bytes data) {
    const auto a = net::Arp::parse(data);
    if (!a) {
      out_.layer("arp");
      out_.error(a.error());
      return;
    }
    arp(*a);
  }

  void arp(const net::ArpView& a) {
    out_.layer("arp");
    out_.u("hw.type", a.hw_type());
    out_.u("proto.type", a.proto_type());
    out_.u("hw.size", a.hw_size());
    out_.u("proto.size", a.proto_size());
    out_.u("opcode", static_cast<std::uint16_t>(a.opcode()));
    out_.mac("src.hw", a.sender_hw());
    arp_proto("src.proto", a.sender_proto());
    out_.mac("dst.hw", a.target_hw());
    arp_proto("dst.proto", a.target_proto());
  }

  void arp_proto(std::string_view field, lp::bytes address) {
    if (address.size() == 4) {
      out_.ipv4(field, address);
    } else {
      out_.mac(field, address);
    }
  }

  void ipv4(lp::bytes data) {
    const auto ip = net::Ipv4::parse(data);
    if (!ip) {
      out_.layer("ip");
      out_.error(ip.error());
      return;
    }
    ipv4(*ip);
  }

  void ipv4(const net::Ipv4View& ip) {
    out_.layer("ip");
    out_.u("version", ip.version());
    out_.u("hdr_len", ip.ihl() * 4u);
    out_.u("dsfield", ip.dscp() << 2 | ip.ecn());
    out_.u("len", ip.total_length());
    out_.u("id", ip.identification());
    out_.u("flags", ip.reserved() << 2 | ip.dont_fragment() << 1 | ip.more_fragments());
    out_.u("frag_offset", ip.fragment_offset());
    out_.u("ttl", ip.ttl());
    out_.u("proto", static_cast<std::uint8_t>(ip.protocol()));
    out_.u("checksum", ip.checksum());
    out_.ipv4("src", ip.src().octets().bytes());
    out_.ipv4("dst", ip.dst().octets().bytes());
    if (!ip.options().empty()) {
      out_.begin_list("opt.type");
      for (const net::Ipv4OptionView option : ip.options()) {
        out_.item(static_cast<std::uint8_t>(option.type()));
      }
      out_.end_list();
    }
    // Fragments: the first is dissected through its transport header, later
    // ones stop here (defragmentation is off).
    if (ip.fragment_offset() != 0) return;
    if (const auto udp = ip.payload_udp()) return this->udp(*udp);
    if (const auto tcp = ip.payload_tcp()) return this->tcp(*tcp, tcp->bytes().size());
    if (const auto icmp = ip.payload_icmp()) return this->icmp(*icmp);
    if (const auto inner = ip.payload_ipv6()) return ipv6(*inner);
    if (const auto raw = ip.payload_raw())
      transport(static_cast<std::uint8_t>(ip.protocol()), *raw);
  }

  // A payload the schema kept raw (a first fragment, IP-in-IP): parsed with
  // the next layer's own type.
  void transport(std::uint8_t protocol, lp::bytes payload) {
    switch (protocol) {
      case 4:
        return ipv4(payload);
      case 6:
        if (const auto t = net::Tcp::parse(payload)) return tcp(*t, payload.size());
        return;
      case 17:
        if (const auto u = net::Udp::parse(payload)) return udp(*u);
        return;
      case 1:
        if (const auto i = net::Icmp::parse(payload)) return icmp(*i);
        return;
      case 41:
        return ipv6(payload);
      case 58:
        if (const auto i = net::Icmpv6::parse(payload)) return icmpv6(*i);
        return;
      default:
        return;
    }
  }

  void ipv6(lp::bytes data) {
    const auto ip = net::Ipv6::parse(data);
    if (!ip) {
      out_.layer("ipv6");
      out_.error(ip.error());
      return;
    }
    ipv6(*ip);
  }

  void ipv6(const net::Ipv6View& ip) {
    out_.layer("ipv6");
    out_.u("version", ip.version());
    out_.u("tclass", ip.traffic_class());
    out_.u("flow", ip.flow_label());
    out_.u("plen", ip.payload_length());
    const auto next = static_cast<std::uint8_t>(ip.next_header());
    out_.u("nxt", next);
    out_.u("hlim", ip.hop_limit());
    out_.ipv6("src", ip.src().octets().bytes());
    out_.ipv6("dst", ip.dst().octets().bytes());
    if (const auto udp = ip.payload_udp()) return this->udp(*udp);
    if (const auto tcp = ip.payload_tcp()) return this->tcp(*tcp, tcp->bytes().size());
    if (const auto icmp = ip.payload_icmpv6()) return icmpv6(*icmp);
    if (const auto raw = ip.payload_raw()) extensions(next, *raw);
  }

  // The extension headers behind a fixed IPv6 header, then the payload.
  void extensions(std::uint8_t next, lp::bytes payload) {
    if (!is_ipv6_extension(next)) return transport(next, payload);
    std::array<std::uint8_t, 16> types{};
    std::array<std::uint8_t, 16> nexts{};
    std::size_t count = 0;
    bool later_fragment = false;
    while (is_ipv6_extension(next) && count < types.size()) {
      types[count] = next;
      if (next == 44) {
        const auto frag = net::Ipv6FragmentHeader::parse(payload);
        if (!frag) break;
        nexts[count++] = static_cast<std::uint8_t>(frag->next_header());
        out_.u("fraghdr.offset", frag->fragment_offset());
        out_.u("fraghdr.more", frag->more_fragments());
        out_.u("fraghdr.ident", frag->identification());
        later_fragment = frag->fragment_offset() != 0;
        next = nexts[count - 1];
        payload = payload.drop_first(frag->size());
      } else {
        const auto header = net::Ipv6ExtensionHeader::parse(payload);
        if (!header) break;
        nexts[count++] = static_cast<std::uint8_t>(header->next_header());
        next = nexts[count - 1];
        payload = payload.drop_first(header->size());
      }
    }
    if (count != 0) {
      out_.begin_list("ext");
      for (std::size_t i = 0; i < count; ++i) out_.item(types[i]);
      out_.end_list();
      out_.begin_list("ext.nxt");
      for (std::size_t i = 0; i < count; ++i) out_.item(nexts[i]);
      out_.end_list();
    }
    if (!later_fragment && !is_ipv6_extension(next)) transport(next, payload);
  }

  void udp(const net::UdpView& u) {
    out_.layer("udp");
    out_.u("srcport", u.src_port());
    out_.u("dstport", u.dst_port());
    out_.u("length", u.length());
    out_.u("checksum", u.checksum());
    if ((u.src_port() == 53 || u.dst_port() == 53) && !u.payload().empty()) dns(u.payload());
  }

  // `declared` is the segment's length as the IP header gives it; TLS records
  // are reported only when they end within it.
  void tcp(const net::TcpView& t, std::size_t declared) {
    out_.layer("tcp");
    out_.u("srcport", t.src_port());
    out_.u("dstport", t.dst_port());
    out_.u("seq", t.seq());
    out_.u("ack", t.ack());
    out_.u("hdr_len", t.data_offset() * 4u);
    out_.u("flags", t.reserved() << 9 | t.ns() << 8 | t.cwr() << 7 | t.ece() << 6 | t.urg() << 5 |
                        t.ack_flag() << 4 | t.psh() << 3 | t.rst() << 2 | t.syn() << 1 | t.fin());
    out_.u("window", t.window());
    out_.u("checksum", t.checksum());
    out_.u("urgent_pointer", t.urgent_pointer());
    tcp_options(t);
    const lp::bytes payload = t.payload();
    if (payload.empty()) return;
    const std::size_t header = t.data_offset() * 4u;
    const std::size_t payload_declared = declared > header ? declared - header : 0;
    if (is_dns_tcp_port(t.src_port()) || is_dns_tcp_port(t.dst_port())) {
      dns_tcp(payload);
    } else if (is_tls_port(t.src_port()) || is_tls_port(t.dst_port())) {
      tls(payload, payload_declared);
    }
  }

  void tcp_options(const net::TcpView& t) {
    if (t.options_bytes().empty()) return;
    out_.begin_list("option_kind");
    std::size_t used = 0;
    bool eol = false;
    for (const net::TcpOptionView option : t.options()) {
      out_.item(static_cast<std::uint8_t>(option.kind()));
      used += option.size();
      eol = option.kind() == net::TcpOptionKind::EOL;
    }
    // tshark lists each zero byte of the padding after an EOL as another EOL.
    if (eol) {
      const lp::bytes padding = t.options_bytes().drop_first(used);
      for (std::size_t i = 0; i < padding.size() && padding.u8(i) == 0; ++i) out_.item(0);
    }
    out_.end_list();
    bool mss = false;
    for (const net::TcpOptionView option : t.options()) {
      if (const auto value = option.body_mss(); value && !mss) {
        out_.u("options.mss", *value);
        mss = true;
      } else if (const auto shift = option.body_window_scale()) {
        out_.u("options.wscale", *shift);
      } else if (const auto ts = option.body_timestamps()) {
        out_.u("options.tsval", ts->value());
        out_.u("options.tsecr", ts->echo());
      }
    }
  }

  void icmp(const net::IcmpView& i) {
    out_.layer("icmp");
    out_.u("type", static_cast<std::uint8_t>(i.type()));
    out_.u("code", i.code());
    out_.u("checksum", i.checksum());
    if (const auto echo = i.body_echo()) {
      out_.u("ident", echo->identifier());
      out_.u("seq", echo->sequence());
    } else if (const auto ts = i.body_timestamp()) {
      out_.u("ident", ts->identifier());
      out_.u("seq", ts->sequence());
    }
  }

  void icmpv6(const net::Icmpv6View& i) {
    out_.layer("icmpv6");
    out_.u("type", static_cast<std::uint8_t>(i.type()));
    out_.u("code", i.code());
    out_.u("checksum", i.checksum());
    if (const auto echo = i.body_echo()) {
      out_.u("echo.identifier", echo->identifier());
      out_.u("echo.sequence_number", echo->sequence());
    }
  }

  // ---- DNS

  void dns_tcp(lp::bytes payload) {
    const auto message = net::DnsTcp::parse(payload);
    if (!message) {
      out_.layer("dns");
      out_.error(message.error());
      return;
    }
    dns(*message->message_dns());
  }

  void dns(lp::bytes payload) {
    const auto message = net::Dns::parse(payload);
    if (!message) {
      out_.layer("dns");
      out_.error(message.error());
      return;
    }
    dns(*message);
  }

  void dns(const net::DnsView& d) {
    out_.layer("dns");
    out_.u("id", d.id());
    out_.u("flags", d.qr() << 15 | static_cast<unsigned>(d.opcode()) << 11 | d.aa() << 10 |
                        d.tc() << 9 | d.rd() << 8 | d.ra() << 7 | d.z() << 6 | d.ad() << 5 |
                        d.cd() << 4 | static_cast<unsigned>(d.rcode()));
    out_.u("count.queries", d.qdcount());
    out_.u("count.answers", d.ancount());
    out_.u("count.auth_rr", d.nscount());
    out_.u("count.add_rr", d.arcount());
    const lp::bytes message = d.bytes();
    if (!d.questions().empty()) {
      list("qd.name", d.questions(),
           [&](const net::DnsQuestionView& q) { name(message, q.name()); });
      list("qd.type", d.questions(), [&](const net::DnsQuestionView& q) {
        out_.item(static_cast<std::uint16_t>(q.qtype()));
      });
      list("qd.class", d.questions(),
           [&](const net::DnsQuestionView& q) { out_.item(q.qclass()); });
    }
    records("an", message, d.answers());
    records("ns", message, d.authority());
    records("ar", message, d.additional());
  }

  template <class Array, class Fn>
  void list(std::string_view field, const Array& array, Fn&& fn) {
    out_.begin_list(field);
    for (const auto element : array) fn(element);
    out_.end_list();
  }

  void name(lp::bytes message, const net::DnsNameView& n) {
    if constexpr (W::wants_values) {
      NameText text;
      if (decode_dns_name(message, n, text)) {
        out_.item_str(std::string_view(text.data(), text.size()));
      } else {
        out_.item_null();
      }
    }
  }

  void records(std::string_view section, lp::bytes message,
               const lp::lazy_array<net::DnsRecordView>& rrs) {
    if (rrs.empty()) return;
    fmt::basic_memory_buffer<char, 16> key;
    const auto field = [&](std::string_view suffix) {
      key.clear();
      key.append(section);
      key.append(suffix);
      return std::string_view(key.data(), key.size());
    };
    list(field(".name"), rrs, [&](const net::DnsRecordView& r) { name(message, r.name()); });
    list(field(".type"), rrs,
         [&](const net::DnsRecordView& r) { out_.item(static_cast<std::uint16_t>(r.type())); });
    list(field(".class"), rrs, [&](const net::DnsRecordView& r) { out_.item(r.rclass()); });
    list(field(".ttl"), rrs, [&](const net::DnsRecordView& r) { out_.item(r.ttl()); });
    list(field(".data"), rrs, [&](const net::DnsRecordView& r) { rdata(message, r); });
  }

  void rdata(lp::bytes message, const net::DnsRecordView& r) {
    if constexpr (W::wants_values) {
      fmt::memory_buffer text;  // 500 bytes inline: no heap for any usual rdata
      auto it = std::back_inserter(text);
      const auto append_name = [&](const net::DnsNameView& n) {
        NameText name_text;
        if (!decode_dns_name(message, n, name_text)) return false;
        text.append(std::string_view(name_text.data(), name_text.size()));
        return true;
      };
      bool ok = true;
      if (const auto a = r.rdata_a()) {
        append_ipv4(text, a->octets().bytes());
      } else if (const auto aaaa = r.rdata_aaaa()) {
        append_ipv6(text, aaaa->octets().bytes());
      } else if (const auto n = r.rdata_name()) {
        ok = append_name(*n);
      } else if (const auto mx = r.rdata_mx()) {
        fmt::format_to(it, "{} ", mx->preference());
        ok = append_name(mx->exchange());
      } else if (const auto srv = r.rdata_srv()) {
        fmt::format_to(it, "{} {} {} ", srv->priority(), srv->weight(), srv->port());
        ok = append_name(srv->target());
      } else if (const auto soa = r.rdata_soa()) {
        ok = append_name(soa->mname());
        text.push_back(' ');
        ok = ok && append_name(soa->rname());
        fmt::format_to(it, " {} {} {} {} {}", soa->serial(), soa->refresh(), soa->retry(),
                       soa->expire(), soa->minimum());
      } else if (const auto txt = r.rdata_txt()) {
        out_.begin_item_list();
        for (const net::DnsCharacterStringView s : txt->strings()) out_.item_str(s.text());
        out_.end_list();
        return;
      } else {
        ok = false;
      }
      if (ok) {
        out_.item_str(std::string_view(text.data(), text.size()));
      } else {
        out_.item_null();
      }
    }
  }

  // ---- TLS

  // Records from the start of the TCP payload while whole record headers are
  // there; a record is listed when it ends within the declared payload.
  void tls(lp::bytes payload, std::size_t declared) {
    (void)declared;
    bool any = false;
    std::size_t offset = 0;
    // Two passes over the records (one per list) would re-parse them; the
    // lists are short, so the record views are kept in a small array instead.
    std::array<std::optional<tls::RecordView>, 16> records{};
    std::array<std::optional<tls::OpaqueRecordView>, 16> opaque{};
    std::size_t count = 0;
    while (offset < payload.size() && count < records.size()) {
      const lp::bytes rest = payload.drop_first(offset);
      if (auto r = tls::Record::parse(rest)) {
        offset += r->size();
        records[count++] = *r;
      } else if (auto o = tls::OpaqueRecord::parse(rest)) {
        offset += o->size();
        opaque[count++] = *o;
      } else {
        break;
      }
      any = true;
    }
    if (!any) return;
    out_.layer("tls");
    const auto each = [&](auto&& fn) {
      for (std::size_t i = 0; i < count; ++i) fn(records[i], opaque[i]);
    };
    out_.begin_list("record.content_type");
    each([&](const auto& r, const auto& o) {
      out_.item(static_cast<std::uint8_t>(r ? r->content_type() : o->content_type()));
    });
    out_.end_list();
    out_.begin_list("record.version");
    each([&](const auto& r, const auto& o) {
      out_.item(static_cast<std::uint16_t>(r ? r->legacy_version() : o->legacy_version()));
    });
    out_.end_list();
    out_.begin_list("record.length");
    each([&](const auto& r, const auto& o) {
      out_.item(r ? r->fragment_bytes().size() : o->fragment().size());
    });
    out_.end_list();
    handshakes(records, count);
  }

  // ClientHello and ServerHello extensions, whichever `h` is.
  template <class Fn>
  static void each_extension(const tls::HandshakeView& h, Fn&& fn) {
    if (const auto ch = h.body_client_hello(); ch && ch->extensions()) {
      for (const tls::ClientHelloExtensionView e : ch->extensions()->list()) fn(e.type(), &e);
    }
    if (const auto sh = h.body_server_hello(); sh && sh->extensions()) {
      for (const tls::ServerHelloExtensionView e : sh->extensions()->list()) {
        fn(e.type(), static_cast<const tls::ClientHelloExtensionView*>(nullptr));
      }
    }
  }

  static bool is_hello(const tls::HandshakeView& h) noexcept {
    return h.body_client_hello() || h.body_server_hello();
  }

  template <class Records>
  void handshakes(const Records& records, std::size_t count) {
    const auto each = [&](auto&& fn) {
      for (std::size_t i = 0; i < count; ++i) {
        if (!records[i]) continue;
        if (const auto hs = records[i]->fragment_handshake()) {
          for (const tls::HandshakeView h : hs->messages()) fn(h);
        }
      }
    };
    std::size_t messages = 0;
    std::size_t hellos = 0;
    std::size_t extensions = 0;
    std::size_t names = 0;
    each([&](const tls::HandshakeView& h) {
      ++messages;
      hellos += is_hello(h) ? 1 : 0;
      each_extension(h, [&](tls::ExtensionType, const tls::ClientHelloExtensionView* e) {
        ++extensions;
        if (e != nullptr && e->data_server_name()) names += e->data_server_name()->names().size();
      });
    });
    if (messages == 0) return;
    out_.begin_list("handshake.type");
    each([&](const tls::HandshakeView& h) { out_.item(static_cast<std::uint8_t>(h.msg_type())); });
    out_.end_list();
    out_.begin_list("handshake.length");
    each([&](const tls::HandshakeView& h) { out_.item(h.body_bytes().size()); });
    out_.end_list();
    if (hellos != 0) {
      out_.begin_list("handshake.version");
      each([&](const tls::HandshakeView& h) {
        if (const auto ch = h.body_client_hello())
          out_.item(static_cast<std::uint16_t>(ch->legacy_version()));
        if (const auto sh = h.body_server_hello())
          out_.item(static_cast<std::uint16_t>(sh->legacy_version()));
      });
      out_.end_list();
      out_.begin_list("handshake.ciphersuite");
      each([&](const tls::HandshakeView& h) {
        if (const auto ch = h.body_client_hello()) {
          for (const auto suite : ch->cipher_suites()) out_.item(static_cast<std::uint16_t>(suite));
        }
        if (const auto sh = h.body_server_hello())
          out_.item(static_cast<std::uint16_t>(sh->cipher_suite()));
      });
      out_.end_list();
    }
    if (extensions != 0) {
      out_.begin_list("handshake.extension.type");
      each([&](const tls::HandshakeView& h) {
        each_extension(h, [&](tls::ExtensionType type, const tls::ClientHelloExtensionView*) {
          out_.item(static_cast<std::uint16_t>(type));
        });
      });
      out_.end_list();
    }
    if (names != 0) {
      out_.begin_list("handshake.sni");
      each([&](const tls::HandshakeView& h) {
        each_extension(h, [&](tls::ExtensionType, const tls::ClientHelloExtensionView* e) {
          if (e == nullptr || !e->data_server_name()) return;
          for (const tls::ServerNameView n : e->data_server_name()->names())
            out_.item_str(n.name());
        });
      });
      out_.end_list();
    }
  }

  W& out_;
};

}  // namespace

bool supported_link_type(std::uint32_t link_type) noexcept {
  return link_type == link_null || link_type == link_loop || link_type == link_ethernet || link_type == link_raw || link_type == link_ipv4 ||
         link_type == link_ipv6 || link_type == link_sll || link_type == link_sll2;
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
