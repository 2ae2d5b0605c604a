// net/tcp.lps: header fields, flags, the option list (every known kind, unknown
// kinds, EOL and padding), option errors, the data-offset constraint,
// truncation, writes.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "expect.hpp"
#include "net/ipv4.lp.hpp"
#include "net/tcp.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::tcp_segment;
using lp_test::tcp_syn_with_options;
using net::TcpOptionKind;

const std::byte* base_of(const std::vector<std::uint8_t>& p) {
  return reinterpret_cast<const std::byte*>(p.data());
}

TEST(Tcp, ParsesEveryField) {
  const auto packet = tcp_segment();
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_TRUE(tcp) << tcp.error();
  EXPECT_EQ(tcp->src_port(), 443);
  EXPECT_EQ(tcp->dst_port(), 51000);
  EXPECT_EQ(tcp->seq(), 0x01020304u);
  EXPECT_EQ(tcp->ack(), 0x0a0b0c0du);
  EXPECT_EQ(tcp->data_offset(), 6);
  EXPECT_EQ(tcp->reserved(), 0);
  EXPECT_EQ(tcp->ns(), 0);
  EXPECT_EQ(tcp->cwr(), 0);
  EXPECT_EQ(tcp->ece(), 0);
  EXPECT_EQ(tcp->urg(), 0);
  EXPECT_EQ(tcp->ack_flag(), 1);
  EXPECT_EQ(tcp->psh(), 0);
  EXPECT_EQ(tcp->rst(), 0);
  EXPECT_EQ(tcp->syn(), 1);
  EXPECT_EQ(tcp->fin(), 0);
  EXPECT_EQ(tcp->window(), 0xffff);
  EXPECT_EQ(tcp->checksum(), 0xbeef);
  EXPECT_EQ(tcp->urgent_pointer(), 0);
  ASSERT_EQ(tcp->options().size(), 1u);
  const auto mss = tcp->options().front();
  EXPECT_EQ(mss.kind(), TcpOptionKind::MSS);
  EXPECT_EQ(mss.length(), 4);
  EXPECT_EQ(mss.body_arm(), net::TcpOptionView::BodyArm::mss);
  EXPECT_EQ(mss.body_mss(), 1460);
  EXPECT_EQ(tcp->payload().as_string_view(), "GET ");
  const auto* base = base_of(packet);
  EXPECT_EQ(tcp->options_bytes().data(), base + 20);
  EXPECT_EQ(tcp->options_bytes().size(), 4u);
  EXPECT_EQ(mss.bytes().data(), base + 20);
  EXPECT_EQ(tcp->payload().data(), base + 24);
}

TEST(Tcp, EveryFlagBit) {
  auto packet = tcp_segment();
  packet[12] = 0x61;  // data_offset 6, ns 1
  packet[13] = 0xff;
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_TRUE(tcp) << tcp.error();
  EXPECT_EQ(tcp->ns() + tcp->cwr() + tcp->ece() + tcp->urg() + tcp->ack_flag() + tcp->psh() +
                tcp->rst() + tcp->syn() + tcp->fin(),
            9);
  EXPECT_EQ(tcp->reserved(), 0);
  packet[12] = 0x6e;  // reserved bits set, ns 0: not part of the flags
  packet[13] = 0x01;
  const auto reserved = net::Tcp::parse(packet);
  ASSERT_TRUE(reserved);
  EXPECT_EQ(reserved->reserved(), 7);
  EXPECT_EQ(reserved->ns(), 0);
  EXPECT_EQ(reserved->fin(), 1);
  EXPECT_EQ(reserved->syn(), 0);
}

