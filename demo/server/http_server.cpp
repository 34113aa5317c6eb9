#include "http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace loyalty::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// After an answer that closes the connection, what the client still sends is read and dropped
// for this long, so that it can see the answer instead of a reset (closing with unread data
// sends RST, and the client's system then drops the answer it had received). Bounded in time
// only: a byte cap would reset a fast uploader before it reads its 413.
constexpr std::chrono::milliseconds kLingerTime{2'000};
// A kept-alive connection is closed this long after the idle timeout it announces: a client
// whose timer runs late (a busy event loop) may send just as the announced time passes, and
// would meet a close instead of an answer.
constexpr std::chrono::milliseconds kIdleGrace{2'000};
// Connections answered 503 at once past max_connections; beyond these they are closed unread.
constexpr std::size_t kMaxRefusing = 4'096;
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

/// Threads that run handlers which may wait, fed by a bounded queue.
class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t max_queued) : max_queued_(max_queued) {
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }
  ~WorkerPool() { stop(); }

  /// False when the queue is full (the caller answers 503) or the pool is stopping.
  bool try_post(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
  }

  /// Runs what is queued, then joins the threads.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(HttpApplication& application, HttpLimits limits, std::size_t io_threads,
       std::size_t worker_threads)
      : application(application),
        limits(limits),
        io_thread_count(io_threads),
        io(static_cast<int>(io_threads)),
        acceptor(io),
        accept_retry(io),
        workers(worker_threads, limits.max_queued_requests) {}

  void accept();

  HttpApplication& application;
  const HttpLimits limits;
  const std::size_t io_thread_count;
  net::io_context io;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  WorkerPool workers;
  std::atomic<std::size_t> open{0};      // connections being served
  std::atomic<std::size_t> refusing{0};  // connections being answered 503
  std::atomic<std::size_t> busy{0};      // requests between their headers and their answer
  std::atomic<std::size_t> waiting{0};   // started (run_async) and not yet resumed
  std::atomic<bool> stopping{false};
  std::mutex stop_mutex;
  std::condition_variable stop_wake;
  bool stop_requested = false;
};

