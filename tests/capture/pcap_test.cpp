// capture/pcap.lps through its generated views: files built byte by byte in both
// byte orders and both timestamp resolutions, every truncated prefix, each
// constraint, malformed lengths, and the record-by-record walk.
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

constexpr std::size_t header_size = 24;
constexpr std::size_t record_header_size = 16;

struct Variant {
  bool little;
  bool nanosecond;
};

std::string name(const Variant& v) {
  return fmt::format("{}-endian {}", v.little ? "little" : "big", v.nanosecond ? "ns" : "us");
}

std::uint32_t magic_of(const Variant& v) {
  if (v.little) return v.nanosecond ? 0x4D3CB2A1 : 0xD4C3B2A1;
  return v.nanosecond ? 0xA1B23C4D : 0xA1B2C3D4;
}

Writer file_header(const Variant& v, std::uint32_t link_type = 1) {
  Writer w(v.little);
  w.u32be(magic_of(v)).u16(2).u16(4).u32(0).u32(0).u32(262144).u32(link_type);
  return w;
}

// The header, a record of 5 bytes (captured from 60 on the wire), an empty
// record, a record of 3 bytes.
Bytes sample_file(const Variant& v) {
  Writer w = file_header(v);
  const std::uint32_t frac_1 = v.nanosecond ? 123456789 : 123456;
  w.u32(1700000000).u32(frac_1).u32(5).u32(60).text("hello");
  w.u32(0xFFFFFFFF).u32(v.nanosecond ? 999999999 : 999999).u32(0).u32(0);
  w.u32(1).u32(0).u32(3).u32(3).text("abc");
  return w.bytes();
}

// Offsets where a prefix of sample_file() ends between records.
const std::vector<std::size_t> record_ends = {24, 24 + 16 + 5, 24 + 16 + 5 + 16,
                                              24 + 16 + 5 + 16 + 19};

const Variant variants[] = {{false, false}, {false, true}, {true, false}, {true, true}};

TEST(Pcap, FileBuiltByteByByte) {
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    const Bytes file = sample_file(v);
    const auto parsed = capture::PcapFile::parse(file);
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->magic(), magic_of(v));
    EXPECT_EQ(parsed->order(), v.little ? lp::byte_order::little : lp::byte_order::big);
    EXPECT_EQ(parsed->nanosecond(), v.nanosecond ? 1u : 0u);
    const auto header = parsed->header();
    EXPECT_EQ(header.version_major(), 2);
    EXPECT_EQ(header.version_minor(), 4);
    EXPECT_EQ(header.thiszone(), 0);
    EXPECT_EQ(header.sigfigs(), 0u);
    EXPECT_EQ(header.snaplen(), 262144u);
    EXPECT_EQ(header.link_type(), capture::LinkType::ETHERNET);
    EXPECT_EQ(header.link_type_code(), 1u);
    EXPECT_EQ(header.fcs_length(), 0u);
    EXPECT_EQ(parsed->size(), file.size());

    const auto records = parsed->records();
    ASSERT_EQ(records.size(), 3u);
    std::vector<std::string> times;
    std::vector<std::string> data;
    for (const capture::PcapRecordView record : records) {
      EXPECT_EQ(record.order(), parsed->order());
      times.push_back(capture_test::epoch(record.ts_sec(), record.ts_nanoseconds()));
      data.emplace_back(record.data().as_string_view());
    }
    const std::string first_ns = v.nanosecond ? "1700000000.123456789" : "1700000000.123456000";
    const std::string second_ns = v.nanosecond ? "4294967295.999999999" : "4294967295.999999000";
    EXPECT_EQ(times, (std::vector<std::string>{first_ns, second_ns, "1.000000000"}));
    EXPECT_EQ(data, (std::vector<std::string>{"hello", "", "abc"}));
    const capture::PcapRecordView first = records.front();
    EXPECT_EQ(first.incl_len(), 5u);
    EXPECT_EQ(first.orig_len(), 60u);
    EXPECT_EQ(first.ts_frac(), v.nanosecond ? 123456789u : 123456u);
  }
}

