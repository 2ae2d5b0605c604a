#include "lex/lexer.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace lpc::lex {
namespace {

struct Keyword {
  std::string_view text;
  TokenKind kind;
};

constexpr std::array kKeywords{
    Keyword{"package", TokenKind::kw_package}, Keyword{"import", TokenKind::kw_import},
    Keyword{"endian", TokenKind::kw_endian},   Keyword{"bitorder", TokenKind::kw_bitorder},
    Keyword{"big", TokenKind::kw_big},         Keyword{"little", TokenKind::kw_little},
    Keyword{"msb", TokenKind::kw_msb},         Keyword{"lsb", TokenKind::kw_lsb},
    Keyword{"const", TokenKind::kw_const},     Keyword{"enum", TokenKind::kw_enum},
    Keyword{"struct", TokenKind::kw_struct},   Keyword{"switch", TokenKind::kw_switch},
    Keyword{"case", TokenKind::kw_case},       Keyword{"default", TokenKind::kw_default},
    Keyword{"where", TokenKind::kw_where},     Keyword{"require", TokenKind::kw_require},
    Keyword{"pad", TokenKind::kw_pad},         Keyword{"bytes", TokenKind::kw_bytes},
    Keyword{"size", TokenKind::kw_size},
};

// Reserved for the next language revision (§28): not usable as names.
// Contextual keywords (meaningful in some places, never a type or constant name)
// and words kept for a later revision: the parser tells them apart.
constexpr std::array<std::string_view, 9> kReserved{
    "let", "align", "if", "until", "string", "flags", "varint", "checksum", "pointer"};

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Printable ASCII as is, anything else as \xNN, so messages stay one clean line.
std::string quote_bytes(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else {
      out += fmt::format("\\x{:02X}", u);
    }
  }
  return out;
}

// Length of the valid UTF-8 sequence at `s`, or 0.
std::size_t utf8_length(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s[0]);
  std::size_t n = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (lead >= 0xF5 || n > s.size()) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

// Valid UTF-8 without control characters as is, anything else through quote_bytes.
std::string printable(std::string_view run) {
  for (std::size_t i = 0; i < run.size();) {
    const auto u = static_cast<unsigned char>(run[i]);
    if (u < 0x80) {
      if (u < 0x20 || u == 0x7F) return quote_bytes(run);
      ++i;
      continue;
    }
    const std::size_t n = utf8_length(run.substr(i));
    if (n == 0) return quote_bytes(run);
    i += n;
  }
  return std::string(run);
}

}  // namespace

