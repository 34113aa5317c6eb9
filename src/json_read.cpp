#include "json_read.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace loyalty::detail {
namespace {

using nlohmann::json;

/// Builds the DOM like nlohmann's own parser, but records where parsing failed and refuses
/// nesting deep enough to exhaust the stack of recursive consumers.
class DocumentBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit DocumentBuilder(json& root) : dom_(root, false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(number_float_t value, const string_t& text) {
    return dom_.number_float(value, text);
  }
  bool string(string_t& value) { return dom_.string(value); }
  bool binary(binary_t& value) { return dom_.binary(value); }
  bool key(string_t& value) { return dom_.key(value); }
  bool start_object(std::size_t size) { return enter() && dom_.start_object(size); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t size) { return enter() && dom_.start_array(size); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
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
  std::size_t error_position() const { return error_position_; }
  const std::string& error_text() const { return error_text_; }

 private:
  bool enter() {
    if (++depth_ > kMaxNestingDepth) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t depth_ = 0;
  bool failed_ = false;
  bool too_deep_ = false;
  std::size_t error_position_ = 0;
  std::string error_text_;
};

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

std::optional<nlohmann::json> parse_json_document(std::string_view text, Diagnostics& diagnostics) {
  json root;
  DocumentBuilder builder(root);
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json,
                                  /*strict=*/true, /*ignore_comments=*/false);
  if (ok && !builder.failed()) return root;
  if (builder.too_deep()) {
    diagnostics.error("", "is nested more than " + std::to_string(kMaxNestingDepth) +
                              " levels deep; contract documents are much flatter");
  } else if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.error("", "is empty; expected a JSON document");
  } else {
    diagnostics.error("", sanitize_utf8("is not valid JSON: error at byte " +
                                        std::to_string(builder.error_position()) + " (" +
                                        plain_parse_message(builder.error_text()) + ")"));
  }
  return std::nullopt;
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
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      if (valid && k == 1) {  // reject overlong forms, surrogates and values above U+10FFFF
        if (lead == 0xE0 && next < 0xA0) valid = false;
        if (lead == 0xED && next > 0x9F) valid = false;
        if (lead == 0xF0 && next < 0x90) valid = false;
        if (lead == 0xF4 && next > 0x8F) valid = false;
      }
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

std::string describe_value(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "a list";
    case json::value_t::string: {
      const auto& text = value.get_ref<const json::string_t&>();
      constexpr std::size_t kShown = 40;
      if (text.size() <= kShown) return json(text).dump();
      std::size_t cut = kShown;  // back up to a code point boundary
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      return json(text.substr(0, cut) + "...").dump();
    }
    default:
      return value.dump();
  }
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

JsonReader JsonReader::with_step(const nlohmann::json& value, Step step) const {
  JsonReader child = *this;
  child.value_ = &value;
  if (child.step_count_ == kInlineSteps) {
    child.prefix_ = path();
    child.step_count_ = 0;
  }
  child.steps_[child.step_count_++] = step;
  return child;
}

JsonReader JsonReader::member(const nlohmann::json& value, std::string_view key) const {
  return with_step(value, Step{key.data(), key.size()});
}

JsonReader JsonReader::element(const nlohmann::json& value, std::size_t index) const {
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

bool JsonReader::expect_object() const {
  if (value_->is_object()) return true;
  error("must be an object (got " + describe_value(*value_) + ")");
  return false;
}

std::optional<std::string> JsonReader::as_string(bool allow_empty) const {
  if (!value_->is_string()) {
    error("must be text (got " + describe_value(*value_) + ")");
    return std::nullopt;
  }
  const auto& text = value_->get_ref<const json::string_t&>();
  if (text.size() > kMaxStringLength) {
    error("is too long: at most " + std::to_string(kMaxStringLength) + " characters (got " +
          std::to_string(text.size()) + ")");
    return std::nullopt;
  }
  if (!allow_empty && text.empty()) {
    error("must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> JsonReader::as_integer(const IntegerRule& rule) const {
  std::optional<std::int64_t> number;
  bool integral_but_huge = false;
  if (value_->is_number_unsigned()) {
    const auto raw = value_->get<json::number_unsigned_t>();
    if (raw <= static_cast<std::uint64_t>(kMaxSafeInteger)) {
      number = static_cast<std::int64_t>(raw);
    } else {
      integral_but_huge = true;
    }
  } else if (value_->is_number_integer()) {
    const auto raw = value_->get<json::number_integer_t>();
    if (raw >= -kMaxSafeInteger && raw <= kMaxSafeInteger) {
      number = raw;
    } else {
      integral_but_huge = true;
    }
  } else if (value_->is_number_float()) {
    // 2.0 and 1e3 are whole numbers; JavaScript writes them without a fraction anyway.
    const double raw = value_->get<json::number_float_t>();
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
          " between -9007199254740991 and 9007199254740991 (got " + describe_value(*value_) + ")");
    return std::nullopt;
  }
  if (!number || *number < rule.min || *number > rule.max) {
    error(integer_requirement(rule) + " (got " + describe_value(*value_) + ")");
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonReader::as_bool() const {
  if (!value_->is_boolean()) {
    error("must be true or false (got " + describe_value(*value_) + ")");
    return std::nullopt;
  }
  return value_->get<bool>();
}

std::optional<ZonedInstant> JsonReader::as_instant() const {
  if (value_->is_string()) {
    const auto& text = value_->get_ref<const json::string_t&>();
    if (text.size() <= 64) {
      if (auto instant = parse_instant(text)) return instant;
    }
  }
  error(
      "must be a date and time with a UTC offset, like \"2026-11-23T10:00:00-05:00\" or "
      "\"2026-11-23T15:00:00Z\" (got " +
      describe_value(*value_) + ")");
  return std::nullopt;
}

std::optional<LocalizedText> JsonReader::as_text() const {
  LocalizedText text;
  if (value_->is_string()) {
    auto plain = as_string();
    if (!plain) return std::nullopt;
    text.variants.emplace_back("", *plain);
    return text;
  }
  if (!value_->is_object()) {
    error("must be text or an object of translations such as {\"en\": \"...\"} (got " +
          describe_value(*value_) + ")");
    return std::nullopt;
  }
  if (value_->empty()) {
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
  if (value_->is_string()) {
    const auto& text = value_->get_ref<const json::string_t&>();
    for (std::size_t i = 0; i < count; ++i)
      if (allowed[i] == text) return i;
  }
  std::string list;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) list += ", ";
    list += "\"" + std::string(allowed[i]) + "\"";
  }
  error("must be one of " + list + " (got " + describe_value(*value_) + ")");
  return std::nullopt;
}

std::optional<std::vector<JsonReader>> JsonReader::as_array(std::size_t max_count) const {
  if (!value_->is_array()) {
    error("must be a list (got " + describe_value(*value_) + ")");
    return std::nullopt;
  }
  if (value_->size() > max_count) {
    error("has too many entries: at most " + std::to_string(max_count) + " (got " +
          std::to_string(value_->size()) + ")");
    return std::nullopt;
  }
  std::vector<JsonReader> elements;
  elements.reserve(value_->size());
  std::size_t index = 0;
  for (const auto& item : *value_) {
    elements.push_back(element(item, index));
    ++index;
  }
  return elements;
}

std::optional<std::vector<std::pair<std::string, JsonReader>>> JsonReader::as_members(
    std::size_t max_count) const {
  if (!expect_object()) return std::nullopt;
  if (value_->size() > max_count) {
    error("has too many entries: at most " + std::to_string(max_count) + " (got " +
          std::to_string(value_->size()) + ")");
    return std::nullopt;
  }
  std::vector<std::pair<std::string, JsonReader>> members;
  members.reserve(value_->size());
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    members.emplace_back(it.key(), member(it.value(), it.key()));
  }
  return members;
}

bool JsonReader::has(std::string_view key) const {
  if (!value_->is_object()) return false;
  auto it = value_->find(key);
  return it != value_->end() && !it->is_null();
}

std::optional<JsonReader> JsonReader::optional(std::string_view key) const {
  if (!value_->is_object()) return std::nullopt;
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return std::nullopt;
  return member(*it, it.key());  // the document's own copy of the name outlives this reader
}

std::optional<JsonReader> JsonReader::required(std::string_view key) const {
  auto member = optional(key);
  if (!member) error_at(key, "is required");
  return member;
}

void JsonReader::warn_unknown_fields(std::initializer_list<std::string_view> known) const {
  if (!value_->is_object()) return;
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    bool is_known = false;
    for (std::string_view name : known) {
      if (name == it.key()) {
        is_known = true;
        break;
      }
    }
    if (!is_known) diagnostics_->warning(child_path(it.key()), "unknown field, ignored");
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
