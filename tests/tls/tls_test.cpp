// tls/tls.lps: a ClientHello and a ServerHello record built byte by byte with
// every field read back, the other record types, a record holding several
// messages, every truncated prefix, each constraint failing once, malformed
// and zero lengths, and the max_elements and max_depth limits.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "expect.hpp"
#include "libparse/format.hpp"
#include "tls/tls.lp.hpp"

namespace {

using tls::CipherSuite;
using tls::ExtensionType;
using tls::NamedGroup;
using tls::ProtocolVersion;

// Arrays of an enum hold the raw integers (like arrays of a flags type).
template <class Enum>
constexpr std::underlying_type_t<Enum> raw(Enum value) {
  return static_cast<std::underlying_type_t<Enum>>(value);
}

const std::byte* base_of(const std::vector<std::uint8_t>& p) {
  return reinterpret_cast<const std::byte*>(p.data());
}

void append_counting(std::vector<std::uint8_t>& out, std::uint8_t first, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(first + i));
}

// A TLS 1.3 ClientHello for example.com in one handshake record: four cipher
// suites, SNI, ALPN h2 and http/1.1, supported_versions 1.3 and 1.2, two groups,
// three signature schemes, an x25519 key share, ec_point_formats (kept as
// bytes) and extended_master_secret (empty). 211 bytes.
std::vector<std::uint8_t> client_hello_record() {
  std::vector<std::uint8_t> p = {
      0x16, 0x03, 0x01, 0x00, 0xce,  // @0 record: handshake, TLS 1.0, length 206
      0x01, 0x00, 0x00, 0xca,        // @5 handshake: client_hello, length 202
      0x03, 0x03,                    // @9 legacy_version TLS 1.2
  };
  append_counting(p, 0x00, 32);  // @11 random 00 01 .. 1f
  p.push_back(0x20);             // @43 session_id_length 32
  append_counting(p, 0xe0, 32);  // @44 session_id e0 .. ff
  const std::vector<std::uint8_t> rest = {
      0x00, 0x08,                                      // @76 cipher_suites_length 8
      0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2f,  // @78 four suites
      0x01, 0x00,                                      // @86 one compression method: null
      0x00, 0x79,                                      // @88 extensions length 121
      0x00, 0x00, 0x00, 0x10,                          // @90 [0] server_name, length 16
      0x00, 0x0e,                                      // @94 server_name_list length 14
      0x00, 0x00, 0x0b,                                // @96 host_name, length 11
      'e',  'x',  'a',  'm',  'p',  'l',  'e',  '.',  'c', 'o', 'm',  // @99
      0x00, 0x10, 0x00, 0x0e,                                         // @110 [1] ALPN, length 14
      0x00, 0x0c,                                                     // @114 list length 12
      0x02, 'h',  '2',                                                // @116
      0x08, 'h',  't',  't',  'p',  '/',  '1',  '.',  '1',            // @119
      0x00, 0x2b, 0x00, 0x05,                                         // @128 [2] supported_versions
      0x04, 0x03, 0x04, 0x03, 0x03,                                   // @132 length 4: 1.3, 1.2
      0x00, 0x0a, 0x00, 0x06,                                         // @137 [3] supported_groups
      0x00, 0x04, 0x00, 0x1d, 0x00, 0x17,                             // @141 x25519, secp256r1
      0x00, 0x0d, 0x00, 0x08,                          // @147 [4] signature_algorithms
      0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01,  // @151 three schemes
      0x00, 0x33, 0x00, 0x26,                          // @159 [5] key_share, length 38
      0x00, 0x24,                                      // @163 client_shares length 36
      0x00, 0x1d, 0x00, 0x20,                          // @165 x25519, 32-byte key
  };
  p.insert(p.end(), rest.begin(), rest.end());
  append_counting(p, 0x40, 32);  // @169 key_exchange 40 .. 5f
  const std::vector<std::uint8_t> tail = {
      0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,  // @201 [6] ec_point_formats (bytes)
      0x00, 0x17, 0x00, 0x00,              // @207 [7] extended_master_secret, empty
  };
  p.insert(p.end(), tail.begin(), tail.end());
  return p;
}

// The TLS 1.3 ServerHello answering it: TLS_AES_128_GCM_SHA256, the session id
// echoed, supported_versions 1.3 and an x25519 key share. 127 bytes.
std::vector<std::uint8_t> server_hello_record() {
  std::vector<std::uint8_t> p = {
      0x16, 0x03, 0x03, 0x00, 0x7a,  // @0 record: handshake, TLS 1.2, length 122
      0x02, 0x00, 0x00, 0x76,        // @5 handshake: server_hello, length 118
      0x03, 0x03,                    // @9 legacy_version TLS 1.2
  };
  append_counting(p, 0xa0, 32);  // @11 random a0 .. bf
  p.push_back(0x20);             // @43 session_id_length 32
  append_counting(p, 0xe0, 32);  // @44 session_id e0 .. ff
  const std::vector<std::uint8_t> rest = {
      0x13, 0x01,                          // @76 cipher_suite
      0x00,                                // @78 compression_method
      0x00, 0x2e,                          // @79 extensions length 46
      0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,  // @81 [0] supported_versions: 1.3
      0x00, 0x33, 0x00, 0x24,              // @87 [1] key_share, length 36
      0x00, 0x1d, 0x00, 0x20,              // @91 x25519, 32-byte key
  };
  p.insert(p.end(), rest.begin(), rest.end());
  append_counting(p, 0x60, 32);  // @95 key_exchange 60 .. 7f
  return p;
}

