#include "swr/management_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "common/base64.h"
#include "common/json.h"
#include "common/log.h"
#include "http/error_body.h"
#include "swr/hosts.h"

namespace swr {
namespace {

constexpr int kMaxPages = 10000;  // with limit 100, a million items: far beyond any account
constexpr size_t kMaxPageBytes = 16 << 20;

Organization OrganizationFromJson(const Json& j) {
  Organization o;
  o.id = j.GetInt("id");
  o.name = j.GetString("name");
  o.creator_name = j.GetString("creator_name");
  o.auth = static_cast<int>(j.GetInt("auth"));
  return o;
}

Repository RepositoryFromJson(const Json& j) {
  Repository r;
  r.name = j.GetString("name");
  r.namespace_name = j.GetString("namespace");
  r.category = j.GetString("category");
  r.path = j.GetString("path");
  r.is_public = j.GetBool("is_public");
  r.num_images = j.GetInt("num_images");
  r.size = j.GetInt("size");
  r.tags = j.GetStrings("tags");
  r.created_at = j.GetString("created_at");
  r.updated_at = j.GetString("updated_at");
  return r;
}

Tag TagFromJson(const Json& j) {
  Tag t;
  t.tag = j.GetString("Tag", j.GetString("tag"));
  t.digest = j.GetString("digest");
  t.size = j.GetInt("size");
  t.tag_type = static_cast<int>(j.GetInt("tag_type"));
  t.manifest = j.GetString("manifest");
  t.created = j.GetString("created");
  t.updated = j.GetString("updated");
  return t;
}

int64_t ParseNumber(std::string_view s, bool* ok) {
  std::string t = Trim(s);
  if (t.empty() || t.size() > 18) {
    *ok = false;
    return 0;
  }
  int64_t n = 0;
  for (char c : t) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      *ok = false;
      return 0;
    }
    n = n * 10 + (c - '0');
  }
  *ok = true;
  return n;
}

}  // namespace

std::optional<ContentRange> ParseContentRange(std::string_view value) {
  std::string v = Trim(value);
  // Tolerate a unit prefix as in HTTP ("items 0-9/100").
  if (size_t sp = v.find(' '); sp != std::string::npos) v = v.substr(sp + 1);
  size_t dash = v.find('-');
  size_t slash = v.find('/');
  if (dash == std::string::npos || slash == std::string::npos || dash > slash) return std::nullopt;
  ContentRange r;
  bool ok1, ok2, ok3 = true;
  r.first = ParseNumber(std::string_view(v).substr(0, dash), &ok1);
  r.second = ParseNumber(std::string_view(v).substr(dash + 1, slash - dash - 1), &ok2);
  std::string total = v.substr(slash + 1);
  if (Trim(total) == "*") {
    r.total = -1;
  } else {
    r.total = ParseNumber(total, &ok3);
  }
  if (!ok1 || !ok2 || !ok3) return std::nullopt;
  return r;
}

Url ManagementEndpointFor(const Url& registry) {
  Url out;
  out.scheme = registry.scheme;
  out.host = registry.host;
  out.port = registry.port;
  if (auto swr = ParseSwrHost(registry.host); swr && !swr->api) out.host = "swr-api." + swr->region + "." + swr->domain;
  return out;
}

Status ValidateOrganizationName(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return Status(Code::kInvalidArgument, fmt::format("invalid organization name '{}': {}", name, why));
  };
  if (name.empty() || name.size() > 64) return bad("it must be 1 to 64 characters long");
  auto is_sep = [](char c) { return c == '.' || c == '_' || c == '-'; };
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || is_sep(c))) {
      return bad("only lower-case letters, digits, '.', '_' and '-' are allowed");
    }
  }
  if (!std::islower(static_cast<unsigned char>(name.front()))) return bad("it must start with a lower-case letter");
  if (is_sep(name.back())) return bad("it must end with a letter or a digit");
  for (size_t i = 1; i < name.size(); ++i) {
    if (is_sep(name[i]) && is_sep(name[i - 1])) {
      bool double_underscore = name[i] == '_' && name[i - 1] == '_' && (i < 2 || name[i - 2] != '_');
      if (!double_underscore) return bad("separators may not follow each other (except '__')");
    }
  }
  return OkStatus();
}

std::string EncodeRepositoryName(std::string_view repository) {
  std::string out(repository);
  std::replace(out.begin(), out.end(), '/', '$');
  return out;
}

