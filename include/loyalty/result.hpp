// Errors are values: every parse and engine call returns diagnostics instead of throwing.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace loyalty {

enum class Severity { error, warning };

/// One problem found in an input, located by a JSON Pointer such as "/rewards/2/cost".
struct Diagnostic {
  std::string path;
  std::string message;
  Severity severity = Severity::error;
};

/// Collects every problem instead of stopping at the first.
struct Diagnostics {
  std::vector<Diagnostic> items;

  void error(std::string path, std::string message) {
    items.push_back({std::move(path), std::move(message), Severity::error});
  }
  void warning(std::string path, std::string message) {
    items.push_back({std::move(path), std::move(message), Severity::warning});
  }
  bool has_errors() const {
    for (const auto& d : items)
      if (d.severity == Severity::error) return true;
    return false;
  }
};

/// Either a value or the errors that prevented it; warnings travel with both.
/// Example:
///   auto program = loyalty::parse_program(text);
///   if (!program.ok()) report(program.diagnostics);
template <class T>
struct Result {
  std::optional<T> value;
  std::vector<Diagnostic> diagnostics;

  bool ok() const { return value.has_value(); }
};

}  // namespace loyalty
