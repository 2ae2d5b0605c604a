// answer(): the query read through the generated DNS views, the reply written
// with lp::Writer (answer.hpp says what it does; docs/lpdns-engine.md why).
//
// Why not the generated serializers: net::Dns::serialize() takes a DnsValue
// whose sections and names are std::vectors, so every reply would allocate,
// and it does not compress names. The reply is instead written record by
// record with lp::Writer straight into the caller's buffer: one Writer per
// RRset over the room left, so an RRset that does not fit is dropped whole
// (Knot's granularity) by simply not committing that Writer's bytes.
#include "answer.hpp"

#include "message.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <libparse/endian.hpp>
#include <libparse/writer.hpp>

namespace lpdns {
namespace {

constexpr std::size_t header_size = 12;
constexpr std::uint16_t class_in = 1;
constexpr std::uint16_t class_ch = 3;
constexpr std::uint16_t class_any = 255;

// Response codes; values above 15 continue in the OPT record (RFC 6891 §6.1.3).
enum class Rcode : std::uint16_t {
  noerror = 0,
  formerr = 1,
  nxdomain = 3,
  notimp = 4,
  refused = 5,
  notauth = 9,
  badvers = 16,
};

constexpr std::uint16_t type_rrsig = 46;
constexpr std::uint16_t type_nsec = 47;
constexpr std::uint16_t type_tsig = 250;
constexpr std::uint16_t type_ixfr = 251;
constexpr std::uint16_t type_axfr = 252;

constexpr std::uint16_t edns_nsid = 3;  // RFC 5001
constexpr std::uint16_t edns_ede = 15;  // RFC 8914
constexpr std::uint16_t ede_not_authoritative = 20;
constexpr std::size_t opt_fixed_size = 11;  // root owner + type + class + ttl + rdlength

// Knot's CNAME_CHAIN_MAX: links followed before the answer stops where it is.
constexpr std::size_t cname_chain_max = 5;
// Offsets a compression pointer can reach; Knot records positions below this.
constexpr std::size_t pointer_max = 0x3fff;
// Knot keeps a compression hint for the first 15 records of an RRset
// (KNOT_COMPR_HINT_COUNT 16, one for the owner).
constexpr std::size_t rdata_hints = 15;
// RRsets one reply keeps track of (duplicates, glue hints); more are not written.
constexpr std::size_t max_rrsets = 128;

std::uint16_t raw_type(net::DnsType type) noexcept { return static_cast<std::uint16_t>(type); }

const unsigned char* uchars(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}

// What answer() needs from the query, read through the generated views.
struct Query {
  std::uint16_t id = 0;
  std::uint8_t opcode = 0;
  bool rd = false;
  std::uint16_t qdcount = 0;
  lp::bytes question;  // the question as sent; empty without one
  std::uint16_t qtype = 0;
  std::uint16_t qclass = 0;
  std::array<unsigned char, max_name_size> qname_buffer;  // lowercase; only qname is read
  std::string_view qname;
  std::size_t qname_labels = 0;
  bool edns = false;
  std::uint16_t edns_payload = 0;
  std::uint8_t edns_version = 0;
  bool edns_do = false;
  bool nsid_requested = false;
};

// The question section's name: labels only (Knot reads no compression there)
// and at most 255 bytes. Copies it lowercase into `q`.
bool read_question(const net::DnsQuestionView& question, Query& q) noexcept {
  const lp::bytes name = question.name().bytes();
  if (name.size() > max_name_size) return false;
  // The view validated the labels: their lengths can be walked directly.
  std::size_t labels = 0;
  for (std::size_t i = 0; name.u8(i) != 0; i += name.u8(i) + 1u) {
    if ((name.u8(i) & 0xc0u) != 0) return false;  // a compression pointer
    ++labels;
  }
  for (std::size_t i = 0; i < name.size(); ++i) q.qname_buffer[i] = ascii_lower(name.u8(i));
  q.qname = std::string_view(reinterpret_cast<const char*>(q.qname_buffer.data()), name.size());
  q.qname_labels = labels;
  q.question = question.bytes();
  q.qtype = raw_type(question.qtype());
  q.qclass = question.qclass();
  return true;
}

// The types Knot 3.2 has an rdata format for (libknot/descriptor.c, the
// obsolete ones included), in order.
constexpr std::uint16_t knot_known_types[] = {
    1,  2,  3,   4,   5,   6,   7,   8,   9,   10,  12,  13,  14,  15,  16, 17,
    18, 21, 24,  25,  26,  28,  29,  30,  33,  35,  36,  37,  39,  41,  42, 43,
    44, 45, 46,  47,  48,  49,  50,  51,  52,  53,  59,  60,  61,  62,  63, 64,
    65, 99, 104, 105, 106, 107, 108, 109, 249, 250, 251, 252, 255, 256, 257};
constexpr std::uint16_t type_apl = 42;

// A record of the query as Knot reads it: its names expand, and its rdata is
// not empty when its type has a format, its class is IN and it is not APL
// (Knot's allow_zero_rdata(); RFC 1035 gives TXT, for one, at least one string).
bool record_is_valid(const net::DnsRecordView& record, lp::bytes message) noexcept {
  const std::uint16_t type = raw_type(record.type());
  if (record.rdlength() == 0 && record.rclass() == class_in && type != type_apl &&
      std::binary_search(std::begin(knot_known_types), std::end(knot_known_types), type)) {
    return false;
  }
  return record_names_are_valid(record, message);
}

// The sections of a parsed query, as Knot checks them: records valid, OPT
// only in the additional section and at most once, no TSIG (lpdns has no keys).
// Fills the EDNS fields of `q`.
bool read_records(const net::DnsView& message, Query& q) noexcept {
  const lp::bytes wire = message.bytes();
  for (const auto& section : {message.answers(), message.authority()}) {
    for (const net::DnsRecordView record : section) {
      if (record.type() == net::DnsType::OPT || raw_type(record.type()) == type_tsig) return false;
      if (!record_is_valid(record, wire)) return false;
    }
  }
  for (const net::DnsRecordView record : message.additional()) {
    if (raw_type(record.type()) == type_tsig) return false;
    if (!record_is_valid(record, wire)) return false;
    if (record.type() != net::DnsType::OPT) continue;
    if (q.edns) return false;  // RFC 6891 §6.1.1: at most one OPT
    q.edns = true;
    q.edns_payload = record.rclass();
    q.edns_version = static_cast<std::uint8_t>(record.ttl() >> 16);
    q.edns_do = (record.ttl() & 0x8000u) != 0;
    if (const auto opt = record.rdata_opt()) {
      for (const net::EdnsOptionView option : opt->options()) {
        if (option.code() == edns_nsid) q.nsid_requested = true;
      }
    }
  }
  return true;
}

// Whether Knot, failing to parse a query without a question, read anything
// past its header: then it answers FORMERR, else nothing (its knot_pkt_parse()
// moves on after a record's header -- owner, type, class, TTL, rdlength with
// that many bytes present -- even when the rdata then fails, and refuses a
// message announcing more records than 11-byte ones could fill).
bool knot_read_past_header(lp::bytes query) noexcept {
  const std::size_t records = std::size_t{lp::load_be<std::uint16_t>(query.data() + 6)} +
                              lp::load_be<std::uint16_t>(query.data() + 8) +
                              lp::load_be<std::uint16_t>(query.data() + 10);
  if (records == 0 || records > query.size() / 11) return false;
  const lp::bytes rest = query.drop_first(header_size);
  const auto first = net::DnsRecordView::parse_partial(rest);
  if (!first.has(net::DnsRecordView::Field::rdlength)) return false;
  const std::size_t header = first->name().bytes().size() + 10;
  return name_is_valid(first->name(), query) && first->rdlength() <= rest.size() - header;
}

enum class Section : std::uint8_t { answer, authority, additional };
enum class Put : std::uint8_t { done, duplicate, no_room };

// The reply under construction: its bytes in `out`, the RRsets written so
// far, and Knot's compression state.
class Reply {
 public:
  Reply(std::span<std::byte> out, std::size_t limit) noexcept : out_(out), limit_(limit) {}

