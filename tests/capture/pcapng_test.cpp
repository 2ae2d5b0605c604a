// capture/pcapng.lps through its generated views: files built byte by byte in
// both byte orders (every block type, options, several sections), every
// truncated prefix, each constraint, malformed block and option lengths, and
// the block-by-block walk.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "capture_walk.hpp"
#include "libparse/format.hpp"

namespace {

using capture_test::Bytes;
using capture_test::Writer;

Bytes option(bool little, std::uint16_t code, std::string_view value) {
  Writer w(little);
  w.u16(code).u16(value.size()).text(value).pad4();
  return w.bytes();
}

Bytes option_u64(bool little, std::uint16_t code, std::uint64_t value) {
  Writer w(little);
  w.u16(code).u16(8).u64(value);
  return w.bytes();
}

Bytes end_of_options(bool little) { return Writer(little).u16(0).u16(0).bytes(); }

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes block(bool little, std::uint32_t type, const Bytes& body) {
  Writer w(little);
  w.u32(type).u32(12 + body.size()).raw(body).u32(12 + body.size());
  return w.bytes();
}

Bytes section_header(bool little, const Bytes& options) {
  Writer body(little);
  body.u32(0x1A2B3C4D).u16(1).u16(0).u64(~std::uint64_t{0}).raw(options);
  return block(little, 0x0A0D0D0A, body.bytes());
}

Bytes interface_description(bool little, std::uint16_t link_type, std::uint32_t snaplen,
                            const Bytes& options) {
  Writer body(little);
  body.u16(link_type).u16(0).u32(snaplen).raw(options);
  return block(little, 1, body.bytes());
}

Bytes enhanced_packet(bool little, std::uint32_t interface_id, std::uint64_t timestamp,
                      std::string_view data, std::uint32_t original_length, const Bytes& options) {
  Writer body(little);
  body.u32(interface_id).u32(timestamp >> 32).u32(timestamp & 0xFFFFFFFF);
  body.u32(data.size()).u32(original_length).text(data).pad4().raw(options);
  return block(little, 6, body.bytes());
}

Bytes simple_packet(bool little, std::uint32_t original_length, std::string_view data) {
  Writer body(little);
  body.u32(original_length).text(data).pad4();
  return block(little, 3, body.bytes());
}

Bytes packet_block(bool little, std::uint16_t interface_id, std::uint64_t timestamp,
                   std::string_view data, const Bytes& options) {
  Writer body(little);
  body.u16(interface_id).u16(0).u32(timestamp >> 32).u32(timestamp & 0xFFFFFFFF);
  body.u32(data.size()).u32(data.size()).text(data).pad4().raw(options);
  return block(little, 2, body.bytes());
}

// Block sizes of sample_file(), in order.
const std::vector<std::size_t> block_sizes = {52, 60, 20, 88, 32, 20, 40, 16, 24, 20, 16};

// A section with every kind of block: SHB (hardware, comment), IDB 0 (name,
// nanosecond tsresol, tsoffset 10 s, fcslen), IDB 1 (no options), EPB on
// interface 0 with comments, flags, dropcount and an unknown option, EPB on
// interface 1 without options, SPB, Packet Block, NRB, ISB, DSB, an unknown
// block.
Bytes sample_file(bool little) {
  const Bytes shb = section_header(
      little,
      concat({option(little, 2, "hw"), option(little, 1, "section"), end_of_options(little)}));
  const Bytes idb0 = interface_description(
      little, 1, 65535,
      concat({option(little, 2, "eth0"), option(little, 9, std::string_view("\x09", 1)),
              option_u64(little, 14, 10), option(little, 13, std::string_view("\x04", 1)),
              end_of_options(little)}));
  const Bytes idb1 = interface_description(little, 101, 0, {});
  Writer flags(little);
  flags.u16(2).u16(4).u32(1);
  const Bytes epb0 = enhanced_packet(
      little, 0, 1'700'000'000'123'456'789ULL, "hello", 60,
      concat({option(little, 1, "first"), option(little, 1, ""), flags.bytes(),
              option_u64(little, 4, 7), option(little, 99, "xy"), end_of_options(little)}));
  const Bytes epb1 = enhanced_packet(little, 1, 1'000'001, "", 0, {});
  const Bytes spb = simple_packet(little, 3, "abc");
  const Bytes pb = packet_block(little, 1, 2'000'000, "hi", end_of_options(little));
  const Bytes nrb = block(little, 4, end_of_options(little));
  const Bytes isb = block(little, 5, Writer(little).u32(0).u32(0).u32(0).bytes());
  const Bytes dsb = block(little, 10, Writer(little).u32(0x544c534b).u32(0).bytes());
  const Bytes unknown = block(little, 0x12345678, Writer(little).u32(42).bytes());
  return concat({shb, idb0, idb1, epb0, epb1, spb, pb, nrb, isb, dsb, unknown});
}

std::size_t offset_of_block(std::size_t index) {
  std::size_t offset = 0;
  for (std::size_t i = 0; i < index; ++i) offset += block_sizes[i];
  return offset;
}

class Pcapng : public ::testing::TestWithParam<bool> {
 protected:
  bool little() const { return GetParam(); }
  lp::byte_order order() const { return little() ? lp::byte_order::little : lp::byte_order::big; }

