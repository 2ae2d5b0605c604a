// Overflow-checked arithmetic for lengths, counts and offsets.
//
// lp::checked<T> is a value plus an ok flag. Every operator propagates failure,
// and fails on overflow, on going below zero (unsigned), on division or
// remainder by zero, and on shifts by 64 or more (or by a negative amount), so
// that `bytes[length - 8]` with length = 3 is an error, never a huge length.
// Generated parse() code evaluates every schema expression in checked<uint64_t>
// (or checked<int64_t> when a signed operand is involved).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace lp {

template <class T>
class checked {
  static_assert(std::is_same_v<T, std::uint64_t> || std::is_same_v<T, std::int64_t>,
                "lp::checked<T>: T is std::uint64_t or std::int64_t");

 public:
  using value_type = T;

  constexpr checked() noexcept = default;
  // From T and from any integer whose value fits in T.
  template <class U>
  requires std::is_integral_v<U>
  constexpr checked(U v) noexcept  // NOLINT: implicit, so literals mix with checked values
      : value_(static_cast<T>(v)), ok_(fits<U>(v)) {}

  static constexpr checked failed() noexcept {
    checked c;
    c.ok_ = false;
    return c;
  }

  constexpr bool ok() const noexcept { return ok_; }
  // Precondition: ok().
  constexpr T value() const noexcept { return value_; }

  friend constexpr checked operator+(checked a, checked b) noexcept {
    T r{};
    if (!a.ok_ || !b.ok_ || __builtin_add_overflow(a.value_, b.value_, &r)) return failed();
    return checked(r);
  }
  friend constexpr checked operator-(checked a, checked b) noexcept {
    T r{};
    if (!a.ok_ || !b.ok_ || __builtin_sub_overflow(a.value_, b.value_, &r)) return failed();
    return checked(r);
  }
  friend constexpr checked operator*(checked a, checked b) noexcept {
    T r{};
    if (!a.ok_ || !b.ok_ || __builtin_mul_overflow(a.value_, b.value_, &r)) return failed();
    return checked(r);
  }
  friend constexpr checked operator/(checked a, checked b) noexcept {
    if (!a.ok_ || !b.ok_ || b.value_ == 0) return failed();
    if constexpr (std::is_signed_v<T>) {
      if (a.value_ == std::numeric_limits<T>::min() && b.value_ == -1) return failed();
    }
    return checked(a.value_ / b.value_);
  }
  friend constexpr checked operator%(checked a, checked b) noexcept {
    if (!a.ok_ || !b.ok_ || b.value_ == 0) return failed();
    if constexpr (std::is_signed_v<T>) {
      if (a.value_ == std::numeric_limits<T>::min() && b.value_ == -1) return failed();
    }
    return checked(a.value_ % b.value_);
  }
  // Shifts: bits shifted out of a left shift are an overflow too.
  friend constexpr checked operator<<(checked a, checked b) noexcept {
    if (!a.ok_ || !b.ok_ || b.value_ < 0 || b.value_ >= 64) return failed();
    if constexpr (std::is_signed_v<T>) {
      if (a.value_ < 0) return failed();
    }
    const auto ua = static_cast<std::uint64_t>(a.value_);
    const auto shift = static_cast<unsigned>(b.value_);
    const std::uint64_t r = ua << shift;
    if ((r >> shift) != ua || r > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      return failed();
    }
    return checked(static_cast<T>(r));
  }
  friend constexpr checked operator>>(checked a, checked b) noexcept {
    if (!a.ok_ || !b.ok_ || b.value_ < 0 || b.value_ >= 64) return failed();
    return checked(static_cast<T>(a.value_ >> static_cast<unsigned>(b.value_)));
  }
  friend constexpr checked operator&(checked a, checked b) noexcept {
    if (!a.ok_ || !b.ok_) return failed();
    return checked(static_cast<T>(a.value_ & b.value_));
  }
  friend constexpr checked operator|(checked a, checked b) noexcept {
    if (!a.ok_ || !b.ok_) return failed();
    return checked(static_cast<T>(a.value_ | b.value_));
  }
  friend constexpr checked operator^(checked a, checked b) noexcept {
    if (!a.ok_ || !b.ok_) return failed();
    return checked(static_cast<T>(a.value_ ^ b.value_));
  }
  constexpr checked operator~() const noexcept {
    if (!ok_) return failed();
    return checked(static_cast<T>(~value_));
  }
  // Negating an unsigned value is only defined for 0.
  constexpr checked operator-() const noexcept {
    if (!ok_) return failed();
    if constexpr (std::is_signed_v<T>) {
      if (value_ == std::numeric_limits<T>::min()) return failed();
      return checked(static_cast<T>(-value_));
    } else {
      return value_ == 0 ? checked(T{0}) : failed();
    }
  }
  constexpr checked operator!() const noexcept {
    if (!ok_) return failed();
    return checked(static_cast<T>(value_ == 0 ? 1 : 0));
  }

#define LP_CHECKED_COMPARISON(op)                                       \
  friend constexpr checked operator op(checked a, checked b) noexcept { \
    if (!a.ok_ || !b.ok_) return failed();                              \
    return checked(static_cast<T>(a.value_ op b.value_ ? 1 : 0));       \
  }
  LP_CHECKED_COMPARISON(==)
  LP_CHECKED_COMPARISON(!=)
  LP_CHECKED_COMPARISON(<)
  LP_CHECKED_COMPARISON(<=)
  LP_CHECKED_COMPARISON(>)
  LP_CHECKED_COMPARISON(>=)
#undef LP_CHECKED_COMPARISON

