// Throughput of the launcher view and of replay on generated ledgers.
// Targets: view of 50 entries <= 20 us, of 10,000 entries <= 2 ms, replay >= 2 M events/s.
// Run: tests/bench/run
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "loyalty/account.hpp"
#include "loyalty/context.hpp"
#include "loyalty/customer.hpp"
#include "loyalty/json_api.hpp"
#include "loyalty/program.hpp"
#include "loyalty/view.hpp"

namespace {

using nlohmann::json;

// The contract's sample program (CONTRACT.md): every feature the view words.
constexpr const char* kProgram = R"({
  "version": 1, "id": "maple", "name": "Maple & Co", "currency": "USD",
  "points": {"singular": "point", "plural": "points"}, "utcOffset": "-05:00",
  "branding": {"accent": "#5b3df5", "position": "right", "launcherLabel": "Rewards", "icon": "gift"},
  "labels": {"panel.title": {"en": "Maple Rewards", "lv": "Maple balvas"}},
  "earning": [
    {"id": "signup", "type": "signup", "points": 100},
    {"id": "orders", "type": "order", "points": 5, "per": 250, "minOrder": 1000},
    {"id": "birthday", "type": "birthday", "points": 200, "waitDays": 30},
    {"id": "review", "type": "review", "points": 50, "limit": "unlimited"},
    {"id": "ig-follow", "type": "social_follow", "platform": "instagram",
     "url": "https://instagram.com/maple", "points": 25, "limit": "once"},
    {"id": "fb-share", "type": "social_share", "platform": "facebook", "points": 10, "limit": "per_week"},
    {"id": "referral", "type": "referral", "points": 500},
    {"id": "profile", "type": "custom", "name": "Complete your profile", "points": 50,
     "url": "https://maple.example/account", "limit": "once"}
  ],
  "rewards": [
    {"id": "r5", "type": "amount_off", "amount": 500, "cost": 500},
    {"id": "r20pct", "type": "percent_off", "percent": 20, "cost": 1000, "minOrder": 5000},
    {"id": "ship", "type": "free_shipping", "cost": 300},
    {"id": "mug", "type": "free_product", "product": {"id": "sku-mug", "name": "Maple mug"}, "cost": 1500},
    {"id": "credit", "type": "store_credit", "amount": 1000, "cost": 900, "tiers": ["gold"]},
    {"id": "flex", "type": "amount_off",
     "incremental": {"pointsPerStep": 100, "amountPerStep": 100, "minPoints": 100, "maxPoints": 5000}}
  ],
  "tiers": {"metric": "points_earned", "window": "calendar_year", "retention": "next_period",
    "levels": [
      {"id": "silver", "name": "Silver", "threshold": 0},
      {"id": "gold", "name": "Gold", "threshold": 1000, "multiplier": 1.25, "perks": ["Free shipping"]},
      {"id": "platinum", "name": "Platinum", "threshold": 3000, "multiplier": 1.5}]},
  "referral": {"advocate": {"points": 500}, "friend": {"type": "percent_off", "percent": 10},
    "channels": ["facebook", "messenger", "pinterest", "telegram", "x", "whatsapp", "email", "copy", "native"],
    "landingUrl": "https://maple.example/r/{code}",
    "message": "Get 10% off at {shop} with my link: {link}", "messengerAppId": "123456789"},
  "expiry": {"mode": "inactivity", "days": 365, "warningDays": 30},
  "promotions": [{"id": "dbl", "name": "Double points weekend", "starts": "2026-11-27T00:00:00-05:00",
    "ends": "2026-11-30T00:00:00-05:00", "multiplier": 2, "rules": ["orders"]}]
})";

constexpr const char* kContext =
    R"({"version": 1, "now": "2026-11-23T10:00:00-05:00", "locale": "en",
  "cart": {"currency": "USD", "amounts": {"subtotal": 5000, "discount": 0, "shipping": 500, "tax": 0}}})";

// 2026-11-23T15:00:00Z, the context's now.
constexpr std::int64_t kNow = 1795446000;

