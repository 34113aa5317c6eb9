// The backend's storage connection, over either store: SQLite (SqliteDatabase, below) or
// PostgreSQL (pg_database.hpp). Statements are written once, with SQLite's ?N parameters, in
// the SQL both stores read alike; the PostgreSQL side numbers them $N. Cached prepared
// statements, rows read by column, transactions that roll back unless committed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty::server {

enum class SyncMode { full, normal };

struct DatabaseOptions {
  std::string path;  // a SQLite file, or a postgresql:// URL
  SyncMode sync = SyncMode::full;
  int busy_timeout_ms = 5000;
};

/// Whether `database` names a PostgreSQL database rather than a SQLite file.
bool is_postgres_url(const std::string& database);

/// One prepared statement of a store, as Statement uses it.
class StatementCursor {
 public:
  virtual ~StatementCursor() = default;
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_integer(int index, std::int64_t value) = 0;
  virtual void bind_null(int index) = 0;
  /// true when a row is ready; false when done or on error (then failed()).
  virtual bool step() = 0;
  virtual bool failed() const = 0;
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual std::string text(int column) const = 0;
  /// Unbound and not started again, for the statement's next use.
  virtual void reset() = 0;
};

/// A bound use of a cached statement; resets it when done.
class Statement {
 public:
  explicit Statement(StatementCursor* cursor) : cursor_(cursor) {}
  ~Statement() {
    if (cursor_) cursor_->reset();
  }
  Statement(Statement&& other) noexcept : cursor_(other.cursor_) { other.cursor_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  bool valid() const { return cursor_ != nullptr; }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind_null(int index);
  /// true when a row is ready; false when done or on error (then ok() is false).
  bool step();
  /// Runs to completion; true when it succeeded.
  bool run();
  bool ok() const { return cursor_ && !cursor_->failed(); }

  bool is_null(int column) const { return cursor_->is_null(column); }
  std::int64_t integer(int column) const { return cursor_->integer(column); }
  std::optional<std::int64_t> optional_integer(int column) const;
  std::string text(int column) const { return cursor_->text(column); }

 private:
  StatementCursor* cursor_;
};

/// read: a snapshot that waits for nothing. write: holds the store's write lock. claim: may
/// write and lock the rows it reads without the store's write lock, for work that must not
/// block writers (the outbox's deliveries on PostgreSQL); on SQLite it is a write.
enum class TransactionKind { read, write, claim };

class Database {
 public:
  /// Opens a SQLite file (creating it when needed) or connects to a postgresql:// URL; with
  /// `create_schema` also brings the store to this server's schema (schema.hpp). On failure
  /// returns nullptr and fills `error`.
  static std::unique_ptr<Database> open(const DatabaseOptions& options, std::string& error,
                                        bool create_schema = false);
  virtual ~Database() = default;

  /// A cached prepared statement (keyed by the literal's address), reset and unbound.
  virtual Statement prepare(const char* sql) = 0;
  /// Runs statements that return no rows; false on error (see last_error()).
  virtual bool exec(const char* sql) = 0;
  virtual std::string last_error() const = 0;
  /// Rows the last INSERT, UPDATE or DELETE changed.
  virtual std::int64_t changes() const = 0;
  /// Starts a transaction: a write one holding the store's write lock, so that writes run one
  /// at a time, whichever process or connection makes them (SQLite's lock on the file; an
  /// advisory lock on PostgreSQL), waiting for it up to DatabaseOptions::busy_timeout_ms; or a
  /// read snapshot, which waits for nothing.
  virtual bool begin(TransactionKind kind) = 0;
  /// Whether a transaction is open (the store may have ended it by itself after an error).
  virtual bool in_transaction() const = 0;
};

/// begin(); rolls back in the destructor unless committed.
class Transaction {
 public:
  using Kind = TransactionKind;
  Transaction(Database& db, Kind kind);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  bool begun() const { return begun_; }
  bool commit();

 private:
  Database& db_;
  bool begun_ = false;
  bool finished_ = false;
};

/// A SQLite connection: one per thread, WAL, the server's pragmas.
class SqliteDatabase final : public Database {
 public:
  /// Opens (creating when needed) the file and sets the connection's pragmas; with
  /// `create_schema` also switches the file to WAL and takes the schema steps it lacks (once,
  /// at start-up, so that worker connections don't contend for the schema lock).
  static std::unique_ptr<SqliteDatabase> open(const DatabaseOptions& options, std::string& error,
                                              bool create_schema = false);
  ~SqliteDatabase() override;

  Statement prepare(const char* sql) override;
  bool exec(const char* sql) override;
  std::string last_error() const override;
  std::int64_t changes() const override;
  bool begin(TransactionKind kind) override;
  bool in_transaction() const override { return !sqlite3_get_autocommit(db_); }

  /// Copies committed WAL pages into the database file without blocking readers or writers.
  void checkpoint_passive();
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<const char*, std::unique_ptr<StatementCursor>> statements_;
};

}  // namespace loyalty::server
