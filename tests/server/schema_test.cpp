// The stores' schema steps (schema.hpp): SQLite files of every age reach the latest version,
// PostgreSQL databases too (several servers starting at once take each step once), a database
// newer than the server is refused, and both stores end with the same tables and columns.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "database.hpp"
#include "pg_connection.hpp"
#include "pg_schema.hpp"
#include "schema.hpp"

namespace loyalty::server {
namespace {

using Columns = std::map<std::string, std::set<std::string>>;  // table -> column names

class SqliteSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("loyalty-schema-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    remove_files();
  }
  void TearDown() override { remove_files(); }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  /// Runs raw SQL on the file as an older server (or another tool) would have left it.
  void raw(const char* sql) {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &handle), SQLITE_OK);
    char* message = nullptr;
    const int status = sqlite3_exec(handle, sql, nullptr, nullptr, &message);
    EXPECT_EQ(status, SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(handle);
  }

  std::unique_ptr<SqliteDatabase> open(std::string& error) {
    return SqliteDatabase::open(DatabaseOptions{path_}, error, /*create_schema=*/true);
  }

  static std::int64_t single_integer(Database& db, const char* sql) {
    auto statement = db.prepare(sql);
    EXPECT_TRUE(statement.step()) << db.last_error();
    return statement.integer(0);
  }

  std::string path_;
};

Columns sqlite_columns(SqliteDatabase& db) {
  Columns columns;
  std::vector<std::string> tables;
  {
    auto list = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (list.step()) tables.push_back(list.text(0));
  }
  for (const auto& table : tables) {
    const std::string sql = "SELECT name FROM pragma_table_info('" + table + "')";
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &statement, nullptr);
    while (sqlite3_step(statement) == SQLITE_ROW) {
      columns[table].insert(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
    }
    sqlite3_finalize(statement);
  }
  return columns;
}

TEST_F(SqliteSchemaTest, ANewFileTakesEveryStep) {
  std::string error;
  auto db = open(error);
  ASSERT_TRUE(db) << error;
  EXPECT_EQ(single_integer(*db, "PRAGMA user_version"), latest_schema_version());
  const Columns columns = sqlite_columns(*db);
  for (const char* table :
       {"programs", "customers", "ledger_entries", "idempotency_keys", "order_events",
        "referral_claims", "friend_offers", "rate_limit_buckets"}) {
    EXPECT_TRUE(columns.count(table)) << table;
  }
}