TEST(Pcap, HeaderAloneGivesTheRecordArguments) {
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    const Bytes file = sample_file(v);
    const auto header = capture::PcapHeader::parse(file);
    ASSERT_TRUE(header) << header.error();
    EXPECT_EQ(header->size(), header_size);
    EXPECT_EQ(header->order(), v.little ? lp::byte_order::little : lp::byte_order::big);
    EXPECT_EQ(header->header().snaplen(), 262144u);
    const auto record = capture::PcapRecord::parse(lp::bytes(file).drop_first(header_size),
                                                   header->order(), header->nanosecond());
    ASSERT_TRUE(record) << record.error();
    EXPECT_EQ(record->size(), record_header_size + 5);
    EXPECT_EQ(record->data().as_string_view(), "hello");
  }
}

TEST(Pcap, EveryTruncatedPrefix) {
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    const Bytes file = sample_file(v);
    for (std::size_t n = 0; n < file.size(); ++n) {
      SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
      const auto parsed = capture::PcapFile::parse(lp::bytes(file.data(), n));
      const bool between_records =
          std::find(record_ends.begin(), record_ends.end(), n) != record_ends.end();
      if (between_records) {
        ASSERT_TRUE(parsed) << parsed.error();
        continue;
      }
      ASSERT_FALSE(parsed);
      const lp::Error& e = parsed.error();
      EXPECT_EQ(e.code(), lp::errc::truncated) << e;
      EXPECT_LE(e.byte_offset(), n) << e;
      EXPECT_GE(e.needed(), 1u) << e;
      EXPECT_LE(e.needed(), file.size() - n) << e;
      EXPECT_EQ(e.path_segment(0), "PcapFile") << e;
    }
  }
}

// ParseOptions::defer_lists: the records (a list running to the end of the
// file, of a parameterised type) are not walked by parse(); validate() gives the
// error a full parse gives, for every prefix; iteration reads the whole records
// before the break.
TEST(Pcap, DeferredRecordsValidateLikeAFullParse) {
  lp::ParseOptions deferring;
  deferring.defer_lists = true;
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    const Bytes file = sample_file(v);
    for (std::size_t n = header_size; n <= file.size(); ++n) {
      SCOPED_TRACE(fmt::format("prefix of {} bytes", n));
      const lp::bytes prefix(file.data(), n);
      const auto eager = capture::PcapFile::parse(prefix);
      const auto deferred = capture::PcapFile::parse(prefix, deferring);
      ASSERT_TRUE(deferred) << deferred.error();
      EXPECT_EQ(deferred->nanosecond(), v.nanosecond);
      const auto records = deferred->records();
      EXPECT_FALSE(records.validated());
      const auto validated = records.validate();
      const std::size_t walked = records.size();  // unvalidated: the records before a break
      if (eager) {
        ASSERT_TRUE(validated) << validated.error();
        EXPECT_EQ(validated->size(), eager->records().size());
        EXPECT_EQ(walked, eager->records().size());
      } else {
        ASSERT_FALSE(validated);
        EXPECT_EQ(validated.error().message(), eager.error().message());
        EXPECT_EQ(walked, eager.error().path_index(1));
      }
    }
  }
}

