// The master-file reader (RFC 1035 §5) and the zone it builds (zone.hpp).
//
// Reading runs once at start-up, so it favours clarity: the lexer cuts the text
// into entries (one record or directive, parentheses joining lines), each entry
// becomes a Record, and the records become nodes. The first error is thrown as a
// ZoneError inside this file and returned by load_zone_text(); nothing throws
// out of it but std::bad_alloc.
#include "zone.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

namespace lpdns {

std::string ZoneError::to_string() const {
  if (line == 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}: {}", file, line, message);
}

namespace {

struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const noexcept {
    return std::hash<std::string_view>{}(name);
  }
};
struct NameEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

}  // namespace

struct Zone::Data {
  WireName origin;
  // Node addresses are stable: unordered_map never moves its elements.
  std::unordered_map<WireName, Node, NameHash, NameEqual> nodes;
  const Node* apex = nullptr;
  const RRset* soa = nullptr;
  std::size_t records = 0;
};

Zone::Zone(std::unique_ptr<const Data> data) noexcept : data_(std::move(data)) {}
Zone::Zone(Zone&&) noexcept = default;
Zone& Zone::operator=(Zone&&) noexcept = default;
Zone::~Zone() = default;

const WireName& Zone::origin() const noexcept { return data_->origin; }
const Node& Zone::apex() const noexcept { return *data_->apex; }
const RRset& Zone::soa() const noexcept { return *data_->soa; }
std::size_t Zone::node_count() const noexcept { return data_->nodes.size(); }
std::size_t Zone::record_count() const noexcept { return data_->records; }

std::vector<const Node*> Zone::nodes() const {
  std::vector<const Node*> out;
  out.reserve(data_->nodes.size());
  for (const auto& [name, node] : data_->nodes) out.push_back(&node);
  return out;
}

const Node* Zone::find(std::string_view lowercase_wire_name) const noexcept {
  const auto it = data_->nodes.find(lowercase_wire_name);
  return it == data_->nodes.end() ? nullptr : &it->second;
}

namespace {

// ---------------------------------------------------------------------------
// Lexer: text -> entries of tokens.

struct Token {
  std::string text;  // as written: escapes are decoded by whoever reads the token
  bool quoted = false;
  std::size_t line = 0;
};

struct Entry {
  std::vector<Token> tokens;
  bool inherits_owner = false;  // the entry's first line starts with a blank
  std::size_t line = 0;         // the line of its first token
};

class Failure {
 public:
  Failure(std::size_t line, std::string message) : line_(line), message_(std::move(message)) {}
  std::size_t line() const noexcept { return line_; }
  const std::string& message() const noexcept { return message_; }

 private:
  std::size_t line_;
  std::string message_;
};

[[noreturn]] void fail(std::size_t line, std::string message) {
  throw Failure(line, std::move(message));
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next record or directive, or nothing at the end of the text.
  std::optional<Entry> next() {
    Entry entry;
    int depth = 0;
    std::size_t open_line = 0;
    bool line_start = true;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (line_start && depth == 0 && entry.tokens.empty()) {
        entry.inherits_owner = c == ' ' || c == '\t';
      }
      line_start = false;
      if (c == '\n') {
        ++line_;
        ++pos_;
        line_start = true;
        if (depth == 0 && !entry.tokens.empty()) return entry;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == ';') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == '(') {
        if (depth == 0) open_line = line_;
        ++depth;
        ++pos_;
      } else if (c == ')') {
        if (depth == 0) fail(line_, "')' without an opening '('");
        --depth;
        ++pos_;
      } else {
        if (entry.tokens.empty()) entry.line = line_;
        entry.tokens.push_back(c == '"' ? quoted() : word());
      }
    }
    if (depth > 0) fail(open_line, "'(' is never closed");
    if (entry.tokens.empty()) return std::nullopt;
    return entry;
  }

 private:
  Token quoted() {
    Token token{{}, true, line_};
    ++pos_;  // the opening quote
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') fail(token.line, "missing closing '\"'");
      const char c = text_[pos_++];
      if (c == '"') return token;
      token.text += c;
      if (c == '\\') {
        if (pos_ >= text_.size() || text_[pos_] == '\n') fail(token.line, "missing closing '\"'");
        token.text += text_[pos_++];
      }
    }
  }

  Token word() {
    Token token{{}, false, line_};
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '(' || c == ')' ||
          c == '"') {
        break;
      }
      token.text += c;
      ++pos_;
      if (c == '\\') {
        if (pos_ >= text_.size() || text_[pos_] == '\n') fail(line_, "'\\' at the end of a line");
        token.text += text_[pos_++];
      }
    }
    return token;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

