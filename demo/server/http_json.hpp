// JSON answers and checked reading of request bodies, for every endpoint.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/money.hpp"

namespace loyalty::server {

/// What a handler answers: a status, a JSON body and extra headers.
struct ApiResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

ApiResponse json_response(int status, const nlohmann::json& body);
/// An answer whose body is already JSON text.
ApiResponse text_response(int status, std::string body);

/// {"error": {"code", "message", "path"}} plus any `extra` members inside "error".
ApiResponse error_response(int status, std::string_view code, std::string_view message,
                           std::string_view path = "",
                           const nlohmann::json& extra = nlohmann::json::object());

/// The generic error code for a status ("request.malformed" for 400, ...).
std::string_view default_error_code(int status);
std::string_view default_error_message(int status);

/// Parses a request body into `out`, refusing nesting deeper than loyalty::kMaxJsonDepth
/// while parsing (not recursively): then the 400 answer `request.tooDeep` naming the JSON
/// Pointer where the limit was crossed and the limit, e.g. "/a/0/b: nested deeper than 64
/// levels, ..."; `request.malformedJson` when it is not JSON. nullopt when `out` holds the body.
std::optional<ApiResponse> parse_request_json(std::string_view text, nlohmann::json& out);

/// Reads the members of a JSON object body, keeping the first problem as a 400 answer.
///   BodyReader body(request.body);
///   auto reward = body.string("rewardId", Need::required);
///   if (body.failed()) return *body.error();
class BodyReader {
 public:
  enum class Need { required, optional };

  explicit BodyReader(std::string_view text);
  bool failed() const { return error_.has_value(); }
  const std::optional<ApiResponse>& error() const { return error_; }
  const nlohmann::json& json() const { return json_; }

  /// A non-empty string of at most `max_length` bytes.
  std::optional<std::string> string(std::string_view key, Need need, std::size_t max_length = 256);
  /// An integer in [min, max] (JavaScript-safe by default).
  std::optional<std::int64_t> integer(std::string_view key, Need need,
                                      std::int64_t min = -kMaxSafeInteger,
                                      std::int64_t max = kMaxSafeInteger);
  /// An RFC 3339 instant with an offset, as seconds since the epoch.
  std::optional<std::int64_t> instant(std::string_view key, Need need);
  /// A member that must be an object, as a reader of its own (paths nest).
  std::optional<BodyReader> object(std::string_view key, Need need);
  /// Records a problem the caller found with member `key` (the first problem is the one kept).
  void fail(std::string_view key, std::string message);
  /// The same at a JSON Pointer inside this object ("/lines/2/amount"), for problems found by a
  /// reader of its own (the core's) in one of its members.
  void fail_at(std::string_view pointer, std::string message);

 private:
  BodyReader(const nlohmann::json& value, std::string path, std::optional<ApiResponse>* sink);
  const nlohmann::json* member(std::string_view key, Need need);

  nlohmann::json json_;
  std::string path_;
  std::optional<ApiResponse> error_;
  std::optional<ApiResponse>* sink_;  // where the first error goes (the root reader's)
};

}  // namespace loyalty::server
