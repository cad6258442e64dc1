// Harbor-style credentials for SWR: Access ID "<project name>@<AK>" and an
// Access Secret that is the SK, the long-term login key (compatibility mode),
// or a temporary docker login password.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace swr {

// What an Access Secret is. kAuto decides by its shape: "temp:<password>" is
// a temporary docker login password, 64 hex digits a long-term login key,
// other hex strings of 48 digits or more a temporary password as SWR shows
// them (an OTC SK has 40 characters of mixed case), anything else an SK. A
// temporary password of another form must carry the marker, or the caller
// says so.
enum class SecretKind { kAuto, kSecretKey, kLoginKey, kTemporary };
inline constexpr std::string_view kTemporaryMarker = "temp:";

struct Credentials {
  std::string project;  // regional project name, e.g. "eu-de" or "eu-de_dev"
  std::string access_key;
  std::string secret_key;  // empty unless an SK was given
  std::string login_key;   // the registry password: derived from the SK, or given (long-term or temporary)
  SecretKind kind = SecretKind::kSecretKey;  // resolved: never kAuto

  // True when no SK was given (a login key, long-term or temporary):
  // management calls then use the legacy basic-auth /dockyard/v2 paths.
  bool login_key_only() const { return secret_key.empty(); }
  // The registry user name: "<project>@<AK>".
  std::string registry_user() const { return project + "@" + access_key; }
};

// Lower-case hex HMAC-SHA256(key = SK, message = AK).
std::string LoginKey(std::string_view access_key, std::string_view secret_key);

// 64 hex digits.
bool LooksLikeLoginKey(std::string_view secret);
// Hex, 48 digits or more, not 64: SWR's temporary login passwords.
bool LooksLikeTemporaryPassword(std::string_view secret);

StatusOr<Credentials> CredentialsFromAccessId(std::string_view access_id, std::string_view secret,
                                              SecretKind kind = SecretKind::kAuto);
StatusOr<Credentials> CredentialsFromParts(std::string_view project, std::string_view access_key,
                                           std::string_view secret, SecretKind kind = SecretKind::kAuto);

}  // namespace swr
