// SWR's host names, matched exactly: a host that merely contains or starts
// like one (swr.eu-de.otc.t-systems.com.attacker.example) is not SWR and gets
// neither the login key nor signed management requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace swr {

struct SwrHost {
  std::string region;  // "eu-de"
  std::string domain;  // "otc.t-systems.com", "sc.otc.t-systems.com", "myhuaweicloud.com", "myhuaweicloud.eu"
  bool api = false;    // "swr-api." (management) rather than "swr." (registry)
};

// Parses "swr.<region>.<domain>" or "swr-api.<region>.<domain>" (no port,
// lower or upper case) for the domains above; nullopt for anything else.
std::optional<SwrHost> ParseSwrHost(std::string_view host);

// True for an SWR registry host ("swr.<region>.<domain>"), with or without ":port".
bool IsSwrRegistryHost(std::string_view host_and_port);

}  // namespace swr