// ---------------------------------------------------------------------------
// Token values.

// Decodes the \X and \DDD escapes of a token's text (RFC 1035 §5.1).
std::string unescape(const Token& token) {
  std::string out;
  const std::string& s = token.text;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    ++i;  // the lexer guarantees a character after each backslash
    if (std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
      if (i + 2 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isdigit(static_cast<unsigned char>(s[i + 2]))) {
        fail(token.line, fmt::format("bad escape in '{}': \\DDD needs three digits", s));
      }
      const int value = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
      if (value > 255)
        fail(token.line, fmt::format("bad escape in '{}': \\{} is above 255", s, value));
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// A name in text form: absolute when it ends with an unescaped dot, else
// relative to `origin`; "@" is the origin.
WireName parse_name(const Token& token, const WireName& origin) {
  const std::string& s = token.text;
  if (token.quoted) fail(token.line, fmt::format("a name cannot be quoted: \"{}\"", s));
  if (s == "@") return origin;
  if (s == ".") return WireName(1, '\0');
  WireName wire;
  std::string label;
  bool absolute = false;
  const auto end_label = [&] {
    if (label.empty()) fail(token.line, fmt::format("empty label in the name '{}'", s));
    if (label.size() > max_label_size) {
      fail(token.line, fmt::format("label longer than 63 bytes in the name '{}'", s));
    }
    wire += static_cast<char>(label.size());
    wire += label;
    label.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      end_label();
      if (i + 1 == s.size()) absolute = true;
      continue;
    }
    std::size_t end = i + 1;
    if (s[i] == '\\') end = std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0 ? i + 4 : i + 2;
    end = std::min(end, s.size());
    const std::string decoded = unescape(Token{s.substr(i, end - i), false, token.line});
    for (const char c : decoded)
      label += static_cast<char>(ascii_lower(static_cast<unsigned char>(c)));
    i = end - 1;
  }
  if (!absolute) {
    end_label();
    wire += origin;
  } else {
    wire += '\0';
  }
  if (wire.size() > max_name_size) {
    fail(token.line, fmt::format("the name '{}' is longer than 255 bytes in wire form", s));
  }
  return wire;
}

std::uint64_t parse_number(const Token& token, std::uint64_t max, std::string_view what) {
  const std::string& s = token.text;
  if (token.quoted || s.empty() || s.size() > 20 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    fail(token.line, fmt::format("bad {} '{}': not a number", what, s));
  }
  std::uint64_t value = 0;
  for (const char c : s) {
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > max) fail(token.line, fmt::format("bad {} '{}': above {}", what, s, max));
  }
  return value;
}

// A TTL is 32 bits on the wire. RFC 2181 §8 asks receivers to read values
// above 2^31 - 1 as 0; Knot loads and serves them as written, and so does lpdns.
constexpr std::uint64_t max_ttl = 0xffffffff;
// The TTL of a record without one, before any $TTL: Knot's default.
constexpr std::uint32_t default_ttl = 3600;

