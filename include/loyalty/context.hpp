// Where and when the launcher is shown. The core reads no clock and no page: all of it is input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/customer.hpp"
#include "loyalty/result.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

struct CartItem {
  std::string product_id;
  std::int64_t quantity = 1;
  MinorUnits price = 0;                  // unit price
  std::vector<std::string> collections;  // collection or tag ids, for earn-rule exclusions
  LineKind kind = LineKind::product;
};

struct Cart {
  std::string currency;  // must equal the program's currency
  OrderAmounts amounts;
  std::vector<CartItem> items;
  Points points_applied = 0;  // points already redeemed on this cart
};

/// Who sent a visitor who came through a referral link, as the backend's public lookup
/// (GET /v1/referrals/{code}) answered it.
struct ReferredBy {
  std::string code;
  std::string advocate_first_name;
};

struct Context {
  EpochSeconds now = 0;
  int now_offset_minutes = 0;
  std::string locale = "en";
  std::optional<Cart> cart;
  std::string page_url;
  // The friend's referral reward as the web layer words it ("$10.00 off"): only the page has the
  // shopper's catalog and Intl, so it passes the words in and the core fills them into the share
  // message and URLs. Empty: "{friendReward}" stays as written.
  std::string friend_reward_text;
  std::optional<ReferredBy> referred_by;
  // The offsets of the program's `timeZone`, from the caller's time-zone data (Intl, tzdata).
  std::optional<NamedTimeZone> time_zone;
};

Result<Context> parse_context(std::string_view json_text);

}  // namespace loyalty
