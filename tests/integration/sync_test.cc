// swrctl sync as a user runs it: image-syncer's files, a real source
// registry, the SWR emulator as destination (counting what reaches it), and
// the exit code, report and output files.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "auth/credentials.h"
#include "common/json.h"
#include "registry/factory.h"
#include "registry/reference.h"
#include "support/emulator.h"
#include "swr/client.h"

namespace swr {
namespace {

using testing::Emulator;
using testing::RegistryProcess;
using testing::RunCommand;

struct Result {
  int code;
  std::string out, err;
};

class SwrctlSync : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(src_.ok() && backend_.ok());
    StartEmulator({});
  }
  void StartEmulator(std::vector<std::string> more) {
    emu_.reset();
    emu_ = std::make_unique<Emulator>(Emulator::WithBackend(backend_.url(), std::move(more)));
    ASSERT_TRUE(emu_->ok());
    dir_ = emu_->dir();
  }
  std::string Swr() const { return emu_->url().substr(7); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  // An image in the source: `layers` layers, the first shared by every image.
  std::string Push(const std::string& repo, const std::string& tag, int seed, const std::string& extra = "") {
    std::vector<std::string> args = {"push",  "-registry", src_.url(),
                                     "-repo", repo,        "-tag",
                                     tag,     "-layers",   "3",
                                     "-size", "300000",    "-first-layer-seed",
                                     "7",     "-seed",     std::to_string(seed)};
    if (!extra.empty()) args.insert(args.end(), {"-platforms", extra});
    std::string out, err;
    EXPECT_EQ(testing::Imagegen(args, &out, &err), 0) << err;
    auto j = Json::Parse(out);
    return j.ok() ? j->GetString("digest") : "";
  }
  // The auth file: the source as an http registry, SWR with project@AK and
  // the SK through an environment reference.
  std::string Auth() {
    return Write("auth.yaml", src_.host() + ":\n  insecure: true\n" + Swr() +
                                  ":\n  username: " + std::string(testing::kTestProject) + "@" + testing::kTestAK +
                                  "\n  password: ${SYNC_TEST_SK}\n  insecure: true\n");
  }
  std::vector<std::string> SyncArgv(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {SWRCTL_BIN, "sync", "--swr-host", Swr(), "--management-url", emu_->api_url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  static void ExpectNoSecret(const std::string& text) {
    EXPECT_EQ(text.find(testing::kTestSK), std::string::npos) << text;
    EXPECT_EQ(text.find(LoginKey(testing::kTestAK, testing::kTestSK)), std::string::npos) << text;
  }
  Result Sync(std::vector<std::string> args) {
    Result r;
    r.code = RunCommand(SyncArgv(args), {"PATH=/usr/bin:/bin", std::string("SYNC_TEST_SK=") + testing::kTestSK}, &r.out,
                        &r.err);
    ExpectNoSecret(r.out);
    ExpectNoSecret(r.err);
    return r;
  }
  // swrctl sync on a terminal (a pseudo-terminal 160 columns wide): stdout
  // and stderr both, as a user sees them. At most 60 s.
  Result SyncOnTerminal(std::vector<std::string> args) {
    Result r{-1, "", ""};
    std::vector<std::string> argv = SyncArgv(args);
    std::string sk = std::string("SYNC_TEST_SK=") + testing::kTestSK;
    struct winsize ws {};
    ws.ws_col = 160;
    ws.ws_row = 40;
    int master = -1;
    pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
    if (pid < 0) {
      ADD_FAILURE() << "forkpty: " << errno;
      return r;
    }
    if (pid == 0) {
      std::vector<char*> cargv;
      for (auto& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), const_cast<char*>("TERM=xterm"), sk.data(), nullptr};
      execve(SWRCTL_BIN, cargv.data(), envp);
      _exit(127);
    }
    // Read until the program's end closes the terminal (EIO).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{master, POLLIN, 0};
      int n = poll(&p, 1, 200);
      if (n < 0 && errno != EINTR) break;
      if (n <= 0) continue;
      ssize_t got = read(master, buf, sizeof buf);
      if (got <= 0) break;
      r.out.append(buf, static_cast<size_t>(got));
    }
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 50 && done == 0; ++i) {  // at most 5 s more
      done = waitpid(pid, &status, WNOHANG);
      if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    close(master);
    if (done == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "swrctl sync on a terminal did not end within 60 s";
      return r;
    }
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    ExpectNoSecret(r.out);
    return r;
  }
  void Verify(const std::string& src_ref, const std::string& dst_ref) {
    std::string out, err;
    EXPECT_EQ(testing::Imagegen({"verify", "-src", src_.url() + "/" + src_ref, "-dst", backend_.url() + "/" + dst_ref},
                                &out, &err),
              0)
        << src_ref << " -> " << dst_ref << ": " << out << err;
  }
  Json Report(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = Json::Parse(ss.str());
    EXPECT_TRUE(j.ok()) << ss.str();
    return j.ok() ? *j : *Json::Parse("{}");
  }
  // Completed uploads (PUT to an upload session) the emulator saw.
  int Uploads() {
    auto j = Json::Parse(emu_->Control("GET", "/_emulator/requests").body);
    int n = 0;
    if (!j.ok()) return -1;
    for (const auto& k : j->Keys()) {
      if (k.rfind("PUT ", 0) == 0 && k.find("/blobs/uploads/") != std::string::npos)
        n += static_cast<int>(j->GetInt(k));
    }
    return n;
  }

  RegistryProcess src_, backend_;
  std::unique_ptr<Emulator> emu_;
  std::string dir_;
};

TEST_F(SwrctlSync, EveryFormOfTheImagesFileInYamlAndJson) {
  Push("lib/all", "v1", 1);
  Push("lib/all", "v2", 2);
  Push("lib/list", "a", 3);
  Push("lib/list", "b", 4);
  Push("lib/list", "c", 5);
  std::string pinned = Push("lib/pin", "p", 6);
  Push("lib/multi", "m", 7, "linux/amd64,linux/arm64");
  std::string yaml = src_.host() + "/lib/all: " + Swr() + "/yaml/all\n" +                                 // all tags
                     src_.host() + "/lib/list:a,b: " + Swr() + "/yaml/list\n" +                           // a tag list
                     "\"" + src_.host() + "/lib/pin@" + pinned + "\": " + Swr() + "/yaml/pin:pinned\n" +  // a digest
                     src_.host() + "/lib/multi:m:\n  - " + Swr() + "/yaml/multi\n  - " + Swr() + "/yaml2/multi:copy\n";
  Result r = Sync({"--auth", Auth(), "--images", Write("images.yaml", yaml), "--report", dir_ + "/r.json",
                   "--output-success-images", dir_ + "/ok.yaml"});
  ASSERT_EQ(r.code, 0) << r.err;
  Verify("lib/all:v1", "yaml/all:v1");
  Verify("lib/all:v2", "yaml/all:v2");
  Verify("lib/list:a", "yaml/list:a");
  Verify("lib/list:b", "yaml/list:b");
  Verify("lib/pin:p", "yaml/pin:pinned");
  Verify("lib/multi:m", "yaml/multi:m");
  Verify("lib/multi:m", "yaml2/multi:copy");
  Json rep = Report(dir_ + "/r.json");
  EXPECT_EQ(rep.Find("summary")->GetInt("copied"), 7);
  std::ifstream ok(dir_ + "/ok.yaml");
  std::stringstream ss;
  ss << ok.rdbuf();
  EXPECT_NE(ss.str().find(src_.host() + "/lib/list:b: " + Swr() + "/yaml/list:b"), std::string::npos) << ss.str();

  // The same in JSON, into other repositories, with the success list as JSON.
  std::string json =
      "{\"" + src_.host() + "/lib/list:c\": [\"" + Swr() + "/json/list\", \"" + Swr() + "/json/list:renamed\"]}";
  std::string auth_json = "{\"" + src_.host() + "\": {\"insecure\": true}, \"" + Swr() + "\": {\"username\": \"" +
                          testing::kTestProject + "@" + testing::kTestAK +
                          "\", \"password\": \"${SYNC_TEST_SK}\", \"insecure\": true}}";
  r = Sync({"--auth", Write("auth.json", auth_json), "--images", Write("images.json", json), "--output-success-images",
            dir_ + "/ok.json", "--output-images-format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  Verify("lib/list:c", "json/list:c");
  Verify("lib/list:c", "json/list:renamed");
  auto okj = Report(dir_ + "/ok.json");
  EXPECT_EQ(okj.GetStrings(src_.host() + "/lib/list:c").size(), 2u);

  // The older single --config file.
  r = Sync({"--config", Write("config.json", "{\"auth\": " + auth_json + ", \"images\": {\"" + src_.host() +
                                                 "/lib/list:a\": \"" + Swr() + "/legacy/list\"}}")});
  ASSERT_EQ(r.code, 0) << r.err;
  Verify("lib/list:a", "legacy/list:a");
}

// Thirty images sharing a base layer into thirty repositories: every blob
// crosses the wire once, the rest are mounts; a second run only asks.
TEST_F(SwrctlSync, EachBlobIsUploadedOnceAndTheRerunOnlyAsks) {
  std::string images;
  for (int i = 0; i < 12; ++i) {
    Push("lib/app" + std::to_string(i), "v1", 100 + i);
    images += src_.host() + "/lib/app" + std::to_string(i) + ":v1: " + Swr() + "/dedup/app" + std::to_string(i) + "\n";
  }
  std::string auth = Auth(), file = Write("images.yaml", images);
  emu_->Control("DELETE", "/_emulator/requests");
  Result r = Sync({"--auth", auth, "--images", file, "--proc", "6", "--report", dir_ + "/r.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  // 12 images x (own config + 2 own layers) + 1 shared base layer.
  EXPECT_EQ(Uploads(), 12 * 3 + 1);
  Json rep = Report(dir_ + "/r.json");
  int mounted = 0;
  auto list = rep.Find("images");
  for (size_t i = 0; i < list->Size(); ++i) mounted += static_cast<int>(list->At(i).GetInt("blobs_mounted"));
  EXPECT_EQ(mounted, 11);
  EXPECT_EQ(emu_->RequestCount("POST /v2/manage/namespaces"), 1) << "the organization is created once";
  for (int i = 0; i < 12; ++i) Verify("lib/app" + std::to_string(i) + ":v1", "dedup/app" + std::to_string(i) + ":v1");

  emu_->Control("DELETE", "/_emulator/requests");
  r = Sync({"--auth", auth, "--images", file});
  ASSERT_EQ(r.code, 0) << r.err;
  auto counts = Json::Parse(emu_->Control("GET", "/_emulator/requests").body);
  ASSERT_TRUE(counts.ok());
  int heads = 0;
  for (const auto& k : counts->Keys()) {
    bool token = k.find("/swr/auth/") != std::string::npos || k == "GET /v2/";
    if (k.rfind("HEAD ", 0) == 0) {
      heads += static_cast<int>(counts->GetInt(k));
    } else if (!token) {
      ADD_FAILURE() << "the no-op rerun sent " << k;
    }
  }
  // One HEAD per tag; a HEAD sent before the registry's auth challenge was
  // learnt is answered 401 and sent again with a token.
  EXPECT_GE(heads, 12) << counts->Dump();
  EXPECT_LE(heads, 24) << counts->Dump();
  for (int i = 0; i < 12; ++i) {
    EXPECT_GE(counts->GetInt("HEAD /v2/dedup/app" + std::to_string(i) + "/manifests/v1"), 1) << counts->Dump();
  }
}

TEST_F(SwrctlSync, ARateLimitedSwrLosesNoImage) {
  StartEmulator({"-rate-limit", "5"});
  std::string images;
  for (int i = 0; i < 6; ++i) {
    Push("lib/r" + std::to_string(i), "v1", 200 + i);
    images += src_.host() + "/lib/r" + std::to_string(i) + ":v1: " + Swr() + "/limited/r" + std::to_string(i) + "\n";
  }
  // Our own limit above the emulator's: the 503s must slow us down.
  Result r = Sync({"--auth", Auth(), "--images", Write("images.yaml", images), "--swr-rate", "50", "--retries", "0"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto faults = Json::Parse(emu_->Control("GET", "/_emulator/registry-fault").body);
  ASSERT_TRUE(faults.ok());
  EXPECT_GT(faults->GetInt("rate_limited"), 0) << "the emulator never limited: this test proves nothing";
  for (int i = 0; i < 6; ++i) Verify("lib/r" + std::to_string(i) + ":v1", "limited/r" + std::to_string(i) + ":v1");
}

TEST_F(SwrctlSync, AFailingImageFailsAloneAndRetryFailedCompletesIt) {
  Push("lib/good", "v1", 300);
  Push("lib/bad", "v1", 301);
  std::string images =
      src_.host() + "/lib/good:v1: " + Swr() + "/f/good\n" + src_.host() + "/lib/bad:v1: " + Swr() + "/f/bad\n";
  emu_->Control("POST", "/_emulator/fault", R"({"path_prefix":"/v2/f/bad/blobs/uploads/","status":500,"count":1000})");
  std::string auth = Auth(), file = Write("images.yaml", images);
  Result r = Sync({"--auth", auth, "--images", file, "--report", dir_ + "/r.json", "--retries", "1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("failed images:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/lib/bad:v1 -> "), std::string::npos) << r.err;
  Verify("lib/good:v1", "f/good:v1");
  Json rep = Report(dir_ + "/r.json");
  auto list = rep.Find("images");
  ASSERT_EQ(list->Size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    Json e = list->At(i);
    bool bad = e.GetString("source").find("lib/bad") != std::string::npos;
    EXPECT_EQ(e.GetString("status"), bad ? "failed" : "copied");
    if (bad) {
      EXPECT_EQ(e.GetInt("attempts"), 2) << "the first pass and one retry";
      EXPECT_NE(e.GetString("error").find("500"), std::string::npos) << e.GetString("error");
    }
  }
  emu_->Control("POST", "/_emulator/reset");
  r = Sync({"--auth", auth, "--retry-failed", dir_ + "/r.json", "--report", dir_ + "/r2.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Report(dir_ + "/r2.json").Find("summary")->GetInt("images"), 1) << "only the failed one";
  Verify("lib/bad:v1", "f/bad:v1");
}

TEST_F(SwrctlSync, MalformedFilesAreUsageErrorsNamingFileLineAndKey) {
  std::string auth = Write("auth.yaml", src_.host() + ":\n  insecure: true\n  usrname: x\n");
  std::string images = Write("images.yaml", src_.host() + "/lib/a:1: " + Swr() + "/o/a\n");
  Result r = Sync({"--auth", auth, "--images", images});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(auth + ":3: unknown key '" + src_.host() + ".usrname'"), std::string::npos) << r.err;
  r = Sync({"--auth", Auth(), "--images", Write("bad.yaml", "nginx:1: " + Swr() + "/o/a\n")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.yaml:1: 'nginx:1' needs a registry"), std::string::npos) << r.err;
  EXPECT_EQ(emu_->RequestCount("POST /v2/manage/namespaces"), 0) << "nothing is done for a bad file";
  r = Sync({"--images", images, "--proc", "0"});
  EXPECT_EQ(r.code, 2);
}

// The backend's manifest (what SWR stores), parsed.
Json StoredManifest(const std::string& backend, const std::string& repo, const std::string& ref) {
  registry::RegistryConfig rc;
  rc.url = backend;
  auto c = registry::MakeRegistryClient(rc);
  EXPECT_TRUE(c.ok());
  auto m = (*c)->GetManifest(repo, ref, registry::AcceptedManifestTypes());
  EXPECT_TRUE(m.ok()) << repo << ":" << ref << ": " << m.status().ToString();
  if (!m.ok()) return *Json::Parse("{}");
  return *Json::Parse(m->body);
}

// SWR refuses OCI indexes: the image fails with the way out; with
// --oci-index-to-docker-list it arrives as a Docker manifest list of
// schema 2 manifests, the report says the digest changed, and a rerun
// finds it up to date.
TEST_F(SwrctlSync, OciIndexesAreRefusedWithTheWayOutOrConverted) {
  std::vector<std::string> args = {"push",
                                   "-registry",
                                   src_.url(),
                                   "-repo",
                                   "lib/oci",
                                   "-tag",
                                   "v1",
                                   "-format",
                                   "oci",
                                   "-platforms",
                                   "linux/amd64,linux/arm64",
                                   "-size",
                                   "200000"};
  std::string out, err;
  ASSERT_EQ(testing::Imagegen(args, &out, &err), 0) << err;
  std::string auth = Auth(), images = Write("images.yaml", src_.host() + "/lib/oci:v1: " + Swr() + "/conv/oci\n");
  Result r = Sync({"--auth", auth, "--images", images, "--retries", "0"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--oci-index-to-docker-list"), std::string::npos) << r.err;

  r = Sync({"--auth", auth, "--images", images, "--oci-index-to-docker-list", "--report", dir_ + "/r.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json list = StoredManifest(backend_.url(), "conv/oci", "v1");
  EXPECT_EQ(list.GetString("mediaType"), registry::kDockerManifestList);
  auto entries = list.Find("manifests");
  ASSERT_TRUE(entries && entries->Size() == 2u);
  for (size_t i = 0; i < entries->Size(); ++i) {
    Json e = entries->At(i);
    EXPECT_EQ(e.GetString("mediaType"), registry::kDockerManifest);
    Json child = StoredManifest(backend_.url(), "conv/oci", e.GetString("digest"));
    EXPECT_EQ(child.GetString("mediaType"), registry::kDockerManifest);
    EXPECT_EQ(child.Find("config")->GetString("mediaType"), "application/vnd.docker.container.image.v1+json");
    auto layers = child.Find("layers");
    ASSERT_TRUE(layers && layers->Size() > 0);
    EXPECT_EQ(layers->At(0).GetString("mediaType"), "application/vnd.docker.image.rootfs.diff.tar.gzip");
  }
  Json rep = Report(dir_ + "/r.json");
  EXPECT_TRUE(rep.Find("images")->At(0).GetBool("rewritten"));

  r = Sync({"--auth", auth, "--images", images, "--oci-index-to-docker-list", "--report", dir_ + "/r2.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Report(dir_ + "/r2.json").Find("images")->At(0).GetString("status"), "skipped");
}

// --arch keeps one platform of a manifest list: the other's blobs never move.
TEST_F(SwrctlSync, PlatformFiltersKeepTheChosenEntries) {
  Push("lib/multi", "v1", 500, "linux/amd64,linux/arm64");
  emu_->Control("DELETE", "/_emulator/requests");
  Result r = Sync({"--auth", Auth(), "--images",
                   Write("images.yaml", src_.host() + "/lib/multi:v1: " + Swr() + "/plat/multi\n"), "--arch", "amd64",
                   "--os", "linux"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json list = StoredManifest(backend_.url(), "plat/multi", "v1");
  auto entries = list.Find("manifests");
  ASSERT_TRUE(entries && entries->Size() == 1u) << list.Dump();
  EXPECT_EQ(entries->At(0).Find("platform")->GetString("architecture"), "amd64");
  // One platform: its config and layers (the first shared), not the other's.
  int uploads = Uploads();
  EXPECT_GE(uploads, 1);
  EXPECT_LE(uploads, 4) << "the arm64 blobs were uploaded too";
  r = Sync({"--auth", Auth(), "--images", Write("none.yaml", src_.host() + "/lib/multi:v1: " + Swr() + "/plat/none\n"),
            "--arch", "s390x", "--retries", "0"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no entry of the list matches"), std::string::npos) << r.err;
}

bool IsHex(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A line of the view naming a blob in flight:
// "  sha256:<12 hex>  <bytes> / <size> <n>%  -> <repository_prefix>..."
bool HasBlobLine(const std::string& out, const std::string& repository_prefix) {
  for (size_t at = out.find("  sha256:"); at != std::string::npos; at = out.find("  sha256:", at + 1)) {
    size_t end = out.find_first_of("\r\n\033", at);
    std::string line = out.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.size() < 23 || !IsHex(line.substr(9, 12)) || line.compare(21, 2, "  ") != 0) continue;
    size_t slash = line.find(" / "), pct = line.find("%  -> " + repository_prefix);
    if (slash != std::string::npos && pct != std::string::npos && slash < pct) return true;
  }
  return false;
}

// The number before `what` in `text` ("3 blobs to copy" -> 3), or -1.
int NumberBefore(const std::string& text, const std::string& what) {
  size_t at = text.find(" " + what);
  if (at == std::string::npos) return -1;
  size_t start = at;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(text[start - 1]))) --start;
  return start == at ? -1 : std::stoi(text.substr(start, at - start));
}

// On a terminal: one view drawn in place, naming the blobs in flight (their
// digest, how far, which repository); no per-image log lines.
TEST_F(SwrctlSync, TheTerminalViewNamesTheBlobsInFlight) {
  Push("lib/t0", "v1", 600);
  Push("lib/t1", "v1", 601);
  std::string images =
      src_.host() + "/lib/t0:v1: " + Swr() + "/tty/t0\n" + src_.host() + "/lib/t1:v1: " + Swr() + "/tty/t1\n";
  // Uploads are held a while, so that the view sees them move.
  emu_->Control("POST", "/_emulator/registry-fault",
                R"({"kind":"stall","path_prefix":"/v2/tty/","method":"PUT","stall_ms":1500,"count":3})");
  Result r = SyncOnTerminal({"--auth", Auth(), "--images", Write("images.yaml", images)});
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\033[J"), std::string::npos) << "not drawn in place: " << r.out;
  EXPECT_TRUE(HasBlobLine(r.out, "tty/t")) << "no blob in flight was named: " << r.out;
  EXPECT_NE(r.out.find("in progress: 2 images, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2/2 images (0 skipped, 0 failed)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("copied  "), std::string::npos) << "per-image lines are for logs, not terminals: " << r.out;
  Verify("lib/t0:v1", "tty/t0:v1");
  Verify("lib/t1:v1", "tty/t1:v1");
}

// --dry-run is the engine's own plan: the platform filter and the
// conversion applied, what would move predicted exactly, nothing written.
TEST_F(SwrctlSync, DryRunPlansWhatTheCopyWouldDo) {
  Push("lib/dry", "v1", 700, "linux/amd64,linux/arm64");
  std::vector<std::string> args = {"push",
                                   "-registry",
                                   src_.url(),
                                   "-repo",
                                   "lib/dryoci",
                                   "-tag",
                                   "v1",
                                   "-format",
                                   "oci",
                                   "-platforms",
                                   "linux/amd64,linux/arm64",
                                   "-size",
                                   "200000"};
  std::string out, err;
  ASSERT_EQ(testing::Imagegen(args, &out, &err), 0) << err;
  std::string auth = Auth();
  std::string images = Write("images.yaml", src_.host() + "/lib/dry:v1: " + Swr() + "/dry/multi\n");
  emu_->Control("DELETE", "/_emulator/requests");
  Result all = Sync({"--auth", auth, "--images", images, "--dry-run"});
  ASSERT_EQ(all.code, 0) << all.err << all.out;
  Result one = Sync({"--auth", auth, "--images", images, "--dry-run", "--arch", "amd64", "--os", "linux"});
  ASSERT_EQ(one.code, 0) << one.err << one.out;
  size_t marked = one.out.find("(rewritten: sha256:");
  ASSERT_NE(marked, std::string::npos) << one.out;
  std::string rewritten = one.out.substr(marked + 12, 71);
  ASSERT_TRUE(IsHex(rewritten.substr(7)) && rewritten.size() == 71) << one.out;
  EXPECT_EQ(all.out.find("rewritten"), std::string::npos) << all.out;
  int all_blobs = NumberBefore(all.out, "blobs to copy"), one_blobs = NumberBefore(one.out, "blobs to copy");
  EXPECT_GT(all_blobs, one_blobs) << all.out << one.out;
  EXPECT_GT(one_blobs, 0) << one.out;
  // Nothing was written, and no organization created.
  auto counts = Json::Parse(emu_->Control("GET", "/_emulator/requests").body);
  ASSERT_TRUE(counts.ok());
  for (const auto& k : counts->Keys()) {
    bool token = k.find("/swr/auth/") != std::string::npos;
    bool reads = k.rfind("GET ", 0) == 0 || k.rfind("HEAD ", 0) == 0;
    EXPECT_TRUE(reads || token) << "the dry run sent " << k;
  }

  // The copy does what the plan said.
  Result r =
      Sync({"--auth", auth, "--images", images, "--arch", "amd64", "--os", "linux", "--report", dir_ + "/r.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json e = Report(dir_ + "/r.json").Find("images")->At(0);
  EXPECT_EQ(e.GetString("digest"), rewritten);
  EXPECT_EQ(e.GetInt("blobs_copied") + e.GetInt("blobs_mounted"), one_blobs);
  Result again = Sync({"--auth", auth, "--images", images, "--dry-run", "--arch", "amd64", "--os", "linux"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("skip    " + src_.host() + "/lib/dry:v1 -> " + Swr() + "/dry/multi:v1: up to date (" +
                           rewritten + ", rewritten)"),
            std::string::npos)
      << again.out;

  // An OCI index into SWR: the plan says it would fail, and the way out.
  std::string oci = Write("oci.yaml", src_.host() + "/lib/dryoci:v1: " + Swr() + "/dry/oci\n");
  Result refused = Sync({"--auth", auth, "--images", oci, "--dry-run"});
  EXPECT_EQ(refused.code, 1) << refused.out;
  EXPECT_NE(refused.out.find("error   " + src_.host() + "/lib/dryoci:v1"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("--oci-index-to-docker-list"), std::string::npos) << refused.out;
  Result converted = Sync({"--auth", auth, "--images", oci, "--dry-run", "--oci-index-to-docker-list"});
  EXPECT_EQ(converted.code, 0) << converted.out;
  EXPECT_NE(converted.out.find("(rewritten: sha256:"), std::string::npos) << converted.out;
}

// --force: an image the destination has is copied again: no blob moves
// (each is found there), its manifest is pushed again.
TEST_F(SwrctlSync, ForcePushesAnUpToDateImageAgain) {
  Push("lib/force", "v1", 800);
  std::string auth = Auth(), images = Write("images.yaml", src_.host() + "/lib/force:v1: " + Swr() + "/force/app\n");
  ASSERT_EQ(Sync({"--auth", auth, "--images", images}).code, 0);
  emu_->Control("DELETE", "/_emulator/requests");
  Result r = Sync({"--auth", auth, "--images", images, "--report", dir_ + "/r.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Report(dir_ + "/r.json").Find("images")->At(0).GetString("status"), "skipped");
  EXPECT_EQ(emu_->RequestCount("PUT /v2/force/app/manifests/v1"), 0);

  r = Sync({"--auth", auth, "--images", images, "--force", "--report", dir_ + "/r2.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json e = Report(dir_ + "/r2.json").Find("images")->At(0);
  EXPECT_EQ(e.GetString("status"), "copied");
  EXPECT_EQ(e.GetInt("bytes_copied"), 0);
  EXPECT_EQ(e.GetInt("blobs_skipped"), 4) << "3 layers and the config, each found there";
  EXPECT_EQ(emu_->RequestCount("PUT /v2/force/app/manifests/v1"), 1);
  EXPECT_EQ(Uploads(), 0);
  Verify("lib/force:v1", "force/app:v1");
}

// SIGINT mid-run: in-flight uploads are cancelled, the run ends promptly
// with 130, the report says what was done, and no destination tag points to
// an image whose blobs are not all there.
// SIGINT (Ctrl-C) and SIGTERM (what service managers and kill send) stop
// a run the same way: uploads cancelled, no manifest without its blobs,
// the report written, exit 130.
TEST_F(SwrctlSync, InterruptStopsCleanly) {
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig == SIGINT ? "SIGINT" : "SIGTERM");
    const std::string org = sig == SIGINT ? "int" : "term";
    std::string images;
    for (int i = 0; i < 4; ++i) {
      Push("lib/s" + std::to_string(i), "v1", 400 + i);
      images +=
          src_.host() + "/lib/s" + std::to_string(i) + ":v1: " + Swr() + "/" + org + "/s" + std::to_string(i) + "\n";
    }
    // Every upload to the destination crawls.
    emu_->Control(
        "POST", "/_emulator/registry-fault",
        R"({"kind":"stall","path_prefix":"/v2/)" + org + R"(/","method":"PUT","stall_ms":20000,"count":100})");
    std::string report = dir_ + "/r-" + org + ".json";
    std::vector<std::string> argv = {
        SWRCTL_BIN,      "sync",   "--swr-host", Swr(),      "--management-url",
        emu_->api_url(), "--auth", Auth(),       "--images", Write("images-" + org + ".yaml", images),
        "--report",      report,   "--proc",     "2"};
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      std::vector<char*> cargv;
      for (auto& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      std::string sk = std::string("SYNC_TEST_SK=") + testing::kTestSK;
      char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), sk.data(), nullptr};
      execve(SWRCTL_BIN, cargv.data(), envp);
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    kill(pid, sig);
    auto start = std::chrono::steady_clock::now();
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 300 && done == 0; ++i) {  // at most 30 s
      done = waitpid(pid, &status, WNOHANG);
      if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (done == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      FAIL() << "swrctl sync did not stop within 30 s of the signal";
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(secs, 15) << "stopping took too long";
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    Json rep = Report(report);
    EXPECT_TRUE(rep.GetBool("interrupted"));
    auto list = rep.Find("images");
    ASSERT_TRUE(list && list->Size() == 4u);
    for (size_t i = 0; i < list->Size(); ++i) {
      Json e = list->At(i);
      std::string dst = e.GetString("destination");
      std::string repo_tag = dst.substr(dst.find('/') + 1);
      auto head = emu_->Control("GET", "/_emulator/requests");  // keeps the emulator answering
      (void)head;
      if (e.GetString("status") == "copied") {
        Verify(e.GetString("source").substr(e.GetString("source").find('/') + 1), repo_tag);
      } else {
        EXPECT_EQ(e.GetString("status"), "cancelled") << dst;
        std::string out, err;
        EXPECT_NE(testing::Imagegen({"verify", "-src", e.GetString("source").insert(0, "http://"), "-dst",
                                     backend_.url() + "/" + repo_tag},
                                    &out, &err),
                  0)
            << "a cancelled image has a tag at the destination: " << dst;
      }
    }
  }
}

}  // namespace
}  // namespace swr

namespace swr {
namespace {

// A report that cannot be written fails the run, said on stderr (a full
// disk used to end with exit 0 and a short or empty file); a report path
// that is a symbolic link is replaced, not followed.
// Input files are read at most to their limit (16 MiB and a byte): an
// endless one is refused at once, not read whole into memory.
TEST_F(SwrctlSync, AnEndlessInputFileIsRefusedWithoutReadingIt) {
  auto r =
      testing::RunCommandBounded(SyncArgv({"--images", "/dev/zero"}), {"PATH=/usr/bin:/bin"}, std::chrono::seconds(20));
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("larger than 16 MiB"), std::string::npos) << r.err;
  EXPECT_LT(r.max_rss_kib, 200 * 1024) << "the file was read whole";
}

// An auth file with passwords that other users may read or change draws a
// warning, as ssh gives for a key file.
TEST_F(SwrctlSync, AnAuthFileOthersCanChangeIsWarnedAbout) {
  std::string auth = Auth();
  ASSERT_EQ(chmod(auth.c_str(), 0666), 0);
  Push("lib/perm", "v1", 700);
  Result r = Sync(
      {"--auth", auth, "--images", Write("images-perm.yaml", src_.host() + "/lib/perm:v1: " + Swr() + "/perm/app\n")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("holds passwords and is writable by every user of this machine: chmod 600 it"),
            std::string::npos)
      << r.err;
  ASSERT_EQ(chmod(auth.c_str(), 0600), 0);
  r = Sync({"--auth", auth, "--images", dir_ + "/images-perm.yaml"});
  EXPECT_EQ(r.err.find("every user of this machine"), std::string::npos) << r.err;
}

// Names from the images file and from a report are checked with the
// registry's grammar before anything is sent: path tricks, query strings
// and fake digests never become URLs.
TEST_F(SwrctlSync, NamesThatAreNotReferencesAreRefusedBeforeAnyRequest) {
  const std::string h = src_.host();
  const std::vector<std::string> bad = {
      h + "/src/../../v2/_catalog:latest",
      h + "/app@sha256:/../../../../admin/secret",
      h + "/app:a?x=1&y=2",
      h + "/App/Upper:v1",
  };
  ASSERT_EQ(emu_->Control("DELETE", "/_emulator/requests").status, 204);
  for (const auto& source : bad) {
    SCOPED_TRACE(source);
    Result r =
        Sync({"--auth", Auth(), "--images", Write("images-bad.yaml", "\"" + source + "\": " + Swr() + "/ok/app\n")});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("images-bad.yaml:1"), std::string::npos) << r.err;
    Result d = Sync({"--auth", Auth(), "--images",
                     Write("images-bad.yaml", h + "/lib/app:v1: \"" + Swr() + source.substr(h.size()) + "\"\n")});
    EXPECT_EQ(d.code, 2) << d.err;
  }
  // A report (--retry-failed) is input too.
  std::string report = Write("forged.json", R"({"images":[{"source":")" + bad[1] + R"(","destination":")" + Swr() +
                                                R"(/ok/app","status":"failed"}]})");
  Result r = Sync({"--auth", Auth(), "--retry-failed", report});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("forged.json: images[0]"), std::string::npos) << r.err;
  EXPECT_TRUE(emu_->RequestLog().empty());
}

// --deadline bounds each image of a sync: an upload that crawls ends the
// image with the reason instead of holding the run.
TEST_F(SwrctlSync, ADeadlineBoundsEachImage) {
  Push("lib/slow", "v1", 800);
  emu_->Control("POST", "/_emulator/registry-fault",
                R"({"kind":"stall","path_prefix":"/v2/slow/","method":"PUT","stall_ms":30000,"count":100})");
  auto start = std::chrono::steady_clock::now();
  Result r = Sync({"--auth", Auth(), "--images",
                   Write("images-slow.yaml", src_.host() + "/lib/slow:v1: " + Swr() + "/slow/app\n"), "--deadline", "3",
                   "--retries", "0"});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("deadline"), std::string::npos) << r.err;
  EXPECT_LT(secs, 25) << "the image ran past its deadline";
}

TEST_F(SwrctlSync, AReportIsNeverLostNorWrittenThroughALink) {
  Push("lib/rep", "v1", 600);
  std::string images = Write("images-rep.yaml", src_.host() + "/lib/rep:v1: " + Swr() + "/rep/app\n");
  Result full = Sync({"--auth", Auth(), "--images", images, "--report", "/dev/full"});
  EXPECT_EQ(full.code, 1) << full.err;
  EXPECT_NE(full.err.find("the report was not written"), std::string::npos) << full.err;
  Result lost = Sync({"--auth", Auth(), "--images", images, "--output-success-images", "/dev/full"});
  EXPECT_EQ(lost.code, 1) << lost.err;
  EXPECT_NE(lost.err.find("the successful images were not written"), std::string::npos) << lost.err;

  std::string target = Write("elsewhere.txt", "keep me\n");
  std::string link = dir_ + "/report-link.json";
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  Result r = Sync({"--auth", Auth(), "--images", images, "--report", link});
  EXPECT_EQ(r.code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode)) << "the link was followed instead of replaced";
  std::ifstream kept(target);
  std::string content((std::istreambuf_iterator<char>(kept)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "keep me\n");
  EXPECT_EQ(Report(link).Find("images")->Size(), 1u);
}

}  // namespace
}  // namespace swr
