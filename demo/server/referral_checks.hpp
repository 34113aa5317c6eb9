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
/// credits the advocate with a `referral` ledger entry. The friend's coupon is the one their
/// mailbox was offered (offer_friend_reward), else a new one. Records every attempt, so the per-IP
/// limit counts refused ones too. Call inside a write transaction; `storage_ok` turns false on
/// a storage error (then roll the transaction back).
ReferralOutcome qualify_referral(Database& db, const Program& rules, const ReferralClaim& claim,
                                 std::int64_t ip_limit_per_week, EpochSeconds now,
                                 bool& storage_ok);

/// What a referred friend asks for on the shop's page (POST /v1/referrals/friend).
struct FriendOfferClaim {
  std::string code;
  std::string email;
  std::string ip;  // the caller's address
};

struct FriendOfferOutcome {
  bool created = false;  // a new offer; false without a refusal: the mailbox's offer again
  std::string refusal;   // referral.* key
  std::string message;
  std::string path;
  std::string advocate_first_name;
  std::string coupon;
};

/// Offers the program's friend reward to the mailbox of `claim.email` under the referral code
/// `claim.code`: one coupon per mailbox, kept in friend_offers.hpp's table. The same mailbox
/// asking again with the same code gets its coupon again (nothing recorded, nothing counted).
/// Otherwise runs the checks of CONTRACT.md "The friend's side of referrals", in that order,
/// and records the attempt in `referral_claims` (outcome "offered" or the refusal key, never
/// "qualified"), so the per-IP weekly limit counts it and the advocate's credit still waits for
/// the friend's order. Call inside a write transaction; `storage_ok` turns false on a storage
/// error (then roll the transaction back).
FriendOfferOutcome offer_friend_reward(Database& db, const Program& rules,
                                       const FriendOfferClaim& claim,
                                       std::int64_t ip_limit_per_week, EpochSeconds now,
                                       bool& storage_ok);

/// The friend's coupon in answers: {"code", "type", "value", "percent", "minOrder"}.
nlohmann::json friend_reward_json(const Program& rules, const std::string& coupon);

}  // namespace loyalty::server
