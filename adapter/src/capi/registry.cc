#include <fmt/format.h>

#include <functional>
#include <thread>

#include "capi/capi_internal.h"
#include "registry/reference.h"

using swr::capi::CopyString;
using swr::capi::Guard;
using swr::capi::SetError;

struct swr_blob_reader {
  std::shared_ptr<swr::http::BodyPipe> pipe;
  int64_t size = -1;
  std::shared_ptr<const swr::Redactor> redactor;
};

// A background request that drains `pipe` while the caller writes into it.
struct StreamUpload {
  std::shared_ptr<swr::http::BodyPipe> pipe;
  std::thread worker;
  swr::Status result;
  bool finished = false;

  // Runs `work` (the request that drains the pipe) on its own thread. Once the
  // registry has answered, nothing more can be written: later writes fail
  // with the answer's error, or with `overflow` when it succeeded.
  void Start(std::function<swr::Status()> work, const char* overflow) {
    pipe = std::make_shared<swr::http::BodyPipe>();
    worker = std::thread([this, work = std::move(work), overflow] {
      swr::Status s;
      try {
        s = work();
      } catch (...) {
        s = swr::Status(swr::Code::kUnknown, "internal error in the upload");
      }
      result = s;
      pipe->Abort(s.ok() ? swr::Status(swr::Code::kProtocol, overflow) : s);
    });
  }

  int Write(const void* data, size_t len, const char* fn, swr_error** err) {
    if (!data && len) return SetError(err, SWR_EINVALID, std::string(fn) + ": data is NULL");
    if (finished) return SetError(err, SWR_EINVALID, std::string(fn) + ": already committed");
    swr::Status s = pipe->Write(static_cast<const char*>(data), len);
    if (s.ok()) return SWR_OK;
    // The upload ended early: the registry's answer explains it better than
    // the closed pipe does (a 413, a refused digest, a lost connection).
    if (worker.joinable()) worker.join();
    return SetError(err, result.ok() ? s : result);
  }

  void Finish(bool commit) {
    if (finished) return;
    finished = true;
    if (commit) {
      pipe->CloseWrite();
    } else {
      pipe->Abort(swr::Status(swr::Code::kCancelled, "the upload was abandoned before commit"));
    }
    if (worker.joinable()) worker.join();
  }
  ~StreamUpload() { Finish(false); }
};

struct swr_blob_writer {
  StreamUpload upload;
  std::shared_ptr<const swr::Redactor> redactor;
  swr_registry* reg = nullptr;
  std::string repo, digest;
};

struct swr_chunk_writer {
  StreamUpload upload;
  std::shared_ptr<const swr::Redactor> redactor;
  swr::registry::UploadSession next;
};

namespace {

constexpr int64_t kDefaultMinRate = 64 << 10;

// Everything a caller passes that ends up in a URL is checked here, before
// any request: names, references, digests and upload locations.
bool ValidRepo(const char* repo) { return repo && swr::registry::IsValidRepository(repo); }
bool ValidRef(const char* ref) { return ref && swr::registry::IsValidReference(ref); }
bool ValidDigest(const char* digest) { return digest && swr::registry::IsDigest(digest); }
bool ValidLocation(const char* location) {
  if (!location) return false;
  for (const char* p = location; *p; ++p) {
    if (static_cast<unsigned char>(*p) <= 0x20 || *p == 0x7f) return false;
  }
  return swr::ParseUrl(location).ok() && std::string_view(location).find("://") != std::string_view::npos;
}

int BadArg(swr_error** err, const char* fn, const char* what, const char* value) {
  std::string shown = value ? std::string(value).substr(0, 200) : "(null)";
  return SetError(err, SWR_EINVALID, fmt::format("{}: invalid {} '{}'", fn, what, shown));
}
int BadRepo(swr_error** err, const char* fn, const char* repo) { return BadArg(err, fn, "repository name", repo); }

swr_upload* NewUpload(const swr::registry::UploadSession& s) {
  auto* u = static_cast<swr_upload*>(std::calloc(1, sizeof(swr_upload)));
  if (!u) return nullptr;
  u->location = CopyString(s.location);
  u->offset = s.offset;
  if (!u->location) {
    std::free(u);
    return nullptr;
  }
  return u;
}

swr_manifest* NewManifest(const std::string& digest, const std::string& media_type, const std::string* body,
                          size_t size) {
  auto* m = static_cast<swr_manifest*>(std::calloc(1, sizeof(swr_manifest)));
  if (!m) return nullptr;
  m->digest = CopyString(digest);
  m->media_type = CopyString(media_type);
  m->size = size;
  bool ok = m->digest && m->media_type;
  if (body && ok) {
    m->data = std::malloc(body->size() ? body->size() : 1);
    ok = m->data != nullptr;
    if (ok) std::memcpy(m->data, body->data(), body->size());
  }
  if (!ok) {
    swr_manifest_free(m);
    return nullptr;
  }
  return m;
}

}  // namespace