  std::size_t size() const noexcept { return size_; }
  std::size_t rrset_count() const noexcept { return rrset_count_; }
  std::uint16_t count(Section s) const noexcept { return counts_[static_cast<std::size_t>(s)]; }

  // Room for `bytes` more at the end, reserved out of every later write (the OPT).
  bool reserve(std::size_t bytes) noexcept {
    if (limit_ < size_ + bytes) return false;
    limit_ -= bytes;
    return true;
  }
  void release(std::size_t bytes) noexcept { limit_ += bytes; }

  // The header's 12 bytes, counts filled in by finish(); then the question as sent.
  bool start(lp::bytes question, std::size_t qname_labels) noexcept {
    if (limit_ < header_size + question.size()) return false;
    size_ = header_size;
    if (!question.empty()) {
      std::copy(question.begin(), question.end(),
                out_.begin() + static_cast<std::ptrdiff_t>(size_));
      size_ += question.size();
      // Knot starts compressing against the question's name.
      question_suffix_ = Suffix{header_size, qname_labels};
      suffix_ = question_suffix_;
      has_question_ = true;
    }
    return true;
  }

  // Writes every record of `rrset` into `section`, or nothing when they do not
  // all fit. `owner` is the owner's name (lowercase, uncompressed); a non-zero
  // `owner_hint` is a message offset holding it already (Knot's compression
  // hint), to point at instead. `check_duplicate` skips an RRset already in the
  // reply (Knot's KNOT_PF_CHECKDUP).
  Put put_rrset(const RRset& rrset, std::string_view owner, std::size_t owner_hint,
                std::uint32_t ttl, Section section, bool check_duplicate) noexcept {
    if (check_duplicate) {
      for (std::size_t i = 0; i < rrset_count_; ++i) {
        if (written_[i].rrset == &rrset) return Put::duplicate;
      }
    }
    if (rrset_count_ == max_rrsets) return Put::no_room;
    Written& info = written_[rrset_count_];
    info = Written{&rrset, {}};
    const Suffix saved = suffix_;
    const std::size_t base = size_;
    lp::Writer w(lp::mut_bytes(out_.data() + base, limit_ - base));
    const auto* owner_wire = reinterpret_cast<const unsigned char*>(owner.data());
    for (std::size_t i = 0; i < rrset.rdata.size(); ++i) {
      bool ok = put_owner(w, base, owner_wire, owner_hint);
      ok = ok && put_u16(w, raw_type(rrset.type)) && put_u16(w, class_in) && put_u32(w, ttl);
      const std::size_t rdlength_at = w.bit_position();
      ok = ok && put_u16(w, 0);
      const std::size_t rdata_start = w.size();
      ok = ok && put_rdata(w, base, rrset.type, rrset.rdata[i],
                           i < rdata_hints ? &info.rdata_hint[i] : nullptr);
      if (!ok) {
        suffix_ = saved;
        return Put::no_room;
      }
      w.patch_uint(rdlength_at, w.size() - rdata_start, 16, lp::byte_order::big, false);
    }
    size_ += w.size();
    counts_[static_cast<std::size_t>(section)] =
        static_cast<std::uint16_t>(counts_[static_cast<std::size_t>(section)] + rrset.rdata.size());
    ++rrset_count_;
    return Put::done;
  }

