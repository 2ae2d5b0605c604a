#include "diag/source.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace lpc {

SourceFile SourceFile::make(std::string path, std::string display_path, std::string text) {
  SourceFile file;
  file.path = std::move(path);
  file.display_path = std::move(display_path);
  // Offsets are 32-bit; a schema is never near 4 GiB, but never wrap if one is.
  if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
    text.resize(std::numeric_limits<std::uint32_t>::max() - 1);
  }
  file.text = std::move(text);
  file.line_starts.push_back(0);
  for (std::size_t i = 0; i < file.text.size(); ++i) {
    if (file.text[i] == '\n') file.line_starts.push_back(static_cast<std::uint32_t>(i + 1));
  }
  return file;
}

SourceFile::LineCol SourceFile::line_col(std::uint32_t offset) const {
  if (line_starts.empty()) return {1, offset + 1};
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  // The last line start at or before `offset`.
  const auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - line_starts.begin());  // >= 1
  return {line, offset - line_starts[line - 1] + 1};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  const std::uint32_t begin = line_starts[line - 1];
  std::uint32_t end =
      line < line_starts.size() ? line_starts[line] - 1 : static_cast<std::uint32_t>(text.size());
  if (end > begin && text[end - 1] == '\r') --end;  // CRLF files
  return std::string_view(text).substr(begin, end - begin);
}

}  // namespace lpc
