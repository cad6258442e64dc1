#include "registry/registry_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "common/crypto.h"
#include "common/json.h"
#include "http/error_body.h"
#include "http/headers.h"

namespace swr::registry {
namespace {

constexpr int kMaxRedirects = 5;
constexpr size_t kMaxManifestBytes = 4 << 20;
constexpr size_t kMaxErrorBytes = 64 << 10;
constexpr int kMaxListPages = 1000;
constexpr size_t kMaxListPageBytes = 8 << 20;

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Collects an error body that arrived in a pipe (bounded), then drops the rest.
std::string Drain(const std::shared_ptr<http::BodyPipe>& pipe) {
  std::string out;
  char buf[8192];
  while (out.size() < kMaxErrorBytes) {
    auto n = pipe->Read(buf, sizeof buf);
    if (!n.ok() || *n == 0) break;
    out.append(buf, *n);
  }
  pipe->Abort(Status(Code::kCancelled, "error body drained"));
  return out;
}

std::string WithQuery(const std::string& url, const std::string& key, const std::string& value) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + PercentEncode(key) + "=" + PercentEncode(value);
}

int64_t ParseLength(const std::string* header) {
  return header ? http::ParseNonNegative(*header) : -1;
}
int64_t ParseRangeEnd(const std::string* range) {
  return range ? http::ParseRangeEnd(*range) : -1;
}
std::string NextLink(const http::Response& resp) {
  const std::string* link = resp.Header("Link");
  return link ? http::NextLink(*link) : "";
}

}  // namespace

