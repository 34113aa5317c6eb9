// The notifications outbox: what a ledger change queues, and that it commits or rolls back with
// the ledger entry in the same writer job.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "auth.hpp"
#include "backend.hpp"
#include "customer_store.hpp"
#include "database.hpp"
#include "group_commit.hpp"
#include "loyalty/json_api.hpp"
#include "notifications.hpp"
#include "notifier.hpp"
#include "outbox_store.hpp"

namespace loyalty::server {
namespace {

const std::string kProgramFile =
    std::string(LOYALTY_SOURCE_DIR) + "/tests/server/fixtures/program.json";

class OutboxTest : public ::testing::Test {
 protected:
  OutboxTest() {
    directory_ = std::filesystem::temp_directory_path() / ("loyalty-outbox-" + random_hex(8));
    std::filesystem::create_directories(directory_);
    options_.path = (directory_ / "test.sqlite").string();
  }
  ~OutboxTest() override { std::filesystem::remove_all(directory_); }

  static std::vector<std::string> kinds(Database& db, const char* customer_id) {
    std::vector<std::string> out;
    auto query = db.prepare(
        "SELECT kind || COALESCE(':' || json_extract(payload, '$.rewardId'), '') FROM "
        "notification_outbox WHERE customer_id = ?1 ORDER BY seq");
    query.bind(1, customer_id);
    while (query.step()) out.push_back(query.text(0));
    return out;
  }

  static std::int64_t count(Database& db, const char* sql) {
    auto query = db.prepare(sql);
    return query.step() ? query.integer(0) : -1;
  }

  DatabaseOptions options_;

