// The backend's stores, each test run on both: a SQLite file and a PostgreSQL database of its
// own (tests/run starts a throwaway PostgreSQL; without one the PostgreSQL half skips, unless
// LOYALTY_REQUIRE_POSTGRES=1 makes that a failure). The same store functions, the same SQL text,
// the same answers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "auth.hpp"
#include "customer_store.hpp"
#include "database.hpp"
#include "email_key.hpp"
#include "friend_offers.hpp"
#include "idempotency_store.hpp"
#include "job_turn.hpp"
#include "order_event_store.hpp"
#include "outbox_store.hpp"
#include "pg_connection.hpp"
#include "pg_database.hpp"
#include "program_store.hpp"
#include "rate_limit_store.hpp"
#include "referral_store.hpp"

namespace loyalty::server {
namespace {

enum class Store { sqlite, postgres };

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string store_name(const ::testing::TestParamInfo<Store>& info) {
  return info.param == Store::sqlite ? "Sqlite" : "Postgres";
}

class StoreTest : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    const std::string suffix = std::to_string(getpid()) + "_" + random_hex(4);
    if (GetParam() == Store::sqlite) {
      directory_ = std::filesystem::temp_directory_path() / ("loyalty-store-" + suffix);
      std::filesystem::create_directories(directory_);
      options_.path = (directory_ / "shop.sqlite").string();
    } else {
      const char* url = std::getenv("LOYALTY_TEST_POSTGRES_URL");
      const char* required = std::getenv("LOYALTY_REQUIRE_POSTGRES");
      if (!url || !*url) {
        if (required && std::string(required) == "1") FAIL() << "LOYALTY_TEST_POSTGRES_URL unset";
        GTEST_SKIP() << "no PostgreSQL: run through tests/run, which starts one";
      }
      std::string error;
      admin_ = PgConnection::open(url, error);
      ASSERT_TRUE(admin_) << error;
      pg_name_ = "loyalty_store_" + suffix;
      PgResult created = admin_->exec_script(("CREATE DATABASE " + pg_name_).c_str());
      ASSERT_TRUE(created.ok()) << created.error();
      const std::string base = url;
      options_.path = base.substr(0, base.rfind('/') + 1) + pg_name_;
    }
    std::string error;
    db_ = Database::open(options_, error, /*create_schema=*/true);
    ASSERT_TRUE(db_) << error;
  }

  void TearDown() override {
    db_.reset();
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
    if (admin_)
      admin_->exec_script(("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)").c_str());
  }

  /// Another connection to the same store, as another thread or process has.
  std::unique_ptr<Database> connect() {
    std::string error;
    auto db = Database::open(options_, error);
    EXPECT_TRUE(db) << error;
    return db;
  }

  std::int64_t count(const char* sql) {
    auto query = db_->prepare(sql);
    return query.step() ? query.integer(0) : -1;
  }

  DatabaseOptions options_;
  std::unique_ptr<Database> db_;

 private:
  std::filesystem::path directory_;
  std::unique_ptr<PgConnection> admin_;
  std::string pg_name_;
};

INSTANTIATE_TEST_SUITE_P(BothStores, StoreTest, ::testing::Values(Store::sqlite, Store::postgres),
                         store_name);

LedgerEntry order_entry(const std::string& id, const std::string& order_id, EpochSeconds at) {
  LedgerEntry entry;
  entry.id = id;
  entry.type = EntryType::order_placed;
  entry.at = at;
  entry.recorded_at = at + 5;
  entry.order_id = order_id;
  entry.amounts = {12000, 1000, 500, 900};
  OrderLine mug;
  mug.product_id = "mug \"blue\"";
  mug.collections = {"kitchen", "gifts"};
  mug.quantity = 2;
  mug.amount = 8000;
  OrderLine card;
  card.product_id = "card";
  card.amount = 4000;
  card.kind = LineKind::gift_card;
  entry.lines = {mug, card};
  entry.points = 110;
  return entry;
}