 private:
  template <class U>
  static constexpr bool fits(U v) noexcept {
    if constexpr (std::is_signed_v<U> && std::is_unsigned_v<T>) {
      return v >= 0;
    } else if constexpr (std::is_unsigned_v<U> && std::is_signed_v<T>) {
      return static_cast<std::uint64_t>(v) <=
             static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    } else {
      return true;  // same signedness: U is at most 64 bits wide
    }
  }

  T value_ = 0;
  bool ok_ = true;
};

using cu64 = checked<std::uint64_t>;
using ci64 = checked<std::int64_t>;

constexpr ci64 to_signed(cu64 v) noexcept {
  if (!v.ok()) return ci64::failed();
  return ci64(v.value());  // fails above INT64_MAX (checked's converting constructor)
}
constexpr cu64 to_unsigned(ci64 v) noexcept {
  if (!v.ok()) return cu64::failed();
  return cu64(v.value());  // fails below zero
}

// Results of short-circuit operators: an error on the side not taken does not
// count (`n == 0 || 100 / n > 2` is fine for n == 0).
template <class T>
constexpr checked<T> land(checked<T> a, checked<T> b) noexcept {
  if (!a.ok()) return checked<T>::failed();
  if (a.value() == 0) return checked<T>(T{0});
  if (!b.ok()) return checked<T>::failed();
  return checked<T>(static_cast<T>(b.value() != 0 ? 1 : 0));
}
template <class T>
constexpr checked<T> lor(checked<T> a, checked<T> b) noexcept {
  if (!a.ok()) return checked<T>::failed();
  if (a.value() != 0) return checked<T>(T{1});
  if (!b.ok()) return checked<T>::failed();
  return checked<T>(static_cast<T>(b.value() != 0 ? 1 : 0));
}
template <class T>
constexpr checked<T> select(checked<T> condition, checked<T> if_true,
                            checked<T> if_false) noexcept {
  if (!condition.ok()) return checked<T>::failed();
  return condition.value() != 0 ? if_true : if_false;
}

// Offsets: *out = a + b; true when that overflows (like __builtin_add_overflow).
constexpr bool add_overflows(std::size_t a, std::size_t b, std::size_t* out) noexcept {
  return __builtin_add_overflow(a, b, out);
}

}  // namespace lp
