// net/udp.lps through its generated views: fields, truncation, constraints,
// alignment, writes and zero copy.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "libparse/format.hpp"
#include "net/udp.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::udp_datagram;

TEST(Udp, ParsesEveryField) {
  const auto packet = udp_datagram();
  const auto udp = net::Udp::parse(packet);
  ASSERT_TRUE(udp) << udp.error();
  EXPECT_EQ(udp->src_port(), 54321);
  EXPECT_EQ(udp->dst_port(), 53);
  EXPECT_EQ(udp->length(), 20);
  EXPECT_EQ(udp->checksum(), 0x1234);
  ASSERT_EQ(udp->payload().size(), 12u);
  EXPECT_EQ(udp->payload().u8(0), 0xab);
  EXPECT_EQ(udp->payload().u8(11), 0x00);
  EXPECT_EQ(udp->size(), 20u);
}

TEST(Udp, IsZeroCopy) {
  const auto packet = udp_datagram();
  const auto udp = net::Udp::parse(packet);
  ASSERT_TRUE(udp);
  const auto* base = reinterpret_cast<const std::byte*>(packet.data());
  EXPECT_EQ(udp->bytes().data(), base);
  EXPECT_EQ(udp->payload().data(), base + 8);
}

TEST(Udp, ExtraBytesAfterTheDatagramAreNotPartOfIt) {
  auto packet = udp_datagram();
  packet.insert(packet.end(), {0xee, 0xee, 0xee});
  const auto udp = net::Udp::parse(packet);
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->size(), 20u);
  EXPECT_EQ(udp->payload().size(), 12u);
}

TEST(Udp, EveryTruncatedPrefixSaysWhatIsMissing) {
  const auto packet = udp_datagram();
  const char* const header_fields[] = {"src_port", "src_port", "dst_port", "dst_port",
                                       "length",   "length",   "checksum", "checksum"};
  for (std::size_t n = 0; n < packet.size(); ++n) {
    SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
    const auto udp = net::Udp::parse(lp::bytes(packet.data(), n));
    ASSERT_FALSE(udp);
    const lp::Error& e = udp.error();
    EXPECT_EQ(e.code(), lp::errc::truncated);
    if (n < 8) {
      EXPECT_EQ(e.field_path(), fmt::format("Udp.{}", header_fields[n]));
      EXPECT_EQ(e.byte_offset(), n & ~std::size_t{1});
      EXPECT_EQ(e.needed(), 8 - n);
    } else {
      EXPECT_EQ(e.field_path(), "Udp.payload");
      EXPECT_EQ(e.byte_offset(), 8u);
      EXPECT_EQ(e.needed(), 20 - n);
    }
  }
}

TEST(Udp, LengthBelowTheHeaderSizeFailsItsConstraint) {
  auto packet = udp_datagram();
  lp_test::put_be16(packet, 4, 7);
  const auto udp = net::Udp::parse(packet);
  ASSERT_FALSE(udp);
  const lp::Error& e = udp.error();
  EXPECT_EQ(e.code(), lp::errc::constraint_failed);
  EXPECT_EQ(e.byte_offset(), 4u);
  EXPECT_EQ(e.bit_offset(), 0u);
  EXPECT_EQ(e.field_path(), "Udp.length");
  EXPECT_EQ(e.text(), "length >= 8");
  ASSERT_TRUE(e.has_actual());
  EXPECT_EQ(e.actual(), 7u);
  EXPECT_EQ(fmt::format("{}", e), "constraint failed at byte 4: Udp.length (length >= 8), got 7");
}

TEST(Udp, LengthBeyondTheBufferIsTruncation) {
  auto packet = udp_datagram();
  lp_test::put_be16(packet, 4, 1000);
  const auto udp = net::Udp::parse(packet);
  ASSERT_FALSE(udp);
  EXPECT_EQ(udp.error().code(), lp::errc::truncated);
  EXPECT_EQ(udp.error().field_path(), "Udp.payload");
  EXPECT_EQ(udp.error().needed(), 1000 - packet.size());
}

TEST(Udp, ReadsFromMisalignedBuffers) {
  const auto packet = udp_datagram();
  for (std::size_t shift = 1; shift < 8; ++shift) {
    std::vector<std::uint8_t> storage(shift + packet.size());
    std::memcpy(storage.data() + shift, packet.data(), packet.size());
    const auto udp = net::Udp::parse(lp::bytes(storage.data() + shift, packet.size()));
    ASSERT_TRUE(udp) << "shift " << shift;
    EXPECT_EQ(udp->src_port(), 54321);
    EXPECT_EQ(udp->length(), 20);
    EXPECT_EQ(udp->checksum(), 0x1234);
  }
}

TEST(Udp, MutViewWritesThroughToTheBuffer) {
  auto packet = udp_datagram();
  auto udp = net::Udp::parse_mut(lp::mut_bytes(packet.data(), packet.size()));
  ASSERT_TRUE(udp);
  udp->set_dst_port(5353);
  udp->set_checksum(0);
  EXPECT_EQ(udp->dst_port(), 5353);
  EXPECT_EQ(udp->checksum(), 0);
  EXPECT_EQ(packet[2], 0x14);
  EXPECT_EQ(packet[3], 0xe9);
  EXPECT_EQ(packet[6], 0x00);
  EXPECT_EQ(packet[7], 0x00);
  EXPECT_EQ(udp->src_port(), 54321);  // neighbours untouched
  udp->payload_mut()[0] = std::byte{0x55};
  EXPECT_EQ(packet[8], 0x55);
  // The bytes still parse, to the same values, through a read-only view.
  const auto again = net::Udp::parse(packet);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->dst_port(), 5353);
}

TEST(Udp, FormatsWithFmt) {
  const auto packet = udp_datagram();
  const auto udp = net::Udp::parse(packet);
  ASSERT_TRUE(udp);
  const std::string line = fmt::format("{}", *udp);
  EXPECT_NE(line.find("Udp"), std::string::npos) << line;
  EXPECT_NE(line.find("src_port"), std::string::npos) << line;
  EXPECT_NE(line.find("54321"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  const std::string tree = fmt::format("{:t}", *udp);
  EXPECT_NE(tree.find('\n'), std::string::npos) << tree;
  EXPECT_NE(tree.find("dst_port"), std::string::npos) << tree;
}

}  // namespace
