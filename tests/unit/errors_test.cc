#include "http/error_body.h"

#include <gtest/gtest.h>

namespace swr {
namespace {

http::Response Resp(int status, std::string body, HeaderList headers = {}) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(ErrorFromResponse, ReadsTheGatewayShape) {
  Status s = ErrorFromResponse(
      Resp(
          401,
          R"({"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"req-1"})"),
      "list organizations");
  EXPECT_EQ(s.code(), Code::kUnauthenticated);
  EXPECT_EQ(s.http_status(), 401);
  EXPECT_EQ(s.swr_code(), "APIGW.0301");
  EXPECT_EQ(s.request_id(), "req-1");
  EXPECT_NE(s.message().find("verify aksk signature fail"), std::string::npos);
  EXPECT_NE(s.message().find("list organizations"), std::string::npos);
}

TEST(ErrorFromResponse, ReadsTheSwrArrayShape) {
  Status s = ErrorFromResponse(
      Resp(404, R"([{"errorCode":"SVCSTG.SWR.4040058","errorMessage":"namespace not found","detail":""}])",
           {{"X-Request-Id", "abc"}}),
      "get organization 'x'");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.swr_code(), "SVCSTG.SWR.4040058");
  EXPECT_EQ(s.request_id(), "abc");
  EXPECT_NE(s.ToString().find("namespace not found"), std::string::npos);
}

TEST(ErrorFromResponse, ReadsASingleSwrObjectAndTheRegistryShape) {
  Status s = ErrorFromResponse(Resp(406, R"({"errorCode":"SVCSTG.SWR.4060074","errorMessage":"not empty"})"), "delete");
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_EQ(s.swr_code(), "SVCSTG.SWR.4060074");
  Status r = ErrorFromResponse(
      Resp(401, R"({"errors":[{"code":"DENIED","message":"Image organization does not exist"}]})"), "token");
  EXPECT_EQ(r.swr_code(), "DENIED");
  EXPECT_NE(r.message().find("Image organization does not exist"), std::string::npos);
}

TEST(ErrorFromResponse, NonJsonAndTruncatedBodiesAreErrorsNotCrashes) {
  for (const char* body : {"<html>Bad Gateway</html>", "[{\"errorCode\":\"SVC", "{", "\x01\x02\xff", ""}) {
    SCOPED_TRACE(body);
    Status s = ErrorFromResponse(Resp(502, body), "list");
    EXPECT_EQ(s.code(), Code::kUnavailable);
    EXPECT_EQ(s.http_status(), 502);
    EXPECT_FALSE(s.message().empty());
  }
  Status long_body = ErrorFromResponse(Resp(500, std::string(5000, 'x')), "list");
  EXPECT_LT(long_body.message().size(), 400u);
}

TEST(CodeForHttpStatus, MapsEachClass) {
  EXPECT_EQ(http::CodeForHttpStatus(200), Code::kOk);
  EXPECT_EQ(http::CodeForHttpStatus(403), Code::kPermissionDenied);
  EXPECT_EQ(http::CodeForHttpStatus(409), Code::kAlreadyExists);
  EXPECT_EQ(http::CodeForHttpStatus(429), Code::kRateLimited);
  EXPECT_EQ(http::CodeForHttpStatus(503), Code::kUnavailable);
  EXPECT_EQ(http::CodeForHttpStatus(504), Code::kTimeout);
  EXPECT_EQ(http::CodeForHttpStatus(302), Code::kProtocol);
}

}  // namespace
}  // namespace swr

namespace swr {
namespace {

// Every error has a reason for programs to decide on, and says whether a
// later try can help; an explicit reason wins over the code's.
TEST(StatusReason, DerivedFromTheCodeUnlessGiven) {
  EXPECT_EQ(Status(Code::kNotFound, "x").reason(), Reason::kNotFound);
  EXPECT_EQ(Status(Code::kUnauthenticated, "x").reason(), Reason::kAuth);
  EXPECT_EQ(Status(Code::kNetwork, "x").reason(), Reason::kConnection);
  EXPECT_EQ(Status(Code::kUnknown, "x").WithHttpStatus(502).reason(), Reason::kServer);
  EXPECT_EQ(Status(Code::kUnknown, "x").reason(), Reason::kInternal);
  EXPECT_EQ(Status(Code::kNetwork, "x").WithReason(Reason::kTls).reason(), Reason::kTls);
  EXPECT_EQ(OkStatus().reason(), Reason::kNone);
  EXPECT_STREQ(ReasonName(Reason::kOciIndexRefused), "oci_index_refused");
}

TEST(StatusReason, RetryableOnlyWhereTryingAgainCanHelp) {
  EXPECT_TRUE(Status(Code::kNetwork, "x").retryable());
  EXPECT_TRUE(Status(Code::kTimeout, "x").WithReason(Reason::kTooSlow).retryable());
  EXPECT_TRUE(Status(Code::kRateLimited, "x").retryable());
  EXPECT_TRUE(Status(Code::kUnavailable, "x").WithHttpStatus(503).retryable());
  EXPECT_FALSE(Status(Code::kUnavailable, "x").WithHttpStatus(501).retryable());
  EXPECT_FALSE(Status(Code::kNetwork, "x").WithReason(Reason::kTls).retryable());
  EXPECT_FALSE(Status(Code::kNotFound, "x").retryable());
  EXPECT_FALSE(Status(Code::kUnknown, "x").WithHttpStatus(400).WithReason(Reason::kOciIndexRefused).retryable());
}

TEST(StatusReason, WrappingKeepsReasonAndHost) {
  Status inner = Status(Code::kNetwork, "x").WithReason(Reason::kTls).WithHost("registry.example:5000");
  Status outer = Status(inner.code(), "blob sha256:...: " + inner.message()).WithDetailsOf(inner);
  EXPECT_EQ(outer.reason(), Reason::kTls);
  EXPECT_EQ(outer.host(), "registry.example:5000");
}

}  // namespace
}  // namespace swr
