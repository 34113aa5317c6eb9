// Group commit: one writer thread runs every queued write in one SQLite transaction, each in
// its own savepoint, and commits them together. With synchronous=FULL a commit costs an fsync
// (milliseconds on most disks); sharing it between all the requests that arrived meanwhile
// keeps durable writes fast under load. Writes still run one at a time, in arrival order, so a
// redemption always sees every earlier one (no overspending).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "database.hpp"

namespace loyalty::server {

class GroupCommitter {
 public:
  /// A write. Runs on the writer thread inside the group's transaction; returns false to roll
  /// back its own changes (a storage error half-way) without touching the others'.
  using Job = std::function<bool(Database&)>;

  /// Told after each group whether it committed (on the writer thread, before the next group).
  using GroupEnd = std::function<void(bool committed)>;

  GroupCommitter(std::unique_ptr<Database> db, std::size_t max_group, GroupEnd after_group = {});
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  /// Runs `job` and waits until its group is committed. False when the group could not begin
  /// or commit: then nothing the job wrote is stored, and its caller must answer an error.
  bool run(const Job& job);

 private:
  // Each waiter has its own mutex, and the writer wakes it after letting go of that mutex, so
  // a woken request never blocks again on a lock the writer holds. Shared so that it outlives
  // the waiter's return until the writer has notified it.
  struct Pending {
    const Job* job = nullptr;
    std::mutex mutex;
    bool done = false;
    bool committed = false;
    std::condition_variable finished;
  };
  void loop();

  std::unique_ptr<Database> db_;
  const std::size_t max_group_;
  const GroupEnd after_group_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<std::shared_ptr<Pending>> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace loyalty::server
