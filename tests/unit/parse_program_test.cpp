#include <gtest/gtest.h>

#include "json_document.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "diagnostic_matchers.hpp"
#include "loyalty/context.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"
#include "parse.hpp"

namespace loyalty {
namespace {

using nlohmann::json;
using testing_support::count;
using testing_support::has_error;
using testing_support::has_warning;
using testing_support::list_diagnostics;

/// The program of CONTRACT.md, every section filled in.
json contract_program() {
  return json::parse(R"({
  "version": 1,
  "id": "maple",
  "name": "Maple & Co",
  "currency": "USD",
  "points": {"singular": "point", "plural": "points"},
  "utcOffset": "-05:00",
  "branding": {"accent": "#5b3df5", "position": "right", "launcherLabel": "Rewards", "icon": "gift"},
  "labels": {"panel.title": {"en": "Maple Rewards", "lv": "Maple balvas"}},
  "earning": [
    {"id": "signup", "type": "signup", "points": 100},
    {"id": "orders", "type": "order", "points": 5, "per": 250, "minOrder": 1000,
     "basis": "subtotal_after_discounts"},
    {"id": "birthday", "type": "birthday", "points": 200, "waitDays": 30},
    {"id": "review", "type": "review", "points": 50, "limit": "unlimited"},
    {"id": "ig-follow", "type": "social_follow", "platform": "instagram",
     "url": "https://instagram.com/maple", "points": 25, "limit": "once"},
    {"id": "fb-share", "type": "social_share", "platform": "facebook", "points": 10, "limit": "per_week"},
    {"id": "referral", "type": "referral", "points": 500},
    {"id": "profile", "type": "custom", "name": "Complete your profile", "points": 50,
     "url": "https://maple.example/account", "limit": "once"}
  ],
  "rewards": [
    {"id": "r5", "type": "amount_off", "amount": 500, "cost": 500},
    {"id": "r20pct", "type": "percent_off", "percent": 20, "cost": 1000, "minOrder": 5000},
    {"id": "ship", "type": "free_shipping", "cost": 300},
    {"id": "mug", "type": "free_product", "product": {"id": "sku-mug", "name": "Maple mug"}, "cost": 1500},
    {"id": "credit", "type": "store_credit", "amount": 1000, "cost": 900, "tiers": ["gold"]},
    {"id": "flex", "type": "amount_off",
     "incremental": {"pointsPerStep": 100, "amountPerStep": 100, "minPoints": 100, "maxPoints": 5000}}
  ],
  "tiers": {
    "metric": "points_earned",
    "window": "calendar_year",
    "retention": "next_period",
    "levels": [
      {"id": "silver", "name": "Silver", "threshold": 0},
      {"id": "gold", "name": "Gold", "threshold": 1000, "multiplier": 1.25, "perks": ["Free shipping"], "entryPoints": 100},
      {"id": "platinum", "name": "Platinum", "threshold": 3000, "multiplier": 1.5}
    ]
  },
  "referral": {
    "advocate": {"points": 500},
    "friend": {"type": "percent_off", "percent": 10},
    "minFriendOrder": 2000,
    "channels": ["facebook", "messenger", "pinterest", "telegram", "x", "whatsapp", "email", "copy", "native"],
    "landingUrl": "https://maple.example/r/{code}",
    "message": "Get 10% off at {shop} with my link: {link}",
    "messengerAppId": "123456789"
  },
  "expiry": {"mode": "inactivity", "days": 365, "warningDays": 30},
  "promotions": [
    {"id": "dbl", "name": "Double points weekend", "starts": "2026-11-27T00:00:00-05:00",
     "ends": "2026-11-30T00:00:00-05:00", "multiplier": 2, "bonusPoints": 0, "rules": ["orders"]}
  ]
})");
}

Result<Program> parse(const json& document) { return parse_program(document.dump()); }

/// Parses `document` with the value at `pointer` replaced.
Result<Program> parse_with(json document, const std::string& pointer, json value) {
  document[json::json_pointer(pointer)] = std::move(value);
  return parse(document);
}

Result<Program> parse_without(json document, const std::string& parent, const std::string& key) {
  document[json::json_pointer(parent)].erase(key);
  return parse(document);
}

TEST(ParseProgram, ContractExampleReadsCleanly) {
  auto result = parse(contract_program());
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << list_diagnostics(result.diagnostics);
}

TEST(ParseProgram, ContractExampleValuesRoundTrip) {
  auto result = parse(contract_program());
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  const Program& p = *result.value;
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.id, "maple");
  EXPECT_EQ(p.name.resolve("en"), "Maple & Co");
  EXPECT_EQ(p.currency.code, "USD");
  EXPECT_EQ(p.currency.minor_units, 2);
  EXPECT_EQ(p.points_singular.resolve("en"), "point");
  EXPECT_EQ(p.points_plural.resolve("en"), "points");
  EXPECT_EQ(p.utc_offset_minutes, -300);
  EXPECT_EQ(p.branding.accent, "#5b3df5");
  EXPECT_EQ(p.branding.position, LauncherPosition::right);
  EXPECT_EQ(p.branding.launcher_label.resolve("en"), "Rewards");
  EXPECT_EQ(p.branding.icon, "gift");
  ASSERT_EQ(p.labels.count("panel.title"), 1u);
  EXPECT_EQ(p.labels.at("panel.title").resolve("lv"), "Maple balvas");

  ASSERT_EQ(p.earning.size(), 8u);
  const EarnRule& orders = p.earning[1];
  EXPECT_EQ(orders.id, "orders");
  EXPECT_EQ(orders.type, EarnType::order);
  EXPECT_EQ(orders.points, 5);
  EXPECT_EQ(orders.per, 250);
  EXPECT_EQ(orders.min_order, 1000);
  EXPECT_EQ(orders.basis, OrderBasis::subtotal_after_discounts);
  EXPECT_EQ(orders.limit, ClaimLimit::unlimited);
  EXPECT_EQ(p.earning[0].limit, ClaimLimit::once);
  EXPECT_EQ(p.earning[2].wait_days, 30);
  EXPECT_EQ(p.earning[2].limit, ClaimLimit::per_year);
  EXPECT_EQ(p.earning[3].limit, ClaimLimit::unlimited);
  EXPECT_EQ(p.earning[4].platform, SocialPlatform::instagram);
  EXPECT_EQ(p.earning[4].url, "https://instagram.com/maple");
  EXPECT_EQ(p.earning[5].limit, ClaimLimit::per_week);
  EXPECT_EQ(p.earning[7].type, EarnType::custom);
  EXPECT_EQ(p.earning[7].name.resolve("en"), "Complete your profile");
  EXPECT_TRUE(p.earning[7].enabled);
  EXPECT_EQ(p.find_rule("review"), &p.earning[3]);
  EXPECT_EQ(p.find_rule_of_type(EarnType::referral), &p.earning[6]);
  EXPECT_EQ(p.find_rule("nope"), nullptr);

