// The stores' schema as numbered steps, each written for SQLite and for PostgreSQL side by
// side, so the two stores hold the same tables. A database records the last step it has
// taken (SQLite: PRAGMA user_version; PostgreSQL: the schema_migrations table); a server
// takes the steps its database lacks at start-up, and refuses a database newer than itself.
#pragma once

#include <cstddef>

namespace loyalty::server {

struct SchemaMigration {
  int version;           // 1, 2, ...: the version the database has after this step
  const char* what;      // one line for the log and the migrations table
  const char* sqlite;    // statements for SQLite
  const char* postgres;  // the same for PostgreSQL
};

/// Every step, oldest first.
const SchemaMigration* schema_migrations();
std::size_t schema_migration_count();
/// The version a database has once every step is taken.
int latest_schema_version();

}  // namespace loyalty::server
