#include <fmt/format.h>

#include "capi/capi_internal.h"
#include "registry/reference.h"

using swr::capi::CopyString;
using swr::capi::Guard;
using swr::capi::SetError;

namespace {

std::string Str(const char* s) { return s ? std::string(s) : std::string(); }

bool FillOrganization(swr_organization* o, const swr::Organization& src) {
  o->id = src.id;
  o->auth = src.auth;
  o->name = CopyString(src.name);
  o->creator_name = CopyString(src.creator_name);
  return o->name && o->creator_name;
}

}  // namespace

extern "C" {

int swr_client_options_init(swr_client_options* opts, unsigned int version) {
  if (!opts || version != SWR_CLIENT_OPTIONS_VERSION) return SWR_EINVALID;
  swr_client_options init = SWR_CLIENT_OPTIONS_INIT;
  *opts = init;
  return SWR_OK;
}

int swr_client_new(swr_client** out, const swr_client_options* opts, swr_error** err) {
  auto given = swr::capi::RedactorFor({opts ? opts->access_secret : nullptr});
  return Guard(err, {given.get()}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_client_new: out is NULL");
    *out = nullptr;
    if (!opts) return SetError(err, SWR_EINVALID, "swr_client_new: options are NULL");
    if (opts->version != SWR_CLIENT_OPTIONS_VERSION) {
      return SetError(err, SWR_EINVALID, fmt::format("swr_client_new: unsupported options version {}", opts->version));
    }
    if (!opts->registry_url || !opts->access_id || !opts->access_secret) {
      return SetError(err, SWR_EINVALID, "swr_client_new: registry_url, access_id and access_secret are required");
    }
    if (opts->signature_format != SWR_SIGN_ACCESS && opts->signature_format != SWR_SIGN_CREDENTIAL) {
      return SetError(err, SWR_EINVALID, "swr_client_new: unknown signature_format");
    }
    swr::ClientConfig cfg;
    cfg.registry_url = opts->registry_url;
    cfg.access_id = opts->access_id;
    cfg.access_secret = opts->access_secret;
    switch (opts->secret_kind) {
      case SWR_SECRET_AUTO: cfg.secret_kind = swr::SecretKind::kAuto; break;
      case SWR_SECRET_SK: cfg.secret_kind = swr::SecretKind::kSecretKey; break;
      case SWR_SECRET_LOGIN_KEY: cfg.secret_kind = swr::SecretKind::kLoginKey; break;
      case SWR_SECRET_TEMPORARY: cfg.secret_kind = swr::SecretKind::kTemporary; break;
      default: return SetError(err, SWR_EINVALID, "swr_client_new: unknown secret_kind");
    }
    cfg.project_id = Str(opts->project_id);
    cfg.management_url = Str(opts->management_url);
    cfg.insecure = opts->insecure != 0;
    cfg.allow_plain_http = opts->allow_plain_http != 0;
    cfg.ca_pem = Str(opts->ca_pem);
    if (opts->timeout_ms) cfg.timeout = std::chrono::milliseconds(opts->timeout_ms);
    if (opts->max_attempts) cfg.retry.max_attempts = static_cast<int>(std::min(opts->max_attempts, 20u));
    cfg.user_agent = Str(opts->user_agent);
    cfg.signing.format = opts->signature_format == SWR_SIGN_CREDENTIAL ? swr::SignatureFormat::kCredential
                                                                       : swr::SignatureFormat::kAccess;
    cfg.signing.region = Str(opts->region);
    cfg.signing.service = Str(opts->service);
    if (opts->log_cb) {
      cfg.log_sink = swr::capi::CLogSink(opts->log_cb, opts->log_payload);
      cfg.log_level = swr::capi::CLogLevel(opts->log_level);
    }
    auto client = swr::Client::Create(std::move(cfg));
    if (!client.ok()) return SetError(err, client.status());
    auto* handle = new swr_client{std::move(client).value(), swr_registry{}};
    handle->registry.client = handle->impl->registry_client();
    *out = handle;
    return SWR_OK;
  });
}

void swr_client_free(swr_client* client) { delete client; }

int swr_client_login_key_mode(const swr_client* client) {
  return client && client->impl->credentials().login_key_only() ? 1 : 0;
}

