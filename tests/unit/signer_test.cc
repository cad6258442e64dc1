#include "auth/signer.h"

#include <gtest/gtest.h>

#include "auth/canonical.h"
#include "common/clock.h"
#include "support/vectors.h"

namespace swr {
namespace {

class FixedClock : public Clock {
 public:
  explicit FixedClock(const std::string& date) { ParseSdkDate(date, &t_); }
  std::chrono::system_clock::time_point Now() const override { return t_; }
  void SleepFor(std::chrono::milliseconds) override {}

 private:
  std::chrono::system_clock::time_point t_;
};

class PublishedVector : public ::testing::TestWithParam<testing::SigningVector> {};

TEST_P(PublishedVector, ProducesThePublishedAuthorization) {
  const auto& v = GetParam();
  Signer signer(v.ak, v.sk);
  SignableRequest req{v.method, v.url, v.headers, v.body, std::nullopt};
  SigningOptions opts;
  ASSERT_TRUE(ParseSignatureFormat(v.format, &opts.format));
  opts.region = v.region;
  opts.service = v.service;
  opts.signed_headers = v.signed_headers;
  auto signed_req = signer.Sign(req, opts);
  ASSERT_TRUE(signed_req.ok()) << signed_req.status().ToString();
  EXPECT_EQ(signed_req->canonical_request, v.canonical_request);
  EXPECT_EQ(signed_req->authorization, v.authorization);
}

std::vector<testing::SigningVector> Vectors() {
  auto v = testing::LoadSigningVectors();
  if (v.empty()) ADD_FAILURE() << "no signing vectors loaded";
  return v;
}

INSTANTIATE_TEST_SUITE_P(AkSkVectors, PublishedVector, ::testing::ValuesIn(Vectors()),
                         [](const ::testing::TestParamInfo<testing::SigningVector>& info) { return info.param.id; });

TEST(CanonicalQuery, MatchesThePublishedVector) {
  auto [params, canonical] = testing::LoadCanonicalQueryVector();
  ASSERT_FALSE(params.empty());
  EXPECT_EQ(CanonicalQueryFromPairs(params), canonical);
}

TEST(CanonicalQuery, SortsRepeatedKeysByValueAndKeepsEmptyValues) {
  EXPECT_EQ(CanonicalQuery("b=2&a=&b=1&c"), "a=&b=1&b=2&c=");
  EXPECT_EQ(CanonicalQuery(""), "");
}

TEST(CanonicalQuery, EncodesSpaceAsPercent20AndReservedCharacters) {
  EXPECT_EQ(CanonicalQuery("q=a+b%20c"), "q=a%2Bb%20c");
  EXPECT_EQ(CanonicalQuery("filter=center::self"), "filter=center%3A%3Aself");
  EXPECT_EQ(CanonicalQuery("filter=namespace::g|mode::visible"), "filter=namespace%3A%3Ag%7Cmode%3A%3Avisible");
}

TEST(CanonicalUri, AddsTrailingSlashAndEncodesSegments) {
  EXPECT_EQ(CanonicalUri(""), "/");
  EXPECT_EQ(CanonicalUri("/"), "/");
  EXPECT_EQ(CanonicalUri("/v2/manage/namespaces"), "/v2/manage/namespaces/");
  EXPECT_EQ(CanonicalUri("/a/b/"), "/a/b/");
}

TEST(CanonicalUri, EncodesUtf8AndReservedCharactersOnce) {
  // "ä" is C3 A4; an already-encoded path is decoded first, so it comes out the same.
  EXPECT_EQ(CanonicalUri("/caf\xC3\xA4/x y"), "/caf%C3%A4/x%20y/");
  EXPECT_EQ(CanonicalUri("/caf%C3%A4/x%20y"), "/caf%C3%A4/x%20y/");
  EXPECT_EQ(CanonicalUri("/a:b@c;d=e"), "/a%3Ab%40c%3Bd%3De/");
}

TEST(CanonicalUri, EncodesDollarInRepositoryNames) {
  EXPECT_EQ(CanonicalUri("/v2/manage/namespaces/org/repos/team$app/tags"),
            "/v2/manage/namespaces/org/repos/team%24app/tags/");
}

TEST(Signer, SignsHostWithPortAsSent) {
  Signer signer("AK", "SK", std::make_shared<FixedClock>("20240101T000000Z"));
  auto s = signer.Sign({"GET", "http://127.0.0.1:8443/v2/manage/namespaces", {}, "", std::nullopt});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->host, "127.0.0.1:8443");
  EXPECT_NE(s->canonical_request.find("\nhost:127.0.0.1:8443\n"), std::string::npos) << s->canonical_request;
  EXPECT_NE(s->authorization.find("SignedHeaders=host;x-sdk-date,"), std::string::npos);
}

TEST(Signer, ExplicitHostHeaderWinsOverUrlHost) {
  Signer signer("AK", "SK", std::make_shared<FixedClock>("20240101T000000Z"));
  auto s = signer.Sign(
      {"GET", "https://swr-api.eu-de.otc.t-systems.com/v2", {{"Host", "proxy.example:9000"}}, "", std::nullopt});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->host, "proxy.example:9000");
  EXPECT_NE(s->canonical_request.find("\nhost:proxy.example:9000\n"), std::string::npos);
}

