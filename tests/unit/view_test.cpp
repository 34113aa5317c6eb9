#include "loyalty/view.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "view_fixtures.hpp"

namespace loyalty {
namespace {

using namespace view_fixtures;

const RewardView& reward(const LauncherView& view, const std::string& id) {
  auto found = std::find_if(view.rewards.begin(), view.rewards.end(),
                            [&](const RewardView& item) { return item.id == id; });
  EXPECT_NE(found, view.rewards.end()) << "no reward " << id;
  return found != view.rewards.end() ? *found : view.rewards.front();
}

const WayToEarnView& way(const LauncherView& view, const std::string& id) {
  auto found = std::find_if(view.ways_to_earn.begin(), view.ways_to_earn.end(),
                            [&](const WayToEarnView& item) { return item.id == id; });
  EXPECT_NE(found, view.ways_to_earn.end()) << "no way to earn " << id;
  return found != view.ways_to_earn.end() ? *found : view.ways_to_earn.front();
}

const MessageParam* param(const Message& message, const std::string& name) {
  for (const auto& [key, value] : message.params)
    if (key == name) return &value;
  return nullptr;
}

json customer_with_balance(std::int64_t points) {
  json customer = sample_customer();
  customer["ledger"].push_back(earn_entry("e1", "2026-11-01T12:00:00Z", "review", points));
  return customer;
}

TEST(View, MemberBalanceAndNextReward) {
  auto view = view_of(sample_program(), customer_with_balance(1250), sample_context());
  EXPECT_EQ(view.state, ViewState::member);
  ASSERT_TRUE(view.balance.has_value());
  EXPECT_EQ(view.balance->points, 1250);
  EXPECT_EQ(view.balance->lifetime_earned, 1250);
  ASSERT_TRUE(view.customer.has_value());
  EXPECT_EQ(view.customer->first_name, "Ada");
  // The cheapest reward not yet affordable: the mug at 1500.
  ASSERT_TRUE(view.next_reward.has_value());
  EXPECT_EQ(view.next_reward->reward_id, "mug");
  EXPECT_EQ(view.next_reward->cost, 1500);
  EXPECT_EQ(view.next_reward->points_to_go, 250);
  EXPECT_EQ(view.next_reward->progress_permille, 833);  // floor(1000 * 1250 / 1500)
  EXPECT_EQ(view.next_reward->title.key, "reward.freeProduct");
  ASSERT_NE(param(view.next_reward->title, "product"), nullptr);
  EXPECT_EQ(param(view.next_reward->title, "product")->text, "Maple mug");
  EXPECT_EQ(view.affordable_reward_ids,
            (std::vector<std::string>{"r5", "r20pct", "ship", "credit", "flex"}));
}

TEST(View, NextRewardSkipsTierLockedRewardsAndKeepsDocumentOrderOnTies) {
  json program = sample_program();
  program["rewards"].push_back(json{{"id", "tote"},
                                    {"type", "free_product"},
                                    {"cost", 1000},
                                    {"product", {{"id", "sku-tote"}, {"name", "Tote"}}}});
  // 950 points: silver, so the gold-only credit (900) is locked, not the next goal.
  auto view = view_of(program, customer_with_balance(950), sample_context());
  ASSERT_TRUE(view.next_reward.has_value());
  EXPECT_EQ(view.next_reward->reward_id, "r20pct");  // 1000, listed before the tote
  EXPECT_EQ(view.next_reward->points_to_go, 50);
  EXPECT_EQ(view.next_reward->progress_permille, 950);
}

TEST(View, NoNextRewardWhenEveryRewardIsAffordable) {
  auto view = view_of(sample_program(), customer_with_balance(2000), sample_context());
  EXPECT_FALSE(view.next_reward.has_value());
  EXPECT_EQ(view.affordable_reward_ids.size(), 6u);
}

TEST(View, RewardStates) {
  auto view = view_of(sample_program(), customer_with_balance(950), sample_context());
  const auto& r5 = reward(view, "r5");
  EXPECT_EQ(r5.state, RewardState::available);
  EXPECT_EQ(r5.points_to_go, 0);
  EXPECT_EQ(r5.progress_permille, 1000);
  EXPECT_EQ(r5.title.key, "reward.amountOff");
  ASSERT_NE(param(r5.title, "amount"), nullptr);
  EXPECT_EQ(param(r5.title, "amount")->kind, MessageParam::Kind::money);
  EXPECT_EQ(param(r5.title, "amount")->value, 500);
  EXPECT_EQ(param(r5.title, "amount")->text, "USD");

  const auto& mug = reward(view, "mug");
  EXPECT_EQ(mug.state, RewardState::insufficient);
  EXPECT_EQ(mug.points_to_go, 550);
  EXPECT_EQ(mug.progress_permille, 633);  // floor(950000 / 1500)

  const auto& credit = reward(view, "credit");
  EXPECT_EQ(credit.state, RewardState::locked);
  ASSERT_TRUE(credit.locked_reason.has_value());
  EXPECT_EQ(credit.locked_reason->key, "reward.lockedTier");
  EXPECT_EQ(param(*credit.locked_reason, "tiers")->text, "Gold");
  EXPECT_EQ(credit.points_to_go, 0);

  const auto& r20 = reward(view, "r20pct");
  ASSERT_TRUE(r20.min_order.has_value());
  EXPECT_EQ(r20.min_order->amount, 5000);
  EXPECT_EQ(r20.title.key, "reward.percentOff");
  EXPECT_EQ(param(r20.title, "percent")->value, 20);

  const auto& flex = reward(view, "flex");
  EXPECT_EQ(flex.state, RewardState::available);
  EXPECT_EQ(flex.cost, 100);
  ASSERT_TRUE(flex.incremental.has_value());
  EXPECT_EQ(flex.incremental->max_affordable_points, 900);  // whole 100-point steps of 950
  EXPECT_EQ(flex.title.key, "reward.incremental");
  EXPECT_EQ(reward(view, "ship").title.key, "reward.freeShipping");
}

TEST(View, GoldMemberMayRedeemTheGoldReward) {
  auto view = view_of(sample_program(), customer_with_balance(1250), sample_context());
  EXPECT_EQ(reward(view, "credit").state, RewardState::available);
  EXPECT_FALSE(reward(view, "credit").locked_reason.has_value());
}

TEST(View, WaysToEarnStates) {
  json customer = sample_customer();
  customer["birthday"] = {{"month", 3}, {"day", 14}, {"addedAt", "2026-11-20T00:00:00Z"}};
  customer["ledger"] = json::array({
      earn_entry("s", "2026-01-02T09:00:00Z", "signup", 100),
      earn_entry("f", "2026-06-01T09:00:00Z", "ig-follow", 25),
      earn_entry("sh", "2026-11-23T14:00:00Z", "fb-share", 10),  // today, 09:00 in the shop
  });
  auto view = view_of(sample_program(), customer, sample_context());
  ASSERT_EQ(view.ways_to_earn.size(), 8u);
  EXPECT_EQ(way(view, "signup").state, EarnState::done);
  EXPECT_EQ(way(view, "ig-follow").state, EarnState::done);
  EXPECT_FALSE(way(view, "ig-follow").claimable);
  const auto& share = way(view, "fb-share");
  EXPECT_EQ(share.state, EarnState::limit_reached);
  EXPECT_EQ(share.limit, ClaimLimit::per_week);
  EXPECT_EQ(share.next_eligible_at, "2026-11-30T00:00:00-05:00");  // next Monday
  EXPECT_EQ(way(view, "birthday").state, EarnState::waiting);      // 30-day wait after entering it
  EXPECT_TRUE(way(view, "birthday").next_eligible_at.has_value());

  const auto& orders = way(view, "orders");
  EXPECT_EQ(orders.state, EarnState::available);
  EXPECT_FALSE(orders.claimable);
  EXPECT_EQ(orders.limit, ClaimLimit::unlimited);
  EXPECT_EQ(orders.title.key, "earn.order");
  EXPECT_EQ(param(orders.title, "points")->value, 5);
  EXPECT_EQ(param(orders.title, "amount")->value, 250);
  json steps_program = sample_program();
  steps_program["earning"][1]["rounding"] = "whole_steps";
  const auto steps_view = view_of(steps_program, customer, sample_context());
  EXPECT_EQ(way(steps_view, "orders").title.key, "earn.orderSteps");
  EXPECT_EQ(param(way(steps_view, "orders").title, "amount")->value, 250);

  const auto& profile = way(view, "profile");
  EXPECT_EQ(profile.state, EarnState::available);
  EXPECT_TRUE(profile.claimable);
  EXPECT_EQ(profile.title.key, "text");
  EXPECT_EQ(param(profile.title, "text")->text, "Complete your profile");
  EXPECT_FALSE(way(view, "review").claimable);
  EXPECT_EQ(way(view, "ig-follow").title.key, "earn.socialFollow");
  EXPECT_EQ(param(way(view, "ig-follow").title, "platform")->text, "Instagram");
  EXPECT_EQ(way(view, "referral").points, 500);
}

TEST(View, TierCard) {
  auto view = view_of(sample_program(), customer_with_balance(1250), sample_context());
  ASSERT_TRUE(view.tier.has_value());
  const TierView& tier = *view.tier;
  ASSERT_TRUE(tier.current.has_value());
  EXPECT_EQ(tier.current->id, "gold");
  EXPECT_EQ(tier.current->multiplier_permille, 1250);
  EXPECT_EQ(tier.current->perks, std::vector<std::string>{"Free shipping"});
  ASSERT_TRUE(tier.next.has_value());
  EXPECT_EQ(tier.next->id, "platinum");
  EXPECT_EQ(tier.progress, 1250);
  EXPECT_EQ(tier.to_go, 1750);
  EXPECT_EQ(tier.progress_permille, 416);  // floor(1000 * 1250 / 3000)
  EXPECT_EQ(tier.window_end, "2027-01-01T00:00:00-05:00");
  ASSERT_EQ(tier.all.size(), 3u);
  EXPECT_EQ(tier.all[0].state, "achieved");
  EXPECT_EQ(tier.all[1].state, "current");
  EXPECT_EQ(tier.all[2].state, "upcoming");
  EXPECT_EQ(way(view, "orders").multiplier_permille, 1250);
}

TEST(View, TopTierHasNoNextAndFullProgress) {
  auto view = view_of(sample_program(), customer_with_balance(3500), sample_context());
  ASSERT_TRUE(view.tier.has_value());
  EXPECT_EQ(view.tier->current->id, "platinum");
  EXPECT_FALSE(view.tier->next.has_value());
  EXPECT_EQ(view.tier->to_go, 0);
  EXPECT_EQ(view.tier->progress_permille, 1000);
}

TEST(View, RollingTierWindowHasNoEndDate) {
  json program = sample_program();
  program["tiers"]["window"] = "rolling";
  program["tiers"]["rollingDays"] = 365;
  auto view = view_of(program, customer_with_balance(1250), sample_context());
  ASSERT_TRUE(view.tier.has_value());
  EXPECT_EQ(view.tier->window, TierWindow::rolling);
  EXPECT_EQ(view.tier->current->id, "gold");
  EXPECT_FALSE(view.tier->window_end.has_value());
}

TEST(View, FriendRewardPlaceholderIsLeftForTheWebLayer) {
  json program = sample_program();
  program["referral"]["message"] = "{firstName} gives you {friendReward}";
  auto view = view_of(program, customer_with_balance(100), sample_context());
  ASSERT_TRUE(view.referral.has_value());
  EXPECT_EQ(view.referral->message, "Ada gives you {friendReward}");
  const ShareView& whatsapp = view.referral->shares[5];
  EXPECT_EQ(whatsapp.channel, ShareChannel::whatsapp);
  EXPECT_EQ(whatsapp.url,
            "https://wa.me/?text=Ada%20gives%20you%20%7BfriendReward%7D%20"
            "https%3A%2F%2Fmaple.example%2Fr%2FADA-7Q2");
}

TEST(View, FriendRewardWordsFromTheContextAreFilledBeforeEncoding) {
  json program = sample_program();
  program["referral"]["message"] = "{firstName} gives you {friendReward}";
  json context = sample_context();
  context["friendRewardText"] = "10 % off & more";
  auto view = view_of(program, customer_with_balance(100), context);
  ASSERT_TRUE(view.referral.has_value());
  EXPECT_EQ(view.referral->message, "Ada gives you 10 % off & more");
  const ShareView& whatsapp = view.referral->shares[5];
  EXPECT_EQ(whatsapp.channel, ShareChannel::whatsapp);
  EXPECT_EQ(whatsapp.url,
            "https://wa.me/?text=Ada%20gives%20you%2010%20%25%20off%20%26%20more%20"
            "https%3A%2F%2Fmaple.example%2Fr%2FADA-7Q2");
}

TEST(View, NoTierCardWithoutTiers) {
  json program = sample_program();
  program.erase("tiers");
  program["rewards"][4].erase("tiers");
  auto view = view_of(program, customer_with_balance(100), sample_context());
  EXPECT_FALSE(view.tier.has_value());
}

TEST(View, ReferralCard) {
  auto view = view_of(sample_program(), customer_with_balance(100), sample_context());
  ASSERT_TRUE(view.referral.has_value());
  const ReferralView& card = *view.referral;
  EXPECT_EQ(card.code, "ADA-7Q2");
  EXPECT_EQ(card.link, "https://maple.example/r/ADA-7Q2");
  EXPECT_EQ(card.message,
            "Get 10% off at Maple & Co with my link: https://maple.example/r/ADA-7Q2");
  EXPECT_EQ(card.advocate_reward.key, "referral.advocatePoints");
  EXPECT_EQ(param(card.advocate_reward, "points")->value, 500);
  EXPECT_EQ(card.friend_reward.key, "reward.percentOff");
  EXPECT_EQ(param(card.friend_reward, "percent")->value, 10);
  ASSERT_EQ(card.shares.size(), 9u);
  EXPECT_EQ(card.shares[0].channel, ShareChannel::facebook);
  EXPECT_EQ(
      card.shares[0].url,
      "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fmaple.example%2Fr%2FADA-7Q2");
  EXPECT_EQ(card.shares[6].channel, ShareChannel::email);
  EXPECT_EQ(card.shares[6].url.rfind("mailto:?subject=Maple%20%26%20Co&body=Get%2010%25%20off", 0),
            0u);
  EXPECT_EQ(card.shares[8].url, "https://maple.example/r/ADA-7Q2");
}

TEST(View, ReferralCodeWithNonAsciiAndReservedCharactersIsEncoded) {
  json customer = customer_with_balance(100);
  customer["referralCode"] = "ZOË 1&2";
  json program = sample_program();
  program["referral"].erase("messengerAppId");
  auto view = view_of(program, customer, sample_context());
  ASSERT_TRUE(view.referral.has_value());
  EXPECT_EQ(view.referral->link, "https://maple.example/r/ZO%C3%8B%201%262");
  EXPECT_EQ(view.referral->shares.size(), 8u);  // no Messenger without an app id
  for (const auto& share : view.referral->shares) EXPECT_NE(share.channel, ShareChannel::messenger);
}

TEST(View, NoReferralCardOverANonHttpLandingUrl) {
  Program program = program_of(sample_program());
  program.referral.landing_url = "javascript:alert(document.cookie)//{code}";
  auto view =
      build_view(program, customer_of(customer_with_balance(100)), context_of(sample_context()));
  EXPECT_FALSE(view.referral.has_value());
  ASSERT_FALSE(view.warnings.empty());
  EXPECT_EQ(view.warnings.back().path, "/referral/landingUrl");
}

TEST(View, NoReferralCardWithoutACode) {
  json customer = customer_with_balance(100);
  customer.erase("referralCode");
  EXPECT_FALSE(view_of(sample_program(), customer, sample_context()).referral.has_value());
}

TEST(View, ExpiringWarningWithinTheWindow) {
  json customer = sample_customer();
  customer["ledger"].push_back(earn_entry("e1", "2025-12-01T15:00:00Z", "review", 300));
  auto view = view_of(sample_program(), customer, sample_context());
  ASSERT_TRUE(view.expiring.has_value());
  EXPECT_EQ(view.expiring->points, 300);
  EXPECT_EQ(view.expiring->at, "2026-12-01T10:00:00-05:00");  // 365 days after the last earn
  EXPECT_EQ(view.expiring->days, 8);
}

TEST(View, NoExpiringWarningOutsideTheWindow) {
  json customer = sample_customer();
  customer["ledger"].push_back(earn_entry("e1", "2026-02-01T15:00:00Z", "review", 300));
  auto view = view_of(sample_program(), customer, sample_context());
  EXPECT_FALSE(view.expiring.has_value());
}

TEST(View, ActivityIsNewestFirstAndCappedAtTwenty) {
  json customer = sample_customer();
  for (int i = 0; i < 25; ++i) {
    char at[32];
    std::snprintf(at, sizeof at, "2026-11-01T%02d:00:00Z", i % 24);
    std::string day = i < 24 ? at : "2026-11-02T00:00:00Z";
    char id[8];
    std::snprintf(id, sizeof id, "e%02d", i);
    customer["ledger"].push_back(earn_entry(id, day, "review", 10));
  }
  auto view = view_of(sample_program(), customer, sample_context());
  ASSERT_EQ(view.activity.size(), 20u);
  EXPECT_EQ(view.activity.front().id, "e24");
  EXPECT_EQ(view.activity.front().at, "2026-11-01T19:00:00-05:00");
  EXPECT_EQ(view.activity.back().id, "e05");
  EXPECT_EQ(view.activity.front().points, 10);
  EXPECT_EQ(view.activity.front().title.key, "activity.earn");
  const MessageParam* rule = param(view.activity.front().title, "rule");
  ASSERT_NE(rule, nullptr);
  ASSERT_EQ(rule->kind, MessageParam::Kind::message);
  EXPECT_EQ(rule->nested.front().key, "earn.review");
}

TEST(View, ActivityWordsRedemptionsAndAdjustments) {
  json customer = customer_with_balance(1000);
  customer["ledger"].push_back({{"id", "r"},
                                {"type", "redeem"},
                                {"at", "2026-11-02T12:00:00Z"},
                                {"rewardId", "r5"},
                                {"points", 500},
                                {"code", "MAPLE-5"}});
  customer["ledger"].push_back({{"id", "a"},
                                {"type", "adjust"},
                                {"at", "2026-11-03T12:00:00Z"},
                                {"points", -20},
                                {"reason", "Goodwill correction"}});
  auto view = view_of(sample_program(), customer, sample_context());
  ASSERT_EQ(view.activity.size(), 3u);
  EXPECT_EQ(view.activity[0].id, "a");
  EXPECT_EQ(view.activity[0].points, -20);
  EXPECT_EQ(view.activity[0].title.key, "activity.adjust");
  EXPECT_EQ(param(view.activity[0].title, "reason")->text, "Goodwill correction");
  EXPECT_EQ(view.activity[1].points, -500);
  EXPECT_EQ(view.activity[1].title.key, "activity.redeem");
  EXPECT_EQ(param(view.activity[1].title, "reward")->nested.front().key, "reward.amountOff");
  EXPECT_EQ(view.balance->points, 480);
}

TEST(View, CartPreviewBreakdown) {
  json context = sample_context();
  context["cart"] = {
      {"currency", "USD"},
      {"amounts", {{"subtotal", 5400}, {"discount", 400}, {"shipping", 500}, {"tax", 0}}}};
  auto view = view_of(sample_program(), customer_with_balance(1250), context);
  ASSERT_TRUE(view.cart_preview.has_value());
  EXPECT_EQ(view.cart_preview->basis.amount, 5000);  // subtotal after discounts
  EXPECT_EQ(view.cart_preview->base, 100);           // floor(5000 * 5 / 250)
  EXPECT_EQ(view.cart_preview->tier_bonus, 25);      // gold: 1.25x
  EXPECT_EQ(view.cart_preview->promotion_bonus, 0);
  EXPECT_EQ(view.cart_preview->points, 125);
  EXPECT_FALSE(view.cart_preview->refusal.has_value());

  context["now"] = "2026-11-28T12:00:00-05:00";  // double points weekend
  view = view_of(sample_program(), customer_with_balance(1250), context);
  ASSERT_TRUE(view.cart_preview.has_value());
  EXPECT_EQ(view.cart_preview->promotion_bonus, 100);
  EXPECT_EQ(view.cart_preview->points, 225);
  ASSERT_EQ(view.promotions.size(), 1u);
  EXPECT_TRUE(view.promotions[0].active);
}

TEST(View, CartPreviewBelowTheMinimumIsRefused) {
  json context = sample_context();
  context["cart"] = {{"currency", "USD"}, {"amounts", {{"subtotal", 800}}}};
  auto view = view_of(sample_program(), customer_with_balance(100), context);
  ASSERT_TRUE(view.cart_preview.has_value());
  EXPECT_EQ(view.cart_preview->points, 0);
  ASSERT_TRUE(view.cart_preview->refusal.has_value());
  EXPECT_EQ(view.cart_preview->refusal->key, "order.belowMinimum");
  EXPECT_EQ(param(*view.cart_preview->refusal, "amount")->value, 1000);
}

TEST(View, NoCartPreviewWithoutACartOrAnOrderRule) {
  EXPECT_FALSE(view_of(sample_program(), customer_with_balance(100), sample_context())
                   .cart_preview.has_value());
  json program = sample_program();
  program["earning"].erase(1);
  program["promotions"] = json::array();
  json context = sample_context();
  context["cart"] = {{"currency", "USD"}, {"amounts", {{"subtotal", 5000}}}};
  EXPECT_FALSE(view_of(program, customer_with_balance(100), context).cart_preview.has_value());
}

TEST(View, GuestSeesTheJoinCallToAction) {
  json customer = sample_customer();
  customer["status"] = "guest";
  auto view = view_of(sample_program(), customer, sample_context());
  EXPECT_EQ(view.state, ViewState::guest);
  EXPECT_FALSE(view.customer.has_value());
  EXPECT_FALSE(view.balance.has_value());
  EXPECT_FALSE(view.next_reward.has_value());
  EXPECT_FALSE(view.tier.has_value());
  EXPECT_FALSE(view.referral.has_value());
  EXPECT_FALSE(view.expiring.has_value());
  EXPECT_TRUE(view.activity.empty());
  EXPECT_TRUE(view.affordable_reward_ids.empty());
  ASSERT_TRUE(view.join.has_value());
  EXPECT_EQ(view.join->signup_points, 100);
  EXPECT_EQ(view.join->ways_to_earn, 8);
  EXPECT_EQ(view.join->rewards, 6);
  ASSERT_TRUE(view.join->top_reward.has_value());
  EXPECT_EQ(view.join->top_reward->key, "reward.incremental");  // the cheapest: 100 points
  ASSERT_EQ(view.rewards.size(), 6u);
  for (const auto& item : view.rewards) {
    EXPECT_EQ(item.state, RewardState::locked);
    ASSERT_TRUE(item.locked_reason.has_value());
    EXPECT_EQ(item.locked_reason->key, "reward.joinToRedeem");
  }
  for (const auto& item : view.ways_to_earn) {
    EXPECT_EQ(item.state, EarnState::locked);
    EXPECT_FALSE(item.claimable);
  }
}

json referred_context(const std::string& code = "BEA-7K") {
  json context = sample_context();
  context["pageUrl"] = "https://maple.example/r/" + code;
  context["referredBy"] = {{"code", code}, {"advocateFirstName", "Bea"}};
  return context;
}

TEST(View, AVisitorThroughAReferralLinkIsOfferedTheFriendReward) {
  json guest = sample_customer();
  guest["status"] = "guest";
  json program = sample_program();
  program["referral"]["friend"] = {{"type", "amount_off"}, {"amount", 1000}, {"minOrder", 5000}};
  auto view = view_of(program, guest, referred_context());
  EXPECT_EQ(view.referral_code_in_page, "BEA-7K");
  ASSERT_TRUE(view.friend_offer.has_value());
  EXPECT_EQ(view.friend_offer->code, "BEA-7K");
  EXPECT_EQ(view.friend_offer->advocate_first_name, "Bea");
  EXPECT_EQ(view.friend_offer->reward.key, "reward.amountOff");
  ASSERT_TRUE(view.friend_offer->min_order.has_value());
  EXPECT_EQ(view.friend_offer->min_order->amount, 5000);
  EXPECT_EQ(view.friend_offer->min_order->currency, "USD");
}

TEST(View, TheCodeInThePageIsReportedBeforeTheLookup) {
  json guest = sample_customer();
  guest["status"] = "guest";
  json context = sample_context();
  context["pageUrl"] = "https://maple.example/r/BEA-7K";
  auto view = view_of(sample_program(), guest, context);
  EXPECT_EQ(view.referral_code_in_page, "BEA-7K");
  EXPECT_FALSE(view.friend_offer.has_value());  // the lookup's answer comes as referredBy
  context["pageUrl"] = "https://maple.example/products/mug";
  EXPECT_FALSE(view_of(sample_program(), guest, context).referral_code_in_page.has_value());
}

TEST(View, NoFriendOfferForTheAdvocateACustomerWhoOrderedOrAClosedProgram) {
  json member = sample_customer();  // a member with no orders yet may still take it
  EXPECT_TRUE(view_of(sample_program(), member, referred_context()).friend_offer.has_value());
  auto own = view_of(sample_program(), member, referred_context("ADA-7Q2"));
  EXPECT_FALSE(own.friend_offer.has_value());
  json ordered = sample_customer();
  ordered["ledger"].push_back({{"id", "o1"},
                               {"type", "order_placed"},
                               {"at", "2026-11-01T10:00:00Z"},
                               {"orderId", "1001"},
                               {"amounts", {{"subtotal", 2000}}}});
  EXPECT_FALSE(view_of(sample_program(), ordered, referred_context()).friend_offer.has_value());
  json closed = sample_program();
  closed["referral"]["enabled"] = false;
  json guest = sample_customer();
  guest["status"] = "guest";
  auto view = view_of(closed, guest, referred_context());
  EXPECT_FALSE(view.friend_offer.has_value());
  EXPECT_FALSE(view.referral_code_in_page.has_value());
}

TEST(View, MerchantTextFollowsTheLocale) {
  json program = sample_program();
  program["rewards"][3]["name"] = {{"en", "Mug"}, {"zh-Hant", "馬克杯"}, {"lv", "Krūze"}};
  json context = sample_context();
  context["locale"] = "zh-Hant-TW";
  auto view = view_of(program, customer_with_balance(100), context);
  EXPECT_EQ(reward(view, "mug").title.key, "text");
  EXPECT_EQ(param(reward(view, "mug").title, "text")->text, "馬克杯");

  context["locale"] = "lv-LV";
  view = view_of(program, customer_with_balance(100), context);
  EXPECT_EQ(param(reward(view, "mug").title, "text")->text, "Krūze");
  ASSERT_EQ(view.labels.size(), 1u);
  EXPECT_EQ(view.labels[0].first, "panel.title");
  EXPECT_EQ(view.labels[0].second, "Maple balvas");
  EXPECT_EQ(view.locale, "lv-LV");

  context["locale"] = "fr";
  view = view_of(program, customer_with_balance(100), context);
  EXPECT_EQ(param(reward(view, "mug").title, "text")->text, "Mug");
  EXPECT_EQ(view.labels[0].second, "Maple Rewards");
}

TEST(View, PointsNamesFollowTheLocaleInEveryPluralCategory) {
  json program = sample_program();
  program["points"] = json::parse(R"({
    "singular": {"en": "point", "lv": "punkts", "ar": "نقطة"},
    "plural": {"en": "points", "lv": "punkti", "ar": "نقاط"},
    "forms": {
      "lv": {"zero": "punktu"},
      "ar": {"zero": "نقطة", "two": "نقطتان", "few": "نقاط", "many": "نقطة", "other": "نقطة"}
    }
  })");
  json context = sample_context();
  const auto forms_for = [&](const char* locale) {
    context["locale"] = locale;
    return view_of(program, customer_with_balance(100), context).points;
  };
  // lv-LV finds "lv": its zero form, and singular/plural for the categories it left out.
  auto latvian = forms_for("lv-LV");
  EXPECT_EQ(latvian.forms[static_cast<std::size_t>(PluralCategory::zero)], "punktu");
  EXPECT_EQ(latvian.forms[static_cast<std::size_t>(PluralCategory::one)], "punkts");
  EXPECT_EQ(latvian.forms[static_cast<std::size_t>(PluralCategory::other)], "punkti");
  EXPECT_EQ(latvian.singular, "punkts");
  EXPECT_EQ(latvian.plural, "punkti");
  // The locale's own `other` is its plural ("1,000 نقطة"), overriding the plain plural.
  auto arabic = forms_for("ar");
  EXPECT_EQ(arabic.forms[static_cast<std::size_t>(PluralCategory::two)], "نقطتان");
  EXPECT_EQ(arabic.forms[static_cast<std::size_t>(PluralCategory::few)], "نقاط");
  EXPECT_EQ(arabic.forms[static_cast<std::size_t>(PluralCategory::one)], "نقطة");
  EXPECT_EQ(arabic.plural, "نقطة");
  // Another language's forms never stand in: German falls back to the English names.
  auto german = forms_for("de");
  EXPECT_EQ(german.forms[static_cast<std::size_t>(PluralCategory::zero)], "points");
  EXPECT_EQ(german.forms[static_cast<std::size_t>(PluralCategory::one)], "point");
  EXPECT_EQ(german.forms[static_cast<std::size_t>(PluralCategory::few)], "points");

