// The code lpc generates for tests/codegen/backend/schemas/demo/structure.lps —
// optional fields, `let`, `align`, struct parameters and byte order chosen at run
// time — compiled and run: values, zero copy, every error, every truncated prefix.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "demo/structure.lp.hpp"
#include "libparse/format.hpp"

namespace {

using namespace demo::structure;
using Bytes = std::vector<std::uint8_t>;

// ------------------------------------------------------------ optional fields and let

// kind EXT, flags 0x07: ext, point, note_length, note and words all present.
Bytes full_record() {
  return {2,    0x07,              // kind, flags
          0x00, 0x05,              // ext = 5
          1,    2,                 // point
          3,    'a',  'b',  'c',   // note_length, note
          0x00, 0x01, 0x00, 0x02,  // words
          11};                     // tail == ext + note_length * 2
}

TEST(GeneratedOptional, AllPresent) {
  const Bytes buf = full_record();
  auto r = Record::parse(buf);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->size(), buf.size());
  EXPECT_EQ(r->kind(), Kind::EXT);
  ASSERT_TRUE(r->has_ext());
  EXPECT_EQ(*r->ext(), 5);
  ASSERT_TRUE(r->point());
  EXPECT_EQ(r->point()->x(), 1);
  EXPECT_EQ(r->point()->y(), 2);
  EXPECT_EQ(*r->note_length(), 3);
  ASSERT_TRUE(r->note());
  EXPECT_EQ(r->note()->as_string_view(), "abc");
  // Zero copy: views point into the caller's buffer.
  EXPECT_EQ(static_cast<const void*>(r->note()->data()), static_cast<const void*>(buf.data() + 7));
  ASSERT_TRUE(r->words());
  EXPECT_EQ(r->words()->size(), 2u);
  EXPECT_EQ((*r->words())[1], 2);
  EXPECT_EQ(r->total(), 11u);
  EXPECT_EQ(r->delta(), 3u);
  static_assert(std::is_same_v<decltype(r->total()), std::uint64_t>);
  EXPECT_EQ(r->tail(), 11);
}

TEST(GeneratedOptional, AllAbsentTakeNoBytesAndCountAsZero) {
  const Bytes buf = {1, 0, 0};  // PLAIN, no flags, tail == 0
  auto r = Record::parse(buf);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->size(), 3u);
  EXPECT_FALSE(r->has_ext());
  EXPECT_FALSE(r->ext());
  EXPECT_FALSE(r->has_point());
  EXPECT_FALSE(r->point());
  EXPECT_FALSE(r->note_length());
  EXPECT_FALSE(r->note());
  EXPECT_FALSE(r->words());
  EXPECT_EQ(r->total(), 0u);
  EXPECT_EQ(r->tail(), 0);
  // Absent fields are not visited.
  EXPECT_EQ(fmt::format("{}", *r),
            "Record{kind: PLAIN (1), flags: 0, total: 0, delta: 0, tail: 0}");
}

TEST(GeneratedOptional, SomePresent) {
  const Bytes buf = {1, 0x04, 0xAB, 0xCD, 0x00, 0x01, 0};  // words only
  auto r = Record::parse(buf);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->ext());
  ASSERT_TRUE(r->words());
  EXPECT_EQ((*r->words())[0], 0xABCD);
  EXPECT_EQ(r->tail(), 0);
  EXPECT_EQ(r->size(), buf.size());
}

TEST(GeneratedOptional, EveryTruncatedPrefixIsTruncated) {
  const Bytes buf = full_record();
  for (std::size_t n = 0; n < buf.size(); ++n) {
    auto r = Record::parse(lp::bytes(buf.data(), n));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code(), lp::errc::truncated) << n << ": " << r.error().message();
    EXPECT_GT(r.error().needed(), 0u) << n;
    EXPECT_LE(r.error().byte_offset(), n) << n;
  }
  auto r = Record::parse(lp::bytes(buf.data(), 3));
  EXPECT_EQ(r.error().message(), "truncated at byte 2: Record.ext, 1 more byte needed");
  r = Record::parse(lp::bytes(buf.data(), 5));
  EXPECT_EQ(r.error().message(), "truncated at byte 5: Record.point.Point.y, 1 more byte needed");
}

