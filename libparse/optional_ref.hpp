// lp::optional_ref<T>: a view that a parent view holds, or nothing.
//
// A parsed view stores the views of its variable-size children (the arm a switch
// took, an optional struct field) inside itself. Their accessors return an
// optional_ref to that storage instead of a std::optional copy: for an Ethernet
// frame the IPv4 view is about 180 bytes, and copying it on every access was a
// large share of the time per packet. It reads like std::optional<T>
// (`if (auto ip = eth->payload_ipv4()) ip->ttl()`); keep the parent view alive
// while you use it, or convert to lp::optional_value<T> or std::optional<T> to
// keep a copy of your own.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <type_traits>

#include "libparse/optional_value.hpp"

namespace lp {

template <class T>
class optional_ref {
 public:
  using value_type = T;

  constexpr optional_ref() noexcept = default;
  constexpr optional_ref(std::nullopt_t) noexcept {}  // NOLINT: implicit, as for std::optional
  // Explicit, so that it is never made by accident.
  constexpr explicit optional_ref(const T& value) noexcept : value_(&value) {}
  optional_ref(const T&&) = delete;  // a temporary would be gone after the statement

  constexpr bool has_value() const noexcept { return value_ != nullptr; }
  constexpr explicit operator bool() const noexcept { return value_ != nullptr; }

  // Precondition: has_value().
  constexpr const T& operator*() const noexcept { return *value_; }
  constexpr const T* operator->() const noexcept { return value_; }

  // Aborts when empty (std::optional would throw; libparse does not).
  const T& value() const noexcept {
    if (value_ == nullptr) {
      std::fputs("lp::optional_ref::value() on an empty optional_ref\n", stderr);
      std::abort();
    }
    return *value_;
  }
  constexpr T value_or(T fallback) const noexcept { return value_ ? *value_ : fallback; }

  // A copy that outlives the parent view, for a trivially copyable T (views).
  // Both conversions are templates, so that lp::optional_value<T> and
  // std::optional<T> are instantiated only where they are used.
  template <class U, class = std::enable_if_t<std::is_same_v<U, T>&& __is_trivially_copyable(U)>>
  constexpr operator optional_value<U>() const noexcept {  // NOLINT: implicit by design
    if (value_ == nullptr) return std::nullopt;
    return *value_;
  }
  template <class U, class = std::enable_if_t<std::is_same_v<U, T>>>
  constexpr operator std::optional<U>() const noexcept {  // NOLINT: implicit by design
    if (value_ == nullptr) return std::nullopt;
    return *value_;
  }

  friend constexpr bool operator==(optional_ref ref, std::nullopt_t) noexcept {
    return ref.value_ == nullptr;
  }

 private:
  const T* value_ = nullptr;
};

}  // namespace lp