  json written = json::parse(view_to_json(view_of(program, customer_with_balance(100), context)));
  EXPECT_EQ(written["points"], json::parse(R"({"singular": "point", "plural": "points",
      "forms": {"zero": "points", "one": "point", "two": "points", "few": "points",
                "many": "points", "other": "points"}})"));
}

TEST(View, PlainPointsNamesStillWork) {
  auto view = view_of(sample_program(), customer_with_balance(100), sample_context());
  EXPECT_EQ(view.points.singular, "point");
  EXPECT_EQ(view.points.plural, "points");
  EXPECT_EQ(view.points.forms[static_cast<std::size_t>(PluralCategory::one)], "point");
  EXPECT_EQ(view.points.forms[static_cast<std::size_t>(PluralCategory::many)], "points");
}

TEST(View, TierAmountsAreTypedByTheMetric) {
  json program = sample_program();
  program["tiers"]["metric"] = "amount_spent";
  json customer = sample_customer();
  customer["ledger"] = json::array({{{"id", "o1"},
                                     {"type", "order_placed"},
                                     {"at", "2026-02-01T09:00:00Z"},
                                     {"orderId", "1001"},
                                     {"amounts", {{"subtotal", 2000}}}}});
  json parsed = json::parse(view_to_json(view_of(program, customer, sample_context())));
  EXPECT_EQ(parsed["tier"]["progress"], json::parse(R"({"money": 2000, "currency": "USD"})"));
  EXPECT_EQ(parsed["tier"]["toGo"], json::parse(R"({"money": 1000, "currency": "USD"})"));
  program["tiers"]["metric"] = "orders";
  parsed = json::parse(view_to_json(view_of(program, customer, sample_context())));
  EXPECT_EQ(parsed["tier"]["progress"], json::parse(R"({"number": 1})"));
  EXPECT_EQ(parsed["tier"]["toGo"], json::parse(R"({"number": 999})"));
}

TEST(View, RedemptionCapsLockRewardsAndCapTheStepper) {
  json program = sample_program();
  program["redemption"] = {
      {"minPoints", 400}, {"maxPointsPerOrder", 1000}, {"maxOrderPercent", 10}};
  json context = sample_context();
  context["cart"] = {
      {"currency", "USD"}, {"amounts", {{"subtotal", 6000}}}, {"pointsApplied", 200}};
  auto view = view_of(program, customer_with_balance(5000), context);
  ASSERT_EQ(view.redemption_caps.size(), 3u);
  EXPECT_EQ(view.redemption_caps[0].key, "redeem.capShare");
  EXPECT_EQ(param(view.redemption_caps[0], "percent")->value, 10);
  EXPECT_EQ(view.redemption_caps[1].key, "redeem.capPerOrder");
  EXPECT_EQ(view.redemption_caps[2].key, "redeem.capMinimum");
  // ship costs 300: below the minimum whatever the balance.
  EXPECT_EQ(reward(view, "ship").state, RewardState::locked);
  EXPECT_EQ(reward(view, "ship").locked_reason->key, "redeem.belowMinimumPoints");
  // mug costs 1500: over the 1000 per order.
  EXPECT_EQ(reward(view, "mug").locked_reason->key, "redeem.overOrderPoints");
  // r5 is $5 of a $60 order: within 10%. r20pct's 1000 points and the 200 applied are not.
  EXPECT_EQ(reward(view, "r5").state, RewardState::available);
  EXPECT_EQ(reward(view, "r20pct").locked_reason->key, "redeem.overOrderPoints");
  // flex: at least 400, at most min(1000 - 200, $6.00 = 600 points) = 600.
  const auto& flex = reward(view, "flex");
  EXPECT_EQ(flex.cost, 400);
  EXPECT_EQ(flex.state, RewardState::available);
  EXPECT_EQ(flex.incremental->max_affordable_points, 600);

  context["cart"]["pointsApplied"] = 0;  // 20% off is more than 10% of the order
  EXPECT_EQ(
      reward(view_of(program, customer_with_balance(5000), context), "r20pct").locked_reason->key,
      "redeem.overOrderShare");
  // A cart that leaves less than the minimum locks the stepper with the reason.
  context["cart"]["amounts"]["subtotal"] = 3900;  // $3.90: 300 points
  view = view_of(program, customer_with_balance(5000), context);
  EXPECT_EQ(reward(view, "flex").state, RewardState::locked);
  EXPECT_EQ(reward(view, "flex").locked_reason->key, "redeem.overOrderShare");
  // Without a cart only the points caps apply.
  view = view_of(program, customer_with_balance(5000), sample_context());
  EXPECT_EQ(reward(view, "r20pct").state, RewardState::available);
  EXPECT_EQ(reward(view, "flex").incremental->max_affordable_points, 1000);
  // No caps: nothing to say.
  EXPECT_TRUE(view_of(sample_program(), customer_with_balance(5000), sample_context())
                  .redemption_caps.empty());
}

TEST(View, ATiersOwnExpiryIsWorded) {
  json program = sample_program();
  program["tiers"]["levels"][2]["expiry"] = {{"mode", "none"}};
  program["tiers"]["levels"][1]["expiry"] = {{"mode", "inactivity"}, {"months", 18}};
  const auto view = view_of(program, customer_with_balance(1250), sample_context());
  ASSERT_TRUE(view.tier.has_value());
  EXPECT_FALSE(view.tier->all[0].expiry.has_value());  // the program's policy
  EXPECT_EQ(view.tier->current->expiry->key, "tier.expiry.inactivityMonths");
  EXPECT_EQ(param(*view.tier->current->expiry, "count")->value, 18);
  EXPECT_EQ(view.tier->next->expiry->key, "tier.expiry.none");
  program["expiry"] = {{"mode", "lots"}, {"period", "year"}, {"periods", 1}};
  program["tiers"]["levels"][1]["expiry"] = {
      {"mode", "lots"}, {"period", "quarter"}, {"periods", 0}};
  const auto lots = view_of(program, customer_with_balance(1250), sample_context());
  EXPECT_EQ(lots.tier->current->expiry->key, "tier.expiry.lotQuarters");
  EXPECT_EQ(param(*lots.tier->current->expiry, "count")->value, 0);
}

TEST(View, PendingOrderPointsAreShownApartFromTheBalance) {
  json program = sample_program();
  program["earning"][1]["pendingDays"] = 14;
  json customer = sample_customer();
  customer["ledger"] = json::array({{{"id", "o1"},
                                     {"type", "order_placed"},
                                     {"at", "2026-11-20T10:00:00-05:00"},
                                     {"orderId", "1001"},
                                     {"amounts", {{"subtotal", 5000}}}}});
  const auto view = view_of(program, customer, sample_context());  // now: Nov 23
  EXPECT_EQ(view.balance->points, 0);
  EXPECT_EQ(view.balance->pending, 100);
  ASSERT_EQ(view.pending.size(), 1u);
  EXPECT_EQ(view.pending[0].order_id, "1001");
  EXPECT_EQ(view.pending[0].available_at, "2026-12-04T10:00:00-05:00");
  EXPECT_EQ(view.activity[0].pending_until, "2026-12-04T10:00:00-05:00");
  const json parsed = json::parse(view_to_json(view));
  EXPECT_EQ(parsed["balance"]["pending"], 100);
  EXPECT_EQ(parsed["pending"][0]["availableAt"], "2026-12-04T10:00:00-05:00");
  EXPECT_EQ(parsed["activity"][0]["pendingUntil"], "2026-12-04T10:00:00-05:00");
  // Without pendingDays nothing is pending.
  const json plain =
      json::parse(view_to_json(view_of(sample_program(), customer, sample_context())));
  EXPECT_EQ(plain["balance"]["pending"], 0);
  EXPECT_TRUE(plain["pending"].empty());
  EXPECT_TRUE(plain["activity"][0]["pendingUntil"].is_null());
}

TEST(View, JsonMirrorsTheStructsAndIsDeterministic) {
  json context = sample_context();
  context["cart"] = {{"currency", "USD"}, {"amounts", {{"subtotal", 5000}}}};
  auto view = view_of(sample_program(), customer_with_balance(1250), context);
  const std::string text = view_to_json(view);
  EXPECT_EQ(text, view_to_json(view_of(sample_program(), customer_with_balance(1250), context)));
  json parsed = json::parse(text);
  EXPECT_EQ(parsed["version"], 1);
  EXPECT_EQ(parsed["state"], "member");
  EXPECT_EQ(parsed["now"], "2026-11-23T10:00:00-05:00");
  EXPECT_EQ(parsed["shop"]["currencyDigits"], 2);
  EXPECT_EQ(parsed["balance"]["points"], 1250);
  EXPECT_EQ(parsed["nextReward"]["progressPermille"], 833);
  EXPECT_EQ(parsed["rewards"][0]["title"], json::parse(R"({"key": "reward.amountOff",
                            "params": {"amount": {"money": 500, "currency": "USD"}}})"));
  EXPECT_TRUE(parsed["rewards"][0]["lockedReason"].is_null());
  EXPECT_EQ(parsed["rewards"][5]["incremental"]["amountPerStep"],
            json::parse(R"({"money": 100, "currency": "USD"})"));
  EXPECT_EQ(parsed["waysToEarn"][4]["platform"], "instagram");
  EXPECT_EQ(parsed["waysToEarn"][4]["state"], "available");
  EXPECT_EQ(parsed["tier"]["toGo"], json::parse(R"({"points": 1750})"));
  EXPECT_EQ(parsed["tier"]["progress"], json::parse(R"({"points": 1250})"));
  EXPECT_EQ(parsed["referral"]["shares"][7]["channel"], "copy");
  EXPECT_EQ(parsed["cartPreview"]["basis"], json::parse(R"({"money": 5000, "currency": "USD"})"));
  EXPECT_EQ(parsed["activity"][0]["title"]["params"]["rule"]["message"]["key"], "earn.review");
  EXPECT_TRUE(parsed["join"].is_null());
  EXPECT_TRUE(parsed["expiring"].is_null());
}

}  // namespace
}  // namespace loyalty