TEST(Pcap, StreamingWalkReadsTheRecordsBeforeABreak) {
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    const Bytes file = sample_file(v);
    // The whole file, then the file cut inside its last record's data.
    const auto whole = capture_test::walk_pcap(file);
    EXPECT_FALSE(whole.error);
    EXPECT_EQ(whole.frames.size(), 3u);
    const auto cut = capture_test::walk_pcap(lp::bytes(file.data(), file.size() - 1));
    ASSERT_EQ(cut.frames.size(), 2u);
    EXPECT_EQ(cut.frames[0].cap_len, 5u);
    EXPECT_EQ(cut.frames[0].len, 60u);
    ASSERT_TRUE(cut.error);
    EXPECT_EQ(cut.error->code(), lp::errc::truncated);
    EXPECT_EQ(cut.error->needed(), 1u);
    EXPECT_EQ(cut.error->field_path(), "PcapRecord.data");
    EXPECT_EQ(cut.error_offset, record_ends[2] + record_header_size);
    // The whole-file type sees the same break and reports nothing before it.
    const auto parsed = capture::PcapFile::parse(lp::bytes(file.data(), file.size() - 1));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().field_path(), "PcapFile.records[2].data");
    EXPECT_EQ(parsed.error().byte_offset(), record_ends[2] + record_header_size);
  }
}

void expect_error(const Bytes& file, lp::errc code, std::size_t offset, std::string_view path,
                  const lp::ParseOptions& options = {}) {
  const auto parsed = capture::PcapFile::parse(file, options);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code(), code) << parsed.error();
  EXPECT_EQ(parsed.error().byte_offset(), offset) << parsed.error();
  EXPECT_EQ(parsed.error().field_path(), path) << parsed.error();
}

// lpdump's stream reader, fed the file in pieces, reads what the file walk
// reads: every variant, every truncated prefix (byte by byte), a bad magic and
// a record longer than the limit.
TEST(Pcap, StreamReadsLikeTheFileWalk) {
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    const Bytes file = sample_file(v);
    capture_test::expect_stream_reads_like_file(file);
    std::vector<std::size_t> bytewise;
    for (std::size_t size = 0; size < file.size(); ++size) {
      capture_test::expect_stream_reads_like_file(Bytes(file.begin(), file.begin() + size),
                                                  bytewise);
      if (size != 0) bytewise.push_back(size);
    }
  }
  Bytes bad_magic = sample_file(variants[0]);
  bad_magic[1] = 0;
  capture_test::expect_stream_reads_like_file(bad_magic);
  Bytes too_long = sample_file(variants[0]);
  too_long[header_size + 8] = 0x20;  // incl_len 2^29 + 5
  capture_test::expect_stream_reads_like_file(too_long);
}

TEST(Pcap, EachConstraintFailsOnce) {
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    {
      Bytes file = sample_file(v);
      file[0] ^= 0x01;  // no magic
      expect_error(file, lp::errc::constraint_failed, 0, "PcapFile.magic");
      const auto header = capture::PcapHeader::parse(file);
      ASSERT_FALSE(header);
      EXPECT_EQ(header.error().field_path(), "PcapHeader.magic");
    }
    {
      Bytes file = sample_file(v);
      file[v.little ? 4 : 5] = 3;  // version 3.4
      expect_error(file, lp::errc::constraint_failed, 4,
                   "PcapFile.header.PcapHeaderFields.version_major");
    }
    {
      // incl_len one above the 256 MiB cap, in the second record.
      Writer w = file_header(v);
      w.u32(0).u32(0).u32(0).u32(0);
      w.u32(0).u32(0).u32(0x1000'0001).u32(0x1000'0001);
      expect_error(w.bytes(), lp::errc::constraint_failed, 24 + 16 + 8,
                   "PcapFile.records[1].incl_len");
    }
  }
}