TEST_P(StoreTest, ProgramVersionsAreKeptAndTheNewestIsRead) {
  StoredProgram latest;
  EXPECT_EQ(latest_program(*db_, latest), LoadStatus::not_found);
  const std::string first = R"({"name": "Café \"Points\"", "emoji": "☕"})";
  const std::string second = "{\"name\": \"second\",\n \"tab\": \"\t\"}";
  auto v1 = insert_program(*db_, first, 1700000000);
  auto v2 = insert_program(*db_, second, 1700000100);
  ASSERT_TRUE(v1 && v2);
  EXPECT_LT(*v1, *v2);
  ASSERT_EQ(latest_program(*db_, latest), LoadStatus::found);
  EXPECT_EQ(latest.version, *v2);
  EXPECT_EQ(latest.document, second);  // byte for byte
  EXPECT_EQ(latest.published_at, 1700000100);
  std::vector<StoredProgram> versions;
  ASSERT_TRUE(list_program_versions(*db_, versions));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, *v1);
  EXPECT_EQ(versions[0].published_at, 1700000000);
  EXPECT_EQ(versions[1].version, *v2);
}

TEST_P(StoreTest, ACustomerAndTheLedgerComeBackAsStored) {
  Customer customer;
  customer.id = "c-1";
  customer.first_name = "Zoë O'Brien";
  customer.email = "Zoe+shop@Example.com";
  customer.referral_code = "ZOE-7Q";
  customer.birthday = Birthday{2, 29, 1996, 1700000000};
  customer.joined_at = 1690000000;
  LedgerEntry signup;
  signup.id = "le_signup";
  signup.type = EntryType::earn;
  signup.at = 1690000000;
  signup.rule_id = "signup";
  signup.points = 100;
  customer.ledger = {signup, order_entry("le_order", "o-1", 1695000000)};
  ASSERT_TRUE(insert_customer(*db_, customer, 1690000000)) << db_->last_error();

  LedgerEntry redeem;
  redeem.id = "le_redeem";
  redeem.type = EntryType::redeem;
  redeem.at = 1699000000;
  redeem.reward_id = "r5";
  redeem.points = 500;
  redeem.code = "SAVE-5-ABC";
  LedgerEntry tier;
  tier.id = "le_tier";
  tier.type = EntryType::tier_change;
  tier.at = 1699000001;
  tier.tier_id = "gold";
  tier.until = 1730000000;
  LedgerEntry adjust;
  adjust.id = "le_adjust";
  adjust.type = EntryType::adjust;
  adjust.at = 1699000002;
  adjust.points = -40;
  adjust.reason = "goodwill, reversed";
  auto s1 = append_entry(*db_, "c-1", redeem);
  auto s2 = append_entry(*db_, "c-1", tier);
  auto s3 = append_entry(*db_, "c-1", adjust);
  ASSERT_TRUE(s1 && s2 && s3);
  EXPECT_LT(*s1, *s2);
  EXPECT_LT(*s2, *s3);

  Customer loaded;
  std::int64_t version = 0;
  ASSERT_EQ(load_customer(*db_, "c-1", loaded, version), LoadStatus::found);
  EXPECT_EQ(version, *s3);
  EXPECT_EQ(loaded.first_name, customer.first_name);
  EXPECT_EQ(loaded.email, customer.email);
  EXPECT_EQ(loaded.referral_code, customer.referral_code);
  ASSERT_TRUE(loaded.birthday);
  EXPECT_EQ(loaded.birthday->month, 2u);
  EXPECT_EQ(loaded.birthday->day, 29u);
  EXPECT_EQ(loaded.birthday->year, 1996);
  EXPECT_EQ(loaded.birthday->added_at, 1700000000);
  EXPECT_EQ(loaded.joined_at, 1690000000);
  std::vector<std::string> ids;
  for (const LedgerEntry& entry : loaded.ledger) ids.push_back(entry.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"le_signup", "le_order", "le_redeem", "le_tier",
                                           "le_adjust"}));
  const LedgerEntry& order = loaded.ledger[1];
  EXPECT_EQ(order.recorded_at, 1695000005);
  EXPECT_EQ(order.amounts.subtotal, 12000);
  EXPECT_EQ(order.amounts.tax, 900);
  ASSERT_EQ(order.lines.size(), 2u);
  EXPECT_EQ(order.lines[0].product_id, "mug \"blue\"");
  EXPECT_EQ(order.lines[0].collections, (std::vector<std::string>{"kitchen", "gifts"}));
  EXPECT_EQ(order.lines[1].kind, LineKind::gift_card);
  EXPECT_EQ(loaded.ledger[2].code, "SAVE-5-ABC");
  EXPECT_EQ(loaded.ledger[3].until, 1730000000);
  EXPECT_EQ(loaded.ledger[4].points, -40);
  EXPECT_EQ(loaded.ledger[4].reason, "goodwill, reversed");

  Customer row;
  std::int64_t row_version = 0;
  ASSERT_EQ(load_customer_row(*db_, "c-1", row, row_version), LoadStatus::found);
  EXPECT_EQ(row_version, *s3);
  EXPECT_TRUE(row.ledger.empty());
  EXPECT_TRUE(same_row(row, loaded));
  EXPECT_EQ(find_customer_by_referral_code(*db_, "ZOE-7Q"), std::optional<std::string>("c-1"));
  EXPECT_EQ(find_customer_by_referral_code(*db_, "zoe-7q"), std::nullopt);
  Customer nobody;
  EXPECT_EQ(load_customer(*db_, "c-2", nobody), LoadStatus::not_found);
  EXPECT_FALSE(insert_customer(*db_, customer, 1690000000)) << "the same id twice";
}

