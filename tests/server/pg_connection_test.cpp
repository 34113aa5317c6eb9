// The libpq layer against a real PostgreSQL: the throwaway server tests/run starts
// (tests/support/postgres.sh) and names in LOYALTY_TEST_POSTGRES_URL. Without it these tests
// skip, unless LOYALTY_REQUIRE_POSTGRES=1 says they must run (tests/run sets it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "pg_connection.hpp"

namespace loyalty::server {
namespace {

std::string postgres_url() {
  const char* url = std::getenv("LOYALTY_TEST_POSTGRES_URL");
  return url ? url : "";
}

bool postgres_required() {
  const char* required = std::getenv("LOYALTY_REQUIRE_POSTGRES");
  return required && std::string(required) == "1";
}

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (postgres_url().empty()) {
      if (postgres_required()) FAIL() << "LOYALTY_TEST_POSTGRES_URL is not set";
      GTEST_SKIP() << "no PostgreSQL: run through tests/run, which starts one";
    }
    first_ = connect();
    second_ = connect();
    ASSERT_TRUE(first_ && second_);
    // ctest runs each test in its own process, in parallel: each gets its own table.
    table_ = "pg_test_" + std::to_string(getpid());
    ASSERT_TRUE(first_
                    ->exec_script(("DROP TABLE IF EXISTS " + table_ + "; CREATE TABLE " + table_ +
                                   " (id TEXT PRIMARY KEY, points BIGINT, note TEXT)")
                                      .c_str())
                    .ok());
  }

  void TearDown() override {
    if (first_) first_->exec_script(("DROP TABLE IF EXISTS " + table_).c_str());
  }

  static std::unique_ptr<PgConnection> connect() {
    std::string error;
    auto connection = PgConnection::open(postgres_url(), error);
    EXPECT_TRUE(connection) << error;
    return connection;
  }

  std::string sql(const std::string& text) const {
    std::string out = text;
    for (std::size_t at = out.find("$table"); at != std::string::npos; at = out.find("$table"))
      out.replace(at, 6, table_);
    return out;
  }

  std::int64_t count(PgConnection& connection) {
    PgResult answer = connection.exec(sql("SELECT COUNT(*) FROM $table").c_str());
    EXPECT_TRUE(answer.ok()) << answer.error();
    return answer.integer(0, 0).value_or(-1);
  }

  std::unique_ptr<PgConnection> first_;
  std::unique_ptr<PgConnection> second_;
  std::string table_;
};

TEST(PgConnectionOpen, AnUnreachableServerIsAnErrorValue) {
  std::string error;
  auto connection =
      PgConnection::open("postgresql://postgres@127.0.0.1:1/loyalty?connect_timeout=2", error);
  EXPECT_EQ(connection, nullptr);
  EXPECT_NE(error.find("127.0.0.1"), std::string::npos) << error;
}

