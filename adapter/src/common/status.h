// Status and StatusOr: how errors travel inside the core. No exception leaves
// a core function; the C ABI maps Status to an swr_error in one place.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace swr {

// One-to-one with the C ABI's negative codes (see include/swr/errors.h).
enum class Code {
  kOk = 0,
  kUnknown,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kUnauthenticated,
  kPermissionDenied,
  kRateLimited,
  kTimeout,
  kUnavailable,
  kDigestMismatch,
  kProtocol,
  kUnsupported,
  kCancelled,
  kCallbackAborted,
  kConflict,
  kNetwork,
  kQuotaExceeded,
};

const char* CodeName(Code code);

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
