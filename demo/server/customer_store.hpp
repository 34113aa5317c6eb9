// Customers and their append-only ledgers in SQLite, and the customer document the API returns.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "database.hpp"
#include "loyalty/account.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/program.hpp"

namespace loyalty::server {

/// How many of the newest ledger entries GET /v1/customer returns.
constexpr std::size_t kCustomerLedgerLimit = 50;

enum class LoadStatus { found, not_found, storage_error };

/// Loads the customer row and its whole ledger in insertion order.
LoadStatus load_customer(Database& db, std::string_view id, Customer& out);

/// Inserts a new customer and its ledger (entries keep their ids). False on a storage error or
/// a clash (duplicate id or referral code).
bool insert_customer(Database& db, const Customer& customer, EpochSeconds created_at);

/// Appends one entry to a customer's ledger.
bool append_entry(Database& db, std::string_view customer_id, const LedgerEntry& entry);

/// The id of the customer holding `referral_code`, if any.
std::optional<std::string> find_customer_by_referral_code(Database& db, std::string_view code);

/// Whether the ledger has a placed order with this id / with any other id.
bool has_order(const Customer& customer, const std::string& order_id);
bool has_other_order(const Customer& customer, const std::string& order_id);

/// {"money": amount, "currency": <the program's currency>}
nlohmann::json money_json(MinorUnits amount, const Program& program);

/// A new server-side ledger entry id ("le_" + 128 random bits).
std::string new_entry_id();

/// The contract's ledger entry, as JSON text.
std::string entry_json(const LedgerEntry& entry);

/// The contract's customer document as JSON text: identity, `summary` from the replayed
/// account and the newest `ledger_limit` entries (oldest of them first). Guests get identity only.
std::string customer_document(const Program& program, const Customer& customer,
                              const Account& account,
                              std::size_t ledger_limit = kCustomerLedgerLimit);

}  // namespace loyalty::server