TEST(GeneratedOptional, ConstraintOfAPresentFieldIsChecked) {
  Bytes buf = full_record();
  buf[3] = 0;  // ext == 0
  auto r = Record::parse(buf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(r.error().message(), "constraint failed at byte 2: Record.ext (ext != 0), got 0");
}

TEST(GeneratedLet, OverflowNamesTheLetAndItsExpression) {
  // flags 0x12: note present, flags >> 4 == 1, delta = 3 - 10 underflows.
  const Bytes buf = {1, 0x12, 3, 'a', 'b', 'c', 6};
  auto r = Record::parse(buf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::overflow);
  EXPECT_EQ(r.error().byte_offset(), 6u);
  EXPECT_EQ(r.error().field_path(), "Record.delta");
  EXPECT_EQ(r.error().text(), "note_length - 10 * (flags >> 4)");
}

TEST(GeneratedLet, ConstraintUsesTheLet) {
  Bytes buf = full_record();
  buf.back() = 12;
  auto r = Record::parse(buf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "constraint failed at byte 14: Record.tail (tail == total % 256), got 12");
}

TEST(GeneratedOptional, SettersWriteOnlyWhenPresent) {
  Bytes buf = full_record();
  auto r = Record::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(buf.data()), buf.size()));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->set_ext(0x1234));
  EXPECT_EQ(buf[2], 0x12);
  EXPECT_EQ(buf[3], 0x34);
  ASSERT_TRUE(r->note_mut());
  (*r->note_mut())[0] = std::byte{'z'};
  EXPECT_EQ(buf[7], 'z');
  ASSERT_TRUE(r->point_mut());
  r->point_mut()->set_x(9);
  EXPECT_EQ(buf[4], 9);
  ASSERT_TRUE(r->words_mut());
  r->words_mut()->set(0, 0xBEEF);
  EXPECT_EQ(buf[10], 0xBE);

  Bytes absent = {1, 0, 0};
  const Bytes before = absent;
  auto a =
      Record::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(absent.data()), absent.size()));
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->set_ext(7));
  EXPECT_FALSE(a->set_note_length(7));
  EXPECT_FALSE(a->note_mut());
  EXPECT_FALSE(a->point_mut());
  EXPECT_EQ(absent, before);
}

TEST(GeneratedOptional, FormatsPresentFieldsAndLets) {
  const Bytes buf = full_record();
  auto r = Record::parse(buf);
  ASSERT_TRUE(r);
  const std::string s = fmt::format("{}", *r);
  EXPECT_NE(s.find("ext: 5"), std::string::npos) << s;
  EXPECT_NE(s.find("total: 11"), std::string::npos) << s;
  EXPECT_NE(s.find("point: Point{x: 1, y: 2}"), std::string::npos) << s;
}

TEST(GeneratedOptional, ConditionOverflowIsAnError) {
  const Bytes zero = {0, 0, 0};
  auto r = Divided::parse(zero);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "overflow at byte 1: Divided.x (10 / d)");
  // 10 / 20 == 0: absent; align 2 pads one byte after d.
  const Bytes absent = {20, 0xEE, 7};
  auto a = Divided::parse(absent);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_FALSE(a->x());
  EXPECT_EQ(a->y(), 7);
  // 10 / 5 == 2: present; already aligned after x.
  const Bytes present = {5, 9, 7};
  auto p = Divided::parse(present);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(*p->x(), 9);
  EXPECT_EQ(p->y(), 7);
}

// ------------------------------------------------------------ align