TEST_P(StoreTest, AProfileIsUpdatedAndMembersAreListed) {
  bool any = true;
  ASSERT_TRUE(has_customers(*db_, any));
  EXPECT_FALSE(any);
  for (const char* id : {"m-2", "g-1", "m-1"}) {
    Customer customer;
    customer.id = id;
    customer.member = id[0] == 'm';
    customer.email = std::string(id) + "@example.com";
    ASSERT_TRUE(insert_customer(*db_, customer, 1000)) << db_->last_error();
  }
  ASSERT_TRUE(has_customers(*db_, any));
  EXPECT_TRUE(any);
  std::vector<std::string> members;
  ASSERT_TRUE(list_member_ids(*db_, members));
  EXPECT_EQ(members, (std::vector<std::string>{"m-1", "m-2"}));

  Customer changed;
  changed.id = "m-1";
  changed.first_name = "Renée";
  changed.email = "Renee.M@Example.com";
  changed.birthday = Birthday{12, 31, std::nullopt, 1700000000};
  ASSERT_TRUE(update_customer_profile(*db_, changed)) << db_->last_error();
  Customer loaded;
  ASSERT_EQ(load_customer_row(*db_, "m-1", loaded), LoadStatus::found);
  EXPECT_EQ(loaded.first_name, "Renée");
  EXPECT_EQ(loaded.email, "Renee.M@Example.com");
  ASSERT_TRUE(loaded.birthday);
  EXPECT_EQ(loaded.birthday->month, 12u);
  EXPECT_EQ(loaded.birthday->year, std::nullopt);
  EXPECT_EQ(loaded.birthday->added_at, 1700000000);
  changed.birthday.reset();
  ASSERT_TRUE(update_customer_profile(*db_, changed));
  Customer again;
  ASSERT_EQ(load_customer_row(*db_, "m-1", again), LoadStatus::found);
  EXPECT_FALSE(again.birthday) << "a removed birthday is removed";
}