RegistryClient::RegistryClient(std::shared_ptr<http::Transport> transport, RegistryOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      auth_(transport_, options_.base, options_.credentials, options_.default_token_lifetime, options_.clock,
            options_.logger) {
  if (!options_.credentials.password.empty()) options_.logger.redactor().AddSecret(options_.credentials.password);
}

std::string RegistryClient::UrlFor(const std::string& path) const {
  return options_.base.Origin() + path;
}

std::vector<std::string> RegistryClient::PullScope(const std::string& repo) {
  return {"repository:" + repo + ":pull"};
}
std::vector<std::string> RegistryClient::PushScope(const std::string& repo) {
  return {"repository:" + repo + ":pull,push"};
}

Status RegistryClient::Prime(const std::vector<std::string>& scopes, const CallContext& ctx) {
  if (primed_) return OkStatus();
  Call c{"GET", UrlFor("/v2/"), {}, "", scopes, nullptr, -1, nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  primed_ = true;
  return OkStatus();
}

StatusOr<http::Response> RegistryClient::Send(Call call, const CallContext& ctx) {
  for (int attempt = 0;; ++attempt) {
    if (cancel_->cancelled() || (ctx.cancel && ctx.cancel->cancelled())) return Status(Code::kCancelled, "cancelled");
    auto url = ParseUrl(call.url);
    if (!url.ok()) return url.status();
    http::Request req;
    req.method = call.method;
    req.url = call.url;
    req.headers = call.headers;
    req.body = call.body;
    req.idempotent = call.idempotent;
    req.max_response_bytes = call.max_response_bytes;
    if (auth_.MayAuthorize(*url)) {
      auto header = auth_.HeaderFor(call.scopes);
      if (!header.ok()) return header.status();
      if (!header->empty()) req.SetHeader("Authorization", *header);
    }
    // One token per request, cancelled by the handle or by the call; for a
    // streamed response the links live as long as its pipe.
    auto token = std::make_shared<CancelToken>();
    auto links = std::make_shared<std::vector<std::unique_ptr<CancelRegistration>>>();
    std::weak_ptr<http::BodyPipe> weak_sink = call.sink, weak_body = call.body_pipe;
    links->push_back(std::make_unique<CancelRegistration>(token, [weak_sink, weak_body] {
      if (auto p = weak_sink.lock()) p->Abort(Status(Code::kCancelled, "cancelled"));
      if (auto p = weak_body.lock()) p->Abort(Status(Code::kCancelled, "cancelled"));
    }));
    links->push_back(std::make_unique<CancelRegistration>(cancel_, [token] { token->Cancel(); }));
    if (ctx.cancel) links->push_back(std::make_unique<CancelRegistration>(ctx.cancel, [token] { token->Cancel(); }));
    if (call.sink) call.sink->Attach(links);
    req.cancel = token;
    req.deadline = ctx.deadline;
    req.min_bytes_per_second = ctx.min_bytes_per_second;
    StatusOr<http::Response> resp = (call.body_pipe || call.sink)
                                        ? transport_->SendStreaming(req, call.body_pipe, call.body_length, call.sink)
                                        : transport_->Send(req);
    if (!resp.ok()) return resp;
    if (resp->status == 401) {
      bool learned = auth_.OnUnauthorized(*resp, call.scopes, *url);
      primed_ = true;
      bool replayable = !call.body_pipe && !call.sink;
      if (attempt == 0 && learned && replayable) continue;
    } else if (resp->status != 401 && call.url == UrlFor("/v2/")) {
      primed_ = true;
    }
    return resp;
  }
}

StatusOr<std::string> RegistryClient::ResolveLocation(const http::Response& resp) const {
  const std::string* loc = resp.Header("Location");
  if (!loc || loc->empty()) return Status(Code::kProtocol, "the registry's response has no Location header");
  if (loc->rfind("http://", 0) == 0 || loc->rfind("https://", 0) == 0) return *loc;
  if (loc->front() == '/') return UrlFor(*loc);
  return Status(Code::kProtocol, "unsupported relative Location '" + *loc + "'");
}

Status RegistryClient::Ping(const CallContext& ctx) {
  Call c{"GET", UrlFor("/v2/"), {}, "", {}, nullptr, -1, nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status == 401) {
    // The bare /v2/ check needs a token without scope; try one.
    auto retry = Send(c, ctx);
    if (!retry.ok()) return retry.status();
    if (retry->ok()) return OkStatus();
    return ErrorFromResponse(*retry, "registry check");
  }
  if (!resp->ok()) return ErrorFromResponse(*resp, "registry check");
  return OkStatus();
}

StatusOr<ManifestInfo> RegistryClient::HeadManifest(const std::string& repo, const std::string& ref,
                                                    const CallContext& ctx) {
  Call c{"HEAD",
         UrlFor("/v2/" + repo + "/manifests/" + ref),
         {{"Accept", AcceptedManifestTypes()}},
         "",
         PullScope(repo),
         nullptr,
         -1,
         nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status == 404) {
    return Status(Code::kNotFound, fmt::format("manifest {}:{} not found", repo, ref)).WithHttpStatus(404);
  }
  if (!resp->ok()) return ErrorFromResponse(*resp, fmt::format("check manifest {}:{}", repo, ref));
  ManifestInfo info;
  // A digest that is not one is ignored (and the body hashed instead).
  if (const std::string* d = resp->Header("Docker-Content-Digest"); d && IsDigest(*d)) info.digest = *d;
  if (const std::string* t = resp->Header("Content-Type")) info.media_type = StripControl(*t, false);
  info.size = ParseLength(resp->Header("Content-Length"));
  if (info.digest.empty()) {
    // Some registries omit the digest on HEAD: hash the body instead.
    auto m = GetManifest(repo, ref, AcceptedManifestTypes(), ctx);
    if (!m.ok()) return m.status();
    info.digest = m->digest;
    info.media_type = m->media_type;
    info.size = static_cast<int64_t>(m->body.size());
  }
  return info;
}

StatusOr<Manifest> RegistryClient::GetManifest(const std::string& repo, const std::string& ref,
                                               const std::string& accept, const CallContext& ctx) {
  Call c{"GET",  UrlFor("/v2/" + repo + "/manifests/" + ref), {{"Accept", accept}}, "", PullScope(repo), nullptr, -1,
         nullptr};
  c.max_response_bytes = kMaxManifestBytes;
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status == 404) {
    return Status(Code::kNotFound, fmt::format("manifest {}:{} not found", repo, ref)).WithHttpStatus(404);
  }
  if (!resp->ok()) return ErrorFromResponse(*resp, fmt::format("get manifest {}:{}", repo, ref));
  if (resp->body.size() > kMaxManifestBytes) return Status(Code::kProtocol, "manifest larger than 4 MiB");
  Manifest m;
  m.body = std::move(resp->body);
  m.digest = ContentDigest(IsDigest(ref) ? DigestAlgorithm(ref) : "sha256", m.body);
  if (IsDigest(ref) && ref != m.digest) {
    return Status(Code::kDigestMismatch, fmt::format("manifest {}@{} hashes to {}", repo, ref, m.digest));
  }
  if (const std::string* d = resp->Header("Docker-Content-Digest");
      d && IsDigest(*d) && *d != ContentDigest(DigestAlgorithm(*d), m.body)) {
    return Status(Code::kDigestMismatch, fmt::format("manifest {}:{}: the registry says {}, the content hashes to {}",
                                                     repo, ref, *d, m.digest));
  }
  const std::string* ct = resp->Header("Content-Type");
  auto parsed = ParseManifest(ct ? *ct : "", m.body);
  if (!parsed.ok()) return parsed.status();
  m.media_type = parsed->media_type;
  return m;
}

StatusOr<std::string> RegistryClient::PutManifest(const std::string& repo, const std::string& ref,
                                                  const std::string& media_type, const std::string& body,
                                                  const CallContext& ctx) {
  std::string digest = ContentDigest(IsDigest(ref) ? DigestAlgorithm(ref) : "sha256", body);
  if (IsDigest(ref) && ref != digest) {
    return Status(Code::kDigestMismatch,
                  fmt::format("push manifest {}@{}: the content hashes to {}", repo, ref, digest));
  }
  if (body.size() > kMaxManifestBytes) return Status(Code::kInvalidArgument, "manifest larger than 4 MiB");
  Call c{"PUT",
         UrlFor("/v2/" + repo + "/manifests/" + ref),
         {{"Content-Type", media_type}},
         body,
         PushScope(repo),
         nullptr,
         -1,
         nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status != 201 && resp->status != 200) {
    Status err = ErrorFromResponse(*resp, fmt::format("push manifest {}:{}", repo, ref));
    // SWR takes Docker manifest lists but answers an OCI index with 400 and
    // the registry error code UNKNOWN ("Invalid image, fail to parse
    // 'manifest.json'"); distribution's own refusals of a manifest carry
    // MANIFEST_* codes.
    if (media_type == kOciIndex && err.http_status() == 400 && err.swr_code() == "UNKNOWN") {
      err.WithReason(Reason::kOciIndexRefused);
    }
    return err;
  }
  if (const std::string* d = resp->Header("Docker-Content-Digest");
      d && IsDigest(*d) && *d != ContentDigest(DigestAlgorithm(*d), body)) {
    return Status(Code::kDigestMismatch,
                  fmt::format("push manifest {}:{}: the registry stored {}, we sent {}", repo, ref, *d, digest));
  }
  return digest;
}

Status RegistryClient::DeleteManifest(const std::string& repo, const std::string& ref, const CallContext& ctx) {
  std::string digest = ref;
  if (!IsDigest(ref)) {
    auto info = HeadManifest(repo, ref, ctx);
    if (!info.ok()) return info.status();
    digest = info->digest;
  }
  Call c{"DELETE", UrlFor("/v2/" + repo + "/manifests/" + digest), {}, "", PushScope(repo), nullptr, -1, nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->ok()) return OkStatus();
  return ErrorFromResponse(*resp, fmt::format("delete manifest {}@{}", repo, digest));
}

StatusOr<std::vector<std::string>> RegistryClient::ListPaged(const std::string& first_url,
                                                             const std::vector<std::string>& scopes,
                                                             const std::string& what, const std::string& field,
                                                             const std::function<bool(const std::string&)>& valid,
                                                             const CallContext& ctx) {
  std::vector<std::string> out;
  std::set<std::string> seen_items, seen_urls;
  std::string url = first_url;
  for (int page = 0; !url.empty(); ++page) {
    if (page >= kMaxListPages) {
      return Status(Code::kProtocol, fmt::format("{}: more than {} pages; stopped", what, kMaxListPages));
    }
    if (!seen_urls.insert(url).second) {
      return Status(Code::kProtocol, what + ": the registry's next-page link points back to a page already read");
    }
    Call c{"GET", url, {}, "", scopes, nullptr, -1, nullptr};
    c.max_response_bytes = kMaxListPageBytes;
    auto resp = Send(c, ctx);
    if (!resp.ok()) return resp.status();
    if (resp->status == 404) return Status(Code::kNotFound, what + ": not found").WithHttpStatus(404);
    if (!resp->ok()) return ErrorFromResponse(*resp, what);
    auto json = Json::Parse(resp->body);
    if (!json.ok()) return Status(Code::kProtocol, what + ": " + json.status().message());
    size_t fresh = 0, skipped = 0;
    for (auto& item : json->GetStrings(field)) {  // "tags": null is no tags
      if (!valid(item)) {
        ++skipped;
        continue;
      }
      if (seen_items.insert(item).second) {
        out.push_back(std::move(item));
        ++fresh;
      }
    }
    if (skipped) {
      options_.logger.Log(LogLevel::kWarn,
                          fmt::format("{}: ignored {} invalid name(s) the registry sent", what, skipped));
    }
    std::string next = NextLink(*resp);
    if (next.empty()) break;
    if (fresh == 0) return Status(Code::kProtocol, what + ": the registry's pages repeat without end");
    auto next_url = next.front() == '/' ? StatusOr<std::string>(UrlFor(next)) : StatusOr<std::string>(next);
    auto parsed = ParseUrl(*next_url);
    if (!parsed.ok() || parsed->Origin() != options_.base.Origin()) {
      return Status(Code::kProtocol, what + ": the registry's next-page link leaves the registry");
    }
    url = *next_url;
  }
  return out;
}

StatusOr<std::vector<std::string>> RegistryClient::ListTags(const std::string& repo, const CallContext& ctx) {
  auto tags = ListPaged(
      UrlFor("/v2/" + repo + "/tags/list?n=" + std::to_string(options_.list_page_size)), PullScope(repo),
      "list tags of " + repo, "tags", [](const std::string& t) { return IsValidTag(t); }, ctx);
  if (!tags.ok() && tags.status().code() == Code::kNotFound) {
    return Status(Code::kNotFound, "repository " + repo + " not found").WithHttpStatus(404);
  }
  return tags;
}

StatusOr<std::vector<std::string>> RegistryClient::Catalog(const CallContext& ctx) {
  auto repos = ListPaged(
      UrlFor("/v2/_catalog?n=" + std::to_string(options_.list_page_size)), {"registry:catalog:*"}, "list repositories",
      "repositories", [](const std::string& r) { return IsValidRepository(r); }, ctx);
  if (!repos.ok() && repos.status().code() == Code::kNotFound) {
    return Status(Code::kUnsupported, "the registry does not offer a catalog").WithHttpStatus(404);
  }
  return repos;
}

StatusOr<int64_t> RegistryClient::BlobSize(const std::string& repo, const std::string& digest, const CallContext& ctx) {
  Call c{"HEAD", UrlFor("/v2/" + repo + "/blobs/" + digest), {}, "", PullScope(repo), nullptr, -1, nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status == 404) return Status(Code::kNotFound, "blob " + digest + " not found").WithHttpStatus(404);
  if (IsRedirect(resp->status) || resp->ok()) {
    mounts_.Add(digest, repo);
    return ParseLength(resp->Header("Content-Length"));
  }
  return ErrorFromResponse(*resp, "check blob " + digest);
}

StatusOr<RegistryClient::BlobStream> RegistryClient::OpenBlob(const std::string& repo, const std::string& digest,
                                                              int64_t offset, int64_t length, bool verify,
                                                              const CallContext& ctx) {
  if (!IsDigest(digest)) return Status(Code::kInvalidArgument, "not a digest: '" + digest + "'");
  if (offset < 0) return Status(Code::kInvalidArgument, "negative blob offset");
  SWR_RETURN_IF_ERROR(Prime(PullScope(repo), ctx));
  const bool whole = offset == 0 && length < 0;
  std::string url = UrlFor("/v2/" + repo + "/blobs/" + digest);
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto pipe = std::make_shared<http::BodyPipe>(options_.pipe_capacity);
      if (whole && verify) pipe->ExpectDigest(digest, -1);
      HeaderList headers;
      if (!whole) {
        headers.emplace_back("Range", length < 0 ? fmt::format("bytes={}-", offset)
                                                 : fmt::format("bytes={}-{}", offset, offset + length - 1));
      }
      Call c{"GET", url, headers, "", PullScope(repo), nullptr, -1, pipe};
      auto resp = Send(c, ctx);
      if (!resp.ok()) return resp.status();
      if (resp->status == 401 && attempt == 0) {
        Drain(pipe);
        continue;  // Send learned the challenge or dropped the stale token
      }
      if (IsRedirect(resp->status)) {
        Drain(pipe);
        auto next = ResolveLocation(*resp);
        if (!next.ok()) return next.status();
        auto next_url = ParseUrl(*next);
        if (!next_url.ok()) return Status(Code::kProtocol, "the registry redirected to an invalid URL");
        if (next_url->scheme == "http" && ParseUrl(url)->scheme == "https" && !options_.allow_insecure_redirects) {
          return Status(Code::kProtocol, fmt::format("the registry redirected the download of {} from https to plain "
                                                     "http ({}); refused (allow insecure redirects to accept it)",
                                                     digest, next_url->Origin()));
        }
        url = *next;
        break;
      }
      if (resp->status == 200 || resp->status == 206) {
        if (!whole && resp->status == 200 && offset > 0) {
          Drain(pipe);
          return Status(Code::kUnsupported, "the registry ignored the Range request");
        }
        int64_t size = -1;
        size = ParseLength(resp->Header("Content-Length"));
        if (size >= 0) pipe->ExpectSize(size);
        return BlobStream{pipe, size};
      }
      http::Response err = *resp;
      err.body = Drain(pipe);
      if (err.status == 404) {
        return Status(Code::kNotFound, fmt::format("blob {} not found in {}", digest, repo)).WithHttpStatus(404);
      }
      return ErrorFromResponse(err, fmt::format("download blob {} from {}", digest, repo));
    }
  }
  return Status(Code::kProtocol, "too many redirects downloading " + digest);
}

