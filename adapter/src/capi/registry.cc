#include <fmt/format.h>

#include "capi/capi_internal.h"
#include "registry/blob_writer.h"
#include "registry/factory.h"
#include "registry/reference.h"
#include "replication/copy_engine.h"

using swr::capi::ContextFor;
using swr::capi::CopyString;
using swr::capi::Guard;
using swr::capi::OutOfMemory;
using swr::capi::SetError;

struct swr_blob_reader {
  std::shared_ptr<swr::http::BodyPipe> pipe;
  int64_t size = -1;
  std::shared_ptr<const swr::Redactor> redactor;
};

struct swr_blob_writer {
  std::unique_ptr<swr::registry::BlobWriter> writer;
  std::shared_ptr<const swr::Redactor> redactor;
};

struct swr_chunk_writer {
  std::unique_ptr<swr::registry::BlobWriter> writer;
  std::shared_ptr<const swr::Redactor> redactor;
};

namespace {

constexpr int64_t kDefaultMinRate = swr::http::kDefaultMinBytesPerSecond;

// Everything a caller passes that ends up in a URL is checked here, before
// any request: names, references, digests and upload locations.
bool ValidRepo(const char* repo) {
  return repo && swr::registry::IsValidRepository(repo);
}
bool ValidRef(const char* ref) {
  return ref && swr::registry::IsValidReference(ref);
}
bool ValidDigest(const char* digest) {
  return digest && swr::registry::IsDigest(digest);
}
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
int BadRepo(swr_error** err, const char* fn, const char* repo) {
  return BadArg(err, fn, "repository name", repo);
}

const swr::Redactor* RedactorOf(const swr_registry* reg) {
  return reg ? reg->redactor() : nullptr;
}

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

int swr_registry_options_init(swr_registry_options* opts, uint32_t version) {
  if (!opts || version != SWR_REGISTRY_OPTIONS_VERSION) return SWR_EINVALID;
  *opts = swr_registry_options{};
  opts->version = version;
  swr::capi::InitConnection(&opts->connection);
  return SWR_OK;
}

int swr_registry_new(swr_registry** out, const swr_registry_options* opts, swr_error** err) {
  auto given = swr::capi::RedactorFor({opts ? opts->password : nullptr});
  return Guard(err, {given.get()}, [&]() -> int {
    if (!out) return SetError(err, SWR_EINVALID, "swr_registry_new: out is NULL");
    *out = nullptr;
    if (!opts || opts->version != SWR_REGISTRY_OPTIONS_VERSION) {
      return SetError(err, SWR_EINVALID, "swr_registry_new: options missing or of an unknown version");
    }
    if (!opts->url) return SetError(err, SWR_EINVALID, "swr_registry_new: url is required");
    swr::registry::RegistryConfig rc;
    rc.url = opts->url;
    if (opts->username && *opts->username) rc.credentials = {opts->username, opts->password ? opts->password : ""};
    if (int rc_ = swr::capi::ConnectionFromC(opts->connection, "swr_registry_new", &rc.connection, err);
        rc_ != SWR_OK) {
      return rc_;
    }
    auto client = swr::registry::MakeRegistryClient(rc);
    if (!client.ok()) return SetError(err, client.status());
    auto* reg = new swr_registry();
    reg->client = std::move(client).value();
    *out = reg;
    return SWR_OK;
  });
}

void swr_registry_free(swr_registry* reg) {
  swr::capi::Quietly([&] { delete reg; });
}

swr_registry* swr_client_registry(swr_client* client) {
  return client ? &client->registry : nullptr;
}

void swr_registry_cancel_all(swr_registry* reg) {
  swr::capi::Quietly([&] {
    if (reg && reg->client) reg->client->Cancel();
  });
}

int swr_registry_ping(swr_registry* reg, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!reg) return SetError(err, SWR_EINVALID, "swr_registry_ping: reg is NULL");
    swr::Status s = reg->client->Ping(ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_manifest_head(swr_manifest** out, swr_registry* reg, const char* repo, const char* ref,
                      swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_manifest_head: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_head", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_head", "tag or digest", ref);
    auto info = reg->client->HeadManifest(repo, ref, ContextFor(cancel));
    if (!info.ok()) return SetError(err, info.status());
    *out = NewManifest(info->digest, info->media_type, nullptr, info->size < 0 ? 0 : static_cast<size_t>(info->size));
    return *out ? SWR_OK : OutOfMemory(err);
  });
}

