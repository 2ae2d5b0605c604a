// Queries over a checked (sema-annotated) AST that several stages need: the
// signedness rule of expressions, constant folding with the run-time overflow
// rules of docs/schema-language.md §22, the value range and fixed size of types.
//
// Cost: each call walks the expression or type once (struct sizes recurse into
// nested structs; recursion has been rejected by sema before anyone asks).
// Lifetime: results are plain values; nothing keeps a pointer into the AST.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "ast/ast.hpp"

namespace lpc::sema {

// A 64-bit value as the schema language computes it: unsigned, or signed when the
// expression had a signed operand.
struct Value {
  bool is_signed = false;
  std::uint64_t bits = 0;  // the unsigned value, or the two's complement of the signed one

  static Value of_unsigned(std::uint64_t v) { return {false, v}; }
  static Value of_signed(std::int64_t v) { return {true, static_cast<std::uint64_t>(v)}; }
  std::int64_t as_signed() const { return static_cast<std::int64_t>(bits); }
  bool is_negative() const { return is_signed && as_signed() < 0; }
};

// -1 when a < b, 0 when equal, 1 when a > b, comparing mathematical values.
int compare(const Value& a, const Value& b);

enum class EvalStatus : std::uint8_t { ok, not_constant, overflow };

struct EvalResult {
  EvalStatus status = EvalStatus::not_constant;
  Value value;
};

// True when the expression is evaluated as signed 64-bit: it has a signed field,
// a negative literal (`-` applied to a literal) or a negative constant.
bool is_signed_expression(const ast::Expr& expr);

// Folds an expression made of literals, constants and enum members (all resolved).
// A field anywhere on an evaluated path gives not_constant.
EvalResult evaluate_constant(const ast::Expr& expr);

// The same with `field` (a field of the expression's struct) holding `value`,
// as its unsigned bits: whether a value meets a constraint on its own field.
EvalResult evaluate_with_field(const ast::Expr& expr, const ast::Field& field, std::uint64_t value);

// Inclusive range of the values a field of this (resolved) integer or enum type holds.
struct ValueRange {
  Value min;
  Value max;
};
ValueRange value_range(const ast::NamedType& type);

// Width in bits of a resolved scalar type (integer, enum, float); 0 for structs.
unsigned scalar_bits(const ast::NamedType& type);

// Size in bytes of a type whose size does not depend on the data, or nullopt.
// Struct sizes are bit sums of their members; a struct whose bits do not add up to
// whole bytes has no byte size.
// Each struct's size is computed once per StructSizes (a struct held twice by
// each of a chain of structs would otherwise cost 2^n); pass one to answer many
// questions about the same checked program.
using StructSizes = std::map<const ast::StructDecl*, std::optional<std::uint64_t>>;
std::optional<std::uint64_t> fixed_size_bits(const ast::TypeExpr& type);
std::optional<std::uint64_t> fixed_size_bits(const ast::StructDecl& decl);
std::optional<std::uint64_t> fixed_size_bits(const ast::TypeExpr& type, StructSizes& sizes);
std::optional<std::uint64_t> fixed_size_bits(const ast::StructDecl& decl, StructSizes& sizes);

}  // namespace lpc::sema
