#include "http/headers.h"

#include <gtest/gtest.h>

#include "common/base64.h"
#include "registry/docker_config.h"

namespace swr {
namespace {

TEST(NextLink, FindsTheNextEntryAmongSeveral) {
  EXPECT_EQ(http::NextLink(R"(</v2/a/tags/list?n=2&last=b>; rel="next")"), "/v2/a/tags/list?n=2&last=b");
  EXPECT_EQ(http::NextLink(R"(</p?last=a>; rel="prev", </n?last=c>; rel="next")"), "/n?last=c");
  EXPECT_EQ(http::NextLink(R"(</x>; rel=next)"), "/x");
  EXPECT_EQ(http::NextLink(R"(</p>; rel="prev")"), "");
  EXPECT_EQ(http::NextLink("<unterminated; rel=\"next\""), "");
  EXPECT_EQ(http::NextLink(""), "");
  EXPECT_EQ(http::NextLink(R"(</a,b>; title="x, y"; rel="next")"), "/a,b");
}

TEST(HeaderNumbers, RefuseOverflowAndGarbage) {
  EXPECT_EQ(http::ParseNonNegative(" 1234 "), 1234);
  EXPECT_EQ(http::ParseNonNegative("999999999999999999"), 999999999999999999);
  for (const char* bad : {"", "-1", "1e9", "12a", "9999999999999999999", "99999999999999999999999"}) {
    EXPECT_EQ(http::ParseNonNegative(bad), -1) << bad;
  }
  EXPECT_EQ(http::ParseRangeEnd("0-1234"), 1234);
  EXPECT_EQ(http::ParseRangeEnd("bytes=0-99"), 99);
  EXPECT_EQ(http::ParseRangeEnd("0-"), -1);
  EXPECT_EQ(http::ParseRangeEnd("0-99999999999999999999"), -1);
}

TEST(DockerConfig, ReadsAuthOrUserAndPasswordForTheHost) {
  std::string auth = Base64Encode("alice:s3cret");
  std::string cfg = R"({"auths":{"https://registry.example.com/v1/":{"auth":")" + auth +
                    R"("},"127.0.0.1:5000":{"username":"bob","password":"pw"}}})";
  auto a = registry::DockerConfigCredentials(cfg, "registry.example.com");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->username, "alice");
  EXPECT_EQ(a->password, "s3cret");
  auto b = registry::DockerConfigCredentials(cfg, "127.0.0.1:5000");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->username, "bob");
  EXPECT_FALSE(registry::DockerConfigCredentials(cfg, "other.example"));
  for (const char* bad : {"", "[]", R"({"auths":[]})", R"({"auths":{"h":"x"}})", R"({"auths":{"h":{"auth":"!!"}}})"}) {
    EXPECT_FALSE(registry::DockerConfigCredentials(bad, "h")) << bad;
  }
}

}  // namespace
}  // namespace swr