tls::ClientHelloView client_hello_of(const tls::RecordView& record) {
  const auto handshake = record.fragment_handshake();
  EXPECT_TRUE(handshake);
  const auto hello = handshake->messages().front().body_client_hello();
  EXPECT_TRUE(hello);
  return *hello;
}

tls::ServerHelloView server_hello_of(const tls::RecordView& record) {
  const auto handshake = record.fragment_handshake();
  EXPECT_TRUE(handshake);
  const auto hello = handshake->messages().front().body_server_hello();
  EXPECT_TRUE(hello);
  return *hello;
}

std::string error_of(const std::vector<std::uint8_t>& packet) {
  const auto record = tls::Record::parse(packet);
  return record ? std::string("parsed") : record.error().message();
}

// Parsing `packet` fails with this code, offset, path and (when given) message.
void expect_error(const std::vector<std::uint8_t>& packet, lp::errc code, std::size_t offset,
                  std::string_view path, std::string_view message = {}) {
  const auto record = tls::Record::parse(packet);
  ASSERT_FALSE(record) << "parsed";
  const lp::Error& e = record.error();
  EXPECT_EQ(e.code(), code) << e;
  EXPECT_EQ(e.byte_offset(), offset) << e;
  EXPECT_EQ(e.field_path(), path) << e;
  if (!message.empty()) {
    EXPECT_EQ(e.message(), message);
  }
}

TEST(TlsClientHello, ParsesEveryField) {
  const auto packet = client_hello_record();
  ASSERT_EQ(packet.size(), 211u);
  const auto record = tls::Record::parse(packet);
  ASSERT_TRUE(record) << record.error();
  const auto* base = base_of(packet);
  EXPECT_EQ(record->content_type(), tls::ContentType::HANDSHAKE);
  EXPECT_EQ(record->legacy_version(), ProtocolVersion::TLS1_0);
  EXPECT_EQ(record->length(), 206);
  EXPECT_EQ(record->fragment_arm(), tls::RecordView::FragmentArm::handshake);
  EXPECT_EQ(record->size(), 211u);

  const auto messages = record->fragment_handshake()->messages();
  ASSERT_EQ(messages.size(), 1u);
  const tls::HandshakeView message = messages.front();
  EXPECT_EQ(message.msg_type(), tls::HandshakeType::CLIENT_HELLO);
  EXPECT_EQ(message.length(), 202u);
  EXPECT_EQ(message.body_arm(), tls::HandshakeView::BodyArm::client_hello);
  EXPECT_FALSE(message.body_server_hello());

  const tls::ClientHelloView hello = *message.body_client_hello();
  EXPECT_EQ(hello.body_length(), 202u);
  EXPECT_EQ(hello.legacy_version(), ProtocolVersion::TLS1_2);
  ASSERT_EQ(hello.random().size(), 32u);
  EXPECT_EQ(hello.random().data(), base + 11);
  EXPECT_EQ(hello.random().u8(31), 0x1f);
  EXPECT_EQ(hello.session_id_length(), 32);
  EXPECT_EQ(hello.session_id().data(), base + 44);
  EXPECT_EQ(hello.session_id().u8(0), 0xe0);
  EXPECT_EQ(hello.cipher_suites_length(), 8);
  const std::array<CipherSuite, 4> suites = {CipherSuite::TLS_AES_128_GCM_SHA256,
                                             CipherSuite::TLS_AES_256_GCM_SHA384,
                                             CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
                                             CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  ASSERT_EQ(hello.cipher_suites().size(), suites.size());
  for (std::size_t i = 0; i < suites.size(); ++i)
    EXPECT_EQ(hello.cipher_suites()[i], raw(suites[i]));
  EXPECT_EQ(hello.compression_methods_length(), 1);
  ASSERT_EQ(hello.compression_methods().size(), 1u);
  EXPECT_EQ(hello.compression_methods()[0], 0);
  EXPECT_EQ(hello.hello_length(), 79u);
  ASSERT_TRUE(hello.has_extensions());
  EXPECT_EQ(hello.extensions()->length(), 121);

  const auto extensions = hello.extensions()->list();
  ASSERT_EQ(extensions.size(), 8u);
  const std::array<ExtensionType, 8> types = {
      ExtensionType::SERVER_NAME,          ExtensionType::APPLICATION_LAYER_PROTOCOL_NEGOTIATION,
      ExtensionType::SUPPORTED_VERSIONS,   ExtensionType::SUPPORTED_GROUPS,
      ExtensionType::SIGNATURE_ALGORITHMS, ExtensionType::KEY_SHARE,
      ExtensionType::EC_POINT_FORMATS,     ExtensionType::EXTENDED_MASTER_SECRET};
  const std::array<std::size_t, 8> offsets = {90, 110, 128, 137, 147, 159, 201, 207};
  const std::array<std::uint16_t, 8> lengths = {16, 14, 5, 6, 8, 38, 2, 0};
  std::size_t i = 0;
  for (const tls::ClientHelloExtensionView extension : extensions) {
    SCOPED_TRACE(i);
    EXPECT_EQ(extension.type(), types[i]);
    EXPECT_EQ(extension.length(), lengths[i]);
    EXPECT_EQ(extension.bytes().data(), base + offsets[i]);
    EXPECT_EQ(extension.data_bytes().size(), lengths[i]);
    ++i;
  }
  ASSERT_EQ(i, 8u);

  auto it = extensions.begin();
  const auto sni = (*it).data_server_name();
  ASSERT_TRUE(sni);
  EXPECT_EQ(sni->length(), 14);
  ASSERT_EQ(sni->names().size(), 1u);
  EXPECT_EQ(sni->names().front().name_type(), tls::ServerNameType::HOST_NAME);
  EXPECT_EQ(sni->names().front().length(), 11);
  EXPECT_EQ(sni->names().front().name(), "example.com");
  EXPECT_EQ(sni->names().front().name().data(), reinterpret_cast<const char*>(base + 99));

  ++it;
  const auto alpn = (*it).data_alpn();
  ASSERT_TRUE(alpn);
  EXPECT_EQ(alpn->length(), 12);
  std::vector<std::string> protocols;
  for (const tls::ProtocolNameView name : alpn->names()) protocols.emplace_back(name.name());
  EXPECT_EQ(protocols, (std::vector<std::string>{"h2", "http/1.1"}));

  ++it;
  const auto versions = (*it).data_supported_versions();
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->length(), 4);
  ASSERT_EQ(versions->versions().size(), 2u);
  EXPECT_EQ(versions->versions()[0], raw(ProtocolVersion::TLS1_3));
  EXPECT_EQ(versions->versions()[1], raw(ProtocolVersion::TLS1_2));

  ++it;
  const auto groups = (*it).data_supported_groups();
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->groups().size(), 2u);
  EXPECT_EQ(groups->groups()[0], raw(NamedGroup::X25519));
  EXPECT_EQ(groups->groups()[1], raw(NamedGroup::SECP256R1));

  ++it;
  const auto schemes = (*it).data_signature_algorithms();
  ASSERT_TRUE(schemes);
  ASSERT_EQ(schemes->schemes().size(), 3u);
  EXPECT_EQ(schemes->schemes()[0], raw(tls::SignatureScheme::ECDSA_SECP256R1_SHA256));
  EXPECT_EQ(schemes->schemes()[1], raw(tls::SignatureScheme::RSA_PSS_RSAE_SHA256));
  EXPECT_EQ(schemes->schemes()[2], raw(tls::SignatureScheme::RSA_PKCS1_SHA256));

  ++it;
  const auto key_share = (*it).data_key_share();
  ASSERT_TRUE(key_share);
  EXPECT_EQ(key_share->length(), 36);
  ASSERT_EQ(key_share->shares().size(), 1u);
  const tls::KeyShareEntryView share = key_share->shares().front();
  EXPECT_EQ(share.group(), NamedGroup::X25519);
  EXPECT_EQ(share.key_exchange_length(), 32);
  EXPECT_EQ(share.key_exchange().data(), base + 169);
  EXPECT_EQ(share.key_exchange().u8(31), 0x5f);

  ++it;
  EXPECT_EQ((*it).data_arm(), tls::ClientHelloExtensionView::DataArm::raw);
  ASSERT_TRUE((*it).data_raw());
  EXPECT_EQ((*it).data_raw()->data(), base + 205);
  EXPECT_EQ((*it).data_raw()->u8(0), 0x01);
  EXPECT_FALSE((*it).data_server_name());

  ++it;
  ASSERT_TRUE((*it).data_raw());
  EXPECT_TRUE((*it).data_raw()->empty());
  ++it;
  EXPECT_TRUE(it == extensions.end());
}

