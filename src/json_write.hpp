// Compact JSON output written straight into a string: the view, the envelopes, the messages that
// quote values and the customer document. Values are written as nlohmann's dump() writes them;
// keys come out in the order the caller writes them. Callers whose output must equal dump()'s
// (the view, the envelopes) write each object's keys in sorted (bytewise) order, as nlohmann's
// std::map keeps them; the customer document keeps the contract's order. Building a tree first
// cost more than the view itself, and its serializer was the biggest part of the wasm after the
// parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loyalty::detail {

/// Length of the well-formed UTF-8 sequence starting at text[at] (1 to 4), or 0 when it is not
/// one. Rejects overlong forms, surrogates and values above U+10FFFF. On 0, `invalid_length`
/// gets the number of bytes that belong to the broken sequence (at least 1): the lead byte and
/// the continuation bytes that were still acceptable.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at,
                                 std::size_t& invalid_length);

/// Appends `value` as a JSON string: quotes, backslash escapes for " \ and controls (\n, \u001f),
/// UTF-8 kept as it is, and each broken UTF-8 sequence replaced by U+FFFD, as nlohmann's dump()
/// does with error_handler_t::replace.
void append_json_string(std::string& out, std::string_view value);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() {
    separate();
    out_ += '{';
  }
  void end_object() { out_ += '}'; }
  void begin_array() {
    separate();
    out_ += '[';
  }
  void end_array() { out_ += ']'; }
  /// A member name that is plain ASCII needing no escapes.
  void key(std::string_view key) {
    separate();
    out_ += '"';
    out_.append(key.data(), key.size());
    out_.append("\":", 2);
  }
  /// The same for a literal, whose length is known without strlen (a view writes hundreds).
  template <std::size_t N>
  void key(const char (&literal)[N]) {
    key(std::string_view(literal, N - 1));
  }
  /// A member name from the data (label keys, message parameters), escaped like text.
  void name(std::string_view name) {
    text(name);
    out_ += ':';
  }
  void integer(std::int64_t value);
  void text(std::string_view value) {
    separate();
    append_json_string(out_, value);
  }
  /// text(value), or null when it is empty.
  void text_or_null(std::string_view value) {
    if (value.empty()) {
      null();
    } else {
      text(value);
    }
  }
  void boolean(bool value) {
    separate();
    out_ += value ? "true" : "false";
  }
  void null() {
    separate();
    out_ += "null";
  }
  /// JSON already written (a value, or array elements separated by commas), copied as it is.
  void raw(std::string_view json) {
    separate();
    out_.append(json.data(), json.size());
  }

 private:
  /// A comma before every value or key that follows another in the same list or object.
  void separate() {
    if (out_.empty()) return;
    const char last = out_.back();
    if (last != '{' && last != '[' && last != ':') out_ += ',';
  }

  std::string& out_;
};

/// {"currency": "USD", "money": 1250}.
void write_money(JsonWriter& out, std::int64_t amount, std::string_view currency);

}  // namespace loyalty::detail
