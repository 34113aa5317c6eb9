// The merchant's admin API (X-Admin-Key): publishing and listing program versions, creating and
// updating customers, reading a customer's whole ledger and adjusting points. The expiry sweep
// is in expiry_sweep.cpp, the notifications outbox in notification_routes.cpp.
#include "backend.hpp"
#include "backend_helpers.hpp"
#include "loyalty/account.hpp"
#include "loyalty/engine.hpp"
#include "notifications.hpp"
#include "program_store.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

json diagnostics_json(const std::vector<Diagnostic>& diagnostics, Severity severity) {
  json list = json::array();
  for (const auto& d : diagnostics)
    if (d.severity == severity) list.push_back({{"path", d.path}, {"message", d.message}});
  return list;
}

}  // namespace

ApiResponse Backend::put_program(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  BodyReader body(request.body);  // malformed JSON is a 400, not a program error
  if (body.failed()) return *body.error();
  auto parsed = parse_program(request.body);
  if (!parsed.ok()) {
    std::string path;
    std::string message = first_error(parsed.diagnostics, path);
    return error_response(422, "program.invalid", path + ": " + message, path,
                          {{"errors", diagnostics_json(parsed.diagnostics, Severity::error)},
                           {"warnings", diagnostics_json(parsed.diagnostics, Severity::warning)}});
  }
  if (auto zone_error = give_system_time_zone(*parsed.value))
    return error_response(422, "program.invalid", "/timeZone: " + *zone_error, "/timeZone");
  std::optional<std::int64_t> version;
  const bool committed = writes_->run([&](Database& db) {
    version = insert_program(db, request.body, unix_now());
    return version.has_value();
  });
  if (!committed || !version) return storage_failure();
  set_program(request.body, std::move(*parsed.value), *version);
  return json_response(201,
                       {{"version", *version},
                        {"warnings", diagnostics_json(parsed.diagnostics, Severity::warning)}});
}

ApiResponse Backend::list_programs(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  Database* db = database();
  if (!db) return storage_failure();
  std::vector<StoredProgram> stored;
  if (!list_program_versions(*db, stored)) return storage_failure();
  json versions = json::array();
  for (const StoredProgram& version : stored)
    versions.push_back(
        {{"version", version.version}, {"publishedAt", format_instant(version.published_at, 0)}});
  return json_response(200, {{"versions", versions}});
}

