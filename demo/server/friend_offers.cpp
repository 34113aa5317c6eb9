#include "friend_offers.hpp"

namespace loyalty::server {

LoadStatus find_friend_offer(Database& db, std::string_view email_key, FriendOffer& out) {
  auto row = db.prepare(
      "SELECT code, advocate_id, coupon, created_at FROM friend_offers WHERE friend_email_key = "
      "?1");
  row.bind(1, email_key);
  if (!row.step()) return row.ok() ? LoadStatus::not_found : LoadStatus::storage_error;
  out.email_key = std::string(email_key);
  out.code = row.text(0);
  out.advocate_id = row.text(1);
  out.coupon = row.text(2);
  out.created_at = row.integer(3);
  return LoadStatus::found;
}

bool insert_friend_offer(Database& db, const FriendOffer& offer) {
  auto insert = db.prepare(
      "INSERT INTO friend_offers (friend_email_key, code, advocate_id, coupon, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, offer.email_key).bind(2, offer.code).bind(3, offer.advocate_id);
  insert.bind(4, offer.coupon).bind(5, offer.created_at);
  return insert.run();
}

}  // namespace loyalty::server
