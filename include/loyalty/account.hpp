// The shopper's state, replayed from the ledger (or taken from a summary).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"
#include "loyalty/result.hpp"

namespace loyalty {

/// Points earned together that expire together (per-lot expiry, first in first out).
struct Lot {
  EpochSeconds earned_at = 0;
  std::optional<EpochSeconds> expires_at;
  Points remaining = 0;
};

/// One ledger entry as it was applied, with the points it actually moved.
struct Activity {
  std::string entry_id;
  EntryType type = EntryType::earn;
  EpochSeconds at = 0;
  Points points = 0;  // signed change to the balance
  std::string rule_id;
  std::string reward_id;
  std::string tier_id;
  std::string order_id;
  /// Order points still pending: when they become spendable.
  std::optional<EpochSeconds> pending_until;
};

struct TierStatus {
  int index = -1;                            // into program.tiers.tiers; -1 = below the first tier
  std::int64_t progress = 0;                 // metric value in the current window
  std::optional<EpochSeconds> window_start;  // none for lifetime
  std::optional<EpochSeconds> window_end;    // exclusive; none for lifetime
  std::optional<EpochSeconds> retained_until;  // set when held by retention or assignment
};

struct Account {
  Points balance = 0;  // spendable, never negative
  Points owed = 0;     // clawback that found no balance; repaid from future earnings first
  Points lifetime_earned = 0;
  Points spent = 0;
  Points expired = 0;
  MinorUnits amount_spent = 0;                // lifetime, net of refunds
  std::int64_t orders = 0;                    // lifetime, net of cancellations
  std::vector<Lot> lots;                      // oldest first; sums to balance
  Points pending = 0;                         // order points not yet spendable; not in the balance
  std::vector<PendingPoints> pending_points;  // soonest first
  std::optional<EpochSeconds> last_activity;
  std::optional<ExpiringPoints> next_expiry;  // the soonest expiry within reach
  TierStatus tier;
  /// The customer's birthday, copied by replay() so that earn_for_rule() can judge the
  /// birthday rule from the account alone.
  std::optional<Birthday> birthday;
  /// Claim times per earn rule id, for limits ("once", "per_week", ...).
  std::map<std::string, std::vector<EpochSeconds>> claims;
  std::vector<Activity> activity;       // chronological
  std::vector<Diagnostic> diagnostics;  // warnings met while replaying (paths into the customer)
};

/// Replays the customer's ledger up to `now` under the program's rules: applies each entry id
/// once, in the order the entries were recorded (LedgerEntry::recorded(); ties keep ledger
/// order), computes missing order points, claws back refunds, expires points and tracks the
/// tier.
/// With a summary, balances and tier come from it instead.
Account replay(const Program& program, const Customer& customer, EpochSeconds now);

/// replay() that goes on: replays the ledger once, then takes entries appended later one at a
/// time, at the cost of that entry alone (a backend keeps one per busy customer). account()
/// always equals replay() of the customer with every appended entry, at the last `now` given.
/// Keeps `program` by reference: it must outlive this object. Customers with a summary replay
/// once but take no later entries or instants.
class IncrementalReplay {
 public:
  IncrementalReplay(const Program& program, Customer customer, EpochSeconds now);
  ~IncrementalReplay();
  IncrementalReplay(IncrementalReplay&&) noexcept;
  IncrementalReplay& operator=(IncrementalReplay&&) noexcept;

  /// Appends `entry` as the ledger's last entry and judges the account at `now`. False, with
  /// nothing changed, when only a full replay can say: the entry is recorded earlier
  /// (LedgerEntry::recorded()) than an entry or an instant already applied, or the customer has
  /// a summary. A backend that records each entry at max(its clock, reached()) never meets that.
  bool append(LedgerEntry entry, EpochSeconds now);
  /// Judges the account at a later `now` (expiry, tier windows); false, with nothing changed,
  /// for an earlier instant than one already applied.
  bool advance(EpochSeconds now);
  const Account& account() const;
  /// The latest instant applied: the newest recording among the entries, or the last `now`
  /// given, whichever is later; nullopt before any.
  std::optional<EpochSeconds> reached() const;
  /// Entries in the ledger, appended ones included.
  std::size_t entry_count() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace loyalty