std::string_view spelling(TokenKind kind) {
  switch (kind) {
    case TokenKind::eof:
      return "end of file";
    case TokenKind::identifier:
      return "identifier";
    case TokenKind::reserved:
      return "reserved keyword";
    case TokenKind::integer:
      return "integer literal";
    case TokenKind::string:
      return "string literal";
    case TokenKind::kw_package:
      return "'package'";
    case TokenKind::kw_import:
      return "'import'";
    case TokenKind::kw_endian:
      return "'endian'";
    case TokenKind::kw_bitorder:
      return "'bitorder'";
    case TokenKind::kw_big:
      return "'big'";
    case TokenKind::kw_little:
      return "'little'";
    case TokenKind::kw_msb:
      return "'msb'";
    case TokenKind::kw_lsb:
      return "'lsb'";
    case TokenKind::kw_const:
      return "'const'";
    case TokenKind::kw_enum:
      return "'enum'";
    case TokenKind::kw_struct:
      return "'struct'";
    case TokenKind::kw_switch:
      return "'switch'";
    case TokenKind::kw_case:
      return "'case'";
    case TokenKind::kw_default:
      return "'default'";
    case TokenKind::kw_where:
      return "'where'";
    case TokenKind::kw_require:
      return "'require'";
    case TokenKind::kw_pad:
      return "'pad'";
    case TokenKind::kw_bytes:
      return "'bytes'";
    case TokenKind::kw_size:
      return "'size'";
    case TokenKind::l_brace:
      return "'{'";
    case TokenKind::r_brace:
      return "'}'";
    case TokenKind::l_paren:
      return "'('";
    case TokenKind::r_paren:
      return "')'";
    case TokenKind::l_bracket:
      return "'['";
    case TokenKind::r_bracket:
      return "']'";
    case TokenKind::semicolon:
      return "';'";
    case TokenKind::colon:
      return "':'";
    case TokenKind::comma:
      return "','";
    case TokenKind::dot:
      return "'.'";
    case TokenKind::question:
      return "'?'";
    case TokenKind::arrow:
      return "'=>'";
    case TokenKind::assign:
      return "'='";
    case TokenKind::eq_eq:
      return "'=='";
    case TokenKind::bang_eq:
      return "'!='";
    case TokenKind::less:
      return "'<'";
    case TokenKind::less_eq:
      return "'<='";
    case TokenKind::greater:
      return "'>'";
    case TokenKind::greater_eq:
      return "'>='";
    case TokenKind::shl:
      return "'<<'";
    case TokenKind::shr:
      return "'>>'";
    case TokenKind::plus:
      return "'+'";
    case TokenKind::minus:
      return "'-'";
    case TokenKind::star:
      return "'*'";
    case TokenKind::slash:
      return "'/'";
    case TokenKind::percent:
      return "'%'";
    case TokenKind::amp:
      return "'&'";
    case TokenKind::amp_amp:
      return "'&&'";
    case TokenKind::pipe:
      return "'|'";
    case TokenKind::pipe_pipe:
      return "'||'";
    case TokenKind::caret:
      return "'^'";
    case TokenKind::tilde:
      return "'~'";
    case TokenKind::bang:
      return "'!'";
  }
  return "token";
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::eof:
      return "end of file";
    case TokenKind::identifier:
      return fmt::format("'{}'", token.text);
    case TokenKind::reserved:
      return fmt::format("reserved keyword '{}'", token.text);
    case TokenKind::integer:
      return fmt::format("integer literal '{}'", token.range.text());
    case TokenKind::string:
      return fmt::format("string literal {}", quote_bytes(token.range.text()));
    default:
      if (token.kind >= TokenKind::kw_package && token.kind <= TokenKind::kw_size) {
        return fmt::format("keyword {}", spelling(token.kind));
      }
      return std::string(spelling(token.kind));
  }
}

Lexer::Lexer(const SourceFile& file, Diagnostics& diags) : file_(file), diags_(diags) {}

char Lexer::peek(std::size_t ahead) const {
  const std::size_t at = pos_ + ahead;
  return at < file_.text.size() ? file_.text[at] : '\0';
}

SourceRange Lexer::range(std::uint32_t begin, std::uint32_t end) const {
  return SourceRange{&file_, begin, end};
}

Token Lexer::make(TokenKind kind, std::uint32_t begin) {
  Token t;
  t.kind = kind;
  t.range = range(begin, pos_);
  return t;
}

