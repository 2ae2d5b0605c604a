#include "mix.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string_view>

namespace lp_bench {
namespace {

// Raw outputs of mt19937 are specified by the standard; the *_distribution
// classes are not, so every choice below is a modulo of a raw output.
class Dice {
 public:
  explicit Dice(std::uint32_t seed) : engine_(seed) {}
  std::uint32_t raw() { return static_cast<std::uint32_t>(engine_()); }
  // 0 <= result < n
  std::uint32_t below(std::uint32_t n) { return raw() % n; }
  // lo <= result <= hi
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi) { return lo + below(hi - lo + 1); }
  bool percent(std::uint32_t p) { return below(100) < p; }

 private:
  std::mt19937 engine_;
};

void put8(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
}
void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put8(out, v >> 8);
  put8(out, v);
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, v >> 16);
  put16(out, v);
}
void set16(std::vector<std::uint8_t>& out, std::size_t at, std::size_t v) {
  out[at] = static_cast<std::uint8_t>(v >> 8);
  out[at + 1] = static_cast<std::uint8_t>(v);
}

constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kTypeCname = 5;
constexpr std::uint16_t kTypeAaaa = 28;
constexpr std::uint16_t kTypeOpt = 41;

// Names already written into a DNS message and where, for compression.
using NameTable = std::vector<std::pair<std::string, std::size_t>>;

