// Hand-written pointer/memcpy reading of the mix, validating what the parse()
// generated from schemas/net validates, in the same single pass (for the frames
// the mix holds: Ethernet II carrying IPv4 or IPv6, then TCP or UDP, and DNS on
// UDP port 53). It mirrors these checks; any failing one rejects the frame:
//
// ethernet.lps  Ethernet: 14 bytes; EtherType IPV4/IPV6 selects the payload over
//               the rest of the frame; any other EtherType is raw bytes, except
//               ARP, VLAN and QinQ (rejected here: not in the mix). The trailer
//               (bytes after the IP packet) is unchecked.
// ipv4.lps      Ipv4: 20 bytes; version == 4; ihl >= 5; total_length >= ihl * 4;
//               the options region (ihl * 4 - 20) fits; the option walk below;
//               the payload region (total_length - ihl * 4) fits; a fragment
//               (MF or an offset) is raw bytes; UDP and TCP must fill the region
//               exactly; ICMP and 6in4 are rejected (not in the mix); other
//               protocols are raw bytes.
//               Ipv4Option walk, until EOL or the region's end: EOL and NOP are one
//               byte; any other type needs a length byte inside the region,
//               length >= 2, and length - 2 body bytes inside the region; record
//               route and the source routes: a pointer byte then whole 4-byte
//               addresses; timestamp: pointer and overflow/flag bytes, then for
//               flag 0 whole 4-byte timestamps, for flags 1 and 3 whole 8-byte
//               entries; any other type: raw body.
// ipv6.lps      Ipv6: 40 bytes; version == 6; the payload region (payload_length)
//               fits; UDP and TCP must fill it exactly; ICMPv6 is rejected (not in
//               the mix); other next headers are raw bytes.
// udp.lps       Udp: 8 bytes; length >= 8; length - 8 payload bytes fit (and, from
//               the IP switch, length is exactly the region).
// tcp.lps       Tcp: 20 bytes; data_offset >= 5; the options region
//               (data_offset * 4 - 20) fits; payload is the rest.
//               TcpOption walk, until EOL or the region's end: EOL and NOP are one
//               byte; any other kind needs a length byte inside the region, length
//               >= 2 and length - 2 body bytes inside it; the body must be exactly
//               2 bytes for MSS, 1 for window scale, 0 for SACK-permitted, 8 for
//               timestamps, a multiple of 8 for SACK; other kinds: raw body.
// dns.lps       Dns: 12 bytes; qdcount questions (a name, then 4 bytes), then
//               ancount + nscount + arcount records: a name, 10 bytes, rdlength
//               bytes that fit; the rdata must fill rdlength exactly: A 4 bytes,
//               AAAA 16, NS/CNAME/PTR a name, MX 2 bytes and a name, TXT
//               character-strings (a length byte, that many bytes), SRV 6 bytes and
//               a name, SOA two names and 20 bytes, OPT options (code, length,
//               length bytes); other types raw. Bytes after the last record are
//               unchecked.
//               DnsName: labels until the root label or a pointer; a label's top
//               two bits are 00 (text of the low six bits' length, which must fit)
//               or 11 (a pointer: one more byte); 01 and 10 are errors. A pointer
//               is not followed (the schema does not follow it either).
//
// Not mirrored because they cannot fail on any input here: ParseOptions::max_depth
// (64; these frames nest at most 6 deep) and max_elements (1,000,000; every element
// takes at least one byte of a frame shorter than 65,536 bytes, and DNS counts are
// 16-bit). The generated code's overflow checks on length arithmetic become
// explicit comparisons before each subtraction.
#include "handwritten.hpp"

