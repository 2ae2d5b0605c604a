// The walk's TLS layer (tools/lpdump/walk/tls.cpp).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "frames.hpp"

namespace {

using namespace lpdump_test;

Bytes be24(unsigned v) { return cat({{static_cast<std::uint8_t>(v >> 16)}, be16(v & 0xffff)}); }

// A TCP segment from port 40000 to `port` carrying `payload`.
Bytes tcp_segment(unsigned port, const Bytes& payload) {
  const Bytes header = cat({be16(40000),
                            be16(port),
                            {0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18},
                            be16(1000),
                            be16(0),
                            be16(0)});
  return ethernet(0x0800, ipv4(6, cat({header, payload})));
}

Bytes tls_record(std::uint8_t type, const Bytes& fragment) {
  return cat({{type, 3, 1}, be16(fragment.size()), fragment});
}

Bytes handshake(std::uint8_t type, const Bytes& body) {
  return cat({{type}, be24(body.size()), body});
}

Bytes extension(unsigned type, const Bytes& data) {
  return cat({be16(type), be16(data.size()), data});
}

// TLS 1.2, no session id, suites 0x1301 and 0xc02f, no compression, then
// `extensions` as they are (their list's length included).
Bytes client_hello(const Bytes& extensions) {
  return handshake(
      1,
      cat({{3, 3}, Bytes(32, 0xaa), {0}, be16(4), be16(0x1301), be16(0xc02f), {1, 0}, extensions}));
}

Bytes extension_list(const Bytes& extensions) { return cat({be16(extensions.size()), extensions}); }

const Bytes sni_example = extension(
    0, cat({be16(14), {0}, be16(11), {'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm'}}));
const Bytes groups = extension(10, cat({be16(4), be16(0x1d), be16(0x17)}));

// A hello broken part-way: tshark lists what it read before the break. An
// extensions' list whose length runs past the message: no extension; an
// extension wrong inside (a server name past its list): its type and the
// types after it, not the name.
TEST(LpdumpTls, TlsHelloBrokenPartWayListsWhatWasRead) {
  const Bytes overrun = cat({be16(40), sni_example, groups});
  const std::string json = dissect_json(tcp_segment(443, tls_record(22, client_hello(overrun))));
  EXPECT_HAS(json, R"("tls.handshake.type":[1],"tls.handshake.length":[75])");
  EXPECT_HAS(json, R"("tls.handshake.version":[771],"tls.handshake.ciphersuite":[4865,49199])");
  EXPECT_LACKS(json, "tls.handshake.extension.type");

  const Bytes bad_name = extension(0, cat({be16(5), {0}, be16(9), {'a', 'b'}}));
  const std::string inner = dissect_json(
      tcp_segment(443, tls_record(22, client_hello(extension_list(cat({bad_name, groups}))))));
  EXPECT_HAS(inner, R"("tls.handshake.extension.type":[0,10],"layers")");
  EXPECT_LACKS(inner, "tls.handshake.sni");

  const Bytes good = client_hello(extension_list(cat({sni_example, groups})));
  const std::string whole = dissect_json(tcp_segment(443, tls_record(22, good)));
  EXPECT_HAS(whole, R"("tls.handshake.extension.type":[0,10],"tls.handshake.sni":["example.com"])");

  // An extension whose length runs past the list: its type is the last
  // listed. Past the captured segment, it is not listed, and tshark's walk
  // ends there (an exception): not even the next record is.
  const Bytes done = tls_record(22, handshake(14, {}));
  const Bytes past_list = cat({groups, be16(43), be16(3), {3, 4}});
  const std::string last = dissect_json(
      tcp_segment(443, cat({tls_record(22, client_hello(extension_list(past_list))), done})));
  EXPECT_HAS(last, R"("tls.record.length":[65,4])");
  EXPECT_HAS(last, R"("tls.handshake.extension.type":[10,43],"layers")");
  const Bytes past_segment = cat({groups, be16(43), be16(50), {3, 4}});
  const std::string ended = dissect_json(
      tcp_segment(443, cat({tls_record(22, client_hello(extension_list(past_segment))), done})));
  EXPECT_HAS(ended, R"("tls.record.length":[65],)");
  EXPECT_HAS(ended, R"("tls.handshake.type":[1],)");
  EXPECT_HAS(ended, R"("tls.handshake.extension.type":[10],"layers")");
}

// The messages of a record as tshark walks them: a message past the end of
// the record (continued in the next one) ends the walk, those before it are
// listed; a message of a type tshark does not know is skipped; a record of 16
// bytes or more whose first message type is unknown is taken as encrypted.
TEST(LpdumpTls, TlsHandshakeMessagesOfARecord) {
  const Bytes server_hello = handshake(2, cat({{3, 3}, Bytes(32, 0xbb), {0}, be16(0x1301), {0}}));
  const Bytes cut_message = {14, 0, 0, 9, 0};
  const std::string json =
      dissect_json(tcp_segment(443, tls_record(22, cat({server_hello, cut_message}))));
  EXPECT_HAS(json, R"("tls.handshake.type":[2],"tls.handshake.length":[38])");
  EXPECT_HAS(json, R"("tls.handshake.ciphersuite":[4865])");

  const Bytes unknown = handshake(99, {1, 2});
  const std::string skipped =
      dissect_json(tcp_segment(443, tls_record(22, cat({unknown, handshake(14, {})}))));
  EXPECT_HAS(skipped, R"("tls.handshake.type":[14],"tls.handshake.length":[0])");

  const std::string encrypted = dissect_json(
      tcp_segment(443, tls_record(22, cat({handshake(99, Bytes(12, 0)), handshake(14, {})}))));
  EXPECT_HAS(encrypted, R"("tls.record.length":[20],"layers")");
  EXPECT_LACKS(encrypted, "tls.handshake");
}

// MySQL (3306): a segment that starts with a record header is TLS (tshark:
// after the client's SSL request on the connection).
TEST(LpdumpTls, TlsOnMysql) {
  const std::string json = dissect_json(tcp_segment(3306, tls_record(22, handshake(14, {}))));
  EXPECT_HAS(json, R"("tls.record.content_type":[22])");
  EXPECT_HAS(json, R"("layers":["eth","ip","tcp","tls"])");
  const Bytes greeting = {0x4a, 0, 0, 0, 0x0a, '8', '.', '0', 0};
  EXPECT_HAS(dissect_json(tcp_segment(3306, greeting)), R"("layers":["eth","ip","tcp"])");
}

}  // namespace
