// The registry client and the copy engine against real docker-registry
// processes and the SWR emulator in front of one, all on 127.0.0.1.
#include <gtest/gtest.h>

#include <thread>

#include "auth/credentials.h"
#include "common/json.h"
#include "http/retry.h"
#include "registry/registry_client.h"
#include "replication/copy_engine.h"
#include "support/emulator.h"
#include "swr/client.h"

namespace swr {
namespace {

using registry::RegistryClient;
using registry::RegistryOptions;
using replication::CopyEngine;
using replication::CopyOptions;
using testing::Emulator;
using testing::Imagegen;
using testing::RegistryProcess;

// The same stack as production: libcurl with retries.
std::shared_ptr<http::Transport> Transport() {
  http::ConnectionOptions c;
  c.timeout = std::chrono::seconds(30);
  return http::MakeTransport(c, Logger());
}

void AddRegistryFault(Emulator& emu, const std::string& json) {
  ASSERT_EQ(emu.Control("POST", "/_emulator/registry-fault", json).status, 204);
}

int FaultsFired(Emulator& emu) {
  auto json = Json::Parse(emu.Control("GET", "/_emulator/registry-fault").body);
  return json.ok() ? static_cast<int>(json->GetInt("fired", -1)) : -1;
}

std::unique_ptr<RegistryClient> Plain(const std::string& url) {
  RegistryOptions o;
  o.base = *ParseUrl(url);
  o.pipe_capacity = 256 << 10;
  return std::make_unique<RegistryClient>(Transport(), o);
}

std::unique_ptr<RegistryClient> Swr(const Emulator& emu) {
  RegistryOptions o;
  o.base = *ParseUrl(emu.url());
  o.credentials = {std::string(testing::kTestProject) + "@" + testing::kTestAK,
                   LoginKey(testing::kTestAK, testing::kTestSK)};
  o.pipe_capacity = 256 << 10;
  return std::make_unique<RegistryClient>(Transport(), o);
}

// The SWR client (management API) for the emulator's test user.
std::unique_ptr<Client> SwrClient(const Emulator& emu) {
  ClientConfig cfg;
  cfg.registry_url = emu.url();
  cfg.management_url = emu.api_url();
  cfg.access_id = std::string(testing::kTestProject) + "@" + testing::kTestAK;
  cfg.access_secret = testing::kTestSK;
  auto client = Client::Create(cfg);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

// Pushes a fixture image; returns its top-level digest.
std::string Push(const std::string& registry_url, const std::string& repo, const std::string& tag,
                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"push", "-registry", registry_url, "-repo", repo, "-tag", tag};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string out, err;
  int rc = Imagegen(args, &out, &err);
  EXPECT_EQ(rc, 0) << err;
  auto json = Json::Parse(out);
  return json.ok() ? json->GetString("digest") : "";
}

// Compares manifests and every blob, byte for byte (by digest), at both ends.
void ExpectIdentical(const std::string& src, const std::string& dst) {
  std::string out, err;
  int rc = Imagegen({"verify", "-src", src, "-dst", dst}, &out, &err);
  EXPECT_EQ(rc, 0) << err;
  EXPECT_NE(out.find("identical"), std::string::npos) << out << err;
}

class PlainToPlain : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(a_.ok() && b_.ok()) << "docker-registry did not start"; }
  RegistryProcess a_, b_;
};

TEST_F(PlainToPlain, CopiesASingleArchImageByteForByte) {
  std::string digest = Push(a_.url(), "src/app", "v1", {"-layers", "3", "-size", "300000"});
  auto src = Plain(a_.url()), dst = Plain(b_.url());
  CopyEngine engine;
  std::vector<replication::CopyProgress> reports;
  CopyOptions opts;
  opts.on_progress = [&](const replication::CopyProgress& p) {
    reports.push_back(p);
    return true;
  };
  auto r = engine.Copy(*src, "src/app", "v1", *dst, "dst/app", "v1", opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->digest, digest);
  EXPECT_FALSE(r->already_present);
  EXPECT_EQ(r->blobs_copied, 4);  // three layers and the config
  EXPECT_EQ(r->manifests_pushed, 1);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().bytes_done, reports.back().bytes_total);
  EXPECT_EQ(reports.back().blobs_done, 4);
  ExpectIdentical(a_.url() + "/src/app:v1", b_.url() + "/dst/app:v1");

  // Again: the destination has the digest under the tag; nothing moves.
  auto again = engine.Copy(*src, "src/app", "v1", *dst, "dst/app", "v1", opts);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_present);
  EXPECT_EQ(again->blobs_copied + again->blobs_mounted + again->bytes_copied, 0);

  // Under a new tag: every blob is already there, none is transferred.
  auto retag = engine.Copy(*src, "src/app", "v1", *dst, "dst/app", "v2", opts);
  ASSERT_TRUE(retag.ok());
  EXPECT_EQ(retag->blobs_existing, 4);
  EXPECT_EQ(retag->blobs_copied, 0);
  EXPECT_EQ(retag->bytes_copied, 0);
  ExpectIdentical(a_.url() + "/src/app:v1", b_.url() + "/dst/app:v2");
}

