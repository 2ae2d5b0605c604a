// Arrays of variable-size elements, iterated lazily.
//
// lazy_array<View> is what a generated accessor returns for `T[n]`, `T[] size(n)`,
// `T[]` and `T[] until (...)` when T is a struct whose size is known only at run
// time (a TLV option, a DNS record). Usually parse() has already validated every
// element and stored how many there are; the range itself stores only the
// array's bytes, that count and the arguments of a parameterised element type.
//
// Carried arguments (`CoapOption(prev)[] carry (prev = 0, it.number)`): one
// argument changes from element to element. The range keeps the first element's
// arguments and a step function, generated per field, that computes the next
// element's from the element just read; each iterator holds the running
// arguments and applies the step as it moves, so a walk stays forward and O(1)
// per step, and every element gets the argument parse() gave it.
//
// Deferred lists: with ParseOptions::defer_lists, parse() leaves unwalked the
// lists whose bytes it knows without reading their elements (a `size(...)`
// region, or the rest of the struct) and records no count. Such a range is not
// validated(): validate() walks it with the checks parse() would have made and
// returns a validated range or the same lp::Error, named from the struct that
// holds the list; iterating it unvalidated checks each element as it is reached
// and ends before the first malformed one.
//
// Cost model: a forward range. begin() and each ++ re-read one element's own
// layout (View::parse_into over the rest of the array: O(size of that
// element), independent of the array's length), so a full walk is O(bytes of the
// array). There is no operator[]: element i is found by walking i elements.
// size() is O(1) when validated() (a walk otherwise).
//
// Lifetime: like every view, the range and the element views point into the
// caller's buffer, which must outlive them.
#pragma once

#include <cstddef>
#include <iterator>
#include <tuple>
#include <type_traits>
#include <utility>

#include "libparse/array_view.hpp"
#include "libparse/bytes.hpp"
#include "libparse/error.hpp"
#include "libparse/options.hpp"

