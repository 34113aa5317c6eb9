#include "shop_transfer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>

#include "schema.hpp"

namespace loyalty::server {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "loyalty-shop";
// A line holds one row; the largest is a program document or an order's lines.
constexpr std::size_t kMaxLineBytes = 8 * 1024 * 1024;

struct TableOrder {
  const char* table;
  const char* order_by;  // the key the rows are listed in
};

// Parents before the rows that refer to them (ledger entries name their customer).
constexpr TableOrder kTables[] = {
    {"programs", "version"},
    {"customers", "id"},
    {"ledger_entries", "seq"},
    {"idempotency_keys", "customer_id, key"},
    {"order_events", "event_id"},
    {"referral_claims", "id"},
    {"friend_offers", "friend_email_key"},
    {"notification_outbox", "seq"},  // pending ones go on being delivered from the new store
};

json value_json(const ColumnValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return nullptr;
}

std::string line_error(std::int64_t line, const std::string& path, const std::string& problem) {
  return "line " + std::to_string(line) + (path.empty() ? "" : ": " + path) + ": " + problem;
}

}  // namespace

bool export_shop(RowStore& store, std::ostream& out, std::string& error, std::int64_t* rows) {
  std::int64_t count = 0;
  out << json{{"format", kFormat}, {"schemaVersion", latest_schema_version()}}.dump() << '\n';
  for (const TableOrder& entry : kTables) {
    const std::vector<ColumnInfo> columns = store.columns(entry.table, error);
    if (columns.empty()) return false;
    const bool listed = store.each_row(
        entry.table, columns, entry.order_by,
        [&](const Row& row) {
          json object = json::object();
          for (std::size_t index = 0; index < columns.size(); ++index) {
            object[columns[index].name] = value_json(row[index]);
          }
          // Text is written as it was stored; invalid UTF-8 (never written by the server)
          // is replaced rather than failing the whole export.
          out << json{{"table", entry.table}, {"row", std::move(object)}}.dump(
                     -1, ' ', false, json::error_handler_t::replace)
              << '\n';
          ++count;
          return static_cast<bool>(out);
        },
        error);
    if (!listed) return false;
    if (!out) {
      error = "could not write the export";
      return false;
    }
  }
  out << json{{"end", {{"rows", count}}}}.dump() << '\n';
  out.flush();
  if (!out) {
    error = "could not write the export";
    return false;
  }
  if (rows) *rows = count;
  return true;
}

bool import_shop(RowStore& store, std::istream& in, std::string& error, std::int64_t* rows) {
  std::map<std::string, std::vector<ColumnInfo>> tables;
  for (const TableOrder& entry : kTables) {
    std::vector<ColumnInfo> columns = store.columns(entry.table, error);
    if (columns.empty()) return false;
    bool any = false;
    if (!store.has_rows(entry.table, any, error)) return false;
    if (any) {
      error = std::string("the target database is not empty: ") + entry.table +
              " has rows (import into a new database)";
      return false;
    }
    tables.emplace(entry.table, std::move(columns));
  }
  if (!store.begin(error)) return false;

  std::string text;
  std::int64_t line = 0;
  std::int64_t count = 0;
  bool ended = false;
  // One line at a time, never more than kMaxLineBytes of it in memory.
  const auto next_line = [&]() -> int {  // 1 a line, 0 the end of input, -1 too long
    text.clear();
    char c = 0;
    bool any = false;
    while (in.get(c)) {
      any = true;
      if (c == '\n') break;
      if (text.size() >= kMaxLineBytes) return -1;
      text += c;
    }
    if (!any) return 0;
    ++line;
    return 1;
  };
  while (true) {
    const int got = next_line();
    if (got < 0) {
      error = line_error(line + 1, "", "longer than " + std::to_string(kMaxLineBytes) + " bytes");
      return false;
    }
    if (got == 0) break;
    if (ended) {
      error = line_error(line, "", "a line after the end line");
      return false;
    }
    json document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
      error = line_error(line, "", "not a JSON object");
      return false;
    }
    if (line == 1) {
      if (document.value("format", "") != kFormat) {
        error = line_error(line, "/format", std::string("must be \"") + kFormat + "\"");
        return false;
      }
      const auto version = document.find("schemaVersion");
      if (version == document.end() || !version->is_number_integer()) {
        error = line_error(line, "/schemaVersion", "must be an integer");
        return false;
      }
      if (version->get<std::int64_t>() != latest_schema_version()) {
        error = line_error(line, "/schemaVersion",
                           "the export is of schema version " + version->dump() +
                               "; this server imports version " +
                               std::to_string(latest_schema_version()));
        return false;
      }
      continue;
    }
    if (const auto end = document.find("end"); end != document.end()) {
      const auto expected = end->is_object() ? end->find("rows") : end->end();
      if (!end->is_object() || expected == end->end() || !expected->is_number_integer()) {
        error = line_error(line, "/end/rows", "must be an integer");
        return false;
      }
      if (expected->get<std::int64_t>() != count) {
        error = line_error(
            line, "/end/rows",
            "says " + expected->dump() + " rows, but the file has " + std::to_string(count));
        return false;
      }
      ended = true;
      continue;
    }
    const auto table_name = document.find("table");
    if (table_name == document.end() || !table_name->is_string() ||
        !tables.count(table_name->get<std::string>())) {
      error = line_error(line, "/table", "must name one of the exported tables");
      return false;
    }
    const std::vector<ColumnInfo>& columns = tables.at(table_name->get<std::string>());
    const auto row_json = document.find("row");
    if (row_json == document.end() || !row_json->is_object()) {
      error = line_error(line, "/row", "must be an object");
      return false;
    }
    for (const auto& item : row_json->items()) {
      bool known = false;
      for (const ColumnInfo& column : columns) known = known || column.name == item.key();
      if (!known) {
        error = line_error(line, "/row/" + item.key(),
                           "is not a column of " + table_name->get<std::string>());
        return false;
      }
    }
    Row row(columns.size());
    for (std::size_t index = 0; index < columns.size(); ++index) {
      const ColumnInfo& column = columns[index];
      const auto value = row_json->find(column.name);
      const std::string path = "/row/" + column.name;
      if (value == row_json->end()) {
        error = line_error(line, path, "is missing");
        return false;
      }
      if (value->is_null()) continue;
      if (column.integer) {
        if (value->is_number_unsigned() &&
            value->get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          error = line_error(line, path, "is out of the 64-bit range");
          return false;
        }
        if (!value->is_number_integer()) {
          error = line_error(line, path, "must be an integer or null");
          return false;
        }
        row[index] = value->get<std::int64_t>();
      } else {
        if (!value->is_string()) {
          error = line_error(line, path, "must be a string or null");
          return false;
        }
        row[index] = value->get<std::string>();
      }
    }
    if (!store.insert(table_name->get<std::string>(), columns, row, error)) {
      error = line_error(line, "/row", error);
      return false;
    }
    ++count;
  }
  if (line == 0) {
    error = "the export is empty";
    return false;
  }
  if (!ended) {
    error = "the export is cut short: no end line after line " + std::to_string(line);
    return false;
  }
  if (!store.commit(error)) return false;
  if (rows) *rows = count;
  return true;
}

}  // namespace loyalty::server
