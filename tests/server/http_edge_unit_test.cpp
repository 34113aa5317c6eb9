// The HTTP edge's pure parts: request targets and static paths.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "http_request.hpp"
#include "static_files.hpp"

namespace loyalty::server {
namespace {

TEST(RequestTarget, DecodesThePathAndTheQuery) {
  Request request;
  ASSERT_TRUE(parse_target("/v1/customers/c%2D1?customerId=a%20b&x=1+2&flag", request));
  EXPECT_EQ(request.path, "/v1/customers/c-1");
  EXPECT_EQ(request.get_param_value("customerId"), "a b");
  EXPECT_EQ(request.get_param_value("x"), "1 2");
  EXPECT_TRUE(request.has_param("flag"));
  EXPECT_FALSE(request.has_param("missing"));
}

TEST(RequestTarget, RefusesControlCharactersAndBadEscapes) {
  Request request;
  for (const char* target : {"/web/a.js%00.html", "/a%0d%0aSet-Cookie:x", "/%7f", "/a%2", "/a%zz",
                             "/q?x=%00", "relative", "", "http://host/abs"})
    EXPECT_FALSE(parse_target(target, request)) << target;
  EXPECT_FALSE(parse_target(std::string_view("/a\0b", 4), request));
}

TEST(RequestHeaders, AreFoundIgnoringCase) {
  Request request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Admin-Key", "k"}};
  EXPECT_EQ(request.get_header_value("content-type"), "application/json");
  EXPECT_TRUE(request.has_header("x-admin-key"));
  EXPECT_EQ(request.get_header_value("Authorization"), "");
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("loyalty-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(root_ / "site" / "sub");
    std::ofstream(root_ / "site" / "app.js") << "export {};";
    std::ofstream(root_ / "site" / "sub" / "index.html") << "<p>";
    std::ofstream(root_ / "site" / "sub" / "lv.json") << "{}";
    std::ofstream(root_ / "site" / "core.wasm") << "wasm";
    std::ofstream(root_ / "secret.txt") << "no";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  bool serve(const std::string& path, HttpResponse& answer, const char* method = "GET") {
    StaticFiles files({{"/web/", (root_ / "site").string()}},
                      {{"X-Content-Type-Options", "nosniff"}});
    Request request;
    request.method = method;
    request.path = path;
    return files.serve(request, answer);
  }

  std::filesystem::path root_;
};

/// The value of header `name` in `answer`, or "" when it is absent.
std::string header(const HttpResponse& answer, const std::string& name) {
  for (const auto& [key, value] : answer.headers)
    if (key == name) return value;
  return "";
}

TEST_F(StaticFilesTest, ServesFilesUnderTheMountWithTheirType) {
  HttpResponse answer;
  ASSERT_TRUE(serve("/web/app.js", answer));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.file_path, (root_ / "site" / "app.js").string());
  bool typed = false;
  for (const auto& [name, value] : answer.headers)
    typed = typed || (name == "Content-Type" && value == "text/javascript");
  EXPECT_TRUE(typed);
  HttpResponse index;
  ASSERT_TRUE(serve("/web/sub/", index));
  EXPECT_EQ(index.file_path, (root_ / "site" / "sub" / "index.html").string());
}

TEST_F(StaticFilesTest, NeverLeavesTheMount) {
  HttpResponse answer;
  for (const char* path : {"/web/../secret.txt", "/web/sub/../../secret.txt", "/web/./app.js",
                           "/web\\..\\secret.txt", "/webapp.js", "/web/missing.js"})
    EXPECT_FALSE(serve(path, answer)) << path;
  EXPECT_FALSE(serve("/web/app.js", answer, "POST"));
}

TEST_F(StaticFilesTest, AnswersAMatchingEtagWith304) {
  HttpResponse first;
  ASSERT_TRUE(serve("/web/app.js", first));
  std::string etag;
  for (const auto& [name, value] : first.headers)
    if (name == "ETag") etag = value;
  ASSERT_FALSE(etag.empty());
  StaticFiles files({{"/web", (root_ / "site").string()}}, {});
  Request again;
  again.method = "GET";
  again.path = "/web/app.js";
  again.headers = {{"If-None-Match", etag}};
  HttpResponse second;
  ASSERT_TRUE(files.serve(again, second));
  EXPECT_EQ(second.status, 304);
  EXPECT_TRUE(second.file_path.empty());
}

// A shop on another origin loads the launcher's scripts, wasm and catalogs in CORS mode (and
// its script tag in no-cors mode, which a shop with Cross-Origin-Embedder-Policy checks).
TEST_F(StaticFilesTest, GrantsOtherOriginsTheLauncherFiles) {
  for (const char* path : {"/web/app.js", "/web/core.wasm", "/web/sub/lv.json"}) {
    HttpResponse answer;
    ASSERT_TRUE(serve(path, answer)) << path;
    EXPECT_EQ(header(answer, "Access-Control-Allow-Origin"), "*") << path;
    EXPECT_EQ(header(answer, "Cross-Origin-Resource-Policy"), "cross-origin") << path;
    // A revalidation keeps the grant: the browser checks the 304's headers too.
    StaticFiles files({{"/web", (root_ / "site").string()}}, {});
    Request again;
    again.method = "GET";
    again.path = path;
    again.headers = {{"If-None-Match", header(answer, "ETag")}};
    HttpResponse revalidated;
    ASSERT_TRUE(files.serve(again, revalidated));
    EXPECT_EQ(revalidated.status, 304);
    EXPECT_EQ(header(revalidated, "Access-Control-Allow-Origin"), "*") << path;
  }
  HttpResponse page;
  ASSERT_TRUE(serve("/web/sub/", page));
  EXPECT_EQ(header(page, "Access-Control-Allow-Origin"), "");
}

}  // namespace
}  // namespace loyalty::server
