// The one way to build a registry client (swrctl, the C ABI, the SWR
// client): a URL, credentials and the connection's options.
#pragma once

#include <memory>
#include <string>

#include "http/connection.h"
#include "registry/registry_client.h"

namespace swr::registry {

struct RegistryConfig {
  std::string url;               // https://host[:port]; no scheme means https
  BasicCredentials credentials;  // empty user name: anonymous
  http::ConnectionOptions connection;
};

StatusOr<std::shared_ptr<RegistryClient>> MakeRegistryClient(const RegistryConfig& config);

// A client on an existing transport stack (the SWR client shares its stack
// between the registry and the management API).
std::shared_ptr<RegistryClient> MakeRegistryClient(const Url& base, BasicCredentials credentials,
                                                   const http::ConnectionOptions& connection, const Logger& logger,
                                                   std::shared_ptr<http::Transport> transport);

// For a registry known only as "insecure" (image-syncer's word for an http
// registry or one whose TLS is not verified): "https://host" when it answers
// https (unverified) within 10 s, else "http://host". One request, not retried.
std::string ProbeRegistryUrl(const std::string& host, const http::ConnectionOptions& connection,
                             std::shared_ptr<CancelToken> cancel = nullptr);

}  // namespace swr::registry
