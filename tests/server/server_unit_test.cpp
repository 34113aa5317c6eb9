// Unit tests of the backend's pieces that need no socket: tokens, codes, email aliases and
// request-body reading.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "wal_write_buffer.hpp"

#include "auth.hpp"
#include "database.hpp"
#include "email_key.hpp"
#include "friend_offers.hpp"
#include "group_commit.hpp"
#include "http_json.hpp"
#include "loyalty/json_api.hpp"
#include "referral_checks.hpp"
#include "request_bodies.hpp"

namespace loyalty::server {
namespace {

constexpr std::string_view kSecret = "unit-test-secret-0123";

TEST(Hmac, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hmac, KeepsItsAnswerAcrossRepeatsAndSecretChangesOnOneThread) {
  // The keyed context is reused per thread: a repeat must start from a fresh state, and another
  // secret must re-key it.
  const std::string first = hmac_sha256_hex("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"), first);
  EXPECT_NE(hmac_sha256_hex("Jefe2", "what do ya want for nothing?"), first);
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"), first);
  // RFC 4231 test case 1 (key 0x0b x 20, "Hi There").
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(ShopperToken, RoundTripsUntilItExpires) {
  std::string token = sign_shopper_token(kSecret, "c-1001", 2000);
  EXPECT_EQ(token.rfind("c-1001.2000.", 0), 0u);
  EXPECT_EQ(token.size(), std::string("c-1001.2000.").size() + 64);
  auto valid = verify_shopper_token(kSecret, token, 1999);
  EXPECT_EQ(valid.status, TokenStatus::valid);
  EXPECT_EQ(valid.customer_id, "c-1001");
  EXPECT_EQ(verify_shopper_token(kSecret, token, 2000).status, TokenStatus::expired);
}

TEST(ShopperToken, RefusesForgeries) {
  std::string token = sign_shopper_token(kSecret, "c-1001", 2000);
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(verify_shopper_token(kSecret, flipped, 1000).status, TokenStatus::forged);
  EXPECT_EQ(verify_shopper_token("another-secret-xyz", token, 1000).status, TokenStatus::forged);
  // Moving the expiry or the customer invalidates the signature.
  std::string later = "c-1001.3000." + token.substr(token.rfind('.') + 1);
  EXPECT_EQ(verify_shopper_token(kSecret, later, 1000).status, TokenStatus::forged);
  std::string other = "c-1002.2000." + token.substr(token.rfind('.') + 1);
  EXPECT_EQ(verify_shopper_token(kSecret, other, 1000).status, TokenStatus::forged);
  // The contract says lowercase hex; uppercase is a different string.
  std::string upper = token;
  for (auto i = upper.rfind('.') + 1; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  EXPECT_NE(verify_shopper_token(kSecret, upper, 1000).status, TokenStatus::valid);
}

TEST(ShopperToken, NamesMalformedShapes) {
  std::string signature(64, 'a');
  for (const std::string& bad : std::vector<std::string>{
           "no-dots", "c.1", "c.12x." + signature, "bad id.12." + signature, "c..12." + signature,
           ".12." + signature, "c.12." + signature.substr(1), "c.1234567890123456." + signature,
           std::string(65, 'a') + ".12." + signature})
    EXPECT_EQ(verify_shopper_token(kSecret, bad, 0).status, TokenStatus::malformed) << bad;
  EXPECT_EQ(verify_shopper_token(kSecret, "", 0).status, TokenStatus::missing);
}

TEST(CustomerId, AllowsTheContractAlphabetOnly) {
  EXPECT_TRUE(is_valid_customer_id("Az09_-"));
  EXPECT_TRUE(is_valid_customer_id(std::string(64, 'x')));
  EXPECT_FALSE(is_valid_customer_id(std::string(65, 'x')));
  EXPECT_FALSE(is_valid_customer_id(""));
  EXPECT_FALSE(is_valid_customer_id("a.b"));
  EXPECT_FALSE(is_valid_customer_id("a b"));
  EXPECT_FALSE(is_valid_customer_id("ä"));
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(SecretMatcher, AcceptsOnlyTheSecretWhateverTheLengthOfAGuess) {
  const SecretMatcher admin("test-admin-key");
  EXPECT_TRUE(admin.matches("test-admin-key"));
  EXPECT_TRUE(admin.matches("test-admin-key"));  // again: the per-thread context is reused
  const std::string guesses[] = {"",
                                 "t",
                                 "test-admin-ke",
                                 "test-admin-key ",
                                 "test-admin-keyX",
                                 "test-admin-kez",
                                 "TEST-ADMIN-KEY",
                                 std::string("test-admin-key\0", 15),
                                 std::string(4096, 'a')};
  for (const std::string& guess : guesses) EXPECT_FALSE(admin.matches(guess)) << guess.size();
  // Shopper tokens use the same thread's other HMAC context; neither disturbs the other.
  EXPECT_EQ(sign_shopper_token("s", "c-1", 1), sign_shopper_token("s", "c-1", 1));
  EXPECT_TRUE(admin.matches("test-admin-key"));
  // No admin key configured: nothing matches, not even an empty header.
  const SecretMatcher none("");
  EXPECT_FALSE(none.matches(""));
  EXPECT_FALSE(none.matches("test-admin-key"));
}

TEST(CouponCode, IsGroupedCrockfordBase32AndDoesNotRepeat) {
  std::set<std::string> codes;
  for (int i = 0; i < 1000; ++i) {
    std::string code = random_coupon_code("LOY");
    ASSERT_EQ(code.size(), 3u + 4 * 5);
    for (std::size_t at = 3; at < code.size(); at += 5) {
      EXPECT_EQ(code[at], '-');
      for (std::size_t k = at + 1; k < at + 5; ++k)
        EXPECT_NE(std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(code[k]),
                  std::string_view::npos)
            << code;
    }
    codes.insert(code);
  }
  EXPECT_EQ(codes.size(), 1000u);
}

TEST(RandomHex, DrawsAcrossTheThreadsBlockWithoutRepeating) {
  // 2000 draws of 16 bytes span many 1 KiB blocks of the per-thread pool.
  std::set<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    std::string id = random_hex(16);
    ASSERT_EQ(id.size(), 32u);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_EQ(random_hex(3000).size(), 6000u);  // larger than a block
}

TEST(NormalizeEmail, FoldsAliasesOfOneMailbox) {
  EXPECT_EQ(normalize_email("A.da+shop@GoogleMail.com"), "ada@gmail.com");
  EXPECT_EQ(normalize_email(" a.d.a@gmail.com "), "ada@gmail.com");
  EXPECT_EQ(normalize_email("Ada+news@Example.com"), "ada@example.com");
  // Dots matter outside Gmail.
  EXPECT_EQ(normalize_email("a.da@example.com"), "a.da@example.com");
  EXPECT_EQ(normalize_email("not-an-email"), "");
  EXPECT_EQ(normalize_email("@example.com"), "");
  EXPECT_EQ(normalize_email("+tag@example.com"), "");
  EXPECT_EQ(normalize_email("ada@"), "");
}

TEST(BodyReader, ReadsCheckedFields) {
  BodyReader body(R"({"rewardId": "r5", "points": 300, "amounts": {"subtotal": 100}})");
  EXPECT_EQ(body.string("rewardId", BodyReader::Need::required), "r5");
  EXPECT_EQ(body.integer("points", BodyReader::Need::optional, 1), 300);
  EXPECT_EQ(body.integer("missing", BodyReader::Need::optional), std::nullopt);
  auto amounts = body.object("amounts", BodyReader::Need::required);
  ASSERT_TRUE(amounts);
  EXPECT_EQ(amounts->integer("subtotal", BodyReader::Need::required, 0), 100);
  EXPECT_FALSE(body.failed());
}

TEST(BodyReader, KeepsTheFirstProblemWithItsPath) {
  BodyReader body(R"({"amounts": {"subtotal": -1}, "points": 1.5})");
  auto amounts = body.object("amounts", BodyReader::Need::required);
  ASSERT_TRUE(amounts);
  amounts->integer("subtotal", BodyReader::Need::required, 0);
  body.integer("points", BodyReader::Need::required);
  ASSERT_TRUE(body.failed());
  EXPECT_EQ(body.error()->status, 400);
  EXPECT_NE(body.error()->body.find(R"("path":"/amounts/subtotal")"), std::string::npos)
      << body.error()->body;
}

TEST(BodyReader, ReadsInstantsWithTheirOffset) {
  BodyReader body(R"({"at": "2026-11-23T10:00:00-05:00"})");
  EXPECT_EQ(body.instant("at", BodyReader::Need::required), 1795446000);  // 15:00 UTC
  EXPECT_EQ(body.instant("missing", BodyReader::Need::optional), std::nullopt);
  EXPECT_FALSE(body.failed());
  BodyReader bad(R"({"now": "2026-11-23 10:00"})");
  EXPECT_EQ(bad.instant("now", BodyReader::Need::optional), std::nullopt);
  ASSERT_TRUE(bad.failed());
  EXPECT_NE(bad.error()->body.find("/now: must be an RFC 3339 instant with an offset"),
            std::string::npos)
      << bad.error()->body;
  EXPECT_NE(bad.error()->body.find(R"("path":"/now")"), std::string::npos);
}

TEST(BodyReader, RefusesWhatIsNotAJsonObject) {
  for (const char* text : {"", "{", "[1]", "\"text\"", "{\"a\": 1} trailing"}) {
    BodyReader body(text);
    ASSERT_TRUE(body.failed()) << text;
    EXPECT_EQ(body.error()->status, 400);
  }
  BodyReader wrong(R"({"rewardId": 5, "points": "100", "big": 9007199254740992})");
  EXPECT_EQ(wrong.string("rewardId", BodyReader::Need::required), std::nullopt);
  EXPECT_NE(wrong.error()->body.find("/rewardId: must be a string"), std::string::npos);
  BodyReader big(R"({"big": 9007199254740992})");
  EXPECT_EQ(big.integer("big", BodyReader::Need::required), std::nullopt);
  EXPECT_TRUE(big.failed());
}

/// {"rewardId": "r5", "extra": <levels arrays inside each other>}: levels + 1 levels in all.
std::string redemption_with_depth(std::size_t levels) {
  return R"({"rewardId": "r5", "extra": )" + std::string(levels, '[') + std::string(levels, ']') +
         "}";
}

/// "/extra/0/0..." with `zeros` zeros.
std::string extra_path(std::size_t zeros) {
  std::string path = "/extra";
  for (std::size_t i = 0; i < zeros; ++i) path += "/0";
  return path;
}

TEST(BodyReader, Takes64LevelsAndRefuses65WithTheirPathAndTheLimit) {
  static_assert(kMaxJsonDepth == 64, "CONTRACT.md documents 64");
  BodyReader deepest(redemption_with_depth(kMaxJsonDepth - 1));
  EXPECT_FALSE(deepest.failed());
  auto read = read_redemption_body(deepest);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->reward_id, "r5");
  // What the redemption hashes for its idempotency key: recursive, and fine at this depth.
  EXPECT_EQ(deepest.json().dump(),
            R"({"extra":)" + std::string(63, '[') + std::string(63, ']') + R"(,"rewardId":"r5"})");

  BodyReader refused(redemption_with_depth(kMaxJsonDepth));
  ASSERT_TRUE(refused.failed());
  EXPECT_FALSE(read_redemption_body(refused));
  const auto answer = nlohmann::json::parse(refused.error()->body);
  EXPECT_EQ(refused.error()->status, 400);
  EXPECT_EQ(answer["error"]["code"], "request.tooDeep");
  EXPECT_EQ(answer["error"]["path"], extra_path(kMaxJsonDepth - 1));
  EXPECT_EQ(answer["error"]["limit"], 64);
  EXPECT_EQ(answer["error"]["message"],
            extra_path(kMaxJsonDepth - 1) +
                ": nested deeper than 64 levels, the most any JSON input may have");
}

TEST(BodyReader, TheIssuesHundredThousandLevelsAreRefusedWithoutRecursion) {
  // 200 KB, under the body limit: it used to overflow the stack in dump().
  const std::string arrays = std::string(100000, '[') + std::string(100000, ']');
  BodyReader body(arrays);
  ASSERT_TRUE(body.failed());
  EXPECT_NE(body.error()->body.find(R"("code":"request.tooDeep")"), std::string::npos);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += R"({"a~/":)";
  BodyReader object_body(objects);  // not even closed: refused before the end is read
  ASSERT_TRUE(object_body.failed());
  std::string path;
  for (int i = 0; i < 64; ++i) path += "/a~0~1";
  EXPECT_EQ(nlohmann::json::parse(object_body.error()->body)["error"]["path"], path);
}

TEST(BodyReader, PathsCountIndicesAndNameMembersOnTheWayDown) {
  // Depth: root 1, "a" 2, a/2 3, then 62 arrays under "b": the 65th level is a/2/b + 61 zeros.
  const std::string text = R"({"x": {"y": [1]}, "a": [0, [], {"z": null, "b": )" +
                           std::string(62, '[') + std::string(62, ']') + "}]}";
  BodyReader body(text);
  ASSERT_TRUE(body.failed());
  std::string path = "/a/2/b";
  for (int i = 0; i < 61; ++i) path += "/0";
  EXPECT_EQ(nlohmann::json::parse(body.error()->body)["error"]["path"], path);
  BodyReader malformed(R"({"a": [1,]})");
  ASSERT_TRUE(malformed.failed());
  EXPECT_NE(malformed.error()->body.find("request.malformedJson"), std::string::npos);
}

TEST(RequestBodies, ReadWhatTheHandlersRead) {
  BodyReader redemption(R"({"rewardId": "flex", "points": 300, "orderTotal": 0})");
  auto read = read_redemption_body(redemption);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->points, 300);
  EXPECT_EQ(read->order_total, 0);
  BodyReader claim(R"({"ruleId": ""})");
  EXPECT_FALSE(read_claim_body(claim));
  EXPECT_NE(claim.error()->body.find("/ruleId: must not be empty"), std::string::npos);
  BodyReader referral(
      R"({"code": "ADA-1", "friendEmail": "b@x.io", "orderId": "o1", "amount": 2500})");
  auto friend_claim = read_referral_body(referral);
  ASSERT_TRUE(friend_claim);
  EXPECT_EQ(friend_claim->amount, 2500);
  EXPECT_FALSE(friend_claim->ip);
  BodyReader adjustment(R"({"points": -20})");
  EXPECT_FALSE(read_adjustment_body(adjustment));
  EXPECT_NE(adjustment.error()->body.find("/reason: is required"), std::string::npos);
  BodyReader customer(R"({"firstName": "Ada", "birthday": {"month": 13, "day": 1}})");
  EXPECT_FALSE(read_customer_body(customer));
  EXPECT_NE(customer.error()->body.find("/birthday/month"), std::string::npos);
  BodyReader order(R"({"amounts": {"subtotal": 5400, "discount": 400}})");
  auto amounts = read_order_amounts(order);
  ASSERT_TRUE(amounts);
  EXPECT_EQ(amounts->subtotal, 5400);
  EXPECT_EQ(amounts->discount, 400);
}

/// The refusal's {"code", "path"} of a reader that failed.
std::pair<std::string, std::string> refusal(const BodyReader& body) {
  if (!body.failed()) return {};
  const auto answer = nlohmann::json::parse(body.error()->body);
  return {answer["error"]["code"], answer["error"]["path"]};
}

TEST(RequestBodies, AnOrdersLinesAreTheCoresWithTheirPaths) {
  const char* event = R"({"id": "e1", "type": "placed", "customerId": "c1", "orderId": "o1",
      "amounts": {"subtotal": 6000, "shipping": 500},
      "lines": [{"productId": "mug", "amount": 4000}, {"kind": "gift_card", "amount": 2000},
                {"kind": "shipping", "amount": 500}]})";
  BodyReader placed(event);
  auto read = read_order_event_body(placed, 0, "127.0.0.1");
  ASSERT_TRUE(read) << placed.error()->body;
  ASSERT_EQ(read->lines.size(), 3u);
  EXPECT_EQ(read->lines[1].kind, LineKind::gift_card);
  EXPECT_EQ(read->lines[2].amount, 500);
  BodyReader without(R"({"amounts": {"subtotal": 100}})");
  auto none = read_order_lines(without, OrderAmounts{100});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  BodyReader negative(R"({"lines": [{"amount": 100}, {"amount": -1}]})");
  EXPECT_FALSE(read_order_lines(negative, OrderAmounts{100}));
  EXPECT_EQ(refusal(negative),
            std::make_pair(std::string("request.invalidField"), std::string("/lines/1/amount")));
  BodyReader sum(R"({"lines": [{"amount": 99}]})");
  EXPECT_FALSE(read_order_lines(sum, OrderAmounts{100}));
  EXPECT_NE(sum.error()->body.find("/lines: the product and gift_card lines must sum to "
                                   "amounts.subtotal (100), got 99"),
            std::string::npos);
}

