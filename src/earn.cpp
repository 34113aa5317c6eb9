// Earning: order points (base, tier bonus, promotions) and one-off rules with claim limits.
#include <algorithm>

#include "earn_rules.hpp"
#include "loyalty/engine.hpp"
#include "periods.hpp"

namespace loyalty {

namespace {

Points cap_points(std::optional<std::int64_t> value, bool& saturated) {
  if (!value || *value > kMaxSafeInteger) {
    saturated = true;
    return kMaxSafeInteger;
  }
  return *value < 0 ? 0 : *value;
}

Points add_capped(Points a, Points b, bool& saturated) {
  return cap_points(checked_add(a, b), saturated);
}

// floor(base * (multiplier - 1000) / 1000); a multiplier below 1x adds nothing rather than
// taking points away.
Points multiplier_bonus(Points base, int multiplier_permille, bool& saturated) {
  if (multiplier_permille <= 1000 || base <= 0) return 0;
  return cap_points(mul_div_floor(base, multiplier_permille - 1000, 1000), saturated);
}

bool promotion_applies(const Promotion& promotion, std::string_view rule_id, EpochSeconds at) {
  if (at < promotion.starts || at >= promotion.ends) return false;  // [starts, ends)
  if (promotion.rule_ids.empty()) return true;
  return std::find(promotion.rule_ids.begin(), promotion.rule_ids.end(), rule_id) !=
         promotion.rule_ids.end();
}

// Active promotions scoped to the rule, in three passes so the result does not depend on their
// order in the program: `greater` raises the rate to the best of tier and promotion (floor of
// base x rate, less what base and tier already give); `multiply` scales the points so far
// (base, tier and earlier raises), rounded down each time; `add` adds its share of the base as
// before. Every promotion's flat bonus is added once.
void add_promotions(const Program& program, std::string_view rule_id, EpochSeconds at,
                    EarnBreakdown& out, bool& saturated) {
  constexpr PromotionCombine kPasses[] = {PromotionCombine::greater, PromotionCombine::multiply,
                                          PromotionCombine::add};
  Points scaled = add_capped(out.base, out.tier_bonus, saturated);  // what multiply works on
  for (const PromotionCombine pass : kPasses) {
    for (const Promotion& promotion : program.promotions) {
      if (promotion.combine != pass || !promotion_applies(promotion, rule_id, at)) continue;
      Points bonus = 0;
      switch (pass) {
        case PromotionCombine::greater: {
          const Points at_rate =
              cap_points(mul_div_floor(out.base, promotion.multiplier_permille, 1000), saturated);
          bonus = std::max<Points>(0, at_rate - scaled);
          scaled = add_capped(scaled, bonus, saturated);
          break;
        }
        case PromotionCombine::multiply:
          bonus = multiplier_bonus(scaled, promotion.multiplier_permille, saturated);
          scaled = add_capped(scaled, bonus, saturated);
          break;
        case PromotionCombine::add:
          bonus = multiplier_bonus(out.base, promotion.multiplier_permille, saturated);
          break;
      }
      bonus = add_capped(bonus, promotion.bonus_points, saturated);
      out.promotion_bonus = add_capped(out.promotion_bonus, bonus, saturated);
      out.promotion_ids.push_back(promotion.id);
    }
  }
}

void finish_total(EarnBreakdown& out, bool& saturated) {
  out.total =
      add_capped(add_capped(out.base, out.tier_bonus, saturated), out.promotion_bonus, saturated);
}

EarnBreakdown refused(std::string refusal, std::optional<EpochSeconds> next_eligible_at) {
  EarnBreakdown out;
  out.refusal = std::move(refusal);
  out.next_eligible_at = next_eligible_at;
  return out;
}

// Feb 29 birthdays fall on Feb 28 in common years.
CivilDate birthday_in_year(const Birthday& birthday, std::int32_t year) {
  CivilDate date{year, birthday.month, birthday.day};
  const unsigned length = days_in_month(year, birthday.month);
  if (date.day > length) date.day = length;
  return date;
}

bool claimed_within(const Account& account, const std::string& rule_id, Period period) {
  const auto found = account.claims.find(rule_id);
  if (found == account.claims.end()) return false;
  for (EpochSeconds claim : found->second)
    if (claim >= period.start && claim < period.end) return true;
  return false;
}

std::optional<EpochSeconds> latest_claim(const Account& account, const std::string& rule_id) {
  const auto found = account.claims.find(rule_id);
  if (found == account.claims.end() || found->second.empty()) return std::nullopt;
  return *std::max_element(found->second.begin(), found->second.end());
}

// Birthday: paid on the birthday itself (local day in the shop's zone), once per calendar
// year or, with cooldownDays, that many days after the last birthday award, and only once
// `wait_days` have passed since the birthday was entered.
EarnBreakdown earn_for_birthday(const Program& program, const Account& account,
                                const EarnRule& rule, EpochSeconds at) {
  if (!account.birthday) return refused("rule.waiting", std::nullopt);
  const Birthday& birthday = *account.birthday;
  if (birthday.month < 1 || birthday.month > 12 || birthday.day < 1 || birthday.day > 31)
    return refused("rule.waiting", std::nullopt);
  const TimeZone& zone = program.zone;

  EpochSeconds earliest = at;
  bool waiting = false;
  if (birthday.added_at && rule.wait_days > 0) {
    const EpochSeconds wait_end =
        saturating_add(*birthday.added_at, rule.wait_days * kSecondsPerDay);
    if (wait_end > at) {
      earliest = wait_end;
      waiting = true;
    }
  }
  bool cooling = false;
  if (rule.cooldown_days > 0) {
    if (const auto last = latest_claim(account, rule.id)) {
      const EpochSeconds cool_end = saturating_add(*last, rule.cooldown_days * kSecondsPerDay);
      if (cool_end > earliest) {
        earliest = cool_end;
        cooling = true;
        waiting = false;
      }
    }
  }

  const std::int32_t this_year = local_date(at, zone).year;
  const bool claimed_this_year =
      rule.cooldown_days == 0 && claimed_within(account, rule.id, calendar_year(at, zone));
  std::int32_t year = claimed_this_year ? this_year + 1 : this_year;
  year = std::max(year, local_date(earliest, zone).year);
  // The first birthday whose local day has not ended before `earliest`; two tries suffice.
  for (int attempt = 0; attempt < 2; ++attempt, ++year) {
    const CivilDate day = birthday_in_year(birthday, year);
    const EpochSeconds day_start = local_midnight(day, zone);
    const EpochSeconds day_end = local_midnight(civil_from_days(days_from_civil(day) + 1), zone);
    if (day_end <= earliest) continue;
    const EpochSeconds eligible_from = std::max(day_start, earliest);
    if (eligible_from <= at) {
      bool saturated = false;
      return compute_rule_earn(program, rule.id, rule.points, at, saturated);
    }
    if ((claimed_this_year || cooling) && !waiting)
      return refused("rule.limitReached", eligible_from);
    return refused("rule.waiting", eligible_from);
  }
  return refused("rule.waiting", std::nullopt);
}

}  // namespace

Period calendar_period(ClaimLimit limit, EpochSeconds at, const TimeZone& zone) {
  const CivilDate today = local_date(at, zone);
  const std::int64_t day_number = days_from_civil(today);
  // Each bound is a local midnight of its own: with daylight saving a day is not 86,400 s.
  switch (limit) {
    case ClaimLimit::per_week: {
      // 1970-01-01 was a Thursday: (days + 3) mod 7 counts days since Monday.
      const std::int64_t monday = day_number - ((day_number + 3) % 7 + 7) % 7;
      return {local_midnight(civil_from_days(monday), zone),
              local_midnight(civil_from_days(monday + 7), zone)};
    }
    case ClaimLimit::per_month: {
      const CivilDate first{today.year, today.month, 1};
      return {local_midnight(first, zone), local_midnight(add_months(first, 1), zone)};
    }
    case ClaimLimit::per_year:
      return calendar_year(at, zone);
    default:
      return {local_midnight(today, zone), local_midnight(civil_from_days(day_number + 1), zone)};
  }
}

Period calendar_year(EpochSeconds at, const TimeZone& zone) {
  const std::int32_t year = local_date(at, zone).year;
  return {local_midnight({year, 1, 1}, zone), local_midnight({year + 1, 1, 1}, zone)};
}

bool within_claim_limit(const Program& program, const EarnRule& rule,
                        const std::vector<EpochSeconds>& earlier_claims, EpochSeconds at) {
  if (earlier_claims.empty()) return true;
  if (rule.type == EarnType::birthday && rule.cooldown_days > 0) {
    for (EpochSeconds claim : earlier_claims)
      if (at < saturating_add(claim, rule.cooldown_days * kSecondsPerDay)) return false;
    return true;
  }
  const ClaimLimit limit = rule.type == EarnType::signup     ? ClaimLimit::once
                           : rule.type == EarnType::birthday ? ClaimLimit::per_year
                                                             : rule.limit;
  if (limit == ClaimLimit::unlimited) return true;
  if (limit == ClaimLimit::once) return false;
  const Period period = calendar_period(limit, at, program.zone);
  for (EpochSeconds claim : earlier_claims)
    if (claim >= period.start && claim < period.end) return false;
  return true;
}

const EarnRule* find_order_rule(const Program& program) {
  for (const EarnRule& rule : program.earning)
    if (rule.type == EarnType::order && rule.enabled) return &rule;
  return nullptr;
}

// Discounts larger than the items floor at 0; shipping and tax count only for the `total` basis.
MinorUnits order_basis(OrderBasis basis, const OrderAmounts& amounts) {
  const MinorUnits after_discounts = std::max<MinorUnits>(
      0, saturating_add(amounts.subtotal, -std::max<MinorUnits>(amounts.discount, 0)));
  switch (basis) {
    case OrderBasis::subtotal:
      return std::max<MinorUnits>(0, amounts.subtotal);
    case OrderBasis::total:
      return std::max<MinorUnits>(
          0, saturating_add(saturating_add(after_discounts, amounts.shipping), amounts.tax));
    case OrderBasis::subtotal_after_discounts:
      break;
  }
  return after_discounts;
}

std::optional<Points> base_points(const EarnRule& rule, MinorUnits basis) {
  switch (rule.rounding) {
    case EarnRounding::whole_steps: {
      const auto steps = mul_div_floor(basis, 1, rule.per);
      return steps ? checked_mul(*steps, rule.points) : std::nullopt;
    }
    case EarnRounding::half_up:
      return mul_div_half_up(basis, rule.points, rule.per);
    case EarnRounding::proportional:
      break;
  }
  return mul_div_floor(basis, rule.points, rule.per);
}

OrderAmounts eligible_amounts(const EarnRule& rule, const OrderAmounts& amounts,
                              const std::vector<OrderLine>& lines) {
  if (lines.empty()) return amounts;
  const Exclusions& exclude = rule.exclude;
  const auto listed = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  const auto kind_excluded = [&](LineKind kind) {
    return std::find(exclude.kinds.begin(), exclude.kinds.end(), kind) != exclude.kinds.end();
  };
  MinorUnits items = 0;
  MinorUnits eligible = 0;
  for (const OrderLine& line : lines) {
    if (line.kind != LineKind::product && line.kind != LineKind::gift_card) continue;
    items = saturating_add(items, line.amount);
    bool excluded = kind_excluded(line.kind) || listed(exclude.products, line.product_id);
    for (const std::string& collection : line.collections)
      excluded = excluded || listed(exclude.collections, collection);
    if (!excluded) eligible = saturating_add(eligible, line.amount);
  }
  OrderAmounts out = amounts;
  if (items > 0) {
    out.subtotal = eligible;
    out.discount = mul_div_floor(std::max<MinorUnits>(amounts.discount, 0), eligible, items)
                       .value_or(amounts.discount);
  }
  if (kind_excluded(LineKind::shipping)) out.shipping = 0;
  if (kind_excluded(LineKind::tax)) out.tax = 0;
  return out;
}

EarnBreakdown compute_order_earn(const Program& program, const EarnRule& rule, int tier_index,
                                 const OrderAmounts& order_amounts,
                                 const std::vector<OrderLine>& lines, EpochSeconds at,
                                 bool& saturated) {
  EarnBreakdown out;
  const OrderAmounts amounts = eligible_amounts(rule, order_amounts, lines);
  const MinorUnits basis = order_basis(&rule, amounts);
  if (basis < rule.min_order) {
    out.refusal = "order.belowMinimum";
    return out;
  }
  // An order with nothing to earn on is no qualifying earn, so flat promotion bonuses skip it.
  if (basis <= 0 || rule.per <= 0) return out;
  out.base = cap_points(base_points(rule, basis), saturated);
  if (tier_index >= 0 && static_cast<std::size_t>(tier_index) < program.tiers.tiers.size()) {
    out.tier_multiplier_permille = program.tiers.tiers[tier_index].multiplier_permille;
    out.tier_bonus = multiplier_bonus(out.base, out.tier_multiplier_permille, saturated);
  }
  add_promotions(program, rule.id, at, out, saturated);
  finish_total(out, saturated);
  return out;
}

EarnBreakdown compute_rule_earn(const Program& program, std::string_view rule_id, Points base,
                                EpochSeconds at, bool& saturated) {
  EarnBreakdown out;
  out.base = cap_points(base, saturated);
  add_promotions(program, rule_id, at, out, saturated);
  finish_total(out, saturated);
  return out;
}

EarnBreakdown earn_for_order(const Program& program, const Account& account,
                             const OrderAmounts& order, EpochSeconds at) {
  return earn_for_order(program, account, order, {}, at);
}

EarnBreakdown earn_for_order(const Program& program, const Account& account,
                             const OrderAmounts& order, const std::vector<OrderLine>& lines,
                             EpochSeconds at) {
  const EarnRule* rule = find_order_rule(program);
  if (!rule) return refused("order.noRule", std::nullopt);
  bool saturated = false;
  return compute_order_earn(program, *rule, account.tier.index, order, lines, at, saturated);
}

EarnBreakdown earn_for_rule(const Program& program, const Account& account, const EarnRule& rule,
                            EpochSeconds at) {
  if (!rule.enabled || rule.type == EarnType::order || rule.type == EarnType::referral)
    return refused("rule.notClaimable", std::nullopt);
  if (rule.type == EarnType::birthday) return earn_for_birthday(program, account, rule, at);

  const ClaimLimit limit = rule.type == EarnType::signup ? ClaimLimit::once : rule.limit;
  if (limit == ClaimLimit::once) {
    const auto found = account.claims.find(rule.id);
    if (found != account.claims.end() && !found->second.empty())
      return refused("rule.alreadyDone", std::nullopt);
  } else if (limit != ClaimLimit::unlimited) {
    const Period period = calendar_period(limit, at, program.zone);
    if (claimed_within(account, rule.id, period)) return refused("rule.limitReached", period.end);
  }
  bool saturated = false;
  return compute_rule_earn(program, rule.id, rule.points, at, saturated);
}

}  // namespace loyalty
