#include "replication/transfer_gate.h"

#include <chrono>
#include <functional>

namespace swr::replication {

Status TransferGate::Wait(std::unique_lock<std::mutex>& lock, const std::shared_ptr<CancelToken>& cancel,
                          const std::function<bool()>& ready) {
  // The cancellation wakes the wait; the 200 ms tick is a backstop.
  CancelRegistration wake(cancel, [this] {
    std::lock_guard<std::mutex> l(mu_);
    cv_.notify_all();
  });
  while (!ready()) {
    if (cancel && cancel->cancelled()) return Status(Code::kCancelled, "the copy was cancelled");
    cv_.wait_for(lock, std::chrono::milliseconds(200));
  }
  return OkStatus();
}

Status TransferGate::Claim(const std::string& digest, const std::shared_ptr<CancelToken>& cancel, bool* leader) {
  std::unique_lock<std::mutex> lock(mu_);
  if (active_.count(digest) == 0) {
    active_.insert(digest);
    *leader = true;
    return OkStatus();
  }
  ++waits_;
  *leader = false;
  return Wait(lock, cancel, [&] { return active_.count(digest) == 0; });
}

void TransferGate::Finish(const std::string& digest) {
  std::lock_guard<std::mutex> lock(mu_);
  active_.erase(digest);
  cv_.notify_all();
}

Status TransferGate::AcquireSlot(const std::shared_ptr<CancelToken>& cancel) {
  std::unique_lock<std::mutex> lock(mu_);
  SWR_RETURN_IF_ERROR(Wait(lock, cancel, [&] { return slots_ > 0; }));
  --slots_;
  return OkStatus();
}

void TransferGate::ReleaseSlot() {
  std::lock_guard<std::mutex> lock(mu_);
  ++slots_;
  cv_.notify_all();
}

int TransferGate::waits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waits_;
}

}  // namespace swr::replication
