#include "customer_store.hpp"

#include <algorithm>
#include <unordered_set>

#include "auth.hpp"
#include "email_key.hpp"

namespace loyalty::server {
namespace {

constexpr EntryType kEntryTypes[] = {
    EntryType::order_placed, EntryType::order_refunded, EntryType::order_cancelled,
    EntryType::earn,         EntryType::redeem,         EntryType::expire,
    EntryType::adjust,       EntryType::referral,       EntryType::tier_change};

std::optional<EntryType> entry_type_from(std::string_view name) {
  for (EntryType type : kEntryTypes)
    if (to_string(type) == name) return type;
  return std::nullopt;
}

// Binds text, or NULL for an empty string (columns that only some entry types use).
void bind_text_or_null(Statement& statement, int index, const std::string& text) {
  if (text.empty())
    statement.bind_null(index);
  else
    statement.bind(index, text);
}

// A customers row selected as "status, first_name, email, referral_code, birthday_month,
// birthday_day, birthday_year, birthday_added_at, joined_at".
void read_row(const Statement& row, std::string_view id, Customer& out) {
  out = Customer{};
  out.id = std::string(id);
  out.member = row.text(0) == "member";
  out.first_name = row.text(1);
  out.email = row.text(2);
  out.referral_code = row.text(3);
  if (!row.is_null(4) && !row.is_null(5)) {
    Birthday birthday;
    birthday.month = static_cast<unsigned>(row.integer(4));
    birthday.day = static_cast<unsigned>(row.integer(5));
    if (auto year = row.optional_integer(6)) birthday.year = static_cast<std::int32_t>(*year);
    birthday.added_at = row.optional_integer(7);
    out.birthday = birthday;
  }
  out.joined_at = row.optional_integer(8);
}

}  // namespace

LoadStatus load_customer_row(Database& db, std::string_view id, Customer& out) {
  auto row = db.prepare(
      "SELECT status, first_name, email, referral_code, birthday_month, birthday_day, "
      "birthday_year, birthday_added_at, joined_at FROM customers WHERE id = ?1");
  row.bind(1, id);
  if (!row.step()) return row.ok() ? LoadStatus::not_found : LoadStatus::storage_error;
  read_row(row, id, out);
  return LoadStatus::found;
}

LoadStatus load_customer_row(Database& db, std::string_view id, Customer& out,
                             std::int64_t& last_seq) {
  // One statement for both: this runs on the writer thread for every redemption.
  auto row = db.prepare(
      "SELECT status, first_name, email, referral_code, birthday_month, birthday_day, "
      "birthday_year, birthday_added_at, joined_at, (SELECT seq FROM ledger_entries WHERE "
      "customer_id = ?1 ORDER BY seq DESC LIMIT 1) FROM customers WHERE id = ?1");
  row.bind(1, id);
  if (!row.step()) return row.ok() ? LoadStatus::not_found : LoadStatus::storage_error;
  read_row(row, id, out);
  last_seq = row.optional_integer(9).value_or(0);
  return LoadStatus::found;
}

bool same_row(const Customer& a, const Customer& b) {
  auto same_birthday = [](const std::optional<Birthday>& x, const std::optional<Birthday>& y) {
    if (!x || !y) return !x && !y;
    return x->month == y->month && x->day == y->day && x->year == y->year &&
           x->added_at == y->added_at;
  };
  return a.id == b.id && a.member == b.member && a.first_name == b.first_name &&
         a.email == b.email && a.referral_code == b.referral_code && a.joined_at == b.joined_at &&
         same_birthday(a.birthday, b.birthday);
}

namespace {

// Every ledger row in insertion order into `out`; `last_seq` receives the newest row's seq.
LoadStatus load_ledger(Database& db, std::string_view id, std::vector<LedgerEntry>& out,
                       std::int64_t& last_seq) {
  auto entries = db.prepare(
      "SELECT entry_id, type, at, order_id, subtotal, discount, shipping, tax, amount, points, "
      "rule_id, reward_id, tier_id, until, code, reason, seq, recorded_at, lines FROM "
      "ledger_entries WHERE customer_id = ?1 ORDER BY seq");
  entries.bind(1, id);
  last_seq = 0;
  while (entries.step()) {
    auto type = entry_type_from(entries.text(1));
    if (!type) return LoadStatus::storage_error;
    LedgerEntry entry;
    entry.id = entries.text(0);
    entry.type = *type;
    entry.at = entries.integer(2);
    entry.order_id = entries.text(3);
    entry.amounts.subtotal = entries.optional_integer(4).value_or(0);
    entry.amounts.discount = entries.optional_integer(5).value_or(0);
    entry.amounts.shipping = entries.optional_integer(6).value_or(0);
    entry.amounts.tax = entries.optional_integer(7).value_or(0);
    entry.amount = entries.optional_integer(8).value_or(0);
    entry.points = entries.optional_integer(9);
    entry.rule_id = entries.text(10);
    entry.reward_id = entries.text(11);
    entry.tier_id = entries.text(12);
    entry.until = entries.optional_integer(13);
    entry.code = entries.text(14);
    entry.reason = entries.text(15);
    last_seq = entries.integer(16);
    entry.recorded_at = entries.optional_integer(17);
    if (!entries.is_null(18)) {
      // Written by append_entry from lines the core already accepted.
      auto lines = parse_order_lines(entries.text(18), entry.amounts);
      if (!lines.ok()) return LoadStatus::storage_error;
      entry.lines = std::move(*lines.value);
    }
    out.push_back(std::move(entry));
  }
  return entries.ok() ? LoadStatus::found : LoadStatus::storage_error;
}

// Most customers whose ledgers stay cached; past it the cache starts over (a bound on memory).
constexpr std::size_t kMaxCachedLedgers = 100000;

}  // namespace

LoadStatus load_customer(Database& db, std::string_view id, Customer& out) {
  LoadStatus status = load_customer_row(db, id, out);
  if (status != LoadStatus::found) return status;
  std::int64_t last_seq = 0;
  return load_ledger(db, id, out.ledger, last_seq);
}

LoadStatus load_customer(Database& db, std::string_view id, Customer& out, std::int64_t& last_seq) {
  LoadStatus status = load_customer_row(db, id, out);
  if (status != LoadStatus::found) return status;
  return load_ledger(db, id, out.ledger, last_seq);
}

bool CachedAccount::matches(const Program* expected, const Customer& current_row,
                            std::int64_t ledger_version, EpochSeconds now) {
  return valid && version == ledger_version && program.get() == expected &&
         same_row(row, current_row) && replay->advance(now);
}

void CachedAccount::rebuild(std::shared_ptr<const Program> replayed_under, Customer customer,
                            std::int64_t ledger_version, EpochSeconds now) {
  recent_json.clear();
  recent_begin = 0;
  recent_sizes.clear();
  const std::size_t first = customer.ledger.size() > kCustomerLedgerLimit
                                ? customer.ledger.size() - kCustomerLedgerLimit
                                : 0;
  for (std::size_t i = first; i < customer.ledger.size(); ++i) add_recent(customer.ledger[i]);
  row = customer;
  row.ledger.clear();
  replay.reset();  // before the program it refers to can go
  program = std::move(replayed_under);
  replay.emplace(*program, std::move(customer), now);
  version = ledger_version;
  valid = true;
}

void CachedAccount::add_recent(const LedgerEntry& entry) {
  const std::size_t before = recent_json.size();
  recent_json += ledger_entry_json(entry);
  recent_json += ',';
  recent_sizes.push_back(recent_json.size() - before);
  if (recent_sizes.size() > kCustomerLedgerLimit) {
    recent_begin += recent_sizes.front();
    recent_sizes.pop_front();
    if (recent_begin > recent_json.size() / 2) {
      recent_json.erase(0, recent_begin);
      recent_begin = 0;
    }
  }
}

bool CachedAccount::append(LedgerEntry entry, std::int64_t stored_seq, EpochSeconds now) {
  if (!valid) return false;
  add_recent(entry);
  if (!replay->append(std::move(entry), now)) {
    valid = false;
    return false;
  }
  version = stored_seq;
  return true;
}

std::string CachedAccount::document() const {
  std::string_view entries = std::string_view(recent_json).substr(recent_begin);
  entries.remove_suffix(entries.empty() ? 0 : 1);  // the last entry's comma
  return customer_json(*program, row, replay->account(), entries);
}

void CachedAccount::take_from(CachedAccount& other) {
  valid = other.valid;
  version = other.version;
  program = std::move(other.program);
  row = std::move(other.row);
  replay = std::move(other.replay);
  recent_json = std::move(other.recent_json);
  recent_begin = other.recent_begin;
  recent_sizes = std::move(other.recent_sizes);
  other.valid = false;
}

std::shared_ptr<CachedAccount> AccountCache::get(const std::string& customer_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = accounts_.find(customer_id);
  if (found != accounts_.end()) return found->second;
  // A bound on memory: past it the cache starts over (accounts in use live on, unlisted).
  if (accounts_.size() >= kMaxCachedLedgers) accounts_.clear();
  return accounts_.emplace(customer_id, std::make_shared<CachedAccount>()).first->second;
}

void AccountCache::touched(std::shared_ptr<CachedAccount> account) {
  touched_.push_back(std::move(account));
}

void AccountCache::finish_group(bool committed) {
  if (!committed) {
    for (const auto& account : touched_) {
      std::lock_guard<std::mutex> lock(account->mutex);
      account->valid = false;
    }
  }
  touched_.clear();
}

bool insert_customer(Database& db, const Customer& customer, EpochSeconds created_at) {
  auto insert = db.prepare(
      "INSERT INTO customers (id, status, first_name, email, email_key, referral_code, "
      "birthday_month, birthday_day, birthday_year, birthday_added_at, joined_at, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  insert.bind(1, customer.id).bind(2, customer.member ? "member" : "guest");
  insert.bind(3, customer.first_name).bind(4, customer.email);
  insert.bind(5, normalize_email(customer.email));
  bind_text_or_null(insert, 6, customer.referral_code);
  if (customer.birthday) {
    insert.bind(7, static_cast<std::int64_t>(customer.birthday->month));
    insert.bind(8, static_cast<std::int64_t>(customer.birthday->day));
    if (customer.birthday->year)
      insert.bind(9, static_cast<std::int64_t>(*customer.birthday->year));
    insert.bind(10, customer.birthday->added_at);
  }
  insert.bind(11, customer.joined_at).bind(12, created_at);
  if (!insert.run()) return false;
  for (const auto& entry : customer.ledger)
    if (!append_entry(db, customer.id, entry)) return false;
  return true;
}

std::optional<std::size_t> first_repeated_entry_id(const Customer& customer) {
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < customer.ledger.size(); ++i)
    if (!customer.ledger[i].id.empty() && !seen.insert(customer.ledger[i].id).second) return i;
  return std::nullopt;
}

std::optional<std::int64_t> append_entry(Database& db, std::string_view customer_id,
                                         const LedgerEntry& entry) {
  auto insert = db.prepare(
      "INSERT INTO ledger_entries (customer_id, entry_id, type, at, order_id, subtotal, discount, "
      "shipping, tax, amount, points, rule_id, reward_id, tier_id, until, code, reason, "
      "recorded_at, lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
      "?15, ?16, ?17, ?18, ?19) RETURNING seq");
  insert.bind(1, customer_id).bind(2, entry.id).bind(3, to_string(entry.type)).bind(4, entry.at);
  bind_text_or_null(insert, 5, entry.order_id);
  if (entry.type == EntryType::order_placed) {
    insert.bind(6, entry.amounts.subtotal).bind(7, entry.amounts.discount);
    insert.bind(8, entry.amounts.shipping).bind(9, entry.amounts.tax);
  }
  if (entry.type == EntryType::order_refunded) insert.bind(10, entry.amount);
  insert.bind(11, entry.points);
  bind_text_or_null(insert, 12, entry.rule_id);
  bind_text_or_null(insert, 13, entry.reward_id);
  bind_text_or_null(insert, 14, entry.tier_id);
  insert.bind(15, entry.until);
  bind_text_or_null(insert, 16, entry.code);
  bind_text_or_null(insert, 17, entry.reason);
  insert.bind(18, entry.recorded_at);
  if (entry.type == EntryType::order_placed && !entry.lines.empty()) {
    insert.bind(19, order_lines_json(entry.lines));
  }
  if (!insert.step()) return std::nullopt;
  const std::int64_t seq = insert.integer(0);
  return insert.run() ? std::optional<std::int64_t>(seq) : std::nullopt;
}

bool update_customer_profile(Database& db, const Customer& customer) {
  auto update = db.prepare(
      "UPDATE customers SET first_name = ?2, email = ?3, email_key = ?4, birthday_month = ?5, "
      "birthday_day = ?6, birthday_year = ?7, birthday_added_at = ?8 WHERE id = ?1");
  update.bind(1, customer.id).bind(2, customer.first_name).bind(3, customer.email);
  update.bind(4, normalize_email(customer.email));
  if (customer.birthday) {
    update.bind(5, static_cast<std::int64_t>(customer.birthday->month));
    update.bind(6, static_cast<std::int64_t>(customer.birthday->day));
    if (customer.birthday->year)
      update.bind(7, static_cast<std::int64_t>(*customer.birthday->year));
    update.bind(8, customer.birthday->added_at);
  }
  return update.run();
}

bool has_customers(Database& db, bool& any) {
  auto query = db.prepare("SELECT EXISTS (SELECT 1 FROM customers)");
  if (!query.step()) return false;
  any = query.integer(0) != 0;
  return true;
}

bool find_customers_by_email_key(Database& db, std::string_view email_key,
                                 std::vector<std::string>& ids) {
  auto by_email = db.prepare("SELECT id FROM customers WHERE email_key = ?1");
  by_email.bind(1, email_key);
  while (by_email.step()) ids.push_back(by_email.text(0));
  return by_email.ok();
}

bool mailbox_has_ordered(Database& db, std::string_view email_key, bool& ordered) {
  auto query = db.prepare(
      "SELECT EXISTS (SELECT 1 FROM customers JOIN ledger_entries ON "
      "ledger_entries.customer_id = customers.id WHERE customers.email_key = ?1 AND "
      "ledger_entries.type = 'order_placed')");
  query.bind(1, email_key);
  if (!query.step()) return false;
  ordered = query.integer(0) != 0;
  return true;
}

bool list_member_ids(Database& db, std::vector<std::string>& ids) {
  auto members = db.prepare("SELECT id FROM customers WHERE status = 'member' ORDER BY id");
  while (members.step()) ids.push_back(members.text(0));
  return members.ok();
}

std::optional<std::string> find_customer_by_referral_code(Database& db, std::string_view code) {
  auto query = db.prepare("SELECT id FROM customers WHERE referral_code = ?1");
  query.bind(1, code);
  if (!query.step()) return std::nullopt;
  return query.text(0);
}

EpochSeconds recording_instant(const Customer& customer, EpochSeconds now) {
  EpochSeconds newest = now;
  for (const LedgerEntry& entry : customer.ledger) newest = std::max(newest, entry.recorded());
  return newest;
}

bool has_order(const Customer& customer, const std::string& order_id) {
  return std::any_of(customer.ledger.begin(), customer.ledger.end(), [&](const LedgerEntry& e) {
    return e.type == EntryType::order_placed && e.order_id == order_id;
  });
}

bool has_other_order(const Customer& customer, const std::string& order_id) {
  return std::any_of(customer.ledger.begin(), customer.ledger.end(), [&](const LedgerEntry& e) {
    return e.type == EntryType::order_placed && e.order_id != order_id;
  });
}

nlohmann::json money_json(MinorUnits amount, const Program& program) {
  return {{"money", amount}, {"currency", program.currency.code}};
}

std::string new_entry_id() { return "le_" + random_hex(16); }

LedgerEntry new_earn_entry(const Customer& customer, const std::string& rule_id, Points points,
                           EpochSeconds now) {
  LedgerEntry entry;
  entry.id = new_entry_id();
  entry.type = EntryType::earn;
  entry.at = now;
  entry.recorded_at = recording_instant(customer, now);
  entry.rule_id = rule_id;
  entry.points = points;
  return entry;
}

}  // namespace loyalty::server
