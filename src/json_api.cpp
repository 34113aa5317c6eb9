#include "loyalty/json_api.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "json_read.hpp"
#include "json_write.hpp"
#include "loyalty/account.hpp"
#include "loyalty/engine.hpp"
#include "loyalty/view.hpp"
#include "parse.hpp"
#include "view_json.hpp"

namespace loyalty {

namespace {

using detail::JsonReader;
using detail::JsonWriter;

/// Larger documents are refused before parsing: a launcher never needs them, and the wasm heap
/// would have to hold the text, the parsed document and the structs at once.
constexpr std::size_t kMaxDocumentBytes = 5 * 1024 * 1024;

/// Collects errors and warnings from every input, each tagged with its source document.
class Envelope {
 public:
  void add(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
    for (const auto& diagnostic : diagnostics) {
      auto& list = diagnostic.severity == Severity::error ? errors_ : warnings_;
      list.push_back({std::string(source), diagnostic});
    }
  }
  void error(std::string_view source, std::string path, std::string message) {
    add({Diagnostic{std::move(path), std::move(message), Severity::error}}, source);
  }
  bool failed() const { return !errors_.empty(); }

  /// {"errors": [...], "ok": false, "warnings": [...]}, or {"ok": true, "warnings": [...]} with
  /// the member `payload_name` written by write_payload(writer). Keys in sorted order.
  template <class WritePayload>
  std::string finish(std::string_view payload_name, WritePayload write_payload) {
    std::string out;
    out.reserve(failed() ? 1024 : 16384);  // a view of a busy member is ~10 KB
    JsonWriter writer(out);
    writer.begin_object();
    if (failed()) {
      writer.key("errors");
      write_list(writer, errors_);
    }
    const bool payload = !failed() && !payload_name.empty();
    if (payload && payload_name < "ok") {
      writer.key(payload_name);
      write_payload(writer);
    }
    writer.key("ok");
    writer.boolean(!failed());
    if (payload && payload_name > "ok") {
      writer.key(payload_name);
      write_payload(writer);
    }
    writer.key("warnings");
    write_list(writer, warnings_);
    writer.end_object();
    return out;
  }
  std::string finish() {
    return finish("", [](JsonWriter&) {});
  }

 private:
  struct Sourced {
    std::string source;
    Diagnostic diagnostic;
  };
  static void write_list(JsonWriter& out, const std::vector<Sourced>& list) {
    out.begin_array();
    for (const auto& item : list) {
      out.begin_object();
      out.key("message");
      out.text(item.diagnostic.message);
      out.key("path");
      out.text(item.diagnostic.path);
      out.key("source");
      out.text(item.source);
      out.end_object();
    }
    out.end_array();
  }

