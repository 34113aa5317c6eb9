#include "http_json.hpp"

#include "loyalty/json_api.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {
namespace {

/// nlohmann's own tree builder behind a nesting check. The parser is not recursive, and a
/// container deeper than kMaxJsonDepth stops it before the tree holds it, so nothing recursive
/// (dump() for the idempotency hash, copies, comparisons) ever meets a deep value.
class DepthLimitedBuilder {
 public:
  using json = nlohmann::json;
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit DepthLimitedBuilder(json& root) : tree_(root, /*allow_exceptions=*/false) {}

  bool null() {
    counted();
    return tree_.null();
  }
  bool boolean(bool value) {
    counted();
    return tree_.boolean(value);
  }
  bool number_integer(number_integer_t value) {
    counted();
    return tree_.number_integer(value);
  }
  bool number_unsigned(number_unsigned_t value) {
    counted();
    return tree_.number_unsigned(value);
  }
  bool number_float(number_float_t value, const string_t& text) {
    counted();
    return tree_.number_float(value, text);
  }
  bool string(string_t& value) {
    counted();
    return tree_.string(value);
  }
  bool binary(binary_t& /*value*/) { return false; }  // JSON text has no binary values
  bool key(string_t& name) {
    key_ = name;
    return tree_.key(name);
  }
  bool start_object(std::size_t size) { return open(false) && tree_.start_object(size); }
  bool end_object() {
    levels_.pop_back();
    return tree_.end_object();
  }
  bool start_array(std::size_t size) { return open(true) && tree_.start_array(size); }
  bool end_array() {
    levels_.pop_back();
    return tree_.end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& exception) {
    return tree_.parse_error(position, token, exception);
  }

  /// The JSON Pointer of the first container too deep; nullopt when there was none.
  const std::optional<std::string>& too_deep_at() const { return too_deep_at_; }

 private:
  struct Level {
    bool array;
    std::size_t count;  // values started in it so far
    std::string token;  // the pointer step from its parent to it
  };

