// swrctl's command line as declared (adapter/cli/options.cc): every command
// run with every option it does not take is a usage error that names the
// commands taking it, and nothing reaches the server; every command that
// changes something has a --dry-run that sends only GET and HEAD and leaves
// the server as it was.
#include <gtest/gtest.h>

#include <fstream>

#include "common/json.h"
#include "options.h"
#include "support/emulator.h"

namespace swr {
namespace {

using testing::Emulator;
using testing::RegistryProcess;
using testing::RunCommand;

struct Result {
  int code;
  std::string out, err;
};

class SwrctlOptions : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(src_.ok() && backend_.ok());
    emu_ = std::make_unique<Emulator>(Emulator::WithBackend(backend_.url()));
    ASSERT_TRUE(emu_->ok());
    ASSERT_EQ(emu_->Control("POST", "/_emulator/seed",
                            R"({"orgs":[{"name":"empty"}],"repos":[{"namespace":"keep","name":"app","tags":["v1"]}]})")
                  .status,
              204);
    std::string out, err;
    ASSERT_EQ(testing::Imagegen(
                  {"push", "-registry", src_.url(), "-repo", "lib/app", "-tag", "1", "-layers", "2", "-size", "100000"},
                  &out, &err),
              0)
        << err;
    std::string dir = emu_->dir();
    auth_ = dir + "/auth.yaml";
    images_ = dir + "/images.yaml";
    std::ofstream(auth_) << src_.host() << ":\n  insecure: true\n" << Swr() << ":\n  insecure: true\n";
    std::ofstream(images_) << src_.host() << "/lib/app:1: " << Swr() << "/newteam/app\n";
  }
  std::string Swr() const { return emu_->url().substr(7); }

  Result Swrctl(std::vector<std::string> args) {
    args.insert(args.begin(), SWRCTL_BIN);
    Result r;
    r.code = RunCommand(
        args,
        {"PATH=/usr/bin:/bin", std::string("OS_ACCESS_KEY=") + testing::kTestAK,
         std::string("OS_SECRET_KEY=") + testing::kTestSK, std::string("OS_PROJECT_NAME=") + testing::kTestProject},
        &r.out, &r.err);
    return r;
  }

  // A command line of `command` that would reach the emulator (or, for the
  // commands that never send anything, succeed) if nothing stopped it.
  std::vector<std::string> Valid(const std::string& command) {
    const std::vector<std::string> manage = {"--registry", emu_->url(), "--management-url", emu_->api_url()};
    auto with = [&](std::vector<std::string> words) {
      words.insert(words.begin(), manage.begin(), manage.end());
      return words;
    };
    if (command == "sign") return {"sign", "--method", "GET", "--url", emu_->api_url() + "/v2/manage/namespaces"};
    if (command == "login-key") return {"login-key"};
    if (command == "org list") return with({"org", "list"});
    if (command == "org get") return with({"org", "get", "keep"});
    if (command == "org create") return with({"org", "create", "fresh"});
    if (command == "org delete") return with({"org", "delete", "empty"});
    if (command == "repo list") return with({"repo", "list", "keep"});
    if (command == "repo delete") return with({"repo", "delete", "keep", "app"});
    if (command == "tag list") return with({"tag", "list", "keep", "app"});
    if (command == "tag delete") return with({"tag", "delete", "keep", "app", "v1"});
    if (command == "copy") {
      return {
          "copy",       "--management-url",         emu_->api_url(),         "--src-plain-http", "--dest-plain-http",
          "--dest-swr", src_.host() + "/lib/app:1", Swr() + "/newteam/app:1"};
    }
    if (command == "sync") {
      return {"sync", "--auth", auth_, "--images", images_, "--swr-host", Swr(), "--management-url", emu_->api_url()};
    }
    if (command == "help") return {"help", "copy"};
    if (command == "completion") return {"completion", "bash"};
    if (command == "man") return {"man"};
    ADD_FAILURE() << "no command line for '" << command << "': add one to this test";
    return {};
  }

  // What the server holds, as the list commands see it.
  std::string State() {
    std::string s;
    for (const auto& cmd : {"org list", "repo list", "tag list"}) {
      auto args = Valid(cmd);
      args.push_back("--json");
      s += Swrctl(args).out;
    }
    return s;
  }

  static void ExpectOnlyReads(const std::map<std::string, int>& log, const std::string& what) {
    for (const auto& [request, count] : log) {
      EXPECT_TRUE(request.rfind("GET ", 0) == 0 || request.rfind("HEAD ", 0) == 0)
          << what << " sent " << request << " (" << count << "x)";
    }
  }