TEST(Pcap, MalformedLengths) {
  for (const Variant& v : variants) {
    SCOPED_TRACE(name(v));
    {
      // incl_len past the end of the file: truncated, with the bytes missing.
      Writer w = file_header(v);
      w.u32(0).u32(0).u32(100).u32(100).text("only ten..");
      const auto parsed = capture::PcapFile::parse(w.bytes());
      ASSERT_FALSE(parsed);
      EXPECT_EQ(parsed.error().code(), lp::errc::truncated);
      EXPECT_EQ(parsed.error().byte_offset(), 40u);
      EXPECT_EQ(parsed.error().needed(), 90u);
      EXPECT_EQ(parsed.error().field_path(), "PcapFile.records[0].data");
    }
    {
      // The largest accepted length, past the end: still only truncated.
      Writer w = file_header(v);
      w.u32(0).u32(0).u32(0x1000'0000).u32(0);
      const auto parsed = capture::PcapFile::parse(w.bytes());
      ASSERT_FALSE(parsed);
      EXPECT_EQ(parsed.error().code(), lp::errc::truncated);
      EXPECT_EQ(parsed.error().needed(), 0x1000'0000u);
    }
    {
      // orig_len below incl_len and incl_len above snaplen are accepted, as
      // libpcap and Wireshark accept them.
      Writer w(v.little);
      w.u32be(magic_of(v)).u16(2).u16(4).u32(0).u32(0).u32(4).u32(1);
      w.u32(0).u32(0).u32(8).u32(2).text("12345678");
      const auto parsed = capture::PcapFile::parse(w.bytes());
      ASSERT_TRUE(parsed) << parsed.error();
      EXPECT_EQ(parsed->records().front().orig_len(), 2u);
    }
  }
}

TEST(Pcap, LinkTypeWithFcsBitsAndUnknownValues) {
  const Variant v{true, false};
  // LINKTYPE_ETHERNET with "FCS length present" (bit 26) and 2 in bits 28-31.
  Writer w = file_header(v, 0x2400'0001);
  const auto parsed = capture::PcapFile::parse(w.bytes());
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(static_cast<std::uint32_t>(parsed->header().link_type()), 0x2400'0001u);
  EXPECT_EQ(parsed->header().link_type_code(), 1u);
  EXPECT_EQ(parsed->header().fcs_length(), 2u);
  EXPECT_TRUE(parsed->records().empty());

  for (const std::uint32_t code : {0u, 1u, 101u, 108u, 113u, 228u, 229u, 276u, 4242u}) {
    const Bytes file = file_header(v, code).bytes();
    const auto p = capture::PcapFile::parse(file);
    ASSERT_TRUE(p);
    EXPECT_EQ(static_cast<std::uint32_t>(p->header().link_type()), code);
  }
  EXPECT_EQ(capture::to_string(capture::LinkType::LINUX_SLL2), "LINUX_SLL2");
  EXPECT_EQ(static_cast<std::uint32_t>(capture::LinkType::RAW), 101u);
  EXPECT_EQ(static_cast<std::uint32_t>(capture::LinkType::LOOP), 108u);
  EXPECT_EQ(static_cast<std::uint32_t>(capture::LinkType::IPV6), 229u);
}

TEST(Pcap, MaxElementsBoundsTheRecords) {
  const Bytes file = sample_file({true, false});
  lp::ParseOptions options;
  options.max_elements = 2;
  // Reported where the element past the limit starts.
  expect_error(file, lp::errc::limit_exceeded, record_ends[2], "PcapFile.records", options);
  options.max_elements = 3;
  EXPECT_TRUE(capture::PcapFile::parse(file, options));
}

TEST(Pcap, MisalignedBuffer) {
  const Bytes file = sample_file({false, true});
  std::vector<std::uint8_t> shifted(file.size() + 1);
  std::copy(file.begin(), file.end(), shifted.begin() + 1);
  const auto parsed = capture::PcapFile::parse(lp::bytes(shifted.data() + 1, file.size()));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->records().front().orig_len(), 60u);
}

TEST(Pcap, FormatsWithTheLets) {
  const Bytes file = sample_file({true, true});
  const auto parsed = capture::PcapFile::parse(file);
  ASSERT_TRUE(parsed);
  const std::string text = fmt::format("{}", *parsed);
  EXPECT_NE(text.find("order: little"), std::string::npos) << text;
  EXPECT_NE(text.find("ts_nanoseconds: 123456789"), std::string::npos) << text;
}

}  // namespace
