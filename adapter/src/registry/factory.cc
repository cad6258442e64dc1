#include "registry/factory.h"

namespace swr::registry {

std::shared_ptr<RegistryClient> MakeRegistryClient(const Url& base, BasicCredentials credentials,
                                                   const http::ConnectionOptions& connection, const Logger& logger,
                                                   std::shared_ptr<http::Transport> transport) {
  RegistryOptions ro;
  ro.base = base;
  ro.base.path.clear();
  ro.base.query.clear();
  ro.credentials = std::move(credentials);
  ro.pipe_capacity = connection.pipe_capacity;
  ro.allow_insecure_redirects = connection.allow_insecure_redirects;
  ro.clock = connection.clock;
  ro.logger = logger;
  return std::make_shared<RegistryClient>(std::move(transport), ro);
}

StatusOr<std::shared_ptr<RegistryClient>> MakeRegistryClient(const RegistryConfig& config) {
  if (config.url.empty()) return Status(Code::kInvalidArgument, "the registry URL is empty");
  auto url = ParseUrl(config.url);
  if (!url.ok()) return Status(Code::kInvalidArgument, "registry URL: " + url.status().message());
  SWR_RETURN_IF_ERROR(http::CheckPlainHttp(*url, config.connection.allow_plain_http, "the registry URL"));
  Logger logger = http::LoggerFor(config.connection);
  return MakeRegistryClient(*url, config.credentials, config.connection, logger,
                            http::MakeTransport(config.connection, logger));
}

std::string ProbeRegistryUrl(const std::string& host, const http::ConnectionOptions& connection,
                             std::shared_ptr<CancelToken> cancel) {
  http::ConnectionOptions probe_options = connection;
  probe_options.insecure = true;
  probe_options.timeout = std::chrono::seconds(10);
  http::Request probe;
  probe.url = "https://" + host + "/v2/";
  probe.cancel = std::move(cancel);
  auto answer = http::NewHttpTransport(probe_options, http::LoggerFor(probe_options))->Send(probe);
  return (answer.ok() ? "https://" : "http://") + host;
}

}  // namespace swr::registry