TEST(GeneratedAlign, ConstantAndRunTimePadding) {
  // a, 3 bytes to offset 4, b, n = 2, body (7..9), 3 bytes to offset 12, c.
  const Bytes buf = {1, 0xEE, 0xEE, 0xEE, 0x01, 0x02, 2, 'x', 'y', 0, 0, 0, 0xCA, 0xFE, 0xBA, 0xBE};
  auto r = Aligned::parse(buf);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->a(), 1);
  EXPECT_EQ(r->b(), 0x0102);
  EXPECT_EQ(r->body().as_string_view(), "xy");
  EXPECT_EQ(r->c(), 0xCAFEBABEu);
  EXPECT_EQ(r->size(), 16u);
  for (std::size_t n = 0; n < buf.size(); ++n) {
    auto t = Aligned::parse(lp::bytes(buf.data(), n));
    ASSERT_FALSE(t) << n;
    EXPECT_EQ(t.error().code(), lp::errc::truncated) << n;
  }
  auto t = Aligned::parse(lp::bytes(buf.data(), 10));
  EXPECT_EQ(t.error().message(), "truncated at byte 9: Aligned.align, 2 more bytes needed");
  t = Aligned::parse(lp::bytes(buf.data(), 2));
  EXPECT_EQ(t.error().message(), "truncated at byte 1: Aligned.align, 5 more bytes needed");
}

TEST(GeneratedAlign, NoPaddingWhenAlreadyAligned) {
  // n = 1: body at 7, ends at 8, already a multiple of 4.
  const Bytes buf = {1, 0, 0, 0, 0, 2, 1, 'x', 0, 0, 0, 7};
  auto r = Aligned::parse(buf);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->c(), 7u);
  EXPECT_EQ(r->size(), 12u);
}

// ------------------------------------------------------------ parameters

TEST(GeneratedParams, ArgumentsComputedFromFields) {
  // ihl 6: 4 bytes of options; strict 1 requires a multiple of 4.
  const Bytes buf = {6, 1, 'o', 'p', 't', 's', 0x42};
  auto r = Header::parse(buf);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->options().length(), 4u);
  EXPECT_EQ(r->options().strict(), 1);
  EXPECT_EQ(r->options().data().as_string_view(), "opts");
  EXPECT_EQ(r->after(), 0x42);
  for (std::size_t n = 0; n < buf.size(); ++n) {
    auto t = Header::parse(lp::bytes(buf.data(), n));
    ASSERT_FALSE(t) << n;
    EXPECT_EQ(t.error().code(), lp::errc::truncated) << n;
  }
  auto t = Header::parse(lp::bytes(buf.data(), 4));
  EXPECT_EQ(t.error().message(),
            "truncated at byte 2: Header.options.Options.data, 2 more bytes needed");
}

TEST(GeneratedParams, ArgumentThatDoesNotFitItsParameterIsOverflow) {
  const Bytes buf = {5, 2, 0};  // strict = 2 does not fit u1
  auto r = Header::parse(buf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::overflow);
  EXPECT_EQ(r.error().message(), "overflow at byte 2: Header.options (strict)");
}

TEST(GeneratedParams, DirectParseTakesTheParameters) {
  const Bytes buf = {1, 2, 3, 4, 5, 6};
  auto ok = Options::parse(buf, 6, 0);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 6u);
  auto strict = Options::parse(buf, 6, 1);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(strict.error().text(), "strict == 0 || length % 4 == 0");
  auto shorter = Options::parse(buf, 10, 0);
  ASSERT_FALSE(shorter);
  EXPECT_EQ(shorter.error().message(), "truncated at byte 0: Options.data, 4 more bytes needed");
  auto huge = Options::parse(buf, 0xFFFFFFFFu, 0);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code(), lp::errc::truncated);
}

