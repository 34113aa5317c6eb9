#include "routes.hpp"

#include "auth.hpp"

#include <atomic>
#include <memory>
#include <string_view>

namespace loyalty::server {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool customer_id_capture(const std::string& id) { return is_valid_customer_id(id); }

// "ntf_" and 32 hex digits; the same alphabet as customer ids, so the same check.
bool notification_id_capture(const std::string& id) { return is_valid_customer_id(id); }

}  // namespace

Routes::Routes(Backend& backend, StaticFiles files) : backend_(backend), files_(std::move(files)) {
  const bool waits = true;
  add("GET", "/v1/program", &Backend::get_program, Audience::anyone, !waits);
  add("GET", "/v1/customer", &Backend::get_customer, Audience::shopper, !waits);
  add("GET", "/v1/customers/*", &Backend::get_customer, Audience::shopper, waits,
      customer_id_capture);
  add_started("POST", "/v1/redemptions", &Backend::post_redemption, Audience::shopper);
  add("POST", "/v1/claims", &Backend::post_claim, Audience::shopper, waits);
  add("POST", "/v1/orders", &Backend::post_order_event, Audience::admin, waits);
  // Shop platforms' own webhooks: signed with the platform's secret, not the admin key.
  add("POST", "/v1/webhooks/*", &Backend::post_platform_webhook, Audience::anyone, waits);
  add("POST", "/v1/referrals", &Backend::post_referral, Audience::admin, waits);
  // The referred friend's side, called from the shop's pages: public, rate-limited per address.
  add("GET", "/v1/referrals/*", &Backend::get_referral, Audience::anyone, waits,
      customer_id_capture);
  add("POST", "/v1/referrals/friend", &Backend::post_friend_offer, Audience::anyone, waits);
  add("PUT", "/v1/admin/program", &Backend::put_program, Audience::admin, waits);
  add("GET", "/v1/admin/programs", &Backend::list_programs, Audience::admin, waits);
  add("PUT", "/v1/admin/customers/*", &Backend::put_customer, Audience::admin, waits);
  add("GET", "/v1/admin/customers/*", &Backend::get_customer_admin, Audience::admin, waits);
  add("POST", "/v1/admin/customers/*/adjustments", &Backend::post_adjustment, Audience::admin,
      waits);
  add("POST", "/v1/admin/expiry-sweep", &Backend::post_expiry_sweep, Audience::admin, waits);
  add("GET", "/v1/admin/notifications", &Backend::list_notifications, Audience::admin, waits);
  add("POST", "/v1/admin/notifications/*/retry", &Backend::post_notification_retry, Audience::admin,
      waits, notification_id_capture);
  // DEMO ONLY (--demo, loopback only): without the flag these paths answer 404.
  if (backend_.config().demo_routes) {
    add("POST", "/demo/session", &Backend::post_demo_session, Audience::anyone, waits);
    add("POST", "/demo/orders", &Backend::post_demo_order, Audience::shopper, waits);
  }
}

void Routes::add(const char* method, const std::string& pattern, Method handler, Audience audience,
                 bool waits, bool (*valid_capture)(const std::string&)) {
  routes_.push_back({method, split_path(pattern), handler, audience, waits, valid_capture});
}

void Routes::add_started(const char* method, const std::string& pattern, StartMethod start,
                         Audience audience) {
  routes_.push_back({method, split_path(pattern), nullptr, audience, true, nullptr, start});
}

const Routes::Route* Routes::find(Request& request, std::string& allowed) const {
  allowed.clear();
  const std::vector<std::string> segments = split_path(request.path);
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    const Route& route = routes_[index];
    if (route.pattern.size() != segments.size()) continue;
    std::vector<std::string> captures{request.path};
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      if (route.pattern[i] == "*") {
        matched = !segments[i].empty() &&
                  (route.valid_capture == nullptr || route.valid_capture(segments[i]));
        captures.push_back(segments[i]);
      } else {
        matched = route.pattern[i] == segments[i];
      }
    }
    if (!matched) continue;
    // HEAD is GET without the body (RFC 9110, 9.3.2).
    const bool head_of_get = request.method == "HEAD" && std::string_view(route.method) == "GET";
    if (request.method != route.method && !head_of_get) {
      allowed += allowed.empty() ? "" : ", ";
      allowed += route.method;
      if (std::string_view(route.method) == "GET") allowed += ", HEAD";
      continue;
    }
    request.matches = std::move(captures);
    request.route = static_cast<int>(index);
    return &route;
  }
  return nullptr;
}

bool Routes::origin_allowed(const std::string& origin) const {
  for (const auto& allowed : backend_.config().allowed_origins)
    if (allowed == origin || (allowed == "*" && origin != "null")) return true;
  return false;
}