TEST(Tcp, ParsesEveryOptionKind) {
  const auto packet = tcp_syn_with_options();
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_TRUE(tcp) << tcp.error();
  EXPECT_EQ(tcp->data_offset(), 15);
  EXPECT_EQ(tcp->syn(), 1);
  EXPECT_EQ(tcp->ece(), 1);
  EXPECT_EQ(tcp->cwr(), 1);
  EXPECT_EQ(tcp->ack_flag(), 0);
  const auto options = tcp->options();
  ASSERT_EQ(options.size(), 10u);
  const std::array<TcpOptionKind, 10> kinds = {TcpOptionKind::MSS,
                                               TcpOptionKind::NOP,
                                               TcpOptionKind::WINDOW_SCALE,
                                               TcpOptionKind::SACK_PERMITTED,
                                               TcpOptionKind::TIMESTAMPS,
                                               TcpOptionKind::NOP,
                                               TcpOptionKind::NOP,
                                               TcpOptionKind::SACK,
                                               static_cast<TcpOptionKind>(30),
                                               TcpOptionKind::EOL};
  const std::array<std::size_t, 10> offsets = {20, 24, 25, 28, 30, 40, 41, 42, 52, 56};
  const std::array<std::size_t, 10> sizes = {4, 1, 3, 2, 10, 1, 1, 10, 4, 1};
  const auto* base = base_of(packet);
  std::size_t i = 0;
  for (auto it = options.begin(); it != options.end(); ++it, ++i) {
    SCOPED_TRACE(i);
    const net::TcpOptionView option = *it;
    EXPECT_EQ(option.kind(), kinds[i]);
    EXPECT_EQ(option.bytes().data(), base + offsets[i]);
    EXPECT_EQ(option.size(), sizes[i]);
    const bool single = kinds[i] == TcpOptionKind::EOL || kinds[i] == TcpOptionKind::NOP;
    EXPECT_EQ(option.has_length(), !single);
    if (single) {
      EXPECT_EQ(option.body_arm(), net::TcpOptionView::BodyArm::none);
      EXPECT_TRUE(option.body_bytes().empty());
    } else {
      EXPECT_EQ(option.length(), sizes[i]);
    }
  }
  ASSERT_EQ(i, 10u);

  auto it = options.begin();
  EXPECT_EQ((*it).body_mss(), 1460);
  std::advance(it, 2);
  EXPECT_EQ((*it).body_window_scale(), 7);
  EXPECT_FALSE((*it).body_mss());
  ++it;
  ASSERT_TRUE((*it).body_sack_permitted());
  EXPECT_TRUE((*it).body_sack_permitted()->empty());
  ++it;
  ASSERT_TRUE((*it).body_timestamps());
  EXPECT_EQ((*it).body_timestamps()->value(), 0x11223344u);
  EXPECT_EQ((*it).body_timestamps()->echo(), 9u);
  std::advance(it, 3);
  const auto sack = (*it).body_sack();
  ASSERT_TRUE(sack);
  ASSERT_EQ(sack->size(), 1u);
  EXPECT_EQ((*sack)[0].left(), 0x1000u);
  EXPECT_EQ((*sack)[0].right(), 0x2000u);
  ++it;
  EXPECT_EQ((*it).body_arm(), net::TcpOptionView::BodyArm::unknown);
  ASSERT_TRUE((*it).body_unknown());
  EXPECT_EQ((*it).body_unknown()->size(), 2u);
  EXPECT_EQ((*it).body_unknown()->data(), base + 54);
  EXPECT_EQ((*it).body_unknown()->u8(1), 0xcd);

  // EOL ends the list; the padding after it stays reachable, unparsed.
  EXPECT_EQ(tcp->options_bytes().data(), base + 20);
  ASSERT_EQ(tcp->options_bytes().size(), 40u);
  EXPECT_EQ(tcp->options_bytes().u8(37), 0xaa);
  EXPECT_EQ(tcp->payload().as_string_view(), "hi");
  EXPECT_EQ(tcp->payload().data(), base + 60);
}

