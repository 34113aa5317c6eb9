#include "loyalty/json_api.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "json_read.hpp"
#include "loyalty/account.hpp"
#include "loyalty/engine.hpp"
#include "loyalty/view.hpp"
#include "parse.hpp"
#include "view_json.hpp"

namespace loyalty {

namespace {

using detail::JsonReader;
using nlohmann::json;

/// Larger documents are refused before parsing: a launcher never needs them, and the wasm heap
/// would have to hold the text, the tree and the structs at once.
constexpr std::size_t kMaxDocumentBytes = 5 * 1024 * 1024;

/// Collects errors and warnings from every input, each tagged with its source document.
class Envelope {
 public:
  void add(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
    detail::append_diagnostics(errors_, diagnostics, Severity::error, source);
    detail::append_diagnostics(warnings_, diagnostics, Severity::warning, source);
  }
  void error(std::string_view source, std::string path, std::string message) {
    add({Diagnostic{std::move(path), std::move(message), Severity::error}}, source);
  }
  bool failed() const { return !errors_.empty(); }

  /// {"ok": false, "errors": [...], "warnings": [...]} or {"ok": true, "<name>": payload, ...}.
  std::string finish(const char* payload_name = nullptr, json payload = json()) {
    json out = json::object();
    out["ok"] = json(!failed());
    if (failed()) {
      out["errors"] = std::move(errors_);
    } else if (payload_name) {
      out[payload_name] = std::move(payload);
    }
    out["warnings"] = std::move(warnings_);
    return detail::dump_json(out);
  }

  /// finish("view", view), with the view written straight as text rather than as a tree.
  std::string finish_view(const LauncherView& view) {
    if (failed()) return finish();
    std::string out = "{\"ok\":true,\"view\":";  // keys in sorted order, as dump_json has them
    out.reserve(4096);
    detail::append_view_json(out, view);
    out += ",\"warnings\":";
    out += detail::dump_json(warnings_);
    out += '}';
    return out;
  }

