// Upper bounds on what parse() can consume, from the schema alone: the fuzz kit
// passes the root's bound to libFuzzer as -max_len (docs/fuzzing.md, "-max_len").
//
// A struct is bounded when every length, count and size it reads is bounded by
// the values its fields can hold (their width, narrowed by `where` comparisons
// with constants) and every array, bytes field and switch has such a length.
// It is unbounded when a `bytes[]`, `T[]` or `until` list runs to the end of the
// buffer, a `cstring` has no size, an expression reads `remaining`, or a
// recursive switch arm nests it in itself.
//
// Cost: linear in the members of the structs reached, each struct once.
// Lifetime: nothing is kept; the answers are plain numbers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "ast/ast.hpp"
#include "layout/layout.hpp"

namespace lpc::plan {

// Bounds above this are treated as unbounded: no input of interest is this large,
// and the arithmetic stays far from overflow.
inline constexpr std::uint64_t kBoundLimit = std::uint64_t{1} << 48;

class InputBounds {
 public:
  explicit InputBounds(const layout::ProgramLayout& layouts) : layouts_(&layouts) {}

  // The most bytes parse() of `decl` can consume; null when unbounded.
  std::optional<std::uint64_t> max_bytes(const ast::StructDecl& decl);

 private:
  std::optional<std::uint64_t> member_bytes(const layout::MemberLayout& m);
  std::optional<std::uint64_t> type_bytes(const ast::TypeExpr& type);

  const layout::ProgramLayout* layouts_;
  // A struct being computed answers unbounded: it contains itself.
  std::map<const ast::StructDecl*, std::optional<std::uint64_t>> memo_;
};

}  // namespace lpc::plan