void put_name(std::vector<std::uint8_t>& out, std::string_view name, NameTable& written) {
  while (!name.empty()) {
    const auto found = std::find_if(written.begin(), written.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (found != written.end()) {
      put16(out, 0xc000 | found->second);
      return;
    }
    if (out.size() < 0x4000) written.emplace_back(std::string(name), out.size());
    const std::size_t dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    put8(out, static_cast<std::uint32_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  put8(out, 0);  // the root
}

void put_record(std::vector<std::uint8_t>& out, const DnsRecordSpec& record, NameTable& written) {
  put_name(out, record.name, written);
  put16(out, record.type);
  put16(out, record.rclass);
  put32(out, record.ttl);
  const std::size_t rdlength_at = out.size();
  put16(out, 0);
  if (record.type == kTypeA || record.type == kTypeAaaa) {
    out.insert(out.end(), record.address.begin(), record.address.end());
  } else if (record.type == kTypeCname) {
    put_name(out, record.target, written);
  } else {
    out.insert(out.end(), record.raw.begin(), record.raw.end());
  }
  set16(out, rdlength_at, out.size() - rdlength_at - 2);
}

std::uint16_t internet_checksum(const std::uint8_t* data, std::size_t size) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < size; i += 2)
    sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (size % 2 != 0) sum += static_cast<std::uint32_t>(data[size - 1] << 8);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

const char* const kLabels[] = {"www",  "mail", "api",   "cdn",     "static",  "login", "img",
                               "news", "shop", "video", "example", "service", "cloud"};
const char* const kZones[] = {"com", "net", "org", "io", "de", "co.uk"};

std::string random_name(Dice& dice) {
  std::string name = kLabels[dice.below(std::size(kLabels))];
  const std::uint32_t middle = dice.below(3);  // 0 to 2 more labels before the zone
  for (std::uint32_t i = 0; i < middle; ++i) {
    name += '.';
    name += kLabels[dice.below(std::size(kLabels))];
  }
  name += '.';
  name += kZones[dice.below(std::size(kZones))];
  return name;
}

DnsRecordSpec edns_opt(Dice& dice) {
  DnsRecordSpec opt;
  opt.type = kTypeOpt;
  opt.rclass = dice.percent(50) ? 1232 : 4096;  // the requester's UDP payload size
  if (dice.percent(50)) {                       // a client cookie (RFC 7873)
    put16(opt.raw, 10);
    put16(opt.raw, 8);
    for (int i = 0; i < 8; ++i) put8(opt.raw, dice.raw());
  }
  return opt;
}

DnsSpec random_dns(Dice& dice, bool response, bool ipv6) {
  DnsSpec dns;
  dns.id = static_cast<std::uint16_t>(dice.raw());
  dns.flags = response ? 0x8180 : 0x0100;  // RD; a response also QR and RA
  const std::uint16_t qtype = ipv6 || dice.percent(30) ? kTypeAaaa : kTypeA;
  dns.questions.push_back({random_name(dice), qtype, 1});
  const bool edns = dice.percent(60);
  if (response) {
    std::string owner = dns.questions[0].name;
    if (dice.percent(50)) {  // a CNAME into a CDN zone, compressed against the question
      DnsRecordSpec cname;
      cname.name = owner;
      cname.type = kTypeCname;
      cname.ttl = dice.between(30, 3600);
      cname.target = "edge" + std::to_string(dice.below(100)) + "." + owner;
      dns.answers.push_back(cname);
      owner = cname.target;
    }
    const std::uint32_t addresses = dice.between(1, 4);
    for (std::uint32_t i = 0; i < addresses; ++i) {
      DnsRecordSpec record;
      record.name = owner;
      record.type = qtype;
      record.ttl = dice.between(30, 3600);
      record.address.resize(qtype == kTypeA ? 4 : 16);
      for (auto& b : record.address) b = static_cast<std::uint8_t>(dice.raw());
      dns.answers.push_back(record);
    }
  }
  if (edns) dns.additional.push_back(edns_opt(dice));
  return dns;
}

void random_address(Dice& dice, PacketSpec& p, std::array<std::uint8_t, 16>& address) {
  if (p.ipv6) {
    address = {0x20, 0x01, 0x0d, 0xb8};  // 2001:db8::/32
    for (std::size_t i = 4; i < 16; ++i)
      address[i] = static_cast<std::uint8_t>(dice.below(4) == 0 ? dice.raw() : 0);
    address[15] = static_cast<std::uint8_t>(dice.between(1, 254));
  } else {
    address = {};
    address[0] = dice.percent(50) ? 10 : 192;
    address[1] = address[0] == 10 ? static_cast<std::uint8_t>(dice.below(4)) : 168;
    address[2] = static_cast<std::uint8_t>(dice.below(8));
    address[3] = static_cast<std::uint8_t>(dice.between(1, 254));
  }
}

// IPv4 options: a record route with two address slots, one filled (12 bytes),
// or NOP, a timestamp option with two timestamps (flag 0), EOL (16 bytes).
std::vector<std::uint8_t> random_ipv4_options(Dice& dice) {
  std::vector<std::uint8_t> options;
  if (dice.percent(50)) {
    put8(options, 7);  // RECORD_ROUTE
    put8(options, 11);
    put8(options, 8);  // pointer: the second slot is next
    put32(options, 0x0a000001);
    put32(options, 0);
    put8(options, 0);  // EOL
  } else {
    put8(options, 1);   // NOP
    put8(options, 68);  // TIMESTAMP
    put8(options, 12);
    put8(options, 13);  // pointer: both slots used
    put8(options, 0);   // overflow 0, flag 0
    put32(options, dice.raw());
    put32(options, dice.raw());
    put8(options, 0);   // EOL
    put16(options, 0);  // padding
  }
  return options;
}

}  // namespace

std::vector<std::uint8_t> encode_tcp_options(const TcpOptionsSpec& o) {
  std::vector<std::uint8_t> out;
  if (o.mss) {
    put8(out, 2);
    put8(out, 4);
    put16(out, *o.mss);
  }
  if (o.sack_permitted) {
    put8(out, 4);
    put8(out, 2);
  }
  if (o.timestamps) {
    if (!o.mss) {
      put8(out, 1);
      put8(out, 1);
    }
    put8(out, 8);
    put8(out, 10);
    put32(out, o.timestamps->first);
    put32(out, o.timestamps->second);
  }
  if (o.window_scale) {
    put8(out, 1);
    put8(out, 3);
    put8(out, 3);
    put8(out, *o.window_scale);
  }
  if (!o.sack.empty()) {
    put8(out, 1);
    put8(out, 1);
    put8(out, 5);
    put8(out, static_cast<std::uint32_t>(2 + 8 * o.sack.size()));
    for (const auto& [left, right] : o.sack) {
      put32(out, left);
      put32(out, right);
    }
  }
  while (out.size() % 4 != 0) put8(out, 0);  // EOL, then padding
  if (out.size() > 40) throw std::logic_error("TCP options longer than 40 bytes");
  return out;
}

std::vector<std::uint8_t> encode_dns(const DnsSpec& dns) {
  std::vector<std::uint8_t> out;
  put16(out, dns.id);
  put16(out, dns.flags);
  put16(out, static_cast<std::uint32_t>(dns.questions.size()));
  put16(out, static_cast<std::uint32_t>(dns.answers.size()));
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(dns.additional.size()));
  NameTable written;
  for (const auto& q : dns.questions) {
    put_name(out, q.name, written);
    put16(out, q.type);
    put16(out, q.qclass);
  }
  for (const auto& r : dns.answers) put_record(out, r, written);
  for (const auto& r : dns.additional) put_record(out, r, written);
  return out;
}