  ASSERT_EQ(p.rewards.size(), 6u);
  EXPECT_EQ(p.rewards[0].amount, 500);
  EXPECT_EQ(p.rewards[0].cost, 500);
  EXPECT_EQ(p.rewards[1].percent, 20);
  EXPECT_EQ(p.rewards[1].min_order, 5000);
  EXPECT_EQ(p.rewards[2].type, RewardType::free_shipping);
  EXPECT_EQ(p.rewards[2].amount, 0);
  EXPECT_EQ(p.rewards[3].product_id, "sku-mug");
  EXPECT_EQ(p.rewards[3].product_name.resolve("en"), "Maple mug");
  EXPECT_EQ(p.rewards[4].tier_ids, std::vector<std::string>{"gold"});
  ASSERT_TRUE(p.rewards[5].incremental);
  EXPECT_EQ(p.rewards[5].incremental->points_per_step, 100);
  EXPECT_EQ(p.rewards[5].incremental->amount_per_step, 100);
  EXPECT_EQ(p.rewards[5].incremental->min_points, 100);
  EXPECT_EQ(p.rewards[5].incremental->max_points, 5000);
  EXPECT_EQ(p.find_reward("mug"), &p.rewards[3]);

  EXPECT_EQ(p.tiers.metric, TierMetric::points_earned);
  EXPECT_EQ(p.tiers.window, TierWindow::calendar_year);
  EXPECT_EQ(p.tiers.retention, TierRetention::next_period);
  ASSERT_EQ(p.tiers.tiers.size(), 3u);
  EXPECT_EQ(p.tiers.tiers[0].multiplier_permille, 1000);
  EXPECT_EQ(p.tiers.tiers[1].multiplier_permille, 1250);
  EXPECT_EQ(p.tiers.tiers[1].threshold, 1000);
  EXPECT_EQ(p.tiers.tiers[1].entry_points, 100);
  ASSERT_EQ(p.tiers.tiers[1].perks.size(), 1u);
  EXPECT_EQ(p.tiers.tiers[1].perks[0].resolve("en"), "Free shipping");
  EXPECT_EQ(p.tiers.tiers[2].multiplier_permille, 1500);
  EXPECT_EQ(p.tier_index("platinum"), 2);
  EXPECT_EQ(p.tier_index("bronze"), -1);

  EXPECT_TRUE(p.referral.enabled);
  EXPECT_EQ(p.referral.advocate_points, 500);
  EXPECT_EQ(p.referral.friend_reward.type, RewardType::percent_off);
  EXPECT_EQ(p.referral.friend_reward.percent, 10);
  EXPECT_EQ(p.referral.min_friend_order, 2000);
  ASSERT_EQ(p.referral.channels.size(), 9u);
  EXPECT_EQ(p.referral.channels[1], ShareChannel::messenger);
  EXPECT_EQ(p.referral.channels[8], ShareChannel::native);
  EXPECT_EQ(p.referral.landing_url, "https://maple.example/r/{code}");
  EXPECT_EQ(p.referral.message.resolve("en"), "Get 10% off at {shop} with my link: {link}");
  EXPECT_EQ(p.referral.messenger_app_id, "123456789");

  EXPECT_EQ(p.expiry.mode, ExpiryMode::inactivity);
  EXPECT_EQ(p.expiry.inactivity_days, 365);
  EXPECT_EQ(p.expiry.warning_days, 30);

  ASSERT_EQ(p.promotions.size(), 1u);
  EXPECT_EQ(p.promotions[0].starts, 1795755600);  // 2026-11-27T05:00:00Z
  EXPECT_EQ(p.promotions[0].ends, 1795755600 + 3 * kSecondsPerDay);
  EXPECT_EQ(p.promotions[0].multiplier_permille, 2000);
  EXPECT_EQ(p.promotions[0].rule_ids, std::vector<std::string>{"orders"});
}

TEST(ParseProgram, DefaultsWhenOptionalSectionsAreAbsent) {
  auto result = parse_program(
      R"({"version": 1, "id": "tiny", "name": "Tiny", "currency": "JPY",
          "earning": [{"id": "o", "type": "order", "points": 1, "per": 100}],
          "rewards": [{"id": "r", "type": "percent_off", "percent": 10, "cost": 50}]})");
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty());
  const Program& p = *result.value;
  EXPECT_EQ(p.currency.minor_units, 0);
  EXPECT_EQ(p.utc_offset_minutes, 0);
  EXPECT_EQ(p.points_plural.resolve("en"), "points");
  EXPECT_TRUE(p.tiers.tiers.empty());
  EXPECT_FALSE(p.referral.enabled);
  EXPECT_EQ(p.expiry.mode, ExpiryMode::none);
  EXPECT_EQ(p.branding.accent, "#5b3df5");
}

TEST(ParseProgram, MalformedJsonAndWrongRoot) {
  auto malformed = parse_program(R"({"id": "x", "name": })");
  EXPECT_FALSE(malformed.ok());
  EXPECT_TRUE(has_error(malformed.diagnostics, "", "at byte 21"));
  auto list = parse_program("[1, 2]");
  EXPECT_FALSE(list.ok());
  EXPECT_TRUE(has_error(list.diagnostics, "", "must be an object"));
}

TEST(ParseProgram, Version) {
  auto missing = parse_without(contract_program(), "", "version");
  EXPECT_TRUE(missing.ok());
  EXPECT_TRUE(has_warning(missing.diagnostics, "/version", "read as version 1"));
  auto two = parse_with(contract_program(), "/version", 2);
  EXPECT_FALSE(two.ok());
  EXPECT_TRUE(has_error(two.diagnostics, "/version", "unsupported version 2"));
  auto text = parse_with(contract_program(), "/version", "1");
  EXPECT_FALSE(text.ok());
  EXPECT_TRUE(has_error(text.diagnostics, "/version", "whole number"));
}

