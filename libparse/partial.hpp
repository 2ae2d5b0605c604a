// lp::Partial: what parse() had read when it stopped.
//
// A strict parse() is all or nothing, but a dissector wants every field whose
// bytes were there: the header of a packet whose payload is cut short, the
// addresses of a datagram with a bad option. Generated parse_partial() parses
// exactly like parse() and keeps the view as far as parsing got; lp::Partial
// says which fields of it are readable. parse() fills a view in declaration
// order and stores each field's extent before it parses the next, so every field
// declared before the one the error names is complete.
//
// The error's path tells each level where parsing stopped: a view at path level
// L (segment L is its type name) stopped at the field named by segment L + 1,
// and inside that field when the path goes deeper. A field that is not has()
// must not be read: its accessor may see offsets parse() never set.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "libparse/error.hpp"
#include "libparse/optional_value.hpp"

namespace lp {

// A generated view's members in declaration order, named as error paths name
// them; `field` is false for a member that is no Field (`_`, pads, alignment).
// The view's field_named() and field_rank() look names up in its table.
struct member_name {
  std::string_view name;
  bool field;
};

// The Field named `name` (nullopt for `_`, pads, alignment and unknown names).
template <class Field, std::size_t N>
constexpr optional_value<Field> field_named(const std::array<member_name, N>& members,
                                            std::string_view name) noexcept {
  std::size_t index = 0;
  for (const member_name& member : members) {
    if (!member.field) continue;
    if (member.name == name) return static_cast<Field>(index);
    ++index;
  }
  return std::nullopt;
}

// How many Fields come before the first member named `name`: parsed when an
// error names it (the Field count for no member: parsing stopped after the last).
// Unnamed members share names ("_", "pad"): the first is the conservative answer.
template <std::size_t N>
constexpr std::size_t field_rank(const std::array<member_name, N>& members,
                                 std::string_view name) noexcept {
  std::size_t rank = 0;
  for (const member_name& member : members) {
    if (member.name == name) return rank;
    if (member.field) ++rank;
  }
  return rank;
}

template <class View>
class Partial {
 public:
  using Field = typename View::Field;

  // The outcome of View::parse_into(view, ...) on the whole input.
  Partial(const View& view, const Status& status) noexcept : Partial(view, status, 0) {}

  // A child that parsing never reached (none of its fields is readable).
  static Partial unparsed(const View& view) noexcept {
    return Partial(view, Status(Error(errc::truncated, {}, 0)), no_level);
  }

  // Parsing succeeded: every field is readable, as after parse().
  bool complete() const noexcept { return status_.has_value(); }
  // Parsing reached this view (false for an arm or child it never got to).
  bool reached() const noexcept { return complete() || level_ != no_level; }
  const View& view() const noexcept { return view_; }
  const View* operator->() const noexcept { return &view_; }
  // Precondition: !complete(). The error of the whole parse, its path outermost first.
  const Error& error() const noexcept { return status_.error(); }
  const Status& status() const noexcept { return status_; }

  // `f` was parsed completely: its accessor may be called. For a field in a fixed
  // run of bytes that the input cut short, this means its bytes are there; checks
  // on it (a `where`) may not have run, since the run's length is checked first.
  bool has(Field f) const noexcept { return static_cast<std::size_t>(f) < readable_; }

  // has(f), or `f` is the scalar whose check failed here: its value is in the
  // input and readable (the `where` or enum check said no, the bytes are there).
  bool has_value(Field f) const noexcept {
    if (has(f)) return true;
    if (!located() || error().path_size() != level_ + 2) return false;
    const errc code = error().code();
    return stopped_at() == f && (code == errc::constraint_failed || code == errc::bad_value);
  }

  // The field of this view where parsing stopped (nullopt when it completed, never
  // got here, or stopped after the last field, at a `require`).
  optional_value<Field> stopped_at() const noexcept {
    if (complete() || !located() || error().path_size() <= level_ + 1) return std::nullopt;
    return View::field_named(stop_segment());
  }

  // Parsing stopped deeper down, inside field `f` (a struct, a switch arm or an
  // array element): inner() gives the child's own partial view.
  bool stopped_inside(Field f) const noexcept {
    return !complete() && located() && error().path_size() > level_ + 2 && stopped_at() == f;
  }

  // The partial view of the struct or switch arm `child`, read from field `f` of
  // this view (an arm accessor still returns the arm parse() was working on).
  template <class Child>
  Partial<Child> inner(Field f, const Child& child) const noexcept {
    if (has(f)) return Partial<Child>(child, Status());
    if (stopped_inside(f) && !error().path_has_index(level_ + 1)) {
      return Partial<Child>(child, status_, level_ + 2);
    }
    return Partial<Child>::unparsed(child);
  }

 private:
  template <class>
  friend class Partial;
  static constexpr std::size_t no_level = static_cast<std::size_t>(-1);

  // Where parsing stopped is worked out once here (string compares along the
  // error's path), so has() is one comparison: dissectors call it per field.
  Partial(const View& view, const Status& status, std::size_t level) noexcept
      : view_(view), status_(status), level_(level) {
    if (complete()) {
      readable_ = View::field_count;
    } else if (located()) {
      readable_ = View::field_rank(stop_segment());
    }
  }

  // The error's path is known at this level: its outer segments were not
  // dropped, and segment level_ is this view's type.
  bool located() const noexcept {
    const Error& e = error();
    return level_ != no_level && !e.path_truncated() && e.path_size() > level_ &&
           e.path_segment(level_) == View::type_name;
  }

  std::string_view stop_segment() const noexcept {
    const Error& e = error();
    return e.path_size() > level_ + 1 ? e.path_segment(level_ + 1) : std::string_view();
  }

  View view_;
  Status status_;
  std::size_t level_;
  std::size_t readable_ = 0;  // has(f) for the fields ranked below it
};

}  // namespace lp
