// The client against the emulator where SWR's documented behaviour differs
// from a plain registry: organizations owned per account, the quota, deletes
// through the management API, throttling, listing rules, tag details,
// temporary logins. Each emulator behaviour cites its source in the emulator.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "auth/credentials.h"
#include "common/json.h"
#include "registry/factory.h"
#include "registry/registry_client.h"
#include "replication/copy_engine.h"
#include "support/emulator.h"
#include "swr/client.h"
#include "swr/swr.h"

namespace swr {
namespace {

using replication::CopyEngine;
using testing::Emulator;
using testing::Imagegen;
using testing::RegistryProcess;

std::unique_ptr<Client> MakeClient(const Emulator& emu, const std::string& secret = testing::kTestSK, int attempts = 4,
                                   SecretKind kind = SecretKind::kAuto) {
  ClientConfig cfg;
  cfg.registry_url = emu.url();
  cfg.management_url = emu.api_url();
  cfg.access_id = std::string(testing::kTestProject) + "@" + testing::kTestAK;
  cfg.access_secret = secret;
  cfg.secret_kind = kind;
  cfg.connection.retry.max_attempts = attempts;
  auto c = Client::Create(cfg);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c).value() : nullptr;
}

std::shared_ptr<registry::RegistryClient> Plain(const std::string& url) {
  registry::RegistryConfig rc;
  rc.url = url;
  return *registry::MakeRegistryClient(rc);
}

std::string Push(const std::string& registry, const std::string& repo, const std::string& tag,
                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"push", "-registry", registry, "-repo", repo, "-tag", tag};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string out, err;
  EXPECT_EQ(Imagegen(args, &out, &err), 0) << err;
  auto j = Json::Parse(out);
  return j.ok() ? j->GetString("digest") : "";
}

class Fidelity : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(src_.ok() && backend_.ok());
    emu_ = std::make_unique<Emulator>(Emulator::WithBackend(backend_.url()));
    ASSERT_TRUE(emu_->ok());
    client_ = MakeClient(*emu_);
    ASSERT_NE(client_, nullptr);
  }
  ManagementClient& mgmt() { return client_->management(); }
  void Seed(const std::string& json) { ASSERT_EQ(emu_->Control("POST", "/_emulator/seed", json).status, 204); }
  // Copies a fixture into SWR at org/<repo>:<tag>; returns the digest.
  std::string CopyIn(const std::string& repo, const std::string& tag, std::vector<std::string> extra = {}) {
    std::string digest = Push(src_.url(), "src/" + repo, tag, std::move(extra));
    auto src = Plain(src_.url());
    auto r = CopyEngine().Copy(*src, "src/" + repo, tag, *client_->registry_client(), "org/" + repo, tag, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return digest;
  }
  RegistryProcess src_, backend_;
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<Client> client_;
};

TEST_F(Fidelity, AnOrganizationNameTakenByAnotherAccountIsAConflictNotSuccess) {
  Seed(R"({"orgs":[{"name":"taken","owner":"another-account"}]})");
  Status ensure = mgmt().EnsureOrganization("taken");
  EXPECT_EQ(ensure.code(), Code::kConflict) << ensure.ToString();
  EXPECT_NE(ensure.message().find("taken by another account"), std::string::npos) << ensure.ToString();
  EXPECT_EQ(mgmt().CreateOrganization("taken").code(), Code::kConflict);
  // Our own existing organization is still fine.
  ASSERT_TRUE(mgmt().EnsureOrganization("mine").ok());
  EXPECT_TRUE(mgmt().EnsureOrganization("mine").ok());
  EXPECT_EQ(mgmt().CreateOrganization("mine").code(), Code::kAlreadyExists);
  // And the registry gives no push token for someone else's organization.
  Push(src_.url(), "src/app", "v1");
  auto src = Plain(src_.url());
  auto r = CopyEngine().Copy(*src, "src/app", "v1", *client_->registry_client(), "taken/app", "v1", {});
  EXPECT_FALSE(r.ok());
}

