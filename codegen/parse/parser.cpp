#include "parse/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "lex/lexer.hpp"

namespace lpc::parse {
namespace {

using lex::Token;
using lex::TokenKind;

// Thrown after a syntax error has been reported; caught at the nearest recovery
// point (member, switch arm, enum member, declaration), which skips ahead and
// carries on. Never escapes parse().
struct SyntaxError {};

struct BinaryLevel {
  std::array<std::pair<TokenKind, ast::BinaryOp>, 4> ops;
  std::size_t count;
};

// Binary operators from the loosest to the tightest (§22); all left-associative.
constexpr std::array<BinaryLevel, 10> kBinaryLevels{{
    {{{{TokenKind::pipe_pipe, ast::BinaryOp::logical_or}}}, 1},
    {{{{TokenKind::amp_amp, ast::BinaryOp::logical_and}}}, 1},
    {{{{TokenKind::pipe, ast::BinaryOp::bit_or}}}, 1},
    {{{{TokenKind::caret, ast::BinaryOp::bit_xor}}}, 1},
    {{{{TokenKind::amp, ast::BinaryOp::bit_and}}}, 1},
    {{{{TokenKind::eq_eq, ast::BinaryOp::eq}, {TokenKind::bang_eq, ast::BinaryOp::ne}}}, 2},
    {{{{TokenKind::less, ast::BinaryOp::lt},
       {TokenKind::less_eq, ast::BinaryOp::le},
       {TokenKind::greater, ast::BinaryOp::gt},
       {TokenKind::greater_eq, ast::BinaryOp::ge}}},
     4},
    {{{{TokenKind::shl, ast::BinaryOp::shl}, {TokenKind::shr, ast::BinaryOp::shr}}}, 2},
    {{{{TokenKind::plus, ast::BinaryOp::add}, {TokenKind::minus, ast::BinaryOp::sub}}}, 2},
    {{{{TokenKind::star, ast::BinaryOp::mul},
       {TokenKind::slash, ast::BinaryOp::div},
       {TokenKind::percent, ast::BinaryOp::mod}}},
     3},
}};

bool starts_declaration(TokenKind k) {
  return k == TokenKind::kw_struct || k == TokenKind::kw_enum || k == TokenKind::kw_const;
}

bool starts_file_item(TokenKind k) {
  return starts_declaration(k) || k == TokenKind::kw_import || k == TokenKind::kw_endian ||
         k == TokenKind::kw_bitorder || k == TokenKind::kw_package;
}

class Parser {
 public:
  Parser(const SourceFile& file, Diagnostics& diags)
      : file_(file), diags_(diags), lexer_(file, diags) {
    tok_ = lexer_.next();
  }

  std::unique_ptr<ast::Module> parse_module() {
    module_ = std::make_unique<ast::Module>();
    module_->file = &file_;
    parse_package();
    bool seen_option = false;
    bool seen_declaration = false;
    while (tok_.kind != TokenKind::eof) {
      const std::size_t before = tok_.range.begin;
      try {
        parse_file_item(seen_option, seen_declaration);
      } catch (const SyntaxError&) {
        skip_declaration();
      }
      if (tok_.kind != TokenKind::eof && tok_.range.begin == before) advance();  // no progress
    }
    return std::move(module_);
  }

 private:
  // ------------------------------------------------------------ tokens

  void advance() {
    prev_end_ = tok_.range.end;
    prev_malformed_ = tok_.malformed;
    tok_ = lexer_.next();
  }

  bool at(TokenKind k) const { return tok_.kind == k; }

  bool accept(TokenKind k) {
    if (!at(k)) return false;
    advance();
    return true;
  }

  // Where a "found ..." error points: the token, or just after the last token at
  // the end of the file (not on the empty line after it).
  SourceRange error_range() const {
    if (at(TokenKind::eof)) return {&file_, prev_end_, prev_end_};
    return tok_.range;
  }

  [[noreturn]] void fail(std::string message, std::string hint = {}) {
    diags_.error(error_range(), std::move(message), std::move(hint));
    throw SyntaxError{};
  }

  // Contextual keywords (`let`, `string`, ...) have a meaning in some places and
  // cannot name types or constants; the rest are kept for a later revision.
  static std::string reserved_word_message(std::string_view word) {
    static constexpr std::string_view kInUse[] = {"let",    "align", "if",    "until",
                                                  "string", "flags", "varint"};
    for (std::string_view w : kInUse) {
      if (w == word)
        return fmt::format("'{}' is a keyword and cannot be used as a name here", word);
    }
    return fmt::format("'{}' is reserved for a future version of the language", word);
  }

