#include <gtest/gtest.h>

#include "json_document.hpp"

#include <nlohmann/json.hpp>

#include "diagnostic_matchers.hpp"
#include "loyalty/customer.hpp"
#include "parse.hpp"

namespace loyalty {
namespace {

using nlohmann::json;
using testing_support::count;
using testing_support::has_error;
using testing_support::has_warning;
using testing_support::list_diagnostics;

/// The customer of CONTRACT.md.
json contract_customer() {
  return json::parse(R"({
  "version": 1,
  "id": "c-1001",
  "firstName": "Ada",
  "status": "member",
  "email": "ada@example.com",
  "birthday": {"month": 3, "day": 14, "addedAt": "2025-01-02T09:00:00Z"},
  "referralCode": "ADA-7Q2",
  "joinedAt": "2025-01-02T09:00:00Z",
  "ledger": [
    {"id": "e1", "type": "earn", "at": "2025-01-02T09:00:00Z", "ruleId": "signup", "points": 100},
    {"id": "e2", "type": "order_placed", "at": "2025-02-10T12:00:00Z", "orderId": "1001",
     "amounts": {"subtotal": 5400, "discount": 400, "shipping": 500, "tax": 300}},
    {"id": "e3", "type": "order_refunded", "at": "2025-02-12T12:00:00Z", "orderId": "1001", "amount": 2500},
    {"id": "e4", "type": "redeem", "at": "2025-03-01T12:00:00Z", "rewardId": "r5", "points": 500, "code": "MAPLE-5-X1"},
    {"id": "e5", "type": "adjust", "at": "2025-03-02T12:00:00Z", "points": -20, "reason": "Goodwill correction"},
    {"id": "e6", "type": "tier_change", "at": "2025-03-03T12:00:00Z", "tierId": "gold", "until": "2026-01-01T00:00:00Z"}
  ]
})");
}

Result<Customer> parse(const json& document) { return parse_customer(document.dump()); }

Result<Customer> parse_with(json document, const std::string& pointer, json value) {
  document[json::json_pointer(pointer)] = std::move(value);
  return parse(document);
}

Result<Customer> parse_without(json document, const std::string& parent, const std::string& key) {
  document[json::json_pointer(parent)].erase(key);
  return parse(document);
}

TEST(ParseCustomer, ContractExampleRoundTrips) {
  auto result = parse(contract_customer());
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << list_diagnostics(result.diagnostics);
  const Customer& c = *result.value;
  EXPECT_EQ(c.id, "c-1001");
  EXPECT_EQ(c.first_name, "Ada");
  EXPECT_TRUE(c.member);
  EXPECT_EQ(c.email, "ada@example.com");
  ASSERT_TRUE(c.birthday);
  EXPECT_EQ(c.birthday->month, 3u);
  EXPECT_EQ(c.birthday->day, 14u);
  EXPECT_FALSE(c.birthday->year);
  EXPECT_EQ(c.birthday->added_at, 1735808400);  // 2025-01-02T09:00:00Z
  EXPECT_EQ(c.referral_code, "ADA-7Q2");
  EXPECT_EQ(c.joined_at, 1735808400);
  ASSERT_EQ(c.ledger.size(), 6u);
  EXPECT_EQ(c.ledger[0].type, EntryType::earn);
  EXPECT_EQ(c.ledger[0].rule_id, "signup");
  EXPECT_EQ(c.ledger[0].points, 100);
  EXPECT_EQ(c.ledger[1].type, EntryType::order_placed);
  EXPECT_EQ(c.ledger[1].order_id, "1001");
  EXPECT_EQ(c.ledger[1].amounts.subtotal, 5400);
  EXPECT_EQ(c.ledger[1].amounts.discount, 400);
  EXPECT_EQ(c.ledger[1].amounts.shipping, 500);
  EXPECT_EQ(c.ledger[1].amounts.tax, 300);
  EXPECT_FALSE(c.ledger[1].points);  // computed on replay
  EXPECT_EQ(c.ledger[2].amount, 2500);
  EXPECT_EQ(c.ledger[3].reward_id, "r5");
  EXPECT_EQ(c.ledger[3].points, 500);
  EXPECT_EQ(c.ledger[3].code, "MAPLE-5-X1");
  EXPECT_EQ(c.ledger[4].points, -20);
  EXPECT_EQ(c.ledger[4].reason, "Goodwill correction");
  EXPECT_EQ(c.ledger[5].tier_id, "gold");
  EXPECT_EQ(c.ledger[5].until, 1767225600);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(c.ledger[5].at, 1741003200);     // 2025-03-03T12:00:00Z
  EXPECT_FALSE(c.summary);
}

TEST(ParseCustomer, StatusAndId) {
  auto status = parse_with(contract_customer(), "/status", "visitor");
  EXPECT_TRUE(has_error(status.diagnostics, "/status", "\"member\", \"guest\""));
  auto id = parse_with(contract_customer(), "/id", "bad id!");
  EXPECT_TRUE(has_error(id.diagnostics, "/id", "1 to 64 letters"));
  auto long_id = parse_with(contract_customer(), "/id", std::string(65, 'a'));
  EXPECT_TRUE(has_error(long_id.diagnostics, "/id", "1 to 64"));
  auto max_id = parse_with(contract_customer(), "/id", std::string(64, 'a'));
  EXPECT_TRUE(max_id.ok());
  auto no_id = parse_without(contract_customer(), "", "id");
  EXPECT_TRUE(has_error(no_id.diagnostics, "/id", "is required"));
  auto default_member = parse_without(contract_customer(), "", "status");
  ASSERT_TRUE(default_member.ok());
  EXPECT_TRUE(default_member.value->member);
}

TEST(ParseCustomer, GuestNeedsNoIdAndHasNoLedger) {
  auto guest = parse_customer(R"({"version": 1, "status": "guest"})");
  ASSERT_TRUE(guest.ok()) << list_diagnostics(guest.diagnostics);
  EXPECT_FALSE(guest.value->member);
  EXPECT_TRUE(guest.diagnostics.empty());
  json with_ledger = contract_customer();
  with_ledger["status"] = "guest";
  auto ignored = parse(with_ledger);
  ASSERT_TRUE(ignored.ok());
  EXPECT_TRUE(ignored.value->ledger.empty());
  EXPECT_TRUE(has_warning(ignored.diagnostics, "/ledger", "guest has no ledger"));
}

TEST(ParseCustomer, BirthdayValidity) {
  auto leap = parse_with(contract_customer(), "/birthday", {{"month", 2}, {"day", 29}});
  ASSERT_TRUE(leap.ok()) << list_diagnostics(leap.diagnostics);
  EXPECT_EQ(leap.value->birthday->day, 29u);
  auto feb30 = parse_with(contract_customer(), "/birthday", {{"month", 2}, {"day", 30}});
  EXPECT_TRUE(has_error(feb30.diagnostics, "/birthday/day", "only 29 days"));
  auto apr31 = parse_with(contract_customer(), "/birthday", {{"month", 4}, {"day", 31}});
  EXPECT_TRUE(has_error(apr31.diagnostics, "/birthday/day", "only 30 days"));
  auto not_leap =
      parse_with(contract_customer(), "/birthday", {{"month", 2}, {"day", 29}, {"year", 2023}});
  EXPECT_TRUE(has_error(not_leap.diagnostics, "/birthday/day", "of 2023 has only 28 days"));
  auto leap_year =
      parse_with(contract_customer(), "/birthday", {{"month", 2}, {"day", 29}, {"year", 2024}});
  ASSERT_TRUE(leap_year.ok());
  EXPECT_EQ(leap_year.value->birthday->year, 2024);
  auto month = parse_with(contract_customer(), "/birthday/month", 13);
  EXPECT_TRUE(has_error(month.diagnostics, "/birthday/month", "from 1 to 12"));
  auto day = parse_with(contract_customer(), "/birthday/day", 0);
  EXPECT_TRUE(has_error(day.diagnostics, "/birthday/day", "from 1 to 31"));
  auto added = parse_with(contract_customer(), "/birthday/addedAt", "2025-01-02");
  EXPECT_TRUE(has_error(added.diagnostics, "/birthday/addedAt", "UTC offset"));
}

TEST(ParseCustomer, LedgerEntriesNeedIdTypeAndTime) {
  auto id = parse_without(contract_customer(), "/ledger/0", "id");
  EXPECT_FALSE(id.ok());
  EXPECT_TRUE(has_error(id.diagnostics, "/ledger/0/id", "is required"));
  auto type = parse_with(contract_customer(), "/ledger/0/type", "bonus");
  EXPECT_TRUE(has_error(type.diagnostics, "/ledger/0/type", "\"order_placed\""));
  auto at = parse_with(contract_customer(), "/ledger/0/at", "2025-01-02T09:00:00");
  EXPECT_TRUE(has_error(at.diagnostics, "/ledger/0/at", "UTC offset"));
  auto not_object = parse_with(contract_customer(), "/ledger/2", "refund");
  EXPECT_TRUE(has_error(not_object.diagnostics, "/ledger/2", "must be an object"));
}

TEST(ParseCustomer, RecordedAtIsWhenTheEntryWasWritten) {
  // Absent, the entry was recorded when it happened.
  auto plain = parse(contract_customer());
  ASSERT_TRUE(plain.ok()) << list_diagnostics(plain.diagnostics);
  EXPECT_FALSE(plain.value->ledger[2].recorded_at.has_value());
  EXPECT_EQ(plain.value->ledger[2].recorded(), plain.value->ledger[2].at);

  // A refund of February 12 that the backend wrote on March 5: known, not a warning.
  auto late = parse_with(contract_customer(), "/ledger/2/recordedAt", "2025-03-05T09:00:00+01:00");
  ASSERT_TRUE(late.ok()) << list_diagnostics(late.diagnostics);
  EXPECT_TRUE(late.diagnostics.empty()) << list_diagnostics(late.diagnostics);
  const LedgerEntry& refund = late.value->ledger[2];
  EXPECT_EQ(refund.recorded_at, parse_instant("2025-03-05T08:00:00Z")->epoch);
  EXPECT_EQ(refund.recorded(), *refund.recorded_at);
  EXPECT_EQ(refund.at, parse_instant("2025-02-12T12:00:00Z")->epoch);

  // The same instant is fine; an entry that happened after it was recorded is not.
  auto same = parse_with(contract_customer(), "/ledger/2/recordedAt", "2025-02-12T12:00:00Z");
  EXPECT_TRUE(same.ok()) << list_diagnostics(same.diagnostics);
  auto early = parse_with(contract_customer(), "/ledger/3/recordedAt", "2025-03-01T11:59:59Z");
  EXPECT_FALSE(early.ok());
  EXPECT_TRUE(has_error(early.diagnostics, "/ledger/3/at",
                        "must not be later than recordedAt (2025-03-01T11:59:59Z, got "
                        "2025-03-01T12:00:00Z)"));
  auto local = parse_with(contract_customer(), "/ledger/3/recordedAt", "2025-03-05T09:00:00");
  EXPECT_TRUE(has_error(local.diagnostics, "/ledger/3/recordedAt", "UTC offset"));
}

TEST(ParseCustomer, LedgerEntryTypeSpecificFields) {
  auto amounts = parse_without(contract_customer(), "/ledger/1", "amounts");
  EXPECT_TRUE(has_error(amounts.diagnostics, "/ledger/1/amounts", "is required"));
  auto subtotal = parse_with(contract_customer(), "/ledger/1/amounts/subtotal", -1);
  EXPECT_TRUE(has_error(subtotal.diagnostics, "/ledger/1/amounts/subtotal", "0 or more"));
  auto discount = parse_with(contract_customer(), "/ledger/1/amounts/discount", 0.5);
  EXPECT_TRUE(has_error(discount.diagnostics, "/ledger/1/amounts/discount", "whole number"));
  auto order_id = parse_without(contract_customer(), "/ledger/1", "orderId");
  EXPECT_TRUE(has_error(order_id.diagnostics, "/ledger/1/orderId", "is required"));
  auto order_points = parse_with(contract_customer(), "/ledger/1/points", -3);
  EXPECT_TRUE(has_error(order_points.diagnostics, "/ledger/1/points", "0 or more"));
  auto refund = parse_with(contract_customer(), "/ledger/2/amount", -2500);
  EXPECT_TRUE(has_error(refund.diagnostics, "/ledger/2/amount", "0 or more"));
  auto refund_missing = parse_without(contract_customer(), "/ledger/2", "amount");
  EXPECT_TRUE(has_error(refund_missing.diagnostics, "/ledger/2/amount", "is required"));
  auto rule = parse_without(contract_customer(), "/ledger/0", "ruleId");
  EXPECT_TRUE(has_error(rule.diagnostics, "/ledger/0/ruleId", "is required"));
  auto earn_points = parse_with(contract_customer(), "/ledger/0/points", -100);
  EXPECT_TRUE(has_error(earn_points.diagnostics, "/ledger/0/points", "0 or more"));
  auto redeem_zero = parse_with(contract_customer(), "/ledger/3/points", 0);
  EXPECT_TRUE(has_error(redeem_zero.diagnostics, "/ledger/3/points", "greater than 0"));
  auto code = parse_without(contract_customer(), "/ledger/3", "code");
  EXPECT_TRUE(has_error(code.diagnostics, "/ledger/3/code", "is required"));
  auto reward = parse_without(contract_customer(), "/ledger/3", "rewardId");
  EXPECT_TRUE(has_error(reward.diagnostics, "/ledger/3/rewardId", "is required"));
  auto reason = parse_without(contract_customer(), "/ledger/4", "reason");
  EXPECT_TRUE(has_error(reason.diagnostics, "/ledger/4/reason", "is required"));
  auto tier = parse_without(contract_customer(), "/ledger/5", "tierId");
  EXPECT_TRUE(has_error(tier.diagnostics, "/ledger/5/tierId", "is required"));
  auto until = parse_without(contract_customer(), "/ledger/5", "until");
  ASSERT_TRUE(until.ok());
  EXPECT_FALSE(until.value->ledger[5].until);
  auto huge = parse_with(contract_customer(), "/ledger/4/points", -9007199254740992.0);
  EXPECT_TRUE(has_error(huge.diagnostics, "/ledger/4/points", "too large"));
}

TEST(ParseCustomer, OrderLines) {
  // The items sum to the entry's subtotal (54.00), as they must.
  json lines = json::array(
      {{{"productId", "mug"}, {"collections", {"kitchen"}}, {"amount", 3400}},
       {{"productId", "card"}, {"kind", "gift_card"}, {"quantity", 2}, {"amount", 2000}}});
  auto read = parse_with(contract_customer(), "/ledger/1/lines", lines);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read.diagnostics.empty());
  const LedgerEntry& order = read.value->ledger[1];
  ASSERT_EQ(order.lines.size(), 2u);
  EXPECT_EQ(order.lines[0].product_id, "mug");
  EXPECT_EQ(order.lines[0].collections, std::vector<std::string>{"kitchen"});
  EXPECT_EQ(order.lines[0].kind, LineKind::product);
  EXPECT_EQ(order.lines[1].kind, LineKind::gift_card);
  EXPECT_EQ(order.lines[1].quantity, 2);
  auto no_amount =
      parse_with(contract_customer(), "/ledger/1/lines", json::array({json::object()}));
  EXPECT_TRUE(has_error(no_amount.diagnostics, "/ledger/1/lines/0/amount", "is required"));
  auto bad_kind = parse_with(contract_customer(), "/ledger/1/lines",
                             json::array({{{"amount", 1}, {"kind", "voucher"}}}));
  EXPECT_TRUE(has_error(bad_kind.diagnostics, "/ledger/1/lines/0/kind", "\"tip\""));
  auto negative =
      parse_with(contract_customer(), "/ledger/1/lines", json::array({{{"amount", -1}}}));
  EXPECT_TRUE(has_error(negative.diagnostics, "/ledger/1/lines/0/amount", "0 or more"));
}

