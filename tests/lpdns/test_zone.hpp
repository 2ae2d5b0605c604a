// The zone most engine tests answer from: every record type, CNAME chains
// (inside, outside, dangling, looping, into a delegation, past the limit), delegations with and
// without glue, an empty non-terminal, a wildcard, and RRsets too large for 512
// bytes.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "zone.hpp"

namespace lpdns_test {

inline std::string test_zone_text() {
  std::string text = R"(; lpdns engine tests
$ORIGIN example.com.
$TTL 3600
@       IN  SOA ns1.example.com. hostmaster.example.com. (
                2024061501 ; serial
                7200       ; refresh
                3600       ; retry
                1209600    ; expire
                300 )      ; minimum
        IN  NS  ns1
        IN  NS  ns2.example.com.
        IN  NS  ns.outside.example.org.
        MX  10 mail
        MX  20 mx.outside.example.org.
        A   192.0.2.1
        AAAA 2001:db8::1
        TXT "v=spf1 -all"
ns1     A     192.0.2.53
        AAAA  2001:db8::53
ns2 600 IN A  192.0.2.54
mail    A     192.0.2.25
        AAAA  2001:db8::25
Mixed-Case A  192.0.2.27
www     CNAME web
web     A     192.0.2.80
        A     192.0.2.81
        AAAA  2001:db8::80
chain1  CNAME chain2
chain2  CNAME web.example.com.
dangling CNAME nowhere
outside CNAME www.example.org.
loop1   CNAME loop2
loop2   CNAME loop1
into-sub CNAME host.sub
to-ent  CNAME _tcp
_sip._tcp SRV 10 60 5060 sip
          SRV 20 40 5060 sip-backup
sip     A     192.0.2.60
sip-backup AAAA 2001:db8::61
txt     TXT   "first string" "second" plain
escapes TXT   "quote \" backslash \\ semicolon ; decimal \065\066C"
ptr.rev PTR   host.example.com.
sub     NS    ns1.sub
        NS    ns.outside.example.org.
ns1.sub A     192.0.2.201
        AAAA  2001:db8::201
host.sub A    192.0.2.203
inner.sub NS  ns.inner.sub    ; below the cut at sub: occluded, no cut of its own
ns.inner.sub A 192.0.2.204
ext     NS    ns1.outside.example.org.
*.wild  A     192.0.2.99
*.wild  TXT   "wild"
to-many CNAME many
)";
  // A chain longer than the 5 links followed.
  for (int i = 1; i <= 7; ++i) {
    text += "link" + std::to_string(i) + " CNAME link" + std::to_string(i + 1) + "\n";
  }
  text += "link8 A 192.0.2.88\n";
  for (int i = 1; i <= 40; ++i) text += "many A 198.51.100." + std::to_string(i) + "\n";
  for (int i = 0; i < 6; ++i) {
    text += "big-txt TXT \"" + std::string(250, static_cast<char>('a' + i)) + "\"\n";
  }
  return text;
}

inline const lpdns::Zone& test_zone() {
  static const lpdns::ZoneResult zone =
      lpdns::load_zone_text(test_zone_text(), "test.zone", "example.com");
  if (!zone) {
    ADD_FAILURE() << zone.error().to_string();
    std::abort();
  }
  return *zone;
}

}  // namespace lpdns_test
