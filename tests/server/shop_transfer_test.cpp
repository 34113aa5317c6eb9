// Moving a shop between stores (shop_transfer.hpp): SQLite -> PostgreSQL -> SQLite keeps every
// row byte for byte and every customer's replay; a damaged export stores nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "customer_store.hpp"
#include "database.hpp"
#include "loyalty/account.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"
#include "pg_connection.hpp"
#include "row_store.hpp"
#include "shop_transfer.hpp"

namespace loyalty::server {
namespace {

namespace fs = std::filesystem;
constexpr EpochSeconds kNow = 1767225600;  // 2026-01-01T00:00:00Z

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const fs::path kFull = fs::path(LOYALTY_SOURCE_DIR) / "demo/programs/full";

class ShopTransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("loyalty-transfer-" + std::to_string(getpid()) + "-" + current_test_name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override {
    fs::remove_all(directory_);
    if (admin_ && !pg_name_.empty()) {
      admin_->exec_script(("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)").c_str());
    }
  }

  static std::string current_test_name() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  std::string sqlite_path(const std::string& name) const { return (directory_ / name).string(); }

  /// A shop with every kind of row: the full demo program (twice published), its customers
  /// and their ledgers, and a key, an event, a claim and an offer with odd text and NULLs.
  std::string make_source_shop() {
    const std::string path = sqlite_path("source.db");
    std::string error;
    auto db = SqliteDatabase::open(DatabaseOptions{path}, error, true);
    EXPECT_TRUE(db) << error;
    const std::string program = read_text(kFull / "program.json");
    for (int version = 0; version < 2; ++version) {
      auto insert = db->prepare("INSERT INTO programs (published_at, document) VALUES (?1, ?2)");
      EXPECT_TRUE(insert.bind(1, std::int64_t{kNow - 100 + version}).bind(2, program).run());
    }
    for (const auto& file : fs::directory_iterator(kFull / "customers")) {
      auto parsed = parse_customer(read_text(file.path()));
      EXPECT_TRUE(parsed.ok()) << file.path();
      Customer customer = std::move(*parsed.value);
      customer.summary.reset();
      if (customer.member && customer.referral_code.empty())
        customer.referral_code = "CODE-" + customer.id;
      EXPECT_TRUE(insert_customer(*db, customer, kNow)) << db->last_error();
      customer_ids_.push_back(customer.id);
    }
    EXPECT_TRUE(db->exec(
        "INSERT INTO idempotency_keys VALUES ('vip', 'key-ü-1', 'abc', 201, '{\"ok\":true}', 1);"
        "INSERT INTO order_events VALUES ('evt-1', 'vip', 'placed', 'o-1', 125, 1767225000);"
        "INSERT INTO referral_claims (advocate_id, code, friend_email_key, friend_customer_id, "
        "  order_id, ip, outcome, points, friend_coupon, created_at) VALUES "
        "  ('vip', 'CODE-vip', 'dee@example.com', NULL, 'o-9', '127.0.0.1', 'rewarded', 500, "
        "   NULL, 1767225100);"
        "INSERT INTO friend_offers VALUES ('dee@example.com', 'CODE-vip', 'vip', "
        "  'REF-\xE2\x9C\x93-1', 1767225200);"
        "INSERT INTO notification_outbox (id, customer_id, kind, payload, dedupe_key, "
        "  created_at, attempts, next_attempt_at, delivered_at, last_error, dead) VALUES "
        "  ('ntf_1', 'vip', 'points.earned', '{\"points\":125}', NULL, 1767225000, 0, "
        "   1767225000000, NULL, NULL, 0),"
        "  ('ntf_2', 'vip', 'points.expiring', '{}', 'vip:1767225600:40', 1767225001, 8, "
        "   1767225001000, NULL, 'HTTP 500', 1);"));
    return path;
  }

  /// A fresh PostgreSQL database of this test's own, or "" (then the test skips).
  std::string make_postgres_database() {
    const char* url = std::getenv("LOYALTY_TEST_POSTGRES_URL");
    if (!url || !*url) return "";
    std::string error;
    admin_ = PgConnection::open(url, error);
    EXPECT_TRUE(admin_) << error;
    pg_name_ = "loyalty_transfer_" + std::to_string(getpid());
    admin_->exec_script(("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)").c_str());
    EXPECT_TRUE(admin_->exec_script(("CREATE DATABASE " + pg_name_).c_str()).ok());
    const std::string base = url;
    return base.substr(0, base.rfind('/') + 1) + pg_name_;
  }

  static std::string export_text(const std::string& database) {
    std::string error;
    auto store = open_row_store(database, error);
    EXPECT_TRUE(store) << error;
    std::ostringstream out;
    EXPECT_TRUE(export_shop(*store, out, error)) << error;
    return out.str();
  }

  static bool import_text(const std::string& database, const std::string& text,
                          std::string& error) {
    auto store = open_row_store(database, error);
    if (!store) return false;
    std::istringstream in(text);
    return import_shop(*store, in, error);
  }

  /// Every customer's replayed document (summary and whole ledger) from a SQLite store.
  std::vector<std::string> replays(const std::string& path) const {
    std::string error;
    auto db = SqliteDatabase::open(DatabaseOptions{path}, error, true);
    EXPECT_TRUE(db) << error;
    auto program = parse_program(read_text(kFull / "program.json"));
    EXPECT_TRUE(program.ok());
    std::vector<std::string> documents;
    for (const std::string& id : customer_ids_) {
      Customer customer;
      EXPECT_EQ(load_customer(*db, id, customer), LoadStatus::found) << id;
      const Account account = replay(*program.value, customer, kNow);
      documents.push_back(customer_json(*program.value, customer, account, customer.ledger.size()));
    }
    return documents;
  }

  static std::int64_t count_rows(const std::string& path, const char* sql) {
    std::string error;
    auto db = SqliteDatabase::open(DatabaseOptions{path}, error, true);
    auto query = db->prepare(sql);
    return query.step() ? query.integer(0) : -1;
  }

  fs::path directory_;
  std::vector<std::string> customer_ids_;
  std::unique_ptr<PgConnection> admin_;
  std::string pg_name_;
};

TEST_F(ShopTransferTest, SqliteToSqliteKeepsEveryRowAndReplay) {
  const std::string source = make_source_shop();
  const std::string exported = export_text(source);
  std::string error;
  ASSERT_TRUE(import_text(sqlite_path("copy.db"), exported, error)) << error;
  EXPECT_EQ(export_text(sqlite_path("copy.db")), exported);
  EXPECT_EQ(replays(sqlite_path("copy.db")), replays(source));
  // New rows get keys after the imported ones.
  std::string program_error;
  auto copy = SqliteDatabase::open(DatabaseOptions{sqlite_path("copy.db")}, program_error, true);
  ASSERT_TRUE(copy->exec("INSERT INTO programs (published_at, document) VALUES (1, '{}');"));
  auto newest = copy->prepare("SELECT MAX(version) FROM programs");
  ASSERT_TRUE(newest.step());
  EXPECT_EQ(newest.integer(0), 3);
}

TEST_F(ShopTransferTest, SqliteToPostgresToSqliteKeepsEveryRowAndReplay) {
  const std::string postgres = make_postgres_database();
  if (postgres.empty()) {
    const char* required = std::getenv("LOYALTY_REQUIRE_POSTGRES");
    if (required && std::string(required) == "1") FAIL() << "LOYALTY_TEST_POSTGRES_URL unset";
    GTEST_SKIP() << "no PostgreSQL: run through tests/run, which starts one";
  }
  const std::string source = make_source_shop();
  const std::string exported = export_text(source);
  std::string error;
  ASSERT_TRUE(import_text(postgres, exported, error)) << error;
  EXPECT_EQ(export_text(postgres), exported) << "PostgreSQL lists the same rows";
  ASSERT_TRUE(import_text(sqlite_path("back.db"), export_text(postgres), error)) << error;
  EXPECT_EQ(export_text(sqlite_path("back.db")), exported);
  const std::vector<std::string> before = replays(source);
  EXPECT_EQ(replays(sqlite_path("back.db")), before);
  EXPECT_EQ(before.size(), 5u);

  // PostgreSQL's serial keys continue after the imported ones.
  std::unique_ptr<PgConnection> connection = PgConnection::open(postgres, error);
  ASSERT_TRUE(connection) << error;
  PgResult version = connection->exec(
      "INSERT INTO programs (published_at, document) VALUES (1, '{}') RETURNING version");
  ASSERT_TRUE(version.ok()) << version.error();
  EXPECT_EQ(version.integer(0, 0), 3);
}

TEST_F(ShopTransferTest, ADamagedExportStoresNothing) {
  const std::string exported = export_text(make_source_shop());
  const std::string target = sqlite_path("target.db");
  const auto lines_of = [](const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  };
  const std::vector<std::string> lines = lines_of(exported);
  ASSERT_GT(lines.size(), 10u);
  const auto join = [](const std::vector<std::string>& parts) {
    std::string text;
    for (const auto& part : parts) text += part + "\n";
    return text;
  };
  std::string error;

  // Cut short: the end line is missing.
  std::vector<std::string> cut(lines.begin(), lines.end() - 3);
  EXPECT_FALSE(import_text(target, join(cut), error));
  EXPECT_NE(error.find("cut short"), std::string::npos) << error;
  EXPECT_EQ(count_rows(target, "SELECT COUNT(*) FROM ledger_entries"), 0);

  // A row whose value has the wrong type names its line and column.
  std::vector<std::string> wrong = lines;
  for (std::size_t index = 1; index < wrong.size(); ++index) {
    if (wrong[index].find("\"ledger_entries\"") != std::string::npos) {
      const std::size_t at = wrong[index].find("\"points\":");
      ASSERT_NE(at, std::string::npos);
      wrong[index].replace(at, 9, "\"points\":\"many\",\"x\":");
      EXPECT_FALSE(import_text(target, join(wrong), error));
      EXPECT_NE(error.find("line " + std::to_string(index + 1) + ": /row/"), std::string::npos)
          << error;
      break;
    }
  }
  EXPECT_EQ(count_rows(target, "SELECT COUNT(*) FROM customers"), 0);

  // The end line's count must match.
  std::vector<std::string> miscounted = lines;
  miscounted.erase(miscounted.end() - 2);  // the friend offer, which nothing refers to
  EXPECT_FALSE(import_text(target, join(miscounted), error));
  EXPECT_NE(error.find("/end/rows"), std::string::npos) << error;

  // Another schema version, or not an export at all.
  std::vector<std::string> other = lines;
  other[0] = R"({"format":"loyalty-shop","schemaVersion":99})";
  EXPECT_FALSE(import_text(target, join(other), error));
  EXPECT_NE(error.find("line 1: /schemaVersion"), std::string::npos) << error;
  EXPECT_FALSE(import_text(target, "[1,2]\n", error));
  EXPECT_NE(error.find("line 1"), std::string::npos) << error;
  EXPECT_EQ(count_rows(target, "SELECT COUNT(*) FROM programs"), 0);

  // A whole, valid export then goes in; a second import into the same store is refused.
  ASSERT_TRUE(import_text(target, exported, error)) << error;
  EXPECT_FALSE(import_text(target, exported, error));
  EXPECT_NE(error.find("not empty"), std::string::npos) << error;
}

}  // namespace
}  // namespace loyalty::server