namespace {

using Impl = HttpServer::Impl;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& server, tcp::socket socket)
      : server_(server),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        buffer_(server.limits.max_header_bytes + 64 * 1024) {}

  ~Connection() {
    if (counted_) server_.open.fetch_sub(1);
    if (refusing_) server_.refusing.fetch_sub(1);
    if (busy_) server_.busy.fetch_sub(1);
  }

  void start(bool over_capacity) {
    beast::error_code ignored;
    auto remote = socket_.remote_endpoint(ignored);
    if (!ignored) request_.remote_addr = remote.address().to_string();
    socket_.set_option(tcp::no_delay(true), ignored);
    if (over_capacity) {
      refusing_ = true;
      if (server_.refusing.fetch_add(1) >= kMaxRefusing) return;  // closed unread
      return fail(503);
    }
    counted_ = true;
    server_.open.fetch_add(1);
    wait_for_request(server_.limits.request_timeout);
  }

 private:
  // Closes the socket's pending operation at `deadline`; the operation then fails with
  // operation_aborted and timed_out_ says why.
  void arm(Clock::duration after) {
    timed_out_ = false;
    const std::uint64_t generation = ++timer_generation_;
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
      // Re-armed or cancelled; or it fired just as it was re-armed (its turn was already queued).
      if (ec || generation != self->timer_generation_) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }
  void disarm() {
    ++timer_generation_;
    timer_.cancel();
  }

  /// Waits for the first byte of the next request (kept-alive connections wait `wait`).
  void wait_for_request(std::chrono::milliseconds wait) {
    if (buffer_.size() > 0) return read_header();  // pipelined: already here
    arm(wait);
    socket_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->close();  // idle, or the client left
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.limits.max_header_bytes));
    parser_->body_limit(server_.limits.max_body_bytes);
    std::string remote = std::move(request_.remote_addr);
    request_ = Request{};
    request_.remote_addr = std::move(remote);
    answer_ = HttpResponse{};
    header_bytes_ = 0;
    arm(server_.limits.request_timeout);
    read_header_part();
  }

  // Beast's header_limit counts only the bytes not yet parsed, so headers arriving over many
  // reads could grow without bound: the total is counted here, read by read.
  void read_header_part() {
    http::async_read_some(socket_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->header_bytes_ += n;
                            if (ec) return self->on_read_error(ec, true);
                            // Not eager: a read stops at the header's end, so these bytes
                            // are all header.
                            if (self->header_bytes_ > self->server_.limits.max_header_bytes)
                              return self->fail(431);
                            if (self->parser_->is_header_done()) return self->on_header();
                            self->read_header_part();
                          });
  }

  void on_header() {
    const auto& head = parser_->get();
    std::size_t count = 0;
    for (auto it = head.begin(); it != head.end(); ++it) ++count;
    if (count > server_.limits.max_header_count) return fail(431);
    request_.method = std::string(head.method_string());
    request_.headers.reserve(count);
    for (const auto& field : head)
      request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    const auto target = head.target();
    if (!parse_target(std::string_view(target.data(), target.size()), request_)) return fail(400);
    keep_alive_ = head.keep_alive();
    if (auto length = parser_->content_length(); length && *length > server_.limits.max_body_bytes)
      return fail(413);

    busy_ = true;
    server_.busy.fetch_add(1);
    next_ = server_.application.route(request_, answer_);
    if (next_ == HttpApplication::Next::answer) {
      if (!parser_->is_done()) keep_alive_ = false;  // the body stays unread
      return write();
    }
    if (parser_->is_done()) return on_body({});
    auto expect = head.find(http::field::expect);
    if (expect != head.end() && beast::iequals(expect->value(), "100-continue")) {
      net::async_write(socket_, net::buffer(kContinue, sizeof kContinue - 1),
                       [self = shared_from_this()](beast::error_code write_error, std::size_t) {
                         if (write_error) return self->close();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    // The request's deadline still runs from its first byte.
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec) return on_read_error(ec, false);
    disarm();
    request_.body = std::move(parser_->get().body());
    if (next_ == HttpApplication::Next::run_inline) {
      server_.application.handle(request_, answer_);
      return write();
    }
    auto self = shared_from_this();
    if (next_ == HttpApplication::Next::run_async) {
      server_.waiting.fetch_add(1);
      server_.application.start(request_, answer_, [self](std::function<void()> finish) {
        net::post(self->socket_.get_executor(), [self, finish = std::move(finish)] {
          finish();
          self->server_.waiting.fetch_sub(1);
          self->write();
        });
      });
      return;
    }
    bool queued = server_.workers.try_post([self] {
      self->server_.application.handle(self->request_, self->answer_);
      net::post(self->socket_.get_executor(), [self] { self->write(); });
    });
    if (!queued) fail(503);
  }

  void on_read_error(beast::error_code ec, bool in_header) {
    if (timed_out_) return fail(408);
    if (ec == http::error::header_limit) return fail(431);
    if (ec == http::error::body_limit) return fail(413);
    if (ec == http::error::buffer_overflow) return fail(in_header ? 431 : 400);
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == net::error::broken_pipe)
      return close();
    if (ec.category() == net::error::get_system_category()) return close();
    fail(400);  // the request's syntax
  }

  /// Answers an error found here and closes the connection after it.
  void fail(int status) {
    answer_ = server_.application.edge_error(status, request_);
    keep_alive_ = false;
    write();
  }

  template <class Body>
  void fill(http::response<Body>& response) {
    response.result(static_cast<unsigned>(answer_.status));
    response.version(11);
    for (auto& [name, value] : answer_.headers) response.insert(name, value);
    const bool keep = keep_alive_ && !server_.stopping.load(std::memory_order_relaxed);
    keep_alive_ = keep;
    response.keep_alive(keep);
    if (keep) response.set(http::field::keep_alive, keep_alive_value());
  }

  std::string keep_alive_value() const {
    return "timeout=" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                           server_.limits.idle_timeout)
                                           .count());
  }

  void write() {
    arm(server_.limits.request_timeout);  // a client that does not read its answer is closed
    auto self = shared_from_this();
    auto on_written = [self](beast::error_code ec, std::size_t) { self->on_write(ec); };
    if (!answer_.file_path.empty()) {
      beast::error_code open_error;
      http::file_body::value_type file;
      file.open(answer_.file_path.c_str(), beast::file_mode::scan, open_error);
      if (open_error) {
        answer_ = server_.application.edge_error(404, request_);
      } else if (answer_.head_only) {
        auto& response = empty_response_.emplace();
        fill(response);
        response.content_length(file.size());
        return http::async_write(socket_, response, on_written);
      } else {
        auto& response = file_response_.emplace();
        fill(response);
        response.body() = std::move(file);
        response.prepare_payload();
        return http::async_write(socket_, response, on_written);
      }
    }
    if (answer_.head_only) {
      auto& response = empty_response_.emplace();
      fill(response);
      response.content_length(answer_.body.size());
      return http::async_write(socket_, response, on_written);
    }
    auto& response = string_response_.emplace();
    fill(response);
    response.body() = std::move(answer_.body);
    // 204 and 304 carry no body and no length.
    if (answer_.status != 204 && answer_.status != 304) response.prepare_payload();
    http::async_write(socket_, response, on_written);
  }

  void on_write(beast::error_code ec) {
    string_response_.reset();
    file_response_.reset();
    empty_response_.reset();
    if (busy_) {
      busy_ = false;
      server_.busy.fetch_sub(1);
    }
    if (ec) return close();
    if (!keep_alive_) return linger();
    wait_for_request(server_.limits.idle_timeout + kIdleGrace);
  }

  /// Stops sending, then reads and drops what the client still sends (bounded in time and
  /// bytes) before closing, so the answer is read rather than lost to a reset.
  void linger() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    if (ignored) return close();
    arm(kLingerTime);
    drain();
  }

  void drain() {
    buffer_.clear();
    socket_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->drain();
                            });
  }

  void close() {
    disarm();
    beast::error_code ignored;
    socket_.close(ignored);
  }

  Impl& server_;
  tcp::socket socket_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;
  HttpResponse answer_;
  HttpApplication::Next next_ = HttpApplication::Next::answer;
  std::optional<http::response<http::string_body>> string_response_;
  std::optional<http::response<http::file_body>> file_response_;
  std::optional<http::response<http::empty_body>> empty_response_;
  std::size_t header_bytes_ = 0;
  std::uint64_t timer_generation_ = 0;
  bool keep_alive_ = true;
  bool timed_out_ = false;
  bool counted_ = false;
  bool refusing_ = false;
  bool busy_ = false;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space) {
      // Out of file descriptors: new connections wait in the backlog until some close.
      accept_retry.expires_after(std::chrono::milliseconds(20));
      accept_retry.async_wait([this](beast::error_code) { accept(); });
      return;
    }
    if (!ec) {
      const bool over_capacity = open.load() >= limits.max_connections || stopping.load();
      std::make_shared<Connection>(*this, std::move(socket))->start(over_capacity);
    }
    accept();
  });
}