TEST_F(Fidelity, TheSixthOrganizationIsAQuotaError) {
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(mgmt().CreateOrganization("org" + std::to_string(i)).ok()) << i;
  Status s = mgmt().EnsureOrganization("org6");
  EXPECT_EQ(s.code(), Code::kQuotaExceeded) << s.ToString();
  EXPECT_EQ(s.swr_code(), "SVCSTG.SWR.4000097");
  // Through the C ABI: its own code, not "invalid argument".
  swr_client_options o;
  swr_client_options_init(&o, SWR_CLIENT_OPTIONS_VERSION);
  std::string id = std::string(testing::kTestProject) + "@" + testing::kTestAK;
  o.registry_url = emu_->url().c_str();
  o.management_url = emu_->api_url().c_str();
  o.access_id = id.c_str();
  o.access_secret = testing::kTestSK;
  swr_client* c = nullptr;
  swr_error* err = nullptr;
  ASSERT_EQ(swr_client_new(&c, &o, &err), SWR_OK);
  EXPECT_EQ(swr_org_ensure(c, "org7", nullptr, &err), SWR_EQUOTA);
  EXPECT_STREQ(swr_error_string(SWR_EQUOTA), "quota exceeded");
  swr_error_free(err);
  swr_client_free(c);
}

TEST_F(Fidelity, TagAndRepositoryDeletesGoThroughTheManagementApi) {
  ASSERT_TRUE(mgmt().EnsureOrganization("org").ok());
  CopyIn("app", "v1");
  auto& reg = *client_->registry_client();
  auto m = reg.GetManifest("org/app", "v1");
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(reg.PutManifest("org/app", "v2", m->media_type, m->body).ok());
  // One tag of two that share a manifest: the other stays.
  ASSERT_TRUE(mgmt().DeleteTag("org", "app", "v1").ok());
  EXPECT_EQ(reg.HeadManifest("org/app", "v1").status().code(), Code::kNotFound);
  EXPECT_TRUE(reg.HeadManifest("org/app", "v2").ok());
  auto tags = mgmt().ListTags("org", "app");
  ASSERT_TRUE(tags.ok());
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_EQ((*tags)[0].tag, "v2");
  EXPECT_EQ(mgmt().DeleteTag("org", "app", "v1").code(), Code::kNotFound);
  // The organization cannot go while it holds images; it can once they are gone.
  EXPECT_EQ(mgmt().DeleteOrganization("org").code(), Code::kConflict);
  ASSERT_TRUE(mgmt().DeleteRepository("org", "app").ok());
  EXPECT_EQ(reg.HeadManifest("org/app", "v2").status().code(), Code::kNotFound);
  EXPECT_TRUE(mgmt().ListRepositories("org")->empty());
  EXPECT_TRUE(mgmt().DeleteOrganization("org").ok());
}

TEST_F(Fidelity, ARegistryLevelDeleteLeavesTheTagListConsistent) {
  ASSERT_TRUE(mgmt().EnsureOrganization("org").ok());
  CopyIn("app", "v1");
  ASSERT_TRUE(client_->registry_client()->DeleteManifest("org/app", "v1").ok());
  auto tags = mgmt().ListTags("org", "app");
  ASSERT_TRUE(tags.ok()) << tags.status().ToString();
  EXPECT_TRUE(tags->empty());
}