TEST(GeneratedParams, SignedArgumentsAndSignedLets) {
  const Bytes buf = {0xFF, 0xFD, 10, 0xFD};  // b = -3; s.raw = 10; small.x must equal b (u4)
  auto r = UsesSigned::parse(buf);
  ASSERT_FALSE(r);  // -3 does not fit u4
  EXPECT_EQ(r.error().message(), "overflow at byte 3: UsesSigned.small (b)");

  const Bytes ok = {0x00, 0x07, 0xF6, 0x07};  // b = 7; raw = -10; bias 14; x == 7
  auto u = UsesSigned::parse(ok);
  ASSERT_TRUE(u) << u.error().message();
  EXPECT_EQ(u->s().bias(), 14);
  EXPECT_EQ(u->s().value(), 4);
  static_assert(std::is_same_v<decltype(u->s().value()), std::int64_t>);
  EXPECT_EQ(u->small().v(), 7);

  const Bytes big = {0x00, 0x10, 0, 0x10};  // b = 16 does not fit u4
  auto b = UsesSigned::parse(big);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code(), lp::errc::overflow);
  EXPECT_EQ(b.error().field_path(), "UsesSigned.small");

  const Bytes wrap = {0x7F, 0xFF, 0, 0};  // b * 2 does not fit i16
  auto w = UsesSigned::parse(wrap);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().message(), "overflow at byte 2: UsesSigned.s (b * 2)");
}

// ------------------------------------------------------------ byte order at run time

void put(Bytes& out, std::uint64_t v, int n, bool little) {
  for (int i = 0; i < n; ++i) {
    const int shift = little ? 8 * i : 8 * (n - 1 - i);
    out.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

Bytes capture(bool little) {
  Bytes out;
  // The magic, written by a little-endian writer, reads D4 C3 B2 A1.
  put(out, 0xA1B2C3D4, 4, little);
  put(out, 1700000000, 4, little);  // ts_sec
  put(out, 123456, 4, little);      // ts_usec
  put(out, 3, 4, little);           // caplen
  put(out, 0x010203, 3, little);    // len (u24)
  put(out, 0xFFFE, 2, little);      // neg = -2
  std::uint32_t ratio = 0;
  const float f = 1.5f;
  std::memcpy(&ratio, &f, 4);
  put(out, ratio, 4, little);   // ratio
  out.push_back(1);             // tag: kind present
  put(out, 0x0800, 2, little);  // kind
  out.insert(out.end(), {'p', 'k', 't'});
  put(out, 0x1111, 2, true);  // values: u16le[2], whatever the order
  put(out, 0x2222, 2, true);
  put(out, 0xABCD, 2, little);  // last
  // u16le written with `put(..., true)`: little-endian bytes.
  return out;
}

void check_capture(bool little) {
  const Bytes buf = capture(little);
  auto r = FileHeader::parse(buf);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->order(), little ? lp::byte_order::little : lp::byte_order::big);
  const RecordHeaderView h = r->header();
  EXPECT_EQ(h.order(), r->order());
  EXPECT_EQ(h.ts_sec(), 1700000000u);
  EXPECT_EQ(h.ts_usec(), 123456u);
  EXPECT_EQ(h.caplen(), 3u);
  EXPECT_EQ(h.len(), 0x010203u);
  EXPECT_EQ(h.neg(), -2);
  EXPECT_EQ(h.ratio(), 1.5f);
  ASSERT_TRUE(h.kind());
  EXPECT_EQ(*h.kind(), 0x0800);
  EXPECT_EQ(h.big_endian(), little ? 0u : 1u);
  EXPECT_EQ(h.data().as_string_view(), "pkt");
  const TrailerView t = r->trailer();
  EXPECT_EQ(t.count(), 2);
  EXPECT_EQ(t.values()[0], 0x1111);
  EXPECT_EQ(t.last(), 0xABCD);
  EXPECT_EQ(r->size(), buf.size());

  for (std::size_t n = 0; n < buf.size(); ++n) {
    auto p = FileHeader::parse(lp::bytes(buf.data(), n));
    ASSERT_FALSE(p) << n;
    EXPECT_EQ(p.error().code(), lp::errc::truncated) << n;
  }
}

TEST(GeneratedRuntimeOrder, MisalignedBuffersReadTheSame) {
  for (const bool little : {false, true}) {
    const Bytes buf = capture(little);
    Bytes shifted(buf.size() + 1);
    std::memcpy(shifted.data() + 1, buf.data(), buf.size());
    auto r = FileHeader::parse(lp::bytes(shifted.data() + 1, buf.size()));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->header().ts_usec(), 123456u);
    EXPECT_EQ(r->header().len(), 0x010203u);
    EXPECT_EQ(r->header().ratio(), 1.5f);
  }
}

