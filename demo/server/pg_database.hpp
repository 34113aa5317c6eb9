// The storage connection (database.hpp) over PostgreSQL: the same statements the SQLite store
// runs, their ?N parameters numbered $N, sent as text. A write transaction first takes one
// advisory lock, the store's write lock: as with SQLite's, writes from every process run one at
// a time, each seeing every earlier one, so no two can spend the same balance or apply the same
// event; and the ledger's seq grows in commit order, which the account cache's version relies on.
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
  static std::unique_ptr<PgDatabase> open(const DatabaseOptions& options, std::string& error,
                                          bool create_schema = false);
  ~PgDatabase() override;

  Statement prepare(const char* sql) override;
  bool exec(const char* sql) override;
  std::string last_error() const override { return last_error_; }
  std::int64_t changes() const override { return changes_; }
  bool begin(TransactionKind kind) override;
  bool in_transaction() const override;

  /// Runs `sql` with `params`, keeping what it answered for last_error() and changes() (the
  /// statements' cursors run through here).
  PgResult run(const std::string& sql, const PgParams& params);
  PgConnection& connection() { return *connection_; }

 private:
  // The store's write lock is an advisory lock with a key of its own (the schema migrations use
  // another), waited for at most `lock_timeout_ms`.
  PgDatabase(std::unique_ptr<PgConnection> connection, int lock_timeout_ms)
      : connection_(std::move(connection)),
        begin_write_("BEGIN; SET LOCAL lock_timeout = " + std::to_string(lock_timeout_ms) +
                     "; SELECT pg_advisory_xact_lock(7023504520)") {}
  void note(const PgResult& result);
  bool begin_once(TransactionKind kind);

  std::unique_ptr<PgConnection> connection_;
  std::map<const char*, std::unique_ptr<StatementCursor>> statements_;
  std::string last_error_;
  std::int64_t changes_ = 0;
  const std::string begin_write_;
};

}  // namespace loyalty::server
