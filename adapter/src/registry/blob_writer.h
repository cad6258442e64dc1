// A blob, or one chunk of a resumable upload, written by the caller in
// pieces while the request that sends it runs: the request drains a bounded
// pipe on a thread of its own, so Write() blocks while the network is slower
// than the caller and memory stays at the pipe's capacity. The C ABI's blob
// and chunk writers (and through them the Go binding) are this class.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "common/call_context.h"
#include "common/status.h"
#include "http/body_pipe.h"
#include "registry/registry_client.h"

namespace swr::registry {

class BlobWriter {
 public:
  // A monolithic upload of blob `digest`, `size` bytes (-1: unknown).
  static std::unique_ptr<BlobWriter> Blob(std::shared_ptr<RegistryClient> client, std::string repo, std::string digest,
                                          int64_t size, CallContext ctx);
  // `length` bytes of the upload `session`, from its offset.
  static std::unique_ptr<BlobWriter> Chunk(std::shared_ptr<RegistryClient> client, std::string repo,
                                           UploadSession session, int64_t length, CallContext ctx);

  // Aborts the upload unless Commit() succeeded, and waits for its thread.
  ~BlobWriter();
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  // Blocks while the pipe is full. When the upload ended early, fails with
  // the registry's answer (a 413, a refused digest) rather than the pipe's.
  Status Write(const void* data, size_t len);
  // Ends the data and waits for the registry. For a chunk: where the next
  // one goes and how much the registry holds; for a blob: an empty session.
  StatusOr<UploadSession> Commit();

 private:
  BlobWriter(size_t capacity) : pipe_(std::make_shared<http::BodyPipe>(capacity)) {}
  // Runs `work` on the writer's thread; once it ends, later writes fail with
  // its error, or with `overflow` when it succeeded (the data was complete).
  void Start(std::function<StatusOr<UploadSession>()> work, const char* overflow);
  void Join();

  std::shared_ptr<http::BodyPipe> pipe_;
  std::thread worker_;
  StatusOr<UploadSession> result_ = Status(Code::kUnknown, "the upload has not ended");
  bool finished_ = false;
};

}  // namespace swr::registry
