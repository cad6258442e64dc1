#include "http/error_body.h"

#include <fmt/format.h>

#include "common/json.h"
#include "common/log.h"

namespace swr {
namespace {

// Server text as it may appear in a message: one line, bounded.
std::string Printable(std::string_view text, size_t limit) {
  std::string out = StripControl(text.substr(0, limit), false);
  if (text.size() > limit) out += "...";
  return out;
}

struct Parsed {
  std::string code;
  std::string message;
  std::string request_id;
};

Parsed FromObject(const Json& obj) {
  Parsed p;
  p.code = obj.GetString("errorCode", obj.GetString("error_code", obj.GetString("code")));
  p.message = obj.GetString("errorMessage", obj.GetString("error_msg", obj.GetString("message")));
  p.request_id = obj.GetString("request_id");
  if (auto errors = obj.Find("errors"); errors && errors->IsArray() && errors->Size() > 0) {
    Json first = errors->At(0);
    if (p.code.empty()) p.code = first.GetString("code");
    if (p.message.empty()) p.message = first.GetString("message");
  }
  // Some gateways nest it: {"error":{"code":..,"message":..}}
  if (auto error = obj.Find("error"); error && error->IsObject() && p.message.empty()) {
    p.code = error->GetString("code", p.code);
    p.message = error->GetString("message");
  }
  return p;
}

}  // namespace

bool IsSwrThrottleCode(std::string_view code) {
  return code == "SVCSTG.SWR.4031032" || code == "SVCSTG.SWR.4031042";
}

bool IsSwrThrottle(const http::Response& response) {
  if (response.status != 403 || response.body.empty()) return false;
  // Cheap test first: these bodies are small JSON documents.
  return response.body.find("SVCSTG.SWR.40310") != std::string::npos &&
         IsSwrThrottleCode(ErrorFromResponse(response, "").swr_code());
}

Status ErrorFromResponse(const http::Response& response, std::string_view what) {
  Code code = http::CodeForHttpStatus(response.status);
  if (code == Code::kOk) code = Code::kProtocol;
  Parsed p;
  bool parsed = false;
  if (!response.body.empty()) {
    auto json = Json::Parse(response.body);
    if (json.ok()) {
      if (json->IsArray() && json->Size() > 0 && json->At(0).IsObject()) {
        p = FromObject(json->At(0));
        parsed = true;
      } else if (json->IsObject()) {
        p = FromObject(*json);
        parsed = true;
      }
    }
  }
  std::string detail;
  if (parsed && !p.message.empty()) {
    detail = Printable(p.message, 512);
  } else if (!response.body.empty()) {
    detail = fmt::format("unexpected response body: {}", Printable(response.body, 200));
  } else {
    detail = fmt::format("HTTP {} with an empty body", response.status);
  }
  if (p.request_id.empty()) {
    for (const char* h : {"X-Request-Id", "X-Openstack-Request-Id", "X-Apig-Request-Id"}) {
      if (const std::string* v = response.Header(h)) {
        p.request_id = *v;
        break;
      }
    }
  }
  if (p.code.rfind("APIGW.", 0) == 0 || p.code.rfind("APIG.", 0) == 0) {
    if (response.status == 401) code = Code::kUnauthenticated;
    if (response.status == 429) code = Code::kRateLimited;
  }
  // SWR's own codes that the HTTP status would misclassify.
  if (IsSwrThrottleCode(p.code)) code = Code::kRateLimited;         // a 403 that means "too many requests"
  if (p.code == "SVCSTG.SWR.4000097") code = Code::kQuotaExceeded;  // a 400 for the organization quota
  Status s(code, fmt::format("{}: {}", what, detail));
  s.WithHttpStatus(response.status).WithSwrCode(Printable(p.code, 64)).WithRequestId(Printable(p.request_id, 128));
  return s;
}

}  // namespace swr
