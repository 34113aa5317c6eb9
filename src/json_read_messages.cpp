// The cold half of json_read.cpp: what JsonReader runs only to report a problem (paths, the
// wording of values and rules) and the readers of merchant text, which only the program holds
// (and json_api reads a program once). Apart so the wasm build can compile the parser and the
// per-field getters for speed and this for size.
#include <charconv>
#include <cmath>

#include "json_number.hpp"
#include "json_read.hpp"
#include "json_write.hpp"

namespace loyalty::detail {

std::string integer_requirement(const IntegerRule& rule) {
  std::string text = "must be a whole number";
  if (!rule.noun.empty()) text += " of " + std::string(rule.noun);
  const bool no_min = rule.min <= -kMaxSafeInteger;
  const bool no_max = rule.max >= kMaxSafeInteger;
  if (no_min && no_max) return text;
  if (no_max && rule.min == 1) return text + " greater than 0";
  if (no_max) return text + ", " + std::to_string(rule.min) + " or more";
  if (no_min) return text + ", at most " + std::to_string(rule.max);
  return text + " from " + std::to_string(rule.min) + " to " + std::to_string(rule.max);
}

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string escape_pointer_token(std::string_view token) {
  std::string escaped;
  escaped.reserve(token.size());
  for (char c : token) {
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

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t invalid_length = 0;
    const std::size_t length = utf8_sequence_length(text, at, invalid_length);
    if (length > 0) {
      out.append(text.substr(at, length));
      at += length;
    } else {
      out += '?';
      ++at;
    }
  }
  return out;
}

bool looks_like_language_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 64) return false;
  std::size_t start = 0;
  bool first = true;
  while (start <= tag.size()) {
    std::size_t end = tag.find('-', start);
    if (end == std::string_view::npos) end = tag.size();
    const std::string_view part = tag.substr(start, end - start);
    if (first) {
      if (part.size() < 2 || part.size() > 8) return false;
      for (char c : part)
        if (!is_alpha(c)) return false;
    } else {
      if (part.empty() || part.size() > 8) return false;
      for (char c : part)
        if (!is_alnum(c)) return false;
    }
    first = false;
    if (end == tag.size()) break;
    start = end + 1;
  }
  return true;
}

// ----- JsonReader: paths, messages, merchant text -----

std::string JsonReader::path() const {
  std::string out = prefix_;
  for (std::size_t i = 0; i < step_count_; ++i) {
    const Step& step = steps_[i];
    out += '/';
    if (step.key) {
      out += escape_pointer_token(std::string_view(step.key, step.size_or_index));
    } else {
      out += std::to_string(step.size_or_index);
    }
  }
  return out;
}

void JsonReader::error(std::string message) const {
  diagnostics_->error(path(), std::move(message));
}

void JsonReader::warning(std::string message) const {
  diagnostics_->warning(path(), std::move(message));
}

void JsonReader::error_at(std::string_view key, std::string message) const {
  diagnostics_->error(child_path(key), std::move(message));
}

void JsonReader::warning_at(std::string_view key, std::string message) const {
  diagnostics_->warning(child_path(key), std::move(message));
}

std::string JsonReader::child_path(std::string_view key) const {
  return path() + "/" + escape_pointer_token(key);
}

std::string JsonReader::child_path(std::size_t index) const {
  return path() + "/" + std::to_string(index);
}

void JsonReader::error_got(std::string requirement) const {
  error(requirement + " (got " + describe() + ")");
}

void JsonReader::error_too_many(std::size_t max_count) const {
  error("has too many entries: at most " + std::to_string(max_count) + " (got " +
        std::to_string(value_->count) + ")");
}

std::string JsonReader::describe() const {
  char digits[24];
  switch (value_->type) {
    case JsonType::null:
      return "null";
    case JsonType::boolean:
      return value_->boolean ? "true" : "false";
    case JsonType::integer:
      return std::string(digits,
                         std::to_chars(digits, digits + sizeof digits, value_->integer).ptr);
    case JsonType::unsigned_integer:
      return std::string(
          digits, std::to_chars(digits, digits + sizeof digits, value_->unsigned_integer).ptr);
    case JsonType::floating:
      return sanitize_utf8(document_->text(*value_));
    case JsonType::string: {
      std::string_view text = document_->text(*value_);
      constexpr std::size_t kShown = 40;
      std::string out;
      if (text.size() <= kShown) {
        append_json_string(out, text);
        return out;
      }
      std::size_t cut = kShown;  // back up to a code point boundary
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      append_json_string(out, std::string(text.substr(0, cut)) + "...");
      return out;
    }
    case JsonType::array:
      return "a list";
    case JsonType::object:
      return "an object";
  }
  return "a value";
}

std::optional<LocalizedText> JsonReader::as_text() const {
  LocalizedText text;
  if (value_->type == JsonType::string) {
    auto plain = as_string();
    if (!plain) return std::nullopt;
    text.variants.emplace_back("", *plain);
    return text;
  }
  if (value_->type != JsonType::object) {
    error_got("must be text or an object of translations such as {\"en\": \"...\"}");
    return std::nullopt;
  }
  if (value_->count == 0) {
    error("must have at least one translation, such as {\"en\": \"...\"}");
    return std::nullopt;
  }
  auto members = as_members(200);
  if (!members) return std::nullopt;
  bool ok = true;
  for (const auto& [tag, member] : *members) {
    if (!looks_like_language_tag(tag)) {
      member.error("is not a language tag; use a BCP 47 tag such as \"en\", \"lv\" or \"zh-Hant\"");
      ok = false;
      continue;
    }
    auto translation = member.as_string();
    if (!translation) {
      ok = false;
      continue;
    }
    text.variants.emplace_back(tag, *translation);
  }
  if (!ok) return std::nullopt;
  return text;
}

std::optional<std::vector<std::pair<std::string, JsonReader>>> JsonReader::as_members(
    std::size_t max_count) const {
  if (!expect_object()) return std::nullopt;
  if (value_->count > max_count) {
    error_too_many(max_count);
    return std::nullopt;
  }
  std::vector<std::pair<std::string, JsonReader>> members;
  members.reserve(value_->count);
  const JsonNode* item = value_ + 1;
  for (std::size_t index = 0; index < value_->count; ++index, item += item->span)
    members.emplace_back(std::string(document_->key(*item)), member(*item));
  return members;
}

}  // namespace loyalty::detail