namespace lp {

// The element count of a list parse() deferred (ParseOptions::defer_lists).
inline constexpr std::size_t deferred_count = static_cast<std::size_t>(-1);

// How the elements of one list field are checked, the same for parse() and
// for validating a deferred list: generated as a constant per such field.
template <class View>
struct list_rule {
  std::string_view type_name;    // the struct holding the list (its error path)
  std::string_view field;        // the list's field name
  std::string_view region_text;  // its `size(...)` expression; empty: the rest of the struct
  // An `until (...)` that reads only the element: 1 after the terminating
  // element, 0 before it, -1 when the condition's arithmetic overflowed.
  int (*stop)(const View& it) noexcept = nullptr;
  std::string_view stop_text;  // the `until` condition, for that overflow
};

// Walks the list in `region`, which starts `offset` bytes into the struct
// holding it, with the checks of parse(): each element's own, max_elements,
// elements of zero bytes, the `until` condition. Counts the elements into
// `count`. Errors name `rule.field[i]` and the element's path, offsets from the
// holding struct's start; the caller adds that struct's own path segment.
// Always inlined, as the loop it replaces in generated parse_into() was: the
// rule is then a constant, and its `until` a direct call. The error paths
// capture by value: a reference would keep the loop's counters in memory.
template <class View, class... Args>
[[gnu::always_inline]] inline Status walk_list(const list_rule<View>& rule, lp::bytes region,
                                               std::size_t offset, const ParseOptions& options,
                                               std::size_t depth, std::size_t& count,
                                               const Args&... args) noexcept {
  count = 0;
  std::size_t at = 0;  // bytes the elements read so far take
  // One view for every element: parse_into() rewrites what it reads (and builds
  // the view of the switch arm it takes).
  View element = detail::view_for_parse<View>();
  while (at != region.size()) {
    if (count == options.max_elements) [[unlikely]] {
      return cold_error([=]() noexcept {
        return Error(errc::limit_exceeded, rule.field, offset + at)
            .with_text("more elements than ParseOptions::max_elements");
      });
    }
    const Status status =
        View::parse_into(element, region.subspan(unchecked, at), args..., options, depth + 1);
    if (!status) [[unlikely]] {
      return cold_error([=]() noexcept {
        Error error = Error(status.error()).rebase(offset + at).element_of(rule.field, count);
        if (!rule.region_text.empty() && error.code() == errc::truncated) {
          error.overran_region(rule.region_text, region.size());
        }
        return error;
      });
    }
    if (element.size() == 0) [[unlikely]] {
      return cold_error([=]() noexcept {
        return Error(errc::bad_length, rule.field, offset + at)
            .element_of(rule.field, count)
            .with_text("an element of zero bytes");
      });
    }
    const int stop = rule.stop == nullptr ? 0 : rule.stop(element);
    if (stop < 0) [[unlikely]] {
      return cold_error([=]() noexcept {
        return Error(errc::overflow, rule.field, offset + at)
            .element_of(rule.field, count)
            .with_text(rule.stop_text);
      });
    }
    at += element.size();
    ++count;
    if (stop != 0) break;
  }
  return {};
}

namespace detail {

// Elements were validated by parse() with the caller's limits; re-reading one
// must not fail on a limit the caller raised (a larger max_elements), nor walk
// a list inside it that parse() deferred. It cannot fail on validated bytes. A
// constant, so that the limit checks of an inlined parse_into() fold away.
inline constexpr ParseOptions reread_options = ParseOptions::reread();

}  // namespace detail

// The step of a `carry`: rewrites the carried one of `args` (the arguments the
// element `it` was read with) into the next element's. False when its arithmetic
// overflowed or the value does not fit, which parse() has already ruled out for
// the elements it validated.
template <class View, class... Args>
using carry_step = bool (*)(const View& it, std::tuple<Args...>& args) noexcept;

// `Args` are the arguments of a parameterised element type (`Record(order)[]`):
// parse() evaluated them once for the whole array; each step passes them again
// (a carried one after the carry step, above).
template <class View, class... Args>
class lazy_array {
 public:
  using value_type = View;
  using carry_type = carry_step<View, Args...>;

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using iterator_concept = std::forward_iterator_tag;
    using value_type = View;
    using difference_type = std::ptrdiff_t;
    using reference = View;

    iterator() = default;
    // `rule` is set for a list parse() deferred (count == deferred_count): each
    // element is then checked as it is reached.
    [[gnu::always_inline]] iterator(const std::byte* at, const std::byte* end, std::size_t index,
                                    std::size_t count, std::tuple<Args...> args,
                                    const list_rule<View>* rule, carry_type carry = nullptr)
        : at_(at),
          end_(end),
          index_(index),
          count_(count),
          args_(args),
          rule_(rule),
          carry_(carry) {
      load();
    }

    // By value: views are a few words.
    View operator*() const noexcept { return current_; }
    // The element's index in the array.
    std::size_t index() const noexcept { return index_; }
    iterator& operator++() noexcept {
      at_ += current_.size();
      ++index_;
      // The next element's arguments; past the last element there is none to get them.
      if (carry_ != nullptr && index_ < count_) carry_(current_, args_);
      load();
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.index_ == b.index_;
    }

   private:
    // Inlined into the reader's loop, as it was before deferred lists: only the
    // deferred path is out of line.
    [[gnu::always_inline]] void load() noexcept {
      if (count_ == deferred_count) [[unlikely]] {
        load_checked();
        return;
      }
      if (index_ >= count_) return;
      // In place, no copy, over the previous element's view (parse_into writes
      // every member the accessors read). Always succeeds: parse() checked these bytes.
      const lp::bytes rest(at_, static_cast<std::size_t>(end_ - at_));
      if (!reread(rest, std::index_sequence_for<Args...>{})) [[unlikely]]
        current_ = View();
    }