int swr_manifest_get(swr_manifest** out, swr_registry* reg, const char* repo, const char* ref, const char* accept,
                     swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_manifest_get: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_get", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_get", "tag or digest", ref);
    std::string types = accept && *accept ? accept : swr::registry::AcceptedManifestTypes();
    auto m = reg->client->GetManifest(repo, ref, types, ContextFor(cancel));
    if (!m.ok()) return SetError(err, m.status());
    *out = NewManifest(m->digest, m->media_type, &m->body, m->body.size());
    return *out ? SWR_OK : OutOfMemory(err);
  });
}

int swr_manifest_put(char** digest_out, swr_registry* reg, const char* repo, const char* ref, const char* media_type,
                     const void* data, size_t size, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (digest_out) *digest_out = nullptr;
    if (!reg || !media_type || (size && !data)) {
      return SetError(err, SWR_EINVALID, "swr_manifest_put: reg, media_type and data are required");
    }
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_put", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_put", "tag or digest", ref);
    auto d = reg->client->PutManifest(repo, ref, media_type, std::string(static_cast<const char*>(data), size),
                                      ContextFor(cancel));
    if (!d.ok()) return SetError(err, d.status());
    if (digest_out) {
      *digest_out = CopyString(*d);
      if (!*digest_out) return OutOfMemory(err);
    }
    return SWR_OK;
  });
}

int swr_manifest_delete(swr_registry* reg, const char* repo, const char* ref, swr_cancel_token* cancel,
                        swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!reg) return SetError(err, SWR_EINVALID, "swr_manifest_delete: reg is NULL");
    if (!ValidRepo(repo)) return BadRepo(err, "swr_manifest_delete", repo);
    if (!ValidRef(ref)) return BadArg(err, "swr_manifest_delete", "tag or digest", ref);
    swr::Status s = reg->client->DeleteManifest(repo, ref, ContextFor(cancel));
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

int swr_tag_list(swr_string_list** out, swr_registry* reg, const char* repo, swr_cancel_token* cancel,
                 swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_tag_list: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_tag_list", repo);
    auto tags = reg->client->ListTags(repo, ContextFor(cancel));
    if (!tags.ok()) return SetError(err, tags.status());
    auto copy = [](char** slot, const std::string& t) { return (*slot = CopyString(t)) != nullptr; };
    return swr::capi::BuildList(out, *tags, copy, swr_string_list_free, err);
  });
}

void swr_string_list_free(swr_string_list* list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; ++i) std::free(list->items[i]);
  std::free(list->items);
  std::free(list);
}

int swr_blob_stat(int* exists, int64_t* size, swr_registry* reg, const char* repo, const char* digest,
                  swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!exists || !reg) return SetError(err, SWR_EINVALID, "swr_blob_stat: exists and reg are required");
    *exists = 0;
    if (size) *size = -1;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_stat", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_stat", "digest", digest);
    auto s = reg->client->BlobSize(repo, digest, ContextFor(cancel));
    if (!s.ok()) {
      if (s.status().code() == swr::Code::kNotFound) return SWR_OK;
      return SetError(err, s.status());
    }
    *exists = 1;
    if (size) *size = *s;
    return SWR_OK;
  });
}

