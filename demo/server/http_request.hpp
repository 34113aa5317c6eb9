// A request as the endpoints see it: read whole and checked against the limits by the HTTP
// layer (http_server.hpp), with no tie to the library that parsed it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loyalty::server {

/// True when two header names are equal ignoring ASCII case.
inline bool same_header_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> query;  // decoded name=value pairs
  std::string body;
  std::string remote_addr;
  // The route pattern's captures: matches[0] is the whole path, matches[1] the first group.
  std::vector<std::string> matches;
  int route = -1;  // the application's route for this request, once known
  // The customer whose shopper token was verified while routing (before the body was read),
  // so that the endpoint need not verify it again; "" until then.
  std::string verified_customer;

  bool has_header(std::string_view name) const { return find_header(name) != nullptr; }
  /// The first value of `name`, or "" when absent.
  std::string get_header_value(std::string_view name) const {
    const std::string* value = find_header(name);
    return value ? *value : std::string();
  }
  bool has_param(std::string_view name) const { return find_param(name) != nullptr; }
  std::string get_param_value(std::string_view name) const {
    const std::string* value = find_param(name);
    return value ? *value : std::string();
  }

 private:
  const std::string* find_header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (same_header_name(key, name)) return &value;
    return nullptr;
  }
  const std::string* find_param(std::string_view name) const {
    for (const auto& [key, value] : query)
      if (key == name) return &value;
    return nullptr;
  }
};

/// Splits an HTTP request target ("/path?query") into the decoded path and query pairs of
/// `request`. False for a target that is not an absolute path, has a bad %-escape, or decodes
/// to a control character (NUL included) in the path: such a request is refused, never served.
bool parse_target(std::string_view target, Request& request);

}  // namespace loyalty::server