ManagementClient::ManagementClient(std::shared_ptr<http::Transport> transport, Credentials credentials,
                                   ManagementOptions options, std::shared_ptr<Clock> clock)
    : transport_(std::move(transport)),
      credentials_(std::move(credentials)),
      options_(std::move(options)),
      signer_(credentials_.access_key, credentials_.secret_key, std::move(clock)),
      organizations_(options_.organization_ttl) {
  options_.page_size = std::clamp(options_.page_size, 1, 1000);
}

StatusOr<http::Response> ManagementClient::Call(const std::string& method, const std::string& path,
                                                const std::vector<std::pair<std::string, std::string>>& query,
                                                const std::string& body, const CallContext& ctx,
                                                std::optional<bool> idempotent, size_t max_response_bytes) {
  if (ctx.cancel && ctx.cancel->cancelled()) return Status(Code::kCancelled, method + " " + path + ": cancelled");
  http::Request req;
  req.max_response_bytes = max_response_bytes;
  req.cancel = ctx.cancel;
  req.deadline = ctx.deadline;
  req.method = method;
  req.url = options_.endpoint.Origin() + path;
  if (!query.empty()) req.url += "?" + BuildQuery(query);
  req.body = body;
  req.idempotent = idempotent;
  // The API reference lists Content-Type as mandatory on every request.
  req.SetHeader("Content-Type", "application/json");
  if (credentials_.login_key_only()) {
    req.SetHeader("Authorization",
                  "Basic " + Base64Encode(credentials_.registry_user() + ":" + credentials_.login_key));
  } else {
    if (!options_.project_id.empty()) req.SetHeader("X-Project-Id", options_.project_id);
    SignableRequest sr{req.method, req.url, req.headers, req.body, std::nullopt};
    auto signed_req = signer_.Sign(sr, options_.signing);
    if (!signed_req.ok()) return signed_req.status();
    req.SetHeader("Host", signed_req->host);
    for (auto& [k, v] : signed_req->headers_to_add) req.SetHeader(k, v);
  }
  return transport_->Send(req);
}

Status ManagementClient::CreateOrganization(const std::string& name, const CallContext& ctx) {
  return Create(name, false, ctx, nullptr);
}

namespace {

// What SWR answers a GET of another account's organization with: its
// error table's cross-account and "not yours" codes (docs/swr-protocol.md),
// or 404 as if it were absent. After a 409 on create, each means the name
// is taken by another account.
bool IsSomeoneElses(const Status& s) {
  if (s.code() == Code::kNotFound) return true;
  const std::string& c = s.swr_code();
  return (s.http_status() == 401 && (c == "SVCSTG.SWR.4011064" || c == "SVCSTG.SWR.4011044")) ||
         (s.http_status() == 403 && (c == "SVCSTG.SWR.4039001" || c == "SVCSTG.SWR.4037017"));
}

// SWR's "auth" of an organization: 7 manage, 3 write, 1 read.
constexpr int kWritePermission = 3;

Status ReadOnly(const std::string& name, int auth) {
  return Status(Code::kPermissionDenied,
                fmt::format("this account may only read organization '{}' (SWR permission {}); pushing needs write "
                            "({}): ask the organization's administrator for write access",
                            name, auth, kWritePermission))
      .WithReason(Reason::kForbidden);
}

}  // namespace

Status ManagementClient::Create(const std::string& name, bool retry_safe, const CallContext& ctx,
                                Organization* existing) {
  SWR_RETURN_IF_ERROR(ValidateOrganizationName(name));
  std::string body = JsonWriter().StartObject().Key("namespace").String(name).EndObject().str();
  std::string path = credentials_.login_key_only() ? "/dockyard/v2/namespaces" : "/v2/manage/namespaces";
  auto resp = Call("POST", path, {}, body, ctx, retry_safe ? std::optional<bool>(true) : std::nullopt);
  if (!resp.ok()) return resp.status();
  if (resp->status == 201 || resp->status == 200) return OkStatus();
  Status err = ErrorFromResponse(*resp, fmt::format("create organization '{}'", name));
  if (resp->status != 409) return err;
  // Names are unique per region across all accounts: a 409 may be someone
  // else's organization, in which every push would fail. Ours is visible.
  auto mine = GetOrganization(name, ctx);
  if (mine.ok()) {
    if (existing) *existing = *mine;
    return Status(Code::kAlreadyExists, fmt::format("organization '{}' already exists", name))
        .WithHttpStatus(409)
        .WithSwrCode(err.swr_code())
        .WithRequestId(err.request_id());
  }
  if (!IsSomeoneElses(mine.status())) return mine.status();
  return Status(Code::kConflict,
                fmt::format("the organization name '{}' is taken by another account (names are unique in a region "
                            "across all accounts); choose another name",
                            name))
      .WithHttpStatus(409)
      .WithSwrCode(err.swr_code())
      .WithRequestId(err.request_id());
}