  // Writes a u32 at `offset` in the file's byte order.
  void put_u32(Bytes& file, std::size_t offset, std::uint32_t value) const {
    const Bytes v = Writer(little()).u32(value).bytes();
    std::copy(v.begin(), v.end(), file.begin() + static_cast<std::ptrdiff_t>(offset));
  }
  void put_u16(Bytes& file, std::size_t offset, std::uint16_t value) const {
    const Bytes v = Writer(little()).u16(value).bytes();
    std::copy(v.begin(), v.end(), file.begin() + static_cast<std::ptrdiff_t>(offset));
  }

  void expect_error(const Bytes& file, lp::errc code, std::size_t offset, std::string_view path,
                    const lp::ParseOptions& options = {}) const {
    const auto parsed = capture::PcapngFile::parse(file, options);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code(), code) << parsed.error();
    EXPECT_EQ(parsed.error().byte_offset(), offset) << parsed.error();
    EXPECT_EQ(parsed.error().field_path(), path) << parsed.error();
  }
};

INSTANTIATE_TEST_SUITE_P(ByteOrders, Pcapng, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "little" : "big"; });

TEST_P(Pcapng, SectionHeaderBlock) {
  const Bytes file = sample_file(little());
  ASSERT_EQ(file.size(), offset_of_block(block_sizes.size()));
  const auto parsed = capture::PcapngFile::parse(file);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->size(), file.size());
  EXPECT_EQ(parsed->block_type(), 0x0A0D0D0Au);
  EXPECT_EQ(parsed->byte_order_magic(), little() ? 0x4D3C2B1Au : 0x1A2B3C4Du);
  EXPECT_EQ(parsed->order(), order());
  EXPECT_EQ(parsed->block_total_length(), 52u);
  EXPECT_EQ(parsed->trailer().block_total_length(), 52u);
  const auto section = parsed->section();
  EXPECT_EQ(section.major_version(), 1);
  EXPECT_EQ(section.minor_version(), 0);
  EXPECT_EQ(section.section_length(), -1);
  std::vector<std::string> texts;
  std::vector<capture::PcapngSectionOptionCode> codes;
  for (const capture::PcapngSectionOptionView option : section.options()) {
    codes.push_back(option.code());
    if (const auto text = option.value_text()) texts.emplace_back(text->text());
  }
  EXPECT_EQ(codes, (std::vector<capture::PcapngSectionOptionCode>{
                       capture::PcapngSectionOptionCode::HARDWARE,
                       capture::PcapngSectionOptionCode::COMMENT,
                       capture::PcapngSectionOptionCode::END_OF_OPTIONS}));
  EXPECT_EQ(texts, (std::vector<std::string>{"hw", "section"}));

  // The same block alone, as a streaming reader parses it.
  const auto alone = capture::PcapngSectionHeader::parse(file);
  ASSERT_TRUE(alone) << alone.error();
  EXPECT_EQ(alone->size(), 52u);
  EXPECT_EQ(alone->order(), order());
}

