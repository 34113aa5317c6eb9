// POST /v1/webhooks/{platform} against a real Backend (SQLite in a temporary directory, no
// socket): Shopify's and WooCommerce's order webhooks, read by platforms/*.json, with the
// customer's balance read back through the admin API after each delivery. The payloads are
// written here from each platform's documented field names.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "auth.hpp"
#include "backend.hpp"
#include "decimal_money.hpp"
#include "platform_files.hpp"
#include "platform_mapping.hpp"

namespace loyalty::server {
namespace {

using json = nlohmann::json;

constexpr const char* kShopifySecret = "shpss_unit_test_secret";
constexpr const char* kWooSecret = "wc_unit_test_secret";

std::string instant_ago(std::int64_t seconds) {
  return format_instant(static_cast<EpochSeconds>(std::time(nullptr)) - seconds, 0);
}

/// A program of one order rule: `points` per `per` minor units of `currency`.
std::string program_text(const std::string& currency, int per) {
  return json{
      {"version", 1},
      {"id", "hooks"},
      {"name", {{"en", "Hooks"}}},
      {"points", {{"singular", {{"en", "point"}}}, {"plural", {{"en", "points"}}}}},
      {"currency", currency},
      {"earning",
       json::array({{{"id", "orders"}, {"type", "order"}, {"points", 1}, {"per", per}}})},
      {"rewards",
       json::array({{{"id", "pct20"}, {"type", "percent_off"}, {"percent", 20}, {"cost", 100}}})}}
      .dump();
}

class PlatformWebhooks : public ::testing::Test {
 protected:
  void TearDown() override {
    backend_.reset();
    if (!root_.empty()) std::filesystem::remove_all(root_);
  }

  void start(const std::string& currency = "USD", int per = 100, bool demo = false) {
    root_ = std::filesystem::temp_directory_path() / ("loyalty-webhooks-" + random_hex(8));
    std::filesystem::create_directories(root_);
    std::ofstream(root_ / "program.json") << program_text(currency, per);
    ServerConfig config;
    config.database.path = (root_ / "loyalty.db").string();
    config.database.sync = SyncMode::normal;
    config.secret = "unit-test-secret-0123";
    config.admin_key = "admin";
    config.idempotency_key_seconds = 0;
    config.demo_routes = demo;
    config.webhook_secrets = {{"shopify", kShopifySecret}, {"woocommerce", kWooSecret}};
    backend_ = std::make_unique<Backend>(config);
    std::string error;
    ASSERT_TRUE(backend_->start((root_ / "program.json").string(), "", error)) << error;
  }

  /// Delivers `body` as the platform would: signed over its exact bytes unless told otherwise.
  ApiResponse deliver(const std::string& platform, const std::string& topic,
                      const std::string& body, std::optional<std::string> signature = {}) {
    const bool shopify = platform == "shopify";
    Request request;
    request.method = "POST";
    request.path = "/v1/webhooks/" + platform;
    request.matches = {request.path, platform};
    request.remote_addr = "203.0.113.9";
    request.body = body;
    request.headers.emplace_back(shopify ? "X-Shopify-Topic" : "X-WC-Webhook-Topic", topic);
    const std::string sent =
        signature ? *signature : hmac_sha256_base64(shopify ? kShopifySecret : kWooSecret, body);
    if (!sent.empty())
      request.headers.emplace_back(shopify ? "X-Shopify-Hmac-Sha256" : "X-WC-Webhook-Signature",
                                   sent);
    return backend_->post_platform_webhook(request);
  }

  /// The customer's balance through GET /v1/admin/customers/{id}; -1 when unknown.
  std::int64_t balance(const std::string& customer_id) {
    Request request;
    request.method = "GET";
    request.path = "/v1/admin/customers/" + customer_id;
    request.matches = {request.path, customer_id};
    request.headers.emplace_back("X-Admin-Key", "admin");
    ApiResponse answer = backend_->get_customer_admin(request);
    if (answer.status == 404) return -1;
    EXPECT_EQ(answer.status, 200) << answer.body;
    const json document = json::parse(answer.body);
    return document.at("summary").at("balance").get<std::int64_t>();
  }

