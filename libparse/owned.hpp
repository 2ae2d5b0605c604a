// lp::owned<View>: a view together with the buffer it points into, for callers
// whose bytes must travel with the parsed view (queued messages, a parse
// result returned from a function that read the bytes).
//
// Cost: parse() moves the vector in (no copy) and runs View::parse once; the
// accessors are the view's own. Moving an owned moves the vector, whose heap
// block stays where it is, so the view stays valid without re-parsing.
// Lifetime: views and bytes taken out of it (owned->payload(), view())
// live as long as the owned object; a moved-from owned holds an empty view.
// Move-only: a copy would need its own buffer and a second parse.
//
// Everything else in libparse borrows memory and never owns it; this is the
// one place that allocates, and only because the caller handed over a vector.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "libparse/bytes.hpp"
#include "libparse/error.hpp"
#include "libparse/options.hpp"

namespace lp {

template <class View>
class owned {
 public:
  // View may be a read-only view or a Mut view: both accept mut_bytes (the
  // read-only parse() through mut_bytes' conversion to bytes).
  static Result<owned> parse(std::vector<std::byte> buffer,
                             const ParseOptions& options = {}) noexcept {
    Result<View> v = View::parse(lp::mut_bytes(buffer), options);
    if (!v) return v.error();
    return owned(std::move(buffer), std::move(*v));
  }

  owned(owned&& other) noexcept
      : buffer_(std::move(other.buffer_)), view_(std::exchange(other.view_, View{})) {}
  owned& operator=(owned&& other) noexcept {
    if (this != &other) {
      buffer_ = std::move(other.buffer_);
      view_ = std::exchange(other.view_, View{});
    }
    return *this;
  }
  owned(const owned&) = delete;
  owned& operator=(const owned&) = delete;
  ~owned() = default;

  const View* operator->() const noexcept { return &view_; }
  const View& operator*() const noexcept { return view_; }
  const View& view() const noexcept { return view_; }
  // Non-const access, for Mut views whose setters are non-const members.
  View* operator->() noexcept { return &view_; }
  View& operator*() noexcept { return view_; }
  View& view() noexcept { return view_; }
  // The whole buffer, which may be longer than view().bytes().
  const std::vector<std::byte>& buffer() const noexcept { return buffer_; }

 private:
  owned(std::vector<std::byte>&& buffer, View&& view) noexcept
      : buffer_(std::move(buffer)), view_(std::move(view)) {}

  std::vector<std::byte> buffer_;
  View view_;  // points into buffer_'s heap block
};

}  // namespace lp