  const RRset& rrset_at(std::size_t i) const noexcept { return *written_[i].rrset; }
  // Where record `index` of the i-th RRset written keeps its target name, or 0.
  std::size_t rdata_hint(std::size_t i, std::size_t index) const noexcept {
    return index < rdata_hints ? written_[i].rdata_hint[index] : 0;
  }

  std::size_t room() const noexcept { return limit_ - size_; }

  // Appends raw bytes (the OPT record) within the limit.
  bool append(lp::bytes b) noexcept {
    if (room() < b.size()) return false;
    std::copy(b.begin(), b.end(), out_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += b.size();
    return true;
  }
  void add_count(Section s, std::uint16_t n) noexcept {
    counts_[static_cast<std::size_t>(s)] = static_cast<std::uint16_t>(count(s) + n);
  }

  // A CHAOS TXT answer (TTL 0) owned by the question's name; nothing when it
  // does not fit.
  void put_chaos_txt(std::string_view text) noexcept {
    lp::Writer w(lp::mut_bytes(out_.data() + size_, room()));
    const bool ok = put_pointer(w, header_size) && put_u16(w, raw_type(net::DnsType::TXT)) &&
                    put_u16(w, class_ch) && put_u32(w, 0) && put_u16(w, text.size() + 1) &&
                    w.put_uint(text.size(), 8, lp::byte_order::big, false, "length") &&
                    w.put_bytes(lp::bytes(text), "text");
    if (!ok) return;
    size_ += w.size();
    add_count(Section::answer, 1);
  }

  // Writes the header over the first 12 bytes.
  void finish(const Query& q, bool aa, bool tc, Rcode rcode) noexcept {
    lp::Writer w(lp::mut_bytes(out_.data(), header_size));
    const auto flags = static_cast<std::uint16_t>(
        0x8000u | (static_cast<unsigned>(q.opcode) << 11) | (aa ? 0x0400u : 0u) |
        (tc ? 0x0200u : 0u) | (q.rd ? 0x0100u : 0u) | (static_cast<unsigned>(rcode) & 0xfu));
    (void)(put_u16(w, q.id) && put_u16(w, flags) && put_u16(w, has_question_ ? 1 : 0) &&
           put_u16(w, count(Section::answer)) && put_u16(w, count(Section::authority)) &&
           put_u16(w, count(Section::additional)));
  }

 private:
  struct Suffix {
    std::size_t pos = 0;
    std::size_t labels = 0;
  };
  // Trivially constructible: the array of them is not cleared per query, each
  // entry is set when its RRset is written.
  struct Written {
    const RRset* rrset;
    std::array<std::uint16_t, rdata_hints> rdata_hint;
  };

  static bool put_u16(lp::Writer& w, std::uint64_t v) noexcept {
    return w.put_uint(v, 16, lp::byte_order::big, false, "u16");
  }
  static bool put_u32(lp::Writer& w, std::uint64_t v) noexcept {
    return w.put_uint(v, 32, lp::byte_order::big, false, "u32");
  }
  static bool put_pointer(lp::Writer& w, std::size_t offset) noexcept {
    return put_u16(w, 0xc000u | offset);
  }
  static bool put_raw(lp::Writer& w, const unsigned char* p, std::size_t n) noexcept {
    return w.put_bytes(lp::bytes(reinterpret_cast<const std::byte*>(p), n), "bytes");
  }

  // A label at `pos` of the reply, compression pointers followed.
  std::size_t seek_label(std::size_t pos) const noexcept {
    while ((std::to_integer<unsigned>(out_[pos]) & 0xc0u) == 0xc0u) {
      pos = ((std::to_integer<std::size_t>(out_[pos]) & 0x3fu) << 8) |
            std::to_integer<std::size_t>(out_[pos + 1]);
    }
    return pos;
  }
  std::size_t next_label(std::size_t pos) const noexcept {
    return seek_label(pos + 1 + std::to_integer<std::size_t>(out_[pos]));
  }
  bool label_equal(const unsigned char* label, std::size_t pos) const noexcept {
    const auto* other = uchars(out_.data() + pos);
    if (label[0] != other[0]) return false;
    for (std::size_t i = 1; i <= label[0]; ++i) {
      if (ascii_lower(label[i]) != ascii_lower(other[i])) return false;
    }
    return true;
  }

  // Knot 3.2's write_owner() (libknot/packet/rrset-wire.c): a pointer to the
  // RRset's hint, else to the remembered suffix when the owner is that very
  // name, else the owner compressed against the question's name. `hint`
  // becomes where the owner is (a bare pointer's target), for the RRset's
  // next records.
  bool put_owner(lp::Writer& w, std::size_t base, const unsigned char* owner,
                 std::size_t& hint) noexcept {
    if (hint != 0) return put_pointer(w, hint);
    const std::size_t size = wire_name_size(owner);
    if (has_question_ && owner[0] != 0 && names_equal(owner, suffix_.pos)) {
      if (!put_pointer(w, suffix_.pos)) return false;
      if (suffix_.pos + size < pointer_max) hint = suffix_.pos;
      return true;
    }
    suffix_ = question_suffix_;
    const std::size_t at = base + w.size();
    if (!put_name(w, base, owner)) return false;
    if (base + w.size() < pointer_max) hint = seek_label(at);
    return true;
  }

  // Knot's dname_equal_wire(): `name` (lowercase) against the reply's name at `pos`.
  bool names_equal(const unsigned char* name, std::size_t pos) const noexcept {
    pos = seek_label(pos);
    while (name[0] != 0 || std::to_integer<unsigned>(out_[pos]) != 0) {
      if (!label_equal(name, pos)) return false;
      name += name[0] + 1u;
      pos = next_label(pos);
    }
    return true;
  }

  // Knot 3.2's compr_put_dname(): the name is compared, label-aligned from
  // the right, with one remembered suffix (the question's name, then the last
  // name written with a label of its own); the longest common tail becomes a
  // pointer. Not the tightest compression, but Knot's: reply sizes, and so TC,
  // come out the same, and a name's case is the question's where Knot's is.
  bool put_name(lp::Writer& w, std::size_t base, const unsigned char* name) noexcept {
    const std::size_t at = base + w.size();
    std::size_t name_labels = 0;
    for (const unsigned char* p = name; *p != 0; p += *p + 1u) ++name_labels;
    const std::size_t all_labels = name_labels;
    if (!has_question_)
      return put_raw(w, name, wire_name_size(name));  // as Knot: no qname, no compression
    std::size_t suffix = suffix_.pos;
    std::size_t suffix_labels = suffix_.labels;
    while (suffix_labels > name_labels) {
      suffix = next_label(suffix);
      --suffix_labels;
    }
    const std::size_t start = w.size();
    while (name_labels > suffix_labels) {
      if (!put_raw(w, name, name[0] + 1u)) return false;
      name += name[0] + 1u;
      --name_labels;
    }
    const unsigned char* match_begin = name;
    std::size_t pointer = suffix;
    while (*name != 0) {
      const unsigned char* next_name = name + name[0] + 1;
      const std::size_t next_suffix = next_label(suffix);
      if (!label_equal(name, suffix)) {
        if (!put_raw(w, match_begin, static_cast<std::size_t>(next_name - match_begin))) {
          return false;
        }
        match_begin = next_name;
        pointer = next_suffix;
      }
      name = next_name;
      suffix = next_suffix;
    }
    if (match_begin == name) {
      if (!put_raw(w, name, 1)) return false;
    } else if (!put_pointer(w, pointer)) {
      return false;
    }
    const std::size_t written = w.size() - start;
    if (written > 2 && at + written < pointer_max) suffix_ = Suffix{at, all_labels};
    return true;
  }

  // A name inside rdata: compressed (NS, CNAME, PTR, MX, SOA: RFC 3597 §4) or
  // as it is (SRV: RFC 2782). Its position becomes the record's hint when the
  // record has none yet.
  bool put_rdata_name(lp::Writer& w, std::size_t base, const unsigned char* name, bool compress,
                      std::uint16_t* hint) noexcept {
    const std::size_t at = base + w.size();
    const std::size_t before = w.size();
    const bool ok = compress ? put_name(w, base, name) : put_raw(w, name, wire_name_size(name));
    if (ok && hint != nullptr && *hint == 0 && at + (w.size() - before) < pointer_max) {
      *hint = static_cast<std::uint16_t>(seek_label(at));
    }
    return ok;
  }

  bool put_rdata(lp::Writer& w, std::size_t base, net::DnsType type,
                 const std::vector<std::byte>& rdata, std::uint16_t* hint) noexcept {
    const unsigned char* p = uchars(rdata.data());
    switch (type) {
      case net::DnsType::NS:
      case net::DnsType::CNAME:
      case net::DnsType::PTR:
        return put_rdata_name(w, base, p, true, hint);
      case net::DnsType::MX:
        return put_raw(w, p, 2) && put_rdata_name(w, base, p + 2, true, hint);
      case net::DnsType::SRV:
        return put_raw(w, p, 6) && put_rdata_name(w, base, p + 6, false, hint);
      case net::DnsType::SOA: {
        const unsigned char* rname = p + wire_name_size(p);
        const unsigned char* numbers = rname + wire_name_size(rname);
        return put_rdata_name(w, base, p, true, hint) &&
               put_rdata_name(w, base, rname, true, hint) && put_raw(w, numbers, 20);
      }
      default:
        return put_raw(w, p, rdata.size());
    }
  }

  std::span<std::byte> out_;
  std::size_t limit_;
  std::size_t size_ = 0;
  Suffix suffix_;
  Suffix question_suffix_;
  bool has_question_ = false;
  std::array<std::uint16_t, 3> counts_{};
  std::array<Written, max_rrsets> written_;
  std::size_t rrset_count_ = 0;
};

bool is_wildcard(std::string_view name) noexcept {
  return name.size() >= 2 && name[0] == 1 && name[1] == '*';
}

// Knot's answer states (knot/nameserver/internet.h).
enum class State : std::uint8_t { hit, miss, nodata, delegation, follow, truncated };

// The resolution of one query in the zone: ANSWER, AUTHORITY, ADDITIONAL as
// Knot's internet_process_query() builds them.
class Resolver {
 public:
  Resolver(const Zone& zone, const Query& q, Reply& reply) noexcept
      : zone_(zone), q_(q), reply_(reply), name_(q.qname) {}