TEST(RequestBodies, ReadTheFriendsClaimWithTheirLimits) {
  BodyReader ok(R"({"code": "BEA-7Q2K9M", "email": "d.ee+x@gmail.com", "advocateId": 5})");
  auto read = read_friend_offer_body(ok);
  ASSERT_TRUE(read);  // unknown members are ignored, as by every reader
  EXPECT_EQ(read->code, "BEA-7Q2K9M");
  EXPECT_EQ(read->email, "d.ee+x@gmail.com");  // as sent: the mailbox is the handler's
  const std::string longest_email = std::string(242, 'a') + "@example.com";
  ASSERT_EQ(longest_email.size(), 254u);
  const std::string longest_code(64, 'C');
  BodyReader longest(R"({"code": ")" + longest_code + R"(", "email": ")" + longest_email + R"("})");
  EXPECT_TRUE(read_friend_offer_body(longest));

  using Refusal = std::pair<std::string, std::string>;
  const Refusal code_field{"request.invalidField", "/code"};
  const Refusal email_field{"request.invalidField", "/email"};
  const std::pair<std::string, Refusal> cases[] = {
      {R"({"code": "BEA-1", "email": ")" + longest_email + R"(a"})", email_field},
      {R"({"code": ")" + longest_code + R"(C", "email": "a@b.io"})", code_field},
      {R"({"code": "BEA 1", "email": "a@b.io"})", code_field},
      {R"({"code": "BEA-é", "email": "a@b.io"})", code_field},
      {R"({"code": 7, "email": "a@b.io"})", code_field},
      {R"({"code": ["BEA-1"], "email": "a@b.io"})", code_field},
      {R"({"code": "", "email": "a@b.io"})", code_field},
      {R"({"email": "a@b.io"})", code_field},
      {R"({"code": "BEA-1", "email": {"address": "a@b.io"}})", email_field},
      {R"({"code": "BEA-1", "email": true})", email_field},
      {R"({"code": "BEA-1", "email": null})", email_field},
      {R"({"code": "BEA-1"})", email_field},
      // A wrong type and an invalid code: the first member read is the one named.
      {R"({"code": "BEA 1", "email": 5})", email_field},
      {R"(["BEA-1", "a@b.io"])", {"request.malformed", ""}},
      {R"({"code": "BEA-1", "email": "a@b.io")", {"request.malformedJson", ""}},
  };
  for (const auto& [text, expected] : cases) {
    BodyReader body(text);
    EXPECT_FALSE(read_friend_offer_body(body)) << text;
    EXPECT_EQ(refusal(body), expected) << text;
  }
}

