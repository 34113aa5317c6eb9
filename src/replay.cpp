// Replays a customer's ledger under the program's rules (see "Replay rules" in CONTRACT.md).
#include <algorithm>
#include <deque>
#include <string_view>
#include <utility>

#include "earn_rules.hpp"
#include "expiry.hpp"
#include "loyalty/account.hpp"
#include "tiers.hpp"

namespace loyalty {

namespace {

struct OrderState {
  MinorUnits basis = 0;        // P
  Points earned = 0;           // E
  MinorUnits refunded = 0;     // R, cumulative
  Points clawed = 0;           // points taken back so far
  MinorUnits spend = 0;        // what the order added to amount_spent (tiers.spendBasis)
  MinorUnits spend_taken = 0;  // spend refunds and cancellation took back so far
  Points pending = 0;          // of `earned`, still held for the order rule's pendingDays
  bool cancelled = false;
};

// Open addressing over keys that live in the ledger (entry ids, order ids): one allocation for
// the whole replay instead of a node per entry. A replay sizes it for every key at once; only
// entries appended later (IncrementalReplay) make it grow.
class KeyIndex {
 public:
  static constexpr std::uint32_t kAbsent = UINT32_MAX;

  explicit KeyIndex(std::size_t max_keys) {
    std::size_t capacity = 16;
    while (capacity < max_keys * 2) capacity <<= 1;  // load factor <= 1/2
    slots_.resize(capacity);
    mask_ = capacity - 1;
  }

  /// Makes room for `max_keys` keys in all, rehashing when the load factor would pass 1/2.
  void reserve(std::size_t max_keys) {
    if (max_keys * 2 <= slots_.size()) return;
    KeyIndex larger(max_keys * 2);  // room to grow again before the next rehash
    for (const Slot& slot : slots_)
      if (slot.tag != 0) larger.insert(slot.key, hash_of(slot.key), slot.value);
    *this = std::move(larger);
  }

  static std::size_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }

  /// The value under `key` (whose hash_of is `hash`), after storing `value` there when the key
  /// is new.
  std::pair<std::uint32_t, bool> insert(std::string_view key, std::size_t hash,
                                        std::uint32_t value) {
    Slot& slot = probe(key, hash);
    if (slot.tag != 0) return {slot.value, false};
    slot = {key, value, tag_of(hash)};
    return {value, true};
  }

