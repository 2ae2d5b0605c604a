// lp_stream_bench: the cost of lp::StreamReader (libparse/stream.hpp) against
// parsing the whole buffer, and its O(message size) claim for a large message
// that arrives byte by byte (docs/performance.md, "Stream reading").
//
//   DnsTcpWhole          DnsTcp::parse one message after another over the whole
//                        buffer: the floor
//   DnsTcpPieces/P/V     the same stream fed in pieces of P bytes, framed by the
//                        length prefix (V = 0) or the generated view (V = 1, with
//                        last_view(): one parse per message either way)
//   LargeMessage/S/V     one S-byte DNS-over-TCP message fed one byte at a time:
//                        time per byte must not grow with S
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "libparse/stream.hpp"
#include "net/dns.lp.hpp"

namespace {

// A query and its answer, over and over: about 1 MiB of DNS over TCP.
std::vector<std::uint8_t> dns_stream() {
  const std::vector<std::uint8_t> query = {
      0x00, 0x1d, 0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 7,   'e',
      'x',  'a',  'm',  'p',  'l',  'e',  3,    'c',  'o',  'm',  0,    0x00, 0x01, 0x00, 0x01};
  const std::vector<std::uint8_t> answer = {
      0x00, 0x2d, 0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
      0x00, 0x00, 7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',  3,    'c',
      'o',  'm',  0,    0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x01, 0x00,
      0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 192,  0,    2,    1};
  std::vector<std::uint8_t> out;
  while (out.size() < (std::size_t{1} << 20)) {
    out.insert(out.end(), query.begin(), query.end());
    out.insert(out.end(), answer.begin(), answer.end());
  }
  return out;
}

// One DNS-over-TCP message of `size` bytes: a header and one record of an
// unknown type whose rdata fills the rest.
std::vector<std::uint8_t> large_message(std::size_t size) {
  const std::size_t rdlength = size - 2 - 12 - 11;
  std::vector<std::uint8_t> m = {static_cast<std::uint8_t>((size - 2) >> 8),
                                 static_cast<std::uint8_t>(size - 2),
                                 0x12,
                                 0x34,
                                 0x81,
                                 0x80,
                                 0,
                                 0,
                                 0,
                                 1,
                                 0,
                                 0,
                                 0,
                                 0,  // an 1
                                 0,
                                 0x00,
                                 0xfe,
                                 0x00,
                                 0x01,
                                 0,
                                 0,
                                 0,
                                 0,  // root, type 254
                                 static_cast<std::uint8_t>(rdlength >> 8),
                                 static_cast<std::uint8_t>(rdlength)};
  m.resize(size, 0xab);
  return m;
}

void DnsTcpWhole(benchmark::State& state) {
  const auto stream = dns_stream();
  std::size_t messages = 0;
  for (auto _ : state) {
    lp::bytes rest(stream);
    while (!rest.empty()) {
      const auto dns = net::DnsTcp::parse(rest);
      if (!dns) state.SkipWithError("parse failed");
      benchmark::DoNotOptimize(dns->length());
      rest = rest.drop_first(dns->size());
      ++messages;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}

template <class Framer, class Parse>
std::size_t read_in_pieces(Framer framer, lp::bytes stream, std::size_t piece, Parse parse) {
  lp::StreamReader reader(std::move(framer), 2 + 65535);
  std::size_t messages = 0;
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    reader.feed(stream.subspan(at, piece));
    lp::bytes message;
    while (reader.next(message)) {
      parse(reader, message);
      ++messages;
    }
  }
  return messages;
}

void DnsTcpPieces(benchmark::State& state) {
  const auto stream = dns_stream();
  const auto piece = static_cast<std::size_t>(state.range(0));
  const bool generic = state.range(1) != 0;
  std::size_t messages = 0;
  for (auto _ : state) {
    if (generic) {
      messages += read_in_pieces(lp::view_framer<net::DnsTcp>(), lp::bytes(stream), piece,
                                 [](auto& reader, lp::bytes) {
                                   benchmark::DoNotOptimize(reader.framer().last_view().length());
                                 });
    } else {
      messages += read_in_pieces(lp::length_prefix_framer{2}, lp::bytes(stream), piece,
                                 [&](auto&, lp::bytes message) {
                                   const auto dns = net::DnsTcp::parse(message);
                                   if (!dns) state.SkipWithError("parse failed");
                                   benchmark::DoNotOptimize(dns->length());
                                 });
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}

void LargeMessage(benchmark::State& state) {
  const auto message = large_message(static_cast<std::size_t>(state.range(0)));
  const bool generic = state.range(1) != 0;
  for (auto _ : state) {
    const std::size_t got =
        generic ? read_in_pieces(lp::view_framer<net::DnsTcp>(), lp::bytes(message), 1,
                                 [](auto&, lp::bytes m) { benchmark::DoNotOptimize(m.data()); })
                : read_in_pieces(lp::length_prefix_framer{2}, lp::bytes(message), 1,
                                 [](auto&, lp::bytes m) { benchmark::DoNotOptimize(m.data()); });
    if (got != 1) state.SkipWithError("the message did not come out");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * message.size()));
}

BENCHMARK(DnsTcpWhole);
BENCHMARK(DnsTcpPieces)->ArgsProduct({{1, 64, 1500, 65536}, {0, 1}});
BENCHMARK(LargeMessage)->ArgsProduct({{1024, 16384, 65537}, {0, 1}});

}  // namespace

BENCHMARK_MAIN();
