// Streams JSON text straight into a string: the customer document is written on every request,
// and building an nlohmann tree of maps for it first costs more than the rest of a read.
//   JsonWriter out;
//   out.begin_object().key("balance").value(std::int64_t{1250}).end_object();
//   out.text() == R"({"balance":1250})"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty::server {

class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  /// An object member's name; the next value belongs to it.
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  /// Already serialised JSON, inserted as one value.
  JsonWriter& raw(std::string_view json);

  /// Room for `bytes` of text in all, so a long document is not copied as it grows.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();
  void append_string(std::string_view text);

  std::string out_;
  std::vector<bool> has_items_;  // one per open container
  bool after_key_ = false;
};

}  // namespace loyalty::server