int swr_blob_reader_open(swr_blob_reader** out, swr_registry* reg, const char* repo, const char* digest, int64_t offset,
                         int64_t length, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_blob_reader_open: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_reader_open", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_reader_open", "digest", digest);
    if (length == 0 || length < -1)
      return SetError(err, SWR_EINVALID, "swr_blob_reader_open: length must be > 0 or -1");
    if (offset < 0) return SetError(err, SWR_EINVALID, "swr_blob_reader_open: offset must be >= 0");
    if (length > 0 && offset > INT64_MAX - length) {
      return SetError(err, SWR_EINVALID, "swr_blob_reader_open: offset + length overflows");
    }
    auto stream = reg->client->OpenBlob(repo, digest, offset, length, true, ContextFor(cancel));
    if (!stream.ok()) return SetError(err, stream.status());
    *out = new swr_blob_reader{stream->pipe, stream->size, reg->client->shared_redactor()};
    return SWR_OK;
  });
}

int64_t swr_blob_reader_size(const swr_blob_reader* r) {
  return r ? r->size : -1;
}

int swr_blob_reader_read(size_t* nread, swr_blob_reader* r, void* buf, size_t len, swr_error** err) {
  return Guard(err, {r ? r->redactor.get() : nullptr}, [&]() -> int {
    if (!nread || !r || (!buf && len)) {
      return SetError(err, SWR_EINVALID, "swr_blob_reader_read: nread, r and buf are required");
    }
    *nread = 0;
    if (len == 0) return SWR_OK;
    auto n = r->pipe->Read(static_cast<char*>(buf), len);
    if (!n.ok()) return SetError(err, n.status());
    *nread = *n;
    return SWR_OK;
  });
}

void swr_blob_reader_free(swr_blob_reader* r) {
  swr::capi::Quietly([&] {
    if (!r) return;
    r->pipe->Abort(swr::Status(swr::Code::kCancelled, "the reader was closed"));
    delete r;
  });
}

int swr_blob_writer_open(swr_blob_writer** out, swr_registry* reg, const char* repo, const char* digest, int64_t size,
                         swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_blob_writer_open: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_writer_open", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_writer_open", "digest", digest);
    if (size < -1) return SetError(err, SWR_EINVALID, "swr_blob_writer_open: size must be >= 0 or -1");
    auto w = std::make_unique<swr_blob_writer>();
    w->redactor = reg->client->shared_redactor();
    w->writer = swr::registry::BlobWriter::Blob(reg->client, repo, digest, size, ContextFor(cancel));
    *out = w.release();
    return SWR_OK;
  });
}

int swr_blob_writer_write(swr_blob_writer* w, const void* data, size_t len, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (!w || (!data && len)) return SetError(err, SWR_EINVALID, "swr_blob_writer_write: w and data are required");
    swr::Status s = w->writer->Write(data, len);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_blob_writer_commit(swr_blob_writer* w, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (!w) return SetError(err, SWR_EINVALID, "swr_blob_writer_commit: w is NULL");
    auto r = w->writer->Commit();
    return r.ok() ? SWR_OK : SetError(err, r.status());
  });
}

void swr_blob_writer_free(swr_blob_writer* w) {
  swr::capi::Quietly([&] { delete w; });
}

int swr_upload_start(swr_upload** out, swr_registry* reg, const char* repo, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_upload_start: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_start", repo);
    auto s = reg->client->StartUpload(repo, ContextFor(cancel));
    if (!s.ok()) return SetError(err, s.status());
    *out = NewUpload(*s);
    return *out ? SWR_OK : OutOfMemory(err);
  });
}

int swr_upload_status(swr_upload** out, swr_registry* reg, const char* repo, const char* location,
                      swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_upload_status: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_status", repo);
    if (!ValidLocation(location)) return BadArg(err, "swr_upload_status", "upload location", location);
    auto s = reg->client->UploadStatus(repo, swr::registry::UploadSession{location, 0}, ContextFor(cancel));
    if (!s.ok()) return SetError(err, s.status());
    *out = NewUpload(*s);
    return *out ? SWR_OK : OutOfMemory(err);
  });
}