TEST(RequestBodies, TheFriendsClaimTakes64LevelsAndRefuses65) {
  const auto nested = [](std::size_t levels) {
    return R"({"code": "BEA-1", "email": "a@b.io", "x": )" + std::string(levels, '[') +
           std::string(levels, ']') + "}";
  };
  BodyReader deepest(nested(kMaxJsonDepth - 1));
  EXPECT_TRUE(read_friend_offer_body(deepest));
  BodyReader deeper(nested(kMaxJsonDepth));
  EXPECT_FALSE(read_friend_offer_body(deeper));
  // The root and 64 arrays under "x": the 65th level, the innermost array, is /x and 63 zeros.
  std::string path = "/x";
  for (std::size_t i = 0; i + 1 < kMaxJsonDepth; ++i) path += "/0";
  EXPECT_EQ(refusal(deeper), (std::pair<std::string, std::string>{"request.tooDeep", path}));
}

// A database file in a fresh temporary directory, removed afterwards.
class TemporaryDatabase {
 public:
  TemporaryDatabase() {
    directory_ = std::filesystem::temp_directory_path() / ("loyalty-unit-" + random_hex(8));
    std::filesystem::create_directories(directory_);
    options.path = (directory_ / "test.sqlite").string();
  }
  ~TemporaryDatabase() { std::filesystem::remove_all(directory_); }
  DatabaseOptions options;