TEST(TlsServerHello, ParsesEveryField) {
  const auto packet = server_hello_record();
  ASSERT_EQ(packet.size(), 127u);
  const auto record = tls::Record::parse(packet);
  ASSERT_TRUE(record) << record.error();
  const auto* base = base_of(packet);
  EXPECT_EQ(record->legacy_version(), ProtocolVersion::TLS1_2);
  EXPECT_EQ(record->length(), 122);
  const tls::HandshakeView message = record->fragment_handshake()->messages().front();
  EXPECT_EQ(message.msg_type(), tls::HandshakeType::SERVER_HELLO);
  EXPECT_EQ(message.length(), 118u);

  const tls::ServerHelloView hello = server_hello_of(*record);
  EXPECT_EQ(hello.legacy_version(), ProtocolVersion::TLS1_2);
  EXPECT_EQ(hello.random().data(), base + 11);
  EXPECT_EQ(hello.random().u8(0), 0xa0);
  EXPECT_EQ(hello.session_id_length(), 32);
  EXPECT_EQ(hello.session_id().u8(31), 0xff);
  EXPECT_EQ(hello.cipher_suite(), CipherSuite::TLS_AES_128_GCM_SHA256);
  EXPECT_EQ(hello.compression_method(), 0);
  EXPECT_EQ(hello.hello_length(), 70u);
  ASSERT_TRUE(hello.extensions());
  EXPECT_EQ(hello.extensions()->length(), 46);
  const auto extensions = hello.extensions()->list();
  ASSERT_EQ(extensions.size(), 2u);
  auto it = extensions.begin();
  EXPECT_EQ((*it).type(), ExtensionType::SUPPORTED_VERSIONS);
  EXPECT_EQ((*it).length(), 2);
  EXPECT_EQ((*it).data_supported_version(), ProtocolVersion::TLS1_3);
  ++it;
  EXPECT_EQ((*it).type(), ExtensionType::KEY_SHARE);
  const auto key_share = (*it).data_key_share();
  ASSERT_TRUE(key_share);
  EXPECT_EQ(key_share->extension_length(), 36);
  EXPECT_EQ(key_share->group(), NamedGroup::X25519);
  EXPECT_EQ(key_share->key_exchange_length(), 32);
  ASSERT_TRUE(key_share->key_exchange());
  EXPECT_EQ(key_share->key_exchange()->data(), base + 95);
  EXPECT_EQ(key_share->key_exchange()->u8(0), 0x60);
}

