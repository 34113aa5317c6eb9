// The contract's sample documents (CONTRACT.md) as editable JSON, for the view and text-API
// tests: each test changes only what it is about, then parses with the real parsers.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "loyalty/context.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"
#include "loyalty/view.hpp"

namespace loyalty::view_fixtures {

using nlohmann::json;

inline json sample_program() {
  return json::parse(R"({
  "version": 1, "id": "maple", "name": "Maple & Co", "currency": "USD",
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
    "metric": "points_earned", "window": "calendar_year", "retention": "next_period",
    "levels": [
      {"id": "silver", "name": "Silver", "threshold": 0},
      {"id": "gold", "name": "Gold", "threshold": 1000, "multiplier": 1.25, "perks": ["Free shipping"]},
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

/// A member with no ledger yet; tests append entries.
inline json sample_customer() {
  return json::parse(R"({
  "version": 1, "id": "c-1001", "firstName": "Ada", "status": "member",
  "email": "ada@example.com", "referralCode": "ADA-7Q2", "joinedAt": "2026-01-02T09:00:00Z",
  "ledger": []
})");
}

/// Monday 2026-11-23, 10:00 in the shop's zone.
inline json sample_context() {
  return json::parse(R"({"version": 1, "now": "2026-11-23T10:00:00-05:00", "locale": "en"})");
}

inline json earn_entry(const std::string& id, const std::string& at, const std::string& rule_id,
                       std::int64_t points) {
  return json{{"id", id}, {"type", "earn"}, {"at", at}, {"ruleId", rule_id}, {"points", points}};
}

inline Program program_of(const json& document) {
  auto result = parse_program(document.dump());
  EXPECT_TRUE(result.ok()) << "sample program does not parse";
  return result.value.value_or(Program{});
}

inline Customer customer_of(const json& document) {
  auto result = parse_customer(document.dump());
  EXPECT_TRUE(result.ok()) << "sample customer does not parse";
  return result.value.value_or(Customer{});
}

inline Context context_of(const json& document) {
  auto result = parse_context(document.dump());
  EXPECT_TRUE(result.ok()) << "sample context does not parse";
  return result.value.value_or(Context{});
}

inline LauncherView view_of(const json& program, const json& customer, const json& context) {
  return build_view(program_of(program), customer_of(customer), context_of(context));
}

}  // namespace loyalty::view_fixtures