TEST_P(StoreTest, AnIdempotencyKeyIsClaimedOnceAndPrunedByAge) {
  const IdempotentAnswer first{"hash-a", 201, R"({"code":"SAVE-1"})"};
  EXPECT_EQ(claim_idempotency_key(*db_, "c-1", "key-1", first, 1000), KeyClaim::claimed);
  EXPECT_EQ(claim_idempotency_key(*db_, "c-1", "key-1", {"hash-b", 409, "{}"}, 1001),
            KeyClaim::already_used);
  EXPECT_EQ(claim_idempotency_key(*db_, "c-2", "key-1", {"hash-c", 201, "{}"}, 1002),
            KeyClaim::claimed)
      << "keys are per customer";
  IdempotentAnswer found;
  ASSERT_TRUE(find_idempotent_answer(*db_, "c-1", "key-1", found));
  EXPECT_EQ(found.request_hash, "hash-a");
  EXPECT_EQ(found.status, 201);
  EXPECT_EQ(found.response, first.response);
  EXPECT_FALSE(find_idempotent_answer(*db_, "c-1", "key-9", found));

  // Five more keys, old and new mixed; a pass in batches of two deletes exactly the old ones.
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(
        claim_idempotency_key(*db_, "c-3", "k" + std::to_string(i), first, i % 2 == 0 ? 500 : 5000),
        KeyClaim::claimed);
  KeyCursor cursor;
  std::int64_t seen = 0;
  int batches = 0;
  do {
    ASSERT_TRUE(prune_idempotency_keys(*db_, cursor, 2, 2000, seen));
    ++batches;
  } while (seen == 2);
  EXPECT_EQ(batches, 4);  // 8 keys: 2 + 2 + 2 + 2, then an empty batch ends the pass
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys"), 2);
  EXPECT_TRUE(find_idempotent_answer(*db_, "c-3", "k1", found));
  EXPECT_FALSE(find_idempotent_answer(*db_, "c-3", "k0", found));
}

TEST_P(StoreTest, TokenBucketsAreReadBackAndReplaced) {
  std::optional<TokenBucket> bucket;
  ASSERT_TRUE(read_token_bucket(*db_, "redeem:c-1", bucket));
  EXPECT_FALSE(bucket);
  ASSERT_TRUE(write_token_bucket(*db_, "redeem:c-1", {9000, 1700000000123}));
  ASSERT_TRUE(write_token_bucket(*db_, "redeem:c-1", {8000, 1700000000456}));
  ASSERT_TRUE(read_token_bucket(*db_, "redeem:c-1", bucket));
  ASSERT_TRUE(bucket);
  EXPECT_EQ(bucket->tokens_milli, 8000);
  EXPECT_EQ(bucket->updated_ms, 1700000000456);
  EXPECT_EQ(count("SELECT COUNT(*) FROM rate_limit_buckets"), 1);
}

TEST_P(StoreTest, AnOrderEventIsRecordedOnceAndFindsItsCustomer) {
  ASSERT_TRUE(record_order_event(*db_, {"evt-1", "c-1", "placed", "o-1", 120, 1700000000}));
  ASSERT_TRUE(record_order_event(*db_, {"evt-2", "c-1", "refunded", "o-1", -60, 1700000100}));
  EXPECT_FALSE(record_order_event(*db_, {"evt-1", "c-9", "placed", "o-9", 1, 1700000200}))
      << "an event id is recorded once";
  StoredOrderEvent seen;
  ASSERT_EQ(find_order_event(*db_, "evt-2", seen), LoadStatus::found);
  EXPECT_EQ(seen.customer_id, "c-1");
  EXPECT_EQ(seen.type, "refunded");
  EXPECT_EQ(seen.points, -60);
  EXPECT_EQ(seen.received_at, 1700000100);
  EXPECT_EQ(find_order_event(*db_, "evt-3", seen), LoadStatus::not_found);
  std::string customer;
  ASSERT_EQ(find_customer_of_order(*db_, "o-1", customer), LoadStatus::found);
  EXPECT_EQ(customer, "c-1");
  EXPECT_EQ(find_customer_of_order(*db_, "o-2", customer), LoadStatus::not_found);
}

