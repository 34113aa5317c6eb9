// Referrals: the shop's server reports a referred friend's order (POST /v1/referrals, admin key);
// the friend's side is public and rate-limited per address: what a code offers
// (GET /v1/referrals/{code}) and the friend's coupon (POST /v1/referrals/friend).
#include "backend.hpp"
#include "backend_helpers.hpp"
#include "referral_checks.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

/// What the public referral answers say of the advocate: the first name, null when the shop
/// never gave one.
json advocate_first_name(const std::string& first_name) {
  return first_name.empty() ? json(nullptr) : json(first_name);
}

}  // namespace

ApiResponse Backend::post_referral(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  BodyReader body(request.body);
  auto read = read_referral_body(body);
  if (!read) return *body.error();
  auto published = program();
  if (!published) return no_program();
  ReferralClaim claim;
  claim.code = read->code;
  claim.friend_email = read->friend_email;
  claim.friend_customer_id = read->friend_customer_id.value_or("");
  claim.order_id = read->order_id;
  claim.amount = read->amount;
  claim.ip = read->ip.value_or(request.remote_addr);

  ReferralOutcome outcome;
  bool storage_ok = true;
  const bool committed = writes_->run([&](Database& db) {
    outcome = qualify_referral(db, published->program, claim, config_.referral_claims_per_ip_week,
                               unix_now(), storage_ok);
    return storage_ok;
  });
  if (!committed || !storage_ok) return storage_failure();
  if (!outcome.qualified)
    return error_response(422, outcome.refusal, outcome.message, outcome.path);
  return json_response(
      201, {{"referral",
             {{"advocateId", outcome.advocate_id},
              {"advocatePoints", outcome.advocate_points},
              {"friendReward", friend_reward_json(published->program, outcome.friend_coupon)}}}});
}

ApiResponse Backend::get_referral(const Request& request) {
  const std::string code = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  if (!rules.referral.enabled)
    return error_response(404, "referral.disabled", "The program has no referral rewards.");
  // Every lookup costs a token of the caller's address, known codes or not: guessing codes to
  // collect first names is as slow as the bucket.
  std::optional<ApiResponse> limited;
  LoadStatus found = LoadStatus::not_found;
  Customer advocate;
  const bool committed = writes_->run([&](Database& db) {
    if ((limited = take_rate_token(db, "referral-lookup:" + request.remote_addr,
                                   config_.referral_lookup_limit)))
      return limited->status != 503;
    if (auto advocate_id = find_customer_by_referral_code(db, code))
      found = load_customer_row(db, *advocate_id, advocate);
    return found != LoadStatus::storage_error;
  });
  if (!committed) return storage_failure();
  if (limited) return *limited;
  if (found != LoadStatus::found)
    return error_response(404, "referral.unknownCode", "No customer has this referral code.");
  // The advocate's first name and nothing else of theirs; the reward without a coupon.
  json reward = friend_reward_json(rules, "");
  reward.erase("code");
  return json_response(200, {{"referral",
                              {{"code", code},
                               {"advocateFirstName", advocate_first_name(advocate.first_name)},
                               {"friendReward", std::move(reward)}}}});
}

ApiResponse Backend::post_friend_offer(const Request& request) {
  BodyReader body(request.body);
  auto read = read_friend_offer_body(body);
  if (!read) return *body.error();
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  const FriendOfferClaim claim{read->code, read->email, request.remote_addr};

  std::optional<ApiResponse> limited;
  FriendOfferOutcome outcome;
  bool storage_ok = true;
  const bool committed = writes_->run([&](Database& db) {
    if ((limited = take_rate_token(db, "referral-friend:" + request.remote_addr,
                                   config_.friend_offer_limit)))
      return limited->status != 503;
    outcome = offer_friend_reward(db, rules, claim, config_.referral_claims_per_ip_week, unix_now(),
                                  storage_ok);
    return storage_ok;
  });
  if (!committed || !storage_ok) return storage_failure();
  if (limited) return *limited;
  if (!outcome.refusal.empty())
    return error_response(422, outcome.refusal, outcome.message, outcome.path);
  return json_response(outcome.created ? 201 : 200,
                       {{"referral",
                         {{"advocateFirstName", advocate_first_name(outcome.advocate_first_name)},
                          {"friendReward", friend_reward_json(rules, outcome.coupon)}}}});
}

}  // namespace loyalty::server
