// mapped_file.hpp against real files: contents, move-only ownership, writes
// through the shared mapping, and every way opening can fail.
#include <libparse/mapped_file.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>
#include <utility>

#include "libparse/format.hpp"

namespace {

static_assert(!std::is_copy_constructible_v<lp::mapped_file>);
static_assert(!std::is_copy_assignable_v<lp::mapped_file>);
static_assert(std::is_nothrow_move_constructible_v<lp::mapped_file>);
static_assert(std::is_nothrow_move_assignable_v<lp::mapped_file>);
static_assert(!std::is_copy_constructible_v<lp::mut_mapped_file>);
static_assert(std::is_nothrow_move_constructible_v<lp::mut_mapped_file>);

// A fresh directory per test, removed afterwards.
class MappedFile : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("lp_mapped_file_{}_{}", ::getpid(), info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(dir_, ec);
  }
  std::string write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  static void expect_io_error(const lp::Result<lp::mapped_file>& r, std::string_view reason,
                              int err) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), lp::errc::io_error);
    EXPECT_EQ(r.error().text(), reason);
    EXPECT_TRUE(r.error().has_actual());
    EXPECT_EQ(r.error().actual(), static_cast<std::uint64_t>(err));
  }

  std::filesystem::path dir_;
};

TEST_F(MappedFile, MapsTheWholeFile) {
  const std::string path = write("data.bin", std::string("\x01\x02\x03hello", 8));
  lp::Result<lp::mapped_file> f = lp::mapped_file::open(path);
  ASSERT_TRUE(f.has_value()) << f.error().message();
  EXPECT_EQ(f->size(), 8u);
  EXPECT_EQ(f->bytes().size(), 8u);
  EXPECT_EQ(f->bytes().u8(2), 3u);
  EXPECT_EQ(f->bytes().drop_first(3).as_string_view(), "hello");
  EXPECT_EQ(f->bytes().data(), f->bytes().data());  // stable: no copy per call
}

TEST_F(MappedFile, MoveTransfersTheMapping) {
  const std::string path = write("data.bin", "abc");
  lp::mapped_file a = std::move(lp::mapped_file::open(path).value());
  const std::byte* data = a.bytes().data();
  lp::mapped_file b(std::move(a));
  EXPECT_EQ(b.bytes().data(), data);
  EXPECT_TRUE(
      a.bytes().empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_EQ(a.size(), 0u);
  lp::mapped_file c;
  EXPECT_TRUE(c.bytes().empty());
  c = std::move(b);
  EXPECT_EQ(c.bytes().as_string_view(), "abc");
  c = lp::mapped_file();  // unmaps; ASan/valgrind would flag a double unmap or a leak
  EXPECT_EQ(c.size(), 0u);
}

TEST_F(MappedFile, MissingFile) {
  const auto r = lp::mapped_file::open((dir_ / "nope").string());
  expect_io_error(r, "cannot open", ENOENT);
  EXPECT_EQ(fmt::format("{}", r.error()), "I/O error: cannot open (No such file or directory)");
}

TEST_F(MappedFile, EmptyFile) {
  expect_io_error(lp::mapped_file::open(write("empty", "")), "empty file", EINVAL);
}

TEST_F(MappedFile, Directory) {
  expect_io_error(lp::mapped_file::open(dir_.string()), "not a regular file", EINVAL);
}

TEST_F(MappedFile, DevNull) {
  expect_io_error(lp::mapped_file::open("/dev/null"), "not a regular file", EINVAL);
}

TEST_F(MappedFile, FifoDoesNotBlock) {
  const std::string path = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  // Without O_NONBLOCK this open would wait for a writer forever.
  expect_io_error(lp::mapped_file::open(path), "not a regular file", EINVAL);
}

TEST_F(MappedFile, EmptyPath) { expect_io_error(lp::mapped_file::open(""), "cannot open", ENOENT); }

TEST_F(MappedFile, UnreadableFile) {
  const std::string path = write("secret", "data");
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  if (::access(path.c_str(), R_OK) != 0) {
    expect_io_error(lp::mapped_file::open(path), "cannot open", EACCES);
    return;
  }
  // Root reads anything: check in a child that gives up root first.
  if (::geteuid() != 0) GTEST_SKIP() << "file readable despite mode 000";
  EXPECT_EXIT(
      {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) std::_Exit(2);
        const auto r = lp::mapped_file::open(path);
        const bool ok = !r.has_value() && r.error().text() == "cannot open" &&
                        r.error().actual() == static_cast<std::uint64_t>(EACCES);
        std::_Exit(ok ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

TEST_F(MappedFile, MutableMappingWritesTheFile) {
  const std::string path = write("rw.bin", "hello");
  {
    lp::Result<lp::mut_mapped_file> f = lp::mut_mapped_file::open(path);
    ASSERT_TRUE(f.has_value()) << f.error().message();
    EXPECT_EQ(f->size(), 5u);
    f->mut_bytes()[0] = std::byte{'J'};
    EXPECT_EQ(f->bytes().as_string_view(), "Jello");
    EXPECT_TRUE(f->sync().has_value());
  }
  std::ifstream in(path, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "Jello");
  EXPECT_TRUE(lp::mut_mapped_file().sync().has_value());  // nothing mapped, nothing to do
}

TEST_F(MappedFile, MutableErrors) {
  const auto missing = lp::mut_mapped_file::open((dir_ / "nope").string());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().text(), "cannot open");
  const auto empty = lp::mut_mapped_file::open(write("empty", ""));
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().text(), "empty file");
  const auto dev = lp::mut_mapped_file::open("/dev/null");
  ASSERT_FALSE(dev.has_value());
  EXPECT_EQ(dev.error().text(), "not a regular file");
  // Read-only file: opening for writing fails (unless root).
  const std::string ro = write("ro", "data");
  ASSERT_EQ(::chmod(ro.c_str(), 0400), 0);
  if (::access(ro.c_str(), W_OK) != 0) {
    const auto r = lp::mut_mapped_file::open(ro);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().actual(), static_cast<std::uint64_t>(EACCES));
  }
  // A read-only mapping of the same file still works.
  EXPECT_TRUE(lp::mapped_file::open(ro).has_value());
}

}  // namespace
