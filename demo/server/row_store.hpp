// The schema's tables as plain rows, in either store: what moving a shop between stores needs
// (shop_transfer.hpp), and nothing about what the rows mean.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "database.hpp"  // is_postgres_url

namespace loyalty::server {

/// A stored value: the schema holds integers, text and NULL only.
using ColumnValue = std::variant<std::monostate, std::int64_t, std::string>;

struct ColumnInfo {
  std::string name;
  bool integer = false;  // INTEGER / BIGINT, else TEXT
};

using Row = std::vector<ColumnValue>;  // in the order of the table's columns

class RowStore {
 public:
  virtual ~RowStore() = default;
  /// The table's columns in their declared order; empty with `error` when it has none.
  virtual std::vector<ColumnInfo> columns(const std::string& table, std::string& error) = 0;
  /// Calls `visit` with every row in the order of `order_by` (bytewise for text, so both stores
  /// list rows alike), stopping when it returns false. False with `error` on a storage error.
  virtual bool each_row(const std::string& table, const std::vector<ColumnInfo>& columns,
                        const std::string& order_by, const std::function<bool(const Row&)>& visit,
                        std::string& error) = 0;
  virtual bool has_rows(const std::string& table, bool& any, std::string& error) = 0;
  /// One transaction for an import: begin, inserts, then commit (which also moves serial
  /// counters past the imported keys). Destroying the store uncommitted rolls back.
  virtual bool begin(std::string& error) = 0;
  virtual bool insert(const std::string& table, const std::vector<ColumnInfo>& columns,
                      const Row& row, std::string& error) = 0;
  virtual bool commit(std::string& error) = 0;
};

/// Opens `database`: a SQLite file path or a `postgresql://` URL, brought to this server's
/// schema (schema.hpp). nullptr with `error` when it can't.
std::unique_ptr<RowStore> open_row_store(const std::string& database, std::string& error);

}  // namespace loyalty::server
