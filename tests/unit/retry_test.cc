#include "http/retry.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "fakes.h"

namespace swr::http {
namespace {

using swr::testing::FakeClock;
using swr::testing::MakeResponse;
using swr::testing::ScriptedTransport;

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<ScriptedTransport> inner;
  std::unique_ptr<RetryingTransport> retrying;

  Fixture(std::vector<StatusOr<Response>> script, RetryPolicy policy = {}) {
    auto queue = std::make_shared<std::deque<StatusOr<Response>>>(script.begin(), script.end());
    inner = std::make_shared<ScriptedTransport>([queue](const Request&) -> StatusOr<Response> {
      if (queue->empty()) return MakeResponse(599);
      auto r = queue->front();
      queue->pop_front();
      return r;
    });
    retrying = std::make_unique<RetryingTransport>(inner, policy, clock, Logger(), 42);
  }
};

Request Get() {
  Request r;
  r.method = "GET";
  r.url = "http://127.0.0.1/x";
  return r;
}

TEST(Retry, RetriesServerErrorsUntilSuccess) {
  Fixture f({MakeResponse(503), MakeResponse(502), MakeResponse(200, "ok")});
  auto r = f.retrying->Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(f.inner->requests.size(), 3u);
  EXPECT_EQ(f.clock->sleeps.size(), 2u);
}

TEST(Retry, BacksOffExponentiallyWithBoundedJitter) {
  RetryPolicy p;
  p.max_attempts = 5;
  p.initial_backoff = std::chrono::milliseconds(100);
  p.jitter = 0.25;
  Fixture f({MakeResponse(500), MakeResponse(500), MakeResponse(500), MakeResponse(500), MakeResponse(500)}, p);
  auto r = f.retrying->Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500) << "the last response is returned when retries run out";
  ASSERT_EQ(f.clock->sleeps.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    double base = 100.0 * (1 << i);
    SCOPED_TRACE(i);
    EXPECT_GE(f.clock->sleeps[i].count(), static_cast<int64_t>(base * 0.75) - 1);
    EXPECT_LE(f.clock->sleeps[i].count(), static_cast<int64_t>(base));
  }
}

TEST(Retry, HonoursRetryAfterSeconds) {
  Fixture f({MakeResponse(429, "", {{"Retry-After", "3"}}), MakeResponse(200)});
  auto r = f.retrying->Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(f.clock->sleeps.size(), 1u);
  EXPECT_EQ(f.clock->sleeps[0], std::chrono::seconds(3));
}

TEST(Retry, GivesUpWhenRetryAfterIsTooLong) {
  Fixture f({MakeResponse(503, "", {{"Retry-After", "3600"}}), MakeResponse(200)});
  auto r = f.retrying->Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(f.clock->sleeps.empty());
}

TEST(Retry, RetriesConnectionErrors) {
  Fixture f({Status(Code::kNetwork, "connection refused"), MakeResponse(200)});
  auto r = f.retrying->Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(f.inner->requests.size(), 2u);
}

TEST(Retry, DoesNotRetryNonIdempotentRequests) {
  Fixture f({MakeResponse(503), MakeResponse(200)});
  Request post = Get();
  post.method = "POST";
  auto r = f.retrying->Send(post);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(f.inner->requests.size(), 1u);
  // ... unless the caller says it is safe.
  Fixture g({MakeResponse(503), MakeResponse(201)});
  post.idempotent = true;
  EXPECT_EQ(g.retrying->Send(post)->status, 201);
}

TEST(Retry, DoesNotRetryClientErrors) {
  Fixture f({MakeResponse(404), MakeResponse(200)});
  EXPECT_EQ(f.retrying->Send(Get())->status, 404);
  EXPECT_EQ(f.inner->requests.size(), 1u);
  Fixture g({Status(Code::kInvalidArgument, "bad url"), MakeResponse(200)});
  EXPECT_FALSE(g.retrying->Send(Get()).ok());
  EXPECT_EQ(g.inner->requests.size(), 1u);
}

TEST(RetryAfter, ParsesSecondsAndHttpDates) {
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(ParseRetryAfter("120", now), std::chrono::milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now), std::chrono::milliseconds(10000));
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now), std::chrono::milliseconds(0));
  EXPECT_FALSE(ParseRetryAfter("soon", now));
  EXPECT_FALSE(ParseRetryAfter("", now));
}

}  // namespace
TEST(RetryAfter, DatesCenturiesAwayDoNotOverflow) {
  // Found by fuzz_headers: the clock's nanoseconds overflowed for year 0997.
  auto now = std::chrono::system_clock::from_time_t(1700000000);
  EXPECT_EQ(*ParseRetryAfter("Sun, 06 Nov 0997 08:49:37 GMT", now), std::chrono::milliseconds(0));
  auto far = ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now);
  ASSERT_TRUE(far);
  EXPECT_GT(far->count(), 0);
}

TEST(SdkDate, RefusesYearsTheClockCannotHold) {
  std::chrono::system_clock::time_point t;
  EXPECT_TRUE(ParseSdkDate("20240101T000000Z", &t));
  EXPECT_FALSE(ParseSdkDate("99991231T235959Z", &t));
  EXPECT_FALSE(ParseSdkDate("00010101T000000Z", &t));
}

}  // namespace swr::http
