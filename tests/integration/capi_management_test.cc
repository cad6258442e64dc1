// The C ABI against the SWR emulator over loopback.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "auth/credentials.h"
#include "support/emulator.h"
#include "swr/client.h"
#include "swr/swr.h"

namespace swr {
namespace {

using testing::Emulator;
using testing::kTestAK;
using testing::kTestProject;
using testing::kTestProjectId;
using testing::kTestSK;

struct ClientPtr {
  swr_client* c = nullptr;
  ~ClientPtr() { swr_client_free(c); }
};

struct ErrPtr {
  swr_error* e = nullptr;
  ~ErrPtr() { swr_error_free(e); }
  swr_error** out() {
    swr_error_free(e);
    e = nullptr;
    return &e;
  }
};

std::string AccessId() {
  return std::string(kTestProject) + "@" + kTestAK;
}

swr_client_options Options(const Emulator& emu, const std::string& access_id, const std::string& secret) {
  swr_client_options o;
  swr_client_options_init(&o, SWR_CLIENT_OPTIONS_VERSION);
  o.registry_url = emu.url().c_str();
  o.management_url = emu.api_url().c_str();
  // The strings live in static storage per call site via thread_local copies.
  static thread_local std::string id, sec;
  id = access_id;
  sec = secret;
  o.access_id = id.c_str();
  o.access_secret = sec.c_str();
  o.connection.max_attempts = 3;
  return o;
}

class CApiManagement : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(emu_.ok()) << "emulator did not start"; }
  Emulator emu_;
};

TEST_F(CApiManagement, CreatesListsGetsAndDeletesOrganizations) {
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  EXPECT_EQ(swr_client_secret_kind(client.c), SWR_SECRET_SK);

  ASSERT_EQ(swr_org_create(client.c, "team-a", nullptr, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_create(client.c, "team-a", nullptr, err.out()), SWR_EEXISTS);
  ASSERT_NE(err.e, nullptr);
  EXPECT_EQ(err.e->http_status, 409);
  EXPECT_STREQ(err.e->swr_code, "SVCSTG.SWR.4090060");
  EXPECT_EQ(swr_org_ensure(client.c, "team-a", nullptr, err.out()), SWR_OK);
  EXPECT_EQ(err.e, nullptr);
  EXPECT_EQ(swr_org_ensure(client.c, "team-b", nullptr, err.out()), SWR_OK);

  swr_organization_list* list = nullptr;
  ASSERT_EQ(swr_org_list(&list, client.c, nullptr, err.out()), SWR_OK);
  ASSERT_EQ(list->count, 2u);
  EXPECT_STREQ(list->items[0].name, "team-a");
  EXPECT_STREQ(list->items[1].name, "team-b");
  EXPECT_EQ(list->items[0].auth, 7);
  swr_organization_list_free(list);

  swr_organization* org = nullptr;
  ASSERT_EQ(swr_org_get(&org, client.c, "team-b", nullptr, err.out()), SWR_OK);
  EXPECT_STREQ(org->name, "team-b");
  EXPECT_STREQ(org->creator_name, kTestProject);
  swr_organization_free(org);

  ASSERT_EQ(swr_org_delete(client.c, "team-a", nullptr, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_delete(client.c, "team-a", nullptr, err.out()), SWR_ENOTFOUND);
  EXPECT_STREQ(err.e->swr_code, "SVCSTG.SWR.4040058");
  EXPECT_EQ(swr_org_get(&org, client.c, "team-a", nullptr, err.out()), SWR_ENOTFOUND);
  EXPECT_EQ(org, nullptr);
}

TEST_F(CApiManagement, OrganizationWithImagesCannotBeDeleted) {
  ASSERT_EQ(
      emu_.Control("POST", "/_emulator/seed", R"({"repos":[{"namespace":"full","name":"app","tags":["v1"]}]})").status,
      204);
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_delete(client.c, "full", nullptr, err.out()), SWR_ECONFLICT);
  EXPECT_STREQ(err.e->swr_code, "SVCSTG.SWR.4060074");
}

TEST_F(CApiManagement, WrongSecretKeyIsAClearAuthErrorWithoutTheSecret) {
  ClientPtr client;
  ErrPtr err;
  const std::string wrong = "wrongSecretKey0123456789abcdefghijklmnop";
  auto opts = Options(emu_, AccessId(), wrong);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  swr_organization_list* list = nullptr;
  ASSERT_EQ(swr_org_list(&list, client.c, nullptr, err.out()), SWR_EAUTH);
  EXPECT_EQ(list, nullptr);
  ASSERT_NE(err.e, nullptr);
  EXPECT_EQ(err.e->http_status, 401);
  EXPECT_STREQ(err.e->swr_code, "APIGW.0301");
  EXPECT_NE(std::string(err.e->message).find("verify aksk signature fail"), std::string::npos) << err.e->message;
  EXPECT_STRNE(err.e->request_id, "");
  EXPECT_EQ(std::string(err.e->message).find(wrong), std::string::npos);
  EXPECT_EQ(std::string(err.e->message).find(LoginKey(kTestAK, wrong)), std::string::npos);
  // The 401 is not retried.
  EXPECT_EQ(emu_.RequestCount("GET /v2/manage/namespaces"), 1);
}

TEST_F(CApiManagement, SkewedClockIsRejectedAsExpiredSignature) {
  // The emulator's clock runs 20 minutes ahead: our signature is 20 minutes old to it.
  ASSERT_EQ(emu_.Control("POST", "/_emulator/clock?offset_seconds=1200").status, 204);
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_create(client.c, "late", nullptr, err.out()), SWR_EAUTH);
  EXPECT_NE(std::string(err.e->message).find("signature expired"), std::string::npos) << err.e->message;
  // 10 minutes is within the 15 minute window.
  ASSERT_EQ(emu_.Control("POST", "/_emulator/clock?offset_seconds=600").status, 204);
  EXPECT_EQ(swr_org_create(client.c, "late", nullptr, err.out()), SWR_OK);
}

