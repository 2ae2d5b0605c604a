// owned.hpp: the view travels with its buffer through moves.
#include <libparse/owned.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "libparse/format.hpp"
#include "test_views.hpp"

namespace {

static_assert(!std::is_copy_constructible_v<lp::owned<lpt::UdpView>>);
static_assert(std::is_nothrow_move_constructible_v<lp::owned<lpt::UdpView>>);

std::vector<std::byte> udp_bytes(std::size_t extra = 0) {
  std::vector<std::byte> v = {std::byte{0x00}, std::byte{0x35}, std::byte{0x04}, std::byte{0xd2},
                              std::byte{0x00}, std::byte{0x0c}, std::byte{0x00}, std::byte{0x00},
                              std::byte{0xde}, std::byte{0xad}, std::byte{0xbe}, std::byte{0xef}};
  v.resize(v.size() + extra, std::byte{0x99});
  return v;
}

lp::owned<lpt::UdpView> make() {
  // The buffer lives only inside this function's owned result.
  return std::move(lp::owned<lpt::UdpView>::parse(udp_bytes(3)).value());
}

TEST(Owned, ParsesWithoutCopyingTheBuffer) {
  std::vector<std::byte> buf = udp_bytes();
  const std::byte* data = buf.data();
  lp::Result<lp::owned<lpt::UdpView>> r = lp::owned<lpt::UdpView>::parse(std::move(buf));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->view().bytes().data(), data);  // the same heap block
  EXPECT_EQ((*r)->src_port(), 53u);
  EXPECT_EQ(r->buffer().data(), data);
}

TEST(Owned, ViewSurvivesMoves) {
  lp::owned<lpt::UdpView> a = make();
  EXPECT_EQ(a->dst_port(), 1234u);
  EXPECT_EQ(a.buffer().size(), 15u);  // the whole buffer, longer than the datagram
  EXPECT_EQ(a->bytes().size(), 12u);
  lp::owned<lpt::UdpView> b = std::move(a);
  EXPECT_EQ(b->payload().to_vector(), (std::vector<std::byte>{std::byte{0xde}, std::byte{0xad},
                                                              std::byte{0xbe}, std::byte{0xef}}));
  EXPECT_EQ(a->bytes().size(),
            0u);  // NOLINT(bugprone-use-after-move): moved-from holds an empty view
  std::vector<lp::owned<lpt::UdpView>> queue;
  for (int i = 0; i < 20; ++i) queue.push_back(make());  // reallocation moves them all
  for (const auto& o : queue) EXPECT_EQ(o->length(), 12u);
  b = std::move(queue.back());
  EXPECT_EQ(
      fmt::format("{}", b.view()),
      "Udp{src_port: 53, dst_port: 1234, length: 12, checksum: 0, payload: 4 bytes [de ad be ef]}");
}

TEST(Owned, ParseErrorsComeBackAsIs) {
  std::vector<std::byte> bad = udp_bytes();
  bad[5] = std::byte{3};  // length 3 < 8
  const auto r = lp::owned<lpt::UdpView>::parse(std::move(bad));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "constraint failed at byte 4: Udp.length (length >= 8), got 3");
  const auto empty = lp::owned<lpt::UdpView>::parse({});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code(), lp::errc::truncated);
}

TEST(Owned, MutViewsWrite) {
  lp::Result<lp::owned<lpt::UdpMut>> r = lp::owned<lpt::UdpMut>::parse(udp_bytes());
  ASSERT_TRUE(r.has_value());
  (*r)->set_checksum(0xBEEF);
  EXPECT_EQ((*r)->checksum(), 0xBEEFu);
  EXPECT_EQ(r->buffer()[6], std::byte{0xBE});
}

}  // namespace
