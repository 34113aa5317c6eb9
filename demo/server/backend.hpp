// The reference backend: every endpoint of CONTRACT.md "Backend HTTP API, version 1".
// Each state change is one write transaction (SQLite or PostgreSQL, database.hpp), committed in
// groups by the one writer: load the ledger, let the core decide, append entries, commit.
//
// Its methods live by audience: backend.cpp (start-up, background threads, shutdown),
// request_guards.cpp (tokens, admin key, rate limits), shopper_routes.cpp and
// redemption_routes.cpp (the shopper API), referral_routes.cpp, order_routes.cpp (the order
// webhook), platform_webhooks.cpp, admin_routes.cpp, expiry_sweep.cpp, notification_routes.cpp
// and demo_routes.cpp (DEMO ONLY); routes.cpp maps the URLs to them.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "auth.hpp"
#include "customer_store.hpp"
#include "database.hpp"
#include "group_commit.hpp"
#include "http_json.hpp"
#include "http_request.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"
#include "notifier.hpp"
#include "platform_mapping.hpp"
#include "request_bodies.hpp"

namespace loyalty::server {

/// A token bucket: `per_minute` requests a minute with bursts up to the same number.
/// 0 turns the limit off.
struct RateLimit {
  std::int64_t per_minute = 10;
};

/// Most writes one group commit may hold (one fsync for all of them).
constexpr std::size_t kMaxGroupSize = 128;

struct ServerConfig {
  DatabaseOptions database;
  std::string secret;                        // HMAC key of shopper tokens
  std::string admin_key;                     // X-Admin-Key
  std::vector<std::string> allowed_origins;  // CORS allowlist; "*" allows any origin
  std::size_t max_body_bytes = 256 * 1024;
  RateLimit redemption_limit;  // per customer
  RateLimit claim_limit;       // per customer
  std::int64_t referral_claims_per_ip_week = 5;
  // The two public referral routes, per caller address (token buckets like the ones above).
  RateLimit referral_lookup_limit{30};  // GET /v1/referrals/{code}
  RateLimit friend_offer_limit{10};     // POST /v1/referrals/friend
  std::string content_security_policy;  // sent with static files when set
  // DEMO ONLY (--demo): POST /demo/session and POST /demo/orders stand in for the shop's own
  // server (its login signs shopper tokens; its checkout sends the order webhook).
  bool demo_routes = false;
  // Seconds between expiry sweeps run by the server itself; 0 (the default) runs none.
  std::int64_t expiry_sweep_seconds = 0;
  // How long a redemption's Idempotency-Key is remembered (then the same key counts as new, as
  // with Stripe's 24 hours); 0 keeps every key.
  std::int64_t idempotency_key_seconds = 24 * 60 * 60;
  // How far an instant a caller sends (an order event's `at`, a seeded entry) may lie ahead of
  // the server's clock: later is refused (request.futureInstant), within it counts as now.
  std::int64_t max_clock_skew_seconds = 300;
  // Shared secrets of the shop platforms' webhooks by platform name (--webhook-secret
  // shopify=...); a platform without one answers 401 at POST /v1/webhooks/{platform}.
  std::map<std::string, std::string> webhook_secrets;
  // The merchant's notifications webhook (--notify-*); without a URL rows stay queued.
  NotifyConfig notify;
};

/// What one expiry sweep found and recorded.
struct SweepOutcome {
  std::int64_t customers = 0;        // members looked at
  std::int64_t entries = 0;          // expire entries recorded
  Points points = 0;                 // points they record
  std::vector<std::string> skipped;  // customers left alone: recording would change the replay
  std::int64_t birthdays = 0;        // birthday awards paid
  Points birthday_points = 0;        // their points
  bool storage_failed = false;
};

/// What applying an order event decided; `error` is set when it was refused or failed.
struct OrderOutcome {
  std::optional<ApiResponse> error;
  bool applied = true;  // false for a repeated event id or order id
  Points points = 0;
  nlohmann::json referral;  // null unless the event carried a referral code
};

/// The published program: its version, text and parsed form.
struct PublishedProgram {
  std::int64_t version = 0;
  std::string document;
  Program program;
};

class Backend {
 public:
  explicit Backend(ServerConfig config);
  ~Backend();
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  /// Opens the database, publishes `program_file` when nothing is published yet and seeds
  /// customers from `seed_dir` when there are none. False with a message on failure.
  bool start(const std::string& program_file, const std::string& seed_dir, std::string& error);

  const ServerConfig& config() const { return config_; }

