// lp::StreamReader (libparse/stream.hpp): every length-framed shipped schema
// (DNS over TCP, TLS records, pcap records, pcapng blocks) fed at every split
// point, byte by byte and in random pieces gives exactly the messages that
// parsing the whole buffer gives, each as soon as its last byte arrives; a
// message inside one piece is a view into it; oversize and malformed frames
// are errors at the right stream offset.
#include "libparse/stream.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"
#include "libparse/format.hpp"
#include "net/dns.lp.hpp"
#include "tls/tls.lp.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void put32(Bytes& out, std::uint32_t v, bool little) {
  for (int i = 0; i < 4; ++i) {
    const int shift = little ? 8 * i : 24 - 8 * i;
    out.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

// ---------------------------------------------------------------------------
// Streams built byte by byte

// DNS over TCP: a query, its answer (a compression pointer) and a bare header.
Bytes dns_tcp_stream() {
  const Bytes query = {
      0x00, 0x1d,                                      // length 29
      0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,  // id, RD, qdcount 1
      0x00, 0x00, 0x00, 0x00,                          // ancount, nscount, arcount 0
      7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',  3, 'c', 'o', 'm', 0,  // example.com
      0x00, 0x01, 0x00, 0x01,                                               // A, IN
  };
  const Bytes answer = {
      0x00, 0x2d,                                      // length 45
      0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01,  // response, qd 1, an 1
      0x00, 0x00, 0x00, 0x00,                          //
      7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',  3, 'c',
      'o',  'm',  0,    0x00, 0x01, 0x00, 0x01,              // A, IN
      0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01,                    // -> example.com, A, IN
      0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 192,  0,    2, 1,  // ttl 3600, 192.0.2.1
  };
  const Bytes bare = {0x00, 0x0c, 0xab, 0xcd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  return concat({query, answer, bare, query});
}

// TLS records: a handshake record (one raw Certificate message), an alert, a
// change_cipher_spec and an application_data record.
Bytes tls_stream() {
  const Bytes handshake = {0x16, 0x03, 0x03, 0x00, 0x0a,                  // handshake, length 10
                           0x0b, 0x00, 0x00, 0x06, 1,    2, 3, 4, 5, 6};  // certificate, length 6
  const Bytes alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00};         // warning close_notify
  const Bytes ccs = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};
  Bytes data = {0x17, 0x03, 0x03, 0x00, 0x14};
  for (std::uint8_t i = 0; i < 20; ++i) data.push_back(i);
  return concat({handshake, alert, ccs, data, alert});
}

// A pcap file: header, then records of 0, 5 and 40 captured bytes.
Bytes pcap_stream(bool little, bool nanosecond) {
  Bytes out;
  put32(out, nanosecond ? 0xA1B23C4D : 0xA1B2C3D4, little);
  const std::uint16_t major = 2, minor = 4;
  for (const std::uint16_t v : {major, minor}) {
    out.push_back(static_cast<std::uint8_t>(little ? v : v >> 8));
    out.push_back(static_cast<std::uint8_t>(little ? v >> 8 : v));
  }
  put32(out, 0, little);      // thiszone
  put32(out, 0, little);      // sigfigs
  put32(out, 65535, little);  // snaplen
  put32(out, 1, little);      // Ethernet
  for (const std::uint32_t length : {0u, 5u, 40u}) {
    put32(out, 1700000000 + length, little);
    put32(out, length * 1000, little);
    put32(out, length, little);
    put32(out, length + 10, little);
    for (std::uint32_t i = 0; i < length; ++i) out.push_back(static_cast<std::uint8_t>(i));
  }
  return out;
}

Bytes pcapng_block(bool little, std::uint32_t type, const Bytes& body) {
  Bytes out;
  const auto total = static_cast<std::uint32_t>(12 + body.size());
  put32(out, type, little);
  put32(out, total, little);
  out.insert(out.end(), body.begin(), body.end());
  put32(out, total, little);
  return out;
}

Bytes pcapng_section(bool little) {
  Bytes body;
  put32(body, 0x1A2B3C4D, little);
  body.push_back(little ? 1 : 0);  // major 1
  body.push_back(little ? 0 : 1);
  body.push_back(0);  // minor 0
  body.push_back(0);
  for (int i = 0; i < 8; ++i) body.push_back(0xff);  // section_length -1
  return pcapng_block(little, 0x0A0D0D0A, body);
}