 private:
  json errors_ = json::array();
  json warnings_ = json::array();
};

/// Parses one document text once; nullopt (with the error recorded) when it is too large or
/// not JSON.
std::optional<json> read_document(std::string_view text, std::string_view source,
                                  Envelope& envelope) {
  if (text.size() > kMaxDocumentBytes) {
    envelope.error(source, "",
                   "is " + std::to_string(text.size()) +
                       " bytes long; documents may be at most 5 MB (5242880 bytes)");
    return std::nullopt;
  }
  Diagnostics diagnostics;
  auto document = detail::parse_json_document(text, diagnostics);
  envelope.add(diagnostics.items, source);
  return document;
}

template <class T, class Reader>
std::optional<T> load(std::string_view text, std::string_view source, Envelope& envelope,
                      Reader reader) {
  auto document = read_document(text, source, envelope);
  if (!document) return std::nullopt;
  Result<T> result = reader(*document);
  envelope.add(result.diagnostics, source);
  return std::move(result.value);
}

struct Inputs {
  std::optional<Program> program;
  std::optional<Customer> customer;
  std::optional<Context> context;
  bool ok() const { return program && customer && context; }
};

Inputs load_inputs(std::string_view program, std::string_view customer, std::string_view context,
                   Envelope& envelope) {
  Inputs inputs;
  inputs.program = load<Program>(program, "program", envelope, detail::program_from_json);
  inputs.customer = load<Customer>(customer, "customer", envelope, detail::customer_from_json);
  inputs.context = load<Context>(context, "context", envelope, detail::context_from_json);
  return inputs;
}

/// Warnings found while computing, routed to the document their path points into.
void add_computed_warnings(Envelope& envelope, const std::vector<Diagnostic>& warnings) {
  for (const auto& warning : warnings) {
    std::string_view path = warning.path;
    std::string_view source = "customer";
    if (path.rfind("/cart", 0) == 0) source = "context";
    if (path.rfind("/referral/", 0) == 0) source = "program";
    envelope.add({warning}, source);
  }
}

json optional_instant(const std::optional<EpochSeconds>& at, int offset_minutes) {
  if (!at) return json(nullptr);
  return json(format_instant(*at, offset_minutes));
}

json account_to_json(const Program& program, const Account& account, int offset_minutes) {
  json out = json::object();
  out["balance"] = json(account.balance);
  out["owed"] = json(account.owed);
  out["lifetimeEarned"] = json(account.lifetime_earned);
  out["spent"] = json(account.spent);
  out["expired"] = json(account.expired);
  out["amountSpent"] = detail::money_to_json(account.amount_spent, program.currency.code);
  out["orders"] = json(account.orders);
  json lots = json::array();
  for (const Lot& lot : account.lots) {
    json item = json::object();
    item["earnedAt"] = json(format_instant(lot.earned_at, offset_minutes));
    item["expiresAt"] = optional_instant(lot.expires_at, offset_minutes);
    item["remaining"] = json(lot.remaining);
    lots.push_back(std::move(item));
  }
  out["lots"] = std::move(lots);
  out["lastActivity"] = optional_instant(account.last_activity, offset_minutes);
  if (account.next_expiry) {
    json expiry = json::object();
    expiry["points"] = json(account.next_expiry->points);
    expiry["at"] = json(format_instant(account.next_expiry->at, offset_minutes));
    out["nextExpiry"] = std::move(expiry);
  } else {
    out["nextExpiry"] = json(nullptr);
  }
  json tier = json::object();
  const auto& levels = program.tiers.tiers;
  int index = account.tier.index;
  tier["id"] = index >= 0 && static_cast<std::size_t>(index) < levels.size()
                   ? json(levels[static_cast<std::size_t>(index)].id)
                   : json(nullptr);
  tier["progress"] = json(account.tier.progress);
  tier["windowStart"] = optional_instant(account.tier.window_start, offset_minutes);
  tier["windowEnd"] = optional_instant(account.tier.window_end, offset_minutes);
  tier["retainedUntil"] = optional_instant(account.tier.retained_until, offset_minutes);
  out["tier"] = std::move(tier);
  json claims = json::object();
  for (const auto& [rule_id, times] : account.claims) {
    json list = json::array();
    for (EpochSeconds at : times) list.push_back(json(format_instant(at, offset_minutes)));
    claims[rule_id] = std::move(list);
  }
  out["claims"] = std::move(claims);
  json activity = json::array();
  for (const Activity& entry : account.activity) {
    json item = json::object();
    item["id"] = json(entry.entry_id);
    item["type"] = json(std::string(to_string(entry.type)));
    item["at"] = json(format_instant(entry.at, offset_minutes));
    item["points"] = json(entry.points);
    if (!entry.rule_id.empty()) item["ruleId"] = json(entry.rule_id);
    if (!entry.reward_id.empty()) item["rewardId"] = json(entry.reward_id);
    if (!entry.tier_id.empty()) item["tierId"] = json(entry.tier_id);
    if (!entry.order_id.empty()) item["orderId"] = json(entry.order_id);
    activity.push_back(std::move(item));
  }
  out["activity"] = std::move(activity);
  return out;
}

json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json earn_to_json(const EarnBreakdown& earn, int offset_minutes) {
  json out = json::object();
  out["base"] = json(earn.base);
  out["tierBonus"] = json(earn.tier_bonus);
  out["promotionBonus"] = json(earn.promotion_bonus);
  out["total"] = json(earn.total);
  out["tierMultiplierPermille"] = json(static_cast<std::int64_t>(earn.tier_multiplier_permille));
  json promotions = json::array();
  for (const auto& id : earn.promotion_ids) promotions.push_back(json(id));
  out["promotionIds"] = std::move(promotions);
  out["refusal"] = text_or_null(earn.refusal);
  out["nextEligibleAt"] = optional_instant(earn.next_eligible_at, offset_minutes);
  return out;
}

}  // namespace

std::string validate_program_json(std::string_view program) {
  Envelope envelope;
  load<Program>(program, "program", envelope, detail::program_from_json);
  return envelope.finish();
}

std::string validate_customer_json(std::string_view customer) {
  Envelope envelope;
  load<Customer>(customer, "customer", envelope, detail::customer_from_json);
  return envelope.finish();
}

std::string view_json(std::string_view program, std::string_view customer,
                      std::string_view context) {
  Envelope envelope;
  Inputs inputs = load_inputs(program, customer, context, envelope);
  if (!inputs.ok() || envelope.failed()) return envelope.finish();
  LauncherView view = build_view(*inputs.program, *inputs.customer, *inputs.context);
  add_computed_warnings(envelope, view.warnings);
  return envelope.finish_view(view);
}

std::string replay_json(std::string_view program, std::string_view customer,
                        std::string_view context) {
  Envelope envelope;
  Inputs inputs = load_inputs(program, customer, context, envelope);
  if (!inputs.ok() || envelope.failed()) return envelope.finish();
  Account account = replay(*inputs.program, *inputs.customer, inputs.context->now);
  add_computed_warnings(envelope, account.diagnostics);
  return envelope.finish(
      "account", account_to_json(*inputs.program, account, inputs.context->now_offset_minutes));
}

std::string earn_json(std::string_view program, std::string_view customer, std::string_view context,
                      std::string_view event) {
  Envelope envelope;
  Inputs inputs = load_inputs(program, customer, context, envelope);
  auto event_document = read_document(event, "event", envelope);
  // Read the event even when another input failed, so every error is reported at once.
  Diagnostics diagnostics;
  std::optional<OrderAmounts> amounts;
  std::optional<std::string> rule_id;
  std::optional<ZonedInstant> at;
  if (event_document) {
    JsonReader root(*event_document, "", diagnostics);
    if (root.expect_object()) {
      root.warn_unknown_fields({"version", "type", "amounts", "ruleId", "at"});
      auto type = root.required("type");
      auto kind = type ? type->as_choice({"order", "rule"}) : std::nullopt;
      if (kind && *kind == 0) {
        if (auto member = root.required("amounts")) amounts = detail::read_order_amounts(*member);
      } else if (kind && *kind == 1) {
        rule_id = root.required_string("ruleId");
        if (rule_id && inputs.program && !inputs.program->find_rule(*rule_id))
          root.error_at("ruleId", "names no earn rule of the program (\"" +
                                      detail::sanitize_utf8(*rule_id) + "\")");
      }
      at = root.optional_instant("at");
    }
  }
  envelope.add(diagnostics.items, "event");
  if (!inputs.ok() || envelope.failed() || (!amounts && !rule_id)) return envelope.finish();
  const Program& loaded = *inputs.program;
  Account account = replay(loaded, *inputs.customer, inputs.context->now);
  add_computed_warnings(envelope, account.diagnostics);
  EpochSeconds when = at ? at->epoch : inputs.context->now;
  EarnBreakdown earn = amounts ? earn_for_order(loaded, account, *amounts, when)
                               : earn_for_rule(loaded, account, *loaded.find_rule(*rule_id), when);
  return envelope.finish("earn", earn_to_json(earn, inputs.context->now_offset_minutes));
}

std::string redeem_json(std::string_view program, std::string_view customer,
                        std::string_view context, std::string_view request) {
  Envelope envelope;
  Inputs inputs = load_inputs(program, customer, context, envelope);
  auto request_document = read_document(request, "request", envelope);
  Diagnostics diagnostics;
  RedeemRequest redeem;
  bool read = false;
  if (request_document) {
    JsonReader root(*request_document, "", diagnostics);
    if (root.expect_object()) {
      root.warn_unknown_fields({"version", "rewardId", "points", "orderTotal"});
      auto reward_id = root.required_string("rewardId");
      redeem.points = root.optional_integer("points", detail::positive("points"));
      redeem.order_total = root.optional_integer("orderTotal", detail::non_negative("minor units"));
      if (reward_id) {
        redeem.reward_id = *reward_id;
        read = true;
      }
    }
  }
  envelope.add(diagnostics.items, "request");
  if (!inputs.ok() || envelope.failed() || !read) return envelope.finish();
  const Context& now = *inputs.context;
  RedeemDecision decision;
  if (!inputs.customer->member) {
    decision.refusal = "redeem.notMember";
  } else {
    Account account = replay(*inputs.program, *inputs.customer, now.now);
    add_computed_warnings(envelope, account.diagnostics);
    decision = check_redeem(*inputs.program, account, redeem, now.now);
  }
  json out = json::object();
  out["ok"] = json(decision.ok);
  out["refusal"] = text_or_null(decision.refusal);
  out["points"] = json(decision.points);
  out["value"] = detail::money_to_json(decision.value, inputs.program->currency.code);
  out["percent"] = json(static_cast<std::int64_t>(decision.percent));
  out["couponExpiresAt"] = optional_instant(decision.coupon_expires_at, now.now_offset_minutes);
  return envelope.finish("redeem", std::move(out));
}

}  // namespace loyalty
