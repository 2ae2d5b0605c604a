// Hand-written views shaped like what lpc emits (docs/internals/contract.md),
// so the runtime's generic parts (struct_array, format, owned) can be tested
// without the compiler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <libparse/runtime.hpp>

namespace lpt {

enum class Proto : std::uint8_t { tcp = 6, udp = 17 };

constexpr std::string_view to_string(Proto p) noexcept {
  switch (p) {
    case Proto::tcp:
      return "TCP";
    case Proto::udp:
      return "UDP";
  }
  return "";
}

// struct Point { x: u16; y: i16; }: fixed size, big-endian.
class PointView {
 public:
  static constexpr std::string_view type_name = "Point";
  static constexpr std::size_t fixed_size = 4;

  PointView() = default;
  PointView(lp::unchecked_t, lp::bytes b) noexcept : data_(b.data()) {}

  static lp::Result<PointView> parse(lp::bytes b, const lp::ParseOptions& = {}) noexcept {
    if (b.size() < fixed_size) {
      return lp::Error(lp::errc::truncated, b.size() < 2 ? "x" : "y", b.size() < 2 ? 0 : 2)
          .with_needed(fixed_size - b.size())
          .push_outer(type_name);
    }
    return PointView(lp::unchecked, b);
  }

  std::uint16_t x() const noexcept { return lp::load_be<std::uint16_t>(data_); }
  std::int16_t y() const noexcept { return lp::load_be<std::int16_t>(data_ + 2); }
  lp::bytes bytes() const noexcept { return lp::bytes(data_, data_ == nullptr ? 0 : fixed_size); }

  void visit(lp::FieldVisitor& v) const {
    v.on_unsigned("x", x(), bytes().slice(0, 2));
    v.on_signed("y", y(), bytes().slice(2, 2));
  }

 protected:
  const std::byte* data_ = nullptr;
};

class PointMut : public PointView {
 public:
  PointMut() = default;
  PointMut(lp::unchecked_t, lp::mut_bytes b) noexcept : PointView(lp::unchecked, b) {}
  void set_x(std::uint16_t v) const noexcept { lp::store_be(mut(), v); }
  void set_y(std::int16_t v) const noexcept { lp::store_be(mut() + 2, v); }

 private:
  // Built from mut_bytes only, so the memory is writable.
  std::byte* mut() const noexcept { return const_cast<std::byte*>(data_); }
};

// struct Udp { src_port: u16; dst_port: u16; length: u16 where length >= 8;
//              checksum: u16; payload: bytes[length - 8]; }
class UdpView {
 public:
  static constexpr std::string_view type_name = "Udp";
  static constexpr std::size_t min_size = 8;

  UdpView() = default;

  static lp::Result<UdpView> parse(lp::bytes b, const lp::ParseOptions& = {}) noexcept {
    static constexpr std::string_view fields[] = {"src_port", "dst_port", "length", "checksum"};
    if (b.size() < min_size) {
      const std::size_t field = b.size() / 2;
      return lp::Error(lp::errc::truncated, fields[field], field * 2)
          .with_needed(min_size - b.size())
          .push_outer(type_name);
    }
    const std::uint16_t length = lp::load_be<std::uint16_t>(b.data() + 4);
    if (length < 8) {
      return lp::Error(lp::errc::constraint_failed, "length", 4)
          .with_text("length >= 8")
          .with_actual(length)
          .push_outer(type_name);
    }
    if (length > b.size()) {
      return lp::Error(lp::errc::truncated, "payload", 8)
          .with_needed(length - b.size())
          .push_outer(type_name);
    }
    UdpView v;
    v.data_ = b.data();
    v.size_ = length;
    return v;
  }

  std::uint16_t src_port() const noexcept { return lp::load_be<std::uint16_t>(data_); }
  std::uint16_t dst_port() const noexcept { return lp::load_be<std::uint16_t>(data_ + 2); }
  std::uint16_t length() const noexcept { return lp::load_be<std::uint16_t>(data_ + 4); }
  std::uint16_t checksum() const noexcept { return lp::load_be<std::uint16_t>(data_ + 6); }
  lp::bytes payload() const noexcept { return bytes().drop_first(8); }
  lp::bytes bytes() const noexcept { return lp::bytes(data_, size_); }
  std::size_t size() const noexcept { return size_; }