namespace lp_bench::handwritten {
namespace {

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

// Ipv4Option list over [p, end); true when every option is valid.
bool ipv4_options_valid(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  while (p != end) {
    const std::uint8_t type = p[0];
    if (type == 0) return true;  // EOL ends the list; what follows is padding
    if (type == 1) {             // NOP
      ++p;
      continue;
    }
    if (end - p < 2) return false;
    const std::uint8_t length = p[1];
    if (length < 2 || length - 2 > end - p - 2) return false;
    const std::uint8_t* body = p + 2;
    const std::size_t body_size = length - 2u;
    switch (type) {
      case 7:    // RECORD_ROUTE
      case 131:  // LOOSE_SOURCE_ROUTE
      case 137:  // STRICT_SOURCE_ROUTE
        if (body_size < 1 || (body_size - 1) % 4 != 0) return false;
        break;
      case 68: {  // TIMESTAMP
        if (body_size < 2) return false;
        const std::uint8_t flag = body[1] & 0x0f;
        if (flag == 0 && (body_size - 2) % 4 != 0) return false;
        if ((flag == 1 || flag == 3) && (body_size - 2) % 8 != 0) return false;
        break;
      }
      default:
        break;
    }
    p = body + body_size;
  }
  return true;
}

// TcpOption list over [p, end).
bool tcp_options_valid(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  while (p != end) {
    const std::uint8_t kind = p[0];
    if (kind == 0) return true;  // EOL
    if (kind == 1) {             // NOP
      ++p;
      continue;
    }
    if (end - p < 2) return false;
    const std::uint8_t length = p[1];
    if (length < 2 || length - 2 > end - p - 2) return false;
    const std::size_t body_size = length - 2u;
    switch (kind) {
      case 2:  // MSS
        if (body_size != 2) return false;
        break;
      case 3:  // WINDOW_SCALE
        if (body_size != 1) return false;
        break;
      case 4:  // SACK_PERMITTED
        if (body_size != 0) return false;
        break;
      case 5:  // SACK
        if (body_size % 8 != 0) return false;
        break;
      case 8:  // TIMESTAMPS
        if (body_size != 8) return false;
        break;
      default:
        break;
    }
    p += length;
  }
  return true;
}

// One DnsName starting at p, inside [p, end): the byte after it, or nullptr.
const std::uint8_t* skip_dns_name(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  for (;;) {
    if (p == end) return nullptr;
    const std::uint8_t first = *p;
    switch (first >> 6) {
      case 0: {
        const std::size_t length = first & 0x3f;
        if (static_cast<std::size_t>(end - p - 1) < length) return nullptr;
        p += 1 + length;
        if (length == 0) return p;  // the root label
        break;
      }
      case 3:  // a compression pointer ends the name
        return end - p < 2 ? nullptr : p + 2;
      default:  // 01 and 10: DnsLabel.kind's constraint
        return nullptr;
    }
  }
}

// A name that must fill [p, end) exactly (rdata of NS, CNAME, PTR, ...).
bool name_fills(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  return skip_dns_name(p, end) == end;
}

bool rdata_valid(std::uint16_t type, const std::uint8_t* p, const std::uint8_t* end) noexcept {
  const std::size_t size = static_cast<std::size_t>(end - p);
  switch (type) {
    case 1:  // A
      return size == 4;
    case 28:  // AAAA
      return size == 16;
    case 2:   // NS
    case 5:   // CNAME
    case 12:  // PTR
      return name_fills(p, end);
    case 15:  // MX
      return size >= 2 && name_fills(p + 2, end);
    case 16:  // TXT
      while (p != end) {
        if (*p > end - p - 1) return false;
        p += 1 + *p;
      }
      return true;
    case 33:  // SRV
      return size >= 6 && name_fills(p + 6, end);
    case 6: {  // SOA
      const std::uint8_t* rname = skip_dns_name(p, end);
      const std::uint8_t* numbers = rname == nullptr ? nullptr : skip_dns_name(rname, end);
      return numbers != nullptr && end - numbers == 20;
    }
    case 41:  // OPT
      while (p != end) {
        if (end - p < 4 || load16(p + 2) > end - p - 4) return false;
        p += 4 + load16(p + 2);
      }
      return true;
    default:
      return true;
  }
}

// The DNS message at [p, end): validates every question and record.
bool parse_dns(const std::uint8_t* message, const std::uint8_t* end, Frame& frame) noexcept {
  if (end - message < 12) return false;
  const std::size_t questions = load16(message + 4);
  const std::size_t records =
      std::size_t{load16(message + 6)} + load16(message + 8) + load16(message + 10);
  const std::uint8_t* p = message + 12;
  for (std::size_t i = 0; i < questions; ++i) {
    const std::uint8_t* after_name = skip_dns_name(p, end);
    if (after_name == nullptr || end - after_name < 4) return false;
    if (i == 0) {
      frame.question_name = static_cast<std::size_t>(p - frame.data);
      frame.question_type = static_cast<std::size_t>(after_name - frame.data);
    }
    p = after_name + 4;
  }
  for (std::size_t i = 0; i < records; ++i) {
    const std::uint8_t* fixed = skip_dns_name(p, end);
    if (fixed == nullptr || end - fixed < 10) return false;
    const std::uint16_t rdlength = load16(fixed + 8);
    const std::uint8_t* rdata = fixed + 10;
    if (rdlength > end - rdata) return false;
    if (!rdata_valid(load16(fixed), rdata, rdata + rdlength)) return false;
    p = rdata + rdlength;
  }
  return true;
}

// TCP or UDP filling [p, end) exactly, or another protocol (raw bytes).
bool parse_transport(std::uint8_t protocol, const std::uint8_t* p, const std::uint8_t* end,
                     Frame& frame) noexcept {
  const std::size_t size = static_cast<std::size_t>(end - p);
  frame.transport = static_cast<std::size_t>(p - frame.data);
  if (protocol == kUdp) {
    if (size < 8) return false;
    const std::uint16_t length = load16(p + 4);
    if (length < 8 || length != size) return false;
    frame.protocol = kUdp;
    frame.payload = frame.transport + 8;
    frame.payload_size = length - 8u;
    if (load16(p) == 53 || load16(p + 2) == 53) {
      frame.dns = true;
      return parse_dns(p + 8, end, frame);
    }
    return true;
  }
  if (protocol == kTcp) {
    if (size < 20) return false;
    const std::size_t header = (p[12] >> 4) * 4u;
    if (header < 20 || header > size) return false;
    if (!tcp_options_valid(p + 20, p + header)) return false;
    frame.protocol = kTcp;
    frame.payload = frame.transport + header;
    frame.payload_size = size - header;
    return true;
  }
  return true;
}

bool parse_ipv4(const std::uint8_t* p, const std::uint8_t* end, Frame& frame) noexcept {
  const std::size_t size = static_cast<std::size_t>(end - p);
  if (size < 20 || p[0] >> 4 != 4) return false;
  const std::size_t header = (p[0] & 0x0f) * 4u;
  const std::uint16_t total_length = load16(p + 2);
  if (header < 20 || total_length < header || header > size) return false;
  if (!ipv4_options_valid(p + 20, p + header)) return false;
  if (total_length > size) return false;
  frame.ipv4 = true;
  const bool fragment = (load16(p + 6) & 0x3fff) != 0;  // MF or an offset
  const std::uint8_t protocol = p[9];
  if (fragment) return true;
  if (protocol == 1 || protocol == 41) return false;  // ICMP, 6in4: not in the mix
  return parse_transport(protocol, p + header, p + total_length, frame);
}

bool parse_ipv6(const std::uint8_t* p, const std::uint8_t* end, Frame& frame) noexcept {
  const std::size_t size = static_cast<std::size_t>(end - p);
  if (size < 40 || p[0] >> 4 != 6) return false;
  const std::uint16_t payload_length = load16(p + 4);
  if (payload_length > size - 40) return false;
  frame.ipv6 = true;
  const std::uint8_t next_header = p[6];
  if (next_header == 58) return false;  // ICMPv6: not in the mix
  return parse_transport(next_header, p + 40, p + 40 + payload_length, frame);
}

}  // namespace

std::optional<Frame> parse_frame(const std::uint8_t* data, std::size_t size) noexcept {
  if (size < 14) return std::nullopt;
  Frame frame;
  frame.data = data;
  frame.ether_type = load16(data + 12);
  frame.ip = 14;
  bool ok = true;
  switch (frame.ether_type) {
    case 0x0800:
      ok = parse_ipv4(data + 14, data + size, frame);
      break;
    case 0x86dd:
      ok = parse_ipv6(data + 14, data + size, frame);
      break;
    case 0x0806:  // ARP
    case 0x8100:  // VLAN
    case 0x88a8:  // QinQ
      ok = false;
      break;
    default:
      break;
  }
  if (!ok) return std::nullopt;
  return frame;
}

std::uint64_t sum_fields(const Frame& frame) noexcept {
  const std::uint8_t* const d = frame.data;
  std::uint64_t sum = frame.ether_type;
  const std::uint8_t* ip = d + frame.ip;
  if (frame.ipv4) {
    sum += byte_sum(ip + 12, 8) + load16(ip + 2) + ip[9] + ip[8];
  } else if (frame.ipv6) {
    sum += byte_sum(ip + 8, 32) + load16(ip + 4) + ip[6] + ip[7];
  }
  const std::uint8_t* t = d + frame.transport;
  if (frame.protocol == kTcp) {
    sum += std::uint64_t{load16(t)} + load16(t + 2) + (load16(t + 12) & 0x1ff) + (t[12] >> 4) +
           frame.payload_size;
  } else if (frame.protocol == kUdp) {
    sum += std::uint64_t{load16(t)} + load16(t + 2) + load16(t + 4);
    if (frame.dns) {
      const std::uint8_t* message = d + frame.payload;
      sum += std::uint64_t{load16(message)} + load16(message + 4) + load16(message + 6);
      if (frame.question_name != 0) {
        sum += load16(d + frame.question_type);
        DottedNameSum name;
        // Validated by parse_dns: labels up to the root label or a pointer.
        for (const std::uint8_t* p = d + frame.question_name; *p != 0 && *p >> 6 == 0;
             p += 1 + *p) {
          name.label(p + 1, *p);
        }
        sum += name.sum();
      }
    }
  }
  return sum;
}

}  // namespace lp_bench::handwritten

namespace lp_bench {

std::uint64_t read_handwritten(Buffer frame) noexcept {
  const auto parsed = handwritten::parse_frame(frame.data(), frame.size());
  return parsed ? handwritten::sum_fields(*parsed) : 0;
}

}  // namespace lp_bench