int swr_upload_finish(swr_registry* reg, const char* repo, const char* location, const char* digest,
                      swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!reg) return SetError(err, SWR_EINVALID, "swr_upload_finish: reg is NULL");
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_finish", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_upload_finish", "digest", digest);
    if (!ValidLocation(location)) return BadArg(err, "swr_upload_finish", "upload location", location);
    swr::Status s =
        reg->client->FinishUpload(repo, swr::registry::UploadSession{location, 0}, digest, ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_upload_abort(swr_registry* reg, const char* repo, const char* location, swr_cancel_token* cancel,
                     swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!reg) return SetError(err, SWR_EINVALID, "swr_upload_abort: reg is NULL");
    if (!ValidRepo(repo)) return BadRepo(err, "swr_upload_abort", repo);
    if (!ValidLocation(location)) return BadArg(err, "swr_upload_abort", "upload location", location);
    swr::Status s = reg->client->CancelUpload(repo, swr::registry::UploadSession{location, 0}, ContextFor(cancel));
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

void swr_upload_free(swr_upload* u) {
  if (!u) return;
  std::free(u->location);
  std::free(u);
}

int swr_chunk_writer_open(swr_chunk_writer** out, swr_registry* reg, const char* repo, const char* location,
                          int64_t offset, int64_t length, swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!out || !reg) return SetError(err, SWR_EINVALID, "swr_chunk_writer_open: out and reg are required");
    *out = nullptr;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_chunk_writer_open", repo);
    if (!ValidLocation(location)) return BadArg(err, "swr_chunk_writer_open", "upload location", location);
    if (offset < 0 || length <= 0) {
      return SetError(err, SWR_EINVALID, "swr_chunk_writer_open: need offset >= 0 and length > 0");
    }
    if (offset > INT64_MAX - length) {
      return SetError(err, SWR_EINVALID, "swr_chunk_writer_open: offset + length overflows");
    }
    auto w = std::make_unique<swr_chunk_writer>();
    w->redactor = reg->client->shared_redactor();
    w->writer = swr::registry::BlobWriter::Chunk(reg->client, repo, swr::registry::UploadSession{location, offset},
                                                 length, ContextFor(cancel));
    *out = w.release();
    return SWR_OK;
  });
}

int swr_chunk_writer_write(swr_chunk_writer* w, const void* data, size_t len, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (!w || (!data && len)) return SetError(err, SWR_EINVALID, "swr_chunk_writer_write: w and data are required");
    swr::Status s = w->writer->Write(data, len);
    return s.ok() ? SWR_OK : SetError(err, s);
  });
}

int swr_chunk_writer_commit(swr_upload** next, swr_chunk_writer* w, swr_error** err) {
  return Guard(err, {w ? w->redactor.get() : nullptr}, [&]() -> int {
    if (next) *next = nullptr;
    if (!w) return SetError(err, SWR_EINVALID, "swr_chunk_writer_commit: w is NULL");
    auto r = w->writer->Commit();
    if (!r.ok()) return SetError(err, r.status());
    if (next) {
      *next = NewUpload(*r);
      if (!*next) return OutOfMemory(err);
    }
    return SWR_OK;
  });
}

void swr_chunk_writer_free(swr_chunk_writer* w) {
  swr::capi::Quietly([&] { delete w; });
}

int swr_blob_mount(int* mounted, swr_registry* reg, const char* repo, const char* digest, const char* from_repo,
                   swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!mounted || !reg) return SetError(err, SWR_EINVALID, "swr_blob_mount: mounted and reg are required");
    *mounted = 0;
    if (!ValidRepo(repo)) return BadRepo(err, "swr_blob_mount", repo);
    if (!ValidDigest(digest)) return BadArg(err, "swr_blob_mount", "digest", digest);
    if (!ValidRepo(from_repo)) return BadRepo(err, "swr_blob_mount", from_repo);
    auto m = reg->client->MountBlob(repo, digest, from_repo, ContextFor(cancel));
    if (!m.ok()) return SetError(err, m.status());
    *mounted = *m ? 1 : 0;
    return SWR_OK;
  });
}

