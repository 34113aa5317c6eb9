#include "json_write.hpp"

#include <charconv>

namespace loyalty::detail {

std::size_t utf8_sequence_length(std::string_view text, std::size_t at,
                                 std::size_t& invalid_length) {
  const auto lead = static_cast<unsigned char>(text[at]);
  invalid_length = 1;
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if (at + k >= text.size()) {
      invalid_length = k;
      return 0;
    }
    const auto next = static_cast<unsigned char>(text[at + k]);
    bool valid = (next & 0xC0) == 0x80;
    if (valid && k == 1) {
      if (lead == 0xE0 && next < 0xA0) valid = false;  // overlong
      if (lead == 0xED && next > 0x9F) valid = false;  // UTF-16 surrogate
      if (lead == 0xF0 && next < 0x90) valid = false;  // overlong
      if (lead == 0xF4 && next > 0x8F) valid = false;  // above U+10FFFF
    }
    if (!valid) {
      invalid_length = k;
      return 0;
    }
  }
  return length;
}

void append_json_string(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t at = 0;
  while (at < value.size()) {
    // Runs of characters that need no escape are copied at once.
    std::size_t plain = at;
    while (plain < value.size()) {
      const auto byte = static_cast<unsigned char>(value[plain]);
      if (byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\') break;
      ++plain;
    }
    if (plain > at) {
      out.append(value.data() + at, plain - at);
      at = plain;
      if (at == value.size()) break;
    }
    const char c = value[at];
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += '\\';
      switch (c) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '\b':
          out += 'b';
          break;
        case '\t':
          out += 't';
          break;
        case '\n':
          out += 'n';
          break;
        case '\f':
          out += 'f';
          break;
        case '\r':
          out += 'r';
          break;
        default:
          out += "u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
      }
      ++at;
      continue;
    }
    std::size_t invalid_length = 0;
    const std::size_t length = utf8_sequence_length(value, at, invalid_length);
    if (length > 0) {
      out.append(value.substr(at, length));
      at += length;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      at += invalid_length;
    }
  }
  out += '"';
}

void JsonWriter::integer(std::int64_t value) {
  separate();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, static_cast<std::size_t>(end - digits));
}

void write_money(JsonWriter& out, std::int64_t amount, std::string_view currency) {
  out.begin_object();
  out.key("currency");
  out.text(currency);
  out.key("money");
  out.integer(amount);
  out.end_object();
}

}  // namespace loyalty::detail
