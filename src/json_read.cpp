#include "json_read.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "json_write.hpp"

namespace loyalty::detail {
namespace {

using nlohmann::json;

}  // namespace

static_assert(sizeof(JsonNode) <= 32, "a document costs its node count times this");

/// Builds a JsonDocument from nlohmann's SAX events, records where parsing failed, and refuses
/// nesting deep enough to exhaust the stack of recursive consumers.
class JsonDocumentBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  JsonDocumentBuilder(JsonDocument& document, std::size_t text_size)
      : document_(document), max_values_(std::max(kMaxDocumentValues, text_size / 8)) {
    document_.nodes_.reserve(std::min(text_size / 16 + 1, max_values_));
    document_.strings_.reserve(text_size / 2);
  }

  bool null() { return add(JsonType::null); }
  bool boolean(bool value) {
    if (!add(JsonType::boolean)) return false;
    last().boolean = value;
    return true;
  }
  bool number_integer(number_integer_t value) {
    if (!add(JsonType::integer)) return false;
    last().integer = value;
    return true;
  }
  bool number_unsigned(number_unsigned_t value) {
    if (!add(JsonType::unsigned_integer)) return false;
    last().unsigned_integer = value;
    return true;
  }
  bool number_float(number_float_t /*value*/, const string_t& text) {
    if (!add(JsonType::floating)) return false;
    last().text = store(text);
    return true;
  }
  bool string(string_t& value) {
    if (!add(JsonType::string)) return false;
    last().text = store(value);
    return true;
  }
  bool binary(binary_t& /*value*/) { return false; }  // JSON text has no binary values
  bool key(string_t& value) {
    key_ = store(value);
    return true;
  }
  bool start_object(std::size_t /*size*/) { return open(JsonType::object); }
  bool end_object() { return close(); }
  bool start_array(std::size_t /*size*/) { return open(JsonType::array); }
  bool end_array() { return close(); }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const Exception& exception) {
    failed_ = true;
    error_position_ = position;
    error_text_ = exception.what();
    return false;
  }

  bool failed() const { return failed_; }
  bool too_deep() const { return too_deep_; }
  const std::string& too_deep_path() const { return too_deep_path_; }
  bool too_many() const { return too_many_; }
  std::size_t max_values() const { return max_values_; }
  std::size_t error_position() const { return error_position_; }
  const std::string& error_text() const { return error_text_; }

 private:
  /// Appends a value, counting it in its container and naming it after the pending key.
  bool add(JsonType type) {
    auto& nodes = document_.nodes_;
    if (nodes.size() >= max_values_) {
      too_many_ = true;
      return false;
    }
    nodes.emplace_back();
    JsonNode& node = nodes.back();
    node.type = type;
    if (!open_.empty()) {
      JsonNode& parent = nodes[open_.back()];
      ++parent.count;
      if (parent.type == JsonType::object) node.key = key_;
    }
    return true;
  }
  JsonNode& last() { return document_.nodes_.back(); }
  JsonText store(const std::string& text) {
    const JsonText where{static_cast<std::uint32_t>(document_.strings_.size()),
                         static_cast<std::uint32_t>(text.size())};
    document_.strings_ += text;
    return where;
  }
  bool open(JsonType type) {
    if (open_.size() >= kMaxNestingDepth) {
      too_deep_ = true;
      too_deep_path_ = open_path();
      return false;
    }
    if (!add(type)) return false;
    open_.push_back(static_cast<std::uint32_t>(document_.nodes_.size() - 1));
    return true;
  }
  /// The JSON Pointer of the value about to be added: the steps through every open container.
  std::string open_path() const {
    const auto& nodes = document_.nodes_;
    const auto key_of = [this](JsonText text) {
      return escape_pointer_token(
          std::string_view(document_.strings_.data() + text.offset, text.size));
    };
    std::string path;
    for (std::size_t level = 0; level < open_.size(); ++level) {
      const JsonNode& parent = nodes[open_[level]];
      const bool last = level + 1 == open_.size();
      path += '/';
      if (parent.type == JsonType::object) {
        path += key_of(last ? key_ : nodes[open_[level + 1]].key);
      } else {  // the open child was counted when added; the next one is not yet
        path += std::to_string(last ? parent.count : parent.count - 1);
      }
    }
    return path;
  }
  bool close() {
    const std::uint32_t index = open_.back();
    open_.pop_back();
    document_.nodes_[index].span = static_cast<std::uint32_t>(document_.nodes_.size() - index);
    return true;
  }

  JsonDocument& document_;
  std::vector<std::uint32_t> open_;  // the containers being filled, outermost first
  JsonText key_ = {0, 0};            // the name of the member whose value comes next
  std::size_t max_values_;
  bool failed_ = false;
  bool too_deep_ = false;
  bool too_many_ = false;
  std::string too_deep_path_;  // where the first container too deep would have opened
  std::size_t error_position_ = 0;
  std::string error_text_;
};

