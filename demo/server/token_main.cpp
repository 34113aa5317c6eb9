// loyalty-token: prints a shopper token for the demo and the tests.
//
//   loyalty-token --secret s3cret --customer c-1001 --expires-in 3600
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "auth.hpp"

int main(int argc, char** argv) {
  std::string secret;
  std::string customer;
  long long expiry = 0;
  long long expires_in = 3600;
  if (const char* from_env = std::getenv("LOYALTY_SECRET")) secret = from_env;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i + 1 < args.size() || (i < args.size() && args[i] == "--help"); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help") break;
    const std::string& value = args[++i];
    if (flag == "--secret") {
      secret = value;
    } else if (flag == "--customer") {
      customer = value;
    } else if (flag == "--expiry") {
      expiry = std::atoll(value.c_str());
    } else if (flag == "--expires-in") {
      expires_in = std::atoll(value.c_str());
    } else {
      std::cerr << "loyalty-token: unknown option " << flag << "\n";
      return 2;
    }
  }
  if (secret.empty() || !loyalty::server::is_valid_customer_id(customer)) {
    std::cerr << "usage: loyalty-token --secret S --customer ID [--expires-in SECONDS | --expiry "
                 "UNIX_SECONDS]\n  (the secret may come from $LOYALTY_SECRET; ids match "
                 "[A-Za-z0-9_-]{1,64})\n";
    return 2;
  }
  if (expiry == 0) expiry = static_cast<long long>(std::time(nullptr)) + expires_in;
  std::cout << loyalty::server::sign_shopper_token(secret, customer, expiry) << "\n";
  return 0;
}