TEST_F(PlainToPlain, CopiesMultiArchListsAndIndexes) {
  for (const char* format : {"docker", "oci"}) {
    SCOPED_TRACE(format);
    std::string repo = std::string("multi/") + format;
    std::string digest =
        Push(a_.url(), repo, "v1",
             {"-platforms", "linux/amd64,linux/arm64,linux/s390x", "-format", format, "-size", "50000"});
    auto src = Plain(a_.url()), dst = Plain(b_.url());
    CopyEngine engine;
    auto r = engine.Copy(*src, repo, "v1", *dst, repo, "", {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->digest, digest);
    EXPECT_EQ(r->manifests_pushed, 4);
    EXPECT_EQ(r->blobs_copied, 9);
    ExpectIdentical(a_.url() + "/" + repo + ":v1", b_.url() + "/" + repo + ":v1");
  }
}

TEST_F(PlainToPlain, SharedLayersAreMountedNotUploaded) {
  Push(a_.url(), "src/one", "v1", {"-seed", "11", "-first-layer-seed", "99", "-size", "200000"});
  Push(a_.url(), "src/two", "v1", {"-seed", "22", "-first-layer-seed", "99", "-size", "200000"});
  auto src = Plain(a_.url()), dst = Plain(b_.url());
  CopyEngine engine;
  ASSERT_TRUE(engine.Copy(*src, "src/one", "v1", *dst, "dst/one", "v1", {}).ok());
  std::vector<replication::BlobEvent> events;
  CopyOptions opts;
  opts.on_blob = [&](const replication::BlobEvent& e) { events.push_back(e); };
  auto r = engine.Copy(*src, "src/two", "v1", *dst, "dst/two", "v1", opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->blobs_mounted, 1);
  EXPECT_EQ(r->blobs_copied, 2);
  int mounted = 0;
  for (const auto& e : events) mounted += e.outcome == replication::BlobOutcome::kMounted;
  EXPECT_EQ(mounted, 1);
  ExpectIdentical(a_.url() + "/src/two:v1", b_.url() + "/dst/two:v1");
}

TEST_F(PlainToPlain, ManifestAndTagOperations) {
  std::string digest = Push(a_.url(), "ops/app", "v1");
  RegistryOptions small_pages;
  small_pages.base = *ParseUrl(a_.url());
  small_pages.list_page_size = 1;  // every list call follows Link headers
  auto reg = std::make_unique<RegistryClient>(Transport(), small_pages);
  auto head = reg->HeadManifest("ops/app", "v1");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->digest, digest);
  auto m = reg->GetManifest("ops/app", "v1");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->digest, digest);
  EXPECT_EQ(m->media_type, registry::kDockerManifest);
  ASSERT_TRUE(reg->PutManifest("ops/app", "v2", m->media_type, m->body).ok());
  auto tags = reg->ListTags("ops/app");
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, (std::vector<std::string>{"v1", "v2"}));
  ASSERT_TRUE(reg->DeleteManifest("ops/app", "v2").ok());
  EXPECT_EQ(reg->HeadManifest("ops/app", "v1").status().code(), Code::kNotFound);
  EXPECT_EQ(reg->HeadManifest("ops/app", "nope").status().code(), Code::kNotFound);
  Push(a_.url(), "ops/other", "v1");
  auto catalog = reg->Catalog();  // one repository per page
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ(*catalog, (std::vector<std::string>{"ops/app", "ops/other"}));
}

