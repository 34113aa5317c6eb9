// Points as lots (first in, first out) and when they expire under the program's policy.
#pragma once

#include <optional>
#include <vector>

#include "loyalty/account.hpp"
#include "loyalty/program.hpp"

namespace loyalty {

/// When points earned at `earned_at` expire: for `lots` mode the local midnight starting the
/// month after the Nth month following the month earned (earned 2025-01-15, N = 12 ->
/// 2026-02-01T00:00 in the shop's offset). None for the other modes.
std::optional<EpochSeconds> lot_expiry(const ExpiryPolicy& policy, int utc_offset_minutes,
                                       EpochSeconds earned_at);

/// The spendable balance as lots, oldest first. Lots earned in time order expire in time order,
/// so spending, sweeps and expiry all work from the front.
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

  /// Removes the oldest non-empty lot and returns its points.
  Points drop_oldest();

  /// The lots still holding points, oldest first.
  std::vector<Lot> remaining() const;

 private:
  void skip_empty();

  std::vector<Lot> lots_;
  std::size_t head_ = 0;
};

}  // namespace loyalty
