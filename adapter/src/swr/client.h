// One configured connection to an SWR region: credentials, transport with
// retries, logging, and the management API. The C ABI's swr_client and
// swrctl both build on this.
#pragma once

#include <memory>
#include <string>

#include "auth/credentials.h"
#include "common/clock.h"
#include "common/log.h"
#include "http/connection.h"
#include "registry/registry_client.h"
#include "swr/management_client.h"

namespace swr {

struct ClientConfig {
  std::string registry_url;
  std::string access_id;      // "<project>@<AK>"
  std::string access_secret;  // SK, login key, or "temp:" + a temporary login password
  SecretKind secret_kind = SecretKind::kAuto;
  std::string project_id;
  std::string management_url;  // optional override
  SigningOptions signing;
  // TLS, timeouts, retries, limits (per client: registry and API host
  // together), proxy, logging. The redactor learns the secrets.
  http::ConnectionOptions connection;
  // Tests may replace the network (the limits and retries still apply).
  std::shared_ptr<http::Transport> transport;
};

class Client {
 public:
  static StatusOr<std::unique_ptr<Client>> Create(ClientConfig config);

  ManagementClient& management() { return *management_; }
  // The registry API of the same host, with "<project>@<AK>" and the login key.
  const std::shared_ptr<registry::RegistryClient>& registry_client() const { return registry_client_; }
  const Credentials& credentials() const { return credentials_; }
  const Url& registry() const { return registry_; }
  const Logger& logger() const { return logger_; }

 private:
  Client() = default;
  Url registry_;
  Credentials credentials_;
  Logger logger_;
  std::shared_ptr<http::Transport> transport_;
  std::unique_ptr<ManagementClient> management_;
  std::shared_ptr<registry::RegistryClient> registry_client_;
};

}  // namespace swr
