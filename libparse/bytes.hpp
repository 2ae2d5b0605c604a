// lp::bytes and lp::mut_bytes: non-owning views of contiguous memory, with the
// cost model of Python's memoryview.
//
// - Creating a view from any contiguous range of 1-byte elements is O(1).
// - Indexing, slicing, first/last/subspan are O(1) and return views of the same
//   memory. Out-of-range slice bounds are clamped (never UB); operator[] has a
//   precondition, at() is checked.
// - to_vector() and to_string() are the only operations that copy (O(n)).
// - Only mut_bytes writes; a bytes converts from a mut_bytes, never the reverse.
//
// A view never owns its memory: the buffer must outlive every view of it.
// Constructing a view from a temporary std::vector or std::string does not
// compile, because the view would dangle at the end of the statement.
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "libparse/error.hpp"

namespace lp {
class bytes;
class mut_bytes;
}  // namespace lp

// Views never own memory: a temporary view is safe to slice (std::span does the same).
template <>
inline constexpr bool std::ranges::enable_borrowed_range<lp::bytes> = true;
template <>
inline constexpr bool std::ranges::enable_borrowed_range<lp::mut_bytes> = true;

namespace lp {

// Tag for constructors and slices that trust their caller: the bytes were already
// validated by parse(). Generated code uses it; user code normally does not.
struct unchecked_t {
  explicit unchecked_t() = default;
};
inline constexpr unchecked_t unchecked{};

// Tag for the constructor parse() builds a generated view with when the view
// holds the view of a switch arm: no arm's view is constructed (nor zeroed) until
// parse_into() takes the arm and begins its lifetime. The default constructor
// still builds the first arm's empty view. Generated code uses it; user code
// normally does not.
struct for_parse_t {
  explicit for_parse_t() = default;
};
inline constexpr for_parse_t for_parse{};

namespace detail {

// Whether a generated view has the lp::for_parse constructor (it holds a switch
// arm's view): what parse() builds the views it fills with.
template <class View>
inline constexpr bool has_for_parse = std::is_constructible_v<View, for_parse_t>;

// A view for parse_into() to fill: built by its lp::for_parse constructor when it
// has one, else default-initialized. A prvalue: no copy where it is used.
template <class View>
View view_for_parse() noexcept {
  if constexpr (has_for_parse<View>) {
    return View(for_parse);
  } else {
    View view;
    return view;
  }
}

template <class T>
inline constexpr bool is_byte_like_v = sizeof(T) == 1 && std::is_trivially_copyable_v<T> &&
                                       (std::is_same_v<T, std::byte> || std::is_same_v<T, char> ||
                                        std::is_same_v<T, signed char> ||
                                        std::is_same_v<T, unsigned char> ||
                                        std::is_same_v<T, char8_t>);

// A contiguous sized range of (possibly const) byte-like elements.
template <class R>
concept byte_range = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
    is_byte_like_v<std::remove_cv_t<std::ranges::range_value_t<R>>>;

// ...that will not dangle: an lvalue, or a borrowed range (span, string_view).
template <class R>
concept safe_byte_range = byte_range<R> &&
    (std::is_lvalue_reference_v<R> || std::ranges::borrowed_range<R>);

// ...whose elements are writable.
template <class R>
concept mutable_byte_range = safe_byte_range<R> &&
    !std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<R>>>;

constexpr std::size_t clamp_offset(std::size_t off, std::size_t size) noexcept {
  return off < size ? off : size;
}

// The shared read-only surface of bytes and mut_bytes. Ptr is const std::byte*
// or std::byte*; Derived is the view type slices return.
template <class Derived, class Ptr>
class byte_view_base {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  constexpr byte_view_base() noexcept = default;
  constexpr byte_view_base(Ptr data, std::size_t size) noexcept : data_(data), size_(size) {}

  constexpr Ptr data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr Ptr begin() const noexcept { return data_; }
  constexpr Ptr end() const noexcept { return data_ + size_; }

  // Precondition: i < size().
  constexpr std::byte operator[](std::size_t i) const noexcept { return data_[i]; }
  constexpr std::uint8_t u8(std::size_t i) const noexcept {
    return static_cast<std::uint8_t>(data_[i]);
  }
  // errc::truncated (offset i, one more byte needed) when i >= size().
  Result<std::byte> at(std::size_t i) const noexcept {
    if (i >= size_) return Error(errc::truncated, {}, i).with_needed(i - size_ + 1);
    return data_[i];
  }