  bool aa() const noexcept { return aa_; }
  bool tc() const noexcept { return tc_; }
  Rcode rcode() const noexcept { return rcode_; }

  void run() noexcept {
    State state = solve_name();
    // Authoritative unless a referral, decided before a CNAME chain is chased.
    if (state != State::delegation) aa_ = true;
    while (state == State::follow) state = solve_name();
    state = solve_authority(state);
    if (state != State::truncated) solve_additional(state);
  }

 private:
  bool qtype_is(net::DnsType type) const noexcept { return q_.qtype == raw_type(type); }

  State solve_name() noexcept {
    // A CNAME target outside the zone ends the chain.
    if (!is_at_or_below(name_, zone_.origin())) return State::hit;
    if (const Node* node = zone_.find(name_)) return name_found(*node);
    std::string_view up = name_;
    const Node* encloser = nullptr;
    while (encloser == nullptr) {
      up = parent_name(up);
      encloser = zone_.find(up);  // the apex is always found
    }
    return name_not_found(*encloser);
  }

  State name_found(const Node& node) noexcept {
    // DS at a zone cut is the parent's data; everything else at or below a cut
    // is referred.
    if (node.below_delegation || (node.delegation && !qtype_is(net::DnsType::DS))) {
      cut_ = &node;
      return State::delegation;
    }
    if (node.find(net::DnsType::CNAME) != nullptr && !qtype_is(net::DnsType::CNAME) &&
        q_.qtype != type_rrsig && q_.qtype != type_nsec && !qtype_is(net::DnsType::ANY)) {
      return follow_cname(node);
    }
    // ANY: one RRset, the node's first (RFC 8482 §4.1, as Knot does).
    const RRset* rrset = nullptr;
    if (qtype_is(net::DnsType::ANY)) {
      if (!node.rrsets.empty()) rrset = &node.rrsets.front();
    } else {
      rrset = node.find(static_cast<net::DnsType>(q_.qtype));
    }
    if (rrset == nullptr) return State::nodata;
    // The first answer's owner is the question's name: point at it.
    const std::size_t hint = reply_.rrset_count() == 0 ? header_size : 0;
    if (reply_.put_rrset(*rrset, name_, hint, rrset->ttl, Section::answer, false) == Put::no_room) {
      tc_ = true;
      return State::truncated;
    }
    return State::hit;
  }

