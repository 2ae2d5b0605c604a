// Typed arrays over raw bytes, read in place.
//
// array_view<Elem> sees a byte range as size() / Elem::size elements of an
// endian.hpp element tag (lp::be_u32, lp::le_f64, ...): size() and operator[]
// are O(1) at any alignment, and nothing is copied. struct_array<View> does the
// same for fixed-size generated structs. The mut_ flavours add writes and exist
// only over mutable memory.
#pragma once

#include <cstddef>
#include <iterator>

#include "libparse/bytes.hpp"
#include "libparse/endian.hpp"
#include "libparse/error.hpp"

namespace lp {

template <class Elem>
class array_view {
 public:
  using element_type = Elem;
  using value_type = typename Elem::value_type;
  using iterator = detail::index_iterator<array_view, value_type>;

  constexpr array_view() noexcept = default;
  // size() = b.size() / Elem::size; trailing bytes that do not fill an element
  // are not part of the array.
  explicit constexpr array_view(lp::bytes b) noexcept
      : data_(b.data()), size_(b.size() / Elem::size) {}

  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  // Precondition: i < size().
  value_type operator[](std::size_t i) const noexcept { return Elem::load(data_ + i * Elem::size); }
  Result<value_type> at(std::size_t i) const noexcept {
    if (i >= size_) return Error(errc::truncated, {}, i * Elem::size).with_needed(Elem::size);
    return (*this)[i];
  }
  value_type front() const noexcept { return (*this)[0]; }
  value_type back() const noexcept { return (*this)[size_ - 1]; }
  // Exactly the bytes of the elements.
  constexpr lp::bytes bytes() const noexcept { return lp::bytes(data_, size_ * Elem::size); }

  iterator begin() const noexcept { return iterator(*this, 0); }
  iterator end() const noexcept { return iterator(*this, size_); }

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

template <class Elem>
class mut_array_view : public array_view<Elem> {
 public:
  using typename array_view<Elem>::value_type;

  constexpr mut_array_view() noexcept = default;
  explicit constexpr mut_array_view(lp::mut_bytes b) noexcept
      : array_view<Elem>(lp::bytes(b)), data_(b.data()) {}

  // Precondition: i < size().
  void set(std::size_t i, value_type v) const noexcept { Elem::store(data_ + i * Elem::size, v); }
  constexpr lp::mut_bytes mut_bytes() const noexcept {
    return lp::mut_bytes(data_, this->size() * Elem::size);
  }

 private:
  std::byte* data_ = nullptr;
};

// Fixed-size generated structs in a row. View needs `static constexpr
// std::size_t fixed_size` and a `View(lp::unchecked_t, lp::bytes)` constructor.
template <class View>
class struct_array {
 public:
  using value_type = View;
  using iterator = detail::index_iterator<struct_array, View>;

  constexpr struct_array() noexcept = default;
  explicit constexpr struct_array(lp::bytes b) noexcept
      : data_(b.data()), size_(View::fixed_size == 0 ? 0 : b.size() / View::fixed_size) {}

  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  View operator[](std::size_t i) const noexcept {
    return View(unchecked, lp::bytes(data_ + i * View::fixed_size, View::fixed_size));
  }
  Result<View> at(std::size_t i) const noexcept {
    if (i >= size_)
      return Error(errc::truncated, {}, i * View::fixed_size).with_needed(View::fixed_size);
    return (*this)[i];
  }
  constexpr lp::bytes bytes() const noexcept { return lp::bytes(data_, size_ * View::fixed_size); }

  iterator begin() const noexcept { return iterator(*this, 0); }
  iterator end() const noexcept { return iterator(*this, size_); }

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

// Mut needs `Mut::fixed_size` and `Mut(lp::unchecked_t, lp::mut_bytes)`.
template <class Mut>
class mut_struct_array {
 public:
  using value_type = Mut;
  using iterator = detail::index_iterator<mut_struct_array, Mut>;

  constexpr mut_struct_array() noexcept = default;
  explicit constexpr mut_struct_array(lp::mut_bytes b) noexcept
      : data_(b.data()), size_(Mut::fixed_size == 0 ? 0 : b.size() / Mut::fixed_size) {}

  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  Mut operator[](std::size_t i) const noexcept {
    return Mut(unchecked, lp::mut_bytes(data_ + i * Mut::fixed_size, Mut::fixed_size));
  }
  Result<Mut> at(std::size_t i) const noexcept {
    if (i >= size_)
      return Error(errc::truncated, {}, i * Mut::fixed_size).with_needed(Mut::fixed_size);
    return (*this)[i];
  }
  constexpr lp::bytes bytes() const noexcept { return lp::bytes(data_, size_ * Mut::fixed_size); }
  constexpr lp::mut_bytes mut_bytes() const noexcept {
    return lp::mut_bytes(data_, size_ * Mut::fixed_size);
  }

  iterator begin() const noexcept { return iterator(*this, 0); }
  iterator end() const noexcept { return iterator(*this, size_); }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace lp
