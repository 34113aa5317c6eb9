#include "transfer_command.hpp"

#include <iostream>

#include "row_store.hpp"
#include "shop_transfer.hpp"

namespace loyalty::server {

namespace {
constexpr const char* kTransferUsage = R"(usage:
  loyalty-server export --db DATABASE > shop.jsonl
  loyalty-server import --db DATABASE < shop.jsonl
DATABASE is a SQLite file path or a postgresql:// URL. Import needs an empty database and
stores nothing unless the whole file is valid.
)";
}  // namespace

bool is_transfer_command(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "export" || args[0] == "import");
}

int run_transfer_command(const std::vector<std::string>& args) {
  if (args.size() != 3 || args[1] != "--db" || args[2].empty()) {
    std::cerr << kTransferUsage;
    return 2;
  }
  const bool exporting = args[0] == "export";
  std::string error;
  auto store = open_row_store(args[2], error);
  if (!store) {
    std::cerr << "loyalty-server " << args[0] << ": cannot open " << args[2] << ": " << error
              << "\n";
    return 1;
  }
  std::int64_t rows = 0;
  const bool done = exporting ? export_shop(*store, std::cout, error, &rows)
                              : import_shop(*store, std::cin, error, &rows);
  if (!done) {
    std::cerr << "loyalty-server " << args[0] << ": " << error << "\n";
    return 1;
  }
  std::cerr << "loyalty-server " << args[0] << ": " << rows << " rows\n";
  return 0;
}

}  // namespace loyalty::server
