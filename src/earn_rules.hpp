// Earning arithmetic shared by earn_for_order/earn_for_rule and by replay().
#pragma once

#include <string_view>
#include <vector>

#include "loyalty/engine.hpp"
#include "loyalty/program.hpp"

namespace loyalty {

/// Whether a claim of `rule` at `at` keeps to its limit (once, once per period, a birthday's
/// calendar year or cool-off) given the claims counted before it. Replay uses it so a ledger
/// cannot pay a limited rule more often than the launcher offers it.
bool within_claim_limit(const Program& program, const EarnRule& rule,
                        const std::vector<EpochSeconds>& earlier_claims, EpochSeconds at);

/// The program's first enabled order rule, or nullptr.
const EarnRule* find_order_rule(const Program& program);

/// The order amount of `basis` (never negative): items after discounts (a discount larger than
/// the items floors at 0), items, or items after discounts with shipping and tax.
MinorUnits order_basis(OrderBasis basis, const OrderAmounts& amounts);

/// The order amount points are computed from, per the rule's basis. Without a rule, items after
/// discounts.
inline MinorUnits order_basis(const EarnRule* rule, const OrderAmounts& amounts) {
  return order_basis(rule ? rule->basis : OrderBasis::subtotal_after_discounts, amounts);
}

/// The amounts the rule earns on when the order gives its lines: the items it does not exclude
/// (by product, collection or kind; gift cards by default) as the subtotal, the discount
/// prorated over them (rounded down), and shipping and tax unless their kind is excluded.
/// Without lines, `amounts` as they are.
OrderAmounts eligible_amounts(const EarnRule& rule, const OrderAmounts& amounts,
                              const std::vector<OrderLine>& lines);

/// Points an order earns at `at` while the shopper holds tier `tier_index` (-1 = none).
/// Sets `saturated` when a value had to be capped at kMaxSafeInteger.
EarnBreakdown compute_order_earn(const Program& program, const EarnRule& rule, int tier_index,
                                 const OrderAmounts& amounts, const std::vector<OrderLine>& lines,
                                 EpochSeconds at, bool& saturated);

/// `base` points of rule `rule_id` plus the promotions active at `at` that name the rule (or
/// name none). No tier multiplier: that applies to order points only.
EarnBreakdown compute_rule_earn(const Program& program, std::string_view rule_id, Points base,
                                EpochSeconds at, bool& saturated);

}  // namespace loyalty