  void visit(lp::FieldVisitor& v) const {
    v.on_unsigned("src_port", src_port(), bytes().slice(0, 2));
    v.on_unsigned("dst_port", dst_port(), bytes().slice(2, 2));
    v.on_unsigned("length", length(), bytes().slice(4, 2));
    v.on_unsigned("checksum", checksum(), bytes().slice(6, 2));
    v.on_bytes("payload", payload());
  }

 protected:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

class UdpMut : public UdpView {
 public:
  static lp::Result<UdpMut> parse(lp::mut_bytes b, const lp::ParseOptions& o = {}) noexcept {
    lp::Result<UdpView> v = UdpView::parse(b, o);
    if (!v) return v.error();
    UdpMut m;
    static_cast<UdpView&>(m) = *v;
    return m;
  }
  void set_checksum(std::uint16_t v) noexcept {
    lp::store_be(const_cast<std::byte*>(data_) + 6, v);
  }
};

// Every kind of field a visitor can see:
//   version: u4; ihl: u4; protocol: Proto; delta: i8; temp: f32; origin: Point;
//   samples: u16[3]; points: Point[2]; name: bytes (the rest).
class PacketView {
 public:
  static constexpr std::string_view type_name = "Packet";
  static constexpr std::size_t min_size = 25;

  PacketView() = default;

  static lp::Result<PacketView> parse(lp::bytes b, const lp::ParseOptions& = {}) noexcept {
    if (b.size() < min_size) {
      return lp::Error(lp::errc::truncated, "", 0)
          .with_needed(min_size - b.size())
          .push_outer(type_name);
    }
    PacketView v;
    v.buf_ = b;
    return v;
  }

  std::uint8_t version() const noexcept {
    return static_cast<std::uint8_t>(lp::read_bits_msb(buf_.data(), 0, 4));
  }
  std::uint8_t ihl() const noexcept {
    return static_cast<std::uint8_t>(lp::read_bits_msb(buf_.data(), 4, 4));
  }
  Proto protocol() const noexcept { return static_cast<Proto>(buf_.u8(1)); }
  std::int8_t delta() const noexcept { return lp::load_be<std::int8_t>(buf_.data() + 2); }
  float temp() const noexcept { return lp::load_be<float>(buf_.data() + 3); }
  PointView origin() const noexcept { return PointView(lp::unchecked, buf_.slice(7, 4)); }
  lp::array_view<lp::be_u16> samples() const noexcept {
    return lp::array_view<lp::be_u16>(buf_.slice(11, 6));
  }
  lp::struct_array<PointView> points() const noexcept {
    return lp::struct_array<PointView>(buf_.slice(17, 8));
  }
  lp::bytes name() const noexcept { return buf_.drop_first(25); }
  lp::bytes bytes() const noexcept { return buf_; }

  void visit(lp::FieldVisitor& v) const {
    v.on_unsigned("version", version(), buf_.slice(0, 1));
    v.on_unsigned("ihl", ihl(), buf_.slice(0, 1));
    v.on_enum("protocol", static_cast<std::uint64_t>(protocol()), to_string(protocol()),
              buf_.slice(1, 1));
    v.on_signed("delta", delta(), buf_.slice(2, 1));
    v.on_float("temp", temp(), buf_.slice(3, 4));
    v.begin_struct("origin", PointView::type_name, origin().bytes());
    origin().visit(v);
    v.end_struct();
    {
      const auto array = samples();
      v.begin_array("samples", array.size(), array.bytes());
      for (std::size_t i = 0; i < array.size(); ++i) {
        v.on_unsigned("", array[i], array.bytes().subspan(i * 2, 2));
      }
      v.end_array();
    }
    {
      const auto array = points();
      v.begin_array("points", array.size(), array.bytes());
      for (std::size_t i = 0; i < array.size(); ++i) {
        v.begin_struct("", PointView::type_name, array[i].bytes());
        array[i].visit(v);
        v.end_struct();
      }
      v.end_array();
    }
    v.on_bytes("name", name());
  }

 private:
  lp::bytes buf_;
};

}  // namespace lpt