// Copies into SWR run with SWR's registry rate limit (20 requests per second
// and account, then 503) and twice: with cross-repository mounts, and with
// every mount declined (no public source says SWR mounts), so that nothing
// depends on them.
class PlainToSwr : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(src_.ok() && backend_.ok());
    std::vector<std::string> extra = {"-rate-limit", "20"};
    if (GetParam()) extra.push_back("-no-cross-repo-mount");
    emu_ = std::make_unique<Emulator>(Emulator::WithBackend(backend_.url(), extra));
    ASSERT_TRUE(emu_->ok());
    auto client = SwrClient(*emu_);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->management().EnsureOrganization("org").ok());
  }
  RegistryProcess src_, backend_;
  std::unique_ptr<Emulator> emu_;
};

TEST_P(PlainToSwr, CopiesThroughTokenAuthAndSwrSeesTheTags) {
  std::string single = Push(src_.url(), "src/app", "v1", {"-layers", "2"});
  std::string multi = Push(src_.url(), "src/multi", "v1", {"-platforms", "linux/amd64,linux/arm64", "-size", "40000"});
  auto src = Plain(src_.url());
  auto dst = Swr(*emu_);
  CopyEngine engine;
  auto r1 = engine.Copy(*src, "src/app", "v1", *dst, "org/app", "v1", {});
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1->digest, single);
  auto r2 = engine.Copy(*src, "src/multi", "v1", *dst, "org/team/multi", "v1", {});
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(r2->digest, multi);
  ExpectIdentical(src_.url() + "/src/app:v1", backend_.url() + "/org/app:v1");
  ExpectIdentical(src_.url() + "/src/multi:v1", backend_.url() + "/org/team/multi:v1");

  // The management API lists what the registry side received.
  auto client = SwrClient(*emu_);
  ASSERT_NE(client, nullptr);
  auto tags = client->management().ListTags("org", "team/multi");
  ASSERT_TRUE(tags.ok()) << tags.status().ToString();
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_EQ((*tags)[0].tag, "v1");
  EXPECT_EQ((*tags)[0].digest, multi);
  EXPECT_EQ((*tags)[0].tag_type, 1);
}

TEST_P(PlainToSwr, PushIntoAMissingOrganizationIsRefused) {
  Push(src_.url(), "src/app", "v1");
  auto src = Plain(src_.url());
  auto dst = Swr(*emu_);
  auto r = CopyEngine().Copy(*src, "src/app", "v1", *dst, "nosuchorg/app", "v1", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Image organization does not exist"), std::string::npos) << r.status().ToString();
}

TEST_P(PlainToSwr, OciIndexIsRejectedWithSwrsMessage) {
  Push(src_.url(), "src/index", "v1", {"-platforms", "linux/amd64,linux/arm64", "-format", "oci", "-size", "20000"});
  auto src = Plain(src_.url());
  auto dst = Swr(*emu_);
  auto r = CopyEngine().Copy(*src, "src/index", "v1", *dst, "org/index", "v1", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Invalid image, fail to parse 'manifest.json'"), std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(r.status().http_status(), 400);
  EXPECT_EQ(dst->HeadManifest("org/index", "v1").status().code(), Code::kNotFound);
}

TEST_P(PlainToSwr, InterruptedChunkedUploadResumes) {
  Push(src_.url(), "src/big", "v1", {"-layers", "1", "-size", "1000000"});
  // The first PATCH that carries data is cut after 100 kB; the registry never sees it.
  AddRegistryFault(
      *emu_,
      R"({"kind":"reset_upload","path_prefix":"/v2/org/big/blobs/uploads/","method":"PATCH","after_bytes":100000,"count":1})");
  auto src = Plain(src_.url());
  auto dst = Swr(*emu_);
  CopyOptions opts;
  opts.chunk_size = 300000;
  auto r = CopyEngine().Copy(*src, "src/big", "v1", *dst, "org/big", "v1", opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectIdentical(src_.url() + "/src/big:v1", backend_.url() + "/org/big:v1");
  EXPECT_EQ(FaultsFired(*emu_), 1);
  // The client asked where the upload stood, then sent the rest: the layer in
  // 4 chunks, the config in 1, and the chunk that was cut.
  EXPECT_GE(emu_->RequestCount("GET /v2/org/big/blobs/uploads/"), 1);
  EXPECT_EQ(emu_->RequestCount("PATCH /v2/org/big/blobs/uploads/"), 6);
}

TEST_P(PlainToSwr, SharedLayersMountOrUploadButNeverFail) {
  Push(src_.url(), "src/one", "v1", {"-seed", "11", "-first-layer-seed", "99", "-size", "200000"});
  Push(src_.url(), "src/two", "v1", {"-seed", "22", "-first-layer-seed", "99", "-size", "200000"});
  auto src = Plain(src_.url());
  auto dst = Swr(*emu_);
  CopyEngine engine;
  ASSERT_TRUE(engine.Copy(*src, "src/one", "v1", *dst, "org/one", "v1", {}).ok());
  auto r = engine.Copy(*src, "src/two", "v1", *dst, "org/two", "v1", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  if (GetParam()) {
    EXPECT_EQ(r->blobs_mounted, 0);
    EXPECT_EQ(r->blobs_copied, 3) << "the declined mount falls back to an upload";
  } else {
    EXPECT_EQ(r->blobs_mounted, 1);
    EXPECT_EQ(r->blobs_copied, 2);
  }
  ExpectIdentical(src_.url() + "/src/two:v1", backend_.url() + "/org/two:v1");
}

INSTANTIATE_TEST_SUITE_P(Mounts, PlainToSwr, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "Declined" : "Allowed"; });

class SwrToPlain : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.ok() && dst_.ok());
    emu_ = std::make_unique<Emulator>(Emulator::WithBackend(backend_.url()));
    ASSERT_TRUE(emu_->ok());
    ASSERT_EQ(
        emu_->Control("POST", "/_emulator/seed", R"({"repos":[{"namespace":"org","name":"seeded","tags":[]}]})").status,
        204);
    Push(backend_.url(), "org/app", "v1", {"-layers", "2", "-size", "200000"});
  }
  RegistryProcess backend_, dst_;
  std::unique_ptr<Emulator> emu_;
};

