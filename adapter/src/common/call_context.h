// Per-call controls every front end can give a core call: cancellation, an
// overall deadline, and the slowest acceptable transfer rate.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "common/cancel.h"

namespace swr {

struct CallContext {
  // Cancels the call, and the streams it opened, from any thread.
  std::shared_ptr<CancelToken> cancel;
  // The call (and its streams) fail with kTimeout past this point.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Streamed bodies fail with kTimeout below this average rate over the
  // transport's timeout window (waiting for the other end of a pipe does
  // not count); 0: only a complete stall fails.
  int64_t min_bytes_per_second = 0;
};

}  // namespace swr