TEST(TlsServerHello, HelloRetryRequestKeyShareIsOnlyTheGroup) {
  std::vector<std::uint8_t> packet = server_hello_record();
  packet.resize(87);
  const std::vector<std::uint8_t> key_share = {0x00, 0x33, 0x00, 0x02, 0x00, 0x17};  // secp256r1
  packet.insert(packet.end(), key_share.begin(), key_share.end());
  packet[4] = 88;   // record length
  packet[8] = 84;   // handshake length
  packet[80] = 12;  // extensions length
  const auto record = tls::Record::parse(packet);
  ASSERT_TRUE(record) << record.error();
  const auto hello = server_hello_of(*record);
  const auto share = (*std::next(hello.extensions()->list().begin())).data_key_share();
  ASSERT_TRUE(share);
  EXPECT_EQ(share->group(), NamedGroup::SECP256R1);
  EXPECT_FALSE(share->has_key_exchange_length());
  EXPECT_FALSE(share->key_exchange());
}

TEST(TlsServerHello, AlpnAndNoExtensions) {
  // A TLS 1.2 ServerHello choosing h2, no session id.
  const std::vector<std::uint8_t> alpn = {
      0x16, 0x03, 0x03, 0x00, 0x35,  // record length 53
      0x02, 0x00, 0x00, 0x31,        // server_hello, length 49
      0x03, 0x03,                    // legacy_version
      1,    2,    3,    4,    5,    6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
      17,   18,   19,   20,   21,   22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
      0x00,                    // session_id_length 0
      0xc0, 0x2f,              // cipher_suite
      0x00,                    // compression_method
      0x00, 0x09,              // extensions length 9
      0x00, 0x10, 0x00, 0x05,  // ALPN, length 5
      0x00, 0x03, 0x02, 'h',  '2',
  };
  const auto record = tls::Record::parse(alpn);
  ASSERT_TRUE(record) << record.error();
  const auto hello = server_hello_of(*record);
  EXPECT_EQ(hello.session_id_length(), 0);
  EXPECT_TRUE(hello.session_id().empty());
  EXPECT_EQ(hello.cipher_suite(), CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
  const auto protocols = hello.extensions()->list().front().data_alpn();
  ASSERT_TRUE(protocols);
  ASSERT_EQ(protocols->names().size(), 1u);
  EXPECT_EQ(protocols->names().front().name(), "h2");

  // The same hello without its extensions block: the message ends after the
  // compression method, as a TLS 1.2 server may send it.
  std::vector<std::uint8_t> bare(alpn.begin(), alpn.begin() + 47);
  bare[4] = 42;
  bare[8] = 38;
  const auto plain = tls::Record::parse(bare);
  ASSERT_TRUE(plain) << plain.error();
  const auto bare_hello = server_hello_of(*plain);
  EXPECT_FALSE(bare_hello.has_extensions());
  EXPECT_FALSE(bare_hello.extensions());
  EXPECT_EQ(bare_hello.compression_method(), 0);
}

TEST(TlsClientHello, WithoutExtensionsAndParsedAlone) {
  // A TLS 1.0-style hello that stops after the compression methods.
  auto packet = client_hello_record();
  packet.resize(88);
  packet[3] = 0x00;
  packet[4] = 83;  // record length
  packet[8] = 79;  // handshake length
  const auto record = tls::Record::parse(packet);
  ASSERT_TRUE(record) << record.error();
  const auto hello = client_hello_of(*record);
  EXPECT_FALSE(hello.has_extensions());
  EXPECT_EQ(hello.cipher_suites().size(), 4u);

  // The body alone: ClientHello takes the message length as its parameter.
  const auto body = lp::bytes(packet.data(), packet.size()).drop_first(9);
  const auto alone = tls::ClientHello::parse(body, 79);
  ASSERT_TRUE(alone) << alone.error();
  EXPECT_EQ(alone->size(), 79u);
  EXPECT_FALSE(alone->has_extensions());
  // A length claiming more than the fields: the extensions block is read and is
  // missing.
  const auto longer = tls::ClientHello::parse(body, 81);
  ASSERT_FALSE(longer);
  EXPECT_EQ(longer.error().code(), lp::errc::truncated) << longer.error();
  EXPECT_EQ(longer.error().message(),
            "truncated at byte 79: ClientHello.extensions.ClientHelloExtensions.length, 2 more "
            "bytes needed");
}

TEST(TlsRecord, OtherContentTypes) {
  const std::vector<std::uint8_t> alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
  const auto a = tls::Record::parse(alert);
  ASSERT_TRUE(a) << a.error();
  EXPECT_EQ(a->content_type(), tls::ContentType::ALERT);
  ASSERT_TRUE(a->fragment_alert());
  EXPECT_EQ(a->fragment_alert()->level(), tls::AlertLevel::FATAL);
  EXPECT_EQ(a->fragment_alert()->description(), tls::AlertDescription::HANDSHAKE_FAILURE);

  const std::vector<std::uint8_t> ccs = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};
  const auto c = tls::Record::parse(ccs);
  ASSERT_TRUE(c) << c.error();
  ASSERT_TRUE(c->fragment_change_cipher_spec());
  EXPECT_EQ(c->fragment_change_cipher_spec()->size(), 1u);
  EXPECT_EQ(c->fragment_change_cipher_spec()->u8(0), 1);

  const std::vector<std::uint8_t> data = {0x17, 0x03, 0x03, 0x00, 0x03, 'a', 'b', 'c', 0xee};
  const auto d = tls::Record::parse(data);
  ASSERT_TRUE(d) << d.error();
  ASSERT_TRUE(d->fragment_application_data());
  EXPECT_EQ(d->fragment_application_data()->as_string_view(), "abc");
  EXPECT_EQ(d->size(), 8u);  // the byte after the record is not part of it

  const std::vector<std::uint8_t> empty_data = {0x17, 0x03, 0x03, 0x00, 0x00};
  const auto e = tls::Record::parse(empty_data);
  ASSERT_TRUE(e) << e.error();  // zero-length application data is allowed
  EXPECT_TRUE(e->fragment_application_data()->empty());

  const std::vector<std::uint8_t> unknown = {0x63, 0x03, 0x03, 0x00, 0x01, 0x07};
  const auto u = tls::Record::parse(unknown);
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(static_cast<std::uint8_t>(u->content_type()), 0x63);
  EXPECT_EQ(u->fragment_arm(), tls::RecordView::FragmentArm::unknown);
  EXPECT_EQ(u->fragment_unknown()->u8(0), 7);
}