  /// Counts a value in its container (array indexes are the count).
  void counted() {
    if (!levels_.empty()) ++levels_.back().count;
  }
  /// The pointer step of the value starting now: its index or its member name.
  std::string next_token() const {
    if (levels_.empty()) return {};
    const Level& parent = levels_.back();
    if (parent.array) return std::to_string(parent.count);
    std::string escaped;
    for (char c : key_) {
      if (c == '~') {
        escaped += "~0";
      } else if (c == '/') {
        escaped += "~1";
      } else {
        escaped += c;
      }
    }
    return escaped;
  }
  bool open(bool array) {
    std::string token = next_token();
    if (levels_.size() >= kMaxJsonDepth) {
      std::string path;
      for (std::size_t level = 1; level < levels_.size(); ++level)
        path += "/" + levels_[level].token;
      too_deep_at_ = path + "/" + token;
      return false;
    }
    counted();
    levels_.push_back(Level{array, 0, std::move(token)});
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> tree_;
  std::vector<Level> levels_;  // the containers open now, outermost first
  std::string key_;            // the member name whose value comes next
  std::optional<std::string> too_deep_at_;
};

}  // namespace

std::optional<ApiResponse> parse_request_json(std::string_view text, nlohmann::json& out) {
  out = nlohmann::json();
  DepthLimitedBuilder builder(out);
  const bool parsed = nlohmann::json::sax_parse(
      text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json, /*strict=*/true);
  if (const auto& path = builder.too_deep_at()) {
    out = nlohmann::json(nlohmann::json::value_t::discarded);
    return error_response(400, "request.tooDeep",
                          *path + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
                              " levels, the most any JSON input may have",
                          *path, {{"limit", kMaxJsonDepth}});
  }
  if (!parsed) {
    out = nlohmann::json(nlohmann::json::value_t::discarded);
    return error_response(400, "request.malformedJson", "The request body is not valid JSON.");
  }
  return std::nullopt;
}

ApiResponse json_response(int status, const nlohmann::json& body) {
  ApiResponse response;
  response.status = status;
  // Replacing invalid UTF-8 keeps a stored but odd string from turning into a crash.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

ApiResponse text_response(int status, std::string body) {
  ApiResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

ApiResponse error_response(int status, std::string_view code, std::string_view message,
                           std::string_view path, const nlohmann::json& extra) {
  nlohmann::json error = {
      {"code", std::string(code)}, {"message", std::string(message)}, {"path", std::string(path)}};
  if (extra.is_object())
    for (const auto& [key, value] : extra.items()) error[key] = value;
  return json_response(status, {{"error", error}});
}

std::string_view default_error_code(int status) {
  switch (status) {
    case 400:
      return "request.malformed";
    case 401:
      return "auth.required";
    case 403:
      return "auth.forbidden";
    case 404:
      return "request.notFound";
    case 405:
      return "request.methodNotAllowed";
    case 408:
      return "request.timeout";
    case 409:
      return "request.conflict";
    case 413:
      return "request.tooLarge";
    case 431:
      return "request.headersTooLarge";
    case 422:
      return "request.invalid";
    case 429:
      return "request.rateLimited";
    case 503:
      return "server.unavailable";
    default:
      return status >= 500 ? "server.error" : "request.error";
  }
}

std::string_view default_error_message(int status) {
  switch (status) {
    case 400:
      return "The request could not be read.";
    case 401:
      return "Sign in again: the credentials are missing or not valid.";
    case 403:
      return "These credentials do not allow this request.";
    case 404:
      return "There is nothing at this address.";
    case 405:
      return "This address does not accept that method.";
    case 408:
      return "The request did not arrive in time.";
    case 413:
      return "The request body is too large.";
    case 431:
      return "The request's headers are too many or too large.";
    case 429:
      return "Too many requests; try again later.";
    case 503:
      return "The server is busy; try again shortly.";
    default:
      return status >= 500 ? "The server failed; try again later." : "Request refused.";
  }
}

BodyReader::BodyReader(std::string_view text) : sink_(&error_) {
  if ((error_ = parse_request_json(text, json_))) {
    // not JSON, or nested too deep
  } else if (!json_.is_object()) {
    error_ = error_response(400, "request.malformed", "The request body must be a JSON object.");
  }
}

BodyReader::BodyReader(const nlohmann::json& value, std::string path,
                       std::optional<ApiResponse>* sink)
    : json_(value), path_(std::move(path)), sink_(sink) {}

void BodyReader::fail(std::string_view key, std::string message) {
  fail_at("/" + std::string(key), std::move(message));
}

void BodyReader::fail_at(std::string_view pointer, std::string message) {
  if (sink_->has_value()) return;
  std::string path = path_ + std::string(pointer);
  *sink_ = error_response(400, "request.invalidField", path + ": " + message, path);
  if (sink_ != &error_) error_ = *sink_;
}

const nlohmann::json* BodyReader::member(std::string_view key, Need need) {
  if (!json_.is_object()) return nullptr;
  auto found = json_.find(std::string(key));
  if (found == json_.end() || found->is_null()) {
    if (need == Need::required) fail(key, "is required");
    return nullptr;
  }
  return &*found;
}

std::optional<std::string> BodyReader::string(std::string_view key, Need need,
                                              std::size_t max_length) {
  const auto* value = member(key, need);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty()) {
    fail(key, "must not be empty");
    return std::nullopt;
  }
  if (text.size() > max_length) {
    fail(key, "must be at most " + std::to_string(max_length) + " characters");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> BodyReader::integer(std::string_view key, Need need, std::int64_t min,
                                                std::int64_t max) {
  const auto* value = member(key, need);
  if (!value) return std::nullopt;
  std::optional<std::int64_t> number;
  if (value->is_number_integer()) {
    if (value->is_number_unsigned()) {
      auto unsigned_value = value->get<std::uint64_t>();
      if (unsigned_value <= static_cast<std::uint64_t>(kMaxSafeInteger))
        number = static_cast<std::int64_t>(unsigned_value);
    } else {
      number = value->get<std::int64_t>();
    }
  } else if (!value->is_number()) {
    fail(key, "must be a whole number, not " + std::string(value->type_name()));
    return std::nullopt;
  } else {
    fail(key, "must be a whole number (no fractions)");
    return std::nullopt;
  }
  if (!number || *number < min || *number > max) {
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<std::int64_t> BodyReader::instant(std::string_view key, Need need) {
  auto text = string(key, need, 64);
  if (!text) return std::nullopt;
  auto parsed = parse_instant(*text);
  if (!parsed) {
    fail(key, "must be an RFC 3339 instant with an offset, like 2026-11-23T10:00:00-05:00");
    return std::nullopt;
  }
  return parsed->epoch;
}

std::optional<BodyReader> BodyReader::object(std::string_view key, Need need) {
  const auto* value = member(key, need);
  if (!value) return std::nullopt;
  if (!value->is_object()) {
    fail(key, "must be an object");
    return std::nullopt;
  }
  return BodyReader(*value, path_ + "/" + std::string(key), sink_);
}

}  // namespace loyalty::server
