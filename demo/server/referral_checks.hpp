// Referral qualification: the fraud checks and the advocate's credit, shared by
// POST /v1/referrals and order events that carry a referral code.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "database.hpp"
#include "loyalty/money.hpp"
#include "loyalty/program.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {

/// The mailbox an address delivers to, for comparing people rather than spellings:
/// lowercased, "+tag" suffixes dropped, and for Gmail dots ignored and googlemail.com folded
/// into gmail.com. "A.da+shop@GoogleMail.com" -> "ada@gmail.com". "" when not an address.
std::string normalize_email(std::string_view email);

/// What one referral claim is about, from POST /v1/referrals or an order event.
struct ReferralClaim {
  std::string code;
  std::string friend_email;
  std::string friend_customer_id;
  std::string order_id;
  MinorUnits amount = 0;
  std::string ip;
};

struct ReferralOutcome {
  bool qualified = false;
  std::string refusal;  // referral.* key
  std::string message;
  std::string path;
  std::string advocate_id;
  Points advocate_points = 0;
  std::string friend_coupon;
};

/// Runs the fraud checks (CONTRACT.md "Backend details", in that order) and, when they pass,
/// credits the advocate with a `referral` ledger entry. Records every attempt, so the per-IP
/// limit counts refused ones too. Call inside a write transaction; `storage_ok` turns false on
/// a storage error (then roll the transaction back).
ReferralOutcome qualify_referral(Database& db, const Program& rules, const ReferralClaim& claim,
                                 std::int64_t ip_limit_per_week, EpochSeconds now,
                                 bool& storage_ok);

/// The friend's coupon in answers: {"code", "type", "value", "percent", "minOrder"}.
nlohmann::json friend_reward_json(const Program& rules, const std::string& coupon);

}  // namespace loyalty::server
