// Retries with exponential backoff and jitter, as a Transport decorator.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <random>

#include "common/clock.h"
#include "http/transport.h"

namespace swr::http {

struct RetryPolicy {
  int max_attempts = 4;  // first try included
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(10)};
  double multiplier = 2.0;
  double jitter = 0.25;  // each delay is scaled by a random factor in [1 - jitter, 1]
  // The longest Retry-After we honour; longer waits end the retries.
  std::chrono::milliseconds max_retry_after{std::chrono::seconds(60)};

  // The pause before retry number retry_index + 1 (0: before the 2nd try),
  // without jitter: initial_backoff * multiplier^retry_index, at most
  // max_backoff. The transport and the copy engine both pause by it.
  std::chrono::milliseconds Delay(int retry_index) const;
};

// True for responses worth another try: 5xx (but 501) and 429.
bool IsRetryableStatus(int status);
// Retry-After as delta seconds or an HTTP date; nullopt when absent or bad.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now);

class RetryingTransport final : public Transport {
 public:
  RetryingTransport(std::shared_ptr<Transport> inner, RetryPolicy policy, std::shared_ptr<Clock> clock, Logger logger,
                    uint32_t seed = std::random_device{}());

  StatusOr<Response> Send(const Request& request) override;
  StatusOr<Response> SendStreaming(const Request& request, std::shared_ptr<BodyPipe> body, int64_t body_length,
                                   std::shared_ptr<BodyPipe> sink) override {
    return inner_->SendStreaming(request, std::move(body), body_length, std::move(sink));
  }

 private:
  std::chrono::milliseconds Backoff(int retry_index);

  std::shared_ptr<Transport> inner_;
  RetryPolicy policy_;
  std::shared_ptr<Clock> clock_;
  Logger logger_;
  std::mutex rng_mu_;
  std::mt19937 rng_;
};

}  // namespace swr::http
