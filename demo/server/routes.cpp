// HTTP wiring: routes, CORS, the body size limit and JSON bodies for every error status.
#include <httplib.h>

#include "handlers.hpp"

namespace loyalty::server {

bool Backend::origin_allowed(const std::string& origin) const {
  for (const auto& allowed : config_.allowed_origins)
    if (allowed == "*" || allowed == origin) return true;
  return false;
}

void Backend::apply_cors(const httplib::Request& request, httplib::Response& response) const {
  if (!request.has_header("Origin") || response.has_header("Access-Control-Allow-Origin")) return;
  std::string origin = request.get_header_value("Origin");
  response.set_header("Vary", "Origin");
  if (!origin_allowed(origin)) return;
  response.set_header("Access-Control-Allow-Origin", origin);
  response.set_header("Access-Control-Expose-Headers",
                      "Retry-After, Idempotent-Replayed, X-Program-Version");
}

void Backend::install(httplib::Server& server) {
  server.set_payload_max_length(config_.max_body_bytes);

  // CORS: answers preflights for allowed origins, refuses the rest, tags every answer.
  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (request.method != "OPTIONS") {
          apply_cors(request, response);
          return httplib::Server::HandlerResponse::Unhandled;
        }
        std::string origin = request.get_header_value("Origin");
        if (origin.empty() || !origin_allowed(origin)) {
          ApiResponse refused =
              error_response(403, "cors.originNotAllowed", "This origin may not call the API.");
          response.status = refused.status;
          response.set_content(refused.body, "application/json");
          return httplib::Server::HandlerResponse::Handled;
        }
        response.status = 204;
        response.set_header("Access-Control-Allow-Origin", origin);
        response.set_header("Vary", "Origin");
        response.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS");
        response.set_header("Access-Control-Allow-Headers",
                            "Authorization, Content-Type, Idempotency-Key, X-Admin-Key");
        response.set_header("Access-Control-Max-Age", "600");
        return httplib::Server::HandlerResponse::Handled;
      });

  // Every error status gets a JSON body, including the ones httplib makes itself (404, 413).
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& request, httplib::Response& response) {
        apply_cors(request, response);
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        ApiResponse error = error_response(response.status, default_error_code(response.status),
                                           default_error_message(response.status));
        response.set_content(error.body, "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        ApiResponse error = error_response(500, "server.error", "The server failed.");
        response.status = 500;
        response.set_content(error.body, "application/json");
      });

  using Method = ApiResponse (Backend::*)(const Request&);
  auto route = [this](Method method) {
    return [this, method](const httplib::Request& raw, httplib::Response& response) {
      Request request;
      request.method = raw.method;
      request.path = raw.path;
      request.headers.assign(raw.headers.begin(), raw.headers.end());
      request.query.assign(raw.params.begin(), raw.params.end());
      request.body = raw.body;
      request.remote_addr = raw.remote_addr;
      for (const auto& match : raw.matches) request.matches.push_back(match.str());
      ApiResponse answer = (this->*method)(request);
      response.status = answer.status;
      for (const auto& [name, value] : answer.headers) response.set_header(name, value);
      response.set_header("Cache-Control", "no-store");
      response.set_header("X-Content-Type-Options", "nosniff");
      // set_content() would copy the body (a customer document is several KB).
      response.body = std::move(answer.body);
      response.set_header("Content-Type", "application/json");
    };
  };
  server.Get("/v1/program", route(&Backend::get_program));
  server.Get("/v1/customer", route(&Backend::get_customer));
  server.Get(R"(/v1/customers/([A-Za-z0-9_-]{1,64}))", route(&Backend::get_customer));
  server.Post("/v1/redemptions", route(&Backend::post_redemption));
  server.Post("/v1/claims", route(&Backend::post_claim));
  server.Post("/v1/orders", route(&Backend::post_order_event));
  server.Post("/v1/referrals", route(&Backend::post_referral));
  server.Put("/v1/admin/program", route(&Backend::put_program));
  server.Get("/v1/admin/programs", route(&Backend::list_programs));
  server.Put(R"(/v1/admin/customers/([^/]+))", route(&Backend::put_customer));
  server.Get(R"(/v1/admin/customers/([^/]+))", route(&Backend::get_customer_admin));
  server.Post(R"(/v1/admin/customers/([^/]+)/adjustments)", route(&Backend::post_adjustment));
  server.Post("/v1/admin/expiry-sweep", route(&Backend::post_expiry_sweep));
  // DEMO ONLY (--demo, loopback only): without the flag these paths answer 404.
  if (config_.demo_routes) {
    server.Post("/demo/session", route(&Backend::post_demo_session));
    server.Post("/demo/orders", route(&Backend::post_demo_order));
  }
}

}  // namespace loyalty::server
