// lp::Error, lp::Result<T> and lp::Status: what parse() returns.
//
// An Error names the failing field by its path (`Ethernet.payload.Ipv4.ihl`),
// where it failed (byte and bit offset from the start of the outermost buffer),
// why (an errc and, for constraints, the schema's expression text) and, for
// truncation, how many more bytes were needed. It is trivially copyable and
// never allocates: path segments and text are string_views into static storage
// (the string literals of generated code). The path keeps at most max_path
// segments; deeper nesting drops the outermost ones and says so.
//
// This header needs neither fmt nor exceptions, so that generated headers, which
// include it, build with -fno-exceptions -fno-rtti. message() writes the text;
// libparse/format.hpp makes Error and errc formattable with fmt ("{}", "{:x}")
// and printable with operator<<.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace lp {

// Stable numbers: never renumber, only append.
enum class errc : std::uint8_t {
  truncated = 1,          // the buffer ends before the field does
  constraint_failed = 2,  // a `==`, `where` or `require` did not hold
  bad_length = 3,         // a length field disagrees with the region it describes
  overflow = 4,           // length/offset arithmetic overflowed (or divided by zero)
  too_deep = 5,           // nesting deeper than ParseOptions::max_depth
  bad_value = 6,          // no switch arm for a tag, or a value outside its domain
  limit_exceeded = 7,     // an element count or hop limit of ParseOptions
  bad_pointer = 8,        // an offset reference outside its message or looping
  bad_checksum = 9,       // a declared checksum does not match
  io_error = 10,          // mapped_file and friends: the file could not be read
  missing_value = 11,     // serialize(): a field it must write has no value and none is computed
};

constexpr std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::truncated:
      return "truncated";
    case errc::constraint_failed:
      return "constraint failed";
    case errc::bad_length:
      return "bad length";
    case errc::overflow:
      return "overflow";
    case errc::too_deep:
      return "too deep";
    case errc::bad_value:
      return "bad value";
    case errc::limit_exceeded:
      return "limit exceeded";
    case errc::bad_pointer:
      return "bad pointer";
    case errc::bad_checksum:
      return "bad checksum";
    case errc::io_error:
      return "I/O error";
    case errc::missing_value:
      return "missing value";
  }
  return "unknown error";
}

class Error {
 public:
  static constexpr std::size_t max_path = 16;

  // At the failing field: `field` becomes the innermost path segment. An empty
  // field name (an error about a whole buffer or file) starts an empty path.
  constexpr Error(errc code, std::string_view field, std::size_t byte_offset,
                  unsigned bit_offset = 0) noexcept
      : code_(code), bit_offset_(bit_offset), byte_offset_(byte_offset) {
    if (!field.empty()) push_outer(field);
  }

  constexpr Error& with_text(std::string_view text) noexcept {
    text_ = text;
    return *this;
  }
  constexpr Error& with_actual(std::uint64_t value) noexcept {
    actual_ = value;
    has_actual_ = true;
    actual_is_signed_ = false;
    return *this;
  }
  constexpr Error& with_actual_signed(std::int64_t value) noexcept {
    actual_ = static_cast<std::uint64_t>(value);
    has_actual_ = true;
    actual_is_signed_ = true;
    return *this;
  }
  // What a checksum should have been (errc::bad_checksum; actual() is the one read).
  constexpr Error& with_expected(std::uint64_t value) noexcept {
    expected_ = value;
    has_expected_ = true;
    return *this;
  }
  constexpr Error& with_needed(std::size_t bytes) noexcept {
    needed_ = bytes;
    return *this;
  }

  // A child ran out of a sized region (`size(n)`): not truncation, since more
  // input would not help, but bad_length. The path and offset still name the
  // innermost field that did not fit; text() is the region's size expression and
  // actual() its size.
  constexpr Error& overran_region(std::string_view region_text, std::size_t region_size) noexcept {
    code_ = errc::bad_length;
    needed_ = 0;
    text_ = region_text;
    overran_region_ = true;
    return with_actual(region_size);
  }

  // The child reported offsets inside its own buffer, which starts
  // `parent_offset` bytes into the parent's.
  constexpr Error& rebase(std::size_t parent_offset) noexcept {
    byte_offset_ += parent_offset;
    return *this;
  }