TEST_F(SwrToPlain, CorruptedDownloadFailsLoudlyAndPushesNoManifest) {
  AddRegistryFault(
      *emu_,
      R"({"kind":"corrupt_download","path_prefix":"/v2/org/app/blobs/","method":"GET","after_bytes":1000,"count":100})");
  auto src = Swr(*emu_);
  auto dst = Plain(dst_.url());
  auto r = CopyEngine().Copy(*src, "org/app", "v1", *dst, "copy/app", "v1", {});
  ASSERT_FALSE(r.ok());
  std::string msg = ToLower(r.status().ToString());
  EXPECT_NE(msg.find("digest"), std::string::npos) << msg;
  EXPECT_EQ(dst->HeadManifest("copy/app", "v1").status().code(), Code::kNotFound);
  EXPECT_GE(FaultsFired(*emu_), 1);
}

TEST_F(SwrToPlain, CorruptedDownloadIsCaughtByOurOwnCheckWhenAskedTo) {
  AddRegistryFault(
      *emu_,
      R"({"kind":"corrupt_download","path_prefix":"/v2/org/app/blobs/","method":"GET","after_bytes":1000,"count":100})");
  auto src = Swr(*emu_);
  auto dst = Plain(dst_.url());
  CopyOptions opts;
  opts.verify_downloads = true;
  auto r = CopyEngine().Copy(*src, "org/app", "v1", *dst, "copy/app", "v1", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDigestMismatch) << r.status().ToString();
  EXPECT_NE(r.status().message().find("hashes to"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(dst->HeadManifest("copy/app", "v1").status().code(), Code::kNotFound);
}

TEST_F(SwrToPlain, TruncatedDownloadIsRetriedAndSucceeds) {
  AddRegistryFault(
      *emu_,
      R"({"kind":"truncate_download","path_prefix":"/v2/org/app/blobs/","method":"GET","after_bytes":5000,"count":1})");
  auto src = Swr(*emu_);
  auto dst = Plain(dst_.url());
  auto r = CopyEngine().Copy(*src, "org/app", "v1", *dst, "copy/app", "v1", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(FaultsFired(*emu_), 1);
  ExpectIdentical(backend_.url() + "/org/app:v1", dst_.url() + "/copy/app:v1");
}

TEST_F(SwrToPlain, RedirectedDownloadsCarryNoCredentials) {
  AddRegistryFault(*emu_,
                   R"({"kind":"redirect_download","path_prefix":"/v2/org/app/blobs/","method":"GET","count":100})");
  auto src = Swr(*emu_);
  auto dst = Plain(dst_.url());
  auto r = CopyEngine().Copy(*src, "org/app", "v1", *dst, "copy/app", "v1", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectIdentical(backend_.url() + "/org/app:v1", dst_.url() + "/copy/app:v1");
  auto json = Json::Parse(emu_->Control("GET", "/_emulator/registry-fault").body);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->GetInt("redirect_hits"), 3) << "config and two layers went through the redirect";
  EXPECT_EQ(json->GetInt("redirect_with_auth"), 0) << "the token went to another origin";
}

TEST_F(SwrToPlain, RateLimited503sAreRetriedWithBackoff) {
  ASSERT_EQ(emu_->Control("POST", "/_emulator/quirks", R"({"reject_oci_index":true,"rate_limit":8})").status, 200);
  Push(backend_.url(), "org/many", "v1", {"-layers", "8", "-size", "20000", "-seed", "5"});
  auto src = Swr(*emu_);
  auto dst = Plain(dst_.url());
  CopyOptions opts;
  opts.parallel_blobs = 8;
  auto r = CopyEngine().Copy(*src, "org/many", "v1", *dst, "copy/many", "v1", opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->blobs_copied, 9);
  ExpectIdentical(backend_.url() + "/org/many:v1", dst_.url() + "/copy/many:v1");
  auto json = Json::Parse(emu_->Control("GET", "/_emulator/registry-fault").body);
  ASSERT_TRUE(json.ok());
  EXPECT_GT(json->GetInt("rate_limited"), 0) << "the rate limit never bit: the test proves nothing";
}

TEST_F(SwrToPlain, AStalledResponseTimesOutAndTheRetrySucceeds) {
  AddRegistryFault(
      *emu_, R"({"kind":"stall","path_prefix":"/v2/org/app/manifests/","method":"GET","stall_ms":3000,"count":1})");
  RegistryOptions o;
  o.base = *ParseUrl(emu_->url());
  o.credentials = {std::string(testing::kTestProject) + "@" + testing::kTestAK,
                   LoginKey(testing::kTestAK, testing::kTestSK)};
  http::ConnectionOptions c;
  c.timeout = std::chrono::seconds(1);
  auto transport = http::MakeTransport(c, Logger());
  RegistryClient src(transport, o);
  auto m = src.GetManifest("org/app", "v1");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(FaultsFired(*emu_), 1);
  // The challenge (401), the stalled request, and its retry.
  EXPECT_EQ(emu_->RequestCount("GET /v2/org/app/manifests/v1"), 3);
}

TEST(SwrTokens, AnExpiredTokenIsRenewedOnceAndTheCallRetried) {
  RegistryProcess backend;
  ASSERT_TRUE(backend.ok());
  // Tokens live 1 s at the emulator; the client assumes 300 s when expires_in is absent.
  Emulator emu(Emulator::WithBackend(backend.url(), {"-token-ttl", "1s"}));
  ASSERT_TRUE(emu.ok());
  ASSERT_EQ(emu.Control("POST", "/_emulator/seed", R"({"repos":[{"namespace":"org","name":"x","tags":[]}]})").status,
            204);
  Push(backend.url(), "org/app", "v1");
  auto client = Swr(emu);
  ASSERT_TRUE(client->HeadManifest("org/app", "v1").ok());
  int tokens_before = emu.RequestCount("GET /swr/auth/v2/registry/auth/");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto again = client->HeadManifest("org/app", "v1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(emu.RequestCount("GET /swr/auth/v2/registry/auth/"), tokens_before + 1);
  // First call: challenge and success; second: 401 for the expired token, then the retry.
  EXPECT_EQ(emu.RequestCount("HEAD /v2/org/app/manifests/v1"), 4);
}

TEST_F(SwrToPlain, BlobStreamReadsAndVerifies) {
  auto src = Swr(*emu_);
  auto m = src->GetManifest("org/app", "v1");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto content = registry::ParseManifest(m->media_type, m->body);
  ASSERT_TRUE(content.ok());
  const auto& layer = content->blobs.at(1);
  auto stream = src->OpenBlob("org/app", layer.digest);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  EXPECT_EQ(stream->size, layer.size);
  std::vector<char> buf(65536);
  int64_t total = 0;
  while (true) {
    auto n = stream->pipe->Read(buf.data(), buf.size());
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (*n == 0) break;
    total += static_cast<int64_t>(*n);
  }
  EXPECT_EQ(total, layer.size);
  // A range read returns exactly the range.
  auto part = src->OpenBlob("org/app", layer.digest, 1000, 5000);
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(part->size, 5000);
  EXPECT_EQ(src->OpenBlob("org/app", "sha256:" + std::string(64, '0')).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace swr