  // "expected X, found Y", or the reserved-keyword message when Y is one. Right
  // after a token the lexer already complained about (an unterminated string ate
  // the ';'), the error would only repeat that one: recover without reporting.
  [[noreturn]] void fail_expected(std::string_view what, std::string hint = {}) {
    if (prev_malformed_) throw SyntaxError{};
    if (at(TokenKind::reserved)) fail(reserved_word_message(tok_.text), "choose another name");
    if (hint.empty() && tok_.kind >= TokenKind::kw_package && tok_.kind <= TokenKind::kw_size &&
        what.find("name") != std::string_view::npos) {
      hint = fmt::format("'{}' is a keyword and cannot be used as a name", tok_.text);
    }
    fail(fmt::format("expected {}, found {}", what, lex::describe(tok_)), std::move(hint));
  }

  Token expect(TokenKind k, std::string_view what) {
    if (!at(k)) fail_expected(what);
    Token t = std::move(tok_);
    advance();
    return t;
  }

  // An identifier used as a name.
  Token expect_name(std::string_view what) { return expect(TokenKind::identifier, what); }

  // A field or arm name, or a reference to one: reserved keywords are allowed here
  // (`checksum: u16;`). They are reserved as type, constant and package names and
  // as the first word of a member, where the next revision puts its constructs;
  // a field name is always followed by ':', so it can never be mistaken for one.
  Token expect_member_name(std::string_view what) {
    if (at(TokenKind::reserved)) tok_.kind = TokenKind::identifier;
    return expect_name(what);
  }

  SourceRange from(std::uint32_t begin) const { return {&file_, begin, prev_end_}; }

  // ------------------------------------------------------------ recovery

  // After an error in a struct member or switch arm: skip past the next ';' or up
  // to the '}' that closes the enclosing body, stepping over nested braces. Stops
  // early at a keyword that can only start a declaration.
  void skip_member() {
    int depth = 0;
    while (!at(TokenKind::eof)) {
      if (depth == 0 && (at(TokenKind::r_brace) || starts_declaration(tok_.kind))) return;
      if (at(TokenKind::l_brace)) ++depth;
      if (at(TokenKind::r_brace)) --depth;
      if (depth == 0 && at(TokenKind::semicolon)) {
        advance();
        return;
      }
      advance();
    }
  }

  // After an error in an enum member: up to the next ',' (consumed) or closing '}'.
  void skip_enum_member() {
    int depth = 0;
    while (!at(TokenKind::eof)) {
      if (depth == 0 && (at(TokenKind::r_brace) || starts_declaration(tok_.kind))) return;
      if (at(TokenKind::l_brace)) ++depth;
      if (at(TokenKind::r_brace)) --depth;
      if (depth == 0 && at(TokenKind::comma)) {
        advance();
        return;
      }
      advance();
    }
  }

  // After an error at file level: past the next ';' or balanced '}', or up to the
  // next keyword that starts a file item.
  void skip_declaration() {
    int depth = 0;
    while (!at(TokenKind::eof)) {
      if (depth == 0 && starts_file_item(tok_.kind)) return;
      if (at(TokenKind::l_brace)) {
        ++depth;
      } else if (at(TokenKind::r_brace)) {
        if (depth <= 1) {
          advance();
          accept(TokenKind::semicolon);
          return;
        }
        --depth;
      } else if (depth == 0 && at(TokenKind::semicolon)) {
        advance();
        return;
      }
      advance();
    }
  }

  // ------------------------------------------------------------ file level

  std::vector<std::string> parse_qualified_name(std::string_view what, SourceRange& range) {
    const std::uint32_t begin = tok_.range.begin;
    std::vector<std::string> parts;
    parts.push_back(expect_name(what).text);
    while (accept(TokenKind::dot)) parts.push_back(expect_name("a name after '.'").text);
    range = from(begin);
    return parts;
  }

  void parse_package() {
    if (!at(TokenKind::kw_package)) {
      diags_.error(error_range(),
                   fmt::format("expected 'package' declaration, found {}", lex::describe(tok_)),
                   "a schema starts with its package, e.g. 'package net;'");
      return;
    }
    try {
      advance();
      module_->package = parse_qualified_name("package name", module_->package_range);
      expect(TokenKind::semicolon, "';' after the package name");
    } catch (const SyntaxError&) {
      skip_declaration();
    }
  }

  void parse_file_item(bool& seen_option, bool& seen_declaration) {
    switch (tok_.kind) {
      case TokenKind::kw_package: {
        diags_.error(tok_.range, "duplicate package declaration",
                     "a schema has exactly one 'package' line, at the top");
        advance();
        SourceRange ignored;
        parse_qualified_name("package name", ignored);
        expect(TokenKind::semicolon, "';' after the package name");
        return;
      }
      case TokenKind::kw_import:
        if (seen_option || seen_declaration) {
          diags_.error(tok_.range, "imports must come before file options and declarations");
        }
        parse_import();
        return;
      case TokenKind::kw_endian:
      case TokenKind::kw_bitorder:
        if (seen_declaration) {
          diags_.error(tok_.range, "file options must come before declarations");
        }
        seen_option = true;
        parse_file_option();
        return;
      case TokenKind::kw_const:
        seen_declaration = true;
        parse_const();
        return;
      case TokenKind::kw_enum:
        seen_declaration = true;
        parse_enum();
        return;
      case TokenKind::kw_struct:
        seen_declaration = true;
        parse_struct();
        return;
      default:
        if (at(TokenKind::reserved) && tok_.text == "flags") {
          seen_declaration = true;
          parse_flags();
          return;
        }
        fail_expected("a declaration ('struct', 'enum' or 'const')");
    }
  }