  RegistryProcess src_, backend_;
  std::unique_ptr<Emulator> emu_;
  std::string auth_, images_;
};

TEST_F(SwrctlOptions, EveryOptionOfAnotherCommandIsAUsageErrorAndSendsNothing) {
  ASSERT_EQ(emu_->Control("DELETE", "/_emulator/requests").status, 204);
  int checked = 0;
  for (const auto& command : swrctl::Commands()) {
    for (const auto& option : swrctl::Options()) {
      if (option.For(command.id)) continue;
      SCOPED_TRACE(command.id + " --" + option.name);
      auto args = Valid(command.id);
      args.push_back("--" + option.name);
      if (option.TakesValue()) args.push_back("1");
      Result r = Swrctl(args);
      EXPECT_EQ(r.code, 2) << r.err;
      EXPECT_NE(r.err.find("'" + command.id + "' does not take --" + option.name + ": it is an option of "),
                std::string::npos)
          << r.err;
      EXPECT_NE(r.err.find(option.commands.front()), std::string::npos) << r.err;
      EXPECT_TRUE(r.out.empty()) << r.out;
      ++checked;
    }
  }
  EXPECT_GT(checked, 300);  // every command against the others' options
  EXPECT_TRUE(emu_->RequestLog().empty());
}

TEST_F(SwrctlOptions, ShortFormsAreTheLongOnes) {
  Result r = Swrctl({"copy", "-p", "3", "a/b:1", "c/d:1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("'copy' does not take --proc"), std::string::npos) << r.err;
  r = Swrctl({"org", "-h"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("swrctl org delete NAME"), std::string::npos) << r.out;
  auto args = Valid("org create");
  args.insert(args.end(), {"-q", "-v"});
  r = Swrctl(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--quiet or --verbose, not both"), std::string::npos) << r.err;
  r = Swrctl({"sync", "-qv"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not bundled"), std::string::npos) << r.err;
  r = Swrctl({"org", "list", "--json=yes"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("takes no value"), std::string::npos) << r.err;
}

TEST_F(SwrctlOptions, DryRunsSendOnlyReadsAndChangeNothing) {
  const std::string before = State();
  ASSERT_NE(before.find("\"keep\""), std::string::npos) << before;
  ASSERT_EQ(emu_->Control("DELETE", "/_emulator/requests").status, 204);
  struct Case {
    std::string command;
    std::vector<std::string> extra;  // replaces the positional tail when set
    int code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"org create", {}, 0, "would create organization fresh"},
      {"org create", {"keep"}, 1, "exists already"},
      {"org delete", {}, 0, "would delete organization empty"},
      {"org delete", {"keep"}, 1, "holds 1 repositories"},
      {"repo delete", {}, 0, "would delete repository keep/app with its 1 tags"},
      {"tag delete", {}, 0, "would delete tag keep/app:v1 (sha256:"},
      {"tag delete", {"keep", "app", "v9"}, 1, "has no tag 'v9'"},
      {"copy", {}, 0, "would create organization newteam"},
      {"sync", {}, 0, "blobs to copy"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.command);
    auto args = Valid(c.command);
    if (!c.extra.empty()) {
      args.resize(args.size() - c.extra.size());
      args.insert(args.end(), c.extra.begin(), c.extra.end());
    }
    args.push_back("--dry-run");
    Result r = Swrctl(args);
    EXPECT_EQ(r.code, c.code) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find(c.says), std::string::npos) << r.out << r.err;
    ExpectOnlyReads(emu_->RequestLog(), c.command + " --dry-run");
  }
  // The copy's plan names its blobs, and the sync's too.
  Result copy = Swrctl([&] {
    auto a = Valid("copy");
    a.push_back("--dry-run");
    return a;
  }());
  EXPECT_NE(copy.out.find("3 blobs to copy"), std::string::npos) << copy.out;
  EXPECT_EQ(State(), before);
}

// Without --dry-run the same command lines do change the server (so the
// dry runs above are not vacuous).
TEST_F(SwrctlOptions, TheSameCommandsWithoutDryRunChangeTheServer) {
  const std::string before = State();
  Result r = Swrctl(Valid("tag delete"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("deleted tag keep/app:v1"), std::string::npos) << r.err;
  r = Swrctl(Valid("org delete"));
  EXPECT_EQ(r.code, 0) << r.err;
  auto quiet = Valid("org create");
  quiet.push_back("-q");
  r = Swrctl(quiet);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  r = Swrctl(Valid("copy"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(State(), before);
  EXPECT_GT(emu_->RequestCount("PUT /v2/newteam/app/manifests/1"), 0);
}

TEST_F(SwrctlOptions, ListsPrintTheDocumentedJson) {
  auto args = Valid("tag list");
  args.push_back("--json");
  Result r = Swrctl(args);
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = Json::Parse(r.out);
  ASSERT_TRUE(j.ok() && j->IsArray() && j->Size() == 1) << r.out;
  EXPECT_EQ(j->At(0).GetString("tag"), "v1");
  EXPECT_EQ(j->At(0).GetString("digest").rfind("sha256:", 0), 0u) << r.out;
  args = Valid("repo list");
  args.push_back("--json");
  r = Swrctl(args);
  ASSERT_EQ(r.code, 0) << r.err;
  j = Json::Parse(r.out);
  ASSERT_TRUE(j.ok() && j->IsArray() && j->Size() == 1) << r.out;
  EXPECT_EQ(j->At(0).GetString("organization"), "keep");
  EXPECT_EQ(j->At(0).GetString("name"), "app");
  args = Valid("org get");
  args.push_back("--json");
  r = Swrctl(args);
  ASSERT_EQ(r.code, 0) << r.err;
  j = Json::Parse(r.out);
  ASSERT_TRUE(j.ok() && j->IsObject()) << r.out;
  EXPECT_EQ(j->GetString("name"), "keep");
}

// Names the server sends reach the terminal without control characters
// (a hostile name could move the cursor or recolour the screen).
TEST_F(SwrctlOptions, ListedNamesCarryNoTerminalEscapes) {
  ASSERT_EQ(
      emu_->Control("POST", "/_emulator/seed",
                    "{\"repos\":[{\"namespace\":\"keep\",\"name\":\"evil\\u001b[31mred\",\"tags\":[\"t\\u001b[2J\"]}]}")
          .status,
      204);
  Result repos = Swrctl(Valid("repo list"));
  ASSERT_EQ(repos.code, 0) << repos.err;
  EXPECT_NE(repos.out.find("evil [31mred"), std::string::npos) << repos.out;
  EXPECT_EQ(repos.out.find('\x1b'), std::string::npos);
}

// Help, the manual page and completion come from the same declarations.
TEST_F(SwrctlOptions, HelpManAndCompletionListEveryOptionOfEachCommand) {
  Result man = Swrctl({"man"});
  ASSERT_EQ(man.code, 0) << man.err;
  Result bash = Swrctl({"completion", "bash"});
  ASSERT_EQ(bash.code, 0) << bash.err;
  Result fish = Swrctl({"completion", "fish"});
  ASSERT_EQ(fish.code, 0) << fish.err;
  for (const auto& g : swrctl::Groups()) {
    Result help = Swrctl({"help", g.name});
    ASSERT_EQ(help.code, 0) << help.err;
    for (const auto& o : swrctl::Options()) {
      bool any = false;
      for (const auto& c : swrctl::Commands()) {
        if (c.id.substr(0, c.id.find(' ')) == g.name && o.For(c.id) && !o.commands.empty()) any = true;
      }
      if (!any || swrctl::IsCommonOption(o)) continue;
      SCOPED_TRACE(g.name + " --" + o.name);
      EXPECT_NE(help.out.find("--" + o.name + (o.TakesValue() ? " " : "")), std::string::npos) << help.out;
      EXPECT_NE(bash.out.find("--" + o.name), std::string::npos);
      EXPECT_NE(fish.out.find("-l " + o.name), std::string::npos);
      std::string roff_name;
      for (char ch : o.name) roff_name += ch == '-' ? std::string("\\-") : std::string(1, ch);
      EXPECT_NE(man.out.find("\\-\\-" + roff_name), std::string::npos);
    }
  }
  EXPECT_EQ(Swrctl({"completion", "tcsh"}).code, 2);
}

}  // namespace
}  // namespace swr

namespace swr {
namespace {

// --proxy carries every request: management calls to an address where
// nothing listens reach the emulator's API origin, which serves the
// absolute-URI requests a forward proxy receives.
TEST_F(SwrctlOptions, ProxyCarriesEveryRequest) {
  const std::string nowhere = "http://127.0.0.1:9";
  Result direct = Swrctl({"--registry", nowhere, "--management-url", nowhere, "--timeout", "5", "org", "list"});
  EXPECT_EQ(direct.code, 1) << direct.err;
  Result proxied =
      Swrctl({"--registry", nowhere, "--management-url", nowhere, "--proxy", emu_->api_url(), "org", "list"});
  EXPECT_EQ(proxied.code, 0) << proxied.err;
  EXPECT_NE(proxied.out.find("keep"), std::string::npos) << proxied.out;
  EXPECT_GT(emu_->RequestCount("GET /v2/manage/namespaces"), 0);
}

}  // namespace
}  // namespace swr
