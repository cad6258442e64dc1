#include "auth/credentials.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace swr {
namespace {

TEST(LoginKey, MatchesPublishedVectors) {
  auto vectors = testing::LoadLoginKeyVectors();
  ASSERT_FALSE(vectors.empty());
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.ak);
    EXPECT_EQ(LoginKey(v.ak, v.sk), v.login_key);
  }
}

TEST(Credentials, SplitsAccessIdIntoProjectAndAk) {
  auto c = CredentialsFromAccessId("eu-de_dev@QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->project, "eu-de_dev");
  EXPECT_EQ(c->access_key, "QTWAOYTTINDUT2QVKYUC");
  EXPECT_FALSE(c->login_key_only());
  EXPECT_EQ(c->login_key, "89aca1198a970e4360203d71cdaa80cfc13ecd55ee84409719e88162d139ef34");
  EXPECT_EQ(c->registry_user(), "eu-de_dev@QTWAOYTTINDUT2QVKYUC");
}

TEST(Credentials, RejectsMalformedAccessIdWithAClearMessage) {
  struct Case {
    const char* id;
    const char* expect;
  } cases[] = {{"QTWAOYTTINDUT2QVKYUC", "has no '@'"}, {"@AK", "empty project"}, {"eu-de@", "empty AK"},
               {"eu-de@A K", "letters and digits"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    auto r = CredentialsFromAccessId(c.id, "secret");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find("secret"), std::string::npos) << "secret leaked";
  }
  EXPECT_FALSE(CredentialsFromAccessId("eu-de@AK", "").ok());
}

TEST(Credentials, SixtyFourHexDigitsAreALoginKey) {
  std::string key = "89ACA1198A970E4360203D71CDAA80CFC13ECD55EE84409719E88162D139EF34";
  auto c = CredentialsFromAccessId("eu-de@AK", key);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->login_key_only());
  EXPECT_EQ(c->login_key, "89aca1198a970e4360203d71cdaa80cfc13ecd55ee84409719e88162d139ef34");
  EXPECT_FALSE(LooksLikeLoginKey(key.substr(1)));
  EXPECT_FALSE(LooksLikeLoginKey(key.substr(1) + "g"));
}

}  // namespace
}  // namespace swr