TEST(Signer, UsesInjectedClockForSdkDate) {
  Signer signer("AK", "SK", std::make_shared<FixedClock>("20300102T030405Z"));
  auto s = signer.Sign({"GET", "https://h/p", {}, "", std::nullopt});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sdk_date, "20300102T030405Z");
  ASSERT_FALSE(s->headers_to_add.empty());
  EXPECT_EQ(s->headers_to_add[0].first, "X-Sdk-Date");
}

TEST(Signer, PayloadHashHeaderReplacesBodyHash) {
  Signer signer("AK", "SK", std::make_shared<FixedClock>("20240101T000000Z"));
  auto s =
      signer.Sign({"PUT", "https://h/p", {{"X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"}}, "data", std::nullopt}, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->canonical_request.substr(s->canonical_request.rfind('\n') + 1), "UNSIGNED-PAYLOAD");
}

TEST(Signer, TrimsHeaderValuesAndLowercasesNames) {
  Signer signer("AK", "SK", std::make_shared<FixedClock>("20240101T000000Z"));
  auto s = signer.Sign({"GET", "https://h/p", {{"X-Project-Id", "  abc  "}}, "", std::nullopt});
  ASSERT_TRUE(s.ok());
  EXPECT_NE(s->canonical_request.find("\nx-project-id:abc\n"), std::string::npos);
  EXPECT_NE(s->authorization.find("SignedHeaders=host;x-project-id;x-sdk-date"), std::string::npos);
}

TEST(Signer, RejectsBadInput) {
  Signer signer("AK", "SK");
  EXPECT_EQ(signer.Sign({"GET", "ftp://h/p", {}, "", std::nullopt}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(signer.Sign({"GET", "https://h/p", {{"Bad Name", "v"}}, "", std::nullopt}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(signer.Sign({"GET", "https://h/p", {{"X-Sdk-Date", "yesterday"}}, "", std::nullopt}).status().code(),
            Code::kInvalidArgument);
  SigningOptions only_missing;
  only_missing.signed_headers = {"x-sdk-date", "content-type"};
  EXPECT_EQ(signer.Sign({"GET", "https://h/p", {}, "", std::nullopt}, only_missing).status().code(),
            Code::kInvalidArgument);
  Signer no_keys("", "");
  EXPECT_FALSE(no_keys.Sign({"GET", "https://h/p", {}, "", std::nullopt}).ok());
}

TEST(Signer, CredentialFormatChangesWithRegionAndService) {
  auto clock = std::make_shared<FixedClock>("20240101T000000Z");
  Signer signer("AK", "SK", clock);
  SigningOptions a, b;
  a.format = b.format = SignatureFormat::kCredential;
  b.region = "eu-de";
  auto sa = signer.Sign({"GET", "https://h/p", {}, "", std::nullopt}, a);
  auto sb = signer.Sign({"GET", "https://h/p", {}, "", std::nullopt}, b);
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_NE(sa->authorization.find("Credential=AK/20240101///sdk_request"), std::string::npos);
  EXPECT_NE(sb->authorization.find("Credential=AK/20240101/eu-de//sdk_request"), std::string::npos);
  EXPECT_NE(sa->authorization.substr(sa->authorization.find("Signature=")),
            sb->authorization.substr(sb->authorization.find("Signature=")));
}

}  // namespace
}  // namespace swr