std::size_t count_at(const std::vector<Diagnostic>& diagnostics, const std::string& path) {
  std::size_t n = 0;
  for (const Diagnostic& d : diagnostics) n += d.path == path ? 1 : 0;
  return n;
}

TEST(ParseCustomer, OrderLinesSumToTheAmounts) {
  // Items 60.00 against a subtotal of 54.00: the lines would earn on more than was sold.
  auto items =
      parse_with(contract_customer(), "/ledger/1/lines",
                 json::array({{{"amount", 4000}}, {{"amount", 2000}, {"kind", "gift_card"}}}));
  EXPECT_FALSE(items.ok());
  EXPECT_TRUE(has_error(items.diagnostics, "/ledger/1/lines",
                        "the product and gift_card lines must sum to amounts.subtotal (5400), "
                        "got 6000"));
  // Shipping and tax lines, when given, sum to their amounts; tips are not in the amounts.
  auto shipping = parse_with(contract_customer(), "/ledger/1/lines",
                             json::array({{{"amount", 5400}},
                                          {{"amount", 400}, {"kind", "shipping"}},
                                          {{"amount", 300}, {"kind", "tax"}},
                                          {{"amount", 900}, {"kind", "tip"}}}));
  EXPECT_TRUE(has_error(shipping.diagnostics, "/ledger/1/lines",
                        "the shipping lines must sum to amounts.shipping (500), got 400"));
  EXPECT_EQ(count_at(shipping.diagnostics, "/ledger/1/lines"), 1u);
  // Lines of one kind only say nothing of the others.
  auto only_shipping = parse_with(contract_customer(), "/ledger/1/lines",
                                  json::array({{{"amount", 500}, {"kind", "shipping"}}}));
  EXPECT_TRUE(only_shipping.ok());
  // Amounts that failed to read are not summed against.
  json document = contract_customer();
  document["ledger"][1]["amounts"]["subtotal"] = -1;
  document["ledger"][1]["lines"] = json::array({{{"amount", 4000}}});
  auto bad_amounts = parse(document);
  EXPECT_TRUE(has_error(bad_amounts.diagnostics, "/ledger/1/amounts/subtotal", "0 or more"));
  EXPECT_EQ(count_at(bad_amounts.diagnostics, "/ledger/1/lines"), 0u);
}