TEST(TlsRecord, OpaqueRecordKeepsAnyFragment) {
  // An encrypted TLS 1.2 Finished: content type handshake, bytes that are not one.
  const std::vector<std::uint8_t> encrypted = {0x16, 0x03, 0x03, 0x00, 0x06, 0xde,
                                               0xad, 0xbe, 0xef, 0x01, 0x02};
  const auto opaque = tls::OpaqueRecord::parse(encrypted);
  ASSERT_TRUE(opaque) << opaque.error();
  EXPECT_EQ(opaque->content_type(), tls::ContentType::HANDSHAKE);
  EXPECT_EQ(opaque->fragment().size(), 6u);
  EXPECT_EQ(opaque->fragment().u8(0), 0xde);
  // As a plaintext record the first message claims 0xadbeef bytes: more than
  // the fragment, so its body does not fit the fragment.
  expect_error(encrypted, lp::errc::bad_length, 9,
               "Record.fragment.HandshakeMessages.messages[0].body",
               "bad length at byte 9: Record.fragment.HandshakeMessages.messages[0].body (length), "
               "got 6");

  auto too_long = encrypted;
  too_long[3] = 0x48;
  too_long[4] = 0x01;
  const auto refused = tls::OpaqueRecord::parse(too_long);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(),
            "constraint failed at byte 3: OpaqueRecord.length (length <= MAX_RECORD_FRAGMENT), "
            "got 18433");
}

TEST(TlsRecord, SeveralMessagesInOneRecord) {
  // ServerHello, then a Certificate kept as bytes, then an empty ServerHelloDone.
  auto packet = server_hello_record();
  const std::vector<std::uint8_t> more = {
      0x0b, 0x00, 0x00, 0x03, 0xaa, 0xbb, 0xcc,  // @127 certificate, 3 bytes
      0x0e, 0x00, 0x00, 0x00,                    // @134 server_hello_done, empty
  };
  packet.insert(packet.end(), more.begin(), more.end());
  packet[4] = 122 + 11;
  const auto record = tls::Record::parse(packet);
  ASSERT_TRUE(record) << record.error();
  const auto messages = record->fragment_handshake()->messages();
  ASSERT_EQ(messages.size(), 3u);
  auto it = messages.begin();
  EXPECT_EQ((*it).msg_type(), tls::HandshakeType::SERVER_HELLO);
  ++it;
  EXPECT_EQ((*it).msg_type(), tls::HandshakeType::CERTIFICATE);
  EXPECT_EQ((*it).body_arm(), tls::HandshakeView::BodyArm::raw);
  EXPECT_EQ((*it).body_raw()->data(), base_of(packet) + 131);
  EXPECT_EQ((*it).body_raw()->size(), 3u);
  ++it;
  EXPECT_EQ((*it).msg_type(), tls::HandshakeType::SERVER_HELLO_DONE);
  EXPECT_EQ((*it).length(), 0u);
  EXPECT_TRUE((*it).body_raw()->empty());
  EXPECT_EQ(it.index(), 2u);
}

