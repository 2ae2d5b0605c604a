// A libFuzzer target for lpdns's zone loader (examples/lpdns/zone.cpp): the
// input is a master file for example.com.
//
// Invariants, beyond "no crash, no sanitizer report":
//  - a zone that does not load gives an error whose message is not empty and
//    whose line lies within the text (0 for the zone as a whole);
//  - a zone that loads has its SOA and NS at the origin; every record's rdata
//    parses as its type through the generated views and fills its bytes;
//  - every node is found by its name, and its A and ANY queries get a reply
//    that parses as net::Dns.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "answer.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "lpdns zone fuzz target: invariant violated: %s\n%s\n", what,
               detail.c_str());
  std::abort();
}

// The record `owner type ttl rdata` as a reply would hold it, parsed back.
void check_rdata(const std::string& owner, const lpdns::RRset& rrset,
                 const std::vector<std::byte>& rdata) {
  std::vector<std::byte> record(reinterpret_cast<const std::byte*>(owner.data()),
                                reinterpret_cast<const std::byte*>(owner.data()) + owner.size());
  const auto put16 = [&record](unsigned v) {
    record.push_back(static_cast<std::byte>(v >> 8));
    record.push_back(static_cast<std::byte>(v & 0xff));
  };
  put16(static_cast<unsigned>(rrset.type));
  put16(1);
  put16(rrset.ttl >> 16);
  put16(rrset.ttl & 0xffff);
  if (rdata.size() > 0xffff) fail("rdata longer than 65535 bytes", lpdns::name_to_text(owner));
  put16(static_cast<unsigned>(rdata.size()));
  record.insert(record.end(), rdata.begin(), rdata.end());
  const auto view = net::DnsRecord::parse(lp::bytes(record));
  if (!view) fail("rdata that does not parse", view.error().message());
  if (view->size() != record.size()) fail("rdata longer than its type", lpdns::name_to_text(owner));
  if (view->rdata_arm() == net::DnsRecordView::RdataArm::raw) {
    fail("a record of a type the loader does not read", lpdns::name_to_text(owner));
  }
}

std::vector<std::byte> query(const std::string& name, std::uint16_t qtype) {
  std::vector<std::byte> q;
  for (const unsigned b : {0u, 1u, 1u, 0u, 0u, 1u, 0u, 0u, 0u, 0u, 0u, 0u}) {
    q.push_back(static_cast<std::byte>(b));
  }
  for (const char c : name) q.push_back(static_cast<std::byte>(c));
  for (const unsigned b : {static_cast<unsigned>(qtype) >> 8, qtype & 0xffu, 0u, 1u}) {
    q.push_back(static_cast<std::byte>(b));
  }
  return q;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const lpdns::ZoneResult zone = lpdns::load_zone_text(text, "fuzz.zone", "example.com");
  if (!zone) {
    const lpdns::ZoneError& error = zone.error();
    if (error.message.empty()) fail("an error without a message", error.to_string());
    std::size_t lines = 1;
    for (const char c : text) lines += c == '\n' ? 1 : 0;
    if (error.line > lines) fail("an error past the last line", error.to_string());
    return 0;
  }
  const lpdns::Node& apex = zone->apex();
  if (apex.find(net::DnsType::SOA) == nullptr || apex.find(net::DnsType::NS) == nullptr) {
    fail("a zone without SOA or NS at its origin", "");
  }
  static std::vector<std::byte> out(65535);
  for (const lpdns::Node* node : zone->nodes()) {
    if (zone->find(node->name) != node) fail("a node not found by its name", node->name);
    for (const lpdns::RRset& rrset : node->rrsets) {
      for (const std::vector<std::byte>& rdata : rrset.rdata) check_rdata(node->name, rrset, rdata);
    }
    for (const std::uint16_t qtype : {std::uint16_t{1}, std::uint16_t{255}}) {
      const std::vector<std::byte> q = query(node->name, qtype);
      const std::size_t n = lpdns::answer(*zone, lp::bytes(q), lpdns::Transport::tcp, out);
      if (n == 0)
        fail("no reply to a query for a name of the zone", lpdns::name_to_text(node->name));
      const auto reply = net::Dns::parse(lp::bytes(out.data(), n));
      if (!reply || reply->size() != n) fail("a reply that does not parse", "");
    }
  }
  return 0;
}