TEST(ParseProgram, UnknownFieldsAreWarningsEverywhere) {
  json document = contract_program();
  document["theme"] = "dark";
  document["rewards"][1]["colour"] = "red";
  document["tiers"]["levels"][2]["badge"] = "p";
  document["referral"]["friend"]["extra"] = 1;
  auto result = parse(document);
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  EXPECT_TRUE(has_warning(result.diagnostics, "/theme", "unknown field, ignored"));
  EXPECT_TRUE(has_warning(result.diagnostics, "/rewards/1/colour", "unknown field"));
  EXPECT_TRUE(has_warning(result.diagnostics, "/tiers/levels/2/badge", "unknown field"));
  EXPECT_TRUE(has_warning(result.diagnostics, "/referral/friend/extra", "unknown field"));
  EXPECT_EQ(count(result.diagnostics, Severity::warning), 4u);
}

TEST(ParseProgram, FieldsOfAnotherRuleTypeAreWarnings) {
  json document = contract_program();
  document["earning"][0]["per"] = 100;
  document["earning"][1]["platform"] = "x";
  auto result = parse(document);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(has_warning(result.diagnostics, "/earning/0/per", "only order rules"));
  EXPECT_TRUE(has_warning(result.diagnostics, "/earning/1/platform", "only social rules"));
}

TEST(ParseProgram, IdentityAndCurrency) {
  auto currency = parse_with(contract_program(), "/currency", "XYZ");
  EXPECT_FALSE(currency.ok());
  EXPECT_TRUE(has_error(currency.diagnostics, "/currency", "ISO 4217"));
  auto lower = parse_with(contract_program(), "/currency", "usd");
  EXPECT_TRUE(has_error(lower.diagnostics, "/currency", "ISO 4217"));
  auto no_id = parse_without(contract_program(), "", "id");
  EXPECT_TRUE(has_error(no_id.diagnostics, "/id", "is required"));
  auto long_name = parse_with(contract_program(), "/name", std::string(10001, 'x'));
  EXPECT_TRUE(has_error(long_name.diagnostics, "/name", "too long"));
  auto offset = parse_with(contract_program(), "/utcOffset", "-5");
  EXPECT_TRUE(has_error(offset.diagnostics, "/utcOffset", "+hh:mm"));
  auto far = parse_with(contract_program(), "/utcOffset", "+15:00");
  EXPECT_TRUE(has_error(far.diagnostics, "/utcOffset", "+hh:mm"));
  auto india = parse_with(contract_program(), "/utcOffset", "+05:30");
  ASSERT_TRUE(india.ok());
  EXPECT_EQ(india.value->utc_offset_minutes, 330);
}

TEST(ParseProgram, RewardCostMustBeWholePositivePoints) {
  auto fraction = parse_with(contract_program(), "/rewards/2/cost", 1.5);
  EXPECT_FALSE(fraction.ok());
  ASSERT_TRUE(has_error(fraction.diagnostics, "/rewards/2/cost",
                        "must be a whole number of points greater than 0 (got 1.5)"));
  auto zero = parse_with(contract_program(), "/rewards/0/cost", 0);
  EXPECT_TRUE(has_error(zero.diagnostics, "/rewards/0/cost", "greater than 0 (got 0)"));
  auto negative = parse_with(contract_program(), "/rewards/0/cost", -5);
  EXPECT_TRUE(has_error(negative.diagnostics, "/rewards/0/cost", "(got -5)"));
  auto huge = parse_with(contract_program(), "/rewards/0/cost", 1e20);
  EXPECT_TRUE(has_error(huge.diagnostics, "/rewards/0/cost", "too large"));
  auto text = parse_with(contract_program(), "/rewards/0/cost", "500");
  EXPECT_TRUE(has_error(text.diagnostics, "/rewards/0/cost", "whole number"));
  auto missing = parse_without(contract_program(), "/rewards/0", "cost");
  EXPECT_TRUE(has_error(missing.diagnostics, "/rewards/0/cost", "is required"));
}

TEST(ParseProgram, RewardValues) {
  auto percent_zero = parse_with(contract_program(), "/rewards/1/percent", 0);
  EXPECT_TRUE(has_error(percent_zero.diagnostics, "/rewards/1/percent", "from 1 to 100"));
  auto percent_high = parse_with(contract_program(), "/rewards/1/percent", 101);
  EXPECT_TRUE(has_error(percent_high.diagnostics, "/rewards/1/percent", "(got 101)"));
  auto amount = parse_with(contract_program(), "/rewards/0/amount", -1);
  EXPECT_TRUE(has_error(amount.diagnostics, "/rewards/0/amount", "greater than 0"));
  auto product = parse_without(contract_program(), "/rewards/3", "product");
  EXPECT_TRUE(has_error(product.diagnostics, "/rewards/3/product", "is required"));
  auto type = parse_with(contract_program(), "/rewards/0/type", "cash");
  EXPECT_TRUE(has_error(type.diagnostics, "/rewards/0/type", "\"amount_off\", \"percent_off\""));
  auto coupon = parse_with(contract_program(), "/rewards/0/couponDays", -3);
  EXPECT_TRUE(has_error(coupon.diagnostics, "/rewards/0/couponDays", "0 to 36500"));
}

TEST(ParseProgram, DuplicateIds) {
  auto rules = parse_with(contract_program(), "/earning/3/id", "signup");
  EXPECT_TRUE(
      has_error(rules.diagnostics, "/earning/3/id", "duplicate earning rule id \"signup\""));
  auto rewards = parse_with(contract_program(), "/rewards/2/id", "r5");
  EXPECT_TRUE(has_error(rewards.diagnostics, "/rewards/2/id", "duplicate reward id"));
  auto tiers = parse_with(contract_program(), "/tiers/levels/2/id", "gold");
  EXPECT_TRUE(has_error(tiers.diagnostics, "/tiers/levels/2/id", "duplicate tier id"));
  json document = contract_program();
  document["promotions"].push_back(document["promotions"][0]);
  auto promotions = parse(document);
  EXPECT_TRUE(has_error(promotions.diagnostics, "/promotions/1/id", "duplicate promotion id"));
}

