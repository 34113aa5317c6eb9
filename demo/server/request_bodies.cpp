#include "request_bodies.hpp"

#include "auth.hpp"

namespace loyalty::server {

using Need = BodyReader::Need;

std::optional<RedemptionBody> read_redemption_body(BodyReader& body) {
  RedemptionBody read;
  auto reward_id = body.string("rewardId", Need::required);
  read.points = body.integer("points", Need::optional, 1);
  read.order_total = body.integer("orderTotal", Need::optional, 0);
  read.points_applied = body.integer("pointsApplied", Need::optional, 0).value_or(0);
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

std::optional<FriendOfferBody> read_friend_offer_body(BodyReader& body) {
  auto code = body.string("code", Need::required, 64);
  auto email = body.string("email", Need::required, 254);
  if (body.failed()) return std::nullopt;
  // The code is looked up as typed: only a customer id's alphabet can match one.
  if (!is_valid_customer_id(*code)) {
    body.fail("code", "must match [A-Za-z0-9_-]{1,64}");
    return std::nullopt;
  }
  return FriendOfferBody{std::move(*code), std::move(*email)};
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

std::optional<std::vector<OrderLine>> read_order_lines(BodyReader& body,
                                                       const OrderAmounts& amounts) {
  const auto& members = body.json();
  auto found = members.find("lines");
  if (found == members.end() || found->is_null()) return std::vector<OrderLine>{};
  // The core reads its own text, so the member goes back to JSON (a few bytes per line).
  auto lines = parse_order_lines(
      found->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), amounts, "/lines");
  for (const Diagnostic& problem : lines.diagnostics) {
    if (problem.severity != Severity::error) continue;
    body.fail_at(problem.path, problem.message);
    return std::nullopt;
  }
  return std::move(lines.value);
}

std::optional<OrderEvent> read_order_event_body(BodyReader& body, EpochSeconds now,
                                                std::string_view remote_addr) {
  auto id = body.string("id", Need::required, 128);
  auto type = body.string("type", Need::required, 16);
  auto customer_id = body.string("customerId", Need::required, 64);
  auto order_id = body.string("orderId", Need::required, 128);
  auto at = body.instant("at", Need::optional);
  OrderEvent event;
  event.referral_code = body.string("referralCode", Need::optional, 64);
  event.email = body.string("email", Need::optional, 254);
  event.first_name = body.string("firstName", Need::optional, 100);
  auto ip = body.string("ip", Need::optional, 64);
  if (body.failed()) return std::nullopt;
  if (*type != "placed" && *type != "refunded" && *type != "cancelled")
    body.fail("type", "must be \"placed\", \"refunded\" or \"cancelled\"");
  else if (!is_valid_customer_id(*customer_id))
    body.fail("customerId", "must match [A-Za-z0-9_-]{1,64}");
  else if (*type == "placed") {
    auto amounts = read_order_amounts(body);
    if (amounts) event.amounts = *amounts;
    auto lines = amounts ? read_order_lines(body, *amounts) : std::nullopt;
    if (lines) event.lines = std::move(*lines);
  } else if (*type == "refunded")
    event.refunded = body.integer("amount", Need::required, 1).value_or(0);
  if (body.failed()) return std::nullopt;
  event.id = std::move(*id);
  event.type = std::move(*type);
  event.customer_id = std::move(*customer_id);
  event.order_id = std::move(*order_id);
  event.at = at.value_or(now);
  event.ip = ip ? std::move(*ip) : std::string(remote_addr);
  return event;
}

}  // namespace loyalty::server
