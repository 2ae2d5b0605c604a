// lp::view_base, lp::mut_base, lp::type_base, lp::serializer_base
// (libparse/view_base.hpp) over a hand-written struct shaped like what lpc emits
// for `struct Pair(limit: u8) { a: u8 where a <= limit; _: u8; b: u8; }`, the
// bases instantiated here as a generated source file does (entry_points.hpp).
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <libparse/entry_points.hpp>
#include <libparse/runtime.hpp>

namespace lpt_base {

class PairView : public lp::view_base<PairView, std::uint8_t> {
 public:
  static constexpr std::string_view type_name = "Pair";
  static constexpr std::size_t min_size = 3;
  static constexpr std::size_t fixed_size = 3;
  using view_base::view_base;
  static lp::Status parse_into(PairView& view, lp::bytes buffer, std::uint8_t limit,
                               const lp::ParseOptions& options, std::size_t) noexcept {
    view.data_ = buffer.data();
    if (buffer.size() < 3) {
      const bool has_a = !buffer.empty();
      return fail_(lp::Error(lp::errc::truncated, has_a ? "_" : "a", has_a ? 1 : 0)
                       .with_needed(3 - buffer.size()),
                   has_a ? "_" : "a", options);
    }
    const auto a = std::to_integer<std::uint8_t>(buffer[0]);
    if (a > limit) {
      return fail_(
          lp::Error(lp::errc::constraint_failed, "a", 0).with_text("a <= limit").with_actual(a),
          "a", options);
    }
    view.size_ = 3;
    return {};
  }

  enum class Field : std::uint8_t { a, b };
  static constexpr std::size_t field_count = 2;
  static constexpr std::array<lp::member_name, 3> members_{
      {{"a", true}, {"_", false}, {"b", true}}};

  std::uint8_t a() const noexcept { return std::to_integer<std::uint8_t>(data_[0]); }
  std::uint8_t b() const noexcept { return std::to_integer<std::uint8_t>(data_[2]); }
};

class PairMut : public lp::mut_base<PairMut, PairView, std::uint8_t> {
 public:
  using mut_base::mut_base;
  void set_b(std::uint8_t v) noexcept { mut_data_()[2] = static_cast<std::byte>(v); }
};

struct PairValue {
  std::uint8_t a{};
  std::uint8_t b{};
};

struct Pair : lp::type_base<PairView, PairMut, std::uint8_t>,
              lp::serializer_base<Pair, PairValue, std::uint8_t> {
  static lp::Status serialize_to(lp::Writer& out, const PairValue& value, std::uint8_t,
                                 const lp::InternetChecksum* = nullptr) noexcept {
    out.put_uint(value.a, 8, lp::byte_order::big, false, "a");
    out.put_zeros(1, "_");
    out.put_uint(value.b, 8, lp::byte_order::big, false, "b");
    return out.outer(PairView::type_name);
  }
};

// A variable-size view: no fixed_size, so no unchecked constructor.
class BlobView : public lp::view_base<BlobView> {
 public:
  static constexpr std::string_view type_name = "Blob";
  static lp::Status parse_into(BlobView& view, lp::bytes buffer, const lp::ParseOptions&,
                               std::size_t) noexcept {
    view.data_ = buffer.data();
    view.size_ = buffer.size();
    return {};
  }
  enum class Field : std::uint8_t {};
  static constexpr std::size_t field_count = 0;
  static constexpr std::array<lp::member_name, 0> members_{};
};

}  // namespace lpt_base

// What a generated source file writes for each struct.
template class lp::view_base<lpt_base::PairView, std::uint8_t>;
template class lp::mut_base<lpt_base::PairMut, lpt_base::PairView, std::uint8_t>;
template struct lp::type_base<lpt_base::PairView, lpt_base::PairMut, std::uint8_t>;
template struct lp::serializer_base<lpt_base::Pair, lpt_base::PairValue, std::uint8_t>;
template class lp::view_base<lpt_base::BlobView>;

