#include "registry/blob_writer.h"

namespace swr::registry {

std::unique_ptr<BlobWriter> BlobWriter::Blob(std::shared_ptr<RegistryClient> client, std::string repo,
                                             std::string digest, int64_t size, CallContext ctx) {
  std::unique_ptr<BlobWriter> w(new BlobWriter(client->pipe_capacity()));
  auto pipe = w->pipe_;
  w->Start(
      [client, repo = std::move(repo), digest = std::move(digest), size, pipe, ctx]() -> StatusOr<UploadSession> {
        Status s = client->PushBlob(repo, digest, size, pipe, ctx);
        if (!s.ok()) return s;
        return UploadSession{};
      },
      "more data than the declared blob size");
  return w;
}

std::unique_ptr<BlobWriter> BlobWriter::Chunk(std::shared_ptr<RegistryClient> client, std::string repo,
                                              UploadSession session, int64_t length, CallContext ctx) {
  std::unique_ptr<BlobWriter> w(new BlobWriter(client->pipe_capacity()));
  auto pipe = w->pipe_;
  w->Start([client, repo = std::move(repo), session = std::move(session), length, pipe,
            ctx]() { return client->UploadChunk(repo, session, pipe, length, ctx); },
           "more data than the declared chunk length");
  return w;
}

void BlobWriter::Start(std::function<StatusOr<UploadSession>()> work, const char* overflow) {
  worker_ = std::thread([this, work = std::move(work), overflow] {
    StatusOr<UploadSession> r = Status(Code::kUnknown, "internal error in the upload");
    try {
      r = work();
    } catch (...) {
      // No exception leaves a library thread.
    }
    result_ = r;
    pipe_->Abort(r.ok() ? Status(Code::kProtocol, overflow) : r.status());
  });
}

void BlobWriter::Join() {
  if (worker_.joinable()) worker_.join();
}

Status BlobWriter::Write(const void* data, size_t len) {
  if (finished_) return Status(Code::kInvalidArgument, "the upload was already committed");
  Status s = pipe_->Write(static_cast<const char*>(data), len);
  if (s.ok()) return s;
  Join();
  return result_.ok() ? s : result_.status();
}

StatusOr<UploadSession> BlobWriter::Commit() {
  if (finished_) return Status(Code::kInvalidArgument, "the upload was already committed");
  finished_ = true;
  pipe_->CloseWrite();
  Join();
  return result_;
}

BlobWriter::~BlobWriter() {
  if (!finished_) pipe_->Abort(Status(Code::kCancelled, "the upload was abandoned before commit"));
  Join();
}

}  // namespace swr::registry
