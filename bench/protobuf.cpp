// parse_mix/protobuf and parse_mix/protobuf_arena: bench/packet.proto through
// libprotobuf, plus the encoder that fills the message from a PacketSpec.
#include <google/protobuf/arena.h>

#include <string>

#include "mix.hpp"
#include "packet.pb.h"
#include "readers.hpp"

namespace lp_bench {
namespace {

std::uint64_t string_sum(const std::string& s) noexcept {
  return byte_sum(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

std::uint64_t address_sum(std::uint32_t address) noexcept {
  return (address >> 24) + (address >> 16 & 0xff) + (address >> 8 & 0xff) + (address & 0xff);
}

std::uint32_t address_number(const std::array<std::uint8_t, 16>& a) {
  return std::uint32_t{a[0]} << 24 | std::uint32_t{a[1]} << 16 | std::uint32_t{a[2]} << 8 | a[3];
}

void fill_record(pb::DnsRecord& out, const DnsRecordSpec& in) {
  out.set_name(in.name);
  out.set_type(in.type);
  out.set_rclass(in.rclass);
  out.set_ttl(in.ttl);
  if (in.type == 1 || in.type == 28) {
    out.set_address(in.address.data(), in.address.size());
  } else if (in.type == 5) {
    out.set_target(in.target);
  } else {
    out.set_raw(in.raw.data(), in.raw.size());
  }
}

std::uint64_t sum_message(const pb::Packet& packet) noexcept {
  std::uint64_t sum = packet.ether_type();
  if (packet.has_ipv4()) {
    const pb::Ipv4& ip = packet.ipv4();
    sum += address_sum(ip.src()) + address_sum(ip.dst()) + ip.total_length() + ip.protocol() +
           ip.ttl();
  } else if (packet.has_ipv6()) {
    const pb::Ipv6& ip = packet.ipv6();
    sum += string_sum(ip.src()) + string_sum(ip.dst()) + ip.payload_length() + ip.next_header() +
           ip.hop_limit();
  }
  if (packet.has_tcp()) {
    const pb::Tcp& tcp = packet.tcp();
    sum += std::uint64_t{tcp.src_port()} + tcp.dst_port() + tcp.flags() + tcp.data_offset() +
           tcp.payload().size();
  } else if (packet.has_udp()) {
    const pb::Udp& udp = packet.udp();
    sum += std::uint64_t{udp.src_port()} + udp.dst_port() + udp.length();
    if (packet.has_dns()) {
      const pb::Dns& dns = packet.dns();
      sum += std::uint64_t{dns.id()} + static_cast<std::uint64_t>(dns.questions_size()) +
             static_cast<std::uint64_t>(dns.answers_size());
      if (dns.questions_size() > 0) {
        sum += dns.questions(0).type() + string_sum(dns.questions(0).name());
      }
    }
  }
  return sum;
}

}  // namespace

std::string to_protobuf(const PacketSpec& p) {
  pb::Packet packet;
  packet.set_dst_mac(p.dst_mac.data(), p.dst_mac.size());
  packet.set_src_mac(p.src_mac.data(), p.src_mac.size());
  packet.set_ether_type(p.ipv6 ? 0x86dd : 0x0800);
  const std::size_t transport = transport_size(p);
  const auto wire = to_wire(p);  // the IPv4 checksum and header words, as sent
  if (p.ipv6) {
    pb::Ipv6& ip = *packet.mutable_ipv6();
    ip.set_traffic_class(p.traffic_class);
    ip.set_flow_label(p.flow_label);
    ip.set_payload_length(static_cast<std::uint32_t>(transport));
    ip.set_next_header(p.protocol);
    ip.set_hop_limit(p.ttl);
    ip.set_src(p.src.data(), 16);
    ip.set_dst(p.dst.data(), 16);
  } else {
    pb::Ipv4& ip = *packet.mutable_ipv4();
    ip.set_dscp_ecn(p.dscp_ecn);
    ip.set_total_length(static_cast<std::uint32_t>(20 + p.ipv4_options.size() + transport));
    ip.set_identification(p.identification);
    ip.set_flags_fragment(p.dont_fragment ? 0x4000 : 0);
    ip.set_ttl(p.ttl);
    ip.set_protocol(p.protocol);
    ip.set_checksum(static_cast<std::uint32_t>(wire[24] << 8 | wire[25]));
    ip.set_src(address_number(p.src));
    ip.set_dst(address_number(p.dst));
    ip.set_options(p.ipv4_options.data(), p.ipv4_options.size());
  }
  if (p.protocol == 6) {
    pb::Tcp& tcp = *packet.mutable_tcp();
    tcp.set_src_port(p.src_port);
    tcp.set_dst_port(p.dst_port);
    tcp.set_seq(p.seq);
    tcp.set_ack(p.ack);
    tcp.set_data_offset(static_cast<std::uint32_t>(20 + encode_tcp_options(p.tcp_options).size()) /
                        4);
    tcp.set_flags(p.tcp_flags);
    tcp.set_window(p.window);
    tcp.set_checksum(p.seq ^ p.ack);
    const auto& o = p.tcp_options;
    if (o.mss) tcp.set_mss(*o.mss);
    if (o.window_scale) tcp.set_window_scale(*o.window_scale);
    tcp.set_sack_permitted(o.sack_permitted);
    if (o.timestamps) {
      tcp.set_ts_value(o.timestamps->first);
      tcp.set_ts_echo(o.timestamps->second);
    }
    for (const auto& [left, right] : o.sack) {
      pb::SackBlock& block = *tcp.add_sack();
      block.set_left(left);
      block.set_right(right);
    }
    tcp.set_payload(p.payload.data(), p.payload.size());
  } else {
    pb::Udp& udp = *packet.mutable_udp();
    udp.set_src_port(p.src_port);
    udp.set_dst_port(p.dst_port);
    udp.set_length(static_cast<std::uint32_t>(transport));
    udp.set_payload(p.payload.data(), p.payload.size());
  }
  if (p.dns) {
    pb::Dns& dns = *packet.mutable_dns();
    dns.set_id(p.dns->id);
    dns.set_flags(p.dns->flags);
    for (const auto& q : p.dns->questions) {
      pb::DnsQuestion& question = *dns.add_questions();
      question.set_name(q.name);
      question.set_type(q.type);
      question.set_qclass(q.qclass);
    }
    for (const auto& r : p.dns->answers) fill_record(*dns.add_answers(), r);
    for (const auto& r : p.dns->additional) fill_record(*dns.add_additional(), r);
  }
  return packet.SerializeAsString();
}

std::uint64_t read_protobuf(Buffer message) {
  pb::Packet packet;
  if (!packet.ParseFromArray(message.data(), static_cast<int>(message.size()))) return 0;
  return sum_message(packet);
}

std::uint64_t read_protobuf_arena(Buffer message, std::span<std::byte> arena_block) {
  google::protobuf::ArenaOptions options;
  options.initial_block = reinterpret_cast<char*>(arena_block.data());
  options.initial_block_size = arena_block.size();
  google::protobuf::Arena arena(options);
  auto* packet = google::protobuf::Arena::CreateMessage<pb::Packet>(&arena);
  if (!packet->ParseFromArray(message.data(), static_cast<int>(message.size()))) return 0;
  return sum_message(*packet);
}

}  // namespace lp_bench