  void parse_import() {
    advance();
    ast::Import imp;
    Token path = expect(TokenKind::string, "a file name in quotes after 'import'");
    imp.path = std::move(path.text);
    expect(TokenKind::semicolon, "';' after the import");
    // The range is the path as written: errors about the file point at it.
    imp.range = path.range;
    module_->imports.push_back(std::move(imp));
  }

  void parse_file_option() {
    const Token keyword = tok_;
    advance();
    if (keyword.kind == TokenKind::kw_endian) {
      ast::ByteOrder order = parse_byte_order();
      expect(TokenKind::semicolon, "';' after the endian option");
      if (module_->endian) {
        diags_.error(keyword.range, "duplicate 'endian' option");
      }
      module_->endian = order;
    } else {
      ast::BitOrder order = parse_bit_order();
      expect(TokenKind::semicolon, "';' after the bitorder option");
      if (seen_bitorder_) diags_.error(keyword.range, "duplicate 'bitorder' option");
      seen_bitorder_ = true;
      module_->bitorder = order;
    }
  }

  ast::ByteOrder parse_byte_order() {
    if (accept(TokenKind::kw_big)) return ast::ByteOrder::big;
    if (accept(TokenKind::kw_little)) return ast::ByteOrder::little;
    fail_expected("'big' or 'little' after 'endian'");
  }

  ast::BitOrder parse_bit_order() {
    if (accept(TokenKind::kw_msb)) return ast::BitOrder::msb;
    if (accept(TokenKind::kw_lsb)) return ast::BitOrder::lsb;
    fail_expected("'msb' or 'lsb' after 'bitorder'");
  }

  void parse_const() {
    const std::uint32_t begin = tok_.range.begin;
    auto decl = std::make_unique<ast::ConstDecl>();
    decl->doc = tok_.doc;
    decl->module = module_.get();
    advance();
    Token name = expect_name("a constant name after 'const'");
    decl->name = std::move(name.text);
    decl->name_range = name.range;
    expect(TokenKind::assign, "'=' after the constant name");
    decl->value = parse_expr();
    expect(TokenKind::semicolon, "';' after the constant");
    decl->range = from(begin);
    module_->decls.emplace_back(std::move(decl));
  }

  void parse_enum() {
    const std::uint32_t begin = tok_.range.begin;
    auto decl = std::make_unique<ast::EnumDecl>();
    decl->doc = tok_.doc;
    decl->module = module_.get();
    advance();
    Token name = expect_name("an enum name after 'enum'");
    decl->name = std::move(name.text);
    decl->name_range = name.range;
    if (accept(TokenKind::colon)) {
      const std::uint32_t type_begin = tok_.range.begin;
      ast::NamedType base;
      SourceRange ignored;
      base.parts = parse_qualified_name("the enum's base type after ':'", ignored);
      decl->base = std::make_unique<ast::TypeExpr>();
      decl->base->node = std::move(base);
      decl->base->range = from(type_begin);
    }
    expect(TokenKind::l_brace, decl->base ? "'{' after the enum's base type"
                                          : "':' and a base type after the enum name");
    while (!at(TokenKind::r_brace) && !at(TokenKind::eof) && !starts_declaration(tok_.kind)) {
      try {
        parse_enum_member(*decl);
      } catch (const SyntaxError&) {
        skip_enum_member();
      }
    }
    expect(TokenKind::r_brace, fmt::format("'}}' at the end of enum '{}'", decl->name));
    decl->range = from(begin);
    module_->decls.emplace_back(std::move(decl));
  }

  // `flags Name : base { A, B = 4 }`: like an enum whose values are bit positions.
  void parse_flags() {
    const std::uint32_t begin = tok_.range.begin;
    auto decl = std::make_unique<ast::FlagsDecl>();
    decl->doc = tok_.doc;
    decl->module = module_.get();
    advance();  // 'flags'
    Token name = expect_name("a name after 'flags'");
    decl->name = std::move(name.text);
    decl->name_range = name.range;
    expect(TokenKind::colon, "':' and a base type after the flags name");
    const std::uint32_t type_begin = tok_.range.begin;
    ast::NamedType base;
    SourceRange ignored;
    base.parts = parse_qualified_name("the base type after ':'", ignored);
    decl->base = std::make_unique<ast::TypeExpr>();
    decl->base->node = std::move(base);
    decl->base->range = from(type_begin);
    expect(TokenKind::l_brace, "'{' after the flags' base type");
    ast::EnumDecl members;  // parse_enum_member fills an enum's member list
    while (!at(TokenKind::r_brace) && !at(TokenKind::eof) && !starts_declaration(tok_.kind)) {
      try {
        parse_enum_member(members);
      } catch (const SyntaxError&) {
        skip_enum_member();
      }
    }
    decl->members = std::move(members.members);
    expect(TokenKind::r_brace, fmt::format("'}}' at the end of flags '{}'", decl->name));
    decl->range = from(begin);
    module_->decls.emplace_back(std::move(decl));
  }

