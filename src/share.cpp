#include "loyalty/share.hpp"

#include <cstddef>

namespace loyalty {

namespace {

bool is_unreserved(unsigned char byte) {
  return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
         (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~';
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool is_host_byte(unsigned char byte) {
  return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
         (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
         byte >= 0x80;  // internationalised names, sent as UTF-8
}

bool is_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// "[::1]" or "[2001:db8::1]": hex digits, colons and dots between brackets.
bool is_ipv6_literal(std::string_view text) {
  if (text.size() < 4 || text.front() != '[' || text.back() != ']') return false;
  for (char c : text.substr(1, text.size() - 2)) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':' && c != '.') return false;
  }
  return true;
}

bool is_authority(std::string_view authority) {
  if (authority.empty()) return false;
  std::string_view host = authority;
  std::size_t port_colon = std::string_view::npos;
  if (authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return false;
      port_colon = close + 1;
    }
    if (!is_ipv6_literal(host)) return false;
  } else {
    port_colon = authority.find(':');
    host = authority.substr(0, port_colon);
    if (host.empty() || host.front() == '.' || host.front() == '-') return false;
    for (char c : host)
      if (!is_host_byte(static_cast<unsigned char>(c))) return false;
  }
  if (port_colon != std::string_view::npos && !is_port(authority.substr(port_colon + 1)))
    return false;
  return true;
}

// Appends "&name=value" (or "?name=value") to a URL without a fragment.
void append_query(std::string& url, std::string_view name, std::string_view encoded_value) {
  std::size_t question = url.find('?');
  if (question == std::string::npos) {
    url += '?';
  } else if (url.back() != '?' && url.back() != '&') {
    url += '&';
  }
  url += name;
  url += '=';
  url += encoded_value;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte)) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

bool is_http_url(std::string_view text) {
  std::size_t scheme_length = 0;
  if (starts_with_ignoring_case(text, "https://")) {
    scheme_length = 8;
  } else if (starts_with_ignoring_case(text, "http://")) {
    scheme_length = 7;
  } else {
    return false;
  }
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    // Browsers read "\" as "/" in http URLs, which would change the host a reader sees.
    if (byte <= 0x20 || byte == 0x7F || c == '\\') return false;
  }
  std::string_view rest = text.substr(scheme_length);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  // "https://shop.example@evil.example/" shows one host and opens another.
  if (authority.find('@') != std::string_view::npos) return false;
  return is_authority(authority);
}

std::optional<std::string> referral_link(std::string_view landing_url, std::string_view code) {
  if (!is_http_url(landing_url) || code.empty()) return std::nullopt;
  const std::string encoded_code = percent_encode(code);
  constexpr std::string_view kPlaceholder = "{code}";
  std::string link;
  if (landing_url.find(kPlaceholder) != std::string_view::npos) {
    std::size_t from = 0;
    for (std::size_t at = landing_url.find(kPlaceholder); at != std::string_view::npos;
         at = landing_url.find(kPlaceholder, from)) {
      link.append(landing_url.substr(from, at - from));
      link += encoded_code;
      from = at + kPlaceholder.size();
    }
    link.append(landing_url.substr(from));
  } else {
    std::size_t hash = landing_url.find('#');
    link = std::string(landing_url.substr(0, hash));
    append_query(link, "ref", encoded_code);
    if (hash != std::string_view::npos) link.append(landing_url.substr(hash));
  }
  if (!is_http_url(link)) return std::nullopt;
  return link;
}

bool is_referral_code(std::string_view code) {
  constexpr std::size_t kMaxReferralCode = 64;
  if (code.empty() || code.size() > kMaxReferralCode) return false;
  for (char c : code) {
    bool letter_or_digit =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!letter_or_digit && c != '-' && c != '_') return false;
  }
  return true;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "%41" -> "A"; a broken escape makes the whole value unreadable.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

std::optional<std::string> checked_code(std::string_view raw) {
  auto code = percent_decode(raw);
  if (!code || !is_referral_code(*code)) return std::nullopt;
  return code;
}

