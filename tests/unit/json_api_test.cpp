#include "loyalty/json_api.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loyalty/view.hpp"
#include "view_fixtures.hpp"

namespace loyalty {
namespace {

using namespace view_fixtures;

json customer_with_points(std::int64_t points) {
  json customer = sample_customer();
  customer["ledger"].push_back(earn_entry("e1", "2026-11-01T12:00:00Z", "review", points));
  return customer;
}

/// The first error (or warning) of an envelope with this source and path; null when none.
json find_diagnostic(const json& envelope, const char* list, const std::string& source,
                     const std::string& path) {
  if (!envelope.contains(list)) return nullptr;
  for (const auto& item : envelope[list])
    if (item["source"] == source && item["path"] == path) return item;
  return nullptr;
}

TEST(JsonApi, ViewEnvelopeHoldsTheSameViewAsTheStructs) {
  const std::string program = sample_program().dump();
  const std::string customer = customer_with_points(1250).dump();
  const std::string context = sample_context().dump();
  const std::string text = view_json(program, customer, context);
  json envelope = json::parse(text);
  EXPECT_EQ(envelope["ok"], true);
  EXPECT_TRUE(envelope["warnings"].is_array());
  EXPECT_FALSE(envelope.contains("errors"));
  json expected = json::parse(
      view_to_json(view_of(sample_program(), customer_with_points(1250), sample_context())));
  EXPECT_EQ(envelope["view"], expected);
  EXPECT_EQ(envelope["view"]["balance"]["points"], 1250);
  EXPECT_EQ(text, view_json(program, customer, context));  // byte for byte
}

TEST(JsonApi, ErrorsNameTheirSourceDocumentAndPath) {
  json program = sample_program();
  program["rewards"][0]["cost"] = 0;
  json customer = sample_customer();
  customer["ledger"] = "not a list";
  const std::string text = view_json(program.dump(), customer.dump(), "{\"version\": 1, \"now\":");
  json envelope = json::parse(text);
  EXPECT_EQ(envelope["ok"], false);
  EXPECT_FALSE(envelope.contains("view"));
  EXPECT_FALSE(find_diagnostic(envelope, "errors", "program", "/rewards/0/cost").is_null()) << text;
  EXPECT_FALSE(find_diagnostic(envelope, "errors", "customer", "/ledger").is_null()) << text;
  json context_error = find_diagnostic(envelope, "errors", "context", "");
  ASSERT_FALSE(context_error.is_null()) << text;
  EXPECT_NE(context_error["message"].get<std::string>().find("not valid JSON"), std::string::npos);
}

TEST(JsonApi, DocumentsOverFiveMegabytesAreRefused) {
  std::string huge = "[" + std::string(5 * 1024 * 1024, ' ') + "]";
  json envelope = json::parse(view_json(sample_program().dump(), huge, sample_context().dump()));
  EXPECT_EQ(envelope["ok"], false);
  json error = find_diagnostic(envelope, "errors", "customer", "");
  ASSERT_FALSE(error.is_null());
  EXPECT_NE(error["message"].get<std::string>().find("5 MB"), std::string::npos);
}

TEST(JsonApi, UnknownFieldsAreWarningsWithTheirSource) {
  json context = sample_context();
  context["colour"] = "blue";
  json envelope = json::parse(
      view_json(sample_program().dump(), customer_with_points(10).dump(), context.dump()));
  EXPECT_EQ(envelope["ok"], true);
  EXPECT_FALSE(find_diagnostic(envelope, "warnings", "context", "/colour").is_null());
}

TEST(JsonApi, ValidateReportsOkOrErrors) {
  json ok = json::parse(validate_program_json(sample_program().dump()));
  EXPECT_EQ(ok["ok"], true);
  EXPECT_TRUE(ok["warnings"].empty());
  json program = sample_program();
  program["currency"] = "XYZ";
  json bad = json::parse(validate_program_json(program.dump()));
  EXPECT_EQ(bad["ok"], false);
  EXPECT_FALSE(find_diagnostic(bad, "errors", "program", "/currency").is_null());
  json customer = json::parse(validate_customer_json(sample_customer().dump()));
  EXPECT_EQ(customer["ok"], true);
}

TEST(JsonApi, ReplayReturnsTheAccount) {
  json envelope = json::parse(replay_json(
      sample_program().dump(), customer_with_points(1250).dump(), sample_context().dump()));
  ASSERT_EQ(envelope["ok"], true) << envelope.dump();
  const json& account = envelope["account"];
  EXPECT_EQ(account["balance"], 1250);
  EXPECT_EQ(account["lifetimeEarned"], 1250);
  EXPECT_EQ(account["tier"]["id"], "gold");
  EXPECT_EQ(account["tier"]["windowEnd"], "2027-01-01T00:00:00-05:00");
  ASSERT_EQ(account["activity"].size(), 1u);
  EXPECT_EQ(account["activity"][0]["ruleId"], "review");
  EXPECT_EQ(account["claims"]["review"][0], "2026-11-01T07:00:00-05:00");
}

TEST(JsonApi, ReplayShowsPendingPointsOnlyWhileThereAreAny) {
  json program = sample_program();
  json customer = sample_customer();
  customer["ledger"].push_back({{"id", "o1"},
                                {"type", "order_placed"},
                                {"at", "2026-11-20T12:00:00Z"},
                                {"orderId", "1001"},
                                {"amounts", {{"subtotal", 5000}}},
                                {"points", 100}});
  const std::string context = sample_context().dump();
  // Without pendingDays nothing is pending, and the account has no pending keys at all.
  json plain = json::parse(replay_json(program.dump(), customer.dump(), context));
  ASSERT_EQ(plain["ok"], true) << plain.dump();
  EXPECT_FALSE(plain["account"].contains("pending"));
  EXPECT_FALSE(plain["account"].contains("pendingPoints"));
  EXPECT_FALSE(plain["account"]["activity"][0].contains("pendingUntil"));

  program["earning"][1]["pendingDays"] = 14;
  json held = json::parse(replay_json(program.dump(), customer.dump(), context));
  ASSERT_EQ(held["ok"], true) << held.dump();
  const json& account = held["account"];
  EXPECT_EQ(account["balance"], plain["account"]["balance"].get<std::int64_t>() - 100);
  EXPECT_EQ(account["pending"], 100);
  const json lot = {
      {"orderId", "1001"}, {"points", 100}, {"availableAt", "2026-12-04T07:00:00-05:00"}};
  EXPECT_EQ(account["pendingPoints"], json::array({lot}));
  EXPECT_EQ(account["activity"][0]["pendingUntil"], "2026-12-04T07:00:00-05:00");
}

TEST(JsonApi, EarnForAnOrderAndForARule) {
  const std::string program = sample_program().dump();
  const std::string customer = customer_with_points(1250).dump();
  const std::string context = sample_context().dump();
  json order = json::parse(
      earn_json(program, customer, context, R"({"type": "order", "amounts": {"subtotal": 5000}})"));
  ASSERT_EQ(order["ok"], true) << order.dump();
  EXPECT_EQ(order["earn"]["base"], 100);
  EXPECT_EQ(order["earn"]["tierBonus"], 25);
  EXPECT_EQ(order["earn"]["total"], 125);
  EXPECT_EQ(order["earn"]["tierMultiplierPermille"], 1250);
  EXPECT_TRUE(order["earn"]["refusal"].is_null());

  json promoted = json::parse(earn_json(
      program, customer, context,
      R"({"type": "order", "amounts": {"subtotal": 5000}, "at": "2026-11-28T12:00:00-05:00"})"));
  EXPECT_EQ(promoted["earn"]["promotionBonus"], 100);
  EXPECT_EQ(promoted["earn"]["promotionIds"], json::array({"dbl"}));

  json rule = json::parse(
      earn_json(program, customer, context, R"({"type": "rule", "ruleId": "ig-follow"})"));
  ASSERT_EQ(rule["ok"], true) << rule.dump();
  EXPECT_EQ(rule["earn"]["base"], 25);
}

TEST(JsonApi, BadEventsAreReportedAsEventErrors) {
  const std::string program = sample_program().dump();
  const std::string customer = sample_customer().dump();
  const std::string context = sample_context().dump();
  json unknown =
      json::parse(earn_json(program, customer, context, R"({"type": "rule", "ruleId": "nope"})"));
  EXPECT_EQ(unknown["ok"], false);
  EXPECT_FALSE(find_diagnostic(unknown, "errors", "event", "/ruleId").is_null()) << unknown.dump();
  json type = json::parse(earn_json(program, customer, context, R"({"type": "gift"})"));
  EXPECT_FALSE(find_diagnostic(type, "errors", "event", "/type").is_null()) << type.dump();
  json amounts = json::parse(
      earn_json(program, customer, context, R"({"type": "order", "amounts": {"subtotal": 1.5}})"));
  EXPECT_FALSE(find_diagnostic(amounts, "errors", "event", "/amounts/subtotal").is_null())
      << amounts.dump();
  // An order's lines add up to its amounts, as on a ledger entry.
  json lines = json::parse(earn_json(
      program, customer, context,
      R"({"type": "order", "amounts": {"subtotal": 5000}, "lines": [{"amount": 4000}]})"));
  EXPECT_FALSE(find_diagnostic(lines, "errors", "event", "/lines").is_null()) << lines.dump();
}

TEST(JsonApi, RedeemDecisions) {
  const std::string program = sample_program().dump();
  const std::string context = sample_context().dump();
  json ok = json::parse(
      redeem_json(program, customer_with_points(600).dump(), context, R"({"rewardId": "r5"})"));
  ASSERT_EQ(ok["ok"], true) << ok.dump();
  EXPECT_EQ(ok["redeem"]["ok"], true);
  EXPECT_EQ(ok["redeem"]["points"], 500);
  EXPECT_EQ(ok["redeem"]["value"], json::parse(R"({"money": 500, "currency": "USD"})"));
  EXPECT_TRUE(ok["redeem"]["refusal"].is_null());

  json short_of_points = json::parse(
      redeem_json(program, customer_with_points(100).dump(), context, R"({"rewardId": "r5"})"));
  EXPECT_EQ(short_of_points["ok"], true);
  EXPECT_EQ(short_of_points["redeem"]["ok"], false);
  EXPECT_EQ(short_of_points["redeem"]["refusal"], "redeem.insufficientPoints");

  json guest_customer = sample_customer();
  guest_customer["status"] = "guest";
  json guest =
      json::parse(redeem_json(program, guest_customer.dump(), context, R"({"rewardId": "r5"})"));
  EXPECT_EQ(guest["redeem"]["refusal"], "redeem.notMember");

  json missing = json::parse(
      redeem_json(program, customer_with_points(100).dump(), context, R"({"points": -3})"));
  EXPECT_EQ(missing["ok"], false);
  EXPECT_FALSE(find_diagnostic(missing, "errors", "request", "/rewardId").is_null());
  EXPECT_FALSE(find_diagnostic(missing, "errors", "request", "/points").is_null());
}

TEST(JsonApi, EveryEnvelopeIsCompactWithSortedKeys) {
  // nlohmann's dump() sorts keys and writes compactly: re-dumping must change nothing, so hosts
  // may compare and cache answers byte for byte.
  const std::string program = sample_program().dump();
  const std::string customer = customer_with_points(1250).dump();
  const std::string context = sample_context().dump();
  json bad_program = sample_program();
  bad_program["rewards"][0]["cost"] = "many \"points\"\n";
  bad_program["colour"] = "red";
  const std::vector<std::string> answers = {
      view_json(program, customer, context),
      view_json(bad_program.dump(), customer, context),
      replay_json(program, customer, context),
      earn_json(program, customer, context, R"({"type": "order", "amounts": {"subtotal": 5000}})"),
      earn_json(program, customer, context, R"({"type": "rule", "ruleId": "ig-follow"})"),
      redeem_json(program, customer, context, R"({"rewardId": "r5"})"),
      redeem_json(program, customer, context, R"({"rewardId": "nope"})"),
      validate_program_json(bad_program.dump()),
      validate_customer_json("[1, 2"),
  };
  for (const auto& answer : answers) {
    json parsed = json::parse(answer, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << answer;
    EXPECT_EQ(parsed.dump(), answer);
  }
}

TEST(JsonApi, WarningsFollowDocumentOrderAndTheLastDuplicateWins) {
  const std::string text = validate_customer_json(
      R"({"version": 1, "id": "c1", "zeta": 1, "status": "guest", "alpha": 2, "id": "c2"})");
  json envelope = json::parse(text);
  ASSERT_EQ(envelope["ok"], true) << text;
  ASSERT_EQ(envelope["warnings"].size(), 2u) << text;
  EXPECT_EQ(envelope["warnings"][0]["path"], "/zeta");
  EXPECT_EQ(envelope["warnings"][1]["path"], "/alpha");

  json program = sample_program();
  std::string duplicated = program.dump();
  duplicated.insert(1, R"("currency": "EUR", )");  // the later "USD" wins, as in a JS object
  json view =
      json::parse(view_json(duplicated, customer_with_points(10).dump(), sample_context().dump()));
  ASSERT_EQ(view["ok"], true) << view.dump();
  EXPECT_EQ(view["view"]["shop"]["currency"], "USD");
}

TEST(JsonApi, AChangedProgramIsReadAgainAndItsWarningsComeEveryTime) {
  // json_api keeps the program read last; each answer must still be the one for its own text.
  const std::string customer = customer_with_points(1250).dump();
  const std::string context = sample_context().dump();
  json usd = sample_program();
  usd["colour"] = "red";  // an unknown field: a warning on every answer
  json eur = sample_program();
  eur["currency"] = "EUR";
  json broken = sample_program();
  broken["rewards"][0]["cost"] = 0;
  for (int round = 0; round < 2; ++round) {
    json first = json::parse(view_json(usd.dump(), customer, context));
    ASSERT_EQ(first["ok"], true);
    EXPECT_EQ(first["view"]["shop"]["currency"], "USD");
    EXPECT_FALSE(find_diagnostic(first, "warnings", "program", "/colour").is_null());
    json again = json::parse(view_json(usd.dump(), customer, context));
    EXPECT_EQ(again, first);
    json second = json::parse(view_json(eur.dump(), customer, context));
    EXPECT_EQ(second["view"]["shop"]["currency"], "EUR");
    EXPECT_TRUE(find_diagnostic(second, "warnings", "program", "/colour").is_null());
    json third = json::parse(view_json(broken.dump(), customer, context));
    EXPECT_EQ(third["ok"], false);
    EXPECT_FALSE(find_diagnostic(third, "errors", "program", "/rewards/0/cost").is_null());
    json fourth = json::parse(view_json(broken.dump(), customer, context));
    EXPECT_EQ(fourth, third);
  }
}

}  // namespace
}  // namespace loyalty
