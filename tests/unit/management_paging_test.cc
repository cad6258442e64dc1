#include <gtest/gtest.h>

#include "fakes.h"
#include "swr/management_client.h"

namespace swr {
namespace {

using swr::testing::MakeResponse;
using swr::testing::ScriptedTransport;

std::string Page(int from, int count) {
  std::string body = "[";
  for (int i = 0; i < count; ++i) {
    if (i) body += ",";
    body += R"({"name":"r)" + std::to_string(from + i) + R"(","namespace":"org","tags":["v1"]})";
  }
  return body + "]";
}

ManagementClient MakeClient(std::shared_ptr<http::Transport> t, int page_size) {
  ManagementOptions o;
  o.endpoint = *ParseUrl("http://127.0.0.1:1");
  o.page_size = page_size;
  auto creds = CredentialsFromAccessId("eu-de@AK", "SK");
  return ManagementClient(std::move(t), *creds, o);
}

int QueryInt(const std::string& url, const std::string& key) {
  auto params = ParseQuery(ParseUrl(url)->query);
  for (const auto& [k, v] : params) {
    if (k == key) return std::stoi(v);
  }
  return -1;
}

TEST(ListRepositories, FollowsContentRangeTotal) {
  auto t = std::make_shared<ScriptedTransport>([](const http::Request& r) -> StatusOr<http::Response> {
    int offset = QueryInt(r.url, "offset"), limit = QueryInt(r.url, "limit");
    int n = std::max(0, std::min(limit, 25 - offset));
    return MakeResponse(200, Page(offset, n),
                        {{"Content-Range", std::to_string(offset) + "-" + std::to_string(n) + "/25"}});
  });
  auto client = MakeClient(t, 10);
  auto repos = client.ListRepositories();
  ASSERT_TRUE(repos.ok()) << repos.status().ToString();
  EXPECT_EQ(repos->size(), 25u);
  EXPECT_EQ(t->requests.size(), 3u);
  EXPECT_EQ((*repos)[24].name, "r24");
}

TEST(ListRepositories, PagesByMultiplesOfTheLimitUntilAnEmptyPage) {
  // As the OTC SDKs do: offset = page * limit, and an empty page ends it
  // (a short page does not: SWR's pages may be short).
  auto t = std::make_shared<ScriptedTransport>([](const http::Request& r) -> StatusOr<http::Response> {
    int offset = QueryInt(r.url, "offset");
    int n = offset == 0 ? 10 : offset == 10 ? 3 : 0;
    return MakeResponse(200, Page(offset, n));
  });
  auto repos = MakeClient(t, 10).ListRepositories();
  ASSERT_TRUE(repos.ok()) << repos.status().ToString();
  EXPECT_EQ(repos->size(), 13u);
  ASSERT_EQ(t->requests.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(QueryInt(t->requests[i].url, "offset"), static_cast<int>(i * 10));
  for (const auto& r : t->requests) {
    EXPECT_NE(r.url.find("order_column=name&order_type=asc"), std::string::npos) << r.url;
    const std::string* ct = nullptr;
    for (const auto& [k, v] : r.headers) {
      if (k == "Content-Type") ct = &v;
    }
    ASSERT_NE(ct, nullptr) << "Content-Type is mandatory on every management request";
    EXPECT_EQ(*ct, "application/json");
  }
}

TEST(ListRepositories, KeepsOnlyTheOrganizationAskedForAndDropsDuplicates) {
  // SWR's namespace filter is fuzzy: "team" also matches "team-b".
  auto t = std::make_shared<ScriptedTransport>([](const http::Request& r) -> StatusOr<http::Response> {
    int offset = QueryInt(r.url, "offset");
    if (offset == 0) {
      return MakeResponse(200, R"([{"name":"a","namespace":"team"},{"name":"b","namespace":"team-b"}])");
    }
    if (offset == 2) return MakeResponse(200, R"([{"name":"a","namespace":"team"},{"name":"c","namespace":"team"}])");
    return MakeResponse(200, "[]");
  });
  auto repos = MakeClient(t, 2).ListRepositories("team");
  ASSERT_TRUE(repos.ok()) << repos.status().ToString();
  ASSERT_EQ(repos->size(), 2u);
  EXPECT_EQ((*repos)[0].name, "a");
  EXPECT_EQ((*repos)[1].name, "c");
}

TEST(ListRepositories, TruncatedPageIsAnError) {
  auto t = std::make_shared<ScriptedTransport>(
      [](const http::Request&) -> StatusOr<http::Response> { return MakeResponse(200, R"([{"name":"r0","nam)"); });
  auto repos = MakeClient(t, 10).ListRepositories();
  ASSERT_FALSE(repos.ok());
  EXPECT_EQ(repos.status().code(), Code::kProtocol);
}

TEST(ListRepositories, AServerThatIgnoresTheOffsetCannotLoopForEver) {
  // Every page is the same full page, with a total that is never reached.
  auto t = std::make_shared<ScriptedTransport>([](const http::Request&) -> StatusOr<http::Response> {
    return MakeResponse(200, Page(0, 10), {{"Content-Range", "0-10/1000000"}});
  });
  auto repos = MakeClient(t, 10).ListRepositories();
  ASSERT_FALSE(repos.ok());
  EXPECT_EQ(repos.status().code(), Code::kProtocol);
  EXPECT_EQ(t->requests.size(), 2u);
}

TEST(ListTags, ReadsCapitalTagFieldAndSendsDollarForSlash) {
  auto t = std::make_shared<ScriptedTransport>([](const http::Request&) -> StatusOr<http::Response> {
    return MakeResponse(200, R"([{"Tag":"latest","digest":"sha256:abc","size":5,"tag_type":1}])",
                        {{"Content-Range", "0-1/1"}});
  });
  auto tags = MakeClient(t, 100).ListTags("org", "team/app");
  ASSERT_TRUE(tags.ok()) << tags.status().ToString();
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_EQ((*tags)[0].tag, "latest");
  EXPECT_EQ((*tags)[0].tag_type, 1);
  EXPECT_NE(t->requests[0].url.find("/repos/team$app/tags?"), std::string::npos) << t->requests[0].url;
}

}  // namespace
}  // namespace swr