TEST_P(StoreTest, ReferralAttemptsAnswerTheChecksQuestions) {
  ASSERT_TRUE(record_referral_attempt(*db_,
                                      {std::string_view("c-1"), "ZOE-7Q", "ann@example.com", "f-1",
                                       "o-1", "10.0.0.1", "qualified", 500, "REF-1"},
                                      1000));
  ASSERT_TRUE(record_referral_attempt(
      *db_,
      {std::nullopt, "NOPE", "bob@example.com", "", "", "10.0.0.1", "referral.unknownCode", 0, ""},
      2000));
  std::int64_t attempts = -1;
  ASSERT_TRUE(count_referral_attempts(*db_, "10.0.0.1", 999, attempts));
  EXPECT_EQ(attempts, 2);
  ASSERT_TRUE(count_referral_attempts(*db_, "10.0.0.1", 1000, attempts));
  EXPECT_EQ(attempts, 1) << "only those after `since`";
  ASSERT_TRUE(count_referral_attempts(*db_, "10.0.0.2", 0, attempts));
  EXPECT_EQ(attempts, 0);
  bool used = false;
  ASSERT_TRUE(order_qualified_a_referral(*db_, "o-1", used));
  EXPECT_TRUE(used);
  ASSERT_TRUE(order_qualified_a_referral(*db_, "o-2", used));
  EXPECT_FALSE(used);
  ASSERT_TRUE(mailbox_was_referred(*db_, "ann@example.com", used));
  EXPECT_TRUE(used);
  ASSERT_TRUE(mailbox_was_referred(*db_, "bob@example.com", used))
      << "refused attempts don't count";
  EXPECT_FALSE(used);

  Customer ann;
  ann.id = "f-1";
  ann.email = "Ann+shop@Example.com";  // the mailbox ann@example.com
  ann.ledger = {order_entry("le_o", "o-1", 1500)};
  ASSERT_TRUE(insert_customer(*db_, ann, 1500)) << db_->last_error();
  Customer guest;
  guest.id = "f-2";
  guest.member = false;
  guest.email = "ann@example.com";
  ASSERT_TRUE(insert_customer(*db_, guest, 1600));
  std::vector<std::string> ids;
  ASSERT_TRUE(find_customers_by_email_key(*db_, normalize_email(ann.email), ids));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"f-1", "f-2"}));
  bool ordered = false;
  ASSERT_TRUE(mailbox_has_ordered(*db_, "ann@example.com", ordered));
  EXPECT_TRUE(ordered);
  ASSERT_TRUE(mailbox_has_ordered(*db_, "bob@example.com", ordered));
  EXPECT_FALSE(ordered);
}

TEST_P(StoreTest, FriendOffersHoldOnePerMailbox) {
  ASSERT_TRUE(insert_friend_offer(*db_, {"ann@example.com", "ZOE-7Q", "c-1", "REF-1", 1000}));
  EXPECT_FALSE(insert_friend_offer(*db_, {"ann@example.com", "BOB-2", "c-2", "REF-2", 1001}));
  FriendOffer offer;
  ASSERT_EQ(find_friend_offer(*db_, "ann@example.com", offer), LoadStatus::found);
  EXPECT_EQ(offer.coupon, "REF-1");
  EXPECT_EQ(offer.advocate_id, "c-1");
  EXPECT_EQ(find_friend_offer(*db_, "bob@example.com", offer), LoadStatus::not_found);
}

