// Moves a shop between stores (`loyalty-server export` / `import`): every program version,
// customer, ledger entry, idempotency key, order event, referral claim, friend offer and
// notification (delivered or not), as JSON lines, row for row, so a ledger replays the same in
// its new store and no notification is lost or sent twice.
//
// The file: a header line {"format": "loyalty-shop", "schemaVersion": N}, then one line per
// row {"table": "...", "row": {column: value}}, then {"end": {"rows": count}}. Rate-limit
// buckets are not moved (they refill on their own).
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "row_store.hpp"

namespace loyalty::server {

/// Writes the whole shop; false with `error` on a storage error. `rows` gets the row count.
bool export_shop(RowStore& store, std::ostream& out, std::string& error,
                 std::int64_t* rows = nullptr);

/// Reads an export into an empty store in one transaction: nothing is stored unless every line
/// is valid and the end line's count matches. False with `error` ("line N: /row/at: ...").
bool import_shop(RowStore& store, std::istream& in, std::string& error,
                 std::int64_t* rows = nullptr);

}  // namespace loyalty::server
