// loyalty: the core's text API on the command line. JSON in (files or stdin), JSON out.
//   loyalty view --program program.json --customer customer.json --context context.json
// Exit status: 0 success, 1 invalid input (the JSON errors on stderr), 2 usage.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loyalty/json_api.hpp"
#include "loyalty/zoneinfo.hpp"

namespace {

constexpr const char* kUsage = R"(loyalty - the loyalty core on the command line

Usage:
  loyalty validate --program FILE | --customer FILE
  loyalty view     --program FILE --customer FILE --context FILE
  loyalty replay   --program FILE --customer FILE --context FILE
  loyalty earn     --program FILE --customer FILE --context FILE --event FILE
  loyalty redeem   --program FILE --customer FILE --context FILE --request FILE

Options:
  --program FILE    the merchant's program document
  --customer FILE   the shopper's customer document
  --context FILE    now, locale and cart
  --event FILE      earn: {"type": "order", "amounts": {...}} or {"type": "rule", "ruleId": "..."}
  --request FILE    redeem: {"rewardId": "r5", "points": 300, "orderTotal": 5000}
  --pretty          indent the JSON output

A program that names a timeZone gets its offsets from the system's time-zone data ($TZDIR or
/usr/share/zoneinfo) unless the context gives them.
  -h, --help        show this help

FILE "-" reads standard input. The result is printed to standard output as JSON.
Exit status: 0 success, 1 invalid input (JSON errors on standard error), 2 usage error.
)";

constexpr const char* kDocumentOptions[] = {"program", "customer", "context", "event", "request"};

int usage_error(const std::string& message) {
  std::cerr << "loyalty: " << message << "\n\n" << kUsage;
  return 2;
}

/// The context with the offsets of the program's timeZone, read from the system's time-zone data
/// when the context gives none. Either document unreadable: unchanged (the core reports it).
std::string with_system_time_zone(const std::string& program, const std::string& context) {
  const auto program_json = nlohmann::json::parse(program, nullptr, false);
  auto context_json = nlohmann::json::parse(context, nullptr, false);
  if (!program_json.is_object() || !context_json.is_object() || context_json.contains("timeZone"))
    return context;
  const auto name = program_json.find("timeZone");
  if (name == program_json.end() || !name->is_string()) return context;
  const auto zone = loyalty::load_system_time_zone(name->get<std::string>());
  if (!zone.ok()) {
    for (const auto& problem : zone.diagnostics)
      std::cerr << "loyalty: " << problem.message << "\n";
    return context;
  }
  context_json["timeZone"] = nlohmann::json::parse(loyalty::time_zone_json(*zone.value));
  return context_json.dump();
}

std::optional<std::string> read_input(const std::string& file) {
  if (file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

// Prints the envelope; 0 when it says "ok": true, else 1 with the envelope on stderr.
int print_result(const std::string& envelope, bool pretty) {
  auto parsed = nlohmann::json::parse(envelope, nullptr, false);
  bool ok = !parsed.is_discarded() && parsed.is_object() && parsed.contains("ok") &&
            parsed["ok"].is_boolean() && parsed["ok"].get<bool>();
  std::string text = pretty && !parsed.is_discarded()
                         ? parsed.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                         : envelope;
  (ok ? std::cout : std::cerr) << text << '\n';
  return ok ? 0 : 1;
}

int file_error(const std::string& source, const std::string& file) {
  nlohmann::json error = {
      {"source", source}, {"path", ""}, {"message", "cannot read the file \"" + file + "\""}};
  nlohmann::json envelope = {
      {"ok", false}, {"errors", {error}}, {"warnings", nlohmann::json::array()}};
  std::cerr << envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  for (const auto& arg : args) {
    if (arg == "-h" || arg == "--help" || arg == "help") {
      std::cout << kUsage;
      return 0;
    }
  }
  const std::string command = args[0];
  std::map<std::string, std::string> files;
  bool pretty = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--pretty") {
      pretty = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) return usage_error("unexpected argument \"" + arg + "\"");
    std::string name = arg.substr(2);
    std::string value;
    if (auto equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return usage_error("option --" + name + " needs a FILE");
    }
    bool known = false;
    for (const char* option : kDocumentOptions) known = known || name == option;
    if (!known) return usage_error("unknown option --" + name);
    if (files.count(name)) return usage_error("option --" + name + " given twice");
    files[name] = value;
  }
  int from_stdin = 0;
  for (const auto& entry : files) from_stdin += entry.second == "-" ? 1 : 0;
  if (from_stdin > 1) return usage_error("only one document can be read from standard input");

  std::vector<std::string> needed;
  if (command == "validate") {
    if (files.size() != 1 || !(files.count("program") || files.count("customer")))
      return usage_error("validate takes exactly one of --program or --customer");
    needed = {files.begin()->first};
  } else if (command == "view" || command == "replay") {
    needed = {"program", "customer", "context"};
  } else if (command == "earn") {
    needed = {"program", "customer", "context", "event"};
  } else if (command == "redeem") {
    needed = {"program", "customer", "context", "request"};
  } else {
    return usage_error("unknown command \"" + command + "\"");
  }
  for (const auto& name : needed)
    if (!files.count(name)) return usage_error(command + " needs --" + name + " FILE");
  for (const auto& entry : files) {
    bool used = false;
    for (const auto& name : needed) used = used || name == entry.first;
    if (!used) return usage_error(command + " does not take --" + entry.first);
  }

  std::map<std::string, std::string> texts;
  for (const auto& name : needed) {
    auto text = read_input(files[name]);
    if (!text) return file_error(name, files[name]);
    texts[name] = std::move(*text);
  }

  if (texts.count("context"))
    texts["context"] = with_system_time_zone(texts["program"], texts["context"]);

  std::string result;
  if (command == "validate") {
    result = texts.count("program") ? loyalty::validate_program_json(texts["program"])
                                    : loyalty::validate_customer_json(texts["customer"]);
  } else if (command == "view") {
    result = loyalty::view_json(texts["program"], texts["customer"], texts["context"]);
  } else if (command == "replay") {
    result = loyalty::replay_json(texts["program"], texts["customer"], texts["context"]);
  } else if (command == "earn") {
    result =
        loyalty::earn_json(texts["program"], texts["customer"], texts["context"], texts["event"]);
  } else {
    result = loyalty::redeem_json(texts["program"], texts["customer"], texts["context"],
                                  texts["request"]);
  }
  return print_result(result, pretty);
}
