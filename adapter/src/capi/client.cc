#include <fmt/format.h>

#include "capi/capi_internal.h"
#include "registry/reference.h"

using swr::capi::ContextFor;
using swr::capi::CopyString;
using swr::capi::Guard;
using swr::capi::OutOfMemory;
using swr::capi::SetError;

namespace {

std::string Str(const char* s) {
  return s ? std::string(s) : std::string();
}

bool FillOrganization(swr_organization* o, const swr::Organization& src) {
  o->id = src.id;
  o->auth = src.auth;
  o->name = CopyString(src.name);
  o->creator_name = CopyString(src.creator_name);
  return o->name && o->creator_name;
}

bool FillRepository(swr_repository* r, const swr::Repository& src) {
  r->organization = CopyString(src.namespace_name);
  r->name = CopyString(src.name);
  r->category = CopyString(src.category);
  r->is_public = src.is_public ? 1 : 0;
  r->num_images = src.num_images;
  r->size = src.size;
  r->created_at = CopyString(src.created_at);
  r->updated_at = CopyString(src.updated_at);
  return r->organization && r->name && r->category && r->created_at && r->updated_at;
}

bool FillTag(swr_tag_info* t, const swr::Tag& src) {
  t->tag = CopyString(src.tag);
  t->digest = CopyString(src.digest);
  t->size = src.size;
  t->tag_type = src.tag_type;
  t->created = CopyString(src.created);
  t->updated = CopyString(src.updated);
  return t->tag && t->digest && t->created && t->updated;
}

// The repository path inside an organization, checked as the registry would.
bool ValidRepository(const char* organization, const char* repository) {
  return organization && repository && swr::registry::IsValidRepository(std::string(organization) + "/" + repository);
}

}  // namespace

extern "C" {

int swr_client_options_init(swr_client_options* opts, uint32_t version) {
  if (!opts || version != SWR_CLIENT_OPTIONS_VERSION) return SWR_EINVALID;
  *opts = swr_client_options{};
  opts->version = version;
  opts->secret_kind = SWR_SECRET_AUTO;
  opts->signature_format = SWR_SIGN_ACCESS;
  swr::capi::InitConnection(&opts->connection);
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
      case SWR_SECRET_AUTO:
        cfg.secret_kind = swr::SecretKind::kAuto;
        break;
      case SWR_SECRET_SK:
        cfg.secret_kind = swr::SecretKind::kSecretKey;
        break;
      case SWR_SECRET_LOGIN_KEY:
        cfg.secret_kind = swr::SecretKind::kLoginKey;
        break;
      case SWR_SECRET_TEMPORARY:
        cfg.secret_kind = swr::SecretKind::kTemporary;
        break;
      default:
        return SetError(err, SWR_EINVALID, "swr_client_new: unknown secret_kind");
    }
    cfg.project_id = Str(opts->project_id);
    cfg.management_url = Str(opts->management_url);
    if (int rc = swr::capi::ConnectionFromC(opts->connection, "swr_client_new", &cfg.connection, err); rc != SWR_OK) {
      return rc;
    }
    cfg.signing.format = opts->signature_format == SWR_SIGN_CREDENTIAL ? swr::SignatureFormat::kCredential
                                                                       : swr::SignatureFormat::kAccess;
    cfg.signing.region = Str(opts->region);
    cfg.signing.service = Str(opts->service);
    auto client = swr::Client::Create(std::move(cfg));
    if (!client.ok()) return SetError(err, client.status());
    auto* handle = new swr_client{std::move(client).value(), swr_registry{}};
    handle->registry.client = handle->impl->registry_client();
    *out = handle;
    return SWR_OK;
  });
}

void swr_client_free(swr_client* client) {
  swr::capi::Quietly([&] { delete client; });
}

int swr_client_secret_kind(const swr_client* client) {
  if (!client) return SWR_SECRET_AUTO;
  switch (client->impl->credentials().kind) {
    case swr::SecretKind::kLoginKey:
      return SWR_SECRET_LOGIN_KEY;
    case swr::SecretKind::kTemporary:
      return SWR_SECRET_TEMPORARY;
    default:
      return SWR_SECRET_SK;
  }
}

void swr_client_cancel_all(swr_client* client) {
  if (client) swr_registry_cancel_all(&client->registry);
}