StatusOr<UploadSession> RegistryClient::StartUpload(const std::string& repo, const CallContext& ctx) {
  Call c{"POST", UrlFor("/v2/" + repo + "/blobs/uploads/"), {}, "", PushScope(repo), nullptr, -1, nullptr, true};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status != 202) return ErrorFromResponse(*resp, "start an upload to " + repo);
  auto loc = ResolveLocation(*resp);
  if (!loc.ok()) return loc.status();
  return UploadSession{*loc, 0};
}

Status RegistryClient::PushBlob(const std::string& repo, const std::string& digest, int64_t size,
                                std::shared_ptr<http::BodyPipe> source, const CallContext& ctx) {
  if (size >= 0) source->ExpectSize(size);
  auto session = StartUpload(repo, ctx);
  if (!session.ok()) {
    source->Abort(session.status());
    return session.status();
  }
  Call c{"PUT",
         WithQuery(session->location, "digest", digest),
         {{"Content-Type", "application/octet-stream"}},
         "",
         PushScope(repo),
         source,
         size,
         nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok() || resp->status != 201) {
    // When the data came from a download, its own verdict (short body, wrong
    // digest) explains the failure better than the upload's: wait for it.
    source->WaitWriterDone(std::chrono::seconds(2));
  }
  // The pipe keeps the first failure: the source's when the download broke
  // first (it is to blame), else the upload's own.
  Status src = source->status();
  if (src.code() == Code::kDigestMismatch) return src;
  if (!resp.ok()) return src.ok() || src.code() == Code::kCancelled ? resp.status() : src;
  if (resp->status != 201) {
    source->Abort(Status(Code::kCancelled, "upload refused"));
    return ErrorFromResponse(*resp, fmt::format("upload blob {} to {}", digest, repo));
  }
  if (const std::string* d = resp->Header("Docker-Content-Digest"); d && !d->empty() && *d != digest) {
    return Status(Code::kDigestMismatch, "the registry stored " + *d + " for " + digest);
  }
  mounts_.Add(digest, repo);
  return OkStatus();
}

