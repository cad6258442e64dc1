// The per-host limiter: a bounded rate, bounded concurrency, a slowdown on
// 429/503 that honours Retry-After, and prompt cancellation while waiting.
// Times are only checked as lower bounds (a limiter can make things slower,
// never faster), so a slow machine cannot fail these.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "common/cancel.h"
#include "http/host_limits.h"
#include "unit/fakes.h"

namespace swr::http {
namespace {

using Steady = std::chrono::steady_clock;

// Answers `status` after `delay`, counting requests in flight at once.
class SlowTransport : public Transport {
 public:
  SlowTransport(int status, std::chrono::milliseconds delay, HeaderList headers = {})
      : status_(status), delay_(delay), headers_(std::move(headers)) {}
  StatusOr<Response> Send(const Request&) override {
    int now = ++in_flight_;
    int seen = max_in_flight_.load();
    while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(delay_);
    --in_flight_;
    ++sent_;
    return testing::MakeResponse(status_, "", headers_);
  }
  StatusOr<Response> SendStreaming(const Request& r, std::shared_ptr<BodyPipe>, int64_t,
                                   std::shared_ptr<BodyPipe>) override {
    return Send(r);
  }
  std::atomic<int> max_in_flight_{0}, sent_{0};
  int status_;

 private:
  std::atomic<int> in_flight_{0};
  std::chrono::milliseconds delay_;
  HeaderList headers_;
};

double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

TEST(HostLimits, TheRateIsBounded) {
  auto inner = std::make_shared<SlowTransport>(200, std::chrono::milliseconds(0));
  LimitingTransport t(inner, {10, 0}, Logger());
  auto start = Steady::now();
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(t.Send(Request{}).ok());
  // A burst of 10, then 15 more at 10/s: at least 1.5 s (a little slack for
  // clock granularity).
  EXPECT_GE(Seconds(start), 1.4);
  EXPECT_EQ(inner->sent_.load(), 25);
}

TEST(HostLimits, ConcurrencyIsBounded) {
  auto inner = std::make_shared<SlowTransport>(200, std::chrono::milliseconds(30));
  LimitingTransport t(inner, {0, 3}, Logger());
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 3; ++j) EXPECT_TRUE(t.Send(Request{}).ok());
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(inner->sent_.load(), 36);
  EXPECT_LE(inner->max_in_flight_.load(), 3);
  EXPECT_GE(inner->max_in_flight_.load(), 2) << "the limiter serialised everything";
}

TEST(HostLimits, A429HalvesTheRateAndRetryAfterPausesTheHost) {
  auto inner = std::make_shared<SlowTransport>(429, std::chrono::milliseconds(0), HeaderList{{"Retry-After", "1"}});
  LimitingTransport t(inner, {20, 0}, Logger());
  auto r = t.Send(Request{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(t.slowdowns(), 1);
  EXPECT_DOUBLE_EQ(t.current_rate(), 10);
  inner->status_ = 200;
  auto start = Steady::now();
  ASSERT_TRUE(t.Send(Request{}).ok());
  EXPECT_GE(Seconds(start), 0.9) << "Retry-After: 1 did not pause the host";
  // Good answers bring the rate back, gradually.
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(t.Send(Request{}).ok());
  EXPECT_DOUBLE_EQ(t.current_rate(), 20);
}

TEST(HostLimits, A503WithoutRetryAfterPausesASecond) {
  auto inner = std::make_shared<SlowTransport>(503, std::chrono::milliseconds(0));
  LimitingTransport t(inner, {0, 4}, Logger());
  ASSERT_TRUE(t.Send(Request{}).ok());
  EXPECT_EQ(t.slowdowns(), 1);
  inner->status_ = 200;
  auto start = Steady::now();
  ASSERT_TRUE(t.Send(Request{}).ok());
  EXPECT_GE(Seconds(start), 0.9);
}

TEST(HostLimits, WaitingEndsAtOnceOnCancelAndAtTheDeadline) {
  auto inner = std::make_shared<SlowTransport>(503, std::chrono::milliseconds(0), HeaderList{{"Retry-After", "30"}});
  LimitingTransport t(inner, {5, 0}, Logger());
  ASSERT_TRUE(t.Send(Request{}).ok());  // the host is now paused for 30 s
  Request r;
  r.cancel = std::make_shared<CancelToken>();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    r.cancel->Cancel();
  });
  auto start = Steady::now();
  auto got = t.Send(r);
  canceller.join();
  EXPECT_EQ(got.status().code(), Code::kCancelled);
  EXPECT_LT(Seconds(start), 10) << "the cancel did not wake the wait";
  Request d;
  d.deadline = Steady::now() + std::chrono::milliseconds(200);
  EXPECT_EQ(t.Send(d).status().code(), Code::kTimeout);
  EXPECT_EQ(inner->sent_.load(), 1);
}

// One tenant, one limit: connections naming the same group share a
// limiter, so a 503 one of them sees slows the others down too.
TEST(HostLimits, AGroupSharesOneLimiterAcrossConnections) {
  auto a = HostLimiter::Shared("swr|swr.eu-de.example|eu-de", {20, 0}, Logger());
  auto b = HostLimiter::Shared("swr|swr.eu-de.example|eu-de", {99, 0}, Logger());
  auto other = HostLimiter::Shared("swr|swr.eu-de.example|eu-de_dev", {20, 0}, Logger());
  EXPECT_EQ(a, b);
  EXPECT_EQ(b->limits().requests_per_second, 20) << "the first user's limits hold";
  EXPECT_NE(a, other);
  auto overloaded = std::make_shared<SlowTransport>(503, std::chrono::milliseconds(0), HeaderList{});
  auto fine = std::make_shared<SlowTransport>(200, std::chrono::milliseconds(0), HeaderList{});
  LimitingTransport first(overloaded, a);
  LimitingTransport second(fine, b);
  ASSERT_TRUE(first.Send(Request{}).ok());
  EXPECT_EQ(second.slowdowns(), 1) << "the other connection did not learn of the 503";
  EXPECT_LT(second.current_rate(), 20);
  EXPECT_EQ(other->slowdowns(), 0);
}

}  // namespace
}  // namespace swr::http