// A pcapng file of two sections: SHB, IDB, EPB, SPB, an unknown block, then a
// second SHB, IDB and EPB.
Bytes pcapng_stream(bool little) {
  Bytes idb;
  put32(idb, little ? 1 : 0x00010000, little);  // link_type 1, reserved 0
  put32(idb, 0, little);                        // snaplen
  Bytes epb;
  for (const std::uint32_t v : {0u, 1u, 2u, 6u, 60u}) put32(epb, v, little);
  for (std::uint8_t i = 0; i < 8; ++i) epb.push_back(i);  // 6 bytes and 2 of padding
  Bytes spb;
  put32(spb, 4, little);
  for (std::uint8_t i = 0; i < 4; ++i) spb.push_back(0xa0 + i);
  const Bytes unknown = {1, 2, 3, 4, 5, 6, 7, 8};
  return concat({pcapng_section(little), pcapng_block(little, 1, idb), pcapng_block(little, 6, epb),
                 pcapng_block(little, 3, spb), pcapng_block(little, 0x0BAD0BAD, unknown),
                 pcapng_section(little), pcapng_block(little, 1, idb),
                 pcapng_block(little, 6, epb)});
}

// ---------------------------------------------------------------------------
// Whole-buffer parsing: the messages the stream reader must give

std::vector<Bytes> to_messages(const std::vector<lp::bytes>& views) {
  std::vector<Bytes> out;
  for (const lp::bytes v : views) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
    out.emplace_back(p, p + v.size());
  }
  return out;
}

// Message after message with T::parse over the rest of the buffer.
template <class T>
std::vector<Bytes> parse_one_after_another(const Bytes& stream) {
  std::vector<lp::bytes> views;
  lp::bytes rest(stream);
  while (!rest.empty()) {
    const auto view = T::parse(rest);
    EXPECT_TRUE(view) << view.error();
    if (!view) break;
    views.push_back(view->bytes());
    rest = rest.drop_first(view->size());
  }
  return to_messages(views);
}

std::vector<Bytes> pcap_file_messages(const Bytes& stream) {
  const auto file = capture::PcapFile::parse(stream);
  EXPECT_TRUE(file) << file.error();
  if (!file) return {};
  std::vector<lp::bytes> views = {lp::bytes(stream).first(24)};
  for (const auto record : file->records()) views.push_back(record.bytes());
  return to_messages(views);
}

std::vector<Bytes> pcapng_file_messages(const Bytes& stream) {
  const auto file = capture::PcapngFile::parse(stream);
  EXPECT_TRUE(file) << file.error();
  if (!file) return {};
  std::vector<lp::bytes> views = {lp::bytes(stream).first(file->block_total_length())};
  for (const auto block : file->blocks()) views.push_back(block.bytes());
  return to_messages(views);
}

// ---------------------------------------------------------------------------
// Feeding a stream in pieces

struct Outcome {
  std::vector<Bytes> messages;
  std::vector<std::uint64_t> offsets;
  std::optional<lp::Error> error;
  lp::Status finish;
};

