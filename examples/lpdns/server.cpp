#include "server.hpp"

#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <span>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <boost/endian/conversion.hpp>
#include <libparse/stream.hpp>

#include "net/dns.lp.hpp"

namespace lpdns {

namespace {

// A whole UDP datagram fits, so no query is ever cut short.
constexpr std::size_t max_udp_query = 65535;
constexpr std::size_t max_tcp_message = 65535;
// One recv() of a TCP connection.
constexpr std::size_t tcp_recv_size = 16 * 1024;
// A connection's replies not yet sent: room for two of the largest.
constexpr std::size_t tcp_out_capacity = 2 * (2 + max_tcp_message);
constexpr int max_events = 64;
// UDP batches handled before the worker looks at its other sockets again.
constexpr unsigned udp_rounds_per_wakeup = 8;

// What an epoll event is about: the kind (top byte), for a connection the
// generation of its slot (the next 24 bits), and an index (the low 32 bits).
// The generation tells an event of a connection closed earlier in the same
// epoll_wait() batch from one of the connection that took its slot since.
enum class Source : std::uint8_t { stop, udp, listener, connection };

std::uint64_t tag(Source source, std::uint32_t index, std::uint32_t generation = 0) noexcept {
  return (static_cast<std::uint64_t>(source) << 56) |
         (static_cast<std::uint64_t>(generation & 0xFF'FFFFu) << 32) | index;
}

std::int64_t now_ms() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// Whether a TCP connection goes on after `query` got `reply` (empty: none).
// As Knot does, a message that does not parse ends the connection, with a
// FORMERR first when its question could be read (RFC 7766 §6.2.4 lets a server
// close at any time): after it, the stream cannot be trusted. A well-formed
// response is ignored, and a well-formed query without a question (FORMERR)
// answered, and the connection kept. Only a message whose reply is empty or a
// FORMERR is parsed here: a good query is parsed once, by answer().
bool connection_survives(lp::bytes query, std::span<const std::byte> reply) noexcept {
  constexpr unsigned formerr = 1;
  if (reply.size() >= 4 && (std::to_integer<unsigned>(reply[3]) & 0x0Fu) != formerr) return true;
  const auto dns = net::Dns::parse(query);
  if (!dns || dns->size() != query.size()) return false;
  return reply.empty() ? dns->qr() == 1 && dns->qdcount() <= 1 : dns->qdcount() == 0;
}

// A worker's counters are written by its thread only and read by any thread
// (Server::stats()): relaxed atomic loads and stores, no read-modify-write, so
// counting costs what a plain increment does.
void add_count(std::uint64_t& counter, std::uint64_t n = 1) noexcept {
  std::atomic_ref<std::uint64_t> c(counter);
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

std::uint64_t read_count(const std::uint64_t& counter) noexcept {
  // atomic_ref<const T> is C++26; the load does not write.
  return std::atomic_ref<std::uint64_t>(const_cast<std::uint64_t&>(counter))
      .load(std::memory_order_relaxed);
}

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Room for the one control message a query brings: its destination address.
using Control = std::array<std::byte, CMSG_SPACE(sizeof(in6_pktinfo))>;

void enable_pktinfo(int fd, int family) {
  const int on = 1;
  const int r = family == AF_INET ? setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on)
                                  : setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on);
  if (r != 0) throw_errno("setsockopt IP_PKTINFO");
}

// Sends `reply` from the address `query` was sent to: its pktinfo control
// message, turned around (IPv4: the source is ipi_spec_dst; the interface is
// left to routing).
void reply_from_destination(msghdr& query, msghdr& reply) noexcept {
  for (cmsghdr* c = CMSG_FIRSTHDR(&query); c != nullptr; c = CMSG_NXTHDR(&query, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      info.ipi_spec_dst = info.ipi_addr;
      info.ipi_ifindex = 0;
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      reply.msg_controllen = CMSG_SPACE(sizeof info);
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      reply.msg_controllen = CMSG_SPACE(sizeof(in6_pktinfo));
    } else {
      continue;
    }
    reply.msg_control = c;
    return;
  }
}

// Makes room for every socket the server may hold at once, so that accept()
// never meets EMFILE (a level-triggered listener would then wake the worker
// again and again): raises the soft RLIMIT_NOFILE up to the hard one, or
// refuses a connection limit the hard one cannot cover.
void reserve_descriptors(const ServerOptions& options) {
  // Per worker: an epoll, and a UDP and a TCP socket per address; a few for
  // the process (stdio, the stop eventfd, the zone file while it loads).
  const std::uint64_t needed = options.tcp_max_connections +
                               std::uint64_t{options.threads} * (1 + 2 * options.addresses.size()) +
                               16;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) throw_errno("getrlimit");
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    limit.rlim_cur =
        limit.rlim_max == RLIM_INFINITY ? needed : std::min<rlim_t>(limit.rlim_max, needed);
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) throw_errno("setrlimit");
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    throw std::invalid_argument(fmt::format(
        "{} TCP connections and {} threads need {} file descriptors; the limit is {} (ulimit -n)",
        options.tcp_max_connections, options.threads, needed, limit.rlim_cur));
  }
}