TEST_P(StoreTest, TheOutboxQueuesOncePerKeyAndTracksDelivery) {
  ASSERT_TRUE(enqueue_notification(*db_, "c-1", "points.earned", R"({"points":5})", "", 1000));
  ASSERT_TRUE(enqueue_notification(*db_, "c-1", "points.expiring", "{}", "lot-1", 1000));
  ASSERT_TRUE(enqueue_notification(*db_, "c-1", "points.expiring", "{}", "lot-1", 1001));
  std::vector<OutboxRow> due;  // due at once: by the server's clock
  ASSERT_TRUE(due_notifications(*db_, now_ms() + 1000, 10, due));
  ASSERT_EQ(due.size(), 2u) << "the same dedupe key queues once";
  EXPECT_EQ(due[0].kind, "points.earned");
  EXPECT_EQ(due[0].payload, R"({"points":5})");
  ASSERT_TRUE(mark_delivered(*db_, due[0].id, 1002));
  ASSERT_TRUE(mark_failed(*db_, due[1].id, "HTTP 503", 5000 * 1000, /*dead=*/true));
  std::vector<OutboxRow> delivered;
  ASSERT_TRUE(list_outbox_rows(*db_, OutboxState::delivered, 0, 10, delivered));
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].delivered_at, 1002);
  std::vector<OutboxRow> dead;
  ASSERT_TRUE(list_outbox_rows(*db_, OutboxState::dead, 0, 10, dead));
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].last_error, std::optional<std::string>("HTTP 503"));
  EXPECT_EQ(requeue_dead_notification(*db_, dead[0].id, 6000 * 1000), RequeueResult::requeued);
  EXPECT_EQ(requeue_dead_notification(*db_, dead[0].id, 6000 * 1000), RequeueResult::not_dead);
  EXPECT_EQ(requeue_dead_notification(*db_, "ntf_nope", 6000 * 1000), RequeueResult::not_found);
  EXPECT_EQ(next_due_ms(*db_), std::optional<std::int64_t>(6000 * 1000));
}

// Two processes' notifiers on one PostgreSQL outbox: a row one has claimed is skipped by the
// other, not waited for, and is due again once the claim ends without marking it. Neither claim
// takes the store's write lock, so a writer is not held up by a delivery under way.
TEST_P(StoreTest, AClaimedNotificationIsSkippedByOthersUntilItsClaimEnds) {
  if (GetParam() == Store::sqlite) GTEST_SKIP() << "one process owns a SQLite outbox";
  ASSERT_TRUE(enqueue_notification(*db_, "c-1", "points.earned", "{}", "", 1000));
  ASSERT_TRUE(enqueue_notification(*db_, "c-2", "points.earned", "{}", "", 1000));
  auto other = connect();
  auto writer = connect();
  ASSERT_TRUE(other && writer);
  const std::int64_t due_at = now_ms() + 1000;
  std::optional<OutboxRow> mine;
  std::optional<OutboxRow> theirs;
  std::optional<OutboxRow> none;
  {
    Transaction claim(*db_, Transaction::Kind::claim);
    ASSERT_TRUE(claim.begun()) << db_->last_error();
    ASSERT_TRUE(claim_due_notification(*db_, due_at, mine));
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->customer_id, "c-1");
    {
      Transaction second(*other, Transaction::Kind::claim);
      ASSERT_TRUE(claim_due_notification(*other, due_at, theirs));
      ASSERT_TRUE(theirs);
      EXPECT_EQ(theirs->customer_id, "c-2");  // the first row is skipped, not waited for
      Transaction third(*writer, Transaction::Kind::claim);
      ASSERT_TRUE(claim_due_notification(*writer, due_at, none));
      EXPECT_FALSE(none);  // both rows are claimed
    }
    // The store's write lock is free while deliveries are under way.
    Transaction write(*writer, Transaction::Kind::write);
    EXPECT_TRUE(write.begun()) << writer->last_error();
    EXPECT_TRUE(write.commit());
  }  // both claims end unmarked (a process died, a mark failed): both rows are due again
  Transaction again(*other, Transaction::Kind::claim);
  std::optional<OutboxRow> first_again;
  ASSERT_TRUE(claim_due_notification(*other, due_at, first_again));
  ASSERT_TRUE(first_again);
  EXPECT_EQ(first_again->id, mine->id);
  EXPECT_EQ(first_again->attempts, 0);
}

