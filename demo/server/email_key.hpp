// The key a mailbox is stored and compared by (customers' email_key, friend offers, referral
// self-checks): one small function that the customer store and the referral checks share.
#pragma once

#include <string>
#include <string_view>

namespace loyalty::server {

/// The mailbox an address delivers to, for comparing people rather than spellings:
/// lowercased, "+tag" suffixes dropped, and for Gmail dots ignored and googlemail.com folded
/// into gmail.com. "A.da+shop@GoogleMail.com" -> "ada@gmail.com". "" when not an address.
std::string normalize_email(std::string_view email);

}  // namespace loyalty::server