// Spreads the datagrams of a SO_REUSEPORT group evenly over its `workers`
// sockets (bound in worker order): a classic BPF program picks a random one
// for each datagram. The kernel's default hashes the client's address and
// port, so a few busy clients (dnsperf's two sockets, a resolver farm behind
// a handful of ports) could all land on one worker while the others idle.
// DNS over UDP has no order between datagrams to keep. Without the program
// (an old kernel), the hash stays: the server works, less evenly.
void spread_datagrams(int fd, unsigned workers) noexcept {
  std::array<sock_filter, 3> code = {{
      {BPF_LD | BPF_W | BPF_ABS, 0, 0, static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_RANDOM)},
      {BPF_ALU | BPF_MOD | BPF_K, 0, 0, workers},
      {BPF_RET | BPF_A, 0, 0, 0},
  }};
  const sock_fprog program{static_cast<unsigned short>(code.size()), code.data()};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof program) != 0) {
    fmt::print(stderr, "lpdns: SO_ATTACH_REUSEPORT_CBPF: {} (datagrams spread by hash)\n",
               std::strerror(errno));
  }
}

}  // namespace

// One TCP connection: its socket, the stream reader framing its queries, and
// the replies not yet sent. Kept (buffers and all) for the worker's next
// connection when this one closes.
struct Connection {
  Fd fd;
  std::int64_t last_active_ms = 0;
  // DNS over TCP: a two-byte length, then the message (RFC 1035 §4.2.2).
  using Reader = lp::StreamReader<lp::length_prefix_framer>;
  Reader reader = new_reader();
  std::vector<std::byte> in = std::vector<std::byte>(tcp_recv_size);
  std::vector<std::byte> out = std::vector<std::byte>(tcp_out_capacity);
  std::size_t out_begin = 0;
  std::size_t out_end = 0;
  // No more queries are read: the peer shut down its sending side, or sent a
  // malformed message. The connection closes once the replies are out.
  bool done_reading = false;
  // Interest registered with epoll: EPOLLIN while reading, EPOLLOUT while
  // replies wait for the peer to read.
  std::uint32_t interest = 0;
  // Counts the connections this slot has held (epoll tags carry it).
  std::uint32_t generation = 0;

  bool output_pending() const noexcept { return out_begin != out_end; }

  static Reader new_reader() { return Reader(lp::length_prefix_framer{2}, 2 + max_tcp_message); }
};

