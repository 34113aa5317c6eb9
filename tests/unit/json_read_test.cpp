#include "json_read.hpp"

#include <gtest/gtest.h>

#include "diagnostic_matchers.hpp"
#include "json_document.hpp"
#include "loyalty/program.hpp"
#include "loyalty/share.hpp"

namespace loyalty::detail {
namespace {

using nlohmann::json;
using testing_support::document_of;
using testing_support::has_error;
using testing_support::has_warning;

TEST(JsonRead, MalformedJsonNamesTheBytePosition) {
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_json_document(R"({"a": 1,, "b": 2})", diagnostics));
  ASSERT_EQ(diagnostics.items.size(), 1u);
  EXPECT_EQ(diagnostics.items[0].path, "");
  EXPECT_NE(diagnostics.items[0].message.find("not valid JSON"), std::string::npos);
  EXPECT_NE(diagnostics.items[0].message.find("at byte 9"), std::string::npos)
      << diagnostics.items[0].message;
}

TEST(JsonRead, AHostileNumberOfValuesIsRefused) {
  // An array of a million zeros fits in 2 MB of text; the cap keeps its memory bounded.
  std::string many = "[0";
  for (std::size_t i = 1; i < kMaxDocumentValues; ++i) many += ",0";
  many += "]";  // the array itself is one value more than the cap
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_json_document(many, diagnostics));
  EXPECT_TRUE(has_error(diagnostics.items, "", "holds more than 1000000 values"));
  many.erase(many.size() - 3, 2);  // one zero fewer: exactly at the cap
  Diagnostics fits;
  auto document = parse_json_document(many, fits);
  ASSERT_TRUE(document);
  EXPECT_EQ(document->root().count, kMaxDocumentValues - 1);
}

TEST(JsonRead, EmptyTextAndTrailingGarbageAreErrors) {
  Diagnostics empty;
  EXPECT_FALSE(parse_json_document("  \n", empty));
  EXPECT_TRUE(has_error(empty.items, "", "empty"));
  Diagnostics trailing;
  EXPECT_FALSE(parse_json_document("{} x", trailing));
  EXPECT_TRUE(has_error(trailing.items, "", "byte 4"));
}

TEST(JsonRead, DeepNestingIsRefused) {
  Diagnostics diagnostics;
  std::string deep(200, '[');
  deep += std::string(200, ']');
  EXPECT_FALSE(parse_json_document(deep, diagnostics));
  std::string path;
  for (int i = 0; i < 64; ++i) path += "/0";
  EXPECT_TRUE(has_error(diagnostics.items, path, "nested deeper than 64 levels"));
  Diagnostics shallow;
  EXPECT_TRUE(parse_json_document(std::string(60, '[') + std::string(60, ']'), shallow));
}

TEST(JsonRead, InvalidUtf8InTheTextGivesAValidUtf8Message) {
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_json_document("{\"a\": \"\xC3\x28\"}", diagnostics));
  ASSERT_EQ(diagnostics.items.size(), 1u);
  const std::string& message = diagnostics.items[0].message;
  EXPECT_EQ(sanitize_utf8(message), message);
  EXPECT_NE(message.find("UTF-8"), std::string::npos) << message;
}

TEST(JsonRead, SanitizeUtf8KeepsGoodTextAndReplacesBadBytes) {
  EXPECT_EQ(sanitize_utf8("Krūze 馬克杯"), "Krūze 馬克杯");
  EXPECT_EQ(sanitize_utf8("a\xFF"
                          "b"),
            "a?b");
  EXPECT_EQ(sanitize_utf8("\xE2\x82"), "??");       // truncated sequence
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "??");       // overlong "/"
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "???");  // UTF-16 surrogate
}

TEST(JsonRead, PointerTokensAreEscapedPerRfc6901) {
  EXPECT_EQ(escape_pointer_token("a/b~c"), "a~1b~0c");
  EXPECT_EQ(escape_pointer_token("~1"), "~01");
  json document = {{"a/b", {{"c~d", 1}}}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "", diagnostics);
  auto outer = root.optional("a/b");
  ASSERT_TRUE(outer);
  EXPECT_EQ(outer->path(), "/a~1b");
  auto inner = outer->optional("c~d");
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->path(), "/a~1b/c~0d");
  EXPECT_EQ(json(document).at(json::json_pointer(inner->path())), 1);
}

