// Per-call cancellation through the C ABI: a cancelled call returns
// SWR_ECANCELLED promptly, mid-blob too, the handle stays usable, and cancel
// racing completion is harmless. Timing is only bounded loosely (a hung call
// would fail the test by running into its bound), never asserted to the
// millisecond.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/json.h"
#include "support/emulator.h"
#include "swr/swr.h"

namespace swr {
namespace {

using Clock = std::chrono::steady_clock;
using testing::Emulator;
using testing::HostileRegistry;

constexpr const char* kUser = "eu-de@CANCELAK";
constexpr const char* kPassword = "cancel-test-password-0123456789";

struct Token {
  swr_cancel_token* t = nullptr;
  Token() { EXPECT_EQ(swr_cancel_token_new(&t, nullptr), SWR_OK); }
  ~Token() { swr_cancel_token_free(t); }
};

swr_registry* NewRegistry(const std::string& url, uint32_t timeout_ms = 30000) {
  swr_registry_options o;
  swr_registry_options_init(&o, SWR_REGISTRY_OPTIONS_VERSION);
  o.url = url.c_str();
  o.username = kUser;
  o.password = kPassword;
  o.connection.timeout_ms = timeout_ms;
  swr_registry* reg = nullptr;
  EXPECT_EQ(swr_registry_new(&reg, &o, nullptr), SWR_OK);
  return reg;
}

std::string LayerDigest(swr_registry* reg) {
  swr_manifest* m = nullptr;
  EXPECT_EQ(swr_manifest_get(&m, reg, "lib/app", "1", nullptr, nullptr, nullptr), SWR_OK);
  if (!m) return "";
  auto j = Json::Parse(std::string(static_cast<const char*>(m->data), m->size));
  swr_manifest_free(m);
  return j->Find("layers")->At(0).GetString("digest");
}

// Cancels `token` after `delay` on another thread; joins on destruction.
struct CancelLater {
  std::thread t;
  CancelLater(swr_cancel_token* token, std::chrono::milliseconds delay)
      : t([token, delay] {
          std::this_thread::sleep_for(delay);
          swr_cancel_token_cancel(token);
        }) {}
  ~CancelLater() { t.join(); }
};

class CApiCancel : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(hostile_.ok()); }
  HostileRegistry hostile_{kUser, kPassword};
};

TEST_F(CApiCancel, AReadBlockedMidBlobEndsAtOnceAndTheHandleStaysUsable) {
  swr_registry* reg = NewRegistry(hostile_.main_url());
  std::string layer = LayerDigest(reg);
  hostile_.SetCase("trickle");  // 17 KB/s: the 100 KiB blob takes 6 s
  Token token;
  swr_blob_reader* r = nullptr;
  ASSERT_EQ(swr_blob_reader_open(&r, reg, "lib/app", layer.c_str(), 0, -1, token.t, nullptr), SWR_OK);
  char buf[4096];
  size_t n = 0;
  ASSERT_EQ(swr_blob_reader_read(&n, r, buf, sizeof buf, nullptr), SWR_OK);
  auto started = Clock::now();
  int rc = SWR_OK;
  {
    CancelLater later(token.t, std::chrono::milliseconds(200));
    for (int i = 0; i < 1000 && rc == SWR_OK; ++i) {
      rc = swr_blob_reader_read(&n, r, buf, sizeof buf, nullptr);
      if (rc == SWR_OK && n == 0) break;
    }
  }
  EXPECT_EQ(rc, SWR_ECANCELLED);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(3)) << "the trickle would have taken 6 s";
  swr_blob_reader_free(r);
  hostile_.SetCase("normal");
  swr_manifest* m = nullptr;
  EXPECT_EQ(swr_manifest_head(&m, reg, "lib/app", "1", nullptr, nullptr), SWR_OK) << "the handle still works";
  swr_manifest_free(m);
  swr_registry_free(reg);
}

TEST_F(CApiCancel, AWriteBlockedOnASlowUploadEnds) {
  swr_registry* reg = NewRegistry(hostile_.main_url());
  hostile_.SetCase("slow-headers");  // the upload session answers after 4 s
  Token token;
  std::string digest = "sha256:" + std::string(64, 'e');
  swr_blob_writer* w = nullptr;
  ASSERT_EQ(swr_blob_writer_open(&w, reg, "lib/up", digest.c_str(), 64LL << 20, token.t, nullptr), SWR_OK);
  std::string chunk(1 << 20, 'w');
  auto started = Clock::now();
  int rc = SWR_OK;
  {
    CancelLater later(token.t, std::chrono::milliseconds(200));
    for (int i = 0; i < 64 && rc == SWR_OK; ++i) rc = swr_blob_writer_write(w, chunk.data(), chunk.size(), nullptr);
    if (rc == SWR_OK) rc = swr_blob_writer_commit(w, nullptr);
  }
  EXPECT_EQ(rc, SWR_ECANCELLED);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
  swr_blob_writer_free(w);
  swr_registry_free(reg);
}