// A TTL in seconds, or with units as BIND and Knot read them: 1w2d3h4m5s.
std::optional<std::uint32_t> try_ttl(const Token& token) {
  const std::string& s = token.text;
  if (token.quoted || s.empty() || s[0] < '0' || s[0] > '9') return std::nullopt;
  std::uint64_t total = 0;
  std::uint64_t number = 0;
  bool have_digits = false;
  for (const char c : s) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + static_cast<std::uint64_t>(c - '0');
      if (number > max_ttl) return std::nullopt;
      have_digits = true;
      continue;
    }
    std::uint64_t unit = 0;
    switch (ascii_lower(static_cast<unsigned char>(c))) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 604800;
        break;
      default:
        return std::nullopt;
    }
    if (!have_digits) return std::nullopt;
    total += number * unit;
    if (total > max_ttl) return std::nullopt;
    number = 0;
    have_digits = false;
  }
  total += number;
  if (total > max_ttl) return std::nullopt;
  return static_cast<std::uint32_t>(total);
}

std::uint32_t parse_ttl(const Token& token, std::string_view what) {
  const auto ttl = try_ttl(token);
  if (!ttl) {
    fail(token.line,
         fmt::format("bad {} '{}': a number of seconds up to {}, or units such as 1h30m", what,
                     token.text, max_ttl));
  }
  return *ttl;
}

struct TypeName {
  std::string_view name;
  net::DnsType type;
};
constexpr TypeName supported_types[] = {
    {"A", net::DnsType::A},     {"NS", net::DnsType::NS},     {"CNAME", net::DnsType::CNAME},
    {"SOA", net::DnsType::SOA}, {"PTR", net::DnsType::PTR},   {"MX", net::DnsType::MX},
    {"TXT", net::DnsType::TXT}, {"AAAA", net::DnsType::AAAA}, {"SRV", net::DnsType::SRV},
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(static_cast<unsigned char>(x)) ==
                  ascii_lower(static_cast<unsigned char>(y));
         });
}

std::optional<net::DnsType> type_named(std::string_view text) {
  for (const TypeName& t : supported_types) {
    if (equals_ignoring_case(text, t.name)) return t.type;
  }
  return std::nullopt;
}

std::string_view type_text(net::DnsType type) {
  for (const TypeName& t : supported_types) {
    if (t.type == type) return t.name;
  }
  return "?";
}

bool is_class(std::string_view text) {
  static constexpr std::string_view classes[] = {"IN", "CH", "CS", "HS", "CLASS1"};
  return std::any_of(std::begin(classes), std::end(classes),
                     [&](std::string_view c) { return equals_ignoring_case(text, c); });
}

// ---------------------------------------------------------------------------
// Records.

struct Record {
  WireName owner;
  net::DnsType type{};
  std::uint32_t ttl = 0;
  std::vector<std::byte> rdata;
  std::size_t line = 0;
};

class RdataBuilder {
 public:
  void u16(std::uint64_t v) {
    byte(v >> 8);
    byte(v);
  }
  void u32(std::uint64_t v) {
    u16(v >> 16);
    u16(v & 0xffff);
  }
  void name(const WireName& wire) {
    for (const char c : wire) byte(static_cast<unsigned char>(c));
  }
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::byte*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void character_string(const std::string& text) {
    byte(text.size());
    bytes(text.data(), text.size());
  }
  std::vector<std::byte> take() { return std::move(out_); }

 private:
  void byte(std::uint64_t v) { out_.push_back(static_cast<std::byte>(v & 0xff)); }
  std::vector<std::byte> out_;
};

