// `lpc dump` as a program: its output for files is what the generated views
// print for the same bytes (lp::json, "{:t}", the annotated hexdump), its
// errors are lp::Error's text, its exit status says which. Packets are built
// here byte by byte; the shared conformance captures (../shared/corpus, when
// present) are dumped as whole pcap and pcapng files.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"
#include "libparse/format.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "net/ipv4.lp.hpp"
#include "net/udp.lp.hpp"

namespace {

namespace fs = std::filesystem;

struct Dumped {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class LpcDump : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("lpc_dump_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::vector<std::byte>& data) const {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
    return p;
  }

  // `lpc dump -I schemas/ <args>`, stdout and stderr captured.
  Dumped dump(const std::string& args) const {
    const fs::path out = dir_ / "stdout";
    const fs::path err = dir_ / "stderr";
    const std::string command = fmt::format("'{}' dump -I '{}' {} >'{}' 2>'{}'", LP_LPC,
                                            LP_SCHEMAS_DIR, args, out.string(), err.string());
    const int raw = std::system(command.c_str());
    Dumped r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  static std::string schema(const char* path) {
    return fmt::format("'{}/{}'", LP_SCHEMAS_DIR, path);
  }

  fs::path dir_;
};

std::vector<std::byte> bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (const int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

// Ethernet, IPv4 (checksum not verified by parse()), UDP, DNS: one question for a.b A IN.
std::vector<std::byte> dns_frame() {
  return bytes_of({0x02, 0,    0,  0,   0, 1,  0x02, 0, 0,  0,  0, 2, 0x08, 0x00,  // Ethernet
                   0x45, 0,    0,  39,  0, 1,  0,    0, 64, 17, 0, 0, 10,   0,
                   0,    1,    10, 0,   0, 2,                          // IPv4
                   0x04, 0xd2, 0,  53,  0, 19, 0,    0,                // UDP
                   0x12, 0x34, 1,  0,   0, 1,  0,    0, 0,  0,  0, 0,  // DNS
                   1,    'a',  1,  'b', 0, 0,  1,    0, 1});
}

template <class View>
std::string expected_json(const std::vector<std::byte>& data) {
  const auto v = View::parse(lp::bytes(data.data(), data.size()));
  return v ? fmt::format("{}\n", lp::json(*v)) : v.error().message() + "\n";
}

TEST_F(LpcDump, JsonTreeAndHexAreTheGeneratedViewsText) {
  const auto frame = dns_frame();
  const fs::path f = write("frame.bin", frame);
  const auto view = net::EthernetView::parse(lp::bytes(frame.data(), frame.size()));
  ASSERT_TRUE(view) << view.error();

  const Dumped json =
      dump(schema("net/ethernet.lps") + " --type Ethernet --json '" + f.string() + "'");
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_EQ(json.out, expected_json<net::EthernetView>(frame));
  EXPECT_NE(json.out.find("\"udp\""), std::string::npos);  // it went down to UDP

  const Dumped tree =
      dump(schema("net/ethernet.lps") + " --type net.Ethernet '" + f.string() + "'");
  EXPECT_EQ(tree.status, 0) << tree.err;
  EXPECT_EQ(tree.out, fmt::format("{:t}\n", *view));

  const Dumped hex =
      dump(schema("net/ethernet.lps") + " --type Ethernet --hex '" + f.string() + "'");
  EXPECT_EQ(hex.status, 0) << hex.err;
  EXPECT_EQ(hex.out, fmt::format("{}\n", lp::annotated_hexdump(*view)));
}

TEST_F(LpcDump, ErrorsAreLpErrorText) {
  auto truncated = dns_frame();
  truncated.resize(50);  // inside the DNS header (the IPv4 length says more)
  auto bad_version = dns_frame();
  bad_version[14] = std::byte{0x55};
  for (const auto& data : {truncated, bad_version}) {
    const fs::path f = write("bad.bin", data);
    const Dumped r =
        dump(schema("net/ethernet.lps") + " --type Ethernet --json '" + f.string() + "'");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, expected_json<net::EthernetView>(data));
    EXPECT_NE(r.err.find(" at byte "), std::string::npos) << r.err;
  }
}

// --trace-errors: each level the error passes through, as an on_error handler
// given to the generated parse() sees it, then the error.
TEST_F(LpcDump, TraceErrorsPrintsWhatTheErrorHandlerSees) {
  auto truncated = dns_frame();
  truncated.resize(50);  // shorter than the IPv4 total length: Ipv4, then Ethernet
  std::string expected;
  lp::ParseOptions options;
  options.on_error_context = &expected;
  options.on_error = [](void* context, std::string_view type_name, std::string_view field,
                        const lp::Error& error) {
    *static_cast<std::string*>(context) += fmt::format(
        "  in {}, at {}: {}\n", type_name, field.empty() ? "-" : field, error.message());
  };
  const auto view =
      net::EthernetView::parse(lp::bytes(truncated.data(), truncated.size()), options);
  ASSERT_FALSE(view);
  expected += view.error().message() + "\n";
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 3);  // two levels and the error
  const fs::path f = write("bad.bin", truncated);
  const Dumped r =
      dump(schema("net/ethernet.lps") + " --type Ethernet --trace-errors '" + f.string() + "'");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, expected);
}

