// The shopper API the launcher calls: GET /v1/program, GET /v1/customer (the customer document,
// from the account cache when it is current) and POST /v1/claims. Redemptions are in
// redemption_routes.cpp.
#include <mutex>

#include "backend.hpp"
#include "backend_helpers.hpp"
#include "loyalty/account.hpp"
#include "loyalty/engine.hpp"
#include "notifications.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

}  // namespace

ApiResponse Backend::get_program(const Request&) {
  auto published = program();
  if (!published)
    return error_response(404, "program.notPublished", "No loyalty program is published yet.");
  ApiResponse response;
  response.status = 200;
  response.body = published->document;
  response.headers.emplace_back("X-Program-Version", std::to_string(published->version));
  return response;
}

LoadStatus Backend::current_document(Database& db, const std::string& customer_id,
                                     const std::shared_ptr<const PublishedProgram>& published,
                                     std::string& document) {
  Transaction snapshot(db, Transaction::Kind::read);
  Customer row;
  std::int64_t version = 0;
  LoadStatus status = load_customer_row(db, customer_id, row, version);
  if (status != LoadStatus::found) return status;
  const EpochSeconds now = unix_now();
  auto cached = accounts_.get(customer_id);
  {
    std::lock_guard<std::mutex> lock(cached->mutex);
    if (cached->matches(&published->program, row, version, now)) {
      document = cached->document();
      return LoadStatus::found;
    }
  }
  // Not cached at this version: replay the stored ledger (outside the lock), and keep the result
  // unless the cache meanwhile holds a newer version (the writer's).
  Customer customer;
  std::int64_t loaded_version = 0;
  status = load_customer(db, customer_id, customer, loaded_version);
  if (status != LoadStatus::found) return status;
  CachedAccount fresh;
  fresh.rebuild(std::shared_ptr<const Program>(published, &published->program), std::move(customer),
                loaded_version, now);
  document = fresh.document();
  std::lock_guard<std::mutex> lock(cached->mutex);
  if (!cached->valid || cached->version < loaded_version) cached->take_from(fresh);
  return LoadStatus::found;
}

ApiResponse Backend::get_customer(const Request& request) {
  std::string customer_id;
  if (auto denied = authenticate_shopper(request, customer_id)) return *denied;
  std::string asked = request.has_param("customerId") ? request.get_param_value("customerId")
                      : request.matches.size() > 1    ? std::string(request.matches[1])
                                                      : customer_id;
  if (asked != customer_id)
    return error_response(403, "auth.otherCustomer",
                          "The shopper token belongs to another customer.");
  auto published = program();
  if (!published) return no_program();
  Database* db = database();
  if (!db) return storage_failure();
  std::string document;
  const LoadStatus status = current_document(*db, customer_id, published, document);
  if (status == LoadStatus::storage_error) return storage_failure();
  if (status == LoadStatus::not_found) {
    // Signed in at the shop but not enrolled: the launcher shows the join call to action.
    return json_response(200, {{"version", 1}, {"id", customer_id}, {"status", "guest"}});
  }
  return text_response(200, std::move(document));
}

ApiResponse Backend::post_claim(const Request& request) {
  std::string customer_id;
  if (auto denied = authenticate_shopper(request, customer_id)) return *denied;
  BodyReader body(request.body);
  auto rule_id = read_claim_body(body);
  if (!rule_id) return *body.error();
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  const EarnRule* rule = rules.find_rule(*rule_id);
  if (!rule || !rule->enabled)
    return error_response(404, "claim.unknownRule",
                          "The program has no way to earn with the id \"" + *rule_id + "\".",
                          "/ruleId");
  // Orders, referrals, sign-up and birthdays are awarded by the backend, never claimed.
  if (rule->type != EarnType::social_follow && rule->type != EarnType::social_share &&
      rule->type != EarnType::custom)
    return error_response(409, "claim.notClaimable",
                          "This way to earn is awarded automatically and can't be claimed.",
                          "/ruleId");

  const EpochSeconds now = unix_now();
  Customer customer;
  Points awarded = 0;
  std::optional<ApiResponse> refused;
  const bool committed = writes_->run([&](Database& db) {
    auto status = load_customer(db, customer_id, customer);
    if (status == LoadStatus::storage_error) {
      refused = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found || !customer.member) {
      refused = error_response(409, "claim.notMember", "Join the program to earn points.");
      return true;
    }
    if ((refused = take_rate_token(db, "claim:" + customer_id, config_.claim_limit)))
      return refused->status != 503;
    Account account = replay(rules, customer, now);
    EarnBreakdown earned = earn_for_rule(rules, account, *rule, now);
    if (!earned.refusal.empty()) {
      json extra = json::object();
      extra["nextEligibleAt"] = instant_or_null(earned.next_eligible_at);
      refused =
          error_response(409, earned.refusal, refusal_message(earned.refusal, 0), "/ruleId", extra);
      return true;  // keeps the spent rate-limit token
    }
    const LedgerEntry entry = new_earn_entry(customer, rule->id, earned.total, now);
    if (!append_entry(db, customer_id, entry) ||
        !queue_entry_notifications(db, rules, customer, entry, now)) {
      refused = storage_failure();
      return false;
    }
    customer.ledger.push_back(entry);
    awarded = earned.total;
    return true;
  });
  if (!committed) return storage_failure();
  if (refused) return *refused;
  Account after = replay(rules, customer, now);
  json claim = {{"ruleId", rule->id}, {"points", awarded}};
  return text_response(201, "{\"claim\":" + claim.dump() + ",\"customer\":" +
                                customer_json(rules, customer, after, kCustomerLedgerLimit) + "}");
}

}  // namespace loyalty::server
