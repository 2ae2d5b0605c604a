// lpdns's zone: one DNS zone loaded from an RFC 1035 master file, in the form
// answer() reads it.
//
// What is read: $ORIGIN, $TTL, the record types SOA, NS, A, AAAA, CNAME, MX,
// TXT, SRV and PTR; relative names, @, the owner of the previous record for a
// line that starts with a blank, TTL and class (IN only) optional and in either
// order (no TTL: $TTL, else 3600 as in Knot), TTLs with units (1h30m),
// parentheses across lines, comments, quoted strings with \X and \DDD escapes,
// TXT strings longer than 255 bytes split in 255-byte pieces. The first error
// stops the load with its file:line (docs/lpdns-engine.md lists the checks).
//
// The data follow Knot 3.2, whose answers lpdns reproduces: every name is kept
// lowercase, an RRset's records are in canonical order (RFC 4034 §6.3) without
// duplicates, a node's RRsets are ordered by type, empty non-terminals are
// nodes, and each NS, MX and SRV RRset carries the list of in-zone nodes its
// targets name (the additional-section candidates, mandatory glue first).
//
// Cost: load_zone() is O(file size) plus O(n log n) sorting, and allocates; it
// runs once at start-up. Afterwards a Zone is read-only: Zone::find() is one
// hash lookup, nothing allocates, and any number of threads may read one Zone
// at once. Lifetime: the Node and RRset pointers a Zone hands out live as long
// as the Zone (moving a Zone keeps them valid: the data sit behind a pointer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "name.hpp"
#include "net/dns.lp.hpp"

namespace lpdns {

struct Node;

// An in-zone node that an NS, MX or SRV record names: its A and AAAA RRsets go
// to the additional section.
struct Glue {
  const Node* node = nullptr;
  // Which record of the RRset names it: the reply points the glue's owner at
  // that record's target, as Knot's compression hints do.
  std::uint16_t rdata_index = 0;
  // Glue that a referral cannot do without (RFC 1034 §4.3.2 step 3b): an NS
  // target at or below the delegation. Missing it truncates a referral.
  bool mandatory = false;
};

// All records of one owner and type. Names inside rdata are lowercase and
// uncompressed; answer() compresses them while writing.
struct RRset {
  net::DnsType type{};
  std::uint32_t ttl = 0;
  std::vector<std::vector<std::byte>> rdata;  // canonical order, no duplicates
  std::vector<Glue> additional;               // NS, MX, SRV only; mandatory first
};

// One owner name: its RRsets, or none for an empty non-terminal.
struct Node {
  WireName name;                   // lowercase wire form
  std::vector<RRset> rrsets;       // ordered by type
  const Node* parent = nullptr;    // nullptr at the apex
  const Node* wildcard = nullptr;  // the child "*" when there is one
  bool delegation = false;         // NS below the apex: a zone cut
  bool below_delegation = false;   // strictly below a zone cut: glue, occluded data

  const RRset* find(net::DnsType type) const noexcept {
    for (const RRset& rrset : rrsets) {
      if (rrset.type == type) return &rrset;
    }
    return nullptr;
  }
};

// Where a zone file went wrong. `line` is 0 for an error about the file as a
// whole (it cannot be read, the origin given is not a name).
struct ZoneError {
  std::string file;
  std::size_t line = 0;
  std::string message;

  // "zone.db:12: bad IPv4 address '10.0.0'", or "zone.db: ..." without a line.
  std::string to_string() const;
};

class Zone {
 public:
  // The zone's apex as given to load_zone(), lowercase wire form.
  const WireName& origin() const noexcept;
  const Node& apex() const noexcept;
  // The SOA RRset at the apex (load_zone() refuses a zone without one).
  const RRset& soa() const noexcept;
  // The node of this exact name (lowercase wire form), or nullptr. Empty
  // non-terminals are nodes.
  const Node* find(std::string_view lowercase_wire_name) const noexcept;
  std::size_t node_count() const noexcept;
  // Every node, in no set order. Allocates the vector: for tools and tests.
  std::vector<const Node*> nodes() const;
  std::size_t record_count() const noexcept;

  struct Data;  // defined in zone.cpp
  explicit Zone(std::unique_ptr<const Data> data) noexcept;
  Zone(Zone&&) noexcept;
  Zone& operator=(Zone&&) noexcept;
  ~Zone();

 private:
  std::unique_ptr<const Data> data_;
};

// A Zone or the ZoneError that stopped the load.
class ZoneResult {
 public:
  ZoneResult(Zone zone) noexcept : value_(std::move(zone)) {}         // NOLINT: implicit
  ZoneResult(ZoneError error) noexcept : value_(std::move(error)) {}  // NOLINT: implicit

  bool has_value() const noexcept { return std::holds_alternative<Zone>(value_); }
  explicit operator bool() const noexcept { return has_value(); }
  // Preconditions: has_value() for the zone, !has_value() for the error.
  Zone& operator*() & noexcept { return *std::get_if<Zone>(&value_); }
  const Zone& operator*() const& noexcept { return *std::get_if<Zone>(&value_); }
  Zone* operator->() noexcept { return std::get_if<Zone>(&value_); }
  const Zone* operator->() const noexcept { return std::get_if<Zone>(&value_); }
  const ZoneError& error() const noexcept { return *std::get_if<ZoneError>(&value_); }

 private:
  std::variant<Zone, ZoneError> value_;
};

// Loads the master file at `path` for the zone `origin` ("example.com" or
// "example.com."; relative names in the file are relative to it until a
// $ORIGIN says otherwise).
ZoneResult load_zone(const std::string& path, std::string_view origin);

// The same from text already in memory; `file` is the name errors carry.
ZoneResult load_zone_text(std::string_view text, std::string_view file, std::string_view origin);

}  // namespace lpdns
