// Byte-order loads and stores at any alignment, on Boost.Endian.
//
// load_be<T>(p) / load_le<T>(p) read a T from the bytes at p whatever p's
// alignment (Boost.Endian copies through memcpy, which compilers turn into one
// load plus a byte swap). Odd widths (3, 5, 6, 7 bytes) go through load_be_n<N>.
// The element tags at the bottom (be_u16, le_f64, ...) describe one element of
// a typed array for lp::array_view.
#pragma once

#include <bit>
#include <boost/endian/conversion.hpp>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace lp {

enum class byte_order : std::uint8_t { big, little };

namespace detail {

template <class T>
inline constexpr bool is_loadable_v = (std::is_integral_v<T> && !std::is_same_v<T, bool>) ||
                                      std::is_same_v<T, float> || std::is_same_v<T, double>;

// Floats travel as the unsigned integer of the same width.
template <class T>
using bits_of_t = std::conditional_t<
    sizeof(T) == 8, std::uint64_t,
    std::conditional_t<sizeof(T) == 4, std::uint32_t,
                       std::conditional_t<sizeof(T) == 2, std::uint16_t, std::uint8_t>>>;

template <boost::endian::order Order, class T>
inline T load(const std::byte* p) noexcept {
  static_assert(is_loadable_v<T>, "lp::load: T must be an integer, float or double");
  using U = bits_of_t<T>;
  const U raw =
      boost::endian::endian_load<U, sizeof(U), Order>(reinterpret_cast<const unsigned char*>(p));
  return std::bit_cast<T>(raw);
}

template <boost::endian::order Order, class T>
inline void store(std::byte* p, T value) noexcept {
  static_assert(is_loadable_v<T>, "lp::store: T must be an integer, float or double");
  using U = bits_of_t<T>;
  boost::endian::endian_store<U, sizeof(U), Order>(reinterpret_cast<unsigned char*>(p),
                                                   std::bit_cast<U>(value));
}

}  // namespace detail

template <class T>
inline T load_be(const std::byte* p) noexcept {
  return detail::load<boost::endian::order::big, T>(p);
}
template <class T>
inline T load_le(const std::byte* p) noexcept {
  return detail::load<boost::endian::order::little, T>(p);
}
template <class T>
inline void store_be(std::byte* p, T value) noexcept {
  detail::store<boost::endian::order::big, T>(p, value);
}
template <class T>
inline void store_le(std::byte* p, T value) noexcept {
  detail::store<boost::endian::order::little, T>(p, value);
}
template <class T>
inline T load(const std::byte* p, byte_order order) noexcept {
  return order == byte_order::big ? load_be<T>(p) : load_le<T>(p);
}
template <class T>
inline void store(std::byte* p, T value, byte_order order) noexcept {
  if (order == byte_order::big) {
    store_be<T>(p, value);
  } else {
    store_le<T>(p, value);
  }
}

// N bytes (1..8) as an unsigned number; high bits of a store value beyond N
// bytes are dropped.
template <std::size_t N>
inline std::uint64_t load_be_n(const std::byte* p) noexcept {
  static_assert(N >= 1 && N <= 8);
  return boost::endian::endian_load<std::uint64_t, N, boost::endian::order::big>(
      reinterpret_cast<const unsigned char*>(p));
}
template <std::size_t N>
inline std::uint64_t load_le_n(const std::byte* p) noexcept {
  static_assert(N >= 1 && N <= 8);
  return boost::endian::endian_load<std::uint64_t, N, boost::endian::order::little>(
      reinterpret_cast<const unsigned char*>(p));
}
template <std::size_t N>
inline void store_be_n(std::byte* p, std::uint64_t value) noexcept {
  static_assert(N >= 1 && N <= 8);
  boost::endian::endian_store<std::uint64_t, N, boost::endian::order::big>(
      reinterpret_cast<unsigned char*>(p), value);
}
template <std::size_t N>
inline void store_le_n(std::byte* p, std::uint64_t value) noexcept {
  static_assert(N >= 1 && N <= 8);
  boost::endian::endian_store<std::uint64_t, N, boost::endian::order::little>(
      reinterpret_cast<unsigned char*>(p), value);
}

// Element tags: one array element of `size` bytes read as `value_type`.
namespace detail {

template <class T, std::size_t N, byte_order Order>
struct element {
  using value_type = T;
  static constexpr std::size_t size = N;
  static constexpr byte_order order = Order;