/// Reads `value` as an integer under `rule` at path /x; returns the diagnostics.
std::vector<Diagnostic> integer_diagnostics(const json& value, const IntegerRule& rule,
                                            std::optional<std::int64_t>* out = nullptr) {
  json document = {{"x", value}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "", diagnostics);
  auto number = root.required_integer("x", rule);
  if (out) *out = number;
  return diagnostics.items;
}

TEST(JsonRead, IntegersRejectFractionsStringsBooleansAndHugeValues) {
  auto fraction = integer_diagnostics(1.5, positive("points"));
  ASSERT_EQ(fraction.size(), 1u);
  EXPECT_EQ(fraction[0].path, "/x");
  EXPECT_EQ(fraction[0].message, "must be a whole number of points greater than 0 (got 1.5)");
  EXPECT_TRUE(has_error(integer_diagnostics("5", any_integer()), "/x", "(got \"5\")"));
  EXPECT_TRUE(has_error(integer_diagnostics(true, any_integer()), "/x", "(got true)"));
  EXPECT_TRUE(has_error(integer_diagnostics(json::object(), any_integer()), "/x", "an object"));
  EXPECT_TRUE(
      has_error(integer_diagnostics(9007199254740992ull, any_integer()), "/x", "too large"));
  EXPECT_TRUE(
      has_error(integer_diagnostics(-9007199254740992ll, any_integer()), "/x", "too large"));
  EXPECT_TRUE(has_error(integer_diagnostics(1e300, any_integer()), "/x", "too large"));
  EXPECT_TRUE(has_error(integer_diagnostics(-1, non_negative("days")), "/x",
                        "whole number of days, 0 or more (got -1)"));
  EXPECT_TRUE(has_error(integer_diagnostics(101, between(1, 100, "percent")), "/x",
                        "from 1 to 100 (got 101)"));
  EXPECT_TRUE(has_error(integer_diagnostics(0, positive("points")), "/x", "greater than 0"));
}

TEST(JsonRead, IntegersAcceptWholeNumbersWrittenAsFloatsAndTheSafeRange) {
  std::optional<std::int64_t> value;
  EXPECT_TRUE(integer_diagnostics(2.0, positive(), &value).empty());
  EXPECT_EQ(value, 2);
  EXPECT_TRUE(integer_diagnostics(1e3, positive(), &value).empty());
  EXPECT_EQ(value, 1000);
  EXPECT_TRUE(integer_diagnostics(9007199254740991ll, any_integer(), &value).empty());
  EXPECT_EQ(value, kMaxSafeInteger);
  EXPECT_TRUE(integer_diagnostics(-9007199254740991ll, any_integer(), &value).empty());
  EXPECT_EQ(value, -kMaxSafeInteger);
}

TEST(JsonRead, RequiredAndOptionalMembers) {
  json document = {{"present", "x"}, {"empty", ""}, {"nothing", nullptr}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "/doc", diagnostics);
  EXPECT_EQ(root.required_string("present"), "x");
  EXPECT_FALSE(root.required_string("missing"));
  EXPECT_FALSE(root.required_string("nothing"));  // null counts as absent
  EXPECT_FALSE(root.required_string("empty"));
  EXPECT_EQ(root.optional_string("empty"), "");
  EXPECT_FALSE(root.optional_string("missing"));
  EXPECT_TRUE(has_error(diagnostics.items, "/doc/missing", "is required"));
  EXPECT_TRUE(has_error(diagnostics.items, "/doc/nothing", "is required"));
  EXPECT_TRUE(has_error(diagnostics.items, "/doc/empty", "must not be empty"));
  EXPECT_EQ(diagnostics.items.size(), 3u);
}

TEST(JsonRead, StringsHaveALengthLimit) {
  json document = {{"long", std::string(kMaxStringLength + 1, 'a')},
                   {"ok", std::string(kMaxStringLength, 'a')}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "", diagnostics);
  EXPECT_FALSE(root.optional_string("long"));
  EXPECT_TRUE(root.optional_string("ok"));
  EXPECT_TRUE(has_error(diagnostics.items, "/long", "too long"));
}

