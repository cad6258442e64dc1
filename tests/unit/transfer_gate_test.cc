// The transfer gate shared by the copies of one sync run: bounded slots,
// one transfer per blob at a time, and the list of what is moving that the
// progress view shows.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/cancel.h"
#include "replication/transfer_gate.h"

namespace swr::replication {
namespace {

TEST(TransferGate, MovingListsTheTransfersInTheOrderTheyStartedWithTheirBytes) {
  TransferGate gate(3);
  auto cancel = std::make_shared<CancelToken>();
  {
    TransferSlot a(&gate), b(&gate);
    ASSERT_TRUE(a.Acquire(cancel, {"team/a", "sha256:aaa", 100, 0}).ok());
    ASSERT_TRUE(b.Acquire(cancel, {"team/b", "sha256:bbb", -1, 0}).ok());
    a.Moved(40);
    a.Moved(25);
    b.Moved(7);
    a.Moved(-5);  // an attempt taken back
    auto moving = gate.Moving();
    ASSERT_EQ(moving.size(), 2u);
    EXPECT_EQ(moving[0].digest, "sha256:aaa");
    EXPECT_EQ(moving[0].repository, "team/a");
    EXPECT_EQ(moving[0].bytes, 60);
    EXPECT_EQ(moving[0].size, 100);
    EXPECT_EQ(moving[1].digest, "sha256:bbb");
    EXPECT_EQ(moving[1].bytes, 7);
    EXPECT_EQ(gate.transfers(), 2);
  }
  EXPECT_TRUE(gate.Moving().empty()) << "a released slot is no longer moving";
  EXPECT_EQ(gate.transfers(), 0);
}

TEST(TransferGate, ASlotWaitsForAFreeOneAndACancelEndsTheWait) {
  TransferGate gate(1);
  auto cancel = std::make_shared<CancelToken>();
  TransferSlot held(&gate);
  ASSERT_TRUE(held.Acquire(cancel, {"r", "sha256:1", 1, 0}).ok());
  auto other = std::make_shared<CancelToken>();
  std::atomic<bool> returned{false};
  Status waited;
  std::thread t([&] {
    TransferSlot s(&gate);
    waited = s.Acquire(other, {"r", "sha256:2", 1, 0});
    s.Moved(1);  // not held: ignored
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(returned) << "only one slot, and it is held";
  other->Cancel();
  t.join();
  EXPECT_EQ(waited.code(), Code::kCancelled);
  ASSERT_EQ(gate.Moving().size(), 1u);
  EXPECT_EQ(gate.Moving()[0].digest, "sha256:1");
}

TEST(TransferGate, ASecondClaimOfABlobWaitsUntilTheFirstFinishes) {
  TransferGate gate(4);
  auto cancel = std::make_shared<CancelToken>();
  bool leader = false;
  ASSERT_TRUE(gate.Claim("sha256:x", cancel, &leader).ok());
  EXPECT_TRUE(leader);
  std::atomic<bool> second_leader{true};
  std::thread t([&] {
    bool l = true;
    EXPECT_TRUE(gate.Claim("sha256:x", cancel, &l).ok());
    second_leader = l;
  });
  // Until the second claim waits (at most 10 s).
  for (int i = 0; i < 1000 && gate.waits() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(gate.waits(), 1);
  gate.Finish("sha256:x");
  t.join();
  EXPECT_FALSE(second_leader) << "the waiter looks again (mount) instead of leading blindly";
}

}  // namespace
}  // namespace swr::replication
