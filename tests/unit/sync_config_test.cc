// image-syncer's files as its users have them: JSON and YAML, auth by
// registry or registry/namespace (longest match), ${ENV} references, images
// with all tags, tag lists, digests and several destinations; and one clear
// error, with file and line, for anything else.
#include <gtest/gtest.h>

#include <map>

#include "sync_config.h"

namespace swrctl {
namespace {

std::optional<std::string> FakeEnv(const std::string& name) {
  static const std::map<std::string, std::string> env = {{"QUAY_PASS", "s3cret"}, {"USER_NAME", "robot"}};
  auto it = env.find(name);
  if (it == env.end()) return std::nullopt;
  return it->second;
}

TEST(SyncConfig, AuthInJsonAndYamlWithEnvAndLongestMatch) {
  const char* json = R"({
    "quay.io": {"username": "xxx", "password": "${QUAY_PASS}", "insecure": true},
    "quay.io/coreos": {"username": "$USER_NAME", "password": "pre-${QUAY_PASS}-post"},
    "swr.eu-de.otc.t-systems.com": {"username": "eu-de@AK", "password": "sk"}
  })";
  const char* yaml = R"(
quay.io:
  username: xxx
  password: ${QUAY_PASS}
  insecure: true
quay.io/coreos:
  username: $USER_NAME
  password: pre-${QUAY_PASS}-post
swr.eu-de.otc.t-systems.com:
  username: eu-de@AK
  password: sk
)";
  for (const char* text : {json, yaml}) {
    SyncConfig c;
    ASSERT_TRUE(ParseAuth(text, "auth", &c, FakeEnv).ok()) << ParseAuth(text, "auth", &c, FakeEnv).message();
    ASSERT_EQ(c.auth.size(), 3u);
    const AuthEntry* a = c.AuthFor("quay.io/coreos/etcd");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->key, "quay.io/coreos");
    EXPECT_EQ(a->username, "robot");
    EXPECT_EQ(a->password, "pre-s3cret-post");
    EXPECT_FALSE(a->insecure);
    a = c.AuthFor("quay.io/other/x");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->key, "quay.io");
    EXPECT_EQ(a->password, "s3cret");
    EXPECT_TRUE(a->insecure);
    EXPECT_EQ(c.AuthFor("quay.iox/a/b"), nullptr) << "a prefix of the host is not a match";
    EXPECT_EQ(c.AuthFor("docker.io/library/nginx"), nullptr);
  }
}

// "$$" is a literal '$' (a password may hold one); a lone '$' stays too.
TEST(SyncConfig, DollarDollarIsALiteralDollar) {
  SyncConfig c;
  ASSERT_TRUE(ParseAuth("r.example:\n  username: u\n  password: pa$$w0rd-${QUAY_PASS}-$\n", "auth", &c, FakeEnv).ok());
  ASSERT_EQ(c.auth.size(), 1u);
  EXPECT_EQ(c.auth[0].password, "pa$w0rd-s3cret-$");
}

TEST(SyncConfig, ImagesEveryForm) {
  SyncConfig c;
  std::string good = R"(
quay.io/coreos/kube-rbac-proxy: swr.eu-de.otc.t-systems.com/mirror/kube-rbac-proxy
quay.io/coreos/etcd:v3.5.0: swr.eu-de.otc.t-systems.com/mirror/etcd:stable
docker.io/library/nginx:1.25,1.26:
  - swr.eu-de.otc.t-systems.com/mirror/nginx
  - swr.eu-nl.otc.t-systems.com/mirror/nginx
"docker.io/library/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": swr.eu-de.otc.t-systems.com/mirror/redis:pinned
)";
  auto s = ParseImages(good, "images.yaml", &c);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(c.images.size(), 4u);
  EXPECT_EQ(c.images[2].destinations.size(), 2u);
  EXPECT_EQ(c.images[2].where, "images.yaml:4");
  SyncConfig j;
  s = ParseImages(
      R"({"localhost:5000/a/b": ["127.0.0.1:5001/c/d", "127.0.0.1:5002/e/f"], "localhost:5000/x/y:1": "127.0.0.1:5001/x/y:2"})",
      "images.json", &j);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(j.images[0].destinations.size(), 2u);
}

