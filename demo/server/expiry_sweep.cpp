// The expiry sweep: records the expiries the core computes as explicit `expire` ledger entries
// (CONTRACT.md, "Backend details": expiry sweep) and pays birthday points on the shopper's
// birthday. Run by the server every --expiry-sweep-seconds (backend.cpp) or by the merchant at
// POST /v1/admin/expiry-sweep.
#include <algorithm>
#include <utility>

#include "backend.hpp"
#include "backend_helpers.hpp"
#include "loyalty/account.hpp"
#include "loyalty/engine.hpp"
#include "notifications.hpp"

namespace loyalty::server {
namespace {

using Need = BodyReader::Need;

/// The birthday rule's `earn` entry when the core says it pays `account` (the customer's replay)
/// at `now`: the shopper's birthday in the shop's calendar, past the rule's wait, not yet paid
/// this year or cool-off; nullopt otherwise. Under the write lock, so a second pass finds it paid
/// and writes nothing.
std::optional<LedgerEntry> birthday_entry(const Program& rules, const Customer& customer,
                                          const Account& account, EpochSeconds now) {
  const EarnRule* rule = rules.find_rule_of_type(EarnType::birthday);
  if (!rule || !rule->enabled || !customer.member || !customer.birthday) return std::nullopt;
  const EarnBreakdown earned = earn_for_rule(rules, account, *rule, now);
  if (!earned.refusal.empty() || earned.total <= 0) return std::nullopt;
  return new_earn_entry(customer, rule->id, earned.total, now);
}

// Replays agree on what a reader sees.
bool same_balances(const Account& a, const Account& b) {
  const auto expiry = [](const Account& account) {
    return account.next_expiry ? std::pair(account.next_expiry->points, account.next_expiry->at)
                               : std::pair(Points{-1}, EpochSeconds{0});
  };
  return a.balance == b.balance && a.owed == b.owed && a.expired == b.expired &&
         a.lifetime_earned == b.lifetime_earned && a.spent == b.spent &&
         a.tier.index == b.tier.index && expiry(a) == expiry(b);
}

}  // namespace

SweepOutcome Backend::sweep_expiry(EpochSeconds now) {
  SweepOutcome outcome;
  auto published = program();
  Database* reader = database();
  if (!published || !reader) {
    outcome.storage_failed = !reader;
    return outcome;
  }
  const Program& rules = published->program;
  std::vector<std::string> ids;
  if (!list_member_ids(*reader, ids)) {
    outcome.storage_failed = true;
    return outcome;
  }
  // One write per customer, so redemptions and orders keep flowing between them.
  for (const std::string& id : ids) {
    const bool committed = writes_->run([&](Database& db) {
      Customer customer;
      const LoadStatus status = load_customer(db, id, customer);
      if (status != LoadStatus::found) return status == LoadStatus::not_found;
      ++outcome.customers;
      // Birthday points first, written like a claim (with its points.earned notification), so
      // the expiries below are computed on the ledger with them (one replay more, only then).
      Account before = replay(rules, customer, now);
      if (auto birthday = birthday_entry(rules, customer, before, now)) {
        if (!append_entry(db, id, *birthday) ||
            !queue_entry_notifications(db, rules, customer, *birthday, now))
          return false;
        customer.ledger.push_back(*birthday);
        ++outcome.birthdays;
        outcome.birthday_points += *birthday->points;
        before = replay(rules, customer, now);
      }
      // Each expiry the core computed (an activity with no entry id) becomes an entry one second
      // before its instant: the explicit entry removes the points first (oldest first, as the
      // program's expiry would), so the program's own expiry then finds them gone. The id is
      // the instant, so a second sweep records nothing new.
      std::vector<LedgerEntry> entries;
      for (const Activity& activity : before.activity) {
        if (activity.type != EntryType::expire || !activity.entry_id.empty() ||
            activity.points >= 0)
          continue;
        LedgerEntry entry;
        entry.id = "expiry-" + std::to_string(activity.at);
        entry.type = EntryType::expire;
        // The one entry the server dates in the past, recorded where it takes effect: it
        // records an expiry replay already applies there, and the check below proves it
        // changes no replay (CONTRACT.md, "Expiry sweep").
        entry.at = activity.at - 1;
        entry.recorded_at = entry.at;
        entry.points = -activity.points;
        const bool recorded =
            std::any_of(customer.ledger.begin(), customer.ledger.end(),
                        [&](const LedgerEntry& existing) { return existing.id == entry.id; });
        if (recorded) continue;
        if (!entries.empty() && entries.back().id == entry.id)
          *entries.back().points += *entry.points;  // two lots ending at the same instant
        else
          entries.push_back(std::move(entry));
      }
      // The warning the launcher shows, sent once per lot (its key: customer, instant, points).
      if (auto warning = expiry_warning(rules, id, before, now))
        if (!queue_notifications(db, id, {*warning}, now)) return false;
      if (entries.empty()) return true;
      Customer after = customer;
      after.ledger.insert(after.ledger.end(), entries.begin(), entries.end());
      if (!same_balances(before, replay(rules, after, now))) {
        outcome.skipped.push_back(id);
        return true;
      }
      for (const LedgerEntry& entry : entries) {
        if (!append_entry(db, id, entry)) return false;
        ++outcome.entries;
        outcome.points += *entry.points;
      }
      return true;
    });
    if (!committed) outcome.storage_failed = true;
  }
  return outcome;
}

ApiResponse Backend::post_expiry_sweep(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  const EpochSeconds server_now = unix_now();
  EpochSeconds now = server_now;
  if (!request.body.empty()) {
    BodyReader body(request.body);
    auto at = body.instant("now", Need::optional);
    if (body.failed()) return *body.error();
    // Entries after the server's clock would already count for reads before then.
    if (at && *at > server_now)
      return error_response(400, "request.invalidField",
                            "/now: must not be later than the server's clock", "/now");
    now = at.value_or(server_now);
  }
  if (!program()) return no_program();
  SweepOutcome outcome = sweep_expiry(now);
  if (outcome.storage_failed) return storage_failure();
  return json_response(200, {{"now", format_instant(now, 0)},
                             {"customers", outcome.customers},
                             {"recorded", outcome.entries},
                             {"points", outcome.points},
                             {"skipped", outcome.skipped},
                             {"birthdays", outcome.birthdays},
                             {"birthdayPoints", outcome.birthday_points}});
}

}  // namespace loyalty::server