  static value_type load(const std::byte* p) noexcept {
    if constexpr (N == sizeof(T)) {
      return Order == byte_order::big ? load_be<T>(p) : load_le<T>(p);
    } else {
      // Odd widths: read N bytes, then sign-extend for signed types.
      const std::uint64_t raw = Order == byte_order::big ? load_be_n<N>(p) : load_le_n<N>(p);
      if constexpr (std::is_signed_v<T>) {
        constexpr unsigned shift = 64 - 8 * N;
        return static_cast<T>(static_cast<std::int64_t>(raw << shift) >> shift);
      } else {
        return static_cast<T>(raw);
      }
    }
  }
  static void store(std::byte* p, value_type value) noexcept {
    if constexpr (N == sizeof(T)) {
      if constexpr (Order == byte_order::big) {
        store_be<T>(p, value);
      } else {
        store_le<T>(p, value);
      }
    } else {
      const auto raw = static_cast<std::uint64_t>(value);
      if constexpr (Order == byte_order::big) {
        store_be_n<N>(p, raw);
      } else {
        store_le_n<N>(p, raw);
      }
    }
  }
};

}  // namespace detail

// One byte has no byte order.
struct u8 : detail::element<std::uint8_t, 1, byte_order::big> {};
struct i8 : detail::element<std::int8_t, 1, byte_order::big> {};

struct be_u16 : detail::element<std::uint16_t, 2, byte_order::big> {};
struct be_u24 : detail::element<std::uint32_t, 3, byte_order::big> {};
struct be_u32 : detail::element<std::uint32_t, 4, byte_order::big> {};
struct be_u40 : detail::element<std::uint64_t, 5, byte_order::big> {};
struct be_u48 : detail::element<std::uint64_t, 6, byte_order::big> {};
struct be_u56 : detail::element<std::uint64_t, 7, byte_order::big> {};
struct be_u64 : detail::element<std::uint64_t, 8, byte_order::big> {};
struct be_i16 : detail::element<std::int16_t, 2, byte_order::big> {};
struct be_i24 : detail::element<std::int32_t, 3, byte_order::big> {};
struct be_i32 : detail::element<std::int32_t, 4, byte_order::big> {};
struct be_i40 : detail::element<std::int64_t, 5, byte_order::big> {};
struct be_i48 : detail::element<std::int64_t, 6, byte_order::big> {};
struct be_i56 : detail::element<std::int64_t, 7, byte_order::big> {};
struct be_i64 : detail::element<std::int64_t, 8, byte_order::big> {};
struct be_f32 : detail::element<float, 4, byte_order::big> {};
struct be_f64 : detail::element<double, 8, byte_order::big> {};

struct le_u16 : detail::element<std::uint16_t, 2, byte_order::little> {};
struct le_u24 : detail::element<std::uint32_t, 3, byte_order::little> {};
struct le_u32 : detail::element<std::uint32_t, 4, byte_order::little> {};
struct le_u40 : detail::element<std::uint64_t, 5, byte_order::little> {};
struct le_u48 : detail::element<std::uint64_t, 6, byte_order::little> {};
struct le_u56 : detail::element<std::uint64_t, 7, byte_order::little> {};
struct le_u64 : detail::element<std::uint64_t, 8, byte_order::little> {};
struct le_i16 : detail::element<std::int16_t, 2, byte_order::little> {};
struct le_i24 : detail::element<std::int32_t, 3, byte_order::little> {};
struct le_i32 : detail::element<std::int32_t, 4, byte_order::little> {};
struct le_i40 : detail::element<std::int64_t, 5, byte_order::little> {};
struct le_i48 : detail::element<std::int64_t, 6, byte_order::little> {};
struct le_i56 : detail::element<std::int64_t, 7, byte_order::little> {};
struct le_i64 : detail::element<std::int64_t, 8, byte_order::little> {};
struct le_f32 : detail::element<float, 4, byte_order::little> {};
struct le_f64 : detail::element<double, 8, byte_order::little> {};

// The host's order, for data this machine wrote itself.
using native_u16 = std::conditional_t<std::endian::native == std::endian::big, be_u16, le_u16>;
using native_u32 = std::conditional_t<std::endian::native == std::endian::big, be_u32, le_u32>;
using native_u64 = std::conditional_t<std::endian::native == std::endian::big, be_u64, le_u64>;
using native_i16 = std::conditional_t<std::endian::native == std::endian::big, be_i16, le_i16>;
using native_i32 = std::conditional_t<std::endian::native == std::endian::big, be_i32, le_i32>;
using native_i64 = std::conditional_t<std::endian::native == std::endian::big, be_i64, le_i64>;
using native_f32 = std::conditional_t<std::endian::native == std::endian::big, be_f32, le_f32>;
using native_f64 = std::conditional_t<std::endian::native == std::endian::big, be_f64, le_f64>;

}  // namespace lp
