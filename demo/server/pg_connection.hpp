// A thin RAII layer over libpq: one connection, statements with text parameters, answers as
// values (no exceptions), transactions that roll back unless committed. The PostgreSQL
// counterpart of database.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace loyalty::server {

/// Statement parameters, sent as text (PostgreSQL casts them to the column types).
class PgParams {
 public:
  PgParams& text(std::string_view value);
  PgParams& integer(std::int64_t value);
  PgParams& null();
  PgParams& optional_integer(const std::optional<std::int64_t>& value);

  std::size_t size() const { return values_.size(); }
  const std::optional<std::string>& operator[](std::size_t index) const { return values_[index]; }

 private:
  std::vector<std::optional<std::string>> values_;
};

/// What one statement answered: rows (all as text) or an error with its SQLSTATE.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* result);
  /// A failure made here rather than by the server.
  static PgResult failed(std::string message, std::string sqlstate);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  bool ok() const { return ok_; }
  /// The server's message ("" when ok()).
  const std::string& error() const { return error_; }
  /// The five-character SQLSTATE ("23505" a unique violation, "40001" a serialization
  /// failure, "40P01" a deadlock), or "" when the failure had none (a lost connection).
  const std::string& sqlstate() const { return sqlstate_; }
  bool is_unique_violation() const { return sqlstate_ == "23505"; }
  /// True for the failures a transaction may simply retry.
  bool is_retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

  int rows() const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  /// The column as a 64-bit integer; nullopt when NULL or not an integer.
  std::optional<std::int64_t> integer(int row, int column) const;
  /// Rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;
  /// The command tag ("INSERT 0 1", "COMMIT", "ROLLBACK").
  std::string command() const;

 private:
  pg_result* result_ = nullptr;
  bool ok_ = false;
  std::string error_;
  std::string sqlstate_;
};

class PgConnection {
 public:
  /// Connects to a `postgresql://` URL (or libpq key=value string). nullptr and `error` set
  /// when it can't. Notices are silenced: the server logs them.
  static std::unique_ptr<PgConnection> open(const std::string& url, std::string& error);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  /// Runs one statement with $1..$n parameters.
  PgResult exec(const char* sql, const PgParams& params = {});
  /// Runs statements without parameters (several separated by `;`, as a migration has).
  PgResult exec_script(const char* sql);
  /// False once the connection is lost (the server restarted, the network failed).
  bool alive() const;
  /// Connects again with the same settings after a loss; whether it is connected now.
  bool reconnect();
  /// libpq's message about the last failure, without its trailing newline.
  std::string error_message() const;
  /// Whether a transaction is open (failed or not).
  bool in_transaction() const;

 private:
  explicit PgConnection(pg_conn* connection) : connection_(connection) {}
  pg_conn* connection_;
};

/// BEGIN (with an isolation level); rolls back in the destructor unless committed.
class PgTransaction {
 public:
  enum class Isolation { read_committed, repeatable_read, serializable };
  PgTransaction(PgConnection& connection, Isolation isolation = Isolation::read_committed);
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;

  bool begun() const { return begun_; }
  /// COMMIT's answer: a serializable transaction may fail here (retryable), and one in which a
  /// statement failed answers 25P02 (PostgreSQL rolls it back and calls that a success).
  PgResult commit();

 private:
  PgConnection& connection_;
  bool begun_ = false;
  bool finished_ = false;
};

}  // namespace loyalty::server