void Lexer::skip_trivia(std::string& doc) {
  const std::string& text = file_.text;
  while (pos_ < text.size()) {
    const char c = text[pos_];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++pos_;
    } else if (c == '/' && peek(1) == '/') {
      const std::uint32_t begin = pos_;
      while (pos_ < text.size() && text[pos_] != '\n') ++pos_;
      std::string_view line = std::string_view(text).substr(begin, pos_ - begin);
      // `///` is a doc comment; `////...` is a plain comment (a ruler).
      if (line.size() >= 3 && line[2] == '/' && (line.size() == 3 || line[3] != '/')) {
        line.remove_prefix(3);
        if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        while (!line.empty() &&
               (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
          line.remove_suffix(1);
        }
        if (!doc.empty()) doc += '\n';
        doc += line;
      }
    } else if (c == '/' && peek(1) == '*') {
      const std::uint32_t begin = pos_;
      const std::size_t close = text.find("*/", pos_ + 2);
      if (close == std::string::npos) {
        diags_.error(range(begin, begin + 2), "unterminated comment",
                     "a comment started with '/*' ends with '*/'");
        pos_ = static_cast<std::uint32_t>(text.size());
      } else {
        pos_ = static_cast<std::uint32_t>(close + 2);
      }
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  std::string doc;
  for (;;) {
    skip_trivia(doc);
    const std::uint32_t begin = pos_;
    if (pos_ >= file_.text.size()) {
      Token t = make(TokenKind::eof, begin);
      t.doc = std::move(doc);
      return t;
    }
    const char c = file_.text[pos_];
    Token t;
    if (is_ident_start(c)) {
      while (is_ident_char(peek())) ++pos_;
      t = make(TokenKind::identifier, begin);
      t.text = std::string(t.range.text());
      for (const Keyword& k : kKeywords) {
        if (k.text == t.text) t.kind = k.kind;
      }
      for (std::string_view r : kReserved) {
        if (r == t.text) t.kind = TokenKind::reserved;
      }
    } else if (is_digit(c)) {
      t = lex_number(begin);
    } else if (c == '"') {
      t = lex_string(begin);
    } else {
      ++pos_;
      const char n = peek();
      auto two = [&](TokenKind kind) {
        ++pos_;
        return make(kind, begin);
      };
      switch (c) {
        case '{':
          t = make(TokenKind::l_brace, begin);
          break;
        case '}':
          t = make(TokenKind::r_brace, begin);
          break;
        case '(':
          t = make(TokenKind::l_paren, begin);
          break;
        case ')':
          t = make(TokenKind::r_paren, begin);
          break;
        case '[':
          t = make(TokenKind::l_bracket, begin);
          break;
        case ']':
          t = make(TokenKind::r_bracket, begin);
          break;
        case ';':
          t = make(TokenKind::semicolon, begin);
          break;
        case ':':
          t = make(TokenKind::colon, begin);
          break;
        case ',':
          t = make(TokenKind::comma, begin);
          break;
        case '.':
          t = make(TokenKind::dot, begin);
          break;
        case '?':
          t = make(TokenKind::question, begin);
          break;
        case '+':
          t = make(TokenKind::plus, begin);
          break;
        case '-':
          t = make(TokenKind::minus, begin);
          break;
        case '*':
          t = make(TokenKind::star, begin);
          break;
        case '/':
          t = make(TokenKind::slash, begin);
          break;
        case '%':
          t = make(TokenKind::percent, begin);
          break;
        case '^':
          t = make(TokenKind::caret, begin);
          break;
        case '~':
          t = make(TokenKind::tilde, begin);
          break;
        case '=':
          t = n == '>'   ? two(TokenKind::arrow)
              : n == '=' ? two(TokenKind::eq_eq)
                         : make(TokenKind::assign, begin);
          break;
        case '!':
          t = n == '=' ? two(TokenKind::bang_eq) : make(TokenKind::bang, begin);
          break;
        case '<':
          t = n == '='   ? two(TokenKind::less_eq)
              : n == '<' ? two(TokenKind::shl)
                         : make(TokenKind::less, begin);
          break;
        case '>':
          t = n == '='   ? two(TokenKind::greater_eq)
              : n == '>' ? two(TokenKind::shr)
                         : make(TokenKind::greater, begin);
          break;
        case '&':
          t = n == '&' ? two(TokenKind::amp_amp) : make(TokenKind::amp, begin);
          break;
        case '|':
          t = n == '|' ? two(TokenKind::pipe_pipe) : make(TokenKind::pipe, begin);
          break;
        default: {
          // A run of characters that start no token: one diagnostic for the run.
          pos_ = begin;
          std::size_t count = 0;
          while (pos_ < file_.text.size()) {
            const char s = file_.text[pos_];
            if (is_ident_char(s) ||
                std::string_view("{}()[];:,.?+-*/%^~=!<>&|\" \t\r\n\f\v").find(s) !=
                    std::string_view::npos) {
              break;
            }
            const std::size_t len = utf8_length(std::string_view(file_.text).substr(pos_));
            pos_ += static_cast<std::uint32_t>(len == 0 ? 1 : len);
            ++count;
          }
          const std::string_view run = std::string_view(file_.text).substr(begin, pos_ - begin);
          diags_.error(range(begin, pos_), fmt::format("unexpected character{} '{}'",
                                                       count == 1 ? "" : "s", printable(run)));
          continue;  // lex the next token; the doc comments carry over
        }
      }
    }
    t.doc = std::move(doc);
    return t;
  }
}

Token Lexer::lex_number(std::uint32_t begin) {
  unsigned base = 10;
  std::string_view base_name = "decimal";
  if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
    base = 16;
    base_name = "hexadecimal";
    pos_ += 2;
  } else if (peek() == '0' && (peek(1) == 'b' || peek(1) == 'B')) {
    base = 2;
    base_name = "binary";
    pos_ += 2;
  }
  const std::uint32_t digits_begin = pos_;
  while (is_ident_char(peek())) ++pos_;
  Token t = make(TokenKind::integer, begin);
  const std::string_view digits =
      std::string_view(file_.text).substr(digits_begin, pos_ - digits_begin);

  std::uint64_t value = 0;
  bool any_digit = false;
  bool overflow = false;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char d = digits[i];
    if (d == '_') continue;
    const int v = digit_value(d);
    if (v >= static_cast<int>(base)) {
      const auto at = static_cast<std::uint32_t>(digits_begin + i);
      diags_.error(range(at, at + 1),
                   fmt::format("invalid digit '{}' in {} literal '{}'", quote_bytes({&d, 1}),
                               base_name, t.range.text()),
                   base == 2    ? "binary literals use only 0 and 1"
                   : base == 10 ? "write hexadecimal values with a 0x prefix"
                                : "hexadecimal digits are 0-9 and A-F");
      t.malformed = true;
      return t;  // value 0: no follow-on errors
    }
    any_digit = true;
    if (value > (UINT64_MAX - static_cast<unsigned>(v)) / base) overflow = true;
    value = value * base + static_cast<unsigned>(v);
  }
  if (!any_digit) {
    diags_.error(t.range, fmt::format("{} literal '{}' has no digits", base_name, t.range.text()));
    t.malformed = true;
    return t;
  }
  if (overflow) {
    diags_.error(t.range,
                 fmt::format("integer literal '{}' does not fit in 64 bits", t.range.text()),
                 "the largest value is 18446744073709551615 (0xFFFF_FFFF_FFFF_FFFF)");
    t.malformed = true;
    return t;
  }
  t.value = value;
  return t;
}