namespace {

using lpt_base::BlobView;
using lpt_base::Pair;
using lpt_base::PairMut;
using lpt_base::PairValue;
using lpt_base::PairView;

// The bases add nothing to a view but the two words every view had.
static_assert(sizeof(PairView) == sizeof(const std::byte*) + sizeof(std::size_t));
static_assert(sizeof(PairMut) == sizeof(PairView));
static_assert(std::is_trivially_copyable_v<PairView> && std::is_trivially_copyable_v<PairMut>);
static_assert(std::is_empty_v<Pair>);
static_assert(std::is_same_v<Pair::View, PairView> && std::is_same_v<Pair::Mut, PairMut> &&
              std::is_same_v<Pair::Value, PairValue>);

// The unchecked constructors exist for fixed-size views only.
static_assert(std::is_constructible_v<PairView, lp::unchecked_t, lp::bytes>);
static_assert(std::is_constructible_v<PairMut, lp::unchecked_t, lp::mut_bytes>);
static_assert(std::is_constructible_v<PairMut, lp::unchecked_t, const PairView&>);
static_assert(!std::is_constructible_v<BlobView, lp::unchecked_t, lp::bytes>);
static_assert(!std::is_constructible_v<PairMut, lp::unchecked_t, lp::bytes>);

// field_named() and field_rank() read the view's members_ table, at compile time.
static_assert(PairView::field_named("b") == PairView::Field::b);
static_assert(!PairView::field_named("_") && !PairView::field_named("c"));
static_assert(PairView::field_rank("a") == 0 && PairView::field_rank("_") == 1 &&
              PairView::field_rank("b") == 1 && PairView::field_rank("c") == 2);
static_assert(
    std::is_same_v<decltype(PairView::field_named("a")), lp::optional_value<PairView::Field>>);

std::array<std::byte, 3> pair_bytes(std::uint8_t a, std::uint8_t b) {
  return {static_cast<std::byte>(a), std::byte{0}, static_cast<std::byte>(b)};
}

TEST(ViewBase, ParseRunsTheViewsParseIntoWithItsParameters) {
  const auto buffer = pair_bytes(4, 9);
  const lp::Result<PairView> pair = PairView::parse(lp::bytes(buffer), 5);
  ASSERT_TRUE(pair) << pair.error().message();
  EXPECT_EQ(pair->a(), 4);
  EXPECT_EQ(pair->b(), 9);
  EXPECT_EQ(pair->size(), 3U);
  EXPECT_EQ(pair->bytes().data(), buffer.data());
  EXPECT_EQ(pair->bytes().size(), 3U);
  EXPECT_TRUE(Pair::parse(lp::bytes(buffer), 4));   // the wrapper's, the same
  EXPECT_FALSE(Pair::parse(lp::bytes(buffer), 3));  // a > limit
  EXPECT_EQ(PairView().size(), 0U);                 // an empty view
}

TEST(ViewBase, ErrorsLeaveThroughFailWithTheTypeNameAndTheHandler) {
  struct Seen {
    std::vector<std::string> calls;
  } seen;
  lp::ParseOptions options;
  options.on_error_context = &seen;
  options.on_error = [](void* context, std::string_view type, std::string_view field,
                        const lp::Error&) {
    static_cast<Seen*>(context)->calls.push_back(std::string(type) + "." + std::string(field));
  };
  const auto buffer = pair_bytes(7, 0);
  const lp::Result<PairView> pair = PairView::parse_nested(lp::bytes(buffer), 5, options, 2);
  ASSERT_FALSE(pair);
  EXPECT_EQ(pair.error().code(), lp::errc::constraint_failed);
  EXPECT_EQ(pair.error().field_path(), "Pair.a");
  EXPECT_EQ(pair.error().actual(), 7U);
  EXPECT_EQ(seen.calls, std::vector<std::string>{"Pair.a"});
}

TEST(ViewBase, ParsePartialKeepsWhatWasRead) {
  const auto buffer = pair_bytes(1, 2);
  const lp::Partial<PairView> cut = PairView::parse_partial(lp::bytes(buffer).first(2), 5);
  ASSERT_FALSE(cut.complete());
  EXPECT_EQ(cut.error().code(), lp::errc::truncated);
  EXPECT_EQ(cut.error().needed(), 1U);
  EXPECT_TRUE(cut.has(PairView::Field::a));
  EXPECT_FALSE(cut.has(PairView::Field::b));
  EXPECT_EQ(cut->a(), 1);
  EXPECT_TRUE(PairView::parse_partial(lp::bytes(buffer), 5).complete());
}

TEST(MutBase, ParsesMutableMemoryAndWritesThroughIt) {
  auto buffer = pair_bytes(2, 3);
  lp::Result<PairMut> pair = PairMut::parse(lp::mut_bytes(buffer), 5);
  ASSERT_TRUE(pair);
  pair->set_b(42);
  EXPECT_EQ(std::to_integer<int>(buffer[2]), 42);
  EXPECT_EQ(pair->mut_bytes().data(), buffer.data());
  EXPECT_EQ(pair->mut_bytes().size(), 3U);
  EXPECT_FALSE(PairMut::parse(lp::mut_bytes(buffer), 1));
  const lp::Result<PairMut> again = Pair::parse_mut(lp::mut_bytes(buffer), 5);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->b(), 42);
  PairMut in_place(lp::unchecked, lp::mut_bytes(buffer));  // a fixed-size struct, known valid
  in_place.set_b(7);
  EXPECT_EQ(PairView(lp::unchecked, lp::bytes(buffer)).b(), 7);
}

TEST(SerializerBase, WritesChecksAndSizesThroughSerializeTo) {
  std::array<std::byte, 8> out{};
  const lp::Result<std::size_t> written = Pair::serialize(PairValue{3, 8}, lp::mut_bytes(out), 5);
  ASSERT_TRUE(written) << written.error().message();
  EXPECT_EQ(*written, 3U);
  EXPECT_EQ(std::to_integer<int>(out[2]), 8);
  const auto bytes = Pair::serialize(PairValue{3, 8}, 5);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, std::vector<std::byte>(out.begin(), out.begin() + 3));
  const lp::Result<std::size_t> size = Pair::serialized_size(PairValue{3, 8}, 5);
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, 3U);
  // What serialize() wrote is parsed back, with the same parameters: a > limit fails.
  const lp::Result<std::size_t> rejected = Pair::serialize(PairValue{6, 0}, lp::mut_bytes(out), 5);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code(), lp::errc::constraint_failed);
  // Too small a buffer: the writer's truncation, as parse() reports one.
  const lp::Result<std::size_t> cut =
      Pair::serialize(PairValue{1, 1}, lp::mut_bytes(out).first(2), 5);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code(), lp::errc::truncated);
}

}  // namespace