// The value of the first `name` parameter in the query of `url`, still encoded.
std::optional<std::string_view> query_parameter(std::string_view url, std::string_view name) {
  std::size_t hash = url.find('#');
  std::string_view before_fragment = url.substr(0, hash);
  std::size_t question = before_fragment.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = before_fragment.substr(question + 1);
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name)
      return pair.substr(equals + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

// Scheme and host compare without case; the rest of the URL exactly.
bool same_url_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  std::size_t scheme_end = a.find("//");
  std::size_t authority_end =
      a.find('/', scheme_end == std::string_view::npos ? 0 : scheme_end + 2);
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (i < authority_end) {
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    }
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> referral_code_in_url(std::string_view landing_url,
                                                std::string_view page_url) {
  if (!is_http_url(page_url)) return std::nullopt;
  if (auto ref = query_parameter(page_url, "ref")) return checked_code(*ref);
  constexpr std::string_view kPlaceholder = "{code}";
  std::size_t at = landing_url.find(kPlaceholder);
  if (at == std::string_view::npos || !is_http_url(landing_url)) return std::nullopt;
  std::string_view prefix = landing_url.substr(0, at);
  if (page_url.size() < prefix.size() || !same_url_text(prefix, page_url.substr(0, prefix.size())))
    return std::nullopt;
  std::string_view rest = page_url.substr(prefix.size());
  // The code runs to the first character that can't be in one; the landing URL's text after
  // "{code}" must follow it, up to its own query or fragment.
  std::size_t end = rest.find_first_of("/?#&.");
  std::string_view raw = rest.substr(0, end);
  std::string_view after = landing_url.substr(at + kPlaceholder.size());
  std::string_view expected = after.substr(0, after.find_first_of("?#"));
  std::string_view found = rest.substr(raw.size());
  if (found.substr(0, expected.size()) != expected) return std::nullopt;
  return checked_code(raw);
}

std::string fill_share_message(std::string_view message_template,
                               const ShareMessageFields& fields) {
  std::string out;
  out.reserve(message_template.size() + fields.link.size());
  std::size_t i = 0;
  while (i < message_template.size()) {
    if (message_template[i] == '{') {
      std::size_t close = message_template.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = message_template.substr(i + 1, close - i - 1);
        const std::string* value = nullptr;
        if (name == "firstName") value = &fields.first_name;
        if (name == "shop") value = &fields.shop;
        if (name == "link") value = &fields.link;
        if (name == "code") value = &fields.code;
        if (name == "friendReward" && !fields.friend_reward.empty()) value = &fields.friend_reward;
        if (value) {
          out += *value;
          i = close + 1;
          continue;
        }
      }
    }
    out += message_template[i];
    ++i;
  }
  return out;
}

std::vector<ShareLink> share_links(const std::vector<ShareChannel>& channels,
                                   const ShareInput& input) {
  std::vector<ShareLink> links;
  if (!is_http_url(input.link)) return links;
  const std::string link = percent_encode(input.link);
  const std::string message = percent_encode(input.message);
  // WhatsApp and e-mail have one text field, so the link must be in it.
  const std::string message_with_link =
      input.message.find(input.link) != std::string::npos
          ? message
          : percent_encode(input.message.empty() ? input.link : input.message + " " + input.link);
  for (ShareChannel channel : channels) {
    std::string url;
    switch (channel) {
      case ShareChannel::facebook:
        url = "https://www.facebook.com/sharer/sharer.php?u=" + link;
        break;
      case ShareChannel::messenger:
        if (input.messenger_app_id.empty()) continue;
        url = "https://www.facebook.com/dialog/send?app_id=" +
              percent_encode(input.messenger_app_id) + "&link=" + link + "&redirect_uri=" + link;
        break;
      case ShareChannel::pinterest:
        url =
            "https://www.pinterest.com/pin/create/button/?url=" + link + "&description=" + message;
        break;
      case ShareChannel::telegram:
        url = "https://t.me/share/url?url=" + link + "&text=" + message;
        break;
      case ShareChannel::x:
        url = "https://x.com/intent/tweet?text=" + message + "&url=" + link;
        break;
      case ShareChannel::whatsapp:
        url = "https://wa.me/?text=" + message_with_link;
        break;
      case ShareChannel::email:
        url = "mailto:?subject=" + percent_encode(input.subject) + "&body=" + message_with_link;
        break;
      case ShareChannel::copy:
      case ShareChannel::native:
        url = input.link;
        break;
    }
    links.push_back({channel, std::move(url)});
  }
  return links;
}

}  // namespace loyalty