Token Lexer::lex_string(std::uint32_t begin) {
  ++pos_;  // the opening quote
  std::string value;
  bool malformed = false;
  for (;;) {
    const char c = peek();
    if (pos_ >= file_.text.size() || c == '\n') {
      diags_.error(range(begin, pos_), "unterminated string literal",
                   "a string ends with '\"' on the same line");
      malformed = true;
      break;
    }
    ++pos_;
    if (c == '"') break;
    if (c == '\\') {
      const char e = peek();
      if (e == '\\' || e == '"') {
        value += e;
        ++pos_;
      } else if (e == 'x' && pos_ + 2 < file_.text.size() &&
                 digit_value(file_.text[pos_ + 1]) < 16 && digit_value(file_.text[pos_ + 2]) < 16) {
        // `\xNN`: any byte, for binary magic strings ("\x00\x04MQTT").
        value += static_cast<char>(digit_value(file_.text[pos_ + 1]) * 16 +
                                   digit_value(file_.text[pos_ + 2]));
        pos_ += 3;
      } else {
        const std::uint32_t at = pos_ - 1;
        if (e != '\n' && pos_ < file_.text.size()) ++pos_;
        diags_.error(range(at, pos_),
                     fmt::format("unknown escape sequence '{}' in string literal",
                                 quote_bytes(std::string_view(file_.text).substr(at, pos_ - at))),
                     "the escapes are \\\\, \\\" and \\xNN (two hex digits)");
      }
      continue;
    }
    value += c;
  }
  Token t = make(TokenKind::string, begin);
  t.text = std::move(value);
  t.malformed = malformed;
  return t;
}

}  // namespace lpc::lex
