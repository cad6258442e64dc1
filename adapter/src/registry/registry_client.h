// A Docker Registry V2 / OCI distribution client: token auth, manifests,
// streamed blobs, monolithic and chunked uploads, cross-repository mounts.
// Blob bodies never sit whole in memory: they flow through BodyPipes.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/call_context.h"
#include "common/cancel.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "common/url.h"
#include "http/body_pipe.h"
#include "http/transport.h"
#include "registry/auth.h"
#include "registry/mount_index.h"
#include "registry/reference.h"

namespace swr::registry {

struct RegistryOptions {
  Url base;                      // scheme://host[:port]
  BasicCredentials credentials;  // empty user name: anonymous
  // SWR often leaves expires_in out of its token responses.
  std::chrono::seconds default_token_lifetime{300};
  int list_page_size = 1000;  // n= for tags/list and _catalog
  size_t pipe_capacity = http::BodyPipe::kDefaultCapacity;
  // Blob downloads may be redirected from https:// to http:// only when set.
  bool allow_insecure_redirects = false;
  std::shared_ptr<Clock> clock = DefaultClock();
  Logger logger;
};

struct ManifestInfo {
  std::string digest;  // from Docker-Content-Digest, else computed
  std::string media_type;
  int64_t size = -1;
};

struct Manifest {
  std::string digest;  // SHA-256 of body, checked against the server's claim
  std::string media_type;
  std::string body;
};

// An upload session: where to send the next part and how much the registry
// holds.
struct UploadSession {
  std::string location;  // absolute URL
  int64_t offset = 0;    // bytes the registry has
};

class RegistryClient {
 public:
  RegistryClient(std::shared_ptr<http::Transport> transport, RegistryOptions options);

  const Url& base() const { return options_.base; }
  // Knows this client's password and tokens.
  const Redactor& redactor() const { return options_.logger.redactor(); }
  std::shared_ptr<const Redactor> shared_redactor() const { return options_.logger.shared_redactor(); }

  // Checks reachability and credentials at /v2/.
  Status Ping(const CallContext& ctx = {});

  // kNotFound when absent.
  StatusOr<ManifestInfo> HeadManifest(const std::string& repo, const std::string& ref, const CallContext& ctx = {});
  StatusOr<Manifest> GetManifest(const std::string& repo, const std::string& ref,
                                 const std::string& accept = AcceptedManifestTypes(), const CallContext& ctx = {});
  // Returns the digest the registry reports.
  StatusOr<std::string> PutManifest(const std::string& repo, const std::string& ref, const std::string& media_type,
                                    const std::string& body, const CallContext& ctx = {});
  // A tag is resolved to its digest first (registries delete by digest).
  Status DeleteManifest(const std::string& repo, const std::string& ref, const CallContext& ctx = {});
  StatusOr<std::vector<std::string>> ListTags(const std::string& repo, const CallContext& ctx = {});
  StatusOr<std::vector<std::string>> Catalog(const CallContext& ctx = {});

  // The blob's size, or kNotFound.
  StatusOr<int64_t> BlobSize(const std::string& repo, const std::string& digest, const CallContext& ctx = {});
  // Starts a GET of the blob (from `offset`, `length` bytes; -1: to the end)
  // and returns, once the headers are in, the pipe its bytes flow into and
  // how many will arrive. Redirects are followed (credentials stay with the
  // registry). A whole-blob read is checked against the digest as it flows:
  // a mismatch or a short body fails the pipe instead of ending it.
  struct BlobStream {
    std::shared_ptr<http::BodyPipe> pipe;
    int64_t size = 0;
  };
  // `verify` false skips the SHA-256 (the size is still checked): for copies
  // into a registry, which checks the digest itself on upload.
  StatusOr<BlobStream> OpenBlob(const std::string& repo, const std::string& digest, int64_t offset = 0,
                                int64_t length = -1, bool verify = true, const CallContext& ctx = {});
  // Monolithic upload: POST, then one PUT ?digest= carrying `size` bytes read
  // from `source`. Only returns OK once the registry has accepted the blob.
  Status PushBlob(const std::string& repo, const std::string& digest, int64_t size,
                  std::shared_ptr<http::BodyPipe> source, const CallContext& ctx = {});

