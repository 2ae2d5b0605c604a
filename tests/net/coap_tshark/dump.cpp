// Prints what the generated net::CoapMessage view reads from each file, one JSON
// object per line, for comparison with tshark (compare.py).
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "libparse/format.hpp"
#include "net/coap.lp.hpp"

std::string hex(lp::bytes b) {
  std::string out;
  for (std::byte x : b)
    out += fmt::format("{}{:02x}", out.empty() ? "" : ":", std::to_integer<int>(x));
  return out;
}
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::vector<char> raw((std::istreambuf_iterator<char>(in)), {});
    const lp::bytes b(reinterpret_cast<const std::byte*>(raw.data()), raw.size());
    const auto m = net::CoapMessage::parse(b);
    if (!m) {
      fmt::print("{{\"file\":{},\"ok\":false,\"error\":{}}}\n", quoted(argv[i]),
                 quoted(fmt::format("{}", m.error())));
      continue;
    }
    std::string options;
    std::size_t payload = 0;
    std::string payload_hex;
    for (const net::CoapOptionView o : m->options()) {
      if (o.delta() == 15) {
        payload = o.payload()->size();
        payload_hex = hex(*o.payload());
        continue;
      }
      std::string value;
      if (auto t = o.value_text()) {
        value = fmt::format("\"kind\":\"text\",\"value\":{}", quoted(t->text()));
      } else if (auto u = o.value_uint()) {
        value = fmt::format("\"kind\":\"uint\",\"value\":{}", u->value());
      } else {
        value = fmt::format("\"kind\":\"opaque\",\"value\":\"{}\"", hex(*o.value_opaque()));
      }
      options += fmt::format(
          "{}{{\"number\":{},\"delta\":{},\"length\":{},\"value_length\":{},{}}}",
          options.empty() ? "" : ",", o.number(), o.delta(), o.length(), o.value_length(), value);
    }
    fmt::print(
        "{{\"file\":{},\"ok\":true,\"version\":{},\"type\":{},\"token_len\":{},\"code\":{},"
        "\"mid\":{},\"token\":\"{}\",\"options\":[{}],\"payload_length\":{},\"payload\":\"{}\"}}\n",
        quoted(argv[i]), m->version(), static_cast<int>(m->message_type()), m->token_length(),
        static_cast<int>(m->code()), m->message_id(), hex(m->token()), options, payload,
        payload_hex);
  }
}
