// Checked reading of contract documents: typed getters that never throw and report every problem
// as a Diagnostic located by a JSON Pointer (RFC 6901) into the document.
//
//   Diagnostics diagnostics;
//   auto document = parse_json_document(text, diagnostics);
//   if (!document) return;
//   JsonReader root(*document, "", diagnostics);
//   if (!root.expect_object()) return;
//   root.warn_unknown_fields({"version", "id", "cost"});
//   auto cost = root.required_integer("cost", positive("points"));  // "/cost: must be ..."
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/json_api.hpp"
#include "loyalty/money.hpp"
#include "loyalty/program.hpp"
#include "loyalty/result.hpp"
#include "loyalty/time.hpp"

namespace loyalty::detail {

/// Longest string any document may hold, in bytes.
constexpr std::size_t kMaxStringLength = 10000;
/// Deepest nesting of objects and arrays a document may have: 64 containers inside each other
/// are read, the 65th is refused at its path (checked while parsing, which is not recursive).
constexpr std::size_t kMaxNestingDepth = kMaxJsonDepth;

enum class JsonType : std::uint8_t {
  null,
  boolean,
  integer,           // negative whole number
  unsigned_integer,  // whole number 0 or more
  floating,          // written with a fraction or an exponent
  string,
  array,
  object,
};

/// Where a string lives in a JsonDocument's buffer.
struct JsonText {
  std::uint32_t offset;
  std::uint32_t size;
};

/// One value of a JsonDocument, 32 bytes. A container is followed by its children in document
/// order; `span` steps over it whole, so the next sibling of `node` is `&node + node.span`.
struct JsonNode {
  JsonType type = JsonType::null;
  bool boolean = false;
  std::uint32_t span = 1;   // this value and everything inside it, in nodes
  std::uint32_t count = 0;  // members of an object, elements of an array
  JsonText key = {0, 0};    // the member name when the parent is an object
  union {
    std::int64_t integer = 0;        // JsonType::integer
    std::uint64_t unsigned_integer;  // JsonType::unsigned_integer
    JsonText text;  // JsonType::string, and JsonType::floating as written (read on demand)
  };
};

/// Most values one document may hold (more for texts over 8 MB: one per 8 bytes). Contract
/// documents hold far fewer; the cap bounds the memory a hostile array of zeros can take.
constexpr std::size_t kMaxDocumentValues = 1000000;

/// A parsed JSON document, kept flat: one array of nodes and one buffer of strings. Reading
/// contract documents needs no tree of maps, and this one costs a fraction of the allocations
/// and of the wasm size. Members keep their document order.
class JsonDocument {
 public:
  const JsonNode& root() const { return nodes_.front(); }
  std::string_view key(const JsonNode& node) const {
    return {strings_.data() + node.key.offset, node.key.size};
  }
  std::string_view text(const JsonNode& node) const {
    return {strings_.data() + node.text.offset, node.text.size};
  }

