#include "platform_mapping.hpp"

#include <utility>

#include "auth.hpp"
#include "decimal_money.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

// Limits on what a payload may make us read, beyond the HTTP edge's body size.
constexpr std::size_t kMaxArrayElements = 10000;  // the core's own limit on an order's lines
constexpr std::size_t kMaxIdLength = 128;

// ---- RFC 6901 JSON Pointers, resolved without exceptions ----

bool valid_pointer(std::string_view pointer) {
  if (pointer.empty()) return true;
  if (pointer.front() != '/') return false;
  for (std::size_t i = 0; i < pointer.size(); ++i)
    if (pointer[i] == '~' &&
        (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')))
      return false;
  return true;
}

/// The value at `pointer` under `base`, or nullptr when there is none.
const json* resolve(const json& base, std::string_view pointer) {
  const json* node = &base;
  std::size_t start = 0;
  while (start < pointer.size()) {
    std::size_t end = pointer.find('/', start + 1);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token;
    for (std::size_t i = start + 1; i < end; ++i) {
      if (pointer[i] == '~') {
        token += pointer[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    if (node->is_object()) {
      auto found = node->find(token);
      if (found == node->end()) return nullptr;
      node = &*found;
    } else if (node->is_array()) {
      if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0'))
        return nullptr;
      std::size_t index = 0;
      for (char c : token) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
    start = end;
  }
  return node;
}

// ---- Reading a mapping file ----

class MappingReader {
 public:
  explicit MappingReader(std::string& error) : error_(error) {}
  bool failed() const { return !error_.empty(); }

  void fail(const std::string& path, const std::string& message) {
    if (error_.empty()) error_ = (path.empty() ? "/" : path) + ": " + message;
  }

  std::string text(const json& object, const char* key, const std::string& path, bool required) {
    auto found = object.find(key);
    if (found == object.end()) {
      if (required) fail(path + "/" + key, "is required");
      return {};
    }
    if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
      fail(path + "/" + key, "must be a non-empty string");
      return {};
    }
    return found->get<std::string>();
  }

  std::string pointer(const json& value, const std::string& path) {
    if (!value.is_string() || !valid_pointer(value.get_ref<const std::string&>())) {
      fail(path, "must be a JSON Pointer (RFC 6901) such as \"/line_items\"");
      return {};
    }
    return value.get<std::string>();
  }

  ValueSpec value(const json& value, const std::string& path) {
    ValueSpec spec;
    if (value.is_string()) {
      spec.pointer = pointer(value, path);
      return spec;
    }
    if (!value.is_object()) {
      fail(path,
           "must be a JSON Pointer or an object with one of pointer, sum, multiply, negate, add");
      return spec;
    }
    if (value.contains("pointer")) {
      spec.pointer = pointer(value["pointer"], path + "/pointer");
      if (auto utc = value.find("assumeUtc"); utc != value.end()) {
        if (!utc->is_boolean())
          fail(path + "/assumeUtc", "must be true or false");
        else
          spec.assume_utc = utc->get<bool>();
      }
      if (auto guest = value.find("guest"); guest != value.end()) {
        if (!guest->is_array())
          fail(path + "/guest", "must be an array of ids");
        else
          for (const json& id : *guest)
            spec.guest.push_back(id.is_string() ? id.get<std::string>() : id.dump());
      }
    } else if (value.contains("sum")) {
      spec.op = ValueSpec::Op::sum;
      spec.pointer = pointer(value["sum"], path + "/sum");
      if (!value.contains("each"))
        fail(path + "/each", "is required with sum");
      else
        spec.operands.push_back(this->value(value["each"], path + "/each"));
    } else if (value.contains("multiply")) {
      spec.op = ValueSpec::Op::multiply;
      spec.operands.push_back(this->value(value["multiply"], path + "/multiply"));
      if (!value.contains("by"))
        fail(path + "/by", "is required with multiply");
      else
        spec.pointer = pointer(value["by"], path + "/by");
    } else if (value.contains("negate")) {
      spec.op = ValueSpec::Op::negate;
      spec.operands.push_back(this->value(value["negate"], path + "/negate"));
    } else if (value.contains("add")) {
      spec.op = ValueSpec::Op::add;
      const json& terms = value["add"];
      if (!terms.is_array() || terms.empty())
        fail(path + "/add", "must be a non-empty array");
      else
        for (std::size_t i = 0; i < terms.size(); ++i)
          spec.operands.push_back(this->value(terms[i], path + "/add/" + std::to_string(i)));
    } else {
      fail(path, "must have one of pointer, sum, multiply, negate, add");
    }
    return spec;
  }

  std::map<std::string, ValueSpec> fields(const json& object, const std::string& path) {
    static const char* const kFields[] = {"orderId",  "customerId", "email",    "firstName",
                                          "currency", "at",         "refundId", "amount",
                                          "subtotal", "discount",   "shipping", "tax"};
    std::map<std::string, ValueSpec> read;
    for (const char* name : kFields)
      if (auto found = object.find(name); found != object.end())
        read[name] = value(*found, path + "/" + name);
    return read;
  }

  EventSpec event(const std::string& name, const json& object, const std::string& path) {
    EventSpec spec;
    spec.name = name;
    if (!object.is_object()) {
      fail(path, "must be an object");
      return spec;
    }
    spec.type = text(object, "type", path, true);
    if (!failed() && spec.type != "placed" && spec.type != "refunded" && spec.type != "cancelled")
      fail(path + "/type", "must be \"placed\", \"refunded\" or \"cancelled\"");
    spec.id_template = text(object, "id", path, true);
    if (auto when = object.find("when"); when != object.end()) {
      if (!when->is_object() || !when->contains("pointer") || !when->contains("in") ||
          !(*when)["in"].is_array()) {
        fail(path + "/when", "must be {\"pointer\", \"in\": [values]}");
      } else {
        spec.when_pointer = pointer((*when)["pointer"], path + "/when/pointer");
        for (const json& allowed : (*when)["in"])
          spec.when_in.push_back(allowed.is_string() ? allowed.get<std::string>() : allowed.dump());
      }
    }
    if (auto each = object.find("forEach"); each != object.end())
      spec.for_each = pointer(*each, path + "/forEach");
    spec.fields = fields(object, path);
    if (auto amounts = object.find("amounts"); amounts != object.end()) {
      if (!amounts->is_object())
        fail(path + "/amounts", "must be an object");
      else
        for (auto& [field, value] : fields(*amounts, path + "/amounts"))
          spec.fields[field] = std::move(value);
    }
    if (auto each = object.find("each"); each != object.end()) {
      if (!each->is_object() || spec.for_each.empty())
        fail(path + "/each", "must be an object, with forEach");
      else
        spec.each = fields(*each, path + "/each");
    }
    if (auto lines = object.find("lines"); lines != object.end()) {
      const std::string at = path + "/lines";
      if (!lines->is_object()) {
        fail(at, "must be an object");
      } else {
        LineSpec line;
        const json& spec_json = *lines;
        line.array = spec_json.contains("array") ? pointer(spec_json["array"], at + "/array") : "";
        for (const char* required : {"array", "productId", "quantity", "amount"})
          if (!spec_json.contains(required)) fail(at + "/" + required, "is required");
        if (!failed()) {
          line.product_id = value(spec_json["productId"], at + "/productId");
          line.quantity = value(spec_json["quantity"], at + "/quantity");
          line.amount = value(spec_json["amount"], at + "/amount");
          if (spec_json.contains("giftCard"))
            line.gift_card = value(spec_json["giftCard"], at + "/giftCard");
        }
        spec.lines = std::move(line);
      }
    }
    for (const char* required : {"orderId", "at"})
      if (!spec.fields.count(required)) fail(path + "/" + required, "is required");
    if (spec.type == "placed" && !spec.fields.count("subtotal"))
      fail(path + "/amounts/subtotal", "is required for placed events");
    if (spec.type == "refunded" && !spec.fields.count("amount") && !spec.each.count("amount"))
      fail(path + "/amount", "is required for refunded events");
    return spec;
  }

 private:
  std::string& error_;
};

// ---- Reading a payload with a mapping ----

std::string json_type_name(const json& value) {
  if (value.is_number_float()) return "a number with a fraction";
  return value.type_name();
}

class PayloadReader {
 public:
  PayloadReader(const DeliveryContext& context, MappedDelivery& out)
      : context_(context), out_(out) {}

  bool failed() const { return out_.failed(); }

  void fail(std::string path, std::string message) {
    if (failed()) return;
    out_.error_path = path.empty() ? "/" : std::move(path);
    out_.error_message = std::move(message);
  }

  /// A string (or an integer id, written as its digits); nullopt when absent, null or "".
  std::optional<std::string> text(const ValueSpec& spec, const json& base, const std::string& at,
                                  std::size_t max_length) {
    const std::string path = at + spec.pointer;
    const json* node = resolve(base, spec.pointer);
    if (node == nullptr || node->is_null()) return std::nullopt;
    std::string value;
    if (node->is_string())
      value = node->get<std::string>();
    else if (node->is_number_integer())
      value = node->dump();
    else {
      fail(path, "must be a string or an integer, not " + json_type_name(*node));
      return std::nullopt;
    }
    if (value.size() > max_length) {
      fail(path, "is longer than " + std::to_string(max_length) + " characters");
      return std::nullopt;
    }
    if (value.empty()) return std::nullopt;
    return value;
  }

  std::optional<std::string> required_text(const ValueSpec& spec, const json& base,
                                           const std::string& at, std::size_t max_length) {
    auto value = text(spec, base, at, max_length);
    if (!value && !failed()) fail(at + spec.pointer, "is required (a non-empty string or an id)");
    return value;
  }

  std::optional<std::int64_t> integer(const std::string& pointer, const json& base,
                                      const std::string& at) {
    const json* node = resolve(base, pointer);
    if (node == nullptr || node->is_null()) {
      fail(at + pointer, "is required (an integer)");
      return std::nullopt;
    }
    if (!node->is_number_integer() ||
        (node->is_number_unsigned() &&
         node->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxSafeInteger)) ||
        node->get<std::int64_t>() < 0 || node->get<std::int64_t>() > kMaxSafeInteger) {
      fail(at + pointer, "must be an integer from 0 to 2^53 - 1, not " + node->dump());
      return std::nullopt;
    }
    return node->get<std::int64_t>();
  }

  bool flag(const ValueSpec& spec, const json& base, const std::string& at) {
    const json* node = resolve(base, spec.pointer);
    if (node == nullptr || node->is_null()) return false;
    if (!node->is_boolean()) {
      fail(at + spec.pointer, "must be true or false, not " + json_type_name(*node));
      return false;
    }
    return node->get<bool>();
  }

  /// An amount in minor units of the program's currency, computed as the spec says.
  std::optional<MinorUnits> money(const ValueSpec& spec, const json& base, const std::string& at) {
    switch (spec.op) {
      case ValueSpec::Op::pointer:
        return money_at(spec.pointer, base, at);
      case ValueSpec::Op::sum: {
        const json* array = resolve(base, spec.pointer);
        if (array == nullptr || array->is_null()) return 0;  // no shipping lines: nothing to add
        if (!array->is_array() || array->size() > kMaxArrayElements) {
          fail(at + spec.pointer, "must be an array of at most 10000 elements");
          return std::nullopt;
        }
        MinorUnits total = 0;
        for (std::size_t i = 0; i < array->size(); ++i) {
          auto term =
              money(spec.operands[0], (*array)[i], at + spec.pointer + "/" + std::to_string(i));
          if (!term) return std::nullopt;
          auto sum = checked_add(total, *term);
          if (!sum || *sum > kMaxSafeInteger || *sum < -kMaxSafeInteger) {
            fail(at + spec.pointer, "adds up to more than 2^53 - 1 minor units");
            return std::nullopt;
          }
          total = *sum;
        }
        return total;
      }
      case ValueSpec::Op::multiply: {
        auto amount = money(spec.operands[0], base, at);
        auto factor = amount ? integer(spec.pointer, base, at) : std::nullopt;
        if (!factor) return std::nullopt;
        auto product = checked_mul(*amount, *factor);
        if (!product || *product > kMaxSafeInteger || *product < -kMaxSafeInteger) {
          fail(at + spec.pointer, "multiplies to more than 2^53 - 1 minor units");
          return std::nullopt;
        }
        return product;
      }
      case ValueSpec::Op::negate: {
        auto amount = money(spec.operands[0], base, at);
        if (!amount) return std::nullopt;
        return -*amount;
      }
      case ValueSpec::Op::add: {
        MinorUnits total = 0;
        for (const ValueSpec& operand : spec.operands) {
          auto term = money(operand, base, at);
          if (!term) return std::nullopt;
          total = saturating_add(total, *term);
        }
        return total;
      }
    }
    return std::nullopt;
  }

  std::optional<EpochSeconds> instant(const ValueSpec& spec, const json& base,
                                      const std::string& at) {
    const std::string path = at + spec.pointer;
    auto value = required_text(spec, base, at, 64);
    if (!value) return std::nullopt;
    auto parsed = parse_instant(*value);
    // WooCommerce's *_gmt dates are UTC written without an offset.
    if (!parsed && spec.assume_utc) parsed = parse_instant(*value + "Z");
    if (!parsed) {
      fail(path, "must be an RFC 3339 instant such as \"2026-03-01T10:00:00Z\"");
      return std::nullopt;
    }
    if (parsed->epoch > context_.now + context_.max_clock_skew_seconds) {
      fail(path, "is more than " + std::to_string(context_.max_clock_skew_seconds) +
                     " seconds ahead of the server's clock");
      return std::nullopt;
    }
    return parsed->epoch;
  }

 private:
  std::optional<MinorUnits> money_at(const std::string& pointer, const json& base,
                                     const std::string& at) {
    const std::string path = at + pointer;
    const json* node = resolve(base, pointer);
    if (node == nullptr || node->is_null()) {
      fail(path, "is required (an amount such as \"12.34\")");
      return std::nullopt;
    }
    const int digits = context_.currency.minor_units;
    if (node->is_string()) {
      std::string error;
      auto value = parse_decimal_minor_units(node->get_ref<const std::string&>(), digits, error);
      if (!value)
        fail(path,
             "\"" + node->get<std::string>() + "\" " + error + " (" + context_.currency.code + ")");
      return value;
    }
    if (node->is_number_integer()) {
      // A whole amount of the currency: 12 is 12.00.
      std::optional<std::int64_t> value = node->get<std::int64_t>();
      for (int i = 0; i < digits && value; ++i) value = checked_mul(*value, 10);
      if (!value || *value > kMaxSafeInteger || *value < -kMaxSafeInteger) {
        fail(path, "is larger than 2^53 - 1 minor units");
        return std::nullopt;
      }
      return value;
    }
    // A JSON number with a fraction went through binary floating point: not exact.
    fail(path, "must be a decimal string such as \"12.34\", not " + json_type_name(*node));
    return std::nullopt;
  }

  const DeliveryContext& context_;
  MappedDelivery& out_;
};

/// Where a computed value comes from, for its errors: the pointer of the value it transforms.
std::string source_pointer(const ValueSpec& spec) {
  if ((spec.op == ValueSpec::Op::negate || spec.op == ValueSpec::Op::multiply) &&
      !spec.operands.empty())
    return source_pointer(spec.operands[0]);
  return spec.op == ValueSpec::Op::add ? std::string() : spec.pointer;
}

std::string fill_template(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{" + name + "}";
    for (std::size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size()))
      text.replace(at, placeholder.size(), value);
  }
  return text;
}

/// Builds one event from the payload's root and, for forEach, one element of its array.
class EventBuilder {
 public:
  EventBuilder(const PlatformMapping& mapping, const EventSpec& spec,
               const DeliveryContext& context, PayloadReader& reader, MappedDelivery& out)
      : mapping_(mapping), spec_(spec), context_(context), reader_(reader), out_(out) {}

  void build(const json& root, const json* element, const std::string& element_path) {
    root_ = &root;
    element_ = element;
    element_path_ = element_path;
    MappedEvent mapped;
    OrderEvent& event = mapped.event;
    event.type = spec_.type;
    event.ip = context_.remote_addr;

    if (const ValueSpec* currency = field("currency")) {
      auto code = reader_.required_text(*currency, base("currency"), at("currency"), 8);
      if (!code) return;
      if (*code != context_.currency.code) {
        reader_.fail(at("currency") + currency->pointer,
                     "is \"" + *code + "\", but the program's currency is \"" +
                         context_.currency.code + "\"");
        return;
      }
    }
    auto order_id = required("orderId", kMaxIdLength);
    if (!order_id) return;
    event.order_id = *order_id;

    if (const ValueSpec* customer = field("customerId")) {
      auto id = reader_.text(*customer, base("customerId"), at("customerId"), 64);
      if (reader_.failed()) return;
      bool guest = !id.has_value();
      for (const std::string& guest_id : customer->guest) guest = guest || id == guest_id;
      if (guest) {
        skipped_ = "a guest order (no customer account) earns no points";
        return;
      }
      if (!is_valid_customer_id(*id)) {
        reader_.fail(at("customerId") + customer->pointer, "must match [A-Za-z0-9_-]{1,64}");
        return;
      }
      event.customer_id = *id;
    } else {
      mapped.customer_from_order = true;
    }
    if (const ValueSpec* email = field("email"))
      event.email = reader_.text(*email, base("email"), at("email"), 254);
    if (const ValueSpec* first_name = field("firstName"))
      event.first_name = reader_.text(*first_name, base("firstName"), at("firstName"), 100);
    auto instant = reader_.instant(*field("at"), base("at"), at("at"));
    if (!instant) return;
    event.at = *instant;

    std::string refund_id;
    if (field("refundId") != nullptr) {
      auto id = required("refundId", kMaxIdLength);
      if (!id) return;
      refund_id = *id;
    }
    if (spec_.type == "placed" && !read_order(event)) return;
    if (spec_.type == "refunded") {
      auto amount = reader_.money(*field("amount"), base("amount"), at("amount"));
      if (!amount) return;
      if (*amount < 0) {
        reader_.fail(at("amount") + source_pointer(*field("amount")),
                     "must not be negative (a refund is money given back)");
        return;
      }
      // A refund of shipping or tax alone returns nothing of what earned points.
      if (*amount == 0) {
        skipped_ = "a refund of no item amount changes no points";
        return;
      }
      event.refunded = *amount;
    }
    event.id = fill_template(spec_.id_template, {{"platform", mapping_.name},
                                                 {"topic", context_.topic},
                                                 {"type", spec_.type},
                                                 {"orderId", event.order_id},
                                                 {"refundId", refund_id}});
    if (event.id.size() > kMaxIdLength) {
      reader_.fail("/", "makes an event id longer than 128 characters");
      return;
    }
    out_.events.push_back(std::move(mapped));
  }

  const std::string& skipped() const { return skipped_; }

 private:
  const ValueSpec* field(const std::string& name) const {
    if (element_ != nullptr)
      if (auto found = spec_.each.find(name); found != spec_.each.end()) return &found->second;
    auto found = spec_.fields.find(name);
    return found == spec_.fields.end() ? nullptr : &found->second;
  }
  bool from_element(const std::string& name) const {
    return element_ != nullptr && spec_.each.count(name) > 0;
  }
  const json& base(const std::string& name) const {
    return from_element(name) ? *element_ : *root_;
  }
  std::string at(const std::string& name) const { return from_element(name) ? element_path_ : ""; }

  std::optional<std::string> required(const std::string& name, std::size_t max_length) {
    return reader_.required_text(*field(name), base(name), at(name), max_length);
  }

  std::optional<MinorUnits> amount(const char* name) {
    const ValueSpec* spec = field(name);
    if (spec == nullptr) return 0;
    auto value = reader_.money(*spec, base(name), at(name));
    if (value && *value < 0) {
      reader_.fail(at(name) + source_pointer(*spec), "must not be negative");
      return std::nullopt;
    }
    return value;
  }

  bool read_order(OrderEvent& event) {
    auto subtotal = amount("subtotal");
    auto discount = subtotal ? amount("discount") : std::nullopt;
    auto shipping = discount ? amount("shipping") : std::nullopt;
    auto tax = shipping ? amount("tax") : std::nullopt;
    if (!tax) return false;
    event.amounts = {*subtotal, *discount, *shipping, *tax};
    if (!spec_.lines) return true;
    const LineSpec& spec = *spec_.lines;
    const json* array = resolve(*root_, spec.array);
    if (array == nullptr || array->is_null()) return true;
    if (!array->is_array() || array->size() > kMaxArrayElements) {
      reader_.fail(spec.array, "must be an array of at most 10000 lines");
      return false;
    }
    json ours = json::array();
    for (std::size_t i = 0; i < array->size(); ++i) {
      const json& line = (*array)[i];
      const std::string path = spec.array + "/" + std::to_string(i);
      auto product = reader_.required_text(spec.product_id, line, path, kMaxIdLength);
      auto quantity = product ? reader_.integer(spec.quantity.pointer, line, path) : std::nullopt;
      auto line_amount = quantity ? reader_.money(spec.amount, line, path) : std::nullopt;
      const bool gift_card =
          line_amount && spec.gift_card && reader_.flag(*spec.gift_card, line, path);
      if (reader_.failed()) return false;
      ours.push_back({{"productId", *product},
                      {"quantity", *quantity},
                      {"amount", *line_amount},
                      {"kind", gift_card ? "gift_card" : "product"}});
    }
    // The core's reader of a ledger entry's lines decides what is a valid order (quantities,
    // amounts, the lines summing to the subtotal), so the ledger only gets what replay accepts.
    auto lines = parse_order_lines(ours.dump(), event.amounts, spec.array);
    for (const Diagnostic& problem : lines.diagnostics) {
      if (problem.severity != Severity::error) continue;
      reader_.fail(problem.path, problem.message);
      return false;
    }
    event.lines = std::move(*lines.value);
    return true;
  }

  const PlatformMapping& mapping_;
  const EventSpec& spec_;
  const DeliveryContext& context_;
  PayloadReader& reader_;
  MappedDelivery& out_;
  const json* root_ = nullptr;
  const json* element_ = nullptr;
  std::string element_path_;
  std::string skipped_;
};

}  // namespace

std::optional<PlatformMapping> parse_platform_mapping(std::string_view text, std::string& error) {
  error.clear();
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    error = "/: is not a JSON object";
    return std::nullopt;
  }
  MappingReader reader(error);
  PlatformMapping mapping;
  mapping.name = reader.text(document, "platform", "", true);
  if (auto signature = document.find("signature");
      signature == document.end() || !signature->is_object()) {
    reader.fail("/signature", "is required: {\"header\", \"algorithm\", \"encoding\"}");
  } else {
    mapping.signature_header = reader.text(*signature, "header", "/signature", true);
    // The one scheme both platforms use; another would need code, so a file can't ask for it.
    if (reader.text(*signature, "algorithm", "/signature", true) != "hmac-sha256")
      reader.fail("/signature/algorithm", "must be \"hmac-sha256\"");
    if (reader.text(*signature, "encoding", "/signature", true) != "base64")
      reader.fail("/signature/encoding", "must be \"base64\"");
  }
  mapping.topic_header = reader.text(document, "topicHeader", "", true);
  if (document.contains("testOrder"))
    mapping.test_pointer = reader.pointer(document["testOrder"], "/testOrder");
  if (auto events = document.find("events"); events == document.end() || !events->is_object()) {
    reader.fail("/events", "is required: an object of event specs by name");
  } else {
    for (const auto& [name, spec] : events->items())
      mapping.events[name] = reader.event(name, spec, "/events/" + name);
  }
  if (auto topics = document.find("topics"); topics == document.end() || !topics->is_object()) {
    reader.fail("/topics", "is required: an object of event spec names by topic");
  } else {
    for (const auto& [topic, names] : topics->items()) {
      const std::string path = "/topics/" + topic;
      if (!names.is_array()) {
        reader.fail(path, "must be an array of event spec names");
        continue;
      }
      for (const json& name : names) {
        if (!name.is_string() || !mapping.events.count(name.get<std::string>()))
          reader.fail(path, "names an event spec that /events does not have: " + name.dump());
        else
          mapping.topics[topic].push_back(name.get<std::string>());
      }
    }
  }
  if (reader.failed()) return std::nullopt;
  return mapping;
}