// Periodic jobs with several processes on one database: one turn per job at a time, given back
// when the pass ends or its connection goes; a SQLite file's one process always has its turn.
TEST_P(StoreTest, OneProcessAtATimeTakesAJobsTurn) {
  auto other = connect();
  ASSERT_TRUE(other);
  const bool shared = GetParam() == Store::postgres;
  {
    const JobTurn sweeping(*db_, Job::expiry_sweep);
    EXPECT_TRUE(sweeping.mine());
    EXPECT_EQ(JobTurn(*other, Job::expiry_sweep).mine(), !shared);
    EXPECT_TRUE(JobTurn(*other, Job::key_pruning).mine());  // another job: its own turn
  }
  EXPECT_TRUE(JobTurn(*other, Job::expiry_sweep).mine());  // given back
  if (!shared) return;
  // The holder's connection goes (its process died): PostgreSQL gives the turn back.
  auto doomed = connect();
  ASSERT_TRUE(doomed);
  const JobTurn held(*doomed, Job::key_pruning);
  ASSERT_TRUE(held.mine());
  EXPECT_FALSE(JobTurn(*other, Job::key_pruning).mine());
  const std::int64_t pid = [&] {
    auto query = doomed->prepare("SELECT pg_backend_pid()");
    return query.step() ? query.integer(0) : -1;
  }();
  auto kill = db_->prepare("SELECT pg_terminate_backend(?1, 10000)");
  kill.bind(1, pid);
  ASSERT_TRUE(kill.step());
  EXPECT_TRUE(JobTurn(*other, Job::key_pruning).mine());
}

