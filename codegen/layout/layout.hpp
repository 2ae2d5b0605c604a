// Layout: where every field of every struct sits (constant offsets vs offsets
// known only after parse()), how wide it is, and which fields start a new
// dynamic segment. Input: a checked Program. Output: plain data for the emitter.
//
// A struct is cut into segments. Segment 0 starts at the struct's first byte;
// segment k > 0 starts right after the k-th member whose size is known only at
// run time (bytes[expr], bytes[], arrays of run-time length, switches, structs
// that are not fixed-size, pad expr). Inside a segment every member has a constant
// bit offset, so a generated accessor is one load at `segment start + constant`.
//
// Cost: linear in the number of members. Lifetime: the layout points into the
// Program it was computed from and must not outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"

namespace lpc::layout {

enum class MemberKind : std::uint8_t {
  byte_integer,  // integer or enum of 8..64 bits (a multiple of 8) on a byte boundary
  bit_field,     // integer or enum inside a bit group
  floating,      // f32 / f64
  nested,        // a struct
  bytes,         // bytes[n] / bytes[]
  array,         // T[n], T[] size(n), T[], T[] until (...)
  varint,        // varint, zigzag, quicvarint: 1 to 10 bytes, known after parse()
  switch_,       // a tagged union
  pad,           // pad n
  let,           // let name = expr: no bytes, a value parse() computes
  align,         // align n: padding up to a multiple of n bytes from the struct's start
};

struct MemberLayout {
  const ast::Member* member = nullptr;  // a Field, Pad, Let or Align (not Require)
  const ast::Field* field = nullptr;    // null for pad, let and align
  MemberKind kind = MemberKind::pad;
  std::size_t segment = 0;                       // which segment the member starts in
  std::uint64_t bit_offset = 0;                  // from the start of that segment
  std::optional<std::uint64_t> bit_width;        // null when the size is known only at run time
  bool is_dynamic = false;                       // !bit_width: the next member starts segment + 1
  std::optional<ast::ByteOrder> byte_order;      // byte_integer wider than 8 bits, floating, arrays
  ast::BitOrder bit_order = ast::BitOrder::msb;  // bit_field
  // Scalars and array elements: the resolved type (integer, enum, float or struct).
  const ast::NamedType* scalar = nullptr;
  std::uint64_t element_bytes = 0;   // arrays: size of one element
  bool elements_need_parse = false;  // arrays of structs that carry constraints
  // Arrays of variable-size structs (a lazy forward range; element_bytes is 0).
  bool lazy = false;
  // Arrays whose element count parse() finds and stores: lazy arrays, `until` arrays.
  bool stores_count = false;
  // Optional fields (`x: T if cond`) are dynamic: they take present_bits, or
  // nothing. present_bits is null when the present size is itself run-time.
  bool optional = false;
  std::optional<std::uint64_t> present_bits;
  // `x: u8 peek`: read at its position, takes no bytes (present_bits is its
  // width; the member is dynamic, its end is its start).
  bool peek = false;
  // The byte order is the struct's endian parameter (`endian order`), chosen at
  // run time; byte_order is then null.
  bool runtime_order = false;
};

struct SegmentLayout {
  std::size_t first_member = 0;   // index into StructLayout::members
  std::size_t end_member = 0;     // one past the last member of the segment
  std::uint64_t fixed_bytes = 0;  // bytes of the constant-size run at the segment's start
};

struct StructLayout {
  const ast::StructDecl* decl = nullptr;
  std::vector<MemberLayout> members;  // fields and pads, in source order
  std::vector<SegmentLayout> segments;
  // `name: T at offset;` fields: no bytes, no member layout; their accessors read
  // the target through an lp::PointerChain.
  std::vector<const ast::Field*> references;
  std::optional<std::uint64_t> fixed_size;  // bytes, when no member is dynamic
  std::uint64_t min_size = 0;               // bytes before the first dynamic member
  bool has_checks = false;  // constraints or requires here or in nested fixed-size parts
  ast::BitOrder bit_order = ast::BitOrder::msb;

  const MemberLayout* find(const ast::Field& field) const;
};

struct ProgramLayout {
  std::map<const ast::StructDecl*, StructLayout> structs;

  const StructLayout& of(const ast::StructDecl& decl) const { return structs.at(&decl); }
};

// Null when a layout problem was reported into diags.
std::unique_ptr<ProgramLayout> compute(const ast::Program& program, Diagnostics& diags);

}  // namespace lpc::layout