TEST_F(PgConnectionTest, ParametersTravelAsDataNeverAsSql) {
  const std::string hostile = "x'); DROP TABLE " + table_ + "; -- «ü» 🎁";
  PgResult insert =
      first_->exec(sql("INSERT INTO $table (id, points, note) VALUES ($1, $2, $3)").c_str(),
                   PgParams().text("c-1").integer(-9'007'199'254'740'993).text(hostile));
  ASSERT_TRUE(insert.ok()) << insert.error();
  EXPECT_EQ(insert.affected(), 1);
  ASSERT_TRUE(first_
                  ->exec(sql("INSERT INTO $table (id, points, note) VALUES ($1, $2, $3)").c_str(),
                         PgParams().text("c-2").null().optional_integer(std::nullopt))
                  .ok());

  PgResult rows = second_->exec(sql("SELECT id, points, note FROM $table ORDER BY id").c_str());
  ASSERT_TRUE(rows.ok()) << rows.error();
  ASSERT_EQ(rows.rows(), 2);
  EXPECT_EQ(rows.text(0, 0), "c-1");
  EXPECT_EQ(rows.integer(0, 1), -9'007'199'254'740'993);  // beyond a double's exact range
  EXPECT_EQ(rows.text(0, 2), hostile);
  EXPECT_TRUE(rows.is_null(1, 1));
  EXPECT_EQ(rows.integer(1, 1), std::nullopt);
  EXPECT_TRUE(rows.is_null(1, 2));
  EXPECT_EQ(rows.integer(0, 0), std::nullopt) << "text is not an integer";
}

TEST_F(PgConnectionTest, ErrorsNameTheirSqlstate) {
  PgResult missing = first_->exec("SELECT * FROM no_such_table_here");
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.sqlstate(), "42P01");
  EXPECT_NE(missing.error().find("no_such_table_here"), std::string::npos) << missing.error();
  EXPECT_EQ(missing.rows(), 0);

  const std::string insert = sql("INSERT INTO $table (id) VALUES ($1)");
  ASSERT_TRUE(first_->exec(insert.c_str(), PgParams().text("same")).ok());
  PgResult again = second_->exec(insert.c_str(), PgParams().text("same"));
  EXPECT_FALSE(again.ok());
  EXPECT_TRUE(again.is_unique_violation()) << again.sqlstate();
  EXPECT_FALSE(again.is_retryable());
}

TEST_F(PgConnectionTest, ATransactionRollsBackUnlessCommitted) {
  const std::string insert = sql("INSERT INTO $table (id) VALUES ($1)");
  {
    PgTransaction transaction(*first_);
    ASSERT_TRUE(transaction.begun());
    ASSERT_TRUE(first_->exec(insert.c_str(), PgParams().text("dropped")).ok());
    EXPECT_EQ(count(*second_), 0) << "not visible before the commit";
  }
  EXPECT_EQ(count(*first_), 0) << "rolled back when it went out of scope";
  {
    PgTransaction transaction(*first_);
    ASSERT_TRUE(first_->exec(insert.c_str(), PgParams().text("kept")).ok());
    EXPECT_TRUE(transaction.commit().ok());
  }
  EXPECT_EQ(count(*second_), 1);
}

TEST_F(PgConnectionTest, ACommitAfterAFailedStatementFails) {
  const std::string insert = sql("INSERT INTO $table (id) VALUES ($1)");
  ASSERT_TRUE(first_->exec(insert.c_str(), PgParams().text("taken")).ok());
  PgTransaction transaction(*first_);
  ASSERT_TRUE(first_->exec(insert.c_str(), PgParams().text("new")).ok());
  EXPECT_TRUE(first_->exec(insert.c_str(), PgParams().text("taken")).is_unique_violation());
  PgResult committed = transaction.commit();
  EXPECT_FALSE(committed.ok()) << "PostgreSQL answers ROLLBACK to this COMMIT";
  EXPECT_EQ(committed.sqlstate(), "25P02");
  EXPECT_EQ(count(*second_), 1) << "'new' went with the rollback";
}

// Write skew: each transaction counts the rows, then adds one. Run serializably, one of the
// two must fail with a retryable SQLSTATE, so the table ends with one row, not two.
TEST_F(PgConnectionTest, SerializableWriteSkewFailsOneSideRetryably) {
  const std::string insert = sql("INSERT INTO $table (id) VALUES ($1)");
  const std::string read = sql("SELECT COUNT(*) FROM $table");
  PgTransaction one(*first_, PgTransaction::Isolation::serializable);
  PgTransaction two(*second_, PgTransaction::Isolation::serializable);
  ASSERT_TRUE(one.begun() && two.begun());
  int failures = 0;
  bool one_failed = false;
  bool two_failed = false;
  auto step = [&](bool& failed, PgResult answer) {
    if (failed || answer.ok()) return;
    EXPECT_TRUE(answer.is_retryable()) << answer.sqlstate() << " " << answer.error();
    failed = true;
    ++failures;
  };
  step(one_failed, first_->exec(read.c_str()));
  step(two_failed, second_->exec(read.c_str()));
  if (!one_failed) step(one_failed, first_->exec(insert.c_str(), PgParams().text("one")));
  if (!two_failed) step(two_failed, second_->exec(insert.c_str(), PgParams().text("two")));
  if (!one_failed) step(one_failed, one.commit());
  if (!two_failed) step(two_failed, two.commit());
  EXPECT_EQ(failures, 1);
  EXPECT_EQ(count(*first_), 1);
}

// PostgreSQL cuts the connection (a restart, a failover, an administrator): the next statement
// fails, the connection says it is lost, and reconnect() makes it usable again.
TEST_F(PgConnectionTest, ALostConnectionIsNoticedAndMadeAgain) {
  PgResult pid = first_->exec("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok()) << pid.error();
  ASSERT_TRUE(second_
                  ->exec("SELECT pg_terminate_backend($1, 10000)",
                         PgParams().integer(pid.integer(0, 0).value_or(0)))
                  .ok());
  EXPECT_TRUE(first_->alive());  // nothing has told it yet
  PgResult lost = first_->exec("SELECT 1");
  EXPECT_FALSE(lost.ok());
  EXPECT_FALSE(first_->alive());
  EXPECT_FALSE(first_->error_message().empty());
  ASSERT_TRUE(first_->reconnect()) << first_->error_message();
  PgResult again = first_->exec("SELECT pg_backend_pid()");
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_NE(again.integer(0, 0), pid.integer(0, 0));
  EXPECT_EQ(count(*first_), 0);  // the same database, its tables there
}

}  // namespace
}  // namespace loyalty::server
