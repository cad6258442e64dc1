// Shared by the copies of one run into one destination registry (swrctl
// sync): a blob that one copy is uploading is waited for by the others,
// which then mount it instead of uploading it again, and at most
// `max_transfers` blob transfers run at once across all the copies.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/status.h"

namespace swr::replication {

class TransferGate {
 public:
  explicit TransferGate(int max_transfers) : max_slots_(max_transfers < 1 ? 1 : max_transfers), slots_(max_slots_) {}

  // Returns with *leader = true when the caller is to transfer `digest` (it
  // then calls Finish), or *leader = false once another copy's transfer of
  // it ended (the caller looks again: mount, or lead). Fails only when
  // `cancel` fires.
  Status Claim(const std::string& digest, const std::shared_ptr<CancelToken>& cancel, bool* leader);
  void Finish(const std::string& digest);

  // What a transfer slot is moving, for progress views.
  struct Transfer {
    std::string repository, digest;
    int64_t size = 0;   // -1: unknown
    int64_t bytes = 0;  // taken in by the destination so far
  };

  // A transfer slot, held while bytes move; *id names it to Moved and
  // ReleaseSlot.
  Status AcquireSlot(const std::shared_ptr<CancelToken>& cancel, const Transfer& what, int64_t* id);
  // `bytes` more (or fewer: an attempt taken back) moved in slot `id`.
  void Moved(int64_t id, int64_t bytes);
  void ReleaseSlot(int64_t id);

  // How often a copy waited for another's transfer (for reports and tests).
  int waits() const;
  // Blob transfers moving bytes now.
  int transfers() const;
  // Those transfers, oldest first.
  std::vector<Transfer> Moving() const;

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
  int64_t next_id_ = 0;
  std::map<int64_t, Transfer> moving_;  // by slot id: in the order they started
};

// A slot held for a scope.
class TransferSlot {
 public:
  explicit TransferSlot(TransferGate* gate) : gate_(gate) {}
  ~TransferSlot() {
    if (gate_ && held_) gate_->ReleaseSlot(id_);
  }
  Status Acquire(const std::shared_ptr<CancelToken>& cancel, const TransferGate::Transfer& what) {
    if (!gate_) return OkStatus();
    Status s = gate_->AcquireSlot(cancel, what, &id_);
    held_ = s.ok();
    return s;
  }
  void Moved(int64_t bytes) {
    if (gate_ && held_) gate_->Moved(id_, bytes);
  }
  TransferSlot(const TransferSlot&) = delete;
  TransferSlot& operator=(const TransferSlot&) = delete;

 private:
  TransferGate* gate_;
  bool held_ = false;
  int64_t id_ = 0;
};

}  // namespace swr::replication