  std::filesystem::path root_;
  std::unique_ptr<Backend> backend_;
};

json body_of(const ApiResponse& answer) { return json::parse(answer.body); }

/// A Shopify order as its orders/* webhooks send it: a mug bought twice, a gift card, a
/// discount code, two shipping lines and tax, all in the shop's currency.
json shopify_order(std::int64_t order_id, std::int64_t customer_id) {
  return {{"id", order_id},
          {"name", "#1" + std::to_string(order_id % 1000)},
          {"email", "ana@example.com"},
          {"test", false},
          {"currency", "USD"},
          {"presentment_currency", "USD"},
          {"created_at", instant_ago(120)},
          {"processed_at", instant_ago(100)},
          {"financial_status", "paid"},
          {"total_line_items_price", "105.00"},
          {"subtotal_price", "95.00"},
          {"total_discounts", "10.00"},
          {"total_tax", "6.30"},
          {"total_price", "108.80"},
          {"discount_codes", json::array({{{"code", "SPRING10"}, {"amount", "10.00"}}})},
          {"customer", {{"id", customer_id}, {"email", "ana@example.com"}, {"first_name", "Ana"}}},
          {"line_items", json::array({{{"id", 9001},
                                       {"product_id", 632910392},
                                       {"title", "Enamel mug"},
                                       {"quantity", 2},
                                       {"price", "40.00"},
                                       {"gift_card", false}},
                                      {{"id", 9002},
                                       {"product_id", 111222333},
                                       {"title", "Gift card"},
                                       {"quantity", 1},
                                       {"price", "25.00"},
                                       {"gift_card", true}}})},
          {"shipping_lines", json::array({{{"title", "Standard"}, {"price", "5.00"}},
                                          {{"title", "Fragile handling"}, {"price", "2.50"}}})}};
}

// Mugs $80 and a $25 gift card with $10 off: the mugs earn on 80 - floor(10 * 80 / 105) = 72.39,
// so 72 points; the gift card, shipping and tax earn nothing.
constexpr std::int64_t kShopifyOrderPoints = 72;

TEST(DecimalMoney, ReadsExactlyInTheCurrencysDigits) {
  std::string error;
  EXPECT_EQ(parse_decimal_minor_units("12.34", 2, error), 1234);
  EXPECT_EQ(parse_decimal_minor_units("-5.00", 2, error), -500);
  EXPECT_EQ(parse_decimal_minor_units("1500", 0, error), 1500);
  EXPECT_EQ(parse_decimal_minor_units("1500.00", 0, error), 1500);  // zeros change nothing
  EXPECT_EQ(parse_decimal_minor_units("1.5", 3, error), 1500);
  EXPECT_EQ(parse_decimal_minor_units("0.125", 3, error), 125);
  EXPECT_EQ(parse_decimal_minor_units("0.1", 2, error), 10);
  for (const char* refused :
       {"12.345", "", "-", "1.", ".5", "1e3", "+1", " 1", "1,5", "0x10", "99999999999999999999"}) {
    error.clear();
    EXPECT_FALSE(parse_decimal_minor_units(refused, 2, error)) << refused;
    EXPECT_FALSE(error.empty()) << refused;
  }
  EXPECT_FALSE(parse_decimal_minor_units("0.1234", 3, error));
  EXPECT_NE(error.find("more decimals than the currency's 3"), std::string::npos) << error;
}

TEST(Base64, EncodesWithPaddingAsRfc4648) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
  // RFC 4231 test case 2's HMAC, as base64.
  EXPECT_EQ(hmac_sha256_base64("Jefe", "what do ya want for nothing?"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST(PlatformMappingFiles, EveryBuiltInFileParses) {
  ASSERT_GE(builtin_platform_files().size(), 2u);
  for (const PlatformFile& file : builtin_platform_files()) {
    std::string error;
    auto mapping = parse_platform_mapping(file.text, error);
    ASSERT_TRUE(mapping) << file.name << ": " << error;
    EXPECT_EQ(mapping->name, file.name);
  }
}

TEST(PlatformMappingFiles, ABadFileIsRefusedWithItsPath) {
  std::string error;
  EXPECT_FALSE(parse_platform_mapping(R"({"platform": "x", "signature": {"header": "S",
      "algorithm": "hmac-sha256", "encoding": "base64"}, "topicHeader": "T",
      "topics": {"a": ["placed"]}, "events": {"placed": {"type": "placed", "id": "x:{orderId}",
      "orderId": "id", "at": "/at", "amounts": {"subtotal": "/s"}}}})",
                                      error));
  EXPECT_EQ(error.rfind("/events/placed/orderId: ", 0), 0u) << error;
  EXPECT_FALSE(parse_platform_mapping(R"({"platform": "x", "signature": {"header": "S",
      "algorithm": "hmac-sha256", "encoding": "base64"}, "topicHeader": "T",
      "topics": {"a": ["nope"]}, "events": {}})",
                                      error));
  EXPECT_EQ(error.rfind("/topics/a: ", 0), 0u) << error;
}

