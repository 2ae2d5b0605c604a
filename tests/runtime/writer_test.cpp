// libparse/writer.hpp: lp::Writer's puts and their errors, the first error kept
// (later puts, patches and zero fills inert), the path added on the way out,
// counting mode, and the width check at every width 1..64.
#include "libparse/writer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(lp::mut_bytes b) {
  Bytes out;
  for (const std::byte x : b) out.push_back(std::to_integer<std::uint8_t>(x));
  return out;
}

constexpr auto big = lp::byte_order::big;
constexpr auto little = lp::byte_order::little;

TEST(Writer, PutsEveryKindInOrder) {
  std::array<std::byte, 32> buf{};
  lp::Writer out{lp::mut_bytes(buf.data(), buf.size())};
  EXPECT_TRUE(out.put_uint(0x0102, 16, big, false, "a"));
  EXPECT_TRUE(out.put_uint(0x0304, 16, little, false, "b"));
  EXPECT_TRUE(out.put_uint(0x5, 4, big, false, "c"));  // MSB-first bit fields
  EXPECT_TRUE(out.put_int(-2, 4, big, false, "d"));    // 0b1110
  EXPECT_TRUE(out.put_bytes(lp::bytes(std::string_view("xy")), "e"));
  EXPECT_TRUE(out.put_zeros(2, "f"));
  EXPECT_TRUE(out.put_varint(300, "g"));              // 0xac 0x02
  EXPECT_TRUE(out.put_quic_varint(15293, "h"));       // 0x7b 0xbd
  EXPECT_TRUE(out.put_float<float>(1.0F, big, "i"));  // 0x3f800000
  EXPECT_TRUE(out.ok());
  EXPECT_TRUE(out.status());
  EXPECT_FALSE(out.counting());
  EXPECT_EQ(out.size(), 17U);
  EXPECT_EQ(bytes_of(out.written()), (Bytes{0x01, 0x02, 0x04, 0x03, 0x5e, 'x', 'y', 0x00, 0x00,
                                            0xac, 0x02, 0x7b, 0xbd, 0x3f, 0x80, 0x00, 0x00}));
}

TEST(Writer, PatchRewritesWhatWasPut) {
  std::array<std::byte, 4> buf{};
  lp::Writer out{lp::mut_bytes(buf.data(), buf.size())};
  const std::size_t at = out.bit_position();
  ASSERT_TRUE(out.put_uint(0, 16, big, false, "length"));
  ASSERT_TRUE(out.put_uint(0xabcd, 16, big, false, "payload"));
  out.patch_uint(at, 2, 16, big, false);
  EXPECT_EQ(bytes_of(out.written()), (Bytes{0x00, 0x02, 0xab, 0xcd}));
}

// A buffer one byte short: the put that does not fit is the error, and it stays.
TEST(Writer, KeepsTheFirstError) {
  std::array<std::byte, 3> buf{};
  lp::Writer out{lp::mut_bytes(buf.data(), buf.size())};
  EXPECT_TRUE(out.put_uint(0x0102, 16, big, false, "first"));
  EXPECT_FALSE(out.put_uint(0x0304, 16, big, false, "second"));
  EXPECT_FALSE(out.ok());
  EXPECT_FALSE(out);
  ASSERT_FALSE(out.status());
  const lp::Error& e = out.error();
  EXPECT_EQ(e.code(), lp::errc::truncated);
  EXPECT_EQ(e.field_path(), "second");
  EXPECT_EQ(e.byte_offset(), 2U);
  EXPECT_EQ(e.needed(), 1U);

  // Every later put fails without replacing it, even one that would fit or one
  // that fails on its own (too wide, out of range).
  EXPECT_FALSE(out.put_uint(7, 8, big, false, "fits"));
  EXPECT_FALSE(out.put_uint(0x100, 8, big, false, "too_wide"));
  EXPECT_FALSE(out.put_int(-1, 8, big, false, "int"));
  EXPECT_FALSE(out.put_bytes(lp::bytes(), "empty"));
  EXPECT_FALSE(out.put_bytes(lp::bytes(std::string_view("x")), "bytes"));
  EXPECT_FALSE(out.put_zeros(0, "none"));
  EXPECT_FALSE(out.put_zeros(1, "zeros"));
  EXPECT_FALSE(out.put_varint(1, "varint"));
  EXPECT_FALSE(out.put_quic_varint(std::uint64_t{1} << 62, "quic"));
  EXPECT_FALSE(out.put_float<double>(1.0, big, "float"));
  out.fail(lp::serialize_error(lp::errc::missing_value, "later", 0));
  EXPECT_EQ(out.error().field_path(), "second");
  EXPECT_EQ(out.error().code(), lp::errc::truncated);
  // Nothing was stored or counted after the failure.
  EXPECT_EQ(out.bit_position(), 16U);
  EXPECT_EQ(bytes_of(out.written()), (Bytes{0x01, 0x02}));
  EXPECT_EQ(std::to_integer<int>(buf[2]), 0);
}

