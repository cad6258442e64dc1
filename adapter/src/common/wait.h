// The one cancellable wait of the library: retries (the transport, the
// copy engine) pause here, in slices, so that a cancel ends the pause
// within 100 ms and no pause outlives its deadline.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "common/cancel.h"
#include "common/clock.h"

namespace swr {

enum class WaitEnd { kElapsed, kCancelled, kDeadline };

// Waits `d` on `clock` (slices of at most 100 ms); ends early when `cancel`
// fires or at `deadline`.
WaitEnd CancellableWait(Clock& clock, std::chrono::milliseconds d, const std::shared_ptr<CancelToken>& cancel,
                        std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

}  // namespace swr