    // View::parse_into() with the arguments unpacked here rather than through
    // std::apply: g++ kept std::apply's lambda out of line (one call per element,
    // and the constant options no longer folded into an inlined parse_into()).
    template <std::size_t... I>
    [[gnu::always_inline]] lp::Status reread(lp::bytes rest, std::index_sequence<I...>) noexcept {
      return View::parse_into(current_, rest, std::get<I>(args_)..., detail::reread_options, 0);
    }

    // A deferred list: the element at `at_` with parse()'s checks under the
    // default ParseOptions. The iterator becomes end() after the terminating
    // element, at the end of the bytes and before a malformed element. Out of
    // line, so that load() stays small enough to inline into a reader's loop.
    [[gnu::noinline]] void load_checked() noexcept {
      if (index_ == deferred_count) return;
      const ParseOptions options;
      const lp::bytes rest(at_, static_cast<std::size_t>(end_ - at_));
      if (rest.empty() || index_ == options.max_elements) {
        index_ = deferred_count;
        return;
      }
      const lp::Status status = std::apply(
          [&](const Args&... args) {
            return View::parse_into(current_, rest, args..., options, 1);
          },
          args_);
      const int stop = !status || current_.size() == 0 ? -1
                       : rule_->stop == nullptr        ? 0
                                                       : rule_->stop(current_);
      if (stop < 0) {
        current_ = View();
        index_ = deferred_count;
        return;
      }
      if (stop != 0) end_ = at_ + current_.size();  // the terminator is the last element
    }

    const std::byte* at_ = nullptr;
    const std::byte* end_ = nullptr;
    std::size_t index_ = 0;
    std::size_t count_ = 0;
    [[no_unique_address]] std::tuple<Args...> args_{};
    const list_rule<View>* rule_ = nullptr;
    carry_type carry_ = nullptr;  // set for a `carry` array
    View current_{};
  };

  constexpr lazy_array() noexcept = default;
  // Over `region`, known to hold `count` valid elements back to back (possibly
  // followed by padding, for `until` arrays with a size).
  constexpr lazy_array(lp::unchecked_t, lp::bytes region, std::size_t count, Args... args) noexcept
      : region_(region), count_(count), args_(args...) {}
  // A `carry` array: `args` are the first element's arguments, `carry` derives
  // each next element's. Never deferred (a deferred walk would need the step
  // too): `count` is what parse() counted.
  constexpr lazy_array(lp::unchecked_t, lp::bytes region, std::size_t count, carry_type carry,
                       Args... args) noexcept
      : region_(region), count_(count), args_(args...), carry_(carry) {}
  // A list field that parse() may defer: `count` is deferred_count when it did;
  // `offset` is where the list starts in the struct holding it.
  constexpr lazy_array(lp::unchecked_t, lp::bytes region, std::size_t count,
                       const list_rule<View>& rule, std::size_t offset, Args... args) noexcept
      : region_(region), count_(count), args_(args...), rule_(&rule), offset_(offset) {}

  // parse() walked the list (ParseOptions::defer_lists was not set, or the
  // list cannot be deferred).
  constexpr bool validated() const noexcept { return count_ != deferred_count; }

  // The list, validated: itself when it already is; otherwise its elements
  // walked with the checks parse() makes, and on failure the Error parse()
  // would give, with the path and offsets counted from the struct holding the
  // list (`Tcp.options[2].length`). options.on_error sees that struct's level.
  Result<lazy_array> validate(const ParseOptions& options = {}) const noexcept {
    if (validated()) return *this;
    Status walked;
    std::size_t count = 0;
    if (options.max_depth == 0 && !region_.empty()) {
      walked = Error(errc::too_deep, rule_->field, offset_);
    } else {
      walked = std::apply(
          [&](const Args&... args) {
            return walk_list(*rule_, region_, offset_, options, 0, count, args...);
          },
          args_);
    }
    if (!walked) {
      Error error = walked.error();
      if (options.on_error != nullptr) {
        options.on_error(options.on_error_context, rule_->type_name, rule_->field, error);
      }
      return error.push_outer(rule_->type_name);
    }
    lazy_array out = *this;
    out.count_ = count;
    return out;
  }