TEST_P(Pcapng, BlocksOfEveryKind) {
  const Bytes file = sample_file(little());
  const auto parsed = capture::PcapngFile::parse(file);
  ASSERT_TRUE(parsed) << parsed.error();
  const auto blocks = parsed->blocks();
  ASSERT_EQ(blocks.size(), block_sizes.size() - 1);
  std::vector<std::uint32_t> types;
  std::vector<std::size_t> sizes;
  for (const capture::PcapngBlockView b : blocks) {
    types.push_back(static_cast<std::uint32_t>(b.block_type()));
    sizes.push_back(b.size());
    EXPECT_EQ(b.trailing_length(), b.block_total_length());
    EXPECT_EQ(b.body_length() + 12, b.block_total_length());
  }
  EXPECT_EQ(types, (std::vector<std::uint32_t>{1, 1, 6, 6, 3, 2, 4, 5, 10, 0x12345678}));
  EXPECT_EQ(sizes, std::vector<std::size_t>(block_sizes.begin() + 1, block_sizes.end()));

  auto it = blocks.begin();
  // IDB 0 and its options.
  const auto idb0 = (*it).body_interface_description();
  ASSERT_TRUE(idb0);
  EXPECT_EQ(idb0->link_type(), 1);
  EXPECT_EQ(idb0->snaplen(), 65535u);
  std::vector<capture::PcapngInterfaceOptionCode> codes;
  for (const capture::PcapngInterfaceOptionView option : idb0->options()) {
    codes.push_back(option.code());
    switch (option.code()) {
      case capture::PcapngInterfaceOptionCode::NAME:
        EXPECT_EQ(option.value_text()->text(), "eth0");
        break;
      case capture::PcapngInterfaceOptionCode::TSRESOL:
        EXPECT_EQ(option.value_tsresol(), 9);
        break;
      case capture::PcapngInterfaceOptionCode::TSOFFSET:
        EXPECT_EQ(option.value_tsoffset()->value(), 10);
        break;
      case capture::PcapngInterfaceOptionCode::FCSLEN:
        EXPECT_EQ(option.value_fcslen(), 4);
        break;
      default:
        EXPECT_EQ(option.code(), capture::PcapngInterfaceOptionCode::END_OF_OPTIONS);
        EXPECT_EQ(option.length(), 0);
    }
  }
  EXPECT_EQ(codes.size(), 5u);
  ++it;
  const auto idb1 = (*it).body_interface_description();
  ASSERT_TRUE(idb1);
  EXPECT_EQ(static_cast<capture::LinkType>(idb1->link_type()), capture::LinkType::RAW);
  EXPECT_TRUE(idb1->options().empty());
  ++it;
  // EPB 0: data, timestamp, options.
  const auto epb0 = (*it).body_enhanced_packet();
  ASSERT_TRUE(epb0);
  EXPECT_FALSE((*it).body_simple_packet());
  EXPECT_EQ(epb0->interface_id(), 0u);
  EXPECT_EQ(epb0->timestamp(), 1'700'000'000'123'456'789ULL);
  EXPECT_EQ(epb0->captured_length(), 5u);
  EXPECT_EQ(epb0->original_length(), 60u);
  EXPECT_EQ(epb0->data().as_string_view(), "hello");
  std::vector<std::string> comments;
  std::vector<std::uint16_t> option_codes;
  for (const capture::PcapngPacketOptionView option : epb0->options()) {
    option_codes.push_back(static_cast<std::uint16_t>(option.code()));
    if (const auto comment = option.value_comment()) comments.emplace_back(comment->text());
    if (const auto flags = option.value_flags()) {
      EXPECT_EQ(flags->value(), 1u);
    }
    if (const auto drops = option.value_dropcount()) {
      EXPECT_EQ(drops->value(), 7u);
    }
    if (option.code() == capture::PcapngPacketOptionCode{99}) {
      EXPECT_EQ(option.value_raw()->as_string_view(), "xy");
    }
  }
  EXPECT_EQ(comments, (std::vector<std::string>{"first", ""}));
  EXPECT_EQ(option_codes, (std::vector<std::uint16_t>{1, 1, 2, 4, 99, 0}));
  ++it;
  const auto epb1 = (*it).body_enhanced_packet();
  ASSERT_TRUE(epb1);
  EXPECT_EQ(epb1->interface_id(), 1u);
  EXPECT_TRUE(epb1->data().empty());
  EXPECT_TRUE(epb1->options().empty());
  ++it;
  const auto spb = (*it).body_simple_packet();
  ASSERT_TRUE(spb);
  EXPECT_EQ(spb->original_length(), 3u);
  EXPECT_EQ(spb->data().as_string_view(), "abc");
  ++it;
  const auto pb = (*it).body_packet();
  ASSERT_TRUE(pb);
  EXPECT_EQ(pb->interface_id(), 1);
  EXPECT_EQ(pb->timestamp(), 2'000'000u);
  EXPECT_EQ(pb->data().as_string_view(), "hi");
  ++it;
  for (const std::size_t raw_size : {4u, 12u, 8u, 4u}) {
    const auto raw = (*it).body_raw();
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), raw_size);
    ++it;
  }
  EXPECT_TRUE(it == blocks.end());
}