extern "C" {

int swr_registry_new(swr_registry** out, const swr_registry_options* opts, swr_error** err) {
  auto given = swr::capi::RedactorFor({opts ? opts->password : nullptr});
  return Guard(err, {given.get()}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_registry_new: out is NULL");
    *out = nullptr;
    if (!opts || opts->version != SWR_REGISTRY_OPTIONS_VERSION) {
      return SetError(err, SWR_EINVALID, "swr_registry_new: options missing or of an unknown version");
    }
    if (!opts->url) return SetError(err, SWR_EINVALID, "swr_registry_new: url is required");
    if (opts->buffer_bytes > (size_t(1) << 30)) {
      return SetError(err, SWR_EINVALID, "swr_registry_new: buffer_bytes must be at most 1 GiB");
    }
    swr::RegistryConfig rc;
    rc.url = opts->url;
    if (opts->username && *opts->username) rc.credentials = {opts->username, opts->password ? opts->password : ""};
    rc.insecure = opts->insecure != 0;
    rc.allow_plain_http = opts->allow_plain_http != 0;
    rc.allow_insecure_redirects = opts->allow_insecure_redirects != 0;
    rc.ca_pem = opts->ca_pem ? opts->ca_pem : "";
    if (opts->timeout_ms) rc.timeout = std::chrono::milliseconds(opts->timeout_ms);
    if (opts->max_attempts) rc.retry.max_attempts = static_cast<int>(std::min(opts->max_attempts, 20u));
    rc.user_agent = opts->user_agent ? opts->user_agent : "";
    if (opts->buffer_bytes) rc.pipe_capacity = opts->buffer_bytes;
    if (opts->log_cb) {
      rc.log_sink = swr::capi::CLogSink(opts->log_cb, opts->log_payload);
      rc.log_level = swr::capi::CLogLevel(opts->log_level);
    }
    auto client = swr::MakeRegistryClient(rc);
    if (!client.ok()) return SetError(err, client.status());
    auto* reg = new swr_registry();
    reg->client = std::move(client).value();
    *out = reg;
    return SWR_OK;
  });
}

void swr_registry_free(swr_registry* reg) { delete reg; }

swr_registry* swr_client_registry(swr_client* client) { return client ? &client->registry : nullptr; }

void swr_registry_cancel(swr_registry* reg) {
  try {
    if (reg && reg->client) reg->client->Cancel();
  } catch (...) {
  }
}

void swr_client_cancel(swr_client* client) {
  if (client) swr_registry_cancel(&client->registry);
}

int swr_registry_ping(swr_registry* reg, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!reg) return SetError(err, SWR_EINVALID, "swr_registry_ping: reg is NULL");
    swr::Status s = reg->client->Ping();
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_manifest_head(swr_manifest** out, swr_registry* reg, const char* repo, const char* ref, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg || !ref) return SetError(err, SWR_EINVALID, "swr_manifest_head: out, reg and ref are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_head", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_head", "tag or digest", ref);
    auto info = reg->client->HeadManifest(repo, ref);
    if (!info.ok()) return SetError(err, info.status());
    *out = NewManifest(info->digest, info->media_type, nullptr, info->size < 0 ? 0 : static_cast<size_t>(info->size));
    return *out ? SWR_OK : SetError(err, SWR_ENOMEM, "out of memory");
  });
}

int swr_manifest_get(swr_manifest** out, swr_registry* reg, const char* repo, const char* ref, const char* accept,
                     swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg || !ref) return SetError(err, SWR_EINVALID, "swr_manifest_get: out, reg and ref are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_get", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_get", "tag or digest", ref);
    auto m = accept && *accept ? reg->client->GetManifest(repo, ref, accept) : reg->client->GetManifest(repo, ref);
    if (!m.ok()) return SetError(err, m.status());
    *out = NewManifest(m->digest, m->media_type, &m->body, m->body.size());
    return *out ? SWR_OK : SetError(err, SWR_ENOMEM, "out of memory");
  });
}