  // O(1) when validated(); otherwise a walk: the elements before the first
  // malformed one.
  std::size_t size() const noexcept {
    if (validated()) return count_;
    std::size_t n = 0;
    for (auto it = begin(); it != end(); ++it) ++n;
    return n;
  }
  bool empty() const noexcept { return validated() ? count_ == 0 : begin() == end(); }
  // The bytes of the whole array (for `until ... size(n)`: the whole region).
  constexpr lp::bytes bytes() const noexcept { return region_; }

  // Inlined with the first element's parse_into() into the reader's loop (g++
  // kept begin() out of line once the element's parse was inlined into it).
  [[gnu::always_inline]] iterator begin() const noexcept {
    return iterator(region_.data(), region_.data() + region_.size(), 0, count_, args_, rule_,
                    carry_);
  }
  [[gnu::always_inline]] iterator end() const noexcept {
    iterator it;
    it = iterator(nullptr, nullptr, count_, count_, args_, rule_);
    return it;
  }
  // The first element. Precondition: !empty().
  View front() const noexcept { return *begin(); }

 private:
  lp::bytes region_;
  std::size_t count_ = 0;
  [[no_unique_address]] std::tuple<Args...> args_{};
  const list_rule<View>* rule_ = nullptr;  // set for a list parse() may defer
  std::size_t offset_ = 0;                 // where it starts in its struct
  carry_type carry_ = nullptr;             // set for a `carry` array
};

// lazy_array over mutable memory: yields Mut views.
template <class Mut, class... Args>
class lazy_mut_array {
  using View = std::remove_cvref_t<decltype(*Mut::parse_nested(
      std::declval<lp::bytes>(), std::declval<Args>()..., std::declval<const ParseOptions&>(),
      std::size_t{}))>;
  using Base = lazy_array<View, Args...>;

 public:
  using value_type = Mut;

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using iterator_concept = std::forward_iterator_tag;
    using value_type = Mut;
    using difference_type = std::ptrdiff_t;
    using reference = Mut;

    iterator() = default;
    explicit iterator(typename Base::iterator it) : it_(std::move(it)) {}
    Mut operator*() const noexcept { return Mut(lp::unchecked, *it_); }
    std::size_t index() const noexcept { return it_.index(); }
    iterator& operator++() noexcept {
      ++it_;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++it_;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.it_ == b.it_; }

   private:
    typename Base::iterator it_{};
  };

  constexpr lazy_mut_array() noexcept = default;
  // The writable twin of `base`, whose bytes are `region`.
  constexpr lazy_mut_array(lp::unchecked_t, lp::mut_bytes region, Base base) noexcept
      : base_(base), region_(region) {}

  constexpr bool validated() const noexcept { return base_.validated(); }
  Result<lazy_mut_array> validate(const ParseOptions& options = {}) const noexcept {
    Result<Base> base = base_.validate(options);
    if (!base) return base.error();
    return lazy_mut_array(lp::unchecked, region_, *base);
  }
  std::size_t size() const noexcept { return base_.size(); }
  bool empty() const noexcept { return base_.empty(); }
  constexpr lp::bytes bytes() const noexcept { return base_.bytes(); }
  constexpr lp::mut_bytes mut_bytes() const noexcept { return region_; }
  iterator begin() const noexcept { return iterator(base_.begin()); }
  iterator end() const noexcept { return iterator(base_.end()); }
  Mut front() const noexcept { return *begin(); }

 private:
  Base base_;
  lp::mut_bytes region_;
};

}  // namespace lp