 private:
  std::filesystem::path directory_;
};

std::int64_t count_rows(Database& db, const char* sql) {
  auto query = db.prepare(sql);
  return query.step() ? query.integer(0) : -1;
}

TEST(WalWriteBuffer, ACommitLargerThanOneWriteReachesOtherConnections) {
  TemporaryDatabase file;
  std::string error;
  auto writer = SqliteDatabase::open(file.options, error, true);
  ASSERT_TRUE(writer) << error;
  ASSERT_TRUE(gather_wal_writes(writer->handle(), false));
  // 400 rows of 1 KB: about 500 KB of WAL frames gathered by one commit, more than the unix
  // VFS takes in one write call.
  ASSERT_TRUE(writer->exec("BEGIN IMMEDIATE;"));
  for (int i = 0; i < 400; ++i) {
    auto insert = writer->prepare("INSERT INTO programs (published_at, document) VALUES (?1, ?2)");
    insert.bind(1, std::int64_t{i}).bind(2, std::string(1000, static_cast<char>('a' + i % 26)));
    ASSERT_TRUE(insert.run());
  }
  ASSERT_TRUE(writer->exec("COMMIT;")) << writer->last_error();
  auto reader = SqliteDatabase::open(file.options, error);
  ASSERT_TRUE(reader) << error;
  EXPECT_EQ(count_rows(*reader, "SELECT count(*) FROM programs"), 400);
  EXPECT_EQ(count_rows(*reader, "SELECT sum(length(document)) FROM programs"), 400 * 1000);
  EXPECT_EQ(count_rows(*reader, "SELECT count(*) FROM programs WHERE document LIKE 'c%'"), 16);
  ASSERT_TRUE(stop_gathering_wal_writes(writer->handle()));
  writer.reset();  // the last close checkpoints the WAL into the database file
  reader.reset();
  auto reopened = SqliteDatabase::open(file.options, error);
  ASSERT_TRUE(reopened) << error;
  EXPECT_EQ(count_rows(*reopened, "SELECT sum(published_at) FROM programs"), 399 * 400 / 2);
}

