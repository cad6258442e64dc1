#include "capi/capi_internal.h"

// The C codes and the core's come from one table (common/status.h); any
// drift between it and swr.h fails the build here.
static_assert(static_cast<int>(swr::Code::kOk) == SWR_OK && static_cast<int>(swr::Code::kUnknown) == SWR_ERROR &&
                  static_cast<int>(swr::Code::kInvalidArgument) == SWR_EINVALID &&
                  static_cast<int>(swr::Code::kNotFound) == SWR_ENOTFOUND &&
                  static_cast<int>(swr::Code::kAlreadyExists) == SWR_EEXISTS &&
                  static_cast<int>(swr::Code::kUnauthenticated) == SWR_EAUTH &&
                  static_cast<int>(swr::Code::kPermissionDenied) == SWR_EDENIED &&
                  static_cast<int>(swr::Code::kRateLimited) == SWR_ERATELIMIT &&
                  static_cast<int>(swr::Code::kTimeout) == SWR_ETIMEOUT &&
                  static_cast<int>(swr::Code::kUnavailable) == SWR_EUNAVAILABLE &&
                  static_cast<int>(swr::Code::kDigestMismatch) == SWR_EDIGEST &&
                  static_cast<int>(swr::Code::kProtocol) == SWR_EPROTOCOL &&
                  static_cast<int>(swr::Code::kUnsupported) == SWR_EUNSUPPORTED &&
                  static_cast<int>(swr::Code::kCancelled) == SWR_ECANCELLED &&
                  static_cast<int>(swr::Code::kCallbackAborted) == SWR_EUSER &&
                  static_cast<int>(swr::Code::kConflict) == SWR_ECONFLICT &&
                  static_cast<int>(swr::Code::kNetwork) == SWR_ENETWORK &&
                  static_cast<int>(swr::Code::kOutOfMemory) == SWR_ENOMEM &&
                  static_cast<int>(swr::Code::kQuotaExceeded) == SWR_EQUOTA,
              "every swr_error_code has its line in the status table");

static_assert(static_cast<int>(swr::Reason::kNone) == SWR_REASON_NONE &&
                  static_cast<int>(swr::Reason::kTls) == SWR_REASON_TLS &&
                  static_cast<int>(swr::Reason::kDns) == SWR_REASON_DNS &&
                  static_cast<int>(swr::Reason::kRefused) == SWR_REASON_REFUSED &&
                  static_cast<int>(swr::Reason::kConnection) == SWR_REASON_CONNECTION &&
                  static_cast<int>(swr::Reason::kTimeout) == SWR_REASON_TIMEOUT &&
                  static_cast<int>(swr::Reason::kTooSlow) == SWR_REASON_TOO_SLOW &&
                  static_cast<int>(swr::Reason::kAuth) == SWR_REASON_AUTH &&
                  static_cast<int>(swr::Reason::kForbidden) == SWR_REASON_FORBIDDEN &&
                  static_cast<int>(swr::Reason::kNotFound) == SWR_REASON_NOT_FOUND &&
                  static_cast<int>(swr::Reason::kRateLimited) == SWR_REASON_RATE_LIMITED &&
                  static_cast<int>(swr::Reason::kQuota) == SWR_REASON_QUOTA &&
                  static_cast<int>(swr::Reason::kConflict) == SWR_REASON_CONFLICT &&
                  static_cast<int>(swr::Reason::kExists) == SWR_REASON_EXISTS &&
                  static_cast<int>(swr::Reason::kOciIndexRefused) == SWR_REASON_OCI_INDEX_REFUSED &&
                  static_cast<int>(swr::Reason::kInvalidInput) == SWR_REASON_INVALID_INPUT &&
                  static_cast<int>(swr::Reason::kServer) == SWR_REASON_SERVER &&
                  static_cast<int>(swr::Reason::kProtocol) == SWR_REASON_PROTOCOL &&
                  static_cast<int>(swr::Reason::kDigestMismatch) == SWR_REASON_DIGEST_MISMATCH &&
                  static_cast<int>(swr::Reason::kUnsupported) == SWR_REASON_UNSUPPORTED &&
                  static_cast<int>(swr::Reason::kCancelled) == SWR_REASON_CANCELLED &&
                  static_cast<int>(swr::Reason::kAborted) == SWR_REASON_ABORTED &&
                  static_cast<int>(swr::Reason::kOutOfMemory) == SWR_REASON_OUT_OF_MEMORY &&
                  static_cast<int>(swr::Reason::kInternal) == SWR_REASON_INTERNAL,
              "every swr_error_reason has its line in the reason table");