TEST(GeneratedRuntimeOrder, BigEndianCapture) { check_capture(false); }
TEST(GeneratedRuntimeOrder, LittleEndianCapture) { check_capture(true); }

TEST(GeneratedRuntimeOrder, SettersWriteInTheRunTimeOrder) {
  for (const bool little : {false, true}) {
    Bytes buf = capture(little);
    auto r =
        FileHeader::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(buf.data()), buf.size()));
    ASSERT_TRUE(r);
    auto h = r->header_mut();
    h.set_ts_sec(0x01020304);
    EXPECT_EQ(buf[4], little ? 0x04 : 0x01);
    h.set_len(0xAABBCC);
    EXPECT_EQ(buf[16], little ? 0xCC : 0xAA);
    EXPECT_TRUE(h.set_kind(0x86DD));
    h.set_neg(-300);
    h.set_ratio(-0.25f);
    auto again = FileHeader::parse(buf);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->header().ts_sec(), 0x01020304u);
    EXPECT_EQ(again->header().len(), 0xAABBCCu);
    EXPECT_EQ(*again->header().kind(), 0x86DD);
    EXPECT_EQ(again->header().neg(), -300);
    EXPECT_EQ(again->header().ratio(), -0.25f);
  }
}

TEST(GeneratedRuntimeOrder, DirectParseWithAnOrder) {
  const Bytes buf = capture(true);
  auto le = RecordHeader::parse(lp::bytes(buf.data() + 4, buf.size() - 4), lp::byte_order::little);
  ASSERT_TRUE(le) << le.error().message();
  EXPECT_EQ(le->caplen(), 3u);
  // The same bytes read big-endian: caplen is 0x03000000, more than the buffer holds.
  auto be = RecordHeader::parse(lp::bytes(buf.data() + 4, buf.size() - 4), lp::byte_order::big);
  ASSERT_FALSE(be);
  EXPECT_EQ(be.error().code(), lp::errc::truncated);
  EXPECT_EQ(be.error().field_path(), "RecordHeader.data");
}

TEST(GeneratedRuntimeOrder, BadMagic) {
  Bytes buf = capture(false);
  buf[0] = 0;
  auto r = FileHeader::parse(buf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(r.error().field_path(), "FileHeader.magic");
}

TEST(GeneratedRuntimeOrder, FormatsTheOrderLet) {
  const Bytes buf = capture(true);
  auto r = FileHeader::parse(buf);
  ASSERT_TRUE(r);
  const std::string s = fmt::format("{}", *r);
  EXPECT_NE(s.find("order: little"), std::string::npos) << s;
}

// --------------------------------------------- arrays of parameterised elements

// Magic, limit 3 (records of at most 6 bytes), then records of 2 and 0 bytes.
Bytes capture_records(bool little) {
  Bytes out;
  put(out, 0xA1B2C3D4, 4, little);
  out.push_back(3);
  put(out, 2, 2, little);
  out.insert(out.end(), {'h', 'i'});
  put(out, 0, 2, little);
  return out;
}

TEST(GeneratedParamElements, EachElementGetsTheArguments) {
  for (const bool little : {false, true}) {
    SCOPED_TRACE(little ? "little-endian" : "big-endian");
    const Bytes buf = capture_records(little);
    auto r = Capture::parse(buf);
    ASSERT_TRUE(r) << r.error().message();
    const auto records = r->records();
    ASSERT_EQ(records.size(), 2u);
    std::vector<std::string> seen;
    for (const PacketView packet : records) {
      EXPECT_EQ(packet.order(), little ? lp::byte_order::little : lp::byte_order::big);
      EXPECT_EQ(packet.max_length(), 6);
      seen.emplace_back(packet.data().as_string_view());
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"hi", ""}));
    EXPECT_EQ(records.front().caplen(), 2);
    for (std::size_t n = 0; n < buf.size(); ++n) {
      const auto p = Capture::parse(lp::bytes(buf.data(), n));
      // Every prefix that ends between records is itself a valid capture.
      if (n == 5 || n == 9) {
        EXPECT_TRUE(p) << n;
        continue;
      }
      ASSERT_FALSE(p) << n;
      EXPECT_EQ(p.error().code(), lp::errc::truncated) << n;
    }
  }
}

