// Published program versions in `programs`: every PUT /v1/admin/program adds one, and the newest
// is the one the server runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "customer_store.hpp"
#include "database.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {

/// One row of `programs`.
struct StoredProgram {
  std::int64_t version = 0;
  EpochSeconds published_at = 0;
  std::string document;  // as published, byte for byte
};

/// Stores a new version; its number, or nullopt on a storage error.
std::optional<std::int64_t> insert_program(Database& db, std::string_view document,
                                           EpochSeconds published_at);

/// The newest version.
LoadStatus latest_program(Database& db, StoredProgram& out);

/// Every version's number and publication instant, oldest first (documents left empty). False
/// on a storage error.
bool list_program_versions(Database& db, std::vector<StoredProgram>& out);

}  // namespace loyalty::server
