// Status and StatusOr: how errors travel inside the core. No exception leaves
// a core function; the C ABI maps Status to an swr_error in one place.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace swr {

// Every status code: its C++ name, its value in the C ABI (swr_error_code in
// swr.h, checked against this table at compile time) and its text. The one
// place a code is added, besides its line in swr.h.
#define SWR_STATUS_CODES(X)                        \
  X(kOk, 0, "ok")                                  \
  X(kUnknown, -1, "error")                         \
  X(kInvalidArgument, -2, "invalid argument")      \
  X(kNotFound, -3, "not found")                    \
  X(kAlreadyExists, -4, "already exists")          \
  X(kUnauthenticated, -5, "authentication failed") \
  X(kPermissionDenied, -6, "permission denied")    \
  X(kRateLimited, -7, "rate limited")              \
  X(kTimeout, -8, "timeout")                       \
  X(kUnavailable, -9, "service unavailable")       \
  X(kDigestMismatch, -10, "digest mismatch")       \
  X(kProtocol, -11, "protocol error")              \
  X(kUnsupported, -12, "unsupported")              \
  X(kCancelled, -13, "cancelled")                  \
  X(kCallbackAborted, -14, "aborted by callback")  \
  X(kConflict, -15, "conflict")                    \
  X(kNetwork, -16, "network error")                \
  X(kOutOfMemory, -17, "out of memory")            \
  X(kQuotaExceeded, -18, "quota exceeded")

enum class Code {
#define SWR_STATUS_CODE_ENUM(name, value, text) name = value,
  SWR_STATUS_CODES(SWR_STATUS_CODE_ENUM)
#undef SWR_STATUS_CODE_ENUM
};

// Why an error happened, finer than its code, for programs to decide on
// (hints, retries, Harbor's error codes) without reading message text: its
// C++ name, its value in the C ABI (swr_error_reason in swr.h) and its
// name. kNone: derived from the code (Status::reason()).
#define SWR_ERROR_REASONS(X)                   \
  X(kNone, 0, "none")                          \
  X(kTls, 1, "tls")                            \
  X(kDns, 2, "dns")                            \
  X(kRefused, 3, "refused")                    \
  X(kConnection, 4, "connection")              \
  X(kTimeout, 5, "timeout")                    \
  X(kTooSlow, 6, "too_slow")                   \
  X(kAuth, 7, "auth")                          \
  X(kForbidden, 8, "forbidden")                \
  X(kNotFound, 9, "not_found")                 \
  X(kRateLimited, 10, "rate_limited")          \
  X(kQuota, 11, "quota")                       \
  X(kConflict, 12, "conflict")                 \
  X(kExists, 13, "exists")                     \
  X(kOciIndexRefused, 14, "oci_index_refused") \
  X(kInvalidInput, 15, "invalid_input")        \
  X(kServer, 16, "server")                     \
  X(kProtocol, 17, "protocol")                 \
  X(kDigestMismatch, 18, "digest_mismatch")    \
  X(kUnsupported, 19, "unsupported")           \
  X(kCancelled, 20, "cancelled")               \
  X(kAborted, 21, "aborted")                   \
  X(kOutOfMemory, 22, "out_of_memory")         \
  X(kInternal, 23, "internal")

enum class Reason {
#define SWR_ERROR_REASON_ENUM(name, value, text) name = value,
  SWR_ERROR_REASONS(SWR_ERROR_REASON_ENUM)
#undef SWR_ERROR_REASON_ENUM
};

const char* ReasonName(Reason reason);

const char* CodeName(Code code);
// The text of a C ABI code (an int), or nullptr when it is not one.
const char* CodeNameOrNull(int code);

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }
  const std::string& swr_code() const { return swr_code_; }
  const std::string& request_id() const { return request_id_; }
  // The reason given with WithReason, else the one the code and HTTP status
  // imply; kNone only for OK.
  Reason reason() const;
  // Whether trying the same call again later can help (network trouble,
  // timeouts, rate limits, 5xx), whatever this call's own retries did.
  bool retryable() const;
  // host[:port] of the server the failed request went to, when known.
  const std::string& host() const { return host_; }

  Status& WithHttpStatus(int s) {
    http_status_ = s;
    return *this;
  }
  Status& WithReason(Reason r) {
    reason_ = r;
    return *this;
  }
  Status& WithHost(std::string h) {
    host_ = std::move(h);
    return *this;
  }
  // Everything but code and message from `other` (wrapping an error).
  Status& WithDetailsOf(const Status& other);
  Status& WithSwrCode(std::string c) {
    swr_code_ = std::move(c);
    return *this;
  }
  Status& WithRequestId(std::string r) {
    request_id_ = std::move(r);
    return *this;
  }

  // "not found: organization missing (HTTP 404, SVCSTG.SWR.4040058, request abc)"
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  int http_status_ = 0;
  std::string swr_code_;
  std::string request_id_;
  Reason reason_ = Reason::kNone;
  std::string host_;
};

inline Status OkStatus() {
  return Status();
}

template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status(Code::kUnknown, "StatusOr built from an OK status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace swr

#define SWR_RETURN_IF_ERROR(expr)                      \
  do {                                                 \
    ::swr::Status swr_status_tmp_ = (expr);            \
    if (!swr_status_tmp_.ok()) return swr_status_tmp_; \
  } while (0)
