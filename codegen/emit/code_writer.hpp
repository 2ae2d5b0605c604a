// A text template writer in the FlatBuffers `code_.SetValue` style: set named
// values, then append template lines whose `{{NAME}}` placeholders are replaced.
// Templates show the shape of the output; values carry the details. It is the
// emitters' one way of building code (docs/contributing.md, "Emitters"): values
// may be computed with fmt::format, code is appended only through templates.
//
// Indentation: every line a template appends starts with indentation() spaces
// (an empty line stays empty), so that a nested block (an `if` body, a switch
// arm) is written by the same templates as the code around it, one level in:
//
//   code += "  if (view.present_{{NAME}}_) {";
//   {
//     const CodeWriter::Indented body(code, 2);
//     emit_checks();  // its templates start with "  ", as at the top level
//   }
//   code += "  }";
//
// A placeholder may follow a literal brace: `lp::cu64{{{VALUE}}}` writes
// `lp::cu64{` VALUE `}`.
//
// Cost: linear in the text produced. Lifetime: owns its values and its output.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace lpc::emit {

class CodeWriter {
 public:
  // Later set() calls for the same name replace the value.
  void set(std::string_view name, std::string value);

  // Appends `line_template` with every {{NAME}} replaced, then a newline, each
  // line indented by indentation(). A template may hold several lines. An unknown
  // name is a bug in the emitter and throws std::logic_error.
  CodeWriter& operator+=(std::string_view line_template);

  // The same substitution without appending (nor indenting).
  std::string format(std::string_view text_template) const;

  // Appends text another writer produced (a finished section, a doc comment) as
  // it is: no substitution, no indentation.
  void append(std::string_view text) { out_ += text; }

  // Spaces before every line operator+= appends (0 to start with).
  std::size_t indentation() const { return indent_; }

  // Indents the lines appended while it lives by `spaces` more.
  class Indented {
   public:
    Indented(CodeWriter& code, std::size_t spaces) : code_(code), spaces_(spaces) {
      code_.indent_ += spaces_;
    }
    ~Indented() { code_.indent_ -= spaces_; }
    Indented(const Indented&) = delete;
    Indented& operator=(const Indented&) = delete;

   private:
    CodeWriter& code_;
    std::size_t spaces_;
  };

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
  std::size_t indent_ = 0;
};

}  // namespace lpc::emit
