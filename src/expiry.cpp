#include "expiry.hpp"

#include <algorithm>

namespace loyalty {

std::optional<EpochSeconds> lot_expiry(const ExpiryPolicy& policy, const TimeZone& zone,
                                       EpochSeconds earned_at) {
  if (policy.mode != ExpiryMode::lots) return std::nullopt;
  const CivilDate earned = local_date(earned_at, zone);
  // Capped at 10,000 years so that no program value can overflow the month arithmetic.
  switch (policy.lot_period) {
    case ExpiryPeriod::quarter: {
      const CivilDate quarter_start{earned.year, (earned.month - 1) / 3 * 3 + 1, 1};
      const int months = 3 * (std::clamp(policy.lot_periods, 0, 40000) + 1);
      return local_midnight(add_months(quarter_start, months), zone);
    }
    case ExpiryPeriod::year: {
      const CivilDate year_start{earned.year, 1, 1};
      const int months = 12 * (std::clamp(policy.lot_periods, 0, 10000) + 1);
      return local_midnight(add_months(year_start, months), zone);
    }
    case ExpiryPeriod::month:
      break;
  }
  const CivilDate first_of_month{earned.year, earned.month, 1};
  const int months = std::clamp(policy.lot_months, 0, 120000) + 1;
  return local_midnight(add_months(first_of_month, months), zone);
}

std::optional<EpochSeconds> inactivity_deadline(const ExpiryPolicy& policy, const TimeZone& zone,
                                                EpochSeconds last_activity) {
  if (policy.mode != ExpiryMode::inactivity) return std::nullopt;
  if (policy.inactivity_months > 0) {
    // The same local time of day, N calendar months on (Jan 31 + 1 month = Feb 28/29).
    const CivilDate later = add_months(local_date(last_activity, zone),
                                       std::clamp(policy.inactivity_months, 0, 120000));
    return local_time(later, local_seconds_of_day(last_activity, zone), zone);
  }
  if (policy.inactivity_days <= 0) return std::nullopt;
  return saturating_add(last_activity, policy.inactivity_days * kSecondsPerDay);
}

void LotQueue::add(EpochSeconds earned_at, std::optional<EpochSeconds> expires_at, Points points) {
  if (points <= 0) return;
  if (lots_.size() > head_ && lots_.back().expires_at == expires_at) {
    lots_.back().remaining = saturating_add(lots_.back().remaining, points);
    return;
  }
  if (lots_.size() > head_) {
    const auto& before = lots_.back().expires_at;
    // "Never" sorts last: an expiring lot after a lot that never expires, or one expiring
    // earlier than the last, breaks the order.
    if (expires_at && (!before || *expires_at < *before)) in_expiry_order_ = false;
  }
  lots_.push_back({earned_at, expires_at, points});
}

std::optional<EpochSeconds> LotQueue::earliest_expiry() const {
  if (in_expiry_order_) {
    const Lot* front = oldest();
    return front ? front->expires_at : std::nullopt;
  }
  std::optional<EpochSeconds> soonest;
  for (std::size_t i = head_; i < lots_.size(); ++i) {
    const Lot& lot = lots_[i];
    if (lot.remaining > 0 && lot.expires_at && (!soonest || *lot.expires_at < *soonest))
      soonest = lot.expires_at;
  }
  return soonest;
}

Points LotQueue::points_expiring_at(EpochSeconds expires_at) const {
  Points points = 0;
  for (std::size_t i = head_; i < lots_.size(); ++i)
    if (lots_[i].remaining > 0 && lots_[i].expires_at == expires_at)
      points = saturating_add(points, lots_[i].remaining);
  return points;
}

Points LotQueue::drop_expiring_at(EpochSeconds expires_at) {
  Points points = 0;
  for (std::size_t i = head_; i < lots_.size(); ++i) {
    Lot& lot = lots_[i];
    if (lot.remaining > 0 && lot.expires_at == expires_at) {
      points = saturating_add(points, lot.remaining);
      lot.remaining = 0;
      if (in_expiry_order_) break;  // in order, lots sharing an expiry were merged into one
    }
  }
  skip_empty();
  return points;
}

void LotQueue::skip_empty() {
  while (head_ < lots_.size() && lots_[head_].remaining <= 0) ++head_;
  // Reclaim the consumed front now and then so memory follows the live lots.
  if (head_ > 1024 && head_ * 2 > lots_.size()) {
    lots_.erase(lots_.begin(), lots_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

Points LotQueue::take(Points points) {
  Points taken = 0;
  while (points > taken) {
    skip_empty();
    if (head_ >= lots_.size()) break;
    Lot& lot = lots_[head_];
    const Points part = std::min(lot.remaining, points - taken);
    lot.remaining -= part;
    taken += part;
  }
  skip_empty();
  return taken;
}

const Lot* LotQueue::oldest() const {
  for (std::size_t i = head_; i < lots_.size(); ++i)
    if (lots_[i].remaining > 0) return &lots_[i];
  return nullptr;
}

std::vector<Lot> LotQueue::remaining() const {
  std::vector<Lot> out;
  for (std::size_t i = head_; i < lots_.size(); ++i)
    if (lots_[i].remaining > 0) out.push_back(lots_[i]);
  return out;
}

}  // namespace loyalty
