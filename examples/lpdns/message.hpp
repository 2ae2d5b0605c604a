// Names inside a DNS message, read through the generated views (net::Dns,
// net::DnsRecord, net::DnsName from schemas/net/dns.lps): checking that each one
// expands. answer() checks a query's records with them before it answers, the
// fuzz target checks every reply.
//
// Cost: O(labels) for a name without a compression pointer; with pointers, one
// lp::PointerChain walk (a parse of each name pointed at, at most one per byte
// before it). No allocation. Lifetime: nothing is kept.
#pragma once

#include <cstddef>
#include <optional>

#include <libparse/bytes.hpp>
#include <libparse/pointer.hpp>

#include "name.hpp"
#include "net/dns.lp.hpp"

namespace lpdns {

// True when `name`, a name in `message`, expands: its compression pointers
// lead backwards without a loop (lp::PointerChain) and the whole name is at
// most 255 bytes (RFC 1035 §2.3.4).
inline bool name_is_valid(const net::DnsNameView& name, lp::bytes message) noexcept {
  // Most names in queries (the OPT's root) have no pointer: no chain to follow.
  const lp::bytes wire = name.bytes();
  std::size_t i = 0;
  while (i < wire.size() && (wire.u8(i) & 0xc0u) == 0) i += wire.u8(i) + 1u;
  if (i >= wire.size()) return wire.size() <= max_name_size;
  lp::PointerChain chain(message);
  net::DnsNameView current = name;
  std::size_t expanded = 0;
  for (;;) {
    std::optional<net::DnsPointerView> pointer;
    for (const net::DnsLabelView label : current.labels()) {
      if (const auto p = label.body_pointer()) {
        pointer = *p;
      } else {
        expanded += 1u + label.length();
      }
    }
    if (expanded > max_name_size) return false;
    if (!pointer) return true;
    const auto next = pointer->target(chain);
    if (!next) return false;
    current = *next;
  }
}

// name_is_valid() for the owner and every name in the rdata of the types
// dns.lps reads names from (NS, CNAME, PTR, MX, SRV, SOA).
inline bool record_names_are_valid(const net::DnsRecordView& record, lp::bytes message) noexcept {
  if (!name_is_valid(record.name(), message)) return false;
  if (const auto name = record.rdata_name()) return name_is_valid(*name, message);
  if (const auto mx = record.rdata_mx()) return name_is_valid(mx->exchange(), message);
  if (const auto srv = record.rdata_srv()) return name_is_valid(srv->target(), message);
  if (const auto soa = record.rdata_soa()) {
    return name_is_valid(soa->mname(), message) && name_is_valid(soa->rname(), message);
  }
  return true;
}

}  // namespace lpdns
