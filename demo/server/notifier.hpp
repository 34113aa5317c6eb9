// Delivers the notifications outbox to the merchant's webhook (--notify-url): one background
// thread POSTs each due row as JSON signed with HMAC-SHA256 under --notify-secret, marks it
// delivered after a 2xx and otherwise retries with exponential backoff until it is dead-lettered.
// At least once: a row is marked only after its 2xx, so a crash in between delivers it again.
// On PostgreSQL, where several processes share the outbox, each row is sent while its row lock
// is held, so no two processes send it at once.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "database.hpp"
#include "group_commit.hpp"
#include "outbox_store.hpp"

namespace loyalty::server {

struct NotifyConfig {
  std::string url;     // empty: nothing is delivered, rows stay queued
  std::string secret;  // HMAC-SHA256 key of X-Loyalty-Signature
  std::int64_t max_attempts = 8;
  std::int64_t retry_base_ms = 5000;    // the first retry waits this long, then twice as long...
  std::int64_t retry_cap_ms = 3600000;  // ...up to this
  std::int64_t timeout_ms = 10000;      // connecting, sending and reading one delivery
  std::string ca_file;  // https: a PEM file of authorities trusted besides the system's
};

/// An http:// or https:// URL taken apart.
struct HttpTarget {
  bool tls = false;  // https
  std::string host;
  std::string port;
  std::string path;  // with its query; "/" when none
};

/// Reads an http:// or https:// URL; nullopt with the reason otherwise.
std::optional<HttpTarget> parse_notify_url(const std::string& url, std::string& error);

/// What an https delivery trusts: the system's certificate authorities, plus those of
/// `ca_file` when given; the receiver's certificate must name its host (or IP address).
/// nullptr with the reason when `ca_file` can't be read.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const std::string& ca_file,
                                                            std::string& error);

/// How long to wait after the `attempts`-th failed attempt (1, 2, ...).
std::int64_t retry_delay_ms(const NotifyConfig& config, std::int64_t attempts);

/// The JSON a receiver gets: {"id", "kind", "customerId", "createdAt", "data"}.
std::string delivery_body(const OutboxRow& row);

struct DeliveryResult {
  bool delivered = false;  // a 2xx arrived
  std::string error;       // otherwise why not: "HTTP 500", "connect: Connection refused", ...
};

/// POSTs `body` to `target` with `headers`, giving up after `timeout`; an https target needs
/// `tls` (make_tls_context).
DeliveryResult post_json(const HttpTarget& target, const std::string& body,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         std::chrono::milliseconds timeout,
                         boost::asio::ssl::context* tls = nullptr);

/// Wakes the notifier when the writer committed new rows; shared, so a writer callback can
/// outlive the notifier safely.
class NotifierSignal {
 public:
  void notify();
  /// Waits until notified, stopped or `timeout` passed; true when stopped.
  bool wait(std::chrono::milliseconds timeout);
  void stop();
  bool stopping();

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool notified_ = false;
  bool stopping_ = false;
};

class Notifier {
 public:
  /// Starts the delivery thread; every write goes through `writes`, which must outlive it.
  /// `database` opens the thread's own read connection (to see when the next row is due).
  Notifier(NotifyConfig config, HttpTarget target, DatabaseOptions database, GroupCommitter& writes,
           std::shared_ptr<NotifierSignal> signal);
  /// Stops the thread (an attempt under way finishes or times out first).
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

 private:
  void run();
  enum class Pass { done, storage_failed, stopping };
  /// What one attempt came to, to be written to the row.
  struct Attempt {
    bool delivered = false;
    bool dead = false;  // failed, and it was the last attempt
    std::string error;
    std::int64_t next_ms = 0;  // when to try again, if not delivered
  };
  /// Delivers the rows due now (one batch), read and marked by the writer: one process owns
  /// a SQLite file.
  Pass deliver_due();
  /// Delivers the rows due now on `db`, one claimed row at a time (PostgreSQL, shared by
  /// processes).
  Pass deliver_claimed(Database& db);
  Attempt attempt(const OutboxRow& row);
  static bool record(Database& db, const OutboxRow& row, const Attempt& attempt);

  const NotifyConfig config_;
  const HttpTarget target_;
  std::unique_ptr<boost::asio::ssl::context> tls_;  // for an https target
  const DatabaseOptions database_;
  // Several processes may share the outbox (PostgreSQL): deliveries claim their rows.
  const bool shared_;
  GroupCommitter& writes_;
  std::shared_ptr<NotifierSignal> signal_;
  std::thread thread_;
};

}  // namespace loyalty::server