  // Views of the same memory. Bounds past the end are clamped, like memoryview.
  constexpr Derived slice(std::size_t off, std::size_t len) const noexcept {
    const std::size_t start = clamp_offset(off, size_);
    const std::size_t avail = size_ - start;
    return Derived(data_ + start, len < avail ? len : avail);
  }
  constexpr Derived subspan(std::size_t off, std::size_t len = npos) const noexcept {
    return slice(off, len);
  }
  // The bytes from `off` on, without clamping: precondition off <= size(). For
  // offsets already checked (generated parse() code steps through an array).
  constexpr Derived subspan(unchecked_t, std::size_t off) const noexcept {
    return Derived(data_ + off, size_ - off);
  }
  // `len` bytes from `off` on, without clamping: precondition off + len <= size()
  // (generated parse() code, after it has checked that those bytes are there).
  constexpr Derived subspan(unchecked_t, std::size_t off, std::size_t len) const noexcept {
    return Derived(data_ + off, len);
  }
  constexpr Derived first(std::size_t n) const noexcept { return slice(0, n); }
  constexpr Derived last(std::size_t n) const noexcept {
    return slice(n < size_ ? size_ - n : 0, n);
  }
  constexpr Derived drop_first(std::size_t n) const noexcept { return slice(n, npos); }

  // O(1): the same memory seen as characters.
  // An empty view keeps its position: data() still points into the buffer, so a
  // zero-length string field is located like any other.
  std::string_view as_string_view() const noexcept {
    return std::string_view(reinterpret_cast<const char*>(data_), size_);
  }

  // O(n): the only copying operations.
  std::vector<std::byte> to_vector() const { return std::vector<std::byte>(begin(), end()); }
  std::string to_string() const { return std::string(as_string_view()); }

 protected:
  Ptr data_ = nullptr;
  std::size_t size_ = 0;
};

// A random-access iterator over element i of an indexable array object.
template <class Array, class Value>
class index_iterator {
 public:
  using iterator_category = std::random_access_iterator_tag;
  using iterator_concept = std::random_access_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using reference = Value;

  index_iterator() = default;
  index_iterator(Array array, std::size_t index) : array_(array), index_(index) {}

  Value operator*() const { return array_[index_]; }
  Value operator[](difference_type n) const { return array_[index_ + static_cast<std::size_t>(n)]; }
  index_iterator& operator++() {
    ++index_;
    return *this;
  }
  index_iterator operator++(int) {
    index_iterator old = *this;
    ++index_;
    return old;
  }
  index_iterator& operator--() {
    --index_;
    return *this;
  }
  index_iterator operator--(int) {
    index_iterator old = *this;
    --index_;
    return old;
  }
  index_iterator& operator+=(difference_type n) {
    index_ += static_cast<std::size_t>(n);
    return *this;
  }
  index_iterator& operator-=(difference_type n) {
    index_ -= static_cast<std::size_t>(n);
    return *this;
  }
  friend index_iterator operator+(index_iterator it, difference_type n) { return it += n; }
  friend index_iterator operator+(difference_type n, index_iterator it) { return it += n; }
  friend index_iterator operator-(index_iterator it, difference_type n) { return it -= n; }
  friend difference_type operator-(const index_iterator& a, const index_iterator& b) {
    return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
  }
  friend bool operator==(const index_iterator& a, const index_iterator& b) {
    return a.index_ == b.index_;
  }
  friend auto operator<=>(const index_iterator& a, const index_iterator& b) {
    return a.index_ <=> b.index_;
  }

 private:
  Array array_{};  // by value: arrays are two words
  std::size_t index_ = 0;
};

}  // namespace detail

// A read-only view of contiguous bytes: pointer + size.
class bytes : public detail::byte_view_base<bytes, const std::byte*> {
  using base = detail::byte_view_base<bytes, const std::byte*>;

 public:
  constexpr bytes() noexcept = default;
  constexpr bytes(const std::byte* data, std::size_t size) noexcept : base(data, size) {}
  // Pointer + size of char / unsigned char / std::uint8_t memory.
  template <class T>
  requires detail::is_byte_like_v<T> &&
      (!std::is_same_v<T, std::byte>)bytes(const T* data, std::size_t size) noexcept
      : base(reinterpret_cast<const std::byte*>(data), size) {}