TEST_P(Pcapng, StreamingWalkGivesTheFrames) {
  const Bytes file = sample_file(little());
  const auto walk = capture_test::walk_pcapng(file);
  ASSERT_FALSE(walk.error) << *walk.error;
  ASSERT_EQ(walk.frames.size(), 4u);
  EXPECT_EQ(walk.frames[0].time_epoch, "1700000010.123456789");  // tsresol 9, tsoffset 10
  EXPECT_EQ(walk.frames[0].comments, (std::vector<std::string>{"first", ""}));
  EXPECT_EQ(walk.frames[0].cap_len, 5u);
  EXPECT_EQ(walk.frames[0].len, 60u);
  EXPECT_EQ(walk.frames[1].time_epoch, "1.000001000");  // no tsresol: microseconds
  EXPECT_EQ(walk.frames[1].interface_id, 1u);
  EXPECT_FALSE(walk.frames[2].time_epoch);  // SPB: no timestamp
  EXPECT_EQ(walk.frames[2].cap_len, 3u);
  EXPECT_EQ(walk.frames[3].time_epoch, "2.000000000");
}

// lpdump's stream reader, fed the file in pieces, reads what the file walk
// reads: on the sample, on two sections of opposite byte order, on every
// truncated prefix (byte by byte) and on a broken block.
TEST_P(Pcapng, StreamReadsLikeTheFileWalk) {
  const bool l = little();
  const Bytes file = sample_file(l);
  capture_test::expect_stream_reads_like_file(file);
  const Bytes other =
      concat({section_header(!l, option(!l, 1, "two")), interface_description(!l, 1, 0, {}),
              enhanced_packet(!l, 0, 5, "z", 1, {})});
  capture_test::expect_stream_reads_like_file(concat({file, other}));
  std::vector<std::size_t> bytewise;
  for (std::size_t size = 0; size < file.size(); ++size) {
    SCOPED_TRACE(::testing::Message() << "prefix of " << size << " bytes");
    capture_test::expect_stream_reads_like_file(Bytes(file.begin(), file.begin() + size), bytewise);
    if (size != 0) bytewise.push_back(size);
  }
  Bytes broken = file;
  broken[offset_of_block(3) + 4] = static_cast<std::uint8_t>(l ? 10 : 0);  // EPB length < 12
  if (!l) broken[offset_of_block(3) + 7] = 10;
  capture_test::expect_stream_reads_like_file(broken);
  broken = file;
  broken[offset_of_block(4) + 8] ^= 0x01;  // an EPB whose interface id is odd: still a frame
  broken[offset_of_block(5) + 4 + (l ? 0 : 3)] += 4;  // an SPB whose trailer disagrees
  capture_test::expect_stream_reads_like_file(broken);
}

