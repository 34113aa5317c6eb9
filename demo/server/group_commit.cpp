#include "group_commit.hpp"

#include "wal_write_buffer.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace loyalty::server {
namespace {

// fsync of the directory holding `file`: makes a newly created file's name durable.
bool sync_directory_of(const std::string& file) {
  auto slash = file.rfind('/');
  std::string directory = slash == std::string::npos ? "." : file.substr(0, slash + 1);
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

// The writer is the one thread every write passes through: when it loses the CPU to the
// request threads it wakes, the whole queue waits. A nice value below theirs keeps it running.
// Lowering a nice value needs CAP_SYS_NICE (or RLIMIT_NICE); without it the writer stays at 0.
constexpr int kWriterNice = -10;

void raise_priority_of_this_thread() {
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWriterNice) != 0)
    std::cerr << "loyalty-server: the writer thread keeps the default priority ("
              << std::strerror(errno) << "); under heavy load writes may wait longer\n";
}

}  // namespace

GroupCommitter::GroupCommitter(std::unique_ptr<Database> db, std::size_t max_group, SyncMode sync,
                               GroupEnd after_group)
    : db_(std::move(db)),
      max_group_(max_group == 0 ? 1 : max_group),
      fsync_wal_(sync == SyncMode::full),
      after_group_(std::move(after_group)) {
  // The writer's commits go out as one write each (see wal_write_buffer.hpp), and their fsync is
  // left to the syncer thread (or, with SyncMode::normal, to nobody). Without the gathering VFS
  // SQLite fsyncs on the writer thread as before.
  sqlite_ = dynamic_cast<SqliteDatabase*>(db_.get());
  if (sqlite_ && gather_wal_writes(sqlite_->handle(), true)) {
    const char* main_file = sqlite3_db_filename(sqlite_->handle(), "main");
    wal_path_ = std::string(main_file ? main_file : "") + "-wal";
    if (fsync_wal_) syncer_ = std::thread([this] { sync_loop(); });
  } else {
    fsync_wal_ = false;
  }
  writer_ = std::thread([this] { write_loop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  writer_.join();
  {
    std::lock_guard<std::mutex> lock(sync_mutex_);
    writer_done_ = true;
  }
  sync_ready_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  if (sqlite_) stop_gathering_wal_writes(sqlite_->handle());
  if (wal_fd_ >= 0) ::close(wal_fd_);
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

void GroupCommitter::submit(Job job, std::function<void(bool committed)> done) {
  auto pending = std::make_shared<Pending>();
  pending->owned_job = std::move(job);
  pending->job = &pending->owned_job;
  pending->on_done = std::move(done);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      pending = nullptr;
    }
  }
  if (pending) return pending->on_done(false);
  work_ready_.notify_one();
}

void GroupCommitter::finish(const Group& group, bool committed) {
  for (const auto& pending : group) {
    if (pending->on_done) {
      pending->on_done(committed);
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(pending->mutex);
      pending->done = true;
      pending->committed = committed;
    }
    pending->finished.notify_one();
  }
}

void GroupCommitter::write_loop() {
  pthread_setname_np(pthread_self(), "loyalty-writer");  // shows in top -H and perf
  raise_priority_of_this_thread();
  Group group;
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
    if (sync_failed_) {
      finish(group, false);
      group.clear();
      continue;
    }
    // The write lock up front, so another process can't interleave.
    bool committed = db_->begin(TransactionKind::write);
    for (const auto& pending : group) {
      if (!committed) break;
      // Prepared once (not parsed again by exec) since they run for every write.
      committed = db_->prepare("SAVEPOINT job").run();
      if (committed && !(*pending->job)(*db_)) db_->exec("ROLLBACK TO job;");
      // Some errors (disk full, I/O, a lost connection) end the whole transaction by
      // themselves; then the earlier jobs' writes are gone too, and none of the group may be
      // acknowledged.
      committed = committed && db_->prepare("RELEASE job").run() && db_->in_transaction();
    }
    if (committed) committed = db_->exec("COMMIT;");
    if (!committed && db_->in_transaction()) db_->exec("ROLLBACK;");
    if (after_group_) after_group_(committed);
    if (committed && fsync_wal_) {
      {
        std::lock_guard<std::mutex> lock(sync_mutex_);
        to_sync_.push_back(std::move(group));
      }
      sync_ready_.notify_one();
    } else {
      finish(group, committed);
    }
    group.clear();
  }
}

void GroupCommitter::sync_loop() {
  pthread_setname_np(pthread_self(), "loyalty-fsync");
  std::vector<Group> groups;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(sync_mutex_);
      sync_ready_.wait(lock, [this] { return writer_done_ || !to_sync_.empty(); });
      if (to_sync_.empty()) return;  // the writer has stopped and every group is answered
      groups.swap(to_sync_);
    }
    // Every group taken was fully written to the WAL before it was queued.
    // Once an fsync has failed, Linux may have dropped the unwritten pages and a later fsync
    // can succeed without them: nothing after it can be called durable until a restart, which
    // recovers from what the disk really holds.
    const bool durable = !sync_failed_ && sync_wal();
    if (!durable && !sync_failed_.exchange(true))
      std::cerr << "loyalty-server: fsync of " << wal_path_ << " failed: " << std::strerror(errno)
                << "; every write now answers 503 until the server is restarted\n";
    for (const auto& group : groups) finish(group, durable);
    groups.clear();
  }
}

bool GroupCommitter::sync_wal() {
  // SQLite keeps the WAL file (same inode) while a connection is open, and the writer's is.
  if (wal_fd_ < 0) {
    int fd = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    if (!sync_directory_of(wal_path_)) {
      ::close(fd);
      return false;
    }
    wal_fd_ = fd;
  }
  return ::fdatasync(wal_fd_) == 0;
}

}  // namespace loyalty::server