TEST_F(Fidelity, ManagementThrottlingIsRateLimitingAndIsRetried) {
  ASSERT_EQ(emu_->Control("POST", "/_emulator/manage-rate-limit?per_second=2").status, 204);
  // A flood of calls: every one succeeds, after retries.
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(mgmt().ListOrganizations().ok()) << i;
  auto j = Json::Parse(emu_->Control("GET", "/_emulator/throttled").body);
  EXPECT_GT(j->GetInt("throttled"), 0);
  // Without retries the answer is classified as rate limiting, not as a permission error.
  auto once = MakeClient(*emu_, testing::kTestSK, /*attempts=*/1);
  Status last;
  for (int i = 0; i < 6 && last.ok(); ++i) last = once->management().ListOrganizations().status();
  EXPECT_EQ(last.code(), Code::kRateLimited) << last.ToString();
  EXPECT_EQ(last.swr_code(), "SVCSTG.SWR.4031032");
  ASSERT_EQ(emu_->Control("POST", "/_emulator/manage-rate-limit?per_second=0").status, 204);
  // SWR's other "too many requests" code is one too, also for a POST.
  ASSERT_EQ(
      emu_->Control("POST", "/_emulator/fault",
                    R"({"path_prefix":"/v2/manage/namespaces","method":"POST","status":403,"count":1,)"
                    R"("body":"[{\"errorCode\":\"SVCSTG.SWR.4031042\",\"errorMessage\":\"too many requests\"}]"})")
          .status,
      204);
  EXPECT_TRUE(mgmt().CreateOrganization("afterflood").ok());
  EXPECT_EQ(emu_->RequestCount("POST /v2/manage/namespaces"), 2);
}

TEST_F(Fidelity, RepositoryListingKeepsOnlyTheOrganizationAskedFor) {
  std::string seed = R"({"repos":[)";
  for (int i = 0; i < 130; ++i)
    seed +=
        (i ? "," : "") + std::string(R"({"namespace":"team","name":"app)") + std::to_string(i) + R"(","tags":["v1"]})";
  seed += R"(,{"namespace":"team-b","name":"other","tags":["v1"]},{"namespace":"steam","name":"x","tags":["v1"]}]})";
  Seed(seed);
  auto repos = mgmt().ListRepositories("team");
  ASSERT_TRUE(repos.ok()) << repos.status().ToString();
  EXPECT_EQ(repos->size(), 130u) << "the fuzzy filter also matched team-b and steam";
  std::set<std::string> names;
  for (const auto& r : *repos) {
    EXPECT_EQ(r.namespace_name, "team");
    names.insert(r.name);
  }
  EXPECT_EQ(names.size(), 130u) << "no duplicates across pages";
  EXPECT_EQ(mgmt().ListRepositories()->size(), 132u);
}

TEST_F(Fidelity, TagsOfARepositoryWithoutTagsAreAnEmptyList) {
  ASSERT_TRUE(mgmt().EnsureOrganization("org").ok());
  // SWR answers 200 with "tags": null here (observed by third-party clients).
  auto tags = client_->registry_client()->ListTags("org/nothing-here");
  ASSERT_TRUE(tags.ok()) << tags.status().ToString();
  EXPECT_TRUE(tags->empty());
}

TEST_F(Fidelity, TagDetailsCarryTheImageSizeAndTheManifest) {
  ASSERT_TRUE(mgmt().EnsureOrganization("org").ok());
  CopyIn("sized", "v1", {"-layers", "2", "-size", "100000"});
  auto m = client_->registry_client()->GetManifest("org/sized", "v1");
  ASSERT_TRUE(m.ok());
  auto parsed = registry::ParseManifest(m->media_type, m->body);
  int64_t image = 0;
  for (const auto& b : parsed->blobs) image += b.size;
  auto tags = mgmt().ListTags("org", "sized");
  ASSERT_TRUE(tags.ok());
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_EQ((*tags)[0].size, image) << "size is config plus layers, not the manifest's length";
  EXPECT_EQ((*tags)[0].manifest, m->body);
}

TEST_F(Fidelity, ATemporaryLoginWorksAndIsNeverTakenForAnSk) {
  ASSERT_TRUE(mgmt().EnsureOrganization("org").ok());
  auto login = mgmt().TemporaryLogin();
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->username, std::string(testing::kTestProject) + "@" + testing::kTestAK);
  EXPECT_FALSE(login->expires_at.empty());
  EXPECT_FALSE(LooksLikeLoginKey(login->password));
  // Given with the marker (as in a Harbor endpoint), it logs in to the registry.
  auto temp = MakeClient(*emu_, "temp:" + login->password);
  ASSERT_NE(temp, nullptr);
  EXPECT_TRUE(temp->credentials().login_key_only());
  EXPECT_TRUE(temp->registry_client()->Ping().ok());
  Push(src_.url(), "src/app", "v1");
  auto src = Plain(src_.url());
  auto r = CopyEngine().Copy(*src, "src/app", "v1", *temp->registry_client(), "org/app", "v1", {});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  // Said so explicitly, the same.
  auto told = MakeClient(*emu_, login->password, 4, SecretKind::kTemporary);
  EXPECT_TRUE(told->registry_client()->HeadManifest("org/app", "v1").ok());
  // Pasted as SWR shows it (hex, no marker), it is told apart from an SK
  // and a long-term key by its form.
  EXPECT_TRUE(LooksLikeTemporaryPassword(login->password)) << login->password.size();
  auto pasted = MakeClient(*emu_, login->password);
  EXPECT_EQ(pasted->credentials().kind, SecretKind::kTemporary);
  EXPECT_TRUE(pasted->registry_client()->HeadManifest("org/app", "v1").ok());
  // Taken for an SK (said so), it would be hashed into a login key that fails.
  auto wrong = MakeClient(*emu_, login->password, 4, SecretKind::kSecretKey);
  EXPECT_EQ(wrong->registry_client()->HeadManifest("org/app", "v1").status().code(), Code::kUnauthenticated);
  // Management through the legacy paths works with it too.
  EXPECT_TRUE(temp->management().ListOrganizations().ok());
}

}  // namespace
}  // namespace swr

