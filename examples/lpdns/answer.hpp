// lpdns's answer(): one DNS query in, the authoritative reply out, for one zone.
//
// The query is read through the views generated from schemas/net/dns.lps
// (net::Dns, net::DnsQuestion, net::DnsRecord, ...); the reply is written into
// the caller's buffer with lp::Writer. The rules follow Knot DNS 3.2, against
// which lpdns is compared (docs/lpdns-engine.md lists them and the few
// deliberate differences): AA on authoritative data, NXDOMAIN and NODATA with
// the SOA in the authority section (TTL min(SOA TTL, MINIMUM)), CNAME chains
// inside the zone (at most 5 links, loops cut), wildcards, referrals (NS in
// authority, no AA, glue in additional), A/AAAA of in-zone NS, MX and SRV
// targets in additional, ANY answered with one RRset (RFC 8482), EDNS(0) (the
// OPT echoed, BADVERS for a version above 0, NSID on request), name compression
// as Knot does it, TC when a needed RRset does not fit.
//
// Cost: O(size of the query + size of the reply) plus one hash lookup per name
// resolved; no heap allocation, no exception, no lock: any number of threads may
// call it at once on one Zone. Lifetime: nothing is kept after the call; `query`
// and `out` may be reused at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include <libparse/bytes.hpp>

#include "zone.hpp"

namespace lpdns {

enum class Transport { udp, tcp };

struct AnswerOptions {
  // The largest UDP reply to an EDNS query (Knot's udp-max-payload, whose
  // default is 1232, the DNS flag day 2020 value). A query's own EDNS size
  // lowers it, never below 512; without EDNS a UDP reply is at most 512 bytes.
  std::uint16_t udp_max_payload = 1232;
  // RFC 5001 name server identifier, sent to queries that ask for it (EDNS
  // option 3). Empty: the option is not answered. Borrowed: it must outlive
  // every answer() call that uses these options.
  lp::bytes nsid{};
  // CHAOS-class TXT answers, as Knot gives them: `identity` for id.server and
  // hostname.bind, `version` for version.server and version.bind (at most 255
  // bytes are sent). Empty: such queries are REFUSED. Borrowed, like nsid.
  std::string_view identity{};
  std::string_view version{};
};

// Writes the reply to `query` into `out` and returns its length, or returns 0
// when no reply is due: the query is shorter than a DNS header, is a response
// (QR set), or its question cannot be read (QDCOUNT above 1, a name cut short,
// compressed or longer than 255 bytes), or it has no question and nothing
// readable after its header -- Knot drops those too, rather than send a
// FORMERR that echoes nothing to whatever address the packet claims.
// Also 0 when `out` cannot hold the header and question (give it at least 512
// bytes for UDP, 65535 for TCP).
//
// Size limit: for UDP 512 bytes without EDNS, else max(512, min(the query's
// EDNS payload size, options.udp_max_payload)); for TCP 65535. An answer that
// does not fit stops at the last whole RRset that does, with TC set.
std::size_t answer(const Zone& zone, lp::bytes query, Transport transport, std::span<std::byte> out,
                   const AnswerOptions& options = {}) noexcept;

}  // namespace lpdns
