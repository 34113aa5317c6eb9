#include "database.hpp"

#include "wal_write_buffer.hpp"

namespace loyalty::server {
namespace {

// Every table the backend keeps. Ledger entries are append-only; balances are never stored,
// they are replayed from the ledger by the core.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS programs (
  version INTEGER PRIMARY KEY AUTOINCREMENT,
  published_at INTEGER NOT NULL,
  document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL DEFAULT 'member',
  first_name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  email_key TEXT NOT NULL DEFAULT '',
  referral_code TEXT UNIQUE,
  birthday_month INTEGER,
  birthday_day INTEGER,
  birthday_year INTEGER,
  birthday_added_at INTEGER,
  joined_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_by_email_key ON customers(email_key);
CREATE TABLE IF NOT EXISTS ledger_entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  entry_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  order_id TEXT,
  subtotal INTEGER, discount INTEGER, shipping INTEGER, tax INTEGER,
  amount INTEGER,
  points INTEGER,
  rule_id TEXT, reward_id TEXT, tier_id TEXT,
  until INTEGER,
  code TEXT,
  reason TEXT,
  -- When the server wrote the entry (replay's order); NULL: at (seeded entries without one).
  recorded_at INTEGER,
  -- An order_placed entry's lines as the contract's JSON array (the rule's exclusions); NULL: none.
  lines TEXT
);
-- Entry ids are not a unique index: the server's own are 128 random bits, seeded ledgers are
-- checked on import, and the core applies a repeated id once. Each index here costs every
-- append a page write to the WAL (databases created earlier keep theirs; it does no harm).
CREATE INDEX IF NOT EXISTS ledger_by_customer ON ledger_entries(customer_id, seq);
-- No query looks ledger rows up by order (the core does, in memory); an index would only cost
-- every append a page write.
DROP INDEX IF EXISTS ledger_by_order;
-- WITHOUT ROWID: the rows live in the key's b-tree, so a redemption writes one b-tree here, not a
-- table and an index.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  customer_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (customer_id, key)
) WITHOUT ROWID;
-- Keys past their retention are found by a background pass over this table, not by an index on
-- created_at that every redemption would also have to write.
DROP INDEX IF EXISTS idempotency_keys_by_age;
CREATE TABLE IF NOT EXISTS order_events (
  event_id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  type TEXT NOT NULL,
  order_id TEXT NOT NULL,
  points INTEGER NOT NULL,
  received_at INTEGER NOT NULL
);
-- A platform's refund names only its order (Shopify's refunds/create): its customer is found here.
CREATE INDEX IF NOT EXISTS order_events_by_order ON order_events (order_id);
CREATE TABLE IF NOT EXISTS referral_claims (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  advocate_id TEXT,
  code TEXT NOT NULL,
  friend_email_key TEXT NOT NULL,
  friend_customer_id TEXT,
  order_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  outcome TEXT NOT NULL,
  points INTEGER NOT NULL DEFAULT 0,
  friend_coupon TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS referral_claims_by_ip ON referral_claims(ip, created_at);
CREATE INDEX IF NOT EXISTS referral_claims_by_friend ON referral_claims(friend_email_key);
-- The coupon offered to a referred friend's mailbox before their first order (POST
-- /v1/referrals/friend, friend_offers.cpp): one per mailbox, and the same coupon when that
-- friend's order qualifies the referral. Created here on databases from before it, like every
-- table.
CREATE TABLE IF NOT EXISTS friend_offers (
  friend_email_key TEXT PRIMARY KEY,
  code TEXT NOT NULL,
  advocate_id TEXT NOT NULL,
  coupon TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rate_limit_buckets (
  key TEXT PRIMARY KEY,
  tokens_milli INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
)sql";

}  // namespace

std::unique_ptr<Database> Database::open(const DatabaseOptions& options, std::string& error,
                                         bool create_schema) {
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // Every connection on the VFS that gathers WAL writes (only the writer's commits have any).
  if (sqlite3_open_v2(options.path.c_str(), &handle, flags, wal_write_buffer_vfs()) != SQLITE_OK) {
    error = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return nullptr;
  }
  std::unique_ptr<Database> db(new Database(handle));
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
  if (ok && create_schema) ok = db->exec("PRAGMA journal_mode=WAL;") && db->exec(kSchema);
  // Databases created before ledger entries had recorded_at or lines get the column (NULL: as
  // before).
  const auto add_column = [&](const char* probe_sql, const char* alter_sql) {
    auto probe = db->prepare(probe_sql);
    probe.step();  // fails (not prepared) without the column
    if (!probe.ok()) ok = db->exec(alter_sql);
  };
  if (ok && create_schema)
    add_column("SELECT recorded_at FROM ledger_entries LIMIT 0",
               "ALTER TABLE ledger_entries ADD COLUMN recorded_at INTEGER;");
  if (ok && create_schema)
    add_column("SELECT lines FROM ledger_entries LIMIT 0",
               "ALTER TABLE ledger_entries ADD COLUMN lines TEXT;");
  if (!ok) {
    error = db->last_error();
    return nullptr;
  }
  return db;
}

Database::~Database() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

Statement Database::prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return Statement(found->second);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK)
    return Statement(nullptr);
  statements_.emplace(sql, statement);
  return Statement(statement);
}

bool Database::exec(const char* sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::string Database::last_error() const { return sqlite3_errmsg(db_); }

void Database::checkpoint_passive() {
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

Statement::~Statement() {
  if (!statement_) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (statement_)
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (statement_) sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  if (statement_) sqlite3_bind_null(statement_, index);
  return *this;
}

bool Statement::step() {
  if (!statement_) {
    error_ = SQLITE_MISUSE;
    return false;
  }
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code != SQLITE_DONE) error_ = code;
  return false;
}

bool Statement::run() {
  while (step()) {
  }
  return ok();
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

std::string Statement::text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

Transaction::Transaction(Database& db, Kind kind) : db_(db) {
  // IMMEDIATE takes the write lock up front, so two redemptions can't both read the same
  // balance and then both append a deduction.
  begun_ = db_.exec(kind == Kind::write ? "BEGIN IMMEDIATE;" : "BEGIN;");
}

Transaction::~Transaction() {
  if (begun_ && !finished_) db_.exec("ROLLBACK;");
}

bool Transaction::commit() {
  if (!begun_ || finished_) return false;
  finished_ = db_.exec("COMMIT;");
  return finished_;
}

}  // namespace loyalty::server