// The rdata of `type` from the entry's tokens [first, end).
std::vector<std::byte> parse_rdata(net::DnsType type, const std::vector<Token>& tokens,
                                   std::size_t first, std::size_t line, const WireName& origin) {
  std::size_t i = first;
  const auto next = [&](std::string_view what) -> const Token& {
    if (i >= tokens.size()) {
      fail(line, fmt::format("{} record without its {}", type_text(type), what));
    }
    return tokens[i++];
  };
  RdataBuilder rdata;
  switch (type) {
    case net::DnsType::A:
    case net::DnsType::AAAA: {
      const Token& t = next("address");
      const bool v4 = type == net::DnsType::A;
      unsigned char address[16];
      if (t.quoted || inet_pton(v4 ? AF_INET : AF_INET6, t.text.c_str(), address) != 1) {
        fail(t.line, fmt::format("bad {} address '{}'", v4 ? "IPv4" : "IPv6", t.text));
      }
      rdata.bytes(address, v4 ? 4 : 16);
      break;
    }
    case net::DnsType::NS:
    case net::DnsType::CNAME:
    case net::DnsType::PTR:
      rdata.name(parse_name(next("target name"), origin));
      break;
    case net::DnsType::MX:
      rdata.u16(parse_number(next("preference"), 0xffff, "MX preference"));
      rdata.name(parse_name(next("exchange name"), origin));
      break;
    case net::DnsType::SRV:
      rdata.u16(parse_number(next("priority"), 0xffff, "SRV priority"));
      rdata.u16(parse_number(next("weight"), 0xffff, "SRV weight"));
      rdata.u16(parse_number(next("port"), 0xffff, "SRV port"));
      rdata.name(parse_name(next("target name"), origin));
      break;
    case net::DnsType::SOA:
      rdata.name(parse_name(next("primary name server (MNAME)"), origin));
      rdata.name(parse_name(next("mailbox (RNAME)"), origin));
      rdata.u32(parse_number(next("serial"), 0xffffffff, "SOA serial"));
      rdata.u32(parse_ttl(next("refresh"), "SOA refresh"));
      rdata.u32(parse_ttl(next("retry"), "SOA retry"));
      rdata.u32(parse_ttl(next("expire"), "SOA expire"));
      rdata.u32(parse_ttl(next("minimum"), "SOA minimum"));
      break;
    case net::DnsType::TXT: {
      next("text");
      --i;
      std::size_t total = 0;
      for (; i < tokens.size(); ++i) {
        const std::string text = unescape(tokens[i]);
        // A string longer than a <character-string> holds (255 bytes) becomes
        // several, as Knot and BIND read it; an empty one stays one empty string.
        std::size_t at = 0;
        do {
          const std::string piece = text.substr(at, 255);
          total += 1 + piece.size();
          if (total > 0xffff) fail(tokens[i].line, "TXT record longer than 65535 bytes");
          rdata.character_string(piece);
          at += 255;
        } while (at < text.size());
      }
      break;
    }
    default:
      fail(line, "unsupported record type");
  }
  if (i < tokens.size()) {
    fail(tokens[i].line, fmt::format("unexpected '{}' after the {} record's data", tokens[i].text,
                                     type_text(type)));
  }
  return rdata.take();
}

// Reads every entry of the file into records, applying the directives.
class Reader {
 public:
  explicit Reader(WireName apex) : origin_(apex) {}

  std::vector<Record> read(std::string_view text) {
    Lexer lexer(text);
    while (auto entry = lexer.next()) {
      const Token& first = entry->tokens[0];
      if (!entry->inherits_owner && !first.quoted && first.text.starts_with('$')) {
        directive(*entry);
      } else {
        record(*entry);
      }
    }
    return std::move(records_);
  }

 private:
  void directive(const Entry& entry) {
    const Token& name = entry.tokens[0];
    if (equals_ignoring_case(name.text, "$ORIGIN") || equals_ignoring_case(name.text, "$TTL")) {
      if (entry.tokens.size() != 2) {
        fail(entry.line, fmt::format("{} takes one argument", name.text));
      }
      if (equals_ignoring_case(name.text, "$ORIGIN")) {
        origin_ = parse_name(entry.tokens[1], origin_);
      } else {
        default_ttl_ = parse_ttl(entry.tokens[1], "$TTL");
      }
    } else if (equals_ignoring_case(name.text, "$INCLUDE")) {
      fail(entry.line, "$INCLUDE is not supported: give lpdns the zone as one file");
    } else {
      fail(entry.line, fmt::format("unknown directive '{}'", name.text));
    }
  }

