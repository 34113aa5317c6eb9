#include "email_key.hpp"

#include <algorithm>
#include <cctype>

namespace loyalty::server {

std::string normalize_email(std::string_view email) {
  std::string text;
  for (char c : email)
    if (!std::isspace(static_cast<unsigned char>(c)))
      text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto at = text.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) return {};
  std::string local = text.substr(0, at);
  std::string domain = text.substr(at + 1);
  if (auto plus = local.find('+'); plus != std::string::npos) local.resize(plus);
  if (domain == "googlemail.com") domain = "gmail.com";
  if (domain == "gmail.com") local.erase(std::remove(local.begin(), local.end(), '.'), local.end());
  if (local.empty()) return {};
  return local + "@" + domain;
}

}  // namespace loyalty::server
