// Backend's lifecycle: start-up (the platform mappings, the published program, the seed
// customers), the background threads (WAL checkpoints, expiry sweeps, idempotency-key pruning),
// each thread's read connection and shutdown. The endpoints are in the files backend.hpp lists.
#include "backend.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "backend_helpers.hpp"
#include "idempotency_store.hpp"
#include "job_turn.hpp"
#include "outbox_store.hpp"
#include "program_store.hpp"

namespace loyalty::server {
namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The first entry recorded later than `latest`.
std::optional<std::size_t> first_future_entry(const Customer& customer, EpochSeconds latest) {
  for (std::size_t i = 0; i < customer.ledger.size(); ++i)
    if (customer.ledger[i].recorded() > latest) return i;
  return std::nullopt;
}

}  // namespace

Backend::Backend(ServerConfig config) : config_(std::move(config)), admin_key_(config_.admin_key) {}

Backend::~Backend() {
  {
    std::lock_guard<std::mutex> lock(checkpointer_mutex_);
    stopping_ = true;
  }
  checkpointer_wake_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  if (sweeper_.joinable()) sweeper_.join();
  if (pruner_.joinable()) pruner_.join();
}

void Backend::run_idempotency_pruning() {
  // Often enough that a key outlives its retention by at most half of it (a minute at most).
  const auto every =
      std::chrono::seconds(std::clamp<std::int64_t>(config_.idempotency_key_seconds / 2, 1, 60));
  std::unique_lock<std::mutex> lock(checkpointer_mutex_);
  while (!checkpointer_wake_.wait_for(lock, every, [this] { return stopping_; })) {
    lock.unlock();
    Database* own = database();
    // Another process sharing the database may be pruning: then this pass is its.
    if (own) {
      const JobTurn turn(*own, Job::key_pruning);
      if (turn.mine() && !prune_idempotency_keys(unix_now() - config_.idempotency_key_seconds))
        std::cerr << "loyalty-server: pruning old idempotency keys failed; retrying later\n";
    }
    lock.lock();
  }
}

bool Backend::prune_idempotency_keys(EpochSeconds cutoff) {
  // A batch per write, so that redemptions interleave with a long pass.
  constexpr std::int64_t kBatch = 500;
  KeyCursor cursor;
  for (;;) {
    std::int64_t seen = 0;
    const bool committed = writes_->run([&](Database& db) {
      return loyalty::server::prune_idempotency_keys(db, cursor, kBatch, cutoff, seen);
    });
    if (!committed) return false;
    if (seen < kBatch) return true;
  }
}

void Backend::run_expiry_sweeps() {
  std::unique_lock<std::mutex> lock(checkpointer_mutex_);
  while (!checkpointer_wake_.wait_for(lock, std::chrono::seconds(config_.expiry_sweep_seconds),
                                      [this] { return stopping_; })) {
    lock.unlock();
    Database* own = database();
    // Another process sharing the database may be sweeping: then this pass is its.
    if (own) {
      const JobTurn turn(*own, Job::expiry_sweep);
      if (turn.mine()) sweep_expiry(unix_now());
    }
    lock.lock();
  }
}

void Backend::run_checkpoints() {
  std::string error;
  auto db = SqliteDatabase::open(config_.database, error);
  if (!db) return;
  std::unique_lock<std::mutex> lock(checkpointer_mutex_);
  while (!checkpointer_wake_.wait_for(lock, std::chrono::milliseconds(250),
                                      [this] { return stopping_; })) {
    lock.unlock();
    db->checkpoint_passive();
    lock.lock();
  }
  db->checkpoint_passive();
}

Database* Backend::database() {
  // A connection (SQLite's or libpq's) is not shared between threads; each worker opens its own.
  // Kept with its path or URL: a process that runs one backend after another (the unit tests)
  // must not read the previous one's database.
  thread_local std::unique_ptr<Database> connection;
  thread_local std::string connection_path;
  if (!connection || connection_path != config_.database.path) {
    std::string error;
    connection = Database::open(config_.database, error);
    connection_path = config_.database.path;
  }
  return connection.get();
}

std::shared_ptr<const PublishedProgram> Backend::program() const {
  std::lock_guard<std::mutex> lock(program_mutex_);
  return program_;
}

void Backend::set_program(const std::string& document, Program parsed, std::int64_t version) {
  auto published = std::make_shared<PublishedProgram>();
  published->version = version;
  published->document = document;
  published->program = std::move(parsed);
  std::lock_guard<std::mutex> lock(program_mutex_);
  program_ = std::move(published);
}

