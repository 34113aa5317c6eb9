#include "notifier.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iostream>

#include "auth.hpp"
#include "loyalty/time.hpp"

namespace loyalty::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// Rows taken per writer job; the rest wait for the next pass.
constexpr std::int64_t kBatch = 50;
// Longest wait between looks at the outbox, in case a wake-up was missed.
constexpr std::chrono::milliseconds kPollInterval{1000};
// Most of a receiver's answer kept (only its status matters).
constexpr std::uint64_t kMaxAnswerBytes = 64 * 1024;

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool all_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

std::optional<HttpTarget> parse_notify_url(const std::string& url, std::string& error) {
  HttpTarget target;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    target.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    error = "must be an http:// or https:// URL";
    return std::nullopt;
  }
  const std::size_t slash = rest.find_first_of("/?");
  const std::string authority = rest.substr(0, slash);
  target.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (target.path[0] == '?') target.path.insert(0, "/");
  if (authority.find('@') != std::string::npos) {
    error = "must not carry credentials (sign with --notify-secret instead)";
    return std::nullopt;
  }
  const std::size_t colon = authority.rfind(':');
  target.host = authority.substr(0, colon);
  target.port =
      colon == std::string::npos ? (target.tls ? "443" : "80") : authority.substr(colon + 1);
  if (target.host.empty()) {
    error = "has no host";
    return std::nullopt;
  }
  if (!all_digits(target.port) || target.port.size() > 5 || std::stoi(target.port) < 1 ||
      std::stoi(target.port) > 65535) {
    error = "has an invalid port";
    return std::nullopt;
  }
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 127) {
      error = "must not contain spaces or control characters";
      return std::nullopt;
    }
  return target;
}

std::int64_t retry_delay_ms(const NotifyConfig& config, std::int64_t attempts) {
  std::int64_t delay = config.retry_base_ms;
  for (std::int64_t i = 1; i < attempts && delay < config.retry_cap_ms; ++i) delay *= 2;
  return std::min(delay, config.retry_cap_ms);
}

std::string delivery_body(const OutboxRow& row) {
  nlohmann::json body = {{"id", row.id},
                         {"kind", row.kind},
                         {"customerId", row.customer_id},
                         {"createdAt", format_instant(row.created_at, 0)},
                         {"data", nlohmann::json::parse(row.payload, nullptr, false)}};
  return body.dump();
}

std::unique_ptr<ssl::context> make_tls_context(const std::string& ca_file, std::string& error) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1);
  context->set_verify_mode(ssl::verify_peer);
  beast::error_code code;
  context->set_default_verify_paths(code);  // the system's store; none found is no error here
  if (!ca_file.empty()) {
    context->load_verify_file(ca_file, code);
    if (code) {
      error = ca_file + ": " + code.message();
      return nullptr;
    }
  }
  return context;
}

DeliveryResult post_json(const HttpTarget& target, const std::string& body,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         std::chrono::milliseconds timeout, ssl::context* tls) {
  DeliveryResult result;
  if (target.tls && !tls) {
    result.error = "tls: no TLS context";
    return result;
  }
  net::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream plain(io);
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  if (target.tls) {
    secure.emplace(io, *tls);
    SSL* handle = secure->native_handle();
    // The certificate must name the host: an IP address against its IP entries, a name (also
    // sent as SNI) against its DNS names; OpenSSL checks it during the handshake.
    beast::error_code not_ip;
    net::ip::make_address(target.host, not_ip);
    if (!not_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), target.host.c_str());
    } else {
      SSL_set_tlsext_host_name(handle, target.host.c_str());
      SSL_set1_host(handle, target.host.c_str());
    }
  }
  beast::tcp_stream& stream = secure ? beast::get_lowest_layer(*secure) : plain;
  const char* default_port = target.tls ? "443" : "80";
  http::request<http::string_body> request{http::verb::post, target.path, 11};
  request.set(http::field::host,
              target.port == default_port ? target.host : target.host + ":" + target.port);
  request.set(http::field::user_agent, "loyalty-server");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxAnswerBytes);
  bool answered = false;
  const auto fail = [&result](const char* step, const beast::error_code& code) {
    result.error = std::string(step) + ": " + code.message();
  };
  const auto exchange = [&](auto& over) {
    http::async_write(over, request, [&](const beast::error_code& code, std::size_t) {
      if (code) return fail("send", code);
      http::async_read(over, buffer, parser, [&](const beast::error_code& code, std::size_t) {
        if (code) return fail("read", code);
        answered = true;
      });
    });
  };
  // Asynchronous only for the deadline: tcp_stream's expiry bounds connect, the TLS handshake,
  // send and read.
  resolver.async_resolve(
      target.host, target.port,
      [&](const beast::error_code& code, tcp::resolver::results_type endpoints) {
        if (code) return fail("resolve", code);
        stream.expires_after(timeout);
        stream.async_connect(endpoints, [&](const beast::error_code& code, const tcp::endpoint&) {
          if (code) return fail("connect", code);
          if (!secure) return exchange(plain);
          secure->async_handshake(ssl::stream_base::client, [&](const beast::error_code& code) {
            if (code) return fail("tls", code);
            exchange(*secure);
          });
        });
      });
  // The resolver has no deadline of its own: give up on it a little after the stream's.
  io.run_for(timeout + std::chrono::seconds(1));
  if (!io.stopped()) {
    resolver.cancel();
    beast::error_code ignored;
    stream.socket().close(ignored);
    io.restart();
    io.run();
    result.error = "timed out";
    return result;
  }
  if (!answered) return result;
  const unsigned status = parser.get().result_int();
  result.delivered = status >= 200 && status < 300;
  if (!result.delivered) result.error = "HTTP " + std::to_string(status);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return result;
}

