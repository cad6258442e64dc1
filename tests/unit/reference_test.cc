#include "registry/reference.h"

#include <gtest/gtest.h>

#include "registry/auth.h"

namespace swr::registry {
namespace {

TEST(ImageReference, ParsesHostPathTagAndDigest) {
  auto r = ParseImageReference("swr.eu-de.otc.t-systems.com/org/team/app:1.2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->registry, "swr.eu-de.otc.t-systems.com");
  EXPECT_EQ(r->repository, "org/team/app");
  EXPECT_EQ(r->tag, "1.2");
  r = ParseImageReference("127.0.0.1:5000/app");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->registry, "127.0.0.1:5000");
  EXPECT_EQ(r->tag, "latest");
  std::string d = "sha256:" + std::string(64, 'a');
  r = ParseImageReference("localhost/x/y@" + d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->digest, d);
  EXPECT_EQ(r->Reference(), d);
}

TEST(ImageReference, RejectsWhatRegistriesWouldRefuse) {
  for (const char* bad : {"app:1", "https://h.io/a:1", "h.io/", "h.io/App:1", "h.io/a:-x", "h.io/a@sha256:12",
                          "h.io/a//b:1", "h.io/a/:1"}) {
    SCOPED_TRACE(bad);
    auto r = ParseImageReference(bad);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  }
}

TEST(ParseManifest, ReadsListsAndImages) {
  auto list = ParseManifest(
      "application/vnd.oci.image.index.v1+json",
      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:)" +
          std::string(64, 'b') + R"(","size":5,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]})");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->is_list);
  ASSERT_EQ(list->manifests.size(), 1u);
  EXPECT_EQ(list->manifests[0].platform, "linux/arm64/v8");
  auto image = ParseManifest(
      "application/json",
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"digest":"sha256:)" +
          std::string(64, 'c') + R"(","size":1},"layers":[{"digest":"sha256:)" + std::string(64, 'd') +
          R"(","size":2},{"digest":"sha256:)" + std::string(64, 'e') + R"(","size":3,"urls":["https://foreign"]}]})");
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->media_type, kDockerManifest);
  ASSERT_EQ(image->blobs.size(), 2u) << "foreign layers are not copied";
  EXPECT_FALSE(ParseManifest("", R"({"schemaVersion":2,"layers":[{"digest":"md5:x"}]})").ok());
  EXPECT_FALSE(ParseManifest("", "{truncated").ok());
}

TEST(WwwAuthenticate, ParsesBearerAndBasic) {
  auto c = ParseWwwAuthenticate(
      R"(Bearer realm="https://swr.example/swr/auth/v2/registry/auth/",service="dockyard",scope="repository:a/b:push,pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params["realm"], "https://swr.example/swr/auth/v2/registry/auth/");
  EXPECT_EQ(c[0].params["service"], "dockyard");
  EXPECT_EQ(c[0].params["scope"], "repository:a/b:push,pull");
  c = ParseWwwAuthenticate(R"(Basic realm="registry", charset="UTF-8")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].params["charset"], "UTF-8");
  EXPECT_TRUE(ParseWwwAuthenticate("").empty());
}

}  // namespace
}  // namespace swr::registry
