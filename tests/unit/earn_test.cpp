#include <gtest/gtest.h>

#include "earn_rules.hpp"
#include "fixtures.hpp"
#include "loyalty/engine.hpp"
#include "periods.hpp"

namespace loyalty {
namespace {

using namespace fixtures;

const EarnRule& rule_named(const Program& program, std::string_view id) {
  const EarnRule* rule = program.find_rule(id);
  EXPECT_NE(rule, nullptr) << id;
  return *rule;
}

Account claimed(std::string rule_id, std::vector<std::string_view> instants) {
  Account account;
  for (std::string_view instant : instants) account.claims[rule_id].push_back(at(instant));
  return account;
}

TEST(EarnOrder, BaseRoundsDownAndHonoursTheMinimum) {
  const Program program = maple();  // 5 per 250, minimum 1000
  const Account account;
  const EpochSeconds now = at("2026-11-23T10:00:00-05:00");
  EarnBreakdown earn = earn_for_order(program, account, {999, 0, 0, 0}, now);
  EXPECT_EQ(earn.total, 0);
  EXPECT_EQ(earn.refusal, "order.belowMinimum");
  earn = earn_for_order(program, account, {1000, 0, 0, 0}, now);
  EXPECT_EQ(earn.base, 20);
  EXPECT_EQ(earn.total, 20);
  EXPECT_TRUE(earn.refusal.empty());
  earn = earn_for_order(program, account, {1249, 0, 0, 0}, now);
  EXPECT_EQ(earn.base, 24);
  // The minimum applies to the basis: discounts count against it.
  earn = earn_for_order(program, account, {1100, 101, 500, 500}, now);
  EXPECT_EQ(earn.refusal, "order.belowMinimum");
}

TEST(EarnOrder, NoOrderRule) {
  Program program = maple();
  program.earning[1].enabled = false;
  const EarnBreakdown earn =
      earn_for_order(program, Account{}, {5000, 0, 0, 0}, at("2026-11-23T10:00:00Z"));
  EXPECT_EQ(earn.total, 0);
  EXPECT_EQ(earn.refusal, "order.noRule");
}

TEST(EarnOrder, TierAndPromotionsAddOnTheBase) {
  Program program = maple();
  program.tiers = maple_tiers();
  Promotion dbl;
  dbl.id = "dbl";
  dbl.starts = at("2026-11-27T00:00:00-05:00");
  dbl.ends = at("2026-11-30T00:00:00-05:00");
  dbl.multiplier_permille = 2000;
  dbl.rule_ids = {"orders"};
  Promotion flat;
  flat.id = "flat";
  flat.starts = dbl.starts;
  flat.ends = dbl.ends;
  flat.multiplier_permille = 1000;
  flat.bonus_points = 7;
  Promotion other;
  other.id = "reviews-only";
  other.starts = dbl.starts;
  other.ends = dbl.ends;
  other.multiplier_permille = 3000;
  other.rule_ids = {"review"};
  program.promotions = {dbl, flat, other};

  Account gold;
  gold.tier.index = 1;  // 1.25x
  const OrderAmounts cart{5000, 0, 500, 0};
  EarnBreakdown earn = earn_for_order(program, gold, cart, at("2026-11-28T12:00:00-05:00"));
  EXPECT_EQ(earn.base, 100);
  EXPECT_EQ(earn.tier_bonus, 25);
  EXPECT_EQ(earn.tier_multiplier_permille, 1250);
  EXPECT_EQ(earn.promotion_bonus, 107);  // 100 from 2x, 7 flat
  EXPECT_EQ(earn.total, 232);
  EXPECT_EQ(earn.promotion_ids, (std::vector<std::string>{"dbl", "flat"}));
  // `starts` inclusive, `ends` exclusive.
  EXPECT_EQ(earn_for_order(program, gold, cart, dbl.starts).promotion_bonus, 107);
  EXPECT_EQ(earn_for_order(program, gold, cart, dbl.starts - 1).promotion_bonus, 0);
  EXPECT_EQ(earn_for_order(program, gold, cart, dbl.ends).promotion_bonus, 0);
  // Multipliers floor: 1.25x of 19 adds floor(4.75) = 4.
  EXPECT_EQ(earn_for_order(program, gold, {999, 0, 0, 0}, dbl.starts - 1).total, 0);
  program.earning[1].min_order = 0;
  earn = earn_for_order(program, gold, {999, 0, 0, 0}, dbl.starts - 1);
  EXPECT_EQ(earn.base, 19);
  EXPECT_EQ(earn.tier_bonus, 4);
  EXPECT_EQ(earn.total, 23);
  // No tier: no bonus.
  earn = earn_for_order(program, Account{}, {999, 0, 0, 0}, dbl.starts - 1);
  EXPECT_EQ(earn.tier_bonus, 0);
  EXPECT_EQ(earn.tier_multiplier_permille, 1000);
}

// "10 points per $4": a $7.00 order is 17.5 points proportionally.
TEST(EarnOrder, RoundingModes) {
  Program program = maple();
  program.earning[1] = order_rule(10, 400, 0);
  const EpochSeconds now = at("2026-11-23T10:00:00-05:00");
  auto base = [&](EarnRounding rounding, MinorUnits amount) {
    program.earning[1].rounding = rounding;
    return earn_for_order(program, Account{}, {amount, 0, 0, 0}, now).base;
  };
  EXPECT_EQ(base(EarnRounding::proportional, 700), 17);
  EXPECT_EQ(base(EarnRounding::whole_steps, 700), 10);
  EXPECT_EQ(base(EarnRounding::half_up, 700), 18);
  // Boundaries: just under, at and just over a whole step and a half point.
  EXPECT_EQ(base(EarnRounding::whole_steps, 399), 0);
  EXPECT_EQ(base(EarnRounding::whole_steps, 400), 10);
  EXPECT_EQ(base(EarnRounding::whole_steps, 799), 10);
  EXPECT_EQ(base(EarnRounding::whole_steps, 800), 20);
  EXPECT_EQ(base(EarnRounding::half_up, 19), 0);  // 0.475
  EXPECT_EQ(base(EarnRounding::half_up, 20), 1);  // 0.5 rounds up
  EXPECT_EQ(base(EarnRounding::half_up, 59), 1);  // 1.475
  EXPECT_EQ(base(EarnRounding::half_up, 60), 2);  // 1.5
  EXPECT_EQ(base(EarnRounding::proportional, 79), 1);
  EXPECT_EQ(base(EarnRounding::proportional, 80), 2);
  // The tier bonus works on the rounded base.
  program.tiers = maple_tiers();
  program.earning[1].rounding = EarnRounding::whole_steps;
  Account gold;
  gold.tier.index = 1;
  const EarnBreakdown earn = earn_for_order(program, gold, {1300, 0, 0, 0}, now);
  EXPECT_EQ(earn.base, 30);
  EXPECT_EQ(earn.tier_bonus, 7);  // floor(30 * 0.25)
}

TEST(MoneyRounding, HalfUpIsExactForNegativesAndLargeValues) {
  EXPECT_EQ(mul_div_half_up(5, 1, 2), 3);
  EXPECT_EQ(mul_div_half_up(-5, 1, 2), -2);
  EXPECT_EQ(mul_div_half_up(-7, 1, 2), -3);
  EXPECT_EQ(mul_div_half_up(kMaxSafeInteger, 3, 3), kMaxSafeInteger);
  EXPECT_FALSE(mul_div_half_up(1, 1, 0));
  EXPECT_FALSE(mul_div_half_up(INT64_MAX, 4, 1));
}

// Base 100 (5000 at 5 per 250), Gold 1.25x (+25), during a 2x promotion.
TEST(EarnOrder, PromotionsCombineAsTheyDeclare) {
  Program program = maple();
  program.tiers = maple_tiers();
  Promotion event;
  event.id = "event";
  event.starts = at("2026-11-27T00:00:00-05:00");
  event.ends = at("2026-11-30T00:00:00-05:00");
  event.multiplier_permille = 2000;
  const EpochSeconds during = at("2026-11-28T12:00:00-05:00");
  Account gold;
  gold.tier.index = 1;
  Account platinum;
  platinum.tier.index = 2;  // 1.5x
  auto total = [&](PromotionCombine combine, const Account& account, int permille = 2000) {
    event.combine = combine;
    event.multiplier_permille = permille;
    program.promotions = {event};
    return earn_for_order(program, account, {5000, 0, 0, 0}, during).total;
  };
  EXPECT_EQ(total(PromotionCombine::add, gold), 225);       // 100 + 25 + 100
  EXPECT_EQ(total(PromotionCombine::multiply, gold), 250);  // (100 + 25) x 2
  EXPECT_EQ(total(PromotionCombine::greater, gold), 200);   // 2x beats 1.25x
  // A promotion rate below the tier's leaves the tier rate.
  EXPECT_EQ(total(PromotionCombine::greater, platinum, 1200), 150);
  EXPECT_EQ(total(PromotionCombine::greater, platinum, 1500), 150);  // at the tier rate
  EXPECT_EQ(total(PromotionCombine::greater, platinum, 1510), 151);  // just over
  // Without a tier the three agree.
  EXPECT_EQ(total(PromotionCombine::add, Account{}), 200);
  EXPECT_EQ(total(PromotionCombine::multiply, Account{}), 200);
  EXPECT_EQ(total(PromotionCombine::greater, Account{}), 200);

  // Several at once apply greater, then multiply, then add, whatever the list order.
  Promotion add_one = event;
  add_one.id = "add";
  add_one.combine = PromotionCombine::add;
  add_one.multiplier_permille = 1500;
  add_one.bonus_points = 3;
  Promotion times = event;
  times.id = "times";
  times.combine = PromotionCombine::multiply;
  times.multiplier_permille = 2000;
  Promotion best = event;
  best.id = "best";
  best.combine = PromotionCombine::greater;
  best.multiplier_permille = 1600;
  program.promotions = {add_one, times, best};
  const EarnBreakdown earn = earn_for_order(program, gold, {5000, 0, 0, 0}, during);
  // greater: 160 beats 125 (+35); multiply: 160 x 2 (+160); add: +50 +3.
  EXPECT_EQ(earn.promotion_bonus, 35 + 160 + 53);
  EXPECT_EQ(earn.total, 100 + 25 + 248);
  EXPECT_EQ(earn.promotion_ids, (std::vector<std::string>{"best", "times", "add"}));
}

OrderLine line(std::string product, MinorUnits amount, LineKind kind = LineKind::product,
               std::vector<std::string> collections = {}) {
  OrderLine out;
  out.product_id = std::move(product);
  out.amount = amount;
  out.kind = kind;
  out.collections = std::move(collections);
  return out;
}

// 5 points per $2.50, no minimum.
TEST(EarnOrder, LinesAndExclusions) {
  Program program = maple();
  program.earning[1].min_order = 0;
  const EpochSeconds now = at("2026-11-23T10:00:00-05:00");
  const OrderAmounts amounts{6000, 600, 500, 300};  // items 60.00, discount 6.00
  const std::vector<OrderLine> lines = {line("mug", 4000, LineKind::product, {"kitchen"}),
                                        line("gift", 2000, LineKind::gift_card)};
  // Without lines, as today: 54.00 earns 108.
  EXPECT_EQ(earn_for_order(program, Account{}, amounts, now).base, 108);
  // Gift cards never earn by default: 40.00 less its share of the discount (4.00) earns 72.
  EXPECT_EQ(earn_for_order(program, Account{}, amounts, lines, now).base, 72);
  EXPECT_EQ(eligible_amounts(program.earning[1], amounts, lines).subtotal, 4000);
  EXPECT_EQ(eligible_amounts(program.earning[1], amounts, lines).discount, 400);
  // Excluding by collection or product.
  program.earning[1].exclude.collections = {"kitchen"};
  EXPECT_EQ(earn_for_order(program, Account{}, amounts, lines, now).base, 0);
  program.earning[1].exclude.collections.clear();
  program.earning[1].exclude.products = {"mug"};
  EXPECT_EQ(earn_for_order(program, Account{}, amounts, lines, now).base, 0);
  // An empty kinds list lets gift cards earn; shipping excluded on the total basis.
  program.earning[1].exclude = Exclusions{{}, {}, {LineKind::shipping}};
  program.earning[1].basis = OrderBasis::total;
  EXPECT_EQ(eligible_amounts(program.earning[1], amounts, lines).shipping, 0);
  EXPECT_EQ(earn_for_order(program, Account{}, amounts, lines, now).base, 114);  // 54 + 3 tax
  // The prorated discount rounds down: 1 cent over three equal lines.
  const OrderAmounts odd{300, 1, 0, 0};
  const std::vector<OrderLine> three = {line("a", 100), line("b", 100), line("c", 100)};
  program = maple();
  program.earning[1].exclude.products = {"c"};
  EXPECT_EQ(eligible_amounts(program.earning[1], odd, three).discount, 0);  // floor(1 * 2 / 3)
}

TEST(EarnOrder, HugeAmountsSaturate) {
  Program program = maple();
  program.earning[1] = order_rule(kMaxSafeInteger, 1, 0, OrderBasis::total);
  program.tiers = maple_tiers();
  Account platinum;
  platinum.tier.index = 2;
  const EarnBreakdown earn = earn_for_order(
      program, platinum, {INT64_MAX, INT64_MIN, INT64_MAX, INT64_MAX}, at("2026-01-01T00:00:00Z"));
  EXPECT_EQ(earn.base, kMaxSafeInteger);
  EXPECT_EQ(earn.total, kMaxSafeInteger);
  EXPECT_LE(earn.tier_bonus, kMaxSafeInteger);
}

TEST(EarnRule, OnceAndSignup) {
  const Program program = maple();
  const EpochSeconds now = at("2026-11-23T10:00:00-05:00");
  EarnBreakdown earn = earn_for_rule(program, Account{}, rule_named(program, "ig-follow"), now);
  EXPECT_EQ(earn.total, 25);
  earn = earn_for_rule(program, claimed("ig-follow", {"2024-01-01T00:00:00Z"}),
                       rule_named(program, "ig-follow"), now);
  EXPECT_EQ(earn.refusal, "rule.alreadyDone");
  EXPECT_EQ(earn.total, 0);
  EXPECT_FALSE(earn.next_eligible_at);
  // Sign-up is once whatever its limit says.
  Program loose = program;
  loose.earning[0].limit = ClaimLimit::unlimited;
  earn = earn_for_rule(loose, claimed("signup", {"2024-01-01T00:00:00Z"}),
                       rule_named(loose, "signup"), now);
  EXPECT_EQ(earn.refusal, "rule.alreadyDone");
}

TEST(EarnRule, OrderAndReferralAreNotClaimable) {
  const Program program = maple();
  const EpochSeconds now = at("2026-11-23T10:00:00Z");
  EXPECT_EQ(earn_for_rule(program, Account{}, rule_named(program, "orders"), now).refusal,
            "rule.notClaimable");
  EXPECT_EQ(earn_for_rule(program, Account{}, rule_named(program, "referral"), now).refusal,
            "rule.notClaimable");
  Program disabled = program;
  disabled.earning[3].enabled = false;
  EXPECT_EQ(earn_for_rule(disabled, Account{}, rule_named(disabled, "review"), now).refusal,
            "rule.notClaimable");
}

TEST(EarnRule, UnlimitedAndPromotions) {
  Program program = maple();
  Promotion promo;
  promo.id = "reviews";
  promo.starts = at("2026-11-01T00:00:00Z");
  promo.ends = at("2026-12-01T00:00:00Z");
  promo.multiplier_permille = 1500;
  promo.bonus_points = 5;
  promo.rule_ids = {"review"};
  program.promotions = {promo};
  const Account many = claimed("review", {"2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"});
  const EarnBreakdown earn =
      earn_for_rule(program, many, rule_named(program, "review"), at("2026-11-23T10:00:00Z"));
  EXPECT_TRUE(earn.refusal.empty());
  EXPECT_EQ(earn.base, 50);
  EXPECT_EQ(earn.promotion_bonus, 30);  // 25 + 5
  EXPECT_EQ(earn.tier_bonus, 0);        // tiers multiply order points only
  EXPECT_EQ(earn.total, 80);
}

TEST(EarnRule, PerDayUsesTheShopsLocalDay) {
  Program program = maple();  // -05:00
  program.earning[5].limit = ClaimLimit::per_day;
  const EarnRule& share = rule_named(program, "fb-share");
  const Account account = claimed("fb-share", {"2026-11-23T00:00:00-05:00"});
  EarnBreakdown earn = earn_for_rule(program, account, share, at("2026-11-23T23:59:59-05:00"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  EXPECT_EQ(earn.next_eligible_at, at("2026-11-24T00:00:00-05:00"));
  earn = earn_for_rule(program, account, share, at("2026-11-24T00:00:00-05:00"));
  EXPECT_EQ(earn.total, 10);
  // 23:59:59 local on the day before is a different day even though it is the same UTC date.
  const Account before = claimed("fb-share", {"2026-11-22T23:59:59-05:00"});
  EXPECT_EQ(earn_for_rule(program, before, share, at("2026-11-23T00:00:00-05:00")).total, 10);
}

TEST(EarnRule, PerWeekStartsOnMonday) {
  const Program program = maple();  // fb-share: per_week
  const EarnRule& share = rule_named(program, "fb-share");
  // 2026-11-23 is a Monday.
  const Account monday = claimed("fb-share", {"2026-11-23T00:00:00-05:00"});
  EarnBreakdown earn = earn_for_rule(program, monday, share, at("2026-11-29T23:59:59-05:00"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  EXPECT_EQ(earn.next_eligible_at, at("2026-11-30T00:00:00-05:00"));
  EXPECT_EQ(earn_for_rule(program, monday, share, at("2026-11-30T00:00:00-05:00")).total, 10);
  const Account sunday = claimed("fb-share", {"2026-11-22T23:59:59-05:00"});
  EXPECT_EQ(earn_for_rule(program, sunday, share, at("2026-11-23T00:00:00-05:00")).total, 10);
  const Period week = calendar_period(ClaimLimit::per_week, at("2026-11-22T12:00:00Z"),
                                      TimeZone{0, {}});  // a Sunday
  EXPECT_EQ(week.start, at("2026-11-16T00:00:00Z"));
  EXPECT_EQ(week.end, at("2026-11-23T00:00:00Z"));
}

TEST(EarnRule, PerMonthAndPerYear) {
  Program program = maple();
  program.earning[5].limit = ClaimLimit::per_month;
  const Account account = claimed("fb-share", {"2024-02-01T00:00:00-05:00"});
  EarnBreakdown earn =
      earn_for_rule(program, account, program.earning[5], at("2024-02-29T23:59:59-05:00"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  EXPECT_EQ(earn.next_eligible_at, at("2024-03-01T00:00:00-05:00"));
  program.earning[5].limit = ClaimLimit::per_year;
  earn = earn_for_rule(program, account, program.earning[5], at("2024-12-31T23:59:59-05:00"));
  EXPECT_EQ(earn.next_eligible_at, at("2025-01-01T00:00:00-05:00"));
  // Jan 1 04:59:59 UTC is still Dec 31 in the shop.
  earn = earn_for_rule(program, account, program.earning[5], at("2025-01-01T04:59:59Z"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  earn = earn_for_rule(program, account, program.earning[5], at("2025-01-01T05:00:00Z"));
  EXPECT_EQ(earn.total, 10);
}

Account with_birthday(unsigned month, unsigned day, std::string_view added_at,
                      std::vector<std::string_view> claims = {}) {
  Account account = claimed("birthday", std::move(claims));
  Birthday birthday;
  birthday.month = month;
  birthday.day = day;
  birthday.added_at = at(added_at);
  account.birthday = birthday;
  return account;
}

TEST(EarnRule, BirthdayOnTheDayOncePerYear) {
  const Program program = maple();  // 200 points, wait 30 days, -05:00
  const EarnRule& rule = rule_named(program, "birthday");
  const Account account = with_birthday(3, 14, "2025-01-02T09:00:00Z");
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2026-03-14T00:00:00-05:00")).total, 200);
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2026-03-14T23:59:59-05:00")).total, 200);
  EarnBreakdown earn = earn_for_rule(program, account, rule, at("2026-03-13T23:59:59-05:00"));
  EXPECT_EQ(earn.refusal, "rule.waiting");
  EXPECT_EQ(earn.next_eligible_at, at("2026-03-14T00:00:00-05:00"));
  earn = earn_for_rule(program, account, rule, at("2026-03-15T00:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.waiting");
  EXPECT_EQ(earn.next_eligible_at, at("2027-03-14T00:00:00-05:00"));
  const Account done = with_birthday(3, 14, "2025-01-02T09:00:00Z", {"2026-03-14T08:00:00-05:00"});
  earn = earn_for_rule(program, done, rule, at("2026-03-14T09:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  EXPECT_EQ(earn.next_eligible_at, at("2027-03-14T00:00:00-05:00"));
  EXPECT_EQ(earn_for_rule(program, done, rule, at("2027-03-14T09:00:00-05:00")).total, 200);
}

TEST(EarnRule, LeapDayBirthdays) {
  const Program program = maple();
  const EarnRule& rule = rule_named(program, "birthday");
  const Account account = with_birthday(2, 29, "2024-01-01T00:00:00Z");
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2026-02-28T12:00:00-05:00")).total, 200);
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2028-02-29T12:00:00-05:00")).total, 200);
  const EarnBreakdown earn = earn_for_rule(program, account, rule, at("2028-02-28T12:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.waiting");
  EXPECT_EQ(earn.next_eligible_at, at("2028-02-29T00:00:00-05:00"));
  const EarnBreakdown after =
      earn_for_rule(program, account, rule, at("2026-03-01T00:00:00-05:00"));
  EXPECT_EQ(after.next_eligible_at, at("2027-02-28T00:00:00-05:00"));
}

TEST(EarnRule, BirthdayWaitPeriod) {
  const Program program = maple();  // 30 days
  const EarnRule& rule = rule_named(program, "birthday");
  // Entered 20 days before the birthday: this year's does not pay.
  Account account = with_birthday(3, 14, "2026-02-22T00:00:00-05:00");
  EarnBreakdown earn = earn_for_rule(program, account, rule, at("2026-03-14T12:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.waiting");
  EXPECT_EQ(earn.next_eligible_at, at("2027-03-14T00:00:00-05:00"));
  // The wait ends during the birthday: eligible from that instant.
  account = with_birthday(3, 14, "2026-02-12T15:00:00-05:00");
  earn = earn_for_rule(program, account, rule, at("2026-03-14T10:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.waiting");
  EXPECT_EQ(earn.next_eligible_at, at("2026-03-14T15:00:00-05:00"));
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2026-03-14T15:00:00-05:00")).total, 200);
  // No birthday entered.
  earn = earn_for_rule(program, Account{}, rule, at("2026-03-14T12:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.waiting");
  EXPECT_FALSE(earn.next_eligible_at);
}

TEST(EarnRule, ClaimsComeFromTheReplayedLedger) {
  const Program program = maple();
  const Account account =
      replay(program, customer({earned("e", "2026-11-23T08:00:00-05:00", "fb-share", 10)}),
             at("2026-11-23T10:00:00-05:00"));
  const EarnBreakdown earn = earn_for_rule(program, account, rule_named(program, "fb-share"),
                                           at("2026-11-23T10:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  EXPECT_EQ(earn.next_eligible_at, at("2026-11-30T00:00:00-05:00"));
}

TEST(EarnRule, BirthdayCooldownInsteadOfTheCalendarYear) {
  Program program = maple();
  EarnRule& rule = program.earning[2];
  rule.cooldown_days = 300;
  // Paid on Dec 31, then the birthday is moved to Jan 2: the calendar year alone would pay
  // again two days later.
  Account account = with_birthday(1, 2, "2025-01-02T09:00:00Z", {"2026-12-31T10:00:00-05:00"});
  EarnBreakdown earn = earn_for_rule(program, account, rule, at("2027-01-02T10:00:00-05:00"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  EXPECT_EQ(earn.next_eligible_at, at("2028-01-02T00:00:00-05:00"));
  program.earning[2].cooldown_days = 0;
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2027-01-02T10:00:00-05:00")).total, 200);

  // The cool-off ends during a birthday: eligible from that instant, and not a second before.
  program.earning[2].cooldown_days = 365;
  account = with_birthday(3, 14, "2025-01-02T09:00:00Z", {"2026-03-14T15:00:00-05:00"});
  earn = earn_for_rule(program, account, rule, at("2027-03-14T14:59:59-05:00"));
  EXPECT_EQ(earn.refusal, "rule.limitReached");
  EXPECT_EQ(earn.next_eligible_at, at("2027-03-14T15:00:00-05:00"));
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2027-03-14T15:00:00-05:00")).total, 200);
  // A leap year puts 366 days between the two birthdays: no conflict.
  account = with_birthday(3, 14, "2023-01-02T09:00:00Z", {"2023-03-14T15:00:00-05:00"});
  EXPECT_EQ(earn_for_rule(program, account, rule, at("2024-03-14T09:00:00-05:00")).total, 200);
}

}  // namespace
}  // namespace loyalty