TEST(GroupCommitter, CommitsEveryJobFromManyThreadsAndRollsBackAFailingOneAlone) {
  TemporaryDatabase file;
  std::string error;
  auto writer = SqliteDatabase::open(file.options, error, true);
  ASSERT_TRUE(writer) << error;
  std::atomic<int> acknowledged{0};
  {
    GroupCommitter writes(std::move(writer), 64, SyncMode::full);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          const std::int64_t id = t * 1000 + i;
          bool job_ok = false;
          bool committed = writes.run([&](Database& db) {
            auto insert =
                db.prepare("INSERT INTO programs (published_at, document) VALUES (?1, ?2)");
            insert.bind(1, id).bind(2, std::string(3000, 'x'));
            job_ok = insert.run();
            return job_ok && id % 10 != 7;  // every tenth job asks to be rolled back
          });
          if (committed && job_ok) ++acknowledged;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    auto reader = SqliteDatabase::open(file.options, error);
    ASSERT_TRUE(reader) << error;
    // Acknowledged means committed (and fsynced): visible to another connection at once.
    EXPECT_EQ(count_rows(*reader, "SELECT count(*) FROM programs"), 8 * 45);
    EXPECT_EQ(count_rows(*reader, "SELECT count(*) FROM programs WHERE published_at % 10 = 7"), 0);
  }
  EXPECT_EQ(acknowledged.load(), 8 * 50);  // a rolled-back job's group still commits
  auto reopened = SqliteDatabase::open(file.options, error);
  ASSERT_TRUE(reopened) << error;
  EXPECT_EQ(count_rows(*reopened, "SELECT count(*) FROM programs"), 8 * 45);
}