TEST(ParseCustomer, ParseOrderLinesAlone) {
  const OrderAmounts amounts{6000, 600, 500, 0};
  auto read = parse_order_lines(
      R"([{"productId": "mug", "amount": 4000}, {"kind": "gift_card", "amount": 2000}])", amounts,
      "/lines");
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read.value->size(), 2u);
  EXPECT_EQ((*read.value)[1].kind, LineKind::gift_card);
  auto negative = parse_order_lines(R"([{"amount": -1}])", amounts, "/lines");
  EXPECT_FALSE(negative.ok());
  EXPECT_TRUE(has_error(negative.diagnostics, "/lines/0/amount", "0 or more"));
  auto sum = parse_order_lines(R"([{"amount": 1}])", amounts, "/lines");
  EXPECT_TRUE(has_error(sum.diagnostics, "/lines", "(6000), got 1"));
  auto too_many = parse_order_lines(json(std::vector<json>(10001, {{"amount", 0}})).dump(),
                                    OrderAmounts{}, "/lines");
  EXPECT_TRUE(has_error(too_many.diagnostics, "/lines", "10000"));
}

TEST(ParseCustomer, FieldsOfAnotherEntryTypeAreWarnings) {
  json document = contract_customer();
  document["ledger"][0]["orderId"] = "1001";
  document["ledger"][3]["note"] = "x";
  auto result = parse(document);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(has_warning(result.diagnostics, "/ledger/0/orderId", "\"earn\" entry"));
  EXPECT_TRUE(has_warning(result.diagnostics, "/ledger/3/note", "unknown field"));
  EXPECT_EQ(count(result.diagnostics, Severity::warning), 2u);
}

