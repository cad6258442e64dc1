// The C ABI's registry, stream and copy functions against real registries
// and the emulator, used as a C caller (the Go shim) would.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "auth/credentials.h"
#include "common/crypto.h"
#include "common/json.h"
#include "common/url.h"
#include "support/emulator.h"
#include "swr/swr.h"

namespace swr {
namespace {

using testing::Emulator;
using testing::Imagegen;
using testing::RegistryProcess;

struct Err {
  swr_error* e = nullptr;
  ~Err() { swr_error_free(e); }
  swr_error** out() {
    swr_error_free(e);
    e = nullptr;
    return &e;
  }
  std::string msg() const { return e ? e->message : ""; }
};

struct Reg {
  swr_registry* r = nullptr;
  ~Reg() { swr_registry_free(r); }
};

swr_registry* NewPlain(const std::string& url, size_t buffer = 0) {
  swr_registry_options o;
  swr_registry_options_init(&o, SWR_REGISTRY_OPTIONS_VERSION);
  o.url = url.c_str();
  o.connection.buffer_bytes = buffer;
  swr_registry* r = nullptr;
  EXPECT_EQ(swr_registry_new(&r, &o, nullptr), SWR_OK);
  return r;
}

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string DigestOf(const std::string& data) {
  return "sha256:" + Sha256Hex(data);
}

std::string PushFixture(const std::string& url, const std::string& repo, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"push", "-registry", url, "-repo", repo, "-tag", "v1"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string out, err;
  EXPECT_EQ(Imagegen(args, &out, &err), 0) << err;
  auto j = Json::Parse(out);
  return j.ok() ? j->GetString("digest") : "";
}

class CApiRegistry : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(a_.ok() && b_.ok());
    src_.r = NewPlain(a_.url());
    dst_.r = NewPlain(b_.url(), 64 << 10);
  }
  RegistryProcess a_, b_;
  Reg src_, dst_;
};

TEST_F(CApiRegistry, ManifestsAndTags) {
  std::string digest = PushFixture(a_.url(), "c/app");
  Err err;
  swr_manifest* m = nullptr;
  ASSERT_EQ(swr_manifest_head(&m, src_.r, "c/app", "v1", nullptr, err.out()), SWR_OK) << err.msg();
  EXPECT_STREQ(m->digest, digest.c_str());
  EXPECT_EQ(m->data, nullptr);
  swr_manifest_free(m);
  ASSERT_EQ(swr_manifest_get(&m, src_.r, "c/app", "v1", nullptr, nullptr, err.out()), SWR_OK);
  EXPECT_STREQ(m->media_type, "application/vnd.docker.distribution.manifest.v2+json");
  char* pushed = nullptr;
  ASSERT_EQ(swr_manifest_put(&pushed, src_.r, "c/app", "v2", m->media_type, m->data, m->size, nullptr, err.out()),
            SWR_OK)
      << err.msg();
  EXPECT_STREQ(pushed, digest.c_str());
  swr_string_free(pushed);
  swr_manifest_free(m);
  swr_string_list* tags = nullptr;
  ASSERT_EQ(swr_tag_list(&tags, src_.r, "c/app", nullptr, err.out()), SWR_OK);
  ASSERT_EQ(tags->count, 2u);
  EXPECT_STREQ(tags->items[1], "v2");
  swr_string_list_free(tags);
  ASSERT_EQ(swr_manifest_delete(src_.r, "c/app", "v2", nullptr, err.out()), SWR_OK) << err.msg();
  EXPECT_EQ(swr_manifest_head(&m, src_.r, "c/app", "v1", nullptr, err.out()), SWR_ENOTFOUND);
  EXPECT_EQ(swr_manifest_head(&m, src_.r, "Bad Repo", "v1", nullptr, err.out()), SWR_EINVALID);
}

