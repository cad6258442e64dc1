// swrctl's parser and command resolution, from the declarations.
#include <gtest/gtest.h>

#include <set>

#include "args.h"
#include "commands.h"
#include "options.h"

namespace swrctl {
namespace {

bool Parse(std::vector<std::string> words, Args* args) {
  std::vector<char*> argv = {const_cast<char*>("swrctl")};
  for (auto& w : words) argv.push_back(w.data());
  return args->Parse(static_cast<int>(argv.size()), argv.data(), 1);
}

TEST(Args, LongShortInlineAndPositional) {
  Args a;
  ASSERT_TRUE(
      Parse({"sync", "-p", "3", "--retries=4", "-r5", "--os", "linux", "--os=windows", "--", "--not-an-option"}, &a))
      << a.error();
  EXPECT_EQ(a.Get("proc"), "3");
  EXPECT_EQ(a.Get("retries"), "5");  // the last wins
  EXPECT_EQ(a.GetAll("os"), (std::vector<std::string>{"linux", "windows"}));
  EXPECT_EQ(a.positional(), (std::vector<std::string>{"sync", "--not-an-option"}));
  EXPECT_EQ(a.given(), (std::vector<std::string>{"proc", "retries", "os"}));
}

TEST(Args, ErrorsSayWhatIsWrong) {
  Args a;
  EXPECT_FALSE(Parse({"--nope"}, &a));
  EXPECT_EQ(a.error(), "unknown option '--nope'");
  Args b;
  EXPECT_FALSE(Parse({"--timeout"}, &b));
  EXPECT_EQ(b.error(), "option '--timeout' needs a value (SECONDS)");
  Args c;
  EXPECT_FALSE(Parse({"--json=1"}, &c));
  EXPECT_EQ(c.error(), "option '--json' takes no value");
  Args d;
  EXPECT_FALSE(Parse({"-z"}, &d));
  Args e;
  ASSERT_TRUE(Parse({"copy", "-", "x"}, &e));  // "-" is stdin, a positional
  EXPECT_EQ(e.positional().size(), 3u);
}

TEST(Commands, ResolvedFromTheLeadingWords) {
  std::string error;
  EXPECT_EQ(ResolveCommand({"org", "delete", "x"}, &error), "org delete");
  EXPECT_EQ(ResolveCommand({"copy", "a", "b"}, &error), "copy");
  EXPECT_EQ(ResolveCommand({"org"}, &error), "");
  EXPECT_EQ(error, "org needs a subcommand: list, get, create, delete");
  EXPECT_EQ(ResolveCommand({"org", "rename"}, &error), "");
  EXPECT_EQ(ResolveCommand({"frobnicate"}, &error), "");
  EXPECT_EQ(error, "unknown command 'frobnicate'");
}

TEST(Commands, AStrayOptionNamesTheCommandsTakingIt) {
  EXPECT_EQ(CheckOptionsFor("org list", {"json", "registry"}), "");
  EXPECT_EQ(CheckOptionsFor("org delete", {"dry-run", "json"}),
            "'org delete' does not take --json: it is an option of org list, org get, repo list, tag list");
}

// The declarations hold together: every option names commands that exist,
// short forms are unique, and what changes something takes --dry-run.
TEST(Commands, DeclarationsAreConsistent) {
  std::set<std::string> names;
  std::set<char> shorts;
  for (const auto& o : Options()) {
    EXPECT_TRUE(names.insert(o.name).second) << o.name << " declared twice";
    if (o.short_name) {
      EXPECT_TRUE(shorts.insert(o.short_name).second) << o.short_name;
    }
    for (const auto& c : o.commands) EXPECT_NE(FindCommand(c), nullptr) << o.name << ": " << c;
    EXPECT_FALSE(o.help.empty()) << o.name;
  }
  for (const auto& c : Commands()) {
    EXPECT_EQ(FindOption("dry-run")->For(c.id), c.changes) << c.id;
    EXPECT_NE(FindGroup(c.id.substr(0, c.id.find(' '))), nullptr) << c.id;
  }
}

}  // namespace
}  // namespace swrctl

namespace swrctl {
namespace {

// The docker login line swrctl prints (login-key --docker, --temporary
// --docker) holds server-given text: only plain names pass, quoted.
TEST(DockerLoginLine, HostileNamesAreRefusedAndPlainOnesQuoted) {
  auto ok = DockerLoginLine("swrctl login-key", "eu-de@AK0123", "swr.eu-de.otc.t-systems.com");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok,
            "swrctl login-key | docker login --username 'eu-de@AK0123' --password-stdin 'swr.eu-de.otc.t-systems.com'");
  for (const auto& [user, host] :
       std::vector<std::pair<std::string, std::string>>{{"eu-de@AK; rm -rf ~", "swr.example"},
                                                        {"eu-de@AK$(id)", "swr.example"},
                                                        {"eu-de@AK", "swr.example`id`"},
                                                        {"eu-de@AK", "swr.example\nid"},
                                                        {"eu-de@AK'", "swr.example"},
                                                        {"", "swr.example"}}) {
    EXPECT_FALSE(DockerLoginLine("swrctl login-key --temporary", user, host).ok()) << user << " " << host;
  }
}

}  // namespace
}  // namespace swrctl
