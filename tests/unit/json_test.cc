#include "common/json.h"

#include <gtest/gtest.h>

#include "http/error_body.h"
#include "registry/reference.h"

namespace swr {
namespace {

TEST(Json, RefusesDeepNestingInsteadOfOverflowingTheStack) {
  // 2 MB of '[' crashed the recursive parser with SIGSEGV.
  std::string deep(2 << 20, '[');
  auto j = Json::Parse(deep);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), Code::kProtocol);
  EXPECT_NE(j.status().message().find("nested"), std::string::npos);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_EQ(Json::Parse(objects).status().code(), Code::kProtocol);
}

TEST(Json, AcceptsNestingUpToTheLimit) {
  std::string ok = std::string(Json::kMaxDepth, '[') + std::string(Json::kMaxDepth, ']');
  auto j = Json::Parse(ok);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j->Dump(), ok);
  std::string over = "[" + ok + "]";
  EXPECT_FALSE(Json::Parse(over).ok());
  // Brackets inside strings are text, not nesting.
  std::string text = "{\"s\":\"" + std::string(1000, '[') + "\\\"[\"}";
  EXPECT_TRUE(Json::Parse(text).ok());
}

TEST(Json, HostileBodiesBecomeErrorsEverywhereTheyAreRead) {
  std::string deep(1 << 20, '[');
  http::Response resp;
  resp.status = 400;
  resp.body = deep;
  Status s = ErrorFromResponse(resp, "push manifest");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_LT(s.message().size(), 1024u);
  auto m = registry::ParseManifest(registry::kDockerManifest, deep);
  EXPECT_EQ(m.status().code(), Code::kProtocol);
}

}  // namespace
}  // namespace swr