 private:
  std::filesystem::path directory_;
};

TEST_F(OutboxTest, AnOrderEventQueuesPointsEarnedAndTheRewardsItsBalanceCrossed) {
  ServerConfig config;
  config.database = options_;
  config.secret = "unit-test-secret-0123";
  config.admin_key = "admin";
  Backend backend(config);
  std::string error;
  ASSERT_TRUE(backend.start(kProgramFile, "", error)) << error;
  Request request;
  request.method = "POST";
  request.path = "/v1/orders";
  request.headers = {{"X-Admin-Key", "admin"}};
  // 1 point per 100: 600 points, past r5 (500) and flex (its first step, 100); not pct (1000).
  request.body =
      R"({"id":"evt-1","type":"placed","customerId":"c-1","orderId":"o-1","amounts":{"subtotal":60000}})";
  ASSERT_EQ(backend.post_order_event(request).status, 200);

  auto reader = SqliteDatabase::open(options_, error);
  ASSERT_TRUE(reader) << error;
  EXPECT_EQ(kinds(*reader, "c-1"), (std::vector<std::string>{"points.earned", "reward.unlocked:r5",
                                                             "reward.unlocked:flex"}));
  auto earned = reader->prepare(
      "SELECT json_extract(payload, '$.points'), json_extract(payload, '$.balance'), attempts, "
      "dead, delivered_at IS NULL FROM notification_outbox WHERE kind = 'points.earned'");
  ASSERT_TRUE(earned.step());
  EXPECT_EQ(earned.integer(0), 600);
  EXPECT_EQ(earned.integer(1), 600);
  EXPECT_EQ(earned.integer(2), 0);  // queued: no --notify-url, nothing is sent
  EXPECT_EQ(earned.integer(3), 0);
  EXPECT_EQ(earned.integer(4), 1);

  // A repeated delivery of the same event changes no ledger and queues nothing.
  ASSERT_EQ(backend.post_order_event(request).status, 200);
  EXPECT_EQ(count(*reader, "SELECT COUNT(*) FROM notification_outbox"), 3);
}

TEST_F(OutboxTest, AJobThatFailsAfterWritingRollsBackTheEntryAndItsNotifications) {
  std::string error;
  auto writer = SqliteDatabase::open(options_, error, true);
  ASSERT_TRUE(writer) << error;
  auto text = R"({"version":1,"id":"c-2","status":"member","ledger":[]})";
  auto parsed_customer = parse_customer(text);
  ASSERT_TRUE(parsed_customer.ok());
  Customer customer = *parsed_customer.value;
  ASSERT_TRUE(insert_customer(*writer, customer, 1767225600));
  std::ifstream file(kProgramFile);
  std::string program_text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
  auto program = parse_program(program_text);
  ASSERT_TRUE(program.ok());

  LedgerEntry entry;
  entry.id = new_entry_id();
  entry.type = EntryType::adjust;
  entry.at = 1767225600;
  entry.recorded_at = entry.at;
  entry.points = 700;
  entry.reason = "test";
  GroupCommitter writes(std::move(writer), 8, SyncMode::normal);
  bool wrote = false;
  writes.run([&](Database& db) {
    wrote = append_entry(db, customer.id, entry) &&
            queue_entry_notifications(db, *program.value, customer, entry, entry.at);
    return false;  // fails after writing both
  });
  EXPECT_TRUE(wrote);
  auto reader = SqliteDatabase::open(options_, error);
  ASSERT_TRUE(reader) << error;
  EXPECT_EQ(count(*reader, "SELECT COUNT(*) FROM ledger_entries"), 0);
  EXPECT_EQ(count(*reader, "SELECT COUNT(*) FROM notification_outbox"), 0);

  ASSERT_TRUE(writes.run([&](Database& db) {
    return append_entry(db, customer.id, entry) &&
           queue_entry_notifications(db, *program.value, customer, entry, entry.at);
  }));
  EXPECT_EQ(count(*reader, "SELECT COUNT(*) FROM ledger_entries"), 1);
  EXPECT_EQ(kinds(*reader, "c-2"), (std::vector<std::string>{"points.earned", "reward.unlocked:r5",
                                                             "reward.unlocked:flex"}));
}

TEST(Notifier, ReadsHttpAndHttpsUrlsAndBacksOffUpToItsCap) {
  std::string error;
  auto target = parse_notify_url("http://127.0.0.1:8099/hooks?x=1", error);
  ASSERT_TRUE(target) << error;
  EXPECT_EQ(target->host, "127.0.0.1");
  EXPECT_EQ(target->port, "8099");
  EXPECT_EQ(target->path, "/hooks?x=1");
  EXPECT_FALSE(target->tls);
  EXPECT_EQ(parse_notify_url("http://example.com", error)->path, "/");
  auto secure = parse_notify_url("https://hooks.example.com/loyalty", error);
  ASSERT_TRUE(secure) << error;
  EXPECT_TRUE(secure->tls);
  EXPECT_EQ(secure->port, "443");
  EXPECT_EQ(secure->path, "/loyalty");
  EXPECT_EQ(parse_notify_url("https://hooks.example.com:8443", error)->port, "8443");
  EXPECT_FALSE(parse_notify_url("https://user:pw@example.com/", error));
  EXPECT_FALSE(make_tls_context("/no/such/ca.pem", error));
  EXPECT_NE(error.find("/no/such/ca.pem"), std::string::npos) << error;
  EXPECT_FALSE(parse_notify_url("ftp://example.com/", error));
  EXPECT_FALSE(parse_notify_url("http://:80/", error));
  EXPECT_FALSE(parse_notify_url("http://user:pw@example.com/", error));
  EXPECT_FALSE(parse_notify_url("http://example.com:0/", error));

  NotifyConfig config;
  config.retry_base_ms = 5000;
  config.retry_cap_ms = 30000;
  EXPECT_EQ(retry_delay_ms(config, 1), 5000);
  EXPECT_EQ(retry_delay_ms(config, 2), 10000);
  EXPECT_EQ(retry_delay_ms(config, 3), 20000);
  EXPECT_EQ(retry_delay_ms(config, 4), 30000);
  EXPECT_EQ(retry_delay_ms(config, 60), 30000);
}

// Reaching a tier with entry points: the tier's own points.earned (source "tier") beside the
// order's and the tier.reached, all from the one write.
TEST(TierEntryNotifications, ReachingATierWithEntryPointsQueuesThem) {
  std::ifstream file(std::string(LOYALTY_SOURCE_DIR) + "/demo/programs/full/program.json");
  std::string program_text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
  auto program = parse_program(program_text);
  ASSERT_TRUE(program.ok());
  auto parsed = parse_customer(R"({"version":1,"id":"c-3","status":"member","ledger":[]})");
  ASSERT_TRUE(parsed.ok());
  Customer customer = *parsed.value;
  const EpochSeconds at = 1767225600;  // 2026-01-01
  const Account before = replay(*program.value, customer, at);
  LedgerEntry order;
  order.id = "order-gold";
  order.type = EntryType::order_placed;
  order.at = at;
  order.recorded_at = at;
  order.order_id = "o-gold";
  order.amounts.subtotal = 120000;  // $1,200.00 at 1 point per $1: 1,200 points, past Gold (1,000)
  order.points = 1200;              // recorded with the entry, as the server does
  customer.ledger.push_back(order);
  const Account after = replay(*program.value, customer, at);
  std::vector<std::string> kinds;
  const nlohmann::json* tier_points = nullptr;
  const std::vector<Notification> queued =
      notifications_for_entry(*program.value, before, after, order);
  for (const Notification& notification : queued) {
    kinds.push_back(notification.kind + ":" + notification.payload.value("source", ""));
    if (notification.payload.value("source", "") == "tier") tier_points = &notification.payload;
  }
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "tier.reached:"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "points.earned:order"), kinds.end());
  ASSERT_NE(tier_points, nullptr) << ::testing::PrintToString(kinds);
  EXPECT_EQ((*tier_points)["tierId"], "gold");
  EXPECT_EQ((*tier_points)["points"], 100);
  EXPECT_EQ((*tier_points)["balance"], after.balance);
  // A later write that reaches no tier queues no tier points.
  LedgerEntry small = order;
  small.id = "order-small";
  small.order_id = "o-small";
  small.amounts.subtotal = 1000;
  small.points = 10;
  const Account before_small = after;
  customer.ledger.push_back(small);
  for (const Notification& notification : notifications_for_entry(
           *program.value, before_small, replay(*program.value, customer, at), small))
    EXPECT_NE(notification.payload.value("source", ""), "tier");
}

}  // namespace
}  // namespace loyalty::server
