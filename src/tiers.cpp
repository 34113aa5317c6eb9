#include "tiers.hpp"

#include <algorithm>

#include "periods.hpp"

namespace loyalty {

namespace {

std::int64_t rolling_seconds(const TierProgram& tiers) {
  return static_cast<std::int64_t>(std::max(tiers.rolling_days, 0)) * kSecondsPerDay;
}

}  // namespace

int tier_for_value(const TierProgram& tiers, std::int64_t value) {
  int index = -1;
  for (std::size_t i = 0; i < tiers.tiers.size(); ++i)
    if (tiers.tiers[i].threshold <= value) index = static_cast<int>(i);
  return index;
}

TierTracker::TierTracker(const TierProgram& tiers, const TimeZone& zone)
    : tiers_(tiers), zone_(zone), held_until_(tiers.tiers.size()) {}

void TierTracker::set_held(int from_exclusive, int to_inclusive, EpochSeconds until) {
  for (int i = std::max(from_exclusive + 1, 0); i <= to_inclusive; ++i) {
    auto& held = held_until_[static_cast<std::size_t>(i)];
    if (!held || *held < until) held = until;
  }
}

void TierTracker::advance(EpochSeconds at) {
  if (!enabled()) return;
  if (clock_ && at <= *clock_) return;
  const bool retains = tiers_.retention == TierRetention::next_period;

  if (tiers_.window == TierWindow::calendar_year) {
    if (!clock_) {
      year_end_ = calendar_year(at, zone_).end;
    } else if (at >= year_end_) {
      // Retention judges the tier held at the year's end, net of refunds, so a refunded order
      // cannot buy a year of status.
      const int reached = computed();
      const Period year = calendar_year(at, zone_);
      // Kept until the end of the following window, which is only the current one when the
      // new year directly follows the finished one.
      if (retains && year.start == year_end_) set_held(-1, reached, year.end);
      value_ = 0;
      year_end_ = year.end;
    }
  } else if (tiers_.window == TierWindow::rolling) {
    // The window is (at - days, at]: a change made at s leaves it at s + days.
    const std::int64_t span = rolling_seconds(tiers_);
    while (window_head_ < window_.size() && window_[window_head_].first + span <= at) {
      const EpochSeconds left_at = window_[window_head_].first + span;
      const int before = computed();
      value_ -= window_[window_head_].second;
      ++window_head_;
      // Rolling retention: a tier is kept for `days` after the instant it stopped qualifying.
      if (retains) {
        const int after = computed();
        if (after < before) set_held(after, before, left_at + span);
      }
    }
    // Drop consumed entries now and then so the buffer stays proportional to the window.
    if (window_head_ > 4096 && window_head_ * 2 > window_.size()) {
      window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(window_head_));
      window_head_ = 0;
    }
  }
  clock_ = at;
}

void TierTracker::record(TierMetric kind, EpochSeconds at, std::int64_t delta) {
  if (!enabled() || kind != tiers_.metric || delta == 0) return;
  advance(at);
  value_ = saturating_add(value_, delta);
  if (tiers_.window == TierWindow::rolling) window_.emplace_back(clock_.value_or(at), delta);
}

void TierTracker::assign(int index, std::optional<EpochSeconds> until) {
  assigned_ = index;
  assigned_until_ = until;
}

// A clawback in a later window than its order can take the window's sum below zero; that never
// drops the shopper below what an empty window gives.
int TierTracker::computed() const {
  return tier_for_value(tiers_, std::max<std::int64_t>(value_, 0));
}

int TierTracker::effective(EpochSeconds at) const {
  int index = computed();
  for (int i = static_cast<int>(held_until_.size()) - 1; i > index; --i) {
    const auto& held = held_until_[static_cast<std::size_t>(i)];
    if (held && at < *held) {
      index = i;
      break;
    }
  }
  if (assigned_ > index && (!assigned_until_ || at < *assigned_until_)) index = assigned_;
  return index;
}

TierStatus TierTracker::status(EpochSeconds now) const {
  TierStatus status;
  if (!enabled()) return status;
  const int computed_index = computed();
  status.index = effective(now);
  // Clawbacks in a later window can take the window's sum below zero; show no progress instead.
  status.progress = std::max<std::int64_t>(value_, 0);
  if (tiers_.window == TierWindow::calendar_year) {
    const Period year = calendar_year(now, zone_);
    status.window_start = year.start;
    status.window_end = year.end;
  } else if (tiers_.window == TierWindow::rolling) {
    // Rolling windows are (start, end] and end now.
    status.window_start = now - rolling_seconds(tiers_);
    status.window_end = now;
  }
  if (status.index > computed_index) {
    if (status.index == assigned_ && (!assigned_until_ || now < *assigned_until_))
      status.retained_until = assigned_until_;
    else
      status.retained_until = held_until_[static_cast<std::size_t>(status.index)];
  }
  return status;
}

}  // namespace loyalty
