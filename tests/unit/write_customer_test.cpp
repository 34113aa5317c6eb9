// The customer document's writer against its reader: what customer_json() writes,
// parse_customer() reads back field for field.
#include <gtest/gtest.h>

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostic_matchers.hpp"
#include "fixtures.hpp"

namespace loyalty {
namespace {

using namespace fixtures;
using testing_support::list_diagnostics;

constexpr std::size_t kWholeLedger = std::numeric_limits<std::size_t>::max();

/// Every character JSON must escape, a few it need not, and multi-byte UTF-8.
const std::string kHostile =
    std::string("quote \" backslash \\ slash / \b\f\n\r\t \x01 \x1f \x7f ") +
    std::string("nul \0 end", 9) + " Krūze 馬克杯 🎉";

Customer member() {
  Customer customer;
  customer.id = "c-1001";
  customer.first_name = "Ada";
  customer.email = "ada@example.com";
  customer.referral_code = "ADA-7Q2";
  customer.joined_at = at("2025-01-02T09:00:00Z");
  return customer;
}

/// An order whose lines add up to its amounts, as the reader checks.
LedgerEntry order_with_lines() {
  LedgerEntry order = placed("e-lines", "2025-02-10T12:00:00Z", "1001", 5400, 400, 500, 300);
  order.recorded_at = at("2025-02-10T12:05:00Z");
  order.points = 27;
  order.lines = {
      {"sku-mug", {"kitchen", "sale"}, 2, 4000, LineKind::product},
      {"", {}, 1, 1400, LineKind::gift_card},
      {"", {}, 1, 500, LineKind::shipping},
      {"", {}, 1, 300, LineKind::tax},
      {"", {}, 1, 200, LineKind::tip},
  };
  return order;
}

/// One entry of every type, each with the fields its type writes.
std::vector<LedgerEntry> every_entry_type() {
  LedgerEntry adjust = adjusted("e-adjust", "2025-03-02T12:00:00Z", -20);
  adjust.reason = "Goodwill correction";
  LedgerEntry redeem = redeemed("e-redeem", "2025-03-01T12:00:00Z", "r5", 500);
  redeem.code = "MAPLE-5-X1";
  return {
      earned("e-signup", "2025-01-02T09:00:00Z", "signup", 100),
      order_with_lines(),
      placed("e-order", "2025-02-11T12:00:00Z", "1002", 8000),  // points computed on replay
      refunded("e-refund", "2025-02-12T12:00:00Z", "1001", 2500),
      cancelled("e-cancel", "2025-02-13T12:00:00Z", "1002"),
      redeem,
      swept("e-expire", "2025-03-01T13:00:00Z", 10),
      referred("e-referral", "2025-03-01T14:00:00Z", 500),
      adjust,
      assigned("e-tier-until", "2025-03-03T12:00:00Z", "gold", at("2026-01-01T00:00:00Z")),
      assigned("e-tier", "2025-03-04T12:00:00Z", "platinum"),
  };
}

void expect_same_entry(const LedgerEntry& read, const LedgerEntry& written) {
  SCOPED_TRACE("entry " + written.id);
  EXPECT_EQ(read.id, written.id);
  EXPECT_EQ(read.type, written.type);
  EXPECT_EQ(read.at, written.at);
  EXPECT_EQ(read.recorded_at, written.recorded_at);
  EXPECT_EQ(read.order_id, written.order_id);
  EXPECT_EQ(read.amounts.subtotal, written.amounts.subtotal);
  EXPECT_EQ(read.amounts.discount, written.amounts.discount);
  EXPECT_EQ(read.amounts.shipping, written.amounts.shipping);
  EXPECT_EQ(read.amounts.tax, written.amounts.tax);
  ASSERT_EQ(read.lines.size(), written.lines.size());
  for (std::size_t i = 0; i < read.lines.size(); ++i) {
    EXPECT_EQ(read.lines[i].product_id, written.lines[i].product_id);
    EXPECT_EQ(read.lines[i].collections, written.lines[i].collections);
    EXPECT_EQ(read.lines[i].quantity, written.lines[i].quantity);
    EXPECT_EQ(read.lines[i].amount, written.lines[i].amount);
    EXPECT_EQ(read.lines[i].kind, written.lines[i].kind);
  }
  EXPECT_EQ(read.amount, written.amount);
  EXPECT_EQ(read.points, written.points);
  EXPECT_EQ(read.rule_id, written.rule_id);
  EXPECT_EQ(read.reward_id, written.reward_id);
  EXPECT_EQ(read.tier_id, written.tier_id);
  EXPECT_EQ(read.until, written.until);
  EXPECT_EQ(read.code, written.code);
  EXPECT_EQ(read.reason, written.reason);
}

/// The document read back, failing the test unless it reads without a diagnostic.
Customer read_back(const std::string& document) {
  auto read = parse_customer(document);
  EXPECT_TRUE(read.ok()) << list_diagnostics(read.diagnostics) << document;
  EXPECT_TRUE(read.diagnostics.empty()) << list_diagnostics(read.diagnostics) << document;
  return read.ok() ? *read.value : Customer{};
}

/// The newest `limit` entries through ledger_entry_json(), as a backend's cache keeps them.
std::string entries_json(const Customer& customer, std::size_t limit) {
  std::string out;
  const std::size_t count = customer.ledger.size();
  for (std::size_t i = count > limit ? count - limit : 0; i < count; ++i) {
    if (!out.empty()) out += ',';
    out += ledger_entry_json(customer.ledger[i]);
  }
  return out;
}

Program tiered() {
  Program program = maple();
  program.tiers = maple_tiers();
  return program;
}

TEST(WriteCustomer, EveryEntryTypeReadsBackAsWritten) {
  const Program program = tiered();
  Customer customer = member();
  customer.ledger = every_entry_type();
  const Account account = replay(program, customer, at("2025-04-01T00:00:00Z"));

  Customer read = read_back(customer_json(program, customer, account, kWholeLedger));
  ASSERT_EQ(read.ledger.size(), customer.ledger.size());
  for (std::size_t i = 0; i < read.ledger.size(); ++i)
    expect_same_entry(read.ledger[i], customer.ledger[i]);

  // The ledger read back replays to the same account as the one written.
  read.summary.reset();
  const Account again = replay(program, read, at("2025-04-01T00:00:00Z"));
  EXPECT_EQ(again.balance, account.balance);
  EXPECT_EQ(again.lifetime_earned, account.lifetime_earned);
  EXPECT_EQ(again.spent, account.spent);
  EXPECT_EQ(again.tier.index, account.tier.index);
}

TEST(WriteCustomer, IdentityReadsBackAsWritten) {
  const Program program = maple();
  Customer customer = member();
  customer.birthday = Birthday{2, 29, 1996, at("2025-01-03T10:00:00Z")};
  const Customer read = read_back(customer_json(program, customer, Account{}, kWholeLedger));
  EXPECT_EQ(read.id, customer.id);
  EXPECT_EQ(read.first_name, customer.first_name);
  EXPECT_TRUE(read.member);
  EXPECT_EQ(read.email, customer.email);
  EXPECT_EQ(read.referral_code, customer.referral_code);
  EXPECT_EQ(read.joined_at, customer.joined_at);
  ASSERT_TRUE(read.birthday);
  EXPECT_EQ(read.birthday->month, 2u);
  EXPECT_EQ(read.birthday->day, 29u);
  EXPECT_EQ(read.birthday->year, 1996);
  EXPECT_EQ(read.birthday->added_at, customer.birthday->added_at);
  EXPECT_TRUE(read.ledger.empty());
  EXPECT_TRUE(read.summary);
}

TEST(WriteCustomer, OptionalIdentityFieldsAreLeftOutWhenUnknown) {
  const Program program = maple();
  Customer customer;
  customer.id = "c-2";
  customer.birthday = Birthday{2, 29, std::nullopt, std::nullopt};  // any year's February 29
  const std::string document = customer_json(program, customer, Account{}, kWholeLedger);
  EXPECT_EQ(document.find("email"), std::string::npos) << document;
  EXPECT_EQ(document.find("referralCode"), std::string::npos) << document;
  EXPECT_EQ(document.find("joinedAt"), std::string::npos) << document;
  EXPECT_EQ(document.find("year"), std::string::npos) << document;
  EXPECT_EQ(document.find("addedAt"), std::string::npos) << document;
  const Customer read = read_back(document);
  EXPECT_EQ(read.first_name, "");
  EXPECT_EQ(read.email, "");
  EXPECT_EQ(read.referral_code, "");
  EXPECT_FALSE(read.joined_at);
  ASSERT_TRUE(read.birthday);
  EXPECT_EQ(read.birthday->month, 2u);
  EXPECT_EQ(read.birthday->day, 29u);
  EXPECT_FALSE(read.birthday->year);
  EXPECT_FALSE(read.birthday->added_at);
}

TEST(WriteCustomer, AGuestGetsIdentityOnly) {
  const Program program = maple();
  Customer guest = member();
  guest.member = false;
  guest.ledger = every_entry_type();  // a guest's ledger is never written
  Account account;
  account.balance = 100;
  const std::string document = customer_json(program, guest, account, kWholeLedger);
  EXPECT_EQ(document.find("ledger"), std::string::npos) << document;
  EXPECT_EQ(document.find("summary"), std::string::npos) << document;
  const Customer read = read_back(document);
  EXPECT_FALSE(read.member);
  EXPECT_EQ(read.id, guest.id);
  EXPECT_EQ(read.first_name, guest.first_name);
  EXPECT_EQ(read.email, guest.email);
  EXPECT_TRUE(read.ledger.empty());
  EXPECT_FALSE(read.summary);
}

TEST(WriteCustomer, TheSummaryIsTheAccount) {
  const Program program = tiered();
  Account account;
  account.balance = 1250;
  account.lifetime_earned = 3100;
  account.spent = 1850;
  account.tier.index = 1;
  account.tier.progress = 2100;
  account.tier.retained_until = at("2027-01-01T05:00:00Z");
  account.next_expiry = ExpiringPoints{300, at("2026-06-01T04:00:00Z")};
  account.pending = 70;
  account.pending_points = {{"1002", 40, at("2025-03-15T12:00:00Z")},
                            {"1003", 30, at("2025-03-20T12:00:00Z")}};

  const Customer read = read_back(customer_json(program, member(), account, kWholeLedger));
  ASSERT_TRUE(read.summary);
  const Summary& summary = *read.summary;
  EXPECT_EQ(summary.balance, 1250);
  EXPECT_EQ(summary.lifetime_earned, 3100);
  EXPECT_EQ(summary.spent, 1850);
  EXPECT_EQ(summary.tier_id, "gold");
  EXPECT_EQ(summary.tier_progress, 2100);
  EXPECT_EQ(summary.tier_retained_until, account.tier.retained_until);
  ASSERT_EQ(summary.expiring.size(), 1u);
  EXPECT_EQ(summary.expiring[0].points, 300);
  EXPECT_EQ(summary.expiring[0].at, account.next_expiry->at);
  EXPECT_EQ(summary.pending, 70);
  ASSERT_EQ(summary.pending_points.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(summary.pending_points[i].order_id, account.pending_points[i].order_id);
    EXPECT_EQ(summary.pending_points[i].points, account.pending_points[i].points);
    EXPECT_EQ(summary.pending_points[i].available_at, account.pending_points[i].available_at);
  }
}

TEST(WriteCustomer, ASummaryWithoutTierExpiryOrPendingPoints) {
  const Program program = tiered();
  Account account;
  account.balance = 40;
  account.tier.index = -1;  // below the first tier
  const std::string document = customer_json(program, member(), account, kWholeLedger);
  EXPECT_NE(document.find(R"("tierId":null,)"), std::string::npos) << document;
  EXPECT_NE(document.find(R"("tierRetainedUntil":null,"expiring":[])"), std::string::npos)
      << document;
  EXPECT_EQ(document.find("pending"), std::string::npos) << document;
  const Customer read = read_back(document);
  ASSERT_TRUE(read.summary);
  EXPECT_EQ(read.summary->balance, 40);
  EXPECT_EQ(read.summary->tier_id, "");
  EXPECT_FALSE(read.summary->tier_retained_until);
  EXPECT_TRUE(read.summary->expiring.empty());
  EXPECT_FALSE(read.summary->pending);
  EXPECT_TRUE(read.summary->pending_points.empty());
}

TEST(WriteCustomer, PendingOrderPointsFromReplayReadBack) {
  Program program = maple();
  for (EarnRule& rule : program.earning)
    if (rule.type == EarnType::order) rule.pending_days = 14;
  Customer customer = member();
  customer.ledger = {placed("e1", "2025-03-10T12:00:00Z", "1001", 5000)};
  const Account account = replay(program, customer, at("2025-03-12T00:00:00Z"));
  ASSERT_GT(account.pending, 0);
  ASSERT_EQ(account.pending_points.size(), 1u);

  const Customer read = read_back(customer_json(program, customer, account, kWholeLedger));
  ASSERT_TRUE(read.summary);
  EXPECT_EQ(read.summary->pending, account.pending);
  ASSERT_EQ(read.summary->pending_points.size(), 1u);
  EXPECT_EQ(read.summary->pending_points[0].order_id, "1001");
  EXPECT_EQ(read.summary->pending_points[0].points, account.pending_points[0].points);
  EXPECT_EQ(read.summary->pending_points[0].available_at, account.pending_points[0].available_at);
}

TEST(WriteCustomer, HostileStringsAreEscapedAndReadBackUnchanged) {
  Customer customer = member();
  customer.first_name = kHostile;
  customer.email = kHostile;
  customer.referral_code = kHostile;
  LedgerEntry order = order_with_lines();
  order.id = kHostile;
  order.order_id = kHostile;
  order.lines[0].product_id = kHostile;
  order.lines[0].collections = {kHostile, "\"]}"};
  LedgerEntry adjust = adjusted("e-adjust", "2025-03-02T12:00:00Z", 5);
  adjust.reason = kHostile;
  LedgerEntry redeem = redeemed(kHostile + "2", "2025-03-03T12:00:00Z", kHostile, 5);
  redeem.code = kHostile;
  customer.ledger = {earned("e-signup", "2025-01-02T09:00:00Z", kHostile, 100), order, adjust,
                     redeem, assigned("e-tier", "2025-03-04T12:00:00Z", kHostile)};
  const std::string document = customer_json(maple(), customer, Account{}, kWholeLedger);
  // Valid JSON to a strict reader too, with no raw control character left in it.
  EXPECT_FALSE(nlohmann::json::parse(document, nullptr, false).is_discarded());
  for (char c : document) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << document;

  const Customer read = read_back(document);
  EXPECT_EQ(read.first_name, kHostile);
  EXPECT_EQ(read.email, kHostile);
  EXPECT_EQ(read.referral_code, kHostile);
  ASSERT_EQ(read.ledger.size(), customer.ledger.size());
  for (std::size_t i = 0; i < read.ledger.size(); ++i)
    expect_same_entry(read.ledger[i], customer.ledger[i]);
}

TEST(WriteCustomer, BrokenUtf8BecomesReplacementCharacters) {
  Customer customer = member();
  customer.first_name =
      "A\xFF"
      "da \xE2\x82 \xED\xA0\x80";  // a stray byte, a cut euro, a surrogate
  customer.ledger = {adjusted("e1", "2025-03-02T12:00:00Z", 5)};
  customer.ledger[0].reason = "\xC3";
  const std::string document = customer_json(maple(), customer, Account{}, kWholeLedger);
  EXPECT_FALSE(nlohmann::json::parse(document, nullptr, false).is_discarded()) << document;
  const Customer read = read_back(document);
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_EQ(read.first_name, "A" + replacement + "da " + replacement + " " + replacement +
                                 replacement + replacement);
  ASSERT_EQ(read.ledger.size(), 1u);
  EXPECT_EQ(read.ledger[0].reason, replacement);
}

TEST(WriteCustomer, TheLedgerLimitKeepsTheNewestEntriesOldestFirst) {
  const Program program = maple();
  Customer customer = member();
  for (int i = 1; i <= 5; ++i)
    customer.ledger.push_back(adjusted("e" + std::to_string(i), "2025-03-02T12:00:00Z", i));
  auto ids = [&](std::size_t limit) {
    std::vector<std::string> out;
    for (const LedgerEntry& entry :
         read_back(customer_json(program, customer, Account{}, limit)).ledger)
      out.push_back(entry.id);
    return out;
  };
  EXPECT_EQ(ids(3), (std::vector<std::string>{"e3", "e4", "e5"}));
  EXPECT_EQ(ids(1), (std::vector<std::string>{"e5"}));
  EXPECT_EQ(ids(5), (std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"}));
  EXPECT_EQ(ids(50), (std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"}));
  EXPECT_TRUE(ids(0).empty());
}

TEST(WriteCustomer, PreWrittenEntriesGiveTheSameBytes) {
  const Program program = tiered();
  Customer customer = member();
  customer.birthday = Birthday{3, 14, std::nullopt, at("2025-01-02T09:00:00Z")};
  customer.ledger = every_entry_type();
  const Account account = replay(program, customer, at("2025-04-01T00:00:00Z"));
  Customer row = customer;
  row.ledger.clear();
  for (std::size_t limit : {std::size_t{0}, std::size_t{1}, std::size_t{4}, kWholeLedger}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    EXPECT_EQ(customer_json(program, row, account, entries_json(customer, limit)),
              customer_json(program, customer, account, limit));
  }
  Customer guest = customer;
  guest.member = false;
  row.member = false;
  EXPECT_EQ(customer_json(program, row, account, ""),
            customer_json(program, guest, account, kWholeLedger));
}

TEST(WriteCustomer, KeysComeInTheContractsOrder) {
  Program program = tiered();
  Customer customer = member();
  customer.birthday = Birthday{3, 14, std::nullopt, at("2025-01-02T09:00:00Z")};
  LedgerEntry adjust = adjusted("e5", "2025-03-02T12:00:00Z", -20);
  adjust.recorded_at = at("2025-03-02T12:30:00Z");
  adjust.reason = "Goodwill correction";
  customer.ledger = {earned("e1", "2025-01-02T09:00:00Z", "signup", 100), adjust};
  Account account;
  account.balance = 80;
  account.lifetime_earned = 100;
  account.tier.index = 0;
  account.tier.progress = 100;
  EXPECT_EQ(customer_json(program, customer, account, kWholeLedger),
            R"({"version":1,"id":"c-1001","firstName":"Ada","status":"member",)"
            R"("email":"ada@example.com","birthday":{"month":3,"day":14,)"
            R"("addedAt":"2025-01-02T09:00:00Z"},"referralCode":"ADA-7Q2",)"
            R"("joinedAt":"2025-01-02T09:00:00Z","summary":{"balance":80,"lifetimeEarned":100,)"
            R"("spent":0,"tierId":"silver","tierProgress":100,"tierRetainedUntil":null,)"
            R"("expiring":[]},"ledger":[{"id":"e1","type":"earn","at":"2025-01-02T09:00:00Z",)"
            R"("ruleId":"signup","points":100},{"id":"e5","type":"adjust",)"
            R"("at":"2025-03-02T12:00:00Z","recordedAt":"2025-03-02T12:30:00Z","points":-20,)"
            R"("reason":"Goodwill correction"}]})");
}

TEST(WriteCustomer, OrderLinesReadBackThroughParseOrderLines) {
  const LedgerEntry order = order_with_lines();
  const std::string text = order_lines_json(order.lines);
  const std::string first_line =
      R"([{"productId":"sku-mug","collections":["kitchen","sale"],"quantity":2,"amount":4000,)"
      R"("kind":"product"},{"quantity":1,"amount":1400,"kind":"gift_card"},)";
  EXPECT_EQ(text.substr(0, first_line.size()), first_line);
  auto read = parse_order_lines(text, order.amounts, "/lines");
  ASSERT_TRUE(read.ok()) << list_diagnostics(read.diagnostics);
  LedgerEntry back = order;
  back.lines = *read.value;
  expect_same_entry(back, order);
  EXPECT_EQ(order_lines_json({}), "[]");
}

}  // namespace
}  // namespace loyalty