int swr_manifest_put(char** digest_out, swr_registry* reg, const char* repo, const char* ref, const char* media_type,
                     const void* data, size_t size, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (digest_out) *digest_out = nullptr;
    if (!reg || !ref || !media_type || (size && !data)) {
      return SetError(err, SWR_EINVALID, "swr_manifest_put: reg, ref, media_type and data are required");
    }
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_put", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_put", "tag or digest", ref);
    auto d = reg->client->PutManifest(repo, ref, media_type, std::string(static_cast<const char*>(data), size));
    if (!d.ok()) return SetError(err, d.status());
    if (digest_out) {
      *digest_out = CopyString(*d);
      if (!*digest_out) return SetError(err, SWR_ENOMEM, "out of memory");
    }
    return SWR_OK;
  });
}

int swr_manifest_delete(swr_registry* reg, const char* repo, const char* ref, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!reg || !ref) return SetError(err, SWR_EINVALID, "swr_manifest_delete: reg and ref are required");
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_delete", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_delete", "tag or digest", ref);
    swr::Status s = reg->client->DeleteManifest(repo, ref);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

void swr_manifest_free(swr_manifest* m) {
  if (!m) return;
  std::free(m->digest);
  std::free(m->media_type);
  std::free(m->data);
  std::free(m);
}

int swr_tags_list(swr_string_list** out, swr_registry* reg, const char* repo, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_tags_list: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_tags_list", repo);
    auto tags = reg->client->ListTags(repo);
    if (!tags.ok()) return SetError(err, tags.status());
    auto* list = static_cast<swr_string_list*>(std::calloc(1, sizeof(swr_string_list)));
    if (!list) return SetError(err, SWR_ENOMEM, "out of memory");
    if (!tags->empty()) {
      list->items = static_cast<char**>(std::calloc(tags->size(), sizeof(char*)));
      if (!list->items) {
        std::free(list);
        return SetError(err, SWR_ENOMEM, "out of memory");
      }
    }
    for (const auto& t : *tags) {
      list->items[list->count] = CopyString(t);
      if (!list->items[list->count]) {
        swr_string_list_free(list);
        return SetError(err, SWR_ENOMEM, "out of memory");
      }
      ++list->count;
    }
    *out = list;
    return SWR_OK;
  });
}

void swr_string_list_free(swr_string_list* list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; ++i) std::free(list->items[i]);
  std::free(list->items);
  std::free(list);
}

int swr_blob_exists(int* exists, long long* size, swr_registry* reg, const char* repo, const char* digest,
                    swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!exists || !reg || !digest) return SetError(err, SWR_EINVALID, "swr_blob_exists: exists, reg and digest are required");
    *exists = 0;
    if (size) *size = -1;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_exists", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_exists", "digest", digest);
    auto s = reg->client->BlobSize(repo, digest);
    if (!s.ok()) {
      if (s.status().code() == swr::Code::kNotFound) return SWR_OK;
      return SetError(err, s.status());
    }
    *exists = 1;
    if (size) *size = *s;
    reg->mounts->Add(digest, repo);
    return SWR_OK;
  });
}

int swr_blob_open_read(swr_blob_reader** out, swr_registry* reg, const char* repo, const char* digest,
                       long long offset, long long length, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg || !digest) return SetError(err, SWR_EINVALID, "swr_blob_open_read: out, reg and digest are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_open_read", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_open_read", "digest", digest);
    if (length == 0 || length < -1) return SetError(err, SWR_EINVALID, "swr_blob_open_read: length must be > 0 or -1");
    if (offset < 0) return SetError(err, SWR_EINVALID, "swr_blob_open_read: offset must be >= 0");
    if (length > 0 && offset > INT64_MAX - length) {
      return SetError(err, SWR_EINVALID, "swr_blob_open_read: offset + length overflows");
    }
    auto stream = reg->client->OpenBlob(repo, digest, offset, length);
    if (!stream.ok()) return SetError(err, stream.status());
    *out = new swr_blob_reader{stream->pipe, stream->size, reg->client->shared_redactor()};
    return SWR_OK;
  });
}

