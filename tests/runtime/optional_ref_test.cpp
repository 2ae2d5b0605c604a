// optional_ref.hpp: std::optional's reading interface over a reference, and the
// copy it converts to.
#include <libparse/optional_ref.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <type_traits>

namespace {

static_assert(std::is_trivially_copyable_v<lp::optional_ref<std::string>>);
static_assert(sizeof(lp::optional_ref<std::string>) == sizeof(const std::string*));
static_assert(!std::is_convertible_v<const std::string&, lp::optional_ref<std::string>>,
              "made from a reference only explicitly");
static_assert(!std::is_constructible_v<lp::optional_ref<std::string>, std::string&&>,
              "never from a temporary");
static_assert(std::is_convertible_v<lp::optional_ref<std::string>, std::optional<std::string>>);

TEST(OptionalRef, EmptyReadsAsNullopt) {
  const lp::optional_ref<std::string> empty;
  EXPECT_FALSE(empty.has_value());
  EXPECT_FALSE(empty);
  EXPECT_TRUE(empty == std::nullopt);
  EXPECT_FALSE(empty != std::nullopt);
  EXPECT_EQ(empty.value_or("fallback"), "fallback");
  const std::optional<std::string> copy = empty;
  EXPECT_FALSE(copy.has_value());
  const lp::optional_ref<std::string> from_nullopt = std::nullopt;
  EXPECT_FALSE(from_nullopt.has_value());
}

TEST(OptionalRef, PresentRefersToTheObjectItself) {
  std::string text = "abc";
  const lp::optional_ref<std::string> ref(text);
  ASSERT_TRUE(ref.has_value());
  EXPECT_TRUE(ref);
  EXPECT_TRUE(ref != std::nullopt);
  EXPECT_EQ(&*ref, &text);  // no copy
  EXPECT_EQ(&ref.value(), &text);
  EXPECT_EQ(ref->size(), 3u);
  EXPECT_EQ(ref.value_or("fallback"), "abc");
  text += "d";  // a reference: it sees the change
  EXPECT_EQ(*ref, "abcd");
}

TEST(OptionalRef, ConvertsToAnIndependentCopy) {
  std::string text = "abc";
  const lp::optional_ref<std::string> ref(text);
  const std::optional<std::string> copy = ref;
  text = "changed";
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(*copy, "abc");
}

TEST(OptionalRefDeathTest, ValueOnEmptyAborts) {
  const lp::optional_ref<std::string> empty;
  EXPECT_DEATH(static_cast<void>(empty.value()), "empty optional_ref");
}

}  // namespace
