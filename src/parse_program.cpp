// Reads and validates the merchant's program (include/loyalty/CONTRACT.md, "Program").
#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "json_read.hpp"
#include "loyalty/share.hpp"
#include "parse.hpp"

namespace loyalty {
namespace detail {
namespace {

constexpr std::size_t kMaxRules = 10000;
constexpr std::size_t kMaxRewards = 10000;
constexpr std::size_t kMaxTiers = 1000;
constexpr std::size_t kMaxPromotions = 10000;
constexpr std::size_t kMaxLabels = 10000;
constexpr std::size_t kMaxPerks = 100;
constexpr std::size_t kMaxIdReferences = 10000;
constexpr std::int64_t kMaxDays = 36500;  // a century
constexpr std::int64_t kMaxMonths = 1200;

bool is_hex_colour(std::string_view text) {
  if ((text.size() != 4 && text.size() != 7) || text[0] != '#') return false;
  for (char c : text.substr(1)) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

/// A multiplier such as 1.25, at most 3 decimals, 1..100 -> per-mille (1250).
std::optional<int> read_multiplier(const JsonReader& value) {
  if (value.is_number()) {
    const double factor = value.number();
    if (std::isfinite(factor) && factor >= 1.0 && factor <= 100.0) {
      const double scaled = factor * 1000.0;
      const double rounded = std::round(scaled);
      if (std::fabs(scaled - rounded) < 1e-6) return static_cast<int>(rounded);
    }
  }
  value.error_got("must be a number from 1 to 100 with at most 3 decimals, such as 1.25");
  return std::nullopt;
}

/// Checks an id is unique among its kind; reports the second occurrence.
class IdRegistry {
 public:
  explicit IdRegistry(std::string kind) : kind_(std::move(kind)) {}
  void add(const std::string& id, const JsonReader& id_value) {
    if (!seen_.insert(id).second)
      id_value.error("duplicate " + kind_ + " id \"" + sanitize_utf8(id) +
                     "\"; ids must be unique");
  }
  bool contains(const std::string& id) const { return seen_.count(id) > 0; }

 private:
  std::string kind_;
  std::set<std::string> seen_;
};

/// Reads a list of ids (reward.tiers, promotion.rules) that must name known entries.
std::vector<std::string> read_id_references(const JsonReader& list, const IdRegistry& known,
                                            std::string_view kind) {
  std::vector<std::string> ids;
  auto elements = list.as_array(kMaxIdReferences);
  if (!elements) return ids;
  for (const auto& element : *elements) {
    auto id = element.as_string();
    if (!id) continue;
    if (!known.contains(*id)) {
      element.error("refers to an unknown " + std::string(kind) + " \"" + sanitize_utf8(*id) +
                    "\"");
      continue;
    }
    ids.push_back(*id);
  }
  return ids;
}

class ProgramReader {
 public:
  ProgramReader(const JsonReader& root, Program& program) : root_(root), program_(program) {}

  void read() {
    root_.warn_unknown_fields({"version", "id", "name", "currency", "points", "utcOffset",
                               "timeZone", "branding", "labels", "earning", "rewards", "redemption",
                               "tiers", "referral", "expiry", "promotions", "$schema"});
    read_document_version(root_);
    if (auto id = root_.required_string("id")) program_.id = std::move(*id);
    if (auto name = root_.required_text("name")) program_.name = std::move(*name);
    read_currency();
    read_points_names();
    if (auto offset = root_.optional("utcOffset")) read_utc_offset(*offset);
    if (auto zone = root_.optional("timeZone")) read_time_zone_name(*zone);
    if (auto branding = root_.optional("branding")) read_branding(*branding);
    if (auto labels = root_.optional("labels")) read_labels(*labels);
    if (auto earning = root_.optional("earning")) read_earning(*earning);
    // Tiers before rewards: rewards may be restricted to tier ids.
    if (auto tiers = root_.optional("tiers")) read_tiers(*tiers);
    if (auto rewards = root_.optional("rewards")) read_rewards(*rewards);
    if (auto redemption = root_.optional("redemption")) read_redemption(*redemption);
    if (auto referral = root_.optional("referral")) read_referral(*referral);
    if (auto expiry = root_.optional("expiry")) read_expiry(*expiry);
    if (auto promotions = root_.optional("promotions")) read_promotions(*promotions);
    check_tier_expiry();
  }

 private:
  void read_currency() {
    auto currency = root_.required("currency");
    if (!currency) return;
    auto code = currency->as_string();
    if (!code) return;
    auto digits = iso4217_minor_units(*code);
    if (!digits) {
      currency->error_got(
          "is not a known ISO 4217 currency code such as \"USD\", \"EUR\" or \"JPY\"");
      return;
    }
    program_.currency.code = *code;
    program_.currency.minor_units = *digits;
  }

  void read_points_names() {
    auto points = root_.optional("points");
    if (!points) {
      program_.points_singular.variants = {{"", "point"}};
      program_.points_plural.variants = {{"", "points"}};
      return;
    }
    if (!points->expect_object()) return;
    points->warn_unknown_fields({"singular", "plural", "forms"});
    if (auto singular = points->required_text("singular"))
      program_.points_singular = std::move(*singular);
    if (auto plural = points->required_text("plural")) program_.points_plural = std::move(*plural);
    if (auto forms = points->optional("forms")) read_points_forms(*forms);
  }

  // {"lv": {"zero": "punktu", "one": "punkts", "other": "punkti"}, "ar": {...}}
  void read_points_forms(const JsonReader& forms) {
    auto languages = forms.as_members(200);
    if (!languages) return;
    for (const auto& [tag, categories] : *languages) {
      if (!looks_like_language_tag(tag)) {
        categories.error(
            "is not a language tag; use a BCP 47 tag such as \"en\", \"lv\" or \"zh-Hant\"");
        continue;
      }
      if (!categories.expect_object()) continue;
      if (categories.count() == 0) {
        categories.error(
            "must give at least one plural form, such as {\"one\": \"...\", \"other\": \"...\"}");
        continue;
      }
      categories.warn_unknown_fields({"zero", "one", "two", "few", "many", "other"});
      PointsForms entry;
      entry.tag = tag;
      for (auto category : {PluralCategory::zero, PluralCategory::one, PluralCategory::two,
                            PluralCategory::few, PluralCategory::many, PluralCategory::other}) {
        if (auto form = categories.optional_string(to_string(category))) {
          if (form->empty())
            categories.error_at(to_string(category), "must not be empty");
          else
            entry.forms[static_cast<std::size_t>(category)] = std::move(*form);
        }
      }
      program_.points_forms.push_back(std::move(entry));
    }
  }

  void read_utc_offset(const JsonReader& value) {
    auto text = value.as_string();
    if (!text) return;
    auto minutes = parse_utc_offset(*text);
    if (!minutes) {
      value.error_got("must be a UTC offset \"+hh:mm\" or \"-hh:mm\" between -14:00 and +14:00");
      return;
    }
    program_.utc_offset_minutes = *minutes;
    program_.zone = TimeZone{*minutes, {}};
  }

  // The zone's offsets come with the context (json_api applies them); until then the fixed
  // utcOffset stands in.
  void read_time_zone_name(const JsonReader& value) {
    auto name = value.as_string();
    if (!name) return;
    if (!is_time_zone_name(*name)) {
      value.error_got("must be an IANA time zone name such as \"America/Los_Angeles\"");
      return;
    }
    program_.time_zone_name = std::move(*name);
  }

  void read_branding(const JsonReader& branding) {
    if (!branding.expect_object()) return;
    branding.warn_unknown_fields({"accent", "position", "launcherLabel", "icon"});
    Branding& out = program_.branding;
    if (auto accent = branding.optional("accent")) {
      if (auto text = accent->as_string()) {
        if (is_hex_colour(*text)) {
          out.accent = std::move(*text);
        } else {
          accent->error_got("must be a hex colour \"#rgb\" or \"#rrggbb\"");
        }
      }
    }
    if (auto position =
            branding.optional_enum("position", {LauncherPosition::right, LauncherPosition::left}))
      out.position = *position;
    if (auto label = branding.optional_text("launcherLabel"))
      out.launcher_label = std::move(*label);
    if (auto icon = branding.optional("icon")) {
      static const std::vector<std::string_view> kIcons = {"gift", "star", "heart", "crown",
                                                           "coffee"};
      if (auto index = icon->as_choice(kIcons)) out.icon = std::string(kIcons[*index]);
    }
  }

  void read_labels(const JsonReader& labels) {
    auto members = labels.as_members(kMaxLabels);
    if (!members) return;
    for (const auto& [key, value] : *members) {
      if (key.empty() || key.size() > 200) {
        value.error("is not a message key such as \"panel.title\"");
        continue;
      }
      if (auto text = value.as_text()) program_.labels[key] = std::move(*text);
    }
  }

  // ----- earning -----

  void read_earning(const JsonReader& list) {
    auto elements = list.as_array(kMaxRules);
    if (!elements) return;
    std::uint32_t single_types = 0;  // bit per EarnType seen (smaller in the wasm than a std::set)
    for (const auto& element : *elements) {
      EarnRule rule;
      if (!read_rule(element, rule)) continue;
      const bool single = rule.type == EarnType::signup || rule.type == EarnType::order ||
                          rule.type == EarnType::birthday || rule.type == EarnType::referral;
      const std::uint32_t type_bit = 1u << static_cast<int>(rule.type);
      if (single && (single_types & type_bit) != 0) {
        element.error_at("type", "only one earning rule of type \"" +
                                     std::string(to_string(rule.type)) + "\" is allowed");
        continue;
      }
      if (single) single_types |= type_bit;
      program_.earning.push_back(std::move(rule));
    }
  }

  bool read_rule(const JsonReader& rule_value, EarnRule& rule) {
    if (!rule_value.expect_object()) return false;
    rule_value.warn_unknown_fields({"id", "type", "name", "enabled", "points", "per", "basis",
                                    "minOrder", "rounding", "refundRounding", "pendingDays",
                                    "exclude", "waitDays", "cooldownDays", "platform", "url",
                                    "limit"});
    const std::size_t errors_before = error_count();
    if (auto id = rule_value.required("id")) {
      if (auto text = id->as_string()) {
        rule_ids_.add(*text, *id);
        rule.id = std::move(*text);
      }
    }
    auto type = rule_value.required_enum(
        "type",
        {EarnType::signup, EarnType::order, EarnType::birthday, EarnType::review,
         EarnType::social_follow, EarnType::social_share, EarnType::referral, EarnType::custom});
    if (!type) return false;
    rule.type = *type;
    const EarnType t = *type;
    const bool social = t == EarnType::social_follow || t == EarnType::social_share;
    const bool repeatable = social || t == EarnType::review || t == EarnType::custom;
    const std::string kind = "\"" + std::string(to_string(t)) + "\" rules";

    if (t == EarnType::custom) {
      if (auto name = rule_value.required_text("name")) rule.name = std::move(*name);
    } else if (auto name = rule_value.optional_text("name")) {
      rule.name = std::move(*name);
    }
    if (auto enabled = rule_value.optional_bool("enabled")) rule.enabled = *enabled;
    if (auto points = rule_value.required_integer("points", positive("points")))
      rule.points = *points;

    if (t == EarnType::order) {
      if (auto per = rule_value.required("per")) {
        if (auto amount = per->as_integer(positive("minor units"))) rule.per = *amount;
      }
      if (auto basis = rule_value.optional_enum("basis", {OrderBasis::subtotal_after_discounts,
                                                          OrderBasis::subtotal, OrderBasis::total}))
        rule.basis = *basis;
      if (auto minimum = rule_value.optional_integer("minOrder", non_negative("minor units")))
        rule.min_order = *minimum;
      if (auto rounding = rule_value.optional_enum(
              "rounding",
              {EarnRounding::proportional, EarnRounding::whole_steps, EarnRounding::half_up}))
        rule.rounding = *rounding;
      if (auto rounding = rule_value.optional_enum(
              "refundRounding", {RefundRounding::taken_back, RefundRounding::kept}))
        rule.refund_rounding = *rounding;
      if (auto pending = rule_value.optional_integer("pendingDays", between(0, 365, "days")))
        rule.pending_days = static_cast<int>(*pending);
      if (auto exclude = rule_value.optional("exclude")) read_exclusions(*exclude, rule.exclude);
      rule.limit = ClaimLimit::unlimited;
    } else {
      warn_not_applicable(
          rule_value,
          {"per", "basis", "minOrder", "rounding", "refundRounding", "pendingDays", "exclude"},
          "only order rules use it");
    }

    if (t == EarnType::birthday) {
      if (auto wait = rule_value.optional_integer("waitDays", between(0, kMaxDays, "days")))
        rule.wait_days = static_cast<int>(*wait);
      if (auto cooldown = rule_value.optional_integer("cooldownDays", between(1, kMaxDays, "days")))
        rule.cooldown_days = static_cast<int>(*cooldown);
      rule.limit = ClaimLimit::per_year;
    } else {
      warn_not_applicable(rule_value, {"waitDays", "cooldownDays"}, "only birthday rules use it");
    }

    if (social) {
      auto platform = rule_value.required("platform");
      if (platform) {
        rule.platform = platform->as_enum({SocialPlatform::facebook, SocialPlatform::instagram,
                                           SocialPlatform::x, SocialPlatform::tiktok,
                                           SocialPlatform::pinterest, SocialPlatform::youtube});
      }
    } else {
      warn_not_applicable(rule_value, {"platform"}, "only social rules use it");
    }

    if (social || t == EarnType::custom) {
      if (auto url = rule_value.optional("url")) {
        if (auto text = url->as_string()) {
          if (is_http_url(*text)) {
            rule.url = std::move(*text);
          } else {
            url->error_got("must be an http:// or https:// address");
          }
        }
      }
    } else {
      warn_not_applicable(rule_value, {"url"}, "only social and custom rules use it");
    }

    if (repeatable) {
      if (auto limit = rule_value.optional_enum(
              "limit", {ClaimLimit::once, ClaimLimit::per_day, ClaimLimit::per_week,
                        ClaimLimit::per_month, ClaimLimit::per_year, ClaimLimit::unlimited}))
        rule.limit = *limit;
    } else {
      if (t == EarnType::referral) rule.limit = ClaimLimit::unlimited;
      warn_not_applicable(rule_value, {"limit"}, kind + " have a fixed limit");
    }
    return error_count() == errors_before;
  }

  // {"products": [...], "collections": [...], "kinds": [...]}: a "kinds" list replaces the
  // default (gift cards), so ["gift_card"] must be repeated to keep it.
  void read_exclusions(const JsonReader& value, Exclusions& out) {
    if (!value.expect_object()) return;
    value.warn_unknown_fields({"products", "collections", "kinds"});
    const auto read_ids = [](const JsonReader& list, std::vector<std::string>& ids) {
      if (auto elements = list.as_array(kMaxIdReferences))
        for (const auto& element : *elements)
          if (auto text = element.as_string()) ids.push_back(std::move(*text));
    };
    if (auto products = value.optional("products")) read_ids(*products, out.products);
    if (auto collections = value.optional("collections")) read_ids(*collections, out.collections);
    if (auto kinds = value.optional("kinds")) {
      out.kinds.clear();
      if (auto elements = kinds->as_array(8)) {
        for (const auto& element : *elements)
          if (auto kind = element.as_enum({LineKind::product, LineKind::gift_card,
                                           LineKind::shipping, LineKind::tax, LineKind::tip}))
            out.kinds.push_back(*kind);
      }
    }
  }

  void warn_not_applicable(const JsonReader& object, std::initializer_list<std::string_view> keys,
                           const std::string& why) {
    for (std::string_view key : keys) {
      if (object.contains(key)) object.warning_at(key, "ignored: " + why);
    }
  }

  // ----- tiers -----

  void read_tiers(const JsonReader& tiers) {
    if (!tiers.expect_object()) return;
    tiers.warn_unknown_fields({"metric", "window", "rollingDays", "retention", "spendBasis",
                               "spendNetOfRefunds", "entryPointsRepeat", "entryPointsTakeBack",
                               "countPending", "levels"});
    TierProgram& out = program_.tiers;
    if (auto metric = tiers.optional_enum(
            "metric", {TierMetric::points_earned, TierMetric::amount_spent, TierMetric::orders}))
      out.metric = *metric;
    if (auto window = tiers.optional_enum(
            "window", {TierWindow::lifetime, TierWindow::calendar_year, TierWindow::rolling}))
      out.window = *window;
    if (out.window == TierWindow::rolling) {
      if (auto days = tiers.required_integer("rollingDays", between(1, kMaxDays, "days")))
        out.rolling_days = static_cast<int>(*days);
    } else if (tiers.has("rollingDays")) {
      tiers.warning_at("rollingDays", "ignored: only the \"rolling\" window uses it");
    }
    if (auto retention =
            tiers.optional_enum("retention", {TierRetention::none, TierRetention::next_period}))
      out.retention = *retention;
    if (auto basis = tiers.optional_enum(
            "spendBasis", {SpendBasis::earn_basis, SpendBasis::subtotal_after_discounts,
                           SpendBasis::subtotal, SpendBasis::total}))
      out.spend_basis = *basis;
    if (auto net = tiers.optional_bool("spendNetOfRefunds")) out.spend_net_of_refunds = *net;
    if (out.metric != TierMetric::amount_spent)
      warn_not_applicable(tiers, {"spendBasis", "spendNetOfRefunds"},
                          "only the \"amount_spent\" metric counts spend");
    if (auto repeat = tiers.optional_enum("entryPointsRepeat",
                                          {EntryPointsRepeat::once, EntryPointsRepeat::each_time}))
      out.entry_points_repeat = *repeat;
    if (auto take_back = tiers.optional_bool("entryPointsTakeBack"))
      out.entry_points_take_back = *take_back;
    if (auto count = tiers.optional_bool("countPending")) out.count_pending = *count;

    auto levels = tiers.required("levels");
    if (!levels) return;
    auto elements = levels->as_array(kMaxTiers);
    if (!elements) return;
    const char* unit = out.metric == TierMetric::points_earned  ? "points"
                       : out.metric == TierMetric::amount_spent ? "minor units"
                                                                : "orders";
    std::optional<std::int64_t> previous_threshold;
    for (const auto& element : *elements) {
      if (!element.expect_object()) continue;
      element.warn_unknown_fields(
          {"id", "name", "threshold", "multiplier", "perks", "entryPoints", "expiry"});
      const std::size_t errors_before = error_count();
      Tier tier;
      if (auto id = element.required("id")) {
        if (auto text = id->as_string()) {
          tier.id = *text;
          tier_ids_.add(*text, *id);
        }
      }
      if (auto name = element.required_text("name")) tier.name = *name;
      if (auto threshold = element.required_integer("threshold", non_negative(unit))) {
        tier.threshold = *threshold;
        if (previous_threshold && *threshold <= *previous_threshold) {
          element.error_at("threshold",
                           "tiers must be in strictly ascending order of threshold: " +
                               std::to_string(*threshold) + " is not above the previous tier's " +
                               std::to_string(*previous_threshold) + " (overlapping tiers)");
        }
        previous_threshold = *threshold;
      }
      if (auto multiplier = element.optional("multiplier")) {
        if (auto permille = read_multiplier(*multiplier)) tier.multiplier_permille = *permille;
      }
      if (auto perks = element.optional("perks")) {
        if (auto list = perks->as_array(kMaxPerks)) {
          for (const auto& perk : *list)
            if (auto text = perk.as_text()) tier.perks.push_back(*text);
        }
      }
      if (auto entry = element.optional_integer("entryPoints", non_negative("points")))
        tier.entry_points = *entry;
      if (auto expiry = element.optional("expiry")) {
        ExpiryPolicy policy;
        read_expiry_policy(*expiry, policy);
        tier.expiry = policy;
      }
      if (error_count() == errors_before) out.tiers.push_back(std::move(tier));
    }
  }

  // ----- rewards -----

  void read_rewards(const JsonReader& list) {
    auto elements = list.as_array(kMaxRewards);
    if (!elements) return;
    for (const auto& element : *elements) {
      Reward reward;
      if (read_reward(element, reward)) program_.rewards.push_back(std::move(reward));
    }
  }

  /// The value of a fixed reward by its type: "amount" for amount_off and store_credit,
  /// "percent" for percent_off, the optional shipping cap for free_shipping. Shared by the
  /// program's rewards and the referral friend's reward.
  template <class RewardLike>
  void read_reward_value(const JsonReader& value, RewardLike& reward) {
    switch (reward.type) {
      case RewardType::amount_off:
      case RewardType::store_credit:
        if (auto amount = value.required_integer("amount", positive("minor units")))
          reward.amount = *amount;
        break;
      case RewardType::percent_off:
        if (auto percent = value.required_integer("percent", between(1, 100, "percent")))
          reward.percent = static_cast<int>(*percent);
        break;
      case RewardType::free_shipping:
        if (auto cap = value.optional_integer("amount", non_negative("minor units")))
          reward.amount = *cap;
        break;
      case RewardType::free_product:
        break;  // a product, read by the caller
    }
  }

  bool read_reward(const JsonReader& value, Reward& reward) {
    if (!value.expect_object()) return false;
    value.warn_unknown_fields({"id", "type", "name", "cost", "incremental", "amount", "percent",
                               "product", "minOrder", "tiers", "couponDays"});
    const std::size_t errors_before = error_count();
    if (auto id = value.required("id")) {
      if (auto text = id->as_string()) {
        reward.id = *text;
        reward_ids_.add(*text, *id);
      }
    }
    auto type = value.required_enum(
        "type", {RewardType::amount_off, RewardType::percent_off, RewardType::free_shipping,
                 RewardType::free_product, RewardType::store_credit});
    if (!type) return false;
    reward.type = *type;
    if (auto name = value.optional_text("name")) reward.name = *name;

    const bool has_cost = value.has("cost");
    const bool has_incremental = value.has("incremental");
    if (has_cost && has_incremental) {
      value.error_at("incremental",
                     "a reward has either a fixed \"cost\" or \"incremental\", not both");
    } else if (has_incremental) {
      if (reward.type != RewardType::amount_off && reward.type != RewardType::store_credit) {
        value.error_at("incremental",
                       "only amount_off and store_credit rewards can be incremental");
      } else {
        reward.incremental = read_incremental(*value.optional("incremental"));
      }
    } else if (has_cost) {
      if (auto cost = value.required_integer("cost", positive("points"))) reward.cost = *cost;
    } else {
      value.error_at("cost",
                     "is required: a whole number of points greater than 0 (or \"incremental\")");
    }

    const bool pays_amount =
        reward.type == RewardType::amount_off || reward.type == RewardType::store_credit;
    if (pays_amount && has_incremental) {
      if (value.has("amount"))
        value.warning_at("amount",
                         "ignored: an incremental reward's value comes from amountPerStep");
    } else if (reward.type == RewardType::free_product) {
      if (auto product = value.required("product")) read_product(*product, reward);
    } else {
      read_reward_value(value, reward);
    }
    if (reward.type != RewardType::percent_off && value.has("percent"))
      value.warning_at("percent", "ignored: only percent_off rewards use it");
    if (reward.type != RewardType::free_product && value.has("product"))
      value.warning_at("product", "ignored: only free_product rewards use it");
    if (reward.type == RewardType::percent_off || reward.type == RewardType::free_product) {
      if (value.has("amount"))
        value.warning_at("amount", "ignored: " + std::string(to_string(reward.type)) +
                                       " rewards have no amount");
    }

    if (auto minimum = value.optional_integer("minOrder", non_negative("minor units")))
      reward.min_order = *minimum;
    if (auto tiers = value.optional("tiers"))
      reward.tier_ids = read_id_references(*tiers, tier_ids_, "tier");
    if (auto days = value.optional_integer("couponDays", between(0, kMaxDays, "days")))
      reward.coupon_days = static_cast<int>(*days);
    return error_count() == errors_before;
  }

  std::optional<IncrementalCost> read_incremental(const JsonReader& value) {
    if (!value.expect_object()) return std::nullopt;
    value.warn_unknown_fields({"pointsPerStep", "amountPerStep", "minPoints", "maxPoints"});
    IncrementalCost cost;
    auto step = value.required_integer("pointsPerStep", positive("points"));
    auto amount = value.required_integer("amountPerStep", positive("minor units"));
    auto min_points = value.optional_integer("minPoints", positive("points"));
    auto max_points = value.optional_integer("maxPoints", non_negative("points"));
    if (!step || !amount) return std::nullopt;
    cost.points_per_step = *step;
    cost.amount_per_step = *amount;
    cost.min_points = min_points ? *min_points : *step;
    cost.max_points = max_points ? *max_points : 0;
    bool ok = true;
    if (min_points && *min_points % *step != 0) {
      value.error_at("minPoints", "must be a whole number of steps of " + std::to_string(*step) +
                                      " points (got " + std::to_string(*min_points) + ")");
      ok = false;
    }
    if (max_points && *max_points != 0) {
      if (*max_points < cost.min_points) {
        value.error_at("maxPoints",
                       "must be at least minPoints (" + std::to_string(cost.min_points) +
                           "), or 0 for no cap (got " + std::to_string(*max_points) + ")");
        ok = false;
      } else if (*max_points % *step != 0) {
        value.error_at("maxPoints", "must be a whole number of steps of " + std::to_string(*step) +
                                        " points (got " + std::to_string(*max_points) + ")");
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return cost;
  }

  void read_product(const JsonReader& product, Reward& reward) {
    if (!product.expect_object()) return;
    product.warn_unknown_fields({"id", "name"});
    if (auto id = product.required_string("id")) reward.product_id = *id;
    if (auto name = product.required_text("name")) reward.product_name = *name;
  }

  // ----- referral -----

  void read_referral(const JsonReader& value) {
    if (!value.expect_object()) return;
    value.warn_unknown_fields({"enabled", "advocate", "friend", "minFriendOrder", "channels",
                               "landingUrl", "message", "messengerAppId"});
    ReferralProgram& out = program_.referral;
    out.enabled = true;
    if (auto enabled = value.optional_bool("enabled")) out.enabled = *enabled;

    const EarnRule* referral_rule = program_.find_rule_of_type(EarnType::referral);
    if (auto advocate = value.optional("advocate")) {
      read_advocate(*advocate, out);
    } else if (referral_rule != nullptr) {
      out.advocate_points = referral_rule->points;
    } else {
      value.error_at("advocate",
                     "is required: {\"points\": n} or {\"rewardId\": \"...\"} (or an earning rule "
                     "of type \"referral\")");
    }
    if (auto friend_value = value.required("friend")) read_friend_reward(*friend_value, out);
    if (auto minimum = value.optional_integer("minFriendOrder", non_negative("minor units")))
      out.min_friend_order = *minimum;
    if (auto channels = value.optional("channels")) {
      if (auto list = channels->as_array(100)) {
        std::uint32_t seen = 0;  // bit per ShareChannel
        for (const auto& element : *list) {
          auto channel = element.as_enum(
              {ShareChannel::facebook, ShareChannel::messenger, ShareChannel::pinterest,
               ShareChannel::telegram, ShareChannel::x, ShareChannel::whatsapp, ShareChannel::email,
               ShareChannel::copy, ShareChannel::native});
          if (!channel) continue;
          const std::uint32_t channel_bit = 1u << static_cast<int>(*channel);
          if ((seen & channel_bit) != 0) {
            element.warning("repeated channel, ignored");
            continue;
          }
          seen |= channel_bit;
          out.channels.push_back(*channel);
        }
      }
    }
    if (auto url = value.required("landingUrl")) {
      if (auto text = url->as_string()) {
        if (is_http_url(*text)) {
          out.landing_url = *text;
        } else {
          url->error_got("must be an http:// or https:// address");
        }
      }
    }
    if (auto message = value.optional_text("message")) out.message = *message;
    if (auto app_id = value.optional_string("messengerAppId")) out.messenger_app_id = *app_id;
    bool uses_messenger = false;
    for (ShareChannel channel : out.channels) uses_messenger |= channel == ShareChannel::messenger;
    if (uses_messenger && out.messenger_app_id.empty()) {
      value.warning_at("messengerAppId",
                       "the \"messenger\" channel needs a Facebook app id here; "
                       "without it the Messenger button is not shown");
    }
  }

  void read_advocate(const JsonReader& advocate, ReferralProgram& out) {
    if (!advocate.expect_object()) return;
    advocate.warn_unknown_fields({"points", "rewardId"});
    const bool has_points = advocate.has("points");
    const bool has_reward = advocate.has("rewardId");
    if (has_points == has_reward) {
      advocate.error("must have either \"points\" or \"rewardId\" (exactly one)");
      return;
    }
    if (has_points) {
      if (auto points = advocate.required_integer("points", positive("points")))
        out.advocate_points = *points;
      return;
    }
    auto reward = advocate.required("rewardId");
    if (!reward) return;
    if (auto id = reward->as_string()) {
      if (program_.find_reward(*id) == nullptr && !reward_ids_.contains(*id)) {
        reward->error("refers to an unknown reward \"" + sanitize_utf8(*id) + "\"");
      } else {
        out.advocate_reward_id = *id;
      }
    }
  }

  void read_friend_reward(const JsonReader& value, ReferralProgram& out) {
    if (!value.expect_object()) return;
    value.warn_unknown_fields({"type", "amount", "percent", "minOrder"});
    FriendReward& reward = out.friend_reward;
    auto type = value.required_enum("type", {RewardType::amount_off, RewardType::percent_off,
                                             RewardType::free_shipping, RewardType::store_credit});
    if (!type) return;
    reward.type = *type;
    read_reward_value(value, reward);
    if (auto minimum = value.optional_integer("minOrder", non_negative("minor units")))
      reward.min_order = *minimum;
  }

  // ----- expiry -----

  void read_expiry(const JsonReader& value) { read_expiry_policy(value, program_.expiry); }

  void read_expiry_policy(const JsonReader& value, ExpiryPolicy& out) {
    if (!value.expect_object()) return;
    value.warn_unknown_fields(
        {"mode", "days", "months", "activity", "period", "periods", "warningDays"});
    auto mode =
        value.required_enum("mode", {ExpiryMode::none, ExpiryMode::inactivity, ExpiryMode::lots});
    if (!mode) return;
    out.mode = *mode;
    if (*mode == ExpiryMode::inactivity) {
      // Days or calendar months, exactly one of them.
      if (value.has("months") && !value.has("days")) {
        if (auto months = value.required_integer("months", between(1, kMaxMonths, "months")))
          out.inactivity_months = static_cast<int>(*months);
      } else if (auto days = value.required_integer("days", between(1, kMaxDays, "days"))) {
        out.inactivity_days = static_cast<int>(*days);
        if (value.has("months")) value.error_at("months", "give \"days\" or \"months\", not both");
      }
      if (auto activity = value.optional_enum(
              "activity",
              {ExpiryActivity::any, ExpiryActivity::earning, ExpiryActivity::purchases}))
        out.activity = *activity;
      warn_not_applicable(value, {"period", "periods"}, "only the \"lots\" mode uses it");
    } else if (*mode == ExpiryMode::lots) {
      if (auto period = value.optional_enum(
              "period", {ExpiryPeriod::month, ExpiryPeriod::quarter, ExpiryPeriod::year}))
        out.lot_period = *period;
      if (out.lot_period == ExpiryPeriod::month) {
        if (auto months = value.required_integer("months", between(1, kMaxMonths, "months")))
          out.lot_months = static_cast<int>(*months);
        warn_not_applicable(value, {"periods"}, "the \"month\" period counts \"months\"");
      } else {
        if (auto periods = value.required_integer("periods", between(0, 1000, "periods")))
          out.lot_periods = static_cast<int>(*periods);
        warn_not_applicable(value, {"months"}, "quarters and years count \"periods\"");
      }
      warn_not_applicable(value, {"days", "activity"}, "only the \"inactivity\" mode uses it");
    } else {
      warn_not_applicable(value, {"days", "months", "activity", "period", "periods"},
                          "the \"none\" mode has no expiry");
    }
    if (auto warning = value.optional_integer("warningDays", between(0, kMaxDays, "days")))
      out.warning_days = static_cast<int>(*warning);
  }

  // A tier's own expiry is "none" or the program's mode with other figures, so one replay
  // handles every tier. Checked once the program's expiry is read.
  void check_tier_expiry() {
    const auto levels = root_.optional("tiers");
    if (!levels) return;
    for (std::size_t i = 0; i < program_.tiers.tiers.size(); ++i) {
      const auto& own = program_.tiers.tiers[i].expiry;
      if (!own || own->mode == ExpiryMode::none || own->mode == program_.expiry.mode) continue;
      root_.diagnostics().error("/tiers/levels/" + std::to_string(i) + "/expiry/mode",
                                "must be \"none\" or the program's expiry mode (\"" +
                                    std::string(to_string(program_.expiry.mode)) + "\")");
    }
  }

  // ----- redemption caps -----

  void read_redemption(const JsonReader& value) {
    if (!value.expect_object()) return;
    value.warn_unknown_fields({"minPoints", "maxPointsPerOrder", "maxOrderPercent"});
    RedemptionLimits& out = program_.redemption;
    if (auto least = value.optional_integer("minPoints", positive("points")))
      out.min_points = *least;
    if (auto most = value.optional_integer("maxPointsPerOrder", positive("points")))
      out.max_points_per_order = *most;
    if (auto percent = value.optional_integer("maxOrderPercent", between(1, 100, "percent")))
      out.max_order_percent = static_cast<int>(*percent);
    if (out.max_points_per_order > 0 && out.min_points > out.max_points_per_order)
      value.error_at("minPoints", "must not exceed \"maxPointsPerOrder\"");
    // A fixed reward outside the caps can never be redeemed: say so where it is defined.
    for (std::size_t i = 0; i < program_.rewards.size(); ++i) {
      const Reward& reward = program_.rewards[i];
      if (reward.incremental) continue;
      const std::string path = "/rewards/" + std::to_string(i) + "/cost";
      if (reward.cost < out.min_points)
        value.diagnostics().warning(path, "below redemption.minPoints: it can never be redeemed");
      else if (out.max_points_per_order > 0 && reward.cost > out.max_points_per_order)
        value.diagnostics().warning(path,
                                    "above redemption.maxPointsPerOrder: it can never be redeemed");
    }
  }

  // ----- promotions -----

  void read_promotions(const JsonReader& list) {
    auto elements = list.as_array(kMaxPromotions);
    if (!elements) return;
    IdRegistry promotion_ids("promotion");
    for (const auto& element : *elements) {
      if (!element.expect_object()) continue;
      element.warn_unknown_fields(
          {"id", "name", "starts", "ends", "multiplier", "combine", "bonusPoints", "rules"});
      const std::size_t errors_before = error_count();
      Promotion promotion;
      if (auto id = element.required("id")) {
        if (auto text = id->as_string()) {
          promotion.id = *text;
          promotion_ids.add(*text, *id);
        }
      }
      if (auto name = element.required_text("name")) promotion.name = *name;
      auto starts = element.required_instant("starts");
      auto ends = element.required_instant("ends");
      if (starts) promotion.starts = starts->epoch;
      if (ends) promotion.ends = ends->epoch;
      if (starts && ends && ends->epoch <= starts->epoch)
        element.error_at("ends", "must be later than \"starts\"");
      if (auto multiplier = element.optional("multiplier")) {
        if (auto permille = read_multiplier(*multiplier)) promotion.multiplier_permille = *permille;
      }
      if (auto combine = element.optional_enum(
              "combine",
              {PromotionCombine::add, PromotionCombine::multiply, PromotionCombine::greater}))
        promotion.combine = *combine;
      if (auto bonus = element.optional_integer("bonusPoints", non_negative("points")))
        promotion.bonus_points = *bonus;
      if (auto rules = element.optional("rules"))
        promotion.rule_ids = read_id_references(*rules, rule_ids_, "earning rule");
      if (error_count() != errors_before) continue;
      if (promotion.multiplier_permille == 1000 && promotion.bonus_points == 0)
        element.warning("has no effect: give it a multiplier above 1 or bonusPoints");
      program_.promotions.push_back(std::move(promotion));
    }
  }

  /// Errors so far; counts only the diagnostics added since the last call.
  std::size_t error_count() {
    const auto& items = root_.diagnostics().items;
    for (; counted_ < items.size(); ++counted_)
      if (items[counted_].severity == Severity::error) ++errors_;
    return errors_;
  }

  const JsonReader& root_;
  Program& program_;
  IdRegistry rule_ids_{"earning rule"};
  IdRegistry reward_ids_{"reward"};
  IdRegistry tier_ids_{"tier"};
  std::size_t counted_ = 0;
  std::size_t errors_ = 0;
};

}  // namespace

void read_document_version(const JsonReader& root) {
  auto version = root.optional("version");
  if (!version) {
    root.warning_at("version", "is missing; read as version 1 (add \"version\": 1)");
    return;
  }
  auto number = version->as_integer(any_integer());
  if (number && *number != 1)
    version->error("unsupported version " + std::to_string(*number) +
                   "; this core reads version 1");
}

Result<Program> program_from_json(const JsonDocument& document) {
  Result<Program> result;
  Diagnostics diagnostics;
  JsonReader root(document, "", diagnostics);
  if (root.expect_object()) {
    Program program;
    ProgramReader(root, program).read();
    if (!diagnostics.has_errors()) result.value.emplace(std::move(program));
  }
  result.diagnostics = std::move(diagnostics.items);
  return result;
}

}  // namespace detail

Result<Program> parse_program(std::string_view json_text) {
  Diagnostics diagnostics;
  auto document = detail::parse_json_document(json_text, diagnostics);
  if (!document) return {std::nullopt, std::move(diagnostics.items)};
  return detail::program_from_json(*document);
}

}  // namespace loyalty
