// Image references ("host[:port]/path[:tag|@digest]") and the media types of
// manifests, with the parsing of a manifest into what it refers to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace swr::registry {

inline constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kDockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr const char* kDockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

// Every manifest type we read, for Accept.
std::string AcceptedManifestTypes();

struct ImageReference {
  std::string registry;    // host[:port]
  std::string repository;  // path, e.g. "team/app"
  std::string tag;         // empty when by digest
  std::string digest;      // "sha256:..." when by digest

  // The tag, or the digest when there is no tag.
  std::string Reference() const { return digest.empty() ? tag : digest; }
  std::string ToString() const;
};

// "host[:port]/path[:tag|@digest]"; the host is required; no tag means "latest".
StatusOr<ImageReference> ParseImageReference(std::string_view text);

// "sha256:" + 64 or "sha512:" + 128 lower-case hex digits.
bool IsDigest(std::string_view ref);
// "sha256" or "sha512" of a valid digest.
std::string DigestAlgorithm(std::string_view digest);
// A tag or a digest: what may follow /manifests/ in a URL.
bool IsValidReference(std::string_view ref);
bool IsValidTag(std::string_view tag);
bool IsValidRepository(std::string_view repo);

// 1 PiB: a larger size in a manifest is a lie.
inline constexpr int64_t kMaxDescriptorSize = int64_t(1) << 50;

struct Descriptor {
  std::string media_type;
  std::string digest;
  int64_t size = -1;
  std::string platform;  // "os/arch[/variant]" for list entries
};

struct ManifestContent {
  std::string media_type;
  bool is_list = false;               // manifest list or OCI index
  std::vector<Descriptor> manifests;  // children of a list
  std::vector<Descriptor> blobs;      // config first, then layers
};

// Reads a manifest body. The media type comes from the Content-Type, else
// from the body's "mediaType". Schema 1 is read (its layers only).
StatusOr<ManifestContent> ParseManifest(std::string_view content_type, std::string_view body);

}  // namespace swr::registry
