#include "row_store.hpp"

#include "database.hpp"
#include "pg_connection.hpp"
#include "pg_schema.hpp"

namespace loyalty::server {
namespace {

bool is_integer_type(std::string type) {
  for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return type.find("INT") != std::string::npos;
}

std::string column_list(const std::vector<ColumnInfo>& columns) {
  std::string list;
  for (const ColumnInfo& column : columns) {
    if (!list.empty()) list += ", ";
    list += column.name;
  }
  return list;
}

// Table and column names come from the schema (shop_transfer.cpp's list, checked against the
// store's own columns), never from an export file, so splicing them into SQL is safe.

class SqliteRowStore final : public RowStore {
 public:
  explicit SqliteRowStore(std::unique_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  ~SqliteRowStore() override {
    if (in_transaction_) db_->exec("ROLLBACK;");
  }

  std::vector<ColumnInfo> columns(const std::string& table, std::string& error) override {
    std::vector<ColumnInfo> out;
    const std::string sql = "SELECT name, type FROM pragma_table_info('" + table + "')";
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      error = db_->last_error();
      return out;
    }
    while (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
      const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(statement, 1));
      out.push_back({name ? name : "", is_integer_type(type ? type : "")});
    }
    sqlite3_finalize(statement);
    if (out.empty()) error = "no table " + table;
    return out;
  }

  bool each_row(const std::string& table, const std::vector<ColumnInfo>& columns,
                const std::string& order_by, const std::function<bool(const Row&)>& visit,
                std::string& error) override {
    const std::string sql =
        "SELECT " + column_list(columns) + " FROM " + table + " ORDER BY " + order_by;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      error = db_->last_error();
      return false;
    }
    int status = SQLITE_ROW;
    Row row(columns.size());
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
      for (std::size_t index = 0; index < columns.size(); ++index) {
        const int at = static_cast<int>(index);
        if (sqlite3_column_type(statement, at) == SQLITE_NULL) {
          row[index] = std::monostate{};
        } else if (columns[index].integer) {
          row[index] = static_cast<std::int64_t>(sqlite3_column_int64(statement, at));
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, at));
          row[index] =
              std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, at)));
        }
      }
      if (!visit(row)) break;
    }
    const bool ok = status == SQLITE_ROW || status == SQLITE_DONE;
    if (!ok) error = db_->last_error();
    sqlite3_finalize(statement);
    return ok;
  }

  bool has_rows(const std::string& table, bool& any, std::string& error) override {
    const std::string sql = "SELECT 1 FROM " + table + " LIMIT 1";
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      error = db_->last_error();
      return false;
    }
    const int status = sqlite3_step(statement);
    sqlite3_finalize(statement);
    any = status == SQLITE_ROW;
    if (status != SQLITE_ROW && status != SQLITE_DONE) error = db_->last_error();
    return status == SQLITE_ROW || status == SQLITE_DONE;
  }

  bool begin(std::string& error) override {
    in_transaction_ = db_->exec("BEGIN IMMEDIATE;");
    if (!in_transaction_) error = db_->last_error();
    return in_transaction_;
  }

  bool insert(const std::string& table, const std::vector<ColumnInfo>& columns, const Row& row,
              std::string& error) override {
    std::string sql = "INSERT INTO " + table + " (" + column_list(columns) + ") VALUES (";
    for (std::size_t index = 0; index < columns.size(); ++index) sql += index ? ", ?" : "?";
    sql += ")";
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      error = db_->last_error();
      return false;
    }
    for (std::size_t index = 0; index < row.size(); ++index) {
      const int at = static_cast<int>(index) + 1;
      if (const auto* number = std::get_if<std::int64_t>(&row[index])) {
        sqlite3_bind_int64(statement, at, *number);
      } else if (const auto* text = std::get_if<std::string>(&row[index])) {
        sqlite3_bind_text(statement, at, text->data(), static_cast<int>(text->size()),
                          SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(statement, at);
      }
    }
    const bool ok = sqlite3_step(statement) == SQLITE_DONE;
    if (!ok) error = db_->last_error();
    sqlite3_finalize(statement);
    return ok;
  }

  bool commit(std::string& error) override {
    // AUTOINCREMENT counters follow explicit keys by themselves (sqlite_sequence).
    const bool ok = db_->exec("COMMIT;");
    if (!ok) error = db_->last_error();
    in_transaction_ = !ok;
    return ok;
  }

 private:
  std::unique_ptr<SqliteDatabase> db_;
  bool in_transaction_ = false;
};

class PostgresRowStore final : public RowStore {
 public:
  explicit PostgresRowStore(std::unique_ptr<PgConnection> connection)
      : connection_(std::move(connection)) {}

