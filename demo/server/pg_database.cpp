#include "pg_database.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "pg_schema.hpp"

namespace loyalty::server {
namespace {

class PgCursor final : public StatementCursor {
 public:
  PgCursor(PgDatabase& db, const char* sql) : db_(db) {
    sql_ = postgres_parameters(sql, &parameters_);
  }

  void bind_text(int index, std::string_view text) override { slot(index) = std::string(text); }
  void bind_integer(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
  void bind_null(int index) override { slot(index).reset(); }

  bool step() override {
    if (!executed_) {
      executed_ = true;
      // Parameters left unbound are NULL, as SQLite has them.
      values_.resize(std::max(values_.size(), parameters_));
      PgParams params;
      for (const auto& value : values_) value ? params.text(*value) : params.null();
      result_ = db_.run(sql_, params);
      if (!result_.ok()) {
        failed_ = true;
        return false;
      }
    }
    return ++row_ < result_.rows();
  }
  bool failed() const override { return failed_; }
  bool is_null(int column) const override { return result_.is_null(row_, column); }
  std::int64_t integer(int column) const override {
    // SQLite has no booleans: EXISTS (...) is 0 or 1 there, and must be here too.
    if (auto number = result_.integer(row_, column)) return *number;
    return result_.text(row_, column) == "t" ? 1 : 0;
  }
  std::string text(int column) const override { return result_.text(row_, column); }
  void reset() override {
    values_.clear();
    result_ = PgResult();
    executed_ = false;
    failed_ = false;
    row_ = -1;
  }

 private:
  std::optional<std::string>& slot(int index) {
    const auto at = static_cast<std::size_t>(index < 1 ? 1 : index);
    if (values_.size() < at) values_.resize(at);
    return values_[at - 1];
  }

  PgDatabase& db_;
  std::string sql_;
  std::size_t parameters_ = 0;                      // the highest ?N in the statement
  std::vector<std::optional<std::string>> values_;  // by parameter number - 1; unset is NULL
  PgResult result_;
  bool executed_ = false;
  bool failed_ = false;
  int row_ = -1;
};

}  // namespace

std::string postgres_parameters(const char* sql, std::size_t* highest) {
  std::string out;
  std::size_t most = 0;
  char quote = 0;  // inside '…' or "…"
  for (const char* at = sql; *at; ++at) {
    const char c = *at;
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?' && at[1] >= '0' && at[1] <= '9') {
      std::size_t number = 0;
      for (const char* digit = at + 1; *digit >= '0' && *digit <= '9'; ++digit)
        number = number * 10 + static_cast<std::size_t>(*digit - '0');
      most = std::max(most, number);
      out += '$';
      continue;
    }
    out += c;
  }
  if (highest) *highest = most;
  return out;
}

std::unique_ptr<PgDatabase> PgDatabase::open(const DatabaseOptions& options, std::string& error,
                                             bool create_schema) {
  auto connection = PgConnection::open(options.path, error);
  if (!connection) return nullptr;
  if (create_schema && migrate_postgres(*connection, error) == 0) return nullptr;
  return std::unique_ptr<PgDatabase>(
      new PgDatabase(std::move(connection), std::max(1, options.busy_timeout_ms)));
}

PgDatabase::~PgDatabase() = default;

Statement PgDatabase::prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return Statement(found->second.get());
  auto cursor = std::make_unique<PgCursor>(*this, sql);
  StatementCursor* use = cursor.get();
  statements_.emplace(sql, std::move(cursor));
  return Statement(use);
}

PgResult PgDatabase::run(const std::string& sql, const PgParams& params) {
  PgResult result = connection_->exec(sql.c_str(), params);
  note(result);
  return result;
}

bool PgDatabase::exec(const char* sql) {
  PgResult result = connection_->exec_script(sql);
  // A COMMIT of a transaction in which a statement failed answers "ROLLBACK", not an error.
  if (result.ok() && result.command() == "ROLLBACK" && std::string_view(sql).find("ROLLBACK") != 0)
    result = PgResult::failed("the transaction was rolled back: a statement in it failed", "25P02");
  note(result);
  return result.ok();
}

void PgDatabase::note(const PgResult& result) {
  last_error_ = result.error();
  changes_ = result.ok() ? result.affected() : 0;
}

bool PgDatabase::begin(TransactionKind kind) {
  // A connection lost since the last unit of work (PostgreSQL restarted, a failover, the
  // network) is made again here, where nothing has been done yet: the BEGIN that finds it lost
  // is simply sent again, and while the database is unreachable the work fails (a 503).
  if (!connection_->alive() && !connection_->reconnect()) {
    note(PgResult::failed("PostgreSQL is unreachable: " + connection_->error_message(), ""));
    return false;
  }
  bool begun = begin_once(kind);
  if (!begun && !connection_->alive() && connection_->reconnect()) begun = begin_once(kind);
  return begun;
}

bool PgDatabase::begin_once(TransactionKind kind) {
  if (kind == TransactionKind::read) return exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (kind == TransactionKind::claim) return exec("BEGIN");
  // Read committed: once the lock is held, every statement sees every write committed before.
  // One round trip for the three statements: every group of writes starts with them.
  const bool locked = exec(begin_write_.c_str());
  if (!locked && in_transaction()) exec("ROLLBACK");
  return locked;
}

bool PgDatabase::in_transaction() const { return connection_->in_transaction(); }

}  // namespace loyalty::server