TEST(FriendOffers, ADatabaseFromBeforeGetsTheTableAndKeepsOneOfferPerMailbox) {
  TemporaryDatabase file;
  std::string error;
  {
    // A file as servers before the friend's side of referrals left it: no friend_offers, and
    // no schema version (those servers recorded none).
    auto older = SqliteDatabase::open(file.options, error, true);
    ASSERT_TRUE(older) << error;
    ASSERT_TRUE(older->exec("DROP TABLE friend_offers;"));
    ASSERT_TRUE(older->exec("PRAGMA user_version=0;"));
    ASSERT_TRUE(older->exec("INSERT INTO programs (published_at, document) VALUES (1, '{}');"));
  }
  auto db = SqliteDatabase::open(file.options, error, true);
  ASSERT_TRUE(db) << error;
  EXPECT_EQ(count_rows(*db, "SELECT count(*) FROM programs"), 1);
  FriendOffer found;
  EXPECT_EQ(find_friend_offer(*db, "dee@gmail.com", found), LoadStatus::not_found);
  const FriendOffer offer{"dee@gmail.com", "BEA-1", "bea", "REF-AAAA-BBBB-CCCC-DDDD", 1700000000};
  ASSERT_TRUE(insert_friend_offer(*db, offer));
  ASSERT_EQ(find_friend_offer(*db, "dee@gmail.com", found), LoadStatus::found);
  EXPECT_EQ(found.code, "BEA-1");
  EXPECT_EQ(found.advocate_id, "bea");
  EXPECT_EQ(found.coupon, offer.coupon);
  EXPECT_EQ(found.created_at, 1700000000);
  // The mailbox is the key: a second offer to it is refused by the table itself.
  FriendOffer second = offer;
  second.code = "CY-2";
  second.coupon = "REF-EEEE-FFFF-GGGG-HHHH";
  EXPECT_FALSE(insert_friend_offer(*db, second));
  ASSERT_EQ(find_friend_offer(*db, "dee@gmail.com", found), LoadStatus::found);
  EXPECT_EQ(found.coupon, offer.coupon);
}

}  // namespace
}  // namespace loyalty::server
