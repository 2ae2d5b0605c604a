// lp::optional_value<T>: a small trivially copyable value, or nothing.
//
// What generated accessors return for a switch arm, an optional field or a
// field name that may not exist: `if (auto echo = icmp.body_echo()) echo->id()`,
// the same as with std::optional<T>. Generated headers name one of these per
// view type; std::optional's layered bases and traits made instantiating them a
// third of the compile time of a translation unit that includes net/dns.lp.hpp
// (docs/performance.md, "Compile time and generated size"). This class is one
// union and a flag. It converts to std::optional<T> for code that keeps one.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <new>
#include <optional>
#include <type_traits>  // enable_if_t, is_same_v

namespace lp {

template <class T>
class optional_value {
  // The builtin behind std::is_trivially_copyable (g++ and clang++): the trait's
  // own checks cost more than this whole class per instantiation. Trivially
  // copyable implies a trivial destructor.
  static_assert(__is_trivially_copyable(T),
                "lp::optional_value holds views, spans, integers and enums only");

 public:
  using value_type = T;

  constexpr optional_value() noexcept : empty_() {}
  // NOLINTNEXTLINE: implicit, as for std::optional
  constexpr optional_value(std::nullopt_t) noexcept : empty_() {}
  constexpr optional_value(const T& value) noexcept  // NOLINT: implicit, as for std::optional
      : value_(value), has_value_(true) {}

  constexpr bool has_value() const noexcept { return has_value_; }
  constexpr explicit operator bool() const noexcept { return has_value_; }

  // Precondition: has_value(). Non-const too: a Mut view's setters are non-const
  // members (`msg.body_point_mut()->set_x(1)`).
  constexpr const T& operator*() const noexcept { return value_; }
  constexpr T& operator*() noexcept { return value_; }
  constexpr const T* operator->() const noexcept { return &value_; }
  constexpr T* operator->() noexcept { return &value_; }

  // Aborts when empty (std::optional would throw; libparse does not).
  const T& value() const noexcept {
    if (!has_value_) {
      std::fputs("lp::optional_value::value() on an empty optional_value\n", stderr);
      std::abort();
    }
    return value_;
  }
  constexpr T value_or(T fallback) const noexcept { return has_value_ ? value_ : fallback; }

  // A std::optional<T> for code that wants one. A template, so that std::optional<T>
  // is instantiated only where it is used.
  template <class U, class = std::enable_if_t<std::is_same_v<U, T>>>
  constexpr operator std::optional<U>() const noexcept {  // NOLINT: implicit by design
    if (!has_value_) return std::nullopt;
    return value_;
  }

  friend constexpr bool operator==(const optional_value& o, std::nullopt_t) noexcept {
    return !o.has_value_;
  }
  // Equal to a value when it holds an equal one (for T with ==, as std::optional).
  friend constexpr bool operator==(const optional_value& o, const T& v) noexcept {
    return o.has_value_ && o.value_ == v;
  }

 private:
  union {
    char empty_;
    T value_;
  };
  bool has_value_ = false;
};

}  // namespace lp