  std::vector<Sourced> errors_;
  std::vector<Sourced> warnings_;
};

/// Parses one document text once; nullopt (with the error in `diagnostics`) when it is too
/// large or not JSON.
std::optional<detail::JsonDocument> read_document(std::string_view text, Diagnostics& diagnostics) {
  if (text.size() > kMaxDocumentBytes) {
    diagnostics.error("", "is " + std::to_string(text.size()) +
                              " bytes long; documents may be at most 5 MB (5242880 bytes)");
    return std::nullopt;
  }
  return detail::parse_json_document(text, diagnostics);
}

std::optional<detail::JsonDocument> read_document(std::string_view text, std::string_view source,
                                                  Envelope& envelope) {
  Diagnostics diagnostics;
  auto document = read_document(text, diagnostics);
  envelope.add(diagnostics.items, source);
  return document;
}

/// Reads one document into T; every diagnostic (errors and warnings) lands in `diagnostics`.
template <class T, class Reader>
std::optional<T> read_as(std::string_view text, Reader reader,
                         std::vector<Diagnostic>& diagnostics) {
  Diagnostics parse;
  auto document = read_document(text, parse);
  diagnostics = std::move(parse.items);
  if (!document) return std::nullopt;
  Result<T> result = reader(*document);
  // push_back, which the wasm has anyway, rather than a range insert of its own (0.6 KB).
  for (auto& diagnostic : result.diagnostics) diagnostics.push_back(std::move(diagnostic));
  return std::move(result.value);
}

template <class T, class Reader>
std::optional<T> load(std::string_view text, std::string_view source, Envelope& envelope,
                      Reader reader) {
  std::vector<Diagnostic> diagnostics;
  auto value = read_as<T>(text, reader, diagnostics);
  envelope.add(diagnostics, source);
  return value;
}

/// The program read last on this thread, kept while the same text comes back: the launcher
/// redraws and the backend answers many customers against one program, and reading and
/// validating it was a quarter of a view. Same text, same result: the core stays pure.
Program* load_program(std::string_view text, Envelope& envelope) {
  struct Cached {
    bool filled = false;
    std::string text;
    std::optional<Program> program;
    std::vector<Diagnostic> diagnostics;
  };
  thread_local Cached cached;
  if (!cached.filled || cached.text != text) {
    // Destroyed, then built in place: no Program move assignment in the wasm.
    cached.program.reset();
    if (auto program = read_as<Program>(text, detail::program_from_json, cached.diagnostics))
      cached.program.emplace(std::move(*program));
    cached.text.assign(text.data(), text.size());
    cached.filled = true;
  }
  envelope.add(cached.diagnostics, "program");
  return cached.program ? &*cached.program : nullptr;
}

/// Gives the program the offsets of its `timeZone` from the context, or its fixed utcOffset.
/// Returns false when the context's zone is another one.
bool apply_time_zone(Program& program, const Context& context, Envelope& envelope) {
  const auto& given = context.time_zone;
  const auto warn = [&](std::string_view source, std::string message) {
    envelope.add({Diagnostic{"/timeZone", std::move(message), Severity::warning}}, source);
  };
  program.zone = TimeZone{program.utc_offset_minutes, {}};
  if (program.time_zone_name.empty()) {
    if (given) warn("context", "is ignored: the program names no timeZone");
    return true;
  }
  if (!given) {
    warn("program",
         "has no offsets in the context (its timeZone): days, months and years use "
         "the fixed utcOffset " +
             detail::format_utc_offset(program.utc_offset_minutes));
    return true;
  }
  if (given->name != program.time_zone_name) {
    envelope.error("context", "/timeZone/name",
                   "gives the offsets of \"" + given->name + "\" but the program's timeZone is \"" +
                       program.time_zone_name + "\"");
    return false;
  }
  program.zone = given->zone;
  return true;
}

struct Inputs {
  const Program* program = nullptr;  // owned by load_program's cache
  std::optional<Customer> customer;
  std::optional<Context> context;
  bool ok() const { return program && customer && context; }
};

Inputs load_inputs(std::string_view program, std::string_view customer, std::string_view context,
                   Envelope& envelope) {
  Program* loaded = load_program(program, envelope);
  // Built in place (the list is read in order): no Customer or Context move assignment.
  Inputs inputs{nullptr, load<Customer>(customer, "customer", envelope, detail::customer_from_json),
                load<Context>(context, "context", envelope, detail::context_from_json)};
  if (loaded && inputs.context && apply_time_zone(*loaded, *inputs.context, envelope))
    inputs.program = loaded;
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

void write_optional_instant(JsonWriter& out, const std::optional<EpochSeconds>& at,
                            int offset_minutes) {
  if (at) {
    out.text(format_instant(*at, offset_minutes));
  } else {
    out.null();
  }
}

void write_activity(JsonWriter& out, const Activity& entry, int offset_minutes) {
  out.begin_object();
  out.key("at");
  out.text(format_instant(entry.at, offset_minutes));
  out.key("id");
  out.text(entry.entry_id);
  if (!entry.order_id.empty()) {
    out.key("orderId");
    out.text(entry.order_id);
  }
  if (entry.pending_until) {
    out.key("pendingUntil");
    out.text(format_instant(*entry.pending_until, offset_minutes));
  }
  out.key("points");
  out.integer(entry.points);
  if (!entry.reward_id.empty()) {
    out.key("rewardId");
    out.text(entry.reward_id);
  }
  if (!entry.rule_id.empty()) {
    out.key("ruleId");
    out.text(entry.rule_id);
  }
  if (!entry.tier_id.empty()) {
    out.key("tierId");
    out.text(entry.tier_id);
  }
  out.key("type");
  out.text(to_string(entry.type));
  out.end_object();
}

void write_account(JsonWriter& out, const Program& program, const Account& account,
                   int offset_minutes) {
  out.begin_object();
  out.key("activity");
  out.begin_array();
  for (const Activity& entry : account.activity) write_activity(out, entry, offset_minutes);
  out.end_array();
  out.key("amountSpent");
  detail::write_money(out, account.amount_spent, program.currency.code);
  out.key("balance");
  out.integer(account.balance);
  out.key("claims");
  out.begin_object();  // a std::map, so already in key order
  for (const auto& [rule_id, times] : account.claims) {
    out.name(rule_id);
    out.begin_array();
    for (EpochSeconds at : times) out.text(format_instant(at, offset_minutes));
    out.end_array();
  }
  out.end_object();
  out.key("expired");
  out.integer(account.expired);
  out.key("lastActivity");
  write_optional_instant(out, account.last_activity, offset_minutes);
  out.key("lifetimeEarned");
  out.integer(account.lifetime_earned);
  out.key("lots");
  out.begin_array();
  for (const Lot& lot : account.lots) {
    out.begin_object();
    out.key("earnedAt");
    out.text(format_instant(lot.earned_at, offset_minutes));
    out.key("expiresAt");
    write_optional_instant(out, lot.expires_at, offset_minutes);
    out.key("remaining");
    out.integer(lot.remaining);
    out.end_object();
  }
  out.end_array();
  out.key("nextExpiry");
  if (account.next_expiry) {
    out.begin_object();
    out.key("at");
    out.text(format_instant(account.next_expiry->at, offset_minutes));
    out.key("points");
    out.integer(account.next_expiry->points);
    out.end_object();
  } else {
    out.null();
  }
  out.key("orders");
  out.integer(account.orders);
  out.key("owed");
  out.integer(account.owed);
  // Only with points pending, so a program without pendingDays replays to the same text.
  if (account.pending > 0 || !account.pending_points.empty()) {
    out.key("pending");
    out.integer(account.pending);
    out.key("pendingPoints");
    out.begin_array();
    for (const PendingPoints& held : account.pending_points) {
      out.begin_object();
      out.key("availableAt");
      out.text(format_instant(held.available_at, offset_minutes));
      out.key("orderId");
      out.text(held.order_id);
      out.key("points");
      out.integer(held.points);
      out.end_object();
    }
    out.end_array();
  }
  out.key("spent");
  out.integer(account.spent);
  out.key("tier");
  out.begin_object();
  const auto& levels = program.tiers.tiers;
  const int index = account.tier.index;
  out.key("id");
  if (index >= 0 && static_cast<std::size_t>(index) < levels.size()) {
    out.text(levels[static_cast<std::size_t>(index)].id);
  } else {
    out.null();
  }
  out.key("progress");
  out.integer(account.tier.progress);
  out.key("retainedUntil");
  write_optional_instant(out, account.tier.retained_until, offset_minutes);
  out.key("windowEnd");
  write_optional_instant(out, account.tier.window_end, offset_minutes);
  out.key("windowStart");
  write_optional_instant(out, account.tier.window_start, offset_minutes);
  out.end_object();
  out.end_object();
}

void write_earn(JsonWriter& out, const EarnBreakdown& earn, int offset_minutes) {
  out.begin_object();
  out.key("base");
  out.integer(earn.base);
  out.key("nextEligibleAt");
  write_optional_instant(out, earn.next_eligible_at, offset_minutes);
  out.key("promotionBonus");
  out.integer(earn.promotion_bonus);
  out.key("promotionIds");
  out.begin_array();
  for (const auto& id : earn.promotion_ids) out.text(id);
  out.end_array();
  out.key("refusal");
  out.text_or_null(earn.refusal);
  out.key("tierBonus");
  out.integer(earn.tier_bonus);
  out.key("tierMultiplierPermille");
  out.integer(earn.tier_multiplier_permille);
  out.key("total");
  out.integer(earn.total);
  out.end_object();
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
  return envelope.finish("view", [&](JsonWriter& out) { detail::write_view_json(out, view); });
}

std::string replay_json(std::string_view program, std::string_view customer,
                        std::string_view context) {
  Envelope envelope;
  Inputs inputs = load_inputs(program, customer, context, envelope);
  if (!inputs.ok() || envelope.failed()) return envelope.finish();
  Account account = replay(*inputs.program, *inputs.customer, inputs.context->now);
  add_computed_warnings(envelope, account.diagnostics);
  return envelope.finish("account", [&](JsonWriter& out) {
    write_account(out, *inputs.program, account, inputs.context->now_offset_minutes);
  });
}

std::string earn_json(std::string_view program, std::string_view customer, std::string_view context,
                      std::string_view event) {
  Envelope envelope;
  Inputs inputs = load_inputs(program, customer, context, envelope);
  auto event_document = read_document(event, "event", envelope);
  // Read the event even when another input failed, so every error is reported at once.
  Diagnostics diagnostics;
  std::optional<OrderAmounts> amounts;
  std::vector<OrderLine> lines;
  std::optional<std::string> rule_id;
  std::optional<ZonedInstant> at;
  if (event_document) {
    JsonReader root(*event_document, "", diagnostics);
    if (root.expect_object()) {
      root.warn_unknown_fields({"version", "type", "amounts", "lines", "ruleId", "at"});
      auto type = root.required("type");
      auto kind = type ? type->as_choice({"order", "rule"}) : std::nullopt;
      if (kind && *kind == 0) {
        if (auto member = root.required("amounts")) amounts = detail::read_order_amounts(*member);
        // Any error so far is the amounts': the lines' sums are checked against clean ones.
        const bool amounts_read = amounts && !diagnostics.has_errors();
        if (auto member = root.optional("lines"))
          lines = detail::read_order_lines(*member, amounts_read ? &*amounts : nullptr);
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
  EarnBreakdown earn = amounts ? earn_for_order(loaded, account, *amounts, lines, when)
                               : earn_for_rule(loaded, account, *loaded.find_rule(*rule_id), when);
  return envelope.finish(
      "earn", [&](JsonWriter& out) { write_earn(out, earn, inputs.context->now_offset_minutes); });
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
      root.warn_unknown_fields({"version", "rewardId", "points", "orderTotal", "pointsApplied"});
      auto reward_id = root.required_string("rewardId");
      redeem.points = root.optional_integer("points", detail::positive("points"));
      redeem.order_total = root.optional_integer("orderTotal", detail::non_negative("minor units"));
      if (auto applied = root.optional_integer("pointsApplied", detail::non_negative("points")))
        redeem.points_applied = *applied;
      if (reward_id) {
        redeem.reward_id = *reward_id;
        read = true;
      }
    }
  }
  envelope.add(diagnostics.items, "request");
  if (!inputs.ok() || envelope.failed() || !read) return envelope.finish();
  const Context& now = *inputs.context;
  // Without its own figures the request is about the context's cart.
  if (now.cart) {
    if (!redeem.order_total) redeem.order_total = now.cart->amounts.subtotal;
    if (redeem.points_applied == 0) redeem.points_applied = now.cart->points_applied;
  }
  RedeemDecision decision;
  if (!inputs.customer->member) {
    decision.refusal = "redeem.notMember";
  } else {
    Account account = replay(*inputs.program, *inputs.customer, now.now);
    add_computed_warnings(envelope, account.diagnostics);
    decision = check_redeem(*inputs.program, account, redeem, now.now);
  }
  return envelope.finish("redeem", [&](JsonWriter& out) {
    out.begin_object();
    out.key("couponExpiresAt");
    write_optional_instant(out, decision.coupon_expires_at, now.now_offset_minutes);
    out.key("ok");
    out.boolean(decision.ok);
    out.key("percent");
    out.integer(decision.percent);
    out.key("points");
    out.integer(decision.points);
    out.key("refusal");
    out.text_or_null(decision.refusal);
    out.key("value");
    detail::write_money(out, decision.value, inputs.program->currency.code);
    out.end_object();
  });
}

}  // namespace loyalty
