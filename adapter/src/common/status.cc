#include "common/status.h"

#include <fmt/format.h>

namespace swr {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kUnknown: return "error";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kAlreadyExists: return "already exists";
    case Code::kUnauthenticated: return "authentication failed";
    case Code::kPermissionDenied: return "permission denied";
    case Code::kRateLimited: return "rate limited";
    case Code::kTimeout: return "timeout";
    case Code::kUnavailable: return "service unavailable";
    case Code::kDigestMismatch: return "digest mismatch";
    case Code::kProtocol: return "protocol error";
    case Code::kUnsupported: return "unsupported";
    case Code::kCancelled: return "cancelled";
    case Code::kCallbackAborted: return "aborted by callback";
    case Code::kConflict: return "conflict";
    case Code::kNetwork: return "network error";
    case Code::kQuotaExceeded: return "quota exceeded";
  }
  return "error";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = fmt::format("{}: {}", CodeName(code_), message_);
  std::string extra;
  if (http_status_ != 0) extra += fmt::format("HTTP {}", http_status_);
  if (!swr_code_.empty()) extra += (extra.empty() ? "" : ", ") + swr_code_;
  if (!request_id_.empty()) extra += (extra.empty() ? "" : ", ") + ("request " + request_id_);
  if (!extra.empty()) out += " (" + extra + ")";
  return out;
}

}  // namespace swr
