// Points as lots (first in, first out) and when they expire under the program's policy.
#pragma once

#include <optional>
#include <vector>

#include "loyalty/account.hpp"
#include "loyalty/program.hpp"

namespace loyalty {

/// When points earned at `earned_at` expire: for `lots` mode the local midnight ending the Nth
/// period after the period earned (months: earned 2025-01-15, N = 12 -> 2026-02-01T00:00 in the
/// shop's offset; quarters: earned 2025-05-15, N = 1 -> 2025-10-01; years: N = 0 -> the next
/// January 1). None for the other modes.
std::optional<EpochSeconds> lot_expiry(const ExpiryPolicy& policy, const TimeZone& zone,
                                       EpochSeconds earned_at);

/// When an `inactivity` balance expires after activity at `last_activity`: `days` later, or
/// `months` calendar months later at the same local time (the day clamped to the month's
/// length). None for the other modes.
std::optional<EpochSeconds> inactivity_deadline(const ExpiryPolicy& policy, const TimeZone& zone,
                                                EpochSeconds last_activity);

/// The spendable balance as lots, oldest first: spending and sweeps work from the front, and so
/// does expiry while lots expire in the order they were earned.
class LotQueue {
 public:
  void reserve(std::size_t count) { lots_.reserve(count); }

  /// Adds points; merged into the newest lot when it expires at the same instant, which keeps
  /// one lot per month in `lots` mode and a single lot when nothing expires.
  void add(EpochSeconds earned_at, std::optional<EpochSeconds> expires_at, Points points);

  /// Removes up to `points`, oldest first; returns how many were removed.
  Points take(Points points);

  /// The oldest non-empty lot, or nullptr.
  const Lot* oldest() const;

  /// The soonest expiry among the lots holding points. Lots usually expire in the order they
  /// were earned (then this is the oldest's); a tier's own policy can break that order.
  std::optional<EpochSeconds> earliest_expiry() const;
  /// Points of the lots expiring at `expires_at`.
  Points points_expiring_at(EpochSeconds expires_at) const;
  /// Empties the lots expiring at `expires_at` and returns their points.
  Points drop_expiring_at(EpochSeconds expires_at);

  /// The lots still holding points, oldest first.
  std::vector<Lot> remaining() const;

 private:
  void skip_empty();

  std::vector<Lot> lots_;
  std::size_t head_ = 0;
  bool in_expiry_order_ = true;  // every lot expires no earlier than the one before it
};

}  // namespace loyalty
