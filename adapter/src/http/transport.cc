#include "http/transport.h"

#include "common/url.h"

namespace swr::http {

bool Request::IsIdempotent() const {
  if (idempotent) return *idempotent;
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

void Request::SetHeader(std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

const std::string* Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return &v;
  }
  return nullptr;
}

Code CodeForHttpStatus(int status) {
  if (status >= 200 && status < 300) return Code::kOk;
  switch (status) {
    case 400:
    case 413:
    case 414:
    case 422:
      return Code::kInvalidArgument;
    case 401:
      return Code::kUnauthenticated;
    case 403:
      return Code::kPermissionDenied;
    case 404:
      return Code::kNotFound;
    case 405:
    case 501:
      return Code::kUnsupported;
    case 406:
      return Code::kConflict;
    case 408:
    case 504:
      return Code::kTimeout;
    case 409:
      return Code::kAlreadyExists;
    case 412:
      return Code::kConflict;
    case 416:
      return Code::kProtocol;
    case 429:
      return Code::kRateLimited;
    default:
      break;
  }
  if (status >= 500) return Code::kUnavailable;
  return Code::kProtocol;
}

}  // namespace swr::http
