// The abstract syntax tree of a schema file: what the parser builds, what the
// semantic checks read and annotate, what layout and the emitter consume.
//
// Ownership: a Program owns its SourceFiles and Modules; every node owns its
// children through unique_ptr or by value. Nodes never point back up the tree;
// the "resolved" members are filled in by sema (codegen/sema) and are null or
// empty straight after parsing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "diag/source.hpp"

namespace lpc::ast {

enum class ByteOrder : std::uint8_t { big, little };
enum class BitOrder : std::uint8_t { msb, lsb };

struct EnumDecl;
struct StructDecl;
struct ConstDecl;
struct Field;
struct Let;
struct CarryClause;
struct Param;
struct NamedType;
struct FlagsDecl;
struct Module;

// ---------------------------------------------------------------- expressions

enum class UnaryOp : std::uint8_t { negate, bit_not, logical_not };

enum class BinaryOp : std::uint8_t {
  mul,
  div,
  mod,
  add,
  sub,
  shl,
  shr,
  lt,
  le,
  gt,
  ge,
  eq,
  ne,
  bit_and,
  bit_xor,
  bit_or,
  logical_and,
  logical_or,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct IntLiteral {
  std::uint64_t value = 0;
};

// `"MQTT"`: the bytes of a string literal, escapes resolved. Sema allows it only
// as an operand of `==` / `!=` whose other operand names a bytes, string or
// cstring field (a text comparison, docs/schema-language.md §22).
struct StringLiteral {
  std::string value;
};

// A name in an expression: `ihl`, `ETHERTYPE_IPV4`, `IpProto.UDP`, `net.MAX_LEN`,
// `net.IpProto.UDP`. The parser records the dotted parts; sema resolves them.
// `count(x)` and `size(x)` in an expression: the element count of array x, the
// bytes field x occupies (docs/schema-language.md §22).
enum class Measure : std::uint8_t { none, count, size };

struct NameRef {
  std::vector<std::string> parts;
  // Set by the parser for `count(x)` / `size(x)` (parts holds `x`); sema then sets
  // measured_field, and no other member.
  Measure measure = Measure::none;
  const Field* measured_field = nullptr;

  // Filled by sema: exactly one of these is set after a successful check.
  const Field* field = nullptr;         // an earlier field of the same struct
  const ConstDecl* constant = nullptr;  // a `const`
  const EnumDecl* enum_decl = nullptr;  // with enum_member_index: an enum member
  std::size_t enum_member_index = 0;
  const Let* let = nullptr;      // an earlier `let` of the same struct
  const Param* param = nullptr;  // a parameter of the struct
  // Inside `until (...)`: `it` (the element just read; element_type is its type)
  // or `it.kind` (element_field: a field of a struct element).
  const NamedType* element_type = nullptr;
  const Field* element_field = nullptr;
  // Inside a `carry (...)`'s next value: `it.number` may also name a let of the
  // element (element_let), and the carried name is the value the element just
  // read was given (carried).
  const Let* element_let = nullptr;
  const CarryClause* carried = nullptr;
  // `Flags.MEMBER`: the member's mask (1 << its bit position).
  const FlagsDecl* flags_decl = nullptr;
  std::size_t flags_member_index = 0;

  // Set by the parser for the byte-order literals `big` and `little` (§ byte order
  // at run time); such a name needs no resolving.
  std::optional<ByteOrder> order_literal;
  // The builtin `remaining` (set by sema when no field, let or parameter has that
  // name): the bytes of the struct's buffer from the current member on.
  bool remaining = false;
  // A bytes, string or cstring field compared with a string literal (`name ==
  // "MQTT"`): its bytes, not a number. `field` stays null.
  const Field* text_field = nullptr;
};

struct Unary {
  UnaryOp op;
  ExprPtr operand;
};

struct Binary {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
};

struct Conditional {
  ExprPtr condition;
  ExprPtr if_true;
  ExprPtr if_false;
};

struct Expr {
  SourceRange range;  // the whole expression; its text is what errors quote
  std::variant<IntLiteral, StringLiteral, NameRef, Unary, Binary, Conditional> node;
};

// ---------------------------------------------------------------- types

struct TypeExpr;
using TypeExprPtr = std::unique_ptr<TypeExpr>;

enum class VarintKind : std::uint8_t { none, leb128, zigzag, quic };

// A named type as written: `u16`, `u16le`, `i3`, `f32be`, `IpProto`, `Ipv4Addr`,
// `net.Ipv4Addr`.
struct NamedType {
  std::vector<std::string> parts;

  // Filled by sema.
  const EnumDecl* enum_decl = nullptr;
  const StructDecl* struct_decl = nullptr;
  // For builtin scalars (and enums, from their base): width in bits, signedness,
  // float-ness, and the explicit byte order of a `le`/`be` suffix.
  bool is_builtin = false;
  bool is_signed = false;
  bool is_float = false;
  unsigned bits = 0;
  std::optional<ByteOrder> explicit_order;
  // `varint`, `zigzag`, `quicvarint`: variable-size integers (bits = 64).
  VarintKind varint = VarintKind::none;
  const FlagsDecl* flags_decl = nullptr;  // a `flags` type: an integer of its base width

