#include "job_turn.hpp"

#include "pg_database.hpp"

namespace loyalty::server {

JobTurn::JobTurn(Database& db, Job job) : db_(db), job_(job) {
  if (!dynamic_cast<PgDatabase*>(&db_)) {
    mine_ = true;
    return;
  }
  // Asked in a transaction, where a lost connection is made again like for any other work; the
  // session lock outlives it. A failed try (the database unreachable) is not a turn: the pass
  // would fail anyway.
  Transaction asking(db_, Transaction::Kind::read);
  if (!asking.begun()) return;
  auto take = db_.prepare("SELECT pg_try_advisory_lock(?1)");
  take.bind(1, static_cast<std::int64_t>(job_));
  locked_ = take.step() && take.integer(0) == 1;
  asking.commit();
  mine_ = locked_;
}

JobTurn::~JobTurn() {
  if (!locked_) return;
  // If this fails the connection is gone, and PostgreSQL has released the lock with it.
  auto give_back = db_.prepare("SELECT pg_advisory_unlock(?1)");
  give_back.bind(1, static_cast<std::int64_t>(job_));
  give_back.step();
}

}  // namespace loyalty::server
