#include "referral_store.hpp"

namespace loyalty::server {
namespace {

/// The single 0/1 or count a query with one text parameter answers; false on a storage error.
bool read_number(Statement&& query, std::string_view text, std::int64_t& out) {
  query.bind(1, text);
  if (!query.step()) return false;
  out = query.integer(0);
  return true;
}

/// The same for a 0/1 condition (EXISTS …).
bool read_condition(Statement&& query, std::string_view text, bool& out) {
  std::int64_t number = 0;
  if (!read_number(std::move(query), text, number)) return false;
  out = number != 0;
  return true;
}

}  // namespace

bool record_referral_attempt(Database& db, const ReferralAttempt& attempt, EpochSeconds now) {
  auto record = db.prepare(
      "INSERT INTO referral_claims (advocate_id, code, friend_email_key, friend_customer_id, "
      "order_id, ip, outcome, points, friend_coupon, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (attempt.advocate_id)
    record.bind(1, *attempt.advocate_id);
  else
    record.bind_null(1);
  record.bind(2, attempt.code).bind(3, attempt.friend_key).bind(4, attempt.friend_customer_id);
  record.bind(5, attempt.order_id).bind(6, attempt.ip).bind(7, attempt.outcome);
  record.bind(8, attempt.points).bind(9, attempt.friend_coupon).bind(10, now);
  return record.run();
}

bool count_referral_attempts(Database& db, std::string_view ip, EpochSeconds since,
                             std::int64_t& count) {
  auto query = db.prepare("SELECT COUNT(*) FROM referral_claims WHERE ip = ?1 AND created_at > ?2");
  query.bind(2, since);
  return read_number(std::move(query), ip, count);
}

bool order_qualified_a_referral(Database& db, std::string_view order_id, bool& used) {
  return read_condition(db.prepare("SELECT EXISTS (SELECT 1 FROM referral_claims WHERE "
                                   "outcome = 'qualified' AND order_id = ?1)"),
                        order_id, used);
}

bool mailbox_was_referred(Database& db, std::string_view friend_key, bool& used) {
  return read_condition(db.prepare("SELECT EXISTS (SELECT 1 FROM referral_claims WHERE "
                                   "outcome = 'qualified' AND friend_email_key = ?1)"),
                        friend_key, used);
}

}  // namespace loyalty::server
