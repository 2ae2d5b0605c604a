// The lexer: every token kind, literals, comments, doc comments, bad input.
#include "lex/lexer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lpc::lex {
namespace {

struct Lexed {
  SourceFile file;
  Diagnostics diags;
  std::vector<Token> tokens;  // without the final eof
};

Lexed lex(std::string text) {
  Lexed out{SourceFile::make("t.lps", "t.lps", std::move(text)), {}, {}};
  Lexer lexer(out.file, out.diags);
  for (Token t = lexer.next(); t.kind != TokenKind::eof; t = lexer.next()) {
    out.tokens.push_back(std::move(t));
  }
  return out;
}

std::vector<TokenKind> kinds(const Lexed& l) {
  std::vector<TokenKind> out;
  for (const auto& t : l.tokens) out.push_back(t.kind);
  return out;
}

std::string first_error(const Lexed& l) {
  return l.diags.all().empty() ? std::string() : l.diags.all().front().message;
}

TEST(Lexer, Keywords) {
  const Lexed l =
      lex("package import endian bitorder big little msb lsb const enum struct switch case default "
          "where require pad bytes size");
  EXPECT_FALSE(l.diags.has_errors());
  const std::vector<TokenKind> expected{
      TokenKind::kw_package, TokenKind::kw_import,  TokenKind::kw_endian, TokenKind::kw_bitorder,
      TokenKind::kw_big,     TokenKind::kw_little,  TokenKind::kw_msb,    TokenKind::kw_lsb,
      TokenKind::kw_const,   TokenKind::kw_enum,    TokenKind::kw_struct, TokenKind::kw_switch,
      TokenKind::kw_case,    TokenKind::kw_default, TokenKind::kw_where,  TokenKind::kw_require,
      TokenKind::kw_pad,     TokenKind::kw_bytes,   TokenKind::kw_size};
  EXPECT_EQ(kinds(l), expected);
  EXPECT_EQ(l.tokens[0].text, "package");
}

TEST(Lexer, ReservedKeywords) {
  const Lexed l = lex("let align if until string flags varint checksum pointer");
  ASSERT_EQ(l.tokens.size(), 9u);
  for (const auto& t : l.tokens) EXPECT_EQ(t.kind, TokenKind::reserved) << t.text;
  EXPECT_EQ(l.tokens[7].text, "checksum");
  EXPECT_FALSE(l.diags.has_errors());
}

TEST(Lexer, Identifiers) {
  const Lexed l = lex("ihl _ _x1 u16le Ipv4Addr sizes bytes2 PACKAGE");
  ASSERT_EQ(l.tokens.size(), 8u);
  for (const auto& t : l.tokens) EXPECT_EQ(t.kind, TokenKind::identifier) << t.text;
  EXPECT_EQ(l.tokens[1].text, "_");
  EXPECT_EQ(l.tokens[3].text, "u16le");
  EXPECT_EQ(l.tokens[5].text, "sizes");
}

TEST(Lexer, Operators) {
  const Lexed l = lex("{ } ( ) [ ] ; : , . ? => = == != < <= > >= << >> + - * / % & && | || ^ ~ !");
  EXPECT_FALSE(l.diags.has_errors());
  const std::vector<TokenKind> expected{
      TokenKind::l_brace,   TokenKind::r_brace,   TokenKind::l_paren,    TokenKind::r_paren,
      TokenKind::l_bracket, TokenKind::r_bracket, TokenKind::semicolon,  TokenKind::colon,
      TokenKind::comma,     TokenKind::dot,       TokenKind::question,   TokenKind::arrow,
      TokenKind::assign,    TokenKind::eq_eq,     TokenKind::bang_eq,    TokenKind::less,
      TokenKind::less_eq,   TokenKind::greater,   TokenKind::greater_eq, TokenKind::shl,
      TokenKind::shr,       TokenKind::plus,      TokenKind::minus,      TokenKind::star,
      TokenKind::slash,     TokenKind::percent,   TokenKind::amp,        TokenKind::amp_amp,
      TokenKind::pipe,      TokenKind::pipe_pipe, TokenKind::caret,      TokenKind::tilde,
      TokenKind::bang};
  EXPECT_EQ(kinds(l), expected);
}

TEST(Lexer, OperatorsWithoutSpaces) {
  const Lexed l = lex("a<=b>>2==c=>d&&!e");
  const std::vector<TokenKind> expected{
      TokenKind::identifier, TokenKind::less_eq, TokenKind::identifier, TokenKind::shr,
      TokenKind::integer,    TokenKind::eq_eq,   TokenKind::identifier, TokenKind::arrow,
      TokenKind::identifier, TokenKind::amp_amp, TokenKind::bang,       TokenKind::identifier};
  EXPECT_EQ(kinds(l), expected);
}

TEST(Lexer, IntegerLiterals) {
  const Lexed l = lex("0 1500 0x86DD 0X86dd 0b1010 0B11 0xA1B2_C3D4 1_000_000");
  EXPECT_FALSE(l.diags.has_errors());
  ASSERT_EQ(l.tokens.size(), 8u);
  const std::vector<std::uint64_t> values{0, 1500, 0x86DD, 0x86DD, 10, 3, 0xA1B2C3D4, 1000000};
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(l.tokens[i].kind, TokenKind::integer);
    EXPECT_EQ(l.tokens[i].value, values[i]) << i;
  }
  EXPECT_EQ(l.tokens[6].range.text(), "0xA1B2_C3D4");
}