TEST_F(SqliteSchemaTest, AFileFromBeforeVersionsKeepsItsRowsAndGainsWhatItLacked) {
  // The layout of an early release: no recorded_at or lines on entries, no friend_offers.
  raw(R"sql(
    CREATE TABLE customers (id TEXT PRIMARY KEY, status TEXT NOT NULL DEFAULT 'member',
      first_name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
      email_key TEXT NOT NULL DEFAULT '', referral_code TEXT UNIQUE, birthday_month INTEGER,
      birthday_day INTEGER, birthday_year INTEGER, birthday_added_at INTEGER, joined_at INTEGER,
      created_at INTEGER NOT NULL);
    CREATE TABLE ledger_entries (seq INTEGER PRIMARY KEY AUTOINCREMENT,
      customer_id TEXT NOT NULL REFERENCES customers(id), entry_id TEXT NOT NULL,
      type TEXT NOT NULL, at INTEGER NOT NULL, order_id TEXT, subtotal INTEGER,
      discount INTEGER, shipping INTEGER, tax INTEGER, amount INTEGER, points INTEGER,
      rule_id TEXT, reward_id TEXT, tier_id TEXT, until INTEGER, code TEXT, reason TEXT);
    INSERT INTO customers (id, first_name, created_at) VALUES ('c-1', 'Ada', 1735689600);
    INSERT INTO ledger_entries (customer_id, entry_id, type, at, points)
      VALUES ('c-1', 'e-1', 'earn', 1735689600, 120);
  )sql");
  std::string error;
  auto db = open(error);
  ASSERT_TRUE(db) << error;
  EXPECT_EQ(single_integer(*db, "PRAGMA user_version"), latest_schema_version());
  const Columns columns = sqlite_columns(*db);
  EXPECT_TRUE(columns.at("ledger_entries").count("recorded_at"));
  EXPECT_TRUE(columns.at("ledger_entries").count("lines"));
  EXPECT_TRUE(columns.count("friend_offers"));
  EXPECT_EQ(single_integer(*db, "SELECT points FROM ledger_entries WHERE entry_id = 'e-1'"), 120);
  EXPECT_EQ(single_integer(*db, "SELECT recorded_at IS NULL FROM ledger_entries"), 1);
  db.reset();

  // Opening it again takes no step and changes nothing.
  auto again = open(error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(single_integer(*again, "SELECT COUNT(*) FROM ledger_entries"), 1);
}

TEST_F(SqliteSchemaTest, AFileNewerThanTheServerIsRefused) {
  const std::string newer =
      "PRAGMA user_version=" + std::to_string(latest_schema_version() + 1) + ";";
  raw(newer.c_str());
  std::string error;
  EXPECT_EQ(open(error), nullptr);
  EXPECT_NE(error.find("newer than this server"), std::string::npos) << error;
}

// ---- PostgreSQL: a database of its own per test (tables have fixed names) ----

class PostgresSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("LOYALTY_TEST_POSTGRES_URL");
    const char* required = std::getenv("LOYALTY_REQUIRE_POSTGRES");
    if (!url || !*url) {
      if (required && std::string(required) == "1") FAIL() << "LOYALTY_TEST_POSTGRES_URL unset";
      GTEST_SKIP() << "no PostgreSQL: run through tests/run, which starts one";
    }
    base_url_ = url;
    std::string error;
    admin_ = PgConnection::open(base_url_, error);
    ASSERT_TRUE(admin_) << error;
    name_ = "loyalty_schema_" + std::to_string(getpid());
    admin_->exec_script(("DROP DATABASE IF EXISTS " + name_).c_str());
    PgResult created = admin_->exec_script(("CREATE DATABASE " + name_).c_str());
    ASSERT_TRUE(created.ok()) << created.error();
    url_ = base_url_.substr(0, base_url_.rfind('/') + 1) + name_;
  }

  void TearDown() override {
    if (admin_) admin_->exec_script(("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str());
  }

  std::unique_ptr<PgConnection> connect() {
    std::string error;
    auto connection = PgConnection::open(url_, error);
    EXPECT_TRUE(connection) << error;
    return connection;
  }

  std::string base_url_;
  std::string url_;
  std::string name_;
  std::unique_ptr<PgConnection> admin_;
};

Columns postgres_columns(PgConnection& connection) {
  Columns columns;
  PgResult rows = connection.exec(
      "SELECT table_name, column_name FROM information_schema.columns "
      "WHERE table_schema = 'public' AND table_name <> 'schema_migrations'");
  EXPECT_TRUE(rows.ok()) << rows.error();
  for (int row = 0; row < rows.rows(); ++row) columns[rows.text(row, 0)].insert(rows.text(row, 1));
  return columns;
}

TEST_F(PostgresSchemaTest, ServersStartingTogetherTakeEachStepOnce) {
  constexpr int kServers = 4;
  std::vector<int> versions(kServers, -1);
  std::vector<std::string> errors(kServers);
  std::vector<std::thread> servers;
  for (int server = 0; server < kServers; ++server) {
    servers.emplace_back([&, server] {
      std::string error;
      auto connection = PgConnection::open(url_, error);
      if (!connection) {
        errors[server] = error;
        return;
      }
      versions[server] = migrate_postgres(*connection, errors[server]);
    });
  }
  for (auto& server : servers) server.join();
  for (int server = 0; server < kServers; ++server) {
    EXPECT_EQ(versions[server], latest_schema_version()) << errors[server];
  }
  auto connection = connect();
  PgResult steps = connection->exec("SELECT COUNT(*), MAX(version) FROM schema_migrations");
  ASSERT_TRUE(steps.ok()) << steps.error();
  EXPECT_EQ(steps.integer(0, 0), static_cast<std::int64_t>(schema_migration_count()));
  EXPECT_EQ(steps.integer(0, 1), latest_schema_version());
}

TEST_F(PostgresSchemaTest, BothStoresHoldTheSameTablesAndColumns) {
  auto connection = connect();
  std::string error;
  ASSERT_EQ(migrate_postgres(*connection, error), latest_schema_version()) << error;

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("loyalty-schema-compare-" + std::to_string(getpid()) + ".db"))
                               .string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto sqlite = SqliteDatabase::open(DatabaseOptions{path}, error, true);
  ASSERT_TRUE(sqlite) << error;
  Columns from_sqlite = sqlite_columns(*sqlite);
  from_sqlite.erase("sqlite_sequence");
  EXPECT_EQ(postgres_columns(*connection), from_sqlite);
  sqlite.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST_F(PostgresSchemaTest, ADatabaseNewerThanTheServerIsRefused) {
  auto connection = connect();
  std::string error;
  ASSERT_EQ(migrate_postgres(*connection, error), latest_schema_version()) << error;
  ASSERT_TRUE(connection
                  ->exec("INSERT INTO schema_migrations (version, what) VALUES ($1, 'future')",
                         PgParams().integer(latest_schema_version() + 1))
                  .ok());
  EXPECT_EQ(migrate_postgres(*connection, error), 0);
  EXPECT_NE(error.find("newer than this server"), std::string::npos) << error;
}

TEST_F(PostgresSchemaTest, AFailedStepLeavesNothingHalfDone) {
  auto connection = connect();
  // A table in the way of step 1: its CREATE TABLE fails, and the whole migration with it.
  ASSERT_TRUE(connection->exec_script("CREATE TABLE rate_limit_buckets (key TEXT)").ok());
  std::string error;
  EXPECT_EQ(migrate_postgres(*connection, error), 0);
  EXPECT_NE(error.find("schema step 1"), std::string::npos) << error;
  PgResult tables = connection->exec(
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'");
  EXPECT_EQ(tables.integer(0, 0), 1) << "only the table that was in the way";
}

}  // namespace
}  // namespace loyalty::server
