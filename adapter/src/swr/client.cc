#include "swr/client.h"

#include "common/url.h"

namespace swr {

std::string DefaultUserAgent() { return std::string("otc-swr-adapter/") + SWR_LIBRARY_VERSION; }

std::shared_ptr<http::Transport> MakeTransport(bool insecure, const std::string& ca_pem, std::chrono::milliseconds timeout,
                                               const http::RetryPolicy& retry, const std::string& user_agent,
                                               const Logger& logger, std::shared_ptr<Clock> clock,
                                               const http::HostLimits& limits) {
  http::TransportOptions to;
  to.insecure = insecure;
  to.ca_pem = ca_pem;
  to.timeout = timeout;
  to.user_agent = user_agent.empty() ? DefaultUserAgent() : user_agent;
  to.logger = logger;
  std::shared_ptr<http::Transport> t = http::NewHttpTransport(to);
  if (limits.enabled()) t = std::make_shared<http::LimitingTransport>(t, limits, logger);
  return std::make_shared<http::RetryingTransport>(t, retry, std::move(clock), logger);
}

Status CheckPlainHttp(const Url& url, bool allowed, std::string_view what) {
  if (url.scheme != "http" || allowed || IsLoopbackHost(url.host)) return OkStatus();
  return Status(Code::kInvalidArgument,
                std::string(what) + " uses plain http:// to " + url.host +
                    ": credentials and images would cross the network unencrypted; use https:// or allow plain HTTP "
                    "explicitly");
}

StatusOr<std::shared_ptr<registry::RegistryClient>> MakeRegistryClient(const RegistryConfig& config) {
  if (config.url.empty()) return Status(Code::kInvalidArgument, "the registry URL is empty");
  auto url = ParseUrl(config.url);
  if (!url.ok()) return Status(Code::kInvalidArgument, "registry URL: " + url.status().message());
  SWR_RETURN_IF_ERROR(CheckPlainHttp(*url, config.allow_plain_http, "the registry URL"));
  auto redactor = config.redactor ? config.redactor : std::make_shared<Redactor>();
  Logger logger(config.log_sink, config.log_level, redactor);
  registry::RegistryOptions ro;
  ro.base = *url;
  ro.base.path.clear();
  ro.base.query.clear();
  ro.credentials = config.credentials;
  ro.pipe_capacity = config.pipe_capacity;
  ro.allow_insecure_redirects = config.allow_insecure_redirects;
  ro.clock = config.clock;
  ro.logger = logger;
  auto transport =
      MakeTransport(config.insecure, config.ca_pem, config.timeout, config.retry, config.user_agent, logger, config.clock,
                    config.host_limits);
  return std::make_shared<registry::RegistryClient>(transport, ro);
}

StatusOr<std::unique_ptr<Client>> Client::Create(ClientConfig config) {
  std::unique_ptr<Client> c(new Client());
  if (config.registry_url.empty()) return Status(Code::kInvalidArgument, "the registry URL is empty");
  auto registry = ParseUrl(config.registry_url);
  if (!registry.ok()) return Status(Code::kInvalidArgument, "registry URL: " + registry.status().message());
  c->registry_ = *registry;
  SWR_RETURN_IF_ERROR(CheckPlainHttp(c->registry_, config.allow_plain_http, "the registry URL"));
  auto creds = CredentialsFromAccessId(config.access_id, config.access_secret, config.secret_kind);
  if (!creds.ok()) return creds.status();
  c->credentials_ = std::move(creds).value();

  auto redactor = config.redactor ? config.redactor : std::make_shared<Redactor>();
  redactor->AddSecret(config.access_secret);
  redactor->AddSecret(c->credentials_.login_key);
  c->logger_ = Logger(config.log_sink, config.log_level, redactor);

  ManagementOptions mo;
  if (c->credentials_.login_key_only()) {
    // The legacy /dockyard/v2 paths live on the registry host (Harbor's huawei
    // adapter and every other public user call them there), not on swr-api.
    mo.endpoint = c->registry_;
    mo.endpoint.path.clear();
    mo.endpoint.query.clear();
  } else if (!config.management_url.empty()) {
    auto m = ParseUrl(config.management_url);
    if (!m.ok()) return Status(Code::kInvalidArgument, "management URL: " + m.status().message());
    mo.endpoint = *m;
    SWR_RETURN_IF_ERROR(CheckPlainHttp(mo.endpoint, config.allow_plain_http, "the management URL"));
    mo.endpoint.path.clear();
    mo.endpoint.query.clear();
  } else {
    mo.endpoint = ManagementEndpointFor(c->registry_);
  }
  mo.project_id = config.project_id;
  mo.signing = config.signing;

  if (config.transport) {
    std::shared_ptr<http::Transport> t = config.transport;
    if (config.host_limits.enabled()) t = std::make_shared<http::LimitingTransport>(t, config.host_limits, c->logger_);
    c->transport_ = std::make_shared<http::RetryingTransport>(t, config.retry, config.clock, c->logger_);
  } else {
    c->transport_ = MakeTransport(config.insecure, config.ca_pem, config.timeout, config.retry, config.user_agent,
                                  c->logger_, config.clock, config.host_limits);
  }
  c->management_ = std::make_unique<ManagementClient>(c->transport_, c->credentials_, mo, config.clock);
  registry::RegistryOptions ro;
  ro.base = c->registry_;
  ro.base.path.clear();
  ro.base.query.clear();
  ro.credentials = {c->credentials_.registry_user(), c->credentials_.login_key};
  ro.pipe_capacity = config.pipe_capacity;
  ro.clock = config.clock;
  ro.logger = c->logger_;
  c->registry_client_ = std::make_shared<registry::RegistryClient>(c->transport_, ro);
  return c;
}

}  // namespace swr
