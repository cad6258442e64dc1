#include "registry/reference.h"

#include <cctype>

#include "common/json.h"
#include "common/url.h"

namespace swr::registry {

std::string AcceptedManifestTypes() {
  return std::string(kDockerManifest) + ", " + kDockerManifestList + ", " + kOciManifest + ", " + kOciIndex + ", " +
         kDockerSchema1Signed + ", " + kDockerSchema1;
}

bool IsDigest(std::string_view ref) {
  size_t hex = 0;
  if (ref.substr(0, 7) == "sha256:") {
    hex = 64;
  } else if (ref.substr(0, 7) == "sha512:") {
    hex = 128;
  } else {
    return false;
  }
  if (ref.size() != 7 + hex) return false;
  for (char c : ref.substr(7)) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string DigestAlgorithm(std::string_view digest) {
  return std::string(digest.substr(0, digest.find(':')));
}

bool IsValidReference(std::string_view ref) {
  return IsDigest(ref) || IsValidTag(ref);
}

bool IsValidTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) return false;
  if (!(std::isalnum(static_cast<unsigned char>(tag[0])) || tag[0] == '_')) return false;
  for (char c : tag) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
  }
  return true;
}

bool IsValidRepository(std::string_view repo) {
  if (repo.empty() || repo.size() > 255 || repo.front() == '/' || repo.back() == '/') return false;
  char prev = '/';
  for (char c : repo) {
    bool alnum = std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
    bool sep = c == '.' || c == '_' || c == '-' || c == '/';
    if (!alnum && !sep) return false;
    // Components start and end with a letter or digit.
    if (prev == '/' && !alnum) return false;
    if (c == '/' && !(std::islower(static_cast<unsigned char>(prev)) || std::isdigit(static_cast<unsigned char>(prev))))
      return false;
    prev = c;
  }
  return true;
}

std::string ImageReference::ToString() const {
  std::string out = registry + "/" + repository;
  if (!digest.empty()) return out + "@" + digest;
  return out + ":" + tag;
}

StatusOr<ImageReference> ParseImageReference(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status(Code::kInvalidArgument, "invalid image reference '" + std::string(text) + "': " + why);
  };
  std::string_view rest = text;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (rest.substr(0, scheme.size()) == scheme) return bad("give host[:port]/path[:tag|@digest] without a scheme");
  }
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0)
    return bad("it needs a registry host, e.g. swr.eu-de.otc.t-systems.com/org/app:tag");
  ImageReference ref;
  ref.registry = ToLower(rest.substr(0, slash));
  if (ref.registry.find_first_of(".:") == std::string::npos && ref.registry != "localhost") {
    return bad("'" + ref.registry + "' does not look like a registry host (no '.' or ':')");
  }
  // host[:port] and nothing else: no user info, a closed IPv6 bracket, a real port.
  for (char c : ref.registry) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return bad("the registry host '" + ref.registry + "' has a character a host name cannot have");
  }
  if (auto u = ParseUrl("https://" + ref.registry); !u.ok()) {
    return bad("the registry host '" + ref.registry + "' is not host[:port]: " + u.status().message());
  }
  rest.remove_prefix(slash + 1);
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!IsDigest(ref.digest))
      return bad("the digest must be sha256: and 64, or sha512: and 128, lower-case hex digits");
  }
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find('/', colon) == std::string_view::npos) {
    ref.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!IsValidTag(ref.tag)) return bad("invalid tag '" + ref.tag + "'");
  }
  ref.repository = std::string(rest);
  if (!IsValidRepository(ref.repository)) {
    return bad("the repository path must be lower-case letters, digits and separators (. _ - /)");
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

namespace {

Descriptor DescriptorFrom(const Json& j) {
  Descriptor d;
  d.media_type = j.GetString("mediaType");
  d.digest = j.GetString("digest");
  d.size = j.GetInt("size", -1);
  // Sizes are added up for progress: keep them far from overflowing.
  if (d.size < -1 || d.size > kMaxDescriptorSize) d.size = -2;
  if (auto p = j.Find("platform"); p && p->IsObject()) {
    d.platform = p->GetString("os") + "/" + p->GetString("architecture");
    std::string variant = p->GetString("variant");
    if (!variant.empty()) d.platform += "/" + variant;
  }
  return d;
}

}  // namespace

StatusOr<ManifestContent> ParseManifest(std::string_view content_type, std::string_view body) {
  auto json = Json::Parse(body);
  if (!json.ok()) return Status(Code::kProtocol, "manifest: " + json.status().message());
  if (!json->IsObject()) return Status(Code::kProtocol, "manifest: not a JSON object");
  ManifestContent m;
  std::string ct = Trim(content_type.substr(0, content_type.find(';')));
  bool generic = ct.empty() || ct == "application/json" || ct == "text/plain" || ct == "application/octet-stream";
  m.media_type = generic ? json->GetString("mediaType") : ct;
  int64_t schema = json->GetInt("schemaVersion", 0);
  if (schema == 1) {
    if (m.media_type.empty()) m.media_type = kDockerSchema1Signed;
    if (auto layers = json->Find("fsLayers"); layers && layers->IsArray()) {
      for (size_t i = 0; i < layers->Size(); ++i) {
        Descriptor d;
        d.digest = layers->At(i).GetString("blobSum");
        if (!IsDigest(d.digest)) return Status(Code::kProtocol, "manifest: bad blobSum");
        m.blobs.push_back(d);
      }
    }
    return m;
  }
  if (auto list = json->Find("manifests"); list && list->IsArray()) {
    m.is_list = true;
    if (m.media_type.empty()) m.media_type = kOciIndex;
    for (size_t i = 0; i < list->Size(); ++i) {
      Descriptor d = DescriptorFrom(list->At(i));
      if (!IsDigest(d.digest)) return Status(Code::kProtocol, "manifest list: an entry has no valid digest");
      if (d.size == -2) return Status(Code::kProtocol, "manifest list: an entry has an impossible size");
      if (d.size == -1)
        return Status(Code::kProtocol,
                      "manifest list: an entry has no size (the OCI and Docker specs require one; without it a "
                      "download could never end)");
      m.manifests.push_back(d);
    }
    return m;
  }
  if (m.media_type.empty()) m.media_type = kOciManifest;
  if (auto config = json->Find("config"); config && config->IsObject()) {
    Descriptor d = DescriptorFrom(*config);
    if (!IsDigest(d.digest)) return Status(Code::kProtocol, "manifest: the config has no valid digest");
    if (d.size == -2) return Status(Code::kProtocol, "manifest: the config has an impossible size");
    if (d.size == -1)
      return Status(Code::kProtocol,
                    "manifest: the config has no size (the OCI and Docker specs require one; without it a download "
                    "could never end)");
    m.blobs.push_back(d);
  }
  if (auto layers = json->Find("layers"); layers && layers->IsArray()) {
    for (size_t i = 0; i < layers->Size(); ++i) {
      Descriptor d = DescriptorFrom(layers->At(i));
      if (!IsDigest(d.digest)) return Status(Code::kProtocol, "manifest: a layer has no valid digest");
      if (d.size == -2) return Status(Code::kProtocol, "manifest: a layer has an impossible size");
      if (d.size == -1)
        return Status(Code::kProtocol,
                      "manifest: a layer has no size (the OCI and Docker specs require one; without it a download "
                      "could never end)");
      // Foreign layers (with URLs) are not stored in the registry; skip them.
      if (layers->At(i).Find("urls")) continue;
      m.blobs.push_back(d);
    }
  }
  return m;
}

}  // namespace swr::registry
