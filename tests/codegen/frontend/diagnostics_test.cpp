// SourceFile positions and the exact text Diagnostics::render produces.
#include "diag/diagnostics.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lpc {
namespace {

SourceRange range_of(const SourceFile& f, std::string_view needle, std::size_t length = 0) {
  const auto at = static_cast<std::uint32_t>(f.text.find(needle));
  return {&f, at, static_cast<std::uint32_t>(at + (length ? length : needle.size()))};
}

TEST(SourceFile, LineStartsAndColumns) {
  const SourceFile f = SourceFile::make("a.lps", "a.lps", "ab\ncd\r\n\nxyz");
  EXPECT_EQ(f.line_starts, (std::vector<std::uint32_t>{0, 3, 7, 8}));
  EXPECT_EQ(f.line_col(0).line, 1u);
  EXPECT_EQ(f.line_col(0).column, 1u);
  EXPECT_EQ(f.line_col(2).line, 1u);  // the newline belongs to its line
  EXPECT_EQ(f.line_col(2).column, 3u);
  EXPECT_EQ(f.line_col(3).line, 2u);
  EXPECT_EQ(f.line_col(4).column, 2u);
  EXPECT_EQ(f.line_col(7).line, 3u);
  EXPECT_EQ(f.line_col(10).line, 4u);
  EXPECT_EQ(f.line_col(10).column, 3u);
  EXPECT_EQ(f.line_col(11).column, 4u);    // end of file
  EXPECT_EQ(f.line_col(1000).column, 4u);  // clamped
  EXPECT_EQ(f.line_text(1), "ab");
  EXPECT_EQ(f.line_text(2), "cd");  // without the \r
  EXPECT_EQ(f.line_text(3), "");
  EXPECT_EQ(f.line_text(4), "xyz");
  EXPECT_EQ(f.line_text(0), "");
  EXPECT_EQ(f.line_text(5), "");
}

TEST(SourceFile, Empty) {
  const SourceFile f = SourceFile::make("e.lps", "e.lps", "");
  EXPECT_EQ(f.line_starts.size(), 1u);
  EXPECT_EQ(f.line_col(0).line, 1u);
  EXPECT_EQ(f.line_text(1), "");
}

TEST(Diagnostics, ErrorWithHint) {
  const SourceFile f = SourceFile::make(
      "x", "schemas/net/ipv4.lps", "package net;\nstruct Ipv4 {\n  ihl: u4 where ih >= 5;\n}\n");
  Diagnostics d;
  d.error(range_of(f, "ih >="), "unknown field 'ih'", "did you mean 'ihl'?");
  // Only the name is underlined when the range says so.
  Diagnostics d2;
  d2.error(range_of(f, "ih >=", 2), "unknown field 'ih'", "did you mean 'ihl'?");
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d2.render(),
            "schemas/net/ipv4.lps:3:17: error: unknown field 'ih'\n"
            "      ihl: u4 where ih >= 5;\n"
            "                    ^~\n"
            "hint: did you mean 'ihl'?\n"
            "1 error generated.\n");
  EXPECT_EQ(d.render(),
            "schemas/net/ipv4.lps:3:17: error: unknown field 'ih'\n"
            "      ihl: u4 where ih >= 5;\n"
            "                    ^~~~~\n"
            "hint: did you mean 'ihl'?\n"
            "1 error generated.\n");
}

TEST(Diagnostics, SeveritiesAndPlural) {
  const SourceFile f = SourceFile::make("a.lps", "a.lps", "a: u8;\na: u8;\n");
  Diagnostics d;
  d.error({&f, 7, 8}, "duplicate field 'a'");
  d.note({&f, 0, 1}, "'a' first declared here");
  d.warning({&f, 3, 5}, "something odd");
  d.error({}, "cannot open 'b.lps': No such file or directory");
  EXPECT_EQ(d.error_count(), 2u);
  EXPECT_EQ(d.render(),
            "a.lps:2:1: error: duplicate field 'a'\n"
            "    a: u8;\n"
            "    ^\n"
            "a.lps:1:1: note: 'a' first declared here\n"
            "    a: u8;\n"
            "    ^\n"
            "a.lps:1:4: warning: something odd\n"
            "    a: u8;\n"
            "       ^~\n"
            "lpc: error: cannot open 'b.lps': No such file or directory\n"
            "2 errors generated.\n");
}

