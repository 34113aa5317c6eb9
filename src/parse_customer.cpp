// Reads and validates a customer document (include/loyalty/CONTRACT.md, "Customer").
#include <string>
#include <utility>

#include "json_read.hpp"
#include "parse.hpp"

namespace loyalty {
namespace detail {
namespace {

constexpr std::size_t kMaxLedgerEntries = 1000000;
constexpr std::size_t kMaxExpiringEntries = 10000;

/// Whether any diagnostic from position `first` on is an error (only what a reader just added is
/// looked at, so a ledger of many warnings stays linear).
bool errors_since(const Diagnostics& diagnostics, std::size_t first) {
  for (std::size_t i = first; i < diagnostics.items.size(); ++i)
    if (diagnostics.items[i].severity == Severity::error) return true;
  return false;
}

bool is_customer_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void read_birthday(const JsonReader& value, Customer& customer) {
  if (!value.expect_object()) return;
  value.warn_unknown_fields({"month", "day", "year", "addedAt"});
  Birthday birthday;
  auto month = value.required_integer("month", between(1, 12));
  auto day = value.required_integer("day", between(1, 31));
  auto year = value.optional_integer("year", between(1900, 2200));
  auto added_at = value.optional_instant("addedAt");
  if (!month || !day) return;
  if (value.has("year") && !year) return;
  // Without a year, February 29 is a valid birthday (a leap-year baby).
  const std::int32_t year_for_length = year ? static_cast<std::int32_t>(*year) : 2000;
  const unsigned length = days_in_month(year_for_length, static_cast<unsigned>(*month));
  if (*day > static_cast<std::int64_t>(length)) {
    value.error_at("day", "month " + std::to_string(*month) +
                              (year ? " of " + std::to_string(*year) : "") + " has only " +
                              std::to_string(length) + " days (got " + std::to_string(*day) + ")");
    return;
  }
  birthday.month = static_cast<unsigned>(*month);
  birthday.day = static_cast<unsigned>(*day);
  if (year) birthday.year = static_cast<std::int32_t>(*year);
  if (added_at) birthday.added_at = added_at->epoch;
  customer.birthday = birthday;
}

/// The fields each ledger entry type uses besides id, type and at.
const std::vector<std::string_view>& entry_fields(EntryType type) {
  static const std::vector<std::string_view> kOrderPlaced = {"orderId", "amounts", "lines",
                                                             "points"};
  static const std::vector<std::string_view> kOrderRefunded = {"orderId", "amount"};
  static const std::vector<std::string_view> kOrderCancelled = {"orderId"};
  static const std::vector<std::string_view> kEarn = {"ruleId", "points"};
  static const std::vector<std::string_view> kRedeem = {"rewardId", "points", "code"};
  static const std::vector<std::string_view> kPointsOnly = {"points"};
  static const std::vector<std::string_view> kAdjust = {"points", "reason"};
  static const std::vector<std::string_view> kTierChange = {"tierId", "until"};
  switch (type) {
    case EntryType::order_placed:
      return kOrderPlaced;
    case EntryType::order_refunded:
      return kOrderRefunded;
    case EntryType::order_cancelled:
      return kOrderCancelled;
    case EntryType::earn:
      return kEarn;
    case EntryType::redeem:
      return kRedeem;
    case EntryType::adjust:
      return kAdjust;
    case EntryType::tier_change:
      return kTierChange;
    case EntryType::expire:
    case EntryType::referral:
      break;
  }
  return kPointsOnly;
}

bool read_entry(const JsonReader& value, LedgerEntry& entry) {
  if (!value.expect_object()) return false;
  const std::size_t before = value.diagnostics().items.size();
  auto id = value.required_string("id");
  auto type = value.required_enum(
      "type", {EntryType::order_placed, EntryType::order_refunded, EntryType::order_cancelled,
               EntryType::earn, EntryType::redeem, EntryType::expire, EntryType::adjust,
               EntryType::referral, EntryType::tier_change});
  auto at = value.required_instant("at");
  auto recorded = value.optional_instant("recordedAt");
  if (id) entry.id = std::move(*id);
  if (at) entry.at = at->epoch;
  if (recorded) entry.recorded_at = recorded->epoch;
  // Replay places the entry at its recording; one that happened after it was recorded would
  // claim a place before its own time.
  if (at && recorded && at->epoch > recorded->epoch)
    value.error_at("at", "must not be later than recordedAt (" +
                             format_instant(recorded->epoch, recorded->offset_minutes) + ", got " +
                             format_instant(at->epoch, at->offset_minutes) + ")");
  if (!type) {
    value.warn_unknown_fields({"id", "type", "at", "recordedAt", "orderId", "amounts", "points",
                               "amount", "ruleId", "rewardId", "code", "reason", "tierId",
                               "until"});
    return false;
  }
  entry.type = *type;
  // Unknown fields: anything outside the common ones and this type's own.
  value.for_each_member_name([&](std::string_view key) {
    bool known = key == "id" || key == "type" || key == "at" || key == "recordedAt";
    for (std::string_view field : entry_fields(*type)) known |= key == field;
    if (!known)
      value.warning_at(
          key, "unknown field for a \"" + std::string(to_string(*type)) + "\" entry, ignored");
  });

  switch (*type) {
    case EntryType::order_placed:
      if (auto order = value.required_string("orderId")) entry.order_id = std::move(*order);
      {
        const std::size_t first = value.diagnostics().items.size();
        if (auto amounts = value.required("amounts")) entry.amounts = read_order_amounts(*amounts);
        // The lines' sums are checked against amounts that read cleanly.
        const bool amounts_read = !errors_since(value.diagnostics(), first);
        if (auto lines = value.optional("lines"))
          entry.lines = read_order_lines(*lines, amounts_read ? &entry.amounts : nullptr);
      }
      if (auto points = value.optional_integer("points", non_negative("points")))
        entry.points = *points;
      break;
    case EntryType::order_refunded:
      if (auto order = value.required_string("orderId")) entry.order_id = std::move(*order);
      if (auto amount = value.required_integer("amount", non_negative("minor units")))
        entry.amount = *amount;
      break;
    case EntryType::order_cancelled:
      if (auto order = value.required_string("orderId")) entry.order_id = std::move(*order);
      break;
    case EntryType::earn:
      if (auto rule = value.required_string("ruleId")) entry.rule_id = std::move(*rule);
      if (auto points = value.required_integer("points", non_negative("points")))
        entry.points = *points;
      break;
    case EntryType::redeem:
      if (auto reward = value.required_string("rewardId")) entry.reward_id = std::move(*reward);
      if (auto points = value.required_integer("points", positive("points")))
        entry.points = *points;
      if (auto code = value.required_string("code")) entry.code = std::move(*code);
      break;
    case EntryType::expire:
    case EntryType::referral:
      if (auto points = value.required_integer("points", non_negative("points")))
        entry.points = *points;
      break;
    case EntryType::adjust:
      if (auto points = value.required_integer("points", any_integer("points")))
        entry.points = *points;
      if (auto reason = value.required_string("reason")) entry.reason = std::move(*reason);
      break;
    case EntryType::tier_change:
      if (auto tier = value.required_string("tierId")) entry.tier_id = std::move(*tier);
      if (auto until = value.optional_instant("until")) entry.until = until->epoch;
      break;
  }
  for (std::size_t i = before; i < value.diagnostics().items.size(); ++i)
    if (value.diagnostics().items[i].severity == Severity::error) return false;
  return true;
}

void read_summary(const JsonReader& value, Customer& customer) {
  if (!value.expect_object()) return;
  value.warn_unknown_fields({"balance", "lifetimeEarned", "spent", "tierId", "tierProgress",
                             "tierRetainedUntil", "expiring", "pending", "pendingPoints"});
  Summary summary;
  if (auto balance = value.required_integer("balance", non_negative("points")))
    summary.balance = *balance;
  if (auto earned = value.optional_integer("lifetimeEarned", non_negative("points")))
    summary.lifetime_earned = *earned;
  if (auto spent = value.optional_integer("spent", non_negative("points"))) summary.spent = *spent;
  if (auto tier = value.optional_string("tierId")) summary.tier_id = std::move(*tier);
  if (auto progress = value.optional_integer("tierProgress", non_negative()))
    summary.tier_progress = *progress;
  if (auto until = value.optional_instant("tierRetainedUntil"))
    summary.tier_retained_until = until->epoch;
  if (auto expiring = value.optional("expiring")) {
    if (auto list = expiring->as_array(kMaxExpiringEntries)) {
      for (const auto& element : *list) {
        if (!element.expect_object()) continue;
        element.warn_unknown_fields({"points", "at"});
        auto points = element.required_integer("points", positive("points"));
        auto at = element.required_instant("at");
        if (points && at) summary.expiring.push_back({*points, at->epoch});
      }
    }
  }
  summary.pending = value.optional_integer("pending", non_negative("points"));
  if (auto pending = value.optional("pendingPoints")) {
    if (auto list = pending->as_array(kMaxExpiringEntries)) {
      for (const auto& element : *list) {
        if (!element.expect_object()) continue;
        element.warn_unknown_fields({"orderId", "points", "availableAt"});
        auto order = element.required_string("orderId");
        auto points = element.required_integer("points", positive("points"));
        auto available = element.required_instant("availableAt");
        if (order && points && available)
          summary.pending_points.push_back({std::move(*order), *points, available->epoch});
      }
    }
  }
  customer.summary = std::move(summary);
}

void read_customer(const JsonReader& root, Customer& customer) {
  root.warn_unknown_fields({"version", "id", "firstName", "status", "email", "birthday",
                            "referralCode", "joinedAt", "ledger", "summary", "$schema"});
  read_document_version(root);
  if (auto status = root.optional("status")) {
    static const std::vector<std::string_view> kStatuses = {"member", "guest"};
    if (auto index = status->as_choice(kStatuses)) customer.member = *index == 0;
  }
  auto id = customer.member ? root.required("id") : root.optional("id");
  if (id) {
    if (auto text = id->as_string()) {
      if (is_customer_id(*text)) {
        customer.id = std::move(*text);
      } else {
        id->error_got("must be 1 to 64 letters, digits, \"_\" or \"-\"");
      }
    }
  }
  if (auto name = root.optional_string("firstName")) customer.first_name = std::move(*name);
  if (auto email = root.optional_string("email")) customer.email = std::move(*email);
  if (auto birthday = root.optional("birthday")) read_birthday(*birthday, customer);
  if (auto code = root.optional_string("referralCode")) customer.referral_code = std::move(*code);
  if (auto joined = root.optional_instant("joinedAt")) customer.joined_at = joined->epoch;

  if (auto ledger = root.optional("ledger")) {
    if (!customer.member) {
      if (ledger->type() != detail::JsonType::array || ledger->count() != 0)
        ledger->warning("ignored: a guest has no ledger");
    } else if (auto entries = ledger->as_array(kMaxLedgerEntries)) {
      customer.ledger.reserve(entries->size());
      for (const auto& element : *entries) {
        LedgerEntry entry;
        if (read_entry(element, entry)) customer.ledger.push_back(std::move(entry));
      }
    }
  }
  if (auto summary = root.optional("summary")) {
    if (customer.member) {
      read_summary(*summary, customer);
    } else {
      summary->warning("ignored: a guest has no summary");
    }
  }
}

}  // namespace

OrderAmounts read_order_amounts(const JsonReader& amounts) {
  OrderAmounts out;
  if (!amounts.expect_object()) return out;
  amounts.warn_unknown_fields({"subtotal", "discount", "shipping", "tax"});
  if (auto subtotal = amounts.required_integer("subtotal", non_negative("minor units")))
    out.subtotal = *subtotal;
  if (auto discount = amounts.optional_integer("discount", non_negative("minor units")))
    out.discount = *discount;
  if (auto shipping = amounts.optional_integer("shipping", non_negative("minor units")))
    out.shipping = *shipping;
  if (auto tax = amounts.optional_integer("tax", non_negative("minor units"))) out.tax = *tax;
  return out;
}

namespace {

/// Errors at the list when the lines of some kinds do not add up to the order's amount for them.
void check_line_sums(const JsonReader& list, const std::vector<OrderLine>& lines,
                     const OrderAmounts& amounts) {
  struct Sum {
    bool (*counts)(LineKind);
    MinorUnits expected;
    const char* what;
  };
  const Sum sums[] = {
      {[](LineKind kind) { return kind == LineKind::product || kind == LineKind::gift_card; },
       amounts.subtotal, "the product and gift_card lines must sum to amounts.subtotal"},
      {[](LineKind kind) { return kind == LineKind::shipping; }, amounts.shipping,
       "the shipping lines must sum to amounts.shipping"},
      {[](LineKind kind) { return kind == LineKind::tax; }, amounts.tax,
       "the tax lines must sum to amounts.tax"},
  };
  for (const Sum& sum : sums) {
    bool any = false;
    MinorUnits total = 0;
    for (const OrderLine& line : lines) {
      if (!sum.counts(line.kind)) continue;
      any = true;
      total = saturating_add(total, line.amount);
    }
    if (any && total != sum.expected)
      list.error(std::string(sum.what) + " (" + std::to_string(sum.expected) + "), got " +
                 std::to_string(total));
  }
}

}  // namespace

std::vector<OrderLine> read_order_lines(const JsonReader& list, const OrderAmounts* amounts) {
  constexpr std::size_t kMaxLines = 10000;
  constexpr std::size_t kMaxCollections = 100;
  std::vector<OrderLine> lines;
  const std::size_t first = list.diagnostics().items.size();
  auto elements = list.as_array(kMaxLines);
  if (!elements) return lines;
  lines.reserve(elements->size());
  for (const auto& element : *elements) {
    if (!element.expect_object()) continue;
    element.warn_unknown_fields({"productId", "collections", "quantity", "amount", "kind"});
    OrderLine line;
    if (auto kind =
            element.optional_enum("kind", {LineKind::product, LineKind::gift_card,
                                           LineKind::shipping, LineKind::tax, LineKind::tip}))
      line.kind = *kind;
    if (auto product = element.optional_string("productId")) line.product_id = std::move(*product);
    if (auto collections = element.optional("collections")) {
      if (auto ids = collections->as_array(kMaxCollections)) {
        for (const auto& id : *ids)
          if (auto text = id.as_string()) line.collections.push_back(std::move(*text));
      }
    }
    if (auto quantity = element.optional_integer("quantity", between(1, 1000000, "items")))
      line.quantity = *quantity;
    if (auto amount = element.required_integer("amount", non_negative("minor units")))
      line.amount = *amount;
    lines.push_back(std::move(line));
  }
  // Sums of lines that already failed to read would only repeat their errors.
  if (amounts && !errors_since(list.diagnostics(), first)) check_line_sums(list, lines, *amounts);
  return lines;
}

Result<Customer> customer_from_json(const JsonDocument& document) {
  Result<Customer> result;
  Diagnostics diagnostics;
  JsonReader root(document, "", diagnostics);
  if (root.expect_object()) {
    Customer customer;
    read_customer(root, customer);
    if (!diagnostics.has_errors()) result.value.emplace(std::move(customer));
  }
  result.diagnostics = std::move(diagnostics.items);
  return result;
}

}  // namespace detail

Result<Customer> parse_customer(std::string_view json_text) {
  Diagnostics diagnostics;
  auto document = detail::parse_json_document(json_text, diagnostics);
  if (!document) return {std::nullopt, std::move(diagnostics.items)};
  return detail::customer_from_json(*document);
}

Result<std::vector<OrderLine>> parse_order_lines(std::string_view json_text,
                                                 const OrderAmounts& amounts, std::string path) {
  Diagnostics diagnostics;
  auto document = detail::parse_json_document(json_text, diagnostics);
  if (!document) return {std::nullopt, std::move(diagnostics.items)};
  auto lines = detail::read_order_lines(detail::JsonReader(*document, std::move(path), diagnostics),
                                        &amounts);
  Result<std::vector<OrderLine>> result;
  if (!diagnostics.has_errors()) result.value.emplace(std::move(lines));
  result.diagnostics = std::move(diagnostics.items);
  return result;
}

}  // namespace loyalty