  std::vector<ColumnInfo> columns(const std::string& table, std::string& error) override {
    std::vector<ColumnInfo> out;
    PgResult rows = connection_->exec(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        PgParams().text(table));
    if (!rows.ok()) {
      error = rows.error();
      return out;
    }
    for (int row = 0; row < rows.rows(); ++row) {
      out.push_back({rows.text(row, 0), is_integer_type(rows.text(row, 1))});
    }
    if (out.empty()) error = "no table " + table;
    return out;
  }

  bool each_row(const std::string& table, const std::vector<ColumnInfo>& columns,
                const std::string& order_by, const std::function<bool(const Row&)>& visit,
                std::string& error) override {
    // Text keys in bytewise order, as SQLite sorts them.
    std::string order;
    for (std::size_t start = 0; start <= order_by.size();) {
      std::size_t end = order_by.find(',', start);
      if (end == std::string::npos) end = order_by.size();
      std::string key = order_by.substr(start, end - start);
      while (!key.empty() && key.front() == ' ') key.erase(0, 1);
      if (!order.empty()) order += ", ";
      order += key + (is_text_column(columns, key) ? " COLLATE \"C\"" : "");
      start = end + 1;
    }
    PgResult rows = connection_->exec(
        ("SELECT " + column_list(columns) + " FROM " + table + " ORDER BY " + order).c_str());
    if (!rows.ok()) {
      error = rows.error();
      return false;
    }
    Row values(columns.size());
    for (int row = 0; row < rows.rows(); ++row) {
      for (std::size_t index = 0; index < columns.size(); ++index) {
        const int at = static_cast<int>(index);
        if (rows.is_null(row, at)) {
          values[index] = std::monostate{};
        } else if (columns[index].integer) {
          values[index] = rows.integer(row, at).value_or(0);
        } else {
          values[index] = rows.text(row, at);
        }
      }
      if (!visit(values)) break;
    }
    return true;
  }

  bool has_rows(const std::string& table, bool& any, std::string& error) override {
    PgResult rows = connection_->exec(("SELECT 1 FROM " + table + " LIMIT 1").c_str());
    if (!rows.ok()) error = rows.error();
    any = rows.rows() > 0;
    return rows.ok();
  }

  bool begin(std::string& error) override {
    transaction_ = std::make_unique<PgTransaction>(*connection_);
    if (!transaction_->begun()) error = "could not begin a transaction";
    return transaction_->begun();
  }

  bool insert(const std::string& table, const std::vector<ColumnInfo>& columns, const Row& row,
              std::string& error) override {
    std::string sql = "INSERT INTO " + table + " (" + column_list(columns) + ") VALUES (";
    PgParams params;
    for (std::size_t index = 0; index < row.size(); ++index) {
      sql += (index ? ", $" : "$") + std::to_string(index + 1);
      if (const auto* number = std::get_if<std::int64_t>(&row[index])) {
        params.integer(*number);
      } else if (const auto* text = std::get_if<std::string>(&row[index])) {
        params.text(*text);
      } else {
        params.null();
      }
    }
    sql += ")";
    PgResult inserted = connection_->exec(sql.c_str(), params);
    if (!inserted.ok()) error = inserted.error();
    return inserted.ok();
  }

  bool commit(std::string& error) override {
    // Serial counters start after the imported keys, as SQLite's AUTOINCREMENT does.
    for (const auto& [table, column] : kSerialColumns) {
      const std::string sql = std::string("SELECT setval(pg_get_serial_sequence('") + table +
                              "', '" + column + "'), COALESCE(MAX(" + column +
                              "), 0) + 1, false) FROM " + table;
      if (PgResult moved = connection_->exec(sql.c_str()); !moved.ok()) {
        error = moved.error();
        return false;
      }
    }
    PgResult committed = transaction_->commit();
    if (!committed.ok()) error = committed.error();
    return committed.ok();
  }

 private:
  static constexpr std::pair<const char*, const char*> kSerialColumns[] = {
      {"programs", "version"},
      {"ledger_entries", "seq"},
      {"referral_claims", "id"},
      {"notification_outbox", "seq"}};

  static bool is_text_column(const std::vector<ColumnInfo>& columns, const std::string& name) {
    for (const ColumnInfo& column : columns) {
      if (column.name == name) return !column.integer;
    }
    return false;
  }

  std::unique_ptr<PgConnection> connection_;
  std::unique_ptr<PgTransaction> transaction_;
};

}  // namespace

std::unique_ptr<RowStore> open_row_store(const std::string& database, std::string& error) {
  if (is_postgres_url(database)) {
    auto connection = PgConnection::open(database, error);
    if (!connection) return nullptr;
    if (migrate_postgres(*connection, error) == 0) return nullptr;
    return std::make_unique<PostgresRowStore>(std::move(connection));
  }
  auto db = SqliteDatabase::open(DatabaseOptions{database}, error, /*create_schema=*/true);
  if (!db) return nullptr;
  return std::make_unique<SqliteRowStore>(std::move(db));
}

}  // namespace loyalty::server
