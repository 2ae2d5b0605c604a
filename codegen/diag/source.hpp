// Source text and positions. A SourceRange is a pair of byte offsets into one
// SourceFile; line and column are computed only when a diagnostic is printed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lpc {

struct SourceFile {
  std::string path;          // as opened (used to read the file)
  std::string display_path;  // as shown in diagnostics and generated banners
  std::string text;
  std::vector<std::uint32_t> line_starts;  // byte offset of each line; filled by SourceFile::make

  static SourceFile make(std::string path, std::string display_path, std::string text);

  struct LineCol {
    std::uint32_t line;    // 1-based
    std::uint32_t column;  // 1-based, in bytes
  };
  LineCol line_col(std::uint32_t offset) const;
  std::string_view line_text(std::uint32_t line) const;  // without the newline
};

struct SourceRange {
  const SourceFile* file = nullptr;
  std::uint32_t begin = 0;  // byte offset of the first character
  std::uint32_t end = 0;    // one past the last character

  std::string_view text() const {
    return file ? std::string_view(file->text).substr(begin, end - begin) : std::string_view();
  }
};

}  // namespace lpc