TEST(ParseCustomer, OtherEntryTypes) {
  json document = contract_customer();
  document["ledger"] = json::parse(R"([
    {"id": "a", "type": "order_cancelled", "at": "2025-01-01T00:00:00Z", "orderId": "7"},
    {"id": "b", "type": "expire", "at": "2025-01-01T00:00:00Z", "points": 40},
    {"id": "c", "type": "referral", "at": "2025-01-01T00:00:00Z", "points": 500},
    {"id": "d", "type": "order_placed", "at": "2025-01-01T00:00:00Z", "orderId": "8",
     "amounts": {"subtotal": 1000}, "points": 10}
  ])");
  auto result = parse(document);
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  const auto& ledger = result.value->ledger;
  ASSERT_EQ(ledger.size(), 4u);
  EXPECT_EQ(ledger[0].type, EntryType::order_cancelled);
  EXPECT_EQ(ledger[0].order_id, "7");
  EXPECT_EQ(ledger[1].points, 40);
  EXPECT_EQ(ledger[2].type, EntryType::referral);
  EXPECT_EQ(ledger[3].points, 10);
  EXPECT_EQ(ledger[3].amounts.discount, 0);
  EXPECT_EQ(to_string(EntryType::order_refunded), "order_refunded");
  EXPECT_EQ(to_string(EntryType::tier_change), "tier_change");
}