long long swr_blob_reader_size(const swr_blob_reader* r) { return r ? r->size : -1; }

int swr_blob_read(size_t* nread, swr_blob_reader* r, void* buf, size_t len, swr_error** err) {
  return Guard(err, {r ? r->redactor.get() : nullptr}, [&]() -> int {
    if (!nread || !r || (!buf && len)) return SetError(err, SWR_EINVALID, "swr_blob_read: nread, r and buf are required");
    *nread = 0;
    if (len == 0) return SWR_OK;
    auto n = r->pipe->Read(static_cast<char*>(buf), len);
    if (!n.ok()) return SetError(err, n.status());
    *nread = *n;
    return SWR_OK;
  });
}

void swr_blob_reader_free(swr_blob_reader* r) {
  if (!r) return;
  r->pipe->Abort(swr::Status(swr::Code::kCancelled, "the reader was closed"));
  delete r;
}

int swr_blob_open_write(swr_blob_writer** out, swr_registry* reg, const char* repo, const char* digest, long long size,
                        swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg || !digest) return SetError(err, SWR_EINVALID, "swr_blob_open_write: out, reg and digest are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_open_write", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_open_write", "digest", digest);
    if (size < -1) return SetError(err, SWR_EINVALID, "swr_blob_open_write: size must be >= 0 or -1");
    auto w = std::make_unique<swr_blob_writer>();
    w->reg = reg;
    w->redactor = reg->client->shared_redactor();
    w->repo = repo;
    w->digest = digest;
    auto client = reg->client;
    auto* upload = &w->upload;
    std::string r(repo), d(digest);
    w->upload.Start([client, upload, r, d, size] { return client->PushBlob(r, d, size, upload->pipe); },
                    "more data than the declared blob size");
    *out = w.release();
    return SWR_OK;
  });
}

int swr_blob_write(swr_blob_writer* w, const void* data, size_t len, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (!w) return SetError(err, SWR_EINVALID, "swr_blob_write: w is NULL");
    return w->upload.Write(data, len, "swr_blob_write", err);
  });
}

int swr_blob_commit(swr_blob_writer* w, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (!w) return SetError(err, SWR_EINVALID, "swr_blob_commit: w is NULL");
    if (w->upload.finished) return SetError(err, SWR_EINVALID, "swr_blob_commit: already committed");
    w->upload.Finish(true);
    if (!w->upload.result.ok()) return SetError(err, w->upload.result);
    w->reg->mounts->Add(w->digest, w->repo);
    return SWR_OK;
  });
}

void swr_blob_writer_free(swr_blob_writer* w) { delete w; }

int swr_upload_start(swr_upload** out, swr_registry* reg, const char* repo, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_upload_start: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_start", repo);
    auto s = reg->client->StartUpload(repo);
    if (!s.ok()) return SetError(err, s.status());
    *out = NewUpload(*s);
    return *out ? SWR_OK : SetError(err, SWR_ENOMEM, "out of memory");
  });
}

int swr_upload_status(swr_upload** out, swr_registry* reg, const char* repo, const char* location, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg || !location) return SetError(err, SWR_EINVALID, "swr_upload_status: out, reg and location are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_status", repo);
    if (!ValidLocation(location)) return BadArg(err, "swr_upload_status", "upload location", location);
    auto s = reg->client->UploadStatus(repo, swr::registry::UploadSession{location, 0});
    if (!s.ok()) return SetError(err, s.status());
    *out = NewUpload(*s);
    return *out ? SWR_OK : SetError(err, SWR_ENOMEM, "out of memory");
  });
}

int swr_upload_finish(swr_registry* reg, const char* repo, const char* location, const char* digest, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!reg || !location || !digest) return SetError(err, SWR_EINVALID, "swr_upload_finish: reg, location and digest are required");
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_finish", repo);
    if (!ValidLocation(location)) return BadArg(err, "swr_upload_finish", "upload location", location);
    if (!ValidDigest(digest)) return BadArg(err, "swr_upload_finish", "digest", digest);
    swr::Status s = reg->client->FinishUpload(repo, swr::registry::UploadSession{location, 0}, digest);
    if (!s.ok()) return SetError(err, s);
    reg->mounts->Add(digest, repo);
    return SWR_OK;
  });
}

