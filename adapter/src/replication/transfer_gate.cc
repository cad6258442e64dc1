#include "replication/transfer_gate.h"

#include <chrono>
#include <functional>

namespace swr::replication {

// The cancellation's callback takes mu_ under the token's lock: it is
// registered before mu_ is taken and removed after it is released.
Status TransferGate::Wait(const std::shared_ptr<CancelToken>& cancel, const std::function<bool()>& ready,
                          const std::function<void()>& then) {
  CancelRegistration wake(cancel, [this] {
    std::lock_guard<std::mutex> l(mu_);
    cv_.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu_);
  while (!ready()) {
    if (cancel && cancel->cancelled()) return Status(Code::kCancelled, "the copy was cancelled");
    cv_.wait_for(lock, std::chrono::milliseconds(200));  // a backstop; the callback wakes it
  }
  if (then) then();
  return OkStatus();
}

Status TransferGate::Claim(const std::string& digest, const std::shared_ptr<CancelToken>& cancel, bool* leader) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (active_.count(digest) == 0) {
      active_.insert(digest);
      *leader = true;
      return OkStatus();
    }
    ++waits_;
  }
  *leader = false;
  return Wait(
      cancel, [&] { return active_.count(digest) == 0; }, nullptr);
}

void TransferGate::Finish(const std::string& digest) {
  std::lock_guard<std::mutex> lock(mu_);
  active_.erase(digest);
  cv_.notify_all();
}

Status TransferGate::AcquireSlot(const std::shared_ptr<CancelToken>& cancel, const Transfer& what, int64_t* id) {
  return Wait(
      cancel, [&] { return slots_ > 0; },
      [&] {
        --slots_;
        *id = ++next_id_;
        moving_[*id] = what;
      });
}

void TransferGate::Moved(int64_t id, int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = moving_.find(id);
  if (it != moving_.end()) it->second.bytes += bytes;
}

void TransferGate::ReleaseSlot(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++slots_;
  moving_.erase(id);
  cv_.notify_all();
}

std::vector<TransferGate::Transfer> TransferGate::Moving() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Transfer> out;
  out.reserve(moving_.size());
  for (const auto& [id, t] : moving_) out.push_back(t);
  return out;
}

int TransferGate::transfers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_slots_ - slots_;
}

int TransferGate::waits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waits_;
}

}  // namespace swr::replication
