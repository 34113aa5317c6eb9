#include "backend.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth.hpp"
#include "customer_store.hpp"
#include "email_key.hpp"
#include "idempotency_store.hpp"
#include "loyalty/account.hpp"
#include "loyalty/engine.hpp"
#include "loyalty/time.hpp"
#include "loyalty/zoneinfo.hpp"
#include "notifications.hpp"
#include "order_event_store.hpp"
#include "outbox_store.hpp"
#include "program_store.hpp"
#include "rate_limit_store.hpp"
#include "referral_checks.hpp"
#include "request_bodies.hpp"

namespace loyalty::server {
namespace {

using Need = BodyReader::Need;
using json = nlohmann::json;

EpochSeconds unix_now() { return static_cast<EpochSeconds>(std::time(nullptr)); }

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ApiResponse storage_failure() {
  return error_response(503, "server.storage",
                        "The ledger store is busy or failing; nothing was changed. Try again.");
}

ApiResponse no_program() {
  return error_response(503, "program.notPublished",
                        "No loyalty program is published yet (PUT /v1/admin/program).");
}

ApiResponse unknown_customer(const std::string& id) {
  return error_response(404, "customer.unknown", "No customer has the id \"" + id + "\".");
}

json instant_or_null(const std::optional<EpochSeconds>& at) {
  if (!at) return nullptr;
  return format_instant(*at, 0);
}

/// Plain words for the core's refusal keys.
std::string refusal_message(const std::string& key, Points points_to_go) {
  if (key == "redeem.insufficientPoints")
    return "Not enough points for this reward: " + std::to_string(points_to_go) + " more needed.";
  if (key == "redeem.tierRestricted") return "This reward is reserved for other tiers.";
  if (key == "redeem.unknownReward") return "The program has no reward with this id.";
  if (key == "redeem.invalidPoints")
    return "Choose a points amount in whole steps between the reward's minimum and maximum.";
  if (key == "redeem.belowMinimum") return "The order total is below this reward's minimum.";
  if (key == "redeem.belowMinimumPoints")
    return "A redemption must spend at least the program's minimum points.";
  if (key == "redeem.overOrderPoints")
    return "This would take more points than the program allows on one order.";
  if (key == "redeem.overOrderShare")
    return "This would pay more of the order than the program allows points to pay.";
  if (key == "redeem.notMember") return "Join the program to redeem rewards.";
  if (key == "rule.limitReached") return "This has already been claimed as often as allowed.";
  if (key == "rule.alreadyDone") return "This has already been claimed.";
  if (key == "rule.waiting") return "This can't be claimed yet.";
  if (key == "order.belowMinimum") return "The order is below the minimum that earns points.";
  return "Refused by the program's rules (" + key + ").";
}

std::string refusal_path(const std::string& key) {
  if (key == "redeem.insufficientPoints" || key == "redeem.invalidPoints") return "/points";
  if (key == "redeem.belowMinimum" || key == "redeem.overOrderShare") return "/orderTotal";
  if (key == "redeem.overOrderPoints") return "/pointsApplied";
  if (key == "redeem.belowMinimumPoints") return "/points";
  if (key == "redeem.notMember") return "";
  if (key.rfind("redeem.", 0) == 0) return "/rewardId";
  return "/ruleId";
}

std::optional<std::string> bearer_token(const Request& request) {
  if (!request.has_header("Authorization")) return std::nullopt;
  std::string value = request.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() < kPrefix.size() ||
      !std::equal(kPrefix.begin(), kPrefix.end(), value.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      }))
    return std::string();
  return value.substr(kPrefix.size());
}