MappedDelivery map_delivery(const PlatformMapping& mapping, const json& payload,
                            const DeliveryContext& context) {
  MappedDelivery out;
  auto topic = mapping.topics.find(context.topic);
  if (topic == mapping.topics.end()) {
    out.ignored = "the topic \"" + context.topic + "\" changes no points";
    return out;
  }
  if (!payload.is_object()) {
    out.error_path = "/";
    out.error_message = "must be a JSON object";
    return out;
  }
  PayloadReader reader(context, out);
  if (!mapping.test_pointer.empty() && !context.accept_test_orders) {
    ValueSpec test;
    test.pointer = mapping.test_pointer;
    if (reader.flag(test, payload, "")) {
      out.ignored = "a test order earns no points (the server is not in --demo mode)";
      return out;
    }
  }
  std::string skipped;
  for (const std::string& name : topic->second) {
    const EventSpec& spec = mapping.events.at(name);
    if (!spec.when_pointer.empty()) {
      ValueSpec condition;
      condition.pointer = spec.when_pointer;
      auto value = reader.text(condition, payload, "", 64);
      if (reader.failed()) break;
      bool matches = false;
      for (const std::string& allowed : spec.when_in) matches = matches || value == allowed;
      if (!matches) {
        skipped = "the status \"" + value.value_or("") + "\" changes no points";
        continue;
      }
    }
    EventBuilder builder(mapping, spec, context, reader, out);
    if (spec.for_each.empty()) {
      builder.build(payload, nullptr, "");
    } else {
      const json* array = resolve(payload, spec.for_each);
      if (array != nullptr && !array->is_null()) {
        if (!array->is_array() || array->size() > kMaxArrayElements) {
          reader.fail(spec.for_each, "must be an array of at most 10000 elements");
          break;
        }
        for (std::size_t i = 0; i < array->size() && !reader.failed(); ++i)
          builder.build(payload, &(*array)[i], spec.for_each + "/" + std::to_string(i));
      }
    }
    if (reader.failed()) break;
    if (!builder.skipped().empty()) skipped = builder.skipped();
  }
  if (out.failed()) {
    out.events.clear();
    return out;
  }
  if (out.events.empty()) out.ignored = skipped.empty() ? "nothing in it changes points" : skipped;
  return out;
}

}  // namespace loyalty::server
