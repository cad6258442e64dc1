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
#define SWR_STATUS_CODES(X)                          \
  X(kOk, 0, "ok")                                    \
  X(kUnknown, -1, "error")                           \
  X(kInvalidArgument, -2, "invalid argument")        \
  X(kNotFound, -3, "not found")                      \
  X(kAlreadyExists, -4, "already exists")            \
  X(kUnauthenticated, -5, "authentication failed")   \
  X(kPermissionDenied, -6, "permission denied")      \
  X(kRateLimited, -7, "rate limited")                \
  X(kTimeout, -8, "timeout")                         \
  X(kUnavailable, -9, "service unavailable")         \
  X(kDigestMismatch, -10, "digest mismatch")         \
  X(kProtocol, -11, "protocol error")                \
  X(kUnsupported, -12, "unsupported")                \
  X(kCancelled, -13, "cancelled")                    \
  X(kCallbackAborted, -14, "aborted by callback")    \
  X(kConflict, -15, "conflict")                      \
  X(kNetwork, -16, "network error")                  \
  X(kOutOfMemory, -17, "out of memory")              \
  X(kQuotaExceeded, -18, "quota exceeded")

enum class Code {
#define SWR_STATUS_CODE_ENUM(name, value, text) name = value,
  SWR_STATUS_CODES(SWR_STATUS_CODE_ENUM)
#undef SWR_STATUS_CODE_ENUM
};

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

  Status& WithHttpStatus(int s) { http_status_ = s; return *this; }
  Status& WithSwrCode(std::string c) { swr_code_ = std::move(c); return *this; }
  Status& WithRequestId(std::string r) { request_id_ = std::move(r); return *this; }

  // "not found: organization missing (HTTP 404, SVCSTG.SWR.4040058, request abc)"
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  int http_status_ = 0;
  std::string swr_code_;
  std::string request_id_;
};

inline Status OkStatus() { return Status(); }

template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
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

#define SWR_RETURN_IF_ERROR(expr)             \
  do {                                        \
    ::swr::Status swr_status_tmp_ = (expr);   \
    if (!swr_status_tmp_.ok()) return swr_status_tmp_; \
  } while (0)