TEST_F(PlatformWebhooks, ShopifyOrdersPaidAwardsOnTheItemsButNotTheGiftCard) {
  start();
  ApiResponse answer = deliver("shopify", "orders/paid", shopify_order(5001, 7001).dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json events = body_of(answer)["events"];
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["id"], "shopify:orders/paid:5001");
  EXPECT_EQ(events[0]["customerId"], "7001");
  EXPECT_EQ(events[0]["applied"], true);
  EXPECT_EQ(events[0]["points"], kShopifyOrderPoints);
  EXPECT_EQ(balance("7001"), kShopifyOrderPoints);
}

TEST_F(PlatformWebhooks, ShopifyRetriesAndOrdersPaidAfterOrdersCreateAwardOnce) {
  start();
  const std::string body = shopify_order(5002, 7002).dump();
  ASSERT_EQ(deliver("shopify", "orders/create", body).status, 200);
  ApiResponse retried = deliver("shopify", "orders/create", body);
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(body_of(retried)["events"][0]["applied"], false);
  ApiResponse paid = deliver("shopify", "orders/paid", body);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(body_of(paid)["events"][0]["applied"], false);  // the same order id
  EXPECT_EQ(balance("7002"), kShopifyOrderPoints);
}

TEST_F(PlatformWebhooks, ShopifyPartialRefundClawsBackItsShareOnceAndCancellationTheRest) {
  start();
  ASSERT_EQ(deliver("shopify", "orders/paid", shopify_order(5003, 7003).dump()).status, 200);
  // One of the two mugs back: its $40 less its share of the discount.
  const json refund = {
      {"id", 880001},
      {"order_id", 5003},
      {"created_at", instant_ago(30)},
      {"note", "chipped"},
      {"refund_line_items",
       json::array({{{"id", 1},
                     {"line_item_id", 9001},
                     {"quantity", 1},
                     {"subtotal", 36.19},
                     {"subtotal_set",
                      {{"shop_money", {{"amount", "36.19"}, {"currency_code", "USD"}}}}}}})},
      {"transactions", json::array({{{"kind", "refund"}, {"amount", "38.36"}}})}};
  ApiResponse refunded = deliver("shopify", "refunds/create", refund.dump());
  ASSERT_EQ(refunded.status, 200) << refunded.body;
  const json event = body_of(refunded)["events"][0];
  EXPECT_EQ(event["id"], "shopify:refund:880001");
  EXPECT_EQ(event["customerId"], "7003");  // found from the order: a refund names no customer
  const std::int64_t clawed = event["points"].get<std::int64_t>();
  EXPECT_LT(clawed, 0);
  const std::int64_t after_refund = balance("7003");
  EXPECT_EQ(after_refund, kShopifyOrderPoints + clawed);
  EXPECT_GE(after_refund, 35);
  EXPECT_LE(after_refund, 37);

  ApiResponse again = deliver("shopify", "refunds/create", refund.dump());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(body_of(again)["events"][0]["applied"], false);
  EXPECT_EQ(balance("7003"), after_refund);

  json cancelled = shopify_order(5003, 7003);
  cancelled["cancelled_at"] = instant_ago(10);
  cancelled["cancel_reason"] = "customer";
  ApiResponse cancel = deliver("shopify", "orders/cancelled", cancelled.dump());
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(body_of(cancel)["events"][0]["id"], "shopify:orders/cancelled:5003");
  EXPECT_EQ(balance("7003"), 0);
}

