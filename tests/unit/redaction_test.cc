#include "common/log.h"

#include <gtest/gtest.h>

namespace swr {
namespace {

TEST(Redactor, RemovesRegisteredSecretsAnywhere) {
  Redactor r;
  r.AddSecret("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
  r.AddSecret("89aca1198a970e4360203d71cdaa80cfc13ecd55ee84409719e88162d139ef34");
  std::string out = r.Redact(
      "sk=MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc key "
      "89aca1198a970e4360203d71cdaa80cfc13ecd55ee84409719e88162d139ef34!");
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

TEST(Redactor, HandlesHugeHostileInputInLinearTime) {
  // std::regex recursed per character on these and overflowed the stack.
  Redactor r;
  std::string url = "https://evil.example/x?authorization=" + std::string(40000, 'a');
  std::string out = r.Redact(url);
  EXPECT_EQ(out.find("aaaa"), std::string::npos);
  std::string bearer = "Bearer " + std::string(100000, 'b');
  out = r.RedactLine(bearer);
  EXPECT_EQ(out.find("bbbb"), std::string::npos);
  EXPECT_LE(out.size(), Redactor::kMaxLine + 3);
  std::string json = "{\"token\":\"" + std::string(1 << 20, 't') + "\"}";
  out = r.Redact(json);
  EXPECT_EQ(out.find("tttt"), std::string::npos);
}

TEST(Redactor, KeepsOnlyAllowListedQueryValuesInUrls) {
  Redactor r;
  std::string out = r.Redact(
      "redirected to https://bucket.s3.example/blob?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA&digest=sha256:ab "
      "and http://127.0.0.1:5000/v2/a/tags/list?n=100&last=v1&_state=c2VjcmV0");
  EXPECT_EQ(out.find("deadbeef"), std::string::npos) << out;
  EXPECT_EQ(out.find("AKIA"), std::string::npos) << out;
  EXPECT_EQ(out.find("c2VjcmV0"), std::string::npos) << out;
  EXPECT_NE(out.find("digest=sha256:ab"), std::string::npos) << out;
  EXPECT_NE(out.find("n=100&last=v1"), std::string::npos) << out;
}

TEST(Redactor, ErrorLinesCarryNoControlCharacters) {
  Redactor r;
  std::string out = r.RedactLine("refused\r\nX-Injected: yes\x1b[31mred\x1b[0m\x07");
  for (char c : out) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << out;
  EXPECT_NE(out.find("refused"), std::string::npos);
  // Log lines keep their line breaks, nothing else.
  std::string log = r.Redact("a\nb\x1b");
  EXPECT_EQ(log, "a\nb ");
}

TEST(Redactor, RemembersTheNewestTokensOnly) {
  Redactor r;
  for (size_t i = 0; i < Redactor::kMaxTokens + 10; ++i) r.AddToken("token-number-" + std::to_string(i));
  std::string newest = "token-number-" + std::to_string(Redactor::kMaxTokens + 9);
  EXPECT_EQ(r.Redact("x " + newest + " y"), "x [REDACTED] y");
  EXPECT_EQ(r.Redact("x token-number-0 y"), "x token-number-0 y") << "the oldest token was dropped";
}

TEST(Redactor, LeavesChallengesAndOrdinaryTextReadable) {
  Redactor r;
  std::string challenge = R"(Bearer realm="https://swr.example/swr/auth/v2/registry/auth/",service="dockyard")";
  EXPECT_EQ(r.Redact(challenge), challenge);
  EXPECT_EQ(r.Redact("GET /v2/team/app/manifests/v1 -> 404"), "GET /v2/team/app/manifests/v1 -> 404");
}

}  // namespace
}  // namespace swr
