// The storage connection (database.hpp) over PostgreSQL: the same statements the SQLite store
// runs, their ?N parameters numbered $N, sent as text; write transactions are serializable, so a
// conflict with another process fails retryably instead of overspending.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "database.hpp"
#include "pg_connection.hpp"

namespace loyalty::server {

/// `sql` with every ?N parameter outside quotes written $N, as PostgreSQL numbers them; the
/// highest N in `highest` when given.
std::string postgres_parameters(const char* sql, std::size_t* highest = nullptr);

class PgDatabase final : public Database {
 public:
  /// Connects to `url`; with `create_schema` also takes the schema steps the database lacks.
  /// nullptr with `error` when it can't.
  static std::unique_ptr<PgDatabase> open(const std::string& url, std::string& error,
                                          bool create_schema = false);
  ~PgDatabase() override;

  Statement prepare(const char* sql) override;
  bool exec(const char* sql) override;
  std::string last_error() const override { return last_error_; }
  std::int64_t changes() const override { return changes_; }
  bool begin(TransactionKind kind) override;
  bool failed_retryably() const override;

  /// Runs `sql` with `params`, keeping what it answered for last_error(), changes() and
  /// failed_retryably() (the statements' cursors run through here).
  PgResult run(const std::string& sql, const PgParams& params);
  PgConnection& connection() { return *connection_; }

 private:
  explicit PgDatabase(std::unique_ptr<PgConnection> connection)
      : connection_(std::move(connection)) {}
  void note(const PgResult& result);

  std::unique_ptr<PgConnection> connection_;
  std::map<const char*, std::unique_ptr<StatementCursor>> statements_;
  std::string last_error_;
  std::string last_sqlstate_;
  std::int64_t changes_ = 0;
};

}  // namespace loyalty::server