  State name_not_found(const Node& encloser) noexcept {
    if (encloser.wildcard != nullptr) return name_found(*encloser.wildcard);
    // The closest authoritative node with data: a cut there means a referral.
    const Node* node = &encloser;
    while (node->rrsets.empty() || node->below_delegation) node = node->parent;
    if (node->delegation) {
      cut_ = node;
      return State::delegation;
    }
    return State::miss;
  }

  State follow_cname(const Node& node) noexcept {
    if (++cname_chain_ > cname_chain_max) return State::hit;
    const RRset& cname = *node.find(net::DnsType::CNAME);
    // A wildcard's CNAME is written for each name it is expanded to, so Knot
    // stops a loop through it by the wildcards visited instead.
    const bool wildcard = is_wildcard(node.name);
    switch (reply_.put_rrset(cname, name_, 0, cname.ttl, Section::answer, !wildcard)) {
      case Put::no_room:
        tc_ = true;
        return State::truncated;
      case Put::duplicate:  // a loop: stop, as if the name led nowhere
        return State::hit;
      case Put::done:
        break;
    }
    if (wildcard) {
      const auto end = visited_wildcards_.begin() + static_cast<std::ptrdiff_t>(visited_count_);
      if (std::find(visited_wildcards_.begin(), end, &node) != end) return State::hit;
      visited_wildcards_[visited_count_++] = &node;
    }
    const auto* target = uchars(cname.rdata.front().data());
    name_ = std::string_view(reinterpret_cast<const char*>(target), wire_name_size(target));
    return State::follow;
  }

