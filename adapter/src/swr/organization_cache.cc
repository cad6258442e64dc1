#include "swr/organization_cache.h"

namespace swr {

Status OrganizationCache::Ensure(const std::string& name, const std::function<Status()>& ensure) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    Entry& e = entries_[name];
    if (e.known && std::chrono::steady_clock::now() - e.at < ttl_) return e.outcome;
    if (!e.busy) break;
    // Bounded by the other caller's call (its own timeouts and cancel).
    cv_.wait(lock);
  }
  entries_[name].busy = true;
  lock.unlock();
  Status s;
  try {
    s = ensure();
  } catch (...) {
    lock.lock();
    entries_[name].busy = false;
    cv_.notify_all();
    throw;
  }
  lock.lock();
  Entry& e = entries_[name];
  e.busy = false;
  const bool final_answer = s.ok() || (!s.retryable() && s.reason() != Reason::kCancelled &&
                                       s.reason() != Reason::kAuth && s.reason() != Reason::kInternal);
  e.known = ttl_.count() > 0 && final_answer;
  e.outcome = s;
  e.at = std::chrono::steady_clock::now();
  cv_.notify_all();
  return s;
}

void OrganizationCache::Forget(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return;
  if (it->second.busy) {
    it->second.known = false;  // the call in flight records its own outcome
  } else {
    entries_.erase(it);
  }
}

}  // namespace swr