  void parse_enum_member(ast::EnumDecl& decl) {
    const std::uint32_t begin = tok_.range.begin;
    ast::EnumMember member;
    member.doc = tok_.doc;
    Token name = expect_name("an enum member name");
    member.name = std::move(name.text);
    if (accept(TokenKind::assign)) member.value = parse_expr();
    member.range = from(begin);
    if (!at(TokenKind::r_brace)) expect(TokenKind::comma, "',' or '}' after the enum member");
    decl.members.push_back(std::move(member));
  }

  void parse_struct() {
    const std::uint32_t begin = tok_.range.begin;
    auto decl = std::make_unique<ast::StructDecl>();
    decl->doc = tok_.doc;
    decl->module = module_.get();
    advance();
    Token name = expect_name("a struct name after 'struct'");
    decl->name = std::move(name.text);
    decl->name_range = name.range;
    if (at(TokenKind::l_paren)) parse_struct_params(*decl);
    for (;;) {
      if (at(TokenKind::kw_endian)) {
        const SourceRange keyword = tok_.range;
        advance();
        if (decl->endian || !decl->endian_param_name.empty()) {
          diags_.error(keyword, "duplicate 'endian' clause");
        }
        if (at(TokenKind::identifier)) {
          // `endian order`: a parameter of type endian decides it at run time.
          decl->endian_param_name = tok_.text;
          decl->endian_param_range = tok_.range;
          advance();
          continue;
        }
        const ast::ByteOrder order = parse_byte_order();
        decl->endian = order;
      } else if (at(TokenKind::kw_bitorder)) {
        const SourceRange keyword = tok_.range;
        advance();
        const ast::BitOrder order = parse_bit_order();
        if (decl->bitorder) diags_.error(keyword, "duplicate 'bitorder' clause");
        decl->bitorder = order;
      } else {
        break;
      }
    }
    expect(TokenKind::l_brace, "'{' after the struct name");
    while (!at(TokenKind::r_brace) && !at(TokenKind::eof) && !starts_declaration(tok_.kind)) {
      const std::uint32_t before = tok_.range.begin;
      try {
        decl->members.push_back(parse_member());
      } catch (const SyntaxError&) {
        skip_member();
        if (tok_.range.begin == before && !at(TokenKind::r_brace) && !at(TokenKind::eof) &&
            !starts_declaration(tok_.kind)) {
          advance();
        }
      }
    }
    // Push the struct even when '}' is missing: its members parsed fine.
    const bool closed = at(TokenKind::r_brace);
    if (closed) advance();
    decl->range = from(begin);
    const std::string struct_name = decl->name;
    module_->decls.emplace_back(std::move(decl));
    if (!closed) fail_expected(fmt::format("'}}' at the end of struct '{}'", struct_name));
  }

  // `(name: type, order: endian)` after a struct's name.
  void parse_struct_params(ast::StructDecl& decl) {
    advance();  // '('
    if (at(TokenKind::r_paren)) {
      fail("a parameter list cannot be empty", "remove the '()'");
    }
    for (;;) {
      const std::uint32_t begin = tok_.range.begin;
      ast::Param param;
      Token name = expect_member_name("a parameter name");
      param.name = std::move(name.text);
      param.name_range = name.range;
      expect(TokenKind::colon, fmt::format("':' after parameter name '{}'", param.name));
      if (accept(TokenKind::kw_endian)) {
        param.is_endian = true;
      } else {
        const std::uint32_t type_begin = tok_.range.begin;
        ast::NamedType named;
        SourceRange ignored;
        named.parts =
            parse_qualified_name("a parameter type (an integer type or 'endian')", ignored);
        param.type = std::make_unique<ast::TypeExpr>();
        param.type->node = std::move(named);
        param.type->range = from(type_begin);
      }
      param.range = from(begin);
      decl.params.push_back(std::move(param));
      if (accept(TokenKind::comma)) continue;
      expect(TokenKind::r_paren, "',' or ')' after the parameter");
      return;
    }
  }