// Cuts: the end offset of every piece but the last. Each piece is copied into
// memory of its own, freed once the reader is done with it, so that a message
// pointing into an earlier piece would be a use after free (ASan) rather than
// a lucky read. Checks on the way: a message inside its piece is a view into
// it, and every message comes out as soon as its last byte was fed.
template <class Framer>
Outcome read_in_pieces(Framer framer, const Bytes& stream, std::vector<std::size_t> cuts,
                       std::size_t max_message_size, const std::vector<Bytes>& expected) {
  cuts.push_back(stream.size());
  lp::StreamReader reader(std::move(framer), max_message_size);
  Outcome out;
  std::vector<std::size_t> ends;  // stream offset where each expected message ends
  for (std::size_t i = 0, end = 0; i < expected.size(); ++i)
    ends.push_back(end += expected[i].size());
  std::size_t start = 0;
  for (const std::size_t end : cuts) {
    auto piece = std::make_unique<Bytes>(stream.begin() + static_cast<std::ptrdiff_t>(start),
                                         stream.begin() + static_cast<std::ptrdiff_t>(end));
    reader.feed(lp::bytes(*piece));
    lp::bytes message;
    while (reader.next(message)) {
      const auto* p = reinterpret_cast<const std::uint8_t*>(message.data());
      out.messages.emplace_back(p, p + message.size());
      out.offsets.push_back(reader.message_offset());
      const bool inside =
          reader.message_offset() >= start && reader.message_offset() + message.size() <= end;
      const auto* piece_start = piece->data();
      const bool points_into_piece = p >= piece_start && p < piece_start + piece->size();
      EXPECT_EQ(points_into_piece, inside) << "message at " << reader.message_offset();
      if (inside) {
        EXPECT_EQ(p, piece_start + (reader.message_offset() - start));
      }
      EXPECT_LE(reader.buffer_capacity(), max_message_size);
    }
    EXPECT_LE(reader.buffer_capacity(), max_message_size);
    if (reader.error()) {
      out.error = *reader.error();
      break;
    }
    // Promptness: every message whose last byte has arrived was given out.
    std::size_t complete = 0;
    while (complete < ends.size() && ends[complete] <= end) ++complete;
    EXPECT_EQ(out.messages.size(), complete) << "after a piece ending at " << end;
    start = end;
  }
  out.finish = reader.finish();
  return out;
}

std::vector<std::vector<std::size_t>> every_split(std::size_t size) {
  std::vector<std::vector<std::size_t>> splits;
  splits.push_back({});  // the whole stream at once
  for (std::size_t cut = 1; cut < size; ++cut) splits.push_back({cut});
  std::vector<std::size_t> bytewise;
  for (std::size_t cut = 1; cut < size; ++cut) bytewise.push_back(cut);
  splits.push_back(bytewise);
  // Random pieces of 1 to 40 bytes, with a fixed seed.
  std::mt19937 random(20);
  for (int run = 0; run < 40; ++run) {
    std::vector<std::size_t> cuts;
    for (std::size_t at = 1 + random() % 40; at < size; at += 1 + random() % 40) cuts.push_back(at);
    splits.push_back(cuts);
  }
  return splits;
}

// Every split of `stream` gives `expected`, at the offsets the message sizes add up to.
template <class MakeFramer>
void expect_messages_at_every_split(MakeFramer make_framer, const Bytes& stream,
                                    const std::vector<Bytes>& expected,
                                    std::size_t max_message_size = 1 << 16) {
  ASSERT_FALSE(expected.empty());
  std::vector<std::uint64_t> offsets;
  std::uint64_t at = 0;
  for (const Bytes& m : expected) {
    offsets.push_back(at);
    at += m.size();
  }
  ASSERT_EQ(at, stream.size()) << "the expected messages do not cover the stream";
  for (const auto& cuts : every_split(stream.size())) {
    SCOPED_TRACE(::testing::Message() << cuts.size() + 1 << " pieces, first cut at "
                                      << (cuts.empty() ? stream.size() : cuts[0]));
    const Outcome out = read_in_pieces(make_framer(), stream, cuts, max_message_size, expected);
    EXPECT_FALSE(out.error) << *out.error;
    EXPECT_TRUE(out.finish);
    EXPECT_EQ(out.messages, expected);
    EXPECT_EQ(out.offsets, offsets);
    if (::testing::Test::HasFailure()) return;  // one failing split says enough
  }
}

// ---------------------------------------------------------------------------
// Every split gives the whole-buffer messages

TEST(StreamReader, DnsOverTcpLengthPrefix) {
  const Bytes stream = dns_tcp_stream();
  const auto expected = parse_one_after_another<net::DnsTcp>(stream);
  ASSERT_EQ(expected.size(), 4u);
  expect_messages_at_every_split([] { return lp::length_prefix_framer{2}; }, stream, expected);
}

TEST(StreamReader, DnsOverTcpGeneratedView) {
  const Bytes stream = dns_tcp_stream();
  const auto expected = parse_one_after_another<net::DnsTcp>(stream);
  expect_messages_at_every_split([] { return lp::view_framer<net::DnsTcp>(); }, stream, expected);
}

TEST(StreamReader, TlsRecords) {
  const Bytes stream = tls_stream();
  const auto expected = parse_one_after_another<tls::Record>(stream);
  ASSERT_EQ(expected.size(), 5u);
  expect_messages_at_every_split([] { return lp::tls_record_framer{}; }, stream, expected);
  expect_messages_at_every_split([] { return lp::view_framer<tls::Record>(); }, stream, expected);
}

