#include "auth/credentials.h"

#include <cctype>

#include "auth/crypto.h"
#include "common/url.h"

namespace swr {

std::string LoginKey(std::string_view access_key, std::string_view secret_key) {
  return HexEncode(HmacSha256(secret_key, access_key));
}

bool LooksLikeLoginKey(std::string_view secret) {
  if (secret.size() != 64) return false;
  for (char c : secret) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

StatusOr<Credentials> CredentialsFromParts(std::string_view project, std::string_view access_key,
                                           std::string_view secret) {
  std::string p = Trim(project), ak = Trim(access_key);
  if (p.empty()) return Status(Code::kInvalidArgument, "the project name is empty (expected e.g. 'eu-de')");
  if (ak.empty()) return Status(Code::kInvalidArgument, "the access key (AK) is empty");
  if (secret.empty()) return Status(Code::kInvalidArgument, "the secret (SK or login key) is empty");
  for (char c : ak) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      return Status(Code::kInvalidArgument, "the access key (AK) may only contain letters and digits");
    }
  }
  Credentials c;
  c.project = std::move(p);
  c.access_key = std::move(ak);
  if (LooksLikeLoginKey(secret)) {
    c.login_key = ToLower(secret);
  } else {
    c.secret_key = std::string(secret);
    c.login_key = LoginKey(c.access_key, c.secret_key);
  }
  return c;
}

StatusOr<Credentials> CredentialsFromAccessId(std::string_view access_id, std::string_view secret) {
  size_t at = access_id.rfind('@');
  if (at == std::string_view::npos) {
    return Status(Code::kInvalidArgument,
                  "the Access ID must have the form '<project name>@<AK>' (e.g. 'eu-de@ACCESSKEY'), but has no '@'");
  }
  std::string_view project = access_id.substr(0, at);
  std::string_view ak = access_id.substr(at + 1);
  if (Trim(project).empty()) {
    return Status(Code::kInvalidArgument, "the Access ID '<project name>@<AK>' has an empty project name");
  }
  if (Trim(ak).empty()) {
    return Status(Code::kInvalidArgument, "the Access ID '<project name>@<AK>' has an empty AK");
  }
  return CredentialsFromParts(project, ak, secret);
}

}  // namespace swr
