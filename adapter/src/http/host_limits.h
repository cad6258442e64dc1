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

#include "common/clock.h"
#include "http/transport.h"

namespace swr::http {

struct HostLimits {
  double requests_per_second = 0;  // 0: no rate limit
  int max_concurrent = 0;          // buffered requests in flight; 0: no limit
  bool enabled() const { return requests_per_second > 0 || max_concurrent > 0; }
};

class LimitingTransport final : public Transport {
 public:
  LimitingTransport(std::shared_ptr<Transport> inner, HostLimits limits, Logger logger);

  StatusOr<Response> Send(const Request& request) override;
  StatusOr<Response> SendStreaming(const Request& request, std::shared_ptr<BodyPipe> body, int64_t body_length,
                                   std::shared_ptr<BodyPipe> sink) override;

  // The current rate (it drops on 429/503 and climbs back); for tests and logs.
  double current_rate() const;
  // Times a 429 or 503 slowed this host down.
  int slowdowns() const;

 private:
  using SteadyClock = std::chrono::steady_clock;
  // Waits for a token (and a concurrency slot when `slot`); fails when the
  // request is cancelled or its deadline passes meanwhile.
  Status Acquire(const Request& request, bool slot);
  void Release(bool slot);
  void Observe(const StatusOr<Response>& r);

  std::shared_ptr<Transport> inner_;
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

}  // namespace swr::http