namespace swr::capi {

char* CopyString(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

static int Fill(swr_error** err, int code, int http, const std::string& msg, const std::string& swr_code,
                const std::string& request_id, const Status& status) {
  if (!err) return code;
  auto* e = static_cast<swr_error*>(std::calloc(1, sizeof(swr_error)));
  if (!e) {
    *err = nullptr;
    return code;
  }
  e->code = code;
  e->http_status = http;
  e->message = CopyString(msg);
  e->swr_code = CopyString(swr_code);
  e->request_id = CopyString(request_id);
  e->reason = static_cast<int>(status.reason());
  e->retryable = status.retryable() ? 1 : 0;
  if (!e->message || !e->swr_code || !e->request_id) {
    swr_error_free(e);
    *err = nullptr;
    return code;
  }
  *err = e;
  return code;
}

int SetError(swr_error** err, const Status& status) {
  int code = static_cast<int>(status.code());
  std::string message = status.ToString();
  if (status.reason() == Reason::kTls) message += http::kTlsHint;
  return Fill(err, code, status.http_status(), message, status.swr_code(), status.request_id(), status);
}

int SetError(swr_error** err, int code, const std::string& message) {
  return Fill(err, code, 0, message, "", "", Status(static_cast<Code>(code), message));
}

void RedactError(swr_error* e, Redactors redactors) noexcept {
  try {
    std::string msg = e->message ? e->message : "";
    for (const Redactor* r : redactors) {
      if (r) msg = r->Redact(msg);
    }
    Redactor patterns_only;
    msg = patterns_only.RedactLine(msg);
    char* m = CopyString(msg);
    if (m) {
      std::free(e->message);
      e->message = m;
    }
    for (char** field : {&e->swr_code, &e->request_id}) {
      if (*field) {
        std::string clean = StripControl(*field, false).substr(0, 128);
        std::strcpy(*field, clean.c_str());  // never longer than before
      }
    }
  } catch (...) {
    // Out of memory while redacting: hand out no text rather than unredacted text.
    if (e->message) e->message[0] = '\0';
  }
}

std::unique_ptr<Redactor> RedactorFor(std::initializer_list<const char*> secrets) noexcept {
  try {
    auto r = std::make_unique<Redactor>();
    for (const char* s : secrets) {
      if (s) r->AddSecret(s);
    }
    return r;
  } catch (...) {
    return nullptr;
  }
}

LogSink CLogSink(swr_log_cb cb, void* payload) {
  return [cb, payload](LogLevel level, const std::string& msg) {
    try {
      cb(static_cast<int>(level), msg.c_str(), payload);
    } catch (...) {
    }
  };
}

LogLevel CLogLevel(int level) {
  return static_cast<LogLevel>(level < 0 ? 0 : (level > 3 ? 3 : level));
}

}  // namespace swr::capi

extern "C" {

void swr_error_free(swr_error* err) {
  if (!err) return;
  std::free(err->message);
  std::free(err->swr_code);
  std::free(err->request_id);
  std::free(err);
}

void swr_string_free(char* s) {
  std::free(s);
}

const char* swr_error_string(int code) {
  const char* text = swr::CodeNameOrNull(code);
  return text ? text : "unknown error code";
}

const char* swr_error_reason_string(int reason) {
  if (reason < 0 || reason > static_cast<int>(swr::Reason::kInternal)) return "unknown";
  return swr::ReasonName(static_cast<swr::Reason>(reason));
}

const char* swr_version(int* major, int* minor, int* patch) {
  if (major) *major = SWR_VERSION_MAJOR;
  if (minor) *minor = SWR_VERSION_MINOR;
  if (patch) *patch = SWR_VERSION_PATCH;
  return SWR_LIBRARY_VERSION;
}

int swr_cancel_token_new(swr_cancel_token** out, swr_error** err) {
  return swr::capi::Guard(err, [&]() -> int {
    if (!out) return swr::capi::SetError(err, SWR_EINVALID, "swr_cancel_token_new: out is NULL");
    *out = new swr_cancel_token();
    return SWR_OK;
  });
}

void swr_cancel_token_cancel(swr_cancel_token* token) {
  swr::capi::Quietly([&] {
    if (token) token->token->Cancel();
  });
}

int swr_cancel_token_cancelled(const swr_cancel_token* token) {
  return token && token->token->cancelled() ? 1 : 0;
}

void swr_cancel_token_free(swr_cancel_token* token) {
  swr::capi::Quietly([&] { delete token; });
}

}  // extern "C"
