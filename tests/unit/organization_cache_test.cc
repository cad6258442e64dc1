// The organization cache sync and the Harbor adapter share: one call per
// name however many ask at once, outcomes remembered only when final.
#include "swr/organization_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace swr {
namespace {

TEST(OrganizationCache, ConcurrentCallersShareOneCall) {
  OrganizationCache cache(std::chrono::minutes(10));
  std::atomic<int> calls{0};
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      Status s = cache.Ensure("team", [&] {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return OkStatus();
      });
      if (s.ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(ok.load(), 8);
  // Another name is its own call.
  EXPECT_TRUE(cache
                  .Ensure("other",
                          [&] {
                            ++calls;
                            return OkStatus();
                          })
                  .ok());
  EXPECT_EQ(calls.load(), 2);
}

TEST(OrganizationCache, OnlyFinalAnswersAreRemembered) {
  OrganizationCache cache(std::chrono::minutes(10));
  int calls = 0;
  auto throttled = [&] {
    ++calls;
    return Status(Code::kRateLimited, "slow down");
  };
  EXPECT_EQ(cache.Ensure("a", throttled).code(), Code::kRateLimited);
  EXPECT_EQ(cache.Ensure("a", throttled).code(), Code::kRateLimited);
  EXPECT_EQ(calls, 2) << "a rate limit passes: ask again";
  auto quota = [&] {
    ++calls;
    return Status(Code::kQuotaExceeded, "5 organizations");
  };
  EXPECT_EQ(cache.Ensure("b", quota).code(), Code::kQuotaExceeded);
  EXPECT_EQ(cache.Ensure("b", quota).code(), Code::kQuotaExceeded);
  EXPECT_EQ(calls, 3) << "the quota does not change by asking";
  auto cancelled = [&] {
    ++calls;
    return Status(Code::kCancelled, "cancelled");
  };
  cache.Ensure("c", cancelled);
  cache.Ensure("c", cancelled);
  EXPECT_EQ(calls, 5);
}

TEST(OrganizationCache, ForgetAndZeroTtlAskAgain) {
  OrganizationCache cache(std::chrono::minutes(10));
  int calls = 0;
  auto ok = [&] {
    ++calls;
    return OkStatus();
  };
  cache.Ensure("a", ok);
  cache.Ensure("a", ok);
  EXPECT_EQ(calls, 1);
  cache.Forget("a");
  cache.Ensure("a", ok);
  EXPECT_EQ(calls, 2);
  OrganizationCache none(std::chrono::seconds(0));
  none.Ensure("a", ok);
  none.Ensure("a", ok);
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace swr