std::size_t transport_size(const PacketSpec& p) {
  if (p.protocol == 6) return 20 + encode_tcp_options(p.tcp_options).size() + p.payload.size();
  return 8 + (p.dns ? encode_dns(*p.dns).size() : p.payload.size());
}

std::vector<std::uint8_t> to_wire(const PacketSpec& p) {
  std::vector<std::uint8_t> out;
  out.insert(out.end(), p.dst_mac.begin(), p.dst_mac.end());
  out.insert(out.end(), p.src_mac.begin(), p.src_mac.end());
  put16(out, p.ipv6 ? 0x86dd : 0x0800);
  const std::size_t transport = transport_size(p);
  if (p.ipv6) {
    put32(out, 6u << 28 | std::uint32_t{p.traffic_class} << 20 | (p.flow_label & 0xfffff));
    put16(out, static_cast<std::uint32_t>(transport));
    put8(out, p.protocol);
    put8(out, p.ttl);
    out.insert(out.end(), p.src.begin(), p.src.end());
    out.insert(out.end(), p.dst.begin(), p.dst.end());
  } else {
    const std::size_t ip_start = out.size();
    const std::size_t header = 20 + p.ipv4_options.size();
    put8(out, 0x40 | static_cast<std::uint32_t>(header / 4));
    put8(out, p.dscp_ecn);
    put16(out, static_cast<std::uint32_t>(header + transport));
    put16(out, p.identification);
    put16(out, p.dont_fragment ? 0x4000 : 0);
    put8(out, p.ttl);
    put8(out, p.protocol);
    put16(out, 0);  // checksum, below
    out.insert(out.end(), p.src.begin(), p.src.begin() + 4);
    out.insert(out.end(), p.dst.begin(), p.dst.begin() + 4);
    out.insert(out.end(), p.ipv4_options.begin(), p.ipv4_options.end());
    set16(out, ip_start + 10, internet_checksum(out.data() + ip_start, header));
  }
  put16(out, p.src_port);
  put16(out, p.dst_port);
  if (p.protocol == 6) {
    const auto options = encode_tcp_options(p.tcp_options);
    put32(out, p.seq);
    put32(out, p.ack);
    put16(out, static_cast<std::uint32_t>((20 + options.size()) / 4) << 12 | p.tcp_flags);
    put16(out, p.window);
    put16(out, p.seq ^ p.ack);  // checksum: not verified by any reader
    put16(out, 0);              // urgent pointer
    out.insert(out.end(), options.begin(), options.end());
    out.insert(out.end(), p.payload.begin(), p.payload.end());
  } else {
    put16(out, static_cast<std::uint32_t>(transport));
    put16(out, 0);  // no checksum
    if (p.dns) {
      const auto dns = encode_dns(*p.dns);
      out.insert(out.end(), dns.begin(), dns.end());
    } else {
      out.insert(out.end(), p.payload.begin(), p.payload.end());
    }
  }
  if (out.size() < 60) out.resize(60, 0);  // Ethernet's minimum frame, FCS excluded
  return out;
}

