// The nesting limit (CONTRACT.md, "General rules") at every JSON entry point of the core: the
// deepest document allowed is read, one level more is refused with the JSON Pointer where the
// limit is crossed, and the issue's 100,000-deep input is refused without touching the stack.
#include <gtest/gtest.h>

#include <string>

#include "diagnostic_matchers.hpp"
#include "json_read.hpp"
#include "loyalty/context.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/json_api.hpp"
#include "loyalty/program.hpp"
#include "view_fixtures.hpp"

namespace loyalty {
namespace {

using testing_support::has_error;
using view_fixtures::json;

static_assert(kMaxJsonDepth == 64, "CONTRACT.md documents 64");

/// `levels` arrays inside each other: "[[[]]]" for 3.
std::string arrays(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

/// "/0/0/0" for 3.
std::string zeros(std::size_t count) {
  std::string path;
  for (std::size_t i = 0; i < count; ++i) path += "/0";
  return path;
}

/// The document with one more member, "deep", holding `levels` nested arrays. Inside the
/// document's root object that makes levels + 1 levels in all.
std::string with_deep_member(const json& document, std::size_t levels) {
  std::string text = document.dump();
  text.pop_back();  // the root's closing brace
  return text + ",\"deep\":" + arrays(levels) + "}";
}

// The deepest member allowed inside a root object, and where the first one too deep fails.
constexpr std::size_t kDeepestMember = kMaxJsonDepth - 1;
const std::string kRefusedAt = "/deep" + zeros(kMaxJsonDepth - 1);

json envelope_of(const std::string& text) { return json::parse(text); }

/// The envelope has exactly one error, the nesting limit, from `source` at `path`.
::testing::AssertionResult refused_at(const std::string& text, const std::string& source,
                                      const std::string& path) {
  const json envelope = envelope_of(text);
  if (envelope["ok"] != false) return ::testing::AssertionFailure() << "accepted: " << text;
  for (const auto& error : envelope["errors"]) {
    if (error["source"] == source && error["path"] == path &&
        error["message"].get<std::string>().find("nested deeper than 64 levels") !=
            std::string::npos)
      return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "no nesting error at " << source << " " << path << ": " << text;
}

::testing::AssertionResult accepted(const std::string& text) {
  if (envelope_of(text)["ok"] == true) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text;
}

TEST(NestingLimit, TheReaderTakes64LevelsAndRefuses65AtTheirPath) {
  Diagnostics deepest;
  EXPECT_TRUE(detail::parse_json_document(arrays(64), deepest));
  EXPECT_TRUE(deepest.items.empty());

  Diagnostics refused;
  EXPECT_FALSE(detail::parse_json_document(arrays(65), refused));
  ASSERT_EQ(refused.items.size(), 1u);
  EXPECT_TRUE(has_error(refused.items, zeros(64), "nested deeper than 64 levels"));
}

TEST(NestingLimit, ThePathNamesMembersAndIndicesOnTheWay) {
  // /a/1/b~1c then 61 more arrays: 1 (root) + 1 (a) + 1 (a/1) + 62 (b/c and inside) = 65.
  std::string text = R"({"x": [[]], "a": [0, {"y": {}, "b/c": )" + arrays(62) + "}]}";
  Diagnostics refused;
  EXPECT_FALSE(detail::parse_json_document(text, refused));
  EXPECT_TRUE(has_error(refused.items, "/a/1/b~1c" + zeros(61), "nested deeper than 64 levels"));

  text = R"({"x": [[]], "a": [0, {"y": {}, "b/c": )" + arrays(61) + "}]}";
  Diagnostics deepest;
  EXPECT_TRUE(detail::parse_json_document(text, deepest));
}

TEST(NestingLimit, TheIssuesHundredThousandLevelsAreRefusedAtLevel65) {
  // 200 KB, as in the issue; the parser is not recursive, so nothing overflows on the way.
  Diagnostics diagnostics;
  EXPECT_FALSE(detail::parse_json_document(arrays(100000), diagnostics));
  EXPECT_TRUE(has_error(diagnostics.items, zeros(64), "nested deeper than 64 levels"));
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  Diagnostics object_diagnostics;
  EXPECT_FALSE(detail::parse_json_document(objects, object_diagnostics));
  std::string path;
  for (int i = 0; i < 64; ++i) path += "/a";
  EXPECT_TRUE(has_error(object_diagnostics.items, path, "nested deeper than 64 levels"));
}

TEST(NestingLimit, ParseProgramCustomerAndContext) {
  using view_fixtures::sample_context;
  using view_fixtures::sample_customer;
  using view_fixtures::sample_program;
  EXPECT_TRUE(parse_program(with_deep_member(sample_program(), kDeepestMember)).ok());
  EXPECT_TRUE(parse_customer(with_deep_member(sample_customer(), kDeepestMember)).ok());
  EXPECT_TRUE(parse_context(with_deep_member(sample_context(), kDeepestMember)).ok());

  auto program = parse_program(with_deep_member(sample_program(), kDeepestMember + 1));
  EXPECT_TRUE(has_error(program.diagnostics, kRefusedAt, "nested deeper than 64 levels"));
  auto customer = parse_customer(with_deep_member(sample_customer(), kDeepestMember + 1));
  EXPECT_TRUE(has_error(customer.diagnostics, kRefusedAt, "nested deeper than 64 levels"));
  auto context = parse_context(with_deep_member(sample_context(), kDeepestMember + 1));
  EXPECT_TRUE(has_error(context.diagnostics, kRefusedAt, "nested deeper than 64 levels"));
}

TEST(NestingLimit, TextApiValidateAndView) {
  const json program = view_fixtures::sample_program();
  const json customer = view_fixtures::sample_customer();
  const json context = view_fixtures::sample_context();
  EXPECT_TRUE(accepted(validate_program_json(with_deep_member(program, kDeepestMember))));
  EXPECT_TRUE(refused_at(validate_program_json(with_deep_member(program, kDeepestMember + 1)),
                         "program", kRefusedAt));
  EXPECT_TRUE(accepted(validate_customer_json(with_deep_member(customer, kDeepestMember))));
  EXPECT_TRUE(refused_at(validate_customer_json(with_deep_member(customer, kDeepestMember + 1)),
                         "customer", kRefusedAt));

  const std::string p = program.dump(), c = customer.dump(), x = context.dump();
  EXPECT_TRUE(accepted(view_json(with_deep_member(program, kDeepestMember),
                                 with_deep_member(customer, kDeepestMember),
                                 with_deep_member(context, kDeepestMember))));
  EXPECT_TRUE(refused_at(view_json(with_deep_member(program, kDeepestMember + 1), c, x), "program",
                         kRefusedAt));
  EXPECT_TRUE(refused_at(view_json(p, with_deep_member(customer, kDeepestMember + 1), x),
                         "customer", kRefusedAt));
  EXPECT_TRUE(refused_at(view_json(p, c, with_deep_member(context, kDeepestMember + 1)), "context",
                         kRefusedAt));
  EXPECT_TRUE(refused_at(replay_json(p, c, with_deep_member(context, kDeepestMember + 1)),
                         "context", kRefusedAt));
}

TEST(NestingLimit, TextApiEarnEventAndRedeemRequest) {
  const std::string p = view_fixtures::sample_program().dump();
  const std::string c = view_fixtures::sample_customer().dump();
  const std::string x = view_fixtures::sample_context().dump();
  const json event = {{"type", "rule"}, {"ruleId", "review"}};
  EXPECT_TRUE(accepted(earn_json(p, c, x, with_deep_member(event, kDeepestMember))));
  EXPECT_TRUE(refused_at(earn_json(p, c, x, with_deep_member(event, kDeepestMember + 1)), "event",
                         kRefusedAt));
  const json request = {{"rewardId", "r5"}};
  EXPECT_TRUE(accepted(redeem_json(p, c, x, with_deep_member(request, kDeepestMember))));
  EXPECT_TRUE(refused_at(redeem_json(p, c, x, with_deep_member(request, kDeepestMember + 1)),
                         "request", kRefusedAt));
  // The issue's 100,000-deep body as a redeem request.
  EXPECT_TRUE(refused_at(redeem_json(p, c, x, arrays(100000)), "request", zeros(64)));
}

}  // namespace
}  // namespace loyalty