TEST(Tcp, SeveralSackBlocks) {
  // NOP NOP, then SACK with three blocks (26 bytes): 28 bytes of options, 7 words.
  std::vector<std::uint8_t> packet = tcp_segment();
  packet.resize(20);
  packet[12] = 0xc0;  // data_offset 12: 28 bytes of options
  const std::vector<std::uint8_t> options = {
      0x01, 0x01, 0x05, 0x1a,                                      // NOP NOP SACK length 26
      0,    0,    0,    1,    0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4,  // blocks 1-2, 3-4
      0,    0,    0,    5,    0, 0, 0, 6,                          // 5-6
  };
  packet.insert(packet.end(), options.begin(), options.end());
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_TRUE(tcp) << tcp.error();
  ASSERT_EQ(tcp->options().size(), 3u);
  const auto sack = (*std::next(tcp->options().begin(), 2)).body_sack();
  ASSERT_TRUE(sack);
  ASSERT_EQ(sack->size(), 3u);
  EXPECT_EQ((*sack)[2].left(), 5u);
  EXPECT_EQ((*sack)[2].right(), 6u);
  EXPECT_TRUE(tcp->payload().empty());

  packet[23] = 0x19;  // length 25: 23 bytes of blocks, not a multiple of 8
  const auto odd = net::Tcp::parse(packet);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().message(),
            "bad length at byte 24: Tcp.options[2].body (not a whole number of 8-byte "
            "elements), got 23");
}

std::string error_of(const std::vector<std::uint8_t>& packet) {
  const auto tcp = net::Tcp::parse(packet);
  return tcp ? std::string("parsed") : tcp.error().message();
}

TEST(Tcp, OptionErrorsNameTheOption) {
  auto zero = tcp_syn_with_options();
  zero[26] = 0;  // window scale of length 0
  EXPECT_EQ(error_of(zero),
            "constraint failed at byte 26: Tcp.options[2].length (length >= 2), got 0");
  zero[26] = 1;  // shorter than its own kind and length bytes
  EXPECT_EQ(error_of(zero),
            "constraint failed at byte 26: Tcp.options[2].length (length >= 2), got 1");

  auto mss = tcp_syn_with_options();
  mss[21] = 3;  // MSS with a one-byte body: the u16 does not fit; got: the body's size
  EXPECT_EQ(error_of(mss),
            "bad length at byte 22: Tcp.options[0].body (kind == TcpOptionKind.EOL || kind == "
            "TcpOptionKind.NOP ? 0 : length - 2), got 1");
  const auto short_mss = net::Tcp::parse(mss);
  ASSERT_FALSE(short_mss);
  EXPECT_EQ(short_mss.error().actual(), 1u);

  auto wide = tcp_syn_with_options();
  wide[26] = 4;  // window scale with two body bytes: the u8 does not fill them
  const auto too_wide = net::Tcp::parse(wide);
  ASSERT_FALSE(too_wide);
  EXPECT_EQ(too_wide.error().code(), lp::errc::bad_length) << too_wide.error();
  EXPECT_EQ(too_wide.error().field_path(), "Tcp.options[2].body") << too_wide.error();

  auto past = tcp_syn_with_options();
  past[53] = 0xff;  // the unknown option runs past the 40-byte region
  EXPECT_EQ(error_of(past),
            "bad length at byte 54: Tcp.options[8].body (data_offset * 4 - 20), got 40");

  auto last = tcp_syn_with_options();
  last[56] = 0x05;  // no EOL: the padding byte 0xaa starts an option...
  last[57] = 0x01;  // ...SACK of length 1
  EXPECT_EQ(error_of(last),
            "constraint failed at byte 57: Tcp.options[9].length (length >= 2), got 1");

  auto ts = tcp_syn_with_options();
  ts[31] = 0x0b;  // timestamps of length 11
  const auto long_ts = net::Tcp::parse(ts);
  ASSERT_FALSE(long_ts);
  EXPECT_EQ(long_ts.error().code(), lp::errc::bad_length) << long_ts.error();
  EXPECT_EQ(long_ts.error().field_path(), "Tcp.options[4].body") << long_ts.error();
}

