// Harbor-style credentials for SWR: Access ID "<project name>@<AK>" and an
// Access Secret that is either the SK or, in compatibility mode, the login key.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace swr {

struct Credentials {
  std::string project;    // regional project name, e.g. "eu-de" or "eu-de_dev"
  std::string access_key;
  std::string secret_key;  // empty in login-key mode
  std::string login_key;   // always set: derived from the SK, or given

  // True when only a login key was given: management calls then use the
  // legacy basic-auth /dockyard/v2 paths.
  bool login_key_only() const { return secret_key.empty(); }
  // The registry user name: "<project>@<AK>".
  std::string registry_user() const { return project + "@" + access_key; }
};

// Lower-case hex HMAC-SHA256(key = SK, message = AK).
std::string LoginKey(std::string_view access_key, std::string_view secret_key);

// 64 hex digits.
bool LooksLikeLoginKey(std::string_view secret);

StatusOr<Credentials> CredentialsFromAccessId(std::string_view access_id, std::string_view secret);
StatusOr<Credentials> CredentialsFromParts(std::string_view project, std::string_view access_key,
                                           std::string_view secret);

}  // namespace swr
