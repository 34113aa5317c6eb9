// The context's "timeZone" document: a zone's name and the offsets it takes. Reader and writer
// side by side (CONTRACT.md, "Time zones").
#include <string>
#include <utility>

#include "json_read.hpp"
#include "json_write.hpp"
#include "loyalty/json_api.hpp"
#include "parse.hpp"

namespace loyalty {
namespace detail {
namespace {}  // namespace

std::optional<int> parse_utc_offset(std::string_view text) {
  if (text == "Z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  for (std::size_t i : {1, 2, 4, 5})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int hours = (text[1] - '0') * 10 + (text[2] - '0');
  const int minutes = (text[4] - '0') * 10 + (text[5] - '0');
  if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0)) return std::nullopt;
  const int total = hours * 60 + minutes;
  return text[0] == '-' ? -total : total;
}

std::string format_utc_offset(int minutes) {
  const int magnitude = minutes < 0 ? -minutes : minutes;
  std::string out(minutes < 0 ? "-" : "+");
  out += static_cast<char>('0' + magnitude / 600);
  out += static_cast<char>('0' + magnitude / 60 % 10);
  out += ':';
  out += static_cast<char>('0' + magnitude % 60 / 10);
  out += static_cast<char>('0' + magnitude % 10);
  return out;
}

std::optional<NamedTimeZone> read_time_zone(const JsonReader& value) {
  if (!value.expect_object()) return std::nullopt;
  value.warn_unknown_fields({"name", "offset", "changes"});
  NamedTimeZone out;
  bool ok = true;
  if (auto name = value.required_string("name")) {
    if (is_time_zone_name(*name)) {
      out.name = std::move(*name);
    } else {
      value.error_at("name",
                     "must be an IANA time zone name such as \"America/Los_Angeles\" (got " +
                         value.required("name")->describe() + ")");
      ok = false;
    }
  } else {
    ok = false;
  }
  auto read_offset = [](const JsonReader& member) -> std::optional<int> {
    auto text = member.as_string();
    if (!text) return std::nullopt;
    auto minutes = parse_utc_offset(*text);
    if (!minutes)
      member.error_got("must be a UTC offset \"+hh:mm\" or \"-hh:mm\" between -14:00 and +14:00");
    return minutes;
  };
  if (auto offset = value.required("offset")) {
    if (auto minutes = read_offset(*offset))
      out.zone.offset_minutes = *minutes;
    else
      ok = false;
  } else {
    ok = false;
  }
  if (auto changes = value.optional("changes")) {
    auto list = changes->as_array(kMaxOffsetChanges);
    if (!list) return std::nullopt;
    out.zone.changes.reserve(list->size());
    for (const auto& element : *list) {
      if (!element.expect_object()) {
        ok = false;
        continue;
      }
      element.warn_unknown_fields({"at", "offset"});
      auto at = element.required_instant("at");
      auto offset = element.required("offset");
      auto minutes = offset ? read_offset(*offset) : std::nullopt;
      if (!at || !minutes) {
        ok = false;
        continue;
      }
      if (!out.zone.changes.empty() && at->epoch <= out.zone.changes.back().at) {
        element.error_at("at", "must come after the previous change: changes are in time order");
        ok = false;
        continue;
      }
      out.zone.changes.push_back({at->epoch, *minutes});
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

void write_time_zone(JsonWriter& out, const NamedTimeZone& zone) {
  out.begin_object();
  out.key("changes");
  out.begin_array();
  for (const OffsetChange& change : zone.zone.changes) {
    out.begin_object();
    out.key("at");
    out.text(format_instant(change.at, 0));
    out.key("offset");
    out.text(format_utc_offset(change.offset_minutes));
    out.end_object();
  }
  out.end_array();
  out.key("name");
  out.text(zone.name);
  out.key("offset");
  out.text(format_utc_offset(zone.zone.offset_minutes));
  out.end_object();
}

}  // namespace detail

std::string time_zone_json(const NamedTimeZone& zone) {
  std::string text;
  detail::JsonWriter out(text);
  detail::write_time_zone(out, zone);
  return text;
}

}  // namespace loyalty
