// Test helpers for lpdns: queries built byte by byte, and replies read back
// through the generated net::Dns views into text ("www.example.com. 3600 A
// 192.0.2.1"), names decompressed with lp::PointerChain.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <libparse/pointer.hpp>

#include "net/dns.lp.hpp"

namespace lpdns_test {

using Bytes = std::vector<std::byte>;

inline void put8(Bytes& b, unsigned v) { b.push_back(static_cast<std::byte>(v & 0xff)); }
inline void put16(Bytes& b, unsigned v) {
  put8(b, v >> 8);
  put8(b, v);
}
inline void put32(Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xffff);
}

// "www.Example.com" -> wire labels, case kept.
inline Bytes wire_name(std::string_view text) {
  Bytes out;
  while (!text.empty() && text != ".") {
    const std::size_t dot = text.find('.');
    const std::string_view label = text.substr(0, dot);
    put8(out, static_cast<unsigned>(label.size()));
    for (const char c : label) put8(out, static_cast<unsigned char>(c));
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  put8(out, 0);
  return out;
}

struct Edns {
  std::uint16_t payload = 1232;
  std::uint8_t version = 0;
  bool dnssec_ok = false;
  Bytes options{};
};

struct QuerySpec {
  std::string name = "www.example.com";
  std::uint16_t qtype = 1;
  std::uint16_t qclass = 1;
  std::uint16_t id = 0x1234;
  std::uint16_t flags = 0x0100;  // RD
  std::optional<Edns> edns{};
};

inline Bytes opt_record(const Edns& e) {
  Bytes b;
  put8(b, 0);
  put16(b, 41);
  put16(b, e.payload);
  put32(b, (static_cast<std::uint32_t>(e.version) << 16) | (e.dnssec_ok ? 0x8000u : 0u));
  put16(b, static_cast<unsigned>(e.options.size()));
  b.insert(b.end(), e.options.begin(), e.options.end());
  return b;
}

inline Bytes query(const QuerySpec& spec) {
  Bytes b;
  put16(b, spec.id);
  put16(b, spec.flags);
  put16(b, 1);
  put16(b, 0);
  put16(b, 0);
  put16(b, spec.edns ? 1 : 0);
  const Bytes name = wire_name(spec.name);
  b.insert(b.end(), name.begin(), name.end());
  put16(b, spec.qtype);
  put16(b, spec.qclass);
  if (spec.edns) {
    const Bytes opt = opt_record(*spec.edns);
    b.insert(b.end(), opt.begin(), opt.end());
  }
  return b;
}

// A name of the reply, compression followed, as text ending with a dot.
inline std::string name_text(net::DnsNameView name, lp::bytes message) {
  lp::PointerChain chain(message);
  std::string out;
  for (;;) {
    std::optional<net::DnsPointerView> pointer;
    for (const net::DnsLabelView label : name.labels()) {
      if (const auto text = label.body_text()) {
        if (!text->empty()) out += std::string(text->as_string_view()) + ".";
      } else if (const auto p = label.body_pointer()) {
        pointer = *p;
      }
    }
    if (!pointer) break;
    const auto next = pointer->target(chain);
    if (!next) {
      ADD_FAILURE() << "bad compression pointer: " << next.error().message();
      break;
    }
    name = *next;
  }
  return out.empty() ? "." : out;
}

inline std::string type_text(net::DnsType type) {
  const std::string_view name = net::to_string(type);
  return name.empty() ? fmt::format("TYPE{}", static_cast<unsigned>(type)) : std::string(name);
}

// "owner TTL TYPE rdata"; OPT as "OPT payload ttl-hex options-hex".
inline std::string record_text(const net::DnsRecordView& r, lp::bytes message) {
  const std::string owner = name_text(r.name(), message);
  if (r.type() == net::DnsType::OPT) {
    std::string options;
    for (const std::byte b : r.rdata_bytes())
      options += fmt::format("{:02x}", static_cast<unsigned>(b));
    return fmt::format("OPT {} {:08x} {}", r.rclass(), r.ttl(), options);
  }
  std::string rdata;
  if (const auto a = r.rdata_a()) {
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, a->bytes().data(), text, sizeof text);
    rdata = text;
  } else if (const auto aaaa = r.rdata_aaaa()) {
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, aaaa->bytes().data(), text, sizeof text);
    rdata = text;
  } else if (const auto name = r.rdata_name()) {
    rdata = name_text(*name, message);
  } else if (const auto mx = r.rdata_mx()) {
    rdata = fmt::format("{} {}", mx->preference(), name_text(mx->exchange(), message));
  } else if (const auto srv = r.rdata_srv()) {
    rdata = fmt::format("{} {} {} {}", srv->priority(), srv->weight(), srv->port(),
                        name_text(srv->target(), message));
  } else if (const auto soa = r.rdata_soa()) {
    rdata = fmt::format("{} {} {} {} {} {} {}", name_text(soa->mname(), message),
                        name_text(soa->rname(), message), soa->serial(), soa->refresh(),
                        soa->retry(), soa->expire(), soa->minimum());
  } else if (const auto txt = r.rdata_txt()) {
    for (const net::DnsCharacterStringView s : txt->strings()) {
      if (!rdata.empty()) rdata += ' ';
      rdata += fmt::format("\"{}\"", s.text());
    }
  }
  const std::string klass = r.rclass() == 1 ? "" : fmt::format("CLASS{} ", r.rclass());
  return fmt::format("{} {} {}{} {}", owner, r.ttl(), klass, type_text(r.type()), rdata);
}

// A reply read back: header fields and each section as text.
struct Reply {
  std::uint16_t id = 0;
  bool qr = false, aa = false, tc = false, rd = false, ra = false, ad = false, cd = false;
  unsigned opcode = 0;
  unsigned rcode = 0;  // the header's four bits
  std::vector<std::string> question, answer, authority, additional;
  std::size_t size = 0;
  Bytes wire;
};

inline Reply read_reply(lp::bytes wire) {
  Reply out;
  out.size = wire.size();
  out.wire.assign(wire.begin(), wire.end());
  const auto message = net::Dns::parse(wire);
  if (!message) {
    ADD_FAILURE() << "the reply does not parse: " << message.error().message();
    return out;
  }
  EXPECT_EQ(message->size(), wire.size()) << "bytes after the reply's last record";
  out.id = message->id();
  out.qr = message->qr() != 0;
  out.opcode = static_cast<unsigned>(message->opcode());
  out.aa = message->aa() != 0;
  out.tc = message->tc() != 0;
  out.rd = message->rd() != 0;
  out.ra = message->ra() != 0;
  out.ad = message->ad() != 0;
  out.cd = message->cd() != 0;
  out.rcode = static_cast<unsigned>(message->rcode());
  for (const net::DnsQuestionView q : message->questions()) {
    out.question.push_back(
        fmt::format("{} {} {}", name_text(q.name(), wire), type_text(q.qtype()), q.qclass()));
  }
  for (const net::DnsRecordView r : message->answers()) out.answer.push_back(record_text(r, wire));
  for (const net::DnsRecordView r : message->authority()) {
    out.authority.push_back(record_text(r, wire));
  }
  for (const net::DnsRecordView r : message->additional()) {
    out.additional.push_back(record_text(r, wire));
  }
  return out;
}

}  // namespace lpdns_test