namespace {

/// nlohmann's messages start "[json.exception.parse_error.101] parse error at line 1, column 5: ";
/// keep the line/column and the explanation.
std::string plain_parse_message(const std::string& what) {
  std::string text = what;
  auto bracket = text.find("] ");
  if (bracket != std::string::npos) text = text.substr(bracket + 2);
  const std::string prefix = "parse error ";
  if (text.compare(0, prefix.size(), prefix) == 0) text = text.substr(prefix.size());
  return text;
}

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

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::optional<JsonDocument> parse_json_document(std::string_view text, Diagnostics& diagnostics) {
  // Offsets into the document are 32-bit; contract documents are a few megabytes at most.
  if (text.size() > 0x7FFFFFFF) {
    diagnostics.error("", "is too large to read (" + std::to_string(text.size()) + " bytes)");
    return std::nullopt;
  }
  JsonDocument document;
  JsonDocumentBuilder builder(document, text.size());
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json,
                                  /*strict=*/true, /*ignore_comments=*/false);
  if (ok && !builder.failed()) return document;
  if (builder.too_deep()) {
    diagnostics.error(builder.too_deep_path(), nesting_limit_message());
  } else if (builder.too_many()) {
    diagnostics.error("", "holds more than " + std::to_string(builder.max_values()) +
                              " values; contract documents hold far fewer");
  } else if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.error("", "is empty; expected a JSON document");
  } else {
    diagnostics.error("", sanitize_utf8("is not valid JSON: error at byte " +
                                        std::to_string(builder.error_position()) + " (" +
                                        plain_parse_message(builder.error_text()) + ")"));
  }
  return std::nullopt;
}

std::string nesting_limit_message() {
  return "nested deeper than " + std::to_string(kMaxNestingDepth) +
         " levels, the most any JSON input may have";
}

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

// ----- JsonReader -----

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

JsonReader JsonReader::with_step(const JsonNode& value, Step step) const {
  JsonReader child = *this;
  child.value_ = &value;
  if (child.step_count_ == kInlineSteps) {
    child.prefix_ = path();
    child.step_count_ = 0;
  }
  child.steps_[child.step_count_++] = step;
  return child;
}

JsonReader JsonReader::member(const JsonNode& value) const {
  // The name points into the document, which outlives every reader of it.
  const std::string_view key = document_->key(value);
  return with_step(value, Step{key.data(), key.size()});
}