TEST_P(Pcapng, EveryTruncatedPrefix) {
  const Bytes file = sample_file(little());
  std::vector<std::size_t> block_ends;
  for (std::size_t i = 1; i <= block_sizes.size(); ++i) block_ends.push_back(offset_of_block(i));
  for (std::size_t n = 0; n < file.size(); ++n) {
    SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
    const auto parsed = capture::PcapngFile::parse(lp::bytes(file.data(), n));
    if (std::find(block_ends.begin(), block_ends.end(), n) != block_ends.end()) {
      ASSERT_TRUE(parsed) << parsed.error();
      continue;
    }
    ASSERT_FALSE(parsed);
    const lp::Error& e = parsed.error();
    EXPECT_EQ(e.code(), lp::errc::truncated) << e;
    EXPECT_LE(e.byte_offset(), n) << e;
    EXPECT_GE(e.needed(), 1u) << e;
    EXPECT_LE(e.needed(), file.size() - n) << e;
    EXPECT_EQ(e.path_segment(0), "PcapngFile") << e;
    // The walk reads every block that ends before the cut.
    const auto walk = capture_test::walk_pcapng(lp::bytes(file.data(), n));
    ASSERT_TRUE(walk.error);
    EXPECT_EQ(walk.error->code(), lp::errc::truncated) << *walk.error;
    EXPECT_LE(walk.error_offset, n);
  }
}

TEST_P(Pcapng, SectionHeaderConstraints) {
  const Bytes good = sample_file(little());
  {
    Bytes file = good;
    file[1] = 0x0C;  // not a section header
    expect_error(file, lp::errc::constraint_failed, 0, "PcapngFile.block_type");
  }
  {
    Bytes file = good;
    file[8] ^= 0xFF;  // no byte-order magic
    expect_error(file, lp::errc::constraint_failed, 8, "PcapngFile.byte_order_magic");
  }
  {
    Bytes file = good;
    put_u16(file, 12, 2);  // major version 2
    expect_error(file, lp::errc::constraint_failed, 12,
                 "PcapngFile.section.PcapngSectionFields.major_version");
  }
  {
    Bytes file = good;
    put_u32(file, 48, 56);  // trailing length differs from 52
    expect_error(file, lp::errc::constraint_failed, 48,
                 "PcapngFile.trailer.PcapngBlockTrailer.block_total_length");
  }
  {
    // A total length below the 28 bytes of the fixed fields.
    Bytes file = good;
    put_u32(file, 4, 24);
    const auto parsed = capture::PcapngFile::parse(file);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code(), lp::errc::overflow) << parsed.error();
    EXPECT_EQ(parsed.error().field_path(), "PcapngFile.section");
    EXPECT_EQ(parsed.error().text(), "block_total_length - 28");
  }
  {
    // A total length that is not a multiple of 4, the block otherwise
    // consistent: two bytes after the options, the trailer saying 54 too.
    const bool l = little();
    Writer body(l);
    body.u32(0x1A2B3C4D).u16(1).u16(0).u64(0).raw(end_of_options(l)).u16(0);
    Writer w(l);
    w.u32(0x0A0D0D0A).u32(34).raw(body.bytes()).u32(34);
    const auto alone = capture::PcapngSectionHeader::parse(w.bytes());
    ASSERT_FALSE(alone);
    EXPECT_EQ(alone.error().code(), lp::errc::constraint_failed) << alone.error();
    EXPECT_EQ(alone.error().text(), "block_total_length % 4 == 0");
    // Checked as soon as block_total_length is read, and named after it.
    EXPECT_EQ(alone.error().field_path(), "PcapngSectionHeader.block_total_length");
  }
}

