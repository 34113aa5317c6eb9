#include "backend_helpers.hpp"

#include <cctype>
#include <chrono>
#include <ctime>
#include <utility>

#include "auth.hpp"
#include "loyalty/zoneinfo.hpp"

namespace loyalty::server {

using json = nlohmann::json;

EpochSeconds unix_now() { return static_cast<EpochSeconds>(std::time(nullptr)); }

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ApiResponse storage_failure() {
  return error_response(503, "server.storage",
                        "The ledger store is busy or failing; nothing was changed. Try again.");
}

ApiResponse no_program() {
  return error_response(503, "program.notPublished",
                        "No loyalty program is published yet (PUT /v1/admin/program).");
}

ApiResponse unknown_customer(const std::string& id) {
  return error_response(404, "customer.unknown", "No customer has the id \"" + id + "\".");
}

json instant_or_null(const std::optional<EpochSeconds>& at) {
  if (!at) return nullptr;
  return format_instant(*at, 0);
}

std::string refusal_message(const std::string& key, Points points_to_go) {
  if (key == "redeem.insufficientPoints")
    return "Not enough points for this reward: " + std::to_string(points_to_go) + " more needed.";
  if (key == "redeem.tierRestricted") return "This reward is reserved for other tiers.";
  if (key == "redeem.unknownReward") return "The program has no reward with this id.";
  if (key == "redeem.invalidPoints")
    return "Choose a points amount in whole steps between the reward's minimum and maximum.";
  if (key == "redeem.belowMinimum") return "The order total is below this reward's minimum.";
  if (key == "redeem.belowMinimumPoints")
    return "A redemption must spend at least the program's minimum points.";
  if (key == "redeem.overOrderPoints")
    return "This would take more points than the program allows on one order.";
  if (key == "redeem.overOrderShare")
    return "This would pay more of the order than the program allows points to pay.";
  if (key == "redeem.notMember") return "Join the program to redeem rewards.";
  if (key == "rule.limitReached") return "This has already been claimed as often as allowed.";
  if (key == "rule.alreadyDone") return "This has already been claimed.";
  if (key == "rule.waiting") return "This can't be claimed yet.";
  if (key == "order.belowMinimum") return "The order is below the minimum that earns points.";
  return "Refused by the program's rules (" + key + ").";
}

std::string make_referral_code(const std::string& first_name) {
  std::string prefix;
  for (char c : first_name) {
    if (prefix.size() == 4) break;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      prefix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (prefix.empty()) prefix = "REF";
  return prefix + "-" + random_base32(6);
}

std::string first_error(const std::vector<Diagnostic>& diagnostics, std::string& path) {
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) {
      path = d.path;
      return d.message;
    }
  return "invalid";
}

std::string future_instant_message(EpochSeconds instant, EpochSeconds now, std::int64_t skew) {
  return format_instant(instant, 0) + " is later than the server's clock (" +
         format_instant(now, 0) + ") plus the allowed clock skew of " + std::to_string(skew) + " s";
}

std::optional<std::string> give_system_time_zone(Program& program) {
  if (program.time_zone_name.empty()) return std::nullopt;
  auto zone = load_system_time_zone(program.time_zone_name);
  if (!zone.ok())
    return zone.diagnostics.empty() ? "no time-zone data" : zone.diagnostics[0].message;
  program.zone = std::move(zone.value->zone);
  return std::nullopt;
}

}  // namespace loyalty::server
