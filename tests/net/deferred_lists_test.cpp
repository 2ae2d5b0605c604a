// lp::ParseOptions::defer_lists on the net/ schemas: parse() leaves TCP and IPv4
// options unwalked; the headers read the same; lazy_array::validate() later
// gives exactly the error parse() gives without the option (path and offsets
// counted from the struct holding the list); iterating an unvalidated list
// yields the valid elements and stops before a malformed one.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "libparse/format.hpp"
#include "net/ethernet.lp.hpp"
#include "net/tcp.lp.hpp"
#include "packets.hpp"

namespace {

using lp_test::tcp_syn_with_options;

lp::ParseOptions deferring() {
  lp::ParseOptions options;
  options.defer_lists = true;
  return options;
}

// Each element's bytes, in order, as far as iteration goes.
template <class Range>
std::vector<std::string> element_bytes(const Range& range) {
  std::vector<std::string> out;
  for (const auto element : range) out.emplace_back(element.bytes().as_string_view());
  return out;
}

TEST(DeferredLists, HeadersReadTheSameAndTheListIsNotWalked) {
  const auto packet = tcp_syn_with_options();
  const auto eager = net::Tcp::parse(packet);
  const auto deferred = net::Tcp::parse(packet, deferring());
  ASSERT_TRUE(eager) << eager.error();
  ASSERT_TRUE(deferred) << deferred.error();
  EXPECT_TRUE(eager->options().validated());
  EXPECT_FALSE(deferred->options().validated());
  EXPECT_EQ(deferred->src_port(), eager->src_port());
  EXPECT_EQ(deferred->window(), eager->window());
  EXPECT_EQ(deferred->options_bytes().size(), 40u);
  EXPECT_EQ(deferred->payload().as_string_view(), "hi");

  // Unvalidated iteration checks each element and still stops at EOL.
  EXPECT_EQ(element_bytes(deferred->options()), element_bytes(eager->options()));
  EXPECT_EQ(deferred->options().size(), 10u);

  const auto validated = deferred->options().validate();
  ASSERT_TRUE(validated) << validated.error();
  EXPECT_TRUE(validated->validated());
  EXPECT_EQ(validated->size(), eager->options().size());
  EXPECT_EQ(element_bytes(*validated), element_bytes(eager->options()));
  // The writable twin carries the deferral too.
  auto copy = packet;
  const auto mut = net::TcpMut::parse(lp::mut_bytes(copy.data(), copy.size()), deferring());
  ASSERT_TRUE(mut) << mut.error();
  EXPECT_FALSE(mut->options_mut().validated());
  const auto mut_validated = mut->options_mut().validate();
  ASSERT_TRUE(mut_validated) << mut_validated.error();
  EXPECT_EQ(mut_validated->size(), 10u);
}

// Every value of every option byte: where parse() fails inside the options,
// the deferred parse succeeds and validate() gives the very same error; where
// parse() succeeds, validate() gives the same elements. Unvalidated iteration
// yields the elements before the first malformed one.
TEST(DeferredLists, ValidateGivesParsesErrorForEveryOptionByte) {
  const auto original = tcp_syn_with_options();
  std::size_t errors = 0;
  for (std::size_t at = 20; at < 60; ++at) {
    for (unsigned value = 0; value < 256; ++value) {
      auto packet = original;
      packet[at] = static_cast<std::uint8_t>(value);
      const auto eager = net::Tcp::parse(packet);
      const auto deferred = net::Tcp::parse(packet, deferring());
      ASSERT_TRUE(deferred) << "byte " << at << " = " << value << ": " << deferred.error();
      const auto validated = deferred->options().validate();
      const auto walked = element_bytes(deferred->options());
      if (eager) {
        ASSERT_TRUE(validated) << "byte " << at << " = " << value << ": " << validated.error();
        EXPECT_EQ(element_bytes(*validated), element_bytes(eager->options()));
        EXPECT_EQ(walked, element_bytes(eager->options()));
        continue;
      }
      ++errors;
      ASSERT_FALSE(validated) << "byte " << at << " = " << value;
      EXPECT_EQ(validated.error().message(), eager.error().message())
          << "byte " << at << " = " << value;
      // Iteration stops before the element the error names.
      ASSERT_GE(eager.error().path_size(), 2u);
      ASSERT_TRUE(eager.error().path_has_index(1)) << eager.error();
      EXPECT_EQ(walked.size(), eager.error().path_index(1)) << eager.error();
    }
  }
  EXPECT_GT(errors, 1000u);  // the loop reached the error paths it is about
}

// Deeper in a frame, validate() names the path and offsets from the struct
// holding the list: the eager error minus the frame's outer segments and the
// TCP header's offset.
TEST(DeferredLists, InsideAFrameTheErrorCountsFromTheHoldingStruct) {
  auto segment = tcp_syn_with_options();
  segment[53] = 0xff;  // the unknown option runs past the 40-byte region
  const auto frame = lp_test::ethernet_with(0x0800, lp_test::ipv4_with(6, std::move(segment)));
  const auto eager = net::Ethernet::parse(frame);
  ASSERT_FALSE(eager);
  EXPECT_EQ(eager.error().field_path(), "Ethernet.payload.Ipv4.payload.Tcp.options[8].body");
  const std::size_t tcp_offset = 14 + 20;
  EXPECT_EQ(eager.error().byte_offset(), tcp_offset + 54);

  const auto deferred = net::Ethernet::parse(frame, deferring());
  ASSERT_TRUE(deferred) << deferred.error();
  const auto tcp = deferred->payload_ipv4()->payload_tcp();
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->dst_port(), 443);
  const auto validated = tcp->options().validate();
  ASSERT_FALSE(validated);
  EXPECT_EQ(validated.error().field_path(), "Tcp.options[8].body");
  EXPECT_EQ(validated.error().byte_offset(), 54u);
  EXPECT_EQ(validated.error().code(), eager.error().code());
  EXPECT_EQ(validated.error().text(), eager.error().text());
  EXPECT_EQ(validated.error().actual(), eager.error().actual());
}

struct Seen {
  std::vector<std::string> levels;
};

void record(void* context, std::string_view type_name, std::string_view field, const lp::Error&) {
  static_cast<Seen*>(context)->levels.push_back(std::string(type_name) + "." + std::string(field));
}

TEST(DeferredLists, ValidateHonoursTheLimitsAndTheErrorHandler) {
  auto packet = tcp_syn_with_options();
  const auto deferred = net::Tcp::parse(packet, deferring());
  ASSERT_TRUE(deferred);

  lp::ParseOptions few;
  few.max_elements = 3;
  const auto limited = deferred->options().validate(few);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code(), lp::errc::limit_exceeded);
  EXPECT_EQ(limited.error().field_path(), "Tcp.options");
  EXPECT_EQ(limited.error().message(), net::Tcp::parse(packet, few).error().message());

  lp::ParseOptions shallow;
  shallow.max_depth = 0;
  const auto too_deep = deferred->options().validate(shallow);
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().code(), lp::errc::too_deep);

  packet[26] = 0;  // window scale of length 0
  const auto bad = net::Tcp::parse(packet, deferring());
  ASSERT_TRUE(bad);
  Seen seen;
  lp::ParseOptions handled;
  handled.on_error = &record;
  handled.on_error_context = &seen;
  ASSERT_FALSE(bad->options().validate(handled));
  EXPECT_EQ(seen.levels, (std::vector<std::string>{"TcpOption.length", "Tcp.options"}));
}

}  // namespace