Status ManagementClient::EnsureOrganization(const std::string& name, const CallContext& ctx) {
  return organizations_.Ensure(name, [&] {
    Organization existing;
    Status s = Create(name, true, ctx, &existing);
    if (s.code() != Code::kAlreadyExists) return s;  // created (we manage it), or an error
    // Ours, but this IAM user may only read it: say so before any blob is sent.
    if (existing.auth > 0 && existing.auth < kWritePermission) return ReadOnly(name, existing.auth);
    return OkStatus();
  });
}

Status ManagementClient::CheckPushable(const std::string& name, const CallContext& ctx) {
  auto o = GetOrganization(name, ctx);
  if (!o.ok()) {
    if (!IsSomeoneElses(o.status())) return o.status();
    return Status(Code::kNotFound,
                  fmt::format("the organization '{}' does not exist in SWR (or belongs to another account)", name))
        .WithDetailsOf(o.status())
        .WithReason(Reason::kNotFound);
  }
  if (o->auth > 0 && o->auth < kWritePermission) return ReadOnly(name, o->auth);
  return OkStatus();
}

StatusOr<std::vector<Organization>> ManagementClient::ListOrganizations(const CallContext& ctx) {
  std::string path = credentials_.login_key_only() ? "/dockyard/v2/visible/namespaces" : "/v2/manage/namespaces";
  auto resp = Call("GET", path, {}, "", ctx);
  if (!resp.ok()) return resp.status();
  if (!resp->ok()) return ErrorFromResponse(*resp, "list organizations");
  auto json = Json::Parse(resp->body);
  if (!json.ok()) return Status(Code::kProtocol, "list organizations: " + json.status().message());
  auto list = json->Find("namespaces");
  if (!list || !(list->IsArray() || list->IsNull())) {
    return Status(Code::kProtocol, "list organizations: the response has no 'namespaces' array");
  }
  std::vector<Organization> out;
  for (size_t i = 0; i < list->Size(); ++i) out.push_back(OrganizationFromJson(list->At(i)));
  return out;
}

StatusOr<Organization> ManagementClient::GetOrganization(const std::string& name, const CallContext& ctx) {
  SWR_RETURN_IF_ERROR(ValidateOrganizationName(name));
  std::string prefix = credentials_.login_key_only() ? "/dockyard/v2/namespaces/" : "/v2/manage/namespaces/";
  auto resp = Call("GET", prefix + EncodePathSegment(name), {}, "", ctx);
  if (!resp.ok()) return resp.status();
  if (!resp->ok()) return ErrorFromResponse(*resp, fmt::format("get organization '{}'", name));
  auto json = Json::Parse(resp->body);
  if (!json.ok()) return Status(Code::kProtocol, "get organization: " + json.status().message());
  if (!json->IsObject()) return Status(Code::kProtocol, "get organization: the response is not an object");
  return OrganizationFromJson(*json);
}

Status ManagementClient::DeleteOrganization(const std::string& name, const CallContext& ctx) {
  SWR_RETURN_IF_ERROR(ValidateOrganizationName(name));
  if (credentials_.login_key_only()) {
    return Status(Code::kUnsupported,
                  "deleting an organization needs the AK/SK; the Access Secret given is a login key");
  }
  organizations_.Forget(name);
  auto resp = Call("DELETE", "/v2/manage/namespaces/" + EncodePathSegment(name), {}, "", ctx);
  if (!resp.ok()) return resp.status();
  if (resp->ok()) return OkStatus();
  return ErrorFromResponse(*resp, fmt::format("delete organization '{}'", name));
}