class Worker {
 public:
  Worker(const Zone& zone, const ServerOptions& options, std::atomic<std::size_t>& tcp_open,
         int stop_fd, std::vector<Endpoint>& endpoints)
      : zone_(zone), options_(options), tcp_open_(tcp_open), epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (!epoll_) throw_errno("epoll_create1");
    watch(stop_fd, EPOLLIN, tag(Source::stop, 0));
    for (Endpoint& at : endpoints) {
      listeners_.push_back(bind_socket(at, SOCK_STREAM));
      // Port 0: the kernel chose one for this first socket; UDP and the other
      // workers bind the same.
      if (at.port() == 0) at.set_port(bound_port(listeners_.back().get()));
      watch(listeners_.back().get(), EPOLLIN,
            tag(Source::listener, static_cast<std::uint32_t>(listeners_.size() - 1)));
      udp_.push_back(bind_socket(at, SOCK_DGRAM));
      udp_pktinfo_.push_back(at.is_wildcard());
      if (udp_pktinfo_.back()) enable_pktinfo(udp_.back().get(), at.family());
      watch(udp_.back().get(), EPOLLIN,
            tag(Source::udp, static_cast<std::uint32_t>(udp_.size() - 1)));
    }
    const std::size_t batch = options_.udp_batch;
    udp_queries_.resize(batch * max_udp_query);
    udp_reply_size_ = std::max<std::size_t>(512, options_.answer.udp_max_payload);
    udp_replies_.resize(batch * udp_reply_size_);
    udp_peers_.resize(batch);
    udp_query_iov_.resize(batch);
    udp_reply_iov_.resize(batch);
    udp_control_.resize(batch);
    udp_in_.resize(batch);
    udp_out_.resize(batch);
    for (std::size_t i = 0; i < batch; ++i) {
      udp_query_iov_[i] = {udp_queries_.data() + i * max_udp_query, max_udp_query};
      udp_in_[i].msg_hdr.msg_iov = &udp_query_iov_[i];
      udp_in_[i].msg_hdr.msg_iovlen = 1;
      udp_in_[i].msg_hdr.msg_name = &udp_peers_[i];
    }
  }

  void run() noexcept {
    std::array<epoll_event, max_events> events{};
    std::int64_t next_sweep = now_ms() + sweep_interval();
    while (!stopping_) {
      const int timeout = static_cast<int>(std::max<std::int64_t>(0, next_sweep - now_ms()));
      const int n = epoll_wait(epoll_.get(), events.data(), max_events, timeout);
      if (n < 0 && errno != EINTR) {
        fmt::print(stderr, "lpdns: epoll_wait: {}\n", std::strerror(errno));
        return;
      }
      for (int i = 0; i < n; ++i) dispatch(events[static_cast<std::size_t>(i)]);
      if (const std::int64_t now = now_ms(); now >= next_sweep) {
        close_idle(now);
        next_sweep = now + sweep_interval();
      }
    }
    for (std::uint32_t i = 0; i < connections_.size(); ++i)
      if (connections_[i]->fd) close_connection(i);
  }

  // What this worker counted so far; safe from any thread.
  ServerStats stats() const noexcept {
    ServerStats s;
    s.udp_queries = read_count(stats_.udp_queries);
    s.udp_replies = read_count(stats_.udp_replies);
    s.udp_dropped = read_count(stats_.udp_dropped);
    s.tcp_connections = read_count(stats_.tcp_connections);
    s.tcp_refused = read_count(stats_.tcp_refused);
    s.tcp_queries = read_count(stats_.tcp_queries);
    s.tcp_idle_closed = read_count(stats_.tcp_idle_closed);
    s.tcp_reading_paused = read_count(stats_.tcp_reading_paused);
    return s;
  }
  // The UDP socket of the a-th address.
  int udp_socket(std::size_t a) const noexcept { return udp_[a].get(); }

 private:
  std::int64_t sweep_interval() const noexcept {
    return std::clamp<std::int64_t>(options_.tcp_idle_timeout.count() / 4, 10, 1000);
  }

  void watch(int fd, std::uint32_t events, std::uint64_t data) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = data;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl");
  }

  void dispatch(const epoll_event& ev) noexcept {
    const auto index = static_cast<std::uint32_t>(ev.data.u64);
    const auto generation = static_cast<std::uint32_t>(ev.data.u64 >> 32) & 0xFF'FFFFu;
    switch (static_cast<Source>(ev.data.u64 >> 56)) {
      case Source::stop:
        stopping_ = true;
        break;
      case Source::udp:
        serve_udp(udp_[index].get(), udp_pktinfo_[index]);
        break;
      case Source::listener:
        accept_connections(listeners_[index].get());
        break;
      case Source::connection:
        if ((connections_[index]->generation & 0xFF'FFFFu) == generation)
          serve_connection(index, ev.events);
        break;
    }
  }

  // --- UDP ---

  // `pktinfo`: the socket is bound to a wildcard address, so each reply must
  // leave from the address its query came to (IP_PKTINFO, IPV6_RECVPKTINFO).
  void serve_udp(int fd, bool pktinfo) noexcept {
    const auto batch = static_cast<unsigned>(udp_in_.size());
    for (unsigned round = 0; round < udp_rounds_per_wakeup; ++round) {
      for (unsigned i = 0; i < batch; ++i) {
        msghdr& h = udp_in_[i].msg_hdr;
        h.msg_namelen = sizeof(sockaddr_storage);
        h.msg_control = pktinfo ? udp_control_[i].data() : nullptr;
        h.msg_controllen = pktinfo ? udp_control_[i].size() : 0;
      }
      const int received = recvmmsg(fd, udp_in_.data(), batch, MSG_DONTWAIT, nullptr);
      if (received <= 0) return;  // EAGAIN: nothing more; other errors: retried on the next event
      add_count(stats_.udp_queries, static_cast<unsigned>(received));
      unsigned replies = 0;
      for (unsigned i = 0; i < static_cast<unsigned>(received); ++i) {
        msghdr& query = udp_in_[i].msg_hdr;
        const lp::bytes wire(reinterpret_cast<const std::byte*>(udp_query_iov_[i].iov_base),
                             udp_in_[i].msg_len);
        const std::span<std::byte> out(udp_replies_.data() + i * udp_reply_size_, udp_reply_size_);
        const std::size_t length = answer(zone_, wire, Transport::udp, out, options_.answer);
        if (length == 0) continue;
        udp_reply_iov_[replies] = {out.data(), length};
        msghdr& reply = udp_out_[replies].msg_hdr;
        reply = {};
        reply.msg_name = query.msg_name;
        reply.msg_namelen = query.msg_namelen;
        reply.msg_iov = &udp_reply_iov_[replies];
        reply.msg_iovlen = 1;
        if (pktinfo) reply_from_destination(query, reply);
        ++replies;
      }
      send_udp(fd, replies);
      if (static_cast<unsigned>(received) < batch) return;
    }
  }

  void send_udp(int fd, unsigned count) noexcept {
    unsigned sent = 0;
    while (sent < count) {
      const int n = sendmmsg(fd, udp_out_.data() + sent, count - sent, MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        // The send buffer is full (or the peer unreachable): drop this reply,
        // try the rest.
        add_count(stats_.udp_dropped);
        ++sent;
        continue;
      }
      sent += static_cast<unsigned>(n);
      add_count(stats_.udp_replies, static_cast<unsigned>(n));
    }
  }

  // --- TCP ---

  void accept_connections(int listener) noexcept {
    for (;;) {
      Fd fd(accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (!fd) return;  // EAGAIN, or a connection that failed before accept: next event
      if (tcp_open_.fetch_add(1, std::memory_order_relaxed) >= options_.tcp_max_connections) {
        tcp_open_.fetch_sub(1, std::memory_order_relaxed);
        add_count(stats_.tcp_refused);
        continue;  // closed by ~Fd
      }
      add_count(stats_.tcp_connections);
      const std::uint32_t index = take_connection_slot();
      Connection& c = *connections_[index];
      c.fd = std::move(fd);
      c.last_active_ms = now_ms();
      c.interest = EPOLLIN | EPOLLRDHUP;
      epoll_event ev{};
      ev.events = c.interest;
      ev.data.u64 = tag(Source::connection, index, c.generation);
      if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.fd.get(), &ev) != 0) close_connection(index);
    }
  }

  std::uint32_t take_connection_slot() {
    if (!free_slots_.empty()) {
      const std::uint32_t index = free_slots_.back();
      free_slots_.pop_back();
      return index;
    }
    connections_.push_back(std::make_unique<Connection>());
    return static_cast<std::uint32_t>(connections_.size() - 1);
  }

  void close_connection(std::uint32_t index) noexcept {
    Connection& c = *connections_[index];
    c.fd.reset();  // also leaves the epoll set
    ++c.generation;
    c.reader = Connection::new_reader();
    c.out_begin = c.out_end = 0;
    c.done_reading = false;
    tcp_open_.fetch_sub(1, std::memory_order_relaxed);
    free_slots_.push_back(index);
  }

  void serve_connection(std::uint32_t index, std::uint32_t events) noexcept {
    Connection& c = *connections_[index];
    if (events & EPOLLERR) return close_connection(index);
    bool ok = true;
    if (c.output_pending()) {
      ok = flush(c);
      // Drained: answer the queries that waited behind those replies.
      if (ok && !c.output_pending()) ok = answer_buffered(c) && flush(c);
    }
    if (ok && !c.output_pending() && !c.done_reading) ok = read_queries(c);
    if (!ok || (c.done_reading && !c.output_pending())) return close_connection(index);
    // Read while nothing waits to go out; otherwise wait until the peer reads.
    const std::uint32_t interest = c.output_pending() ? EPOLLOUT : EPOLLIN | EPOLLRDHUP;
    if (interest != c.interest) {
      if (interest == EPOLLOUT) add_count(stats_.tcp_reading_paused);
      c.interest = interest;
      epoll_event ev{};
      ev.events = interest;
      ev.data.u64 = tag(Source::connection, index, c.generation);
      if (epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &ev) != 0) close_connection(index);
    }
  }

  // One recv(): every complete query in it is answered, the replies sent in
  // one send(). False when the connection must close.
  bool read_queries(Connection& c) noexcept {
    const ssize_t n = recv(c.fd.get(), c.in.data(), c.in.size(), 0);
    if (n == 0) {
      c.done_reading = true;
      return true;
    }
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    c.last_active_ms = now_ms();
    c.reader.feed(lp::bytes(c.in.data(), static_cast<std::size_t>(n)));
    return answer_buffered(c) && flush(c);
  }

  // Answers the queries the reader holds until none is left or the replies
  // waiting to go out fill the buffer. False on a broken stream.
  bool answer_buffered(Connection& c) noexcept {
    while (!c.done_reading) {
      if (c.out.size() - c.out_end < 2 + max_tcp_message) {
        // Make room: move what is left to the front, or send it first.
        if (c.out_begin > 0) {
          std::memmove(c.out.data(), c.out.data() + c.out_begin, c.out_end - c.out_begin);
          c.out_end -= c.out_begin;
          c.out_begin = 0;
        }
        if (c.out.size() - c.out_end < 2 + max_tcp_message) {
          if (!flush(c)) return false;
          if (c.output_pending()) return true;  // the peer is not reading: wait for EPOLLOUT
        }
      }
      lp::bytes message;
      // The reader's lifetime rule: c.in, fed last, stays untouched until
      // next() returns false (read_queries() runs only then).
      if (!c.reader.next(message)) return !c.reader.error();  // none left, or a broken stream
      add_count(stats_.tcp_queries);
      const lp::bytes query = message.drop_first(2);
      const std::span<std::byte> out(c.out.data() + c.out_end + 2, max_tcp_message);
      const std::size_t length = answer(zone_, query, Transport::tcp, out, options_.answer);
      if (!connection_survives(query, out.first(length))) c.done_reading = true;
      if (length != 0) {
        boost::endian::store_big_u16(reinterpret_cast<unsigned char*>(c.out.data() + c.out_end),
                                     static_cast<std::uint16_t>(length));
        c.out_end += 2 + length;
      }
    }
    return true;
  }

  // Sends what waits to go out. False when the connection broke.
  bool flush(Connection& c) noexcept {
    while (c.output_pending()) {
      const ssize_t n =
          send(c.fd.get(), c.out.data() + c.out_begin, c.out_end - c.out_begin, MSG_NOSIGNAL);
      if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
      c.out_begin += static_cast<std::size_t>(n);
      c.last_active_ms = now_ms();
    }
    c.out_begin = c.out_end = 0;
    return true;
  }

  void close_idle(std::int64_t now) noexcept {
    const std::int64_t limit = options_.tcp_idle_timeout.count();
    for (std::uint32_t i = 0; i < connections_.size(); ++i) {
      const Connection& c = *connections_[i];
      if (c.fd && now - c.last_active_ms >= limit) {
        add_count(stats_.tcp_idle_closed);
        close_connection(i);
      }
    }
  }

  const Zone& zone_;
  const ServerOptions& options_;
  std::atomic<std::size_t>& tcp_open_;
  Fd epoll_;
  std::vector<Fd> udp_;
  // Per UDP socket: bound to a wildcard address (replies need pktinfo).
  std::vector<bool> udp_pktinfo_;
  std::vector<Fd> listeners_;
  bool stopping_ = false;
  ServerStats stats_;

  // UDP batch buffers, slot i for the i-th datagram of a recvmmsg().
  std::vector<std::byte> udp_queries_;
  std::vector<std::byte> udp_replies_;
  // A reply slot: the largest UDP reply answer() may write.
  std::size_t udp_reply_size_ = 0;
  std::vector<sockaddr_storage> udp_peers_;
  std::vector<Control> udp_control_;
  std::vector<iovec> udp_query_iov_;
  std::vector<iovec> udp_reply_iov_;
  std::vector<mmsghdr> udp_in_;
  std::vector<mmsghdr> udp_out_;

  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<std::uint32_t> free_slots_;
};

