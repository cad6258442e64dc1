#include "http/host_limits.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "http/retry.h"

namespace swr::http {

namespace {
constexpr double kMinRate = 0.5;  // requests per second, the floor of a slowdown
constexpr std::chrono::milliseconds kMaxPause{std::chrono::seconds(60)};
}  // namespace

HostLimiter::HostLimiter(HostLimits limits, Logger logger)
    : limits_(limits),
      logger_(std::move(logger)),
      rate_(limits.requests_per_second),
      tokens_(std::max(1.0, limits.requests_per_second)),
      refilled_(SteadyClock::now()),
      paused_until_(SteadyClock::now()) {}

std::shared_ptr<HostLimiter> HostLimiter::Shared(const std::string& group, HostLimits limits, Logger logger) {
  static std::mutex mu;
  static auto* groups = new std::map<std::string, std::weak_ptr<HostLimiter>>();
  std::lock_guard<std::mutex> lock(mu);
  for (auto it = groups->begin(); it != groups->end();) {  // forget the ones nobody uses
    it = it->second.expired() ? groups->erase(it) : std::next(it);
  }
  if (auto existing = (*groups)[group].lock()) return existing;
  auto made = std::make_shared<HostLimiter>(limits, std::move(logger));
  (*groups)[group] = made;
  return made;
}

double HostLimiter::current_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rate_;
}

int HostLimiter::slowdowns() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slowdowns_;
}

Status HostLimiter::Acquire(const Request& request, bool slot) {
  // A cancellation wakes the wait. Registered before mu_ is taken and
  // removed after it is released: the callback takes mu_ (under the token's
  // own lock), so holding mu_ around either would invert the lock order.
  CancelRegistration wake(request.cancel, [this] {
    std::lock_guard<std::mutex> l(mu_);
    cv_.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (request.cancel && request.cancel->cancelled()) return Status(Code::kCancelled, "the request was cancelled");
    auto now = SteadyClock::now();
    if (request.deadline && now >= *request.deadline) {
      return Status(Code::kTimeout, "the deadline passed while waiting for the host's request limit");
    }
    auto wait_until = now + std::chrono::milliseconds(100);
    if (now < paused_until_) {
      wait_until = std::min(wait_until, paused_until_);
    } else {
      bool rate_ok = true;
      if (limits_.requests_per_second > 0) {
        double burst = std::max(1.0, rate_);
        tokens_ = std::min(burst, tokens_ + rate_ * std::chrono::duration<double>(now - refilled_).count());
        refilled_ = now;
        rate_ok = tokens_ >= 1.0;
        if (!rate_ok) {
          auto need = std::chrono::duration<double>((1.0 - tokens_) / rate_);
          wait_until = std::min(wait_until, now + std::chrono::duration_cast<SteadyClock::duration>(need));
        }
      }
      bool slot_ok = !slot || limits_.max_concurrent <= 0 || in_flight_ < limits_.max_concurrent;
      if (rate_ok && slot_ok) {
        if (limits_.requests_per_second > 0) tokens_ -= 1.0;
        if (slot) ++in_flight_;
        return OkStatus();
      }
    }
    if (request.deadline) wait_until = std::min(wait_until, *request.deadline);
    cv_.wait_until(lock, wait_until);
  }
}

void HostLimiter::Release(bool slot) {
  std::lock_guard<std::mutex> lock(mu_);
  if (slot) --in_flight_;
  cv_.notify_all();
}

void HostLimiter::Observe(const StatusOr<Response>& r) {
  if (!r.ok()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (r->status == 429 || r->status == 503) {
    ++slowdowns_;
    if (limits_.requests_per_second > 0) rate_ = std::max(kMinRate, rate_ / 2);
    std::chrono::milliseconds pause{1000};
    if (const std::string* ra = r->Header("Retry-After")) {
      if (auto d = ParseRetryAfter(*ra, std::chrono::system_clock::now())) pause = std::min(*d, kMaxPause);
    }
    paused_until_ = std::max(paused_until_, SteadyClock::now() + pause);
    logger_.Log(LogLevel::kInfo, fmt::format("the host answered {}: slowing down to {:.1f} requests/s, pausing {} ms",
                                             r->status, rate_, pause.count()));
  } else if (r->status < 400 && limits_.requests_per_second > 0 && rate_ < limits_.requests_per_second) {
    // Additive recovery: back to the full rate after about 20 good answers.
    rate_ = std::min(limits_.requests_per_second, rate_ + limits_.requests_per_second / 20);
  }
  cv_.notify_all();
}

LimitingTransport::LimitingTransport(std::shared_ptr<Transport> inner, HostLimits limits, Logger logger)
    : inner_(std::move(inner)), limiter_(std::make_shared<HostLimiter>(limits, std::move(logger))) {}

LimitingTransport::LimitingTransport(std::shared_ptr<Transport> inner, std::shared_ptr<HostLimiter> limiter)
    : inner_(std::move(inner)), limiter_(std::move(limiter)) {}

StatusOr<Response> LimitingTransport::Send(const Request& request) {
  SWR_RETURN_IF_ERROR(limiter_->Acquire(request, true));
  auto r = inner_->Send(request);
  limiter_->Release(true);
  limiter_->Observe(r);
  return r;
}

StatusOr<Response> LimitingTransport::SendStreaming(const Request& request, std::shared_ptr<BodyPipe> body,
                                                    int64_t body_length, std::shared_ptr<BodyPipe> sink) {
  // Streamed bodies last as long as the blob: they take a start token, not
  // a concurrency slot (the caller bounds blobs in flight).
  SWR_RETURN_IF_ERROR(limiter_->Acquire(request, false));
  auto r = inner_->SendStreaming(request, std::move(body), body_length, std::move(sink));
  limiter_->Observe(r);
  return r;
}

}  // namespace swr::http