  // The endpoints, callable without a socket.
  ApiResponse get_program(const Request& request);
  ApiResponse get_customer(const Request& request);
  /// How an endpoint answers without holding its caller's thread while its write waits for
  /// the writer: it calls `resume` once, from any thread, with the rest of its work, which the
  /// caller runs on a thread of its own to get the answer.
  using Finish = std::function<ApiResponse()>;
  using Resume = std::function<void(Finish)>;
  void post_redemption(const Request& request, Resume resume);
  ApiResponse post_claim(const Request& request);
  ApiResponse post_order_event(const Request& request);
  /// POST /v1/webhooks/{platform}: a shop platform's own order webhook, signed with its secret
  /// (platform_webhooks.cpp).
  ApiResponse post_platform_webhook(const Request& request);
  ApiResponse post_referral(const Request& request);
  // The referred friend's side, public (no token): what a code offers, and the friend's coupon.
  ApiResponse get_referral(const Request& request);
  ApiResponse post_friend_offer(const Request& request);
  ApiResponse put_program(const Request& request);
  ApiResponse list_programs(const Request& request);
  ApiResponse put_customer(const Request& request);
  ApiResponse get_customer_admin(const Request& request);
  ApiResponse post_adjustment(const Request& request);
  ApiResponse post_expiry_sweep(const Request& request);
  // The notifications outbox (notification_routes.cpp): listing by state, re-queueing a dead one.
  ApiResponse list_notifications(const Request& request);
  ApiResponse post_notification_retry(const Request& request);

  /// The customer id of a valid shopper token, or the 401 answer.
  std::optional<ApiResponse> authenticate_shopper(const Request& request,
                                                  std::string& customer_id) const;
  std::optional<ApiResponse> authenticate_admin(const Request& request) const;

  /// Records, for every member, the expiries the core computes up to `now` as explicit `expire`
  /// ledger entries (CONTRACT.md, "Backend details": expiry sweep); idempotent.
  SweepOutcome sweep_expiry(EpochSeconds now);
  // DEMO ONLY, registered with ServerConfig::demo_routes (demo_routes.cpp).
  ApiResponse post_demo_session(const Request& request);
  ApiResponse post_demo_order(const Request& request);

 private:
  /// This thread's read connection.
  Database* database();
  std::shared_ptr<const PublishedProgram> program() const;
  /// Makes a stored version the one every request uses.
  void set_program(const std::string& document, Program parsed, std::int64_t version);
  bool seed_customers(const std::string& seed_dir, std::string& error);
  /// Reads the compiled-in platform mappings; false with the file and path of a bad one.
  bool load_platforms(std::string& error);
  /// Who placed `order_id` (through any order event), for a refund whose payload names no
  /// customer; nullopt when no one did, "" on a storage error.
  std::optional<std::string> customer_of_order(const std::string& order_id);

  /// Applies an order event in one write transaction: what POST /v1/orders does once the
  /// request is read and checked.
  OrderOutcome apply_order_event(const OrderEvent& event);
  /// Takes one token from the bucket `key`; the 429 answer when it is empty.
  std::optional<ApiResponse> take_rate_token(Database& db, const std::string& key,
                                             const RateLimit& limit);

  struct Redemption;
  /// POST /v1/redemptions on the writer thread: decides and appends (see post_redemption).
  bool decide_redemption(Database& db, Redemption& work);
  ApiResponse redemption_answer(Redemption& work, bool committed);

  void run_checkpoints();
  void run_expiry_sweeps();
  void run_idempotency_pruning();
  /// Deletes idempotency keys created before `cutoff`, looking at a batch of keys per write so
  /// that requests interleave; false on a storage error.
  bool prune_idempotency_keys(EpochSeconds cutoff);
  /// The customer document as committed now (one read snapshot), from the cached account when
  /// it is at the stored version, else replayed from the stored ledger (and then cached).
  LoadStatus current_document(Database& db, const std::string& customer_id,
                              const std::shared_ptr<const PublishedProgram>& published,
                              std::string& document);

  ServerConfig config_;
  SecretMatcher admin_key_;  // config_.admin_key, compared without leaking its length
  std::thread checkpointer_;
  std::thread sweeper_;  // --expiry-sweep-seconds; stops with the checkpointer's flag
  std::thread pruner_;   // --idempotency-seconds; the same
  std::mutex checkpointer_mutex_;
  std::condition_variable checkpointer_wake_;
  bool stopping_ = false;
  mutable std::mutex program_mutex_;
  std::shared_ptr<const PublishedProgram> program_;
  // The one connection that writes: start() uses it directly, then hands it to the group
  // committer. With a single writer SQLite's page cache stays valid between transactions.
  std::unique_ptr<Database> writer_db_;
  // Replayed accounts by customer, so a redemption or a read needn't replay the whole ledger.
  // Declared before writes_: the writer thread uses it until writes_ is destroyed.
  AccountCache accounts_;
  // Every write after start-up, in arrival order, committed in groups (see group_commit.hpp).
  std::unique_ptr<GroupCommitter> writes_;
  std::map<std::string, PlatformMapping> platforms_;  // by name, read once at start
  // Woken by the writer after a group that queued notifications; shared with its callback.
  std::shared_ptr<NotifierSignal> notifier_signal_ = std::make_shared<NotifierSignal>();
  // Declared after writes_, so it stops before the writer it uses does.
  std::unique_ptr<Notifier> notifier_;
};

}  // namespace loyalty::server
