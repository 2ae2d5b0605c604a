// net/ethernet.lps: the whole Ethernet -> IPv4 -> UDP chain validated in one parse().
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "libparse/format.hpp"
#include "net/ethernet.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::ethernet_ipv4_udp;

const std::byte* base_of(const std::vector<std::uint8_t>& v) {
  return reinterpret_cast<const std::byte*>(v.data());
}

TEST(Ethernet, ParsesTheWholeChain) {
  const auto frame = ethernet_ipv4_udp();
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  const auto dst = eth->dst().octets();
  ASSERT_EQ(dst.size(), 6u);
  EXPECT_EQ(dst[0], 0x00);
  EXPECT_EQ(dst[5], 0x10);
  EXPECT_EQ(eth->src().octets()[0], 0x52);
  EXPECT_EQ(eth->ether_type(), net::EtherType::IPV4);
  EXPECT_EQ(eth->payload_arm(), net::EthernetView::PayloadArm::ipv4);
  const auto ip = eth->payload_ipv4();
  ASSERT_TRUE(ip.has_value());
  EXPECT_EQ(ip->total_length(), 40);
  const auto udp = ip->payload_udp();
  ASSERT_TRUE(udp.has_value());
  EXPECT_EQ(udp->dst_port(), 53);
  EXPECT_EQ(udp->payload().data(), base_of(frame) + 42);
  EXPECT_EQ(eth->trailer().size(), 6u);
  EXPECT_EQ(eth->trailer().data(), base_of(frame) + 54);
  EXPECT_EQ(eth->size(), 60u);
}

// A stored arm is returned by reference on a view that lives on, by copy on a
// temporary one; an arm built on each call (raw bytes) is always a copy.
static_assert(std::is_same_v<decltype(std::declval<const net::EthernetView&>().payload_ipv4()),
                             lp::optional_ref<net::Ipv4View>>);
static_assert(std::is_same_v<decltype(std::declval<net::EthernetView>().payload_ipv4()),
                             lp::optional_value<net::Ipv4View>>);
static_assert(std::is_same_v<decltype(std::declval<const net::EthernetView&>().payload_raw()),
                             lp::optional_value<lp::bytes>>);

TEST(Ethernet, StoredArmsAreReferencesIntoTheView) {
  const auto frame = ethernet_ipv4_udp();
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  const auto ip = eth->payload_ipv4();
  ASSERT_TRUE(ip);
  EXPECT_EQ(&*ip, &*eth->payload_ipv4());  // the same stored view, not a copy
  EXPECT_EQ(eth->payload_ipv6(), std::nullopt);
  // A copy of the arm outlives the parent view.
  std::optional<net::Ipv4View> kept;
  {
    const auto inner = net::Ethernet::parse(frame);
    ASSERT_TRUE(inner);
    kept = inner->payload_ipv4();
    const std::optional<net::Ipv4View> from_temporary = net::EthernetView(*inner).payload_ipv4();
    ASSERT_TRUE(from_temporary);
    EXPECT_EQ(from_temporary->total_length(), 40);
  }
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->payload_udp()->dst_port(), 53);
}

// parse() builds views that hold a switch arm's view with their lp::for_parse
// constructor (no arm built until parse_into() takes one); views without stored
// arms have none. The default constructor still builds the first arm's empty view.
static_assert(std::is_constructible_v<net::EthernetView, lp::for_parse_t>);
static_assert(std::is_constructible_v<net::Ipv4View, lp::for_parse_t>);
static_assert(!std::is_constructible_v<net::UdpView, lp::for_parse_t>);

TEST(Ethernet, ADefaultConstructedViewsFirstArmIsAnEmptyView) {
  const net::EthernetView empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.payload_arm(), net::EthernetView::PayloadArm::llc);
  ASSERT_TRUE(empty.payload_llc().has_value());
  EXPECT_EQ(empty.payload_llc()->size(), 0u);
  EXPECT_FALSE(empty.payload_ipv4().has_value());
}

// One view parsed again and again, as parents and lazy arrays do: each parse
// builds the arm it takes over whatever the one before left, from a view that
// parse() built without any arm and from a default-constructed one.
TEST(Ethernet, ParsingIntoAViewAgainBuildsEachArmItTakes) {
  const auto ipv4_udp = ethernet_ipv4_udp();
  const auto ipv6_udp =
      lp_test::ethernet_with(0x86dd, lp_test::ipv6_with(17, lp_test::udp_datagram()));
  const auto ipv4_tcp =
      lp_test::ethernet_with(0x0800, lp_test::ipv4_with(6, lp_test::tcp_segment()));
  auto lldp = ethernet_ipv4_udp();
  lldp[13] = 0xcc;
  lldp[12] = 0x88;
  auto first = net::Ethernet::parse(lldp);  // the raw arm: no arm view built
  ASSERT_TRUE(first) << first.error();
  net::EthernetView defaulted;
  for (net::EthernetView* view : {&*first, &defaulted}) {
    SCOPED_TRACE(view == &defaulted ? "default-constructed" : "built by parse()");
    ASSERT_TRUE(net::EthernetView::parse_into(*view, lp::bytes(ipv6_udp), {}, 0));
    ASSERT_TRUE(view->payload_ipv6().has_value());
    ASSERT_TRUE(view->payload_ipv6()->payload_udp().has_value());
    EXPECT_EQ(view->payload_ipv6()->payload_udp()->dst_port(), 53);
    ASSERT_TRUE(net::EthernetView::parse_into(*view, lp::bytes(ipv4_tcp), {}, 0));
    EXPECT_FALSE(view->payload_ipv6().has_value());
    ASSERT_TRUE(view->payload_ipv4().has_value());
    ASSERT_TRUE(view->payload_ipv4()->payload_tcp().has_value());
    EXPECT_EQ(view->payload_ipv4()->payload_tcp()->size(), lp_test::tcp_segment().size());
    ASSERT_TRUE(net::EthernetView::parse_into(*view, lp::bytes(ipv4_udp), {}, 0));
    ASSERT_TRUE(view->payload_ipv4()->payload_udp().has_value());
    EXPECT_EQ(view->payload_ipv4()->payload_udp()->payload().data(), base_of(ipv4_udp) + 42);
    const net::EthernetView copy = *view;  // a copy holds the same arm
    EXPECT_EQ(copy.payload_ipv4()->payload_udp()->dst_port(), 53);
  }
}

