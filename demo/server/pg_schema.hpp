// Brings a PostgreSQL database to this server's schema (schema.hpp).
#pragma once

#include <string>

#include "pg_connection.hpp"

namespace loyalty::server {

/// Takes the steps the database lacks, all in one transaction under an advisory lock, so that
/// servers starting together take each step once. The version the database is at afterwards,
/// or 0 with `error` (a failed step, or a database newer than this server).
int migrate_postgres(PgConnection& connection, std::string& error);

}  // namespace loyalty::server
