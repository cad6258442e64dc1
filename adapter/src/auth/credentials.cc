#include "auth/credentials.h"

#include <cctype>

#include "common/crypto.h"
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

bool LooksLikeTemporaryPassword(std::string_view secret) {
  if (secret.size() < 48 || secret.size() == 64 || secret.size() > 1024) return false;
  for (char c : secret) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

StatusOr<Credentials> CredentialsFromParts(std::string_view project, std::string_view access_key,
                                           std::string_view secret, SecretKind kind) {
  if (kind == SecretKind::kAuto) {
    if (secret.substr(0, kTemporaryMarker.size()) == kTemporaryMarker) {
      kind = SecretKind::kTemporary;
      secret.remove_prefix(kTemporaryMarker.size());
    } else if (LooksLikeLoginKey(secret)) {
      kind = SecretKind::kLoginKey;
    } else {
      kind = LooksLikeTemporaryPassword(secret) ? SecretKind::kTemporary : SecretKind::kSecretKey;
    }
  } else if (kind == SecretKind::kTemporary && secret.substr(0, kTemporaryMarker.size()) == kTemporaryMarker) {
    secret.remove_prefix(kTemporaryMarker.size());
  }
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
  c.kind = kind;
  switch (kind) {
    case SecretKind::kLoginKey:
      if (!LooksLikeLoginKey(secret)) {
        return Status(Code::kInvalidArgument, "a long-term login key is 64 hexadecimal digits");
      }
      c.login_key = ToLower(secret);
      break;
    case SecretKind::kTemporary:
      if (secret.empty()) return Status(Code::kInvalidArgument, "the temporary login password is empty");
      c.login_key = std::string(secret);
      break;
    default:
      c.secret_key = std::string(secret);
      c.login_key = LoginKey(c.access_key, c.secret_key);
      break;
  }
  return c;
}

StatusOr<Credentials> CredentialsFromAccessId(std::string_view access_id, std::string_view secret, SecretKind kind) {
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
  return CredentialsFromParts(project, ak, secret, kind);
}

}  // namespace swr
