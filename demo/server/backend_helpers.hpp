// What several of the backend's files share (backend.cpp and the *_routes.cpp files): the
// clock, the common error answers, referral codes and the messages for what start-up and the
// routes refuse. Internal to the server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http_json.hpp"
#include "loyalty/money.hpp"
#include "loyalty/program.hpp"
#include "loyalty/result.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {

/// The server's clock, in seconds and in milliseconds since the Unix epoch.
EpochSeconds unix_now();
std::int64_t unix_now_ms();

/// 503 server.storage: the store failed and nothing was changed.
ApiResponse storage_failure();
/// 503 program.notPublished.
ApiResponse no_program();
/// 404 customer.unknown for `id`.
ApiResponse unknown_customer(const std::string& id);

/// An instant as the API writes it, or JSON null.
nlohmann::json instant_or_null(const std::optional<EpochSeconds>& at);

/// Plain words for the core's refusal keys (`redeem.*`, `rule.*`, `order.*`).
std::string refusal_message(const std::string& key, Points points_to_go);

/// "ADA-7Q2K9M": up to four letters of the first name, then six random characters.
std::string make_referral_code(const std::string& first_name);

/// The first error's message, its JSON path in `path`.
std::string first_error(const std::vector<Diagnostic>& diagnostics, std::string& path);

/// Why an instant is refused: it lies further ahead of the server's clock than the skew allows.
std::string future_instant_message(EpochSeconds instant, EpochSeconds now, std::int64_t skew);

/// A program that names a timeZone takes its offsets from the system's time-zone data (the
/// browser builds the same from Intl). The error when the system has no such zone.
std::optional<std::string> give_system_time_zone(Program& program);

}  // namespace loyalty::server
