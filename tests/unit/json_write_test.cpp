#include "json_write.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loyalty::detail {
namespace {

using nlohmann::json;

/// What nlohmann writes for the string, repairing broken UTF-8 the way the view must.
std::string nlohmann_text(const std::string& value) {
  return json(value).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string our_text(const std::string& value) {
  std::string out;
  append_json_string(out, value);
  return out;
}

TEST(JsonWrite, StringsAreEscapedExactlyAsNlohmannWritesThem) {
  const std::vector<std::string> samples = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "controls \b\f\n\r\t \x01 \x1f \x7f",
      std::string("nul \0 inside", 12),
      "Krūze 馬克杯 🎉",
      "\xFF lone byte",
      "\xC0\xAF overlong slash",
      "\xE2\x82 truncated euro",
      "\xE2\x82",
      "\xED\xA0\x80 surrogate",
      "\xF4\x90\x80\x80 above U+10FFFF",
      "\xF0\x9F\x8E truncated emoji then ascii",
      "\xE2\x28\xA1 bad second byte",
      "\x80\x80 stray continuations",
  };
  for (const auto& sample : samples) EXPECT_EQ(our_text(sample), nlohmann_text(sample)) << sample;
}

TEST(JsonWrite, RandomBytesAreEscapedExactlyAsNlohmannWritesThem) {
  std::mt19937 random(20261123);
  // Bytes weighted towards the interesting ones: controls, quotes, UTF-8 leads and continuations.
  const std::vector<unsigned char> alphabet = {0x00, 0x01, 0x08, 0x0A, 0x1F, '"',  '\\', 'a',
                                               0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE2,
                                               0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F};
  for (int round = 0; round < 20000; ++round) {
    std::string sample(random() % 12, ' ');
    for (char& c : sample) c = static_cast<char>(alphabet[random() % alphabet.size()]);
    ASSERT_EQ(our_text(sample), nlohmann_text(sample)) << "round " << round;
  }
}

TEST(JsonWrite, WriterSeparatesMembersAndElements) {
  std::string out;
  JsonWriter writer(out);
  writer.begin_object();
  writer.key("a");
  writer.begin_array();
  writer.integer(-9007199254740991);
  writer.boolean(true);
  writer.null();
  writer.text_or_null("");
  writer.text_or_null("x");
  writer.end_array();
  writer.key("b");
  write_money(writer, 1250, "EUR");
  writer.name("naïve \"key\"");
  writer.begin_object();
  writer.end_object();
  writer.end_object();
  EXPECT_EQ(out,
            R"({"a":[-9007199254740991,true,null,null,"x"],"b":{"currency":"EUR","money":1250},)"
            R"("naïve \"key\"":{}})");
  EXPECT_EQ(json::parse(out).dump(), out);
}

TEST(JsonWrite, RawJsonIsCopiedInAsValuesAreWritten) {
  std::string out;
  JsonWriter writer(out);
  writer.begin_object();
  writer.key("one");
  writer.raw(R"({"x":[1]})");
  writer.key("elements");
  writer.begin_array();
  writer.raw(R"({"id":"e1"},{"id":"e2"})");
  writer.integer(3);
  writer.end_array();
  writer.end_object();
  EXPECT_EQ(out, R"({"one":{"x":[1]},"elements":[{"id":"e1"},{"id":"e2"},3]})");
}

}  // namespace
}  // namespace loyalty::detail
