#include "request_bodies.hpp"

namespace loyalty::server {

using Need = BodyReader::Need;

std::optional<RedemptionBody> read_redemption_body(BodyReader& body) {
  RedemptionBody read;
  auto reward_id = body.string("rewardId", Need::required);
  read.points = body.integer("points", Need::optional, 1);
  read.order_total = body.integer("orderTotal", Need::optional, 0);
  if (body.failed()) return std::nullopt;
  read.reward_id = std::move(*reward_id);
  return read;
}

std::optional<std::string> read_claim_body(BodyReader& body) {
  auto rule_id = body.string("ruleId", Need::required);
  if (body.failed()) return std::nullopt;
  return rule_id;
}

std::optional<ReferralBody> read_referral_body(BodyReader& body) {
  ReferralBody read;
  auto code = body.string("code", Need::required, 64);
  auto friend_email = body.string("friendEmail", Need::required, 254);
  read.friend_customer_id = body.string("friendCustomerId", Need::optional, 64);
  auto order_id = body.string("orderId", Need::required, 128);
  auto amount = body.integer("amount", Need::required, 0);
  read.ip = body.string("ip", Need::optional, 64);
  if (body.failed()) return std::nullopt;
  read.code = std::move(*code);
  read.friend_email = std::move(*friend_email);
  read.order_id = std::move(*order_id);
  read.amount = *amount;
  return read;
}

std::optional<AdjustmentBody> read_adjustment_body(BodyReader& body) {
  auto points = body.integer("points", Need::required);
  auto reason = body.string("reason", Need::required, 500);
  if (body.failed()) return std::nullopt;
  return AdjustmentBody{*points, std::move(*reason)};
}

std::optional<CustomerBody> read_customer_body(BodyReader& body) {
  CustomerBody read;
  read.first_name = body.string("firstName", Need::optional, 100);
  read.email = body.string("email", Need::optional, 254);
  read.referral_code = body.string("referralCode", Need::optional, 32);
  if (auto object = body.object("birthday", Need::optional)) {
    Birthday value;
    value.month =
        static_cast<unsigned>(object->integer("month", Need::required, 1, 12).value_or(1));
    value.day = static_cast<unsigned>(object->integer("day", Need::required, 1, 31).value_or(1));
    if (auto year = object->integer("year", Need::optional, 1900, 2100))
      value.year = static_cast<std::int32_t>(*year);
    read.birthday = value;
  }
  if (body.failed()) return std::nullopt;
  return read;
}

std::optional<OrderAmounts> read_order_amounts(BodyReader& body) {
  auto object = body.object("amounts", Need::required);
  if (!object) return std::nullopt;
  OrderAmounts amounts;
  amounts.subtotal = object->integer("subtotal", Need::required, 0).value_or(0);
  amounts.discount = object->integer("discount", Need::optional, 0).value_or(0);
  amounts.shipping = object->integer("shipping", Need::optional, 0).value_or(0);
  amounts.tax = object->integer("tax", Need::optional, 0).value_or(0);
  if (body.failed()) return std::nullopt;
  return amounts;
}

}  // namespace loyalty::server
