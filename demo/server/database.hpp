// A thin RAII layer over SQLite: one connection per thread, cached prepared statements,
// transactions that roll back unless committed.
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
  std::string path;
  SyncMode sync = SyncMode::full;
  int busy_timeout_ms = 5000;
};

class Statement;

class Database {
 public:
  /// Opens (creating when needed) the file and sets the connection's pragmas; with
  /// `create_schema` also switches the file to WAL and creates the tables (once, at start-up,
  /// so that worker connections don't contend for the schema lock).
  /// On failure returns nullptr and fills `error`.
  static std::unique_ptr<Database> open(const DatabaseOptions& options, std::string& error,
                                        bool create_schema = false);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// A cached prepared statement, reset and with cleared bindings.
  Statement prepare(const char* sql);
  /// Runs statements that return no rows; false on error (see last_error()).
  bool exec(const char* sql);
  std::string last_error() const;
  /// Rows the last INSERT, UPDATE or DELETE changed.
  std::int64_t changes() const;
  /// The rowid (INTEGER PRIMARY KEY) the last INSERT gave its row.
  std::int64_t last_insert_id() const;
  /// Copies committed WAL pages into the database file without blocking readers or writers.
  void checkpoint_passive();
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> statements_;  // keyed by the literal's address
};

/// A bound use of a cached statement; resets it when done.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  ~Statement();
  Statement(Statement&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  bool valid() const { return statement_ != nullptr; }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind_null(int index);
  /// true when a row is ready; false when done or on error (then ok() is false).
  bool step();
  /// Runs to completion; true when it succeeded.
  bool run();
  bool ok() const { return error_ == SQLITE_OK; }

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::string text(int column) const;

 private:
  sqlite3_stmt* statement_;
  int error_ = SQLITE_OK;
};

/// BEGIN IMMEDIATE (or a deferred read snapshot); rolls back in the destructor unless committed.
class Transaction {
 public:
  enum class Kind { read, write };
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

}  // namespace loyalty::server
