#include "loyalty/zoneinfo.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace loyalty {
namespace {

constexpr std::size_t kMaxTzifBytes = 1 << 20;

Result<NamedTimeZone> failure(std::string message) {
  Result<NamedTimeZone> result;
  result.diagnostics.push_back({"/timeZone", std::move(message), Severity::error});
  return result;
}

// Big-endian reads within bounds the caller has checked.
std::uint32_t u32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

std::int64_t s64(std::string_view bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return static_cast<std::int64_t>(value);
}

struct Header {
  char version = 0;
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
  // Bytes of the data block after the header, for times of `time_size` bytes.
  std::size_t data_size(std::size_t time_size) const {
    return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

constexpr std::size_t kHeaderSize = 44;

bool read_header(std::string_view bytes, std::size_t at, Header& header) {
  if (bytes.size() < at + kHeaderSize || bytes.substr(at, 4) != "TZif") return false;
  header.version = bytes[at + 4];
  header.isutcnt = u32(bytes, at + 20);
  header.isstdcnt = u32(bytes, at + 24);
  header.leapcnt = u32(bytes, at + 28);
  header.timecnt = u32(bytes, at + 32);
  header.typecnt = u32(bytes, at + 36);
  header.charcnt = u32(bytes, at + 40);
  // Counts this large are no zone (and would overflow the sizes below).
  return header.typecnt >= 1 && header.typecnt <= 256 && header.timecnt <= 100000 &&
         header.leapcnt <= 10000 && header.charcnt <= 100000 && header.isutcnt <= 256 &&
         header.isstdcnt <= 256;
}

}  // namespace

Result<NamedTimeZone> parse_tzif(std::string_view name, std::string_view bytes) {
  Header header;
  if (!read_header(bytes, 0, header))
    return failure("\"" + std::string(name) + "\" is no TZif file");
  std::size_t data = kHeaderSize;
  std::size_t time_size = 4;
  if (header.version >= '2') {
    // Version 2 and later repeat the data with 64-bit times after the 32-bit block.
    const std::size_t second = kHeaderSize + header.data_size(4);
    if (!read_header(bytes, second, header))
      return failure("\"" + std::string(name) + "\" has a damaged TZif header");
    data = second + kHeaderSize;
    time_size = 8;
  }
  if (bytes.size() < data + header.data_size(time_size))
    return failure("\"" + std::string(name) + "\" is a truncated TZif file");

  const std::size_t times = data;
  const std::size_t indices = times + header.timecnt * time_size;
  const std::size_t types = indices + header.timecnt;
  auto offset_of_type = [&](std::size_t type) {
    const auto seconds = static_cast<std::int32_t>(u32(bytes, types + type * 6));
    return static_cast<int>(seconds / 60);  // toward zero: only old local mean times have seconds
  };

  Result<NamedTimeZone> result;
  NamedTimeZone zone;
  zone.name = std::string(name);
  zone.zone.offset_minutes = offset_of_type(0);
  int current = zone.zone.offset_minutes;
  for (std::uint32_t i = 0; i < header.timecnt; ++i) {
    const EpochSeconds at = time_size == 8 ? s64(bytes, times + i * 8)
                                           : static_cast<std::int32_t>(u32(bytes, times + i * 4));
    const auto type = static_cast<unsigned char>(bytes[indices + i]);
    if (type >= header.typecnt)
      return failure("\"" + std::string(name) + "\" names a time type it does not have");
    const int offset = offset_of_type(type);
    if (at <= kZoneinfoFrom) {
      zone.zone.offset_minutes = current = offset;  // in force at 1900
      continue;
    }
    if (!zone.zone.changes.empty() && at <= zone.zone.changes.back().at)
      return failure("\"" + std::string(name) + "\" lists its changes out of order");
    if (offset == current) continue;
    if (zone.zone.changes.size() >= kMaxOffsetChanges) break;
    zone.zone.changes.push_back({at, offset});
    current = offset;
  }
  result.value = std::move(zone);
  return result;
}

Result<NamedTimeZone> load_system_time_zone(std::string_view name, std::string directory) {
  const bool valid = is_time_zone_name(name);  // so no name reaches outside the directory
  if (!valid) return failure("\"" + std::string(name) + "\" is not a time zone name");
  if (directory.empty()) {
    const char* from_environment = std::getenv("TZDIR");
    directory = from_environment && *from_environment ? from_environment : "/usr/share/zoneinfo";
  }
  std::ifstream file(directory + "/" + std::string(name), std::ios::binary);
  if (!file) return failure("no time-zone data for \"" + std::string(name) + "\" in " + directory);
  std::string bytes;
  bytes.resize(kMaxTzifBytes + 1);
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(file.gcount()));
  if (bytes.size() > kMaxTzifBytes)
    return failure("\"" + std::string(name) + "\" is larger than any zone's data");
  return parse_tzif(name, bytes);
}

}  // namespace loyalty
