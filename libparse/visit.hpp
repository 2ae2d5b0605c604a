// lp::FieldVisitor and the lp::view concept: the one reflective hook every
// generated view has.
//
// A view's visit(visitor) reports its own fields in schema order; a nested
// struct is reported as begin_struct(), the child's own visit(), end_struct();
// an array as begin_array(), its elements (with an empty name), end_array().
// The view does not report itself: whoever starts the walk knows V::type_name.
// Formatting, JSON and the annotated hex dump (format.hpp) are all visitors, so
// they work for every generated type without code generated per format.
//
// Cost: one virtual call per field; visiting allocates nothing itself. The
// string_views and lp::bytes handed to a visitor point into the view's buffer
// or static storage, so they live as long as the buffer does.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "libparse/bytes.hpp"
#include "libparse/flags.hpp"

namespace lp {

class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;

  // `where`: the bytes the field occupies (for bit fields: the bytes that hold it).
  virtual void on_unsigned(std::string_view name, std::uint64_t v, lp::bytes where) = 0;
  virtual void on_signed(std::string_view name, std::int64_t v, lp::bytes where) = 0;
  virtual void on_float(std::string_view name, double v, lp::bytes where) = 0;
  // `member` is "" when the raw value names no enum member.
  virtual void on_enum(std::string_view name, std::uint64_t raw, std::string_view member,
                       lp::bytes where) = 0;
  virtual void on_bytes(std::string_view name, lp::bytes v) = 0;
  // `string[n]`, `string[]`, `cstring` fields: the text, without a terminating
  // NUL. The default reports the same bytes through on_bytes(), so visitors
  // written before strings existed keep working.
  virtual void on_string(std::string_view name, std::string_view v) {
    on_bytes(name, lp::bytes(v));
  }
  // Fields of a `flags` type: the raw value and the type's named bits. The
  // default reports the raw value through on_unsigned().
  virtual void on_flags(std::string_view name, std::uint64_t raw,
                        std::span<const lp::flag_name> names, lp::bytes where) {
    static_cast<void>(names);
    on_unsigned(name, raw, where);
  }
  virtual void begin_struct(std::string_view name, std::string_view type_name, lp::bytes where) = 0;
  virtual void end_struct() = 0;
  virtual void begin_array(std::string_view name, std::size_t count, lp::bytes where) = 0;
  virtual void end_array() = 0;  // elements are reported with an empty name

 protected:
  // Visitors are used through references; copying one through the base would slice.
  FieldVisitor() = default;
  FieldVisitor(const FieldVisitor&) = default;
  FieldVisitor& operator=(const FieldVisitor&) = default;
};

// Anything generated code calls a view: a type name, the bytes it spans, visit().
template <class V>
concept view = requires(const V& v, FieldVisitor& f) {
  { V::type_name } -> std::convertible_to<std::string_view>;
  { v.bytes() } -> std::same_as<lp::bytes>;
  v.visit(f);
};

}  // namespace lp
