// SDK-HMAC-SHA256 request signing for Open Telekom Cloud / Huawei Cloud APIs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/canonical.h"
#include "common/clock.h"
#include "common/status.h"

namespace swr {

enum class SignatureFormat {
  kAccess,      // "Access=AK" (APIG v2, Huawei SDK v3): the default
  kCredential,  // "Credential=AK/date/region/service/sdk_request" (gophertelekomcloud)
};

struct SignableRequest {
  std::string method;
  std::string url;
  // Headers as they will be sent. A "Host" here wins over the URL's host; an
  // "X-Sdk-Date" here is used as the signing time.
  HeaderList headers;
  std::string_view body;
  // When set, used verbatim instead of SHA-256(body) (e.g. for streamed
  // bodies or "UNSIGNED-PAYLOAD"). An X-Sdk-Content-Sha256 header has the
  // same effect.
  std::optional<std::string> payload_hash;
};

struct SigningOptions {
  SignatureFormat format = SignatureFormat::kAccess;
  std::string region;   // credential format only
  std::string service;  // credential format only
  // Names of the headers to sign. Empty: "host", "x-sdk-date" and every
  // header of the request.
  std::vector<std::string> signed_headers;
};

// "host;x-sdk-date" -> {"host", "x-sdk-date"}; empty parts dropped.
std::vector<std::string> ParseSignedHeaders(std::string_view list);

struct SignedRequest {
  std::string authorization;  // the Authorization header value
  std::string sdk_date;       // the X-Sdk-Date header value
  std::string host;           // the Host header value that was signed
  std::string canonical_request;
  std::string string_to_sign;
  // Headers the caller must add when sending: X-Sdk-Date (if it was not in
  // the request) and Authorization.
  HeaderList headers_to_add;
};

class Signer {
 public:
  Signer(std::string access_key, std::string secret_key, std::shared_ptr<Clock> clock = DefaultClock());

  StatusOr<SignedRequest> Sign(const SignableRequest& request, const SigningOptions& options = {}) const;

  const std::string& access_key() const { return access_key_; }

 private:
  std::string access_key_;
  std::string secret_key_;
  std::shared_ptr<Clock> clock_;
};

bool ParseSignatureFormat(std::string_view text, SignatureFormat* out);

}  // namespace swr
