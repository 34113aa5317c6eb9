#include "json_read.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "json_number.hpp"
#include "json_write.hpp"

namespace loyalty::detail {

static_assert(sizeof(JsonNode) <= 32, "a document costs its node count times this");

/// Builds a JsonDocument from the parser's events, and refuses nesting deep enough to exhaust
/// the stack of recursive consumers and more values than any contract document holds.
class JsonDocumentBuilder {
 public:
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
  bool number_integer(std::int64_t value) {
    if (!add(JsonType::integer)) return false;
    last().integer = value;
    return true;
  }
  bool number_unsigned(std::uint64_t value) {
    if (!add(JsonType::unsigned_integer)) return false;
    last().unsigned_integer = value;
    return true;
  }
  bool number_float(std::string_view text) {
    if (!add(JsonType::floating)) return false;
    last().text = store(text);
    return true;
  }
  bool string(std::string_view value) {
    if (!add(JsonType::string)) return false;
    last().text = store(value);
    return true;
  }
  void key(std::string_view value) { key_ = store(value); }
  bool start_object() { return open(JsonType::object); }
  bool start_array() { return open(JsonType::array); }
  void end_container() {
    const std::uint32_t index = open_.back();
    open_.pop_back();
    document_.nodes_[index].span = static_cast<std::uint32_t>(document_.nodes_.size() - index);
  }

  bool too_deep() const { return too_deep_; }
  const std::string& too_deep_path() const { return too_deep_path_; }
  bool too_many() const { return too_many_; }
  std::size_t max_values() const { return max_values_; }

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
  JsonText store(std::string_view text) {
    const JsonText where{static_cast<std::uint32_t>(document_.strings_.size()),
                         static_cast<std::uint32_t>(text.size())};
    document_.strings_.append(text.data(), text.size());
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

  JsonDocument& document_;
  std::vector<std::uint32_t> open_;  // the containers being filled, outermost first
  JsonText key_ = {0, 0};            // the name of the member whose value comes next
  std::size_t max_values_;
  bool too_deep_ = false;
  bool too_many_ = false;
  std::string too_deep_path_;  // where the first container too deep would have opened
};

namespace {

/// A strict RFC 8259 parser, not recursive: it feeds the builder one value at a time. Strings
/// must be well-formed UTF-8 with control characters escaped and surrogates paired; numbers
/// that fit 64 bits are integers, others keep their text (and must be finite doubles); a UTF-8
/// byte order mark is skipped; nothing may follow the value but whitespace.
class JsonParser {
 public:
  JsonParser(std::string_view text, JsonDocumentBuilder& builder)
      : text_(text), builder_(builder) {}

  /// True when the whole text is one JSON value; else error() and position() say why and where
  /// (or the builder refused a value, position() then being where).
  bool parse() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;
    std::string containers;  // 'o' or 'a' for each open container
    bool value_expected = true;
    for (;;) {
      skip_whitespace();
      if (value_expected) {
        const char c = peek();
        if (c == '{' || c == '[') {
          ++at_;
          if (!(c == '{' ? builder_.start_object() : builder_.start_array())) return refused();
          containers += c == '{' ? 'o' : 'a';
          skip_whitespace();
          if (peek() == (c == '{' ? '}' : ']')) {
            ++at_;
            builder_.end_container();
            containers.pop_back();
            value_expected = false;
            continue;
          }
          if (c == '{' && !member_name()) return false;
          continue;
        }
        if (!scalar()) return false;
        value_expected = false;
        continue;
      }
      if (containers.empty()) {
        if (at_ < text_.size()) return fail("unexpected text after the document");
        return true;
      }
      const char close = containers.back() == 'o' ? '}' : ']';
      if (peek() == ',') {
        ++at_;
        if (containers.back() == 'o') {
          skip_whitespace();
          if (!member_name()) return false;
        }
        value_expected = true;
      } else if (peek() == close) {
        ++at_;
        builder_.end_container();
        containers.pop_back();
      } else {
        return fail(std::string("expected ',' or '") + close + "'");
      }
    }
  }