TEST_F(CApiManagement, CredentialScopeFormatAndProjectIdAreAccepted) {
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  opts.signature_format = SWR_SIGN_CREDENTIAL;
  opts.region = "eu-de";
  opts.project_id = kTestProjectId;
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_create(client.c, "scoped", nullptr, err.out()), SWR_OK) << (err.e ? err.e->message : "");

  ClientPtr other;
  opts.project_id = "another-project";
  ASSERT_EQ(swr_client_new(&other.c, &opts, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_create(other.c, "scoped2", nullptr, err.out()), SWR_EDENIED);
}

TEST_F(CApiManagement, LoginKeyModeUsesTheLegacyPaths) {
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), LoginKey(kTestAK, kTestSK));
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  EXPECT_EQ(swr_client_secret_kind(client.c), SWR_SECRET_LOGIN_KEY);
  ASSERT_EQ(swr_org_ensure(client.c, "legacy", nullptr, err.out()), SWR_OK) << (err.e ? err.e->message : "");
  swr_organization_list* list = nullptr;
  ASSERT_EQ(swr_org_list(&list, client.c, nullptr, err.out()), SWR_OK);
  ASSERT_EQ(list->count, 1u);
  EXPECT_STREQ(list->items[0].name, "legacy");
  swr_organization_list_free(list);
  EXPECT_EQ(emu_.RequestCount("GET /dockyard/v2/visible/namespaces"), 1);
  EXPECT_EQ(swr_org_delete(client.c, "legacy", nullptr, err.out()), SWR_EUNSUPPORTED);
}

TEST_F(CApiManagement, RetriesServiceUnavailableThenSucceeds) {
  ASSERT_EQ(
      emu_.Control("POST", "/_emulator/fault",
                   R"({"path_prefix":"/v2/manage/namespaces","method":"GET","status":503,"count":2,"retry_after":"0"})")
          .status,
      204);
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  swr_organization_list* list = nullptr;
  ASSERT_EQ(swr_org_list(&list, client.c, nullptr, err.out()), SWR_OK);
  swr_organization_list_free(list);
  EXPECT_EQ(emu_.RequestCount("GET /v2/manage/namespaces"), 3);
  // Past the attempt budget the 503 surfaces.
  ASSERT_EQ(
      emu_.Control("POST", "/_emulator/fault",
                   R"({"path_prefix":"/v2/manage/namespaces","method":"GET","status":503,"count":5,"retry_after":"0"})")
          .status,
      204);
  EXPECT_EQ(swr_org_list(&list, client.c, nullptr, err.out()), SWR_EUNAVAILABLE);
  EXPECT_EQ(err.e->http_status, 503);
}

