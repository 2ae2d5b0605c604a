// parse_mix/flatbuffers: bench/packet.fbs buffers, verified with
// flatbuffers::Verifier and then read in place; plus the encoder.
#include <flatbuffers/flatbuffers.h>

#include "mix.hpp"
#include "packet_generated.h"
#include "readers.hpp"

namespace lp_bench {
namespace {

std::uint64_t address_sum(std::uint32_t address) noexcept {
  return (address >> 24) + (address >> 16 & 0xff) + (address >> 8 & 0xff) + (address & 0xff);
}

std::uint32_t address_number(const std::array<std::uint8_t, 16>& a) {
  return std::uint32_t{a[0]} << 24 | std::uint32_t{a[1]} << 16 | std::uint32_t{a[2]} << 8 | a[3];
}

template <std::uint16_t N>
std::uint64_t array_sum(const flatbuffers::Array<std::uint8_t, N>* array) noexcept {
  std::uint64_t sum = 0;
  for (std::uint8_t b : *array) sum += b;
  return sum;
}

flatbuffers::Offset<fb::DnsRecord> build_record(flatbuffers::FlatBufferBuilder& b,
                                                const DnsRecordSpec& r) {
  const auto name = b.CreateString(r.name);
  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> address, raw;
  flatbuffers::Offset<flatbuffers::String> target;
  if (r.type == 1 || r.type == 28) {
    address = b.CreateVector(r.address);
  } else if (r.type == 5) {
    target = b.CreateString(r.target);
  } else {
    raw = b.CreateVector(r.raw);
  }
  return fb::CreateDnsRecord(b, name, r.type, r.rclass, r.ttl, address, target, raw);
}

}  // namespace

std::vector<std::uint8_t> to_flatbuffers(const PacketSpec& p) {
  flatbuffers::FlatBufferBuilder b;
  const std::size_t transport = transport_size(p);
  const auto wire = to_wire(p);
  flatbuffers::Offset<void> network;
  if (p.ipv6) {
    fb::Ipv6Addr src, dst;
    for (std::size_t i = 0; i < 16; ++i) {
      src.mutable_octets()->Mutate(i, p.src[i]);
      dst.mutable_octets()->Mutate(i, p.dst[i]);
    }
    network = fb::CreateIpv6(b, p.traffic_class, p.flow_label,
                             static_cast<std::uint16_t>(transport), p.protocol, p.ttl, &src, &dst)
                  .Union();
  } else {
    const auto options = b.CreateVector(p.ipv4_options);
    network = fb::CreateIpv4(b, p.dscp_ecn,
                             static_cast<std::uint16_t>(20 + p.ipv4_options.size() + transport),
                             p.identification, p.dont_fragment ? 0x4000 : 0, p.ttl, p.protocol,
                             static_cast<std::uint16_t>(wire[24] << 8 | wire[25]),
                             address_number(p.src), address_number(p.dst), options)
                  .Union();
  }
  flatbuffers::Offset<void> transport_table;
  if (p.protocol == 6) {
    const auto& o = p.tcp_options;
    std::vector<fb::SackBlock> blocks;
    for (const auto& [left, right] : o.sack) blocks.emplace_back(left, right);
    const auto sack = b.CreateVectorOfStructs(blocks);
    const auto payload = b.CreateVector(p.payload);
    transport_table =
        fb::CreateTcp(b, p.src_port, p.dst_port, p.seq, p.ack,
                      static_cast<std::uint8_t>((20 + encode_tcp_options(o).size()) / 4),
                      p.tcp_flags, p.window, static_cast<std::uint16_t>(p.seq ^ p.ack), 0,
                      o.mss.value_or(0), o.window_scale.value_or(0), o.sack_permitted,
                      o.timestamps ? o.timestamps->first : 0,
                      o.timestamps ? o.timestamps->second : 0, sack, payload)
            .Union();
  } else {
    const auto payload = b.CreateVector(p.payload);
    transport_table =
        fb::CreateUdp(b, p.src_port, p.dst_port, static_cast<std::uint16_t>(transport), 0, payload)
            .Union();
  }
  flatbuffers::Offset<fb::Dns> dns;
  if (p.dns) {
    std::vector<flatbuffers::Offset<fb::DnsQuestion>> questions;
    for (const auto& q : p.dns->questions) {
      questions.push_back(fb::CreateDnsQuestion(b, b.CreateString(q.name), q.type, q.qclass));
    }
    std::vector<flatbuffers::Offset<fb::DnsRecord>> answers, additional;
    for (const auto& r : p.dns->answers) answers.push_back(build_record(b, r));
    for (const auto& r : p.dns->additional) additional.push_back(build_record(b, r));
    dns = fb::CreateDns(b, p.dns->id, p.dns->flags, b.CreateVector(questions),
                        b.CreateVector(answers), 0, b.CreateVector(additional));
  }
  fb::Mac dst_mac, src_mac;
  for (std::size_t i = 0; i < 6; ++i) {
    dst_mac.mutable_octets()->Mutate(i, p.dst_mac[i]);
    src_mac.mutable_octets()->Mutate(i, p.src_mac[i]);
  }
  b.Finish(fb::CreatePacket(b, &dst_mac, &src_mac, p.ipv6 ? 0x86dd : 0x0800,
                            p.ipv6 ? fb::Network::Ipv6 : fb::Network::Ipv4, network,
                            p.protocol == 6 ? fb::Transport::Tcp : fb::Transport::Udp,
                            transport_table, dns));
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

std::uint64_t read_flatbuffers(Buffer buffer) noexcept {
  flatbuffers::Verifier verifier(buffer.data(), buffer.size());
  if (!fb::VerifyPacketBuffer(verifier)) return 0;
  const fb::Packet* packet = fb::GetPacket(buffer.data());
  std::uint64_t sum = packet->ether_type();
  if (const fb::Ipv4* ip = packet->network_as_Ipv4()) {
    sum += address_sum(ip->src()) + address_sum(ip->dst()) + ip->total_length() + ip->protocol() +
           ip->ttl();
  } else if (const fb::Ipv6* ip6 = packet->network_as_Ipv6()) {
    sum += (ip6->src() != nullptr ? array_sum(ip6->src()->octets()) : 0) +
           (ip6->dst() != nullptr ? array_sum(ip6->dst()->octets()) : 0) + ip6->payload_length() +
           ip6->next_header() + ip6->hop_limit();
  }
  if (const fb::Tcp* tcp = packet->transport_as_Tcp()) {
    sum += std::uint64_t{tcp->src_port()} + tcp->dst_port() + tcp->flags() + tcp->data_offset() +
           (tcp->payload() != nullptr ? tcp->payload()->size() : 0);
  } else if (const fb::Udp* udp = packet->transport_as_Udp()) {
    sum += std::uint64_t{udp->src_port()} + udp->dst_port() + udp->length();
    if (const fb::Dns* dns = packet->dns()) {
      const auto* questions = dns->questions();
      const auto* answers = dns->answers();
      sum += std::uint64_t{dns->id()} + (questions != nullptr ? questions->size() : 0) +
             (answers != nullptr ? answers->size() : 0);
      if (questions != nullptr && questions->size() > 0) {
        const fb::DnsQuestion* question = questions->Get(0);
        sum += question->type();
        if (const auto* name = question->name()) {
          sum += byte_sum(reinterpret_cast<const std::uint8_t*>(name->data()), name->size());
        }
      }
    }
  }
  return sum;
}

}  // namespace lp_bench
