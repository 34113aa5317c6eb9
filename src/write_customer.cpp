// Writes the customer document (include/loyalty/CONTRACT.md, "Customer") that parse_customer.cpp
// reads, in the contract's key order.
#include <string>

#include "json_write.hpp"
#include "loyalty/account.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"

namespace loyalty {
namespace {

using detail::JsonWriter;

void write_instant(JsonWriter& out, EpochSeconds at) { out.text(format_instant(at, 0)); }

void write_lines(JsonWriter& out, const std::vector<OrderLine>& lines) {
  out.begin_array();
  for (const OrderLine& line : lines) {
    out.begin_object();
    if (!line.product_id.empty()) {
      out.key("productId");
      out.text(line.product_id);
    }
    if (!line.collections.empty()) {
      out.key("collections");
      out.begin_array();
      for (const std::string& id : line.collections) out.text(id);
      out.end_array();
    }
    out.key("quantity");
    out.integer(line.quantity);
    out.key("amount");
    out.integer(line.amount);
    out.key("kind");
    out.text(to_string(line.kind));
    out.end_object();
  }
  out.end_array();
}

void write_entry(JsonWriter& out, const LedgerEntry& entry) {
  out.begin_object();
  out.key("id");
  out.text(entry.id);
  out.key("type");
  out.text(to_string(entry.type));
  out.key("at");
  write_instant(out, entry.at);
  if (entry.recorded_at) {
    out.key("recordedAt");
    write_instant(out, *entry.recorded_at);
  }
  switch (entry.type) {
    case EntryType::order_placed:
      out.key("orderId");
      out.text(entry.order_id);
      out.key("amounts");
      out.begin_object();
      out.key("subtotal");
      out.integer(entry.amounts.subtotal);
      out.key("discount");
      out.integer(entry.amounts.discount);
      out.key("shipping");
      out.integer(entry.amounts.shipping);
      out.key("tax");
      out.integer(entry.amounts.tax);
      out.end_object();
      if (!entry.lines.empty()) {
        out.key("lines");
        write_lines(out, entry.lines);
      }
      // Absent, replay computes them from the program.
      if (entry.points) {
        out.key("points");
        out.integer(*entry.points);
      }
      break;
    case EntryType::order_refunded:
      out.key("orderId");
      out.text(entry.order_id);
      out.key("amount");
      out.integer(entry.amount);
      break;
    case EntryType::order_cancelled:
      out.key("orderId");
      out.text(entry.order_id);
      break;
    case EntryType::earn:
      out.key("ruleId");
      out.text(entry.rule_id);
      out.key("points");
      out.integer(entry.points.value_or(0));
      break;
    case EntryType::redeem:
      out.key("rewardId");
      out.text(entry.reward_id);
      out.key("points");
      out.integer(entry.points.value_or(0));
      out.key("code");
      out.text(entry.code);
      break;
    case EntryType::expire:
    case EntryType::referral:
      out.key("points");
      out.integer(entry.points.value_or(0));
      break;
    case EntryType::adjust:
      out.key("points");
      out.integer(entry.points.value_or(0));
      out.key("reason");
      out.text(entry.reason);
      break;
    case EntryType::tier_change:
      out.key("tierId");
      out.text(entry.tier_id);
      if (entry.until) {
        out.key("until");
        write_instant(out, *entry.until);
      }
      break;
  }
  out.end_object();
}

void write_birthday(JsonWriter& out, const Birthday& birthday) {
  out.begin_object();
  out.key("month");
  out.integer(birthday.month);
  out.key("day");
  out.integer(birthday.day);
  if (birthday.year) {
    out.key("year");
    out.integer(*birthday.year);
  }
  if (birthday.added_at) {
    out.key("addedAt");
    write_instant(out, *birthday.added_at);
  }
  out.end_object();
}

/// The contract's `summary` of a replayed account.
void write_summary(JsonWriter& out, const Program& program, const Account& account) {
  out.begin_object();
  out.key("balance");
  out.integer(account.balance);
  out.key("lifetimeEarned");
  out.integer(account.lifetime_earned);
  out.key("spent");
  out.integer(account.spent);
  const auto& tiers = program.tiers.tiers;
  const int tier = account.tier.index;
  out.key("tierId");
  if (tier >= 0 && static_cast<std::size_t>(tier) < tiers.size()) {
    out.text(tiers[static_cast<std::size_t>(tier)].id);
  } else {
    out.null();
  }
  out.key("tierProgress");
  out.integer(account.tier.progress);
  out.key("tierRetainedUntil");
  if (account.tier.retained_until) {
    write_instant(out, *account.tier.retained_until);
  } else {
    out.null();
  }
  out.key("expiring");
  out.begin_array();
  if (account.next_expiry) {
    out.begin_object();
    out.key("points");
    out.integer(account.next_expiry->points);
    out.key("at");
    write_instant(out, account.next_expiry->at);
    out.end_object();
  }
  out.end_array();
  // Only with points pending, as `loyalty replay` writes them.
  if (account.pending > 0 || !account.pending_points.empty()) {
    out.key("pending");
    out.integer(account.pending);
    out.key("pendingPoints");
    out.begin_array();
    for (const PendingPoints& held : account.pending_points) {
      out.begin_object();
      out.key("orderId");
      out.text(held.order_id);
      out.key("points");
      out.integer(held.points);
      out.key("availableAt");
      write_instant(out, held.available_at);
      out.end_object();
    }
    out.end_array();
  }
  out.end_object();
}

/// The document up to its ledger. For a member it stops inside the object after the summary,
/// where "ledger" comes next.
void write_head(JsonWriter& out, const Program& program, const Customer& customer,
                const Account& account) {
  out.begin_object();
  out.key("version");
  out.integer(1);
  out.key("id");
  out.text(customer.id);
  out.key("firstName");
  out.text(customer.first_name);
  out.key("status");
  out.text(customer.member ? "member" : "guest");
  if (!customer.email.empty()) {
    out.key("email");
    out.text(customer.email);
  }
  if (customer.birthday) {
    out.key("birthday");
    write_birthday(out, *customer.birthday);
  }
  if (!customer.referral_code.empty()) {
    out.key("referralCode");
    out.text(customer.referral_code);
  }
  if (customer.joined_at) {
    out.key("joinedAt");
    write_instant(out, *customer.joined_at);
  }
  if (!customer.member) return;
  out.key("summary");
  write_summary(out, program, account);
}

}  // namespace

std::string customer_json(const Program& program, const Customer& customer, const Account& account,
                          std::size_t ledger_limit) {
  std::string text;
  JsonWriter out(text);
  write_head(out, program, customer, account);
  if (customer.member) {
    out.key("ledger");
    out.begin_array();
    const std::size_t count = customer.ledger.size();
    for (std::size_t i = count > ledger_limit ? count - ledger_limit : 0; i < count; ++i)
      write_entry(out, customer.ledger[i]);
    out.end_array();
  }
  out.end_object();
  return text;
}

std::string customer_json(const Program& program, const Customer& row, const Account& account,
                          std::string_view entries_json) {
  std::string text;
  text.reserve(entries_json.size() + 1024);  // the identity and summary are a few hundred bytes
  JsonWriter out(text);
  write_head(out, program, row, account);
  if (row.member) {
    out.key("ledger");
    out.begin_array();
    if (!entries_json.empty()) out.raw(entries_json);
    out.end_array();
  }
  out.end_object();
  return text;
}

std::string ledger_entry_json(const LedgerEntry& entry) {
  std::string text;
  JsonWriter out(text);
  write_entry(out, entry);
  return text;
}

std::string order_lines_json(const std::vector<OrderLine>& lines) {
  std::string text;
  JsonWriter out(text);
  write_lines(out, lines);
  return text;
}

}  // namespace loyalty