TEST(JsonRead, BooleansAndEnums) {
  json document = {{"flag", "yes"}, {"limit", "weekly"}, {"basis", "total"}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "", diagnostics);
  EXPECT_FALSE(root.optional_bool("flag"));
  EXPECT_TRUE(has_error(diagnostics.items, "/flag", "true or false"));
  EXPECT_FALSE(root.optional_enum("limit", {ClaimLimit::once, ClaimLimit::per_week}));
  EXPECT_TRUE(has_error(diagnostics.items, "/limit",
                        "must be one of \"once\", \"per_week\" (got \"weekly\")"));
  EXPECT_EQ(root.optional_enum("basis", {OrderBasis::subtotal_after_discounts, OrderBasis::subtotal,
                                         OrderBasis::total}),
            OrderBasis::total);
}

TEST(JsonRead, InstantsNeedAnOffset) {
  json document = {{"a", "2026-11-23T10:00:00"},
                   {"b", "2026-11-23T10:00:00-05:00"},
                   {"c", "2026-11-23T15:00:00Z"},
                   {"d", 1764000000}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "", diagnostics);
  EXPECT_FALSE(root.required_instant("a"));
  auto b = root.required_instant("b");
  auto c = root.required_instant("c");
  ASSERT_TRUE(b && c);
  EXPECT_EQ(b->epoch, c->epoch);
  EXPECT_EQ(b->offset_minutes, -300);
  EXPECT_FALSE(root.required_instant("d"));
  EXPECT_TRUE(has_error(diagnostics.items, "/a", "UTC offset"));
  EXPECT_TRUE(has_error(diagnostics.items, "/d", "UTC offset"));
}

TEST(JsonRead, MerchantTextIsAStringOrTranslations) {
  json document = {{"plain", "Mug"},
                   {"translated", {{"en", "Mug"}, {"lv", "Krūze"}, {"zh-Hant", "馬克杯"}}},
                   {"badTag", {{"e", "Mug"}, {"en_US", "Mug"}}},
                   {"badValue", {{"en", 5}}},
                   {"none", json::object()},
                   {"number", 7}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "", diagnostics);
  auto plain = root.required_text("plain");
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->variants.size(), 1u);
  EXPECT_EQ(plain->variants[0].first, "");
  auto translated = root.required_text("translated");
  ASSERT_TRUE(translated);
  EXPECT_EQ(translated->resolve("zh-Hant-TW"), "馬克杯");
  EXPECT_FALSE(root.required_text("badTag"));
  EXPECT_FALSE(root.required_text("badValue"));
  EXPECT_FALSE(root.required_text("none"));
  EXPECT_FALSE(root.required_text("number"));
  EXPECT_TRUE(has_error(diagnostics.items, "/badTag/e", "language tag"));
  EXPECT_TRUE(has_error(diagnostics.items, "/badTag/en_US", "language tag"));
  EXPECT_TRUE(has_error(diagnostics.items, "/badValue/en", "must be text"));
  EXPECT_TRUE(has_error(diagnostics.items, "/none", "at least one translation"));
  EXPECT_TRUE(has_error(diagnostics.items, "/number", "translations"));
}

TEST(JsonRead, ArraysAndMembersCarryChildPathsAndLimits) {
  json document = {{"list", {10, 20, 30}}, {"object", {{"k/1", true}}}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "", diagnostics);
  auto list = root.required("list")->as_array(3);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[2].path(), "/list/2");
  EXPECT_EQ((*list)[2].as_integer(any_integer()), 30);
  EXPECT_FALSE(root.required("list")->as_array(2));
  EXPECT_TRUE(has_error(diagnostics.items, "/list", "too many entries: at most 2 (got 3)"));
  EXPECT_FALSE(root.required("object")->as_array(10));
  EXPECT_TRUE(has_error(diagnostics.items, "/object", "must be a list"));
  auto members = root.required("object")->as_members(10);
  ASSERT_TRUE(members);
  EXPECT_EQ((*members)[0].first, "k/1");
  EXPECT_EQ((*members)[0].second.path(), "/object/k~11");
}