StatusOr<UploadSession> RegistryClient::UploadChunk(const std::string& repo, const UploadSession& session,
                                                    std::shared_ptr<http::BodyPipe> source, int64_t length,
                                                    const CallContext& ctx) {
  if (length <= 0) return Status(Code::kInvalidArgument, "a chunk must not be empty");
  HeaderList headers = {{"Content-Type", "application/octet-stream"},
                        {"Content-Range", fmt::format("{}-{}", session.offset, session.offset + length - 1)}};
  Call c{"PATCH", session.location, headers, "", PushScope(repo), source, length, nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status != 202) {
    if (resp->status == 416) {
      return Status(Code::kConflict, "the registry holds a different part of this upload").WithHttpStatus(416);
    }
    return ErrorFromResponse(*resp, "upload a chunk to " + repo);
  }
  auto loc = ResolveLocation(*resp);
  if (!loc.ok()) return loc.status();
  int64_t end = ParseRangeEnd(resp->Header("Range"));
  UploadSession next{*loc, end >= 0 ? end + 1 : session.offset + length};
  if (next.offset != session.offset + length) {
    return Status(Code::kProtocol, fmt::format("after a chunk the registry holds {} bytes, expected {}", next.offset,
                                               session.offset + length));
  }
  return next;
}

StatusOr<UploadSession> RegistryClient::UploadStatus(const std::string& repo, const UploadSession& session,
                                                     const CallContext& ctx) {
  Call c{"GET", session.location, {}, "", PushScope(repo), nullptr, -1, nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status == 404) return Status(Code::kNotFound, "the upload session is gone").WithHttpStatus(404);
  if (resp->status != 204 && resp->status != 200) return ErrorFromResponse(*resp, "check an upload to " + repo);
  int64_t end = ParseRangeEnd(resp->Header("Range"));
  auto loc = resp->Header("Location") ? ResolveLocation(*resp) : StatusOr<std::string>(session.location);
  if (!loc.ok()) return loc.status();
  // distribution reports "0-0" both for nothing and for one byte; one byte
  // can only be held when we sent past it.
  int64_t offset = end < 0 ? 0 : end + 1;
  if (end == 0 && session.offset == 0) offset = 0;
  return UploadSession{*loc, offset};
}

