// swrctl as a user runs it: a separate process, environment credentials,
// exit codes, stdout and stderr.
#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "common/base64.h"
#include "common/json.h"
#include "support/emulator.h"
#include "support/vectors.h"

namespace swr {
namespace {

using testing::Emulator;
using testing::RegistryProcess;
using testing::RunCommand;

struct Result {
  int code;
  std::string out, err;
};

Result Swrctl(std::vector<std::string> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), SWRCTL_BIN);
  env.push_back("PATH=/usr/bin:/bin");
  Result r;
  r.code = RunCommand(args, env, &r.out, &r.err);
  return r;
}

std::vector<std::string> Creds(const std::string& sk = testing::kTestSK) {
  return {std::string("OS_ACCESS_KEY=") + testing::kTestAK, "OS_SECRET_KEY=" + sk,
          std::string("OS_PROJECT_NAME=") + testing::kTestProject};
}

void ExpectNoSecrets(const Result& r, const std::string& sk) {
  for (const std::string* s : {&r.out, &r.err}) {
    EXPECT_EQ(s->find(sk), std::string::npos) << *s;
    EXPECT_EQ(s->find(LoginKey(testing::kTestAK, sk)), std::string::npos) << *s;
  }
}

TEST(SwrctlSign, PrintsThePublishedAuthorizationForEachVector) {
  for (const auto& v : testing::LoadSigningVectors()) {
    SCOPED_TRACE(v.id);
    std::vector<std::string> args = {"sign", "--method", v.method, "--url", v.url, "--format", v.format};
    std::string signed_list;
    for (const auto& [k, val] : v.headers) {
      if (k == "X-Sdk-Date") {
        args.insert(args.end(), {"--date", val});
      } else {
        args.insert(args.end(), {"--header", k + ": " + val});
      }
    }
    for (const auto& h : v.signed_headers) signed_list += (signed_list.empty() ? "" : ";") + h;
    args.insert(args.end(), {"--signed-headers", signed_list});
    if (!v.region.empty()) args.insert(args.end(), {"--region", v.region});
    if (!v.service.empty()) args.insert(args.end(), {"--service", v.service});
    std::string body_file;
    if (!v.body.empty()) {
      body_file = "/tmp/swrctl-body-" + v.id;
      FILE* f = fopen(body_file.c_str(), "wb");
      ASSERT_NE(f, nullptr);
      fwrite(v.body.data(), 1, v.body.size(), f);
      fclose(f);
      args.insert(args.end(), {"--data-file", body_file});
    }
    Result r = Swrctl(args, {"OS_ACCESS_KEY=" + v.ak, "OS_SECRET_KEY=" + v.sk});
    if (!body_file.empty()) std::remove(body_file.c_str());
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, v.authorization + "\n");
    ExpectNoSecrets(r, v.sk);
  }
}

TEST(SwrctlSign, VerboseShowsCanonicalRequestOnStderr) {
  Result r =
      Swrctl({"sign", "--method", "GET", "--url", "https://h.example/a?b=1", "--date", "20240101T000000Z", "--verbose"},
             Creds());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("GET\n/a/\nb=1\nhost:h.example\nx-sdk-date:20240101T000000Z\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SDK-HMAC-SHA256\n20240101T000000Z\n"), std::string::npos);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
}