TEST_F(CApiRegistry, BlobWriterUploadsAndReaderReadsBack) {
  const std::string data = RandomBytes(3 * 1024 * 1024 + 17, 7);  // larger than the 64 KiB buffer
  const std::string digest = DigestOf(data);
  Err err;
  swr_blob_writer* w = nullptr;
  ASSERT_EQ(
      swr_blob_writer_open(&w, dst_.r, "c/blob", digest.c_str(), static_cast<int64_t>(data.size()), nullptr, err.out()),
      SWR_OK);
  for (size_t off = 0; off < data.size(); off += 100000) {
    size_t n = std::min<size_t>(100000, data.size() - off);
    ASSERT_EQ(swr_blob_writer_write(w, data.data() + off, n, err.out()), SWR_OK) << err.msg();
  }
  ASSERT_EQ(swr_blob_writer_commit(w, err.out()), SWR_OK) << err.msg();
  swr_blob_writer_free(w);

  int exists = 0;
  int64_t size = 0;
  ASSERT_EQ(swr_blob_stat(&exists, &size, dst_.r, "c/blob", digest.c_str(), nullptr, err.out()), SWR_OK);
  EXPECT_EQ(exists, 1);
  EXPECT_EQ(size, static_cast<int64_t>(data.size()));
  char* source = nullptr;
  ASSERT_EQ(swr_mount_source_find(&source, dst_.r, digest.c_str(), "other/repo", err.out()), SWR_OK);
  EXPECT_STREQ(source, "c/blob");
  swr_string_free(source);

  swr_blob_reader* r = nullptr;
  ASSERT_EQ(swr_blob_reader_open(&r, dst_.r, "c/blob", digest.c_str(), 0, -1, nullptr, err.out()), SWR_OK) << err.msg();
  EXPECT_EQ(swr_blob_reader_size(r), static_cast<int64_t>(data.size()));
  std::string back;
  std::vector<char> buf(50000);
  for (int i = 0; i < 10000; ++i) {
    size_t n = 0;
    ASSERT_EQ(swr_blob_reader_read(&n, r, buf.data(), buf.size(), err.out()), SWR_OK) << err.msg();
    if (n == 0) break;
    back.append(buf.data(), n);
  }
  swr_blob_reader_free(r);
  EXPECT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data);

  ASSERT_EQ(swr_blob_reader_open(&r, dst_.r, "c/blob", digest.c_str(), 1000, 10, nullptr, err.out()), SWR_OK);
  size_t n = 0;
  std::string part;
  do {
    ASSERT_EQ(swr_blob_reader_read(&n, r, buf.data(), buf.size(), err.out()), SWR_OK);
    part.append(buf.data(), n);
  } while (n > 0);
  swr_blob_reader_free(r);
  EXPECT_EQ(part, data.substr(1000, 10));
}

TEST_F(CApiRegistry, WriterFreedWithoutCommitLeavesNothing) {
  const std::string data = RandomBytes(500000, 3);
  const std::string digest = DigestOf(data);
  Err err;
  swr_blob_writer* w = nullptr;
  ASSERT_EQ(swr_blob_writer_open(&w, dst_.r, "c/abort", digest.c_str(), static_cast<int64_t>(data.size()), nullptr,
                                 err.out()),
            SWR_OK);
  ASSERT_EQ(swr_blob_writer_write(w, data.data(), 200000, err.out()), SWR_OK);
  swr_blob_writer_free(w);
  int exists = 1;
  ASSERT_EQ(swr_blob_stat(&exists, nullptr, dst_.r, "c/abort", digest.c_str(), nullptr, err.out()), SWR_OK);
  EXPECT_EQ(exists, 0);
}

TEST_F(CApiRegistry, WrongContentIsRefusedAtCommit) {
  const std::string data = RandomBytes(100000, 4);
  const std::string wrong_digest = DigestOf(data + "x");
  Err err;
  swr_blob_writer* w = nullptr;
  ASSERT_EQ(swr_blob_writer_open(&w, dst_.r, "c/bad", wrong_digest.c_str(), static_cast<int64_t>(data.size()), nullptr,
                                 err.out()),
            SWR_OK);
  ASSERT_EQ(swr_blob_writer_write(w, data.data(), data.size(), err.out()), SWR_OK);
  EXPECT_NE(swr_blob_writer_commit(w, err.out()), SWR_OK);
  EXPECT_NE(ToLower(err.msg()).find("digest"), std::string::npos) << err.msg();
  swr_blob_writer_free(w);
  int exists = 1;
  ASSERT_EQ(swr_blob_stat(&exists, nullptr, dst_.r, "c/bad", wrong_digest.c_str(), nullptr, err.out()), SWR_OK);
  EXPECT_EQ(exists, 0);
}

