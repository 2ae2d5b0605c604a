// CodeWriter, the emitters' one way of building code (codegen/emit/code_writer.hpp):
// placeholders, a placeholder after a literal brace, indentation of nested
// blocks, and the errors an emitter's typo gets.
#include "emit/code_writer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace lpc::emit {
namespace {

TEST(CodeWriter, ReplacesEveryPlaceholderAndEndsTheLine) {
  CodeWriter code;
  code.set("NAME", "ttl");
  code.set("TYPE", "std::uint8_t");
  code += "  {{TYPE}} {{NAME}}() const noexcept;  // {{NAME}}";
  EXPECT_EQ(code.str(), "  std::uint8_t ttl() const noexcept;  // ttl\n");
}

TEST(CodeWriter, LaterSetReplacesTheValue) {
  CodeWriter code;
  code.set("N", "1");
  code += "{{N}}";
  code.set("N", "2");
  code += "{{N}}";
  EXPECT_EQ(code.str(), "1\n2\n");
}

TEST(CodeWriter, PlaceholderAfterALiteralBrace) {
  CodeWriter code;
  code.set("VALUE", "size");
  code.set("ARGS", "view.a, view.b");
  code += "const lp::cu64 length{{{VALUE}}};";
  code += "args{{{ARGS}}};  // {} {{{ARGS}}}";
  EXPECT_EQ(code.str(),
            "const lp::cu64 length{size};\n"
            "args{view.a, view.b};  // {} {view.a, view.b}\n");
}

TEST(CodeWriter, SingleBracesAreText) {
  CodeWriter code;
  code.set("NUL", "nul_0");
  code += "  while ({{NUL}} < size && buffer[{{NUL}}] != std::byte{0}) ++{{NUL}};\n  }";
  EXPECT_EQ(code.str(), "  while (nul_0 < size && buffer[nul_0] != std::byte{0}) ++nul_0;\n  }\n");
}

TEST(CodeWriter, IndentedAppliesToEveryNonEmptyLineWhileItLives) {
  CodeWriter code;
  code.set("CONDITION", "present");
  code += "if ({{CONDITION}}) {";
  {
    const CodeWriter::Indented body(code, 2);
    EXPECT_EQ(code.indentation(), 2u);
    code += "a();\n\nb();";
    {
      const CodeWriter::Indented inner(code, 4);
      EXPECT_EQ(code.indentation(), 6u);
      code += "c();";
    }
    code += "d();";
  }
  EXPECT_EQ(code.indentation(), 0u);
  code += "}";
  EXPECT_EQ(code.str(),
            "if (present) {\n"
            "  a();\n"
            "\n"
            "  b();\n"
            "      c();\n"
            "  d();\n"
            "}\n");
}

TEST(CodeWriter, IndentationAppliesToLinesAValueHolds) {
  CodeWriter code;
  code.set("FIELDS", "{\n  {\"a\", 0},\n  {\"b\", 1}}");
  const CodeWriter::Indented body(code, 2);
  code += "fields{{FIELDS}};";
  EXPECT_EQ(code.str(), "  fields{\n    {\"a\", 0},\n    {\"b\", 1}};\n");
}

TEST(CodeWriter, FormatAndAppendNeitherSubstituteNorIndentTheOutput) {
  CodeWriter code;
  code.set("NAME", "x");
  const CodeWriter::Indented body(code, 2);
  EXPECT_EQ(code.format("{{NAME}} = 0;"), "x = 0;");
  code.append("// {{NAME}}\n");
  EXPECT_EQ(code.str(), "// {{NAME}}\n");
}

TEST(CodeWriter, TakeFromRemovesTheTail) {
  CodeWriter code;
  code += "head";
  const std::size_t mark = code.size();
  code += "tail";
  EXPECT_EQ(code.take_from(mark), "tail\n");
  EXPECT_EQ(code.str(), "head\n");
}

TEST(CodeWriter, AnUnsetOrUnterminatedPlaceholderIsAnEmitterBug) {
  CodeWriter code;
  EXPECT_THROW(code += "{{NEVER_SET}}", std::logic_error);
  code.set("NAME", "x");
  EXPECT_THROW(code += "{{NAME", std::logic_error);
  EXPECT_EQ(code.str(), "");
}

}  // namespace
}  // namespace lpc::emit