  /// Starts loading the slot a key with this hash will probe, to hide the memory latency of a
  /// large table.
  void prefetch(std::size_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  std::uint32_t find(std::string_view key, std::size_t hash) {
    const Slot& slot = probe(key, hash);
    return slot.tag != 0 ? slot.value : kAbsent;
  }

 private:
  // tag: other bits of the hash, never 0 in a used slot, so most mismatches skip the string
  // compare.
  struct Slot {
    std::string_view key;
    std::uint32_t value = 0;
    std::uint32_t tag = 0;
  };

  // Mixed so that 32-bit size_t (wasm32) still gives tag bits independent of the slot bits.
  static std::uint32_t tag_of(std::size_t hash) {
    const std::uint64_t mixed = static_cast<std::uint64_t>(hash) * 0x9E3779B97F4A7C15ull;
    return static_cast<std::uint32_t>(mixed >> 32) | 1u;
  }

  Slot& probe(std::string_view key, std::size_t hash) {
    const std::uint32_t tag = tag_of(hash);
    std::size_t i = hash & mask_;
    while (slots_[i].tag != 0 && (slots_[i].tag != tag || slots_[i].key != key))
      i = (i + 1) & mask_;
    return slots_[i];
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

std::string entry_path(std::size_t index) { return "/ledger/" + std::to_string(index); }

std::string entry_path(std::size_t index, std::string_view field) {
  std::string path = entry_path(index);
  path += '/';
  path += field;
  return path;
}

class Replayer {
 public:
  Replayer(const Program& program, const Customer& customer, EpochSeconds now)
      : program_(program),
        customer_(customer),
        now_(now),
        tiers_(program.tiers, program.zone),
        order_rule_(find_order_rule(program)) {}

  Account run();

  // The steps of run(), for IncrementalReplay: the customer's ledger, then entries appended one
  // at a time (none earlier than an instant already applied), each followed by finish().
  void apply_ledger();
  void append(const LedgerEntry& entry, std::size_t index);
  // Judges expiry and the tier at `now`; may run again with a later `now`.
  void finish(EpochSeconds now);
  const Account& account() const { return account_; }
  // The latest instant applied: the newest entry's or the last `now` given to finish().
  std::optional<EpochSeconds> reached() const { return reached_; }

 private:
  void apply(const LedgerEntry& entry, std::size_t index);
  void place_order(const LedgerEntry& entry, std::size_t index);
  void refund_order(const LedgerEntry& entry, std::size_t index);
  void cancel_order(const LedgerEntry& entry, std::size_t index);
  void earn(const LedgerEntry& entry, std::size_t index);
  void redeem(const LedgerEntry& entry, std::size_t index);
  void sweep(const LedgerEntry& entry, std::size_t index);
  void adjust(const LedgerEntry& entry, std::size_t index);
  void referral(const LedgerEntry& entry, std::size_t index);
  void assign_tier(const LedgerEntry& entry, std::size_t index);
  void award_tier_entry_points(const LedgerEntry& entry, std::size_t index);
  void award_tier_entry_points(const std::string& entry_id, EpochSeconds shown_at, EpochSeconds at,
                               std::size_t index);

  // Order points still pending, soonest first (pendingDays is one figure, and entries apply in
  // recorded order, so they become available in the order they were held).
  struct PendingSlot {
    std::uint32_t order = 0;  // into orders_
    std::uint32_t ledger_index = 0;
    std::uint32_t activity = 0;  // into account_.activity
    EpochSeconds available_at = 0;
  };
  // Releases the pending points due by `at` into the balance, as earned at their due instant.
  void release_pending_until(EpochSeconds at);
  // A refund's or cancellation's clawback: pending points first, then the balance (or owed).
  void take_back_order_points(OrderState& order, Points clawback, EpochSeconds at);

  // Earned points: repay `owed` first, the rest becomes spendable (a lot). Counts as earned and
  // as activity for inactivity expiry.
  void credit_earned(Points points, EpochSeconds at, std::size_t index, bool counts_for_tier);
  // Points leaving without the shopper spending them (clawback, negative adjustment): the
  // balance goes to 0 at most and the remainder is owed.
  void take_or_owe(Points points);
  // A refund's share of the order's spend (cumulative, floor(S * refunded / P)) leaves
  // amount_spent, unless the program counts spend gross of refunds.
  void take_back_spend(OrderState& order, MinorUnits refunded, EpochSeconds at);
  // With entryPointsTakeBack: the entry points of the tiers a refund or cancellation lost
  // (above `tier`, up to the tier held before it) are taken back.
  void take_back_entry_points(int tier, const LedgerEntry& entry);
  // A tier lost between entries (a window ended) counts as left, so "each_time" pays again.
  void note_tier_after_advance(EpochSeconds at);
  // Activity that resets inactivity expiry, remembering the tier held then (its policy counts).
  void touch(EpochSeconds at);
  void expire_until(EpochSeconds at);
  void record_activity(const LedgerEntry& entry, EntryType type, Points points);
  void warn(std::string path, std::string message) {
    account_.diagnostics.push_back({std::move(path), std::move(message), Severity::warning});
  }
  void apply_summary();

  const Program& program_;
  const Customer& customer_;
  EpochSeconds now_;
  Account account_;
  TierTracker tiers_;
  LotQueue lots_;
  const EarnRule* order_rule_;
  std::vector<OrderState> orders_;
  KeyIndex seen_ids_{0};
  std::size_t seen_id_count_ = 0;
  KeyIndex order_index_{0};
  std::optional<EpochSeconds> reached_;
  std::size_t order_hash_ = 0;  // KeyIndex::hash_of(order_id) of the entry being applied
  // lot_expiry() of the month last earned in, since most earnings share a month with the last.
  EpochSeconds expiry_month_start_ = 1;
  EpochSeconds expiry_month_end_ = 0;
  std::optional<EpochSeconds> expiry_for_month_;
  int expiry_tier_ = -1;  // the tier whose policy expiry_for_month_ was computed with
  int last_activity_tier_ = -1;
  int tier_held_ = -1;            // the tier in force after the last entry
  std::vector<char> entry_paid_;  // per tier: entry points paid and not taken back
  std::vector<PendingSlot> pending_;
  std::size_t pending_head_ = 0;
  bool warned_saturation_ = false;
};

/// The positions of (time, position) pairs once sorted. A heap sort (the pairs are distinct, so
/// any sort gives this order) is 1.8 KB smaller than std::sort and also O(n log n). Ledgers
/// usually arrive sorted, so the sort is skipped then.
std::vector<std::uint32_t> positions_in_order(
    std::vector<std::pair<EpochSeconds, std::uint32_t>>& keyed) {
  if (!std::is_sorted(keyed.begin(), keyed.end())) {
    std::make_heap(keyed.begin(), keyed.end());
    std::sort_heap(keyed.begin(), keyed.end());
  }
  std::vector<std::uint32_t> order(keyed.size());
  for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
  return order;
}

/// Positions 0..count-1 in time order, ties in their original order. One sort of (time,
/// position) pairs serves every caller: std::stable_sort cost 6 KB of wasm per use. Only the
/// keys are made per caller; the sort is shared.
template <class TimeOf>
std::vector<std::uint32_t> order_by_time(std::size_t count, TimeOf time_of) {
  std::vector<std::pair<EpochSeconds, std::uint32_t>> keyed(count);
  for (std::size_t i = 0; i < count; ++i) keyed[i] = {time_of(i), static_cast<std::uint32_t>(i)};
  return positions_in_order(keyed);
}

Account Replayer::run() {
  apply_ledger();
  finish(now_);
  return std::move(account_);
}

void Replayer::apply_ledger() {
  const std::vector<LedgerEntry>& ledger = customer_.ledger;
  account_.birthday = customer_.birthday;

  // Entries apply in the order they were recorded (recordedAt, else at): an entry recorded after
  // an approved redemption is applied after it, whatever its `at`, so it can't undo it. Every
  // instant replay judges by (expiry, tier windows, lot dates, inactivity) is this one; `at`
  // is what the activity shows.
  const std::vector<std::uint32_t> order =
      order_by_time(ledger.size(), [&](std::size_t i) { return ledger[i].recorded(); });

  seen_ids_ = KeyIndex(ledger.size());
  std::size_t order_count = 0;
  for (const LedgerEntry& entry : ledger) order_count += entry.type == EntryType::order_placed;
  order_index_ = KeyIndex(order_count);
  orders_.reserve(order_count);
  // Room for expiries and tier entry points too, so the big vector is allocated once.
  account_.activity.reserve(ledger.size() + ledger.size() / 16 + 64);
  lots_.reserve(std::min<std::size_t>(ledger.size(), 4096));

  // Hash lookups run ahead of the loop: the key hashes of the entry kLookAhead places on are
  // computed and their slots prefetched, then used when the loop gets there.
  constexpr std::size_t kLookAhead = 8;
  std::size_t id_hashes[kLookAhead] = {};
  std::size_t order_hashes[kLookAhead] = {};
  const auto hash_ahead = [&](std::size_t position) {
    const LedgerEntry& ahead = ledger[order[position]];
    id_hashes[position % kLookAhead] = KeyIndex::hash_of(ahead.id);
    order_hashes[position % kLookAhead] = KeyIndex::hash_of(ahead.order_id);
    seen_ids_.prefetch(id_hashes[position % kLookAhead]);
    if (!ahead.order_id.empty()) order_index_.prefetch(order_hashes[position % kLookAhead]);
  };
  for (std::size_t position = 0; position < std::min(kLookAhead, order.size()); ++position)
    hash_ahead(position);

  for (std::size_t position = 0; position < order.size(); ++position) {
    const std::uint32_t index = order[position];
    const LedgerEntry& entry = ledger[index];
    const std::size_t id_hash = id_hashes[position % kLookAhead];
    order_hash_ = order_hashes[position % kLookAhead];
    if (position + kLookAhead < order.size()) hash_ahead(position + kLookAhead);
    // A repeated id is the same event delivered twice: apply it once.
    if (!entry.id.empty() && !seen_ids_.insert(entry.id, id_hash, index).second) {
      warn(entry_path(index),
           "entry id \"" + entry.id + "\" appears more than once; the repeat is ignored");
      continue;
    }
    seen_id_count_ += !entry.id.empty();
    // Pending points and expiry happen as of their own instant, so they run before an entry at
    // or after that instant.
    release_pending_until(entry.recorded());
    expire_until(entry.recorded());
    tiers_.advance(entry.recorded());
    note_tier_after_advance(entry.recorded());
    apply(entry, index);
    award_tier_entry_points(entry, index);
  }
  if (!order.empty()) reached_ = ledger[order.back()].recorded();
}

void Replayer::append(const LedgerEntry& entry, std::size_t index) {
  // One turn of apply_ledger()'s loop: the entry sorts after every entry already applied, so a
  // full replay of the longer ledger meets it last.
  reached_ = reached_ ? std::max(*reached_, entry.recorded()) : entry.recorded();
  if (!entry.id.empty()) {
    seen_ids_.reserve(seen_id_count_ + 1);
    const auto slot =
        seen_ids_.insert(entry.id, KeyIndex::hash_of(entry.id), static_cast<std::uint32_t>(index));
    if (!slot.second) {
      warn(entry_path(index),
           "entry id \"" + entry.id + "\" appears more than once; the repeat is ignored");
      return;
    }
    ++seen_id_count_;
  }
  if (entry.type == EntryType::order_placed) order_index_.reserve(orders_.size() + 1);
  order_hash_ = KeyIndex::hash_of(entry.order_id);
  release_pending_until(entry.recorded());
  expire_until(entry.recorded());
  tiers_.advance(entry.recorded());
  note_tier_after_advance(entry.recorded());
  apply(entry, index);
  award_tier_entry_points(entry, index);
}

void Replayer::finish(EpochSeconds now) {
  now_ = now;
  reached_ = reached_ ? std::max(*reached_, now) : now;
  // Entries after `now` (a browser clock behind the server) are still applied: the ledger is the
  // backend's record. Expiry and tier windows are judged at `now`.
  release_pending_until(now_);
  expire_until(now_);
  tiers_.advance(now_);
  account_.tier = tiers_.status(now_);
  account_.lots = lots_.remaining();
  account_.pending = 0;
  account_.pending_points.clear();
  for (std::size_t i = pending_head_; i < pending_.size(); ++i) {
    const OrderState& order = orders_[pending_[i].order];
    if (order.pending <= 0) continue;
    account_.pending = saturating_add(account_.pending, order.pending);
    account_.pending_points.push_back({account_.activity[pending_[i].activity].order_id,
                                       order.pending, pending_[i].available_at});
  }

  account_.next_expiry.reset();
  const ExpiryPolicy& expiry = program_.expiry;
  if (expiry.mode == ExpiryMode::lots) {
    if (const auto soonest = lots_.earliest_expiry())
      account_.next_expiry = ExpiringPoints{lots_.points_expiring_at(*soonest), *soonest};
  } else if (expiry.mode == ExpiryMode::inactivity && account_.balance > 0 &&
             account_.last_activity) {
    if (const auto deadline = inactivity_deadline(program_.expiry_for_tier(last_activity_tier_),
                                                  program_.zone, *account_.last_activity))
      account_.next_expiry = ExpiringPoints{account_.balance, *deadline};
  }

  if (customer_.summary) apply_summary();
}

void Replayer::apply(const LedgerEntry& entry, std::size_t index) {
  switch (entry.type) {
    case EntryType::order_placed:
      return place_order(entry, index);
    case EntryType::order_refunded:
      return refund_order(entry, index);
    case EntryType::order_cancelled:
      return cancel_order(entry, index);
    case EntryType::earn:
      return earn(entry, index);
    case EntryType::redeem:
      return redeem(entry, index);
    case EntryType::expire:
      return sweep(entry, index);
    case EntryType::adjust:
      return adjust(entry, index);
    case EntryType::referral:
      return referral(entry, index);
    case EntryType::tier_change:
      return assign_tier(entry, index);
  }
}

void Replayer::record_activity(const LedgerEntry& entry, EntryType type, Points points) {
  // `points` is what the entry earned or removed, even when part of it went to or came from
  // `owed`: the shopper sees "-100 refund" and the owed balance, not a confusing -30.
  // Only the id that matters for the type is kept, so most activities carry two short strings.
  Activity activity;
  activity.entry_id = entry.id;
  activity.type = type;
  activity.at = entry.at;
  activity.points = points;
  switch (type) {
    case EntryType::order_placed:
    case EntryType::order_refunded:
    case EntryType::order_cancelled:
      activity.order_id = entry.order_id;
      break;
    case EntryType::earn:
      activity.rule_id = entry.rule_id;
      break;
    case EntryType::redeem:
      activity.reward_id = entry.reward_id;
      break;
    case EntryType::tier_change:
      activity.tier_id = entry.tier_id;
      break;
    default:
      break;
  }
  account_.activity.push_back(std::move(activity));
}

void Replayer::credit_earned(Points points, EpochSeconds at, std::size_t index,
                             bool counts_for_tier) {
  if (points <= 0) return;
  account_.lifetime_earned = saturating_add(account_.lifetime_earned, points);
  if (counts_for_tier) tiers_.record(TierMetric::points_earned, at, points);
  if (program_.expiry.activity != ExpiryActivity::purchases) touch(at);

  const Points repaid = std::min(account_.owed, points);
  account_.owed -= repaid;
  Points spendable = points - repaid;
  const Points room = kMaxSafeInteger - account_.balance;
  if (spendable > room) {
    if (!warned_saturation_)
      warn(entry_path(index),
           "the balance reached the largest safe value (2^53-1); points "
           "beyond it are not added");
    warned_saturation_ = true;
    spendable = room;
  }
  account_.balance += spendable;
  // A lot's expiry follows the policy of the tier held once these points count.
  const int tier = program_.expiry.mode == ExpiryMode::lots ? tiers_.effective(at) : -1;
  if (program_.expiry.mode == ExpiryMode::lots &&
      (at < expiry_month_start_ || at >= expiry_month_end_ || tier != expiry_tier_)) {
    const CivilDate day = local_date(at, program_.zone);
    const CivilDate first{day.year, day.month, 1};
    expiry_month_start_ = local_midnight(first, program_.zone);
    expiry_month_end_ = local_midnight(add_months(first, 1), program_.zone);
    expiry_tier_ = tier;
    expiry_for_month_ = lot_expiry(program_.expiry_for_tier(tier), program_.zone, at);
  }
  lots_.add(at, expiry_for_month_, spendable);
}

void Replayer::touch(EpochSeconds at) {
  account_.last_activity = at;
  last_activity_tier_ = tiers_.effective(at);
}

void Replayer::take_or_owe(Points points) {
  if (points <= 0) return;
  const Points taken = lots_.take(std::min(points, account_.balance));
  account_.balance -= taken;
  account_.owed = saturating_add(account_.owed, points - taken);
}

void Replayer::expire_until(EpochSeconds at) {
  const ExpiryPolicy& policy = program_.expiry;
  if (policy.mode == ExpiryMode::inactivity) {
    // The whole balance expires once the period passes without activity (as the program counts
    // it), under the policy of the tier held at that activity.
    if (!account_.last_activity || account_.balance <= 0) return;
    const auto deadline = inactivity_deadline(program_.expiry_for_tier(last_activity_tier_),
                                              program_.zone, *account_.last_activity);
    if (!deadline || at < *deadline) return;
    const Points points = lots_.take(account_.balance);
    account_.balance -= points;
    account_.expired = saturating_add(account_.expired, points);
    account_.activity.push_back({{}, EntryType::expire, *deadline, -points, {}, {}, {}, {}, {}});
  } else if (policy.mode == ExpiryMode::lots) {
    // Lots are removed as of their expiry instant, soonest first.
    while (const auto expires_at = lots_.earliest_expiry()) {
      if (*expires_at > at) break;
      const Points points = lots_.drop_expiring_at(*expires_at);
      account_.balance -= points;
      account_.expired = saturating_add(account_.expired, points);
      account_.activity.push_back(
          {{}, EntryType::expire, *expires_at, -points, {}, {}, {}, {}, {}});
    }
  }
}

void Replayer::place_order(const LedgerEntry& entry, std::size_t index) {
  const auto slot =
      order_index_.insert(entry.order_id, order_hash_, static_cast<std::uint32_t>(orders_.size()));
  if (!slot.second) {
    warn(entry_path(index, "orderId"),
         "order \"" + entry.order_id + "\" was already placed; this entry is ignored");
    return;
  }
  OrderState& order = orders_.emplace_back();
  // The rule's basis of what it earns on: lines it excludes are not part of it.
  order.basis = order_basis(
      order_rule_,
      order_rule_ ? eligible_amounts(*order_rule_, entry.amounts, entry.lines) : entry.amounts);
  if (program_.expiry.activity == ExpiryActivity::purchases) touch(entry.recorded());

  // Given points are the backend's award and win; otherwise compute them as the program would
  // have: with the promotions of the instant the order happened (`at`) and the tier in force
  // where replay places it (when it was recorded; replay knows no other).
  Points points = 0;
  if (entry.points) {
    points = std::clamp<Points>(*entry.points, 0, kMaxSafeInteger);
    if (*entry.points < 0)
      warn(entry_path(index, "points"), "order points cannot be negative; 0 is used");
  } else if (order_rule_) {
    bool saturated = false;
    points = compute_order_earn(program_, *order_rule_, tiers_.effective(entry.recorded()),
                                entry.amounts, entry.lines, entry.at, saturated)
                 .total;
    if (saturated)
      warn(entry_path(index), "the order's points exceed the largest safe value and were capped");
  }
  order.earned = points;

  const int pending_days = order_rule_ ? order_rule_->pending_days : 0;
  if (pending_days > 0 && points > 0) {
    // Held for the returns window: counted toward the tier now when the program says so.
    order.pending = points;
    pending_.push_back({static_cast<std::uint32_t>(orders_.size() - 1),
                        static_cast<std::uint32_t>(index),
                        static_cast<std::uint32_t>(account_.activity.size()),
                        saturating_add(entry.recorded(), pending_days * kSecondsPerDay)});
    if (program_.tiers.count_pending)
      tiers_.record(TierMetric::points_earned, entry.recorded(), points);
  } else {
    credit_earned(points, entry.recorded(), index, true);
  }
  const SpendBasis spend_basis = program_.tiers.spend_basis;
  order.spend = order.basis;
  if (spend_basis == SpendBasis::subtotal_after_discounts)
    order.spend = order_basis(OrderBasis::subtotal_after_discounts, entry.amounts);
  else if (spend_basis == SpendBasis::subtotal)
    order.spend = order_basis(OrderBasis::subtotal, entry.amounts);
  else if (spend_basis == SpendBasis::total)
    order.spend = order_basis(OrderBasis::total, entry.amounts);
  account_.amount_spent = saturating_add(account_.amount_spent, order.spend);
  tiers_.record(TierMetric::amount_spent, entry.recorded(), order.spend);
  account_.orders += 1;
  tiers_.record(TierMetric::orders, entry.recorded(), 1);
  record_activity(entry, EntryType::order_placed, points);
  if (order.pending > 0) account_.activity.back().pending_until = pending_.back().available_at;
}

void Replayer::release_pending_until(EpochSeconds at) {
  while (pending_head_ < pending_.size() && pending_[pending_head_].available_at <= at) {
    const PendingSlot slot = pending_[pending_head_++];
    OrderState& order = orders_[slot.order];
    const Points points = order.pending;
    order.pending = 0;
    account_.activity[slot.activity].pending_until.reset();
    if (points <= 0) continue;
    // Events in time order: what expired before the points became available expires first.
    expire_until(slot.available_at);
    tiers_.advance(slot.available_at);
    const bool counts_now = !program_.tiers.count_pending;
    credit_earned(points, slot.available_at, slot.ledger_index, counts_now);
    if (counts_now) {
      const std::string entry_id = account_.activity[slot.activity].entry_id;
      award_tier_entry_points(entry_id, slot.available_at, slot.available_at, slot.ledger_index);
    }
  }
}

void Replayer::take_back_order_points(OrderState& order, Points clawback, EpochSeconds at) {
  const Points from_pending = std::min(order.pending, clawback);
  order.pending -= from_pending;
  const Points from_balance = clawback - from_pending;
  take_or_owe(from_balance);
  // Pending points were never in lifetime_earned, and counted toward the tier only with
  // countPending.
  account_.lifetime_earned = std::max<Points>(0, account_.lifetime_earned - from_balance);
  tiers_.record(TierMetric::points_earned, at,
                -(program_.tiers.count_pending ? clawback : from_balance));
}

void Replayer::refund_order(const LedgerEntry& entry, std::size_t index) {
  const std::uint32_t found = order_index_.find(entry.order_id, order_hash_);
  if (found == KeyIndex::kAbsent) {
    warn(entry_path(index, "orderId"),
         "refund for order \"" + entry.order_id + "\", which the ledger never placed; ignored");
    return;
  }
  OrderState& order = orders_[found];
  if (order.cancelled) {
    warn(entry_path(index, "orderId"),
         "refund for order \"" + entry.order_id + "\" after it was cancelled; ignored");
    return;
  }
  order.refunded = saturating_add(order.refunded, std::max<MinorUnits>(entry.amount, 0));
  const MinorUnits counted = std::min(order.refunded, order.basis);

  // Cumulative: after refunds totalling R the order has lost floor(E * min(R, P) / P), so the
  // partial clawbacks add up to exactly what a full refund takes.
  // With refundRounding "kept", the points the order keeps are rounded down instead.
  Points target = 0;
  if (order.basis > 0 && order_rule_ && order_rule_->refund_rounding == RefundRounding::kept)
    target =
        order.earned - mul_div_floor(order.earned, order.basis - counted, order.basis).value_or(0);
  else if (order.basis > 0)
    target = mul_div_floor(order.earned, counted, order.basis).value_or(order.earned);
  else if (order.refunded > 0)
    target = order.earned;
  const Points clawback = target - order.clawed;
  order.clawed = target;
  take_back_order_points(order, clawback, entry.recorded());
  take_back_spend(order, counted, entry.recorded());
  record_activity(entry, EntryType::order_refunded, -clawback);
  take_back_entry_points(tiers_.effective(entry.recorded()), entry);
}

void Replayer::cancel_order(const LedgerEntry& entry, std::size_t index) {
  const std::uint32_t found = order_index_.find(entry.order_id, order_hash_);
  if (found == KeyIndex::kAbsent) {
    warn(entry_path(index, "orderId"), "cancellation of order \"" + entry.order_id +
                                           "\", which the ledger never placed; ignored");
    return;
  }
  OrderState& order = orders_[found];
  if (order.cancelled) {
    warn(entry_path(index, "orderId"),
         "order \"" + entry.order_id + "\" was already cancelled; ignored");
    return;
  }
  order.cancelled = true;
  // A cancellation takes the rest of the order's points and the rest of its basis.
  const Points clawback = order.earned - order.clawed;
  order.clawed = order.earned;
  take_back_order_points(order, clawback, entry.recorded());
  take_back_spend(order, order.basis, entry.recorded());
  account_.orders -= 1;
  tiers_.record(TierMetric::orders, entry.recorded(), -1);
  record_activity(entry, EntryType::order_cancelled, -clawback);
  take_back_entry_points(tiers_.effective(entry.recorded()), entry);
}

void Replayer::earn(const LedgerEntry& entry, std::size_t index) {
  const EarnRule* rule = program_.find_rule(entry.rule_id);
  if (!rule)
    warn(entry_path(index, "ruleId"),
         "unknown earn rule \"" + entry.rule_id + "\"; its points are applied anyway");
  Points points = 0;
  if (entry.points) {
    if (*entry.points < 0) {
      warn(entry_path(index, "points"), "earned points cannot be negative; the entry is ignored");
      return;
    }
    points = std::min(*entry.points, kMaxSafeInteger);
  } else if (rule) {
    bool saturated = false;
    points = compute_rule_earn(program_, rule->id, rule->points, entry.at, saturated).total;
  }
  // Claim limits count the claim in the period the shopper made it, whenever it was recorded;
  // a claim beyond the rule's limit pays nothing, so replay agrees with what the launcher offers.
  std::vector<EpochSeconds>& claims = account_.claims[entry.rule_id];
  if (rule && !within_claim_limit(program_, *rule, claims, entry.at)) {
    warn(entry_path(index, "ruleId"), "claim of \"" + entry.rule_id +
                                          "\" beyond the rule's limit (" +
                                          std::string(to_string(rule->limit)) + "); ignored");
    return;
  }
  claims.push_back(entry.at);
  credit_earned(points, entry.recorded(), index, true);
  record_activity(entry, EntryType::earn, points);
}

void Replayer::referral(const LedgerEntry& entry, std::size_t index) {
  Points points = 0;
  if (entry.points) {
    if (*entry.points < 0) {
      warn(entry_path(index, "points"), "referral points cannot be negative; the entry is ignored");
      return;
    }
    points = std::min(*entry.points, kMaxSafeInteger);
  } else {
    // The advocate's points from the program: referral.advocate, else the referral earn rule.
    const EarnRule* rule = program_.find_rule_of_type(EarnType::referral);
    Points base = program_.referral.advocate_points;
    if (base <= 0 && rule) base = rule->points;
    bool saturated = false;
    points = compute_rule_earn(program_, rule ? std::string_view(rule->id) : "", base, entry.at,
                               saturated)
                 .total;
  }
  credit_earned(points, entry.recorded(), index, true);
  record_activity(entry, EntryType::referral, points);
}

void Replayer::redeem(const LedgerEntry& entry, std::size_t index) {
  const Reward* reward = program_.find_reward(entry.reward_id);
  if (!reward)
    warn(entry_path(index, "rewardId"),
         "unknown reward \"" + entry.reward_id + "\"; its points are applied anyway");
  Points points = 0;
  if (entry.points)
    points = *entry.points;
  else if (reward && !reward->incremental)
    points = reward->cost;
  if (points <= 0) {
    warn(entry_path(index, "points"), "a redemption needs a positive number of points; ignored");
    return;
  }
  // With a summary the ledger is only recent history and cannot cover the balance: the entry is
  // activity only, and the summary decides the balance.
  if (customer_.summary) {
    record_activity(entry, EntryType::redeem, -points);
    return;
  }
  // A backend never writes a redemption the balance cannot cover, so one is a data error: skip it
  // rather than push the balance below zero.
  if (points > account_.balance) {
    warn(entry_path(index, "points"),
         "redeeming " + std::to_string(points) + " points exceeds the balance of " +
             std::to_string(account_.balance) + "; the redemption is skipped");
    return;
  }
  account_.balance -= lots_.take(points);
  account_.spent = saturating_add(account_.spent, points);
  if (program_.expiry.activity == ExpiryActivity::any) touch(entry.recorded());
  record_activity(entry, EntryType::redeem, -points);
}

void Replayer::sweep(const LedgerEntry& entry, std::size_t index) {
  if (!entry.points || *entry.points <= 0) {
    warn(entry_path(index, "points"), "an expire entry needs a positive number of points; ignored");
    return;
  }
  if (customer_.summary) {
    record_activity(entry, EntryType::expire, -*entry.points);
    return;
  }
  if (*entry.points > account_.balance)
    warn(entry_path(index, "points"),
         "expiring " + std::to_string(*entry.points) + " points exceeds the balance of " +
             std::to_string(account_.balance) + "; only the balance expires");
  // A backend's own sweep removes points oldest first, like spending.
  const Points removed = lots_.take(std::min(*entry.points, account_.balance));
  account_.balance -= removed;
  account_.expired = saturating_add(account_.expired, removed);
  record_activity(entry, EntryType::expire, -removed);
}

void Replayer::adjust(const LedgerEntry& entry, std::size_t index) {
  if (!entry.points) {
    warn(entry_path(index, "points"), "an adjustment needs points; ignored");
    return;
  }
  const Points points = std::clamp(*entry.points, -kMaxSafeInteger, kMaxSafeInteger);
  // Positive adjustments are earnings; negative ones never reduce what was earned.
  if (points > 0)
    credit_earned(points, entry.recorded(), index, true);
  else
    take_or_owe(-points);
  record_activity(entry, EntryType::adjust, points);
}

void Replayer::assign_tier(const LedgerEntry& entry, std::size_t index) {
  const int tier = program_.tier_index(entry.tier_id);
  if (tier < 0) {
    warn(entry_path(index, "tierId"),
         "unknown tier \"" + entry.tier_id + "\"; the assignment is ignored");
    return;
  }
  tiers_.assign(tier, entry.until);
  record_activity(entry, EntryType::tier_change, 0);
}

void Replayer::award_tier_entry_points(const LedgerEntry& entry, std::size_t index) {
  award_tier_entry_points(entry.id, entry.at, entry.recorded(), index);
}

void Replayer::award_tier_entry_points(const std::string& entry_id, EpochSeconds shown_at,
                                       EpochSeconds at, std::size_t index) {
  if (!tiers_.enabled()) return;
  const TierProgram& program = program_.tiers;
  entry_paid_.resize(program.tiers.size(), 0);
  const int tier = tiers_.effective(at);
  // Entry points are paid when a tier is entered from below (by the metric or by an
  // assignment): once per customer ever, or with "each_time" again after the tier was lost.
  // Jumping several tiers at once pays each tier passed. They add to the balance and
  // lifetime_earned but not to the tier metric, so they cannot lift the tier themselves.
  for (int entered = tier_held_ + 1; entered <= tier; ++entered) {
    const auto position = static_cast<std::size_t>(entered);
    if (entry_paid_[position] && program.entry_points_repeat == EntryPointsRepeat::once) continue;
    entry_paid_[position] = 1;
    const Tier& reached = program.tiers[position];
    if (reached.entry_points <= 0) continue;
    const Points points = std::min(reached.entry_points, kMaxSafeInteger);
    credit_earned(points, at, index, false);
    Activity activity;
    activity.entry_id = entry_id;
    activity.type = EntryType::tier_change;
    activity.at = shown_at;
    activity.points = points;
    activity.tier_id = reached.id;
    account_.activity.push_back(std::move(activity));
  }
  tier_held_ = tier;
}

void Replayer::note_tier_after_advance(EpochSeconds at) {
  if (tiers_.enabled()) tier_held_ = std::min(tier_held_, tiers_.effective(at));
}

void Replayer::take_back_entry_points(int tier, const LedgerEntry& entry) {
  const TierProgram& program = program_.tiers;
  if (!program.entry_points_take_back) return;
  entry_paid_.resize(program.tiers.size(), 0);
  for (int lost = tier_held_; lost > tier; --lost) {
    const auto position = static_cast<std::size_t>(lost);
    if (!entry_paid_[position]) continue;
    entry_paid_[position] = 0;  // reaching it again pays again
    const Tier& dropped = program.tiers[position];
    if (dropped.entry_points <= 0) continue;
    const Points points = std::min(dropped.entry_points, kMaxSafeInteger);
    take_or_owe(points);
    account_.lifetime_earned = std::max<Points>(0, account_.lifetime_earned - points);
    Activity activity;
    activity.entry_id = entry.id;
    activity.type = EntryType::tier_change;
    activity.at = entry.at;
    activity.points = -points;
    activity.tier_id = dropped.id;
    account_.activity.push_back(std::move(activity));
  }
  tier_held_ = std::min(tier_held_, tier);
}

void Replayer::take_back_spend(OrderState& order, MinorUnits refunded, EpochSeconds at) {
  // A cancelled order never happened; a refunded one still counts when spend is gross.
  const bool cancelled = refunded >= order.basis && order.cancelled;
  if (!program_.tiers.spend_net_of_refunds && !cancelled) return;
  MinorUnits target = order.spend;
  if (order.basis > 0 && refunded < order.basis)
    target = mul_div_floor(order.spend, refunded, order.basis).value_or(order.spend);
  const MinorUnits taken = target - order.spend_taken;
  order.spend_taken = target;
  account_.amount_spent -= taken;
  tiers_.record(TierMetric::amount_spent, at, -taken);
}

void Replayer::apply_summary() {
  // The backend's own balances win; the ledger above still fed claims and activity.
  const Summary& summary = *customer_.summary;
  account_.balance = std::clamp<Points>(summary.balance, 0, kMaxSafeInteger);
  account_.lifetime_earned = std::max<Points>(summary.lifetime_earned, 0);
  account_.spent = std::max<Points>(summary.spent, 0);
  account_.owed = 0;
  if (summary.pending) {
    account_.pending = *summary.pending;
    account_.pending_points.clear();
    for (std::uint32_t index : order_by_time(summary.pending_points.size(), [&](std::size_t i) {
           return summary.pending_points[i].available_at;
         }))
      account_.pending_points.push_back(summary.pending_points[index]);
  }

  // Lots rebuilt from the summary's expiring points (soonest first), the rest without expiry.
  std::vector<ExpiringPoints> expiring;
  for (std::uint32_t index : order_by_time(summary.expiring.size(),
                                           [&](std::size_t i) { return summary.expiring[i].at; })) {
    const ExpiringPoints& item = summary.expiring[index];
    if (item.points > 0 && item.at > now_) expiring.push_back(item);
  }
  account_.next_expiry.reset();
  if (!expiring.empty()) account_.next_expiry = expiring.front();
  account_.lots.clear();
  Points left = account_.balance;
  for (const ExpiringPoints& item : expiring) {
    if (left <= 0) break;
    const Points part = std::min(item.points, left);
    account_.lots.push_back({now_, item.at, part});
    left -= part;
  }
  if (left > 0) account_.lots.push_back({now_, std::nullopt, left});

  TierStatus& tier = account_.tier;
  tier.progress = std::max<std::int64_t>(summary.tier_progress, 0);
  tier.retained_until = summary.tier_retained_until;
  tier.index = tier_for_value(program_.tiers, tier.progress);
  if (!summary.tier_id.empty()) {
    const int named = program_.tier_index(summary.tier_id);
    if (named >= 0)
      tier.index = named;
    else
      warn("/summary/tierId", "unknown tier \"" + summary.tier_id +
                                  "\"; the tier is derived from tierProgress instead");
  }
}

}  // namespace

Account replay(const Program& program, const Customer& customer, EpochSeconds now) {
  return Replayer(program, customer, now).run();
}

struct IncrementalReplay::State {
  State(const Program& program, Customer replayed, EpochSeconds now)
      : customer(std::move(replayed)), replayer(program, customer, now) {}

  // The replayer's key indexes point into these entries' strings, so neither moves once stored
  // (a deque keeps its elements in place as it grows).
  Customer customer;
  std::deque<LedgerEntry> appended;
  Replayer replayer;
};

IncrementalReplay::IncrementalReplay(const Program& program, Customer customer, EpochSeconds now)
    : state_(std::make_unique<State>(program, std::move(customer), now)) {
  state_->replayer.apply_ledger();
  state_->replayer.finish(now);
}

IncrementalReplay::~IncrementalReplay() = default;
IncrementalReplay::IncrementalReplay(IncrementalReplay&&) noexcept = default;
IncrementalReplay& IncrementalReplay::operator=(IncrementalReplay&&) noexcept = default;

bool IncrementalReplay::append(LedgerEntry entry, EpochSeconds now) {
  // A summary overrides the balances at the end of a replay: later entries can't build on it.
  if (state_->customer.summary ||
      entry.recorded() < state_->replayer.reached().value_or(entry.recorded()))
    return false;
  state_->appended.push_back(std::move(entry));
  state_->replayer.append(state_->appended.back(), entry_count() - 1);
  state_->replayer.finish(now);
  return true;
}

bool IncrementalReplay::advance(EpochSeconds now) {
  if (state_->customer.summary || now < state_->replayer.reached().value_or(now)) return false;
  state_->replayer.finish(now);
  return true;
}

const Account& IncrementalReplay::account() const { return state_->replayer.account(); }

std::optional<EpochSeconds> IncrementalReplay::reached() const {
  return state_->replayer.reached();
}

std::size_t IncrementalReplay::entry_count() const {
  return state_->customer.ledger.size() + state_->appended.size();
}

}  // namespace loyalty
