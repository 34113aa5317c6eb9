#include "group_commit.hpp"

#include <pthread.h>

#include <vector>

namespace loyalty::server {

GroupCommitter::GroupCommitter(std::unique_ptr<Database> db, std::size_t max_group,
                               GroupEnd after_group)
    : db_(std::move(db)),
      max_group_(max_group == 0 ? 1 : max_group),
      after_group_(std::move(after_group)) {
  writer_ = std::thread([this] { loop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  writer_.join();
}

bool GroupCommitter::run(const Job& job) {
  auto pending = std::make_shared<Pending>();
  pending->job = &job;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    queue_.push_back(pending);
  }
  work_ready_.notify_one();
  std::unique_lock<std::mutex> lock(pending->mutex);
  pending->finished.wait(lock, [&] { return pending->done; });
  return pending->committed;
}

void GroupCommitter::loop() {
  pthread_setname_np(pthread_self(), "loyalty-writer");  // shows in top -H and perf
  std::vector<std::shared_ptr<Pending>> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued write has been served
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    // IMMEDIATE takes the write lock up front, so another process can't interleave.
    bool committed = db_->exec("BEGIN IMMEDIATE;");
    for (const auto& pending : group) {
      if (!committed) break;
      // Prepared once (not parsed again by exec) since they run for every write.
      committed = db_->prepare("SAVEPOINT job").run();
      if (committed && !(*pending->job)(*db_)) db_->exec("ROLLBACK TO job;");
      // Some errors (disk full, I/O) make SQLite roll back the whole transaction by itself;
      // then the earlier jobs' writes are gone too, and none of the group may be acknowledged.
      committed =
          committed && db_->prepare("RELEASE job").run() && !sqlite3_get_autocommit(db_->handle());
    }
    if (committed) committed = db_->exec("COMMIT;");
    if (!committed && !sqlite3_get_autocommit(db_->handle())) db_->exec("ROLLBACK;");
    if (after_group_) after_group_(committed);
    for (const auto& pending : group) {
      {
        std::lock_guard<std::mutex> lock(pending->mutex);
        pending->done = true;
        pending->committed = committed;
      }
      pending->finished.notify_one();
    }
    group.clear();
  }
}

}  // namespace loyalty::server