TEST(ParseProgram, IncrementalCostConsistency) {
  auto step = parse_with(contract_program(), "/rewards/5/incremental/pointsPerStep", 0);
  EXPECT_TRUE(
      has_error(step.diagnostics, "/rewards/5/incremental/pointsPerStep", "greater than 0"));
  json document = contract_program();
  document["rewards"][5]["incremental"]["minPoints"] = 600;
  document["rewards"][5]["incremental"]["maxPoints"] = 500;
  auto inverted = parse(document);
  EXPECT_TRUE(has_error(inverted.diagnostics, "/rewards/5/incremental/maxPoints",
                        "at least minPoints (600)"));
  auto ragged = parse_with(contract_program(), "/rewards/5/incremental/minPoints", 150);
  EXPECT_TRUE(has_error(ragged.diagnostics, "/rewards/5/incremental/minPoints",
                        "whole number of steps of 100"));
  auto ragged_max = parse_with(contract_program(), "/rewards/5/incremental/maxPoints", 5050);
  EXPECT_TRUE(has_error(ragged_max.diagnostics, "/rewards/5/incremental/maxPoints", "steps"));
  json percent_document = contract_program();
  percent_document["rewards"][1].erase("cost");
  percent_document["rewards"][1]["incremental"] = {{"pointsPerStep", 10}, {"amountPerStep", 1}};
  auto percent = parse(percent_document);
  EXPECT_TRUE(
      has_error(percent.diagnostics, "/rewards/1/incremental", "only amount_off and store_credit"));
  auto both = parse_with(contract_program(), "/rewards/5/cost", 100);
  EXPECT_TRUE(has_error(both.diagnostics, "/rewards/5/incremental", "not both"));
  auto defaults = parse_with(contract_program(), "/rewards/5/incremental",
                             {{"pointsPerStep", 50}, {"amountPerStep", 25}});
  ASSERT_TRUE(defaults.ok()) << list_diagnostics(defaults.diagnostics);
  EXPECT_EQ(defaults.value->rewards[5].incremental->min_points, 50);
  EXPECT_EQ(defaults.value->rewards[5].incremental->max_points, 0);
}

TEST(ParseProgram, TiersMustAscendStrictly) {
  auto unordered = parse_with(contract_program(), "/tiers/levels/2/threshold", 500);
  EXPECT_FALSE(unordered.ok());
  EXPECT_TRUE(has_error(unordered.diagnostics, "/tiers/levels/2/threshold", "ascending"));
  auto equal = parse_with(contract_program(), "/tiers/levels/1/threshold", 0);
  EXPECT_TRUE(has_error(equal.diagnostics, "/tiers/levels/1/threshold", "overlapping"));
  auto negative = parse_with(contract_program(), "/tiers/levels/0/threshold", -1);
  EXPECT_TRUE(has_error(negative.diagnostics, "/tiers/levels/0/threshold", "0 or more"));
  auto metric = parse_with(contract_program(), "/tiers/metric", "visits");
  EXPECT_TRUE(has_error(metric.diagnostics, "/tiers/metric", "\"points_earned\""));
  auto rolling = parse_with(contract_program(), "/tiers/window", "rolling");
  EXPECT_TRUE(has_error(rolling.diagnostics, "/tiers/rollingDays", "is required"));
}

TEST(ParseProgram, TierMultipliersArePerMilleWithThreeDecimals) {
  auto precise = parse_with(contract_program(), "/tiers/levels/1/multiplier", 1.125);
  ASSERT_TRUE(precise.ok());
  EXPECT_EQ(precise.value->tiers.tiers[1].multiplier_permille, 1125);
  auto too_precise = parse_with(contract_program(), "/tiers/levels/1/multiplier", 1.2345);
  EXPECT_TRUE(has_error(too_precise.diagnostics, "/tiers/levels/1/multiplier", "3 decimals"));
  auto below_one = parse_with(contract_program(), "/tiers/levels/1/multiplier", 0.5);
  EXPECT_TRUE(has_error(below_one.diagnostics, "/tiers/levels/1/multiplier", "from 1 to 100"));
  auto huge = parse_with(contract_program(), "/tiers/levels/1/multiplier", 101);
  EXPECT_TRUE(has_error(huge.diagnostics, "/tiers/levels/1/multiplier", "(got 101)"));
  auto text = parse_with(contract_program(), "/tiers/levels/1/multiplier", "1.25");
  EXPECT_TRUE(has_error(text.diagnostics, "/tiers/levels/1/multiplier", "number"));
}

TEST(ParseProgram, ReferencesToUnknownIds) {
  auto tier = parse_with(contract_program(), "/rewards/4/tiers/0", "diamond");
  EXPECT_TRUE(has_error(tier.diagnostics, "/rewards/4/tiers/0", "unknown tier \"diamond\""));
  auto rule = parse_with(contract_program(), "/promotions/0/rules/0", "purchases");
  EXPECT_TRUE(
      has_error(rule.diagnostics, "/promotions/0/rules/0", "unknown earning rule \"purchases\""));
  auto reward = parse_with(contract_program(), "/referral/advocate", {{"rewardId", "r500"}});
  EXPECT_TRUE(
      has_error(reward.diagnostics, "/referral/advocate/rewardId", "unknown reward \"r500\""));
  auto known = parse_with(contract_program(), "/referral/advocate", {{"rewardId", "r5"}});
  ASSERT_TRUE(known.ok()) << list_diagnostics(known.diagnostics);
  EXPECT_EQ(known.value->referral.advocate_reward_id, "r5");
  EXPECT_EQ(known.value->referral.advocate_points, 0);
}

TEST(ParseProgram, Urls) {
  auto landing = parse_with(contract_program(), "/referral/landingUrl", "javascript:alert(1)");
  EXPECT_TRUE(has_error(landing.diagnostics, "/referral/landingUrl", "http:// or https://"));
  auto rule_url = parse_with(contract_program(), "/earning/4/url", "ftp://example.com/x");
  EXPECT_TRUE(has_error(rule_url.diagnostics, "/earning/4/url", "http:// or https://"));
  auto custom_url = parse_with(contract_program(), "/earning/7/url", "data:text/html,hi");
  EXPECT_TRUE(has_error(custom_url.diagnostics, "/earning/7/url", "https://"));
}

TEST(ParseProgram, Branding) {
  auto accent = parse_with(contract_program(), "/branding/accent", "red");
  EXPECT_TRUE(has_error(accent.diagnostics, "/branding/accent", "#rrggbb"));
  auto four = parse_with(contract_program(), "/branding/accent", "#12345");
  EXPECT_TRUE(has_error(four.diagnostics, "/branding/accent", "hex colour"));
  auto short_form = parse_with(contract_program(), "/branding/accent", "#AbC");
  ASSERT_TRUE(short_form.ok());
  EXPECT_EQ(short_form.value->branding.accent, "#AbC");
  auto icon = parse_with(contract_program(), "/branding/icon", "rocket");
  EXPECT_TRUE(has_error(icon.diagnostics, "/branding/icon", "\"coffee\""));
  auto position = parse_with(contract_program(), "/branding/position", "left");
  ASSERT_TRUE(position.ok());
  EXPECT_EQ(position.value->branding.position, LauncherPosition::left);
}

