// OCI -> Docker conversion loses nothing or refuses; platform filters keep
// the chosen entries with their digests.
#include <gtest/gtest.h>

#include "common/json.h"
#include "registry/reference.h"
#include "replication/manifest_rewrite.h"

namespace swr::replication {
namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');
const std::string kDigestC = "sha256:" + std::string(64, 'c');

registry::Manifest Oci(const std::string& extra = "",
                       const std::string& layer_type = "application/vnd.oci.image.layer.v1.tar+gzip") {
  return ManifestFromBody(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                          R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":10,"digest":")" +
                              kDigestA + R"("},"layers":[{"mediaType":")" + layer_type + R"(","size":20,"digest":")" +
                              kDigestB + R"("}])" + extra + "}",
                          registry::kOciManifest);
}

TEST(ManifestRewrite, AnOciManifestBecomesDockerSchema2WithTheSameBlobs) {
  RewritePolicy p;
  p.oci_to_docker = true;
  auto m = ConvertManifest(Oci(), p);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->media_type, registry::kDockerManifest);
  auto j = Json::Parse(m->body);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->GetString("mediaType"), registry::kDockerManifest);
  EXPECT_EQ(j->Find("config")->GetString("digest"), kDigestA);
  EXPECT_EQ(j->Find("config")->GetString("mediaType"), "application/vnd.docker.container.image.v1+json");
  EXPECT_EQ(j->Find("layers")->At(0).GetString("digest"), kDigestB);
  EXPECT_EQ(j->Find("layers")->At(0).GetString("mediaType"), "application/vnd.docker.image.rootfs.diff.tar.gzip");
  EXPECT_NE(m->digest, Oci().digest);
  RewritePolicy off;
  EXPECT_EQ(ConvertManifest(Oci(), off)->digest, Oci().digest) << "no conversion asked: unchanged";
}

TEST(ManifestRewrite, ALossyConversionIsRefused) {
  RewritePolicy p;
  p.oci_to_docker = true;
  for (const auto& m : {Oci(R"(,"annotations":{"org.opencontainers.image.source":"x"})"),
                        Oci(R"(,"subject":{"mediaType":"x","size":1,"digest":")" + kDigestC + R"("})"),
                        Oci("", "application/vnd.oci.image.layer.v1.tar+zstd")}) {
    auto r = ConvertManifest(m, p);
    EXPECT_EQ(r.status().code(), Code::kUnsupported) << m.body;
    EXPECT_NE(r.status().message().find("without losing"), std::string::npos);
  }
}

TEST(ManifestRewrite, AListFilteredToOnePlatform) {
  auto list = ManifestFromBody(
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[)"
      R"({"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":5,"digest":")" +
          kDigestA +
          R"(","platform":{"architecture":"amd64","os":"linux"}},)"
          R"({"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":6,"digest":")" +
          kDigestB + R"(","platform":{"architecture":"arm64","os":"linux"}}]})",
      registry::kDockerManifestList);
  auto entries = ListEntries(list);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].arch, "arm64");
  RewritePolicy p;
  p.arch = {"arm64"};
  EXPECT_FALSE(PlatformWanted(p, "linux", "amd64"));
  EXPECT_TRUE(PlatformWanted(p, "linux", "arm64"));
  registry::Manifest same;
  same.digest = kDigestB;
  auto out = RewriteList(list, {kDigestB}, {same}, p);
  ASSERT_TRUE(out.ok());
  auto j = Json::Parse(out->body);
  ASSERT_EQ(j->Find("manifests")->Size(), 1u);
  EXPECT_EQ(j->Find("manifests")->At(0).GetString("digest"), kDigestB);
  EXPECT_EQ(RewriteList(list, {}, {}, p).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace swr::replication
