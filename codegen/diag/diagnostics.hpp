// Compiler diagnostics in the form every C++ user knows:
//
//   schemas/net/ipv4.lps:7:19: error: unknown field 'ih'
//     ihl: u4 where ih >= 5;
//                   ^~
//   hint: did you mean 'ihl'?
//
// Every stage reports into one Diagnostics object and carries on where it can,
// so a run shows all of its errors. Output order is the order of reports.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "diag/source.hpp"

namespace lpc {

enum class Severity { error, warning, note };

struct Diagnostic {
  Severity severity = Severity::error;
  SourceRange range;     // file may be null for errors with no location (a missing file)
  std::string message;
  std::string hint;      // empty when there is none
};

class Diagnostics {
 public:
  void error(SourceRange range, std::string message, std::string hint = {});
  void warning(SourceRange range, std::string message, std::string hint = {});
  void note(SourceRange range, std::string message);

  bool has_errors() const { return error_count_ > 0; }
  std::size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& all() const { return diagnostics_; }

  // Renders every diagnostic (file:line:col: severity: message, the source line,
  // a caret with '~' under the rest of the range, the hint), then a summary line
  // "N error(s) generated." when there were errors. `color` adds ANSI colours.
  std::string render(bool color = false) const;

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t error_count_ = 0;
};

}  // namespace lpc
