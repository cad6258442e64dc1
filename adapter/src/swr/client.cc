#include "swr/client.h"

#include "common/url.h"
#include "registry/factory.h"
#include "swr/hosts.h"

namespace swr {

StatusOr<std::unique_ptr<Client>> Client::Create(ClientConfig config) {
  std::unique_ptr<Client> c(new Client());
  http::ConnectionOptions conn = config.connection;
  if (config.registry_url.empty()) return Status(Code::kInvalidArgument, "the registry URL is empty");
  auto registry = ParseUrl(config.registry_url);
  if (!registry.ok()) return Status(Code::kInvalidArgument, "registry URL: " + registry.status().message());
  c->registry_ = *registry;
  SWR_RETURN_IF_ERROR(http::CheckPlainHttp(c->registry_, conn.allow_plain_http, "the registry URL"));
  auto creds = CredentialsFromAccessId(config.access_id, config.access_secret, config.secret_kind);
  if (!creds.ok()) return creds.status();
  c->credentials_ = std::move(creds).value();
  // One tenant, one rate limit: SWR's on its hosts by default, shared by
  // every client of this process for the same registry and project.
  if (conn.host_limits.requests_per_second == 0 && IsSwrRegistryHost(c->registry_.Authority())) {
    conn.host_limits.requests_per_second = http::kSwrRequestsPerSecond;
  }
  if (conn.host_limits.requests_per_second < 0) conn.host_limits.requests_per_second = 0;
  if (conn.limit_group.empty()) {
    conn.limit_group = "swr|" + c->registry_.Authority() + "|" + c->credentials_.project;
  }

  c->logger_ = http::LoggerFor(conn);
  c->logger_.redactor().AddSecret(config.access_secret);
  c->logger_.redactor().AddSecret(c->credentials_.login_key);

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
    SWR_RETURN_IF_ERROR(http::CheckPlainHttp(mo.endpoint, conn.allow_plain_http, "the management URL"));
    mo.endpoint.path.clear();
    mo.endpoint.query.clear();
  } else {
    mo.endpoint = ManagementEndpointFor(c->registry_);
  }
  mo.project_id = config.project_id;
  mo.signing = config.signing;

  c->transport_ = http::MakeTransport(conn, c->logger_, config.transport);
  c->management_ = std::make_unique<ManagementClient>(c->transport_, c->credentials_, mo, conn.clock);
  c->registry_client_ = registry::MakeRegistryClient(
      c->registry_, {c->credentials_.registry_user(), c->credentials_.login_key}, conn, c->logger_, c->transport_);
  return c;
}

}  // namespace swr