  std::size_t position() const { return at_; }
  const std::string& error() const { return error_; }
  bool builder_refused() const { return refused_; }

 private:
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skip_whitespace() {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++at_;
    }
  }
  bool fail(std::string message) {
    if (at_ >= text_.size() && error_.empty()) message = "unexpected end of input; " + message;
    error_ = std::move(message);
    return false;
  }
  bool refused() {
    refused_ = true;
    return false;
  }

  /// `"name"` then `:`, at an object's member.
  bool member_name() {
    if (peek() != '"') return fail("expected a member name in double quotes");
    std::string_view name;
    if (!read_string(name)) return false;
    builder_.key(name);
    skip_whitespace();
    if (peek() != ':') return fail("expected ':' after the member name");
    ++at_;
    return true;
  }

  bool scalar() {
    const char c = peek();
    if (c == '"') {
      std::string_view value;
      if (!read_string(value)) return false;
      return builder_.string(value) || refused();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return read_number();
    for (const auto& [word, kind] :
         {std::pair<std::string_view, int>{"true", 1}, {"false", 0}, {"null", 2}}) {
      if (text_.substr(at_, word.size()) == word) {
        at_ += word.size();
        return (kind == 2 ? builder_.null() : builder_.boolean(kind == 1)) || refused();
      }
    }
    if (at_ >= text_.size()) return fail("expected a value");
    return fail(c == 't' || c == 'f' || c == 'n' ? "invalid literal" : "expected a value");
  }

  bool read_number() {
    const std::size_t start = at_;
    const bool negative = peek() == '-';
    if (negative) ++at_;
    auto digits = [this] {
      const std::size_t from = at_;
      while (peek() >= '0' && peek() <= '9') ++at_;
      return at_ - from;
    };
    const std::size_t first = at_;
    if (peek() == '0') {
      ++at_;
    } else if (digits() == 0) {
      return fail("invalid number: expected a digit");
    }
    const std::size_t integer_end = at_;
    bool whole = true;
    if (peek() == '.') {
      ++at_;
      whole = false;
      if (digits() == 0) return fail("invalid number: expected a digit after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++at_;
      whole = false;
      if (peek() == '+' || peek() == '-') ++at_;
      if (digits() == 0) return fail("invalid number: expected a digit in the exponent");
    }
    const std::string_view written = text_.substr(start, at_ - start);
    if (whole) {
      std::uint64_t magnitude = 0;
      bool fits = true;
      for (std::size_t i = first; i < integer_end && fits; ++i) {
        const auto digit = static_cast<std::uint64_t>(text_[i] - '0');
        fits = magnitude <= (UINT64_MAX - digit) / 10;
        magnitude = magnitude * 10 + digit;
      }
      if (fits && !negative) return builder_.number_unsigned(magnitude) || refused();
      if (fits && magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
        const auto value = magnitude == static_cast<std::uint64_t>(INT64_MAX) + 1
                               ? INT64_MIN
                               : -static_cast<std::int64_t>(magnitude);
        return builder_.number_integer(value) || refused();
      }
    }
    // Too large for 64 bits, or written with a fraction or exponent: kept as written.
    if (!std::isfinite(json_number_value(written))) {
      at_ = start;
      return fail("number overflow: " + std::string(written.substr(0, 40)));
    }
    return builder_.number_float(written) || refused();
  }

  /// The four hex digits of a \u escape, or -1.
  long hex4() {
    if (at_ + 4 > text_.size()) return -1;
    long value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_ + static_cast<std::size_t>(i)];
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    at_ += 4;
    return value;
  }

  /// Length of the well-formed UTF-8 sequence at `at_` (Unicode Table 3-7), or 0.
  std::size_t utf8_length() const {
    const auto byte = [this](std::size_t i) {
      return at_ + i < text_.size() ? static_cast<unsigned char>(text_[at_ + i]) : 0u;
    };
    const unsigned lead = byte(0);
    const auto tail = [&](std::size_t i, unsigned low = 0x80, unsigned high = 0xBF) {
      return byte(i) >= low && byte(i) <= high;
    };
    if (lead >= 0xC2 && lead <= 0xDF) return tail(1) ? 2 : 0;
    if (lead == 0xE0) return tail(1, 0xA0) && tail(2) ? 3 : 0;
    if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
      return tail(1) && tail(2) ? 3 : 0;
    if (lead == 0xED) return tail(1, 0x80, 0x9F) && tail(2) ? 3 : 0;
    if (lead == 0xF0) return tail(1, 0x90) && tail(2) && tail(3) ? 4 : 0;
    if (lead >= 0xF1 && lead <= 0xF3) return tail(1) && tail(2) && tail(3) ? 4 : 0;
    if (lead == 0xF4) return tail(1, 0x80, 0x8F) && tail(2) && tail(3) ? 4 : 0;
    return 0;
  }

  void append_utf8(unsigned long code) {
    if (code < 0x80) {
      scratch_ += static_cast<char>(code);
    } else if (code < 0x800) {
      scratch_ += static_cast<char>(0xC0 | (code >> 6));
      scratch_ += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      scratch_ += static_cast<char>(0xE0 | (code >> 12));
      scratch_ += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      scratch_ += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      scratch_ += static_cast<char>(0xF0 | (code >> 18));
      scratch_ += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      scratch_ += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      scratch_ += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  /// A string at `at_` (its opening quote): a view of the text when it has no escapes, else of
  /// the decoded copy in scratch_.
  bool read_string(std::string_view& out) {
    ++at_;
    const std::size_t start = at_;
    bool escaped = false;
    scratch_.clear();
    for (;;) {
      if (at_ >= text_.size()) return fail("invalid string: missing closing quote");
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c == '"') break;
      if (c < 0x20) return fail("invalid string: control character must be escaped");
      if (c < 0x80 && c != '\\') {
        if (escaped) scratch_ += static_cast<char>(c);
        ++at_;
        continue;
      }
      if (c >= 0x80) {
        const std::size_t length = utf8_length();
        if (length == 0) return fail("invalid string: ill-formed UTF-8 byte");
        if (escaped) scratch_.append(text_.data() + at_, length);
        at_ += length;
        continue;
      }
      // A backslash: from here on the string is decoded into scratch_.
      if (!escaped) {
        scratch_.assign(text_.data() + start, at_ - start);
        escaped = true;
      }
      ++at_;
      const char kind = peek();
      ++at_;
      switch (kind) {
        case '"':
          scratch_ += '"';
          break;
        case '\\':
          scratch_ += '\\';
          break;
        case '/':
          scratch_ += '/';
          break;
        case 'b':
          scratch_ += '\b';
          break;
        case 'f':
          scratch_ += '\f';
          break;
        case 'n':
          scratch_ += '\n';
          break;
        case 'r':
          scratch_ += '\r';
          break;
        case 't':
          scratch_ += '\t';
          break;
        case 'u': {
          long code = hex4();
          if (code < 0) return fail("invalid string: '\\u' must be followed by 4 hex digits");
          if (code >= 0xDC00 && code <= 0xDFFF)
            return fail("invalid string: a low surrogate must follow a high one");
          if (code >= 0xD800 && code <= 0xDBFF) {
            if (text_.substr(at_, 2) != "\\u")
              return fail("invalid string: a high surrogate must be followed by a low one");
            at_ += 2;
            const long low = hex4();
            if (low < 0xDC00 || low > 0xDFFF)
              return fail("invalid string: a high surrogate must be followed by a low one");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(static_cast<unsigned long>(code));
          break;
        }
        default:
          --at_;
          return fail("invalid string: unknown escape after a backslash");
      }
    }
    out = escaped ? std::string_view(scratch_) : text_.substr(start, at_ - start);
    ++at_;  // the closing quote
    return true;
  }

  std::string_view text_;
  JsonDocumentBuilder& builder_;
  std::size_t at_ = 0;
  std::string scratch_;
  std::string error_;
  bool refused_ = false;
};

/// "line 3, column 14" of a byte offset.
std::string line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

std::optional<JsonDocument> parse_json_document(std::string_view text, Diagnostics& diagnostics) {
  // Offsets into the document are 32-bit; contract documents are a few megabytes at most.
  if (text.size() > 0x7FFFFFFF) {
    diagnostics.error("", "is too large to read (" + std::to_string(text.size()) + " bytes)");
    return std::nullopt;
  }
  JsonDocument document;
  JsonDocumentBuilder builder(document, text.size());
  JsonParser parser(text, builder);
  if (parser.parse()) return document;
  if (builder.too_deep()) {
    diagnostics.error(builder.too_deep_path(), nesting_limit_message());
  } else if (builder.too_many()) {
    diagnostics.error("", "holds more than " + std::to_string(builder.max_values()) +
                              " values; contract documents hold far fewer");
  } else if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.error("", "is empty; expected a JSON document");
  } else {
    diagnostics.error(
        "", sanitize_utf8("is not valid JSON: error at byte " +
                          std::to_string(parser.position() + 1) + " (" +
                          line_and_column(text, parser.position()) + ": " + parser.error() + ")"));
  }
  return std::nullopt;
}

std::string nesting_limit_message() {
  return "nested deeper than " + std::to_string(kMaxNestingDepth) +
         " levels, the most any JSON input may have";
}

// ----- JsonReader: the getters, per field of every document -----

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

double JsonReader::number() const {
  switch (value_->type) {
    case JsonType::integer:
      return static_cast<double>(value_->integer);
    case JsonType::unsigned_integer:
      return static_cast<double>(value_->unsigned_integer);
    case JsonType::floating:  // kept as written, read as the parser checked it
      return json_number_value(document_->text(*value_));
    default:
      return 0;
  }
}

bool JsonReader::expect_object() const {
  if (value_->type == JsonType::object) return true;
  error_got("must be an object");
  return false;
}

std::optional<std::string> JsonReader::as_string(bool allow_empty) const {
  if (value_->type != JsonType::string) {
    error_got("must be text");
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
    error_got("is too large: " + integer_requirement(rule) +
              " between -9007199254740991 and 9007199254740991");
    return std::nullopt;
  }
  if (!number || *number < rule.min || *number > rule.max) {
    error_got(integer_requirement(rule));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonReader::as_bool() const {
  if (value_->type != JsonType::boolean) {
    error_got("must be true or false");
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
  error_got(
      "must be a date and time with a UTC offset, like \"2026-11-23T10:00:00-05:00\" or "
      "\"2026-11-23T15:00:00Z\"");
  return std::nullopt;
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
  error_got("must be one of " + list);
  return std::nullopt;
}

std::optional<std::size_t> JsonReader::as_named_choice(
    const void* list, std::size_t count,
    std::string_view (*name_at)(const void*, std::size_t)) const {
  std::string_view names[32];
  std::size_t named = 0;
  for (std::size_t i = 0; i < count; ++i)
    if (named < 32) names[named++] = name_at(list, i);
  return as_choice(names, named);
}

std::optional<std::vector<JsonReader>> JsonReader::as_array(std::size_t max_count) const {
  if (value_->type != JsonType::array) {
    error_got("must be a list");
    return std::nullopt;
  }
  if (value_->count > max_count) {
    error_too_many(max_count);
    return std::nullopt;
  }
  std::vector<JsonReader> elements;
  elements.reserve(value_->count);
  const JsonNode* item = value_ + 1;
  for (std::size_t index = 0; index < value_->count; ++index, item += item->span)
    elements.push_back(element(*item, index));
  return elements;
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