 private:
  friend class JsonDocumentBuilder;
  std::vector<JsonNode> nodes_;
  std::string strings_;
};

/// Parses JSON text (RFC 8259, strict: UTF-8, no comments, no trailing commas) with no exceptions
/// and no recursion; accepts exactly what nlohmann's strict parser accepts (a test holds it to
/// that). On malformed input records one error at the root path naming the byte position, line
/// and column, and returns nullopt.
std::optional<JsonDocument> parse_json_document(std::string_view text, Diagnostics& diagnostics);

/// "nested deeper than 64 levels, ...": the message at the path where the limit is crossed.
std::string nesting_limit_message();

/// Escapes one JSON Pointer reference token: "~" -> "~0", "/" -> "~1".
std::string escape_pointer_token(std::string_view token);

/// Replaces bytes that are not well-formed UTF-8 with '?', so messages always serialise.
std::string sanitize_utf8(std::string_view text);

/// "en", "lv", "zh-Hant", "pt-BR": a letter subtag of 2-8 then subtags of 1-8 letters/digits.
bool looks_like_language_tag(std::string_view tag);

/// Allowed range and wording of an integer field.
struct IntegerRule {
  std::int64_t min = -kMaxSafeInteger;
  std::int64_t max = kMaxSafeInteger;
  std::string_view noun;  // "points", "minor units", "days"; may be empty
};
/// The rule in words, such as "must be a whole number of points greater than 0".
std::string integer_requirement(const IntegerRule& rule);
/// Any JavaScript-safe integer.
inline IntegerRule any_integer(std::string_view noun = {}) {
  return {-kMaxSafeInteger, kMaxSafeInteger, noun};
}
/// 0 or more.
inline IntegerRule non_negative(std::string_view noun = {}) { return {0, kMaxSafeInteger, noun}; }
/// 1 or more ("greater than 0").
inline IntegerRule positive(std::string_view noun = {}) { return {1, kMaxSafeInteger, noun}; }
inline IntegerRule between(std::int64_t min, std::int64_t max, std::string_view noun = {}) {
  return {min, max, noun};
}

/// A view of one JSON value, its JSON Pointer and the diagnostics it reports to. Cheap to copy;
/// the JSON value and the diagnostics must outlive it. The pointer is kept as the steps from the
/// root (member names point into the document) and spelled out only when something is reported,
/// so reading a field allocates nothing.
class JsonReader {
 public:
  JsonReader(const JsonDocument& document, std::string path, Diagnostics& diagnostics)
      : document_(&document),
        value_(&document.root()),
        diagnostics_(&diagnostics),
        prefix_(std::move(path)) {}

  JsonType type() const { return value_->type; }
  /// Members of an object or elements of an array; 0 for other values.
  std::size_t count() const { return value_->count; }
  bool is_number() const {
    return type() == JsonType::integer || type() == JsonType::unsigned_integer ||
           type() == JsonType::floating;
  }
  /// The value of a number as a double (call is_number() first).
  double number() const;
  /// A short, valid-UTF-8 rendering of this value for messages: 1.5, "abc", true, an object,
  /// a list. Numbers with a fraction are shown as written.
  std::string describe() const;
  /// The JSON Pointer of this value, such as "/ledger/3/points".
  std::string path() const;
  Diagnostics& diagnostics() const { return *diagnostics_; }

  void error(std::string message) const;
  /// Errors "<requirement> (got <describe()>)".
  void error_got(std::string requirement) const;
  void warning(std::string message) const;
  /// Reports at the path of a member of this object (whether or not it exists).
  void error_at(std::string_view key, std::string message) const;
  void warning_at(std::string_view key, std::string message) const;
  std::string child_path(std::string_view key) const;
  std::string child_path(std::size_t index) const;

  // ----- this value -----

  /// Errors "must be an object" unless it is one.
  bool expect_object() const;
  std::optional<std::string> as_string(bool allow_empty = false) const;
  std::optional<std::int64_t> as_integer(const IntegerRule& rule) const;
  std::optional<bool> as_bool() const;
  /// RFC 3339 with a required offset.
  std::optional<ZonedInstant> as_instant() const;
  /// Merchant text: a string or {"<BCP 47 tag>": "text", ...}.
  std::optional<LocalizedText> as_text() const;
  /// A string that must be one of `allowed`; returns its index.
  std::optional<std::size_t> as_choice(const std::vector<std::string_view>& allowed) const;
  std::optional<std::size_t> as_choice(const std::string_view* allowed, std::size_t count) const;
  /// A string spelled as to_string(value) of one of `values` (at most 32 of them).
  template <class Enum>
  std::optional<Enum> as_enum(std::initializer_list<Enum> values) const {
    // One shared as_named_choice and one small name_at per Enum, not a loop at every call site.
    const auto name_at = [](const void* list, std::size_t index) {
      return to_string(static_cast<const Enum*>(list)[index]);
    };
    auto index = as_named_choice(values.begin(), values.size(), name_at);
    if (!index) return std::nullopt;
    return *(values.begin() + *index);
  }
  /// The elements of an array, with child paths; errors when not an array or longer than
  /// `max_count` (then returns nothing).
  std::optional<std::vector<JsonReader>> as_array(std::size_t max_count) const;
  /// The members of an object with child paths; errors when not an object or too large.
  std::optional<std::vector<std::pair<std::string, JsonReader>>> as_members(
      std::size_t max_count) const;

