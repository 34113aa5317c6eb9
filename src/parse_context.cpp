// Reads and validates a context document (include/loyalty/CONTRACT.md, "Context").
#include <string>
#include <utility>

#include "json_read.hpp"
#include "loyalty/share.hpp"
#include "parse.hpp"

namespace loyalty {
namespace detail {
namespace {

constexpr std::size_t kMaxCartItems = 10000;
constexpr std::int64_t kMaxQuantity = 1000000;
constexpr std::size_t kMaxFirstName = 100;

void read_cart(const JsonReader& value, Context& context) {
  if (!value.expect_object()) return;
  value.warn_unknown_fields({"currency", "amounts", "items", "pointsApplied"});
  Cart cart;
  if (auto currency = value.required("currency")) {
    if (auto code = currency->as_string()) {
      if (iso4217_minor_units(*code)) {
        cart.currency = std::move(*code);
      } else {
        currency->error_got("is not a known ISO 4217 currency code such as \"USD\"");
      }
    }
  }
  if (auto amounts = value.required("amounts")) cart.amounts = read_order_amounts(*amounts);
  if (auto items = value.optional("items")) {
    if (auto list = items->as_array(kMaxCartItems)) {
      for (const auto& element : *list) {
        if (!element.expect_object()) continue;
        element.warn_unknown_fields({"productId", "quantity", "price", "collections", "kind"});
        CartItem item;
        auto product = element.required_string("productId");
        auto quantity = element.optional_integer("quantity", between(1, kMaxQuantity, "items"));
        auto price = element.required_integer("price", non_negative("minor units"));
        if (!product || !price || (element.has("quantity") && !quantity)) continue;
        item.product_id = std::move(*product);
        if (quantity) item.quantity = *quantity;
        item.price = *price;
        if (auto kind =
                element.optional_enum("kind", {LineKind::product, LineKind::gift_card,
                                               LineKind::shipping, LineKind::tax, LineKind::tip}))
          item.kind = *kind;
        if (auto collections = element.optional("collections")) {
          if (auto ids = collections->as_array(100))
            for (const auto& id : *ids)
              if (auto text = id.as_string()) item.collections.push_back(std::move(*text));
        }
        cart.items.push_back(std::move(item));
      }
    }
  }
  if (auto applied = value.optional_integer("pointsApplied", non_negative("points")))
    cart.points_applied = *applied;
  context.cart = std::move(cart);
}

void read_referred_by(const JsonReader& value, Context& context) {
  if (!value.expect_object()) return;
  value.warn_unknown_fields({"code", "advocateFirstName"});
  auto code = value.required_string("code");
  auto name = value.required_string("advocateFirstName");
  if (!code || !name) return;
  if (!is_referral_code(*code)) {
    value.required("code")->error("must be 1 to 64 letters, digits, '-' or '_' (got " +
                                  value.required("code")->describe() + ")");
    return;
  }
  if (name->size() > kMaxFirstName) {
    value.required("advocateFirstName")->error("is longer than 100 bytes");
    return;
  }
  context.referred_by = ReferredBy{std::move(*code), std::move(*name)};
}

void read_context(const JsonReader& root, Context& context) {
  root.warn_unknown_fields({"version", "now", "locale", "cart", "pageUrl", "friendRewardText",
                            "referredBy", "timeZone", "$schema"});
  read_document_version(root);
  if (auto now = root.required_instant("now")) {
    context.now = now->epoch;
    context.now_offset_minutes = now->offset_minutes;
  }
  if (auto locale = root.optional("locale")) {
    if (auto tag = locale->as_string()) {
      if (looks_like_language_tag(*tag)) {
        context.locale = std::move(*tag);
      } else {
        locale->error_got("must be a language tag such as \"en\", \"lv\" or \"zh-Hant\"");
      }
    }
  }
  if (auto cart = root.optional("cart")) read_cart(*cart, context);
  if (auto page = root.optional_string("pageUrl")) context.page_url = std::move(*page);
  if (auto words = root.optional_string("friendRewardText"))
    context.friend_reward_text = std::move(*words);
  if (auto referred = root.optional("referredBy")) read_referred_by(*referred, context);
  if (auto zone = root.optional("timeZone")) context.time_zone = read_time_zone(*zone);
}

}  // namespace

Result<Context> context_from_json(const JsonDocument& document) {
  Result<Context> result;
  Diagnostics diagnostics;
  JsonReader root(document, "", diagnostics);
  if (root.expect_object()) {
    Context context;
    read_context(root, context);
    if (!diagnostics.has_errors()) result.value.emplace(std::move(context));
  }
  result.diagnostics = std::move(diagnostics.items);
  return result;
}

}  // namespace detail

Result<Context> parse_context(std::string_view json_text) {
  Diagnostics diagnostics;
  auto document = detail::parse_json_document(json_text, diagnostics);
  if (!document) return {std::nullopt, std::move(diagnostics.items)};
  return detail::context_from_json(*document);
}

}  // namespace loyalty
