// A libFuzzer target for lpdns's request path (examples/lpdns): query bytes in,
// reply bytes out, over a small built-in zone with every feature answer() has
// a rule for (CNAME chains and loops, a delegation with glue, a wildcard, an
// empty non-terminal, an RRset too large for 512 bytes).
//
// Invariants, beyond "no crash, no sanitizer report":
//  - no reply to a query shorter than a header or with QR set;
//  - a reply parses as net::Dns and fills its bytes exactly; QR is set, the id
//    and opcode are the query's, and its question (when it has one) is the
//    query's, byte for byte;
//  - every name in the reply expands (pointers go backwards, no loops, at
//    most 255 bytes);
//  - it fits: over UDP 512 bytes, or max(512, min(the query's EDNS size, 1232))
//    when it carries an OPT; over TCP 65535;
//  - the same query gives the same reply twice.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "answer.hpp"
#include "message.hpp"

namespace {

constexpr const char* zone_text = R"($TTL 300
@ SOA ns1 hostmaster 1 7200 3600 1209600 60
  NS ns1
  NS ns.outside.example.org.
  MX 10 mail
  A 192.0.2.1
ns1 A 192.0.2.53
    AAAA 2001:db8::53
mail A 192.0.2.25
www CNAME web
web A 192.0.2.80
    TXT "a" "b"
chain CNAME www
loop1 CNAME loop2
loop2 CNAME loop1
away CNAME www.example.org.
_sip._tcp SRV 0 0 5060 sip
sip AAAA 2001:db8::60
sub NS ns.sub
ns.sub A 192.0.2.200
*.wild CNAME www
)";

const lpdns::Zone& zone() {
  static const lpdns::ZoneResult loaded = [] {
    std::string text = zone_text;
    for (int i = 1; i <= 40; ++i) text += "many A 198.51.100." + std::to_string(i) + "\n";
    return lpdns::load_zone_text(text, "fuzz.zone", "example.com");
  }();
  if (!loaded) {
    std::fprintf(stderr, "lpdns fuzz target: %s\n", loaded.error().to_string().c_str());
    std::abort();
  }
  return *loaded;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "lpdns fuzz target: invariant violated: %s\n", what);
  std::abort();
}

// The EDNS payload size the query advertises, when it is a message with an OPT.
std::optional<std::uint16_t> query_payload(lp::bytes query) {
  const auto message = net::Dns::parse(query);
  if (!message) return std::nullopt;
  for (const net::DnsRecordView r : message->additional()) {
    if (r.type() == net::DnsType::OPT) return r.rclass();
  }
  return std::nullopt;
}

void check(lp::bytes query, lpdns::Transport transport) {
  static std::vector<std::byte> out(65535);
  static std::vector<std::byte> again(65535);
  const std::size_t n = lpdns::answer(zone(), query, transport, out);
  if (n != lpdns::answer(zone(), query, transport, again) ||
      std::memcmp(out.data(), again.data(), n) != 0) {
    fail("the same query gave two different replies");
  }
  if (query.size() < 12 || (query.u8(2) & 0x80u) != 0) {
    if (n != 0) fail("a reply to a response or to less than a header");
    return;
  }
  if (n == 0) return;
  const lp::bytes reply(out.data(), n);
  const auto message = net::Dns::parse(reply);
  if (!message) fail("the reply does not parse");
  if (message->size() != n) fail("bytes after the reply's last record");
  if (message->qr() != 1) fail("QR not set");
  if (std::memcmp(reply.data(), query.data(), 2) != 0) fail("id not echoed");
  if ((reply.u8(2) & 0x78u) != (query.u8(2) & 0x78u)) fail("opcode not echoed");
  if (message->qdcount() > 1) fail("more than one question");
  if (message->qdcount() == 1) {
    const lp::bytes question = (*message->questions().begin()).bytes();
    if (query.size() < 12 + question.size() ||
        std::memcmp(query.data() + 12, question.data(), question.size()) != 0) {
      fail("the question is not the query's");
    }
  }
  bool has_opt = false;
  for (const auto& section : {message->answers(), message->authority(), message->additional()}) {
    for (const net::DnsRecordView r : section) {
      if (!lpdns::record_names_are_valid(r, reply)) fail("a name does not expand");
      if (r.type() == net::DnsType::OPT) has_opt = true;
    }
  }
  std::size_t limit = 65535;
  if (transport == lpdns::Transport::udp) {
    limit = 512;
    if (has_opt) {
      const auto payload = query_payload(query);
      if (!payload) fail("an OPT in the reply to a query without one");
      limit = std::max<std::size_t>(512, std::min<std::size_t>(*payload, 1232));
    }
  }
  if (n > limit) fail("the reply exceeds its size limit");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const lp::bytes query(reinterpret_cast<const std::byte*>(data), size);
  check(query, lpdns::Transport::udp);
  check(query, lpdns::Transport::tcp);
  return 0;
}