JsonReader JsonReader::element(const JsonNode& value, std::size_t index) const {
  return with_step(value, Step{nullptr, index});
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

std::string JsonReader::child_path(std::string_view key) const {
  return path() + "/" + escape_pointer_token(key);
}

std::string JsonReader::child_path(std::size_t index) const {
  return path() + "/" + std::to_string(index);
}

double JsonReader::number() const {
  switch (value_->type) {
    case JsonType::integer:
      return static_cast<double>(value_->integer);
    case JsonType::unsigned_integer:
      return static_cast<double>(value_->unsigned_integer);
    case JsonType::floating:  // read as nlohmann's lexer reads it, with std::strtod
      return std::strtod(std::string(document_->text(*value_)).c_str(), nullptr);
    default:
      return 0;
  }
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

bool JsonReader::expect_object() const {
  if (value_->type == JsonType::object) return true;
  error("must be an object (got " + describe() + ")");
  return false;
}

std::optional<std::string> JsonReader::as_string(bool allow_empty) const {
  if (value_->type != JsonType::string) {
    error("must be text (got " + describe() + ")");
    return std::nullopt;
  }
  const std::string_view text = document_->text(*value_);
  if (text.size() > kMaxStringLength) {
    error("is too long: at most " + std::to_string(kMaxStringLength) + " characters (got " +
          std::to_string(text.size()) + ")");
    return std::nullopt;
  }
  if (!allow_empty && text.empty()) {
    error("must not be empty");
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::int64_t> JsonReader::as_integer(const IntegerRule& rule) const {
  std::optional<std::int64_t> number;
  bool integral_but_huge = false;
  if (value_->type == JsonType::unsigned_integer) {
    const std::uint64_t raw = value_->unsigned_integer;
    if (raw <= static_cast<std::uint64_t>(kMaxSafeInteger)) {
      number = static_cast<std::int64_t>(raw);
    } else {
      integral_but_huge = true;
    }
  } else if (value_->type == JsonType::integer) {
    const std::int64_t raw = value_->integer;
    if (raw >= -kMaxSafeInteger && raw <= kMaxSafeInteger) {
      number = raw;
    } else {
      integral_but_huge = true;
    }
  } else if (value_->type == JsonType::floating) {
    // 2.0 and 1e3 are whole numbers; JavaScript writes them without a fraction anyway.
    const double raw = JsonReader::number();
    if (std::isfinite(raw) && std::floor(raw) == raw) {
      if (std::fabs(raw) <= static_cast<double>(kMaxSafeInteger)) {
        number = static_cast<std::int64_t>(raw);
      } else {
        integral_but_huge = true;
      }
    }
  }
  if (integral_but_huge) {
    error("is too large: " + integer_requirement(rule) +
          " between -9007199254740991 and 9007199254740991 (got " + describe() + ")");
    return std::nullopt;
  }
  if (!number || *number < rule.min || *number > rule.max) {
    error(integer_requirement(rule) + " (got " + describe() + ")");
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonReader::as_bool() const {
  if (value_->type != JsonType::boolean) {
    error("must be true or false (got " + describe() + ")");
    return std::nullopt;
  }
  return value_->boolean;
}

std::optional<ZonedInstant> JsonReader::as_instant() const {
  if (value_->type == JsonType::string) {
    const std::string_view text = document_->text(*value_);
    if (text.size() <= 64) {
      if (auto instant = parse_instant(text)) return instant;
    }
  }
  error(
      "must be a date and time with a UTC offset, like \"2026-11-23T10:00:00-05:00\" or "
      "\"2026-11-23T15:00:00Z\" (got " +
      describe() + ")");
  return std::nullopt;
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
    error("must be text or an object of translations such as {\"en\": \"...\"} (got " + describe() +
          ")");
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

std::optional<std::size_t> JsonReader::as_choice(
    const std::vector<std::string_view>& allowed) const {
  return as_choice(allowed.data(), allowed.size());
}

std::optional<std::size_t> JsonReader::as_choice(const std::string_view* allowed,
                                                 std::size_t count) const {
  if (value_->type == JsonType::string) {
    const std::string_view text = document_->text(*value_);
    for (std::size_t i = 0; i < count; ++i)
      if (allowed[i] == text) return i;
  }
  std::string list;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) list += ", ";
    list += "\"" + std::string(allowed[i]) + "\"";
  }
  error("must be one of " + list + " (got " + describe() + ")");
  return std::nullopt;
}

std::optional<std::vector<JsonReader>> JsonReader::as_array(std::size_t max_count) const {
  if (value_->type != JsonType::array) {
    error("must be a list (got " + describe() + ")");
    return std::nullopt;
  }
  if (value_->count > max_count) {
    error("has too many entries: at most " + std::to_string(max_count) + " (got " +
          std::to_string(value_->count) + ")");
    return std::nullopt;
  }
  std::vector<JsonReader> elements;
  elements.reserve(value_->count);
  const JsonNode* item = value_ + 1;
  for (std::size_t index = 0; index < value_->count; ++index, item += item->span)
    elements.push_back(element(*item, index));
  return elements;
}

std::optional<std::vector<std::pair<std::string, JsonReader>>> JsonReader::as_members(
    std::size_t max_count) const {
  if (!expect_object()) return std::nullopt;
  if (value_->count > max_count) {
    error("has too many entries: at most " + std::to_string(max_count) + " (got " +
          std::to_string(value_->count) + ")");
    return std::nullopt;
  }
  std::vector<std::pair<std::string, JsonReader>> members;
  members.reserve(value_->count);
  const JsonNode* item = value_ + 1;
  for (std::size_t index = 0; index < value_->count; ++index, item += item->span)
    members.emplace_back(std::string(document_->key(*item)), member(*item));
  return members;
}

const JsonNode* JsonReader::find(std::string_view key) const {
  if (value_->type != JsonType::object) return nullptr;
  const JsonNode* found = nullptr;
  const JsonNode* item = value_ + 1;
  for (std::size_t index = 0; index < value_->count; ++index, item += item->span)
    if (document_->key(*item) == key) found = item;
  return found;
}

bool JsonReader::has(std::string_view key) const {
  const JsonNode* found = find(key);
  return found && found->type != JsonType::null;
}

bool JsonReader::contains(std::string_view key) const { return find(key) != nullptr; }

std::optional<JsonReader> JsonReader::optional(std::string_view key) const {
  const JsonNode* found = find(key);
  if (!found || found->type == JsonType::null) return std::nullopt;
  return member(*found);
}

std::optional<JsonReader> JsonReader::required(std::string_view key) const {
  auto member = optional(key);
  if (!member) error_at(key, "is required");
  return member;
}

void JsonReader::warn_unknown_fields(std::initializer_list<std::string_view> known) const {
  if (value_->type != JsonType::object) return;
  const JsonNode* item = value_ + 1;
  for (std::size_t index = 0; index < value_->count; ++index, item += item->span) {
    const std::string_view key = document_->key(*item);
    bool is_known = false;
    for (std::string_view name : known) {
      if (name == key) {
        is_known = true;
        break;
      }
    }
    if (!is_known) diagnostics_->warning(child_path(key), "unknown field, ignored");
  }
}

std::optional<std::string> JsonReader::required_string(std::string_view key) const {
  auto member = required(key);
  if (!member) return std::nullopt;
  return member->as_string(false);
}

std::optional<std::string> JsonReader::optional_string(std::string_view key) const {
  auto member = optional(key);
  if (!member) return std::nullopt;
  return member->as_string(true);
}

std::optional<std::int64_t> JsonReader::required_integer(std::string_view key,
                                                         const IntegerRule& rule) const {
  auto member = required(key);
  if (!member) return std::nullopt;
  return member->as_integer(rule);
}

std::optional<std::int64_t> JsonReader::optional_integer(std::string_view key,
                                                         const IntegerRule& rule) const {
  auto member = optional(key);
  if (!member) return std::nullopt;
  return member->as_integer(rule);
}

std::optional<bool> JsonReader::optional_bool(std::string_view key) const {
  auto member = optional(key);
  if (!member) return std::nullopt;
  return member->as_bool();
}

std::optional<ZonedInstant> JsonReader::required_instant(std::string_view key) const {
  auto member = required(key);
  if (!member) return std::nullopt;
  return member->as_instant();
}

std::optional<ZonedInstant> JsonReader::optional_instant(std::string_view key) const {
  auto member = optional(key);
  if (!member) return std::nullopt;
  return member->as_instant();
}

std::optional<LocalizedText> JsonReader::required_text(std::string_view key) const {
  auto member = required(key);
  if (!member) return std::nullopt;
  return member->as_text();
}

std::optional<LocalizedText> JsonReader::optional_text(std::string_view key) const {
  auto member = optional(key);
  if (!member) return std::nullopt;
  return member->as_text();
}

}  // namespace loyalty::detail