TEST_F(CApiCancel, CancelRacingCompletionIsHarmless) {
  swr_registry* reg = NewRegistry(hostile_.main_url());
  hostile_.SetCase("normal");
  int ok = 0, cancelled = 0;
  // 200 calls, each cancelled after 0-4 ms: some finish first, some do not.
  for (int i = 0; i < 200; ++i) {
    swr_cancel_token* token = nullptr;
    ASSERT_EQ(swr_cancel_token_new(&token, nullptr), SWR_OK);
    std::thread canceller([token, i] {
      std::this_thread::sleep_for(std::chrono::microseconds((i % 5) * 1000));
      swr_cancel_token_cancel(token);
    });
    swr_manifest* m = nullptr;
    int rc = swr_manifest_head(&m, reg, "lib/app", "1", token, nullptr);
    swr_manifest_free(m);
    canceller.join();
    swr_cancel_token_free(token);
    ASSERT_TRUE(rc == SWR_OK || rc == SWR_ECANCELLED) << rc;
    (rc == SWR_OK ? ok : cancelled)++;
  }
  EXPECT_GT(ok + cancelled, 0);
  // Whatever happened, the handle works afterwards.
  swr_manifest* m = nullptr;
  EXPECT_EQ(swr_manifest_head(&m, reg, "lib/app", "1", nullptr, nullptr), SWR_OK);
  swr_manifest_free(m);
  swr_registry_free(reg);
}

TEST(CApiCancelManagement, AManagementCallWaitingToRetryIsCancelled) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  // 503 with Retry-After 30: the client would wait 30 s before its next try.
  ASSERT_EQ(emu.Control("POST", "/_emulator/fault",
                        R"({"path_prefix":"/v2/manage/namespaces","status":503,"count":5,"retry_after":"30"})")
                .status,
            204);
  swr_client_options o;
  swr_client_options_init(&o, SWR_CLIENT_OPTIONS_VERSION);
  std::string id = std::string(testing::kTestProject) + "@" + testing::kTestAK;
  o.registry_url = emu.url().c_str();
  o.management_url = emu.api_url().c_str();
  o.access_id = id.c_str();
  o.access_secret = testing::kTestSK;
  swr_client* client = nullptr;
  ASSERT_EQ(swr_client_new(&client, &o, nullptr), SWR_OK);
  Token token;
  swr_organization_list* list = nullptr;
  auto started = Clock::now();
  int rc;
  {
    CancelLater later(token.t, std::chrono::milliseconds(300));
    rc = swr_org_list(&list, client, token.t, nullptr);
  }
  EXPECT_EQ(rc, SWR_ECANCELLED);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
  swr_organization_list_free(list);
  // An already cancelled token ends a call before it starts.
  EXPECT_EQ(swr_org_create(client, "never", token.t, nullptr), SWR_ECANCELLED);
  EXPECT_EQ(emu.RequestCount("POST /v2/manage/namespaces"), 0);
  swr_client_free(client);
}

TEST_F(CApiCancel, ACopyIsCancelledMidBlob) {
  swr_registry* src = NewRegistry(hostile_.main_url());
  testing::RegistryProcess dst_registry;
  ASSERT_TRUE(dst_registry.ok());
  swr_registry_options o;
  swr_registry_options_init(&o, SWR_REGISTRY_OPTIONS_VERSION);
  o.url = dst_registry.url().c_str();
  swr_registry* dst = nullptr;
  ASSERT_EQ(swr_registry_new(&dst, &o, nullptr), SWR_OK);
  hostile_.SetCase("trickle");
  swr_copy_options opts;
  swr_copy_options_init(&opts, SWR_COPY_OPTIONS_VERSION);
  opts.min_bytes_per_second = -1;
  Token token;
  swr_copy_result* res = nullptr;
  auto started = Clock::now();
  int rc;
  {
    CancelLater later(token.t, std::chrono::milliseconds(500));
    rc = swr_image_copy(&res, src, "lib/app", "1", dst, "copied/app", "1", &opts, token.t, nullptr);
  }
  EXPECT_EQ(rc, SWR_ECANCELLED);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(4));
  swr_copy_result_free(res);
  swr_manifest* m = nullptr;
  EXPECT_EQ(swr_manifest_head(&m, dst, "copied/app", "1", nullptr, nullptr), SWR_ENOTFOUND) << "no manifest pushed";
  swr_manifest_free(m);
  swr_registry_free(dst);
  swr_registry_free(src);
}

}  // namespace
}  // namespace swr
