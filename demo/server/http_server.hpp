// The HTTP/1.1 edge: accepts connections, reads each request whole within its limits and
// deadlines, hands it to the application and writes the answer. Built on Boost.Beast; this
// header keeps Beast out of every other file.
//
// Threads: `io_threads` run every socket (event-driven, so a slow or idle client holds a
// socket and a small buffer, never a thread); handlers that may wait (the disk, the writer)
// run on `worker_threads`, and the answer goes back to the socket's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http_request.hpp"

namespace loyalty::server {

struct HttpLimits {
  std::size_t max_body_bytes = 256 * 1024;   // decoded body, chunked or not; more is 413
  std::size_t max_header_bytes = 16 * 1024;  // request line and headers together; more is 431
  std::size_t max_header_count = 100;        // more is 431
  // From a request's first byte to its last: a client that trickles a request slower than this
  // gets 408 and is closed.
  std::chrono::milliseconds request_timeout{10'000};
  // How long a kept-alive connection may wait for its next request (announced in Keep-Alive).
  std::chrono::milliseconds idle_timeout{5'000};
  // Open connections served at once; past it a connection gets 503 + Retry-After and is closed.
  std::size_t max_connections = 10'000;
  // Requests waiting for a worker thread; past it a request gets 503 + Retry-After.
  std::size_t max_queued_requests = 4'096;
};

/// What a handler answers. With `file_path` set the body is that file, streamed from disk.
struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string file_path;
  bool head_only = false;  // a HEAD request: headers (with the body's length) and no body

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

/// The application behind the edge (the API routes and static files).
class HttpApplication {
 public:
  enum class Next {
    answer,      // `answer` is complete; the body is not read
    run_inline,  // read the body, then handle() on the socket's thread (quick, never waits)
    run_worker,  // read the body, then handle() on a worker thread
    run_async,   // read the body, then start() on the socket's thread, which holds no thread
                 // while it waits (see Resume)
  };
  /// How start() finishes: called once, from any thread, with the rest of the work; the edge
  /// runs `finish` on the socket's thread, where it fills the answer, and then writes it.
  using Resume = std::function<void(std::function<void()> finish)>;
  virtual ~HttpApplication() = default;
  /// Called once the headers are read and before any of the body, so that an unknown route or
  /// a failed authentication costs no body.
  virtual Next route(Request& request, HttpResponse& answer) = 0;
  virtual void handle(Request& request, HttpResponse& answer) = 0;
  /// For Next::run_async. `request` and `answer` stay valid until `finish` has run.
  virtual void start(Request& request, HttpResponse& answer, Resume resume) = 0;
  /// The answer to an error the edge found itself (400, 408, 413, 431, 503). `request` holds
  /// what was read of the request (maybe nothing).
  virtual HttpResponse edge_error(int status, const Request& request) = 0;
};

class HttpServer {
 public:
  HttpServer(HttpApplication& application, HttpLimits limits, std::size_t io_threads,
             std::size_t worker_threads);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and listens (port 0 picks a free one). False with a message on failure.
  bool listen(const std::string& host, int port, std::string& error);
  int port() const;
  /// Serves until stop(); then lets answers in progress finish (up to a few seconds).
  void run();
  /// From any thread.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace loyalty::server
