// Tier tracking while a ledger is replayed: the metric in its window, retention and merchant
// assignments, so that every event sees the tier in force at its own instant.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "loyalty/account.hpp"
#include "loyalty/program.hpp"

namespace loyalty {

/// Highest tier whose threshold <= value, or -1.
int tier_for_value(const TierProgram& tiers, std::int64_t value);

class TierTracker {
 public:
  TierTracker(const TierProgram& tiers, const TimeZone& zone);

  bool enabled() const { return !tiers_.tiers.empty(); }
  TierMetric metric() const { return tiers_.metric; }

  /// Moves the clock forward to `at`: rolling entries leave the window and calendar years roll
  /// over (applying retention). Earlier instants than the last one are ignored.
  void advance(EpochSeconds at);

  /// A change of `kind` at the current instant; ignored unless `kind` is the tier metric.
  void record(TierMetric kind, EpochSeconds at, std::int64_t delta);

  /// A merchant assignment, held until `until` (exclusive) or for good.
  void assign(int index, std::optional<EpochSeconds> until);

  /// Tier from the metric alone, and the one in force (metric, retention, assignment).
  int computed() const;
  int effective(EpochSeconds at) const;

  TierStatus status(EpochSeconds now) const;

 private:
  void set_held(int from_exclusive, int to_inclusive, EpochSeconds until);

  const TierProgram& tiers_;
  const TimeZone& zone_;
  std::int64_t value_ = 0;
  std::optional<EpochSeconds> clock_;
  // calendar_year: the end of the year being counted.
  EpochSeconds year_end_ = 0;
  // rolling: metric changes still inside the window, oldest first, from window_head_ on.
  std::vector<std::pair<EpochSeconds, std::int64_t>> window_;
  std::size_t window_head_ = 0;
  // Per tier index: held by retention until this instant (exclusive).
  std::vector<std::optional<EpochSeconds>> held_until_;
  int assigned_ = -1;
  std::optional<EpochSeconds> assigned_until_;
};

}  // namespace loyalty