/// "ADA-7Q2K9M": up to four letters of the first name, then six random characters.
std::string make_referral_code(const std::string& first_name) {
  std::string prefix;
  for (char c : first_name) {
    if (prefix.size() == 4) break;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      prefix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (prefix.empty()) prefix = "REF";
  return prefix + "-" + random_base32(6);
}

/// What the public referral answers say of the advocate: the first name, null when the shop
/// never gave one.
json advocate_first_name(const std::string& first_name) {
  return first_name.empty() ? json(nullptr) : json(first_name);
}

/// Signed balance change, counting clawbacks that went into `owed`.
Points net_points(const Account& account) { return account.balance - account.owed; }

bool valid_key_text(const std::string& key) {
  if (key.empty() || key.size() > 255) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string first_error(const std::vector<Diagnostic>& diagnostics, std::string& path) {
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) {
      path = d.path;
      return d.message;
    }
  return "invalid";
}

/// Why an instant is refused: it lies further ahead of the server's clock than the skew allows.
std::string future_instant_message(EpochSeconds instant, EpochSeconds now, std::int64_t skew) {
  return format_instant(instant, 0) + " is later than the server's clock (" +
         format_instant(now, 0) + ") plus the allowed clock skew of " + std::to_string(skew) + " s";
}

/// The first entry recorded later than `latest`.
std::optional<std::size_t> first_future_entry(const Customer& customer, EpochSeconds latest) {
  for (std::size_t i = 0; i < customer.ledger.size(); ++i)
    if (customer.ledger[i].recorded() > latest) return i;
  return std::nullopt;
}

json diagnostics_json(const std::vector<Diagnostic>& diagnostics, Severity severity) {
  json list = json::array();
  for (const auto& d : diagnostics)
    if (d.severity == severity) list.push_back({{"path", d.path}, {"message", d.message}});
  return list;
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
    if (!prune_idempotency_keys(unix_now() - config_.idempotency_key_seconds))
      std::cerr << "loyalty-server: pruning old idempotency keys failed; retrying later\n";
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
    sweep_expiry(unix_now());
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
  // SQLite connections are not shared between threads; each worker opens its own.
  // Kept with its file's path: a process that runs one backend after another (the unit tests)
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

/// A program that names a timeZone takes its offsets from the system's time-zone data (the
/// browser builds the same from Intl). The error when the system has no such zone.
static std::optional<std::string> give_system_time_zone(Program& program) {
  if (program.time_zone_name.empty()) return std::nullopt;
  auto zone = load_system_time_zone(program.time_zone_name);
  if (!zone.ok())
    return zone.diagnostics.empty() ? "no time-zone data" : zone.diagnostics[0].message;
  program.zone = std::move(zone.value->zone);
  return std::nullopt;
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

std::optional<ApiResponse> Backend::authenticate_shopper(const Request& request,
                                                         std::string& customer_id) const {
  if (!request.verified_customer.empty()) {
    customer_id = request.verified_customer;
    return std::nullopt;
  }
  auto token = bearer_token(request);
  if (!token)
    return error_response(401, "auth.missingToken",
                          "Send the shopper token as \"Authorization: Bearer <token>\".");
  if (token->empty())
    return error_response(401, "auth.malformedToken",
                          "The Authorization header must be \"Bearer <token>\".");
  auto check = verify_shopper_token(config_.secret, *token, unix_now());
  switch (check.status) {
    case TokenStatus::valid:
      customer_id = check.customer_id;
      return std::nullopt;
    case TokenStatus::expired:
      return error_response(401, "auth.expiredToken", "The shopper token has expired.");
    case TokenStatus::missing:
      return error_response(401, "auth.missingToken", "The shopper token is empty.");
    case TokenStatus::malformed:
      return error_response(401, "auth.malformedToken",
                            "The shopper token is not \"<customerId>.<expiry>.<signature>\".");
    case TokenStatus::forged:
      break;
  }
  return error_response(401, "auth.invalidToken", "The shopper token's signature is not valid.");
}

std::optional<ApiResponse> Backend::authenticate_admin(const Request& request) const {
  if (!request.has_header("X-Admin-Key"))
    return error_response(401, "auth.missingAdminKey", "Send the admin key as X-Admin-Key.");
  if (!admin_key_.matches(request.get_header_value("X-Admin-Key")))
    return error_response(401, "auth.invalidAdminKey", "The admin key is not valid.");
  return std::nullopt;
}

std::optional<ApiResponse> Backend::take_rate_token(Database& db, const std::string& key,
                                                    const RateLimit& limit) {
  if (limit.per_minute <= 0) return std::nullopt;
  const std::int64_t capacity_milli = limit.per_minute * 1000;
  const std::int64_t now_ms = unix_now_ms();
  std::int64_t tokens_milli = capacity_milli;
  std::optional<TokenBucket> bucket;
  if (!read_token_bucket(db, key, bucket)) return storage_failure();
  if (bucket) {
    std::int64_t elapsed_ms = std::max<std::int64_t>(0, now_ms - bucket->updated_ms);
    // per_minute tokens per 60000 ms = per_minute milli-tokens per 60 ms.
    std::int64_t refill = elapsed_ms >= 60000 ? capacity_milli : elapsed_ms * limit.per_minute / 60;
    tokens_milli = std::min(capacity_milli, bucket->tokens_milli + refill);
  }
  if (tokens_milli < 1000) {
    std::int64_t wait_ms = (1000 - tokens_milli) * 60 / limit.per_minute;
    std::int64_t retry_after = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
    auto response =
        error_response(429, "request.rateLimited",
                       "Too many requests; try again in " + std::to_string(retry_after) + " s.", "",
                       {{"retryAfter", retry_after}});
    response.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return response;
  }
  if (!write_token_bucket(db, key, TokenBucket{tokens_milli - 1000, now_ms}))
    return storage_failure();
  return std::nullopt;
}

ApiResponse Backend::get_program(const Request&) {
  auto published = program();
  if (!published)
    return error_response(404, "program.notPublished", "No loyalty program is published yet.");
  ApiResponse response;
  response.status = 200;
  response.body = published->document;
  response.headers.emplace_back("X-Program-Version", std::to_string(published->version));
  return response;
}

LoadStatus Backend::current_document(Database& db, const std::string& customer_id,
                                     const std::shared_ptr<const PublishedProgram>& published,
                                     std::string& document) {
  Transaction snapshot(db, Transaction::Kind::read);
  Customer row;
  std::int64_t version = 0;
  LoadStatus status = load_customer_row(db, customer_id, row, version);
  if (status != LoadStatus::found) return status;
  const EpochSeconds now = unix_now();
  auto cached = accounts_.get(customer_id);
  {
    std::lock_guard<std::mutex> lock(cached->mutex);
    if (cached->matches(&published->program, row, version, now)) {
      document = cached->document();
      return LoadStatus::found;
    }
  }
  // Not cached at this version: replay the stored ledger (outside the lock), and keep the result
  // unless the cache meanwhile holds a newer version (the writer's).
  Customer customer;
  std::int64_t loaded_version = 0;
  status = load_customer(db, customer_id, customer, loaded_version);
  if (status != LoadStatus::found) return status;
  CachedAccount fresh;
  fresh.rebuild(std::shared_ptr<const Program>(published, &published->program), std::move(customer),
                loaded_version, now);
  document = fresh.document();
  std::lock_guard<std::mutex> lock(cached->mutex);
  if (!cached->valid || cached->version < loaded_version) cached->take_from(fresh);
  return LoadStatus::found;
}

ApiResponse Backend::get_customer(const Request& request) {
  std::string customer_id;
  if (auto denied = authenticate_shopper(request, customer_id)) return *denied;
  std::string asked = request.has_param("customerId") ? request.get_param_value("customerId")
                      : request.matches.size() > 1    ? std::string(request.matches[1])
                                                      : customer_id;
  if (asked != customer_id)
    return error_response(403, "auth.otherCustomer",
                          "The shopper token belongs to another customer.");
  auto published = program();
  if (!published) return no_program();
  Database* db = database();
  if (!db) return storage_failure();
  std::string document;
  const LoadStatus status = current_document(*db, customer_id, published, document);
  if (status == LoadStatus::storage_error) return storage_failure();
  if (status == LoadStatus::not_found) {
    // Signed in at the shop but not enrolled: the launcher shows the join call to action.
    return json_response(200, {{"version", 1}, {"id", customer_id}, {"status", "guest"}});
  }
  return text_response(200, std::move(document));
}

namespace {

// The redemption part of a 201 answer (kept with the idempotency key), its members in the order
// the API documents them.
std::string redemption_json(const LedgerEntry& entry, const RedeemDecision& decision,
                            const Program& rules) {
  using ordered = nlohmann::ordered_json;
  const ordered redemption = {
      {"id", entry.id},
      {"rewardId", entry.reward_id},
      {"points", decision.points},
      {"code", entry.code},
      {"value", decision.value > 0 ? ordered(money_json(decision.value, rules)) : ordered()},
      {"percent", decision.percent > 0 ? ordered(decision.percent) : ordered()},
      {"expiresAt", decision.coupon_expires_at
                        ? ordered(format_instant(*decision.coupon_expires_at, 0))
                        : ordered()}};
  return redemption.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

}  // namespace

// What the write needs and what it decides, kept until the answer is made: the request's
// thread is not held while the write waits for its group.
struct Backend::Redemption {
  std::string customer_id;
  std::string key;
  std::string request_hash;
  std::shared_ptr<const PublishedProgram> published;
  RedeemRequest redeem;
  LedgerEntry entry;
  int status = 0;
  std::string stored;    // the answer kept with the idempotency key: redemption or refusal
  std::string document;  // the customer after the redemption
  bool replayed = false;
  std::optional<ApiResponse> early;  // an answer that is not a decision (error, 429)
};

void Backend::post_redemption(const Request& request, Resume resume) {
  const auto answer_now = [&resume](ApiResponse answer) {
    resume([answer = std::move(answer)]() mutable { return std::move(answer); });
  };
  std::string customer_id;
  if (auto denied = authenticate_shopper(request, customer_id)) return answer_now(*denied);
  std::string key = request.get_header_value("Idempotency-Key");
  if (key.empty())
    return answer_now(error_response(
        400, "request.idempotencyKeyMissing",
        "Send an Idempotency-Key header so a retried redemption is not charged twice."));
  if (!valid_key_text(key))
    return answer_now(
        error_response(400, "request.idempotencyKeyInvalid",
                       "The Idempotency-Key must be 1 to 255 visible ASCII characters."));
  BodyReader body(request.body);
  auto read = read_redemption_body(body);
  if (!read) return answer_now(*body.error());
  if (body.json().contains("customerId") && body.json()["customerId"] != json(customer_id))
    return answer_now(error_response(403, "auth.otherCustomer",
                                     "The shopper token belongs to another customer.",
                                     "/customerId"));
  auto published = program();
  if (!published) return answer_now(no_program());

  auto work = std::make_shared<Redemption>();
  work->customer_id = std::move(customer_id);
  work->key = std::move(key);
  work->request_hash = sha256_hex("POST /v1/redemptions\n" + body.json().dump());
  work->published = std::move(published);
  // Everything that doesn't depend on the balance is made here, in parallel with other
  // requests; the writer (one thread for every write) only decides and appends.
  work->redeem.reward_id = read->reward_id;
  work->redeem.points = read->points;
  work->redeem.order_total = read->order_total;
  work->redeem.points_applied = read->points_applied;
  work->entry.id = new_entry_id();
  work->entry.type = EntryType::redeem;
  work->entry.reward_id = read->reward_id;
  work->entry.code = random_coupon_code("LOY");

  writes_->submit([this, work](Database& db) { return decide_redemption(db, *work); },
                  [this, work, resume](bool committed) {
                    resume([this, work, committed] { return redemption_answer(*work, committed); });
                  });
}

bool Backend::decide_redemption(Database& db, Redemption& work) {
  const Program& rules = work.published->program;
  Customer row;
  std::int64_t version = 0;
  const LoadStatus found = load_customer_row(db, work.customer_id, row, version);
  if (found == LoadStatus::storage_error) {
    work.early = storage_failure();
    return false;
  }
  const EpochSeconds now = unix_now();
  // The account as of every earlier write, this group's included: the cached one when it is
  // at the ledger's version, else replayed from the stored ledger.
  std::shared_ptr<CachedAccount> cached;
  std::unique_lock<std::mutex> lock;
  if (found == LoadStatus::found && row.member) {
    cached = accounts_.get(work.customer_id);
    lock = std::unique_lock<std::mutex>(cached->mutex);
    accounts_.touched(cached);
    if (!cached->matches(&rules, row, version, now)) {
      Customer customer;
      std::int64_t loaded_version = 0;
      if (load_customer(db, work.customer_id, customer, loaded_version) != LoadStatus::found) {
        work.early = storage_failure();
        return false;
      }
      cached->rebuild(std::shared_ptr<const Program>(work.published, &rules), std::move(customer),
                      loaded_version, now);
    }
  }

  std::optional<RedeemDecision> decision;
  work.status = 409;
  if (!cached) {
    work.stored =
        error_response(409, "redeem.notMember", refusal_message("redeem.notMember", 0)).body;
  } else {
    const Account& account = cached->replay->account();
    decision = check_redeem(rules, account, work.redeem, now);
    if (!decision->ok) {
      Points to_go = std::max<Points>(0, decision->points - account.balance);
      json extra = json::object();
      if (decision->refusal == "redeem.insufficientPoints") extra["pointsToGo"] = to_go;
      work.stored =
          error_response(409, decision->refusal, refusal_message(decision->refusal, to_go),
                         refusal_path(decision->refusal), extra)
              .body;
      decision.reset();
    }
  }
  if (decision) {
    work.entry.at = now;
    // After every entry the account applied, so the cached replay appends it.
    work.entry.recorded_at = std::max(now, cached->replay->reached().value_or(now));
    work.entry.points = decision->points;
    work.stored = redemption_json(work.entry, *decision, rules);
    work.status = 201;
  }
  // The key is claimed with the answer in one insert; only a key seen before (a retry) is
  // then looked up.
  const KeyClaim claim =
      claim_idempotency_key(db, work.customer_id, work.key,
                            IdempotentAnswer{work.request_hash, work.status, work.stored}, now);
  if (claim == KeyClaim::storage_error) {
    work.early = storage_failure();
    return false;
  }
  if (claim == KeyClaim::already_used) {
    IdempotentAnswer previous;
    if (!find_idempotent_answer(db, work.customer_id, work.key, previous)) {
      work.early = storage_failure();
      return false;
    }
    if (previous.request_hash != work.request_hash) {
      work.early = error_response(422, "request.idempotencyKeyReused",
                                  "This Idempotency-Key was already used for a different request.");
      return true;
    }
    work.status = previous.status;
    work.stored = std::move(previous.response);
    work.replayed = true;
    return true;
  }
  // A 429 is not remembered: rolling back this job frees the key for a later retry.
  if (cached &&
      (work.early = take_rate_token(db, "redeem:" + work.customer_id, config_.redemption_limit)))
    return false;
  if (!decision) return true;
  const std::optional<std::int64_t> stored_seq = append_entry(db, work.customer_id, work.entry);
  if (!stored_seq) {
    work.early = storage_failure();
    return false;
  }
  // Only now that every row is written: a job that fails half-way leaves the account as it was.
  if (cached->append(work.entry, *stored_seq, now)) work.document = cached->document();
  return true;
}

ApiResponse Backend::redemption_answer(Redemption& work, bool committed) {
  if (!committed) return storage_failure();
  if (work.early) return *work.early;

  ApiResponse answer;
  answer.status = work.status;
  if (work.replayed) answer.headers.emplace_back("Idempotent-Replayed", "true");
  if (work.status != 201) {
    answer.body = std::move(work.stored);
    return answer;
  }
  if (work.document.empty()) {
    // A replayed key: the redemption is the one first answered; the customer is as it stands now.
    Database* reader = database();
    if (!reader || current_document(*reader, work.customer_id, work.published, work.document) !=
                       LoadStatus::found)
      return storage_failure();
  }
  constexpr std::string_view kHead = "{\"redemption\":", kMiddle = ",\"customer\":";
  answer.body.reserve(kHead.size() + work.stored.size() + kMiddle.size() + work.document.size() +
                      1);
  answer.body.append(kHead).append(work.stored).append(kMiddle).append(work.document).append("}");
  return answer;
}

ApiResponse Backend::post_claim(const Request& request) {
  std::string customer_id;
  if (auto denied = authenticate_shopper(request, customer_id)) return *denied;
  BodyReader body(request.body);
  auto rule_id = read_claim_body(body);
  if (!rule_id) return *body.error();
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  const EarnRule* rule = rules.find_rule(*rule_id);
  if (!rule || !rule->enabled)
    return error_response(404, "claim.unknownRule",
                          "The program has no way to earn with the id \"" + *rule_id + "\".",
                          "/ruleId");
  // Orders, referrals, sign-up and birthdays are awarded by the backend, never claimed.
  if (rule->type != EarnType::social_follow && rule->type != EarnType::social_share &&
      rule->type != EarnType::custom)
    return error_response(409, "claim.notClaimable",
                          "This way to earn is awarded automatically and can't be claimed.",
                          "/ruleId");

  const EpochSeconds now = unix_now();
  Customer customer;
  Points awarded = 0;
  std::optional<ApiResponse> refused;
  const bool committed = writes_->run([&](Database& db) {
    auto status = load_customer(db, customer_id, customer);
    if (status == LoadStatus::storage_error) {
      refused = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found || !customer.member) {
      refused = error_response(409, "claim.notMember", "Join the program to earn points.");
      return true;
    }
    if ((refused = take_rate_token(db, "claim:" + customer_id, config_.claim_limit)))
      return refused->status != 503;
    Account account = replay(rules, customer, now);
    EarnBreakdown earned = earn_for_rule(rules, account, *rule, now);
    if (!earned.refusal.empty()) {
      json extra = json::object();
      extra["nextEligibleAt"] = instant_or_null(earned.next_eligible_at);
      refused =
          error_response(409, earned.refusal, refusal_message(earned.refusal, 0), "/ruleId", extra);
      return true;  // keeps the spent rate-limit token
    }
    LedgerEntry entry;
    entry.id = new_entry_id();
    entry.type = EntryType::earn;
    entry.at = now;
    entry.recorded_at = recording_instant(customer, now);
    entry.rule_id = rule->id;
    entry.points = earned.total;
    if (!append_entry(db, customer_id, entry) ||
        !queue_entry_notifications(db, rules, customer, entry, now)) {
      refused = storage_failure();
      return false;
    }
    customer.ledger.push_back(entry);
    awarded = earned.total;
    return true;
  });
  if (!committed) return storage_failure();
  if (refused) return *refused;
  Account after = replay(rules, customer, now);
  json claim = {{"ruleId", rule->id}, {"points", awarded}};
  return text_response(201, "{\"claim\":" + claim.dump() + ",\"customer\":" +
                                customer_json(rules, customer, after, kCustomerLedgerLimit) + "}");
}

ApiResponse Backend::post_referral(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  BodyReader body(request.body);
  auto read = read_referral_body(body);
  if (!read) return *body.error();
  auto published = program();
  if (!published) return no_program();
  ReferralClaim claim;
  claim.code = read->code;
  claim.friend_email = read->friend_email;
  claim.friend_customer_id = read->friend_customer_id.value_or("");
  claim.order_id = read->order_id;
  claim.amount = read->amount;
  claim.ip = read->ip.value_or(request.remote_addr);

  ReferralOutcome outcome;
  bool storage_ok = true;
  const bool committed = writes_->run([&](Database& db) {
    outcome = qualify_referral(db, published->program, claim, config_.referral_claims_per_ip_week,
                               unix_now(), storage_ok);
    return storage_ok;
  });
  if (!committed || !storage_ok) return storage_failure();
  if (!outcome.qualified)
    return error_response(422, outcome.refusal, outcome.message, outcome.path);
  return json_response(
      201, {{"referral",
             {{"advocateId", outcome.advocate_id},
              {"advocatePoints", outcome.advocate_points},
              {"friendReward", friend_reward_json(published->program, outcome.friend_coupon)}}}});
}

ApiResponse Backend::get_referral(const Request& request) {
  const std::string code = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  if (!rules.referral.enabled)
    return error_response(404, "referral.disabled", "The program has no referral rewards.");
  // Every lookup costs a token of the caller's address, known codes or not: guessing codes to
  // collect first names is as slow as the bucket.
  std::optional<ApiResponse> limited;
  LoadStatus found = LoadStatus::not_found;
  Customer advocate;
  const bool committed = writes_->run([&](Database& db) {
    if ((limited = take_rate_token(db, "referral-lookup:" + request.remote_addr,
                                   config_.referral_lookup_limit)))
      return limited->status != 503;
    if (auto advocate_id = find_customer_by_referral_code(db, code))
      found = load_customer_row(db, *advocate_id, advocate);
    return found != LoadStatus::storage_error;
  });
  if (!committed) return storage_failure();
  if (limited) return *limited;
  if (found != LoadStatus::found)
    return error_response(404, "referral.unknownCode", "No customer has this referral code.");
  // The advocate's first name and nothing else of theirs; the reward without a coupon.
  json reward = friend_reward_json(rules, "");
  reward.erase("code");
  return json_response(200, {{"referral",
                              {{"code", code},
                               {"advocateFirstName", advocate_first_name(advocate.first_name)},
                               {"friendReward", std::move(reward)}}}});
}

ApiResponse Backend::post_friend_offer(const Request& request) {
  BodyReader body(request.body);
  auto read = read_friend_offer_body(body);
  if (!read) return *body.error();
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  const FriendOfferClaim claim{read->code, read->email, request.remote_addr};

  std::optional<ApiResponse> limited;
  FriendOfferOutcome outcome;
  bool storage_ok = true;
  const bool committed = writes_->run([&](Database& db) {
    if ((limited = take_rate_token(db, "referral-friend:" + request.remote_addr,
                                   config_.friend_offer_limit)))
      return limited->status != 503;
    outcome = offer_friend_reward(db, rules, claim, config_.referral_claims_per_ip_week, unix_now(),
                                  storage_ok);
    return storage_ok;
  });
  if (!committed || !storage_ok) return storage_failure();
  if (limited) return *limited;
  if (!outcome.refusal.empty())
    return error_response(422, outcome.refusal, outcome.message, outcome.path);
  return json_response(outcome.created ? 201 : 200,
                       {{"referral",
                         {{"advocateFirstName", advocate_first_name(outcome.advocate_first_name)},
                          {"friendReward", friend_reward_json(rules, outcome.coupon)}}}});
}

ApiResponse Backend::post_order_event(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  BodyReader body(request.body);
  auto event = read_order_event_body(body, unix_now(), request.remote_addr);
  if (!event) return *body.error();
  OrderOutcome outcome = apply_order_event(*event);
  if (outcome.error) return *outcome.error;
  json answer = {{"applied", outcome.applied}, {"points", outcome.points}};
  if (!outcome.referral.is_null()) answer["referral"] = outcome.referral;
  return json_response(200, answer);
}

OrderOutcome Backend::apply_order_event(const OrderEvent& event) {
  OrderOutcome outcome;
  auto published = program();
  if (!published) {
    outcome.error = no_program();
    return outcome;
  }
  const Program& rules = published->program;
  const EpochSeconds now = unix_now();
  // An event from the future would award points that every replay before its instant drops
  // again, after the shopper spent them: refused past the allowed clock skew, within it now.
  if (event.at > now + config_.max_clock_skew_seconds) {
    outcome.error = error_response(
        422, "request.futureInstant",
        "/at: " + future_instant_message(event.at, now, config_.max_clock_skew_seconds), "/at",
        {{"maxClockSkewSeconds", config_.max_clock_skew_seconds}});
    return outcome;
  }
  const EpochSeconds at = std::min(event.at, now);

  Customer customer;
  const bool committed = writes_->run([&](Database& connection) {
    Database* db = &connection;

    StoredOrderEvent seen;
    const LoadStatus recorded_before = find_order_event(*db, event.id, seen);
    if (recorded_before == LoadStatus::storage_error) {
      outcome.error = storage_failure();
      return false;
    }
    if (recorded_before == LoadStatus::found) {
      // The same id for another event is an integration bug, not a redelivery: say so.
      std::vector<std::string> differs;
      if (seen.customer_id != event.customer_id) differs.emplace_back("customerId");
      if (seen.type != event.type) differs.emplace_back("type");
      if (seen.order_id != event.order_id) differs.emplace_back("orderId");
      if (!differs.empty()) {
        std::string fields;
        for (const std::string& field : differs) fields += (fields.empty() ? "" : ", ") + field;
        outcome.error = error_response(409, "order.eventIdReused",
                                       "The event id \"" + event.id +
                                           "\" was already used for an event with another " +
                                           fields + "; nothing was changed.",
                                       "/id", {{"differs", differs}});
        return true;
      }
      outcome.applied = false;  // a retried delivery of an event already applied
      outcome.points = seen.points;
      return true;
    }

    auto status = load_customer(*db, event.customer_id, customer);
    if (status == LoadStatus::storage_error) {
      outcome.error = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found) {
      if (event.type != "placed") {
        outcome.error = unknown_customer(event.customer_id);
        return true;
      }
      // A shopper's first order enrols them.
      customer = Customer{};
      customer.id = event.customer_id;
      customer.first_name = event.first_name.value_or("");
      customer.email = event.email.value_or("");
      customer.joined_at = at;
      customer.referral_code = make_referral_code(customer.first_name);
      if (!insert_customer(*db, customer, now)) {
        outcome.error = storage_failure();
        return false;
      }
    }

    if (event.type == "placed") {
      if (has_order(customer, event.order_id)) {
        outcome.applied = false;  // the same order under a second event id
      } else {
        const bool first_order = !has_other_order(customer, event.order_id);
        // The tier as the ledger stands when the order is recorded; the promotions of the
        // instant it was placed.
        const EpochSeconds recorded = recording_instant(customer, now);
        Account account = replay(rules, customer, recorded);
        EarnBreakdown earned = earn_for_order(rules, account, event.amounts, event.lines, at);
        LedgerEntry entry;
        entry.id = new_entry_id();
        entry.type = EntryType::order_placed;
        entry.at = at;
        entry.recorded_at = recorded;
        entry.order_id = event.order_id;
        entry.amounts = event.amounts;
        entry.lines = event.lines;    // kept, so replay applies the same exclusions to refunds
        entry.points = earned.total;  // recorded, so later program edits don't rewrite history
        if (!append_entry(*db, customer.id, entry) ||
            !queue_entry_notifications(*db, rules, customer, entry, now)) {
          outcome.error = storage_failure();
          return false;
        }
        outcome.points = earned.total;
        if (event.referral_code && first_order) {
          ReferralClaim claim;
          claim.code = *event.referral_code;
          claim.friend_email = event.email.value_or(customer.email);
          claim.friend_customer_id = customer.id;
          claim.order_id = event.order_id;
          claim.amount = std::max<MinorUnits>(0, event.amounts.subtotal - event.amounts.discount);
          claim.ip = event.ip;
          bool storage_ok = true;
          ReferralOutcome qualification = qualify_referral(
              *db, rules, claim, config_.referral_claims_per_ip_week, now, storage_ok);
          if (!storage_ok) {
            outcome.error = storage_failure();
            return false;
          }
          outcome.referral = {{"qualified", qualification.qualified}};
          if (qualification.qualified) {
            outcome.referral["advocateId"] = qualification.advocate_id;
            outcome.referral["advocatePoints"] = qualification.advocate_points;
            outcome.referral["friendReward"] =
                friend_reward_json(rules, qualification.friend_coupon);
          } else {
            outcome.referral["code"] = qualification.refusal;
            outcome.referral["message"] = qualification.message;
          }
        }
      }
    } else {
      if (!has_order(customer, event.order_id)) {
        outcome.error = error_response(
            422, "order.unknown",
            "No placed order \"" + event.order_id + "\" is known for this customer.", "/orderId");
        return true;
      }
      // Recorded now, after everything the ledger holds, however early `at` is: a back-dated
      // refund claws back after a redemption already approved, and what the balance can't
      // cover becomes owed.
      const EpochSeconds recorded = recording_instant(customer, now);
      Account before = replay(rules, customer, recorded);
      LedgerEntry entry;
      entry.id = new_entry_id();
      entry.type =
          event.type == "refunded" ? EntryType::order_refunded : EntryType::order_cancelled;
      entry.at = at;
      entry.recorded_at = recorded;
      entry.order_id = event.order_id;
      entry.amount = event.refunded;
      if (!append_entry(*db, customer.id, entry) ||
          !queue_entry_notifications(*db, rules, customer, entry, now)) {
        outcome.error = storage_failure();
        return false;
      }
      customer.ledger.push_back(entry);
      Account after = replay(rules, customer, recorded);
      outcome.points = net_points(after) - net_points(before);
    }

    if (!record_order_event(*db, StoredOrderEvent{event.id, customer.id, event.type, event.order_id,
                                                  outcome.points, now})) {
      outcome.error = storage_failure();
      return false;
    }
    return true;
  });
  if (!committed) outcome.error = storage_failure();
  return outcome;
}

ApiResponse Backend::put_program(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  BodyReader body(request.body);  // malformed JSON is a 400, not a program error
  if (body.failed()) return *body.error();
  auto parsed = parse_program(request.body);
  if (!parsed.ok()) {
    std::string path;
    std::string message = first_error(parsed.diagnostics, path);
    return error_response(422, "program.invalid", path + ": " + message, path,
                          {{"errors", diagnostics_json(parsed.diagnostics, Severity::error)},
                           {"warnings", diagnostics_json(parsed.diagnostics, Severity::warning)}});
  }
  if (auto zone_error = give_system_time_zone(*parsed.value))
    return error_response(422, "program.invalid", "/timeZone: " + *zone_error, "/timeZone");
  std::optional<std::int64_t> version;
  const bool committed = writes_->run([&](Database& db) {
    version = insert_program(db, request.body, unix_now());
    return version.has_value();
  });
  if (!committed || !version) return storage_failure();
  set_program(request.body, std::move(*parsed.value), *version);
  return json_response(201,
                       {{"version", *version},
                        {"warnings", diagnostics_json(parsed.diagnostics, Severity::warning)}});
}

ApiResponse Backend::list_programs(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  Database* db = database();
  if (!db) return storage_failure();
  std::vector<StoredProgram> stored;
  if (!list_program_versions(*db, stored)) return storage_failure();
  json versions = json::array();
  for (const StoredProgram& version : stored)
    versions.push_back(
        {{"version", version.version}, {"publishedAt", format_instant(version.published_at, 0)}});
  return json_response(200, {{"versions", versions}});
}

ApiResponse Backend::put_customer(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  std::string customer_id = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  if (!is_valid_customer_id(customer_id))
    return error_response(400, "request.invalidCustomerId",
                          "Customer ids match [A-Za-z0-9_-]{1,64}.");
  BodyReader body(request.body);
  auto read = read_customer_body(body);
  if (!read) return *body.error();
  const std::optional<std::string>& first_name = read->first_name;
  const std::optional<std::string>& email = read->email;
  const std::optional<std::string>& referral_code = read->referral_code;
  std::optional<Birthday>& birthday = read->birthday;
  if (referral_code && !is_valid_customer_id(*referral_code))
    return error_response(400, "request.invalidField",
                          "/referralCode: letters, digits, '-' and '_' only", "/referralCode");
  auto published = program();
  if (!published) return no_program();
  const Program& rules = published->program;
  const EpochSeconds now = unix_now();

  Customer customer;
  int answer_status = 200;
  std::optional<ApiResponse> result;
  const bool committed = writes_->run([&](Database& connection) {
    Database* db = &connection;
    auto status = load_customer(*db, customer_id, customer);
    if (status == LoadStatus::storage_error) {
      result = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found) {
      answer_status = 201;
      customer.id = customer_id;
      customer.first_name = first_name.value_or("");
      customer.email = email.value_or("");
      customer.joined_at = now;
      customer.referral_code = referral_code.value_or(make_referral_code(customer.first_name));
      if (birthday) {
        birthday->added_at = now;
        customer.birthday = birthday;
      }
      if (const EarnRule* signup = rules.find_rule_of_type(EarnType::signup);
          signup && signup->enabled) {
        Account empty = replay(rules, customer, now);
        EarnBreakdown earned = earn_for_rule(rules, empty, *signup, now);
        if (earned.refusal.empty() && earned.total > 0) {
          LedgerEntry entry;
          entry.id = new_entry_id();
          entry.type = EntryType::earn;
          entry.at = now;
          entry.recorded_at = now;  // the first entry of a new ledger
          entry.rule_id = signup->id;
          entry.points = earned.total;
          customer.ledger.push_back(entry);
        }
      }
      if (!insert_customer(*db, customer, now)) {
        if (referral_code) {
          result =
              error_response(409, "customer.referralCodeTaken",
                             "Another customer already has this referral code.", "/referralCode");
          return false;
        }
        {
          result = storage_failure();
          return false;
        }
      }
      if (!customer.ledger.empty()) {  // the sign-up points
        Customer before = customer;
        before.ledger.clear();
        if (!queue_entry_notifications(*db, rules, before, customer.ledger.back(), now)) {
          result = storage_failure();
          return false;
        }
      }
    } else {
      if (first_name) customer.first_name = *first_name;
      if (email) customer.email = *email;
      if (birthday) {
        bool changed = !customer.birthday || customer.birthday->month != birthday->month ||
                       customer.birthday->day != birthday->day;
        birthday->added_at =
            changed ? std::optional<EpochSeconds>(now) : customer.birthday->added_at;
        customer.birthday = birthday;
      }
      if (!update_customer_profile(*db, customer)) {
        result = storage_failure();
        return false;
      }
    }
    return true;
  });
  if (!committed) return storage_failure();
  if (result) return *result;
  Account account = replay(rules, customer, now);
  return text_response(
      answer_status,
      "{\"customer\":" + customer_json(rules, customer, account, kCustomerLedgerLimit) + "}");
}

ApiResponse Backend::get_customer_admin(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  std::string customer_id = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  auto published = program();
  if (!published) return no_program();
  Database* db = database();
  if (!db) return storage_failure();
  Customer customer;
  LoadStatus status;
  {
    Transaction snapshot(*db, Transaction::Kind::read);
    status = load_customer(*db, customer_id, customer);
  }
  if (status == LoadStatus::storage_error) return storage_failure();
  if (status == LoadStatus::not_found) return unknown_customer(customer_id);
  Account account = replay(published->program, customer, unix_now());
  // The merchant sees the whole ledger, not only the newest entries.
  return text_response(
      200, customer_json(published->program, customer, account, customer.ledger.size()));
}

ApiResponse Backend::post_adjustment(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  std::string customer_id = request.matches.size() > 1 ? std::string(request.matches[1]) : "";
  BodyReader body(request.body);
  auto read = read_adjustment_body(body);
  if (!read) return *body.error();
  if (read->points == 0)
    return error_response(400, "request.invalidField", "/points: must not be 0", "/points");
  auto published = program();
  if (!published) return no_program();
  const EpochSeconds now = unix_now();

  Customer customer;
  LedgerEntry entry;
  std::optional<ApiResponse> result;
  const bool committed = writes_->run([&](Database& connection) {
    Database* db = &connection;
    auto status = load_customer(*db, customer_id, customer);
    if (status == LoadStatus::storage_error) {
      result = storage_failure();
      return false;
    }
    if (status == LoadStatus::not_found) {
      result = unknown_customer(customer_id);
      return true;
    }
    entry.id = new_entry_id();
    entry.type = EntryType::adjust;
    entry.at = now;
    entry.recorded_at = recording_instant(customer, now);
    entry.points = read->points;
    entry.reason = read->reason;
    if (!append_entry(*db, customer_id, entry) ||
        !queue_entry_notifications(*db, published->program, customer, entry, now)) {
      result = storage_failure();
      return false;
    }
    return true;
  });
  if (!committed) return storage_failure();
  if (result) return *result;
  customer.ledger.push_back(entry);
  Account account = replay(published->program, customer, now);
  return text_response(
      201, "{\"entry\":" + ledger_entry_json(entry) + ",\"customer\":" +
               customer_json(published->program, customer, account, kCustomerLedgerLimit) + "}");
}

namespace {

// Replays agree on what a reader sees.
bool same_balances(const Account& a, const Account& b) {
  const auto expiry = [](const Account& account) {
    return account.next_expiry ? std::pair(account.next_expiry->points, account.next_expiry->at)
                               : std::pair(Points{-1}, EpochSeconds{0});
  };
  return a.balance == b.balance && a.owed == b.owed && a.expired == b.expired &&
         a.lifetime_earned == b.lifetime_earned && a.spent == b.spent &&
         a.tier.index == b.tier.index && expiry(a) == expiry(b);
}

}  // namespace

SweepOutcome Backend::sweep_expiry(EpochSeconds now) {
  SweepOutcome outcome;
  auto published = program();
  Database* reader = database();
  if (!published || !reader) {
    outcome.storage_failed = !reader;
    return outcome;
  }
  const Program& rules = published->program;
  std::vector<std::string> ids;
  if (!list_member_ids(*reader, ids)) {
    outcome.storage_failed = true;
    return outcome;
  }
  // One write per customer, so redemptions and orders keep flowing between them.
  for (const std::string& id : ids) {
    const bool committed = writes_->run([&](Database& db) {
      Customer customer;
      const LoadStatus status = load_customer(db, id, customer);
      if (status != LoadStatus::found) return status == LoadStatus::not_found;
      ++outcome.customers;
      const Account before = replay(rules, customer, now);
      // Each expiry the core computed (an activity with no entry id) becomes an entry one second
      // before its instant: the explicit entry removes the points first (oldest first, as the
      // program's expiry would), so the program's own expiry then finds them gone. The id is
      // the instant, so a second sweep records nothing new.
      std::vector<LedgerEntry> entries;
      for (const Activity& activity : before.activity) {
        if (activity.type != EntryType::expire || !activity.entry_id.empty() ||
            activity.points >= 0)
          continue;
        LedgerEntry entry;
        entry.id = "expiry-" + std::to_string(activity.at);
        entry.type = EntryType::expire;
        // The one entry the server dates in the past, recorded where it takes effect: it
        // records an expiry replay already applies there, and the check below proves it
        // changes no replay (CONTRACT.md, "Expiry sweep").
        entry.at = activity.at - 1;
        entry.recorded_at = entry.at;
        entry.points = -activity.points;
        const bool recorded =
            std::any_of(customer.ledger.begin(), customer.ledger.end(),
                        [&](const LedgerEntry& existing) { return existing.id == entry.id; });
        if (recorded) continue;
        if (!entries.empty() && entries.back().id == entry.id)
          *entries.back().points += *entry.points;  // two lots ending at the same instant
        else
          entries.push_back(std::move(entry));
      }
      // The warning the launcher shows, sent once per lot (its key: customer, instant, points).
      if (auto warning = expiry_warning(rules, id, before, now))
        if (!queue_notifications(db, id, {*warning}, now)) return false;
      if (entries.empty()) return true;
      Customer after = customer;
      after.ledger.insert(after.ledger.end(), entries.begin(), entries.end());
      if (!same_balances(before, replay(rules, after, now))) {
        outcome.skipped.push_back(id);
        return true;
      }
      for (const LedgerEntry& entry : entries) {
        if (!append_entry(db, id, entry)) return false;
        ++outcome.entries;
        outcome.points += *entry.points;
      }
      return true;
    });
    if (!committed) outcome.storage_failed = true;
  }
  return outcome;
}

ApiResponse Backend::post_expiry_sweep(const Request& request) {
  if (auto denied = authenticate_admin(request)) return *denied;
  const EpochSeconds server_now = unix_now();
  EpochSeconds now = server_now;
  if (!request.body.empty()) {
    BodyReader body(request.body);
    auto at = body.instant("now", Need::optional);
    if (body.failed()) return *body.error();
    // Entries after the server's clock would already count for reads before then.
    if (at && *at > server_now)
      return error_response(400, "request.invalidField",
                            "/now: must not be later than the server's clock", "/now");
    now = at.value_or(server_now);
  }
  if (!program()) return no_program();
  SweepOutcome outcome = sweep_expiry(now);
  if (outcome.storage_failed) return storage_failure();
  return json_response(200, {{"now", format_instant(now, 0)},
                             {"customers", outcome.customers},
                             {"recorded", outcome.entries},
                             {"points", outcome.points},
                             {"skipped", outcome.skipped}});
}

}  // namespace loyalty::server