int swr_org_create(swr_client* client, const char* name, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_create: client and name are required");
    swr::Status s = client->impl->management().CreateOrganization(name, ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_org_ensure(swr_client* client, const char* name, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_ensure: client and name are required");
    swr::Status s = client->impl->management().EnsureOrganization(name, ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

void swr_org_forget(swr_client* client, const char* name) {
  swr::capi::Quietly([&] {
    if (client && name) client->impl->management().ForgetOrganization(name);
  });
}

int swr_org_delete(swr_client* client, const char* name, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_delete: client and name are required");
    swr::Status s = client->impl->management().DeleteOrganization(name, ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_org_get(swr_organization** out, swr_client* client, const char* name, swr_cancel_token* cancel,
                swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_org_get: out is NULL");
    *out = nullptr;
    if (!client || !name) return SetError(err, SWR_EINVALID, "swr_org_get: client and name are required");
    auto org = client->impl->management().GetOrganization(name, ContextFor(cancel));
    if (!org.ok()) return SetError(err, org.status());
    auto* o = static_cast<swr_organization*>(std::calloc(1, sizeof(swr_organization)));
    if (!o) return OutOfMemory(err);
    if (!FillOrganization(o, *org)) {
      swr_organization_free(o);
      return OutOfMemory(err);
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

int swr_org_list(swr_organization_list** out, swr_client* client, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_org_list: out is NULL");
    *out = nullptr;
    if (!client) return SetError(err, SWR_EINVALID, "swr_org_list: client is NULL");
    auto orgs = client->impl->management().ListOrganizations(ContextFor(cancel));
    if (!orgs.ok()) return SetError(err, orgs.status());
    return swr::capi::BuildList(out, *orgs, FillOrganization, swr_organization_list_free, err);
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

int swr_repository_list(swr_repositories** out, swr_client* client, const char* organization, swr_cancel_token* cancel,
                        swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_repository_list: out is NULL");
    *out = nullptr;
    if (!client) return SetError(err, SWR_EINVALID, "swr_repository_list: client is NULL");
    auto repos = client->impl->management().ListRepositories(Str(organization), ContextFor(cancel));
    if (!repos.ok()) return SetError(err, repos.status());
    return swr::capi::BuildList(out, *repos, FillRepository, swr_repositories_free, err);
  });
}

void swr_repositories_free(swr_repositories* list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; ++i) {
    swr_repository& r = list->items[i];
    for (char* s : {r.organization, r.name, r.category, r.created_at, r.updated_at}) std::free(s);
  }
  std::free(list->items);
  std::free(list);
}

int swr_repository_tag_list(swr_tag_info_list** out, swr_client* client, const char* organization,
                            const char* repository, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_repository_tag_list: out is NULL");
    *out = nullptr;
    if (!client) return SetError(err, SWR_EINVALID, "swr_repository_tag_list: client is NULL");
    if (!ValidRepository(organization, repository)) {
      return SetError(err, SWR_EINVALID, "swr_repository_tag_list: invalid organization or repository");
    }
    auto tags = client->impl->management().ListTags(organization, repository, ContextFor(cancel));
    if (!tags.ok()) return SetError(err, tags.status());
    return swr::capi::BuildList(out, *tags, FillTag, swr_tag_info_list_free, err);
  });
}

void swr_tag_info_list_free(swr_tag_info_list* list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; ++i) {
    swr_tag_info& t = list->items[i];
    for (char* s : {t.tag, t.digest, t.created, t.updated}) std::free(s);
  }
  std::free(list->items);
  std::free(list);
}

int swr_repository_tag_delete(swr_client* client, const char* organization, const char* repository, const char* tag,
                              swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!client || !tag) return SetError(err, SWR_EINVALID, "swr_repository_tag_delete: client and tag are required");
    if (!ValidRepository(organization, repository) || !swr::registry::IsValidTag(tag)) {
      return SetError(err, SWR_EINVALID, "swr_repository_tag_delete: invalid organization, repository or tag");
    }
    swr::Status s = client->impl->management().DeleteTag(organization, repository, tag, ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_repository_delete(swr_client* client, const char* organization, const char* repository,
                          swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!client) return SetError(err, SWR_EINVALID, "swr_repository_delete: client is NULL");
    if (!ValidRepository(organization, repository)) {
      return SetError(err, SWR_EINVALID, "swr_repository_delete: invalid organization or repository");
    }
    swr::Status s = client->impl->management().DeleteRepository(organization, repository, ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_temporary_login_create(swr_docker_login** out, swr_client* client, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {client ? client->redactor() : nullptr}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_temporary_login_create: out is NULL");
    *out = nullptr;
    if (!client) return SetError(err, SWR_EINVALID, "swr_temporary_login_create: client is NULL");
    auto login = client->impl->management().TemporaryLogin(ContextFor(cancel));
    if (!login.ok()) return SetError(err, login.status());
    client->impl->logger().redactor().AddSecret(login->password);
    auto* l = static_cast<swr_docker_login*>(std::calloc(1, sizeof(swr_docker_login)));
    if (!l) return OutOfMemory(err);
    l->username = CopyString(login->username);
    l->password = CopyString(login->password);
    l->registry = CopyString(login->registry);
    l->expires_at = CopyString(login->expires_at);
    if (!l->username || !l->password || !l->registry || !l->expires_at) {
      swr_docker_login_free(l);
      return OutOfMemory(err);
    }
    *out = l;
    return SWR_OK;
  });
}

void swr_docker_login_free(swr_docker_login* login) {
  if (!login) return;
  if (login->password) {
    // A secret: do not leave it in freed memory.
    volatile char* p = login->password;
    while (*p) *p++ = 0;
  }
  for (char* s : {login->username, login->password, login->registry, login->expires_at}) std::free(s);
  std::free(login);
}

}  // extern "C"