TEST(StreamReader, PcapRecords) {
  for (const bool little : {false, true}) {
    for (const bool nanosecond : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "little " << little << " nanosecond " << nanosecond);
      const Bytes stream = pcap_stream(little, nanosecond);
      const auto expected = pcap_file_messages(stream);
      ASSERT_EQ(expected.size(), 4u);
      expect_messages_at_every_split([] { return lp::pcap_framer{}; }, stream, expected);
    }
  }
}

TEST(StreamReader, PcapFramerLearnsTheByteOrder) {
  const Bytes stream = pcap_stream(true, true);
  lp::StreamReader reader(lp::pcap_framer{}, 1000);
  reader.feed(lp::bytes(stream));
  lp::bytes message;
  ASSERT_TRUE(reader.next(message));
  EXPECT_EQ(reader.framer().order(), lp::byte_order::little);
  EXPECT_TRUE(reader.framer().nanosecond());
  int records = 0;
  while (reader.next(message)) {
    const auto record = capture::PcapRecord::parse(message, reader.framer().order(), 1);
    ASSERT_TRUE(record) << record.error();
    EXPECT_EQ(record->size(), message.size());
    ++records;
  }
  EXPECT_EQ(records, 3);
}

TEST(StreamReader, PcapngBlocks) {
  for (const bool little : {false, true}) {
    SCOPED_TRACE(::testing::Message() << "little " << little);
    const Bytes stream = pcapng_stream(little);
    const auto expected = pcapng_file_messages(stream);
    ASSERT_EQ(expected.size(), 8u);
    expect_messages_at_every_split([] { return lp::pcapng_framer{}; }, stream, expected);
  }
}

// Sections in different byte orders: PcapngFile refuses them, a block-by-block
// reader does not; each SHB switches the framer's order.
TEST(StreamReader, PcapngSectionsInBothByteOrders) {
  const Bytes big = pcapng_stream(false);
  const Bytes little = pcapng_stream(true);
  const Bytes stream = concat({big, little});
  auto expected = pcapng_file_messages(big);
  for (Bytes& m : pcapng_file_messages(little)) expected.push_back(std::move(m));
  expect_messages_at_every_split([] { return lp::pcapng_framer{}; }, stream, expected);

  lp::StreamReader reader(lp::pcapng_framer{}, 1000);
  reader.feed(lp::bytes(stream));
  lp::bytes message;
  std::vector<lp::byte_order> orders;
  while (reader.next(message)) orders.push_back(reader.framer().order());
  ASSERT_EQ(orders.size(), 16u);
  EXPECT_EQ(orders[7], lp::byte_order::big);
  EXPECT_EQ(orders[8], lp::byte_order::little);
}

// The generic adapter over a parameterised type (the caller binds its
// arguments), and last_view(): the view of the message just returned, parsed
// over the same memory, so that it need not be parsed twice.
TEST(StreamReader, ParseFramerOverAParameterisedType) {
  const Bytes file = pcap_stream(true, false);
  const Bytes records(file.begin() + 24, file.end());
  auto expected = pcap_file_messages(file);
  expected.erase(expected.begin());
  const auto make = [] {
    return lp::parse_framer(
        [](lp::bytes b) { return capture::PcapRecord::parse(b, lp::byte_order::little, 0); });
  };
  expect_messages_at_every_split(make, records, expected);

  lp::StreamReader reader(make(), 100);
  reader.feed(lp::bytes(records));
  lp::bytes message;
  std::vector<std::uint32_t> lengths;
  while (reader.next(message)) {
    const capture::PcapRecordView& view = reader.framer().last_view();
    EXPECT_EQ(view.bytes().data(), message.data());
    EXPECT_EQ(view.size(), message.size());
    lengths.push_back(view.incl_len());
  }
  EXPECT_EQ(lengths, (std::vector<std::uint32_t>{0, 5, 40}));
}

