// Referral links and share URLs. Everything here is built by the core from checked parts, so a
// merchant's landing URL can never smuggle a `javascript:` link into the launcher.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/program.hpp"

namespace loyalty {

/// RFC 3986 percent-encoding of UTF-8 bytes: ALPHA, DIGIT and "-._~" are kept, every other byte
/// becomes "%XX" (upper-case hex).
///   percent_encode("Ada & Zoë") == "Ada%20%26%20Zo%C3%AB"
std::string percent_encode(std::string_view text);

/// True for "http://" or "https://" (any case) followed by a host, with no spaces, control
/// characters, backslashes or user-info ("user@") anywhere.
bool is_http_url(std::string_view text);

/// The shopper's referral link: every "{code}" in `landing_url` replaced with the encoded code,
/// otherwise "ref=<code>" appended as a query parameter before any "#fragment".
/// nullopt when the landing URL (or the result) is not an http(s) URL.
///   referral_link("https://shop.example/?a=1#top", "ADA 7") ==
///   "https://shop.example/?a=1&ref=ADA%207#top"
std::optional<std::string> referral_link(std::string_view landing_url, std::string_view code);

/// A referral code: 1 to 64 letters, digits, '-' or '_'.
bool is_referral_code(std::string_view code);

/// The referral code a page was reached through, the reverse of `referral_link`: the
/// percent-decoded "ref" query parameter of `page_url`, or, when `landing_url` holds "{code}",
/// the part of `page_url` in its place (the text around it must match, the host without case).
/// Anything but an `is_referral_code` gives nullopt.
///   referral_code_in_url("https://shop.example/r/{code}", "https://Shop.example/r/BEA-7K?x=1")
///   == "BEA-7K"
std::optional<std::string> referral_code_in_url(std::string_view landing_url,
                                                std::string_view page_url);

/// Values for the share message placeholders {firstName} {shop} {link} {code} {friendReward}.
struct ShareMessageFields {
  std::string first_name;
  std::string shop;
  std::string link;
  std::string code;
  std::string friend_reward;  // worded by the web layer (context "friendRewardText"); may be empty
};

/// Fills the placeholders in one pass (a value that itself contains "{link}" is not expanded
/// again). Unknown placeholders, and "{friendReward}" when `friend_reward` is empty, are left as
/// written.
std::string fill_share_message(std::string_view message_template, const ShareMessageFields& fields);

struct ShareLink {
  ShareChannel channel = ShareChannel::copy;
  std::string url;
};

/// What a share needs besides the channel list.
struct ShareInput {
  std::string link;              // the referral link, already checked with is_http_url
  std::string message;           // the filled message
  std::string subject;           // e-mail subject
  std::string messenger_app_id;  // without it the Messenger channel is left out
};

/// One URL per channel, in the order given: facebook, messenger, pinterest, telegram and x are
/// https share dialogs; whatsapp and email carry the message with the link; copy and native are
/// the link itself. Empty when the link is not http(s).
std::vector<ShareLink> share_links(const std::vector<ShareChannel>& channels,
                                   const ShareInput& input);

}  // namespace loyalty
