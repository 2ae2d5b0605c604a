// examples/lpdns/server.{hpp,cpp}: the sockets, threads and TCP handling of
// lpdns, driven over loopback from this process: UDP replies and no heap
// allocation per query, IPv6, TCP with several queries per connection,
// pipelining, byte-by-byte queries, a client that does not read, the idle
// timeout, the connection limit, and never answering a response.
// (What the answers contain is answer()'s business: tests/lpdns/answer_test.cpp
// and the comparison with Knot, tests/lpdns/compare.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "alloc_counter.hpp"
#include "server.hpp"
#include "zone.hpp"

namespace {

using namespace std::chrono_literals;

constexpr const char* test_zone = R"($ORIGIN test.
$TTL 300
@    SOA  ns.test. hostmaster.test. 1 7200 3600 1209600 300
@    NS   ns
ns   A    192.0.2.1
www  A    192.0.2.2
big  TXT  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
big  TXT  "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
)";

// The test zone, loaded once for the whole suite.
const lpdns::Zone& zone() {
  static const lpdns::Zone loaded = [] {
    // huge: 16 TXT records of 250 bytes, a 4 KB answer.
    std::string text = test_zone;
    for (int i = 0; i < 16; ++i)
      text += "huge TXT \"" + std::to_string(i + 10) + std::string(248, 'x') + "\"\n";
    auto z = lpdns::load_zone_text(text, "server_test.zone", "test.");
    if (!z) throw std::runtime_error(z.error().to_string());
    return std::move(*z);
  }();
  return loaded;
}

