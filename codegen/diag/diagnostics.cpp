#include "diag/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace lpc {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kCaret = "\033[1;32m";

std::string_view severity_word(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

std::string_view severity_color(Severity s) {
  switch (s) {
    case Severity::error:
      return "\033[1;31m";  // bold red
    case Severity::warning:
      return "\033[1;33m";  // bold yellow
    case Severity::note:
      return "\033[1;36m";  // bold cyan
  }
  return kBold;
}

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The caret line under `line`: blanks up to byte `from` (tabs kept so columns line
// up, one blank per UTF-8 character), '^', then '~' up to byte `to`.
std::string caret_line(std::string_view line, std::size_t from, std::size_t to) {
  std::string out;
  from = std::min(from, line.size());
  for (std::size_t i = 0; i < from; ++i) {
    if (line[i] == '\t') {
      out += '\t';
    } else if (!is_utf8_continuation(line[i])) {
      out += ' ';
    }
  }
  out += '^';
  for (std::size_t i = from + 1; i < to && i < line.size(); ++i) {
    if (!is_utf8_continuation(line[i])) out += '~';
  }
  return out;
}

// A line longer than kMaxShownLine bytes (a generated or minified schema can put
// thousands of columns on one) is shown as an excerpt of that many bytes starting
// kContextBefore bytes before the range, with "..." where it was cut.
constexpr std::size_t kMaxShownLine = 160;
constexpr std::size_t kContextBefore = 60;

struct Excerpt {
  std::string_view text;  // the part of the line shown
  std::size_t offset;     // where it starts in the line
  bool cut_front;
  bool cut_back;
};

Excerpt excerpt_of(std::string_view line, std::size_t from) {
  if (line.size() <= kMaxShownLine) return {line, 0, false, false};
  std::size_t begin = std::min(from, line.size()) > kContextBefore ? from - kContextBefore : 0;
  while (begin > 0 && is_utf8_continuation(line[begin])) --begin;  // whole characters
  std::size_t end = std::min(line.size(), begin + kMaxShownLine);
  while (end < line.size() && is_utf8_continuation(line[end])) ++end;
  return {line.substr(begin, end - begin), begin, begin > 0, end < line.size()};
}

void render_one(std::string& out, const Diagnostic& d, bool color) {
  const std::string_view word = severity_word(d.severity);
  const std::string severity =
      color ? fmt::format("{}{}:{}", severity_color(d.severity), word, kReset)
            : fmt::format("{}:", word);
  const std::string message = color ? fmt::format("{}{}{}", kBold, d.message, kReset) : d.message;
  if (d.range.file == nullptr) {
    out += fmt::format("lpc: {} {}\n", severity, message);
  } else {
    const SourceFile& file = *d.range.file;
    const auto at = file.line_col(d.range.begin);
    const std::string location = fmt::format("{}:{}:{}:", file.display_path, at.line, at.column);
    out += color ? fmt::format("{}{}{} ", kBold, location, kReset) : location + " ";
    out += fmt::format("{} {}\n", severity, message);
    const std::string_view line = file.line_text(at.line);
    const std::size_t from = at.column - 1;
    // The range may span lines: underline only the part on the first one.
    const std::size_t to =
        d.range.end > d.range.begin ? from + (d.range.end - d.range.begin) : from;
    const Excerpt shown = excerpt_of(line, from);
    const std::string caret = std::string(shown.cut_front ? 3 : 0, ' ') +
                              caret_line(shown.text, from - shown.offset, to - shown.offset);
    out += fmt::format("    {}{}{}\n", shown.cut_front ? "..." : "", shown.text,
                       shown.cut_back ? "..." : "");
    out +=
        color ? fmt::format("    {}{}{}\n", kCaret, caret, kReset) : fmt::format("    {}\n", caret);
  }
  if (!d.hint.empty()) {
    out += color ? fmt::format("{}hint:{} {}\n", kBold, kReset, d.hint)
                 : fmt::format("hint: {}\n", d.hint);
  }
}

}  // namespace

void Diagnostics::error(SourceRange range, std::string message, std::string hint) {
  diagnostics_.push_back({Severity::error, range, std::move(message), std::move(hint)});
  ++error_count_;
}

void Diagnostics::warning(SourceRange range, std::string message, std::string hint) {
  diagnostics_.push_back({Severity::warning, range, std::move(message), std::move(hint)});
}

void Diagnostics::note(SourceRange range, std::string message) {
  diagnostics_.push_back({Severity::note, range, std::move(message), {}});
}

std::string Diagnostics::render(bool color) const {
  std::string out;
  for (const Diagnostic& d : diagnostics_) render_one(out, d, color);
  if (error_count_ > 0) {
    out += fmt::format("{} {} generated.\n", error_count_, error_count_ == 1 ? "error" : "errors");
  }
  return out;
}

}  // namespace lpc
