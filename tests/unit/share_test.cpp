#include "loyalty/share.hpp"

#include <gtest/gtest.h>

namespace loyalty {
namespace {

TEST(Share, PercentEncodeKeepsOnlyTheUnreservedSet) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b&c#d+e"), "a%20b%26c%23d%2Be");
  EXPECT_EQ(percent_encode("/?=:@!*'()"), "%2F%3F%3D%3A%40%21%2A%27%28%29");
  EXPECT_EQ(percent_encode("Zoë"), "Zo%C3%AB");    // two UTF-8 bytes
  EXPECT_EQ(percent_encode("馬"), "%E9%A6%AC");    // three
  EXPECT_EQ(percent_encode("🎁"), "%F0%9F%8E%81");  // four (emoji)
  EXPECT_EQ(percent_encode(std::string("\0\x7f", 2)), "%00%7F");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(Share, HttpUrlsAreAcceptedWithAHost) {
  EXPECT_TRUE(is_http_url("https://maple.example/r/ADA?x=1#top"));
  EXPECT_TRUE(is_http_url("http://maple.example"));
  EXPECT_TRUE(is_http_url("HTTPS://Maple.Example:8443/path"));
  EXPECT_TRUE(is_http_url("http://[::1]:8080/"));
  EXPECT_TRUE(is_http_url("https://bücher.example/"));
}

TEST(Share, DangerousOrMalformedUrlsAreRejected) {
  EXPECT_FALSE(is_http_url("javascript:alert(1)"));
  EXPECT_FALSE(is_http_url("JavaScript://maple.example/%0Aalert(1)"));
  EXPECT_FALSE(is_http_url("data:text/html,<script>"));
  EXPECT_FALSE(is_http_url("ftp://maple.example/"));
  EXPECT_FALSE(is_http_url("mailto:ada@example.com"));
  EXPECT_FALSE(is_http_url("https://"));
  EXPECT_FALSE(is_http_url("https:///path"));
  EXPECT_FALSE(is_http_url("https://maple.example/a b"));
  EXPECT_FALSE(is_http_url("https://maple.example/\n"));
  EXPECT_FALSE(is_http_url("https://maple.example\\@evil.example/"));
  EXPECT_FALSE(is_http_url("https://maple.example@evil.example/"));
  EXPECT_FALSE(is_http_url("https://maple.example:80x/"));
  EXPECT_FALSE(is_http_url(" https://maple.example/"));
}

TEST(Share, ReferralLinkReplacesTheCodePlaceholderEncoded) {
  EXPECT_EQ(referral_link("https://maple.example/r/{code}", "ADA-7Q2"),
            "https://maple.example/r/ADA-7Q2");
  EXPECT_EQ(
      referral_link("https://maple.example/r/{code}?again={code}", "Zoë & Co #1+"),
      "https://maple.example/r/Zo%C3%AB%20%26%20Co%20%231%2B?again=Zo%C3%AB%20%26%20Co%20%231%2B");
}

TEST(Share, ReferralLinkAppendsRefBeforeTheFragment) {
  EXPECT_EQ(referral_link("https://maple.example", "ADA"), "https://maple.example?ref=ADA");
  EXPECT_EQ(referral_link("https://maple.example/", "ADA"), "https://maple.example/?ref=ADA");
  EXPECT_EQ(referral_link("https://maple.example/?utm=a#join", "A B"),
            "https://maple.example/?utm=a&ref=A%20B#join");
  EXPECT_EQ(referral_link("https://maple.example/?", "ADA"), "https://maple.example/?ref=ADA");
  EXPECT_EQ(referral_link("https://maple.example/p#x?y", "ADA"),
            "https://maple.example/p?ref=ADA#x?y");
}

TEST(Share, ReferralLinkNeedsAnHttpLandingUrlAndACode) {
  EXPECT_FALSE(referral_link("javascript:alert('{code}')", "ADA").has_value());
  EXPECT_FALSE(referral_link("maple.example/r/{code}", "ADA").has_value());
  EXPECT_FALSE(referral_link("https://maple.example/r/{code}", "").has_value());
}

TEST(Share, MessagePlaceholdersAreFilledOnce) {
  ShareMessageFields fields{"Zoë", "Maple & Co", "https://maple.example/r/Z", "Z", ""};
  EXPECT_EQ(fill_share_message("{firstName} loves {shop}: {link} (code {code})", fields),
            "Zoë loves Maple & Co: https://maple.example/r/Z (code Z)");
  // Without the web layer's words {friendReward} stays; unknown and unclosed braces too.
  EXPECT_EQ(fill_share_message("Get {friendReward} {unknown} {link", fields),
            "Get {friendReward} {unknown} {link");
  fields.friend_reward = "10% off {code}";
  EXPECT_EQ(fill_share_message("Get {friendReward}", fields), "Get 10% off {code}");
  fields.friend_reward.clear();
  // A first name that looks like a placeholder is not expanded again.
  fields.first_name = "{link}";
  EXPECT_EQ(fill_share_message("{firstName}", fields), "{link}");
}

TEST(Share, LinksPerChannelAreEncodedDialogUrls) {
  ShareInput input{"https://maple.example/r/A", "Hi & #1+ 🎁 https://maple.example/r/A",
                   "Maple & Co", "42"};
  auto links =
      share_links({ShareChannel::facebook, ShareChannel::messenger, ShareChannel::pinterest,
                   ShareChannel::telegram, ShareChannel::x, ShareChannel::whatsapp,
                   ShareChannel::email, ShareChannel::copy, ShareChannel::native},
                  input);
  const std::string link = "https%3A%2F%2Fmaple.example%2Fr%2FA";
  const std::string message = "Hi%20%26%20%231%2B%20%F0%9F%8E%81%20" + link;
  ASSERT_EQ(links.size(), 9u);
  EXPECT_EQ(links[0].channel, ShareChannel::facebook);
  EXPECT_EQ(links[0].url, "https://www.facebook.com/sharer/sharer.php?u=" + link);
  EXPECT_EQ(links[1].url, "https://www.facebook.com/dialog/send?app_id=42&link=" + link +
                              "&redirect_uri=" + link);
  EXPECT_EQ(links[2].url,
            "https://www.pinterest.com/pin/create/button/?url=" + link + "&description=" + message);
  EXPECT_EQ(links[3].url, "https://t.me/share/url?url=" + link + "&text=" + message);
  EXPECT_EQ(links[4].url, "https://x.com/intent/tweet?text=" + message + "&url=" + link);
  EXPECT_EQ(links[5].url, "https://wa.me/?text=" + message);
  EXPECT_EQ(links[6].url, "mailto:?subject=Maple%20%26%20Co&body=" + message);
  EXPECT_EQ(links[7].channel, ShareChannel::copy);
  EXPECT_EQ(links[7].url, "https://maple.example/r/A");
  EXPECT_EQ(links[8].channel, ShareChannel::native);
  EXPECT_EQ(links[8].url, "https://maple.example/r/A");
}

TEST(Share, MessengerNeedsAnAppIdAndOneTextChannelsGetTheLink) {
  ShareInput input{"https://maple.example/r/A", "Join me", "Maple", ""};
  auto links =
      share_links({ShareChannel::messenger, ShareChannel::whatsapp, ShareChannel::email}, input);
  ASSERT_EQ(links.size(), 2u);  // no Messenger without an app id
  EXPECT_EQ(links[0].channel, ShareChannel::whatsapp);
  EXPECT_EQ(links[0].url, "https://wa.me/?text=Join%20me%20https%3A%2F%2Fmaple.example%2Fr%2FA");
  EXPECT_EQ(links[1].url,
            "mailto:?subject=Maple&body=Join%20me%20https%3A%2F%2Fmaple.example%2Fr%2FA");
}

TEST(Share, NoLinksOverANonHttpLink) {
  ShareInput input{"javascript:alert(1)", "x", "Maple", "42"};
  EXPECT_TRUE(share_links({ShareChannel::copy, ShareChannel::facebook}, input).empty());
}

TEST(Share, ReferralCodeFromTheRefParameter) {
  const std::string landing = "https://maple.example/";
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref=BEA-7K"), "BEA-7K");
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/p/mug?utm=x&ref=BEA_7#top"),
            "BEA_7");
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref=BEA%2D7"), "BEA-7");
  // Any page of the shop counts, and the first "ref" wins.
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/c?ref=A&ref=B"), "A");
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/#ref=BEA"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?xref=BEA"), std::nullopt);
}

TEST(Share, ReferralCodesThatCouldNotBeOursAreIgnored) {
  const std::string landing = "https://maple.example/";
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref="), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref=A%20B"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref=%3Cscript%3E"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref=%G1"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref=AB%4"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/?ref=" + std::string(65, 'A')),
            std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "javascript:alert(1)//?ref=BEA"), std::nullopt);
  EXPECT_TRUE(is_referral_code(std::string(64, 'A')));
  EXPECT_FALSE(is_referral_code(""));
  EXPECT_FALSE(is_referral_code("Zoë"));
}

