// A cancellation signal for one call (or a group of calls): set from any
// thread, observed by the transport between socket operations and by the
// pipes a call waits on.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace swr {

class CancelToken {
 public:
  // Idempotent and safe from any thread, also while the call finishes. The
  // callbacks registered so far run once, on the cancelling thread, outside
  // any lock of this object.
  void Cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  // Runs `fn` on cancellation (at once, on this thread, when already
  // cancelled). Returns a handle for Remove(); 0 when `fn` already ran.
  uint64_t OnCancel(std::function<void()> fn);
  // After Remove() returns, the callback is not running and will not run.
  void Remove(uint64_t handle);

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  uint64_t next_ = 1;
  std::map<uint64_t, std::function<void()>> callbacks_;
  std::recursive_mutex run_mu_;  // held while callbacks run; Remove() waits on it
};

// Registers a callback for the lifetime of this object.
class CancelRegistration {
 public:
  CancelRegistration(const std::shared_ptr<CancelToken>& token, std::function<void()> fn)
      : token_(token), handle_(token ? token->OnCancel(std::move(fn)) : 0) {}
  ~CancelRegistration() {
    if (token_ && handle_) token_->Remove(handle_);
  }
  CancelRegistration(const CancelRegistration&) = delete;
  CancelRegistration& operator=(const CancelRegistration&) = delete;

 private:
  std::shared_ptr<CancelToken> token_;
  uint64_t handle_;
};

}  // namespace swr