int swr_upload_cancel(swr_registry* reg, const char* repo, const char* location, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!reg || !location) return SetError(err, SWR_EINVALID, "swr_upload_cancel: reg and location are required");
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_cancel", repo);
    if (!ValidLocation(location)) return BadArg(err, "swr_upload_cancel", "upload location", location);
    swr::Status s = reg->client->CancelUpload(repo, swr::registry::UploadSession{location, 0});
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

void swr_upload_free(swr_upload* u) {
  if (!u) return;
  std::free(u->location);
  std::free(u);
}

int swr_chunk_open(swr_chunk_writer** out, swr_registry* reg, const char* repo, const char* location, long long offset,
                   long long length, swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!out || !reg || !location) return SetError(err, SWR_EINVALID, "swr_chunk_open: out, reg and location are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_chunk_open", repo);
    if (!ValidLocation(location)) return BadArg(err, "swr_chunk_open", "upload location", location);
    if (offset < 0 || length <= 0) return SetError(err, SWR_EINVALID, "swr_chunk_open: need offset >= 0 and length > 0");
    if (offset > INT64_MAX - length) return SetError(err, SWR_EINVALID, "swr_chunk_open: offset + length overflows");
    auto w = std::make_unique<swr_chunk_writer>();
    w->redactor = reg->client->shared_redactor();
    auto client = reg->client;
    auto* raw = w.get();
    swr::registry::UploadSession session{location, offset};
    std::string r(repo);
    w->upload.Start(
        [client, raw, session, r, length] {
          auto next = client->UploadChunk(r, session, raw->upload.pipe, length);
          if (!next.ok()) return next.status();
          raw->next = *next;
          return swr::OkStatus();
        },
        "more data than the declared chunk length");
    *out = w.release();
    return SWR_OK;
  });
}

int swr_chunk_write(swr_chunk_writer* w, const void* data, size_t len, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (!w) return SetError(err, SWR_EINVALID, "swr_chunk_write: w is NULL");
    return w->upload.Write(data, len, "swr_chunk_write", err);
  });
}

int swr_chunk_commit(swr_upload** next, swr_chunk_writer* w, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (next) *next = nullptr;
    if (!w) return SetError(err, SWR_EINVALID, "swr_chunk_commit: w is NULL");
    if (w->upload.finished) return SetError(err, SWR_EINVALID, "swr_chunk_commit: already committed");
    w->upload.Finish(true);
    if (!w->upload.result.ok()) return SetError(err, w->upload.result);
    if (next) {
      *next = NewUpload(w->next);
      if (!*next) return SetError(err, SWR_ENOMEM, "out of memory");
    }
    return SWR_OK;
  });
}

void swr_chunk_writer_free(swr_chunk_writer* w) { delete w; }

int swr_blob_mount(int* mounted, swr_registry* reg, const char* repo, const char* digest, const char* from_repo,
                   swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!mounted || !reg || !digest) return SetError(err, SWR_EINVALID, "swr_blob_mount: mounted, reg and digest are required");
    *mounted = 0;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_mount", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_mount", "digest", digest);
    if (!ValidRepo(from_repo)) return BadRepo(err, "swr_blob_mount", from_repo);
    auto m = reg->client->MountBlob(repo, digest, from_repo);
    if (!m.ok()) return SetError(err, m.status());
    *mounted = *m ? 1 : 0;
    if (*m) reg->mounts->Add(digest, repo);
    return SWR_OK;
  });
}

int swr_blob_mount_source(char** repo_out, swr_registry* reg, const char* digest, const char* except_repo,
                          swr_error** err) {
  return Guard(err, {reg ? reg->redactor() : nullptr}, [&]() -> int {
    if (!repo_out || !reg || !digest) return SetError(err, SWR_EINVALID, "swr_blob_mount_source: repo_out, reg and digest are required");
    *repo_out = nullptr;
    auto repos = reg->mounts->Find(digest, except_repo ? except_repo : "");
    if (repos.empty()) return SetError(err, SWR_ENOTFOUND, "no repository known to hold " + std::string(digest));
    *repo_out = CopyString(repos.front());
    return *repo_out ? SWR_OK : SetError(err, SWR_ENOMEM, "out of memory");
  });
}