TEST(Lexer, LargestLiterals) {
  const Lexed l = lex("18446744073709551615 0xFFFF_FFFF_FFFF_FFFF 0b" + std::string(64, '1'));
  EXPECT_FALSE(l.diags.has_errors());
  ASSERT_EQ(l.tokens.size(), 3u);
  for (const auto& t : l.tokens) EXPECT_EQ(t.value, UINT64_MAX);
}

TEST(Lexer, LiteralOverflowIsDiagnosed) {
  for (const char* text :
       {"18446744073709551616", "0x1_0000_0000_0000_0000", "99999999999999999999999"}) {
    const Lexed l = lex(text);
    ASSERT_EQ(l.tokens.size(), 1u) << text;
    EXPECT_EQ(l.tokens[0].kind, TokenKind::integer);
    EXPECT_EQ(l.tokens[0].value, 0u);
    EXPECT_EQ(l.diags.error_count(), 1u);
    EXPECT_EQ(first_error(l),
              std::string("integer literal '") + text + "' does not fit in 64 bits");
  }
}

TEST(Lexer, BadDigits) {
  EXPECT_EQ(first_error(lex("0b102")), "invalid digit '2' in binary literal '0b102'");
  EXPECT_EQ(first_error(lex("0x1G")), "invalid digit 'G' in hexadecimal literal '0x1G'");
  EXPECT_EQ(first_error(lex("12ab")), "invalid digit 'a' in decimal literal '12ab'");
  EXPECT_EQ(first_error(lex("0x")), "hexadecimal literal '0x' has no digits");
  EXPECT_EQ(first_error(lex("0b__")), "binary literal '0b__' has no digits");
  // One token either way: the parser sees a literal and carries on.
  EXPECT_EQ(lex("0b102;").tokens.size(), 2u);
}

TEST(Lexer, Strings) {
  const Lexed l = lex(R"("net/ipv4.lps" "a\\b\"c" "")");
  EXPECT_FALSE(l.diags.has_errors());
  ASSERT_EQ(l.tokens.size(), 3u);
  EXPECT_EQ(l.tokens[0].text, "net/ipv4.lps");
  EXPECT_EQ(l.tokens[1].text, "a\\b\"c");
  EXPECT_EQ(l.tokens[1].range.text(), R"("a\\b\"c")");
  EXPECT_EQ(l.tokens[2].text, "");
}

TEST(Lexer, UnterminatedString) {
  const Lexed l = lex("import \"net/ipv4.lps;\nstruct");
  EXPECT_EQ(first_error(l), "unterminated string literal");
  ASSERT_EQ(l.tokens.size(), 3u);
  EXPECT_EQ(l.tokens[1].kind, TokenKind::string);
  EXPECT_EQ(l.tokens[2].kind, TokenKind::kw_struct);
  EXPECT_EQ(first_error(lex("\"abc")), "unterminated string literal");
  // A backslash at the very end: the escape is bad and the string unterminated.
  const Lexed trailing = lex("\"abc\\");
  ASSERT_EQ(trailing.diags.error_count(), 2u);
  EXPECT_EQ(trailing.diags.all()[1].message, "unterminated string literal");
}

TEST(Lexer, HexEscapes) {
  const Lexed l = lex(R"("\x89PNG\x0d\x0A" "\x00\xff1")");
  EXPECT_FALSE(l.diags.has_errors());
  ASSERT_EQ(l.tokens.size(), 2u);
  EXPECT_EQ(l.tokens[0].text, std::string("\x89PNG\x0d\x0a"));
  EXPECT_EQ(l.tokens[1].text, std::string("\0\xff"
                                          "1",
                                          3));
  // One hex digit, or none: an unknown escape.
  EXPECT_EQ(first_error(lex(R"("\x4")")), "unknown escape sequence '\\x' in string literal");
  EXPECT_EQ(first_error(lex(R"("\xg0")")), "unknown escape sequence '\\x' in string literal");
}

