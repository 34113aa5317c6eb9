// Group commit: one writer thread runs every queued write in one transaction (SQLite or
// PostgreSQL), each in its own savepoint, and commits them together. Writes still run one at a
// time, in arrival order, and the transaction holds the store's write lock, so a redemption
// always sees every earlier one, from this process or another (no overspending).
//
// On SQLite, durable writes (SyncMode::full) are acknowledged only once the WAL is fsynced, as with
// synchronous=FULL, but the fsync is not done by the writer: its connection gathers each
// commit's WAL frames into a few writes and leaves the fsync out (wal_write_buffer.hpp), and a
// second thread fsyncs the WAL file for every group committed meanwhile, while the writer
// already runs the next group. The WAL is append-only and recovery keeps a checksummed prefix
// of it, so one fsync covers every group written before it; a group that is not yet durable may
// be read (as a balance) but no request that depends on it is answered before it is.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "database.hpp"

namespace loyalty::server {

class GroupCommitter {
 public:
  /// A write. Runs on the writer thread inside the group's transaction; returns false to roll
  /// back its own changes (a storage error half-way) without touching the others'.
  using Job = std::function<bool(Database&)>;

  /// Told after each group whether it committed (on the writer thread, before the next group).
  using GroupEnd = std::function<void(bool committed)>;

  /// Takes over the WAL fsync of `db` (a connection on wal_write_buffer_vfs()): with
  /// SyncMode::full the syncer thread fsyncs before answering, with SyncMode::normal nobody does.
  /// On another VFS, SQLite's own synchronous setting stays in charge. A PostgreSQL `db` makes
  /// its commits durable itself; its write transactions hold the store's write lock, so the
  /// groups of several processes on one database still run one at a time.
  GroupCommitter(std::unique_ptr<Database> db, std::size_t max_group, SyncMode sync,
                 GroupEnd after_group = {});
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  /// Runs `job` and waits until its group is committed (and durable, with SyncMode::full).
  /// False when the group could not begin, commit or be made durable: then its caller must
  /// answer an error. After a failed fsync the writes may still be stored, but every later
  /// write is refused until a restart (a retry then finds them, or not, by its idempotency key
  /// or event id).
  bool run(const Job& job);

  /// Queues `job` and returns at once; `done` is called once with what run() would return,
  /// from the thread that finished the group (the writer, or the fsync thread with
  /// SyncMode::full). So a request needn't hold a thread while its write waits: `done` should
  /// only hand the rest of the work to a thread of the caller's.
  void submit(Job job, std::function<void(bool committed)> done);

 private:
  // Each waiter has its own mutex, and the writer wakes it after letting go of that mutex, so
  // a woken request never blocks again on a lock the writer holds. Shared so that it outlives
  // the waiter's return until the writer has notified it.
  struct Pending {
    const Job* job = nullptr;
    Job owned_job;                                // submit()'s job; run() keeps its own
    std::function<void(bool committed)> on_done;  // submit()'s; run() waits instead
    std::mutex mutex;
    bool done = false;
    bool committed = false;
    std::condition_variable finished;
  };
  using Group = std::vector<std::shared_ptr<Pending>>;

  void write_loop();
  void sync_loop();
  static void finish(const Group& group, bool committed);
  /// fdatasync of the WAL file (opened on first use, with an fsync of its directory).
  bool sync_wal();

  std::unique_ptr<Database> db_;
  SqliteDatabase* sqlite_ = nullptr;  // db_, when it is SQLite (its WAL is ours to fsync)
  const std::size_t max_group_;
  bool fsync_wal_;  // whether the syncer thread runs
  const GroupEnd after_group_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<std::shared_ptr<Pending>> queue_;
  bool stopping_ = false;

  std::string wal_path_;
  int wal_fd_ = -1;
  std::mutex sync_mutex_;
  std::condition_variable sync_ready_;
  std::vector<Group> to_sync_;  // committed groups waiting for the next fsync, oldest first
  bool writer_done_ = false;
  std::atomic<bool> sync_failed_{false};  // sticky: see sync_loop()

  std::thread writer_;
  std::thread syncer_;
};

}  // namespace loyalty::server
