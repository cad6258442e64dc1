#include "registry/docker_config.h"

#include "common/base64.h"
#include "common/json.h"
#include "common/url.h"

namespace swr::registry {

std::optional<BasicCredentials> DockerConfigCredentials(std::string_view config_json, std::string_view host) {
  auto json = Json::Parse(config_json);
  if (!json.ok()) return std::nullopt;
  auto auths = json->Find("auths");
  if (!auths || !auths->IsObject()) return std::nullopt;
  std::string want = ToLower(host);
  for (const auto& key : auths->Keys()) {
    std::string k = ToLower(key);
    for (std::string_view prefix : {"https://", "http://"}) {
      if (k.rfind(prefix, 0) == 0) k = k.substr(prefix.size());
    }
    k = k.substr(0, k.find('/'));
    if (k != want) continue;
    auto entry = auths->Find(key);
    if (!entry || !entry->IsObject()) continue;
    std::string user = entry->GetString("username"), pass = entry->GetString("password");
    std::string decoded;
    if (user.empty() && Base64Decode(entry->GetString("auth"), &decoded)) {
      size_t colon = decoded.find(':');
      if (colon == std::string::npos) continue;
      user = decoded.substr(0, colon);
      pass = decoded.substr(colon + 1);
    }
    if (!user.empty()) return BasicCredentials{user, pass};
  }
  return std::nullopt;
}

}  // namespace swr::registry