  // Adds a segment in front of the path ("payload", then "Ethernet").
  constexpr Error& push_outer(std::string_view segment) noexcept {
    if (depth_ < max_path) {
      index_[depth_] = no_index;
      path_[depth_++] = segment;
    } else {
      path_truncated_ = true;  // keep the innermost segments: they say what failed
    }
    return *this;
  }
  // An error inside element `index` of array `field`: the outermost segment (the
  // element's type name, pushed by the element's own parse) becomes `field[index]`,
  // so the path reads `Tcp.options[3].length`. Scalar elements have no segment of
  // their own: pass the Error built at the array with the field name, and this
  // adds the index to it.
  constexpr Error& element_of(std::string_view field, std::size_t index) noexcept {
    if (path_truncated_) return *this;  // the outer segments are being dropped anyway
    if (depth_ == 0 || path_[depth_ - 1] != field) {
      if (depth_ > 0) --depth_;  // replace the element's type name
      push_outer(field);
    }
    index_[depth_ - 1] = index;
    return *this;
  }

  constexpr errc code() const noexcept { return code_; }
  constexpr std::size_t byte_offset() const noexcept { return byte_offset_; }
  constexpr unsigned bit_offset() const noexcept { return bit_offset_; }
  constexpr std::size_t needed() const noexcept { return needed_; }
  constexpr std::string_view text() const noexcept { return text_; }
  constexpr bool has_actual() const noexcept { return has_actual_; }
  constexpr std::uint64_t actual() const noexcept { return actual_; }
  constexpr bool actual_is_signed() const noexcept { return actual_is_signed_; }
  constexpr bool has_expected() const noexcept { return has_expected_; }
  // Set by overran_region(): a child ran out of a sized region. The path names
  // the innermost field that did not fit, text() the region's size expression.
  constexpr bool region_overrun() const noexcept { return overran_region_; }
  constexpr std::uint64_t expected() const noexcept { return expected_; }

  constexpr std::size_t path_size() const noexcept { return depth_; }
  // Outermost first: path_segment(0) is the type parse() was called on.
  constexpr std::string_view path_segment(std::size_t i) const noexcept {
    return path_[depth_ - 1 - i];
  }
  // Segment i (outermost first) is an array element: path_index(i) is its index.
  constexpr bool path_has_index(std::size_t i) const noexcept {
    return index_[depth_ - 1 - i] != no_index;
  }
  constexpr std::size_t path_index(std::size_t i) const noexcept { return index_[depth_ - 1 - i]; }
  constexpr bool path_truncated() const noexcept { return path_truncated_; }
  // The innermost segment: the field that failed.
  constexpr std::string_view field() const noexcept {
    return depth_ == 0 ? std::string_view() : path_[0];
  }

  // "Ethernet.payload.Ipv4.ihl" (allocates; a convenience for callers).
  std::string field_path() const {
    std::string out;
    if (path_truncated_) out += "\xE2\x80\xA6.";  // "…."
    for (std::size_t i = 0; i < depth_; ++i) {
      if (i != 0) out += '.';
      out += path_segment(i);
      if (path_has_index(i)) {
        out += '[';
        out += std::to_string(path_index(i));
        out += ']';
      }
    }
    return out;
  }

  // "constraint failed at byte 0 bit 4: Ipv4.ihl (ihl >= 5), got 3"
  // "truncated at byte 2: Ipv4.total_length, 17 more bytes needed"
  // "bad checksum at byte 10: Ipv4.checksum (internet), got 0x1234, expected 0xb861"
  // What fmt::format("{}", error) prints; `hex` prints the values read in hex, as
  // "{:x}" does (checksums always are: every packet tool prints them so).
  std::string message(bool hex = false) const {
    std::string out;
    write_message(std::back_inserter(out), hex);
    return out;
  }