Status ManagementClient::ListPaged(const std::string& path, std::vector<std::pair<std::string, std::string>> query,
                                   const std::string& what, const PageParser& on_page, const CallContext& ctx,
                                   bool lenient_repeats) {
  // Pages as the OTC SDKs do: offset = page * limit (SWR expects a multiple
  // of the limit), until an empty page or the Content-Range total.
  const int64_t limit = options_.page_size;
  for (int page = 0; page < kMaxPages; ++page) {
    const int64_t offset = page * limit;
    auto q = query;
    q.emplace_back("limit", std::to_string(limit));
    q.emplace_back("offset", std::to_string(offset));
    auto resp = Call("GET", path, q, "", ctx, std::nullopt, kMaxPageBytes);
    if (!resp.ok()) return resp.status();
    if (!resp->ok()) return ErrorFromResponse(*resp, what);
    size_t count = 0, fresh = 0;
    SWR_RETURN_IF_ERROR(on_page(resp->body, &count, &fresh));
    std::optional<ContentRange> range;
    if (const std::string* cr = resp->Header("Content-Range")) range = ParseContentRange(*cr);
    if (count == 0) return OkStatus();
    if (range && range->total >= 0 && offset + static_cast<int64_t>(count) >= range->total) return OkStatus();
    // A page of nothing new: the server ignores the offset. Asking again
    // would loop for ever.
    if (fresh == 0) {
      if (lenient_repeats) return OkStatus();
      return Status(Code::kProtocol, what + ": the server keeps returning the same items");
    }
  }
  return Status(Code::kProtocol, what + ": more than " + std::to_string(kMaxPages) + " pages; stopped");
}

StatusOr<std::vector<Repository>> ManagementClient::ListRepositories(const std::string& organization,
                                                                     const CallContext& ctx) {
  if (!organization.empty()) SWR_RETURN_IF_ERROR(ValidateOrganizationName(organization));
  std::vector<Repository> out;
  std::set<std::string> seen;
  auto parse = [&](const std::string& body, size_t* count, size_t* fresh) -> Status {
    auto json = Json::Parse(body);
    if (!json.ok()) return Status(Code::kProtocol, "list repositories: " + json.status().message());
    if (json->IsNull()) return OkStatus();
    if (!json->IsArray()) return Status(Code::kProtocol, "list repositories: the response is not an array");
    for (size_t i = 0; i < json->Size(); ++i) {
      Repository r = RepositoryFromJson(json->At(i));
      if (!seen.insert(r.namespace_name + "/" + r.name).second) continue;
      ++*fresh;
      // SWR's namespace filter is a fuzzy match ("team" also finds
      // "team-b"): keep only the organization asked for.
      if (!organization.empty() && r.namespace_name != organization) continue;
      out.push_back(std::move(r));
    }
    *count = json->Size();
    return OkStatus();
  };
  std::vector<std::pair<std::string, std::string>> query;
  if (credentials_.login_key_only()) {
    // The legacy path: paged the same way, in case it is cut into pages; a
    // server that ignores paging repeats its one page, which ends the list.
    query.emplace_back("filter", "center::self");
    SWR_RETURN_IF_ERROR(ListPaged("/dockyard/v2/repositories", query, "list repositories", parse, ctx, true));
    return out;
  }
  if (!organization.empty()) query.emplace_back("namespace", organization);
  // A stable order, so that pages neither skip nor repeat entries.
  query.emplace_back("order_column", "name");
  query.emplace_back("order_type", "asc");
  SWR_RETURN_IF_ERROR(ListPaged("/v2/manage/repos", query, "list repositories", parse, ctx));
  return out;
}

StatusOr<std::vector<Tag>> ManagementClient::ListTags(const std::string& organization, const std::string& repository,
                                                      const CallContext& ctx) {
  SWR_RETURN_IF_ERROR(ValidateOrganizationName(organization));
  if (repository.empty()) return Status(Code::kInvalidArgument, "list tags: the repository name is empty");
  if (credentials_.login_key_only()) {
    return Status(Code::kUnsupported, "listing tags through the management API needs the AK/SK");
  }
  std::vector<Tag> out;
  std::set<std::string> seen;
  std::string what = fmt::format("list tags of '{}/{}'", organization, repository);
  auto parse = [&](const std::string& body, size_t* count, size_t* fresh) -> Status {
    auto json = Json::Parse(body);
    if (!json.ok()) return Status(Code::kProtocol, what + ": " + json.status().message());
    if (json->IsNull()) return OkStatus();
    if (!json->IsArray()) return Status(Code::kProtocol, what + ": the response is not an array");
    for (size_t i = 0; i < json->Size(); ++i) {
      Tag t = TagFromJson(json->At(i));
      if (!seen.insert(t.tag).second) continue;
      out.push_back(std::move(t));
      ++*fresh;
    }
    *count = json->Size();
    return OkStatus();
  };
  std::string path = "/v2/manage/namespaces/" + EncodePathSegment(organization) + "/repos/" +
                     EncodePathSegment(EncodeRepositoryName(repository)) + "/tags";
  SWR_RETURN_IF_ERROR(ListPaged(path, {{"order_column", "tag"}, {"order_type", "asc"}}, what, parse, ctx));
  return out;
}

