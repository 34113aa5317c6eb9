// loyalty-server: the reference backend. See include/loyalty/CONTRACT.md, "Backend HTTP API".
//
//   loyalty-server --port 0 --db /tmp/loyalty.db --secret s3cret --admin-key k
//       --program demo/programs/maple/program.json --seed demo/programs/maple/customers
//       --static /=demo/storefront --allow-origin http://127.0.0.1:8080
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "backend.hpp"
#include "http_server.hpp"
#include "routes.hpp"
#include "row_store.hpp"
#include "static_files.hpp"
#include "transfer_command.hpp"

namespace {

using loyalty::server::HttpLimits;
using loyalty::server::ServerConfig;
using loyalty::server::StaticMount;

constexpr const char* kUsage = R"(usage: loyalty-server [options]
       loyalty-server export --db DATABASE > shop.jsonl
       loyalty-server import --db DATABASE < shop.jsonl
  --port N              port on 127.0.0.1 (default 8080; 0 picks a free one)
  --host ADDRESS        address to listen on (default 127.0.0.1)
  --db PATH|URL         SQLite database file (default loyalty.db), or a postgresql:// URL:
                        several servers may share one PostgreSQL database
  --secret S            HMAC key of shopper tokens (or $LOYALTY_SECRET; required)
  --admin-key K         X-Admin-Key for the admin endpoints (or $LOYALTY_ADMIN_KEY)
  --allow-origin O      CORS origin allowed to call the API (repeatable; "*" for any)
  --program FILE        program to publish when none is published yet
  --seed DIR            customer documents (*.json) to load into an empty database
  --static /PREFIX=DIR  serve DIR's files under /PREFIX (repeatable)
  --csp POLICY          Content-Security-Policy header for static files
  --max-body BYTES      request body limit, chunked or not (default 262144; larger is 413)
  --max-header-bytes N  request line and headers together (default 16384; larger is 431)
  --max-headers N       header fields in a request (default 100; more is 431)
  --request-timeout-ms N
                        a request must arrive whole within this (default 10000; else 408)
  --idle-timeout-ms N   a kept-alive connection may wait this long for its next request
                        (default 5000; announced in Keep-Alive)
  --max-connections N   connections served at once (default 10000); past it 503 + Retry-After
  --rate-redemptions N  redemptions per customer per minute (default 10; 0 = no limit)
  --rate-claims N       claims per customer per minute (default 10; 0 = no limit)
  --referrals-per-ip N  referral claims per IP address per week (default 5)
  --rate-referral-lookups N
                        GET /v1/referrals/{code} per IP address per minute (default 30;
                        0 = no limit)
  --rate-friend-offers N
                        POST /v1/referrals/friend per IP address per minute (default 10;
                        0 = no limit)
  --sync full|normal    SQLite synchronous mode in WAL (default full)
  --threads N           worker threads for handlers that wait on the disk (default 64)
  --io-threads N        threads that run the sockets (default 2)
  --idempotency-seconds N
                        how long a redemption's Idempotency-Key is remembered (default
                        86400; 0 = forever); after that the same key counts as new
  --expiry-sweep-seconds N
                        record computed expiries as ledger entries every N seconds
                        (default 0: never; POST /v1/admin/expiry-sweep runs one on demand)
  --max-clock-skew-seconds N
                        how far ahead of this server's clock a caller's instant may lie
                        (default 300, at most 3600); later is 422 request.futureInstant
  --webhook-secret PLATFORM=SECRET
                        the shared secret of a shop platform's webhooks (repeatable:
                        shopify=..., woocommerce=...), for POST /v1/webhooks/PLATFORM
  --notify-url URL      POST each notification of the outbox (points earned, reward unlocked,
                        tier reached/lost, referral rewarded, points expiring) to this https://
                        (or http://) URL; without it they stay queued (GET
                        /v1/admin/notifications)
  --notify-ca FILE      PEM certificate authorities an https receiver's certificate may chain
                        to, besides the system's (a private CA, a self-signed receiver)
  --notify-secret S     HMAC-SHA256 key of X-Loyalty-Signature (or $LOYALTY_NOTIFY_SECRET;
                        at least 16 characters; required with --notify-url)
  --notify-max-attempts N
                        attempts before a notification is dead-lettered (default 8)
  --notify-retry-base-ms N
                        wait before the first retry, doubled for each next one up to an hour
                        (default 5000)
  --notify-timeout-ms N connecting, sending and reading one delivery (default 10000)
  --demo                DEMO ONLY, loopback hosts only: adds POST /demo/session (signs a
                        shopper token for any customer) and POST /demo/orders (a shopper's
                        order, applied as the order webhook would)
)";