  // message() written to an output iterator of char, allocating nothing.
  template <class Out>
  Out write_message(Out out, bool hex = false) const {
    const auto put = [&out](std::string_view text) {
      for (const char c : text) *out++ = c;
    };
    // Decimal, or hex with a 0x prefix as fmt's {:#x} writes it ("0x0" for 0).
    const auto number = [&put](std::uint64_t value, bool in_hex) {
      std::array<char, 24> digits{};
      if (in_hex) put("0x");
      const auto end =
          std::to_chars(digits.data(), digits.data() + digits.size(), value, in_hex ? 16 : 10).ptr;
      put(std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
    };
    put(to_string(code_));
    if (code_ == errc::io_error) {
      // File errors carry errno in actual(): name it instead of printing a number.
      put(": ");
      put(text_);
      if (has_actual_) {
        put(" (");
        put(std::strerror(static_cast<int>(actual_)));
        put(")");
      }
      return out;
    }
    put(" at byte ");
    number(byte_offset_, false);
    if (bit_offset_ != 0) {
      put(" bit ");
      number(bit_offset_, false);
    }
    if (depth_ != 0 || path_truncated_) {
      put(": ");
      if (path_truncated_) put("\xE2\x80\xA6.");  // "…."
      for (std::size_t i = 0; i < depth_; ++i) {
        if (i != 0) put(".");
        put(path_segment(i));
        if (path_has_index(i)) {
          put("[");
          number(path_index(i), false);
          put("]");
        }
      }
    }
    if (!text_.empty()) {
      put(" (");
      put(text_);
      put(")");
    }
    const bool in_hex = hex || code_ == errc::bad_checksum;
    if (has_actual_) {
      put(", got ");
      if (actual_is_signed_ && static_cast<std::int64_t>(actual_) < 0) {
        put("-");
        number(0 - actual_, false);
      } else {
        number(actual_, in_hex && !actual_is_signed_);
      }
    }
    if (has_expected_) {
      put(", expected ");
      number(expected_, in_hex);
    }
    if (code_ == errc::truncated && needed_ != 0) {
      put(", ");
      number(needed_, false);
      put(needed_ == 1 ? " more byte needed" : " more bytes needed");
    }
    return out;
  }

 private:
  errc code_;
  bool has_actual_ = false;
  bool actual_is_signed_ = false;
  bool path_truncated_ = false;
  bool has_expected_ = false;
  bool overran_region_ = false;
  unsigned bit_offset_ = 0;
  std::size_t byte_offset_ = 0;
  std::size_t needed_ = 0;
  std::uint64_t actual_ = 0;
  std::uint64_t expected_ = 0;
  std::string_view text_;
  std::size_t depth_ = 0;
  std::array<std::string_view, max_path> path_{};  // innermost first
  static constexpr std::size_t no_index = static_cast<std::size_t>(-1);
  std::array<std::size_t, max_path> index_{};  // per segment: element index or no_index
};

static_assert(std::is_trivially_copyable_v<Error>);

namespace detail {
[[noreturn]] inline void bad_result_access(const Error& error) noexcept {
  std::fputs("lp::Result::value() on an error: ", stderr);
  const std::string text = error.message();
  std::fputs(text.c_str(), stderr);
  std::fputc('\n', stderr);
  std::abort();
}
}  // namespace detail

// A view whose accessors return references into itself: generated views that
// store the views of their variable-size children (the lp::optional_ref
// accessors) declare `using stores_child_views = void;`. Result refuses `->` on
// a temporary of one.
template <class T>
concept stores_child_views = requires {
  typename T::stores_child_views;
};

// A T or an Error, without heap allocation or exceptions.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit by design
      : ok_(true), value_(std::move(value)) {}
  Result(Error error) noexcept : ok_(false), error_(error) {}  // NOLINT: implicit by design
  // A default-constructed value to fill in place (generated parse() does, so the
  // view is never copied on its way out).
  explicit Result(std::in_place_t) noexcept(std::is_nothrow_default_constructible_v<T>)
      : ok_(true) {
    ::new (static_cast<void*>(&value_)) T;  // default-initialized: no zeroing beyond T's own
  }
  // The same with a constructor of one argument (a generated view's
  // lp::for_parse constructor: no switch arm's view built before parse_into()
  // takes the arm).
  template <class Arg>
  Result(std::in_place_t, Arg arg) noexcept(std::is_nothrow_constructible_v<T, Arg>) : ok_(true) {
    ::new (static_cast<void*>(&value_)) T(arg);
  }
  Result(const Result& other) noexcept(std::is_nothrow_copy_constructible_v<T>) : ok_(other.ok_) {
    if (ok_) {
      new (&value_) T(other.value_);
    } else {
      new (&error_) Error(other.error_);
    }
  }
  Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(other.ok_) {
    if (ok_) {
      new (&value_) T(std::move(other.value_));
    } else {
      new (&error_) Error(other.error_);
    }
  }
  // Member by member: the old value or error ends, the new one begins.
  Result& operator=(const Result& other) {
    if (this != &other) assign(other.ok_, other.value_, other.error_);
    return *this;
  }
  Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) assign(other.ok_, std::move(other.value_), other.error_);
    return *this;
  }
  ~Result() {
    if (ok_) value_.~T();
  }

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }

  // Aborts with the error's message when there is no value.
  T& value() & {
    if (!ok_) detail::bad_result_access(error_);
    return value_;
  }
  const T& value() const& {
    if (!ok_) detail::bad_result_access(error_);
    return value_;
  }
  T&& value() && {
    if (!ok_) detail::bad_result_access(error_);
    return std::move(value_);
  }
  const T&& value() const&& {
    if (!ok_) detail::bad_result_access(error_);
    return std::move(value_);
  }
  // Precondition: has_value(). On a temporary Result, `*` moves the value out,
  // so an accessor called on it takes its `&&` overload and hands out a copy,
  // never a reference into the Result that dies at the end of the statement.
  T& operator*() & noexcept { return value_; }
  const T& operator*() const& noexcept { return value_; }
  T&& operator*() && noexcept { return std::move(value_); }
  const T&& operator*() const&& noexcept { return std::move(value_); }
  T* operator->() & noexcept { return &value_; }
  const T* operator->() const& noexcept { return &value_; }
  T* operator->() && noexcept requires(!stores_child_views<T>) { return &value_; }
  const T* operator->() const&& noexcept requires(!stores_child_views<T>) { return &value_; }
  // `->` on a temporary Result of a view that stores its children
  // (`Ipv4::parse(b)->payload_tcp()`) does not compile: the accessor would be
  // called on the temporary through an lvalue and hand out a reference into it,
  // dangling after the statement. Name the Result (and check it), or use
  // `.value()` or `*`, which move the view out of the temporary.
  T* operator->() && requires stores_child_views<T>
  = delete;
  const T* operator->() const&& requires stores_child_views<T>
  = delete;
  // Precondition: !has_value().
  const Error& error() const noexcept { return error_; }

 private:
  template <class V>
  void assign(bool ok, V&& value, const Error& error) {
    if (ok_) value_.~T();
    ok_ = ok;
    if (ok) {
      ::new (static_cast<void*>(&value_)) T(std::forward<V>(value));
    } else {
      ::new (static_cast<void*>(&error_)) Error(error);
    }
  }

  bool ok_;
  union {
    T value_;
    Error error_;
  };
};

