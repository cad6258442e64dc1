#include "capi/capi_internal.h"

namespace swr::capi {

int CodeToC(Code code) {
  switch (code) {
    case Code::kOk: return SWR_OK;
    case Code::kUnknown: return SWR_ERROR;
    case Code::kInvalidArgument: return SWR_EINVALID;
    case Code::kNotFound: return SWR_ENOTFOUND;
    case Code::kAlreadyExists: return SWR_EEXISTS;
    case Code::kUnauthenticated: return SWR_EAUTH;
    case Code::kPermissionDenied: return SWR_EDENIED;
    case Code::kRateLimited: return SWR_ERATELIMIT;
    case Code::kTimeout: return SWR_ETIMEOUT;
    case Code::kUnavailable: return SWR_EUNAVAILABLE;
    case Code::kDigestMismatch: return SWR_EDIGEST;
    case Code::kProtocol: return SWR_EPROTOCOL;
    case Code::kUnsupported: return SWR_EUNSUPPORTED;
    case Code::kCancelled: return SWR_ECANCELLED;
    case Code::kCallbackAborted: return SWR_EUSER;
    case Code::kConflict: return SWR_ECONFLICT;
    case Code::kNetwork: return SWR_ENETWORK;
    case Code::kQuotaExceeded: return SWR_EQUOTA;
  }
  return SWR_ERROR;
}

char* CopyString(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

static int Fill(swr_error** err, int code, int http, const std::string& msg, const std::string& swr_code,
                const std::string& request_id) {
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
  if (!e->message || !e->swr_code || !e->request_id) {
    swr_error_free(e);
    *err = nullptr;
    return code;
  }
  *err = e;
  return code;
}

int SetError(swr_error** err, const Status& status) {
  int code = CodeToC(status.code());
  return Fill(err, code, status.http_status(), status.ToString(), status.swr_code(), status.request_id());
}

int SetError(swr_error** err, int code, const std::string& message) {
  return Fill(err, code, 0, message, "", "");
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

swr::LogSink CLogSink(swr_log_cb cb, void* payload) {
  return [cb, payload](swr::LogLevel level, const std::string& msg) {
    try {
      cb(static_cast<int>(level), msg.c_str(), payload);
    } catch (...) {
    }
  };
}

swr::LogLevel CLogLevel(int level) {
  return static_cast<swr::LogLevel>(level < 0 ? 0 : (level > 3 ? 3 : level));
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

void swr_string_free(char* s) { std::free(s); }

const char* swr_strerror(int code) {
  switch (code) {
    case SWR_OK: return "ok";
    case SWR_ERROR: return "error";
    case SWR_EINVALID: return "invalid argument";
    case SWR_ENOTFOUND: return "not found";
    case SWR_EEXISTS: return "already exists";
    case SWR_EAUTH: return "authentication failed";
    case SWR_EDENIED: return "permission denied";
    case SWR_ERATELIMIT: return "rate limited";
    case SWR_ETIMEOUT: return "timeout";
    case SWR_EUNAVAILABLE: return "service unavailable";
    case SWR_EDIGEST: return "digest mismatch";
    case SWR_EPROTOCOL: return "protocol error";
    case SWR_EUNSUPPORTED: return "unsupported";
    case SWR_ECANCELLED: return "cancelled";
    case SWR_EUSER: return "aborted by callback";
    case SWR_ECONFLICT: return "conflict";
    case SWR_ENETWORK: return "network error";
    case SWR_ENOMEM: return "out of memory";
    case SWR_EQUOTA: return "quota exceeded";
    default: return "unknown error code";
  }
}

const char* swr_version(int* major, int* minor, int* patch) {
  if (major) *major = SWR_VERSION_MAJOR;
  if (minor) *minor = SWR_VERSION_MINOR;
  if (patch) *patch = SWR_VERSION_PATCH;
  return "0.1.0";
}

}  // extern "C"