  State solve_authority(State state) noexcept {
    switch (state) {
      case State::miss:
        rcode_ = Rcode::nxdomain;
        return put_soa() ? state : State::truncated;
      case State::nodata:
        return put_soa() ? state : State::truncated;
      case State::delegation: {
        const Node* cut = cut_;
        while (!cut->delegation) cut = cut->parent;
        const RRset& ns = *cut->find(net::DnsType::NS);
        if (reply_.put_rrset(ns, cut->name, 0, ns.ttl, Section::authority, false) == Put::no_room) {
          tc_ = true;
          return State::truncated;
        }
        return state;
      }
      default:
        return state;
    }
  }

  // The SOA of a negative answer, its TTL capped by MINIMUM (RFC 2308 §3).
  // Not fitting it leaves the answer without it and without TC, as in Knot.
  bool put_soa() noexcept {
    const RRset& soa = zone_.soa();
    const std::vector<std::byte>& rdata = soa.rdata.front();
    const std::uint32_t minimum = lp::load_be<std::uint32_t>(rdata.data() + rdata.size() - 4);
    return reply_.put_rrset(soa, zone_.origin(), 0, std::min(soa.ttl, minimum), Section::authority,
                            false) != Put::no_room;
  }

  // Knot's solve_additional(): A and AAAA of the in-zone targets of every NS,
  // MX and SRV RRset written so far. Mandatory glue that does not fit truncates
  // a referral; anything else is left out quietly.
  void solve_additional(State state) noexcept {
    const std::size_t written = reply_.rrset_count();
    for (std::size_t i = 0; i < written; ++i) {
      const RRset& rrset = reply_.rrset_at(i);
      if (rrset.additional.empty()) continue;
      Put last = Put::done;
      for (const Glue& glue : rrset.additional) {
        const bool required = state == State::delegation && glue.mandatory;
        const std::size_t hint = reply_.rdata_hint(i, glue.rdata_index);
        const std::string_view owner = glue_owner(rrset, glue);
        for (const net::DnsType type : {net::DnsType::A, net::DnsType::AAAA}) {
          const RRset* address = glue.node->find(type);
          if (address == nullptr) continue;
          last = reply_.put_rrset(*address, owner, hint, address->ttl, Section::additional, true);
          if (last == Put::no_room) {
            if (required) tc_ = true;
            break;
          }
        }
      }
      if (last == Put::no_room) break;
    }
  }

