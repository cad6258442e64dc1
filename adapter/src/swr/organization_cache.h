// Which organizations a client knows to exist, so that each is ensured
// (created when missing) once per TTL however many copies, sync images or
// Harbor tasks ask at once: one call per name at a time, the others wait
// for its outcome. Successes and final refusals (quota, a name another
// account holds, no permission, an invalid name) are remembered for the
// TTL; what may pass (rate limits, network trouble, cancellation) is not.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "common/status.h"

namespace swr {

class OrganizationCache {
 public:
  using Duration = std::chrono::steady_clock::duration;
  explicit OrganizationCache(Duration ttl) : ttl_(ttl) {}

  // The remembered outcome for `name`, else `ensure()`'s (remembered as
  // above). Waits while another caller ensures the same name.
  Status Ensure(const std::string& name, const std::function<Status()>& ensure);
  // Forgets `name` (deleted, or SWR says it does not exist after all).
  void Forget(const std::string& name);

 private:
  struct Entry {
    bool busy = false;
    bool known = false;
    Status outcome;
    std::chrono::steady_clock::time_point at;
  };
  const Duration ttl_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> entries_;
};

}  // namespace swr