// Success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  // Success writes one flag: parse() returns a Status per nesting level, and an
  // Error is several hundred bytes.
  Result() noexcept : ok_(true) {}
  Result(Error error) noexcept : ok_(false), error_(error) {}  // NOLINT: implicit by design
  // A success copies one flag, not the Error's bytes (lp::Partial copies statuses).
  Result(const Result& other) noexcept : ok_(other.ok_) {
    if (!ok_) ::new (static_cast<void*>(&error_)) Error(other.error_);
  }
  Result& operator=(const Result& other) noexcept {
    if (this == &other) return *this;
    ok_ = other.ok_;
    if (!ok_) ::new (static_cast<void*>(&error_)) Error(other.error_);
    return *this;
  }

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) detail::bad_result_access(error_);
  }
  // Precondition: !has_value().
  const Error& error() const noexcept { return error_; }

 private:
  bool ok_;
  union {
    Error error_;  // live when !ok_
  };
};

using Status = Result<void>;

// The failure path of generated parse_into(): `make()` builds the Error, in a
// function of its own that is never inlined. An Error is several hundred bytes;
// built inline, each of a parser's error sites would take that much of its stack
// frame and code, and the success path would pay for it in spills and in children
// the compiler no longer inlines.
template <class Make>
[[gnu::cold, gnu::noinline]] Status cold_error(const Make& make) noexcept {
  return make();
}

}  // namespace lp
