#include "http/retry.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

#include "common/wait.h"
#include "http/error_body.h"

namespace swr::http {

bool IsRetryableStatus(int status) {
  return status == 429 || (status >= 500 && status != 501 && status < 600);
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& raw,
                                                         std::chrono::system_clock::time_point now) {
  std::string value = raw;
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.erase(value.begin());
  if (value.empty()) return std::nullopt;
  bool digits = true;
  for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) {
    if (value.size() > 9) return std::nullopt;
    return std::chrono::seconds(std::stol(value));
  }
  std::tm tm{};
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
  // Compared in whole seconds: a date centuries away must not overflow the
  // clock's nanoseconds.
  std::time_t when = timegm(&tm);
  std::time_t now_s = std::chrono::system_clock::to_time_t(now);
  if (when <= now_s) return std::chrono::milliseconds(0);
  std::time_t wait = std::min<std::time_t>(when - now_s, 999999999);
  return std::chrono::seconds(wait);
}

RetryingTransport::RetryingTransport(std::shared_ptr<Transport> inner, RetryPolicy policy, std::shared_ptr<Clock> clock,
                                     Logger logger, uint32_t seed)
    : inner_(std::move(inner)), policy_(policy), clock_(std::move(clock)), logger_(std::move(logger)), rng_(seed) {}

std::chrono::milliseconds RetryPolicy::Delay(int retry_index) const {
  double base = static_cast<double>(initial_backoff.count());
  for (int i = 0; i < retry_index && base < static_cast<double>(max_backoff.count()); ++i) base *= multiplier;
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(base, static_cast<double>(max_backoff.count()))));
}

std::chrono::milliseconds RetryingTransport::Backoff(int retry_index) {
  double base = static_cast<double>(policy_.Delay(retry_index).count());
  double factor = 1.0;
  if (policy_.jitter > 0) {
    std::lock_guard<std::mutex> lock(rng_mu_);
    std::uniform_real_distribution<double> dist(1.0 - policy_.jitter, 1.0);
    factor = dist(rng_);
  }
  return std::chrono::milliseconds(static_cast<int64_t>(base * factor));
}

StatusOr<Response> RetryingTransport::Send(const Request& request) {
  const int all = std::max(1, policy_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    StatusOr<Response> result = inner_->Send(request);
    std::string why;
    std::optional<std::chrono::milliseconds> wait;
    // A throttled request (429, or SWR's 403 "too many requests") was not
    // carried out: repeating it is safe even when it is not idempotent.
    const bool throttled = result.ok() && (result->status == 429 || IsSwrThrottle(*result));
    const int attempts = request.IsIdempotent() || throttled ? all : 1;
    if (!result.ok()) {
      // Network trouble, timeouts and the like; never a certificate problem
      // or a bad request.
      if (!result.status().retryable()) return result;
      why = result.status().message();
    } else {
      if (!IsRetryableStatus(result->status) && !throttled) return result;
      why = fmt::format("HTTP {}", result->status);
      if (const std::string* ra = result->Header("Retry-After")) {
        wait = ParseRetryAfter(*ra, clock_->Now());
        if (wait && *wait > policy_.max_retry_after) {
          logger_.Log(LogLevel::kWarn,
                      fmt::format("{} {}: server asks to retry after {} ms, longer than allowed; giving up",
                                  request.method, request.url, wait->count()));
          return result;
        }
      }
    }
    if (attempt >= attempts) return result;
    std::chrono::milliseconds delay = wait ? *wait : Backoff(attempt - 1);
    // Throttling clears on the server's schedule, not ours: wait at least a second.
    if (throttled && !wait) delay = std::max(delay, std::chrono::milliseconds(1000));
    logger_.Log(LogLevel::kInfo, fmt::format("{} {}: {}; retry {} of {} in {} ms", request.method, request.url,
                                             result.ok() ? why : "failed", attempt, attempts - 1, delay.count()));
    if (!result.ok()) logger_.Log(LogLevel::kDebug, why);
    if (request.deadline && std::chrono::steady_clock::now() + delay >= *request.deadline) return result;
    if (CancellableWait(*clock_, delay, request.cancel) == WaitEnd::kCancelled) {
      return Status(Code::kCancelled, request.method + " " + request.url + ": cancelled");
    }
  }
}

}  // namespace swr::http