TEST_F(PlatformWebhooks, ShopifyRefundOfAnOrderNeverRecordedIsIgnored) {
  start();
  const json refund = {{"id", 880002},
                       {"order_id", 424242},
                       {"created_at", instant_ago(30)},
                       {"refund_line_items",
                        json::array({{{"subtotal_set", {{"shop_money", {{"amount", "5.00"}}}}}}})}};
  ApiResponse answer = deliver("shopify", "refunds/create", refund.dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer)["ignored"], true);
}

TEST_F(PlatformWebhooks, ShopifyTestOrdersAreIgnoredUnlessInDemoMode) {
  start();
  json order = shopify_order(5004, 7004);
  order["test"] = true;
  ApiResponse answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer)["ignored"], true);
  EXPECT_EQ(balance("7004"), -1);  // not even enrolled
}

TEST_F(PlatformWebhooks, ShopifyTestOrdersAwardInDemoMode) {
  start("USD", 100, true);
  json order = shopify_order(5005, 7005);
  order["test"] = true;
  ASSERT_EQ(deliver("shopify", "orders/paid", order.dump()).status, 200);
  EXPECT_EQ(balance("7005"), kShopifyOrderPoints);
}

TEST_F(PlatformWebhooks, SignaturesAreCheckedOverTheRawBytes) {
  start();
  const std::string body = shopify_order(5006, 7006).dump();
  const std::string signature = hmac_sha256_base64(kShopifySecret, body);
  std::string tampered = body;
  tampered.replace(tampered.find("40.00"), 5, "90.00");
  EXPECT_EQ(deliver("shopify", "orders/paid", tampered, signature).status, 401);
  EXPECT_EQ(deliver("shopify", "orders/paid", body, std::string()).status, 401);  // missing
  EXPECT_EQ(deliver("shopify", "orders/paid", body, hmac_sha256_base64("guess", body)).status, 401);
  // The same JSON with other whitespace is other bytes: the platform signed what it sent.
  EXPECT_EQ(deliver("shopify", "orders/paid", json::parse(body).dump(2), signature).status, 401);
  // WooCommerce's secret does not sign Shopify's deliveries.
  EXPECT_EQ(deliver("shopify", "orders/paid", body, hmac_sha256_base64(kWooSecret, body)).status,
            401);
  EXPECT_EQ(balance("7006"), -1);
  EXPECT_EQ(deliver("shopify", "orders/paid", body, signature).status, 200);
  EXPECT_EQ(balance("7006"), kShopifyOrderPoints);
}

TEST_F(PlatformWebhooks, UnknownPlatformIs404AndUnknownTopicIsIgnored) {
  start();
  EXPECT_EQ(deliver("shoplazza", "orders/paid", "{}", "x").status, 404);
  ApiResponse topic = deliver("shopify", "products/update", R"({"id": 1})");
  ASSERT_EQ(topic.status, 200) << topic.body;
  EXPECT_EQ(body_of(topic)["ignored"], true);
}

TEST_F(PlatformWebhooks, AnotherCurrencyIsRefusedWithItsPath) {
  start();
  json order = shopify_order(5007, 7007);
  order["currency"] = "EUR";
  ApiResponse answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/currency");
  EXPECT_EQ(balance("7007"), -1);
}