TEST_F(CApiManagement, EnsureRetriesTheCreatePostButCreateDoesNot) {
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  const char* fault =
      R"({"path_prefix":"/v2/manage/namespaces","method":"POST","status":503,"count":1,"retry_after":"0"})";
  ASSERT_EQ(emu_.Control("POST", "/_emulator/fault", fault).status, 204);
  EXPECT_EQ(swr_org_create(client.c, "once", nullptr, err.out()), SWR_EUNAVAILABLE);
  EXPECT_EQ(emu_.RequestCount("POST /v2/manage/namespaces"), 1);
  ASSERT_EQ(emu_.Control("POST", "/_emulator/fault", fault).status, 204);
  EXPECT_EQ(swr_org_ensure(client.c, "once", nullptr, err.out()), SWR_OK) << (err.e ? err.e->message : "");
  EXPECT_EQ(emu_.RequestCount("POST /v2/manage/namespaces"), 3);
}

TEST_F(CApiManagement, DebugLogsNeverContainSecrets) {
  std::vector<std::string> lines;
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  opts.connection.log_level = SWR_LOG_DEBUG;
  opts.connection.log_payload = &lines;
  opts.connection.log_cb = [](int, const char* msg, void* payload) {
    static_cast<std::vector<std::string>*>(payload)->push_back(msg);
  };
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  ASSERT_EQ(swr_org_ensure(client.c, "logged", nullptr, err.out()), SWR_OK);
  ASSERT_EQ(swr_org_delete(client.c, "logged", nullptr, err.out()), SWR_OK);
  ASSERT_FALSE(lines.empty());
  bool saw_authorization = false;
  for (const auto& l : lines) {
    SCOPED_TRACE(l);
    EXPECT_EQ(l.find(kTestSK), std::string::npos);
    EXPECT_EQ(l.find(LoginKey(kTestAK, kTestSK)), std::string::npos);
    EXPECT_EQ(l.find("Signature="), std::string::npos);
    if (l.find("Authorization: [REDACTED]") != std::string::npos) saw_authorization = true;
  }
  EXPECT_TRUE(saw_authorization) << "the request headers were not logged at debug level";
}

TEST_F(CApiManagement, OneClientServesManyThreadsAtOnce) {
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, AccessId(), kTestSK);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  std::vector<std::thread> threads;
  std::vector<int> results(16, -999);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      std::string name = "par" + std::to_string(i % 4);
      int rc = swr_org_ensure(client.c, name.c_str(), nullptr, nullptr);
      swr_organization_list* list = nullptr;
      if (rc == SWR_OK) rc = swr_org_list(&list, client.c, nullptr, nullptr);
      swr_organization_list_free(list);
      results[i] = rc;
    });
  }
  for (auto& t : threads) t.join();
  for (int rc : results) EXPECT_EQ(rc, SWR_OK);
}

TEST_F(CApiManagement, RejectsBadOptionsWithClearErrors) {
  ClientPtr client;
  ErrPtr err;
  auto opts = Options(emu_, "no-at-sign", kTestSK);
  EXPECT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_EINVALID);
  EXPECT_EQ(client.c, nullptr);
  EXPECT_NE(std::string(err.e->message).find("<project name>@<AK>"), std::string::npos);
  EXPECT_EQ(std::string(err.e->message).find(kTestSK), std::string::npos);
  opts = Options(emu_, AccessId(), kTestSK);
  opts.version = 99;
  EXPECT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_EINVALID);
  EXPECT_EQ(swr_client_new(&client.c, nullptr, err.out()), SWR_EINVALID);
  EXPECT_EQ(swr_client_new(nullptr, &opts, nullptr), SWR_EINVALID);
  opts = Options(emu_, AccessId(), kTestSK);
  opts.registry_url = "ftp://nowhere";
  EXPECT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_EINVALID);
  opts = Options(emu_, AccessId(), kTestSK);
  ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_create(client.c, "Bad_Name", nullptr, err.out()), SWR_EINVALID);
  EXPECT_EQ(swr_org_create(client.c, nullptr, nullptr, err.out()), SWR_EINVALID);
  EXPECT_EQ(emu_.RequestCount("POST /v2/manage/namespaces"), 0) << "invalid names must not reach the server";
}