bool Backend::start(const std::string& program_file, const std::string& seed_dir,
                    std::string& error) {
  if (!load_platforms(error)) return false;
  writer_db_ = Database::open(config_.database, error, true);
  if (!writer_db_) {
    error = "cannot open the database " + config_.database.path + ": " + error;
    return false;
  }
  Database* db = writer_db_.get();
  StoredProgram latest;
  const LoadStatus stored = latest_program(*db, latest);
  if (stored == LoadStatus::storage_error) {
    error = "cannot read the programs table: " + db->last_error();
    return false;
  }
  if (stored == LoadStatus::found) {
    auto parsed = parse_program(latest.document);
    if (!parsed.ok()) {
      std::string path;
      std::string message = first_error(parsed.diagnostics, path);
      error = "the stored program version " + std::to_string(latest.version) +
              " no longer parses: " + path + ": " + message;
      return false;
    }
    if (auto zone_error = give_system_time_zone(*parsed.value)) {
      error = "the stored program version " + std::to_string(latest.version) +
              ": /timeZone: " + *zone_error;
      return false;
    }
    auto published = std::make_shared<PublishedProgram>();
    published->version = latest.version;
    published->document = std::move(latest.document);
    published->program = std::move(*parsed.value);
    program_ = std::move(published);
  } else if (!program_file.empty()) {
    auto text = read_file(program_file);
    if (!text) {
      error = "cannot read the program file " + program_file;
      return false;
    }
    auto parsed = parse_program(*text);
    if (!parsed.ok()) {
      std::string path;
      std::string message = first_error(parsed.diagnostics, path);
      error = program_file + ": " + path + ": " + message;
      return false;
    }
    if (auto zone_error = give_system_time_zone(*parsed.value)) {
      error = program_file + ": /timeZone: " + *zone_error;
      return false;
    }
    auto version = insert_program(*db, *text, unix_now());
    if (!version) {
      error = "cannot store the program: " + db->last_error();
      return false;
    }
    set_program(*text, std::move(*parsed.value), *version);
  }
  if (!seed_dir.empty() && !seed_customers(seed_dir, error)) return false;
  // From here on every write goes through the group committer's thread and connection.
  // After a group that queued notifications, the notifier looks at once instead of at its
  // next poll.
  writes_ = std::make_unique<GroupCommitter>(
      std::move(writer_db_), kMaxGroupSize, config_.database.sync,
      [this, signal = notifier_signal_,
       seen = notifications_queued_count()](bool committed) mutable {
        accounts_.finish_group(committed);
        const std::uint64_t queued = notifications_queued_count();
        if (committed && queued != seen) signal->notify();
        seen = queued;
      });
  if (!config_.notify.url.empty()) {
    auto target = parse_notify_url(config_.notify.url, error);
    if (!target) {
      error = "--notify-url " + config_.notify.url + ": " + error;
      return false;
    }
    notifier_ = std::make_unique<Notifier>(config_.notify, std::move(*target), config_.database,
                                           *writes_, notifier_signal_);
  }
  // SQLite's WAL is copied into the file here; PostgreSQL checkpoints by itself.
  if (!is_postgres_url(config_.database.path))
    checkpointer_ = std::thread([this] { run_checkpoints(); });
  if (config_.expiry_sweep_seconds > 0) sweeper_ = std::thread([this] { run_expiry_sweeps(); });
  if (config_.idempotency_key_seconds > 0)
    pruner_ = std::thread([this] { run_idempotency_pruning(); });
  return true;
}

bool Backend::seed_customers(const std::string& seed_dir, std::string& error) {
  Database* db = writer_db_.get();
  if (!db) {
    error = "cannot open the database";
    return false;
  }
  bool any = false;
  if (!has_customers(*db, any)) {
    error = "cannot read the customers table";
    return false;
  }
  if (any) return true;  // seeds only a fresh database

  std::error_code code;
  std::vector<std::filesystem::path> files;
  for (const auto& item : std::filesystem::directory_iterator(seed_dir, code))
    if (item.path().extension() == ".json") files.push_back(item.path());
  if (code) {
    error = "cannot list the seed directory " + seed_dir + ": " + code.message();
    return false;
  }
  std::sort(files.begin(), files.end());
  const EpochSeconds now = unix_now();
  Transaction transaction(*db, Transaction::Kind::write);
  for (const auto& file : files) {
    auto text = read_file(file.string());
    if (!text) {
      error = "cannot read " + file.string();
      return false;
    }
    auto parsed = parse_customer(*text);
    if (!parsed.ok()) {
      std::string path;
      std::string message = first_error(parsed.diagnostics, path);
      error = file.string() + ": " + path + ": " + message;
      return false;
    }
    Customer customer = std::move(*parsed.value);
    if (!is_valid_customer_id(customer.id)) {
      error = file.string() + ": /id: must match [A-Za-z0-9_-]{1,64}";
      return false;
    }
    if (customer.member && customer.referral_code.empty())
      customer.referral_code = make_referral_code(customer.first_name);
    customer.summary.reset();  // the server keeps ledgers, never foreign balances
    if (auto repeated = first_repeated_entry_id(customer)) {
      error = file.string() + ": /ledger/" + std::to_string(*repeated) + "/id: \"" +
              customer.ledger[*repeated].id + "\" is the id of an earlier entry";
      return false;
    }
    // An entry from the future would sort after every entry the server writes until then.
    if (auto future = first_future_entry(customer, now + config_.max_clock_skew_seconds)) {
      const LedgerEntry& entry = customer.ledger[*future];
      error = file.string() + ": /ledger/" + std::to_string(*future) +
              (entry.recorded_at ? "/recordedAt: " : "/at: ") +
              future_instant_message(entry.recorded(), now, config_.max_clock_skew_seconds);
      return false;
    }
    if (!insert_customer(*db, customer, now)) {
      error = file.string() + ": cannot store the customer: " + db->last_error();
      return false;
    }
  }
  if (!transaction.commit()) {
    error = "cannot commit the seed customers";
    return false;
  }
  return true;
}

}  // namespace loyalty::server