  // Arguments passed to a parameterised struct: `Options(ihl * 4 - 20, 1)`.
  // has_arguments tells `T()` (no arguments) from `T`.
  bool has_arguments = false;
  std::vector<ExprPtr> arguments;
  SourceRange arguments_range;  // from '(' to ')'
};

// `bytes[n]` (count set) or `bytes[]` (count null: rest of the buffer); the same
// for `string[n]` / `string[]`; `cstring` (NUL-terminated, count null) and
// `cstring[n]` (a field of n bytes holding text up to its first NUL, if any).
enum class BytesKind : std::uint8_t { bytes, string, cstring };
struct BytesType {
  ExprPtr count;
  BytesKind kind = BytesKind::bytes;
};

// `carry (prev = 0, it.number)` after a parameterised element's array: the
// element's parameter `prev` is not one value for the whole array but carried
// from element to element: the first element gets `initial`, each later one the
// value of `next` over the element before it (`it`) and the value that element
// got (`prev`). The element's argument list passes it by name: `CoapOption(prev)[]`.
struct CarryClause {
  SourceRange range;  // from `carry` to ')'
  std::string name;
  SourceRange name_range;
  ExprPtr initial;  // over earlier fields, lets, parameters and constants
  ExprPtr next;     // over `it`, the carried name and constants

  // Filled by sema: the element's parameter that receives the carried value, and
  // the array field's name (which names the carried value's locals: two arrays
  // of a struct may carry parameters of the same name).
  const Param* param = nullptr;
  std::size_t param_index = 0;
  std::string field;
};

// `T[n]`, `T[] size(n)`, `T[]`, each optionally followed by `until (cond)` and,
// for a parameterised struct element, `carry (...)`.
struct ArrayType {
  TypeExprPtr element;  // a NamedType
  ExprPtr count;        // `T[n]`; null otherwise
  ExprPtr byte_size;    // `T[] size(n)`; null otherwise
  ExprPtr until;        // `until (cond)`: the last element is the first for which cond holds
  std::unique_ptr<CarryClause> carry;  // `carry (...)`; null otherwise
};

struct SwitchArm {
  SourceRange range;
  std::vector<ExprPtr> cases;  // empty for the default arm
  bool is_default = false;
  std::string name;
  SourceRange name_range;
  TypeExprPtr type;
  // Set by sema: the arm's struct contains the switch's struct again (a recursive
  // format). Its view is not stored in the parent but re-read by the accessor.
  bool indirect = false;
};

struct SwitchType {
  ExprPtr tag;
  std::vector<SwitchArm> arms;
  ExprPtr byte_size;  // `switch (...) { ... } size(n)`; null when absent
};

struct TypeExpr {
  SourceRange range;
  std::variant<NamedType, BytesType, ArrayType, SwitchType> node;
};

// ---------------------------------------------------------------- declarations

enum class ConstraintKind : std::uint8_t {
  equals,  // `x: u4 == 4`  (rhs only; means `x == rhs`)
  where,   // `x: u4 where x >= 5`
};

struct Constraint {
  SourceRange range;  // from the `==` / `where` keyword to the end of the expression
  ConstraintKind kind;
  ExprPtr expr;  // the rhs for `equals`, the whole condition for `where`
};

enum class ChecksumAlgorithm : std::uint8_t { internet };

// `sum: u16 checksum internet(ihl * 4) pseudo zero_means_none;`: the field holds a
// checksum over the struct's first `length` bytes (all of them without a length),
// checked by verify_checksums() and written by update_checksums(), never by parse().
struct ChecksumSpec {
  SourceRange range;           // from `checksum` to the end of the clause
  std::string algorithm_name;  // as written; sema checks it names an algorithm
  SourceRange algorithm_range;
  ChecksumAlgorithm algorithm = ChecksumAlgorithm::internet;  // filled by sema
  ExprPtr length;              // bytes covered from the struct's first byte; null: the whole struct
  bool pseudo_header = false;  // a pseudo-header sum is passed in and added first
  bool zero_means_none = false;  // a transmitted 0 means "not computed" (UDP over IPv4)
};

struct Field {
  SourceRange range;  // the whole member, up to and including ';'
  SourceRange name_range;
  std::string name;  // "_" for anonymous fields
  std::string doc;   // `///` comments before it, markers stripped, lines joined by '\n'
  TypeExprPtr type;
  ExprPtr condition;  // `name: T if cond;` — an optional field; null otherwise
  std::vector<Constraint> constraints;
  std::optional<ChecksumSpec> checksum;  // `checksum internet ...`; absent otherwise
  // `target: DnsName at offset;`: a reference to byte `offset` of the enclosing
  // message, read on request through an lp::PointerChain. Occupies no bytes.
  ExprPtr at;
  // `next: u8 peek;`: the value at the current position, read but not consumed:
  // the next member starts where this one does.
  bool peek = false;
  SourceRange peek_range;
};

struct Pad {
  SourceRange range;
  ExprPtr size;
};

struct Require {
  SourceRange range;
  ExprPtr condition;
};

// `let name = expr;`: a value computed once by parse(), readable like a field.
struct Let {
  SourceRange range;
  SourceRange name_range;
  std::string name;
  std::string doc;
  ExprPtr value;

