// Arrays of variable-size elements, iterated lazily.
//
// lazy_array<View> is what a generated accessor returns for `T[n]`, `T[] size(n)`,
// `T[]` and `T[] until (...)` when T is a struct whose size is known only at run
// time (a TLV option, a DNS record). parse() has already validated every
// element and stored how many there are; the range itself stores only the
// array's bytes, that count and the arguments of a parameterised element
// type (three words when there are none; no heap).
//
// Cost model: a forward range. begin() and each ++ re-read one element's own
// layout (View::parse_into over the rest of the array: O(size of that
// element), independent of the array's length), so a full walk is O(bytes of the
// array). There is no operator[]: element i is found by walking i elements.
// size() is O(1).
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
#include "libparse/options.hpp"

namespace lp {

namespace detail {

// Elements were validated by parse() with the caller's limits; re-reading one
// must not fail on a limit the caller raised (a larger max_elements), so it
// runs without limits. It cannot fail on validated bytes. A constant, so that
// the limit checks of an inlined parse_into() fold away.
inline constexpr ParseOptions reread_options = ParseOptions::unlimited();

}  // namespace detail

// `Args` are the arguments of a parameterised element type (`Record(order)[]`):
// parse() evaluated them once for the whole array; each step passes them again.
template <class View, class... Args>
class lazy_array {
 public:
  using value_type = View;

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using iterator_concept = std::forward_iterator_tag;
    using value_type = View;
    using difference_type = std::ptrdiff_t;
    using reference = View;

    iterator() = default;
    iterator(const std::byte* at, const std::byte* end, std::size_t index, std::size_t count,
             std::tuple<Args...> args)
        : at_(at), end_(end), index_(index), count_(count), args_(args) {
      load();
    }

    // By value: views are a few words.
    View operator*() const noexcept { return current_; }
    // The element's index in the array.
    std::size_t index() const noexcept { return index_; }
    iterator& operator++() noexcept {
      at_ += current_.size();
      ++index_;
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
    void load() noexcept {
      if (index_ >= count_) return;
      // In place, no copy, over the previous element's view (parse_into writes
      // every member the accessors read). Always succeeds: parse() checked these bytes.
      const lp::bytes rest(at_, static_cast<std::size_t>(end_ - at_));
      const lp::Status status = std::apply(
          [&](const Args&... args) {
            return View::parse_into(current_, rest, args..., detail::reread_options, 0);
          },
          args_);
      if (!status) [[unlikely]]
        current_ = View();
    }

    const std::byte* at_ = nullptr;
    const std::byte* end_ = nullptr;
    std::size_t index_ = 0;
    std::size_t count_ = 0;
    [[no_unique_address]] std::tuple<Args...> args_{};
    View current_{};
  };

  constexpr lazy_array() noexcept = default;
  // Over `region`, known to hold `count` valid elements back to back (possibly
  // followed by padding, for `until` arrays with a size).
  constexpr lazy_array(lp::unchecked_t, lp::bytes region, std::size_t count, Args... args) noexcept
      : region_(region), count_(count), args_(args...) {}

  constexpr std::size_t size() const noexcept { return count_; }
  constexpr bool empty() const noexcept { return count_ == 0; }
  // The bytes of the whole array (for `until ... size(n)`: the whole region).
  constexpr lp::bytes bytes() const noexcept { return region_; }

  iterator begin() const noexcept {
    return iterator(region_.data(), region_.data() + region_.size(), 0, count_, args_);
  }
  iterator end() const noexcept {
    iterator it;
    it = iterator(nullptr, nullptr, count_, count_, args_);
    return it;
  }
  // The first element. Precondition: !empty().
  View front() const noexcept { return *begin(); }

 private:
  lp::bytes region_;
  std::size_t count_ = 0;
  [[no_unique_address]] std::tuple<Args...> args_{};
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
  constexpr lazy_mut_array(lp::unchecked_t, lp::mut_bytes region, std::size_t count,
                           Args... args) noexcept
      : base_(lp::unchecked, lp::bytes(region), count, args...), region_(region) {}

  constexpr std::size_t size() const noexcept { return base_.size(); }
  constexpr bool empty() const noexcept { return base_.empty(); }
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