TEST_F(CApiRegistry, ChunkedUploadThroughChunkWriters) {
  const std::string data = RandomBytes(700000, 5);
  const std::string digest = DigestOf(data);
  Err err;
  swr_upload* up = nullptr;
  ASSERT_EQ(swr_upload_start(&up, dst_.r, "c/chunks", nullptr, err.out()), SWR_OK) << err.msg();
  while (up->offset < static_cast<int64_t>(data.size())) {
    int64_t len = std::min<int64_t>(250000, static_cast<int64_t>(data.size()) - up->offset);
    swr_chunk_writer* w = nullptr;
    ASSERT_EQ(swr_chunk_writer_open(&w, dst_.r, "c/chunks", up->location, up->offset, len, nullptr, err.out()), SWR_OK);
    ASSERT_EQ(swr_chunk_writer_write(w, data.data() + up->offset, static_cast<size_t>(len), err.out()), SWR_OK);
    swr_upload* next = nullptr;
    ASSERT_EQ(swr_chunk_writer_commit(&next, w, err.out()), SWR_OK) << err.msg();
    swr_chunk_writer_free(w);
    EXPECT_EQ(next->offset, up->offset + len);
    swr_upload_free(up);
    up = next;
  }
  swr_upload* status = nullptr;
  ASSERT_EQ(swr_upload_status(&status, dst_.r, "c/chunks", up->location, nullptr, err.out()), SWR_OK) << err.msg();
  EXPECT_EQ(status->offset, static_cast<int64_t>(data.size()));
  swr_upload_free(status);
  ASSERT_EQ(swr_upload_finish(dst_.r, "c/chunks", up->location, digest.c_str(), nullptr, err.out()), SWR_OK)
      << err.msg();
  swr_upload_free(up);
  int exists = 0;
  ASSERT_EQ(swr_blob_stat(&exists, nullptr, dst_.r, "c/chunks", digest.c_str(), nullptr, err.out()), SWR_OK);
  EXPECT_EQ(exists, 1);
  int mounted = 0;
  ASSERT_EQ(swr_blob_mount(&mounted, dst_.r, "c/mounted", digest.c_str(), "c/chunks", nullptr, err.out()), SWR_OK);
  EXPECT_EQ(mounted, 1);
  ASSERT_EQ(swr_blob_stat(&exists, nullptr, dst_.r, "c/mounted", digest.c_str(), nullptr, err.out()), SWR_OK);
  EXPECT_EQ(exists, 1);
}

TEST_F(CApiRegistry, CopyReportsProgressAndCanBeStoppedByTheCallback) {
  std::string digest = PushFixture(a_.url(), "c/copy", {"-layers", "3", "-size", "400000"});
  struct Seen {
    int calls = 0;
    int64_t last_done = -1, total = 0;
  } seen;
  swr_copy_options o;
  swr_copy_options_init(&o, SWR_COPY_OPTIONS_VERSION);
  o.progress_cb = [](const swr_copy_progress* p, void* payload) {
    auto* s = static_cast<Seen*>(payload);
    ++s->calls;
    s->last_done = p->bytes_done;
    s->total = p->bytes_total;
    return 0;
  };
  o.progress_payload = &seen;
  Err err;
  swr_copy_result* r = nullptr;
  ASSERT_EQ(swr_image_copy(&r, src_.r, "c/copy", "v1", dst_.r, "c/copy", nullptr, &o, nullptr, err.out()), SWR_OK)
      << err.msg();
  EXPECT_STREQ(r->digest, digest.c_str());
  EXPECT_EQ(r->blobs_copied, 4);
  EXPECT_EQ(r->already_present, 0);
  swr_copy_result_free(r);
  EXPECT_GT(seen.calls, 1);
  EXPECT_EQ(seen.last_done, seen.total);
  EXPECT_GE(seen.total, 1200000);

  PushFixture(a_.url(), "c/stop", {"-layers", "2", "-size", "2000000", "-seed", "9"});
  o.progress_cb = [](const swr_copy_progress* p, void*) { return p->bytes_done > 0 ? 1 : 0; };
  EXPECT_EQ(swr_image_copy(&r, src_.r, "c/stop", "v1", dst_.r, "c/stop", "v1", &o, nullptr, err.out()), SWR_EUSER)
      << err.msg();
  EXPECT_EQ(r, nullptr);
  swr_manifest* m = nullptr;
  EXPECT_EQ(swr_manifest_head(&m, dst_.r, "c/stop", "v1", nullptr, err.out()), SWR_ENOTFOUND);
}

