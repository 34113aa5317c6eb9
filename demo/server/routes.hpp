// The API's routes, CORS and static files behind the HTTP edge: which handler answers a
// request, who may call it, and whether its body is worth reading.
#pragma once

#include <string>
#include <vector>

#include "backend.hpp"
#include "http_server.hpp"
#include "static_files.hpp"

namespace loyalty::server {

class Routes : public HttpApplication {
 public:
  Routes(Backend& backend, StaticFiles files);

  Next route(Request& request, HttpResponse& answer) override;
  void handle(Request& request, HttpResponse& answer) override;
  void start(Request& request, HttpResponse& answer, Resume resume) override;
  HttpResponse edge_error(int status, const Request& request) override;

 private:
  using Method = ApiResponse (Backend::*)(const Request&);
  using StartMethod = void (Backend::*)(const Request&, Backend::Resume);
  // Who may call a route: checked from the headers alone, before the body is read.
  enum class Audience { anyone, shopper, admin };
  struct Route {
    const char* method;
    // Segments; "*" matches one non-empty segment, captured into Request::matches.
    std::vector<std::string> pattern;
    Method handler;
    Audience audience;
    bool waits;  // may wait on the writer or replay a ledger: runs on a worker thread
    bool (*valid_capture)(const std::string&) = nullptr;
    StartMethod start = nullptr;  // instead of `handler`: answers once its write is done
  };

  void add(const char* method, const std::string& pattern, Method handler, Audience audience,
           bool waits, bool (*valid_capture)(const std::string&) = nullptr);
  void add_started(const char* method, const std::string& pattern, StartMethod start,
                   Audience audience);
  /// The route for `request`'s path and method. When only the method is wrong, `allowed` lists
  /// the path's methods (for the 405's Allow header).
  const Route* find(Request& request, std::string& allowed) const;
  bool origin_allowed(const std::string& origin) const;
  /// The grant for an API answer to a cross-origin caller (never for admin routes).
  void apply_cors(const Request& request, HttpResponse& answer, bool admin_route) const;
  bool answer_preflight(const Request& request, HttpResponse& answer) const;
  static void fill(ApiResponse api, HttpResponse& answer);

  Backend& backend_;
  StaticFiles files_;
  std::vector<Route> routes_;
};

}  // namespace loyalty::server