Status ManagementClient::DeleteRepository(const std::string& organization, const std::string& repository,
                                          const CallContext& ctx) {
  SWR_RETURN_IF_ERROR(ValidateOrganizationName(organization));
  if (repository.empty()) return Status(Code::kInvalidArgument, "delete repository: the repository name is empty");
  if (credentials_.login_key_only()) {
    return Status(Code::kUnsupported, "deleting a repository needs the AK/SK; the Access Secret given is a login key");
  }
  std::string what = fmt::format("delete repository '{}/{}'", organization, repository);
  auto resp = Call("DELETE",
                   "/v2/manage/namespaces/" + EncodePathSegment(organization) + "/repos/" +
                       EncodePathSegment(EncodeRepositoryName(repository)),
                   {}, "", ctx);
  if (!resp.ok()) return resp.status();
  if (resp->ok()) return OkStatus();
  return ErrorFromResponse(*resp, what);
}

Status ManagementClient::DeleteTag(const std::string& organization, const std::string& repository,
                                   const std::string& tag, const CallContext& ctx) {
  SWR_RETURN_IF_ERROR(ValidateOrganizationName(organization));
  if (repository.empty() || tag.empty()) {
    return Status(Code::kInvalidArgument, "delete tag: the repository and the tag must not be empty");
  }
  if (credentials_.login_key_only()) {
    return Status(Code::kUnsupported, "deleting a tag needs the AK/SK; the Access Secret given is a login key");
  }
  std::string what = fmt::format("delete tag '{}/{}:{}'", organization, repository, tag);
  auto resp = Call("DELETE",
                   "/v2/manage/namespaces/" + EncodePathSegment(organization) + "/repos/" +
                       EncodePathSegment(EncodeRepositoryName(repository)) + "/tags/" + EncodePathSegment(tag),
                   {}, "", ctx);
  if (!resp.ok()) return resp.status();
  if (resp->ok()) return OkStatus();
  return ErrorFromResponse(*resp, what);
}

StatusOr<DockerLogin> ManagementClient::TemporaryLogin(const CallContext& ctx) {
  if (credentials_.login_key_only()) {
    return Status(Code::kUnsupported, "a temporary login needs the AK/SK; the Access Secret given is not one");
  }
  auto resp = Call("POST", "/v2/manage/utils/secret", {{"projectname", credentials_.project}}, "", ctx,
                   std::optional<bool>(true));
  if (!resp.ok()) return resp.status();
  if (!resp->ok()) return ErrorFromResponse(*resp, "get a temporary docker login");
  DockerLogin login;
  if (const std::string* cmd = resp->Header("X-Swr-Dockerlogin")) {
    // "docker login -u <user> -p <password> <host>"
    std::vector<std::string> words;
    for (size_t i = 0; i < cmd->size();) {
      size_t j = cmd->find(' ', i);
      if (j == std::string::npos) j = cmd->size();
      if (j > i) words.push_back(cmd->substr(i, j - i));
      i = j + 1;
    }
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (words[i] == "-u") login.username = words[i + 1];
      if (words[i] == "-p") login.password = words[i + 1];
    }
    if (!words.empty() && words.back() != login.password && words.back() != login.username) {
      login.registry = words.back();
    }
  }
  if (login.password.empty()) {
    // The body carries the same as a docker config: {"auths":{host:{"auth":base64}}}.
    auto json = Json::Parse(resp->body);
    if (json.ok()) {
      if (auto auths = json->Find("auths"); auths && auths->IsObject()) {
        for (const auto& host : auths->Keys()) {
          std::string decoded;
          if (Base64Decode(auths->Find(host)->GetString("auth"), &decoded) && decoded.find(':') != std::string::npos) {
            login.registry = host;
            login.username = decoded.substr(0, decoded.find(':'));
            login.password = decoded.substr(decoded.find(':') + 1);
            break;
          }
        }
      }
    }
  }
  if (login.username.empty() || login.password.empty()) {
    return Status(Code::kProtocol, "get a temporary docker login: the response carries no login");
  }
  if (const std::string* e = resp->Header("X-Swr-Expireat")) login.expires_at = StripControl(*e, false);
  return login;
}

}  // namespace swr
