// Registry credentials from a docker config file (~/.docker/config.json).
#pragma once

#include <optional>
#include <string_view>

#include "registry/auth.h"

namespace swr::registry {

// The user name and password for `host` (host[:port]) in the "auths" section
// of a docker config.json: "username"/"password", or "auth" (base64 of
// "user:password"). Keys may carry a scheme and a path. nullopt when the
// file has no usable entry for the host, or is not a docker config.
std::optional<BasicCredentials> DockerConfigCredentials(std::string_view config_json, std::string_view host);

}  // namespace swr::registry
