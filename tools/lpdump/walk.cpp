// The walk's entry (walk.hpp): a frame's own fields (frame.*), then its bytes
// handed to the link layer (walk/link.cpp) by link type.
#include "walk.hpp"

#include <string_view>

#include "walk/frame.hpp"

namespace lpdump {

namespace {

// pcapng packet comments (opt_comment), each as tshark keeps it: its text up
// to its first NUL byte.
template <class W>
void comments(W& out, const PacketOptions& options) {
  bool any = false;
  for (const capture::PcapngPacketOptionView option : options) {
    if (const auto comment = option.value_comment()) {
      if (!any) out.begin_list("comment");
      any = true;
      const std::string_view text = comment->text();
      out.item_str(text.substr(0, text.find('\0')));
    }
  }
  if (any) out.end_list();
}

}  // namespace

bool supported_link_type(std::uint32_t link_type) noexcept {
  return walk::is_walked_link_type(link_type);
}

template <class Writer>
WalkResult dissect(const Packet& packet, Writer& out) {
  out.begin_frame();
  out.section("frame");
  out.u("number", packet.number);
  out.u("cap_len", packet.data.size());
  out.u("len", packet.len);
  if (packet.has_time) out.epoch("time_epoch", packet.seconds, packet.nanoseconds);
  if (packet.interface_id) out.u("interface_id", *packet.interface_id);
  if (packet.options) comments(out, *packet.options);
  walk::Frame<Writer> frame{out,
                            packet.len > packet.data.size() ? packet.len - packet.data.size() : 0};
  const bool walked = walk::link(frame, packet.link_type, packet.data);
  out.end_frame();
  return walked ? WalkResult::ok : WalkResult::unsupported_link_type;
}

template WalkResult dissect(const Packet&, JsonWriter&);
template WalkResult dissect(const Packet&, TreeWriter&);
template WalkResult dissect(const Packet&, ChainWriter&);

}  // namespace lpdump