  void record(const Entry& entry) {
    std::size_t i = 0;
    if (entry.inherits_owner) {
      if (!last_owner_)
        fail(entry.line, "the first record has no owner (its line starts with a blank)");
    } else {
      last_owner_ = parse_name(entry.tokens[i++], origin_);
    }
    std::optional<std::uint32_t> ttl;
    bool have_class = false;
    // [TTL] [class] or [class] [TTL], then the type.
    for (int k = 0; k < 2 && i < entry.tokens.size(); ++k) {
      const Token& t = entry.tokens[i];
      if (!ttl) {
        if (const auto v = try_ttl(t)) {
          ttl = v;
          ++i;
          continue;
        }
      }
      if (!have_class && !t.quoted && is_class(t.text)) {
        if (!equals_ignoring_case(t.text, "IN") && !equals_ignoring_case(t.text, "CLASS1")) {
          fail(t.line, fmt::format("class {}: lpdns serves class IN only", t.text));
        }
        have_class = true;
        ++i;
        continue;
      }
      break;
    }
    if (i >= entry.tokens.size()) fail(entry.line, "record without a type");
    const Token& type_token = entry.tokens[i++];
    const auto type = type_named(type_token.text);
    if (!type || type_token.quoted) {
      if (!type_token.quoted && try_ttl(type_token)) {
        fail(type_token.line, fmt::format("a second TTL '{}' in one record", type_token.text));
      }
      fail(type_token.line,
           fmt::format("unsupported record type '{}' (lpdns reads SOA, NS, A, AAAA, CNAME, MX, "
                       "TXT, SRV, PTR)",
                       type_token.text));
    }
    // Without a TTL: $TTL (RFC 2308), else 3600 as Knot does (not RFC 1035's
    // "the last TTL given", which Knot does not follow either).
    if (!ttl) ttl = default_ttl_.value_or(default_ttl);
    records_.push_back(Record{*last_owner_, *type, *ttl,
                              parse_rdata(*type, entry.tokens, i, entry.line, origin_),
                              entry.line});
  }

  WireName origin_;
  std::optional<WireName> last_owner_;
  std::optional<std::uint32_t> default_ttl_;  // $TTL (RFC 2308)
  std::vector<Record> records_;
};

// ---------------------------------------------------------------------------
// Records -> nodes.

// The offset of the name in `type`'s rdata whose in-zone node is an additional
// candidate (NS, MX, SRV: RFC 1035 §3.3.9, §3.3.11, RFC 2782).
std::optional<std::size_t> target_offset(net::DnsType type) {
  switch (type) {
    case net::DnsType::NS:
      return 0;
    case net::DnsType::MX:
      return 2;
    case net::DnsType::SRV:
      return 6;
    default:
      return std::nullopt;
  }
}

std::string_view rdata_name_at(const std::vector<std::byte>& rdata, std::size_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(rdata.data()) + offset;
  return {reinterpret_cast<const char*>(p), wire_name_size(p)};
}

// RFC 4034 §6.3 canonical rdata order (Knot's knot_rdata_cmp()): bytes
// compared as unsigned, a prefix first. Written out because GCC 12 warns
// (-Wstringop-overread, a false positive) on std::vector's operator<.
bool canonical_less(const std::vector<std::byte>& a, const std::vector<std::byte>& b) noexcept {
  const std::size_t common = std::min(a.size(), b.size());
  if (common != 0) {
    const int order = std::memcmp(a.data(), b.data(), common);
    if (order != 0) return order < 0;
  }
  return a.size() < b.size();
}

