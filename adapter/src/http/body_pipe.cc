#include "http/body_pipe.h"

#include <algorithm>
#include <cstring>

#include "common/crypto.h"

namespace swr::http {

BodyPipe::BodyPipe(size_t capacity) : buf_(std::max<size_t>(capacity, 1)) {}

BodyPipe::~BodyPipe() {
  if (sha_) EVP_MD_CTX_free(sha_);
}

void BodyPipe::ExpectDigest(std::string digest, int64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  expect_digest_ = std::move(digest);
  expect_size_ = size;
  if (!expect_digest_.empty() && !sha_) {
    sha_ = EVP_MD_CTX_new();
    const EVP_MD* md = expect_digest_.rfind("sha512:", 0) == 0 ? EVP_sha512() : EVP_sha256();
    if (sha_) EVP_DigestInit_ex(sha_, md, nullptr);
  }
}

void BodyPipe::ExpectSize(int64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  expect_size_ = size;
}

size_t BodyPipe::WriteLocked(const char* data, size_t n) {
  size_t room = buf_.size() - size_;
  size_t take = std::min(room, n);
  size_t tail = (head_ + size_) % buf_.size();
  size_t first = std::min(take, buf_.size() - tail);
  std::memcpy(buf_.data() + tail, data, first);
  std::memcpy(buf_.data(), data + first, take - first);
  size_ += take;
  written_ += take;
  if (sha_ && take) EVP_DigestUpdate(sha_, data, take);
  return take;
}

size_t BodyPipe::ReadLocked(char* out, size_t n) {
  size_t take = std::min(size_, n);
  size_t first = std::min(take, buf_.size() - head_);
  std::memcpy(out, buf_.data() + head_, first);
  std::memcpy(out + first, buf_.data(), take - first);
  head_ = (head_ + take) % buf_.size();
  size_ -= take;
  read_ += take;
  return take;
}

Status BodyPipe::Write(const char* data, size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  if (error_.ok() && expect_size_ >= 0 && written_ + n > static_cast<uint64_t>(expect_size_)) {
    error_ = Status(Code::kDigestMismatch,
                    "the body is longer than the " + std::to_string(expect_size_) + " bytes expected");
    cv_.notify_all();
  }
  while (n > 0) {
    if (!error_.ok()) return error_;
    if (write_closed_) return Status(Code::kProtocol, "write after the end of the body");
    size_t took = WriteLocked(data, n);
    data += took;
    n -= took;
    if (took) cv_.notify_all();
    if (n > 0 && size_ == buf_.size() && error_.ok()) {
      cv_.wait(lock, [&] { return size_ < buf_.size() || !error_.ok(); });
    }
  }
  return OkStatus();
}

void BodyPipe::FinishLocked() {
  if (!error_.ok()) return;
  if (expect_size_ >= 0 && written_ != static_cast<uint64_t>(expect_size_)) {
    error_ = Status(Code::kDigestMismatch, "the body ended after " + std::to_string(written_) + " of " +
                                               std::to_string(expect_size_) + " bytes");
    return;
  }
  if (sha_) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(sha_, md, &len);
    std::string algorithm = expect_digest_.substr(0, expect_digest_.find(':'));
    std::string got = algorithm + ":" + HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
    if (got != expect_digest_) {
      error_ = Status(Code::kDigestMismatch, "content hashes to " + got + ", expected " + expect_digest_);
    }
  }
}

void BodyPipe::CloseWrite() {
  std::unique_lock<std::mutex> lock(mu_);
  if (write_closed_) return;
  write_closed_ = true;
  FinishLocked();
  cv_.notify_all();
}

StatusOr<size_t> BodyPipe::Read(char* out, size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return size_ > 0 || write_closed_ || !error_.ok(); });
  if (!error_.ok()) return error_;
  size_t took = ReadLocked(out, n);
  if (took) cv_.notify_all();
  lock.unlock();
  if (took && on_read_) on_read_(took);
  return took;
}

void BodyPipe::Abort(Status why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (error_.ok()) error_ = why.ok() ? Status(Code::kCancelled, "the transfer was abandoned") : std::move(why);
  cv_.notify_all();
}

void BodyPipe::AbortUnlessFinished(Status why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (write_closed_ && size_ == 0) return;
  if (error_.ok()) error_ = why.ok() ? Status(Code::kCancelled, "the transfer was abandoned") : std::move(why);
  cv_.notify_all();
}

void BodyPipe::Attach(std::shared_ptr<void> what) {
  std::lock_guard<std::mutex> lock(mu_);
  attached_.push_back(std::move(what));
}

bool BodyPipe::WaitWriterDone(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return write_closed_ || !error_.ok(); });
}

uint64_t BodyPipe::bytes_written() const {
  std::lock_guard<std::mutex> lock(mu_);
  return written_;
}

uint64_t BodyPipe::bytes_read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return read_;
}

Status BodyPipe::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

}  // namespace swr::http