  StatusOr<UploadSession> StartUpload(const std::string& repo, const CallContext& ctx = {});
  // PATCH `length` bytes from `source` as the range starting at session.offset.
  StatusOr<UploadSession> UploadChunk(const std::string& repo, const UploadSession& session,
                                      std::shared_ptr<http::BodyPipe> source, int64_t length,
                                      const CallContext& ctx = {});
  // Asks the registry how much of the upload it holds (after a failure).
  StatusOr<UploadSession> UploadStatus(const std::string& repo, const UploadSession& session,
                                       const CallContext& ctx = {});
  Status FinishUpload(const std::string& repo, const UploadSession& session, const std::string& digest,
                      const CallContext& ctx = {});
  Status CancelUpload(const std::string& repo, const UploadSession& session, const CallContext& ctx = {});

  // Cross-repository mount. true: mounted; false: the registry declined
  // (202), nothing to clean up.
  StatusOr<bool> MountBlob(const std::string& repo, const std::string& digest, const std::string& from_repo,
                           const CallContext& ctx = {});

  // Repositories of this registry known to hold each blob: fed by BlobSize,
  // PushBlob, FinishUpload and MountBlob on success; read by copies.
  MountIndex& mounts() { return mounts_; }
  // Bytes one blob stream may hold in memory.
  size_t pipe_capacity() const { return options_.pipe_capacity; }

  // Makes every call in progress and later fail with kCancelled, including
  // reads and writes of open blob streams. Terminal (for shutdown); single
  // calls are cancelled through their CallContext. Safe from any thread.
  void Cancel() { cancel_->Cancel(); }
  bool cancelled() const { return cancel_->cancelled(); }

 private:
  struct Call {
    std::string method;
    std::string url;  // absolute
    HeaderList headers;
    std::string body;
    std::vector<std::string> scopes;
    std::shared_ptr<http::BodyPipe> body_pipe;
    int64_t body_length = -1;
    std::shared_ptr<http::BodyPipe> sink;
    // POSTs that are safe to repeat (a new upload session, a mount) say so.
    std::optional<bool> idempotent = std::nullopt;
    size_t max_response_bytes = kMaxErrorBodyBytes;
  };
  // Error bodies and other small answers; manifests and list pages say more.
  static constexpr size_t kMaxErrorBodyBytes = 64 << 10;
  // Follows rel="next" links within the registry's origin: every page at
  // most once, at most 1000 pages, each adding something new. Names that
  // fail `valid` are left out (with a warning).
  StatusOr<std::vector<std::string>> ListPaged(const std::string& first_url, const std::vector<std::string>& scopes,
                                               const std::string& what, const std::string& field,
                                               const std::function<bool(const std::string&)>& valid,
                                               const CallContext& ctx);
  // Sends with authentication: on a 401 learns the challenge and retries once
  // (not when a streamed request body was already consumed).
  StatusOr<http::Response> Send(Call call, const CallContext& ctx);
  StatusOr<std::string> ResolveLocation(const http::Response& resp) const;
  std::string UrlFor(const std::string& path) const;
  // Learns whether and how the registry wants authentication, once.
  Status Prime(const std::vector<std::string>& scopes, const CallContext& ctx);
  static std::vector<std::string> PullScope(const std::string& repo);
  static std::vector<std::string> PushScope(const std::string& repo);

  std::shared_ptr<http::Transport> transport_;
  RegistryOptions options_;
  Authenticator auth_;
  std::shared_ptr<CancelToken> cancel_ = std::make_shared<CancelToken>();
  std::atomic<bool> primed_{false};
  MountIndex mounts_;
};

}  // namespace swr::registry
