// Assertions on parser diagnostics: an error or warning at an exact JSON Pointer whose message
// contains a key word.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/result.hpp"

namespace loyalty::testing_support {

inline std::string list_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    text += (d.severity == Severity::error ? "  error   " : "  warning ") + d.path + ": " +
            d.message + "\n";
  }
  return text.empty() ? "  (none)\n" : text;
}

inline ::testing::AssertionResult has_diagnostic(const std::vector<Diagnostic>& diagnostics,
                                                 Severity severity, std::string_view path,
                                                 std::string_view keyword) {
  for (const auto& d : diagnostics) {
    if (d.severity == severity && d.path == path && d.message.find(keyword) != std::string::npos)
      return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "no " << (severity == Severity::error ? "error" : "warning") << " at \"" << path
         << "\" mentioning \"" << keyword << "\"; got:\n"
         << list_diagnostics(diagnostics);
}

inline ::testing::AssertionResult has_error(const std::vector<Diagnostic>& diagnostics,
                                            std::string_view path, std::string_view keyword) {
  return has_diagnostic(diagnostics, Severity::error, path, keyword);
}

inline ::testing::AssertionResult has_warning(const std::vector<Diagnostic>& diagnostics,
                                              std::string_view path, std::string_view keyword) {
  return has_diagnostic(diagnostics, Severity::warning, path, keyword);
}

inline std::size_t count(const std::vector<Diagnostic>& diagnostics, Severity severity) {
  std::size_t n = 0;
  for (const auto& d : diagnostics) n += d.severity == severity ? 1 : 0;
  return n;
}

}  // namespace loyalty::testing_support