int swr_mount_source_find(char** repo_out, swr_registry* reg, const char* digest, const char* except_repo,
                          swr_error** err) {
  return Guard(err, {RedactorOf(reg)}, [&]() -> int {
    if (!repo_out || !reg) return SetError(err, SWR_EINVALID, "swr_mount_source_find: repo_out and reg are required");
    *repo_out = nullptr;
    if (!ValidDigest(digest)) return BadArg(err, "swr_mount_source_find", "digest", digest);
    auto repos = reg->client->mounts().Find(digest, except_repo ? except_repo : "");
    if (repos.empty()) return SetError(err, SWR_ENOTFOUND, "no repository known to hold " + std::string(digest));
    *repo_out = CopyString(repos.front());
    return *repo_out ? SWR_OK : OutOfMemory(err);
  });
}

int swr_copy_options_init(swr_copy_options* opts, uint32_t version) {
  if (!opts || version != SWR_COPY_OPTIONS_VERSION) return SWR_EINVALID;
  *opts = swr_copy_options{};
  opts->version = version;
  return SWR_OK;
}

int swr_image_copy(swr_copy_result** out, swr_registry* src, const char* src_repo, const char* src_ref,
                   swr_registry* dst, const char* dst_repo, const char* dst_ref, const swr_copy_options* opts,
                   swr_cancel_token* cancel, swr_error** err) {
  return Guard(err, {RedactorOf(src), RedactorOf(dst)}, [&]() -> int {
    if (!out || !src || !dst) return SetError(err, SWR_EINVALID, "swr_image_copy: out, src and dst are required");
    *out = nullptr;
    if (!ValidRepo(src_repo)) return BadRepo(err, "swr_image_copy", src_repo);
    if (!ValidRepo(dst_repo)) return BadRepo(err, "swr_image_copy", dst_repo);
    if (!ValidRef(src_ref)) return BadArg(err, "swr_image_copy", "source tag or digest", src_ref);
    if (dst_ref && *dst_ref && !swr::registry::IsValidTag(dst_ref)) {
      return BadArg(err, "swr_image_copy", "destination tag", dst_ref);
    }
    if (opts && opts->version != SWR_COPY_OPTIONS_VERSION) {
      return SetError(err, SWR_EINVALID, "swr_image_copy: unknown options version");
    }
    swr::replication::CopyOptions co;
    co.min_bytes_per_second = kDefaultMinRate;
    co.cancel = ContextFor(cancel).cancel;
    if (opts) {
      if (opts->parallel_blobs < 0 || opts->parallel_blobs > 64) {
        return SetError(err, SWR_EINVALID, "swr_image_copy: parallel_blobs must be between 0 (default) and 64");
      }
      if (opts->blob_attempts < 0 || opts->blob_attempts > 20) {
        return SetError(err, SWR_EINVALID, "swr_image_copy: blob_attempts must be between 0 (default) and 20");
      }
      if (opts->chunk_size < 0) return SetError(err, SWR_EINVALID, "swr_image_copy: chunk_size must be >= 0");
      if (opts->deadline_ms < 0) return SetError(err, SWR_EINVALID, "swr_image_copy: deadline_ms must be >= 0");
      if (opts->min_bytes_per_second < -1) {
        return SetError(err, SWR_EINVALID, "swr_image_copy: min_bytes_per_second must be >= -1");
      }
      if (opts->parallel_blobs > 0) co.parallel_blobs = opts->parallel_blobs;
      if (opts->blob_attempts > 0) co.blob_attempts = opts->blob_attempts;
      co.chunk_size = opts->chunk_size;
      co.verify_downloads = opts->verify_downloads != 0;
      if (opts->deadline_ms > 0) {
        long long ms = std::min<long long>(opts->deadline_ms, 30LL * 86400 * 1000);
        co.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
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
    auto r = swr::replication::CopyEngine().Copy(*src->client, src_repo, src_ref, *dst->client, dst_repo,
                                                 dst_ref ? dst_ref : "", co);
    if (!r.ok()) return SetError(err, r.status());
    auto* res = static_cast<swr_copy_result*>(std::calloc(1, sizeof(swr_copy_result)));
    if (!res) return OutOfMemory(err);
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
      return OutOfMemory(err);
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
