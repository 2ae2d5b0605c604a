// visit.hpp and format.hpp through hand-written views: one-line and tree
// formats, JSON, plain and annotated hex dumps.
#include <libparse/format.hpp>
#include <libparse/visit.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "test_views.hpp"

namespace {

static_assert(lp::view<lpt::UdpView>);
static_assert(lp::view<lpt::UdpMut>);  // a Mut view is a view too
static_assert(lp::view<lpt::PacketView>);
static_assert(lp::view<lpt::PointView>);
static_assert(!lp::view<lp::bytes>);
static_assert(!lp::view<int>);

std::vector<std::byte> bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (const int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

// The contract's example datagram: ports 53 -> 1234, payload de ad be ef.
std::vector<std::byte> udp_bytes() {
  return bytes_of({0x00, 0x35, 0x04, 0xd2, 0x00, 0x0c, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef});
}

std::vector<std::byte> packet_bytes(int protocol = 17) {
  return bytes_of({0x45, protocol, 0xfe,                    // version 4, ihl 5; protocol; delta -2
                   0x3f, 0xc0,     0x00, 0x00,              // temp 1.5f
                   0x00, 0x01,     0xff, 0xff,              // origin (1, -1)
                   0x00, 0x01,     0x00, 0x02, 0xff, 0xff,  // samples 1, 2, 65535
                   0x00, 0x02,     0x00, 0x03,              // points (2, 3)
                   0x00, 0x04,     0xff, 0xfb,              //        (4, -5)
                   'h',  'i',      '!'});                   // name
}

TEST(Format, OneLineMatchesTheContract) {
  const std::vector<std::byte> buf = udp_bytes();
  const auto udp = lpt::UdpView::parse(buf);
  ASSERT_TRUE(udp.has_value());
  EXPECT_EQ(
      fmt::format("{}", *udp),
      "Udp{src_port: 53, dst_port: 1234, length: 12, checksum: 0, payload: 4 bytes [de ad be ef]}");
}

TEST(Format, OneLineEveryFieldKind) {
  const std::vector<std::byte> buf = packet_bytes();
  const auto p = lpt::PacketView::parse(buf);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(fmt::format("{}", *p),
            "Packet{version: 4, ihl: 5, protocol: UDP (17), delta: -2, temp: 1.5, origin: Point{x: "
            "1, y: -1}, "
            "samples: [1, 2, 65535], points: [Point{x: 2, y: 3}, Point{x: 4, y: -5}], name: 3 "
            "bytes [68 69 21]}");
}

TEST(Format, UnknownEnumValuesPrintAsNumbers) {
  const std::vector<std::byte> buf = packet_bytes(99);
  const auto p = lpt::PacketView::parse(buf);
  ASSERT_TRUE(p.has_value());
  EXPECT_NE(fmt::format("{}", *p).find(", protocol: 99, "), std::string::npos);
  EXPECT_NE(fmt::format("{:t}", *p).find("\n  protocol: 99\n"), std::string::npos);
  EXPECT_NE(fmt::format("{}", lp::json(*p)).find(",\"protocol\":99,"), std::string::npos);
}

TEST(Format, LongByteRunsAreAbbreviated) {
  std::vector<std::byte> buf =
      bytes_of({0x00, 0x35, 0x04, 0xd2, 0x00, 0x30, 0x00, 0x00});  // length 48
  for (int i = 0; i < 40; ++i) buf.push_back(static_cast<std::byte>(i));
  const auto udp = lpt::UdpView::parse(buf);
  ASSERT_TRUE(udp.has_value());
  EXPECT_EQ(fmt::format("{}", *udp),
            "Udp{src_port: 53, dst_port: 1234, length: 48, checksum: 0, "
            "payload: 40 bytes [00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f \xE2\x80\xA6]}");
  // JSON is for machines: never abbreviated.
  EXPECT_NE(fmt::format("{}", lp::json(*udp)).find(":0e:0f:10:11:"), std::string::npos);
  EXPECT_NE(fmt::format("{}", lp::json(*udp)).find(":26:27\""), std::string::npos);
  // Exactly 16 bytes: nothing left out, no ellipsis.
  buf.resize(24);
  buf[5] = std::byte{24};
  EXPECT_EQ(fmt::format("{}", lpt::UdpView::parse(buf).value().payload()).size(), 16u * 3 - 1);
  EXPECT_EQ(fmt::format("{}", *lpt::UdpView::parse(buf)).find("\xE2\x80\xA6"), std::string::npos);
}

TEST(Format, EmptyAndSingleByteRuns) {
  const std::vector<std::byte> buf = bytes_of({0, 1, 0, 2, 0, 8, 0, 0});
  EXPECT_EQ(fmt::format("{}", *lpt::UdpView::parse(buf)),
            "Udp{src_port: 1, dst_port: 2, length: 8, checksum: 0, payload: 0 bytes []}");
  EXPECT_EQ(fmt::format("{}", lp::json(*lpt::UdpView::parse(buf))),
            R"({"src_port":1,"dst_port":2,"length":8,"checksum":0,"payload":""})");
  std::vector<std::byte> one = buf;
  one[5] = std::byte{9};
  one.push_back(std::byte{0x7f});
  EXPECT_NE(fmt::format("{}", *lpt::UdpView::parse(one)).find("payload: 1 byte [7f]"),
            std::string::npos);
}

TEST(Format, Tree) {
  const std::vector<std::byte> buf = packet_bytes();
  const auto p = lpt::PacketView::parse(buf);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(fmt::format("{:t}", *p),
            "Packet (28 bytes)\n"
            "  version: 4\n"
            "  ihl: 5\n"
            "  protocol: UDP (17)\n"
            "  delta: -2\n"
            "  temp: 1.5\n"
            "  origin: Point (4 bytes)\n"
            "    x: 1\n"
            "    y: -1\n"
            "  samples: [1, 2, 65535]\n"
            "  points: 2 elements\n"
            "    [0]: Point (4 bytes)\n"
            "      x: 2\n"
            "      y: 3\n"
            "    [1]: Point (4 bytes)\n"
            "      x: 4\n"
            "      y: -5\n"
            "  name: 3 bytes [68 69 21]");
  const std::vector<std::byte> ubuf = udp_bytes();
  EXPECT_EQ(fmt::format("{:t}", *lpt::UdpView::parse(ubuf)),
            "Udp (12 bytes)\n"
            "  src_port: 53\n"
            "  dst_port: 1234\n"
            "  length: 12\n"
            "  checksum: 0\n"
            "  payload: 4 bytes [de ad be ef]");
}

TEST(Format, Json) {
  const std::vector<std::byte> buf = packet_bytes();
  const auto p = lpt::PacketView::parse(buf);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(
      fmt::format("{}", lp::json(*p)),
      R"({"version":4,"ihl":5,"protocol":"UDP","delta":-2,"temp":1.5,"origin":{"x":1,"y":-1},)"
      R"("samples":[1,2,65535],"points":[{"x":2,"y":3},{"x":4,"y":-5}],"name":"68:69:21"})");
  const std::vector<std::byte> ubuf = udp_bytes();
  EXPECT_EQ(fmt::format("{}", lp::json(*lpt::UdpView::parse(ubuf))),
            R"({"src_port":53,"dst_port":1234,"length":12,"checksum":0,"payload":"de:ad:be:ef"})");
}

// A view whose visit() reports what real schemas rarely produce: non-finite
// floats, names that need escaping, empty arrays, nested arrays.
struct OddView {
  static constexpr std::string_view type_name = "Odd";
  lp::bytes bytes() const { return {}; }
  void visit(lp::FieldVisitor& v) const {
    v.on_float("nan", std::numeric_limits<double>::quiet_NaN(), {});
    v.on_float("inf", -std::numeric_limits<double>::infinity(), {});
    v.on_enum("e", 1, "A\"B\\", {});
    v.on_signed("min", std::numeric_limits<std::int64_t>::min(), {});
    v.on_unsigned("max", std::numeric_limits<std::uint64_t>::max(), {});
    v.begin_array("empty", 0, {});
    v.end_array();
    v.begin_array("grid", 2, {});
    v.begin_array("", 1, {});
    v.on_unsigned("", 7, {});
    v.end_array();
    v.begin_array("", 0, {});
    v.end_array();
    v.end_array();
  }
};
static_assert(lp::view<OddView>);

TEST(Format, EdgeCases) {
  const OddView odd;
  EXPECT_EQ(fmt::format("{}", odd),
            "Odd{nan: nan, inf: -inf, e: A\"B\\ (1), min: -9223372036854775808, max: "
            "18446744073709551615, "
            "empty: [], grid: [[7], []]}");
  EXPECT_EQ(
      fmt::format("{}", lp::json(odd)),
      R"({"nan":null,"inf":null,"e":"A\"B\\","min":-9223372036854775808,"max":18446744073709551615,)"
      R"("empty":[],"grid":[[7],[]]})");
  EXPECT_EQ(fmt::format("{:t}", odd),
            "Odd (0 bytes)\n"
            "  nan: nan\n"
            "  inf: -inf\n"
            "  e: A\"B\\ (1)\n"
            "  min: -9223372036854775808\n"
            "  max: 18446744073709551615\n"
            "  empty: []\n"
            "  grid: 2 elements\n"
            "    [0]: [7]\n"
            "    [1]: []");
}

TEST(Format, BadSpecsAreRejected) {
  const OddView odd;
  EXPECT_THROW(static_cast<void>(fmt::format(fmt::runtime("{:q}"), odd)), fmt::format_error);
  EXPECT_THROW(static_cast<void>(fmt::format(fmt::runtime("{:x}"), lp::bytes())),
               fmt::format_error);
}

TEST(Format, FixedBufferOutput) {
  // format_to_n into a char array: how to format without a std::string.
  const std::vector<std::byte> buf = udp_bytes();
  const auto udp = lpt::UdpView::parse(buf);
  std::array<char, 32> out{};
  const auto r = fmt::format_to_n(out.data(), out.size(), "{}", *udp);
  EXPECT_EQ(r.size, 90u);  // the full length, though only 32 characters were written
  EXPECT_EQ(std::string(out.data(), out.size()), "Udp{src_port: 53, dst_port: 1234");
}

TEST(Format, Bytes) {
  const std::vector<std::byte> buf = bytes_of({0xde, 0xad, 0xbe, 0xef});
  EXPECT_EQ(fmt::format("{}", lp::bytes(buf)), "de ad be ef");
  std::vector<std::byte> mbuf = buf;
  EXPECT_EQ(fmt::format("{}", lp::mut_bytes(mbuf)), "de ad be ef");
  EXPECT_EQ(fmt::format("{}", lp::bytes()), "");
  std::vector<std::byte> many(40, std::byte{0x11});  // plain bytes are never abbreviated
  EXPECT_EQ(fmt::format("{}", lp::bytes(many)).size(), 40u * 3 - 1);
}

TEST(Hexdump, LayoutAndAscii) {
  std::vector<std::byte> buf;
  for (int i = 0; i < 20; ++i) buf.push_back(static_cast<std::byte>(0x41 + i));
  buf[3] = std::byte{0x00};
  buf[4] = std::byte{0x7f};
  buf[5] = std::byte{0xff};
  EXPECT_EQ(fmt::format("{}", lp::hexdump(buf)),
            "00000000  41 42 43 00 7f ff 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABC...GHIJKLMNOP|\n"
            "00000010  51 52 53 54                                       |QRST|");
  EXPECT_EQ(fmt::format("{}", lp::hexdump(lp::bytes(buf).first(16))),
            "00000000  41 42 43 00 7f ff 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABC...GHIJKLMNOP|");
  EXPECT_EQ(fmt::format("{}", lp::hexdump(lp::bytes())), "");
}

TEST(Hexdump, Annotations) {
  std::vector<std::byte> buf(20, std::byte{0});
  const std::array<lp::annotation, 5> notes = {{
      {0, 2, "magic"},
      {2, 1, "flags"},
      {3, 15, "body"},  // starts on line 0, ends on line 1
      {18, 0, "options"},
      {25, 4, "past_end"},  // starts past the end: still shown, on the last line
  }};
  EXPECT_EQ(fmt::format("{}", lp::hexdump(buf, notes)),
            "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|  "
            "magic@0-1, flags@2, body@3-17\n"
            "00000010  00 00 00 00                                       |....|  options@18 "
            "(empty), past_end@25-28");
  const std::array<lp::annotation, 1> only = {{{0, 1, "x"}}};
  EXPECT_EQ(fmt::format("{}", lp::hexdump(lp::bytes(), only)),
            "00000000                                                    ||  x@0");
}

TEST(Hexdump, AnnotatedFromAView) {
  const std::vector<std::byte> ubuf = udp_bytes();
  EXPECT_EQ(fmt::format("{}", lp::annotated_hexdump(*lpt::UdpView::parse(ubuf))),
            "00000000  00 35 04 d2 00 0c 00 00  de ad be ef              |.5..........|  "
            "src_port@0-1, dst_port@2-3, length@4-5, checksum@6-7, payload@8-11");

  const std::vector<std::byte> buf = packet_bytes();
  const auto p = lpt::PacketView::parse(buf);
  const lp::annotated_hexdump_text dump = lp::annotated_hexdump(*p);
  // 5 scalars, origin's 2, the number array as one range, 2 * 2 in the struct array, name.
  EXPECT_EQ(dump.size(), 13u);
  EXPECT_EQ(
      fmt::format("{}", dump),
      "00000000  45 11 fe 3f c0 00 00 00  01 ff ff 00 01 00 02 ff  |E..?............|  "
      "version@0, ihl@0, protocol@1, delta@2, temp@3-6, origin.x@7-8, origin.y@9-10, "
      "samples@11-16\n"
      "00000010  ff 00 02 00 03 00 04 ff  fb 68 69 21              |.........hi!|  "
      "points[0].x@17-18, points[0].y@19-20, points[1].x@21-22, points[1].y@23-24, name@25-27");
  // The result owns its labels: copies format the same, after the original is gone.
  const lp::annotated_hexdump_text copy = [&] { return lp::annotated_hexdump(*p); }();
  EXPECT_EQ(fmt::format("{}", copy), fmt::format("{}", dump));
  const std::vector<lp::annotation> notes = dump.annotations();
  ASSERT_EQ(notes.size(), 13u);
  EXPECT_EQ(notes[7].label, "samples");
  EXPECT_EQ(notes[7].offset, 11u);
  EXPECT_EQ(notes[7].length, 6u);
}

// A custom visitor: what user code writes to walk any view.
class LeafCounter final : public lp::FieldVisitor {
 public:
  void on_unsigned(std::string_view, std::uint64_t, lp::bytes) override { ++leaves; }
  void on_signed(std::string_view, std::int64_t, lp::bytes) override { ++leaves; }
  void on_float(std::string_view, double, lp::bytes) override { ++leaves; }
  void on_enum(std::string_view, std::uint64_t, std::string_view, lp::bytes) override { ++leaves; }
  void on_bytes(std::string_view, lp::bytes) override { ++leaves; }
  void begin_struct(std::string_view, std::string_view, lp::bytes) override {
    ++depth;
    max_depth = std::max(max_depth, depth);
  }
  void end_struct() override { --depth; }
  void begin_array(std::string_view, std::size_t, lp::bytes) override {
    ++depth;
    max_depth = std::max(max_depth, depth);
  }
  void end_array() override { --depth; }
  int leaves = 0;
  int depth = 0;
  int max_depth = 0;
};

TEST(Visit, CustomVisitor) {
  const std::vector<std::byte> buf = packet_bytes();
  LeafCounter counter;
  lpt::PacketView::parse(buf).value().visit(counter);
  EXPECT_EQ(counter.leaves, 15);
  EXPECT_EQ(counter.depth, 0);  // every begin has its end
  EXPECT_EQ(counter.max_depth, 2);
}

// ---- the JSON string rule (RFC 8259): both adapters write the same text

std::string json_string(std::string_view text) {
  fmt::memory_buffer appended;
  lp::append_json_string(appended, text);
  std::string written;
  lp::write_json_string(std::back_inserter(written), text);
  EXPECT_EQ(std::string(appended.data(), appended.size()), written) << "adapters differ";
  return written;
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_string(std::string_view("a\"b\\c\x01\n\x7f", 8)),
            R"("a\"b\\c\u0001\u000a\u007f")");
  EXPECT_EQ(json_string(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(json_string(""), R"("")");
}

// Valid UTF-8 (RFC 3629) stays as it is; anything else is U+FFFD per byte: a
// stray continuation byte, a lead byte cut short, an overlong form, a
// surrogate, a code point above U+10FFFF.
TEST(JsonString, KeepsUtf8AndReplacesWhatIsNot) {
  EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  EXPECT_EQ(json_string("x\xff\xc3"), R"("x\ufffd\ufffd")");
  EXPECT_EQ(json_string("\x80"), R"("\ufffd")");
  EXPECT_EQ(json_string("\xc0\xaf"), R"("\ufffd\ufffd")");                      // overlong '/'
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");            // U+D800
  EXPECT_EQ(json_string("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // U+110000
}

// The word-at-a-time scan finds every byte that needs a look, wherever it
// falls in a word.
TEST(JsonString, EscapesAtEveryPosition) {
  for (const char special : {'"', '\\', '\x01', '\x1f', '\x7f', '\x80'}) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string plain(20, 'a');
      plain[at] = special;
      std::string expected(1, '"');
      expected.append(at, 'a');
      if (special == '"' || special == '\\') {
        expected += std::string("\\") + special;
      } else if (special == '\x80') {
        expected += "\\ufffd";
      } else {
        expected += fmt::format("\\u{:04x}", static_cast<unsigned char>(special));
      }
      expected.append(19 - at, 'a');
      expected += '"';
      EXPECT_EQ(json_string(plain), expected) << int(special) << " at " << at;
      EXPECT_EQ(lp::json_plain_prefix(plain), at);
    }
  }
  EXPECT_EQ(json_string("0123456789abcdef\xc3\xa9"), "\"0123456789abcdef\xc3\xa9\"");
}

// lp::json's strings and keys follow the rule: UTF-8 text is not read as Latin-1.
TEST(JsonString, ViewStringsFollowTheRule) {
  std::string out;
  lp::detail::json_writer<std::back_insert_iterator<std::string>> w(std::back_inserter(out));
  w.on_string("name", "caf\xc3\xa9\xff\"");
  EXPECT_EQ(out, "\"name\":\"caf\xc3\xa9\\ufffd\\\"\"");
}

}  // namespace
