// `loyalty-server export --db A > shop.jsonl` and `loyalty-server import --db B < shop.jsonl`.
#pragma once

#include <string>
#include <vector>

namespace loyalty::server {

/// Whether the command line asks for export or import (its first word).
bool is_transfer_command(const std::vector<std::string>& args);

/// Runs it: the exit status (0 done, 1 failed, 2 bad usage), messages on stderr.
int run_transfer_command(const std::vector<std::string>& args);

}  // namespace loyalty::server