TEST(ParseCustomer, Summary) {
  json document = contract_customer();
  document["summary"] = json::parse(R"({"balance": 1250, "lifetimeEarned": 3100, "spent": 1850,
      "tierId": "gold", "tierProgress": 2100, "tierRetainedUntil": "2027-01-01T00:00:00-05:00",
      "expiring": [{"points": 300, "at": "2026-12-05T10:00:00-05:00"}]})");
  auto result = parse(document);
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  ASSERT_TRUE(result.value->summary);
  const Summary& s = *result.value->summary;
  EXPECT_EQ(s.balance, 1250);
  EXPECT_EQ(s.lifetime_earned, 3100);
  EXPECT_EQ(s.spent, 1850);
  EXPECT_EQ(s.tier_id, "gold");
  EXPECT_EQ(s.tier_progress, 2100);
  EXPECT_EQ(s.tier_retained_until, 1798779600);  // 2027-01-01T05:00:00Z
  ASSERT_EQ(s.expiring.size(), 1u);
  EXPECT_EQ(s.expiring[0].points, 300);
  EXPECT_EQ(s.expiring[0].at, 1796482800);  // 2026-12-05T15:00:00Z

  auto balance = parse_with(document, "/summary/balance", -1);
  EXPECT_TRUE(has_error(balance.diagnostics, "/summary/balance", "0 or more"));
  auto missing = parse_without(document, "/summary", "balance");
  EXPECT_TRUE(has_error(missing.diagnostics, "/summary/balance", "is required"));
  auto at = parse_with(document, "/summary/expiring/0/at", "soon");
  EXPECT_TRUE(has_error(at.diagnostics, "/summary/expiring/0/at", "UTC offset"));
  auto points = parse_with(document, "/summary/expiring/0/points", 0);
  EXPECT_TRUE(has_error(points.diagnostics, "/summary/expiring/0/points", "greater than 0"));
  auto unknown = parse_with(document, "/summary/pendingTotal", 5);
  EXPECT_TRUE(has_warning(unknown.diagnostics, "/summary/pendingTotal", "unknown field"));

  // Pending points, as the reference backend writes them while there are any.
  EXPECT_FALSE(s.pending);
  document["summary"]["pending"] = 50;
  document["summary"]["pendingPoints"] =
      json::array({{{"orderId", "1001"}, {"points", 50}, {"availableAt", "2026-12-04T12:00:00Z"}}});
  auto pending = parse(document);
  ASSERT_TRUE(pending.ok()) << list_diagnostics(pending.diagnostics);
  EXPECT_TRUE(pending.diagnostics.empty()) << list_diagnostics(pending.diagnostics);
  EXPECT_EQ(pending.value->summary->pending, 50);
  ASSERT_EQ(pending.value->summary->pending_points.size(), 1u);
  EXPECT_EQ(pending.value->summary->pending_points[0].order_id, "1001");
  EXPECT_EQ(pending.value->summary->pending_points[0].available_at, 1796385600);
  auto no_order = parse_without(document, "/summary/pendingPoints/0", "orderId");
  EXPECT_TRUE(has_error(no_order.diagnostics, "/summary/pendingPoints/0/orderId", "is required"));
  auto negative = parse_with(document, "/summary/pending", -1);
  EXPECT_TRUE(has_error(negative.diagnostics, "/summary/pending", "0 or more"));
}