ApiResponse Backend::put_customer(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  std::string customer_id = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  if (!is_valid_customer_id(customer_id))
    return error_response(400, "request.invalidCustomerId",
                          "Customer ids match [A-Za-z0-9_-]{1,64}.");
  BodyReader body(request.body);
  auto read = read_customer_body(body);
  if (!read) return *body.error();
  const std::optional<std::string>& first_name = read->first_name;
  const std::optional<std::string>& email = read->email;
  const std::optional<std::string>& referral_code = read->referral_code;
  std::optional<Birthday>& birthday = read->birthday;
  if (referral_code && !is_valid_customer_id(*referral_code))
    return error_response(400, "request.invalidField",
                          "/referralCode: letters, digits, '-' and '_' only", "/referralCode");
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  const EpochSeconds now = unix_now();

  Customer customer;
  int answer_status = 200;
  std::optional<ApiResponse> result;
  const bool committed = writes_->run([&](Database& connection) {
    Database* db = &connection;
    auto status = load_customer(*db, customer_id, customer);
    if (status == LoadStatus::storage_error) {
      result = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found) {
      answer_status = 201;
      customer.id = customer_id;
      customer.first_name = first_name.value_or("");
      customer.email = email.value_or("");
      customer.joined_at = now;
      customer.referral_code = referral_code.value_or(make_referral_code(customer.first_name));
      if (birthday) {
        birthday->added_at = now;
        customer.birthday = birthday;
      }
      if (const EarnRule* signup = rules.find_rule_of_type(EarnType::signup);
          signup && signup->enabled) {
        Account empty = replay(rules, customer, now);
        EarnBreakdown earned = earn_for_rule(rules, empty, *signup, now);
        if (earned.refusal.empty() && earned.total > 0)
          customer.ledger.push_back(new_earn_entry(customer, signup->id, earned.total, now));
      }
      if (!insert_customer(*db, customer, now)) {
        if (referral_code) {
          result =
              error_response(409, "customer.referralCodeTaken",
                             "Another customer already has this referral code.", "/referralCode");
          return false;
        }
        {
          result = storage_failure();
          return false;
        }
      }
      if (!customer.ledger.empty()) {  // the sign-up points
        Customer before = customer;
        before.ledger.clear();
        if (!queue_entry_notifications(*db, rules, before, customer.ledger.back(), now)) {
          result = storage_failure();
          return false;
        }
      }
    } else {
      if (first_name) customer.first_name = *first_name;
      if (email) customer.email = *email;
      if (birthday) {
        bool changed = !customer.birthday || customer.birthday->month != birthday->month ||
                       customer.birthday->day != birthday->day;
        birthday->added_at =
            changed ? std::optional<EpochSeconds>(now) : customer.birthday->added_at;
        customer.birthday = birthday;
      }
      if (!update_customer_profile(*db, customer)) {
        result = storage_failure();
        return false;
      }
    }
    return true;
  });
  if (!committed) return storage_failure();
  if (result) return *result;
  Account account = replay(rules, customer, now);
  return text_response(
      answer_status,
      "{\"customer\":" + customer_json(rules, customer, account, kCustomerLedgerLimit) + "}");
}

ApiResponse Backend::get_customer_admin(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  std::string customer_id = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  auto published = program();
  if (!published) return no_program();
  Database* db = database();
  if (!db) return storage_failure();
  Customer customer;
  LoadStatus status;
  {
    Transaction snapshot(*db, Transaction::Kind::read);
    status = load_customer(*db, customer_id, customer);
  }
  if (status == LoadStatus::storage_error) return storage_failure();
  if (status == LoadStatus::not_found) return unknown_customer(customer_id);
  Account account = replay(published->program, customer, unix_now());
  // The merchant sees the whole ledger, not only the newest entries.
  return text_response(
      200, customer_json(published->program, customer, account, customer.ledger.size()));
}

ApiResponse Backend::post_adjustment(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  std::string customer_id = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  BodyReader body(request.body);
  auto read = read_adjustment_body(body);
  if (!read) return *body.error();
  if (read->points == 0)
    return error_response(400, "request.invalidField", "/points: must not be 0", "/points");
  auto published = program();
  if (!published) return no_program();
  const EpochSeconds now = unix_now();

  Customer customer;
  LedgerEntry entry;
  std::optional<ApiResponse> result;
  const bool committed = writes_->run([&](Database& connection) {
    Database* db = &connection;
    auto status = load_customer(*db, customer_id, customer);
    if (status == LoadStatus::storage_error) {
      result = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found) {
      result = unknown_customer(customer_id);
      return true;
    }
    entry.id = new_entry_id();
    entry.type = EntryType::adjust;
    entry.at = now;
    entry.recorded_at = recording_instant(customer, now);
    entry.points = read->points;
    entry.reason = read->reason;
    if (!append_entry(*db, customer_id, entry) ||
        !queue_entry_notifications(*db, published->program, customer, entry, now)) {
      result = storage_failure();
      return false;
    }
    return true;
  });
  if (!committed) return storage_failure();
  if (result) return *result;
  customer.ledger.push_back(entry);
  Account account = replay(published->program, customer, now);
  return text_response(
      201, "{\"entry\":" + ledger_entry_json(entry) + ",\"customer\":" +
               customer_json(published->program, customer, account, kCustomerLedgerLimit) + "}");
}

}  // namespace loyalty::server