TEST(ParseProgram, Promotions) {
  auto inverted = parse_with(contract_program(), "/promotions/0/ends", "2026-11-27T00:00:00-05:00");
  EXPECT_TRUE(has_error(inverted.diagnostics, "/promotions/0/ends", "later than"));
  auto no_offset = parse_with(contract_program(), "/promotions/0/starts", "2026-11-27T00:00:00");
  EXPECT_TRUE(has_error(no_offset.diagnostics, "/promotions/0/starts", "UTC offset"));
  auto bonus = parse_with(contract_program(), "/promotions/0/bonusPoints", -1);
  EXPECT_TRUE(has_error(bonus.diagnostics, "/promotions/0/bonusPoints", "0 or more"));
  json document = contract_program();
  document["promotions"][0]["multiplier"] = 1;
  auto no_effect = parse(document);
  ASSERT_TRUE(no_effect.ok());
  EXPECT_TRUE(has_warning(no_effect.diagnostics, "/promotions/0", "no effect"));
}

TEST(ParseProgram, Expiry) {
  auto no_days = parse_without(contract_program(), "/expiry", "days");
  EXPECT_TRUE(has_error(no_days.diagnostics, "/expiry/days", "is required"));
  auto zero_days = parse_with(contract_program(), "/expiry/days", 0);
  EXPECT_TRUE(has_error(zero_days.diagnostics, "/expiry/days", "from 1 to 36500"));
  auto lots = parse_with(contract_program(), "/expiry", {{"mode", "lots"}, {"months", 0}});
  EXPECT_TRUE(has_error(lots.diagnostics, "/expiry/months", "from 1 to 1200"));
  auto good_lots = parse_with(contract_program(), "/expiry", {{"mode", "lots"}, {"months", 6}});
  ASSERT_TRUE(good_lots.ok());
  EXPECT_EQ(good_lots.value->expiry.mode, ExpiryMode::lots);
  EXPECT_EQ(good_lots.value->expiry.lot_months, 6);
  EXPECT_EQ(good_lots.value->expiry.warning_days, 30);
  auto warning = parse_with(contract_program(), "/expiry/warningDays", -1);
  EXPECT_TRUE(has_error(warning.diagnostics, "/expiry/warningDays", "0 to 36500"));
}

TEST(ParseProgram, EarningRules) {
  json two_signups = contract_program();
  two_signups["earning"].push_back({{"id", "signup2"}, {"type", "signup"}, {"points", 5}});
  auto signups = parse(two_signups);
  EXPECT_TRUE(has_error(signups.diagnostics, "/earning/8/type",
                        "only one earning rule of type \"signup\""));
  auto platform = parse_without(contract_program(), "/earning/4", "platform");
  EXPECT_TRUE(has_error(platform.diagnostics, "/earning/4/platform", "is required"));
  auto bad_platform = parse_with(contract_program(), "/earning/5/platform", "myspace");
  EXPECT_TRUE(has_error(bad_platform.diagnostics, "/earning/5/platform", "\"youtube\""));
  auto per_zero = parse_with(contract_program(), "/earning/1/per", 0);
  EXPECT_TRUE(has_error(per_zero.diagnostics, "/earning/1/per", "greater than 0"));
  auto per_missing = parse_without(contract_program(), "/earning/1", "per");
  EXPECT_TRUE(has_error(per_missing.diagnostics, "/earning/1/per", "is required"));
  auto custom_name = parse_without(contract_program(), "/earning/7", "name");
  EXPECT_TRUE(has_error(custom_name.diagnostics, "/earning/7/name", "is required"));
  auto limit = parse_with(contract_program(), "/earning/3/limit", "weekly");
  EXPECT_TRUE(has_error(limit.diagnostics, "/earning/3/limit", "\"per_week\""));
  auto points = parse_with(contract_program(), "/earning/0/points", 0);
  EXPECT_TRUE(has_error(points.diagnostics, "/earning/0/points", "greater than 0"));
  auto disabled = parse_with(contract_program(), "/earning/3/enabled", false);
  ASSERT_TRUE(disabled.ok());
  EXPECT_FALSE(disabled.value->earning[3].enabled);
  auto wait = parse_with(contract_program(), "/earning/2/waitDays", 2.5);
  EXPECT_TRUE(has_error(wait.diagnostics, "/earning/2/waitDays", "whole number of days"));
}

TEST(ParseProgram, RoundingCooldownAndCombine) {
  const auto defaults = parse(contract_program());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.value->earning[1].rounding, EarnRounding::proportional);
  EXPECT_EQ(defaults.value->earning[1].refund_rounding, RefundRounding::taken_back);
  EXPECT_EQ(defaults.value->earning[2].cooldown_days, 0);
  EXPECT_EQ(defaults.value->promotions[0].combine, PromotionCombine::add);

  json document = contract_program();
  document["earning"][1]["rounding"] = "whole_steps";
  document["earning"][1]["refundRounding"] = "kept";
  document["earning"][2]["cooldownDays"] = 300;
  document["promotions"][0]["combine"] = "greater";
  const auto set = parse(document);
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set.diagnostics.empty());
  EXPECT_EQ(set.value->earning[1].rounding, EarnRounding::whole_steps);
  EXPECT_EQ(set.value->earning[1].refund_rounding, RefundRounding::kept);
  EXPECT_EQ(set.value->earning[2].cooldown_days, 300);
  EXPECT_EQ(set.value->promotions[0].combine, PromotionCombine::greater);

  auto rounding = parse_with(contract_program(), "/earning/1/rounding", "ceil");
  EXPECT_TRUE(has_error(rounding.diagnostics, "/earning/1/rounding", "\"half_up\""));
  auto refund = parse_with(contract_program(), "/earning/1/refundRounding", true);
  EXPECT_TRUE(has_error(refund.diagnostics, "/earning/1/refundRounding", "\"kept\""));
  auto cooldown = parse_with(contract_program(), "/earning/2/cooldownDays", 0);
  EXPECT_TRUE(has_error(cooldown.diagnostics, "/earning/2/cooldownDays", "from 1 to 36500"));
  auto combine = parse_with(contract_program(), "/promotions/0/combine", "max");
  EXPECT_TRUE(has_error(combine.diagnostics, "/promotions/0/combine", "\"greater\""));
  auto elsewhere = parse_with(contract_program(), "/earning/3/rounding", "half_up");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(has_warning(elsewhere.diagnostics, "/earning/3/rounding", "only order rules"));
  auto not_birthday = parse_with(contract_program(), "/earning/0/cooldownDays", 10);
  EXPECT_TRUE(has_warning(not_birthday.diagnostics, "/earning/0/cooldownDays", "birthday"));
}

