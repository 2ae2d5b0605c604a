// tls/tls.lps on real handshakes: ../shared/corpus/local/lo_tls.pcap (openssl
// s_client against s_server on loopback: TLS 1.2, TLS 1.3, over IPv4 and IPv6),
// read at test time and never copied into the repository. The expected values
// are tshark's dissection of the same frames. Skipped when the corpus is absent.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <libparse/mapped_file.hpp>

#include "libparse/format.hpp"
#include "net/ethernet.lp.hpp"
#include "tls/tls.lp.hpp"

namespace {

using tls::CipherSuite;
using tls::ExtensionType;

// Arrays of an enum hold the raw integers.
template <class Enum>
constexpr std::underlying_type_t<Enum> raw(Enum value) {
  return static_cast<std::underlying_type_t<Enum>>(value);
}

const std::string capture_path = std::string(LP_SHARED_CORPUS_DIR) + "/local/lo_tls.pcap";

// The TCP payload of every frame (empty when the frame carries none), in file
// order: frame n is payloads[n - 1]. The bytes point into `file`.
std::vector<lp::bytes> tcp_payloads(const lp::mapped_file& file) {
  std::vector<lp::bytes> out;
  const lp::bytes data = file.bytes();
  // Little-endian microsecond pcap: a 24-byte file header, then 16-byte record
  // headers whose third word is the captured length.
  std::size_t offset = 24;
  while (offset + 16 <= data.size()) {
    const std::size_t captured = data.u8(offset + 8) | (data.u8(offset + 9) << 8) |
                                 (data.u8(offset + 10) << 16) |
                                 (static_cast<std::size_t>(data.u8(offset + 11)) << 24);
    if (offset + 16 + captured > data.size()) break;
    const lp::bytes frame = data.slice(offset + 16, captured);
    offset += 16 + captured;
    lp::bytes payload;
    if (const auto eth = net::Ethernet::parse(frame)) {
      if (const auto ip = eth->payload_ipv4()) {
        if (const auto tcp = ip->payload_tcp()) payload = tcp->payload();
      } else if (const auto ip6 = eth->payload_ipv6()) {
        if (const auto tcp = ip6->payload_tcp()) payload = tcp->payload();
      }
    }
    out.push_back(payload);
  }
  return out;
}

// The records a TCP payload holds whole, each as plaintext Record when it
// parses as one, and as OpaqueRecord always.
struct Records {
  std::vector<tls::OpaqueRecordView> opaque;
  std::vector<lp::Result<tls::RecordView>> plain;
};

Records records_of(lp::bytes payload) {
  Records out;
  while (!payload.empty()) {
    const auto opaque = tls::OpaqueRecord::parse(payload);
    if (!opaque) break;  // a record continued in the next segment
    out.opaque.push_back(*opaque);
    out.plain.push_back(tls::Record::parse(opaque->bytes()));
    payload = payload.drop_first(opaque->size());
  }
  return out;
}

class TlsCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(capture_path)) {
      GTEST_SKIP() << "no " << capture_path << " (the shared corpus is not checked out)";
    }
    auto mapped = lp::mapped_file::open(capture_path);
    ASSERT_TRUE(mapped) << mapped.error();
    file_ = std::move(*mapped);
    payloads_ = tcp_payloads(file_);
    ASSERT_EQ(payloads_.size(), 131u);
  }

  // The only handshake message of frame n's first record.
  tls::HandshakeView first_message(std::size_t frame) const {
    const auto records = records_of(payloads_[frame - 1]);
    EXPECT_FALSE(records.plain.empty());
    if (records.plain.empty() || !records.plain[0]) return {};
    const auto handshake = records.plain[0]->fragment_handshake();
    EXPECT_TRUE(handshake);
    return handshake->messages().front();
  }

  lp::mapped_file file_;
  std::vector<lp::bytes> payloads_;
};

std::vector<std::uint16_t> client_extension_types(const tls::ClientHelloView& hello) {
  std::vector<std::uint16_t> out;
  for (const auto extension : hello.extensions()->list()) {
    out.push_back(static_cast<std::uint16_t>(extension.type()));
  }
  return out;
}

std::string host_name(const tls::ClientHelloView& hello) {
  for (const auto extension : hello.extensions()->list()) {
    if (const auto sni = extension.data_server_name()) {
      return std::string(sni->names().front().name());
    }
  }
  return "";
}

TEST_F(TlsCapture, Tls12ClientHello) {
  const auto message = first_message(4);
  ASSERT_EQ(message.msg_type(), tls::HandshakeType::CLIENT_HELLO);
  EXPECT_EQ(message.length(), 205u);
  const auto hello = *message.body_client_hello();
  const auto suites = hello.cipher_suites();
  ASSERT_EQ(suites.size(), 28u);
  EXPECT_EQ(suites[0], raw(CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384));
  EXPECT_EQ(suites[5], 0xccaa);  // no name in the enum
  EXPECT_EQ(suites[27], raw(CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV));
  EXPECT_EQ(client_extension_types(hello), (std::vector<std::uint16_t>{0, 11, 10, 35, 22, 23, 13}));
  EXPECT_EQ(host_name(hello), "tls12.oracle.test");
}