TEST(ParseCustomer, VersionAndUnknownFields) {
  auto missing = parse_without(contract_customer(), "", "version");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(has_warning(missing.diagnostics, "/version", "read as version 1"));
  auto three = parse_with(contract_customer(), "/version", 3);
  EXPECT_TRUE(has_error(three.diagnostics, "/version", "unsupported version 3"));
  auto unknown = parse_with(contract_customer(), "/nickname", "Ada");
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(has_warning(unknown.diagnostics, "/nickname", "unknown field, ignored"));
  auto malformed = parse_customer("{\"id\": \"c-1\"");
  EXPECT_TRUE(has_error(malformed.diagnostics, "", "not valid JSON"));
}

TEST(ParseCustomer, LargeLedgerParses) {
  json document = contract_customer();
  json ledger = json::array();
  for (int i = 0; i < 20000; ++i) {
    ledger.push_back({{"id", "e" + std::to_string(i)},
                      {"type", "earn"},
                      {"at", "2025-01-02T09:00:00Z"},
                      {"ruleId", "review"},
                      {"points", 5}});
  }
  document["ledger"] = ledger;
  auto result = parse(document);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value->ledger.size(), 20000u);
}

TEST(ParseCustomer, FromParsedJson) {
  auto result = detail::customer_from_json(testing_support::document_of(contract_customer()));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value->ledger.size(), 6u);
}

}  // namespace
}  // namespace loyalty
