#include "program_store.hpp"

namespace loyalty::server {

std::optional<std::int64_t> insert_program(Database& db, std::string_view document,
                                           EpochSeconds published_at) {
  auto insert =
      db.prepare("INSERT INTO programs (published_at, document) VALUES (?1, ?2) RETURNING version");
  insert.bind(1, published_at).bind(2, document);
  if (!insert.step()) return std::nullopt;
  const std::int64_t version = insert.integer(0);
  return insert.run() ? std::optional<std::int64_t>(version) : std::nullopt;
}

LoadStatus latest_program(Database& db, StoredProgram& out) {
  auto latest = db.prepare(
      "SELECT version, published_at, document FROM programs ORDER BY version DESC LIMIT 1");
  if (!latest.step()) return latest.ok() ? LoadStatus::not_found : LoadStatus::storage_error;
  out.version = latest.integer(0);
  out.published_at = latest.integer(1);
  out.document = latest.text(2);
  return LoadStatus::found;
}

bool list_program_versions(Database& db, std::vector<StoredProgram>& out) {
  auto query = db.prepare("SELECT version, published_at FROM programs ORDER BY version");
  while (query.step()) {
    StoredProgram& version = out.emplace_back();
    version.version = query.integer(0);
    version.published_at = query.integer(1);
  }
  return query.ok();
}

}  // namespace loyalty::server