TEST(Ethernet, OtherEtherTypesTakeTheRawArm) {
  auto frame = ethernet_ipv4_udp();
  frame[12] = 0x88;
  frame[13] = 0xcc;  // LLDP: no arm of its own
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth) << eth.error();
  EXPECT_EQ(eth->ether_type(), net::EtherType::LLDP);
  EXPECT_EQ(eth->payload_arm(), net::EthernetView::PayloadArm::raw);
  ASSERT_TRUE(eth->payload_raw().has_value());
  EXPECT_EQ(eth->payload_raw()->size(), 46u);
  EXPECT_TRUE(eth->trailer().empty());
  EXPECT_FALSE(eth->payload_ipv4().has_value());
}

TEST(Ethernet, AnErrorDeepInsideNamesTheWholePath) {
  auto frame = ethernet_ipv4_udp();
  frame[14] = 0x43;  // ihl 3
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_FALSE(eth);
  const lp::Error& e = eth.error();
  EXPECT_EQ(e.code(), lp::errc::constraint_failed);
  EXPECT_EQ(e.byte_offset(), 14u);
  EXPECT_EQ(e.bit_offset(), 4u);
  EXPECT_EQ(e.field_path(), "Ethernet.payload.Ipv4.ihl");
  EXPECT_EQ(fmt::format("{}", e),
            "constraint failed at byte 14 bit 4: Ethernet.payload.Ipv4.ihl (ihl >= 5), got 3");
}

TEST(Ethernet, TruncationInsideTheChainCountsBytesFromTheFrame) {
  const auto frame = ethernet_ipv4_udp();
  for (std::size_t n = 0; n < 54; ++n) {
    SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
    const auto eth = net::Ethernet::parse(lp::bytes(frame.data(), n));
    ASSERT_FALSE(eth);
    const lp::Error& e = eth.error();
    EXPECT_EQ(e.code(), lp::errc::truncated) << e;
    if (n < 14) {
      EXPECT_EQ(e.needed(), 14 - n) << e;
    } else if (n < 34) {
      EXPECT_EQ(e.field_path().rfind("Ethernet.payload.Ipv4.", 0), 0u) << e;
      EXPECT_EQ(e.needed(), 34 - n) << e;
    } else {
      EXPECT_EQ(e.field_path(), "Ethernet.payload.Ipv4.payload") << e;
      EXPECT_EQ(e.byte_offset(), 34u) << e;
      EXPECT_EQ(e.needed(), 54 - n) << e;
    }
  }
}

TEST(Ethernet, ErrorHandlerSeesEveryNestingLevel) {
  auto frame = ethernet_ipv4_udp();
  lp_test::put_be16(frame, 38, 3);  // UDP length 3
  std::vector<std::pair<std::string, std::string>> levels;
  lp::ParseOptions options;
  options.on_error_context = &levels;
  options.on_error = [](void* context, std::string_view type_name, std::string_view field,
                        const lp::Error&) {
    static_cast<std::vector<std::pair<std::string, std::string>>*>(context)->emplace_back(
        std::string(type_name), std::string(field));
  };
  const auto eth = net::Ethernet::parse(frame, options);
  ASSERT_FALSE(eth);
  EXPECT_EQ(eth.error().field_path(), "Ethernet.payload.Ipv4.payload.Udp.length");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Udp", "length"}, {"Ipv4", "payload"}, {"Ethernet", "payload"}};
  EXPECT_EQ(levels, expected);
}

TEST(Ethernet, NestingDeeperThanTheLimitIsRefused) {
  const auto frame = ethernet_ipv4_udp();
  lp::ParseOptions options;
  options.max_depth = 1;  // Ethernet (0) -> Ipv4 (1) -> Ipv4Addr, Udp (2): one level too deep
  const auto eth = net::Ethernet::parse(frame, options);
  ASSERT_FALSE(eth);
  EXPECT_EQ(eth.error().code(), lp::errc::too_deep) << eth.error();
  EXPECT_EQ(eth.error().field_path().rfind("Ethernet.payload.Ipv4.", 0), 0u) << eth.error();
  options.max_depth = 2;
  EXPECT_TRUE(net::Ethernet::parse(frame, options));
}

TEST(Ethernet, AnnotatedHexDumpNamesTheFields) {
  const auto frame = ethernet_ipv4_udp();
  const auto eth = net::Ethernet::parse(frame);
  ASSERT_TRUE(eth);
  const std::string dump = fmt::format("{}", lp::annotated_hexdump(*eth));
  EXPECT_NE(dump.find("ether_type"), std::string::npos) << dump;
  EXPECT_NE(dump.find("ttl"), std::string::npos) << dump;
  EXPECT_NE(dump.find("dst_port"), std::string::npos) << dump;
}

}  // namespace
