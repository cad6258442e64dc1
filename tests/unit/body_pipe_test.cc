#include "http/body_pipe.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/crypto.h"

namespace swr::http {
namespace {

TEST(BodyPipe, CarriesBytesInOrderThroughASmallBuffer) {
  BodyPipe pipe(7);  // much smaller than the data: writers must wait for readers
  std::string data;
  for (int i = 0; i < 10000; ++i) data.push_back(static_cast<char>(i * 31));
  std::thread writer([&] {
    for (size_t off = 0; off < data.size(); off += 13) {
      ASSERT_TRUE(pipe.Write(data.data() + off, std::min<size_t>(13, data.size() - off)).ok());
    }
    pipe.CloseWrite();
  });
  std::string got;
  char buf[5];
  for (int i = 0; i < 100000; ++i) {
    auto n = pipe.Read(buf, sizeof buf);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    got.append(buf, *n);
  }
  writer.join();
  EXPECT_EQ(got, data);
  EXPECT_EQ(pipe.bytes_read(), data.size());
}

TEST(BodyPipe, NeverHoldsMoreThanItsCapacity) {
  BodyPipe pipe(100);
  std::string chunk(250, 'x');
  std::thread writer([&] {
    EXPECT_TRUE(pipe.Write(chunk.data(), chunk.size()).ok());
    pipe.CloseWrite();
  });
  // The writer fills the pipe, then waits for room (bounded look: 200 x 5 ms).
  for (int i = 0; i < 200 && pipe.bytes_written() < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(pipe.bytes_written(), 100u);
  std::string got;
  char buf[10];
  for (int i = 0; i < 100; ++i) {
    auto n = pipe.Read(buf, sizeof buf);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    got.append(buf, *n);
  }
  writer.join();
  EXPECT_EQ(got, chunk) << "a read must wake the waiting writer";
}

TEST(BodyPipe, AbortUnlessFinishedLeavesACompleteTransferAlone) {
  BodyPipe done(16), pending(16);
  ASSERT_TRUE(done.Write("abc", 3).ok());
  done.CloseWrite();
  char buf[8];
  ASSERT_EQ(*done.Read(buf, sizeof buf), 3u);
  done.AbortUnlessFinished(Status(Code::kCancelled, "late"));
  EXPECT_TRUE(done.status().ok());
  ASSERT_TRUE(pending.Write("abc", 3).ok());
  pending.AbortUnlessFinished(Status(Code::kCancelled, "the server answered early"));
  EXPECT_EQ(pending.status().code(), Code::kCancelled);
}

TEST(BodyPipe, WrongDigestFailsInsteadOfEnding) {
  BodyPipe pipe(1 << 16);
  std::string data = "hello world";
  pipe.ExpectDigest("sha256:" + Sha256Hex("something else"), -1);
  ASSERT_TRUE(pipe.Write(data.data(), data.size()).ok());
  pipe.CloseWrite();
  char buf[64];
  auto n = pipe.Read(buf, sizeof buf);
  EXPECT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), Code::kDigestMismatch);
}

TEST(BodyPipe, RightDigestAndShortBody) {
  BodyPipe ok_pipe(1 << 16);
  std::string data = "hello world";
  ok_pipe.ExpectDigest("sha256:" + Sha256Hex(data), static_cast<int64_t>(data.size()));
  ASSERT_TRUE(ok_pipe.Write(data.data(), data.size()).ok());
  ok_pipe.CloseWrite();
  char buf[64];
  EXPECT_EQ(*ok_pipe.Read(buf, sizeof buf), data.size());
  EXPECT_EQ(*ok_pipe.Read(buf, sizeof buf), 0u);

  BodyPipe short_pipe(1 << 16);
  short_pipe.ExpectSize(100);
  ASSERT_TRUE(short_pipe.Write(data.data(), data.size()).ok());
  short_pipe.CloseWrite();
  auto n = short_pipe.Read(buf, sizeof buf);
  EXPECT_EQ(n.status().code(), Code::kDigestMismatch);
}

TEST(BodyPipe, AbortWakesABlockedWriterAndReader) {
  BodyPipe full(4);
  ASSERT_TRUE(full.Write("abcd", 4).ok());
  std::thread writer([&] { EXPECT_EQ(full.Write("e", 1).code(), Code::kCancelled); });
  BodyPipe empty(4);
  std::thread reader([&] {
    char c;
    EXPECT_EQ(empty.Read(&c, 1).status().code(), Code::kCancelled);
  });
  full.Abort(Status(Code::kCancelled, "stop"));
  empty.Abort(Status(Code::kCancelled, "stop"));
  writer.join();
  reader.join();
}

}  // namespace
}  // namespace swr::http
