// POST /v1/redemptions, the shopper spending points: checked on the request's thread, decided
// and appended by the writer (with the Idempotency-Key claimed in the same write), answered
// without holding the request's thread while the write waits for its group.
#include <algorithm>
#include <mutex>

#include "auth.hpp"
#include "backend.hpp"
#include "backend_helpers.hpp"
#include "idempotency_store.hpp"
#include "loyalty/engine.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

std::string refusal_path(const std::string& key) {
  if (key == "redeem.insufficientPoints" || key == "redeem.invalidPoints") return "/points";
  if (key == "redeem.belowMinimum" || key == "redeem.overOrderShare") return "/orderTotal";
  if (key == "redeem.overOrderPoints") return "/pointsApplied";
  if (key == "redeem.belowMinimumPoints") return "/points";
  if (key == "redeem.notMember") return "";
  if (key.rfind("redeem.", 0) == 0) return "/rewardId";
  return "/ruleId";
}

bool valid_key_text(const std::string& key) {
  if (key.empty() || key.size() > 255) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
}

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

}  // namespace loyalty::server
