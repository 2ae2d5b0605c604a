// optional_value.hpp: std::optional's reading interface over a trivially copyable
// value, the conversions to and from it, and what it refuses to hold.
#include <libparse/optional_value.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include <libparse/bytes.hpp>
#include <libparse/optional_ref.hpp>

namespace {

enum class Colour : std::uint8_t { red, green };

struct Point {  // a view-like value: default member initialisers, trivially copyable
  int x = 1;
  int y = 2;
};

static_assert(std::is_trivially_copyable_v<lp::optional_value<Point>>);
static_assert(std::is_trivially_copyable_v<lp::optional_value<lp::bytes>>);
static_assert(std::is_convertible_v<Point, lp::optional_value<Point>>,
              "implicit, as std::optional");
static_assert(std::is_convertible_v<lp::optional_value<Point>, std::optional<Point>>);
static_assert(!std::is_convertible_v<lp::optional_value<Point>, std::optional<int>>);
static_assert(std::is_convertible_v<lp::optional_ref<Point>, lp::optional_value<Point>>);
// optional_ref of a type optional_value cannot hold still converts to std::optional.
static_assert(std::is_convertible_v<lp::optional_ref<std::string>, std::optional<std::string>>);
static_assert(!std::is_convertible_v<lp::optional_ref<std::string>, lp::optional_value<int>>);

TEST(OptionalValue, EmptyReadsAsNullopt) {
  constexpr lp::optional_value<Point> empty;
  static_assert(!empty.has_value());
  EXPECT_FALSE(empty);
  EXPECT_TRUE(empty == std::nullopt);
  EXPECT_FALSE(empty != std::nullopt);
  EXPECT_EQ(empty.value_or(Point{5, 6}).x, 5);
  const std::optional<Point> copy = empty;
  EXPECT_FALSE(copy.has_value());
  const lp::optional_value<Point> from_nullopt = std::nullopt;
  EXPECT_FALSE(from_nullopt.has_value());
}

TEST(OptionalValue, PresentHoldsACopy) {
  Point point{3, 4};
  const lp::optional_value<Point> held = point;
  point.x = 30;  // a copy: the change is not seen
  ASSERT_TRUE(held.has_value());
  EXPECT_TRUE(held != std::nullopt);
  EXPECT_EQ(held->x, 3);
  EXPECT_EQ((*held).y, 4);
  EXPECT_EQ(held.value().x, 3);
  EXPECT_EQ(held.value_or(Point{9, 9}).x, 3);
  const std::optional<Point> as_std = held;
  ASSERT_TRUE(as_std.has_value());
  EXPECT_EQ(as_std->y, 4);
}

TEST(OptionalValue, MutableThroughANonConstOne) {
  lp::optional_value<Point> held = Point{1, 1};
  held->x = 10;
  (*held).y = 20;
  EXPECT_EQ(held->x, 10);
  EXPECT_EQ(held->y, 20);
}

TEST(OptionalValue, ComparesWithAValueWhenTheTypeDoes) {
  constexpr lp::optional_value<Colour> green = Colour::green;
  static_assert(green == Colour::green);
  static_assert(!(green == Colour::red));
  static_assert(Colour::green == green);  // the reversed form, as C++20 writes it
  constexpr lp::optional_value<Colour> none;
  static_assert(!(none == Colour::red));
  static_assert(none == std::nullopt);
}

TEST(OptionalValue, CopiesWhatAnOptionalRefReferTo) {
  Point point{7, 8};
  const lp::optional_ref<Point> ref(point);
  const lp::optional_value<Point> copy = ref;
  point.x = 70;
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->x, 7);
  const lp::optional_value<Point> none = lp::optional_ref<Point>();
  EXPECT_FALSE(none.has_value());
}

TEST(OptionalValueDeathTest, ValueOnEmptyAborts) {
  const lp::optional_value<Point> empty;
  EXPECT_DEATH(static_cast<void>(empty.value()), "empty optional_value");
}

}  // namespace
