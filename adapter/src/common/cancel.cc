#include "common/cancel.h"

namespace swr {

void CancelToken::Cancel() {
  std::lock_guard<std::recursive_mutex> running(run_mu_);
  std::map<uint64_t, std::function<void()>> fns;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
    fns.swap(callbacks_);
  }
  for (auto& [handle, fn] : fns) {
    try {
      fn();
    } catch (...) {
      // A callback only wakes waiters; there is nobody to report to.
    }
  }
}

uint64_t CancelToken::OnCancel(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!cancelled_.load(std::memory_order_acquire)) {
      uint64_t h = next_++;
      callbacks_.emplace(h, std::move(fn));
      return h;
    }
  }
  fn();
  return 0;
}

void CancelToken::Remove(uint64_t handle) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (callbacks_.erase(handle)) return;
  }
  // Not registered any more: Cancel() may be running it now. Wait for that.
  std::lock_guard<std::recursive_mutex> running(run_mu_);
}

}  // namespace swr
