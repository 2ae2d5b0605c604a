// lp::mapped_file and lp::mut_mapped_file: a whole file mapped into memory, so
// a capture or a message file can be parsed in place without reading it.
//
// Cost: open() is a few system calls (open, fstat, mmap, close); the kernel
// pages the file in as views touch it. bytes() is O(1) and copies nothing.
// Errors are values: a missing, unreadable or empty file, a directory, a device
// or a FIFO give errc::io_error with a static reason ("cannot open", "not a
// regular file", "empty file", "mmap failed") and errno in actual(); opening
// never blocks (a FIFO without a writer) and never crashes. The error does not
// name the file (it could not hold a copy of the path without allocating): the
// caller knows which path it passed.
//
// Lifetime: the object owns the mapping and unmaps it in its destructor, so
// every view of bytes() must die first. It is move-only; a moved-from object
// is empty. The file must not be truncated while mapped: touching pages past
// the new end raises SIGBUS, which no user-space check can prevent.
//
// POSIX only (mmap).
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "libparse/bytes.hpp"
#include "libparse/error.hpp"

namespace lp {

namespace detail {

inline Error io_error(std::string_view reason, int err) noexcept {
  return Error(errc::io_error, {}, 0)
      .with_text(reason)
      .with_actual(static_cast<std::uint64_t>(err));
}

// The mapping both classes own: pointer, size, munmap on destruction.
class mapping {
 public:
  mapping() noexcept = default;
  mapping(void* data, std::size_t size) noexcept : data_(data), size_(size) {}
  mapping(mapping&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  mapping& operator=(mapping&& other) noexcept {
    if (this != &other) {
      reset();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  mapping(const mapping&) = delete;
  mapping& operator=(const mapping&) = delete;
  ~mapping() { reset(); }

  void* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  void reset() noexcept {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
  }

  void* data_ = nullptr;
  std::size_t size_ = 0;
};

// Closes the descriptor on every path out of map_file().
class fd_guard {
 public:
  explicit fd_guard(int fd) noexcept : fd_(fd) {}
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  ~fd_guard() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

inline Result<mapping> map_file(const std::string& path, bool writable) noexcept {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; it
  // changes nothing for the regular files we go on to map.
  const int flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  const fd_guard fd(::open(path.c_str(), flags));
  if (fd.get() < 0) return io_error("cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot open", errno);
  // Directories, devices (/dev/null), FIFOs and sockets cannot be mapped as a file.
  if (!S_ISREG(st.st_mode)) return io_error("not a regular file", EINVAL);
  // mmap() rejects length 0; an empty file has nothing to parse anyway.
  if (st.st_size <= 0) return io_error("empty file", EINVAL);
  if (static_cast<std::uintmax_t>(st.st_size) > SIZE_MAX) return io_error("mmap failed", EFBIG);
  const auto size = static_cast<std::size_t>(st.st_size);
  const int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
  // Shared when writable so that stores reach the file; private otherwise.
  void* p = ::mmap(nullptr, size, prot, writable ? MAP_SHARED : MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) return io_error("mmap failed", errno);
  return mapping(p, size);  // the mapping stays valid after close()
}

}  // namespace detail

// A read-only mapping of a whole regular file.
class mapped_file {
 public:
  mapped_file() noexcept = default;  // empty: bytes() is empty

  static Result<mapped_file> open(const std::string& path) noexcept {
    Result<detail::mapping> m = detail::map_file(path, false);
    if (!m) return m.error();
    return mapped_file(std::move(*m));
  }

  lp::bytes bytes() const noexcept {
    return lp::bytes(static_cast<const std::byte*>(map_.data()), map_.size());
  }
  std::size_t size() const noexcept { return map_.size(); }

 private:
  explicit mapped_file(detail::mapping m) noexcept : map_(std::move(m)) {}
  detail::mapping map_;  // move-only, so mapped_file is too
};

// A read-write shared mapping: stores through mut_bytes() reach the file
// (eventually, or at sync()). Same errors as mapped_file, plus "msync failed".
class mut_mapped_file {
 public:
  mut_mapped_file() noexcept = default;

  static Result<mut_mapped_file> open(const std::string& path) noexcept {
    Result<detail::mapping> m = detail::map_file(path, true);
    if (!m) return m.error();
    return mut_mapped_file(std::move(*m));
  }

  lp::bytes bytes() const noexcept {
    return lp::bytes(static_cast<const std::byte*>(map_.data()), map_.size());
  }
  lp::mut_bytes mut_bytes() const noexcept {
    return lp::mut_bytes(static_cast<std::byte*>(map_.data()), map_.size());
  }
  std::size_t size() const noexcept { return map_.size(); }

  // Writes the changes back to the file now (msync MS_SYNC). An empty object has nothing to do.
  Status sync() const noexcept {
    if (map_.data() == nullptr) return {};
    if (::msync(map_.data(), map_.size(), MS_SYNC) != 0)
      return detail::io_error("msync failed", errno);
    return {};
  }

 private:
  explicit mut_mapped_file(detail::mapping m) noexcept : map_(std::move(m)) {}
  detail::mapping map_;
};

}  // namespace lp
