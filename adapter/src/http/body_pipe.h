// A bounded byte pipe between one producer and one consumer thread (the C
// ABI's streams, the transport's socket callbacks). A full pipe holds the
// writer back and an empty one holds the reader back, so a copy from one
// HTTP connection to another runs at the pace of the slower side with at most
// `capacity` bytes in memory.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "common/status.h"

namespace swr::http {

class BodyPipe {
 public:
  static constexpr size_t kDefaultCapacity = 256 << 10;

  explicit BodyPipe(size_t capacity = kDefaultCapacity);
  ~BodyPipe();
  BodyPipe(const BodyPipe&) = delete;
  BodyPipe& operator=(const BodyPipe&) = delete;

  // Verify what passes through: at the end of the writes the byte count must
  // be `size` (when >= 0) and the SHA-256 must match `digest` ("sha256:hex"),
  // else the pipe fails with kDigestMismatch instead of reaching EOF.
  // Call before the first write.
  void ExpectDigest(std::string digest, int64_t size);
  // Sets (or changes) only the expected size; any time before CloseWrite.
  void ExpectSize(int64_t size);

  // Blocking producer side. Fails when the pipe was aborted.
  Status Write(const char* data, size_t n);
  // End of data. With an expected digest this is where it is checked.
  void CloseWrite();

  // Blocking consumer side: at least one byte, or 0 at the end.
  StatusOr<size_t> Read(char* buf, size_t n);

  // Either side gives up: every waiting or later call fails with `why`
  // (the first reason wins).
  void Abort(Status why);
  // Abort(), unless the writer closed the pipe and the reader took every byte.
  void AbortUnlessFinished(Status why);

  // Called with the byte count of each read, outside the lock, on the
  // reader's thread. Set before the transfer starts.
  void SetReadObserver(std::function<void(size_t)> fn) { on_read_ = std::move(fn); }

  // Keeps `what` alive as long as the pipe (e.g. the cancellation links of
  // the request that feeds it).
  void Attach(std::shared_ptr<void> what);

  // Waits (bounded) until the writer has finished or the pipe failed; true if so.
  bool WaitWriterDone(std::chrono::milliseconds timeout);

  uint64_t bytes_written() const;
  uint64_t bytes_read() const;
  // The abort reason, or OK.
  Status status() const;
  size_t capacity() const { return buf_.size(); }

 private:
  size_t WriteLocked(const char* data, size_t n);
  size_t ReadLocked(char* buf, size_t n);
  void FinishLocked();  // digest check at CloseWrite

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<char> buf_;
  size_t head_ = 0;  // next byte to read
  size_t size_ = 0;  // bytes buffered
  bool write_closed_ = false;
  Status error_;
  uint64_t written_ = 0;
  uint64_t read_ = 0;
  std::string expect_digest_;
  int64_t expect_size_ = -1;
  EVP_MD_CTX* sha_ = nullptr;
  std::function<void(size_t)> on_read_;
  std::vector<std::shared_ptr<void>> attached_;
};

}  // namespace swr::http
