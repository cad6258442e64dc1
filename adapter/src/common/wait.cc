#include "common/wait.h"

#include <algorithm>

namespace swr {

WaitEnd CancellableWait(Clock& clock, std::chrono::milliseconds d, const std::shared_ptr<CancelToken>& cancel,
                        std::optional<std::chrono::steady_clock::time_point> deadline) {
  constexpr std::chrono::milliseconds kSlice{100};
  if (!cancel && !deadline) {
    clock.SleepFor(d);
    return WaitEnd::kElapsed;
  }
  for (auto left = d; left.count() > 0; left -= kSlice) {
    if (cancel && cancel->cancelled()) return WaitEnd::kCancelled;
    auto slice = std::min(left, kSlice);
    if (deadline) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (until.count() <= 0) return WaitEnd::kDeadline;
      slice = std::min(slice, until);
    }
    clock.SleepFor(slice);
  }
  if (cancel && cancel->cancelled()) return WaitEnd::kCancelled;
  return WaitEnd::kElapsed;
}

}  // namespace swr
