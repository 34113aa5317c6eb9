// The core's JSON parser against nlohmann's strict parser as an oracle: the same texts accepted
// and refused, and the same values read, on hand-picked edge cases and on many deterministic
// mutations of a real program document.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_read.hpp"

namespace loyalty::detail {
namespace {

using nlohmann::json;

// The value at `node` as nlohmann would hold it; advances `node` past it.
json to_json(const JsonDocument& document, const JsonNode*& node) {
  const JsonNode& here = *node++;
  switch (here.type) {
    case JsonType::null:
      return nullptr;
    case JsonType::boolean:
      return here.boolean;
    case JsonType::integer:
      return here.integer;
    case JsonType::unsigned_integer:
      return here.unsigned_integer;
    case JsonType::floating:
      return std::strtod(std::string(document.text(here)).c_str(), nullptr);
    case JsonType::string:
      return std::string(document.text(here));
    case JsonType::array: {
      json out = json::array();
      for (std::uint32_t i = 0; i < here.count; ++i) out.push_back(to_json(document, node));
      return out;
    }
    case JsonType::object: {
      // nlohmann keeps the last of repeated keys; so does this, member by member.
      json out = json::object();
      for (std::uint32_t i = 0; i < here.count; ++i) {
        const std::string key(document.key(*node));
        out[key] = to_json(document, node);
      }
      return out;
    }
  }
  return nullptr;
}

// Compares the two parsers on `text`; returns false (with a test failure) on a disagreement.
bool agrees(const std::string& text) {
  Diagnostics diagnostics;
  const auto ours = parse_json_document(text, diagnostics);
  // Limits of the core's own (deeper than 64 levels, over a million values) are not JSON's.
  for (const auto& item : diagnostics.items)
    if (item.message.find("nested deeper") != std::string::npos ||
        item.message.find("holds more than") != std::string::npos)
      return true;
  const json theirs = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const bool they_accept = !theirs.is_discarded();
  EXPECT_EQ(ours.has_value(), they_accept)
      << "text: " << json(text).dump(-1, ' ', true, json::error_handler_t::replace)
      << (ours ? "" : "\nours: " + diagnostics.items.at(0).message);
  if (!ours || !they_accept) return ours.has_value() == they_accept;
  const JsonNode* node = &ours->root();
  const json read = to_json(*ours, node);
  EXPECT_EQ(read, theirs) << "text: " << text;
  return read == theirs;
}

TEST(JsonParserOracle, EdgeCasesAgreeWithNlohmann) {
  const std::vector<std::string> cases = {"",
                                          " ",
                                          "null",
                                          "true",
                                          "false",
                                          "nul",
                                          "tru",
                                          "truex",
                                          "nulll",
                                          "0",
                                          "-0",
                                          "-",
                                          "01",
                                          "-01",
                                          "1.",
                                          ".5",
                                          "1.5",
                                          "-1.5e3",
                                          "1e",
                                          "1e+",
                                          "1E-2",
                                          "1e400",
                                          "-1e400",
                                          "1e-400",
                                          "18446744073709551615",
                                          "18446744073709551616",
                                          "-9223372036854775808",
                                          "-9223372036854775809",
                                          "9223372036854775807",
                                          "123456789012345678901234567890",
                                          "\"\"",
                                          "\"a\"",
                                          "\"\\u00e9\"",
                                          "\"\\uD83D\\uDE00\"",
                                          "\"\\uD83D\"",
                                          "\"\\uDE00\"",
                                          "\"\\uD83Dx\"",
                                          "\"\\uD83D\\u0041\"",
                                          "\"\\u12\"",
                                          "\"\\x\"",
                                          "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
                                          "\"tab\there\"",
                                          "\"new\nline\"",
                                          "\"\x7f\"",
                                          "\"caf\xc3\xa9\"",
                                          "\"\xc3\"",
                                          "\"\xc0\xaf\"",
                                          "\"\xed\xa0\x80\"",
                                          "\"\xf4\x90\x80\x80\"",
                                          "\"\xf0\x9f\x98\x80\"",
                                          "\"\xe2\x82\xac\"",
                                          "\"\xe0\x80\xaf\"",
                                          "\"\xff\"",
                                          "\"unterminated",
                                          "[",
                                          "]",
                                          "[]",
                                          "[ ]",
                                          "[1,]",
                                          "[,1]",
                                          "[1 2]",
                                          "[1,,2]",
                                          "[[[]]]",
                                          "{",
                                          "}",
                                          "{}",
                                          "{ }",
                                          "{\"a\"}",
                                          "{\"a\":}",
                                          "{\"a\":1,}",
                                          "{\"a\" 1}",
                                          "{a:1}",
                                          "{\"a\":1 \"b\":2}",
                                          "{\"a\":1,\"a\":2}",
                                          "{\"\":0}",
                                          "[1]x",
                                          "[1] ",
                                          "\t\r\n[1]\n",
                                          "\xef\xbb\xbf[1]",
                                          "\xef\xbb[1]",
                                          "[1]\xef\xbb\xbf",
                                          "/*c*/[1]",
                                          "[1]//",
                                          "'a'",
                                          "[\"a\",true,null,{\"b\":[1,-2,3.5]}]",
                                          "NaN",
                                          "Infinity",
                                          "-Infinity",
                                          "+1",
                                          "0x10",
                                          "[1e5, 2E+5, 3e-05]",
                                          std::string("[\0]", 3),
                                          std::string("\"a\0b\"", 5)};
  for (const auto& text : cases) agrees(text);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(JsonParserOracle, MutationsOfAProgramAgreeWithNlohmann) {
  const std::string original = read_file(LOYALTY_SOURCE_DIR "/demo/programs/full/program.json");
  ASSERT_FALSE(original.empty());
  ASSERT_TRUE(agrees(original));
  // A fixed seed: the same mutations on every run, so a disagreement always reproduces.
  std::mt19937 random(20261206);
  const std::string alphabet = "{}[]:,\"\\ 0123456789-+.eEtrufalsn\x80\xc3\xa9\xff\n\tu";
  int disagreements = 0;
  for (int round = 0; round < 6000 && disagreements < 5; ++round) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int edit = 0; edit < edits && !text.empty(); ++edit) {
      const std::size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 4) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 2:
          text.erase(at, 1 + random() % 3);
          break;
        default:
          text.resize(at);
          break;
      }
    }
    if (!agrees(text)) ++disagreements;
  }
  EXPECT_EQ(disagreements, 0);
}

}  // namespace
}  // namespace loyalty::detail