// The language of issue 22 (peek, string comparisons, count(), cstring[n]) through
// `lpc dump`: a BGP OPEN in its extended form, and one that ends where the peek reads.
TEST_F(LpcDump, PeekAndStringComparisonsOfTheDemoLanguage) {
  const std::string language =
      fmt::format("'{}/tests/codegen/backend/schemas/demo/language.lps'", LP_SOURCE_DIR);
  const fs::path open = write("open.bin", bytes_of({4, 0, 1, 0, 90, 1, 2, 3, 4, 255,  // header
                                                    255, 0, 4, 2, 0, 1, 9}));         // extended
  const Dumped r = dump(language + " --type BgpOpen --json '" + open.string() + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, R"({"version":4,"my_as":1,"hold_time":90,"bgp_id":16909060,"opt_len":255,)"
                   R"("next_type":255,"extended":{"marker":255,"length":4,"params":[{"type":2,)"
                   R"("length":1,"value":"09"}]}})"
                   "\n");
  const fs::path cut = write("cut.bin", bytes_of({4, 0, 1, 0, 90, 1, 2, 3, 4, 255}));
  const Dumped truncated = dump(language + " --type BgpOpen '" + cut.string() + "'");
  EXPECT_EQ(truncated.status, 1);
  EXPECT_EQ(truncated.err, "truncated at byte 10: BgpOpen.next_type, 1 more byte needed\n");

  const fs::path mqtt = write("mqtt.bin", bytes_of({0, 4, 'M', 'Q', 'T', 'T', 3, 0, 0, 0}));
  const Dumped level = dump(language + " --type MqttConnect '" + mqtt.string() + "'");
  EXPECT_EQ(level.status, 1);
  EXPECT_EQ(level.err,
            "constraint failed at byte 6: MqttConnect.level (protocol_name == \"MQTT\" ? level "
            ">= 4 : level == 3), got 3\n");
}

TEST_F(LpcDump, OffsetLengthArgumentsAndSeveralFiles) {
  auto padded = bytes_of({0xee, 0xee});
  const auto frame = dns_frame();
  padded.insert(padded.end(), frame.begin(), frame.end());
  const fs::path f = write("padded.bin", padded);
  const Dumped r =
      dump(schema("net/dns.lps") + " --type Dns --json --offset 44 '" + f.string() + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, expected_json<net::DnsView>({frame.begin() + 42, frame.end()}));

  const Dumped cut =
      dump(schema("net/dns.lps") + " --type Dns --offset 44 --length 13 '" + f.string() + "'");
  EXPECT_EQ(cut.status, 1);
  EXPECT_EQ(cut.err, expected_json<net::DnsView>({frame.begin() + 42, frame.begin() + 55}));

  // A parameterised type: DnsPointer(high: u6).
  const fs::path p = write("pointer.bin", bytes_of({5}));
  const Dumped arg = dump(schema("net/dns.lps") + " --type DnsPointer --json --arg high=1 '" +
                          p.string() + "' '" + p.string() + "'");
  EXPECT_EQ(arg.status, 0) << arg.err;
  EXPECT_EQ(arg.out, "{\"low\":5,\"offset\":261}\n{\"low\":5,\"offset\":261}\n");
}

