// Generated reference accessors (schemas/demo/references.lps): a target declared
// later in the header, an argument computed from the referring struct's fields,
// the backward rule, argument overflow and errors inside the target.
#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "demo/references.lp.hpp"
#include "libparse/format.hpp"

namespace {

// Blobs "abcd" @0 and "ef" @4, then the directory @6: two entries.
std::vector<std::uint8_t> message() {
  return {
      'a',  'b',  'c',  'd', 'e', 'f',  // blobs
      0x02,                             // @6 count 2
      0x00, 0x00, 0x02,                 // entry: offset 0, 2 * 2 bytes
      0x00, 0x04, 0x01,                 // entry: offset 4, 1 * 2 bytes
  };
}

TEST(GeneratedReference, ReadsTheTargetAtItsOffset) {
  const auto m = message();
  const auto dir = demo::Directory::parse(lp::bytes(m).drop_first(6));
  ASSERT_TRUE(dir) << dir.error();
  std::vector<std::string_view> texts;
  for (const demo::DirEntryView entry : dir->entries()) {
    lp::PointerChain chain(m);  // one chain per walk
    const auto blob = entry.blob(chain);
    ASSERT_TRUE(blob) << blob.error();
    texts.push_back(blob->data().as_string_view());
    EXPECT_EQ(chain.hops(), 1u);
  }
  EXPECT_EQ(texts, (std::vector<std::string_view>{"abcd", "ef"}));
}

TEST(GeneratedReference, TargetMustComeBefore) {
  auto m = message();
  m[8] = 0x07;  // the first entry now names offset 7: itself
  const auto dir = demo::Directory::parse(lp::bytes(m).drop_first(6));
  ASSERT_TRUE(dir);
  lp::PointerChain chain(m);
  const auto blob = dir->entries()[0].blob(chain);
  ASSERT_FALSE(blob);
  EXPECT_EQ(blob.error().code(), lp::errc::bad_pointer);
  EXPECT_EQ(blob.error().field_path(), "DirEntry.blob");
  EXPECT_EQ(blob.error().byte_offset(), 7u);
  EXPECT_EQ(blob.error().actual(), 7u);
}

TEST(GeneratedReference, ArgumentOverflowAndErrorsInTheTarget) {
  auto m = message();
  m[9] = 200;  // 200 * 2 does not fit Blob's u8 parameter
  auto dir = demo::Directory::parse(lp::bytes(m).drop_first(6));
  ASSERT_TRUE(dir);
  lp::PointerChain chain(m);
  const auto wide = dir->entries()[0].blob(chain);
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().code(), lp::errc::overflow);
  EXPECT_EQ(wide.error().text(), "half_length * 2");

  m[9] = 0x02;
  m[12] = 0x05;  // the second entry: 10 bytes from offset 4, past the message's 13
  dir = demo::Directory::parse(lp::bytes(m).drop_first(6));
  ASSERT_TRUE(dir);
  lp::PointerChain second(m);
  const auto cut = dir->entries()[1].blob(second);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code(), lp::errc::truncated);
  EXPECT_EQ(cut.error().field_path(), "DirEntry.blob.Blob.data");
  EXPECT_EQ(cut.error().byte_offset(), 4u);  // from the message's start
}

}  // namespace