class Builder {
 public:
  explicit Builder(WireName apex) : data_(std::make_unique<Zone::Data>()) {
    data_->origin = std::move(apex);
  }

  std::unique_ptr<const Zone::Data> build(std::vector<Record> records) {
    const WireName& apex = data_->origin;
    for (const Record& r : records) {
      if (!is_at_or_below(r.owner, apex)) {
        fail(r.line, fmt::format("the owner {} is outside the zone {}", name_to_text(r.owner),
                                 name_to_text(apex)));
      }
      if (r.type == net::DnsType::SOA && r.owner != apex) {
        fail(r.line, fmt::format("SOA record at {}: the SOA belongs at the origin {}",
                                 name_to_text(r.owner), name_to_text(apex)));
      }
    }
    // Group by owner and type, keeping file order inside a group for the TTL rule.
    std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
      return std::tie(a.owner, a.type) < std::tie(b.owner, b.type);
    });
    for (std::size_t i = 0; i < records.size();) {
      std::size_t end = i;
      while (end < records.size() && records[end].owner == records[i].owner &&
             records[end].type == records[i].type) {
        ++end;
      }
      add_rrset(records, i, end);
      i = end;
    }
    link();
    return std::move(data_);
  }

 private:
  Node& node(const WireName& name) {
    auto [it, inserted] = data_->nodes.try_emplace(name);
    if (inserted) it->second.name = name;
    return it->second;
  }

  void add_rrset(const std::vector<Record>& records, std::size_t first, std::size_t end) {
    const Record& r = records[first];
    RRset rrset;
    rrset.type = r.type;
    // Knot keeps the TTL of the RRset's last record in the file (and logs the mismatch).
    rrset.ttl = records[end - 1].ttl;
    for (std::size_t i = first; i < end; ++i) rrset.rdata.push_back(records[i].rdata);
    std::sort(rrset.rdata.begin(), rrset.rdata.end(), canonical_less);
    rrset.rdata.erase(std::unique(rrset.rdata.begin(), rrset.rdata.end()), rrset.rdata.end());
    if (r.type == net::DnsType::SOA && rrset.rdata.size() > 1) {
      fail(records[first + 1].line, "a second SOA record: a zone has one");
    }
    if (r.type == net::DnsType::CNAME && rrset.rdata.size() > 1) {
      fail(records[first + 1].line,
           fmt::format("a second CNAME at {}: a name has at most one", name_to_text(r.owner)));
    }
    Node& n = node(r.owner);
    n.rrsets.push_back(std::move(rrset));
    // Records sorted by type give RRsets sorted by type.
    first_line_[{r.owner, r.type}] = records[first].line;
  }

  void link() {
    const WireName& apex_name = data_->origin;
    Node* apex = &node(apex_name);
    data_->apex = apex;
    data_->soa = apex->find(net::DnsType::SOA);
    if (data_->soa == nullptr) {
      throw Failure(0, fmt::format("no SOA record at the origin {}", name_to_text(apex_name)));
    }
    if (apex->find(net::DnsType::NS) == nullptr) {
      throw Failure(0, fmt::format("no NS record at the origin {}", name_to_text(apex_name)));
    }
    // CNAME and other data (RFC 1034 §3.6.2, RFC 2181 §10.1).
    for (const auto& [name, n] : data_->nodes) {
      if (n.find(net::DnsType::CNAME) == nullptr || n.rrsets.size() == 1) continue;
      std::size_t line = 0;
      for (const RRset& rrset : n.rrsets) {
        line = std::max(line, first_line_.at({name, rrset.type}));
      }
      fail(line, fmt::format("{} has a CNAME and other records", name_to_text(name)));
    }
    // Empty non-terminals: every name between a record's owner and the apex.
    std::vector<WireName> owners;
    for (const auto& [name, n] : data_->nodes) owners.push_back(name);
    for (const WireName& owner : owners) {
      for (std::string_view up = owner; up.size() > apex_name.size();) {
        up = parent_name(up);
        node(WireName(up));
      }
    }
    for (auto& [name, n] : data_->nodes) {
      for (const RRset& rrset : n.rrsets) data_->records += rrset.rdata.size();
      if (name != apex_name) n.parent = &node(WireName(parent_name(name)));
      n.delegation = name != apex_name && n.find(net::DnsType::NS) != nullptr;
    }
    for (auto& [name, n] : data_->nodes) {
      for (const Node* up = n.parent; up != nullptr; up = up->parent) {
        if (up->delegation) n.below_delegation = true;
      }
      if (name.size() >= 2 && name[0] == 1 && name[1] == '*') {
        node(WireName(parent_name(name))).wildcard = &n;
      }
    }
    // An NS below a zone cut is occluded data, not a cut of its own: referrals
    // name the topmost cut, as Knot's (which flags such a node NONAUTH only).
    for (auto& [name, n] : data_->nodes) {
      if (n.below_delegation) n.delegation = false;
    }
    for (auto& [name, n] : data_->nodes) {
      for (RRset& rrset : n.rrsets) link_additional(n, rrset);
    }
  }

  // The node that answers for `target`: itself, or the wildcard that covers it
  // (Knot's zone_contents_find_node_or_wildcard()).
  const Node* node_or_wildcard(std::string_view target) const {
    if (!is_at_or_below(target, data_->origin)) return nullptr;
    const auto& nodes = data_->nodes;
    if (const auto it = nodes.find(target); it != nodes.end()) return &it->second;
    for (std::string_view up = target; up.size() > data_->origin.size();) {
      up = parent_name(up);
      if (const auto it = nodes.find(up); it != nodes.end()) return it->second.wildcard;
    }
    return nullptr;
  }

  // Knot's discover_additionals(): the targets' nodes in record order,
  // mandatory glue first.
  void link_additional(const Node& owner, RRset& rrset) {
    const auto offset = target_offset(rrset.type);
    if (!offset) return;
    std::vector<Glue> mandatory;
    std::vector<Glue> optional;
    for (std::size_t i = 0; i < rrset.rdata.size(); ++i) {
      const std::string_view target = rdata_name_at(rrset.rdata[i], *offset);
      const Node* glue = node_or_wildcard(target);
      if (glue == nullptr) continue;
      const bool required = rrset.type == net::DnsType::NS &&
                            (glue->delegation || glue->below_delegation) &&
                            is_at_or_below(glue->name, owner.name);
      (required ? mandatory : optional)
          .push_back(Glue{glue, static_cast<std::uint16_t>(i), required});
    }
    rrset.additional = std::move(mandatory);
    rrset.additional.insert(rrset.additional.end(), optional.begin(), optional.end());
  }

  std::unique_ptr<Zone::Data> data_;
  std::map<std::pair<WireName, net::DnsType>, std::size_t> first_line_;
};

WireName origin_name(std::string_view origin) {
  std::string text(origin);
  if (text.empty()) fail(0, "the origin is empty");
  if (text.back() != '.') text += '.';
  return parse_name(Token{text, false, 0}, WireName(1, '\0'));
}

}  // namespace

ZoneResult load_zone_text(std::string_view text, std::string_view file, std::string_view origin) {
  try {
    WireName apex = origin_name(origin);
    std::vector<Record> records = Reader(apex).read(text);
    return Zone(Builder(std::move(apex)).build(std::move(records)));
  } catch (const Failure& failure) {
    return ZoneError{std::string(file), failure.line(), failure.message()};
  }
}

ZoneResult load_zone(const std::string& path, std::string_view origin) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ZoneError{path, 0, fmt::format("cannot open: {}", std::strerror(errno))};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ZoneError{path, 0, "read error"};
  return load_zone_text(text.str(), path, origin);
}

}  // namespace lpdns