// A patch after an error does nothing: the put it would rewrite may be the one
// that failed, past the buffer's end.
TEST(Writer, PatchesAfterAnErrorAreInert) {
  std::array<std::byte, 4> buf{};
  lp::Writer out{lp::mut_bytes(buf.data(), 2)};  // the writer owns the first two bytes
  ASSERT_TRUE(out.put_uint(0x0102, 16, big, false, "kept"));
  const std::size_t at = out.bit_position();
  ASSERT_FALSE(out.put_uint(0, 16, big, false, "length"));
  out.patch_uint(at, 0xffff, 16, big, false);  // at the failed put: outside the buffer
  out.patch_uint(0, 0xffff, 16, big, false);   // at a put that succeeded: still inert
  EXPECT_EQ(std::to_integer<int>(buf[0]), 0x01);
  EXPECT_EQ(std::to_integer<int>(buf[1]), 0x02);
  EXPECT_EQ(std::to_integer<int>(buf[2]), 0);
  EXPECT_EQ(std::to_integer<int>(buf[3]), 0);
}

TEST(Writer, FailKeepsTheFirstOfSeveralChecks) {
  lp::Writer out;
  EXPECT_TRUE(out.ok());
  out.fail(lp::serialize_error(lp::errc::missing_value, "a", 12))
      .fail(lp::serialize_error(lp::errc::bad_length, "b", 0));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), lp::errc::missing_value);
  EXPECT_EQ(out.error().byte_offset(), 1U);
  EXPECT_EQ(out.error().bit_offset(), 4U);
  // ... and, holding one, the writer stops counting.
  EXPECT_FALSE(out.put_uint(1, 8, big, false, "x"));
  EXPECT_EQ(out.bit_position(), 0U);
}

// outer(): the path an error gets on its way out of nested serializers, kept by
// the writer, as parse() builds it.
TEST(Writer, OuterAddsThePathOnTheWayOut) {
  lp::Writer ok;
  EXPECT_TRUE(ok.outer("Udp"));
  EXPECT_TRUE(ok.outer("payload", "Ipv4"));
  EXPECT_TRUE(ok.outer_element("options", 2, "Tcp"));

  lp::Writer out{lp::mut_bytes()};
  ASSERT_FALSE(out.put_uint(1, 16, big, false, "length"));
  const lp::Status child = out.outer("Udp");
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().field_path(), "Udp.length");
  const lp::Status parent = out.outer("payload", "Ipv4");
  ASSERT_FALSE(parent);
  EXPECT_EQ(parent.error().field_path(), "Ipv4.payload.Udp.length");
  EXPECT_EQ(out.error().field_path(), "Ipv4.payload.Udp.length");  // the writer keeps it
  EXPECT_EQ(out.status().error().field_path(), "Ipv4.payload.Udp.length");

  lp::Writer element{lp::mut_bytes()};
  ASSERT_FALSE(element.put_uint(1, 8, big, false, "length"));
  (void)element.outer("TcpOption");
  EXPECT_EQ(element.outer_element("options", 2, "Tcp").error().field_path(),
            "Tcp.options[2].length");

  // A scalar element: the error names the array, which gets the index.
  lp::Writer scalar{lp::mut_bytes()};
  ASSERT_FALSE(scalar.put_uint(1, 16, little, false, "values"));
  EXPECT_EQ(scalar.outer_element("values", 4, "Bag").error().field_path(), "Bag.values[4]");
}