TEST(CApiManagementNetwork, ConnectionRefusedIsANetworkError) {
  swr_client_options o;
  swr_client_options_init(&o, SWR_CLIENT_OPTIONS_VERSION);
  o.registry_url = "http://127.0.0.1:9";  // discard port: nothing listens
  std::string id = AccessId();
  o.access_id = id.c_str();
  o.access_secret = kTestSK;
  o.connection.max_attempts = 1;
  ClientPtr client;
  ErrPtr err;
  ASSERT_EQ(swr_client_new(&client.c, &o, err.out()), SWR_OK);
  EXPECT_EQ(swr_org_create(client.c, "x", nullptr, err.out()), SWR_ENETWORK);
  EXPECT_EQ(err.e->http_status, 0);
  EXPECT_EQ(err.e->reason, SWR_REASON_REFUSED) << swr_error_reason_string(err.e->reason);
  EXPECT_NE(err.e->retryable, 0);
  EXPECT_STREQ(swr_error_reason_string(SWR_REASON_REFUSED), "refused");
  EXPECT_STREQ(swr_error_reason_string(999), "unknown");
}

TEST(CApiManagementTls, VerifiesCertificatesUnlessToldOtherwise) {
  char tmpl[] = "/tmp/swr-tls-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string ca_file = dir + "/ca.pem";
  Emulator emu({"-tls-ca-out", ca_file});
  ASSERT_TRUE(emu.ok());
  ASSERT_EQ(emu.url().rfind("https://", 0), 0u);
  std::ifstream in(ca_file);
  std::stringstream pem;
  pem << in.rdbuf();
  ASSERT_FALSE(pem.str().empty());

  ErrPtr err;
  {
    ClientPtr client;
    auto opts = Options(emu, AccessId(), kTestSK);
    opts.connection.max_attempts = 1;
    ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
    EXPECT_EQ(swr_org_create(client.c, "tls-a", nullptr, err.out()), SWR_ENETWORK) << "an unknown CA must be refused";
    EXPECT_EQ(err.e->reason, SWR_REASON_TLS) << err.e->message;
    EXPECT_EQ(err.e->retryable, 0) << "a certificate problem does not go away by trying again";
    EXPECT_NE(std::string(err.e->message).find("CA bundle"), std::string::npos) << err.e->message;
  }
  {
    ClientPtr client;
    auto opts = Options(emu, AccessId(), kTestSK);
    std::string ca = pem.str();
    opts.connection.ca_pem = ca.c_str();
    ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
    EXPECT_EQ(swr_org_create(client.c, "tls-b", nullptr, err.out()), SWR_OK) << (err.e ? err.e->message : "");
  }
  {
    ClientPtr client;
    auto opts = Options(emu, AccessId(), kTestSK);
    opts.connection.insecure = 1;
    ASSERT_EQ(swr_client_new(&client.c, &opts, err.out()), SWR_OK);
    EXPECT_EQ(swr_org_create(client.c, "tls-c", nullptr, err.out()), SWR_OK) << (err.e ? err.e->message : "");
  }
  std::remove(ca_file.c_str());
  rmdir(dir.c_str());
}

// Paging over the real transport, through the C++ client (the C ABI has no
// repository listing yet).
TEST_F(CApiManagement, ListsRepositoriesAndTagsAcrossPages) {
  std::string seed = R"({"repos":[)";
  for (int i = 0; i < 250; ++i) {
    if (i) seed += ",";
    seed += R"({"namespace":"bulk","name":"team/app)" + std::to_string(i) + R"(","tags":["v1"]})";
  }
  seed += R"(,{"namespace":"bulk","name":"many/tags","tags":[)";
  for (int i = 0; i < 130; ++i) seed += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
  seed += "]}]}";
  ASSERT_EQ(emu_.Control("POST", "/_emulator/seed", seed).status, 204);
  ClientConfig cfg;
  cfg.registry_url = emu_.url();
  cfg.management_url = emu_.api_url();
  cfg.access_id = AccessId();
  cfg.access_secret = kTestSK;
  auto client = Client::Create(cfg);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto repos = (*client)->management().ListRepositories("bulk");
  ASSERT_TRUE(repos.ok()) << repos.status().ToString();
  EXPECT_EQ(repos->size(), 251u);
  EXPECT_EQ(emu_.RequestCount("GET /v2/manage/repos"), 3);
  auto tags = (*client)->management().ListTags("bulk", "many/tags");
  ASSERT_TRUE(tags.ok()) << tags.status().ToString();
  EXPECT_EQ(tags->size(), 130u);
  EXPECT_EQ(emu_.RequestCount("GET /v2/manage/namespaces/bulk/repos/many$tags/tags"), 2);
}

}  // namespace
}  // namespace swr
