#include "database.hpp"

#include <string>

#include "pg_database.hpp"
#include "schema.hpp"
#include "wal_write_buffer.hpp"

namespace loyalty::server {
namespace {

/// Takes the schema steps the file lacks (schema.hpp), each in its own transaction with the
/// PRAGMA user_version that records it. False with `error` on failure or a newer file.
bool migrate(SqliteDatabase& db, std::string& error) {
  int current = 0;
  {
    auto read_version = db.prepare("PRAGMA user_version");
    if (!read_version.step()) {
      error = db.last_error();
      return false;
    }
    current = static_cast<int>(read_version.integer(0));
  }
  if (current > latest_schema_version()) {
    error = "the database's schema is version " + std::to_string(current) +
            ", newer than this server's " + std::to_string(latest_schema_version()) +
            ": run a newer loyalty-server";
    return false;
  }
  for (std::size_t index = 0; index < schema_migration_count(); ++index) {
    const SchemaMigration& step = schema_migrations()[index];
    if (step.version <= current) continue;
    bool ok = db.exec("BEGIN IMMEDIATE;") && db.exec(step.sqlite);
    // Files from before versions were recorded may lack columns added since (NULL: as before).
    const auto add_column = [&](const char* probe_sql, const char* alter_sql) {
      auto probe = db.prepare(probe_sql);
      probe.step();  // fails (not prepared) without the column
      if (!probe.ok()) ok = db.exec(alter_sql);
    };
    if (ok && step.version == 1) {
      add_column("SELECT recorded_at FROM ledger_entries LIMIT 0",
                 "ALTER TABLE ledger_entries ADD COLUMN recorded_at INTEGER;");
    }
    if (ok && step.version == 1) {
      add_column("SELECT lines FROM ledger_entries LIMIT 0",
                 "ALTER TABLE ledger_entries ADD COLUMN lines TEXT;");
    }
    const std::string record = "PRAGMA user_version=" + std::to_string(step.version) + ";";
    if (ok) ok = db.exec(record.c_str()) && db.exec("COMMIT;");
    if (!ok) {
      error = "schema step " + std::to_string(step.version) + " (" + step.what +
              "): " + db.last_error();
      db.exec("ROLLBACK;");
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_postgres_url(const std::string& database) {
  return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Database> Database::open(const DatabaseOptions& options, std::string& error,
                                         bool create_schema) {
  if (is_postgres_url(options.path)) return PgDatabase::open(options, error, create_schema);
  return SqliteDatabase::open(options, error, create_schema);
}

namespace {

class SqliteCursor final : public StatementCursor {
 public:
  explicit SqliteCursor(sqlite3_stmt* statement) : statement_(statement) {}
  ~SqliteCursor() override { sqlite3_finalize(statement_); }

  void bind_text(int index, std::string_view text) override {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void bind_integer(int index, std::int64_t value) override {
    sqlite3_bind_int64(statement_, index, value);
  }
  void bind_null(int index) override { sqlite3_bind_null(statement_, index); }
  bool step() override {
    int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code != SQLITE_DONE) error_ = code;
    return false;
  }
  bool failed() const override { return error_ != SQLITE_OK; }
  bool is_null(int column) const override {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
  }
  std::int64_t integer(int column) const override {
    return sqlite3_column_int64(statement_, column);
  }
  std::string text(int column) const override {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }
  void reset() override {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    error_ = SQLITE_OK;
  }

 private:
  sqlite3_stmt* statement_;
  int error_ = SQLITE_OK;
};

}  // namespace

std::unique_ptr<SqliteDatabase> SqliteDatabase::open(const DatabaseOptions& options,
                                                     std::string& error, bool create_schema) {
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // Every connection on the VFS that gathers WAL writes (only the writer's commits have any).
  if (sqlite3_open_v2(options.path.c_str(), &handle, flags, wal_write_buffer_vfs()) != SQLITE_OK) {
    error = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return nullptr;
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(handle));
  sqlite3_busy_timeout(handle, options.busy_timeout_ms);
  // WAL lets readers proceed while one writer commits. synchronous=FULL fsyncs the WAL on every
  // commit, so an acknowledged redemption survives a power cut, not only a crash (NORMAL would
  // survive kill -9 too, but may lose the last commits on power loss). Group commit shares that
  // fsync between all the writes waiting at the time.
  const char* sync =
      options.sync == SyncMode::full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  // Reads through a memory map: no pread copies when another connection's commit has made
  // this connection's page cache stale.
  bool ok = db->exec(sync) && db->exec("PRAGMA foreign_keys=ON;") &&
            db->exec("PRAGMA mmap_size=268435456;");
  // Checkpoints run on a background thread (Backend::run_checkpoints), so no request waits for
  // one, and never on the writer's connection, which leaves its WAL fsyncs to the syncer thread.
  if (ok) ok = db->exec("PRAGMA wal_autocheckpoint=0;");
  // The writer (the connection that creates the schema) keeps the indexes it appends to in its
  // own page cache (64 MiB at most) rather than reading them back from the WAL.
  if (ok && create_schema) ok = db->exec("PRAGMA cache_size=-65536;");
  // WAL is a property of the file: set once, it stays for every later connection.
  if (ok && create_schema) ok = db->exec("PRAGMA journal_mode=WAL;");
  if (ok && create_schema && !migrate(*db, error)) return nullptr;
  if (!ok) {
    error = db->last_error();
    return nullptr;
  }
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  statements_.clear();  // finalized before the connection closes
  sqlite3_close(db_);
}

Statement SqliteDatabase::prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return Statement(found->second.get());
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK)
    return Statement(nullptr);
  auto cursor = std::make_unique<SqliteCursor>(statement);
  StatementCursor* use = cursor.get();
  statements_.emplace(sql, std::move(cursor));
  return Statement(use);
}

bool SqliteDatabase::exec(const char* sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::int64_t SqliteDatabase::changes() const { return sqlite3_changes64(db_); }

std::string SqliteDatabase::last_error() const { return sqlite3_errmsg(db_); }

bool SqliteDatabase::begin(TransactionKind kind) {
  // IMMEDIATE takes the write lock up front, so two redemptions can't both read the same
  // balance and then both append a deduction.
  return exec(kind == TransactionKind::read ? "BEGIN;" : "BEGIN IMMEDIATE;");
}

void SqliteDatabase::checkpoint_passive() {
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (cursor_) cursor_->bind_text(index, text);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (cursor_) cursor_->bind_integer(index, value);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  if (cursor_) cursor_->bind_null(index);
  return *this;
}

bool Statement::step() { return cursor_ && cursor_->step(); }

bool Statement::run() {
  while (step()) {
  }
  return ok();
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

Transaction::Transaction(Database& db, Kind kind) : db_(db) { begun_ = db_.begin(kind); }

Transaction::~Transaction() {
  if (begun_ && !finished_) db_.exec("ROLLBACK;");
}

bool Transaction::commit() {
  if (!begun_ || finished_) return false;
  finished_ = db_.exec("COMMIT;");
  return finished_;
}

}  // namespace loyalty::server