Server::Server(const Zone& zone, ServerOptions options)
    : zone_(zone), options_(std::move(options)) {
  if (options_.threads == 0) throw std::invalid_argument("--threads must be at least 1");
  if (options_.udp_batch == 0) throw std::invalid_argument("the UDP batch must be at least 1");
  if (options_.addresses.empty()) throw std::invalid_argument("no address to listen on");
  reserve_descriptors(options_);
  std::vector<Endpoint> endpoints;
  for (const std::string& address : options_.addresses)
    endpoints.push_back(Endpoint::parse(address, options_.port));
  stop_event_ = Fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!stop_event_) throw_errno("eventfd");
  for (unsigned i = 0; i < options_.threads; ++i)
    workers_.push_back(
        std::make_unique<Worker>(zone_, options_, tcp_open_, stop_event_.get(), endpoints));
  port_ = endpoints.front().port();
  if (options_.threads > 1) {
    for (std::size_t a = 0; a < endpoints.size(); ++a)
      spread_datagrams(workers_.front()->udp_socket(a), options_.threads);
  }
}

Server::~Server() {
  stop();
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
}

void Server::start() {
  for (auto& worker : workers_) threads_.emplace_back([w = worker.get()] { w->run(); });
}

void Server::stop() noexcept {
  // An eventfd stays readable once written: every worker sees it.
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = write(stop_event_.get(), &one, sizeof one);
}

ServerStats Server::wait() {
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
  return stats();
}

ServerStats Server::stats() const noexcept {
  ServerStats total;
  for (const ServerStats& s : worker_stats()) {
    total.udp_queries += s.udp_queries;
    total.udp_replies += s.udp_replies;
    total.udp_dropped += s.udp_dropped;
    total.tcp_connections += s.tcp_connections;
    total.tcp_refused += s.tcp_refused;
    total.tcp_queries += s.tcp_queries;
    total.tcp_idle_closed += s.tcp_idle_closed;
    total.tcp_reading_paused += s.tcp_reading_paused;
  }
  return total;
}

std::vector<ServerStats> Server::worker_stats() const {
  std::vector<ServerStats> each;
  for (const auto& worker : workers_) each.push_back(worker->stats());
  return each;
}

}  // namespace lpdns
