// The friend's side of referrals: the coupon offered to a referred friend's mailbox on the
// shop's page, before their first order (POST /v1/referrals/friend), kept in `friend_offers`:
// one offer per mailbox, and the same coupon again when that friend's order qualifies.
#pragma once

#include <string>
#include <string_view>

#include "customer_store.hpp"
#include "database.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {

/// One row of `friend_offers`.
struct FriendOffer {
  std::string email_key;  // normalize_email() of the friend's address: one offer per mailbox
  std::string code;       // the referral code it was offered under
  std::string advocate_id;
  std::string coupon;  // "REF-…", the friend's coupon
  EpochSeconds created_at = 0;
};

/// The offer held by the mailbox `email_key`.
LoadStatus find_friend_offer(Database& db, std::string_view email_key, FriendOffer& out);

/// Stores a new offer. False on a storage error or when the mailbox already holds one.
bool insert_friend_offer(Database& db, const FriendOffer& offer);

}  // namespace loyalty::server