TEST_F(LpcDump, VerifyChecksumsIsTheViewsVerifyChecksums) {
  const auto frame = dns_frame();
  std::vector<std::byte> ip(frame.begin() + 14, frame.end());  // checksum 0: wrong
  const fs::path f = write("ip.bin", ip);
  const auto view = net::Ipv4View::parse(lp::bytes(ip.data(), ip.size()));
  ASSERT_TRUE(view);
  const lp::Status sums = view->verify_checksums();
  ASSERT_FALSE(sums);
  const std::string args = schema("net/ipv4.lps") + " --type Ipv4 --json '" + f.string() + "'";
  EXPECT_EQ(dump(args).status, 0);  // parse() alone does not look
  const Dumped checked = dump(args + " --verify-checksums");
  EXPECT_EQ(checked.status, 1);
  EXPECT_EQ(checked.err, sums.error().message() + "\n");
}

// A pseudo-header checksum (UDP's) verified with the sum --pseudo-header gives,
// as the view's verify_checksums(pseudo_header) verifies it: the IPv4 and IPv6
// forms build the pseudo-header of a segment as long as the bytes parsed, the
// hex form sums the bytes as given.
TEST_F(LpcDump, PseudoHeaderChecksumsAreVerifiedWithTheSumGiven) {
  const auto frame = dns_frame();
  // The UDP datagram, 10.0.0.1 -> 10.0.0.2, cut to its length field (19 bytes).
  std::vector<std::byte> udp(frame.begin() + 34, frame.begin() + 34 + 19);
  const std::array<std::byte, 4> src{std::byte{10}, std::byte{0}, std::byte{0}, std::byte{1}};
  const std::array<std::byte, 4> dst{std::byte{10}, std::byte{0}, std::byte{0}, std::byte{2}};
  const lp::InternetChecksum v4 =
      lp::ipv4_pseudo_header(lp::bytes(src.data(), 4), lp::bytes(dst.data(), 4), 17, 19);
  const auto parsed = net::UdpView::parse(lp::bytes(udp.data(), udp.size()));
  ASSERT_TRUE(parsed) << parsed.error();
  const lp::Result<std::uint16_t> right = parsed->checksum_expected(v4);
  ASSERT_TRUE(right);
  const auto put_checksum = [&udp](std::uint16_t sum) {
    udp[6] = static_cast<std::byte>(sum >> 8);
    udp[7] = static_cast<std::byte>(sum & 0xff);
  };
  const std::string udp_args = schema("net/udp.lps") + " --type Udp --json --verify-checksums ";
  const std::vector<std::string> same_sum = {"--pseudo-header ipv4:10.0.0.1,10.0.0.2,17",
                                             "--pseudo-header hex:0a0000010a00000200110013"};

  put_checksum(*right);
  fs::path f = write("udp.bin", udp);
  for (const std::string& spec : same_sum) {
    const Dumped good = dump(udp_args + spec + " '" + f.string() + "'");
    EXPECT_EQ(good.status, 0) << spec << ": " << good.err;
    EXPECT_EQ(good.out, expected_json<net::UdpView>(udp));
  }

  put_checksum(static_cast<std::uint16_t>(*right + 1));
  f = write("udp.bin", udp);
  const auto wrong = net::UdpView::parse(lp::bytes(udp.data(), udp.size()));
  ASSERT_TRUE(wrong);
  const lp::Status refused = wrong->verify_checksums(v4);
  ASSERT_FALSE(refused);
  for (const std::string& spec : same_sum) {
    const Dumped bad = dump(udp_args + spec + " '" + f.string() + "'");
    EXPECT_EQ(bad.status, 1) << spec;
    EXPECT_EQ(bad.err, refused.error().message() + "\n") << spec;
  }

  // IPv6: 2001:db8::1 -> 2001:db8::2, the same segment.
  std::array<std::byte, 16> src6{};
  std::array<std::byte, 16> dst6{};
  for (auto* a : {&src6, &dst6}) {
    (*a)[0] = std::byte{0x20};
    (*a)[1] = std::byte{0x01};
    (*a)[2] = std::byte{0x0d};
    (*a)[3] = std::byte{0xb8};
  }
  src6[15] = std::byte{1};
  dst6[15] = std::byte{2};
  const lp::Status v6 = wrong->verify_checksums(
      lp::ipv6_pseudo_header(lp::bytes(src6.data(), 16), lp::bytes(dst6.data(), 16), 19, 17));
  const Dumped six =
      dump(udp_args + "--pseudo-header ipv6:2001:db8::1,2001:db8::2,17 '" + f.string() + "'");
  EXPECT_EQ(six.status, v6 ? 0 : 1);
  EXPECT_EQ(six.err, v6 ? std::string() : v6.error().message() + "\n");

  // Malformed specs, and a pseudo-header without --verify-checksums, are usage errors.
  for (const char* spec : {"ipv4:10.0.0.1,10.0.0.2", "ipv4:10.0.0.1,nope,17",
                           "ipv4:10.0.0.1,10.0.0.2,256", "hex:0a0", "hex:zz", "ipx:1,2,3"}) {
    EXPECT_EQ(dump(udp_args + "--pseudo-header " + spec + " '" + f.string() + "'").status, 2)
        << spec;
  }
  EXPECT_EQ(dump(schema("net/udp.lps") + " --type Udp --pseudo-header hex:00 '" + f.string() + "'")
                .status,
            2);
}