int swr_copy(swr_copy_result** out, swr_registry* src, const char* src_repo, const char* src_ref, swr_registry* dst,
             const char* dst_repo, const char* dst_ref, const swr_copy_options* opts, swr_error** err) {
  return Guard(err, {src ? src->redactor() : nullptr, dst ? dst->redactor() : nullptr}, [&]() -> int {
    if (!out || !src || !dst || !src_ref) return SetError(err, SWR_EINVALID, "swr_copy: out, src, dst and src_ref are required");
    *out = nullptr;
    if (!ValidRepo(src_repo)) return BadRepo(err, "swr_copy", src_repo);
    if (!ValidRepo(dst_repo)) return BadRepo(err, "swr_copy", dst_repo);
    if (!ValidRef(src_ref)) return BadArg(err, "swr_copy", "source tag or digest", src_ref);
    if (dst_ref && *dst_ref && !swr::registry::IsValidTag(dst_ref)) {
      return BadArg(err, "swr_copy", "destination tag", dst_ref);
    }
    if (opts && opts->version != SWR_COPY_OPTIONS_VERSION) return SetError(err, SWR_EINVALID, "swr_copy: unknown options version");
    swr::replication::CopyOptions co;
    co.min_bytes_per_second = kDefaultMinRate;
    if (opts) {
      if (opts->parallel_blobs < 0 || opts->parallel_blobs > 64) {
        return SetError(err, SWR_EINVALID, "swr_copy: parallel_blobs must be between 0 (default) and 64");
      }
      if (opts->blob_attempts < 0 || opts->blob_attempts > 20) {
        return SetError(err, SWR_EINVALID, "swr_copy: blob_attempts must be between 0 (default) and 20");
      }
      if (opts->parallel_blobs > 0) co.parallel_blobs = opts->parallel_blobs;
      if (opts->blob_attempts > 0) co.blob_attempts = opts->blob_attempts;
      if (opts->chunk_size < 0) return SetError(err, SWR_EINVALID, "swr_copy: chunk_size must be >= 0");
      co.chunk_size = opts->chunk_size;
      co.verify_downloads = opts->verify_downloads != 0;
      if (opts->deadline_ms < 0) return SetError(err, SWR_EINVALID, "swr_copy: deadline_ms must be >= 0");
      if (opts->deadline_ms > 0) {
        long long ms = std::min<long long>(opts->deadline_ms, 30LL * 86400 * 1000);
        co.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
      }
      if (opts->min_bytes_per_second < -1) {
        return SetError(err, SWR_EINVALID, "swr_copy: min_bytes_per_second must be >= -1");
      }
      co.min_bytes_per_second = opts->min_bytes_per_second == 0    ? kDefaultMinRate
                                : opts->min_bytes_per_second == -1 ? 0
                                                                   : opts->min_bytes_per_second;
      if (opts->progress_cb) {
        swr_copy_progress_cb cb = opts->progress_cb;
        void* payload = opts->progress_payload;
        co.on_progress = [cb, payload](const swr::replication::CopyProgress& p) {
          swr_copy_progress cp{p.bytes_done, p.bytes_total, p.blobs_done, p.blobs_total};
          try {
            return cb(&cp, payload) == 0;
          } catch (...) {
            return false;
          }
        };
      }
    }
    swr::replication::CopyEngine engine(dst->mounts);
    auto r = engine.Copy(*src->client, src_repo, src_ref, *dst->client, dst_repo, dst_ref ? dst_ref : "", co);
    if (!r.ok()) return SetError(err, r.status());
    auto* res = static_cast<swr_copy_result*>(std::calloc(1, sizeof(swr_copy_result)));
    if (!res) return SetError(err, SWR_ENOMEM, "out of memory");
    res->digest = CopyString(r->digest);
    res->media_type = CopyString(r->media_type);
    res->already_present = r->already_present ? 1 : 0;
    res->bytes_copied = r->bytes_copied;
    res->blobs_copied = r->blobs_copied;
    res->blobs_mounted = r->blobs_mounted;
    res->blobs_existing = r->blobs_existing;
    res->manifests_pushed = r->manifests_pushed;
    if (!res->digest || !res->media_type) {
      swr_copy_result_free(res);
      return SetError(err, SWR_ENOMEM, "out of memory");
    }
    *out = res;
    return SWR_OK;
  });
}

void swr_copy_result_free(swr_copy_result* r) {
  if (!r) return;
  std::free(r->digest);
  std::free(r->media_type);
  std::free(r);
}

}  // extern "C"