TEST(Diagnostics, NoSummaryWithoutErrors) {
  Diagnostics d;
  EXPECT_EQ(d.render(), "");
  d.warning({}, "just a warning", "a hint");
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.render(), "lpc: warning: just a warning\nhint: a hint\n");
}

TEST(Diagnostics, TabsAreKeptSoColumnsLineUp) {
  const SourceFile f = SourceFile::make("t.lps", "t.lps", "\tx:\tu8 where y;\n");
  Diagnostics d;
  d.error(range_of(f, "y"), "unknown field 'y'");
  EXPECT_EQ(d.render(),
            "t.lps:1:14: error: unknown field 'y'\n"
            "    \tx:\tu8 where y;\n"
            "    \t  \t         ^\n"
            "1 error generated.\n");
}

TEST(Diagnostics, MultiLineRangeUnderlinesTheFirstLine) {
  const SourceFile f = SourceFile::make("m.lps", "m.lps", "  a: switch (t) {\n  };\n");
  Diagnostics d;
  d.error(range_of(f, "switch (t) {\n  }"), "bad switch");
  EXPECT_EQ(d.render(),
            "m.lps:1:6: error: bad switch\n"
            "      a: switch (t) {\n"
            "         ^~~~~~~~~~~~\n"
            "1 error generated.\n");
}

TEST(Diagnostics, ALongLineIsShownAroundTheRange) {
  // 50,000 operators on one line: the line is cut 60 bytes before the range and
  // shown 160 bytes long, "..." at both cuts, the caret still under the range.
  std::string text = "let t = a";
  for (int i = 0; i < 50000; ++i) text += " + a";
  text += ";\n";
  const SourceFile f = SourceFile::make("l.lps", "l.lps", text);
  Diagnostics d;
  const std::uint32_t at = 829;  // the 206th `+`
  d.error({&f, at, at + 1}, "too many operators");
  const std::string shown = text.substr(at - 60, 160);
  EXPECT_EQ(d.render(),
            "l.lps:1:830: error: too many operators\n"
            "    ..." +
                shown +
                "...\n"
                "    " +
                std::string(63, ' ') +
                "^\n"
                "1 error generated.\n");
  // A range near the start is shown from the start, cut at the back only.
  Diagnostics near_start;
  near_start.error({&f, 4, 5}, "here");
  EXPECT_EQ(near_start.render(),
            "l.lps:1:5: error: here\n"
            "    " +
                text.substr(0, 160) +
                "...\n"
                "        ^\n"
                "1 error generated.\n");
}

TEST(Diagnostics, EndOfFileAndUtf8) {
  const SourceFile f = SourceFile::make("u.lps", "u.lps", "// \xC3\xA9t\xC3\xA9\nstruct S {");
  Diagnostics d;
  const auto end = static_cast<std::uint32_t>(f.text.size());
  d.error({&f, end, end}, "expected '}'");
  d.error(range_of(f, "t"), "here");
  EXPECT_EQ(d.render(),
            "u.lps:2:11: error: expected '}'\n"
            "    struct S {\n"
            "              ^\n"
            "u.lps:1:6: error: here\n"
            "    // \xC3\xA9t\xC3\xA9\n"
            "        ^\n"
            "2 errors generated.\n");
}

TEST(Diagnostics, Color) {
  const SourceFile f = SourceFile::make("c.lps", "c.lps", "x\n");
  Diagnostics d;
  d.error({&f, 0, 1}, "bad", "fix it");
  d.warning({&f, 0, 1}, "odd");
  const std::string out = d.render(true);
  EXPECT_NE(out.find("\033[1;31merror:\033[0m"), std::string::npos);
  EXPECT_NE(out.find("\033[1;33mwarning:\033[0m"), std::string::npos);
  EXPECT_NE(out.find("hint:"), std::string::npos);
  EXPECT_EQ(d.render(false).find('\033'), std::string::npos);
}

}  // namespace
}  // namespace lpc