TEST_P(Pcapng, BlockLengthConstraints) {
  const Bytes good = sample_file(little());
  const std::size_t idb = offset_of_block(1);
  {
    Bytes file = good;
    put_u32(file, idb + 4, 8);  // below the 12 bytes of type and lengths
    expect_error(file, lp::errc::constraint_failed, idb + 4,
                 "PcapngFile.blocks[0].block_total_length");
    const auto parsed = capture::PcapngFile::parse(file);
    EXPECT_EQ(parsed.error().text(), "block_total_length >= 12");
  }
  {
    Bytes file = good;
    put_u32(file, idb + 4, 62);  // not a multiple of 4
    expect_error(file, lp::errc::constraint_failed, idb + 4,
                 "PcapngFile.blocks[0].block_total_length");
    const auto parsed = capture::PcapngFile::parse(file);
    EXPECT_EQ(parsed.error().text(), "block_total_length % 4 == 0");
  }
  {
    Bytes file = good;
    put_u32(file, idb + 60 - 4, 64);  // trailing length differs
    expect_error(file, lp::errc::constraint_failed, idb + 56,
                 "PcapngFile.blocks[0].trailing_length");
  }
  {
    // A length past the end of the file, and the largest u32 multiple of 4.
    for (const std::uint32_t length : {0x1000u, 0xFFFF'FFFCu}) {
      Bytes file = good;
      put_u32(file, idb + 4, length);
      const auto parsed = capture::PcapngFile::parse(file);
      ASSERT_FALSE(parsed);
      EXPECT_EQ(parsed.error().code(), lp::errc::truncated) << parsed.error();
      EXPECT_EQ(parsed.error().field_path(), "PcapngFile.blocks[0].body") << parsed.error();
      EXPECT_EQ(parsed.error().byte_offset(), idb + 8);
      EXPECT_EQ(parsed.error().needed(), length - 12 - (file.size() - idb - 8));
    }
  }
}

TEST_P(Pcapng, PacketAndOptionLengths) {
  const Bytes good = sample_file(little());
  const std::size_t epb = offset_of_block(3);
  {
    // captured_length past the end of the block: the packet does not fit the
    // block's body, reported at the packet data with the body's length.
    Bytes file = good;
    put_u32(file, epb + 20, 200);
    expect_error(file, lp::errc::bad_length, epb + 28,
                 "PcapngFile.blocks[2].body.PcapngEnhancedPacket.data");
    EXPECT_EQ(capture::PcapngFile::parse(file).error().actual(), 76u);
  }
  {
    // The first option's length running past the block.
    Bytes file = good;
    put_u16(file, epb + 36 + 2, 200);
    expect_error(file, lp::errc::bad_length, epb + 36 + 4,
                 "PcapngFile.blocks[2].body.PcapngEnhancedPacket.options[0].value");
  }
  {
    // if_tsresol with no value: a value of one byte is expected.
    Bytes file = good;
    const std::size_t idb = offset_of_block(1);
    put_u16(file, idb + 16 + 8 + 2, 0);
    const auto parsed = capture::PcapngFile::parse(file);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().field_path(),
              "PcapngFile.blocks[0].body.PcapngInterfaceDescription.options[1].value")
        << parsed.error();
    EXPECT_EQ(parsed.error().byte_offset(), idb + 16 + 8 + 4) << parsed.error();
  }
  {
    // A zero-length comment is an empty string; a zero-length unknown option
    // is empty bytes.
    const bool l = little();
    Bytes file =
        concat({section_header(l, {}), interface_description(l, 1, 0, {}),
                enhanced_packet(l, 0, 0, "x", 1, concat({option(l, 1, ""), option(l, 77, "")}))});
    const auto parsed = capture::PcapngFile::parse(file);
    ASSERT_TRUE(parsed) << parsed.error();
    auto it = parsed->blocks().begin();
    ++it;
    const auto packet = (*it).body_enhanced_packet();
    ASSERT_TRUE(packet);
    auto options = packet->options();
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options.front().value_comment()->text(), "");
    // No opt_endofopt: the list ends with the block.
    EXPECT_EQ(options.front().size(), 4u);
  }
  {
    // Options after opt_endofopt are padding: not parsed, in the array's bytes.
    const bool l = little();
    Bytes file =
        concat({section_header(l, {}),
                interface_description(
                    l, 1, 0, concat({end_of_options(l), Writer(l).u32(0xFFFFFFFF).bytes()}))});
    const auto parsed = capture::PcapngFile::parse(file);
    ASSERT_TRUE(parsed) << parsed.error();
    const auto idb = parsed->blocks().front().body_interface_description();
    EXPECT_EQ(idb->options().size(), 1u);
    EXPECT_EQ(idb->options_bytes().size(), 8u);
  }
  {
    // A Simple Packet Block whose body is shorter than its original length
    // (a snap length cut it): data is what the body holds.
    const bool l = little();
    Writer spb(l);
    spb.u32(3).u32(24).u32(1500).text("abcdefgh").u32(24);
    Bytes file = concat({section_header(l, {}), spb.bytes()});
    const auto parsed = capture::PcapngFile::parse(file);
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->blocks().front().body_simple_packet()->data().as_string_view(), "abcdefgh");
  }
}