HttpServer::HttpServer(HttpApplication& application, HttpLimits limits, std::size_t io_threads,
                       std::size_t worker_threads)
    : impl_(std::make_unique<Impl>(application, limits, io_threads, worker_threads)) {}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const std::string& host, int port, std::string& error) {
  beast::error_code ec;
  auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) {
    error = "not an IP address: " + host;
    return false;
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  // The kernel caps the backlog at net.core.somaxconn: a burst of new connections waits there
  // instead of being dropped.
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message();
    return false;
  }
  return true;
}

int HttpServer::port() const {
  beast::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? -1 : endpoint.port();
}

void HttpServer::run() {
  Impl& impl = *impl_;
  impl.accept();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < impl.io_thread_count; ++i)
    threads.emplace_back([&impl] { impl.io.run(); });
  {
    std::unique_lock<std::mutex> lock(impl.stop_mutex);
    impl.stop_wake.wait(lock, [&impl] { return impl.stop_requested; });
  }
  // Stop taking connections, then give answers in progress a few seconds to go out.
  impl.stopping = true;
  net::post(impl.io, [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.accept_retry.cancel();
  });
  const auto give_up = Clock::now() + std::chrono::seconds(5);
  while (impl.busy.load() > 0 && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // A started request resumes on the io threads, so they run until every one has (the writer
  // always finishes what it took, committed or not), like the workers below finish their jobs.
  while (impl.waiting.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  impl.workers.stop();
  impl.io.stop();
  for (auto& thread : threads) thread.join();
}

void HttpServer::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mutex);
    impl_->stop_requested = true;
  }
  impl_->stop_wake.notify_all();
}

}  // namespace loyalty::server
