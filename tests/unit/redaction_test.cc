#include "common/log.h"

#include <gtest/gtest.h>

namespace swr {
namespace {

TEST(Redactor, RemovesRegisteredSecretsAnywhere) {
  Redactor r;
  r.AddSecret("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
  r.AddSecret("89aca1198a970e4360203d71cdaa80cfc13ecd55ee84409719e88162d139ef34");
  std::string out = r.Redact(
      "sk=MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc key 89aca1198a970e4360203d71cdaa80cfc13ecd55ee84409719e88162d139ef34!");
  EXPECT_EQ(out.find("MFyfvK41"), std::string::npos) << out;
  EXPECT_EQ(out.find("89aca119"), std::string::npos) << out;
  EXPECT_NE(out.find("[REDACTED]"), std::string::npos);
}

TEST(Redactor, RemovesCredentialShapedText) {
  Redactor r;
  struct Case {
    std::string in, leaked;
  } cases[] = {
      {"Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abcdef0123", "Signature=abcdef"},
      {"authorization=Basic ZXUtZGVAQUs6c2VjcmV0", "ZXUtZGVAQUs6c2VjcmV0"},
      {"header Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig was sent", "eyJhbGci"},
      {R"({"token":"tok-123456","issued_at":"x"})", "tok-123456"},
      {"X-Auth-Token: MIIabc", "MIIabc"},
      {"docker login -u eu-de@AK -p 0123456789abcdef swr.example", "0123456789abcdef"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    std::string out = r.Redact(c.in);
    EXPECT_EQ(out.find(c.leaked), std::string::npos) << out;
  }
  EXPECT_EQ(r.Redact("GET /v2/manage/namespaces -> 200"), "GET /v2/manage/namespaces -> 200");
}

TEST(Logger, RedactsBeforeTheSinkSeesAnything) {
  auto redactor = std::make_shared<Redactor>();
  redactor->AddSecret("supersecretSK");
  std::vector<std::string> lines;
  Logger logger([&](LogLevel, const std::string& l) { lines.push_back(l); }, LogLevel::kDebug, redactor);
  logger.Log(LogLevel::kDebug, "using supersecretSK now");
  logger.Log(LogLevel::kInfo, "Authorization: Bearer abc.def");
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& l : lines) {
    EXPECT_EQ(l.find("supersecretSK"), std::string::npos);
    EXPECT_EQ(l.find("abc.def"), std::string::npos);
  }
  Logger quiet([&](LogLevel, const std::string& l) { lines.push_back(l); }, LogLevel::kWarn, redactor);
  quiet.Log(LogLevel::kDebug, "hidden");
  EXPECT_EQ(lines.size(), 2u);
}

}  // namespace
}  // namespace swr