std::string instant(std::int64_t epoch) {
  std::int64_t days = epoch / 86400;
  std::int64_t seconds = epoch % 86400;
  // Civil date from days since 1970 (Howard Hinnant's algorithm).
  days += 719468;
  std::int64_t era = days / 146097;
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                static_cast<long long>(year), static_cast<long long>(month),
                static_cast<long long>(day), static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return text;
}

/// A member whose ledger holds `count` entries over the two years before now: orders (points
/// computed on replay), partial refunds, reviews and redemptions, like a busy shopper's.
std::string customer_text(int count) {
  json ledger = json::array();
  const std::int64_t span = 2 * 365 * 86400LL;
  const std::int64_t step = span / count;
  const std::int64_t start = kNow - span;
  for (int i = 0; i < count; ++i) {
    const std::string id = "e" + std::to_string(i);
    const std::string at = instant(start + step * i);
    const std::string order = "o" + std::to_string(i);
    if (i % 20 == 19) {
      ledger.push_back({{"id", id},
                        {"type", "redeem"},
                        {"at", at},
                        {"rewardId", "r5"},
                        {"points", 500},
                        {"code", "C" + std::to_string(i)}});
    } else if (i % 10 == 4) {
      ledger.push_back(
          {{"id", id}, {"type", "earn"}, {"at", at}, {"ruleId", "review"}, {"points", 50}});
    } else if (i % 25 == 13) {
      ledger.push_back({{"id", id},
                        {"type", "order_refunded"},
                        {"at", at},
                        {"orderId", "o" + std::to_string(i - 1)},
                        {"amount", 1000}});
    } else {
      ledger.push_back(
          {{"id", id},
           {"type", "order_placed"},
           {"at", at},
           {"orderId", order},
           {"amounts",
            {{"subtotal", 2000 + (i % 7) * 500}, {"discount", 0}, {"shipping", 500}, {"tax", 0}}}});
    }
  }
  json customer = {{"version", 1},
                   {"id", "c-1001"},
                   {"firstName", "Ada"},
                   {"status", "member"},
                   {"referralCode", "ADA-7Q2"},
                   {"joinedAt", instant(start - 86400)},
                   {"ledger", std::move(ledger)}};
  return customer.dump();
}

template <class T>
T parsed(const loyalty::Result<T>& result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "benchmark input %s does not parse\n", what);
    for (const auto& d : result.diagnostics)
      std::fprintf(stderr, "  %s: %s\n", d.path.c_str(), d.message.c_str());
    std::exit(1);
  }
  return *result.value;
}

struct Inputs {
  std::string customer_json;
  loyalty::Program program;
  loyalty::Customer customer;
  loyalty::Context context;
};

const Inputs& inputs(int entries) {
  static std::map<int, Inputs> cache;
  auto found = cache.find(entries);
  if (found != cache.end()) return found->second;
  Inputs made;
  made.customer_json = customer_text(entries);
  made.program = parsed(loyalty::parse_program(kProgram), "program");
  made.customer = parsed(loyalty::parse_customer(made.customer_json), "customer");
  made.context = parsed(loyalty::parse_context(kContext), "context");
  return cache.emplace(entries, std::move(made)).first->second;
}

void BM_ViewFromStructs(benchmark::State& state) {
  const Inputs& in = inputs(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    loyalty::LauncherView view = loyalty::build_view(in.program, in.customer, in.context);
    benchmark::DoNotOptimize(view);
  }
}
BENCHMARK(BM_ViewFromStructs)->Arg(50)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_ViewFromStructsToJson(benchmark::State& state) {
  const Inputs& in = inputs(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::string text =
        loyalty::view_to_json(loyalty::build_view(in.program, in.customer, in.context));
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_ViewFromStructsToJson)->Arg(50)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_ViewJsonText(benchmark::State& state) {
  const Inputs& in = inputs(static_cast<int>(state.range(0)));
  state.counters["customer_bytes"] = static_cast<double>(in.customer_json.size());
  for (auto _ : state) {
    std::string text = loyalty::view_json(kProgram, in.customer_json, kContext);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_ViewJsonText)->Arg(50)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_Replay(benchmark::State& state) {
  const Inputs& in = inputs(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    loyalty::Account account = loyalty::replay(in.program, in.customer, in.context.now);
    benchmark::DoNotOptimize(account);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Replay)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
