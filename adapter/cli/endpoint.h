// One place where swrctl turns options into connections: the facts every
// command shares (credentials, secret kind, CA, timeout, signing, logging)
// are read once, and each end (an SWR client or any registry) is built by
// the same two functions for org/repo/tag, login-key, copy and sync.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "args.h"
#include "cli_util.h"
#include "common/log.h"
#include "http/connection.h"
#include "http/host_limits.h"
#include "registry/registry_client.h"
#include "swr/client.h"

namespace swrctl {

struct EndpointFlags {
  CredentialInput creds;  // OS_* overridden by the credential options
  swr::SecretKind secret_kind = swr::SecretKind::kAuto;
  std::string management_url;
  swr::SigningOptions signing;
  // CA, timeout, proxy, logging ("swrctl: " lines on stderr; callers may
  // replace the sink): what every end shares. Each end adds its own TLS
  // and plain-http choice and its host limits.
  swr::http::ConnectionOptions connection;
};

// Reads the options `args` has of these (only those its command declares
// can be there). Returns "" or a usage error.
std::string ReadEndpointFlags(const Args& args, EndpointFlags* out);

// One end of the work.
struct EndpointSpec {
  std::string url;  // scheme://host[:port]
  bool insecure = false;
  bool plain_http = false;
  bool insecure_redirects = false;  // a source's https -> http blob redirects
  // SWR: "<project>@<AK>" and the secret; empty: the flags' credentials.
  std::string access_id, secret;
  // Another registry: user and password (empty: anonymous).
  swr::registry::BasicCredentials basic;
  swr::http::HostLimits limits;
};

// An SWR connection (registry and management API). A usage-shaped problem
// (no credentials) is kInvalidArgument with http_status 0.
swr::StatusOr<std::unique_ptr<swr::Client>> MakeSwrEndpoint(const EndpointFlags& flags, const EndpointSpec& spec);
swr::StatusOr<std::shared_ptr<swr::registry::RegistryClient>> MakeRegistryEndpoint(const EndpointFlags& flags,
                                                                                   const EndpointSpec& spec);

// user:password for `host` from the docker config (DOCKER_CONFIG or
// ~/.docker/config.json, auths), if any.
std::optional<swr::registry::BasicCredentials> DockerConfigFor(const std::string& host);

}  // namespace swrctl

namespace swrctl {

// The SWR connection of org, repo, tag and login-key --temporary: --registry
// (or SWR_REGISTRY), --insecure, --plain-http and the shared flags. A
// usage-shaped problem is kInvalidArgument with http_status 0.
swr::StatusOr<std::unique_ptr<swr::Client>> MakeClientFromArgs(const Args& args);

}  // namespace swrctl
