// The SWR management API (/v2/manage/...), signed with AK/SK; in login-key
// compatibility mode the legacy basic-auth /dockyard/v2/... paths instead.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/credentials.h"
#include "auth/signer.h"
#include "common/call_context.h"
#include "common/status.h"
#include "common/url.h"
#include "http/transport.h"
#include "swr/organization_cache.h"

namespace swr {

struct Organization {
  int64_t id = 0;
  std::string name;
  std::string creator_name;
  int auth = 0;  // 7 manage, 3 write, 1 read
};

struct Repository {
  std::string name;
  std::string namespace_name;
  std::string category;
  std::string path;
  bool is_public = false;
  int64_t num_images = 0;
  int64_t size = 0;
  std::vector<std::string> tags;
  std::string created_at;
  std::string updated_at;
};

struct Tag {
  std::string tag;
  std::string digest;
  int64_t size = 0;
  int tag_type = 0;      // 0 manifest, 1 manifest list
  std::string manifest;  // the manifest JSON, as SWR reports it
  // size: the image (config plus layers), as SWR reports it
  std::string created;
  std::string updated;
};

// A docker login for the registry: a temporary one from SWR.
struct DockerLogin {
  std::string username;
  std::string password;
  std::string registry;    // host, when SWR says
  std::string expires_at;  // X-Swr-Expireat as SWR sends it ("" when absent)
};

struct ContentRange {
  int64_t first = 0;
  int64_t second = 0;
  int64_t total = -1;  // -1 when unknown
};
// "offset-count/total" (SWR docs) or "first-last/total"; only total matters.
std::optional<ContentRange> ParseContentRange(std::string_view value);

// An SWR registry host "swr.<region>.<domain>" -> "swr-api.<region>.<domain>"
// (exact forms only, see swr/hosts.h); any other host serves both.
Url ManagementEndpointFor(const Url& registry);

// SWR organization naming rules; the message says what is wrong.
Status ValidateOrganizationName(std::string_view name);
// Repository names travel with '/' replaced by '$' in management paths.
std::string EncodeRepositoryName(std::string_view repository);

struct ManagementOptions {
  Url endpoint;            // scheme://host[:port] of the management API
  std::string project_id;  // sent (and signed) as X-Project-Id when set
  SigningOptions signing;  // format, region, service
  int page_size = 100;     // limit per page, 1..1000
  // How long EnsureOrganization remembers an organization (see
  // OrganizationCache); 0: ask SWR every time.
  std::chrono::steady_clock::duration organization_ttl = std::chrono::minutes(10);
};

class ManagementClient {
 public:
  ManagementClient(std::shared_ptr<http::Transport> transport, Credentials credentials, ManagementOptions options,
                   std::shared_ptr<Clock> clock = DefaultClock());

  // kAlreadyExists when it exists.
  Status CreateOrganization(const std::string& name, const CallContext& ctx = {});
  // Creates it unless it exists; an existing organization of ours is
  // success. A name taken by another account is kConflict (names are unique
  // per region across accounts; pushes into it would fail); SWR's quota of
  // organizations per account is kQuotaExceeded. It is for pushing: an
  // organization of ours in which this IAM user may only read (SWR
  // permission 1) is kPermissionDenied, before any blob is sent. Once per
  // name per organization_ttl, however many callers ask at once
  // (OrganizationCache).
  Status EnsureOrganization(const std::string& name, const CallContext& ctx = {});
  // For pushing into an organization that must exist already: kNotFound
  // when it does not (or is another account's), kPermissionDenied when this
  // user may only read it. One GET.
  Status CheckPushable(const std::string& name, const CallContext& ctx = {});
  // Forgets what EnsureOrganization knows of `name` (SWR said it is gone).
  void ForgetOrganization(const std::string& name) { organizations_.Forget(name); }
  StatusOr<std::vector<Organization>> ListOrganizations(const CallContext& ctx = {});
  StatusOr<Organization> GetOrganization(const std::string& name, const CallContext& ctx = {});
  // kNotFound when missing, kConflict when it still holds images.
  Status DeleteOrganization(const std::string& name, const CallContext& ctx = {});
  // All repositories (of one organization when `organization` is not empty), every page.
  StatusOr<std::vector<Repository>> ListRepositories(const std::string& organization = "", const CallContext& ctx = {});
  StatusOr<std::vector<Tag>> ListTags(const std::string& organization, const std::string& repository,
                                      const CallContext& ctx = {});
  // DELETE /v2/manage/namespaces/{org}/repos/{repo} (every image in it).
  Status DeleteRepository(const std::string& organization, const std::string& repository, const CallContext& ctx = {});
  // DELETE /v2/manage/namespaces/{org}/repos/{repo}/tags/{tag}.
  Status DeleteTag(const std::string& organization, const std::string& repository, const std::string& tag,
                   const CallContext& ctx = {});
  // POST /v2/manage/utils/secret: a docker login valid for hours.
  StatusOr<DockerLogin> TemporaryLogin(const CallContext& ctx = {});

 private:
  // `retry_safe`: the caller treats "already exists" as success, so the
  // POST may be repeated after a 5xx or a lost connection.
  // `existing`: filled when the organization exists and is ours.
  Status Create(const std::string& name, bool retry_safe, const CallContext& ctx, Organization* existing);
  StatusOr<http::Response> Call(const std::string& method, const std::string& path,
                                const std::vector<std::pair<std::string, std::string>>& query, const std::string& body,
                                const CallContext& ctx, std::optional<bool> idempotent = std::nullopt,
                                size_t max_response_bytes = 1 << 20);
  // Parses one page's array: how many items it held, and how many were new.
  using PageParser = std::function<Status(const std::string& body, size_t* count, size_t* fresh)>;
  // Calls a list endpoint page by page (offset = page * limit), at most
  // 10000 pages, until an empty page or the Content-Range total; a page with
  // nothing new ends the listing with kProtocol (or quietly when lenient).
  Status ListPaged(const std::string& path, std::vector<std::pair<std::string, std::string>> query,
                   const std::string& what, const PageParser& on_page, const CallContext& ctx,
                   bool lenient_repeats = false);

  std::shared_ptr<http::Transport> transport_;
  Credentials credentials_;
  ManagementOptions options_;
  Signer signer_;
  OrganizationCache organizations_;
};

}  // namespace swr
