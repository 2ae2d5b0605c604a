// What the C++ blocks of README.md and docs/ take as given (docs_test.py cpp): the
// runtime and the headers of the shipped schemas, and the caller's own names a block
// uses without declaring them (its buffer `wire`, a function `handle()` it passes a view
// to). Only declared: the blocks are compiled with -fsyntax-only, never linked.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"
#include "libparse/libparse.hpp"
#include "net/arp.lp.hpp"
#include "net/dns.lp.hpp"
#include "net/ethernet.lp.hpp"
#include "net/icmp.lp.hpp"
#include "net/icmpv6.lp.hpp"
#include "net/ipv4.lp.hpp"
#include "net/ipv6.lp.hpp"
#include "net/loopback.lp.hpp"
#include "net/sll.lp.hpp"
#include "net/tcp.lp.hpp"
#include "net/udp.lp.hpp"
#include "proto/wire.lp.hpp"
#include "tls/tls.lp.hpp"

// Each block is compiled in a namespace nested in this one, so these names are found
// before the C library's (::log, ::send).
namespace docs_given {

// Received bytes, by the names the pages give them.
extern lp::bytes wire, frame, segment, packet, datagram, query, dns_message, message, header,
    payload, b, other, covered;
extern lp::mut_bytes m;
extern std::byte buffer[4096];
extern std::byte *p, *q;
extern int fd;
extern const char* path;

// Numbers read elsewhere.
extern std::uint64_t total_length, ihl, n;
extern std::uint8_t protocol;
extern std::uint32_t length, next_header;
extern std::uint16_t stored, expected, mss;
extern lp::bytes src, dst;  // addresses, for the pseudo-headers
extern lp::InternetChecksum start, pseudo;
extern std::size_t at;

// Views and values parsed or built elsewhere.
extern net::UdpView udp;
extern net::IcmpView icmp;
extern net::DnsQuestionView question;
extern net::DnsPointerView pointer;
extern tls::RecordView const* record;
extern net::UdpValue first, second;
extern lp::ParseOptions options;

// What a block hands its results to.
void handle(auto&&...) {}
void handle_dns(auto&&...) {}
void handle_udp(auto&&...) {}
void use(auto&&...) {}
void skip(auto&&...) {}
void report(auto&&...) {}
void route(auto&&...) {}
void print(auto&&...) {}
void print_label(auto&&...) {}
void print_mac(auto&&...) {}
void want_more(auto&&...) {}
void send(auto&&...) {}
std::vector<std::byte> capture();

struct Log {
  void operator()(auto&&...) {}
  void warn(auto&&...) {}
};
extern Log log;

struct Stats {
  void count(std::string_view type, std::string_view field);
  std::map<std::string_view, int> failures;
};
extern Stats stats;

extern std::deque<lp::owned<net::UdpView>> queue;

}  // namespace docs_given