namespace swr {
namespace {

// After a 409, SWR's GET of another account's organization may answer its
// cross-account error (401 SVCSTG.SWR.4011064), 403 SVCSTG.SWR.4039001 or
// 404: each means "taken by another account", never "authentication failed".
TEST(FidelityForeignOrganization, EveryAnswerSwrMayGiveIsAConflict) {
  RegistryProcess backend;
  ASSERT_TRUE(backend.ok());
  for (const char* answer : {"401", "403", "404"}) {
    SCOPED_TRACE(answer);
    Emulator emu(Emulator::WithBackend(backend.url(), {"-foreign-org", answer}));
    ASSERT_TRUE(emu.ok());
    ASSERT_EQ(emu.Control("POST", "/_emulator/seed", R"({"orgs":[{"name":"taken","owner":"another-account"}]})").status,
              204);
    auto client = MakeClient(emu);
    ASSERT_TRUE(client);
    Status s = client->management().EnsureOrganization("taken");
    EXPECT_EQ(s.code(), Code::kConflict) << s.ToString();
    EXPECT_NE(s.message().find("taken by another account"), std::string::npos) << s.ToString();
    Status push = client->management().CheckPushable("taken");
    EXPECT_EQ(push.code(), Code::kNotFound) << push.ToString();
  }
}

// An IAM user with read permission (SWR's auth 1) in an organization of its
// account: "ensure organization" says so before any blob is sent, for the
// library, swrctl copy (with and without --no-create-org) and sync.
TEST(FidelityReadOnly, PushingIsRefusedBeforeAnyBlobMoves) {
  RegistryProcess src, backend;
  ASSERT_TRUE(src.ok() && backend.ok());
  char tmpl[] = "/tmp/swr-ro-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string users = dir + "/users.json";
  std::ofstream(users) << R"({"users":[{"project":")" << testing::kTestProject << R"(","ak":")" << testing::kTestAK
                       << R"(","sk":")" << testing::kTestSK << R"(","permissions":{"ro":1,"rw":3}}]})";
  Emulator emu(Emulator::WithBackend(backend.url(), {"-credentials", users}));
  ASSERT_TRUE(emu.ok());
  ASSERT_EQ(emu.Control("POST", "/_emulator/seed", R"({"orgs":[{"name":"ro"},{"name":"rw"}]})").status, 204);
  auto client = MakeClient(emu);
  ASSERT_TRUE(client);
  auto org = client->management().GetOrganization("ro");
  ASSERT_TRUE(org.ok()) << org.status().ToString();
  EXPECT_EQ(org->auth, 1);
  Status s = client->management().EnsureOrganization("ro");
  EXPECT_EQ(s.code(), Code::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find("may only read organization 'ro' (SWR permission 1); pushing needs write (3)"),
            std::string::npos)
      << s.ToString();
  EXPECT_TRUE(client->management().EnsureOrganization("rw").ok());
  EXPECT_EQ(client->management().CheckPushable("ro").code(), Code::kPermissionDenied);
  EXPECT_TRUE(client->management().CheckPushable("rw").ok());

  Push(src.url(), "lib/app", "1");
  ASSERT_EQ(emu.Control("DELETE", "/_emulator/requests").status, 204);
  std::vector<std::string> env = {"PATH=/usr/bin:/bin", std::string("OS_ACCESS_KEY=") + testing::kTestAK,
                                  std::string("OS_SECRET_KEY=") + testing::kTestSK,
                                  std::string("OS_PROJECT_NAME=") + testing::kTestProject};
  for (bool create : {true, false}) {
    std::vector<std::string> argv = {SWRCTL_BIN,
                                     "copy",
                                     "--management-url",
                                     emu.api_url(),
                                     "--src-plain-http",
                                     "--dest-plain-http",
                                     "--dest-swr",
                                     src.host() + "/lib/app:1",
                                     emu.url().substr(7) + "/ro/app:1"};
    if (!create) argv.push_back("--no-create-org");
    std::string out, err;
    EXPECT_EQ(testing::RunCommand(argv, env, &out, &err), 1) << err;
    EXPECT_NE(err.find("may only read organization 'ro'"), std::string::npos) << err;
  }
  for (const auto& [request, count] : emu.RequestLog()) {
    EXPECT_EQ(request.find("/blobs/uploads/"), std::string::npos) << request << " " << count;
    EXPECT_NE(request.rfind("PUT ", 0), 0u) << request;
  }
}

}  // namespace
}  // namespace swr