TEST(StreamReader, LastViewOfAMessageThatStraddledPieces) {
  const Bytes stream = dns_tcp_stream();
  lp::StreamReader reader(lp::view_framer<net::DnsTcp>(), 100);
  const lp::bytes all(stream);
  reader.feed(all.first(40));  // the query (31 bytes) and 9 bytes of the answer
  lp::bytes message;
  ASSERT_TRUE(reader.next(message));
  ASSERT_FALSE(reader.next(message));
  EXPECT_EQ(reader.buffered(), 9u);
  reader.feed(all.drop_first(40));
  ASSERT_TRUE(reader.next(message));
  EXPECT_EQ(reader.message_offset(), 31u);
  EXPECT_EQ(reader.buffered(), 0u);
  const net::DnsTcpView& answer = reader.framer().last_view();
  EXPECT_EQ(answer.bytes().data(), message.data());
  EXPECT_EQ(answer.length(), 45u);
  ASSERT_TRUE(answer.message_dns());
  EXPECT_EQ(answer.message_dns()->ancount(), 1u);
}

// ---------------------------------------------------------------------------
// MQTT's remaining length (a variable byte integer of 1 to 4 bytes)

Bytes mqtt_packet(std::uint8_t type, std::size_t remaining) {
  Bytes out = {type};
  std::size_t n = remaining;
  do {
    const auto digit = static_cast<std::uint8_t>(n % 128);
    n /= 128;
    out.push_back(static_cast<std::uint8_t>(digit | (n != 0 ? 0x80 : 0)));
  } while (n != 0);
  for (std::size_t i = 0; i < remaining; ++i) out.push_back(static_cast<std::uint8_t>(i));
  return out;
}

TEST(StreamReader, MqttRemainingLength) {
  // PINGREQ (no body), PUBLISH of 5 bytes, one of 200 (two length bytes), one
  // of 16384 (three length bytes).
  const std::vector<Bytes> expected = {mqtt_packet(0xC0, 0), mqtt_packet(0x30, 5),
                                       mqtt_packet(0x30, 200), mqtt_packet(0x32, 16384),
                                       mqtt_packet(0xC0, 0)};
  ASSERT_EQ(expected[2].size(), 1 + 2 + 200u);
  ASSERT_EQ(expected[3].size(), 1 + 3 + 16384u);
  Bytes stream;
  for (const Bytes& m : expected) stream.insert(stream.end(), m.begin(), m.end());
  // Byte by byte, at a few cuts and in one piece (every split of 16 kB is slow
  // for no gain: the framer only reads the first 5 bytes).
  for (const auto& cuts : std::vector<std::vector<std::size_t>>{
           {}, {1}, {2}, {3}, {4}, {9}, {210}, {211}, {212}, {213}, {214}, {stream.size() - 1}}) {
    const Outcome out = read_in_pieces(lp::mqtt_framer{}, stream, cuts, 1 << 15, expected);
    EXPECT_EQ(out.messages, expected);
    EXPECT_TRUE(out.finish);
  }
}

TEST(StreamReader, MqttLengthOfFiveBytesIsMalformed) {
  const Bytes stream = concat({mqtt_packet(0xC0, 0), {0x30, 0x80, 0x80, 0x80, 0x80, 0x01}});
  const Outcome out =
      read_in_pieces(lp::mqtt_framer{}, stream, {3}, 1 << 20, {mqtt_packet(0xC0, 0)});
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code(), lp::errc::bad_value);
  EXPECT_EQ(out.error->byte_offset(), 3u);  // the remaining length, after the first packet
  EXPECT_EQ(out.error->field_path(), "MqttFixedHeader.remaining_length");
  EXPECT_EQ(out.messages.size(), 1u);
}

// ---------------------------------------------------------------------------
// Errors: where the stream broke