/// --demo lets anyone sign in as anyone, so it only runs where nobody else can connect.
bool is_loopback_host(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

/// Every open connection is a file descriptor: take the most the system allows this process.
void raise_open_file_limit() {
  struct rlimit limit {};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

bool parse_count(const std::string& text, long long min, long long& out) {
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < min) return false;
  out = value;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  ServerConfig config;
  config.database.path = "loyalty.db";
  std::string host = "127.0.0.1";
  long long port = 8080;
  long long threads = 64;
  long long io_threads = 2;
  HttpLimits limits;
  std::string program_file;
  std::string seed_dir;
  std::vector<StaticMount> mounts;
  if (const char* secret = std::getenv("LOYALTY_SECRET")) config.secret = secret;
  if (const char* key = std::getenv("LOYALTY_ADMIN_KEY")) config.admin_key = key;
  if (const char* key = std::getenv("LOYALTY_NOTIFY_SECRET")) config.notify.secret = key;

  std::vector<std::string> args(argv + 1, argv + argc);
  if (loyalty::server::is_transfer_command(args)) {
    return loyalty::server::run_transfer_command(args);
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (flag == "--demo") {
      config.demo_routes = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      std::cerr << "loyalty-server: " << flag << " needs a value (or is unknown)\n" << kUsage;
      return 2;
    }
    const std::string& value = args[++i];
    long long number = 0;
    bool ok = true;
    if (flag == "--port") {
      ok = parse_count(value, 0, port) && port <= 65535;
    } else if (flag == "--host") {
      host = value;
    } else if (flag == "--db") {
      config.database.path = value;
    } else if (flag == "--secret") {
      config.secret = value;
    } else if (flag == "--admin-key") {
      config.admin_key = value;
    } else if (flag == "--allow-origin") {
      config.allowed_origins.push_back(value);
    } else if (flag == "--program") {
      program_file = value;
    } else if (flag == "--seed") {
      seed_dir = value;
    } else if (flag == "--static") {
      auto equals = value.find('=');
      ok = equals != std::string::npos && equals > 0 && value[0] == '/';
      if (ok) mounts.push_back({value.substr(0, equals), value.substr(equals + 1)});
    } else if (flag == "--csp") {
      config.content_security_policy = value;
    } else if (flag == "--max-body") {
      ok = parse_count(value, 1, number);
      config.max_body_bytes = static_cast<std::size_t>(number);
    } else if (flag == "--max-header-bytes") {
      ok = parse_count(value, 256, number) && number <= (1 << 24);
      limits.max_header_bytes = static_cast<std::size_t>(number);
    } else if (flag == "--max-headers") {
      ok = parse_count(value, 1, number) && number <= 100000;
      limits.max_header_count = static_cast<std::size_t>(number);
    } else if (flag == "--request-timeout-ms") {
      ok = parse_count(value, 1, number);
      limits.request_timeout = std::chrono::milliseconds(number);
    } else if (flag == "--idle-timeout-ms") {
      ok = parse_count(value, 1, number);
      limits.idle_timeout = std::chrono::milliseconds(number);
    } else if (flag == "--max-connections") {
      ok = parse_count(value, 1, number);
      limits.max_connections = static_cast<std::size_t>(number);
    } else if (flag == "--rate-redemptions") {
      ok = parse_count(value, 0, number);
      config.redemption_limit.per_minute = number;
    } else if (flag == "--rate-claims") {
      ok = parse_count(value, 0, number);
      config.claim_limit.per_minute = number;
    } else if (flag == "--rate-referral-lookups") {
      ok = parse_count(value, 0, number);
      config.referral_lookup_limit.per_minute = number;
    } else if (flag == "--rate-friend-offers") {
      ok = parse_count(value, 0, number);
      config.friend_offer_limit.per_minute = number;
    } else if (flag == "--referrals-per-ip") {
      ok = parse_count(value, 0, number);
      config.referral_claims_per_ip_week = number;
    } else if (flag == "--sync") {
      ok = value == "full" || value == "normal";
      config.database.sync =
          value == "normal" ? loyalty::server::SyncMode::normal : loyalty::server::SyncMode::full;
    } else if (flag == "--threads") {
      ok = parse_count(value, 1, threads) && threads <= 4096;
    } else if (flag == "--io-threads") {
      ok = parse_count(value, 1, io_threads) && io_threads <= 256;
    } else if (flag == "--idempotency-seconds") {
      ok = parse_count(value, 0, number);
      config.idempotency_key_seconds = number;
    } else if (flag == "--expiry-sweep-seconds") {
      ok = parse_count(value, 0, number);
      config.expiry_sweep_seconds = number;
    } else if (flag == "--webhook-secret") {
      // platform=secret; the value is the platform's shared secret, used as given.
      auto equals = value.find('=');
      ok = equals != std::string::npos && equals > 0 && equals + 1 < value.size();
      if (ok) config.webhook_secrets[value.substr(0, equals)] = value.substr(equals + 1);
    } else if (flag == "--notify-url") {
      std::string problem;
      ok = loyalty::server::parse_notify_url(value, problem).has_value();
      if (!ok) {
        std::cerr << "loyalty-server: --notify-url " << value << ": " << problem << "\n";
        return 2;
      }
      config.notify.url = value;
    } else if (flag == "--notify-ca") {
      std::string problem;
      ok = loyalty::server::make_tls_context(value, problem) != nullptr;
      if (!ok) {
        std::cerr << "loyalty-server: --notify-ca " << problem << "\n";
        return 2;
      }
      config.notify.ca_file = value;
    } else if (flag == "--notify-secret") {
      config.notify.secret = value;
    } else if (flag == "--notify-max-attempts") {
      ok = parse_count(value, 1, number) && number <= 100;
      config.notify.max_attempts = number;
    } else if (flag == "--notify-retry-base-ms") {
      ok = parse_count(value, 1, number) && number <= 3600000;
      config.notify.retry_base_ms = number;
    } else if (flag == "--notify-timeout-ms") {
      ok = parse_count(value, 100, number) && number <= 600000;
      config.notify.timeout_ms = number;
    } else if (flag == "--max-clock-skew-seconds") {
      // Past an hour, an event dated tomorrow would count as today's.
      ok = parse_count(value, 0, number) && number <= 3600;
      config.max_clock_skew_seconds = number;
    } else {
      std::cerr << "loyalty-server: unknown option " << flag << "\n" << kUsage;
      return 2;
    }
    if (!ok) {
      std::cerr << "loyalty-server: bad value for " << flag << ": " << value << "\n";
      return 2;
    }
  }
  if (config.secret.size() < 16) {
    std::cerr << "loyalty-server: --secret (or $LOYALTY_SECRET) of at least 16 characters is "
                 "required to verify shopper tokens\n";
    return 2;
  }
  if (!config.notify.url.empty() && config.notify.secret.size() < 16) {
    std::cerr << "loyalty-server: --notify-url needs --notify-secret (or $LOYALTY_NOTIFY_SECRET) "
                 "of at least 16 characters: the receiver checks each delivery's signature\n";
    return 2;
  }
  if (config.demo_routes && !is_loopback_host(host)) {
    std::cerr << "loyalty-server: --demo signs shopper tokens for anyone, so it only runs on a "
                 "loopback host (127.0.0.1, localhost or ::1), not on "
              << host << "\n";
    return 2;
  }

  // Signals are taken by one thread with sigwait, so stopping the server happens outside a
  // signal handler. Blocked before any thread starts (the backend starts its writer and
  // checkpointer), so they inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  loyalty::server::Backend backend(config);
  std::string error;
  if (!backend.start(program_file, seed_dir, error)) {
    std::cerr << "loyalty-server: " << error << "\n";
    return 1;
  }

  raise_open_file_limit();
  limits.max_body_bytes = config.max_body_bytes;
  std::vector<std::pair<std::string, std::string>> static_headers = {
      {"X-Content-Type-Options", "nosniff"}};
  if (!config.content_security_policy.empty())
    static_headers.emplace_back("Content-Security-Policy", config.content_security_policy);
  for (const auto& mount : mounts) {
    struct stat info {};
    if (::stat(mount.directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      std::cerr << "loyalty-server: --static " << mount.prefix << "=" << mount.directory
                << ": not a directory\n";
      return 2;
    }
  }
  loyalty::server::Routes routes(backend,
                                 loyalty::server::StaticFiles(mounts, std::move(static_headers)));
  loyalty::server::HttpServer server(routes, limits, static_cast<std::size_t>(io_threads),
                                     static_cast<std::size_t>(threads));
  if (!server.listen(host, static_cast<int>(port), error)) {
    std::cerr << "loyalty-server: " << error << "\n";
    return 1;
  }
  const int bound = server.port();
  std::string url = "http://" + host + ":" + std::to_string(bound);
  std::cout << "loyalty-server listening on " << url << "\n";
  for (const auto& mount : mounts)
    std::cout << "  static " << url << mount.prefix << " -> " << mount.directory << "\n";
  if (config.admin_key.empty()) std::cout << "  no --admin-key: the admin endpoints answer 401\n";
  if (config.demo_routes)
    std::cout
        << "\n  *** DEMO ROUTES ENABLED (--demo): POST /demo/session signs a shopper token for\n"
           "  *** any customer, POST /demo/orders applies a shopper's order. Never in "
           "production.\n\n";
  std::cout.flush();

  std::thread stopper([&server, &stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  });
  server.run();
  stopper.join();
  return 0;
}
