#include "http_request.hpp"

namespace loyalty::server {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

/// %-decodes `text` into `out` ('+' is a space in a query); false on a bad escape or, when
/// `refuse_controls`, a decoded control character.
bool decode(std::string_view text, bool plus_is_space, bool refuse_controls, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return false;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (refuse_controls && is_control(static_cast<unsigned char>(c))) return false;
    out.push_back(c);
  }
  return true;
}

}  // namespace

bool parse_target(std::string_view target, Request& request) {
  if (target.empty() || target[0] != '/') return false;
  for (char c : target)
    if (is_control(static_cast<unsigned char>(c)) || c == ' ') return false;
  const std::size_t question = target.find('?');
  if (!decode(target.substr(0, question), false, true, request.path)) return false;
  request.query.clear();
  if (question == std::string_view::npos) return true;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    std::string name, value;
    if (!decode(pair.substr(0, equals), true, true, name)) return false;
    if (equals != std::string_view::npos && !decode(pair.substr(equals + 1), true, true, value))
      return false;
    request.query.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace loyalty::server
