// What the layers of lpdump's protocol walk share (walk.hpp is its entry):
// the frame being walked, the rule for reporting an error, and each layer's
// entry points, so that a layer can hand its payload to the next one.
//
// The walk is split by layer, one file each, as the chain runs:
//   link.cpp       Ethernet, 802.1Q/802.1ad tags, ARP, Linux SLL, BSD loopback, raw IP
//   ip.cpp         IPv4 and its options, IPv6 and its extension headers
//   transport.cpp  TCP (and its options), UDP, ICMP, ICMPv6; the ports that name DNS and TLS
//   dns.cpp        DNS messages and their sections
//   tls.cpp        TLS records and handshake messages
// Every entry point is a template over the writer (output.hpp), instantiated
// in its own file for JsonWriter, TreeWriter and ChainWriter: the writers'
// calls stay inline within a layer, and a layer calls the next one through
// these declarations. Which layer follows which, and what each lists of a
// broken packet, is tshark 4.0's behaviour (../shared/corpus/README.md,
// docs/conformance.md). Nothing is allocated on the heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "libparse/bytes.hpp"
#include "libparse/partial.hpp"
#include "net/ethernet.lp.hpp"
#include "output.hpp"

namespace lpdump::walk {

// One frame's walk: the writer that receives it, and what any layer may need
// to know of the frame. It lives for one dissect() call.
template <class W>
struct Frame {
  W& out;
  // The bytes of the frame the capture did not keep (its length on the wire
  // minus the captured length): a layer that runs to the end of the frame is
  // this much longer on the wire than the bytes it was given.
  std::size_t uncaptured = 0;
  // An IPv4 total length of 0 taken as TCP segmentation offload's: the
  // length tshark gives the packet instead (it may pass 65535), for the IPv4
  // header read again from a copy (walk/ip.cpp); 0 otherwise.
  std::size_t offload_length = 0;

  // A layer that stopped on an error reports it (the writer keeps the first).
  template <class View>
  void stopped(const lp::Partial<View>& p) {
    if (!p.complete()) out.error(p.error());
  }
};

// How a walk of tshark's over a header's options ended: at their end (or at
// a bogus length, after which tshark goes on with the payload), or in an
// exception (a byte it reads was not captured, or an option too short for its
// dissector), after which nothing more of the packet is listed.
enum class OptionsEnd { done, exception };

// A list opened by its first item, for walks that decide item by item
// whether anything is listed (an empty list is not written).
template <class W>
class ListOnFirstItem {
 public:
  ListOnFirstItem(Frame<W>& f, std::string_view key) noexcept : f_(f), key_(key) {}
  void item(std::uint8_t value) {
    if constexpr (W::wants_values) {
      if (!open_) f_.out.begin_list(key_);
      f_.out.item(value);
    }
    open_ = true;
  }
  void close() {
    if constexpr (W::wants_values) {
      if (open_) f_.out.end_list();
    }
  }

 private:
  Frame<W>& f_;
  std::string_view key_;
  bool open_ = false;
};

// The word whose bit fields, most significant first, are `fields` ({value,
// width} pairs): the flag words and the DS field that tshark gives as one number.
constexpr std::uint64_t pack_bits(
    std::initializer_list<std::pair<std::uint64_t, unsigned>> fields) noexcept {
  std::uint64_t word = 0;
  for (const auto& [value, width] : fields) word = word << width | value;
  return word;
}

// ---- link.cpp

// The frame's bytes under its link type; false for a link type not walked.
template <class W>
bool link(Frame<W>& f, std::uint32_t link_type, lp::bytes data);
bool is_walked_link_type(std::uint32_t link_type) noexcept;

// ---- ip.cpp

// `data`: the header's bytes as captured, its payload after it.
template <class W>
void ipv4(Frame<W>& f, lp::bytes data);
template <class W>
void ipv4(Frame<W>& f, const lp::Partial<net::Ipv4View>& p, lp::bytes data);
template <class W>
void ipv6(Frame<W>& f, lp::bytes data);
template <class W>
void ipv6(Frame<W>& f, const lp::Partial<net::Ipv6View>& p, lp::bytes data);

// ---- transport.cpp

// A payload the IP schemas kept raw (a first fragment, IP-in-IP) or cut by the
// capture, parsed with the next layer's own type. `declared` is its length by
// the IP header.
template <class W>
void transport(Frame<W>& f, net::IpProto protocol, lp::bytes payload, std::size_t declared);
// `data`: the segment's captured bytes; `declared` as for transport().
template <class W>
void udp(Frame<W>& f, const lp::Partial<net::UdpView>& p, lp::bytes data);
template <class W>
void tcp(Frame<W>& f, const lp::Partial<net::TcpView>& p, lp::bytes data, std::size_t declared);
// `message`: the message's captured bytes, within the IP payload's length.
template <class W>
void icmp(Frame<W>& f, const lp::Partial<net::IcmpView>& p, lp::bytes message);
template <class W>
void icmpv6(Frame<W>& f, const lp::Partial<net::Icmpv6View>& p, lp::bytes message);

// ---- dns.cpp

// A DNS message from its header on (a UDP payload, or what follows the TCP
// length prefix), as far as it was captured.
template <class W>
void dns(Frame<W>& f, lp::bytes message);
// DNS over TCP: the length prefix, then a message of at most that many bytes.
template <class W>
void dns_tcp(Frame<W>& f, lp::bytes payload);

// ---- tls.cpp

// The TLS records at the start of a TCP payload; `declared` is the payload's
// length by the IP header (a record is listed only when it ends within it).
template <class W>
void tls(Frame<W>& f, lp::bytes payload, std::size_t declared);

}  // namespace lpdump::walk

// Instantiates `entry` (a macro taking the writer type) for every writer.
#define LPDUMP_FOR_EACH_WRITER(entry) \
  entry(::lpdump::JsonWriter) entry(::lpdump::TreeWriter) entry(::lpdump::ChainWriter)
