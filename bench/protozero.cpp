// parse_mix/protozero: the bench/packet.proto bytes read field by field with
// protozero's pbf_reader (no generated code, no message objects; fields not
// read are skipped, not decoded).
#include <protozero/pbf_reader.hpp>

#include "readers.hpp"

namespace lp_bench {
namespace {

std::uint64_t view_sum(protozero::data_view v) noexcept {
  return byte_sum(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
}

std::uint64_t address_sum(std::uint32_t address) noexcept {
  return (address >> 24) + (address >> 16 & 0xff) + (address >> 8 & 0xff) + (address & 0xff);
}

// Field numbers of bench/packet.proto.
namespace field {
constexpr protozero::pbf_tag_type packet_ether_type = 3, packet_ipv4 = 4, packet_ipv6 = 5,
                                  packet_tcp = 6, packet_udp = 7, packet_dns = 8;
constexpr protozero::pbf_tag_type ipv4_total_length = 2, ipv4_ttl = 5, ipv4_protocol = 6,
                                  ipv4_src = 8, ipv4_dst = 9;
constexpr protozero::pbf_tag_type ipv6_payload_length = 3, ipv6_next_header = 4, ipv6_hop_limit = 5,
                                  ipv6_src = 6, ipv6_dst = 7;
constexpr protozero::pbf_tag_type tcp_src_port = 1, tcp_dst_port = 2, tcp_data_offset = 5,
                                  tcp_flags = 6, tcp_payload = 16;
constexpr protozero::pbf_tag_type udp_src_port = 1, udp_dst_port = 2, udp_length = 3;
constexpr protozero::pbf_tag_type dns_id = 1, dns_questions = 3, dns_answers = 4;
constexpr protozero::pbf_tag_type question_name = 1, question_type = 2;
}  // namespace field

std::uint64_t read_ipv4(protozero::pbf_reader ip) {
  std::uint64_t sum = 0;
  while (ip.next()) {
    switch (ip.tag()) {
      case field::ipv4_total_length:
      case field::ipv4_ttl:
      case field::ipv4_protocol:
        sum += ip.get_uint32();
        break;
      case field::ipv4_src:
      case field::ipv4_dst:
        sum += address_sum(ip.get_fixed32());
        break;
      default:
        ip.skip();
    }
  }
  return sum;
}

std::uint64_t read_ipv6(protozero::pbf_reader ip) {
  std::uint64_t sum = 0;
  while (ip.next()) {
    switch (ip.tag()) {
      case field::ipv6_payload_length:
      case field::ipv6_next_header:
      case field::ipv6_hop_limit:
        sum += ip.get_uint32();
        break;
      case field::ipv6_src:
      case field::ipv6_dst:
        sum += view_sum(ip.get_view());
        break;
      default:
        ip.skip();
    }
  }
  return sum;
}

std::uint64_t read_tcp(protozero::pbf_reader tcp) {
  std::uint64_t sum = 0;
  while (tcp.next()) {
    switch (tcp.tag()) {
      case field::tcp_src_port:
      case field::tcp_dst_port:
      case field::tcp_data_offset:
      case field::tcp_flags:
        sum += tcp.get_uint32();
        break;
      case field::tcp_payload:
        sum += tcp.get_view().size();
        break;
      default:
        tcp.skip();
    }
  }
  return sum;
}

std::uint64_t read_udp(protozero::pbf_reader udp) {
  std::uint64_t sum = 0;
  while (udp.next()) {
    switch (udp.tag()) {
      case field::udp_src_port:
      case field::udp_dst_port:
      case field::udp_length:
        sum += udp.get_uint32();
        break;
      default:
        udp.skip();
    }
  }
  return sum;
}

std::uint64_t read_question(protozero::pbf_reader question) {
  std::uint64_t sum = 0;
  while (question.next()) {
    switch (question.tag()) {
      case field::question_name:
        sum += view_sum(question.get_view());
        break;
      case field::question_type:
        sum += question.get_uint32();
        break;
      default:
        question.skip();
    }
  }
  return sum;
}

std::uint64_t read_dns(protozero::pbf_reader dns) {
  std::uint64_t sum = 0;
  bool first_question = true;
  while (dns.next()) {
    switch (dns.tag()) {
      case field::dns_id:
        sum += dns.get_uint32();
        break;
      case field::dns_questions:
        sum += 1;  // qdcount
        if (first_question) {
          sum += read_question(dns.get_message());
          first_question = false;
        } else {
          dns.skip();
        }
        break;
      case field::dns_answers:
        sum += 1;  // ancount
        dns.skip();
        break;
      default:
        dns.skip();
    }
  }
  return sum;
}

}  // namespace

std::uint64_t read_protozero(Buffer message) {
  // protozero reports malformed input by throwing (protozero::exception).
  try {
    protozero::pbf_reader packet{reinterpret_cast<const char*>(message.data()), message.size()};
    std::uint64_t sum = 0;
    while (packet.next()) {
      switch (packet.tag()) {
        case field::packet_ether_type:
          sum += packet.get_uint32();
          break;
        case field::packet_ipv4:
          sum += read_ipv4(packet.get_message());
          break;
        case field::packet_ipv6:
          sum += read_ipv6(packet.get_message());
          break;
        case field::packet_tcp:
          sum += read_tcp(packet.get_message());
          break;
        case field::packet_udp:
          sum += read_udp(packet.get_message());
          break;
        case field::packet_dns:
          sum += read_dns(packet.get_message());
          break;
        default:
          packet.skip();
      }
    }
    return sum;
  } catch (const protozero::exception&) {
    return 0;
  }
}

}  // namespace lp_bench