  // `let name = expr;`, the keyword already consumed.
  ast::Let parse_let(std::uint32_t begin, std::string doc) {
    ast::Let let;
    let.doc = std::move(doc);
    Token name = expect_member_name("a name after 'let'");
    let.name = std::move(name.text);
    let.name_range = name.range;
    expect(TokenKind::assign, fmt::format("'=' after 'let {}'", let.name));
    let.value = parse_expr();
    expect(TokenKind::semicolon, "';' after 'let'");
    let.range = from(begin);
    return let;
  }

  // `align n;`, the keyword already consumed.
  ast::Align parse_align(std::uint32_t begin) {
    ast::Align align;
    align.alignment = parse_expr();
    expect(TokenKind::semicolon, "';' after 'align'");
    align.range = from(begin);
    return align;
  }

  // ------------------------------------------------------------ members

  ast::Member parse_member() {
    const std::uint32_t begin = tok_.range.begin;
    if (accept(TokenKind::kw_pad)) {
      ast::Pad pad;
      pad.size = parse_expr();
      expect(TokenKind::semicolon, "';' after 'pad'");
      pad.range = from(begin);
      return pad;
    }
    if (accept(TokenKind::kw_require)) {
      ast::Require req;
      req.condition = parse_expr();
      expect(TokenKind::semicolon, "';' after 'require'");
      req.range = from(begin);
      return req;
    }
    if (at(TokenKind::reserved)) {
      // `let x = ...;`, `align 4;`: constructs of the next revision. `checksum: u16;`
      // is a field that happens to use the word; one token of lookahead tells them apart.
      Token word = tok_;
      advance();
      if (word.text == "let" && !at(TokenKind::colon)) return parse_let(begin, word.doc);
      if (word.text == "align" && !at(TokenKind::colon)) return parse_align(begin);
      if (!at(TokenKind::colon)) {
        diags_.error(word.range, reserved_word_message(word.text),
                     "a struct holds fields, 'let', 'align', 'pad' and 'require'");
        throw SyntaxError{};
      }
      word.kind = TokenKind::identifier;
      return parse_field(begin, std::move(word));
    }
    Token name = expect_name("a field name, 'pad', 'require' or '}'");
    return parse_field(begin, std::move(name));
  }

  ast::Field parse_field(std::uint32_t begin, Token name) {
    ast::Field field;
    field.doc = name.doc;
    field.name = std::move(name.text);
    field.name_range = name.range;
    expect(TokenKind::colon, fmt::format("':' after field name '{}'", field.name));
    field.type = parse_type(/*in_arm=*/false);
    if (at(TokenKind::identifier) && tok_.text == "at") {  // a reference: nothing else follows
      advance();
      field.at = parse_expr();
      expect(TokenKind::semicolon, "';' after the reference's offset");
      field.range = from(begin);
      return field;
    }
    if (at(TokenKind::identifier) && tok_.text == "peek") {  // read, not consumed
      field.peek_range = tok_.range;
      field.peek = true;
      advance();
    }
    if (at(TokenKind::reserved) && tok_.text == "if") {
      advance();
      field.condition = parse_expr();
    }
    for (;;) {
      const std::uint32_t constraint_begin = tok_.range.begin;
      if (at(TokenKind::reserved) && tok_.text == "checksum") {
        if (field.checksum) fail("a field holds one checksum", "remove the second 'checksum'");
        field.checksum = parse_checksum();
        continue;
      }
      ast::ConstraintKind kind;
      if (accept(TokenKind::eq_eq)) {
        kind = ast::ConstraintKind::equals;
      } else if (accept(TokenKind::kw_where)) {
        kind = ast::ConstraintKind::where;
      } else {
        break;
      }
      ast::Constraint c;
      c.kind = kind;
      c.expr = parse_expr();
      c.range = from(constraint_begin);
      field.constraints.push_back(std::move(c));
    }
    if (at(TokenKind::reserved) && tok_.text == "if") {
      fail("'if' comes right after the field's type",
           "write 'name: T if condition' before '==', 'where' and 'checksum'");
    }
    expect(TokenKind::semicolon, "';' after field");
    field.range = from(begin);
    return field;
  }

  // `checksum ALGORITHM [(length)] [pseudo] [zero_means_none]`, at `checksum`.
  ast::ChecksumSpec parse_checksum() {
    const std::uint32_t begin = tok_.range.begin;
    advance();
    ast::ChecksumSpec spec;
    Token algorithm = expect_name("a checksum algorithm after 'checksum' (internet)");
    spec.algorithm_range = algorithm.range;
    spec.algorithm_name = algorithm.text;
    if (accept(TokenKind::l_paren)) {
      spec.length = parse_expr();
      expect(TokenKind::r_paren, "')' after the checksum's length");
    }
    while (at(TokenKind::identifier)) {
      bool* flag = tok_.text == "pseudo"            ? &spec.pseudo_header
                   : tok_.text == "zero_means_none" ? &spec.zero_means_none
                                                    : nullptr;
      if (flag == nullptr) {
        fail(fmt::format("expected 'pseudo', 'zero_means_none', a constraint or ';', found '{}'",
                         tok_.text));
      }
      if (*flag) fail(fmt::format("'{}' is given twice", tok_.text));
      *flag = true;
      advance();
    }
    spec.range = from(begin);
    return spec;
  }

