// One process at a time runs a periodic job (the expiry sweep, the idempotency-key pruning) on a
// database. Several processes share a PostgreSQL database: each pass first tries a session
// advisory lock of the job's own on the job thread's connection, and a process that doesn't get
// it skips the pass, since another is doing it; PostgreSQL releases the lock when the pass ends
// or the holder's connection goes. A SQLite file belongs to one process: the turn is always its.
#pragma once

#include <cstdint>

#include "database.hpp"

namespace loyalty::server {

enum class Job : std::int64_t {
  // Keys of their own: the store's write lock is 7023504520, the migrations use another.
  expiry_sweep = 7023504521,
  key_pruning = 7023504522,
};

class JobTurn {
 public:
  /// Tries to take `job`'s turn on `db` (a connection the job keeps for its pass).
  JobTurn(Database& db, Job job);
  /// Gives the turn back.
  ~JobTurn();
  JobTurn(const JobTurn&) = delete;
  JobTurn& operator=(const JobTurn&) = delete;

  /// Whether this process runs the pass now.
  bool mine() const { return mine_; }

 private:
  Database& db_;
  const Job job_;
  bool locked_ = false;  // holds the PostgreSQL lock, to give back
  bool mine_ = false;
};

}  // namespace loyalty::server
