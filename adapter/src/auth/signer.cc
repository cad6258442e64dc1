#include "auth/signer.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/url.h"

namespace swr {
namespace {

constexpr const char* kAlgorithm = "SDK-HMAC-SHA256";

const std::string* FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return &v;
  }
  return nullptr;
}

bool ValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= ' ' || c == ':' || c == ';' || c == ',' || static_cast<unsigned char>(c) >= 127) return false;
  }
  return true;
}

}  // namespace

bool ParseSignatureFormat(std::string_view text, SignatureFormat* out) {
  if (EqualsIgnoreCase(text, "access")) {
    *out = SignatureFormat::kAccess;
    return true;
  }
  if (EqualsIgnoreCase(text, "credential")) {
    *out = SignatureFormat::kCredential;
    return true;
  }
  return false;
}

Signer::Signer(std::string access_key, std::string secret_key, std::shared_ptr<Clock> clock)
    : access_key_(std::move(access_key)), secret_key_(std::move(secret_key)), clock_(std::move(clock)) {}

StatusOr<SignedRequest> Signer::Sign(const SignableRequest& request, const SigningOptions& options) const {
  if (access_key_.empty() || secret_key_.empty()) {
    return Status(Code::kInvalidArgument, "signing needs an access key and a secret key");
  }
  if (request.method.empty()) return Status(Code::kInvalidArgument, "signing needs an HTTP method");
  auto url = ParseUrl(request.url);
  if (!url.ok()) return url.status();

  SignedRequest out;
  HeaderList headers = request.headers;
  for (const auto& [k, v] : headers) {
    if (!ValidHeaderName(k)) return Status(Code::kInvalidArgument, "invalid header name '" + k + "'");
    if (v.find_first_of("\r\n") != std::string::npos) {
      return Status(Code::kInvalidArgument, "header '" + k + "' has a line break in its value");
    }
  }

  if (const std::string* host = FindHeader(headers, "host")) {
    out.host = *host;
  } else {
    out.host = url->Authority();
    headers.emplace_back("Host", out.host);
  }
  if (const std::string* date = FindHeader(headers, "x-sdk-date")) {
    std::chrono::system_clock::time_point ignored;
    if (!ParseSdkDate(*date, &ignored)) {
      return Status(Code::kInvalidArgument, "X-Sdk-Date must look like 20060102T150405Z");
    }
    out.sdk_date = *date;
  } else {
    out.sdk_date = FormatSdkDate(clock_->Now());
    headers.emplace_back("X-Sdk-Date", out.sdk_date);
    out.headers_to_add.emplace_back("X-Sdk-Date", out.sdk_date);
  }

  std::vector<std::string> names;
  if (options.signed_headers.empty()) {
    for (const auto& [k, v] : headers) names.push_back(ToLower(k));
  } else {
    for (const auto& n : options.signed_headers) {
      std::string lower = ToLower(Trim(n));
      if (lower.empty()) continue;
      if (!FindHeader(headers, lower)) {
        return Status(Code::kInvalidArgument, "signed header '" + lower + "' is not in the request");
      }
      names.push_back(lower);
    }
    if (std::find(names.begin(), names.end(), "x-sdk-date") == names.end()) {
      return Status(Code::kInvalidArgument, "x-sdk-date must be among the signed headers");
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  std::string signed_headers;
  for (const auto& n : names) {
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += n;
  }

  std::string payload_hash;
  if (request.payload_hash) {
    payload_hash = *request.payload_hash;
  } else if (const std::string* h = FindHeader(headers, "x-sdk-content-sha256")) {
    payload_hash = Trim(*h);
  } else {
    payload_hash = Sha256Hex(request.body);
  }

  std::string method = request.method;
  std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });

  out.canonical_request = CanonicalRequest(method, CanonicalUri(url->path), CanonicalQuery(url->query),
                                           CanonicalHeaders(headers, names), signed_headers, payload_hash);
  std::string cr_hash = Sha256Hex(out.canonical_request);

  std::string signature;
  if (options.format == SignatureFormat::kAccess) {
    out.string_to_sign = std::string(kAlgorithm) + "\n" + out.sdk_date + "\n" + cr_hash;
    signature = HexEncode(HmacSha256(secret_key_, out.string_to_sign));
    out.authorization = std::string(kAlgorithm) + " Access=" + access_key_ + ", SignedHeaders=" + signed_headers +
                        ", Signature=" + signature;
  } else {
    std::string day = out.sdk_date.substr(0, 8);
    std::string scope = day + "/" + options.region + "/" + options.service + "/sdk_request";
    out.string_to_sign = std::string(kAlgorithm) + "\n" + out.sdk_date + "\n" + scope + "\n" + cr_hash;
    std::string k_date = HmacSha256("SDK" + secret_key_, day);
    std::string k_region = HmacSha256(k_date, options.region);
    std::string k_service = HmacSha256(k_region, options.service);
    std::string k_signing = HmacSha256(k_service, "sdk_request");
    signature = HexEncode(HmacSha256(k_signing, out.string_to_sign));
    out.authorization = std::string(kAlgorithm) + " Credential=" + access_key_ + "/" + scope +
                        ", SignedHeaders=" + signed_headers + ", Signature=" + signature;
  }
  out.headers_to_add.emplace_back("Authorization", out.authorization);
  return out;
}

std::vector<std::string> ParseSignedHeaders(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t semi = list.find(';', start);
    if (semi == std::string_view::npos) semi = list.size();
    if (semi > start) out.emplace_back(list.substr(start, semi - start));
    start = semi + 1;
  }
  return out;
}

}  // namespace swr