TEST(JsonRead, UnknownFieldsAreWarnings) {
  json document = {{"id", "x"}, {"colour", "red"}, {"a/b", 1}};
  Diagnostics diagnostics;
  auto parsed = document_of(document);
  JsonReader root(parsed, "/rewards/0", diagnostics);
  root.warn_unknown_fields({"id"});
  EXPECT_FALSE(diagnostics.has_errors());
  EXPECT_TRUE(has_warning(diagnostics.items, "/rewards/0/colour", "unknown field, ignored"));
  EXPECT_TRUE(has_warning(diagnostics.items, "/rewards/0/a~1b", "unknown field"));
  EXPECT_EQ(diagnostics.items.size(), 2u);
}

TEST(JsonRead, LanguageTagsAndUrls) {
  EXPECT_TRUE(looks_like_language_tag("en"));
  EXPECT_TRUE(looks_like_language_tag("zh-Hant"));
  EXPECT_TRUE(looks_like_language_tag("pt-BR"));
  EXPECT_TRUE(looks_like_language_tag("es-419"));
  EXPECT_FALSE(looks_like_language_tag(""));
  EXPECT_FALSE(looks_like_language_tag("e"));
  EXPECT_FALSE(looks_like_language_tag("en_US"));
  EXPECT_FALSE(looks_like_language_tag("en-"));
  EXPECT_FALSE(looks_like_language_tag("12"));
  EXPECT_TRUE(is_http_url("https://maple.example/r/{code}"));
  EXPECT_TRUE(is_http_url("http://localhost:8080/x?y=1"));
  EXPECT_FALSE(is_http_url("javascript:alert(1)"));
  EXPECT_FALSE(is_http_url("ftp://example.com"));
  EXPECT_FALSE(is_http_url("https://"));
  EXPECT_FALSE(is_http_url("https://exa mple.com"));
  EXPECT_FALSE(is_http_url("//example.com"));
}

TEST(LocalizedText, ResolvesExactThenLanguageThenPlainThenEnglishThenFirst) {
  LocalizedText text{{{"lv", "Krūze"}, {"en", "Mug"}, {"zh-Hant", "馬克杯"}, {"zh", "马克杯"}}};
  EXPECT_EQ(text.resolve("lv"), "Krūze");
  EXPECT_EQ(text.resolve("zh-Hant-TW"), "馬克杯");
  EXPECT_EQ(text.resolve("zh-CN"), "马克杯");
  EXPECT_EQ(text.resolve("ZH-hant"), "馬克杯");  // tags compare case-insensitively
  EXPECT_EQ(text.resolve("de"), "Mug");
  LocalizedText with_plain{{{"lv", "Krūze"}, {"", "Mug (plain)"}, {"en", "Mug"}}};
  EXPECT_EQ(with_plain.resolve("de"), "Mug (plain)");
  EXPECT_EQ(with_plain.resolve("lv-LV"), "Krūze");
  LocalizedText no_english{{{"lv", "Krūze"}, {"de", "Becher"}}};
  EXPECT_EQ(no_english.resolve("fr"), "Krūze");
  EXPECT_EQ(LocalizedText{}.resolve("en"), "");
}

TEST(ContractSpellings, EnumsUseSnakeCase) {
  EXPECT_EQ(to_string(EarnType::social_follow), "social_follow");
  EXPECT_EQ(to_string(ClaimLimit::per_week), "per_week");
  EXPECT_EQ(to_string(SocialPlatform::x), "x");
  EXPECT_EQ(to_string(OrderBasis::subtotal_after_discounts), "subtotal_after_discounts");
  EXPECT_EQ(to_string(RewardType::free_shipping), "free_shipping");
  EXPECT_EQ(to_string(TierMetric::amount_spent), "amount_spent");
  EXPECT_EQ(to_string(TierWindow::calendar_year), "calendar_year");
  EXPECT_EQ(to_string(TierRetention::next_period), "next_period");
  EXPECT_EQ(to_string(ShareChannel::whatsapp), "whatsapp");
  EXPECT_EQ(to_string(ExpiryMode::inactivity), "inactivity");
  EXPECT_EQ(to_string(LauncherPosition::left), "left");
}

}  // namespace
}  // namespace loyalty::detail