TEST(SyncConfig, TheLegacySingleFile) {
  SyncConfig c;
  auto s = ParseLegacy(R"({"auth": {"quay.io": {"username": "u", "password": "p"}},
                           "images": {"quay.io/a/b:1": "localhost:5000/a/b"}})",
                       "config.json", &c, FakeEnv);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(c.auth.size(), 1u);
  EXPECT_EQ(c.images.size(), 1u);
  EXPECT_FALSE(ParseLegacy(R"({"auth": {}})", "config.json", &c, FakeEnv).ok()) << "no images section";
}

// Each mistake: its message names the file, the line and the key.
TEST(SyncConfig, MalformedFilesGiveOneClearError) {
  struct Case {
    const char* text;
    bool auth;
    const char* want;
  } cases[] = {
      {"quay.io:\n  username: u\n  pasword: p\n", true, "auth.yaml:3: unknown key 'quay.io.pasword'"},
      {"quay.io:\n  username: u\n  insecure: yes-please\n", true,
       "auth.yaml:3: key 'quay.io.insecure' must be true or false"},
      {"quay.io:\n  password: ${NOPE}\n", true,
       "auth.yaml:2: key 'quay.io.password': the environment variable NOPE is not set"},
      {"quay.io: [1, 2]\n", true, "auth.yaml:1: 'quay.io' must map to username, password and insecure"},
      {"quay.io:\n  username: u\nquay.io:\n  username: v\n", true, "'quay.io' appears twice"},
      {"{\"quay.io\": {\"username\": \"u\",}\n", true, "auth.yaml:"},
      {"- just\n- a list\n", true, "auth.yaml:1: expected a mapping"},
      {"", true, "auth.yaml: the file is empty"},
      {"nginx: swr.eu-de.otc.t-systems.com/a/nginx\n", false,
       "images.yaml:1: 'nginx' needs a registry and a repository"},
      {"library/nginx:1: swr.eu-de.otc.t-systems.com/a/nginx\n", false, "does not start with a registry host"},
      {"docker.io/library/nginx: swr.eu-de.otc.t-systems.com/a/nginx:1\n", false,
       "destination 'swr.eu-de.otc.t-systems.com/a/nginx:1' names a tag, but source"},
      {"docker.io/library/nginx:1,2: swr.eu-de.otc.t-systems.com/a/nginx:x\n", false, "names a tag, but source"},
      {"docker.io/library/nginx:1,,2: swr.eu-de.otc.t-systems.com/a/nginx\n", false, "an empty tag"},
      {"docker.io/library/nginx:1: \"\"\n", false, "has an empty destination"},
      {"docker.io/library/nginx:1: swr.eu-de.otc.t-systems.com/a/nginx@sha256:00\n", false, "cannot be a digest"},
      {"docker.io/library/nginx:1:\n  - {a: b}\n", false, "images.yaml:2: a destination of"},
      {"docker.io/a/b:1: x.io/c/d\n\ndocker.io/a/b:1: x.io/e/f\n", false,
       "images.yaml:3: source 'docker.io/a/b:1' appears twice"},
  };
  for (const auto& c : cases) {
    SyncConfig cfg;
    auto s = c.auth ? ParseAuth(c.text, "auth.yaml", &cfg, FakeEnv) : ParseImages(c.text, "images.yaml", &cfg);
    EXPECT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.code(), swr::Code::kInvalidArgument);
    EXPECT_NE(s.message().find(c.want), std::string::npos) << "got: " << s.message() << "\nwant: " << c.want;
  }
}

TEST(SyncConfig, SecretsAreNotQuotedInErrors) {
  SyncConfig c;
  auto s = ParseAuth("quay.io:\n  password: hunter2-secret\n  oops: 1\n", "auth.yaml", &c, FakeEnv);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("hunter2-secret"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace swrctl