// A query for `name` (dotted, no trailing dot) and `qtype`; `flags` is the
// header's second and third bytes (0x8000: QR, a response).
std::vector<std::uint8_t> query(std::uint16_t id, const std::string& name, std::uint16_t qtype = 1,
                                std::uint16_t flags = 0) {
  std::vector<std::uint8_t> q = {static_cast<std::uint8_t>(id >> 8),
                                 static_cast<std::uint8_t>(id),
                                 static_cast<std::uint8_t>(flags >> 8),
                                 static_cast<std::uint8_t>(flags),
                                 0,
                                 1,
                                 0,
                                 0,
                                 0,
                                 0,
                                 0,
                                 0};
  std::size_t start = 0;
  while (start < name.size()) {
    const std::size_t dot = std::min(name.find('.', start), name.size());
    q.push_back(static_cast<std::uint8_t>(dot - start));
    q.insert(q.end(), name.begin() + static_cast<long>(start),
             name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  q.insert(q.end(),
           {0, static_cast<std::uint8_t>(qtype >> 8), static_cast<std::uint8_t>(qtype), 0, 1});
  return q;
}

std::uint16_t id_of(const std::uint8_t* message) {
  return static_cast<std::uint16_t>(message[0] << 8 | message[1]);
}
int rcode_of(const std::uint8_t* message) { return message[3] & 0x0F; }
bool qr_of(const std::uint8_t* message) { return (message[2] & 0x80) != 0; }

std::vector<std::uint8_t> framed(const std::vector<std::uint8_t>& message) {
  // Built by reserve and push_back: g++ 12 sees a false -Warray-bounds in
  // inserting after a two-element initializer list.
  std::vector<std::uint8_t> f;
  f.reserve(2 + message.size());
  f.push_back(static_cast<std::uint8_t>(message.size() >> 8));
  f.push_back(static_cast<std::uint8_t>(message.size()));
  f.insert(f.end(), message.begin(), message.end());
  return f;
}

bool readable(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, static_cast<int>(wait.count())) == 1;
}

bool send_all(int fd, const std::vector<std::uint8_t>& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Exactly `n` bytes, or nullopt when the peer closed or `wait` passed first.
std::optional<std::vector<std::uint8_t>> recv_exact(int fd, std::size_t n,
                                                    std::chrono::milliseconds wait) {
  std::vector<std::uint8_t> data(n);
  std::size_t got = 0;
  while (got < n) {
    if (!readable(fd, wait)) return std::nullopt;
    const ssize_t r = recv(fd, data.data() + got, n - got, 0);
    if (r <= 0) return std::nullopt;
    got += static_cast<std::size_t>(r);
  }
  return data;
}

// One DNS-over-TCP message (without its length prefix).
std::optional<std::vector<std::uint8_t>> recv_message(int fd, std::chrono::milliseconds wait = 2s) {
  const auto prefix = recv_exact(fd, 2, wait);
  if (!prefix) return std::nullopt;
  return recv_exact(fd, static_cast<std::size_t>((*prefix)[0] << 8 | (*prefix)[1]), wait);
}

// True when the peer closes the connection within `wait` (data before the
// close is read and dropped).
bool closed_within(int fd, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::array<std::uint8_t, 4096> sink{};
  while (std::chrono::steady_clock::now() < deadline) {
    if (!readable(fd, 50ms)) continue;
    const ssize_t r = recv(fd, sink.data(), sink.size(), 0);
    if (r <= 0) return true;
  }
  return false;
}

// A server on loopback, on a port the kernel picks, until the test ends.
class LpdnsServerTest : public ::testing::Test {
 protected:
  void start(lpdns::ServerOptions options = {}) {
    options.addresses = {address_};
    options.port = 0;
    server_.emplace(zone(), options);
    server_->start();
  }

  void TearDown() override {
    if (server_) {
      server_->stop();
      stats_ = server_->wait();
    }
  }

  lpdns::Endpoint endpoint() const { return lpdns::Endpoint::parse(address_, server_->port()); }

  // A client socket connected to the server; `receive_buffer` (bytes) set
  // before connecting when not 0.
  lpdns::Fd connected(int type, int receive_buffer = 0) const {
    const lpdns::Endpoint to = endpoint();
    lpdns::Fd fd(socket(to.family(), type | SOCK_CLOEXEC, 0));
    if (receive_buffer != 0)
      setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    EXPECT_EQ(connect(fd.get(), reinterpret_cast<const sockaddr*>(&to.address), to.length), 0)
        << std::strerror(errno);
    if (type == SOCK_STREAM) {
      const int on = 1;
      setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return fd;
  }

  // The reply to one UDP query, or nullopt after `wait`.
  static std::optional<std::vector<std::uint8_t>> ask_udp(int fd,
                                                          const std::vector<std::uint8_t>& q,
                                                          std::chrono::milliseconds wait = 2s) {
    if (send(fd, q.data(), q.size(), 0) != static_cast<ssize_t>(q.size())) return std::nullopt;
    if (!readable(fd, wait)) return std::nullopt;
    std::vector<std::uint8_t> reply(65535);
    const ssize_t n = recv(fd, reply.data(), reply.size(), 0);
    if (n < 0) return std::nullopt;
    reply.resize(static_cast<std::size_t>(n));
    return reply;
  }

  std::string address_ = "127.0.0.1";
  std::optional<lpdns::Server> server_;
  lpdns::ServerStats stats_;
};

TEST_F(LpdnsServerTest, UdpAnswersEachQueryWithItsId) {
  start();
  const lpdns::Fd fd = connected(SOCK_DGRAM);
  for (const std::uint16_t id : {std::uint16_t{1}, std::uint16_t{0x1234}, std::uint16_t{0xFFFF}}) {
    const auto reply = ask_udp(fd.get(), query(id, "www.test"));
    ASSERT_TRUE(reply);
    ASSERT_GE(reply->size(), 12u);
    EXPECT_EQ(id_of(reply->data()), id);
    EXPECT_TRUE(qr_of(reply->data()));
    EXPECT_EQ(rcode_of(reply->data()), 0);
  }
}

TEST_F(LpdnsServerTest, UdpAllocatesNothingPerQuery) {
  start();
  const lpdns::Fd fd = connected(SOCK_DGRAM);
  const auto q = query(7, "www.test");
  std::vector<std::uint8_t> reply(65535);
  auto ask_burst = [&](int count) {
    // Bursts of queries in flight together: the server takes them in batches.
    for (int i = 0; i < count; ++i)
      ASSERT_EQ(send(fd.get(), q.data(), q.size(), 0), static_cast<ssize_t>(q.size()));
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(readable(fd.get(), 2s)) << "reply " << i << " missing";
      ASSERT_GT(recv(fd.get(), reply.data(), reply.size(), 0), 0);
    }
  };
  ask_burst(50);  // start-up is over once the first queries were answered
  const std::uint64_t before = lp_bench::heap_allocations();
  for (int round = 0; round < 40; ++round) ask_burst(50);
  EXPECT_EQ(lp_bench::heap_allocations() - before, 0u) << "heap allocations for 2000 UDP queries";
}

TEST_F(LpdnsServerTest, UdpNeverAnswersAResponse) {
  start();
  const lpdns::Fd fd = connected(SOCK_DGRAM);
  EXPECT_FALSE(ask_udp(fd.get(), query(1, "www.test", 1, 0x8000), 300ms));
  EXPECT_FALSE(ask_udp(fd.get(), std::vector<std::uint8_t>{0, 1, 0, 0, 0}, 300ms));
  const auto reply = ask_udp(fd.get(), query(2, "www.test"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(id_of(reply->data()), 2);
}

TEST_F(LpdnsServerTest, ServesIpv6) {
  if (lpdns::Fd probe(socket(AF_INET6, SOCK_DGRAM, 0)); !probe) GTEST_SKIP() << "no IPv6 here";
  address_ = "::1";
  try {
    start();
  } catch (const std::system_error& e) {
    GTEST_SKIP() << "cannot bind ::1: " << e.what();
  }
  const lpdns::Fd udp = connected(SOCK_DGRAM);
  const auto reply = ask_udp(udp.get(), query(6, "www.test"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(id_of(reply->data()), 6);
  const lpdns::Fd tcp = connected(SOCK_STREAM);
  ASSERT_TRUE(send_all(tcp.get(), framed(query(7, "www.test"))));
  const auto tcp_reply = recv_message(tcp.get());
  ASSERT_TRUE(tcp_reply);
  EXPECT_EQ(id_of(tcp_reply->data()), 7);
}

TEST_F(LpdnsServerTest, SeveralThreadsShareOnePort) {
  lpdns::ServerOptions options;
  options.threads = 3;
  start(options);
  // Each new socket has a new source port, which SO_REUSEPORT hashes to some worker.
  for (std::uint16_t i = 0; i < 30; ++i) {
    const lpdns::Fd fd = connected(SOCK_DGRAM);
    const auto reply = ask_udp(fd.get(), query(i, "www.test"));
    ASSERT_TRUE(reply) << "query " << i;
    EXPECT_EQ(id_of(reply->data()), i);
  }
}

TEST_F(LpdnsServerTest, DatagramsOfOneClientAreSpreadOverTheWorkers) {
  lpdns::ServerOptions options;
  options.threads = 2;
  start(options);
  // One client socket: hashing its address and port would send everything
  // to one worker.
  const lpdns::Fd fd = connected(SOCK_DGRAM);
  for (std::uint16_t i = 0; i < 400; ++i) ASSERT_TRUE(ask_udp(fd.get(), query(i, "www.test")));
  server_->stop();
  stats_ = server_->wait();
  const auto& workers = server_->worker_stats();
  ASSERT_EQ(workers.size(), 2u);
  // Each gets about 200; 100 is more than 10 standard deviations away.
  for (const lpdns::ServerStats& w : workers) EXPECT_GT(w.udp_queries, 100u);
  server_.reset();
}

TEST_F(LpdnsServerTest, TcpAnswersSeveralQueriesOnOneConnection) {
  start();
  const lpdns::Fd fd = connected(SOCK_STREAM);
  for (std::uint16_t id = 1; id <= 5; ++id) {
    ASSERT_TRUE(
        send_all(fd.get(), framed(query(id, id % 2 ? "www.test" : "big.test", id % 2 ? 1 : 16))));
    const auto reply = recv_message(fd.get());
    ASSERT_TRUE(reply) << "query " << id;
    EXPECT_EQ(id_of(reply->data()), id);
    EXPECT_TRUE(qr_of(reply->data()));
  }
}

TEST_F(LpdnsServerTest, TcpAnswersPipelinedQueriesSentInOneWrite) {
  start();
  const lpdns::Fd fd = connected(SOCK_STREAM);
  std::vector<std::uint8_t> burst;
  for (std::uint16_t id = 1; id <= 20; ++id) {
    const auto f = framed(query(id, "www.test"));
    burst.insert(burst.end(), f.begin(), f.end());
  }
  ASSERT_TRUE(send_all(fd.get(), burst));
  std::set<std::uint16_t> ids;
  for (int i = 0; i < 20; ++i) {
    const auto reply = recv_message(fd.get());
    ASSERT_TRUE(reply) << "reply " << i;
    ids.insert(id_of(reply->data()));
  }
  EXPECT_EQ(ids.size(), 20u);
}

TEST_F(LpdnsServerTest, TcpQueryArrivingByteByByte) {
  start();
  const lpdns::Fd fd = connected(SOCK_STREAM);
  const auto f = framed(query(9, "www.test"));
  for (std::uint8_t byte : f) {
    ASSERT_TRUE(send_all(fd.get(), {byte}));
    std::this_thread::sleep_for(2ms);
  }
  const auto reply = recv_message(fd.get());
  ASSERT_TRUE(reply);
  EXPECT_EQ(id_of(reply->data()), 9);
}

TEST_F(LpdnsServerTest, TcpQueriesSplitAtRandomPoints) {
  start();
  std::mt19937 random(20);  // fixed: the same cuts every run
  for (int connection = 0; connection < 10; ++connection) {
    const lpdns::Fd fd = connected(SOCK_STREAM);
    std::vector<std::uint8_t> stream;
    for (std::uint16_t id = 0; id < 30; ++id) {
      const auto f = framed(query(id, id % 3 ? "www.test" : "big.test", id % 3 ? 1 : 16));
      stream.insert(stream.end(), f.begin(), f.end());
    }
    // Pieces of 1 to 40 bytes, each its own segment (TCP_NODELAY, a pause).
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t n = std::min<std::size_t>(stream.size() - at, 1 + random() % 40);
      ASSERT_TRUE(send_all(fd.get(), {stream.begin() + static_cast<long>(at),
                                      stream.begin() + static_cast<long>(at + n)}));
      at += n;
      if (random() % 4 == 0) std::this_thread::sleep_for(1ms);
    }
    for (std::uint16_t id = 0; id < 30; ++id) {
      const auto reply = recv_message(fd.get());
      ASSERT_TRUE(reply) << "connection " << connection << ", reply " << id;
      EXPECT_EQ(id_of(reply->data()), id);
    }
  }
}

TEST_F(LpdnsServerTest, TcpClientThatReadsLateGetsEveryReply) {
  start();
  // 1800 queries for a 4 KB answer: 54 KB of queries, which the socket buffers
  // take at once, for 7 MB of replies, more than a send buffer grows to (4 MiB
  // here) through a 4 KB receive window. The client reads nothing until the
  // server has stopped reading; then every reply must come, in order.
  const lpdns::Fd fd = connected(SOCK_STREAM, 4096);
  constexpr int count = 1800;
  std::vector<std::uint8_t> queries;
  for (int i = 0; i < count; ++i) {
    const auto f = framed(query(static_cast<std::uint16_t>(i), "huge.test", 16));
    queries.insert(queries.end(), f.begin(), f.end());
  }
  ASSERT_TRUE(send_all(fd.get(), queries));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (server_->stats().tcp_reading_paused == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  ASSERT_GT(server_->stats().tcp_reading_paused, 0u) << "lpdns never stopped reading";
  int received = 0;
  for (; received < count; ++received) {
    const auto reply = recv_message(fd.get());
    if (!reply || id_of(reply->data()) != static_cast<std::uint16_t>(received)) break;
  }
  EXPECT_EQ(received, count) << "replies in order before the first missing or wrong one";
}

TEST_F(LpdnsServerTest, TcpNeverAnswersAResponseButKeepsServing) {
  start();
  const lpdns::Fd fd = connected(SOCK_STREAM);
  auto stream = framed(query(1, "www.test", 1, 0x8000));
  const auto second = framed(query(2, "www.test"));
  stream.insert(stream.end(), second.begin(), second.end());
  ASSERT_TRUE(send_all(fd.get(), stream));
  const auto reply = recv_message(fd.get());
  ASSERT_TRUE(reply);
  EXPECT_EQ(id_of(reply->data()), 2);
}

TEST_F(LpdnsServerTest, TcpAnswersThenClosesAfterThePeerShutsDown) {
  start();
  const lpdns::Fd fd = connected(SOCK_STREAM);
  ASSERT_TRUE(send_all(fd.get(), framed(query(3, "www.test"))));
  shutdown(fd.get(), SHUT_WR);
  const auto reply = recv_message(fd.get());
  ASSERT_TRUE(reply);
  EXPECT_EQ(id_of(reply->data()), 3);
  EXPECT_TRUE(closed_within(fd.get(), 2s));
}

TEST_F(LpdnsServerTest, TcpIdleConnectionIsClosed) {
  lpdns::ServerOptions options;
  options.tcp_idle_timeout = 100ms;
  start(options);
  const lpdns::Fd idle = connected(SOCK_STREAM);
  // Half a query, then silence: still idle as far as answering goes.
  ASSERT_TRUE(send_all(idle.get(), {0, 30, 0x12}));
  EXPECT_TRUE(closed_within(idle.get(), 3s));
  server_->stop();
  stats_ = server_->wait();
  server_.reset();
  EXPECT_EQ(stats_.tcp_idle_closed, 1u);
}

TEST_F(LpdnsServerTest, TcpConnectionsBeyondTheLimitAreClosed) {
  lpdns::ServerOptions options;
  options.tcp_max_connections = 2;
  start(options);
  const lpdns::Fd a = connected(SOCK_STREAM);
  const lpdns::Fd b = connected(SOCK_STREAM);
  for (int fd : {a.get(), b.get()}) {
    ASSERT_TRUE(send_all(fd, framed(query(1, "www.test"))));
    ASSERT_TRUE(recv_message(fd));
  }
  const lpdns::Fd c = connected(SOCK_STREAM);
  EXPECT_TRUE(closed_within(c.get(), 2s));
  // The two first ones still work.
  ASSERT_TRUE(send_all(a.get(), framed(query(2, "www.test"))));
  EXPECT_TRUE(recv_message(a.get()));
}

TEST(LpdnsServerOptionsTest, BadAddressOrThreadCountIsRejected) {
  lpdns::ServerOptions options;
  options.port = 0;
  options.addresses = {"localhost"};
  EXPECT_THROW(lpdns::Server(zone(), options), std::invalid_argument);
  options.addresses = {"127.0.0.1"};
  options.threads = 0;
  EXPECT_THROW(lpdns::Server(zone(), options), std::invalid_argument);
}

TEST(LpdnsServerOptionsTest, ConnectionLimitBeyondTheDescriptorLimitIsRefused) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max == RLIM_INFINITY || limit.rlim_max > 100'000'000)
    GTEST_SKIP() << "no finite hard limit on file descriptors here";
  lpdns::ServerOptions options;
  options.port = 0;
  options.addresses = {"127.0.0.1"};
  options.tcp_max_connections = limit.rlim_max + 1;
  try {
    lpdns::Server server(zone(), options);
    FAIL() << "accepted more connections than file descriptors";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ulimit -n"), std::string::npos) << e.what();
  }
}

TEST(LpdnsServerOptionsTest, PortTakenByAnotherSocketIsAnError) {
  // A socket without SO_REUSEPORT holds the port: lpdns cannot share it.
  lpdns::Fd holder(socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(holder.get(), reinterpret_cast<const sockaddr*>(&at), sizeof at), 0);
  lpdns::ServerOptions options;
  options.addresses = {"127.0.0.1"};
  options.port = lpdns::bound_port(holder.get());
  try {
    lpdns::Server server(zone(), options);
    // TCP may get the port; UDP must not.
    FAIL() << "bound a UDP port another socket holds";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(options.port)),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
