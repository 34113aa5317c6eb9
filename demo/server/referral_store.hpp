// Referral attempts in `referral_claims`: every attempt, refused ones included, for the per-address
// limit; the qualified ones also say which orders and mailboxes a referral already used.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "database.hpp"
#include "loyalty/money.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {

/// One row of `referral_claims`.
struct ReferralAttempt {
  std::optional<std::string_view> advocate_id;  // NULL for an unknown code
  std::string_view code;
  std::string_view friend_key;  // normalize_email() of the friend's address
  std::string_view friend_customer_id;
  std::string_view order_id;
  std::string_view ip;
  std::string_view outcome;  // "qualified", "offered" or the refusal key
  Points points = 0;
  std::string_view friend_coupon;
};

bool record_referral_attempt(Database& db, const ReferralAttempt& attempt, EpochSeconds now);

/// Attempts recorded from `ip` after `since` into `count`; false on a storage error.
bool count_referral_attempts(Database& db, std::string_view ip, EpochSeconds since,
                             std::int64_t& count);

/// Whether a qualified referral already used the order `order_id` (into `used`).
bool order_qualified_a_referral(Database& db, std::string_view order_id, bool& used);

/// Whether a qualified referral already used the mailbox `friend_key` (into `used`).
bool mailbox_was_referred(Database& db, std::string_view friend_key, bool& used);

}  // namespace loyalty::server