  ast::TypeExprPtr parse_type(bool in_arm) {
    const std::uint32_t begin = tok_.range.begin;
    auto type = std::make_unique<ast::TypeExpr>();
    if (at(TokenKind::kw_switch)) {
      if (in_arm) {
        fail("a switch arm cannot be another switch",
             "put the inner switch in a struct and use the struct as the arm's type");
      }
      type->node = parse_switch();
    } else if (at(TokenKind::reserved) && tok_.text == "string") {
      type->node = parse_string_type();
    } else if (accept(TokenKind::kw_bytes)) {
      ast::BytesType bytes;
      expect(TokenKind::l_bracket, "'[' after 'bytes'");
      if (!at(TokenKind::r_bracket)) bytes.count = parse_expr();
      expect(TokenKind::r_bracket, "']' after the byte count");
      type->node = std::move(bytes);
    } else {
      ast::NamedType named;
      SourceRange ignored;
      // `varint` is a builtin type name, though reserved as a declaration keyword.
      if (at(TokenKind::reserved) && tok_.text == "varint") tok_.kind = TokenKind::identifier;
      named.parts = parse_qualified_name("a type after ':'", ignored);
      if (named.parts.size() == 1 && named.parts[0] == "cstring") {
        ast::BytesType cstring;
        cstring.kind = ast::BytesKind::cstring;
        // `cstring[n]`: text NUL-padded to a field of n bytes (BOOTP's sname).
        if (accept(TokenKind::l_bracket)) {
          if (at(TokenKind::r_bracket)) {
            fail("a cstring's end is its NUL: 'cstring[]' has no meaning",
                 "write 'cstring' (up to a NUL) or 'cstring[n]' (a field of n bytes)");
          }
          cstring.count = parse_expr();
          expect(TokenKind::r_bracket, "']' after the size of the cstring field");
        }
        type->node = std::move(cstring);
        type->range = from(begin);
        return type;
      }
      if (at(TokenKind::l_paren)) parse_type_arguments(named);
      if (at(TokenKind::l_bracket)) {
        auto element = std::make_unique<ast::TypeExpr>();
        element->range = from(begin);
        element->node = std::move(named);
        advance();
        ast::ArrayType array;
        array.element = std::move(element);
        if (accept(TokenKind::r_bracket)) {
          if (accept(TokenKind::kw_size)) array.byte_size = parse_size_clause();
        } else {
          array.count = parse_expr();
          expect(TokenKind::r_bracket, "']' after the element count");
        }
        parse_carry_clause(array);
        parse_until_clause(array);
        if (!array.carry) parse_carry_clause(array);
        type->node = std::move(array);
      } else {
        type->node = std::move(named);
      }
    }
    type->range = from(begin);
    return type;
  }

  // `(a, b)` after a parameterised struct's name.
  void parse_type_arguments(ast::NamedType& named) {
    const std::uint32_t begin = tok_.range.begin;
    advance();  // '('
    named.has_arguments = true;
    if (!at(TokenKind::r_paren)) {
      named.arguments.push_back(parse_expr());
      while (accept(TokenKind::comma)) named.arguments.push_back(parse_expr());
    }
    expect(TokenKind::r_paren, "',' or ')' after the argument");
    named.arguments_range = from(begin);
  }

  // `string[n]`, `string[]`: like bytes, read as text.
  ast::BytesType parse_string_type() {
    advance();  // 'string'
    ast::BytesType str;
    str.kind = ast::BytesKind::string;
    expect(TokenKind::l_bracket, "'[' after 'string'");
    if (!at(TokenKind::r_bracket)) str.count = parse_expr();
    expect(TokenKind::r_bracket, "']' after the string's length");
    return str;
  }

  // `until (cond)` after an array's brackets, before or after its `size(n)`.
  void parse_until_clause(ast::ArrayType& array) {
    if (!(at(TokenKind::reserved) && tok_.text == "until")) return;
    advance();
    expect(TokenKind::l_paren, "'(' after 'until'");
    array.until = parse_expr();
    expect(TokenKind::r_paren, "')' after the 'until' condition");
    if (!array.byte_size && !array.count && accept(TokenKind::kw_size)) {
      array.byte_size = parse_size_clause();
    }
  }