TEST(ParseProgram, RedemptionCaps) {
  json document = contract_program();
  document["redemption"] = {
      {"minPoints", 100}, {"maxPointsPerOrder", 5000}, {"maxOrderPercent", 10}};
  const auto good = parse(document);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good.diagnostics.empty());
  EXPECT_EQ(good.value->redemption.min_points, 100);
  EXPECT_EQ(good.value->redemption.max_points_per_order, 5000);
  EXPECT_EQ(good.value->redemption.max_order_percent, 10);
  auto percent = parse_with(contract_program(), "/redemption", {{"maxOrderPercent", 101}});
  EXPECT_TRUE(has_error(percent.diagnostics, "/redemption/maxOrderPercent", "from 1 to 100"));
  auto zero = parse_with(contract_program(), "/redemption", {{"minPoints", 0}});
  EXPECT_TRUE(has_error(zero.diagnostics, "/redemption/minPoints", "greater than 0"));
  auto crossed = parse_with(contract_program(), "/redemption",
                            {{"minPoints", 600}, {"maxPointsPerOrder", 500}});
  EXPECT_TRUE(has_error(crossed.diagnostics, "/redemption/minPoints", "maxPointsPerOrder"));
  // Fixed rewards outside the caps can never be redeemed: a warning where they are defined.
  auto unreachable = parse_with(contract_program(), "/redemption",
                                {{"minPoints", 400}, {"maxPointsPerOrder", 1000}});
  ASSERT_TRUE(unreachable.ok());
  EXPECT_TRUE(has_warning(unreachable.diagnostics, "/rewards/2/cost", "minPoints"));
  EXPECT_TRUE(has_warning(unreachable.diagnostics, "/rewards/3/cost", "maxPointsPerOrder"));
  auto unknown = parse_with(contract_program(), "/redemption", {{"maxShare", 10}});
  EXPECT_TRUE(has_warning(unknown.diagnostics, "/redemption/maxShare", "unknown"));
}

TEST(ParseProgram, ExpiryPeriodsActivityAndTierPolicies) {
  auto quarters = parse_with(contract_program(), "/expiry",
                             {{"mode", "lots"}, {"period", "quarter"}, {"periods", 4}});
  ASSERT_TRUE(quarters.ok());
  EXPECT_EQ(quarters.value->expiry.lot_period, ExpiryPeriod::quarter);
  EXPECT_EQ(quarters.value->expiry.lot_periods, 4);
  auto no_periods =
      parse_with(contract_program(), "/expiry", {{"mode", "lots"}, {"period", "year"}});
  EXPECT_TRUE(has_error(no_periods.diagnostics, "/expiry/periods", "is required"));
  auto months_for_years =
      parse_with(contract_program(), "/expiry",
                 {{"mode", "lots"}, {"period", "year"}, {"periods", 0}, {"months", 3}});
  EXPECT_TRUE(has_warning(months_for_years.diagnostics, "/expiry/months", "periods"));

  auto by_months = parse_with(contract_program(), "/expiry",
                              {{"mode", "inactivity"}, {"months", 18}, {"activity", "purchases"}});
  ASSERT_TRUE(by_months.ok());
  EXPECT_EQ(by_months.value->expiry.inactivity_months, 18);
  EXPECT_EQ(by_months.value->expiry.inactivity_days, 0);
  EXPECT_EQ(by_months.value->expiry.activity, ExpiryActivity::purchases);
  auto both = parse_with(contract_program(), "/expiry",
                         {{"mode", "inactivity"}, {"days", 30}, {"months", 1}});
  EXPECT_TRUE(has_error(both.diagnostics, "/expiry/months", "not both"));
  auto activity = parse_with(contract_program(), "/expiry/activity", "logins");
  EXPECT_TRUE(has_error(activity.diagnostics, "/expiry/activity", "\"purchases\""));

  json document = contract_program();  // inactivity, 365 days
  document["tiers"]["levels"][2]["expiry"] = {{"mode", "none"}};
  document["tiers"]["levels"][1]["expiry"] = {{"mode", "inactivity"}, {"days", 730}};
  auto tiered = parse(document);
  ASSERT_TRUE(tiered.ok());
  EXPECT_EQ(tiered.value->tiers.tiers[2].expiry->mode, ExpiryMode::none);
  EXPECT_EQ(tiered.value->expiry_for_tier(1).inactivity_days, 730);
  EXPECT_EQ(tiered.value->expiry_for_tier(0).inactivity_days, 365);
  EXPECT_EQ(tiered.value->expiry_for_tier(-1).inactivity_days, 365);
  document["tiers"]["levels"][1]["expiry"] = {{"mode", "lots"}, {"months", 12}};
  auto mixed = parse(document);
  EXPECT_TRUE(has_error(mixed.diagnostics, "/tiers/levels/1/expiry/mode", "\"inactivity\""));
}

TEST(ParseProgram, TierSpendAndEntryPoints) {
  json document = contract_program();
  document["tiers"]["metric"] = "amount_spent";
  document["tiers"]["spendBasis"] = "total";
  document["tiers"]["spendNetOfRefunds"] = false;
  document["tiers"]["entryPointsRepeat"] = "each_time";
  document["tiers"]["entryPointsTakeBack"] = true;
  const auto set = parse(document);
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set.diagnostics.empty());
  EXPECT_EQ(set.value->tiers.spend_basis, SpendBasis::total);
  EXPECT_FALSE(set.value->tiers.spend_net_of_refunds);
  EXPECT_EQ(set.value->tiers.entry_points_repeat, EntryPointsRepeat::each_time);
  EXPECT_TRUE(set.value->tiers.entry_points_take_back);
  auto points_metric = parse_with(contract_program(), "/tiers/spendBasis", "total");
  EXPECT_TRUE(has_warning(points_metric.diagnostics, "/tiers/spendBasis", "amount_spent"));
  auto bad = parse_with(contract_program(), "/tiers/entryPointsRepeat", "twice");
  EXPECT_TRUE(has_error(bad.diagnostics, "/tiers/entryPointsRepeat", "\"each_time\""));
  auto pending = parse_with(contract_program(), "/earning/1/pendingDays", 14);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending.value->earning[1].pending_days, 14);
  EXPECT_TRUE(pending.value->tiers.count_pending);
  auto too_long = parse_with(contract_program(), "/earning/1/pendingDays", 366);
  EXPECT_TRUE(has_error(too_long.diagnostics, "/earning/1/pendingDays", "from 0 to 365"));
  auto not_order = parse_with(contract_program(), "/earning/3/pendingDays", 14);
  EXPECT_TRUE(has_warning(not_order.diagnostics, "/earning/3/pendingDays", "only order rules"));
  auto wait = parse_with(contract_program(), "/tiers/countPending", false);
  ASSERT_TRUE(wait.ok());
  EXPECT_FALSE(wait.value->tiers.count_pending);
  auto not_bool = parse_with(contract_program(), "/tiers/entryPointsTakeBack", "yes");
  EXPECT_TRUE(has_error(not_bool.diagnostics, "/tiers/entryPointsTakeBack", "true or false"));
}