Status RegistryClient::FinishUpload(const std::string& repo, const UploadSession& session, const std::string& digest,
                                    const CallContext& ctx) {
  Call c{"PUT",
         WithQuery(session.location, "digest", digest),
         {{"Content-Type", "application/octet-stream"}},
         "",
         PushScope(repo),
         nullptr,
         -1,
         nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status != 201) return ErrorFromResponse(*resp, fmt::format("finish the upload of {} to {}", digest, repo));
  mounts_.Add(digest, repo);
  return OkStatus();
}

Status RegistryClient::CancelUpload(const std::string& repo, const UploadSession& session, const CallContext& ctx) {
  Call c{"DELETE", session.location, {}, "", PushScope(repo), nullptr, -1, nullptr};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->ok() || resp->status == 404) return OkStatus();
  return ErrorFromResponse(*resp, "cancel an upload to " + repo);
}

StatusOr<bool> RegistryClient::MountBlob(const std::string& repo, const std::string& digest,
                                         const std::string& from_repo, const CallContext& ctx) {
  std::vector<std::string> scopes = PushScope(repo);
  scopes.push_back("repository:" + from_repo + ":pull");
  std::string url =
      UrlFor("/v2/" + repo + "/blobs/uploads/?mount=" + PercentEncode(digest) + "&from=" + PercentEncode(from_repo));
  Call c{"POST", url, {}, "", scopes, nullptr, -1, nullptr, true};
  auto resp = Send(c, ctx);
  if (!resp.ok()) return resp.status();
  if (resp->status == 201) {
    mounts_.Add(digest, repo);
    return true;
  }
  if (resp->status == 202) {
    // Not mounted; the registry opened an upload session we do not need.
    if (auto loc = ResolveLocation(*resp); loc.ok()) (void)CancelUpload(repo, UploadSession{*loc, 0}, ctx);
    return false;
  }
  return ErrorFromResponse(*resp, fmt::format("mount blob {} from {} into {}", digest, from_repo, repo));
}

}  // namespace swr::registry