TEST(TlsRecord, EveryTruncatedPrefix) {
  lp_test::expect_every_prefix_truncated<tls::Record>(client_hello_record(), 211);
  lp_test::expect_every_prefix_truncated<tls::Record>(server_hello_record(), 127);
  lp_test::expect_every_prefix_truncated<tls::OpaqueRecord>(server_hello_record(), 127);
  const auto packet = client_hello_record();
  const auto cut = tls::Record::parse(lp::bytes(packet.data(), 100));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().message(), "truncated at byte 5: Record.fragment, 111 more bytes needed");
}

TEST(TlsHandshake, EveryTruncatedPrefixOfAMessage) {
  // Handshake messages reassembled by the caller are parsed on their own.
  const auto packet = client_hello_record();
  const std::vector<std::uint8_t> message(packet.begin() + 5, packet.end());
  const auto whole = tls::Handshake::parse(message);
  ASSERT_TRUE(whole) << whole.error();
  EXPECT_EQ(whole->body_client_hello()->extensions()->list().size(), 8u);
  lp_test::expect_every_prefix_truncated<tls::Handshake>(message, message.size());
}

// Each constraint of the schema, failing once.
TEST(TlsErrors, EachConstraintFailsOnce) {
  struct Case {
    const char* what;
    bool client;  // mutate client_hello_record(), else server_hello_record()
    std::size_t offset;
    std::uint8_t value;
    const char* message;
  };
  const Case cases[] = {
      {"record length above 2^14 + 2048", true, 3, 0x48,
       "constraint failed at byte 3: Record.length (length <= MAX_RECORD_FRAGMENT), got 18638"},
      {"session id longer than 32", true, 43, 33,
       "constraint failed at byte 43: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.session_id_length (session_id_length <= 32), got 33"},
      {"no cipher suites", true, 77, 0,
       "constraint failed at byte 76: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.cipher_suites_length (cipher_suites_length >= 2), got 0"},
      {"odd cipher suite bytes", true, 77, 7,
       "constraint failed at byte 76: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.cipher_suites_length (cipher_suites_length % 2 == 0), got 7"},
      {"no compression method", true, 86, 0,
       "constraint failed at byte 86: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.compression_methods_length (compression_methods_length >= 1), got 0"},
      {"empty server name list", true, 95, 0,
       "constraint failed at byte 94: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[0].data.ServerNameList.length "
       "(length >= 1), got 0"},
      {"empty host name", true, 98, 0,
       "constraint failed at byte 97: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[0].data.ServerNameList.names[0]."
       "length (length >= 1), got 0"},
      {"ALPN list of one byte", true, 115, 1,
       "constraint failed at byte 114: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[1].data.ProtocolNameList.length "
       "(length >= 2), got 1"},
      {"empty protocol name", true, 116, 0,
       "constraint failed at byte 116: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[1].data.ProtocolNameList.names[0]."
       "length (length >= 1), got 0"},
      {"no supported version", true, 132, 0,
       "constraint failed at byte 132: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[2].data.SupportedVersionList.length "
       "(length >= 2), got 0"},
      {"odd supported versions length", true, 132, 3,
       "constraint failed at byte 132: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[2].data.SupportedVersionList.length "
       "(length % 2 == 0), got 3"},
      {"no group", true, 142, 0,
       "constraint failed at byte 141: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[3].data.NamedGroupList.length "
       "(length >= 2), got 0"},
      {"odd groups length", true, 142, 3,
       "constraint failed at byte 141: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[3].data.NamedGroupList.length "
       "(length % 2 == 0), got 3"},
      {"no signature scheme", true, 152, 0,
       "constraint failed at byte 151: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[4].data.SignatureSchemeList.length "
       "(length >= 2), got 0"},
      {"odd signature schemes length", true, 152, 5,
       "constraint failed at byte 151: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[4].data.SignatureSchemeList.length "
       "(length % 2 == 0), got 5"},
      {"empty client key", true, 168, 0,
       "constraint failed at byte 167: Record.fragment.HandshakeMessages.messages[0].body."
       "ClientHello.extensions.ClientHelloExtensions.list[5].data.KeyShareClientHello."
       "shares[0].key_exchange_length (key_exchange_length >= 1), got 0"},
      {"server session id longer than 32", false, 43, 40,
       "constraint failed at byte 43: Record.fragment.HandshakeMessages.messages[0].body."
       "ServerHello.session_id_length (session_id_length <= 32), got 40"},
      {"empty server key", false, 94, 0,
       "constraint failed at byte 93: Record.fragment.HandshakeMessages.messages[0].body."
       "ServerHello.extensions.ServerHelloExtensions.list[1].data.KeyShareServerHello."
       "key_exchange_length (key_exchange_length >= 1), got 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto packet = c.client ? client_hello_record() : server_hello_record();
    packet[c.offset] = c.value;
    const auto record = tls::Record::parse(packet);
    ASSERT_FALSE(record);
    EXPECT_EQ(record.error().code(), lp::errc::constraint_failed) << record.error();
    EXPECT_EQ(record.error().message(), c.message);
  }

  const std::vector<std::uint8_t> empty_handshake = {0x16, 0x03, 0x03, 0x00, 0x00};
  EXPECT_EQ(error_of(empty_handshake),
            "constraint failed at byte 3: Record.length (content_type != ContentType.HANDSHAKE || "
            "length != 0), got 0");
}

TEST(TlsErrors, MalformedLengths) {
  const std::string hello = "Record.fragment.HandshakeMessages.messages[0].body.ClientHello.";
  {
    SCOPED_TRACE("an extension running past its list");
    auto packet = client_hello_record();
    packet[209] = 0x01;  // extended_master_secret claims a byte after the list
    expect_error(packet, lp::errc::bad_length, 211,
                 hello + "extensions.ClientHelloExtensions.list[7].data");
  }
  {
    SCOPED_TRACE("an extension length far past everything");
    auto packet = client_hello_record();
    packet[92] = 0xff;
    packet[93] = 0xff;
    expect_error(packet, lp::errc::bad_length, 94,
                 hello + "extensions.ClientHelloExtensions.list[0].data");
  }
  {
    SCOPED_TRACE("the extension list running past the message");
    auto packet = client_hello_record();
    packet[89] = 0x7a;
    expect_error(packet, lp::errc::bad_length, 90, hello + "extensions.ClientHelloExtensions.list",
                 "bad length at byte 90: " + hello +
                     "extensions.ClientHelloExtensions.list (length), got 202");
  }
  {
    SCOPED_TRACE("the extension list shorter than its extensions");
    auto packet = client_hello_record();
    packet[89] = 0x78;  // cuts extended_master_secret: its length is past the list
    expect_error(packet, lp::errc::bad_length, 209,
                 hello + "extensions.ClientHelloExtensions.list[7].length");
  }
  {
    SCOPED_TRACE("a body shorter than its extension's data");
    auto packet = client_hello_record();
    packet[131] = 0x04;  // supported_versions length 4: its list needs 5 bytes
    expect_error(
        packet, lp::errc::bad_length, 133,
        hello + "extensions.ClientHelloExtensions.list[2].data.SupportedVersionList.versions");
  }
  {
    SCOPED_TRACE("a data block longer than its contents");
    auto packet = client_hello_record();
    packet[133 - 1] = 0x02;  // supported_versions list of one version in a 5-byte extension
    expect_error(packet, lp::errc::bad_length, 132,
                 hello + "extensions.ClientHelloExtensions.list[2].data");
  }
  {
    SCOPED_TRACE("a u24 message length larger than the record");
    auto packet = client_hello_record();
    packet[8] = 0xcb;
    expect_error(
        packet, lp::errc::bad_length, 9, "Record.fragment.HandshakeMessages.messages[0].body",
        "bad length at byte 9: Record.fragment.HandshakeMessages.messages[0].body (length), "
        "got 206");
  }
  {
    SCOPED_TRACE("the largest u24 message length");
    auto packet = client_hello_record();
    packet[6] = packet[7] = packet[8] = 0xff;
    expect_error(
        packet, lp::errc::bad_length, 9, "Record.fragment.HandshakeMessages.messages[0].body",
        "bad length at byte 9: Record.fragment.HandshakeMessages.messages[0].body (length), "
        "got 206");
  }
  {
    SCOPED_TRACE("a message length shorter than the hello");
    auto packet = client_hello_record();
    packet[8] = 0xc9;  // one byte less: the last message leaves a byte behind
    const auto record = tls::Record::parse(packet);
    ASSERT_FALSE(record);
    EXPECT_EQ(record.error().message(),
              "bad length at byte 90: " + hello +
                  "extensions.ClientHelloExtensions.list (length), got 201");
  }
  {
    SCOPED_TRACE("a record length larger than the buffer");
    auto packet = client_hello_record();
    packet[4] = 0xcf;
    const auto record = tls::Record::parse(packet);
    ASSERT_FALSE(record);
    EXPECT_EQ(record.error().message(), "truncated at byte 5: Record.fragment, 1 more byte needed");
  }
  {
    SCOPED_TRACE("a record length shorter than the message");
    auto packet = client_hello_record();
    packet[4] = 0xcd;
    expect_error(
        packet, lp::errc::bad_length, 9, "Record.fragment.HandshakeMessages.messages[0].body",
        "bad length at byte 9: Record.fragment.HandshakeMessages.messages[0].body (length), "
        "got 205");
  }
  {
    SCOPED_TRACE("an alert of three bytes");
    const std::vector<std::uint8_t> alert = {0x15, 0x03, 0x03, 0x00, 0x03, 0x02, 0x28, 0x00};
    expect_error(alert, lp::errc::bad_length, 5, "Record.fragment");
  }
  {
    SCOPED_TRACE("a server's supported_versions of three bytes");
    auto packet = server_hello_record();
    packet[84] = 0x03;
    const auto record = tls::Record::parse(packet);
    ASSERT_FALSE(record);
    EXPECT_EQ(record.error().field_path(),
              "Record.fragment.HandshakeMessages.messages[0].body.ServerHello.extensions."
              "ServerHelloExtensions.list[0].data")
        << record.error();
  }
}

TEST(TlsErrors, ZeroLengthExtensionsAndLists) {
  {
    SCOPED_TRACE("an empty extension list");
    auto packet = client_hello_record();
    packet.resize(90);
    packet[4] = 85;
    packet[8] = 81;
    packet[89] = 0;
    const auto record = tls::Record::parse(packet);
    ASSERT_TRUE(record) << record.error();
    const auto hello = client_hello_of(*record);
    ASSERT_TRUE(hello.has_extensions());
    EXPECT_EQ(hello.extensions()->list().size(), 0u);
    EXPECT_TRUE(hello.extensions()->list().begin() == hello.extensions()->list().end());
  }
  {
    SCOPED_TRACE("an empty server_name: its list length is missing");
    std::vector<std::uint8_t> packet = client_hello_record();
    packet.resize(94);
    packet[92] = packet[93] = 0;  // server_name, length 0
    packet[4] = 89;
    packet[8] = 85;
    packet[89] = 4;
    expect_error(packet, lp::errc::bad_length, 94,
                 "Record.fragment.HandshakeMessages.messages[0].body.ClientHello.extensions."
                 "ClientHelloExtensions.list[0].data.ServerNameList.length");
  }
  {
    SCOPED_TRACE("only empty extensions of unknown types");
    auto packet = client_hello_record();
    packet.resize(90);
    const std::vector<std::uint8_t> empties = {0x00, 0x17, 0x00, 0x00, 0xfe, 0xfe, 0x00, 0x00};
    packet.insert(packet.end(), empties.begin(), empties.end());
    packet[4] = 93;
    packet[8] = 89;
    packet[89] = 8;
    const auto record = tls::Record::parse(packet);
    ASSERT_TRUE(record) << record.error();
    const auto list = client_hello_of(*record).extensions()->list();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(static_cast<std::uint16_t>((*std::next(list.begin())).type()), 0xfefe);
    EXPECT_TRUE((*std::next(list.begin())).data_raw()->empty());
  }
}

TEST(TlsLimits, MaxElementsBoundsTheExtensionList) {
  const auto packet = client_hello_record();
  lp::ParseOptions options;
  options.max_elements = 7;  // the hello has 8 extensions
  const auto record = tls::Record::parse(packet, options);
  ASSERT_FALSE(record);
  EXPECT_EQ(record.error().code(), lp::errc::limit_exceeded) << record.error();
  EXPECT_EQ(record.error().field_path(),
            "Record.fragment.HandshakeMessages.messages[0].body.ClientHello.extensions."
            "ClientHelloExtensions.list")
      << record.error();
  options.max_elements = 8;
  EXPECT_TRUE(tls::Record::parse(packet, options));
}

TEST(TlsLimits, MaxDepthBoundsTheNesting) {
  // Record (0) > HandshakeMessages (1) > Handshake (2) > ClientHello (3) >
  // ClientHelloExtensions (4) > ClientHelloExtension (5) > ServerNameList (6) >
  // ServerName (7).
  const auto packet = client_hello_record();
  lp::ParseOptions options;
  options.max_depth = 6;
  const auto record = tls::Record::parse(packet, options);
  ASSERT_FALSE(record);
  EXPECT_EQ(record.error().code(), lp::errc::too_deep) << record.error();
  EXPECT_EQ(record.error().byte_offset(), 96u) << record.error();
  EXPECT_EQ(record.error().field_path().rfind(
                "Record.fragment.HandshakeMessages.messages[0].body.ClientHello.extensions."
                "ClientHelloExtensions.list[0].data.ServerNameList.names",
                0),
            0u)
      << record.error();
  options.max_depth = 7;
  EXPECT_TRUE(tls::Record::parse(packet, options));
}

TEST(TlsRecord, ParsesAtAnOddAddress) {
  const auto packet = client_hello_record();
  std::vector<std::uint8_t> shifted(packet.size() + 1);
  std::copy(packet.begin(), packet.end(), shifted.begin() + 1);
  const auto record = tls::Record::parse(lp::bytes(shifted.data() + 1, packet.size()));
  ASSERT_TRUE(record) << record.error();
  const auto hello = client_hello_of(*record);
  EXPECT_EQ(hello.cipher_suites()[3], raw(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
  EXPECT_EQ(hello.extensions()->list().front().data_server_name()->names().front().name(),
            "example.com");
}

TEST(TlsRecord, SettersWriteInPlace) {
  auto packet = client_hello_record();
  auto record = tls::Record::parse_mut(lp::mut_bytes(packet));
  ASSERT_TRUE(record) << record.error();
  record->set_legacy_version(ProtocolVersion::TLS1_2);
  EXPECT_EQ(packet[2], 0x03);
  auto hello = (*record->fragment_handshake_mut()->messages_mut().begin()).body_client_hello_mut();
  ASSERT_TRUE(hello);
  hello->set_legacy_version(ProtocolVersion::TLS1_3);
  EXPECT_EQ(packet[10], 0x04);
  hello->cipher_suites_mut().set(0, raw(CipherSuite::TLS_AES_256_GCM_SHA384));
  EXPECT_EQ(packet[79], 0x02);
  const auto reparsed = tls::Record::parse(packet);
  ASSERT_TRUE(reparsed) << reparsed.error();
  EXPECT_EQ(client_hello_of(*reparsed).legacy_version(), ProtocolVersion::TLS1_3);
}

TEST(TlsRecord, FormatsWithTheHostName) {
  const auto packet = client_hello_record();
  const auto record = tls::Record::parse(packet);
  ASSERT_TRUE(record);
  const std::string line = fmt::format("{}", *record);
  EXPECT_NE(line.find("\"example.com\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"http/1.1\""), std::string::npos) << line;
  EXPECT_NE(line.find("TLS_AES_128_GCM_SHA256"), std::string::npos) << line;
  const std::string json = fmt::format("{}", lp::json(*record));
  EXPECT_NE(json.find("\"content_type\""), std::string::npos) << json;
}

}  // namespace