TEST_F(TlsCapture, Tls12ServerFlightInFourRecords) {
  const auto records = records_of(payloads_[6 - 1]);
  ASSERT_EQ(records.plain.size(), 4u);
  const std::vector<tls::HandshakeType> types = {
      tls::HandshakeType::SERVER_HELLO, tls::HandshakeType::CERTIFICATE,
      tls::HandshakeType::SERVER_KEY_EXCHANGE, tls::HandshakeType::SERVER_HELLO_DONE};
  const std::vector<std::uint32_t> lengths = {61, 830, 296, 0};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(records.plain[i]) << records.plain[i].error();
    const auto messages = records.plain[i]->fragment_handshake()->messages();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages.front().msg_type(), types[i]);
    EXPECT_EQ(messages.front().length(), lengths[i]);
  }
  const auto hello =
      *records.plain[0]->fragment_handshake()->messages().front().body_server_hello();
  EXPECT_EQ(hello.cipher_suite(), CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
  std::vector<std::uint16_t> extension_types;
  for (const auto extension : hello.extensions()->list()) {
    extension_types.push_back(static_cast<std::uint16_t>(extension.type()));
  }
  EXPECT_EQ(extension_types, (std::vector<std::uint16_t>{65281, 11, 35, 23}));
}

TEST_F(TlsCapture, Tls13ClientHello) {
  const auto hello = *first_message(21).body_client_hello();
  ASSERT_EQ(hello.cipher_suites().size(), 4u);
  EXPECT_EQ(hello.cipher_suites()[0], raw(CipherSuite::TLS_AES_256_GCM_SHA384));
  EXPECT_EQ(hello.cipher_suites()[3], raw(CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV));
  EXPECT_EQ(client_extension_types(hello),
            (std::vector<std::uint16_t>{0, 11, 10, 35, 22, 23, 13, 43, 45, 51}));
  EXPECT_EQ(host_name(hello), "tls13.oracle.test");
  for (const auto extension : hello.extensions()->list()) {
    if (const auto versions = extension.data_supported_versions()) {
      ASSERT_EQ(versions->versions().size(), 1u);
      EXPECT_EQ(versions->versions()[0], raw(tls::ProtocolVersion::TLS1_3));
    }
    if (const auto groups = extension.data_supported_groups()) {
      ASSERT_EQ(groups->groups().size(), 10u);
      EXPECT_EQ(groups->groups()[0], raw(tls::NamedGroup::X25519));
      EXPECT_EQ(groups->groups()[9], raw(tls::NamedGroup::FFDHE8192));
    }
    if (const auto shares = extension.data_key_share()) {
      ASSERT_EQ(shares->shares().size(), 1u);
      EXPECT_EQ(shares->shares().front().group(), tls::NamedGroup::X25519);
      EXPECT_EQ(shares->shares().front().key_exchange().size(), 32u);
    }
  }
}

TEST_F(TlsCapture, Tls13ServerHelloThenEncryptedRecords) {
  const auto records = records_of(payloads_[23 - 1]);
  ASSERT_EQ(records.plain.size(), 6u);
  for (const auto& record : records.plain) ASSERT_TRUE(record) << record.error();
  const auto hello =
      *records.plain[0]->fragment_handshake()->messages().front().body_server_hello();
  EXPECT_EQ(hello.cipher_suite(), CipherSuite::TLS_AES_256_GCM_SHA384);
  const auto extensions = hello.extensions()->list();
  ASSERT_EQ(extensions.size(), 2u);
  EXPECT_EQ(extensions.front().data_supported_version(), tls::ProtocolVersion::TLS1_3);
  const auto share = (*std::next(extensions.begin())).data_key_share();
  ASSERT_TRUE(share);
  EXPECT_EQ(share->group(), tls::NamedGroup::X25519);
  EXPECT_EQ(share->key_exchange()->size(), 32u);
  EXPECT_EQ(records.plain[1]->content_type(), tls::ContentType::CHANGE_CIPHER_SPEC);
  const std::vector<std::uint16_t> lengths = {23, 854, 281, 69};
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    EXPECT_EQ(records.plain[i + 2]->content_type(), tls::ContentType::APPLICATION_DATA);
    EXPECT_EQ(records.plain[i + 2]->fragment_application_data()->size(), lengths[i]);
  }
}

TEST_F(TlsCapture, OverIpv6) {
  EXPECT_EQ(host_name(*first_message(59).body_client_hello()), "v6.oracle.test");
}

// Every whole record of the capture: the plaintext ones parse as Record; the
// only ones that do not are TLS 1.2's encrypted Finished messages and alerts,
// which keep their content type, and they still parse as OpaqueRecord.
TEST_F(TlsCapture, EveryRecord) {
  std::size_t plain = 0;
  std::size_t encrypted = 0;
  for (std::size_t frame = 1; frame <= payloads_.size(); ++frame) {
    const auto records = records_of(payloads_[frame - 1]);
    for (std::size_t i = 0; i < records.plain.size(); ++i) {
      if (records.plain[i]) {
        ++plain;
        continue;
      }
      ++encrypted;
      SCOPED_TRACE(fmt::format("frame {} record {}: {}", frame, i, records.plain[i].error()));
      const auto type = records.opaque[i].content_type();
      EXPECT_TRUE(type == tls::ContentType::HANDSHAKE || type == tls::ContentType::ALERT);
      const auto code = records.plain[i].error().code();
      EXPECT_TRUE(code == lp::errc::bad_length || code == lp::errc::truncated) << code;
    }
  }
  // Frames 8, 9, 82 and 83 end with an encrypted Finished, 12, 14, 86 and 88
  // are encrypted close_notify alerts.
  EXPECT_EQ(plain, 97u);
  EXPECT_EQ(encrypted, 8u);
}

}  // namespace