std::vector<PacketSpec> make_mix(std::size_t count, std::uint32_t seed) {
  Dice dice(seed);
  const std::array<std::array<std::uint8_t, 6>, 4> hosts = {{
      {0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10},
      {0x52, 0x54, 0x00, 0x12, 0x34, 0x56},
      {0x3c, 0xfd, 0xfe, 0xa0, 0x01, 0x02},
      {0xf8, 0x75, 0xa4, 0x77, 0x10, 0x9c},
  }};
  std::vector<PacketSpec> mix;
  mix.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    PacketSpec p;
    p.dst_mac = hosts[dice.below(4)];
    p.src_mac = hosts[dice.below(4)];
    p.ipv6 = dice.percent(20);
    p.ttl = std::array<std::uint8_t, 4>{64, 128, 255, 57}[dice.below(4)];
    random_address(dice, p, p.src);
    random_address(dice, p, p.dst);
    if (p.ipv6) {
      p.traffic_class = static_cast<std::uint8_t>(dice.below(4) * 32);
      p.flow_label = dice.raw() & 0xfffff;
    } else {
      p.dscp_ecn = static_cast<std::uint8_t>(dice.below(4) == 0 ? 0xb8 : 0);
      p.identification = static_cast<std::uint16_t>(dice.raw());
      if (dice.below(32) == 0) p.ipv4_options = random_ipv4_options(dice);
    }
    // Frame size: 40% small (ACKs, short requests), 20% medium, 40% large.
    const std::uint32_t bucket = dice.below(100);
    const std::size_t frame_size = bucket < 40   ? dice.between(64, 127)
                                   : bucket < 60 ? dice.between(128, 575)
                                                 : dice.between(576, 1500);
    const std::size_t ip_header = p.ipv6 ? 40 : 20 + p.ipv4_options.size();
    const std::uint16_t client_port = static_cast<std::uint16_t>(dice.between(1024, 65535));
    const std::uint32_t kind = dice.below(100);
    if (kind < 25) {  // DNS over UDP
      p.protocol = 17;
      const bool response = dice.percent(50);
      p.src_port = response ? 53 : client_port;
      p.dst_port = response ? client_port : 53;
      p.dns = random_dns(dice, response, p.ipv6);
    } else if (kind < 40) {  // other UDP (QUIC, RTP, syslog, ...)
      p.protocol = 17;
      p.src_port = client_port;
      p.dst_port = std::array<std::uint16_t, 4>{443, 5004, 514, 123}[dice.below(4)];
      if (dice.percent(50)) std::swap(p.src_port, p.dst_port);
      const std::size_t headers = 14 + ip_header + 8;
      p.payload.resize(frame_size > headers ? frame_size - headers : 0);
    } else {  // TCP
      p.protocol = 6;
      p.src_port = client_port;
      p.dst_port = std::array<std::uint16_t, 4>{443, 80, 22, 8080}[dice.below(4)];
      if (dice.percent(50)) std::swap(p.src_port, p.dst_port);
      p.seq = dice.raw();
      p.ack = dice.raw();
      p.window = static_cast<std::uint16_t>(dice.between(500, 65535));
      const std::pair<std::uint32_t, std::uint32_t> timestamps{dice.raw(), dice.raw()};
      if (dice.below(16) == 0) {  // SYN or SYN+ACK
        p.tcp_flags = dice.percent(50) ? 0x002 : 0x012;
        p.tcp_options.mss = p.ipv6 ? 1440 : 1460;
        p.tcp_options.sack_permitted = true;
        p.tcp_options.timestamps = timestamps;
        p.tcp_options.window_scale = 7;
      } else {
        p.tcp_flags = static_cast<std::uint16_t>(0x010 | (dice.percent(40) ? 0x008 : 0) |
                                                 (dice.below(50) == 0 ? 0x001 : 0));
        const std::uint32_t options = dice.below(8);
        if (options != 0) p.tcp_options.timestamps = timestamps;
        if (options == 1) {
          const std::uint32_t blocks = dice.between(1, 3);
          for (std::uint32_t b = 0; b < blocks; ++b) {
            const std::uint32_t left = p.ack + dice.between(1000, 100000);
            p.tcp_options.sack.emplace_back(left, left + dice.between(500, 3000));
          }
        }
        const std::size_t headers = 14 + ip_header + 20 + encode_tcp_options(p.tcp_options).size();
        p.payload.resize(frame_size > headers ? frame_size - headers : 0);
      }
    }
    for (auto& b : p.payload) b = static_cast<std::uint8_t>(dice.raw());
    mix.push_back(std::move(p));
  }
  return mix;
}

PacketSpec make_udp_of_size(std::size_t frame_size) {
  if (frame_size < 64) throw std::invalid_argument("frame_size below 64");
  PacketSpec p;
  p.dst_mac = {0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10};
  p.src_mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  p.src = {192, 168, 0, 1};
  p.dst = {192, 168, 0, 199};
  p.protocol = 17;
  p.src_port = 40000;
  p.dst_port = 4789;
  p.payload.resize(frame_size - 14 - 20 - 8);
  for (std::size_t i = 0; i < p.payload.size(); ++i)
    p.payload[i] = static_cast<std::uint8_t>(i * 7);
  return p;
}

void PacketStore::add(std::span<const std::uint8_t> packet) {
  const std::size_t at = (data_.size() + 7) / 8 * 8;
  data_.resize(at + packet.size());
  std::copy(packet.begin(), packet.end(), data_.begin() + static_cast<std::ptrdiff_t>(at));
  offsets_.emplace_back(at, packet.size());
  payload_bytes_ += packet.size();
}

}  // namespace lp_bench