int swr_org_create(swr_client* client, const char* name, swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_create: client and name are required");
    swr::Status s = client->impl->management().CreateOrganization(name);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_org_ensure(swr_client* client, const char* name, swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_ensure: client and name are required");
    swr::Status s = client->impl->management().EnsureOrganization(name);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_org_delete(swr_client* client, const char* name, swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_delete: client and name are required");
    swr::Status s = client->impl->management().DeleteOrganization(name);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_org_get(swr_organization** out, swr_client* client, const char* name, swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_org_get: out is NULL");
    *out = nullptr;
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_get: client and name are required");
    auto org = client->impl->management().GetOrganization(name);
    if (!org.ok()) return SetError(err, org.status());
    auto* o = static_cast<swr_organization*>(std::calloc(1, sizeof(swr_organization)));
    if (!o) return SetError(err, SWR_ENOMEM, "out of memory");
    if (!FillOrganization(o, *org)) {
      swr_organization_free(o);
      return SetError(err, SWR_ENOMEM, "out of memory");
    }
    *out = o;
    return SWR_OK;
  });
}

void swr_organization_free(swr_organization* org) {
  if (!org) return;
  std::free(org->name);
  std::free(org->creator_name);
  std::free(org);
}

int swr_org_list(swr_organization_list** out, swr_client* client, swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_org_list: out is NULL");
    *out = nullptr;
    if (!client) return SetError(err, SWR_EINVALID, "swr_org_list: client is NULL");
    auto orgs = client->impl->management().ListOrganizations();
    if (!orgs.ok()) return SetError(err, orgs.status());
    auto* list = static_cast<swr_organization_list*>(std::calloc(1, sizeof(swr_organization_list)));
    if (!list) return SetError(err, SWR_ENOMEM, "out of memory");
    if (!orgs->empty()) {
      list->items = static_cast<swr_organization*>(std::calloc(orgs->size(), sizeof(swr_organization)));
      if (!list->items) {
        std::free(list);
        return SetError(err, SWR_ENOMEM, "out of memory");
      }
    }
    list->count = orgs->size();
    for (size_t i = 0; i < orgs->size(); ++i) {
      if (!FillOrganization(&list->items[i], (*orgs)[i])) {
        swr_organization_list_free(list);
        return SetError(err, SWR_ENOMEM, "out of memory");
      }
    }
    *out = list;
    return SWR_OK;
  });
}

void swr_organization_list_free(swr_organization_list* list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; ++i) {
    std::free(list->items[i].name);
    std::free(list->items[i].creator_name);
  }
  std::free(list->items);
  std::free(list);
}

int swr_tag_delete(swr_client* client, const char* organization, const char* repository, const char* tag,
                   swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!client || !organization || !repository || !tag) {
      return SetError(err, SWR_EINVALID, "swr_tag_delete: client, organization, repository and tag are required");
    }
    if (!swr::registry::IsValidRepository(std::string(organization) + "/" + repository) ||
        !swr::registry::IsValidTag(tag)) {
      return SetError(err, SWR_EINVALID, "swr_tag_delete: invalid repository or tag");
    }
    swr::Status s = client->impl->management().DeleteTag(organization, repository, tag);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_repository_delete(swr_client* client, const char* organization, const char* repository, swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!client || !organization || !repository) {
      return SetError(err, SWR_EINVALID, "swr_repository_delete: client, organization and repository are required");
    }
    if (!swr::registry::IsValidRepository(std::string(organization) + "/" + repository)) {
      return SetError(err, SWR_EINVALID, "swr_repository_delete: invalid repository");
    }
    swr::Status s = client->impl->management().DeleteRepository(organization, repository);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_login_temporary(swr_docker_login** out, swr_client* client, swr_error** err) {
  return Guard(err, {client ? &client->impl->logger().redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_login_temporary: out is NULL");
    *out = nullptr;
    if (!client) return SetError(err, SWR_EINVALID, "swr_login_temporary: client is NULL");
    auto login = client->impl->management().TemporaryLogin();
    if (!login.ok()) return SetError(err, login.status());
    client->impl->logger().redactor().AddSecret(login->password);
    auto* l = static_cast<swr_docker_login*>(std::calloc(1, sizeof(swr_docker_login)));
    if (!l) return SetError(err, SWR_ENOMEM, "out of memory");
    l->username = CopyString(login->username);
    l->password = CopyString(login->password);
    l->registry = CopyString(login->registry);
    l->expires_at = CopyString(login->expires_at);
    if (!l->username || !l->password || !l->registry || !l->expires_at) {
      swr_docker_login_free(l);
      return SetError(err, SWR_ENOMEM, "out of memory");
    }
    *out = l;
    return SWR_OK;
  });
}

void swr_docker_login_free(swr_docker_login* login) {
  if (!login) return;
  std::free(login->username);
  if (login->password) {
    // A secret: do not leave it in freed memory.
    volatile char* p = login->password;
    while (*p) *p++ = 0;
  }
  std::free(login->password);
  std::free(login->registry);
  std::free(login->expires_at);
  std::free(login);
}

}  // extern "C"
