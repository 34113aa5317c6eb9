#include "pg_schema.hpp"

#include "schema.hpp"

namespace loyalty::server {
namespace {

// Any fixed number: the lock every loyalty-server takes while it migrates.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7023504519)";

}  // namespace

int migrate_postgres(PgConnection& connection, std::string& error) {
  PgTransaction transaction(connection);
  const auto failed = [&](const std::string& what, const PgResult& answer) {
    error = what + ": " + answer.error();
    return 0;
  };
  if (!transaction.begun()) {
    error = "could not begin the migration";
    return 0;
  }
  if (PgResult locked = connection.exec(kMigrationLock); !locked.ok()) {
    return failed("the migration lock", locked);
  }
  PgResult table = connection.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "what TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  if (!table.ok()) return failed("the schema_migrations table", table);
  PgResult latest = connection.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!latest.ok()) return failed("reading the schema version", latest);
  const int current = static_cast<int>(latest.integer(0, 0).value_or(0));
  if (current > latest_schema_version()) {
    error = "the database's schema is version " + std::to_string(current) +
            ", newer than this server's " + std::to_string(latest_schema_version()) +
            ": run a newer loyalty-server";
    return 0;
  }
  for (std::size_t index = 0; index < schema_migration_count(); ++index) {
    const SchemaMigration& step = schema_migrations()[index];
    if (step.version <= current) continue;
    const std::string name = "schema step " + std::to_string(step.version) + " (" + step.what + ")";
    if (PgResult applied = connection.exec_script(step.postgres); !applied.ok()) {
      return failed(name, applied);
    }
    PgResult recorded =
        connection.exec("INSERT INTO schema_migrations (version, what) VALUES ($1, $2)",
                        PgParams().integer(step.version).text(step.what));
    if (!recorded.ok()) return failed(name, recorded);
  }
  if (PgResult committed = transaction.commit(); !committed.ok()) {
    return failed("committing the migration", committed);
  }
  return latest_schema_version();
}

}  // namespace loyalty::server