TEST_F(PlatformWebhooks, TooPreciseOrFloatingAmountsAreRefusedWithTheirPath) {
  start();
  json order = shopify_order(5008, 7008);
  order["line_items"][1]["price"] = "25.001";
  ApiResponse answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/line_items/1/price");
  EXPECT_NE(body_of(answer)["error"]["message"].get<std::string>().find("more decimals"),
            std::string::npos);
  order = shopify_order(5008, 7008);
  order["total_tax"] = 6.3;  // a binary fraction, never exact
  answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/total_tax");
  order = shopify_order(5008, 7008);
  order["line_items"][0]["quantity"] = "2";
  answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/line_items/0/quantity");
  EXPECT_EQ(balance("7008"), -1);
}

TEST_F(PlatformWebhooks, AnOrderDatedBeyondTheClockSkewIsRefused) {
  start();
  json order = shopify_order(5009, 7009);
  order["processed_at"] = format_instant(static_cast<EpochSeconds>(std::time(nullptr)) + 3600, 0);
  ApiResponse answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/processed_at");
}

TEST_F(PlatformWebhooks, ShopifyJapaneseYenHasNoMinorDigits) {
  start("JPY", 100);  // a point per 100 yen
  json order = shopify_order(5010, 7010);
  order["currency"] = "JPY";
  order["line_items"] =
      json::array({{{"product_id", 1}, {"quantity", 3}, {"price", "1500"}, {"gift_card", false}}});
  order["total_discounts"] = "0";
  order["total_tax"] = "450.00";  // padded zeros are still exact
  order["shipping_lines"] = json::array({{{"price", "600"}}});
  ApiResponse answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(balance("7010"), 45);
  order["id"] = 5011;
  order["line_items"][0]["price"] = "1500.5";
  answer = deliver("shopify", "orders/paid", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/line_items/0/price");
}

/// A WooCommerce order as its order.* webhooks send it (REST API v3 order shape).
json woo_order(std::int64_t order_id, std::int64_t customer_id, const std::string& status) {
  return {{"id", order_id},
          {"parent_id", 0},
          {"status", status},
          {"currency", "USD"},
          {"date_created_gmt", format_instant(std::time(nullptr) - 300, 0).substr(0, 19)},
          {"date_modified_gmt", format_instant(std::time(nullptr) - 60, 0).substr(0, 19)},
          {"discount_total", "6.00"},
          {"shipping_total", "4.50"},
          {"total_tax", "3.20"},
          {"total", "61.70"},
          {"customer_id", customer_id},
          {"billing", {{"first_name", "Bea"}, {"email", "bea@example.com"}}},
          {"line_items", json::array({{{"id", 31},
                                       {"product_id", 93},
                                       {"quantity", 2},
                                       {"subtotal", "40.00"},
                                       {"total", "36.00"},
                                       {"price", 20}},
                                      {{"id", 32},
                                       {"product_id", 94},
                                       {"quantity", 1},
                                       {"subtotal", "20.00"},
                                       {"total", "18.00"},
                                       {"price", 20}}})},
          {"refunds", json::array()}};
}

// $60 of items less $6: 54 points.
constexpr std::int64_t kWooOrderPoints = 54;

TEST_F(PlatformWebhooks, WooCommerceAwardsWhenTheStatusSaysPaidAndTakesRefundsFromTheOrder) {
  start();
  ApiResponse pending =
      deliver("woocommerce", "order.created", woo_order(301, 41, "pending").dump());
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_EQ(body_of(pending)["ignored"], true);
  EXPECT_EQ(balance("41"), -1);

  ApiResponse processing =
      deliver("woocommerce", "order.updated", woo_order(301, 41, "processing").dump());
  ASSERT_EQ(processing.status, 200) << processing.body;
  EXPECT_EQ(body_of(processing)["events"][0]["id"], "woocommerce:placed:301");
  EXPECT_EQ(balance("41"), kWooOrderPoints);

  ApiResponse completed =
      deliver("woocommerce", "order.updated", woo_order(301, 41, "completed").dump());
  ASSERT_EQ(completed.status, 200) << completed.body;
  EXPECT_EQ(body_of(completed)["events"][0]["applied"], false);
  EXPECT_EQ(balance("41"), kWooOrderPoints);

  // Half the basis back ($27), as WooCommerce lists it: a negative total inside the order.
  json refunded = woo_order(301, 41, "completed");
  refunded["refunds"] = json::array({{{"id", 777}, {"reason", "damaged"}, {"total", "-27.00"}}});
  ApiResponse refund = deliver("woocommerce", "order.updated", refunded.dump());
  ASSERT_EQ(refund.status, 200) << refund.body;
  const json events = body_of(refund)["events"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["id"], "woocommerce:refund:777");
  EXPECT_EQ(events[1]["applied"], true);
  EXPECT_EQ(balance("41"), kWooOrderPoints / 2);

  // WooCommerce sends the whole order again on every later change: the refund counts once.
  ApiResponse replayed = deliver("woocommerce", "order.updated", refunded.dump());
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_EQ(body_of(replayed)["events"][1]["applied"], false);
  EXPECT_EQ(balance("41"), kWooOrderPoints / 2);
}

TEST_F(PlatformWebhooks, WooCommerceCancellationClawsBackAndGuestsAreIgnored) {
  start();
  ASSERT_EQ(deliver("woocommerce", "order.created", woo_order(302, 42, "processing").dump()).status,
            200);
  EXPECT_EQ(balance("42"), kWooOrderPoints);
  ApiResponse cancelled =
      deliver("woocommerce", "order.updated", woo_order(302, 42, "cancelled").dump());
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(body_of(cancelled)["events"][0]["id"], "woocommerce:cancelled:302");
  EXPECT_EQ(balance("42"), 0);

  ApiResponse guest =
      deliver("woocommerce", "order.created", woo_order(303, 0, "processing").dump());
  ASSERT_EQ(guest.status, 200) << guest.body;
  EXPECT_EQ(body_of(guest)["ignored"], true);
  // A failed payment of an order we never recorded: nothing to take back, nothing to retry.
  ApiResponse failed = deliver("woocommerce", "order.updated", woo_order(304, 43, "failed").dump());
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(body_of(failed)["ignored"], true);
}

TEST_F(PlatformWebhooks, WooCommerceKuwaitiDinarHasThreeDigits) {
  start("KWD", 1000);  // a point per dinar
  json order = woo_order(305, 44, "processing");
  order["currency"] = "KWD";
  order["discount_total"] = "0.500";
  order["shipping_total"] = "1.250";
  order["total_tax"] = "0";
  order["line_items"] = json::array(
      {{{"product_id", 7}, {"quantity", 1}, {"subtotal", "12.345"}, {"total", "11.845"}}});
  ApiResponse answer = deliver("woocommerce", "order.created", order.dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(balance("44"), 11);  // 12.345 - 0.500 = 11.845 dinars
  order["id"] = 306;
  order["line_items"][0]["subtotal"] = "12.3456";
  answer = deliver("woocommerce", "order.created", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/line_items/0/subtotal");
}

TEST_F(PlatformWebhooks, WooCommerceWrongCurrencyAndBadTypesNameTheirPath) {
  start();
  json order = woo_order(307, 45, "processing");
  order["currency"] = "GBP";
  ApiResponse answer = deliver("woocommerce", "order.created", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/currency");
  order = woo_order(307, 45, "processing");
  order["refunds"] = json::array({{{"id", 9}, {"total", "-1.00"}}});
  order["status"] = "completed";
  order["customer_id"] = json::array();
  answer = deliver("woocommerce", "order.updated", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/customer_id");
  order = woo_order(307, 45, "completed");
  order["refunds"] = json::array({{{"id", 9}, {"total", "1.00"}}});  // refunds are negative
  ASSERT_EQ(deliver("woocommerce", "order.created", woo_order(307, 45, "processing").dump()).status,
            200);
  answer = deliver("woocommerce", "order.updated", order.dump());
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(body_of(answer)["error"]["path"], "/refunds/0/total");
}

}  // namespace
}  // namespace loyalty::server