TEST(Share, ReferralCodeFromALandingUrlPattern) {
  const std::string landing = "https://maple.example/r/{code}";
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/r/BEA-7K"), "BEA-7K");
  EXPECT_EQ(referral_code_in_url(landing, "https://Maple.EXAMPLE/r/BEA-7K?utm=mail#x"), "BEA-7K");
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/r/BEA-7K/"), "BEA-7K");
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/R/BEA-7K"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://other.example/r/BEA-7K"), std::nullopt);
  EXPECT_EQ(referral_code_in_url(landing, "https://maple.example/r/"), std::nullopt);
  const std::string nested = "https://maple.example/invite/{code}/welcome?src=ref";
  EXPECT_EQ(referral_code_in_url(nested, "https://maple.example/invite/ADA/welcome?src=ref"),
            "ADA");
  EXPECT_EQ(referral_code_in_url(nested, "https://maple.example/invite/ADA/other"), std::nullopt);
  // What referral_link builds, referral_code_in_url reads back.
  for (const std::string& pattern :
       {std::string("https://maple.example/r/{code}"), std::string("https://maple.example/?a=1")}) {
    auto link = referral_link(pattern, "ZOE_9-x");
    ASSERT_TRUE(link.has_value());
    EXPECT_EQ(referral_code_in_url(pattern, *link), "ZOE_9-x") << *link;
  }
}

}  // namespace
}  // namespace loyalty