TEST(Writer, CountingStoresNothingAndNeverRunsOut) {
  lp::Writer out;
  EXPECT_TRUE(out.counting());
  EXPECT_TRUE(out.put_uint(1, 3, big, false, "a"));
  EXPECT_TRUE(out.put_zeros(std::uint64_t{1} << 40, "huge"));  // a terabyte, counted
  EXPECT_TRUE(out.put_bytes(lp::bytes(std::string_view("xyz")), "b"));
  EXPECT_TRUE(out.put_varint(std::numeric_limits<std::uint64_t>::max(), "c"));  // 10 bytes
  EXPECT_EQ(out.bit_position(), 3 + (std::uint64_t{1} << 43) + 24 + 80);
  EXPECT_EQ(out.size(), (std::uint64_t{1} << 40) + 14);
  EXPECT_TRUE(out.written().empty());
  out.patch_uint(0, 7, 3, big, false);  // nothing to rewrite
  // The width check applies while counting: serialized_size() reports it too.
  EXPECT_FALSE(out.put_uint(8, 3, big, false, "d"));
  EXPECT_EQ(out.error().code(), lp::errc::bad_value);
  EXPECT_EQ(out.error().field_path(), "d");
}

TEST(Writer, CountingPastSizeMaxIsAnOverflowNotAWrap) {
  lp::Writer out;
  ASSERT_TRUE(out.put_uint(0, 8, big, false, "a"));
  EXPECT_FALSE(out.put_zeros(std::numeric_limits<std::uint64_t>::max() / 8, "pad"));
  EXPECT_EQ(out.error().code(), lp::errc::overflow);
  EXPECT_EQ(out.error().field_path(), "pad");
  EXPECT_EQ(out.bit_position(), 8U);
}

// Counts whose size in bits overflows a size_t are truncation, never a write.
TEST(Writer, HugeCountsAreTruncationNotAWrap) {
  std::array<std::byte, 4> buf{};
  for (const std::uint64_t count : {std::uint64_t{1} << 61, std::uint64_t{1} << 63,
                                    std::numeric_limits<std::uint64_t>::max()}) {
    lp::Writer out{lp::mut_bytes(buf.data(), buf.size())};
    ASSERT_TRUE(out.put_uint(0, 8, big, false, "a"));
    EXPECT_FALSE(out.put_zeros(count, "pad")) << count;
    EXPECT_EQ(out.error().code(), lp::errc::truncated);
    EXPECT_EQ(out.error().byte_offset(), 1U);
    EXPECT_GE(out.error().needed(), std::numeric_limits<std::size_t>::max() / 8 - 4) << count;
  }
}

TEST(Writer, TruncationNamesTheBitAndTheBytesMissing) {
  std::array<std::byte, 2> buf{};
  lp::Writer out{lp::mut_bytes(buf.data(), buf.size())};
  ASSERT_TRUE(out.put_uint(1, 3, big, false, "flags"));
  EXPECT_FALSE(out.put_uint(0, 16, big, false, "length"));  // bits 3..19 of 16
  EXPECT_EQ(out.error().byte_offset(), 0U);
  EXPECT_EQ(out.error().bit_offset(), 3U);
  EXPECT_EQ(out.error().needed(), 1U);
  EXPECT_EQ(out.error().message(), "truncated at byte 0 bit 3: length, 1 more byte needed");
}

TEST(Writer, QuicVarintRange) {
  lp::Writer out;
  ASSERT_TRUE(out.put_uint(0, 16, big, false, "a"));
  EXPECT_FALSE(out.put_quic_varint(std::uint64_t{1} << 62, "n"));
  EXPECT_EQ(out.error().code(), lp::errc::bad_value);
  EXPECT_EQ(out.error().text(), "above 2^62 - 1");
  EXPECT_EQ(out.error().byte_offset(), 2U);
  EXPECT_EQ(out.error().actual(), std::uint64_t{1} << 62);
}

