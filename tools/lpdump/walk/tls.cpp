// The TLS layer of the walk (frame.hpp): the records at the start of a TCP
// payload, and the handshake messages tshark reads from them (packet-tls.c,
// checked on hand-built records: docs/conformance.md).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "frame.hpp"
#include "tls/tls.lp.hpp"

namespace lpdump::walk {

namespace {

// One record header as tshark lists it, and the fragment of a handshake
// record captured whole (the messages tshark lists are read from it).
struct TlsRecord {
  std::uint8_t content_type = 0;
  std::uint16_t version = 0;
  std::uint16_t length = 0;
  lp::bytes handshake;
};

// What tshark reads of a ClientHello or ServerHello, in order, up to where
// it stops: the version, the cipher suites (a ClientHello's list when its
// length fits the message, a ServerHello's choice), and the extensions'
// list when its length fits.
struct Hello {
  bool client = false;
  bool has_version = false;
  std::uint16_t version = 0;
  bool has_suites = false;
  lp::array_view<lp::be_u16> suites;  // a ClientHello's
  std::uint16_t suite = 0;            // a ServerHello's
  bool has_extensions = false;
  lp::bytes extensions;  // the list's bytes, after its length
  // The end of the captured TCP payload: tshark's buffer, which an
  // extension's length is checked against before its type is listed.
  const std::byte* captured_end = nullptr;
};

// One handshake message tshark lists: a known type, all of it in the
// record, and what tshark reads of it if it is a hello.
struct HandshakeMessage {
  tls::HandshakeType type{};
  std::uint32_t length = 0;
  lp::bytes body;
  Hello hello;
};

// The handshake types tshark 4.0 knows (its ssl_31_handshake_type): a
// message of another type is not listed, and one at the start of a
// fragment of 16 bytes or more makes tshark take the record as encrypted.
bool is_known_handshake_type(tls::HandshakeType type) noexcept {
  switch (static_cast<std::uint8_t>(type)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 8:
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
    case 20:
    case 21:
    case 22:
    case 23:
    case 24:
    case 25:
    case 67:
      return true;
    default:
      return false;
  }
}

// tshark's test for an encrypted handshake record (packet-tls.c,
// is_encrypted_handshake_message): a fragment of at least 16 bytes that
// starts with five zero bytes (an AEAD nonce), a type it does not know or a
// length of 64 KiB or more. (It also takes every handshake record after a
// ChangeCipherSpec of an earlier frame as encrypted: state across frames,
// which lpdump does not keep.)
bool looks_encrypted(lp::bytes fragment) {
  constexpr std::size_t min_encrypted = 16;
  constexpr std::uint32_t max_plain_length = 0xFFFF;
  if (fragment.size() < min_encrypted) return false;
  const auto first = tls::HandshakeView::parse_partial(fragment);
  const bool zeros =
      fragment.first(5).as_string_view().find_first_not_of('\0') == std::string_view::npos;
  return zeros || !is_known_handshake_type(first->msg_type()) || first->length() > max_plain_length;
}

// The extensions' list that starts `at` bytes into a hello's body, when its
// two-byte length was read and fits the body.
void extension_list(Hello& hello, lp::bytes body, std::size_t at) {
  using F = tls::ClientHelloExtensionsView::Field;
  if (at >= body.size()) return;
  const lp::bytes rest = body.drop_first(at);
  constexpr std::size_t header = tls::ClientHelloExtensionsView::min_size;
  const auto list = tls::ClientHelloExtensionsView::parse_partial(rest);
  if (!list.has(F::length) || list->length() > rest.size() - header) return;
  hello.has_extensions = true;
  hello.extensions = rest.drop_first(header).first(list->length());
}

// What tshark lists of a hello: its fields as far as the schema's own view
// parses them (a hello that breaks one of the RFC's limits on its fixed part
// ends there), and its extensions' list, whose elements are read one by one
// (each_extension), as tshark reads on past an extension that is wrong inside.
Hello read_hello(const HandshakeMessage& m, const std::byte* captured_end) {
  Hello hello;
  hello.captured_end = captured_end;
  const lp::bytes body = m.body;
  if (m.type == tls::HandshakeType::CLIENT_HELLO) {
    using F = tls::ClientHelloView::Field;
    const auto p = tls::ClientHelloView::parse_partial(body, m.length);
    hello.client = true;
    hello.has_version = p.has(F::legacy_version);
    if (hello.has_version) hello.version = static_cast<std::uint16_t>(p->legacy_version());
    hello.has_suites = p.has(F::cipher_suites);
    if (hello.has_suites) hello.suites = p->cipher_suites();
    if (p.has(F::hello_length)) extension_list(hello, body, p->hello_length());
  } else if (m.type == tls::HandshakeType::SERVER_HELLO) {
    using F = tls::ServerHelloView::Field;
    const auto p = tls::ServerHelloView::parse_partial(body, m.length);
    hello.has_version = p.has(F::legacy_version);
    if (hello.has_version) hello.version = static_cast<std::uint16_t>(p->legacy_version());
    hello.has_suites = p.has(F::cipher_suite);
    if (hello.has_suites) hello.suite = static_cast<std::uint16_t>(p->cipher_suite());
    if (p.has(F::hello_length)) extension_list(hello, body, p->hello_length());
  }
  return hello;
}

// Each extension of a hello's list as tshark reads it: once its four-byte
// header is in the list, its type, unless its data runs past the captured
// segment (tshark's tree item for it throws: false, the whole TLS walk
// ends); then the walk ends at data running past the list. `fn(type)`.
template <class Fn>
bool each_extension(const Hello& hello, Fn&& fn) {
  using F = tls::ClientHelloExtensionView::Field;
  constexpr std::size_t header = tls::ClientHelloExtensionView::min_size;
  lp::bytes list = hello.extensions;
  while (list.size() >= header) {
    const auto e = tls::ClientHelloExtensionView::parse_partial(list);
    if (!e.has(F::length)) return true;
    const auto captured = static_cast<std::size_t>(hello.captured_end - list.data());
    if (header + e->length() > captured) return false;
    fn(e->type());
    if (e->length() > list.size() - header) return true;
    list = list.drop_first(header + e->length());
  }
  return true;
}

// The messages of a handshake fragment as tshark walks them: each whole
// message in turn, those of an unknown type skipped; a message that runs
// past the fragment (continued in the next record) ends the walk. False
// when a hello's extension ended tshark's whole TLS walk (each_extension).
template <class Fn>
bool each_message_of(lp::bytes fragment, const std::byte* captured_end, Fn&& fn) {
  using F = tls::HandshakeView::Field;
  if (looks_encrypted(fragment)) return true;
  while (!fragment.empty()) {
    const auto h = tls::HandshakeView::parse_partial(fragment);
    if (!h.has(F::length)) return true;
    const std::size_t size = tls::HandshakeView::min_size + h->length();
    if (size > fragment.size()) return true;
    if (is_known_handshake_type(h->msg_type())) {
      HandshakeMessage m{h->msg_type(),
                         h->length(),
                         fragment.first(size).drop_first(tls::HandshakeView::min_size),
                         {}};
      m.hello = read_hello(m, captured_end);
      fn(m);
      if (!each_extension(m.hello, [](tls::ExtensionType) {})) return false;
    }
    fragment = fragment.drop_first(size);
  }
  return true;
}

// The host names of a ClientHello's server_name extensions: of a list that
// parses, every name; else, as tshark reads them, names one by one while
// the list's length fits the extension and each name fits the list.
template <class Fn>
void each_server_name(const Hello& hello, Fn&& fn) {
  using E = tls::ClientHelloExtensionView::Field;
  using L = tls::ServerNameListView::Field;
  using N = tls::ServerNameView::Field;
  if (!hello.client) return;
  constexpr std::size_t header = tls::ClientHelloExtensionView::min_size;
  lp::bytes list = hello.extensions;
  while (list.size() >= header) {
    const auto e = tls::ClientHelloExtensionView::parse_partial(list);
    if (!e.has(E::length) || e->length() > list.size() - header) return;
    const lp::bytes data = list.drop_first(header).first(e->length());
    list = list.drop_first(header + e->length());
    if (e->type() != tls::ExtensionType::SERVER_NAME) continue;
    const auto names = tls::ServerNameListView::parse_partial(data);
    if (names.complete()) {
      for (const tls::ServerNameView n : names->names()) fn(n.name());
      continue;
    }
    constexpr std::size_t list_header = tls::ServerNameListView::min_size;
    if (!names.has_value(L::length) || names->length() > data.size() - list_header) continue;
    lp::bytes rest = data.drop_first(list_header).first(names->length());
    while (!rest.empty()) {
      const auto n = tls::ServerNameView::parse_partial(rest);
      if (!n.has_value(N::length)) break;
      const std::size_t size = tls::ServerNameView::min_size + n->length();
      if (size > rest.size()) break;
      fn(rest.first(size).drop_first(tls::ServerNameView::min_size).as_string_view());
      rest = rest.drop_first(size);
    }
  }
}

// The handshake lists. The messages and what tshark reads of the hellos are
// gathered in one walk over the records and the lists written from what was
// kept; a segment with more messages than are kept is walked again per list.
template <class W, class Records>
void handshakes(Frame<W>& f, const Records& records, std::size_t count,
                const std::byte* captured_end) {
  const auto each = [&](auto&& fn) {
    for (std::size_t i = 0; i < count; ++i) each_message_of(records[i].handshake, captured_end, fn);
  };
  constexpr std::size_t max_kept = 8;
  std::array<HandshakeMessage, max_kept> kept{};
  std::size_t messages = 0;
  std::size_t versions = 0;
  std::size_t suites = 0;
  std::size_t extensions = 0;
  std::size_t names = 0;
  each([&](const HandshakeMessage& m) {
    const Hello& hello = m.hello;
    if (messages < max_kept) kept[messages] = m;
    ++messages;
    versions += hello.has_version ? 1 : 0;
    suites += hello.has_suites && (!hello.client || !hello.suites.empty()) ? 1 : 0;
    each_extension(hello, [&](tls::ExtensionType) { ++extensions; });
    each_server_name(hello, [&](std::string_view) { ++names; });
  });
  if (messages == 0) return;
  // `fn(message, hello)` for each message, from what was kept when all of them were.
  const auto each_kept = [&](auto&& fn) {
    if (messages > max_kept) return each([&](const HandshakeMessage& m) { fn(m, m.hello); });
    for (std::size_t i = 0; i < messages; ++i) fn(kept[i], kept[i].hello);
  };
  f.out.begin_list("handshake.type");
  each_kept([&](const HandshakeMessage& m, const Hello&) {
    f.out.item(static_cast<std::uint8_t>(m.type));
  });
  f.out.end_list();
  f.out.begin_list("handshake.length");
  each_kept([&](const HandshakeMessage& m, const Hello&) { f.out.item(m.length); });
  f.out.end_list();
  if (versions != 0) {
    f.out.begin_list("handshake.version");
    each_kept([&](const HandshakeMessage&, const Hello& h) {
      if (h.has_version) f.out.item(h.version);
    });
    f.out.end_list();
  }
  if (suites != 0) {
    f.out.begin_list("handshake.ciphersuite");
    each_kept([&](const HandshakeMessage&, const Hello& h) {
      if (!h.has_suites) return;
      if (!h.client) return f.out.item(h.suite);
      for (const std::uint16_t suite : h.suites) f.out.item(suite);
    });
    f.out.end_list();
  }
  if (extensions != 0) {
    f.out.begin_list("handshake.extension.type");
    each_kept([&](const HandshakeMessage&, const Hello& h) {
      each_extension(
          h, [&](tls::ExtensionType type) { f.out.item(static_cast<std::uint16_t>(type)); });
    });
    f.out.end_list();
  }
  if (names != 0) {
    f.out.begin_list("handshake.sni");
    each_kept([&](const HandshakeMessage&, const Hello& h) {
      each_server_name(h, [&](std::string_view name) { f.out.item_str(name); });
    });
    f.out.end_list();
  }
}

}  // namespace

// Records from the start of the TCP payload. A record is listed when its
// header was captured and it ends within the segment's declared length; one
// cut by the snap length gives its header fields only and ends the walk.
// A payload that does not start with a record header is not TLS
// (a continuation of an earlier record).
template <class W>
void tls(Frame<W>& f, lp::bytes payload, std::size_t declared) {
  using F = tls::OpaqueRecordView::Field;
  std::array<TlsRecord, 16> records{};
  std::size_t count = 0;
  std::size_t offset = 0;
  const std::byte* const captured_end = payload.data() + payload.size();
  while (offset < payload.size() && count < records.size()) {
    const lp::bytes rest = payload.drop_first(offset);
    const auto header = tls::OpaqueRecordView::parse_partial(rest);
    if (!header.has_value(F::length)) break;
    const tls::OpaqueRecordView& h = header.view();
    const auto type = static_cast<std::uint8_t>(h.content_type());
    const auto version = static_cast<std::uint16_t>(h.legacy_version());
    if (type < 20 || type > 24 || (version >> 8) != 3) break;
    const std::size_t end = offset + 5 + h.length();
    if (end > declared) break;
    // Whether there is a record is all a writer without values needs.
    if constexpr (!W::wants_values) return f.out.layer(Layer::tls);
    TlsRecord& r = records[count++];
    r.content_type = type;
    r.version = version;
    r.length = h.length();
    if (!header.complete()) break;  // cut by the capture
    if (h.content_type() == tls::ContentType::HANDSHAKE) {
      r.handshake = h.fragment();
      // An extension running past the captured segment ends tshark's walk
      // (an exception): no message or record after it is listed.
      if (!each_message_of(r.handshake, captured_end, [](const HandshakeMessage&) {})) break;
    }
    offset = end;
  }
  if (count == 0) return;
  f.out.layer(Layer::tls);
  f.out.begin_list("record.content_type");
  for (std::size_t i = 0; i < count; ++i) f.out.item(records[i].content_type);
  f.out.end_list();
  f.out.begin_list("record.version");
  for (std::size_t i = 0; i < count; ++i) f.out.item(records[i].version);
  f.out.end_list();
  f.out.begin_list("record.length");
  for (std::size_t i = 0; i < count; ++i) f.out.item(records[i].length);
  f.out.end_list();
  handshakes(f, records, count, captured_end);
}

#define LPDUMP_INSTANTIATE(W) template void tls(Frame<W>&, lp::bytes, std::size_t);
LPDUMP_FOR_EACH_WRITER(LPDUMP_INSTANTIATE)
#undef LPDUMP_INSTANTIATE

}  // namespace lpdump::walk