  // `carry (name = initial, next)` after an array's brackets, before or after its
  // `until`. `carry` is contextual (like `at` and `peek`): still a valid name.
  void parse_carry_clause(ast::ArrayType& array) {
    if (!(at(TokenKind::identifier) && tok_.text == "carry")) return;
    const std::uint32_t begin = tok_.range.begin;
    advance();
    auto carry = std::make_unique<ast::CarryClause>();
    expect(TokenKind::l_paren, "'(' after 'carry'");
    const Token name = expect_name("the carried parameter's name after 'carry ('");
    carry->name = name.text;
    carry->name_range = name.range;
    expect(TokenKind::assign, fmt::format("'=' and the first value after '{}'", carry->name));
    carry->initial = parse_expr();
    expect(TokenKind::comma, "',' and the next element's value after the first value");
    carry->next = parse_expr();
    expect(TokenKind::r_paren, "')' after the carried value");
    carry->range = from(begin);
    array.carry = std::move(carry);
  }

  // The `(n)` of a `size(n)` clause, the keyword already consumed.
  ast::ExprPtr parse_size_clause() {
    expect(TokenKind::l_paren, "'(' after 'size'");
    ast::ExprPtr e = parse_expr();
    expect(TokenKind::r_paren, "')' after the size");
    return e;
  }

  ast::SwitchType parse_switch() {
    advance();  // 'switch'
    ast::SwitchType sw;
    expect(TokenKind::l_paren, "'(' after 'switch'");
    sw.tag = parse_expr();
    expect(TokenKind::r_paren, "')' after the switch tag");
    expect(TokenKind::l_brace, "'{' after the switch tag");
    while (!at(TokenKind::r_brace) && !at(TokenKind::eof) && !starts_declaration(tok_.kind)) {
      const std::uint32_t before = tok_.range.begin;
      try {
        sw.arms.push_back(parse_arm());
      } catch (const SyntaxError&) {
        skip_member();
        if (tok_.range.begin == before && !at(TokenKind::r_brace) && !at(TokenKind::eof) &&
            !starts_declaration(tok_.kind)) {
          advance();
        }
      }
    }
    expect(TokenKind::r_brace, "'}' at the end of the switch");
    if (accept(TokenKind::kw_size)) sw.byte_size = parse_size_clause();
    return sw;
  }

  ast::SwitchArm parse_arm() {
    const std::uint32_t begin = tok_.range.begin;
    ast::SwitchArm arm;
    if (accept(TokenKind::kw_default)) {
      arm.is_default = true;
    } else if (accept(TokenKind::kw_case)) {
      arm.cases.push_back(parse_expr());
      while (accept(TokenKind::comma)) arm.cases.push_back(parse_expr());
    } else {
      fail_expected("'case', 'default' or '}' in the switch");
    }
    expect(TokenKind::arrow,
           arm.is_default ? "'=>' after 'default'" : "'=>' after the case values");
    Token name = expect_member_name("the arm's name after '=>'");
    arm.name = std::move(name.text);
    arm.name_range = name.range;
    expect(TokenKind::colon, fmt::format("':' after arm name '{}'", arm.name));
    arm.type = parse_type(/*in_arm=*/true);
    expect(TokenKind::semicolon, "';' after the switch arm");
    arm.range = from(begin);
    return arm;
  }

  // ------------------------------------------------------------ expressions

  // Counts nesting for kMaxDepth; unwinds with the SyntaxError too.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& p) : p_(p) {
      if (p_.depth_ >= kMaxDepth) {
        p_.fail("expression is nested too deeply",
                fmt::format("at most {} levels of nesting are supported", kMaxDepth));
      }
      ++p_.depth_;
    }
    ~DepthGuard() { --p_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& p_;
  };

  ast::ExprPtr parse_expr() {
    const DepthGuard guard(*this);
    return parse_conditional();
  }

  // A chain `a + a + ... + a` is parsed by a loop, not by recursion, but every
  // later stage walks the tree it builds recursively: its height (operators on
  // the path to the deepest operand) is limited like parentheses are. last_height_ is
  // the height of the expression the parser just finished; `op` is the operator
  // that adds a level, where the error points.
  void set_height(int height, SourceRange op) {
    if (height > kMaxDepth) {
      diags_.error(op, "expression has too many operators",
                   fmt::format("at most {} levels of operators are supported (each operator of a "
                               "chain `a + b + ...` is one); split it with 'let'",
                               kMaxDepth));
      throw SyntaxError{};
    }
    last_height_ = height;
  }

  ast::ExprPtr parse_conditional() {
    ast::ExprPtr condition = parse_binary(0);
    const SourceRange question = tok_.range;
    if (!accept(TokenKind::question)) return condition;
    const int condition_height = last_height_;
    auto e = std::make_unique<ast::Expr>();
    const std::uint32_t begin = condition->range.begin;
    ast::Conditional c;
    c.condition = std::move(condition);
    c.if_true = parse_expr();
    const int true_height = last_height_;
    expect(TokenKind::colon, "':' in the conditional expression");
    c.if_false = parse_expr();  // right-associative: a ? b : c ? d : e
    set_height(std::max({condition_height, true_height, last_height_}) + 1, question);
    e->node = std::move(c);
    e->range = from(begin);
    return e;
  }

