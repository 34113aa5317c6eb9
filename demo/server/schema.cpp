#include "schema.hpp"

namespace loyalty::server {
namespace {

// Version 1: every table the backend keeps. Ledger entries are append-only; balances are
// never stored, they are replayed from the ledger by the core. SQLite databases from before
// versions were recorded (user_version 0) are brought here too: the statements are
// idempotent, and Database::open adds the columns older files lack.
constexpr const char* kVersion1Sqlite = R"sql(
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

// Version 1 for PostgreSQL: the same tables. Instants are Unix seconds (BIGINT) as in SQLite,
// so both stores hand the core the same numbers; serial keys keep the append order.
constexpr const char* kVersion1Postgres = R"sql(
CREATE TABLE programs (
  version BIGSERIAL PRIMARY KEY,
  published_at BIGINT NOT NULL,
  document TEXT NOT NULL
);
CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL DEFAULT 'member',
  first_name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  email_key TEXT NOT NULL DEFAULT '',
  referral_code TEXT UNIQUE,
  birthday_month BIGINT,
  birthday_day BIGINT,
  birthday_year BIGINT,
  birthday_added_at BIGINT,
  joined_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX customers_by_email_key ON customers(email_key);
CREATE TABLE ledger_entries (
  seq BIGSERIAL PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  entry_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at BIGINT NOT NULL,
  order_id TEXT,
  subtotal BIGINT, discount BIGINT, shipping BIGINT, tax BIGINT,
  amount BIGINT,
  points BIGINT,
  rule_id TEXT, reward_id TEXT, tier_id TEXT,
  until BIGINT,
  code TEXT,
  reason TEXT,
  recorded_at BIGINT,
  lines TEXT
);
CREATE INDEX ledger_by_customer ON ledger_entries(customer_id, seq);
CREATE TABLE idempotency_keys (
  customer_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status BIGINT NOT NULL,
  response TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (customer_id, key)
);
CREATE TABLE order_events (
  event_id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  type TEXT NOT NULL,
  order_id TEXT NOT NULL,
  points BIGINT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE TABLE referral_claims (
  id BIGSERIAL PRIMARY KEY,
  advocate_id TEXT,
  code TEXT NOT NULL,
  friend_email_key TEXT NOT NULL,
  friend_customer_id TEXT,
  order_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  outcome TEXT NOT NULL,
  points BIGINT NOT NULL DEFAULT 0,
  friend_coupon TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX referral_claims_by_ip ON referral_claims(ip, created_at);
CREATE INDEX referral_claims_by_friend ON referral_claims(friend_email_key);
CREATE TABLE friend_offers (
  friend_email_key TEXT PRIMARY KEY,
  code TEXT NOT NULL,
  advocate_id TEXT NOT NULL,
  coupon TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE rate_limit_buckets (
  key TEXT PRIMARY KEY,
  tokens_milli BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
)sql";

// Version 2: a platform's refund names only its order (Shopify's refunds/create), so its
// customer is looked up by order id among the order events.
constexpr const char* kVersion2 =
    "CREATE INDEX IF NOT EXISTS order_events_by_order ON order_events (order_id);";

// Version 3: the notifications outbox (outbox_store.cpp). Rows are written in the same
// transaction as the ledger entry that causes them and delivered afterwards by the notifier
// thread, so a notification exists exactly when its ledger change committed. `id` is what the
// merchant's receiver deduplicates by; `seq` keeps the order they were written in;
// `dedupe_key` stops the expiry warning from being queued twice for the same lot.
// next_attempt_at is in Unix milliseconds (retry backoffs can be shorter than a second); the
// other instants are Unix seconds like everywhere else.
constexpr const char* kVersion3Sqlite = R"sql(
CREATE TABLE IF NOT EXISTS notification_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  dedupe_key TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT,
  dead INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_attempt_at)
  WHERE delivered_at IS NULL AND dead = 0;
)sql";

constexpr const char* kVersion3Postgres = R"sql(
CREATE TABLE notification_outbox (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  dedupe_key TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  delivered_at BIGINT,
  last_error TEXT,
  dead BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at)
  WHERE delivered_at IS NULL AND dead = 0;
)sql";

constexpr SchemaMigration kMigrations[] = {
    {1, "the ledger, customers, programs, idempotency keys, order events, referrals, rate limits",
     kVersion1Sqlite, kVersion1Postgres},
    {2, "order events by order id (platform refunds)", kVersion2, kVersion2},
    {3, "the notifications outbox (merchant webhook)", kVersion3Sqlite, kVersion3Postgres},
};

}  // namespace

const SchemaMigration* schema_migrations() { return kMigrations; }

std::size_t schema_migration_count() { return sizeof(kMigrations) / sizeof(kMigrations[0]); }

int latest_schema_version() { return kMigrations[schema_migration_count() - 1].version; }

}  // namespace loyalty::server
