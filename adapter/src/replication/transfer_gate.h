// Shared by the copies of one run into one destination registry (swrctl
// sync): a blob that one copy is uploading is waited for by the others,
// which then mount it instead of uploading it again, and at most
// `max_transfers` blob transfers run at once across all the copies.
#pragma once

#include <condition_variable>
#include <functional>
#include <set>
#include <memory>
#include <mutex>
#include <string>

#include "common/cancel.h"
#include "common/status.h"

namespace swr::replication {

class TransferGate {
 public:
  explicit TransferGate(int max_transfers)
      : max_slots_(max_transfers < 1 ? 1 : max_transfers), slots_(max_slots_) {}

  // Returns with *leader = true when the caller is to transfer `digest` (it
  // then calls Finish), or *leader = false once another copy's transfer of
  // it ended (the caller looks again: mount, or lead). Fails only when
  // `cancel` fires.
  Status Claim(const std::string& digest, const std::shared_ptr<CancelToken>& cancel, bool* leader);
  void Finish(const std::string& digest);

  // A transfer slot, held while bytes move.
  Status AcquireSlot(const std::shared_ptr<CancelToken>& cancel);
  void ReleaseSlot();

  // How often a copy waited for another's transfer (for reports and tests).
  int waits() const;
  // Blob transfers moving bytes now.
  int transfers() const;

 private:
  // Waits (mu_ not held on entry) until ready() (called under mu_), then
  // runs then() under mu_.
  Status Wait(const std::shared_ptr<CancelToken>& cancel, const std::function<bool()>& ready,
              const std::function<void()>& then);
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> active_;  // digests being transferred
  const int max_slots_;
  int slots_;
  int waits_ = 0;
};

// A slot held for a scope.
class TransferSlot {
 public:
  TransferSlot(TransferGate* gate) : gate_(gate) {}
  ~TransferSlot() {
    if (gate_ && held_) gate_->ReleaseSlot();
  }
  Status Acquire(const std::shared_ptr<CancelToken>& cancel) {
    if (!gate_) return OkStatus();
    Status s = gate_->AcquireSlot(cancel);
    held_ = s.ok();
    return s;
  }
  TransferSlot(const TransferSlot&) = delete;
  TransferSlot& operator=(const TransferSlot&) = delete;

 private:
  TransferGate* gate_;
  bool held_ = false;
};

}  // namespace swr::replication
