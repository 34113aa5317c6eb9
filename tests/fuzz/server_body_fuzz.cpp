// Feeds request bodies through the reference backend's readers (demo/server/http_json.cpp and
// request_bodies.cpp): what every endpoint runs on a body before it touches the database.
// Input: one body. Every reader must answer a value or a 400 with a JSON error, never crash,
// and an accepted body, serialised again (recursively, as the redemption hash does), must be
// accepted again: nothing deeper than the nesting limit gets through.
// The same bytes, as a request target, go through parse_target (http_request.cpp): a path it
// accepts is absolute and holds no control character.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth.hpp"
#include "http_json.hpp"
#include "http_request.hpp"
#include "request_bodies.hpp"

namespace {

using loyalty::server::BodyReader;

/// A refusal must be a 400 whose body is {"error": {"code", "message", "path", ...}}.
void check_refusal(const BodyReader& body) {
  if (!body.failed()) std::abort();
  const auto& error = *body.error();
  if (error.status != 400) std::abort();
  const auto answer = nlohmann::json::parse(error.body, nullptr, false);
  if (answer.is_discarded() || !answer.contains("error")) std::abort();
  const auto& fields = answer["error"];
  if (!fields["code"].is_string() || !fields["message"].is_string() || !fields["path"].is_string())
    std::abort();
}

/// Runs one reader on a fresh BodyReader: a value exactly when nothing was refused.
template <class Read>
void check_reader(std::string_view text, Read read) {
  BodyReader body(text);
  const bool read_ok = read(body).has_value();
  if (read_ok == body.failed()) std::abort();
  if (!read_ok) check_refusal(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  BodyReader body(text);
  if (body.failed()) {
    check_refusal(body);
  } else {
    if (!body.json().is_object()) std::abort();
    // The redemption hashes dump(); a body that is read must serialise and read back.
    const std::string again =
        body.json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    nlohmann::json reread;
    if (loyalty::server::parse_request_json(again, reread)) std::abort();
    // A nested object is read by a reader of its own; its paths nest.
    if (auto amounts = body.object("amounts", BodyReader::Need::optional))
      amounts->integer("subtotal", BodyReader::Need::optional);
  }

  using namespace loyalty::server;
  check_reader(text, read_redemption_body);
  check_reader(text, read_claim_body);
  check_reader(text, read_referral_body);
  check_reader(text, [](BodyReader& body) {
    auto claim = read_friend_offer_body(body);
    // What the handler looks up and normalises: a code only an id can be, a bounded address.
    if (claim &&
        (!is_valid_customer_id(claim->code) || claim->email.empty() || claim->email.size() > 254))
      std::abort();
    return claim;
  });
  check_reader(text, read_adjustment_body);
  check_reader(text, read_customer_body);
  check_reader(text, read_order_amounts);
  check_reader(text, [](BodyReader& body) {
    auto event = read_order_event_body(body, 1'700'000'000, "127.0.0.1");
    if (event &&
        (!is_valid_customer_id(event->customer_id) || event->ip.empty() ||
         (event->type != "placed" && event->type != "refunded" && event->type != "cancelled")))
      std::abort();
    return event;
  });

  Request request;
  if (parse_target(text, request)) {
    if (request.path.empty() || request.path[0] != '/') std::abort();
    for (unsigned char c : request.path)
      if (c < 0x20 || c == 0x7f) std::abort();
  }
  return 0;
}