  // The glue's owner is the name the record points at (a wildcard's node has
  // "*" for a name).
  static std::string_view glue_owner(const RRset& rrset, const Glue& glue) noexcept {
    const std::vector<std::byte>& rdata = rrset.rdata[glue.rdata_index];
    const std::size_t offset = rrset.type == net::DnsType::MX    ? 2
                               : rrset.type == net::DnsType::SRV ? 6
                                                                 : 0;
    const auto* name = uchars(rdata.data()) + offset;
    return {reinterpret_cast<const char*>(name), wire_name_size(name)};
  }

  const Zone& zone_;
  const Query& q_;
  Reply& reply_;
  std::string_view name_;  // the name being resolved: the qname, then CNAME targets
  const Node* cut_ = nullptr;
  std::size_t cname_chain_ = 0;
  std::array<const Node*, cname_chain_max> visited_wildcards_{};
  std::size_t visited_count_ = 0;
  bool aa_ = false;
  bool tc_ = false;
  Rcode rcode_ = Rcode::noerror;
};

// The OPT record of the reply (RFC 6891 §6.1.2): our UDP payload size, the
// extended RCODE, version 0, DO copied; NSID when asked for; EDE 20 ("not
// authoritative", RFC 8914) with a REFUSED for a name outside the zone, as
// Knot sends it, when there is room.
std::size_t opt_size(const Query& q, const AnswerOptions& options) noexcept {
  std::size_t size = opt_fixed_size;
  if (q.nsid_requested && !options.nsid.empty()) size += 4 + options.nsid.size();
  return size;
}

bool put_opt(Reply& reply, const Query& q, const AnswerOptions& options, Rcode rcode,
             bool ede) noexcept {
  const std::size_t nsid_size = q.nsid_requested ? options.nsid.size() : 0;
  const std::size_t ede_size = 6;
  if (ede && reply.room() < opt_size(q, options) + ede_size) ede = false;
  const std::size_t options_size = (nsid_size != 0 ? 4 + nsid_size : 0) + (ede ? ede_size : 0);
  const std::uint32_t ttl =
      (static_cast<std::uint32_t>(rcode) >> 4) << 24 | (q.edns_do ? 0x8000u : 0u);
  std::array<std::byte, opt_fixed_size + 4 + ede_size> fixed{};
  lp::Writer w(lp::mut_bytes(fixed.data(), fixed.size()));
  const auto put = [&w](std::uint64_t value, unsigned bits) {
    return w.put_uint(value, bits, lp::byte_order::big, false, "OPT");
  };
  bool ok = put(0, 8) && put(raw_type(net::DnsType::OPT), 16) && put(options.udp_max_payload, 16) &&
            put(ttl, 32) && put(options_size, 16);
  if (nsid_size != 0) ok = ok && put(edns_nsid, 16) && put(nsid_size, 16);
  if (!ok || !reply.append(lp::bytes(fixed.data(), w.size()))) return false;
  if (nsid_size != 0 && !reply.append(options.nsid)) return false;
  if (ede) {
    lp::Writer e(lp::mut_bytes(fixed.data(), ede_size));
    const bool ede_ok = e.put_uint(edns_ede, 16, lp::byte_order::big, false, "EDE") &&
                        e.put_uint(2, 16, lp::byte_order::big, false, "EDE") &&
                        e.put_uint(ede_not_authoritative, 16, lp::byte_order::big, false, "EDE");
    if (!ede_ok || !reply.append(lp::bytes(fixed.data(), ede_size))) return false;
  }
  reply.add_count(Section::additional, 1);
  return true;
}

// Knot's CHAOS-class identity names (lowercase wire form).
std::string_view chaos_text(const Query& q, const AnswerOptions& options) noexcept {
  using namespace std::string_view_literals;
  if (q.qtype != raw_type(net::DnsType::TXT)) return {};
  if (q.qname == "\2id\6server\0"sv || q.qname == "\10hostname\4bind\0"sv) return options.identity;
  if (q.qname == "\7version\6server\0"sv || q.qname == "\7version\4bind\0"sv)
    return options.version;
  return {};
}

}  // namespace

std::size_t answer(const Zone& zone, lp::bytes query, Transport transport, std::span<std::byte> out,
                   const AnswerOptions& options) noexcept {
  if (query.size() < header_size) return 0;
  if ((query.u8(2) & 0x80u) != 0) return 0;  // QR: a response
  Query q;
  q.id = lp::load_be<std::uint16_t>(query.data());
  q.opcode = static_cast<std::uint8_t>((query.u8(2) >> 3) & 0xfu);
  q.rd = (query.u8(2) & 0x01u) != 0;
  q.qdcount = lp::load_be<std::uint16_t>(query.data() + 4);

  // Without a readable question there is no reply at all, as with Knot. The
  // question comes from the whole message when that parses, else on its own.
  if (q.qdcount > 1) return 0;
  const auto message = net::Dns::parse(query);
  if (q.qdcount == 1) {
    if (message) {
      if (!read_question(*message->questions().begin(), q)) return 0;
    } else {
      const auto question = net::DnsQuestion::parse(query.drop_first(header_size));
      if (!question || !read_question(*question, q)) return 0;
    }
  }
  bool well_formed = message.has_value() && message->size() == query.size();
  if (well_formed) well_formed = read_records(*message, q);
  if (!well_formed && q.qdcount == 0 && !knot_read_past_header(query)) return 0;

  // The reply's size limit (answer.hpp), with room kept for the OPT record.
  const bool edns = well_formed && q.edns;  // a malformed query's OPT is not trusted
  std::size_t limit = 65535;
  if (transport == Transport::udp) {
    limit = 512;
    if (edns) limit = std::max<std::size_t>(512, std::min(q.edns_payload, options.udp_max_payload));
  }
  Reply reply(out, std::min(out.size(), limit));
  if (!reply.start(q.question, q.qname_labels)) return 0;
  std::size_t opt_room = 0;
  if (edns) {
    opt_room = opt_size(q, options);
    if (!reply.reserve(opt_room)) {
      q.nsid_requested = false;  // an identifier too long for this reply is left out
      opt_room = opt_fixed_size;
      if (!reply.reserve(opt_room)) return 0;
    }
  }
  const auto finish = [&](Rcode rcode, bool aa, bool tc, bool ede) -> std::size_t {
    reply.release(opt_room);
    if (edns && !put_opt(reply, q, options, rcode, ede)) return 0;
    reply.finish(q, aa, tc, rcode);
    return reply.size();
  };
  const auto error = [&](Rcode rcode) { return finish(rcode, false, false, false); };

  // The checks in Knot's order (process_query.c): parse, EDNS version, a
  // question, the class, then the kind of query.
  if (!well_formed) return error(Rcode::formerr);
  if (edns && q.edns_version != 0) return error(Rcode::badvers);
  const auto opcode = static_cast<net::DnsOpcode>(q.opcode);
  if (q.qdcount == 0) {
    // The opcodes Knot implements need a question; the others are NOTIMP first.
    const bool known = opcode == net::DnsOpcode::QUERY || opcode == net::DnsOpcode::NOTIFY ||
                       opcode == net::DnsOpcode::UPDATE;
    return error(known ? Rcode::formerr : Rcode::notimp);
  }
  const bool normal_query = opcode == net::DnsOpcode::QUERY && q.qtype != 0 &&
                            q.qtype != type_axfr && q.qtype != type_ixfr;
  if (q.qclass == class_ch) {
    if (!normal_query) return error(Rcode::notimp);
    const std::string_view text = chaos_text(q, options);
    if (text.empty()) return error(Rcode::refused);
    reply.put_chaos_txt(text.substr(0, 255));
    return finish(Rcode::noerror, false, false, false);
  }
  if (q.qclass != class_in && q.qclass != class_any) return error(Rcode::refused);
  // lpdns implements no other opcode (Knot answers NOTIFY and UPDATE itself).
  if (opcode != net::DnsOpcode::QUERY || q.qtype == 0) return error(Rcode::notimp);
  // Zone transfers: what Knot answers when none is allowed.
  if (q.qtype == type_axfr) {
    return error(transport == Transport::udp ? Rcode::notimp : Rcode::notauth);
  }
  if (q.qtype == type_ixfr) return error(Rcode::notauth);
  if (!is_at_or_below(q.qname, zone.origin())) return finish(Rcode::refused, false, false, true);

  Resolver resolver(zone, q, reply);
  resolver.run();
  return finish(resolver.rcode(), resolver.aa(), resolver.tc(), false);
}

}  // namespace lpdns
