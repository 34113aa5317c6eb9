// Customers and their append-only ledgers in SQLite, and the customer document the API returns.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
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

/// Only the customer row (identity, status, birthday), with an empty ledger.
LoadStatus load_customer_row(Database& db, std::string_view id, Customer& out);

/// The ledger's version: the seq of the customer's newest row, 0 when it has none; nullopt on a
/// storage error.
std::optional<std::int64_t> ledger_version(Database& db, std::string_view customer_id);

/// Whether two loads of the customer row read the same values (the ledgers are not compared).
bool same_row(const Customer& a, const Customer& b);

/// Ledgers kept in memory so a request need not read and parse every row again. An entry is
/// valid for one ledger version: the seq of the customer's newest row. The ledger is append-only
/// and seq never goes back for committed rows, so a cached ledger whose version matches the
/// database's is the stored ledger. SQLite stays the truth: each use checks the version first
/// (one index lookup). Only committed states are shared; the writer stages what it sees inside
/// its transaction and the group committer publishes or drops them with the commit.
class LedgerCache {
 public:
  /// Moves the committed ledger at version `last_seq` into `out` (no copy); the caller gives it
  /// back with publish() when done. With `with_staged` (the writer, inside a group) copies it
  /// instead, from the group's staged ledgers first. False when there is none.
  bool take(const std::string& id, std::int64_t last_seq, bool with_staged,
            std::vector<LedgerEntry>& out);
  /// Moves the newest committed customer (row and ledger) and its version out, whatever the
  /// version: a guess for deciding outside the writer, which checks it against the database.
  bool take_latest(const std::string& id, Customer& out, std::int64_t& last_seq);
  /// A committed customer and ledger at version `last_seq`; kept if it is the newest known.
  void publish(const std::string& id, std::int64_t last_seq, Customer customer);
  /// The writer's view inside the current group; shared only if the group commits.
  void stage(const std::string& id, std::int64_t last_seq, Customer customer);
  /// Called by the writer after each group's COMMIT (or failure).
  void finish_group(bool committed);

 private:
  struct Ledger {
    std::int64_t last_seq = 0;  // 0 for an empty ledger
    Customer customer;          // the row as read with it, and the ledger
  };
  void publish_locked(const std::string& id, Ledger ledger);

  std::mutex mutex_;
  std::unordered_map<std::string, Ledger> committed_;
  std::unordered_map<std::string, Ledger> staged_;
};

/// Where a cached load runs: a reader connection, or the writer inside a group's transaction.
enum class CacheRole { reader, writer };

/// load_customer through `cache`: reads the customer row and the ledger's version, and the
/// ledger rows only when the cache has no ledger at that version. `last_seq` receives the
/// version loaded. A reader takes the ledger out of the cache: publish it back when done.
LoadStatus load_customer(Database& db, std::string_view id, Customer& out, LedgerCache& cache,
                         CacheRole role, std::int64_t* last_seq = nullptr);

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
