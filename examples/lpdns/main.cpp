// lpdns: an authoritative DNS server for one zone, built on libparse
// (docs/services.md). The zone loads before any socket is bound: a zone error
// is printed as file:line and the server exits 1 without serving.
//
//   lpdns --zone example.com.zone --origin example.com --port 5353
//         --address 127.0.0.1 --address ::1 --threads 2
//
// SIGINT or SIGTERM stops it; it then prints what it counted and exits 0.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "server.hpp"
#include "zone.hpp"

namespace {

void print_stats(const lpdns::ServerStats& s) {
  fmt::print(stderr,
             "lpdns: udp: {} queries, {} replies, {} dropped; tcp: {} connections ({} refused "
             "over the limit, {} closed idle), {} queries, reading paused {} times for slow "
             "readers\n",
             s.udp_queries, s.udp_replies, s.udp_dropped, s.tcp_connections, s.tcp_refused,
             s.tcp_idle_closed, s.tcp_queries, s.tcp_reading_paused);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lpdns: an authoritative DNS server for one zone, built on libparse"};
  std::string zone_path;
  std::string origin;
  lpdns::ServerOptions options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  unsigned idle_ms = static_cast<unsigned>(options.tcp_idle_timeout.count());
  app.add_option("--zone", zone_path, "The zone's RFC 1035 master file")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--origin", origin, "The zone's origin, e.g. example.com")->required();
  app.add_option("--port", options.port, "UDP and TCP port (0: any free one, printed)")
      ->capture_default_str();
  app.add_option("--address", options.addresses,
                 "Numeric IPv4 or IPv6 address to serve on; repeat for several")
      ->capture_default_str();
  app.add_option("--threads", options.threads,
                 "Worker threads, each with its own UDP and TCP sockets (SO_REUSEPORT)")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  app.add_option("--tcp-idle-timeout", idle_ms,
                 "Milliseconds a TCP connection may stay idle before it is closed")
      ->check(CLI::Range(1u, 3'600'000u))
      ->capture_default_str();
  app.add_option("--tcp-max-connections", options.tcp_max_connections,
                 "Open TCP connections, all threads together; more are closed at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->capture_default_str();
  app.add_option("--udp-batch", options.udp_batch, "Datagrams per recvmmsg()/sendmmsg()")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  app.add_option("--udp-max-payload", options.answer.udp_max_payload,
                 "Largest UDP reply to an EDNS query (Knot's udp-max-payload)")
      ->check(CLI::Range(512, 65535))
      ->capture_default_str();
  // Borrowed by options.answer: these outlive the server.
  std::string nsid;
  std::string identity;
  std::string version;
  app.add_option("--nsid", nsid, "Name server identifier sent to queries asking for it (RFC 5001)");
  app.add_option("--identity", identity,
                 "TXT answer to CH id.server and hostname.bind (default: REFUSED)");
  app.add_option("--server-version", version,
                 "TXT answer to CH version.server and version.bind (default: REFUSED)");
  CLI11_PARSE(app, argc, argv);
  options.tcp_idle_timeout = std::chrono::milliseconds(idle_ms);
  options.answer.nsid = lp::bytes(nsid);
  options.answer.identity = identity;
  options.answer.version = version;

  auto zone = lpdns::load_zone(zone_path, origin);
  if (!zone) {
    fmt::print(stderr, "lpdns: {}\n", zone.error().to_string());
    return 1;
  }

  // Workers inherit this mask: only the sigwait() below sees SIGINT and SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    lpdns::Server server(*zone, options);
    server.start();
    fmt::print(stderr, "lpdns: serving {} ({} records) on port {} of", origin, zone->record_count(),
               server.port());
    for (const std::string& address : options.addresses) fmt::print(stderr, " {}", address);
    fmt::print(stderr, " (udp, tcp), {} threads\n", options.threads);
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
    print_stats(server.wait());
  } catch (const std::exception& e) {
    fmt::print(stderr, "lpdns: {}\n", e.what());
    return 1;
  }
  return 0;
}