  // Filled by sema.
  bool is_endian = false;  // the value is a byte order (`big`, `little`, an endian parameter)
  bool is_signed = false;  // an integer evaluated as signed 64-bit
  // Reads count() or size(), directly or through another let: only constraints,
  // requires and lets may read it (serialize() never evaluates those).
  bool reads_measure = false;
};

// `align n;`: skips to the next multiple of n bytes from the start of the struct.
struct Align {
  SourceRange range;
  ExprPtr alignment;

  // Filled by sema: n, a positive constant.
  std::uint64_t resolved = 0;
};

// Struct members in source order.
using Member = std::variant<Field, Pad, Require, Let, Align>;

// A parameter of a struct: `struct Options(length: u32, order: endian)`.
struct Param {
  SourceRange range;
  SourceRange name_range;
  std::string name;
  bool is_endian = false;  // `endian`; otherwise `type` is an integer type
  TypeExprPtr type;        // a NamedType; null for `endian`
};

struct StructDecl {
  SourceRange range;
  SourceRange name_range;
  std::string name;
  std::string doc;
  std::optional<ByteOrder> endian;
  std::optional<BitOrder> bitorder;
  std::vector<Param> params;  // `struct S(a: u8, order: endian)`; empty without
  // `endian order`: the byte order is the endian parameter named here, chosen at run time.
  std::string endian_param_name;
  SourceRange endian_param_range;
  const Param* endian_param = nullptr;  // filled by sema
  std::vector<Member> members;
  const Module* module = nullptr;  // set by the parser: the file it is declared in
};

struct EnumMember {
  SourceRange range;
  std::string name;
  std::string doc;
  ExprPtr value;  // null when implicit (previous + 1)

  // Filled by sema.
  std::uint64_t resolved_value = 0;
};

struct EnumDecl {
  SourceRange range;
  SourceRange name_range;
  std::string name;
  std::string doc;
  TypeExprPtr base;  // a NamedType naming an unsigned builtin
  std::vector<EnumMember> members;
  const Module* module = nullptr;
};

struct ConstDecl {
  SourceRange range;
  SourceRange name_range;
  std::string name;
  std::string doc;
  ExprPtr value;
  const Module* module = nullptr;

  // Filled by sema.
  std::int64_t resolved_signed = 0;  // valid when resolved_is_negative
  std::uint64_t resolved_value = 0;  // valid otherwise
  bool resolved_is_negative = false;
};

// `flags Name : base { A, B = 4, ... }`: named bit positions in an integer.
// Members are EnumMembers whose resolved_value is the bit position.
struct FlagsDecl {
  SourceRange range;
  SourceRange name_range;
  std::string name;
  std::string doc;
  TypeExprPtr base;  // a NamedType naming an unsigned builtin
  std::vector<EnumMember> members;
  const Module* module = nullptr;
};

using Decl = std::variant<std::unique_ptr<ConstDecl>, std::unique_ptr<EnumDecl>,
                          std::unique_ptr<StructDecl>, std::unique_ptr<FlagsDecl>>;

struct Import {
  SourceRange range;
  std::string path;                // as written
  const Module* module = nullptr;  // set by the loader
  // Set by the loader: the imported file imports this one back, directly or through
  // others (an import cycle, docs/schema-language.md §2). Such an import's header is
  // included after this header's classes, and only switch arms and references may
  // name what it declares.
  bool in_cycle = false;
};

struct Module {
  const SourceFile* file = nullptr;
  // Path relative to the include root it was found under ("net/ipv4.lps"); decides
  // the generated header's path ("net/ipv4.lp.hpp") and its #include spelling.
  std::string include_path;
  std::vector<std::string> package;  // {"net"} or {"capture", "pcap"}
  SourceRange package_range;
  std::vector<Import> imports;
  std::optional<ByteOrder> endian;
  BitOrder bitorder = BitOrder::msb;
  std::vector<Decl> decls;  // source order
};

// Everything one lpc run reads: the files named on the command line (roots) and
// everything they import, modules in dependency order (imports before importers;
// within an import cycle, in the order the loader first finished them).
struct Program {
  std::vector<std::unique_ptr<SourceFile>> files;
  std::vector<std::unique_ptr<Module>> modules;
  std::vector<const Module*> roots;
};

}  // namespace lpc::ast
