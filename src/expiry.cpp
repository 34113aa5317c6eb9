#include "expiry.hpp"

#include <algorithm>

namespace loyalty {

std::optional<EpochSeconds> lot_expiry(const ExpiryPolicy& policy, int utc_offset_minutes,
                                       EpochSeconds earned_at) {
  if (policy.mode != ExpiryMode::lots) return std::nullopt;
  const CivilDate earned = local_date(earned_at, utc_offset_minutes);
  const CivilDate first_of_month{earned.year, earned.month, 1};
  // Capped at 10,000 years so that no program value can overflow the month arithmetic.
  const int months = std::clamp(policy.lot_months, 0, 120000) + 1;
  return local_midnight(add_months(first_of_month, months), utc_offset_minutes);
}

void LotQueue::add(EpochSeconds earned_at, std::optional<EpochSeconds> expires_at, Points points) {
  if (points <= 0) return;
  if (lots_.size() > head_ && lots_.back().expires_at == expires_at) {
    lots_.back().remaining = saturating_add(lots_.back().remaining, points);
    return;
  }
  lots_.push_back({earned_at, expires_at, points});
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

Points LotQueue::drop_oldest() {
  skip_empty();
  if (head_ >= lots_.size()) return 0;
  const Points points = lots_[head_].remaining;
  lots_[head_].remaining = 0;
  skip_empty();
  return points;
}

std::vector<Lot> LotQueue::remaining() const {
  std::vector<Lot> out;
  for (std::size_t i = head_; i < lots_.size(); ++i)
    if (lots_[i].remaining > 0) out.push_back(lots_[i]);
  return out;
}

}  // namespace loyalty