TEST(Lexer, UnknownEscape) {
  const Lexed l = lex(R"("a\nb")");
  EXPECT_EQ(first_error(l), "unknown escape sequence '\\n' in string literal");
  EXPECT_EQ(l.diags.all().front().range.text(), "\\n");
}

TEST(Lexer, Comments) {
  const Lexed l = lex("a // line comment\nb /* block\ncomment */ c /**/ d");
  EXPECT_FALSE(l.diags.has_errors());
  ASSERT_EQ(l.tokens.size(), 4u);
  EXPECT_EQ(l.tokens[3].text, "d");
  for (const auto& t : l.tokens) EXPECT_EQ(t.doc, "");
}

TEST(Lexer, UnterminatedComment) {
  const Lexed l = lex("a /* never closed\nb c");
  ASSERT_EQ(l.tokens.size(), 1u);
  EXPECT_EQ(first_error(l), "unterminated comment");
  EXPECT_EQ(l.diags.all().front().range.text(), "/*");
}

TEST(Lexer, DocComments) {
  const Lexed l =
      lex("/// A UDP datagram.\n///   indented\n///\nstruct Udp {\n"
          "  //// a ruler, not a doc\n  // plain\n  /// The port.\n  src: u16;\n}\n/// dangling");
  ASSERT_GE(l.tokens.size(), 3u);
  EXPECT_EQ(l.tokens[0].doc, "A UDP datagram.\n  indented\n");
  EXPECT_EQ(l.tokens[1].doc, "");
  EXPECT_EQ(l.tokens[3].text, "src");
  EXPECT_EQ(l.tokens[3].doc, "The port.");
}

TEST(Lexer, StrayCharacters) {
  const Lexed l = lex("a @ b $#` c");
  EXPECT_EQ(kinds(l), std::vector<TokenKind>(3, TokenKind::identifier));
  ASSERT_EQ(l.diags.error_count(), 2u);
  EXPECT_EQ(l.diags.all()[0].message, "unexpected character '@'");
  EXPECT_EQ(l.diags.all()[1].message, "unexpected characters '$#`'");
  EXPECT_EQ(l.diags.all()[1].range.text(), "$#`");
}

TEST(Lexer, NonAsciiAndBinaryBytes) {
  const Lexed utf8 = lex("a \xC3\xA9 b");
  EXPECT_EQ(first_error(utf8), "unexpected character '\xC3\xA9'");
  const Lexed binary = lex(std::string("a \xFF\x01", 4) + std::string(1, '\0') + " b");
  EXPECT_EQ(first_error(binary), "unexpected characters '\\xFF\\x01\\x00'");
  EXPECT_EQ(binary.tokens.size(), 2u);
}

TEST(Lexer, Ranges) {
  const Lexed l = lex("  ihl: u4 == 0x4;");
  ASSERT_EQ(l.tokens.size(), 6u);
  EXPECT_EQ(l.tokens[0].range.begin, 2u);
  EXPECT_EQ(l.tokens[0].range.end, 5u);
  EXPECT_EQ(l.tokens[3].range.text(), "==");
  EXPECT_EQ(l.tokens[4].range.text(), "0x4");
}

TEST(Lexer, EofRepeats) {
  const SourceFile file = SourceFile::make("t.lps", "t.lps", "x");
  Diagnostics diags;
  Lexer lexer(file, diags);
  EXPECT_EQ(lexer.next().kind, TokenKind::identifier);
  EXPECT_EQ(lexer.next().kind, TokenKind::eof);
  EXPECT_EQ(lexer.next().kind, TokenKind::eof);
}

TEST(Lexer, Describe) {
  const Lexed l = lex("foo struct ; 42 \"s\" let");
  ASSERT_EQ(l.tokens.size(), 6u);
  EXPECT_EQ(describe(l.tokens[0]), "'foo'");
  EXPECT_EQ(describe(l.tokens[1]), "keyword 'struct'");
  EXPECT_EQ(describe(l.tokens[2]), "';'");
  EXPECT_EQ(describe(l.tokens[3]), "integer literal '42'");
  EXPECT_EQ(describe(l.tokens[4]), "string literal \"s\"");
  EXPECT_EQ(describe(l.tokens[5]), "reserved keyword 'let'");
  EXPECT_EQ(describe(Token{}), "end of file");
}

}  // namespace
}  // namespace lpc::lex
