// Per-host politeness, as a Transport decorator: at most `max_concurrent`
// buffered requests at once and `requests_per_second` request starts (a
// token bucket), slowing down when the host says it is overloaded (429 or
// 503: the rate halves and Retry-After pauses every request to the host)
// and recovering gradually while it answers normally. It sits under the
// retry loop, so every retry also waits its turn.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "http/transport.h"

namespace swr::http {

struct HostLimits {
  double requests_per_second = 0;  // 0: no rate limit
  int max_concurrent = 0;          // buffered requests in flight; 0: no limit
  bool enabled() const { return requests_per_second > 0 || max_concurrent > 0; }
};

// The state behind the limits: a token bucket for request starts, a count
// of requests in flight, and the slowdown. One per connection, or one per
// group shared by every connection of the process that names it (one SWR
// tenant's rate limit, whatever number of clients and Harbor tasks).
class HostLimiter {
 public:
  HostLimiter(HostLimits limits, Logger logger);
  // The process's limiter of `group`, created with these limits by its
  // first user; it lives while some connection uses it.
  static std::shared_ptr<HostLimiter> Shared(const std::string& group, HostLimits limits, Logger logger);

  // Waits for a token (and a concurrency slot when `slot`); fails when the
  // request is cancelled or its deadline passes meanwhile.
  Status Acquire(const Request& request, bool slot);
  void Release(bool slot);
  // 429 and 503 slow every user of this limiter down.
  void Observe(const StatusOr<Response>& r);

  // The current rate (it drops on 429/503 and climbs back); for tests and logs.
  double current_rate() const;
  // Times a 429 or 503 slowed it down.
  int slowdowns() const;
  const HostLimits& limits() const { return limits_; }

 private:
  using SteadyClock = std::chrono::steady_clock;
  const HostLimits limits_;
  Logger logger_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  double rate_;    // tokens per second now
  double tokens_;  // available, at most burst
  SteadyClock::time_point refilled_;
  SteadyClock::time_point paused_until_;
  int in_flight_ = 0;
  int slowdowns_ = 0;
};

class LimitingTransport final : public Transport {
 public:
  LimitingTransport(std::shared_ptr<Transport> inner, HostLimits limits, Logger logger);
  LimitingTransport(std::shared_ptr<Transport> inner, std::shared_ptr<HostLimiter> limiter);

  StatusOr<Response> Send(const Request& request) override;
  StatusOr<Response> SendStreaming(const Request& request, std::shared_ptr<BodyPipe> body, int64_t body_length,
                                   std::shared_ptr<BodyPipe> sink) override;

  double current_rate() const { return limiter_->current_rate(); }
  int slowdowns() const { return limiter_->slowdowns(); }
  const std::shared_ptr<HostLimiter>& limiter() const { return limiter_; }

 private:
  std::shared_ptr<Transport> inner_;
  std::shared_ptr<HostLimiter> limiter_;
};

}  // namespace swr::http
