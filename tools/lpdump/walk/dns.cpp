// The DNS layer of the walk (frame.hpp): a message's header and its four
// sections as tshark lists them, names decompressed by dns_name.hpp.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "dns_name.hpp"
#include "frame.hpp"
#include "net/dns.lp.hpp"

namespace lpdump::walk {

namespace {

// Where a section's elements start and how many parsed whole: tshark lists a
// question or record only when all of it was captured, so each is parsed
// with its own type, one after the other.
struct Section {
  std::size_t begin = 0;
  std::size_t count = 0;
  bool kept = false;  // its entries were gathered (it declares at most max_entries)
};

// A name or rdata text of one element, in the message's DnsText.
enum class Text : std::uint8_t {
  ready,  // in the DnsText at [begin, begin + size)
  null,   // cannot be decoded
  again,  // decodes, but did not fit: decoded again when written (or TXT data)
};
struct TextRef {
  std::uint32_t begin;
  std::uint32_t size;
  Text state;
};
// One question or record as its lists need it, gathered by walk_section: the
// lists are written from these, not by parsing the section once per list.
struct Entry {
  std::uint32_t offset;  // in the message
  std::uint32_t ttl;
  std::uint16_t type;
  std::uint16_t rclass;
  TextRef name;
  TextRef data;
};
// Elements kept per section; a section that declares more is written by
// walking it again per list.
constexpr std::size_t max_entries = 32;
using Entries = std::array<Entry, max_entries>;

// The keys of a section's lists: name, type, class, then ttl and data.
using Keys = std::array<std::string_view, 5>;
constexpr Keys qd_keys{"qd.name", "qd.type", "qd.class", "", ""};
constexpr Keys an_keys{"an.name", "an.type", "an.class", "an.ttl", "an.data"};
constexpr Keys ns_keys{"ns.name", "ns.type", "ns.class", "ns.ttl", "ns.data"};
constexpr Keys ar_keys{"ar.name", "ar.type", "ar.class", "ar.ttl", "ar.data"};

enum class Rdata : std::uint8_t { text, null, txt };

// The rdata of `r` as tshark prints it, appended to `text`; TXT data is a
// list of strings (written by rdata()), not one text.
template <class Buffer>
Rdata format_rdata(lp::bytes message, const net::DnsRecordView& r, Buffer& text) {
  const auto append_name = [&](const net::DnsNameView& n) {
    return decode_dns_name(message, n, text);
  };
  const auto number = [&](std::uint64_t value) { append_uint(text, value); };
  bool ok = true;
  if (const auto a = r.rdata_a()) {
    append_ipv4(text, a->octets().bytes());
  } else if (const auto aaaa = r.rdata_aaaa()) {
    append_ipv6(text, aaaa->octets().bytes());
  } else if (const auto n = r.rdata_name()) {
    ok = append_name(*n);
  } else if (const auto mx = r.rdata_mx()) {
    number(mx->preference());
    text.push_back(' ');
    ok = append_name(mx->exchange());
  } else if (const auto srv = r.rdata_srv()) {
    number(srv->priority());
    text.push_back(' ');
    number(srv->weight());
    text.push_back(' ');
    number(srv->port());
    text.push_back(' ');
    ok = append_name(srv->target());
  } else if (const auto soa = r.rdata_soa()) {
    ok = append_name(soa->mname());
    text.push_back(' ');
    ok = ok && append_name(soa->rname());
    for (const std::uint32_t v :
         {soa->serial(), soa->refresh(), soa->retry(), soa->expire(), soa->minimum()}) {
      text.push_back(' ');
      number(v);
    }
  } else if (r.rdata_txt()) {
    return Rdata::txt;
  } else {
    ok = false;
  }
  return ok ? Rdata::text : Rdata::null;
}

// The text of `n` into `text` when it has room for any name, else only
// whether it decodes.
TextRef keep_name(lp::bytes message, const net::DnsNameView& n, DnsText& text) {
  TextRef ref{static_cast<std::uint32_t>(text.size()), 0, Text::ready};
  if (text.capacity() - text.size() >= max_name_text) {
    if (decode_dns_name(message, n, text)) {
      ref.size = static_cast<std::uint32_t>(text.size() - ref.begin);
    } else {
      text.resize(ref.begin);
      ref.state = Text::null;
    }
    return ref;
  }
  NameText scratch;
  ref.state = decode_dns_name(message, n, scratch) ? Text::again : Text::null;
  return ref;
}

void keep_fields(lp::bytes, const net::DnsQuestionView& q, Entry& e, DnsText&) {
  e.type = static_cast<std::uint16_t>(q.qtype());
  e.rclass = q.qclass();
}

void keep_fields(lp::bytes message, const net::DnsRecordView& r, Entry& e, DnsText& text) {
  e.type = static_cast<std::uint16_t>(r.type());
  e.rclass = r.rclass();
  e.ttl = r.ttl();
  e.data = TextRef{static_cast<std::uint32_t>(text.size()), 0, Text::again};
  // Two names and five numbers at most.
  if (text.capacity() - text.size() < 2 * max_name_text + 64) return;
  switch (format_rdata(message, r, text)) {
    case Rdata::text:
      e.data.state = Text::ready;
      e.data.size = static_cast<std::uint32_t>(text.size() - e.data.begin);
      break;
    case Rdata::null:
      e.data.state = Text::null;
      text.resize(e.data.begin);
      break;
    case Rdata::txt:
      text.resize(e.data.begin);
      break;
  }
}

// Walks `count` elements from `offset`; with `entries`, keeps what the lists
// need of the first max_entries (names and rdata decoded into `text`).
template <class Type>
std::size_t walk_section(lp::bytes message, std::size_t& offset, std::size_t count,
                         Entries* entries, DnsText& text) {
  std::size_t parsed = 0;
  for (; parsed < count && offset < message.size(); ++parsed) {
    const auto element = Type::parse(message.drop_first(offset));
    if (!element) {
      offset = message.size();  // the sections after a broken one are not read
      break;
    }
    Entry* entry = entries != nullptr && parsed < max_entries ? &(*entries)[parsed] : nullptr;
    TextRef name{0, 0, Text::again};
    if (entry != nullptr) {
      name = keep_name(message, element->name(), text);
      entry->offset = static_cast<std::uint32_t>(offset);
      entry->name = name;
      keep_fields(message, *element, *entry, text);
    } else {
      NameText scratch;
      if (!decode_dns_name(message, element->name(), scratch)) name.state = Text::null;
    }
    offset += element->size();
    // tshark stops the message at a name it cannot decode (that element is
    // still listed, its name null).
    if (name.state == Text::null) {
      offset = message.size();
      return parsed + 1;
    }
  }
  return parsed;
}

template <class Type, class Fn>
void each(lp::bytes message, const Section& section, Fn&& fn) {
  std::size_t offset = section.begin;
  for (std::size_t i = 0; i < section.count; ++i) {
    const auto element = Type::parse(message.drop_first(offset));
    fn(*element);
    offset += element->size();
  }
}

template <class W>
void name(Frame<W>& f, lp::bytes message, const net::DnsNameView& n) {
  NameText text;
  if (decode_dns_name(message, n, text)) {
    f.out.item_str(std::string_view(text.data(), text.size()));
  } else {
    f.out.item_null();
  }
}

template <class W>
void rdata(Frame<W>& f, lp::bytes message, const net::DnsRecordView& r) {
  fmt::memory_buffer text;  // 500 bytes inline: no heap for any usual rdata
  switch (format_rdata(message, r, text)) {
    case Rdata::text:
      f.out.item_str(std::string_view(text.data(), text.size()));
      break;
    case Rdata::null:
      f.out.item_null();
      break;
    case Rdata::txt:
      f.out.begin_item_list();
      for (const net::DnsCharacterStringView s : r.rdata_txt()->strings()) {
        f.out.item_str(s.text());
      }
      f.out.end_list();
      break;
  }
}

template <class Type, class W>
void lists(Frame<W>& f, const Keys& keys, lp::bytes message, const Section& section,
           const Entries& entries, const DnsText& text) {
  if (section.count == 0) return;
  constexpr bool is_record = std::is_same_v<Type, net::DnsRecord>;
  if (!section.kept) {
    if constexpr (is_record) {
      records_again(f, keys, message, section);
    } else {
      questions_again(f, message, section);
    }
    return;
  }
  const auto kept = [&](const TextRef& ref) {
    return std::string_view(text.data() + ref.begin, ref.size);
  };
  const auto element = [&](const Entry& e) { return *Type::parse(message.drop_first(e.offset)); };
  // A kept text, null, or (state again) what `decode` writes now.
  const auto item_text = [&](const TextRef& ref, const auto& decode) {
    if (ref.state == Text::ready) {
      f.out.item_str(kept(ref));
    } else if (ref.state == Text::null) {
      f.out.item_null();
    } else {
      decode();
    }
  };
  const std::size_t n = section.count;
  f.out.begin_list(keys[0]);
  for (std::size_t i = 0; i < n; ++i) {
    item_text(entries[i].name, [&] { name(f, message, element(entries[i]).name()); });
  }
  f.out.end_list();
  f.out.begin_list(keys[1]);
  for (std::size_t i = 0; i < n; ++i) f.out.item(entries[i].type);
  f.out.end_list();
  f.out.begin_list(keys[2]);
  for (std::size_t i = 0; i < n; ++i) f.out.item(entries[i].rclass);
  f.out.end_list();
  if constexpr (is_record) {
    f.out.begin_list(keys[3]);
    for (std::size_t i = 0; i < n; ++i) f.out.item(entries[i].ttl);
    f.out.end_list();
    f.out.begin_list(keys[4]);
    for (std::size_t i = 0; i < n; ++i) {
      item_text(entries[i].data, [&] { rdata(f, message, element(entries[i])); });
    }
    f.out.end_list();
  }
}

// A section of more than max_entries elements, one walk per list.
template <class W>
void questions_again(Frame<W>& f, lp::bytes message, const Section& section) {
  using Q = net::DnsQuestionView;
  f.out.begin_list(qd_keys[0]);
  each<net::DnsQuestion>(message, section, [&](const Q& q) { name(f, message, q.name()); });
  f.out.end_list();
  f.out.begin_list(qd_keys[1]);
  each<net::DnsQuestion>(message, section,
                         [&](const Q& q) { f.out.item(static_cast<std::uint16_t>(q.qtype())); });
  f.out.end_list();
  f.out.begin_list(qd_keys[2]);
  each<net::DnsQuestion>(message, section, [&](const Q& q) { f.out.item(q.qclass()); });
  f.out.end_list();
}

template <class W>
void records_again(Frame<W>& f, const Keys& keys, lp::bytes message, const Section& section) {
  using R = net::DnsRecordView;
  const auto list = [&](std::string_view key, auto&& fn) {
    f.out.begin_list(key);
    each<net::DnsRecord>(message, section, fn);
    f.out.end_list();
  };
  list(keys[0], [&](const R& r) { name(f, message, r.name()); });
  list(keys[1], [&](const R& r) { f.out.item(static_cast<std::uint16_t>(r.type())); });
  list(keys[2], [&](const R& r) { f.out.item(r.rclass()); });
  list(keys[3], [&](const R& r) { f.out.item(r.ttl()); });
  list(keys[4], [&](const R& r) { rdata(f, message, r); });
}

template <class W>
void sections(Frame<W>& f, lp::bytes message, const net::DnsView& d) {
  std::size_t offset = net::DnsView::min_size;  // the header
  std::array<Section, 4> sections{};
  std::array<Entries, 4> entries;  // only the first sections[i].count are set
  DnsText text;
  const std::array<std::size_t, 4> counts{d.qdcount(), d.ancount(), d.nscount(), d.arcount()};
  for (std::size_t i = 0; i < sections.size(); ++i) {
    sections[i].begin = offset;
    sections[i].kept = counts[i] <= max_entries;
    Entries* kept = sections[i].kept ? &entries[i] : nullptr;
    sections[i].count = i == 0
                            ? walk_section<net::DnsQuestion>(message, offset, counts[i], kept, text)
                            : walk_section<net::DnsRecord>(message, offset, counts[i], kept, text);
  }
  lists<net::DnsQuestion>(f, qd_keys, message, sections[0], entries[0], text);
  lists<net::DnsRecord>(f, an_keys, message, sections[1], entries[1], text);
  lists<net::DnsRecord>(f, ns_keys, message, sections[2], entries[2], text);
  lists<net::DnsRecord>(f, ar_keys, message, sections[3], entries[3], text);
}

}  // namespace

template <class W>
void dns(Frame<W>& f, lp::bytes message) {
  using F = net::DnsView::Field;
  const auto p = net::DnsView::parse_partial(message);
  const net::DnsView& d = p.view();
  f.out.layer(Layer::dns);
  if (p.has(F::id)) f.out.u("id", d.id());
  if (!p.has(F::rcode)) return f.stopped(p);
  f.out.flags("flags",
              pack_bits({{d.qr(), 1},
                         {static_cast<std::uint64_t>(d.opcode()), 4},
                         {d.aa(), 1},
                         {d.tc(), 1},
                         {d.rd(), 1},
                         {d.ra(), 1},
                         {d.z(), 1},
                         {d.ad(), 1},
                         {d.cd(), 1},
                         {static_cast<std::uint64_t>(d.rcode()), 4}}),
              FlagWord::dns);
  if (p.has(F::qdcount)) f.out.u("count.queries", d.qdcount());
  if (p.has(F::ancount)) f.out.u("count.answers", d.ancount());
  if (p.has(F::nscount)) f.out.u("count.auth_rr", d.nscount());
  if (!p.has(F::arcount)) return f.stopped(p);
  f.out.u("count.add_rr", d.arcount());
  f.stopped(p);
  // The sections only give lists: a writer without values has all it needs.
  if constexpr (W::wants_values) sections(f, message, d);
}

// DNS over TCP: the length prefix, then a message of at most that many bytes.
template <class W>
void dns_tcp(Frame<W>& f, lp::bytes payload) {
  const auto p = net::DnsTcpView::parse_partial(payload);
  if (!p.has(net::DnsTcpView::Field::length)) return;
  const lp::bytes message = payload.drop_first(net::DnsTcpView::min_size).first(p.view().length());
  // tshark reads the id and flags before it adds the layer (as over UDP).
  constexpr std::size_t dns_layer_min = 4;
  if (message.size() >= dns_layer_min) dns(f, message);
}

#define LPDUMP_INSTANTIATE(W)              \
  template void dns(Frame<W>&, lp::bytes); \
  template void dns_tcp(Frame<W>&, lp::bytes);
LPDUMP_FOR_EACH_WRITER(LPDUMP_INSTANTIATE)
#undef LPDUMP_INSTANTIATE

}  // namespace lpdump::walk
