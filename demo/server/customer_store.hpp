// Customers and their append-only ledgers in SQLite, and the customer document the API returns.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
/// The same, with the ledger's version in `last_seq`: the seq of the customer's newest ledger
/// row, 0 when there is none.
LoadStatus load_customer(Database& db, std::string_view id, Customer& out, std::int64_t& last_seq);

/// Only the customer row (identity, status, birthday), with an empty ledger.
LoadStatus load_customer_row(Database& db, std::string_view id, Customer& out);
/// The same, with the ledger's version in `last_seq` (one statement).
LoadStatus load_customer_row(Database& db, std::string_view id, Customer& out,
                             std::int64_t& last_seq);

/// Whether two loads of the customer row read the same values (the ledgers are not compared).
bool same_row(const Customer& a, const Customer& b);

/// A customer's account kept replayed in memory between requests (loyalty::IncrementalReplay),
/// so that a redemption or a read costs the same whatever the ledger's length. It is valid for
/// one ledger version (the seq of the customer's newest row), one customer row and one program:
/// every use first reads the version and the row from SQLite (two index lookups) and rebuilds
/// from the stored ledger when they differ. SQLite stays the truth; a restart starts empty.
struct CachedAccount {
  std::mutex mutex;  // guards everything below
  bool valid = false;
  std::int64_t version = 0;
  std::shared_ptr<const Program> program;  // the program it was replayed under, kept alive
  Customer row;                            // identity, status, birthday; no ledger
  std::optional<IncrementalReplay> replay;
  // The newest kCustomerLedgerLimit entries as JSON, each followed by a comma, in one buffer
  // (copied into every answer: one block copies much faster than 50 scattered strings), and the
  // size of each with its comma.
  // Dropped entries stay at its front until they are half of it (one move, not one per entry).
  std::string recent_json;
  std::size_t recent_begin = 0;  // where the newest kCustomerLedgerLimit entries start
  std::deque<std::size_t> recent_sizes;

  /// Whether it holds exactly this row and ledger version under `program`; if so it is judged
  /// at `now` (false when `now` is earlier than an instant it already applied).
  bool matches(const Program* expected, const Customer& current_row, std::int64_t ledger_version,
               EpochSeconds now);
  /// Replays a loaded customer (row and whole ledger) at version `ledger_version`.
  void rebuild(std::shared_ptr<const Program> replayed_under, Customer customer,
               std::int64_t ledger_version, EpochSeconds now);
  /// Applies an entry just stored with seq `stored_seq`; false (and invalid) when only a full
  /// replay could.
  bool append(LedgerEntry entry, std::int64_t stored_seq, EpochSeconds now);
  /// The customer document (customer_json()) with the newest kCustomerLedgerLimit entries.
  std::string document() const;
  /// Adds an entry's JSON to recent_json, dropping the oldest past kCustomerLedgerLimit.
  void add_recent(const LedgerEntry& entry);
  /// Takes over `other`'s state (both locked by the caller, or `other` not shared).
  void take_from(CachedAccount& other);
};

/// The cached accounts by customer id. The writer updates an account inside its group's
/// transaction, before the commit; readers only use an account whose version equals the one
/// their own snapshot reads, so they never act on an uncommitted write. When a group fails to
/// commit, every account it touched is invalidated before the next group (whose rows could
/// reuse the failed group's seq numbers) can run.
class AccountCache {
 public:
  std::shared_ptr<CachedAccount> get(const std::string& customer_id);
  /// The writer changed `account` inside the current group (writer thread only).
  void touched(std::shared_ptr<CachedAccount> account);
  /// Called by the writer after each group's COMMIT (or failure).
  void finish_group(bool committed);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<CachedAccount>> accounts_;
  std::vector<std::shared_ptr<CachedAccount>> touched_;  // writer thread only
};

/// Inserts a new customer and its ledger (entries keep their ids). False on a storage error or
/// a clash (duplicate id or referral code).
bool insert_customer(Database& db, const Customer& customer, EpochSeconds created_at);

/// The position of the first ledger entry whose (non-empty) id an earlier entry already has.
std::optional<std::size_t> first_repeated_entry_id(const Customer& customer);

/// Appends one entry to a customer's ledger; the seq it was stored under, nullopt on a storage
/// error.
std::optional<std::int64_t> append_entry(Database& db, std::string_view customer_id,
                                         const LedgerEntry& entry);

/// Stores a customer's name, email (and its mailbox key) and birthday as `customer` has them.
bool update_customer_profile(Database& db, const Customer& customer);

/// Whether any customer is stored (into `any`); false on a storage error.
bool has_customers(Database& db, bool& any);

/// The ids of the customers whose mailbox (normalize_email) is `email_key`, added to `ids`;
/// false on a storage error.
bool find_customers_by_email_key(Database& db, std::string_view email_key,
                                 std::vector<std::string>& ids);

/// Whether an order was ever placed (cancelled or refunded ones too) by a customer whose mailbox
/// is `email_key` (into `ordered`); false on a storage error.
bool mailbox_has_ordered(Database& db, std::string_view email_key, bool& ordered);

/// Every member's id, in id order; false on a storage error.
bool list_member_ids(Database& db, std::vector<std::string>& ids);

/// The id of the customer holding `referral_code`, if any.
std::optional<std::string> find_customer_by_referral_code(Database& db, std::string_view code);

/// When a new entry of this customer is recorded (its recordedAt): the server's clock `now`, or
/// the newest recording already in the ledger when that is later (a clock stepped back, a seed
/// within the allowed skew), so the entry always sorts last in replay and can't move before one
/// the server already acted on. The account cache's IncrementalReplay then simply appends it.
EpochSeconds recording_instant(const Customer& customer, EpochSeconds now);

/// Whether the ledger has a placed order with this id / with any other id.
bool has_order(const Customer& customer, const std::string& order_id);
bool has_other_order(const Customer& customer, const std::string& order_id);

/// {"money": amount, "currency": <the program's currency>}
nlohmann::json money_json(MinorUnits amount, const Program& program);

/// A new server-side ledger entry id ("le_" + 128 random bits).
std::string new_entry_id();

/// The `earn` entry of `points` that rule `rule_id` pays at `now` (a sign-up, a claim, a
/// birthday): a new id, recorded at recording_instant().
LedgerEntry new_earn_entry(const Customer& customer, const std::string& rule_id, Points points,
                           EpochSeconds now);

}  // namespace loyalty::server