TEST(GeneratedParamElements, ElementConstraintUsesItsArgument) {
  Bytes buf = capture_records(false);
  buf[4] = 0;  // limit 0: the first record's caplen 2 exceeds max_length 0
  auto r = Capture::parse(buf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(r.error().field_path(), "Capture.records[0].caplen");
  EXPECT_EQ(r.error().byte_offset(), 5u);
}

TEST(GeneratedParamElements, ArgumentThatDoesNotFitIsOverflow) {
  Bytes buf = capture_records(false);
  buf[4] = 200;  // limit * 2 = 400 does not fit max_length: u8
  auto r = Capture::parse(buf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::overflow);
  EXPECT_EQ(r.error().field_path(), "Capture.records");
  EXPECT_EQ(r.error().text(), "limit * 2");
}

TEST(GeneratedParamElements, MutElementsWriteInTheirOrder) {
  for (const bool little : {false, true}) {
    Bytes buf = capture_records(little);
    auto r =
        Capture::parse_mut(lp::mut_bytes(reinterpret_cast<std::byte*>(buf.data()), buf.size()));
    ASSERT_TRUE(r);
    for (auto packet : r->records_mut()) {
      if (packet.caplen() == 2) packet.data_mut()[0] = std::byte{'H'};
    }
    auto first = r->records_mut().front();
    first.set_caplen(1);
    EXPECT_EQ(buf[little ? 5 : 6], 1);
    auto again = Capture::parse(buf);
    ASSERT_FALSE(again);  // caplen 1 leaves 'i' where the next record's header starts
    buf[little ? 5 : 6] = 2;
    again = Capture::parse(buf);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->records().front().data().as_string_view(), "Hi");
  }
}

// ------------------------------------------------------------------ remaining

TEST(GeneratedRemaining, OptionalBlockWhenBytesAreLeft) {
  const Bytes without = {2, 'h', 'i'};
  auto r = Hello::parse(without);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->extensions());
  EXPECT_EQ(r->left_after_length(), 2u);

  const Bytes with = {2, 'h', 'i', 1, 'x'};
  r = Hello::parse(with);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_TRUE(r->extensions());
  EXPECT_EQ(r->extensions()->data().as_string_view(), "x");
  EXPECT_EQ(r->left_after_length(), 4u);
  EXPECT_EQ(r->size(), with.size());
}

TEST(GeneratedRemaining, RequireSeesTheBytesAfterTheStruct) {
  const Bytes trailing = {2, 'h', 'i', 0, 'z'};  // extensions of 0 bytes, then 'z'
  auto r = Hello::parse(trailing);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(r.error().text(), "remaining == 0");
  EXPECT_EQ(r.error().field_path(), "Hello");
}

TEST(GeneratedRemaining, TruncatedBlockIsStillTruncated) {
  const Bytes cut = {2, 'h', 'i', 3, 'x'};  // n = 3, one byte of data
  auto r = Hello::parse(cut);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), lp::errc::truncated);
  EXPECT_EQ(r.error().field_path(), "Hello.extensions.HelloExtensions.data");
}

}  // namespace