void NotifierSignal::notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

bool NotifierSignal::wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, timeout, [this] { return notified_ || stopping_; });
  notified_ = false;
  return stopping_;
}

void NotifierSignal::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

bool NotifierSignal::stopping() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

Notifier::Notifier(NotifyConfig config, HttpTarget target, DatabaseOptions database,
                   GroupCommitter& writes, std::shared_ptr<NotifierSignal> signal)
    : config_(std::move(config)),
      target_(std::move(target)),
      database_(std::move(database)),
      shared_(is_postgres_url(database_.path)),
      writes_(writes),
      signal_(std::move(signal)) {
  if (target_.tls) {
    std::string error;
    tls_ = make_tls_context(config_.ca_file, error);
    // main() checked the file; if it can't be read now every attempt fails and says why.
    if (!tls_) std::cerr << "loyalty-server: --notify-ca " << error << "\n";
  }
  thread_ = std::thread([this] { run(); });
}

Notifier::~Notifier() {
  signal_->stop();
  if (thread_.joinable()) thread_.join();
}

void Notifier::run() {
  std::string error;
  std::unique_ptr<Database> reader;
  for (;;) {
    if (!reader) reader = Database::open(database_, error);
    // A cheap look on the thread's own connection (in a transaction, where a lost PostgreSQL
    // connection is made again); the rows themselves are read by the writer or claimed.
    const std::int64_t now_ms = unix_now_ms();
    std::optional<std::int64_t> next_ms = now_ms;
    if (reader) {
      Transaction look(*reader, Transaction::Kind::read);
      next_ms = look.begun() ? next_due_ms(*reader) : now_ms;
    }
    std::chrono::milliseconds wait = kPollInterval;
    if (next_ms && *next_ms <= now_ms) {
      const Pass pass = !shared_ ? deliver_due()
                        : reader ? deliver_claimed(*reader)
                                 : Pass::storage_failed;
      if (pass == Pass::stopping) return;
      if (pass == Pass::done) continue;
      std::cerr << "loyalty-server: reading the notifications outbox failed; retrying later\n";
    } else if (next_ms) {
      wait = std::min(wait, std::chrono::milliseconds(*next_ms - now_ms));
    }
    if (signal_->wait(wait)) return;
  }
}

Notifier::Pass Notifier::deliver_due() {
  // Read by the writer: its run() returns once every earlier group is durable, so no
  // notification leaves before the ledger change that caused it is on disk.
  std::vector<OutboxRow> rows;
  const bool read = writes_.run([&](Database& db) {
    rows.clear();
    return due_notifications(db, unix_now_ms(), kBatch, rows);
  });
  if (!read) return Pass::storage_failed;
  for (const OutboxRow& row : rows) {
    if (signal_->stopping()) return Pass::stopping;
    const Attempt outcome = attempt(row);
    // A failed mark leaves the row due: it is delivered again (at least once, never lost).
    writes_.run([&](Database& db) { return record(db, row, outcome); });
  }
  return signal_->stopping() ? Pass::stopping : Pass::done;
}

Notifier::Pass Notifier::deliver_claimed(Database& db) {
  // Each row is sent inside a transaction that holds its lock, so no other process sends it
  // meanwhile, and marked in that same transaction. A process that dies drops its connection:
  // PostgreSQL ends the transaction, and the row is due again at once for the others. Only rows
  // committed (durable) are seen, as the writer's read guarantees on SQLite.
  for (std::int64_t sent = 0; sent < kBatch; ++sent) {
    if (signal_->stopping()) return Pass::stopping;
    Transaction claim(db, Transaction::Kind::claim);
    std::optional<OutboxRow> row;
    if (!claim.begun() || !claim_due_notification(db, unix_now_ms(), row))
      return Pass::storage_failed;
    if (!row) return Pass::done;
    const Attempt outcome = attempt(*row);
    // A failed mark or commit rolls back: the row stays due and is delivered again.
    if (!record(db, *row, outcome) || !claim.commit()) return Pass::storage_failed;
  }
  return Pass::done;
}

Notifier::Attempt Notifier::attempt(const OutboxRow& row) {
  const std::string body = delivery_body(row);
  const std::int64_t attempt = row.attempts + 1;
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Loyalty-Delivery", row.id},
      {"X-Loyalty-Kind", row.kind},
      {"X-Loyalty-Attempt", std::to_string(attempt)},
      {"X-Loyalty-Timestamp", std::to_string(std::time(nullptr))},
      {"X-Loyalty-Signature", "sha256=" + hmac_sha256_hex(config_.secret, body)}};
  const DeliveryResult result =
      post_json(target_, body, headers, std::chrono::milliseconds(config_.timeout_ms), tls_.get());
  Attempt outcome;
  outcome.delivered = result.delivered;
  outcome.dead = !result.delivered && attempt >= config_.max_attempts;
  outcome.error = result.error;
  outcome.next_ms = unix_now_ms() + retry_delay_ms(config_, attempt);
  if (outcome.dead)
    std::cerr << "loyalty-server: notification " << row.id << " (" << row.kind
              << ") dead-lettered after " << attempt << " attempts: " << result.error << "\n";
  return outcome;
}

bool Notifier::record(Database& db, const OutboxRow& row, const Attempt& attempt) {
  if (attempt.delivered) return mark_delivered(db, row.id, std::time(nullptr));
  return mark_failed(db, row.id, attempt.error, attempt.next_ms, attempt.dead);
}

}  // namespace loyalty::server