void Routes::apply_cors(const Request& request, HttpResponse& answer, bool admin_route) const {
  if (admin_route || !request.has_header("Origin")) return;
  for (const auto& [name, value] : answer.headers)
    if (same_header_name(name, "Access-Control-Allow-Origin")) return;
  std::string origin = request.get_header_value("Origin");
  answer.set_header("Vary", "Origin");
  if (!origin_allowed(origin)) return;
  answer.set_header("Access-Control-Allow-Origin", origin);
  answer.set_header("Access-Control-Expose-Headers",
                    "Retry-After, Idempotent-Replayed, X-Program-Version");
}

// A preflight is answered for the shopper API only: the admin API is never callable from
// another origin, whatever --allow-origin says (its key must not live in a browser elsewhere).
bool Routes::answer_preflight(const Request& request, HttpResponse& answer) const {
  const std::string origin = request.get_header_value("Origin");
  Request probe;
  probe.path = request.path;
  probe.method = request.get_header_value("Access-Control-Request-Method");
  std::string allowed;
  const Route* route = find(probe, allowed);
  if (origin.empty() || !origin_allowed(origin) || route == nullptr ||
      route->audience == Audience::admin) {
    fill(error_response(403, "cors.originNotAllowed", "This origin may not call this address."),
         answer);
    return true;
  }
  answer.status = 204;
  answer.set_header("Access-Control-Allow-Origin", origin);
  answer.set_header("Vary", "Origin");
  answer.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS");
  answer.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key");
  answer.set_header("Access-Control-Max-Age", "600");
  return true;
}

void Routes::fill(ApiResponse api, HttpResponse& answer) {
  answer.status = api.status;
  answer.headers.reserve(api.headers.size() + 6);
  for (auto& [name, value] : api.headers) answer.set_header(std::move(name), std::move(value));
  answer.set_header("Cache-Control", "no-store");
  answer.set_header("X-Content-Type-Options", "nosniff");
  answer.set_header("Content-Type", "application/json");
  answer.body = std::move(api.body);
}

HttpApplication::Next Routes::route(Request& request, HttpResponse& answer) {
  if (request.method == "OPTIONS") {
    answer_preflight(request, answer);
    return Next::answer;
  }
  std::string allowed;
  const Route* route = find(request, allowed);
  if (route == nullptr) {
    if (files_.serve(request, answer)) return Next::answer;
    if (!allowed.empty()) {
      fill(error_response(405, "request.methodNotAllowed",
                          "This address does not accept " + request.method + "."),
           answer);
      answer.set_header("Allow", allowed);
    } else {
      fill(error_response(404, "request.notFound", "There is nothing at this address."), answer);
    }
    apply_cors(request, answer, false);
    return Next::answer;
  }
  answer.head_only = request.method == "HEAD";
  // Who is calling is known from the headers: a failed check costs no body.
  std::optional<ApiResponse> refused;
  if (route->audience == Audience::shopper) {
    refused = backend_.authenticate_shopper(request, request.verified_customer);
  } else if (route->audience == Audience::admin) {
    refused = backend_.authenticate_admin(request);
  }
  if (refused) {
    fill(std::move(*refused), answer);
    apply_cors(request, answer, route->audience == Audience::admin);
    return Next::answer;
  }
  if (route->start) return Next::run_async;
  return route->waits ? Next::run_worker : Next::run_inline;
}

void Routes::handle(Request& request, HttpResponse& answer) {
  const Route& route = routes_[static_cast<std::size_t>(request.route)];
  ApiResponse api;
  try {
    api = (backend_.*route.handler)(request);
  } catch (const std::exception&) {
    api = error_response(500, "server.error", "The server failed.");
  }
  fill(std::move(api), answer);
  apply_cors(request, answer, route.audience == Audience::admin);
}

void Routes::start(Request& request, HttpResponse& answer, Resume resume) {
  const Route& route = routes_[static_cast<std::size_t>(request.route)];
  const bool admin_route = route.audience == Audience::admin;
  // The endpoint resumes once; a throw before it did is answered here instead.
  auto resumed = std::make_shared<std::atomic<bool>>(false);
  auto finish_with = [this, &request, &answer, admin_route, resume,
                      resumed](Backend::Finish finish) {
    if (resumed->exchange(true)) return;
    resume([this, &request, &answer, admin_route, finish = std::move(finish)] {
      ApiResponse api;
      try {
        api = finish();
      } catch (const std::exception&) {
        api = error_response(500, "server.error", "The server failed.");
      }
      fill(std::move(api), answer);
      apply_cors(request, answer, admin_route);
    });
  };
  try {
    (backend_.*route.start)(request, finish_with);
  } catch (const std::exception&) {
    finish_with([] { return error_response(500, "server.error", "The server failed."); });
  }
}

HttpResponse Routes::edge_error(int status, const Request& request) {
  HttpResponse answer;
  fill(error_response(status, default_error_code(status), default_error_message(status)), answer);
  if (status == 503) answer.set_header("Retry-After", "1");
  const bool admin_route =
      request.route >= 0 &&
      routes_[static_cast<std::size_t>(request.route)].audience == Audience::admin;
  apply_cors(request, answer, admin_route);
  return answer;
}

}  // namespace loyalty::server