TEST(SwrctlUsage, BadInvocationsExitWithTwo) {
  EXPECT_EQ(Swrctl({}).code, 2);
  EXPECT_EQ(Swrctl({"frobnicate"}).code, 2);
  EXPECT_EQ(Swrctl({"sign", "--method", "GET"}, Creds()).code, 2);
  EXPECT_EQ(Swrctl({"sign", "--method", "GET", "--url", "https://h/"}).code, 2) << "no credentials";
  EXPECT_EQ(Swrctl({"sign", "--method", "GET", "--url", "https://h/", "--format", "nope"}, Creds()).code, 2);
  EXPECT_EQ(Swrctl({"sign", "--method", "GET", "--url", "https://h/", "--header", "novalue"}, Creds()).code, 2);
  EXPECT_EQ(Swrctl({"org", "list"}, Creds()).code, 2) << "no registry";
  EXPECT_EQ(Swrctl({"--registry", "http://127.0.0.1:1", "org", "create"}, Creds()).code, 2);
  EXPECT_EQ(Swrctl({"--bogus"}).code, 2);
  Result help = Swrctl({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos);
}

TEST(SwrctlLoginKey, PrintsKeyAndDockerCommand) {
  Result r = Swrctl({"login-key"},
                    {"OS_ACCESS_KEY=QTWAOYTTINDUT2QVKYUC", "OS_SECRET_KEY=MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "89aca1198a970e4360203d71cdaa80cfc13ecd55ee84409719e88162d139ef34\n");
  r = Swrctl({"login-key", "--docker", "--registry", "https://swr.eu-de.otc.t-systems.com"},
             {"OS_ACCESS_KEY=QTWAOYTTINDUT2QVKYUC", "OS_SECRET_KEY=MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
              "OS_PROJECT_NAME=eu-de"});
  EXPECT_EQ(r.code, 0) << r.err;
  // The key never goes onto a command line: docker reads it from a pipe.
  EXPECT_EQ(r.out,
            "swrctl login-key | docker login --username 'eu-de@QTWAOYTTINDUT2QVKYUC' --password-stdin "
            "'swr.eu-de.otc.t-systems.com'\n");
  EXPECT_EQ(r.out.find("89aca119"), std::string::npos);
  EXPECT_EQ(Swrctl({"login-key", "--docker"}, {"OS_ACCESS_KEY=A", "OS_SECRET_KEY=B"}).code, 2);
}

class SwrctlOrg : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(emu_.ok()); }
  Result Org(std::vector<std::string> args, const std::string& sk = testing::kTestSK) {
    args.insert(args.begin(), {"--registry", emu_.url(), "--management-url", emu_.api_url()});
    return Swrctl(args, Creds(sk));
  }
  Emulator emu_;
};

TEST_F(SwrctlOrg, CreatesListsAndDeletes) {
  Result r = Org({"org", "create", "demo"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("created organization demo"), std::string::npos);
  ASSERT_EQ(Org({"org", "create", "other"}).code, 0);
  r = Org({"org", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "demo\nother\n");
  r = Org({"org", "list", "--json"});
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find(R"("name":"demo")"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.front(), '[');
  r = Org({"org", "create", "demo"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  ASSERT_EQ(Org({"org", "delete", "demo"}).code, 0);
  r = Org({"org", "delete", "demo"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  EXPECT_EQ(Org({"org", "list"}).out, "other\n");
}

TEST_F(SwrctlOrg, WrongSecretKeyFailsWithTheGatewayMessageAndNoSecret) {
  const std::string wrong = "thisIsNotTheRightSecretKey0123456789abcd";
  Result r = Org({"org", "list", "--verbose"}, wrong);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("authentication failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("APIGW.0301"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
  ExpectNoSecrets(r, wrong);
}

TEST_F(SwrctlOrg, InvalidNameIsAUsageError) {
  Result r = Org({"org", "create", "Not_Valid"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("invalid organization name"), std::string::npos) << r.err;
}

TEST_F(SwrctlOrg, ListsAndDeletesRepositoriesAndTags) {
  ASSERT_EQ(
      emu_.Control(
              "POST", "/_emulator/seed",
              R"({"repos":[{"namespace":"shop","name":"web","tags":["1","2"]},{"namespace":"shop","name":"db","tags":["9"]}]})")
          .status,
      204);
  Result r = Org({"repo", "list", "shop"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "shop/db\nshop/web\n");
  r = Org({"tag", "list", "shop", "web"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 2), "1\t");
  EXPECT_EQ(Org({"tag", "delete", "shop", "web", "1"}).code, 0);
  r = Org({"tag", "list", "shop", "web"});
  EXPECT_EQ(r.out.substr(0, 2), "2\t") << r.out;
  EXPECT_EQ(Org({"org", "delete", "shop"}).code, 1) << "not empty yet";
  EXPECT_EQ(Org({"repo", "delete", "shop", "web"}).code, 0);
  EXPECT_EQ(Org({"repo", "delete", "shop", "db"}).code, 0);
  EXPECT_EQ(Org({"org", "delete", "shop"}).code, 0);
  EXPECT_EQ(Org({"tag", "delete", "shop", "web"}).code, 2);
}

TEST_F(SwrctlOrg, TemporaryLoginIsPrintedAndUsableWithItsKind) {
  Result r = Org({"login-key", "--temporary"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string pass = r.out.substr(0, r.out.find('\n'));
  ASSERT_FALSE(pass.empty());
  EXPECT_NE(r.err.find("valid until"), std::string::npos);
  r = Org({"login-key", "--temporary", "--docker"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find(pass), std::string::npos) << "the password stays off command lines";
  EXPECT_NE(r.out.find("--password-stdin"), std::string::npos) << r.out;
  // The temporary password as the secret: said so, it works (legacy paths, registry host).
  std::vector<std::string> env = {std::string("OS_ACCESS_KEY=") + testing::kTestAK, "OS_SECRET_KEY=" + pass,
                                  std::string("OS_PROJECT_NAME=") + testing::kTestProject};
  Result ok = Swrctl({"--registry", emu_.url(), "--secret-kind", "temporary", "org", "list"}, env);
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.err.find(pass), std::string::npos);
  // Pasted as SWR shows it (hex), it is recognised without being said so.
  Result pasted = Swrctl({"--registry", emu_.url(), "org", "list"}, env);
  EXPECT_EQ(pasted.code, 0) << pasted.err;
  // Taken for an SK (--secret-kind sk) it fails (and the secret is not shown).
  Result bad =
      Swrctl({"--registry", emu_.url(), "--management-url", emu_.api_url(), "--secret-kind", "sk", "org", "list"}, env);
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err.find(pass), std::string::npos) << bad.err;
}

class SwrctlCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(src_.ok() && backend_.ok());
    emu_ = std::make_unique<Emulator>(Emulator::WithBackend(backend_.url()));
    ASSERT_TRUE(emu_->ok());
    std::string out, err;
    ASSERT_EQ(testing::Imagegen({"push", "-registry", src_.url(), "-repo", "lib/app", "-tag", "1.0", "-size", "300000"},
                                &out, &err),
              0)
        << err;
    auto j = Json::Parse(out);
    ASSERT_TRUE(j.ok());
    digest_ = j->GetString("digest");
  }
  std::string Swr() const { return emu_->url().substr(7); }  // host:port
  RegistryProcess src_, backend_;
  std::unique_ptr<Emulator> emu_;
  std::string digest_;
};

TEST_F(SwrctlCopy, CopiesIntoSwrCreatingTheOrganizationAndPrintsTheDigest) {
  Result r = Swrctl({"copy", "--management-url", emu_->api_url(), "--src-plain-http", "--dest-plain-http", "--dest-swr",
                     src_.host() + "/lib/app:1.0", Swr() + "/neworg/app:1.0"},
                    Creds());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, digest_ + "\n");
  EXPECT_NE(r.err.find("copied"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 blobs copied"), std::string::npos) << r.err;
  ExpectNoSecrets(r, testing::kTestSK);
  std::string out, err;
  EXPECT_EQ(
      testing::Imagegen({"verify", "-src", src_.url() + "/lib/app:1.0", "-dst", backend_.url() + "/neworg/app:1.0"},
                        &out, &err),
      0)
      << err;

  r = Swrctl({"copy", "--quiet", "--management-url", emu_->api_url(), "--src-plain-http", "--dest-plain-http",
              "--dest-swr", src_.host() + "/lib/app:1.0", Swr() + "/neworg/app:1.0"},
             Creds());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, digest_ + "\n");
  EXPECT_EQ(r.err, "") << "--quiet prints nothing but the digest";
}

TEST_F(SwrctlCopy, RefusesAMissingOrganizationWhenToldNotToCreateIt) {
  Result r = Swrctl({"copy", "--no-create-org", "--management-url", emu_->api_url(), "--src-plain-http",
                     "--dest-plain-http", "--dest-swr", src_.host() + "/lib/app:1.0", Swr() + "/absent/app:1.0"},
                    Creds());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("the organization 'absent' does not exist in SWR"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("create it with 'swrctl org create absent'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("authentication failed"), std::string::npos) << r.err;
}

TEST_F(SwrctlCopy, AFailedCopyCreatesNoOrganization) {
  Result r = Swrctl({"copy", "--management-url", emu_->api_url(), "--src-plain-http", "--dest-plain-http", "--dest-swr",
                     src_.host() + "/lib/nothing:1.0", Swr() + "/ghost/app:1.0"},
                    Creds());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  Result get = Swrctl({"--registry", emu_->url(), "--management-url", emu_->api_url(), "org", "get", "ghost"}, Creds());
  EXPECT_EQ(get.code, 1) << "the failed copy created the organization: " << get.out;
}

TEST_F(SwrctlCopy, ATlsFailureNamesTheFlagsOfTheSideThatFailed) {
  testing::HostileRegistry tls("u", "p", true);
  ASSERT_TRUE(tls.ok());
  Result r = Swrctl({"copy", "--dest-plain-http", tls.host() + "/team/app:1", src_.host() + "/lib/x:1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--ca-file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--src-insecure"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--src-plain-http"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("--dest-insecure"), std::string::npos) << r.err;
}

TEST(SwrctlHelp, EachCommandHasItsOwnHelp) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"help", "copy"}, std::vector<std::string>{"copy", "--help"}}) {
    Result r = Swrctl(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("swrctl copy:", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("--src-plain-http"), std::string::npos);
    EXPECT_EQ(r.out.find("swrctl sign --method"), std::string::npos) << "not the global help";
  }
  for (const char* cmd : {"sign", "login-key", "org", "repo", "tag"}) {
    Result r = Swrctl({"help", cmd});
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_EQ(r.out.rfind(std::string("swrctl ") + cmd + ":", 0), 0u) << r.out;
  }
  Result global = Swrctl({"help"});
  EXPECT_EQ(global.code, 0);
  EXPECT_NE(global.out.find("swrctl help COMMAND"), std::string::npos);
  Result unknown = Swrctl({"help", "nope"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("no help for 'nope'"), std::string::npos);
}

TEST_F(SwrctlCopy, UsesDockerConfigCredentialsForOtherRegistries) {
  // The emulator's registry side, addressed as a plain registry with basic
  // credentials from a docker config: the same path as any other registry.
  std::string dir = emu_->dir() + "/docker";
  ASSERT_EQ(system(("mkdir -p '" + dir + "'").c_str()), 0);
  std::string user = std::string(testing::kTestProject) + "@" + testing::kTestAK;
  std::string auth = Base64Encode(user + ":" + LoginKey(testing::kTestAK, testing::kTestSK));
  FILE* f = fopen((dir + "/config.json").c_str(), "w");
  ASSERT_NE(f, nullptr);
  fprintf(f, R"({"auths":{"%s":{"auth":"%s"}}})", Swr().c_str(), auth.c_str());
  fclose(f);
  emu_->Control("POST", "/_emulator/seed", R"({"repos":[{"namespace":"viaconfig","name":"x","tags":[]}]})");
  Result r = Swrctl(
      {"copy", "--src-plain-http", "--dest-plain-http", src_.host() + "/lib/app:1.0", Swr() + "/viaconfig/app:1.0"},
      {"DOCKER_CONFIG=" + dir});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, digest_ + "\n");
  // Without credentials the registry refuses.
  r = Swrctl(
      {"copy", "--src-plain-http", "--dest-plain-http", src_.host() + "/lib/app:1.0", Swr() + "/viaconfig/other:1.0"},
      {"DOCKER_CONFIG=/nonexistent"});
  EXPECT_EQ(r.code, 1);
}

TEST_F(SwrctlCopy, BadReferencesAndMissingImagesFailClearly) {
  EXPECT_EQ(Swrctl({"copy", "app:1", src_.host() + "/x:1"}).code, 2);
  EXPECT_EQ(Swrctl({"copy", "--src-plain-http", src_.host() + "/lib/app:1.0"}).code, 2);
  EXPECT_EQ(Swrctl({"copy", "--src-plain-http", src_.host() + "/lib/app:1.0",
                    src_.host() + "/x@sha256:" + std::string(64, 'a')})
                .code,
            2);
  EXPECT_EQ(Swrctl({"copy", "--dest-swr", src_.host() + "/lib/app:1.0", Swr() + "/o/x:1"}).code, 2)
      << "SWR needs the OS_* credentials";
  Result r = Swrctl(
      {"copy", "--src-plain-http", "--dest-plain-http", src_.host() + "/lib/nothing:1.0", src_.host() + "/lib/copy:1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace swr
