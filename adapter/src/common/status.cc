#include "common/status.h"

#include <fmt/format.h>

namespace swr {

const char* CodeNameOrNull(int code) {
  switch (code) {
#define SWR_STATUS_CODE_CASE(name, value, text) \
  case value:                                   \
    return text;
    SWR_STATUS_CODES(SWR_STATUS_CODE_CASE)
#undef SWR_STATUS_CODE_CASE
  }
  return nullptr;
}

const char* CodeName(Code code) {
  const char* text = CodeNameOrNull(static_cast<int>(code));
  return text ? text : "error";
}

const char* ReasonName(Reason reason) {
  switch (reason) {
#define SWR_ERROR_REASON_CASE(name, value, text) \
  case Reason::name:                             \
    return text;
    SWR_ERROR_REASONS(SWR_ERROR_REASON_CASE)
#undef SWR_ERROR_REASON_CASE
  }
  return "internal";
}

Reason Status::reason() const {
  if (reason_ != Reason::kNone || ok()) return reason_;
  switch (code_) {
    case Code::kInvalidArgument:
      return Reason::kInvalidInput;
    case Code::kNotFound:
      return Reason::kNotFound;
    case Code::kAlreadyExists:
      return Reason::kExists;
    case Code::kUnauthenticated:
      return Reason::kAuth;
    case Code::kPermissionDenied:
      return Reason::kForbidden;
    case Code::kRateLimited:
      return Reason::kRateLimited;
    case Code::kTimeout:
      return Reason::kTimeout;
    case Code::kUnavailable:
      return Reason::kServer;
    case Code::kDigestMismatch:
      return Reason::kDigestMismatch;
    case Code::kProtocol:
      return http_status_ >= 500 ? Reason::kServer : Reason::kProtocol;
    case Code::kUnsupported:
      return Reason::kUnsupported;
    case Code::kCancelled:
      return Reason::kCancelled;
    case Code::kCallbackAborted:
      return Reason::kAborted;
    case Code::kConflict:
      return Reason::kConflict;
    case Code::kNetwork:
      return Reason::kConnection;
    case Code::kOutOfMemory:
      return Reason::kOutOfMemory;
    case Code::kQuotaExceeded:
      return Reason::kQuota;
    default:
      return http_status_ >= 500 ? Reason::kServer : Reason::kInternal;
  }
}

bool Status::retryable() const {
  switch (reason()) {
    case Reason::kDns:  // resolvers fail for a while, too
    case Reason::kRefused:
    case Reason::kConnection:
    case Reason::kTimeout:
    case Reason::kTooSlow:
    case Reason::kRateLimited:
      return true;
    case Reason::kServer:
      return http_status_ != 501;
    default:
      return false;
  }
}

Status& Status::WithDetailsOf(const Status& other) {
  http_status_ = other.http_status_;
  swr_code_ = other.swr_code_;
  request_id_ = other.request_id_;
  reason_ = other.reason_;
  host_ = other.host_;
  return *this;
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
