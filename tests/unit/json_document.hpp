// Test documents written as nlohmann literals, read back through the core's own parser.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "json_read.hpp"

namespace loyalty::testing_support {

inline detail::JsonDocument document_of(const nlohmann::json& value) {
  Diagnostics diagnostics;
  auto document = detail::parse_json_document(value.dump(), diagnostics);
  EXPECT_TRUE(document) << value.dump();
  return document ? std::move(*document) : *detail::parse_json_document("null", diagnostics);
}

}  // namespace loyalty::testing_support