  /// as_choice() of the names name_at(list, 0 .. count - 1) (at most 32 of them).
  std::optional<std::size_t> as_named_choice(const void* list, std::size_t count,
                                             std::string_view (*name_at)(const void*,
                                                                         std::size_t)) const;

  // ----- members of this object (call expect_object() first) -----

  /// Present and not null.
  bool has(std::string_view key) const;
  /// Present, even as null.
  bool contains(std::string_view key) const;
  /// Calls visit(name) for each member name, in document order.
  template <class Visit>
  void for_each_member_name(Visit visit) const {
    if (value_->type != JsonType::object) return;
    const JsonNode* item = value_ + 1;
    for (std::uint32_t index = 0; index < value_->count; ++index, item += item->span)
      visit(document_->key(*item));
  }
  /// The member, or nullopt when absent or null.
  std::optional<JsonReader> optional(std::string_view key) const;
  /// The member; errors "is required" when absent or null.
  std::optional<JsonReader> required(std::string_view key) const;
  /// Warns "unknown field, ignored" for every member not in `known`.
  void warn_unknown_fields(std::initializer_list<std::string_view> known) const;

  std::optional<std::string> required_string(std::string_view key) const;  // non-empty
  std::optional<std::string> optional_string(std::string_view key) const;  // may be empty
  std::optional<std::int64_t> required_integer(std::string_view key, const IntegerRule& rule) const;
  std::optional<std::int64_t> optional_integer(std::string_view key, const IntegerRule& rule) const;
  std::optional<bool> optional_bool(std::string_view key) const;
  std::optional<ZonedInstant> required_instant(std::string_view key) const;
  std::optional<ZonedInstant> optional_instant(std::string_view key) const;
  std::optional<LocalizedText> required_text(std::string_view key) const;
  std::optional<LocalizedText> optional_text(std::string_view key) const;
  template <class Enum>
  std::optional<Enum> optional_enum(std::string_view key,
                                    std::initializer_list<Enum> values) const {
    auto member = optional(key);
    if (!member) return std::nullopt;
    return member->as_enum(values);
  }
  template <class Enum>
  std::optional<Enum> required_enum(std::string_view key,
                                    std::initializer_list<Enum> values) const {
    auto member = required(key);
    if (!member) return std::nullopt;
    return member->as_enum(values);
  }

 private:
  /// One reference token: a member name (`key` non-null) or an array index.
  struct Step {
    const char* key;
    std::size_t size_or_index;
  };
  /// Steps kept inline; deeper paths fold the outer steps into `prefix_`.
  static constexpr std::size_t kInlineSteps = 4;

  /// Errors "has too many entries: at most <max_count> (got <count()>)".
  void error_too_many(std::size_t max_count) const;
  /// The member named `key` (the last one, if the name repeats), or null.
  const JsonNode* find(std::string_view key) const;
  JsonReader member(const JsonNode& value) const;
  JsonReader element(const JsonNode& value, std::size_t index) const;
  JsonReader with_step(const JsonNode& value, Step step) const;

  const JsonDocument* document_;
  const JsonNode* value_;
  Diagnostics* diagnostics_;
  std::string prefix_;  // the root's pointer (usually ""), then any folded steps
  Step steps_[kInlineSteps] = {};
  std::size_t step_count_ = 0;
};

}  // namespace loyalty::detail