namespace swr {
namespace {

// SWR locks a user's logins out after repeated failures: a refused login or
// token request is never retried (each try costs one request), and once
// locked out even the right key is refused until the lock ends.
TEST(FidelityLockout, ARefusedLoginIsNeverRetried) {
  RegistryProcess backend;
  ASSERT_TRUE(backend.ok());
  Emulator emu(Emulator::WithBackend(backend.url(), {"-login-lockout", "3"}));
  ASSERT_TRUE(emu.ok());
  const std::string wrong_key(64, 'a');
  auto wrong = MakeClient(emu, wrong_key);
  ASSERT_TRUE(wrong);
  const std::string token = "GET /swr/auth/v2/registry/auth/";
  for (int i = 1; i <= 3; ++i) {
    Status s = wrong->registry_client()->Ping();
    EXPECT_EQ(s.code(), Code::kUnauthenticated) << s.ToString();
    EXPECT_EQ(s.reason(), Reason::kAuth);
    EXPECT_FALSE(s.retryable());
    EXPECT_EQ(emu.RequestCount(token), i) << "a refused login was tried again";
  }
  auto right = MakeClient(emu);
  ASSERT_TRUE(right);
  Status locked = right->registry_client()->Ping();
  EXPECT_EQ(locked.code(), Code::kPermissionDenied) << locked.ToString();
  EXPECT_NE(locked.message().find("Not allow to login"), std::string::npos) << locked.ToString();
  EXPECT_EQ(emu.RequestCount(token), 4);
}

}  // namespace
}  // namespace swr