TEST(ParseProgram, OrderRuleExclusions) {
  const auto defaults = parse(contract_program());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.value->earning[1].exclude.kinds, std::vector<LineKind>{LineKind::gift_card});
  json document = contract_program();
  document["earning"][1]["exclude"] = {
      {"products", {"sku-1"}}, {"collections", {"sale"}}, {"kinds", {"shipping", "tax"}}};
  const auto set = parse(document);
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set.diagnostics.empty());
  EXPECT_EQ(set.value->earning[1].exclude.products, std::vector<std::string>{"sku-1"});
  EXPECT_EQ(set.value->earning[1].exclude.collections, std::vector<std::string>{"sale"});
  EXPECT_EQ(set.value->earning[1].exclude.kinds,
            (std::vector<LineKind>{LineKind::shipping, LineKind::tax}));
  auto bad_kind = parse_with(contract_program(), "/earning/1/exclude", {{"kinds", {"coupon"}}});
  EXPECT_TRUE(has_error(bad_kind.diagnostics, "/earning/1/exclude/kinds/0", "\"gift_card\""));
  auto not_order = parse_with(contract_program(), "/earning/3/exclude", json::object());
  EXPECT_TRUE(has_warning(not_order.diagnostics, "/earning/3/exclude", "only order rules"));
}

TEST(ParseProgram, Referral) {
  auto disabled = parse_with(contract_program(), "/referral/enabled", false);
  ASSERT_TRUE(disabled.ok());
  EXPECT_FALSE(disabled.value->referral.enabled);
  auto both =
      parse_with(contract_program(), "/referral/advocate", {{"points", 5}, {"rewardId", "r5"}});
  EXPECT_TRUE(has_error(both.diagnostics, "/referral/advocate", "exactly one"));
  json from_rule = contract_program();
  from_rule["referral"].erase("advocate");
  auto rule_points = parse(from_rule);
  ASSERT_TRUE(rule_points.ok()) << list_diagnostics(rule_points.diagnostics);
  EXPECT_EQ(rule_points.value->referral.advocate_points, 500);
  auto friend_type = parse_with(contract_program(), "/referral/friend", {{"type", "free_product"}});
  EXPECT_TRUE(has_error(friend_type.diagnostics, "/referral/friend/type", "\"amount_off\""));
  auto friend_amount = parse_with(contract_program(), "/referral/friend",
                                  {{"type", "amount_off"}, {"amount", 500}, {"minOrder", 2000}});
  ASSERT_TRUE(friend_amount.ok());
  EXPECT_EQ(friend_amount.value->referral.friend_reward.amount, 500);
  EXPECT_EQ(friend_amount.value->referral.friend_reward.min_order, 2000);
  auto channel = parse_with(contract_program(), "/referral/channels/0", "myspace");
  EXPECT_TRUE(has_error(channel.diagnostics, "/referral/channels/0", "\"messenger\""));
  json no_app = contract_program();
  no_app["referral"].erase("messengerAppId");
  auto messenger = parse(no_app);
  ASSERT_TRUE(messenger.ok());
  EXPECT_TRUE(has_warning(messenger.diagnostics, "/referral/messengerAppId", "Messenger"));
  auto landing = parse_without(contract_program(), "/referral", "landingUrl");
  EXPECT_TRUE(has_error(landing.diagnostics, "/referral/landingUrl", "is required"));
}

TEST(ParseProgram, PointsNamesLabelsAndFlags) {
  auto plural = parse_without(contract_program(), "/points", "plural");
  EXPECT_TRUE(has_error(plural.diagnostics, "/points/plural", "is required"));
  auto stars =
      parse_with(contract_program(), "/points",
                 {{"singular", {{"en", "star"}, {"lv", "zvaigzne"}}}, {"plural", "stars"}});
  ASSERT_TRUE(stars.ok());
  EXPECT_EQ(stars.value->points_singular.resolve("lv"), "zvaigzne");
  EXPECT_EQ(stars.value->points_plural.resolve("lv"), "stars");
  auto forms = parse_with(contract_program(), "/points/forms",
                          {{"lv", {{"zero", "punktu"}, {"one", "punkts"}, {"other", "punkti"}}}});
  ASSERT_TRUE(forms.ok());
  ASSERT_EQ(forms.value->points_forms.size(), 1u);
  EXPECT_EQ(forms.value->points_forms[0].tag, "lv");
  EXPECT_EQ(forms.value->points_forms[0].forms[static_cast<std::size_t>(PluralCategory::zero)],
            "punktu");
  EXPECT_EQ(forms.value->points_forms[0].forms[static_cast<std::size_t>(PluralCategory::two)], "");
  auto bad_tag = parse_with(contract_program(), "/points/forms", {{"1x", {{"one", "a"}}}});
  EXPECT_TRUE(has_error(bad_tag.diagnostics, "/points/forms/1x", "language tag"));
  auto empty_form = parse_with(contract_program(), "/points/forms", {{"lv", {{"zero", ""}}}});
  EXPECT_TRUE(has_error(empty_form.diagnostics, "/points/forms/lv/zero", "must not be empty"));
  auto no_forms = parse_with(contract_program(), "/points/forms", {{"lv", json::object()}});
  EXPECT_TRUE(has_error(no_forms.diagnostics, "/points/forms/lv", "at least one plural form"));
  auto not_text = parse_with(contract_program(), "/points/forms", {{"lv", {{"zero", 0}}}});
  EXPECT_TRUE(has_error(not_text.diagnostics, "/points/forms/lv/zero", ""));
  auto unknown = parse_with(contract_program(), "/points/forms", {{"lv", {{"paucal", "x"}}}});
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(has_warning(unknown.diagnostics, "/points/forms/lv/paucal", "unknown"));
  auto label = parse_with(contract_program(), "/labels/panel.title", {{"en", ""}});
  EXPECT_TRUE(has_error(label.diagnostics, "/labels/panel.title/en", "must not be empty"));
  auto enabled = parse_with(contract_program(), "/earning/3/enabled", "no");
  EXPECT_TRUE(has_error(enabled.diagnostics, "/earning/3/enabled", "true or false"));
  auto schema_hint = parse_with(contract_program(), "/$schema", "program.schema.json");
  ASSERT_TRUE(schema_hint.ok());
  EXPECT_TRUE(schema_hint.diagnostics.empty());
}

