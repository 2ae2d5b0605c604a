// The lexer: schema text to tokens (docs/schema-language.md §1).
//
// Tokens are produced on demand, so lexical errors are reported in source order
// between the parser's own. A lexical error never stops the lexer: a stray
// character is reported and skipped, an unterminated string or comment ends at
// the end of the line or file, a literal that does not fit 64 bits is reported
// and reads as 0. `///` doc comments are not tokens; they are collected into the
// `doc` of the token that follows them.
//
// Cost: one pass over the text, no backtracking. Lifetime: tokens point into the
// SourceFile (through SourceRange), which must outlive them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "diag/diagnostics.hpp"
#include "diag/source.hpp"

namespace lpc::lex {

enum class TokenKind : std::uint8_t {
  eof,
  identifier,
  reserved,  // a keyword of the next language revision (`let`, `align`, ...)
  integer,
  string,
  // Keywords.
  kw_package,
  kw_import,
  kw_endian,
  kw_bitorder,
  kw_big,
  kw_little,
  kw_msb,
  kw_lsb,
  kw_const,
  kw_enum,
  kw_struct,
  kw_switch,
  kw_case,
  kw_default,
  kw_where,
  kw_require,
  kw_pad,
  kw_bytes,
  kw_size,
  // Punctuation and operators.
  l_brace,     // {
  r_brace,     // }
  l_paren,     // (
  r_paren,     // )
  l_bracket,   // [
  r_bracket,   // ]
  semicolon,   // ;
  colon,       // :
  comma,       // ,
  dot,         // .
  question,    // ?
  arrow,       // =>
  assign,      // =
  eq_eq,       // ==
  bang_eq,     // !=
  less,        // <
  less_eq,     // <=
  greater,     // >
  greater_eq,  // >=
  shl,         // <<
  shr,         // >>
  plus,        // +
  minus,       // -
  star,        // *
  slash,       // /
  percent,     // %
  amp,         // &
  amp_amp,     // &&
  pipe,        // |
  pipe_pipe,   // ||
  caret,       // ^
  tilde,       // ~
  bang,        // !
};

struct Token {
  TokenKind kind = TokenKind::eof;
  SourceRange range;
  std::uint64_t value = 0;  // integer: the literal's value
  std::string text;         // identifier, keyword, reserved: the name; string: the unescaped value
  std::string doc;          // `///` lines before the token, markers stripped, joined by '\n'
  bool malformed = false;  // a lexical error was reported for it (bad literal, unterminated string)
};

// "';'", "'=>'", "keyword 'struct'", "identifier": how messages name a token kind.
std::string_view spelling(TokenKind kind);
// How "expected X, found Y" names an actual token: "';'", "'foo'", "keyword 'size'",
// "integer literal '42'", "end of file".
std::string describe(const Token& token);

class Lexer {
 public:
  Lexer(const SourceFile& file, Diagnostics& diags);

  // The next token; after the end, eof forever.
  Token next();

 private:
  void skip_trivia(std::string& doc);
  Token lex_number(std::uint32_t begin);
  Token lex_string(std::uint32_t begin);
  Token make(TokenKind kind, std::uint32_t begin);
  SourceRange range(std::uint32_t begin, std::uint32_t end) const;
  char peek(std::size_t ahead = 0) const;

  const SourceFile& file_;
  Diagnostics& diags_;
  std::uint32_t pos_ = 0;
};

}  // namespace lpc::lex
