// lp::PointerChain: following references to an absolute offset of a message
// (`target: DnsName at offset;`, DNS name compression) without loops.
//
// A generated reference accessor takes the chain, which holds the whole message,
// the ParseOptions and what the walk has done so far. Each hop must land strictly
// before the previous one (before the referring struct, on the first hop), so a
// chain ends after at most message.size() hops whatever the bytes say; a pointer
// loop or a forward pointer is errc::bad_pointer at the referring struct, never a
// hang. ParseOptions::max_pointer_hops bounds the work more tightly.
//
// One chain per walk (one DNS name with all its pointers); start a new one for
// the next. Cost: O(1) per hop plus the target's parse(); no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "libparse/bytes.hpp"
#include "libparse/error.hpp"
#include "libparse/options.hpp"

namespace lp {

class PointerChain {
 public:
  explicit PointerChain(bytes message, const ParseOptions& options = {}) noexcept
      : message_(message), options_(options) {}

  bytes message() const noexcept { return message_; }
  const ParseOptions& options() const noexcept { return options_; }
  std::size_t hops() const noexcept { return hops_; }

  // One hop: `from` is the referring struct's bytes, `target` the offset it names
  // (from the message's first byte). The message from `target` on, or the error
  // at the referring struct, naming `field` of `type`.
  Result<bytes> follow(bytes from, std::uint64_t target, std::string_view type,
                       std::string_view field) noexcept {
    const std::byte* begin = message_.data();
    const std::byte* end = begin + message_.size();
    const std::less<const std::byte*> before;  // a total order, even across buffers
    if (before(from.data(), begin) || before(end, from.data() + from.size())) {
      return Error(errc::bad_pointer, field, 0)
          .push_outer(type)
          .with_text("the referring struct is not inside the chain's message");
    }
    const std::size_t here = static_cast<std::size_t>(from.data() - begin);
    const std::size_t bound = here < bound_ ? here : bound_;
    if (target >= bound) {
      return Error(errc::bad_pointer, field, here)
          .push_outer(type)
          .with_text(hops_ == 0 ? "points forward or at itself"
                                : "does not point before the previous target (a loop)")
          .with_actual(target);
    }
    if (hops_ >= options_.max_pointer_hops) {
      return Error(errc::limit_exceeded, field, here)
          .push_outer(type)
          .with_text("more pointer hops than ParseOptions::max_pointer_hops")
          .with_actual(hops_ + 1);
    }
    ++hops_;
    bound_ = static_cast<std::size_t>(target);
    return message_.drop_first(bound_);
  }

  // An error of the target's parse(), which counts offsets from `target`: from the
  // message's start, under the referring struct's field.
  static Error rebase(Error error, std::uint64_t target, std::string_view type,
                      std::string_view field) noexcept {
    error.rebase(static_cast<std::size_t>(target)).push_outer(field).push_outer(type);
    return error;
  }

 private:
  bytes message_;
  ParseOptions options_;
  std::size_t hops_ = 0;
  std::size_t bound_ = static_cast<std::size_t>(-1);  // the next target must be below this
};

}  // namespace lp
