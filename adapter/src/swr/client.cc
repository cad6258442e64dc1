#include "swr/client.h"

#include "common/url.h"

namespace swr {

std::string DefaultUserAgent() { return "otc-swr-adapter/0.1.0"; }

StatusOr<std::unique_ptr<Client>> Client::Create(ClientConfig config) {
  std::unique_ptr<Client> c(new Client());
  if (config.registry_url.empty()) return Status(Code::kInvalidArgument, "the registry URL is empty");
  auto registry = ParseUrl(config.registry_url);
  if (!registry.ok()) return Status(Code::kInvalidArgument, "registry URL: " + registry.status().message());
  c->registry_ = *registry;
  auto creds = CredentialsFromAccessId(config.access_id, config.access_secret);
  if (!creds.ok()) return creds.status();
  c->credentials_ = std::move(creds).value();

  auto redactor = std::make_shared<Redactor>();
  redactor->AddSecret(config.access_secret);
  redactor->AddSecret(c->credentials_.login_key);
  c->logger_ = Logger(config.log_sink, config.log_level, redactor);

  ManagementOptions mo;
  if (!config.management_url.empty()) {
    auto m = ParseUrl(config.management_url);
    if (!m.ok()) return Status(Code::kInvalidArgument, "management URL: " + m.status().message());
    mo.endpoint = *m;
    mo.endpoint.path.clear();
    mo.endpoint.query.clear();
  } else {
    mo.endpoint = ManagementEndpointFor(c->registry_);
  }
  mo.project_id = config.project_id;
  mo.signing = config.signing;

  std::shared_ptr<http::Transport> inner = config.transport;
  if (!inner) {
    http::TransportOptions to;
    to.insecure = config.insecure;
    to.ca_pem = config.ca_pem;
    to.timeout = config.timeout;
    to.user_agent = config.user_agent.empty() ? DefaultUserAgent() : config.user_agent;
    to.logger = c->logger_;
    inner = http::NewCppRestTransport(to);
  }
  c->transport_ = std::make_shared<http::RetryingTransport>(inner, config.retry, config.clock, c->logger_);
  c->management_ = std::make_unique<ManagementClient>(c->transport_, c->credentials_, mo, config.clock);
  return c;
}

}  // namespace swr
