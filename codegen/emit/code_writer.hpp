// A text template writer in the FlatBuffers `code_.SetValue` style: set named
// values, then append template lines whose `{{NAME}}` placeholders are replaced.
// Templates show the shape of the output; values carry the details.
//
// Cost: linear in the text produced. Lifetime: owns its values and its output.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace lpc::emit {

class CodeWriter {
 public:
  // Later set() calls for the same name replace the value.
  void set(std::string_view name, std::string value);

  // Appends `line_template` with every {{NAME}} replaced, then a newline. A
  // template may hold several lines. An unknown name is a bug in the emitter
  // and throws std::logic_error.
  CodeWriter& operator+=(std::string_view line_template);

  // The same substitution without appending.
  std::string format(std::string_view text_template) const;

  // Appends raw text (already formatted) as it is.
  void append(std::string_view text) { out_ += text; }

  const std::string& str() const { return out_; }
  std::size_t size() const { return out_.size(); }
  // Removes and returns what was appended since size() was `mark`.
  std::string take_from(std::size_t mark) {
    std::string tail = out_.substr(mark);
    out_.resize(mark);
    return tail;
  }

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::string out_;
};

}  // namespace lpc::emit