TEST_F(CApiRegistry, CancelFromAnotherThreadStopsAStreamingRead) {
  PushFixture(a_.url(), "c/cancel", {"-layers", "1", "-size", "8000000"});
  Err err;
  swr_manifest* m = nullptr;
  ASSERT_EQ(swr_manifest_get(&m, src_.r, "c/cancel", "v1", nullptr, nullptr, err.out()), SWR_OK);
  auto content = Json::Parse(std::string(static_cast<char*>(m->data), m->size));
  swr_manifest_free(m);
  ASSERT_TRUE(content.ok());
  std::string layer = content->Find("layers")->At(0).GetString("digest");
  Reg slow;
  slow.r = NewPlain(a_.url(), 16 << 10);
  swr_blob_reader* r = nullptr;
  ASSERT_EQ(swr_blob_reader_open(&r, slow.r, "c/cancel", layer.c_str(), 0, -1, nullptr, err.out()), SWR_OK);
  char buf[1024];
  size_t n = 0;
  ASSERT_EQ(swr_blob_reader_read(&n, r, buf, sizeof buf, err.out()), SWR_OK);
  std::thread canceller([&] { swr_registry_cancel_all(slow.r); });
  canceller.join();
  int rc = SWR_OK;
  for (int i = 0; i < 100000 && rc == SWR_OK; ++i) {
    rc = swr_blob_reader_read(&n, r, buf, sizeof buf, err.out());
    if (rc == SWR_OK && n == 0) break;
  }
  EXPECT_EQ(rc, SWR_ECANCELLED) << err.msg();
  swr_blob_reader_free(r);
  EXPECT_EQ(swr_registry_ping(slow.r, nullptr, err.out()), SWR_ECANCELLED);
}

TEST(CApiSwrRegistry, ClientRegistryCopiesIntoSwrAndReadsDetectCorruption) {
  RegistryProcess src, backend;
  ASSERT_TRUE(src.ok() && backend.ok());
  Emulator emu(Emulator::WithBackend(backend.url()));
  ASSERT_TRUE(emu.ok());
  std::string access_id = std::string(testing::kTestProject) + "@" + testing::kTestAK;
  swr_client_options o;
  swr_client_options_init(&o, SWR_CLIENT_OPTIONS_VERSION);
  o.registry_url = emu.url().c_str();
  o.management_url = emu.api_url().c_str();
  o.access_id = access_id.c_str();
  o.access_secret = testing::kTestSK;
  swr_client* client = nullptr;
  Err err;
  ASSERT_EQ(swr_client_new(&client, &o, err.out()), SWR_OK);
  ASSERT_EQ(swr_org_ensure(client, "org", nullptr, err.out()), SWR_OK);
  swr_registry* swr_reg = swr_client_registry(client);
  ASSERT_NE(swr_reg, nullptr);
  ASSERT_EQ(swr_registry_ping(swr_reg, nullptr, err.out()), SWR_OK) << err.msg();

  PushFixture(src.url(), "s/app", {"-size", "300000"});
  Reg plain;
  plain.r = NewPlain(src.url());
  swr_copy_result* r = nullptr;
  ASSERT_EQ(swr_image_copy(&r, plain.r, "s/app", "v1", swr_reg, "org/app", "v1", nullptr, nullptr, err.out()), SWR_OK)
      << err.msg();
  std::string layer_digest;
  {
    swr_manifest* m = nullptr;
    ASSERT_EQ(swr_manifest_get(&m, swr_reg, "org/app", "v1", nullptr, nullptr, err.out()), SWR_OK) << err.msg();
    EXPECT_STREQ(m->digest, r->digest);
    auto content = Json::Parse(std::string(static_cast<char*>(m->data), m->size));
    layer_digest = content->Find("layers")->At(0).GetString("digest");
    swr_manifest_free(m);
  }
  swr_copy_result_free(r);

  // Corrupt the next download of that layer: the read that would end fails.
  ASSERT_EQ(
      emu.Control(
             "POST", "/_emulator/registry-fault",
             R"({"kind":"corrupt_download","path_prefix":"/v2/org/app/blobs/","method":"GET","after_bytes":70000,"count":1})")
          .status,
      204);
  swr_blob_reader* reader = nullptr;
  ASSERT_EQ(swr_blob_reader_open(&reader, swr_reg, "org/app", layer_digest.c_str(), 0, -1, nullptr, err.out()), SWR_OK);
  char buf[65536];
  size_t n = 0;
  int rc = SWR_OK;
  for (int i = 0; i < 1000; ++i) {
    rc = swr_blob_reader_read(&n, reader, buf, sizeof buf, err.out());
    if (rc != SWR_OK || n == 0) break;
  }
  EXPECT_EQ(rc, SWR_EDIGEST) << "a corrupted blob must not read to a clean end";
  swr_blob_reader_free(reader);
  swr_client_free(client);
}

}  // namespace
}  // namespace swr