TEST_P(Pcapng, SeveralSections) {
  const bool l = little();
  const Bytes second_same =
      concat({section_header(l, option(l, 1, "two")), interface_description(l, 1, 0, {}),
              enhanced_packet(l, 0, 5, "z", 1, {})});
  const Bytes first = sample_file(l);
  {
    // Same byte order: one PcapngFile, the later SHB a block.
    const Bytes file = concat({first, second_same});
    const auto parsed = capture::PcapngFile::parse(file);
    ASSERT_TRUE(parsed) << parsed.error();
    std::size_t headers = 0;
    for (const capture::PcapngBlockView b : parsed->blocks()) {
      if (const auto shb = b.body_section_header()) {
        ++headers;
        EXPECT_EQ(shb->section().options().front().value_text()->text(), "two");
      }
    }
    EXPECT_EQ(headers, 1u);
    EXPECT_EQ(capture_test::walk_pcapng(file).frames.size(), 5u);
  }
  {
    // The other byte order: PcapngFile stops at that SHB (its length read in
    // the wrong order); the block-by-block walk reads both sections.
    const Bytes second_other =
        concat({section_header(!l, option(!l, 1, "two")), interface_description(!l, 1, 0, {}),
                enhanced_packet(!l, 0, 5, "z", 1, {})});
    const Bytes file = concat({first, second_other});
    const auto parsed = capture::PcapngFile::parse(file);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().path_segment(1), "blocks");
    EXPECT_TRUE(parsed.error().path_has_index(1));
    EXPECT_EQ(parsed.error().path_index(1), block_sizes.size() - 1);
    const auto walk = capture_test::walk_pcapng(file);
    ASSERT_FALSE(walk.error) << *walk.error;
    ASSERT_EQ(walk.frames.size(), 5u);
    EXPECT_EQ(walk.frames[4].time_epoch, "0.000005000");
  }
  {
    // A later SHB in the same order whose magic is wrong.
    Bytes file = concat({first, second_same});
    file[first.size() + 8] ^= 0xFF;
    expect_error(file, lp::errc::constraint_failed, first.size() + 8,
                 fmt::format("PcapngFile.blocks[{}].body.PcapngNextSectionHeader.byte_order_magic",
                             block_sizes.size() - 1));
  }
}

TEST_P(Pcapng, LimitsOfTheOptions) {
  const Bytes file = sample_file(little());
  lp::ParseOptions options;
  options.max_elements = 9;
  // Reported where the block past the limit starts.
  expect_error(file, lp::errc::limit_exceeded, offset_of_block(10), "PcapngFile.blocks", options);
  options.max_elements = 10;
  EXPECT_TRUE(capture::PcapngFile::parse(file, options));
  // The deepest chain: file, block, EPB, option, value (PcapngU64).
  lp::ParseOptions shallow;
  shallow.max_depth = 3;
  const auto parsed = capture::PcapngFile::parse(file, shallow);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code(), lp::errc::too_deep) << parsed.error();
  EXPECT_EQ(parsed.error().path_segment(0), "PcapngFile");
}

TEST_P(Pcapng, MisalignedBuffer) {
  const Bytes file = sample_file(little());
  std::vector<std::uint8_t> shifted(file.size() + 3);
  std::copy(file.begin(), file.end(), shifted.begin() + 3);
  const auto parsed = capture::PcapngFile::parse(lp::bytes(shifted.data() + 3, file.size()));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->blocks().size(), block_sizes.size() - 1);
}

}  // namespace
