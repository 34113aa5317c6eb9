#include <gtest/gtest.h>

#include "json_document.hpp"

#include <nlohmann/json.hpp>

#include "diagnostic_matchers.hpp"
#include "loyalty/context.hpp"
#include "parse.hpp"

namespace loyalty {
namespace {

using nlohmann::json;
using testing_support::has_error;
using testing_support::has_warning;
using testing_support::list_diagnostics;

/// The context of CONTRACT.md.
json contract_context() {
  return json::parse(R"({"version": 1, "now": "2026-11-23T10:00:00-05:00", "locale": "en",
 "cart": {"currency": "USD", "amounts": {"subtotal": 5000, "discount": 0, "shipping": 500, "tax": 0},
          "items": [{"productId": "sku-1", "quantity": 2, "price": 2500}]},
 "pageUrl": "https://maple.example/products/mug"})");
}

Result<Context> parse(const json& document) { return parse_context(document.dump()); }

Result<Context> parse_with(json document, const std::string& pointer, json value) {
  document[json::json_pointer(pointer)] = std::move(value);
  return parse(document);
}

Result<Context> parse_without(json document, const std::string& parent, const std::string& key) {
  document[json::json_pointer(parent)].erase(key);
  return parse(document);
}

TEST(ParseContext, ContractExampleRoundTrips) {
  auto result = parse(contract_context());
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << list_diagnostics(result.diagnostics);
  const Context& c = *result.value;
  EXPECT_EQ(c.now, 1795446000);  // 2026-11-23T15:00:00Z
  EXPECT_EQ(c.now_offset_minutes, -300);
  EXPECT_EQ(c.locale, "en");
  ASSERT_TRUE(c.cart);
  EXPECT_EQ(c.cart->currency, "USD");
  EXPECT_EQ(c.cart->amounts.subtotal, 5000);
  EXPECT_EQ(c.cart->amounts.shipping, 500);
  ASSERT_EQ(c.cart->items.size(), 1u);
  EXPECT_EQ(c.cart->items[0].product_id, "sku-1");
  EXPECT_EQ(c.cart->items[0].quantity, 2);
  EXPECT_EQ(c.cart->items[0].price, 2500);
  EXPECT_EQ(c.page_url, "https://maple.example/products/mug");
}

TEST(ParseContext, MinimalContextUsesDefaults) {
  auto result = parse_context(R"({"version": 1, "now": "2026-11-23T15:00:00Z"})");
  ASSERT_TRUE(result.ok()) << list_diagnostics(result.diagnostics);
  EXPECT_EQ(result.value->locale, "en");
  EXPECT_EQ(result.value->now_offset_minutes, 0);
  EXPECT_FALSE(result.value->cart);
  EXPECT_EQ(result.value->page_url, "");
  EXPECT_EQ(result.value->friend_reward_text, "");
}

TEST(ParseContext, FriendRewardTextIsTheWebLayersWords) {
  auto worded = parse_with(contract_context(), "/friendRewardText", "10 % de descuento");
  ASSERT_TRUE(worded.ok()) << list_diagnostics(worded.diagnostics);
  EXPECT_TRUE(worded.diagnostics.empty()) << list_diagnostics(worded.diagnostics);
  EXPECT_EQ(worded.value->friend_reward_text, "10 % de descuento");
  auto number = parse_with(contract_context(), "/friendRewardText", 10);
  EXPECT_TRUE(has_error(number.diagnostics, "/friendRewardText", "text"));
}

TEST(ParseContext, ReferredByIsTheBackendsLookup) {
  auto read = parse_with(contract_context(), "/referredBy",
                         {{"code", "BEA-7K_2"}, {"advocateFirstName", "Béa"}});
  ASSERT_TRUE(read.ok()) << list_diagnostics(read.diagnostics);
  ASSERT_TRUE(read.value->referred_by.has_value());
  EXPECT_EQ(read.value->referred_by->code, "BEA-7K_2");
  EXPECT_EQ(read.value->referred_by->advocate_first_name, "Béa");

  auto spaced = parse_with(contract_context(), "/referredBy",
                           {{"code", "BEA 7K"}, {"advocateFirstName", "Bea"}});
  EXPECT_TRUE(has_error(spaced.diagnostics, "/referredBy/code", "letters, digits"));
  auto long_code = parse_with(contract_context(), "/referredBy",
                              {{"code", std::string(65, 'A')}, {"advocateFirstName", "Bea"}});
  EXPECT_TRUE(has_error(long_code.diagnostics, "/referredBy/code", "1 to 64"));
  auto long_name = parse_with(contract_context(), "/referredBy",
                              {{"code", "BEA"}, {"advocateFirstName", std::string(101, 'a')}});
  EXPECT_TRUE(has_error(long_name.diagnostics, "/referredBy/advocateFirstName", "100 bytes"));
  auto no_name = parse_with(contract_context(), "/referredBy", {{"code", "BEA"}});
  EXPECT_TRUE(has_error(no_name.diagnostics, "/referredBy/advocateFirstName", "is required"));
  auto not_object = parse_with(contract_context(), "/referredBy", "BEA");
  EXPECT_FALSE(not_object.ok());
}

TEST(ParseContext, NowIsRequiredWithAnOffset) {
  auto missing = parse_without(contract_context(), "", "now");
  EXPECT_FALSE(missing.ok());
  EXPECT_TRUE(has_error(missing.diagnostics, "/now", "is required"));
  auto local = parse_with(contract_context(), "/now", "2026-11-23T10:00:00");
  EXPECT_TRUE(has_error(local.diagnostics, "/now", "UTC offset"));
  auto number = parse_with(contract_context(), "/now", 1795964400);
  EXPECT_TRUE(has_error(number.diagnostics, "/now", "UTC offset"));
}

TEST(ParseContext, Locale) {
  auto underscore = parse_with(contract_context(), "/locale", "en_US");
  EXPECT_TRUE(has_error(underscore.diagnostics, "/locale", "language tag"));
  auto empty = parse_with(contract_context(), "/locale", "");
  EXPECT_TRUE(has_error(empty.diagnostics, "/locale", "empty"));
  auto script = parse_with(contract_context(), "/locale", "zh-Hant-TW");
  ASSERT_TRUE(script.ok());
  EXPECT_EQ(script.value->locale, "zh-Hant-TW");
}

TEST(ParseContext, Cart) {
  auto currency = parse_with(contract_context(), "/cart/currency", "ABC");
  EXPECT_TRUE(has_error(currency.diagnostics, "/cart/currency", "ISO 4217"));
  auto no_currency = parse_without(contract_context(), "/cart", "currency");
  EXPECT_TRUE(has_error(no_currency.diagnostics, "/cart/currency", "is required"));
  auto subtotal = parse_with(contract_context(), "/cart/amounts/subtotal", 1.5);
  EXPECT_TRUE(has_error(subtotal.diagnostics, "/cart/amounts/subtotal", "(got 1.5)"));
  auto no_amounts = parse_without(contract_context(), "/cart", "amounts");
  EXPECT_TRUE(has_error(no_amounts.diagnostics, "/cart/amounts", "is required"));
  auto quantity = parse_with(contract_context(), "/cart/items/0/quantity", 0);
  EXPECT_TRUE(has_error(quantity.diagnostics, "/cart/items/0/quantity", "from 1 to 1000000"));
  auto price = parse_without(contract_context(), "/cart/items/0", "price");
  EXPECT_TRUE(has_error(price.diagnostics, "/cart/items/0/price", "is required"));
  auto product = parse_with(contract_context(), "/cart/items/0/productId", 42);
  EXPECT_TRUE(has_error(product.diagnostics, "/cart/items/0/productId", "must be text"));
  auto items = parse_with(contract_context(), "/cart/items", "sku-1");
  EXPECT_TRUE(has_error(items.diagnostics, "/cart/items", "must be a list"));
  auto default_quantity = parse_without(contract_context(), "/cart/items/0", "quantity");
  ASSERT_TRUE(default_quantity.ok());
  EXPECT_EQ(default_quantity.value->cart->items[0].quantity, 1);
}

TEST(ParseContext, VersionAndUnknownFields) {
  auto missing = parse_without(contract_context(), "", "version");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(has_warning(missing.diagnostics, "/version", "read as version 1"));
  auto two = parse_with(contract_context(), "/version", 2);
  EXPECT_TRUE(has_error(two.diagnostics, "/version", "unsupported version 2"));
  auto unknown = parse_with(contract_context(), "/cart/coupon", "X");
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(has_warning(unknown.diagnostics, "/cart/coupon", "unknown field, ignored"));
  auto malformed = parse_context("{\"now\": 2026-11-23}");
  EXPECT_TRUE(has_error(malformed.diagnostics, "", "not valid JSON"));
}

TEST(ParseContext, FromParsedJson) {
  auto result = detail::context_from_json(testing_support::document_of(contract_context()));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value->now_offset_minutes, -300);
}

}  // namespace
}  // namespace loyalty