// Every width: the largest value fits, one more does not, and the error is the
// one generated code used to build (bad_value at the put, the width in words,
// the value as actual()), before the room check.
TEST(Writer, WidthCheckAtEveryWidth) {
  for (unsigned width = 1; width <= 64; ++width) {
    const std::uint64_t max =
        width == 64 ? std::numeric_limits<std::uint64_t>::max() : (std::uint64_t{1} << width) - 1;
    lp::Writer fits;
    EXPECT_TRUE(fits.put_uint(1, 1, big, false, "pad"));
    EXPECT_TRUE(fits.put_uint(max, width, big, false, "x")) << width;

    std::array<std::byte, 9> buf{};
    lp::Writer stored{lp::mut_bytes(buf.data(), buf.size())};
    ASSERT_TRUE(stored.put_uint(0, 1, big, false, "pad"));
    ASSERT_TRUE(stored.put_uint(max, width, big, false, "x")) << width;
    lp::bytes written(buf.data(), buf.size());
    EXPECT_EQ(lp::read_bits_msb(written.data(), 1, width), max) << width;

    if (width == 64) continue;  // every value fits
    // No room at all: the width check comes first.
    lp::Writer out{lp::mut_bytes()};
    EXPECT_FALSE(out.put_uint(max + 1, width, big, false, "x")) << width;
    const lp::Error& e = out.error();
    EXPECT_EQ(e.code(), lp::errc::bad_value) << width;
    EXPECT_EQ(e.field_path(), "x");
    EXPECT_EQ(e.text(),
              "does not fit in " + std::to_string(width) + (width == 1 ? " bit" : " bits"));
    EXPECT_TRUE(e.has_actual());
    EXPECT_FALSE(e.actual_is_signed());
    EXPECT_EQ(e.actual(), max + 1) << width;
    EXPECT_EQ(e.byte_offset(), 0U);

    // At a bit offset, with the top bit the only one too many.
    lp::Writer at_bit;
    ASSERT_TRUE(at_bit.put_uint(0, 13, big, false, "before"));
    EXPECT_FALSE(at_bit.put_uint(std::numeric_limits<std::uint64_t>::max(), width, big, true, "y"));
    EXPECT_EQ(at_bit.error().byte_offset(), 1U);
    EXPECT_EQ(at_bit.error().bit_offset(), 5U);
    EXPECT_EQ(at_bit.error().actual(), std::numeric_limits<std::uint64_t>::max());
  }
}

TEST(Writer, SignedWidthCheckAtEveryWidth) {
  for (unsigned width = 1; width <= 64; ++width) {
    const std::int64_t min =
        width == 64 ? std::numeric_limits<std::int64_t>::min() : -(std::int64_t{1} << (width - 1));
    const std::int64_t max = width == 64 ? std::numeric_limits<std::int64_t>::max()
                                         : (std::int64_t{1} << (width - 1)) - 1;
    std::array<std::byte, 8> buf{};
    lp::Writer out{lp::mut_bytes(buf.data(), buf.size())};
    EXPECT_TRUE(out.put_int(min, width, big, false, "lo")) << width;
    EXPECT_EQ(lp::sign_extend(lp::read_bits_msb(buf.data(), 0, width), width), min) << width;
    lp::Writer high{lp::mut_bytes(buf.data(), buf.size())};
    EXPECT_TRUE(high.put_int(max, width, big, false, "hi")) << width;
    EXPECT_EQ(lp::sign_extend(lp::read_bits_msb(buf.data(), 0, width), width), max) << width;
    if (width == 64) continue;
    for (const std::int64_t outside : {min - 1, max + 1}) {
      lp::Writer bad{lp::mut_bytes()};
      EXPECT_FALSE(bad.put_int(outside, width, big, false, "v")) << width;
      EXPECT_EQ(bad.error().code(), lp::errc::bad_value);
      EXPECT_EQ(bad.error().text(),
                "does not fit in " + std::to_string(width) + (width == 1 ? " bit" : " bits"));
      EXPECT_TRUE(bad.error().actual_is_signed());
      EXPECT_EQ(static_cast<std::int64_t>(bad.error().actual()), outside) << width;
    }
  }
}

}  // namespace
