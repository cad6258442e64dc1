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
  } cases[] = {{"QTWAOYTTINDUT2QVKYUC", "has no '@'"},
               {"@AK", "empty project"},
               {"eu-de@", "empty AK"},
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

TEST(Credentials, ATemporaryPasswordIsNeverTakenForAnSk) {
  // With the marker (or when the caller says so) it is the registry password
  // itself; without either, it would be taken for an SK and hashed.
  auto marked = CredentialsFromAccessId("eu-de@AK", "temp:tmp-0123456789abcdef");
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(marked->kind, SecretKind::kTemporary);
  EXPECT_EQ(marked->login_key, "tmp-0123456789abcdef");
  EXPECT_TRUE(marked->secret_key.empty());
  auto told = CredentialsFromAccessId("eu-de@AK", "tmp-0123456789abcdef", SecretKind::kTemporary);
  ASSERT_TRUE(told.ok());
  EXPECT_EQ(told->login_key, "tmp-0123456789abcdef");
  // A 64-hex temporary password stays temporary when said so (not a long-term key).
  std::string hex(64, 'a');
  EXPECT_EQ(CredentialsFromAccessId("eu-de@AK", hex, SecretKind::kTemporary)->kind, SecretKind::kTemporary);
  EXPECT_EQ(CredentialsFromAccessId("eu-de@AK", hex)->kind, SecretKind::kLoginKey);
  // Hex of another length (48 digits or more), as SWR shows temporary
  // passwords, is one without the marker; an SK (40 characters) is not.
  EXPECT_EQ(CredentialsFromAccessId("eu-de@AK", std::string(80, 'b'))->kind, SecretKind::kTemporary);
  EXPECT_EQ(CredentialsFromAccessId("eu-de@AK", std::string(40, 'b'))->kind, SecretKind::kSecretKey);
  EXPECT_EQ(CredentialsFromAccessId("eu-de@AK", "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0n")->kind,
            SecretKind::kSecretKey);
  EXPECT_FALSE(CredentialsFromAccessId("eu-de@AK", "not-hex", SecretKind::kLoginKey).ok());
  EXPECT_EQ(CredentialsFromAccessId("eu-de@AK", "an-sk")->kind, SecretKind::kSecretKey);
}

}  // namespace
}  // namespace swr
