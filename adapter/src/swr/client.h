// One configured connection to an SWR region: credentials, transport with
// retries, logging, and the management API. The C ABI's swr_client and
// swrctl both build on this.
#pragma once

#include <memory>
#include <string>

#include "auth/credentials.h"
#include "common/clock.h"
#include "common/log.h"
#include "http/host_limits.h"
#include "http/retry.h"
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
  bool insecure = false;
  // http:// to a host other than this machine is refused unless set.
  bool allow_plain_http = false;
  std::string ca_pem;
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  http::RetryPolicy retry;
  http::HostLimits host_limits;  // per client (registry and API host together); default: none
  std::string user_agent;
  SigningOptions signing;
  LogSink log_sink;
  LogLevel log_level = LogLevel::kWarn;
  // Shared with other clients of one run (swrctl); null: a new one.
  std::shared_ptr<Redactor> redactor;
  size_t pipe_capacity = http::BodyPipe::kDefaultCapacity;  // per blob stream
  std::shared_ptr<Clock> clock = DefaultClock();
  // Tests may replace the network.
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

// Any registry (SWR's or another): what every front end needs to say.
struct RegistryConfig {
  std::string url;               // https://host[:port]; no scheme means https
  registry::Credentials credentials;
  bool insecure = false;
  bool allow_plain_http = false;        // http:// to a non-loopback host
  bool allow_insecure_redirects = false;  // https -> http blob redirects
  std::string ca_pem;
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  http::RetryPolicy retry;
  http::HostLimits host_limits;  // default: none
  std::string user_agent;
  size_t pipe_capacity = http::BodyPipe::kDefaultCapacity;
  LogSink log_sink;
  LogLevel log_level = LogLevel::kWarn;
  std::shared_ptr<Redactor> redactor;  // null: a new one
  std::shared_ptr<Clock> clock = DefaultClock();
};

// The one way to build a registry client (swrctl, the C ABI, Client).
StatusOr<std::shared_ptr<registry::RegistryClient>> MakeRegistryClient(const RegistryConfig& config);

// Builds the transport stack (libcurl, the host limits when set, retries)
// for a registry or API host.
std::shared_ptr<http::Transport> MakeTransport(bool insecure, const std::string& ca_pem, std::chrono::milliseconds timeout,
                                               const http::RetryPolicy& retry, const std::string& user_agent,
                                               const Logger& logger, std::shared_ptr<Clock> clock,
                                               const http::HostLimits& limits = {});

std::string DefaultUserAgent();

// kInvalidArgument for http:// to a non-loopback host unless `allowed`.
Status CheckPlainHttp(const Url& url, bool allowed, std::string_view what);

}  // namespace swr