TEST(Tcp, EndOfOptionsWithoutEolIsFine) {
  auto packet = tcp_syn_with_options();
  packet[56] = 0x01;  // NOP instead of EOL, then three more NOPs
  packet[57] = packet[58] = packet[59] = 0x01;
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_TRUE(tcp) << tcp.error();
  EXPECT_EQ(tcp->options().size(), 13u);
  EXPECT_EQ(tcp->payload().as_string_view(), "hi");
}

TEST(Tcp, DataOffsetBelowFiveWordsFails) {
  auto packet = tcp_segment();
  packet[12] = 0x40;
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_FALSE(tcp);
  EXPECT_EQ(tcp.error().message(),
            "constraint failed at byte 12: Tcp.data_offset (data_offset >= 5), got 4");
}

TEST(Tcp, OptionsLongerThanTheSegmentAreTruncated) {
  auto packet = tcp_segment();
  packet[12] = 0xf0;  // 60-byte header, 40 bytes of options
  const auto tcp = net::Tcp::parse(packet);
  ASSERT_FALSE(tcp);
  EXPECT_EQ(tcp.error().code(), lp::errc::truncated) << tcp.error();
  EXPECT_EQ(tcp.error().field_path(), "Tcp.options") << tcp.error();
  EXPECT_EQ(tcp.error().byte_offset(), 20u);
  EXPECT_EQ(tcp.error().needed(), 60u - packet.size());
}

TEST(Tcp, EveryTruncatedPrefix) {
  lp_test::expect_every_prefix_truncated<net::Tcp>(tcp_segment(), 24);
  lp_test::expect_every_prefix_truncated<net::Tcp>(tcp_syn_with_options(), 60);
  const auto packet = tcp_segment();
  const auto cut = net::Tcp::parse(lp::bytes(packet.data(), 12));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().message(), "truncated at byte 12: Tcp.data_offset, 8 more bytes needed");
}

TEST(Tcp, FlagSettersKeepTheOtherBits) {
  auto packet = tcp_segment();
  auto tcp = net::Tcp::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(tcp);
  tcp->set_fin(1);
  tcp->set_syn(0);
  tcp->set_ns(1);
  EXPECT_EQ(packet[12], 0x61);
  EXPECT_EQ(packet[13], 0x11);
  EXPECT_EQ(tcp->ack_flag(), 1);
  EXPECT_EQ(tcp->data_offset(), 6);
}

TEST(Tcp, OptionSettersWriteInPlace) {
  auto packet = tcp_syn_with_options();
  auto tcp = net::Tcp::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(tcp);
  for (net::TcpOptionMut option : tcp->options_mut()) {
    if (auto ts = option.body_timestamps_mut()) ts->set_echo(0x01020304);
  }
  EXPECT_EQ(packet[36], 0x01);
  EXPECT_EQ(packet[39], 0x04);
}

TEST(Tcp, InsideIpv4) {
  const auto packet = lp_test::ipv4_with(6, tcp_segment());
  const auto ip = net::Ipv4::parse(packet);
  ASSERT_TRUE(ip) << ip.error();
  EXPECT_EQ(ip->payload_arm(), net::Ipv4View::PayloadArm::tcp);
  ASSERT_TRUE(ip->payload_tcp());
  EXPECT_EQ(ip->payload_tcp()->dst_port(), 51000);
  EXPECT_EQ(ip->payload_tcp()->payload().as_string_view(), "GET ");

  auto bad = packet;
  bad[20 + 12] = 0x30;
  const auto broken = net::Ipv4::parse(bad);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message(),
            "constraint failed at byte 32: Ipv4.payload.Tcp.data_offset (data_offset >= 5), got 3");

  const auto with_options = lp_test::ipv4_with(6, tcp_syn_with_options());
  auto zero = with_options;
  zero[20 + 26] = 0;
  const auto zero_length = net::Ipv4::parse(zero);
  ASSERT_FALSE(zero_length);
  EXPECT_EQ(
      zero_length.error().message(),
      "constraint failed at byte 46: Ipv4.payload.Tcp.options[2].length (length >= 2), got 0");
}

}  // namespace
