#include "emit/code_writer.hpp"

#include <stdexcept>

namespace lpc::emit {

void CodeWriter::set(std::string_view name, std::string value) {
  values_.insert_or_assign(std::string(name), std::move(value));
}

std::string CodeWriter::format(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t open = text.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    // `{{{NAME}}}`: the first brace is the output's own.
    while (open + 2 < text.size() && text[open + 2] == '{') ++open;
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) throw std::logic_error("unterminated {{ in a template");
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 2, close - open - 2);
    const auto it = values_.find(name);
    if (it == values_.end()) {
      throw std::logic_error("template value {{" + std::string(name) + "}} was never set");
    }
    out.append(it->second);
    i = close + 2;
  }
  return out;
}

CodeWriter& CodeWriter::operator+=(std::string_view line_template) {
  const std::string text = format(line_template);
  if (indent_ == 0) {
    out_ += text;
    out_ += '\n';
    return *this;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = std::string_view(text).substr(start, end - start);
    if (!line.empty()) out_.append(indent_, ' ');
    out_ += line;
    out_ += '\n';
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return *this;
}

}  // namespace lpc::emit