TEST_P(StoreTest, ATransactionRollsBackUnlessCommittedAndCountsItsChanges) {
  {
    Transaction transaction(*db_, Transaction::Kind::write);
    ASSERT_TRUE(transaction.begun());
    ASSERT_TRUE(insert_program(*db_, "{}", 1));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM programs"), 0);
  {
    Transaction transaction(*db_, Transaction::Kind::write);
    ASSERT_TRUE(insert_program(*db_, "{}", 1) && insert_program(*db_, "{}", 2));
    ASSERT_TRUE(transaction.commit());
  }
  auto other = connect();
  ASSERT_TRUE(other);
  auto seen = other->prepare("SELECT COUNT(*) FROM programs");
  ASSERT_TRUE(seen.step());
  EXPECT_EQ(seen.integer(0), 2) << "committed: visible to another connection";
  auto update = db_->prepare("UPDATE programs SET published_at = published_at + 1");
  ASSERT_TRUE(update.run());
  EXPECT_EQ(db_->changes(), 2);
}

TEST_P(StoreTest, ConditionsReadAsTheIntegersSqliteGives) {
  EXPECT_EQ(count("SELECT EXISTS (SELECT 1 FROM programs)"), 0);
  ASSERT_TRUE(insert_program(*db_, "{}", 1));
  EXPECT_EQ(count("SELECT EXISTS (SELECT 1 FROM programs)"), 1);
  EXPECT_EQ(count("SELECT 1 = 2"), 0);
}

TEST_P(StoreTest, BadSqlIsAnErrorValueWithTheStoresMessage) {
  auto bad = db_->prepare("SELECT no_such_column FROM programs");
  EXPECT_FALSE(bad.step());
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(db_->last_error().find("no_such_column"), std::string::npos) << db_->last_error();
  // The connection is still usable afterwards.
  EXPECT_EQ(count("SELECT COUNT(*) FROM programs"), 0);
}

TEST_P(StoreTest, WritersTakeTurnsWhicheverConnectionTheyUse) {
  // The store's write lock: while one connection (another process, say) writes, a second can't
  // begin writing; waiting no more than its busy timeout, it gives up. Once the first commits,
  // the second writes and sees the first's write.
  Customer customer;
  customer.id = "c-1";
  ASSERT_TRUE(insert_customer(*db_, customer, 1000)) << db_->last_error();
  DatabaseOptions impatient = options_;
  impatient.busy_timeout_ms = 50;
  std::string error;
  auto other = Database::open(impatient, error);
  ASSERT_TRUE(other) << error;
  LedgerEntry redeem;
  redeem.type = EntryType::redeem;
  redeem.reward_id = "r5";
  redeem.points = 500;
  {
    Transaction one(*db_, Transaction::Kind::write);
    ASSERT_TRUE(one.begun()) << db_->last_error();
    redeem.id = "le_one";
    ASSERT_TRUE(append_entry(*db_, "c-1", redeem)) << db_->last_error();
    Transaction blocked(*other, Transaction::Kind::write);
    EXPECT_FALSE(blocked.begun());
    // Reads don't wait: a snapshot without the uncommitted entry.
    Transaction snapshot(*other, Transaction::Kind::read);
    ASSERT_TRUE(snapshot.begun()) << other->last_error();
    Customer seen;
    ASSERT_EQ(load_customer(*other, "c-1", seen), LoadStatus::found);
    EXPECT_TRUE(seen.ledger.empty());
    ASSERT_TRUE(snapshot.commit());
    ASSERT_TRUE(one.commit()) << db_->last_error();
  }
  Transaction two(*other, Transaction::Kind::write);
  ASSERT_TRUE(two.begun()) << other->last_error();
  Customer seen;
  ASSERT_EQ(load_customer(*other, "c-1", seen), LoadStatus::found);
  ASSERT_EQ(seen.ledger.size(), 1u);
  EXPECT_EQ(seen.ledger[0].id, "le_one");
  redeem.id = "le_two";
  ASSERT_TRUE(append_entry(*other, "c-1", redeem)) << other->last_error();
  ASSERT_TRUE(two.commit()) << other->last_error();
  Customer after;
  ASSERT_EQ(load_customer(*db_, "c-1", after), LoadStatus::found);
  EXPECT_EQ(after.ledger.size(), 2u);
}

// PostgreSQL restarted or failed over under a running server: the connection is cut between
// two units of work. The next transaction connects again by itself, and both kinds begin.
TEST_P(StoreTest, ATransactionReconnectsAfterTheDatabaseCutTheConnection) {
  if (GetParam() == Store::sqlite) GTEST_SKIP() << "a SQLite file has no connection to lose";
  std::string error;
  auto other = PgConnection::open(std::getenv("LOYALTY_TEST_POSTGRES_URL"), error);
  ASSERT_TRUE(other) << error;
  for (const auto kind : {Transaction::Kind::read, Transaction::Kind::write}) {
    const std::int64_t before = count("SELECT pg_backend_pid()");
    ASSERT_TRUE(
        other->exec("SELECT pg_terminate_backend($1, 10000)", PgParams().integer(before)).ok());
    Transaction transaction(*db_, kind);
    ASSERT_TRUE(transaction.begun()) << db_->last_error();
    EXPECT_NE(count("SELECT pg_backend_pid()"), before);
    EXPECT_EQ(count("SELECT COUNT(*) FROM programs"), 0);
    EXPECT_TRUE(transaction.commit()) << db_->last_error();
  }
}

TEST(PostgresParameters, QuestionMarksOutsideQuotesBecomeDollars) {
  EXPECT_EQ(postgres_parameters("SELECT a FROM t WHERE b = ?1 AND c > ?12"),
            "SELECT a FROM t WHERE b = $1 AND c > $12");
  EXPECT_EQ(postgres_parameters("SELECT '?1', \"?2\" FROM t WHERE x = ?3"),
            "SELECT '?1', \"?2\" FROM t WHERE x = $3");
  EXPECT_EQ(postgres_parameters("SELECT 'it''s ?1' WHERE y = ?2"),
            "SELECT 'it''s ?1' WHERE y = $2");
  EXPECT_EQ(postgres_parameters("SELECT ? FROM t"), "SELECT ? FROM t") << "only numbered ones";
  std::size_t highest = 0;
  postgres_parameters("INSERT INTO t VALUES (?2, ?10, ?3, '?11')", &highest);
  EXPECT_EQ(highest, 10u);
}

}  // namespace
}  // namespace loyalty::server