// A stream that holds `good` messages, then one that breaks the reader: at
// every split the messages before it come out, then `check` sees the error.
template <class MakeFramer, class Check>
void expect_error_at_every_split(MakeFramer make_framer, const Bytes& stream,
                                 const std::vector<Bytes>& good, std::size_t max_message_size,
                                 Check check) {
  for (const auto& cuts : every_split(stream.size())) {
    SCOPED_TRACE(::testing::Message() << cuts.size() + 1 << " pieces, first cut at "
                                      << (cuts.empty() ? stream.size() : cuts[0]));
    const Outcome out = read_in_pieces(make_framer(), stream, cuts, max_message_size, good);
    ASSERT_TRUE(out.error);
    EXPECT_EQ(out.messages, good);
    check(*out.error);
    EXPECT_FALSE(out.finish);  // finish() repeats the error
    if (!out.finish) {
      EXPECT_EQ(fmt::format("{}", out.finish.error()), fmt::format("{}", *out.error));
    }
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(StreamReader, OversizeMessageIsAnErrorBeforeItIsBuffered) {
  Bytes stream = dns_tcp_stream();
  const auto messages = parse_one_after_another<net::DnsTcp>(stream);
  const std::vector<Bytes> good = {messages[0]};  // 31 bytes; the answer is 47
  for (const bool generic : {false, true}) {
    SCOPED_TRACE(generic ? "view_framer" : "length_prefix_framer");
    const auto check = [](const lp::Error& e) {
      EXPECT_EQ(e.code(), lp::errc::limit_exceeded);
      EXPECT_EQ(e.byte_offset(), 31u);
      EXPECT_GT(e.actual(), 40u);
      EXPECT_EQ(e.text(), "message longer than the stream's maximum size");
    };
    if (generic) {
      expect_error_at_every_split([] { return lp::view_framer<net::DnsTcp>(); }, stream, good, 40,
                                  check);
    } else {
      expect_error_at_every_split([] { return lp::length_prefix_framer{2}; }, stream, good, 40,
                                  check);
    }
  }
  // A declared length of 65535 with a maximum of 100: nothing of it is kept.
  stream = concat({messages[0], {0xff, 0xff, 1, 2, 3}});
  lp::StreamReader reader(lp::length_prefix_framer{2}, 100);
  reader.feed(lp::bytes(stream));
  lp::bytes message;
  EXPECT_TRUE(reader.next(message));
  EXPECT_FALSE(reader.next(message));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->actual(), 65537u);
  EXPECT_EQ(reader.buffered(), 0u);
  EXPECT_EQ(reader.buffer_capacity(), 0u);
  EXPECT_EQ(fmt::format("{}", *reader.error()),
            "limit exceeded at byte 31 (message longer than the stream's maximum size), got 65537");
  reader.feed(lp::bytes(stream));  // after an error, feeding is harmless and reads nothing
  EXPECT_FALSE(reader.next(message));
}

TEST(StreamReader, MalformedPcapngBlockNamesItsFieldAtTheStreamOffset) {
  const Bytes good_part = pcapng_stream(true);
  const auto good = pcapng_file_messages(good_part);
  Bytes bad = pcapng_block(true, 6, Bytes(20, 0));
  bad[4] = 8;  // block_total_length 8: shorter than a block's own header
  const Bytes stream = concat({good_part, bad, pcapng_block(true, 6, Bytes(20, 0))});
  expect_error_at_every_split([] { return lp::pcapng_framer{}; }, stream, good, 1000,
                              [&](const lp::Error& e) {
                                EXPECT_EQ(e.code(), lp::errc::constraint_failed);
                                EXPECT_EQ(e.byte_offset(), good_part.size() + 4);
                                EXPECT_EQ(e.field_path(), "PcapngBlock.block_total_length");
                                EXPECT_EQ(e.actual(), 8u);
                              });
}

TEST(StreamReader, PcapngMustStartWithASectionHeader) {
  const Bytes stream = pcapng_block(false, 6, Bytes(20, 0));
  expect_error_at_every_split([] { return lp::pcapng_framer{}; }, stream, {}, 1000,
                              [](const lp::Error& e) {
                                EXPECT_EQ(e.byte_offset(), 0u);
                                EXPECT_EQ(e.field_path(), "PcapngSectionHeader.block_type");
                              });
  Bytes bad_magic = pcapng_section(false);
  bad_magic[8] = 0x99;
  expect_error_at_every_split([] { return lp::pcapng_framer{}; }, bad_magic, {}, 1000,
                              [](const lp::Error& e) {
                                EXPECT_EQ(e.byte_offset(), 8u);
                                EXPECT_EQ(e.field_path(), "PcapngSectionHeader.byte_order_magic");
                              });
}

TEST(StreamReader, PcapErrors) {
  Bytes stream = pcap_stream(false, false);
  stream[0] = 0x00;
  expect_error_at_every_split([] { return lp::pcap_framer{}; }, stream, {}, 1000,
                              [](const lp::Error& e) {
                                EXPECT_EQ(e.byte_offset(), 0u);
                                EXPECT_EQ(e.field_path(), "PcapHeader.magic");
                              });
  // A record claiming 2^28 + 1 bytes: refused as capture.PcapRecord refuses it,
  // whatever the maximum.
  stream = pcap_stream(false, false);
  const auto good = pcap_file_messages(stream);
  for (const std::uint8_t b : {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
                               0x01, 0x00, 0x00, 0x00, 0x00}) {
    stream.push_back(b);
  }
  expect_error_at_every_split([] { return lp::pcap_framer{}; }, stream, good, SIZE_MAX,
                              [&](const lp::Error& e) {
                                EXPECT_EQ(e.code(), lp::errc::constraint_failed);
                                EXPECT_EQ(e.byte_offset(), stream.size() - 16 + 8);
                                EXPECT_EQ(e.field_path(), "PcapRecord.incl_len");
                              });
}

TEST(StreamReader, TlsRecordLongerThanTheProtocolAllows) {
  const Bytes good_part = tls_stream();
  const auto good = parse_one_after_another<tls::Record>(good_part);
  const Bytes stream = concat({good_part, {0x17, 0x03, 0x03, 0x48, 0x01}});  // 18433
  expect_error_at_every_split([] { return lp::tls_record_framer{}; }, stream, good, 1 << 20,
                              [&](const lp::Error& e) {
                                EXPECT_EQ(e.byte_offset(), good_part.size() + 3);
                                EXPECT_EQ(e.field_path(), "Record.length");
                              });
}

// Through a generated view, a malformed message is the view's own error (its
// field path) with the offset counted from the stream's first byte.
TEST(StreamReader, MalformedMessageKeepsTheParsersError) {
  const Bytes first = dns_tcp_stream();
  // length 14: a 12-byte header with qdcount 1, and a question that does not fit.
  const Bytes bad = {0x00, 0x0e, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 3, 'a'};
  const Bytes stream = concat({first, bad});
  const auto own = net::DnsTcp::parse(bad);
  ASSERT_FALSE(own);
  ASSERT_NE(own.error().code(), lp::errc::truncated);
  const std::string expected = fmt::format("{}", lp::Error(own.error()).rebase(first.size()));
  expect_error_at_every_split([] { return lp::view_framer<net::DnsTcp>(); }, stream,
                              parse_one_after_another<net::DnsTcp>(first), 1000,
                              [&](const lp::Error& e) {
                                EXPECT_EQ(fmt::format("{}", e), expected);
                                EXPECT_EQ(e.field_path(), own.error().field_path());
                              });
  EXPECT_NE(expected.find("DnsTcp.message"), std::string::npos) << expected;
}

TEST(StreamReader, FinishSaysWhenTheStreamEndsInsideAMessage) {
  const Bytes whole = tls_stream();
  const auto messages = parse_one_after_another<tls::Record>(whole);
  const std::size_t last = whole.size() - messages.back().size();
  for (std::size_t cut = last + 1; cut < whole.size(); ++cut) {
    const Bytes stream(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
    const std::vector<Bytes> good(messages.begin(), messages.end() - 1);
    for (const auto& cuts : every_split(stream.size())) {
      const Outcome out = read_in_pieces(lp::tls_record_framer{}, stream, cuts, 1000, good);
      ASSERT_FALSE(out.error);
      EXPECT_EQ(out.messages, good);
      ASSERT_FALSE(out.finish);
      EXPECT_EQ(out.finish.error().code(), lp::errc::truncated);
      EXPECT_EQ(out.finish.error().byte_offset(), last);
      // Once the record header is in, the reader knows exactly what is missing.
      if (cut - last >= 5) {
        EXPECT_EQ(out.finish.error().needed(), whole.size() - cut);
      }
    }
  }
  // An empty stream and one cut between messages end cleanly.
  EXPECT_TRUE(read_in_pieces(lp::tls_record_framer{}, Bytes{}, {}, 1000, {}).finish);
  EXPECT_TRUE(read_in_pieces(lp::tls_record_framer{}, Bytes(whole.begin(), whole.begin() + 15), {7},
                             1000, {messages[0]})
                  .finish);
}

// The capture and TLS framers refuse a frame with the error the generated view
// gives for it, so a tool reading a stream reports what one reading a file does.
TEST(StreamReader, FramerErrorsAreTheGeneratedViewsErrors) {
  const auto framer_error = [](auto framer, const Bytes& bytes) {
    const auto frame = framer(lp::bytes(bytes));
    EXPECT_FALSE(frame);
    return frame ? std::string("no error") : fmt::format("{}", frame.error());
  };
  const auto view_error = [](const auto& parsed) {
    EXPECT_FALSE(parsed);
    return parsed ? std::string("no error") : fmt::format("{}", parsed.error());
  };

  Bytes pcap = pcap_stream(true, false);
  pcap[0] = 0x12;
  EXPECT_EQ(framer_error(lp::pcap_framer{}, pcap), view_error(capture::PcapHeader::parse(pcap)));

  Bytes record = Bytes(pcap.begin() + 24, pcap.end());
  record[11] = 0x10;  // incl_len 2^28
  record[8] = 0x01;
  lp::pcap_framer after_header;
  const Bytes header = pcap_stream(true, false);
  ASSERT_TRUE(after_header(lp::bytes(header)));
  EXPECT_EQ(framer_error(after_header, record),
            view_error(capture::PcapRecord::parse(record, lp::byte_order::little, 0)));

  Bytes section = pcapng_section(true);
  section[8] = 0x99;
  EXPECT_EQ(framer_error(lp::pcapng_framer{}, section),
            view_error(capture::PcapngSectionHeader::parse(section)));
  section = pcapng_section(false);
  section[7] = 24;  // block_total_length 24 < 28
  EXPECT_EQ(framer_error(lp::pcapng_framer{}, section),
            view_error(capture::PcapngSectionHeader::parse(section)));
  section[7] = 22;  // below 28 and not a multiple of 4: the require fails first
  EXPECT_EQ(framer_error(lp::pcapng_framer{}, section),
            view_error(capture::PcapngSectionHeader::parse(section)));
  const Bytes no_section = pcapng_block(false, 6, Bytes(20, 0));
  EXPECT_EQ(framer_error(lp::pcapng_framer{}, no_section),
            view_error(capture::PcapngSectionHeader::parse(no_section)));

  Bytes short_block = pcapng_block(false, 6, Bytes(20, 0));
  short_block[7] = 8;
  lp::pcapng_framer in_section;
  const Bytes first_section = pcapng_section(false);
  ASSERT_TRUE(in_section(lp::bytes(first_section)));
  EXPECT_EQ(framer_error(in_section, short_block),
            view_error(capture::PcapngBlock::parse(short_block, lp::byte_order::big)));

  const Bytes tls = {0x17, 0x03, 0x03, 0x48, 0x01, 0x00};
  EXPECT_EQ(framer_error(lp::tls_record_framer{}, tls), view_error(tls::Record::parse(tls)));
}

// A framer that asks for bytes it already has, or says a message is empty,
// would make the reader loop forever: it is an error instead.
TEST(StreamReader, FramerThatCannotMakeProgressIsAnError) {
  const Bytes stream = {1, 2, 3, 4};
  const auto stuck = [](lp::bytes b) -> lp::Result<lp::FrameSize> {
    return lp::FrameSize::at_least(b.size());
  };
  const auto empty = [](lp::bytes) -> lp::Result<lp::FrameSize> {
    return lp::FrameSize::exactly(0);
  };
  for (const auto& cuts : std::vector<std::vector<std::size_t>>{{}, {1}, {1, 2, 3}}) {
    const Outcome a = read_in_pieces(stuck, stream, cuts, 100, {});
    ASSERT_TRUE(a.error);
    EXPECT_EQ(a.error->code(), lp::errc::bad_length);
    const Outcome b = read_in_pieces(empty, stream, cuts, 100, {});
    ASSERT_TRUE(b.error);
    EXPECT_EQ(b.error->code(), lp::errc::bad_length);
  }
}

TEST(StreamReaderDeathTest, FeedBeforeEveryMessageWasTaken) {
  const Bytes stream = tls_stream();
  EXPECT_DEATH(
      {
        lp::StreamReader reader(lp::tls_record_framer{}, 1000);
        reader.feed(lp::bytes(stream));
        lp::bytes message;
        (void)reader.next(message);
        reader.feed(lp::bytes(stream));
      },
      "feed\\(\\) called before next\\(\\) returned false");
}

}  // namespace
