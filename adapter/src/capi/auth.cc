#include "auth/credentials.h"
#include "auth/signer.h"
#include "capi/capi_internal.h"

using swr::capi::CopyString;
using swr::capi::Guard;
using swr::capi::SetError;

namespace {

// A clock that always answers one instant: a fixed X-Sdk-Date.
class FixedClock final : public swr::Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
  std::chrono::system_clock::time_point Now() const override { return t_; }
  void SleepFor(std::chrono::milliseconds) override {}

 private:
  std::chrono::system_clock::time_point t_;
};

}  // namespace

extern "C" {

int swr_sign_request_init(swr_sign_request* request, uint32_t version) {
  if (!request || version != SWR_SIGN_REQUEST_VERSION) return SWR_EINVALID;
  *request = swr_sign_request{};
  request->version = version;
  request->format = SWR_SIGN_ACCESS;
  return SWR_OK;
}

int swr_request_sign(swr_signature** out, const swr_sign_request* request, swr_error** err) {
  auto given = swr::capi::RedactorFor({request ? request->secret_key : nullptr});
  return Guard(err, {given.get()}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_request_sign: out is NULL");
    *out = nullptr;
    if (!request) return SetError(err, SWR_EINVALID, "swr_request_sign: request is NULL");
    if (request->version != SWR_SIGN_REQUEST_VERSION) {
      return SetError(err, SWR_EINVALID, "swr_request_sign: unsupported swr_sign_request version");
    }
    if (!request->method || !request->url || !request->access_key || !request->secret_key) {
      return SetError(err, SWR_EINVALID, "swr_request_sign: method, url, access_key and secret_key are required");
    }
    if (request->header_count && !request->headers) {
      return SetError(err, SWR_EINVALID, "swr_request_sign: headers is NULL");
    }
    if (request->body_len && !request->body) return SetError(err, SWR_EINVALID, "swr_request_sign: body is NULL");
    std::shared_ptr<swr::Clock> clock = swr::DefaultClock();
    if (request->sdk_date) {
      std::chrono::system_clock::time_point t;
      if (!swr::ParseSdkDate(request->sdk_date, &t)) {
        return SetError(err, SWR_EINVALID, "swr_request_sign: sdk_date must look like 20060102T150405Z");
      }
      clock = std::make_shared<FixedClock>(t);
    }
    swr::SignableRequest sr;
    sr.method = request->method;
    sr.url = request->url;
    for (size_t i = 0; i < request->header_count; ++i) {
      const swr_header& h = request->headers[i];
      if (!h.name || !h.value)
        return SetError(err, SWR_EINVALID, "swr_request_sign: a header has a NULL name or value");
      sr.headers.emplace_back(h.name, h.value);
    }
    sr.body = std::string_view(static_cast<const char*>(request->body), request->body_len);
    swr::SigningOptions opts;
    if (request->format != SWR_SIGN_ACCESS && request->format != SWR_SIGN_CREDENTIAL) {
      return SetError(err, SWR_EINVALID, "swr_request_sign: unknown signature format");
    }
    opts.format =
        request->format == SWR_SIGN_CREDENTIAL ? swr::SignatureFormat::kCredential : swr::SignatureFormat::kAccess;
    if (request->region) opts.region = request->region;
    if (request->service) opts.service = request->service;
    if (request->signed_headers) {
      opts.signed_headers = swr::ParseSignedHeaders(request->signed_headers);
      if (opts.signed_headers.empty()) return SetError(err, SWR_EINVALID, "swr_request_sign: signed_headers is empty");
    }
    swr::Signer signer(request->access_key, request->secret_key, clock);
    auto signed_req = signer.Sign(sr, opts);
    if (!signed_req.ok()) return SetError(err, signed_req.status());
    auto* sig = static_cast<swr_signature*>(std::calloc(1, sizeof(swr_signature)));
    if (!sig) return swr::capi::OutOfMemory(err);
    sig->authorization = CopyString(signed_req->authorization);
    sig->sdk_date = CopyString(signed_req->sdk_date);
    sig->host = CopyString(signed_req->host);
    sig->canonical_request = CopyString(signed_req->canonical_request);
    sig->string_to_sign = CopyString(signed_req->string_to_sign);
    if (!sig->authorization || !sig->sdk_date || !sig->host || !sig->canonical_request || !sig->string_to_sign) {
      swr_signature_free(sig);
      return swr::capi::OutOfMemory(err);
    }
    *out = sig;
    return SWR_OK;
  });
}

void swr_signature_free(swr_signature* sig) {
  if (!sig) return;
  std::free(sig->authorization);
  std::free(sig->sdk_date);
  std::free(sig->host);
  std::free(sig->canonical_request);
  std::free(sig->string_to_sign);
  std::free(sig);
}

int swr_login_key_derive(char** out, const char* access_key, const char* secret_key, swr_error** err) {
  auto given = swr::capi::RedactorFor({secret_key});
  return Guard(err, {given.get()}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_login_key_derive: out is NULL");
    *out = nullptr;
    if (!access_key || !*access_key || !secret_key || !*secret_key) {
      return SetError(err, SWR_EINVALID, "swr_login_key_derive: the access key and the secret key must not be empty");
    }
    *out = CopyString(swr::LoginKey(access_key, secret_key));
    return *out ? SWR_OK : swr::capi::OutOfMemory(err);
  });
}

}  // extern "C"