// --follow-references: a DNS answer whose name is a compression pointer to the
// question's name, followed as DnsPointerView::target(chain) follows it (the
// target's tree is DnsName's parse() at that byte); a forward pointer is the
// chain's error, and the exit status says the file was not accepted.
TEST_F(LpcDump, ReferencesAreFollowedAsTheirAccessorFollowsThem) {
  auto message = bytes_of({0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0,  0, 0,  // header
                           1,    'a',  1,    'b',  0, 0, 1, 0, 1,            // a.b A IN
                           0xc0, 12,   0,    1,    0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1});
  const auto view = net::DnsView::parse(lp::bytes(message.data(), message.size()));
  ASSERT_TRUE(view) << view.error();
  const auto name =
      net::DnsNameView::parse(lp::bytes(message.data(), message.size()).drop_first(12));
  ASSERT_TRUE(name);
  const std::string indented = [&] {
    std::string out;
    std::istringstream lines(fmt::format("{:t}", *name));
    for (std::string line; std::getline(lines, line);) out += "    " + line + "\n";
    return out;
  }();
  fs::path f = write("dns.bin", message);
  const std::string args = schema("net/dns.lps") + " --type Dns --follow-references '";
  const Dumped followed = dump(args + f.string() + "'");
  EXPECT_EQ(followed.status, 0) << followed.err;
  EXPECT_EQ(followed.out, fmt::format("{:t}\n", *view) + "references:\n" +
                              "  Dns.answers[0].name.labels[0].pointer.target -> byte 12:\n" +
                              indented)
      << followed.out;

  // A pointer to its own byte (22): the error DnsPointerView::target() returns.
  message[22] = std::byte{22};
  f = write("dns.bin", message);
  const Dumped forward = dump(args + f.string() + "'");
  EXPECT_EQ(forward.status, 1);
  EXPECT_NE(forward.out.find("  Dns.answers[0].name.labels[0].pointer.target: bad pointer at "
                             "byte 22: DnsPointer.target (points forward or at itself), got 22\n"),
            std::string::npos)
      << forward.out;
  // A pointer to the label holding it (byte 21): followed once, then the
  // target's own pointer, on the same chain, is a loop.
  message[22] = std::byte{21};
  f = write("dns.bin", message);
  const Dumped loop = dump(args + f.string() + "'");
  EXPECT_EQ(loop.status, 1);
  EXPECT_NE(loop.out.find("  Dns.answers[0].name.labels[0].pointer.target -> byte 21:\n"),
            std::string::npos)
      << loop.out;
  EXPECT_NE(loop.out.find("    DnsName.labels[0].pointer.target: bad pointer at byte 22: "
                          "DnsPointer.target (does not point before the previous target (a "
                          "loop)), got 21\n"),
            std::string::npos)
      << loop.out;
  EXPECT_EQ(
      dump(schema("net/dns.lps") + " --type Dns --json --follow-references '" + f.string() + "'")
          .status,
      2);
}