TEST(ParseProgram, TierWindowsAndLevels) {
  json document = contract_program();
  document["tiers"]["window"] = "rolling";
  document["tiers"]["rollingDays"] = 180;
  document["tiers"]["metric"] = "orders";
  document["tiers"]["levels"] = {{{"id", "regular"}, {"name", "Regular"}, {"threshold", 0}},
                                 {{"id", "gold"}, {"name", "Gold"}, {"threshold", 25}}};
  auto rolling = parse(document);
  ASSERT_TRUE(rolling.ok()) << list_diagnostics(rolling.diagnostics);
  EXPECT_EQ(rolling.value->tiers.window, TierWindow::rolling);
  EXPECT_EQ(rolling.value->tiers.rolling_days, 180);
  EXPECT_EQ(rolling.value->tiers.metric, TierMetric::orders);
  EXPECT_EQ(rolling.value->tiers.retention, TierRetention::next_period);
  auto levels = parse_without(contract_program(), "/tiers", "levels");
  EXPECT_TRUE(has_error(levels.diagnostics, "/tiers/levels", "is required"));
  auto stray = parse_with(contract_program(), "/tiers/rollingDays", 30);
  ASSERT_TRUE(stray.ok());
  EXPECT_TRUE(has_warning(stray.diagnostics, "/tiers/rollingDays", "only the \"rolling\" window"));
  auto name = parse_without(contract_program(), "/tiers/levels/1", "name");
  EXPECT_TRUE(has_error(name.diagnostics, "/tiers/levels/1/name", "is required"));
}

TEST(ParseProgram, ReferralNeedsAnAdvocateRewardSomewhere) {
  json document = contract_program();
  document["referral"].erase("advocate");
  document["earning"].erase(6);  // the referral rule
  auto result = parse(document);
  EXPECT_TRUE(has_error(result.diagnostics, "/referral/advocate", "is required"));
  auto friend_percent = parse_with(contract_program(), "/referral/friend/percent", 0);
  EXPECT_TRUE(has_error(friend_percent.diagnostics, "/referral/friend/percent", "from 1 to 100"));
  auto advocate_points = parse_with(contract_program(), "/referral/advocate/points", 0);
  EXPECT_TRUE(
      has_error(advocate_points.diagnostics, "/referral/advocate/points", "greater than 0"));
}

TEST(ParseProgram, LabelsWithSlashesAreEscapedInPaths) {
  auto result = parse_with(contract_program(), "/labels/a~1b", 5);
  EXPECT_TRUE(has_error(result.diagnostics, "/labels/a~1b", "must be text"));
}

TEST(ParseProgram, CollectsEveryErrorNotJustTheFirst) {
  json document = contract_program();
  document["currency"] = "ZZZ";
  document["rewards"][0]["cost"] = 0;
  document["tiers"]["levels"][2]["threshold"] = 10;
  document["expiry"]["days"] = -1;
  auto result = parse(document);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(count(result.diagnostics, Severity::error), 4u) << list_diagnostics(result.diagnostics);
}

TEST(ParseProgram, SizeLimits) {
  json document = contract_program();
  json rewards = json::array();
  for (int i = 0; i <= 10000; ++i)
    rewards.push_back({{"id", "r" + std::to_string(i)}, {"type", "free_shipping"}, {"cost", 1}});
  document["rewards"] = rewards;
  document["referral"]["advocate"] = {{"points", 1}};
  auto result = parse(document);
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(has_error(result.diagnostics, "/rewards", "at most 10000 (got 10001)"));
  rewards.erase(rewards.end() - 1);
  document["rewards"] = rewards;
  document["rewards"][0]["tiers"] = {"gold"};
  auto at_limit = parse(document);
  EXPECT_TRUE(at_limit.ok()) << list_diagnostics(at_limit.diagnostics);
}

// Same reader from an already-parsed document (json_api parses each text once).
TEST(ParseProgram, FromParsedJsonMatchesFromText) {
  auto from_json = detail::program_from_json(testing_support::document_of(contract_program()));
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(from_json.value->rewards.size(), 6u);
  EXPECT_TRUE(from_json.diagnostics.empty());
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Every sample under demo/programs reads with no errors and no warnings.
TEST(Samples, EveryDemoDocumentParsesCleanly) {
  const std::filesystem::path root =
      std::filesystem::path(LOYALTY_SOURCE_DIR) / "demo" / "programs";
  std::size_t programs = 0;
  std::size_t customers = 0;
  for (const auto& folder : std::filesystem::directory_iterator(root)) {
    if (!folder.is_directory()) continue;
    ++programs;
    const auto program_path = folder.path() / "program.json";
    auto program = parse_program(read_text(program_path));
    EXPECT_TRUE(program.ok()) << program_path;
    EXPECT_TRUE(program.diagnostics.empty()) << program_path << "\n"
                                             << list_diagnostics(program.diagnostics);
    const auto context_path = folder.path() / "context.json";
    auto context = parse_context(read_text(context_path));
    EXPECT_TRUE(context.ok()) << context_path;
    EXPECT_TRUE(context.diagnostics.empty()) << context_path << "\n"
                                             << list_diagnostics(context.diagnostics);
    if (program.ok() && context.ok() && context.value->cart) {
      EXPECT_EQ(context.value->cart->currency, program.value->currency.code) << context_path;
    }
    std::size_t in_folder = 0;
    for (const auto& file : std::filesystem::directory_iterator(folder.path() / "customers")) {
      if (file.path().extension() != ".json") continue;
      ++in_folder;
      auto customer = parse_customer(read_text(file.path()));
      EXPECT_TRUE(customer.ok()) << file.path();
      EXPECT_TRUE(customer.diagnostics.empty()) << file.path() << "\n"
                                                << list_diagnostics(customer.diagnostics);
    }
    EXPECT_EQ(in_folder, 5u) << folder.path();
    customers += in_folder;
  }
  EXPECT_EQ(programs, 4u);
  EXPECT_EQ(customers, 20u);
}

}  // namespace
}  // namespace loyalty