  ast::ExprPtr parse_binary(std::size_t level) {
    if (level == kBinaryLevels.size()) return parse_unary();
    ast::ExprPtr lhs = parse_binary(level + 1);
    for (;;) {
      const int lhs_height = last_height_;
      const BinaryLevel& ops = kBinaryLevels[level];
      const ast::BinaryOp* op = nullptr;
      for (std::size_t i = 0; i < ops.count; ++i) {
        if (at(ops.ops[i].first)) op = &ops.ops[i].second;
      }
      if (op == nullptr) return lhs;
      const ast::BinaryOp which = *op;
      const SourceRange op_range = tok_.range;
      advance();
      ast::ExprPtr rhs = parse_binary(level + 1);
      set_height(std::max(lhs_height, last_height_) + 1, op_range);
      auto e = std::make_unique<ast::Expr>();
      const std::uint32_t begin = lhs->range.begin;
      e->node = ast::Binary{which, std::move(lhs), std::move(rhs)};
      e->range = from(begin);
      lhs = std::move(e);
    }
  }

  ast::ExprPtr parse_unary() {
    const std::uint32_t begin = tok_.range.begin;
    ast::UnaryOp op;
    if (at(TokenKind::minus)) {
      op = ast::UnaryOp::negate;
    } else if (at(TokenKind::tilde)) {
      op = ast::UnaryOp::bit_not;
    } else if (at(TokenKind::bang)) {
      op = ast::UnaryOp::logical_not;
    } else {
      return parse_primary();
    }
    const SourceRange op_range = tok_.range;
    advance();
    const DepthGuard guard(*this);
    ast::ExprPtr operand = parse_unary();
    set_height(last_height_ + 1, op_range);
    auto e = std::make_unique<ast::Expr>();
    e->node = ast::Unary{op, std::move(operand)};
    e->range = from(begin);
    return e;
  }

  // `count(x)` / `size(x)` after the word (and, when `open`, the '(').
  ast::NameRef parse_measure(ast::Measure measure, bool open = false) {
    const std::string_view word = measure == ast::Measure::count ? "count" : "size";
    if (!open) expect(TokenKind::l_paren, fmt::format("'(' after '{}' in an expression", word));
    ast::NameRef ref;
    ref.measure = measure;
    ref.parts.push_back(expect_member_name(fmt::format("a field name in {}(...)", word)).text);
    expect(TokenKind::r_paren, fmt::format("')' after the field name of {}(...)", word));
    return ref;
  }

  ast::ExprPtr parse_primary() {
    const std::uint32_t begin = tok_.range.begin;
    auto e = std::make_unique<ast::Expr>();
    if (at(TokenKind::integer)) {
      e->node = ast::IntLiteral{tok_.value};
      advance();
    } else if (at(TokenKind::string)) {
      e->node = ast::StringLiteral{tok_.text};
      advance();
    } else if (accept(TokenKind::kw_size)) {
      e->node = parse_measure(ast::Measure::size);
    } else if (at(TokenKind::identifier) || at(TokenKind::reserved)) {
      ast::NameRef ref;
      ref.parts.push_back(expect_member_name("a name").text);
      // `count(x)`: no other name is followed by '(' in an expression, so a field
      // called `count` stays readable as `count`.
      if (ref.parts[0] == "count" && accept(TokenKind::l_paren)) {
        e->node = parse_measure(ast::Measure::count, true);
      } else {
        while (accept(TokenKind::dot)) ref.parts.push_back(expect_name("a name after '.'").text);
        e->node = std::move(ref);
      }
    } else if (at(TokenKind::kw_big) || at(TokenKind::kw_little)) {
      // Byte-order literals, for `let order = ... ? little : big;` and endian arguments.
      ast::NameRef ref;
      ref.parts.push_back(tok_.text);
      ref.order_literal = at(TokenKind::kw_big) ? ast::ByteOrder::big : ast::ByteOrder::little;
      advance();
      e->node = std::move(ref);
    } else if (accept(TokenKind::l_paren)) {
      ast::ExprPtr inner = parse_expr();
      expect(TokenKind::r_paren, "')'");
      inner->range = from(begin);  // the text quoted in errors keeps its parentheses
      return inner;
    } else {
      fail_expected("an expression");
    }
    last_height_ = 0;
    e->range = from(begin);
    return e;
  }

  const SourceFile& file_;
  Diagnostics& diags_;
  lex::Lexer lexer_;
  Token tok_;
  std::uint32_t prev_end_ = 0;
  std::unique_ptr<ast::Module> module_;
  bool seen_bitorder_ = false;
  bool prev_malformed_ = false;
  int depth_ = 0;
  int last_height_ = 0;
};

}  // namespace

std::unique_ptr<ast::Module> parse(const SourceFile& file, Diagnostics& diags) {
  Parser parser(file, diags);
  return parser.parse_module();
}

}  // namespace lpc::parse