TEST_F(LpcDump, UsageAndSchemaErrorsExitWithTwo) {
  const fs::path f = write("x.bin", bytes_of({1, 2}));
  const std::string file = " '" + f.string() + "'";
  EXPECT_EQ(dump(schema("net/dns.lps") + " --type Nope" + file).status, 2);
  EXPECT_EQ(dump(schema("net/dns.lps") + file).status, 2);  // no --type
  EXPECT_EQ(dump(schema("net/dns.lps") + " --type Dns --json --hex" + file).status, 2);
  EXPECT_EQ(dump(schema("net/dns.lps") + " --type Dns --offset 3" + file).status, 2);
  EXPECT_EQ(
      dump(schema("net/dns.lps") + " --type Dns '" + (dir_ / "missing").string() + "'").status, 2);
  const Dumped no_arg = dump(schema("net/dns.lps") + " --type DnsPointer" + file);
  EXPECT_EQ(no_arg.status, 2);
  EXPECT_NE(no_arg.err.find("'high'"), std::string::npos) << no_arg.err;
  EXPECT_EQ(dump(schema("net/dns.lps") + " --type DnsPointer --arg high=64" + file).status, 2);
  EXPECT_EQ(dump(schema("net/dns.lps") + " --type DnsPointer --arg high" + file).status, 2);
  // A pseudo-header checksum cannot be verified alone: asking says so, naming the line.
  const Dumped sums = dump(schema("net/udp.lps") + " --type Udp --verify-checksums" + file);
  EXPECT_EQ(sums.status, 2);
  EXPECT_NE(sums.err.find("net/udp.lps:12"), std::string::npos) << sums.err;
  EXPECT_NE(sums.err.find("pseudo-header"), std::string::npos) << sums.err;
  EXPECT_NE(sums.err.find("--pseudo-header"), std::string::npos) << sums.err;
}

// Whole capture files of the shared conformance corpus, as PcapFile / PcapngFile:
// one `lpc dump` per format (each run compiles the schema), every file on its
// command line: accepted files' JSON lines on stdout, rejected files'
// "FILE: error" lines on stderr, each in command-line order.
TEST_F(LpcDump, SharedCorpusCaptures) {
  const fs::path corpus = fs::path(LP_SOURCE_DIR) / ".." / "shared" / "corpus";
  if (!fs::is_directory(corpus)) GTEST_SKIP() << "no shared corpus at " << corpus;
  std::size_t files = 0;
  for (const bool ng : {false, true}) {
    std::string args;
    std::string expected_out;
    std::string expected_err;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || ext != (ng ? ".pcapng" : ".pcap")) continue;
      if (entry.file_size() > 256 * 1024) continue;  // keep the test cheap
      paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path& path : paths) {
      const std::string data = slurp(path);
      const std::vector<std::byte> bytes(
          reinterpret_cast<const std::byte*>(data.data()),
          reinterpret_cast<const std::byte*>(data.data() + data.size()));
      const std::string expected = ng ? expected_json<capture::PcapngFileView>(bytes)
                                      : expected_json<capture::PcapFileView>(bytes);
      if (expected.front() == '{') {
        expected_out += expected;
      } else {
        expected_err += path.string() + ": " + expected;
      }
      args += " '" + path.string() + "'";
    }
    ASSERT_GT(paths.size(), 1u);
    const Dumped r = dump(schema(ng ? "capture/pcapng.lps" : "capture/pcap.lps") +
                          (ng ? " --type PcapngFile" : " --type PcapFile") + " --json" + args);
    EXPECT_EQ(r.status, expected_err.empty() ? 0 : 1);
    EXPECT_EQ(r.out, expected_out);
    EXPECT_EQ(r.err, expected_err);
    files += paths.size();
  }
  EXPECT_GT(files, 10u);
}

}  // namespace