  // std::span, std::vector, std::string, std::string_view, std::array, C arrays
  // of char / unsigned char / std::byte / std::uint8_t.
  template <class R>
  requires detail::safe_byte_range<R> &&(!std::is_same_v<std::remove_cvref_t<R>, bytes>)&&(
      !std::is_same_v<std::remove_cvref_t<R>,
                      mut_bytes>)constexpr bytes(R&& range) noexcept  // NOLINT: implicit by design,
                                                                      // like std::span
      : base(reinterpret_cast<const std::byte*>(std::ranges::data(range)),
             std::ranges::size(range)) {}

  // A temporary container would dangle; keep it in a variable first.
  template <class R>
  requires detail::byte_range<R> &&(!detail::safe_byte_range<R>)bytes(R&& range) = delete;

  static bytes from_raw(const void* data, std::size_t size) noexcept {
    return bytes(static_cast<const std::byte*>(data), size);
  }

  // Content equality (O(n)), not identity.
  friend bool operator==(bytes a, bytes b) noexcept {
    return a.size() == b.size() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size()) == 0);
  }
};

// A writable view of contiguous bytes; converts to bytes.
class mut_bytes : public detail::byte_view_base<mut_bytes, std::byte*> {
  using base = detail::byte_view_base<mut_bytes, std::byte*>;

 public:
  constexpr mut_bytes() noexcept = default;
  constexpr mut_bytes(std::byte* data, std::size_t size) noexcept : base(data, size) {}
  template <class T>
  requires detail::is_byte_like_v<T> &&
      (!std::is_same_v<T, std::byte>)mut_bytes(T* data, std::size_t size) noexcept
      : base(reinterpret_cast<std::byte*>(data), size) {}

  template <class R>
  requires detail::mutable_byte_range<R> &&
      (!std::is_same_v<std::remove_cvref_t<R>, mut_bytes>)constexpr mut_bytes(
          R&& range) noexcept  // NOLINT: implicit by design, like std::span
      : base(reinterpret_cast<std::byte*>(std::ranges::data(range)), std::ranges::size(range)) {}

  template <class R>
  requires detail::byte_range<R> &&(!detail::safe_byte_range<R>)mut_bytes(R&& range) = delete;

  static mut_bytes from_raw(void* data, std::size_t size) noexcept {
    return mut_bytes(static_cast<std::byte*>(data), size);
  }

  // Precondition: i < size(). Writable, unlike bytes::operator[].
  constexpr std::byte& operator[](std::size_t i) const noexcept { return data_[i]; }

  constexpr operator bytes() const noexcept { return bytes(data_, size_); }  // NOLINT: implicit
  constexpr bytes as_const() const noexcept { return bytes(data_, size_); }

  void fill(std::byte value) const noexcept {
    if (size_ != 0) std::memset(data_, static_cast<int>(value), size_);
  }
  // Copies `from` to the start of this view; false (and nothing written) when it
  // does not fit. Overlapping views are fine.
  bool copy_from(bytes from) const noexcept {
    if (from.size() > size_) return false;
    if (from.size() != 0) std::memmove(data_, from.data(), from.size());
    return true;
  }

  friend bool operator==(mut_bytes a, mut_bytes b) noexcept { return bytes(a) == bytes(b); }
};

// chunks(view, n): the view cut into ceil(size / n) consecutive views of n bytes,
// the last one shorter. A random-access range; every step and index is O(1).
// n == 0 gives an empty range.
template <class View>
class chunk_range {
 public:
  using iterator = detail::index_iterator<chunk_range, View>;

  constexpr chunk_range() noexcept = default;
  chunk_range(View view, std::size_t chunk_size) noexcept : view_(view), chunk_(chunk_size) {}

  std::size_t size() const noexcept {
    return chunk_ == 0 ? 0 : view_.size() / chunk_ + (view_.size() % chunk_ != 0 ? 1 : 0);
  }
  bool empty() const noexcept { return size() == 0; }
  // Precondition: i < size().
  View operator[](std::size_t i) const noexcept { return view_.slice(i * chunk_, chunk_); }
  iterator begin() const noexcept { return iterator(*this, 0); }
  iterator end() const noexcept { return iterator(*this, size()); }

 private:
  View view_{};
  std::size_t chunk_ = 0;
};

inline chunk_range<bytes> chunks(bytes view, std::size_t chunk_size) noexcept {
  return chunk_range<bytes>(view, chunk_size);
}
inline chunk_range<mut_bytes> chunks(mut_bytes view, std::size_t chunk_size) noexcept {
  return chunk_range<mut_bytes>(view, chunk_size);
}

}  // namespace lp
